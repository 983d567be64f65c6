//! The durable case store: a hash-chained journal (the truth) and sled trees (the event log,
//! case projections and indexes) kept in step with it.
//!
//! Every write goes journal first (fsync), then one sled transaction over all trees, then
//! `flush`; only then is it acknowledged. On open, a database behind the journal is brought up to
//! date; a damaged database is rebuilt from the journal by [`Store::recover`].

mod contract;
pub mod journal;
pub mod keys;
mod query;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use super::StoreError;
use crate::codec::{decode, encode};
use crate::domain::case::{Case, CaseEvent, CaseId, CaseState, EventRecord, StoredEvent};
use crate::domain::query::{normalise_receipt_no, OwnerKey, StepOwners};
use crate::domain::receipt::ReceiptNo;
use crate::domain::Regulation;
use journal::{Hash, Journal, JournalError, JournalRecord, JournalTail};

/// Small by default: kiosks have little memory, and queries use indexes, not the cache.
pub const DEFAULT_CACHE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub cache_capacity: u64,
    /// fsync the journal and flush sled before acknowledging. Only the bulk fixture generator
    /// turns this off, and it syncs once at the end.
    pub durable: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            cache_capacity: DEFAULT_CACHE_BYTES,
            durable: true,
        }
    }
}

impl From<::sled::Error> for StoreError {
    fn from(error: ::sled::Error) -> StoreError {
        StoreError::Engine(error.to_string())
    }
}

impl From<JournalError> for StoreError {
    fn from(error: JournalError) -> StoreError {
        match error {
            JournalError::Io { path, source } => StoreError::Io { path, source },
            JournalError::Damaged { seq, offset, what } => {
                StoreError::Damaged { seq, offset, what }
            }
        }
    }
}

/// Where the database's event log finds an event: its journal offset and hash. The payload is
/// read from the journal, so it is stored once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct EventEntry {
    offset: u64,
    hash: Hash,
}

struct Trees {
    /// Case id → the case without its intake ([`CaseState`]), rewritten at every event.
    cases: sled::Tree,
    /// Case id → its intake, written once.
    intakes: sled::Tree,
    by_case: sled::Tree,
    by_receipt: sled::Tree,
    by_iin: sled::Tree,
    by_name: sled::Tree,
    by_step: sled::Tree,
    by_owner: sled::Tree,
    by_deadline: sled::Tree,
    by_opened: sled::Tree,
    meta: sled::Tree,
}

const META_TAIL: &[u8] = b"journal-tail";
const META_NEXT_CASE: &[u8] = b"next-case";

fn receipt_counter_key(office: &str, year: i32) -> Vec<u8> {
    format!("receipt-seq/{office}/{year}").into_bytes()
}

/// What a writer reads while it decides its event (under the store's write lock).
struct LockedView<'a> {
    store: &'a Store,
}

impl super::WriteView for LockedView<'_> {
    fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        self.store.case(id)
    }

    fn next_case_id(&self) -> Result<CaseId, StoreError> {
        Ok(self.store.meta_u64(META_NEXT_CASE)?.max(1))
    }

    fn next_receipt_no(&self, office: &str, year: i32) -> Result<ReceiptNo, StoreError> {
        let last = self.store.meta_u64(&receipt_counter_key(office, year))?;
        Ok(ReceiptNo {
            office: office.to_string(),
            year,
            seq: last + 1,
        })
    }
}

pub struct Store {
    dir: PathBuf,
    db: sled::Db,
    trees: Trees,
    journal: Mutex<Journal>,
    options: StoreOptions,
    /// Who owns each step, for the owner index (from the regulation).
    step_owners: StepOwners,
    /// Journal records the database lacked at open and that were replayed into it.
    replayed_on_open: u64,
    /// The last journal sequence known to be on disk (journal fsynced, sled flushed).
    durable_seq: Mutex<u64>,
    /// The journal file again, for fsync outside the writer's lock.
    journal_file: fs::File,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Owner-only permissions on the data directory and everything in it: personal data lives here.
pub fn restrict_permissions(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::metadata(path).map_err(io(path))?;
        let mode = if meta.is_dir() { 0o700 } else { 0o600 };
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(io(path))?;
        if meta.is_dir() {
            for entry in fs::read_dir(path).map_err(io(path))? {
                let entry = entry.map_err(io(path))?;
                restrict_permissions(&entry.path())?;
            }
        }
    }
    Ok(())
}

impl Store {
    pub fn db_path(dir: &Path) -> PathBuf {
        dir.join("db")
    }

    pub fn journal_path(dir: &Path) -> PathBuf {
        dir.join("journal.fdj")
    }

    /// Opens the store in `dir`, creating it on first use, and replays any journal records the
    /// database has not applied yet.
    pub fn open(
        dir: &Path,
        regulation: &Regulation,
        options: StoreOptions,
    ) -> Result<Store, StoreError> {
        fs::create_dir_all(dir).map_err(io(dir))?;
        let db_path = Self::db_path(dir);
        let db = sled::Config::new()
            .path(&db_path)
            .cache_capacity(options.cache_capacity)
            .mode(sled::Mode::LowSpace)
            .open()
            .map_err(|source| match source {
                sled::Error::Io(ref e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    StoreError::Locked
                }
                sled::Error::Io(ref e) if e.to_string().contains("lock") => StoreError::Locked,
                source => StoreError::Open {
                    path: db_path.display().to_string(),
                    message: source.to_string(),
                },
            })?;
        let tree = |name: &str| db.open_tree(name);
        let trees = Trees {
            cases: tree("cases")?,
            intakes: tree("intakes")?,
            by_case: tree("by_case")?,
            by_receipt: tree("by_receipt")?,
            by_iin: tree("by_iin")?,
            by_name: tree("by_name")?,
            by_step: tree("by_step")?,
            by_owner: tree("by_owner")?,
            by_deadline: tree("by_deadline")?,
            by_opened: tree("by_opened")?,
            meta: tree("meta")?,
        };
        let tail = match trees.meta.get(META_TAIL)? {
            Some(bytes) => {
                let (last_seq, last_hash, end): (u64, Hash, u64) = decode(&bytes)?;
                JournalTail {
                    last_seq,
                    last_hash,
                    end,
                }
            }
            None => JournalTail::EMPTY,
        };
        let (journal, pending) = Journal::open(&Self::journal_path(dir), tail)?;
        let step_owners = StepOwners::new(regulation);
        let journal_file = journal.sync_handle()?;
        let durable_seq = Mutex::new(tail.last_seq);
        let store = Store {
            dir: dir.to_path_buf(),
            db,
            trees,
            durable_seq,
            journal_file,
            journal: Mutex::new(journal),
            options,
            step_owners,
            replayed_on_open: pending.len() as u64,
        };
        for record in &pending {
            store.project(record, record.end())?;
        }
        if !pending.is_empty() {
            store.db.flush()?;
        }
        restrict_permissions(dir)?;
        Ok(store)
    }

    /// Rebuilds the database of `dir` from its journal alone. The old database is moved aside,
    /// not deleted.
    pub fn recover(
        dir: &Path,
        regulation: &Regulation,
        options: StoreOptions,
    ) -> Result<(Store, PathBuf), StoreError> {
        // Refuse to rebuild from a damaged journal (a torn tail is cut off by `open`).
        journal::verify(&Self::journal_path(dir))?;
        let db_path = Self::db_path(dir);
        let aside = dir.join(format!(
            "db.damaged-{}",
            chrono::Utc::now().format("%Y%m%dT%H%M%S")
        ));
        if db_path.exists() {
            fs::rename(&db_path, &aside).map_err(io(&db_path))?;
        }
        let store = Store::open(dir, regulation, options)?;
        Ok((store, aside))
    }

    /// How many journal records the database lacked when it was opened. One is an interrupted
    /// write; more mean the database lost data it had acknowledged (damage), now repaired.
    pub fn replayed_on_open(&self) -> u64 {
        self.replayed_on_open
    }

    /// A message for the operator when opening had to repair the database.
    pub fn open_notice(&self) -> Option<String> {
        match self.replayed_on_open {
            0 => None,
            1 => Some("the last write had not reached the database (an interrupted stop); it was applied from the journal".into()),
            n => Some(format!(
                "the database was {n} events behind its journal: it lost acknowledged data (damage or a restored copy). It was brought up to date from the journal; run `frontdesk audit verify` and check the disk"
            )),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn meta_u64(&self, key: &[u8]) -> Result<u64, StoreError> {
        Ok(match self.trees.meta.get(key)? {
            Some(bytes) => decode(&bytes)?,
            None => 0,
        })
    }

    /// Decides and durably appends one event under the write lock. `decide` sees the current
    /// state through the [`super::WriteView`]; the returned case is what was stored.
    pub fn write<E>(
        &self,
        decide: impl FnOnce(&dyn super::WriteView) -> Result<EventRecord, E>,
    ) -> Result<Result<(StoredEvent, Case), E>, StoreError> {
        self.write_observed(decide, |_, _| {})
    }

    /// [`Store::write`], calling `observe(previous, current)` under the write lock once the
    /// event is projected, so observers see events in log order.
    pub fn write_observed<E>(
        &self,
        decide: impl FnOnce(&dyn super::WriteView) -> Result<EventRecord, E>,
        observe: impl FnOnce(Option<&Case>, &Case),
    ) -> Result<Result<(StoredEvent, Case), E>, StoreError> {
        let mut journal = self
            .journal
            .lock()
            .map_err(|_| StoreError::Poisoned("a writer panicked".into()))?;
        let record = match decide(&LockedView { store: self }) {
            Ok(record) => record,
            Err(e) => return Ok(Err(e)),
        };
        let payload = encode(&record)?;
        let appended = journal.append(&payload, false)?;
        let end = journal.tail().end;
        let (previous, case) = self
            .project(&appended, end)
            .map_err(|e| StoreError::Poisoned(e.to_string()))?;
        observe(previous.as_ref(), &case);
        drop(journal);
        if self.options.durable {
            self.make_durable(appended.seq)?;
        }
        Ok(Ok((
            StoredEvent {
                seq: appended.seq,
                hash: appended.hash,
                record,
            },
            case,
        )))
    }

    /// Group commit: fsyncs the journal and flushes sled up to at least `seq`. Writers that
    /// arrive while a sync runs are covered by the next one, so concurrent accepts share fsyncs;
    /// each is acknowledged only once its own record is durable.
    fn make_durable(&self, seq: u64) -> Result<(), StoreError> {
        let mut durable = self
            .durable_seq
            .lock()
            .map_err(|_| StoreError::Poisoned("a writer panicked".into()))?;
        if *durable >= seq {
            return Ok(());
        }
        let target = self.journal_tail()?.last_seq;
        self.journal_file
            .sync_data()
            .map_err(|source| StoreError::Io {
                path: Self::journal_path(&self.dir).display().to_string(),
                source,
            })?;
        self.db.flush()?;
        *durable = target;
        Ok(())
    }

    /// Makes everything written so far durable (after a non-durable bulk load).
    pub fn sync(&self) -> Result<(), StoreError> {
        let journal = self
            .journal
            .lock()
            .map_err(|_| StoreError::Poisoned("a writer panicked".into()))?;
        journal.sync()?;
        self.db.flush()?;
        Ok(())
    }

    /// Applies one journal record to every tree in one transaction.
    fn project(
        &self,
        appended: &JournalRecord,
        journal_end: u64,
    ) -> Result<(Option<Case>, Case), StoreError> {
        let record: EventRecord = decode(&appended.payload)?;
        let previous = self.case(record.case_id)?;
        let creates = matches!(
            record.event,
            CaseEvent::Accepted { .. } | CaseEvent::RefusedToAccept { .. }
        );
        if creates == previous.is_some() {
            return Err(StoreError::Inconsistent(format!(
                "event {} {} case {}",
                appended.seq,
                if creates {
                    "re-creates"
                } else {
                    "refers to a missing"
                },
                record.case_id
            )));
        }
        let old_entries = previous
            .as_ref()
            .map(|c| keys::index_entries(c, &self.owners(c)))
            .unwrap_or_default();
        let case = Case::apply(previous.clone(), &record).ok_or_else(|| {
            StoreError::Inconsistent(format!("event {} made no case", appended.seq))
        })?;
        let new_entries = keys::index_entries(&case, &self.owners(&case));

        let stored = encode(&EventEntry {
            offset: appended.offset,
            hash: appended.hash,
        })?;
        let case_bytes = encode(&case.state())?;
        let intake_bytes = if creates {
            Some(encode(&case.intake)?)
        } else {
            None
        };
        let tail = encode(&(appended.seq, appended.hash, journal_end))?;
        let id = keys::id_key(case.id);
        let next_case = encode(&(self.meta_u64(META_NEXT_CASE)?.max(case.id + 1)))?;
        let receipt_counter = match &record.event {
            CaseEvent::Accepted { receipt_no, .. }
            | CaseEvent::RefusedToAccept { receipt_no, .. } => {
                let key = receipt_counter_key(&receipt_no.office, receipt_no.year);
                let value = self.meta_u64(&key)?.max(receipt_no.seq);
                Some((key, encode(&value)?))
            }
            _ => None,
        };
        let t = &self.trees;
        let trees = [
            &t.cases,
            &t.intakes,
            &t.by_case,
            &t.meta,
            &t.by_receipt,
            &t.by_iin,
            &t.by_name,
            &t.by_step,
            &t.by_owner,
            &t.by_deadline,
            &t.by_opened,
        ];
        let result: Result<(), TransactionError<()>> = trees[..].transaction(|tx| {
            let [cases, intakes, by_case, meta, indexes @ ..] = &tx[..] else {
                unreachable!("the transaction spans the eleven trees listed above")
            };
            cases.insert(&id[..], case_bytes.as_slice())?;
            if let Some(intake) = &intake_bytes {
                intakes.insert(&id[..], intake.as_slice())?;
            }
            // The event log: (case, seq) → where the journal holds the event, and its hash.
            by_case.insert(
                keys::event_of_case(case.id, appended.seq),
                stored.as_slice(),
            )?;
            let changes = [
                (&old_entries.by_receipt, &new_entries.by_receipt),
                (&old_entries.by_iin, &new_entries.by_iin),
                (&old_entries.by_name, &new_entries.by_name),
                (&old_entries.by_step, &new_entries.by_step),
                (&old_entries.by_owner, &new_entries.by_owner),
                (&old_entries.by_deadline, &new_entries.by_deadline),
                (&old_entries.by_opened, &new_entries.by_opened),
            ];
            for (tree, (old, new)) in indexes.iter().zip(changes) {
                for key in old.iter().filter(|k| !new.contains(k)) {
                    tree.remove(key.as_slice())?;
                }
                for key in new.iter().filter(|k| !old.contains(k)) {
                    tree.insert(key.as_slice(), &id[..])?;
                }
            }
            meta.insert(META_TAIL, tail.as_slice())?;
            meta.insert(META_NEXT_CASE, next_case.as_slice())?;
            if let Some((key, value)) = &receipt_counter {
                meta.insert(key.as_slice(), value.as_slice())?;
            }
            Ok::<(), ConflictableTransactionError<()>>(())
        });
        result.map_err(|e| match e {
            TransactionError::Storage(e) => StoreError::from(e),
            TransactionError::Abort(()) => StoreError::Inconsistent("transaction aborted".into()),
        })?;
        Ok((previous, case))
    }

    fn owners(&self, case: &Case) -> Vec<OwnerKey> {
        self.step_owners.of(case)
    }

    pub fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        match self.trees.cases.get(keys::id_key(id))? {
            Some(bytes) => Ok(Some(self.join(decode(&bytes)?)?)),
            None => Ok(None),
        }
    }

    /// A case's intake, read from its own tree.
    fn join(&self, state: CaseState) -> Result<Case, StoreError> {
        let bytes = self
            .trees
            .intakes
            .get(keys::id_key(state.id))?
            .ok_or_else(|| StoreError::Inconsistent(format!("case {} has no intake", state.id)))?;
        Ok(state.join(decode(&bytes)?))
    }

    pub fn case_by_receipt(&self, receipt_no: &str) -> Result<Option<Case>, StoreError> {
        let Some(receipt_no) = normalise_receipt_no(receipt_no) else {
            return Ok(None);
        };
        match self.trees.by_receipt.get(receipt_no.as_bytes())? {
            Some(id) => match keys::id_from(&id) {
                Some(id) => self.case(id),
                None => Err(StoreError::Inconsistent(
                    "receipt index holds a bad id".into(),
                )),
            },
            None => Ok(None),
        }
    }

    /// A case by its number or its receipt number.
    pub fn find(&self, reference: &str) -> Result<Option<Case>, StoreError> {
        let reference = reference.trim();
        match reference.parse::<CaseId>() {
            Ok(id) => self.case(id),
            Err(_) => self.case_by_receipt(reference),
        }
    }

    /// The history of a case, oldest first, read from the journal.
    pub fn events_of(&self, id: CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        let path = Self::journal_path(&self.dir);
        let mut events = Vec::new();
        for entry in self.trees.by_case.scan_prefix(keys::id_key(id)) {
            let (key, value) = entry?;
            let seq_bytes: [u8; 8] = key[8..]
                .try_into()
                .map_err(|_| StoreError::Inconsistent("bad event key".into()))?;
            let seq = u64::from_be_bytes(seq_bytes);
            let entry: EventEntry = decode(&value)?;
            let record = journal::read_at(&self.journal_file, &path, entry.offset, seq)?;
            if record.hash != entry.hash {
                return Err(StoreError::Inconsistent(format!(
                    "event {seq} differs from the journal"
                )));
            }
            events.push(StoredEvent {
                seq,
                hash: record.hash,
                record: decode(&record.payload)?,
            });
        }
        Ok(events)
    }

    /// Calls `f` with the state of every case whose number is in `[from, to)`, decoded one at a
    /// time, and the whole case when `want_whole` says so (for open ones, say).
    pub fn for_each_state_in(
        &self,
        from: CaseId,
        to: CaseId,
        want_whole: impl Fn(&CaseState) -> bool,
        mut f: impl FnMut(CaseState, Option<Case>),
    ) -> Result<(), StoreError> {
        for entry in self.trees.cases.range(keys::id_key(from)..keys::id_key(to)) {
            let state: CaseState = decode(&entry?.1)?;
            if want_whole(&state) {
                let whole = self.join(state.clone())?;
                f(state, Some(whole));
            } else {
                f(state, None);
            }
        }
        Ok(())
    }

    /// One more than the highest case number.
    pub fn next_case_id(&self) -> Result<CaseId, StoreError> {
        Ok(self.meta_u64(META_NEXT_CASE)?.max(1))
    }

    /// Runs `f` while no write can happen.
    pub fn with_writes_paused<T>(&self, f: impl FnOnce() -> T) -> Result<T, StoreError> {
        let _journal = self
            .journal
            .lock()
            .map_err(|_| StoreError::Poisoned("a writer panicked".into()))?;
        Ok(f())
    }

    /// Every case (a full scan: for rebuilding totals and reports, never for a screen's list).
    pub fn all_cases(&self) -> Result<Vec<Case>, StoreError> {
        self.trees
            .cases
            .iter()
            .map(|entry| self.join(decode(&entry?.1)?))
            .collect()
    }

    pub fn journal_tail(&self) -> Result<JournalTail, StoreError> {
        Ok(self
            .journal
            .lock()
            .map_err(|_| StoreError::Poisoned("a writer panicked".into()))?
            .tail())
    }

    pub fn case_count(&self) -> usize {
        self.trees.cases.len()
    }

    /// Checks the database's event log against the journal: same count, same hashes.
    pub fn verify_against_journal(&self) -> Result<Option<String>, StoreError> {
        let path = Self::journal_path(&self.dir);
        let mut reader = journal::Reader::open(&path, JournalTail::EMPTY)?;
        let mut records = 0usize;
        while let Some(record) = reader.next_record()? {
            records += 1;
            let Ok(event) = decode::<EventRecord>(&record.payload) else {
                return Ok(Some(format!(
                    "journal record {} does not decode",
                    record.seq
                )));
            };
            let key = keys::event_of_case(event.case_id, record.seq);
            let entry = match self.trees.by_case.get(key)? {
                None => {
                    return Ok(Some(format!(
                        "journal record {} is not in the database",
                        record.seq
                    )))
                }
                Some(bytes) => match decode::<EventEntry>(&bytes) {
                    Ok(entry) => entry,
                    Err(e) => {
                        return Ok(Some(format!(
                            "database event {} is damaged: {e}",
                            record.seq
                        )))
                    }
                },
            };
            if entry.hash != record.hash || entry.offset != record.offset {
                return Ok(Some(format!(
                    "database event {} differs from the journal",
                    record.seq
                )));
            }
        }
        let logged = self.trees.by_case.len();
        if logged != records {
            return Ok(Some(format!(
                "the database logs {logged} events, the journal holds {records}"
            )));
        }
        Ok(None)
    }
}
