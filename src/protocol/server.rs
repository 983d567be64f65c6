//! `frontdesk serve`: one daemon owns the store; staff connect over a Unix socket; the kernel
//! says who they are; every request is authorised by the core.
//!
//! Each connection is one owned unit: its thread reads requests and answers them; a second
//! thread writes pushed notices. When the reader ends, for whatever reason, the connection
//! leaves the notice list (which ends its writer), the writer is joined and the socket closed, so
//! a client that leaves takes its descriptor and threads with it at once.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::Shutdown;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tracing::{debug, error, info, warn};

use super::admission::{Admission, Pass};
use super::deadline::{Deadline, DeadlineReader};
use super::logging::RateLimited;
use super::peer::{own_uid, peer_credentials, user_name};
use super::{
    encode_frame, read_frame_limited, ClientMessage, FrameError, ServerMessage, Welcome,
    MAX_HELLO_FRAME, MAX_REQUEST_FRAME, PROTOCOL_VERSION,
};
use crate::config::Staff;
use crate::service::{Failure, LinkFailure, Service, ServiceError};

/// Notices a connection may have waiting; a client that falls this far behind is disconnected
/// (it reconnects and reloads) rather than made to cost the daemon memory.
const NOTICE_BACKLOG: usize = 256;
/// Once a request's first byte arrives, the rest must follow within this.
const FRAME_DEADLINE: Duration = Duration::from_secs(30);
/// A client that does not take an answer within this is disconnected.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests one connection may make in a burst, and per second after it: one client running a
/// loop as fast as it can must not take the cores from the counters.
const REQUEST_BURST: f64 = 200.0;
const REQUESTS_PER_SECOND: f64 = 200.0;
/// Connection threads need little stack: they decode a frame and call the core.
const CONNECTION_STACK: usize = 512 * 1024;
/// Descriptors the daemon keeps for itself (the store, its journal, the log) beyond connections.
const RESERVED_DESCRIPTORS: usize = 64;

/// Faults that can repeat many times a second; each makes at most one line per period.
static ACCEPT_FAILED: RateLimited = RateLimited::new(Duration::from_secs(10));
static REFUSED: RateLimited = RateLimited::new(Duration::from_secs(10));
static BAD_HELLO: RateLimited = RateLimited::new(Duration::from_secs(10));
static SLOW_CLIENT: RateLimited = RateLimited::new(Duration::from_secs(10));

/// The default socket of a data directory.
pub fn default_socket(data_dir: &Path) -> PathBuf {
    data_dir.join("frontdesk.sock")
}

type Frame = Arc<Vec<u8>>;

/// A connection's entry in the notice list.
struct Subscriber {
    frames: SyncSender<Frame>,
    stream: Arc<UnixStream>,
}

struct Shared {
    service: Arc<Service>,
    admission: Admission,
    hello_timeout: Duration,
    peers: Peers,
    in_flight: AtomicUsize,
    stopping: AtomicBool,
    subscribers: Mutex<HashMap<u64, Subscriber>>,
    next_connection: AtomicU64,
}

impl Shared {
    fn subscribers(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Subscriber>> {
        // A poisoned list only means a connection thread panicked while holding it; the map
        // itself is still whole.
        self.subscribers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One subscriber to the core: each notice is encoded once and handed to every connection.
fn fan_out(shared: Arc<Shared>) -> io::Result<()> {
    let notices = shared.service.subscribe();
    std::thread::Builder::new()
        .name("notices".into())
        .spawn(move || {
            for notice in notices {
                let Ok(frame) = encode_frame(&ServerMessage::Notice(Box::new(notice))) else {
                    continue;
                };
                let frame = Arc::new(frame);
                shared.subscribers().retain(|_, subscriber| {
                    match subscriber.frames.try_send(frame.clone()) {
                        Ok(()) => true,
                        Err(TrySendError::Full(_)) => {
                            if let Some(held_back) = SLOW_CLIENT.allow() {
                                warn!(
                                    held_back,
                                    "a client fell behind on notices; disconnected so it reloads"
                                );
                            }
                            let _ = subscriber.stream.shutdown(Shutdown::Both);
                            false
                        }
                        Err(TrySendError::Disconnected(_)) => false,
                    }
                });
            }
        })?;
    Ok(())
}

/// Lets the process hold as many descriptors as its hard limit allows, and says how many
/// connections that leaves room for.
fn raise_descriptor_limit() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the struct we own.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return usize::MAX;
        }
        let wanted = limit.rlim_max.min(65_536);
        if wanted > limit.rlim_cur {
            let raised = libc::rlimit {
                rlim_cur: wanted,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = wanted;
            }
        }
    }
    usize::try_from(limit.rlim_cur)
        .unwrap_or(usize::MAX)
        .saturating_sub(RESERVED_DESCRIPTORS)
}

/// Who may connect, and as whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Peers {
    /// The shared daemon: OS logins on the staff list (socket 0660, the staff group).
    StaffList,
    /// The counter screen's own socket: only its OS user (socket 0600), as the screen's own
    /// staff member (the configuration's default one on a kiosk).
    Owner,
}

/// Binds `socket` created with `mode` (never widened after), replacing a socket that nobody
/// answers on (left over from a killed process).
fn bind(socket: &Path, mode: u32) -> io::Result<UnixListener> {
    if socket.exists() {
        if UnixStream::connect(socket).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                format!("a frontdesk already answers on {}", socket.display()),
            ));
        }
        std::fs::remove_file(socket)?;
    }
    // The socket file takes its mode from the umask at bind; set it for this one call.
    // SAFETY: umask only swaps the process's file-creation mask.
    let previous = unsafe { libc::umask(!mode & 0o777) };
    let bound = UnixListener::bind(socket);
    // SAFETY: as above, restoring the mask.
    unsafe { libc::umask(previous) };
    bound
}

/// Binds the socket (0660: the staff group may connect) and serves until SIGTERM, SIGINT or
/// SIGHUP; then in-flight requests finish and the store is flushed.
pub fn serve(service: Arc<Service>, socket: &Path) -> io::Result<()> {
    let listener = bind(socket, 0o660)?;
    let mut limits = service.config().daemon.clone();
    let room = raise_descriptor_limit();
    if limits.max_connections > room {
        warn!(
            configured = limits.max_connections,
            room, "fewer descriptors than `daemon.max_connections` asks for; the limit is lowered"
        );
        limits.max_connections = room.max(1);
    }
    let shared = Arc::new(Shared {
        admission: Admission::new(&limits),
        hello_timeout: Duration::from_secs(limits.hello_timeout_secs),
        peers: Peers::StaffList,
        service,
        in_flight: AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
        subscribers: Mutex::new(HashMap::new()),
        next_connection: AtomicU64::new(1),
    });
    fan_out(shared.clone())?;

    let waker = socket.to_path_buf();
    let stop = shared.clone();
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                info!(signal, "stopping");
                stop.stopping.store(true, Ordering::SeqCst);
                // Wake the accept loop.
                let _ = UnixStream::connect(&waker);
            }
        })?;
    info!(
        socket = %socket.display(),
        max_connections = limits.max_connections,
        max_connections_per_user = limits.max_connections_per_user,
        "serving"
    );
    accept_loop(&listener, &shared);
    let deadline = Instant::now() + Duration::from_secs(10);
    while shared.in_flight.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    shared
        .service
        .store()
        .flush()
        .map_err(|e| io::Error::other(e.to_string()))?;
    let _ = std::fs::remove_file(socket);
    info!("stopped; the store is flushed");
    Ok(())
}

/// The counter screen's socket, served beside it: its owner's other commands (the hall board, a
/// report, a print script, a backup) are clients of the screen's store instead of locked out.
/// Dropping the returned guard removes the socket.
pub fn serve_beside_screen(service: Arc<Service>, socket: &Path) -> io::Result<SocketGuard> {
    let listener = bind(socket, 0o600)?;
    let limits = service.config().daemon.clone();
    let shared = Arc::new(Shared {
        admission: Admission::new(&limits),
        hello_timeout: Duration::from_secs(limits.hello_timeout_secs),
        peers: Peers::Owner,
        service,
        in_flight: AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
        subscribers: Mutex::new(HashMap::new()),
        next_connection: AtomicU64::new(1),
    });
    fan_out(shared.clone())?;
    std::thread::Builder::new()
        .name("kiosk-socket".into())
        .spawn(move || accept_loop(&listener, &shared))?;
    Ok(SocketGuard(socket.to_path_buf()))
}

/// Removes the screen's socket when the screen closes.
pub struct SocketGuard(PathBuf);

impl Drop for SocketGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn accept_loop(listener: &UnixListener, shared: &Arc<Shared>) {
    let mut backoff = Duration::ZERO;
    loop {
        let accepted = listener.accept();
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        match accepted {
            Ok((stream, _)) => {
                backoff = Duration::ZERO;
                admit(stream, shared);
            }
            Err(e) => {
                // Out of descriptors or memory: accepting again at once would fail again, in a
                // tight loop. Wait, longer each time, for connections to end.
                let exhausted = matches!(
                    e.raw_os_error(),
                    Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
                );
                if let Some(held_back) = ACCEPT_FAILED.allow() {
                    warn!(
                        error = %e,
                        held_back,
                        connections = shared.admission.held(),
                        "accept failed"
                    );
                }
                if exhausted {
                    backoff =
                        (backoff * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
                    std::thread::sleep(backoff);
                }
            }
        }
    }
}

/// Says no to a connection without spending a thread on it: the refusal is one small frame into
/// an empty socket buffer, written without waiting.
fn refuse_at_once(stream: &UnixStream, reason: String) {
    if let Ok(frame) = encode_frame(&ServerMessage::Refused { reason }) {
        let _ = stream.set_nonblocking(true);
        let _ = (&mut &*stream).write_all(&frame);
    }
}

/// Counts the connection against the limits and gives it a thread, or refuses it.
fn admit(stream: UnixStream, shared: &Arc<Shared>) {
    let Some(credentials) = peer_credentials(&stream) else {
        debug!("a connection without peer credentials was closed");
        return;
    };
    let uid = credentials.uid;
    let user = user_name(uid);
    let config = shared.service.config();
    let staff = match shared.peers {
        Peers::StaffList => user.as_deref().and_then(|u| config.staff_for_os_user(u)),
        Peers::Owner if uid == own_uid() => config.identify(None, user.as_deref()).ok(),
        Peers::Owner => None,
    }
    .cloned();
    let pass = match shared.admission.admit(uid, staff.is_some()) {
        Ok(pass) => pass,
        Err(refusal) => {
            refuse_at_once(&stream, refusal.message());
            if let Some(held_back) = REFUSED.allow() {
                warn!(
                    uid,
                    reason = refusal.kind(),
                    held_back,
                    "connection refused"
                );
            }
            return;
        }
    };
    let unit = Connection {
        id: shared.next_connection.fetch_add(1, Ordering::Relaxed),
        stream: Arc::new(stream),
        write_lock: Arc::new(Mutex::new(())),
        uid,
        user: user.unwrap_or_else(|| format!("uid {uid}")),
        _pass: pass,
    };
    let worker = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("connection".into())
        .stack_size(CONNECTION_STACK)
        .spawn(move || unit.run(staff, &worker));
    if let Err(e) = spawned {
        // The closure (and with it the connection and its pass) is dropped: the socket closes.
        if let Some(held_back) = ACCEPT_FAILED.allow() {
            warn!(error = %e, held_back, "no thread for a new connection; closed");
        }
    }
}

/// One client connection, owned by its thread. Dropping it closes the socket and gives its place
/// back to the limits.
struct Connection {
    id: u64,
    stream: Arc<UnixStream>,
    /// Answers (from the reading thread) and notices (from the writer) never interleave.
    write_lock: Arc<Mutex<()>>,
    uid: u32,
    user: String,
    _pass: Pass,
}

impl Connection {
    fn send(&self, message: &ServerMessage) -> Result<(), FrameError> {
        let frame = encode_frame(message)?;
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        (&mut &*self.stream).write_all(&frame)?;
        Ok(())
    }

    fn run(self, staff: Option<Staff>, shared: &Shared) {
        let _ = self.stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let Some(staff) = self.hello(staff, shared) else {
            return;
        };
        let (frames, notices) = sync_channel::<Frame>(NOTICE_BACKLOG);
        let writer_stream = self.stream.clone();
        let write_lock = self.write_lock.clone();
        let writer = std::thread::Builder::new()
            .name("notice-writer".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                for frame in notices {
                    let _guard = write_lock.lock().unwrap_or_else(|e| e.into_inner());
                    if (&mut &*writer_stream).write_all(&frame).is_err() {
                        // Wakes the reader, which ends the connection.
                        let _ = writer_stream.shutdown(Shutdown::Both);
                        return;
                    }
                }
            });
        let writer = match writer {
            Ok(writer) => writer,
            Err(e) => {
                warn!(staff = %staff.id, error = %e, "no thread for notices; connection closed");
                return;
            }
        };
        {
            let mut subscribers = shared.subscribers();
            // A client that arrives while the database cannot be reached is told so at once;
            // under the list's lock, so that the notice of its return reaches it after this.
            if !shared.service.store_reachable() {
                if let Ok(frame) = encode_frame(&ServerMessage::Notice(Box::new(
                    crate::service::Notice::Store { reachable: false },
                ))) {
                    let _ = frames.try_send(Arc::new(frame));
                }
            }
            subscribers.insert(
                self.id,
                Subscriber {
                    frames,
                    stream: self.stream.clone(),
                },
            );
        }
        info!(staff = %staff.id, "connected");
        self.serve_requests(&staff, shared);
        // The end of the unit: the socket, then the notice list (its sender was the writer's only
        // source, so the writer's loop ends), then the writer itself.
        let _ = self.stream.shutdown(Shutdown::Both);
        shared.subscribers().remove(&self.id);
        let _ = writer.join();
        info!(staff = %staff.id, "disconnected");
    }

    /// The handshake, within the hello deadline: the version, then who the peer is.
    fn hello(&self, staff: Option<Staff>, shared: &Shared) -> Option<Staff> {
        let service = &shared.service;
        let deadline = Deadline::At(Instant::now() + shared.hello_timeout);
        let hello = read_frame_limited::<ClientMessage>(
            &mut DeadlineReader::new(&self.stream, deadline),
            MAX_HELLO_FRAME,
        );
        let uid = self.uid;
        match hello {
            Ok(ClientMessage::Hello { version }) if version == PROTOCOL_VERSION => {}
            Ok(ClientMessage::Hello { version }) => {
                let _ = self.send(&ServerMessage::Refused {
                    reason: format!(
                        "protocol {version} is not spoken here ({PROTOCOL_VERSION} is); update frontdesk"
                    ),
                });
                info!(uid, version, "refused an older or newer protocol");
                return None;
            }
            // A connection that closes without a byte is someone checking the daemon is there.
            Err(FrameError::Closed) => {
                debug!(uid, "closed before hello (a probe)");
                return None;
            }
            Ok(ClientMessage::Request { .. }) => {
                if let Some(held_back) = BAD_HELLO.allow() {
                    warn!(uid, held_back, "a request before hello; closed");
                }
                return None;
            }
            Err(e) => {
                if let Some(held_back) = BAD_HELLO.allow() {
                    warn!(uid, error = e.kind(), held_back, "bad hello; closed");
                }
                return None;
            }
        }
        let Some(staff) = staff else {
            let _ = self.send(&ServerMessage::Refused {
                reason: format!(
                    "the OS user `{}` is not on the staff list; ask the administrator to add you",
                    self.user
                ),
            });
            if let Some(held_back) = REFUSED.allow() {
                warn!(
                    uid,
                    held_back, "refused a user who is not on the staff list"
                );
            }
            return None;
        };
        let Some(office) = service.config().office(&staff.office).cloned() else {
            let _ = self.send(&ServerMessage::Refused {
                reason: format!("office `{}` is not configured", staff.office),
            });
            warn!(staff = %staff.id, "refused: the staff member's office is not configured");
            return None;
        };
        let welcome = Welcome {
            version: PROTOCOL_VERSION,
            staff: staff.clone(),
            office,
            staff_list: service.config().staff.clone(),
            sources: service.sources().clone(),
            language: service.config().language,
            now: service.now(),
        };
        self.send(&ServerMessage::Welcome(Box::new(welcome)))
            .ok()
            .map(|()| staff)
    }

    fn serve_requests(&self, staff: &Staff, shared: &Shared) {
        let actor = staff.actor();
        let mut pace = Pace::new();
        loop {
            pace.wait();
            let mut reader =
                DeadlineReader::new(&self.stream, Deadline::AfterFirstByte(FRAME_DEADLINE));
            let (id, request) =
                match read_frame_limited::<ClientMessage>(&mut reader, MAX_REQUEST_FRAME) {
                    Ok(ClientMessage::Request { id, request }) => (id, request),
                    Ok(ClientMessage::Hello { .. }) => {
                        warn!(staff = %staff.id, "a second hello; closed");
                        return;
                    }
                    // A client that ends (or is killed) between requests simply leaves.
                    Err(FrameError::Closed) => return,
                    Err(e) if e.kind() == "reset" => return,
                    Err(e) => {
                        warn!(staff = %staff.id, error = e.kind(), "bad request frame; closed");
                        return;
                    }
                };
            shared.in_flight.fetch_add(1, Ordering::SeqCst);
            let started = Instant::now();
            let kind = request.kind();
            let result = if shared.stopping.load(Ordering::SeqCst) {
                Err(Failure::link(LinkFailure::Stopping))
            } else {
                shared
                    .service
                    .execute(&actor, *request)
                    .map(Box::new)
                    .map_err(|e| {
                        info!(
                            staff = %staff.id,
                            kind = %kind,
                            ms = started.elapsed().as_millis() as u64,
                            outcome = %"refused",
                            error = %error_kind(&e),
                            "request"
                        );
                        Failure::from(e)
                    })
            };
            if result.is_ok() {
                info!(
                    staff = %staff.id,
                    kind = %kind,
                    ms = started.elapsed().as_millis() as u64,
                    outcome = %"ok",
                    "request"
                );
            }
            let answered = match self.send(&ServerMessage::Response { id, result }) {
                Err(FrameError::TooLarge { size, limit }) => {
                    error!(
                        staff = %staff.id,
                        kind,
                        size,
                        limit,
                        "an answer is larger than a frame; the client was told to ask for less"
                    );
                    self.send(&ServerMessage::Response {
                        id,
                        result: Err(Failure::link(LinkFailure::AnswerTooLarge { size, limit })),
                    })
                }
                other => other,
            };
            shared.in_flight.fetch_sub(1, Ordering::SeqCst);
            if let Err(e) = answered {
                debug!(staff = %staff.id, error = e.kind(), "the answer could not be sent");
                return;
            }
        }
    }
}

/// A token bucket per connection: past its burst, a connection's next request waits its turn.
struct Pace {
    tokens: f64,
    at: Instant,
}

impl Pace {
    fn new() -> Pace {
        Pace {
            tokens: REQUEST_BURST,
            at: Instant::now(),
        }
    }

    fn wait(&mut self) {
        let now = Instant::now();
        self.tokens = (self.tokens
            + now.duration_since(self.at).as_secs_f64() * REQUESTS_PER_SECOND)
            .min(REQUEST_BURST);
        self.at = now;
        if self.tokens < 1.0 {
            let short = (1.0 - self.tokens) / REQUESTS_PER_SECOND;
            std::thread::sleep(Duration::from_secs_f64(short));
            self.tokens = 1.0;
            self.at = Instant::now();
        }
        self.tokens -= 1.0;
    }
}

/// What went wrong, for the log: a kind and field names, never the text of the error (it can
/// quote what a person typed: an IIN, a name).
fn error_kind(error: &ServiceError) -> String {
    match error {
        ServiceError::Forbidden(_) => "forbidden".into(),
        ServiceError::NotFound(_) => "not-found".into(),
        ServiceError::Invalid(problems) => format!(
            "invalid: {}",
            problems
                .iter()
                .map(|p| p.field.as_str())
                .collect::<Vec<_>>()
                .join(",")
        ),
        ServiceError::Queue(_) => "queue".into(),
        ServiceError::Lifecycle(_) => "lifecycle".into(),
        ServiceError::Store(e) => format!("store: {:?}", crate::service::StoreFailure::of(e)),
        ServiceError::Draft(_) => "draft".into(),
        ServiceError::AlreadyAccepted { .. } => "already-accepted".into(),
        ServiceError::Internal(what) => format!("internal: {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_past_its_burst_is_paced() {
        let mut pace = Pace::new();
        let started = Instant::now();
        for _ in 0..(REQUEST_BURST as usize) {
            pace.wait();
        }
        assert!(started.elapsed() < Duration::from_millis(100));
        for _ in 0..40 {
            pace.wait();
        }
        // 40 more at 200 a second: about 200 ms.
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(150), "{took:?}");
    }
}
