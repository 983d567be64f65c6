//! The wire contract: what a client may ask of the core, what it answers, and what it pushes
//! to subscribers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{dashboard, report, Ticket};
use crate::domain::case::{Case, CaseId, StoredEvent};
use crate::domain::intake::{Draft, IntakeForm};
use crate::domain::lifecycle::CaseCommand;
use crate::domain::query::CaseQuery;

/// Everything a client may ask of the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// Accept a package (or refuse to accept it when documents are missing). `opened_at` is when
    /// intake opened at the counter; it defaults to now. `draft` is the slot of my draft of this
    /// form ([`Draft::slot`]): the core forgets it once the case is durably recorded, so a
    /// submitted form never comes back.
    Accept {
        form: IntakeForm,
        opened_at: Option<DateTime<Utc>>,
        draft: Option<String>,
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
    /// Keep one of my half-typed intakes, in the slot of its ticket (the form without a
    /// ticket has its own), so a dropped link loses none of the forms I have open.
    SaveDraft(Draft),
    /// Forget my draft in `slot` ([`Draft::slot`]): given up.
    DropDraft {
        slot: String,
    },
    /// Every draft I have kept, oldest opened first.
    LoadDrafts,
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
    /// Cases matching `query` (its own `limit` is ignored) numbered after `after`, in case-number
    /// order, at most `limit` of them: for exports and long lists, page by page.
    Page {
        query: CaseQuery,
        after: CaseId,
        limit: usize,
    },
    /// Call one waiting person of my office, by ticket number.
    CallTicket {
        number: String,
    },
}

impl Request {
    /// Whether the request changes what is recorded (a case, a receipt, the queue, a draft).
    pub fn writes(&self) -> bool {
        if let Request::Once { request, .. } = self {
            return request.writes();
        }
        matches!(
            self,
            Request::Accept { .. }
                | Request::Act { .. }
                | Request::PrintReceipt { .. }
                | Request::VoidReceipt { .. }
                | Request::RegisterArrival { .. }
                | Request::CallNext
                | Request::CallTicket { .. }
                | Request::SaveDraft(_)
                | Request::DropDraft { .. }
        )
    }

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
            Request::CallTicket { .. } => "call-ticket",
            Request::Queue => "queue",
            Request::SaveDraft(_) => "save-draft",
            Request::DropDraft { .. } => "drop-draft",
            Request::LoadDrafts => "load-drafts",
            Request::Dashboard => "dashboard",
            Request::Once { request, .. } => request.kind(),
            Request::Report { .. } => "report",
            Request::Page { .. } => "page",
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
    Drafts(Vec<Draft>),
    Dashboard(Box<dashboard::DashboardView>),
    Report(Box<report::Report>),
    Done,
    /// One page of cases; ask again with `after: next` until `next` is `None`.
    Page {
        cases: Vec<Case>,
        next: Option<CaseId>,
    },
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
    /// The core's link to its database (PostgreSQL, shared with other daemons) dropped
    /// (`false`: it reconnects by itself, and nothing can be saved meanwhile) or is back.
    Store { reachable: bool },
}
