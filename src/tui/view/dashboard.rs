//! The supervisor's dashboard: the queue now, the route by urgency, the forecast, people, and
//! (on a large terminal) the trend and the share of steps finished within their limit.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};
use ratatui::Frame;

use super::text::{fit, pad};
use super::{block, State};
use crate::countdown::Urgency;
use crate::service::dashboard::{Bucket, DashboardView};
use crate::tui::i18n::t;

/// Draws the cells in selection order; `next` numbers them as they are drawn.
struct Cells<'s> {
    state: &'s State,
    next: usize,
}

impl Cells<'_> {
    fn cell(&mut self, bucket: &Bucket, style: Style, width: usize) -> Span<'static> {
        let index = self.next;
        self.next += 1;
        let text = format!("{:<width$}", bucket.count());
        if index == self.state.dashboard.selected {
            Span::styled(text, self.state.theme.selected())
        } else {
            Span::styled(text, style)
        }
    }
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let block = block(state, t(lang, "screen.dashboard").to_string());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(view) = &state.dashboard.view else {
        frame.render_widget(
            Paragraph::new(t(lang, "dash.loading")).style(state.theme.dim()),
            inner,
        );
        return;
    };
    let wide = inner.width >= 120 && inner.height >= 30;
    let [left, right] = if wide {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(inner)
    } else {
        [inner, Rect::new(inner.right(), inner.y, 0, 0)]
    };
    let width = usize::from(left.width);
    let mut cells = Cells { state, next: 0 };
    let mut lines: Vec<Line> = Vec::new();
    let q = &view.queue;
    lines.push(Line::raw(fit(
        &format!(
            "{}: {} {} · {} {}/{} {} · {} {} · {} {} · {} {}",
            t(lang, "dash.queue"),
            q.waiting,
            t(lang, "queue.summary"),
            t(lang, "queue.oldest"),
            q.longest_wait_minutes,
            q.limit_minutes,
            t(lang, "unit.minutes"),
            q.served_today,
            t(lang, "dash.served"),
            view.accepted_today,
            t(lang, "dash.accepted"),
            view.overruns_today,
            t(lang, "dash.overruns"),
        ),
        width,
    )));
    let theme = &state.theme;
    // Each urgency column is as wide as its widest heading, so the numbers sit under them.
    let headings = [
        Urgency::OnTrack,
        Urgency::DueSoon,
        Urgency::Overdue,
        Urgency::Paused,
    ]
    .map(|u| {
        let key = match u {
            Urgency::OnTrack => "dash.on_track",
            Urgency::DueSoon => "dash.due_soon",
            Urgency::Overdue => "dash.overdue",
            Urgency::Paused => "dash.paused",
        };
        (u, format!("{} {}", theme.symbol(u), t(lang, key)))
    });
    let column = headings
        .iter()
        .map(|(_, h)| super::text::width(h))
        .max()
        .unwrap_or(10)
        + 2;
    let header: String = std::iter::once(format!("{:<6}", t(lang, "col.step")))
        .chain(headings.iter().map(|(_, h)| pad(h, column)))
        .collect();
    lines.push(Line::styled(fit(&header, width), theme.dim()));
    for row in &view.steps {
        let mut spans = vec![Span::raw(pad(&row.step_id, 6))];
        for (urgency, bucket) in [
            (Urgency::OnTrack, &row.on_track),
            (Urgency::DueSoon, &row.due_soon),
            (Urgency::Overdue, &row.overdue),
            (Urgency::Paused, &row.paused),
        ] {
            let style = if bucket.count() > 0 {
                theme.urgency(urgency)
            } else {
                theme.dim()
            };
            spans.push(cells.cell(bucket, style, column));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(vec![
        Span::raw(format!(
            "{} {}: ",
            theme.symbol(Urgency::DueSoon),
            t(lang, "dash.breach_hour")
        )),
        cells.cell(&view.breach_next_hour, theme.urgency(Urgency::DueSoon), 1),
        Span::raw(format!(" · {}: ", t(lang, "dash.breach_today"))),
        cells.cell(&view.breach_today, theme.urgency(Urgency::DueSoon), 1),
    ]));
    let room = usize::from(left.height).saturating_sub(lines.len() + 1);
    if room > 0 {
        lines.push(Line::styled(t(lang, "dash.people"), theme.dim()));
    }
    let regulation = &state.ctx.regulation;
    for person in view
        .people
        .iter()
        .take(if wide { usize::MAX } else { room })
    {
        let who = match person.owner.strip_prefix('@') {
            Some(role) => regulation
                .role(role)
                .map_or(role.to_string(), |r| r.name.get(lang).to_string()),
            None => state.ctx.staff_name(&person.owner),
        };
        let oldest = person
            .oldest_since
            .and_then(|t| {
                regulation
                    .calendar(&state.office_schedule())
                    .map(|c| c.to_local(t).format("%d.%m").to_string())
            })
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::raw(pad(&fit(&who, 24), 24)),
            cells.cell(&person.open, theme.base(), 4),
            // "1 open · 0 overdue": each number before its own word, the pairs apart.
            Span::raw(format!(" {} · ", t(lang, "dash.open"))),
            cells.cell(&person.overdue, theme.urgency(Urgency::Overdue), 3),
            Span::raw(fit(
                &format!(
                    " {} · {} {oldest}",
                    t(lang, "dash.overdue"),
                    t(lang, "dash.oldest")
                ),
                width.saturating_sub(35),
            )),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), left);
    if wide {
        draw_history(state, view, frame, right);
    }
}

fn share(within: u32, finished: u32) -> String {
    match (within * 100).checked_div(finished) {
        Some(percent) => format!("{percent:>3}% ({within}/{finished})"),
        None => "—".into(),
    }
}

fn draw_history(state: &State, view: &DashboardView, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let [trend_title, trend, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(5),
        Constraint::Min(1),
    ])
    .areas(area);
    let total: u32 = view.trend.iter().map(|(_, n)| n).sum();
    frame.render_widget(
        Paragraph::new(format!("{} · {total}", t(lang, "dash.trend"))).style(state.theme.dim()),
        trend_title,
    );
    let data: Vec<u64> = view.trend.iter().map(|(_, n)| u64::from(*n)).collect();
    frame.render_widget(
        Sparkline::default().data(&data).style(state.theme.ok()),
        trend,
    );
    let width = usize::from(rest.width);
    let mut lines = vec![Line::styled(t(lang, "dash.within"), state.theme.dim())];
    for (step, w) in &view.within_by_step {
        lines.push(Line::raw(fit(
            &format!("  {step:<6} {}", share(w.within, w.finished)),
            width,
        )));
    }
    for (staff, w) in &view.within_by_staff {
        lines.push(Line::raw(fit(
            &format!(
                "  {:<22} {}",
                fit(&state.ctx.staff_name(staff), 22),
                share(w.within, w.finished)
            ),
            width,
        )));
    }
    frame.render_widget(Paragraph::new(lines), rest);
}
