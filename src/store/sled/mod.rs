//! The durable case store: a hash-chained journal (the truth) and sled trees (the event log,
//! case projections and indexes) kept in step with it.
//!
//! Every write goes journal first (one fsync, under the write lock), then one sled transaction
//! over all trees; it is acknowledged once the journal record is durable. sled writes its own
//! files in the background and at a clean stop; at open, the journal records past the
//! database's applied point are replayed. A database sled cannot open is rebuilt from an intact
//! journal at open; [`Store::recover`] does the same on demand, checking first that the journal
//! holds no less history than the database, the backups and the receipt numbers record.
//!
//! A failed journal append leaves nothing behind and stops saves until the journal is shown
//! whole and writable again (see [`journal`]); a database update that fails after its record
//! is durable is applied from the journal before the next save (sled is reopened: its errors
//! are sticky).

mod contract;
pub mod faulty_file;
pub mod inspect;
pub mod journal;
pub mod keys;
mod query;

use std::fs;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use super::{EngineKind, OpenRepair, StoreError};
use crate::codec::{decode, encode};
use crate::domain::case::{Case, CaseEvent, CaseId, CaseState, EventRecord, StoredEvent};
use crate::domain::query::{normalise_receipt_no, OwnerKey, StepOwners};
use crate::domain::receipt::ReceiptNo;
use crate::domain::Regulation;
use journal::{Hash, Journal, JournalError, JournalFile, JournalRecord, JournalTail};

/// Small by default: kiosks have little memory, and queries use indexes, not the cache.
pub const DEFAULT_CACHE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub cache_capacity: u64,
    /// fsync the journal before acknowledging. Only the bulk fixture generator turns this off,
    /// and it syncs once at the end.
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
        match error {
            ::sled::Error::Io(e) => StoreError::Engine(e.to_string()),
            other => StoreError::Engine(other.to_string()),
        }
    }
}

impl From<JournalError> for StoreError {
    fn from(error: JournalError) -> StoreError {
        match error {
            JournalError::Io { path, source } => StoreError::Io { path, source },
            JournalError::Damaged { seq, offset, what } => {
                StoreError::Damaged { seq, offset, what }
            }
            JournalError::DiskFull { dir } => StoreError::DiskFull { dir },
            JournalError::NotSaved {
                path,
                cause,
                action,
            } => StoreError::NotSaved {
                path,
                cause,
                action: action.to_string(),
            },
            JournalError::Shortened { length, applied } => StoreError::ShorterHistory {
                held: format!("{length} bytes"),
                recorded: format!("{applied} bytes applied"),
                evidence: "the database".into(),
            },
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
        let floor = self
            .store
            .receipt_floors
            .get(&(office.to_string(), year))
            .copied()
            .unwrap_or(0);
        let last = self
            .store
            .meta_u64(&receipt_counter_key(office, year))?
            .max(floor);
        Ok(ReceiptNo {
            office: office.to_string(),
            year,
            seq: last + 1,
        })
    }
}

/// The sled database and its trees: replaced as a whole when sled must be reopened.
struct Engine {
    db: sled::Db,
    trees: Trees,
}

pub struct Store {
    dir: PathBuf,
    /// `None` only while sled is being reopened after a failure.
    engine: RwLock<Option<Arc<Engine>>>,
    journal: Arc<Mutex<Journal>>,
    options: StoreOptions,
    /// Who owns each step, for the owner index (from the regulation).
    step_owners: StepOwners,
    /// Journal records the database lacked at open and that were replayed into it.
    replayed_on_open: u64,
    /// What opening repaired or found, for the operator.
    notices: Vec<String>,
    /// The same, by kind, for the screens.
    repairs: Vec<OpenRepair>,
    /// A record is durable in the journal but the database failed to apply it: the database is
    /// brought up to date before the next save.
    lagging: AtomicBool,
    /// The journal file again, for reading events without the writer's lock.
    journal_file: fs::File,
    /// The check of the history the database had applied, running from open: the first save
    /// waits for it, so nothing is acknowledged onto a journal found damaged there.
    history_check: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Receipt numbers a salvage lost: never issued again (see [`raise_receipt_floors`]).
    receipt_floors: inspect::ReceiptCounters,
}

impl Drop for Store {
    /// A clean stop writes sled's own files, so the next open has nothing to replay.
    fn drop(&mut self) {
        if let Ok(Some(engine)) = self.engine.read().map(|slot| slot.clone()) {
            let _ = engine.db.flush();
        }
    }
}

/// Creates a directory (and its parents) owner-only from the start.
pub fn create_private_dir(path: &Path) -> Result<(), StoreError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
        .map_err(io(path))
}

/// The file of receipt numbers a salvage cut off: they are on paper in applicants' hands, so
/// the counters never issue them again, although the journal no longer holds them.
const RECEIPT_FLOORS: &str = "receipt-floors.json";

fn read_receipt_floors(dir: &Path) -> Result<inspect::ReceiptCounters, StoreError> {
    let path = dir.join(RECEIPT_FLOORS);
    match fs::read(&path) {
        Ok(bytes) => {
            let listed: Vec<(String, i32, u64)> = serde_json::from_slice(&bytes).map_err(|e| {
                StoreError::inconsistent(EngineKind::Sled, format!("{}: {e}", path.display()))
            })?;
            Ok(listed
                .into_iter()
                .map(|(office, year, seq)| ((office, year), seq))
                .collect())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Default::default()),
        Err(source) => Err(StoreError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Raises the numbers below which no receipt is issued again (after a salvage lost some),
/// durably: written aside, fsynced and renamed.
pub fn raise_receipt_floors(dir: &Path, lost: &inspect::ReceiptCounters) -> Result<(), StoreError> {
    use std::io::Write;
    let mut floors = read_receipt_floors(dir)?;
    for (key, seq) in lost {
        let floor = floors.entry(key.clone()).or_insert(0);
        *floor = (*floor).max(*seq);
    }
    let listed: Vec<(&String, &i32, &u64)> = floors
        .iter()
        .map(|((office, year), seq)| (office, year, seq))
        .collect();
    let bytes = serde_json::to_vec(&listed)
        .map_err(|e| StoreError::inconsistent(EngineKind::Sled, e.to_string()))?;
    let path = dir.join(RECEIPT_FLOORS);
    let temporary = dir.join(format!("{RECEIPT_FLOORS}.new"));
    let io = |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temporary)
        .map_err(io)?;
    file.write_all(&bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    fs::rename(&temporary, &path).map_err(io)?;
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)
}

/// sled creates its directory and files with the process's umask: make everything this process
/// creates owner-only from the start (personal data lives here), instead of fixing modes after.
pub fn owner_only_umask() {
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

fn open_engine(db_path: &Path, options: &StoreOptions) -> Result<Engine, StoreError> {
    let db = sled::Config::new()
        .path(db_path)
        .cache_capacity(options.cache_capacity)
        .mode(sled::Mode::LowSpace)
        .open()
        .map_err(|source| match source {
            sled::Error::Io(ref e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                StoreError::Locked
            }
            sled::Error::Io(ref e) if e.to_string().contains("lock") => StoreError::Locked,
            sled::Error::Io(ref e) if is_disk_full(e) => {
                sled_failure(db_path.parent().unwrap_or(db_path), source)
            }
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
    Ok(Engine { db, trees })
}

/// How far into the journal the database has applied.
fn applied_tail(trees: &Trees) -> Result<JournalTail, StoreError> {
    Ok(match trees.meta.get(META_TAIL)? {
        Some(bytes) => {
            let (last_seq, last_hash, end): (u64, Hash, u64) = decode(&bytes)?;
            JournalTail {
                last_seq,
                last_hash,
                end,
            }
        }
        None => JournalTail::EMPTY,
    })
}

/// Whether an I/O error means a full disk (or quota). sled wraps some errors of its own
/// threads as text, so their description is read too.
fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT))
        || matches!(
            e.kind(),
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
        )
        || format!("{e:?}").contains("StorageFull")
}

/// A sled failure named by its cause: a full disk is said plainly.
fn sled_failure(dir: &Path, error: sled::Error) -> StoreError {
    match &error {
        sled::Error::Io(e) if is_disk_full(e) => StoreError::DiskFull {
            dir: dir.display().to_string(),
        },
        _ => StoreError::from(error),
    }
}

/// Moves `path` aside as `<name>.<label>-<time>`, keeping it; returns where it went.
pub fn move_aside(path: &Path, label: &str) -> Result<PathBuf, StoreError> {
    let name = path
        .file_name()
        .map_or_else(|| "store".to_string(), |n| n.to_string_lossy().into_owned());
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f");
    let aside = path.with_file_name(format!("{name}.{label}-{stamp}"));
    fs::rename(path, &aside).map_err(io(path))?;
    Ok(aside)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
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
        Self::open_with_journal_file(dir, regulation, options, |file| Arc::new(file))
    }

    /// [`Store::open`] with the journal file wrapped by `wrap` (tests inject faults this way).
    pub fn open_with_journal_file(
        dir: &Path,
        regulation: &Regulation,
        options: StoreOptions,
        wrap: impl FnOnce(fs::File) -> Arc<dyn JournalFile>,
    ) -> Result<Store, StoreError> {
        owner_only_umask();
        create_private_dir(dir)?;
        let db_path = Self::db_path(dir);
        let journal_path = Self::journal_path(dir);
        let mut notices = Vec::new();
        let mut repairs = Vec::new();
        let opened = open_engine(&db_path, &options)
            .and_then(|engine| Ok((applied_tail(&engine.trees)?, engine)));
        let (tail, engine) = match opened {
            Ok(opened) => opened,
            Err(e @ (StoreError::Locked | StoreError::DiskFull { .. })) => return Err(e),
            Err(damage) if db_path.exists() => {
                // An abrupt stop can leave sled 0.34 unopenable; the journal holds everything
                // it had, so rebuild from it when the journal itself is whole.
                let (journal_tail, _) =
                    journal::verify(&journal_path).map_err(|e| StoreError::Open {
                        path: db_path.display().to_string(),
                        message: format!("{damage}; the journal cannot rebuild it either: {e}"),
                    })?;
                let aside = move_aside(&db_path, "damaged")?;
                repairs.push(OpenRepair::Rebuilt {
                    events: journal_tail.last_seq,
                });
                notices.push(format!(
                    "the database could not be opened ({damage}); it was rebuilt from the journal ({} events). The damaged copy is kept at {}",
                    journal_tail.last_seq,
                    aside.display()
                ));
                let engine = open_engine(&db_path, &options)?;
                (JournalTail::EMPTY, engine)
            }
            Err(e) => return Err(e),
        };
        let file = journal::open_file(&journal_path)?;
        let journal::Opened {
            journal,
            pending,
            torn_bytes,
        } = Journal::open_with(&journal_path, wrap(file), tail)?;
        if torn_bytes > 0 {
            repairs.push(OpenRepair::TornSave { bytes: torn_bytes });
            notices.push(format!(
                "an interrupted save ({torn_bytes} bytes, never confirmed) was cut off the end of the journal"
            ));
        }
        if let Some(damage) = journal.failure() {
            repairs.push(OpenRepair::JournalDamaged);
            notices.push(format!(
                "{damage}; cases already in the database can still be read"
            ));
        }
        let step_owners = StepOwners::new(regulation);
        let journal_file = fs::File::open(&journal_path).map_err(io(&journal_path))?;
        let store = Store {
            dir: dir.to_path_buf(),
            engine: RwLock::new(Some(Arc::new(engine))),
            journal_file,
            journal: Arc::new(Mutex::new(journal)),
            options,
            step_owners,
            replayed_on_open: pending.len() as u64,
            notices,
            repairs,
            lagging: AtomicBool::new(false),
            history_check: Mutex::new(None),
            receipt_floors: read_receipt_floors(dir)?,
        };
        for record in &pending {
            store.project(record, record.end())?;
        }
        let check = store.check_history_in_background(tail);
        if let Ok(mut slot) = store.history_check.lock() {
            *slot = check;
        }
        Ok(store)
    }

    /// Reads the journal up to what the database had applied (the rest was read at open) in
    /// the background; damage found there stops saves, as damage found at open does.
    fn check_history_in_background(
        &self,
        applied: JournalTail,
    ) -> Option<std::thread::JoinHandle<()>> {
        if applied.last_seq == 0 {
            return None;
        }
        let journal = Arc::clone(&self.journal);
        let path = Self::journal_path(&self.dir);
        let spawned = std::thread::Builder::new()
            .name("journal-check".into())
            .spawn(move || {
                let Ok(mut reader) = journal::Reader::open(&path, JournalTail::EMPTY) else {
                    return;
                };
                let damage = loop {
                    match reader.next_record() {
                        Ok(Some(record)) if record.end() >= applied.end => {
                            if record.hash == applied.last_hash && record.end() == applied.end {
                                return;
                            }
                            break JournalError::Damaged {
                                seq: record.seq,
                                offset: record.offset,
                                what: "it is not the record the database applied there".into(),
                            };
                        }
                        Ok(Some(_)) => {}
                        Ok(None) => return,
                        Err(damage @ JournalError::Damaged { .. }) => break damage,
                        Err(_) => return,
                    }
                };
                if let Ok(mut journal) = journal.lock() {
                    journal.mark_damaged(damage);
                }
            });
        // Without a thread the check is skipped, not the store: `audit verify` does it too.
        spawned.ok()
    }

    /// Waits for the check of the applied history, once. The slot stays locked while waiting,
    /// so a second writer waits too; the check itself never takes this lock.
    fn wait_for_history_check(&self) {
        if let Ok(mut slot) = self.history_check.lock() {
            if let Some(check) = slot.take() {
                let _ = check.join();
            }
        }
    }

    /// Rebuilds the database of `dir` from its journal alone. The old database is moved aside,
    /// not deleted. Callers check first that the journal holds all of history
    /// ([`inspect::shortfalls`]).
    pub fn recover(
        dir: &Path,
        regulation: &Regulation,
        options: StoreOptions,
    ) -> Result<(Store, Option<PathBuf>), StoreError> {
        // Refuse to rebuild from a damaged journal (a torn tail is cut off by `open`).
        journal::verify(&Self::journal_path(dir))?;
        let db_path = Self::db_path(dir);
        let aside = if db_path.exists() {
            Some(move_aside(&db_path, "before-recover")?)
        } else {
            None
        };
        let store = Store::open(dir, regulation, options)?;
        Ok((store, aside))
    }

    /// How many journal records the database lacked when it was opened: the saves sled had not
    /// written yet when the last run stopped (sled writes behind the journal).
    pub fn replayed_on_open(&self) -> u64 {
        self.replayed_on_open
    }

    /// A message for the operator when opening repaired something or found damage.
    pub fn open_notice(&self) -> Option<String> {
        let mut notices = self.notices.clone();
        if self.replayed_on_open > 0 && notices.is_empty() {
            // The database writes its files behind the journal, so after an abrupt stop it
            // lags by the last moments' saves: that is expected, not a loss.
            notices.push(format!(
                "{} saved events had not reached the database before the last stop; they were applied from the journal",
                self.replayed_on_open
            ));
        }
        (!notices.is_empty()).then(|| notices.join("; "))
    }

    /// [`Store::open_notice`] by kind.
    pub fn open_repairs(&self) -> Vec<OpenRepair> {
        let mut repairs = self.repairs.clone();
        if self.replayed_on_open > 0 && repairs.is_empty() {
            repairs.push(OpenRepair::Replayed {
                events: self.replayed_on_open,
            });
        }
        repairs
    }

    fn engine(&self) -> Result<Arc<Engine>, StoreError> {
        self.engine
            .read()
            .map_err(|_| StoreError::Poisoned("a writer panicked".into()))?
            .clone()
            .ok_or_else(|| {
                StoreError::Engine(
                    "the database is closed after a failure; it reopens at the next save".into(),
                )
            })
    }

    /// Closes sled and opens it again: after an I/O error sled refuses everything until then.
    fn reopen_engine(&self) -> Result<(), StoreError> {
        let mut slot = self
            .engine
            .write()
            .map_err(|_| StoreError::Poisoned("a writer panicked".into()))?;
        if let Some(mut old) = slot.take() {
            // Readers hold the engine for one read at a time; sled's file lock goes with the
            // last handle, so wait for them.
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                match Arc::try_unwrap(old) {
                    Ok(engine) => {
                        drop(engine);
                        break;
                    }
                    Err(still_used) if Instant::now() > deadline => {
                        *slot = Some(still_used);
                        return Err(StoreError::Engine(
                            "the database is busy with a long read; try again".into(),
                        ));
                    }
                    Err(still_used) => {
                        old = still_used;
                        std::thread::sleep(Duration::from_millis(5));
                    }
                }
            }
        }
        let engine = open_engine(&Self::db_path(&self.dir), &self.options)?;
        *slot = Some(Arc::new(engine));
        Ok(())
    }

    /// Brings a database that failed to apply a durable record up to date from the journal.
    fn catch_up(&self, journal: &Journal) -> Result<(), StoreError> {
        if !self.lagging.load(Ordering::SeqCst) {
            return Ok(());
        }
        self.reopen_engine()?;
        let applied = applied_tail(&self.engine()?.trees)?;
        let target = journal.tail();
        let mut reader = journal::Reader::open(journal.path(), applied)?;
        while reader.offset() < target.end {
            let Some(record) = reader.next_record()? else {
                break;
            };
            self.project(&record, record.end())?;
        }
        self.lagging.store(false, Ordering::SeqCst);
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn meta_u64(&self, key: &[u8]) -> Result<u64, StoreError> {
        Ok(match self.engine()?.trees.meta.get(key)? {
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
        self.wait_for_history_check();
        let mut journal = self
            .journal
            .lock()
            .map_err(|_| StoreError::Poisoned("a writer panicked".into()))?;
        self.catch_up(&journal)?;
        let record = match decide(&LockedView { store: self }) {
            Ok(record) => record,
            Err(e) => return Ok(Err(e)),
        };
        let payload = encode(&record)?;
        // One fsync, under the lock: the record is durable before the database sees it, so a
        // failed fsync leaves nothing to undo there.
        let appended = journal.append(&payload, self.options.durable)?;
        let end = journal.tail().end;
        let (previous, case) = match self.project(&appended, end) {
            Ok(projected) => projected,
            Err(cause) => {
                self.lagging.store(true, Ordering::SeqCst);
                let cause = match cause {
                    StoreError::DiskFull { .. } => "the disk is full".to_string(),
                    other => other.to_string(),
                };
                return Err(StoreError::Applying {
                    seq: appended.seq,
                    cause,
                });
            }
        };
        observe(previous.as_ref(), &case);
        drop(journal);
        Ok(Ok((
            StoredEvent {
                seq: appended.seq,
                hash: appended.hash,
                record,
            },
            case,
        )))
    }

    /// Makes everything written so far durable: the journal fsynced and sled's own files
    /// written (after a bulk load, at a clean stop, at checkpoints).
    pub fn sync(&self) -> Result<(), StoreError> {
        let mut journal = self
            .journal
            .lock()
            .map_err(|_| StoreError::Poisoned("a writer panicked".into()))?;
        journal.sync()?;
        self.engine()?
            .db
            .flush()
            .map_err(|e| sled_failure(&self.dir, e))?;
        Ok(())
    }

    /// Why saves are refused right now (a failed write not yet shown repaired, damage).
    pub fn save_failure(&self) -> Option<String> {
        let journal = self.journal.lock().ok()?;
        journal.failure().map(ToString::to_string)
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
            return Err(StoreError::inconsistent(
                EngineKind::Sled,
                format!(
                    "event {} {} case {}",
                    appended.seq,
                    if creates {
                        "re-creates"
                    } else {
                        "refers to a missing"
                    },
                    record.case_id
                ),
            ));
        }
        let old_entries = previous
            .as_ref()
            .map(|c| keys::index_entries(c, &self.owners(c)))
            .unwrap_or_default();
        let case = Case::apply(previous.clone(), &record).ok_or_else(|| {
            StoreError::inconsistent(
                EngineKind::Sled,
                format!("event {} made no case", appended.seq),
            )
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
        let engine = self.engine()?;
        let t = &engine.trees;
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
            TransactionError::Storage(e) => sled_failure(&self.dir, e),
            TransactionError::Abort(()) => {
                StoreError::inconsistent(EngineKind::Sled, "transaction aborted")
            }
        })?;
        Ok((previous, case))
    }

    fn owners(&self, case: &Case) -> Vec<OwnerKey> {
        self.step_owners.of(case)
    }

    pub fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        match self.engine()?.trees.cases.get(keys::id_key(id))? {
            Some(bytes) => Ok(Some(self.join(decode(&bytes)?)?)),
            None => Ok(None),
        }
    }

    /// A case's intake, read from its own tree.
    fn join(&self, state: CaseState) -> Result<Case, StoreError> {
        let bytes = self
            .engine()?
            .trees
            .intakes
            .get(keys::id_key(state.id))?
            .ok_or_else(|| {
                StoreError::inconsistent(
                    EngineKind::Sled,
                    format!("case {} has no intake", state.id),
                )
            })?;
        Ok(state.join(decode(&bytes)?))
    }

    pub fn case_by_receipt(&self, receipt_no: &str) -> Result<Option<Case>, StoreError> {
        let Some(receipt_no) = normalise_receipt_no(receipt_no) else {
            return Ok(None);
        };
        match self.engine()?.trees.by_receipt.get(receipt_no.as_bytes())? {
            Some(id) => match keys::id_from(&id) {
                Some(id) => self.case(id),
                None => Err(StoreError::inconsistent(
                    EngineKind::Sled,
                    "receipt index holds a bad id",
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
        for entry in self.engine()?.trees.by_case.scan_prefix(keys::id_key(id)) {
            let (key, value) = entry?;
            let seq_bytes: [u8; 8] = key[8..]
                .try_into()
                .map_err(|_| StoreError::inconsistent(EngineKind::Sled, "bad event key"))?;
            let seq = u64::from_be_bytes(seq_bytes);
            let entry: EventEntry = decode(&value)?;
            let record = journal::read_at(&self.journal_file, &path, entry.offset, seq)?;
            if record.hash != entry.hash {
                return Err(StoreError::inconsistent(
                    EngineKind::Sled,
                    format!("event {seq} differs from the journal"),
                ));
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
        for entry in self
            .engine()?
            .trees
            .cases
            .range(keys::id_key(from)..keys::id_key(to))
        {
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
        self.engine()?
            .trees
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
        self.engine().map_or(0, |engine| engine.trees.cases.len())
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
            let entry = match self.engine()?.trees.by_case.get(key)? {
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
        let logged = self.engine()?.trees.by_case.len();
        if logged != records {
            return Ok(Some(format!(
                "the database logs {logged} events, the journal holds {records}"
            )));
        }
        Ok(None)
    }
}
