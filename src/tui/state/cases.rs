//! Case lists: my work and its filters, search as you type, and the cases behind a dashboard
//! figure.

use chrono::{Duration, Utc};

use super::{ask, CellLabel, DialogKind, Effect, Screen, State};
use crate::domain::case::Case;
use crate::domain::query::CaseQuery;
use crate::service::{Request, Response};
use crate::tui::keymap::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
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

/// The cases behind one dashboard figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drill {
    pub label: CellLabel,
    pub ids: Vec<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct CasesModel {
    pub list: Vec<Case>,
    pub selected: usize,
    pub filter: Filter,
    pub search: String,
    pub drill: Option<Drill>,
}

/// The list-mode actions the case list acts on.
pub(super) fn handles(action: Action) -> bool {
    !matches!(action, Action::Arrival | Action::CallNext)
}

/// How many cases a list asks for.
const LIST_LIMIT: usize = 200;

impl State {
    pub(super) fn list_request(&self) -> Effect {
        let search = self.cases.search.trim();
        let base = CaseQuery {
            limit: LIST_LIMIT,
            ..CaseQuery::default()
        };
        let query = if let Some(drill) = self.cases.drill.as_ref().filter(|_| search.is_empty()) {
            CaseQuery {
                ids: Some(drill.ids.clone()),
                ..base
            }
        } else if !search.is_empty() {
            CaseQuery {
                search: Some(search.to_string()),
                ..base
            }
        } else {
            match self.cases.filter {
                // A supervisor's work is every open case, nearest deadline first.
                Filter::Mine if self.ctx.me.role == "supervisor" => CaseQuery {
                    due_before: Some(self.now + Duration::days(3650)),
                    ..base
                },
                Filter::Mine => CaseQuery {
                    owner: Some(self.my_owner_key()),
                    ..base
                },
                Filter::Step(i) => CaseQuery {
                    step: self.route_steps().get(i).cloned(),
                    ..base
                },
                Filter::Overdue => CaseQuery {
                    due_before: Some(self.now),
                    ..base
                },
                Filter::DueToday => CaseQuery {
                    due_before: Some(self.end_of_today()),
                    ..base
                },
            }
        };
        ask(Request::List(query), State::list_loaded)
    }

    /// Midnight at the end of the office's today.
    fn end_of_today(&self) -> chrono::DateTime<Utc> {
        self.ctx
            .regulation
            .calendar(&self.office_schedule())
            .map(|c| {
                let local = c.to_local(self.now).date_naive() + Duration::days(1);
                local
                    .and_hms_opt(0, 0, 0)
                    .and_then(|t| t.and_local_timezone(c.time_zone()).earliest())
                    .map_or(self.now, |t| t.with_timezone(&Utc))
            })
            .unwrap_or(self.now)
    }

    fn list_loaded(&mut self, response: Response) -> Vec<Effect> {
        let Response::Cases(cases) = response else {
            return self.unexpected(&response);
        };
        self.cases.list = cases;
        self.cases.selected = self
            .cases
            .selected
            .min(self.cases.list.len().saturating_sub(1));
        Vec::new()
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

    /// Opens the cases behind a dashboard figure.
    pub(super) fn drill_into(&mut self, drill: Drill) -> Vec<Effect> {
        self.cases.drill = Some(drill);
        self.cases.search.clear();
        self.cases.selected = 0;
        self.screen = Screen::Cases;
        vec![self.list_request()]
    }

    /// The search line changed (typed into its dialog): the list follows.
    pub(super) fn search_typed(&mut self, text: &str) -> Vec<Effect> {
        self.cases.search = text.to_string();
        vec![self.list_request()]
    }

    pub(super) fn search_confirmed(&mut self, text: String) -> Vec<Effect> {
        self.cases.search = text;
        self.cases.selected = 0;
        vec![self.list_request()]
    }

    /// Search pressed on a case view: the case is left for the list, and a new search starts
    /// there, empty, as it does from the list.
    pub(super) fn search_from_detail(&mut self) -> Vec<Effect> {
        self.detail = None;
        self.cases.selected = 0;
        self.open_dialog(DialogKind::Search, "search", Vec::new());
        vec![self.list_request()]
    }

    pub(super) fn cases_action(&mut self, action: Action) -> Vec<Effect> {
        let step = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Open => {
                return match self.cases.list.get(self.cases.selected).cloned() {
                    Some(case) => self.open_detail(case),
                    None => Vec::new(),
                };
            }
            Action::Search => {
                // A new search starts empty: typing after `/` never lands behind the last one.
                self.open_dialog(DialogKind::Search, "search", Vec::new());
                return Vec::new();
            }
            Action::NextFilter => {
                self.cases.drill = None;
                self.cases.filter = self.cases.filter.next(self.route_steps().len());
                self.cases.search.clear();
                self.cases.selected = 0;
                return vec![self.list_request()];
            }
            Action::Back if self.cases.drill.is_some() && self.cases.search.is_empty() => {
                self.cases.drill = None;
                self.screen = Screen::Dashboard;
                return vec![self.dashboard_request()];
            }
            Action::Back if !self.cases.search.is_empty() => {
                self.cases.search.clear();
                return vec![self.list_request()];
            }
            _ => return Vec::new(),
        };
        let len = self.cases.list.len();
        if len > 0 {
            self.cases.selected =
                (self.cases.selected as isize + step).clamp(0, len as isize - 1) as usize;
        }
        Vec::new()
    }
}
