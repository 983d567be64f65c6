//! The layers of DESIGN.md, checked on the import graph: every `crate::…` path in a layer's
//! files names only the layers it may use.

use std::collections::BTreeSet;
use std::path::Path;

/// The top-level modules a source text refers to through `crate::`.
fn crate_imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c}`: the first name of each item at the group's own depth.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        rest = &group[i..];
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        let name: String = group[i..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        found.insert(name);
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

fn imports_of_layer(layer: &str) -> BTreeSet<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let file = src.join(format!("{layer}.rs"));
    if file.exists() {
        files.push(file);
    }
    let mut dirs = vec![src.join(layer)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    assert!(!files.is_empty(), "no source for layer `{layer}`");
    let mut imports = BTreeSet::new();
    for file in files {
        imports.extend(crate_imports(&std::fs::read_to_string(file).unwrap()));
    }
    imports.remove(layer);
    imports
}

#[test]
fn every_layer_imports_only_what_lies_below_it() {
    // Layer → what it may name besides itself.
    let allowed: &[(&str, &[&str])] = &[
        ("source_error", &[]),
        ("calendar", &[]),
        ("domain", &["calendar", "source_error"]),
        ("countdown", &["calendar", "domain"]),
        ("codec", &[]),
        ("config", &["domain", "source_error"]),
        ("printer", &[]),
        ("store", &["calendar", "domain", "codec", "source_error"]),
        (
            "service",
            &[
                "calendar",
                "domain",
                "countdown",
                "codec",
                "store",
                "config",
                "printer",
                "source_error",
            ],
        ),
        (
            "protocol",
            &["calendar", "domain", "codec", "service", "config"],
        ),
        (
            "tui",
            &[
                "calendar",
                "domain",
                "countdown",
                "service",
                "config",
                "source_error",
            ],
        ),
    ];
    let mut wrong = Vec::new();
    for (layer, may) in allowed {
        for import in imports_of_layer(layer) {
            if !may.contains(&import.as_str()) {
                wrong.push(format!("{layer} imports {import}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers: {wrong:?}");
}

#[test]
fn grouped_and_nested_imports_are_read() {
    let text = "use crate::{store::{A, B}, domain::case::Case};\nlet x = crate::tui::view::draw();";
    assert_eq!(
        crate_imports(text),
        ["domain", "store", "tui"].map(String::from).into()
    );
}
