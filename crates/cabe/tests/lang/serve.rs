//! `cabe serve`'s start-up lines in Spanish.

use super::*;

/// `cabe serve --lang es`: the machine-read first line stays English, the next is Spanish.
#[test]
fn serve_start_up_in_spanish_keeps_the_listening_line() {
    use std::io::{BufRead, BufReader};
    let data = tempfile::tempdir().unwrap();
    let mut child = in_data(data.path())
        .args(["serve", "--port", "0", "--lang", "es"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let mut err = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut err)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.starts_with("listening on http://127.0.0.1:"),
        "{line:?}"
    );
    assert!(
        err.starts_with("cabe serve: la página en http://"),
        "{err:?}"
    );
    let english = english_words(&err);
    assert!(english.is_empty(), "English left:\n{}", english.join("\n"));
}
