//! The receipt preview of one case: exactly the text that goes to the printer; printing and
//! voiding.

use super::{ask, DialogKind, Effect, Screen, State, Tone};
use crate::domain::case::Case;
use crate::domain::lifecycle::{decide_receipt, LifecycleError, ReceiptCommand};
use crate::service::{Failure, PrintFailure};
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
        self.say(Tone::Info, |s| s.t("msg.printing"));
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
            Action::Down => {
                self.receipt.scroll = (self.receipt.scroll + 1).min(self.receipt_last_scroll());
            }
            Action::PageUp => self.receipt.scroll = self.receipt.scroll.saturating_sub(10),
            Action::PageDown => {
                self.receipt.scroll = (self.receipt.scroll + 10).min(self.receipt_last_scroll());
            }
            // A voided receipt is never put on paper again, nor voided twice.
            Action::Print | Action::Void if self.receipt_voided() => {
                self.say(Tone::Bad, |s| s.t("receipt.voided_no_print"));
            }
            Action::Print if self.receipt.printing => {
                self.say(Tone::Info, |s| s.t("msg.printing"));
            }
            Action::Print => return self.print_receipt(),
            Action::Void if self.receipt.case.is_some() => {
                self.open_dialog(DialogKind::VoidReason, "prompt.reason", Vec::new());
            }
            Action::Back if self.receipt_unprinted() => {
                // A receipt the applicant has not got yet: leaving is asked, staying is first.
                let choices = vec![
                    ("stay".to_string(), self.t("choice.stay")),
                    ("print".to_string(), self.t("action.print")),
                    ("leave".to_string(), self.t("choice.leave_unprinted")),
                ];
                self.open_dialog(
                    DialogKind::LeaveUnprinted,
                    "confirm.leave_unprinted",
                    choices,
                );
            }
            Action::Back => return self.leave_receipt(),
            _ => {}
        }
        Vec::new()
    }

    /// The farthest the preview scrolls: its last screenful in sight, so Up moves at once.
    fn receipt_last_scroll(&self) -> u16 {
        let total = self.receipt.lines.len() as u16;
        match self.size {
            // The screen's rows less the header, the status line, the countdown pane and the
            // preview's frame, as the view lays them out.
            Some((_, rows)) => {
                let pane = if rows >= 30 {
                    10
                } else if rows >= 20 {
                    6
                } else {
                    4
                };
                total.saturating_sub(rows.saturating_sub(1 + 1 + pane + 2).max(1))
            }
            None => total.saturating_sub(1),
        }
    }

    /// Whether the receipt on screen is voided.
    pub fn receipt_voided(&self) -> bool {
        self.receipt
            .case
            .as_ref()
            .is_some_and(|case| case.receipt.voided.is_some())
    }

    /// Whether the receipt on screen was never printed (nor voided, nor printing now).
    fn receipt_unprinted(&self) -> bool {
        self.receipt.case.as_ref().is_some_and(|case| {
            case.receipt.printed == 0 && case.receipt.voided.is_none() && !self.receipt.printing
        })
    }

    fn leave_receipt(&mut self) -> Vec<Effect> {
        let screen = self.receipt.return_to.take().unwrap_or(Screen::Queue);
        self.return_to(screen)
    }

    /// The answer to "this receipt was not printed".
    pub(super) fn leave_unprinted_choice(&mut self, choice: Option<String>) -> Vec<Effect> {
        match choice.as_deref() {
            Some("print") => self.print_receipt(),
            Some("leave") => {
                let number = self
                    .receipt
                    .case
                    .as_ref()
                    .map_or(String::new(), |c| c.receipt_no.to_string());
                let effects = self.leave_receipt();
                // Said where the clerk lands, so the unprinted receipt is not forgotten.
                self.say(Tone::Bad, move |s| {
                    s.t("msg.left_unprinted").replace("{number}", &number)
                });
                effects
            }
            _ => Vec::new(),
        }
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
            None => {
                let number = case.receipt_no.to_string();
                self.say(Tone::Good, move |s| {
                    format!(
                        "{} {number}{}",
                        s.t("msg.printed"),
                        if duplicate {
                            format!(" ({})", s.t("receipt.duplicate"))
                        } else {
                            String::new()
                        }
                    )
                });
            }
            Some(error) => self.say(Tone::Bad, move |s| s.print_failure_text(&error)),
        }
        let request = receipt_text_request(&case);
        self.receipt.case = Some(*case);
        vec![request]
    }

    fn print_failed(&mut self, failure: Failure) -> Vec<Effect> {
        self.receipt.printing = false;
        self.say(Tone::Bad, move |s| {
            format!("{}: {}", s.t("msg.print_failed"), s.failure_text(&failure))
        });
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
            self.say(Tone::Bad, move |s| s.t(key));
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
        let number = case.receipt_no.to_string();
        self.say(Tone::Good, move |s| {
            format!("{}: {number}", s.t("status.voided"))
        });
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
