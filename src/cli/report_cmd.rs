//! `frontdesk report`: figures for a period as a table, CSV (UTF-8, optional BOM) or JSON.

use std::io::Write;

use chrono::{DateTime, Utc};

use super::output::csv_field;
use super::{print_json, Cli, CliError, CliResult};
use crate::service::report::{Report, Row};
use crate::service::{Request, Response};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Cases whose intake opened at or after this instant (RFC 3339).
    #[arg(long, value_parser = super::parse_instant)]
    from: Option<DateTime<Utc>>,
    /// …and before this instant.
    #[arg(long, value_parser = super::parse_instant)]
    to: Option<DateTime<Utc>>,
    /// One office's cases only (its code).
    #[arg(long)]
    office: Option<String>,
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    /// With --csv: start with a byte-order mark for spreadsheets that need one.
    #[arg(long, requires = "csv")]
    bom: bool,
    #[arg(long)]
    json: bool,
}

fn minutes(value: Option<i64>) -> String {
    value.map_or("-".into(), |m| {
        if m >= 60 {
            format!("{}h{:02}", m / 60, m % 60)
        } else {
            format!("{m}m")
        }
    })
}

fn table(title: &str, rows: &[Row]) -> String {
    let mut out = format!(
        "{title}\n  {:<22} {:>6} {:>8} {:>7} {:>8} {:>8} {:>8}\n",
        "", "cases", "finished", "within", "overdue", "median", "p90"
    );
    for row in rows {
        out.push_str(&format!(
            "  {:<22} {:>6} {:>8} {:>7} {:>8} {:>8} {:>8}\n",
            row.key,
            row.cases,
            row.finished,
            row.within_limit,
            row.overdue,
            minutes(row.median_minutes),
            minutes(row.p90_minutes)
        ));
    }
    out
}

fn csv(report: &Report) -> String {
    let mut out = String::from("section,key,cases,finished,within_limit,overdue,median_working_minutes,p90_working_minutes\n");
    for (section, rows) in [
        ("step", &report.by_step),
        ("staff", &report.by_staff),
        ("measure", &report.by_measure),
    ] {
        for row in rows.iter() {
            let fields = [
                section.to_string(),
                row.key.clone(),
                row.cases.to_string(),
                row.finished.to_string(),
                row.within_limit.to_string(),
                row.overdue.to_string(),
                row.median_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                row.p90_minutes.map(|m| m.to_string()).unwrap_or_default(),
            ];
            out.push_str(
                &fields
                    .iter()
                    .map(|f| csv_field(f))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "windows_overrun,all,{},,,,,\n",
        report.windows_overrun
    ));
    for (doc, count) in &report.refused_to_accept {
        out.push_str(&format!(
            "refused_to_accept_missing,{},{count},,,,,\n",
            csv_field(doc)
        ));
    }
    for (ground, count) in &report.refusals_by_ground {
        out.push_str(&format!(
            "refusal_ground,{},{count},,,,,\n",
            csv_field(ground)
        ));
    }
    out
}

pub fn run(cli: &Cli, args: &ReportArgs) -> CliResult {
    let session = cli.session()?;
    let Response::Report(report) = session.execute(Request::Report {
        from: args.from,
        to: args.to,
        office: args.office.clone(),
    })?
    else {
        return Err(CliError::Message("unexpected answer".into()));
    };
    if args.json {
        return print_json(&report);
    }
    let mut stdout = std::io::stdout().lock();
    let write_error = |e: std::io::Error| CliError::Message(format!("writing the report: {e}"));
    if args.csv {
        if args.bom {
            stdout
                .write_all("\u{feff}".as_bytes())
                .map_err(write_error)?;
        }
        return stdout
            .write_all(csv(&report).as_bytes())
            .map_err(write_error);
    }
    let mut out = format!(
        "{} cases{}; acceptance windows overrun: {}\n\n",
        report.cases,
        report
            .office
            .as_ref()
            .map(|o| format!(" of {o}"))
            .unwrap_or_default(),
        report.windows_overrun
    );
    out.push_str(&table("Per step", &report.by_step));
    out.push_str(&table("Per staff member", &report.by_staff));
    out.push_str(&table("Per support measure", &report.by_measure));
    out.push_str("Refused to accept, by missing document\n");
    for (doc, count) in &report.refused_to_accept {
        out.push_str(&format!("  {doc:<28} {count}\n"));
    }
    out.push_str("Reasoned refusals, by Art. 19-1 ground\n");
    for (ground, count) in &report.refusals_by_ground {
        out.push_str(&format!("  {ground:<28} {count}\n"));
    }
    stdout.write_all(out.as_bytes()).map_err(write_error)
}
