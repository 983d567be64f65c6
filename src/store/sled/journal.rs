//! The append-only, hash-chained journal: the durable truth the database can be rebuilt from.
//!
//! Record layout (little endian):
//! `len: u32` (of the body) · `crc32: u32` (of the body) · body = `seq: u64` · `prev_hash: [u8; 32]`
//! · `payload`. A record's hash is SHA-256 of its body; the next record carries it as
//! `prev_hash`, so any change to an earlier record breaks the chain after it.
//!
//! An append is all or nothing: the record is written at the end of the last whole record (not
//! with O_APPEND), and on any write or fsync error the file is cut back to that end and the
//! journal refuses appends until a probe shows the file is whole and writable again.
//!
//! A torn tail (an append cut short by a crash, never acknowledged) is only an incomplete last
//! record with nothing valid after it. A bad record followed by a valid one is damage.

use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

pub use crate::domain::case::EventHash as Hash;

const HEADER: usize = 8;
const BODY_PREFIX: usize = 8 + 32;
/// The smallest whole record: a header and a body with an empty payload.
const MIN_RECORD: usize = HEADER + BODY_PREFIX;
/// No event comes near this; a larger length is damage, not data.
pub const MAX_RECORD: u32 = 4 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("journal {path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("not saved: the disk is full — free space on {dir}; frontdesk saves again by itself once there is room")]
    DiskFull { dir: String },
    #[error("not saved: writing the journal {path} failed ({cause}); {action}")]
    NotSaved {
        path: String,
        cause: String,
        action: &'static str,
    },
    #[error("journal record {seq} at byte {offset} is damaged ({what}); nothing more is saved until it is dealt with: run `frontdesk audit verify`, then restore from a backup or `frontdesk recover --salvage`")]
    Damaged { seq: u64, offset: u64, what: String },
    #[error("the journal is {length} bytes but the database has applied {applied} bytes of it: the journal was cut short or replaced; restore it from a backup (`frontdesk restore`)")]
    Shortened { length: u64, applied: u64 },
}

impl JournalError {
    /// A copy for repeating a lasting failure to every later writer.
    fn repeat(&self) -> JournalError {
        match self {
            JournalError::Io { path, source } => JournalError::Io {
                path: path.clone(),
                source: io::Error::new(source.kind(), source.to_string()),
            },
            JournalError::DiskFull { dir } => JournalError::DiskFull { dir: dir.clone() },
            JournalError::NotSaved {
                path,
                cause,
                action,
            } => JournalError::NotSaved {
                path: path.clone(),
                cause: cause.clone(),
                action,
            },
            JournalError::Damaged { seq, offset, what } => JournalError::Damaged {
                seq: *seq,
                offset: *offset,
                what: what.clone(),
            },
            JournalError::Shortened { length, applied } => JournalError::Shortened {
                length: *length,
                applied: *applied,
            },
        }
    }
}

/// The journal file's operations that can fail under a write: the seam through which tests
/// inject full disks, I/O errors and short writes.
pub trait JournalFile: Send + Sync {
    /// Writes some prefix of `buf` at `offset`; returns how much.
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize>;
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;
    fn sync_data(&self) -> io::Result<()>;
    fn set_len(&self, len: u64) -> io::Result<()>;
    fn length(&self) -> io::Result<u64>;
}

impl JournalFile for File {
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize> {
        FileExt::write_at(self, buf, offset)
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        FileExt::read_at(self, buf, offset)
    }
    fn sync_data(&self) -> io::Result<()> {
        File::sync_data(self)
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        File::set_len(self, len)
    }
    fn length(&self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }
}

/// Opens (creating, owner-only from the start) the journal file for reading and writing.
pub fn open_file(path: &Path) -> Result<File, JournalError> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(io_error(path))
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
        self.offset + (MIN_RECORD + self.payload.len()) as u64
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
    file: Arc<dyn JournalFile>,
    tail: JournalTail,
    /// Where the last whole record starts, to read it back when probing (found when needed).
    last_offset: Option<u64>,
    /// Why appends are refused: a write failure (lifted by a successful probe) or damage (lasting).
    failure: Option<JournalError>,
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.display().to_string(),
        source,
    }
}

pub fn hash_body(body: &[u8]) -> Hash {
    Sha256::digest(body).into()
}

/// The error a failed append reports: the cause, and what helps.
fn not_saved(path: &Path, cause: &io::Error) -> JournalError {
    let dir = path
        .parent()
        .unwrap_or(Path::new("."))
        .display()
        .to_string();
    match cause.raw_os_error() {
        Some(libc::ENOSPC) | Some(libc::EDQUOT) => return JournalError::DiskFull { dir },
        Some(libc::EROFS) => {
            return JournalError::NotSaved {
                path: path.display().to_string(),
                cause: cause.to_string(),
                action: "the file system is read-only: check the disk, remount it read-write, then restart frontdesk",
            }
        }
        _ => {}
    }
    let action = match cause.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            return JournalError::DiskFull { dir }
        }
        io::ErrorKind::PermissionDenied => {
            "give the account frontdesk runs as write permission on the file"
        }
        _ => "the disk reported an error: check it (dmesg, smartctl); frontdesk tries again at the next save",
    };
    JournalError::NotSaved {
        path: path.display().to_string(),
        cause: cause.to_string(),
        action,
    }
}

fn write_all_at(file: &dyn JournalFile, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match file.write_at(buf, offset) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "the file system accepted no bytes",
                ))
            }
            Ok(n) => {
                buf = &buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn read_exact_at(file: &dyn JournalFile, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match file.read_at(buf, offset) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::UnexpectedEof)),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn header_of(bytes: &[u8]) -> (u32, u32) {
    (
        u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
        u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]),
    )
}

fn seq_of(body: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&body[..8]);
    u64::from_le_bytes(bytes)
}

fn plausible_length(len: u32) -> bool {
    len <= MAX_RECORD && len as usize >= BODY_PREFIX
}

/// The first position in `bytes` from `from` on where a whole record with a matching checksum
/// and a sequence number of at least `min_seq` starts.
fn next_valid_record(bytes: &[u8], from: usize, min_seq: u64) -> Option<usize> {
    // Records are at least MIN_RECORD bytes, which bounds how far the sequence can have run.
    let max_seq = min_seq + (bytes.len() / MIN_RECORD) as u64 + 1;
    let last_start = bytes.len().checked_sub(MIN_RECORD)?;
    (from..=last_start).find(|&at| {
        let (len, crc) = header_of(&bytes[at..]);
        if !plausible_length(len) || at + HEADER + len as usize > bytes.len() {
            return false;
        }
        let body = &bytes[at + HEADER..at + HEADER + len as usize];
        let seq = seq_of(body);
        (min_seq..=max_seq).contains(&seq) && crc32fast::hash(body) == crc
    })
}

/// Decides what the bad bytes `rest` (from a record's start to the end of the file) are: `Ok`
/// for a torn tail (a prefix of an append that never completed, or space the file system
/// allocated for it), `Err(what)` for damage.
fn torn_or_damaged(rest: &[u8], expected_seq: u64, expected_prev: &Hash) -> Result<(), String> {
    if rest.iter().all(|&b| b == 0) {
        return Ok(());
    }
    if rest.len() < HEADER {
        return Ok(());
    }
    let (len, crc) = header_of(rest);
    if !plausible_length(len) {
        return Err(format!("impossible length {len}"));
    }
    let body = &rest[HEADER..];
    if body.len() >= len as usize {
        return Err("checksum mismatch".into());
    }
    // The record runs past the end of the file. An interrupted append leaves a prefix of the
    // record it was writing: the right sequence, the right link, and nothing valid after it.
    if body.len() >= BODY_PREFIX && crc32fast::hash(body) == crc {
        return Err(format!(
            "its length field says {len} bytes but the record is whole at {} bytes",
            body.len()
        ));
    }
    if body.len() >= 8 && seq_of(body) != expected_seq {
        return Err(format!(
            "sequence {} where {expected_seq} was expected",
            seq_of(body)
        ));
    }
    if body.len() >= BODY_PREFIX && body[8..BODY_PREFIX] != expected_prev[..] {
        return Err("hash chain broken: it does not follow the record before it".into());
    }
    if let Some(at) = next_valid_record(rest, 1, expected_seq) {
        return Err(format!(
            "its length field runs past a whole record that follows {at} bytes later"
        ));
    }
    Ok(())
}

/// Reads records from `offset` on. Stops at the end of the file; a torn tail (see
/// [`torn_or_damaged`]) is reported as `torn_at`, damage as an error.
pub struct Reader {
    reader: BufReader<File>,
    file: File,
    offset: u64,
    expected_seq: u64,
    prev_hash: Hash,
    pub torn_at: Option<u64>,
    path: PathBuf,
}

impl Reader {
    pub fn open(path: &Path, from: JournalTail) -> Result<Reader, JournalError> {
        let mut file = File::open(path).map_err(io_error(path))?;
        let scan = file.try_clone().map_err(io_error(path))?;
        file.seek(SeekFrom::Start(from.end))
            .map_err(io_error(path))?;
        Ok(Reader {
            reader: BufReader::with_capacity(256 * 1024, file),
            file: scan,
            offset: from.end,
            expected_seq: from.last_seq + 1,
            prev_hash: from.last_hash,
            torn_at: None,
            path: path.to_path_buf(),
        })
    }

    /// Fills `buf`, or returns how much was there before the end of the file.
    fn read_up_to(&mut self, buf: &mut [u8]) -> Result<usize, JournalError> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.reader.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(&self.path)(e)),
            }
        }
        Ok(filled)
    }

    /// A bad record at the current offset: a torn tail ends the reading, damage is an error.
    fn bad_record(&mut self) -> Result<Option<JournalRecord>, JournalError> {
        let length = self.file.metadata().map_err(io_error(&self.path))?.len();
        let mut rest = vec![0u8; length.saturating_sub(self.offset) as usize];
        read_exact_at(&self.file, &mut rest, self.offset).map_err(io_error(&self.path))?;
        match torn_or_damaged(&rest, self.expected_seq, &self.prev_hash) {
            Ok(()) => {
                self.torn_at = Some(self.offset);
                Ok(None)
            }
            Err(what) => Err(JournalError::Damaged {
                seq: self.expected_seq,
                offset: self.offset,
                what,
            }),
        }
    }

    /// The next record, checked against its checksum and the chain.
    pub fn next_record(&mut self) -> Result<Option<JournalRecord>, JournalError> {
        let offset = self.offset;
        let mut header = [0u8; HEADER];
        match self.read_up_to(&mut header)? {
            0 => return Ok(None),
            HEADER => {}
            _ => return self.bad_record(),
        }
        let (len, crc) = header_of(&header);
        if !plausible_length(len) {
            return self.bad_record();
        }
        let mut body = vec![0u8; len as usize];
        if self.read_up_to(&mut body)? < body.len() || crc32fast::hash(&body) != crc {
            return self.bad_record();
        }
        let seq = seq_of(&body);
        let damaged = |what: String| JournalError::Damaged {
            seq: self.expected_seq,
            offset,
            what,
        };
        if seq != self.expected_seq {
            return Err(damaged(format!(
                "sequence {seq} where {} was expected",
                self.expected_seq
            )));
        }
        if body[8..BODY_PREFIX] != self.prev_hash[..] {
            return Err(damaged(
                "hash chain broken: it does not follow the record before it".into(),
            ));
        }
        let mut prev_hash = [0u8; 32];
        prev_hash.copy_from_slice(&body[8..BODY_PREFIX]);
        let hash = hash_body(&body);
        self.offset += HEADER as u64 + u64::from(len);
        self.expected_seq = seq + 1;
        self.prev_hash = hash;
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

    /// The tail after the last record read.
    pub fn tail(&self) -> JournalTail {
        JournalTail {
            last_seq: self.expected_seq - 1,
            last_hash: self.prev_hash,
            end: self.offset,
        }
    }
}

/// What opening found past the database's applied point.
pub struct Opened {
    pub journal: Journal,
    /// Whole records the database has not applied yet, to replay.
    pub pending: Vec<JournalRecord>,
    /// Bytes of an interrupted, never acknowledged append that were cut off.
    pub torn_bytes: u64,
}

impl Journal {
    /// Opens (creating if needed) the journal whose valid content ends at `tail`, as recorded by
    /// the database. Records after `tail` are returned for replay. A torn final record (never
    /// acknowledged: it was cut short before its fsync) is cut off. Damage after `tail` does not
    /// stop the opening: the journal comes back refusing appends, naming the damaged record, and
    /// the whole records before it are returned so reads can be served.
    pub fn open(path: &Path, tail: JournalTail) -> Result<Opened, JournalError> {
        let file = open_file(path)?;
        Self::open_with(path, Arc::new(file), tail)
    }

    /// [`Journal::open`] over a given file (tests pass one that fails on cue).
    pub fn open_with(
        path: &Path,
        file: Arc<dyn JournalFile>,
        tail: JournalTail,
    ) -> Result<Opened, JournalError> {
        let length = file.length().map_err(io_error(path))?;
        if length < tail.end {
            return Err(JournalError::Shortened {
                length,
                applied: tail.end,
            });
        }
        let mut reader = Reader::open(path, tail)?;
        let mut pending = Vec::new();
        let mut last_offset = None;
        let mut failure = None;
        loop {
            match reader.next_record() {
                Ok(Some(record)) => {
                    last_offset = Some(record.offset);
                    pending.push(record);
                }
                Ok(None) => break,
                Err(damage @ JournalError::Damaged { .. }) => {
                    failure = Some(damage);
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        let new_tail = reader.tail();
        let mut torn_bytes = 0;
        if reader.torn_at.is_some() {
            torn_bytes = length - new_tail.end;
            file.set_len(new_tail.end).map_err(io_error(path))?;
            file.sync_data().map_err(io_error(path))?;
        }
        Ok(Opened {
            journal: Journal {
                path: path.to_path_buf(),
                file,
                tail: new_tail,
                last_offset,
                failure,
            },
            pending,
            torn_bytes,
        })
    }

    pub fn tail(&self) -> JournalTail {
        self.tail
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why appends are refused right now, if they are.
    pub fn failure(&self) -> Option<&JournalError> {
        self.failure.as_ref()
    }

    /// Damage found in the journal: appends stay refused until it is dealt with offline.
    pub fn mark_damaged(&mut self, damage: JournalError) {
        self.failure = Some(damage);
    }

    /// Appends one record in a single write and fsyncs it when `sync` is set. Returns the record.
    /// On any failure the file is cut back to the last whole record and later appends are
    /// refused until [`Journal::probe`] succeeds (each append probes first).
    pub fn append(&mut self, payload: &[u8], sync: bool) -> Result<JournalRecord, JournalError> {
        if self.failure.is_some() {
            self.probe()?;
        }
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
                source: io::Error::new(io::ErrorKind::InvalidInput, "record too large"),
            })?;
        let mut record = Vec::with_capacity(HEADER + body.len());
        record.extend_from_slice(&len.to_le_bytes());
        record.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        record.extend_from_slice(&body);
        let offset = self.tail.end;
        let written = write_all_at(&*self.file, &record, offset).and_then(|()| {
            if sync {
                self.file.sync_data()
            } else {
                Ok(())
            }
        });
        if let Err(cause) = written {
            return Err(self.failed(&cause));
        }
        let hash = hash_body(&body);
        self.tail = JournalTail {
            last_seq: seq,
            last_hash: hash,
            end: offset + record.len() as u64,
        };
        self.last_offset = Some(offset);
        let mut prev_hash = [0u8; 32];
        prev_hash.copy_from_slice(&body[8..BODY_PREFIX]);
        Ok(JournalRecord {
            seq,
            offset,
            prev_hash,
            hash,
            payload: payload.to_vec(),
        })
    }

    /// After a failed write or fsync: cut whatever part of the record landed, and refuse
    /// appends until a probe succeeds. The tail stays at the last whole record.
    fn failed(&mut self, cause: &io::Error) -> JournalError {
        // If the cut fails too, the probe retries it before anything else is written.
        let _ = self.file.set_len(self.tail.end);
        let error = not_saved(&self.path, cause);
        self.failure = Some(error.repeat());
        error
    }

    /// Shows the journal whole and writable again after a failure: the file ends at the last
    /// whole record (cut back if not), that record reads back with the hash the chain continues
    /// from, and an fsync succeeds. Damage is never lifted here.
    pub fn probe(&mut self) -> Result<(), JournalError> {
        match &self.failure {
            None => return Ok(()),
            Some(damage @ (JournalError::Damaged { .. } | JournalError::Shortened { .. })) => {
                return Err(damage.repeat())
            }
            Some(_) => {}
        }
        let checked = (|| -> io::Result<Result<(), JournalError>> {
            if self.file.length()? != self.tail.end {
                self.file.set_len(self.tail.end)?;
            }
            if self.tail.last_seq > 0 {
                let offset = match self.last_offset {
                    Some(offset) => offset,
                    None => match last_record_offset(&*self.file, self.tail)? {
                        Some(offset) => offset,
                        None => {
                            return Ok(Err(JournalError::Damaged {
                                seq: self.tail.last_seq,
                                offset: 0,
                                what: "no record ends where the journal's last record should"
                                    .into(),
                            }))
                        }
                    },
                };
                self.last_offset = Some(offset);
                let record = read_record(&*self.file, offset)?;
                if record.map(|r| r.1) != Some(self.tail.last_hash) {
                    return Ok(Err(JournalError::Damaged {
                        seq: self.tail.last_seq,
                        offset,
                        what: "the last saved record no longer reads back as it was written".into(),
                    }));
                }
            }
            self.file.sync_data()?;
            Ok(Ok(()))
        })();
        match checked {
            Ok(Ok(())) => {
                self.failure = None;
                Ok(())
            }
            Ok(Err(damage)) => {
                self.failure = Some(damage.repeat());
                Err(damage)
            }
            Err(cause) => Err(self.failed(&cause)),
        }
    }

    /// fsyncs everything appended so far; a failure stops appends as a failed append does.
    pub fn sync(&mut self) -> Result<(), JournalError> {
        if let Err(cause) = self.file.sync_data() {
            return Err(self.failed(&cause));
        }
        Ok(())
    }
}

/// The record at `offset` if it is whole and its checksum matches: its sequence and hash.
fn read_record(file: &dyn JournalFile, offset: u64) -> io::Result<Option<(u64, Hash)>> {
    let mut header = [0u8; HEADER];
    read_exact_at(file, &mut header, offset)?;
    let (len, crc) = header_of(&header);
    if !plausible_length(len) {
        return Ok(None);
    }
    let mut body = vec![0u8; len as usize];
    read_exact_at(file, &mut body, offset + HEADER as u64)?;
    if crc32fast::hash(&body) != crc {
        return Ok(None);
    }
    Ok(Some((seq_of(&body), hash_body(&body))))
}

/// Where the record ending at `tail` starts, found by reading lengths forward from the start
/// (records carry no back pointer; this runs only when probing after a failure).
fn last_record_offset(file: &dyn JournalFile, tail: JournalTail) -> io::Result<Option<u64>> {
    let mut offset = 0u64;
    loop {
        let mut header = [0u8; HEADER];
        read_exact_at(file, &mut header, offset)?;
        let (len, _) = header_of(&header);
        let end = offset + HEADER as u64 + u64::from(len);
        if !plausible_length(len) || end > tail.end {
            return Ok(None);
        }
        if end == tail.end {
            return Ok(Some(offset));
        }
        offset = end;
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
    let damaged = |what: String| JournalError::Damaged { seq, offset, what };
    let mut header = [0u8; HEADER];
    file.read_exact_at(&mut header, offset)
        .map_err(io_error(path))?;
    let (len, crc) = header_of(&header);
    if !plausible_length(len) {
        return Err(damaged(format!("impossible length {len}")));
    }
    let mut body = vec![0u8; len as usize];
    file.read_exact_at(&mut body, offset + HEADER as u64)
        .map_err(io_error(path))?;
    if crc32fast::hash(&body) != crc {
        return Err(damaged("checksum mismatch".into()));
    }
    let found = seq_of(&body);
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
    while reader.next_record()?.is_some() {}
    Ok((reader.tail(), reader.torn_at))
}

/// Every whole record of the journal from the start, without stopping at damage: the records
/// before it, and the damage (if any) with what can still be read after it.
pub struct Salvage {
    pub intact: Vec<JournalRecord>,
    pub tail: JournalTail,
    pub damage: Option<JournalError>,
    /// Whole, checksummed records found after the damage (their chain cannot be trusted).
    pub after_damage: Vec<JournalRecord>,
    /// Where the damaged part starts: what a salvage cuts off.
    pub cut_at: u64,
    pub length: u64,
}

/// Reads the journal for a salvage: what survives, and what past the damage still decodes.
pub fn salvage_scan(path: &Path) -> Result<Salvage, JournalError> {
    let mut reader = Reader::open(path, JournalTail::EMPTY)?;
    let mut intact = Vec::new();
    let damage = loop {
        match reader.next_record() {
            Ok(Some(record)) => intact.push(record),
            Ok(None) => break None,
            Err(damage @ JournalError::Damaged { .. }) => break Some(damage),
            Err(e) => return Err(e),
        }
    };
    let tail = reader.tail();
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    let length = bytes.len() as u64;
    let mut after_damage = Vec::new();
    if damage.is_some() {
        let mut at = tail.end as usize + 1;
        while let Some(found) = next_valid_record(&bytes, at, tail.last_seq + 1) {
            let (len, _) = header_of(&bytes[found..]);
            let body = &bytes[found + HEADER..found + HEADER + len as usize];
            let mut prev_hash = [0u8; 32];
            prev_hash.copy_from_slice(&body[8..BODY_PREFIX]);
            after_damage.push(JournalRecord {
                seq: seq_of(body),
                offset: found as u64,
                prev_hash,
                hash: hash_body(body),
                payload: body[BODY_PREFIX..].to_vec(),
            });
            at = found + HEADER + len as usize;
        }
    }
    Ok(Salvage {
        intact,
        tail,
        damage,
        after_damage,
        cut_at: tail.end,
        length,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(path: &Path) -> Journal {
        Journal::open(path, JournalTail::EMPTY).unwrap().journal
    }

    #[test]
    fn records_chain_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal");
        let opened = Journal::open(&path, JournalTail::EMPTY).unwrap();
        assert!(opened.pending.is_empty());
        let mut journal = opened.journal;
        for i in 0..5u8 {
            journal.append(&[i; 10], true).unwrap();
        }
        let tail = journal.tail();
        drop(journal);
        let (verified, torn) = verify(&path).unwrap();
        assert_eq!(verified, tail);
        assert_eq!(torn, None);
        let opened = Journal::open(&path, JournalTail::EMPTY).unwrap();
        assert_eq!(opened.pending.len(), 5);
        assert_eq!(opened.pending[4].payload, vec![4; 10]);
        assert_eq!(opened.journal.tail(), tail);
        // Opened at the database's tail, a probe finds where the last record starts.
        let journal = Journal::open(&path, tail).unwrap().journal;
        let found = last_record_offset(&*journal.file, tail).unwrap();
        assert_eq!(found, Some(tail.end - 58));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_torn_tail_is_cut_and_a_flipped_byte_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal");
        let mut journal = open(&path);
        journal.append(b"first", true).unwrap();
        journal.append(b"second", true).unwrap();
        let good = journal.tail();
        drop(journal);
        // A record cut short.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(&[60, 0, 0, 0, 1, 2]);
        std::fs::write(&path, &bytes).unwrap();
        let opened = Journal::open(&path, JournalTail::EMPTY).unwrap();
        assert_eq!(opened.pending.len(), 2);
        assert_eq!(opened.torn_bytes, 6);
        assert_eq!(opened.journal.tail(), good);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), good.end);
        drop(opened);
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

    #[test]
    fn a_bad_length_in_the_middle_is_damage_not_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal");
        let mut journal = open(&path);
        let mut ends = Vec::new();
        for i in 0..6u8 {
            journal.append(&[i; 30], true).unwrap();
            ends.push(journal.tail().end);
        }
        drop(journal);
        let original = std::fs::read(&path).unwrap();
        // The third record's length made larger: it seems to run past the end of the file.
        let mut bytes = original.clone();
        let third = ends[1] as usize;
        bytes[third + 2] ^= 0x01;
        std::fs::write(&path, &bytes).unwrap();
        match verify(&path) {
            Err(JournalError::Damaged { seq: 3, offset, .. }) => assert_eq!(offset, ends[1]),
            other => panic!("{other:?}"),
        }
        // Opening keeps the two whole records for reading and refuses appends.
        let mut opened = Journal::open(&path, JournalTail::EMPTY).unwrap();
        assert_eq!(opened.pending.len(), 2);
        assert!(matches!(
            opened.journal.append(b"more", true),
            Err(JournalError::Damaged { seq: 3, .. })
        ));
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing was cut");
        // The same flip in the last record is damage too: the record is whole.
        let mut bytes = original.clone();
        bytes[ends[4] as usize] ^= 0x10;
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(
            verify(&path),
            Err(JournalError::Damaged { seq: 6, .. })
        ));
        // Zeros after the last record (space allocated for an append that never landed) are a
        // torn tail.
        let mut bytes = original.clone();
        bytes.extend_from_slice(&[0; 100]);
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(verify(&path).unwrap().1, Some(ends[5]));
    }

    use super::super::faulty_file::{FaultyFile as Faulty, FileFault as Fault, FileOp as Op};

    /// Every write, fsync and cut of a run of appends fails once in turn, with a full disk, an
    /// I/O error or a short write: each append either succeeds whole or fails and leaves
    /// nothing, and after reopening the journal holds exactly the acknowledged records.
    #[test]
    fn an_append_is_all_or_nothing_under_every_injected_fault() {
        let faults = [
            Fault::Errno(libc::ENOSPC),
            Fault::Errno(libc::EIO),
            Fault::Short,
        ];
        let mut tried = 0;
        for op in [Op::Write, Op::Sync, Op::SetLen] {
            for fault in faults {
                if op != Op::Write && matches!(fault, Fault::Short) {
                    continue;
                }
                for nth in 0..8 {
                    tried += 1;
                    let dir = tempfile::tempdir().unwrap();
                    let path = dir.path().join("journal");
                    let file = open_file(&path).unwrap();
                    let faulty = Arc::new(Faulty::new(file, op, nth, fault));
                    let mut journal = Journal::open_with(&path, faulty, JournalTail::EMPTY)
                        .unwrap()
                        .journal;
                    let mut acknowledged = Vec::new();
                    let mut refused = 0;
                    for i in 0..8u8 {
                        match journal.append(&[i; 40], true) {
                            Ok(record) => acknowledged.push((record.seq, record.payload)),
                            Err(e) => {
                                refused += 1;
                                let message = e.to_string();
                                assert!(message.starts_with("not saved"), "{message}");
                                if !matches!(fault, Fault::Errno(libc::EIO)) {
                                    assert!(
                                        matches!(e, JournalError::DiskFull { .. }),
                                        "{op:?} {fault:?} {nth}: {e}"
                                    );
                                }
                            }
                        }
                    }
                    drop(journal);
                    let opened = Journal::open(&path, JournalTail::EMPTY).unwrap();
                    assert_eq!(opened.torn_bytes, 0, "{op:?} {fault:?} {nth}");
                    let kept: Vec<_> = opened
                        .pending
                        .iter()
                        .map(|r| (r.seq, r.payload.clone()))
                        .collect();
                    assert_eq!(kept, acknowledged, "{op:?} {fault:?} {nth}");
                    // A cut that fails is the only fault a later success does not need.
                    if op != Op::SetLen && nth < 8 {
                        assert!(refused >= 1, "{op:?} {fault:?} {nth}: nothing failed");
                    }
                    assert_eq!(acknowledged.len() + refused, 8);
                }
            }
        }
        eprintln!("{tried} injected faults, no silent loss");
    }

    /// Every bit of the first records and of one record in the middle flipped in turn, and the
    /// journal cut at every offset: each ends in reported damage or in cutting a torn tail that
    /// lies past the last whole record — never in reading a different history.
    #[test]
    fn every_flipped_bit_is_damage_and_every_cut_is_only_a_torn_tail() {
        // Thousands of rewrites: in memory where there is a memory file system.
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm).unwrap()
        } else {
            tempfile::tempdir().unwrap()
        };
        let path = dir.path().join("journal");
        let mut journal = open(&path);
        let mut ends = vec![0u64];
        for i in 0..60u8 {
            journal
                .append(&vec![i; 20 + usize::from(i % 7) * 9], true)
                .unwrap();
            ends.push(journal.tail().end);
        }
        drop(journal);
        let original = std::fs::read(&path).unwrap();
        let middle = (ends[30] as usize, ends[31] as usize);
        let mut flips = 0;
        for byte in (0..2048.min(original.len())).chain(middle.0..middle.1) {
            for bit in 0..8 {
                flips += 1;
                let mut bytes = original.clone();
                bytes[byte] ^= 1 << bit;
                std::fs::write(&path, &bytes).unwrap();
                match verify(&path) {
                    Err(JournalError::Damaged { offset, .. }) => {
                        assert!(offset <= byte as u64, "byte {byte} bit {bit}")
                    }
                    other => panic!("byte {byte} bit {bit}: {other:?}"),
                }
            }
        }
        let mut cuts = 0;
        for length in 0..original.len() {
            cuts += 1;
            std::fs::write(&path, &original[..length]).unwrap();
            let (tail, torn) = verify(&path).unwrap();
            let whole = ends.iter().rposition(|&e| e <= length as u64).unwrap();
            assert_eq!(tail.end, ends[whole], "cut at {length}");
            assert_eq!(tail.last_seq, whole as u64);
            assert_eq!(torn.is_some(), ends[whole] != length as u64);
        }
        eprintln!(
            "{flips} flipped bits reported as damage; {cuts} cuts read as a torn tail at most"
        );
    }
}
