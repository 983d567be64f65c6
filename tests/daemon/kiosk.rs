//! One kiosk, several frontdesks: while the counter screen is open in embedded mode, the hall
//! board, reports and case commands on the same data directory are clients of its socket.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use common::pty::{keys, Screen};

fn frontdesk(data: &Path, args: &[&str]) -> (bool, String) {
    let run = common::run_cli(data, args);
    (run.ok, run.all())
}

#[test]
fn the_board_and_reports_run_beside_the_open_counter_screen() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("kiosk");
    assert!(frontdesk(&data, &["init"]).0);
    let mut counter = Screen::spawn(&data, &["--lang", "en"], &[], 80, 24);
    counter.wait_for("Walk-in queue");
    let socket = data.join("frontdesk.sock");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !socket.exists() {
        assert!(Instant::now() < deadline, "the screen serves no socket");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mode = std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the kiosk's socket is its owner's only");

    // Commands on the same directory work, as the screen's clients.
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
            "Әсел",
            "--docs",
            "all",
        ],
    );
    assert!(ok && out.starts_with("ALM01-"), "{out}");
    let (ok, out) = frontdesk(&data, &["report"]);
    assert!(ok, "{out}");
    let (ok, out) = frontdesk(&data, &["case", "list"]);
    assert!(ok && out.contains("Әсел"), "{out}");
    let (ok, out) = frontdesk(&data, &["receipt", "show", "1"]);
    assert!(ok && out.contains("Әсел"), "{out}");
    let (ok, out) = frontdesk(&data, &["queue", "arrive", "--ticket", "B7"]);
    assert!(ok, "{out}");
    let (ok, out) = frontdesk(
        &data,
        &["backup", dir.path().join("backup").to_str().unwrap()],
    );
    assert!(ok, "{out}");
    // The doctor tells an open screen apart from damage.
    let (_, out) = frontdesk(&data, &["doctor"]);
    assert!(out.contains("in use by frontdesk, pid"), "{out}");
    assert!(!out.contains("recover"), "{out}");

    // The hall board for the kiosk's second screen.
    let mut board = Screen::spawn(&data, &["board"], &[], 80, 24);
    board.wait_for("Waiting: 1");
    // The counter calls the ticket; the board shows it.
    counter.send(keys::F6);
    board.wait_for("Counter");

    board.send("q");
    counter.send(keys::ESC);
    counter.send(keys::F10);
    assert!(counter.wait_exit(Duration::from_secs(10)).is_some());
    let deadline = Instant::now() + Duration::from_secs(2);
    while socket.exists() {
        assert!(
            Instant::now() < deadline,
            "the closed screen left its socket"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Closed: the commands open the store themselves again.
    let (ok, out) = frontdesk(&data, &["case", "list"]);
    assert!(ok && out.contains("Әсел"), "{out}");
}

#[test]
fn a_board_started_while_its_daemon_is_down_waits_for_it_and_never_locks_it_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    common::daemon::configure(&data, Some("clerk"));
    let socket = data.join("frontdesk.sock");
    // The socket a killed daemon leaves behind.
    let mut daemon = common::daemon::Daemon::start_on(&data, &socket);
    daemon.kill9();
    assert!(socket.exists());
    let board = Screen::spawn(&data, &["board"], &[], 80, 24);
    board.wait_for("not answering");
    // The daemon comes back: it opens its store (the board did not take it) and the board
    // shows the hall.
    let _daemon = common::daemon::Daemon::start_on(&data, &socket);
    board.wait_for("Waiting");
}
