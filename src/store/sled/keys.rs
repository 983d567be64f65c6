//! Index keys: one function per index, so writers and readers agree on the layout.

use chrono::{DateTime, Utc};

use crate::domain::case::{Case, CaseId};
use crate::domain::query::{name_words, OwnerKey};

pub fn id_key(id: CaseId) -> [u8; 8] {
    id.to_be_bytes()
}

pub fn id_from(bytes: &[u8]) -> Option<CaseId> {
    let tail: [u8; 8] = bytes.get(bytes.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(CaseId::from_be_bytes(tail))
}

/// Seconds since the epoch, ordered as unsigned big-endian bytes (sign bit flipped).
pub fn time_key(t: DateTime<Utc>) -> [u8; 8] {
    ((t.timestamp() as u64) ^ (1 << 63)).to_be_bytes()
}

/// `prefix · 0 · case id` — for indexes that may hold many cases per value.
pub fn tagged(prefix: &[u8], id: CaseId) -> Vec<u8> {
    let mut key = Vec::with_capacity(prefix.len() + 9);
    key.extend_from_slice(prefix);
    key.push(0);
    key.extend_from_slice(&id_key(id));
    key
}

pub fn timed(t: DateTime<Utc>, id: CaseId) -> Vec<u8> {
    let mut key = time_key(t).to_vec();
    key.extend_from_slice(&id_key(id));
    key
}

pub fn event_of_case(id: CaseId, seq: u64) -> Vec<u8> {
    let mut key = id_key(id).to_vec();
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

/// Which index entries a case has. Closed cases keep only their identifying entries.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct IndexEntries {
    pub by_receipt: Vec<Vec<u8>>,
    pub by_iin: Vec<Vec<u8>>,
    pub by_name: Vec<Vec<u8>>,
    pub by_step: Vec<Vec<u8>>,
    pub by_owner: Vec<Vec<u8>>,
    pub by_deadline: Vec<Vec<u8>>,
    pub by_opened: Vec<Vec<u8>>,
}

/// `owners` are the owners of the current step (see [`crate::domain::query::StepOwners`]).
pub fn index_entries(case: &Case, owners: &[OwnerKey]) -> IndexEntries {
    let id = case.id;
    let mut entries = IndexEntries {
        by_receipt: vec![case.receipt_no.to_string().into_bytes()],
        by_iin: vec![tagged(case.intake.applicant.iin.as_str().as_bytes(), id)],
        by_opened: vec![timed(case.window.opened_at, id)],
        ..IndexEntries::default()
    };
    let mut words: Vec<String> = name_words(&case.intake.applicant.name).collect();
    if let Some(rep) = &case.intake.representative {
        words.extend(name_words(&rep.name));
        if let Some(iin) = &rep.iin {
            entries.by_iin.push(tagged(iin.as_str().as_bytes(), id));
        }
    }
    words.sort();
    words.dedup();
    entries.by_name = words.iter().map(|w| tagged(w.as_bytes(), id)).collect();
    if let Some(step) = case.current_step() {
        entries.by_step.push(tagged(step.step_id.as_bytes(), id));
        entries.by_deadline.push(timed(step.deadline, id));
        for owner in owners {
            entries.by_owner.push(tagged(owner.as_str().as_bytes(), id));
        }
    }
    entries
}
