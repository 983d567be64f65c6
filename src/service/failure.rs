//! Why the core did not do what was asked, as every client receives it: a kind that screens say
//! in the clerk's language, and the English text (with paths and causes) for logs, the command
//! line and scripts. The same value crosses the embedded port and the daemon's socket.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::queue::QueueError;
use super::ServiceError;
use crate::domain::intake::FieldProblem;
use crate::domain::lifecycle::LifecycleError;
use crate::store::StoreError;

/// A refused or failed request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{text}")]
pub struct Failure {
    pub kind: FailureKind,
    /// What happened, in English, with its details.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailureKind {
    Forbidden(Forbidden),
    /// No case by that reference, or none the caller may see.
    NotFound {
        reference: String,
    },
    Invalid(Vec<FieldProblem>),
    /// A walk-in ticket that cannot be registered.
    Queue(QueueError),
    Lifecycle(LifecycleError),
    Store(StoreFailure),
    /// The half-typed form could not be kept.
    Draft(StoreFailure),
    /// The same form was accepted already, under this receipt number.
    AlreadyAccepted {
        receipt_no: String,
    },
    /// A worker of the core failed; restart frontdesk.
    Internal,
    /// The daemon was not reached, or its answer did not come back.
    Link(LinkFailure),
}

/// Why the caller may not do this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Forbidden {
    NotOnStaff {
        staff: String,
    },
    OfficeNotConfigured {
        office: String,
    },
    /// The office accepts through another channel.
    WrongChannel {
        office: String,
        serves: String,
        asked: String,
    },
    /// The one named as executor is not one (`role` is `None` when not on the staff list).
    NotAnExecutor {
        staff: String,
        role: Option<String>,
    },
    OfficeNotServed {
        office: String,
    },
}

impl fmt::Display for Forbidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Forbidden::NotOnStaff { staff } => {
                write!(
                    f,
                    "`{staff}` is not on the staff list with that role and office"
                )
            }
            Forbidden::OfficeNotConfigured { office } => {
                write!(f, "your office `{office}` is not configured")
            }
            Forbidden::WrongChannel {
                office,
                serves,
                asked,
            } => write!(
                f,
                "office {office} serves the `{serves}` channel, not `{asked}`"
            ),
            Forbidden::NotAnExecutor {
                staff,
                role: Some(role),
            } => write!(f, "{staff} is a {role}, not an executor"),
            Forbidden::NotAnExecutor { staff, role: None } => {
                write!(f, "`{staff}` is not on the staff list, so not an executor")
            }
            Forbidden::OfficeNotServed { office } => write!(
                f,
                "office {office} is not one you serve; ask for your own office's report"
            ),
        }
    }
}

/// What the store's failure means for the one who asked; the cause stays in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoreFailure {
    /// Not saved; saved again by itself once there is room.
    DiskFull,
    /// Not saved (a write failed, or the store is locked).
    NotSaved,
    /// Not saved: the database cannot be reached now; the daemon reconnects by itself.
    Unreachable,
    /// Saved in the journal as record `seq`, applied to the database later: not to be keyed again.
    Applying { seq: u64 },
    /// The link to the database dropped while saving: it may have been saved.
    Uncertain,
    /// The journal or the database is damaged or does not match: an administrator must act.
    Damaged,
    /// A clerk's form not kept: that many unsubmitted intakes are open already.
    TooManyDrafts { limit: usize },
    /// Anything else the store could not do; the administrator reads the text.
    Other,
}

impl StoreFailure {
    pub fn of(error: &StoreError) -> StoreFailure {
        match error {
            StoreError::DiskFull { .. } => StoreFailure::DiskFull,
            StoreError::NotSaved { .. } | StoreError::Unavailable(_) | StoreError::Locked => {
                StoreFailure::NotSaved
            }
            StoreError::Applying { seq, .. } => StoreFailure::Applying { seq: *seq },
            StoreError::Uncertain(_) => StoreFailure::Uncertain,
            StoreError::NotSavedUnreachable(_) => StoreFailure::Unreachable,
            StoreError::TooManyDrafts { limit } => StoreFailure::TooManyDrafts { limit: *limit },
            StoreError::Damaged { .. }
            | StoreError::ShorterHistory { .. }
            | StoreError::Inconsistent { .. }
            | StoreError::Codec(_) => StoreFailure::Damaged,
            StoreError::Open { .. }
            | StoreError::Engine(_)
            | StoreError::Io { .. }
            | StoreError::Connect { .. }
            | StoreError::Migration(_)
            | StoreError::Poisoned(_) => StoreFailure::Other,
        }
    }
}

/// Why an answer did not come back from the daemon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum LinkFailure {
    #[error("the connection to the daemon dropped before the answer came; check whether it was done, then try again")]
    Dropped,
    #[error("not connected to the daemon (reconnecting): nothing was sent; try again in a moment")]
    NotConnected,
    #[error("the daemon did not answer in time; check whether it was done, then try again")]
    NoAnswer,
    #[error("the daemon is stopping; try again in a moment")]
    Stopping,
    #[error("the answer ({size} bytes) is larger than the {limit}-byte limit of one answer; ask for less (a smaller --limit or a shorter period)")]
    AnswerTooLarge { size: u64, limit: u32 },
    #[error("client state lost; restart frontdesk")]
    ClientBroken,
}

impl Failure {
    pub fn link(failure: LinkFailure) -> Failure {
        Failure {
            text: failure.to_string(),
            kind: FailureKind::Link(failure),
        }
    }
}

impl From<ServiceError> for Failure {
    fn from(error: ServiceError) -> Failure {
        let text = error.to_string();
        let kind = match error {
            ServiceError::Forbidden(why) => FailureKind::Forbidden(why),
            ServiceError::NotFound(reference) => FailureKind::NotFound { reference },
            ServiceError::Invalid(problems) => FailureKind::Invalid(problems),
            ServiceError::Queue(error) => FailureKind::Queue(error),
            ServiceError::Lifecycle(error) => FailureKind::Lifecycle(error),
            ServiceError::Store(error) => FailureKind::Store(StoreFailure::of(&error)),
            ServiceError::Draft(error) => FailureKind::Draft(StoreFailure::of(&error)),
            ServiceError::AlreadyAccepted { receipt_no } => {
                FailureKind::AlreadyAccepted { receipt_no }
            }
            ServiceError::Internal(_) => FailureKind::Internal,
        };
        Failure { kind, text }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_keeps_its_kind_and_english_text_through_the_codec() {
        let failures = [
            ServiceError::Lifecycle(LifecycleError::ResultRequired("sign".into())),
            ServiceError::Store(StoreError::DiskFull {
                dir: "/var/lib/frontdesk".into(),
            }),
            ServiceError::Store(StoreError::Applying {
                seq: 7,
                cause: "io".into(),
            }),
            ServiceError::Queue(QueueError::Duplicate("A002".into())),
            ServiceError::Forbidden(Forbidden::OfficeNotServed {
                office: "SC01".into(),
            }),
        ];
        for error in failures {
            let text = error.to_string();
            let failure = Failure::from(error);
            assert_eq!(failure.text, text);
            assert_eq!(failure.to_string(), text);
            let bytes = crate::codec::encode(&failure).unwrap();
            assert_eq!(crate::codec::decode::<Failure>(&bytes).unwrap(), failure);
        }
        let failure = Failure::from(ServiceError::Store(StoreError::Applying {
            seq: 7,
            cause: "io".into(),
        }));
        assert_eq!(
            failure.kind,
            FailureKind::Store(StoreFailure::Applying { seq: 7 })
        );
    }
}
