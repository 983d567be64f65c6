//! The walk-in queue: who waits, registering an arrival, calling the next person.

use super::{ask, Effect, State, Tone};
use crate::domain::intake::IntakeForm;
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
                self.open_dialog(super::DialogKind::Arrival, "field.ticket", measures);
                return Vec::new();
            }
            Action::CallNext => return vec![ask(Request::CallNext, State::called)],
            Action::Open => return self.go_intake(),
            _ => return Vec::new(),
        };
        if len > 0 {
            self.queue.selected =
                (self.queue.selected as isize + step).clamp(0, len as isize - 1) as usize;
        }
        Vec::new()
    }

    /// The arrival dialog was confirmed: register the ticket (typed, or the next number).
    pub(super) fn register_arrival(&self, ticket: String, measure: Option<String>) -> Vec<Effect> {
        let first_measure = self
            .ctx
            .regulation
            .file
            .measures
            .first()
            .map(|m| m.id.clone())
            .unwrap_or_default();
        vec![ask(
            Request::RegisterArrival {
                ticket: Some(ticket).filter(|t| !t.is_empty()),
                channel: self.ctx.office.channel.clone(),
                measure: measure.unwrap_or(first_measure),
            },
            State::arrival_registered,
        )]
    }

    fn arrival_registered(&mut self, response: Response) -> Vec<Effect> {
        let Response::Ticket(Some(ticket)) = response else {
            return self.unexpected(&response);
        };
        self.say(
            Tone::Good,
            format!("{} {}", self.t("queue.ticket"), ticket.number),
        );
        vec![self.queue_request()]
    }

    fn called(&mut self, response: Response) -> Vec<Effect> {
        let Response::Ticket(ticket) = response else {
            return self.unexpected(&response);
        };
        let Some(ticket) = ticket else {
            self.say(Tone::Info, self.t("msg.no_one"));
            return Vec::new();
        };
        self.say(
            Tone::Good,
            format!("{}: {}", self.t("msg.called"), ticket.number),
        );
        if self.intake.opened_at.is_none() || self.intake.form == IntakeForm::default() {
            self.clear_intake();
        }
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
        self.intake.ticket = Some(ticket.number);
        self.open_intake();
        vec![self.queue_request(), self.save_draft()]
    }
}
