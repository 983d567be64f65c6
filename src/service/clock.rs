//! The injectable clock: real time, a fixed instant, or real time shifted to start at a given
//! instant (training and demos).

use std::sync::{Arc, Mutex};
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
    /// Set by its owner: fixture generators and tests that walk a case through time.
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    pub fn shifted(start: DateTime<Utc>) -> Clock {
        Clock::Shifted {
            start,
            since: Instant::now(),
        }
    }

    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock::Manual(Arc::new(Mutex::new(start)))
    }

    /// Moves a manual clock; other clocks ignore it.
    pub fn set(&self, t: DateTime<Utc>) {
        if let Clock::Manual(now) = self {
            if let Ok(mut now) = now.lock() {
                *now = t;
            }
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::Manual(now) => now.lock().map_or_else(|_| Utc::now(), |t| *t),
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
            Clock::Shifted { start, since } => {
                *start + Duration::from_std(since.elapsed()).unwrap_or_else(|_| Duration::zero())
            }
        }
    }
}
