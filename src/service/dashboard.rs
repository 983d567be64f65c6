//! The supervisor's figures, kept up to date event by event: open cases by step and owner,
//! acceptances and window overruns per day, steps finished within their limit. A view at a
//! given instant is computed from them on the working calendar.

use std::collections::{BTreeMap, HashMap};
use std::sync::MutexGuard;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Service, ServiceError};
use crate::countdown::{case_countdown, Urgency};
use crate::domain::case::Actor;
use crate::domain::case::{
    AcceptanceWindow, Case, CaseId, CaseState, CaseStatus, ReceiptState, StepOutcome, StepRecord,
};
use crate::domain::Regulation;
use crate::store::StoreError;

/// An open case as the dashboard needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OpenCase {
    case: Case,
}

/// Finished steps: how many, and how many within their limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithinLimit {
    pub finished: u32,
    pub within: u32,
}

/// Finished steps by who finished them, where: case office → staff member → step, so that an
/// office's dashboard counts the steps its own people finished, handed-over cases included.
type Finished = BTreeMap<String, BTreeMap<String, BTreeMap<String, WithinLimit>>>;

/// The value under `key`, made when missing; a key already there (nearly always, in a rebuild
/// that passes here for every case and finished step) is found without allocating.
fn slot_of<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> Option<&'m mut V> {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    map.get_mut(key)
}

/// The running totals, kept per office so that each scope sees only its own. `apply` moves them
/// from one state of a case to the next.
#[derive(Debug, Default, Clone)]
pub struct Aggregates {
    open: HashMap<CaseId, OpenCase>,
    /// office → (local date of acceptance) → cases accepted or refused that day.
    accepted: BTreeMap<String, BTreeMap<NaiveDate, u32>>,
    overruns: BTreeMap<String, BTreeMap<NaiveDate, u32>>,
    finished: Finished,
}

/// Which totals a dashboard counts: the offices whose acceptances it shows, and the finished
/// steps (by the case's office and the staff member who finished them) it includes.
pub struct TotalsScope<'a> {
    pub office: &'a dyn Fn(&str) -> bool,
    pub finished: &'a dyn Fn(&str, &str) -> bool,
}

impl TotalsScope<'_> {
    /// Every office and every finished step.
    pub fn everything() -> TotalsScope<'static> {
        TotalsScope {
            office: &|_| true,
            finished: &|_, _| true,
        }
    }
}

fn sign(add: bool) -> i64 {
    if add {
        1
    } else {
        -1
    }
}

fn bump(counter: &mut u32, add: bool) {
    *counter = (i64::from(*counter) + sign(add)).max(0) as u32;
}

/// What the totals read of a case: a whole case, or its state without the intake.
trait Facts {
    fn office(&self) -> &str;
    fn channel(&self) -> &str;
    fn status(&self) -> &CaseStatus;
    fn window(&self) -> &AcceptanceWindow;
    fn steps(&self) -> &[StepRecord];
    fn version(&self) -> CaseVersion;
}

/// What tells one version of a case from the next: every event changes at least one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseVersion {
    updated_at: DateTime<Utc>,
    steps: usize,
    last_finished: Option<DateTime<Utc>>,
    printed: u32,
    voided: bool,
    print_failed: bool,
}

impl CaseVersion {
    fn new(updated_at: DateTime<Utc>, steps: &[StepRecord], receipt: &ReceiptState) -> Self {
        CaseVersion {
            updated_at,
            steps: steps.len(),
            last_finished: steps.last().and_then(|s| s.finished_at),
            printed: receipt.printed,
            voided: receipt.voided.is_some(),
            print_failed: receipt.last_print_error.is_some(),
        }
    }
}

impl Facts for Case {
    fn office(&self) -> &str {
        &self.office
    }
    fn channel(&self) -> &str {
        &self.intake.channel
    }
    fn status(&self) -> &CaseStatus {
        &self.status
    }
    fn window(&self) -> &AcceptanceWindow {
        &self.window
    }
    fn steps(&self) -> &[StepRecord] {
        &self.steps
    }
    fn version(&self) -> CaseVersion {
        CaseVersion::new(self.updated_at, &self.steps, &self.receipt)
    }
}

impl Facts for CaseState {
    fn office(&self) -> &str {
        &self.office
    }
    fn channel(&self) -> &str {
        &self.channel
    }
    fn status(&self) -> &CaseStatus {
        &self.status
    }
    fn window(&self) -> &AcceptanceWindow {
        &self.window
    }
    fn steps(&self) -> &[StepRecord] {
        &self.steps
    }
    fn version(&self) -> CaseVersion {
        CaseVersion::new(self.updated_at, &self.steps, &self.receipt)
    }
}

impl Aggregates {
    /// Adds (or, with `add == false`, removes) everything a case contributes. `open` is the
    /// whole case when it is open (the open ones are kept whole for the view).
    fn contribute(
        &mut self,
        regulation: &Regulation,
        case: &impl Facts,
        open: Option<&Case>,
        add: bool,
    ) {
        let local_day = |t: DateTime<Utc>| {
            regulation
                .channel(case.channel())
                .ok()
                .and_then(|c| regulation.calendar(&c.schedule))
                .map_or(t.date_naive(), |c| c.to_local(t).date_naive())
        };
        if !matches!(case.status(), CaseStatus::Voided { .. }) {
            let day = local_day(case.window().closed_at);
            if let Some(office) = slot_of(&mut self.accepted, case.office()) {
                bump(office.entry(day).or_default(), add);
            }
            if case.window().overrun_seconds > 0 {
                if let Some(office) = slot_of(&mut self.overruns, case.office()) {
                    bump(office.entry(day).or_default(), add);
                }
            }
        }
        for step in case.steps() {
            let (Some(finished), Some(by)) = (step.finished_at, &step.finished_by) else {
                continue;
            };
            if step.outcome == Some(StepOutcome::Voided) {
                continue;
            }
            let slot = slot_of(&mut self.finished, case.office())
                .and_then(|by_staff| slot_of(by_staff, by))
                .and_then(|by_step| slot_of(by_step, &step.step_id));
            if let Some(slot) = slot {
                bump(&mut slot.finished, add);
                if finished <= step.deadline {
                    bump(&mut slot.within, add);
                }
            }
        }
        if let Some(open) = open {
            if add {
                self.open.insert(open.id, OpenCase { case: open.clone() });
            } else {
                self.open.remove(&open.id);
            }
        }
    }

    /// Moves the totals from `previous` to `current` (one event's update).
    pub fn apply(&mut self, regulation: &Regulation, previous: Option<&Case>, current: &Case) {
        if let Some(previous) = previous {
            self.contribute(
                regulation,
                previous,
                previous.is_open().then_some(previous),
                false,
            );
        }
        self.contribute(
            regulation,
            current,
            current.is_open().then_some(current),
            true,
        );
    }

    /// Adds one stored case, read as its state (and whole when open), to a rebuild.
    pub fn add_stored(&mut self, regulation: &Regulation, state: &CaseState, whole: Option<&Case>) {
        self.contribute(regulation, state, whole, true);
    }

    /// Adds another set of totals (built over other cases) to these.
    pub fn merge(&mut self, other: Aggregates) {
        self.open.extend(other.open);
        for (mine, theirs) in [
            (&mut self.accepted, other.accepted),
            (&mut self.overruns, other.overruns),
        ] {
            for (office, days) in theirs {
                let office = mine.entry(office).or_default();
                for (day, n) in days {
                    *office.entry(day).or_default() += n;
                }
            }
        }
        for (office, by_staff) in other.finished {
            let mine = self.finished.entry(office).or_default();
            for (staff, by_step) in by_staff {
                let mine = mine.entry(staff).or_default();
                for (step, w) in by_step {
                    let slot = mine.entry(step).or_default();
                    slot.finished += w.finished;
                    slot.within += w.within;
                }
            }
        }
    }

    /// Cases accepted (or overrun) on `day` in the offices `scope` counts.
    fn on_day(
        per_office: &BTreeMap<String, BTreeMap<NaiveDate, u32>>,
        scope: &TotalsScope,
        day: NaiveDate,
    ) -> u32 {
        per_office
            .iter()
            .filter(|(office, _)| (scope.office)(office))
            .filter_map(|(_, days)| days.get(&day))
            .sum()
    }

    pub fn open_count(&self) -> usize {
        self.open.len()
    }
}

/// Events told while the totals are first built wait here, at most this many; past it the
/// build starts again.
const MAX_WAITING_EVENTS: usize = 100_000;

/// One daemon's dashboard totals. Other daemons' events keep arriving while the totals are
/// first read from the store; they wait, and each is applied unless the read already saw it.
#[derive(Default)]
pub enum Totals {
    #[default]
    NotBuilt,
    Building(Vec<(Option<Case>, Case)>),
    Built(Aggregates),
}

impl Totals {
    /// One stored event, from this daemon or another.
    pub fn observe(&mut self, regulation: &Regulation, previous: Option<&Case>, current: &Case) {
        match self {
            Totals::Built(aggregates) => aggregates.apply(regulation, previous, current),
            Totals::Building(waiting) if waiting.len() < MAX_WAITING_EVENTS => {
                waiting.push((previous.cloned(), current.clone()))
            }
            Totals::Building(_) => *self = Totals::NotBuilt,
            Totals::NotBuilt => {}
        }
    }

    /// Finishes a build: applies the events that waited, skipping each one the read already
    /// saw (the version it read is the event's result, or later). `None` when the build must
    /// start again (too many events waited).
    fn finish(
        &mut self,
        regulation: &Regulation,
        mut aggregates: Aggregates,
        mut seen: HashMap<CaseId, CaseVersion>,
    ) -> bool {
        let Totals::Building(waiting) = std::mem::take(self) else {
            return false;
        };
        for (previous, current) in waiting {
            if let Some(version) = seen.get(&current.id) {
                if previous.as_ref().map(Facts::version) != Some(*version) {
                    continue;
                }
            }
            aggregates.apply(regulation, previous.as_ref(), &current);
            seen.insert(current.id, current.version());
        }
        *self = Totals::Built(aggregates);
        true
    }
}

/// A number on the dashboard and the cases behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    pub cases: Vec<CaseId>,
}

impl Bucket {
    pub fn count(&self) -> usize {
        self.cases.len()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRow {
    pub step_id: String,
    pub on_track: Bucket,
    pub due_soon: Bucket,
    pub overdue: Bucket,
    /// Outside working time with time left.
    pub paused: Bucket,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    /// A staff id (an assigned executor) or `@role` for a role's shared steps.
    pub owner: String,
    pub open: Bucket,
    pub overdue: Bucket,
    pub oldest_since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub waiting: usize,
    pub longest_wait_minutes: i64,
    pub limit_minutes: i64,
    pub served_today: usize,
}

/// The dashboard at one instant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub now: DateTime<Utc>,
    pub queue: QueueRow,
    pub accepted_today: u32,
    pub overruns_today: u32,
    /// Steps in route order.
    pub steps: Vec<StepRow>,
    /// Open cases that breach within the next working hour / by the end of today's working day.
    pub breach_next_hour: Bucket,
    pub breach_today: Bucket,
    pub people: Vec<PersonRow>,
    /// (local date, cases accepted) over the last 30 days, working days only.
    pub trend: Vec<(NaiveDate, u32)>,
    pub within_by_step: Vec<(String, WithinLimit)>,
    pub within_by_staff: Vec<(String, WithinLimit)>,
}

impl Aggregates {
    /// The dashboard at `now`, for an office serving `channel` (its queue and calendar), over
    /// every open case.
    pub fn view(
        &self,
        regulation: &Regulation,
        channel: &str,
        queue: QueueRow,
        now: DateTime<Utc>,
    ) -> DashboardView {
        self.view_of(
            regulation,
            channel,
            queue,
            now,
            &|_| true,
            &TotalsScope::everything(),
        )
    }

    /// The dashboard at `now` over the open cases `visible` lets through, with the day's
    /// acceptances, overruns and within-limit shares of the offices `totals` counts.
    pub fn view_of(
        &self,
        regulation: &Regulation,
        channel: &str,
        queue: QueueRow,
        now: DateTime<Utc>,
        visible: &dyn Fn(&Case) -> bool,
        totals: &TotalsScope,
    ) -> DashboardView {
        let office_calendar = regulation
            .channel(channel)
            .ok()
            .and_then(|c| regulation.calendar(&c.schedule));
        let today = office_calendar.map_or(now.date_naive(), |c| c.to_local(now).date_naive());
        let mut view = DashboardView {
            now,
            queue,
            accepted_today: Self::on_day(&self.accepted, totals, today),
            overruns_today: Self::on_day(&self.overruns, totals, today),
            ..DashboardView::default()
        };
        // Step rows in the order of the routes.
        let mut step_index: HashMap<String, usize> = HashMap::new();
        for channel in &regulation.file.channels {
            for step in &channel.steps {
                step_index.entry(step.id.clone()).or_insert_with(|| {
                    view.steps.push(StepRow {
                        step_id: step.id.clone(),
                        ..StepRow::default()
                    });
                    view.steps.len() - 1
                });
            }
        }
        let mut people: BTreeMap<String, PersonRow> = BTreeMap::new();
        let mut open: Vec<&OpenCase> = self.open.values().filter(|o| visible(&o.case)).collect();
        open.sort_by_key(|o| o.case.id);
        for OpenCase { case } in open {
            let Some(step) = case.current_step() else {
                continue;
            };
            let Some(countdown) = case_countdown(regulation, case, now) else {
                continue;
            };
            let row = &mut view.steps[*step_index.entry(step.step_id.clone()).or_insert(0)];
            let bucket = match countdown.urgency {
                Urgency::OnTrack => &mut row.on_track,
                Urgency::DueSoon => &mut row.due_soon,
                Urgency::Overdue => &mut row.overdue,
                Urgency::Paused => &mut row.paused,
            };
            bucket.cases.push(case.id);
            // Forecast on the step's own calendar.
            if countdown.remaining > 0 {
                if countdown.remaining <= 3600 {
                    view.breach_next_hour.cases.push(case.id);
                }
                let calendar = regulation
                    .channel(&case.intake.channel)
                    .ok()
                    .and_then(|c| c.steps.get(step.index))
                    .and_then(|s| regulation.calendar(&s.schedule));
                if let Some(calendar) = calendar {
                    let day_end = calendar
                        .to_local(now)
                        .date_naive()
                        .succ_opt()
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                        .and_then(|d| d.and_local_timezone(calendar.time_zone()).earliest())
                        .map_or(now, |d| d.with_timezone(&Utc));
                    if countdown.remaining <= calendar.working_seconds(now, day_end) {
                        view.breach_today.cases.push(case.id);
                    }
                }
            }
            let owner = match &step.assignee {
                Some(staff) => staff.clone(),
                None => regulation
                    .channel(&case.intake.channel)
                    .ok()
                    .and_then(|c| c.steps.get(step.index))
                    .and_then(|s| s.roles.first())
                    .map_or("@?".into(), |r| format!("@{r}")),
            };
            let person = people.entry(owner.clone()).or_insert_with(|| PersonRow {
                owner,
                ..PersonRow::default()
            });
            person.open.cases.push(case.id);
            if countdown.urgency == Urgency::Overdue {
                person.overdue.cases.push(case.id);
            }
            person.oldest_since = Some(
                person
                    .oldest_since
                    .map_or(step.started_at, |t| t.min(step.started_at)),
            );
        }
        view.steps.retain(|row| {
            row.on_track.count() + row.due_soon.count() + row.overdue.count() + row.paused.count()
                > 0
                || row.step_id.starts_with('P')
        });
        view.people = people.into_values().collect();
        view.people.sort_by_key(|p| {
            (
                std::cmp::Reverse(p.overdue.count()),
                std::cmp::Reverse(p.open.count()),
            )
        });
        let mut day = today - Duration::days(29);
        while day <= today {
            if office_calendar.is_none_or(|c| c.is_working_day(day)) {
                view.trend
                    .push((day, Self::on_day(&self.accepted, totals, day)));
            }
            day += Duration::days(1);
        }
        let mut by_step_total: BTreeMap<&str, WithinLimit> = BTreeMap::new();
        let mut by_staff_total: BTreeMap<&str, WithinLimit> = BTreeMap::new();
        for (office, by_staff) in &self.finished {
            for (staff_id, by_step) in by_staff {
                if !(totals.finished)(office, staff_id) {
                    continue;
                }
                for (step_id, w) in by_step {
                    for slot in [
                        by_step_total.entry(step_id.as_str()).or_default(),
                        by_staff_total.entry(staff_id.as_str()).or_default(),
                    ] {
                        slot.finished += w.finished;
                        slot.within += w.within;
                    }
                }
            }
        }
        view.within_by_step = by_step_total
            .into_iter()
            .map(|(k, v)| (k.into(), v))
            .collect();
        view.within_by_staff = by_staff_total
            .into_iter()
            .map(|(k, v)| (k.into(), v))
            .collect();
        view
    }
}

impl Service {
    /// The dashboard for the actor's office at this instant.
    pub fn dashboard(&self, actor: &Actor) -> Result<DashboardView, ServiceError> {
        let now = self.now();
        let channel = self
            .config()
            .office(&actor.office)
            .map(|o| o.channel.clone())
            .unwrap_or_default();
        let tickets = self.walk_in_queue(&actor.office)?.list(&actor.office);
        let calendar = self
            .regulation()
            .channel(&channel)
            .ok()
            .and_then(|c| self.regulation().calendar(&c.schedule));
        let today = calendar.map_or(now.date_naive(), |c| c.to_local(now).date_naive());
        let local_day =
            |t: DateTime<Utc>| calendar.map_or(t.date_naive(), |c| c.to_local(t).date_naive());
        let queue = QueueRow {
            waiting: tickets.iter().filter(|t| t.called_at.is_none()).count(),
            longest_wait_minutes: tickets
                .iter()
                .filter(|t| t.called_at.is_none())
                .map(|t| (now - t.arrived_at).num_minutes())
                .max()
                .unwrap_or(0),
            limit_minutes: self
                .regulation()
                .channel(&channel)
                .ok()
                .and_then(|c| c.waiting_limit.seconds())
                .map_or(0, |s| s / 60),
            served_today: tickets
                .iter()
                .filter(|t| t.called_at.is_some_and(|c| local_day(c) == today))
                .count(),
        };
        let totals = self.built_totals()?;
        let Totals::Built(aggregates) = &*totals else {
            return Err(ServiceError::Internal("the dashboard totals".into()));
        };
        let scope = self.scope(actor);
        let config = self.config();
        // A finished step counts for the office of the one who finished it; someone no longer
        // in the configuration counts for the case's office.
        let counts_finished = |case_office: &str, staff_id: &str| {
            config
                .staff_member(staff_id)
                .map_or(scope.serves_office(case_office), |staff| {
                    scope.serves_office(&staff.office)
                })
        };
        let totals = TotalsScope {
            office: &|office| scope.serves_office(office),
            finished: &counts_finished,
        };
        Ok(aggregates.view_of(
            self.regulation(),
            &channel,
            queue,
            now,
            &|case| scope.sees(self.regulation(), case),
            &totals,
        ))
    }

    /// The totals, built from the store at the first request (once: concurrent first requests
    /// wait for one build).
    fn built_totals(&self) -> Result<MutexGuard<'_, Totals>, ServiceError> {
        let lost = || ServiceError::Internal("the dashboard totals".into());
        let _one_builder = self.totals_build.lock().map_err(|_| lost())?;
        for _ in 0..3 {
            {
                let mut totals = self.totals.lock().map_err(|_| lost())?;
                if matches!(*totals, Totals::Built(_)) {
                    return Ok(totals);
                }
                *totals = Totals::Building(Vec::new());
            }
            // Read with this daemon's writes paused (lock order: writer, then totals — as in
            // `write`); other daemons' events wait in `Building` meanwhile.
            let mut rebuilt = None;
            self.store
                .with_appends_paused(&mut || rebuilt = Some(self.rebuild_seen()))?;
            let (aggregates, seen) =
                rebuilt.ok_or_else(|| ServiceError::Internal("the dashboard rebuild".into()))??;
            let mut totals = self.totals.lock().map_err(|_| lost())?;
            if totals.finish(self.regulation(), aggregates, seen) {
                return Ok(totals);
            }
        }
        Err(ServiceError::Internal(
            "the dashboard totals (too many changes while they were read; try again)".into(),
        ))
    }

    /// Every case read once into fresh dashboard totals.
    pub fn rebuild_aggregates(&self) -> Result<Aggregates, ServiceError> {
        Ok(self.rebuild_seen()?.0)
    }

    /// Fresh totals and the version of each case they read.
    fn rebuild_seen(&self) -> Result<(Aggregates, HashMap<CaseId, CaseVersion>), ServiceError> {
        // Two halves in two threads: decoding 100,000 cases is most of the work.
        let end = self.store.next_case_id()?;
        let middle = end / 2;
        let half = |from: u64, to: u64| -> Result<_, StoreError> {
            let mut aggregates = Aggregates::default();
            let mut seen = HashMap::new();
            self.store
                .for_each_state_in(from, to, &CaseState::is_open, &mut |state, whole| {
                    seen.insert(state.id, state.version());
                    aggregates.add_stored(self.regulation(), &state, whole.as_ref())
                })?;
            Ok((aggregates, seen))
        };
        let (first, second) = std::thread::scope(|scope| {
            let first = scope.spawn(|| half(0, middle));
            let second = half(middle, end);
            (first.join(), second)
        });
        let (mut aggregates, mut seen) =
            first.map_err(|_| ServiceError::Internal("the dashboard rebuild".into()))??;
        let (second, second_seen) = second?;
        aggregates.merge(second);
        seen.extend(second_seen);
        Ok((aggregates, seen))
    }
}
