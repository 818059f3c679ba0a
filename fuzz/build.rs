//! Writes `$OUT_DIR/cabe_modules.rs`: one `#[path = …] mod NAME;` for each `mod NAME;` of the
//! `cabe` binary's `main.rs`, so `src/lib.rs` compiles the command line's modules as they are
//! (a module added to `main.rs` is picked up here without an edit).

use std::path::Path;

fn main() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/cabe/src");
    let main_rs = src.join("main.rs");
    println!("cargo:rerun-if-changed={}", main_rs.display());
    let text = std::fs::read_to_string(&main_rs).expect("crates/cabe/src/main.rs");
    let mut out = String::new();
    // Attribute lines (`#[macro_use]` on `mod i18n;`) go with the module right after them.
    let mut attrs = String::new();
    for line in text.lines() {
        if line.trim().starts_with("#[") {
            attrs.push_str(line.trim());
            attrs.push('\n');
            continue;
        }
        let pending = std::mem::take(&mut attrs);
        let Some(name) = line
            .trim()
            .strip_prefix("mod ")
            .and_then(|r| r.strip_suffix(';'))
        else {
            continue;
        };
        let file = src.join(format!("{name}.rs"));
        let file = if file.exists() {
            file
        } else {
            src.join(name).join("mod.rs")
        };
        let file = file.canonicalize().expect("module file");
        out.push_str(&pending);
        out.push_str(&format!(
            "#[path = {:?}]\nmod {name};\n",
            file.display().to_string()
        ));
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("cabe_modules.rs");
    std::fs::write(dest, out).unwrap();
}
