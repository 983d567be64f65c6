//! Case lists through the indexes: by step, owner, deadline, IIN, receipt number and name.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::{Store, StoreError};
use crate::domain::case::{Case, CaseId};

/// A list request. Filters combine; the most selective one drives the index scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseQuery {
    /// Current step id (open cases).
    pub step: Option<String>,
    /// Staff id of the assignee, or `@role` for a role's work (open cases).
    pub owner: Option<String>,
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
    fn matches(&self, case: &Case) -> bool {
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

fn search_matches(case: &Case, text: &str) -> bool {
    if text.chars().all(|c| c.is_ascii_digit()) {
        return case.intake.applicant.iin.as_str().starts_with(text)
            || case.id.to_string() == text
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
    let mut words: Vec<String> = keys::name_words(&case.intake.applicant.name).collect();
    if let Some(rep) = &case.intake.representative {
        words.extend(keys::name_words(&rep.name));
    }
    keys::name_words(text).all(|q| words.iter().any(|w| w.starts_with(&q)))
}

impl Store {
    fn ids_with_prefix(&self, tree: &sled::Tree, prefix: &[u8]) -> Result<Vec<CaseId>, StoreError> {
        let mut ids = Vec::new();
        for entry in tree.scan_prefix(prefix) {
            let (_, value) = entry?;
            if let Some(id) = keys::id_from(&value) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// Candidate ids from the most selective index, or `None` to scan every case.
    fn candidates(&self, query: &CaseQuery) -> Result<Option<Vec<CaseId>>, StoreError> {
        let t = &self.trees;
        if let Some(ids) = &query.ids {
            return Ok(Some(ids.clone()));
        }
        if let Some(text) = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if text.chars().all(|c| c.is_ascii_digit()) {
                let mut ids = self.ids_with_prefix(&t.by_iin, text.as_bytes())?;
                if let Ok(id) = text.parse::<CaseId>() {
                    ids.push(id);
                }
                return Ok(Some(ids));
            }
            if let Some(case) = self.case_by_receipt(text)? {
                return Ok(Some(vec![case.id]));
            }
            let Some(first) = keys::name_words(text).next() else {
                return Ok(Some(Vec::new()));
            };
            return Ok(Some(self.ids_with_prefix(&t.by_name, first.as_bytes())?));
        }
        if let Some(owner) = &query.owner {
            let mut prefix = owner.as_bytes().to_vec();
            prefix.push(0);
            return Ok(Some(self.ids_with_prefix(&t.by_owner, &prefix)?));
        }
        if let Some(step) = &query.step {
            let mut prefix = step.as_bytes().to_vec();
            prefix.push(0);
            return Ok(Some(self.ids_with_prefix(&t.by_step, &prefix)?));
        }
        if let Some(due) = query.due_before {
            let mut ids = Vec::new();
            for entry in t.by_deadline.range(..keys::time_key(due)) {
                if let Some(id) = keys::id_from(&entry?.1) {
                    ids.push(id);
                }
            }
            return Ok(Some(ids));
        }
        if query.opened_from.is_some() || query.opened_to.is_some() {
            let from = query.opened_from.map(keys::time_key).unwrap_or([0; 8]);
            let to = query.opened_to.map(keys::time_key).unwrap_or([0xff; 8]);
            let mut ids = Vec::new();
            for entry in t.by_opened.range(from..to) {
                if let Some(id) = keys::id_from(&entry?.1) {
                    ids.push(id);
                }
            }
            return Ok(Some(ids));
        }
        Ok(None)
    }

    /// The cases matching `query`, ordered by the current step's deadline (open cases first),
    /// then by case number.
    pub fn query(&self, query: &CaseQuery) -> Result<Vec<Case>, StoreError> {
        let driven_by_deadline = query.ids.is_none()
            && query.search.as_deref().is_none_or(|t| t.trim().is_empty())
            && query.owner.is_none()
            && query.step.is_none()
            && query.due_before.is_some();
        if driven_by_deadline && query.limit > 0 {
            // The deadline index is already in the answer's order: stop at the limit.
            let mut cases = Vec::new();
            for id in self.candidates(query)?.unwrap_or_default() {
                if let Some(case) = self.case(id)? {
                    if query.matches(&case) {
                        cases.push(case);
                        if cases.len() == query.limit {
                            break;
                        }
                    }
                }
            }
            return Ok(cases);
        }
        let no_search =
            query.ids.is_none() && query.search.as_deref().is_none_or(|t| t.trim().is_empty());
        if let (Some(owner), true, true) = (&query.owner, no_search, query.limit > 0) {
            // Someone's work, nearest deadline first: walk the deadline index (open cases only)
            // and keep the owner's, instead of loading all of them to sort.
            let mut cases = Vec::new();
            let end = query.due_before.map(keys::time_key).unwrap_or([0xff; 8]);
            for entry in self.trees.by_deadline.range(..end) {
                let Some(id) = keys::id_from(&entry?.1) else {
                    continue;
                };
                if !self
                    .trees
                    .by_owner
                    .contains_key(keys::tagged(owner.as_bytes(), id))?
                {
                    continue;
                }
                if let Some(case) = self.case(id)? {
                    if query.matches(&case) {
                        cases.push(case);
                        if cases.len() == query.limit {
                            break;
                        }
                    }
                }
            }
            return Ok(cases);
        }
        let mut cases = Vec::new();
        match self.candidates(query)? {
            Some(ids) => {
                let unique: BTreeSet<CaseId> = ids.into_iter().collect();
                for id in unique {
                    if let Some(case) = self.case(id)? {
                        if query.matches(&case) {
                            cases.push(case);
                        }
                    }
                }
            }
            None => {
                for case in self.all_cases()? {
                    if query.matches(&case) {
                        cases.push(case);
                    }
                }
            }
        }
        cases.sort_by_key(|c| {
            (
                c.current_step().map(|s| s.deadline).is_none(),
                c.current_step().map(|s| s.deadline),
                c.id,
            )
        });
        if query.limit > 0 {
            cases.truncate(query.limit);
        }
        Ok(cases)
    }
}
