//! The append-only, hash-chained journal: the durable truth the database can be rebuilt from.
//!
//! Record layout (little endian):
//! `len: u32` (of the body) · `crc32: u32` (of the body) · body = `seq: u64` · `prev_hash: [u8; 32]`
//! · `payload`. A record's hash is SHA-256 of its body; the next record carries it as
//! `prev_hash`, so any change to an earlier record breaks the chain after it.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use crate::domain::case::EventHash as Hash;

const HEADER: usize = 8;
const BODY_PREFIX: usize = 8 + 32;
/// No event comes near this; a larger length is damage, not data.
pub const MAX_RECORD: u32 = 4 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("journal {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("journal record {seq} at byte {offset} is damaged ({what}); run `frontdesk audit verify`, then restore the journal from a backup")]
    Damaged { seq: u64, offset: u64, what: String },
}

/// One record read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRecord {
    pub seq: u64,
    pub offset: u64,
    pub prev_hash: Hash,
    pub hash: Hash,
    pub payload: Vec<u8>,
}

impl JournalRecord {
    /// The byte just past this record in the journal.
    pub fn end(&self) -> u64 {
        self.offset + (HEADER + BODY_PREFIX + self.payload.len()) as u64
    }
}

/// Where the journal ends: what the next record must chain to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalTail {
    pub last_seq: u64,
    pub last_hash: Hash,
    /// Byte length of the valid journal.
    pub end: u64,
}

impl JournalTail {
    pub const EMPTY: JournalTail = JournalTail {
        last_seq: 0,
        last_hash: [0; 32],
        end: 0,
    };
}

pub struct Journal {
    path: PathBuf,
    file: File,
    tail: JournalTail,
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.display().to_string(),
        source,
    }
}

pub fn hash_body(body: &[u8]) -> Hash {
    Sha256::digest(body).into()
}

/// Reads records from `offset` on. Stops at the end of the file; a record cut short by the end
/// of the file (an append interrupted before it was acknowledged) is reported as `torn_at`.
pub struct Reader {
    reader: BufReader<File>,
    offset: u64,
    expected_seq: Option<u64>,
    prev_hash: Option<Hash>,
    pub torn_at: Option<u64>,
    path: PathBuf,
}

impl Reader {
    pub fn open(path: &Path, from: JournalTail) -> Result<Reader, JournalError> {
        let mut file = File::open(path).map_err(io_error(path))?;
        file.seek(SeekFrom::Start(from.end))
            .map_err(io_error(path))?;
        Ok(Reader {
            reader: BufReader::with_capacity(256 * 1024, file),
            offset: from.end,
            expected_seq: Some(from.last_seq + 1),
            prev_hash: Some(from.last_hash),
            torn_at: None,
            path: path.to_path_buf(),
        })
    }

    fn read_exact_or_eof(&mut self, buf: &mut [u8]) -> Result<bool, JournalError> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.reader.read(&mut buf[filled..]) {
                Ok(0) => return Ok(false),
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(&self.path)(e)),
            }
        }
        Ok(true)
    }

    /// The next record, checked against its checksum and the chain.
    pub fn next_record(&mut self) -> Result<Option<JournalRecord>, JournalError> {
        let offset = self.offset;
        let seq_guess = self.expected_seq.unwrap_or(0);
        let damaged = |what: String| JournalError::Damaged {
            seq: seq_guess,
            offset,
            what,
        };
        let mut header = [0u8; HEADER];
        let mut first = [0u8; 1];
        if !self.read_exact_or_eof(&mut first)? {
            return Ok(None);
        }
        header[0] = first[0];
        if !self.read_exact_or_eof(&mut header[1..])? {
            self.torn_at = Some(offset);
            return Ok(None);
        }
        let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
        let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        if len > MAX_RECORD || (len as usize) < BODY_PREFIX {
            return Err(damaged(format!("impossible length {len}")));
        }
        let mut body = vec![0u8; len as usize];
        if !self.read_exact_or_eof(&mut body)? {
            self.torn_at = Some(offset);
            return Ok(None);
        }
        if crc32fast::hash(&body) != crc {
            return Err(damaged("checksum mismatch".into()));
        }
        let seq = u64::from_le_bytes(body[..8].try_into().unwrap_or_default());
        let mut prev_hash = [0u8; 32];
        prev_hash.copy_from_slice(&body[8..BODY_PREFIX]);
        if let Some(expected) = self.expected_seq {
            if seq != expected {
                return Err(damaged(format!(
                    "sequence {seq} where {expected} was expected"
                )));
            }
        }
        if let Some(expected) = self.prev_hash {
            if prev_hash != expected {
                return Err(damaged(
                    "hash chain broken: it does not follow the record before it".into(),
                ));
            }
        }
        let hash = hash_body(&body);
        self.offset += HEADER as u64 + u64::from(len);
        self.expected_seq = Some(seq + 1);
        self.prev_hash = Some(hash);
        Ok(Some(JournalRecord {
            seq,
            offset,
            prev_hash,
            hash,
            payload: body[BODY_PREFIX..].to_vec(),
        }))
    }

    pub fn offset(&self) -> u64 {
        self.offset
    }
}

impl Journal {
    /// Opens (creating if needed) the journal whose valid content ends at `tail`, as recorded by
    /// the database. Records after `tail` are returned for replay. A torn final record (never
    /// acknowledged: it was cut short before its fsync) is cut off.
    pub fn open(
        path: &Path,
        tail: JournalTail,
    ) -> Result<(Journal, Vec<JournalRecord>), JournalError> {
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(io_error(path))?;
        let length = file.metadata().map_err(io_error(path))?.len();
        if length < tail.end {
            return Err(JournalError::Damaged {
                seq: tail.last_seq,
                offset: length,
                what: format!(
                    "the journal is {length} bytes but the database has applied {} bytes of it: the journal was truncated or replaced",
                    tail.end
                ),
            });
        }
        let mut reader = Reader::open(path, tail)?;
        let mut pending = Vec::new();
        let mut new_tail = tail;
        while let Some(record) = reader.next_record()? {
            new_tail = JournalTail {
                last_seq: record.seq,
                last_hash: record.hash,
                end: reader.offset(),
            };
            pending.push(record);
        }
        if reader.torn_at.is_some() {
            file.set_len(new_tail.end).map_err(io_error(path))?;
            file.sync_all().map_err(io_error(path))?;
        }
        Ok((
            Journal {
                path: path.to_path_buf(),
                file,
                tail: new_tail,
            },
            pending,
        ))
    }

    pub fn tail(&self) -> JournalTail {
        self.tail
    }

    /// Appends one record in a single write and fsyncs it when `sync` is set. Returns the record.
    pub fn append(&mut self, payload: &[u8], sync: bool) -> Result<JournalRecord, JournalError> {
        let seq = self.tail.last_seq + 1;
        let mut body = Vec::with_capacity(BODY_PREFIX + payload.len());
        body.extend_from_slice(&seq.to_le_bytes());
        body.extend_from_slice(&self.tail.last_hash);
        body.extend_from_slice(payload);
        let len = u32::try_from(body.len())
            .ok()
            .filter(|&l| l <= MAX_RECORD)
            .ok_or_else(|| JournalError::Io {
                path: self.path.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "record too large"),
            })?;
        let mut record = Vec::with_capacity(HEADER + body.len());
        record.extend_from_slice(&len.to_le_bytes());
        record.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        record.extend_from_slice(&body);
        let path = self.path.clone();
        self.file.write_all(&record).map_err(io_error(&path))?;
        if sync {
            self.file.sync_data().map_err(io_error(&path))?;
        }
        let hash = hash_body(&body);
        let offset = self.tail.end;
        self.tail = JournalTail {
            last_seq: seq,
            last_hash: hash,
            end: offset + record.len() as u64,
        };
        Ok(JournalRecord {
            seq,
            offset,
            prev_hash: body[8..BODY_PREFIX].try_into().unwrap_or([0; 32]),
            hash,
            payload: payload.to_vec(),
        })
    }

    pub fn sync(&self) -> Result<(), JournalError> {
        self.file.sync_data().map_err(io_error(&self.path))
    }

    /// A second handle on the journal file, to fsync it without holding the writer.
    pub fn sync_handle(&self) -> Result<File, JournalError> {
        self.file.try_clone().map_err(io_error(&self.path))
    }
}

/// Reads the one record at `offset` (as recorded in the database's event log), checking its
/// checksum; `seq` is what the caller expects to find there.
pub fn read_at(
    file: &File,
    path: &Path,
    offset: u64,
    seq: u64,
) -> Result<JournalRecord, JournalError> {
    use std::os::unix::fs::FileExt;
    let damaged = |what: String| JournalError::Damaged { seq, offset, what };
    let mut header = [0u8; HEADER];
    file.read_exact_at(&mut header, offset)
        .map_err(io_error(path))?;
    let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    if len > MAX_RECORD || (len as usize) < BODY_PREFIX {
        return Err(damaged(format!("impossible length {len}")));
    }
    let mut body = vec![0u8; len as usize];
    file.read_exact_at(&mut body, offset + HEADER as u64)
        .map_err(io_error(path))?;
    if crc32fast::hash(&body) != crc {
        return Err(damaged("checksum mismatch".into()));
    }
    let found = u64::from_le_bytes(body[..8].try_into().unwrap_or_default());
    if found != seq {
        return Err(damaged(format!("holds record {found}")));
    }
    let mut prev_hash = [0u8; 32];
    prev_hash.copy_from_slice(&body[8..BODY_PREFIX]);
    Ok(JournalRecord {
        seq,
        offset,
        prev_hash,
        hash: hash_body(&body),
        payload: body[BODY_PREFIX..].to_vec(),
    })
}

/// Checks the whole chain from the first record. Returns the tail, or the first broken record.
pub fn verify(path: &Path) -> Result<(JournalTail, Option<u64>), JournalError> {
    let mut reader = Reader::open(path, JournalTail::EMPTY)?;
    let mut tail = JournalTail::EMPTY;
    while let Some(record) = reader.next_record()? {
        tail = JournalTail {
            last_seq: record.seq,
            last_hash: record.hash,
            end: reader.offset(),
        };
    }
    Ok((tail, reader.torn_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_chain_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal");
        let (mut journal, pending) = Journal::open(&path, JournalTail::EMPTY).unwrap();
        assert!(pending.is_empty());
        for i in 0..5u8 {
            journal.append(&[i; 10], true).unwrap();
        }
        let tail = journal.tail();
        drop(journal);
        let (verified, torn) = verify(&path).unwrap();
        assert_eq!(verified, tail);
        assert_eq!(torn, None);
        let (journal, pending) = Journal::open(&path, JournalTail::EMPTY).unwrap();
        assert_eq!(pending.len(), 5);
        assert_eq!(pending[4].payload, vec![4; 10]);
        assert_eq!(journal.tail(), tail);
    }

    #[test]
    fn a_torn_tail_is_cut_and_a_flipped_byte_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal");
        let (mut journal, _) = Journal::open(&path, JournalTail::EMPTY).unwrap();
        journal.append(b"first", true).unwrap();
        journal.append(b"second", true).unwrap();
        let good = journal.tail();
        drop(journal);
        // A record cut short.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(&[60, 0, 0, 0, 1, 2]);
        std::fs::write(&path, &bytes).unwrap();
        let (journal, pending) = Journal::open(&path, JournalTail::EMPTY).unwrap();
        assert_eq!(pending.len(), 2);
        assert_eq!(journal.tail(), good);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), good.end);
        drop(journal);
        // A flipped byte inside the first record's payload.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[HEADER + BODY_PREFIX + 1] ^= 0x20;
        std::fs::write(&path, &bytes).unwrap();
        match verify(&path) {
            Err(JournalError::Damaged {
                seq: 1, offset: 0, ..
            }) => {}
            other => panic!("{other:?}"),
        }
    }
}
