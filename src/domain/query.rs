//! What a case list asks for, and the rules every store answers it by: which cases match, who
//! owns a step, and in which order cases come.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::case::{Case, CaseId};
use super::receipt_no::ReceiptNo;
use super::regulation::Regulation;

/// Whose work a case is: a staff member (the step's assignee) or a role (every role acting on the
/// step), written `@role`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OwnerKey(String);

impl OwnerKey {
    pub fn staff(id: &str) -> OwnerKey {
        OwnerKey(id.to_string())
    }

    pub fn role(role: &str) -> OwnerKey {
        OwnerKey(format!("@{role}"))
    }

    /// As typed on a command line: `@head` is a role, anything else a staff id.
    pub fn parse(text: &str) -> OwnerKey {
        OwnerKey(text.trim().to_string())
    }

    /// Whose work a staff member sees as "mine": an executor's own assigned cases; for every
    /// other role, the steps that role shares.
    pub fn work_of(role: &str, staff_id: &str) -> OwnerKey {
        if role == "executor" {
            OwnerKey::staff(staff_id)
        } else {
            OwnerKey::role(role)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OwnerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which roles act on each step, from the regulation: the owners of a step besides its assignee.
#[derive(Debug, Clone, Default)]
pub struct StepOwners(HashMap<String, Vec<String>>);

impl StepOwners {
    pub fn new(regulation: &Regulation) -> StepOwners {
        StepOwners(
            regulation
                .file
                .channels
                .iter()
                .flat_map(|c| c.steps.iter().map(|s| (s.id.clone(), s.roles.clone())))
                .collect(),
        )
    }

    /// Who owns the current step of a case: its assignee, and every role that acts on the step.
    /// A closed case has no owner.
    pub fn of(&self, case: &Case) -> Vec<OwnerKey> {
        let Some(step) = case.current_step() else {
            return Vec::new();
        };
        let mut owners: Vec<OwnerKey> = step.assignee.iter().map(|a| OwnerKey::staff(a)).collect();
        if let Some(roles) = self.0.get(&step.step_id) {
            owners.extend(roles.iter().map(|role| OwnerKey::role(role)));
        }
        owners
    }
}

/// The order of every case list: open cases by their current step's deadline, then closed
/// ones; ties by case number.
pub fn list_order(case: &Case) -> (bool, Option<DateTime<Utc>>, CaseId) {
    let deadline = case.current_step().map(|s| s.deadline);
    (deadline.is_none(), deadline, case.id)
}

/// A receipt number as typed (any letter case, spaces around) in its stored spelling.
pub fn normalise_receipt_no(text: &str) -> Option<String> {
    text.trim()
        .to_uppercase()
        .parse::<ReceiptNo>()
        .ok()
        .map(|r| r.to_string())
}

/// Lower-case words of a name for word-prefix search.
pub fn name_words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
}

/// A list request. Filters combine; the most selective one drives the index scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseQuery {
    /// Current step id (open cases).
    pub step: Option<String>,
    /// Staff id of the assignee, or `@role` for a role's work (open cases).
    pub owner: Option<OwnerKey>,
    /// Open cases whose current step's deadline is before this instant.
    pub due_before: Option<DateTime<Utc>>,
    /// IIN (whole or leading digits), receipt number, or words of a name.
    pub search: Option<String>,
    /// Cases whose intake opened in `[from, to)`.
    pub opened_from: Option<DateTime<Utc>>,
    pub opened_to: Option<DateTime<Utc>>,
    /// Exactly these cases (the numbers behind a dashboard figure).
    pub ids: Option<Vec<CaseId>>,
    /// At most this many cases (0: no limit).
    pub limit: usize,
}

impl CaseQuery {
    /// Whether a case passes every filter but `owner` and `ids` (the store resolves those).
    pub fn matches(&self, case: &Case) -> bool {
        let step = case.current_step();
        if let Some(want) = &self.step {
            if step.is_none_or(|s| s.step_id != *want) {
                return false;
            }
        }
        if let Some(due) = self.due_before {
            if step.is_none_or(|s| s.deadline >= due) {
                return false;
            }
        }
        if let Some(from) = self.opened_from {
            if case.window.opened_at < from {
                return false;
            }
        }
        if let Some(to) = self.opened_to {
            if case.window.opened_at >= to {
                return false;
            }
        }
        if let Some(text) = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if !search_matches(case, text) {
                return false;
            }
        }
        true
    }
}

/// The receipt sequence number a search text may be: up to six digits, the end of a receipt
/// number as the clerk reads it off the paper ("000002", "2").
pub fn receipt_seq_of(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || text.len() > 6 || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn search_matches(case: &Case, text: &str) -> bool {
    if text.chars().all(|c| c.is_ascii_digit()) {
        return case.intake.applicant.iin.as_str().starts_with(text)
            || case.id.to_string() == text
            || receipt_seq_of(text) == Some(case.receipt_no.seq)
            || case
                .intake
                .representative
                .as_ref()
                .and_then(|r| r.iin.as_ref())
                .is_some_and(|iin| iin.as_str().starts_with(text));
    }
    if case.receipt_no.to_string().eq_ignore_ascii_case(text) {
        return true;
    }
    let mut words: Vec<String> = name_words(&case.intake.applicant.name).collect();
    if let Some(rep) = &case.intake.representative {
        words.extend(name_words(&rep.name));
    }
    name_words(text).all(|q| words.iter().any(|w| w.starts_with(&q)))
}
