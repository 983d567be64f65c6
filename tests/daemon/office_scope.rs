//! Each role sees the offices it serves, enforced by the core: the State Corporation operator its
//! own office's cases; the provider's staff their office's cases and the State Corporation's
//! once handed over to them; a supervisor the offices its configuration names.

use crate::common;

use frontdesk::domain::case::{Actor, Case};
use frontdesk::domain::lifecycle::CaseCommand;
use frontdesk::domain::query::CaseQuery;
use frontdesk::domain::regulation::Action;
use frontdesk::service::{Clock, Request, Response, Service, ServiceError};
use frontdesk::store::MemoryStore;

fn service(supervisor_offices: Option<&str>) -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = frontdesk::config::EXAMPLE_CONFIG_TOML.to_string();
    if let Some(offices) = supervisor_offices {
        config = config.replace(
            "id = \"supervisor\"\n",
            &format!("id = \"supervisor\"\noffices = {offices}\n"),
        );
    }
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let site = common::site(dir.path());
    let store = MemoryStore::new(&site.regulation);
    let clock = Clock::Fixed(common::at("2026-11-25T10:00:00+05:00"));
    (dir, Service::new(Box::new(store), site, clock))
}

fn who(service: &Service, id: &str) -> Actor {
    common::actor(service.config(), id)
}

fn accept(service: &Service, actor: &Actor, channel: &str, n: u64) -> Case {
    let iin = frontdesk::service::fixture::iin_for(n);
    let Response::Case(case) = service
        .execute(
            actor,
            Request::Accept {
                draft: None,
                form: common::form(channel, &iin, "Әсел", true),
                opened_at: None,
            },
        )
        .unwrap()
    else {
        panic!()
    };
    *case
}

fn ids(service: &Service, actor: &Actor) -> (Vec<u64>, Vec<u64>) {
    let Response::Cases(listed) = service
        .execute(
            actor,
            Request::List(CaseQuery {
                limit: 100,
                ..CaseQuery::default()
            }),
        )
        .unwrap()
    else {
        panic!()
    };
    let Response::Page { cases: paged, .. } = service
        .execute(
            actor,
            Request::Page {
                query: CaseQuery::default(),
                after: 0,
                limit: 100,
            },
        )
        .unwrap()
    else {
        panic!()
    };
    let mut listed: Vec<u64> = listed.iter().map(|c| c.id).collect();
    listed.sort();
    (listed, paged.iter().map(|c| c.id).collect())
}

fn sees(service: &Service, actor: &Actor, case: &Case) -> bool {
    match service.execute(
        actor,
        Request::GetCase {
            case: case.receipt_no.to_string(),
        },
    ) {
        Ok(_) => true,
        Err(ServiceError::NotFound(_)) => false,
        Err(other) => panic!("{other}"),
    }
}

fn report_total(service: &Service, actor: &Actor, office: Option<&str>) -> Result<u64, String> {
    match service.execute(
        actor,
        Request::Report {
            from: None,
            to: None,
            office: office.map(String::from),
        },
    ) {
        Ok(Response::Report(report)) => Ok(u64::from(report.cases)),
        Ok(other) => panic!("{other:?}"),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn the_state_corporation_operator_sees_its_own_office_only() {
    let (_dir, service) = service(None);
    let (clerk, operator) = (who(&service, "clerk"), who(&service, "operator"));
    let provider_case = accept(&service, &clerk, "provider", 1);
    let corp_case = accept(&service, &operator, "state-corp", 2);
    assert!(!sees(&service, &operator, &provider_case));
    assert!(sees(&service, &operator, &corp_case));
    assert_eq!(
        ids(&service, &operator),
        (vec![corp_case.id], vec![corp_case.id])
    );
    // Nor through the receipt, the history or a report.
    for request in [
        Request::ReceiptText {
            case: provider_case.id.to_string(),
            width: 42,
        },
        Request::History {
            case: provider_case.id.to_string(),
        },
    ] {
        assert!(matches!(
            service.execute(&operator, request),
            Err(ServiceError::NotFound(_))
        ));
    }
    let refused = report_total(&service, &operator, Some("ALM01")).unwrap_err();
    assert!(refused.contains("not one you serve"), "{refused}");
    assert_eq!(report_total(&service, &operator, None), Ok(1));
    assert_eq!(report_total(&service, &operator, Some("SC01")), Ok(1));
}

#[test]
fn the_provider_sees_a_state_corporation_case_once_it_is_handed_over() {
    let (_dir, service) = service(None);
    let (clerk, operator) = (who(&service, "clerk"), who(&service, "operator"));
    let own = accept(&service, &clerk, "provider", 1);
    let corp_case = accept(&service, &operator, "state-corp", 2);
    assert!(!sees(&service, &clerk, &corp_case));
    assert_eq!(ids(&service, &clerk), (vec![own.id], vec![own.id]));
    service
        .execute(
            &operator,
            Request::Act {
                case: corp_case.id.to_string(),
                command: CaseCommand::Act {
                    action: Action::SendToProvider,
                    executor: None,
                },
            },
        )
        .unwrap();
    // Now at the provider's registration step: the clerk registers it.
    assert!(sees(&service, &clerk, &corp_case));
    service
        .execute(
            &clerk,
            Request::Act {
                case: corp_case.id.to_string(),
                command: CaseCommand::Act {
                    action: Action::Register,
                    executor: None,
                },
            },
        )
        .unwrap();
    assert_eq!(
        ids(&service, &clerk),
        (vec![own.id, corp_case.id], vec![own.id, corp_case.id])
    );
    // The operator still sees the status of what it handed over.
    assert!(sees(&service, &operator, &corp_case));
}

#[test]
fn a_supervisor_sees_the_offices_its_configuration_names() {
    let (_dir, service) = service(None);
    let (clerk, operator) = (who(&service, "clerk"), who(&service, "operator"));
    let provider_case = accept(&service, &clerk, "provider", 1);
    let corp_case = accept(&service, &operator, "state-corp", 2);
    let supervisor = who(&service, "supervisor");
    assert!(sees(&service, &supervisor, &provider_case));
    assert!(!sees(&service, &supervisor, &corp_case));
    assert_eq!(report_total(&service, &supervisor, None), Ok(1));

    let (_dir, service) = service_with_both();
    let (clerk, operator) = (who(&service, "clerk"), who(&service, "operator"));
    let provider_case = accept(&service, &clerk, "provider", 1);
    let corp_case = accept(&service, &operator, "state-corp", 2);
    let supervisor = who(&service, "supervisor");
    assert!(sees(&service, &supervisor, &provider_case));
    assert!(sees(&service, &supervisor, &corp_case));
    assert_eq!(report_total(&service, &supervisor, None), Ok(2));
    assert_eq!(report_total(&service, &supervisor, Some("SC01")), Ok(1));
}

fn service_with_both() -> (tempfile::TempDir, Service) {
    service(Some("[\"ALM01\", \"SC01\"]"))
}

#[test]
fn the_dashboard_counts_only_the_open_cases_of_the_offices_served() {
    let open_on_dashboard = |service: &Service, actor: &Actor| -> usize {
        let Response::Dashboard(view) = service.execute(actor, Request::Dashboard).unwrap() else {
            panic!()
        };
        view.steps
            .iter()
            .map(|s| s.on_track.count() + s.due_soon.count() + s.overdue.count() + s.paused.count())
            .sum()
    };
    let (_dir, service) = service(None);
    let (clerk, operator) = (who(&service, "clerk"), who(&service, "operator"));
    accept(&service, &clerk, "provider", 1);
    accept(&service, &operator, "state-corp", 2);
    assert_eq!(open_on_dashboard(&service, &who(&service, "supervisor")), 1);
    assert_eq!(open_on_dashboard(&service, &operator), 1);
    let (_dir, service) = service_with_both();
    let (clerk, operator) = (who(&service, "clerk"), who(&service, "operator"));
    accept(&service, &clerk, "provider", 1);
    accept(&service, &operator, "state-corp", 2);
    assert_eq!(open_on_dashboard(&service, &who(&service, "supervisor")), 2);
}

#[test]
fn the_day_s_acceptances_and_finished_steps_are_counted_per_office_served() {
    let dashboard = |service: &Service, actor: &Actor| {
        let Response::Dashboard(view) = service.execute(actor, Request::Dashboard).unwrap() else {
            panic!()
        };
        let finishers: Vec<String> = view
            .within_by_staff
            .iter()
            .map(|(staff, _)| staff.clone())
            .collect();
        (
            view.accepted_today,
            view.trend.iter().map(|(_, n)| n).sum::<u32>(),
            finishers,
        )
    };
    let act_on_both = |service: &Service| {
        let (clerk, operator) = (who(service, "clerk"), who(service, "operator"));
        let provider_case = accept(service, &clerk, "provider", 1);
        accept(service, &clerk, "provider", 3);
        accept(service, &operator, "state-corp", 2);
        service
            .execute(
                &clerk,
                Request::Act {
                    case: provider_case.id.to_string(),
                    command: CaseCommand::Act {
                        action: Action::Register,
                        executor: None,
                    },
                },
            )
            .unwrap();
    };
    let (_dir, service) = service(None);
    act_on_both(&service);
    assert_eq!(
        dashboard(&service, &who(&service, "supervisor")),
        (2, 2, vec!["clerk".to_string()])
    );
    // The operator's acceptance at the centre finishes its own first step.
    assert_eq!(
        dashboard(&service, &who(&service, "operator")),
        (1, 1, vec!["operator".to_string()])
    );

    let (_dir, service) = service_with_both();
    act_on_both(&service);
    assert_eq!(
        dashboard(&service, &who(&service, "supervisor")),
        (3, 3, vec!["clerk".to_string(), "operator".to_string()])
    );
}

#[test]
fn a_scoped_list_fills_its_limit_past_cases_out_of_scope() {
    let (_dir, service) = service(None);
    let (clerk, operator) = (who(&service, "clerk"), who(&service, "operator"));
    // The provider's cases come first in the list's order (earlier deadlines).
    for n in 1..=9 {
        accept(&service, &clerk, "provider", n);
    }
    let corp: Vec<u64> = (10..=12)
        .map(|n| accept(&service, &operator, "state-corp", n).id)
        .collect();
    let listed = |limit: usize| -> Vec<u64> {
        let Response::Cases(cases) = service
            .execute(
                &operator,
                Request::List(CaseQuery {
                    limit,
                    ..CaseQuery::default()
                }),
            )
            .unwrap()
        else {
            panic!()
        };
        let mut ids: Vec<u64> = cases.iter().map(|c| c.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(listed(2), corp[..2].to_vec());
    assert_eq!(listed(3), corp);
    assert_eq!(listed(50), corp);
}

#[test]
fn digits_with_leading_zeros_are_read_as_the_end_of_this_office_s_receipt_number() {
    let (_dir, service) = service_with_both();
    let (clerk, operator) = (who(&service, "clerk"), who(&service, "operator"));
    let first = accept(&service, &clerk, "provider", 1);
    let corp = accept(&service, &operator, "state-corp", 2);
    let second = accept(&service, &clerk, "provider", 3);
    assert_eq!(second.receipt_no.to_string(), "ALM01-2026-000002");
    assert_eq!(corp.id, 2);
    let get = |actor: &Actor, reference: &str| match service.execute(
        actor,
        Request::GetCase {
            case: reference.into(),
        },
    ) {
        Ok(Response::Case(case)) => Ok(case.id),
        Ok(other) => panic!("{other:?}"),
        Err(error) => Err(error.to_string()),
    };
    assert_eq!(get(&clerk, "000002"), Ok(second.id));
    assert_eq!(get(&clerk, " 01 "), Ok(first.id));
    assert_eq!(get(&operator, "000001"), Ok(corp.id));
    // Without leading zeros it is the case number, as before.
    assert_eq!(get(&operator, "2"), Ok(corp.id));
    // A receipt number of this office that does not exist falls back to the case number.
    assert_eq!(get(&clerk, "003"), Ok(second.id));
    assert!(get(&clerk, "000009").is_err());
}

#[test]
fn one_form_is_accepted_once_whichever_session_submits_it() {
    let (_dir, service) = service(None);
    let clerk = who(&service, "clerk");
    let opened_at = common::at("2026-11-25T09:50:00+05:00");
    let form = common::form(
        "provider",
        &frontdesk::service::fixture::iin_for(7),
        "Сәуле",
        true,
    );
    let accept = |form: frontdesk::domain::intake::IntakeForm| {
        service.execute(
            &clerk,
            Request::Accept {
                draft: None,
                form,
                opened_at: Some(opened_at),
            },
        )
    };
    let Ok(Response::Case(first)) = accept(form.clone()) else {
        panic!()
    };
    // The same form from a second session of the same clerk (its own copy, other request id).
    match accept(form.clone()) {
        Err(ServiceError::AlreadyAccepted { receipt_no }) => {
            assert_eq!(receipt_no, first.receipt_no.to_string())
        }
        other => panic!("{other:?}"),
    }
    // The same person with a new form (opened later) is a new case, as before.
    let Response::Case(second) = service
        .execute(
            &clerk,
            Request::Accept {
                draft: None,
                form,
                opened_at: Some(opened_at + chrono::Duration::minutes(5)),
            },
        )
        .unwrap()
    else {
        panic!()
    };
    assert_ne!(second.receipt_no, first.receipt_no);
}
