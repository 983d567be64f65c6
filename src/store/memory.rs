//! A store in memory, for tests, demonstrations and training: the same contract as the durable
//! engines, nothing on disk.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, RwLock};

use sha2::{Digest, Sha256};

use super::{CaseStore, Decide, EngineKind, Observe, StoreError, WriteView};
use crate::codec::encode;
use crate::domain::case::{Case, CaseEvent, CaseId, CaseState, EventHash, StoredEvent};
use crate::domain::intake::{sort_drafts, Draft, MAX_KEPT_DRAFTS};
use crate::domain::query::{list_order, normalise_receipt_no, CaseQuery, StepOwners};
use crate::domain::receipt::ReceiptNo;
use crate::domain::Regulation;

#[derive(Default)]
struct Data {
    cases: BTreeMap<CaseId, Case>,
    /// Every event in log order; `seq` is its index plus one.
    log: Vec<StoredEvent>,
    by_case: HashMap<CaseId, Vec<usize>>,
    by_receipt: HashMap<String, CaseId>,
    receipt_seq: HashMap<(String, i32), u64>,
    /// Each clerk's drafts by slot.
    drafts: HashMap<String, HashMap<String, Draft>>,
}

impl Data {
    fn next_case_id(&self) -> CaseId {
        self.cases.keys().next_back().map_or(1, |id| id + 1)
    }

    fn last_hash(&self) -> EventHash {
        self.log.last().map_or([0; 32], |e| e.hash)
    }
}

pub struct MemoryStore {
    data: RwLock<Data>,
    /// Held for the whole of an append, so decisions see no append in between.
    writer: Mutex<()>,
    step_owners: StepOwners,
}

fn poisoned<T>(_: T) -> StoreError {
    StoreError::Poisoned("a writer panicked".into())
}

struct View<'a> {
    data: &'a Data,
}

impl WriteView for View<'_> {
    fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        Ok(self.data.cases.get(&id).cloned())
    }

    fn next_case_id(&self) -> Result<CaseId, StoreError> {
        Ok(self.data.next_case_id())
    }

    fn next_receipt_no(&self, office: &str, year: i32) -> Result<ReceiptNo, StoreError> {
        let last = self
            .data
            .receipt_seq
            .get(&(office.to_string(), year))
            .copied()
            .unwrap_or(0);
        Ok(ReceiptNo {
            office: office.to_string(),
            year,
            seq: last + 1,
        })
    }
}

impl MemoryStore {
    pub fn new(regulation: &Regulation) -> MemoryStore {
        MemoryStore {
            data: RwLock::new(Data::default()),
            writer: Mutex::new(()),
            step_owners: StepOwners::new(regulation),
        }
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, ()>, StoreError> {
        self.writer.lock().map_err(poisoned)
    }
}

impl CaseStore for MemoryStore {
    fn append(
        &self,
        decide: &mut Decide,
        observe: &mut Observe,
    ) -> Result<Option<(StoredEvent, Case)>, StoreError> {
        let _writer = self.lock_writer()?;
        let record = {
            let data = self.data.read().map_err(poisoned)?;
            match decide(&View { data: &data })? {
                Some(record) => record,
                None => return Ok(None),
            }
        };
        let mut data = self.data.write().map_err(poisoned)?;
        let previous = data.cases.get(&record.case_id).cloned();
        let creates = matches!(
            record.event,
            CaseEvent::Accepted { .. } | CaseEvent::RefusedToAccept { .. }
        );
        if creates == previous.is_some() {
            return Err(StoreError::inconsistent(
                EngineKind::Memory,
                format!(
                    "an event {} case {}",
                    if creates {
                        "re-creates"
                    } else {
                        "refers to a missing"
                    },
                    record.case_id
                ),
            ));
        }
        let case = Case::apply(previous.clone(), &record).ok_or_else(|| {
            StoreError::inconsistent(
                EngineKind::Memory,
                format!("an event made no case {}", record.case_id),
            )
        })?;
        let seq = data.log.len() as u64 + 1;
        let mut hasher = Sha256::new();
        hasher.update(data.last_hash());
        hasher.update(encode(&record)?);
        let stored = StoredEvent {
            seq,
            hash: hasher.finalize().into(),
            record,
        };
        if let CaseEvent::Accepted { receipt_no, .. }
        | CaseEvent::RefusedToAccept { receipt_no, .. } = &stored.record.event
        {
            let counter = data
                .receipt_seq
                .entry((receipt_no.office.clone(), receipt_no.year))
                .or_default();
            *counter = (*counter).max(receipt_no.seq);
            data.by_receipt.insert(receipt_no.to_string(), case.id);
        }
        let index = data.log.len();
        data.log.push(stored.clone());
        data.by_case.entry(case.id).or_default().push(index);
        data.cases.insert(case.id, case.clone());
        // Observed under the writer lock (log order) but not the data lock, so an observer may
        // read the store.
        drop(data);
        observe(previous.as_ref(), &case);
        Ok(Some((stored, case)))
    }

    fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        Ok(self.data.read().map_err(poisoned)?.cases.get(&id).cloned())
    }

    fn case_by_receipt(&self, receipt_no: &str) -> Result<Option<Case>, StoreError> {
        let Some(key) = normalise_receipt_no(receipt_no) else {
            return Ok(None);
        };
        let data = self.data.read().map_err(poisoned)?;
        Ok(data
            .by_receipt
            .get(&key)
            .and_then(|id| data.cases.get(id))
            .cloned())
    }

    fn query(&self, query: &CaseQuery) -> Result<Vec<Case>, StoreError> {
        let data = self.data.read().map_err(poisoned)?;
        let mut cases: Vec<Case> = data
            .cases
            .values()
            .filter(|case| query.ids.as_ref().is_none_or(|ids| ids.contains(&case.id)))
            .filter(|case| {
                query
                    .owner
                    .as_ref()
                    .is_none_or(|owner| self.step_owners.of(case).contains(owner))
            })
            .filter(|case| query.matches(case))
            .cloned()
            .collect();
        cases.sort_by_key(list_order);
        if query.limit > 0 {
            cases.truncate(query.limit);
        }
        Ok(cases)
    }

    fn history(&self, id: CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        let data = self.data.read().map_err(poisoned)?;
        Ok(data
            .by_case
            .get(&id)
            .map(|indexes| indexes.iter().map(|&i| data.log[i].clone()).collect())
            .unwrap_or_default())
    }

    fn for_each_state_in(
        &self,
        from: CaseId,
        to: CaseId,
        want_whole: &dyn Fn(&CaseState) -> bool,
        f: &mut dyn FnMut(CaseState, Option<Case>),
    ) -> Result<(), StoreError> {
        let data = self.data.read().map_err(poisoned)?;
        for case in data.cases.range(from..to.max(from)).map(|(_, c)| c) {
            let state = case.state();
            let whole = want_whole(&state).then(|| case.clone());
            f(state, whole);
        }
        Ok(())
    }

    fn next_case_id(&self) -> Result<CaseId, StoreError> {
        Ok(self.data.read().map_err(poisoned)?.next_case_id())
    }

    fn with_appends_paused(&self, f: &mut dyn FnMut()) -> Result<(), StoreError> {
        let _writer = self.lock_writer()?;
        f();
        Ok(())
    }

    fn save_draft(&self, staff_id: &str, draft: &Draft) -> Result<(), StoreError> {
        let mut data = self.data.write().map_err(poisoned)?;
        let drafts = data.drafts.entry(staff_id.to_string()).or_default();
        if !drafts.contains_key(&draft.slot()) && drafts.len() >= MAX_KEPT_DRAFTS {
            return Err(StoreError::TooManyDrafts {
                limit: MAX_KEPT_DRAFTS,
            });
        }
        drafts.insert(draft.slot(), draft.clone());
        Ok(())
    }

    fn has_draft(&self, staff_id: &str, slot: &str) -> Result<bool, StoreError> {
        let data = self.data.read().map_err(poisoned)?;
        Ok(data
            .drafts
            .get(staff_id)
            .is_some_and(|drafts| drafts.contains_key(slot)))
    }

    fn drop_draft(&self, staff_id: &str, slot: &str) -> Result<(), StoreError> {
        let mut data = self.data.write().map_err(poisoned)?;
        if let Some(drafts) = data.drafts.get_mut(staff_id) {
            drafts.remove(slot);
        }
        Ok(())
    }

    fn load_drafts(&self, staff_id: &str) -> Result<Vec<Draft>, StoreError> {
        let data = self.data.read().map_err(poisoned)?;
        let mut drafts: Vec<Draft> = data
            .drafts
            .get(staff_id)
            .map(|d| d.values().cloned().collect())
            .unwrap_or_default();
        sort_drafts(&mut drafts);
        Ok(drafts)
    }

    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn open_notice(&self) -> Option<String> {
        None
    }
}
