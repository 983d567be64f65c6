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
    bench_on(staff, lang, at("2026-11-25T10:15:00+05:00"))
}

/// The morning's work of [`bench`], done by `now` on another day.
fn bench_on(staff: &str, lang: Lang, now: chrono::DateTime<chrono::Utc>) -> Bench {
    bench_clocked(staff, lang, Clock::Fixed(now))
}

/// The morning's work of [`bench`] on a clock the test moves.
fn bench_clocked(staff: &str, lang: Lang, clock: Clock) -> Bench {
    let now = clock.now();
    let service = Arc::new(memory_service(clock));
    let config = service.config().clone();
    // A morning's work: two accepted cases, one refusal, one case with the head, two waiting.
    let clerk = actor(&config, "clerk");
    let opened = Some(now - chrono::Duration::minutes(35));
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
                    draft: None,
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

    /// The screen closed and opened again on the same core (a dropped SSH link, a restart):
    /// nothing of the old screen's memory is left.
    fn restart(&mut self) {
        let mut state = State::new(
            self.state.ctx.clone(),
            self.state.keymap.clone(),
            self.state.lang,
            self.state.theme,
            self.state.now,
        );
        let effects = state.update(Msg::Start);
        run_effects(&mut state, &self.core, effects);
        self.state = state;
    }

    /// What the screen draws in the focus style, row by row (empty rows left out).
    fn focused_text(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| view(&self.state, frame)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let focus = self.state.theme.focused();
        let mut rows = Vec::new();
        for y in 0..height {
            let row: String = (0..width)
                .filter(|x| {
                    let cell = &buffer[(*x, y)];
                    Some(cell.fg) == focus.fg
                        && cell.modifier.contains(ratatui::style::Modifier::BOLD)
                })
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            if !row.trim().is_empty() {
                rows.push(row.trim().to_string());
            }
        }
        rows.join("\n")
    }

    fn drafts(&self) -> Vec<frontdesk::domain::intake::Draft> {
        match self.core.execute(Request::LoadDrafts).unwrap() {
            frontdesk::service::Response::Drafts(drafts) => drafts,
            other => panic!("{other:?}"),
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
    // Enter on the dialog as it opens keeps the form: a stray Enter loses nothing.
    b.keys(&["enter"]);
    assert_eq!(b.state.intake.form.iin, "791028302728");
    b.keys(&["ctrl-x", "esc"]);
    assert_eq!(b.state.intake.form.iin, "791028302728");
    b.keys(&["ctrl-x", "down", "enter"]); // clear
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
    // Where the bench has no printer the receipt stays unprinted, and leaving it is asked.
    if b.state.dialog.is_some() {
        b.keys(&["down", "down", "enter"]);
    }
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
/// digit: receipt numbers, tickets, steps, office codes), and English units written after a
/// number ("30m", "3h", "26wd").
fn english_words(screen: &str) -> Vec<String> {
    let mut found = Vec::new();
    for token in screen.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        let chars: Vec<char> = token.chars().collect();
        if chars
            .windows(2)
            .any(|pair| pair[0].is_ascii_digit() && pair[1].is_ascii_lowercase())
        {
            found.push(token.to_string());
            continue;
        }
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
        ("clerk", &["f6"], "791028302728", &["f7", "ctrl-s", "esc"]),
        (
            "clerk",
            &["f6"],
            "791028302728",
            &["f7", "ctrl-s", "esc", "down", "down", "enter"],
        ),
        ("clerk", &["f4"], "", &[]),
        ("clerk", &["f4", "/"], "Әсел", &[]),
        ("clerk", &["f4", "tab"], "", &[]),
        ("clerk", &["f4", "tab", "tab"], "", &[]),
        ("clerk", &["f4", "tab", "tab", "tab"], "", &[]),
        ("clerk", &["f4", "enter"], "", &[]),
        ("clerk", &["f4", "enter", "e"], "", &[]),
        ("clerk", &["f4", "enter", "1"], "", &[]),
        ("clerk", &["f4", "enter", "1", "down"], "", &[]),
        ("clerk", &["f4", "enter", "/"], "000001", &[]),
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
    let mut check = |b: &Bench, journey: String| {
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = b.screen(w, h);
            let words = english_words(&screen);
            if !words.is_empty() {
                failures.push(format!("{journey} at {w}x{h}: {words:?}\n{screen}"));
            }
        }
    };
    for lang in [Lang::Kk, Lang::Ru] {
        for (staff, before, text, after) in journeys {
            let mut b = bench(staff, lang);
            b.keys(before);
            b.type_text(text);
            b.keys(after);
            check(
                &b,
                format!("{} {staff} {before:?} {text:?} {after:?}", lang.code()),
            );
        }
        for (scene, b) in scenes_with_refusals_and_holidays(lang) {
            check(&b, format!("{} {scene}", lang.code()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Screens the plain journeys do not reach: a deadline counted across holidays, and refusals
/// that come from the core. Each is checked for what it must say in `lang`.
fn scenes_with_refusals_and_holidays(lang: Lang) -> Vec<(&'static str, Bench)> {
    let says = |b: &Bench, kk: &str, ru: &str| {
        let wanted = if lang == Lang::Kk { kk } else { ru };
        let message = b.state.message.as_ref().map(|(_, m)| m.clone());
        assert!(
            message.as_deref().is_some_and(|m| m.contains(wanted)),
            "{} wanted {wanted:?}, said {message:?}",
            lang.code()
        );
        assert!(b.screen(120, 40).contains(wanted), "{}", b.screen(120, 40));
    };
    let shows = |b: &Bench, kk: &[&str], ru: &[&str]| {
        let screen = b.screen(120, 40);
        for wanted in if lang == Lang::Kk { kk } else { ru } {
            assert!(screen.contains(wanted), "{wanted:?} not on\n{screen}");
        }
    };
    let act = |b: &Bench, who: &str, command| {
        let who = actor(b.core.service.config(), who);
        b.core
            .service
            .execute(
                &who,
                Request::Act {
                    case: "2".into(),
                    command,
                },
            )
            .unwrap();
    };
    let assign = || frontdesk::domain::lifecycle::CaseCommand::Act {
        action: frontdesk::domain::regulation::Action::AssignExecutor,
        executor: Some("executor".into()),
    };
    let mut scenes = Vec::new();

    // The head's 3 hours from Friday 20 March 2026, 17:50: Nauryz on the weekend and Monday,
    // its two moved days off, then Thursday morning.
    let mut b = bench_on("head", lang, at("2026-03-20T17:50:00+05:00"));
    b.keys(&["enter", "e"]);
    shows(
        &b,
        &[
            "(3 сағ)",
            "21.03 Сн мереке: Наурыз мейрамы",
            "24.03 Сс 21.03 орнына демалыс: Наурыз мейрамы",
            "26.03 Бс 09:00–11:20",
        ],
        &[
            "(3 ч)",
            "21.03 Сб праздник: Наурыз мейрамы",
            "24.03 Вт выходной вместо 21.03: Наурыз мейрамы",
            "26.03 Чт 09:00–11:20",
        ],
    );
    scenes.push(("explanation across Nauryz", b));
    // Independence Day inside the interval, named in each language.
    let mut b = bench_on("head", lang, at("2026-12-15T17:50:00+05:00"));
    b.keys(&["enter", "e"]);
    shows(
        &b,
        &["16.12 Ср мереке: Тәуелсіздік күні"],
        &["16.12 Ср праздник: День Независимости"],
    );
    scenes.push(("explanation across Independence Day", b));

    // The head signs before the result kind is recorded.
    let mut b = bench("head", lang);
    act(&b, "head", assign());
    act(
        &b,
        "executor",
        frontdesk::domain::lifecycle::CaseCommand::Act {
            action: frontdesk::domain::regulation::Action::SubmitForSignature,
            executor: None,
        },
    );
    // As the core's notice of the change would.
    let effects = b.state.update(Msg::Changed { queue: false });
    run_effects(&mut b.state, &b.core, effects);
    b.keys(&["enter", "1", "down", "enter"]);
    says(
        &b,
        "«Қол қою» алдында нәтиже түрін белгілеңіз («Нәтижені белгілеу»)",
        "Перед действием «Подписать» укажите вид результата («Указать результат»)",
    );
    scenes.push(("signing before the result is recorded", b));

    // The case is open on this screen while another head assigns it: the action is refused and
    // the case is shown as it now is.
    let mut b = bench("head", lang);
    b.keys(&["enter"]);
    act(&b, "head", assign());
    b.keys(&["1", "enter"]);
    says(
        &b,
        "Іс осы арада басқа қадамға өтті (P3): экран жаңартылды",
        "Пока дело было открыто, оно перешло на шаг P3: экран обновлен",
    );
    let step = b
        .state
        .detail
        .as_ref()
        .and_then(|d| d.case.as_ref())
        .and_then(|c| c.current_step());
    assert_eq!(step.map(|s| s.step_id.as_str()), Some("P3"));
    assert!(
        b.state.mine.is_empty(),
        "the case is no longer the head's work"
    );
    scenes.push(("acting on a case another head moved", b));

    // A ticket number already in today's queue.
    let mut b = bench("clerk", lang);
    for _ in 0..2 {
        b.keys(&["f5"]);
        b.type_text("B5");
        b.keys(&["enter"]);
    }
    says(
        &b,
        "B5 талоны бүгінгі кезекте бар",
        "Талон B5 уже в сегодняшней очереди",
    );
    scenes.push(("a ticket registered twice", b));

    // An IIN whose check digit agrees but whose birth date is to come: the core refuses it.
    let mut digits = [3, 0, 0, 1, 0, 1, 5, 0, 0, 0, 1];
    let iin = loop {
        if let Some(check) = frontdesk::domain::iin::check_digit(&digits) {
            break digits
                .iter()
                .chain([&check])
                .map(|d| d.to_string())
                .collect::<String>();
        }
        digits[10] += 1;
    };
    let mut b = bench("clerk", lang);
    b.keys(&["f6"]);
    b.type_text(&iin);
    b.keys(&["tab"]);
    b.type_text("Айгүл");
    b.keys(&["f7", "f8"]);
    says(
        &b,
        "ЖСН: туған күні болашақта (01.01.2030): қатені іздеңіз",
        "ИИН: дата рождения в будущем (01.01.2030): ищите опечатку",
    );
    scenes.push(("an IIN born in the future", b));
    scenes
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
    // A new `/` starts an empty search, and a receipt number typed in lower case is the same
    // number.
    b.keys(&["/"]);
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
                    draft: None,
                    form,
                    // Two forms of one applicant: each opened at its own instant.
                    opened_at: Some(now - chrono::Duration::minutes(i64::from(all))),
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

/// One of every refusal and failure the core or the link can give a screen.
fn every_failure() -> Vec<frontdesk::service::FailureKind> {
    use frontdesk::domain::intake::{FieldProblem, Problem};
    use frontdesk::domain::lifecycle::LifecycleError as L;
    use frontdesk::service::{FailureKind as K, Forbidden, LinkFailure, QueueError, StoreFailure};
    let s = |text: &str| text.to_string();
    let mut kinds = vec![
        K::Forbidden(Forbidden::NotOnStaff { staff: s("clerk") }),
        K::Forbidden(Forbidden::OfficeNotConfigured { office: s("ALM01") }),
        K::Forbidden(Forbidden::WrongChannel {
            office: s("ALM01"),
            serves: s("provider"),
            asked: s("state-corp"),
        }),
        K::Forbidden(Forbidden::NotAnExecutor {
            staff: s("head"),
            role: Some(s("head")),
        }),
        K::Forbidden(Forbidden::OfficeNotServed { office: s("SC01") }),
        K::NotFound {
            reference: s("ALM01-2026-000009"),
        },
        K::Invalid(vec![
            FieldProblem::new("sector", Problem::Other, "unknown sector `x`"),
            FieldProblem::new("phone", Problem::PhoneDigits { digits: 3 }, "has 3 digits"),
        ]),
        K::Queue(QueueError::BadNumber(s("Ж"))),
        K::Queue(QueueError::Duplicate(s("A002"))),
        K::Queue(QueueError::Full),
        K::Queue(QueueError::DayFull),
        K::AlreadyAccepted {
            receipt_no: s("ALM01-2026-000003"),
        },
        K::Internal,
    ];
    kinds.extend(
        [
            L::Closed(s("completed")),
            L::Closed(s("refused")),
            L::Closed(s("voided")),
            L::WrongStep {
                step: s("P4"),
                expected: s("sign"),
                requested: s("issue"),
            },
            L::WrongRole {
                step: s("P5"),
                allowed: vec![s("clerk"), s("executor")],
                role: s("head"),
            },
            L::NotAssignee {
                step: s("P3"),
                assignee: s("executor"),
            },
            L::ExecutorMissing,
            L::NoRework(s("P2")),
            L::ReasonMissing,
            L::ResultRequired(s("sign")),
            L::ResultNotHere(s("P2")),
            L::UnknownResult(s("x")),
            L::ResultNotForChannel {
                kind: s("notification"),
                channel: s("provider"),
            },
            L::GroundMissing,
            L::UnknownGround(s("x")),
            L::TimeWentBack {
                now: s("2026-11-25T05:15:00+00:00"),
                last: s("2026-11-25T05:20:00+00:00"),
            },
            L::UnknownChannel(s("x")),
            L::StepGone(s("P6")),
            L::AlreadyVoided,
            L::TooLateToVoid,
            L::VoidReasonMissing,
            L::UnsafeReason(s("holds a control character")),
            L::ReasonTooLong(501),
            L::NotAllowed {
                allowed: vec![s("clerk"), s("head")],
                role: s("executor"),
            },
            L::Uncountable(s("2101-01-01 is outside the years the calendar holds")),
        ]
        .map(K::Lifecycle),
    );
    let stores = [
        StoreFailure::DiskFull,
        StoreFailure::NotSaved,
        StoreFailure::Applying { seq: 42 },
        StoreFailure::Uncertain,
        StoreFailure::Damaged,
        StoreFailure::Other,
    ];
    kinds.extend(stores.map(K::Store));
    kinds.extend(stores.map(K::Draft));
    kinds.extend(
        [
            LinkFailure::Dropped,
            LinkFailure::NotConnected,
            LinkFailure::NoAnswer,
            LinkFailure::Stopping,
            LinkFailure::AnswerTooLarge {
                size: 5_000_000,
                limit: 4_194_304,
            },
            LinkFailure::ClientBroken,
        ]
        .map(K::Link),
    );
    // A new kind of failure does not compile here until it is listed above.
    for kind in &kinds {
        match kind {
            K::Forbidden(_)
            | K::NotFound { .. }
            | K::Invalid(_)
            | K::Queue(_)
            | K::Lifecycle(_)
            | K::Store(_)
            | K::Draft(_)
            | K::AlreadyAccepted { .. }
            | K::Internal
            | K::Link(_) => {}
        }
    }
    kinds
}

#[test]
fn every_refusal_and_failure_is_said_in_kazakh_and_russian() {
    let kk = bench("clerk", Lang::Kk);
    let mut failures = Vec::new();
    for kind in every_failure() {
        let failure = frontdesk::service::Failure {
            kind: kind.clone(),
            text: "the core's English text".into(),
        };
        let texts: Vec<String> = [Lang::Kk, Lang::Ru, Lang::En]
            .map(|lang| frontdesk::tui::i18n::failure_text(lang, &failure, &kk.state.ctx))
            .to_vec();
        let words: Vec<_> = texts[..2].iter().flat_map(|t| english_words(t)).collect();
        let untranslated = texts[0] == texts[2] || texts[1] == texts[2];
        let unfilled = texts.iter().any(|t| t.contains('{') || t.trim().is_empty());
        if !words.is_empty() || untranslated || unfilled {
            failures.push(format!("{kind:?}: {words:?} {texts:?}"));
        }
    }
    // What opening the store repaired, said at start.
    for repair in [
        frontdesk::service::OpenRepair::Rebuilt { events: 120 },
        frontdesk::service::OpenRepair::Replayed { events: 3 },
        frontdesk::service::OpenRepair::TornSave { bytes: 57 },
        frontdesk::service::OpenRepair::JournalDamaged,
    ] {
        let texts = [Lang::Kk, Lang::Ru, Lang::En]
            .map(|lang| frontdesk::tui::i18n::repair_text(lang, &repair));
        let words: Vec<_> = texts[..2].iter().flat_map(|t| english_words(t)).collect();
        if !words.is_empty() || texts[0] == texts[2] || texts[1] == texts[2] {
            failures.push(format!("{repair:?}: {words:?} {texts:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Roles, staff and actions by their names, not their ids.
    let failure = frontdesk::service::Failure {
        kind: frontdesk::service::FailureKind::Lifecycle(
            frontdesk::domain::lifecycle::LifecycleError::WrongRole {
                step: "P5".into(),
                allowed: vec!["clerk".into(), "executor".into()],
                role: "head".into(),
            },
        ),
        text: String::new(),
    };
    assert_eq!(
        frontdesk::tui::i18n::failure_text(Lang::Ru, &failure, &kk.state.ctx),
        "Шаг P5 выполняет сотрудник канцелярии или ответственный исполнитель; вы вошли как руководитель"
    );
}

#[test]
fn a_stray_enter_on_a_dialog_never_refuses_or_records_a_refusal() {
    // Missing documents: F8 asks, and Enter as the dialog opens goes back to the form.
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f6"]);
    b.type_text("791028302728");
    b.keys(&["tab"]);
    b.type_text("Айгүл");
    b.keys(&["f8"]);
    let dialog = b.state.dialog.clone().expect("a refusal asks first");
    assert_eq!(dialog.choices[dialog.selected].0, "back");
    b.keys(&["enter"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Intake);
    assert_eq!(b.state.intake.form.name, "Айгүл", "the form stays");
    // The bench holds three cases; a refusal would be the fourth.
    let fourth = |b: &Bench| {
        b.core
            .execute(Request::GetCase { case: "4".into() })
            .is_ok()
    };
    assert!(!fourth(&b), "nothing was stored");
    // Refusing is chosen knowingly: down to it, then Enter.
    b.keys(&["f8", "down", "enter"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Receipt);
    assert!(fourth(&b), "the refusal is stored");

    // An executor recording a result: the cursor starts on a result that is not a refusal.
    let mut b = bench("executor", Lang::En);
    let config = b.core.service.config().clone();
    b.core
        .service
        .execute(
            &actor(&config, "head"),
            Request::Act {
                case: "2".into(),
                command: frontdesk::domain::lifecycle::CaseCommand::Act {
                    action: frontdesk::domain::regulation::Action::AssignExecutor,
                    executor: Some("executor".into()),
                },
            },
        )
        .unwrap();
    b.keys(&["f4", "enter"]);
    let case = b
        .state
        .detail
        .as_ref()
        .unwrap()
        .case
        .clone()
        .expect("the case is loaded");
    let offers = b.state.offers(&case);
    let record = offers
        .iter()
        .position(|o| *o == frontdesk::tui::state::Offer::RecordResult)
        .expect("the executor may record the result");
    b.keys(&[&(record + 1).to_string()]);
    let dialog = b
        .state
        .dialog
        .clone()
        .expect("a result is chosen in a dialog");
    let chosen = &dialog.choices[dialog.selected].0;
    let kind = b.core.service.regulation().result_kind(chosen).unwrap();
    assert!(!kind.needs_ground, "{chosen} preselected");
}

#[test]
fn below_the_compact_floor_keys_change_nothing_but_the_language_and_quitting() {
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f6"]);
    b.type_text("7910");
    let effects = b.state.update(Msg::Resize(29, 12));
    run_effects(&mut b.state, &b.core, effects);
    let screen = b.screen(29, 12);
    assert!(
        screen.contains("Keys do nothing") && screen.contains("F10") && screen.contains("F9"),
        "{screen}"
    );
    let queue = |b: &Bench| b.core.execute(Request::Queue).unwrap();
    let (before_queue, before_form) = (queue(&b), b.state.intake.clone());
    for key in [
        "f2",
        "f5",
        "f6",
        "enter",
        "esc",
        "ctrl-x",
        "f8",
        "f7",
        "tab",
        "1",
        "backspace",
        "f1",
        "f4",
        "f12",
        "f11",
    ] {
        b.keys(&[key]);
        assert_eq!(
            b.state.screen,
            frontdesk::tui::state::Screen::Intake,
            "{key}"
        );
        assert!(b.state.dialog.is_none() && !b.state.help, "{key}");
    }
    b.type_text("28302728");
    assert_eq!(b.state.intake, before_form, "typing reached the form");
    assert_eq!(queue(&b), before_queue);
    assert!(!b.state.theme.high_contrast);
    b.keys(&["f9"]);
    assert_eq!(b.state.lang, Lang::Kk);
    // Back at the floor every key works again (the compact view).
    let effects = b.state.update(Msg::Resize(30, 8));
    run_effects(&mut b.state, &b.core, effects);
    b.type_text("28");
    assert_eq!(b.state.intake.form.iin, "791028");
    let effects = b.state.update(Msg::Resize(10, 3));
    run_effects(&mut b.state, &b.core, effects);
    b.keys(&["f10"]);
    assert!(b.state.quit);
}

#[test]
fn every_form_a_clerk_has_open_survives_a_restart_of_the_screen() {
    let mut b = bench("clerk", Lang::En);
    // Гүлмира's form (A001) is kept aside when A002 is called, and A002's form is typed into.
    b.keys(&["f6"]);
    b.type_text("791028302728");
    b.keys(&["tab"]);
    b.type_text("Гүлмира");
    b.keys(&["f2", "f6", "down", "enter"]);
    assert_eq!(b.state.intake.ticket.as_deref(), Some("A002"));
    b.type_text("061211600012");
    b.keys(&["tab"]);
    b.type_text("Бекзат");
    assert_eq!(b.drafts().len(), 2, "the core keeps both forms");

    b.restart();
    assert_eq!(b.state.kept.len(), 2);
    let message = b
        .state
        .message
        .clone()
        .expect("the start says what is open")
        .1;
    assert!(
        message.contains("Intakes not submitted 2")
            && message.contains("Гүлмира (A001) 10:15")
            && message.contains("Бекзат (A002) 10:15"),
        "{message}"
    );
    // The queue says it for as long as the forms are open.
    b.state.message = None;
    let screen = b.screen(80, 24);
    assert!(
        screen.contains("Not submitted: Гүлмира (A001) 10:15 · Бекзат (A002) 10:15"),
        "{screen}"
    );
    // F3 brings back the form opened last; finishing it brings back the other, whose draft
    // alone is left in the core.
    b.keys(&["f3"]);
    assert_eq!(b.state.intake.ticket.as_deref(), Some("A002"));
    assert_eq!(b.state.intake.form.name, "Бекзат");
    b.state.intake.form.documents = b.state.documents();
    b.keys(&["ctrl-s"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Receipt);
    assert_eq!(b.drafts().len(), 1);
    assert_eq!(b.drafts()[0].ticket.as_deref(), Some("A001"));
    b.keys(&["esc", "f3"]);
    assert_eq!(b.state.intake.form.name, "Гүлмира");
    assert_eq!(b.state.intake.ticket.as_deref(), Some("A001"));
    // Once submitted, nothing is left to come back after a restart.
    b.state.intake.form.documents = b.state.documents();
    b.keys(&["ctrl-s"]);
    assert_eq!(b.drafts(), vec![]);
    b.restart();
    assert!(b.state.kept.is_empty() && b.state.message.is_none());
}

#[test]
fn a_clerk_with_eight_forms_open_is_told_to_finish_one_before_calling() {
    use frontdesk::domain::intake::MAX_DRAFTS_PER_CLERK;
    let mut b = bench("clerk", Lang::Ru);
    for _ in 0..MAX_DRAFTS_PER_CLERK + 2 {
        b.core
            .execute(Request::RegisterArrival {
                ticket: None,
                channel: "provider".into(),
                measure: "lifting-allowance".into(),
            })
            .unwrap();
    }
    b.keys(&["f6"]);
    b.type_text("Айгүл");
    for _ in 1..MAX_DRAFTS_PER_CLERK {
        b.keys(&["f2", "f6", "down", "enter"]);
        b.type_text("Айгүл");
    }
    assert_eq!(b.state.open_forms().len(), MAX_DRAFTS_PER_CLERK);
    let on_screen = b.state.intake.ticket.clone();
    b.keys(&["f2", "f6", "down", "enter"]);
    assert_eq!(b.state.intake.ticket, on_screen, "nobody was called");
    let message = b.state.message.clone().unwrap().1;
    assert!(
        message.contains("Открыто 8 неотправленных форм"),
        "{message}"
    );
    assert_eq!(b.drafts().len(), MAX_DRAFTS_PER_CLERK);
}

#[test]
fn tab_and_shift_tab_through_every_field_always_draw_the_focused_one() {
    use frontdesk::tui::state::Field;
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        for representative in [false, true] {
            let mut b = bench("clerk", lang);
            b.keys(&["f6"]);
            if representative {
                // The checklist grows by the power of attorney.
                b.state.intake.form.representative_name = "Серік Әбілұлы".into();
            }
            let fields = b.state.fields();
            let label = |field: Field| {
                let key = match field {
                    Field::Iin => "field.iin",
                    Field::Name => "field.name",
                    Field::Phone => "field.phone",
                    Field::Sector => "field.sector",
                    Field::Settlement => "field.settlement",
                    Field::Measure => "field.measures",
                    Field::Representative => "field.representative",
                    Field::RepresentativeIin => "field.representative_iin",
                    Field::Poa => "field.poa",
                    Field::Document(_) => unreachable!(),
                };
                frontdesk::tui::i18n::t(lang, key).to_string()
            };
            let check = |b: &Bench, step: &str| {
                let field = b.state.focused_field();
                for (w, h) in [(60, 16), (80, 24)] {
                    let focused = b.focused_text(w, h);
                    let shown = focused.lines().next().unwrap_or("").trim_end_matches('…');
                    let context = format!(
                        "{} {representative} {step} {field:?} at {w}x{h}: focus drawn as {focused:?}\n{}",
                        lang.code(),
                        b.screen(w, h)
                    );
                    assert!(!shown.is_empty(), "{context}");
                    match field {
                        Field::Document(i) => {
                            let doc = &b.state.documents()[i];
                            let name = b.state.ctx.regulation.document(doc).unwrap().name.get(lang);
                            let first_word = name.split_whitespace().next().unwrap();
                            assert!(focused.contains(first_word), "{context}");
                        }
                        other => assert!(label(other).starts_with(shown), "{context}"),
                    }
                }
            };
            for field in &fields {
                assert_eq!(b.state.focused_field(), *field);
                check(&b, "tab");
                b.keys(&["tab"]);
            }
            assert_eq!(b.state.focused_field(), fields[0], "Tab wraps to the IIN");
            for i in (0..fields.len()).rev() {
                b.keys(&["backtab"]);
                assert_eq!(b.state.focused_field(), fields[i]);
                check(&b, "shift-tab");
            }
            // Space ticks the document drawn focused, and only it.
            let last = fields.len() - 1;
            for _ in 0..last {
                b.keys(&["tab"]);
            }
            b.keys(&["space"]);
            let documents = b.state.documents();
            assert_eq!(
                b.state.intake.form.documents,
                vec![documents[documents.len() - 1].clone()]
            );
        }
    }
}

#[test]
fn a_long_list_keeps_its_selected_row_drawn() {
    // The queue at 60x16 with more people than rows.
    let mut b = bench("clerk", Lang::En);
    for _ in 0..15 {
        b.core
            .execute(Request::RegisterArrival {
                ticket: None,
                channel: "provider".into(),
                measure: "lifting-allowance".into(),
            })
            .unwrap();
    }
    b.keys(&["f2"]);
    for _ in 0..16 {
        b.keys(&["down"]);
    }
    let selected = b.state.queue.tickets[b.state.queue.selected].number.clone();
    assert_eq!(selected, "A017");
    let screen = b.screen(60, 16);
    assert!(screen.contains("A017"), "{screen}");
    // A dialog with more choices than rows.
    b.state.dialog = Some(frontdesk::tui::state::Dialog {
        kind: frontdesk::tui::state::DialogKind::Executor,
        title: "?".into(),
        input: String::new(),
        choices: (0..12)
            .map(|i| (i.to_string(), format!("choice {i}")))
            .collect(),
        selected: 0,
    });
    for _ in 0..11 {
        b.keys(&["down"]);
    }
    let screen = b.screen(60, 16);
    assert!(screen.contains("choice 11"), "{screen}");
}

#[test]
fn left_and_right_step_a_choice_field_both_ways() {
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f6", "tab", "tab", "tab"]);
    assert_eq!(
        b.state.focused_field(),
        frontdesk::tui::state::Field::Sector
    );
    let sectors = b.state.ctx.regulation.file.sectors.clone();
    b.keys(&["right"]);
    assert_eq!(b.state.intake.form.sector, sectors[0].id);
    b.keys(&["right"]);
    assert_eq!(b.state.intake.form.sector, sectors[1].id);
    b.keys(&["left", "left"]);
    assert_eq!(b.state.intake.form.sector, "", "back to no sector");
    b.keys(&["left"]);
    assert_eq!(b.state.intake.form.sector, sectors[sectors.len() - 1].id);
    // The measure: right to housing credit, left back, left again round to "both".
    b.keys(&["tab", "tab"]);
    let first = b.state.intake.form.measures.clone();
    b.keys(&["right"]);
    assert_ne!(b.state.intake.form.measures, first);
    b.keys(&["left"]);
    assert_eq!(b.state.intake.form.measures, first);
    b.keys(&["left"]);
    assert_eq!(b.state.intake.form.measures.len(), 2, "both measures");
    // On a text field ← and → type nothing and move nowhere.
    b.keys(&["tab", "right"]);
    assert_eq!(b.state.intake.form.representative_name, "");
}

#[test]
fn a_receipt_longer_than_the_screen_says_where_it_is_and_esc_asks_before_leaving_it_unprinted() {
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f6"]);
    b.type_text("791028302728");
    b.keys(&["tab"]);
    b.type_text("Әсел");
    b.keys(&["f7", "ctrl-s"]); // accepted, not printed
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Receipt);
    b.state.update(Msg::Resize(80, 24));
    let total = b.state.receipt.lines.len();
    assert!(total > 16, "{total} lines");
    let screen = b.screen(80, 24);
    assert!(screen.contains(&format!("1–14/{total} ↓")), "{screen}");
    for _ in 0..total + 5 {
        b.keys(&["down"]);
    }
    let screen = b.screen(80, 24);
    assert!(
        screen.contains(&format!("{}–{total}/{total} ↑", total - 13)),
        "{screen}"
    );
    let last = b.state.receipt.lines.last().unwrap().trim().to_string();
    assert!(screen.contains(&last), "{screen}");
    b.keys(&["up"]);
    assert!(b.screen(80, 24).contains("↑↓"));
    // Esc on a receipt never printed asks; Enter as it opens stays.
    b.keys(&["esc"]);
    let dialog = b.state.dialog.clone().expect("leaving unprinted asks");
    assert_eq!(dialog.choices[dialog.selected].0, "stay");
    insta::assert_snapshot!("leave_unprinted_en", b.screen(80, 24));
    b.keys(&["enter"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Receipt);
    // Leaving knowingly: the queue says which receipt was not printed.
    b.keys(&["esc", "down", "down", "enter"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Queue);
    let screen = b.screen(80, 24);
    assert!(
        screen.contains("Receipt ALM01-2026-000004 was not printed"),
        "{screen}"
    );
    // A voided receipt is left without asking.
    b.keys(&["f4", "enter", "f5", "f7"]);
    b.type_text("typo in the name");
    b.keys(&["enter"]);
    assert!(b
        .state
        .receipt
        .case
        .as_ref()
        .unwrap()
        .receipt
        .voided
        .is_some());
    // A voided receipt offers neither print nor void, and F5/F7 on it say why.
    let screen = b.screen(80, 24);
    assert!(
        !screen.contains("F5 Print") && !screen.contains("F7 Void"),
        "{screen}"
    );
    let printed_before = b.state.receipt.case.as_ref().unwrap().receipt.printed;
    for key in ["f5", "f7"] {
        b.keys(&[key]);
        assert!(b.state.dialog.is_none(), "{key} opened a dialog");
        let screen = b.screen(80, 24);
        assert!(screen.contains("The receipt is voided"), "{key}:\n{screen}");
    }
    assert_eq!(
        b.state.receipt.case.as_ref().unwrap().receipt.printed,
        printed_before
    );
    b.keys(&["esc"]);
    assert!(b.state.dialog.is_none());
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Cases);
}

#[test]
fn a_focused_label_cut_to_fit_is_shown_whole_at_the_forms_foot() {
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let mut b = bench("clerk", lang);
        b.keys(&["f6"]);
        for _ in 0..6 {
            b.keys(&["tab"]);
        }
        assert_eq!(
            b.state.focused_field(),
            frontdesk::tui::state::Field::Representative
        );
        let label = frontdesk::tui::i18n::t(lang, "field.representative");
        let screen = b.screen(80, 24);
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
}

/// Where a header or status row shows a word the full text does not have (a word cut to fit),
/// or an ellipsis: `None` when every word drawn is whole.
fn cut_word(drawn: &str, full: &str) -> Option<String> {
    let whole: std::collections::HashSet<&str> = full.split_whitespace().collect();
    drawn
        .split_whitespace()
        .find(|word| word.contains('…') || !whole.contains(word))
        .map(str::to_string)
}

#[test]
fn at_80x24_no_header_or_status_line_ends_in_a_cut_word_and_the_office_is_named() {
    type Steps = &'static [&'static str];
    // (staff, keys): every screen, the help over them, and the dialogs a clerk meets.
    let journeys: &[(&str, &str, Steps)] = &[
        ("queue", "clerk", &[]),
        ("arrival dialog", "clerk", &["f5"]),
        ("queue help", "clerk", &["f1"]),
        ("intake", "clerk", &["f6"]),
        (
            "intake checklist",
            "clerk",
            &["f6", "tab", "tab", "tab", "tab"],
        ),
        ("intake all documents", "clerk", &["f6", "f7"]),
        ("intake help", "clerk", &["f6", "f1"]),
        ("clear form dialog", "clerk", &["f6", "ctrl-x"]),
        ("cases", "clerk", &["f4"]),
        ("search", "clerk", &["f4", "/"]),
        ("detail", "clerk", &["f4", "enter"]),
        ("receipt", "clerk", &["f4", "enter", "f5"]),
        ("void dialog", "clerk", &["f4", "enter", "f5", "f7"]),
        ("head's case", "head", &["enter"]),
        ("head's actions", "head", &["enter", "1"]),
        ("dashboard", "supervisor", &[]),
        ("dashboard drill-down", "supervisor", &["enter"]),
        ("dashboard help", "supervisor", &["f1"]),
        ("operator", "operator", &[]),
        ("executor", "executor", &[]),
    ];
    let mut failures = Vec::new();
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        for (name, staff, keys) in journeys {
            let mut b = bench(staff, lang);
            b.keys(keys);
            let screen = b.screen(80, 24);
            let rows: Vec<&str> = screen.lines().collect();
            let header_full = format!(
                "{} {} {}",
                b.state.header_parts().join(" · "),
                frontdesk::tui::view::header_clock(&b.state, true),
                frontdesk::tui::view::header_clock(&b.state, false),
            );
            let status_full = match &b.state.message {
                Some((_, message)) => message.clone(),
                None => frontdesk::tui::view::hint_list(&b.state).join(" "),
            };
            let header = rows[0];
            let office = b.state.ctx.office.name.get(lang).to_string();
            if !header.contains(&office) {
                failures.push(format!(
                    "{} {name}: the header lacks {office:?}\n{screen}",
                    lang.code()
                ));
            }
            for (what, drawn, full) in [
                ("header", header, &header_full),
                ("status", rows[23], &status_full),
            ] {
                if let Some(word) = cut_word(drawn, full) {
                    failures.push(format!(
                        "{} {name}: the {what} shows {word:?}, not a word of {full:?}\n{screen}",
                        lang.code()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn queue_columns_align_in_every_language_with_a_called_ticket() {
    use unicode_width::UnicodeWidthStr;
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let mut b = bench("clerk", lang);
        // A001 called (its row says when), A002 still waiting.
        b.keys(&["f6", "f2"]);
        let screen = b.screen(80, 24);
        let called = frontdesk::tui::i18n::t(lang, "queue.called");
        assert!(screen.contains(called), "{screen}");
        let regulation = b.state.ctx.regulation.clone();
        let column_of = |row: &str, text: &str| row.find(text).map(|at| row[..at].width());
        let header = screen
            .lines()
            .find(|row| row.contains(frontdesk::tui::i18n::t(lang, "queue.ticket")))
            .unwrap();
        let measure_column = column_of(header, frontdesk::tui::i18n::t(lang, "queue.measure"));
        let waiting_column = column_of(header, frontdesk::tui::i18n::t(lang, "queue.waiting"));
        for ticket in &b.state.queue.tickets {
            let measure = regulation.measure(&ticket.measure).unwrap().name.get(lang);
            // The measure may be cut at the edge: its first word marks the column.
            let first_word = measure.split_whitespace().next().unwrap();
            let row = screen
                .lines()
                .find(|row| {
                    row.contains(&format!(" {} ", ticket.number)) && row.contains(first_word)
                })
                .unwrap();
            assert_eq!(
                column_of(row, first_word),
                measure_column,
                "{} {}: the measure column\n{screen}",
                lang.code(),
                ticket.number
            );
            let second = ticket
                .called_at
                .map_or("/".to_string(), |_| called.to_string());
            let second_column = column_of(row, &second).map(|c| {
                // "12/30": the column starts at the minutes before the slash.
                if ticket.called_at.is_none() {
                    row[..row.find('/').unwrap()]
                        .trim_end_matches(|c: char| c.is_ascii_digit())
                        .width()
                } else {
                    c
                }
            });
            assert_eq!(
                second_column,
                waiting_column,
                "{} {}: the waiting column\n{screen}",
                lang.code(),
                ticket.number
            );
        }
    }
}

#[test]
fn a_status_message_is_said_again_in_the_language_chosen_with_f9() {
    use frontdesk::tui::i18n::t;
    let message = |b: &Bench| b.state.message.clone().map(|(_, m)| m).unwrap_or_default();
    // A call said in Kazakh; a form's problem too (a text made from the form's own check).
    let mut called = bench("clerk", Lang::Kk);
    called.keys(&["f6"]);
    let mut problem = bench("clerk", Lang::Kk);
    problem.keys(&["f6", "tab"]);
    problem.type_text("Айгүл");
    problem.keys(&["f8"]);
    for (b, key) in [(&mut called, "msg.called"), (&mut problem, "msg.fix")] {
        assert!(message(b).starts_with(t(Lang::Kk, key)), "{}", message(b));
        for lang in [Lang::Ru, Lang::En, Lang::Kk] {
            b.keys(&["f9"]);
            assert_eq!(b.state.lang, lang);
            let said = message(b);
            assert!(said.starts_with(t(lang, key)), "{}: {said}", lang.code());
            if lang != Lang::En {
                let english = english_words(&said);
                assert!(english.is_empty(), "{}: {said}: {english:?}", lang.code());
            }
            // The whole status line follows, not only the message.
            assert!(b.screen(80, 24).contains(&said), "{}", b.screen(80, 24));
        }
    }
    // Any other key still clears it.
    called.keys(&["f2"]);
    assert!(called.state.message.is_none());
}

#[test]
fn an_unexpected_answer_is_said_in_the_clerks_language_without_english() {
    use frontdesk::tui::i18n::t;
    use frontdesk::tui::state::Effect;
    for lang in [Lang::Kk, Lang::Ru] {
        let mut b = bench("clerk", lang);
        // The case list is asked for; an answer of another kind comes back.
        let effects = b.state.update(Msg::Key(Chord::parse("f4").unwrap()));
        let Some(Effect::Request { answer, .. }) = effects.into_iter().next() else {
            panic!("F4 asks for the case list");
        };
        b.state.update(Msg::Response(
            answer,
            Box::new(Ok(frontdesk::service::Response::Drafts(Vec::new()))),
        ));
        let (_, said) = b.state.message.clone().expect("said");
        assert_eq!(said, t(lang, "msg.unexpected"));
        let screen = b.screen(80, 24);
        assert!(english_words(&screen).is_empty(), "{screen}");
    }
}

#[test]
fn help_scrolled_past_its_end_moves_back_with_one_up() {
    let mut b = bench("clerk", Lang::En);
    b.state.keymap = Keymap::load("vim", None).unwrap();
    b.state.update(Msg::Resize(80, 24));
    b.keys(&["f3", "f1"]);
    let last = b.state.help_last_scroll();
    assert!(last > 0, "the vim map's help is longer than 80x24");
    for _ in 0..40 {
        b.keys(&["down"]);
    }
    b.keys(&["pagedown", "pagedown"]);
    assert_eq!(b.state.help_scroll, last);
    let at_end = b.screen(80, 24);
    // The title says where the help is: at its end, nothing more below.
    let title = |screen: &str| screen.lines().nth(1).unwrap_or("").to_string();
    assert!(
        at_end.contains("Quit") && !title(&at_end).contains('↓'),
        "{at_end}"
    );
    b.keys(&["up"]);
    assert_eq!(b.state.help_scroll, last - 1);
    let moved = b.screen(80, 24);
    assert!(title(&moved).contains('↓') && moved != at_end, "{moved}");
}

use frontdesk::service::{Failure, LinkFailure, ServiceError};
use frontdesk::store::StoreError;

/// The core over a link that loses the first answer to some kinds of write: the write is done,
/// the screen is told the connection dropped before the answer came.
struct LosingCore {
    inner: Embedded,
    lose_first: std::sync::Mutex<Vec<&'static str>>,
    sent: std::sync::Mutex<Vec<Request>>,
}

impl Core for LosingCore {
    fn execute(&self, request: Request) -> Result<frontdesk::service::Response, Failure> {
        self.sent.lock().unwrap().push(request.clone());
        let kind = request.kind();
        let answer = self.inner.execute(request);
        let mut lose_first = self.lose_first.lock().unwrap();
        if let Some(i) = lose_first.iter().position(|k| *k == kind) {
            lose_first.remove(i);
            return Err(Failure::link(LinkFailure::Dropped));
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
    fn execute(&self, request: Request) -> Result<frontdesk::service::Response, Failure> {
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            let error = if request.writes() {
                StoreError::NotSavedUnreachable("timed out".into())
            } else {
                StoreError::Unavailable("timed out".into())
            };
            return Err(Failure::from(ServiceError::Store(error)));
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

#[test]
fn a_question_is_read_whole_and_answered_at_any_size_that_has_keys() {
    use frontdesk::tui::i18n::t;
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        // Clearing a typed form asks a question longer than a 60-column dialog's frame.
        let mut b = bench("clerk", lang);
        b.keys(&["f2", "f5", "enter", "f6"]);
        b.type_text("791028302728");
        b.keys(&["ctrl-x"]);
        assert!(b.state.dialog.is_some(), "{lang:?}: clearing asks");
        let screen = b.screen(60, 16);
        let drawn: Vec<&str> = screen
            .split(|c: char| c.is_whitespace() || "│┌┐└┘─".contains(c))
            .collect();
        for word in t(lang, "confirm.clear").split_whitespace() {
            assert!(
                drawn.contains(&word),
                "{lang:?}: `{word}` of the question is not drawn whole:\n{screen}"
            );
        }
        // In the compact view the question and its choices are drawn too.
        for (width, height) in [(40, 10), (30, 8)] {
            let screen = b.screen(width, height);
            assert!(
                screen.contains(t(lang, "choice.keep")) || screen.contains("Keep"),
                "{lang:?} {width}×{height}: the safe choice is not drawn:\n{screen}"
            );
        }
        b.keys(&["esc"]);
        // Whose form it is survives a narrow frame: the ticket is in the title at 60×16 and in
        // the compact view's heading, with the name typed.
        b.keys(&["tab"]);
        b.type_text("Гүлмира");
        let ticket = b.state.intake.ticket.clone().expect("a called ticket");
        for (width, height) in [(60, 16), (40, 10), (30, 8)] {
            let screen = b.screen(width, height);
            let first_lines: String = screen.lines().take(3).collect::<Vec<_>>().join("\n");
            assert!(
                first_lines.contains(&ticket),
                "{lang:?} {width}×{height}: ticket {ticket} not shown:\n{screen}"
            );
        }
        let screen = b.screen(40, 10);
        assert!(
            screen.lines().next().unwrap().contains("Гүлмира"),
            "{screen}"
        );
    }
}

/// The clock moved on: the screen ticks and asks the core again, as the runtime does.
fn move_clock(b: &mut Bench, clock: &Clock, to: chrono::DateTime<chrono::Utc>) {
    clock.set(to);
    let mut effects = b.state.update(Msg::Tick(to));
    effects.extend(b.state.update(Msg::Changed { queue: true }));
    run_effects(&mut b.state, &b.core, effects);
}

#[test]
fn a_ticket_number_given_again_never_gets_another_persons_form() {
    let clock = Clock::manual(at("2026-11-25T10:15:00+05:00"));
    let mut b = bench_clocked("clerk", Lang::En, clock.clone());
    // Гүлмира (A001) is kept aside when A002 is called; Бекзат's form is typed into.
    b.keys(&["f6"]);
    b.type_text("791028302728");
    b.keys(&["tab"]);
    b.type_text("Гүлмира");
    b.keys(&["f2", "f6", "down", "enter"]);
    b.type_text("061211600012");
    b.keys(&["tab"]);
    b.type_text("Бекзат");
    // The next morning numbering starts again: a new person gets A001.
    move_clock(&mut b, &clock, at("2026-11-26T09:10:00+05:00"));
    let new_a001 = match b
        .core
        .execute(Request::RegisterArrival {
            ticket: None,
            channel: "provider".into(),
            measure: "lifting-allowance".into(),
        })
        .unwrap()
    {
        frontdesk::service::Response::Ticket(Some(ticket)) => ticket,
        other => panic!("{other:?}"),
    };
    assert_eq!(new_a001.number, "A001");
    b.keys(&["f2"]);
    let row = b
        .state
        .queue
        .tickets
        .iter()
        .position(|t| t.number == "A001")
        .unwrap();
    b.state.queue.selected = row;
    // Enter calls the new A001 (Бекзат's form on screen is kept: the second choice).
    b.keys(&["enter", "down", "enter"]);
    assert!(b.state.intake.is_for(&frontdesk::service::Ticket {
        called_at: b.state.intake.opened_at,
        called_by: Some("clerk".into()),
        ..new_a001.clone()
    }));
    assert_eq!(b.state.intake.form.name, "", "a fresh form, not Гүлмира's");
    assert_eq!(b.state.intake.form.iin, "");
    assert_eq!(
        b.state.intake.opened_at,
        Some(clock.now()),
        "its own window"
    );
    assert_eq!(
        b.drafts().len(),
        3,
        "Гүлмира's, Бекзат's and the new A001's"
    );
    // A restart of the screen loses nothing, and Enter on the new A001 opens its own form.
    b.restart();
    b.keys(&["f2"]);
    b.state.queue.selected = b
        .state
        .queue
        .tickets
        .iter()
        .position(|t| t.number == "A001")
        .unwrap();
    b.keys(&["enter"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Intake);
    assert_eq!(b.state.intake.ticket.as_deref(), Some("A001"));
    assert_eq!(b.state.intake.arrived_at, Some(new_a001.arrived_at));
    assert_eq!(b.state.intake.form.name, "");
    let queue = {
        b.keys(&["f2"]);
        b.state.message = None;
        b.screen(80, 24)
    };
    assert!(
        queue.contains("Гүлмира (A001) 25.11 10:15"),
        "yesterday's form names its day: {queue}"
    );
    // Bringing Гүлмира's form back (she is at the counter again) restarts its window now.
    let index = b
        .state
        .kept
        .iter()
        .position(|f| f.form.name == "Гүлмира")
        .unwrap();
    let gulmira = b.state.kept.remove(index);
    b.state.kept.push(gulmira);
    b.state.intake = Default::default();
    b.keys(&["f3"]);
    assert_eq!(b.state.intake.form.name, "Гүлмира");
    assert_eq!(b.state.intake.opened_at, Some(clock.now()));
    let message = b.state.message.clone().unwrap().1;
    assert!(
        message.contains("Гүлмира (A001)") && message.contains("starts again now"),
        "{message}"
    );
    // Accepted, it is gone from the core in the same request, and never comes back.
    b.state.intake.form.documents = b.state.documents();
    b.keys(&["ctrl-s"]);
    assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Receipt);
    assert!(b.drafts().iter().all(|d| d.form.name != "Гүлмира"));
    b.restart();
    assert!(b.state.kept.iter().all(|f| f.form.name != "Гүлмира"));
    assert!(b.state.kept.iter().any(|f| f.form.name == "Бекзат"));
}

#[test]
fn forms_left_from_an_earlier_day_do_not_stop_the_clerk_calling() {
    use frontdesk::domain::intake::MAX_DRAFTS_PER_CLERK;
    let clock = Clock::manual(at("2026-11-25T10:15:00+05:00"));
    let mut b = bench_clocked("clerk", Lang::Ru, clock.clone());
    for _ in 0..MAX_DRAFTS_PER_CLERK {
        b.core
            .execute(Request::RegisterArrival {
                ticket: None,
                channel: "provider".into(),
                measure: "lifting-allowance".into(),
            })
            .unwrap();
    }
    b.keys(&["f6"]);
    b.type_text("Айгүл");
    for _ in 1..MAX_DRAFTS_PER_CLERK {
        b.keys(&["f2", "f6", "down", "enter"]);
        b.type_text("Айгүл");
    }
    assert_eq!(b.state.open_forms().len(), MAX_DRAFTS_PER_CLERK);
    // Full today: calling is refused, with or without a typed form on screen.
    b.keys(&["f2", "f6", "down", "enter"]);
    assert!(b.state.message.clone().unwrap().1.contains("Открыто 8"));
    // The next day those people are gone: their forms stay listed but block nobody.
    move_clock(&mut b, &clock, at("2026-11-26T09:10:00+05:00"));
    b.core
        .execute(Request::RegisterArrival {
            ticket: None,
            channel: "provider".into(),
            measure: "lifting-allowance".into(),
        })
        .unwrap();
    b.keys(&["f2", "f6", "down", "enter"]);
    assert_eq!(b.state.intake.form.name, "", "the new person's own form");
    assert_eq!(b.state.intake.opened_at, Some(clock.now()));
    assert_eq!(b.drafts().len(), MAX_DRAFTS_PER_CLERK + 1);
}

#[test]
fn an_intake_opened_too_long_ago_is_refused_with_advice_in_the_clerks_language() {
    use frontdesk::domain::intake::{FieldProblem, Problem};
    let problem = FieldProblem::new(
        "opened_at",
        Problem::OpenedTooLongAgo { minutes: 90 },
        "old",
    );
    for (lang, words) in [
        (Lang::Kk, ["Қабылдаудың басталуы", "90 мин", "қайта ашыңыз"]),
        (
            Lang::Ru,
            ["Начало приема", "90 мин", "откройте форму заново"],
        ),
        (Lang::En, ["Intake opened", "90 min", "open the form again"]),
    ] {
        let text = frontdesk::tui::i18n::problem_text(lang, &problem);
        for word in words {
            assert!(text.contains(word), "{text}");
        }
        assert!(!text.contains("opened_at"), "{text}");
    }
}

#[test]
fn a_character_the_core_refuses_never_enters_a_field_and_the_clerk_is_told() {
    for (lang, words) in [
        (Lang::Kk, "көрінбейтін таңба (U+200B)"),
        (Lang::Ru, "невидимый символ (U+200B)"),
        (Lang::En, "invisible character U+200B"),
    ] {
        let mut b = bench("clerk", lang);
        b.keys(&["f6"]);
        b.type_text("791028302728");
        b.keys(&["tab"]);
        b.type_text("Гүл\u{200B}мира");
        assert_eq!(b.state.intake.form.name, "Гүлмира");
        let message = b.state.message.clone().unwrap().1;
        assert!(message.contains(words), "{message}");
        // Flushed as the runtime does after a burst: the core keeps the whole form.
        let effects = b.state.update(Msg::Flush);
        run_effects(&mut b.state, &b.core, effects);
        assert_eq!(b.drafts()[0].form.name, "Гүлмира", "{lang:?}");
        b.restart();
        assert_eq!(b.state.kept[0].form.name, "Гүлмира");
        assert_eq!(b.state.kept[0].form.iin, "791028302728");
    }
}

#[test]
fn a_paste_goes_into_the_focused_field_alone() {
    let mut b = bench("clerk", Lang::En);
    b.keys(&["f6", "tab"]);
    let focus = b.state.intake.focus;
    let sector = b.state.intake.sector_choice;
    let effects = b
        .state
        .update(Msg::Paste("Гүлмира\r\nСейітқызы\tБекова\u{FEFF}\n".into()));
    run_effects(&mut b.state, &b.core, effects);
    assert_eq!(b.state.intake.form.name, "Гүлмира Сейітқызы Бекова ");
    assert_eq!(b.state.intake.focus, focus, "the focus stays");
    assert_eq!(b.state.intake.sector_choice, sector);
    assert_eq!(b.state.intake.form.phone, "");
    let message = b.state.message.clone().unwrap().1;
    assert!(message.contains("invisible character U+FEFF"), "{message}");
    // A paste of thousands of characters stops at the field's limit and F8 still answers.
    let effects = b.state.update(Msg::Paste("ы".repeat(5000)));
    run_effects(&mut b.state, &b.core, effects);
    assert!(b.state.intake.form.name.chars().count() <= 400);
    b.keys(&["f8"]);
    assert!(b.state.message.is_some());
}

#[test]
fn an_invisible_character_is_never_called_a_control_character() {
    use frontdesk::domain::intake::{FieldProblem, Problem};
    use frontdesk::domain::text::UnsafeKind;
    let problem = FieldProblem::new(
        "name",
        Problem::UnsafeCharacter {
            position: 4,
            code: 0x200B,
            kind: UnsafeKind::Invisible,
        },
        "x",
    );
    for (lang, word, not) in [
        (Lang::Kk, "көрінбейтін таңба", "басқару"),
        (Lang::Ru, "невидимый символ", "управляющ"),
        (Lang::En, "invisible character", "control"),
    ] {
        let text = frontdesk::tui::i18n::problem_text(lang, &problem);
        assert!(text.contains(word) && text.contains("U+200B"), "{text}");
        assert!(!text.contains(not), "{text}");
    }
    // The core's refusal of a draft holding one names the kind, typed.
    let b = bench("clerk", Lang::En);
    let refused = b
        .core
        .execute(Request::SaveDraft(frontdesk::domain::intake::Draft {
            form: frontdesk::domain::intake::IntakeForm {
                name: "Гүл\u{200B}мира".into(),
                ..Default::default()
            },
            opened_at: b.state.now,
            ticket: None,
            arrived_at: None,
        }))
        .unwrap_err();
    let frontdesk::service::FailureKind::Invalid(problems) = &refused.kind else {
        panic!("{refused:?}")
    };
    assert!(matches!(
        problems[0].kind,
        Problem::UnsafeCharacter {
            kind: UnsafeKind::Invisible,
            code: 0x200B,
            ..
        }
    ));
}

/// Every case the core holds, as stored: compared before and after keys that must record nothing.
fn stored_cases(b: &Bench) -> Vec<frontdesk::domain::case::Case> {
    b.core.service.store().all_cases().unwrap()
}

/// The case open on the screen, as the core now holds it.
fn open_case(b: &Bench) -> frontdesk::domain::case::Case {
    let id = b
        .state
        .detail
        .as_ref()
        .and_then(|d| d.case.as_ref())
        .expect("a case is open")
        .id;
    match b
        .core
        .execute(Request::GetCase {
            case: id.to_string(),
        })
        .unwrap()
    {
        frontdesk::service::Response::Case(case) => *case,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_step_is_recorded_only_when_chosen_in_a_question_that_names_it_and_the_case() {
    use frontdesk::tui::state::DialogKind;
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let mut b = bench("clerk", lang);
        b.keys(&["f4", "enter"]);
        let case = open_case(&b);
        assert_eq!(case.current_step().unwrap().step_id, "P1");
        let before = stored_cases(&b);
        // A stray digit asks; it records nothing.
        b.keys(&["1"]);
        let dialog = b.state.dialog.clone().expect("the step is asked first");
        assert!(
            matches!(dialog.kind, DialogKind::ConfirmStep { .. }),
            "{dialog:?}"
        );
        assert_eq!(dialog.choices[dialog.selected].0, "back", "Back is first");
        let register = frontdesk::tui::i18n::t(lang, "act.register");
        for named in [
            register,
            &case.receipt_no.to_string(),
            &case.intake.applicant.name,
        ] {
            assert!(dialog.title.contains(named), "{named} in {}", dialog.title);
        }
        let screen = b.screen(80, 24);
        insta::assert_snapshot!(format!("confirm_step_{}", lang.code()), screen);
        assert_eq!(
            stored_cases(&b),
            before,
            "{lang:?}: a digit recorded a step"
        );
        // The same digit again, and Enter on the first choice: still nothing.
        b.keys(&["1", "1"]);
        assert!(
            b.state.dialog.is_some(),
            "a digit does not answer the question"
        );
        b.keys(&["enter"]);
        assert!(b.state.dialog.is_none());
        assert_eq!(stored_cases(&b), before, "{lang:?}: Enter recorded a step");
        assert!(b.state.detail.is_some(), "Back stays on the case");
        // Chosen knowingly: recorded.
        b.keys(&["1", "down", "enter"]);
        let after = open_case(&b);
        assert_eq!(after.current_step().unwrap().step_id, "P2", "{lang:?}");
        assert!(after.steps[0].finished_at.is_some());
    }
}

#[test]
fn the_cases_key_always_shows_the_list_and_never_reopens_a_case() {
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let mut b = bench("clerk", lang);
        b.keys(&["f4", "enter"]);
        assert!(b.state.detail.is_some());
        b.keys(&["f4"]);
        assert!(b.state.detail.is_none(), "F4 on a case view shows the list");
        assert_eq!(b.state.screen, frontdesk::tui::state::Screen::Cases);
        b.keys(&["enter", "f2", "f4"]);
        assert!(
            b.state.detail.is_none(),
            "F4 after the queue shows the list"
        );
        assert_eq!(
            b.state.mode(),
            frontdesk::tui::keymap::Mode::List,
            "{lang:?}"
        );
        // The tester's sequence: a digit after F4 moves the list or does nothing; it records nothing.
        let before = stored_cases(&b);
        b.keys(&["1"]);
        assert_eq!(stored_cases(&b), before);
    }
}

#[test]
fn search_typed_on_a_case_view_searches_the_list_and_records_nothing() {
    use frontdesk::tui::state::DialogKind;
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let mut b = bench("clerk", lang);
        // An earlier search, to see the new one start empty.
        b.keys(&["f4", "/"]);
        b.type_text("Әсел");
        b.keys(&["enter", "enter"]);
        assert!(b.state.detail.is_some());
        let before = stored_cases(&b);
        b.keys(&["/"]);
        let dialog = b.state.dialog.clone().expect("/ opens the search");
        assert_eq!(dialog.kind, DialogKind::Search);
        assert_eq!(dialog.input, "", "a new search starts empty");
        assert!(b.state.detail.is_none(), "the case is left for the list");
        b.type_text("000001");
        assert_eq!(
            stored_cases(&b),
            before,
            "{lang:?}: typed digits recorded a step"
        );
        b.keys(&["enter"]);
        assert_eq!(b.state.cases.search, "000001");
        let found: Vec<String> = b
            .state
            .cases
            .list
            .iter()
            .map(|c| c.receipt_no.to_string())
            .collect();
        assert!(
            !found.is_empty() && found.iter().all(|n| n.ends_with("000001")),
            "{found:?}"
        );
        assert_eq!(stored_cases(&b), before);
    }
}
