//! `view`: draws the state into a frame and does nothing else.

mod cases;
mod dashboard;
mod intake;
mod queue;
mod receipt;
pub mod text;

use chrono::{DateTime, Duration, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::countdown::{countdown, Countdown};
use super::i18n::t;
use super::keymap::{Action, Mode};
use super::state::{Screen, State, Tone};
use crate::domain::case::Case;
use text::fit;

/// Below this the screen shows a "terminal too small" notice instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub(super) fn block<'a>(state: &State, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(state.theme.border())
        .title(Span::styled(format!(" {title} "), Style::default()))
}

pub use crate::countdown::case_countdown;

/// The acceptance-window countdown of the intake being typed.
pub fn window_countdown(state: &State) -> Option<Countdown> {
    let opened = state.intake.opened_at?;
    let regulation = &state.ctx.regulation;
    let channel = regulation.channel(&state.ctx.office.channel).ok()?;
    let calendar = regulation.calendar(&channel.schedule)?;
    let deadline = calendar.deadline(opened, channel.acceptance_window).ok()?;
    countdown(calendar, state.now, deadline, 5 * 60)
}

/// How many countdown entries the pane shows in `area`.
fn pane_capacity(area: Rect) -> usize {
    let columns = if area.width >= 76 { 2 } else { 1 };
    usize::from(area.height.saturating_sub(2)) * columns
}

const PANE_HEIGHT: u16 = 6;

fn layout(area: Rect) -> [Rect; 4] {
    let pane = if area.height >= 30 {
        PANE_HEIGHT + 4
    } else {
        PANE_HEIGHT
    };
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(pane),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// The first instant any countdown on screen changes its text or state.
pub fn next_visible_change(state: &State) -> DateTime<Utc> {
    let far = state.now + Duration::hours(1);
    let regulation = &state.ctx.regulation;
    let mut wake = far;
    for case in state.mine.iter().take(24) {
        if let Some(c) = case_countdown(regulation, case, state.now) {
            wake = wake.min(c.next_change);
        }
    }
    match state.screen {
        Screen::Intake => {
            if let Some(c) = window_countdown(state) {
                wake = wake.min(c.next_change);
            }
        }
        Screen::Cases => {
            let cases: Vec<&Case> = match &state.detail {
                Some(detail) => detail.case.iter().collect(),
                None => state.cases.iter().take(60).collect(),
            };
            for case in cases {
                if let Some(c) = case_countdown(regulation, case, state.now) {
                    wake = wake.min(c.next_change);
                }
            }
        }
        // Waits are shown in whole minutes; the dashboard is asked again every 30 s.
        Screen::Queue | Screen::Receipt => {}
        Screen::Dashboard => {
            if let Some(fetched) = state.dashboard_fetched {
                wake = wake.min(fetched + Duration::seconds(30));
            }
        }
    }
    wake
}

pub fn view(state: &State, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(state, frame, area);
        return;
    }
    let [header_area, main, pane_area, status_area] = layout(area);
    header(state, frame, header_area);
    match state.screen {
        Screen::Queue => queue::draw(state, frame, main),
        Screen::Intake => intake::draw(state, frame, main),
        Screen::Cases => cases::draw(state, frame, main),
        Screen::Receipt => receipt::draw(state, frame, main),
        Screen::Dashboard => dashboard::draw(state, frame, main),
    }
    countdown_pane(state, frame, pane_area);
    status_line(state, frame, status_area);
    if let Some(dialog) = &state.dialog {
        dialog_overlay(state, dialog, frame, main);
    }
    if state.help {
        help_overlay(state, frame, area);
    }
}

fn too_small(state: &State, frame: &mut Frame, area: Rect) {
    let lines = vec![
        Line::from(t(state.lang, "too_small")),
        Line::from(format!(
            "{} {MIN_WIDTH}×{MIN_HEIGHT}",
            t(state.lang, "too_small.hint")
        )),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

fn header(state: &State, frame: &mut Frame, area: Rect) {
    let regulation = &state.ctx.regulation;
    let role = regulation
        .role(&state.ctx.me.role)
        .map_or(state.ctx.me.role.clone(), |r| {
            r.name.get(state.lang).to_string()
        });
    let local = regulation
        .calendar(&state.office_schedule())
        .map_or(state.now.format("%d.%m.%Y %H:%M").to_string(), |c| {
            c.to_local(state.now).format("%d.%m.%Y %H:%M").to_string()
        });
    let screen = match state.screen {
        Screen::Queue => "screen.queue",
        Screen::Intake => "screen.intake",
        Screen::Cases => "screen.cases",
        Screen::Receipt => "screen.receipt",
        Screen::Dashboard => "screen.dashboard",
    };
    let right = format!("{local} {}", state.lang.code().to_uppercase());
    let left = format!(
        " {} · {} · {} ({}) · {}",
        t(state.lang, screen),
        state.ctx.office.code,
        state.ctx.me.name,
        role,
        state.ctx.office.name.get(state.lang)
    );
    let width = usize::from(area.width);
    let right_width = text::width(&right) + 1;
    let line = format!(
        "{}{} ",
        text::pad(
            &fit(&left, width.saturating_sub(right_width)),
            width.saturating_sub(right_width)
        ),
        right
    );
    frame.render_widget(Paragraph::new(line).style(state.theme.header()), area);
}

/// One countdown as "✓   12:05 P1 #12 Name".
pub(super) fn countdown_spans<'a>(state: &State, c: &Countdown) -> Vec<Span<'a>> {
    let style = state.theme.urgency(c.urgency);
    vec![
        Span::styled(state.theme.symbol(c.urgency).to_string(), style),
        Span::styled(format!(" {:>8}", c.text), style),
    ]
}

fn countdown_pane(state: &State, frame: &mut Frame, area: Rect) {
    let title = t(state.lang, "pane.countdown").to_string();
    let block = block(state, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let regulation = &state.ctx.regulation;
    let entries: Vec<(Countdown, &Case)> = state
        .mine
        .iter()
        .filter_map(|case| case_countdown(regulation, case, state.now).map(|c| (c, case)))
        .take(pane_capacity(area))
        .collect();
    if entries.is_empty() {
        frame.render_widget(
            Paragraph::new(t(state.lang, "pane.empty")).style(state.theme.dim()),
            inner,
        );
        return;
    }
    let columns = if area.width >= 76 { 2 } else { 1 };
    let rows = usize::from(inner.height);
    let column_width = inner.width / columns as u16;
    for (i, (c, case)) in entries.iter().enumerate() {
        let (column, row) = (i / rows.max(1), i % rows.max(1));
        if column >= columns {
            break;
        }
        let cell = Rect::new(
            inner.x + column as u16 * column_width,
            inner.y + row as u16,
            column_width.saturating_sub(1),
            1,
        );
        let step = case.current_step().map_or("", |s| s.step_id.as_str());
        let mut spans = countdown_spans(state, c);
        let used = 10;
        let rest = format!(" {step:<3} #{} {}", case.id, case.intake.applicant.name);
        spans.push(Span::raw(fit(
            &rest,
            usize::from(cell.width).saturating_sub(used),
        )));
        frame.render_widget(Paragraph::new(Line::from(spans)), cell);
    }
}

/// The key hints of the active mode, from the keymap.
fn hints(state: &State) -> String {
    let mode = state.mode();
    let mut parts: Vec<(String, Action)> = Vec::new();
    if let Some(chord) = state.keymap.key_for(Mode::Global, Action::Help) {
        parts.push((
            format!("{chord} {}", t(state.lang, "action.help")),
            Action::Help,
        ));
    }
    let on_queue = state.screen == Screen::Queue;
    let on_dashboard = state.screen == Screen::Dashboard;
    let submit_label = || {
        let missing = state.missing().len();
        if missing == 0 {
            t(state.lang, "submit.accept").to_string()
        } else {
            format!(
                "{} ({missing} {})",
                t(state.lang, "submit.refuse"),
                t(state.lang, "submit.missing")
            )
        }
    };
    for (chord, action) in state.keymap.bindings(mode) {
        if matches!(
            action,
            Action::Up
                | Action::Down
                | Action::PrevField
                | Action::Erase
                | Action::PageUp
                | Action::PageDown
                | Action::Action1
                | Action::Action2
                | Action::Action3
                | Action::Action4
                | Action::Action5
        ) {
            continue;
        }
        if mode == Mode::List
            && (on_queue && matches!(action, Action::Search | Action::NextFilter)
                || !on_queue && matches!(action, Action::Arrival | Action::CallNext)
                || on_dashboard
                    && matches!(action, Action::Search | Action::NextFilter | Action::Back))
        {
            continue;
        }
        if parts.iter().any(|(_, a): &(String, Action)| *a == action) {
            continue;
        }
        let label = if action == Action::Submit {
            submit_label()
        } else {
            t(state.lang, &format!("action.{}", action.id())).to_string()
        };
        parts.push((format!("{chord} {label}"), action));
    }
    parts
        .into_iter()
        .map(|(text, _)| text)
        .collect::<Vec<_>>()
        .join("  ")
}

fn status_line(state: &State, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let (text, style) = match &state.message {
        _ if state.loading => (
            t(state.lang, "msg.opening").to_string(),
            state.theme.status(),
        ),
        Some((tone, message)) => {
            let style = match tone {
                Tone::Good => state.theme.status(),
                Tone::Info => state.theme.status(),
                Tone::Bad => state.theme.status().patch(state.theme.error()),
            };
            (message.clone(), style)
        }
        None => (hints(state), state.theme.status()),
    };
    frame.render_widget(
        Paragraph::new(text::pad(&fit(&format!(" {text}"), width), width)).style(style),
        area,
    );
}

fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

fn dialog_overlay(state: &State, dialog: &super::state::Dialog, frame: &mut Frame, area: Rect) {
    let input_rows = u16::from(dialog.takes_text());
    let height = dialog.choices.len() as u16 + input_rows + 2;
    let rect = centred(area, area.width.saturating_sub(8).min(70), height);
    frame.render_widget(Clear, rect);
    let block = block(state, dialog.title.clone());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut lines: Vec<Line> = Vec::new();
    if dialog.takes_text() {
        let shown = text::tail(&dialog.input, usize::from(inner.width).saturating_sub(3));
        let cursor_x = inner.x + 2 + text::width(&shown) as u16;
        lines.push(Line::raw(format!("> {shown}")));
        frame.set_cursor_position((cursor_x.min(inner.right().saturating_sub(1)), inner.y));
    }
    {
        lines.extend(dialog.choices.iter().enumerate().map(|(i, (_, label))| {
            let line = fit(label, usize::from(inner.width));
            if i == dialog.selected {
                Line::styled(line, state.theme.selected())
            } else {
                Line::raw(line)
            }
        }));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn help_overlay(state: &State, frame: &mut Frame, area: Rect) {
    let mode = state.mode_without_help();
    let mut lines: Vec<Line> = Vec::new();
    for (section, mode) in [(mode.id(), mode), ("global", Mode::Global)] {
        lines.push(Line::styled(format!("[{section}]"), state.theme.focused()));
        for (chord, action) in state.keymap.bindings(mode) {
            lines.push(Line::raw(format!(
                "  {:<10} {}",
                chord.to_string(),
                t(state.lang, &format!("action.{}", action.id()))
            )));
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = centred(area, 56, height);
    frame.render_widget(Clear, rect);
    let block = block(state, t(state.lang, "screen.help").to_string());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

impl State {
    /// The mode the help overlay describes: the one under it.
    pub fn mode_without_help(&self) -> Mode {
        if self.dialog.is_some() {
            return Mode::Dialog;
        }
        match self.screen {
            Screen::Queue => Mode::List,
            Screen::Intake if self.focused_field().is_text() => Mode::Form,
            Screen::Intake => Mode::Checklist,
            Screen::Cases if self.detail.is_some() => Mode::Detail,
            Screen::Cases => Mode::List,
            Screen::Receipt => Mode::Receipt,
            Screen::Dashboard => Mode::List,
        }
    }
}
