//! The loop around the Elm model: terminal setup and restore, input, core notices, signals,
//! effects, and drawing only when something visible changed.

use std::io::{self, Stdout};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use super::backend::LeanBackend;
use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;

use super::core::Core;
use super::keymap::Chord;
use super::state::{Answer, Effect, Msg, State};
use crate::service::{Failure, Notice, Request, Response};

pub(super) enum Input {
    Terminal(Event),
    /// The core answered a request made off the loop.
    Answer(Answer, Box<Result<Response, Failure>>),
    Notice(Box<Notice>),
    /// SIGTERM, SIGHUP (the SSH link dropped) or SIGQUIT.
    Stop,
    Closed,
}

/// Puts the terminal back as it was: raw mode off, main screen, cursor visible.
pub fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        event::DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
}

pub(super) fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

pub(super) fn spawn_input(sender: Sender<Input>) {
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

pub(super) fn spawn_notices(notices: Receiver<Notice>, sender: Sender<Input>) {
    std::thread::spawn(move || {
        for notice in notices {
            if sender.send(Input::Notice(Box::new(notice))).is_err() {
                return;
            }
        }
    });
}

pub(super) fn spawn_signals(sender: Sender<Input>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGQUIT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = sender.send(Input::Stop);
        }
    });
    Ok(())
}

/// Runs effects against the core until none are left, in this thread (for tests and
/// benchmarks; the screen's loop sends them to [`Workers`]).
pub fn run_effects(state: &mut State, core: &dyn Core, effects: Vec<Effect>) {
    let mut pending = std::collections::VecDeque::from(effects);
    pending.extend(state.update(Msg::Flush));
    while let Some(Effect::Request { request, answer }) = pending.pop_front() {
        let result = core.execute(request);
        pending.extend(state.update(Msg::Response(answer, Box::new(result))));
    }
}

/// A request on its way to the core, with where its answer goes.
type Job = (Request, Answer);

/// The threads that talk to the core, so the screen's loop never waits for it: one for
/// printing (a print command may take its time), one for everything else, in order.
struct Workers {
    requests: Sender<Job>,
    printing: Sender<Job>,
}

impl Workers {
    fn spawn<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        core: &'scope (dyn Core + Sync),
        answers: &Sender<Input>,
    ) -> Workers {
        let worker = |jobs: Receiver<Job>, answers: Sender<Input>| {
            scope.spawn(move || {
                for (request, answer) in jobs {
                    let result = core.execute(request);
                    if answers
                        .send(Input::Answer(answer, Box::new(result)))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        };
        let (requests, jobs) = channel();
        worker(jobs, answers.clone());
        let (printing, jobs) = channel();
        worker(jobs, answers.clone());
        Workers { requests, printing }
    }

    fn send(&self, effects: Vec<Effect>) {
        for Effect::Request { request, answer } in effects {
            let plain = match &request {
                Request::Once { request, .. } => request.as_ref(),
                plain => plain,
            };
            let queue = match plain {
                Request::PrintReceipt { .. } => &self.printing,
                _ => &self.requests,
            };
            // A closed worker means the loop is ending; nothing is left to answer.
            let _ = queue.send((request, answer));
        }
    }
}

/// The core and its notices, reached after the first frame is on screen.
pub type Connection = (Box<dyn Core + Send + Sync>, Receiver<Notice>);

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
    // Bracketed paste: a paste arrives as one text for the focused field, not as keys (a line
    // break in it would be Enter, a tab would move the focus).
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        cursor::Hide,
        event::EnableBracketedPaste
    ) {
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
        Terminal::new(LeanBackend::new(io::stdout())).map_err(|e| format!("terminal: {e}"))?;
    terminal
        .draw(|frame| super::view::view(state, frame))
        .map_err(|e| format!("terminal: {e}"))?;
    let (core, notices) = connect()?;
    let core: &(dyn Core + Sync) = core.as_ref();
    state.loading = false;
    let repairs = core.startup_repairs();
    if !repairs.is_empty() {
        state.say(super::state::Tone::Bad, move |s| {
            repairs
                .iter()
                .map(|repair| super::i18n::repair_text(s.lang, repair))
                .collect::<Vec<_>>()
                .join("; ")
        });
    }
    draw_loop(state, core, notices, &mut terminal).map_err(|e| format!("terminal: {e}"))
}

fn draw_loop(
    state: &mut State,
    core: &(dyn Core + Sync),
    notices: Receiver<Notice>,
    terminal: &mut Terminal<LeanBackend<Stdout>>,
) -> io::Result<()> {
    let (sender, inputs) = channel();
    spawn_input(sender.clone());
    spawn_notices(notices, sender.clone());
    spawn_signals(sender.clone())?;
    std::thread::scope(|scope| {
        let workers = Workers::spawn(scope, core, &sender);
        let result = screen_loop(state, core, &inputs, &workers, terminal);
        // Dropping the workers' queues ends their threads once the request at hand is done.
        drop(workers);
        result
    })
}

fn screen_loop(
    state: &mut State,
    core: &(dyn Core + Sync),
    inputs: &Receiver<Input>,
    workers: &Workers,
    terminal: &mut Terminal<LeanBackend<Stdout>>,
) -> io::Result<()> {
    state.now = core.now();
    let size = terminal.size()?;
    workers.send(state.update(Msg::Resize(size.width, size.height)));
    workers.send(state.update(Msg::Start));
    // Each pass follows a key, a notice, an answer, or the moment a visible countdown changes,
    // so each pass draws; ratatui sends only the cells that differ from the last frame.
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
        workers.send(state.update(Msg::Tick(core.now())));
        // Take everything already waiting, so a burst of keys or notices costs one frame.
        let mut changed = None;
        for input in first
            .into_iter()
            .chain(std::iter::from_fn(|| inputs.try_recv().ok()))
        {
            match input {
                Input::Terminal(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    workers.send(state.update(Msg::Key(Chord::from_event(&key))));
                }
                Input::Terminal(Event::Paste(text)) => {
                    workers.send(state.update(Msg::Paste(text)));
                }
                Input::Terminal(Event::Resize(columns, rows)) => {
                    workers.send(state.update(Msg::Resize(columns, rows)));
                }
                Input::Terminal(_) => {}
                Input::Answer(answer, result) => {
                    workers.send(state.update(Msg::Response(answer, result)));
                }
                Input::Notice(notice) => match *notice {
                    Notice::Link { connected } => {
                        workers.send(state.update(Msg::Link(connected)));
                    }
                    Notice::Store { reachable } => {
                        workers.send(state.update(Msg::Store(reachable)));
                    }
                    Notice::Queue { .. } => changed = Some(true),
                    Notice::Case(_) => changed = Some(changed.unwrap_or(false)),
                },
                Input::Stop | Input::Closed => return Ok(()),
            }
        }
        if let Some(queue) = changed {
            workers.send(state.update(Msg::Changed { queue }));
        }
        workers.send(state.update(Msg::Flush));
    }
}
