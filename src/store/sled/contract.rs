//! The sled engine as a [`CaseStore`]; drafts are small files beside the database, one per
//! clerk and slot.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::PathBuf;

use super::Store;
use crate::domain::case::{Case, CaseId, CaseState, StoredEvent};
use crate::domain::intake::{sort_drafts, Draft, MAX_KEPT_DRAFTS};
use crate::domain::query::CaseQuery;
use crate::store::{CaseStore, Decide, EngineKind, Observe, StoreError};

impl CaseStore for Store {
    fn append(
        &self,
        decide: &mut Decide,
        observe: &mut Observe,
    ) -> Result<Option<(StoredEvent, Case)>, StoreError> {
        let outcome = self.write_observed(
            |view| match decide(view) {
                Ok(Some(record)) => Ok(record),
                Ok(None) => Err(None),
                Err(error) => Err(Some(error)),
            },
            |previous, case| observe(previous, case),
        )?;
        match outcome {
            Ok(stored) => Ok(Some(stored)),
            Err(None) => Ok(None),
            Err(Some(error)) => Err(error),
        }
    }

    fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        Store::case(self, id)
    }

    fn case_by_receipt(&self, receipt_no: &str) -> Result<Option<Case>, StoreError> {
        Store::case_by_receipt(self, receipt_no)
    }

    fn query(&self, query: &CaseQuery) -> Result<Vec<Case>, StoreError> {
        Store::query(self, query)
    }

    fn history(&self, id: CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        self.events_of(id)
    }

    fn for_each_state_in(
        &self,
        from: CaseId,
        to: CaseId,
        want_whole: &dyn Fn(&CaseState) -> bool,
        f: &mut dyn FnMut(CaseState, Option<Case>),
    ) -> Result<(), StoreError> {
        Store::for_each_state_in(self, from, to, want_whole, f)
    }

    fn next_case_id(&self) -> Result<CaseId, StoreError> {
        Store::next_case_id(self)
    }

    fn with_appends_paused(&self, f: &mut dyn FnMut()) -> Result<(), StoreError> {
        self.with_writes_paused(f)
    }

    fn save_draft(&self, staff_id: &str, draft: &Draft) -> Result<(), StoreError> {
        let dir = self.drafts_dir(staff_id);
        let path = dir.join(slot_file(&draft.slot()));
        let io = |source: std::io::Error| StoreError::Io {
            path: path.display().to_string(),
            source,
        };
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(io)?;
        if !path.exists() && self.draft_files(staff_id)?.len() >= MAX_KEPT_DRAFTS {
            return Err(StoreError::TooManyDrafts {
                limit: MAX_KEPT_DRAFTS,
            });
        }
        let text = serde_json::to_vec(draft)
            .map_err(|e| StoreError::inconsistent(EngineKind::Sled, e.to_string()))?;
        // Written aside and renamed, so a crash never leaves half a draft.
        let temporary = path.with_extension("json.new");
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)
            .map_err(io)?;
        file.write_all(&text).map_err(io)?;
        fs::rename(&temporary, &path).map_err(io)
    }

    fn has_draft(&self, staff_id: &str, slot: &str) -> Result<bool, StoreError> {
        Ok(self.drafts_dir(staff_id).join(slot_file(slot)).exists())
    }

    fn drop_draft(&self, staff_id: &str, slot: &str) -> Result<(), StoreError> {
        let path = self.drafts_dir(staff_id).join(slot_file(slot));
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::Io {
                path: path.display().to_string(),
                source: e,
            }),
            _ => Ok(()),
        }
    }

    fn load_drafts(&self, staff_id: &str) -> Result<Vec<Draft>, StoreError> {
        self.adopt_single_draft(staff_id)?;
        let mut drafts = Vec::new();
        for path in self.draft_files(staff_id)? {
            match fs::read(&path) {
                // A draft that does not parse (an older format, damage) is not worth an error
                // at the counter: the clerk types the form again.
                Ok(bytes) => drafts.extend(serde_json::from_slice::<Draft>(&bytes).ok()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(StoreError::Io {
                        path: path.display().to_string(),
                        source,
                    })
                }
            }
        }
        sort_drafts(&mut drafts);
        Ok(drafts)
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.sync()
    }

    fn open_notice(&self) -> Option<String> {
        Store::open_notice(self)
    }

    fn open_repairs(&self) -> Vec<crate::store::OpenRepair> {
        Store::open_repairs(self)
    }
}

impl Store {
    /// `drafts/<staff>/`: one file per slot, so every form a clerk has open is kept.
    fn drafts_dir(&self, staff_id: &str) -> PathBuf {
        self.dir().join("drafts").join(safe_name(staff_id))
    }

    /// The clerk's draft files (not those being written).
    fn draft_files(&self, staff_id: &str) -> Result<Vec<PathBuf>, StoreError> {
        let dir = self.drafts_dir(staff_id);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(StoreError::Io {
                    path: dir.display().to_string(),
                    source,
                })
            }
        };
        Ok(entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect())
    }

    /// A data directory from before drafts were kept per slot has one `drafts/<staff>.json`:
    /// it moves into its slot (unless that slot has a newer one), so it is not lost.
    fn adopt_single_draft(&self, staff_id: &str) -> Result<(), StoreError> {
        let single = self
            .dir()
            .join("drafts")
            .join(format!("{}.json", safe_name(staff_id)));
        let bytes = match fs::read(&single) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => {
                return Err(StoreError::Io {
                    path: single.display().to_string(),
                    source,
                })
            }
        };
        let io = |source: std::io::Error| StoreError::Io {
            path: single.display().to_string(),
            source,
        };
        if let Ok(draft) = serde_json::from_slice::<Draft>(&bytes) {
            let target = self.drafts_dir(staff_id).join(slot_file(&draft.slot()));
            if !target.exists() {
                fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(self.drafts_dir(staff_id))
                    .map_err(io)?;
                return fs::rename(&single, &target).map_err(io);
            }
        }
        fs::remove_file(&single).map_err(io)
    }
}

/// A staff id as a file name: letters, digits, `-` and `_` kept, anything else `_`.
fn safe_name(staff_id: &str) -> String {
    staff_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A slot's file: `form.json` for the form without a ticket, else the ticket in hex (tickets
/// may hold Cyrillic letters, and two tickets must never share a file).
fn slot_file(slot: &str) -> String {
    if slot.is_empty() {
        return "form.json".to_string();
    }
    let hex: String = slot.bytes().map(|b| format!("{b:02x}")).collect();
    format!("ticket-{hex}.json")
}
