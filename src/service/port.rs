//! The client port: how screens, the CLI and the transport reach the application core, with
//! requests and responses only. [`Embedded`] calls the core in this process; the socket client
//! implements the same trait.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{Failure, Request, Response, Service};
use crate::domain::case::Actor;
use crate::store::OpenRepair;

pub trait Core {
    /// The core's answer, or why there is none: a [`Failure`] screens say in their language.
    fn execute(&self, request: Request) -> Result<Response, Failure>;
    fn now(&self) -> DateTime<Utc>;
    /// What the clerk must know from the moment the core was reached: a repaired store.
    fn startup_repairs(&self) -> Vec<OpenRepair> {
        Vec::new()
    }
}

/// The core in this process.
pub struct Embedded {
    pub service: Arc<Service>,
    pub actor: Actor,
}

impl Core for Embedded {
    fn execute(&self, request: Request) -> Result<Response, Failure> {
        self.service
            .execute(&self.actor, request)
            .map_err(Failure::from)
    }

    fn now(&self) -> DateTime<Utc> {
        self.service.now()
    }

    fn startup_repairs(&self) -> Vec<OpenRepair> {
        self.service.store().open_repairs()
    }
}
