//! The screens: snapshots, the dashboard, and the real binary in a pseudo-terminal.
//!
//! One test binary for these, so the crate is linked once for all of them.

#[path = "../common/mod.rs"]
mod common;

mod dashboard;
mod screens;
mod tui_pty;
