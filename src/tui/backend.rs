//! A terminal backend that sends fewer bytes than ratatui's crossterm one, for slow SSH links:
//! the 16 named colours as `ESC[3Xm`/`ESC[9Xm` (crossterm writes `ESC[38;5;Nm`), colours and
//! attributes in one sequence and only when they change (also across frames, since nothing
//! else writes to the screen), short cursor moves along a row, and the cursor hidden or shown
//! only when that changes. Everything else is crossterm's.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

/// The attributes the terminal has now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    const RESET: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        modifier: Modifier::empty(),
    };
}

pub struct LeanBackend<W: Write> {
    inner: CrosstermBackend<W>,
    /// What the terminal's pen is set to; `None` when unknown (start, after a clear).
    pen: Option<Pen>,
    cursor_visible: Option<bool>,
}

impl<W: Write> LeanBackend<W> {
    pub fn new(writer: W) -> LeanBackend<W> {
        LeanBackend {
            inner: CrosstermBackend::new(writer),
            pen: None,
            cursor_visible: None,
        }
    }
}

/// The SGR parameter of a colour, or `None` for one outside the 16 named ones.
fn named(color: Color, background: bool) -> Option<u8> {
    let base = match color {
        Color::Reset => return Some(if background { 49 } else { 39 }),
        Color::Black => 30,
        Color::Red => 31,
        Color::Green => 32,
        Color::Yellow => 33,
        Color::Blue => 34,
        Color::Magenta => 35,
        Color::Cyan => 36,
        Color::Gray => 37,
        Color::DarkGray => 90,
        Color::LightRed => 91,
        Color::LightGreen => 92,
        Color::LightYellow => 93,
        Color::LightBlue => 94,
        Color::LightMagenta => 95,
        Color::LightCyan => 96,
        Color::White => 97,
        _ => return None,
    };
    Some(if background { base + 10 } else { base })
}

/// The SGR parameters of any colour: named ones short, others as 256-colour or RGB.
fn color_params(color: Color, background: bool) -> String {
    if let Some(code) = named(color, background) {
        return code.to_string();
    }
    let lead = if background { 48 } else { 38 };
    match color {
        Color::Indexed(i) => format!("{lead};5;{i}"),
        Color::Rgb(r, g, b) => format!("{lead};2;{r};{g};{b}"),
        _ => (if background { 49 } else { 39 }).to_string(),
    }
}

const MODIFIER_CODES: [(Modifier, u8); 7] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::REVERSED, 7),
    (Modifier::CROSSED_OUT, 9),
];

/// One SGR sequence taking the terminal from `from` to `to` (or from scratch).
fn pen_change(from: Option<Pen>, to: Pen) -> String {
    let mut params: Vec<String> = Vec::new();
    let from = match from {
        // Attributes can only be switched off one by one with codes some terminals lack: start
        // over from a reset when one must go.
        Some(from) if from.modifier - to.modifier == Modifier::empty() => from,
        _ => {
            params.push("0".into());
            Pen::RESET
        }
    };
    for (modifier, code) in MODIFIER_CODES {
        if to.modifier.contains(modifier) && !from.modifier.contains(modifier) {
            params.push(code.to_string());
        }
    }
    if to.fg != from.fg {
        params.push(color_params(to.fg, false));
    }
    if to.bg != from.bg {
        params.push(color_params(to.bg, true));
    }
    if params.is_empty() {
        String::new()
    } else {
        format!("\x1b[{}m", params.join(";"))
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut out = String::new();
        let mut last: Option<Position> = None;
        for (x, y, cell) in content {
            match last {
                Some(p) if p.y == y && x == p.x + 1 => {}
                // Forward on the same row: "ESC[nC" is shorter than an absolute move.
                Some(p) if p.y == y && x > p.x + 1 => {
                    out.push_str(&format!("\x1b[{}C", x - p.x - 1));
                }
                _ => out.push_str(&format!("\x1b[{};{}H", y + 1, x + 1)),
            }
            last = Some(Position { x, y });
            let pen = Pen {
                fg: cell.fg,
                bg: cell.bg,
                modifier: cell.modifier,
            };
            if self.pen != Some(pen) {
                out.push_str(&pen_change(self.pen, pen));
                self.pen = Some(pen);
            }
            out.push_str(cell.symbol());
        }
        self.inner.write_all(out.as_bytes())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible == Some(false) {
            return Ok(());
        }
        self.cursor_visible = Some(false);
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible == Some(true) {
            return Ok(());
        }
        self.cursor_visible = Some(true);
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // A clear paints with the current background: reset first.
        if self.pen != Some(Pen::RESET) {
            self.inner.write_all(b"\x1b[0m")?;
            self.pen = Some(Pen::RESET);
        }
        self.inner.clear_region(clear_type)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A writer the test reads back.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn take(&self) -> String {
            String::from_utf8(std::mem::take(&mut *self.0.borrow_mut())).unwrap()
        }
    }

    fn drawn(
        cells: &[(u16, u16, &'static str, Style)],
        backend: &mut LeanBackend<Shared>,
        out: &Shared,
    ) -> String {
        let cells: Vec<(u16, u16, Cell)> = cells
            .iter()
            .map(|(x, y, s, style)| {
                let mut cell = Cell::new(s);
                cell.set_style(*style);
                (*x, *y, cell)
            })
            .collect();
        out.take();
        backend
            .draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
            .unwrap();
        Backend::flush(backend).unwrap();
        out.take()
    }

    #[test]
    fn named_colours_are_short_and_sent_only_when_they_change() {
        let out = Shared::default();
        let mut backend = LeanBackend::new(out.clone());
        let green = Style::default().fg(Color::Green);
        let text = drawn(
            &[(3, 1, "5", green), (4, 1, "9", green)],
            &mut backend,
            &out,
        );
        assert_eq!(text, "\x1b[2;4H\x1b[0;32m59");
        // The next frame, same colour: the move and the digit only.
        let text = drawn(&[(4, 1, "8", green)], &mut backend, &out);
        assert_eq!(text, "\x1b[2;5H8");
        let red_on_blue = Style::default().fg(Color::LightRed).bg(Color::Blue);
        let text = drawn(
            &[(1, 2, "a", green), (6, 2, "b", red_on_blue)],
            &mut backend,
            &out,
        );
        assert_eq!(text, "\x1b[3;2Ha\x1b[4C\x1b[91;44mb");
        // Losing bold starts over from a reset.
        let bold = Style::default()
            .fg(Color::White)
            .add_modifier(Modifier::BOLD);
        drawn(&[(0, 0, "x", bold)], &mut backend, &out);
        let text = drawn(
            &[(1, 0, "y", Style::default().fg(Color::White))],
            &mut backend,
            &out,
        );
        assert_eq!(text, "\x1b[1;2H\x1b[0;97my");
    }

    #[test]
    fn the_cursor_is_hidden_once() {
        let out = Shared::default();
        let mut backend = LeanBackend::new(out.clone());
        backend.hide_cursor().unwrap();
        assert!(!out.take().is_empty());
        backend.hide_cursor().unwrap();
        assert!(out.take().is_empty());
        backend.show_cursor().unwrap();
        assert!(!out.take().is_empty());
    }
}
