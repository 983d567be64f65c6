//! The Elm Architecture's model and `update`: every key becomes an action through the keymap,
//! every action changes the state and may ask the core for something (an [`Effect`]).
//!
//! The root holds what every screen shares (who I am, the clock, the status line, my deadlines)
//! and one sub-model per screen, each in its own file with its actions, the requests it makes
//! and the handling of their answers. Moving between screens is done here, on the root.

mod cases;
mod dashboard;
mod detail;
mod dialog;
mod help;
mod intake;
mod once;
mod queue;
mod receipt;
mod wake;

use chrono::{DateTime, Duration, Utc};

use super::core::Context;
use super::keymap::{Action, Chord, Keymap, Mode};
use super::theme::Theme;
use crate::domain::case::Case;
use crate::domain::query::{CaseQuery, OwnerKey};
use crate::domain::Lang;
use crate::service::{Failure, Request, Response};

pub use crate::domain::lifecycle::Offer;
pub use cases::{CasesModel, Filter};
pub use dashboard::{dashboard_cells, dashboard_rows, CellLabel, DashboardModel};
pub use detail::Detail;
pub use dialog::{Dialog, DialogKind};
pub use help::{HelpLine, HELP_WIDTH};
pub use intake::{Field, IntakeState};
pub use queue::QueueModel;
pub use receipt::ReceiptModel;

/// The floor: from here to 60×16 the compact view keeps the countdowns and lets the intake on
/// screen be finished; below it, only a "terminal too small" notice, and keys do nothing but
/// quit and change the language.
pub const COMPACT_WIDTH: u16 = 30;

/// How a status message is said, given the state (its language above all).
pub type Saying = std::sync::Arc<dyn Fn(&State) -> String + Send + Sync>;
pub const COMPACT_HEIGHT: u16 = 8;

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

/// What to do with the core's answer to a request: functions of the screen that asked, one
/// for an answer and one for a failure.
#[derive(Clone, Copy)]
pub struct Answer {
    pub ok: fn(&mut State, Response) -> Vec<Effect>,
    pub failed: fn(&mut State, Failure) -> Vec<Effect>,
    /// The write (sent with a request id) that a successful answer settles.
    pub once: Option<u64>,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Answer")
    }
}

/// Something for the runtime to do with the core, off the screen's loop.
#[derive(Debug, Clone)]
pub enum Effect {
    Request { request: Request, answer: Answer },
}

/// Asks the core `request`; `ok` handles the response, a failure is said on the status line.
pub fn ask(request: Request, ok: fn(&mut State, Response) -> Vec<Effect>) -> Effect {
    ask_or(request, ok, State::request_failed)
}

/// Asks the core `request`, with a handler of its own for a failure.
pub fn ask_or(
    request: Request,
    ok: fn(&mut State, Response) -> Vec<Effect>,
    failed: fn(&mut State, Failure) -> Vec<Effect>,
) -> Effect {
    Effect::Request {
        request,
        answer: Answer {
            ok,
            failed,
            once: None,
        },
    }
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
    /// The core answered a request; the answer goes to the function that asked.
    Response(Answer, Box<Result<Response, Failure>>),
    Start,
    /// A burst of input is handled: send what was only marked (the draft).
    Flush,
    /// The link to the daemon dropped (`false`) or came back (`true`).
    Link(bool),
    /// The terminal's size in columns and rows (at start and after every resize).
    Resize(u16, u16),
    /// The core's database cannot be reached (`false`: it reconnects, nothing can be saved) or
    /// is back (`true`).
    Store(bool),
    /// Text pasted at once (the terminal's bracketed paste): it goes into the focused field
    /// or dialog as text, never as keys.
    Paste(String),
}

pub struct State {
    pub ctx: Context,
    pub keymap: Keymap,
    pub lang: Lang,
    pub theme: Theme,
    pub now: DateTime<Utc>,
    pub screen: Screen,
    pub help: bool,
    /// How far the help overlay is scrolled (it can be longer than the screen).
    pub help_scroll: u16,
    pub message: Option<(Tone, String)>,
    /// How the message on the status line is said, so a change of language says it again.
    said: Option<Saying>,
    pub dialog: Option<Dialog>,
    /// The terminal's columns and rows, once known: below the compact floor keys do nothing
    /// but quit and change the language, since nothing they would change can be seen.
    pub size: Option<(u16, u16)>,
    pub quit: bool,
    /// The core is not reached yet: the first frame is up, the data is on its way.
    pub loading: bool,
    pub queue: QueueModel,
    pub intake: IntakeState,
    /// Forms put aside when the next person was called, most recent last.
    pub kept: Vec<IntakeState>,
    /// Typing changed the form since the draft was last sent to the core.
    pub draft_unsaved: bool,
    /// Where Esc on the intake form returns to: the screen the clerk came from.
    pub back_to: Option<Screen>,
    pub cases: CasesModel,
    pub detail: Option<Detail>,
    pub receipt: ReceiptModel,
    pub dashboard: DashboardModel,
    /// My work, nearest deadline first: the countdown pane under every screen.
    pub mine: Vec<Case>,
    /// The urgency each case of my work had when last looked at; `None` until the first look,
    /// so cases already late at start do not all alert at once.
    pub alert_seen: Option<std::collections::HashMap<u64, crate::countdown::Urgency>>,
    /// Writes go with request ids; an unanswered one sent again keeps its id.
    pub writes: once::Writes,
    /// The core said its database cannot be reached: the status line says "reconnecting" until
    /// it is back, and what fails meanwhile is said as that, not error by error.
    pub store_down: bool,
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
            help_scroll: 0,
            message: None,
            said: None,
            dialog: None,
            size: None,
            quit: false,
            loading: false,
            queue: QueueModel::default(),
            intake: IntakeState::default(),
            kept: Vec::new(),
            draft_unsaved: false,
            back_to: None,
            cases: CasesModel::default(),
            detail: None,
            receipt: ReceiptModel::default(),
            dashboard: DashboardModel::default(),
            mine: Vec::new(),
            alert_seen: None,
            writes: once::Writes::default(),
            store_down: false,
        }
    }

    fn t(&self, key: &str) -> String {
        super::i18n::t(self.lang, key).to_string()
    }

    /// Puts a message on the status line, said in the screen's language now and again in the
    /// new one when the language changes.
    pub fn say(&mut self, tone: Tone, saying: impl Fn(&State) -> String + Send + Sync + 'static) {
        let saying: Saying = std::sync::Arc::new(saying);
        self.message = Some((tone, saying(self)));
        self.said = Some(saying);
    }

    /// Asks the core to write: with a request id, so that pressing again after a lost answer
    /// records it once.
    fn ask_once(
        &mut self,
        request: Request,
        ok: fn(&mut State, Response) -> Vec<Effect>,
    ) -> Effect {
        self.ask_once_or(request, ok, State::request_failed)
    }

    fn ask_once_or(
        &mut self,
        request: Request,
        ok: fn(&mut State, Response) -> Vec<Effect>,
        failed: fn(&mut State, Failure) -> Vec<Effect>,
    ) -> Effect {
        let (request, key) = self.writes.wrap(request);
        Effect::Request {
            request,
            answer: Answer {
                ok,
                failed,
                once: Some(key),
            },
        }
    }

    /// The message on the status line said again, in the language now chosen.
    fn say_again(&mut self) {
        if let (Some(saying), Some(tone)) = (self.said.clone(), self.message.as_ref().map(|m| m.0))
        {
            self.message = Some((tone, saying(self)));
        }
    }

    fn request_failed(&mut self, failure: Failure) -> Vec<Effect> {
        self.say(Tone::Bad, move |s| s.failure_text(&failure));
        Vec::new()
    }

    /// Why the core refused or failed, in the clerk's language.
    pub fn failure_text(&self, failure: &Failure) -> String {
        super::i18n::failure_text(self.lang, failure, &self.ctx)
    }

    /// An answer that does not fit the request: said, never dropped silently, in the clerk's
    /// language only (the answer's Rust name would be English on a kk or ru screen and tells
    /// the clerk nothing they can act on).
    fn unexpected(&mut self, _answer: &Response) -> Vec<Effect> {
        self.say(Tone::Bad, |s| s.t("msg.unexpected"));
        Vec::new()
    }

    /// Where keys are looked up now.
    pub fn mode(&self) -> Mode {
        if self.help {
            Mode::Help
        } else {
            self.mode_without_help()
        }
    }

    /// The mode under the help overlay (the one it describes).
    pub fn mode_without_help(&self) -> Mode {
        if self.dialog.is_some() {
            return Mode::Dialog;
        }
        match self.screen {
            Screen::Queue | Screen::Dashboard => Mode::List,
            Screen::Intake if self.focused_field().is_text() => Mode::Form,
            Screen::Intake => Mode::Checklist,
            Screen::Cases if self.detail.is_some() => Mode::Detail,
            Screen::Cases => Mode::List,
            Screen::Receipt => Mode::Receipt,
        }
    }

    /// Whether the screen now acts on `action` (for the key hints: the list mode serves three
    /// screens, each using part of it).
    pub fn handles(&self, action: Action) -> bool {
        match (self.mode(), self.screen) {
            (Mode::List, Screen::Queue) => queue::handles(action),
            (Mode::List, Screen::Dashboard) => dashboard::handles(action),
            (Mode::List, _) => cases::handles(action),
            // A voided receipt is neither printed nor voided again.
            (Mode::Receipt, _) if self.receipt_voided() => {
                !matches!(action, Action::Print | Action::Void)
            }
            _ => true,
        }
    }

    pub fn office_schedule(&self) -> String {
        self.ctx
            .regulation
            .channel(&self.ctx.office.channel)
            .map(|c| c.schedule.clone())
            .unwrap_or_default()
    }

    /// The owner key of "my work" in the indexes.
    pub fn my_owner_key(&self) -> OwnerKey {
        OwnerKey::work_of(&self.ctx.me.role, &self.ctx.me.id)
    }

    /// The actions my role may take on the case's current step (the domain decides).
    pub fn offers(&self, case: &Case) -> Vec<Offer> {
        crate::domain::lifecycle::offers(&self.ctx.regulation, case, &self.ctx.actor())
    }

    // ---- my work: the countdown pane and its alerts ----

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
        ask(Request::List(query), State::mine_loaded)
    }

    fn mine_loaded(&mut self, response: Response) -> Vec<Effect> {
        let Response::Cases(cases) = response else {
            return self.unexpected(&response);
        };
        self.mine = cases;
        self.check_alerts();
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
                "dash.overdue"
            } else {
                "dash.due_soon"
            };
            let symbol = self.theme.symbol(urgency);
            self.say(Tone::Bad, move |s| {
                format!("{symbol} #{id} {step}: {}", s.t(what))
            });
        }
        self.alert_seen = Some(now_seen);
    }

    // ---- navigation ----

    /// Everything the screen shows, asked again (after a change in the core).
    fn refresh(&self, queue: bool) -> Vec<Effect> {
        let mut effects = vec![self.mine_request()];
        if self.screen == Screen::Dashboard {
            effects.push(self.dashboard_request());
        }
        if queue || self.screen == Screen::Queue {
            effects.push(self.queue_request());
        }
        if self.screen == Screen::Cases {
            effects.push(self.list_request());
            effects.extend(self.detail_refresh());
        }
        effects
    }

    fn leave_overlays(&mut self) {
        self.help = false;
        self.dialog = None;
    }

    fn go_queue(&mut self) -> Vec<Effect> {
        self.leave_overlays();
        self.screen = Screen::Queue;
        vec![self.queue_request()]
    }

    fn go_intake(&mut self) -> Vec<Effect> {
        self.leave_overlays();
        if self.screen != Screen::Intake {
            self.back_to = Some(match self.screen {
                Screen::Receipt => Screen::Queue,
                other => other,
            });
        }
        // An empty form on screen and one kept: the kept one is what the clerk is after. An
        // empty form of a called person stays: its window belongs to that ticket.
        let mut effects = Vec::new();
        if !self.intake.has_content() && self.intake.ticket.is_none() {
            if let Some(kept) = self.kept.pop() {
                let gone = std::mem::replace(&mut self.intake, kept);
                effects = self.forget_form(&gone);
            }
        }
        self.open_intake();
        effects.extend(self.save_draft());
        effects
    }

    /// Returns to `screen` as it was left: the same list, the same case open.
    fn return_to(&mut self, screen: Screen) -> Vec<Effect> {
        match screen {
            Screen::Queue | Screen::Intake | Screen::Receipt => {
                self.screen = Screen::Queue;
                self.refresh(true)
            }
            Screen::Cases => {
                self.screen = Screen::Cases;
                self.refresh(false)
            }
            Screen::Dashboard => self.go_dashboard(),
        }
    }

    /// Esc on the form: back where the clerk came from.
    fn go_back(&mut self) -> Vec<Effect> {
        let screen = self.back_to.take().unwrap_or(Screen::Queue);
        self.return_to(screen)
    }

    /// The cases key always shows the list: a case left open earlier is not reopened.
    fn go_cases(&mut self) -> Vec<Effect> {
        self.leave_overlays();
        self.screen = Screen::Cases;
        self.detail = None;
        self.cases.drill = None;
        vec![self.list_request()]
    }

    fn go_dashboard(&mut self) -> Vec<Effect> {
        self.leave_overlays();
        self.screen = Screen::Dashboard;
        self.dashboard.fetched = Some(self.now);
        vec![self.dashboard_request()]
    }

    // ---- update ----

    /// Applies one message; returns what the runtime must ask the core.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Start => {
                let mut effects = self.refresh(true);
                effects.push(self.load_drafts());
                if self.screen == Screen::Cases {
                    effects.push(self.list_request());
                }
                if self.screen == Screen::Dashboard {
                    effects.push(self.dashboard_request());
                }
                effects
            }
            Msg::Tick(now) => {
                self.now = now;
                self.check_alerts();
                self.dashboard_tick()
            }
            Msg::Changed { queue } => self.refresh(queue),
            Msg::Flush => self.flush_draft(),
            Msg::Link(false) => {
                self.say(Tone::Bad, |s| s.t("msg.link_lost"));
                Vec::new()
            }
            Msg::Link(true) => {
                self.say(Tone::Good, |s| s.t("msg.link_back"));
                self.refresh(true)
            }
            Msg::Store(false) => {
                self.store_down = true;
                self.say(Tone::Bad, |s| s.t("msg.store_lost"));
                Vec::new()
            }
            Msg::Store(true) => {
                let was_down = std::mem::replace(&mut self.store_down, false);
                if !was_down {
                    return Vec::new();
                }
                self.say(Tone::Good, |s| s.t("msg.store_back"));
                self.refresh(true)
            }
            Msg::Response(answer, result) => match *result {
                Ok(response) => {
                    if let Some(key) = answer.once {
                        self.writes.settle(key);
                    }
                    (answer.ok)(self, response)
                }
                Err(error) => {
                    // Only a failure of the store itself is the outage: a refusal (a field, a
                    // case that moved, a form accepted already) is said as itself.
                    let store_failed = matches!(
                        error.kind,
                        crate::service::FailureKind::Store(_)
                            | crate::service::FailureKind::Link(_)
                    );
                    let effects = (answer.failed)(self, error);
                    if self.store_down && store_failed {
                        // One plain sentence in the clerk's language: a write was not saved;
                        // a read waits for the database like everything else.
                        let key = if answer.once.is_some() {
                            "msg.store_not_saved"
                        } else {
                            "msg.store_lost"
                        };
                        self.say(Tone::Bad, move |s| s.t(key));
                    }
                    effects
                }
            },
            Msg::Resize(columns, rows) => {
                self.size = Some((columns, rows));
                Vec::new()
            }
            Msg::Key(chord) => self.on_key(chord),
            Msg::Paste(text) => self.on_paste(&text),
        }
    }

    /// Whether the terminal is below the compact view's floor, where nothing can be seen.
    pub fn below_floor(&self) -> bool {
        self.size
            .is_some_and(|(columns, rows)| columns < COMPACT_WIDTH || rows < COMPACT_HEIGHT)
    }

    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if self.below_floor() {
            return Vec::new();
        }
        match self.mode() {
            Mode::Form => self.paste_into_field(text),
            Mode::Dialog => {
                let mut effects = Vec::new();
                for c in intake::pasted_line(text).chars() {
                    effects = self.type_into_dialog(c);
                }
                effects
            }
            _ => Vec::new(),
        }
    }

    fn on_key(&mut self, chord: Chord) -> Vec<Effect> {
        let mode = self.mode();
        let action = self.keymap.action(mode, &chord);
        if self.below_floor() {
            // A key acting on a screen nobody can see would change things unseen.
            return match action {
                Some(action @ (Action::Quit | Action::Language)) => self.on_action(mode, action),
                _ => Vec::new(),
            };
        }
        // Printable keys type into text fields and dialogs unless the mode binds them.
        if action.is_none() || (matches!(mode, Mode::Form | Mode::Dialog) && chord.is_printable()) {
            if let crossterm::event::KeyCode::Char(c) = chord.code {
                if chord.is_printable() {
                    return match mode {
                        Mode::Form => self.type_into_field(c),
                        Mode::Dialog => self.type_into_dialog(c),
                        _ => Vec::new(),
                    };
                }
            }
        }
        let Some(action) = action else {
            return Vec::new();
        };
        // Help and a change of language leave the message: it is said again in the new one.
        if self.message.is_some() && !matches!(action, Action::Help | Action::Language) {
            self.message = None;
        }
        self.on_action(mode, action)
    }

    fn on_action(&mut self, mode: Mode, action: Action) -> Vec<Effect> {
        match action {
            Action::Help => {
                self.help = !self.help;
                self.help_scroll = 0;
                return Vec::new();
            }
            Action::Quit => {
                self.quit = true;
                return Vec::new();
            }
            Action::Language => {
                self.lang = self.lang.next();
                self.say_again();
                return Vec::new();
            }
            Action::Theme => {
                self.theme.high_contrast = !self.theme.high_contrast;
                return Vec::new();
            }
            Action::Queue => return self.go_queue(),
            Action::Intake => return self.go_intake(),
            Action::Cases => return self.go_cases(),
            Action::Dashboard => return self.go_dashboard(),
            _ => {}
        }
        match mode {
            Mode::Help => {
                self.help_action(action);
                Vec::new()
            }
            Mode::Dialog => self.dialog_action(action),
            Mode::Global => Vec::new(),
            _ => match self.screen {
                Screen::Queue => self.queue_action(action),
                Screen::Intake => self.form_action(action),
                Screen::Cases if self.detail.is_some() => self.detail_action(action),
                Screen::Cases => self.cases_action(action),
                Screen::Receipt => self.receipt_action(action),
                Screen::Dashboard => self.dashboard_action(action),
            },
        }
    }
}
