//! Durable accept on PostgreSQL beside sled, one run: p50/p99 of a single clerk's accepts, and
//! of eight clerks accepting at once (two daemons on one database for PostgreSQL). Needs a
//! PostgreSQL database to create scratch databases in:
//!
//!     source scripts/pg_cluster.sh && pg_cluster_start   # or any server you may write to
//!     cargo bench --bench store_pg
//!     pg_cluster_stop
//!
//! (FRONTDESK_TEST_PG_URL names the server; each run creates a fresh database on it.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Request, Service, Site, SiteOptions};
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
    let form = frontdesk::domain::intake::IntakeForm {
        channel: "provider".into(),
        measures: vec!["lifting-allowance".into()],
        iin: iin_for(n),
        name: "Бенчмарк".into(),
        documents: service
            .regulation()
            .required_documents(&["lifting-allowance".into()], false)
            .unwrap(),
        ..Default::default()
    };
    let started = Instant::now();
    service
        .execute(
            &clerk,
            Request::Accept {
                draft: None,
                form,
                opened_at: None,
            },
        )
        .unwrap();
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

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let sled_dir = tempfile::tempdir().unwrap();
    let sled = Service::open(site(), sled_dir.path(), Clock::Fixed(now())).unwrap();
    measure("sled", vec![Arc::new(sled)]);

    let Ok(server) = std::env::var("FRONTDESK_TEST_PG_URL") else {
        println!("PostgreSQL: skipped (set FRONTDESK_TEST_PG_URL; see the top of this file)");
        return;
    };
    let name = format!("fd_bench_{}", std::process::id());
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let (base, query) = server.split_once('?').unwrap_or((&server, ""));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    let url = format!("{base}/{name}?{query}");
    let daemon = || {
        let site = site();
        let store = PgStore::open(&url, &site.regulation).unwrap();
        Arc::new(Service::new(Box::new(store), site, Clock::Fixed(now())))
    };
    measure("PostgreSQL", vec![daemon(), daemon()]);
}
