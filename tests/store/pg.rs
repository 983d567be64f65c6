//! PostgreSQL as the record of several daemons: a State Corporation centre and a provider
//! office on one database see each other's changes live; receipts stay gapless with two
//! daemons writing; a retried request is recorded once; the schema's versions are kept.
//! Needs the cluster scripts/test.sh starts (FRONTDESK_TEST_PG_URL); skipped without it.

use crate::common;

use std::collections::BTreeSet;
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use frontdesk::domain::case::{Actor, Case, CaseStatus};
use frontdesk::domain::lifecycle::CaseCommand;
use frontdesk::domain::regulation::Action;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Notice, Request, Response, Service};
use frontdesk::store::pg::schema;
use frontdesk::store::PgStore;

fn daemon(url: &str, clock: &Clock) -> Service {
    let site = site(std::path::Path::new("/nonexistent/frontdesk-pg"));
    let store = PgStore::open(url, &site.regulation).unwrap();
    Service::new(Box::new(store), site, clock.clone())
}

fn case_of(response: Response) -> Case {
    match response {
        Response::Case(case) => *case,
        other => panic!("{other:?}"),
    }
}

fn act(service: &Service, who: &Actor, case: &Case, action: Action) -> Case {
    let executor = (action == Action::AssignExecutor).then(|| "executor".to_string());
    case_of(
        service
            .execute(
                who,
                Request::Act {
                    case: case.id.to_string(),
                    command: CaseCommand::Act { action, executor },
                },
            )
            .unwrap(),
    )
}

/// Waits for the notice of `case` reaching `step` (`None`: closed); returns how long it took.
fn notice_of(notices: &Receiver<Notice>, case: &Case, step: Option<&str>) -> Duration {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        if let Ok(Notice::Case(change)) = notices.recv_timeout(Duration::from_millis(100)) {
            if change.case_id == case.id && change.step.as_deref() == step {
                return started.elapsed();
            }
        }
    }
    panic!("no notice of case {} at {step:?} within 3 s", case.id);
}

#[test]
fn a_hand_off_between_two_daemons_is_seen_live_on_both_sides() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let centre = daemon(&url, &clock);
    let provider = daemon(&url, &clock);
    let at_centre = centre.subscribe();
    let at_provider = provider.subscribe();
    let config = centre.config().clone();
    let [operator, clerk, head, executor] =
        ["operator", "clerk", "head", "executor"].map(|id| actor(&config, id));

    // The centre accepts the package and sends it to the provider.
    let accepted = case_of(
        centre
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
    let mut delays = vec![notice_of(&at_provider, &accepted, Some("S2"))];
    let sent = act(&centre, &operator, &accepted, Action::SendToProvider);
    assert_eq!(sent.current_step().unwrap().step_id, "P1");
    delays.push(notice_of(&at_provider, &sent, Some("P1")));
    // The provider finds it in its clerk's work, and carries it through to the hand-back.
    let work = provider
        .execute(
            &clerk,
            Request::List(frontdesk::domain::query::CaseQuery {
                owner: Some(frontdesk::domain::query::OwnerKey::role("clerk")),
                limit: 50,
                ..Default::default()
            }),
        )
        .unwrap();
    assert!(matches!(&work, Response::Cases(cases) if cases.iter().any(|c| c.id == sent.id)));
    act(&provider, &clerk, &sent, Action::Register);
    act(&provider, &head, &sent, Action::AssignExecutor);
    provider
        .execute(
            &executor,
            Request::Act {
                case: sent.id.to_string(),
                command: CaseCommand::RecordResult {
                    kind: "queue".into(),
                    ground: None,
                },
            },
        )
        .unwrap();
    act(&provider, &executor, &sent, Action::SubmitForSignature);
    act(&provider, &head, &sent, Action::Sign);
    let handed = act(&provider, &clerk, &sent, Action::HandToStateCorp);
    assert_eq!(handed.current_step().unwrap().step_id, "S4");
    // The centre sees the result come back, receives it and issues it.
    delays.push(notice_of(&at_centre, &handed, Some("S4")));
    act(&centre, &operator, &handed, Action::ReceiveResult);
    let issued = act(&centre, &operator, &handed, Action::Issue);
    assert_eq!(issued.status, CaseStatus::Completed);
    delays.push(notice_of(&at_provider, &issued, None));
    eprintln!("delivery to the other daemon: {delays:?}");
    assert!(
        delays.iter().all(|d| *d < Duration::from_secs(1)),
        "a change took a second or more to reach the other daemon: {delays:?}"
    );
    // Both daemons read the same record, and the chains hold.
    assert_eq!(
        provider.store().case(issued.id).unwrap(),
        Some(issued.clone())
    );
    assert_eq!(centre.store().history(issued.id).unwrap().len(), 10);
}

#[test]
fn receipts_stay_gapless_with_two_daemons_writing_at_once() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let daemons = [
        Arc::new(daemon(&url, &clock)),
        Arc::new(daemon(&url, &clock)),
    ];
    let clerk = actor(daemons[0].config(), "clerk");
    let threads: Vec<_> = (0..6u64)
        .map(|t| {
            let service = daemons[(t % 2) as usize].clone();
            let clerk = clerk.clone();
            std::thread::spawn(move || {
                (0..10)
                    .map(|i| {
                        let request = Request::Accept {
                            draft: None,
                            form: form("provider", &iin_for(t * 100 + i), "Айгүл", true),
                            opened_at: None,
                        };
                        let case = case_of(service.execute(&clerk, request).unwrap());
                        (case.id, case.receipt_no.seq)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let taken: Vec<(u64, u64)> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let ids: BTreeSet<u64> = taken.iter().map(|t| t.0).collect();
    let receipts: BTreeSet<u64> = taken.iter().map(|t| t.1).collect();
    assert_eq!(ids.len(), 60, "case numbers repeat across daemons");
    assert_eq!(
        receipts,
        (1..=60).collect(),
        "receipts have gaps or repeats"
    );
    let store = PgStore::open(&url, &daemons[0].regulation_arc()).unwrap();
    assert_eq!(store.verify_chains().unwrap(), Ok(60));
}

#[test]
fn a_retried_request_is_recorded_once() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let service = daemon(&url, &clock);
    let clerk = actor(service.config(), "clerk");
    let once = |id: &str, name: &str| {
        case_of(
            service
                .execute(
                    &clerk,
                    Request::Once {
                        request_id: id.into(),
                        request: Box::new(Request::Accept {
                            draft: None,
                            form: form("provider", "791028302728", name, true),
                            opened_at: None,
                        }),
                    },
                )
                .unwrap(),
        )
    };
    let first = once("counter-3/17", "Әсел");
    // The answer was lost; the client sends the same request again.
    let again = once("counter-3/17", "Әсел");
    assert_eq!(again, first);
    assert_eq!(service.store().next_case_id().unwrap(), first.id + 1);
    let next = once("counter-3/18", "Бекзат");
    assert_eq!(next.receipt_no.seq, first.receipt_no.seq + 1);
    // Another staff member's request with the same id is another request.
    let operator = actor(service.config(), "operator");
    let theirs = case_of(
        service
            .execute(
                &operator,
                Request::Once {
                    request_id: "counter-3/17".into(),
                    request: Box::new(Request::Accept {
                        draft: None,
                        form: form("state-corp", "791028302728", "Әсел", true),
                        opened_at: None,
                    }),
                },
            )
            .unwrap(),
    );
    assert_ne!(theirs.id, first.id);
    assert_eq!(theirs.receipt_no.to_string(), "SC01-2026-000001");
    assert!(service
        .execute(
            &clerk,
            Request::Once {
                request_id: "bad id\n".into(),
                request: Box::new(Request::LoadDrafts),
            },
        )
        .is_err());
}

#[test]
fn schema_versions_are_applied_once_and_a_newer_schema_is_refused() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let regulation = site(std::path::Path::new("/nonexistent")).regulation;
    drop(PgStore::open(&url, &regulation).unwrap());
    drop(PgStore::open(&url, &regulation).unwrap());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let versions = schema::applied(&mut client).unwrap();
    assert_eq!(versions, (1..=schema::latest()).collect::<Vec<_>>());
    client
        .execute(
            "INSERT INTO schema_version (version, description) VALUES (999, 'from the future')",
            &[],
        )
        .unwrap();
    let error = PgStore::open(&url, &regulation).err().unwrap().to_string();
    assert!(error.contains("newer"), "{error}");
    // A URL that is not PostgreSQL's is named as such, and no password is echoed.
    let error = PgStore::open("postgresql://u:secret@/db?port=notaport", &regulation)
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("store URL") && !error.contains("secret"),
        "{error}"
    );
}

#[test]
fn a_changed_event_breaks_its_office_chain() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let service = daemon(&url, &clock);
    let config = service.config().clone();
    for (who, channel, i) in [("clerk", "provider", 1), ("operator", "state-corp", 2)] {
        service
            .execute(
                &actor(&config, who),
                Request::Accept {
                    draft: None,
                    form: form(channel, &iin_for(i), "Айгүл", true),
                    opened_at: None,
                },
            )
            .unwrap();
    }
    let store = PgStore::open(&url, &service.regulation_arc()).unwrap();
    assert_eq!(store.verify_chains().unwrap(), Ok(2));
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .execute(
            "UPDATE events SET record = record || '\\x00'::bytea WHERE office = 'SC01'",
            &[],
        )
        .unwrap();
    let broken = store.verify_chains().unwrap().unwrap_err();
    assert!(broken.contains("SC01"), "{broken}");
}

#[test]
fn damaged_rows_advise_postgresql_s_own_recovery_not_frontdesk_recover() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let service = daemon(&url, &clock);
    let clerk = actor(service.config(), "clerk");
    let case = case_of(
        service
            .execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form: form("provider", &iin_for(1), "Айгүл", true),
                    opened_at: None,
                },
            )
            .unwrap(),
    );
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .execute(
            "UPDATE events SET hash = '\\x00'::bytea WHERE case_id = $1",
            &[&(case.id as i64)],
        )
        .unwrap();
    let error = service
        .execute(
            &clerk,
            Request::History {
                case: case.id.to_string(),
            },
        )
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("pg_restore") && error.contains("audit verify"),
        "{error}"
    );
    assert!(!error.contains("rebuild it with"), "{error}");
}

#[test]
fn an_event_that_would_make_a_case_again_is_refused_and_leaves_nothing() {
    use frontdesk::store::{CaseStore, StoreError};
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let service = daemon(&url, &clock);
    let clerk = actor(service.config(), "clerk");
    let case = case_of(
        service
            .execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form: form("provider", &iin_for(1), "Айгүл", true),
                    opened_at: None,
                },
            )
            .unwrap(),
    );
    let first = service.store().history(case.id).unwrap().remove(0).record;
    let store = PgStore::open(&url, &service.regulation_arc()).unwrap();
    // The first event of the case (its acceptance) once more.
    let again = first;
    let error = store
        .append(&mut |_| Ok(Some(again.clone())), &mut |_, _| {})
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Inconsistent { what, .. } if what.contains("re-creates")),
        "{error:?}"
    );
    assert_eq!(store.history(case.id).unwrap().len(), 1);
    assert_eq!(store.verify_chains().unwrap(), Ok(1));
}

#[test]
fn after_its_connections_are_cut_a_daemon_writes_and_reads_again_at_once() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let name = database_of(&url);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let service = daemon(&url, &clock);
    let clerk = actor(service.config(), "clerk");
    let accept = |i: u64| {
        service.execute(
            &clerk,
            Request::Accept {
                draft: None,
                form: form("provider", &iin_for(i), "Айгүл", true),
                opened_at: None,
            },
        )
    };
    // Eight clerks at once: the pool keeps eight connections open.
    std::thread::scope(|scope| {
        for t in 0..8 {
            let accept = &accept;
            scope.spawn(move || {
                for i in 0..3 {
                    accept(t * 10 + i).unwrap();
                }
            });
        }
    });
    // Every connection of this daemon is cut, as by a restart of the server: the idle ones
    // are found broken only when used.
    let mut admin = postgres::Client::connect(&cluster, postgres::NoTls).unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            &[&name],
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    case_of(accept(100).unwrap());
    let write = started.elapsed();
    assert!(
        write < Duration::from_secs(2),
        "the write waited {write:?}: broken connections were retried with pauses"
    );
    let _ = admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
        &[&name],
    );
    std::thread::sleep(Duration::from_millis(200));
    let Response::Page { cases, .. } = service
        .execute(
            &actor(service.config(), "supervisor"),
            Request::Page {
                query: frontdesk::domain::query::CaseQuery::default(),
                after: 0,
                limit: 100,
            },
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(cases.len(), 25);
}

/// An oblast's configuration: two district provider offices (ALM01 and ALM02) and the centre,
/// a supervisor of one district, and the oblast's supervisor over every office.
fn oblast_site(dir: &std::path::Path) -> frontdesk::service::Site {
    let mut config = frontdesk::config::EXAMPLE_CONFIG_TOML.to_string();
    config.push_str(
        r#"
[[offices]]
code = "ALM02"
name = { kk = "Екінші аудан", ru = "Второй район", en = "Second district" }
address = "Лепсі а."
phone = "+7 72837 2-22-22"
channel = "provider"

[[staff]]
id = "clerk2"
name = "Мейрам Тоқтаров"
role = "clerk"
office = "ALM02"

[[staff]]
id = "oblast"
name = "Жанар Әлиева"
role = "supervisor"
office = "ALM01"
offices = ["ALM01", "ALM02", "SC01"]
"#,
    );
    std::fs::write(dir.join("config.toml"), config).unwrap();
    site(dir)
}

/// Every open case on a dashboard, by number.
fn dashboard_cases(service: &Service, who: &Actor) -> BTreeSet<u64> {
    let Response::Dashboard(view) = service.execute(who, Request::Dashboard).unwrap() else {
        panic!()
    };
    view.steps
        .iter()
        .flat_map(|row| [&row.on_track, &row.due_soon, &row.overdue, &row.paused])
        .flat_map(|bucket| bucket.cases.iter().copied())
        .collect()
}

fn report_count(service: &Service, who: &Actor, office: Option<&str>) -> Result<u32, String> {
    match service.execute(
        who,
        Request::Report {
            from: None,
            to: None,
            office: office.map(str::to_string),
        },
    ) {
        Ok(Response::Report(report)) => Ok(report.cases),
        Ok(other) => panic!("{other:?}"),
        Err(error) => Err(error.to_string()),
    }
}

#[test]
fn the_oblast_supervisor_sees_every_office_written_by_every_daemon_and_a_district_its_own() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    // Each district's daemon, with its own data directory and configuration, on one database.
    let (first_dir, second_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let open = |dir: &std::path::Path| {
        let site = oblast_site(dir);
        let store = PgStore::open(&url, &site.regulation).unwrap();
        Service::new(Box::new(store), site, clock.clone())
    };
    let (first, second) = (open(first_dir.path()), open(second_dir.path()));
    let config = first.config().clone();
    let [clerk, clerk2, operator, district, oblast] =
        ["clerk", "clerk2", "operator", "supervisor", "oblast"].map(|id| actor(&config, id));
    let accept = |service: &Service, who: &Actor, channel: &str, i: u64| {
        case_of(
            service
                .execute(
                    who,
                    Request::Accept {
                        draft: None,
                        form: form(channel, &iin_for(i), "Айгүл", true),
                        opened_at: None,
                    },
                )
                .unwrap(),
        )
    };
    let mut in_first = BTreeSet::new();
    let mut in_second = BTreeSet::new();
    for i in 0..3 {
        in_first.insert(accept(&first, &clerk, "provider", i).id);
        in_second.insert(accept(&second, &clerk2, "provider", 100 + i).id);
    }
    let at_centre = accept(&second, &operator, "state-corp", 200).id;
    // The centre's case is of its own office, whichever daemon wrote it.
    assert_eq!(
        second
            .store()
            .find(&at_centre.to_string())
            .unwrap()
            .unwrap()
            .office,
        "SC01"
    );
    let every: BTreeSet<u64> = in_first
        .iter()
        .chain(&in_second)
        .copied()
        .chain([at_centre])
        .collect();

    // On the first district's daemon, the oblast's supervisor sees every office, the
    // district's supervisor only the district; and so on the other daemon.
    for service in [&first, &second] {
        assert_eq!(dashboard_cases(service, &oblast), every);
        assert_eq!(dashboard_cases(service, &district), in_first);
        assert_eq!(report_count(service, &oblast, None), Ok(7));
        assert_eq!(report_count(service, &oblast, Some("ALM02")), Ok(3));
        assert_eq!(report_count(service, &oblast, Some("SC01")), Ok(1));
        assert_eq!(report_count(service, &district, None), Ok(3));
        let refused = report_count(service, &district, Some("ALM02")).unwrap_err();
        assert!(refused.contains("not one you serve"), "{refused}");
    }
    // What the other district's daemon writes from now on reaches the oblast's dashboard live.
    let later = accept(&second, &clerk2, "provider", 300).id;
    let started = Instant::now();
    while !dashboard_cases(&first, &oblast).contains(&later) {
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "the other daemon's case never reached the oblast's dashboard"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(dashboard_cases(&first, &district), in_first);
    assert_eq!(report_count(&first, &oblast, None), Ok(8));
}

/// The database name of a URL made by `pg::fresh_database`.
fn database_of(url: &str) -> String {
    let path = url.split('?').next().unwrap();
    path.rsplit('/').next().unwrap().to_string()
}

/// The next notice of the database's state, within `within`.
fn store_notice(notices: &Receiver<Notice>, within: Duration) -> Option<bool> {
    let started = Instant::now();
    while started.elapsed() < within {
        if let Ok(Notice::Store { reachable }) = notices.recv_timeout(Duration::from_millis(100)) {
            return Some(reachable);
        }
    }
    None
}

#[test]
fn while_the_database_is_unreachable_clients_are_told_once_and_writes_are_refused_unsaved() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let _alone = pg::faults();
    let url = pg::fresh_database(&cluster);
    let name = database_of(&url);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let service = Arc::new(daemon(&url, &clock));
    let notices = service.subscribe();
    let clerk = actor(service.config(), "clerk");
    // A screen connected over the daemon's socket, as the counters are.
    use frontdesk::service::port::Core;
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("frontdesk.sock");
    let _served =
        frontdesk::protocol::server::serve_beside_screen(service.clone(), &socket).unwrap();
    let (screen, screen_notices, _) =
        frontdesk::protocol::client::Remote::connect(&socket).unwrap();
    let accept = |i: u64| {
        service.execute(
            &clerk,
            Request::Accept {
                draft: None,
                form: form("provider", &iin_for(i), "Айгүл", true),
                opened_at: None,
            },
        )
    };
    case_of(accept(1).unwrap());

    // The outage: this database refuses connections and its sessions are cut, as when its
    // server goes down (the other tests' databases on the cluster carry on).
    let mut admin = postgres::Client::connect(&cluster, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';"
        ))
        .unwrap();
    assert_eq!(
        store_notice(&notices, Duration::from_secs(5)),
        Some(false),
        "no notice that the database is gone"
    );
    assert!(!service.store_reachable());
    assert_eq!(
        store_notice(&screen_notices, Duration::from_secs(2)),
        Some(false),
        "the screen was not told"
    );
    // A screen that connects now is told at once.
    let late = service.subscribe();
    assert_eq!(
        late.try_recv().ok(),
        Some(Notice::Store { reachable: false })
    );
    let (_late_screen, late_screen_notices, _) =
        frontdesk::protocol::client::Remote::connect(&socket).unwrap();
    assert_eq!(
        store_notice(&late_screen_notices, Duration::from_secs(2)),
        Some(false),
        "a screen connecting during the outage was not told"
    );
    // A write is refused, saying plainly that nothing was saved; over the socket too (both at
    // once: each waits for the database a while first).
    let (refused, refused_on_screen) = std::thread::scope(|scope| {
        let on_screen = scope.spawn(|| {
            screen.execute(Request::Accept {
                draft: None,
                form: form("provider", &iin_for(4), "Айгүл", true),
                opened_at: None,
            })
        });
        (
            accept(2).unwrap_err(),
            on_screen.join().unwrap().unwrap_err(),
        )
    });
    assert!(
        refused_on_screen
            .text
            .starts_with("not saved: the database is unreachable")
            && refused_on_screen.kind
                == frontdesk::service::FailureKind::Store(
                    frontdesk::service::StoreFailure::Unreachable
                ),
        "{refused_on_screen:?}"
    );
    assert!(
        matches!(
            refused,
            frontdesk::service::ServiceError::Store(
                frontdesk::store::StoreError::NotSavedUnreachable(_)
            )
        ),
        "{refused:?}"
    );
    assert!(
        refused
            .to_string()
            .starts_with("not saved: the database is unreachable"),
        "{refused}"
    );

    admin
        .batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .unwrap();
    assert_eq!(
        store_notice(&notices, Duration::from_secs(5)),
        Some(true),
        "no notice that the database is back"
    );
    assert_eq!(store_notice(&late, Duration::from_secs(1)), Some(true));
    assert_eq!(
        store_notice(&screen_notices, Duration::from_secs(1)),
        Some(true)
    );
    // Told once each way, not once per failed request.
    assert_eq!(store_notice(&notices, Duration::from_millis(300)), None);
    // The refused write left nothing behind, not even a receipt number.
    let next = case_of(accept(3).unwrap());
    assert_eq!(next.receipt_no.seq, 2);
    assert_eq!(service.store().all_cases().unwrap().len(), 2);
}

/// Runs the binary on a data directory: success and everything it printed.
fn frontdesk(data: &std::path::Path, args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("FRONTDESK_NOW", "2026-11-25T15:00:00+05:00")
        .env_remove("FRONTDESK_STORE")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn a_district_moves_onto_the_database_and_keeps_every_number() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let accept_some = |from: u64, count: u64| {
        let sled = service(dir.path(), clock.clone());
        let config = sled.config().clone();
        for i in from..from + count {
            let (who, channel) = if i % 3 == 0 {
                ("operator", "state-corp")
            } else {
                ("clerk", "provider")
            };
            let case = case_of(
                sled.execute(
                    &actor(&config, who),
                    Request::Accept {
                        draft: None,
                        form: form(channel, &iin_for(i), "Айгүл Сейіт", i % 5 != 4),
                        opened_at: None,
                    },
                )
                .unwrap(),
            );
            if channel == "provider" && case.is_open() {
                act(&sled, &actor(&config, "clerk"), &case, Action::Register);
            }
        }
        sled.store().all_cases().unwrap()
    };
    accept_some(0, 12);

    let (ok, text) = frontdesk(dir.path(), &["migrate", "--to", &url]);
    assert!(ok, "{text}");
    assert!(text.contains("copied"), "{text}");
    // Run again: nothing is copied twice.
    let (ok, again) = frontdesk(dir.path(), &["migrate", "--to", &url]);
    assert!(ok, "{again}");
    assert!(again.contains("copied 0 events"), "{again}");

    // More work on the district's own store before the switch: only that is copied.
    let sled_cases = accept_some(12, 4);
    let (ok, third) = frontdesk(dir.path(), &["migrate", "--to", &url]);
    assert!(ok, "{third}");
    assert!(!third.contains("copied 0 events"), "{third}");

    let oblast = daemon(&url, &clock);
    assert_eq!(oblast.store().all_cases().unwrap(), sled_cases);
    for case in &sled_cases {
        let sled = service(dir.path(), clock.clone());
        let from_sled: Vec<_> = sled
            .store()
            .history(case.id)
            .unwrap()
            .into_iter()
            .map(|e| e.record)
            .collect();
        drop(sled);
        let from_pg: Vec<_> = oblast
            .store()
            .history(case.id)
            .unwrap()
            .into_iter()
            .map(|e| e.record)
            .collect();
        assert_eq!(from_pg, from_sled, "case {}", case.id);
    }
    // Numbering goes on where the district left off.
    let last_alm = sled_cases
        .iter()
        .filter(|c| c.office == "ALM01")
        .map(|c| c.receipt_no.seq)
        .max()
        .unwrap();
    let next = case_of(
        oblast
            .execute(
                &actor(oblast.config(), "clerk"),
                Request::Accept {
                    draft: None,
                    form: form("provider", &iin_for(99), "Бекзат", true),
                    opened_at: None,
                },
            )
            .unwrap(),
    );
    assert_eq!(next.receipt_no.seq, last_alm + 1);
    assert_eq!(next.id, sled_cases.len() as u64 + 1);
    // The database answers `audit verify` through --store.
    let (ok, audit) = frontdesk(dir.path(), &["--store", &url, "audit", "verify"]);
    assert!(ok && audit.contains("intact"), "{audit}");
}

#[test]
fn a_dashboard_follows_the_other_daemons_writes() {
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    let clock = Clock::manual(at("2026-11-25T10:00:00+05:00"));
    let writer = daemon(&url, &clock);
    let watcher = daemon(&url, &clock);
    let notices = watcher.subscribe();
    let config = writer.config().clone();
    let supervisor = actor(&config, "supervisor");
    // The watcher's totals are built before the other daemon writes anything.
    let before = watcher.dashboard(&supervisor).unwrap();
    assert_eq!(before.accepted_today, 0);
    let mut last = None;
    for i in 0..3 {
        let case = case_of(
            writer
                .execute(
                    &actor(&config, "clerk"),
                    Request::Accept {
                        draft: None,
                        form: form("provider", &iin_for(i), "Айгүл", true),
                        opened_at: None,
                    },
                )
                .unwrap(),
        );
        last = Some(case);
    }
    let registered = act(
        &writer,
        &actor(&config, "clerk"),
        &last.unwrap(),
        Action::Register,
    );
    notice_of(&notices, &registered, Some("P2"));
    // Kept up to date by the other daemon's events, it equals totals built afresh.
    let followed = watcher.dashboard(&supervisor).unwrap();
    let fresh = daemon(&url, &clock).dashboard(&supervisor).unwrap();
    assert_eq!(followed.accepted_today, 3);
    assert_eq!(followed, fresh);
}

#[test]
fn a_draft_kept_by_schema_version_1_moves_into_its_tickets_slot() {
    use frontdesk::store::CaseStore;
    let Some(cluster) = pg::cluster_url() else {
        return;
    };
    let url = pg::fresh_database(&cluster);
    // A database as version 1 left it: one draft per clerk.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "CREATE TABLE schema_version (
                 version     integer PRIMARY KEY,
                 description text NOT NULL,
                 applied_at  timestamptz NOT NULL DEFAULT now()
             )",
        )
        .unwrap();
    let (version, description, sql) = schema::MIGRATIONS[0];
    assert_eq!(version, 1);
    client.batch_execute(sql).unwrap();
    client
        .execute(
            "INSERT INTO schema_version (version, description) VALUES ($1, $2)",
            &[&version, &description],
        )
        .unwrap();
    let old = frontdesk::domain::intake::Draft {
        form: form("provider", "791028302728", "Гүлмира", false),
        opened_at: at("2026-11-25T09:50:00+05:00"),
        ticket: Some("A7".into()),
        arrived_at: None,
    };
    client
        .execute(
            "INSERT INTO drafts (staff_id, draft) VALUES ('clerk', $1)",
            &[&serde_json::to_string(&old).unwrap()],
        )
        .unwrap();
    let regulation = site(std::path::Path::new("/nonexistent")).regulation;
    let store = PgStore::open(&url, &regulation).unwrap();
    assert_eq!(store.load_drafts("clerk").unwrap(), vec![old.clone()]);
    let other = frontdesk::domain::intake::Draft {
        ticket: Some("A8".into()),
        ..old.clone()
    };
    store.save_draft("clerk", &other).unwrap();
    store.drop_draft("clerk", "A7").unwrap();
    assert_eq!(store.load_drafts("clerk").unwrap(), vec![other]);
}

#[test]
fn a_training_directory_never_writes_into_a_database_of_live_cases() {
    let Some(cluster) = common::pg::cluster_url() else {
        return;
    };
    let url = common::pg::fresh_database(&cluster);
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| common::run_cli(dir.path(), &[&["--as", "clerk"], args].concat());
    assert!(run(&["init", "--training"]).ok);
    let accept = [
        "case",
        "accept",
        "--measure",
        "lifting-allowance",
        "--iin",
        "791028302728",
        "--name",
        "Әсел",
        "--docs=all",
    ];
    let backdated = run(&[
        &[
            "--store",
            url.as_str(),
            "--now",
            "2026-01-05T10:00:00+05:00",
        ][..],
        &accept[..],
    ]
    .concat());
    assert!(
        !backdated.ok && backdated.all().contains("PostgreSQL database"),
        "{}",
        backdated.all()
    );
    let listed = run(&["--store", url.as_str(), "case", "list"]);
    assert!(
        listed.ok && listed.all().contains("0 case"),
        "{}",
        listed.all()
    );
    // Nor is a training directory's journal moved into a database.
    assert!(run(&accept).ok);
    let moved = run(&["migrate", "--to", url.as_str()]);
    assert!(
        !moved.ok && moved.all().contains("training directory"),
        "{}",
        moved.all()
    );
}
