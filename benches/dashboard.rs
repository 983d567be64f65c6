//! The dashboard on 100,000 cases (5,000 open): a full rebuild of its totals, one event's
//! update, the view at an instant, and the bytes the dashboard screen writes while idle.
//! `cargo bench --bench dashboard` (FRONTDESK_IDLE_SECONDS sets the idle run, default 30).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use frontdesk::domain::case::{Case, EventRecord};
use frontdesk::domain::lifecycle::{decide, CaseCommand};
use frontdesk::domain::query::CaseQuery;
use frontdesk::domain::regulation::Action;
use frontdesk::service::{Clock, Service, Site, SiteOptions};
use portable_pty::{native_pty_system, CommandBuilder, PtySize};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T11:00:00+05:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn idle_bytes(dir: &Path, seconds: u64) -> f64 {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_frontdesk"));
    command.arg("--data");
    command.arg(dir);
    command.args([
        "--as",
        "supervisor",
        "--lang",
        "en",
        "--now",
        "2026-11-25T11:00:00+05:00",
    ]);
    command.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let bytes = Arc::new(Mutex::new(0usize));
    let screen = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
    let (b, s) = (bytes.clone(), screen.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                return;
            }
            *b.lock().unwrap() += n;
            s.lock().unwrap().process(&buf[..n]);
        }
    });
    let started = Instant::now();
    while !screen
        .lock()
        .unwrap()
        .screen()
        .contents()
        .contains("Breach within")
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the dashboard did not show"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_secs(2));
    let before = *bytes.lock().unwrap();
    std::thread::sleep(Duration::from_secs(seconds));
    let written = *bytes.lock().unwrap() - before;
    println!("{}", screen.lock().unwrap().screen().contents());
    let _ = child.kill();
    written as f64 / seconds as f64
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-store-100k");
    frontdesk::service::fixture::ensure_store(&dir, 100_000, 5_000, now()).unwrap();
    {
        let site = Site::load(&SiteOptions {
            data_dir: dir.clone(),
            ..SiteOptions::default()
        })
        .unwrap();
        let service = Service::open(site, &dir, Clock::Fixed(now())).unwrap();
        let started = Instant::now();
        let count = service.store().all_cases().unwrap().len();
        println!(
            "(reading and decoding all {count} cases alone: {:.0} ms)",
            started.elapsed().as_secs_f64() * 1e3
        );
        let mut rebuilds = Vec::new();
        let mut aggregates = None;
        for _ in 0..5 {
            let started = Instant::now();
            aggregates = Some(service.rebuild_aggregates().unwrap());
            rebuilds.push(started.elapsed());
        }
        let mut aggregates = aggregates.unwrap();
        println!("full rebuild of the dashboard totals from {} cases ({} open): p50 {:.0} ms, max {:.0} ms",
            service.store().next_case_id().unwrap() - 1, aggregates.open_count(),
            percentile(&mut rebuilds, 0.5).as_secs_f64() * 1e3, percentile(&mut rebuilds, 1.0).as_secs_f64() * 1e3);
        // One event's update: real transitions of open cases (register at P1).
        let regulation = service.regulation();
        let clerk = service.config().staff_member("clerk").unwrap().actor();
        let open: Vec<Case> = service
            .store()
            .query(&CaseQuery {
                step: Some("P1".into()),
                ..CaseQuery::default()
            })
            .unwrap();
        let mut updates = Vec::new();
        for case in open.iter().take(1000) {
            let at = case.updated_at.max(now());
            let event = decide(
                regulation,
                case,
                &clerk,
                at,
                &CaseCommand::Act {
                    action: Action::Register,
                    executor: None,
                },
            )
            .unwrap();
            let next = Case::apply(
                Some(case.clone()),
                &EventRecord {
                    case_id: case.id,
                    actor: clerk.clone(),
                    at,
                    event,
                },
            )
            .unwrap();
            let started = Instant::now();
            aggregates.apply(regulation, Some(case), &next);
            updates.push(started.elapsed());
        }
        println!(
            "one event's update of the totals: p50 {:.1} µs, p99 {:.1} µs (n={})",
            percentile(&mut updates, 0.5).as_secs_f64() * 1e6,
            percentile(&mut updates, 0.99).as_secs_f64() * 1e6,
            updates.len()
        );
        let queue = frontdesk::service::dashboard::QueueRow::default();
        let mut views = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            let _ = aggregates.view(regulation, "provider", queue.clone(), now());
            views.push(started.elapsed());
        }
        println!(
            "the dashboard view at an instant ({} open cases): p50 {:.1} ms, p99 {:.1} ms",
            aggregates.open_count(),
            percentile(&mut views, 0.5).as_secs_f64() * 1e3,
            percentile(&mut views, 0.99).as_secs_f64() * 1e3
        );
    }
    let seconds: u64 = std::env::var("FRONTDESK_IDLE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let rate = idle_bytes(&dir, seconds);
    println!("idle output of the dashboard at 80x24 on 100,000 cases, {seconds} s: {rate:.1} B/s");
}
