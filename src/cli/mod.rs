//! Subcommands for scripts and administrators, over the same core the screens use.

mod calendar_cmd;
mod regulation_cmd;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::calendar::{default_holidays, HolidayCalendar, HolidayData};
use crate::domain::regulation::DEFAULT_REGULATION_TOML;
use crate::domain::Regulation;
use crate::source_error::{from_toml_error, FieldErrors};

/// An error that ends a command: printed to stderr, exit status 1.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Message(String),
    #[error("{0}")]
    Files(#[from] FieldErrors),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

pub type CliResult = Result<(), CliError>;

#[derive(Debug, Parser)]
#[command(
    name = "frontdesk",
    version,
    about = "Counter terminal for the rural specialists' social support service"
)]
pub struct Cli {
    /// Regulation file to use instead of the embedded one.
    #[arg(long, global = true, value_name = "FILE", env = "FRONTDESK_REGULATION")]
    regulation: Option<PathBuf>,
    /// Holiday calendar file to use instead of the embedded one.
    #[arg(long, global = true, value_name = "FILE", env = "FRONTDESK_CALENDAR")]
    calendar: Option<PathBuf>,
    /// Treat this instant as "now" (RFC 3339), for training, demos and tests.
    #[arg(long, global = true, value_name = "RFC3339", env = "FRONTDESK_NOW", value_parser = parse_instant)]
    now: Option<DateTime<Utc>>,
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
}

/// Parses an RFC 3339 instant for a command-line argument.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            format!("`{text}` is not an RFC 3339 instant ({e}); e.g. 2026-11-25T09:00:00+05:00")
        })
}

pub(crate) fn read_file(path: &PathBuf) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// Parses and validates a holiday calendar file.
pub(crate) fn load_holidays(name: &str, source: &str) -> Result<HolidayCalendar, FieldErrors> {
    let data: HolidayData =
        toml::from_str(source).map_err(|e| FieldErrors(vec![from_toml_error(name, source, &e)]))?;
    let problems = data.validate();
    if !problems.is_empty() {
        return Err(FieldErrors(
            problems
                .into_iter()
                .map(
                    |crate::calendar::HolidayDataError::Invalid { path, message }| {
                        crate::source_error::field_error(name, source, &path, message)
                    },
                )
                .collect(),
        ));
    }
    Ok(HolidayCalendar::new(&data))
}

impl Cli {
    pub(crate) fn holidays(&self) -> Result<Arc<HolidayCalendar>, CliError> {
        match &self.calendar {
            None => Ok(default_holidays()),
            Some(path) => {
                let source = read_file(path)?;
                Ok(Arc::new(load_holidays(
                    &path.display().to_string(),
                    &source,
                )?))
            }
        }
    }

    pub(crate) fn regulation(&self) -> Result<Regulation, CliError> {
        let holidays = self.holidays()?;
        match &self.regulation {
            None => Ok(Regulation::parse(
                "embedded regulation",
                DEFAULT_REGULATION_TOML,
                holidays,
            )?),
            Some(path) => {
                let source = read_file(path)?;
                Ok(Regulation::parse(
                    &path.display().to_string(),
                    &source,
                    holidays,
                )?)
            }
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.now.unwrap_or_else(Utc::now)
    }
}

/// Entry point of the binary.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Calendar(command)) => calendar_cmd::run(&cli, command),
        Some(Command::Regulation(command)) => regulation_cmd::run(&cli, command),
        None => regulation_cmd::run(
            &cli,
            &regulation_cmd::RegulationCommand::Show { json: false },
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
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
