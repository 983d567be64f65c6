//! The real binary in a pseudo-terminal, its screen parsed by vt100, driven by keys.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

pub struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    bytes: Arc<Mutex<usize>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    pub child: Box<dyn Child + Send + Sync>,
}

pub mod keys {
    pub const F1: &str = "\x1bOP";
    pub const F2: &str = "\x1bOQ";
    pub const F3: &str = "\x1bOR";
    pub const F4: &str = "\x1bOS";
    pub const F5: &str = "\x1b[15~";
    pub const F6: &str = "\x1b[17~";
    pub const F7: &str = "\x1b[18~";
    pub const F8: &str = "\x1b[19~";
    pub const F9: &str = "\x1b[20~";
    pub const F10: &str = "\x1b[21~";
    pub const TAB: &str = "\t";
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const DOWN: &str = "\x1b[B";
}

impl Screen {
    pub fn spawn(data: &Path, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Screen {
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_frontdesk"));
        command.arg("--data");
        command.arg(data);
        for arg in args {
            command.arg(arg);
        }
        command.env_remove("FRONTDESK_NOW");
        Screen::spawn_command(command, env, cols, rows)
    }

    /// Any program in the pseudo-terminal (ssh, for instance).
    pub fn spawn_command(
        mut command: CommandBuilder,
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Screen {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        command.env("TERM", "xterm-256color");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pair
            .slave
            .spawn_command(command)
            .expect("the program starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let bytes = Arc::new(Mutex::new(0usize));
        let (p, b) = (parser.clone(), bytes.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        p.lock().unwrap().process(&buf[..n]);
                        *b.lock().unwrap() += n;
                    }
                }
            }
        });
        Screen {
            parser,
            bytes,
            writer,
            master: pair.master,
            child,
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Lone Esc is told from an escape sequence by a pause.
        std::thread::sleep(Duration::from_millis(if keys == keys::ESC {
            150
        } else {
            40
        }));
    }

    pub fn type_text(&mut self, text: &str) {
        self.send(text);
    }

    pub fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn bytes(&self) -> usize {
        *self.bytes.lock().unwrap()
    }

    /// Waits until the screen shows `text`; panics with the screen when it does not.
    pub fn wait_for(&self, text: &str) {
        self.wait_for_within(text, Duration::from_secs(10));
    }

    pub fn wait_for_within(&self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("the screen never showed {text:?}:\n{}", self.contents());
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
    }

    /// Waits for the process to end; `None` if it is still running after the wait.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<portable_pty::ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        None
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
