//! End to end: the real binary in a pseudo-terminal on a temporary data directory.

use crate::common;

use std::process::Command;
use std::time::Duration;

use common::pty::{keys, Screen};

fn frontdesk(data: &std::path::Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("FRONTDESK_NOW")
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

const NOW: &str = "2026-11-25T09:02:00+05:00";

fn start(data: &std::path::Path, extra: &[&str]) -> Screen {
    std::fs::create_dir_all(data).unwrap();
    frontdesk::config::mark_training(data).unwrap();
    let mut args = vec!["--lang", "en", "--as", "clerk", "--now", NOW];
    args.extend_from_slice(extra);
    Screen::spawn(data, &args, &[], 80, 24)
}

fn fill_applicant(screen: &mut Screen) {
    screen.send(keys::F5); // register an arrival
    screen.wait_for("Ticket number");
    screen.send(keys::ENTER);
    screen.wait_for("A001");
    screen.send(keys::F6); // call the next one: intake opens
    screen.wait_for("Acceptance window");
    screen.type_text("791028302728");
    screen.wait_for("IIN valid");
    screen.send(keys::TAB);
    screen.type_text("Әсел Нұрланқызы");
    screen.send(keys::TAB);
    screen.type_text("+7 701 234 56 78");
    screen.send(keys::TAB);
    screen.send(" "); // sector: healthcare
    screen.send(keys::TAB);
    screen.type_text("Үшарал");
    for _ in 0..5 {
        screen.send(keys::TAB);
    }
}

#[test]
fn a_full_intake_ends_in_a_receipt_and_a_stored_case() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Walk-in queue");
    fill_applicant(&mut screen);
    for _ in 0..6 {
        screen.send(" ");
        screen.send(keys::TAB);
    }
    screen.wait_for("Document package 6/6");
    screen.wait_for("F8 Accept");
    screen.send(keys::F8);
    screen.wait_for("┌ ALM01-2026-000001");
    screen.wait_for("Расписка о приеме документов");
    screen.send(keys::F10);
    assert!(
        screen.wait_exit(Duration::from_secs(5)).is_some(),
        "F10 did not quit"
    );
    let shown = frontdesk(dir.path(), &["case", "show", "ALM01-2026-000001"]);
    assert!(
        shown.contains("Әсел Нұрланқызы (IIN 791028302728), +77012345678"),
        "{shown}"
    );
    assert!(
        shown.contains("sector healthcare; settlement Үшарал"),
        "{shown}"
    );
}

#[test]
fn a_missing_document_gives_a_refusal_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Walk-in queue");
    fill_applicant(&mut screen);
    // Everything but the certificate of address (the fifth document).
    for i in 0..6 {
        if i != 4 {
            screen.send(" ");
        }
        screen.send(keys::TAB);
    }
    screen.wait_for("Refuse to accept (1 missing)");
    screen.send(keys::F8);
    screen.wait_for("issue the refusal receipt?");
    // The first choice goes back to the form; refusing is the second.
    screen.send(keys::DOWN);
    screen.send(keys::ENTER);
    screen.wait_for("┌ ALM01-2026-000001");
    screen.wait_for("Расписка об отказе");
    screen.send(keys::F10);
    screen.wait_exit(Duration::from_secs(5));
    let shown = frontdesk(dir.path(), &["case", "show", "1"]);
    assert!(shown.contains("refused to accept"), "{shown}");
    assert!(
        shown.contains("Missing documents: address-certificate"),
        "{shown}"
    );
}

#[test]
fn a_resize_to_20x6_and_back_does_not_break_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Walk-in queue");
    screen.resize(20, 6);
    screen.wait_for("Terminal too small");
    // Keys sent while nothing can be seen change nothing: no intake, nobody called.
    screen.send(keys::F5);
    screen.send(keys::ENTER);
    screen.send(keys::F3);
    screen.resize(80, 24);
    screen.wait_for("Walk-in queue");
    screen.wait_for("No one is waiting");
    screen.wait_for("My deadlines");
    assert!(
        screen.child.try_wait().unwrap().is_none(),
        "the app died on resize"
    );
}

#[test]
fn term_linux_draws_ascii_borders() {
    let dir = tempfile::tempdir().unwrap();
    let screen = Screen::spawn(
        dir.path(),
        &["--lang", "en", "--as", "clerk"],
        &[("TERM", "linux")],
        80,
        24,
    );
    screen.wait_for("+ Walk-in queue ---");
    let contents = screen.contents();
    assert!(
        !contents.contains('┌') && !contents.contains('│'),
        "{contents}"
    );
}

#[test]
fn a_broken_user_keymap_gives_its_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path()).unwrap();
    std::fs::write(dir.path().join("keymap.toml"), "[global]\nf1 = \"fly\"\n").unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("keymap file has errors");
    screen.send(keys::F10);
    assert!(screen.wait_exit(Duration::from_secs(5)).is_some());
    let checked = frontdesk(
        dir.path(),
        &[
            "keymap",
            "check",
            dir.path().join("keymap.toml").to_str().unwrap(),
        ],
    );
    assert!(
        checked.contains("keymap.toml:2: global.f1: unknown action `fly`"),
        "{checked}"
    );
}

#[test]
fn a_dropped_link_keeps_the_half_typed_intake() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Walk-in queue");
    screen.send(keys::F3);
    screen.wait_for("Acceptance window");
    screen.type_text("061211600012");
    screen.send(keys::TAB);
    screen.type_text("Бекзат");
    // Tick the first document (the checklist follows the nine fields).
    for _ in 0..8 {
        screen.send(keys::TAB);
    }
    screen.send(" ");
    screen.wait_for("Document package 1/6");
    std::thread::sleep(Duration::from_millis(200));
    // SIGHUP, as when the SSH session dies.
    let pid = screen.child.process_id().unwrap();
    Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    assert!(
        screen.wait_exit(Duration::from_secs(5)).is_some(),
        "SIGHUP did not stop the app"
    );
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Intakes not submitted 1: Бекзат");
    screen.send(keys::F3);
    screen.wait_for("061211600012");
    screen.wait_for("Document package 1/6");
}

#[test]
fn a_form_kept_aside_and_the_called_persons_form_both_survive_a_dropped_link() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Walk-in queue");
    for ticket in ["A001", "A002"] {
        screen.send(keys::F5);
        screen.wait_for("Ticket number");
        screen.send(keys::ENTER);
        screen.wait_for(ticket);
    }
    screen.send(keys::F6);
    screen.wait_for("Ticket A001");
    screen.type_text("791028302728");
    screen.send(keys::TAB);
    screen.type_text("Гүлмира");
    screen.send(keys::F2);
    screen.send(keys::F6);
    screen.wait_for("Call the next person; this form is kept");
    screen.send(keys::DOWN);
    screen.send(keys::ENTER);
    screen.wait_for("Ticket A002");
    screen.type_text("061211600012");
    screen.send(keys::TAB);
    screen.type_text("Бекзат");
    screen.wait_for("Бекзат");
    std::thread::sleep(Duration::from_millis(200));
    let pid = screen.child.process_id().unwrap();
    Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    assert!(screen.wait_exit(Duration::from_secs(5)).is_some());
    let mut screen = start(dir.path(), &[]);
    // Each form is named with its ticket and the time it was opened.
    screen.wait_for("Intakes not submitted 2: Гүлмира (A001) ");
    screen.wait_for(" · Бекзат (A002) ");
    screen.send(keys::F3);
    screen.wait_for("Ticket A002");
    screen.wait_for("061211600012");
    screen.send(keys::F2);
    screen.wait_for("Not submitted: Гүлмира (A001) ");
    screen.wait_for(" · Бекзат (A002) ");
}

/// An intake with every document ticked, accepted: the receipt preview is on screen.
fn accept_complete(screen: &mut Screen) {
    fill_applicant(screen);
    for _ in 0..6 {
        screen.send(" ");
        screen.send(keys::TAB);
    }
    screen.wait_for("Document package 6/6");
    screen.send(keys::F8);
    screen.wait_for("┌ ALM01-2026-000001");
}

#[test]
fn a_hung_print_command_never_freezes_the_screen_and_is_stopped_at_its_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let config = frontdesk::config::EXAMPLE_CONFIG_TOML.replace(
        "print_command = \"lp -d receipts\"",
        "print_command = \"sleep 30\"\nprint_timeout_seconds = 3",
    );
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Walk-in queue");
    accept_complete(&mut screen);
    let started = std::time::Instant::now();
    screen.send(keys::F5);
    screen.wait_for("Printing…");
    // The loop still takes keys while the printer is busy: help opens and closes at once.
    screen.send(keys::F1);
    screen.wait_for("[receipt]");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "keys waited for the printer"
    );
    screen.send(keys::F1);
    screen.wait_for("did not answer in time");
    assert!(started.elapsed() < Duration::from_secs(15));
    screen.send(keys::F10);
    assert!(screen.wait_exit(Duration::from_secs(5)).is_some());
}

#[test]
fn a_missing_print_command_says_what_to_set_in_the_clerks_language() {
    let dir = tempfile::tempdir().unwrap();
    let config = frontdesk::config::EXAMPLE_CONFIG_TOML.replace(
        "print_command = \"lp -d receipts\"",
        "print_command = \"no-such-lp -d receipts\"",
    );
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Walk-in queue");
    accept_complete(&mut screen);
    screen.send(keys::F9); // Kazakh
    screen.send(keys::F5);
    screen.wait_for("басып шығару командасы табылмады");
    let contents = screen.contents();
    assert!(contents.contains("print_command"), "{contents}");
    assert!(!contents.contains("not found"), "{contents}");
}

#[test]
fn the_first_start_without_a_configuration_says_it_is_a_demonstration() {
    let dir = tempfile::tempdir().unwrap();
    let screen = start(dir.path(), &[]);
    screen.wait_for("Demonstration: the staff and offices are an example");
    screen.wait_for("frontdesk init");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        frontdesk::config::EXAMPLE_CONFIG_TOML,
    )
    .unwrap();
    let screen = start(dir.path(), &[]);
    screen.wait_for("F1 Help");
    assert!(!screen.contents().contains("Demonstration"));
}

#[test]
fn a_long_paste_never_leaves_f8_dead() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Walk-in queue");
    screen.send(keys::F3);
    screen.wait_for("Acceptance window");
    screen.send(keys::TAB);
    screen.send(&"я".repeat(5000));
    screen.send(keys::F8);
    // F8 answers at once: the form is checked (the empty IIN comes first).
    screen.wait_for_within("Please fix: IIN", Duration::from_secs(5));
}

#[test]
fn a_bracketed_paste_with_line_breaks_and_tabs_stays_in_the_focused_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = start(dir.path(), &[]);
    screen.wait_for("Walk-in queue");
    screen.send(keys::F5);
    screen.wait_for("Ticket number");
    screen.send(keys::ENTER);
    screen.wait_for("A001");
    screen.send(keys::F6);
    screen.wait_for("Acceptance window");
    screen.type_text("791028302728");
    screen.wait_for("IIN valid");
    screen.send(keys::TAB);
    // What a terminal sends for a pasted two-line name with a tab and a zero-width space.
    screen.send("\x1b[200~Гүлмира\r\nСейіт\u{200B}қызы\tБекова\x1b[201~");
    screen.wait_for("Гүлмира Сейітқызы Бекова");
    screen.wait_for("invisible character U+200B");
    // Nothing spilled: the phone field is empty and the focus is still on the name.
    screen.type_text("X");
    screen.wait_for("Гүлмира Сейітқызы БековаX");
}
