//! The Elm Architecture's model and `update`: every key becomes an action through the keymap,
//! every action changes the state and may ask the core for something (an [`Effect`]).

use chrono::{DateTime, Duration, Utc};

use super::core::Context;
use super::keymap::{Action, Chord, Keymap, Mode};
use super::theme::Theme;
use crate::domain::case::StoredEvent;
use crate::domain::case::{Case, CaseStatus};
use crate::domain::intake::Draft;
use crate::domain::intake::{FieldProblem, IntakeForm};
use crate::domain::lifecycle::CaseCommand;
use crate::domain::query::{CaseQuery, OwnerKey};
use crate::domain::regulation::Action as StepAction;
use crate::domain::Lang;
use crate::service::{Request, Response, Ticket};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Queue,
    Intake,
    Cases,
    Receipt,
    Dashboard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Bad,
}

/// What a response answers, so it lands in the right place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Mine,
    CaseList,
    Detail,
    History,
    Queue,
    Arrival,
    CallNext,
    Accept,
    CaseAction,
    Receipt,
    Print,
    Void,
    DraftLoaded,
    DraftSaved,
    Dashboard,
}

/// Something for the runtime to do with the core.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Request(Purpose, Request),
}

/// Input to `update`.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(Chord),
    /// Time passed (a countdown or the clock changed).
    Tick(DateTime<Utc>),
    /// Something changed in the core (another counter, or this one).
    Changed {
        queue: bool,
    },
    Response(Purpose, Box<Result<Response, String>>),
    Start,
    /// The link to the daemon dropped (`false`) or came back (`true`).
    Link(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Mine,
    Overdue,
    DueToday,
    /// Open cases at one step of my office's route (index into its steps).
    Step(usize),
}

impl Filter {
    pub fn key(self) -> &'static str {
        match self {
            Filter::Mine => "filter.mine",
            Filter::Overdue => "filter.overdue",
            Filter::DueToday => "filter.today",
            Filter::Step(_) => "col.step",
        }
    }
    fn next(self, steps: usize) -> Filter {
        match self {
            Filter::Mine => Filter::Overdue,
            Filter::Overdue => Filter::DueToday,
            Filter::DueToday if steps > 0 => Filter::Step(0),
            Filter::Step(i) if i + 1 < steps => Filter::Step(i + 1),
            Filter::DueToday | Filter::Step(_) => Filter::Mine,
        }
    }
}

/// Fields of the intake form, in focus order (documents follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Iin,
    Name,
    Phone,
    Sector,
    Settlement,
    Measure,
    Representative,
    RepresentativeIin,
    Poa,
    Document(usize),
}

impl Field {
    pub const TEXT_AND_CHOICE: [Field; 9] = [
        Field::Iin,
        Field::Name,
        Field::Phone,
        Field::Sector,
        Field::Settlement,
        Field::Measure,
        Field::Representative,
        Field::RepresentativeIin,
        Field::Poa,
    ];

    pub fn is_text(self) -> bool {
        !matches!(self, Field::Sector | Field::Measure | Field::Document(_))
    }

    /// The form field name the core uses in its problems.
    pub fn problem_key(self) -> &'static str {
        match self {
            Field::Iin => "iin",
            Field::Name => "name",
            Field::Phone => "phone",
            Field::Sector => "sector",
            Field::Settlement => "settlement",
            Field::Measure => "measure",
            Field::Representative => "representative",
            Field::RepresentativeIin => "representative_iin",
            Field::Poa => "poa",
            Field::Document(_) => "docs",
        }
    }
}

/// The intake being typed. Kept in the core as a draft at every change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntakeState {
    pub form: IntakeForm,
    /// 0: lifting allowance, 1: housing credit, 2: both (indexes into the regulation's measures).
    pub measure_choice: usize,
    pub sector_choice: Option<usize>,
    pub focus: usize,
    pub opened_at: Option<DateTime<Utc>>,
    pub ticket: Option<String>,
    pub problems: Vec<FieldProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogKind {
    Arrival,
    Search,
    ConfirmRefusal,
    Executor,
    ReworkReason,
    ResultKind,
    Ground { kind: String },
    VoidReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub kind: DialogKind,
    pub title: String,
    pub input: String,
    /// (id, label) to choose from; empty for free text.
    pub choices: Vec<(String, String)>,
    pub selected: usize,
}

impl Dialog {
    /// Whether typing goes into the dialog's input line.
    pub fn takes_text(&self) -> bool {
        self.kind != DialogKind::ConfirmRefusal
            && (self.choices.is_empty() || self.kind == DialogKind::Arrival)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Detail {
    pub case: Option<Case>,
    pub history: Vec<StoredEvent>,
    pub explain: bool,
    pub scroll: u16,
}

pub struct State {
    pub ctx: Context,
    pub keymap: Keymap,
    pub lang: Lang,
    pub theme: Theme,
    pub now: DateTime<Utc>,
    pub screen: Screen,
    pub help: bool,
    pub message: Option<(Tone, String)>,
    pub queue: Vec<Ticket>,
    pub queue_selected: usize,
    pub intake: IntakeState,
    pub filter: Filter,
    pub search: String,
    pub cases: Vec<Case>,
    pub case_selected: usize,
    pub detail: Option<Detail>,
    pub receipt_case: Option<Case>,
    pub receipt_lines: Vec<String>,
    pub receipt_scroll: u16,
    pub mine: Vec<Case>,
    pub dialog: Option<Dialog>,
    pub quit: bool,
    /// The core is not reached yet: the first frame is up, the data is on its way.
    pub loading: bool,
    pub dashboard: Option<crate::service::dashboard::DashboardView>,
    pub dashboard_fetched: Option<DateTime<Utc>>,
    pub dashboard_selected: usize,
    /// The cases behind a dashboard figure, shown in the cases list: (label, ids).
    pub drill: Option<(String, Vec<u64>)>,
    /// The urgency each case of my work had when last looked at; `None` until the first look,
    /// so cases already late at start do not all alert at once.
    pub alert_seen: Option<std::collections::HashMap<u64, crate::countdown::Urgency>>,
}

/// The figures of the dashboard that open a list, in the order they are drawn and selected.
pub fn dashboard_cells(
    view: &crate::service::dashboard::DashboardView,
) -> Vec<(String, &crate::service::dashboard::Bucket)> {
    let mut cells = Vec::new();
    for row in &view.steps {
        for (key, bucket) in [
            ("dash.on_track", &row.on_track),
            ("dash.due_soon", &row.due_soon),
            ("dash.overdue", &row.overdue),
            ("dash.paused", &row.paused),
        ] {
            cells.push((format!("{} {key}", row.step_id), bucket));
        }
    }
    cells.push(("dash.breach_hour".to_string(), &view.breach_next_hour));
    cells.push(("dash.breach_today".to_string(), &view.breach_today));
    for person in &view.people {
        cells.push((format!("{} dash.open", person.owner), &person.open));
        cells.push((format!("{} dash.overdue", person.owner), &person.overdue));
    }
    cells
}

/// A step action the user may take on a case, for the numbered action list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    Step(StepAction),
    Rework,
    RecordResult,
}

impl Offer {
    pub fn key(&self) -> String {
        match self {
            Offer::Step(a) => format!("act.{}", a.id()),
            Offer::Rework => "act.return-for-rework".into(),
            Offer::RecordResult => "act.record-result".into(),
        }
    }
}

impl State {
    pub fn new(
        ctx: Context,
        keymap: Keymap,
        lang: Lang,
        theme: Theme,
        now: DateTime<Utc>,
    ) -> State {
        let start_screen = match ctx.me.role.as_str() {
            "clerk" | "operator" => Screen::Queue,
            "supervisor" => Screen::Dashboard,
            _ => Screen::Cases,
        };
        State {
            ctx,
            keymap,
            lang,
            theme,
            now,
            screen: start_screen,
            help: false,
            message: None,
            queue: Vec::new(),
            queue_selected: 0,
            intake: IntakeState::default(),
            filter: Filter::Mine,
            search: String::new(),
            cases: Vec::new(),
            case_selected: 0,
            detail: None,
            receipt_case: None,
            receipt_lines: Vec::new(),
            receipt_scroll: 0,
            mine: Vec::new(),
            dialog: None,
            quit: false,
            loading: false,
            dashboard: None,
            dashboard_fetched: None,
            dashboard_selected: 0,
            drill: None,
            alert_seen: None,
        }
    }

    fn t(&self, key: &str) -> String {
        super::i18n::t(self.lang, key).to_string()
    }

    /// Where keys are looked up now.
    pub fn mode(&self) -> Mode {
        if self.help {
            return Mode::Help;
        }
        if self.dialog.is_some() {
            return Mode::Dialog;
        }
        match self.screen {
            Screen::Queue => Mode::List,
            Screen::Intake => {
                if self.focused_field().is_text() {
                    Mode::Form
                } else {
                    Mode::Checklist
                }
            }
            Screen::Cases if self.detail.is_some() => Mode::Detail,
            Screen::Cases => Mode::List,
            Screen::Receipt => Mode::Receipt,
            Screen::Dashboard => Mode::List,
        }
    }

    pub fn documents(&self) -> Vec<String> {
        self.ctx
            .regulation
            .required_documents(
                &self.intake.form.measures,
                !self.intake.form.representative_name.trim().is_empty(),
            )
            .unwrap_or_default()
    }

    pub fn fields(&self) -> Vec<Field> {
        let mut fields = Field::TEXT_AND_CHOICE.to_vec();
        fields.extend((0..self.documents().len()).map(Field::Document));
        fields
    }

    pub fn focused_field(&self) -> Field {
        let fields = self.fields();
        fields[self.intake.focus.min(fields.len() - 1)]
    }

    pub fn text_of(&self, field: Field) -> &str {
        let f = &self.intake.form;
        match field {
            Field::Iin => &f.iin,
            Field::Name => &f.name,
            Field::Phone => &f.phone,
            Field::Settlement => &f.settlement,
            Field::Representative => &f.representative_name,
            Field::RepresentativeIin => &f.representative_iin,
            Field::Poa => &f.power_of_attorney,
            _ => "",
        }
    }

    fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        let f = &mut self.intake.form;
        Some(match field {
            Field::Iin => &mut f.iin,
            Field::Name => &mut f.name,
            Field::Phone => &mut f.phone,
            Field::Settlement => &mut f.settlement,
            Field::Representative => &mut f.representative_name,
            Field::RepresentativeIin => &mut f.representative_iin,
            Field::Poa => &mut f.power_of_attorney,
            _ => return None,
        })
    }

    /// The measures chosen: one of the regulation's, or all of them.
    fn apply_measure_choice(&mut self) {
        let measures: Vec<String> = self
            .ctx
            .regulation
            .file
            .measures
            .iter()
            .map(|m| m.id.clone())
            .collect();
        self.intake.form.measures = match measures.get(self.intake.measure_choice) {
            Some(one) => vec![one.clone()],
            None => measures,
        };
    }

    pub fn missing(&self) -> Vec<String> {
        self.documents()
            .into_iter()
            .filter(|d| !self.intake.form.documents.contains(d))
            .collect()
    }

    /// The owner key of "my work" in the indexes.
    pub fn my_owner_key(&self) -> OwnerKey {
        OwnerKey::work_of(&self.ctx.me.role, &self.ctx.me.id)
    }

    fn mine_request(&self) -> Effect {
        let query = if self.ctx.me.role == "supervisor" {
            CaseQuery {
                due_before: Some(self.now + Duration::days(3650)),
                limit: 20,
                ..CaseQuery::default()
            }
        } else {
            CaseQuery {
                owner: Some(self.my_owner_key()),
                limit: 20,
                ..CaseQuery::default()
            }
        };
        Effect::Request(Purpose::Mine, Request::List(query))
    }

    fn list_request(&self) -> Effect {
        let search = self.search.trim();
        let query = if let Some((_, ids)) = self.drill.as_ref().filter(|_| search.is_empty()) {
            CaseQuery {
                ids: Some(ids.clone()),
                limit: 200,
                ..CaseQuery::default()
            }
        } else if !search.is_empty() {
            CaseQuery {
                search: Some(search.to_string()),
                limit: 200,
                ..CaseQuery::default()
            }
        } else {
            match self.filter {
                // A supervisor's work is every open case, nearest deadline first.
                Filter::Mine if self.ctx.me.role == "supervisor" => CaseQuery {
                    due_before: Some(self.now + Duration::days(3650)),
                    limit: 200,
                    ..CaseQuery::default()
                },
                Filter::Mine => CaseQuery {
                    owner: Some(self.my_owner_key()),
                    limit: 200,
                    ..CaseQuery::default()
                },
                Filter::Step(i) => CaseQuery {
                    step: self.route_steps().get(i).cloned(),
                    limit: 200,
                    ..CaseQuery::default()
                },
                Filter::Overdue => CaseQuery {
                    due_before: Some(self.now),
                    limit: 200,
                    ..CaseQuery::default()
                },
                Filter::DueToday => {
                    let end_of_day = self
                        .ctx
                        .regulation
                        .calendar(&self.office_schedule())
                        .map(|c| {
                            let local = c.to_local(self.now).date_naive() + Duration::days(1);
                            local
                                .and_hms_opt(0, 0, 0)
                                .and_then(|t| t.and_local_timezone(c.time_zone()).earliest())
                                .map_or(self.now, |t| t.with_timezone(&Utc))
                        })
                        .unwrap_or(self.now);
                    CaseQuery {
                        due_before: Some(end_of_day),
                        limit: 200,
                        ..CaseQuery::default()
                    }
                }
            }
        };
        Effect::Request(Purpose::CaseList, Request::List(query))
    }

    /// The step ids of my office's route, in order, each once.
    pub fn route_steps(&self) -> Vec<String> {
        let mut steps: Vec<String> = Vec::new();
        if let Ok(channel) = self.ctx.regulation.channel(&self.ctx.office.channel) {
            for step in &channel.steps {
                if !steps.contains(&step.id) {
                    steps.push(step.id.clone());
                }
            }
        }
        steps
    }

    pub fn office_schedule(&self) -> String {
        self.ctx
            .regulation
            .channel(&self.ctx.office.channel)
            .map(|c| c.schedule.clone())
            .unwrap_or_default()
    }

    fn refresh(&self, queue: bool) -> Vec<Effect> {
        let mut effects = vec![self.mine_request()];
        if self.screen == Screen::Dashboard {
            effects.push(Effect::Request(Purpose::Dashboard, Request::Dashboard));
        }
        if queue || self.screen == Screen::Queue {
            effects.push(Effect::Request(Purpose::Queue, Request::Queue));
        }
        if self.screen == Screen::Cases {
            effects.push(self.list_request());
            if let Some(case) = self.detail.as_ref().and_then(|d| d.case.as_ref()) {
                effects.push(Effect::Request(
                    Purpose::Detail,
                    Request::GetCase {
                        case: case.id.to_string(),
                    },
                ));
                effects.push(Effect::Request(
                    Purpose::History,
                    Request::History {
                        case: case.id.to_string(),
                    },
                ));
            }
        }
        effects
    }

    fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.message = Some((tone, text.into()));
    }

    fn save_draft(&self) -> Effect {
        let draft = self.intake.opened_at.map(|opened_at| Draft {
            form: self.intake.form.clone(),
            opened_at,
            ticket: self.intake.ticket.clone(),
        });
        Effect::Request(Purpose::DraftSaved, Request::SaveDraft(draft))
    }

    fn open_intake(&mut self) {
        self.screen = Screen::Intake;
        if self.intake.opened_at.is_none() {
            self.intake.opened_at = Some(self.now);
            if self.intake.form.channel.is_empty() {
                self.intake.form.channel = self.ctx.office.channel.clone();
            }
            self.apply_measure_choice();
        }
    }

    fn clear_intake(&mut self) {
        self.intake = IntakeState::default();
        self.intake.form.channel = self.ctx.office.channel.clone();
        self.apply_measure_choice();
    }

    /// The actions my role may take on the case's current step.
    pub fn offers(&self, case: &Case) -> Vec<Offer> {
        let Some(step) = case.current_step() else {
            return Vec::new();
        };
        let Ok(channel) = self.ctx.regulation.channel(&case.intake.channel) else {
            return Vec::new();
        };
        let Some(definition) = channel.steps.get(step.index) else {
            return Vec::new();
        };
        let me = &self.ctx.me;
        if !definition.roles.contains(&me.role) {
            return Vec::new();
        }
        if me.role == "executor" && step.assignee.as_ref().is_some_and(|a| *a != me.id) {
            return Vec::new();
        }
        let mut offers = vec![Offer::Step(definition.finish)];
        if definition.records_result {
            offers.push(Offer::RecordResult);
        }
        if definition.rework_to.is_some() {
            offers.push(Offer::Rework);
        }
        offers
    }

    fn detail_case(&self) -> Option<&Case> {
        self.detail.as_ref().and_then(|d| d.case.as_ref())
    }

    fn open_dialog(&mut self, kind: DialogKind, title_key: &str, choices: Vec<(String, String)>) {
        self.dialog = Some(Dialog {
            kind,
            title: self.t(title_key),
            input: String::new(),
            choices,
            selected: 0,
        });
    }

    fn case_command(&self, command: CaseCommand) -> Vec<Effect> {
        match self.detail_case() {
            Some(case) => vec![Effect::Request(
                Purpose::CaseAction,
                Request::Act {
                    case: case.id.to_string(),
                    command,
                },
            )],
            None => Vec::new(),
        }
    }

    fn take_offer(&mut self, index: usize) -> Vec<Effect> {
        let Some(case) = self.detail_case().cloned() else {
            return Vec::new();
        };
        let Some(offer) = self.offers(&case).get(index).cloned() else {
            return Vec::new();
        };
        match offer {
            Offer::Step(StepAction::AssignExecutor) => {
                let executors: Vec<(String, String)> = self
                    .ctx
                    .staff
                    .iter()
                    .filter(|s| s.role == "executor")
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect();
                self.open_dialog(DialogKind::Executor, "prompt.executor", executors);
                Vec::new()
            }
            Offer::Step(action) => self.case_command(CaseCommand::Act {
                action,
                executor: None,
            }),
            Offer::Rework => {
                self.open_dialog(DialogKind::ReworkReason, "prompt.reason", Vec::new());
                Vec::new()
            }
            Offer::RecordResult => {
                let lang = self.lang;
                let channel = self.ctx.regulation.channel(&case.intake.channel).ok();
                let choices = channel
                    .map(|c| {
                        c.results
                            .iter()
                            .filter_map(|id| self.ctx.regulation.result_kind(id))
                            .map(|r| (r.id.clone(), r.name.get(lang).to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                self.open_dialog(DialogKind::ResultKind, "prompt.result", choices);
                Vec::new()
            }
        }
    }

    fn confirm_dialog(&mut self) -> Vec<Effect> {
        let Some(dialog) = self.dialog.take() else {
            return Vec::new();
        };
        let choice = dialog.choices.get(dialog.selected).map(|c| c.0.clone());
        let input = dialog.input.trim().to_string();
        match dialog.kind {
            DialogKind::Arrival => {
                let measure = self
                    .ctx
                    .regulation
                    .file
                    .measures
                    .first()
                    .map(|m| m.id.clone())
                    .unwrap_or_default();
                vec![Effect::Request(
                    Purpose::Arrival,
                    Request::RegisterArrival {
                        ticket: Some(input).filter(|t| !t.is_empty()),
                        channel: self.ctx.office.channel.clone(),
                        measure: choice.unwrap_or(measure),
                    },
                )]
            }
            DialogKind::Search => {
                self.search = input;
                self.case_selected = 0;
                vec![self.list_request()]
            }
            DialogKind::ConfirmRefusal => self.submit_intake(true),
            DialogKind::Executor => match choice {
                Some(executor) => self.case_command(CaseCommand::Act {
                    action: StepAction::AssignExecutor,
                    executor: Some(executor),
                }),
                None => Vec::new(),
            },
            DialogKind::ReworkReason => {
                self.case_command(CaseCommand::ReturnForRework { reason: input })
            }
            DialogKind::ResultKind => {
                let Some(kind) = choice else {
                    return Vec::new();
                };
                let needs_ground = self
                    .ctx
                    .regulation
                    .result_kind(&kind)
                    .is_some_and(|r| r.needs_ground);
                if needs_ground {
                    let lang = self.lang;
                    let grounds = self
                        .ctx
                        .regulation
                        .file
                        .refusal_grounds
                        .iter()
                        .map(|g| (g.id.clone(), g.name.get(lang).to_string()))
                        .collect();
                    self.open_dialog(DialogKind::Ground { kind }, "prompt.ground", grounds);
                    Vec::new()
                } else {
                    self.case_command(CaseCommand::RecordResult { kind, ground: None })
                }
            }
            DialogKind::Ground { kind } => self.case_command(CaseCommand::RecordResult {
                kind,
                ground: choice,
            }),
            DialogKind::VoidReason => match &self.receipt_case {
                Some(case) => vec![Effect::Request(
                    Purpose::Void,
                    Request::VoidReceipt {
                        case: case.id.to_string(),
                        reason: input,
                    },
                )],
                None => Vec::new(),
            },
        }
    }

    fn submit_intake(&mut self, refusal_confirmed: bool) -> Vec<Effect> {
        // Only what the chosen measures still ask for, in checklist order.
        self.intake.form.documents = self
            .documents()
            .into_iter()
            .filter(|d| self.intake.form.documents.contains(d))
            .collect();
        match self.intake.form.validate(&self.ctx.regulation) {
            Err(problems) => {
                let first = problems.first().map(|p| p.to_string()).unwrap_or_default();
                self.intake.problems = problems;
                self.say(Tone::Bad, format!("{}: {first}", self.t("msg.fix")));
                Vec::new()
            }
            Ok(_) if !self.missing().is_empty() && !refusal_confirmed => {
                self.intake.problems.clear();
                self.open_dialog(DialogKind::ConfirmRefusal, "confirm.refuse", Vec::new());
                Vec::new()
            }
            Ok(_) => {
                self.intake.problems.clear();
                vec![Effect::Request(
                    Purpose::Accept,
                    Request::Accept {
                        form: self.intake.form.clone(),
                        opened_at: self.intake.opened_at,
                    },
                )]
            }
        }
    }

    fn list_len(&self) -> usize {
        match self.screen {
            Screen::Queue => self.queue.len(),
            _ => self.cases.len(),
        }
    }

    fn move_selection(&mut self, delta: isize) {
        let len = self.list_len();
        if len == 0 {
            return;
        }
        let selected = match self.screen {
            Screen::Queue => &mut self.queue_selected,
            _ => &mut self.case_selected,
        };
        *selected = (*selected as isize + delta).clamp(0, len as isize - 1) as usize;
    }

    /// Applies one message; returns what the runtime must ask the core.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Start => {
                let mut effects = self.refresh(true);
                effects.push(Effect::Request(Purpose::DraftLoaded, Request::LoadDraft));
                if self.screen == Screen::Cases {
                    effects.push(self.list_request());
                }
                if self.screen == Screen::Dashboard {
                    effects.push(Effect::Request(Purpose::Dashboard, Request::Dashboard));
                }
                effects
            }
            Msg::Tick(now) => {
                self.now = now;
                self.check_alerts();
                // Figures move with time (on track → due soon): ask again now and then.
                let stale = self
                    .dashboard_fetched
                    .is_none_or(|t| now - t >= Duration::seconds(30));
                if self.screen == Screen::Dashboard && stale && !self.loading {
                    self.dashboard_fetched = Some(now);
                    return vec![Effect::Request(Purpose::Dashboard, Request::Dashboard)];
                }
                Vec::new()
            }
            Msg::Changed { queue } => self.refresh(queue),
            Msg::Link(false) => {
                self.say(Tone::Bad, self.t("msg.link_lost"));
                Vec::new()
            }
            Msg::Link(true) => {
                self.say(Tone::Good, self.t("msg.link_back"));
                self.refresh(true)
            }
            Msg::Response(purpose, result) => self.on_response(purpose, *result),
            Msg::Key(chord) => self.on_key(chord),
        }
    }

    fn on_key(&mut self, chord: Chord) -> Vec<Effect> {
        let mode = self.mode();
        let action = self.keymap.action(mode, &chord);
        // Printable keys type into text fields and dialogs unless the mode binds them.
        if action.is_none() || (matches!(mode, Mode::Form | Mode::Dialog) && chord.is_printable()) {
            if let crossterm::event::KeyCode::Char(c) = chord.code {
                if chord.is_printable() {
                    return self.type_char(mode, c);
                }
            }
        }
        let Some(action) = action else {
            return Vec::new();
        };
        if self.message.is_some() && !matches!(action, Action::Help) {
            self.message = None;
        }
        self.on_action(mode, action)
    }

    fn type_char(&mut self, mode: Mode, c: char) -> Vec<Effect> {
        match mode {
            Mode::Form => {
                let field = self.focused_field();
                if let Some(text) = self.text_mut(field) {
                    // Bounded, so a pasted novel cannot grow the form without end.
                    if text.chars().count() < 400 {
                        text.push(c);
                    }
                    self.intake
                        .problems
                        .retain(|p| p.field != field.problem_key());
                    return vec![self.save_draft()];
                }
                Vec::new()
            }
            Mode::Dialog => {
                if let Some(dialog) = &mut self.dialog {
                    if dialog.takes_text() && dialog.input.chars().count() < 200 {
                        dialog.input.push(c);
                        if dialog.kind == DialogKind::Search {
                            self.search = dialog.input.clone();
                            return vec![self.list_request()];
                        }
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_action(&mut self, mode: Mode, action: Action) -> Vec<Effect> {
        match action {
            Action::Help => {
                self.help = !self.help;
                return Vec::new();
            }
            Action::Quit => {
                self.quit = true;
                return Vec::new();
            }
            Action::Language => {
                self.lang = self.lang.next();
                return Vec::new();
            }
            Action::Theme => {
                self.theme.high_contrast = !self.theme.high_contrast;
                return Vec::new();
            }
            Action::Queue => {
                self.help = false;
                self.dialog = None;
                self.screen = Screen::Queue;
                return vec![Effect::Request(Purpose::Queue, Request::Queue)];
            }
            Action::Intake => {
                self.help = false;
                self.dialog = None;
                self.open_intake();
                return vec![self.save_draft()];
            }
            Action::Cases => {
                self.help = false;
                self.dialog = None;
                self.screen = Screen::Cases;
                self.drill = None;
                return vec![self.list_request()];
            }
            Action::Dashboard => {
                self.help = false;
                self.dialog = None;
                self.screen = Screen::Dashboard;
                self.dashboard_fetched = Some(self.now);
                return vec![Effect::Request(Purpose::Dashboard, Request::Dashboard)];
            }
            _ => {}
        }
        match mode {
            Mode::Help => {
                if action == Action::Back {
                    self.help = false;
                }
                Vec::new()
            }
            Mode::Dialog => self.dialog_action(action),
            Mode::Form | Mode::Checklist => self.form_action(action),
            Mode::List => self.list_action(action),
            Mode::Detail => self.detail_action(action),
            Mode::Receipt => self.receipt_action(action),
            Mode::Global => Vec::new(),
        }
    }

    fn dialog_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(dialog) = &mut self.dialog else {
            return Vec::new();
        };
        match action {
            Action::Confirm => self.confirm_dialog(),
            Action::Cancel | Action::Back => {
                self.dialog = None;
                Vec::new()
            }
            Action::Erase => {
                dialog.input.pop();
                if dialog.kind == DialogKind::Search {
                    self.search = dialog.input.clone();
                    return vec![self.list_request()];
                }
                Vec::new()
            }
            Action::Up => {
                dialog.selected = dialog.selected.saturating_sub(1);
                Vec::new()
            }
            Action::Down => {
                if dialog.selected + 1 < dialog.choices.len() {
                    dialog.selected += 1;
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn form_action(&mut self, action: Action) -> Vec<Effect> {
        let count = self.fields().len();
        match action {
            Action::NextField => {
                self.intake.focus = (self.intake.focus + 1) % count;
                Vec::new()
            }
            Action::PrevField => {
                self.intake.focus = (self.intake.focus + count - 1) % count;
                Vec::new()
            }
            Action::Erase => {
                let field = self.focused_field();
                if let Some(text) = self.text_mut(field) {
                    text.pop();
                    return vec![self.save_draft()];
                }
                Vec::new()
            }
            Action::Toggle => {
                match self.focused_field() {
                    Field::Measure => {
                        let options = self.ctx.regulation.file.measures.len() + 1;
                        self.intake.measure_choice = (self.intake.measure_choice + 1) % options;
                        self.apply_measure_choice();
                    }
                    Field::Sector => {
                        let count = self.ctx.regulation.file.sectors.len();
                        self.intake.sector_choice = match self.intake.sector_choice {
                            None => Some(0),
                            Some(i) if i + 1 < count => Some(i + 1),
                            Some(_) => None,
                        };
                        self.intake.form.sector = self
                            .intake
                            .sector_choice
                            .and_then(|i| self.ctx.regulation.file.sectors.get(i))
                            .map(|s| s.id.clone())
                            .unwrap_or_default();
                    }
                    Field::Document(i) => {
                        if let Some(doc) = self.documents().get(i).cloned() {
                            // The form's own list is what the draft keeps.
                            let presented = &mut self.intake.form.documents;
                            match presented.iter().position(|d| *d == doc) {
                                Some(at) => {
                                    presented.remove(at);
                                }
                                None => presented.push(doc),
                            }
                        }
                    }
                    _ => {}
                }
                vec![self.save_draft()]
            }
            Action::Submit => self.submit_intake(false),
            Action::ClearForm => {
                self.clear_intake();
                self.intake.opened_at = Some(self.now);
                vec![self.save_draft()]
            }
            Action::Back => {
                self.screen = Screen::Queue;
                vec![Effect::Request(Purpose::Queue, Request::Queue)]
            }
            _ => Vec::new(),
        }
    }

    fn list_action(&mut self, action: Action) -> Vec<Effect> {
        if self.screen == Screen::Dashboard {
            return self.dashboard_action(action);
        }
        match action {
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-10),
            Action::PageDown => self.move_selection(10),
            Action::Arrival if self.screen == Screen::Queue => {
                let lang = self.lang;
                let measures = self
                    .ctx
                    .regulation
                    .file
                    .measures
                    .iter()
                    .map(|m| (m.id.clone(), m.name.get(lang).to_string()))
                    .collect();
                self.open_dialog(DialogKind::Arrival, "field.ticket", measures);
            }
            Action::CallNext if self.screen == Screen::Queue => {
                return vec![Effect::Request(Purpose::CallNext, Request::CallNext)];
            }
            Action::Open if self.screen == Screen::Queue => {
                self.open_intake();
                return vec![self.save_draft()];
            }
            Action::Open => {
                if let Some(case) = self.cases.get(self.case_selected).cloned() {
                    let id = case.id.to_string();
                    self.detail = Some(Detail {
                        case: Some(case),
                        ..Detail::default()
                    });
                    return vec![Effect::Request(
                        Purpose::History,
                        Request::History { case: id },
                    )];
                }
            }
            Action::Search if self.screen == Screen::Cases => {
                self.open_dialog(DialogKind::Search, "search", Vec::new());
                if let Some(dialog) = &mut self.dialog {
                    dialog.input = self.search.clone();
                }
            }
            Action::NextFilter if self.screen == Screen::Cases => {
                self.drill = None;
                self.filter = self.filter.next(self.route_steps().len());
                self.search.clear();
                self.case_selected = 0;
                return vec![self.list_request()];
            }
            Action::Back
                if self.screen == Screen::Cases
                    && self.drill.is_some()
                    && self.search.is_empty() =>
            {
                self.drill = None;
                self.screen = Screen::Dashboard;
                return vec![Effect::Request(Purpose::Dashboard, Request::Dashboard)];
            }
            Action::Back if self.screen == Screen::Cases && !self.search.is_empty() => {
                self.search.clear();
                return vec![self.list_request()];
            }
            _ => {}
        }
        Vec::new()
    }

    fn dashboard_action(&mut self, action: Action) -> Vec<Effect> {
        let cells = self
            .dashboard
            .as_ref()
            .map(|v| {
                dashboard_cells(v)
                    .into_iter()
                    .map(|(k, b)| (k, b.cases.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let step = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -4,
            Action::PageDown => 4,
            Action::Open => {
                if let Some((label, ids)) = cells.get(self.dashboard_selected) {
                    let label = label
                        .split_whitespace()
                        .map(|w| {
                            if w.contains('.') {
                                self.t(w)
                            } else {
                                w.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ");
                    self.drill = Some((label, ids.clone()));
                    self.search.clear();
                    self.case_selected = 0;
                    self.screen = Screen::Cases;
                    return vec![self.list_request()];
                }
                return Vec::new();
            }
            _ => return Vec::new(),
        };
        if !cells.is_empty() {
            self.dashboard_selected = (self.dashboard_selected as isize + step)
                .clamp(0, cells.len() as isize - 1) as usize;
        }
        Vec::new()
    }

    fn detail_action(&mut self, action: Action) -> Vec<Effect> {
        let index = match action {
            Action::Action1 => Some(0),
            Action::Action2 => Some(1),
            Action::Action3 => Some(2),
            Action::Action4 => Some(3),
            Action::Action5 => Some(4),
            _ => None,
        };
        if let Some(index) = index {
            return self.take_offer(index);
        }
        let Some(detail) = &mut self.detail else {
            return Vec::new();
        };
        match action {
            Action::Back => {
                self.detail = None;
                return vec![self.list_request()];
            }
            Action::Explain => detail.explain = !detail.explain,
            Action::Up => detail.scroll = detail.scroll.saturating_sub(1),
            Action::Down => detail.scroll = detail.scroll.saturating_add(1),
            Action::Print | Action::Void => {
                if let Some(case) = detail.case.clone() {
                    return self.show_receipt(case);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn show_receipt(&mut self, case: Case) -> Vec<Effect> {
        let id = case.id.to_string();
        self.receipt_case = Some(case);
        self.receipt_scroll = 0;
        self.screen = Screen::Receipt;
        vec![Effect::Request(
            Purpose::Receipt,
            Request::ReceiptText {
                case: id,
                width: crate::domain::receipt::ROLL_WIDTH,
            },
        )]
    }

    fn receipt_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Up => self.receipt_scroll = self.receipt_scroll.saturating_sub(1),
            Action::Down => self.receipt_scroll = self.receipt_scroll.saturating_add(1),
            Action::Print => {
                if let Some(case) = &self.receipt_case {
                    return vec![Effect::Request(
                        Purpose::Print,
                        Request::PrintReceipt {
                            case: case.id.to_string(),
                        },
                    )];
                }
            }
            Action::Void if self.receipt_case.is_some() => {
                self.open_dialog(DialogKind::VoidReason, "prompt.reason", Vec::new());
            }
            Action::Back => {
                self.screen = if self.detail.is_some() {
                    Screen::Cases
                } else {
                    Screen::Queue
                };
                return self.refresh(self.screen == Screen::Queue);
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_response(&mut self, purpose: Purpose, result: Result<Response, String>) -> Vec<Effect> {
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                if purpose != Purpose::DraftSaved || !error.is_empty() {
                    self.say(Tone::Bad, error);
                }
                return Vec::new();
            }
        };
        match (purpose, response) {
            (Purpose::Mine, Response::Cases(cases)) => {
                self.mine = cases;
                self.check_alerts();
            }
            (Purpose::CaseList, Response::Cases(cases)) => {
                self.cases = cases;
                self.case_selected = self.case_selected.min(self.cases.len().saturating_sub(1));
            }
            (Purpose::Detail, Response::Case(case)) => {
                if let Some(detail) = &mut self.detail {
                    detail.case = Some(*case);
                }
            }
            (Purpose::History, Response::History(history)) => {
                if let Some(detail) = &mut self.detail {
                    detail.history = history;
                }
            }
            (Purpose::Queue, Response::Queue(queue)) => {
                self.queue = queue;
                self.queue_selected = self.queue_selected.min(self.queue.len().saturating_sub(1));
            }
            (Purpose::Arrival, Response::Ticket(Some(ticket))) => {
                self.say(
                    Tone::Good,
                    format!("{} {}", self.t("queue.ticket"), ticket.number),
                );
                return vec![Effect::Request(Purpose::Queue, Request::Queue)];
            }
            (Purpose::CallNext, Response::Ticket(ticket)) => match ticket {
                Some(ticket) => {
                    self.say(
                        Tone::Good,
                        format!("{}: {}", self.t("msg.called"), ticket.number),
                    );
                    if self.intake.opened_at.is_none() || self.intake.form == IntakeForm::default()
                    {
                        self.clear_intake();
                    }
                    if let Some(position) = self
                        .ctx
                        .regulation
                        .file
                        .measures
                        .iter()
                        .position(|m| m.id == ticket.measure)
                    {
                        self.intake.measure_choice = position;
                        self.apply_measure_choice();
                    }
                    self.intake.ticket = Some(ticket.number);
                    self.open_intake();
                    return vec![
                        Effect::Request(Purpose::Queue, Request::Queue),
                        self.save_draft(),
                    ];
                }
                None => self.say(Tone::Info, self.t("msg.no_one")),
            },
            (Purpose::Accept, Response::Case(case)) => {
                let key = if matches!(case.status, CaseStatus::RefusedToAccept { .. }) {
                    "msg.refused"
                } else {
                    "msg.accepted"
                };
                self.say(Tone::Good, format!("{} {}", self.t(key), case.receipt_no));
                self.clear_intake();
                let mut effects = self.show_receipt(*case);
                effects.push(Effect::Request(
                    Purpose::DraftSaved,
                    Request::SaveDraft(None),
                ));
                effects.push(self.mine_request());
                return effects;
            }
            (Purpose::CaseAction, Response::Case(case)) => {
                self.say(
                    Tone::Good,
                    format!("{}: {}", self.t("msg.done"), case.receipt_no),
                );
                if let Some(detail) = &mut self.detail {
                    detail.case = Some(*case);
                }
                return self.refresh(false);
            }
            (Purpose::Receipt, Response::Text(lines)) => self.receipt_lines = lines,
            (Purpose::Dashboard, Response::Dashboard(view)) => {
                self.dashboard_fetched = Some(self.now);
                self.dashboard = Some(*view);
            }
            (
                Purpose::Print,
                Response::Printed {
                    case,
                    duplicate,
                    error,
                },
            ) => {
                match error {
                    None => self.say(
                        Tone::Good,
                        format!(
                            "{} {}{}",
                            self.t("msg.printed"),
                            case.receipt_no,
                            if duplicate { " (DUPLICATE)" } else { "" }
                        ),
                    ),
                    Some(error) => self.say(
                        Tone::Bad,
                        format!("{}: {error}", self.t("msg.print_failed")),
                    ),
                }
                let id = case.id.to_string();
                self.receipt_case = Some(*case);
                return vec![Effect::Request(
                    Purpose::Receipt,
                    Request::ReceiptText {
                        case: id,
                        width: crate::domain::receipt::ROLL_WIDTH,
                    },
                )];
            }
            (Purpose::Void, Response::Case(case)) => {
                self.say(
                    Tone::Good,
                    format!("{}: {}", self.t("status.voided"), case.receipt_no),
                );
                let id = case.id.to_string();
                self.receipt_case = Some(*case);
                return vec![
                    Effect::Request(
                        Purpose::Receipt,
                        Request::ReceiptText {
                            case: id,
                            width: crate::domain::receipt::ROLL_WIDTH,
                        },
                    ),
                    self.mine_request(),
                ];
            }
            (Purpose::DraftLoaded, Response::Draft(Some(draft))) => {
                let who = if draft.form.name.trim().is_empty() {
                    draft.form.iin.clone()
                } else {
                    draft.form.name.clone()
                };
                self.intake.form = draft.form;
                self.intake.opened_at = Some(draft.opened_at);
                self.intake.ticket = draft.ticket;
                let measures = &self.ctx.regulation.file.measures;
                self.intake.measure_choice = match self.intake.form.measures.as_slice() {
                    [one] => measures.iter().position(|m| m.id == *one).unwrap_or(0),
                    _ => measures.len(),
                };
                self.intake.sector_choice = self
                    .ctx
                    .regulation
                    .file
                    .sectors
                    .iter()
                    .position(|s| s.id == self.intake.form.sector);
                self.say(
                    Tone::Info,
                    format!("{}: {} (F3)", self.t("msg.draft"), who.trim()),
                );
            }
            _ => {}
        }
        Vec::new()
    }

    /// Alerts the owner of a step when one of their cases becomes due soon or overdue — only in
    /// working time, when someone can act on it.
    fn check_alerts(&mut self) {
        use crate::countdown::{case_countdown, Urgency};
        let mut now_seen = std::collections::HashMap::new();
        let mut alert: Option<(u64, String, Urgency)> = None;
        for case in &self.mine {
            let Some(countdown) = case_countdown(&self.ctx.regulation, case, self.now) else {
                continue;
            };
            now_seen.insert(case.id, countdown.urgency);
            let entered = matches!(countdown.urgency, Urgency::DueSoon | Urgency::Overdue)
                && self
                    .alert_seen
                    .as_ref()
                    .is_some_and(|seen| seen.get(&case.id).is_none_or(|u| *u != countdown.urgency));
            let working = case
                .current_step()
                .and_then(|s| {
                    self.ctx
                        .regulation
                        .step_calendar(&case.intake.channel, s.index)
                })
                .is_some_and(|c| c.is_working(self.now));
            if entered && working && alert.as_ref().is_none_or(|a| a.2 != Urgency::Overdue) {
                let step = case
                    .current_step()
                    .map_or(String::new(), |s| s.step_id.clone());
                alert = Some((case.id, step, countdown.urgency));
            }
        }
        if let Some((id, step, urgency)) = alert {
            let what = if urgency == Urgency::Overdue {
                self.t("dash.overdue")
            } else {
                self.t("dash.due_soon")
            };
            let symbol = self.theme.symbol(urgency);
            self.say(Tone::Bad, format!("{symbol} #{id} {step}: {what}"));
        }
        self.alert_seen = Some(now_seen);
    }

    /// The next instant something visible changes by itself, to sleep until then.
    pub fn next_wake(&self) -> DateTime<Utc> {
        let mut wake = super::view::next_visible_change(self);
        // The header clock shows minutes.
        let next_minute = self.now + Duration::seconds(60 - self.now.timestamp().rem_euclid(60));
        wake = wake.min(next_minute);
        wake.max(self.now + Duration::milliseconds(200))
    }
}
