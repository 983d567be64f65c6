//! The store contract: one suite, run against every engine. Each engine must give the same
//! answers to the same requests: lifecycle paths, gapless receipts under concurrency, list order
//! and filters, history, drafts, refusals that write nothing.

use crate::common;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Duration;
use common::*;
use frontdesk::domain::case::{Actor, Case, CaseStatus};
use frontdesk::domain::intake::Draft;
use frontdesk::domain::lifecycle::CaseCommand;
use frontdesk::domain::query::{CaseQuery, OwnerKey};
use frontdesk::domain::regulation::Action;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Request, Response, Service, ServiceError};
use frontdesk::store::{MemoryStore, PgStore, StoreError};

/// An engine under test: makes a fresh, empty service on it.
trait Engine {
    fn name(&self) -> &'static str;
    fn service(&self, clock: Clock) -> Service;
}

struct Memory;

impl Engine for Memory {
    fn name(&self) -> &'static str {
        "memory"
    }
    fn service(&self, clock: Clock) -> Service {
        let site = site(std::path::Path::new("/nonexistent/frontdesk-contract"));
        let store = MemoryStore::new(&site.regulation);
        Service::new(Box::new(store), site, clock)
    }
}

/// The sled engine on a temporary directory kept as long as the test runs.
struct Sled {
    dirs: std::sync::Mutex<Vec<tempfile::TempDir>>,
}

impl Engine for Sled {
    fn name(&self) -> &'static str {
        "sled"
    }
    fn service(&self, clock: Clock) -> Service {
        let dir = tempfile::tempdir().unwrap();
        let service = service(dir.path(), clock);
        self.dirs.lock().unwrap().push(dir);
        service
    }
}

/// PostgreSQL, a fresh database per service, on the cluster of FRONTDESK_TEST_PG_URL.
struct Postgres {
    cluster: String,
}

impl Engine for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }
    fn service(&self, clock: Clock) -> Service {
        let site = site(std::path::Path::new("/nonexistent/frontdesk-contract"));
        let store = PgStore::open(&pg::fresh_database(&self.cluster), &site.regulation).unwrap();
        Service::new(Box::new(store), site, clock)
    }
}

fn engines() -> Vec<Box<dyn Engine>> {
    let mut engines: Vec<Box<dyn Engine>> = vec![
        Box::new(Memory),
        Box::new(Sled {
            dirs: std::sync::Mutex::new(Vec::new()),
        }),
    ];
    if let Some(cluster) = pg::cluster_url() {
        engines.push(Box::new(Postgres { cluster }));
    }
    engines
}

fn case_of(response: Result<Response, ServiceError>) -> Case {
    match response {
        Ok(Response::Case(case)) => *case,
        other => panic!("{other:?}"),
    }
}

fn act(action: Action) -> CaseCommand {
    CaseCommand::Act {
        action,
        executor: None,
    }
}

struct Staff {
    clerk: Actor,
    head: Actor,
    executor: Actor,
}

fn staff(service: &Service) -> Staff {
    let config = service.config().clone();
    Staff {
        clerk: actor(&config, "clerk"),
        head: actor(&config, "head"),
        executor: actor(&config, "executor"),
    }
}

fn accept(service: &Service, clerk: &Actor, iin: &str, name: &str, complete: bool) -> Case {
    case_of(service.execute(
        clerk,
        Request::Accept {
            draft: None,
            form: form("provider", iin, name, complete),
            opened_at: None,
        },
    ))
}

fn run(service: &Service, who: &Actor, case: &Case, command: CaseCommand) -> Case {
    case_of(service.execute(
        who,
        Request::Act {
            case: case.id.to_string(),
            command,
        },
    ))
}

/// The whole provider route with a rework, on one engine; returns the history's event count.
fn provider_route(engine: &dyn Engine) {
    let clock = Clock::manual(at("2026-11-25T09:10:00+05:00"));
    let service = engine.service(clock.clone());
    let s = staff(&service);
    let case = accept(&service, &s.clerk, "791028302728", "Әсел Нұрланқызы", true);
    assert_eq!(
        case.receipt_no.to_string(),
        "ALM01-2026-000001",
        "{}",
        engine.name()
    );
    let steps: Vec<(&Actor, CaseCommand)> = vec![
        (&s.clerk, act(Action::Register)),
        (
            &s.head,
            CaseCommand::Act {
                action: Action::AssignExecutor,
                executor: Some("executor".into()),
            },
        ),
        (
            &s.executor,
            CaseCommand::RecordResult {
                kind: "queue".into(),
                ground: None,
            },
        ),
        (&s.executor, act(Action::SubmitForSignature)),
        (
            &s.head,
            CaseCommand::ReturnForRework {
                reason: "recheck".into(),
            },
        ),
        (&s.executor, act(Action::SubmitForSignature)),
        (&s.head, act(Action::Sign)),
        (&s.clerk, act(Action::Issue)),
    ];
    let mut last = case.clone();
    for (minutes, (who, command)) in steps.into_iter().enumerate() {
        clock.set(at("2026-11-25T09:10:00+05:00") + Duration::minutes(15 * (minutes as i64 + 1)));
        last = run(&service, who, &case, command);
    }
    assert_eq!(last.status, CaseStatus::Completed, "{}", engine.name());
    let store = service.store();
    assert_eq!(store.find("1").unwrap().as_ref(), Some(&last));
    // Receipt numbers are found in any letter case.
    assert_eq!(
        store.find(" alm01-2026-000001 ").unwrap().as_ref(),
        Some(&last),
        "{}",
        engine.name()
    );
    let history = store.history(case.id).unwrap();
    assert_eq!(history.len(), 9, "{}", engine.name());
    assert!(history.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(history.iter().all(|e| e.record.case_id == case.id));
}

#[test]
fn every_engine_walks_the_provider_route() {
    for engine in engines() {
        provider_route(engine.as_ref());
    }
}

#[test]
fn a_refused_command_writes_nothing_on_every_engine() {
    for engine in engines() {
        let service = engine.service(Clock::manual(at("2026-11-25T10:00:00+05:00")));
        let s = staff(&service);
        let case = accept(&service, &s.clerk, "791028302728", "Әсел", true);
        let refused = service.execute(
            &s.clerk,
            Request::Act {
                case: case.id.to_string(),
                command: act(Action::Sign),
            },
        );
        assert!(
            matches!(refused, Err(ServiceError::Lifecycle(_))),
            "{}: {refused:?}",
            engine.name()
        );
        assert_eq!(service.store().history(case.id).unwrap().len(), 1);
        // A package with a document missing is refused to accept, and still gets its number.
        let refusal = accept(&service, &s.clerk, &iin_for(7), "Бекзат", false);
        assert!(matches!(refusal.status, CaseStatus::RefusedToAccept { .. }));
        assert_eq!(refusal.receipt_no.seq, 2, "{}", engine.name());
        assert_eq!(service.store().next_case_id().unwrap(), 3);
    }
}

#[test]
fn receipts_stay_gapless_under_concurrent_accepts_on_every_engine() {
    for engine in engines() {
        let service = Arc::new(engine.service(Clock::manual(at("2026-11-25T10:00:00+05:00"))));
        let clerk = staff(&service).clerk;
        let threads: Vec<_> = (0..6)
            .map(|t| {
                let service = service.clone();
                let clerk = clerk.clone();
                std::thread::spawn(move || {
                    (0..15)
                        .map(|i| accept(&service, &clerk, &iin_for(t * 100 + i), "Айгүл", true))
                        .map(|c| (c.id, c.receipt_no.seq))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let taken: Vec<(u64, u64)> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        let ids: BTreeSet<u64> = taken.iter().map(|t| t.0).collect();
        let seqs: BTreeSet<u64> = taken.iter().map(|t| t.1).collect();
        assert_eq!(ids, (1..=90).collect(), "{}", engine.name());
        assert_eq!(seqs, (1..=90).collect(), "{}", engine.name());
    }
}

/// Cases at different steps and deadlines, then the same lists asked of each engine.
fn list_answers(engine: &dyn Engine) -> Vec<Vec<u64>> {
    let clock = Clock::manual(at("2026-11-25T09:00:00+05:00"));
    let service = engine.service(clock.clone());
    let s = staff(&service);
    let names = [
        "Әсел Нұрланқызы",
        "Бекзат Омаров",
        "Айгүл Сейіт",
        "Данияр Әсел",
    ];
    let mut cases = Vec::new();
    for (i, name) in names.iter().enumerate() {
        clock.set(at("2026-11-25T09:00:00+05:00") + Duration::minutes(20 * i as i64));
        cases.push(accept(&service, &s.clerk, &iin_for(i as u64), name, i != 2));
    }
    // Case 1 moves on to the head, case 4 to the executor.
    run(&service, &s.clerk, &cases[0], act(Action::Register));
    run(&service, &s.clerk, &cases[3], act(Action::Register));
    run(
        &service,
        &s.head,
        &cases[3],
        CaseCommand::Act {
            action: Action::AssignExecutor,
            executor: Some("executor".into()),
        },
    );
    let queries = [
        CaseQuery::default(),
        CaseQuery {
            owner: Some(OwnerKey::role("head")),
            ..CaseQuery::default()
        },
        CaseQuery {
            owner: Some(OwnerKey::staff("executor")),
            limit: 5,
            ..CaseQuery::default()
        },
        CaseQuery {
            owner: Some(OwnerKey::role("clerk")),
            ..CaseQuery::default()
        },
        CaseQuery {
            search: Some("әсел".into()),
            ..CaseQuery::default()
        },
        CaseQuery {
            search: Some(iin_for(1)[..8].to_string()),
            ..CaseQuery::default()
        },
        CaseQuery {
            search: Some("ALM01-2026-000003".into()),
            ..CaseQuery::default()
        },
        // The last digits of a receipt number, as printed and without the zeros.
        CaseQuery {
            search: Some("000003".into()),
            ..CaseQuery::default()
        },
        CaseQuery {
            search: Some("3".into()),
            ..CaseQuery::default()
        },
        CaseQuery {
            due_before: Some(at("2026-11-25T12:00:00+05:00")),
            limit: 2,
            ..CaseQuery::default()
        },
        CaseQuery {
            opened_from: Some(at("2026-11-25T09:30:00+05:00")),
            ..CaseQuery::default()
        },
        CaseQuery {
            ids: Some(vec![4, 2]),
            ..CaseQuery::default()
        },
        CaseQuery {
            limit: 1,
            ..CaseQuery::default()
        },
    ];
    queries
        .iter()
        .map(|q| {
            service
                .store()
                .query(q)
                .unwrap()
                .iter()
                .map(|c| c.id)
                .collect()
        })
        .collect()
}

#[test]
fn every_engine_answers_lists_alike() {
    let answers: Vec<(&'static str, Vec<Vec<u64>>)> = engines()
        .iter()
        .map(|e| (e.name(), list_answers(e.as_ref())))
        .collect();
    let (_, expected) = &answers[0];
    // What the lists must be, by the rules: open cases by deadline, then closed ones.
    assert_eq!(expected[0], vec![2, 1, 4, 3]);
    assert_eq!(expected[1], vec![1]);
    assert_eq!(expected[2], vec![4]);
    assert_eq!(expected[3], vec![2]);
    assert_eq!(expected[4], vec![1, 4]);
    assert_eq!(expected[5], vec![2]);
    assert_eq!(expected[6], vec![3]);
    assert_eq!(expected[7], vec![3]);
    assert_eq!(expected[8], vec![3]);
    assert_eq!(expected[9], vec![2]);
    assert_eq!(expected[10], vec![4, 3]);
    assert_eq!(expected[11], vec![2, 4]);
    assert_eq!(expected[12], vec![2]);
    for (name, got) in &answers[1..] {
        assert_eq!(got, expected, "{name} answers lists differently");
    }
}

#[test]
fn drafts_are_kept_per_clerk_and_ticket_on_every_engine() {
    use frontdesk::domain::intake::MAX_KEPT_DRAFTS;
    let mut answers = Vec::new();
    for engine in engines() {
        let name = engine.name();
        let service = engine.service(Clock::manual(at("2026-11-25T10:00:00+05:00")));
        let store = service.store();
        let draft = |ticket: Option<&str>, name: &str, minute: u32| Draft {
            form: form("provider", "791028302728", name, true),
            opened_at: at(&format!("2026-11-25T09:{minute:02}:00+05:00")),
            arrived_at: ticket.map(|_| at(&format!("2026-11-25T08:{minute:02}:00+05:00"))),
            ticket: ticket.map(str::to_string),
        };
        assert_eq!(store.load_drafts("clerk").unwrap(), vec![], "{name}");
        // The form kept aside, the called person's new form, and one without a ticket.
        let kept = draft(Some("A7"), "Гүлмира", 50);
        let called = draft(Some("Б12"), "Әсел", 55);
        let untied = draft(None, "Данияр", 40);
        for d in [&called, &kept, &untied] {
            store.save_draft("clerk", d).unwrap();
        }
        assert_eq!(
            store.load_drafts("clerk").unwrap(),
            vec![untied.clone(), kept.clone(), called.clone()],
            "{name}: oldest opened first"
        );
        assert_eq!(store.load_drafts("head").unwrap(), vec![], "{name}");
        for d in [&called, &kept, &untied] {
            assert!(store.has_draft("clerk", &d.slot()).unwrap(), "{name}");
            assert!(!store.has_draft("head", &d.slot()).unwrap(), "{name}");
        }
        assert!(!store.has_draft("clerk", "A7@elsewhen").unwrap(), "{name}");
        // Saving again replaces the draft in its slot.
        let typed_on = draft(Some("A7"), "Гүлмира Сейітқызы", 50);
        store.save_draft("clerk", &typed_on).unwrap();
        let drafts = store.load_drafts("clerk").unwrap();
        assert_eq!(drafts.len(), 3, "{name}");
        assert!(drafts.contains(&typed_on), "{name}");
        // The same number given again (a restart, midnight) is another slot: nothing of
        // Гүлмира's form is replaced by the new holder of A7.
        let reused = Draft {
            arrived_at: Some(at("2026-11-25T09:58:00+05:00")),
            ..draft(Some("A7"), "Бекзат", 58)
        };
        assert_ne!(reused.slot(), typed_on.slot());
        store.save_draft("clerk", &reused).unwrap();
        assert_eq!(store.load_drafts("clerk").unwrap().len(), 4, "{name}");
        assert!(store.load_drafts("clerk").unwrap().contains(&typed_on));
        store.drop_draft("clerk", &reused.slot()).unwrap();
        // Forgetting one forgets it alone; one that is not there, or the number alone,
        // is no error and forgets nothing else.
        store.drop_draft("clerk", "A7").unwrap();
        assert_eq!(store.load_drafts("clerk").unwrap().len(), 3, "{name}");
        store.drop_draft("clerk", &kept.slot()).unwrap();
        store.drop_draft("clerk", &kept.slot()).unwrap();
        store.drop_draft("head", "").unwrap();
        assert_eq!(
            store.load_drafts("clerk").unwrap(),
            vec![untied.clone(), called.clone()],
            "{name}"
        );
        // Bounded: a new slot beyond the store's bound is refused and nothing is lost; a kept
        // slot can still be saved.
        for i in 0..MAX_KEPT_DRAFTS - 2 {
            let ticket = format!("C{i}");
            store
                .save_draft("clerk", &draft(Some(&ticket), "Айгүл", (i % 60) as u32))
                .unwrap();
        }
        let refused = store
            .save_draft("clerk", &draft(Some("D1"), "Айгүл", 59))
            .unwrap_err();
        assert!(
            matches!(refused, StoreError::TooManyDrafts { limit } if limit == MAX_KEPT_DRAFTS),
            "{name}: {refused}"
        );
        assert!(
            refused.to_string().contains("64 unsubmitted intakes"),
            "{refused}"
        );
        store.save_draft("clerk", &called).unwrap();
        let drafts = store.load_drafts("clerk").unwrap();
        assert_eq!(drafts.len(), MAX_KEPT_DRAFTS, "{name}");
        // Another clerk has slots of their own.
        store.save_draft("head", &kept).unwrap();
        // Through the core: the same requests the screen makes.
        let clerk = staff(&service).clerk;
        service
            .execute(
                &clerk,
                Request::DropDraft {
                    slot: String::new(),
                },
            )
            .unwrap();
        let Ok(Response::Drafts(through_core)) = service.execute(&clerk, Request::LoadDrafts)
        else {
            panic!("{name}: no drafts answer")
        };
        assert!(!through_core.contains(&untied), "{name}");
        answers.push((name, drafts));
    }
    for (name, got) in &answers[1..] {
        assert_eq!(got, &answers[0].1, "{name} keeps drafts differently");
    }
}

fn drafts_of(service: &Service, clerk: &Actor) -> Vec<Draft> {
    match service.execute(clerk, Request::LoadDrafts) {
        Ok(Response::Drafts(drafts)) => drafts,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_submitted_form_never_comes_back_on_every_engine() {
    for engine in engines() {
        let name = engine.name();
        let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
        let service = engine.service(clock.clone());
        let clerk = staff(&service).clerk;
        let draft = |iin: &str, who: &str, ticket: &str| Draft {
            form: form("provider", iin, who, true),
            opened_at: at("2026-11-25T09:50:00+05:00"),
            ticket: Some(ticket.to_string()),
            arrived_at: Some(at("2026-11-25T09:40:00+05:00")),
        };
        let gulmira = draft(&iin_for(1), "Гүлмира", "A001");
        let bekzat = draft(&iin_for(2), "Бекзат", "A002");
        for d in [&gulmira, &bekzat] {
            service
                .execute(&clerk, Request::SaveDraft(d.clone()))
                .unwrap();
        }
        // Accepting names the draft: the core forgets it with the case it records.
        case_of(service.execute(
            &clerk,
            Request::Accept {
                form: gulmira.form.clone(),
                opened_at: Some(gulmira.opened_at),
                draft: Some(gulmira.slot()),
            },
        ));
        assert_eq!(drafts_of(&service, &clerk), vec![bekzat.clone()], "{name}");
        // A draft whose forgetting was lost (the case was recorded, the drop never came) is
        // forgotten when drafts are next loaded: the same IIN and opening instant.
        case_of(service.execute(
            &clerk,
            Request::Accept {
                form: bekzat.form.clone(),
                opened_at: Some(bekzat.opened_at),
                draft: None,
            },
        ));
        assert_eq!(service.store().load_drafts("clerk").unwrap().len(), 1);
        assert_eq!(drafts_of(&service, &clerk), vec![], "{name}");
        assert_eq!(
            service.store().load_drafts("clerk").unwrap(),
            vec![],
            "{name}"
        );
        // The same person's later form (another opening) is not taken for the recorded one.
        let again = Draft {
            opened_at: at("2026-11-25T09:59:00+05:00"),
            ..bekzat.clone()
        };
        service
            .execute(&clerk, Request::SaveDraft(again.clone()))
            .unwrap();
        assert_eq!(drafts_of(&service, &clerk), vec![again], "{name}");
    }
}

#[test]
fn stale_drafts_do_not_count_toward_the_open_forms_on_every_engine() {
    use frontdesk::domain::intake::MAX_DRAFTS_PER_CLERK;
    for engine in engines() {
        let name = engine.name();
        let clock = Clock::manual(at("2026-11-24T10:00:00+05:00"));
        let service = engine.service(clock.clone());
        let clerk = staff(&service).clerk;
        let draft = |i: usize| Draft {
            form: form("provider", "", "Айгүл", false),
            opened_at: clock.now(),
            ticket: Some(format!("A{i:03}")),
            arrived_at: Some(clock.now()),
        };
        // Yesterday's forms, as many as may be open: the people left.
        for i in 0..MAX_DRAFTS_PER_CLERK {
            service
                .execute(&clerk, Request::SaveDraft(draft(i)))
                .unwrap();
        }
        let refused = service
            .execute(&clerk, Request::SaveDraft(draft(99)))
            .unwrap_err();
        assert!(
            matches!(refused, ServiceError::Draft(StoreError::TooManyDrafts { limit }) if limit == MAX_DRAFTS_PER_CLERK),
            "{name}: {refused}"
        );
        // The next day they do not stop the clerk from opening today's forms.
        clock.set(at("2026-11-25T10:00:00+05:00"));
        for i in 100..100 + MAX_DRAFTS_PER_CLERK {
            service
                .execute(&clerk, Request::SaveDraft(draft(i)))
                .unwrap();
        }
        let refused = service
            .execute(&clerk, Request::SaveDraft(draft(200)))
            .unwrap_err();
        assert!(
            matches!(
                refused,
                ServiceError::Draft(StoreError::TooManyDrafts { .. })
            ),
            "{name}: {refused}"
        );
        assert_eq!(
            drafts_of(&service, &clerk).len(),
            2 * MAX_DRAFTS_PER_CLERK,
            "{name}"
        );
    }
}

#[test]
fn states_are_scanned_by_number_range_on_every_engine() {
    for engine in engines() {
        let service = engine.service(Clock::manual(at("2026-11-25T10:00:00+05:00")));
        let clerk = staff(&service).clerk;
        for i in 0..5 {
            accept(&service, &clerk, &iin_for(i), "Айгүл", i != 3);
        }
        let store = service.store();
        let mut seen = Vec::new();
        store
            .for_each_state_in(2, 5, &|state| state.id % 2 == 0, &mut |state, whole| {
                seen.push((state.id, whole.map(|c| c.id)))
            })
            .unwrap();
        assert_eq!(
            seen,
            vec![(2, Some(2)), (3, None), (4, Some(4))],
            "{}",
            engine.name()
        );
        assert_eq!(store.all_cases().unwrap().len(), 5);
        let mut paused = false;
        store.with_appends_paused(&mut || paused = true).unwrap();
        assert!(paused);
    }
}
