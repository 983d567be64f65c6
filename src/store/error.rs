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
    #[error("the database does not match the journal: {0}; rebuild it with `frontdesk recover`")]
    Inconsistent(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the store is locked by another frontdesk process (sled allows one); connect to it, or stop it first")]
    Locked,
    #[error("the database cannot be reached ({0}); nothing was saved: check the link to the database server, then try again")]
    Unavailable(String),
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
