//! An office's weekly opening hours and its time zone.

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The schedule as written in the regulation file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    /// IANA zone, e.g. "Asia/Almaty".
    pub time_zone: String,
    /// Open weekdays: "mon" … "sun".
    pub days: Vec<String>,
    /// Opening intervals of an open day, "HH:MM-HH:MM", in order, e.g. a lunch break between two.
    pub hours: Vec<String>,
}

/// A validated schedule: at least one open weekday and one interval, intervals ordered and
/// disjoint, each starting before it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub time_zone: Tz,
    /// Indexed by `Weekday::num_days_from_monday`.
    pub open_days: [bool; 7],
    pub hours: Vec<(NaiveTime, NaiveTime)>,
}

/// One problem of a schedule: the field (relative to the schedule) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    pub field: String,
    pub message: String,
}

fn parse_weekday(text: &str) -> Option<Weekday> {
    Some(match text.to_ascii_lowercase().as_str() {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

fn parse_interval(text: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (start, end) = text.split_once('-')?;
    let start = NaiveTime::parse_from_str(start.trim(), "%H:%M").ok()?;
    let end = NaiveTime::parse_from_str(end.trim(), "%H:%M").ok()?;
    Some((start, end))
}

impl Schedule {
    pub fn from_spec(spec: &ScheduleSpec) -> Result<Schedule, Vec<ScheduleError>> {
        let mut errors = Vec::new();
        let mut error =
            |field: String, message: String| errors.push(ScheduleError { field, message });
        let time_zone = match spec.time_zone.parse::<Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                error(
                    "time_zone".into(),
                    format!(
                        "`{}` is not an IANA time zone (e.g. Asia/Almaty)",
                        spec.time_zone
                    ),
                );
                None
            }
        };
        let mut open_days = [false; 7];
        for (i, day) in spec.days.iter().enumerate() {
            match parse_weekday(day) {
                Some(weekday) => open_days[weekday.num_days_from_monday() as usize] = true,
                None => error(
                    format!("days[{i}]"),
                    format!("`{day}` is not a weekday: use mon, tue, wed, thu, fri, sat, sun"),
                ),
            }
        }
        if spec.days.is_empty() {
            error("days".into(), "lists no open day".into());
        }
        let mut hours = Vec::new();
        for (i, text) in spec.hours.iter().enumerate() {
            match parse_interval(text) {
                Some((start, end)) if start >= end => error(
                    format!("hours[{i}]"),
                    format!("`{text}` ends before it starts"),
                ),
                Some((start, end)) => {
                    if let Some(&(_, previous_end)) = hours.last() {
                        if start < previous_end {
                            error(
                                format!("hours[{i}]"),
                                format!("`{text}` overlaps or precedes the interval before it"),
                            );
                        }
                    }
                    hours.push((start, end));
                }
                None => error(
                    format!("hours[{i}]"),
                    format!("`{text}` is not an interval: write HH:MM-HH:MM, e.g. 09:00-13:00"),
                ),
            }
        }
        if spec.hours.is_empty() {
            error("hours".into(), "lists no opening interval".into());
        }
        match time_zone {
            Some(time_zone) if errors.is_empty() => Ok(Schedule {
                time_zone,
                open_days,
                hours,
            }),
            _ => Err(errors),
        }
    }

    /// Working seconds of one ordinary open day.
    pub fn day_seconds(&self) -> i64 {
        self.hours
            .iter()
            .map(|(start, end)| (*end - *start).num_seconds())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(days: &[&str], hours: &[&str]) -> ScheduleSpec {
        ScheduleSpec {
            time_zone: "Asia/Almaty".into(),
            days: days.iter().map(|s| s.to_string()).collect(),
            hours: hours.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn provider_schedule_has_eight_working_hours() {
        let schedule = Schedule::from_spec(&spec(
            &["mon", "tue", "wed", "thu", "fri"],
            &["09:00-13:00", "14:30-18:30"],
        ))
        .unwrap();
        assert_eq!(schedule.day_seconds(), 8 * 3600);
        assert!(!schedule.open_days[5]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut bad = spec(&["mon", "funday"], &["13:00-09:00", "9-10", "08:00-08:30"]);
        bad.time_zone = "Mars/Olympus".into();
        let errors = Schedule::from_spec(&bad).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["time_zone", "days[1]", "hours[0]", "hours[1]"]);
    }

    #[test]
    fn overlapping_intervals_are_rejected() {
        let errors =
            Schedule::from_spec(&spec(&["mon"], &["09:00-13:00", "12:00-18:00"])).unwrap_err();
        assert_eq!(errors[0].field, "hours[1]");
    }
}
