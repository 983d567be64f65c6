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
            "30 August 2026 is a Sunday: 31 August off",
            "2026-08-28T18:00:00+05:00",
            "1h",
            "2026-09-01T09:30:00+05:00",
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
        let deadline = provider.deadline(at(start), duration);
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
            local(&sc, sc.deadline(at(start), duration)),
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
        -600
    );
    // Lunch does not count against the overdue time either.
    assert_eq!(
        provider.remaining(at("2026-11-25T14:40:00+05:00"), deadline),
        -(90 + 10) * 60
    );
    assert_eq!(
        provider.remaining(at("2026-11-25T09:30:00+05:00"), deadline),
        2 * 3600
    );
}

#[test]
fn explanation_lists_counted_intervals_and_skipped_days() {
    let provider = provider();
    let explanation = provider.explain(at("2026-03-20T17:00:00+05:00"), WorkDuration::Minutes(180));
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
    let explanation = provider.explain(
        at("2026-03-02T10:00:00+05:00"),
        WorkDuration::WorkingDays(26),
    );
    let counted = explanation
        .days
        .iter()
        .filter(|d| d.counted_as.is_some())
        .count();
    assert_eq!(counted, 26);
    assert_eq!(explanation.days.last().unwrap().counted_as, Some(26));
    assert_eq!(
        explanation.deadline,
        provider.deadline(explanation.start, explanation.duration)
    );
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

    #[test]
    fn a_deadline_is_in_working_time_or_at_a_closing(
        calendar in any_calendar(), t in any_instant(), minutes in 1u32..20_000, days in 1u32..60,
    ) {
        for d in [WorkDuration::Minutes(minutes), WorkDuration::WorkingDays(days)] {
            let deadline = calendar.deadline(t, d);
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
        let stepwise = calendar.deadline(calendar.deadline(t, WorkDuration::Minutes(a)), WorkDuration::Minutes(b));
        prop_assert_eq!(stepwise, calendar.deadline(t, WorkDuration::Minutes(a + b)));
    }

    #[test]
    fn remaining_from_a_working_instant_is_the_duration(
        calendar in any_calendar(), t in any_instant(), minutes in 1u32..20_000,
    ) {
        let t = calendar.next_resume(t);
        let deadline = calendar.deadline(t, WorkDuration::Minutes(minutes));
        prop_assert_eq!(calendar.remaining(t, deadline), i64::from(minutes) * 60);
        prop_assert_eq!(calendar.remaining(deadline, t), -i64::from(minutes) * 60);
    }

    #[test]
    fn deadlines_are_monotonic(
        calendar in any_calendar(), t in any_instant(), later in 0i64..200_000, a in 1u32..5_000, more in 0u32..5_000,
    ) {
        let u = t + Duration::seconds(later);
        for d in [WorkDuration::Minutes(a), WorkDuration::WorkingDays(a % 60 + 1)] {
            prop_assert!(calendar.deadline(t, d) <= calendar.deadline(u, d));
        }
        prop_assert!(calendar.deadline(t, WorkDuration::Minutes(a)) <= calendar.deadline(t, WorkDuration::Minutes(a + more)));
        prop_assert!(calendar.deadline(t, WorkDuration::WorkingDays(a % 60 + 1)) <= calendar.deadline(t, WorkDuration::WorkingDays(a % 60 + 1 + more % 10)));
    }
}
