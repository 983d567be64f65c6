//! Looking at a data directory without changing what it holds: the database as sled has it (no
//! replay, no projection) and the journal as it is on disk (no torn tail cut), and what else
//! records how much history there is — the backups' manifests and the receipt counters — so
//! `recover` never shortens history silently and `audit verify` stays read-only.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::journal::{self, Hash, JournalRecord, JournalTail};
use super::{applied_tail, keys, open_engine, Engine, EventEntry, Store, StoreOptions};
use crate::codec::decode;
use crate::domain::case::{CaseEvent, CaseId, EventRecord};
use crate::store::{EngineKind, StoreError};

/// Receipt counters: (office, year) → the highest number issued.
pub type ReceiptCounters = BTreeMap<(String, i32), u64>;

/// The database of a data directory, opened without replaying anything into it.
pub struct Inspection {
    engine: Engine,
}

impl Inspection {
    /// Opens the database as it is. `Locked` when a running frontdesk holds it.
    pub fn open(dir: &Path) -> Result<Inspection, StoreError> {
        let db_path = Store::db_path(dir);
        if !db_path.exists() {
            return Err(StoreError::Open {
                path: db_path.display().to_string(),
                message: "there is no database".into(),
            });
        }
        Ok(Inspection {
            engine: open_engine(&db_path, &StoreOptions::default())?,
        })
    }

    pub fn applied(&self) -> Result<JournalTail, StoreError> {
        applied_tail(&self.engine.trees)
    }

    pub fn case_count(&self) -> usize {
        self.engine.trees.cases.len()
    }

    pub fn receipt_counters(&self) -> Result<ReceiptCounters, StoreError> {
        let mut counters = ReceiptCounters::new();
        for entry in self.engine.trees.meta.scan_prefix(b"receipt-seq/") {
            let (key, value) = entry?;
            let key = String::from_utf8_lossy(&key).into_owned();
            let mut parts = key.splitn(3, '/').skip(1);
            if let (Some(office), Some(Ok(year))) = (parts.next(), parts.next().map(str::parse)) {
                counters.insert((office.to_string(), year), decode(&value)?);
            }
        }
        Ok(counters)
    }

    /// Compares the database's event log with the journal's records `records`: the first
    /// difference, if any.
    pub fn difference(&self, records: &[JournalRecord]) -> Result<Option<String>, StoreError> {
        for record in records {
            let Ok(event) = decode::<EventRecord>(&record.payload) else {
                return Ok(Some(format!(
                    "journal record {} does not decode",
                    record.seq
                )));
            };
            let key = keys::event_of_case(event.case_id, record.seq);
            match self.engine.trees.by_case.get(key)? {
                None => {
                    return Ok(Some(format!(
                        "journal record {} is not in the database",
                        record.seq
                    )))
                }
                Some(bytes) => match decode::<EventEntry>(&bytes) {
                    Ok(entry) if entry.hash == record.hash && entry.offset == record.offset => {}
                    Ok(_) => {
                        return Ok(Some(format!(
                            "journal record {} is not the event the database applied there (a rewritten journal, or a damaged database)",
                            record.seq
                        )))
                    }
                    Err(e) => {
                        return Ok(Some(format!(
                            "database event {} is damaged: {e}",
                            record.seq
                        )))
                    }
                },
            }
        }
        let logged = self.engine.trees.by_case.len();
        if logged != records.len() {
            return Ok(Some(format!(
                "the database logs {logged} events, the journal holds {}",
                records.len()
            )));
        }
        Ok(None)
    }
}

/// The receipt numbers the journal's records issued: (office, year) → highest, and which case
/// each number went to.
pub fn receipts_in(records: &[JournalRecord]) -> (ReceiptCounters, Vec<(String, CaseId)>) {
    let mut counters = ReceiptCounters::new();
    let mut issued = Vec::new();
    for record in records {
        let Ok(event) = decode::<EventRecord>(&record.payload) else {
            continue;
        };
        if let CaseEvent::Accepted { receipt_no, .. }
        | CaseEvent::RefusedToAccept { receipt_no, .. } = &event.event
        {
            let highest = counters
                .entry((receipt_no.office.clone(), receipt_no.year))
                .or_insert(0);
            *highest = (*highest).max(receipt_no.seq);
            issued.push((receipt_no.to_string(), event.case_id));
        }
    }
    (counters, issued)
}

/// A backup's MANIFEST: how much history it holds and the hash its last record ends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub records: u64,
    pub last_hash: Hash,
    pub bytes: u64,
}

pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Hash> {
    let mut hash = [0u8; 32];
    if text.len() != 64 {
        return None;
    }
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(hash)
}

impl Manifest {
    pub fn of(tail: &JournalTail) -> Manifest {
        Manifest {
            records: tail.last_seq,
            last_hash: tail.last_hash,
            bytes: tail.end,
        }
    }

    pub fn text(&self) -> String {
        format!(
            "frontdesk backup\nrecords {}\nlast_hash {}\nbytes {}\n",
            self.records,
            hex(&self.last_hash),
            self.bytes
        )
    }

    pub fn parse(text: &str) -> Option<Manifest> {
        let field = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
                .map(str::trim)
        };
        Some(Manifest {
            records: field("records")?.parse().ok()?,
            last_hash: unhex(field("last_hash")?)?,
            bytes: field("bytes")?.parse().ok()?,
        })
    }

    pub fn read(folder: &Path) -> Result<Manifest, StoreError> {
        let path = folder.join("MANIFEST");
        let text = fs::read_to_string(&path).map_err(|source| StoreError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Manifest::parse(&text).ok_or_else(|| {
            StoreError::inconsistent(
                EngineKind::Sled,
                format!("{} is not a frontdesk manifest", path.display()),
            )
        })
    }
}

/// The data directory's list of backups made from it (folder and manifest, one a line), so
/// `recover` and `audit verify` know the newest without being told.
pub fn backups_log(dir: &Path) -> PathBuf {
    dir.join("backups.log")
}

pub fn note_backup(dir: &Path, folder: &Path, manifest: &Manifest) -> Result<(), StoreError> {
    use std::io::Write;
    let path = backups_log(dir);
    let io = |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .map_err(io)?;
    writeln!(
        file,
        "{} {} {} {}",
        manifest.records,
        hex(&manifest.last_hash),
        manifest.bytes,
        folder.display()
    )
    .map_err(io)?;
    file.sync_data().map_err(io)
}

/// The backup with the most records noted in the data directory, and its folder.
pub fn newest_backup(dir: &Path) -> Option<(Manifest, String)> {
    let text = fs::read_to_string(backups_log(dir)).ok()?;
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, ' ');
            let manifest = Manifest {
                records: parts.next()?.parse().ok()?,
                last_hash: unhex(parts.next()?)?,
                bytes: parts.next()?.parse().ok()?,
            };
            Some((manifest, parts.next().unwrap_or("").to_string()))
        })
        .max_by_key(|(manifest, _)| manifest.records)
}

/// Whether the journal's records hold record `seq` with `hash` (extend that point of history).
pub fn extends(records: &[JournalRecord], seq: u64, hash: &Hash) -> bool {
    seq == 0
        || records
            .get((seq - 1) as usize)
            .is_some_and(|r| r.seq == seq && &r.hash == hash)
}

/// Where the journal holds less history than something else records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub evidence: String,
    pub held: String,
    pub recorded: String,
}

impl From<Shortfall> for StoreError {
    fn from(s: Shortfall) -> StoreError {
        StoreError::ShorterHistory {
            held: s.held,
            recorded: s.recorded,
            evidence: s.evidence,
        }
    }
}

/// Everything that records more history than the journal's `records` hold: the database's
/// applied point and receipt counters, and the newest backup.
pub fn shortfalls(
    records: &[JournalRecord],
    database: Option<(&JournalTail, &ReceiptCounters)>,
    backup: Option<(&Manifest, &str)>,
) -> Vec<Shortfall> {
    let mut found = Vec::new();
    let held = records.len() as u64;
    if let Some((applied, counters)) = database {
        if !extends(records, applied.last_seq, &applied.last_hash) {
            found.push(Shortfall {
                evidence: "the database".into(),
                held: format!("{held} events"),
                recorded: format!(
                    "event {} with another hash (applied {} events)",
                    applied.last_seq, applied.last_seq
                ),
            });
        }
        let (issued, _) = receipts_in(records);
        for ((office, year), highest) in counters {
            let in_journal = issued.get(&(office.clone(), *year)).copied().unwrap_or(0);
            if in_journal < *highest {
                found.push(Shortfall {
                    evidence: "the database's receipt counter".into(),
                    held: format!("receipt numbers of {office} {year} up to {in_journal}"),
                    recorded: format!("up to {highest}"),
                });
            }
        }
    }
    if let Some((manifest, folder)) = backup {
        if !extends(records, manifest.records, &manifest.last_hash) {
            found.push(Shortfall {
                evidence: format!("the backup {folder}"),
                held: format!("{held} events"),
                recorded: format!(
                    "{} events ending on hash {}…",
                    manifest.records,
                    &hex(&manifest.last_hash)[..16]
                ),
            });
        }
    }
    found
}

/// Every whole record of the journal on disk, read without cutting anything.
pub fn journal_records(path: &Path) -> Result<(Vec<JournalRecord>, Option<u64>), StoreError> {
    let mut reader = journal::Reader::open(path, JournalTail::EMPTY)?;
    let mut records = Vec::new();
    while let Some(record) = reader.next_record()? {
        records.push(record);
    }
    Ok((records, reader.torn_at))
}
