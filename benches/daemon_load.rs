//! Load on the daemon: 100 clients subscribed to events while 10 clients accept cases as fast as
//! they can. Reports request and delivery latency, receipt numbering, idle CPU and memory.
//! `cargo bench --bench daemon_load` (FRONTDESK_LOAD_SECONDS sets the length, default 30).

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use frontdesk::domain::intake::IntakeForm;
use frontdesk::protocol::client::Remote;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::port::Core;
use frontdesk::service::{Notice, Request, Response};

fn configure(dir: &Path) {
    let user = frontdesk::protocol::peer::user_name(frontdesk::protocol::peer::own_uid()).unwrap();
    let config = frontdesk::config::EXAMPLE_CONFIG_TOML
        .replace("default_staff = \"clerk\"\n", "")
        .replacen(
            "id = \"clerk\"\n",
            &format!("id = \"clerk\"\nos_user = \"{user}\"\n"),
            1,
        );
    std::fs::write(dir.join("config.toml"), config).unwrap();
}

fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn status_kb(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let seconds: u64 = std::env::var("FRONTDESK_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path());
    let socket = dir.path().join("load.sock");
    let mut daemon = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--data")
        .arg(dir.path())
        .args(["serve", "--socket"])
        .arg(&socket)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = daemon.id();
    while std::os::unix::net::UnixStream::connect(&socket).is_err() {
        std::thread::sleep(Duration::from_millis(20));
    }

    // receipt seq → (sent at, clients that saw it, when the last one did)
    let sent: Arc<Mutex<HashMap<u64, Instant>>> = Arc::new(Mutex::new(HashMap::new()));
    let seen: Arc<Mutex<HashMap<u64, (u32, Instant)>>> = Arc::new(Mutex::new(HashMap::new()));
    let mut subscribers = Vec::new();
    for _ in 0..100 {
        let (remote, notices, _) = Remote::connect(&socket).unwrap();
        let seen = seen.clone();
        std::thread::spawn(move || {
            for notice in notices {
                if let Notice::Case(case) = notice {
                    let now = Instant::now();
                    let mut seen = seen.lock().unwrap();
                    let entry = seen.entry(case.receipt_no.seq).or_insert((0, now));
                    entry.0 += 1;
                    entry.1 = now;
                }
            }
        });
        subscribers.push(remote);
    }
    std::thread::sleep(Duration::from_secs(2));
    let idle_before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(5));
    let idle_ticks = cpu_ticks(pid) - idle_before;
    let ticks_per_second = 100.0; // USER_HZ on Linux
    println!(
        "daemon CPU idle with 100 clients connected: {:.2} % of a core over 5 s",
        idle_ticks as f64 / ticks_per_second / 5.0 * 100.0
    );
    println!(
        "daemon RSS with 100 idle clients: {:.1} MB",
        status_kb(pid, "VmRSS:") as f64 / 1024.0
    );

    for pace in [None, Some(Duration::from_millis(100))] {
        match pace {
            None => println!("\n10 clients accepting as fast as they can for {seconds} s:"),
            Some(p) => println!("\n10 clients accepting one case every {} ms each ({} a second in all) for {seconds} s:", p.as_millis(), 10_000 / p.as_millis()),
        }
        sent.lock().unwrap().clear();
        seen.lock().unwrap().clear();
        load_phase(&socket, pid, seconds, pace, &sent, &seen);
    }
    drop(subscribers);
    let _ = daemon.kill();
    let _ = daemon.wait();
}

type Sent = Arc<Mutex<HashMap<u64, Instant>>>;
type Seen = Arc<Mutex<HashMap<u64, (u32, Instant)>>>;

fn load_phase(
    socket: &Path,
    pid: u32,
    seconds: u64,
    pace: Option<Duration>,
    sent: &Sent,
    seen: &Seen,
) {
    let ticks_per_second = 100.0; // USER_HZ on Linux
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let stop = Arc::new(AtomicBool::new(false));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for _ in 0..10 {
        let (stop, latencies, sent) = (stop.clone(), latencies.clone(), sent.clone());
        let socket = socket.to_path_buf();
        writers.push(std::thread::spawn(move || {
            let (remote, _notices, _) = Remote::connect(&socket).unwrap();
            let mut seqs = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let n = COUNTER.fetch_add(1, Ordering::Relaxed);
                let next = Instant::now() + pace.unwrap_or_default();
                let form = IntakeForm {
                    channel: "provider".into(),
                    measures: vec!["lifting-allowance".into()],
                    iin: iin_for(n),
                    name: format!("Жүктеме {n}"),
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
                };
                let started = Instant::now();
                match remote.execute(Request::Accept {
                    draft: None,
                    form,
                    opened_at: None,
                }) {
                    Ok(Response::Case(case)) => {
                        latencies.lock().unwrap().push(started.elapsed());
                        sent.lock().unwrap().insert(case.receipt_no.seq, started);
                        seqs.push(case.receipt_no.seq);
                    }
                    other => panic!("{other:?}"),
                }
                if let Some(wait) = next.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
            }
            seqs
        }));
    }
    let load_started = Instant::now();
    let load_before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut seqs: Vec<u64> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let elapsed = load_started.elapsed();
    let load_ticks = cpu_ticks(pid) - load_before;
    std::thread::sleep(Duration::from_secs(3)); // let the last notices arrive
    seqs.sort();
    let total = seqs.len() as u64;
    let unique = {
        let mut s = seqs.clone();
        s.dedup();
        s.len() as u64
    };
    println!("accepted {total} cases in {:.1} s ({:.0}/s); receipt numbers unique: {}, gapless (one run of consecutive numbers): {}",
        elapsed.as_secs_f64(), total as f64 / elapsed.as_secs_f64(), unique == total, seqs.last().zip(seqs.first()).is_some_and(|(l, f)| l - f + 1 == total));
    let mut latencies = latencies.lock().unwrap().clone();
    println!(
        "request latency (accept, durable): p50 {:.2} ms, p99 {:.2} ms",
        percentile(&mut latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&mut latencies, 0.99).as_secs_f64() * 1e3
    );
    let sent = sent.lock().unwrap();
    let seen = seen.lock().unwrap();
    let mut delivery = Vec::new();
    let mut incomplete = 0;
    for (seq, started) in sent.iter() {
        match seen.get(seq) {
            Some((100, last)) => delivery.push(last.duration_since(*started)),
            _ => incomplete += 1,
        }
    }
    println!("event delivery (request sent → the last of 100 clients has the event): p50 {:.2} ms, p99 {:.2} ms; events not seen by all 100: {incomplete}",
        percentile(&mut delivery, 0.5).as_secs_f64() * 1e3, percentile(&mut delivery, 0.99).as_secs_f64() * 1e3);
    println!(
        "daemon CPU under load: {:.0} % of a core",
        load_ticks as f64 / ticks_per_second / elapsed.as_secs_f64() * 100.0
    );
    println!(
        "daemon peak RSS: {:.1} MB",
        status_kb(pid, "VmHWM:") as f64 / 1024.0
    );
}
