//! What the TUI costs over a slow link and at start: bytes written while idle at 80×24 with
//! the countdown pane full, time to the first frame and peak memory on a 100,000-case store.
//! Runs the real binary in a pseudo-terminal. `cargo bench --bench tui_bytes`.

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use frontdesk::domain::intake::IntakeForm;
use frontdesk::domain::lifecycle::CaseCommand;
use frontdesk::domain::regulation::Action;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Request, Service, Site, SiteOptions};
use portable_pty::{native_pty_system, CommandBuilder, PtySize};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// 20 open cases: 3 at P1 with under an hour left at `now`, 17 at P3 with weeks left.
fn idle_fixture(dir: &Path) {
    // A training directory: the screens run at a set "now".
    frontdesk::config::mark_training(dir).unwrap();
    let site = Site::load(&SiteOptions {
        data_dir: dir.to_path_buf(),
        ..SiteOptions::default()
    })
    .unwrap();
    let config = site.config.clone();
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let service = Service::open(site, dir, clock.clone()).unwrap();
    let clerk = config.staff_member("clerk").unwrap().actor();
    let head = config.staff_member("head").unwrap().actor();
    let docs = service
        .regulation()
        .required_documents(&["lifting-allowance".into()], false)
        .unwrap();
    let accept = |n: u64, opened: DateTime<Utc>| {
        clock.set(opened);
        let form = IntakeForm {
            channel: "provider".into(),
            measures: vec!["lifting-allowance".into()],
            iin: iin_for(n),
            name: format!("Өтініш беруші {n}"),
            documents: docs.clone(),
            ..IntakeForm::default()
        };
        service
            .execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form,
                    opened_at: Some(opened),
                },
            )
            .unwrap();
    };
    for n in 0..17u64 {
        accept(n, at("2026-11-25T10:00:00+05:00"));
        let id = (n + 1).to_string();
        clock.set(at("2026-11-25T10:05:00+05:00"));
        service
            .execute(
                &clerk,
                Request::Act {
                    case: id.clone(),
                    command: CaseCommand::Act {
                        action: Action::Register,
                        executor: None,
                    },
                },
            )
            .unwrap();
        service
            .execute(
                &head,
                Request::Act {
                    case: id,
                    command: CaseCommand::Act {
                        action: Action::AssignExecutor,
                        executor: Some("executor".into()),
                    },
                },
            )
            .unwrap();
    }
    for n in 17..20u64 {
        accept(
            n,
            at("2026-11-25T17:25:00+05:00") + chrono::Duration::minutes(n as i64 - 17),
        );
    }
}

struct Run {
    bytes: Arc<Mutex<usize>>,
    screen: Arc<Mutex<vt100::Parser>>,
    keys: Box<dyn std::io::Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

fn spawn(data: &Path, args: &[&str]) -> Run {
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
    command.arg(data);
    command.args(args);
    command.env("TERM", "xterm-256color");
    let child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let keys = pair.master.take_writer().unwrap();
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
    Run {
        bytes,
        screen,
        keys,
        child,
        _master: pair.master,
    }
}

fn wait_for(run: &Run, text: &str, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if run
            .screen
            .lock()
            .unwrap()
            .screen()
            .contents()
            .contains(text)
        {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    None
}

/// The screen, and the bytes written over `seconds` with no key pressed.
fn idle_bytes(run: &Run, seconds: u64) -> (String, usize) {
    let contents = run.screen.lock().unwrap().screen().contents();
    let before = *run.bytes.lock().unwrap();
    std::thread::sleep(Duration::from_secs(seconds));
    (contents, *run.bytes.lock().unwrap() - before)
}

fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let seconds: u64 = std::env::var("FRONTDESK_IDLE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let dir = tempfile::tempdir().unwrap();
    idle_fixture(dir.path());
    let mut run = spawn(
        dir.path(),
        &[
            "--as",
            "supervisor",
            "--lang",
            "en",
            "--now",
            "2026-11-25T17:45:00+05:00",
        ],
    );
    wait_for(&run, "My deadlines", Duration::from_secs(10)).expect("the TUI starts");
    std::thread::sleep(Duration::from_secs(2));
    let (contents, idle) = idle_bytes(&run, seconds);
    println!("{contents}");
    println!(
        "idle output at 80x24, dashboard, countdown pane full (20 cases: 3 under an hour, 17 with days), {seconds} s: {idle} bytes = {:.1} B/s",
        idle as f64 / seconds as f64
    );
    // The cases screen: the same work listed, the three under an hour ticking seconds in the
    // list and in the pane.
    use std::io::Write;
    run.keys.write_all(b"\x1bOS").unwrap(); // F4
    run.keys.flush().unwrap();
    wait_for(&run, "Applicant", Duration::from_secs(10)).expect("the cases list opens");
    std::thread::sleep(Duration::from_secs(2));
    let (contents, idle) = idle_bytes(&run, seconds);
    println!("{contents}");
    println!(
        "idle output at 80x24, cases screen, three cases ticking seconds, {seconds} s: {idle} bytes = {:.1} B/s",
        idle as f64 / seconds as f64
    );
    let _ = run.child.kill();

    let big = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-store-100k");
    if big.join("GENERATED").exists() {
        let started = Instant::now();
        let mut run = spawn(
            &big,
            &[
                "--as",
                "clerk",
                "--lang",
                "en",
                "--now",
                "2026-11-25T11:00:00+05:00",
            ],
        );
        match wait_for(&run, "My deadlines", Duration::from_secs(20)) {
            Some(_) => println!(
                "first frame with 100,000 cases in the store: {:.1} ms after start",
                started.elapsed().as_secs_f64() * 1e3
            ),
            None => println!("first frame with 100,000 cases: not within 20 s"),
        }
        // The status line shows the key hints once the store is open and the lists are loaded.
        match wait_for(&run, "F1 Help", Duration::from_secs(20)) {
            Some(_) => println!(
                "first frame with data (store opened, my work listed): {:.1} ms after start",
                started.elapsed().as_secs_f64() * 1e3
            ),
            None => println!("frame with data: not within 20 s"),
        }
        std::thread::sleep(Duration::from_secs(3));
        if let Some(pid) = run.child.process_id() {
            if let Some(kb) = peak_rss_kb(pid) {
                println!(
                    "peak RSS embedded with 100,000 cases: {:.1} MB",
                    kb as f64 / 1024.0
                );
            }
        }
        let _ = run.child.kill();
    } else {
        println!("(run `cargo bench --bench store` first for the 100,000-case figures)");
    }
}
