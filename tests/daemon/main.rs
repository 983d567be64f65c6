//! The daemon: live updates, limits, hostile requests, office scope, text safety, the training clock, the kiosk socket and OpenSSH.
//!
//! One test binary for these, so the crate is linked once for all of them.

#[path = "../common/mod.rs"]
mod common;

mod daemon;
mod daemon_limits;
mod hostile_requests;
mod kiosk;
mod office_scope;
mod ssh;
mod text_safety;
mod training_clock;
