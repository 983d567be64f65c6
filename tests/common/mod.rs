//! Helpers shared by the integration tests: a site on a temporary data directory.
#![allow(dead_code)]

pub mod daemon;
pub mod pg;
pub mod pty;

use std::path::Path;

use chrono::{DateTime, Utc};
use frontdesk::config::Config;
use frontdesk::domain::case::Actor;
use frontdesk::domain::intake::IntakeForm;
use frontdesk::service::{Clock, Service, Site, SiteOptions};

/// What a run of the binary printed.
pub struct CliRun {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl CliRun {
    /// Both streams, for messages that may go to either.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs the frontdesk binary on `data`, with no daemon socket or clock taken from the
/// environment.
pub fn run_cli(data: &Path, args: &[&str]) -> CliRun {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("FRONTDESK_SOCKET")
        .env_remove("FRONTDESK_NOW")
        .output()
        .unwrap();
    CliRun {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn site(dir: &Path) -> Site {
    Site::load(&SiteOptions {
        data_dir: dir.to_path_buf(),
        ..SiteOptions::default()
    })
    .unwrap()
}

pub fn service(dir: &Path, clock: Clock) -> Service {
    Service::open(site(dir), dir, clock).unwrap()
}

/// A service on the memory store and the embedded site: no directory at all.
pub fn memory_service(clock: Clock) -> Service {
    let site = site(Path::new("/nonexistent/frontdesk-memory-site"));
    let store = frontdesk::store::MemoryStore::new(&site.regulation);
    Service::new(Box::new(store), site, clock)
}

pub fn actor(config: &Config, id: &str) -> Actor {
    config.staff_member(id).unwrap().actor()
}

pub fn form(channel: &str, iin: &str, name: &str, all_documents: bool) -> IntakeForm {
    let mut documents: Vec<String> = [
        "application",
        "identity-document",
        "diploma",
        "employment-record",
        "address-certificate",
        "previous-residence",
    ]
    .map(String::from)
    .to_vec();
    if !all_documents {
        documents.retain(|d| d != "address-certificate");
    }
    IntakeForm {
        channel: channel.into(),
        measures: vec!["lifting-allowance".into()],
        iin: iin.into(),
        name: name.into(),
        documents,
        ..IntakeForm::default()
    }
}
