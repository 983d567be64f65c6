//! PostgreSQL restarted while clerks accept: the store reconnects by itself, every acknowledged
//! case is there, nothing is there that was not acknowledged (or reported as uncertain),
//! receipts stay gapless, another daemon's live notices resume, and the screens are told once
//! that the database was gone and once that it is back. Stopped a moment under a screen: the
//! screen says "reconnecting" (also one that connects meanwhile) until it is started again.
//! The other PostgreSQL tests of this binary run meanwhile and wait these short outages out;
//! the tests that cause outages take turns (`pg::faults`). Needs scripts/test.sh's cluster
//! (FRONTDESK_TEST_PG_URL, FRONTDESK_TEST_PG_BIN, FRONTDESK_TEST_PG_DATA).

use crate::common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Notice, Request, Response, Service, ServiceError};
use frontdesk::store::{PgStore, StoreError};

fn daemon(url: &str) -> Service {
    let site = site(std::path::Path::new("/nonexistent/frontdesk-pg"));
    let store = PgStore::open(url, &site.regulation).unwrap();
    Service::new(
        Box::new(store),
        site,
        Clock::manual(at("2026-11-25T10:00:00+05:00")),
    )
}

/// `pg_ctl restart` as the cluster's owner (PostgreSQL does not run as root).
fn restart_cluster(bin: &str, data: &str) {
    pg_ctl(bin, data, &["-m", "fast", "restart"]);
}

/// `pg_ctl stop`, then `pg_ctl start` with the options scripts/pg_cluster.sh started it with
/// (its socket beside the data directory, the port of the test URL).
fn stop_cluster(bin: &str, data: &str) {
    pg_ctl(bin, data, &["-m", "fast", "stop"]);
}

fn start_cluster(bin: &str, data: &str, url: &str) {
    let dir = std::path::Path::new(data)
        .parent()
        .unwrap()
        .display()
        .to_string();
    let port = url
        .split(['?', '&'])
        .find_map(|part| part.strip_prefix("port="))
        .unwrap_or("5432");
    let options = format!("-k {dir} -c listen_addresses= -p {port} -c max_connections=200");
    pg_ctl(bin, data, &["-o", &options, "start"]);
}

/// Runs `pg_ctl` on the cluster as its owner, waiting for it to finish.
fn pg_ctl(bin: &str, data: &str, action: &[&str]) {
    let pg_ctl = format!("{bin}/pg_ctl");
    // The server's output goes to its log: a pipe of ours would stay open as long as it runs.
    let log = std::path::Path::new(data).with_file_name("server.log");
    let log = log.to_string_lossy();
    let mut args = vec!["-D", data, "-l", &log, "-w"];
    args.extend_from_slice(action);
    let owner = std::env::var("FRONTDESK_TEST_PG_OWNER").unwrap_or_default();
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = if root && !owner.is_empty() {
        let mut c = std::process::Command::new("runuser");
        c.args(["-u", &owner, "--", &pg_ctl]).args(args);
        c
    } else {
        let mut c = std::process::Command::new(&pg_ctl);
        c.args(args);
        c
    };
    let status = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "pg_ctl {action:?} failed: see {log}");
}

#[test]
fn a_restarted_database_loses_nothing_acknowledged_and_the_daemons_carry_on() {
    let (Some(cluster), Ok(bin), Ok(data)) = (
        pg::cluster_url(),
        std::env::var("FRONTDESK_TEST_PG_BIN"),
        std::env::var("FRONTDESK_TEST_PG_DATA"),
    ) else {
        eprintln!("skipped: no test cluster to restart (run scripts/test.sh)");
        return;
    };
    let _alone = pg::faults();
    let url = pg::fresh_database(&cluster);
    let writer = Arc::new(daemon(&url));
    let watcher = daemon(&url);
    let notices = watcher.subscribe();
    let writer_notices = writer.subscribe();
    let clerk = actor(writer.config(), "clerk");
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            let (writer, clerk, stop) = (writer.clone(), clerk.clone(), stop.clone());
            let (acknowledged, failures) = (acknowledged.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let request = Request::Accept {
                        draft: None,
                        form: form("provider", &iin_for(t * 10_000 + i), "Айгүл", true),
                        opened_at: None,
                    };
                    match writer.execute(&clerk, request) {
                        Ok(Response::Case(case)) => acknowledged.lock().unwrap().push((
                            case.id,
                            case.receipt_no.seq,
                            Instant::now(),
                        )),
                        Ok(other) => panic!("{other:?}"),
                        Err(error) => failures.lock().unwrap().push(error),
                    }
                    i += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(700));
    restart_cluster(&bin, &data);
    let restarted = Instant::now();
    std::thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::Relaxed);
    for thread in threads {
        thread.join().unwrap();
    }

    let acknowledged = acknowledged.lock().unwrap().clone();
    let failures = failures.lock().unwrap();
    // Anything that failed says what happened: unreachable (nothing saved) or uncertain.
    for failure in failures.iter() {
        assert!(
            matches!(
                failure,
                ServiceError::Store(StoreError::NotSavedUnreachable(_) | StoreError::Uncertain(_))
            ),
            "{failure}"
        );
    }
    let uncertain = failures
        .iter()
        .filter(|f| matches!(f, ServiceError::Store(StoreError::Uncertain(_))))
        .count();
    assert!(
        acknowledged.iter().any(|a| a.2 > restarted),
        "no accept was acknowledged after the restart"
    );
    let stored = writer.store().all_cases().unwrap();
    let stored_ids: BTreeSet<u64> = stored.iter().map(|c| c.id).collect();
    let acknowledged_ids: BTreeSet<u64> = acknowledged.iter().map(|a| a.0).collect();
    assert!(
        acknowledged_ids.is_subset(&stored_ids),
        "an acknowledged case is missing"
    );
    assert!(
        stored_ids.len() <= acknowledged_ids.len() + uncertain,
        "the database holds cases nobody was told of: {} stored, {} acknowledged, {uncertain} uncertain",
        stored_ids.len(),
        acknowledged_ids.len()
    );
    let receipts: BTreeSet<u64> = stored.iter().map(|c| c.receipt_no.seq).collect();
    assert_eq!(receipts, (1..=stored.len() as u64).collect());
    eprintln!(
        "{} accepts acknowledged ({} after the restart), {} failed ({uncertain} uncertain)",
        acknowledged.len(),
        acknowledged.iter().filter(|a| a.2 > restarted).count(),
        failures.len()
    );

    // Each daemon's clients were told once that the database was gone and once that it was
    // back: a state, not a storm of errors.
    for (who, notices) in [("writer", &writer_notices), ("watcher", &notices)] {
        let started = Instant::now();
        let mut said = Vec::new();
        while said.last() != Some(&true) && started.elapsed() < Duration::from_secs(5) {
            if let Ok(Notice::Store { reachable }) =
                notices.recv_timeout(Duration::from_millis(100))
            {
                said.push(reachable);
            }
        }
        assert_eq!(said, [false, true], "{who}: the database's state as told");
        assert!(writer.store_reachable() && watcher.store_reachable());
    }

    // The other daemon's listener reconnected: a new accept reaches it.
    while notices.try_recv().is_ok() {}
    let case = match writer
        .execute(
            &clerk,
            Request::Accept {
                draft: None,
                form: form("provider", &iin_for(999_999), "Бекзат", true),
                opened_at: None,
            },
        )
        .unwrap()
    {
        Response::Case(case) => case,
        other => panic!("{other:?}"),
    };
    let started = Instant::now();
    loop {
        match notices.recv_timeout(Duration::from_millis(200)) {
            Ok(Notice::Case(change)) if change.case_id == case.id => break,
            _ if started.elapsed() > Duration::from_secs(5) => {
                panic!("the other daemon heard nothing after the restart")
            }
            _ => {}
        }
    }
}

/// The next notice of the database's state, within `within`.
fn store_notice(notices: &std::sync::mpsc::Receiver<Notice>, within: Duration) -> Option<bool> {
    let started = Instant::now();
    while started.elapsed() < within {
        if let Ok(Notice::Store { reachable }) = notices.recv_timeout(Duration::from_millis(100)) {
            return Some(reachable);
        }
    }
    None
}

#[test]
fn a_stopped_database_shows_as_reconnecting_on_the_screens_until_it_is_started() {
    let (Some(cluster), Ok(bin), Ok(data)) = (
        pg::cluster_url(),
        std::env::var("FRONTDESK_TEST_PG_BIN"),
        std::env::var("FRONTDESK_TEST_PG_DATA"),
    ) else {
        eprintln!("skipped: no test cluster to stop (run scripts/test.sh)");
        return;
    };
    let _alone = pg::faults();
    let url = pg::fresh_database(&cluster);
    let service = Arc::new(daemon(&url));
    let clerk = actor(service.config(), "clerk");
    let accept = |i: u64| {
        service.execute(
            &clerk,
            Request::Accept {
                draft: None,
                form: form("provider", &iin_for(i), "Айгүл", true),
                opened_at: None,
            },
        )
    };
    accept(1).unwrap();
    // A screen over the daemon's socket, as the counters are.
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("frontdesk.sock");
    let _served =
        frontdesk::protocol::server::serve_beside_screen(service.clone(), &socket).unwrap();
    let (_screen, screen_notices, _) =
        frontdesk::protocol::client::Remote::connect(&socket).unwrap();

    // Short, so that the other tests of this binary, which do not stop for it, wait it out.
    stop_cluster(&bin, &data);
    let stopped = Instant::now();
    let told = store_notice(&screen_notices, Duration::from_secs(3));
    let (_late, late_notices, _) = frontdesk::protocol::client::Remote::connect(&socket).unwrap();
    let late_told = store_notice(&late_notices, Duration::from_secs(1));
    // A write sent meanwhile waits for the database rather than failing at once.
    let waiting = std::thread::scope(|scope| {
        let waiting = scope.spawn(|| accept(2));
        std::thread::sleep(Duration::from_millis(300));
        start_cluster(&bin, &data, &cluster);
        waiting.join().unwrap()
    });
    let outage = stopped.elapsed();
    assert_eq!(
        told,
        Some(false),
        "the screen was not told the database is gone"
    );
    assert_eq!(
        late_told,
        Some(false),
        "a screen connecting meanwhile was not told"
    );
    assert_eq!(
        store_notice(&screen_notices, Duration::from_secs(5)),
        Some(true),
        "the screen was not told the database is back"
    );
    assert_eq!(
        store_notice(&late_notices, Duration::from_secs(1)),
        Some(true)
    );
    // Told once each way.
    assert_eq!(
        store_notice(&screen_notices, Duration::from_millis(300)),
        None
    );
    let Ok(Response::Case(case)) = waiting else {
        panic!("the write sent during a {outage:?} outage: {waiting:?}");
    };
    assert_eq!(case.receipt_no.seq, 2);
    assert!(service.store_reachable());
    eprintln!("stopped for {outage:?}");
}
