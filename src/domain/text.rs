//! Text in the three interface languages.

use serde::{Deserialize, Serialize};

/// An interface language. Official documents (receipts) use Kazakh and Russian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The next language in kk → ru → en → kk order, for a runtime switch.
    pub fn next(self) -> Lang {
        match self {
            Lang::Kk => Lang::Ru,
            Lang::Ru => Lang::En,
            Lang::En => Lang::Kk,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "kk" => Ok(Lang::Kk),
            "ru" => Ok(Lang::Ru),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language `{other}`: use kk, ru or en")),
        }
    }
}

/// A name written in Kazakh, Russian and English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }

    /// Which languages are empty, for validation.
    pub fn missing(&self) -> impl Iterator<Item = Lang> + '_ {
        Lang::ALL
            .into_iter()
            .filter(|lang| self.get(*lang).trim().is_empty())
    }
}

/// A character free text must not hold: it could move the cursor, clear a colleague's screen,
/// reorder what is shown (bidi overrides) or hide inside a name (zero-width).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnsafeChar {
    /// 1-based, in characters.
    pub position: usize,
    pub code: u32,
    pub kind: UnsafeKind,
}

/// What kind of character free text refuses: screens name it in the clerk's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnsafeKind {
    /// C0/C1 controls: a tab, a line break, an escape.
    Control,
    /// Bidi embeddings, overrides and isolates.
    DirectionOverride,
    /// Zero-width and other characters that show as nothing (U+200B, U+FEFF, …).
    Invisible,
    /// U+2028, U+2029.
    LineSeparator,
}

impl UnsafeKind {
    /// The English words for it.
    pub fn what(self) -> &'static str {
        match self {
            UnsafeKind::Control => "a control character",
            UnsafeKind::DirectionOverride => "a text-direction override",
            UnsafeKind::Invisible => "an invisible character",
            UnsafeKind::LineSeparator => "a line separator",
        }
    }
}

impl std::fmt::Display for UnsafeChar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "contains {} (U+{:04X}) at position {}: retype the text without it",
            self.kind.what(),
            self.code,
            self.position
        )
    }
}

/// What kind of unsafe character `c` is, if it is one.
pub fn unsafe_kind(c: char) -> Option<UnsafeKind> {
    match c {
        c if c.is_control() => Some(UnsafeKind::Control),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' => {
            Some(UnsafeKind::DirectionOverride)
        }
        // Characters that show as nothing (or as blank) and so hide what a name really holds.
        '\u{200B}'..='\u{200F}'
        | '\u{2060}'..='\u{2064}'
        | '\u{206A}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{034F}'
        | '\u{180E}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{3164}'
        | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}' => Some(UnsafeKind::Invisible),
        '\u{2028}' | '\u{2029}' => Some(UnsafeKind::LineSeparator),
        _ => None,
    }
}

/// The first unsafe character of `text`, if any.
///
/// ```
/// use frontdesk::domain::text::find_unsafe;
/// assert_eq!(find_unsafe("Әсел"), None);
/// assert_eq!(find_unsafe("ab\u{202E}c").unwrap().position, 3);
/// ```
pub fn find_unsafe(text: &str) -> Option<UnsafeChar> {
    text.chars().enumerate().find_map(|(i, c)| {
        unsafe_kind(c).map(|kind| UnsafeChar {
            position: i + 1,
            code: u32::from(c),
            kind,
        })
    })
}

/// `text` as it may be shown on a terminal, a receipt or in a file: every unsafe character (older
/// records may hold some) is written out as `\u{…}` instead of acting on the terminal.
///
/// ```
/// use frontdesk::domain::text::shown_safely;
/// assert_eq!(shown_safely("ok\u{1b}[2J"), "ok\\u{1b}[2J");
/// ```
pub fn shown_safely(text: &str) -> std::borrow::Cow<'_, str> {
    if find_unsafe(text).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_kind(c).is_some() {
            shown.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_kind_is_found_with_its_position() {
        for (text, code) in [
            ("a\u{1b}", 0x1b),
            ("a\u{7}", 0x7),
            ("a\u{9b}", 0x9b),
            ("a\u{202e}", 0x202e),
            ("a\u{2066}", 0x2066),
            ("a\u{200b}", 0x200b),
            ("a\u{200f}", 0x200f),
            ("a\u{feff}", 0xfeff),
            ("a\u{2060}", 0x2060),
            ("a\u{061c}", 0x061c),
            ("a\u{2062}", 0x2062),
            ("a\u{00ad}", 0x00ad),
            ("a\u{180e}", 0x180e),
            ("a\u{e0041}", 0xe0041),
            ("a\u{115f}", 0x115f),
            ("a\u{3164}", 0x3164),
        ] {
            let found = find_unsafe(text).unwrap();
            assert_eq!((found.position, found.code), (2, code), "{text:?}");
        }
        assert_eq!(find_unsafe("Қуанышбекова Гүлжанар, Ушарал"), None);
    }

    proptest! {
        #[test]
        fn what_is_shown_is_always_safe(text in any::<String>()) {
            let shown = shown_safely(&text);
            prop_assert!(find_unsafe(&shown).is_none());
            if find_unsafe(&text).is_none() {
                prop_assert_eq!(shown.as_ref(), text.as_str());
            }
        }
    }
}
