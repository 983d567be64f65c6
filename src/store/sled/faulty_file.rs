//! A journal file that fails on purpose: the seam the fault-injection tests use to show that an
//! append is all-or-nothing under a full disk, an I/O error or a short write at every call.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::Mutex;

use super::journal::JournalFile;

/// Which call of the file fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOp {
    Write,
    Sync,
    SetLen,
}

/// How it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFault {
    /// The call fails with this errno and writes nothing.
    Errno(i32),
    /// Half the buffer lands, then the next call fails with ENOSPC (the disk filled up).
    Short,
}

/// Fails the `nth` call (counting from 0) of one operation, once.
pub struct FaultyFile {
    file: File,
    op: FileOp,
    nth: usize,
    fault: FileFault,
    /// Calls of `op` so far, and whether a short write left the disk full for the next call.
    state: Mutex<(usize, bool)>,
}

impl FaultyFile {
    pub fn new(file: File, op: FileOp, nth: usize, fault: FileFault) -> FaultyFile {
        FaultyFile {
            file,
            op,
            nth,
            fault,
            state: Mutex::new((0, false)),
        }
    }

    /// Counts a call of `op`; returns the fault to inject now, if any.
    fn fault(&self, op: FileOp) -> Option<FileFault> {
        // A poisoned lock only means another test thread panicked: keep counting.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.1 {
            state.1 = false;
            return Some(FileFault::Errno(libc::ENOSPC));
        }
        if op != self.op {
            return None;
        }
        state.0 += 1;
        (state.0 - 1 == self.nth).then_some(self.fault)
    }
}

fn failed(errno: i32) -> io::Error {
    io::Error::from_raw_os_error(errno)
}

impl JournalFile for FaultyFile {
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize> {
        match self.fault(FileOp::Write) {
            Some(FileFault::Errno(e)) => Err(failed(e)),
            Some(FileFault::Short) => {
                self.state.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
                FileExt::write_at(&self.file, &buf[..buf.len() / 2], offset)
            }
            None => FileExt::write_at(&self.file, buf, offset),
        }
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        FileExt::read_at(&self.file, buf, offset)
    }
    fn sync_data(&self) -> io::Result<()> {
        match self.fault(FileOp::Sync) {
            Some(FileFault::Errno(e)) => Err(failed(e)),
            _ => self.file.sync_data(),
        }
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        match self.fault(FileOp::SetLen) {
            Some(FileFault::Errno(e)) => Err(failed(e)),
            _ => self.file.set_len(len),
        }
    }
    fn length(&self) -> io::Result<u64> {
        Ok(self.file.metadata()?.len())
    }
}
