//! PostgreSQL beside sled, one run:
//! - durable accept p50/p99 of a single clerk, beside the bare cost of one durable commit on the
//!   same database (the floor no accept can go under), and eight clerks accepting at once;
//! - 100 clients over two daemons on one database (two districts; for sled, one daemon) at 100
//!   accepts a second in all: request p99, and delivery of each change to the clients of the
//!   other daemon (sled: of the same daemon), over the daemons' sockets;
//! - the dashboard's rebuild from 100,000 cases.
//!
//! Needs a PostgreSQL server to create scratch databases in:
//!
//!     source scripts/pg_cluster.sh && pg_cluster_start   # or any server you may write to
//!     cargo bench --bench store_pg
//!     pg_cluster_stop
//!
//! (FRONTDESK_TEST_PG_URL names the server; each run creates fresh databases on it.) The
//! 100,000 cases are generated once into target/bench-store-100k (shared with the dashboard
//! bench) and copied into PostgreSQL's case rows with COPY: the rebuild reads those rows only.
//! FRONTDESK_BENCH_SECONDS sets how long the 100-client load runs (default 10);
//! FRONTDESK_BENCH_PARTS picks parts (`accept,load,dashboard`, the default all three).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use frontdesk::domain::case::Case;
use frontdesk::protocol::client::Remote;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::port::Core;
use frontdesk::service::{Clock, Notice, Request, Response, Service, Site, SiteOptions};
use frontdesk::store::PgStore;

const SEQUENTIAL: u64 = 500;
const THREADS: u64 = 8;
const PER_THREAD: u64 = 100;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T11:00:00+05:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn site() -> Site {
    Site::load(&SiteOptions {
        data_dir: "/nonexistent/frontdesk-bench".into(),
        ..SiteOptions::default()
    })
    .unwrap()
}

/// A district's site: its own office (ALM01 or ALM02) and its clerk as the socket owner's
/// staff member, so that its daemon's clients accept for that district.
fn district_site(dir: &Path, district: u32) -> Site {
    let clerk = if district == 1 { "clerk" } else { "clerk2" };
    let mut config = frontdesk::config::EXAMPLE_CONFIG_TOML.replace(
        "default_staff = \"clerk\"",
        &format!("default_staff = \"{clerk}\""),
    );
    config.push_str(
        r#"
[[offices]]
code = "ALM02"
name = { kk = "Екінші аудан", ru = "Второй район", en = "Second district" }
address = "Лепсі а."
phone = "+7 72837 2-22-22"
channel = "provider"

[[staff]]
id = "clerk2"
name = "Мейрам Тоқтаров"
role = "clerk"
office = "ALM02"

# All 100 clients of the bench are one login.
[daemon]
max_connections_per_user = 128
"#,
    );
    std::fs::write(dir.join("config.toml"), config).unwrap();
    Site::load(&SiteOptions {
        data_dir: dir.to_path_buf(),
        ..SiteOptions::default()
    })
    .unwrap()
}

fn accept_request(regulation: &frontdesk::domain::Regulation, n: u64) -> Request {
    Request::Accept {
        draft: None,
        form: frontdesk::domain::intake::IntakeForm {
            channel: "provider".into(),
            measures: vec!["lifting-allowance".into()],
            iin: iin_for(n),
            name: "Бенчмарк".into(),
            documents: regulation
                .required_documents(&["lifting-allowance".into()], false)
                .unwrap(),
            ..Default::default()
        },
        opened_at: None,
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn report(name: &str, samples: &mut [Duration]) {
    println!(
        "{name:<48} p50 {:>8.3} ms   p99 {:>8.3} ms   (n={})",
        percentile(samples, 0.50).as_secs_f64() * 1e3,
        percentile(samples, 0.99).as_secs_f64() * 1e3,
        samples.len()
    );
}

fn accept(service: &Service, n: u64) -> Duration {
    let clerk = service.config().staff_member("clerk").unwrap().actor();
    let request = accept_request(service.regulation(), n);
    let started = Instant::now();
    service.execute(&clerk, request).unwrap();
    started.elapsed()
}

/// Accepts one after another, then eight clerks at once spread over `services`.
fn measure(engine: &str, services: Vec<Arc<Service>>) {
    let mut samples: Vec<Duration> = (0..SEQUENTIAL).map(|i| accept(&services[0], i)).collect();
    report(
        &format!("{engine}: durable accept, one clerk"),
        &mut samples,
    );
    let started = Instant::now();
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let service = services[(t as usize) % services.len()].clone();
            std::thread::spawn(move || {
                (0..PER_THREAD)
                    .map(|i| accept(&service, 1_000_000 + t * 10_000 + i))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut samples: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let rate = samples.len() as f64 / started.elapsed().as_secs_f64();
    report(
        &format!("{engine}: durable accept, {THREADS} clerks at once"),
        &mut samples,
    );
    println!("{engine}: {rate:.0} accepts/s with {THREADS} clerks");
}

/// A fresh database on the server of `server` (a URL); returns its URL.
fn fresh_database(server: &str, name: &str) -> String {
    let mut admin = postgres::Client::connect(server, postgres::NoTls).unwrap();
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&statement).unwrap();
    }
    let (base, query) = server.split_once('?').unwrap_or((server, ""));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    format!("{base}/{name}?{query}")
}

/// One durable commit of one small row, on the accept's database: the disk's flush and one
/// round trip, below which no durable accept can go.
fn commit_floor(url: &str) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .batch_execute("CREATE TABLE IF NOT EXISTS bench_floor (n bigint)")
        .unwrap();
    let insert = client
        .prepare("INSERT INTO bench_floor VALUES ($1)")
        .unwrap();
    let mut samples: Vec<Duration> = (0..SEQUENTIAL as i64)
        .map(|n| {
            let started = Instant::now();
            client.execute(&insert, &[&n]).unwrap();
            started.elapsed()
        })
        .collect();
    report("PostgreSQL: one durable commit of one row", &mut samples);
}

/// 100 clients over the daemons serving `services` (on their sockets), accepting 100 cases a
/// second in all for `seconds`: the request times, and when each case's notice reached the
/// clients of the other daemon (of the same one, with one daemon).
fn hundred_clients(engine: &str, services: Vec<Arc<Service>>, seconds: u64) {
    const CLIENTS: usize = 100;
    let dir = tempfile::tempdir().unwrap();
    let mut guards = Vec::new();
    let mut sockets = Vec::new();
    for (i, service) in services.iter().enumerate() {
        let socket = dir.path().join(format!("d{i}.sock"));
        guards.push(
            frontdesk::protocol::server::serve_beside_screen(service.clone(), &socket).unwrap(),
        );
        sockets.push(socket);
    }
    // case number → (daemon that wrote it, when its writer had the answer)
    let acknowledged: Arc<Mutex<HashMap<u64, (usize, Instant)>>> = Arc::default();
    // (daemon of the client, case number, when that client heard of it)
    let heard: Arc<Mutex<Vec<(usize, u64, Instant)>>> = Arc::default();
    let clients: Vec<(usize, Remote)> = (0..CLIENTS)
        .map(|c| {
            let daemon = c % sockets.len();
            let (remote, notices, _) = Remote::connect(&sockets[daemon]).unwrap();
            let heard = heard.clone();
            std::thread::spawn(move || {
                for notice in notices {
                    if let Notice::Case(change) = notice {
                        heard
                            .lock()
                            .unwrap()
                            .push((daemon, change.case_id, Instant::now()));
                    }
                }
            });
            (daemon, remote)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let regulation = services[0].regulation_arc();
    let started = Instant::now() + Duration::from_millis(200);
    let mut late = 0usize;
    let samples: Vec<Duration> = std::thread::scope(|scope| {
        let threads: Vec<_> = clients
            .iter()
            .enumerate()
            .map(|(c, (daemon, remote))| {
                let (acknowledged, regulation) = (acknowledged.clone(), regulation.clone());
                scope.spawn(move || {
                    let mut samples = Vec::new();
                    let mut late = 0;
                    for i in 0..seconds {
                        // Each client once a second, the clients spread over the second.
                        let due = started
                            + Duration::from_secs(i)
                            + Duration::from_millis(1000 * c as u64 / CLIENTS as u64);
                        match due.checked_duration_since(Instant::now()) {
                            Some(wait) => std::thread::sleep(wait),
                            None => late += 1,
                        }
                        let request =
                            accept_request(&regulation, 5_000_000 + c as u64 * 10_000 + i);
                        let sent = Instant::now();
                        let answer = remote.execute(request);
                        let answered = Instant::now();
                        match answer {
                            Ok(Response::Case(case)) => {
                                acknowledged
                                    .lock()
                                    .unwrap()
                                    .insert(case.id, (*daemon, answered));
                            }
                            other => panic!("{other:?}"),
                        }
                        samples.push(answered - sent);
                    }
                    (samples, late)
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| {
                let (samples, l) = t.join().unwrap();
                late += l;
                samples
            })
            .collect()
    });
    let elapsed = started.elapsed();
    std::thread::sleep(Duration::from_secs(1));
    let mut samples = samples;
    let rate = samples.len() as f64 / elapsed.as_secs_f64();
    let daemons = services.len();
    report(
        &format!("{engine}: 100 clients, {daemons} daemon(s), request"),
        &mut samples,
    );
    let acknowledged = acknowledged.lock().unwrap();
    let heard = heard.lock().unwrap();
    let mut delivery: Vec<Duration> = heard
        .iter()
        .filter_map(|(daemon, case, at)| {
            let (writer, answered) = acknowledged.get(case)?;
            (daemons == 1 || writer != daemon).then(|| at.saturating_duration_since(*answered))
        })
        .collect();
    let expected = acknowledged.len() * if daemons == 1 { CLIENTS } else { CLIENTS / 2 };
    let whom = if daemons == 1 {
        "its clients"
    } else {
        "the other daemon's clients"
    };
    report(
        &format!("{engine}: delivery to {whom} after the answer"),
        &mut delivery,
    );
    println!(
        "{engine}: {rate:.0} accepts/s over {:.1} s; {} of {expected} deliveries seen; {late} sends started late",
        elapsed.as_secs_f64(),
        delivery.len()
    );
    drop(clients);
    drop(guards);
}

/// The case rows of `cases` into PostgreSQL's `cases` table with COPY (what the store writes at
/// each case's last event; the events themselves are not copied: the rebuild reads the rows).
fn copy_case_rows(url: &str, regulation: &frontdesk::domain::Regulation, cases: &[Case]) {
    use postgres::binary_copy::BinaryCopyInWriter;
    use postgres::types::Type;
    let nanos = |t: DateTime<Utc>| t.timestamp_nanos_opt().unwrap();
    let owners = frontdesk::domain::query::StepOwners::new(regulation);
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let sink = client
        .copy_in(
            "COPY cases (id, office, receipt_no, state, intake, step, owners, deadline_ns,
                         opened_ns, iin, representative_iin, name_words) FROM STDIN BINARY",
        )
        .unwrap();
    let mut writer = BinaryCopyInWriter::new(
        sink,
        &[
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::BYTEA,
            Type::BYTEA,
            Type::TEXT,
            Type::TEXT_ARRAY,
            Type::INT8,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT_ARRAY,
        ],
    );
    for case in cases {
        let step = case.current_step();
        let owners: Vec<String> = owners
            .of(case)
            .iter()
            .map(|o| o.as_str().to_string())
            .collect();
        let words: Vec<String> =
            frontdesk::domain::query::name_words(&case.intake.applicant.name).collect();
        writer
            .write(&[
                &(case.id as i64),
                &case.office,
                &case.receipt_no.to_string(),
                &frontdesk::codec::encode(&case.state()).unwrap(),
                &frontdesk::codec::encode(&case.intake).unwrap(),
                &step.map(|s| s.step_id.clone()),
                &owners,
                &step.map(|s| nanos(s.deadline)),
                &nanos(case.window.opened_at),
                &case.intake.applicant.iin.as_str(),
                &None::<String>,
                &words,
            ])
            .unwrap();
    }
    writer.finish().unwrap();
    client.batch_execute("ANALYZE cases").unwrap();
}

fn rebuilds(engine: &str, service: &Service) {
    let mut samples = Vec::new();
    let mut open = 0;
    for _ in 0..5 {
        let started = Instant::now();
        open = service.rebuild_aggregates().unwrap().open_count();
        samples.push(started.elapsed());
    }
    let count = service.store().next_case_id().unwrap() - 1;
    samples.sort();
    println!(
        "{engine:<10} dashboard rebuild from {count} cases ({open} open): p50 {:.0} ms, max {:.0} ms (5 runs)",
        samples[2].as_secs_f64() * 1e3,
        samples[4].as_secs_f64() * 1e3
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let seconds: u64 = std::env::var("FRONTDESK_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let Ok(server) = std::env::var("FRONTDESK_TEST_PG_URL") else {
        println!("PostgreSQL: skipped (set FRONTDESK_TEST_PG_URL; see the top of this file)");
        return;
    };
    let load = || std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average at start: {}", load().trim());
    let parts = std::env::var("FRONTDESK_BENCH_PARTS").unwrap_or_default();
    let part = |name: &str| parts.is_empty() || parts.split(',').any(|p| p.trim() == name);
    if part("accept") {
        accepts(&server);
        println!("load average: {}", load().trim());
    }
    if part("load") {
        load_of_hundred_clients(&server, seconds);
        println!("load average: {}", load().trim());
    }
    if part("dashboard") {
        dashboard_rebuilds(&server);
        println!("load average at the end: {}", load().trim());
    }
}

fn accepts(server: &str) {
    // Durable accept.
    let sled_dir = tempfile::tempdir().unwrap();
    let sled = Service::open(site(), sled_dir.path(), Clock::Fixed(now())).unwrap();
    measure("sled", vec![Arc::new(sled)]);
    let url = fresh_database(server, &format!("fd_bench_{}", std::process::id()));
    let daemon = || {
        let site = site();
        let store = PgStore::open(&url, &site.regulation).unwrap();
        Arc::new(Service::new(Box::new(store), site, Clock::Fixed(now())))
    };
    commit_floor(&url);
    measure("PostgreSQL", vec![daemon(), daemon()]);
}

/// 100 clients at 100 accepts a second.
fn load_of_hundred_clients(server: &str, seconds: u64) {
    let sled_dir = tempfile::tempdir().unwrap();
    let sled_site = district_site(sled_dir.path(), 1);
    let sled = Service::open(sled_site, sled_dir.path(), Clock::Fixed(now())).unwrap();
    hundred_clients("sled", vec![Arc::new(sled)], seconds);
    let url = fresh_database(server, &format!("fd_bench_load_{}", std::process::id()));
    let districts: Vec<(tempfile::TempDir, Arc<Service>)> = [1, 2]
        .map(|district| {
            let dir = tempfile::tempdir().unwrap();
            let site = district_site(dir.path(), district);
            let store = PgStore::open(&url, &site.regulation).unwrap();
            let service = Arc::new(Service::new(Box::new(store), site, Clock::Fixed(now())));
            (dir, service)
        })
        .into_iter()
        .collect();
    hundred_clients(
        "PostgreSQL",
        districts.iter().map(|(_, s)| s.clone()).collect(),
        seconds,
    );
}

/// The dashboard's rebuild from 100,000 cases.
fn dashboard_rebuilds(server: &str) {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-store-100k");
    let end = DateTime::parse_from_rfc3339("2026-11-25T11:00:00+05:00")
        .unwrap()
        .with_timezone(&Utc);
    frontdesk::service::fixture::ensure_store(&fixture, 100_000, 5_000, end).unwrap();
    let sled_site = Site::load(&SiteOptions {
        data_dir: fixture.clone(),
        ..SiteOptions::default()
    })
    .unwrap();
    let sled = Service::open(sled_site, &fixture, Clock::Fixed(end)).unwrap();
    rebuilds("sled", &sled);
    let cases = sled.store().all_cases().unwrap();
    drop(sled);
    let url = fresh_database(server, &format!("fd_bench_dash_{}", std::process::id()));
    let site = site();
    let store = PgStore::open(&url, &site.regulation).unwrap();
    let copied = Instant::now();
    copy_case_rows(&url, &site.regulation, &cases);
    println!(
        "(copied {} case rows into PostgreSQL in {:.1} s)",
        cases.len(),
        copied.elapsed().as_secs_f64()
    );
    let postgres = Service::new(Box::new(store), site, Clock::Fixed(end));
    rebuilds("PostgreSQL", &postgres);
}
