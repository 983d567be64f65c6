//! The walk-in queue: who waits, how long against the limit, who was called.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{fit, pad, width as width_of};
use super::{block, State};
use crate::tui::countdown::Urgency;
use crate::tui::i18n::t;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let block = block(state, t(lang, "screen.queue").to_string());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let regulation = &state.ctx.regulation;
    let limit_minutes = regulation
        .channel(&state.ctx.office.channel)
        .ok()
        .and_then(|c| c.waiting_limit.seconds())
        .map_or(30, |s| s / 60);
    let waiting: Vec<_> = state
        .queue
        .tickets
        .iter()
        .filter(|t| t.called_at.is_none())
        .collect();
    let oldest = waiting
        .iter()
        .map(|t| (state.now - t.arrived_at).num_minutes())
        .max()
        .unwrap_or(0);
    let mut lines = vec![Line::raw(format!(
        "{} {}   {} {oldest}/{limit_minutes} {}",
        waiting.len(),
        t(lang, "queue.summary"),
        t(lang, "queue.oldest"),
        t(lang, "unit.minutes"),
    ))];
    let width = usize::from(inner.width);
    // Forms not submitted yet (kept by the core through a dropped link): whose they are.
    let forms = state.open_forms();
    if !forms.is_empty() {
        let names: Vec<String> = forms.iter().map(|f| state.form_label(f)).collect();
        let text = format!("✎ {}: {}", t(lang, "queue.forms"), names.join(" · "));
        for row in super::text::wrapped(&text, width.max(1))
            .into_iter()
            .take(2)
        {
            lines.push(Line::styled(row, state.theme.focused()));
        }
    }
    let called_at = |called| {
        regulation
            .calendar(&state.office_schedule())
            .map_or(String::new(), |c| {
                c.to_local(called).format("%H:%M").to_string()
            })
    };
    // What the second column says of each ticket: minutes waited against the limit, or when
    // it was called.
    let waited_text = |ticket: &crate::service::queue::Ticket| match ticket.called_at {
        None => format!(
            "{}/{limit_minutes}",
            (state.now - ticket.arrived_at).num_minutes()
        ),
        Some(called) => format!("{} {}", t(lang, "queue.called"), called_at(called)),
    };
    // Columns as wide as their widest text in the screen's language, measured in terminal
    // columns, over the whole list so they stay put as it scrolls.
    let number_width = state
        .queue
        .tickets
        .iter()
        .map(|ticket| width_of(&ticket.number))
        .chain([width_of(t(lang, "queue.ticket"))])
        .max()
        .unwrap_or(8);
    let waited_width = state
        .queue
        .tickets
        .iter()
        .map(|ticket| width_of(&waited_text(ticket)))
        .chain([width_of(t(lang, "queue.waiting"))])
        .max()
        .unwrap_or(8);
    let columns = |number: &str, waited: &str, measure: &str| {
        format!(
            "{}  {} {measure}",
            pad(number, number_width),
            pad(waited, waited_width)
        )
    };
    lines.push(Line::styled(
        fit(
            &format!(
                "  {}",
                columns(
                    t(lang, "queue.ticket"),
                    t(lang, "queue.waiting"),
                    t(lang, "queue.measure")
                )
            ),
            width,
        ),
        state.theme.dim(),
    ));
    if state.queue.tickets.is_empty() {
        lines.push(Line::styled(t(lang, "queue.empty"), state.theme.dim()));
    }
    // The list scrolls so the selected ticket is always drawn.
    let rows = usize::from(inner.height).saturating_sub(lines.len()).max(1);
    let first = state.queue.selected.saturating_sub(rows - 1);
    for (i, ticket) in state
        .queue
        .tickets
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
    {
        let measure = regulation
            .measure(&ticket.measure)
            .map_or(ticket.measure.clone(), |m| m.name.get(lang).to_string());
        let urgency = match ticket.called_at {
            None => {
                let minutes = (state.now - ticket.arrived_at).num_minutes();
                Some(if minutes >= limit_minutes {
                    Urgency::Overdue
                } else if minutes + 5 >= limit_minutes {
                    Urgency::DueSoon
                } else {
                    Urgency::OnTrack
                })
            }
            Some(_) => None,
        };
        let symbol = urgency.map_or(" ", |u| state.theme.symbol(u));
        let text = pad(
            &fit(
                &format!(
                    "{symbol} {}",
                    columns(&ticket.number, &waited_text(ticket), &measure)
                ),
                width,
            ),
            width,
        );
        let style = match urgency {
            _ if i == state.queue.selected => state.theme.selected(),
            Some(u) => state.theme.urgency(u),
            None => state.theme.dim(),
        };
        lines.push(Line::styled(text, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
