//! The pure domain: the regulation as data, cases and their lifecycle, the IIN, receipt content.

pub mod iin;
pub mod regulation;
pub mod text;

pub use regulation::{Action, Regulation, RouteStep};
pub use text::{Lang, Text};
