//! Moving a district onto the oblast database: the site's journal (the truth) is copied event by
//! event, in order, keeping case numbers and receipt numbers. Each copied event remembers its
//! journal record (origin, number, hash), so a second run copies only what is new and notices a
//! journal that differs from what it copied before. At the end the copy is checked: counts, the
//! journal's head against the last copied record, every case folded from the journal against
//! the database's, and every office's chain.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::write::{append_event, Provenance};
use super::{join, PgStore};
use crate::codec::decode;
use crate::domain::case::{Case, CaseId, EventRecord};
use crate::store::sled::journal::{self, JournalTail, Reader};
use crate::store::{EngineKind, StoreError};

/// Events per transaction: a crash mid-way loses at most one batch, which the next run copies.
const BATCH: usize = 500;

/// What a copy did and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// The journal's name in the database: its first record's hash, in hex.
    pub origin: String,
    pub journal_records: u64,
    pub copied: u64,
    pub already_there: u64,
    pub cases: u64,
    /// The journal's last hash, which the database's last copied record carries.
    pub head: String,
    /// Every office's chain in the database checked, this many events in all.
    pub chain_events: u64,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl PgStore {
    /// Copies the journal at `path` into this database (see the module's comment).
    pub fn import_journal(&self, path: &Path) -> Result<ImportSummary, StoreError> {
        let (tail, _torn) = journal::verify(path)?;
        let mut reader = Reader::open(path, JournalTail::EMPTY)?;
        let mut connection = self.connection()?;
        let mut origin = String::new();
        let mut known: HashMap<i64, Vec<u8>> = HashMap::new();
        let mut folded: BTreeMap<CaseId, Case> = BTreeMap::new();
        let mut summary = ImportSummary {
            origin: String::new(),
            journal_records: tail.last_seq,
            copied: 0,
            already_there: 0,
            cases: 0,
            head: hex(&tail.last_hash),
            chain_events: 0,
        };
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            let record = match reader.next_record()? {
                Some(record) if record.seq <= tail.last_seq => Some(record),
                _ => None,
            };
            if let Some(record) = &record {
                if record.seq == 1 {
                    origin = hex(&record.hash[..16]);
                    known = connection
                        .query(
                            "SELECT origin_seq, origin_hash FROM events WHERE origin = $1",
                            &[&origin],
                        )?
                        .iter()
                        .map(|row| (row.get(0), row.get(1)))
                        .collect();
                }
                let event: EventRecord = decode(&record.payload)?;
                let case = Case::apply(folded.remove(&event.case_id), &event).ok_or_else(|| {
                    StoreError::Migration(format!("journal record {} makes no case; check the journal with `frontdesk audit verify`", record.seq))
                })?;
                folded.insert(case.id, case);
                let seq = record.seq as i64;
                match known.get(&seq) {
                    Some(hash) if hash.as_slice() == record.hash.as_slice() => {
                        summary.already_there += 1
                    }
                    Some(_) => {
                        return Err(StoreError::Migration(format!(
                            "journal record {} differs from the copy made before; this is not the journal that was copied",
                            record.seq
                        )))
                    }
                    None => batch.push((seq, record.hash, event)),
                }
            }
            if batch.len() >= BATCH || (record.is_none() && !batch.is_empty()) {
                let mut tx = connection.transaction()?;
                for (seq, hash, event) in batch.drain(..) {
                    append_event(
                        &mut tx,
                        &self.shared.step_owners,
                        &event,
                        Provenance {
                            request_id: None,
                            writer: &self.shared.writer,
                            origin: Some((&origin, seq, &hash)),
                        },
                    )
                    .map_err(|failed| match failed.into_error() {
                        StoreError::Inconsistent { what, .. } if what.contains("re-creates") => {
                            StoreError::Migration(format!(
                                "journal record {seq}: case number {} is already used in the database by another site's case; case numbers are kept when moving, so two sites with the same numbers cannot share one database yet",
                                event.case_id
                            ))
                        }
                        other => other,
                    })?;
                    summary.copied += 1;
                }
                // New cases from now on are numbered after every copied one.
                tx.execute(
                    "SELECT setval('case_ids', greatest((SELECT max(id) FROM cases),
                                                        (SELECT last_value FROM case_ids)))",
                    &[],
                )?;
                tx.commit()?;
            }
            if record.is_none() {
                break;
            }
        }
        summary.origin = origin.clone();
        summary.cases = folded.len() as u64;
        self.check_import(&mut connection, &summary, &tail, &folded)?;
        summary.chain_events = match super::write::verify_chains(&mut connection)? {
            Ok(events) => events,
            Err(problem) => return Err(StoreError::inconsistent(EngineKind::Postgres, problem)),
        };
        Ok(summary)
    }

    /// The copy against the journal: count, head and every case.
    fn check_import(
        &self,
        client: &mut postgres::Client,
        summary: &ImportSummary,
        tail: &JournalTail,
        folded: &BTreeMap<CaseId, Case>,
    ) -> Result<(), StoreError> {
        if tail.last_seq == 0 {
            return Ok(());
        }
        let row = client.query_one(
            "SELECT count(*), (SELECT origin_hash FROM events WHERE origin = $1
                               ORDER BY origin_seq DESC LIMIT 1)
             FROM events WHERE origin = $1",
            &[&summary.origin],
        )?;
        let count: i64 = row.get(0);
        if count as u64 != tail.last_seq {
            return Err(StoreError::Migration(format!(
                "the database holds {count} events of this journal, the journal {}",
                tail.last_seq
            )));
        }
        let head: Option<Vec<u8>> = row.get(1);
        if head.as_deref() != Some(tail.last_hash.as_slice()) {
            return Err(StoreError::Migration(
                "the last copied event does not carry the journal's head hash".into(),
            ));
        }
        let ids: Vec<i64> = folded.keys().map(|&id| id as i64).collect();
        let mut seen = 0;
        for row in client.query(
            "SELECT state, intake FROM cases WHERE id = ANY($1)",
            &[&ids],
        )? {
            let case = join(row.get(0), row.get(1))?;
            if folded.get(&case.id) != Some(&case) {
                return Err(StoreError::Migration(format!(
                    "case {} in the database differs from its journal",
                    case.id
                )));
            }
            seen += 1;
        }
        if seen != folded.len() {
            return Err(StoreError::Migration(format!(
                "the journal has {} cases, the database {seen} of them",
                folded.len()
            )));
        }
        Ok(())
    }
}
