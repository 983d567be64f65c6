//! A real daemon on a temporary data directory and socket.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
        let child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--data")
            .arg(dir)
            .args(["serve", "--socket"])
            .arg(&socket)
            .env_remove("FRONTDESK_NOW")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::os::unix::net::UnixStream::connect(&socket).is_err() {
            assert!(Instant::now() < deadline, "the daemon did not come up");
            std::thread::sleep(Duration::from_millis(20));
        }
        Daemon { child, socket }
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
