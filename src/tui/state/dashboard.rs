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

/// How many figures each drawn row of the dashboard has, top to bottom: four per step, the two
/// breach forecasts, two per person. Arrows move on this grid as it is drawn.
pub fn dashboard_rows(view: &DashboardView) -> Vec<usize> {
    let mut rows = vec![4; view.steps.len()];
    rows.push(2);
    rows.extend(std::iter::repeat_n(2, view.people.len()));
    rows
}

/// The (row, column) of figure `index` on the grid.
fn grid_position(rows: &[usize], index: usize) -> (usize, usize) {
    let mut first = 0;
    for (row, len) in rows.iter().enumerate() {
        if index < first + len {
            return (row, index - first);
        }
        first += len;
    }
    (rows.len().saturating_sub(1), 0)
}

/// The figure at (row, column), the column kept within the row.
fn grid_index(rows: &[usize], row: usize, column: usize) -> usize {
    let row = row.min(rows.len().saturating_sub(1));
    let first: usize = rows[..row].iter().sum();
    first + column.min(rows.get(row).map_or(0, |l| l.saturating_sub(1)))
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
        let rows = dashboard_rows(view);
        let (row, column) = grid_position(&rows, self.dashboard.selected);
        let (row, column) = match action {
            Action::Up => (row.saturating_sub(1), column),
            Action::Down => (row + 1, column),
            Action::Left => (row, column.saturating_sub(1)),
            Action::Right => (row, column + 1),
            Action::PageUp => (row.saturating_sub(4), column),
            Action::PageDown => (row + 4, column),
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
            self.dashboard.selected = grid_index(&rows, row, column).min(cells.len() - 1);
        }
        Vec::new()
    }
}
