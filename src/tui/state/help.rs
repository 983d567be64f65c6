//! The help overlay's lines: who sits at the counter, then every key of the screen and the
//! global ones. The view draws them; the state scrolls them no farther than their last screenful.

use super::State;
use crate::tui::i18n::t;
use crate::tui::keymap::{Action, Mode};

/// The help overlay's width in columns, frame included.
pub const HELP_WIDTH: u16 = 56;

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A section's name: "[Form]".
    Heading(String),
    /// Plain text (the parts of the header, which may not all fit there).
    Text(String),
    /// A key and what it does.
    Key(String, String),
}

impl State {
    /// The header's parts, most identifying first: the office's code, its name, who sits at
    /// the counter and their role in brackets.
    pub fn header_parts(&self) -> Vec<String> {
        let role = self
            .ctx
            .regulation
            .role(&self.ctx.me.role)
            .map_or(self.ctx.me.role.clone(), |r| {
                r.name.get(self.lang).to_string()
            });
        vec![
            self.ctx.office.code.clone(),
            self.ctx.office.name.get(self.lang).to_string(),
            self.ctx.me.name.clone(),
            format!("({role})"),
        ]
        .into_iter()
        .map(|part| crate::domain::text::shown_safely(&part).into_owned())
        .collect()
    }

    /// Every line of the help overlay, for a terminal `columns` wide.
    pub fn help_lines(&self, columns: u16) -> Vec<HelpLine> {
        let inner = usize::from(HELP_WIDTH.min(columns).saturating_sub(2)).max(1);
        let parts = self.header_parts();
        let mut lines: Vec<HelpLine> = Vec::new();
        // The header leaves out what does not fit whole; here it is all, wrapped.
        for text in [parts[..2].join(" · "), parts[2..].join(" ")] {
            lines.extend(
                crate::domain::receipt::wrap(&text, inner)
                    .into_iter()
                    .map(HelpLine::Text),
            );
        }
        let mode = self.mode_without_help();
        for (section, mode) in [(mode.id(), mode), ("global", Mode::Global)] {
            let key = format!("mode.{section}");
            lines.push(HelpLine::Heading(format!("[{}]", t(self.lang, &key))));
            for (chord, action) in self.keymap.bindings(mode) {
                lines.push(HelpLine::Key(
                    chord.to_string(),
                    t(self.lang, &format!("action.{}", action.id())).to_string(),
                ));
            }
        }
        lines
    }

    /// The farthest the help scrolls: its last screenful in sight, so Up moves at once.
    pub fn help_last_scroll(&self) -> u16 {
        let (columns, rows) = self.size.unwrap_or((HELP_WIDTH, 3));
        let total = self.help_lines(columns).len() as u16;
        // The overlay takes the rows between the header and the status line, less its frame.
        total.saturating_sub(rows.saturating_sub(4).max(1))
    }

    pub(super) fn help_action(&mut self, action: Action) {
        let last = self.help_last_scroll();
        self.help_scroll = match action {
            Action::Back => {
                self.help = false;
                return;
            }
            Action::Up => self.help_scroll.saturating_sub(1),
            Action::Down => self.help_scroll.saturating_add(1),
            Action::PageUp => self.help_scroll.saturating_sub(10),
            Action::PageDown => self.help_scroll.saturating_add(10),
            _ => self.help_scroll,
        }
        .min(last);
    }
}
