//! The intake being typed: its fields and focus, the document checklist, the acceptance window,
//! the draft kept in the core at every change, and the submission.

use chrono::{DateTime, Utc};

use super::{ask, DialogKind, Effect, Screen, State, Tone};
use crate::countdown::{countdown, Countdown};
use crate::domain::case::CaseStatus;
use crate::domain::intake::{draft_slot, Draft, MAX_DRAFTS_PER_CLERK};
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
    /// When the ticket's holder arrived: with the number, which person the form is for (a
    /// number is given again after a restart or at midnight).
    pub arrived_at: Option<DateTime<Utc>>,
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

    /// The form's slot among the drafts the core keeps ([`draft_slot`]).
    pub fn slot(&self) -> String {
        draft_slot(self.ticket.as_deref(), self.arrived_at)
    }

    /// Whether the form is the one of `ticket`: the same number and the same arrival. A kept
    /// form is never handed to someone who got the same number later.
    pub fn is_for(&self, ticket: &crate::service::Ticket) -> bool {
        self.ticket.as_deref() == Some(ticket.number.as_str())
            && self.arrived_at == Some(ticket.arrived_at)
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

/// Pasted text as one line: a line break (CRLF counted once) or a tab becomes a space.
pub fn pasted_line(text: &str) -> String {
    text.replace("\r\n", " ")
        .chars()
        .map(|c| {
            if matches!(c, '\r' | '\n' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

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
        self.restart_stale_window();
        if self.intake.opened_at.is_none() {
            self.intake.opened_at = Some(self.now);
            if self.intake.form.channel.is_empty() {
                self.intake.form.channel = self.ctx.office.channel.clone();
            }
            self.apply_measure_choice();
        }
    }

    /// The channel's acceptance window and the grace after it, in minutes, as the core counts
    /// them.
    fn window_and_grace(&self) -> (i64, i64) {
        (
            crate::service::validate::window_minutes(
                &self.ctx.regulation,
                &self.ctx.office.channel,
            ),
            crate::service::validate::LATE_GRACE_MINUTES,
        )
    }

    /// Whether a form's window and grace have passed: its person left (the core would refuse
    /// its opening time), so it does not count toward the forms a clerk may keep open.
    pub fn form_is_stale(&self, form: &IntakeState) -> bool {
        let (window, grace) = self.window_and_grace();
        form.opened_at
            .is_some_and(|at| crate::domain::intake::window_is_stale(at, self.now, window, grace))
    }

    /// A form put back on screen after its window and grace passed: the person is back at the
    /// counter, so the window starts again now, and the clerk is told.
    fn restart_stale_window(&mut self) {
        if !self.form_is_stale(&self.intake) {
            return;
        }
        self.intake.opened_at = Some(self.now);
        let who = self.intake.who();
        let minutes = self.window_and_grace().0;
        self.say(Tone::Info, move |s| {
            s.t("msg.window_restarted")
                .replace("{who}", &who)
                .replace("{n}", &minutes.to_string())
        });
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
            self.save_draft()
        } else {
            Vec::new()
        }
    }

    /// Keeps the form on screen in the core, in the slot of its ticket.
    pub(super) fn save_draft(&self) -> Vec<Effect> {
        let Some(opened_at) = self.intake.opened_at else {
            return Vec::new();
        };
        let draft = Draft {
            form: self.intake.form.clone(),
            opened_at,
            ticket: self.intake.ticket.clone(),
            arrived_at: self.intake.arrived_at,
        };
        vec![ask(Request::SaveDraft(draft), State::draft_saved)]
    }

    /// The forms open now: the one on screen (once opened for someone or typed into) and
    /// those put aside, as the core keeps them.
    pub fn open_forms(&self) -> Vec<&IntakeState> {
        let on_screen = Some(&self.intake)
            .filter(|f| f.opened_at.is_some() && (f.has_content() || f.ticket.is_some()));
        let mut forms: Vec<&IntakeState> = on_screen.into_iter().chain(&self.kept).collect();
        // In the order they were opened, wherever each one is now.
        forms.sort_by(|a, b| (a.opened_at, &a.ticket).cmp(&(b.opened_at, &b.ticket)));
        forms
    }

    /// A kept form as the list of forms names it: whose, which ticket, and when it was opened
    /// in office time (with the date when not today), so two forms of one number are told apart.
    pub fn form_label(&self, form: &IntakeState) -> String {
        let regulation = &self.ctx.regulation;
        let Some(calendar) = regulation.calendar(&self.office_schedule()) else {
            return form.who();
        };
        let Some(opened) = form.opened_at else {
            return form.who();
        };
        let local = calendar.to_local(opened);
        let today = calendar.to_local(self.now).date_naive();
        let when = if local.date_naive() == today {
            local.format("%H:%M").to_string()
        } else {
            local.format("%d.%m %H:%M").to_string()
        };
        format!("{} {when}", form.who())
    }

    /// Forgets the core's draft of a form gone from the screen (submitted, or given up),
    /// unless a form still open has the same slot.
    pub(super) fn forget_form(&self, gone: &IntakeState) -> Vec<Effect> {
        let slot = gone.slot();
        if gone.opened_at.is_none() || self.slot_open(&slot) {
            return Vec::new();
        }
        vec![ask(Request::DropDraft { slot }, State::draft_saved)]
    }

    /// Whether a form open here (on screen or kept) has `slot`.
    fn slot_open(&self, slot: &str) -> bool {
        std::iter::once(&self.intake)
            .chain(&self.kept)
            .any(|f| f.opened_at.is_some() && f.slot() == slot)
    }

    fn draft_saved(&mut self, response: Response) -> Vec<Effect> {
        match response {
            Response::Done => Vec::new(),
            other => self.unexpected(&other),
        }
    }

    pub(super) fn load_drafts(&self) -> Effect {
        ask(Request::LoadDrafts, State::drafts_loaded)
    }

    /// At start: every form the core kept for me (a dropped link, a restart) is open again,
    /// put aside, and the status line names them.
    fn drafts_loaded(&mut self, response: Response) -> Vec<Effect> {
        let Response::Drafts(drafts) = response else {
            return self.unexpected(&response);
        };
        for draft in drafts {
            if !self.slot_open(&draft.slot()) {
                let form = self.intake_from_draft(draft);
                self.kept.push(form);
            }
        }
        // The most recently opened is put back on screen first (F3).
        self.kept.sort_by_key(|f| f.opened_at);
        let forms = self.open_forms();
        if forms.is_empty() {
            return Vec::new();
        }
        let names: Vec<String> = forms.iter().map(|f| self.form_label(f)).collect();
        let key = self
            .keymap
            .key_for(crate::tui::keymap::Mode::Global, Action::Intake)
            .map_or(String::new(), |k| format!(" ({k})"));
        let count = forms.len();
        self.say(Tone::Info, move |s| {
            format!("{} {count}: {}{key}", s.t("msg.drafts"), names.join(" · "))
        });
        Vec::new()
    }

    fn intake_from_draft(&self, draft: Draft) -> IntakeState {
        let regulation = &self.ctx.regulation.file;
        let measure_choice = match draft.form.measures.as_slice() {
            [one] => regulation
                .measures
                .iter()
                .position(|m| m.id == *one)
                .unwrap_or(0),
            _ => regulation.measures.len(),
        };
        let sector_choice = regulation
            .sectors
            .iter()
            .position(|s| s.id == draft.form.sector);
        IntakeState {
            form: draft.form,
            measure_choice,
            sector_choice,
            opened_at: Some(draft.opened_at),
            ticket: draft.ticket,
            arrived_at: draft.arrived_at,
            ..IntakeState::default()
        }
    }

    // ---- typing and the form's actions ----

    pub(super) fn type_into_field(&mut self, c: char) -> Vec<Effect> {
        self.insert_into_field(&c.to_string());
        Vec::new()
    }

    /// A paste (bracketed: the terminal marks it) goes into the focused field alone: line
    /// breaks and tabs become spaces instead of moving the focus or stepping a choice.
    pub(super) fn paste_into_field(&mut self, text: &str) -> Vec<Effect> {
        if self.focused_field().is_text() {
            self.insert_into_field(&pasted_line(text));
        }
        Vec::new()
    }

    /// Puts `text` into the focused text field, leaving out what the core refuses in free text
    /// (a control, an invisible or a direction character): the clerk is told which, so the
    /// draft is always one the core keeps.
    fn insert_into_field(&mut self, text: &str) {
        let field = self.focused_field();
        let Some(target) = self.text_mut(field) else {
            return;
        };
        let mut left_out = None;
        let mut room = FIELD_LIMIT.saturating_sub(target.chars().count());
        for c in text.chars() {
            if let Some(kind) = crate::domain::text::unsafe_kind(c) {
                left_out.get_or_insert((kind, u32::from(c)));
            } else if room > 0 {
                target.push(c);
                room -= 1;
            }
        }
        self.intake
            .problems
            .retain(|p| p.field != field.problem_key());
        // Saved once the burst of keys is handled (a paste is thousands of keys).
        self.draft_unsaved = true;
        if let Some((kind, code)) = left_out {
            self.say_left_out(kind, code);
        }
    }

    /// Says that a character was kept out of a field, naming its kind and code.
    pub(super) fn say_left_out(&mut self, kind: crate::domain::text::UnsafeKind, code: u32) {
        self.say(Tone::Bad, move |s| {
            s.t("msg.char_left_out")
                .replace("{what}", crate::tui::i18n::unsafe_kind_name(s.lang, kind))
                .replace("{code}", &format!("{code:04X}"))
        });
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
            // ← and → step a ‹ › choice back and forth.
            Action::Left | Action::Right => {
                if self.step_choice(action == Action::Right) {
                    self.draft_unsaved = true;
                }
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
                // Keeping is first, so a stray Enter loses nothing.
                let choices = vec![
                    ("keep".to_string(), self.t("choice.keep")),
                    ("clear".to_string(), self.t("choice.clear")),
                ];
                self.open_dialog(DialogKind::ConfirmClear, "confirm.clear", choices);
                Vec::new()
            }
            Action::Back => self.go_back(),
            _ => Vec::new(),
        }
    }

    /// A form problem in the clerk's language.
    pub fn problem_text(&self, problem: &FieldProblem) -> String {
        crate::tui::i18n::problem_text(self.lang, problem)
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

    /// The clerk answered "clear the form?": on yes the fields empty; the ticket and its running
    /// window stay.
    pub(super) fn clear_confirmed(&mut self, choice: Option<String>) -> Vec<Effect> {
        if choice.as_deref() != Some("clear") {
            return Vec::new();
        }
        let (ticket, arrived_at, opened_at, measure_choice) = (
            self.intake.ticket.take(),
            self.intake.arrived_at,
            self.intake.opened_at,
            self.intake.measure_choice,
        );
        self.clear_intake();
        self.intake.ticket = ticket;
        self.intake.arrived_at = arrived_at;
        self.intake.opened_at = opened_at.or(Some(self.now));
        self.intake.measure_choice = measure_choice;
        self.apply_measure_choice();
        self.save_draft()
    }

    /// Whether calling someone now would open more forms than the core keeps for one clerk:
    /// the forms still in their window (stale ones do not count, as in the core), the form on
    /// screen among them unless calling gives it up (nothing typed into it).
    pub(super) fn forms_full(&self) -> bool {
        let open = self
            .open_forms()
            .into_iter()
            .filter(|f| !self.form_is_stale(f))
            .filter(|f| !std::ptr::eq(*f, &self.intake) || f.has_content())
            .count();
        open >= MAX_DRAFTS_PER_CLERK
    }

    /// Starts the form of a person just called: a fresh form whose window opened at the call.
    /// The form on screen, if anything was typed into it, is kept for later; an empty one is
    /// given up (the person called before did not come).
    pub(super) fn start_intake_for(&mut self, ticket: &crate::service::Ticket) -> Vec<Effect> {
        let previous = std::mem::take(&mut self.intake);
        let given_up = if previous.has_content() {
            self.kept.push(previous);
            None
        } else {
            Some(previous)
        };
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
        self.intake.arrived_at = Some(ticket.arrived_at);
        self.intake.opened_at = Some(ticket.called_at.unwrap_or(self.now));
        self.open_intake();
        let mut effects = self.save_draft();
        if let Some(gone) = given_up {
            effects.extend(self.forget_form(&gone));
        }
        effects
    }

    /// Puts a kept form back on screen, keeping the one there if anything was typed into it
    /// or it belongs to a called person.
    pub(super) fn resume_kept(&mut self, index: usize) -> Vec<Effect> {
        if index >= self.kept.len() {
            return Vec::new();
        }
        let resumed = self.kept.remove(index);
        let current = std::mem::replace(&mut self.intake, resumed);
        let mut effects = Vec::new();
        if current.has_content() || current.ticket.is_some() {
            self.kept.push(current);
        } else {
            effects = self.forget_form(&current);
        }
        effects.extend(self.go_intake());
        effects
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

    /// Steps the focused ‹ › choice forward or back, round; whether the field is a choice.
    fn step_choice(&mut self, forward: bool) -> bool {
        match self.focused_field() {
            Field::Measure => {
                // The regulation's measures, then "all of them".
                let options = self.ctx.regulation.file.measures.len() + 1;
                let step = if forward { 1 } else { options - 1 };
                self.intake.measure_choice = (self.intake.measure_choice + step) % options;
                self.apply_measure_choice();
                true
            }
            Field::Sector => {
                // No sector yet ("—"), then each sector: one ring of count + 1 places.
                let places = self.ctx.regulation.file.sectors.len() + 1;
                let place = self.intake.sector_choice.map_or(0, |i| i + 1);
                let step = if forward { 1 } else { places - 1 };
                let place = (place + step) % places;
                self.intake.sector_choice = place.checked_sub(1);
                self.intake.form.sector = self
                    .intake
                    .sector_choice
                    .and_then(|i| self.ctx.regulation.file.sectors.get(i))
                    .map(|s| s.id.clone())
                    .unwrap_or_default();
                true
            }
            _ => false,
        }
    }

    fn toggle_focused(&mut self) {
        match self.focused_field() {
            Field::Measure | Field::Sector => {
                self.step_choice(true);
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
                let first = problems.first().cloned();
                self.intake.problems = problems;
                self.say(Tone::Bad, move |s| {
                    let first = first
                        .as_ref()
                        .map(|p| s.problem_text(p))
                        .unwrap_or_default();
                    format!("{}: {first}", s.t("msg.fix"))
                });
                Vec::new()
            }
            Ok(_) if !self.missing().is_empty() && !refusal_confirmed => {
                self.intake.problems.clear();
                // Back to the form is first: a stray Enter refuses no one.
                let choices = vec![
                    ("back".to_string(), self.t("choice.back_to_form")),
                    ("refuse".to_string(), self.t("choice.refuse")),
                ];
                self.open_dialog(DialogKind::ConfirmRefusal, "confirm.refuse", choices);
                Vec::new()
            }
            Ok(_) => {
                self.intake.problems.clear();
                let request = Request::Accept {
                    // The core forgets this form's draft with the case it records.
                    draft: self.intake.opened_at.map(|_| self.intake.slot()),
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
        let number = case.receipt_no.to_string();
        self.say(Tone::Good, move |s| format!("{} {number}", s.t(key)));
        let print = self.intake.print_when_stored;
        let case_no = case.receipt_no.to_string();
        // The core forgot the submitted form's draft in the same request.
        self.intake = IntakeState::default();
        self.clear_intake();
        let mut effects = self.show_receipt(*case);
        if print {
            effects.extend(self.print_receipt());
            self.say(Tone::Good, move |s| {
                format!("{} {case_no} · {}", s.t(key), s.t("msg.printing"))
            });
        }
        // A form kept when this person was called becomes the draft again.
        if let Some(kept) = self.kept.pop() {
            self.intake = kept;
        }
        effects.push(self.mine_request());
        effects
    }
}
