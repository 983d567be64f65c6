//! Public holidays, the days off they move, and decreed transfers, precomputed per day.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;

/// First and last year the calendar knows holidays for; outside it only weekends count.
pub const FIRST_YEAR: i32 = 1990;
pub const LAST_YEAR: i32 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HolidayKind {
    /// National holidays (Nauryz, Constitution, Republic, Independence): moved off weekends.
    National,
    /// State holidays (New Year, 8 March, 1/7/9 May, 6 July): moved off weekends.
    State,
    /// Religious holidays (7 January, Kurban Ait): never moved.
    Religious,
}

impl HolidayKind {
    fn moves_off_weekend(self) -> bool {
        !matches!(self, HolidayKind::Religious)
    }
}

/// A holiday on the same month and day each year, within optional inclusive year bounds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecurringHoliday {
    pub name: String,
    pub kind: HolidayKind,
    /// "MM-DD" strings.
    pub dates: Vec<String>,
    pub from_year: Option<i32>,
    pub until_year: Option<i32>,
}

/// A holiday on one given date (Kurban Ait moves every year).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedHoliday {
    pub name: String,
    pub kind: HolidayKind,
    pub date: NaiveDate,
}

/// A decree that makes `day_off` a day off and `work_day` a working day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub day_off: NaiveDate,
    pub work_day: NaiveDate,
    pub note: Option<String>,
}

/// The calendar file as written by an administrator.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayData {
    #[serde(default, rename = "holiday")]
    pub recurring: Vec<RecurringHoliday>,
    #[serde(default)]
    pub dated: Vec<DatedHoliday>,
    #[serde(default, rename = "transfer")]
    pub transfers: Vec<Transfer>,
}

/// The calendar file compiled into the binary.
pub const DEFAULT_CALENDAR_TOML: &str = include_str!("../../data/calendar.toml");

/// Why a date is not an ordinary day of the week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayNote {
    Holiday {
        name: String,
    },
    /// The day off given for a national or state holiday that fell on a weekend.
    MovedDayOff {
        holiday: String,
        from: NaiveDate,
    },
    TransferredDayOff {
        work_day: NaiveDate,
        note: Option<String>,
    },
    TransferredWorkDay {
        day_off: NaiveDate,
        note: Option<String>,
    },
}

impl DayNote {
    /// Whether the note makes the date a day off (otherwise it makes it a working day).
    pub fn is_day_off(&self) -> bool {
        !matches!(self, DayNote::TransferredWorkDay { .. })
    }

    pub fn describe(&self) -> String {
        match self {
            DayNote::Holiday { name } => format!("public holiday: {name}"),
            DayNote::MovedDayOff { holiday, from } => {
                format!("day off moved from {holiday} ({from}, a weekend)")
            }
            DayNote::TransferredDayOff { work_day, note } => format!(
                "day off by transfer (worked on {work_day}){}",
                note.as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ),
            DayNote::TransferredWorkDay { day_off, note } => format!(
                "working day by transfer (for {day_off}){}",
                note.as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HolidayDataError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// Every special day from [`FIRST_YEAR`] to [`LAST_YEAR`], indexed by day for O(1) lookups:
/// a dashboard recomputes thousands of deadlines a second.
#[derive(Debug, Clone)]
pub struct HolidayCalendar {
    first_day: NaiveDate,
    /// 0 = ordinary day, otherwise 1 + index into `notes`.
    day_index: Vec<u16>,
    notes: Vec<DayNote>,
}

fn parse_month_day(text: &str, year: i32) -> Option<NaiveDate> {
    let (month, day) = text.split_once('-')?;
    NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl HolidayData {
    /// Checks what serde cannot: "MM-DD" strings, year bounds, transfers that contradict.
    /// Each error names the field by its TOML path.
    pub fn validate(&self) -> Vec<HolidayDataError> {
        let mut errors = Vec::new();
        let mut push = |path: String, message: String| {
            errors.push(HolidayDataError::Invalid { path, message })
        };
        for (i, holiday) in self.recurring.iter().enumerate() {
            if holiday.name.trim().is_empty() {
                push(format!("holiday[{i}].name"), "must not be empty".into());
            }
            if holiday.dates.is_empty() {
                push(format!("holiday[{i}].dates"), "lists no date".into());
            }
            for (j, text) in holiday.dates.iter().enumerate() {
                // 2000 is a leap year, so 02-29 is accepted.
                if parse_month_day(text, 2000).is_none() {
                    push(
                        format!("holiday[{i}].dates[{j}]"),
                        format!("`{text}` is not a month and day: write MM-DD, e.g. 03-21"),
                    );
                }
            }
            if let (Some(from), Some(until)) = (holiday.from_year, holiday.until_year) {
                if from > until {
                    push(
                        format!("holiday[{i}].until_year"),
                        format!("{until} is before from_year {from}"),
                    );
                }
            }
        }
        for (i, holiday) in self.dated.iter().enumerate() {
            if holiday.name.trim().is_empty() {
                push(format!("dated[{i}].name"), "must not be empty".into());
            }
        }
        for (i, transfer) in self.transfers.iter().enumerate() {
            if transfer.day_off == transfer.work_day {
                push(
                    format!("transfer[{i}].work_day"),
                    "is the same date as day_off".into(),
                );
            }
        }
        errors
    }
}

impl HolidayCalendar {
    /// Precomputes the calendar. Call [`HolidayData::validate`] first to report bad entries;
    /// entries that do not parse are skipped here.
    pub fn new(data: &HolidayData) -> Self {
        let first_day = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or_default();
        let last_day = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or_default();
        let len = (last_day - first_day).num_days() as usize + 1;
        let mut calendar = HolidayCalendar {
            first_day,
            day_index: vec![0; len],
            notes: Vec::new(),
        };

        // (date, name, kind) of every holiday in range.
        let mut holidays: Vec<(NaiveDate, &str, HolidayKind)> = Vec::new();
        for holiday in &data.recurring {
            let from = holiday.from_year.unwrap_or(FIRST_YEAR).max(FIRST_YEAR);
            let until = holiday.until_year.unwrap_or(LAST_YEAR).min(LAST_YEAR);
            for year in from..=until {
                for text in &holiday.dates {
                    if let Some(date) = parse_month_day(text, year) {
                        holidays.push((date, &holiday.name, holiday.kind));
                    }
                }
            }
        }
        for holiday in &data.dated {
            holidays.push((holiday.date, &holiday.name, holiday.kind));
        }
        holidays.sort_by_key(|h| h.0);

        let holiday_dates: BTreeSet<NaiveDate> = holidays.iter().map(|h| h.0).collect();
        for (date, name, _) in &holidays {
            calendar.set(
                *date,
                DayNote::Holiday {
                    name: name.to_string(),
                },
            );
        }

        // Holidays are sorted, so each moved day off takes the first weekday after its holiday
        // that is neither a holiday nor already taken by an earlier one: the cascade.
        let mut taken: BTreeSet<NaiveDate> = BTreeSet::new();
        for (date, name, kind) in &holidays {
            if !kind.moves_off_weekend() || !is_weekend(*date) {
                continue;
            }
            let mut candidate = *date + Duration::days(1);
            while is_weekend(candidate)
                || holiday_dates.contains(&candidate)
                || taken.contains(&candidate)
            {
                candidate += Duration::days(1);
            }
            taken.insert(candidate);
            calendar.set(
                candidate,
                DayNote::MovedDayOff {
                    holiday: name.to_string(),
                    from: *date,
                },
            );
        }

        for transfer in &data.transfers {
            calendar.set(
                transfer.day_off,
                DayNote::TransferredDayOff {
                    work_day: transfer.work_day,
                    note: transfer.note.clone(),
                },
            );
            calendar.set(
                transfer.work_day,
                DayNote::TransferredWorkDay {
                    day_off: transfer.day_off,
                    note: transfer.note.clone(),
                },
            );
        }
        calendar
    }

    fn slot(&self, date: NaiveDate) -> Option<usize> {
        let offset = (date - self.first_day).num_days();
        usize::try_from(offset)
            .ok()
            .filter(|&i| i < self.day_index.len())
    }

    fn set(&mut self, date: NaiveDate, note: DayNote) {
        let Some(slot) = self.slot(date) else {
            return;
        };
        self.notes.push(note);
        // The notes of one calendar stay far below u16::MAX (about 25 per year).
        self.day_index[slot] = u16::try_from(self.notes.len()).unwrap_or(0);
    }

    /// What makes `date` special, if anything.
    #[inline]
    pub fn note(&self, date: NaiveDate) -> Option<&DayNote> {
        let index = self.day_index[self.slot(date)?];
        if index == 0 {
            None
        } else {
            self.notes.get(usize::from(index) - 1)
        }
    }

    /// The special days of one year, in date order, for `frontdesk calendar holidays`.
    pub fn year(&self, year: i32) -> Vec<(NaiveDate, &DayNote)> {
        let Some(start) = NaiveDate::from_ymd_opt(year, 1, 1) else {
            return Vec::new();
        };
        start
            .iter_days()
            .take_while(|d| d.year() == year)
            .filter_map(|d| self.note(d).map(|n| (d, n)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_calendar() -> HolidayCalendar {
        let data: HolidayData = toml::from_str(DEFAULT_CALENDAR_TOML).unwrap();
        assert!(data.validate().is_empty());
        HolidayCalendar::new(&data)
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn nauryz_2026_on_a_weekend_gives_24_and_25_march_off() {
        let calendar = default_calendar();
        for day in ["2026-03-21", "2026-03-22", "2026-03-23"] {
            assert!(matches!(
                calendar.note(date(day)),
                Some(DayNote::Holiday { .. })
            ));
        }
        assert_eq!(
            calendar.note(date("2026-03-24")),
            Some(&DayNote::MovedDayOff {
                holiday: "Nauryz meiramy".into(),
                from: date("2026-03-21")
            })
        );
        assert_eq!(
            calendar.note(date("2026-03-25")),
            Some(&DayNote::MovedDayOff {
                holiday: "Nauryz meiramy".into(),
                from: date("2026-03-22")
            })
        );
        assert_eq!(calendar.note(date("2026-03-26")), None);
    }

    #[test]
    fn religious_holidays_do_not_move() {
        let calendar = default_calendar();
        // Kurban Ait 2024 was a Sunday; 17 June 2024 was a working day.
        assert!(calendar.note(date("2024-06-16")).is_some());
        assert_eq!(calendar.note(date("2024-06-17")), None);
    }

    #[test]
    fn transfers_apply_both_ways() {
        let calendar = default_calendar();
        assert!(calendar.note(date("2025-01-03")).unwrap().is_day_off());
        assert!(!calendar.note(date("2025-01-05")).unwrap().is_day_off());
    }

    #[test]
    fn bad_month_day_is_reported_with_its_path() {
        let data: HolidayData =
            toml::from_str("[[holiday]]\nname='x'\nkind='state'\ndates=['13-01']\n").unwrap();
        let errors = data.validate();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().starts_with("holiday[0].dates[0]"));
    }

    #[test]
    fn dates_outside_the_range_are_ordinary() {
        let calendar = default_calendar();
        assert_eq!(calendar.note(date("1980-01-01")), None);
        assert_eq!(calendar.note(date("2200-01-01")), None);
    }
}
