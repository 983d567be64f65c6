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

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// What an administrator adds once Kurban Ait 2027 is published (the date here is a test's).
const KURBAN_AIT_2027: &str = "
[[dated]]
name = { kk = \"Құрбан айт\", ru = \"Курбан айт\", en = \"Kurban Ait\" }
kind = \"religious\"
date = \"2027-05-17\"
source = { act = \"Labour Code of the Republic of Kazakhstan\", date = \"2015-11-23\", number = \"414-V\", article = \"84(5)\" }
";

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
    let text = include_str!("../../data/regulation.toml").replacen(
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

    std::fs::write(&path, include_str!("../../data/regulation.toml")).unwrap();
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
        "{}{KURBAN_AIT_2027}",
        include_str!("../../data/calendar.toml")
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
        "[[holiday]]\nname = \"x\"\nkind = \"religious\"\ndates = [\"02-30\"]\nsource = { act = \"Law\" }\n",
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
        format!("{}\n[[dated]]\nname = \"Decreed day off\"\nkind = \"religious\"\ndate = \"2026-12-01\"\nsource = {{ act = \"Decree\" }}\n", include_str!("../../data/calendar.toml")),
    )
    .unwrap();
    let out = run(&["calendar", "impact", file.to_str().unwrap()]);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("1 ALM01-2026-000001 P3: "), "{out}");
    assert!(lines[1].starts_with("1 of 2 open cases"), "{out}");
}

fn deadline(from: &str, duration: &str) -> Output {
    frontdesk(&[
        "calendar",
        "deadline",
        "--schedule",
        "provider",
        "--from",
        from,
        "--duration",
        duration,
    ])
}

#[test]
fn a_duration_the_calendar_cannot_count_is_an_error_naming_it() {
    for duration in ["3000wd", "20000h", "1250000m"] {
        let output = deadline("2026-11-25T10:00:00+05:00", duration);
        assert!(!output.status.success(), "{duration}: {}", stdout(&output));
        assert_eq!(stdout(&output), "", "{duration}");
        let error = stderr(&output);
        assert!(
            error.contains(&format!("--duration: {duration} cannot be counted")),
            "{error}"
        );
    }
    for zero in ["0m", "0wd"] {
        let output = deadline("2026-11-28T10:00:00+05:00", zero);
        assert!(!output.status.success(), "{zero}");
        assert!(
            stderr(&output).contains("counts no working time"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn instants_outside_the_calendar_years_are_refused() {
    let output = deadline("9999-12-01T10:00:00+05:00", "46wd");
    assert!(!output.status.success());
    assert!(!stdout(&output).contains("+10000"), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("--from: 9999-12-01") && stderr(&output).contains("1990–2100"),
        "{}",
        stderr(&output)
    );
    let output = deadline("2100-12-20T10:00:00+05:00", "46wd");
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("ends after 31 December 2100"),
        "{}",
        stderr(&output)
    );
    let output = frontdesk(&[
        "--now",
        "2026-11-25T10:00:00+05:00",
        "calendar",
        "remaining",
        "--schedule",
        "provider",
        "--deadline",
        "9999-01-01T00:00:00Z",
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--deadline"),
        "{}",
        stderr(&output)
    );
    let output = frontdesk(&["calendar", "holidays", "2101"]);
    assert!(!output.status.success());
}

#[test]
fn regulation_check_refuses_limits_beyond_a_working_year() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regulation.toml");
    let text = include_str!("../../data/regulation.toml").replacen(
        "limit = { lifting-allowance = \"26wd\"",
        "limit = { lifting-allowance = \"4000wd\"",
        1,
    );
    std::fs::write(&path, &text).unwrap();
    let output = frontdesk(&["regulation", "check", path.to_str().unwrap()]);
    assert!(!output.status.success());
    let line = text.lines().position(|l| l.contains("4000wd")).unwrap() + 1;
    assert!(
        stderr(&output).contains(&format!(
            "regulation.toml:{line}: channels[0].steps[2].limit.lifting-allowance: 4000wd is longer than a working year (250wd)"
        )),
        "{}",
        stderr(&output)
    );
}

#[test]
fn calendar_check_warns_about_the_years_live_deadlines_reach() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calendar.toml");
    let check = |now: &str| frontdesk(&["--now", now, "calendar", "check", path.to_str().unwrap()]);
    std::fs::write(&path, include_str!("../../data/calendar.toml")).unwrap();
    // In November 2026 live deadlines reach 2027, whose Kurban Ait and transfers are unknown.
    let output = check("2026-11-25T10:00:00+05:00");
    assert!(output.status.success(), "warnings are not errors");
    let warnings: Vec<_> = stderr(&output)
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(str::to_string)
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("2027: no Kurban Ait date"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("2027: transfers not confirmed as reviewed"),
        "{warnings:?}"
    );
    assert!(
        stdout(&output).contains("valid with 2 warning(s)"),
        "{}",
        stdout(&output)
    );
    // A year earlier, 2025 and 2026 were complete.
    let output = check("2025-11-25T10:00:00+05:00");
    assert!(output.status.success());
    assert_eq!(stderr(&output), "");

    // Next year's decree and Kurban Ait applied: no warning.
    std::fs::write(
        &path,
        format!(
            "{}{KURBAN_AIT_2027}\n[[year]]\nyear = 2027\ntransfers_reviewed = {{ act = \"Order of the Ministry of Labour and Social Protection of the Population\" }}\n",
            include_str!("../../data/calendar.toml")
        ),
    )
    .unwrap();
    let output = check("2026-11-25T10:00:00+05:00");
    assert!(output.status.success());
    assert_eq!(stderr(&output), "");

    // An entry without its act is an error, with its line.
    std::fs::write(
        &path,
        "[[transfer]]\nday_off = \"2027-01-08\"\nwork_day = \"2027-01-09\"\n",
    )
    .unwrap();
    let output = check("2026-11-25T10:00:00+05:00");
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("missing field `source`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_calendar_with_english_only_names_still_counts_and_check_warns_of_each_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calendar.toml");
    // The format before names had languages: `name = "…"`.
    let old = include_str!("../../data/calendar.toml")
        .lines()
        .map(|line| match line.strip_prefix("name = {") {
            Some(names) => {
                let english = names.split("en = ").nth(1).unwrap().trim_end_matches(" }");
                format!("name = {english}")
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(old.contains("name = \"New Year\"\n"), "{old}");
    std::fs::write(&path, &old).unwrap();
    let output = frontdesk(&[
        "--now",
        "2025-11-25T10:00:00+05:00",
        "calendar",
        "check",
        path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let warnings: Vec<_> = stderr(&output)
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(str::to_string)
        .collect();
    let holidays = old.matches("\nname = ").count();
    assert_eq!(warnings.len(), holidays, "{warnings:?}");
    assert!(
        warnings[0].ends_with(
            "calendar.toml: holiday[0].name: no name in kk, ru; screens in that language say \"holiday or day off\" instead of the name: write name = { kk = \"…\", ru = \"…\", en = \"…\" }"
        ),
        "{warnings:?}"
    );
    assert!(
        stdout(&output).contains(&format!("valid with {holidays} warning(s)")),
        "{}",
        stdout(&output)
    );
    // Deadlines count the same holidays; the command line names them in English.
    let output = frontdesk(&[
        "--calendar",
        path.to_str().unwrap(),
        "calendar",
        "holidays",
        "2026",
        "--json",
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows[0]["note"], "public holiday: New Year");
    assert_eq!(rows[0]["name"], serde_json::json!({ "en": "New Year" }));
    let output = frontdesk(&["calendar", "holidays", "2026", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        rows[0]["name"],
        serde_json::json!({ "kk": "Жаңа жыл", "ru": "Новый год", "en": "New Year" })
    );
}

#[test]
fn holidays_show_the_act_behind_each_day() {
    let output = frontdesk(&["calendar", "holidays", "2024", "--sources"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains("2024-05-04 Sat work  working day by transfer (for 2024-05-08)\n                     source: Order of the Ministry of Labour and Social Protection of the Population of 17 April 2024"),
        "{text}"
    );
    assert!(
        text.contains("transfers of 2024 reviewed against: Order of the Ministry of Labour"),
        "{text}"
    );
    let output = frontdesk(&["calendar", "holidays", "2027", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let constitution = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["date"] == "2027-03-15")
        .expect("Constitution Day 2027");
    assert_eq!(constitution["source"]["date"], "2026-03-15");
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["date"] != "2027-08-30"));
}
