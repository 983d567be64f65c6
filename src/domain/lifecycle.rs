//! Commands on a case: who may do what, when, and the events that follow.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::case::{AcceptanceWindow, Actor, Case, CaseEvent, CaseResult, CaseStatus, StepRecord};
use super::intake::Intake;
use super::receipt_no::ReceiptNo;
use super::regulation::{Action, Channel, Regulation, Step};

/// A command on an existing case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseCommand {
    /// Finish the current step with its action; `assign-executor` names the executor.
    Act {
        action: Action,
        executor: Option<String>,
    },
    ReturnForRework {
        reason: String,
    },
    RecordResult {
        kind: String,
        ground: Option<String>,
    },
}

/// Why a command was refused; each says what the user can do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum LifecycleError {
    /// The case has no current step: `completed`, `refused` (to accept) or `voided`.
    #[error("the case is closed ({0}); nothing more can be done on it")]
    Closed(String),
    #[error("the case is at step {step}, which ends with `{expected}`, not `{requested}`")]
    WrongStep {
        step: String,
        expected: String,
        requested: String,
    },
    #[error("step {step} is for {}; you are signed in as {role}", .allowed.join(" or "))]
    WrongRole {
        step: String,
        allowed: Vec<String>,
        role: String,
    },
    #[error("step {step} is assigned to {assignee}; only they can act on it")]
    NotAssignee { step: String, assignee: String },
    #[error("name the executor to assign")]
    ExecutorMissing,
    #[error("step {0} cannot be returned for rework")]
    NoRework(String),
    #[error("the reason for rework is empty: say what must be redone")]
    ReasonMissing,
    #[error("record the result kind before `{0}`")]
    ResultRequired(String),
    #[error("the result cannot be recorded at step {0}")]
    ResultNotHere(String),
    #[error("unknown result `{0}`")]
    UnknownResult(String),
    #[error("result `{kind}` is not issued through channel `{channel}`")]
    ResultNotForChannel { kind: String, channel: String },
    #[error("a refusal needs its Art. 19-1 ground")]
    GroundMissing,
    #[error("unknown refusal ground `{0}`")]
    UnknownGround(String),
    #[error("the time {now} is before the case's last change at {last}")]
    TimeWentBack { now: String, last: String },
    #[error("unknown channel `{0}`")]
    UnknownChannel(String),
    #[error("the regulation changed: step {0} is no longer in the route")]
    StepGone(String),
    #[error("the receipt is already voided")]
    AlreadyVoided,
    #[error("the case has moved past acceptance; its receipt can no longer be voided")]
    TooLateToVoid,
    #[error("the reason for voiding is empty: say why the receipt is void")]
    VoidReasonMissing,
    #[error("the reason {0}")]
    UnsafeReason(String),
    #[error("the reason is {0} characters long; at most {MAX_REASON_CHARS} are allowed")]
    ReasonTooLong(usize),
    #[error("only {} may do this; you are signed in as {role}", .allowed.join(" or "))]
    NotAllowed { allowed: Vec<String>, role: String },
    /// The working calendar cannot count a deadline (an instant outside the years it holds);
    /// the command is refused rather than recording a wrong deadline.
    #[error("{0}; check the clock, or extend the calendar")]
    Uncountable(String),
}

/// How a case without a current step ended, as [`LifecycleError::Closed`] names it.
fn closed_as(status: &CaseStatus) -> &'static str {
    match status {
        CaseStatus::Completed => "completed",
        CaseStatus::RefusedToAccept { .. } => "refused",
        CaseStatus::Voided { .. } => "voided",
        // A case in progress always has a current step; said plainly should that ever change.
        CaseStatus::InProgress => "in progress",
    }
}

/// Longest reason (for a void, a rework) accepted, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// A reason as it will be kept: trimmed, of a sane length, without characters that would act on
/// the screens of the colleagues who read it.
fn checked_reason(reason: &str) -> Result<&str, LifecycleError> {
    let reason = reason.trim();
    if let Some(found) = super::text::find_unsafe(reason) {
        return Err(LifecycleError::UnsafeReason(found.to_string()));
    }
    let chars = reason.chars().count();
    if chars > MAX_REASON_CHARS {
        return Err(LifecycleError::ReasonTooLong(chars));
    }
    Ok(reason)
}

/// What happens to the paper receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReceiptCommand {
    Printed,
    PrintFailed { error: String },
    Void { reason: String },
}

/// Roles that handle a case's receipt: those of the channel's first step, and the head.
fn receipt_roles(regulation: &Regulation, case: &Case) -> Vec<String> {
    let mut roles = regulation
        .channel(&case.intake.channel)
        .ok()
        .and_then(|c| c.steps.first())
        .map(|s| s.roles.clone())
        .unwrap_or_default();
    roles.push("head".into());
    roles
}

/// Decides a print result or a void.
pub fn decide_receipt(
    regulation: &Regulation,
    case: &Case,
    actor: &Actor,
    now: DateTime<Utc>,
    command: &ReceiptCommand,
) -> Result<CaseEvent, LifecycleError> {
    if now < case.updated_at {
        return Err(LifecycleError::TimeWentBack {
            now: now.to_rfc3339(),
            last: case.updated_at.to_rfc3339(),
        });
    }
    let roles = receipt_roles(regulation, case);
    if !roles.contains(&actor.role) {
        return Err(LifecycleError::NotAllowed {
            allowed: roles,
            role: actor.role.clone(),
        });
    }
    if case.receipt.voided.is_some() {
        return Err(LifecycleError::AlreadyVoided);
    }
    match command {
        ReceiptCommand::Printed => Ok(CaseEvent::ReceiptPrinted {
            duplicate: case.receipt.printed > 0,
        }),
        ReceiptCommand::PrintFailed { error } => Ok(CaseEvent::ReceiptPrintFailed {
            error: error.clone(),
        }),
        ReceiptCommand::Void { reason } => {
            let reason = checked_reason(reason)?;
            if reason.is_empty() {
                return Err(LifecycleError::VoidReasonMissing);
            }
            let only_accepted = case.steps.iter().all(|s| {
                s.finished_at.is_none()
                    || s.outcome == Some(super::case::StepOutcome::Done(Action::Accept))
            });
            let voidable = match case.status {
                super::case::CaseStatus::RefusedToAccept { .. } => true,
                super::case::CaseStatus::InProgress => only_accepted,
                _ => false,
            };
            if !voidable {
                return Err(LifecycleError::TooLateToVoid);
            }
            Ok(CaseEvent::ReceiptVoided {
                reason: reason.to_string(),
            })
        }
    }
}

/// Whether `actor` may act on the case's current step at all: their role is one of the step's,
/// and an executor acts only on a step assigned to them. `decide` and the screens' offers both
/// ask this, so the rule is written once.
fn may_act(step: &Step, current: &StepRecord, actor: &Actor) -> Result<(), LifecycleError> {
    role_check(step, actor)?;
    if let Some(assignee) = &current.assignee {
        if actor.role == "executor" && *assignee != actor.staff_id {
            return Err(LifecycleError::NotAssignee {
                step: step.id.clone(),
                assignee: assignee.clone(),
            });
        }
    }
    Ok(())
}

/// Something the actor may do on a case's current step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// Finish the step with its action.
    Step(Action),
    RecordResult,
    Rework,
}

impl Offer {
    /// The message key naming the offer (`act.<action>`).
    pub fn key(&self) -> String {
        match self {
            Offer::Step(a) => format!("act.{}", a.id()),
            Offer::Rework => "act.return-for-rework".into(),
            Offer::RecordResult => "act.record-result".into(),
        }
    }
}

/// What `actor` may do on the case now, in the order the screens number them: finishing the
/// step first, then recording the result, then returning for rework. Empty when the case is
/// closed or the step is someone else's.
pub fn offers(regulation: &Regulation, case: &Case, actor: &Actor) -> Vec<Offer> {
    let Some(current) = case.current_step() else {
        return Vec::new();
    };
    let Ok(channel) = regulation.channel(&case.intake.channel) else {
        return Vec::new();
    };
    let Some(step) = channel.steps.get(current.index) else {
        return Vec::new();
    };
    if may_act(step, current, actor).is_err() {
        return Vec::new();
    }
    let mut offers = vec![Offer::Step(step.finish)];
    if step.records_result {
        offers.push(Offer::RecordResult);
    }
    if step.rework_to.is_some() {
        offers.push(Offer::Rework);
    }
    offers
}

fn role_check(step: &Step, actor: &Actor) -> Result<(), LifecycleError> {
    if step.roles.contains(&actor.role) {
        Ok(())
    } else {
        Err(LifecycleError::WrongRole {
            step: step.id.clone(),
            allowed: step.roles.clone(),
            role: actor.role.clone(),
        })
    }
}

fn start_step(
    regulation: &Regulation,
    channel: &Channel,
    index: usize,
    measures: &[String],
    at: DateTime<Utc>,
    assignee: Option<String>,
) -> Result<Option<StepRecord>, LifecycleError> {
    let Some(step) = channel.steps.get(index) else {
        return Ok(None);
    };
    let deadline = regulation
        .step_deadline(step, measures, at)
        .map_err(|e| LifecycleError::Uncountable(e.to_string()))?;
    Ok(Some(StepRecord {
        index,
        step_id: step.id.clone(),
        assignee,
        started_at: at,
        deadline,
        finished_at: None,
        finished_by: None,
        outcome: None,
    }))
}

/// Accepts a package or refuses to accept it, by what is missing. `opened_at` is when intake
/// opened at the counter (the start of the acceptance window and of the first step).
pub fn open_case(
    regulation: &Regulation,
    actor: &Actor,
    intake: Intake,
    opened_at: DateTime<Utc>,
    now: DateTime<Utc>,
    receipt_no: ReceiptNo,
) -> Result<CaseEvent, LifecycleError> {
    let channel = regulation
        .channel(&intake.channel)
        .map_err(|_| LifecycleError::UnknownChannel(intake.channel.clone()))?;
    let first = channel
        .steps
        .first()
        .ok_or_else(|| LifecycleError::StepGone("1".into()))?;
    role_check(first, actor)?;
    if now < opened_at {
        return Err(LifecycleError::TimeWentBack {
            now: now.to_rfc3339(),
            last: opened_at.to_rfc3339(),
        });
    }
    let calendar = regulation.calendar(&channel.schedule).ok_or_else(|| {
        LifecycleError::Uncountable(format!("schedule `{}` has no calendar", channel.schedule))
    })?;
    let uncountable = |e: crate::calendar::WorkingTimeError| {
        LifecycleError::Uncountable(format!("the acceptance window: {e}"))
    };
    let window_deadline = calendar
        .deadline(opened_at, channel.acceptance_window)
        .map_err(uncountable)?;
    let overrun_seconds = (-calendar
        .remaining(now, window_deadline)
        .map_err(uncountable)?)
    .max(0);
    let window = AcceptanceWindow {
        opened_at,
        closed_at: now,
        limit: channel.acceptance_window,
        deadline: window_deadline,
        overrun_seconds,
    };
    let missing = intake.missing_documents(regulation);
    if !missing.is_empty() {
        return Ok(CaseEvent::RefusedToAccept {
            receipt_no,
            intake,
            window,
            missing,
        });
    }
    let mut steps = Vec::new();
    let mut current = start_step(regulation, channel, 0, &intake.measures, opened_at, None)?;
    // Steps that end with `accept` (the State Corporation's S1) are done by accepting.
    while let Some(mut step) = current.take() {
        if channel.steps[step.index].finish != Action::Accept {
            current = Some(step);
            break;
        }
        step.finished_at = Some(now);
        step.finished_by = Some(actor.staff_id.clone());
        step.outcome = Some(super::case::StepOutcome::Done(Action::Accept));
        let next = step.index + 1;
        steps.push(step);
        current = start_step(regulation, channel, next, &intake.measures, now, None)?;
    }
    steps.extend(current);
    Ok(CaseEvent::Accepted {
        receipt_no,
        intake,
        window,
        steps,
    })
}

/// Decides what a command does to a case, or why it may not.
pub fn decide(
    regulation: &Regulation,
    case: &Case,
    actor: &Actor,
    now: DateTime<Utc>,
    command: &CaseCommand,
) -> Result<CaseEvent, LifecycleError> {
    if now < case.updated_at {
        return Err(LifecycleError::TimeWentBack {
            now: now.to_rfc3339(),
            last: case.updated_at.to_rfc3339(),
        });
    }
    let current = case
        .current_step()
        .ok_or_else(|| LifecycleError::Closed(closed_as(&case.status).into()))?;
    let channel = regulation
        .channel(&case.intake.channel)
        .map_err(|_| LifecycleError::UnknownChannel(case.intake.channel.clone()))?;
    let step = channel
        .steps
        .get(current.index)
        .filter(|s| s.id == current.step_id)
        .ok_or_else(|| LifecycleError::StepGone(current.step_id.clone()))?;
    may_act(step, current, actor)?;
    let measures = &case.intake.measures;
    match command {
        CaseCommand::Act { action, executor } => {
            if *action != step.finish {
                return Err(LifecycleError::WrongStep {
                    step: step.id.clone(),
                    expected: step.finish.id().into(),
                    requested: action.id().into(),
                });
            }
            if step.requires_result && case.result.is_none() {
                return Err(LifecycleError::ResultRequired(action.id().into()));
            }
            let assignee = match action {
                Action::AssignExecutor => Some(
                    executor
                        .as_deref()
                        .map(str::trim)
                        .filter(|e| !e.is_empty())
                        .ok_or(LifecycleError::ExecutorMissing)?
                        .to_string(),
                ),
                // The executor keeps the case through to signature and back.
                _ => current.assignee.clone(),
            };
            let next = start_step(
                regulation,
                channel,
                current.index + 1,
                measures,
                now,
                assignee,
            )?;
            Ok(CaseEvent::StepFinished {
                action: *action,
                next,
            })
        }
        CaseCommand::ReturnForRework { reason } => {
            let target = step
                .rework_to
                .as_deref()
                .ok_or_else(|| LifecycleError::NoRework(step.id.clone()))?;
            let reason = checked_reason(reason)?;
            if reason.is_empty() {
                return Err(LifecycleError::ReasonMissing);
            }
            let index = channel
                .steps
                .iter()
                .position(|s| s.id == target)
                .ok_or_else(|| LifecycleError::StepGone(target.to_string()))?;
            // Rework does not extend the statutory limit: the step keeps its first deadline.
            let previous = case.steps.iter().find(|s| s.index == index);
            let mut next = start_step(regulation, channel, index, measures, now, None)?
                .ok_or_else(|| LifecycleError::StepGone(target.to_string()))?;
            if let Some(previous) = previous {
                next.deadline = previous.deadline;
                next.assignee = previous.assignee.clone();
            }
            Ok(CaseEvent::ReturnedForRework {
                reason: reason.to_string(),
                next,
            })
        }
        CaseCommand::RecordResult { kind, ground } => {
            if !step.records_result {
                return Err(LifecycleError::ResultNotHere(step.id.clone()));
            }
            let result = regulation
                .result_kind(kind)
                .ok_or_else(|| LifecycleError::UnknownResult(kind.clone()))?;
            if !channel.results.contains(kind) {
                return Err(LifecycleError::ResultNotForChannel {
                    kind: kind.clone(),
                    channel: channel.id.clone(),
                });
            }
            let ground = match (result.needs_ground, ground) {
                (true, None) => return Err(LifecycleError::GroundMissing),
                (true, Some(g)) if regulation.refusal_ground(g).is_none() => {
                    return Err(LifecycleError::UnknownGround(g.clone()))
                }
                (true, Some(g)) => Some(g.clone()),
                (false, _) => None,
            };
            Ok(CaseEvent::ResultRecorded(CaseResult {
                kind: kind.clone(),
                ground,
            }))
        }
    }
}
