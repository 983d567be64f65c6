//! Free text that would act on a colleague's terminal or a spreadsheet: refused where it is typed,
//! neutralised where it is exported.

use std::path::Path;

use crate::common::run_cli;

fn frontdesk(data: &Path, args: &[&str]) -> (bool, String, String) {
    let run = run_cli(data, &[&["--as", "clerk"], args].concat());
    (run.ok, run.stdout, run.stderr)
}

fn accept(
    data: &Path,
    iin: &str,
    name: &str,
    settlement: &str,
    representative: &str,
) -> (bool, String) {
    let representative_iin = frontdesk::service::fixture::iin_for(1000);
    // `--flag=value`, so a value that begins with `-` stays a value.
    let mut args = vec![
        "case".to_string(),
        "accept".into(),
        "--measure=lifting-allowance".into(),
        format!("--iin={iin}"),
        format!("--name={name}"),
        format!("--settlement={settlement}"),
        "--docs=all".into(),
    ];
    if !representative.is_empty() {
        args.extend([
            format!("--representative={representative}"),
            format!("--representative-iin={representative_iin}"),
            "--poa=№ 123 от 01.11.2026, нотариус Ахметова".into(),
        ]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, out, err) = frontdesk(data, &args);
    (ok, out + &err)
}

#[test]
fn control_bidi_and_invisible_characters_are_refused_with_their_position() {
    let dir = tempfile::tempdir().unwrap();
    for (name, code) in [
        ("Әсел\u{1b}]0;owned\u{7}", "U+001B"),
        ("Әсел\u{202e}ловсӘ", "U+202E"),
        ("Ә\u{200b}сел", "U+200B"),
        ("\u{2066}Әсел", "U+2066"),
        ("Әсел\u{feff}", "U+FEFF"),
    ] {
        let (ok, out) = accept(dir.path(), "791028302728", name, "", "");
        assert!(!ok, "accepted {name:?}");
        assert!(out.contains("name") && out.contains(code), "{out}");
        assert!(out.contains("position"), "{out}");
    }
    let (ok, out) = accept(dir.path(), "791028302728", "Әсел", "Ушарал\u{9b}2J", "");
    assert!(!ok && out.contains("settlement"), "{out}");
    // Reasons too.
    let (ok, out) = accept(dir.path(), "791028302728", "Әсел", "", "");
    assert!(ok, "{out}");
    let (ok, _, err) = frontdesk(
        dir.path(),
        &[
            "receipt",
            "void",
            "1",
            "--reason",
            "wrong\u{1b}[2J signed by head",
        ],
    );
    assert!(
        !ok && err.contains("U+001B") && err.contains("position 6"),
        "{err}"
    );
    let (ok, _, err) = frontdesk(dir.path(), &["receipt", "void", "1", "--reason", "typo"]);
    assert!(ok, "{err}");
}

#[test]
fn the_csv_export_reads_back_with_formulas_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let payloads = [
        "=HYPERLINK(\"http://x\",\"click\")",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
    ];
    for (n, payload) in payloads.iter().enumerate() {
        let iin = frontdesk::service::fixture::iin_for(n as u64);
        let (ok, out) = accept(dir.path(), &iin, payload, payload, payload);
        assert!(ok, "{out}");
    }
    let (ok, csv_text, err) = frontdesk(dir.path(), &["export", "csv"]);
    assert!(ok, "{err}");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (name, settlement, representative) = (
        column("name"),
        column("settlement"),
        column("representative"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), payloads.len());
    for row in &rows {
        for field in [name, settlement, representative] {
            let value = &row[field];
            assert!(value.starts_with('\''), "not neutralised: {value:?}");
            assert!(
                payloads.contains(&&value[1..]),
                "changed beyond the apostrophe: {value:?}"
            );
        }
    }
}
