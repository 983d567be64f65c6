//! The store contract ([`CaseStore`]) and its engines: `sled` (the embedded default: a
//! hash-chained journal, the truth, with sled trees kept in step with it) and `memory` (tests
//! and training). The service holds a `Box<dyn CaseStore>` and never names an engine.

mod error;
pub mod memory;
pub mod pg;
pub mod sled;

pub use self::sled::{
    create_private_dir, move_aside, owner_only_umask, Store, StoreOptions, DEFAULT_CACHE_BYTES,
};
pub use error::{EngineKind, OpenRepair, StoreError};
pub use memory::MemoryStore;
pub use pg::PgStore;

use crate::domain::case::{Case, CaseId, CaseState, EventRecord, StoredEvent};
use crate::domain::intake::Draft;
use crate::domain::query::CaseQuery;
use crate::domain::receipt::ReceiptNo;

/// What a writer may read while it decides its event: nothing else is appended in between.
pub trait WriteView {
    fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError>;

    /// The number the next new case gets.
    fn next_case_id(&self) -> Result<CaseId, StoreError>;

    /// The next receipt number of an office and year: gapless because it is read inside the
    /// append and committed together with the event that uses it.
    fn next_receipt_no(&self, office: &str, year: i32) -> Result<ReceiptNo, StoreError>;
}

/// A writer's decision on the current state: the event to append, or `None` when it decided
/// not to write (the writer keeps its own reason). An engine may call it more than once (a
/// retried transaction); only the last call's event is stored.
pub type Decide<'a> = dyn FnMut(&dyn WriteView) -> Result<Option<EventRecord>, StoreError> + 'a;

/// Called with the case before and after each stored event, in log order.
pub type Observe<'a> = dyn FnMut(Option<&Case>, &Case) + 'a;

/// Told of each event another process appended to a shared store, with the case before and
/// after it, in each office's log order.
pub type Watch = dyn Fn(&StoredEvent, Option<&Case>, &Case) + Send + Sync;

/// Told when the link to a database shared with other daemons drops (`false`) and when it is
/// back (`true`).
pub type LinkWatch = dyn Fn(bool) + Send + Sync;

/// The one contract every engine keeps. Object-safe, so the service is one concrete type.
pub trait CaseStore: Send + Sync {
    /// Decides and durably appends one event: `decide` runs on the current state with no other
    /// append in between, and nothing is returned before the event is durable.
    fn append(
        &self,
        decide: &mut Decide,
        observe: &mut Observe,
    ) -> Result<Option<(StoredEvent, Case)>, StoreError>;

    /// [`CaseStore::append`] for a request the client may send again (a lost answer): an
    /// engine that keeps request ids returns the event that request already wrote instead of
    /// writing another. Engines that do not keep them just append.
    fn append_request(
        &self,
        request_id: Option<&str>,
        decide: &mut Decide,
        observe: &mut Observe,
    ) -> Result<Option<(StoredEvent, Case)>, StoreError> {
        let _ = request_id;
        self.append(decide, observe)
    }

    /// Calls `notify` for every event that other processes append from now on (a store shared
    /// by several daemons), and `link` when the link to the shared database drops or comes
    /// back. A store only this process writes, in its own files, has nothing to tell.
    fn watch(&self, notify: Box<Watch>, link: Box<LinkWatch>) {
        let _ = (notify, link);
    }

    fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError>;

    /// A case by its receipt number, in any letter case.
    fn case_by_receipt(&self, receipt_no: &str) -> Result<Option<Case>, StoreError>;

    /// The cases matching `query`, in [`crate::domain::query::list_order`].
    fn query(&self, query: &CaseQuery) -> Result<Vec<Case>, StoreError>;

    /// The events of a case, oldest first.
    fn history(&self, id: CaseId) -> Result<Vec<StoredEvent>, StoreError>;

    /// Calls `f` with the state of every case numbered in `[from, to)`, in number order, and the
    /// whole case when `want_whole` says so.
    fn for_each_state_in(
        &self,
        from: CaseId,
        to: CaseId,
        want_whole: &dyn Fn(&CaseState) -> bool,
        f: &mut dyn FnMut(CaseState, Option<Case>),
    ) -> Result<(), StoreError>;

    /// One more than the highest case number (1 when there is none).
    fn next_case_id(&self) -> Result<CaseId, StoreError>;

    /// Runs `f` while no append can happen.
    fn with_appends_paused(&self, f: &mut dyn FnMut()) -> Result<(), StoreError>;

    /// Keeps one of a clerk's half-typed intakes in its slot ([`Draft::slot`]: its ticket's
    /// number and arrival), replacing the one there; a new slot beyond
    /// [`MAX_KEPT_DRAFTS`](crate::domain::intake::MAX_KEPT_DRAFTS) is refused with
    /// [`StoreError::TooManyDrafts`] (the core counts forms still in their window itself).
    fn save_draft(&self, staff_id: &str, draft: &Draft) -> Result<(), StoreError>;

    /// Forgets the clerk's draft in `slot` (submitted, or given up); one not there is no error.
    fn drop_draft(&self, staff_id: &str, slot: &str) -> Result<(), StoreError>;

    /// Every draft the clerk has kept, in [`sort_drafts`](crate::domain::intake::sort_drafts) order.
    fn load_drafts(&self, staff_id: &str) -> Result<Vec<Draft>, StoreError>;

    /// Whether the clerk keeps a draft in `slot`: the question every save of a form asks, so
    /// engines that can answer it without reading every draft do.
    fn has_draft(&self, staff_id: &str, slot: &str) -> Result<bool, StoreError> {
        Ok(self
            .load_drafts(staff_id)?
            .iter()
            .any(|draft| draft.slot() == slot))
    }

    /// Makes everything appended so far durable (after a bulk load) and the engine's own files
    /// current.
    fn flush(&self) -> Result<(), StoreError>;

    /// Something the operator must know from opening: a repair, say.
    fn open_notice(&self) -> Option<String>;

    /// The same, as kinds the screens say in the clerk's language.
    fn open_repairs(&self) -> Vec<OpenRepair> {
        Vec::new()
    }

    /// A case by its number or its receipt number.
    fn find(&self, reference: &str) -> Result<Option<Case>, StoreError> {
        let reference = reference.trim();
        match reference.parse::<CaseId>() {
            Ok(id) => self.case(id),
            Err(_) => self.case_by_receipt(reference),
        }
    }

    /// Every case (a full scan: for reports and rebuilding totals, never for a screen's list).
    fn all_cases(&self) -> Result<Vec<Case>, StoreError> {
        let mut cases = Vec::new();
        let end = self.next_case_id()?;
        let mut keep = |_: CaseState, whole: Option<Case>| cases.extend(whole);
        self.for_each_state_in(0, end, &|_| true, &mut keep)?;
        Ok(cases)
    }
}
