//! Working-time arithmetic on one office's schedule: deadlines, remaining time, explanations.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::duration::WorkDuration;
use super::holidays::{DayNote, HolidayCalendar, FIRST_YEAR, LAST_YEAR};
use super::schedule::Schedule;

/// The most calendar days a deadline is searched over (about ten years). The regulation bounds
/// its limits far below this (a working year); the bound keeps a hostile duration or a broken
/// calendar from looping for long, and a limit that reaches it is an error, never a date.
pub const MAX_SCAN_DAYS: i64 = 3660;

/// A limit or an instant the calendar cannot count. A deadline is either right or an error that
/// names the limit; it is never the start instant or a date outside the known years.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkingTimeError {
    #[error("a limit of {0} counts no working time: give at least 1m or 1wd")]
    Zero(WorkDuration),
    #[error("{instant} is outside the years the calendar holds ({FIRST_YEAR}–{LAST_YEAR})")]
    OutOfRange { instant: DateTime<Utc> },
    #[error("{duration} from {start} ends after 31 December {LAST_YEAR}, the last day the calendar holds")]
    BeyondCalendar {
        duration: WorkDuration,
        start: DateTime<Utc>,
    },
    #[error("{duration} cannot be counted: the calendar looks at most {MAX_SCAN_DAYS} days (about ten years) ahead for a deadline")]
    TooLong { duration: WorkDuration },
}

/// Why a day is or is not a working day, for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    Working,
    /// A working day by transfer.
    TransferredWorking {
        reason: String,
    },
    /// The office does not open on this weekday.
    Closed,
    DayOff {
        reason: String,
    },
}

impl DayKind {
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Working | DayKind::TransferredWorking { .. })
    }
}

/// One stretch of the clock counted towards a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountedInterval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A day that was skipped, or counted as one of N working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayEntry {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// For working-day limits: which working day this was (1-based).
    pub counted_as: Option<u32>,
}

/// How a deadline was counted: every interval consumed and every day passed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub start: DateTime<Utc>,
    pub duration: WorkDuration,
    pub deadline: DateTime<Utc>,
    pub intervals: Vec<CountedInterval>,
    pub days: Vec<DayEntry>,
}

/// One office's working time: its schedule, its time zone and the country's holidays.
///
/// ```
/// use frontdesk::calendar::{default_holidays, Schedule, ScheduleSpec, WorkDuration, WorkingCalendar};
/// let provider = ScheduleSpec {
///     time_zone: "Asia/Almaty".into(),
///     days: ["mon", "tue", "wed", "thu", "fri"].map(String::from).to_vec(),
///     hours: vec!["09:00-13:00".into(), "14:30-18:30".into()],
/// };
/// let calendar = WorkingCalendar::new(Schedule::from_spec(&provider).unwrap(), default_holidays());
/// // Friday 17:00 + 3 working hours: 1.5 h on Friday, 1.5 h on Monday morning.
/// let start = "2026-11-20T17:00:00+05:00".parse().unwrap();
/// let deadline = calendar.deadline(start, WorkDuration::Minutes(180)).unwrap();
/// assert_eq!(calendar.to_local(deadline).to_rfc3339(), "2026-11-23T10:30:00+05:00");
/// ```
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    schedule: Schedule,
    holidays: Arc<HolidayCalendar>,
    day_seconds: i64,
}

impl WorkingCalendar {
    pub fn new(schedule: Schedule, holidays: Arc<HolidayCalendar>) -> Self {
        let day_seconds = schedule.day_seconds();
        WorkingCalendar {
            schedule,
            holidays,
            day_seconds,
        }
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    pub fn time_zone(&self) -> Tz {
        self.schedule.time_zone
    }

    /// Working seconds of an ordinary open day.
    pub fn day_seconds(&self) -> i64 {
        self.day_seconds
    }

    pub fn to_local(&self, t: DateTime<Utc>) -> DateTime<Tz> {
        t.with_timezone(&self.schedule.time_zone)
    }

    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        self.to_local(t).date_naive()
    }

    /// The instant of a local wall-clock time. A time skipped by a clock change is read as the
    /// first instant after the gap; a repeated one as its first occurrence.
    fn to_utc(&self, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        let tz = self.schedule.time_zone;
        let mut local = date.and_time(time);
        for _ in 0..4 {
            if let Some(t) = tz.from_local_datetime(&local).earliest() {
                return t.with_timezone(&Utc);
            }
            local += Duration::minutes(30);
        }
        // Unreachable for real zones (gaps are at most two hours): read the time as UTC.
        Utc.from_utc_datetime(&date.and_time(time))
    }

    /// What makes `date` special (a holiday, a moved or transferred day), for screens that
    /// say it in their own language.
    pub fn note(&self, date: NaiveDate) -> Option<&DayNote> {
        self.holidays.note(date)
    }

    /// Whether `date` is a working day at this office, and why.
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        match self.holidays.note(date) {
            Some(note @ DayNote::TransferredWorkDay { .. }) => DayKind::TransferredWorking {
                reason: note.describe(),
            },
            Some(note) => DayKind::DayOff {
                reason: note.describe(),
            },
            None if self.schedule.open_days[date.weekday().num_days_from_monday() as usize] => {
                DayKind::Working
            }
            None => DayKind::Closed,
        }
    }

    #[inline]
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.holidays.note(date) {
            Some(note) => !note.is_day_off(),
            None => self.schedule.open_days[date.weekday().num_days_from_monday() as usize],
        }
    }

    /// Opening intervals of `date` as instants; empty on a day off.
    fn intervals(
        &self,
        date: NaiveDate,
    ) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        let open = self.is_working_day(date);
        self.schedule
            .hours
            .iter()
            .filter(move |_| open)
            .map(move |&(start, end)| (self.to_utc(date, start), self.to_utc(date, end)))
    }

    /// Whether the clock runs at `t` (intervals include their opening, exclude their closing).
    pub fn is_working(&self, t: DateTime<Utc>) -> bool {
        self.intervals(self.local_date(t))
            .any(|(start, end)| start <= t && t < end)
    }

    /// When the clock next runs: `t` itself in working time, else the next opening.
    pub fn next_resume(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let mut date = self.local_date(t);
        for _ in 0..MAX_SCAN_DAYS {
            for (start, end) in self.intervals(date) {
                if t < end {
                    return start.max(t);
                }
            }
            date += Duration::days(1);
        }
        t
    }

    /// When the clock next stops, if it runs at `t`: the end of the current opening interval.
    pub fn next_pause(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.intervals(self.local_date(t))
            .find(|(start, end)| *start <= t && t < *end)
            .map(|(_, end)| end)
    }

    /// The deadline of `duration` started at `t`: minutes and hours consume working time from
    /// the next opening; N working days end at the close of the N-th working day after the start
    /// day. A zero limit, a start outside the calendar's years, or a deadline beyond them or
    /// beyond [`MAX_SCAN_DAYS`] is an error.
    pub fn deadline(
        &self,
        t: DateTime<Utc>,
        duration: WorkDuration,
    ) -> Result<DateTime<Utc>, WorkingTimeError> {
        self.count(t, duration, None)
    }

    /// The deadline together with every interval and day that was counted or skipped.
    pub fn explain(
        &self,
        t: DateTime<Utc>,
        duration: WorkDuration,
    ) -> Result<Explanation, WorkingTimeError> {
        let mut explanation = Explanation {
            start: t,
            duration,
            deadline: t,
            intervals: Vec::new(),
            days: Vec::new(),
        };
        explanation.deadline = self.count(t, duration, Some(&mut explanation))?;
        Ok(explanation)
    }

    /// `t`, if its local day is one the calendar holds.
    fn in_range(&self, t: DateTime<Utc>) -> Result<NaiveDate, WorkingTimeError> {
        let date = self.local_date(t);
        if self.holidays.days().contains(&date) {
            Ok(date)
        } else {
            Err(WorkingTimeError::OutOfRange { instant: t })
        }
    }

    /// The one walk behind `deadline` and `explain`; `record` is filled only when explaining.
    fn count(
        &self,
        t: DateTime<Utc>,
        duration: WorkDuration,
        mut record: Option<&mut Explanation>,
    ) -> Result<DateTime<Utc>, WorkingTimeError> {
        // Counted in whole seconds from the start's whole second: a fraction carried along
        // would end a fully used interval a second early ("10:05–12:59" for a lunch at 13:00).
        let t = t.with_nanosecond(0).unwrap_or(t);
        let start_date = self.in_range(t)?;
        let last_day = *self.holidays.days().end();
        let beyond = WorkingTimeError::BeyondCalendar { duration, start: t };
        match duration {
            // Zero cannot meet the laws every other limit keeps (the deadline is after the start
            // and in working time or at a closing), so it is refused rather than given a meaning.
            WorkDuration::Minutes(0) | WorkDuration::WorkingDays(0) => {
                Err(WorkingTimeError::Zero(duration))
            }
            WorkDuration::Minutes(minutes) => {
                let mut left = i64::from(minutes) * 60;
                let mut date = start_date;
                for _ in 0..MAX_SCAN_DAYS {
                    if date > last_day {
                        return Err(beyond);
                    }
                    if let Some(record) = record.as_deref_mut() {
                        let kind = self.day_kind(date);
                        if !kind.is_working() {
                            record.days.push(DayEntry {
                                date,
                                kind,
                                counted_as: None,
                            });
                        }
                    }
                    for (start, end) in self.intervals(date) {
                        if end <= t {
                            continue;
                        }
                        let from = start.max(t);
                        let available = (end - from).num_seconds();
                        let used = available.min(left);
                        let until = from + Duration::seconds(used);
                        if let Some(record) = record.as_deref_mut() {
                            record.intervals.push(CountedInterval {
                                start: from,
                                end: until,
                            });
                        }
                        left -= used;
                        if left == 0 {
                            return Ok(until);
                        }
                    }
                    date += Duration::days(1);
                }
                Err(WorkingTimeError::TooLong { duration })
            }
            WorkDuration::WorkingDays(days) => {
                let mut counted = 0;
                let mut date = start_date;
                for _ in 0..MAX_SCAN_DAYS {
                    date += Duration::days(1);
                    if date > last_day {
                        return Err(beyond);
                    }
                    let working = self.is_working_day(date);
                    if working {
                        counted += 1;
                    }
                    if let Some(record) = record.as_deref_mut() {
                        record.days.push(DayEntry {
                            date,
                            kind: self.day_kind(date),
                            counted_as: working.then_some(counted),
                        });
                    }
                    if counted == days {
                        let close = self.schedule.hours.last().map(|&(_, end)| end);
                        let deadline = self.to_utc(date, close.unwrap_or(NaiveTime::MIN));
                        if let Some(record) = record.as_deref_mut() {
                            record.intervals = self
                                .intervals(date)
                                .map(|(start, end)| CountedInterval { start, end })
                                .collect();
                        }
                        return Ok(deadline);
                    }
                }
                Err(WorkingTimeError::TooLong { duration })
            }
        }
    }

    /// Working time from `now` to `deadline` in seconds; negative (the working time since the
    /// deadline) when overdue. Both instants must fall in the years the calendar holds: outside
    /// them no holiday is known and the answer would be a guess.
    pub fn remaining(
        &self,
        now: DateTime<Utc>,
        deadline: DateTime<Utc>,
    ) -> Result<i64, WorkingTimeError> {
        self.in_range(now)?;
        self.in_range(deadline)?;
        Ok(if now <= deadline {
            self.working_seconds(now, deadline)
        } else {
            -self.working_seconds(deadline, now)
        })
    }

    /// Working seconds in `[from, to)`. Whole days in between count as an ordinary day's hours,
    /// which holds as long as clock changes fall outside office hours (as in every Kazakh zone:
    /// the 2024 change was at midnight).
    pub fn working_seconds(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let first = self.local_date(from);
        let last = self.local_date(to);
        let clipped = |date: NaiveDate| -> i64 {
            self.intervals(date)
                .map(|(start, end)| (end.min(to) - start.max(from)).num_seconds().max(0))
                .sum()
        };
        if first == last {
            return clipped(first);
        }
        let mut total = clipped(first) + clipped(last);
        let mut date = first + Duration::days(1);
        while date < last {
            if self.is_working_day(date) {
                total += self.day_seconds;
            }
            date += Duration::days(1);
        }
        total
    }
}
