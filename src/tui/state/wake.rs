//! When the screen must be drawn again by itself: the first instant a countdown on it changes
//! its text or its state, or the clock its minute. The loop sleeps until then.

use chrono::{DateTime, Duration, Utc};

use super::{Screen, State};
use crate::countdown::case_countdown;
use crate::domain::case::Case;

/// Never wake more often than this, whatever the countdowns say.
const SHORTEST_SLEEP_MS: i64 = 200;

impl State {
    /// The next instant something visible changes by itself, to sleep until then.
    pub fn next_wake(&self) -> DateTime<Utc> {
        // The header clock shows minutes.
        let next_minute = self.now + Duration::seconds(60 - self.now.timestamp().rem_euclid(60));
        self.next_visible_change()
            .min(next_minute)
            .max(self.now + Duration::milliseconds(SHORTEST_SLEEP_MS))
    }

    /// The first instant any countdown on screen changes its text or state.
    pub fn next_visible_change(&self) -> DateTime<Utc> {
        let regulation = &self.ctx.regulation;
        let mut wake = self.now + Duration::hours(1);
        for case in self.mine.iter().take(24) {
            if let Some(c) = case_countdown(regulation, case, self.now) {
                wake = wake.min(c.next_change);
            }
        }
        match self.screen {
            Screen::Intake => {
                if let Some(c) = self.window_countdown() {
                    wake = wake.min(c.next_change);
                }
            }
            Screen::Cases => {
                let cases: Vec<&Case> = match &self.detail {
                    Some(detail) => detail.case.iter().collect(),
                    None => self.cases.list.iter().take(60).collect(),
                };
                for case in cases {
                    if let Some(c) = case_countdown(regulation, case, self.now) {
                        wake = wake.min(c.next_change);
                    }
                }
            }
            // Waits are shown in whole minutes; the dashboard is asked again every 30 s.
            Screen::Queue | Screen::Receipt => {}
            Screen::Dashboard => {
                if let Some(fetched) = self.dashboard.fetched {
                    let refresh = Duration::seconds(super::dashboard::DASHBOARD_REFRESH_SECONDS);
                    wake = wake.min(fetched + refresh);
                }
            }
        }
        wake
    }
}
