//! The durable case store. `sled` is the embedded engine: a hash-chained journal (the truth)
//! and sled trees (the event log, case projections and indexes) kept in step with it.

pub mod sled;

pub use self::sled::{
    journal, keys, restrict_permissions, CaseQuery, Store, StoreError, StoreOptions, StoredEvent,
    WriteView, DEFAULT_CACHE_BYTES,
};
