//! How the screens reach the application core: requests and responses only. Embedded mode
//! calls the core in this process; a socket client can implement the same trait.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::{Office, Staff};
use crate::domain::case::Actor;
use crate::domain::Regulation;
use crate::service::{Request, Response, Service};

pub trait Core {
    fn execute(&self, request: Request) -> Result<Response, String>;
    fn now(&self) -> DateTime<Utc>;
    /// Something the clerk must know from the moment the core was reached (a repaired store).
    fn startup_notice(&self) -> Option<String> {
        None
    }
}

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

/// The core in this process.
pub struct Embedded {
    pub service: Arc<Service>,
    pub actor: Actor,
}

impl Core for Embedded {
    fn execute(&self, request: Request) -> Result<Response, String> {
        self.service
            .execute(&self.actor, request)
            .map_err(|e| e.to_string())
    }

    fn now(&self) -> DateTime<Utc> {
        self.service.now()
    }

    fn startup_notice(&self) -> Option<String> {
        self.service.store().open_notice()
    }
}
