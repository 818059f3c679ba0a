//! Every `CABE_*` environment variable the code or the tools read is listed in the README's
//! table, so a user can find each in one place.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("rs" | "sh" | "py")
        ) {
            out.push(p);
        }
    }
}

fn names(text: &str) -> Vec<String> {
    let mut v = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(off) = text[i..].find("CABE_") {
        let start = i + off;
        let mut end = start + 5;
        while end < b.len()
            && (b[end].is_ascii_uppercase() || b[end].is_ascii_digit() || b[end] == b'_')
        {
            end += 1;
        }
        let n = text[start..end].trim_end_matches('_').to_string();
        if n.len() > 5 && (start == 0 || !b[start - 1].is_ascii_alphanumeric()) {
            v.push(n);
        }
        i = end;
    }
    v
}

#[test]
fn every_cabe_variable_is_in_the_readme() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut all = Vec::new();
    files(&root.join("crates"), &mut all);
    files(&root.join("tools"), &mut all);
    assert!(all.len() > 50, "found only {} files", all.len());
    let mut missing = Vec::new();
    let mut seen = 0;
    for f in &all {
        // This test names the prefix only.
        if f.ends_with("env_vars.rs") {
            continue;
        }
        for n in names(&std::fs::read_to_string(f).unwrap()) {
            seen += 1;
            if !readme.contains(&format!("`{n}`")) && !readme.contains(&format!("{n}`")) {
                missing.push(format!(
                    "{n} ({})",
                    f.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(seen > 20, "found only {seen} uses");
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "not in README.md: {missing:#?}");
}
