//! `frontdesk serve`: the daemon that owns the store and serves the counters over a socket.

use std::sync::Arc;

use super::{Cli, CliError, CliResult};
use crate::service::Service;

/// `frontdesk serve`.
pub fn serve(cli: &Cli, socket: Option<&std::path::Path>) -> CliResult {
    crate::protocol::logging::init();
    cli.clock_may_write()?;
    let site = cli.site()?;
    let service = Arc::new(Service::open(site, &cli.data_dir(), cli.clock_running())?);
    if let Some(notice) = service.store().open_notice() {
        tracing::warn!("{notice}");
    }
    let socket = cli.socket(socket);
    crate::protocol::server::serve(service, &socket)
        .map_err(|e| CliError::Message(format!("{}: {e}", socket.display())))
}
