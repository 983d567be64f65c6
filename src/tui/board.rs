//! The hall board: the ticket being served at each counter in large characters, and how many
//! wait. Read-only, no personal data, redrawn only when the queue changes.

use std::collections::BTreeMap;

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::config::Staff;
use crate::service::Ticket;

/// 3×5 glyphs for digits, Latin capitals and '-'; anything else shows as '?'.
fn glyph(c: char) -> [&'static str; 5] {
    match c.to_ascii_uppercase() {
        '0' | 'O' => ["###", "# #", "# #", "# #", "###"],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", "###", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' | 'S' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        'A' => ["###", "# #", "###", "# #", "# #"],
        'B' => ["## ", "# #", "## ", "# #", "## "],
        'C' => ["###", "#  ", "#  ", "#  ", "###"],
        'D' => ["## ", "# #", "# #", "# #", "## "],
        'E' => ["###", "#  ", "## ", "#  ", "###"],
        'F' => ["###", "#  ", "## ", "#  ", "#  "],
        'G' => ["###", "#  ", "# #", "# #", "###"],
        'H' => ["# #", "# #", "###", "# #", "# #"],
        'I' => ["###", " # ", " # ", " # ", "###"],
        'J' => ["  #", "  #", "  #", "# #", "###"],
        'K' => ["# #", "# #", "## ", "# #", "# #"],
        'L' => ["#  ", "#  ", "#  ", "#  ", "###"],
        'M' => ["# #", "###", "###", "# #", "# #"],
        'N' => ["## ", "# #", "# #", "# #", "# #"],
        'P' => ["###", "# #", "###", "#  ", "#  "],
        'Q' => ["###", "# #", "# #", "###", "  #"],
        'R' => ["## ", "# #", "## ", "# #", "# #"],
        'T' => ["###", " # ", " # ", " # ", " # "],
        'U' => ["# #", "# #", "# #", "# #", "###"],
        'V' => ["# #", "# #", "# #", "# #", " # "],
        'W' => ["# #", "# #", "###", "###", "# #"],
        'X' => ["# #", "# #", " # ", "# #", "# #"],
        'Y' => ["# #", "# #", " # ", " # ", " # "],
        'Z' => ["###", "  #", " # ", "#  ", "###"],
        '-' => ["   ", "   ", "###", "   ", "   "],
        ' ' => ["   ", "   ", "   ", "   ", "   "],
        _ => ["###", "  #", " ##", "   ", " # "],
    }
}

/// `text` as five rows of large characters ('#' becomes a full block unless `ascii`).
pub fn big_text(text: &str, ascii: bool) -> [String; 5] {
    let mut rows: [String; 5] = Default::default();
    for (i, c) in text.chars().enumerate() {
        for (row, part) in rows.iter_mut().zip(glyph(c)) {
            if i > 0 {
                row.push(' ');
            }
            row.push_str(&if ascii {
                part.to_string()
            } else {
                part.replace('#', "█")
            });
        }
    }
    rows
}

/// What the board shows: the latest ticket called at each counter today, and how many wait.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardState {
    pub serving: Vec<(String, String)>,
    pub waiting: usize,
    /// The link to the daemon is down: what is shown may be old.
    pub link_lost: bool,
}

impl BoardState {
    /// Counters carry the number configured for the person who called (`counter` in the staff
    /// list): no names on the board. Without one, "?" rather than a number that may be wrong.
    pub fn from_queue(tickets: &[Ticket], office_staff: &[Staff]) -> BoardState {
        let counter_of = |staff: &str| {
            office_staff
                .iter()
                .find(|s| s.id == staff)
                .and_then(|s| s.counter)
                .map_or("?".to_string(), |n| n.to_string())
        };
        let mut latest: BTreeMap<String, &Ticket> = BTreeMap::new();
        for ticket in tickets.iter().filter(|t| t.called_at.is_some()) {
            let counter = counter_of(ticket.called_by.as_deref().unwrap_or(""));
            let newer = latest
                .get(&counter)
                .is_none_or(|t| t.called_at < ticket.called_at);
            if newer {
                latest.insert(counter, ticket);
            }
        }
        BoardState {
            serving: latest
                .into_iter()
                .map(|(counter, t)| (counter, t.number.clone()))
                .collect(),
            waiting: tickets.iter().filter(|t| t.called_at.is_none()).count(),
            link_lost: false,
        }
    }
}

/// What the board says when the link to the daemon is lost, in the hall's three languages.
const LINK_LOST_NOTICE: &str = "! Байланыс жоқ · Нет связи · No link — деректер ескі болуы мүмкін · данные могут быть устаревшими · what is shown may be old";

pub fn view(board: &BoardState, ascii: bool, frame: &mut Frame) {
    let area = frame.area();
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines = vec![
        Line::styled("Кезек · Очередь · Queue", bold),
        Line::raw(format!("Күтуде · Ожидают · Waiting: {}", board.waiting)),
        Line::raw(""),
    ];
    if board.link_lost {
        // Wrapped to the board's width: a cut notice would hide what it means.
        let notice = crate::domain::receipt::wrap(
            LINK_LOST_NOTICE,
            usize::from(area.width.saturating_sub(1)),
        );
        for (row, text) in notice.into_iter().enumerate() {
            lines.insert(
                row,
                Line::styled(text, bold.add_modifier(Modifier::REVERSED)),
            );
        }
    }
    if board.serving.is_empty() {
        lines.push(Line::raw("—"));
    }
    for (counter, number) in &board.serving {
        lines.push(Line::styled(
            format!("Терезе · Окно · Counter {counter}"),
            bold,
        ));
        for row in big_text(number, ascii) {
            lines.push(Line::styled(row, bold));
        }
        lines.push(Line::raw(""));
    }
    let shown: Vec<Line> = lines.into_iter().take(usize::from(area.height)).collect();
    frame.render_widget(
        Paragraph::new(shown),
        Rect::new(
            area.x + 1,
            area.y,
            area.width.saturating_sub(1),
            area.height,
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_numbered_from_the_configuration_and_a_lost_link_shows() {
        let staff = |id: &str, counter: Option<u32>| Staff {
            id: id.into(),
            name: id.into(),
            role: "clerk".into(),
            office: "ALM01".into(),
            os_user: None,
            counter,
            offices: None,
        };
        let at = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let ticket = |number: &str, by: &str| Ticket {
            number: number.into(),
            office: "ALM01".into(),
            channel: "provider".into(),
            measure: "lifting-allowance".into(),
            arrived_at: at,
            called_at: Some(at),
            called_by: Some(by.into()),
        };
        let office = [
            staff("head", None),
            staff("ainur", Some(5)),
            staff("new", None),
        ];
        let mut board =
            BoardState::from_queue(&[ticket("A001", "ainur"), ticket("A002", "new")], &office);
        assert_eq!(
            board.serving,
            vec![("5".into(), "A001".into()), ("?".into(), "A002".into())]
        );
        board.link_lost = true;
        let backend = ratatui::backend::TestBackend::new(80, 24);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        terminal.draw(|f| view(&board, true, f)).unwrap();
        let rows: Vec<String> = (0..24)
            .map(|y| {
                (0..80)
                    .map(|x| terminal.backend().buffer()[(x, y)].symbol().to_string())
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
            .collect();
        assert!(rows[0].contains("Нет связи"), "{rows:?}");
        // The notice is drawn whole at 80 columns: every word of it, none cut at the edge.
        let drawn: Vec<&str> = rows.iter().flat_map(|r| r.split_whitespace()).collect();
        let words: Vec<&str> = LINK_LOST_NOTICE.split_whitespace().collect();
        assert_eq!(&drawn[..words.len()], &words[..], "{rows:?}");
    }

    #[test]
    fn big_digits_are_five_rows_of_equal_width() {
        let rows = big_text("A012", true);
        assert!(rows.iter().all(|r| r.len() == rows[0].len()));
        assert_eq!(rows[0], "### ###  #  ###");
        assert_eq!(big_text("1", false)[1], "██ ");
    }
}
