//! The receipt preview of one case: exactly the text that goes to the printer; printing and
//! voiding.

use super::{ask, DialogKind, Effect, Screen, State, Tone};
use crate::domain::case::Case;
use crate::service::{Request, Response};
use crate::tui::keymap::Action;

#[derive(Debug, Clone, Default)]
pub struct ReceiptModel {
    pub case: Option<Case>,
    pub lines: Vec<String>,
    pub scroll: u16,
    /// Where Esc returns: the queue after an intake, the case it was opened from otherwise.
    pub return_to: Option<Screen>,
}

impl State {
    pub(super) fn show_receipt(&mut self, case: Case) -> Vec<Effect> {
        let request = receipt_text_request(&case);
        self.receipt.case = Some(case);
        self.receipt.scroll = 0;
        self.receipt.return_to = Some(match self.screen {
            Screen::Intake | Screen::Queue => Screen::Queue,
            other => other,
        });
        self.screen = Screen::Receipt;
        vec![request]
    }

    fn receipt_text_loaded(&mut self, response: Response) -> Vec<Effect> {
        let Response::Text(lines) = response else {
            return self.unexpected(&response);
        };
        self.receipt.lines = lines;
        Vec::new()
    }

    pub(super) fn receipt_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Up => self.receipt.scroll = self.receipt.scroll.saturating_sub(1),
            Action::Down => self.receipt.scroll = self.receipt.scroll.saturating_add(1),
            Action::Print => {
                if let Some(case) = &self.receipt.case {
                    return vec![ask(
                        Request::PrintReceipt {
                            case: case.id.to_string(),
                        },
                        State::printed,
                    )];
                }
            }
            Action::Void if self.receipt.case.is_some() => {
                self.open_dialog(DialogKind::VoidReason, "prompt.reason", Vec::new());
            }
            Action::Back => {
                let screen = self.receipt.return_to.take().unwrap_or(Screen::Queue);
                return self.return_to(screen);
            }
            _ => {}
        }
        Vec::new()
    }

    fn printed(&mut self, response: Response) -> Vec<Effect> {
        let Response::Printed {
            case,
            duplicate,
            error,
        } = response
        else {
            return self.unexpected(&response);
        };
        match error {
            None => self.say(
                Tone::Good,
                format!(
                    "{} {}{}",
                    self.t("msg.printed"),
                    case.receipt_no,
                    if duplicate { " (DUPLICATE)" } else { "" }
                ),
            ),
            Some(error) => self.say(
                Tone::Bad,
                format!("{}: {error}", self.t("msg.print_failed")),
            ),
        }
        let request = receipt_text_request(&case);
        self.receipt.case = Some(*case);
        vec![request]
    }

    pub(super) fn void_reason_given(&mut self, reason: String) -> Vec<Effect> {
        match &self.receipt.case {
            Some(case) => vec![ask(
                Request::VoidReceipt {
                    case: case.id.to_string(),
                    reason,
                },
                State::voided,
            )],
            None => Vec::new(),
        }
    }

    fn voided(&mut self, response: Response) -> Vec<Effect> {
        let Response::Case(case) = response else {
            return self.unexpected(&response);
        };
        self.say(
            Tone::Good,
            format!("{}: {}", self.t("status.voided"), case.receipt_no),
        );
        let request = receipt_text_request(&case);
        self.receipt.case = Some(*case);
        vec![request, self.mine_request()]
    }
}

/// The receipt's text as the preview shows it (the roll's width).
fn receipt_text_request(case: &Case) -> Effect {
    ask(
        Request::ReceiptText {
            case: case.id.to_string(),
            width: crate::domain::receipt::ROLL_WIDTH,
        },
        State::receipt_text_loaded,
    )
}
