//! Administration through the command line: init, backup while in use, restore, recover, audit,
//! export, doctor.

use std::path::Path;
use std::process::Command;

fn frontdesk(data: &Path, args: &[&str]) -> (bool, String) {
    // These tests set the clock, which only a training directory allows.
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(data)
        .unwrap();
    frontdesk::config::mark_training(data).unwrap();
    let run = crate::common::run_cli(
        data,
        &[&["--now", "2026-11-25T10:00:00+05:00"], args].concat(),
    );
    (run.ok, run.all())
}

fn accept(data: &Path, iin: &str, name: &str) {
    let (ok, out) = frontdesk(
        data,
        &[
            "case",
            "accept",
            "--measure",
            "lifting-allowance",
            "--iin",
            iin,
            "--name",
            name,
            "--docs",
            "all",
        ],
    );
    assert!(ok, "{out}");
}

#[test]
fn init_writes_a_private_configuration_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (ok, out) = frontdesk(&data, &["init"]);
    assert!(ok, "{out}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(data.join("config.toml"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        std::fs::metadata(&data).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let (ok, out) = frontdesk(&data, &["init"]);
    assert!(!ok && out.contains("--force"), "{out}");
}

#[test]
fn backup_restore_recover_and_audit() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    accept(&data, "791028302728", "Әсел, «Нұр»");
    accept(&data, "061211600012", "Бекзат");
    let (ok, out) = frontdesk(
        &data,
        &["backup", dir.path().join("backups").to_str().unwrap()],
    );
    assert!(ok, "{out}");
    let folder = out.lines().next().unwrap().to_string();
    assert!(out.contains("backed up 2 events"), "{out}");

    // Restore into a fresh directory: the database is rebuilt from the journal.
    let restored = dir.path().join("restored");
    let (ok, out) = frontdesk(&restored, &["restore", &folder]);
    assert!(ok, "{out}");
    assert!(out.contains("2 cases"), "{out}");
    let (ok, out) = frontdesk(&restored, &["case", "show", "ALM01-2026-000001"]);
    assert!(ok && out.contains("Әсел, «Нұр»"), "{out}");
    // Restoring over data needs --force, and keeps the old data aside.
    let (ok, out) = frontdesk(&restored, &["restore", &folder]);
    assert!(!ok && out.contains("--force"), "{out}");

    // Recover rebuilds from the journal; the audit passes.
    let (ok, out) = frontdesk(&data, &["recover"]);
    assert!(ok && out.contains("2 events, 2 cases"), "{out}");
    let (ok, out) = frontdesk(&data, &["audit", "verify"]);
    assert!(
        ok && out.contains("hash chain intact") && out.contains("matches the journal"),
        "{out}"
    );

    // The audit names the first broken record of a tampered journal.
    let journal = data.join("journal.fdj");
    let mut bytes = std::fs::read(&journal).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 0x55;
    std::fs::write(&journal, bytes).unwrap();
    let (ok, out) = frontdesk(&data, &["audit", "verify"]);
    assert!(!ok && out.contains("journal record 2"), "{out}");
}

#[test]
fn export_csv_is_utf8_with_an_optional_bom_and_quotes_where_needed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    accept(&data, "791028302728", "Әсел, «Нұр»");
    let (ok, out) = frontdesk(&data, &["export", "csv", "--bom"]);
    assert!(ok, "{out}");
    assert!(out.starts_with('\u{feff}'));
    assert!(out.contains("\"Әсел, «Нұр»\""), "{out}");
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn doctor_says_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    accept(&data, "791028302728", "Әсел");
    let config = |print_command: &str| {
        let text = frontdesk::config::EXAMPLE_CONFIG_TOML.replace(
            "print_command = \"lp -d receipts\"",
            &format!("print_command = \"{print_command}\""),
        );
        std::fs::write(data.join("config.toml"), text).unwrap();
    };
    config("cat > /dev/null");
    let (ok, out) = frontdesk(&data, &["doctor"]);
    assert!(ok && out.contains("all checks passed"), "{out}");
    // A print command that is not installed is named, with where to change it.
    config("no-such-lp -d receipts");
    let (ok, out) = frontdesk(&data, &["doctor"]);
    assert!(
        !ok && out.contains("print command `no-such-lp -d receipts`: not found")
            && out.contains("print_command in config.toml"),
        "{out}"
    );
    config("cat > /dev/null");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (ok, out) = frontdesk(&data, &["doctor"]);
    assert!(!ok && out.contains("chmod 700"), "{out}");
}

fn frontdesk_status(data: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--data")
        .arg(data)
        .args(["--now", "2026-11-25T10:00:00+05:00"])
        .args(args)
        .env_remove("FRONTDESK_SOCKET")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

fn record_ends(journal: &Path) -> Vec<u64> {
    use frontdesk::store::sled::journal::{JournalTail, Reader};
    let mut reader = Reader::open(journal, JournalTail::EMPTY).unwrap();
    let mut ends = vec![0];
    while let Some(record) = reader.next_record().unwrap() {
        ends.push(record.end());
    }
    ends
}

const NAMES: [&str; 5] = ["Әсел", "Бекзат", "Дана", "Ерлан", "Жанар"];

/// Accepts the cases `range` of NAMES.
fn accept_names(data: &Path, range: std::ops::Range<usize>) {
    for n in range {
        accept(
            data,
            &frontdesk::service::fixture::iin_for(n as u64),
            NAMES[n],
        );
    }
}

#[test]
fn recover_never_shortens_history_and_salvage_lists_what_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    accept_names(&data, 0..3);
    let backups = dir.path().join("backups");
    let (ok, out) = frontdesk(&data, &["backup", backups.to_str().unwrap()]);
    assert!(ok, "{out}");
    let folder = out.lines().next().unwrap().to_string();
    accept_names(&data, 3..5);
    let (code, out) = frontdesk_status(&data, &["audit", "verify", "--backup", &folder]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("the journal extends it (3 records"), "{out}");

    let journal = data.join("journal.fdj");
    let original = std::fs::read(&journal).unwrap();
    let ends = record_ends(&journal);
    assert_eq!(ends.len(), 6);

    // Cut at a record boundary: the database, its receipt counter and nothing else hold more.
    std::fs::write(&journal, &original[..ends[4] as usize]).unwrap();
    let (code, out) = frontdesk_status(&data, &["recover"]);
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("cut short or replaced") && out.contains("nothing was changed"),
        "{out}"
    );
    let (code, out) = frontdesk_status(&data, &["audit", "verify"]);
    assert_eq!(code, 2, "{out}");
    // Below the backup too.
    std::fs::write(&journal, &original[..ends[2] as usize]).unwrap();
    let (code, out) = frontdesk_status(&data, &["recover"]);
    assert!(code != 0 && out.contains("the backup"), "{out}");
    // No journal at all.
    std::fs::remove_file(&journal).unwrap();
    let (code, out) = frontdesk_status(&data, &["recover"]);
    assert!(code != 0 && out.contains("no journal"), "{out}");

    // Damage in record 4: refused without --salvage; with it, cut, kept aside, and listed.
    let mut damaged = original.clone();
    damaged[ends[3] as usize + 60] ^= 0x08;
    std::fs::write(&journal, &damaged).unwrap();
    let (code, out) = frontdesk_status(&data, &["recover"]);
    assert!(
        code != 0 && out.contains("record 4") && out.contains("--salvage"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        damaged,
        "nothing was changed"
    );
    let (code, out) = frontdesk_status(&data, &["audit", "verify"]);
    assert_eq!(code, 2, "{out}");
    let (code, out) = frontdesk_status(&data, &["recover", "--salvage"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("LOST"), "{out}");
    assert!(out.contains("ALM01-2026-000004"), "{out}");
    assert!(out.contains("ALM01-2026-000005"), "{out}");
    assert!(!out.contains("ALM01-2026-000003"), "{out}");
    let cut: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("journal.fdj.cut-"))
        .collect();
    assert_eq!(cut.len(), 1);
    assert_eq!(
        std::fs::read(&cut[0]).unwrap(),
        &damaged[ends[3] as usize..],
        "the cut bytes are kept whole"
    );
    let (code, out) = frontdesk_status(&data, &["audit", "verify"]);
    assert_eq!(code, 0, "{out}");
    let (ok, out) = frontdesk(&data, &["case", "show", "ALM01-2026-000003"]);
    assert!(ok && out.contains("Дана"), "{out}");
    // The lost numbers are on paper: the next receipt comes after them, never again one of them.
    let (ok, out) = frontdesk(
        &data,
        &[
            "case",
            "accept",
            "--measure",
            "lifting-allowance",
            "--iin",
            "791028302728",
            "--name",
            "Кейінгі",
            "--docs",
            "all",
        ],
    );
    assert!(ok && out.contains("ALM01-2026-000006"), "{out}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn audit_is_read_only_and_its_exit_code_tells_a_lagging_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    accept_names(&data, 0..2);
    let older = dir.path().join("older-db");
    copy_dir(&data.join("db"), &older);
    accept_names(&data, 2..4);
    std::fs::remove_dir_all(data.join("db")).unwrap();
    copy_dir(&older, &data.join("db"));
    for _ in 0..2 {
        let (code, out) = frontdesk_status(&data, &["audit", "verify"]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("2 events behind"), "{out}");
    }
    let (code, out) = frontdesk_status(&data, &["doctor"]);
    assert_ne!(code, 0, "{out}");
    // Doctor says the next start applies them, instead of sending the operator to recover.
    assert!(out.contains("applied at the next start"), "{out}");
    // An ordinary start applies them.
    let (ok, out) = frontdesk(&data, &["case", "show", "ALM01-2026-000004"]);
    assert!(ok && out.contains("Ерлан"), "{out}");
    let (code, out) = frontdesk_status(&data, &["audit", "verify"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn every_file_and_folder_is_owner_only_from_creation() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (ok, out) = frontdesk(&data, &["init"]);
    assert!(ok, "{out}");
    accept_names(&data, 0..2);
    let backups = dir.path().join("backups");
    let (ok, out) = frontdesk(&data, &["backup", backups.to_str().unwrap()]);
    assert!(ok, "{out}");
    let folder = out.lines().next().unwrap().to_string();
    let restored = dir.path().join("restored");
    let (ok, out) = frontdesk(&restored, &["restore", &folder]);
    assert!(ok, "{out}");
    let (ok, out) = frontdesk(&data, &["recover"]);
    assert!(ok, "{out}");
    fn walk(path: &Path, seen: &mut Vec<(std::path::PathBuf, u32)>) {
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        seen.push((path.to_path_buf(), mode));
        if path.is_dir() {
            for entry in std::fs::read_dir(path).unwrap() {
                walk(&entry.unwrap().path(), seen);
            }
        }
    }
    let mut seen = Vec::new();
    for root in [&data, &backups, &restored] {
        walk(root, &mut seen);
    }
    assert!(seen.len() > 12, "{seen:?}");
    for (path, mode) in &seen {
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(*mode, expected, "{} is {mode:o}", path.display());
    }
}

/// The check code printed on a receipt (and in its QR code) proves its record: a journal
/// rewritten whole, with a valid chain, no longer matches the paper.
#[test]
fn a_paper_receipt_proves_its_record_even_against_a_rewritten_journal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    accept_names(&data, 0..2);
    let (ok, out) = frontdesk(&data, &["receipt", "show", "ALM01-2026-000001"]);
    assert!(ok, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let label = lines
        .iter()
        .position(|l| l.contains("Код проверки:"))
        .unwrap_or_else(|| panic!("no check code on the receipt: {out}"));
    let code = lines[label + 1].trim().to_string();
    assert_eq!(code.len(), 16, "{code}");
    let (status, out) = frontdesk_status(&data, &["audit", "receipt", "ALM01-2026-000001", &code]);
    assert_eq!(status, 0, "{out}");
    let (status, out) = frontdesk_status(&data, &["audit", "receipt", "ALM01-2026-000009", &code]);
    assert_eq!(status, 2, "{out}");

    // The same receipt numbers with another name: a whole journal with a valid chain.
    let forged = dir.path().join("forged");
    accept(
        &forged,
        &frontdesk::service::fixture::iin_for(0),
        "Басқа адам",
    );
    accept(&forged, &frontdesk::service::fixture::iin_for(1), NAMES[1]);
    std::fs::copy(forged.join("journal.fdj"), data.join("journal.fdj")).unwrap();
    let (status, out) = frontdesk_status(&data, &["audit", "receipt", "ALM01-2026-000001", &code]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("rewritten"), "{out}");
    // The database, which applied the original, shows it too; recover refuses to adopt it.
    let (status, out) = frontdesk_status(&data, &["audit", "verify"]);
    assert_eq!(status, 2, "{out}");
    let (status, out) = frontdesk_status(&data, &["recover"]);
    assert_ne!(status, 0, "{out}");
}

/// A data directory that holds live cases cannot be turned into a training one: its clock
/// could then be set back and backdated receipts issued into the live register.
#[test]
fn a_live_store_cannot_become_a_training_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("live");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--data")
            .arg(&data)
            .args(args)
            .env_remove("FRONTDESK_SOCKET")
            .env_remove("FRONTDESK_NOW")
            .output()
            .unwrap()
    };
    let accepted = run(&[
        "case",
        "accept",
        "--measure",
        "lifting-allowance",
        "--iin",
        "791028302728",
        "--name",
        "Әсел",
        "--docs",
        "all",
    ]);
    assert!(
        accepted.status.success(),
        "{}",
        String::from_utf8_lossy(&accepted.stderr)
    );
    for args in [
        &["init", "--training"][..],
        &["init", "--force", "--training"],
    ] {
        let refused = run(args);
        assert!(!refused.status.success(), "{args:?} was allowed");
        assert!(String::from_utf8_lossy(&refused.stderr).contains("live store"));
    }
    assert!(!frontdesk::config::is_training(&data));
}

/// An audit that could check nothing exits 3, never 1 ("repairable") or 0.
#[test]
fn an_audit_that_cannot_check_says_so_with_its_own_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("empty");
    let output = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--data")
        .arg(&data)
        .args(["audit", "verify"])
        .env_remove("FRONTDESK_SOCKET")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("could not check"));
}

/// An error that echoes what was typed shows escape codes written out, not acting on the
/// terminal.
#[test]
fn errors_never_pass_escape_codes_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--data")
        .arg(dir.path().join("d"))
        .args([
            "case",
            "accept",
            "--measure",
            "lifting\u{1b}[2J",
            "--iin",
            "791028302728",
            "--name",
            "Әсел",
            "--docs",
            "all",
        ])
        .env_remove("FRONTDESK_SOCKET")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(stderr.contains("lifting\\u{1b}[2J"), "{stderr}");
}

/// Every file under `root` with its bytes, to show that nothing was touched.
fn tree(root: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn backup_restore_and_recover_on_a_postgresql_store_say_what_to_use_and_touch_nothing() {
    // A district that moved onto the oblast's database keeps its old journal; its data
    // directory and backups must stay as they were. No database is reached: the store URL
    // alone says where the cases are.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    accept(&data, "791028302728", "Әсел");
    let backups = dir.path().join("backups");
    let (ok, out) = frontdesk(&data, &["backup", backups.to_str().unwrap()]);
    assert!(ok, "{out}");
    let folder = out.lines().next().unwrap().to_string();
    let url = "postgresql://frontdesk@db.oblast.invalid/frontdesk";
    let before = (tree(&data), tree(&backups));

    let (ok, backup) = frontdesk(
        &data,
        &["--store", url, "backup", backups.to_str().unwrap()],
    );
    assert!(!ok, "{backup}");
    assert!(
        backup.contains("pg_dump") && backup.contains("pg_basebackup"),
        "{backup}"
    );
    let (ok, restore) = frontdesk(&data, &["--store", url, "restore", "--force", &folder]);
    assert!(!ok, "{restore}");
    assert!(
        restore.contains("pg_restore") && restore.contains("point-in-time"),
        "{restore}"
    );
    // The store named in the configuration counts as much as the flag.
    let config = data.join("config.toml");
    let (ok, out) = frontdesk(&data, &["init"]);
    assert!(ok, "{out}");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("\n[store]\nurl = \"{url}\"\n"));
    std::fs::write(&config, &text).unwrap();
    let with_config = tree(&data);
    let (ok, recover) = frontdesk(&data, &["recover"]);
    assert!(!ok, "{recover}");
    assert!(
        recover.contains("WAL") && recover.contains("audit verify"),
        "{recover}"
    );
    for out in [&backup, &restore, &recover] {
        assert!(
            out.contains("db.oblast.invalid")
                && out.contains("An oblast on one database")
                && out.contains("nothing was changed"),
            "{out}"
        );
    }
    assert_eq!(
        tree(&data),
        with_config,
        "recover touched the data directory"
    );
    // Apart from the configuration written above, nothing changed.
    let after = (
        tree(&data)
            .into_iter()
            .filter(|(path, _)| *path != config)
            .collect::<Vec<_>>(),
        tree(&backups),
    );
    let before_without_config = before
        .0
        .into_iter()
        .filter(|(path, _)| *path != config)
        .collect::<Vec<_>>();
    assert_eq!(after.0, before_without_config, "the data directory changed");
    assert_eq!(after.1, before.1, "the backups changed");
}
