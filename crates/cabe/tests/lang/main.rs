//! cabe in Spanish: the language from `--lang`, `CABE_LANG` or the locale; the seed diagnosis
//! in Spanish against a snapshot; `--json` byte for byte the same in both languages; and no
//! English left in any command's Spanish output, errors and `--help` included (one module per
//! command or group of commands; `every.rs` runs each command `cabe --help` lists). The
//! helpers the modules share are here.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod advice;
mod bench;
#[path = "../common/mod.rs"]
mod common;
mod curve;
mod errors;
mod every;
mod explain;
mod help;
mod history;
mod plan;
mod scan;
mod seed;
mod serve;
mod system;

use cabe_ollama::testkit;

/// The issue's Ollama store (a Q4_K_M Qwen3-Coder-30B-A3B with num_ctx 131072), built once.
fn store() -> &'static Path {
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &STORE
        .get_or_init(|| {
            let d = tempfile::tempdir().unwrap();
            let root = d.path().join("models");
            testkit::issue_store(&root, Some(Path::new(env!("CARGO_TARGET_TMPDIR"))));
            (d, root)
        })
        .1
}

/// A port where nothing listens, the same for every run of this binary (so that runs in two
/// languages read the same "not running" address).
fn port() -> u16 {
    static PORT: OnceLock<u16> = OnceLock::new();
    *PORT.get_or_init(cabe_testkit::dead_port)
}

/// Runs cabe with a clean language environment plus `env`, Ollama pointed at the store and a
/// dead port. Returns stdout; the run must succeed.
fn run(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cabe"));
    for v in cabe_ollama::env::VARS {
        c.env_remove(v);
    }
    for v in ["CABE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        c.env_remove(v);
    }
    c.env("OLLAMA_MODELS", store())
        .env("OLLAMA_HOST", format!("127.0.0.1:{}", port()));
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.args(args).output().expect("run cabe");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "cabe {args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn seed(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = vec!["doctor", "qwen3-coder:30b-v-128k"];
    v.extend_from_slice(common::ISSUE_WORKLOAD);
    v.extend_from_slice(extra);
    v
}

/// Common English words that have no business in Spanish output (names, units, flags and
/// commands aside). Matched as whole words, case-insensitively.
const ENGLISH: &[&str] = &[
    "the",
    "of",
    "and",
    "is",
    "are",
    "with",
    "to",
    "for",
    "not",
    "fits",
    "fit",
    "does",
    "context",
    "memory",
    "weights",
    "needs",
    "needed",
    "available",
    "spare",
    "short",
    "over",
    "below",
    "above",
    "raise",
    "send",
    "set",
    "run",
    "runs",
    "point",
    "write",
    "check",
    "finding",
    "findings",
    "fix",
    "notes",
    "model",
    "machine",
    "slot",
    "slots",
    "tokens/s.",
    "timeout",
    "which",
    "when",
    "without",
    "only",
    "at",
    "by",
    "on",
    "off",
    "from",
    "in",
    "it",
    "this",
    "that",
    "per",
    "or",
    "speed",
    "decode",
    "largest",
    "native",
    "unknown",
];

/// The English words of `out`, ignoring what is a name or a command: Modelfile directives,
/// `ollama …`/`llama-server …` command lines, catalog provenance links, and the operating
/// system's own error text in parentheses after "no está en marcha".
fn english_words(out: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in out.lines() {
        // The catalogs' listings end with the entry's name ("Desktop with GeForce …").
        let line = match line.rfind('┆') {
            Some(i) if out.contains("┆ nombre") => &line[..i],
            _ => line,
        };
        let t = line.trim();
        if t.starts_with("FROM ")
            || t.starts_with("PARAMETER ")
            || t.starts_with("ollama ")
            || t.starts_with("llama-server ")
            || t.contains("https://")
        {
            continue;
        }
        let t = match t.find("no está en marcha (") {
            Some(i) => &t[..i],
            None => t,
        };
        // A help listing's first column is a command's name.
        let t = match t.split_once("  ") {
            Some((name, rest)) if !name.contains(' ') => rest,
            _ => t,
        };
        let t = t.replace("Model Context Protocol", "");
        // A runtime's own words are quoted ("the request exceeds …"), names in backticks.
        let t: String = t
            .split(['"', '`'])
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, p)| p)
            .collect();
        let mut after_flag = false;
        // Flags, ids and names with '-' or '_' stay one word; upper-case words are
        // directives and abbreviations (FROM, KV, GGUF).
        for w in t.split(|c: char| !(c.is_alphanumeric() || "./-_".contains(c))) {
            let w = w.trim_end_matches('.');
            // A flag's value (`-fa on`) is part of the command.
            let value_of_flag = std::mem::replace(&mut after_flag, w.starts_with('-'));
            if value_of_flag || w.is_empty() {
                after_flag = after_flag || w.is_empty() && value_of_flag;
                continue;
            }
            if !w.chars().any(char::is_lowercase) {
                continue;
            }
            let w = w.to_lowercase();
            if ENGLISH.contains(&w.as_str()) {
                found.push(format!("{w:?} in: {line}"));
            }
        }
    }
    found
}

/// The commands `cabe --help` lists (clap's own `help` aside), read from the English listing.
fn commands() -> Vec<String> {
    let out = run(&["--help"], &[]);
    let list = out
        .split_once("Commands:\n")
        .expect("a Commands: heading")
        .1;
    list.lines()
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Runs cabe in `lang` with a private, empty data dir (no calibration or bench history of
/// this machine's user in the output); returns (exit code, stdout, stderr).
fn run_in(lang: &str, args: &[&str]) -> (i32, String, String) {
    static DATA: OnceLock<tempfile::TempDir> = OnceLock::new();
    let data = DATA.get_or_init(|| tempfile::tempdir().unwrap());
    let mut c = Command::new(env!("CARGO_BIN_EXE_cabe"));
    for v in ["CABE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        c.env_remove(v);
    }
    let out = c
        .env("CABE_DATA_DIR", data.path())
        .args(args)
        .args(["--lang", lang])
        .output()
        .expect("run cabe");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn machine_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines")
        .join(name)
        .display()
        .to_string()
}

/// A folder of GGUF headers for `cabe scan`: one model and one broken file, made once.
fn scan_models() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        use cabe_scan::synth::{write_gguf, SynthModel};
        let d = tempfile::tempdir().unwrap();
        write_gguf(&d.path().join("small.gguf"), &SynthModel::small("small")).unwrap();
        std::fs::write(d.path().join("broken.gguf"), b"not a gguf").unwrap();
        d
    })
    .path()
}

/// Each run succeeds in Spanish with no English left, and its `--json` is the same bytes in
/// both languages.
fn spanish_and_json(runs: &[Vec<String>]) {
    for args in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = run_in("es", &args);
        assert_eq!(code, 0, "cabe {args:?} failed: {err}");
        let english = english_words(&out);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}\n{out}",
            english.join("\n")
        );
        let mut json = args.clone();
        json.push("--json");
        let (code_en, en, _) = run_in("en", &json);
        let (code_es, es, _) = run_in("es", &json);
        assert_eq!((code_en, code_es), (0, 0), "cabe {json:?}");
        assert_eq!(en, es, "cabe {json:?}: --json differs between languages");
    }
}

/// Each run fails, in Spanish, with one line that has no English left.
fn spanish_errors(runs: &[Vec<String>]) {
    for args in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = run_in("es", &args);
        assert_ne!(code, 0, "cabe {args:?} succeeded: {out}");
        assert_eq!(err.trim().lines().count(), 1, "cabe {args:?}: {err}");
        let english = english_words(err.trim().trim_start_matches("cabe: error: "));
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}\n{err}",
            english.join("\n")
        );
    }
}

fn strings(runs: &[&[&str]]) -> Vec<Vec<String>> {
    runs.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// Runs cabe as [`run`] does, for a run that must fail: its exit code and stderr.
fn run_failing(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cabe"));
    for v in ["CABE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.args(args).output().expect("run cabe");
    let code = out.status.code().unwrap_or(-1);
    assert_ne!(code, 0, "cabe {args:?} succeeded");
    (code, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `cabe` with a private data dir and no language in the environment.
fn in_data(data: &Path) -> Command {
    let mut c = common::cabe_in(data);
    for v in ["CABE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        c.env_remove(v);
    }
    c
}

/// Runs cabe in Spanish expecting it to fail; returns stderr.
fn run_failing_es(args: &[&str]) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cabe"));
    for v in ["CABE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        c.env_remove(v);
    }
    let out = c
        .args(args)
        .arg("--lang")
        .arg("es")
        .output()
        .expect("run cabe");
    assert!(!out.status.success(), "cabe {args:?} should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A workload file for `cabe route`: a private task that fits, one that no machine's model
/// holds, a large shared one that goes out, and one past its timeout.
fn route_workload() -> &'static Path {
    static FILE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &FILE
        .get_or_init(|| {
            let d = tempfile::tempdir().unwrap();
            let p = d.path().join("work.jsonl");
            std::fs::write(
                &p,
                r#"{"name": "edits", "prompt_tokens": 6000, "output_tokens": 1500, "private": true, "timeout": "5m", "per_day": 40}
{"name": "refactors", "prompt_tokens": 210000, "output_tokens": 8000, "private": false, "deadline": "15m", "per_day": 10}
{"name": "audit", "prompt_tokens": 400000, "output_tokens": 4000, "private": true, "per_day": 1.5}
{"name": "urgent", "prompt_tokens": 60000, "output_tokens": 1500, "private": false, "timeout": "1s", "per_day": 5}
{"name": "urgent-private", "prompt_tokens": 60000, "output_tokens": 1500, "private": true, "deadline": "2s", "per_day": 2}
"#,
            )
            .unwrap();
            (d, p)
        })
        .1
}
