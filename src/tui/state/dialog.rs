//! The small dialog over a screen: a line of text, a choice, or a yes/no. Its answer goes to
//! the screen that opened it.

use super::{Effect, State};
use crate::domain::case::CaseId;
use crate::domain::regulation::Action as StepAction;
use crate::tui::keymap::Action;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogKind {
    Arrival,
    Search,
    ConfirmRefusal,
    Executor,
    ReworkReason,
    ResultKind,
    Ground {
        kind: String,
    },
    VoidReason,
    /// Another person's form is on screen and someone is being called.
    FormHeld {
        call: Option<String>,
    },
    ConfirmClear,
    /// Esc on a receipt never printed.
    LeaveUnprinted,
    /// A step about to be recorded on a case: "Back" first, so a stray key records nothing.
    ConfirmStep {
        case: CaseId,
        action: StepAction,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub kind: DialogKind,
    pub title: String,
    pub input: String,
    /// (id, label) to choose from; empty for free text.
    pub choices: Vec<(String, String)>,
    pub selected: usize,
}

impl Dialog {
    /// Whether typing goes into the dialog's input line.
    pub fn takes_text(&self) -> bool {
        self.kind != DialogKind::ConfirmRefusal
            && (self.choices.is_empty() || self.kind == DialogKind::Arrival)
    }
}

/// Longest text a dialog line takes.
const INPUT_LIMIT: usize = 200;

impl State {
    pub(super) fn open_dialog(
        &mut self,
        kind: DialogKind,
        title_key: &str,
        choices: Vec<(String, String)>,
    ) {
        let title = self.t(title_key);
        self.open_dialog_asking(kind, title, choices);
    }

    /// A dialog whose question is written out here (it names things, not only a text key).
    pub(super) fn open_dialog_asking(
        &mut self,
        kind: DialogKind,
        title: String,
        choices: Vec<(String, String)>,
    ) {
        self.dialog = Some(Dialog {
            kind,
            title,
            input: String::new(),
            choices,
            selected: 0,
        });
    }

    pub(super) fn type_into_dialog(&mut self, c: char) -> Vec<Effect> {
        let Some(dialog) = &mut self.dialog else {
            return Vec::new();
        };
        if !dialog.takes_text() || dialog.input.chars().count() >= INPUT_LIMIT {
            return Vec::new();
        }
        // The core refuses these in every text it is sent: kept out here, and said.
        if let Some(kind) = crate::domain::text::unsafe_kind(c) {
            self.say_left_out(kind, u32::from(c));
            return Vec::new();
        }
        dialog.input.push(c);
        if dialog.kind == DialogKind::Search {
            let text = dialog.input.clone();
            return self.search_typed(&text);
        }
        Vec::new()
    }

    pub(super) fn dialog_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(dialog) = &mut self.dialog else {
            return Vec::new();
        };
        match action {
            Action::Confirm => self.confirm_dialog(),
            Action::Cancel | Action::Back => {
                self.dialog = None;
                Vec::new()
            }
            Action::Erase => {
                dialog.input.pop();
                if dialog.kind == DialogKind::Search {
                    let text = dialog.input.clone();
                    return self.search_typed(&text);
                }
                Vec::new()
            }
            Action::Up => {
                dialog.selected = dialog.selected.saturating_sub(1);
                Vec::new()
            }
            Action::Down => {
                if dialog.selected + 1 < dialog.choices.len() {
                    dialog.selected += 1;
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Hands the dialog's answer to the screen that asked.
    fn confirm_dialog(&mut self) -> Vec<Effect> {
        let Some(dialog) = self.dialog.take() else {
            return Vec::new();
        };
        let choice = dialog.choices.get(dialog.selected).map(|c| c.0.clone());
        let input = dialog.input.trim().to_string();
        match dialog.kind {
            DialogKind::Arrival => self.register_arrival(input, choice),
            DialogKind::Search => self.search_confirmed(input),
            DialogKind::ConfirmRefusal if choice.as_deref() == Some("refuse") => {
                self.submit_intake(true)
            }
            DialogKind::ConfirmRefusal => Vec::new(),
            DialogKind::Executor => self.executor_chosen(choice),
            DialogKind::ReworkReason => self.rework_reason_given(input),
            DialogKind::ResultKind => self.result_kind_chosen(choice),
            DialogKind::Ground { kind } => self.ground_chosen(kind, choice),
            DialogKind::VoidReason => self.void_reason_given(input),
            DialogKind::FormHeld { call } => self.form_held_choice(call, choice),
            DialogKind::ConfirmClear => self.clear_confirmed(choice),
            DialogKind::LeaveUnprinted => self.leave_unprinted_choice(choice),
            DialogKind::ConfirmStep { case, action } => self.step_confirmed(case, action, choice),
        }
    }
}
