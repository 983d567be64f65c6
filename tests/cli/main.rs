//! The commands: administration, the calendar, and the layers of the source.
//!
//! One test binary for these, so the crate is linked once for all of them.

#[path = "../common/mod.rs"]
mod common;

mod cli_admin;
mod cli_calendar;
mod layers;
