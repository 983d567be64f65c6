//! frontdesk: the counter terminal of the rural-specialist social support service.
//!
//! Layers, lowest first: `calendar` (working time), `domain` (the regulation, cases, IIN).

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
