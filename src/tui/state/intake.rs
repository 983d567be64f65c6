//! The intake being typed: its fields and focus, the document checklist, the acceptance window,
//! the draft kept in the core at every change, and the submission.

use chrono::{DateTime, Utc};

use super::{ask, DialogKind, Effect, Screen, State, Tone};
use crate::countdown::{countdown, Countdown};
use crate::domain::case::CaseStatus;
use crate::domain::intake::Draft;
use crate::domain::intake::{FieldProblem, IntakeForm};
use crate::service::{Request, Response};
use crate::tui::keymap::Action;

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
    /// The receipt prints as soon as the case is stored (accept-and-print).
    pub print_when_stored: bool,
}

impl IntakeState {
    /// Whether anything was typed or ticked: a form worth keeping.
    pub fn has_content(&self) -> bool {
        let f = &self.form;
        [
            &f.iin,
            &f.name,
            &f.phone,
            &f.settlement,
            &f.representative_name,
            &f.representative_iin,
            &f.power_of_attorney,
        ]
        .iter()
        .any(|t| !t.trim().is_empty())
            || !f.documents.is_empty()
            || self.sector_choice.is_some()
    }

    /// Whom the form is for, as the clerk would say it: the name, else the IIN, and the ticket.
    pub fn who(&self) -> String {
        let name = self.form.name.trim();
        let who = if name.is_empty() {
            self.form.iin.trim()
        } else {
            name
        };
        match &self.ticket {
            Some(ticket) if who.is_empty() => ticket.clone(),
            Some(ticket) => format!("{who} ({ticket})"),
            None => who.to_string(),
        }
    }
}

/// Longest text a form field takes, so a pasted novel cannot grow the form without end.
const FIELD_LIMIT: usize = 400;

impl State {
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
    pub(super) fn apply_measure_choice(&mut self) {
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

    /// The acceptance-window countdown of the intake being typed.
    pub fn window_countdown(&self) -> Option<Countdown> {
        let opened = self.intake.opened_at?;
        let regulation = &self.ctx.regulation;
        let channel = regulation.channel(&self.ctx.office.channel).ok()?;
        let calendar = regulation.calendar(&channel.schedule)?;
        let deadline = calendar.deadline(opened, channel.acceptance_window).ok()?;
        countdown(calendar, self.now, deadline, 5 * 60)
    }

    pub(super) fn open_intake(&mut self) {
        self.screen = Screen::Intake;
        if self.intake.opened_at.is_none() {
            self.intake.opened_at = Some(self.now);
            if self.intake.form.channel.is_empty() {
                self.intake.form.channel = self.ctx.office.channel.clone();
            }
            self.apply_measure_choice();
        }
    }

    pub(super) fn clear_intake(&mut self) {
        self.intake = IntakeState::default();
        self.intake.form.channel = self.ctx.office.channel.clone();
        self.apply_measure_choice();
    }

    // ---- the draft ----

    /// Sends the draft when typing changed it since it was last sent.
    pub(super) fn flush_draft(&mut self) -> Vec<Effect> {
        if std::mem::take(&mut self.draft_unsaved) {
            vec![self.save_draft()]
        } else {
            Vec::new()
        }
    }

    pub(super) fn save_draft(&self) -> Effect {
        let draft = self.intake.opened_at.map(|opened_at| Draft {
            form: self.intake.form.clone(),
            opened_at,
            ticket: self.intake.ticket.clone(),
        });
        ask(Request::SaveDraft(draft), State::draft_saved)
    }

    fn draft_saved(&mut self, response: Response) -> Vec<Effect> {
        match response {
            Response::Done => Vec::new(),
            other => self.unexpected(&other),
        }
    }

    pub(super) fn load_draft(&self) -> Effect {
        ask(Request::LoadDraft, State::draft_loaded)
    }

    fn draft_loaded(&mut self, response: Response) -> Vec<Effect> {
        let Response::Draft(draft) = response else {
            return self.unexpected(&response);
        };
        let Some(draft) = draft else {
            return Vec::new();
        };
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
        Vec::new()
    }

    // ---- typing and the form's actions ----

    pub(super) fn type_into_field(&mut self, c: char) -> Vec<Effect> {
        let field = self.focused_field();
        let Some(text) = self.text_mut(field) else {
            return Vec::new();
        };
        if text.chars().count() < FIELD_LIMIT {
            text.push(c);
        }
        self.intake
            .problems
            .retain(|p| p.field != field.problem_key());
        // Saved once the burst of keys is handled (a paste is thousands of keys).
        self.draft_unsaved = true;
        Vec::new()
    }

    pub(super) fn form_action(&mut self, action: Action) -> Vec<Effect> {
        let count = self.fields().len();
        match action {
            Action::NextField => {
                self.check_left_field(self.focused_field());
                self.intake.focus = (self.intake.focus + 1) % count;
                Vec::new()
            }
            Action::PrevField => {
                self.check_left_field(self.focused_field());
                self.intake.focus = (self.intake.focus + count - 1) % count;
                Vec::new()
            }
            Action::Erase => {
                let field = self.focused_field();
                if let Some(text) = self.text_mut(field) {
                    text.pop();
                    self.draft_unsaved = true;
                }
                Vec::new()
            }
            Action::Toggle => {
                self.toggle_focused();
                self.draft_unsaved = true;
                Vec::new()
            }
            Action::Submit => {
                self.intake.print_when_stored = false;
                self.submit_intake(false)
            }
            Action::SubmitAndPrint => {
                self.intake.print_when_stored = true;
                self.submit_intake(false)
            }
            Action::AllDocuments => {
                self.tick_all_documents();
                self.draft_unsaved = true;
                Vec::new()
            }
            Action::ClearForm => {
                let choices = vec![
                    ("clear".to_string(), self.t("choice.clear")),
                    ("keep".to_string(), self.t("choice.keep")),
                ];
                self.open_dialog(DialogKind::ConfirmClear, "confirm.clear", choices);
                Vec::new()
            }
            Action::Back => self.go_back(),
            _ => Vec::new(),
        }
    }

    /// The clerk confirmed clearing: the fields empty, the ticket and its running window stay.
    /// A form problem in the clerk's language.
    pub fn problem_text(&self, problem: &FieldProblem) -> String {
        let text = Field::TEXT_AND_CHOICE
            .iter()
            .find(|f| f.problem_key() == problem.field)
            .map_or("", |f| self.text_of(*f));
        crate::tui::i18n::problem_text(self.lang, problem, text)
    }

    /// Checks the field being left, so a mistake shows before F8. Empty fields are left alone
    /// (the clerk may fill them later); the whole form is checked at F8.
    fn check_left_field(&mut self, field: Field) {
        if !field.is_text() || self.text_of(field).trim().is_empty() {
            return;
        }
        let key = field.problem_key();
        self.intake.problems.retain(|p| p.field != key);
        if let Err(problems) = self.intake.form.validate(&self.ctx.regulation) {
            self.intake
                .problems
                .extend(problems.into_iter().filter(|p| p.field == key));
        }
    }

    pub(super) fn clear_confirmed(&mut self, choice: Option<String>) -> Vec<Effect> {
        if choice.as_deref() != Some("clear") {
            return Vec::new();
        }
        let (ticket, opened_at, measure_choice) = (
            self.intake.ticket.take(),
            self.intake.opened_at,
            self.intake.measure_choice,
        );
        self.clear_intake();
        self.intake.ticket = ticket;
        self.intake.opened_at = opened_at.or(Some(self.now));
        self.intake.measure_choice = measure_choice;
        self.apply_measure_choice();
        vec![self.save_draft()]
    }

    /// Starts the form of a person just called: a fresh form whose window opened at the call.
    /// The form on screen, if anything was typed into it, is kept for later.
    pub(super) fn start_intake_for(&mut self, ticket: &crate::service::Ticket) {
        if self.intake.has_content() {
            let kept = std::mem::take(&mut self.intake);
            self.kept.push(kept);
        }
        self.clear_intake();
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
        self.intake.ticket = Some(ticket.number.clone());
        self.intake.opened_at = Some(ticket.called_at.unwrap_or(self.now));
        self.open_intake();
    }

    /// Puts a kept form back on screen, keeping the one there if anything was typed into it.
    pub(super) fn resume_kept(&mut self, index: usize) -> Vec<Effect> {
        if index >= self.kept.len() {
            return Vec::new();
        }
        let resumed = self.kept.remove(index);
        let current = std::mem::replace(&mut self.intake, resumed);
        if current.has_content() {
            self.kept.push(current);
        }
        self.go_intake()
    }

    /// "All documents present": every document the chosen measures ask for is ticked; pressed
    /// again with all ticked, the ticks are taken off.
    fn tick_all_documents(&mut self) {
        let documents = self.documents();
        let presented = &mut self.intake.form.documents;
        if documents.iter().all(|d| presented.contains(d)) {
            presented.retain(|d| !documents.contains(d));
        } else {
            for doc in documents {
                if !presented.contains(&doc) {
                    presented.push(doc);
                }
            }
        }
    }

    fn toggle_focused(&mut self) {
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
    }

    /// Checks the form and sends it: accepted when complete, a refusal (confirmed first) when
    /// documents are missing.
    pub(super) fn submit_intake(&mut self, refusal_confirmed: bool) -> Vec<Effect> {
        // Only what the chosen measures still ask for, in checklist order.
        self.intake.form.documents = self
            .documents()
            .into_iter()
            .filter(|d| self.intake.form.documents.contains(d))
            .collect();
        match self.intake.form.validate(&self.ctx.regulation) {
            Err(problems) => {
                let first = problems
                    .first()
                    .map(|p| self.problem_text(p))
                    .unwrap_or_default();
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
                let request = Request::Accept {
                    form: self.intake.form.clone(),
                    opened_at: self.intake.opened_at,
                };
                vec![self.ask_once(request, State::intake_stored)]
            }
        }
    }

    fn intake_stored(&mut self, response: Response) -> Vec<Effect> {
        let Response::Case(case) = response else {
            return self.unexpected(&response);
        };
        let key = if matches!(case.status, CaseStatus::RefusedToAccept { .. }) {
            "msg.refused"
        } else {
            "msg.accepted"
        };
        self.say(Tone::Good, format!("{} {}", self.t(key), case.receipt_no));
        let print = self.intake.print_when_stored;
        let case_no = case.receipt_no.to_string();
        self.clear_intake();
        let mut effects = self.show_receipt(*case);
        if print {
            effects.extend(self.print_receipt());
            self.say(
                Tone::Good,
                format!("{} {} · {}", self.t(key), case_no, self.t("msg.printing")),
            );
        }
        // A form kept when this person was called becomes the draft again.
        match self.kept.pop() {
            Some(kept) => {
                self.intake = kept;
                effects.push(self.save_draft());
            }
            None => effects.push(ask(Request::SaveDraft(None), State::draft_saved)),
        }
        effects.push(self.mine_request());
        effects
    }
}
