//! The answers to writes sent with a request id ([`Request::Once`]), kept a while in the core:
//! a client that lost an answer (its link dropped, the daemon was slow) sends the same id again
//! and gets the first answer, not a second case, print or ticket. PostgreSQL also keeps the
//! ids of case events with the events, across restarts and daemons; this covers every engine
//! and the walk-in queue, which lives in the core's memory, for as long as the core runs.

use std::collections::{HashMap, VecDeque};

use super::{Response, Service, ServiceError};

/// How many answers are kept: a client retries within seconds, so the latest few thousand
/// writes of a site are plenty, and the memory stays bounded.
const KEPT: usize = 4096;

#[derive(Default)]
pub(super) struct Answers {
    by_key: HashMap<String, Response>,
    /// Keys oldest first, to forget the oldest when full.
    order: VecDeque<String>,
}

impl Answers {
    fn get(&self, key: &str) -> Option<Response> {
        self.by_key.get(key).cloned()
    }

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

impl Service {
    /// The answer already given to the request keyed `key` (staff member and request id).
    pub(super) fn answered_before(&self, key: &str) -> Result<Option<Response>, ServiceError> {
        Ok(self
            .answers
            .lock()
            .map_err(|_| ServiceError::Internal("the kept answers".into()))?
            .get(key))
    }

    pub(super) fn remember_answer(
        &self,
        key: String,
        response: &Response,
    ) -> Result<(), ServiceError> {
        self.answers
            .lock()
            .map_err(|_| ServiceError::Internal("the kept answers".into()))?
            .insert(key, response.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_answers_are_forgotten_first_and_a_key_is_kept_once() {
        let mut answers = Answers::default();
        for i in 0..KEPT + 2 {
            answers.insert(format!("clerk/{i}"), Response::Done);
        }
        answers.insert(format!("clerk/{}", KEPT + 1), Response::Done);
        assert_eq!(answers.order.len(), KEPT);
        assert_eq!(answers.by_key.len(), KEPT);
        assert!(answers.get("clerk/0").is_none() && answers.get("clerk/1").is_none());
        assert!(answers.get("clerk/2").is_some());
        assert!(answers.get(&format!("clerk/{}", KEPT + 1)).is_some());
    }
}
