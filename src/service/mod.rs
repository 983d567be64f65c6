//! The application core: executes requests on behalf of an identified actor, checks what the
//! actor may do, appends events, answers queries and tells subscribers what changed.
//!
//! The TUI and the CLI talk to the case data only through [`Request`] and [`Response`].

mod clock;
pub mod dashboard;
pub mod fixture;
pub mod queue;
pub mod report;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

pub use clock::Clock;
pub use queue::{Ticket, WalkInQueue};

use crate::calendar::{default_holidays, HolidayCalendar, HolidayData};
use crate::config::{config_path, Config, EXAMPLE_CONFIG_TOML};
use crate::domain::case::StoredEvent;
use crate::domain::case::{Actor, Case, CaseState, EventRecord};
use crate::domain::intake::{Draft, FieldProblem, IntakeForm};
use crate::domain::lifecycle::{self, CaseCommand, LifecycleError, ReceiptCommand};
use crate::domain::query::CaseQuery;
use crate::domain::receipt::{self, ReceiptContext};
use crate::domain::regulation::{Action, DEFAULT_REGULATION_TOML};
use crate::domain::Regulation;
use crate::source_error::{field_error, from_toml_error, FieldErrors};
use crate::store::{CaseStore, PgStore, Store, StoreError, StoreOptions, WriteView};

/// Everything a client may ask of the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// Accept a package (or refuse to accept it when documents are missing). `opened_at` is when
    /// intake opened at the counter; it defaults to now.
    Accept {
        form: IntakeForm,
        opened_at: Option<DateTime<Utc>>,
    },
    Act {
        case: String,
        command: CaseCommand,
    },
    /// Render and print the receipt; any print after the first is a duplicate.
    PrintReceipt {
        case: String,
    },
    VoidReceipt {
        case: String,
        reason: String,
    },
    GetCase {
        case: String,
    },
    History {
        case: String,
    },
    ReceiptText {
        case: String,
        width: usize,
    },
    List(CaseQuery),
    /// A walk-in arrival; without a number the next one is issued.
    RegisterArrival {
        ticket: Option<String>,
        channel: String,
        measure: String,
    },
    /// Call the longest-waiting person of my office to my counter.
    CallNext,
    /// My office's walk-in queue.
    Queue,
    /// Keep my half-typed intake (or forget it with `None`), so a dropped link loses nothing.
    SaveDraft(Option<Draft>),
    LoadDraft,
    /// The supervisor's dashboard now.
    Dashboard,
    /// A write the client may send again when its answer is lost: on an engine that keeps
    /// request ids (PostgreSQL), the same id is recorded once and the retry gets the case as
    /// recorded. Ids are the client's own (one per request), at most 100 plain characters.
    Once {
        request_id: String,
        request: Box<Request>,
    },
    /// Figures for the cases whose intake opened in `[from, to)`, of one office or all.
    Report {
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        office: Option<String>,
    },
}

impl Request {
    /// The kind of request, for logs that must not carry personal data.
    pub fn kind(&self) -> &'static str {
        match self {
            Request::Accept { .. } => "accept",
            Request::Act { .. } => "act",
            Request::PrintReceipt { .. } => "print-receipt",
            Request::VoidReceipt { .. } => "void-receipt",
            Request::GetCase { .. } => "get-case",
            Request::History { .. } => "history",
            Request::ReceiptText { .. } => "receipt-text",
            Request::List(_) => "list",
            Request::RegisterArrival { .. } => "register-arrival",
            Request::CallNext => "call-next",
            Request::Queue => "queue",
            Request::SaveDraft(_) => "save-draft",
            Request::LoadDraft => "load-draft",
            Request::Dashboard => "dashboard",
            Request::Once { request, .. } => request.kind(),
            Request::Report { .. } => "report",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    Case(Box<Case>),
    Cases(Vec<Case>),
    History(Vec<StoredEvent>),
    Text(Vec<String>),
    Printed {
        case: Box<Case>,
        duplicate: bool,
        /// Why printing failed; the receipt keeps its number and is marked unprinted.
        error: Option<String>,
    },
    Ticket(Option<Ticket>),
    Queue(Vec<Ticket>),
    Draft(Option<Draft>),
    Dashboard(Box<dashboard::DashboardView>),
    Report(Box<report::Report>),
    Done,
}

/// What changed on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseChange {
    /// The event's place in the log.
    pub seq: u64,
    pub case_id: u64,
    pub receipt_no: crate::domain::receipt::ReceiptNo,
    pub office: String,
    /// The step the case is at now, if open.
    pub step: Option<String>,
    pub deadline: Option<DateTime<Utc>>,
    /// Who made the change.
    pub staff_id: String,
}

/// A change pushed to subscribers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    /// A case changed: enough to know which lists to refresh, without its personal data
    /// (clients ask for what they show).
    Case(CaseChange),
    /// An office's walk-in queue changed.
    Queue { office: String },
    /// Sent by a client's transport, never by the core: the link to the daemon dropped
    /// (`false`) or came back (`true`).
    Link { connected: bool },
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("no case `{0}`: give a case number or a receipt number")]
    NotFound(String),
    #[error("{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldProblem>),
    #[error("{0}")]
    Lifecycle(#[from] LifecycleError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the draft could not be kept: {0}")]
    Draft(String),
    /// A worker of the core failed (a panic while holding shared state); restart frontdesk.
    #[error("internal failure in {0}; restart frontdesk")]
    Internal(String),
}

/// Where the site's files are and which to use instead of the embedded defaults.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    pub data_dir: PathBuf,
    /// A PostgreSQL URL given on the command line or in the environment: over the
    /// configuration's `[store] url`.
    pub store_url: Option<String>,
    pub regulation: Option<PathBuf>,
    pub calendar: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("{0}")]
    Files(#[from] FieldErrors),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// The configuration, regulation and holidays of a site, loaded and cross-checked.
pub struct Site {
    pub config: Config,
    pub regulation: Arc<Regulation>,
    /// The regulation and calendar files as read, for clients of a daemon to parse alike.
    pub sources: SiteSources,
    /// The PostgreSQL database of the cases, if not the data directory's sled store.
    pub store_url: Option<String>,
}

/// The text of the site's regulation and calendar (`None`: the embedded one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSources {
    pub regulation: Option<String>,
    pub calendar: Option<String>,
}

impl SiteSources {
    /// Parses the regulation the way the daemon did.
    pub fn regulation(&self) -> Result<Regulation, FieldErrors> {
        let holidays = match &self.calendar {
            Some(source) => Arc::new(load_holidays("daemon's calendar", source)?),
            None => default_holidays(),
        };
        match &self.regulation {
            Some(source) => Regulation::parse("daemon's regulation", source, holidays),
            None => Regulation::parse("embedded regulation", DEFAULT_REGULATION_TOML, holidays),
        }
    }
}

/// Reads a site file, naming it when it cannot be read.
pub fn read(path: &Path) -> Result<String, SetupError> {
    std::fs::read_to_string(path).map_err(|source| SetupError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// Parses and validates a holiday calendar file.
pub fn load_holidays(name: &str, source: &str) -> Result<HolidayCalendar, FieldErrors> {
    let data: HolidayData =
        toml::from_str(source).map_err(|e| FieldErrors(vec![from_toml_error(name, source, &e)]))?;
    let problems = data.validate();
    if !problems.is_empty() {
        return Err(FieldErrors(
            problems
                .into_iter()
                .map(
                    |crate::calendar::HolidayDataError::Invalid { path, message }| {
                        field_error(name, source, &path, message)
                    },
                )
                .collect(),
        ));
    }
    Ok(HolidayCalendar::new(&data))
}

impl Site {
    /// How the store is opened for this site: its cache size, every write durable.
    pub fn store_options(&self) -> StoreOptions {
        StoreOptions {
            cache_capacity: self.config.cache_capacity_mb.max(1) * 1024 * 1024,
            durable: true,
        }
    }

    /// Loads the data directory's configuration (or the embedded example when there is none),
    /// then the regulation and calendar: command-line files first, then the configuration's,
    /// then the embedded ones.
    pub fn load(options: &SiteOptions) -> Result<Site, SetupError> {
        let path = config_path(&options.data_dir);
        let (config_name, config_source) = if path.exists() {
            (path.display().to_string(), read(&path)?)
        } else {
            (
                "embedded configuration".to_string(),
                EXAMPLE_CONFIG_TOML.to_string(),
            )
        };
        let config = Config::parse(&config_name, &config_source)?;
        let mut sources = SiteSources::default();
        let holidays = match options.calendar.as_ref().or(config.calendar.as_ref()) {
            Some(path) => {
                let source = read(path)?;
                let holidays = Arc::new(load_holidays(&path.display().to_string(), &source)?);
                sources.calendar = Some(source);
                holidays
            }
            None => default_holidays(),
        };
        let regulation = match options.regulation.as_ref().or(config.regulation.as_ref()) {
            Some(path) => {
                let source = read(path)?;
                let regulation = Regulation::parse(&path.display().to_string(), &source, holidays)?;
                sources.regulation = Some(source);
                regulation
            }
            None => Regulation::parse("embedded regulation", DEFAULT_REGULATION_TOML, holidays)?,
        };
        config.validate(&config_name, &config_source, &regulation)?;
        let store_url = options
            .store_url
            .clone()
            .filter(|url| !url.trim().is_empty())
            .or_else(|| config.store.url.clone());
        Ok(Site {
            store_url,
            config,
            regulation: Arc::new(regulation),
            sources,
        })
    }
}

pub struct Service {
    store: Box<dyn CaseStore>,
    site: Site,
    clock: Clock,
    /// Shared with the store's watcher, which tells of other daemons' events.
    subscribers: Arc<Mutex<Vec<Sender<Notice>>>>,
    queue: Mutex<WalkInQueue>,
    /// Built at the first dashboard request, then kept up to date by every write (and every
    /// event another daemon writes to a shared store).
    aggregates: Arc<Mutex<Option<dashboard::Aggregates>>>,
}

/// Tells every subscriber that a case changed; a subscriber that went away is dropped.
fn publish_to(subscribers: &Mutex<Vec<Sender<Notice>>>, stored: &StoredEvent, case: &Case) {
    if let Ok(mut subscribers) = subscribers.lock() {
        let step = case.current_step();
        let notice = Notice::Case(CaseChange {
            seq: stored.seq,
            case_id: case.id,
            receipt_no: case.receipt_no.clone(),
            office: case.office.clone(),
            step: step.map(|s| s.step_id.clone()),
            deadline: step.map(|s| s.deadline),
            staff_id: stored.record.actor.staff_id.clone(),
        });
        subscribers.retain(|s| s.send(notice.clone()).is_ok());
    }
}

impl Service {
    pub fn new(store: Box<dyn CaseStore>, site: Site, clock: Clock) -> Service {
        let service = Service {
            store,
            site,
            clock,
            subscribers: Arc::new(Mutex::new(Vec::new())),
            queue: Mutex::new(WalkInQueue::default()),
            aggregates: Arc::new(Mutex::new(None)),
        };
        // Events other daemons append to a shared store reach this one's screens and totals.
        let subscribers = service.subscribers.clone();
        let aggregates = service.aggregates.clone();
        let regulation = service.site.regulation.clone();
        service.store.watch(Box::new(move |stored, previous, case| {
            if let Ok(mut aggregates) = aggregates.lock() {
                if let Some(aggregates) = aggregates.as_mut() {
                    aggregates.apply(&regulation, previous, case);
                }
            }
            publish_to(&subscribers, stored, case);
        }));
        service
    }

    /// Opens the store of the site's data directory.
    pub fn open(site: Site, data_dir: &Path, clock: Clock) -> Result<Service, StoreError> {
        let options = site.store_options();
        Self::open_with(site, data_dir, clock, options)
    }

    pub fn open_with(
        site: Site,
        data_dir: &Path,
        clock: Clock,
        options: StoreOptions,
    ) -> Result<Service, StoreError> {
        let store: Box<dyn CaseStore> = match &site.store_url {
            Some(url) => Box::new(PgStore::open(url, &site.regulation)?),
            None => Box::new(Store::open(data_dir, &site.regulation, options)?),
        };
        Ok(Service::new(store, site, clock))
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn regulation(&self) -> &Regulation {
        &self.site.regulation
    }

    pub fn regulation_arc(&self) -> Arc<Regulation> {
        self.site.regulation.clone()
    }

    pub fn sources(&self) -> &SiteSources {
        &self.site.sources
    }

    pub fn config(&self) -> &Config {
        &self.site.config
    }

    pub fn store(&self) -> &dyn CaseStore {
        self.store.as_ref()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Events from now on; a subscriber that goes away is dropped.
    pub fn subscribe(&self) -> Receiver<Notice> {
        let (sender, receiver) = channel();
        if let Ok(mut subscribers) = self.subscribers.lock() {
            subscribers.push(sender);
        }
        receiver
    }

    fn publish(&self, stored: &StoredEvent, case: &Case) {
        publish_to(&self.subscribers, stored, case);
    }

    fn publish_queue(&self, office: &str) {
        if let Ok(mut subscribers) = self.subscribers.lock() {
            let notice = Notice::Queue {
                office: office.to_string(),
            };
            subscribers.retain(|s| s.send(notice.clone()).is_ok());
        }
    }

    fn find(&self, reference: &str) -> Result<Case, ServiceError> {
        self.store
            .find(reference)?
            .ok_or_else(|| ServiceError::NotFound(reference.to_string()))
    }

    /// The local calendar year of an instant at the actor's office.
    fn office_year(&self, channel: &str, at: DateTime<Utc>) -> i32 {
        self.regulation()
            .channel(channel)
            .ok()
            .and_then(|c| self.regulation().calendar(&c.schedule))
            .map_or(at.year(), |c| c.to_local(at).year())
    }

    /// Decides and appends one event. `decide` may run more than once (an engine may retry its
    /// transaction); its refusal is returned as is and nothing is written.
    fn write(
        &self,
        request_id: Option<&str>,
        mut decide: impl FnMut(&dyn WriteView, DateTime<Utc>) -> Result<EventRecord, ServiceError>,
    ) -> Result<Case, ServiceError> {
        let now = self.now();
        let regulation = self.regulation();
        let mut refusal = None;
        let mut decide_event = |view: &dyn WriteView| match decide(view, now) {
            Ok(record) => Ok(Some(record)),
            Err(ServiceError::Store(error)) => Err(error),
            Err(error) => {
                refusal = Some(error);
                Ok(None)
            }
        };
        let mut observe = |previous: Option<&Case>, current: &Case| {
            if let Ok(mut aggregates) = self.aggregates.lock() {
                if let Some(aggregates) = aggregates.as_mut() {
                    aggregates.apply(regulation, previous, current);
                }
            }
        };
        match self
            .store
            .append_request(request_id, &mut decide_event, &mut observe)?
        {
            Some((stored, case)) => {
                self.publish(&stored, &case);
                Ok(case)
            }
            None => Err(refusal.take().unwrap_or_else(|| {
                ServiceError::Internal("a write declined without a reason".into())
            })),
        }
    }

    /// Executes one request for `actor`.
    pub fn execute(&self, actor: &Actor, request: Request) -> Result<Response, ServiceError> {
        match request {
            Request::Once {
                request_id,
                request,
            } => {
                let plain = !request_id.is_empty()
                    && request_id.chars().count() <= 100
                    && request_id.chars().all(|c| c.is_ascii_graphic());
                if !plain || matches!(*request, Request::Once { .. }) {
                    return Err(ServiceError::Invalid(vec![FieldProblem {
                        field: "request_id".into(),
                        message: "must be 1 to 100 printable ASCII characters, around one request"
                            .into(),
                    }]));
                }
                // Per staff member, so that nobody reaches another's request by its id.
                let key = format!("{}/{request_id}", actor.staff_id);
                self.run(actor, *request, Some(&key))
            }
            request => self.run(actor, request, None),
        }
    }

    fn run(
        &self,
        actor: &Actor,
        request: Request,
        request_id: Option<&str>,
    ) -> Result<Response, ServiceError> {
        if self
            .config()
            .staff_member(&actor.staff_id)
            .is_none_or(|s| s.actor() != *actor)
        {
            return Err(ServiceError::Forbidden(format!(
                "`{}` is not on the staff list with that role and office",
                actor.staff_id
            )));
        }
        let regulation = self.regulation();
        match request {
            Request::Accept { form, opened_at } => {
                let intake = form.validate(regulation).map_err(ServiceError::Invalid)?;
                let office = self.config().office(&actor.office).ok_or_else(|| {
                    ServiceError::Forbidden(format!(
                        "your office `{}` is not configured",
                        actor.office
                    ))
                })?;
                if office.channel != intake.channel {
                    return Err(ServiceError::Forbidden(format!(
                        "office {} serves the `{}` channel, not `{}`",
                        office.code, office.channel, intake.channel
                    )));
                }
                let case = self.write(request_id, |view, now| {
                    let opened_at = opened_at.unwrap_or(now).min(now);
                    let year = self.office_year(&intake.channel, now);
                    let receipt_no = view.next_receipt_no(&actor.office, year)?;
                    let event = lifecycle::open_case(
                        regulation,
                        actor,
                        intake.clone(),
                        opened_at,
                        now,
                        receipt_no,
                    )?;
                    Ok(EventRecord {
                        case_id: view.next_case_id()?,
                        actor: actor.clone(),
                        at: now,
                        event,
                    })
                })?;
                Ok(Response::Case(Box::new(case)))
            }
            Request::Act { case, command } => {
                if let CaseCommand::Act {
                    action: Action::AssignExecutor,
                    executor: Some(executor),
                } = &command
                {
                    match self.config().staff_member(executor.trim()) {
                        Some(staff) if staff.role == "executor" => {}
                        Some(staff) => {
                            return Err(ServiceError::Forbidden(format!(
                                "{} is a {}, not an executor",
                                staff.id, staff.role
                            )))
                        }
                        None => return Err(ServiceError::NotFound(format!("executor {executor}"))),
                    }
                }
                let id = self.find(&case)?.id;
                let case = self.write(request_id, |view, now| {
                    let current = view
                        .case(id)?
                        .ok_or_else(|| ServiceError::NotFound(case.clone()))?;
                    let event = lifecycle::decide(regulation, &current, actor, now, &command)?;
                    Ok(EventRecord {
                        case_id: id,
                        actor: actor.clone(),
                        at: now,
                        event,
                    })
                })?;
                Ok(Response::Case(Box::new(case)))
            }
            Request::VoidReceipt { case, reason } => {
                let case =
                    self.receipt_event(actor, &case, ReceiptCommand::Void { reason }, request_id)?;
                Ok(Response::Case(Box::new(case)))
            }
            Request::PrintReceipt { case } => {
                let current = self.find(&case)?;
                // Check before printing that this actor may record the print.
                lifecycle::decide_receipt(
                    regulation,
                    &current,
                    actor,
                    self.now(),
                    &ReceiptCommand::Printed,
                )?;
                let duplicate = current.receipt.printed > 0;
                let text = self
                    .receipt_lines(&current, self.config().receipt_width, duplicate)
                    .join("\n");
                let outcome =
                    crate::printer::print(&self.config().print_command, &format!("{text}\n"));
                let command = match &outcome {
                    Ok(()) => ReceiptCommand::Printed,
                    Err(error) => ReceiptCommand::PrintFailed {
                        error: error.clone(),
                    },
                };
                let case = self.receipt_event(actor, &case, command, request_id)?;
                Ok(Response::Printed {
                    case: Box::new(case),
                    duplicate,
                    error: outcome.err(),
                })
            }
            Request::GetCase { case } => Ok(Response::Case(Box::new(self.find(&case)?))),
            Request::History { case } => {
                let id = self.find(&case)?.id;
                Ok(Response::History(self.store.history(id)?))
            }
            Request::ReceiptText { case, width } => {
                let case = self.find(&case)?;
                Ok(Response::Text(self.receipt_lines(
                    &case,
                    width,
                    case.receipt.printed > 0,
                )))
            }
            Request::List(query) => Ok(Response::Cases(self.store.query(&query)?)),
            Request::RegisterArrival {
                ticket,
                channel,
                measure,
            } => {
                regulation.channel(&channel).map_err(|e| {
                    ServiceError::Invalid(vec![FieldProblem {
                        field: "channel".into(),
                        message: e.to_string(),
                    }])
                })?;
                regulation.measure(&measure).map_err(|e| {
                    ServiceError::Invalid(vec![FieldProblem {
                        field: "measure".into(),
                        message: e.to_string(),
                    }])
                })?;
                let ticket = self
                    .queue
                    .lock()
                    .map_err(|_| ServiceError::Internal("the walk-in queue".into()))?
                    .arrive(ticket, &actor.office, &channel, &measure, self.now());
                self.publish_queue(&actor.office);
                Ok(Response::Ticket(Some(ticket)))
            }
            Request::CallNext => {
                let ticket = self
                    .queue
                    .lock()
                    .map_err(|_| ServiceError::Internal("the walk-in queue".into()))?
                    .call_next(&actor.office, &actor.staff_id, self.now());
                if ticket.is_some() {
                    self.publish_queue(&actor.office);
                }
                Ok(Response::Ticket(ticket))
            }
            Request::Queue => Ok(Response::Queue(
                self.queue
                    .lock()
                    .map_err(|_| ServiceError::Internal("the walk-in queue".into()))?
                    .list(&actor.office),
            )),
            Request::SaveDraft(draft) => {
                self.store
                    .save_draft(&actor.staff_id, draft.as_ref())
                    .map_err(|e| ServiceError::Draft(e.to_string()))?;
                Ok(Response::Done)
            }
            Request::LoadDraft => Ok(Response::Draft(self.store.load_draft(&actor.staff_id)?)),
            Request::Dashboard => Ok(Response::Dashboard(Box::new(self.dashboard(actor)?))),
            Request::Once { .. } => Err(ServiceError::Invalid(vec![FieldProblem {
                field: "request".into(),
                message: "a request with an id holds one plain request".into(),
            }])),
            Request::Report { from, to, office } => {
                let query = CaseQuery {
                    opened_from: from,
                    opened_to: to,
                    ..CaseQuery::default()
                };
                let mut cases = if from.is_some() || to.is_some() {
                    self.store.query(&query)?
                } else {
                    self.store.all_cases()?
                };
                if let Some(office) = &office {
                    cases.retain(|c| c.office == *office);
                }
                let mut report = report::build(self.regulation(), &cases, self.now());
                report.from = from;
                report.to = to;
                report.office = office;
                Ok(Response::Report(Box::new(report)))
            }
        }
    }

    /// The dashboard for the actor's office at this instant.
    pub fn dashboard(&self, actor: &Actor) -> Result<dashboard::DashboardView, ServiceError> {
        let now = self.now();
        let channel = self
            .config()
            .office(&actor.office)
            .map(|o| o.channel.clone())
            .unwrap_or_default();
        let tickets = self
            .queue
            .lock()
            .map_err(|_| ServiceError::Internal("the walk-in queue".into()))?
            .list(&actor.office);
        let calendar = self
            .regulation()
            .channel(&channel)
            .ok()
            .and_then(|c| self.regulation().calendar(&c.schedule));
        let today = calendar.map_or(now.date_naive(), |c| c.to_local(now).date_naive());
        let local_day =
            |t: DateTime<Utc>| calendar.map_or(t.date_naive(), |c| c.to_local(t).date_naive());
        let queue = dashboard::QueueRow {
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
        let built = self
            .aggregates
            .lock()
            .map_err(|_| ServiceError::Internal("the dashboard totals".into()))?
            .is_some();
        if !built {
            // Built with writes paused (lock order: writer, then totals — as in `write`), so no
            // event is counted twice or missed.
            let mut rebuilt = None;
            self.store
                .with_appends_paused(&mut || rebuilt = Some(self.rebuild_aggregates()))?;
            let rebuilt =
                rebuilt.ok_or_else(|| ServiceError::Internal("the dashboard rebuild".into()))??;
            *self
                .aggregates
                .lock()
                .map_err(|_| ServiceError::Internal("the dashboard totals".into()))? =
                Some(rebuilt);
        }
        let aggregates = self
            .aggregates
            .lock()
            .map_err(|_| ServiceError::Internal("the dashboard totals".into()))?;
        let aggregates = aggregates
            .as_ref()
            .ok_or_else(|| ServiceError::Internal("the dashboard totals".into()))?;
        Ok(aggregates.view(self.regulation(), &channel, queue, now))
    }

    /// Every case read once into fresh dashboard totals.
    pub fn rebuild_aggregates(&self) -> Result<dashboard::Aggregates, ServiceError> {
        // Two halves in two threads: decoding 100,000 cases is most of the work.
        let end = self.store.next_case_id()?;
        let middle = end / 2;
        let half = |from: u64, to: u64| -> Result<dashboard::Aggregates, StoreError> {
            let mut aggregates = dashboard::Aggregates::default();
            self.store
                .for_each_state_in(from, to, &CaseState::is_open, &mut |state, whole| {
                    aggregates.add_stored(self.regulation(), &state, whole.as_ref())
                })?;
            Ok(aggregates)
        };
        let (first, second) = std::thread::scope(|scope| {
            let first = scope.spawn(|| half(0, middle));
            let second = half(middle, end);
            (first.join(), second)
        });
        let mut aggregates =
            first.map_err(|_| ServiceError::Internal("the dashboard rebuild".into()))??;
        aggregates.merge(second?);
        Ok(aggregates)
    }

    fn receipt_event(
        &self,
        actor: &Actor,
        reference: &str,
        command: ReceiptCommand,
        request_id: Option<&str>,
    ) -> Result<Case, ServiceError> {
        let id = self.find(reference)?.id;
        self.write(request_id, |view, now| {
            let current = view
                .case(id)?
                .ok_or_else(|| ServiceError::NotFound(reference.to_string()))?;
            let event =
                lifecycle::decide_receipt(self.regulation(), &current, actor, now, &command)?;
            Ok(EventRecord {
                case_id: id,
                actor: actor.clone(),
                at: now,
                event,
            })
        })
    }

    /// The receipt of a case as text lines of `width` columns.
    pub fn receipt_lines(&self, case: &Case, width: usize, duplicate: bool) -> Vec<String> {
        let regulation = self.regulation();
        let office = self.config().office(&case.office);
        let time_zone = regulation
            .channel(&case.intake.channel)
            .ok()
            .and_then(|c| regulation.calendar(&c.schedule))
            .map_or(chrono_tz::Asia::Almaty, |c| c.time_zone());
        let result_due = regulation
            .route(
                &case.intake.channel,
                &case.intake.measures,
                case.window.opened_at,
            )
            .ok()
            .and_then(|route| route.last().map(|s| s.deadline));
        let context = ReceiptContext {
            office_name: office.map(|o| o.name.clone()).unwrap_or_default(),
            office_address: office.map(|o| o.address.clone()).unwrap_or_default(),
            office_phone: office.map(|o| o.phone.clone()).unwrap_or_default(),
            time_zone,
            employee_name: self
                .config()
                .staff_member(&case.accepted_by)
                .map_or(case.accepted_by.clone(), |s| s.name.clone()),
            result_due,
            duplicate,
        };
        receipt::render(regulation, case, &context, width)
    }
}
