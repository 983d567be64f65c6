//! Sends receipt text to the configured print command.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `command` through the shell with `text` on its standard input.
/// Returns a message a clerk can act on when printing fails.
pub fn print(command: &str, text: &str) -> Result<(), String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{command}`: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A printer command that exits early closes the pipe; its status says what happened.
        let _ = stdin.write_all(text.as_bytes());
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("`{command}` did not finish: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let detail = stderr.lines().next().unwrap_or("").trim();
        Err(format!(
            "`{command}` failed ({}){}{}",
            output.status,
            if detail.is_empty() { "" } else { ": " },
            detail
        ))
    }
}
