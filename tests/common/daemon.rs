//! A real daemon on a temporary data directory and socket.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use frontdesk::protocol::{
    read_frame, write_frame, ClientMessage, ServerMessage, PROTOCOL_VERSION,
};
use frontdesk::service::{Request, Response};

pub struct Daemon {
    pub child: Child,
    pub socket: PathBuf,
}

/// Writes a configuration where this OS user is the staff member `as_staff` (or nobody).
pub fn configure(dir: &Path, as_staff: Option<&str>) {
    let user = frontdesk::protocol::peer::user_name(frontdesk::protocol::peer::own_uid()).unwrap();
    let mut config =
        frontdesk::config::EXAMPLE_CONFIG_TOML.replace("default_staff = \"clerk\"\n", "");
    if let Some(id) = as_staff {
        config = config.replacen(
            &format!("id = \"{id}\"\n"),
            &format!("id = \"{id}\"\nos_user = \"{user}\"\n"),
            1,
        );
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("config.toml"), config).unwrap();
}

impl Daemon {
    pub fn start(dir: &Path) -> Daemon {
        Daemon::start_on(dir, &dir.join("test.sock"))
    }

    pub fn start_on(dir: &Path, socket: &Path) -> Daemon {
        let socket = socket.to_path_buf();
        // The daemon's log, appended to across restarts, for tests that read it.
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("daemon.log"))
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--data")
            .arg(dir)
            .args(["serve", "--socket"])
            .arg(&socket)
            .env_remove("FRONTDESK_NOW")
            .env_remove("FRONTDESK_LOG")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::os::unix::net::UnixStream::connect(&socket).is_err() {
            assert!(Instant::now() < deadline, "the daemon did not come up");
            std::thread::sleep(Duration::from_millis(20));
        }
        Daemon { child, socket }
    }

    /// The daemon's log so far.
    pub fn log(dir: &Path) -> String {
        std::fs::read_to_string(dir.join("daemon.log")).unwrap_or_default()
    }

    /// Open descriptors of the daemon process.
    pub fn descriptors(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .unwrap()
            .count()
    }

    /// Threads of the daemon process.
    pub fn threads(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/task", self.child.id()))
            .unwrap()
            .count()
    }

    /// Resident memory of the daemon, in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// (descriptors, threads) once the daemon is idle: the same for a whole second (the store
    /// starts its own worker threads lazily, some time after its first use).
    pub fn baseline(&self) -> (usize, usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = (self.descriptors(), self.threads());
        let mut steady_since = Instant::now();
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
            let now = (self.descriptors(), self.threads());
            if now != last {
                last = now;
                steady_since = Instant::now();
            } else if steady_since.elapsed() >= Duration::from_secs(1) {
                break;
            }
        }
        last
    }

    /// Waits up to `within` for descriptors to come back to `baseline` (± `slack`), then for
    /// threads (given a few seconds more: on a test runner that shares two cores between many
    /// processes, a thread that has closed its socket may wait that long to be scheduled and
    /// exit); returns what was seen last.
    pub fn back_to(
        &self,
        baseline: (usize, usize),
        slack: usize,
        within: Duration,
    ) -> Result<(usize, usize), (usize, usize)> {
        let wait = |what: &dyn Fn() -> bool, deadline: Instant| loop {
            if what() {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let descriptors = wait(
            &|| self.descriptors() <= baseline.0 + slack,
            Instant::now() + within,
        );
        let threads = wait(
            &|| self.threads() <= baseline.1 + slack,
            Instant::now() + within + Duration::from_secs(4),
        );
        let seen = (self.descriptors(), self.threads());
        if descriptors && threads {
            Ok(seen)
        } else {
            Err(seen)
        }
    }

    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Adds a `[daemon]` table to the data directory's configuration.
pub fn limit(dir: &Path, daemon_table: &str) {
    let path = dir.join("config.toml");
    let mut config = std::fs::read_to_string(&path).unwrap();
    config.push_str("\n[daemon]\n");
    config.push_str(daemon_table);
    std::fs::write(path, config).unwrap();
}

/// What a command-line call does on the wire: hello, then requests, one answer each.
pub fn say_hello(socket: &Path) -> Result<UnixStream, String> {
    let mut stream = UnixStream::connect(socket).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = write_frame(
        &mut stream,
        &ClientMessage::Hello {
            version: PROTOCOL_VERSION,
        },
    );
    match read_frame::<ServerMessage>(&mut stream) {
        Ok(ServerMessage::Welcome(_)) => Ok(stream),
        Ok(ServerMessage::Refused { reason }) => Err(reason),
        other => Err(format!("{other:?}")),
    }
}

pub fn ask(stream: &mut UnixStream, id: u64, request: Request) -> Result<Response, String> {
    write_frame(
        stream,
        &ClientMessage::Request {
            id,
            request: Box::new(request),
        },
    )
    .map_err(|e| e.to_string())?;
    loop {
        match read_frame::<ServerMessage>(stream).map_err(|e| e.to_string())? {
            ServerMessage::Response { id: got, result } if got == id => {
                return result.map(|r| *r).map_err(|failure| failure.text)
            }
            ServerMessage::Notice(_) => continue,
            other => return Err(format!("{other:?}")),
        }
    }
}

/// True when the daemon has closed `stream` (a read ends), false if it is still open after
/// `within`.
pub fn closed_within(stream: &mut UnixStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return false,
            Err(_) => return true,
        }
    }
}

/// Writes without caring whether the daemon still listens.
pub fn push(stream: &mut UnixStream, bytes: &[u8]) -> bool {
    stream.write_all(bytes).is_ok()
}
