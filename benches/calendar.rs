//! A dashboard recomputes thousands of countdowns a second: deadline and remaining must be cheap.

use chrono::{DateTime, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use frontdesk::calendar::WorkDuration;
use frontdesk::domain::Regulation;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn calendar(c: &mut Criterion) {
    let regulation = Regulation::default_embedded();
    let provider = regulation.calendar("provider").unwrap();
    let start = at("2026-04-30T12:00:00+05:00");
    let deadline = provider
        .deadline(start, WorkDuration::WorkingDays(46))
        .unwrap();
    let now = at("2026-05-05T11:17:00+05:00");

    c.bench_function("deadline 46 working days", |b| {
        b.iter(|| provider.deadline(black_box(start), black_box(WorkDuration::WorkingDays(46))))
    });
    c.bench_function("remaining to a 46-working-day deadline", |b| {
        b.iter(|| provider.remaining(black_box(now), black_box(deadline)))
    });
    c.bench_function("deadline 3 working hours", |b| {
        b.iter(|| provider.deadline(black_box(start), black_box(WorkDuration::Minutes(180))))
    });
}

criterion_group!(benches, calendar);
criterion_main!(benches);
