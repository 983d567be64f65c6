//! The daemon's log: `tracing` events on standard error, one line each, shaped for journald
//! (no colours; no timestamp of our own when journald adds one). Fields name staff ids, request
//! kinds, durations, outcomes and error kinds — never values a person typed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tracing_subscriber::EnvFilter;

/// Starts the daemon's log. `FRONTDESK_LOG` filters it (e.g. `debug`, `frontdesk=warn`);
/// the default is `info`. Calling it twice keeps the first.
pub fn init() {
    let filter =
        EnvFilter::try_from_env("FRONTDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false);
    // journald sets JOURNAL_STREAM for services whose stderr it reads, and stamps each line.
    let _ = if std::env::var_os("JOURNAL_STREAM").is_some() {
        builder.without_time().try_init()
    } else {
        builder.try_init()
    };
}

/// Lets through one line per period and counts the ones it held back, so a fault that repeats
/// thousands of times a second (a full descriptor table) makes one line, not a storm.
pub struct RateLimited {
    period: Duration,
    last: Mutex<Option<Instant>>,
    suppressed: AtomicU64,
}

impl RateLimited {
    pub const fn new(period: Duration) -> RateLimited {
        RateLimited {
            period,
            last: Mutex::new(None),
            suppressed: AtomicU64::new(0),
        }
    }

    /// `Some(n)` when a line may be written now (`n`: how many were held back since the last);
    /// `None` when this one is held back.
    pub fn allow(&self) -> Option<u64> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if last.is_some_and(|at| now.duration_since(at) < self.period) {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        *last = Some(now);
        Some(self.suppressed.swap(0, Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_storm_makes_one_line_and_a_count() {
        let limit = RateLimited::new(Duration::from_millis(100));
        assert_eq!(limit.allow(), Some(0));
        for _ in 0..1000 {
            assert_eq!(limit.allow(), None);
        }
        std::thread::sleep(Duration::from_millis(120));
        assert_eq!(limit.allow(), Some(1000));
    }
}
