//! Every screen at 80×24 in Kazakh and English, on a fixed clock, as snapshots. The countdowns,
//! the receipt and the lists come from a real core on a temporary data directory.

use crate::common;

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

#[test]
fn calling_the_next_person_over_a_typed_form_asks_and_keeps_that_form() {
    each_language("clerk", "form_held", |b| {
        b.keys(&["f6"]);
        b.type_text("791028302728");
        b.keys(&["tab"]);
        b.type_text("Гүлмира");
        b.keys(&["f2", "f6"]);
    });
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f6"]);
    b.type_text("791028302728");
    b.keys(&["tab"]);
    b.type_text("Гүлмира");
    // The first form's window opened earlier than the next call.
    let first_opened = at("2026-11-25T09:50:00+05:00");
    b.state.intake.opened_at = Some(first_opened);
    b.keys(&["f2", "f6"]);
    let dialog = b.state.dialog.clone().expect("calling asks first");
    assert!(dialog.title.contains("Гүлмира (A001)"), "{}", dialog.title);
    // Resume: nobody is called, the same form is back.
    b.keys(&["enter"]);
    assert_eq!(b.state.intake.form.name, "Гүлмира");
    assert_eq!(b.state.intake.ticket.as_deref(), Some("A001"));
    // Call: a fresh form for the new ticket, its window from the call; the old one kept.
    b.keys(&["f2", "f6", "down", "enter"]);
    assert_eq!(b.state.intake.ticket.as_deref(), Some("A002"));
    assert_eq!(b.state.intake.form.name, "");
    assert_eq!(b.state.intake.form.iin, "");
    assert_ne!(b.state.intake.opened_at, Some(first_opened));
    assert_eq!(b.state.kept.len(), 1);
    let screen = b.screen(80, 24);
    assert!(
        screen.contains("Ticket A002") && !screen.contains("Гүлмира"),
        "{screen}"
    );
    // Enter on A001 in the queue brings Гүлмира's form back, with its own window.
    b.keys(&["f2"]);
    let row = b
        .state
        .queue
        .tickets
        .iter()
        .position(|t| t.number == "A001")
        .unwrap();
    b.state.queue.selected = row;
    b.keys(&["enter"]);
    assert_eq!(b.state.intake.form.name, "Гүлмира");
    assert_eq!(b.state.intake.opened_at, Some(first_opened));
}

#[test]
fn enter_on_a_waiting_ticket_calls_that_person() {
    let mut b = bench("clerk", Lang::En);
    b.keys(&["down", "enter"]);
    assert_eq!(b.state.intake.ticket.as_deref(), Some("A002"));
    let queue = b.core.execute(Request::Queue).unwrap();
    let frontdesk::service::Response::Queue(queue) = queue else {
        panic!()
    };
    let a002 = queue.iter().find(|t| t.number == "A002").unwrap();
    assert_eq!(a002.called_by.as_deref(), Some("clerk"));
    assert!(queue
        .iter()
        .any(|t| t.number == "A001" && t.called_at.is_none()));
}

#[test]
fn clearing_a_form_asks_and_keeps_the_ticket_and_its_running_window() {
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f6"]);
    b.type_text("791028302728");
    let opened = at("2026-11-25T09:50:00+05:00");
    b.state.intake.opened_at = Some(opened);
    b.keys(&["ctrl-x"]);
    assert!(b.state.dialog.is_some(), "clearing asks first");
    b.keys(&["down", "enter"]); // keep the form
    assert_eq!(b.state.intake.form.iin, "791028302728");
    b.keys(&["ctrl-x", "enter"]); // clear
    assert_eq!(b.state.intake.form.iin, "");
    assert_eq!(b.state.intake.ticket.as_deref(), Some("A001"));
    assert_eq!(b.state.intake.opened_at, Some(opened));
    // The kiosk map clears with F7; F12 quits everywhere.
    let kiosk = Keymap::load("kiosk", None).unwrap();
    let f12 = Chord::parse("f12").unwrap();
    for mode in [
        frontdesk::tui::keymap::Mode::Form,
        frontdesk::tui::keymap::Mode::Checklist,
        frontdesk::tui::keymap::Mode::List,
    ] {
        assert_eq!(
            kiosk.action(mode, &f12),
            Some(frontdesk::tui::keymap::Action::Quit),
            "{mode:?}"
        );
    }
}

#[test]
fn esc_returns_where_the_clerk_came_from_and_after_a_receipt_to_the_queue() {
    let mut b = bench("clerk", Lang::En);
    // A case opened earlier, then an intake from the cases list: Esc goes back to that case.
    b.keys(&["f4", "enter", "f3", "esc"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Cases);
    assert!(b.state.detail.is_some());
    // A complete intake: the receipt's Esc goes to the queue, not to the case opened before.
    b.keys(&["f2", "f6"]);
    b.type_text("791028302728");
    b.keys(&["tab"]);
    b.type_text("Әсел");
    let documents = b.state.documents().len();
    b.state.intake.form.documents = b.state.documents();
    assert_eq!(b.state.missing().len(), 0, "{documents}");
    b.keys(&["f8"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Receipt);
    b.keys(&["esc"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Queue);
}

#[test]
fn a_late_step_is_marked_late_and_the_case_shows_its_result() {
    for lang in [Lang::Kk, Lang::Ru] {
        let mut b = bench("executor", lang);
        let config = b.core.service.config().clone();
        let head = actor(&config, "head");
        let executor = actor(&config, "executor");
        let act = |who: &frontdesk::domain::case::Actor, command| {
            b.core
                .service
                .execute(
                    who,
                    Request::Act {
                        case: "2".into(),
                        command,
                    },
                )
                .unwrap();
        };
        act(
            &head,
            frontdesk::domain::lifecycle::CaseCommand::Act {
                action: frontdesk::domain::regulation::Action::AssignExecutor,
                executor: Some("executor".into()),
            },
        );
        let ground = b.core.service.regulation().file.refusal_grounds[0]
            .id
            .clone();
        act(
            &executor,
            frontdesk::domain::lifecycle::CaseCommand::RecordResult {
                kind: "refusal".into(),
                ground: Some(ground),
            },
        );
        b.keys(&["f4", "enter"]);
        let screen = b.screen(80, 24);
        // P1 was registered at 10:15, after its 10:10 deadline.
        let late = if lang == Lang::Kk {
            "кешікті"
        } else {
            "с опозданием"
        };
        assert!(screen.contains(&format!("✗ {late}")), "{screen}");
        let result = if lang == Lang::Kk {
            "Нәтиже"
        } else {
            "Результат"
        };
        assert!(screen.contains(result), "{screen}");
        insta::assert_snapshot!(format!("detail_late_result_{}", lang.code()), screen);
        // The explanation of P3's deadline crosses New Year: no English day or holiday names.
        b.keys(&["e"]);
        let screen = b.screen(120, 40);
        assert!(english_words(&screen).is_empty(), "{screen}");
    }
}

/// Latin words a Kazakh or Russian screen may show: key names, codes and commands.
const LATIN_ALLOWED: &[&str] = &[
    "F",
    "Esc",
    "Enter",
    "Tab",
    "BackTab",
    "Backspace",
    "Space",
    "Ctrl",
    "Alt",
    "Shift",
    "Up",
    "Down",
    "PageUp",
    "PageDown",
    "Home",
    "End",
    "Left",
    "Right",
    "Del",
    "Delete",
    "Insert",
    "PgUp",
    "PgDn",
    "KK",
    "RU",
    "EN",
    "e",
    "frontdesk",
    "init",
    "doctor",
    "config",
    "toml",
    "print_command",
];

/// ASCII-Latin words on `screen` that are neither allowed nor part of a code (a word with a
/// digit: receipt numbers, tickets, steps, office codes).
fn english_words(screen: &str) -> Vec<String> {
    let mut found = Vec::new();
    for token in screen.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        if token.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        for word in token.split('-') {
            let latin = word.chars().filter(|c| c.is_ascii_alphabetic()).count();
            // Short capitals are codes (an office code cut at the edge: "ALM…").
            let code = latin <= 3 && word.chars().all(|c| c.is_ascii_uppercase());
            if latin >= 2 && !code && !LATIN_ALLOWED.iter().any(|a| a.eq_ignore_ascii_case(word)) {
                found.push(word.to_string());
            }
        }
    }
    found
}

/// Longer than a name may be (200 characters).
const LONG_NAME: &str = "Ааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааа";

#[test]
fn kazakh_and_russian_screens_show_no_english() {
    type Steps = &'static [&'static str];
    // (staff, keys, text typed after the keys, keys after the text)
    let journeys: &[(&str, Steps, &str, Steps)] = &[
        ("clerk", &[], "", &[]),
        ("clerk", &["f5"], "", &[]),
        ("clerk", &["f1"], "", &[]),
        ("clerk", &["f6"], "7910283027", &["tab"]),
        ("clerk", &["f6", "tab"], "", &["tab"]),
        ("clerk", &["f6", "tab", "tab"], "+7 701 x", &["tab"]),
        ("clerk", &["f6", "tab", "tab"], "12345", &["tab"]),
        ("clerk", &["f6"], "791028302728", &["tab", "f8"]),
        ("clerk", &["f6", "tab"], "Айгүл", &["f8"]),
        ("clerk", &["f6", "tab"], "Айгүл", &["f2", "f6"]),
        ("clerk", &["f6", "tab"], "Айгүл", &["ctrl-x"]),
        ("clerk", &["f4"], "", &[]),
        ("clerk", &["f4", "/"], "Әсел", &[]),
        ("clerk", &["f4", "tab"], "", &[]),
        ("clerk", &["f4", "tab", "tab"], "", &[]),
        ("clerk", &["f4", "tab", "tab", "tab"], "", &[]),
        ("clerk", &["f4", "enter"], "", &[]),
        ("clerk", &["f4", "enter", "e"], "", &[]),
        ("clerk", &["f4", "enter", "f5"], "", &[]),
        ("clerk", &["f4", "enter", "f5", "f7"], "", &[]),
        ("clerk", &["f4", "enter", "f5", "f7"], "", &["enter"]),
        ("clerk", &["f4", "enter", "f5", "f7"], "ошибка", &["enter"]),
        ("clerk", &["f4", "down", "down", "enter", "f5"], "", &[]),
        ("clerk", &["f4", "enter", "f5", "f5"], "", &[]),
        ("clerk", &["f6", "tab"], LONG_NAME, &["f8"]),
        ("clerk", &["f6", "tab"], LONG_NAME, &["tab"]),
        ("clerk", &["f6", "tab", "tab"], "", &["f8"]),
        ("head", &[], "", &[]),
        ("head", &["enter"], "", &[]),
        ("head", &["enter", "e"], "", &[]),
        ("head", &["enter", "1"], "", &[]),
        ("head", &["enter", "1", "enter"], "", &[]),
        ("supervisor", &[], "", &[]),
        ("supervisor", &["enter"], "", &[]),
        ("supervisor", &["f4"], "", &[]),
    ];
    let mut failures = Vec::new();
    for lang in [Lang::Kk, Lang::Ru] {
        for (staff, before, text, after) in journeys {
            let mut b = bench(staff, lang);
            b.keys(before);
            b.type_text(text);
            b.keys(after);
            for (w, h) in [(80, 24), (120, 40)] {
                let screen = b.screen(w, h);
                let words = english_words(&screen);
                if !words.is_empty() {
                    failures.push(format!(
                        "{} {staff} {before:?} {text:?} {after:?} at {w}x{h}: {words:?}\n{screen}",
                        lang.code()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_field_is_checked_when_it_is_left() {
    let mut b = bench("clerk", Lang::Ru);
    b.keys(&["f6", "tab", "tab"]);
    b.type_text("12345");
    assert!(b.state.intake.problems.is_empty(), "not while typing");
    b.keys(&["tab"]);
    let screen = b.screen(80, 24);
    assert!(
        screen.contains("Телефон: 5 цифр; после +7 нужно 10 цифр"),
        "{screen}"
    );
    // An empty field is left alone until F8.
    b.keys(&["tab", "tab"]);
    assert_eq!(b.state.intake.problems.len(), 1);
}

#[test]
fn a_long_paste_is_cut_at_the_field_limit_and_keys_still_work() {
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f6", "tab"]);
    b.type_text(&"я".repeat(5000));
    b.keys(&["tab"]);
    assert_eq!(b.state.focused_field(), frontdesk::tui::state::Field::Phone);
}

#[test]
fn a_complete_package_takes_at_most_40_keys_from_the_call_to_the_printed_receipt() {
    use frontdesk::tui::keymap::{Action, Mode};
    // The applicant of the scenario: a 12-digit IIN and a two-word name (15 characters).
    let iin = "791028302728";
    let name = "Әсел Нұрланқызы";
    let mut counts = Vec::new();
    for keymap_name in ["default", "kiosk", "vim"] {
        let now = at("2026-11-25T10:15:00+05:00");
        let mut site = site(std::path::Path::new("/nonexistent/frontdesk-keys"));
        site.config.print_command = "cat > /dev/null".into();
        let store = frontdesk::store::MemoryStore::new(&site.regulation);
        let config = site.config.clone();
        let service = Arc::new(frontdesk::service::Service::new(
            Box::new(store),
            site,
            Clock::Fixed(now),
        ));
        let clerk = actor(&config, "clerk");
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
        let me = config.staff_member("clerk").unwrap().clone();
        let context = Context {
            regulation: service.regulation_arc(),
            office: config.office(&me.office).unwrap().clone(),
            me: me.clone(),
            staff: config.staff.clone(),
        };
        let keymap = Keymap::load(keymap_name, None).unwrap();
        let key = |mode, action| {
            keymap
                .key_for(mode, action)
                .unwrap_or_else(|| panic!("{keymap_name}: no key for {action:?} in {mode:?}"))
        };
        let typed = |text: &str| -> Vec<Chord> {
            text.chars()
                .map(|c| {
                    Chord::parse(&if c == ' ' {
                        "space".into()
                    } else {
                        c.to_string()
                    })
                    .unwrap()
                })
                .collect()
        };
        let mut chords = vec![key(Mode::List, Action::CallNext)];
        chords.extend(typed(iin));
        chords.push(key(Mode::Form, Action::NextField));
        chords.extend(typed(name));
        chords.push(key(Mode::Form, Action::AllDocuments));
        chords.push(key(Mode::Form, Action::SubmitAndPrint));
        let core = Embedded {
            service: service.clone(),
            actor: me.actor(),
        };
        let mut state = State::new(
            context,
            keymap.clone(),
            Lang::Kk,
            Theme {
                high_contrast: false,
                ascii: false,
            },
            now,
        );
        let effects = state.update(Msg::Start);
        run_effects(&mut state, &core, effects);
        for chord in &chords {
            let effects = state.update(Msg::Key(*chord));
            run_effects(&mut state, &core, effects);
        }
        let frontdesk::service::Response::Case(case) =
            core.execute(Request::GetCase { case: "1".into() }).unwrap()
        else {
            panic!()
        };
        assert_eq!(case.intake.applicant.name, name, "{keymap_name}");
        assert_eq!(case.receipt.printed, 1, "{keymap_name}: not printed");
        assert!(case.is_open(), "{keymap_name}: accepted, not refused");
        counts.push(format!("{keymap_name}: {} keys", chords.len()));
        assert!(chords.len() <= 40, "{keymap_name}: {} keys", chords.len());
    }
    println!(
        "keys from the call to the printed receipt: {}",
        counts.join(", ")
    );
}

#[test]
fn search_finds_a_case_by_the_last_digits_of_its_receipt_number() {
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f4", "/"]);
    b.type_text("000002");
    let screen = b.screen(80, 24);
    assert!(screen.contains("ALM01-2026-000002"), "{screen}");
    assert!(!screen.contains("ALM01-2026-000001"), "{screen}");
    b.keys(&["enter"]);
    assert_eq!(b.state.cases.list.len(), 1);
    // A receipt number typed in lower case is the same number.
    b.keys(&["/"]);
    for _ in 0..6 {
        b.keys(&["backspace"]);
    }
    b.type_text("alm01-2026-000003");
    b.keys(&["enter"]);
    assert_eq!(b.state.cases.list.len(), 1);
    assert_eq!(b.state.cases.list[0].receipt_no.seq, 3);
}

#[test]
fn help_longer_than_the_screen_scrolls_to_its_last_key() {
    let mut b = bench("clerk", Lang::En);
    b.state.keymap = Keymap::load("vim", None).unwrap();
    b.keys(&["f3", "f1"]);
    let screen = b.screen(80, 24);
    assert!(screen.contains('↓'), "{screen}");
    assert!(!screen.contains("Quit"), "{screen}");
    for _ in 0..40 {
        b.keys(&["down"]);
    }
    let screen = b.screen(80, 24);
    assert!(screen.contains("Quit") && screen.contains('↑'), "{screen}");
    b.keys(&["esc"]);
    assert!(!b.state.help);
}

#[test]
fn dashboard_arrows_move_as_drawn_and_a_drill_down_shows_owner_and_deadline() {
    let mut b = bench("supervisor", Lang::En);
    let view = b
        .state
        .dashboard
        .view
        .clone()
        .expect("the dashboard is loaded");
    let rows = frontdesk::tui::state::dashboard_rows(&view);
    // Down keeps the column: from P1's "overdue" (third figure) to P2's.
    b.keys(&["right", "right", "down"]);
    assert_eq!(b.state.dashboard.selected, rows[0] + 2);
    b.keys(&["left"]);
    assert_eq!(b.state.dashboard.selected, rows[0] + 1);
    b.keys(&["up", "left", "left"]);
    assert_eq!(b.state.dashboard.selected, 0);
    // The first figure with cases behind it.
    let cells = frontdesk::tui::state::dashboard_cells(&view);
    let index = cells.iter().position(|(_, b)| b.count() > 0).unwrap();
    let (mut row, mut first) = (0, 0);
    while index >= first + rows[row] {
        first += rows[row];
        row += 1;
    }
    for _ in 0..row {
        b.keys(&["down"]);
    }
    for _ in 0..index - first {
        b.keys(&["right"]);
    }
    b.keys(&["enter"]);
    let screen = b.screen(80, 24);
    assert!(
        screen.contains("Owner") && screen.contains("Due"),
        "{screen}"
    );
    assert!(!screen.contains("[My work]"), "{screen}");
    insta::assert_snapshot!("dashboard_drill_down_en", screen);
}

#[test]
fn receipts_fit_42_and_80_columns_with_the_longest_values() {
    use unicode_width::UnicodeWidthStr;
    let now = at("2026-11-25T10:15:00+05:00");
    let service = memory_service(Clock::Fixed(now));
    let clerk = actor(service.config(), "clerk");
    let longest = |stem: &str, chars: usize| -> String {
        let word = format!("{stem}Ққ ");
        word.repeat(chars)
            .chars()
            .take(chars)
            .collect::<String>()
            .trim()
            .to_string()
    };
    for all in [true, false] {
        let mut form = form("provider", "791028302728", &longest("Нұрланқызы", 200), all);
        form.measures = service
            .regulation()
            .file
            .measures
            .iter()
            .map(|m| m.id.clone())
            .collect();
        form.representative_name = longest("Серікбаев", 200);
        form.representative_iin = "061211600012".into();
        form.power_of_attorney = longest("№12345/2026-нотариус", 300);
        form.settlement = longest("Үшарал", 200);
        form.phone = "+7 701 234 56 78".into();
        if all {
            form.documents = service
                .regulation()
                .required_documents(&form.measures, true)
                .unwrap();
        }
        let frontdesk::service::Response::Case(case) = service
            .execute(
                &clerk,
                Request::Accept {
                    form,
                    opened_at: Some(now),
                },
            )
            .unwrap()
        else {
            panic!()
        };
        for width in [42, 80] {
            let frontdesk::service::Response::Text(lines) = service
                .execute(
                    &clerk,
                    Request::ReceiptText {
                        case: case.id.to_string(),
                        width,
                    },
                )
                .unwrap()
            else {
                panic!()
            };
            for line in &lines {
                assert!(
                    line.width() <= width,
                    "{width}: {} wide: {line}",
                    line.width()
                );
            }
            let text = lines.join("\n");
            let signed = if all {
                "Қабылдаған / Принял(а)"
            } else {
                "Бас тартқан / Отказал(а)"
            };
            assert!(text.contains(signed), "{text}");
            assert!(text.contains("Государственная услуга"), "{text}");
        }
    }
}

#[test]
fn at_60x16_the_focused_field_and_document_are_always_drawn() {
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f6"]);
    let fields = b.state.fields();
    for field in &fields {
        assert_eq!(b.state.focused_field(), *field);
        let screen = b.screen(60, 16);
        match field {
            frontdesk::tui::state::Field::Document(i) => {
                let doc = &b.state.documents()[*i];
                let name = b
                    .state
                    .ctx
                    .regulation
                    .document(doc)
                    .unwrap()
                    .name
                    .get(Lang::En);
                // Named in full (wrapped), not cut.
                let first_word = name.split_whitespace().last().unwrap();
                assert!(screen.contains(first_word), "{name}:\n{screen}");
            }
            frontdesk::tui::state::Field::Poa => {
                assert!(screen.contains("Power of"), "{screen}")
            }
            _ => {}
        }
        b.keys(&["tab"]);
    }
    // Space ticks the document that is drawn focused.
    b.keys(&["backtab", "space"]);
    assert_eq!(b.state.intake.form.documents.len(), 1);
}

#[test]
fn below_60x16_a_compact_view_keeps_the_countdowns_and_the_intake() {
    let mut b = bench("clerk", Lang::Kk);
    b.keys(&["f6"]);
    b.type_text("791028302728");
    b.keys(&["tab"]);
    b.type_text("Әсел");
    let screen = b.screen(40, 12);
    assert!(screen.contains("Аты-жөні: Әсел"), "{screen}");
    assert!(screen.contains("#1"), "the countdowns stay:\n{screen}");
    insta::assert_snapshot!("compact_intake_kk", screen);
    // The intake can be finished there: every document, accept.
    b.keys(&["f7", "ctrl-s"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Receipt);
    let screen = b.screen(40, 12);
    assert!(screen.contains("60×16"), "{screen}");
}

/// The core over a link that loses the first answer to some kinds of write: the write is done,
/// the screen is told the connection dropped before the answer came.
struct LosingCore {
    inner: Embedded,
    lose_first: std::sync::Mutex<Vec<&'static str>>,
    sent: std::sync::Mutex<Vec<Request>>,
}

impl Core for LosingCore {
    fn execute(&self, request: Request) -> Result<frontdesk::service::Response, String> {
        self.sent.lock().unwrap().push(request.clone());
        let kind = request.kind();
        let answer = self.inner.execute(request);
        let mut lose_first = self.lose_first.lock().unwrap();
        if let Some(i) = lose_first.iter().position(|k| *k == kind) {
            lose_first.remove(i);
            return Err("the connection to the daemon dropped before the answer came".into());
        }
        answer
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.now()
    }
}

#[test]
fn writes_pressed_again_after_a_lost_answer_are_recorded_once() {
    use frontdesk::service::Response;
    use frontdesk::tui::keymap::{Action, Mode};
    let now = at("2026-11-25T10:15:00+05:00");
    let mut site = site(std::path::Path::new("/nonexistent/frontdesk-retry"));
    site.config.print_command = "cat > /dev/null".into();
    let store = frontdesk::store::MemoryStore::new(&site.regulation);
    let config = site.config.clone();
    let service = Arc::new(frontdesk::service::Service::new(
        Box::new(store),
        site,
        Clock::Fixed(now),
    ));
    let clerk = actor(&config, "clerk");
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
    let me = config.staff_member("clerk").unwrap().clone();
    let context = Context {
        regulation: service.regulation_arc(),
        office: config.office(&me.office).unwrap().clone(),
        me: me.clone(),
        staff: config.staff.clone(),
    };
    let keymap = Keymap::load("default", None).unwrap();
    let core = LosingCore {
        inner: Embedded {
            service: service.clone(),
            actor: me.actor(),
        },
        lose_first: std::sync::Mutex::new(vec!["call-next", "accept", "print-receipt"]),
        sent: std::sync::Mutex::new(Vec::new()),
    };
    let mut state = State::new(
        context,
        keymap.clone(),
        Lang::En,
        Theme {
            high_contrast: false,
            ascii: false,
        },
        now,
    );
    let effects = state.update(Msg::Start);
    run_effects(&mut state, &core, effects);
    let press = |state: &mut State, mode, action| {
        let chord = keymap.key_for(mode, action).unwrap();
        let effects = state.update(Msg::Key(chord));
        run_effects(state, &core, effects);
    };
    // The call's answer is lost: the clerk calls again and gets the same person, not the next.
    press(&mut state, Mode::List, Action::CallNext);
    assert_eq!(state.screen, frontdesk::tui::state::Screen::Queue);
    press(&mut state, Mode::List, Action::CallNext);
    assert_eq!(state.screen, frontdesk::tui::state::Screen::Intake);
    let Response::Queue(tickets) = service.execute(&clerk, Request::Queue).unwrap() else {
        panic!()
    };
    assert_eq!(
        tickets.iter().filter(|t| t.called_at.is_some()).count(),
        1,
        "one person called: {tickets:?}"
    );
    // The intake's answer is lost, then its print's: each pressed again is recorded once.
    for c in "791028302728".chars() {
        let effects = state.update(Msg::Key(Chord::parse(&c.to_string()).unwrap()));
        run_effects(&mut state, &core, effects);
    }
    press(&mut state, Mode::Form, Action::NextField);
    for c in "Әсел".chars() {
        let effects = state.update(Msg::Key(Chord::parse(&c.to_string()).unwrap()));
        run_effects(&mut state, &core, effects);
    }
    press(&mut state, Mode::Form, Action::AllDocuments);
    press(&mut state, Mode::Form, Action::Submit);
    assert_eq!(state.screen, frontdesk::tui::state::Screen::Intake);
    press(&mut state, Mode::Form, Action::Submit);
    assert_eq!(state.screen, frontdesk::tui::state::Screen::Receipt);
    press(&mut state, Mode::Receipt, Action::Print);
    press(&mut state, Mode::Receipt, Action::Print);
    let cases = service.store().all_cases().unwrap();
    assert_eq!(cases.len(), 1, "one case for one package");
    assert_eq!(cases[0].receipt.printed, 1, "one print recorded");
    // Each write went with an id, and the one sent again with the same id.
    let sent = core.sent.lock().unwrap();
    let ids = |kind: &str| -> Vec<String> {
        sent.iter()
            .filter(|r| r.kind() == kind)
            .map(|r| match r {
                Request::Once { request_id, .. } => request_id.clone(),
                other => panic!("a write without an id: {other:?}"),
            })
            .collect()
    };
    for kind in ["call-next", "accept", "print-receipt"] {
        let ids = ids(kind);
        assert_eq!(ids.len(), 2, "{kind}: {ids:?}");
        assert_eq!(ids[0], ids[1], "{kind}");
    }
}

/// The core of a daemon whose database is gone: every request fails as the daemon says it.
struct UnreachableCore {
    inner: Embedded,
    down: std::sync::atomic::AtomicBool,
}

impl Core for UnreachableCore {
    fn execute(&self, request: Request) -> Result<frontdesk::service::Response, String> {
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(if request.writes() {
                "not saved: the database is unreachable (timed out); try again".into()
            } else {
                "the database cannot be reached (timed out)".into()
            });
        }
        self.inner.execute(request)
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.now()
    }
}

#[test]
fn while_the_database_is_unreachable_the_status_line_says_so_in_the_clerks_language() {
    use frontdesk::tui::i18n::t;
    use frontdesk::tui::keymap::{Action, Mode};
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let Bench { core, mut state } = bench("clerk", lang);
        let core = UnreachableCore {
            inner: core,
            down: std::sync::atomic::AtomicBool::new(true),
        };
        let state = &mut state;
        let keymap = Keymap::load("default", None).unwrap();
        let status = |state: &State| {
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            terminal.draw(|frame| view(state, frame)).unwrap();
            let buffer = terminal.backend().buffer().clone();
            (0..80)
                .map(|x| buffer[(x, 23)].symbol())
                .collect::<String>()
        };
        let effects = state.update(Msg::Store(false));
        run_effects(state, &core, effects);
        let lost = t(lang, "msg.store_lost");
        assert!(status(state).contains(lost), "{lang:?}: {}", status(state));
        // A key clears a message, but not this state; the screen's own reads failing meanwhile
        // change nothing on it.
        let press = |state: &mut State, mode, action| {
            let effects = state.update(Msg::Key(keymap.key_for(mode, action).unwrap()));
            run_effects(state, &core, effects);
        };
        press(state, Mode::List, Action::Down);
        assert!(status(state).contains(lost), "{lang:?}: {}", status(state));
        let effects = state.update(Msg::Changed { queue: true });
        run_effects(state, &core, effects);
        assert!(status(state).contains(lost), "{lang:?}: {}", status(state));
        // A write is refused in the clerk's words, and the form stays as typed.
        press(state, Mode::List, Action::Intake);
        for c in "791028302728".chars() {
            let effects = state.update(Msg::Key(Chord::parse(&c.to_string()).unwrap()));
            run_effects(state, &core, effects);
        }
        press(state, Mode::Form, Action::NextField);
        for c in "Asel".chars() {
            let effects = state.update(Msg::Key(Chord::parse(&c.to_string()).unwrap()));
            run_effects(state, &core, effects);
        }
        press(state, Mode::Form, Action::AllDocuments);
        press(state, Mode::Form, Action::Submit);
        let not_saved = t(lang, "msg.store_not_saved");
        assert!(
            status(state).contains(not_saved),
            "{lang:?}: {}",
            status(state)
        );
        assert_eq!(state.intake.form.iin, "791028302728");
        // Back: said once, and the same form is then saved.
        core.down.store(false, std::sync::atomic::Ordering::SeqCst);
        let effects = state.update(Msg::Store(true));
        run_effects(state, &core, effects);
        assert!(
            status(state).contains(t(lang, "msg.store_back")),
            "{lang:?}"
        );
        press(state, Mode::Form, Action::Submit);
        assert_eq!(
            state.screen,
            frontdesk::tui::state::Screen::Receipt,
            "{lang:?}"
        );
    }
}
