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
