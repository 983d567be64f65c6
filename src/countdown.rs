//! Countdowns of working time: state, text at a precision that fits the distance, and when the
//! text next changes (so the screen is redrawn only then).

use chrono::{DateTime, Duration, Utc};

use crate::calendar::{WorkDuration, WorkingCalendar};
use crate::domain::case::Case;
use crate::domain::Regulation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    OnTrack,
    DueSoon,
    Overdue,
    /// Outside working time, with time left: the clock stands still.
    Paused,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Countdown {
    pub urgency: Urgency,
    /// Working seconds left; negative when overdue.
    pub remaining: i64,
    pub text: String,
    /// The working day's length, for writing `remaining` in other units.
    pub day_seconds: i64,
    /// When the clock resumes, if paused.
    pub resumes: Option<DateTime<Utc>>,
    /// The next instant the text or the state can change.
    pub next_change: DateTime<Utc>,
}

/// The words for days, hours, minutes and seconds of a countdown, e.g. `["d", "h", "m", "s"]`
/// or `["күн", "сағ", "мин", "с"]`.
pub type Units<'a> = [&'a str; 4];

pub const ENGLISH_UNITS: Units<'static> = ["d", "h", "m", "s"];

/// "42m 07s" under an hour, "3h 05m" under a working day, "12d 4h" beyond: never like a time
/// of day. Overdue ones count up with a leading "-" (and the overdue symbol beside them).
pub fn format_remaining(seconds: i64, day_seconds: i64) -> String {
    format_remaining_in(seconds, day_seconds, &ENGLISH_UNITS)
}

/// [`format_remaining`] with the units of a language.
pub fn format_remaining_in(seconds: i64, day_seconds: i64, units: &Units) -> String {
    let [d, h, m, sec] = units;
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs() as i64;
    if s < 3600 {
        format!("{sign}{}{m} {:02}{sec}", s / 60, s % 60)
    } else if day_seconds <= 0 || s < day_seconds {
        format!("{sign}{}{h} {:02}{m}", s / 3600, s % 3600 / 60)
    } else {
        format!("{sign}{}{d} {}{h}", s / day_seconds, s % day_seconds / 3600)
    }
}

impl Countdown {
    /// The time left (or overdue) with the units of a language.
    pub fn text_in(&self, units: &Units) -> String {
        format_remaining_in(self.remaining, self.day_seconds, units)
    }
}

/// The unit the text of `seconds` changes by.
fn unit(seconds: i64, day_seconds: i64) -> i64 {
    let s = seconds.abs();
    if s < 3600 {
        1
    } else if day_seconds <= 0 || s < day_seconds {
        60
    } else {
        3600
    }
}

/// The countdown to `deadline` at `now`. `due_soon` is how much working time left counts as
/// "due soon". `None` when the calendar cannot count it (an instant outside the years it holds):
/// no countdown is better than a wrong one.
pub fn countdown(
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
    deadline: DateTime<Utc>,
    due_soon: i64,
) -> Option<Countdown> {
    let remaining = calendar.remaining(now, deadline).ok()?;
    let day = calendar.day_seconds();
    let text = format_remaining(remaining, day);
    let working = calendar.is_working(now);
    if remaining > 0 && !working {
        let resumes = calendar.next_resume(now);
        return Some(Countdown {
            urgency: Urgency::Paused,
            remaining,
            text,
            day_seconds: day,
            resumes: Some(resumes),
            next_change: resumes,
        });
    }
    let urgency = if remaining <= 0 {
        Urgency::Overdue
    } else if remaining <= due_soon {
        Urgency::DueSoon
    } else {
        Urgency::OnTrack
    };
    // Working time runs at wall-clock speed until the next closing.
    let step = unit(remaining, day);
    let mut wait = if remaining > 0 {
        match remaining % step {
            0 => step,
            r => r,
        }
    } else {
        step - (-remaining) % step
    };
    if remaining > due_soon {
        wait = wait.min(remaining - due_soon);
    }
    if remaining > 0 {
        wait = wait.min(remaining);
    }
    let mut next_change = now + Duration::seconds(wait.max(1));
    if working {
        if let Some(closing) = calendar.next_pause(now) {
            next_change = next_change.min(closing);
        }
    }
    Some(Countdown {
        urgency,
        remaining,
        text,
        day_seconds: day,
        resumes: None,
        next_change,
    })
}

/// How much working time left counts as "due soon" for a step of this limit: a quarter of a
/// minute limit (5 minutes to an hour), one working day of a working-day limit.
pub fn due_soon_seconds(limit: WorkDuration, day_seconds: i64) -> i64 {
    match limit {
        WorkDuration::WorkingDays(_) => day_seconds,
        WorkDuration::Minutes(m) => (i64::from(m) * 60 / 4).clamp(300, 3600),
    }
}

/// The countdown of a case's open step.
pub fn case_countdown(
    regulation: &Regulation,
    case: &Case,
    now: DateTime<Utc>,
) -> Option<Countdown> {
    let step = case.current_step()?;
    let channel = regulation.channel(&case.intake.channel).ok()?;
    let definition = channel.steps.get(step.index)?;
    let calendar = regulation.calendar(&definition.schedule)?;
    let limit = Regulation::step_limit(definition, &case.intake.measures);
    countdown(
        calendar,
        now,
        step.deadline,
        due_soon_seconds(limit, calendar.day_seconds()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_fits_the_distance() {
        let day = 8 * 3600;
        assert_eq!(format_remaining(59 * 60 + 5, day), "59m 05s");
        assert_eq!(format_remaining(3 * 3600 + 5 * 60 + 59, day), "3h 05m");
        assert_eq!(format_remaining(12 * day + 4 * 3600 + 100, day), "12d 4h");
        assert_eq!(format_remaining(-125, day), "-2m 05s");
        let kk = ["күн", "сағ", "мин", "с"];
        assert_eq!(format_remaining_in(9 * 60 + 57, day, &kk), "9мин 57с");
        assert_eq!(
            format_remaining_in(26 * day + 5 * 3600, day, &kk),
            "26күн 5сағ"
        );
    }
}
