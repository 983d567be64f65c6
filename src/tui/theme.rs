//! Colours (16 named ANSI colours only), symbols and borders. Meaning never by colour alone:
//! every state has a symbol too.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use super::countdown::Urgency;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub high_contrast: bool,
    /// ASCII borders and symbols, for terminals without box characters (TERM=linux).
    pub ascii: bool,
}

impl Theme {
    pub fn base(&self) -> Style {
        Style::default()
    }

    pub fn header(&self) -> Style {
        if self.high_contrast {
            Style::default()
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(Color::White).bg(Color::Blue)
        }
    }

    pub fn status(&self) -> Style {
        if self.high_contrast {
            Style::default()
                .fg(Color::White)
                .bg(Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(Color::Black).bg(Color::Gray)
        }
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn focused(&self) -> Style {
        if self.high_contrast {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        }
    }

    pub fn dim(&self) -> Style {
        if self.high_contrast {
            Style::default()
        } else {
            Style::default().fg(Color::DarkGray)
        }
    }

    pub fn error(&self) -> Style {
        Style::default()
            .fg(if self.high_contrast {
                Color::LightRed
            } else {
                Color::Red
            })
            .add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        Style::default().fg(if self.high_contrast {
            Color::LightGreen
        } else {
            Color::Green
        })
    }

    pub fn urgency(&self, urgency: Urgency) -> Style {
        let bright = self.high_contrast;
        match urgency {
            Urgency::OnTrack => Style::default().fg(if bright {
                Color::LightGreen
            } else {
                Color::Green
            }),
            Urgency::DueSoon => Style::default()
                .fg(if bright {
                    Color::LightYellow
                } else {
                    Color::Yellow
                })
                .add_modifier(Modifier::BOLD),
            Urgency::Overdue => Style::default()
                .fg(if bright { Color::LightRed } else { Color::Red })
                .add_modifier(Modifier::BOLD),
            Urgency::Paused => Style::default().fg(if bright {
                Color::LightCyan
            } else {
                Color::Cyan
            }),
        }
    }

    pub fn symbol(&self, urgency: Urgency) -> &'static str {
        match (urgency, self.ascii) {
            (Urgency::OnTrack, false) => "✓",
            (Urgency::DueSoon, false) => "!",
            (Urgency::Overdue, false) => "✗",
            (Urgency::Paused, false) => "‖",
            (Urgency::OnTrack, true) => "+",
            (Urgency::DueSoon, true) => "!",
            (Urgency::Overdue, true) => "X",
            (Urgency::Paused, true) => "=",
        }
    }

    pub fn check(&self, ticked: bool) -> &'static str {
        match (ticked, self.ascii) {
            (true, false) => "[✓]",
            (false, false) => "[ ]",
            (true, true) => "[x]",
            (false, true) => "[ ]",
        }
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.ascii {
            border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            }
        } else {
            border::PLAIN
        }
    }
}
