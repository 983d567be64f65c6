//! A real full disk under a real daemon: the data directory on a small tmpfs, a writer accepting
//! cases until the disk is full, then space freed. Saves are refused plainly while the disk is
//! full, resume by themselves once there is room, and every acknowledged case is there after a
//! restart. Needs root (to mount the tmpfs); scripts/test.sh runs it as root with
//! FRONTDESK_FULL_DISK_TEST=1, and it says so and passes when it cannot run.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::daemon::{configure, Daemon};
use common::form;
use frontdesk::protocol::client::Remote;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::port::Core;
use frontdesk::service::{Request, Response};

fn accept(client: &Remote, n: u64) -> Result<String, String> {
    match client.execute(Request::Accept {
        draft: None,
        form: form("provider", &iin_for(n), &format!("Өтініш беруші {n}"), true),
        opened_at: None,
    }) {
        Ok(Response::Case(case)) => Ok(case.receipt_no.to_string()),
        Ok(other) => Err(format!("{other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Unmounts the tmpfs however the test ends.
struct Mount<'a>(&'a Path);

impl Drop for Mount<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0).status();
    }
}

/// Fills the file system with a file until it refuses more; returns the file.
fn fill(path: &Path) {
    use std::io::Write;
    let mut file = std::fs::File::create(path).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
}

#[test]
fn a_full_disk_refuses_saves_plainly_and_service_resumes_when_space_is_freed() {
    if std::env::var("FRONTDESK_FULL_DISK_TEST").is_err() {
        eprintln!("skipped: the full-disk test mounts a tmpfs; scripts/test.sh runs it as root");
        return;
    }
    // SAFETY: geteuid only reads the process's effective user id.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: the full-disk test needs root to mount a tmpfs");
        return;
    }
    let outer = tempfile::tempdir().unwrap();
    let mount = outer.path().join("disk");
    std::fs::create_dir(&mount).unwrap();
    let status = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=8m,mode=700", "tmpfs"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(status.success(), "mount failed");
    let _unmount = Mount(&mount);
    let data = mount.join("data");
    configure(&data, Some("clerk"));
    let mut daemon = Daemon::start(&data);
    let (client, _notices, _) = Remote::connect(&daemon.socket).unwrap();

    let mut acknowledged = Vec::new();
    let mut n = 0u64;
    for _ in 0..20 {
        acknowledged.push(accept(&client, n).expect("saves before the disk is full"));
        n += 1;
    }
    // Leave a little room, then write until the disk is full.
    let filler = mount.join("filler");
    fill(&filler);
    let room = 200 * 1024;
    let length = std::fs::metadata(&filler).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(length.saturating_sub(room))
        .unwrap();
    let mut refused = Vec::new();
    while refused.len() < 5 && n < 5_000 {
        match accept(&client, n) {
            Ok(receipt) => acknowledged.push(receipt),
            Err(message) => refused.push(message),
        }
        n += 1;
    }
    assert!(refused.len() >= 5, "the disk never filled");
    for message in &refused {
        eprintln!("refused: {message}");
        assert!(
            message.contains("disk is full") || message.contains("saved in the journal"),
            "{message}"
        );
    }
    // Free the space: saves resume without a restart.
    std::fs::remove_file(&filler).unwrap();
    let mut resumed = 0;
    for _ in 0..20 {
        match accept(&client, n) {
            Ok(receipt) => {
                acknowledged.push(receipt);
                resumed += 1;
            }
            // The first save after space is freed may find the database still catching up: it
            // is durable and says so ("saved in the journal"), and is counted below.
            Err(message) => {
                eprintln!("refused after space was freed: {message}");
                refused.push(message);
            }
        }
        n += 1;
    }
    assert!(
        resumed >= 19,
        "only {resumed} of 20 saves after space was freed"
    );
    drop(client);
    // SAFETY: kill sends SIGTERM to the daemon we started.
    unsafe { libc::kill(daemon.child.id() as i32, libc::SIGTERM) };
    let stopped = daemon.child.wait().unwrap();
    eprintln!("daemon stopped: {stopped}");
    assert!(stopped.success(), "{stopped}");
    assert!(!daemon.socket.exists(), "the socket was left behind");

    let site = common::site(&data);
    let store = frontdesk::store::Store::open(
        &data,
        &site.regulation,
        frontdesk::store::StoreOptions::default(),
    )
    .unwrap();
    let mut missing = 0;
    for receipt in &acknowledged {
        if store.case_by_receipt(receipt).unwrap().is_none() {
            missing += 1;
        }
    }
    eprintln!(
        "{} acknowledged, {} refused while full, {missing} missing after restart",
        acknowledged.len(),
        refused.len()
    );
    assert_eq!(missing, 0);
    // A save refused as "saved in the journal, applying" was durable: it is there too.
    let applying = refused
        .iter()
        .filter(|m| m.contains("saved in the journal"))
        .count();
    assert_eq!(store.case_count(), acknowledged.len() + applying);
    assert_eq!(store.verify_against_journal().unwrap(), None);
}
