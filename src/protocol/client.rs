//! The client side: the same [`Core`] the embedded TUI uses, over the daemon's socket, with
//! reconnection that keeps the screen (and any half-typed form) as it is.

use std::collections::HashMap;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{read_frame, write_frame, ClientMessage, ServerMessage, Welcome, PROTOCOL_VERSION};
use crate::service::port::Core;
use crate::service::{Failure, LinkFailure, Notice, Request, Response};

/// How long a request may wait for its answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(15);

type Pending = Arc<Mutex<HashMap<u64, Sender<Result<Response, Failure>>>>>;

struct Link {
    socket: PathBuf,
    writer: Mutex<Option<UnixStream>>,
    pending: Pending,
    notices: Sender<Notice>,
    next_id: AtomicU64,
    /// Set when the client is dropped: a link lost after that is not re-made.
    closed: AtomicBool,
}

/// A connection to the daemon.
pub struct Remote {
    link: Arc<Link>,
    /// The daemon's clock minus ours at the handshake (a daemon may run on a training clock).
    clock_offset: chrono::Duration,
}

/// Connects and says hello; the daemon answers with who we are, or why not.
fn handshake(socket: &Path) -> Result<(UnixStream, Welcome), String> {
    let mut stream = UnixStream::connect(socket)
        .map_err(|e| format!("cannot reach the daemon at {}: {e}", socket.display()))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let said_hello = write_frame(
        &mut stream,
        &ClientMessage::Hello {
            version: PROTOCOL_VERSION,
        },
    );
    // A daemon at its connection limit refuses before reading the hello and closes; its reason
    // is still there to read even when our hello could not be written.
    let answer = match read_frame::<ServerMessage>(&mut stream) {
        Ok(answer) => answer,
        Err(e) => {
            return Err(match said_hello {
                Err(hello) => format!("the daemon closed the connection: {hello}"),
                Ok(()) => format!("the daemon did not welcome us: {e}"),
            })
        }
    };
    stream.set_read_timeout(None).map_err(|e| e.to_string())?;
    match answer {
        ServerMessage::Welcome(welcome) => Ok((stream, *welcome)),
        ServerMessage::Refused { reason } => {
            Err(format!("the daemon refused the connection: {reason}"))
        }
        _ => Err("the daemon answered out of turn".into()),
    }
}

impl Link {
    fn start_reader(self: &Arc<Self>, stream: UnixStream) {
        let link = self.clone();
        std::thread::spawn(move || {
            let mut reader = stream;
            loop {
                match read_frame::<ServerMessage>(&mut reader) {
                    Ok(ServerMessage::Response { id, result }) => {
                        if let Some(waiter) =
                            link.pending.lock().ok().and_then(|mut p| p.remove(&id))
                        {
                            let _ = waiter.send(result.map(|r| *r));
                        }
                    }
                    Ok(ServerMessage::Notice(notice)) => {
                        let _ = link.notices.send(*notice);
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            link.lost();
        });
    }

    /// The link dropped: fail what waits, tell the screen, and try again every second.
    fn lost(self: &Arc<Self>) {
        if let Ok(mut writer) = self.writer.lock() {
            *writer = None;
        }
        if let Ok(mut pending) = self.pending.lock() {
            for (_, waiter) in pending.drain() {
                let _ = waiter.send(Err(Failure::link(LinkFailure::Dropped)));
            }
        }
        if self.closed.load(Ordering::SeqCst) {
            return;
        }
        let _ = self.notices.send(Notice::Link { connected: false });
        let link = self.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            if link.closed.load(Ordering::SeqCst) {
                return;
            }
            if let Ok((stream, _)) = handshake(&link.socket) {
                let Ok(reader) = stream.try_clone() else {
                    continue;
                };
                if let Ok(mut writer) = link.writer.lock() {
                    *writer = Some(stream);
                }
                link.start_reader(reader);
                let _ = link.notices.send(Notice::Link { connected: true });
                return;
            }
        });
    }
}

impl Remote {
    /// Connects to the daemon at `socket`.
    pub fn connect(socket: &Path) -> Result<(Remote, Receiver<Notice>, Welcome), String> {
        let (stream, welcome) = handshake(socket)?;
        let (notices, receiver) = channel();
        let reader = stream.try_clone().map_err(|e| e.to_string())?;
        let link = Arc::new(Link {
            socket: socket.to_path_buf(),
            writer: Mutex::new(Some(stream)),
            pending: Arc::new(Mutex::new(HashMap::new())),
            notices,
            next_id: AtomicU64::new(1),
            closed: AtomicBool::new(false),
        });
        link.start_reader(reader);
        let clock_offset = welcome.now - Utc::now();
        Ok((Remote { link, clock_offset }, receiver, welcome))
    }
}

impl Drop for Remote {
    /// Closes the connection, which ends the reading thread too.
    fn drop(&mut self) {
        self.link.closed.store(true, Ordering::SeqCst);
        if let Ok(mut writer) = self.link.writer.lock() {
            if let Some(stream) = writer.take() {
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        }
    }
}

impl Core for Remote {
    fn execute(&self, request: Request) -> Result<Response, Failure> {
        let id = self.link.next_id.fetch_add(1, Ordering::SeqCst);
        let (sender, answer) = channel();
        self.link
            .pending
            .lock()
            .map_err(|_| Failure::link(LinkFailure::ClientBroken))?
            .insert(id, sender);
        let sent = match self.link.writer.lock() {
            Ok(mut writer) => match writer.as_mut() {
                Some(stream) => write_frame(
                    stream,
                    &ClientMessage::Request {
                        id,
                        request: Box::new(request),
                    },
                )
                .is_ok(),
                None => false,
            },
            Err(_) => false,
        };
        if !sent {
            if let Ok(mut pending) = self.link.pending.lock() {
                pending.remove(&id);
            }
            return Err(Failure::link(LinkFailure::NotConnected));
        }
        answer
            .recv_timeout(ANSWER_TIMEOUT)
            .map_err(|_| Failure::link(LinkFailure::NoAnswer))?
    }

    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.clock_offset
    }
}
