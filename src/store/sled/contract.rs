//! The sled engine as a [`CaseStore`]; drafts are small files beside the database.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::PathBuf;

use super::Store;
use crate::domain::case::{Case, CaseId, CaseState, StoredEvent};
use crate::domain::intake::Draft;
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

    fn save_draft(&self, staff_id: &str, draft: Option<&Draft>) -> Result<(), StoreError> {
        let path = self.draft_path(staff_id);
        let io = |source: std::io::Error| StoreError::Io {
            path: path.display().to_string(),
            source,
        };
        let Some(draft) = draft else {
            return match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
                _ => Ok(()),
            };
        };
        if let Some(parent) = path.parent() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(io)?;
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

    fn load_draft(&self, staff_id: &str) -> Result<Option<Draft>, StoreError> {
        let path = self.draft_path(staff_id);
        match fs::read(&path) {
            // A draft that does not parse (an older format, damage) is not worth an error at
            // the counter: the clerk types the form again.
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(StoreError::Io {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.sync()
    }

    fn open_notice(&self) -> Option<String> {
        Store::open_notice(self)
    }
}

impl Store {
    fn draft_path(&self, staff_id: &str) -> PathBuf {
        let safe: String = staff_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir().join("drafts").join(format!("{safe}.json"))
    }
}
