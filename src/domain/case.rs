//! A case and its events: the case is the fold of its events, nothing else.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::intake::Intake;
use super::receipt_no::ReceiptNo;
use super::regulation::Action;
use crate::calendar::WorkDuration;

pub type CaseId = u64;

/// Who acts: a staff member in a role at an office.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub staff_id: String,
    pub role: String,
    pub office: String,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepOutcome {
    Done(Action),
    ReturnedForRework,
    /// The receipt was voided while the step was open.
    Voided,
}

/// One step as it ran: who, start, deadline, finish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Index of the step in its channel's route.
    pub index: usize,
    pub step_id: String,
    /// The staff member the step is assigned to (the executor), if any.
    pub assignee: Option<String>,
    #[serde(with = "super::instant_serde")]
    pub started_at: DateTime<Utc>,
    #[serde(with = "super::instant_serde")]
    pub deadline: DateTime<Utc>,
    #[serde(with = "super::instant_serde::option")]
    pub finished_at: Option<DateTime<Utc>>,
    pub finished_by: Option<String>,
    pub outcome: Option<StepOutcome>,
}

/// The acceptance window at the counter: when intake opened, its limit, and any overrun.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptanceWindow {
    #[serde(with = "super::instant_serde")]
    pub opened_at: DateTime<Utc>,
    #[serde(with = "super::instant_serde")]
    pub closed_at: DateTime<Utc>,
    pub limit: WorkDuration,
    #[serde(with = "super::instant_serde")]
    pub deadline: DateTime<Utc>,
    /// Working seconds past the deadline; 0 within the window.
    pub overrun_seconds: i64,
}

/// The result kind recorded by the executor or head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseResult {
    pub kind: String,
    /// Art. 19-1 ground of a refusal.
    pub ground: Option<String>,
}

/// Everything that can happen to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseEvent {
    Accepted {
        receipt_no: ReceiptNo,
        intake: Intake,
        window: AcceptanceWindow,
        /// The steps as they stand after acceptance (finished ones included).
        steps: Vec<StepRecord>,
    },
    RefusedToAccept {
        receipt_no: ReceiptNo,
        intake: Intake,
        window: AcceptanceWindow,
        missing: Vec<String>,
    },
    StepFinished {
        action: Action,
        /// The step that starts next; `None` when the route is complete.
        next: Option<StepRecord>,
    },
    ReturnedForRework {
        reason: String,
        next: StepRecord,
    },
    ResultRecorded(CaseResult),
    /// The receipt went to the printer; every print after the first is a duplicate.
    ReceiptPrinted {
        duplicate: bool,
    },
    /// The printer failed: the number stays, the receipt is marked unprinted.
    ReceiptPrintFailed {
        error: String,
    },
    /// The receipt is voided: the number stays used, with the reason; the case is closed.
    ReceiptVoided {
        reason: String,
    },
}

/// An event with who did it and when: the unit of the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    pub case_id: CaseId,
    pub actor: Actor,
    #[serde(with = "super::instant_serde")]
    pub at: DateTime<Utc>,
    pub event: CaseEvent,
}

/// SHA-256 of a logged event's bytes, chained to the event before it: what proves a record
/// unchanged.
pub type EventHash = [u8; 32];

/// An event as logged: its place in the log, its hash and the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent {
    pub seq: u64,
    pub hash: EventHash,
    pub record: EventRecord,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseStatus {
    InProgress,
    Completed,
    RefusedToAccept { missing: Vec<String> },
    Voided { reason: String },
}

/// What happened to the paper receipt of a case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptState {
    /// Successful prints; the first is the original, the rest duplicates.
    pub printed: u32,
    pub last_print_error: Option<String>,
    pub voided: Option<String>,
}

/// The current state of a case, folded from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub receipt_no: ReceiptNo,
    pub office: String,
    pub intake: Intake,
    pub window: AcceptanceWindow,
    pub accepted_by: String,
    pub status: CaseStatus,
    pub steps: Vec<StepRecord>,
    pub result: Option<CaseResult>,
    pub receipt: ReceiptState,
    /// When the case last changed.
    #[serde(with = "super::instant_serde")]
    pub updated_at: DateTime<Utc>,
}

/// A case without its intake: what changes after acceptance. The store keeps the intake apart
/// (written once) so that each step rewrites only this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseState {
    pub id: CaseId,
    pub receipt_no: ReceiptNo,
    pub office: String,
    /// The intake's channel, kept here too: totals need it without reading the intake.
    pub channel: String,
    pub window: AcceptanceWindow,
    pub accepted_by: String,
    pub status: CaseStatus,
    pub steps: Vec<StepRecord>,
    pub result: Option<CaseResult>,
    pub receipt: ReceiptState,
    #[serde(with = "super::instant_serde")]
    pub updated_at: DateTime<Utc>,
}

impl CaseState {
    pub fn is_open(&self) -> bool {
        matches!(self.status, CaseStatus::InProgress)
            && self.steps.last().is_some_and(|s| s.finished_at.is_none())
    }

    /// The whole case again.
    pub fn join(self, intake: Intake) -> Case {
        Case {
            id: self.id,
            receipt_no: self.receipt_no,
            office: self.office,
            intake,
            window: self.window,
            accepted_by: self.accepted_by,
            status: self.status,
            steps: self.steps,
            result: self.result,
            receipt: self.receipt,
            updated_at: self.updated_at,
        }
    }
}

impl Case {
    /// The state without the intake.
    pub fn state(&self) -> CaseState {
        CaseState {
            id: self.id,
            receipt_no: self.receipt_no.clone(),
            office: self.office.clone(),
            channel: self.intake.channel.clone(),
            window: self.window.clone(),
            accepted_by: self.accepted_by.clone(),
            status: self.status.clone(),
            steps: self.steps.clone(),
            result: self.result.clone(),
            receipt: self.receipt.clone(),
            updated_at: self.updated_at,
        }
    }

    /// The step in progress, if the case is open.
    pub fn current_step(&self) -> Option<&StepRecord> {
        match self.status {
            CaseStatus::InProgress => self.steps.last().filter(|s| s.finished_at.is_none()),
            _ => None,
        }
    }

    pub fn is_open(&self) -> bool {
        self.current_step().is_some()
    }

    /// Folds one event into the case; the first event must create it.
    pub fn apply(case: Option<Case>, record: &EventRecord) -> Option<Case> {
        let opened =
            |receipt_no: &ReceiptNo, intake: &Intake, window: &AcceptanceWindow, status, steps| {
                Case {
                    id: record.case_id,
                    receipt_no: receipt_no.clone(),
                    office: record.actor.office.clone(),
                    intake: intake.clone(),
                    window: window.clone(),
                    accepted_by: record.actor.staff_id.clone(),
                    status,
                    steps,
                    result: None,
                    receipt: ReceiptState::default(),
                    updated_at: record.at,
                }
            };
        match (&record.event, case) {
            (
                CaseEvent::Accepted {
                    receipt_no,
                    intake,
                    window,
                    steps,
                },
                None,
            ) => Some(opened(
                receipt_no,
                intake,
                window,
                CaseStatus::InProgress,
                steps.clone(),
            )),
            (
                CaseEvent::RefusedToAccept {
                    receipt_no,
                    intake,
                    window,
                    missing,
                },
                None,
            ) => Some(opened(
                receipt_no,
                intake,
                window,
                CaseStatus::RefusedToAccept {
                    missing: missing.clone(),
                },
                Vec::new(),
            )),
            (CaseEvent::StepFinished { action, next }, Some(mut case)) => {
                case.finish_current(record, StepOutcome::Done(*action));
                match next {
                    Some(next) => case.steps.push(next.clone()),
                    None => case.status = CaseStatus::Completed,
                }
                case.updated_at = record.at;
                Some(case)
            }
            (CaseEvent::ReturnedForRework { next, .. }, Some(mut case)) => {
                case.finish_current(record, StepOutcome::ReturnedForRework);
                case.steps.push(next.clone());
                case.updated_at = record.at;
                Some(case)
            }
            (CaseEvent::ResultRecorded(result), Some(mut case)) => {
                case.result = Some(result.clone());
                case.updated_at = record.at;
                Some(case)
            }
            (CaseEvent::ReceiptPrinted { .. }, Some(mut case)) => {
                case.receipt.printed += 1;
                case.receipt.last_print_error = None;
                case.updated_at = record.at;
                Some(case)
            }
            (CaseEvent::ReceiptPrintFailed { error }, Some(mut case)) => {
                case.receipt.last_print_error = Some(error.clone());
                case.updated_at = record.at;
                Some(case)
            }
            (CaseEvent::ReceiptVoided { reason }, Some(mut case)) => {
                case.finish_current(record, StepOutcome::Voided);
                case.receipt.voided = Some(reason.clone());
                case.status = CaseStatus::Voided {
                    reason: reason.clone(),
                };
                case.updated_at = record.at;
                Some(case)
            }
            // An event that cannot apply leaves the case as it was; `decide` never produces one.
            (_, case) => case,
        }
    }

    fn finish_current(&mut self, record: &EventRecord, outcome: StepOutcome) {
        if let Some(step) = self.steps.last_mut().filter(|s| s.finished_at.is_none()) {
            step.finished_at = Some(record.at);
            step.finished_by = Some(record.actor.staff_id.clone());
            step.outcome = Some(outcome);
        }
    }

    /// Folds a whole history.
    pub fn from_events<'a>(records: impl IntoIterator<Item = &'a EventRecord>) -> Option<Case> {
        records.into_iter().fold(None, Case::apply)
    }
}

impl Case {
    /// The invariants every case keeps, whatever commands it received: steps in route order,
    /// each finished before the next starts, never going back in time, status consistent.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut last_time = self.window.opened_at;
        for (i, step) in self.steps.iter().enumerate() {
            if step.started_at < last_time {
                return Err(format!(
                    "step {i} ({}) starts before the step before it ends",
                    step.step_id
                ));
            }
            // A step returned for rework keeps its first deadline, which may have passed by then.
            let carried = self.steps[..i].iter().any(|earlier| {
                earlier.step_id == step.step_id && earlier.deadline == step.deadline
            });
            if step.deadline < step.started_at && !carried {
                return Err(format!("step {i} has its deadline before its start"));
            }
            match step.finished_at {
                Some(finished) if finished < step.started_at => {
                    return Err(format!("step {i} finishes before it starts"));
                }
                Some(finished) => last_time = finished,
                None if i + 1 != self.steps.len() => {
                    return Err(format!("step {i} is unfinished but is not the last"));
                }
                None => last_time = step.started_at,
            }
            if step.finished_at.is_some() != step.outcome.is_some()
                || step.finished_at.is_some() != step.finished_by.is_some()
            {
                return Err(format!("step {i} is half finished"));
            }
        }
        if last_time > self.updated_at {
            return Err("a step is later than the case's last change".into());
        }
        let open = self.steps.last().is_some_and(|s| s.finished_at.is_none());
        match &self.status {
            CaseStatus::InProgress if !open => Err("in progress without an open step".into()),
            CaseStatus::Completed if open => Err("completed with an open step".into()),
            CaseStatus::RefusedToAccept { missing }
                if missing.is_empty() || !self.steps.is_empty() =>
            {
                Err("refused to accept without missing documents, or with steps".into())
            }
            _ => Ok(()),
        }
    }
}
