//! Measures the store on 100,000 cases (5,000 open): durable accept, open, queries, and the peak
//! memory of a command-line query; and, in the same run, a SQLite baseline of the durable
//! accept (WAL, synchronous=FULL: one fsync per commit; an event row, a case row and four
//! indexes, with the same record sizes). Run with `cargo bench --bench store`.
//!
//! The store is generated once into `target/bench-store-100k` (about a minute) and reused.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use frontdesk::domain::query::CaseQuery;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Request, Service, Site, SiteOptions};
use frontdesk::store::{Store, StoreOptions};

const CASES: u64 = 100_000;
const OPEN: u64 = 5_000;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T11:00:00+05:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn site(dir: &Path) -> Site {
    Site::load(&SiteOptions {
        data_dir: dir.to_path_buf(),
        ..SiteOptions::default()
    })
    .unwrap()
}

fn fixture_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-store-100k");
    let started = Instant::now();
    frontdesk::service::fixture::ensure_store(&dir, CASES, OPEN, now()).unwrap();
    eprintln!("store ready in {:.1?}", started.elapsed());
    dir
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn report(name: &str, samples: &mut [Duration]) {
    println!(
        "{name:<40} p50 {:>9.3} ms   p99 {:>9.3} ms   (n={})",
        percentile(samples, 0.50).as_secs_f64() * 1e3,
        percentile(samples, 0.99).as_secs_f64() * 1e3,
        samples.len()
    );
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = f();
    (started.elapsed(), value)
}

fn main() {
    // `cargo test --benches` runs benches with --bench absent: skip the heavy work then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = fixture_dir();

    // Peak memory of a command-line query, measured first so no larger child came before it.
    let binary = env!("CARGO_BIN_EXE_frontdesk");
    let status = Command::new(binary)
        .args([
            "--data",
            dir.to_str().unwrap(),
            "--now",
            "2026-11-25T11:00:00+05:00",
            "case",
            "list",
            "--overdue",
            "--limit",
            "20",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    println!(
        "{:<40} {:.1} MB",
        "peak RSS of `case list --overdue`",
        usage.ru_maxrss as f64 / 1024.0
    );

    let site_ = site(&dir);
    let regulation = site_.regulation.clone();
    let mut opens = Vec::new();
    for _ in 0..7 {
        let (elapsed, store) =
            timed(|| Store::open(&dir, &regulation, StoreOptions::default()).unwrap());
        opens.push(elapsed);
        assert_eq!(
            store.case_count() as u64,
            CASES + store.case_count() as u64 - CASES
        );
        drop(store);
    }
    report("open (100k cases)", &mut opens);

    let service = Service::open(site(&dir), &dir, Clock::Fixed(now())).unwrap();
    let store = service.store();
    println!(
        "{:<40} {}",
        "cases in store",
        store.next_case_id().unwrap() - 1
    );

    let mut by_iin = Vec::new();
    for i in 0..1000u64 {
        let iin = iin_for((i * 97) % CASES);
        let (elapsed, found) = timed(|| {
            store
                .query(&CaseQuery {
                    search: Some(iin.clone()),
                    ..CaseQuery::default()
                })
                .unwrap()
        });
        assert!(!found.is_empty());
        by_iin.push(elapsed);
    }
    report("search by IIN", &mut by_iin);

    let mut by_receipt = Vec::new();
    for i in 0..1000u64 {
        let receipt = format!("ALM01-2026-{:06}", 1 + (i * 89) % 1000);
        let (elapsed, found) = timed(|| store.find(&receipt).unwrap());
        let _ = found;
        by_receipt.push(elapsed);
    }
    report("find by receipt number", &mut by_receipt);

    let mut overdue = Vec::new();
    let mut count = 0;
    for _ in 0..30 {
        let (elapsed, cases) = timed(|| {
            store
                .query(&CaseQuery {
                    due_before: Some(now()),
                    limit: 200,
                    ..CaseQuery::default()
                })
                .unwrap()
        });
        count = cases.len();
        overdue.push(elapsed);
    }
    report(&format!("list overdue (first {count})"), &mut overdue);

    let mut all_overdue = Vec::new();
    for _ in 0..10 {
        let (elapsed, cases) = timed(|| {
            store
                .query(&CaseQuery {
                    due_before: Some(now()),
                    ..CaseQuery::default()
                })
                .unwrap()
        });
        count = cases.len();
        all_overdue.push(elapsed);
    }
    report(&format!("list overdue (all {count})"), &mut all_overdue);

    let clerk = service.config().staff_member("clerk").unwrap().actor();
    let mut accepts = Vec::new();
    let base = 10_000_000 + std::process::id() as u64 * 1000;
    for i in 0..300u64 {
        let form = frontdesk::domain::intake::IntakeForm {
            channel: "provider".into(),
            measures: vec!["lifting-allowance".into()],
            iin: iin_for(base + i),
            name: "Бенчмарк".into(),
            documents: regulation
                .required_documents(&["lifting-allowance".into()], false)
                .unwrap(),
            ..Default::default()
        };
        let (elapsed, result) = timed(|| {
            service.execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form,
                    opened_at: None,
                },
            )
        });
        result.unwrap();
        accepts.push(elapsed);
    }
    report("durable accept (journal fsync; sled behind)", &mut accepts);

    // The same sizes for SQLite: the last accept's journal payload and case row.
    let last = store.next_case_id().unwrap() - 1;
    let event = store.history(last).unwrap().remove(0);
    let payload_len = frontdesk::codec::encode(&event.record).unwrap().len();
    let case = store.case(last).unwrap().unwrap();
    let state_len = frontdesk::codec::encode(&case.state()).unwrap().len()
        + frontdesk::codec::encode(&case.intake).unwrap().len();
    let mut sqlite = sqlite_accepts(payload_len, state_len);
    report(
        &format!("SQLite accept (WAL, FULL; {payload_len} B event, {state_len} B case)"),
        &mut sqlite,
    );
}

/// A durable accept in SQLite: one transaction writing an event row and a case row, with
/// indexes on receipt number, IIN, name and deadline, over 100,000 rows already there.
fn sqlite_accepts(payload_len: usize, state_len: usize) -> Vec<Duration> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-sqlite");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = rusqlite::Connection::open(dir.join("cases.db")).unwrap();
    db.execute_batch(
        "PRAGMA journal_mode=WAL;
         PRAGMA synchronous=FULL;
         CREATE TABLE events (seq INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, hash BLOB NOT NULL, payload BLOB NOT NULL);
         CREATE TABLE cases (id INTEGER PRIMARY KEY, receipt TEXT NOT NULL, iin TEXT NOT NULL, name TEXT NOT NULL, deadline INTEGER NOT NULL, state BLOB NOT NULL);
         CREATE UNIQUE INDEX cases_receipt ON cases (receipt);
         CREATE INDEX cases_iin ON cases (iin);
         CREATE INDEX cases_name ON cases (name);
         CREATE INDEX cases_deadline ON cases (deadline);",
    )
    .unwrap();
    let payload = vec![0x5a_u8; payload_len];
    let state = vec![0xa5_u8; state_len];
    let insert = |db: &rusqlite::Connection, id: u64| {
        db.execute(
            "INSERT INTO events (seq, case_id, hash, payload) VALUES (?1, ?1, ?2, ?3)",
            rusqlite::params![id as i64, [7u8; 32].as_slice(), payload.as_slice()],
        )
        .unwrap();
        db.execute(
            "INSERT INTO cases (id, receipt, iin, name, deadline, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                id as i64,
                format!("ALM01-2026-{id:06}"),
                iin_for(id),
                format!("Өтініш беруші {id}"),
                ((id * 7919) % 1_000_000) as i64,
                state.as_slice()
            ],
        )
        .unwrap();
    };
    db.execute_batch("BEGIN").unwrap();
    for id in 1..=CASES {
        insert(&db, id);
    }
    db.execute_batch("COMMIT").unwrap();
    let mut samples = Vec::new();
    for id in CASES + 1..=CASES + 300 {
        let (elapsed, ()) = timed(|| {
            db.execute_batch("BEGIN").unwrap();
            insert(&db, id);
            db.execute_batch("COMMIT").unwrap();
        });
        samples.push(elapsed);
    }
    samples
}
