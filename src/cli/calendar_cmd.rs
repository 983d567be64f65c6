//! `frontdesk calendar …`: deadlines, routes and the holiday calendar, as an administrator sees them.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use serde::Serialize;

use super::{parse_instant, print_json, read_file, Cli, CliError, CliResult};
use crate::calendar::{
    DayKind, DayNote, Explanation, WorkDuration, WorkingCalendar, WorkingTimeError, FIRST_YEAR,
    LAST_YEAR,
};
use crate::domain::{Lang, Regulation};
use crate::service::load_holidays;

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// The deadline of a working-time duration started at an instant.
    Deadline {
        /// Schedule of the regulation to count on (provider, state-corp).
        #[arg(long)]
        schedule: String,
        /// Start instant, RFC 3339 (e.g. 2026-11-20T17:00:00+05:00).
        #[arg(long, value_parser = parse_instant)]
        from: DateTime<Utc>,
        /// <N>m working minutes, <N>h working hours, <N>wd working days.
        #[arg(long)]
        duration: WorkDuration,
        /// List every interval counted and every day skipped.
        #[arg(long)]
        explain: bool,
        #[arg(long)]
        json: bool,
    },
    /// Every step of a channel's route with its deadline; the last line is the date the result is due.
    Route {
        /// provider or state-corp.
        #[arg(long)]
        channel: String,
        /// Support measure (repeat for both).
        #[arg(long = "measure", required = true)]
        measures: Vec<String>,
        /// When the package is handed in, RFC 3339.
        #[arg(long, value_parser = parse_instant)]
        from: DateTime<Utc>,
        #[arg(long)]
        json: bool,
    },
    /// Working time left from now (or --now) to a deadline; negative when overdue.
    Remaining {
        #[arg(long)]
        schedule: String,
        #[arg(long, value_parser = parse_instant)]
        deadline: DateTime<Utc>,
        #[arg(long)]
        json: bool,
    },
    /// Validate a holiday calendar file; warn (exit 0) when this year or next lacks Kurban Ait
    /// or a confirmation that its transfers were reviewed, and when a holiday is not named in
    /// Kazakh, Russian and English.
    Check { file: PathBuf },
    /// The holidays, moved days off and transfers of a year.
    Holidays {
        year: i32,
        /// Under each day, the legal act behind it (always in --json).
        #[arg(long)]
        sources: bool,
        #[arg(long)]
        json: bool,
    },
    /// Which live deadlines a new calendar file would move (open cases' current steps).
    Impact {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn calendar_of<'a>(
    regulation: &'a Regulation,
    schedule: &str,
) -> Result<&'a WorkingCalendar, CliError> {
    regulation.calendar(schedule).ok_or_else(|| {
        let known: Vec<_> = regulation.file.schedules.keys().cloned().collect();
        CliError::Message(format!(
            "--schedule: unknown schedule `{schedule}`; the regulation has {}",
            known.join(", ")
        ))
    })
}

/// The argument to blame when a deadline cannot be counted: the start, or the duration.
fn argument_of(error: &WorkingTimeError) -> &'static str {
    match error {
        WorkingTimeError::Zero(_) | WorkingTimeError::TooLong { .. } => "--duration",
        WorkingTimeError::OutOfRange { .. } | WorkingTimeError::BeyondCalendar { .. } => "--from",
    }
}

/// "1h30m", "3h", "45m", "12s" — for explanations and remaining time.
pub fn format_span(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    let mut out = String::from(sign);
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if sec > 0 || out.len() == sign.len() {
        out.push_str(&format!("{sec}s"));
    }
    out
}

fn explanation_lines(calendar: &WorkingCalendar, explanation: &Explanation) -> Vec<String> {
    // (date, line) so intervals and skipped days interleave in date order.
    let mut lines: Vec<(chrono::NaiveDate, u8, String)> = Vec::new();
    let mut total = 0;
    for interval in &explanation.intervals {
        let start = calendar.to_local(interval.start);
        let end = calendar.to_local(interval.end);
        let seconds = (interval.end - interval.start).num_seconds();
        total += seconds;
        let counted = match explanation.duration {
            WorkDuration::WorkingDays(_) => "closes the last working day".to_string(),
            WorkDuration::Minutes(_) => {
                format!("{} (total {})", format_span(seconds), format_span(total))
            }
        };
        lines.push((
            start.date_naive(),
            1,
            format!(
                "  {} {}–{}  {counted}",
                start.format("%Y-%m-%d %a"),
                start.format("%H:%M"),
                end.format("%H:%M"),
            ),
        ));
    }
    for day in &explanation.days {
        let what = match (&day.kind, day.counted_as) {
            (_, Some(n)) => format!("working day {n}"),
            (DayKind::Closed, None) => "skipped: the office is closed on this weekday".into(),
            (DayKind::DayOff { reason }, None) => format!("skipped: {reason}"),
            (kind, None) => format!("{kind:?}"),
        };
        let note = match &day.kind {
            DayKind::TransferredWorking { reason } => format!(" ({reason})"),
            _ => String::new(),
        };
        lines.push((
            day.date,
            0,
            format!("  {}  {what}{note}", day.date.format("%Y-%m-%d %a")),
        ));
    }
    lines.sort_by_key(|line| (line.0, line.1));
    let mut out = vec![format!(
        "{} counted on {} from {}:",
        explanation.duration,
        calendar.time_zone(),
        calendar.to_local(explanation.start).to_rfc3339()
    )];
    out.extend(lines.into_iter().map(|(_, _, line)| line));
    out
}

#[derive(Serialize)]
struct DeadlineJson<'a> {
    deadline: String,
    schedule: &'a str,
    explanation: Option<&'a Explanation>,
}

#[derive(Serialize)]
struct RouteJson {
    steps: Vec<RouteStepJson>,
    result_due: String,
}

#[derive(Serialize)]
struct RouteStepJson {
    step: String,
    roles: Vec<String>,
    name: String,
    schedule: String,
    limit: String,
    start: String,
    deadline: String,
}

pub fn run(cli: &Cli, command: &CalendarCommand) -> CliResult {
    match command {
        CalendarCommand::Deadline {
            schedule,
            from,
            duration,
            explain,
            json,
        } => {
            let regulation = cli.regulation()?;
            let calendar = calendar_of(&regulation, schedule)?;
            let explanation = calendar
                .explain(*from, *duration)
                .map_err(|e| CliError::Message(format!("{}: {e}", argument_of(&e))))?;
            let deadline = calendar.to_local(explanation.deadline).to_rfc3339();
            if *json {
                return print_json(&DeadlineJson {
                    deadline,
                    schedule,
                    explanation: explain.then_some(&explanation),
                });
            }
            println!("{deadline}");
            if *explain {
                for line in explanation_lines(calendar, &explanation) {
                    println!("{line}");
                }
            }
            Ok(())
        }
        CalendarCommand::Route {
            channel,
            measures,
            from,
            json,
        } => {
            let regulation = cli.regulation()?;
            let route = regulation.route(channel, measures, *from).map_err(|e| {
                use crate::domain::regulation::LookupError;
                let argument = match &e {
                    LookupError::Channel(_) | LookupError::Schedule(_) => "--channel",
                    LookupError::Measure(_) | LookupError::NoMeasure => "--measure",
                    LookupError::Uncountable { error, .. } => argument_of(error),
                };
                CliError::Message(format!("{argument}: {e}"))
            })?;
            let channel = regulation
                .channel(channel)
                .map_err(|e| CliError::Message(e.to_string()))?;
            let local = |schedule: &str, t: DateTime<Utc>| {
                regulation
                    .calendar(schedule)
                    .map_or(t.to_rfc3339(), |c| c.to_local(t).to_rfc3339())
            };
            let steps: Vec<RouteStepJson> = route
                .iter()
                .zip(&channel.steps)
                .map(|(planned, step)| RouteStepJson {
                    step: planned.step_id.clone(),
                    roles: step.roles.clone(),
                    name: planned.name.get(Lang::En).to_string(),
                    schedule: planned.schedule.clone(),
                    limit: planned.limit.to_string(),
                    start: local(&planned.schedule, planned.start),
                    deadline: local(&planned.schedule, planned.deadline),
                })
                .collect();
            let result_due = steps.last().map(|s| s.deadline.clone()).unwrap_or_default();
            if *json {
                return print_json(&RouteJson { steps, result_due });
            }
            for s in &steps {
                println!(
                    "{:<3} {:<16} {:>5}  {:<10}  {} → {}  {}",
                    s.step,
                    s.roles.join("/"),
                    s.limit,
                    s.schedule,
                    s.start,
                    s.deadline,
                    s.name
                );
            }
            println!("result due: {result_due}");
            Ok(())
        }
        CalendarCommand::Remaining {
            schedule,
            deadline,
            json,
        } => {
            let regulation = cli.regulation()?;
            let calendar = calendar_of(&regulation, schedule)?;
            let now = cli.now();
            let seconds = calendar.remaining(now, *deadline).map_err(|e| {
                let argument = match e {
                    WorkingTimeError::OutOfRange { instant } if instant == now => "--now",
                    _ => "--deadline",
                };
                CliError::Message(format!("{argument}: {e}"))
            })?;
            let working = calendar.is_working(now);
            let resumes = calendar.to_local(calendar.next_resume(now)).to_rfc3339();
            if *json {
                return print_json(&serde_json::json!({
                    "remaining_seconds": seconds,
                    "overdue": seconds < 0,
                    "clock_running": working,
                    "resumes": resumes,
                }));
            }
            println!("{}", format_span(seconds));
            if !working {
                println!("paused; resumes {resumes}");
            }
            Ok(())
        }
        CalendarCommand::Check { file } => {
            let source = read_file(file)?;
            let calendar = load_holidays(&file.display().to_string(), &source)?;
            // Live deadlines reach into next year (a 46-working-day step started in the autumn).
            let this_year = chrono::Datelike::year(&cli.now());
            let mut warnings = calendar.warnings(this_year..=this_year + 1);
            warnings.extend_from_slice(calendar.names_missing());
            for warning in &warnings {
                eprintln!("warning: {}: {warning}", file.display());
            }
            println!(
                "{}: valid{}; {} special days in {this_year}, {} in {}",
                file.display(),
                match warnings.len() {
                    0 => String::new(),
                    n => format!(" with {n} warning(s)"),
                },
                calendar.year(this_year).len(),
                calendar.year(this_year + 1).len(),
                this_year + 1
            );
            Ok(())
        }
        CalendarCommand::Impact { file, json } => impact(cli, file, *json),
        CalendarCommand::Holidays {
            year,
            sources,
            json,
        } => {
            if !(FIRST_YEAR..=LAST_YEAR).contains(year) {
                return Err(CliError::Message(format!(
                    "year {year} is outside the years the calendar holds ({FIRST_YEAR}–{LAST_YEAR})"
                )));
            }
            let holidays = cli.holidays()?;
            let days = holidays.year(*year);
            if *json {
                let rows: Vec<_> = days
                    .iter()
                    .map(|(date, note)| {
                        serde_json::json!({
                            "date": date.to_string(),
                            "day_off": note.is_day_off(),
                            "note": note.describe(),
                            "name": match note {
                                DayNote::Holiday { name, .. } => Some(name.as_ref()),
                                DayNote::MovedDayOff { holiday, .. } => Some(holiday.as_ref()),
                                _ => None,
                            },
                            "source": note.source(),
                            "source_text": note.source().map(ToString::to_string),
                        })
                    })
                    .collect();
                return print_json(&rows);
            }
            for (date, note) in days {
                let mark = if note.is_day_off() { "off " } else { "work" };
                println!("{} {mark}  {}", date.format("%Y-%m-%d %a"), note.describe());
                if *sources {
                    let source = note
                        .source()
                        .map_or("no source given".into(), |s| s.to_string());
                    println!("                     source: {source}");
                }
            }
            if *sources {
                match holidays.transfers_reviewed(*year) {
                    Some(source) => println!("transfers of {year} reviewed against: {source}"),
                    None => println!("transfers of {year}: not confirmed as reviewed"),
                }
            }
            Ok(())
        }
    }
}

/// Recounts the current step of every open case on the new calendar and lists the deadlines that
/// would differ. Recorded deadlines are not changed: steps started after the new file is installed
/// are counted on it.
fn impact(cli: &Cli, file: &std::path::Path, json: bool) -> CliResult {
    let source = read_file(file)?;
    let holidays = std::sync::Arc::new(load_holidays(&file.display().to_string(), &source)?);
    let session = cli.session()?;
    let current = session.regulation();
    let proposed = current.clone().with_holidays(holidays);
    let query = crate::domain::query::CaseQuery {
        due_before: Some(session.now() + chrono::Duration::days(36_500)),
        ..Default::default()
    };
    let mut cases = Vec::new();
    session.for_each_case(&query, |case| {
        // Only open cases have a step whose deadline can move.
        if case.current_step().is_some() {
            cases.push(case.clone());
        }
        Ok(())
    })?;
    let mut moved = Vec::new();
    for case in &cases {
        let Some(step) = case.current_step() else {
            continue;
        };
        let Ok(channel) = proposed.channel(&case.intake.channel) else {
            continue;
        };
        let Some(definition) = channel.steps.get(step.index) else {
            continue;
        };
        let recounted = proposed.step_deadline(definition, &case.intake.measures, step.started_at);
        if recounted.as_ref().ok() != Some(&step.deadline) {
            let local = |t| {
                proposed
                    .calendar(&definition.schedule)
                    .map_or(String::new(), |c| c.to_local(t).to_rfc3339())
            };
            moved.push(serde_json::json!({
                "case": case.id,
                "receipt_no": case.receipt_no.to_string(),
                "step": step.step_id,
                "recorded_deadline": local(step.deadline),
                "on_new_calendar": match &recounted {
                    Ok(t) => local(*t),
                    Err(e) => format!("cannot count: {e}"),
                },
            }));
        }
    }
    if json {
        return print_json(&moved);
    }
    for m in &moved {
        println!(
            "{} {} {}: {} → {}",
            m["case"],
            m["receipt_no"].as_str().unwrap_or(""),
            m["step"].as_str().unwrap_or(""),
            m["recorded_deadline"].as_str().unwrap_or(""),
            m["on_new_calendar"].as_str().unwrap_or("")
        );
    }
    println!(
        "{} of {} open cases would have another deadline for their current step; recorded deadlines stay as counted, steps started after installing the file are counted on it",
        moved.len(),
        cases.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::format_span;

    #[test]
    fn spans_read_naturally() {
        assert_eq!(format_span(5400), "1h30m");
        assert_eq!(format_span(10800), "3h");
        assert_eq!(format_span(-600), "-10m");
        assert_eq!(format_span(0), "0s");
        assert_eq!(format_span(61), "1m1s");
    }
}
