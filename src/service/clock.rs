//! The injectable clock: real time, a fixed instant, or real time shifted to start at a given
//! instant (training and demos).

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
    /// Runs at real speed from `start`.
    Shifted {
        start: DateTime<Utc>,
        since: Instant,
    },
}

impl Clock {
    pub fn shifted(start: DateTime<Utc>) -> Clock {
        Clock::Shifted {
            start,
            since: Instant::now(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
            Clock::Shifted { start, since } => {
                *start + Duration::from_std(since.elapsed()).unwrap_or_else(|_| Duration::zero())
            }
        }
    }
}
