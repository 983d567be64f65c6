//! The PostgreSQL engine: one record for many daemons (one per office or district server).
//!
//! One event is one transaction: the event, its office's hash-chain head, the case row and the
//! receipt counter commit together or not at all. Writers take row locks (the receipt counter of
//! their office and year, the case they change, their office's chain head), so receipts stay
//! gapless per office and year and each office's chain stays linear with any number of daemons
//! writing; a deadlock or a lost connection before commit re-runs the decision on a fresh
//! connection. Each event carries a request id: a commit whose answer was lost is looked up by
//! it, so nothing is acknowledged that was not committed, and nothing is written twice.
//!
//! Each office has its own hash chain (see the README, "An oblast on one database"): offices
//! then write independently, and one district's chain proves its own record.

mod drafts;
mod import;
mod listen;
mod query;
pub mod schema;
mod write;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};
use r2d2_postgres::r2d2;
use r2d2_postgres::PostgresConnectionManager;

use super::{CaseStore, Decide, LinkWatch, Observe, StoreError, Watch};
use crate::codec::decode;
use crate::domain::case::{Case, CaseId, CaseState, StoredEvent};
use crate::domain::intake::Draft;
use crate::domain::query::{normalise_receipt_no, CaseQuery, StepOwners};
use crate::domain::Regulation;

pub use import::ImportSummary;

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;
type Pooled = r2d2::PooledConnection<PostgresConnectionManager<NoTls>>;

/// How long a write keeps trying through a lost link or a restarting server before it gives
/// up (and says that nothing was saved).
const RETRY_FOR: Duration = Duration::from_secs(10);
/// Connections each daemon keeps to the database at most.
pub(crate) const POOL_SIZE: u32 = 8;
/// The channel every daemon listens on; the payload is the office whose chain grew.
pub const NOTICE_CHANNEL: &str = "frontdesk_events";

/// The connection settings of a store URL, for messages: host and database, never the password.
pub fn describe(config: &postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    format!(
        "PostgreSQL database `{}` on {host}",
        config.get_dbname().unwrap_or("(default)")
    )
}

pub fn parse_url(url: &str) -> Result<postgres::Config, StoreError> {
    url.parse::<postgres::Config>().map_err(|e| StoreError::Connect {
        what: "the store URL".into(),
        message: format!("{e}; write it as postgresql://USER@HOST/DATABASE or postgresql:///DATABASE?host=/run/postgresql"),
    })
}

impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> StoreError {
        if is_link_error(&error) {
            StoreError::Unavailable(error.to_string())
        } else {
            StoreError::Engine(error.to_string())
        }
    }
}

/// An error and what caused it, in one line (the client's own message is often only
/// "error connecting to server").
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// The connection, not the request, failed: another connection may succeed.
fn is_link_error(error: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    if error.is_closed() {
        return true;
    }
    match error.code() {
        // Server going down, refusing connections while starting, or cancelled by an admin.
        Some(code) => {
            [
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CRASH_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
                SqlState::CONNECTION_FAILURE,
                SqlState::CONNECTION_EXCEPTION,
            ]
            .contains(code)
                || code.code().starts_with("08")
        }
        // No SQL state: an I/O error on the socket.
        None => error.as_db_error().is_none(),
    }
}

/// Another run of the same decision may succeed (a deadlock or serialization conflict).
fn is_conflict(error: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    matches!(
        error.code(),
        Some(code) if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED
    )
}

pub(crate) struct Shared {
    pub(crate) config: postgres::Config,
    pub(crate) step_owners: StepOwners,
    /// Who this process is in the `writer` column.
    pub(crate) writer: String,
    pub(crate) stop: AtomicBool,
}

pub struct PgStore {
    shared: Arc<Shared>,
    pool: Pool,
    /// Appends hold it shared; `with_appends_paused` holds it alone (within this process).
    appends: RwLock<()>,
    /// Request ids made here for writes that came without one.
    request_counter: AtomicU64,
    listener: Mutex<Option<std::thread::JoinHandle<()>>>,
}

fn poisoned<T>(_: T) -> StoreError {
    StoreError::Poisoned("a writer panicked".into())
}

/// A value unlikely to repeat across processes and starts: names this process's writes.
fn writer_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{}-{:016x}", std::process::id(), hasher.finish())
}

impl PgStore {
    /// Connects to the database of `url`, creating or upgrading its schema.
    pub fn open(url: &str, regulation: &Regulation) -> Result<PgStore, StoreError> {
        Self::open_config(parse_url(url)?, regulation)
    }

    pub fn open_config(
        mut config: postgres::Config,
        regulation: &Regulation,
    ) -> Result<PgStore, StoreError> {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.application_name("frontdesk");
        let unreachable = |message: String| StoreError::Connect {
            what: describe(&config),
            message,
        };
        let mut client = config
            .connect(NoTls)
            .map_err(|e| unreachable(with_causes(&e)))?;
        schema::migrate(&mut client).map_err(|e| unreachable(with_causes(&e)))?;
        drop(client);
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(0))
            // No test query at each checkout (a round trip per write): a connection found
            // broken in use fails before its commit, and the write runs again on a fresh one.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(2))
            .build_unchecked(PostgresConnectionManager::new(config.clone(), NoTls));
        Ok(PgStore {
            shared: Arc::new(Shared {
                config,
                step_owners: StepOwners::new(regulation),
                writer: writer_id(),
                stop: AtomicBool::new(false),
            }),
            pool,
            appends: RwLock::new(()),
            request_counter: AtomicU64::new(0),
            listener: Mutex::new(None),
        })
    }

    /// A pooled connection, waiting through a short outage.
    fn connection(&self) -> Result<Pooled, StoreError> {
        let started = Instant::now();
        loop {
            match self.pool.get() {
                Ok(connection) => return Ok(connection),
                Err(e) if started.elapsed() >= RETRY_FOR => {
                    return Err(StoreError::Unavailable(format!(
                        "{}: {e}",
                        describe(&self.shared.config)
                    )))
                }
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }

    /// Runs a read on a pooled connection, again on another if the link failed: after a
    /// restart of the server every idle connection of the pool is broken, and each is found so
    /// (and let go) only when used.
    fn read<T>(
        &self,
        mut f: impl FnMut(&mut Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tries = 0;
        loop {
            tries += 1;
            let mut connection = self.connection()?;
            match f(&mut connection) {
                Err(StoreError::Unavailable(_)) if tries <= POOL_SIZE => continue,
                other => return other,
            }
        }
    }

    /// Checks every office's hash chain from its first event: the count of events checked, or
    /// the first break found.
    pub fn verify_chains(&self) -> Result<Result<u64, String>, StoreError> {
        self.read(write::verify_chains)
    }

    /// The configuration this store connects with (for tools that open more connections).
    pub fn config(&self) -> &postgres::Config {
        &self.shared.config
    }

    fn fresh_request_id(&self) -> String {
        format!(
            "{}-{}",
            self.shared.writer,
            self.request_counter.fetch_add(1, Ordering::Relaxed)
        )
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Ok(mut listener) = self.listener.lock() {
            if let Some(handle) = listener.take() {
                let _ = handle.join();
            }
        }
    }
}

/// A case from its stored state and intake.
pub(crate) fn join(state: &[u8], intake: &[u8]) -> Result<Case, StoreError> {
    let state: CaseState = decode(state)?;
    Ok(state.join(decode(intake)?))
}

impl CaseStore for PgStore {
    fn append(
        &self,
        decide: &mut Decide,
        observe: &mut Observe,
    ) -> Result<Option<(StoredEvent, Case)>, StoreError> {
        self.append_request(None, decide, observe)
    }

    fn append_request(
        &self,
        request_id: Option<&str>,
        decide: &mut Decide,
        observe: &mut Observe,
    ) -> Result<Option<(StoredEvent, Case)>, StoreError> {
        let _appending = self.appends.read().map_err(poisoned)?;
        let given = request_id.is_some();
        let request_id = match request_id {
            Some(id) => id.to_string(),
            None => self.fresh_request_id(),
        };
        // Nothing was committed: the writer is told so in as many words.
        let appended = match self.append_retrying(&request_id, given, decide) {
            Err(StoreError::Unavailable(cause)) => {
                return Err(StoreError::NotSavedUnreachable(cause))
            }
            other => other?,
        };
        match appended {
            write::Appended::Declined => Ok(None),
            write::Appended::Earlier(stored, case) => Ok(Some((stored, case))),
            write::Appended::New {
                stored,
                previous,
                case,
            } => {
                observe(previous.as_ref(), &case);
                Ok(Some((stored, case)))
            }
        }
    }

    fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        self.read(|client| {
            let Ok(id) = i64::try_from(id) else {
                return Ok(None);
            };
            match client.query_opt("SELECT state, intake FROM cases WHERE id = $1", &[&id])? {
                Some(row) => Ok(Some(join(row.get(0), row.get(1))?)),
                None => Ok(None),
            }
        })
    }

    fn case_by_receipt(&self, receipt_no: &str) -> Result<Option<Case>, StoreError> {
        let Some(key) = normalise_receipt_no(receipt_no) else {
            return Ok(None);
        };
        self.read(|client| {
            match client.query_opt(
                "SELECT state, intake FROM cases WHERE receipt_no = $1",
                &[&key],
            )? {
                Some(row) => Ok(Some(join(row.get(0), row.get(1))?)),
                None => Ok(None),
            }
        })
    }

    fn query(&self, query: &CaseQuery) -> Result<Vec<Case>, StoreError> {
        self.read(|client| query::run(client, query))
    }

    fn history(&self, id: CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        let Ok(id) = i64::try_from(id) else {
            return Ok(Vec::new());
        };
        self.read(|client| write::events_of(client, id, i64::MAX))
    }

    fn for_each_state_in(
        &self,
        from: CaseId,
        to: CaseId,
        want_whole: &dyn Fn(&CaseState) -> bool,
        f: &mut dyn FnMut(CaseState, Option<Case>),
    ) -> Result<(), StoreError> {
        // As `read`, but only while nothing was handed to `f` yet: a scan that failed half way
        // is not begun again (`f` would see its first cases twice).
        let mut tries = 0;
        loop {
            tries += 1;
            let mut handed = false;
            let mut connection = self.connection()?;
            let mut counted = |state: CaseState, whole: Option<Case>| {
                handed = true;
                f(state, whole)
            };
            match query::for_each_state_in(&mut connection, from, to, want_whole, &mut counted) {
                Err(StoreError::Unavailable(_)) if !handed && tries <= POOL_SIZE => continue,
                other => return other,
            }
        }
    }

    fn next_case_id(&self) -> Result<CaseId, StoreError> {
        self.read(|client| {
            let next: i64 = client
                .query_one("SELECT coalesce(max(id), 0) + 1 FROM cases", &[])?
                .get(0);
            Ok(next as CaseId)
        })
    }

    fn with_appends_paused(&self, f: &mut dyn FnMut()) -> Result<(), StoreError> {
        let _paused = self.appends.write().map_err(poisoned)?;
        f();
        Ok(())
    }

    fn save_draft(&self, staff_id: &str, draft: &Draft) -> Result<(), StoreError> {
        self.read(|client| drafts::save(client, staff_id, draft))
    }

    fn drop_draft(&self, staff_id: &str, slot: &str) -> Result<(), StoreError> {
        self.read(|client| drafts::drop(client, staff_id, slot))
    }

    fn load_drafts(&self, staff_id: &str) -> Result<Vec<Draft>, StoreError> {
        self.read(|client| drafts::load(client, staff_id))
    }

    fn flush(&self) -> Result<(), StoreError> {
        // Every commit is already durable (synchronous_commit stays on).
        Ok(())
    }

    fn open_notice(&self) -> Option<String> {
        None
    }

    fn watch(&self, notify: Box<Watch>, link: Box<LinkWatch>) {
        let Ok(mut listener) = self.listener.lock() else {
            return;
        };
        if listener.is_some() {
            return;
        }
        // Positions from now, so that nothing committed after this call is missed; when the
        // database cannot be read now, the listener takes them when it first connects.
        let positions = self
            .connection()
            .and_then(|mut client| listen::heads(&mut client))
            .ok();
        *listener = Some(listen::spawn(self.shared.clone(), positions, notify, link));
    }
}
