//! The receipt preview of one case: exactly the text that goes to the printer; printing and
//! voiding.

use super::{ask, DialogKind, Effect, Screen, State, Tone};
use crate::domain::case::Case;
use crate::domain::lifecycle::{decide_receipt, LifecycleError, ReceiptCommand};
use crate::service::PrintFailure;
use crate::service::{Request, Response};
use crate::tui::keymap::{Action, Mode};

#[derive(Debug, Clone, Default)]
pub struct ReceiptModel {
    pub case: Option<Case>,
    pub lines: Vec<String>,
    pub scroll: u16,
    /// Where Esc returns: the queue after an intake, the case it was opened from otherwise.
    pub return_to: Option<Screen>,
    /// A print is on its way; another F5 waits for it.
    pub printing: bool,
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

    /// Sends the receipt on screen to the printer.
    pub(super) fn print_receipt(&mut self) -> Vec<Effect> {
        let Some(case) = &self.receipt.case else {
            return Vec::new();
        };
        let request = Request::PrintReceipt {
            case: case.id.to_string(),
        };
        self.receipt.printing = true;
        self.say(Tone::Info, self.t("msg.printing"));
        vec![self.ask_once_or(request, State::printed, State::print_failed)]
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
            Action::Print if self.receipt.printing => {
                self.say(Tone::Info, self.t("msg.printing"));
            }
            Action::Print => return self.print_receipt(),
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
        self.receipt.printing = false;
        match error {
            None => self.say(
                Tone::Good,
                format!(
                    "{} {}{}",
                    self.t("msg.printed"),
                    case.receipt_no,
                    if duplicate {
                        format!(" ({})", self.t("receipt.duplicate"))
                    } else {
                        String::new()
                    }
                ),
            ),
            Some(error) => {
                let text = self.print_failure_text(&error);
                self.say(Tone::Bad, text);
            }
        }
        let request = receipt_text_request(&case);
        self.receipt.case = Some(*case);
        vec![request]
    }

    fn print_failed(&mut self, error: String) -> Vec<Effect> {
        self.receipt.printing = false;
        let text = format!("{}: {error}", self.t("msg.print_failed"));
        self.say(Tone::Bad, text);
        Vec::new()
    }

    /// What went wrong with the printer and what to do, in the clerk's language.
    pub fn print_failure_text(&self, error: &str) -> String {
        let key = match PrintFailure::of_message(error) {
            PrintFailure::NotFound => "print.not_found",
            PrintFailure::TimedOut => "print.timed_out",
            PrintFailure::Failed => "print.failed",
        };
        let print_key = self
            .keymap
            .key_for(Mode::Receipt, Action::Print)
            .map_or(String::new(), |k| k.to_string());
        self.t(key).replace("{key}", &print_key)
    }

    pub(super) fn void_reason_given(&mut self, reason: String) -> Vec<Effect> {
        let Some(case) = self.receipt.case.clone() else {
            return Vec::new();
        };
        // The domain's own rule, asked here first so its refusals are said in the clerk's
        // language; the core decides again when it stores the void.
        let command = ReceiptCommand::Void {
            reason: reason.clone(),
        };
        let check = decide_receipt(
            &self.ctx.regulation,
            &case,
            &self.ctx.actor(),
            self.now.max(case.updated_at),
            &command,
        );
        let refusal = match check {
            Err(LifecycleError::VoidReasonMissing) => {
                // The dialog stays, with what it still needs.
                self.open_dialog(DialogKind::VoidReason, "prompt.reason", Vec::new());
                Some("void.reason_empty")
            }
            Err(LifecycleError::AlreadyVoided) => Some("void.already"),
            Err(LifecycleError::TooLateToVoid) => Some("void.too_late"),
            Err(LifecycleError::NotAllowed { .. }) => Some("void.not_allowed"),
            _ => None,
        };
        if let Some(key) = refusal {
            self.say(Tone::Bad, self.t(key));
            return Vec::new();
        }
        let request = Request::VoidReceipt {
            case: case.id.to_string(),
            reason,
        };
        vec![self.ask_once(request, State::voided)]
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
