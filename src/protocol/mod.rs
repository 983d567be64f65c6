//! The daemon's wire protocol: length-prefixed frames (a u32 length, then a codec value), a
//! version handshake, and maximum frame sizes (small before the hello, larger after it, largest
//! for answers). A malformed, oversized or unexpected frame ends that one connection.

mod admission;
pub mod client;
mod deadline;
pub mod logging;
pub mod peer;
pub mod server;

use std::io::{self, Read, Write};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::codec;
use crate::config::{Office, Staff};
use crate::domain::Lang;
use crate::service::{Failure, Notice, Request, Response, SiteSources};

/// 3: lists are bounded and longer ones come in pages (`Request::Page`).
/// 4: a refusal is a typed [`Failure`] (its kind and the English text), not a string; a clerk's
/// drafts are kept per ticket (`SaveDraft`, `DropDraft`, `LoadDrafts`); a daemon tells its
/// screens when its database link is lost and back (`Notice::Store`). The hello and the refusal
/// of another version are encoded as before, so either side of a mismatch reads the other's
/// "update frontdesk".
/// 5: a draft's slot is its ticket's number and arrival (`Draft::arrived_at`); `Accept` names
/// the draft it submits and the core forgets it; `DropDraft` names a slot; two more problem kinds
/// (an intake opened too long ago, or in the future).
pub const PROTOCOL_VERSION: u16 = 5;
/// The largest answer a daemon sends (lists come in pages far below it); a larger frame is
/// refused unread.
pub const MAX_FRAME: u32 = 4 * 1024 * 1024;
/// The largest frame a peer may send before its hello is accepted: a hello is a few bytes.
pub const MAX_HELLO_FRAME: u32 = 256;
/// The largest request a staff member may send (an intake form with its notes is a few KB).
pub const MAX_REQUEST_FRAME: u32 = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientMessage {
    Hello { version: u16 },
    Request { id: u64, request: Box<Request> },
}

/// What a client needs to draw its screens: who it is, where, and the site's regulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    pub version: u16,
    pub staff: Staff,
    pub office: Office,
    pub staff_list: Vec<Staff>,
    pub sources: SiteSources,
    pub language: Lang,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerMessage {
    Welcome(Box<Welcome>),
    Refused {
        reason: String,
    },
    Response {
        id: u64,
        result: Result<Box<Response>, Failure>,
    },
    Notice(Box<Notice>),
}

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("the other side closed the connection")]
    Closed,
    #[error("frame of {size} bytes is larger than the {limit}-byte limit")]
    TooLarge { size: u64, limit: u32 },
    #[error("the frame did not arrive in time")]
    TimedOut,
    #[error("malformed frame: {0}")]
    Malformed(String),
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl FrameError {
    /// For the log: what kind of fault, without the decoder's text (which can quote bytes the
    /// peer sent).
    pub fn kind(&self) -> &'static str {
        match self {
            FrameError::Closed => "closed",
            FrameError::TooLarge { .. } => "too-large",
            FrameError::TimedOut => "timed-out",
            FrameError::Malformed(_) => "malformed",
            FrameError::Io(e) if e.kind() == io::ErrorKind::ConnectionReset => "reset",
            FrameError::Io(_) => "io",
        }
    }
}

/// A message as the bytes of one frame (so one notice is encoded once for every client).
pub fn encode_frame(message: &impl Serialize) -> Result<Vec<u8>, FrameError> {
    let payload = codec::encode(message).map_err(|e| FrameError::Malformed(e.to_string()))?;
    let length = u32::try_from(payload.len())
        .ok()
        .filter(|&l| l <= MAX_FRAME)
        .ok_or(FrameError::TooLarge {
            size: payload.len() as u64,
            limit: MAX_FRAME,
        })?;
    let mut frame = Vec::with_capacity(4 + payload.len());
    frame.extend_from_slice(&length.to_be_bytes());
    frame.extend_from_slice(&payload);
    Ok(frame)
}

pub fn write_frame(writer: &mut impl Write, message: &impl Serialize) -> Result<(), FrameError> {
    writer.write_all(&encode_frame(message)?)?;
    writer.flush()?;
    Ok(())
}

/// Reads one frame of at most [`MAX_FRAME`] bytes.
pub fn read_frame<T: DeserializeOwned>(reader: &mut impl Read) -> Result<T, FrameError> {
    read_frame_limited(reader, MAX_FRAME)
}

/// Reads one frame of at most `limit` bytes. The payload buffer grows only as bytes arrive, so a
/// peer that announces a large frame and sends little makes the reader hold little.
pub fn read_frame_limited<T: DeserializeOwned>(
    reader: &mut impl Read,
    limit: u32,
) -> Result<T, FrameError> {
    let mut header = [0u8; 4];
    match reader.read_exact(&mut header) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(FrameError::Closed),
        Err(e) => return Err(io_error(e)),
    }
    let length = u32::from_be_bytes(header);
    if length > limit {
        return Err(FrameError::TooLarge {
            size: u64::from(length),
            limit,
        });
    }
    let mut payload = Vec::with_capacity((length as usize).min(64 * 1024));
    reader
        .take(u64::from(length))
        .read_to_end(&mut payload)
        .map_err(io_error)?;
    if payload.len() < length as usize {
        return Err(FrameError::Malformed("cut short".into()));
    }
    codec::decode(&payload).map_err(|e| FrameError::Malformed(e.to_string()))
}

fn io_error(error: io::Error) -> FrameError {
    match error.kind() {
        io::ErrorKind::UnexpectedEof => FrameError::Malformed("cut short".into()),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => FrameError::TimedOut,
        _ => FrameError::Io(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn frames_round_trip() {
        let message = ClientMessage::Request {
            id: 7,
            request: Box::new(Request::Queue),
        };
        let mut bytes = Vec::new();
        write_frame(&mut bytes, &message).unwrap();
        let back: ClientMessage = read_frame(&mut bytes.as_slice()).unwrap();
        assert_eq!(back, message);
    }

    #[test]
    fn huge_and_truncated_frames_are_refused() {
        let huge = (MAX_FRAME + 1).to_be_bytes();
        assert!(matches!(
            read_frame::<ClientMessage>(&mut &huge[..]),
            Err(FrameError::TooLarge { .. })
        ));
        // Before the hello, even a modest frame is too large.
        let modest = 1000u32.to_be_bytes();
        assert!(matches!(
            read_frame_limited::<ClientMessage>(&mut &modest[..], MAX_HELLO_FRAME),
            Err(FrameError::TooLarge { .. })
        ));
        let mut bytes = Vec::new();
        write_frame(&mut bytes, &ClientMessage::Hello { version: 1 }).unwrap();
        bytes.truncate(bytes.len() - 1);
        assert!(matches!(
            read_frame::<ClientMessage>(&mut bytes.as_slice()),
            Err(FrameError::Malformed(_))
        ));
        assert!(matches!(
            read_frame::<ClientMessage>(&mut &[][..]),
            Err(FrameError::Closed)
        ));
    }

    proptest! {
        #[test]
        fn the_decoder_never_panics_on_garbage(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            let mut reader = bytes.as_slice();
            for _ in 0..4 {
                if read_frame::<ClientMessage>(&mut reader).is_err() {
                    break;
                }
            }
        }

        #[test]
        fn a_valid_length_with_garbage_inside_is_malformed(payload in prop::collection::vec(any::<u8>(), 1..512)) {
            let mut bytes = (payload.len() as u32).to_be_bytes().to_vec();
            bytes.extend_from_slice(&payload);
            if let Ok(message) = read_frame::<ClientMessage>(&mut bytes.as_slice()) {
                // Garbage that happens to decode must still be a well-formed message.
                let mut again = Vec::new();
                write_frame(&mut again, &message).unwrap();
            }
        }
    }
}
