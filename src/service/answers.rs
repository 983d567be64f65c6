//! The answers to writes sent with a request id ([`Request::Once`]), kept a while in the core:
//! a client that lost an answer (its link dropped, the daemon was slow) sends the same id again
//! and gets the first answer, not a second case, print or ticket. PostgreSQL also keeps the
//! ids of case events with the events, across restarts and daemons; this covers every engine
//! and the walk-in queue, which lives in the core's memory, for as long as the core runs.
//!
//! [`Request::Once`]: super::Request::Once

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::{Response, ServiceError};

/// How many answers are kept: a client retries within seconds, so the latest few thousand
/// writes of a site are plenty, and the memory stays bounded.
const KEPT: usize = 4096;

/// How long a request waits for the same request still running (a retry that overtook it).
const WAIT_FOR_FIRST: Duration = Duration::from_secs(30);

#[derive(Default)]
struct Kept {
    by_key: HashMap<String, Response>,
    /// Keys oldest first, to forget the oldest when full.
    order: VecDeque<String>,
    /// Requests running now, so that the same one sent again waits for their answer.
    running: HashSet<String>,
}

impl Kept {
    fn insert(&mut self, key: String, response: Response) {
        if self.by_key.insert(key.clone(), response).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > KEPT {
            if let Some(oldest) = self.order.pop_front() {
                self.by_key.remove(&oldest);
            }
        }
    }
}

#[derive(Default)]
pub(super) struct Answers {
    kept: Mutex<Kept>,
    finished: Condvar,
}

/// What to do with a request sent with an id.
pub(super) enum Turn<'a> {
    /// It was answered before: this is the answer.
    Answered(Box<Response>),
    /// Run it, then [`Running::finish`].
    Run(Running<'a>),
}

/// A request with an id running now; dropped without `finish` (a failure, a panic), it lets
/// the next one with that id run.
pub(super) struct Running<'a> {
    answers: &'a Answers,
    key: String,
}

impl Running<'_> {
    pub(super) fn finish(self, response: &Response) {
        if let Ok(mut kept) = self.answers.kept.lock() {
            kept.insert(self.key.clone(), response.clone());
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if let Ok(mut kept) = self.answers.kept.lock() {
            kept.running.remove(&self.key);
        }
        self.answers.finished.notify_all();
    }
}

fn lost() -> ServiceError {
    ServiceError::Internal("the kept answers".into())
}

impl Answers {
    /// The answer already given to the request keyed `key` (staff member and request id), or
    /// the turn to run it; waits while the same request is running.
    pub(super) fn turn(&self, key: &str) -> Result<Turn<'_>, ServiceError> {
        let mut kept = self.kept.lock().map_err(|_| lost())?;
        loop {
            if let Some(answer) = kept.by_key.get(key) {
                return Ok(Turn::Answered(Box::new(answer.clone())));
            }
            if kept.running.insert(key.to_string()) {
                return Ok(Turn::Run(Running {
                    answers: self,
                    key: key.to_string(),
                }));
            }
            let (next, waited) = self
                .finished
                .wait_timeout(kept, WAIT_FOR_FIRST)
                .map_err(|_| lost())?;
            kept = next;
            if waited.timed_out() {
                return Err(ServiceError::Internal(
                    "the same request is still running; look the case up before sending it again"
                        .into(),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<'a>(answers: &'a Answers, key: &str) -> Running<'a> {
        match answers.turn(key).unwrap() {
            Turn::Run(running) => running,
            Turn::Answered(answer) => panic!("{answer:?}"),
        }
    }

    #[test]
    fn the_oldest_answers_are_forgotten_first_and_a_key_is_kept_once() {
        let answers = Answers::default();
        for i in 0..KEPT + 2 {
            run(&answers, &format!("clerk/{i}")).finish(&Response::Done);
        }
        let kept = answers.kept.lock().unwrap();
        assert_eq!(kept.order.len(), KEPT);
        assert_eq!(kept.by_key.len(), KEPT);
        assert!(!kept.by_key.contains_key("clerk/0") && !kept.by_key.contains_key("clerk/1"));
        assert!(kept.by_key.contains_key("clerk/2"));
        assert!(kept.running.is_empty());
    }

    #[test]
    fn the_same_request_sent_while_it_runs_waits_for_its_answer() {
        let answers = Answers::default();
        let first = run(&answers, "clerk/1");
        std::thread::scope(|scope| {
            let second = scope.spawn(|| match answers.turn("clerk/1").unwrap() {
                Turn::Answered(answer) => *answer,
                Turn::Run(_) => panic!("ran twice"),
            });
            std::thread::sleep(Duration::from_millis(50));
            first.finish(&Response::Done);
            assert_eq!(second.join().unwrap(), Response::Done);
        });
        // A failure (no answer kept) lets the next one run.
        drop(run(&answers, "clerk/2"));
        drop(run(&answers, "clerk/2"));
    }
}
