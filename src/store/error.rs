//! What can go wrong in any store, whatever the engine: each message names the cause and what
//! helps.

use crate::codec::CodecError;

/// What opening a store repaired or found, for the one at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenRepair {
    /// The database could not be opened; it was rebuilt from the journal's `events`.
    Rebuilt { events: u64 },
    /// `events` saves had not reached the database before the last stop; the journal gave them.
    Replayed { events: u64 },
    /// An unconfirmed save of `bytes` was cut off the end of the journal.
    TornSave { bytes: u64 },
    /// The journal is damaged: cases can be read, nothing more is saved.
    JournalDamaged,
}

/// The engine a store error comes from, where the advice differs between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// sled with its journal: the journal is the truth and rebuilds the database.
    Sled,
    /// PostgreSQL: its own backups and point-in-time recovery, never `frontdesk recover`.
    Postgres,
    /// Held in this process only (tests, training).
    Memory,
}

impl EngineKind {
    /// What a contradiction in the stored data means, and what to do about it.
    pub fn inconsistency(self, what: &str) -> String {
        match self {
            EngineKind::Sled => format!(
                "the database does not match the journal: {what}; rebuild it with `frontdesk recover`"
            ),
            EngineKind::Postgres => format!(
                "the PostgreSQL record contradicts itself: {what}; check it with `frontdesk audit verify`, then restore the database with PostgreSQL's own tools (pg_restore of the last pg_dump, or point-in-time recovery from pg_basebackup and the WAL archive: README, \"An oblast on one database\"); `frontdesk recover` rebuilds only a sled store and does not apply"
            ),
            EngineKind::Memory => format!(
                "the in-memory store contradicts itself: {what}; restart frontdesk (an in-memory store keeps nothing)"
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database at {path} cannot be opened ({message}); rebuild it from the journal with `frontdesk recover`")]
    Open { path: String, message: String },
    #[error("database error: {0}")]
    Engine(String),
    #[error("not saved: the disk is full — free space on {dir}; frontdesk saves again by itself once there is room")]
    DiskFull { dir: String },
    #[error("not saved: writing {path} failed ({cause}); {action}")]
    NotSaved {
        path: String,
        cause: String,
        action: String,
    },
    #[error("saved in the journal as record {seq}, but the database could not apply it yet ({cause}); it is applied by itself before the next save — do not key it again")]
    Applying { seq: u64, cause: String },
    #[error("journal record {seq} at byte {offset} is damaged ({what}); nothing more is saved until it is dealt with: run `frontdesk audit verify`, then restore from a backup, or cut the damage off knowingly with `frontdesk recover --salvage`")]
    Damaged { seq: u64, offset: u64, what: String },
    #[error("the journal holds {held} but {evidence} records {recorded}: the journal was cut short or replaced; restore it from a backup (`frontdesk restore`), or accept the loss knowingly with `frontdesk recover --salvage`")]
    ShorterHistory {
        held: String,
        recorded: String,
        evidence: String,
    },
    #[error("stored value is damaged: {0}; run `frontdesk audit verify`")]
    Codec(#[from] CodecError),
    /// Stored data contradicts itself; what helps depends on the engine that holds it.
    #[error("{}", .engine.inconsistency(.what))]
    Inconsistent { engine: EngineKind, what: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the store is locked by another frontdesk process (sled allows one); connect to it, or stop it first")]
    Locked,
    #[error("the database cannot be reached ({0}); frontdesk reconnects by itself: try again in a moment, and if it lasts, check the link to the database server")]
    Unavailable(String),
    /// A write refused because the database could not be reached: nothing was committed.
    #[error("not saved: the database is unreachable ({0}); try again — frontdesk reconnects by itself; if it lasts, check the link to the database server")]
    NotSavedUnreachable(String),
    #[error("the link to the database dropped while saving ({0}); it may have been saved: look the case up before doing it again")]
    Uncertain(String),
    #[error("cannot use {what}: {message}; check that the server runs, the link to it, and the store URL ([store] url, --store or FRONTDESK_STORE)")]
    Connect { what: String, message: String },
    #[error("not kept: {limit} unsubmitted intakes are open already; submit one first")]
    TooManyDrafts { limit: usize },
    #[error("the site cannot be moved: {0}")]
    Migration(String),
    #[error("internal failure: {0}; restart frontdesk (the journal is replayed at start)")]
    Poisoned(String),
}

impl StoreError {
    pub fn inconsistent(engine: EngineKind, what: impl Into<String>) -> StoreError {
        StoreError::Inconsistent {
            engine,
            what: what.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inconsistency_is_advised_for_the_engine_that_holds_the_data() {
        let said = |engine| StoreError::inconsistent(engine, "case 7 has no intake").to_string();
        let sled = said(EngineKind::Sled);
        assert!(sled.contains("case 7 has no intake"), "{sled}");
        assert!(
            sled.contains("rebuild it with `frontdesk recover`"),
            "{sled}"
        );
        let postgres = said(EngineKind::Postgres);
        assert!(postgres.contains("case 7 has no intake"), "{postgres}");
        assert!(
            postgres.contains("pg_restore")
                && postgres.contains("point-in-time")
                && postgres.contains("audit verify"),
            "{postgres}"
        );
        assert!(!postgres.contains("rebuild it with"), "{postgres}");
        let memory = said(EngineKind::Memory);
        assert!(
            memory.contains("restart") && !memory.contains("recover"),
            "{memory}"
        );
    }
}
