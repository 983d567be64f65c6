//! The store: the contract on every engine, the journal under faults, kills and a full disk, PostgreSQL.
//!
//! One test binary for these, so the crate is linked once for all of them.

#[path = "../common/mod.rs"]
mod common;

mod contract;
mod crash;
mod full_disk;
mod pg;
mod pg_restart;
mod shared_totals;
mod store;
mod store_faults;
