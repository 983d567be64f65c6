//! Request ids for the screens' writes: each write goes as [`Request::Once`], and until it is
//! answered with success, the same write sent again (the clerk presses again after "the
//! connection dropped before the answer came") carries the same id, so the core records it
//! once and answers as it did the first time.

use crate::service::Request;

/// How many unanswered writes are remembered; older ones are let go (a clerk retries the
/// latest, not one from an hour ago).
const REMEMBERED: usize = 32;

pub struct Writes {
    /// Names this screen's ids: unlikely to repeat across processes and starts.
    session: String,
    next: u64,
    /// Writes sent and not answered with success, oldest first.
    unanswered: Vec<Unanswered>,
}

struct Unanswered {
    key: u64,
    request: Request,
    id: String,
}

impl Default for Writes {
    fn default() -> Writes {
        Writes::new(session_name())
    }
}

/// A name for this run of the screen, from the time, the process and a random seed.
fn session_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    format!(
        "s{:x}-{:x}-{:016x}",
        std::process::id(),
        nanos,
        hasher.finish()
    )
}

/// Whether `sent` and `again` are the same write. An intake is the same package however its
/// form was corrected since (it was opened at the same moment): if the first attempt was
/// recorded after all, the clerk gets that case back rather than a second receipt.
fn same_write(sent: &Request, again: &Request) -> bool {
    match (sent, again) {
        (
            Request::Accept {
                opened_at: Some(first),
                ..
            },
            Request::Accept {
                opened_at: Some(second),
                ..
            },
        ) => first == second,
        _ => sent == again,
    }
}

impl Writes {
    pub fn new(session: String) -> Writes {
        Writes {
            session,
            next: 0,
            unanswered: Vec::new(),
        }
    }

    /// `request` with its id (the one it had when sent before, if unanswered), and the key
    /// that its answer settles.
    pub fn wrap(&mut self, request: Request) -> (Request, u64) {
        if let Some(sent) = self
            .unanswered
            .iter_mut()
            .find(|sent| same_write(&sent.request, &request))
        {
            // The latest form is what is sent; the id says it is the same write.
            sent.request = request.clone();
            let once = Request::Once {
                request_id: sent.id.clone(),
                request: Box::new(request),
            };
            return (once, sent.key);
        }
        self.next += 1;
        let id = format!("{}-{}", self.session, self.next);
        self.unanswered.push(Unanswered {
            key: self.next,
            request: request.clone(),
            id: id.clone(),
        });
        if self.unanswered.len() > REMEMBERED {
            self.unanswered.remove(0);
        }
        let once = Request::Once {
            request_id: id,
            request: Box::new(request),
        };
        (once, self.next)
    }

    /// The write of `key` was answered with success: the next one like it is a new write.
    pub fn settle(&mut self, key: u64) {
        self.unanswered.retain(|sent| sent.key != key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(request: &Request) -> &str {
        match request {
            Request::Once { request_id, .. } => request_id,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_write_sent_again_before_its_answer_keeps_its_id_and_a_new_one_gets_another() {
        let mut writes = Writes::new("s1".into());
        let call = Request::CallNext;
        let (first, key) = writes.wrap(call.clone());
        let (again, same_key) = writes.wrap(call.clone());
        assert_eq!(id_of(&first), id_of(&again));
        assert_eq!(key, same_key);
        assert!(id_of(&first).len() <= 100 && id_of(&first).is_ascii());
        writes.settle(key);
        let (next, _) = writes.wrap(call);
        assert_ne!(id_of(&next), id_of(&first));
        // Another process's screen never makes the same ids.
        let other = Writes::default();
        assert_ne!(other.session, Writes::default().session);
    }

    #[test]
    fn an_intake_corrected_after_a_lost_answer_is_the_same_package() {
        let mut writes = Writes::new("s1".into());
        let opened = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        let mut form = crate::domain::intake::IntakeForm::default();
        let (first, _) = writes.wrap(Request::Accept {
            draft: None,
            form: form.clone(),
            opened_at: Some(opened),
        });
        form.phone = "87011234567".into();
        let (corrected, _) = writes.wrap(Request::Accept {
            draft: None,
            form,
            opened_at: Some(opened),
        });
        assert_eq!(id_of(&first), id_of(&corrected));
        let (other_package, _) = writes.wrap(Request::Accept {
            draft: None,
            form: Default::default(),
            opened_at: Some(opened + chrono::Duration::seconds(1)),
        });
        assert_ne!(id_of(&first), id_of(&other_package));
    }

    #[test]
    fn only_the_latest_writes_are_remembered() {
        let mut writes = Writes::new("s1".into());
        for i in 0..REMEMBERED + 5 {
            writes.wrap(Request::CallTicket {
                number: i.to_string(),
            });
        }
        assert_eq!(writes.unanswered.len(), REMEMBERED);
    }
}
