//! The daemon stays up: connections that end take their descriptors and threads with them, and
//! held, slow, oversized and premature connections cannot exhaust it while a clerk works.

use crate::common;

use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use common::daemon::{ask, closed_within, configure, limit, push, say_hello, Daemon};
use frontdesk::protocol::client::Remote;
use frontdesk::protocol::{read_frame, ServerMessage};
use frontdesk::service::{Request, Response};
use frontdesk::tui::core::Core;

/// Descriptors or threads more than this above the baseline count as a leak.
const SLACK: usize = 3;

fn queue_works(client: &Remote) {
    let started = Instant::now();
    assert!(matches!(
        client.execute(Request::Queue),
        Ok(Response::Queue(_))
    ));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the clerk waited {:?}",
        started.elapsed()
    );
}

/// How long descriptors and threads may take to return to the baseline. The daemon frees them
/// when a client leaves (well under a second, as the soak benchmark measures); the margin is for
/// a machine busy with other tests, so that this stays a check of leaks, not of timing.
const SETTLE: Duration = Duration::from_secs(5);

#[test]
fn two_thousand_short_connections_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    let daemon = Daemon::start(dir.path());
    // Warm up whatever the store starts lazily (a write starts its flusher), then measure.
    let mut warm = say_hello(&daemon.socket).unwrap();
    ask(&mut warm, 1, Request::Queue).unwrap();
    ask(
        &mut warm,
        2,
        Request::Accept {
            draft: None,
            form: common::form("provider", "791028302728", "Әсел", true),
            opened_at: None,
        },
    )
    .unwrap();
    drop(warm);
    let baseline = daemon.baseline();
    let socket = daemon.socket.clone();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let socket = socket.clone();
            std::thread::spawn(move || {
                for n in 0..500 {
                    let mut stream = say_hello(&socket).unwrap();
                    ask(&mut stream, n, Request::Queue).unwrap();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let after = daemon.back_to(baseline, SLACK, SETTLE);
    assert!(
        after.is_ok(),
        "baseline {baseline:?} (descriptors, threads), a second after 2,000 connections: {after:?}"
    );
    // Probes (connect, close without a word) as every CLI call makes are not errors in the log.
    for _ in 0..20 {
        drop(UnixStream::connect(&daemon.socket).unwrap());
    }
    std::thread::sleep(Duration::from_millis(200));
    let log = Daemon::log(dir.path());
    assert!(!log.contains("WARN") && !log.contains("ERROR"), "{log}");
}

#[test]
fn held_connections_are_refused_past_the_limit_and_dropped_at_the_hello_deadline() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    limit(dir.path(), "hello_timeout_secs = 2\n");
    let daemon = Daemon::start(dir.path());
    let (clerk, _, _) = Remote::connect(&daemon.socket).unwrap();
    let baseline = daemon.baseline();
    let started = Instant::now();
    let held: Vec<UnixStream> = (0..500)
        .map(|_| UnixStream::connect(&daemon.socket).unwrap())
        .collect();
    // The clerk keeps working among them; a new connection of the same login is told why not.
    queue_works(&clerk);
    let error = Remote::connect(&daemon.socket).err().expect("refused");
    assert!(error.contains("max_connections_per_user"), "{error}");
    // Past the per-user limit (64 by default, the clerk's own connection included) each one is
    // told why at once.
    let mut refused = 0;
    let mut kept = Vec::new();
    for mut stream in held {
        stream
            .set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        match read_frame::<ServerMessage>(&mut stream) {
            Ok(ServerMessage::Refused { reason }) => {
                assert!(reason.contains("already holds 64"), "{reason}");
                refused += 1;
            }
            _ => kept.push(stream),
        }
    }
    assert_eq!(refused, 500 - 63, "kept {}", kept.len());
    // Nobody said hello: at the deadline they are all gone.
    for stream in &mut kept {
        let left = Duration::from_secs(4).saturating_sub(started.elapsed());
        assert!(
            closed_within(stream, left),
            "a silent peer outlived the hello deadline"
        );
    }
    assert!(daemon.back_to(baseline, SLACK, SETTLE).is_ok());
    queue_works(&clerk);
    // One line for the whole storm of refusals, not 437.
    let log = Daemon::log(dir.path());
    assert!(log.matches("connection refused").count() <= 2, "{log}");
}

#[test]
fn five_hundred_idle_clerks_are_held_and_released() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    limit(dir.path(), "max_connections_per_user = 600\n");
    let daemon = Daemon::start(dir.path());
    let (clerk, _, _) = Remote::connect(&daemon.socket).unwrap();
    let baseline = daemon.baseline();
    let idle: Vec<UnixStream> = (0..500)
        .map(|n| say_hello(&daemon.socket).unwrap_or_else(|e| panic!("clerk {n}: {e}")))
        .collect();
    // One descriptor each, and no more.
    assert!(daemon.descriptors() <= baseline.0 + 500 + SLACK);
    queue_works(&clerk);
    // A notice reaches all 500 writers without holding the clerk up.
    clerk
        .execute(Request::RegisterArrival {
            ticket: Some("A1".into()),
            channel: "provider".into(),
            measure: "housing-credit".into(),
        })
        .unwrap();
    queue_works(&clerk);
    drop(idle);
    let after = daemon.back_to(baseline, SLACK, SETTLE);
    assert!(after.is_ok(), "baseline {baseline:?}, after: {after:?}");
}

#[test]
fn slow_oversized_and_premature_frames_cost_the_daemon_little() {
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), Some("clerk"));
    limit(
        dir.path(),
        "hello_timeout_secs = 2\nmax_connections_per_user = 200\n",
    );
    let daemon = Daemon::start(dir.path());
    let (clerk, _, _) = Remote::connect(&daemon.socket).unwrap();
    let baseline = daemon.baseline();
    let rss_before = daemon.rss_kib();

    // An oversized hello is refused unread.
    let mut big_hello = UnixStream::connect(&daemon.socket).unwrap();
    push(&mut big_hello, &100_000u32.to_be_bytes());
    assert!(closed_within(&mut big_hello, Duration::from_secs(1)));

    // A request frame larger than a request can be, after a proper hello.
    let mut big_request = say_hello(&daemon.socket).unwrap();
    push(&mut big_request, &(3 * 1024 * 1024u32).to_be_bytes());
    assert!(closed_within(&mut big_request, Duration::from_secs(1)));

    // 100 staff connections each announcing a 256 KiB request and sending 200 KiB of it.
    let partial: Vec<UnixStream> = (0..100)
        .map(|_| {
            let mut stream = say_hello(&daemon.socket).unwrap();
            push(&mut stream, &(256 * 1024u32).to_be_bytes());
            push(&mut stream, &vec![0u8; 200 * 1024]);
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let grown_mib = daemon.rss_kib().saturating_sub(rss_before) / 1024;
    assert!(grown_mib < 40, "100 partial frames cost {grown_mib} MiB");
    queue_works(&clerk);
    drop(partial);

    // Slow senders: a hello fed a byte a second never completes before its deadline.
    let slow: Vec<_> = (0..20)
        .map(|_| {
            let socket = daemon.socket.clone();
            std::thread::spawn(move || {
                let mut stream = UnixStream::connect(&socket).unwrap();
                let started = Instant::now();
                for byte in [0u8, 0, 0, 3, 2, 0, 2] {
                    if !push(&mut stream, &[byte]) {
                        break;
                    }
                    if closed_within(&mut stream, Duration::from_secs(1)) {
                        break;
                    }
                }
                started.elapsed()
            })
        })
        .collect();
    queue_works(&clerk);
    for sender in slow {
        let lasted = sender.join().unwrap();
        assert!(
            lasted < Duration::from_millis(3500),
            "a slow sender was held {lasted:?}"
        );
    }

    // A flood of garbage before any hello.
    for n in 0..1000u32 {
        let mut stream = UnixStream::connect(&daemon.socket).unwrap();
        push(
            &mut stream,
            &[0, 0, 0, 8, (n % 251) as u8, 1, 2, 3, 4, 5, 6, 7],
        );
    }
    queue_works(&clerk);
    let after = daemon.back_to(baseline, SLACK, Duration::from_secs(3));
    assert!(after.is_ok(), "baseline {baseline:?}, after: {after:?}");
    let log = Daemon::log(dir.path());
    assert!(log.matches("bad hello").count() <= 3, "{log}");
}
