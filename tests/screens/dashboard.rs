//! The supervisor's dashboard: its numbers against a direct count of the fixture, the totals
//! kept by events against a rebuild, and snapshots at 80×24 and 200×50.

use crate::common;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Duration;
use common::*;
use frontdesk::countdown::{case_countdown, Urgency};
use frontdesk::domain::lifecycle::CaseCommand;
use frontdesk::domain::regulation::Action;
use frontdesk::domain::Lang;
use frontdesk::service::dashboard::DashboardView;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Request, Response, Service};
use frontdesk::tui::core::{Context, Embedded};
use frontdesk::tui::keymap::{Chord, Keymap};
use frontdesk::tui::runtime::run_effects;
use frontdesk::tui::state::{Msg, State};
use frontdesk::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// A known mix: cases at P1 (some overdue), P2, P3 (assigned), one completed, one refused, two
/// waiting in the queue, at 16:00 on a Wednesday.
fn fixture() -> (Arc<Service>, Clock) {
    let clock = Clock::manual(at("2026-11-25T09:00:00+05:00"));
    let service = Arc::new(memory_service(clock.clone()));
    let config = service.config().clone();
    let (clerk, head, executor) = (
        actor(&config, "clerk"),
        actor(&config, "head"),
        actor(&config, "executor"),
    );
    let act = |who: &frontdesk::domain::case::Actor, id: u64, command: CaseCommand| {
        service
            .execute(
                who,
                Request::Act {
                    case: id.to_string(),
                    command,
                },
            )
            .unwrap();
    };
    let step = |action| CaseCommand::Act {
        action,
        executor: None,
    };
    for n in 0..12u64 {
        clock.set(at("2026-11-25T09:00:00+05:00") + Duration::minutes(25 * n as i64));
        let all = n != 11;
        service
            .execute(
                &clerk,
                Request::Accept {
                    draft: None,
                    form: form("provider", &iin_for(n), &format!("Өтініш {n}"), all),
                    opened_at: None,
                },
            )
            .unwrap();
    }
    clock.set(at("2026-11-25T14:40:00+05:00"));
    for id in [1, 2, 3, 4, 5, 6] {
        act(&clerk, id, step(Action::Register));
    }
    for id in [1, 2, 3] {
        act(
            &head,
            id,
            CaseCommand::Act {
                action: Action::AssignExecutor,
                executor: Some("executor".into()),
            },
        );
    }
    act(
        &executor,
        1,
        CaseCommand::RecordResult {
            kind: "agreement".into(),
            ground: None,
        },
    );
    act(&executor, 1, step(Action::SubmitForSignature));
    act(&head, 1, step(Action::Sign));
    act(&clerk, 1, step(Action::Issue));
    for _ in 0..2 {
        service
            .execute(
                &clerk,
                Request::RegisterArrival {
                    ticket: None,
                    channel: "provider".into(),
                    measure: "lifting-allowance".into(),
                },
            )
            .unwrap();
    }
    clock.set(at("2026-11-25T16:00:00+05:00"));
    (service, clock)
}

fn view_of(service: &Service, who: &str) -> DashboardView {
    match service
        .execute(&actor(service.config(), who), Request::Dashboard)
        .unwrap()
    {
        Response::Dashboard(view) => *view,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_numbers_match_a_direct_count() {
    let (service, _) = fixture();
    let view = view_of(&service, "supervisor");
    // Count directly from the cases.
    let Response::Cases(all) = service
        .execute(
            &actor(service.config(), "supervisor"),
            Request::List(frontdesk::domain::query::CaseQuery {
                limit: frontdesk::service::validate::MAX_PAGE,
                ..Default::default()
            }),
        )
        .unwrap()
    else {
        panic!()
    };
    let now = service.now();
    let mut direct: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for case in all.iter().filter(|c| c.is_open()) {
        let urgency = case_countdown(service.regulation(), case, now)
            .unwrap()
            .urgency;
        let key = match urgency {
            Urgency::OnTrack => "on_track",
            Urgency::DueSoon => "due_soon",
            Urgency::Overdue => "overdue",
            Urgency::Paused => "paused",
        };
        *direct
            .entry((case.current_step().unwrap().step_id.clone(), key))
            .or_default() += 1;
    }
    let mut shown: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for row in &view.steps {
        for (key, bucket) in [
            ("on_track", &row.on_track),
            ("due_soon", &row.due_soon),
            ("overdue", &row.overdue),
            ("paused", &row.paused),
        ] {
            if bucket.count() > 0 {
                shown.insert((row.step_id.clone(), key), bucket.count());
            }
        }
    }
    assert_eq!(shown, direct);
    // 12 packages today, one refused; case 1 completed: 10 open.
    assert_eq!(view.accepted_today, 12);
    assert_eq!(direct.values().sum::<usize>(), 10);
    assert_eq!(view.queue.waiting, 2);
    let executor = view.people.iter().find(|p| p.owner == "executor").unwrap();
    assert_eq!(executor.open.count(), 2);
    // P1 registered at 14:40 for cases opened before 14:10 is late; the first P1 of case 1 too.
    let p1 = view
        .within_by_step
        .iter()
        .find(|(s, _)| s == "P1")
        .unwrap()
        .1;
    let late = all
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| s.step_id == "P1" && s.finished_at.is_some_and(|f| f > s.deadline))
        .count() as u32;
    assert_eq!(p1.finished - p1.within, late);
}

#[test]
fn totals_kept_by_events_equal_a_rebuild() {
    let (service, clock) = fixture();
    let before = view_of(&service, "supervisor");
    // More events after the totals exist.
    let clerk = actor(service.config(), "clerk");
    let head = actor(service.config(), "head");
    clock.set(at("2026-11-25T16:10:00+05:00"));
    service
        .execute(
            &clerk,
            Request::Act {
                case: "7".into(),
                command: CaseCommand::Act {
                    action: Action::Register,
                    executor: None,
                },
            },
        )
        .unwrap();
    service
        .execute(
            &head,
            Request::Act {
                case: "4".into(),
                command: CaseCommand::Act {
                    action: Action::AssignExecutor,
                    executor: Some("executor".into()),
                },
            },
        )
        .unwrap();
    service
        .execute(
            &clerk,
            Request::VoidReceipt {
                case: "8".into(),
                reason: "typo".into(),
            },
        )
        .unwrap();
    let incremental = view_of(&service, "supervisor");
    assert_ne!(before, incremental);
    let rebuilt = service.rebuild_aggregates().unwrap();
    let channel = "provider";
    let direct = rebuilt.view(
        service.regulation(),
        channel,
        incremental.queue.clone(),
        service.now(),
    );
    assert_eq!(incremental, direct);
}

fn screen(service: Arc<Service>, lang: Lang, width: u16, height: u16, keys: &[&str]) -> String {
    let config = service.config().clone();
    let me = config.staff_member("supervisor").unwrap().clone();
    let context = Context {
        regulation: service.regulation_arc(),
        office: config.office(&me.office).unwrap().clone(),
        me: me.clone(),
        staff: config.staff.clone(),
    };
    let now = service.now();
    let core = Embedded {
        service,
        actor: me.actor(),
    };
    let mut state = State::new(
        context,
        Keymap::load("default", None).unwrap(),
        lang,
        Theme {
            high_contrast: false,
            ascii: false,
        },
        now,
    );
    let effects = state.update(Msg::Start);
    run_effects(&mut state, &core, effects);
    for key in keys {
        let effects = state.update(Msg::Key(Chord::parse(key).unwrap()));
        run_effects(&mut state, &core, effects);
    }
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frontdesk::tui::view::view(&state, frame))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
                + "\n"
        })
        .collect()
}

#[test]
fn dashboard_at_80x24_and_200x50() {
    let (service, _) = fixture();
    for lang in [Lang::Kk, Lang::En] {
        insta::assert_snapshot!(
            format!("dashboard_80x24_{}", lang.code()),
            screen(service.clone(), lang, 80, 24, &[])
        );
    }
    insta::assert_snapshot!(
        "dashboard_200x50_en",
        screen(service.clone(), Lang::En, 200, 50, &[])
    );
}

#[test]
fn enter_on_a_number_opens_the_cases_behind_it() {
    let (service, _) = fixture();
    let view = view_of(&service, "supervisor");
    // The first cell is P1 on track; find the first non-empty cell and move there.
    let cells = frontdesk::tui::state::dashboard_cells(&view);
    let (index, (_, bucket)) = cells
        .iter()
        .enumerate()
        .find(|(_, (_, b))| b.count() > 0)
        .unwrap();
    // Arrows move as the figures are drawn: down a row, right along it.
    let rows = frontdesk::tui::state::dashboard_rows(&view);
    let (mut row, mut first) = (0, 0);
    while index >= first + rows[row] {
        first += rows[row];
        row += 1;
    }
    let keys: Vec<&str> = std::iter::repeat_n("down", row)
        .chain(std::iter::repeat_n("right", index - first))
        .chain(["enter"])
        .collect();
    let shown = screen(service.clone(), Lang::En, 80, 24, &keys);
    for id in &bucket.cases {
        assert!(
            // The drill-down lists case, step, owner and deadline.
            shown.contains(&format!(" {id:<5} P")),
            "{id} missing:\n{shown}"
        );
    }
}
