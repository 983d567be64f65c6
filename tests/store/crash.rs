//! Kill -9 at random moments while a process accepts cases: every receipt number it printed
//! (printed only after the accept was acknowledged) must exist with its data afterwards, and the
//! audit must pass.

use crate::common;

use std::io::{BufRead, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Request, Response};
use frontdesk::store::sled::journal;
use frontdesk::store::{Store, StoreOptions};

const CHILD_ENV: &str = "FRONTDESK_CRASH_CHILD_DIR";

/// Concurrent writers in each child, as at a busy office.
const WRITERS: u64 = 4;

/// In the child: accept cases forever from several threads, printing `receipt-number n` after
/// each acknowledgement.
#[test]
fn child_accept_loop() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let service = std::sync::Arc::new(service(&dir, Clock::System));
    // Kills are timed from here: on a busy machine, starting up can take longer than a round.
    println!("ready");
    let start: u64 = std::env::var("FRONTDESK_CRASH_START")
        .unwrap()
        .parse()
        .unwrap();
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let service = service.clone();
            std::thread::spawn(move || {
                let clerk = actor(service.config(), "clerk");
                for i in 0.. {
                    let n = start + i * WRITERS + writer;
                    let form = form("provider", &iin_for(n), &format!("Өтініш беруші {n}"), true);
                    let Response::Case(case) = service
                        .execute(
                            &clerk,
                            Request::Accept {
                                draft: None,
                                form,
                                opened_at: None,
                            },
                        )
                        .unwrap()
                    else {
                        panic!()
                    };
                    println!("{} {n}", case.receipt_no);
                }
            })
        })
        .collect();
    for writer in writers {
        let _ = writer.join();
    }
}

/// A small deterministic generator: the test needs varied, not secure, kill moments.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[test]
fn killed_at_random_moments_no_acknowledged_case_is_lost() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("seed {seed}");
    let mut random = Lcg(seed);
    let mut acknowledged: Vec<(String, u64)> = Vec::new();
    let mut next_n = 0u64;
    let mut rebuilt = 0;
    for round in 0..24 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::child_accept_loop",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(CHILD_ENV, dir.path())
            .env("FRONTDESK_CRASH_START", next_n.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut output = String::new();
        while !output.contains("ready\n") {
            if stdout.read_line(&mut output).unwrap() == 0 {
                panic!("round {round}: the writer ended before it was ready: {output}");
            }
        }
        std::thread::sleep(Duration::from_millis(30 + random.next(120)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        stdout.read_to_string(&mut output).unwrap();
        // Only whole lines were acknowledged; a cut last line is not.
        let complete = if output.ends_with('\n') {
            &output[..]
        } else {
            &output[..output.rfind('\n').map_or(0, |i| i + 1)]
        };
        for line in complete.lines() {
            let mut parts = line.split_whitespace();
            if let (Some(receipt), Some(n)) = (
                parts.next(),
                parts.next().and_then(|n| n.parse::<u64>().ok()),
            ) {
                if receipt.contains("-2") {
                    acknowledged.push((receipt.to_string(), n));
                    next_n = next_n.max(n + 1);
                }
            }
        }
        next_n += WRITERS;

        // After each kill the store opens by itself (a database sled cannot open is rebuilt
        // from the journal, with a notice), and every acknowledged case is there.
        let site = site(dir.path());
        let store = Store::open(dir.path(), &site.regulation, StoreOptions::default())
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        if let Some(notice) = store.open_notice() {
            assert!(!notice.contains("damaged ("), "round {round}: {notice}");
            if notice.contains("could not be opened") {
                rebuilt += 1;
                eprintln!("round {round}: {notice}");
            }
        }
        for (receipt, n) in &acknowledged {
            let case = store
                .case_by_receipt(receipt)
                .unwrap()
                .unwrap_or_else(|| panic!("round {round}: {receipt} lost"));
            assert_eq!(case.intake.applicant.name, format!("Өтініш беруші {n}"));
            assert_eq!(case.intake.applicant.iin.to_string(), iin_for(*n));
        }
        assert_eq!(
            store.verify_against_journal().unwrap(),
            None,
            "round {round}"
        );
        journal::verify(&Store::journal_path(dir.path())).unwrap();
        // Receipt numbers stay gapless across the kills: the stored cases carry exactly 1..=count
        // (cases stored but not yet acknowledged when the kill came count too).
        let count = store.case_count() as u64;
        let mut numbers: Vec<u64> = (1..=count)
            .map(|id| {
                store
                    .case(id)
                    .unwrap()
                    .unwrap_or_else(|| panic!("round {round}: case {id} missing"))
                    .receipt_no
                    .seq
            })
            .collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=count).collect::<Vec<_>>(), "round {round}");
    }
    assert!(
        acknowledged.len() >= 12,
        "only {} accepts were acknowledged",
        acknowledged.len()
    );
    eprintln!(
        "{} acknowledged cases from {WRITERS} concurrent writers survived 24 kills; {rebuilt} opens rebuilt the database",
        acknowledged.len()
    );
}
