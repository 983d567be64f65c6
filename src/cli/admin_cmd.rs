//! Administration: init, export, recover, audit, backup and restore.

use std::fs;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::Subcommand;

use super::output::{csv_field, local, status};
use super::{parse_instant, Cli, CliError, CliResult};
use crate::config::{config_path, EXAMPLE_CONFIG_TOML};
use crate::domain::query::CaseQuery;
use crate::store::sled::journal::{self, JournalTail};
use crate::store::{restrict_permissions, Store, StoreOptions};

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Cases as CSV (UTF-8) on standard output.
    Csv {
        /// Cases whose intake opened at or after this instant.
        #[arg(long, value_parser = parse_instant)]
        from: Option<DateTime<Utc>>,
        /// …and before this instant.
        #[arg(long, value_parser = parse_instant)]
        to: Option<DateTime<Utc>>,
        /// Start with a byte-order mark, for spreadsheets that need one to read UTF-8.
        #[arg(long)]
        bom: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the journal's hash chain and that the database matches it.
    Verify,
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> CliError + '_ {
    move |e| CliError::Message(format!("{}: {e}", path.display()))
}

pub fn init(cli: &Cli, force: bool) -> CliResult {
    let dir = cli.data_dir();
    fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    let path = config_path(&dir);
    if path.exists() && !force {
        return Err(CliError::Message(format!(
            "{} exists; edit it, or pass --force to replace it with the example",
            path.display()
        )));
    }
    fs::write(&path, EXAMPLE_CONFIG_TOML).map_err(io_error(&path))?;
    restrict_permissions(&dir)?;
    println!("wrote {}", path.display());
    Ok(())
}

pub fn export(cli: &Cli, command: &ExportCommand) -> CliResult {
    let ExportCommand::Csv { from, to, bom } = command;
    let session = cli.session()?;
    let regulation = session.regulation();
    let crate::service::Response::Cases(cases) =
        session.execute(crate::service::Request::List(CaseQuery {
            opened_from: *from,
            opened_to: *to,
            ..CaseQuery::default()
        }))?
    else {
        return Err(CliError::Message("unexpected answer".into()));
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write_error = |e: std::io::Error| CliError::Message(format!("writing the export: {e}"));
    if *bom {
        out.write_all("\u{feff}".as_bytes()).map_err(write_error)?;
    }
    let header = [
        "case",
        "receipt_no",
        "status",
        "channel",
        "measures",
        "iin",
        "name",
        "phone",
        "sector",
        "settlement",
        "representative",
        "opened_at",
        "accepted_at",
        "window_overrun_seconds",
        "current_step",
        "step_deadline",
        "result",
        "refusal_ground",
        "missing_documents",
    ];
    writeln!(out, "{}", header.join(",")).map_err(write_error)?;
    for case in &cases {
        let a = &case.intake.applicant;
        let step = case.current_step();
        let missing = match &case.status {
            crate::domain::case::CaseStatus::RefusedToAccept { missing } => missing.join(";"),
            _ => String::new(),
        };
        let channel = &case.intake.channel;
        let row = [
            case.id.to_string(),
            case.receipt_no.to_string(),
            status(case),
            channel.clone(),
            case.intake.measures.join(";"),
            a.iin.to_string(),
            a.name.clone(),
            a.phone.clone().unwrap_or_default(),
            a.sector.clone().unwrap_or_default(),
            a.settlement.clone().unwrap_or_default(),
            case.intake
                .representative
                .as_ref()
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            local(regulation, channel, case.window.opened_at),
            local(regulation, channel, case.window.closed_at),
            case.window.overrun_seconds.to_string(),
            step.map(|s| s.step_id.clone()).unwrap_or_default(),
            step.map(|s| local(regulation, channel, s.deadline))
                .unwrap_or_default(),
            case.result
                .as_ref()
                .map(|r| r.kind.clone())
                .unwrap_or_default(),
            case.result
                .as_ref()
                .and_then(|r| r.ground.clone())
                .unwrap_or_default(),
            missing,
        ];
        let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", line.join(",")).map_err(write_error)?;
    }
    out.flush().map_err(write_error)?;
    Ok(())
}

pub fn recover(cli: &Cli) -> CliResult {
    let dir = cli.data_dir();
    let site = cli.site()?;
    let (store, aside) = Store::recover(&dir, &site.regulation, site.store_options())?;
    let tail = store.journal_tail()?;
    println!(
        "rebuilt the database from the journal: {} events, {} cases",
        tail.last_seq,
        store.case_count()
    );
    if aside.exists() {
        println!("the old database was moved to {}", aside.display());
    }
    Ok(())
}

pub fn audit(cli: &Cli, command: &AuditCommand) -> CliResult {
    let AuditCommand::Verify = command;
    if let Ok(site) = cli.site() {
        if let Some(url) = &site.store_url {
            let store = crate::store::PgStore::open(url, &site.regulation)?;
            return match store.verify_chains()? {
                Ok(events) => {
                    println!("database: {events} events; every office's hash chain is intact");
                    Ok(())
                }
                Err(problem) => Err(CliError::Message(format!(
                    "hash chain broken: {problem}; restore the database from a backup and compare"
                ))),
            };
        }
    }
    let dir = cli.data_dir();
    let path = Store::journal_path(&dir);
    if !path.exists() {
        return Err(CliError::Message(format!(
            "no journal at {}: nothing has been stored yet",
            path.display()
        )));
    }
    let (tail, torn) =
        journal::verify(&path).map_err(|e| CliError::Message(format!("journal damaged: {e}")))?;
    println!("journal: {} records, hash chain intact", tail.last_seq);
    if let Some(offset) = torn {
        println!("journal: an unacknowledged, interrupted record at byte {offset} will be cut off at the next start");
    }
    let site = cli.site()?;
    match Store::open(&dir, &site.regulation, site.store_options()) {
        Ok(store) => match store.verify_against_journal()? {
            None => {
                println!(
                    "database: {} cases; every event matches the journal",
                    store.case_count()
                );
                Ok(())
            }
            Some(problem) => Err(CliError::Message(format!(
                "database differs from the journal: {problem}; rebuild it with `frontdesk recover`"
            ))),
        },
        Err(crate::store::StoreError::Locked) => {
            println!(
                "database: in use by a running frontdesk; the journal check above is complete"
            );
            Ok(())
        }
        Err(e) => Err(CliError::Message(format!("database: {e}"))),
    }
}

/// The journal bytes up to the last whole, chained record: consistent even while it grows.
fn consistent_journal(path: &Path) -> Result<(Vec<u8>, JournalTail), CliError> {
    let (tail, _) =
        journal::verify(path).map_err(|e| CliError::Message(format!("journal damaged: {e}")))?;
    let mut bytes = fs::read(path).map_err(io_error(path))?;
    bytes.truncate(tail.end as usize);
    Ok((bytes, tail))
}

pub fn backup(cli: &Cli, target: &Path) -> CliResult {
    let dir = cli.data_dir();
    let journal_path = Store::journal_path(&dir);
    if !journal_path.exists() {
        return Err(CliError::Message(format!(
            "no journal at {}: nothing to back up",
            journal_path.display()
        )));
    }
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let folder = target.join(format!("frontdesk-backup-{stamp}"));
    fs::create_dir_all(&folder).map_err(io_error(&folder))?;
    let (bytes, tail) = consistent_journal(&journal_path)?;
    let journal_copy = folder.join("journal.fdj");
    fs::write(&journal_copy, &bytes).map_err(io_error(&journal_copy))?;
    let config = config_path(&dir);
    if config.exists() {
        fs::copy(&config, folder.join("config.toml")).map_err(io_error(&config))?;
    }
    let hash: String = tail.last_hash.iter().map(|b| format!("{b:02x}")).collect();
    fs::write(
        folder.join("MANIFEST"),
        format!(
            "frontdesk backup\nrecords {}\nlast_hash {hash}\nbytes {}\n",
            tail.last_seq, tail.end
        ),
    )
    .map_err(io_error(&folder))?;
    restrict_permissions(&folder)?;
    println!("{}", folder.display());
    println!(
        "backed up {} events (journal, configuration)",
        tail.last_seq
    );
    Ok(())
}

pub fn restore(cli: &Cli, source: &Path, force: bool) -> CliResult {
    let dir = cli.data_dir();
    let backup_journal = source.join("journal.fdj");
    if !backup_journal.exists() {
        return Err(CliError::Message(format!(
            "{} holds no journal.fdj: give the folder `frontdesk backup` printed",
            source.display()
        )));
    }
    let (bytes, tail) = consistent_journal(&backup_journal)?;
    let journal_path = Store::journal_path(&dir);
    if journal_path.exists() && !force {
        return Err(CliError::Message(format!(
            "{} already has data; pass --force to replace it (the current data is moved aside)",
            dir.display()
        )));
    }
    fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    let stamp = Utc::now().format("%Y%m%dT%H%M%S");
    for name in ["journal.fdj", "db", "config.toml"] {
        let path = dir.join(name);
        if path.exists() {
            let aside: PathBuf = dir.join(format!("{name}.before-restore-{stamp}"));
            fs::rename(&path, &aside).map_err(io_error(&path))?;
        }
    }
    fs::write(&journal_path, &bytes).map_err(io_error(&journal_path))?;
    let backup_config = source.join("config.toml");
    if backup_config.exists() {
        fs::copy(&backup_config, config_path(&dir)).map_err(io_error(&backup_config))?;
    }
    let site = cli.site()?;
    let store = Store::open(&dir, &site.regulation, site.store_options())?;
    println!(
        "restored {} events; the database was rebuilt: {} cases",
        tail.last_seq,
        store.case_count()
    );
    Ok(())
}

/// `frontdesk migrate --to URL`: the data directory's journal into PostgreSQL.
pub fn migrate(cli: &Cli, url: &str) -> CliResult {
    let dir = cli.data_dir();
    let journal_path = Store::journal_path(&dir);
    if !journal_path.exists() {
        return Err(CliError::Message(format!(
            "no journal at {}: nothing to move (give the site's --data)",
            journal_path.display()
        )));
    }
    let site = cli.site()?;
    let store = crate::store::PgStore::open(url, &site.regulation)?;
    let summary = store.import_journal(&journal_path)?;
    println!(
        "copied {} events ({} were already there) of {} in the journal: {} cases",
        summary.copied, summary.already_there, summary.journal_records, summary.cases
    );
    println!(
        "checked: every event of the journal is in the database, its head {} matches, every case equals its journal's, every office's chain ({} events) is intact",
        &summary.head[..16.min(summary.head.len())],
        summary.chain_events
    );
    println!(
        "next: set [store] url in config.toml (or --store) on this site's daemon, and restart it"
    );
    Ok(())
}

pub fn fixture(cli: &Cli, cases: u64, open: u64) -> CliResult {
    use crate::service::fixture::{generate, FixtureStaff};
    use crate::service::{Clock, Service};
    let site = cli.site()?;
    let staff = FixtureStaff::from_config(&site.config).map_err(CliError::Message)?;
    let options = StoreOptions {
        durable: false,
        ..site.store_options()
    };
    let end = cli.now();
    let service = Service::open_with(site, &cli.data_dir(), Clock::manual(end), options)?;
    let summary = generate(&service, &staff, cases, open.min(cases), end, |n| {
        if n % 10_000 == 0 {
            eprintln!("{n} cases");
        }
    })?;
    println!(
        "generated {} cases ({} open), {} events, in {}",
        summary.cases,
        summary.open,
        summary.events,
        cli.data_dir().display()
    );
    Ok(())
}

/// `frontdesk doctor`: checks the installation and says what to fix.
pub fn doctor(cli: &Cli, socket: Option<&Path>) -> CliResult {
    use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
    let mut problems = 0;
    let mut report = |ok: bool, what: String, fix: &str| {
        if ok {
            println!("ok    {what}");
        } else {
            problems += 1;
            println!("FIX   {what}\n      → {fix}");
        }
    };
    let dir = cli.data_dir();
    match fs::metadata(&dir) {
        Ok(meta) => {
            let mode = meta.permissions().mode() & 0o777;
            report(
                mode & 0o077 == 0,
                format!("data directory {} (mode {mode:o})", dir.display()),
                &format!("chmod 700 {}: it holds personal data", dir.display()),
            );
        }
        Err(e) => report(
            false,
            format!("data directory {}: {e}", dir.display()),
            "run `frontdesk init`, or give --data",
        ),
    }
    let site = match cli.site() {
        Ok(site) => {
            report(
                true,
                format!(
                    "configuration: {} offices, {} staff; regulation: {} channels",
                    site.config.offices.len(),
                    site.config.staff.len(),
                    site.regulation.file.channels.len()
                ),
                "",
            );
            Some(site)
        }
        Err(e) => {
            report(
                false,
                format!("configuration: {e}"),
                "fix the file and line named above",
            );
            None
        }
    };
    let socket = cli.socket(socket);
    match fs::metadata(&socket) {
        Ok(meta) if meta.file_type().is_socket() => {
            let mode = meta.permissions().mode() & 0o777;
            report(
                mode == 0o660,
                format!(
                    "socket {} (mode {mode:o}, group {})",
                    socket.display(),
                    meta.gid()
                ),
                "the daemon creates it 0660; restart it",
            );
            let parent = socket.parent().unwrap_or(Path::new("/"));
            let parent_mode = fs::metadata(parent)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            report(
                parent_mode & 0o050 == 0o050,
                format!("socket directory {} (mode {parent_mode:o})", parent.display()),
                "staff must reach the socket: put it in a directory the staff group can enter (e.g. /run/frontdesk, mode 750, group staff)",
            );
            match crate::protocol::client::Remote::connect(&socket) {
                Ok((_, _, welcome)) => report(true, format!("daemon answers; you are {} ({})", welcome.staff.id, welcome.staff.role), ""),
                Err(e) => report(false, format!("daemon: {e}"), "start it (`systemctl start frontdesk`), or add your OS login to the staff list"),
            }
        }
        Ok(_) => report(
            false,
            format!("{} is not a socket", socket.display()),
            "remove it and restart the daemon",
        ),
        Err(_) => println!(
            "--    no daemon socket at {} (embedded mode)",
            socket.display()
        ),
    }
    let journal = Store::journal_path(&dir);
    if journal.exists() {
        match journal::verify(&journal) {
            Ok((tail, _)) => report(
                true,
                format!("journal: {} records, hash chain intact", tail.last_seq),
                "",
            ),
            Err(e) => report(
                false,
                format!("journal: {e}"),
                "restore the journal from a backup (`frontdesk restore`)",
            ),
        }
        if UnixStream::connect(&socket).is_err() {
            let site = site
                .as_ref()
                .ok_or_else(|| CliError::Message("fix the configuration first".into()))?;
            match Store::open(&dir, &site.regulation, site.store_options()) {
                Ok(store) => match store.verify_against_journal()? {
                    None => report(
                        true,
                        format!(
                            "database: {} cases, matches the journal",
                            store.case_count()
                        ),
                        "",
                    ),
                    Some(p) => report(false, format!("database: {p}"), "run `frontdesk recover`"),
                },
                Err(e) => report(false, format!("database: {e}"), "run `frontdesk recover`"),
            }
        }
    } else {
        println!("--    no journal yet: nothing has been stored");
    }
    if problems == 0 {
        println!("all checks passed");
        Ok(())
    } else {
        Err(CliError::Message(format!("{problems} problem(s) to fix")))
    }
}
