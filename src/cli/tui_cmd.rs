//! `frontdesk` with no subcommand: the counter TUI on the embedded core. `frontdesk keymap check`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Subcommand;

use super::{read_file, Cli, CliError, CliResult};
use crate::service::port::Embedded;
use crate::service::Service;
use crate::tui::core::Context;
use crate::tui::keymap::{Keymap, Mode};
use crate::tui::runtime::Connection;
use crate::tui::state::{State, Tone};
use crate::tui::theme::Theme;

#[derive(Debug, Subcommand)]
pub enum KeymapCommand {
    /// Check a keymap file: every error with file, line and key.
    Check { file: PathBuf },
}

pub fn keymap(command: &KeymapCommand) -> CliResult {
    let KeymapCommand::Check { file } = command;
    let source = read_file(file)?;
    let keymap = Keymap::check(&file.display().to_string(), &source)?;
    let count: usize = Mode::ALL.iter().map(|m| keymap.bindings(*m).count()).sum();
    println!("{}: valid; {count} bindings", file.display());
    Ok(())
}

/// The chosen shipped keymap with the user's file over it. A broken user file does not stop
/// the counter: the shipped keys are used and the problem is reported.
fn load_keymap(cli: &Cli) -> Result<(Keymap, Option<String>), CliError> {
    let user_path = cli
        .keymap_file
        .clone()
        .or_else(|| Some(cli.data_dir().join("keymap.toml")).filter(|p| p.exists()));
    let user = match &user_path {
        Some(path) => Some((path.display().to_string(), read_file(path)?)),
        None => None,
    };
    match Keymap::load(
        &cli.keymap,
        user.as_ref().map(|(n, s)| (n.as_str(), s.as_str())),
    ) {
        Ok(keymap) => Ok((keymap, None)),
        Err(errors) if user.is_some() => {
            let shipped = Keymap::load(&cli.keymap, None)?;
            Ok((shipped, Some(errors.to_string())))
        }
        Err(errors) => Err(errors.into()),
    }
}

/// ASCII borders when asked, or on a console that cannot draw box characters.
pub(super) fn ascii_wanted(cli: &Cli) -> bool {
    cli.ascii || std::env::var("TERM").is_ok_and(|t| t == "linux")
}

/// The screens' state at start, with the keymap problem (if any) on the status line.
fn screen_state(
    cli: &Cli,
    context: Context,
    keymap: Keymap,
    keymap_problem: Option<&str>,
    lang: crate::domain::Lang,
    now: chrono::DateTime<chrono::Utc>,
) -> State {
    let theme = Theme {
        high_contrast: cli.high_contrast,
        ascii: ascii_wanted(cli),
    };
    let mut state = State::new(context, keymap, lang, theme, now);
    if let Some(problem) = keymap_problem {
        let first_line = problem.lines().next().unwrap_or("");
        state.message = Some((
            Tone::Bad,
            format!("{} — {first_line}", crate::tui::i18n::t(lang, "msg.keymap")),
        ));
    }
    state
}

pub fn run(cli: &Cli) -> CliResult {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::Message(
            "frontdesk needs a terminal for its screens; for scripts use the subcommands (frontdesk --help)".into(),
        ));
    }
    // sled allows one process per database: with the daemon running, be its client.
    if let Some(socket) = cli.running_daemon() {
        return connect(cli, Some(&socket));
    }
    // The counter screen writes (arrivals, intakes, drafts).
    cli.clock_may_write()?;
    let (keymap, keymap_problem) = load_keymap(cli)?;
    let site = cli.site()?;
    let staff = cli.whoami(&site)?;
    let office =
        site.config.office(&staff.office).cloned().ok_or_else(|| {
            CliError::Message(format!("office `{}` is not configured", staff.office))
        })?;
    let lang = cli.lang.unwrap_or(site.config.language);
    let context = Context {
        regulation: site.regulation.clone(),
        me: staff.clone(),
        office,
        staff: site.config.staff.clone(),
    };
    let clock = cli.clock_running();
    let mut state = screen_state(
        cli,
        context,
        keymap,
        keymap_problem.as_deref(),
        lang,
        clock.now(),
    );
    state.loading = true;
    let data_dir = cli.data_dir();
    let config_file = crate::config::config_path(&data_dir);
    if keymap_problem.is_none() && !config_file.exists() {
        // The embedded example staff and offices are not a real site: say so, and how to make one.
        let text = crate::tui::i18n::t(lang, "msg.demo")
            .replace("{path}", &config_file.display().to_string());
        state.message = Some((Tone::Info, text));
    }
    let socket = cli.socket(None);
    // The data directory's socket, served beside the screen while it is open (owner only): the
    // hall board, reports and scripts of this kiosk are its clients rather than locked out.
    let socket_guard = Arc::new(std::sync::Mutex::new(None));
    let keep_socket = socket_guard.clone();
    let connect = move || -> Result<Connection, String> {
        let service = Arc::new(Service::open(site, &data_dir, clock).map_err(|e| e.to_string())?);
        let notices = service.subscribe();
        // Without the socket the screen still works; other commands then wait for it to close.
        if let Ok(guard) = crate::protocol::server::serve_beside_screen(service.clone(), &socket) {
            if let Ok(mut kept) = keep_socket.lock() {
                *kept = Some(guard);
            }
        }
        let actor = staff.actor();
        Ok((Box::new(Embedded { service, actor }), notices))
    };
    let outcome = crate::tui::runtime::run(state, connect).map_err(CliError::Message);
    drop(socket_guard);
    outcome?;
    if let Some(problem) = keymap_problem {
        eprintln!("keymap: {problem}");
    }
    Ok(())
}

/// `frontdesk connect`: the same screens, over the daemon.
pub fn connect(cli: &Cli, socket: Option<&std::path::Path>) -> CliResult {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::Message(
            "frontdesk connect needs a terminal (ssh -t)".into(),
        ));
    }
    let socket = cli.socket(socket);
    let (remote, notices, welcome) =
        crate::protocol::client::Remote::connect(&socket).map_err(CliError::Message)?;
    let (keymap, keymap_problem) = load_keymap(cli)?;
    let regulation = welcome.sources.regulation()?;
    let lang = cli.lang.unwrap_or(welcome.language);
    let context = Context {
        regulation: Arc::new(regulation),
        me: welcome.staff.clone(),
        office: welcome.office.clone(),
        staff: welcome.staff_list.clone(),
    };
    let now = crate::service::port::Core::now(&remote);
    let state = screen_state(cli, context, keymap, keymap_problem.as_deref(), lang, now);
    let connect = move || -> Result<Connection, String> { Ok((Box::new(remote), notices)) };
    crate::tui::runtime::run(state, connect).map_err(CliError::Message)?;
    Ok(())
}
