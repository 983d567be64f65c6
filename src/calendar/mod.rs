//! Pure working-time arithmetic: office schedules, breaks, holidays, transfers and time zones.
//!
//! Instants are UTC; schedules are in the office's local time. Nothing here reads the clock.

mod duration;
mod holidays;
mod schedule;
mod working_time;

use std::sync::{Arc, OnceLock};

pub use duration::{DurationParseError, WorkDuration};
pub use holidays::{
    DatedHoliday, DayNote, HolidayCalendar, HolidayData, HolidayDataError, HolidayDataWarning,
    HolidayKind, HolidayName, LegalSource, MovedDayOffRule, RecurringHoliday, Transfer, YearReview,
    DEFAULT_CALENDAR_TOML, FIRST_YEAR, LAST_YEAR,
};
pub use schedule::{Schedule, ScheduleError, ScheduleSpec};
pub use working_time::{
    CountedInterval, DayEntry, DayKind, Explanation, WorkingCalendar, WorkingTimeError,
    MAX_SCAN_DAYS,
};

/// The holidays compiled into the binary, parsed once.
pub fn default_holidays() -> Arc<HolidayCalendar> {
    static DEFAULT: OnceLock<Arc<HolidayCalendar>> = OnceLock::new();
    DEFAULT
        .get_or_init(|| {
            // The shipped file is checked by a test; an empty calendar is the safe fallback.
            let data: HolidayData = toml::from_str(DEFAULT_CALENDAR_TOML).unwrap_or_default();
            Arc::new(HolidayCalendar::new(&data))
        })
        .clone()
}

#[cfg(test)]
mod tests;
