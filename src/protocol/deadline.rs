//! Reading a frame against a deadline for the whole frame, not for each read: a peer that sends
//! a byte every few seconds cannot stretch one frame forever.

use std::io::{self, Read};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

/// When the deadline starts.
pub enum Deadline {
    /// Everything must be read by this instant (the hello).
    At(Instant),
    /// Waiting for the first byte is free (an idle staff connection); the rest of the frame must
    /// follow within this long of it.
    AfterFirstByte(Duration),
}

/// A reader over a socket that fails with `TimedOut` once its deadline has passed.
pub struct DeadlineReader<'a> {
    stream: &'a UnixStream,
    deadline: Deadline,
    started: Option<Instant>,
}

impl<'a> DeadlineReader<'a> {
    pub fn new(stream: &'a UnixStream, deadline: Deadline) -> DeadlineReader<'a> {
        DeadlineReader {
            stream,
            deadline,
            started: None,
        }
    }

    fn remaining(&self) -> io::Result<Option<Duration>> {
        let end = match (&self.deadline, self.started) {
            (Deadline::At(end), _) => *end,
            (Deadline::AfterFirstByte(_), None) => return Ok(None),
            (Deadline::AfterFirstByte(limit), Some(started)) => started + *limit,
        };
        match end.checked_duration_since(Instant::now()) {
            Some(left) if !left.is_zero() => Ok(Some(left)),
            _ => Err(io::Error::from(io::ErrorKind::TimedOut)),
        }
    }
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(self.remaining()?)?;
        let read = (&mut &*self.stream).read(buffer).map_err(|e| {
            // A socket timeout reports WouldBlock on Linux.
            if e.kind() == io::ErrorKind::WouldBlock {
                io::Error::from(io::ErrorKind::TimedOut)
            } else {
                e
            }
        })?;
        if read > 0 && self.started.is_none() {
            self.started = Some(Instant::now());
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_slow_sender_is_cut_off_at_the_deadline_for_the_whole_frame() {
        let (mut writer, reader) = UnixStream::pair().unwrap();
        let sender = std::thread::spawn(move || {
            for _ in 0..20 {
                if writer.write_all(&[0]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(40));
            }
        });
        let started = Instant::now();
        let mut deadline = DeadlineReader::new(
            &reader,
            Deadline::At(Instant::now() + Duration::from_millis(200)),
        );
        let mut buffer = [0u8; 64];
        let error = deadline.read_exact(&mut buffer).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() < Duration::from_millis(400));
        drop(reader);
        sender.join().unwrap();
    }

    #[test]
    fn waiting_for_the_first_byte_is_free_then_the_frame_has_its_limit() {
        let (mut writer, reader) = UnixStream::pair().unwrap();
        let mut deadline = DeadlineReader::new(
            &reader,
            Deadline::AfterFirstByte(Duration::from_millis(100)),
        );
        assert_eq!(deadline.remaining().unwrap(), None);
        writer.write_all(&[1]).unwrap();
        let mut buffer = [0u8; 2];
        let error = deadline.read_exact(&mut buffer).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }
}
