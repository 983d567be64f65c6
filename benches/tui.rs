//! A keystroke's update and draw on a TestBackend at 80×24, with a list of 60 cases on screen.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use frontdesk::domain::intake::IntakeForm;
use frontdesk::domain::Lang;
use frontdesk::service::fixture::iin_for;
use frontdesk::service::{Clock, Request, Service, Site, SiteOptions};
use frontdesk::tui::core::{Context, Embedded};
use frontdesk::tui::keymap::{Chord, Keymap};
use frontdesk::tui::runtime::run_effects;
use frontdesk::tui::state::{Msg, State};
use frontdesk::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn keystroke(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-25T11:00:00+05:00")
        .unwrap()
        .with_timezone(&Utc);
    let site = Site::load(&SiteOptions {
        data_dir: dir.path().to_path_buf(),
        ..SiteOptions::default()
    })
    .unwrap();
    let config = site.config.clone();
    let service = Arc::new(Service::open(site, dir.path(), Clock::Fixed(now)).unwrap());
    let clerk = config.staff_member("clerk").unwrap().clone();
    let docs = service
        .regulation()
        .required_documents(&["lifting-allowance".into()], false)
        .unwrap();
    for n in 0..60 {
        let form = IntakeForm {
            channel: "provider".into(),
            measures: vec!["lifting-allowance".into()],
            iin: iin_for(n),
            name: format!("Өтініш беруші {n}"),
            documents: docs.clone(),
            ..IntakeForm::default()
        };
        service
            .execute(
                &clerk.actor(),
                Request::Accept {
                    draft: None,
                    form,
                    opened_at: None,
                },
            )
            .unwrap();
    }
    let context = Context {
        regulation: service.regulation_arc(),
        office: config.office(&clerk.office).unwrap().clone(),
        me: clerk.clone(),
        staff: config.staff.clone(),
    };
    let core = Embedded {
        service,
        actor: clerk.actor(),
    };
    let mut state = State::new(
        context,
        Keymap::load("default", None).unwrap(),
        Lang::Kk,
        Theme {
            high_contrast: false,
            ascii: false,
        },
        now,
    );
    let effects = state.update(Msg::Start);
    run_effects(&mut state, &core, effects);
    let effects = state.update(Msg::Key(Chord::parse("f4").unwrap()));
    run_effects(&mut state, &core, effects);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (down, up) = (Chord::parse("down").unwrap(), Chord::parse("up").unwrap());
    let mut flip = false;
    c.bench_function("keystroke: update + draw, cases list at 80x24", |b| {
        b.iter(|| {
            flip = !flip;
            let effects = state.update(Msg::Key(if flip { down } else { up }));
            run_effects(&mut state, &core, effects);
            terminal
                .draw(|frame| frontdesk::tui::view::view(&state, frame))
                .unwrap();
        })
    });
    // Typing into the intake form: update, draft kept by the core, draw.
    let effects = state.update(Msg::Key(Chord::parse("f3").unwrap()));
    run_effects(&mut state, &core, effects);
    c.bench_function(
        "keystroke: typing in the intake form (draft saved) at 80x24",
        |b| {
            b.iter(|| {
                flip = !flip;
                let key = if flip {
                    Chord::parse("a").unwrap()
                } else {
                    Chord::parse("backspace").unwrap()
                };
                let effects = state.update(Msg::Key(key));
                run_effects(&mut state, &core, effects);
                terminal
                    .draw(|frame| frontdesk::tui::view::view(&state, frame))
                    .unwrap();
            })
        },
    );
}

criterion_group!(benches, keystroke);
criterion_main!(benches);
