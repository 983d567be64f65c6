//! Limits of working time as the regulation states them: minutes, hours or working days.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A statutory limit. Minutes and hours consume working time; working days end at the close of
/// the N-th working day after the start day.
///
/// ```
/// use frontdesk::calendar::WorkDuration;
/// assert_eq!("3h".parse::<WorkDuration>().unwrap(), WorkDuration::Minutes(180));
/// assert_eq!("26wd".parse::<WorkDuration>().unwrap(), WorkDuration::WorkingDays(26));
/// assert_eq!(WorkDuration::Minutes(180).to_string(), "3h");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum WorkDuration {
    Minutes(u32),
    WorkingDays(u32),
}

impl WorkDuration {
    /// Working seconds of a minute-based duration; `None` for working days.
    pub fn seconds(self) -> Option<i64> {
        match self {
            WorkDuration::Minutes(m) => Some(i64::from(m) * 60),
            WorkDuration::WorkingDays(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a duration: write <N>m (working minutes), <N>h (working hours) or <N>wd (working days), e.g. 30m, 3h, 26wd")]
pub struct DurationParseError {
    pub text: String,
}

impl FromStr for WorkDuration {
    type Err = DurationParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || DurationParseError {
            text: text.to_string(),
        };
        let trimmed = text.trim();
        let split = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(err)?;
        let (number, unit) = trimmed.split_at(split);
        let n: u32 = number.parse().map_err(|_| err())?;
        match unit {
            "m" | "min" => Ok(WorkDuration::Minutes(n)),
            "h" => n.checked_mul(60).map(WorkDuration::Minutes).ok_or_else(err),
            "wd" => Ok(WorkDuration::WorkingDays(n)),
            _ => Err(err()),
        }
    }
}

impl TryFrom<String> for WorkDuration {
    type Error = DurationParseError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<WorkDuration> for String {
    fn from(duration: WorkDuration) -> String {
        duration.to_string()
    }
}

impl fmt::Display for WorkDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            WorkDuration::Minutes(m) if m > 0 && m % 60 == 0 => write!(f, "{}h", m / 60),
            WorkDuration::Minutes(m) => write!(f, "{m}m"),
            WorkDuration::WorkingDays(d) => write!(f, "{d}wd"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_unit() {
        for (text, value) in [
            ("30m", WorkDuration::Minutes(30)),
            ("20m", WorkDuration::Minutes(20)),
            ("4h", WorkDuration::Minutes(240)),
            ("46wd", WorkDuration::WorkingDays(46)),
        ] {
            assert_eq!(text.parse::<WorkDuration>(), Ok(value));
            assert_eq!(value.to_string(), text);
        }
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for text in ["", "m", "3", "3d", "-3h", "3 h", "99999999999h", "3hh"] {
            assert!(text.parse::<WorkDuration>().is_err(), "{text}");
        }
    }
}
