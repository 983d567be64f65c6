//! The walk-in queue of an office: arrivals waiting to be called to a counter.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One person waiting (or called).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub number: String,
    pub office: String,
    pub channel: String,
    pub measure: String,
    pub arrived_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    /// Staff id of the counter that called the ticket.
    pub called_by: Option<String>,
}

/// People waiting at one office at once; past this, arrivals are refused (a flood, not a hall).
pub const MAX_WAITING: usize = 2_000;
/// Tickets one office may issue in a day, called ones included.
pub const MAX_TICKETS_A_DAY: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum QueueError {
    #[error("`{0}` is not a ticket number: up to 3 letters, then 1 to 4 digits (e.g. A017)")]
    BadNumber(String),
    #[error("ticket {0} is already in today's queue: check the number on the ticket")]
    Duplicate(String),
    #[error("{MAX_WAITING} people are already waiting at this office: call some before registering more")]
    Full,
    #[error("this office has issued {MAX_TICKETS_A_DAY} tickets today, the most a day holds")]
    DayFull,
}

/// A ticket number as a ticket machine prints it: up to 3 letters, then 1–4 digits; upper-cased.
pub fn ticket_number(text: &str) -> Result<String, QueueError> {
    let number = text.trim().to_uppercase();
    let letters = number.chars().take_while(|c| c.is_alphabetic()).count();
    let digits = number.chars().skip(letters).collect::<String>();
    let valid = letters <= 3
        && (1..=4).contains(&digits.chars().count())
        && digits.chars().all(|c| c.is_ascii_digit());
    if valid {
        Ok(number)
    } else {
        Err(QueueError::BadNumber(
            crate::domain::text::shown_safely(text.trim())
                .chars()
                .take(16)
                .collect(),
        ))
    }
}

/// Today's tickets of every office, in arrival order. Kept in memory: a ticket matters for
/// the day it is issued; the service retires a day's tickets at the first queue request of the
/// next local day.
#[derive(Debug, Default)]
pub struct WalkInQueue {
    tickets: Vec<Ticket>,
    /// Numbers issued by the counter itself today, per office.
    issued: std::collections::HashMap<String, u32>,
}

impl WalkInQueue {
    /// Registers an arrival. Without a number from a ticket machine, the next free `A###` is
    /// issued.
    pub fn arrive(
        &mut self,
        number: Option<String>,
        office: &str,
        channel: &str,
        measure: &str,
        now: DateTime<Utc>,
    ) -> Result<Ticket, QueueError> {
        let mut of_office = self.tickets.iter().filter(|t| t.office == office);
        if of_office.clone().count() >= MAX_TICKETS_A_DAY {
            return Err(QueueError::DayFull);
        }
        if of_office.clone().filter(|t| t.called_at.is_none()).count() >= MAX_WAITING {
            return Err(QueueError::Full);
        }
        let number = match number.filter(|n| !n.trim().is_empty()) {
            Some(number) => {
                let number = ticket_number(&number)?;
                if of_office.any(|t| t.number == number) {
                    return Err(QueueError::Duplicate(number));
                }
                number
            }
            None => loop {
                let issued = self.issued.entry(office.to_string()).or_insert(0);
                *issued += 1;
                let number = format!("A{:03}", *issued);
                if !self
                    .tickets
                    .iter()
                    .any(|t| t.office == office && t.number == number)
                {
                    break number;
                }
            },
        };
        let ticket = Ticket {
            number,
            office: office.to_string(),
            channel: channel.to_string(),
            measure: measure.to_string(),
            arrived_at: now,
            called_at: None,
            called_by: None,
        };
        self.tickets.push(ticket.clone());
        Ok(ticket)
    }

    /// Forgets the office's tickets that arrived before its local day began; returns how many.
    pub fn retire(&mut self, office: &str, before_today: impl Fn(DateTime<Utc>) -> bool) -> usize {
        let before = self.tickets.len();
        self.tickets
            .retain(|t| t.office != office || !before_today(t.arrived_at));
        let retired = before - self.tickets.len();
        if retired > 0 && !self.tickets.iter().any(|t| t.office == office) {
            self.issued.remove(office);
        }
        retired
    }

    /// Calls the person who has waited longest at `office` to the counter of `staff`.
    pub fn call_next(&mut self, office: &str, staff: &str, now: DateTime<Utc>) -> Option<Ticket> {
        self.call(office, staff, None, now)
    }

    /// Calls one waiting person by ticket number (letters in any case), or the longest
    /// waiting when `number` is `None`.
    pub fn call(
        &mut self,
        office: &str,
        staff: &str,
        number: Option<&str>,
        now: DateTime<Utc>,
    ) -> Option<Ticket> {
        let ticket = self.tickets.iter_mut().find(|t| {
            t.office == office
                && t.called_at.is_none()
                && number.is_none_or(|n| t.number.eq_ignore_ascii_case(n.trim()))
        })?;
        ticket.called_at = Some(now);
        ticket.called_by = Some(staff.to_string());
        Some(ticket.clone())
    }

    /// The office's tickets: waiting first (longest wait first), then called ones, latest first.
    pub fn list(&self, office: &str) -> Vec<Ticket> {
        let mut waiting: Vec<Ticket> = self
            .tickets
            .iter()
            .filter(|t| t.office == office && t.called_at.is_none())
            .cloned()
            .collect();
        let mut called: Vec<Ticket> = self
            .tickets
            .iter()
            .filter(|t| t.office == office && t.called_at.is_some())
            .cloned()
            .collect();
        called.sort_by_key(|t| std::cmp::Reverse(t.called_at));
        waiting.extend(called);
        waiting
    }
}

impl super::Service {
    /// The walk-in queue, with the office's tickets of earlier local days retired first.
    pub(super) fn walk_in_queue(
        &self,
        office: &str,
    ) -> Result<std::sync::MutexGuard<'_, WalkInQueue>, super::ServiceError> {
        let mut queue = self
            .queue
            .lock()
            .map_err(|_| super::ServiceError::Internal("the walk-in queue".into()))?;
        let calendar = self
            .config()
            .office(office)
            .and_then(|o| self.regulation().channel(&o.channel).ok())
            .and_then(|c| self.regulation().calendar(&c.schedule));
        let local_day =
            |t: DateTime<Utc>| calendar.map_or(t.date_naive(), |c| c.to_local(t).date_naive());
        let today = local_day(self.now());
        queue.retire(office, |arrived| local_day(arrived) < today);
        Ok(queue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_waiting_is_called_first() {
        let mut queue = WalkInQueue::default();
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        queue
            .arrive(None, "ALM01", "provider", "lifting-allowance", t0)
            .unwrap();
        queue
            .arrive(
                Some(" b7 ".into()),
                "ALM01",
                "provider",
                "housing-credit",
                t0 + chrono::Duration::minutes(1),
            )
            .unwrap();
        queue
            .arrive(None, "SC01", "state-corp", "housing-credit", t0)
            .unwrap();
        let called = queue
            .call_next("ALM01", "clerk", t0 + chrono::Duration::minutes(5))
            .unwrap();
        assert_eq!(called.number, "A001");
        let list = queue.list("ALM01");
        assert_eq!(list[0].number, "B7");
        assert_eq!(list[1].number, "A001");
        assert_eq!(queue.call_next("ALM01", "clerk", t0).unwrap().number, "B7");
        assert!(queue.call_next("ALM01", "clerk", t0).is_none());
    }

    #[test]
    fn numbers_are_checked_and_duplicates_refused() {
        let mut queue = WalkInQueue::default();
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut arrive = |n: Option<&str>| {
            queue.arrive(
                n.map(String::from),
                "ALM01",
                "provider",
                "housing-credit",
                t0,
            )
        };
        assert_eq!(arrive(Some("A002")).unwrap().number, "A002");
        assert_eq!(
            arrive(Some("a002")),
            Err(QueueError::Duplicate("A002".into()))
        );
        for bad in ["12345", "ABCD1", "A-1", "A1\u{1b}", "A", "Ә1 2"] {
            assert!(
                matches!(arrive(Some(bad)), Err(QueueError::BadNumber(_))),
                "{bad}"
            );
        }
        assert_eq!(arrive(Some("Қ17")).unwrap().number, "Қ17");
        // Issued numbers skip the ones a ticket machine already gave.
        assert_eq!(arrive(None).unwrap().number, "A001");
        assert_eq!(arrive(None).unwrap().number, "A003");
    }

    #[test]
    fn an_office_holds_a_bounded_queue_and_yesterday_retires() {
        let mut queue = WalkInQueue::default();
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        for _ in 0..MAX_WAITING {
            queue
                .arrive(None, "ALM01", "provider", "housing-credit", t0)
                .unwrap();
        }
        assert_eq!(
            queue.arrive(None, "ALM01", "provider", "housing-credit", t0),
            Err(QueueError::Full)
        );
        // Another office is not affected.
        assert!(queue
            .arrive(None, "SC01", "state-corp", "housing-credit", t0)
            .is_ok());
        assert_eq!(queue.retire("ALM01", |arrived| arrived <= t0), MAX_WAITING);
        assert_eq!(queue.list("SC01").len(), 1);
        assert_eq!(
            queue
                .arrive(None, "ALM01", "provider", "housing-credit", t0)
                .unwrap()
                .number,
            "A001"
        );
    }

    #[test]
    fn a_waiting_ticket_is_called_by_its_number() {
        let mut queue = WalkInQueue::default();
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        queue
            .arrive(None, "ALM01", "provider", "lifting-allowance", t0)
            .unwrap();
        queue
            .arrive(None, "ALM01", "provider", "lifting-allowance", t0)
            .unwrap();
        let called = queue.call("ALM01", "clerk", Some("a002"), t0).unwrap();
        assert_eq!(called.number, "A002");
        assert!(queue.call("ALM01", "clerk", Some("A002"), t0).is_none());
        assert_eq!(
            queue.call_next("ALM01", "clerk", t0).unwrap().number,
            "A001"
        );
    }
}
