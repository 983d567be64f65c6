//! Soak: a clerk keeps working while the daemon is pressed from every side at once — 2,000 short
//! command-line connections, 500 idle clients, 50 slow senders feeding a hello a byte a second,
//! and a walk-in queue flood. Reports the clerk's request latency (p50, p99, max), the daemon's
//! descriptors and threads at the end against its baseline, and its peak RSS.
//! `cargo bench --bench daemon_soak` (FRONTDESK_SOAK_SECONDS sets the length, default 180).

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use frontdesk::domain::intake::IntakeForm;
use frontdesk::domain::query::CaseQuery;
use frontdesk::protocol::client::Remote;
use frontdesk::protocol::{
    read_frame, write_frame, ClientMessage, ServerMessage, PROTOCOL_VERSION,
};
use frontdesk::service::fixture::iin_for;
use frontdesk::service::port::Core;
use frontdesk::service::{Request, Response};

const SHORT_CONNECTIONS: u64 = 2_000;
const IDLE: usize = 500;
const SLOW: usize = 50;

fn configure(dir: &Path) {
    let user = frontdesk::protocol::peer::user_name(frontdesk::protocol::peer::own_uid()).unwrap();
    let mut config = frontdesk::config::EXAMPLE_CONFIG_TOML
        .replace("default_staff = \"clerk\"\n", "")
        .replace(
            "print_command = \"lp -d receipts\"",
            "print_command = \"cat >/dev/null\"",
        )
        .replacen(
            "id = \"clerk\"\n",
            &format!("id = \"clerk\"\nos_user = \"{user}\"\n"),
            1,
        );
    // Every pressure here comes from one login: let it hold the idle clients and the rest.
    config.push_str("\n[daemon]\nmax_connections = 1000\nmax_connections_per_user = 800\n");
    std::fs::write(dir.join("config.toml"), config).unwrap();
}

fn proc_count(pid: u32, what: &str) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/{what}"))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn status_kb(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn hello(socket: &Path) -> Option<UnixStream> {
    let mut stream = UnixStream::connect(socket).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write_frame(
        &mut stream,
        &ClientMessage::Hello {
            version: PROTOCOL_VERSION,
        },
    )
    .ok()?;
    match read_frame::<ServerMessage>(&mut stream).ok()? {
        ServerMessage::Welcome(_) => Some(stream),
        _ => None,
    }
}

fn form(n: u64) -> IntakeForm {
    IntakeForm {
        channel: "provider".into(),
        measures: vec!["lifting-allowance".into()],
        iin: iin_for(n),
        name: "Әсел Нұрланқызы".into(),
        documents: [
            "application",
            "identity-document",
            "diploma",
            "employment-record",
            "address-certificate",
            "previous-residence",
        ]
        .map(String::from)
        .to_vec(),
        ..IntakeForm::default()
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let seconds: u64 = std::env::var("FRONTDESK_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(180);
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path());
    let socket = dir.path().join("soak.sock");
    let log = std::fs::File::create(dir.path().join("daemon.log")).unwrap();
    let mut daemon = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--data")
        .arg(dir.path())
        .args(["serve", "--socket"])
        .arg(&socket)
        .env("FRONTDESK_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let pid = daemon.id();
    while UnixStream::connect(&socket).is_err() {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Warm up what the store starts lazily, then take the baseline.
    let (clerk, _notices, _) = Remote::connect(&socket).unwrap();
    clerk
        .execute(Request::Accept {
            draft: None,
            form: form(0),
            opened_at: None,
        })
        .unwrap();
    drop(clerk);
    std::thread::sleep(Duration::from_millis(500));
    let baseline = (proc_count(pid, "fd"), proc_count(pid, "task"));
    println!(
        "baseline: {} descriptors, {} threads, {:.1} MB RSS; soak of {seconds} s",
        baseline.0,
        baseline.1,
        status_kb(pid, "VmRSS:") as f64 / 1024.0
    );

    let stop = Arc::new(AtomicBool::new(false));
    let end = Instant::now() + Duration::from_secs(seconds);
    let mut workers = Vec::new();

    // 500 idle clients, said hello and then silent (subscribed to every notice).
    let idle: Vec<UnixStream> = (0..IDLE).filter_map(|_| hello(&socket)).collect();
    println!("idle clients held: {}", idle.len());

    // 2,000 short connections spread over the soak: hello, one request, close.
    let short_done = Arc::new(AtomicU64::new(0));
    for worker in 0..4u64 {
        let (socket, stop, done) = (socket.clone(), stop.clone(), short_done.clone());
        let share = SHORT_CONNECTIONS / 4;
        let pause = Duration::from_secs(seconds) / (share as u32 + 1);
        workers.push(std::thread::spawn(move || {
            for n in 0..share {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                if let Some(mut stream) = hello(&socket) {
                    let request = ClientMessage::Request {
                        id: worker * share + n,
                        request: Box::new(Request::List(CaseQuery {
                            limit: 20,
                            ..CaseQuery::default()
                        })),
                    };
                    if write_frame(&mut stream, &request).is_ok() {
                        while let Ok(message) = read_frame::<ServerMessage>(&mut stream) {
                            if matches!(message, ServerMessage::Response { .. }) {
                                done.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                }
                std::thread::sleep(pause);
            }
        }));
    }

    // 50 slow senders: a hello fed one byte a second, reconnecting when cut off.
    let slow_cut = Arc::new(AtomicU64::new(0));
    for _ in 0..SLOW {
        let (socket, stop, cut) = (socket.clone(), stop.clone(), slow_cut.clone());
        workers.push(std::thread::spawn(move || {
            let hello = frontdesk::protocol::encode_frame(&ClientMessage::Hello {
                version: PROTOCOL_VERSION,
            })
            .unwrap();
            while !stop.load(Ordering::Relaxed) {
                let Ok(mut stream) = UnixStream::connect(&socket) else {
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                };
                for byte in hello.iter().cycle() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if stream.write_all(&[*byte]).is_err() {
                        cut.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        }));
    }

    // The queue flood: arrivals as fast as the daemon takes them, a call now and then.
    let flood = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    {
        let (socket, stop, flood) = (socket.clone(), stop.clone(), flood.clone());
        workers.push(std::thread::spawn(move || {
            let (remote, _notices, _) = Remote::connect(&socket).unwrap();
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let request = if n.is_multiple_of(10) {
                    Request::CallNext
                } else {
                    Request::RegisterArrival {
                        ticket: None,
                        channel: "provider".into(),
                        measure: "housing-credit".into(),
                    }
                };
                match remote.execute(request) {
                    Ok(_) => flood.0.fetch_add(1, Ordering::Relaxed),
                    Err(_) => flood.1.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }

    // The clerk: accept, look, list, see the queue, print a receipt — a request every 50 ms.
    let (clerk, _notices, _) = Remote::connect(&socket).unwrap();
    let mut latencies = Vec::new();
    let mut failures = 0u64;
    let mut peak = (0usize, 0usize);
    let mut n = 1u64;
    while Instant::now() < end {
        n += 1;
        let requests = [
            Request::Accept {
                draft: None,
                form: form(n),
                opened_at: None,
            },
            Request::GetCase {
                case: (n / 2).max(1).to_string(),
            },
            Request::List(CaseQuery {
                owner: Some(frontdesk::domain::query::OwnerKey::role("clerk")),
                limit: 50,
                ..CaseQuery::default()
            }),
            Request::Queue,
            Request::ReceiptText {
                case: "1".into(),
                width: 42,
            },
        ];
        for request in requests {
            let started = Instant::now();
            let kind = request.kind();
            match clerk.execute(request) {
                Ok(Response::Case(_))
                | Ok(Response::Cases(_))
                | Ok(Response::Queue(_))
                | Ok(Response::Text(_)) => latencies.push(started.elapsed()),
                other => {
                    failures += 1;
                    if failures <= 3 {
                        println!("clerk's {kind} failed: {:?}", other.err());
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        peak.0 = peak.0.max(proc_count(pid, "fd"));
        peak.1 = peak.1.max(proc_count(pid, "task"));
    }
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        let _ = worker.join();
    }
    drop(idle);
    drop(clerk);
    let left_at = Instant::now();
    let mut back = None;
    while left_at.elapsed() < Duration::from_secs(5) {
        let now = (proc_count(pid, "fd"), proc_count(pid, "task"));
        if now.0 <= baseline.0 + 5 && now.1 <= baseline.1 + 5 {
            back = Some((now, left_at.elapsed()));
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    latencies.sort();
    println!(
        "clerk: {} requests, {failures} failed; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    println!(
        "short connections answered: {} of {SHORT_CONNECTIONS}",
        short_done.load(Ordering::Relaxed)
    );
    println!(
        "slow senders cut off at the hello deadline: {} times",
        slow_cut.load(Ordering::Relaxed)
    );
    println!(
        "queue flood: {} requests served, {} refused (bounded queue)",
        flood.0.load(Ordering::Relaxed),
        flood.1.load(Ordering::Relaxed)
    );
    println!(
        "peak during the soak: {} descriptors, {} threads",
        peak.0, peak.1
    );
    match back {
        Some(((fds, threads), after)) => println!(
            "after everyone left: {fds} descriptors, {threads} threads (baseline {}, {}), reached {:.0} ms after the last client left",
            baseline.0,
            baseline.1,
            after.as_secs_f64() * 1e3
        ),
        None => println!(
            "after everyone left: {} descriptors, {} threads — NOT back to the baseline ({}, {}) within 5 s",
            proc_count(pid, "fd"),
            proc_count(pid, "task"),
            baseline.0,
            baseline.1
        ),
    }
    println!(
        "daemon peak RSS (VmHWM): {:.1} MB; RSS now {:.1} MB",
        status_kb(pid, "VmHWM:") as f64 / 1024.0,
        status_kb(pid, "VmRSS:") as f64 / 1024.0
    );
    let log = std::fs::read_to_string(dir.path().join("daemon.log")).unwrap_or_default();
    println!(
        "daemon log at warn and above: {} lines",
        log.lines().count()
    );
    for line in log.lines().take(12) {
        println!("  {line}");
    }
    let _ = daemon.kill();
    let _ = daemon.wait();
}
