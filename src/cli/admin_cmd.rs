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
use crate::store::sled::inspect::{self, Inspection, Manifest};
use crate::store::sled::journal::{self, JournalTail};
use crate::store::{create_private_dir, Store, StoreError, StoreOptions};

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
    /// Check the journal's hash chain, the database against it, and that the journal extends
    /// the newest backup. Read-only. Exit status: 0 clean, 1 repairable (the database lags or
    /// differs; the journal is intact), 2 data lost or damaged (damaged journal, or less history
    /// than the database or a backup records).
    Verify {
        /// Also check that the journal extends the backup in this folder.
        #[arg(long)]
        backup: Option<PathBuf>,
    },
    /// Check a paper receipt against the journal: its number and its check code (printed as
    /// "Код проверки", and in its QR code). Read-only. Exit status 0 when the journal holds that
    /// very record, 2 when it does not.
    Receipt {
        receipt_no: String,
        /// The check code from the receipt (at least 8 hex digits).
        code: String,
    },
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> CliError + '_ {
    move |e| CliError::Message(format!("{}: {e}", path.display()))
}

/// Writes a new file owner-only from the start and fsyncs it; `replace` allows an existing one.
fn write_private(path: &Path, bytes: &[u8], replace: bool) -> Result<(), CliError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = fs::OpenOptions::new();
    options.write(true).mode(0o600);
    if replace {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(io_error(path))?;
    file.write_all(bytes).map_err(io_error(path))?;
    file.sync_all().map_err(io_error(path))
}

pub fn init(cli: &Cli, force: bool, training: bool) -> CliResult {
    let dir = cli.data_dir();
    create_private_dir(&dir)?;
    let path = config_path(&dir);
    if path.exists() && !force {
        return Err(CliError::Message(format!(
            "{} exists; edit it, or pass --force to replace it with the example",
            path.display()
        )));
    }
    let holds_cases = fs::metadata(Store::journal_path(&dir)).is_ok_and(|m| m.len() > 0);
    if training && holds_cases && !crate::config::is_training(&dir) {
        return Err(CliError::Message(format!(
            "{} holds a live store: it cannot become a training directory (its clock could then be set back); use a new directory for training",
            dir.display()
        )));
    }
    write_private(&path, EXAMPLE_CONFIG_TOML.as_bytes(), true)?;
    if training {
        crate::config::mark_training(&dir).map_err(io_error(&dir))?;
    }
    println!("wrote {}", path.display());
    if training {
        println!("marked for training: --now may set the clock here, and receipts say TRAINING");
    }
    Ok(())
}

pub fn export(cli: &Cli, command: &ExportCommand) -> CliResult {
    let ExportCommand::Csv { from, to, bom } = command;
    let session = cli.session()?;
    let regulation = session.regulation();
    let query = CaseQuery {
        opened_from: *from,
        opened_to: *to,
        ..CaseQuery::default()
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
    // Page by page, in case-number order: memory stays one page whatever the store holds.
    session.for_each_case(&query, |case| {
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
        writeln!(out, "{}", line.join(",")).map_err(write_error)
    })?;
    out.flush().map_err(write_error)?;
    Ok(())
}

/// `backup`, `restore` and `recover` read and write a sled store's journal; a site on
/// PostgreSQL is kept by PostgreSQL's own tools, and its data directory is left alone (it may
/// still hold the journal the site had before it moved, which stays as it was).
fn refuse_on_database(cli: &Cli, command: &str) -> CliResult {
    let Some(url) = cli.database_url() else {
        return Ok(());
    };
    let database = crate::store::pg::parse_url(&url)
        .map(|config| crate::store::pg::describe(&config))
        .unwrap_or_else(|_| "a PostgreSQL database".into());
    let instead = match command {
        "backup" => "back it up with PostgreSQL's tools: `pg_dump -Fc -f frontdesk-$(date +%F).dump DATABASE` (every night), and `pg_basebackup -D DIR -Ft -z -X stream` with a WAL archive for point-in-time recovery",
        "restore" => "restore it with PostgreSQL's tools: `pg_restore -d NEW_DATABASE FILE.dump` from a pg_dump, or point-in-time recovery from a pg_basebackup and the WAL archive; then point [store] url at it and run `frontdesk audit verify`",
        _ => "there is no journal of ours to rebuild it from: after a crash PostgreSQL recovers by itself from its WAL when it starts; damaged data is restored with PostgreSQL's tools (`pg_restore` of a pg_dump, or point-in-time recovery from a pg_basebackup and the WAL archive); `frontdesk audit verify` checks every office's hash chain",
    };
    Err(CliError::Message(format!(
        "this site keeps its cases in {database}, not in {}: `frontdesk {command}` works only on a sled store's journal; {instead} (README, \"An oblast on one database\"); nothing was changed",
        cli.data_dir().display()
    )))
}

pub fn recover(cli: &Cli, salvage: bool) -> CliResult {
    refuse_on_database(cli, "recover")?;
    let dir = cli.data_dir();
    let site = cli.site()?;
    let path = Store::journal_path(&dir);
    if !path.exists() {
        return Err(CliError::Message(format!(
            "no journal at {}: there is nothing to rebuild from; restore a backup (`frontdesk restore`)",
            path.display()
        )));
    }
    let scan = journal::salvage_scan(&path).map_err(StoreError::from)?;
    // What else records history: read before anything is moved.
    let database = match Inspection::open(&dir) {
        Ok(db) => Some((db.applied()?, db.receipt_counters()?)),
        Err(StoreError::Locked) => return Err(StoreError::Locked.into()),
        Err(_) => None,
    };
    let backup = inspect::newest_backup(&dir);
    let shortfalls = inspect::shortfalls(
        &scan.intact,
        database.as_ref().map(|(tail, counters)| (tail, counters)),
        backup.as_ref().map(|(m, folder)| (m, folder.as_str())),
    );
    if !salvage {
        if let Some(damage) = &scan.damage {
            return Err(CliError::Message(format!(
                "{damage}\nnothing was changed. `frontdesk recover --salvage` cuts the journal there (keeping the cut bytes beside it) and lists what is lost; restoring a backup may lose less"
            )));
        }
        if let Some(first) = shortfalls.first() {
            let all: Vec<String> = shortfalls
                .iter()
                .map(|s| {
                    format!(
                        "  {} records {} (the journal holds {})",
                        s.evidence, s.recorded, s.held
                    )
                })
                .collect();
            return Err(CliError::Message(format!(
                "{}\n{}\nnothing was changed",
                StoreError::from(first.clone()),
                all.join("\n")
            )));
        }
    }
    let mut lost = Vec::new();
    if salvage && scan.damage.is_some() {
        let bytes = fs::read(&path).map_err(io_error(&path))?;
        let stamp = Utc::now().format("%Y%m%dT%H%M%S");
        let kept = dir.join(format!("journal.fdj.cut-{stamp}"));
        write_private(&kept, &bytes[scan.cut_at as usize..], false)?;
        let file = fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(io_error(&path))?;
        file.set_len(scan.cut_at).map_err(io_error(&path))?;
        file.sync_all().map_err(io_error(&path))?;
        println!(
            "cut the journal at byte {} (after record {}); the {} bytes cut off are kept in {}",
            scan.cut_at,
            scan.tail.last_seq,
            bytes.len() as u64 - scan.cut_at,
            kept.display()
        );
        let (_, issued) = inspect::receipts_in(&scan.after_damage);
        for (receipt, case) in issued {
            lost.push(format!("receipt {receipt} (case {case})"));
        }
        let other = scan.after_damage.len() - lost.len();
        if other > 0 {
            lost.push(format!(
                "{other} later steps of cases (events {}..={})",
                scan.after_damage.first().map_or(0, |r| r.seq),
                scan.after_damage.last().map_or(0, |r| r.seq)
            ));
        }
    }
    if salvage {
        let (in_journal, _) = inspect::receipts_in(&scan.intact);
        if let Some((_, counters)) = &database {
            for ((office, year), highest) in counters {
                let kept = in_journal
                    .get(&(office.clone(), *year))
                    .copied()
                    .unwrap_or(0);
                for seq in kept + 1..=*highest {
                    let number = format!("{office}-{year}-{seq:06}");
                    if !lost.iter().any(|l| l.contains(&number)) {
                        lost.push(format!("receipt {number}"));
                    }
                }
            }
        }
        for s in &shortfalls {
            println!(
                "accepted knowingly: {} records {}, the journal holds {}",
                s.evidence, s.recorded, s.held
            );
        }
    }
    if salvage {
        // Numbers past the cut are on paper: they are never issued again.
        let (mut lost_numbers, _) = inspect::receipts_in(&scan.after_damage);
        if let Some((_, counters)) = &database {
            for (key, highest) in counters {
                let floor = lost_numbers.entry(key.clone()).or_insert(0);
                *floor = (*floor).max(*highest);
            }
        }
        if !lost_numbers.is_empty() {
            crate::store::sled::raise_receipt_floors(&dir, &lost_numbers)?;
        }
    }
    let (store, aside) = Store::recover(&dir, &site.regulation, site.store_options())?;
    let tail = store.journal_tail()?;
    println!(
        "rebuilt the database from the journal: {} events, {} cases",
        tail.last_seq,
        store.case_count()
    );
    if let Some(aside) = aside {
        println!("the old database was moved to {}", aside.display());
    }
    if !lost.is_empty() {
        println!("LOST — key these again from the paper receipts:");
        for line in &lost {
            println!("  {line}");
        }
    } else if salvage {
        println!("nothing decodable was lost past the cut");
    }
    Ok(())
}

/// One finding of an audit: its exit code (0 clean, 1 repairable, 2 lost or damaged).
struct Finding {
    code: u8,
    text: String,
}

/// Looks at the journal, the database and the backups without changing anything.
fn examine(dir: &Path, backup: Option<&Path>) -> Result<Vec<Finding>, CliError> {
    let mut findings = Vec::new();
    let mut note = |code: u8, text: String| findings.push(Finding { code, text });
    let path = Store::journal_path(dir);
    if !path.exists() {
        return Err(CliError::Message(format!(
            "no journal at {}: nothing has been stored yet",
            path.display()
        )));
    }
    let scan = journal::salvage_scan(&path).map_err(StoreError::from)?;
    match &scan.damage {
        None => note(
            0,
            format!("journal: {} records, hash chain intact", scan.tail.last_seq),
        ),
        Some(damage) => note(
            2,
            format!(
                "journal: {damage}; {} whole records before it, {} whole records after it",
                scan.intact.len(),
                scan.after_damage.len()
            ),
        ),
    }
    if scan.damage.is_none() && scan.cut_at < scan.length {
        note(
            0,
            format!(
                "journal: an interrupted save (never confirmed) at byte {}: it is cut off at the next start",
                scan.cut_at
            ),
        );
    }
    match Inspection::open(dir) {
        Err(StoreError::Locked) => note(
            0,
            "database: in use by a running frontdesk; the journal check above is complete".into(),
        ),
        Err(e) => note(
            1,
            format!("database: {e}; it is rebuilt from the journal at the next start"),
        ),
        Ok(db) => {
            let applied = db.applied()?;
            let counters = db.receipt_counters()?;
            let shortfalls = inspect::shortfalls(&scan.intact, Some((&applied, &counters)), None);
            if !shortfalls.is_empty() {
                for s in shortfalls {
                    note(2, StoreError::from(s).to_string());
                }
            } else if applied.last_seq < scan.tail.last_seq {
                note(
                    1,
                    format!(
                        "database: {} events behind the journal (it is written behind it); they are applied at the next start",
                        scan.tail.last_seq - applied.last_seq
                    ),
                );
            } else {
                match db.difference(&scan.intact)? {
                    None => note(
                        0,
                        format!(
                            "database: {} cases; every event matches the journal",
                            db.case_count()
                        ),
                    ),
                    Some(problem) => note(
                        1,
                        format!(
                            "database differs from the journal: {problem}; rebuild it with `frontdesk recover`"
                        ),
                    ),
                }
            }
        }
    }
    let mut backups = Vec::new();
    if let Some(folder) = backup {
        backups.push((Manifest::read(folder)?, folder.display().to_string()));
    }
    if let Some(newest) = inspect::newest_backup(dir) {
        backups.push(newest);
    }
    for (manifest, folder) in &backups {
        let short = inspect::shortfalls(&scan.intact, None, Some((manifest, folder)));
        if short.is_empty() {
            note(
                0,
                format!(
                    "backup {folder}: the journal extends it ({} records, same hash)",
                    manifest.records
                ),
            );
        }
        for s in short {
            note(2, StoreError::from(s).to_string());
        }
    }
    Ok(findings)
}

/// `audit receipt`: whether the journal holds the record a paper receipt was issued from.
fn audit_receipt(dir: &Path, receipt_no: &str, code: &str) -> CliResult {
    let code = code.trim().to_ascii_lowercase();
    if code.len() < 8 || !code.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(CliError::Message(
            "the check code is the 16 hex digits printed under the receipt's QR code (at least 8 are needed)".into(),
        ));
    }
    let wanted = receipt_no.trim().to_ascii_uppercase();
    let scan = journal::salvage_scan(&Store::journal_path(dir)).map_err(StoreError::from)?;
    let records = scan.intact.iter().chain(&scan.after_damage);
    let issued = records.filter_map(|record| {
        let event: crate::domain::case::EventRecord = crate::codec::decode(&record.payload).ok()?;
        match &event.event {
            crate::domain::case::CaseEvent::Accepted { receipt_no, .. }
            | crate::domain::case::CaseEvent::RefusedToAccept { receipt_no, .. }
                if receipt_no.to_string().to_ascii_uppercase() == wanted =>
            {
                Some((record.seq, inspect::hex(&record.hash)))
            }
            _ => None,
        }
    });
    let found: Vec<(u64, String)> = issued.collect();
    match found.iter().find(|(_, hash)| hash.starts_with(&code)) {
        Some((seq, _)) => {
            println!("receipt {wanted}: matches journal record {seq} (check code {code})");
            Ok(())
        }
        None if found.is_empty() => Err(CliError::Status {
            code: 2,
            message: format!(
                "receipt {wanted}: the journal holds no such receipt — its record was lost or removed; key it again from the paper receipt and report it"
            ),
        }),
        None => Err(CliError::Status {
            code: 2,
            message: format!(
                "receipt {wanted}: the journal's record (record {}) does not carry check code {code}: it was rewritten after the receipt was printed",
                found[0].0
            ),
        }),
    }
}

/// `audit verify` of a PostgreSQL store: every office's hash chain.
fn audit_database(url: &str, site: &crate::service::Site) -> CliResult {
    let store = crate::store::PgStore::open(url, &site.regulation)?;
    match store.verify_chains()? {
        Ok(events) => {
            println!("database: {events} events; every office's hash chain is intact");
            Ok(())
        }
        Err(problem) => Err(CliError::Message(format!(
            "hash chain broken: {problem}; restore the database from a backup and compare"
        ))),
    }
}

pub fn audit(cli: &Cli, command: &AuditCommand) -> CliResult {
    if let (AuditCommand::Verify { .. }, Ok(site)) = (command, cli.site()) {
        if let Some(url) = &site.store_url {
            return audit_database(url, &site);
        }
    }
    let backup = match command {
        AuditCommand::Verify { backup } => backup,
        AuditCommand::Receipt { receipt_no, code } => {
            return audit_receipt(&cli.data_dir(), receipt_no, code)
        }
    };
    // Exit 3 when nothing could be checked (no journal, an unreadable backup folder), so a
    // script never reads that as 1, "repairable".
    let findings = examine(&cli.data_dir(), backup.as_deref()).map_err(|e| CliError::Status {
        code: 3,
        message: format!("audit: could not check: {e}"),
    })?;
    for finding in &findings {
        let mark = match finding.code {
            0 => "ok  ",
            1 => "FIX ",
            _ => "LOST",
        };
        println!("{mark}  {}", finding.text);
    }
    match findings.iter().map(|f| f.code).max().unwrap_or(0) {
        0 => Ok(()),
        1 => Err(CliError::Status {
            code: 1,
            message: "audit: repairable — the journal is intact; the database is brought up to date at the next start, or by `frontdesk recover`".into(),
        }),
        code => Err(CliError::Status {
            code,
            message: "audit: data lost or damaged (LOST above): restore a backup, or `frontdesk recover --salvage` to cut the damage off and list what to key again".into(),
        }),
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
    refuse_on_database(cli, "backup")?;
    let dir = cli.data_dir();
    let journal_path = Store::journal_path(&dir);
    if !journal_path.exists() {
        return Err(CliError::Message(format!(
            "no journal at {}: nothing to back up",
            journal_path.display()
        )));
    }
    let stamp = Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let folder = target.join(format!("frontdesk-backup-{stamp}"));
    create_private_dir(&folder)?;
    let (bytes, tail) = consistent_journal(&journal_path)?;
    write_private(&folder.join("journal.fdj"), &bytes, false)?;
    let config = config_path(&dir);
    if config.exists() {
        let text = fs::read(&config).map_err(io_error(&config))?;
        write_private(&folder.join("config.toml"), &text, false)?;
    }
    let manifest = Manifest::of(&tail);
    write_private(&folder.join("MANIFEST"), manifest.text().as_bytes(), false)?;
    // Noted in the data directory too: recover and audit check the journal still extends it.
    inspect::note_backup(&dir, &folder, &manifest)?;
    println!("{}", folder.display());
    println!(
        "backed up {} events (journal, configuration); last hash {}",
        tail.last_seq,
        inspect::hex(&tail.last_hash)
    );
    Ok(())
}

pub fn restore(cli: &Cli, source: &Path, force: bool) -> CliResult {
    refuse_on_database(cli, "restore")?;
    let dir = cli.data_dir();
    let backup_journal = source.join("journal.fdj");
    if !backup_journal.exists() {
        return Err(CliError::Message(format!(
            "{} holds no journal.fdj: give the folder `frontdesk backup` printed",
            source.display()
        )));
    }
    let (bytes, tail) = consistent_journal(&backup_journal)?;
    if let Ok(manifest) = Manifest::read(source) {
        if manifest.records != tail.last_seq || manifest.last_hash != tail.last_hash {
            return Err(CliError::Message(format!(
                "the backup's journal does not match its MANIFEST ({} records, {} in the journal): the backup was changed; choose another",
                manifest.records, tail.last_seq
            )));
        }
    }
    let journal_path = Store::journal_path(&dir);
    if journal_path.exists() && !force {
        return Err(CliError::Message(format!(
            "{} already has data; pass --force to replace it (the current data is moved aside)",
            dir.display()
        )));
    }
    create_private_dir(&dir)?;
    for name in ["journal.fdj", "db", "config.toml"] {
        let path = dir.join(name);
        if path.exists() {
            crate::store::move_aside(&path, "before-restore")?;
        }
    }
    write_private(&journal_path, &bytes, false)?;
    let backup_config = source.join("config.toml");
    if backup_config.exists() {
        let text = fs::read(&backup_config).map_err(io_error(&backup_config))?;
        write_private(&config_path(&dir), &text, false)?;
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
    if crate::config::is_training(&dir) {
        return Err(CliError::Message(format!(
            "{} is a training directory (its cases and receipts are for practice): it is not moved into a database of live cases",
            dir.display()
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
    // Generated cases are not real ones: they go only into a training directory, or into an
    // empty one, which then becomes one.
    let dir = cli.data_dir();
    if !crate::config::is_training(&dir) {
        if dir.join("journal.fdj").exists() || dir.join("db").exists() {
            return Err(CliError::Message(format!(
                "{} holds a store and is not a training directory: generated cases go into a new directory, or one made with `frontdesk init --training`",
                dir.display()
            )));
        }
        fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        crate::config::mark_training(&dir).map_err(io_error(&dir))?;
    }
    let site = crate::service::Site {
        training: true,
        ..site
    };
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
/// The print command can run: its program is found, and for `lp` the queue it names (or the
/// default one) is known to CUPS.
fn check_printer(command: &str, report: &mut impl FnMut(bool, String, &str)) {
    let fix =
        "install it, or set print_command in config.toml to a command that prints standard input";
    if !crate::printer::program_exists(command) {
        report(false, format!("print command `{command}`: not found"), fix);
        return;
    }
    let words: Vec<&str> = command.split_whitespace().collect();
    if words.first().map(|w| w.rsplit('/').next()) != Some(Some("lp")) {
        report(true, format!("print command `{command}` found"), "");
        return;
    }
    let queue = words
        .iter()
        .position(|w| *w == "-d")
        .and_then(|i| words.get(i + 1))
        .map(|q| q.to_string())
        .or_else(|| {
            words
                .iter()
                .find_map(|w| w.strip_prefix("-d"))
                .filter(|q| !q.is_empty())
                .map(str::to_string)
        });
    let mut lpstat = std::process::Command::new("lpstat");
    match &queue {
        Some(queue) => lpstat.args(["-p", queue]),
        None => lpstat.arg("-d"),
    };
    let known = lpstat
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let what = match &queue {
        Some(queue) => format!("print queue `{queue}` (lpstat -p {queue})"),
        None => "default print queue (lpstat -d)".to_string(),
    };
    report(
        known,
        format!(
            "{what}: {}",
            if known {
                "known to CUPS"
            } else {
                "not known to CUPS"
            }
        ),
        "add the printer to CUPS (lpadmin), or name a known queue with -d in print_command",
    );
}

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
    let site = cli.site();
    match &site {
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
            check_printer(&site.config.print_command, &mut report);
        }
        Err(e) => {
            report(
                false,
                format!("configuration: {e}"),
                "fix the file and line named above",
            );
        }
    }
    let socket = cli.socket(socket);
    match fs::metadata(&socket) {
        Ok(meta) if meta.file_type().is_socket() => {
            let mode = meta.permissions().mode() & 0o777;
            // 0600: a counter screen's own socket (its owner's commands only); 0660: the shared
            // daemon's (the staff group).
            let kiosk = mode == 0o600;
            report(
                mode == 0o660 || kiosk,
                format!(
                    "socket {} (mode {mode:o}, group {}{})",
                    socket.display(),
                    meta.gid(),
                    if kiosk {
                        ", a counter screen's own"
                    } else {
                        ""
                    }
                ),
                "frontdesk creates it 0660 (daemon) or 0600 (counter screen); restart it",
            );
            if let Some(pid) = UnixStream::connect(&socket)
                .ok()
                .and_then(|s| crate::protocol::peer::peer_credentials(&s))
                .map(|c| c.pid)
            {
                println!(
                    "--    the store is in use by frontdesk, pid {pid}: it answers on the socket"
                );
            }
            let parent = socket.parent().unwrap_or(Path::new("/"));
            let parent_mode = fs::metadata(parent)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            if !kiosk {
                report(
                    parent_mode & 0o050 == 0o050,
                    format!("socket directory {} (mode {parent_mode:o})", parent.display()),
                    "staff must reach the socket: put it in a directory the staff group can enter (e.g. /run/frontdesk, mode 750, group staff)",
                );
            }
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
    if let Some(site) = site.as_ref().ok().filter(|s| s.store_url.is_some()) {
        let url = site.store_url.as_deref().unwrap_or_default();
        match crate::store::PgStore::open(url, &site.regulation).map(|s| s.verify_chains()) {
            Ok(Ok(Ok(events))) => report(
                true,
                format!(
                    "PostgreSQL store: reachable; {events} events, every office's chain intact"
                ),
                "",
            ),
            Ok(Ok(Err(problem))) => report(
                false,
                format!("PostgreSQL store: {problem}"),
                "restore the database from a backup and compare",
            ),
            Ok(Err(e)) | Err(e) => report(
                false,
                format!("PostgreSQL store: {e}"),
                "check the server, the link to it and [store] url",
            ),
        }
    }
    let journal = Store::journal_path(&dir);
    if journal.exists() {
        // The same read-only look as `audit verify`: nothing is replayed or cut here.
        for finding in examine(&dir, None)? {
            let fix = match finding.code {
                0 => "",
                1 => "it is brought up to date at the next start, or run `frontdesk recover`",
                _ => "restore a backup (`frontdesk restore`), or `frontdesk recover --salvage` to cut the damage off and list what to key again",
            };
            report(finding.code == 0, finding.text, fix);
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
