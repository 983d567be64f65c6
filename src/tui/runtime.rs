//! The loop around the Elm model: terminal setup and restore, input, core notices, signals,
//! effects, and drawing only when something visible changed.

use std::io::{self, Stdout};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use super::core::Core;
use super::keymap::Chord;
use super::state::{Effect, Msg, State};
use crate::service::Notice;

enum Input {
    Terminal(Event),
    Notice(Box<Notice>),
    /// SIGTERM, SIGHUP (the SSH link dropped) or SIGQUIT.
    Stop,
    Closed,
}

/// Puts the terminal back as it was: raw mode off, main screen, cursor visible.
pub fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, cursor::Show);
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

fn spawn_input(sender: Sender<Input>) {
    std::thread::spawn(move || loop {
        match event::read() {
            Ok(ev) => {
                if sender.send(Input::Terminal(ev)).is_err() {
                    return;
                }
            }
            Err(_) => {
                let _ = sender.send(Input::Closed);
                return;
            }
        }
    });
}

fn spawn_notices(notices: Receiver<Notice>, sender: Sender<Input>) {
    std::thread::spawn(move || {
        for notice in notices {
            if sender.send(Input::Notice(Box::new(notice))).is_err() {
                return;
            }
        }
    });
}

fn spawn_signals(sender: Sender<Input>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGQUIT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = sender.send(Input::Stop);
        }
    });
    Ok(())
}

/// Runs effects against the core until none are left.
pub fn run_effects(state: &mut State, core: &dyn Core, effects: Vec<Effect>) {
    let mut pending = std::collections::VecDeque::from(effects);
    while let Some(Effect::Request { request, answer }) = pending.pop_front() {
        let result = core.execute(request);
        pending.extend(state.update(Msg::Response(answer, Box::new(result))));
    }
}

/// Runs the TUI on the real terminal until the user quits or a signal stops it.
/// The core and its notices, reached after the first frame is on screen.
pub type Connection = (Box<dyn Core>, Receiver<Notice>);

/// Runs the TUI on the real terminal until the user quits or a signal stops it. The frame is
/// drawn first, then `connect` opens the core (the store, or later the daemon), so the clerk
/// sees the screen at once.
pub fn run(
    mut state: State,
    connect: impl FnOnce() -> Result<Connection, String>,
) -> Result<(), String> {
    install_panic_hook();
    terminal::enable_raw_mode().map_err(|e| format!("terminal: {e}"))?;
    let mut stdout: Stdout = io::stdout();
    if let Err(e) = execute!(stdout, EnterAlternateScreen, cursor::Hide) {
        restore_terminal();
        return Err(format!("terminal: {e}"));
    }
    let result = event_loop(&mut state, connect);
    restore_terminal();
    result
}

fn event_loop(
    state: &mut State,
    connect: impl FnOnce() -> Result<Connection, String>,
) -> Result<(), String> {
    let mut terminal =
        Terminal::new(CrosstermBackend::new(io::stdout())).map_err(|e| format!("terminal: {e}"))?;
    terminal
        .draw(|frame| super::view::view(state, frame))
        .map_err(|e| format!("terminal: {e}"))?;
    let (core, notices) = connect()?;
    let core = core.as_ref();
    state.loading = false;
    if let Some(notice) = core.startup_notice() {
        state.message = Some((super::state::Tone::Bad, notice));
    }
    draw_loop(state, core, notices, &mut terminal).map_err(|e| format!("terminal: {e}"))
}

fn draw_loop(
    state: &mut State,
    core: &dyn Core,
    notices: Receiver<Notice>,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
) -> io::Result<()> {
    let (sender, inputs) = channel();
    spawn_input(sender.clone());
    spawn_notices(notices, sender.clone());
    spawn_signals(sender)?;

    state.now = core.now();
    let effects = state.update(Msg::Start);
    run_effects(state, core, effects);
    // Each pass follows a key, a notice, or the moment a visible countdown changes, so each
    // pass draws; ratatui sends only the cells that differ from the last frame.
    loop {
        terminal.draw(|frame| super::view::view(state, frame))?;
        if state.quit {
            return Ok(());
        }
        let now = core.now();
        let timeout = (state.next_wake() - now)
            .to_std()
            .unwrap_or(Duration::ZERO)
            .min(Duration::from_secs(60));
        let first = match inputs.recv_timeout(timeout) {
            Ok(input) => Some(input),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let effects = state.update(Msg::Tick(core.now()));
        run_effects(state, core, effects);
        // Take everything already waiting, so a burst of keys or notices costs one frame.
        let mut changed = None;
        for input in first
            .into_iter()
            .chain(std::iter::from_fn(|| inputs.try_recv().ok()))
        {
            match input {
                Input::Terminal(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    let effects = state.update(Msg::Key(Chord::from_event(&key)));
                    run_effects(state, core, effects);
                }
                Input::Terminal(_) => {}
                Input::Notice(notice) => match *notice {
                    Notice::Link { connected } => {
                        let effects = state.update(Msg::Link(connected));
                        run_effects(state, core, effects);
                    }
                    Notice::Queue { .. } => changed = Some(true),
                    Notice::Case(_) => changed = Some(changed.unwrap_or(false)),
                },
                Input::Stop | Input::Closed => return Ok(()),
            }
        }
        if let Some(queue) = changed {
            let effects = state.update(Msg::Changed { queue });
            run_effects(state, core, effects);
        }
    }
}

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
            Terminal::new(CrosstermBackend::new(io::stdout())).map_err(|e| e.to_string())?;
        let (sender, inputs) = channel();
        spawn_input(sender.clone());
        spawn_notices(notices, sender.clone());
        spawn_signals(sender).map_err(|e| e.to_string())?;
        let mut board = super::board::BoardState::default();
        let mut fetch = true;
        loop {
            if fetch {
                if let Ok(crate::service::Response::Queue(tickets)) =
                    core.execute(crate::service::Request::Queue)
                {
                    board = super::board::BoardState::from_queue(&tickets, &office_staff);
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
                Ok(Input::Terminal(_)) => {}
                Ok(Input::Notice(notice)) => {
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
