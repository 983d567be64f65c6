//! `view`: draws the state into a frame and does nothing else.

mod cases;
mod dashboard;
mod intake;
mod queue;
mod receipt;
pub mod text;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::countdown::Countdown;
use super::i18n::t;
use super::keymap::{Action, Mode};
use super::state::{HelpLine, Screen, State, Tone, HELP_WIDTH};
use crate::domain::case::Case;
use text::fit;

/// Below this the screen shows the compact view.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
pub use super::state::{COMPACT_HEIGHT, COMPACT_WIDTH};

pub(super) fn block<'a>(state: &State, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(state.theme.border())
        // A title may quote stored text (a name in a question): shown safely.
        .title(Span::styled(
            format!(" {} ", crate::domain::text::shown_safely(&title)),
            Style::default(),
        ))
}

pub use crate::countdown::case_countdown;

/// Whether the screen's list is my work itself: then the countdown pane would only repeat it
/// (and send every ticking second twice), so the list takes its rows.
fn lists_my_work(state: &State) -> bool {
    state.screen == Screen::Cases
        && state.detail.is_none()
        && state.cases.filter == super::state::Filter::Mine
        && state.cases.search.is_empty()
        && state.cases.drill.is_none()
}

/// How many countdown entries the pane shows in `area`.
fn pane_capacity(area: Rect) -> usize {
    let columns = if area.width >= 76 { 2 } else { 1 };
    usize::from(area.height.saturating_sub(2)) * columns
}

const PANE_HEIGHT: u16 = 6;

fn layout(area: Rect, status_rows: u16, with_pane: bool) -> [Rect; 4] {
    let pane = if !with_pane {
        status_rows - 1
    } else if area.height >= 30 {
        PANE_HEIGHT + 4
    } else if area.height >= 20 {
        PANE_HEIGHT
    } else {
        // A short terminal keeps two countdown rows and gives the rest to the screen.
        PANE_HEIGHT - 2
    };
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(pane.saturating_sub(status_rows - 1)),
        Constraint::Length(status_rows),
    ])
    .areas(area)
}

/// A message longer than the status line takes up to three rows (from the countdown pane), so
/// what happened and what to do are read whole.
fn status_rows(state: &State, width: u16) -> u16 {
    match &state.message {
        Some((_, message)) if !state.loading && text::width(message) + 1 > usize::from(width) => {
            let rows = text::wrapped(message, usize::from(width).saturating_sub(1));
            rows.len().clamp(1, 3) as u16
        }
        _ => 1,
    }
}

pub fn view(state: &State, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        if area.width >= COMPACT_WIDTH && area.height >= COMPACT_HEIGHT {
            compact(state, frame, area);
            // A question asked must be seen to be answered, at any size that has keys.
            if let Some(dialog) = &state.dialog {
                dialog_overlay(state, dialog, frame, area);
            }
        } else {
            too_small(state, frame, area);
        }
        return;
    }
    let with_pane = !lists_my_work(state);
    let [header_area, main, pane_area, status_area] =
        layout(area, status_rows(state, area.width), with_pane);
    header(state, frame, header_area);
    match state.screen {
        Screen::Queue => queue::draw(state, frame, main),
        Screen::Intake => intake::draw(state, frame, main),
        Screen::Cases => cases::draw(state, frame, main),
        Screen::Receipt => receipt::draw(state, frame, main),
        Screen::Dashboard => dashboard::draw(state, frame, main),
    }
    if with_pane {
        countdown_pane(state, frame, pane_area);
    }
    status_line(state, frame, status_area);
    if let Some(dialog) = &state.dialog {
        dialog_overlay(state, dialog, frame, main);
    }
    if state.help {
        // Between the header and the status line, which stay readable whole.
        let between = Rect::new(
            area.x,
            area.y + 1,
            area.width,
            area.height.saturating_sub(2),
        );
        help_overlay(state, frame, between);
    }
}

/// A small terminal's view: one line per fact. The intake shows its window, the focused field
/// (every key works as on the full screen) and the documents ticked; every screen shows my
/// countdowns and the status line.
fn compact(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let width = usize::from(area.width);
    let screen_key = match state.screen {
        Screen::Queue => "screen.queue",
        Screen::Intake => "screen.intake",
        Screen::Cases => "screen.cases",
        Screen::Receipt => "screen.receipt",
        Screen::Dashboard => "screen.dashboard",
    };
    // On the intake, whose form it is comes first: the ticket and the name typed.
    let heading = match (&state.screen, &state.intake.ticket) {
        (Screen::Intake, Some(ticket)) => {
            let name = state.intake.form.name.trim();
            if name.is_empty() {
                format!(" {} {ticket}", t(lang, "queue.ticket"))
            } else {
                format!(" {} {ticket} · {name}", t(lang, "queue.ticket"))
            }
        }
        _ => format!(" {}", t(lang, screen_key)),
    };
    let mut lines: Vec<Line> = vec![Line::styled(
        text::pad(&fit(&heading, width), width),
        state.theme.header(),
    )];
    if state.screen == Screen::Intake {
        if let Some(c) = state.window_countdown() {
            let mut spans = vec![Span::raw(format!("{} ", t(lang, "window")))];
            spans.extend(countdown_spans(state, &c));
            lines.push(Line::from(spans));
        }
        let field = state.focused_field();
        let label = t(lang, intake::label_key(field));
        let value = match field {
            super::state::Field::Document(i) => {
                let documents = state.documents();
                let doc = documents.get(i).cloned().unwrap_or_default();
                let ticked = state.intake.form.documents.contains(&doc);
                let name = state
                    .ctx
                    .regulation
                    .document(&doc)
                    .map_or(doc.clone(), |d| d.name.get(lang).to_string());
                format!("{} {name}", state.theme.check(ticked))
            }
            super::state::Field::Measure | super::state::Field::Sector => String::new(),
            other => state.text_of(other).to_string(),
        };
        let line = format!("{label}: {value}");
        for row in text::wrapped(&line, width).into_iter().take(2) {
            lines.push(Line::styled(row, state.theme.focused()));
        }
        let documents = state.documents().len();
        lines.push(Line::raw(fit(
            &format!(
                "{} {}/{documents}",
                t(lang, "field.documents"),
                documents - state.missing().len()
            ),
            width,
        )));
        if let Some(problem) = state.intake.problems.first() {
            lines.push(Line::styled(
                fit(&state.problem_text(problem), width),
                state.theme.error(),
            ));
        }
    } else {
        let note = format!("{} {MIN_WIDTH}×{MIN_HEIGHT}", t(lang, "compact.note"));
        for row in text::wrapped(&note, width).into_iter().take(2) {
            lines.push(Line::styled(row, state.theme.dim()));
        }
    }
    let room = usize::from(area.height).saturating_sub(lines.len() + 1);
    let regulation = &state.ctx.regulation;
    for (c, case) in state
        .mine
        .iter()
        .filter_map(|case| case_countdown(regulation, case, state.now).map(|c| (c, case)))
        .take(room)
    {
        let mut spans = countdown_spans(state, &c);
        let step = case.current_step().map_or("", |s| s.step_id.as_str());
        spans.push(Span::raw(fit(
            &format!(" {step} #{}", case.id),
            width.saturating_sub(countdown_columns(lang)),
        )));
        lines.push(Line::from(spans));
    }
    let rows = lines.len() as u16;
    frame.render_widget(Paragraph::new(lines), area);
    let status = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    if rows < area.height {
        status_line(state, frame, status);
    }
}

fn too_small(state: &State, frame: &mut Frame, area: Rect) {
    let key = |action| {
        state
            .keymap
            .key_for(Mode::Global, action)
            .map_or(String::new(), |chord| chord.to_string())
    };
    let lines = vec![
        Line::from(t(state.lang, "too_small")),
        Line::from(format!(
            "{} {COMPACT_WIDTH}×{COMPACT_HEIGHT}",
            t(state.lang, "too_small.hint")
        )),
        // Keys are held off here (State::below_floor): say so, and which ones still work.
        Line::from(
            t(state.lang, "too_small.keys")
                .replace("{quit}", &key(Action::Quit))
                .replace("{lang}", &key(Action::Language)),
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

/// The header's clock and language, with the year (`long`) or without it.
pub fn header_clock(state: &State, long: bool) -> String {
    let format = if long {
        "%d.%m.%Y %H:%M"
    } else {
        "%d.%m %H:%M"
    };
    let local = state
        .ctx
        .regulation
        .calendar(&state.office_schedule())
        .map_or(state.now.format(format).to_string(), |c| {
            c.to_local(state.now).format(format).to_string()
        });
    format!("{local} {}", state.lang.code().to_uppercase())
}

/// The header in `width` columns: as many of [`State::header_parts`] as fit whole, in their order,
/// the clock without the year before the name of who sits there is given up.
pub fn header_text(state: &State, width: usize) -> String {
    let parts = state.header_parts();
    let join = |n: usize| {
        let (office, who) = parts[..n].split_at(n.min(2));
        let mut left = office.join(" · ");
        if !who.is_empty() {
            left = format!("{left} · {}", who.join(" "));
        }
        format!(" {left}")
    };
    for n in (1..=parts.len()).rev() {
        for long in [true, false] {
            let left = join(n);
            let right = header_clock(state, long);
            // One space between the two sides at least, one after the language.
            let room = width.saturating_sub(text::width(&right) + 1);
            if text::width(&left) < room {
                return format!("{}{right} ", text::pad(&left, room));
            }
        }
    }
    text::pad(&fit(&join(1), width), width)
}

fn header(state: &State, frame: &mut Frame, area: Rect) {
    let line = header_text(state, usize::from(area.width));
    frame.render_widget(Paragraph::new(line).style(state.theme.header()), area);
}

/// The countdown units of the screen's language.
fn units(lang: crate::domain::Lang) -> crate::countdown::Units<'static> {
    ["unit.d", "unit.h", "unit.m", "unit.s"].map(|key| t(lang, key))
}

/// A countdown's text in the screen's language: "9мин 57с", "3h 05m".
pub(super) fn countdown_text(state: &State, c: &Countdown) -> String {
    c.text_in(&units(state.lang))
}

/// Columns of a countdown's text: the widest a working-time countdown gets in the language
/// (overdue, hours and minutes on an eight-hour day; or days and hours).
pub(super) fn countdown_width(lang: crate::domain::Lang) -> usize {
    let units = units(lang);
    let day = 8 * 3600;
    [
        -(59 * 60 + 59),
        -(7 * 3600 + 59 * 60),
        -(99 * day + 7 * 3600),
    ]
    .iter()
    .map(|s| text::width(&crate::countdown::format_remaining_in(*s, day, &units)))
    .max()
    .unwrap_or(8)
}

/// Columns a countdown takes with its symbol: "✓ " and the text.
pub(super) fn countdown_columns(lang: crate::domain::Lang) -> usize {
    countdown_width(lang) + 2
}

/// One countdown as "✓   9m 57s", right-aligned so the digits stay in place.
pub(super) fn countdown_spans<'a>(state: &State, c: &Countdown) -> Vec<Span<'a>> {
    let style = state.theme.urgency(c.urgency);
    let width = countdown_width(state.lang);
    vec![
        Span::styled(state.theme.symbol(c.urgency).to_string(), style),
        Span::styled(
            format!(" {}", text::pad_left(&countdown_text(state, c), width)),
            style,
        ),
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
        let used = countdown_columns(state.lang);
        let rest = format!(" {step:<3} #{} {}", case.id, case.intake.applicant.name);
        spans.push(Span::raw(fit(
            &rest,
            usize::from(cell.width).saturating_sub(used),
        )));
        frame.render_widget(Paragraph::new(Line::from(spans)), cell);
    }
}

/// How much a key's hint matters on the status line (lower first): what the screen is for,
/// then moving on, then the rest. What does not fit is left out whole; F1 lists every key.
fn hint_rank(action: Action) -> u8 {
    match action {
        Action::Help => 0,
        Action::SubmitAndPrint | Action::CallNext | Action::Print | Action::Confirm => 1,
        Action::AllDocuments | Action::Arrival | Action::Open | Action::Cancel => 2,
        Action::Submit | Action::Void | Action::Search | Action::Explain | Action::Toggle => 3,
        Action::NextField | Action::NextFilter => 4,
        Action::Back | Action::ClearForm => 5,
        _ => 6,
    }
}

/// Every key hint of the active mode, from the keymap, most important first.
pub fn hint_list(state: &State) -> Vec<String> {
    let mode = state.mode();
    let mut parts: Vec<(String, Action)> = Vec::new();
    if let Some(chord) = state.keymap.key_for(Mode::Global, Action::Help) {
        parts.push((
            format!("{chord} {}", t(state.lang, "action.help")),
            Action::Help,
        ));
    }
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
                | Action::Left
                | Action::Right
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
        if !state.handles(action) {
            continue;
        }
        if parts.iter().any(|(_, a): &(String, Action)| *a == action) {
            continue;
        }
        let label = if action == Action::Submit {
            submit_label()
        } else if action == Action::SubmitAndPrint {
            format!("{} {}", submit_label(), t(state.lang, "submit.print"))
        } else {
            t(state.lang, &format!("action.{}", action.id())).to_string()
        };
        parts.push((format!("{chord} {label}"), action));
    }
    // Stable: keys of the same rank keep the keymap's order.
    parts.sort_by_key(|(_, action)| hint_rank(*action));
    parts.into_iter().map(|(text, _)| text).collect()
}

/// The key hints that fit whole in `width` columns (after the line's leading space), most
/// important first.
pub fn hints_text(state: &State, width: usize) -> String {
    let room = width.saturating_sub(1);
    let mut shown: Vec<String> = Vec::new();
    let mut used = 0;
    for hint in hint_list(state) {
        let needed = text::width(&hint) + if shown.is_empty() { 0 } else { 2 };
        if used + needed <= room {
            used += needed;
            shown.push(hint);
        }
    }
    shown.join("  ")
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
        // Until the database is back, the status line says so instead of the key hints.
        None if state.store_down => (
            t(state.lang, "msg.store_lost").to_string(),
            state.theme.status().patch(state.theme.error()),
        ),
        None => (hints_text(state, width), state.theme.status()),
    };
    let lines: Vec<Line> = if area.height > 1 {
        text::wrapped(&text, width.saturating_sub(1).max(1))
            .into_iter()
            .take(usize::from(area.height))
            .map(|l| Line::raw(text::pad(&format!(" {l}"), width)))
            .collect()
    } else {
        vec![Line::raw(text::pad(
            &fit(&format!(" {text}"), width),
            width,
        ))]
    };
    frame.render_widget(Paragraph::new(lines).style(style), area);
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
    let width = if area.width >= 40 {
        area.width.saturating_sub(8).min(70)
    } else {
        area.width
    };
    // A question longer than the frame's top is written whole inside it: cut, "does not stop"
    // can read as "stops".
    let title_room = usize::from(width.saturating_sub(4));
    let question: Vec<String> = if text::width(&dialog.title) > title_room {
        text::wrapped(&dialog.title, usize::from(width.saturating_sub(2)).max(1))
    } else {
        Vec::new()
    };
    let height = dialog.choices.len() as u16 + input_rows + question.len() as u16 + 2;
    let rect = centred(area, width, height.min(area.height));
    frame.render_widget(Clear, rect);
    let block = block(
        state,
        if question.is_empty() {
            dialog.title.clone()
        } else {
            String::new()
        },
    );
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut lines: Vec<Line> = question
        .into_iter()
        .map(|row| Line::styled(row, state.theme.focused()))
        .collect();
    if dialog.takes_text() {
        let shown = text::tail(&dialog.input, usize::from(inner.width).saturating_sub(3));
        let cursor_x = inner.x + 2 + text::width(&shown) as u16;
        let cursor_y = inner.y + lines.len() as u16;
        lines.push(Line::raw(format!("> {shown}")));
        frame.set_cursor_position((
            cursor_x.min(inner.right().saturating_sub(1)),
            cursor_y.min(inner.bottom().saturating_sub(1)),
        ));
    }
    {
        // More choices than rows: the list scrolls so the selected one is drawn.
        let rows = usize::from(inner.height).saturating_sub(lines.len()).max(1);
        let first = dialog.selected.saturating_sub(rows - 1);
        lines.extend(
            dialog
                .choices
                .iter()
                .enumerate()
                .skip(first)
                .map(|(i, (_, label))| {
                    let line = fit(label, usize::from(inner.width));
                    if i == dialog.selected {
                        Line::styled(line, state.theme.selected())
                    } else {
                        Line::raw(line)
                    }
                }),
        );
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// A title with where a scrolled view is, when it is longer than its `rows`: "Help 1–20/41 ↓".
pub(super) fn scrolled_title(title: &str, first: usize, rows: usize, total: usize) -> String {
    if total <= rows || rows == 0 {
        return title.to_string();
    }
    let more = match (first > 0, first + rows < total) {
        (true, true) => " ↑↓",
        (true, false) => " ↑",
        (false, true) => " ↓",
        (false, false) => "",
    };
    format!("{title} {}–{}/{total}{more}", first + 1, first + rows)
}

fn help_overlay(state: &State, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = state
        .help_lines(area.width)
        .into_iter()
        .map(|line| match line {
            HelpLine::Heading(text) => Line::styled(text, state.theme.focused()),
            HelpLine::Text(text) => Line::styled(text, state.theme.dim()),
            HelpLine::Key(chord, what) => Line::raw(format!("  {chord:<10} {what}")),
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = centred(area, HELP_WIDTH, height);
    frame.render_widget(Clear, rect);
    // Longer than the screen: it scrolls, and the title says where and that there is more.
    let rows = usize::from(height.saturating_sub(2));
    let first = usize::from(state.help_scroll).min(lines.len().saturating_sub(rows));
    let title = scrolled_title(t(state.lang, "screen.help"), first, rows, lines.len());
    let block = block(state, title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(first).collect::<Vec<_>>()),
        inner,
    );
}
