//! Running the `cabe` binary from integration tests.
#![allow(dead_code)]

use serde_json::Value;
pub mod server;

use std::path::Path;
use std::process::{Command, Output};

/// The workload of the case cabe was born from: a 146,760-token prompt at
/// 400 tok/s against a 300 s client timeout, on a 64 GB machine.
pub const ISSUE_WORKLOAD: &[&str] = &[
    "--memory",
    "64GB",
    "--prompt-tokens",
    "146760",
    "--timeout",
    "300s",
    "--prefill-rate",
    "400",
];

/// The `cabe` binary in English whatever this machine's locale (`CABE_LANG` comes before
/// `LANG` and `LC_*`; `--lang es` still wins), so that tests reading its words pass on a
/// Spanish-speaking machine too.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cabe"));
    c.env("CABE_LANG", "en");
    c
}

/// Runs `cabe ARGS`: (exit code, stdout, stderr).
pub fn cabe(args: &[&str]) -> (i32, String, String) {
    let out = command().args(args).output().expect("run cabe");
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

/// `cabe` with a private data dir (calibration, bench history), ready for more args or env.
pub fn cabe_in(data: &Path) -> Command {
    let mut c = command();
    c.env("CABE_DATA_DIR", data);
    c
}

/// The stdout of a run that must succeed.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "exit {}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The JSON stdout of a run that must succeed.
pub fn json(out: Output) -> Value {
    serde_json::from_str(&ok(out)).unwrap()
}
