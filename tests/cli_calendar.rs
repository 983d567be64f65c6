//! The scriptable calendar and regulation commands, run as an administrator runs them.

use std::process::{Command, Output};

fn frontdesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(args)
        .env_remove("FRONTDESK_NOW")
        .output()
        .expect("binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn deadline_prints_local_rfc3339_on_the_first_line() {
    let output = frontdesk(&[
        "calendar",
        "deadline",
        "--schedule",
        "provider",
        "--from",
        "2026-11-20T12:00:00Z",
        "--duration",
        "3h",
    ]);
    assert!(output.status.success());
    assert_eq!(
        stdout(&output).lines().next(),
        Some("2026-11-23T10:30:00+05:00")
    );
}

#[test]
fn explain_lists_the_intervals_and_skipped_days() {
    let output = frontdesk(&[
        "calendar",
        "deadline",
        "--schedule",
        "provider",
        "--from",
        "2026-03-20T17:00:00+05:00",
        "--duration",
        "3h",
        "--explain",
    ]);
    let text = stdout(&output);
    assert!(text.contains("2026-03-20 Fri 17:00–18:30"), "{text}");
    assert!(
        text.contains("2026-03-24 Tue  skipped: day off moved from Nauryz"),
        "{text}"
    );
    assert!(
        text.contains("2026-03-26 Thu 09:00–10:30  1h30m (total 3h)"),
        "{text}"
    );
}

#[test]
fn deadline_json_is_machine_readable() {
    let output = frontdesk(&[
        "calendar",
        "deadline",
        "--schedule",
        "state-corp",
        "--from",
        "2026-03-07T19:50:00+05:00",
        "--duration",
        "3h",
        "--json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["deadline"], "2026-03-10T11:50:00+05:00");
}

#[test]
fn route_ends_with_the_date_the_result_is_due() {
    let output = frontdesk(&[
        "calendar",
        "route",
        "--channel",
        "provider",
        "--measure",
        "lifting-allowance",
        "--from",
        "2026-03-02T10:00:00+05:00",
    ]);
    assert!(output.status.success());
    let text = stdout(&output);
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].starts_with("P1"));
    // P2 crosses the lunch break; P3's 26 working days skip 9 March and Nauryz; P5 crosses lunch.
    assert!(lines[1].contains("→ 2026-03-02T15:00:00+05:00"), "{text}");
    assert!(lines[2].contains("→ 2026-04-13T18:30:00+05:00"), "{text}");
    assert_eq!(lines[5], "result due: 2026-04-14T15:00:00+05:00");
}

#[test]
fn bad_arguments_name_the_argument() {
    for (args, argument) in [
        (
            vec![
                "calendar",
                "deadline",
                "--schedule",
                "provider",
                "--from",
                "yesterday",
                "--duration",
                "3h",
            ],
            "--from",
        ),
        (
            vec![
                "calendar",
                "deadline",
                "--schedule",
                "provider",
                "--from",
                "2026-01-01T00:00:00Z",
                "--duration",
                "3 days",
            ],
            "--duration",
        ),
        (
            vec![
                "calendar",
                "deadline",
                "--schedule",
                "bank",
                "--from",
                "2026-01-01T00:00:00Z",
                "--duration",
                "3h",
            ],
            "--schedule",
        ),
        (
            vec![
                "calendar",
                "route",
                "--channel",
                "post",
                "--measure",
                "housing-credit",
                "--from",
                "2026-01-01T00:00:00Z",
            ],
            "--channel",
        ),
        (
            vec![
                "calendar",
                "route",
                "--channel",
                "provider",
                "--measure",
                "car",
                "--from",
                "2026-01-01T00:00:00Z",
            ],
            "--measure",
        ),
    ] {
        let output = frontdesk(&args);
        assert!(!output.status.success(), "{args:?}");
        let error = String::from_utf8_lossy(&output.stderr);
        assert!(error.contains(argument), "{args:?}: {error}");
    }
}

#[test]
fn regulation_check_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regulation.toml");
    let text = include_str!("../data/regulation.toml").replacen(
        "schedule = \"provider\"\nlimit = \"3h\"",
        "schedule = \"bank\"\nlimit = \"3h\"",
        1,
    );
    std::fs::write(&path, &text).unwrap();
    let output = frontdesk(&["regulation", "check", path.to_str().unwrap()]);
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    let line = text
        .lines()
        .position(|l| l == "schedule = \"bank\"")
        .unwrap()
        + 1;
    assert!(
        error.contains(&format!(
            "regulation.toml:{line}: channels[0].steps[1].schedule: unknown schedule `bank`"
        )),
        "{error}"
    );

    std::fs::write(&path, include_str!("../data/regulation.toml")).unwrap();
    let output = frontdesk(&["regulation", "check", path.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn regulation_show_prints_the_route() {
    let output = frontdesk(&["regulation", "show"]);
    let text = stdout(&output);
    assert!(text.contains("P3  executor"), "{text}");
    assert!(text.contains("housing-credit 46wd"), "{text}");
}

#[test]
fn an_administrator_extends_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calendar.toml");
    let extended = format!(
        "{}\n[[dated]]\nname = \"Kurban Ait\"\nkind = \"religious\"\ndate = \"2027-05-17\"\n",
        include_str!("../data/calendar.toml")
    );
    std::fs::write(&path, extended).unwrap();
    let output = frontdesk(&["calendar", "check", path.to_str().unwrap()]);
    assert!(output.status.success());
    let output = frontdesk(&[
        "--calendar",
        path.to_str().unwrap(),
        "calendar",
        "holidays",
        "2027",
    ]);
    assert!(
        stdout(&output).contains("2027-05-17 Mon off   public holiday: Kurban Ait"),
        "{}",
        stdout(&output)
    );

    std::fs::write(
        &path,
        "[[holiday]]\nname = \"x\"\nkind = \"state\"\ndates = [\"02-30\"]\n",
    )
    .unwrap();
    let output = frontdesk(&["calendar", "check", path.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("calendar.toml:4: holiday[0].dates[0]")
    );
}

#[test]
fn calendar_impact_lists_the_live_deadlines_a_new_file_would_move() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    frontdesk::config::mark_training(&data).unwrap();
    let data = data.to_str().unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .args(["--data", data, "--now", "2026-11-25T10:00:00+05:00"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    for iin in ["791028302728", "061211600012"] {
        run(&[
            "case",
            "accept",
            "--measure",
            "lifting-allowance",
            "--iin",
            iin,
            "--name",
            "Әсел",
            "--docs",
            "all",
        ]);
    }
    run(&["case", "act", "1", "register"]);
    run(&[
        "--as",
        "head",
        "case",
        "act",
        "1",
        "assign-executor",
        "--executor",
        "executor",
    ]);
    // Next year's file adds a day off on 1 December 2026, inside case 1's 26 working days.
    let file = dir.path().join("calendar.toml");
    std::fs::write(
        &file,
        format!("{}\n[[dated]]\nname = \"Decreed day off\"\nkind = \"religious\"\ndate = \"2026-12-01\"\n", include_str!("../data/calendar.toml")),
    )
    .unwrap();
    let out = run(&["calendar", "impact", file.to_str().unwrap()]);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("1 ALM01-2026-000001 P3: "), "{out}");
    assert!(lines[1].starts_with("1 of 2 open cases"), "{out}");
}
