//! Random requests, as a hand-built frame could carry them, through the core: it never panics,
//! and every answer fits in one frame.

use crate::common;

use chrono::{DateTime, Utc};
use frontdesk::domain::case::CaseId;
use frontdesk::domain::intake::{Draft, IntakeForm};
use frontdesk::domain::lifecycle::CaseCommand;
use frontdesk::domain::query::{CaseQuery, OwnerKey};
use frontdesk::domain::regulation::Action;
use frontdesk::protocol::{encode_frame, ServerMessage};
use frontdesk::service::{Clock, Request, Service};
use frontdesk::store::MemoryStore;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1".to_string()),
        Just("ALM01-2026-000001".to_string()),
        Just("791028302728".to_string()),
        Just("provider".to_string()),
        Just("lifting-allowance".to_string()),
        "\\PC{0,24}",
        any::<String>(),
        (0usize..200_000).prop_map(|n| "9".repeat(n)),
    ]
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        (-300i64..300)
            .prop_map(|minutes| common::at("2026-11-25T10:00:00+05:00")
                + chrono::Duration::minutes(minutes)),
        (-8_000_000_000_000i64..8_000_000_000_000)
            .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default()),
    ]
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![0usize..2000, any::<usize>(), Just(1usize << 40)]
}

fn form() -> impl Strategy<Value = IntakeForm> {
    (
        text(),
        prop::collection::vec(text(), 0..3),
        text(),
        text(),
        text(),
        prop::collection::vec(text(), 0..8),
    )
        .prop_map(|(channel, measures, iin, name, phone, documents)| {
            let mut form = common::form("provider", "791028302728", "Әсел", true);
            if channel.len() % 2 == 0 {
                form.channel = channel;
                form.measures = measures;
                form.iin = iin;
                form.name = name;
                form.phone = phone;
                form.documents = documents;
            }
            form
        })
}

fn query() -> impl Strategy<Value = CaseQuery> {
    (
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(instant()),
        prop::option::of(text()),
        prop::option::of(prop::collection::vec(any::<CaseId>(), 0..2000)),
        size(),
    )
        .prop_map(|(step, owner, due_before, search, ids, limit)| CaseQuery {
            step,
            owner: owner.map(|o| OwnerKey::parse(&o)),
            due_before,
            search,
            opened_from: None,
            opened_to: None,
            ids,
            limit,
        })
}

fn command() -> impl Strategy<Value = CaseCommand> {
    prop_oneof![
        (0usize..4, prop::option::of(text())).prop_map(|(n, executor)| CaseCommand::Act {
            action: [
                Action::Register,
                Action::AssignExecutor,
                Action::Sign,
                Action::Issue
            ][n],
            executor,
        }),
        text().prop_map(|reason| CaseCommand::ReturnForRework { reason }),
        (text(), prop::option::of(text()))
            .prop_map(|(kind, ground)| CaseCommand::RecordResult { kind, ground }),
    ]
}

fn request() -> impl Strategy<Value = Request> {
    prop_oneof![
        (
            form(),
            prop::option::of(instant()),
            prop::option::of(text())
        )
            .prop_map(|(form, opened_at, draft)| Request::Accept {
                form,
                opened_at,
                draft
            }),
        (text(), command()).prop_map(|(case, command)| Request::Act { case, command }),
        text().prop_map(|case| Request::PrintReceipt { case }),
        (text(), text()).prop_map(|(case, reason)| Request::VoidReceipt { case, reason }),
        text().prop_map(|case| Request::GetCase { case }),
        text().prop_map(|case| Request::History { case }),
        (text(), size()).prop_map(|(case, width)| Request::ReceiptText { case, width }),
        query().prop_map(Request::List),
        (query(), any::<CaseId>(), size()).prop_map(|(query, after, limit)| Request::Page {
            query,
            after,
            limit
        }),
        (prop::option::of(text()), text(), text()).prop_map(|(ticket, channel, measure)| {
            Request::RegisterArrival {
                ticket,
                channel,
                measure,
            }
        }),
        Just(Request::CallNext),
        Just(Request::Queue),
        (
            form(),
            instant(),
            prop::option::of(text()),
            prop::option::of(instant())
        )
            .prop_map(|(form, opened_at, ticket, arrived_at)| {
                Request::SaveDraft(Draft {
                    form,
                    opened_at,
                    ticket,
                    arrived_at,
                })
            }),
        text().prop_map(|slot| Request::DropDraft { slot }),
        Just(Request::LoadDrafts),
        Just(Request::Dashboard),
        (
            prop::option::of(instant()),
            prop::option::of(instant()),
            prop::option::of(text())
        )
            .prop_map(|(from, to, office)| Request::Report { from, to, office }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn no_request_panics_the_core_or_makes_an_answer_too_large(
        requests in prop::collection::vec((0usize..6, request()), 1..12)
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            frontdesk::config::EXAMPLE_CONFIG_TOML
                .replace("print_command = \"lp -d receipts\"", "print_command = \"cat >/dev/null\""),
        )
        .unwrap();
        let site = common::site(dir.path());
        let store = MemoryStore::new(&site.regulation);
        let service = Service::new(
            Box::new(store),
            site,
            Clock::Fixed(common::at("2026-11-25T10:00:00+05:00")),
        );
        let staff: Vec<_> = service.config().staff.iter().map(|s| s.actor()).collect();
        // Cases to aim at: references "1" and "2" find them.
        for n in 0..2 {
            let iin = frontdesk::service::fixture::iin_for(n);
            let form = common::form("provider", &iin, "Әсел", true);
            service
                .execute(&common::actor(service.config(), "clerk"), Request::Accept { form, opened_at: None, draft: None })
                .unwrap();
        }
        for (who, request) in requests {
            let actor = &staff[who % staff.len()];
            let result = service.execute(actor, request);
            let answer = ServerMessage::Response {
                id: 1,
                result: result.map(Box::new).map_err(frontdesk::service::Failure::from),
            };
            prop_assert!(encode_frame(&answer).is_ok(), "an answer larger than a frame");
        }
    }
}

#[test]
fn pages_walk_every_matching_case_once_in_number_order() {
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path());
    let store = MemoryStore::new(&site.regulation);
    let service = Service::new(
        Box::new(store),
        site,
        Clock::Fixed(common::at("2026-11-25T10:00:00+05:00")),
    );
    let clerk = common::actor(service.config(), "clerk");
    for n in 0..2_100 {
        let form = common::form(
            "provider",
            &frontdesk::service::fixture::iin_for(n),
            "Әсел",
            n % 3 != 0,
        );
        service
            .execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form,
                    opened_at: None,
                },
            )
            .unwrap();
    }
    let walk = |query: CaseQuery, limit: usize| {
        let mut seen = Vec::new();
        let mut after = 0;
        loop {
            let frontdesk::service::Response::Page { cases, next } = service
                .execute(
                    &clerk,
                    Request::Page {
                        query: query.clone(),
                        after,
                        limit,
                    },
                )
                .unwrap()
            else {
                panic!()
            };
            assert!(cases.len() <= limit);
            seen.extend(cases.iter().map(|c| c.id));
            match next {
                Some(next) => after = next,
                None => return seen,
            }
        }
    };
    let all = walk(CaseQuery::default(), 500);
    assert_eq!(all, (1..=2_100).collect::<Vec<_>>());
    // A filter: the cases waiting for registration (those accepted with every document).
    let open = walk(
        CaseQuery {
            step: Some("P1".into()),
            ..CaseQuery::default()
        },
        333,
    );
    assert_eq!(open.len(), 1_400);
    assert!(open.windows(2).all(|w| w[0] < w[1]));
    // Asking for everything in one list is refused with what to do instead.
    let error = service
        .execute(&clerk, Request::List(CaseQuery::default()))
        .unwrap_err()
        .to_string();
    assert!(error.contains("page"), "{error}");
}

#[test]
fn the_walk_in_queue_refuses_bad_and_duplicate_tickets_and_retires_yesterday() {
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path());
    let store = MemoryStore::new(&site.regulation);
    // 23:50 local time (UTC+5).
    let clock = Clock::manual(common::at("2026-11-25T23:50:00+05:00"));
    let service = Service::new(Box::new(store), site, clock.clone());
    let clerk = common::actor(service.config(), "clerk");
    let arrive = |ticket: &str| {
        service.execute(
            &clerk,
            Request::RegisterArrival {
                ticket: Some(ticket.into()),
                channel: "provider".into(),
                measure: "housing-credit".into(),
            },
        )
    };
    arrive("B12").unwrap();
    let duplicate = arrive("b12").unwrap_err().to_string();
    assert!(
        duplicate.contains("already in today's queue"),
        "{duplicate}"
    );
    let bad = arrive("=cmd|'/C calc'!A0").unwrap_err().to_string();
    assert!(bad.contains("not a ticket number"), "{bad}");
    let queue = |service: &Service| {
        let frontdesk::service::Response::Queue(tickets) =
            service.execute(&clerk, Request::Queue).unwrap()
        else {
            panic!()
        };
        tickets
    };
    assert_eq!(queue(&service).len(), 1);
    // Twenty minutes later it is tomorrow at the office: yesterday's ticket is gone and its
    // number free again.
    clock.set(common::at("2026-11-26T00:10:00+05:00"));
    assert!(queue(&service).is_empty());
    arrive("B12").unwrap();
}

/// An IIN whose check digit agrees but whose birth date is still to come is a typo: refused.
#[test]
fn an_iin_born_in_the_future_is_refused() {
    let service = common::memory_service(Clock::Fixed(common::at("2026-11-25T10:00:00+05:00")));
    let clerk = common::actor(service.config(), "clerk");
    for iin in ["991231500006", "300101500004"] {
        let refused = service.execute(
            &clerk,
            Request::Accept {
                draft: None,
                form: common::form("provider", iin, "Болашақ", true),
                opened_at: None,
            },
        );
        assert!(
            matches!(&refused, Err(frontdesk::service::ServiceError::Invalid(p))
                if p[0].field == "iin" && p[0].message.contains("future")),
            "{iin}: {refused:?}"
        );
    }
    // A birth date in the past is accepted as before.
    let born_1979 = service.execute(
        &clerk,
        Request::Accept {
            draft: None,
            form: common::form("provider", "791028302728", "Әсел", true),
            opened_at: None,
        },
    );
    assert!(born_1979.is_ok(), "{born_1979:?}");
}
