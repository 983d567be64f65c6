//! How cases read on a terminal and in CSV.

use chrono::{DateTime, Utc};

use crate::domain::case::{Case, CaseStatus};
use crate::domain::text::shown_safely;
use crate::domain::Regulation;

pub fn local(regulation: &Regulation, channel: &str, t: DateTime<Utc>) -> String {
    regulation
        .channel(channel)
        .ok()
        .and_then(|c| regulation.calendar(&c.schedule))
        .map_or_else(
            || t.to_rfc3339(),
            |c| c.to_local(t).format("%Y-%m-%d %H:%M").to_string(),
        )
}

pub fn status(case: &Case) -> String {
    match &case.status {
        CaseStatus::InProgress => case
            .current_step()
            .map_or("in progress".into(), |s| format!("at {}", s.step_id)),
        CaseStatus::Completed => "completed".into(),
        CaseStatus::RefusedToAccept { .. } => "refused to accept".into(),
        CaseStatus::Voided { .. } => "voided".into(),
    }
}

/// Working time left on the open step (seconds, text), or how long it is overdue. The seconds
/// are `None` when the calendar cannot count them, and the text says why.
pub fn remaining(
    regulation: &Regulation,
    case: &Case,
    now: DateTime<Utc>,
) -> Option<(Option<i64>, String)> {
    let step = case.current_step()?;
    let calendar = regulation.step_calendar(&case.intake.channel, step.index)?;
    let seconds = match calendar.remaining(now, step.deadline) {
        Ok(seconds) => seconds,
        Err(e) => return Some((None, format!("cannot count: {e}"))),
    };
    // The same precision as the screens: "42m 07s", "3h 05m", "12d 4h".
    let span = crate::countdown::format_remaining(seconds.abs(), calendar.day_seconds());
    let text = if seconds < 0 {
        format!("overdue {span}")
    } else {
        format!("{span} left")
    };
    Some((Some(seconds), text))
}

/// Text of several lines for a terminal: each line shown safely (stored text may hold
/// characters that would act on the terminal).
pub fn safe_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| shown_safely(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One CSV field: shown safely; neutralised when a spreadsheet would take it for a formula (a
/// leading apostrophe, as OWASP advises, for `=`, `+`, `-`, `@`, tab and carriage return); quoted
/// when it must be (RFC 4180).
pub fn csv_field(text: &str) -> String {
    let safe = shown_safely(text);
    let text = if safe.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{safe}")
    } else {
        safe.into_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(super::csv_field("Әсел"), "Әсел");
        assert_eq!(super::csv_field("a,b"), "\"a,b\"");
        assert_eq!(super::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_neutralises_formulas_and_terminal_controls() {
        assert_eq!(super::csv_field("=1+1"), "'=1+1");
        assert_eq!(super::csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::csv_field("-2"), "'-2");
        assert_eq!(super::csv_field("a\u{1b}[2J"), "a\\u{1b}[2J");
        assert_eq!(super::safe_lines("a\u{7}\nb"), "a\\u{7}\nb");
    }
}
