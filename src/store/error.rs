//! What can go wrong in any store, whatever the engine: each message names the cause and what
//! helps.

use crate::codec::CodecError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database at {path} cannot be opened ({message}); rebuild it from the journal with `frontdesk recover`")]
    Open { path: String, message: String },
    #[error("database error: {0}")]
    Engine(String),
    #[error("journal record {seq} at byte {offset} is damaged ({what}); run `frontdesk audit verify`, then restore the journal from a backup")]
    Damaged { seq: u64, offset: u64, what: String },
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
    #[error("the event was saved to the journal but the database update failed ({0}); restart frontdesk to apply it")]
    Poisoned(String),
}
