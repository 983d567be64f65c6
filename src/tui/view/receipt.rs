//! The receipt preview: exactly the text that goes to the printer.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::fit;
use super::{block, State};
use crate::tui::i18n::t;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let Some(case) = &state.receipt.case else {
        let block = block(state, t(lang, "screen.receipt").to_string());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(t(lang, "receipt.none")), inner);
        return;
    };
    let paper = (crate::domain::receipt::ROLL_WIDTH as u16 + 2).min(area.width);
    let [preview, side] =
        Layout::horizontal([Constraint::Length(paper), Constraint::Min(0)]).areas(area);
    // Longer than the screen: the title says which lines show and that there is more.
    let rows = usize::from(preview.height.saturating_sub(2));
    let total = state.receipt.lines.len();
    let first = usize::from(state.receipt.scroll).min(total.saturating_sub(rows));
    let title = super::scrolled_title(&case.receipt_no.to_string(), first, rows, total);
    let block = block(state, title);
    let inner = block.inner(preview);
    frame.render_widget(block, preview);
    let lines: Vec<Line> = state
        .receipt
        .lines
        .iter()
        .skip(first)
        .map(|l| Line::raw(fit(l, usize::from(inner.width))))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    let status = if state.receipt.printing {
        t(lang, "msg.printing").to_string()
    } else if let Some(reason) = &case.receipt.voided {
        format!("{}: {reason}", t(lang, "status.voided"))
    } else if case.receipt.printed > 0 {
        format!("{} ×{}", t(lang, "receipt.printed"), case.receipt.printed)
    } else {
        match &case.receipt.last_print_error {
            Some(error) => state.print_failure_text(error),
            None => t(lang, "receipt.unprinted").to_string(),
        }
    };
    let width = usize::from(side.width.saturating_sub(1));
    // Wrapped, not cut: what went wrong and what to do are both needed.
    let mut side_lines: Vec<Line> = super::text::wrapped(&status, width.max(1))
        .into_iter()
        .map(Line::raw)
        .collect();
    side_lines.push(Line::raw(""));
    for (action, key) in [
        (crate::tui::keymap::Action::Print, "action.print"),
        (crate::tui::keymap::Action::Void, "action.void"),
    ]
    .into_iter()
    .filter(|(action, _)| state.handles(*action))
    {
        if let Some(chord) = state
            .keymap
            .key_for(crate::tui::keymap::Mode::Receipt, action)
        {
            side_lines.push(Line::raw(fit(&format!("{chord} {}", t(lang, key)), width)));
        }
    }
    if side.width > 2 {
        frame.render_widget(
            Paragraph::new(side_lines),
            Rect::new(
                side.x + 1,
                side.y + 1,
                side.width - 1,
                side.height.saturating_sub(1),
            ),
        );
    }
}
