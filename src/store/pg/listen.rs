//! Live notices between daemons: every commit NOTIFYs the office whose chain grew; a thread of
//! each daemon LISTENs, reads the events after the last it knows of each office's chain, and
//! tells the watcher. Positions are per office because each chain is gapless and grows in
//! commit order; the global `seq` may be committed out of order by concurrent offices.
//!
//! A notice lost while the link is down is made up at reconnection (positions are kept), and a
//! poll every few seconds covers anything else. The listener is also the daemon's watch on its
//! link to the database: it says when the link drops and when it is back, so that the screens
//! can say "reconnecting" once instead of failing request after request.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls};

use super::write::events_of;
use super::{Shared, NOTICE_CHANNEL};
use crate::codec::decode;
use crate::domain::case::{Case, EventRecord, StoredEvent};
use crate::store::{EngineKind, LinkWatch, StoreError, Watch};

/// How long the listener waits for a notice before it looks anyway (and checks for stop).
const WAIT: Duration = Duration::from_millis(250);
const POLL_EVERY: Duration = Duration::from_secs(5);

/// The last event of each office's chain.
pub(crate) fn heads(client: &mut Client) -> Result<HashMap<String, i64>, StoreError> {
    Ok(client
        .query("SELECT office, last_seq FROM chain_heads", &[])?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
}

pub(crate) fn spawn(
    shared: Arc<Shared>,
    positions: Option<HashMap<String, i64>>,
    notify: Box<Watch>,
    link: Box<LinkWatch>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut positions = positions;
        // Told only on a change: the link is up when the store has just opened.
        let mut link_up = true;
        let mut tell = |up: bool| {
            if up != link_up {
                link_up = up;
                if up {
                    tracing::info!("the database is reachable again");
                } else {
                    tracing::warn!("the database cannot be reached; reconnecting");
                }
                link(up);
            }
        };
        while !shared.stop.load(Ordering::Relaxed) {
            let mut client = match shared.config.connect(NoTls) {
                Ok(client) => client,
                Err(_) => {
                    tell(false);
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            };
            if client
                .batch_execute(&format!("LISTEN {NOTICE_CHANNEL}"))
                .is_err()
            {
                tell(false);
                std::thread::sleep(Duration::from_millis(200));
                continue;
            }
            if positions.is_none() {
                positions = heads(&mut client).ok();
            }
            let Some(positions) = positions.as_mut() else {
                continue;
            };
            // Whatever was missed while the link was down, then notices as they come.
            match listen(&shared, &mut client, positions, notify.as_ref(), &mut tell) {
                Ok(()) => {}
                Err(StoreError::Unavailable(_)) => {
                    tell(false);
                    std::thread::sleep(Duration::from_millis(200));
                }
                // A fault of the data, not of the link: tried again on a fresh connection.
                Err(_) => std::thread::sleep(Duration::from_secs(1)),
            }
        }
    })
}

/// Serves one connection until it fails or the store closes.
fn listen(
    shared: &Shared,
    client: &mut Client,
    positions: &mut HashMap<String, i64>,
    notify: &Watch,
    tell_link: &mut dyn FnMut(bool),
) -> Result<(), StoreError> {
    catch_up(shared, client, positions, notify)?;
    // Listening and caught up: the link is there (again).
    tell_link(true);
    let mut polled = Instant::now();
    while !shared.stop.load(Ordering::Relaxed) {
        let mut woken = false;
        {
            let mut notifications = client.notifications();
            if notifications.timeout_iter(WAIT).next()?.is_some() {
                woken = true;
                // Several commits may have landed: one catch-up covers them all.
                while notifications.iter().next()?.is_some() {}
            }
        }
        if client.is_closed() {
            return Err(StoreError::Unavailable(
                "the listening connection closed".into(),
            ));
        }
        if woken || polled.elapsed() >= POLL_EVERY {
            catch_up(shared, client, positions, notify)?;
            polled = Instant::now();
        }
    }
    Ok(())
}

/// Tells `notify` of every event after `positions`, office by office, skipping this daemon's.
fn catch_up(
    shared: &Shared,
    client: &mut Client,
    positions: &mut HashMap<String, i64>,
    notify: &Watch,
) -> Result<(), StoreError> {
    for (office, last) in heads(client)? {
        let known = positions.get(&office).copied().unwrap_or(0);
        if last <= known {
            continue;
        }
        let rows = client.query(
            "SELECT seq, office_seq, hash, record, writer, case_id FROM events
             WHERE office = $1 AND office_seq > $2 AND office_seq <= $3 ORDER BY office_seq",
            &[&office, &known, &last],
        )?;
        for row in rows {
            let office_seq: i64 = row.get(1);
            let writer: &str = row.get(4);
            if writer != shared.writer {
                let seq: i64 = row.get(0);
                let record: EventRecord = decode(row.get(3))?;
                // The case before and after this event, from its history up to it.
                let history = events_of(client, row.get(5), seq)?;
                let (before, _) = history.split_at(history.len().saturating_sub(1));
                let previous = Case::from_events(before.iter().map(|e| &e.record));
                if let Some(case) = Case::apply(previous.clone(), &record) {
                    let stored = StoredEvent {
                        seq: seq as u64,
                        hash: row.get::<_, &[u8]>(2).try_into().map_err(|_| {
                            StoreError::inconsistent(
                                EngineKind::Postgres,
                                "a stored hash is not 32 bytes",
                            )
                        })?,
                        record,
                    };
                    notify(&stored, previous.as_ref(), &case);
                }
            }
            positions.insert(office.clone(), office_seq);
        }
    }
    Ok(())
}
