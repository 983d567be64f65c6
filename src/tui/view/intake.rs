//! The intake form, the document checklist and the acceptance-window countdown.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{fit, pad, tail, width};
use super::{block, State};
use crate::domain::iin::Iin;
use crate::tui::countdown::Urgency;
use crate::tui::i18n::t;
use crate::tui::state::Field;

pub(super) fn label_key(field: Field) -> &'static str {
    match field {
        Field::Iin => "field.iin",
        Field::Name => "field.name",
        Field::Phone => "field.phone",
        Field::Sector => "field.sector",
        Field::Settlement => "field.settlement",
        Field::Measure => "field.measures",
        Field::Representative => "field.representative",
        Field::RepresentativeIin => "field.representative_iin",
        Field::Poa => "field.poa",
        Field::Document(_) => "field.documents",
    }
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let right_width = (area.width * 2 / 5).max(30);
    let [left, right] =
        Layout::horizontal([Constraint::Min(20), Constraint::Length(right_width)]).areas(area);
    let focused = state.focused_field();
    // The ticket first: whose form this is must survive a narrow frame.
    let title = match &state.intake.ticket {
        Some(ticket) => format!(
            "{} {ticket} · {}",
            t(lang, "queue.ticket"),
            t(lang, "screen.intake")
        ),
        None => t(lang, "screen.intake").to_string(),
    };
    let mut form_block = block(state, title);
    // A label cut to fit: the focused field's whole label is at the frame's foot.
    if focused.is_text() || matches!(focused, Field::Sector | Field::Measure) {
        let label = t(lang, label_key(focused));
        let inner_width = usize::from(left.width.saturating_sub(2));
        let label_room = Field::TEXT_AND_CHOICE
            .iter()
            .map(|f| width(t(lang, label_key(*f))))
            .max()
            .unwrap_or(10)
            .min(inner_width * 2 / 5);
        if width(label) > label_room {
            form_block = form_block.title_bottom(format!(" {} ", fit(label, inner_width)));
        }
    }
    let inner = form_block.inner(left);
    frame.render_widget(form_block, left);
    let regulation = &state.ctx.regulation;
    let longest_label = Field::TEXT_AND_CHOICE
        .iter()
        .map(|f| width(t(lang, label_key(*f))))
        .max()
        .unwrap_or(10);
    let label_width = longest_label.min(usize::from(inner.width) * 2 / 5);
    let mut live_problem = None;
    let value_width = usize::from(inner.width).saturating_sub(label_width + 1);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (row, field) in crate::tui::state::Field::TEXT_AND_CHOICE
        .iter()
        .copied()
        .enumerate()
    {
        let label = pad(&fit(t(lang, label_key(field)), label_width), label_width);
        let value = match field {
            Field::Sector => state
                .intake
                .sector_choice
                .and_then(|i| regulation.file.sectors.get(i))
                .map_or("‹ — ›".to_string(), |s| {
                    format!("‹ {} ›", s.name.get(lang))
                }),
            Field::Measure => {
                let names: Vec<&str> = state
                    .intake
                    .form
                    .measures
                    .iter()
                    .filter_map(|m| regulation.measure(m).ok())
                    .map(|m| m.name.get(lang))
                    .collect();
                format!("‹ {} ›", names.join(" + "))
            }
            _ => tail(state.text_of(field), value_width.saturating_sub(1)),
        };
        let problem = state
            .intake
            .problems
            .iter()
            .find(|p| p.field == field.problem_key());
        let style = if field == focused {
            state.theme.focused()
        } else {
            state.theme.base()
        };
        let mut spans = vec![Span::styled(label, style), Span::raw(" ")];
        // Live IIN check, before the clerk leaves the field.
        let iin_note = match field {
            Field::Iin | Field::RepresentativeIin
                if state.text_of(field).trim().len() == 12
                    || (field == Field::Iin
                        && field != focused
                        && !state.text_of(field).is_empty()) =>
            {
                Some(match Iin::parse(state.text_of(field)) {
                    Ok(_) => (true, t(lang, "iin.ok").to_string()),
                    Err(e) => (false, crate::tui::i18n::iin_error(lang, &e)),
                })
            }
            _ => None,
        };
        spans.push(Span::styled(
            fit(&value, value_width),
            if problem.is_some() {
                state.theme.error()
            } else {
                state.theme.base()
            },
        ));
        if field == focused && field.is_text() {
            cursor = Some((
                inner.x + (label_width + 1 + width(&value).min(value_width)) as u16,
                inner.y + row as u16,
            ));
        }
        lines.push(Line::from(spans));
        if let Some((false, note)) = &iin_note {
            live_problem = Some(format!("{}: {note}", t(lang, label_key(field))));
        }
        if let Some((good, note)) = iin_note {
            let used = width(&value) + 1;
            if let Some(last) = lines.last_mut() {
                last.spans.push(Span::styled(
                    fit(
                        &format!(" {}{note}", if good { "✓ " } else { "" }),
                        value_width.saturating_sub(used),
                    ),
                    if good {
                        state.theme.ok()
                    } else {
                        state.theme.error()
                    },
                ));
            }
        }
    }
    if let Some(problem) = state
        .intake
        .problems
        .first()
        .map(|p| state.problem_text(p))
        .or(live_problem)
    {
        lines.push(Line::raw(""));
        for line in super::text::wrapped(&problem, usize::from(inner.width)) {
            lines.push(Line::styled(line, state.theme.error()));
        }
    }
    // On a short terminal the form scrolls so the focused field is always drawn.
    let focus_row = Field::TEXT_AND_CHOICE
        .iter()
        .position(|f| *f == focused)
        .unwrap_or(0);
    let first = scroll_to(focus_row, 1, usize::from(inner.height));
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(first).collect::<Vec<_>>()),
        inner,
    );
    if let Some((x, y)) = cursor {
        let y = y.saturating_sub(first as u16);
        if y < inner.bottom() {
            frame.set_cursor_position((x.min(inner.right().saturating_sub(1)), y));
        }
    }

    let [window_area, checklist_area] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(right);
    let window_block = block(state, t(lang, "window").to_string());
    let window_inner = window_block.inner(window_area);
    frame.render_widget(window_block, window_area);
    let window_line = match state.window_countdown() {
        Some(c) => {
            let word = if c.urgency == Urgency::Overdue {
                t(lang, "window.overrun")
            } else {
                t(lang, "window.left")
            };
            let mut spans = super::countdown_spans(state, &c);
            spans.push(Span::raw(format!(" {word}")));
            Line::from(spans)
        }
        None => Line::styled(t(lang, "window.not_started"), state.theme.dim()),
    };
    frame.render_widget(Paragraph::new(window_line), window_inner);

    let documents = state.documents();
    let missing = state.missing().len();
    let check_title = format!(
        "{} {}/{}",
        t(lang, "field.documents"),
        documents.len() - missing,
        documents.len()
    );
    let check_block = block(state, check_title);
    let check_inner = check_block.inner(checklist_area);
    frame.render_widget(check_block, checklist_area);
    let item_width = usize::from(check_inner.width);
    let mut lines: Vec<Line> = Vec::new();
    let mut focus = (0, 1);
    for (i, doc) in documents.iter().enumerate() {
        let ticked = state.intake.form.documents.contains(doc);
        let name = regulation
            .document(doc)
            .map_or(doc.as_str(), |d| d.name.get(lang));
        let text = format!("{} {name}", state.theme.check(ticked));
        if focused == Field::Document(i) {
            // The focused document is named in full, wrapped: the clerk checks it against the
            // paper in hand.
            let wrapped = super::text::hanging(&text, item_width, 4);
            focus = (lines.len(), wrapped.len());
            for line in wrapped {
                lines.push(Line::styled(line, state.theme.focused()));
            }
        } else {
            let style = if ticked {
                state.theme.ok()
            } else {
                state.theme.base()
            };
            lines.push(Line::styled(fit(&text, item_width), style));
        }
    }
    let first = scroll_to(focus.0, focus.1, usize::from(check_inner.height));
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(first).collect::<Vec<_>>()),
        check_inner,
    );
}

/// The first row to draw so that rows `row..row + rows` show in a view `height` rows tall.
fn scroll_to(row: usize, rows: usize, height: usize) -> usize {
    (row + rows).saturating_sub(height.max(1))
}
