//! Two daemons on one shared store: the dashboard totals one daemon builds at its first request
//! count every event the other daemon writes meanwhile exactly once, whether the build read the
//! case before or after that event.

use crate::common;

use std::sync::{Arc, Mutex};

use frontdesk::domain::case::{Actor, Case, CaseId, CaseState, StoredEvent};
use frontdesk::domain::intake::Draft;
use frontdesk::domain::lifecycle::CaseCommand;
use frontdesk::domain::query::CaseQuery;
use frontdesk::domain::regulation::Action;
use frontdesk::service::dashboard::DashboardView;
use frontdesk::service::{Clock, Request, Response, Service};
use frontdesk::store::{CaseStore, Decide, LinkWatch, MemoryStore, Observe, StoreError, Watch};

type Watchers = Arc<Mutex<Vec<(usize, Arc<Watch>)>>>;
type ScanHook = Arc<Mutex<Option<Box<dyn FnMut(CaseId) + Send>>>>;

/// One daemon's handle on a store shared with others: its own appends are told to the others'
/// watchers (as NOTIFY would), its pause holds only its own appends, and its scan reads case by
/// case so that another daemon may write in between.
struct Daemon {
    id: usize,
    shared: Arc<MemoryStore>,
    watchers: Watchers,
    paused: Mutex<()>,
    during_scan: ScanHook,
}

impl CaseStore for Daemon {
    fn append(
        &self,
        decide: &mut Decide,
        observe: &mut Observe,
    ) -> Result<Option<(StoredEvent, Case)>, StoreError> {
        let _own = self.paused.lock().unwrap();
        let mut change = None;
        let appended = self.shared.append(decide, &mut |previous, current| {
            observe(previous, current);
            change = Some(previous.cloned());
        })?;
        if let (Some((stored, case)), Some(previous)) = (&appended, change) {
            for (daemon, watch) in self.watchers.lock().unwrap().iter() {
                if *daemon != self.id {
                    watch(stored, previous.as_ref(), case);
                }
            }
        }
        Ok(appended)
    }
    fn watch(&self, notify: Box<Watch>, _link: Box<LinkWatch>) {
        self.watchers
            .lock()
            .unwrap()
            .push((self.id, Arc::from(notify)));
    }
    fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        self.shared.case(id)
    }
    fn case_by_receipt(&self, receipt_no: &str) -> Result<Option<Case>, StoreError> {
        self.shared.case_by_receipt(receipt_no)
    }
    fn query(&self, query: &CaseQuery) -> Result<Vec<Case>, StoreError> {
        self.shared.query(query)
    }
    fn history(&self, id: CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        self.shared.history(id)
    }
    fn for_each_state_in(
        &self,
        from: CaseId,
        to: CaseId,
        want_whole: &dyn Fn(&CaseState) -> bool,
        f: &mut dyn FnMut(CaseState, Option<Case>),
    ) -> Result<(), StoreError> {
        for id in from..to {
            if let Some(hook) = self.during_scan.lock().unwrap().as_mut() {
                hook(id);
            }
            if let Some(case) = self.shared.case(id)? {
                let state = case.state();
                let whole = want_whole(&state).then_some(case);
                f(state, whole);
            }
        }
        Ok(())
    }
    fn next_case_id(&self) -> Result<CaseId, StoreError> {
        self.shared.next_case_id()
    }
    fn with_appends_paused(&self, f: &mut dyn FnMut()) -> Result<(), StoreError> {
        let _own = self.paused.lock().unwrap();
        f();
        Ok(())
    }
    fn save_draft(&self, staff_id: &str, draft: &Draft) -> Result<(), StoreError> {
        self.shared.save_draft(staff_id, draft)
    }
    fn drop_draft(&self, staff_id: &str, slot: &str) -> Result<(), StoreError> {
        self.shared.drop_draft(staff_id, slot)
    }
    fn load_drafts(&self, staff_id: &str) -> Result<Vec<Draft>, StoreError> {
        self.shared.load_drafts(staff_id)
    }
    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }
    fn open_notice(&self) -> Option<String> {
        None
    }
}

fn daemon(
    id: usize,
    shared: &Arc<MemoryStore>,
    watchers: &Watchers,
    hook: &ScanHook,
    clock: &Clock,
) -> Service {
    let site = common::site(std::path::Path::new("/nonexistent/frontdesk-shared-site"));
    let store = Daemon {
        id,
        shared: shared.clone(),
        watchers: watchers.clone(),
        paused: Mutex::new(()),
        during_scan: hook.clone(),
    };
    Service::new(Box::new(store), site, clock.clone())
}

fn dashboard(service: &Service) -> DashboardView {
    let supervisor = common::actor(service.config(), "supervisor");
    match service.execute(&supervisor, Request::Dashboard).unwrap() {
        Response::Dashboard(view) => *view,
        other => panic!("{other:?}"),
    }
}

fn accept(service: &Service, clerk: &Actor, n: u64) {
    let iin = frontdesk::service::fixture::iin_for(n);
    service
        .execute(
            clerk,
            Request::Accept {
                draft: None,
                form: common::form("provider", &iin, "Дана", true),
                opened_at: None,
            },
        )
        .unwrap();
}

fn register(service: &Service, clerk: &Actor, id: CaseId) {
    service
        .execute(
            clerk,
            Request::Act {
                case: id.to_string(),
                command: CaseCommand::Act {
                    action: Action::Register,
                    executor: None,
                },
            },
        )
        .unwrap();
}

#[test]
fn totals_built_while_another_daemon_writes_count_each_event_once() {
    let regulation = common::site(std::path::Path::new("/nonexistent/frontdesk-shared-site"))
        .regulation
        .clone();
    let shared = Arc::new(MemoryStore::new(&regulation));
    let watchers: Watchers = Arc::default();
    let clock = Clock::manual(common::at("2026-11-25T10:00:00+05:00"));
    let (here_hook, there_hook): (ScanHook, ScanHook) = (Arc::default(), Arc::default());
    let here = daemon(1, &shared, &watchers, &here_hook, &clock);
    let there = Arc::new(daemon(2, &shared, &watchers, &there_hook, &clock));
    let clerk = common::actor(there.config(), "clerk");
    for n in 1..=6 {
        accept(&there, &clerk, n);
    }
    // While this daemon reads case 4, the other registers case 2 (already read) and case 5 (not
    // yet read), and accepts case 7 (past the end of the read) and registers it.
    let other = there.clone();
    let other_clerk = clerk.clone();
    *here_hook.lock().unwrap() = Some(Box::new(move |id| {
        if id == 4 {
            register(&other, &other_clerk, 2);
            register(&other, &other_clerk, 5);
            accept(&other, &other_clerk, 7);
            register(&other, &other_clerk, 7);
        }
    }));
    let built = dashboard(&here);
    *here_hook.lock().unwrap() = None;
    // A daemon that builds its totals afterwards, undisturbed, is the reference.
    let reference = dashboard(&daemon(3, &shared, &watchers, &Arc::default(), &clock));
    assert_eq!(built, reference);
    let at_step = |view: &DashboardView, step: &str| -> usize {
        view.steps
            .iter()
            .filter(|row| row.step_id == step)
            .map(|row| {
                row.on_track.count()
                    + row.due_soon.count()
                    + row.overdue.count()
                    + row.paused.count()
            })
            .sum()
    };
    assert_eq!((at_step(&built, "P1"), at_step(&built, "P2")), (4, 3));
    assert_eq!(built.accepted_today, 7);
    // And the totals follow the other daemon's events from then on.
    register(&there, &clerk, 1);
    let followed = dashboard(&here);
    assert_eq!((at_step(&followed, "P1"), at_step(&followed, "P2")), (3, 4));
}
