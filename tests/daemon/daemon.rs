//! Shared mode with a real daemon on a temporary socket: live updates between clients, roles
//! enforced in the core, hostile frames, and a daemon killed with SIGKILL.

use crate::common;

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use common::daemon::{configure, Daemon};
use common::form;
use frontdesk::domain::case::CaseStatus;
use frontdesk::domain::lifecycle::{CaseCommand, LifecycleError};
use frontdesk::domain::query::CaseQuery;
use frontdesk::domain::regulation::Action;
use frontdesk::protocol::client::Remote;
use frontdesk::service::port::Core;
use frontdesk::service::{FailureKind, LinkFailure, Notice, QueueError, Request, Response};

fn wait_notice(notices: &Receiver<Notice>, what: impl Fn(&Notice) -> bool) -> Notice {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let notice = notices.recv_timeout(left).expect("the notice came");
        if what(&notice) {
            return notice;
        }
    }
}

fn accept(client: &Remote, iin: &str) -> frontdesk::domain::case::Case {
    match client
        .execute(Request::Accept {
            draft: None,
            form: form("provider", iin, "Айнұр", true),
            opened_at: None,
        })
        .unwrap()
    {
        Response::Case(case) => *case,
        other => panic!("{other:?}"),
    }
}

#[test]
fn two_clients_see_each_others_changes_live() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    let daemon = Daemon::start(dir.path());
    let (a, _a_notices, welcome) = Remote::connect(&daemon.socket).unwrap();
    assert_eq!(welcome.staff.id, "clerk");
    let (b, b_notices, _) = Remote::connect(&daemon.socket).unwrap();
    let started = Instant::now();
    let case = accept(&a, "791028302728");
    let notice = wait_notice(&b_notices, |n| matches!(n, Notice::Case(_)));
    let Notice::Case(seen) = notice else {
        unreachable!()
    };
    assert_eq!(seen.receipt_no, case.receipt_no);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the change took {:?}",
        started.elapsed()
    );
    let Response::Cases(list) = b
        .execute(Request::List(CaseQuery {
            owner: Some(frontdesk::domain::query::OwnerKey::role("clerk")),
            limit: 100,
            ..CaseQuery::default()
        }))
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(list.len(), 1);
    // The queue is shared too.
    a.execute(Request::RegisterArrival {
        ticket: Some("B12".into()),
        channel: "provider".into(),
        measure: "housing-credit".into(),
    })
    .unwrap();
    wait_notice(&b_notices, |n| matches!(n, Notice::Queue { .. }));
    let Response::Queue(queue) = b.execute(Request::Queue).unwrap() else {
        panic!()
    };
    assert_eq!(queue[0].number, "B12");
}

#[test]
fn the_core_enforces_roles_whatever_the_client_sends() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    let daemon = Daemon::start(dir.path());
    let (clerk, _, _) = Remote::connect(&daemon.socket).unwrap();
    let case = accept(&clerk, "791028302728");
    let id = case.id.to_string();
    clerk
        .execute(Request::Act {
            case: id.clone(),
            command: CaseCommand::Act {
                action: Action::Register,
                executor: None,
            },
        })
        .unwrap();
    // A hand-made request to sign (or to assign) from a clerk's connection.
    for command in [
        CaseCommand::Act {
            action: Action::Sign,
            executor: None,
        },
        CaseCommand::Act {
            action: Action::AssignExecutor,
            executor: Some("executor".into()),
        },
    ] {
        let error = clerk
            .execute(Request::Act {
                case: id.clone(),
                command,
            })
            .unwrap_err();
        // The refusal comes typed, for the screens, with its English text for logs and scripts.
        let FailureKind::Lifecycle(LifecycleError::WrongRole { allowed, role, .. }) = &error.kind
        else {
            panic!("{error:?}");
        };
        assert_eq!(
            (allowed.as_slice(), role.as_str()),
            (&["head".to_string()][..], "clerk")
        );
        assert!(error.text.contains("head"), "{error}");
    }
    // A ticket the queue refuses is typed too.
    let ticket = |number: &str| Request::RegisterArrival {
        ticket: Some(number.into()),
        channel: "provider".into(),
        measure: "housing-credit".into(),
    };
    clerk.execute(ticket("B7")).unwrap();
    let error = clerk.execute(ticket("b7")).unwrap_err();
    assert_eq!(
        error.kind,
        FailureKind::Queue(QueueError::Duplicate("B7".into()))
    );
    assert_eq!(
        error.text,
        "ticket: ticket B7 is already in today's queue: check the number on the ticket"
    );
}

/// The daemon's answers as protocol 3 encoded them: a refusal was a string.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
enum ServerMessageV3 {
    Welcome(Box<frontdesk::protocol::Welcome>),
    Refused {
        reason: String,
    },
    Response {
        id: u64,
        result: Result<Box<Response>, String>,
    },
    Notice(Box<Notice>),
}

#[test]
fn a_client_of_another_protocol_version_is_told_to_update_in_words_it_can_read() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    let daemon = Daemon::start(dir.path());
    for version in [3, frontdesk::protocol::PROTOCOL_VERSION + 1] {
        let mut stream = UnixStream::connect(&daemon.socket).unwrap();
        frontdesk::protocol::write_frame(
            &mut stream,
            &frontdesk::protocol::ClientMessage::Hello { version },
        )
        .unwrap();
        // Read as an older client reads it: the refusal decodes, and it says what to do.
        let answer = frontdesk::protocol::read_frame::<ServerMessageV3>(&mut stream).unwrap();
        let ServerMessageV3::Refused { reason } = answer else {
            panic!("{answer:?}");
        };
        assert_eq!(
            reason,
            format!(
                "protocol {version} is not spoken here ({} is); update frontdesk",
                frontdesk::protocol::PROTOCOL_VERSION
            )
        );
    }
    // A client of this version is welcomed.
    assert!(Remote::connect(&daemon.socket).is_ok());
}

#[test]
fn an_unknown_user_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), None);
    let daemon = Daemon::start(dir.path());
    let error = Remote::connect(&daemon.socket).err().expect("refused");
    assert!(error.contains("not on the staff list"), "{error}");
}

#[test]
fn garbage_truncated_and_huge_frames_do_not_disturb_other_clients() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    let daemon = Daemon::start(dir.path());
    let (good, _, _) = Remote::connect(&daemon.socket).unwrap();
    let hostile: [&[u8]; 5] = [
        b"GET / HTTP/1.1\r\n\r\n",
        &[0xff, 0xff, 0xff, 0xff, 1, 2, 3],
        &[0, 0, 0, 40, 1, 2, 3],
        &[0, 0, 0, 3, 1, 0xde, 0xad],
        &[0, 0, 0, 0],
    ];
    for bytes in hostile {
        let mut stream = UnixStream::connect(&daemon.socket).unwrap();
        let _ = stream.write_all(bytes);
        drop(stream);
    }
    // A client that says hello properly and then sends garbage.
    let mut stream = UnixStream::connect(&daemon.socket).unwrap();
    frontdesk::protocol::write_frame(
        &mut stream,
        &frontdesk::protocol::ClientMessage::Hello {
            version: frontdesk::protocol::PROTOCOL_VERSION,
        },
    )
    .unwrap();
    let _: frontdesk::protocol::ServerMessage =
        frontdesk::protocol::read_frame(&mut stream).unwrap();
    stream.write_all(&[0, 0, 0, 5, 1, 2, 3, 4, 5]).unwrap();
    let closed = frontdesk::protocol::read_frame::<frontdesk::protocol::ServerMessage>(&mut stream);
    assert!(
        closed.is_err(),
        "the daemon kept a connection that sent garbage"
    );
    // The well-behaved client carries on.
    let case = accept(&good, "791028302728");
    assert_eq!(case.receipt_no.seq, 1);
}

#[test]
fn a_daemon_killed_with_sigkill_loses_no_acknowledged_case_and_clients_reconnect() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    let mut daemon = Daemon::start(dir.path());
    let (client, notices, _) = Remote::connect(&daemon.socket).unwrap();
    let cases: Vec<_> = (0..20)
        .map(|n| accept(&client, &frontdesk::service::fixture::iin_for(n)))
        .collect();
    daemon.kill9();
    wait_notice(&notices, |n| matches!(n, Notice::Link { connected: false }));
    let error = client.execute(Request::Queue).unwrap_err();
    assert!(
        matches!(
            error.kind,
            FailureKind::Link(LinkFailure::NotConnected | LinkFailure::Dropped)
        ),
        "{error}"
    );
    let _daemon = Daemon::start(dir.path());
    wait_notice(&notices, |n| matches!(n, Notice::Link { connected: true }));
    for case in &cases {
        let Response::Case(stored) = client
            .execute(Request::GetCase {
                case: case.receipt_no.to_string(),
            })
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(stored.intake.applicant.iin, case.intake.applicant.iin);
        assert_eq!(stored.status, CaseStatus::InProgress);
    }
    assert_eq!(accept(&client, "791028302728").receipt_no.seq, 21);
}

#[test]
fn the_cli_works_against_a_running_daemon() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    // On the data directory's own socket, so the CLI finds it by itself.
    let _daemon = Daemon::start_on(dir.path(), &dir.path().join("frontdesk.sock"));
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--data")
            .arg(dir.path())
            .args(args)
            .env_remove("FRONTDESK_NOW")
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    let (ok, out) = run(&[
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
    assert!(ok, "{out}");
    assert!(out.starts_with("ALM01-"), "{out}");
    let (ok, out) = run(&["case", "list", "--owner", "@clerk"]);
    assert!(ok && out.contains("Әсел"), "{out}");
    let (ok, out) = run(&["case", "act", "1", "register"]);
    assert!(ok && out.contains("at P2"), "{out}");
    let (ok, out) = run(&[
        "case",
        "act",
        "1",
        "assign-executor",
        "--executor",
        "executor",
    ]);
    assert!(
        !ok && out.contains("head"),
        "a clerk signed through the CLI: {out}"
    );
    let (ok, out) = run(&["export", "csv"]);
    assert!(ok && out.contains("791028302728"), "{out}");
    // A clock given to a write that reaches the daemon is refused, not silently dropped.
    let (ok, out) = run(&[
        "--now",
        "2020-06-01T10:00:00+05:00",
        "case",
        "act",
        "1",
        "register",
    ]);
    assert!(!ok && out.contains("cannot reach"), "{out}");
}

#[test]
fn a_named_data_directory_wins_over_the_environment_s_socket() {
    let live = tempfile::tempdir().unwrap();
    configure(live.path(), Some("clerk"));
    let daemon = Daemon::start_on(live.path(), &live.path().join("frontdesk.sock"));
    let other = tempfile::tempdir().unwrap();
    configure(other.path(), None);
    let run = |data: Option<&std::path::Path>, args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"));
        if let Some(data) = data {
            command.arg("--data").arg(data);
        }
        if data == Some(other.path()) {
            // Embedded on a site where this login is nobody: say who acts.
            command.args(["--as", "clerk"]);
        }
        let output = command
            .args(args)
            .env("FRONTDESK_SOCKET", &daemon.socket)
            .env("HOME", other.path().join("home"))
            .env_remove("FRONTDESK_DATA")
            .env_remove("XDG_DATA_HOME")
            .env_remove("FRONTDESK_NOW")
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    let accept = [
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
    ];
    // Without --data the environment's socket is the daemon's: the case lands there.
    let (ok, out) = run(None, &accept);
    assert!(ok, "{out}");
    let (ok, out) = run(Some(live.path()), &["case", "list"]);
    assert!(ok && out.contains("Әсел"), "{out}");
    // With --data naming another directory, that directory is acted on, not the daemon.
    let (ok, out) = run(Some(other.path()), &["case", "list"]);
    assert!(ok && !out.contains("Әсел"), "{out}");
    let (ok, out) = run(Some(other.path()), &accept);
    assert!(ok && out.starts_with("ALM01-2026-000001"), "{out}");
    let (ok, out) = run(Some(live.path()), &["case", "list"]);
    assert!(ok && out.matches("Әсел").count() == 1, "{out}");
}

#[test]
fn the_dashboard_counts_a_case_accepted_at_another_counter_within_a_second() {
    use common::pty::{keys, Screen};
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    let daemon = Daemon::start(dir.path());
    let socket = daemon.socket.to_str().unwrap().to_string();
    // The dashboard client: the real binary in a pseudo-terminal, on the dashboard screen.
    let mut dashboard = Screen::spawn(
        dir.path(),
        &["--lang", "en", "connect", &socket],
        &[],
        80,
        24,
    );
    dashboard.wait_for("Walk-in queue");
    dashboard.send("\x1b[24~"); // F12
    dashboard.wait_for("Breach within 1 working hour");
    // The P1 row's four counts (on track, due soon, overdue, paused), summed.
    let p1_cases = |screen: &Screen| -> Option<u32> {
        let contents = screen.contents();
        let row = contents.lines().find(|l| l.contains("│P1"))?.to_string();
        Some(
            row.split(['│', ' '])
                .filter_map(|f| f.parse::<u32>().ok())
                .sum(),
        )
    };
    let before = p1_cases(&dashboard).expect("a P1 row");
    assert_eq!(before, 0);
    // The clerk client accepts a case.
    let (clerk, _, _) = Remote::connect(&daemon.socket).unwrap();
    let started = Instant::now();
    accept(&clerk, "791028302728");
    let deadline = started + Duration::from_secs(1);
    loop {
        if p1_cases(&dashboard) == Some(1) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the dashboard did not count the case within a second:\n{}",
            dashboard.contents()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    dashboard.send(keys::F10);
}

#[test]
fn the_daemon_log_holds_no_iin_name_or_phone() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    let _daemon = Daemon::start_on(dir.path(), &dir.path().join("frontdesk.sock"));
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--data")
            .arg(dir.path())
            .args(args)
            .env_remove("FRONTDESK_NOW")
            .output()
            .unwrap()
    };
    let iin = "791028302728";
    let name = "Қуанышбекова Гүлжанар";
    let phone = "+77015550123";
    let accept = |iin: &str, docs: &str| {
        run(&[
            "case",
            "accept",
            "--measure",
            "lifting-allowance",
            "--iin",
            iin,
            "--name",
            name,
            "--phone",
            phone,
            "--settlement",
            name,
            "--docs",
            docs,
        ])
    };
    assert!(accept(iin, "all").status.success());
    // Failing requests whose error text quotes what was typed.
    run(&["case", "show", iin]);
    assert!(!run(&["case", "show", "870412300415"]).status.success());
    assert!(!accept("791028302729", "all").status.success());
    assert!(!accept(iin, "no-such-document").status.success());
    assert!(!run(&["case", "list", "--search", name]).stdout.is_empty());
    run(&[
        "receipt",
        "void",
        "1",
        "--reason",
        &format!("{name} {phone}"),
    ]);
    run(&["case", "act", "1", "return-for-rework", "--reason", phone]);
    std::thread::sleep(Duration::from_millis(300));
    let log = std::fs::read_to_string(dir.path().join("daemon.log")).unwrap();
    assert!(
        log.contains("get-case") && log.contains("not-found"),
        "{log}"
    );
    assert!(log.contains("invalid: "), "{log}");
    for secret in [
        iin,
        "870412300415",
        "791028302729",
        "791028",
        name,
        "Гүлжанар",
        phone,
        "5550123",
    ] {
        assert!(!log.contains(secret), "`{secret}` is in the log:\n{log}");
    }
}
