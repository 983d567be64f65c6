//! Errors in an administrator's TOML file, each naming the file, the line and the field.

use std::fmt;

use toml_edit::{ImDocument, Item, Table, Value};

/// One problem in a configuration, regulation, calendar or keymap file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub file: String,
    /// 1-based; `None` when the field is missing altogether.
    pub line: Option<usize>,
    pub field: String,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{}:{}: {}: {}",
                self.file, line, self.field, self.message
            ),
            None => write!(f, "{}: {}: {}", self.file, self.field, self.message),
        }
    }
}

/// A list of [`FieldError`]s, printed one per line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FieldErrors(pub Vec<FieldError>);

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

fn line_of(source: &str, offset: usize) -> usize {
    source
        .get(..offset.min(source.len()))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// The error serde reported while reading `source`, with its line.
pub fn from_toml_error(file: &str, source: &str, error: &toml::de::Error) -> FieldError {
    let span = error.span();
    let field = span
        .clone()
        .and_then(|span| source.get(span))
        .map(|text| {
            let first_line = text.lines().next().unwrap_or("").trim();
            first_line.chars().take(60).collect::<String>()
        })
        .unwrap_or_default();
    FieldError {
        file: file.to_string(),
        line: span.map(|span| line_of(source, span.start)),
        field,
        message: error.message().trim().to_string(),
    }
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn span(&self) -> Option<std::ops::Range<usize>> {
        match self {
            Node::Item(item) => item.span(),
            Node::Table(table) => table.span(),
            Node::Value(value) => value.span(),
        }
    }

    fn key(self, key: &str) -> Option<Node<'a>> {
        match self {
            Node::Item(Item::Table(table)) | Node::Table(table) => table.get(key).map(Node::Item),
            Node::Item(Item::Value(Value::InlineTable(table)))
            | Node::Value(Value::InlineTable(table)) => table.get(key).map(Node::Value),
            _ => None,
        }
    }

    fn index(self, index: usize) -> Option<Node<'a>> {
        match self {
            Node::Item(Item::ArrayOfTables(array)) => array.get(index).map(Node::Table),
            Node::Item(Item::Value(Value::Array(array))) | Node::Value(Value::Array(array)) => {
                array.get(index).map(Node::Value)
            }
            _ => None,
        }
    }
}

/// The line of a field path such as `channels[1].steps[2].limit`, or of the nearest enclosing
/// field that exists.
pub fn locate(source: &str, path: &str) -> Option<usize> {
    let document = ImDocument::parse(source).ok()?;
    let mut node = Node::Table(document.as_table());
    let mut line = None;
    for segment in path.split('.') {
        let (key, indexes) = match segment.find('[') {
            Some(at) => (&segment[..at], &segment[at..]),
            None => (segment, ""),
        };
        let Some(next) = node.key(key) else { break };
        node = next;
        line = node.span().map(|s| line_of(source, s.start)).or(line);
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            let Some(next) = index.parse().ok().and_then(|i| node.index(i)) else {
                return line;
            };
            node = next;
            line = node.span().map(|s| line_of(source, s.start)).or(line);
        }
    }
    line
}

/// A [`FieldError`] for the field at `path` of `source`.
pub fn field_error(file: &str, source: &str, path: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        file: file.to_string(),
        line: locate(source, path),
        field: path.to_string(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "[service]\nname = 'x'\n\n[[steps]]\nid = 'a'\n\n[[steps]]\nid = 'b'\nlimit = { m = '3x' }\nroles = ['clerk', 'nobody']\n";

    #[test]
    fn locates_nested_fields() {
        assert_eq!(locate(SOURCE, "service.name"), Some(2));
        assert_eq!(locate(SOURCE, "steps[1].id"), Some(8));
        assert_eq!(locate(SOURCE, "steps[1].limit.m"), Some(9));
        assert_eq!(locate(SOURCE, "steps[1].roles[1]"), Some(10));
    }

    #[test]
    fn a_missing_field_points_at_its_table() {
        assert_eq!(locate(SOURCE, "steps[0].limit"), Some(4));
    }

    #[test]
    fn serde_errors_carry_the_line() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct S {
            a: u32,
        }
        let source = "\n\na = 'text'\n";
        let error = toml::from_str::<S>(source).unwrap_err();
        let field_error = from_toml_error("f.toml", source, &error);
        assert_eq!(field_error.line, Some(3));
        assert!(field_error.to_string().starts_with("f.toml:3: "));
    }
}
