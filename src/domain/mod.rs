//! The pure domain: the regulation as data, cases and their lifecycle, the IIN, receipt content.

pub mod case;
pub mod iin;
pub mod instant_serde;
pub mod intake;
pub mod lifecycle;
pub mod query;
pub mod receipt;
pub mod receipt_no;
pub mod regulation;
pub mod text;

pub use regulation::{Action, Regulation, RouteStep};
pub use text::{Lang, Text};

#[cfg(test)]
mod lifecycle_tests;
