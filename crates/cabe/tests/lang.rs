//! cabe in Spanish: the language from `--lang`, `CABE_LANG` or the locale; the seed diagnosis
//! in Spanish against a snapshot; `--json` byte for byte the same in both languages; and no
//! English sentence left in the commands translated so far (doctor, fit,
//! models, hardware, the top-level help).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod common;

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

#[test]
fn the_seed_diagnosis_in_spanish_matches_its_snapshot() {
    let out = run(&seed(&["--lang", "es"]), &[]);
    // The store's temporary folder and the dead port change from run to run.
    let out = out
        .replace(&store().display().to_string(), "STORE")
        .replace(&format!(":{}", port()), ":PORT");
    let snap = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/doctor_seed_es.txt");
    if std::env::var_os("CABE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snap, &out).unwrap();
    }
    let want =
        std::fs::read_to_string(&snap).expect("the snapshot (CABE_UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(
        out, want,
        "the Spanish diagnosis changed; review it and update the snapshot"
    );
    for must in [
        "3 hallazgos:",
        "1. AVISO [ctx-below-native]",
        "2. ERROR [prompt-over-ctx]",
        "3. ERROR [prefill-over-timeout]",
        "EL ARREGLO",
        "    PARAMETER num_ctx 262144",
        "  ollama create qwen3-coder:30b-256k -f Modelfile",
        "131.072",
        "6 min 7 s",
    ] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    let english = english_words(&out);
    assert!(english.is_empty(), "English left:\n{}", english.join("\n"));
}

#[test]
fn json_is_the_same_bytes_in_every_language() {
    let en = run(&seed(&["--json"]), &[]);
    let es = run(&seed(&["--json", "--lang", "es"]), &[]);
    assert_eq!(en, es, "doctor --json differs between languages");
    let env_es = run(&seed(&["--json"]), &[("LANG", "es_ES.UTF-8")]);
    assert_eq!(en, env_es);
    let fit = [
        "fit",
        "qwen3-coder-30b-a3b",
        "--memory",
        "64GB",
        "--json",
        "--explain",
    ];
    let en = run(&fit, &[]);
    let mut es_args = fit.to_vec();
    es_args.extend(["--lang", "es"]);
    assert_eq!(
        en,
        run(&es_args, &[]),
        "fit --json differs between languages"
    );
}

#[test]
fn lang_from_the_locale_without_a_flag() {
    let out = run(&["fit", "qwen3-coder-30b-a3b"], &[("LANG", "es_ES.UTF-8")]);
    assert!(out.contains("pesos") && out.contains("caché KV"), "{out}");
    assert!(out.contains("CABE") || out.contains("NO CABE"), "{out}");
    // CABE_LANG wins over the locale, --lang over both; LC_ALL over LANG.
    let out = run(
        &["fit", "qwen3-coder-30b-a3b"],
        &[("LANG", "es_ES.UTF-8"), ("CABE_LANG", "en")],
    );
    assert!(out.contains("weights"), "{out}");
    let out = run(
        &["fit", "qwen3-coder-30b-a3b", "--lang", "es"],
        &[("CABE_LANG", "en")],
    );
    assert!(out.contains("pesos"), "{out}");
    let out = run(
        &["fit", "qwen3-coder-30b-a3b"],
        &[("LANG", "es_ES.UTF-8"), ("LC_ALL", "C")],
    );
    assert!(out.contains("weights"), "{out}");
    // No language set: English.
    let out = run(&["fit", "qwen3-coder-30b-a3b"], &[]);
    assert!(out.contains("weights"), "{out}");
}

#[test]
fn a_language_cabe_does_not_speak_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_cabe"))
        .args(["--lang", "fr", "models"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("(en, es)"));
}

/// The commands translated so far, in Spanish, with no English sentence left.
#[test]
fn translated_commands_have_no_english_left() {
    let es = [("CABE_LANG", "es")];
    let runs: Vec<Vec<&str>> = vec![
        seed(&[]),
        {
            let mut v = vec!["doctor", "--catalog", "qwen3-coder:30b", "--ctx", "131072"];
            v.extend_from_slice(common::ISSUE_WORKLOAD);
            v
        },
        vec![
            "doctor",
            "--catalog",
            "qwen3-coder-30b-a3b",
            "--runtime",
            "llama-server",
            "--ctx",
            "131072",
            "--memory",
            "64GB",
            "--prompt-tokens",
            "146760",
        ],
        vec![
            "doctor",
            "--catalog",
            "qwen3-coder-30b-a3b",
            "--ctx",
            "262144",
            "--memory",
            "16GB",
        ],
        vec!["fit", "qwen3-coder-30b-a3b", "--memory", "64GB"],
        vec![
            "fit",
            "qwen3-coder-30b-a3b",
            "--on",
            "macbook-pro-m1-8gb",
            "--prompt-tokens",
            "2000",
            "--timeout",
            "1s",
            "--claimed-decode",
            "500",
        ],
        vec![
            "fit",
            "qwen3-coder-30b-a3b",
            "--memory",
            "24GB",
            "--ctx",
            "max",
        ],
        vec!["--help"],
        vec!["models"],
        vec!["hardware"],
    ];
    for args in runs {
        let out = run(&args, &es);
        let english = english_words(&out);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}",
            english.join("\n")
        );
    }
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

/// recommend, buy and route in their common modes: the same runs in both languages.
fn advice_runs() -> Vec<Vec<String>> {
    let w = route_workload().display().to_string();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut runs = vec![
        s(&["recommend", "--memory", "32GB", "--explain"]),
        s(&[
            "recommend",
            "--on",
            "macbook-pro-m1-8gb",
            "--use",
            "code",
            "--prompt-tokens",
            "4000",
            "--family",
            "qwen",
            "--explain",
        ]),
        s(&["recommend", "--memory", "2GB", "--use", "long-context"]),
        s(&[
            "recommend",
            "--memory",
            "24GB",
            "--license",
            "apache",
            "--explain",
        ]),
        s(&[
            "buy",
            "--model",
            "qwen3-coder-30b-a3b",
            "--min-decode",
            "30",
            "--prompt-tokens",
            "8000",
            "--max-ttft",
            "30s",
            "--budget",
            "3000",
            "--claimed-decode",
            "500",
            "--claim-on",
            "rtx-4090",
            "--explain",
        ]),
        s(&[
            "buy",
            "--model",
            "llama-3.1-70b",
            "--ctx",
            "32768",
            "--claimed-decode",
            "10",
            "--claim-on",
            "mac-studio-m2-ultra-192gb",
        ]),
        s(&[
            "buy",
            "--model",
            "llama-3.1-405b",
            "--top",
            "100",
            "--explain",
        ]),
    ];
    for on in ["mac-mini-m4-pro-24gb", "mac-mini-m4-pro-48gb"] {
        runs.push(s(&[
            "route",
            "--model",
            "qwen3-coder-30b-a3b",
            "--on",
            on,
            "--workload",
            &w,
        ]));
    }
    runs.push(s(&[
        "route",
        "--model",
        "qwen3-coder-30b-a3b",
        "--memory",
        "64GB",
        "--prompt-tokens",
        "300000",
        "--cloud",
        "devstral-small",
    ]));
    runs
}

#[test]
fn recommend_buy_and_route_have_no_english_left() {
    for args in advice_runs() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut es = args.clone();
        es.extend(["--lang", "es"]);
        let out = run(&es, &[]);
        let english = english_words(&out);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}\n{out}",
            english.join("\n")
        );
    }
}

#[test]
fn recommend_buy_and_route_json_is_the_same_bytes_in_both_languages() {
    for args in advice_runs() {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.push("--json");
        let en = run(&args, &[]);
        let mut es = args.clone();
        es.extend(["--lang", "es"]);
        assert_eq!(en, run(&es, &[]), "cabe {args:?} --json differs");
    }
}

#[test]
fn recommend_buy_and_route_words_in_spanish() {
    let out = run(
        &["recommend", "--memory", "32GB", "--explain", "--lang", "es"],
        &[],
    );
    for must in [
        "para uso general en",
        "┆ cuantización ┆",
        "mil millones de parámetros",
        "se quedan cerca",
        "se deja fuera",
        "utilizables), contexto de 8192 tokens",
    ] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    let w = route_workload().display().to_string();
    let out = run(
        &[
            "route",
            "--model",
            "qwen3-coder-30b-a3b",
            "--on",
            "mac-mini-m4-pro-24gb",
            "--workload",
            &w,
            "--lang",
            "es",
        ],
        &[],
    );
    for must in [
        "privada: nunca se envía fuera",
        "se envía fuera:",
        "totales:",
        "1,50",
    ] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
}

#[test]
fn recommend_buy_and_route_errors_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"name\":\"a\",\"prompt_tokens\":1,\"output_tokens\":1,\"private\":true,\"per_day\":1,\"colour\":1}\n",
    )
    .unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "# nada\n").unwrap();
    let folder = dir.path().display().to_string();
    let (bad, empty) = (bad.display().to_string(), empty.display().to_string());
    let route = [
        "route",
        "--model",
        "qwen3-coder-30b-a3b",
        "--memory",
        "64GB",
    ];
    let with = |extra: &[&str]| {
        let mut v = route.to_vec();
        v.extend_from_slice(extra);
        v.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    for (args, says) in [
        (with(&[]), "indica --workload ARCHIVO"),
        (with(&["--workload", &bad]), "campo desconocido «colour»"),
        (with(&["--workload", &empty]), "no hay tareas"),
        (with(&["--workload", &folder]), "es una carpeta"),
        (
            with(&["--prompt-tokens", "100", "--cloud", "nope"]),
            "modelo alojado desconocido",
        ),
        (
            with(&["--prompt-tokens", "100", "--cloud-prices", &folder]),
            "no es un archivo",
        ),
        (
            vec!["recommend", "--memory", "32GB", "--min-ctx", "100"]
                .into_iter()
                .map(str::to_string)
                .collect(),
            "debe estar entre 256",
        ),
        (
            ["buy", "--model", "qwen3-8b", "--claimed-decode", "50"]
                .into_iter()
                .map(str::to_string)
                .collect(),
            "necesita --claim-on",
        ),
        (
            ["buy", "--model", "qwen3-8b", "--claim-on", "rtx-4090"]
                .into_iter()
                .map(str::to_string)
                .collect(),
            "necesita --claimed-decode",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = run_failing_es(&args);
        assert!(err.contains(says), "cabe {args:?}: {says:?} not in {err}");
        let english = english_words(&err);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}",
            english.join("\n")
        );
    }
}
