//! The hall board's loop: asks the core for the queue, draws the board, follows notices and
//! the link, until Esc, q, F10 or a signal.

use std::io;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use crossterm::event::{Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;

use super::backend::LeanBackend;
use super::core::Core;
use super::runtime::{
    install_panic_hook, restore_terminal, spawn_input, spawn_notices, spawn_signals, Input,
};
use crate::service::Notice;

/// Runs the hall board until Esc, q, F10 or a signal: it asks for the queue at start, whenever
/// the queue changes, and once a minute.
pub fn run_board(
    core: &dyn Core,
    notices: Receiver<Notice>,
    office_staff: Vec<crate::config::Staff>,
    ascii: bool,
) -> Result<(), String> {
    use crossterm::event::KeyCode;
    install_panic_hook();
    terminal::enable_raw_mode().map_err(|e| format!("terminal: {e}"))?;
    if let Err(e) = execute!(io::stdout(), EnterAlternateScreen, cursor::Hide) {
        restore_terminal();
        return Err(format!("terminal: {e}"));
    }
    let result = (|| -> Result<(), String> {
        let mut terminal =
            Terminal::new(LeanBackend::new(io::stdout())).map_err(|e| e.to_string())?;
        let (sender, inputs) = channel();
        spawn_input(sender.clone());
        spawn_notices(notices, sender.clone());
        spawn_signals(sender).map_err(|e| e.to_string())?;
        let mut board = super::board::BoardState::default();
        let mut fetch = true;
        loop {
            if fetch {
                match core.execute(crate::service::Request::Queue) {
                    Ok(crate::service::Response::Queue(tickets)) => {
                        board = super::board::BoardState::from_queue(&tickets, &office_staff);
                    }
                    // Unanswered: the old figures stay, marked as possibly old.
                    _ => board.link_lost = true,
                }
                fetch = false;
            }
            terminal
                .draw(|frame| super::board::view(&board, ascii, frame))
                .map_err(|e| e.to_string())?;
            match inputs.recv_timeout(Duration::from_secs(60)) {
                Ok(Input::Terminal(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    let quit =
                        matches!(key.code, KeyCode::Esc | KeyCode::Char('q') | KeyCode::F(10))
                            || (key.code == KeyCode::Char('c')
                                && key
                                    .modifiers
                                    .contains(crossterm::event::KeyModifiers::CONTROL));
                    if quit {
                        return Ok(());
                    }
                }
                Ok(Input::Terminal(_) | Input::Answer(..)) => {}
                Ok(Input::Notice(notice)) => {
                    if let Notice::Link { connected } = *notice {
                        board.link_lost = !connected;
                    }
                    fetch = matches!(
                        *notice,
                        Notice::Queue { .. } | Notice::Link { connected: true }
                    )
                }
                Ok(Input::Stop | Input::Closed) | Err(RecvTimeoutError::Disconnected) => {
                    return Ok(())
                }
                Err(RecvTimeoutError::Timeout) => fetch = true,
            }
        }
    })();
    restore_terminal();
    result
}
