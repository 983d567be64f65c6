//! What the screens know of the site, and the port they reach the core through (the
//! service's [`Core`]).

use std::sync::Arc;

use crate::config::{Office, Staff};
use crate::domain::case::Actor;
use crate::domain::Regulation;
pub use crate::service::port::{Core, Embedded};

/// What the screens need to know about the site to draw: names, roles, calendars.
#[derive(Clone)]
pub struct Context {
    pub regulation: Arc<Regulation>,
    pub me: Staff,
    pub office: Office,
    /// Everyone at the site, for names and the executor list.
    pub staff: Vec<Staff>,
}

impl Context {
    pub fn actor(&self) -> Actor {
        self.me.actor()
    }

    pub fn staff_name(&self, id: &str) -> String {
        self.staff
            .iter()
            .find(|s| s.id == id)
            .map_or(id.to_string(), |s| s.name.clone())
    }
}
