//! The findings' words in both languages: every message in English and Spanish with the same
//! variables, and every message the code asks for present.

use cabe_doctor::CATALOG;

#[test]
fn both_catalogs_hold_the_same_messages_with_the_same_variables() {
    let problems = CATALOG.check();
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Every `t!(lang, "id"` in the sources names a message of the catalog.
#[test]
fn every_message_the_code_uses_exists() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut used = 0;
    for path in walk(std::path::Path::new(src)) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, _) in text.match_indices("t!(") {
            // `t!(`, not `assert!(`, and not in a comment.
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            if text[line_start..i].trim_start().starts_with("//") {
                continue;
            }
            if text[..i]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let rest = &text[i..];
            let Some(q) = rest.find('"') else { continue };
            let id: String = rest[q + 1..].chars().take_while(|c| *c != '"').collect();
            if id.is_empty() || id.contains(' ') || id.contains('{') {
                continue;
            }
            used += 1;
            assert!(CATALOG.has(&id), "{}: no message {id}", path.display());
        }
    }
    assert!(used > 50, "only {used} messages found: the scan is broken");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}
