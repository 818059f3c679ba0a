//! Running the `cabe` binary from integration tests.
#![allow(dead_code)]

use serde_json::Value;
use std::process::Command;

/// Runs `cabe ARGS`: (exit code, stdout, stderr).
pub fn cabe(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cabe"))
        .args(args)
        .output()
        .expect("run cabe");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `cabe fit ARGS --json`, which must succeed, and parses its output.
pub fn fit_json(args: &[&str]) -> Value {
    let mut all = vec!["fit"];
    all.extend_from_slice(args);
    all.push("--json");
    let (code, out, err) = cabe(&all);
    assert_eq!(code, 0, "cabe {all:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}"))
}
