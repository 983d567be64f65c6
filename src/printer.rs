//! Sends receipt text to the configured print command, within a time limit.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why a receipt did not print. The texts start with fixed words so a screen can tell the
/// kinds apart in a stored message ([`PrintFailure::of_message`]) and say it in its language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("print command not found: `{command}` (set print_command in config.toml; `frontdesk doctor` checks it)")]
    NotFound { command: String },
    #[error("print command timed out after {seconds} s: `{command}` was stopped (is the printer on and its queue running?)")]
    TimedOut { command: String, seconds: u64 },
    #[error("print command failed: `{command}` ({status}){detail}")]
    Failed {
        command: String,
        status: String,
        detail: String,
    },
    #[error("print command could not run: `{command}`: {cause}")]
    CannotRun { command: String, cause: String },
}

/// The kind of a print failure, read back from its stored message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintFailure {
    NotFound,
    TimedOut,
    Failed,
}

impl PrintFailure {
    pub fn of_message(message: &str) -> PrintFailure {
        if message.starts_with("print command not found") {
            PrintFailure::NotFound
        } else if message.starts_with("print command timed out") {
            PrintFailure::TimedOut
        } else {
            PrintFailure::Failed
        }
    }
}

/// Exit status of `sh -c` when the command does not exist.
const SHELL_NOT_FOUND: i32 = 127;

/// Runs `command` through the shell with `text` on its standard input, and stops it (kills
/// the process) when it has not finished within `timeout`.
pub fn print(command: &str, text: &str, timeout: Duration) -> Result<(), PrintError> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| PrintError::CannotRun {
            command: command.to_string(),
            cause: e.to_string(),
        })?;
    // Written and read on their own threads: a command that neither reads nor exits must not
    // hold us past the time limit.
    if let Some(mut stdin) = child.stdin.take() {
        let text = text.as_bytes().to_vec();
        // A printer command that exits early closes the pipe; its status says what happened.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&text);
        });
    }
    let stderr = child.stderr.take().map(|mut stderr| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        })
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PrintError::TimedOut {
                    command: command.to_string(),
                    seconds: timeout.as_secs(),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                return Err(PrintError::CannotRun {
                    command: command.to_string(),
                    cause: e.to_string(),
                })
            }
        }
    };
    if status.success() {
        return Ok(());
    }
    if status.code() == Some(SHELL_NOT_FOUND) {
        return Err(PrintError::NotFound {
            command: command.to_string(),
        });
    }
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    let detail = stderr.lines().next().unwrap_or("").trim();
    Err(PrintError::Failed {
        command: command.to_string(),
        status: status.to_string(),
        detail: if detail.is_empty() {
            String::new()
        } else {
            format!(": {detail}")
        },
    })
}

/// Whether the program `command` starts with can be found (on PATH, or as a path).
pub fn program_exists(command: &str) -> bool {
    let Some(program) = command.split_whitespace().next() else {
        return false;
    };
    if program.contains('/') {
        return std::path::Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_that_hangs_is_stopped_at_the_time_limit() {
        let started = Instant::now();
        let error = print("sleep 30", "text", Duration::from_millis(300)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(matches!(error, PrintError::TimedOut { .. }), "{error}");
        assert_eq!(
            PrintFailure::of_message(&error.to_string()),
            PrintFailure::TimedOut
        );
    }

    #[test]
    fn a_missing_command_says_so_and_where_to_set_it() {
        let error = print("no-such-printer-cmd -d x", "text", Duration::from_secs(5)).unwrap_err();
        assert!(matches!(error, PrintError::NotFound { .. }), "{error}");
        assert!(error.to_string().contains("print_command"));
        assert!(!program_exists("no-such-printer-cmd -d x"));
        assert!(program_exists("sh -c true"));
    }

    #[test]
    fn a_failing_command_names_its_status_and_first_error_line() {
        let error = print(
            "cat >/dev/null; echo jammed >&2; exit 3",
            "x",
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert_eq!(
            PrintFailure::of_message(&error.to_string()),
            PrintFailure::Failed
        );
        assert!(error.to_string().contains("jammed"), "{error}");
        assert!(print("cat >/dev/null", "x", Duration::from_secs(5)).is_ok());
    }
}
