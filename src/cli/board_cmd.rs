//! `frontdesk board`: the hall board, a read-only screen for the waiting hall.

use std::io::IsTerminal;
use std::sync::Arc;

use super::{Cli, CliError, CliResult};
use crate::service::port::Embedded;
use crate::service::Service;

/// `frontdesk board`: the hall board, as a client of the daemon (or on this kiosk's own store).
pub fn board(cli: &Cli, socket: Option<&std::path::Path>) -> CliResult {
    if !std::io::stdout().is_terminal() {
        return Err(CliError::Message("frontdesk board needs a terminal".into()));
    }
    let ascii = super::tui_cmd::ascii_wanted(cli);
    let socket = cli.socket(socket);
    // A socket left by a daemon that stopped (killed, restarting) means a daemon serves this
    // site: the board waits for it rather than open the store itself, which would lock the
    // daemon out when it comes back.
    if socket.exists() && std::os::unix::net::UnixStream::connect(&socket).is_err() {
        eprintln!(
            "frontdesk board: the daemon at {} is not answering; waiting for it (Ctrl-C stops)",
            socket.display()
        );
        while std::os::unix::net::UnixStream::connect(&socket).is_err() {
            if !socket.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
    if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
        let (remote, notices, welcome) =
            crate::protocol::client::Remote::connect(&socket).map_err(CliError::Message)?;
        let staff: Vec<_> = welcome
            .staff_list
            .iter()
            .filter(|s| s.office == welcome.office.code)
            .cloned()
            .collect();
        return crate::tui::board_loop::run_board(&remote, notices, staff, ascii)
            .map_err(CliError::Message);
    }
    let site = cli.site()?;
    let me = cli.whoami(&site)?;
    let staff: Vec<_> = site
        .config
        .staff
        .iter()
        .filter(|s| s.office == me.office)
        .cloned()
        .collect();
    let service = Arc::new(Service::open(site, &cli.data_dir(), cli.clock_running())?);
    let notices = service.subscribe();
    let core = Embedded {
        service,
        actor: me.actor(),
    };
    crate::tui::board_loop::run_board(&core, notices, staff, ascii).map_err(CliError::Message)
}
