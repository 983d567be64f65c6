//! Every screen at 80×24 in Kazakh and English, on a fixed clock, as snapshots. The countdowns,
//! the receipt and the lists come from a real core on a temporary data directory.

mod common;

use std::sync::Arc;

use common::*;
use frontdesk::domain::Lang;
use frontdesk::service::{Clock, Request};
use frontdesk::tui::core::{Context, Core, Embedded};
use frontdesk::tui::keymap::{Chord, Keymap};
use frontdesk::tui::runtime::run_effects;
use frontdesk::tui::state::{Msg, State};
use frontdesk::tui::theme::Theme;
use frontdesk::tui::view::view;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

struct Bench {
    core: Embedded,
    state: State,
}

fn bench(staff: &str, lang: Lang) -> Bench {
    let now = at("2026-11-25T10:15:00+05:00");
    let service = Arc::new(memory_service(Clock::Fixed(now)));
    let config = service.config().clone();
    // A morning's work: two accepted cases, one refusal, one case with the head, two waiting.
    let clerk = actor(&config, "clerk");
    let opened = Some(at("2026-11-25T09:40:00+05:00"));
    for (iin, name, all) in [
        ("791028302728", "Әсел Нұрланқызы Серікбаева", true),
        ("061211600012", "Данияр Құрманов", true),
        ("800101300011", "Мария Петрова", false),
    ] {
        let iin = if frontdesk::domain::iin::Iin::parse(iin).is_ok() {
            iin.to_string()
        } else {
            frontdesk::service::fixture::iin_for(7)
        };
        service
            .execute(
                &clerk,
                Request::Accept {
                    form: form("provider", &iin, name, all),
                    opened_at: opened,
                },
            )
            .unwrap();
    }
    service
        .execute(
            &clerk,
            Request::Act {
                case: "2".into(),
                command: frontdesk::domain::lifecycle::CaseCommand::Act {
                    action: frontdesk::domain::regulation::Action::Register,
                    executor: None,
                },
            },
        )
        .unwrap();
    for measure in ["lifting-allowance", "housing-credit"] {
        service
            .execute(
                &clerk,
                Request::RegisterArrival {
                    ticket: None,
                    channel: "provider".into(),
                    measure: measure.into(),
                },
            )
            .unwrap();
    }
    let me = config.staff_member(staff).unwrap().clone();
    let context = Context {
        regulation: service.regulation_arc(),
        office: config.office(&me.office).unwrap().clone(),
        me: me.clone(),
        staff: config.staff.clone(),
    };
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
    Bench { core, state }
}

impl Bench {
    fn keys(&mut self, keys: &[&str]) {
        for key in keys {
            let effects = self.state.update(Msg::Key(Chord::parse(key).unwrap()));
            run_effects(&mut self.state, &self.core, effects);
        }
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let key = if c == ' ' {
                "space".to_string()
            } else {
                c.to_string()
            };
            self.keys(&[&key]);
        }
    }

    fn screen(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| view(&self.state, frame)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..height {
            let mut line = String::new();
            for x in 0..width {
                line.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

fn each_language(staff: &str, name: &str, steps: impl Fn(&mut Bench)) {
    for lang in [Lang::Kk, Lang::En] {
        let mut bench = bench(staff, lang);
        steps(&mut bench);
        insta::assert_snapshot!(format!("{name}_{}", lang.code()), bench.screen(80, 24));
    }
}

#[test]
fn queue_screen() {
    each_language("clerk", "queue", |_| {});
}

#[test]
fn intake_screen_half_typed() {
    each_language("clerk", "intake", |b| {
        b.keys(&["f6"]);
        b.type_text("791028302729");
        b.keys(&["tab"]);
        b.type_text("Ғалым Әбілұлы");
        b.keys(&["tab", "tab", "space", "space"]);
        for _ in 0..6 {
            b.keys(&["tab"]);
        }
        b.keys(&["space", "tab", "space"]);
    });
}

#[test]
fn cases_list_screen() {
    each_language("clerk", "cases", |b| b.keys(&["f4"]));
}

#[test]
fn case_detail_screen_with_explanation() {
    each_language("head", "detail", |b| b.keys(&["enter", "e"]));
}

#[test]
fn receipt_screen() {
    each_language("clerk", "receipt", |b| {
        b.keys(&["f4", "down", "enter", "f5"])
    });
}

#[test]
fn help_overlay() {
    each_language("clerk", "help", |b| b.keys(&["f1"]));
}

#[test]
fn dialog_and_refusal_confirmation() {
    each_language("clerk", "refusal_confirm", |b| {
        b.keys(&["f6"]);
        b.type_text("791028302728");
        b.keys(&["tab"]);
        b.type_text("Айгүл");
        b.keys(&["f8"]);
    });
}

#[test]
fn too_small_and_odd_sizes_never_panic() {
    let bench = bench("clerk", Lang::Kk);
    insta::assert_snapshot!("too_small", bench.screen(20, 6));
    for (w, h) in [(1, 1), (10, 3), (59, 30), (60, 16), (200, 50), (81, 25)] {
        bench.screen(w, h);
    }
}

#[test]
fn a_wide_terminal_shows_more() {
    let bench = bench("supervisor", Lang::Ru);
    let screen = bench.screen(120, 40);
    assert!(screen.contains("Мои сроки"));
}

#[test]
fn the_head_assigns_an_executor_and_the_pane_updates() {
    let mut bench = bench("head", Lang::En);
    assert!(bench.screen(80, 24).contains("P2"));
    bench.keys(&["enter", "1"]);
    assert!(bench.screen(80, 24).contains("Daniyar") || bench.screen(80, 24).contains("Данияр"));
    bench.keys(&["enter"]);
    let screen = bench.screen(80, 24);
    assert!(screen.contains("Done"), "{screen}");
    let case = bench
        .core
        .execute(Request::GetCase { case: "2".into() })
        .unwrap();
    let frontdesk::service::Response::Case(case) = case else {
        panic!()
    };
    assert_eq!(case.current_step().unwrap().step_id, "P3");
    assert_eq!(
        case.current_step().unwrap().assignee.as_deref(),
        Some("executor")
    );
}

#[test]
fn the_step_filter_lists_the_cases_at_one_step() {
    let mut bench = bench("supervisor", Lang::En);
    bench.keys(&["f4", "tab", "tab", "tab"]);
    let screen = bench.screen(80, 24);
    assert!(screen.contains("[Step P1]"), "{screen}");
    assert!(
        screen.contains("ALM01-2026-000001") && !screen.contains("ALM01-2026-000002"),
        "{screen}"
    );
    bench.keys(&["tab"]);
    let screen = bench.screen(80, 24);
    assert!(
        screen.contains("[Step P2]") && screen.contains("ALM01-2026-000002"),
        "{screen}"
    );
}

#[test]
fn a_case_becoming_due_soon_or_overdue_alerts_its_owner_in_working_hours_only() {
    let mut bench = bench("clerk", Lang::En);
    // Case 1 waits at P1 until 10:10 (opened 09:40, 30 working minutes).
    bench.state.message = None;
    bench
        .state
        .update(Msg::Tick(at("2026-11-25T10:00:00+05:00")));
    assert_eq!(bench.state.message, None, "on track: no alert");
    bench
        .state
        .update(Msg::Tick(at("2026-11-25T10:03:00+05:00")));
    let alert = bench.state.message.take().expect("due soon alerts").1;
    assert!(alert.contains("#1 P1: due soon"), "{alert}");
    bench
        .state
        .update(Msg::Tick(at("2026-11-25T10:05:00+05:00")));
    assert_eq!(
        bench.state.message, None,
        "no second alert for the same state"
    );
    bench
        .state
        .update(Msg::Tick(at("2026-11-25T10:11:00+05:00")));
    assert!(bench
        .state
        .message
        .take()
        .unwrap()
        .1
        .contains("#1 P1: overdue"));
    // Overnight nothing alerts: a new state reached outside working hours stays quiet.
    bench
        .state
        .update(Msg::Tick(at("2026-11-25T09:50:00+05:00")));
    bench.state.message = None;
    bench
        .state
        .update(Msg::Tick(at("2026-11-25T22:00:00+05:00")));
    assert_eq!(bench.state.message, None, "alerted outside working hours");
}
