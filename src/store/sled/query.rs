//! Case lists through the indexes: by step, owner, deadline, IIN, receipt number and name.

use std::collections::BTreeSet;

use super::keys;
use super::{Store, StoreError};
use crate::domain::case::{Case, CaseId};
use crate::domain::query::{name_words, CaseQuery};

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
        let engine = self.engine()?;
        let t = &engine.trees;
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
                // The last digits of a receipt number: the receipt index's keys end with them.
                if let Some(seq) = crate::domain::query::receipt_seq_of(text) {
                    let suffix = format!("-{seq:06}");
                    for entry in t.by_receipt.iter() {
                        let (key, id) = entry?;
                        if key.ends_with(suffix.as_bytes()) {
                            if let Some(id) = super::keys::id_from(&id) {
                                ids.push(id);
                            }
                        }
                    }
                }
                ids.sort_unstable();
                ids.dedup();
                return Ok(Some(ids));
            }
            if let Some(case) = self.case_by_receipt(text)? {
                return Ok(Some(vec![case.id]));
            }
            let Some(first) = name_words(text).next() else {
                return Ok(Some(Vec::new()));
            };
            return Ok(Some(self.ids_with_prefix(&t.by_name, first.as_bytes())?));
        }
        if let Some(owner) = &query.owner {
            let mut prefix = owner.as_str().as_bytes().to_vec();
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
            let engine = self.engine()?;
            for entry in engine.trees.by_deadline.range(..end) {
                let Some(id) = keys::id_from(&entry?.1) else {
                    continue;
                };
                if !engine
                    .trees
                    .by_owner
                    .contains_key(keys::tagged(owner.as_str().as_bytes(), id))?
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
