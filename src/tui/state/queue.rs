//! The walk-in queue: who waits, registering an arrival, calling the next person.

use super::{ask, DialogKind, Effect, Screen, State, Tone};
use crate::service::{Request, Response, Ticket};
use crate::tui::keymap::Action;

#[derive(Debug, Clone, Default)]
pub struct QueueModel {
    pub tickets: Vec<Ticket>,
    pub selected: usize,
}

/// The list-mode actions the queue acts on.
pub(super) fn handles(action: Action) -> bool {
    !matches!(action, Action::Search | Action::NextFilter)
}

impl State {
    pub(super) fn queue_request(&self) -> Effect {
        ask(Request::Queue, State::queue_loaded)
    }

    fn queue_loaded(&mut self, response: Response) -> Vec<Effect> {
        let Response::Queue(tickets) = response else {
            return self.unexpected(&response);
        };
        self.queue.tickets = tickets;
        self.queue.selected = self
            .queue
            .selected
            .min(self.queue.tickets.len().saturating_sub(1));
        Vec::new()
    }

    pub(super) fn queue_action(&mut self, action: Action) -> Vec<Effect> {
        let len = self.queue.tickets.len();
        let step = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Arrival => {
                let lang = self.lang;
                let measures = self
                    .ctx
                    .regulation
                    .file
                    .measures
                    .iter()
                    .map(|m| (m.id.clone(), m.name.get(lang).to_string()))
                    .collect();
                self.open_dialog(DialogKind::Arrival, "field.ticket", measures);
                return Vec::new();
            }
            Action::CallNext => return self.before_calling(None),
            Action::Open => return self.open_ticket(),
            _ => return Vec::new(),
        };
        if len > 0 {
            self.queue.selected =
                (self.queue.selected as isize + step).clamp(0, len as isize - 1) as usize;
        }
        Vec::new()
    }

    /// The arrival dialog was confirmed: register the ticket (typed, or the next number).
    pub(super) fn register_arrival(
        &mut self,
        ticket: String,
        measure: Option<String>,
    ) -> Vec<Effect> {
        let first_measure = self
            .ctx
            .regulation
            .file
            .measures
            .first()
            .map(|m| m.id.clone())
            .unwrap_or_default();
        let request = Request::RegisterArrival {
            ticket: Some(ticket).filter(|t| !t.is_empty()),
            channel: self.ctx.office.channel.clone(),
            measure: measure.unwrap_or(first_measure),
        };
        vec![self.ask_once(request, State::arrival_registered)]
    }

    fn arrival_registered(&mut self, response: Response) -> Vec<Effect> {
        let Response::Ticket(Some(ticket)) = response else {
            return self.unexpected(&response);
        };
        let number = ticket.number.clone();
        self.say(Tone::Good, move |s| {
            format!("{} {number}", s.t("queue.ticket"))
        });
        vec![self.queue_request()]
    }

    /// Enter on the queue: a waiting person is called; a person I called gets their form back.
    fn open_ticket(&mut self) -> Vec<Effect> {
        let Some(ticket) = self.queue.tickets.get(self.queue.selected).cloned() else {
            return self.go_intake();
        };
        if ticket.called_at.is_none() {
            return self.before_calling(Some(ticket.number));
        }
        // Only the very form of this ticket (number and arrival): a kept form of someone who
        // had the same number before a restart is never handed to this person.
        if self.intake.is_for(&ticket) {
            return self.go_intake();
        }
        match self.kept.iter().position(|k| k.is_for(&ticket)) {
            Some(index) => self.resume_kept(index),
            // A person I called whose form is not open here (a restart lost the screen's
            // forms): a fresh form of their own, never another person's.
            None if ticket.called_by.as_deref() == Some(self.ctx.me.id.as_str()) => {
                self.start_intake_for(&ticket)
            }
            None => self.go_intake(),
        }
    }

    /// Calls a person (the next one, or one by number). With another person's form on screen,
    /// asks first: resume that form, or call and keep it for later.
    fn before_calling(&mut self, number: Option<String>) -> Vec<Effect> {
        if self.forms_full() {
            self.say_forms_full();
            return Vec::new();
        }
        if !self.intake.has_content() {
            return self.call(number);
        }
        let who = self.intake.who();
        let choices = vec![
            (
                "resume".to_string(),
                format!("{} {who}", self.t("draft.resume")),
            ),
            ("call".to_string(), self.t("draft.call_keep")),
        ];
        self.open_dialog(DialogKind::FormHeld { call: number }, "draft.held", choices);
        if let Some(dialog) = &mut self.dialog {
            dialog.title = format!("{}: {who}", dialog.title);
        }
        Vec::new()
    }

    fn say_forms_full(&mut self) {
        self.say(Tone::Bad, |s| {
            s.t("msg.forms_full").replace(
                "{n}",
                &crate::domain::intake::MAX_DRAFTS_PER_CLERK.to_string(),
            )
        });
    }

    fn call(&mut self, number: Option<String>) -> Vec<Effect> {
        let request = match number {
            Some(number) => Request::CallTicket { number },
            None => Request::CallNext,
        };
        vec![self.ask_once(request, State::called)]
    }

    /// The answer to "another person's form is on screen".
    pub(super) fn form_held_choice(
        &mut self,
        call: Option<String>,
        choice: Option<String>,
    ) -> Vec<Effect> {
        match choice.as_deref() {
            Some("resume") => self.go_intake(),
            Some("call") if self.forms_full() => {
                self.say_forms_full();
                Vec::new()
            }
            Some("call") => self.call(call),
            _ => Vec::new(),
        }
    }

    fn called(&mut self, response: Response) -> Vec<Effect> {
        let Response::Ticket(ticket) = response else {
            return self.unexpected(&response);
        };
        let Some(ticket) = ticket else {
            self.say(Tone::Info, |s| s.t("msg.no_one"));
            return Vec::new();
        };
        let number = ticket.number.clone();
        self.say(Tone::Good, move |s| {
            format!("{}: {number}", s.t("msg.called"))
        });
        self.back_to = Some(Screen::Queue);
        let mut effects = vec![self.queue_request()];
        effects.extend(self.start_intake_for(&ticket));
        effects
    }
}
