//! How many connections the daemon holds, in total and per OS user. A connection holds a
//! [`Pass`] for its whole life; dropping it (however the connection ends) gives the place back.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::config::DaemonLimits;

/// A peer that is not on the staff list may hold this many connections at once: enough to be
/// told why it is refused, never enough to matter.
pub const NON_STAFF_CONNECTIONS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The daemon holds its maximum of connections.
    Full(usize),
    /// This OS user holds its maximum.
    UserFull(usize),
}

impl Refusal {
    /// What the refused client is told.
    pub fn message(self) -> String {
        match self {
            Refusal::Full(limit) => format!(
                "the daemon holds its maximum of {limit} connections; try again in a minute, or ask the administrator to raise `daemon.max_connections`"
            ),
            Refusal::UserFull(limit) => format!(
                "your login already holds {limit} connections to the daemon; close some frontdesk windows or scripts, or ask the administrator to raise `daemon.max_connections_per_user`"
            ),
        }
    }

    /// For the log: a kind, no names.
    pub fn kind(self) -> &'static str {
        match self {
            Refusal::Full(_) => "total-limit",
            Refusal::UserFull(_) => "per-user-limit",
        }
    }
}

#[derive(Default)]
struct Counts {
    total: usize,
    per_uid: HashMap<u32, usize>,
}

pub struct Admission {
    max_total: usize,
    max_per_user: usize,
    counts: Arc<Mutex<Counts>>,
}

/// One admitted connection's place.
pub struct Pass {
    uid: u32,
    counts: Arc<Mutex<Counts>>,
}

impl Admission {
    pub fn new(limits: &DaemonLimits) -> Admission {
        Admission {
            max_total: limits.max_connections.max(1),
            max_per_user: limits.max_connections_per_user.max(1),
            counts: Arc::new(Mutex::new(Counts::default())),
        }
    }

    /// A place for a new connection of `uid`, or why not.
    pub fn admit(&self, uid: u32, staff: bool) -> Result<Pass, Refusal> {
        let per_user = if staff {
            self.max_per_user
        } else {
            NON_STAFF_CONNECTIONS.min(self.max_per_user)
        };
        // A poisoned lock only means a thread panicked while counting; the counts stay usable.
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.total >= self.max_total {
            return Err(Refusal::Full(self.max_total));
        }
        let held = counts.per_uid.get(&uid).copied().unwrap_or(0);
        if held >= per_user {
            return Err(Refusal::UserFull(per_user));
        }
        counts.total += 1;
        counts.per_uid.insert(uid, held + 1);
        Ok(Pass {
            uid,
            counts: self.counts.clone(),
        })
    }

    /// Connections held now.
    pub fn held(&self) -> usize {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

impl Drop for Pass {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.total = counts.total.saturating_sub(1);
        if let Some(held) = counts.per_uid.get_mut(&self.uid) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                counts.per_uid.remove(&self.uid);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(total: usize, per_user: usize) -> DaemonLimits {
        DaemonLimits {
            max_connections: total,
            max_connections_per_user: per_user,
            ..DaemonLimits::default()
        }
    }

    #[test]
    fn places_are_counted_per_user_and_given_back_on_drop() {
        let admission = Admission::new(&limits(3, 2));
        let a = admission.admit(1, true).unwrap();
        let _b = admission.admit(1, true).unwrap();
        assert_eq!(admission.admit(1, true).err(), Some(Refusal::UserFull(2)));
        let _c = admission.admit(2, true).unwrap();
        assert_eq!(admission.admit(3, true).err(), Some(Refusal::Full(3)));
        drop(a);
        assert_eq!(admission.held(), 2);
        assert!(admission.admit(1, true).is_ok());
    }

    #[test]
    fn a_peer_off_the_staff_list_gets_a_few_places_only() {
        let admission = Admission::new(&limits(100, 50));
        let held: Vec<_> = (0..NON_STAFF_CONNECTIONS)
            .map(|_| admission.admit(9, false).unwrap())
            .collect();
        assert!(admission.admit(9, false).is_err());
        drop(held);
        assert_eq!(admission.held(), 0);
    }
}
