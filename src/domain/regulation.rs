//! The regulation of the service as data: channels, steps, roles, limits, measures, documents,
//! sectors, results, refusal grounds and office schedules. Nothing of it is hard-coded.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::text::Text;
use crate::calendar::{
    HolidayCalendar, Schedule, ScheduleSpec, WorkDuration, WorkingCalendar, WorkingTimeError,
};
use crate::source_error::{field_error, from_toml_error, FieldError, FieldErrors};

/// The regulation compiled into the binary.
pub const DEFAULT_REGULATION_TOML: &str = include_str!("../../data/regulation.toml");

/// The longest limit a regulation may give a step (and the acceptance and waiting windows): a
/// working year, 250 working days or 2000 working hours (250 days of 8 hours). Statutory terms of
/// a public service run to days or weeks, so a longer one is almost surely a typo (`4000wd` for
/// `40wd`), and its deadline would be counted on holidays and transfers nobody has published
/// yet (they are decreed a year at a time). Both stay far inside the calendar's scan limit.
pub const MAX_LIMIT_WORKING_DAYS: u32 = 250;
pub const MAX_LIMIT_MINUTES: u32 = 2000 * 60;

/// What finishes a step. The lifecycle gives each action its meaning; the regulation says which
/// step it finishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Accept,
    SendToProvider,
    Register,
    AssignExecutor,
    SubmitForSignature,
    Sign,
    HandToStateCorp,
    ReceiveResult,
    Issue,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Accept,
        Action::SendToProvider,
        Action::Register,
        Action::AssignExecutor,
        Action::SubmitForSignature,
        Action::Sign,
        Action::HandToStateCorp,
        Action::ReceiveResult,
        Action::Issue,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::SendToProvider => "send-to-provider",
            Action::Register => "register",
            Action::AssignExecutor => "assign-executor",
            Action::SubmitForSignature => "submit-for-signature",
            Action::Sign => "sign",
            Action::HandToStateCorp => "hand-to-state-corp",
            Action::ReceiveResult => "receive-result",
            Action::Issue => "issue",
        }
    }
}

impl std::str::FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|a| a.id() == s)
            .ok_or_else(|| format!("unknown action `{s}`"))
    }
}

/// A named item of a list in the regulation (role, document, sector, refusal ground).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named {
    pub id: String,
    pub name: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub id: String,
    pub name: Text,
    /// Document ids of the package, in checklist order.
    pub documents: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultKind {
    pub id: String,
    pub name: Text,
    /// A refusal must name its Art. 19-1 ground.
    #[serde(default)]
    pub needs_ground: bool,
}

/// A step's limit: one for every case, or one per support measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, try_from = "RawStepLimit")]
pub enum StepLimit {
    Fixed(WorkDuration),
    PerMeasure(BTreeMap<String, WorkDuration>),
}

/// What the file holds, read first so that a bad duration is reported as such rather than as
/// "matches no variant".
#[derive(Deserialize)]
#[serde(untagged)]
enum RawStepLimit {
    Fixed(String),
    PerMeasure(BTreeMap<String, String>),
}

impl TryFrom<RawStepLimit> for StepLimit {
    type Error = crate::calendar::DurationParseError;
    fn try_from(raw: RawStepLimit) -> Result<Self, Self::Error> {
        Ok(match raw {
            RawStepLimit::Fixed(text) => StepLimit::Fixed(text.parse()?),
            RawStepLimit::PerMeasure(per) => StepLimit::PerMeasure(
                per.into_iter()
                    .map(|(measure, text)| Ok((measure, text.parse()?)))
                    .collect::<Result<_, Self::Error>>()?,
            ),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub name: Text,
    /// Roles that may act on the step.
    pub roles: Vec<String>,
    /// Which schedule's working time the limit is counted on.
    pub schedule: String,
    pub limit: StepLimit,
    pub finish: Action,
    /// The step a "return for rework" sends the case back to.
    #[serde(default)]
    pub rework_to: Option<String>,
    /// The result kind may be recorded during this step.
    #[serde(default)]
    pub records_result: bool,
    /// The step cannot finish before a result kind is recorded.
    #[serde(default)]
    pub requires_result: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub id: String,
    pub name: Text,
    /// The schedule of this channel's counters.
    pub schedule: String,
    /// The longest an acceptance may take at the counter.
    pub acceptance_window: WorkDuration,
    /// The longest an applicant should wait before being served.
    pub waiting_limit: WorkDuration,
    /// Result kinds this channel issues.
    pub results: Vec<String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceInfo {
    pub name: Text,
    pub short_name: Text,
    pub representative_document: String,
}

/// The regulation file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegulationFile {
    pub service: ServiceInfo,
    pub schedules: BTreeMap<String, ScheduleSpec>,
    pub roles: Vec<Named>,
    pub documents: Vec<Named>,
    pub measures: Vec<Measure>,
    pub sectors: Vec<Named>,
    pub refusal_grounds: Vec<Named>,
    pub results: Vec<ResultKind>,
    pub channels: Vec<Channel>,
}

/// A validated regulation with a working calendar for each schedule.
#[derive(Debug, Clone)]
pub struct Regulation {
    pub file: RegulationFile,
    calendars: BTreeMap<String, WorkingCalendar>,
    holidays: Arc<HolidayCalendar>,
}

/// One step of a planned or live route, with its counted deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteStep {
    pub step_id: String,
    pub name: Text,
    pub schedule: String,
    pub limit: WorkDuration,
    pub start: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("unknown channel `{0}`")]
    Channel(String),
    #[error("unknown support measure `{0}`")]
    Measure(String),
    #[error("no support measure chosen")]
    NoMeasure,
    #[error("unknown schedule `{0}`")]
    Schedule(String),
    #[error("the deadline of step {step} cannot be counted: {error}")]
    Uncountable {
        step: String,
        error: WorkingTimeError,
    },
}

fn check_unique<'a>(
    ids: impl Iterator<Item = &'a str>,
    path: &str,
    errors: &mut Vec<(String, String)>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            errors.push((format!("{path}[{i}].id"), "must not be empty".into()));
        } else if !seen.insert(id) {
            errors.push((format!("{path}[{i}].id"), format!("`{id}` is used twice")));
        }
    }
    seen
}

impl RegulationFile {
    /// Every cross-reference and rule serde cannot check, as (field path, message).
    fn validate(&self) -> Vec<(String, String)> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let roles = check_unique(
            self.roles.iter().map(|r| r.id.as_str()),
            "roles",
            &mut errors,
        );
        let documents = check_unique(
            self.documents.iter().map(|d| d.id.as_str()),
            "documents",
            &mut errors,
        );
        let measures = check_unique(
            self.measures.iter().map(|m| m.id.as_str()),
            "measures",
            &mut errors,
        );
        check_unique(
            self.sectors.iter().map(|s| s.id.as_str()),
            "sectors",
            &mut errors,
        );
        check_unique(
            self.refusal_grounds.iter().map(|g| g.id.as_str()),
            "refusal_grounds",
            &mut errors,
        );
        let results = check_unique(
            self.results.iter().map(|r| r.id.as_str()),
            "results",
            &mut errors,
        );
        check_unique(
            self.channels.iter().map(|c| c.id.as_str()),
            "channels",
            &mut errors,
        );

        let mut texts: Vec<(String, &Text)> = vec![
            ("service.name".into(), &self.service.name),
            ("service.short_name".into(), &self.service.short_name),
        ];
        for (list, items) in [
            ("roles", &self.roles),
            ("documents", &self.documents),
            ("sectors", &self.sectors),
            ("refusal_grounds", &self.refusal_grounds),
        ] {
            for (i, item) in items.iter().enumerate() {
                texts.push((format!("{list}[{i}].name"), &item.name));
            }
        }
        for (i, m) in self.measures.iter().enumerate() {
            texts.push((format!("measures[{i}].name"), &m.name));
        }
        for (i, r) in self.results.iter().enumerate() {
            texts.push((format!("results[{i}].name"), &r.name));
        }
        for (path, text) in texts {
            for lang in text.missing() {
                errors.push((format!("{path}.{}", lang.code()), "is empty".into()));
            }
        }

        if !documents.contains(self.service.representative_document.as_str()) {
            errors.push((
                "service.representative_document".into(),
                format!(
                    "unknown document `{}`",
                    self.service.representative_document
                ),
            ));
        }
        for (name, spec) in &self.schedules {
            if let Err(schedule_errors) = Schedule::from_spec(spec) {
                for e in schedule_errors {
                    errors.push((format!("schedules.{name}.{}", e.field), e.message));
                }
            }
        }
        for (i, measure) in self.measures.iter().enumerate() {
            if measure.documents.is_empty() {
                errors.push((
                    format!("measures[{i}].documents"),
                    "lists no document".into(),
                ));
            }
            for (j, doc) in measure.documents.iter().enumerate() {
                if !documents.contains(doc.as_str()) {
                    errors.push((
                        format!("measures[{i}].documents[{j}]"),
                        format!("unknown document `{doc}`"),
                    ));
                }
            }
        }
        for (c, channel) in self.channels.iter().enumerate() {
            let at = format!("channels[{c}]");
            if !self.schedules.contains_key(&channel.schedule) {
                errors.push((
                    format!("{at}.schedule"),
                    format!("unknown schedule `{}`", channel.schedule),
                ));
            }
            check_limit(
                format!("{at}.acceptance_window"),
                channel.acceptance_window,
                &mut errors,
            );
            check_limit(
                format!("{at}.waiting_limit"),
                channel.waiting_limit,
                &mut errors,
            );
            for (j, result) in channel.results.iter().enumerate() {
                if !results.contains(result.as_str()) {
                    errors.push((
                        format!("{at}.results[{j}]"),
                        format!("unknown result `{result}`"),
                    ));
                }
            }
            if channel.steps.is_empty() {
                errors.push((format!("{at}.steps"), "lists no step".into()));
            }
            let step_ids: Vec<&str> = channel.steps.iter().map(|s| s.id.as_str()).collect();
            check_unique(
                step_ids.iter().copied(),
                &format!("{at}.steps"),
                &mut errors,
            );
            for (s, step) in channel.steps.iter().enumerate() {
                let at = format!("{at}.steps[{s}]");
                if step.roles.is_empty() {
                    errors.push((format!("{at}.roles"), "names no role".into()));
                }
                for (r, role) in step.roles.iter().enumerate() {
                    if !roles.contains(role.as_str()) {
                        errors.push((format!("{at}.roles[{r}]"), format!("unknown role `{role}`")));
                    }
                }
                if !self.schedules.contains_key(&step.schedule) {
                    errors.push((
                        format!("{at}.schedule"),
                        format!("unknown schedule `{}`", step.schedule),
                    ));
                }
                match &step.limit {
                    StepLimit::Fixed(d) => check_limit(format!("{at}.limit"), *d, &mut errors),
                    StepLimit::PerMeasure(per) => {
                        for (measure, d) in per {
                            if !measures.contains(measure.as_str()) {
                                errors.push((
                                    format!("{at}.limit.{measure}"),
                                    format!("unknown support measure `{measure}`"),
                                ));
                            } else {
                                check_limit(format!("{at}.limit.{measure}"), *d, &mut errors);
                            }
                        }
                        for measure in &measures {
                            if !per.contains_key(*measure) {
                                errors.push((
                                    format!("{at}.limit"),
                                    format!("gives no limit for support measure `{measure}`"),
                                ));
                            }
                        }
                    }
                }
                if let Some(target) = &step.rework_to {
                    if !step_ids[..s].contains(&target.as_str()) {
                        errors.push((
                            format!("{at}.rework_to"),
                            format!("`{target}` is not an earlier step of this channel"),
                        ));
                    }
                }
                if step.requires_result && !channel.steps[..=s].iter().any(|x| x.records_result) {
                    errors.push((
                        format!("{at}.requires_result"),
                        "no step up to this one records a result".into(),
                    ));
                }
            }
            if let Some(last) = channel.steps.last() {
                if last.finish != Action::Issue {
                    errors.push((
                        format!("{at}.steps[{}].finish", channel.steps.len() - 1),
                        "the last step must finish with `issue`".into(),
                    ));
                }
            }
        }
        errors
    }
}

/// A limit must count some working time, and no more than [`MAX_LIMIT_WORKING_DAYS`] or
/// [`MAX_LIMIT_MINUTES`].
fn check_limit(path: String, duration: WorkDuration, errors: &mut Vec<(String, String)>) {
    let message = match duration {
        WorkDuration::Minutes(0) | WorkDuration::WorkingDays(0) => {
            "must be more than zero".to_string()
        }
        WorkDuration::WorkingDays(days) if days > MAX_LIMIT_WORKING_DAYS => format!(
            "{duration} is longer than a working year ({MAX_LIMIT_WORKING_DAYS}wd): a typo? Deadlines beyond a year would count on holidays not yet published"
        ),
        WorkDuration::Minutes(minutes) if minutes > MAX_LIMIT_MINUTES => format!(
            "{duration} is longer than a working year ({}h): a typo? Deadlines beyond a year would count on holidays not yet published",
            MAX_LIMIT_MINUTES / 60
        ),
        _ => return,
    };
    errors.push((path, message));
}

impl Regulation {
    /// Parses and validates a regulation; every problem is reported with file, line and field.
    pub fn parse(
        file_name: &str,
        source: &str,
        holidays: Arc<HolidayCalendar>,
    ) -> Result<Regulation, FieldErrors> {
        let file: RegulationFile = toml::from_str(source)
            .map_err(|e| FieldErrors(vec![from_toml_error(file_name, source, &e)]))?;
        let problems = file.validate();
        if !problems.is_empty() {
            return Err(FieldErrors(
                problems
                    .into_iter()
                    .map(|(path, message)| field_error(file_name, source, &path, message))
                    .collect::<Vec<FieldError>>(),
            ));
        }
        Ok(Regulation::assemble(file, holidays))
    }

    /// The regulation compiled into the binary with the shipped holidays.
    pub fn default_embedded() -> Regulation {
        // The shipped file is checked by a test, so this cannot fail at run time.
        Regulation::parse(
            "embedded regulation",
            DEFAULT_REGULATION_TOML,
            crate::calendar::default_holidays(),
        )
        .expect("the embedded regulation is valid")
    }

    /// The holiday calendar the schedules count on.
    pub fn holidays(&self) -> Arc<HolidayCalendar> {
        self.holidays.clone()
    }

    /// The same regulation counted on another holiday calendar.
    pub fn with_holidays(self, holidays: Arc<HolidayCalendar>) -> Regulation {
        Regulation::assemble(self.file, holidays)
    }

    /// A working calendar for each (validated) schedule of the file.
    fn assemble(file: RegulationFile, holidays: Arc<HolidayCalendar>) -> Regulation {
        let calendars = file
            .schedules
            .iter()
            .filter_map(|(id, spec)| {
                let schedule = Schedule::from_spec(spec).ok()?;
                Some((id.clone(), WorkingCalendar::new(schedule, holidays.clone())))
            })
            .collect();
        Regulation {
            file,
            calendars,
            holidays,
        }
    }

    pub fn channel(&self, id: &str) -> Result<&Channel, LookupError> {
        self.file
            .channels
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| LookupError::Channel(id.to_string()))
    }

    pub fn measure(&self, id: &str) -> Result<&Measure, LookupError> {
        self.file
            .measures
            .iter()
            .find(|m| m.id == id)
            .ok_or_else(|| LookupError::Measure(id.to_string()))
    }

    pub fn document(&self, id: &str) -> Option<&Named> {
        self.file.documents.iter().find(|d| d.id == id)
    }

    pub fn role(&self, id: &str) -> Option<&Named> {
        self.file.roles.iter().find(|r| r.id == id)
    }

    pub fn sector(&self, id: &str) -> Option<&Named> {
        self.file.sectors.iter().find(|s| s.id == id)
    }

    pub fn result_kind(&self, id: &str) -> Option<&ResultKind> {
        self.file.results.iter().find(|r| r.id == id)
    }

    pub fn refusal_ground(&self, id: &str) -> Option<&Named> {
        self.file.refusal_grounds.iter().find(|g| g.id == id)
    }

    /// The working calendar of a schedule named in the regulation (validated to exist).
    pub fn calendar(&self, schedule: &str) -> Option<&WorkingCalendar> {
        self.calendars.get(schedule)
    }

    /// The working calendar a channel's step is counted on.
    pub fn step_calendar(&self, channel: &str, index: usize) -> Option<&WorkingCalendar> {
        let step = self.channel(channel).ok()?.steps.get(index)?;
        self.calendar(&step.schedule)
    }

    /// The documents a package must hold: the union of the measures' checklists in order, plus
    /// the power of attorney when a representative applies.
    pub fn required_documents(
        &self,
        measures: &[String],
        representative: bool,
    ) -> Result<Vec<String>, LookupError> {
        if measures.is_empty() {
            return Err(LookupError::NoMeasure);
        }
        let mut required: Vec<String> = Vec::new();
        for id in measures {
            for doc in &self.measure(id)?.documents {
                if !required.contains(doc) {
                    required.push(doc.clone());
                }
            }
        }
        if representative && !required.contains(&self.file.service.representative_document) {
            required.push(self.file.service.representative_document.clone());
        }
        Ok(required)
    }

    /// A step's limit for a case of these measures: the longest when several apply.
    pub fn step_limit(step: &Step, measures: &[String]) -> WorkDuration {
        match &step.limit {
            StepLimit::Fixed(d) => *d,
            StepLimit::PerMeasure(per) => measures
                .iter()
                .filter_map(|m| per.get(m))
                .copied()
                .max_by_key(|d| match d {
                    WorkDuration::Minutes(m) => (0, *m),
                    WorkDuration::WorkingDays(n) => (1, *n),
                })
                .or_else(|| per.values().next().copied())
                .unwrap_or(WorkDuration::Minutes(0)),
        }
    }

    /// The deadline of step `step` started at `start`, or why it cannot be counted (a start
    /// or a deadline outside the years the calendar holds).
    pub fn step_deadline(
        &self,
        step: &Step,
        measures: &[String],
        start: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, LookupError> {
        let limit = Self::step_limit(step, measures);
        let uncountable = |error| LookupError::Uncountable {
            step: step.id.clone(),
            error,
        };
        // `assemble` builds a calendar for every schedule and validation makes every step name
        // one, so a step without a calendar means a regulation that was never validated.
        let calendar = self
            .calendar(&step.schedule)
            .ok_or_else(|| LookupError::Schedule(step.schedule.clone()))?;
        calendar.deadline(start, limit).map_err(uncountable)
    }

    /// The whole route from `start`, each step starting at the previous step's deadline. The
    /// last step's deadline is the date the result is due.
    pub fn route(
        &self,
        channel: &str,
        measures: &[String],
        start: DateTime<Utc>,
    ) -> Result<Vec<RouteStep>, LookupError> {
        let channel = self.channel(channel)?;
        if measures.is_empty() {
            return Err(LookupError::NoMeasure);
        }
        for m in measures {
            self.measure(m)?;
        }
        let mut at = start;
        channel
            .steps
            .iter()
            .map(|step| {
                let deadline = self.step_deadline(step, measures, at)?;
                let route_step = RouteStep {
                    step_id: step.id.clone(),
                    name: step.name.clone(),
                    schedule: step.schedule.clone(),
                    limit: Self::step_limit(step, measures),
                    start: at,
                    deadline,
                };
                at = deadline;
                Ok(route_step)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::default_holidays;

    #[test]
    fn the_embedded_regulation_is_valid() {
        let regulation = Regulation::parse("default", DEFAULT_REGULATION_TOML, default_holidays())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(regulation.file.channels.len(), 2);
        assert_eq!(regulation.file.sectors.len(), 6);
        assert_eq!(regulation.file.measures.len(), 2);
    }

    #[test]
    fn a_representative_adds_the_power_of_attorney() {
        let regulation = Regulation::default_embedded();
        let docs = regulation
            .required_documents(&["lifting-allowance".into()], true)
            .unwrap();
        assert_eq!(docs.len(), 7);
        assert_eq!(docs.last().unwrap(), "power-of-attorney");
        let both = regulation
            .required_documents(
                &["lifting-allowance".into(), "housing-credit".into()],
                false,
            )
            .unwrap();
        assert_eq!(both.len(), 7);
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let broken = DEFAULT_REGULATION_TOML
            .replacen("roles = [\"head\"]", "roles = [\"boss\"]", 1)
            .replacen("limit = \"4h\"", "limit = \"4x\"", 1);
        let errors = Regulation::parse("reg.toml", &broken, default_holidays()).unwrap_err();
        // serde stops at the first type error: the bad duration.
        assert_eq!(errors.0.len(), 1);
        assert!(
            errors.0[0].message.contains("`4x` is not a duration"),
            "{errors}"
        );
        assert!(errors.0[0].line.is_some());

        let broken =
            DEFAULT_REGULATION_TOML.replacen("roles = [\"head\"]", "roles = [\"boss\"]", 1);
        let errors = Regulation::parse("reg.toml", &broken, default_holidays()).unwrap_err();
        let expected_line = broken.lines().position(|l| l.contains("\"boss\"")).unwrap() + 1;
        assert_eq!(errors.0.len(), 1, "{errors}");
        assert_eq!(
            errors.0[0].to_string(),
            format!("reg.toml:{expected_line}: channels[0].steps[1].roles[0]: unknown role `boss`")
        );
    }

    #[test]
    fn limits_beyond_a_working_year_are_refused() {
        for (from, to, field) in [
            (
                "limit = \"3h\"",
                "limit = \"4000wd\"",
                "channels[0].steps[1].limit",
            ),
            (
                "limit = \"3h\"",
                "limit = \"2001h\"",
                "channels[0].steps[1].limit",
            ),
            (
                "housing-credit = \"46wd\"",
                "housing-credit = \"251wd\"",
                "channels[0].steps[2].limit.housing-credit",
            ),
            (
                "acceptance_window = \"30m\"",
                "acceptance_window = \"0m\"",
                "channels[0].acceptance_window",
            ),
        ] {
            let broken = DEFAULT_REGULATION_TOML.replacen(from, to, 1);
            assert_ne!(broken, DEFAULT_REGULATION_TOML, "{from}");
            let errors = Regulation::parse("reg.toml", &broken, default_holidays()).unwrap_err();
            assert_eq!(errors.0.len(), 1, "{errors}");
            assert!(errors.0[0].to_string().contains(field), "{errors}");
        }
        let at_the_bound = DEFAULT_REGULATION_TOML
            .replacen("limit = \"3h\"", "limit = \"2000h\"", 1)
            .replacen("housing-credit = \"46wd\"", "housing-credit = \"250wd\"", 1);
        Regulation::parse("reg.toml", &at_the_bound, default_holidays())
            .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_longest_limits_allowed_are_counted_in_every_supported_year() {
        // Both bounds stay inside the calendar's scan limit on both schedules, from the start of
        // every year but the last (whose deadlines run past the calendar's end).
        let regulation = Regulation::default_embedded();
        for schedule in ["provider", "state-corp"] {
            let calendar = regulation.calendar(schedule).unwrap();
            for year in crate::calendar::FIRST_YEAR..crate::calendar::LAST_YEAR {
                let start = DateTime::parse_from_rfc3339(&format!("{year}-01-01T00:00:00+05:00"))
                    .unwrap()
                    .with_timezone(&Utc);
                for limit in [
                    WorkDuration::WorkingDays(MAX_LIMIT_WORKING_DAYS),
                    WorkDuration::Minutes(MAX_LIMIT_MINUTES),
                ] {
                    let deadline = calendar.deadline(start, limit);
                    assert!(deadline.is_ok(), "{schedule} {year} {limit}: {deadline:?}");
                }
            }
        }
    }

    #[test]
    fn route_of_a_state_corporation_case_mixes_schedules() {
        let regulation = Regulation::default_embedded();
        let start = DateTime::parse_from_rfc3339("2026-03-07T19:50:00+05:00")
            .unwrap()
            .with_timezone(&Utc);
        let route = regulation
            .route("state-corp", &["housing-credit".into()], start)
            .unwrap();
        let ids: Vec<_> = route.iter().map(|s| s.step_id.as_str()).collect();
        assert_eq!(ids, ["S1", "S2", "P1", "P2", "P3", "P4", "P5", "S4", "S5"]);
        assert_eq!(route[4].limit, WorkDuration::WorkingDays(46));
        for pair in route.windows(2) {
            assert_eq!(pair[0].deadline, pair[1].start);
        }
    }
}
