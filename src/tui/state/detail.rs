//! One case: its steps, history and the actions my role may take on it.

use super::{ask, DialogKind, Effect, Offer, State, Tone};
use crate::domain::case::StoredEvent;
use crate::domain::case::{Case, CaseId};
use crate::domain::lifecycle::{CaseCommand, LifecycleError};
use crate::domain::regulation::Action as StepAction;
use crate::service::{Failure, FailureKind, Request, Response};
use crate::tui::keymap::Action;

#[derive(Debug, Clone, Default)]
pub struct Detail {
    pub case: Option<Case>,
    pub history: Vec<StoredEvent>,
    pub explain: bool,
    pub scroll: u16,
}

impl State {
    fn detail_case(&self) -> Option<&Case> {
        self.detail.as_ref().and_then(|d| d.case.as_ref())
    }

    pub(super) fn open_detail(&mut self, case: Case) -> Vec<Effect> {
        let id = case.id.to_string();
        self.detail = Some(Detail {
            case: Some(case),
            ..Detail::default()
        });
        vec![ask(Request::History { case: id }, State::history_loaded)]
    }

    /// The open case and its history, asked again.
    pub(super) fn detail_refresh(&self) -> Vec<Effect> {
        let Some(case) = self.detail_case() else {
            return Vec::new();
        };
        let id = case.id.to_string();
        vec![
            ask(Request::GetCase { case: id.clone() }, State::detail_loaded),
            ask(Request::History { case: id }, State::history_loaded),
        ]
    }

    fn detail_loaded(&mut self, response: Response) -> Vec<Effect> {
        let Response::Case(case) = response else {
            return self.unexpected(&response);
        };
        if let Some(detail) = &mut self.detail {
            detail.case = Some(*case);
        }
        Vec::new()
    }

    fn history_loaded(&mut self, response: Response) -> Vec<Effect> {
        let Response::History(history) = response else {
            return self.unexpected(&response);
        };
        if let Some(detail) = &mut self.detail {
            detail.history = history;
        }
        Vec::new()
    }

    pub(super) fn detail_action(&mut self, action: Action) -> Vec<Effect> {
        let index = match action {
            Action::Action1 => Some(0),
            Action::Action2 => Some(1),
            Action::Action3 => Some(2),
            Action::Action4 => Some(3),
            Action::Action5 => Some(4),
            _ => None,
        };
        if let Some(index) = index {
            return self.take_offer(index);
        }
        let Some(detail) = &mut self.detail else {
            return Vec::new();
        };
        match action {
            Action::Back => {
                self.detail = None;
                return vec![self.list_request()];
            }
            Action::Search => return self.search_from_detail(),
            Action::Explain => detail.explain = !detail.explain,
            Action::Up => detail.scroll = detail.scroll.saturating_sub(1),
            Action::Down => detail.scroll = detail.scroll.saturating_add(1),
            Action::Print | Action::Void => {
                if let Some(case) = detail.case.clone() {
                    return self.show_receipt(case);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn case_command(&mut self, command: CaseCommand) -> Vec<Effect> {
        match self.detail_case() {
            Some(case) => {
                let request = Request::Act {
                    case: case.id.to_string(),
                    command,
                };
                vec![self.ask_once_or(request, State::case_acted, State::case_refused)]
            }
            None => Vec::new(),
        }
    }

    fn case_acted(&mut self, response: Response) -> Vec<Effect> {
        let Response::Case(case) = response else {
            return self.unexpected(&response);
        };
        let number = case.receipt_no.to_string();
        self.say(Tone::Good, move |s| {
            format!("{}: {number}", s.t("msg.done"))
        });
        if let Some(detail) = &mut self.detail {
            detail.case = Some(*case);
        }
        self.refresh(false)
    }

    /// A refused action: said in the clerk's language, and the case shown as it now is (another
    /// counter may have moved it since it was opened here).
    fn case_refused(&mut self, failure: Failure) -> Vec<Effect> {
        let now_at = match &failure.kind {
            FailureKind::Lifecycle(
                LifecycleError::WrongRole { step, .. }
                | LifecycleError::WrongStep { step, .. }
                | LifecycleError::NotAssignee { step, .. },
            ) => Some(step.as_str()),
            _ => None,
        };
        let shown_at = self
            .detail_case()
            .and_then(|case| case.current_step())
            .map(|step| step.step_id.as_str());
        match now_at {
            Some(step) if Some(step) != shown_at => {
                let step = step.to_string();
                self.say(Tone::Bad, move |s| s.t("fail.moved").replace("{a}", &step));
            }
            _ => self.say(Tone::Bad, move |s| s.failure_text(&failure)),
        }
        self.refresh(false)
    }

    fn take_offer(&mut self, index: usize) -> Vec<Effect> {
        let Some(case) = self.detail_case().cloned() else {
            return Vec::new();
        };
        let Some(offer) = self.offers(&case).get(index).cloned() else {
            return Vec::new();
        };
        match offer {
            Offer::Step(StepAction::AssignExecutor) => {
                let executors: Vec<(String, String)> = self
                    .ctx
                    .staff
                    .iter()
                    .filter(|s| s.role == "executor")
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect();
                self.open_dialog(DialogKind::Executor, "prompt.executor", executors);
                Vec::new()
            }
            Offer::Step(action) => {
                self.ask_before_recording(&case, action);
                Vec::new()
            }
            Offer::Rework => {
                self.open_dialog(DialogKind::ReworkReason, "prompt.reason", Vec::new());
                Vec::new()
            }
            Offer::RecordResult => {
                let lang = self.lang;
                let channel = self.ctx.regulation.channel(&case.intake.channel).ok();
                let choices = channel
                    .map(|c| {
                        c.results
                            .iter()
                            .filter_map(|id| self.ctx.regulation.result_kind(id))
                            .map(|r| (r.id.clone(), r.name.get(lang).to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                self.open_dialog(DialogKind::ResultKind, "prompt.result", choices);
                // A refusal is chosen knowingly: the cursor starts on the first result that is
                // not one, whatever order the regulation lists them in.
                let regulation = &self.ctx.regulation;
                if let Some(dialog) = &mut self.dialog {
                    dialog.selected = dialog
                        .choices
                        .iter()
                        .position(|(id, _)| {
                            regulation.result_kind(id).is_some_and(|r| !r.needs_ground)
                        })
                        .unwrap_or(0);
                }
                Vec::new()
            }
        }
    }

    /// A step is recorded only when chosen knowingly: the question names the action, the
    /// receipt and the applicant, and "Back" comes first, so a stray digit or Enter records
    /// nothing. The action's own number key does not confirm either: typed digits that miss the
    /// search (`000011`) would otherwise record the step.
    fn ask_before_recording(&mut self, case: &Case, action: StepAction) {
        let name = self.t(&format!("act.{}", action.id()));
        let question = self
            .t("confirm.step")
            .replace("{a}", &name)
            .replace("{n}", &case.receipt_no.to_string())
            .replace("{p}", &case.intake.applicant.name);
        let choices = vec![
            ("back".to_string(), self.t("choice.record_nothing")),
            (
                "record".to_string(),
                self.t("choice.record_step").replace("{a}", &name),
            ),
        ];
        self.open_dialog_asking(
            DialogKind::ConfirmStep {
                case: case.id,
                action,
            },
            question,
            choices,
        );
    }

    /// The answer to [`State::ask_before_recording`]: the step is recorded on "record" alone, and
    /// only on the case the question named.
    pub(super) fn step_confirmed(
        &mut self,
        case: CaseId,
        action: StepAction,
        choice: Option<String>,
    ) -> Vec<Effect> {
        if choice.as_deref() != Some("record") || self.detail_case().map(|c| c.id) != Some(case) {
            return Vec::new();
        }
        self.case_command(CaseCommand::Act {
            action,
            executor: None,
        })
    }

    pub(super) fn executor_chosen(&mut self, executor: Option<String>) -> Vec<Effect> {
        match executor {
            Some(executor) => self.case_command(CaseCommand::Act {
                action: StepAction::AssignExecutor,
                executor: Some(executor),
            }),
            None => Vec::new(),
        }
    }

    pub(super) fn rework_reason_given(&mut self, reason: String) -> Vec<Effect> {
        self.case_command(CaseCommand::ReturnForRework { reason })
    }

    pub(super) fn result_kind_chosen(&mut self, kind: Option<String>) -> Vec<Effect> {
        let Some(kind) = kind else {
            return Vec::new();
        };
        let needs_ground = self
            .ctx
            .regulation
            .result_kind(&kind)
            .is_some_and(|r| r.needs_ground);
        if !needs_ground {
            return self.case_command(CaseCommand::RecordResult { kind, ground: None });
        }
        let lang = self.lang;
        let grounds = self
            .ctx
            .regulation
            .file
            .refusal_grounds
            .iter()
            .map(|g| (g.id.clone(), g.name.get(lang).to_string()))
            .collect();
        self.open_dialog(DialogKind::Ground { kind }, "prompt.ground", grounds);
        Vec::new()
    }

    pub(super) fn ground_chosen(&mut self, kind: String, ground: Option<String>) -> Vec<Effect> {
        self.case_command(CaseCommand::RecordResult { kind, ground })
    }
}
