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

/// Today's tickets of every office, in arrival order. Kept in memory: a ticket matters for
/// the day it is issued.
#[derive(Debug, Default)]
pub struct WalkInQueue {
    tickets: Vec<Ticket>,
    issued: u32,
}

impl WalkInQueue {
    /// Registers an arrival. Without a number from a ticket machine, the next `A###` is issued.
    pub fn arrive(
        &mut self,
        number: Option<String>,
        office: &str,
        channel: &str,
        measure: &str,
        now: DateTime<Utc>,
    ) -> Ticket {
        self.issued += 1;
        let number = number
            .map(|n| {
                n.trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(12)
                    .collect::<String>()
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("A{:03}", self.issued));
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
        ticket
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_waiting_is_called_first() {
        let mut queue = WalkInQueue::default();
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        queue.arrive(None, "ALM01", "provider", "lifting-allowance", t0);
        queue.arrive(
            Some(" B7 ".into()),
            "ALM01",
            "provider",
            "housing-credit",
            t0 + chrono::Duration::minutes(1),
        );
        queue.arrive(None, "SC01", "state-corp", "housing-credit", t0);
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
    fn a_waiting_ticket_is_called_by_its_number() {
        let mut queue = WalkInQueue::default();
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        queue.arrive(None, "ALM01", "provider", "lifting-allowance", t0);
        queue.arrive(None, "ALM01", "provider", "lifting-allowance", t0);
        let called = queue.call("ALM01", "clerk", Some("a002"), t0).unwrap();
        assert_eq!(called.number, "A002");
        assert!(queue.call("ALM01", "clerk", Some("A002"), t0).is_none());
        assert_eq!(
            queue.call_next("ALM01", "clerk", t0).unwrap().number,
            "A001"
        );
    }
}
