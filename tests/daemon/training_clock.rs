//! `--now` sets the clock only on a training data directory, whose receipts say so; on a live
//! one it may read but never write.

use std::path::Path;

use crate::common::run_cli;

fn frontdesk(data: &Path, args: &[&str]) -> (bool, String) {
    let run = run_cli(data, &[&["--as", "clerk"], args].concat());
    (run.ok, run.all())
}

const ACCEPT: [&str; 9] = [
    "case",
    "accept",
    "--measure",
    "lifting-allowance",
    "--iin",
    "791028302728",
    "--name",
    "Әсел",
    "--docs=all",
];

#[test]
fn a_live_store_takes_no_write_at_another_time() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = frontdesk(dir.path(), &["init"]);
    assert!(ok, "{out}");
    for now in ["1900-01-01T10:00:00+05:00", "9999-01-01T10:00:00+05:00"] {
        let mut args = vec!["--now", now];
        args.extend(ACCEPT);
        let (ok, out) = frontdesk(dir.path(), &args);
        assert!(!ok && out.contains("training data directory"), "{out}");
    }
    // Backdating through the intake's own field is refused too.
    let mut args = ACCEPT.to_vec();
    args.extend(["--opened-at", "1900-01-01T00:00:00+05:00"]);
    let (ok, out) = frontdesk(dir.path(), &args);
    assert!(!ok && out.contains("opened_at"), "{out}");
    let (ok, out) = frontdesk(dir.path(), &ACCEPT);
    assert!(ok, "{out}");
    // Reading "as of" another time is fine.
    let (ok, out) = frontdesk(
        dir.path(),
        &["--now", "2030-01-01T10:00:00+05:00", "case", "list"],
    );
    assert!(ok && out.contains("Әсел"), "{out}");
    let (ok, out) = frontdesk(dir.path(), &["receipt", "show", "1"]);
    assert!(ok && !out.contains("TRAINING"), "{out}");
}

#[test]
fn a_training_store_takes_the_set_clock_and_its_receipts_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = frontdesk(dir.path(), &["init", "--training"]);
    assert!(ok, "{out}");
    let mut args = vec!["--now", "2026-11-25T10:00:00+05:00"];
    args.extend(ACCEPT);
    let (ok, out) = frontdesk(dir.path(), &args);
    assert!(ok && out.starts_with("ALM01-2026-"), "{out}");
    let (ok, out) = frontdesk(dir.path(), &["receipt", "show", "1"]);
    assert!(ok, "{out}");
    assert_eq!(out.matches("ОҚУ / УЧЕБНЫЙ / TRAINING").count(), 2, "{out}");
}
