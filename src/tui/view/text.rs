//! Text measured in terminal columns (unicode-width), never in bytes.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` cut to `max` columns, with "…" when cut. Stored text is shown safely (older records
/// may hold characters that would act on the terminal).
pub fn fit(text: &str, max: usize) -> String {
    let text = &*crate::domain::text::shown_safely(text);
    if text.width() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` wrapped to `width` columns, shown safely as [`fit`] shows it: stored text may hold
/// characters that would act on the terminal.
pub fn wrapped(text: &str, width: usize) -> Vec<String> {
    crate::domain::receipt::wrap(&crate::domain::text::shown_safely(text), width.max(1))
}

/// The end of `text` that fits in `max` columns (a field shows what is being typed).
pub fn tail(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.into_iter().rev().collect()
}

/// `text` padded with spaces to `columns`.
pub fn pad(text: &str, columns: usize) -> String {
    let w = text.width();
    if w >= columns {
        text.to_string()
    } else {
        format!("{text}{}", " ".repeat(columns - w))
    }
}

/// `text` right-aligned in `columns` (measured in columns, not bytes: `format!("{:>8}")`
/// counts characters, which is wrong for wide ones).
pub fn pad_left(text: &str, columns: usize) -> String {
    let w = text.width();
    if w >= columns {
        text.to_string()
    } else {
        format!("{}{text}", " ".repeat(columns - w))
    }
}

/// `text` wrapped to `width` columns, the rows after the first indented by `indent` (an
/// action's number, an event's time) so that what wraps reads as one item.
pub fn hanging(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(1);
    let indent = indent.min(width / 2);
    let mut first = wrapped(text, width).into_iter();
    let Some(head) = first.next() else {
        return Vec::new();
    };
    let rest: Vec<String> = first.collect();
    let mut rows = vec![head];
    if !rest.is_empty() {
        let pad = " ".repeat(indent);
        rows.extend(
            wrapped(&rest.join(" "), width - indent)
                .into_iter()
                .map(|row| format!("{pad}{row}")),
        );
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_and_hanging_text_never_carries_escape_codes() {
        let stored = "Гүлмира \u{1b}[2J\u{1b}]0;forged\u{7} \u{202e}Serikova";
        for row in wrapped(stored, 12)
            .into_iter()
            .chain(hanging(stored, 12, 3))
        {
            assert!(
                !row.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "{row:?}"
            );
        }
    }

    #[test]
    fn columns_not_bytes() {
        assert_eq!(fit("Әсел Нұрланқызы", 6), "Әсел …");
        assert_eq!(width(&fit("日本語のテキスト", 7)), 7);
        assert_eq!(tail("Серікбаева", 4), "аева");
        assert_eq!(pad("Ә", 3), "Ә  ");
        assert_eq!(pad_left("Ә", 3), "  Ә");
        assert_eq!(fit("abc", 0), "");
    }
}
