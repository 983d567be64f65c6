//! Table tests of the Kazakh calendar and property tests of the working-time laws.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

use super::*;

fn calendar(days: &[&str], hours: &[&str]) -> WorkingCalendar {
    let spec = ScheduleSpec {
        time_zone: "Asia/Almaty".into(),
        days: days.iter().map(|s| s.to_string()).collect(),
        hours: hours.iter().map(|s| s.to_string()).collect(),
    };
    WorkingCalendar::new(
        Schedule::from_spec(&spec).expect("valid schedule"),
        default_holidays(),
    )
}

fn provider() -> WorkingCalendar {
    calendar(
        &["mon", "tue", "wed", "thu", "fri"],
        &["09:00-13:00", "14:30-18:30"],
    )
}

fn state_corp() -> WorkingCalendar {
    calendar(
        &["mon", "tue", "wed", "thu", "fri", "sat"],
        &["09:00-20:00"],
    )
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("test instant")
        .with_timezone(&Utc)
}

fn local(calendar: &WorkingCalendar, t: DateTime<Utc>) -> String {
    calendar.to_local(t).to_rfc3339()
}

#[test]
fn shipped_calendar_file_is_valid() {
    let data: HolidayData = toml::from_str(DEFAULT_CALENDAR_TOML).unwrap();
    assert_eq!(data.validate(), Vec::new());
}

#[test]
fn provider_deadlines_table() {
    let provider = provider();
    let cases = [
        // (why, start, duration, expected deadline)
        (
            "Friday evening + 3 h",
            "2026-11-20T17:00:00+05:00",
            "3h",
            "2026-11-23T10:30:00+05:00",
        ),
        (
            "start inside the lunch break",
            "2026-11-25T13:30:00+05:00",
            "30m",
            "2026-11-25T15:00:00+05:00",
        ),
        (
            "across the lunch break",
            "2026-11-25T12:00:00+05:00",
            "3h",
            "2026-11-25T16:30:00+05:00",
        ),
        (
            "start on a Saturday, ends at the lunch closing",
            "2026-11-21T10:00:00+05:00",
            "4h",
            "2026-11-23T13:00:00+05:00",
        ),
        (
            "deadline exactly at closing stays there",
            "2026-11-25T15:30:00+05:00",
            "3h",
            "2026-11-25T18:30:00+05:00",
        ),
        (
            "start after closing",
            "2026-11-25T19:00:00+05:00",
            "30m",
            "2026-11-26T09:30:00+05:00",
        ),
        (
            "Nauryz 2026: 23 March and the moved 24, 25 March",
            "2026-03-20T17:00:00+05:00",
            "3h",
            "2026-03-26T10:30:00+05:00",
        ),
        (
            "8 March 2026 is a Sunday: Monday 9 March off",
            "2026-03-06T18:00:00+05:00",
            "1h",
            "2026-03-10T09:30:00+05:00",
        ),
        (
            "9 May 2026 is a Saturday: Monday 11 May off",
            "2026-05-08T18:00:00+05:00",
            "1h",
            "2026-05-12T09:30:00+05:00",
        ),
        (
            "Kurban Ait 2026, 27 May",
            "2026-05-26T18:00:00+05:00",
            "1h",
            "2026-05-28T09:30:00+05:00",
        ),
        (
            "30 August is no longer a holiday from 2026: Monday 31 August is worked",
            "2026-08-28T18:00:00+05:00",
            "1h",
            "2026-08-31T09:30:00+05:00",
        ),
        (
            "25 October 2026 is a Sunday: 26 October off",
            "2026-10-23T18:00:00+05:00",
            "1h",
            "2026-10-27T09:30:00+05:00",
        ),
        (
            "16 December 2026",
            "2026-12-15T18:00:00+05:00",
            "1h",
            "2026-12-17T09:30:00+05:00",
        ),
        (
            "New Year 2027: 2 January is a Saturday, 4 January off",
            "2026-12-31T18:00:00+05:00",
            "1h",
            "2027-01-05T09:30:00+05:00",
        ),
        (
            "an instant given in UTC",
            "2026-11-20T12:00:00Z",
            "3h",
            "2026-11-23T10:30:00+05:00",
        ),
        (
            "before 2024-03-01 Almaty was UTC+6",
            "2023-11-17T17:00:00+06:00",
            "3h",
            "2023-11-20T10:30:00+06:00",
        ),
        (
            "across the 2024-03-01 change to UTC+5",
            "2024-02-29T18:00:00+06:00",
            "1h",
            "2024-03-01T09:30:00+05:00",
        ),
        (
            "transferred day off 3 January 2025, Sunday 5 January worked",
            "2024-12-31T18:00:00+05:00",
            "1h",
            "2025-01-05T09:30:00+05:00",
        ),
        (
            "26 working days across 9 March and Nauryz",
            "2026-03-02T10:00:00+05:00",
            "26wd",
            "2026-04-13T18:30:00+05:00",
        ),
        (
            "46 working days across the May holidays, Kurban Ait and Capital Day",
            "2026-04-30T12:00:00+05:00",
            "46wd",
            "2026-07-10T18:30:00+05:00",
        ),
    ];
    for (why, start, duration, expected) in cases {
        let duration: WorkDuration = duration.parse().unwrap();
        let deadline = provider.deadline(at(start), duration).unwrap();
        assert_eq!(local(&provider, deadline), expected, "{why}");
    }
}

#[test]
fn state_corporation_deadlines_table() {
    let sc = state_corp();
    let cases = [
        (
            "a State Corporation Saturday counts",
            "2026-11-21T19:00:00+05:00",
            "3h",
            "2026-11-23T11:00:00+05:00",
        ),
        (
            "Saturday 19:50 before 8 March 2026 resumes Tuesday",
            "2026-03-07T19:50:00+05:00",
            "3h",
            "2026-03-10T11:50:00+05:00",
        ),
        (
            "20-minute window ending at closing",
            "2026-11-21T19:40:00+05:00",
            "20m",
            "2026-11-21T20:00:00+05:00",
        ),
    ];
    for (why, start, duration, expected) in cases {
        let duration: WorkDuration = duration.parse().unwrap();
        assert_eq!(
            local(&sc, sc.deadline(at(start), duration).unwrap()),
            expected,
            "{why}"
        );
    }
}

#[test]
fn paused_clock_says_when_it_resumes() {
    let sc = state_corp();
    let after_closing = at("2026-03-07T20:05:00+05:00");
    assert!(!sc.is_working(after_closing));
    assert_eq!(
        local(&sc, sc.next_resume(after_closing)),
        "2026-03-10T09:00:00+05:00"
    );
    let inside = at("2026-03-07T19:50:00+05:00");
    assert!(sc.is_working(inside));
    assert_eq!(sc.next_resume(inside), inside);
    // Closing instant itself is outside working time.
    assert!(!sc.is_working(at("2026-03-07T20:00:00+05:00")));
}

#[test]
fn remaining_is_negative_when_overdue() {
    let provider = provider();
    let deadline = at("2026-11-25T11:30:00+05:00");
    assert_eq!(
        provider.remaining(at("2026-11-25T11:40:00+05:00"), deadline),
        Ok(-600)
    );
    // Lunch does not count against the overdue time either.
    assert_eq!(
        provider.remaining(at("2026-11-25T14:40:00+05:00"), deadline),
        Ok(-(90 + 10) * 60)
    );
    assert_eq!(
        provider.remaining(at("2026-11-25T09:30:00+05:00"), deadline),
        Ok(2 * 3600)
    );
}

#[test]
fn explanation_lists_counted_intervals_and_skipped_days() {
    let provider = provider();
    let explanation = provider
        .explain(at("2026-03-20T17:00:00+05:00"), WorkDuration::Minutes(180))
        .unwrap();
    assert_eq!(explanation.deadline, at("2026-03-26T10:30:00+05:00"));
    let intervals: Vec<_> = explanation
        .intervals
        .iter()
        .map(|i| (local(&provider, i.start), local(&provider, i.end)))
        .collect();
    assert_eq!(
        intervals,
        [
            (
                "2026-03-20T17:00:00+05:00".to_string(),
                "2026-03-20T18:30:00+05:00".to_string()
            ),
            (
                "2026-03-26T09:00:00+05:00".to_string(),
                "2026-03-26T10:30:00+05:00".to_string()
            ),
        ]
    );
    let skipped: Vec<_> = explanation
        .days
        .iter()
        .map(|d| d.date.to_string())
        .collect();
    assert_eq!(
        skipped,
        [
            "2026-03-21",
            "2026-03-22",
            "2026-03-23",
            "2026-03-24",
            "2026-03-25"
        ]
    );
    assert!(
        matches!(&explanation.days[3].kind, DayKind::DayOff { reason } if reason.contains("Nauryz"))
    );
    let total: i64 = explanation
        .intervals
        .iter()
        .map(|i| (i.end - i.start).num_seconds())
        .sum();
    assert_eq!(total, 3 * 3600);
}

#[test]
fn working_day_explanation_numbers_each_counted_day() {
    let provider = provider();
    let explanation = provider
        .explain(
            at("2026-03-02T10:00:00+05:00"),
            WorkDuration::WorkingDays(26),
        )
        .unwrap();
    let counted = explanation
        .days
        .iter()
        .filter(|d| d.counted_as.is_some())
        .count();
    assert_eq!(counted, 26);
    assert_eq!(explanation.days.last().unwrap().counted_as, Some(26));
    assert_eq!(
        explanation.deadline,
        provider
            .deadline(explanation.start, explanation.duration)
            .unwrap()
    );
}

/// The dates corrected from the official calendars: each is checked as a day and as a deadline
/// counted across it, on both schedules.
#[test]
fn corrected_dates_2023_to_2027_on_both_schedules() {
    let (provider, sc) = (provider(), state_corp());
    let day = |text: &str| text.parse::<chrono::NaiveDate>().unwrap();
    // (why, date, working at the provider, working at the State Corporation)
    let days = [
        (
            "2023: Saturday 1 July worked by transfer",
            "2023-07-01",
            true,
            true,
        ),
        (
            "2023: Friday 7 July off by transfer",
            "2023-07-07",
            false,
            false,
        ),
        (
            "2024: Saturday 4 May worked by transfer",
            "2024-05-04",
            true,
            true,
        ),
        (
            "2024: Wednesday 8 May off by transfer",
            "2024-05-08",
            false,
            false,
        ),
        (
            "2025: Friday 3 January off by transfer",
            "2025-01-03",
            false,
            false,
        ),
        (
            "2026: 30 August is no longer a holiday",
            "2026-08-30",
            false,
            false,
        ),
        (
            "2026: Monday 31 August is a working day",
            "2026-08-31",
            true,
            true,
        ),
        (
            "2027: Monday 15 March is Constitution Day",
            "2027-03-15",
            false,
            false,
        ),
        (
            "2027: Monday 30 August is a working day",
            "2027-08-30",
            true,
            true,
        ),
    ];
    for (why, date, at_provider, at_sc) in days {
        assert_eq!(
            provider.is_working_day(day(date)),
            at_provider,
            "provider: {why}"
        );
        assert_eq!(sc.is_working_day(day(date)), at_sc, "state-corp: {why}");
    }
    assert_eq!(
        default_holidays().note(day("2026-08-30")),
        None,
        "30 August 2026 is an ordinary Sunday"
    );

    // (why, calendar, start, duration, deadline)
    let deadlines = [
        (
            "2023: Friday evening + 1 h ends on the transferred Saturday",
            &provider,
            "2023-06-30T18:00:00+06:00",
            "1h",
            "2023-07-01T09:30:00+06:00",
        ),
        (
            "2023: Capital Day and the transferred 7 July",
            &provider,
            "2023-07-05T18:00:00+06:00",
            "1h",
            "2023-07-10T09:30:00+06:00",
        ),
        (
            "2023: the State Corporation resumes on Saturday 8 July",
            &sc,
            "2023-07-05T19:30:00+06:00",
            "1h",
            "2023-07-08T09:30:00+06:00",
        ),
        (
            "2024: Friday evening + 1 h ends on the transferred Saturday",
            &provider,
            "2024-05-03T18:00:00+05:00",
            "1h",
            "2024-05-04T09:30:00+05:00",
        ),
        (
            "2024: 7, 8 (transferred) and 9 May off",
            &provider,
            "2024-05-06T18:00:00+05:00",
            "1h",
            "2024-05-10T09:30:00+05:00",
        ),
        (
            "2024: the same at the State Corporation",
            &sc,
            "2024-05-06T19:30:00+05:00",
            "1h",
            "2024-05-10T09:30:00+05:00",
        ),
        (
            "2024: 5 working days across the transfer",
            &provider,
            "2024-05-02T10:00:00+05:00",
            "5wd",
            "2024-05-13T18:30:00+05:00",
        ),
        (
            "2026: Monday 31 August is worked at the State Corporation",
            &sc,
            "2026-08-29T19:30:00+05:00",
            "1h",
            "2026-08-31T09:30:00+05:00",
        ),
        (
            "2026: 3 working days across 31 August",
            &provider,
            "2026-08-27T10:00:00+05:00",
            "3wd",
            "2026-09-01T18:30:00+05:00",
        ),
        (
            "2027: Constitution Day, Monday 15 March",
            &provider,
            "2027-03-12T18:00:00+05:00",
            "1h",
            "2027-03-16T09:30:00+05:00",
        ),
        (
            "2027: Constitution Day at the State Corporation",
            &sc,
            "2027-03-13T19:30:00+05:00",
            "1h",
            "2027-03-16T09:30:00+05:00",
        ),
        (
            "2027: Monday 30 August is worked",
            &provider,
            "2027-08-27T18:00:00+05:00",
            "1h",
            "2027-08-30T09:30:00+05:00",
        ),
        (
            "2027: Monday 30 August at the State Corporation",
            &sc,
            "2027-08-28T19:30:00+05:00",
            "1h",
            "2027-08-30T09:30:00+05:00",
        ),
    ];
    for (why, calendar, start, duration, expected) in deadlines {
        let deadline = calendar
            .deadline(at(start), duration.parse().unwrap())
            .unwrap();
        assert_eq!(local(calendar, deadline), expected, "{why}");
    }
}

#[test]
fn every_holiday_moved_day_and_transfer_of_2023_to_2027_has_its_source() {
    let holidays = default_holidays();
    for year in 2023..=2027 {
        for (date, note) in holidays.year(year) {
            let source = note
                .source()
                .unwrap_or_else(|| panic!("{date}: {} has no source", note.describe()));
            assert!(!source.act.trim().is_empty(), "{date}");
        }
    }
    let transfer = holidays.note("2024-05-08".parse().unwrap()).unwrap();
    assert_eq!(
        transfer.source().unwrap().to_string(),
        "Order of the Ministry of Labour and Social Protection of the Population of 17 April 2024"
    );
    let nauryz = holidays.note("2026-03-21".parse().unwrap()).unwrap();
    assert_eq!(
        nauryz.source().unwrap().to_string(),
        "Law \"On holidays in the Republic of Kazakhstan\" of 13 December 2001 No. 267, Art. 3"
    );
}

#[test]
fn what_cannot_be_counted_is_an_error_naming_the_limit() {
    let (provider, sc) = (provider(), state_corp());
    let start = at("2026-11-25T10:00:00+05:00");
    // The cases at the provider; the State Corporation's longer weeks reach further.
    for (calendar, durations) in [
        (&provider, ["3000wd", "20000h", "1250000m"]),
        (&sc, ["4000wd", "40000h", "2400000m"]),
    ] {
        for duration in durations {
            let duration: WorkDuration = duration.parse().unwrap();
            let error = calendar.deadline(start, duration).unwrap_err();
            assert_eq!(error, WorkingTimeError::TooLong { duration });
            assert!(error
                .to_string()
                .starts_with(&format!("{duration} cannot be counted")));
            assert_eq!(calendar.explain(start, duration).unwrap_err(), error);
        }
    }
}

#[test]
fn instants_outside_the_calendar_years_are_refused() {
    let provider = provider();
    let days46 = WorkDuration::WorkingDays(46);
    for start in ["9999-12-01T10:00:00+05:00", "1980-06-02T10:00:00+05:00"] {
        assert_eq!(
            provider.deadline(at(start), days46),
            Err(WorkingTimeError::OutOfRange { instant: at(start) }),
            "{start}"
        );
    }
    // The start is known, the deadline would fall in 2101.
    let late = at("2100-12-20T10:00:00+05:00");
    assert_eq!(
        provider.deadline(late, days46),
        Err(WorkingTimeError::BeyondCalendar {
            duration: days46,
            start: late
        })
    );
    assert!(matches!(
        provider.deadline(late, WorkDuration::Minutes(60 * 80)),
        Err(WorkingTimeError::BeyondCalendar { .. })
    ));
    // A deadline on the last day still counts.
    assert_eq!(
        local(
            &provider,
            provider
                .deadline(late, WorkDuration::WorkingDays(5))
                .unwrap()
        ),
        "2100-12-27T18:30:00+05:00"
    );
    let now = at("2026-11-25T10:00:00+05:00");
    assert!(provider.remaining(now, at("9999-01-01T00:00:00Z")).is_err());
    assert!(provider.remaining(at("1900-01-01T00:00:00Z"), now).is_err());
}

#[test]
fn zero_durations_are_refused() {
    let provider = provider();
    for start in ["2026-11-25T10:00:00+05:00", "2026-11-28T10:00:00+05:00"] {
        for zero in [WorkDuration::Minutes(0), WorkDuration::WorkingDays(0)] {
            let error = provider.deadline(at(start), zero).unwrap_err();
            assert_eq!(error, WorkingTimeError::Zero(zero));
            assert!(error.to_string().contains("counts no working time"));
        }
    }
}

// The laws hold on both schedules over several years, holidays and the 2024 zone change included.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2023-01-01 .. 2028-01-01
    (1_672_531_200i64..1_830_297_600i64)
        .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default())
}

fn any_calendar() -> impl Strategy<Value = WorkingCalendar> {
    prop_oneof![Just(provider()), Just(state_corp())]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Over every year the calendar holds, a deadline is either an instant whose printed form
    /// reads back, or an error that says the calendar ends; never the start, never a wrong year.
    #[test]
    fn every_deadline_reads_back_or_is_an_error(
        calendar in any_calendar(),
        seconds in 631_152_000i64..4_133_980_800i64, // 1990-01-01 .. 2101-01-01
        minutes in 1u32..120_000,
        days in 1u32..250,
    ) {
        let t = DateTime::from_timestamp(seconds, 0).unwrap_or_default();
        for d in [WorkDuration::Minutes(minutes), WorkDuration::WorkingDays(days)] {
            match calendar.deadline(t, d) {
                Ok(deadline) => {
                    prop_assert!(deadline > t);
                    let printed = calendar.to_local(deadline).to_rfc3339();
                    let read = DateTime::parse_from_rfc3339(&printed).map(|x| x.with_timezone(&Utc));
                    prop_assert_eq!(read, Ok(deadline), "{}", printed);
                }
                Err(e) => prop_assert!(
                    matches!(e, WorkingTimeError::BeyondCalendar { .. } | WorkingTimeError::OutOfRange { .. }),
                    "{d} from {t}: {e}"
                ),
            }
        }
    }

    #[test]
    fn a_deadline_is_in_working_time_or_at_a_closing(
        calendar in any_calendar(), t in any_instant(), minutes in 1u32..20_000, days in 1u32..60,
    ) {
        for d in [WorkDuration::Minutes(minutes), WorkDuration::WorkingDays(days)] {
            let deadline = calendar.deadline(t, d).unwrap();
            prop_assert!(deadline > t);
            let at_closing = !calendar.is_working(deadline)
                && calendar.is_working(deadline - Duration::seconds(1));
            prop_assert!(calendar.is_working(deadline) || at_closing, "{d} from {t} gave {deadline}");
        }
    }

    #[test]
    fn minute_durations_compose(
        calendar in any_calendar(), t in any_instant(), a in 1u32..5_000, b in 1u32..5_000,
    ) {
        let first = calendar.deadline(t, WorkDuration::Minutes(a)).unwrap();
        let stepwise = calendar.deadline(first, WorkDuration::Minutes(b)).unwrap();
        prop_assert_eq!(stepwise, calendar.deadline(t, WorkDuration::Minutes(a + b)).unwrap());
    }

    #[test]
    fn remaining_from_a_working_instant_is_the_duration(
        calendar in any_calendar(), t in any_instant(), minutes in 1u32..20_000,
    ) {
        let t = calendar.next_resume(t);
        let deadline = calendar.deadline(t, WorkDuration::Minutes(minutes)).unwrap();
        prop_assert_eq!(calendar.remaining(t, deadline), Ok(i64::from(minutes) * 60));
        prop_assert_eq!(calendar.remaining(deadline, t), Ok(-i64::from(minutes) * 60));
    }

    #[test]
    fn deadlines_are_monotonic(
        calendar in any_calendar(), t in any_instant(), later in 0i64..200_000, a in 1u32..5_000, more in 0u32..5_000,
    ) {
        let u = t + Duration::seconds(later);
        for d in [WorkDuration::Minutes(a), WorkDuration::WorkingDays(a % 60 + 1)] {
            prop_assert!(calendar.deadline(t, d).unwrap() <= calendar.deadline(u, d).unwrap());
        }
        let deadline = |d| calendar.deadline(t, d).unwrap();
        prop_assert!(deadline(WorkDuration::Minutes(a)) <= deadline(WorkDuration::Minutes(a + more)));
        prop_assert!(deadline(WorkDuration::WorkingDays(a % 60 + 1)) <= deadline(WorkDuration::WorkingDays(a % 60 + 1 + more % 10)));
    }
}

#[test]
fn a_start_with_a_fraction_of_a_second_ends_a_morning_at_its_closing() {
    let calendar = provider();
    let start = DateTime::parse_from_rfc3339("2026-11-25T10:05:20.5+05:00")
        .unwrap()
        .with_timezone(&Utc);
    let explanation = calendar.explain(start, WorkDuration::Minutes(180)).unwrap();
    let local = |t: DateTime<Utc>| calendar.to_local(t).format("%H:%M:%S").to_string();
    let intervals: Vec<(String, String)> = explanation
        .intervals
        .iter()
        .map(|i| (local(i.start), local(i.end)))
        .collect();
    assert_eq!(
        intervals,
        [
            ("10:05:20".to_string(), "13:00:00".to_string()),
            ("14:30:00".to_string(), "14:35:20".to_string())
        ]
    );
    assert_eq!(local(explanation.deadline), "14:35:20");
}
