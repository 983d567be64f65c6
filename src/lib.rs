//! frontdesk: the counter terminal of the rural-specialist social support service.
//!
//! Layers, lowest first; each imports only the layers below it (checked by `tests/cli/layers.rs`):
//! 1. `calendar` — working-time arithmetic: schedules, holidays, deadlines, explanations.
//! 2. `domain` — the regulation as data, cases and their lifecycle, the IIN, receipts, the
//!    query and event types every layer above shares. `countdown` reads a deadline's state.
//! 3. `store` — the `CaseStore` contract and its engines (sled with its journal, memory).
//! 4. `service` — the application core: requests, authorisation, notices, the client port.
//! 5. `protocol` — frames over the daemon's socket, and its client.
//! 6. `tui` — the screens.
//! 7. `cli` — the commands.
//!
//! Beside them: `codec` (the one byte format), `config`, `printer`, `source_error`.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

pub mod calendar;
pub mod cli;
pub mod codec;
pub mod config;
pub mod countdown;
pub mod domain;
pub mod printer;
pub mod protocol;
pub mod service;
pub mod source_error;
pub mod store;
pub mod tui;
