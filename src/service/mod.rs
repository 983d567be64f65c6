//! The application core: executes requests on behalf of an identified actor, checks what the
//! actor may do, appends events, answers queries and tells subscribers what changed.
//!
//! The TUI and the CLI talk to the case data only through [`Request`] and [`Response`].

mod answers;
mod clock;
pub mod dashboard;
pub mod failure;
pub mod fixture;
pub mod port;
pub mod queue;
mod receipts;
pub mod report;
mod request;
pub mod scope;
mod site;
pub mod validate;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Datelike, Utc};

pub use crate::domain::intake::Draft;
use crate::domain::intake::MAX_DRAFTS_PER_CLERK;
/// How a stored print failure reads back, for screens that say it in the clerk's language.
pub use crate::printer::PrintFailure;
/// What opening the store repaired, for screens that say it in the clerk's language.
pub use crate::store::OpenRepair;
pub use clock::Clock;
pub use failure::{Failure, FailureKind, Forbidden, LinkFailure, StoreFailure};
pub use queue::{QueueError, Ticket, WalkInQueue};
pub use request::{CaseChange, Notice, Request, Response};
pub use site::{load_holidays, read, SetupError, Site, SiteOptions, SiteSources};

use crate::config::Config;
use crate::domain::case::StoredEvent;
use crate::domain::case::{Actor, Case, CaseId, CaseState, EventRecord};
use crate::domain::intake::FieldProblem;
use crate::domain::lifecycle::{self, CaseCommand, LifecycleError, ReceiptCommand};
use crate::domain::query::{CaseQuery, StepOwners};
use crate::domain::regulation::Action;
use crate::domain::Regulation;
use crate::store::{CaseStore, PgStore, Store, StoreError, StoreOptions, WriteView};

/// The most cases of one applicant looked at when a draft is matched to a recorded case.
const MAX_PAGE_OF_ONE_APPLICANT: usize = 100;

/// The most case numbers one page request reads.
pub const PAGE_SCAN: u64 = 20_000;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not allowed: {0}")]
    Forbidden(Forbidden),
    #[error("no case `{0}`: give a case number or a receipt number")]
    NotFound(String),
    #[error("{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldProblem>),
    #[error("ticket: {0}")]
    Queue(QueueError),
    #[error("{0}")]
    Lifecycle(#[from] LifecycleError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the draft could not be kept: {0}")]
    Draft(StoreError),
    /// The same form (the applicant's IIN and its opening instant) was accepted already, from
    /// this session or another of the same clerk.
    #[error("this form was accepted already: receipt {receipt_no}; find it under the cases, do not accept it again")]
    AlreadyAccepted { receipt_no: String },
    /// A worker of the core failed (a panic while holding shared state); restart frontdesk.
    #[error("internal failure in {0}; restart frontdesk")]
    Internal(String),
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
    totals: Arc<Mutex<dashboard::Totals>>,
    /// Held by the one request that builds the totals.
    totals_build: Mutex<()>,
    /// The answers to the latest writes sent with a request id, for a client that sends one
    /// again after losing its answer.
    answers: answers::Answers,
    /// Whether the store's database can be reached now (always, for a store in its own files).
    store_reachable: Arc<AtomicBool>,
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

/// Tells every subscriber `notice`; a subscriber that went away is dropped.
fn publish_notice(subscribers: &Mutex<Vec<Sender<Notice>>>, notice: Notice) {
    if let Ok(mut subscribers) = subscribers.lock() {
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
            totals: Arc::new(Mutex::new(dashboard::Totals::default())),
            totals_build: Mutex::new(()),
            answers: answers::Answers::default(),
            store_reachable: Arc::new(AtomicBool::new(true)),
        };
        // Events other daemons append to a shared store reach this one's screens and totals.
        let subscribers = service.subscribers.clone();
        let totals = service.totals.clone();
        let regulation = service.site.regulation.clone();
        let link_subscribers = service.subscribers.clone();
        let reachable = service.store_reachable.clone();
        service.store.watch(
            Box::new(move |stored, previous, case| {
                if let Ok(mut totals) = totals.lock() {
                    totals.observe(&regulation, previous, case);
                }
                publish_to(&subscribers, stored, case);
            }),
            // Screens say "reconnecting" once, rather than fail request after request.
            Box::new(move |up| {
                reachable.store(up, Ordering::SeqCst);
                publish_notice(&link_subscribers, Notice::Store { reachable: up });
            }),
        );
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

    /// Events from now on; a subscriber that goes away is dropped. One that comes while the
    /// database cannot be reached is told so first.
    pub fn subscribe(&self) -> Receiver<Notice> {
        let (sender, receiver) = channel();
        if let Ok(mut subscribers) = self.subscribers.lock() {
            if !self.store_reachable() {
                let _ = sender.send(Notice::Store { reachable: false });
            }
            subscribers.push(sender);
        }
        receiver
    }

    /// Whether the store's database can be reached now, as its link watch last said.
    pub fn store_reachable(&self) -> bool {
        self.store_reachable.load(Ordering::SeqCst)
    }

    fn publish(&self, stored: &StoredEvent, case: &Case) {
        publish_to(&self.subscribers, stored, case);
    }

    fn publish_queue(&self, office: &str) {
        publish_notice(
            &self.subscribers,
            Notice::Queue {
                office: office.to_string(),
            },
        );
    }

    fn find(&self, reference: &str) -> Result<Case, ServiceError> {
        self.store
            .find(reference)?
            .ok_or_else(|| ServiceError::NotFound(reference.to_string()))
    }

    /// Cases matching `query` numbered after `after`, at most `limit`, reading at most
    /// [`PAGE_SCAN`] case numbers: each answer costs bounded memory and time, however many
    /// cases there are or match.
    fn page(
        &self,
        actor: &Actor,
        query: &CaseQuery,
        after: CaseId,
        limit: usize,
    ) -> Result<Response, ServiceError> {
        let scope = self.scope(actor);
        let end = self.store.next_case_id()?;
        let owners = query
            .owner
            .as_ref()
            .map(|owner| (owner, StepOwners::new(self.regulation())));
        let wanted = |case: &Case| {
            scope.sees(self.regulation(), case)
                && query.matches(case)
                && query.ids.as_ref().is_none_or(|ids| ids.contains(&case.id))
                && owners
                    .as_ref()
                    .is_none_or(|(owner, owners)| owners.of(case).contains(owner))
        };
        let mut cases = Vec::new();
        let mut from = after.saturating_add(1);
        let stop = from.saturating_add(PAGE_SCAN).min(end);
        while from < stop && cases.len() < limit {
            // Case numbers are dense: this span holds at most the cases still wanted.
            let to = from.saturating_add((limit - cases.len()) as u64).min(stop);
            let mut keep = |_: CaseState, whole: Option<Case>| {
                cases.extend(whole.filter(|case| wanted(case)));
            };
            self.store
                .for_each_state_in(from, to, &|_| true, &mut keep)?;
            from = to;
        }
        let next = (from < end).then(|| from - 1);
        Ok(Response::Page { cases, next })
    }

    /// The local calendar year of an instant at the actor's office.
    pub(super) fn office_year(&self, channel: &str, at: DateTime<Utc>) -> i32 {
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
            if let Ok(mut totals) = self.totals.lock() {
                totals.observe(regulation, previous, current);
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
                validate::request_id(&request_id, &request)?;
                // Per staff member, so that nobody reaches another's request by its id.
                let key = format!("{}/{request_id}", actor.staff_id);
                // Answered already (its answer was lost on the way): the same answer again,
                // whatever the engine, and for the walk-in queue, which no store keeps.
                let running = match self.answers.turn(&key)? {
                    answers::Turn::Answered(answer) => return Ok(*answer),
                    answers::Turn::Run(running) => running,
                };
                let response = self.run(actor, *request, Some(&key))?;
                running.finish(&response);
                Ok(response)
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
            return Err(ServiceError::Forbidden(Forbidden::NotOnStaff {
                staff: actor.staff_id.clone(),
            }));
        }
        validate::request(&request)?;
        let regulation = self.regulation();
        match request {
            Request::Accept {
                form,
                opened_at,
                draft,
            } => {
                let intake = form.validate(regulation).map_err(ServiceError::Invalid)?;
                validate::birth_dates(&intake, self.now())?;
                let form_opened_at = opened_at;
                let opened_at =
                    validate::opened_at(regulation, &intake.channel, opened_at, self.now())?;
                let office = self.config().office(&actor.office).ok_or_else(|| {
                    ServiceError::Forbidden(Forbidden::OfficeNotConfigured {
                        office: actor.office.clone(),
                    })
                })?;
                if office.channel != intake.channel {
                    return Err(ServiceError::Forbidden(Forbidden::WrongChannel {
                        office: office.code.clone(),
                        serves: office.channel.clone(),
                        asked: intake.channel.clone(),
                    }));
                }
                // A form accepted once is never accepted again (a second session of the
                // same clerk still holding it, say): a form is its applicant and the instant it
                // opened. A retry after a lost answer goes with the same request id and is
                // answered before it gets here.
                if let Some(form_opened) = form_opened_at {
                    if let Some(earlier) = self
                        .recorded_form(intake.applicant.iin.as_str(), form_opened.min(self.now()))?
                    {
                        return Err(ServiceError::AlreadyAccepted {
                            receipt_no: earlier.receipt_no.to_string(),
                        });
                    }
                }
                let case = self.write(request_id, |view, now| {
                    let opened_at = opened_at.min(now);
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
                // The case stands whatever happens to the draft: one not forgotten now is
                // forgotten when the drafts are next loaded (it matches this case).
                if let Some(slot) = draft {
                    if let Err(error) = self.store.drop_draft(&actor.staff_id, &slot) {
                        tracing::warn!(%error, "a submitted form's draft was not forgotten");
                    }
                }
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
                        staff => {
                            return Err(ServiceError::Forbidden(Forbidden::NotAnExecutor {
                                staff: executor.trim().to_string(),
                                role: staff.map(|s| s.role.clone()),
                            }))
                        }
                    }
                }
                let id = self.find_for(actor, &case)?.id;
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
            Request::PrintReceipt { case } => self.print_receipt(actor, &case, request_id),
            Request::GetCase { case } => Ok(Response::Case(Box::new(self.find_for(actor, &case)?))),
            Request::History { case } => {
                let id = self.find_for(actor, &case)?.id;
                Ok(Response::History(self.store.history(id)?))
            }
            Request::ReceiptText { case, width } => {
                let case = self.find_for(actor, &case)?;
                // The text as last put on paper: the original until a reprint was made.
                Ok(Response::Text(self.receipt_lines(
                    &case,
                    width,
                    case.receipt.printed > 1,
                )))
            }
            Request::List(query) => Ok(Response::Cases(self.list_in_scope(actor, query)?)),
            Request::Page {
                query,
                after,
                limit,
            } => self.page(actor, &query, after, limit),
            Request::RegisterArrival {
                ticket,
                channel,
                measure,
            } => {
                regulation.channel(&channel).map_err(|e| {
                    ServiceError::Invalid(vec![FieldProblem::new(
                        "channel",
                        crate::domain::intake::Problem::Other,
                        e.to_string(),
                    )])
                })?;
                regulation.measure(&measure).map_err(|e| {
                    ServiceError::Invalid(vec![FieldProblem::new(
                        "measure",
                        crate::domain::intake::Problem::Other,
                        e.to_string(),
                    )])
                })?;
                let ticket = self
                    .walk_in_queue(&actor.office)?
                    .arrive(ticket, &actor.office, &channel, &measure, self.now())
                    .map_err(ServiceError::Queue)?;
                self.publish_queue(&actor.office);
                Ok(Response::Ticket(Some(ticket)))
            }
            request @ (Request::CallNext | Request::CallTicket { .. }) => {
                let number = match &request {
                    Request::CallTicket { number } => Some(number.as_str()),
                    _ => None,
                };
                let ticket = self.walk_in_queue(&actor.office)?.call(
                    &actor.office,
                    &actor.staff_id,
                    number,
                    self.now(),
                );
                if ticket.is_some() {
                    self.publish_queue(&actor.office);
                }
                Ok(Response::Ticket(ticket))
            }
            Request::Queue => Ok(Response::Queue(
                self.walk_in_queue(&actor.office)?.list(&actor.office),
            )),
            Request::SaveDraft(draft) => {
                self.save_draft(actor, &draft)?;
                Ok(Response::Done)
            }
            Request::DropDraft { slot } => {
                self.store
                    .drop_draft(&actor.staff_id, &slot)
                    .map_err(ServiceError::Draft)?;
                Ok(Response::Done)
            }
            Request::LoadDrafts => Ok(Response::Drafts(self.load_drafts(actor)?)),
            Request::Dashboard => Ok(Response::Dashboard(Box::new(self.dashboard(actor)?))),
            Request::Once { request, .. } => {
                validate::request_id("", &request)?;
                Err(ServiceError::Internal(
                    "a request id inside a request".into(),
                ))
            }
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
                let scope = self.scope(actor);
                if let Some(office) = &office {
                    if !scope.serves_office(office) {
                        return Err(ServiceError::Forbidden(Forbidden::OfficeNotServed {
                            office: office.clone(),
                        }));
                    }
                    cases.retain(|c| c.office == *office);
                }
                cases.retain(|c| scope.sees(regulation, c));
                let mut report = report::build(self.regulation(), &cases, self.now());
                report.from = from;
                report.to = to;
                report.office = office;
                Ok(Response::Report(Box::new(report)))
            }
        }
    }

    /// Whether a draft's window and grace have passed: its person left, so it does not count
    /// toward the forms a clerk may keep open.
    fn draft_is_stale(&self, draft: &Draft) -> bool {
        let window = validate::window_minutes(self.regulation(), &draft.form.channel);
        draft.is_stale(self.now(), window, validate::LATE_GRACE_MINUTES)
    }

    /// Keeps a draft; a new one is refused when the clerk already keeps
    /// [`MAX_DRAFTS_PER_CLERK`] forms still in their window (the screens count the same way).
    fn save_draft(&self, actor: &Actor, draft: &Draft) -> Result<(), ServiceError> {
        let slot = draft.slot();
        // A form already kept is saved again as it is typed: only a new one is counted.
        if self.store.has_draft(&actor.staff_id, &slot)? {
            return self
                .store
                .save_draft(&actor.staff_id, draft)
                .map_err(ServiceError::Draft);
        }
        let open = self
            .store
            .load_drafts(&actor.staff_id)?
            .iter()
            .filter(|d| !self.draft_is_stale(d))
            .count();
        if !self.draft_is_stale(draft) && open >= MAX_DRAFTS_PER_CLERK {
            return Err(ServiceError::Draft(StoreError::TooManyDrafts {
                limit: MAX_DRAFTS_PER_CLERK,
            }));
        }
        self.store
            .save_draft(&actor.staff_id, draft)
            .map_err(ServiceError::Draft)
    }

    /// The clerk's drafts, without those already submitted: a draft whose case was recorded
    /// (same applicant's IIN, same opening instant) but whose forgetting failed is forgotten
    /// now, so a submitted form never comes back.
    fn load_drafts(&self, actor: &Actor) -> Result<Vec<Draft>, ServiceError> {
        let mut drafts = self.store.load_drafts(&actor.staff_id)?;
        let mut submitted = Vec::new();
        for draft in &drafts {
            if self
                .recorded_form(draft.form.iin.trim(), draft.opened_at)?
                .is_some()
            {
                submitted.push(draft.slot());
            }
        }
        for slot in &submitted {
            self.store
                .drop_draft(&actor.staff_id, slot)
                .map_err(ServiceError::Draft)?;
        }
        drafts.retain(|d| !submitted.contains(&d.slot()));
        Ok(drafts)
    }

    /// The case recorded from one form: the applicant's IIN and the instant the form opened.
    fn recorded_form(
        &self,
        iin: &str,
        opened_at: DateTime<Utc>,
    ) -> Result<Option<Case>, ServiceError> {
        if crate::domain::iin::Iin::parse(iin).is_err() {
            return Ok(None);
        }
        let query = CaseQuery {
            search: Some(iin.to_string()),
            limit: MAX_PAGE_OF_ONE_APPLICANT,
            ..CaseQuery::default()
        };
        Ok(self.store.query(&query)?.into_iter().find(|case| {
            case.intake.applicant.iin.as_str() == iin && case.window.opened_at == opened_at
        }))
    }

    /// The first `query.limit` cases of the list that `actor` may see. The scope is applied
    /// after the store's query, so when cases out of scope took places, the store is asked for
    /// a longer list until the limit is filled or the list ends.
    fn list_in_scope(&self, actor: &Actor, query: CaseQuery) -> Result<Vec<Case>, ServiceError> {
        let scope = self.scope(actor);
        let wanted = query.limit;
        let mut asked = query;
        loop {
            let mut cases = self.store.query(&asked)?;
            let list_ended = asked.limit == 0 || cases.len() < asked.limit;
            cases.retain(|case| scope.sees(self.regulation(), case));
            if list_ended || cases.len() >= wanted {
                if wanted > 0 {
                    cases.truncate(wanted);
                }
                return Ok(cases);
            }
            // Past a quarter of a million rows, read the rest whole rather than again and again.
            asked.limit = match asked.limit.saturating_mul(4) {
                longer if longer > 250_000 => 0,
                longer => longer,
            };
        }
    }

    fn receipt_event(
        &self,
        actor: &Actor,
        reference: &str,
        command: ReceiptCommand,
        request_id: Option<&str>,
    ) -> Result<Case, ServiceError> {
        let id = self.find_for(actor, reference)?.id;
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
}
