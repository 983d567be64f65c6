//! The store under a failing disk and a damaged journal: full disks, I/O errors and short
//! writes injected at every write, fsync and cut of a save; bits flipped and the journal cut
//! short under a database that had applied it all. Nothing acknowledged is ever missing, nothing
//! unacknowledged is kept, and damage is refused or reported — never silently dropped.

use crate::common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Request, Response, Service, ServiceError};
use frontdesk::store::sled::faulty_file::{FaultyFile as Faulty, FileFault as Fault, FileOp as Op};
use frontdesk::store::{Store, StoreError, StoreOptions};

fn accept(service: &Service, n: u64) -> Result<String, ServiceError> {
    let clerk = actor(service.config(), "clerk");
    match service.execute(
        &clerk,
        Request::Accept {
            draft: None,
            form: form("provider", &iin_for(n), &format!("Өтініш беруші {n}"), true),
            opened_at: None,
        },
    )? {
        Response::Case(case) => Ok(case.receipt_no.to_string()),
        other => panic!("{other:?}"),
    }
}

fn memory_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    }
}

/// Every accept's journal write, fsync and cut fails once in turn (full disk, I/O error, short
/// write): the failed accept says "not saved" with its cause, the next ones are saved, and after
/// reopening exactly the acknowledged cases are there with gapless receipt numbers.
#[test]
fn every_injected_fault_loses_nothing_acknowledged_and_keeps_nothing_refused() {
    let clock = Clock::Fixed(at("2026-11-25T10:00:00+05:00"));
    let mut tried = 0;
    let mut silent_losses = 0;
    for op in [Op::Write, Op::Sync, Op::SetLen] {
        for fault in [
            Fault::Errno(libc::ENOSPC),
            Fault::Errno(libc::EIO),
            Fault::Short,
        ] {
            if op != Op::Write && fault == Fault::Short {
                continue;
            }
            for nth in 0..5 {
                tried += 1;
                let dir = memory_dir();
                let site_ = site(dir.path());
                let store = Store::open_with_journal_file(
                    dir.path(),
                    &site_.regulation,
                    StoreOptions::default(),
                    |file| Arc::new(Faulty::new(file, op, nth, fault)),
                )
                .unwrap();
                let service = Service::new(Box::new(store), site_, clock.clone());
                let mut acknowledged = Vec::new();
                for n in 0..5u64 {
                    match accept(&service, n) {
                        Ok(receipt) => acknowledged.push((receipt, n)),
                        Err(ServiceError::Store(
                            e @ (StoreError::DiskFull { .. } | StoreError::NotSaved { .. }),
                        )) => {
                            assert!(e.to_string().starts_with("not saved"), "{e}");
                            if fault != Fault::Errno(libc::EIO) {
                                assert!(matches!(e, StoreError::DiskFull { .. }), "{e}");
                            }
                        }
                        Err(other) => panic!("{op:?} {fault:?} {nth}: {other}"),
                    }
                }
                drop(service);
                let service = common::service(dir.path(), clock.clone());
                for (receipt, n) in &acknowledged {
                    match service.store().case_by_receipt(receipt).unwrap() {
                        Some(case) => {
                            assert_eq!(case.intake.applicant.name, format!("Өтініш беруші {n}"))
                        }
                        None => silent_losses += 1,
                    }
                }
                // Nothing refused was kept: the stored cases are exactly the acknowledged ones.
                let stored = service.store().all_cases().unwrap();
                assert_eq!(stored.len(), acknowledged.len(), "{op:?} {fault:?} {nth}");
                let mut numbers: Vec<u64> = stored.iter().map(|c| c.receipt_no.seq).collect();
                numbers.sort_unstable();
                assert_eq!(numbers, (1..=stored.len() as u64).collect::<Vec<_>>());
                if op != Op::SetLen {
                    assert!(
                        acknowledged.len() < 5,
                        "{op:?} {fault:?} {nth}: no fault hit"
                    );
                }
            }
        }
    }
    assert_eq!(silent_losses, 0);
    eprintln!("{tried} injected faults, {silent_losses} acknowledged cases lost");
}

fn stored_dir(cases: u64) -> tempfile::TempDir {
    let dir = memory_dir();
    let service = service(dir.path(), Clock::Fixed(at("2026-11-25T10:00:00+05:00")));
    for n in 0..cases {
        accept(&service, n).unwrap();
    }
    dir
}

fn record_bounds(path: &Path) -> Vec<u64> {
    let mut reader = frontdesk::store::sled::journal::Reader::open(
        path,
        frontdesk::store::sled::journal::JournalTail::EMPTY,
    )
    .unwrap();
    let mut ends = vec![0];
    while let Some(record) = reader.next_record().unwrap() {
        ends.push(record.end());
    }
    ends
}

/// Under a database that applied the whole journal, a journal cut short anywhere is refused
/// at open as shorter history, and nothing is cut or replayed.
#[test]
fn a_journal_cut_short_under_its_database_is_refused_at_every_offset() {
    let dir = stored_dir(4);
    let path = Store::journal_path(dir.path());
    let original = std::fs::read(&path).unwrap();
    let site_ = site(dir.path());
    let mut cuts = 0;
    // Every record boundary, and offsets inside records (every 7th byte: each open is a sled
    // open, so not every byte).
    let bounds = record_bounds(&path);
    let mut lengths: Vec<u64> = (0..original.len() as u64).step_by(7).collect();
    lengths.extend(&bounds[..bounds.len() - 1]);
    for length in lengths {
        cuts += 1;
        std::fs::write(&path, &original[..length as usize]).unwrap();
        match Store::open(dir.path(), &site_.regulation, StoreOptions::default()) {
            Err(StoreError::ShorterHistory { .. }) => {}
            Err(other) => panic!("cut at {length}: {other}"),
            Ok(_) => panic!("cut at {length}: opened"),
        }
        assert_eq!(std::fs::metadata(&path).unwrap().len(), length);
    }
    eprintln!("{cuts} cuts under the database, all refused");
}

/// A flipped bit anywhere in a middle record, under a database that applied it: the store
/// opens (reads are served) and the background check stops saves, naming the record.
#[test]
fn a_flipped_bit_under_the_database_stops_saves_and_is_named() {
    let dir = stored_dir(5);
    let path = Store::journal_path(dir.path());
    let original = std::fs::read(&path).unwrap();
    let bounds = record_bounds(&path);
    let (start, end) = (bounds[2], bounds[3]);
    let site_ = site(dir.path());
    let mut flips = 0;
    for byte in (start..end).step_by(3) {
        flips += 1;
        let mut bytes = original.clone();
        bytes[byte as usize] ^= 1 << (byte % 8);
        std::fs::write(&path, &bytes).unwrap();
        let store = Store::open(dir.path(), &site_.regulation, StoreOptions::default()).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let failure = loop {
            if let Some(failure) = store.save_failure() {
                break failure;
            }
            assert!(Instant::now() < deadline, "byte {byte}: damage not noticed");
            std::thread::sleep(Duration::from_millis(5));
        };
        assert!(failure.contains("record 3"), "byte {byte}: {failure}");
        assert_eq!(store.case_count(), 5);
        drop(store);
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing was cut");
    }
    std::fs::write(&path, &original).unwrap();
    eprintln!("{flips} flipped bits under the database, each stopped saves");
}

/// The first save after an open waits for the check of the history the database applied: a
/// one-shot writer (a CLI accept) opening a journal damaged under its database is refused,
/// never acknowledged onto the damage.
#[test]
fn the_first_save_after_open_waits_for_the_history_check() {
    let dir = stored_dir(5);
    let path = Store::journal_path(dir.path());
    let original = std::fs::read(&path).unwrap();
    let bounds = record_bounds(&path);
    let mut tries = 0;
    for byte in (bounds[2]..bounds[3]).step_by(11) {
        tries += 1;
        let mut bytes = original.clone();
        bytes[byte as usize] ^= 1 << (byte % 8);
        std::fs::write(&path, &bytes).unwrap();
        let service = service(dir.path(), Clock::Fixed(at("2026-11-25T10:30:00+05:00")));
        let saved = accept(&service, 100 + byte);
        assert!(
            saved.is_err(),
            "byte {byte}: saved {saved:?} onto a damaged journal"
        );
        drop(service);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "byte {byte}: the journal changed"
        );
    }
    std::fs::write(&path, &original).unwrap();
    eprintln!("{tries} saves tried right after opening a damaged journal, all refused");
}

/// Damage past what the database applied (the database was lost): the records before it are
/// served, nothing is cut, and every save is refused naming the record.
#[test]
fn damage_past_the_database_is_read_around_and_refuses_saves() {
    let dir = stored_dir(6);
    let path = Store::journal_path(dir.path());
    let bounds = record_bounds(&path);
    std::fs::remove_dir_all(Store::db_path(dir.path())).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    // The length field of record 3.
    bytes[bounds[2] as usize + 1] ^= 0x04;
    std::fs::write(&path, &bytes).unwrap();
    let clock = Clock::Fixed(at("2026-11-25T10:00:00+05:00"));
    let service = common::service(dir.path(), clock);
    assert_eq!(service.store().all_cases().unwrap().len(), 2);
    let notice = service.store().open_notice().unwrap();
    assert!(notice.contains("record 3"), "{notice}");
    // The screens are told by kind, to say it in the clerk's language.
    assert_eq!(
        service.store().open_repairs(),
        [frontdesk::store::OpenRepair::JournalDamaged]
    );
    match accept(&service, 99) {
        Err(ServiceError::Store(StoreError::Damaged { seq: 3, offset, .. })) => {
            assert_eq!(offset, bounds[2])
        }
        other => panic!("{other:?}"),
    }
    let refused = frontdesk::service::Failure::from(accept(&service, 99).unwrap_err());
    assert_eq!(
        refused.kind,
        frontdesk::service::FailureKind::Store(frontdesk::service::StoreFailure::Damaged)
    );
    drop(service);
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing was cut");
}
