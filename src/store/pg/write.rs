//! Appending: one event is one transaction, re-run on a conflict or a lost link, and looked up
//! by its request id when the answer to its commit was lost.
//!
//! A durable accept waits for its commit's flush, and on a busy server for every round trip
//! before it: it takes six (BEGIN; the receipt counter's lock; the case number; the office's
//! chain head's lock; one statement writing the event, the chain head, the case row and the
//! counter; COMMIT), each statement sent with its parameters' types so that it needs no
//! separate prepare.

use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

use postgres::types::{ToSql, Type};
use postgres::{GenericClient, Transaction};
use sha2::{Digest, Sha256};

use super::{is_conflict, is_link_error, join, PgStore, RETRY_FOR};
use crate::codec::{decode, encode};
use crate::domain::case::{Case, CaseEvent, CaseId, EventHash, EventRecord, StoredEvent};
use crate::domain::query::{name_words, StepOwners};
use crate::domain::receipt::ReceiptNo;
use crate::store::{Decide, EngineKind, StoreError, WriteView};

// A value handed back once per write: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Appended {
    /// The decision was not to write.
    Declined,
    /// This request had already been recorded (a retry after a lost answer): its event and the
    /// case as it is now.
    Earlier(StoredEvent, Case),
    New {
        stored: StoredEvent,
        previous: Option<Case>,
        case: Case,
    },
}

/// Why one attempt did not finish.
pub(crate) enum Failed {
    /// Nothing was committed; the next attempt may succeed.
    Retry(StoreError),
    /// The commit was sent and its answer lost: it may have been committed.
    Unknown(StoreError),
    /// The pooled connection was found broken before anything of this attempt reached the
    /// server (an idle one, after the server restarted): another may be tried at once.
    Stale(StoreError),
    Final(StoreError),
}

impl Failed {
    pub(crate) fn into_error(self) -> StoreError {
        match self {
            Failed::Retry(e) | Failed::Stale(e) | Failed::Final(e) => e,
            Failed::Unknown(e) => StoreError::Uncertain(e.to_string()),
        }
    }
}

impl From<postgres::Error> for Failed {
    fn from(error: postgres::Error) -> Failed {
        if is_link_error(&error) || is_conflict(&error) {
            Failed::Retry(error.into())
        } else {
            Failed::Final(error.into())
        }
    }
}

impl From<StoreError> for Failed {
    fn from(error: StoreError) -> Failed {
        Failed::Final(error)
    }
}

/// The chain hash of an event: its place in its office's chain, the hash before it, its bytes.
pub(crate) fn chain_hash(office_seq: i64, prev_hash: &[u8], record: &[u8]) -> EventHash {
    let mut hasher = Sha256::new();
    hasher.update(office_seq.to_be_bytes());
    hasher.update(prev_hash);
    hasher.update(record);
    hasher.finalize().into()
}

fn hash_from(bytes: &[u8]) -> Result<EventHash, StoreError> {
    bytes.try_into().map_err(|_| {
        StoreError::inconsistent(EngineKind::Postgres, "a stored hash is not 32 bytes")
    })
}

/// An instant as nanoseconds since 1970 (saturating far outside this century), so that the
/// database orders and compares exactly as the other engines do.
pub(crate) fn nanos(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp_nanos_opt().unwrap_or(if at.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// What a decision reads, inside its transaction: the case it changes is locked until commit.
struct TxView<'t, 'c> {
    tx: RefCell<&'t mut Transaction<'c>>,
    case_id: Cell<Option<CaseId>>,
    /// The database error behind a failed read, so the attempt knows whether to re-run.
    failure: RefCell<Option<postgres::Error>>,
}

impl TxView<'_, '_> {
    fn run<T>(
        &self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        let mut tx = self.tx.borrow_mut();
        f(&mut tx).map_err(|error| {
            let reported = if is_link_error(&error) {
                StoreError::Unavailable(error.to_string())
            } else {
                StoreError::Engine(error.to_string())
            };
            *self.failure.borrow_mut() = Some(error);
            reported
        })
    }
}

impl WriteView for TxView<'_, '_> {
    fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        let Ok(id) = i64::try_from(id) else {
            return Ok(None);
        };
        let row = self.run(|tx| {
            tx.query_typed_opt(
                "SELECT state, intake FROM cases WHERE id = $1 FOR UPDATE",
                &[(&id, Type::INT8)],
            )
        })?;
        row.map(|row| join(row.get(0), row.get(1))).transpose()
    }

    fn next_case_id(&self) -> Result<CaseId, StoreError> {
        if let Some(id) = self.case_id.get() {
            return Ok(id);
        }
        let id: i64 = self
            .run(|tx| tx.query_typed_one("SELECT nextval('case_ids')", &[]))?
            .get(0);
        let id = id as CaseId;
        self.case_id.set(Some(id));
        Ok(id)
    }

    fn next_receipt_no(&self, office: &str, year: i32) -> Result<ReceiptNo, StoreError> {
        let last: i64 = self
            .run(|tx| {
                // Held until commit: the next writer of this office and year waits for this
                // number. The row is made once, at an office's first receipt of the year.
                let lock =
                    "SELECT last FROM receipt_counters WHERE office = $1 AND year = $2 FOR UPDATE";
                let params: [(&(dyn ToSql + Sync), Type); 2] =
                    [(&office, Type::TEXT), (&year, Type::INT4)];
                if let Some(row) = tx.query_typed_opt(lock, &params)? {
                    return Ok(row);
                }
                tx.execute(
                    "INSERT INTO receipt_counters (office, year, last) VALUES ($1, $2, 0)
                     ON CONFLICT DO NOTHING",
                    &[&office, &year],
                )?;
                tx.query_one(lock, &[&office, &year])
            })?
            .get(0);
        Ok(ReceiptNo {
            office: office.to_string(),
            year,
            seq: last as u64 + 1,
        })
    }
}

impl PgStore {
    /// Appends one event, re-running the decision until it commits, is declined, or
    /// [`RETRY_FOR`] has passed.
    /// `given`: the request id came from the client, who may have sent it before.
    pub(crate) fn append_retrying(
        &self,
        request_id: &str,
        given: bool,
        decide: &mut Decide,
    ) -> Result<Appended, StoreError> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(50);
        let mut uncertain = false;
        let mut stale_in_a_row = 0;
        loop {
            let outcome = self.connection().and_then(|mut connection| {
                if uncertain {
                    // The last commit's answer was lost: did it happen?
                    match earlier_event(&mut *connection, request_id) {
                        Ok(Some(earlier)) => return Ok(Ok(earlier)),
                        Ok(None) => {}
                        Err(error @ StoreError::Unavailable(_)) => {
                            return Ok(Err(Failed::Stale(error)))
                        }
                        Err(error) => return Err(error),
                    }
                }
                Ok(self.attempt(&mut connection, request_id, given, decide))
            });
            if let Ok(Err(Failed::Stale(_))) = &outcome {
                // Each idle connection of the pool may be broken: try the next at once, up to
                // as many as the pool holds.
                stale_in_a_row += 1;
                if stale_in_a_row <= super::POOL_SIZE && started.elapsed() < RETRY_FOR {
                    continue;
                }
            } else {
                stale_in_a_row = 0;
            }
            let error = match outcome {
                Ok(Ok(appended)) => return Ok(appended),
                Err(error @ StoreError::Unavailable(_)) if !uncertain => return Err(error),
                Err(error @ StoreError::Unavailable(_)) => {
                    return Err(StoreError::Uncertain(error.to_string()))
                }
                Err(error) => return Err(error),
                Ok(Err(Failed::Final(error))) => return Err(error),
                Ok(Err(Failed::Retry(error) | Failed::Stale(error))) => error,
                Ok(Err(Failed::Unknown(error))) => {
                    uncertain = true;
                    error
                }
            };
            if started.elapsed() >= RETRY_FOR {
                return Err(if uncertain {
                    StoreError::Uncertain(error.to_string())
                } else {
                    error
                });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(1));
        }
    }

    fn attempt(
        &self,
        client: &mut postgres::Client,
        request_id: &str,
        given: bool,
        decide: &mut Decide,
    ) -> Result<Appended, Failed> {
        let mut tx = client.transaction().map_err(|error| {
            if is_link_error(&error) {
                Failed::Stale(error.into())
            } else {
                Failed::from(error)
            }
        })?;
        // An id made here for this write is new: only a client's own may have been used.
        if given {
            if let Some(earlier) = earlier_event(&mut tx, request_id)? {
                return Ok(earlier);
            }
        }
        let view = TxView {
            tx: RefCell::new(&mut tx),
            case_id: Cell::new(None),
            failure: RefCell::new(None),
        };
        let decided = decide(&view);
        let failure = view.failure.take();
        drop(view);
        let record = match decided {
            Ok(Some(record)) => record,
            Ok(None) => return Ok(Appended::Declined),
            Err(error) => {
                return Err(match failure {
                    Some(cause) if is_link_error(&cause) || is_conflict(&cause) => {
                        Failed::Retry(error)
                    }
                    _ => Failed::Final(error),
                })
            }
        };
        let (stored, previous, case) = append_event(
            &mut tx,
            &self.shared.step_owners,
            &record,
            Provenance {
                request_id: Some(request_id),
                writer: &self.shared.writer,
                origin: None,
            },
        )?;
        tx.commit().map_err(|error| {
            if is_link_error(&error) {
                Failed::Unknown(error.into())
            } else {
                Failed::from(error)
            }
        })?;
        Ok(Appended::New {
            stored,
            previous,
            case,
        })
    }
}

/// Where an event comes from, stored beside it.
pub(crate) struct Provenance<'a> {
    pub request_id: Option<&'a str>,
    pub writer: &'a str,
    /// A migrated event: the source journal, its record number and hash.
    pub origin: Option<(&'a str, i64, &'a [u8])>,
}

/// Writes one decided event inside `tx`: its office's chain, the event, the case row, the
/// receipt counter, and the notice to other daemons (sent at commit).
pub(crate) fn append_event(
    tx: &mut Transaction<'_>,
    step_owners: &StepOwners,
    record: &EventRecord,
    provenance: Provenance<'_>,
) -> Result<(StoredEvent, Option<Case>, Case), Failed> {
    let case_id = i64::try_from(record.case_id).map_err(|_| {
        StoreError::inconsistent(
            EngineKind::Postgres,
            format!("case number {} is too large", record.case_id),
        )
    })?;
    let creates = matches!(
        record.event,
        CaseEvent::Accepted { .. } | CaseEvent::RefusedToAccept { .. }
    );
    // A new case needs no read: a number used before is caught by the cases' key below.
    let previous = if creates {
        None
    } else {
        let row = tx.query_typed_opt(
            "SELECT state, intake FROM cases WHERE id = $1 FOR UPDATE",
            &[(&case_id, Type::INT8)],
        )?;
        match row {
            Some(row) => Some(join(row.get(0), row.get(1))?),
            None => return Err(Failed::Final(recreates_or_missing(false, record.case_id))),
        }
    };
    let case = Case::apply(previous.clone(), record).ok_or_else(|| {
        StoreError::inconsistent(
            EngineKind::Postgres,
            format!("an event made no case {}", record.case_id),
        )
    })?;

    // The office's chain head, locked until commit: its events stay in one line. The row is
    // made at the office's first event.
    let lock = "SELECT last_seq, last_hash FROM chain_heads WHERE office = $1 FOR UPDATE";
    let office_param: [(&(dyn ToSql + Sync), Type); 1] = [(&case.office, Type::TEXT)];
    let head = match tx.query_typed_opt(lock, &office_param)? {
        Some(head) => head,
        None => {
            tx.execute(
                "INSERT INTO chain_heads (office, last_seq, last_hash) VALUES ($1, 0, $2)
                 ON CONFLICT DO NOTHING",
                &[&case.office, &vec![0u8; 32]],
            )?;
            tx.query_typed_one(lock, &office_param)?
        }
    };
    let office_seq: i64 = head.get::<_, i64>(0) + 1;
    let prev_hash: Vec<u8> = head.get(1);
    let bytes = encode(record).map_err(StoreError::from)?;
    let hash = chain_hash(office_seq, &prev_hash, &bytes);
    let (origin, origin_seq, origin_hash) = match provenance.origin {
        Some((origin, seq, hash)) => (Some(origin), Some(seq), Some(hash)),
        None => (None, None, None),
    };
    let row = CaseRow::of(step_owners, &case, creates)?;
    let receipt_no = case.receipt_no.to_string();
    let receipt_seq = case.receipt_no.seq as i64;
    let hash_slice = hash.as_slice();
    // The event, its chain head (and the notice to other daemons, sent at commit), the case
    // row and, for a new case, its receipt counter: one statement, one round trip.
    let mut params: Vec<(&(dyn ToSql + Sync), Type)> = vec![
        (&case.office, Type::TEXT),
        (&office_seq, Type::INT8),
        (&case_id, Type::INT8),
        (&provenance.request_id, Type::TEXT),
        (&provenance.writer, Type::TEXT),
        (&bytes, Type::BYTEA),
        (&prev_hash, Type::BYTEA),
        (&hash_slice, Type::BYTEA),
        (&origin, Type::TEXT),
        (&origin_seq, Type::INT8),
        (&origin_hash, Type::BYTEA),
        (&super::NOTICE_CHANNEL, Type::TEXT),
        (&row.state, Type::BYTEA),
        (&row.step, Type::TEXT),
        (&row.owners, Type::TEXT_ARRAY),
        (&row.deadline, Type::INT8),
    ];
    let sql = if creates {
        params.extend([
            (&receipt_no as &(dyn ToSql + Sync), Type::TEXT),
            (&row.intake, Type::BYTEA),
            (&row.opened, Type::INT8),
            (&row.iin, Type::TEXT),
            (&row.representative_iin, Type::TEXT),
            (&row.name_words, Type::TEXT_ARRAY),
            (&case.receipt_no.office, Type::TEXT),
            (&case.receipt_no.year, Type::INT4),
            (&receipt_seq, Type::INT8),
        ]);
        APPEND_NEW_CASE
    } else {
        APPEND_TO_CASE
    };
    let seq: i64 = match tx.query_typed_one(sql, &params) {
        Ok(row) => row.get(0),
        Err(error)
            if error
                .as_db_error()
                .is_some_and(|e| e.constraint() == Some("cases_pkey")) =>
        {
            return Err(Failed::Final(recreates_or_missing(true, record.case_id)))
        }
        Err(error) => return Err(error.into()),
    };
    Ok((
        StoredEvent {
            seq: seq as u64,
            hash,
            record: record.clone(),
        },
        previous,
        case,
    ))
}

/// The start of [`APPEND_NEW_CASE`] and [`APPEND_TO_CASE`]: the event, and its office's chain
/// head with the notice to other daemons (PostgreSQL sends it at commit).
macro_rules! event_and_head {
    () => {
        "WITH event AS (
             INSERT INTO events (office, office_seq, case_id, request_id, writer, record,
                                 prev_hash, hash, origin, origin_seq, origin_hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING seq),
         head AS (
             UPDATE chain_heads SET last_seq = $2, last_hash = $8 WHERE office = $1
             RETURNING pg_notify($12, $1)),"
    };
}

/// One new case's event: its row and its receipt counter too. (Every part of a WITH that
/// writes runs to its end, read or not.)
const APPEND_NEW_CASE: &str = concat!(
    event_and_head!(),
    "
     new_case AS (
         INSERT INTO cases (id, office, receipt_no, state, intake, step, owners, deadline_ns,
                            opened_ns, iin, representative_iin, name_words)
         VALUES ($3, $1, $17, $13, $18, $14, $15, $16, $19, $20, $21, $22)),
     counter AS (
         INSERT INTO receipt_counters (office, year, last) VALUES ($23, $24, $25)
         ON CONFLICT (office, year) DO UPDATE
         SET last = greatest(receipt_counters.last, EXCLUDED.last))
     SELECT (SELECT seq FROM event), (SELECT count(*) FROM head)"
);

/// A later event of a case: its state and list columns.
const APPEND_TO_CASE: &str = concat!(
    event_and_head!(),
    "
     changed_case AS (
         UPDATE cases SET state = $13, step = $14, owners = $15, deadline_ns = $16
         WHERE id = $3)
     SELECT (SELECT seq FROM event), (SELECT count(*) FROM head)"
);

fn recreates_or_missing(creates: bool, case_id: CaseId) -> StoreError {
    StoreError::inconsistent(
        EngineKind::Postgres,
        format!(
            "an event {} case {case_id}",
            if creates {
                "re-creates"
            } else {
                "refers to a missing"
            }
        ),
    )
}

/// The case row's columns: state and list columns at every event; intake and search columns
/// once, when the case is made.
struct CaseRow {
    state: Vec<u8>,
    step: Option<String>,
    owners: Vec<String>,
    deadline: Option<i64>,
    intake: Vec<u8>,
    opened: i64,
    iin: String,
    representative_iin: Option<String>,
    name_words: Vec<String>,
}

impl CaseRow {
    fn of(step_owners: &StepOwners, case: &Case, creates: bool) -> Result<CaseRow, StoreError> {
        let step = case.current_step();
        let mut row = CaseRow {
            state: encode(&case.state())?,
            step: step.map(|s| s.step_id.clone()),
            owners: step_owners
                .of(case)
                .iter()
                .map(|o| o.as_str().to_string())
                .collect(),
            deadline: step.map(|s| nanos(s.deadline)),
            intake: Vec::new(),
            opened: nanos(case.window.opened_at),
            iin: String::new(),
            representative_iin: None,
            name_words: Vec::new(),
        };
        if creates {
            let applicant = &case.intake.applicant;
            let representative = case.intake.representative.as_ref();
            row.intake = encode(&case.intake)?;
            row.iin = applicant.iin.as_str().to_string();
            row.representative_iin = representative
                .and_then(|r| r.iin.as_ref())
                .map(|i| i.as_str().to_string());
            row.name_words = name_words(&applicant.name).collect();
            if let Some(representative) = representative {
                row.name_words.extend(name_words(&representative.name));
            }
        }
        Ok(row)
    }
}

/// The event a request already wrote, with its case as it is now.
fn earlier_event(
    client: &mut impl GenericClient,
    request_id: &str,
) -> Result<Option<Appended>, StoreError> {
    let Some(row) = client.query_typed_opt(
        "SELECT e.seq, e.hash, e.record, c.state, c.intake
         FROM events e JOIN cases c ON c.id = e.case_id WHERE e.request_id = $1",
        &[(&request_id, Type::TEXT)],
    )?
    else {
        return Ok(None);
    };
    let stored = StoredEvent {
        seq: row.get::<_, i64>(0) as u64,
        hash: hash_from(row.get(1))?,
        record: decode(row.get(2))?,
    };
    Ok(Some(Appended::Earlier(
        stored,
        join(row.get(3), row.get(4))?,
    )))
}

/// The events of a case up to `through` (a seq), oldest first.
pub(crate) fn events_of(
    client: &mut impl GenericClient,
    case_id: i64,
    through: i64,
) -> Result<Vec<StoredEvent>, StoreError> {
    client
        .query(
            "SELECT seq, hash, record FROM events WHERE case_id = $1 AND seq <= $2 ORDER BY seq",
            &[&case_id, &through],
        )?
        .iter()
        .map(|row| {
            Ok(StoredEvent {
                seq: row.get::<_, i64>(0) as u64,
                hash: hash_from(row.get(1))?,
                record: decode(row.get(2))?,
            })
        })
        .collect()
}

/// Walks every office's chain: the number of events checked, or the first break.
pub(crate) fn verify_chains(
    client: &mut postgres::Client,
) -> Result<Result<u64, String>, StoreError> {
    let heads = client.query(
        "SELECT office, last_seq, last_hash FROM chain_heads ORDER BY office",
        &[],
    )?;
    let mut checked = 0u64;
    for head in heads {
        let office: String = head.get(0);
        let mut expected_prev = vec![0u8; 32];
        let mut expected_seq = 1i64;
        let rows = client.query(
            "SELECT office_seq, prev_hash, hash, record FROM events
             WHERE office = $1 ORDER BY office_seq",
            &[&office],
        )?;
        for row in &rows {
            let office_seq: i64 = row.get(0);
            let prev_hash: &[u8] = row.get(1);
            let hash: &[u8] = row.get(2);
            let record: &[u8] = row.get(3);
            if office_seq != expected_seq {
                return Ok(Err(format!(
                    "office {office}: event {expected_seq} of its chain is missing"
                )));
            }
            if prev_hash != expected_prev.as_slice()
                || chain_hash(office_seq, prev_hash, record).as_slice() != hash
            {
                return Ok(Err(format!(
                    "office {office}: event {office_seq} of its chain was changed"
                )));
            }
            if decode::<EventRecord>(record).is_err() {
                return Ok(Err(format!(
                    "office {office}: event {office_seq} does not decode"
                )));
            }
            expected_prev = hash.to_vec();
            expected_seq += 1;
            checked += 1;
        }
        let last_seq: i64 = head.get(1);
        let last_hash: &[u8] = head.get(2);
        if last_seq != expected_seq - 1 || last_hash != expected_prev.as_slice() {
            return Ok(Err(format!(
                "office {office}: the chain head does not match its last event"
            )));
        }
    }
    Ok(Ok(checked))
}
