//! Key bindings from `keymaps/*.toml`: shipped maps, a user file merged over them per key, and
//! `noop` to unbind. Every problem names the file, the line and the key.

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml_edit::{ImDocument, Item};

use crate::source_error::{FieldError, FieldErrors};

/// Where a key is looked up; `global` applies in every mode after the mode's own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Global,
    List,
    Form,
    Checklist,
    Detail,
    Receipt,
    Dialog,
    Help,
}

impl Mode {
    pub const ALL: [Mode; 8] = [
        Mode::Global,
        Mode::List,
        Mode::Form,
        Mode::Checklist,
        Mode::Detail,
        Mode::Receipt,
        Mode::Dialog,
        Mode::Help,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Mode::Global => "global",
            Mode::List => "list",
            Mode::Form => "form",
            Mode::Checklist => "checklist",
            Mode::Detail => "detail",
            Mode::Receipt => "receipt",
            Mode::Dialog => "dialog",
            Mode::Help => "help",
        }
    }

    /// Modes where printable keys type text, so they cannot be bound.
    fn types_text(self) -> bool {
        matches!(self, Mode::Form | Mode::Dialog)
    }
}

macro_rules! actions {
    ($($variant:ident = $id:literal),* $(,)?) => {
        /// Everything a key can do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];
            pub fn id(self) -> &'static str {
                match self { $(Action::$variant => $id),* }
            }
        }
    };
}

actions! {
    Help = "help", Quit = "quit", Queue = "queue", Intake = "intake", Cases = "cases",
    Dashboard = "dashboard",
    Language = "language", Theme = "theme",
    Up = "up", Down = "down", Left = "left", Right = "right", PageUp = "page_up",
    PageDown = "page_down",
    NextField = "next_field", PrevField = "prev_field", Open = "open", Back = "back",
    Confirm = "confirm", Cancel = "cancel", Erase = "erase", Toggle = "toggle",
    Submit = "submit", SubmitAndPrint = "submit_print", AllDocuments = "all_documents",
    ClearForm = "clear_form",
    Arrival = "arrival", CallNext = "call_next", Search = "search", NextFilter = "next_filter",
    Action1 = "action_1", Action2 = "action_2", Action3 = "action_3", Action4 = "action_4",
    Action5 = "action_5", Explain = "explain", Print = "print", Void = "void",
}

impl Action {
    pub fn from_id(id: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.id() == id)
    }
}

/// A key with its modifiers, as written in a keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Chord {
    /// The chord of a terminal key event (Shift is folded into the character for printables).
    pub fn from_event(event: &KeyEvent) -> Chord {
        let mut modifiers =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c)
                if !modifiers.contains(KeyModifiers::CONTROL)
                    && !modifiers.contains(KeyModifiers::ALT) =>
            {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::Char(c) => KeyCode::Char(c.to_ascii_lowercase()),
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Chord { code, modifiers }
    }

    /// Whether the key types a character (so it belongs to text fields).
    pub fn is_printable(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    pub fn parse(text: &str) -> Option<Chord> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, modifier) = if lower.starts_with("ctrl-") {
                ("ctrl-", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") {
                ("alt-", KeyModifiers::ALT)
            } else if lower.starts_with("shift-") && rest.len() > "shift-".len() + 1 {
                ("shift-", KeyModifiers::SHIFT)
            } else {
                break;
            };
            modifiers |= modifier;
            rest = &rest[prefix.len()..];
        }
        let lower = rest.to_ascii_lowercase();
        let code = match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            f if f.starts_with('f')
                && f.len() > 1
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                let n: u8 = f[1..].parse().ok()?;
                if !(1..=24).contains(&n) {
                    return None;
                }
                KeyCode::F(n)
            }
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() || c.is_control() {
                    return None;
                }
                if modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
        };
        if matches!(code, KeyCode::Char(_))
            && !modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        Some(Chord { code, modifiers })
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            write!(f, "Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            write!(f, "Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            write!(f, "Shift-")?;
        }
        match self.code {
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Char(' ') => write!(f, "Space"),
            KeyCode::Char(c) if self.modifiers.contains(KeyModifiers::CONTROL) => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => write!(f, "Enter"),
            KeyCode::Esc => write!(f, "Esc"),
            KeyCode::Tab => write!(f, "Tab"),
            KeyCode::BackTab => write!(f, "Shift-Tab"),
            KeyCode::Backspace => write!(f, "Bksp"),
            KeyCode::Up => write!(f, "↑"),
            KeyCode::Down => write!(f, "↓"),
            KeyCode::Left => write!(f, "←"),
            KeyCode::Right => write!(f, "→"),
            KeyCode::PageUp => write!(f, "PgUp"),
            KeyCode::PageDown => write!(f, "PgDn"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// A binding as read from a file, with where it came from.
#[derive(Debug, Clone)]
struct Entry {
    mode: Mode,
    chord: Chord,
    /// `None` is `noop`.
    action: Option<Action>,
}

/// The shipped keymaps, compiled in.
pub const SHIPPED: [(&str, &str); 3] = [
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
    ("kiosk", include_str!("../../keymaps/kiosk.toml")),
];

/// Bindings per mode, in file order (for the help overlay and the status line).
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: HashMap<(Mode, Chord), Action>,
    order: Vec<(Mode, Chord)>,
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

fn parse_file(file: &str, source: &str) -> Result<Vec<Entry>, FieldErrors> {
    let document = ImDocument::parse(source).map_err(|e| {
        FieldErrors(vec![FieldError {
            file: file.to_string(),
            line: e.span().map(|s| line_of(source, s.start)),
            field: String::new(),
            message: e.message().trim().to_string(),
        }])
    })?;
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    let mut error = |line: Option<usize>, field: String, message: String| {
        errors.push(FieldError {
            file: file.to_string(),
            line,
            field,
            message,
        })
    };
    for (mode_name, item) in document.as_table().iter() {
        let mode_line = document
            .as_table()
            .key(mode_name)
            .and_then(|k| k.span())
            .map(|s| line_of(source, s.start));
        let Some(mode) = Mode::ALL.iter().copied().find(|m| m.id() == mode_name) else {
            error(
                mode_line,
                mode_name.to_string(),
                format!(
                    "unknown mode; use {}",
                    Mode::ALL
                        .iter()
                        .map(|m| m.id())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            continue;
        };
        let Item::Table(table) = item else {
            error(
                mode_line,
                mode_name.to_string(),
                "must be a table of key = \"action\"".into(),
            );
            continue;
        };
        let mut seen: HashMap<Chord, String> = HashMap::new();
        for (key_text, value) in table.iter() {
            let line = table
                .key(key_text)
                .and_then(|k| k.span())
                .map(|s| line_of(source, s.start));
            let field = format!("{mode_name}.{key_text}");
            let Some(chord) = Chord::parse(key_text) else {
                error(
                    line,
                    field,
                    format!("`{key_text}` is not a key (e.g. f1, ctrl-q, enter, esc, tab, up, a)"),
                );
                continue;
            };
            let Some(action_id) = value.as_str() else {
                error(
                    line,
                    field,
                    "the action must be a string, e.g. \"help\"".into(),
                );
                continue;
            };
            let action = if action_id == "noop" {
                None
            } else if let Some(action) = Action::from_id(action_id) {
                Some(action)
            } else {
                error(line, field, format!("unknown action `{action_id}`"));
                continue;
            };
            if let Some(previous) = seen.insert(chord, key_text.to_string()) {
                error(line, field, format!("`{key_text}` is the same key as `{previous}`, bound twice in [{mode_name}]"));
                continue;
            }
            if mode.types_text() && chord.is_printable() && action.is_some() {
                error(
                    line,
                    field,
                    format!(
                        "`{key_text}` types text in [{mode_name}]; bind a key that types nothing"
                    ),
                );
                continue;
            }
            entries.push(Entry {
                mode,
                chord,
                action,
            });
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(FieldErrors(errors))
    }
}

impl Keymap {
    /// Parses and checks one keymap file on its own.
    pub fn check(file: &str, source: &str) -> Result<Keymap, FieldErrors> {
        Ok(Keymap::default().merged(parse_file(file, source)?))
    }

    /// A shipped map by name, with an optional user file merged over it per key.
    pub fn load(shipped: &str, user: Option<(&str, &str)>) -> Result<Keymap, FieldErrors> {
        let (name, source) = SHIPPED.iter().find(|(n, _)| *n == shipped).ok_or_else(|| {
            FieldErrors(vec![FieldError {
                file: "--keymap".into(),
                line: None,
                field: shipped.into(),
                message: "unknown keymap; use default, vim or kiosk".into(),
            }])
        })?;
        let base = Keymap::default().merged(parse_file(&format!("keymaps/{name}.toml"), source)?);
        match user {
            None => Ok(base),
            Some((file, source)) => Ok(base.merged(parse_file(file, source)?)),
        }
    }

    fn merged(mut self, entries: Vec<Entry>) -> Keymap {
        for entry in entries {
            let slot = (entry.mode, entry.chord);
            match entry.action {
                Some(action) => {
                    if self.bindings.insert(slot, action).is_none() {
                        self.order.push(slot);
                    }
                }
                None => {
                    self.bindings.remove(&slot);
                    self.order.retain(|s| *s != slot);
                }
            }
        }
        self
    }

    /// The action of a key in `mode`: the mode's own binding, else the global one.
    pub fn action(&self, mode: Mode, chord: &Chord) -> Option<Action> {
        self.bindings
            .get(&(mode, *chord))
            .or_else(|| self.bindings.get(&(Mode::Global, *chord)))
            .copied()
    }

    /// The bindings of a mode in file order.
    pub fn bindings(&self, mode: Mode) -> impl Iterator<Item = (Chord, Action)> + '_ {
        self.order
            .iter()
            .filter(move |(m, _)| *m == mode)
            .filter_map(|slot| self.bindings.get(slot).map(|a| (slot.1, *a)))
    }

    /// The first key bound to `action` in `mode` or globally, for hints.
    pub fn key_for(&self, mode: Mode, action: Action) -> Option<Chord> {
        self.bindings(mode)
            .chain(self.bindings(Mode::Global))
            .find(|(_, a)| *a == action)
            .map(|(c, _)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_keymap_loads_and_reaches_the_essentials() {
        for (name, _) in SHIPPED {
            let keymap = Keymap::load(name, None).unwrap_or_else(|e| panic!("{name}: {e}"));
            for (mode, action) in [
                (Mode::Global, Action::Help),
                (Mode::Global, Action::Intake),
                (Mode::Form, Action::SubmitAndPrint),
                (Mode::Form, Action::AllDocuments),
                (Mode::Checklist, Action::AllDocuments),
                (Mode::Form, Action::NextField),
                (Mode::Checklist, Action::Toggle),
                (Mode::List, Action::Open),
                (Mode::Dialog, Action::Confirm),
            ] {
                assert!(
                    keymap.key_for(mode, action).is_some(),
                    "{name}: no key for {action:?} in {mode:?}"
                );
            }
        }
    }

    #[test]
    fn kiosk_uses_only_function_keys_digits_enter_and_backspace() {
        let keymap = Keymap::load("kiosk", None).unwrap();
        for mode in Mode::ALL {
            for (chord, _) in keymap.bindings(mode) {
                let allowed = match chord.code {
                    KeyCode::F(_) | KeyCode::Enter | KeyCode::Backspace => true,
                    KeyCode::Char(c) => c.is_ascii_digit(),
                    _ => false,
                };
                assert!(allowed && chord.modifiers.is_empty(), "{chord} in {mode:?}");
            }
        }
    }

    #[test]
    fn a_user_file_merges_per_key_and_noop_unbinds() {
        let user = "[global]\nf10 = \"noop\"\nf12 = \"quit\"\n[list]\nx = \"open\"\n";
        let keymap = Keymap::load("default", Some(("mine.toml", user))).unwrap();
        let f = |n| Chord {
            code: KeyCode::F(n),
            modifiers: KeyModifiers::NONE,
        };
        assert_eq!(keymap.action(Mode::List, &f(10)), None);
        assert_eq!(keymap.action(Mode::List, &f(12)), Some(Action::Quit));
        assert_eq!(keymap.action(Mode::List, &f(1)), Some(Action::Help));
        assert_eq!(
            keymap.action(Mode::List, &Chord::parse("x").unwrap()),
            Some(Action::Open)
        );
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let user = "[global]\nF1 = \"help\"\nf1 = \"quit\"\nf99 = \"help\"\nf2 = \"fly\"\n[form]\na = \"submit\"\n[nowhere]\nx = \"help\"\n";
        let errors = Keymap::load("default", Some(("mine.toml", user))).unwrap_err();
        let lines: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("mine.toml:3: global.f1:") && l.contains("bound twice")),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("mine.toml:4: global.f99:")),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("mine.toml:5: global.f2: unknown action `fly`")),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("mine.toml:7: form.a:") && l.contains("types text")),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("mine.toml:8: nowhere: unknown mode")),
            "{lines:#?}"
        );
        let garbage = Keymap::load("default", Some(("bad.toml", "[global\nf1 = ")));
        assert!(garbage.unwrap_err().to_string().starts_with("bad.toml:1"));
    }

    #[test]
    fn key_names_are_case_insensitive() {
        assert_eq!(Chord::parse("F5"), Chord::parse("f5"));
        assert_eq!(Chord::parse("Ctrl-Q"), Chord::parse("ctrl-q"));
        assert_eq!(Chord::parse("ENTER"), Chord::parse("enter"));
        assert_ne!(Chord::parse("a"), Chord::parse("A"));
    }
}
