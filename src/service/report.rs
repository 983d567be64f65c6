//! Figures for a period: per step, per staff member and per support measure — cases, steps
//! finished within their limit, overdue, median and 90th-percentile working time used — plus
//! acceptance windows overrun and refusals by reason.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::countdown::{case_countdown, Urgency};
use crate::domain::case::{Case, CaseStatus, StepOutcome};
use crate::domain::Regulation;

/// One line of a report table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub key: String,
    /// Distinct cases that reached this step / this person / this measure.
    pub cases: u32,
    pub finished: u32,
    pub within_limit: u32,
    /// Finished late, or open past the deadline now.
    pub overdue: u32,
    /// Working minutes used by finished steps.
    pub median_minutes: Option<i64>,
    pub p90_minutes: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub office: Option<String>,
    pub cases: u32,
    pub windows_overrun: u32,
    pub by_step: Vec<Row>,
    pub by_staff: Vec<Row>,
    pub by_measure: Vec<Row>,
    /// Refusals to accept, by missing document.
    pub refused_to_accept: Vec<(String, u32)>,
    /// Reasoned refusals (result), by Art. 19-1 ground.
    pub refusals_by_ground: Vec<(String, u32)>,
}

#[derive(Default)]
struct Tally {
    cases: std::collections::BTreeSet<u64>,
    finished: u32,
    within: u32,
    overdue: u32,
    minutes: Vec<i64>,
}

fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied()
}

fn rows(tallies: BTreeMap<String, Tally>) -> Vec<Row> {
    tallies
        .into_iter()
        .map(|(key, mut t)| {
            t.minutes.sort_unstable();
            Row {
                key,
                cases: t.cases.len() as u32,
                finished: t.finished,
                within_limit: t.within,
                overdue: t.overdue,
                median_minutes: percentile(&t.minutes, 0.5),
                p90_minutes: percentile(&t.minutes, 0.9),
            }
        })
        .collect()
}

/// The report over `cases` (already limited to the period), at `now`.
pub fn build(regulation: &Regulation, cases: &[Case], now: DateTime<Utc>) -> Report {
    let mut report = Report::default();
    let mut by_step: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_staff: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_measure: BTreeMap<String, Tally> = BTreeMap::new();
    let mut missing: BTreeMap<String, u32> = BTreeMap::new();
    let mut grounds: BTreeMap<String, u32> = BTreeMap::new();
    for case in cases {
        if matches!(case.status, CaseStatus::Voided { .. }) {
            continue;
        }
        report.cases += 1;
        if case.window.overrun_seconds > 0 {
            report.windows_overrun += 1;
        }
        if let CaseStatus::RefusedToAccept { missing: docs } = &case.status {
            for doc in docs {
                *missing.entry(doc.clone()).or_default() += 1;
            }
        }
        if let Some(ground) = case.result.as_ref().and_then(|r| r.ground.clone()) {
            *grounds.entry(ground).or_default() += 1;
        }
        let open_overdue =
            case_countdown(regulation, case, now).is_some_and(|c| c.urgency == Urgency::Overdue);
        for step in &case.steps {
            if step.outcome == Some(StepOutcome::Voided) {
                continue;
            }
            let calendar = regulation.step_calendar(&case.intake.channel, step.index);
            let touch = |tally: &mut Tally| {
                tally.cases.insert(case.id);
                match step.finished_at {
                    Some(finished) => {
                        tally.finished += 1;
                        if finished <= step.deadline {
                            tally.within += 1;
                        } else {
                            tally.overdue += 1;
                        }
                        if let Some(calendar) = calendar {
                            tally
                                .minutes
                                .push(calendar.working_seconds(step.started_at, finished) / 60);
                        }
                    }
                    None if open_overdue => tally.overdue += 1,
                    None => {}
                }
            };
            touch(by_step.entry(step.step_id.clone()).or_default());
            if let Some(staff) = step.finished_by.clone().or_else(|| step.assignee.clone()) {
                touch(by_staff.entry(staff).or_default());
            }
            for measure in &case.intake.measures {
                touch(by_measure.entry(measure.clone()).or_default());
            }
        }
        if case.steps.is_empty() {
            for measure in &case.intake.measures {
                by_measure
                    .entry(measure.clone())
                    .or_default()
                    .cases
                    .insert(case.id);
            }
        }
    }
    report.by_step = rows(by_step);
    report.by_staff = rows(by_staff);
    report.by_measure = rows(by_measure);
    report.refused_to_accept = missing.into_iter().collect();
    report.refusals_by_ground = grounds.into_iter().collect();
    report
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentiles_of_a_few_values() {
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(super::percentile(&v, 0.5), Some(6));
        assert_eq!(super::percentile(&v, 0.9), Some(9));
        assert_eq!(super::percentile(&[], 0.5), None);
    }
}
