//! The store through the application core: every lifecycle path, concurrency, reopening,
//! replay of a database behind its journal, damage detection, and codec round trips.

use crate::common;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Duration;
use common::*;
use frontdesk::codec::{decode, encode};
use frontdesk::domain::case::StoredEvent;
use frontdesk::domain::case::{Case, CaseEvent, CaseStatus, EventRecord};
use frontdesk::domain::lifecycle::CaseCommand;
use frontdesk::domain::query::{CaseQuery, OwnerKey};
use frontdesk::domain::regulation::Action;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Request, Response, ServiceError};
use frontdesk::store::sled::journal;
use frontdesk::store::{Store, StoreError, StoreOptions};

fn case_of(response: Response) -> Case {
    match response {
        Response::Case(case) => *case,
        other => panic!("{other:?}"),
    }
}

fn act(action: Action) -> CaseCommand {
    CaseCommand::Act {
        action,
        executor: None,
    }
}

#[test]
fn provider_path_with_rework_through_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(at("2026-11-25T09:10:00+05:00"));
    let service = service(dir.path(), clock.clone());
    let config = service.config().clone();
    let (clerk, head, executor) = (
        actor(&config, "clerk"),
        actor(&config, "head"),
        actor(&config, "executor"),
    );
    let notices = service.subscribe();
    let case = case_of(
        service
            .execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form: form("provider", "791028302728", "Әсел", true),
                    opened_at: Some(at("2026-11-25T09:02:00+05:00")),
                },
            )
            .unwrap(),
    );
    assert_eq!(case.receipt_no.to_string(), "ALM01-2026-000001");
    match notices.try_recv().unwrap() {
        frontdesk::service::Notice::Case(change) => assert_eq!(change.case_id, case.id),
        other => panic!("{other:?}"),
    }
    let id = case.id.to_string();
    let mut minutes = 0;
    let mut run = |who: &frontdesk::domain::case::Actor, command: CaseCommand| {
        minutes += 15;
        clock.set(at("2026-11-25T09:10:00+05:00") + Duration::minutes(minutes));
        service.execute(
            who,
            Request::Act {
                case: id.clone(),
                command,
            },
        )
    };
    run(&clerk, act(Action::Register)).unwrap();
    // A clerk's forged request to sign is refused by the core.
    assert!(matches!(
        run(&clerk, act(Action::Sign)),
        Err(ServiceError::Lifecycle(_))
    ));
    // Assigning someone who is not an executor is refused.
    assert!(matches!(
        run(
            &head,
            CaseCommand::Act {
                action: Action::AssignExecutor,
                executor: Some("clerk".into())
            }
        ),
        Err(ServiceError::Forbidden(_))
    ));
    run(
        &head,
        CaseCommand::Act {
            action: Action::AssignExecutor,
            executor: Some("executor".into()),
        },
    )
    .unwrap();
    run(
        &executor,
        CaseCommand::RecordResult {
            kind: "queue".into(),
            ground: None,
        },
    )
    .unwrap();
    run(&executor, act(Action::SubmitForSignature)).unwrap();
    run(
        &head,
        CaseCommand::ReturnForRework {
            reason: "recheck".into(),
        },
    )
    .unwrap();
    run(&executor, act(Action::SubmitForSignature)).unwrap();
    run(&head, act(Action::Sign)).unwrap();
    let done = case_of(run(&clerk, act(Action::Issue)).unwrap());
    assert_eq!(done.status, CaseStatus::Completed);

    // Reopen: the case and its history are there, the indexes agree.
    drop(service);
    let service = common::service(dir.path(), Clock::Fixed(at("2026-11-26T10:00:00+05:00")));
    let stored = service.store().find("ALM01-2026-000001").unwrap().unwrap();
    assert_eq!(stored, done);
    assert_eq!(service.store().history(stored.id).unwrap().len(), 9);
    let by_iin = service
        .store()
        .query(&CaseQuery {
            search: Some("7910283".into()),
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(by_iin.len(), 1);
    let by_name = service
        .store()
        .query(&CaseQuery {
            search: Some("әсе".into()),
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(by_name.len(), 1);
    // Closed cases leave the work indexes.
    let work = service
        .store()
        .query(&CaseQuery {
            owner: Some(OwnerKey::role("clerk")),
            ..CaseQuery::default()
        })
        .unwrap();
    assert!(work.is_empty());
    drop(service);
    assert_eq!(
        sled_store(dir.path()).verify_against_journal().unwrap(),
        None
    );
}

/// The data directory's sled store itself, for checks only the sled engine has.
fn sled_store(dir: &std::path::Path) -> Store {
    Store::open(dir, &site(dir).regulation, StoreOptions::default()).unwrap()
}

#[test]
fn state_corporation_path_refusal_print_and_void() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(at("2026-03-07T19:50:00+05:00"));
    let service = service(dir.path(), clock.clone());
    let config = service.config().clone();
    let operator = actor(&config, "operator");
    // A provider clerk cannot accept at a State Corporation counter.
    assert!(matches!(
        service.execute(
            &actor(&config, "clerk"),
            Request::Accept {
                draft: None,
                form: form("state-corp", "791028302728", "X", true),
                opened_at: None
            }
        ),
        Err(ServiceError::Forbidden(_))
    ));
    let refused = case_of(
        service
            .execute(
                &operator,
                Request::Accept {
                    draft: None,
                    form: form("state-corp", "061211600012", "Бекзат", false),
                    opened_at: None,
                },
            )
            .unwrap(),
    );
    assert_eq!(
        refused.status,
        CaseStatus::RefusedToAccept {
            missing: vec!["address-certificate".into()]
        }
    );
    assert_eq!(refused.receipt_no.to_string(), "SC01-2026-000001");
    let accepted = case_of(
        service
            .execute(
                &operator,
                Request::Accept {
                    draft: None,
                    form: form("state-corp", "791028302728", "Әсел", true),
                    opened_at: None,
                },
            )
            .unwrap(),
    );
    assert_eq!(accepted.receipt_no.to_string(), "SC01-2026-000002");
    assert_eq!(accepted.current_step().unwrap().step_id, "S2");
    // S2's 3 hours: 10 min on Saturday, then Tuesday (Sunday 8 March, Monday 9 March off).
    assert_eq!(
        accepted.current_step().unwrap().deadline,
        at("2026-03-10T11:50:00+05:00")
    );

    // Voiding keeps the number; the next receipt still gets the next number.
    let voided = case_of(
        service
            .execute(
                &operator,
                Request::VoidReceipt {
                    case: accepted.id.to_string(),
                    reason: "wrong measure".into(),
                },
            )
            .unwrap(),
    );
    assert!(matches!(voided.status, CaseStatus::Voided { .. }));
    let next = case_of(
        service
            .execute(
                &operator,
                Request::Accept {
                    draft: None,
                    form: form("state-corp", "791028302728", "Әсел", true),
                    opened_at: None,
                },
            )
            .unwrap(),
    );
    assert_eq!(next.receipt_no.to_string(), "SC01-2026-000003");
}

#[test]
fn a_failed_print_keeps_the_number_and_a_reprint_is_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let config_text = frontdesk::config::EXAMPLE_CONFIG_TOML.replace(
        "print_command = \"lp -d receipts\"",
        "print_command = \"cat > /dev/null; exit 3\"",
    );
    std::fs::write(dir.path().join("config.toml"), &config_text).unwrap();
    let service = service(dir.path(), Clock::Fixed(at("2026-11-25T10:00:00+05:00")));
    let clerk = actor(service.config(), "clerk");
    let case = case_of(
        service
            .execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form: form("provider", "791028302728", "Әсел", true),
                    opened_at: None,
                },
            )
            .unwrap(),
    );
    let Response::Printed {
        case: failed,
        error,
        ..
    } = service
        .execute(
            &clerk,
            Request::PrintReceipt {
                case: case.id.to_string(),
            },
        )
        .unwrap()
    else {
        panic!()
    };
    assert!(error.unwrap().contains("failed"));
    assert_eq!(failed.receipt.printed, 0);
    assert!(failed.receipt.last_print_error.is_some());
    assert_eq!(failed.receipt_no, case.receipt_no);
    drop(service);

    std::fs::write(
        dir.path().join("config.toml"),
        config_text.replace(
            "cat > /dev/null; exit 3",
            &format!("cat > {}", dir.path().join("printed.txt").display()),
        ),
    )
    .unwrap();
    let service = common::service(dir.path(), Clock::Fixed(at("2026-11-25T10:01:00+05:00")));
    let Response::Printed {
        duplicate, error, ..
    } = service
        .execute(
            &clerk,
            Request::PrintReceipt {
                case: case.id.to_string(),
            },
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!((duplicate, error), (false, None));
    let Response::Printed { duplicate, .. } = service
        .execute(
            &clerk,
            Request::PrintReceipt {
                case: case.id.to_string(),
            },
        )
        .unwrap()
    else {
        panic!()
    };
    assert!(duplicate);
    let Response::Text(lines) = service
        .execute(
            &clerk,
            Request::ReceiptText {
                case: case.id.to_string(),
                width: 42,
            },
        )
        .unwrap()
    else {
        panic!()
    };
    assert!(lines[0].contains("DUPLICATE"));
}

#[test]
fn concurrent_accepts_never_duplicate_or_skip_a_receipt_number() {
    let dir = tempfile::tempdir().unwrap();
    let service = Arc::new(service(
        dir.path(),
        Clock::Fixed(at("2026-11-25T10:00:00+05:00")),
    ));
    let clerk = actor(service.config(), "clerk");
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let service = service.clone();
            let clerk = clerk.clone();
            std::thread::spawn(move || {
                (0..25)
                    .map(|i| {
                        let form = form(
                            "provider",
                            &iin_for(t * 100 + i),
                            "Параллель",
                            (t + i) % 5 != 0,
                        );
                        case_of(
                            service
                                .execute(
                                    &clerk,
                                    Request::Accept {
                                        draft: None,
                                        form,
                                        opened_at: None,
                                    },
                                )
                                .unwrap(),
                        )
                        .receipt_no
                        .seq
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let numbers: Vec<u64> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let unique: BTreeSet<u64> = numbers.iter().copied().collect();
    assert_eq!(numbers.len(), 200);
    assert_eq!(unique, (1..=200).collect::<BTreeSet<u64>>());
    assert_eq!(service.store().all_cases().unwrap().len(), 200);
}

#[test]
fn a_database_behind_its_journal_is_brought_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let backup = tempfile::tempdir().unwrap();
    let clock = Clock::Fixed(at("2026-11-25T10:00:00+05:00"));
    {
        let service = service(dir.path(), clock.clone());
        let clerk = actor(service.config(), "clerk");
        for i in 0..3 {
            service
                .execute(
                    &clerk,
                    Request::Accept {
                        draft: None,
                        form: form("provider", &iin_for(i), "Бір", true),
                        opened_at: None,
                    },
                )
                .unwrap();
        }
    }
    copy_dir(&Store::db_path(dir.path()), &backup.path().join("db"));
    {
        let service = service(dir.path(), clock.clone());
        let clerk = actor(service.config(), "clerk");
        for i in 3..5 {
            service
                .execute(
                    &clerk,
                    Request::Accept {
                        draft: None,
                        form: form("provider", &iin_for(i), "Екі", true),
                        opened_at: None,
                    },
                )
                .unwrap();
        }
    }
    // Put the older database back: it is three events behind the journal.
    std::fs::remove_dir_all(Store::db_path(dir.path())).unwrap();
    copy_dir(&backup.path().join("db"), &Store::db_path(dir.path()));
    let service = service(dir.path(), clock);
    assert_eq!(service.store().all_cases().unwrap().len(), 5);
    assert!(service.store().find("ALM01-2026-000005").unwrap().is_some());
    drop(service);
    assert_eq!(
        sled_store(dir.path()).verify_against_journal().unwrap(),
        None
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_flipped_byte_in_the_journal_is_reported_not_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::Fixed(at("2026-11-25T10:00:00+05:00"));
    {
        let service = service(dir.path(), clock.clone());
        let clerk = actor(service.config(), "clerk");
        for i in 0..4 {
            service
                .execute(
                    &clerk,
                    Request::Accept {
                        draft: None,
                        form: form("provider", &iin_for(i), "Үш", true),
                        opened_at: None,
                    },
                )
                .unwrap();
        }
    }
    let journal = Store::journal_path(dir.path());
    let mut bytes = std::fs::read(&journal).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&journal, &bytes).unwrap();
    // The database is intact, so it opens; the audit finds the damage.
    let (tail, _) = match journal::verify(&journal) {
        Err(e) => {
            assert!(e.to_string().contains("damaged"), "{e}");
            return rebuild_refuses(dir.path(), clock);
        }
        Ok(ok) => ok,
    };
    panic!("damage went unnoticed: {tail:?}");
}

fn rebuild_refuses(dir: &std::path::Path, clock: Clock) {
    // Rebuilding from a damaged journal is refused rather than silently dropping cases.
    let site = site(dir);
    match Store::recover(dir, &site.regulation, StoreOptions::default()) {
        Err(e @ StoreError::Damaged { .. }) => assert!(e.to_string().contains("damaged")),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("recovered from a damaged journal"),
    }
    let _ = clock;
}

#[test]
fn a_damaged_database_is_reported_and_rebuilt_from_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::Fixed(at("2026-11-25T10:00:00+05:00"));
    {
        let service = service(dir.path(), clock.clone());
        let clerk = actor(service.config(), "clerk");
        for i in 0..50 {
            service
                .execute(
                    &clerk,
                    Request::Accept {
                        draft: None,
                        form: form("provider", &iin_for(i), "Төрт", true),
                        opened_at: None,
                    },
                )
                .unwrap();
        }
    }
    // Flip bytes all through sled's files.
    let db = Store::db_path(dir.path());
    let mut flipped = 0;
    for entry in walk(&db) {
        let mut bytes = std::fs::read(&entry).unwrap();
        if bytes.len() < 64 {
            continue;
        }
        for i in (32..bytes.len()).step_by(97) {
            bytes[i] ^= 0xff;
            flipped += 1;
        }
        std::fs::write(&entry, &bytes).unwrap();
    }
    assert!(flipped > 0);
    let site = site(dir.path());
    let opened = Store::open(dir.path(), &site.regulation, StoreOptions::default());
    let reported = match opened {
        Err(e) => !e.to_string().is_empty(),
        // Opening rebuilds or repairs from the journal and says so; or the audit finds the
        // difference.
        Ok(store) => {
            let notice = store.open_notice();
            eprintln!("{notice:?}");
            notice.is_some_and(|n| n.contains("from the journal"))
                || store.verify_against_journal().map_or(true, |p| p.is_some())
        }
    };
    assert!(reported, "a damaged database was silently accepted");
    let (store, _) = Store::recover(dir.path(), &site.regulation, StoreOptions::default()).unwrap();
    assert_eq!(store.case_count(), 50);
    assert_eq!(store.verify_against_journal().unwrap(), None);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn every_stored_type_round_trips_through_the_codec() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(at("2026-11-25T09:10:00+05:00"));
    let service = service(dir.path(), clock.clone());
    let config = service.config().clone();
    let (clerk, head, executor) = (
        actor(&config, "clerk"),
        actor(&config, "head"),
        actor(&config, "executor"),
    );
    let mut f = form("provider", "791028302728", "Ә\u{301}сел «Нұр»", true);
    f.representative_name = "Ерлан".into();
    f.representative_iin = "061211600012".into();
    f.power_of_attorney = "№ 123 от 01.11.2026".into();
    f.documents.push("power-of-attorney".into());
    f.phone = "+7 701 000 00 00".into();
    let case = case_of(
        service
            .execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form: f,
                    opened_at: None,
                },
            )
            .unwrap(),
    );
    let id = case.id.to_string();
    for (who, command) in [
        (&clerk, act(Action::Register)),
        (
            &head,
            CaseCommand::Act {
                action: Action::AssignExecutor,
                executor: Some("executor".into()),
            },
        ),
        (
            &executor,
            CaseCommand::RecordResult {
                kind: "refusal".into(),
                ground: Some("no-consent".into()),
            },
        ),
        (&executor, act(Action::SubmitForSignature)),
        (
            &head,
            CaseCommand::ReturnForRework {
                reason: "ground?".into(),
            },
        ),
    ] {
        service
            .execute(
                who,
                Request::Act {
                    case: id.clone(),
                    command,
                },
            )
            .unwrap();
    }
    let events = service.store().history(case.id).unwrap();
    let mut kinds = std::collections::HashSet::new();
    for stored in &events {
        assert_eq!(
            &decode::<StoredEvent>(&encode(stored).unwrap()).unwrap(),
            stored
        );
        let record: &EventRecord = &stored.record;
        kinds.insert(std::mem::discriminant(&record.event));
    }
    for event in [
        CaseEvent::ReceiptPrinted { duplicate: true },
        CaseEvent::ReceiptPrintFailed {
            error: "no paper".into(),
        },
        CaseEvent::ReceiptVoided {
            reason: "typo".into(),
        },
    ] {
        assert_eq!(
            decode::<CaseEvent>(&encode(&event).unwrap()).unwrap(),
            event
        );
    }
    let now = service.store().case(case.id).unwrap().unwrap();
    assert_eq!(decode::<Case>(&encode(&now).unwrap()).unwrap(), now);
    assert!(kinds.len() >= 4);
    // A value from a future format is refused, not misread.
    let mut future = encode(&now).unwrap();
    future[0] = 99;
    assert!(decode::<Case>(&future)
        .unwrap_err()
        .to_string()
        .contains("version 99"));
}

#[test]
fn someones_work_comes_nearest_deadline_first_and_stops_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(at("2026-11-25T09:00:00+05:00"));
    let service = service(dir.path(), clock.clone());
    let clerk = actor(service.config(), "clerk");
    // Opened later and later: P1 deadlines in the same order, one registered (at the head's step).
    for n in 0..6u64 {
        clock.set(at("2026-11-25T09:00:00+05:00") + Duration::minutes(10 * n as i64));
        service
            .execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form: form("provider", &iin_for(n), "Кезек", true),
                    opened_at: None,
                },
            )
            .unwrap();
    }
    service
        .execute(
            &clerk,
            Request::Act {
                case: "2".into(),
                command: act(Action::Register),
            },
        )
        .unwrap();
    let mine = service
        .store()
        .query(&CaseQuery {
            owner: Some(OwnerKey::role("clerk")),
            limit: 3,
            ..CaseQuery::default()
        })
        .unwrap();
    let ids: Vec<u64> = mine.iter().map(|c| c.id).collect();
    assert_eq!(ids, [1, 3, 4]);
    let heads = service
        .store()
        .query(&CaseQuery {
            owner: Some(OwnerKey::role("head")),
            limit: 3,
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(heads.iter().map(|c| c.id).collect::<Vec<_>>(), [2]);
}

#[test]
fn a_single_draft_from_before_per_ticket_drafts_is_adopted_into_its_slot() {
    let dir = tempfile::tempdir().unwrap();
    let service = service(dir.path(), Clock::manual(at("2026-11-25T10:00:00+05:00")));
    let old = frontdesk::domain::intake::Draft {
        form: form("provider", "791028302728", "Гүлмира", false),
        opened_at: at("2026-11-25T09:50:00+05:00"),
        ticket: Some("A7".into()),
        arrived_at: None,
    };
    // The one file per clerk an earlier frontdesk wrote.
    let single = dir.path().join("drafts").join("clerk.json");
    std::fs::create_dir_all(single.parent().unwrap()).unwrap();
    std::fs::write(&single, serde_json::to_vec(&old).unwrap()).unwrap();
    let store = service.store();
    assert_eq!(store.load_drafts("clerk").unwrap(), vec![old.clone()]);
    assert!(!single.exists(), "moved into its slot");
    // Now one draft among the clerk's others, and forgotten by its ticket.
    let other = frontdesk::domain::intake::Draft {
        ticket: Some("A8".into()),
        ..old.clone()
    };
    store.save_draft("clerk", &other).unwrap();
    assert_eq!(store.load_drafts("clerk").unwrap().len(), 2);
    store.drop_draft("clerk", "A7").unwrap();
    assert_eq!(store.load_drafts("clerk").unwrap(), vec![other]);
    // A damaged draft file is typed again, not an error at the counter.
    std::fs::write(
        dir.path().join("drafts").join("clerk").join("form.json"),
        b"{not json",
    )
    .unwrap();
    assert_eq!(store.load_drafts("clerk").unwrap().len(), 1);
}
