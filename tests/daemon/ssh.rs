//! End to end through real OpenSSH on loopback: sshd on a 127.0.0.1 port with a throwaway host
//! key, a test user whose ForceCommand runs `frontdesk connect`, `ssh -tt` in a pseudo-terminal,
//! and a case accepted there that the daemon then shows.
//!
//! Needs root (to create the test user) and sshd (scripts/test.sh installs openssh-server).
//! Elsewhere set FRONTDESK_SKIP_SSH_TEST=1 to skip it knowingly.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::daemon::Daemon;
use common::pty::{keys, Screen};
use portable_pty::CommandBuilder;

const USER: &str = "fdclerk";
const GROUP: &str = "fdstaff";

fn run(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

struct Sshd(Child);
impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_clerk_logs_in_over_ssh_and_accepts_a_case() {
    if std::env::var("FRONTDESK_SKIP_SSH_TEST").is_ok() {
        eprintln!("skipped on request (FRONTDESK_SKIP_SSH_TEST)");
        return;
    }
    assert_eq!(
        frontdesk::protocol::peer::own_uid(),
        0,
        "this test creates a user: run it as root, or set FRONTDESK_SKIP_SSH_TEST=1"
    );
    assert!(
        Path::new("/usr/sbin/sshd").exists(),
        "sshd is missing: scripts/test.sh installs openssh-server"
    );

    // The test user, in the staff group.
    let _ = run("groupadd", &["-f", GROUP]);
    if !run("id", &[USER]).status.success() {
        assert!(run("useradd", &["-m", "-s", "/bin/sh", "-G", GROUP, USER])
            .status
            .success());
    }
    let _ = run("usermod", &["-a", "-G", GROUP, USER]);
    // A new account is locked ("!"), which sshd refuses without PAM; "*" means no password.
    let _ = run("usermod", &["-p", "*", USER]);

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = root.join("data");
    let run_dir = root.join("run");
    std::fs::create_dir_all(&run_dir).unwrap();
    std::fs::set_permissions(&run_dir, std::fs::Permissions::from_mode(0o750)).unwrap();
    assert!(run("chgrp", &[GROUP, run_dir.to_str().unwrap()])
        .status
        .success());

    // The site: the test user is the clerk, root the supervisor (to check the result).
    std::fs::create_dir_all(&data).unwrap();
    let config = frontdesk::config::EXAMPLE_CONFIG_TOML
        .replace("default_staff = \"clerk\"\n", "")
        .replacen(
            "id = \"clerk\"\n",
            &format!("id = \"clerk\"\nos_user = \"{USER}\"\n"),
            1,
        )
        .replacen(
            "id = \"supervisor\"\n",
            "id = \"supervisor\"\nos_user = \"root\"\n",
            1,
        );
    std::fs::write(data.join("config.toml"), config).unwrap();
    let socket = run_dir.join("frontdesk.sock");
    let _daemon = Daemon::start_on(&data, &socket);
    assert!(run("chgrp", &[GROUP, socket.to_str().unwrap()])
        .status
        .success());

    // A copy of the binary the test user may run.
    let binary = root.join("frontdesk");
    std::fs::copy(env!("CARGO_BIN_EXE_frontdesk"), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();

    // Keys: a throwaway host key, and a client key the test user accepts.
    let host_key = root.join("host_key");
    let client_key = root.join("client_key");
    for key in [&host_key, &client_key] {
        assert!(run(
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-f", key.to_str().unwrap()]
        )
        .status
        .success());
    }
    let home = String::from_utf8(
        run(
            "sh",
            &["-c", &format!("getent passwd {USER} | cut -d: -f6")],
        )
        .stdout,
    )
    .unwrap();
    let ssh_dir = Path::new(home.trim()).join(".ssh");
    std::fs::create_dir_all(&ssh_dir).unwrap();
    std::fs::copy(
        client_key.with_extension("pub"),
        ssh_dir.join("authorized_keys"),
    )
    .unwrap();
    assert!(run(
        "chown",
        &["-R", &format!("{USER}:{USER}"), ssh_dir.to_str().unwrap()]
    )
    .status
    .success());
    std::fs::set_permissions(
        ssh_dir.join("authorized_keys"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();

    let port = free_port();
    let sshd_config = root.join("sshd_config");
    std::fs::write(
        &sshd_config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nAuthorizedKeysFile .ssh/authorized_keys\nMatch User {USER}\n  ForceCommand {} connect {} --lang en\n",
            host_key.display(),
            root.join("sshd.pid").display(),
            binary.display(),
            socket.display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all("/run/sshd").unwrap();
    let sshd = Command::new("/usr/sbin/sshd")
        .args(["-D", "-e", "-f", sshd_config.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _sshd = Sshd(sshd);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sshd did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    let mut ssh = CommandBuilder::new("ssh");
    for arg in [
        "-tt",
        "-i",
        client_key.to_str().unwrap(),
        "-p",
        &port.to_string(),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        &format!("{USER}@127.0.0.1"),
    ] {
        ssh.arg(arg);
    }
    let mut screen = Screen::spawn_command(ssh, &[], 80, 24);
    screen.wait_for_within("Walk-in queue", Duration::from_secs(20));
    screen.send(keys::F3);
    screen.wait_for("Acceptance window");
    screen.type_text("791028302728");
    screen.wait_for("IIN valid");
    screen.send(keys::TAB);
    screen.type_text("Әсел SSH");
    for _ in 0..8 {
        screen.send(keys::TAB);
    }
    for _ in 0..6 {
        screen.send(" ");
        screen.send(keys::TAB);
    }
    screen.wait_for("F8 Accept");
    screen.send(keys::F8);
    screen.wait_for("Accepted, receipt ALM01-2026-000001");
    screen.send(keys::F10);

    // The daemon shows it (asked as root, the supervisor).
    let output = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args([
            "--connect",
            socket.to_str().unwrap(),
            "case",
            "show",
            "ALM01-2026-000001",
        ])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        shown.contains("Әсел SSH (IIN 791028302728)"),
        "{shown}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(shown.contains("clerk      accepted"), "{shown}");
}
