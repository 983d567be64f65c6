//! Where a command's requests go: the store in this process, or the daemon that owns it
//! (sled allows one process per database, so a running daemon is always used).

use std::os::unix::net::UnixStream;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{Cli, CliError};
use crate::domain::case::Case;
use crate::domain::query::CaseQuery;
use crate::domain::Regulation;
use crate::protocol::client::Remote;
use crate::service::port::Core;
use crate::service::{Request, Response, Service};

/// Cases per page when a command walks through many.
const PAGE: usize = 500;

enum Backend {
    Local(Box<Service>, crate::domain::case::Actor),
    Remote(Remote),
}

pub(crate) struct Session {
    backend: Backend,
    regulation: Arc<Regulation>,
    office_channel: String,
    receipt_width: usize,
    /// Why writes are refused here (`--now` on a live data directory).
    clock_refusal: Option<String>,
}

impl Session {
    pub fn execute(&self, request: Request) -> Result<Response, CliError> {
        if request.writes() {
            if let Some(refusal) = &self.clock_refusal {
                return Err(CliError::Message(refusal.clone()));
            }
        }
        match &self.backend {
            Backend::Local(service, actor) => Ok(service.execute(actor, request)?),
            Backend::Remote(remote) => remote
                .execute(request)
                .map_err(|failure| CliError::Message(failure.text)),
        }
    }

    /// Every case matching `query`, page by page in case-number order, so a list or an export of
    /// any size costs a page of memory on either side of the socket.
    pub fn for_each_case(
        &self,
        query: &CaseQuery,
        mut f: impl FnMut(&Case) -> Result<(), CliError>,
    ) -> Result<(), CliError> {
        let mut after = 0;
        loop {
            let Response::Page { cases, next } = self.execute(Request::Page {
                query: query.clone(),
                after,
                limit: PAGE,
            })?
            else {
                return Err(CliError::Message(
                    "unexpected answer to a page request".into(),
                ));
            };
            for case in &cases {
                f(case)?;
            }
            match next {
                Some(next) => after = next,
                None => return Ok(()),
            }
        }
    }

    pub fn regulation(&self) -> &Regulation {
        &self.regulation
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.backend {
            Backend::Local(service, _) => service.now(),
            Backend::Remote(remote) => remote.now(),
        }
    }

    /// The channel the user's office serves.
    pub fn office_channel(&self) -> &str {
        &self.office_channel
    }

    pub fn receipt_width(&self) -> usize {
        self.receipt_width
    }
}

impl Cli {
    /// The daemon's socket if one answers there (given with --connect, or the data directory's).
    pub(crate) fn running_daemon(&self) -> Option<std::path::PathBuf> {
        let socket = self.socket(self.connect.as_deref());
        if self.connect.is_some() || UnixStream::connect(&socket).is_ok() {
            Some(socket)
        } else {
            None
        }
    }

    /// A session for the commands that read and change cases.
    pub(crate) fn session(&self) -> Result<Session, CliError> {
        if let Some(socket) = self.running_daemon() {
            if self.as_staff.is_some() {
                return Err(CliError::Message(
                    "--as: with a running daemon you act as your OS login; the daemon decides who that is".into(),
                ));
            }
            let (remote, _notices, welcome) =
                Remote::connect(&socket).map_err(CliError::Message)?;
            let regulation = Arc::new(welcome.sources.regulation()?);
            return Ok(Session {
                backend: Backend::Remote(remote),
                regulation,
                office_channel: welcome.office.channel.clone(),
                receipt_width: crate::domain::receipt::ROLL_WIDTH,
                // The daemon's clock is the one that counts: a write never silently drops
                // the clock it was given.
                clock_refusal: self.now.is_some().then(|| {
                    format!(
                        "--now (or FRONTDESK_NOW) cannot reach the frontdesk answering on {}: its own clock counts; drop --now",
                        socket.display()
                    )
                }),
            });
        }
        let site = self.site()?;
        let staff = self.whoami(&site)?;
        let office_channel = site
            .config
            .office(&staff.office)
            .map(|o| o.channel.clone())
            .unwrap_or_default();
        let receipt_width = site.config.receipt_width;
        let regulation = site.regulation.clone();
        let service = Service::open(site, &self.data_dir(), self.clock())?;
        if let Some(notice) = service.store().open_notice() {
            eprintln!("note: {notice}");
        }
        Ok(Session {
            backend: Backend::Local(Box::new(service), staff.actor()),
            regulation,
            office_channel,
            receipt_width,
            clock_refusal: self.clock_may_write().err().map(|e| e.to_string()),
        })
    }
}
