//! The supervisor's dashboard: its figures, the one selected, and opening the cases behind it.

use chrono::{DateTime, Duration, Utc};

use super::cases::Drill;
use super::{ask, Effect, State};
use crate::domain::Lang;
use crate::service::dashboard::{Bucket, DashboardView};
use crate::service::{Request, Response};
use crate::tui::keymap::Action;

#[derive(Debug, Clone, Default)]
pub struct DashboardModel {
    pub view: Option<DashboardView>,
    pub fetched: Option<DateTime<Utc>>,
    pub selected: usize,
}

/// Which of a step's figures a cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepFigure {
    OnTrack,
    DueSoon,
    Overdue,
    Paused,
}

impl StepFigure {
    fn key(self) -> &'static str {
        match self {
            StepFigure::OnTrack => "dash.on_track",
            StepFigure::DueSoon => "dash.due_soon",
            StepFigure::Overdue => "dash.overdue",
            StepFigure::Paused => "dash.paused",
        }
    }
}

/// What a dashboard figure counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellLabel {
    Step { step: String, figure: StepFigure },
    BreachNextHour,
    BreachToday,
    PersonOpen { owner: String },
    PersonOverdue { owner: String },
}

impl CellLabel {
    /// The label in `lang`, e.g. "P1 due soon".
    pub fn text(&self, lang: Lang) -> String {
        let t = |key| crate::tui::i18n::t(lang, key);
        match self {
            CellLabel::Step { step, figure } => format!("{step} {}", t(figure.key())),
            CellLabel::BreachNextHour => t("dash.breach_hour").to_string(),
            CellLabel::BreachToday => t("dash.breach_today").to_string(),
            CellLabel::PersonOpen { owner } => format!("{owner} {}", t("dash.open")),
            CellLabel::PersonOverdue { owner } => format!("{owner} {}", t("dash.overdue")),
        }
    }
}

/// The figures of the dashboard that open a list, in the order they are drawn and selected.
pub fn dashboard_cells(view: &DashboardView) -> Vec<(CellLabel, &Bucket)> {
    let mut cells = Vec::new();
    for row in &view.steps {
        for (figure, bucket) in [
            (StepFigure::OnTrack, &row.on_track),
            (StepFigure::DueSoon, &row.due_soon),
            (StepFigure::Overdue, &row.overdue),
            (StepFigure::Paused, &row.paused),
        ] {
            let step = row.step_id.clone();
            cells.push((CellLabel::Step { step, figure }, bucket));
        }
    }
    cells.push((CellLabel::BreachNextHour, &view.breach_next_hour));
    cells.push((CellLabel::BreachToday, &view.breach_today));
    for person in &view.people {
        let owner = person.owner.clone();
        cells.push((
            CellLabel::PersonOpen {
                owner: owner.clone(),
            },
            &person.open,
        ));
        cells.push((CellLabel::PersonOverdue { owner }, &person.overdue));
    }
    cells
}

/// The list-mode actions the dashboard acts on.
pub(super) fn handles(action: Action) -> bool {
    !matches!(
        action,
        Action::Search | Action::NextFilter | Action::Back | Action::Arrival | Action::CallNext
    )
}

/// How often the figures are asked again: they move with time (on track → due soon).
pub(super) const DASHBOARD_REFRESH_SECONDS: i64 = 30;

impl State {
    pub(super) fn dashboard_request(&self) -> Effect {
        ask(Request::Dashboard, State::dashboard_loaded)
    }

    fn dashboard_loaded(&mut self, response: Response) -> Vec<Effect> {
        let Response::Dashboard(view) = response else {
            return self.unexpected(&response);
        };
        self.dashboard.fetched = Some(self.now);
        self.dashboard.view = Some(*view);
        Vec::new()
    }

    /// Asks for the figures again when they are stale and on screen.
    pub(super) fn dashboard_tick(&mut self) -> Vec<Effect> {
        let stale = self
            .dashboard
            .fetched
            .is_none_or(|t| self.now - t >= Duration::seconds(DASHBOARD_REFRESH_SECONDS));
        if self.screen == super::Screen::Dashboard && stale && !self.loading {
            self.dashboard.fetched = Some(self.now);
            return vec![self.dashboard_request()];
        }
        Vec::new()
    }

    pub(super) fn dashboard_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(view) = &self.dashboard.view else {
            return Vec::new();
        };
        let cells = dashboard_cells(view);
        let step = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -4,
            Action::PageDown => 4,
            Action::Open => {
                return match cells.get(self.dashboard.selected) {
                    Some((label, bucket)) => {
                        let drill = Drill {
                            label: label.clone(),
                            ids: bucket.cases.clone(),
                        };
                        self.drill_into(drill)
                    }
                    None => Vec::new(),
                };
            }
            _ => return Vec::new(),
        };
        if !cells.is_empty() {
            self.dashboard.selected = (self.dashboard.selected as isize + step)
                .clamp(0, cells.len() as isize - 1) as usize;
        }
        Vec::new()
    }
}
