//! Subcommands for scripts and administrators, over the same core the screens use.

mod admin_cmd;
mod board_cmd;
mod calendar_cmd;
mod case_cmd;
mod output;
mod queue_cmd;
mod regulation_cmd;
mod report_cmd;
mod serve_cmd;
mod session;
mod tui_cmd;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::calendar::HolidayCalendar;
use crate::config::default_data_dir;
use crate::domain::Regulation;
use crate::service::{Clock, ServiceError, SetupError, Site, SiteOptions};
use crate::source_error::FieldErrors;
use crate::store::StoreError;

/// An error that ends a command: printed to stderr, exit status 1.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Message(String),
    #[error("{0}")]
    Files(#[from] FieldErrors),
    #[error("{0}")]
    Setup(#[from] SetupError),
    #[error("{0}")]
    Service(#[from] ServiceError),
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A finding that sets the exit code (`audit verify`: 1 repairable, 2 data lost or damaged).
    #[error("{message}")]
    Status { code: u8, message: String },
}

pub type CliResult = Result<(), CliError>;

#[derive(Debug, Parser)]
#[command(
    name = "frontdesk",
    version,
    about = "Counter terminal for the rural specialists' social support service"
)]
pub struct Cli {
    /// Data directory (default: $XDG_DATA_HOME/frontdesk or ~/.local/share/frontdesk).
    #[arg(long, global = true, value_name = "DIR", env = "FRONTDESK_DATA")]
    data: Option<PathBuf>,
    /// Send case commands to the daemon on this socket (automatic when the data directory's
    /// daemon is running).
    #[arg(long, global = true, value_name = "SOCKET")]
    connect: Option<PathBuf>,
    /// Keep cases in this PostgreSQL database (postgresql://…) instead of the data directory's
    /// store; overrides the configuration's `[store] url`.
    #[arg(long, global = true, value_name = "URL", env = "FRONTDESK_STORE")]
    store: Option<String>,
    /// Act as this staff member (default: the OS user).
    #[arg(long = "as", global = true, value_name = "STAFF_ID")]
    as_staff: Option<String>,
    /// Regulation file to use instead of the embedded one.
    #[arg(long, global = true, value_name = "FILE", env = "FRONTDESK_REGULATION")]
    regulation: Option<PathBuf>,
    /// Holiday calendar file to use instead of the embedded one.
    #[arg(long, global = true, value_name = "FILE", env = "FRONTDESK_CALENDAR")]
    calendar: Option<PathBuf>,
    /// Treat this instant as "now" (RFC 3339), for training, demos and tests.
    #[arg(long, global = true, value_name = "RFC3339", env = "FRONTDESK_NOW", value_parser = parse_instant)]
    now: Option<DateTime<Utc>>,
    /// Key bindings: default, vim or kiosk.
    #[arg(
        long,
        global = true,
        default_value = "default",
        env = "FRONTDESK_KEYMAP"
    )]
    keymap: String,
    /// A keymap file merged over the chosen one (default: keymap.toml in the data directory).
    #[arg(long, global = true, value_name = "FILE")]
    keymap_file: Option<PathBuf>,
    /// ASCII borders and symbols (automatic when TERM=linux).
    #[arg(long, global = true)]
    ascii: bool,
    /// High-contrast colours, for kiosks.
    #[arg(long, global = true)]
    high_contrast: bool,
    /// Interface language at start: kk, ru or en.
    #[arg(long, global = true)]
    lang: Option<crate::domain::Lang>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Working-time arithmetic: how deadlines are counted.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
    /// The regulation: check a file, show the active route.
    #[command(subcommand)]
    Regulation(regulation_cmd::RegulationCommand),
    /// Cases: accept, list, show, act.
    #[command(subcommand)]
    Case(Box<case_cmd::CaseCommand>),
    /// The walk-in queue: arrive, call, list.
    #[command(subcommand)]
    Queue(queue_cmd::QueueCommand),
    /// Receipts: show, print (reprints say DUPLICATE), void.
    #[command(subcommand)]
    Receipt(case_cmd::ReceiptCommand),
    /// Export cases for a spreadsheet.
    #[command(subcommand)]
    Export(admin_cmd::ExportCommand),
    /// Write a commented example configuration into the data directory.
    Init {
        /// Replace an existing configuration.
        #[arg(long)]
        force: bool,
        /// A data directory for training: `--now` may set its clock, its receipts say TRAINING.
        #[arg(long)]
        training: bool,
    },
    /// Rebuild the database from the journal alone (the old database is kept aside). Refuses
    /// when the journal holds less history than the database, the newest backup or the receipt
    /// numbers record.
    Recover {
        /// Cut the journal at its first damaged record (the cut bytes are kept beside it) and
        /// list the cases and receipt numbers lost, to key again from the paper receipts.
        #[arg(long)]
        salvage: bool,
    },
    /// Check the journal's hash chain and the database against it.
    #[command(subcommand)]
    Audit(admin_cmd::AuditCommand),
    /// Copy the journal and configuration into DIR, consistently, even while the app runs.
    Backup { dir: PathBuf },
    /// Run the daemon that owns the store; staff connect to it over a Unix socket.
    Serve {
        /// Socket path (default: FRONTDESK_SOCKET, else frontdesk.sock in the data directory).
        #[arg(long)]
        socket: Option<PathBuf>,
    },
    /// The counter screen as a client of the daemon (what sshd's ForceCommand runs).
    Connect {
        /// Socket path (default: FRONTDESK_SOCKET, else frontdesk.sock in the data directory).
        socket: Option<PathBuf>,
    },
    /// Figures for a period: per step, staff member and measure; overruns; refusals.
    Report(report_cmd::ReportArgs),
    /// Check socket, permissions, configuration and database, and say what to fix.
    Doctor {
        #[arg(long)]
        socket: Option<PathBuf>,
    },
    /// The hall board for a kiosk display: tickets being served, in large characters; no names.
    Board {
        /// The daemon's socket (default: FRONTDESK_SOCKET, else the data directory's).
        socket: Option<PathBuf>,
    },
    /// Key bindings: check a keymap file.
    #[command(subcommand)]
    Keymap(tui_cmd::KeymapCommand),
    /// Fill the data directory with generated cases, for training, demos and benchmarks.
    Fixture {
        #[arg(long, default_value_t = 1000)]
        cases: u64,
        /// How many of them stay open (the rest are carried to issue).
        #[arg(long, default_value_t = 50)]
        open: u64,
    },
    /// Copy this site's cases (its journal: events, receipt numbers, chain) into a PostgreSQL
    /// database, keeping every number; safe to run again, it copies only what is new.
    Migrate {
        /// The database: postgresql://USER@HOST/DATABASE.
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Put a backup back: the journal and configuration are restored and the database rebuilt.
    Restore {
        dir: PathBuf,
        /// Replace existing data (it is moved aside, not deleted).
        #[arg(long)]
        force: bool,
    },
}

/// Parses an RFC 3339 instant for a command-line argument.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            format!("`{text}` is not an RFC 3339 instant ({e}); e.g. 2026-11-25T09:00:00+05:00")
        })
}

pub(crate) fn read_file(path: &std::path::Path) -> Result<String, CliError> {
    Ok(crate::service::read(path)?)
}

impl Cli {
    pub(crate) fn data_dir(&self) -> PathBuf {
        self.data.clone().unwrap_or_else(default_data_dir)
    }

    /// Who is at the keyboard: `--as`, else the OS login's staff member, else the
    /// configuration's `default_staff`.
    pub(crate) fn whoami(&self, site: &Site) -> Result<crate::config::Staff, CliError> {
        site.config
            .identify(
                self.as_staff.as_deref(),
                crate::config::os_user().as_deref(),
            )
            .cloned()
            .map_err(|e| CliError::Message(e.to_string()))
    }

    pub(crate) fn site(&self) -> Result<Site, CliError> {
        Ok(Site::load(&SiteOptions {
            data_dir: self.data_dir(),
            store_url: self.store.clone(),
            regulation: self.regulation.clone(),
            calendar: self.calendar.clone(),
        })?)
    }

    pub(crate) fn holidays(&self) -> Result<Arc<HolidayCalendar>, CliError> {
        Ok(self.site()?.regulation.holidays())
    }

    pub(crate) fn regulation(&self) -> Result<Arc<Regulation>, CliError> {
        Ok(self.site()?.regulation)
    }

    /// The daemon's socket: given, else that of the data directory `--data` (or FRONTDESK_DATA)
    /// names, else FRONTDESK_SOCKET, else the default data directory's. A named data directory
    /// wins over the environment's socket, so `--data DIR` never acts on another site's daemon.
    pub(crate) fn socket(&self, given: Option<&std::path::Path>) -> PathBuf {
        let environment = std::env::var_os("FRONTDESK_SOCKET").filter(|s| !s.is_empty());
        match (given, &self.data, environment) {
            (Some(given), _, _) => given.to_path_buf(),
            (None, Some(data), _) => crate::protocol::server::default_socket(data),
            (None, None, Some(environment)) => PathBuf::from(environment),
            (None, None, None) => crate::protocol::server::default_socket(&self.data_dir()),
        }
    }

    pub(crate) fn clock(&self) -> Clock {
        self.now.map_or(Clock::System, Clock::Fixed)
    }

    /// A clock that runs: from `--now` if given (training), else real time.
    pub(crate) fn clock_running(&self) -> Clock {
        self.now.map_or(Clock::System, Clock::shifted)
    }

    /// The PostgreSQL database this site keeps its cases in, if it does (`--store`,
    /// `FRONTDESK_STORE`, or the configuration's `[store] url`).
    pub(crate) fn database_url(&self) -> Option<String> {
        self.store
            .clone()
            .or_else(|| self.site().ok().and_then(|site| site.store_url))
    }

    /// `--now` on a live data directory may read (a report "as of"), never write: the times of
    /// live cases, receipts and queues are the real ones; nor on a site whose cases are in a
    /// shared database, whatever its directory says.
    pub(crate) fn clock_may_write(&self) -> Result<(), CliError> {
        if self.now.is_none() {
            return Ok(());
        }
        // The training mark is a data directory's; a shared database holds live cases.
        if self.database_url().is_some() {
            return Err(CliError::Message(
                "--now (or FRONTDESK_NOW) sets the clock only on a training data directory's own store, and this site keeps its cases in a PostgreSQL database ([store] url, --store or FRONTDESK_STORE): drop --now, or train on a directory made with `frontdesk init --training` without a database".into(),
            ));
        }
        if !crate::config::is_training(&self.data_dir()) {
            return Err(CliError::Message(format!(
                "--now (or FRONTDESK_NOW) sets the clock only on a training data directory, and {} holds live cases: drop --now, or use a directory made with `frontdesk init --training`",
                self.data_dir().display()
            )));
        }
        Ok(())
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock().now()
    }
}

/// A message as it may reach a terminal: errors echo what was typed (an unknown id, a file's
/// text), and escape codes in it must not act on the terminal. Line breaks are kept.
fn terminal_safe(message: &str) -> String {
    message
        .lines()
        .map(|line| crate::domain::text::shown_safely(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Entry point of the binary.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    // Everything frontdesk creates holds or guards personal data: owner-only from the start.
    crate::store::owner_only_umask();
    let one_shot = !matches!(
        cli.command,
        None | Some(Command::Serve { .. } | Command::Connect { .. } | Command::Board { .. })
    );
    if one_shot {
        // A command piped into `head` ends quietly when its reader goes, as Unix tools do,
        // instead of panicking on a broken pipe. Its output follows its durable write.
        // SAFETY: setting a signal's disposition to the default, before any thread starts.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let result = match &cli.command {
        Some(Command::Calendar(command)) => calendar_cmd::run(&cli, command),
        Some(Command::Regulation(command)) => regulation_cmd::run(&cli, command),
        Some(Command::Case(command)) => case_cmd::run(&cli, command.as_ref()),
        Some(Command::Queue(command)) => queue_cmd::run(&cli, command),
        Some(Command::Receipt(command)) => case_cmd::run_receipt(&cli, command),
        Some(Command::Export(command)) => admin_cmd::export(&cli, command),
        Some(Command::Init { force, training }) => admin_cmd::init(&cli, *force, *training),
        Some(Command::Recover { salvage }) => admin_cmd::recover(&cli, *salvage),
        Some(Command::Fixture { cases, open }) => admin_cmd::fixture(&cli, *cases, *open),
        Some(Command::Audit(command)) => admin_cmd::audit(&cli, command),
        Some(Command::Backup { dir }) => admin_cmd::backup(&cli, dir),
        Some(Command::Restore { dir, force }) => admin_cmd::restore(&cli, dir, *force),
        Some(Command::Migrate { to }) => admin_cmd::migrate(&cli, to),
        Some(Command::Keymap(command)) => tui_cmd::keymap(command),
        Some(Command::Board { socket }) => board_cmd::board(&cli, socket.as_deref()),
        Some(Command::Report(args)) => report_cmd::run(&cli, args),
        Some(Command::Doctor { socket }) => admin_cmd::doctor(&cli, socket.as_deref()),
        Some(Command::Serve { socket }) => serve_cmd::serve(&cli, socket.as_deref()),
        Some(Command::Connect { socket }) => tui_cmd::connect(&cli, socket.as_deref()),
        None => tui_cmd::run(&cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Status { code, message }) => {
            eprintln!("{}", terminal_safe(&message));
            ExitCode::from(code)
        }
        Err(error) => {
            eprintln!("error: {}", terminal_safe(&error.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// Prints a value as pretty JSON.
pub(crate) fn print_json(value: &impl serde::Serialize) -> CliResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Message(e.to_string()))?;
    println!("{text}");
    Ok(())
}
