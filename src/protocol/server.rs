//! `frontdesk serve`: one daemon owns the store; staff connect over a Unix socket; the kernel
//! says who they are; every request is authorised by the core.

use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::peer::{peer_uid, user_name};
use super::{
    encode_frame, read_frame, write_frame, ClientMessage, FrameError, ServerMessage, Welcome,
    PROTOCOL_VERSION,
};
use crate::service::Service;

/// One log line on standard error (journald under systemd). Never personal data: staff ids,
/// request kinds and errors only.
pub fn log(message: &str) {
    eprintln!(
        "{} frontdesk: {message}",
        Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
}

/// The default socket of a data directory.
pub fn default_socket(data_dir: &Path) -> PathBuf {
    data_dir.join("frontdesk.sock")
}

type Frame = Arc<Vec<u8>>;

struct Shared {
    service: Arc<Service>,
    in_flight: AtomicUsize,
    stopping: AtomicBool,
    /// Each connection's queue of notice frames.
    listeners: Mutex<Vec<Sender<Frame>>>,
}

/// One subscriber to the core: each notice is encoded once and handed to every connection.
fn fan_out(shared: Arc<Shared>) {
    let notices = shared.service.subscribe();
    std::thread::spawn(move || {
        for notice in notices {
            let Ok(frame) = encode_frame(&ServerMessage::Notice(Box::new(notice))) else {
                continue;
            };
            let frame = Arc::new(frame);
            if let Ok(mut listeners) = shared.listeners.lock() {
                listeners.retain(|l| l.send(frame.clone()).is_ok());
            }
        }
    });
}

/// Binds the socket (0660: the staff group may connect) and serves until SIGTERM, SIGINT or
/// SIGHUP; then in-flight requests finish and the store is flushed.
pub fn serve(service: Arc<Service>, socket: &Path) -> io::Result<()> {
    if socket.exists() {
        // A socket nobody answers on is left over from a killed daemon.
        if UnixStream::connect(socket).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                format!("a daemon already answers on {}", socket.display()),
            ));
        }
        std::fs::remove_file(socket)?;
    }
    let listener = UnixListener::bind(socket)?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o660))?;
    let shared = Arc::new(Shared {
        service,
        in_flight: AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
        listeners: Mutex::new(Vec::new()),
    });
    fan_out(shared.clone());

    let waker = socket.to_path_buf();
    let stop = shared.clone();
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            log(&format!("signal {signal}: stopping"));
            stop.stopping.store(true, Ordering::SeqCst);
            // Wake the accept loop.
            let _ = UnixStream::connect(&waker);
        }
    });
    log(&format!("serving on {}", socket.display()));
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(stream) => {
                let shared = shared.clone();
                std::thread::spawn(move || connection(stream, &shared));
            }
            Err(e) => log(&format!("accept failed: {e}")),
        }
    }
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
    log("stopped; the store is flushed");
    Ok(())
}

fn connection(stream: UnixStream, shared: &Shared) {
    let Some(uid) = peer_uid(&stream) else {
        log("a connection without peer credentials was closed");
        return;
    };
    let user = user_name(uid).unwrap_or_else(|| format!("uid {uid}"));
    let service = &shared.service;
    let staff = service.config().staff_for_os_user(&user).cloned();
    let mut reader = match stream.try_clone() {
        Ok(reader) => reader,
        Err(_) => return,
    };
    let writer = Arc::new(Mutex::new(stream));
    let send = |message: &ServerMessage| -> bool {
        match writer.lock() {
            Ok(mut stream) => write_frame(&mut *stream, message).is_ok(),
            Err(_) => false,
        }
    };
    let close = |why: &str| {
        log(why);
        if let Ok(stream) = writer.lock() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    };

    let _ = reader.set_read_timeout(Some(Duration::from_secs(10)));
    match read_frame::<ClientMessage>(&mut reader) {
        Ok(ClientMessage::Hello { version }) if version == PROTOCOL_VERSION => {}
        Ok(ClientMessage::Hello { version }) => {
            send(&ServerMessage::Refused { reason: format!("protocol {version} is not spoken here ({PROTOCOL_VERSION} is); update frontdesk") });
            return close(&format!("{user}: refused protocol {version}"));
        }
        Ok(_) => return close(&format!("{user}: request before hello; closed")),
        Err(e) => return close(&format!("{user}: bad hello ({e}); closed")),
    }
    let Some(staff) = staff else {
        send(&ServerMessage::Refused {
            reason: format!(
                "the OS user `{user}` is not on the staff list; ask the administrator to add you"
            ),
        });
        return close(&format!("refused unknown user {user} (uid {uid})"));
    };
    let Some(office) = service.config().office(&staff.office).cloned() else {
        send(&ServerMessage::Refused {
            reason: format!("office `{}` is not configured", staff.office),
        });
        return close(&format!("{}: office not configured", staff.id));
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
    let (listener, frames) = channel::<Frame>();
    if let Ok(mut listeners) = shared.listeners.lock() {
        listeners.push(listener);
    }
    if !send(&ServerMessage::Welcome(Box::new(welcome))) {
        return;
    }
    let _ = reader.set_read_timeout(None);
    log(&format!("{} connected", staff.id));

    let notice_writer = writer.clone();
    std::thread::spawn(move || {
        for frame in frames {
            let Ok(mut stream) = notice_writer.lock() else {
                return;
            };
            if stream.write_all(&frame).is_err() {
                return;
            }
        }
    });

    let actor = staff.actor();
    loop {
        match read_frame::<ClientMessage>(&mut reader) {
            Ok(ClientMessage::Request { id, request }) => {
                shared.in_flight.fetch_add(1, Ordering::SeqCst);
                let kind = request.kind();
                let result = if shared.stopping.load(Ordering::SeqCst) {
                    Err("the daemon is stopping; try again in a moment".to_string())
                } else {
                    service
                        .execute(&actor, *request)
                        .map(Box::new)
                        .map_err(|e| {
                            log(&format!("{}: {kind} refused: {e}", staff.id));
                            e.to_string()
                        })
                };
                shared.in_flight.fetch_sub(1, Ordering::SeqCst);
                if !send(&ServerMessage::Response { id, result }) {
                    break;
                }
            }
            Ok(ClientMessage::Hello { .. }) => {
                return close(&format!("{}: a second hello; closed", staff.id))
            }
            Err(FrameError::Closed) => break,
            Err(e) => return close(&format!("{}: {e}; connection closed", staff.id)),
        }
    }
    close(&format!("{} disconnected", staff.id));
}
