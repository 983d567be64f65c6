//! Administration through the command line: init, backup while in use, restore, recover, audit,
//! export, doctor.

use std::path::Path;
use std::process::Command;

fn frontdesk(data: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--data")
        .arg(data)
        .args(["--now", "2026-11-25T10:00:00+05:00"])
        .args(args)
        .env_remove("FRONTDESK_SOCKET")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
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
