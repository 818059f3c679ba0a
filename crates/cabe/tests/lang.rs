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

/// A help listing without its usage line (the command's own name and clap's placeholders)
/// and its value placeholders (`<on|off>`, `<MODEL>`): they name the values typed, as the
/// flags they follow do.
fn without_placeholders(out: &str) -> String {
    let mut kept = String::new();
    for line in out.lines().filter(|l| !l.starts_with("Uso: ")) {
        let mut rest = line;
        while let Some(i) = rest.find('<') {
            match rest[i..].find('>') {
                Some(j) if !rest[i..i + j].contains(' ') => {
                    kept.push_str(&rest[..i]);
                    rest = &rest[i + j + 1..];
                }
                _ => {
                    kept.push_str(&rest[..=i]);
                    rest = &rest[i + 1..];
                }
            }
        }
        kept.push_str(rest);
        kept.push('\n');
    }
    kept
}

/// `--help` of every command in Spanish: each option's and argument's help too, and clap's
/// `[default: …]` and `[possible values: …]` reworded (`[por defecto: …]`); no English
/// word left. The English help keeps clap's wording.
#[test]
fn every_commands_help_is_spanish() {
    let commands = commands();
    assert!(commands.len() >= 17, "{commands:?}");
    // `cabe help CMD` takes command names only: the language from the environment there
    // (`CABE_LANG=es` for the runs without `--lang es`).
    let mut runs: Vec<Vec<&str>> = vec![vec!["--help", "--lang", "es"], vec!["help"]];
    for c in &commands {
        runs.push(vec![c.as_str(), "--help", "--lang", "es"]);
        runs.push(vec!["help", c.as_str()]);
    }
    for args in &runs {
        let env: &[(&str, &str)] = match args.contains(&"--lang") {
            true => &[],
            false => &[("CABE_LANG", "es")],
        };
        let out = run(args, env);
        assert!(out.contains("Opciones:"), "cabe {args:?}:\n{out}");
        for english in ["[default:", "[possible values:", "Print help", "Options:"] {
            assert!(!out.contains(english), "cabe {args:?}: {english}\n{out}");
        }
        let english = english_words(&without_placeholders(&out));
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}",
            english.join("\n")
        );
    }
    let fit = run(&["fit", "--help", "--lang", "es"], &[]);
    for must in [
        "Imprime un único objeto JSON",
        "[por defecto: `native`]",
        "Tipo de la caché KV para K y V",
    ] {
        assert!(fit.contains(must), "missing {must:?}:\n{fit}");
    }
    let plan = run(&["plan", "--help"], &[("CABE_LANG", "es")]);
    assert!(
        plan.contains("[valores posibles: `llama.cpp`, `vllm`]"),
        "{plan}"
    );
    let fit = run(&["fit", "--help"], &[]);
    for must in [
        "Print one JSON object",
        "[default: native]",
        "KV cache type for K and V",
    ] {
        assert!(fit.contains(must), "missing {must:?}:\n{fit}");
    }
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

#[test]
fn plan_in_spanish() {
    spanish_and_json(&strings(&[
        &[
            "plan",
            "llama-3.1-405b",
            "--on",
            "2x",
            "dgx-spark-128gb",
            "--ctx",
            "8192",
            "--link-gbps",
            "200",
            "--explain",
        ],
        &[
            "plan",
            "llama-3.1-405b",
            "--on",
            "2x",
            "dgx-spark-128gb",
            "--ctx",
            "8192",
        ],
        &[
            "plan",
            "llama-3.3-70b",
            "--devices",
            "24GiB,24GiB",
            "--tensor-split",
            "3,1",
        ],
        &[
            "plan",
            "llama-3.3-70b",
            "--devices",
            "24GiB,24GiB",
            "--bandwidth",
            "1000",
        ],
        &["plan", "llama-3.3-70b", "--on", "mac-studio-m3-ultra-512gb"],
        &[
            "plan",
            "llama-3.3-70b",
            "--on",
            "2x",
            "dgx-spark-128gb",
            "--engine",
            "vllm",
            "--tp",
            "1",
            "--pp",
            "2",
        ],
    ]));
    let (_, out, _) = run_in("es", &["plan", "llama-3.3-70b", "--devices", "24GiB,24GiB"]);
    for must in [
        "veredicto: no cabe",
        "2 GPU indicadas con --devices",
        "131.072",
        "-c 131072",
    ] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    spanish_errors(&strings(&[
        &["plan", "llama-3.3-70b"],
        &["plan", "llama-3.3-70b", "--on", "0x", "dgx-spark-128gb"],
        &[
            "plan",
            "llama-3.3-70b",
            "--devices",
            "24GiB,24GiB",
            "--tensor-split",
            "1,1,1",
        ],
        &[
            "plan",
            "llama-3.3-70b",
            "--devices",
            "24GiB,24GiB,24GiB",
            "--engine",
            "vllm",
        ],
    ]));
}

#[test]
fn curve_in_spanish() {
    spanish_and_json(&strings(&[
        &[
            "curve",
            "qwen3-coder-30b-a3b",
            "--on",
            "dgx-spark-128gb",
            "--timeout",
            "300s",
        ],
        &[
            "curve",
            "qwen3-coder-30b-a3b",
            "--on",
            "macbook-pro-m1-8gb",
            "--timeout",
            "5m",
        ],
    ]));
    // The SVG's labels too.
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("c.svg");
    let svg_arg = svg.display().to_string();
    let (code, _, err) = run_in(
        "es",
        &[
            "curve",
            "qwen3-coder-30b-a3b",
            "--on",
            "dgx-spark-128gb",
            "--timeout",
            "300s",
            "--svg",
            &svg_arg,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    let labels: String = text
        .split('>')
        .filter_map(|p| p.split_once("</text").map(|(t, _)| format!("{t}\n")))
        .collect();
    assert!(labels.contains("tiempo hasta el primer token"), "{labels}");
    let english = english_words(&labels);
    assert!(
        english.is_empty(),
        "SVG: English left:\n{}",
        english.join("\n")
    );
    spanish_errors(&strings(&[
        &["curve", "qwen3-coder-30b-a3b", "--memory", "16GB"],
        &[
            "curve",
            "qwen3-coder-30b-a3b",
            "--on",
            "dgx-spark-128gb",
            "--prompt-tokens-max",
            "100",
        ],
    ]));
}

#[test]
fn system_in_spanish() {
    let runs: Vec<Vec<String>> = [
        "amd-rx7900xt",
        "apple-m1-8gb",
        "apple-m3-max-36gb",
        "apple-m3-ultra-96gb",
        "ci-no-gpu",
        "dgx-spark",
        "dual-rtx5090",
        "intel-i5-1035g1-laptop",
        "nvidia-rtx4090-desktop",
        "strix-halo-96gb-carveout",
        "strix-halo-z13-gtt",
    ]
    .iter()
    .map(|m| vec!["system".into(), "--root".into(), machine_fixture(m)])
    .collect();
    spanish_and_json(&runs);
    let (_, out, _) = run_in("es", &["system", "--root", &machine_fixture("ci-no-gpu")]);
    assert!(
        out.contains("solo CPU") && out.contains("23,5 GiB"),
        "{out}"
    );
    spanish_errors(&strings(&[&["system", "--root", "/no/such/dir"]]));
}

#[test]
fn inspect_in_spanish() {
    let file = scan_models().join("small.gguf").display().to_string();
    spanish_and_json(&[
        vec!["inspect".into(), file.clone()],
        vec!["inspect".into(), file.clone(), "--tensors".into()],
    ]);
    let (_, out, _) = run_in("es", &["inspect", &file]);
    assert!(
        out.contains("tensores") && out.contains("metadatos"),
        "{out}"
    );
}

#[test]
fn scan_in_spanish() {
    let models = scan_models().display().to_string();
    let root = machine_fixture("ci-no-gpu");
    let args = ["scan", "--root", &root, &models];
    let (code, out, err) = run_in("es", &args);
    assert_eq!(code, 0, "{err}");
    let english = english_words(&out);
    assert!(
        english.is_empty(),
        "English left:\n{}\n{out}",
        english.join("\n")
    );
    for must in ["solo CPU", "veredicto", "small.gguf"] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    assert!(err.contains("omitido: broken.gguf"), "{err}");
    // The JSON differs from run to run only in its timing.
    let json = |lang: &str| {
        let mut a = args.to_vec();
        a.push("--json");
        let (code, out, _) = run_in(lang, &a);
        assert_eq!(code, 0);
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["seconds"] = serde_json::Value::Null;
        v
    };
    assert_eq!(
        json("en"),
        json("es"),
        "scan --json differs between languages"
    );
    spanish_errors(&strings(&[&["scan", "/no/such/place"]]));
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

/// Errors in Spanish: usage mistakes (clap's, re-worded), flag values, catalog misses with
/// their suggestions, GGUF files that cannot be read; one line each, the exit code as in
/// English, and the English text unchanged.
#[test]
fn errors_in_spanish_are_one_line_with_no_english() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.gguf");
    std::fs::write(&bad, b"not a gguf file at all, just text").unwrap();
    let bad = bad.to_str().unwrap().to_string();
    let dir_path = dir.path().to_str().unwrap().to_string();
    let missing = dir
        .path()
        .join("missing.gguf")
        .to_str()
        .unwrap()
        .to_string();
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["fit", "qwen3-cdr"],
            1,
            "modelo desconocido 'qwen3-cdr'; parecidos: qwen3-coder-30b-a3b",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--on", "mac-x"],
            1,
            "máquina desconocida 'mac-x'",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--ctx", "lots"],
            2,
            "valor no válido 'lots' para `--ctx <CTX>`",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--ctx", "999999999"],
            2,
            "de 1 a 67.108.864 tokens",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--memory", "64XB"],
            1,
            "no es un tamaño",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--memory", "0GB"],
            1,
            "debe ser mayor que 0",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--bogus"],
            2,
            "argumento inesperado `--bogus`",
        ),
        (vec!["fitt"], 2, "orden desconocida `fitt`"),
        (vec!["fit"], 2, "faltan argumentos obligatorios: <MODEL>"),
        (
            vec!["fit", "x", "--on", "a", "--memory", "3GB"],
            2,
            "no se puede usar con",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--runtime", "vllm"],
            2,
            "programa desconocido 'vllm'",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--quant", "Q9"],
            1,
            "cuantización desconocida 'Q9'",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--kv-type", "q3"],
            2,
            "tipo de KV desconocido",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--flash-attn", "maybe"],
            2,
            "no es `on` ni `off`",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--timeout", "soon"],
            2,
            "no es una duración",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--prefill-rate", "-3"],
            2,
            "número positivo de tokens por segundo",
        ),
        (vec!["fit", &bad], 1, "no es un archivo GGUF"),
        (
            vec!["fit", &missing],
            1,
            "no se puede abrir: no existe el archivo",
        ),
        (vec!["fit", &dir_path], 1, "es una carpeta, no un archivo"),
        (
            vec!["fit", &bad, "--quant", "Q8_0"],
            1,
            "--quant se aplica a los modelos del catálogo",
        ),
    ];
    for (args, code, want) in cases {
        let mut es_args = args.clone();
        es_args.extend(["--lang", "es"]);
        let (got_code, err) = run_failing(&es_args, &[]);
        assert_eq!(got_code, code, "cabe {es_args:?}: {err}");
        assert_eq!(
            err.lines().count(),
            1,
            "cabe {es_args:?}: not one line:\n{err}"
        );
        assert!(err.starts_with("cabe: error: "), "cabe {es_args:?}: {err}");
        assert!(
            err.contains(want),
            "cabe {es_args:?}: missing {want:?} in:\n{err}"
        );
        let english = english_words(&err);
        assert!(
            english.is_empty(),
            "cabe {es_args:?}: English left:\n{}",
            english.join("\n")
        );
        // English as before, and not Spanish.
        let (en_code, en) = run_failing(&args, &[]);
        assert_eq!(en_code, code, "cabe {args:?}: {en}");
        assert!(
            !en.contains(want),
            "cabe {args:?}: Spanish in English:\n{en}"
        );
        assert!(!en.contains("véase"), "cabe {args:?}: {en}");
    }
    // The same error from the environment's language.
    let (_, err) = run_failing(&["fit", "qwen3-cdr"], &[("CABE_LANG", "es")]);
    assert!(err.contains("modelo desconocido"), "{err}");
    let (_, err) = run_failing(&["fit", "qwen3-cdr"], &[]);
    assert!(
        err.contains("unknown model 'qwen3-cdr'; did you mean: "),
        "{err}"
    );
}

/// `cabe` with a private data dir and no language in the environment.
fn in_data(data: &Path) -> Command {
    let mut c = common::cabe_in(data);
    for v in ["CABE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        c.env_remove(v);
    }
    c
}

/// `cabe history` and `cabe calibrate` in Spanish (empty, then stored), no English left,
/// and their `--json` the same bytes in both languages.
#[test]
fn history_and_calibrate_in_spanish() {
    let data = tempfile::tempdir().unwrap();
    let es = |args: &[&str]| {
        let mut v = args.to_vec();
        v.extend(["--lang", "es"]);
        common::ok(in_data(data.path()).args(&v).output().unwrap())
    };
    let en = |args: &[&str]| common::ok(in_data(data.path()).args(args).output().unwrap());
    let check = |args: &[&str], out: &str| {
        let english = english_words(out);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}\n{out}",
            english.join("\n")
        );
    };
    let out = es(&["history"]);
    assert!(
        out.starts_with("no hay ejecuciones de bench guardadas"),
        "{out}"
    );
    check(&["history"], &out);
    // A stored run.
    {
        use cabe_bench::store::{Row, RunMeta, Store};
        let mut s = Store::open(&data.path().join("history.sqlite")).unwrap();
        let mut w = s
            .begin_run(&RunMeta {
                started_at: 1_795_442_709,
                machine: "this-machine: test".into(),
                backend: "cpu".into(),
                basis: "catalog".into(),
                server: "ollama".into(),
                url: "http://127.0.0.1:11434".into(),
                server_version: Some("0.11.6".into()),
                model: "gemma3:4b".into(),
                model_source: None,
                quant: Some("Q4_K_M".into()),
                ctx: Some(8192),
                gen_tokens: 64,
            })
            .unwrap();
        for n in [512u64, 20480] {
            w.add(&Row {
                target_tokens: n,
                prompt_tokens: n - 3,
                prompt_ms: n as f64,
                gen_tokens: 64,
                gen_ms: 3200.0,
                prefill_tps: Some(1000.0),
                decode_tps: Some(20.0),
                predicted_prefill_tps: Some(1250.0),
                predicted_decode_tps: Some(25.0),
            })
            .unwrap();
        }
        w.finish(1_795_442_739).unwrap();
    }
    let out = es(&["history"]);
    for must in [
        "ejecución",
        "decodificación ×",
        "0,80",
        "509, 20.477",
        "mediana de lo medido",
    ] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    check(&["history"], &out);
    assert!(en(&["history"]).contains("median measured"));
    assert_eq!(en(&["history", "--json"]), es(&["history", "--json"]));

    // calibrate: a quick run, then --show, on a recorded machine.
    let machine = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines/intel-i5-1035g1-laptop");
    let run_in = |args: &[&str]| {
        common::ok(
            in_data(data.path())
                .env("CABE_MACHINE_ROOT", &machine)
                .args(args)
                .output()
                .unwrap(),
        )
    };
    let err = run_failing(
        &["calibrate", "--show", "--lang", "es"],
        &[("CABE_DATA_DIR", data.path().to_str().unwrap())],
    )
    .1;
    assert!(err.contains("no hay ninguna calibración guardada"), "{err}");
    check(&["calibrate", "--show"], &err);
    let out = run_in(&["calibrate", "--quick", "--threads", "2", "--lang", "es"]);
    for must in [
        "calibrada el",
        "(rápida: cifras aproximadas)",
        "ancho de banda de lectura de memoria",
        "mediana",
        "guardada en",
    ] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    check(&["calibrate"], &out);
    let shown = run_in(&["calibrate", "--show", "--lang", "es"]);
    assert_eq!(shown, out, "--show prints what the run printed");
    let shown_en = run_in(&["calibrate", "--show"]);
    assert!(shown_en.contains("memory read bandwidth"), "{shown_en}");
    assert_eq!(
        run_in(&["calibrate", "--show", "--json"]),
        run_in(&["calibrate", "--show", "--json", "--lang", "es"])
    );
}

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

/// `cabe bench` against fake llama-server and Ollama servers, in Spanish: the table, the notes
/// (not calibrated, capped sizes, stored, corrected by the history), no English left; `--json`
/// the same bytes in both languages; its errors (flags, a server that is down, one that hangs)
/// in one Spanish line.
#[test]
fn bench_in_spanish() {
    use cabe_testkit::fake_llm::{llama_server, ollama, FakeRates};
    use cabe_testkit::{fixture_path, fixture_text, Reply, TestServer};
    let rates = FakeRates {
        prefill: 1400.0,
        decode: 40.0,
    };
    let data = tempfile::tempdir().unwrap();
    let machine = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines/intel-i5-1035g1-laptop");
    let cabe = |args: &[&str]| {
        let mut c = in_data(data.path());
        c.env("CABE_MACHINE_ROOT", &machine)
            .env_remove("OLLAMA_HOST")
            .args(args);
        c
    };
    let check = |args: &[&str], out: &str| {
        // The detected machine's name (its history key) ends "…, CPU only".
        let english = english_words(&out.replace("CPU only", ""));
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}\n{out}",
            english.join("\n")
        );
    };
    let gguf = fixture_path("gguf/python-gen-worker_stories260K.gguf")
        .display()
        .to_string();
    let llama = TestServer::start(llama_server(&gguf, 4096, rates));
    let show = fixture_text("ollama/api_show_qwen3-1.7b.json");
    let olla = TestServer::start(ollama("qwen3:1.7b", show, rates));
    let runs: Vec<Vec<&str>> = vec![
        vec!["bench", "--url", &llama.url, "--prompt-sizes", "512,2k,8k"],
        vec!["bench", "--url", &llama.url, "--prompt-sizes", "512"],
        vec![
            "bench",
            "--url",
            &olla.url,
            "--model",
            "qwen3:1.7b",
            "--prompt-sizes",
            "512,1k",
            "--ctx",
            "2048",
        ],
    ];
    let mut last = String::new();
    for r in &runs {
        let mut args = r.clone();
        args.extend(["--gen-tokens", "8", "--lang", "es"]);
        last = common::ok(cabe(&args).output().unwrap());
        check(&args, &last);
        assert!(last.contains("previsto para"), "{last}");
        assert!(last.contains("decodificación tok/s"), "{last}");
        assert!(last.contains("guardada como ejecución"), "{last}");
        // English the same as before: the table's words.
        let mut json = r.clone();
        json.extend(["--gen-tokens", "8", "--no-save", "--json"]);
        let en = common::ok(cabe(&json).output().unwrap());
        json.extend(["--lang", "es"]);
        let es = common::ok(cabe(&json).output().unwrap());
        assert_eq!(en, es, "cabe {json:?}: --json differs between languages");
    }
    assert!(last.contains("se corrigen con"), "{last}");
    assert!(last.contains("sin calibrar"), "{last}");
    let first = common::ok(
        cabe(&[
            "bench",
            "--url",
            &llama.url,
            "--prompt-sizes",
            "512,8k",
            "--gen-tokens",
            "8",
            "--no-save",
            "--lang",
            "es",
        ])
        .output()
        .unwrap(),
    );
    assert!(
        first.contains("superan el contexto de 4096 tokens"),
        "{first}"
    );
    assert!(first.contains("1400,0"), "decimal comma: {first}");
    check(&["bench"], &first);
    let en = common::ok(
        cabe(&[
            "bench",
            "--url",
            &llama.url,
            "--prompt-sizes",
            "512",
            "--gen-tokens",
            "8",
            "--no-save",
        ])
        .output()
        .unwrap(),
    );
    assert!(
        en.contains("prefill tok/s") && en.contains("not stored (--no-save)"),
        "{en}"
    );

    // Errors: one Spanish line each.
    let hung = TestServer::start(|_r| Reply::Hang);
    let dead = format!("http://127.0.0.1:{}", port());
    for (args, want) in [
        (
            vec!["bench", "--prompt-sizes", "abc"],
            "'abc' no es un número de tokens",
        ),
        (vec!["bench", "--prompt-sizes", "0"], "fuera de rango"),
        (
            vec!["bench", "--gen-tokens", "0"],
            "--gen-tokens debe estar",
        ),
        (vec!["bench", "--url", &dead], "ningún servidor responde en"),
        (
            vec![
                "bench",
                "--url",
                &hung.url,
                "--server",
                "llama-server",
                "--timeout",
                "1s",
            ],
            "no respondió a GET /props en 1 s (colgado, o aún cargando el modelo)",
        ),
    ] {
        let mut a = args.clone();
        a.extend(["--lang", "es"]);
        let out = cabe(&a).output().unwrap();
        assert!(!out.status.success(), "{a:?}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.trim().lines().count(), 1, "{a:?}: {err}");
        assert!(err.contains(want), "{a:?}: {err}");
        check(&a, err.trim().trim_start_matches("cabe: error: "));
    }
}

/// Words of the `--explain` steps' English (beyond `ENGLISH`) that a Spanish explanation must
/// not hold.
const EXPLAIN_ENGLISH: &[&str] = &[
    "layers",
    "heads",
    "latent",
    "only",
    "padded",
    "recurrent",
    "state",
    "conv",
    "seq",
    "scores",
    "mask",
    "activations",
    "experts",
    "wide",
    "vocab",
    "hidden",
    "rows",
    "stage",
    "buffer",
    "headroom",
    "reserve",
    "output",
    "compute",
    "routed",
    "holds",
    "free",
    "stay",
    "offload",
    "wire",
    "unified",
    "sliding-window",
    "micro-batch",
];

/// The English left in the `--explain` steps of a Spanish `fit` (the indented lines after the
/// verdict, before the runtime's settings).
fn explain_english(out: &str) -> Vec<String> {
    let steps: String = out
        .split_once("\n\n  ")
        .map(|(_, rest)| rest)
        .unwrap_or("")
        .lines()
        .take_while(|l| l.starts_with("  ") || !l.contains(':') || l.starts_with("pesos"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = english_words(&steps);
    for line in steps.lines() {
        for w in line.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            if EXPLAIN_ENGLISH.contains(&w) {
                found.push(format!("{w:?} in: {line}"));
            }
        }
    }
    found
}

/// `fit --explain` in Spanish over the architectures whose steps differ (a routed MoE, a
/// hybrid with recurrent state, an SSM, sliding windows, MLA, a dense llama with a padded
/// context, without flash attention, experts kept on the CPU, unified and discrete memory):
/// every step worded in Spanish, and `--json` (which carries the English steps) the same
/// bytes in both languages.
#[test]
fn fit_explain_in_spanish() {
    let runs = strings(&[
        &["fit", "qwen3-coder-30b-a3b", "--memory", "64GB"],
        &["fit", "qwen3-next-80b-a3b", "--memory", "64GB"],
        &[
            "fit",
            "granite-4.0-h-tiny",
            "--memory",
            "32GB",
            "--parallel",
            "2",
        ],
        &["fit", "lfm2-1.2b", "--memory", "16GB"],
        &["fit", "gemma-3-12b", "--memory", "32GB"],
        &[
            "fit",
            "gemma-2-9b",
            "--memory",
            "32GB",
            "--flash-attn",
            "off",
        ],
        &["fit", "deepseek-v2-lite", "--memory", "32GB"],
        &["fit", "deepseek-v3", "--on", "mac-studio-m3-ultra-512gb"],
        &[
            "fit",
            "llama-3.1-8b",
            "--memory",
            "16GB",
            "--ctx",
            "5000",
            "--kv-type",
            "q8_0",
        ],
        &["fit", "llama-3.1-70b", "--on", "rtx-4090"],
        &[
            "fit",
            "qwen3-coder-30b-a3b",
            "--on",
            "rtx-4090",
            "--n-cpu-moe",
            "30",
            "--ctx",
            "32768",
        ],
    ]);
    let mut all = String::new();
    for args in &runs {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.push("--explain");
        let (code, out, err) = run_in("es", &args);
        assert_eq!(code, 0, "cabe {args:?}: {err}");
        // The machine's line names a catalog machine ("Desktop with GeForce RTX 4090 24GB").
        let named: String = out
            .lines()
            .filter(|l| !l.starts_with("máquina: "))
            .map(|l| format!("{l}\n"))
            .collect();
        let english = english_words(&named);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}\n{out}",
            english.join("\n")
        );
        let english = explain_english(&out);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left in the steps:\n{}\n{out}",
            english.join("\n")
        );
        args.push("--json");
        let (code_en, en, _) = run_in("en", &args);
        let (code_es, es, _) = run_in("es", &args);
        assert_eq!((code_en, code_es), (0, 0), "cabe {args:?}");
        assert_eq!(en, es, "cabe {args:?}: --json differs between languages");
        all.push_str(&out);
    }
    for must in [
        "caché KV: 262.144 tokens × 48 capas × 4 cabezas KV × 128 × 2 (K,V) × 2 bytes = 24,0 GiB",
        "cálculo: un micro-lote de 512 tokens, 1 fila de logits; el búfer es la etapa mayor (FFN)",
        "cálculo: FFN: 8 de 128 expertos × 768 de ancho + máscara KQ = 342,0 MiB",
        "capas de ventana deslizante",
        "caché KV: estado recurrente: 36 capas × (",
        "× 2 secuencias = ",
        "capas MLA × latente de 576 (kv_lora_rank + rope) × 2 bytes (solo K: la caché no guarda V)",
        "el contexto de 5000 se amplía a 5120 (llama.cpp redondea n_ctx a un múltiplo de 256)",
        "× 34/32 bytes = ",
        "atención: puntuaciones KQ ",
        "capacidad: 64,0 GiB de memoria − 2,0 GiB de reserva para el sistema operativo = 62,0 GiB",
        "capacidad: la GPU puede reservar el 75 % de 512,0 GiB de memoria unificada",
        "de VRAM en 1 GPU; descargando en la CPU",
        "total = pesos 17,3 GiB + KV 24,0 GiB + cálculo 342,0 MiB + salida 593,5 KiB + runtime 150,0 MiB = 41,8 GiB",
        "--n-cpu-moe 30: los expertos enrutados de 30 capas, 10,2 GiB, se quedan en la RAM del sistema",
        "margen = 62,0 GiB − 41,8 GiB = 20,2 GiB",
    ] {
        assert!(all.contains(must), "missing {must:?}:\n{all}");
    }
    // English keeps the core's own lines.
    let (_, en, _) = run_in(
        "en",
        &[
            "fit",
            "qwen3-coder-30b-a3b",
            "--memory",
            "64GB",
            "--explain",
        ],
    );
    for must in [
        "  KV cache: 262,144 tokens × 48 layers × 4 KV heads × 128 × 2 (K,V) × 2 bytes = 24.0 GiB\n",
        "  compute: one 512-token micro-batch, 1 logits rows; the largest stage (FFN) is the buffer\n",
        "  compute: FFN: 8 of 128 experts × 768 wide + KQ mask = 342.0 MiB\n",
        "  capacity: 64.0 GiB memory − 2.0 GiB OS reserve = 62.0 GiB\n",
        "  headroom = 62.0 GiB − 41.8 GiB = 20.2 GiB\n",
    ] {
        assert!(en.contains(must), "missing {must:?}:\n{en}");
    }
}

/// The calibration and bench-history notes of `fit`'s and `curve`'s speed section in Spanish
/// on this machine (a recorded one): not calibrated, corrected by a stored run (whose
/// predictions missed), calibrated with that run left out; `--json` (the English notes) the
/// same bytes in both languages.
#[test]
fn speed_notes_in_spanish() {
    let data = tempfile::tempdir().unwrap();
    let machine = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines/intel-i5-1035g1-laptop");
    let run = |args: &[&str]| {
        common::ok(
            in_data(data.path())
                .env("CABE_MACHINE_ROOT", &machine)
                .args(args)
                .output()
                .unwrap(),
        )
    };
    let fit = ["fit", "llama-3.2-1b", "--ctx", "8192"];
    let curve = ["curve", "llama-3.2-1b", "--prompt-tokens-max", "8192"];
    // Each state: Spanish with no English left and holding `es_must`, English holding
    // `en_must`, and the JSON of both the same.
    let check = |es_must: &[&str], en_must: &[&str]| {
        for args in [&fit[..], &curve[..]] {
            let mut es_args = args.to_vec();
            es_args.extend(["--lang", "es"]);
            let es = run(&es_args);
            // This machine's detected summary ("…, 14.0 GiB RAM, CPU only") is not this
            // test's subject.
            let english = english_words(&es.replace("CPU only", ""));
            assert!(
                english.is_empty(),
                "cabe {args:?}: English left:\n{}\n{es}",
                english.join("\n")
            );
            let en = run(args);
            for must in es_must {
                assert!(es.contains(must), "cabe {args:?}: missing {must:?}:\n{es}");
            }
            for must in en_must {
                assert!(en.contains(must), "cabe {args:?}: missing {must:?}:\n{en}");
            }
            let mut json = args.to_vec();
            json.push("--json");
            let en_json = run(&json);
            json.extend(["--lang", "es"]);
            assert_eq!(
                en_json,
                run(&json),
                "cabe {json:?} differs between languages"
            );
        }
    };
    check(
        &["sin calibrar: ejecuta `cabe calibrate` para medir el ancho de banda y el cálculo de esta máquina"],
        &["not calibrated: run `cabe calibrate` to measure this machine's bandwidth and compute"],
    );

    // A stored run on this machine that decoded at 40% of the prediction.
    let name = common::json(
        in_data(data.path())
            .env("CABE_MACHINE_ROOT", &machine)
            .args(["fit", "llama-3.2-1b", "--json"])
            .output()
            .unwrap(),
    )["machine"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    {
        use cabe_bench::store::{Row, RunMeta, Store};
        let mut s = Store::open(&data.path().join("history.sqlite")).unwrap();
        let mut w = s
            .begin_run(&RunMeta {
                started_at: 1_795_442_709,
                machine: format!("this-machine: {name}"),
                backend: "cpu".into(),
                basis: "catalog".into(),
                server: "llama-server".into(),
                url: "http://127.0.0.1:8080".into(),
                server_version: None,
                model: "llama-3.2-1b".into(),
                model_source: None,
                quant: Some("Q4_K_M".into()),
                ctx: Some(8192),
                gen_tokens: 64,
            })
            .unwrap();
        w.add(&Row {
            target_tokens: 512,
            prompt_tokens: 509,
            prompt_ms: 509.0,
            gen_tokens: 64,
            gen_ms: 6400.0,
            prefill_tps: Some(1000.0),
            decode_tps: Some(10.0),
            predicted_prefill_tps: Some(1250.0),
            predicted_decode_tps: Some(25.0),
        })
        .unwrap();
        w.finish(1_795_442_739).unwrap();
    }
    check(
        &[
            "corregida con 1 ejecución medida: ×0,40 decodificación, ×0,80 prefill (`cabe history`)",
            "las predicciones se desviaron de las ejecuciones medidas (decodificación +150 %; + = predicción demasiado rápida)",
            "las cifras del catálogo no corresponden a esta máquina: `cabe calibrate` la mide",
        ],
        &["corrected by 1 measured run: ×0.40 decode, ×0.80 prefill (`cabe history`); the predictions missed the measured runs (decode +150%; + = predicted too fast), so the history corrects them; the catalog's figures do not match this machine: `cabe calibrate` measures it"],
    );

    // Calibrated: the run, predicted from the catalog's figures, is left out.
    run(&["calibrate", "--quick", "--threads", "2"]);
    check(
        &[
            "calibrada el ",
            "(una calibración rápida y aproximada): lectura de memoria de ",
            " GB/s en lugar de los 51,2 GB/s de la especificación, ",
            "(2 hilos)",
            "no se usa 1 ejecución de bench en esta máquina predichas con otras cifras",
        ],
        &[
            "(a quick, rough calibration): ",
            " GB/s memory read in place of 51.2 GB/s from the spec, ",
            "1 bench run was on this machine predicted from other figures (before the current calibration) not used: run `cabe bench` again",
        ],
    );
}

/// `cabe scan`'s skipped files in Spanish: the GGUF reader's reasons in words, the English
/// in `--json`.
#[test]
fn scan_skips_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("broken.gguf"), b"not a gguf").unwrap();
    std::fs::write(d.join("cut.gguf"), b"GGUF\x03\x00\x00\x00").unwrap();
    let mut v9 = b"GGUF\x09\x00\x00\x00".to_vec();
    v9.extend([0u8; 16]);
    std::fs::write(d.join("future.gguf"), &v9).unwrap();
    let mut empty = b"GGUF\x03\x00\x00\x00".to_vec();
    empty.extend([0u8; 16]);
    std::fs::write(d.join("empty.gguf"), &empty).unwrap();
    let root = machine_fixture("ci-no-gpu");
    let folder = d.display().to_string();
    let args = ["scan", "--root", &root, &folder];
    let (code, _, err) = run_in("es", &args);
    assert_eq!(code, 0, "{err}");
    let english = english_words(&err);
    assert!(
        english.is_empty(),
        "English left:\n{}\n{err}",
        english.join("\n")
    );
    for must in [
        "omitido: broken.gguf: ",
        "broken.gguf: no es un archivo GGUF (sus primeros bytes no son \"GGUF\")",
        "cut.gguf: GGUF truncado: hacían falta 8 bytes en la posición 8, y el archivo tiene 8",
        "future.gguf: versión de GGUF 9 no admitida: este lector admite las versiones 2 y 3",
        "omitido: empty.gguf: no tiene tensores (un archivo solo de vocabulario o de metadatos)",
    ] {
        assert!(err.contains(must), "missing {must:?}:\n{err}");
    }
    let (_, _, en) = run_in("en", &args);
    for must in [
        "broken.gguf: not a GGUF file: magic bytes at offset 0 are 6e 6f 74 20",
        "cut.gguf: truncated GGUF: needed 8 bytes at offset 8, file has 8",
        "future.gguf: unsupported GGUF version 9 at offset 4",
        "skipped: empty.gguf: has no tensors (a vocab-only or metadata-only file)",
    ] {
        assert!(en.contains(must), "missing {must:?}:\n{en}");
    }
    let json = |lang: &str| {
        let mut a = args.to_vec();
        a.push("--json");
        let (code, out, _) = run_in(lang, &a);
        assert_eq!(code, 0);
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["seconds"] = serde_json::Value::Null;
        v
    };
    let en_json = json("en");
    assert_eq!(en_json, json("es"), "scan --json differs between languages");
    assert!(
        en_json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains("not a GGUF file")),
        "{en_json}"
    );
}

/// `route --explain`'s local lines (memory totals, speed, the deadline not judged) in the
/// route's two kinds of machine: one whose speed is known, one whose speed is not.
fn route_explain_runs() -> Vec<Vec<String>> {
    let w = route_workload().display().to_string();
    let s = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        s(&[
            "route",
            "--model",
            "qwen3-coder-30b-a3b",
            "--on",
            "mac-mini-m4-pro-24gb",
            "--workload",
            &w,
            "--explain",
        ]),
        s(&[
            "route",
            "--model",
            "qwen3-coder-30b-a3b",
            "--memory",
            "64GB",
            "--prompt-tokens",
            "2000",
            "--deadline",
            "10m",
            "--timeout",
            "30s",
            "--explain",
        ]),
    ]
}

#[test]
fn route_explain_local_lines_have_no_english_left() {
    for args in route_explain_runs() {
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
        assert!(out.contains("    local: total = pesos"), "{out}");
        // The same run in English is caught by the same check.
        let mut en = args.clone();
        en.extend(["--lang", "en"]);
        assert!(!english_words(&run(&en, &[])).is_empty());
        let mut json = args.clone();
        json.push("--json");
        let en_json = run(&json, &[]);
        json.extend(["--lang", "es"]);
        assert_eq!(en_json, run(&json, &[]), "cabe {args:?} --json differs");
    }
    let out = run(
        &[
            &route_explain_runs()[0]
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()[..],
            &["--lang", "es"],
        ]
        .concat(),
        &[],
    );
    assert!(out.contains("expertos enrutados: a cada experto"), "{out}");
    let out = run(
        &[
            &route_explain_runs()[1]
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()[..],
            &["--lang", "es"],
        ]
        .concat(),
        &[],
    );
    assert!(
        out.contains("plazo de 600 s (10 min 0 s): no se juzga"),
        "{out}"
    );
}

/// The detected machine's summary where a Spanish sentence names it (fit, curve), and
/// `system`'s capacity line, worded from the figures: a CPU-only laptop, a unified-memory
/// machine and two discrete GPUs.
#[test]
fn this_machine_summary_and_capacity_line_have_no_english_left() {
    for (fixture, summary, capacity) in [
        (
            "intel-i5-1035g1-laptop",
            "14,0 GiB de RAM, solo CPU",
            "14,0 GiB de memoria − 2,0 GiB de reserva para el sistema operativo = 12,0 GiB",
        ),
        (
            "dgx-spark",
            "NVIDIA GB10, 121,7 GiB unificada, CUDA",
            "121,7 GiB de memoria − 2,0 GiB de reserva para el sistema operativo = 119,7 GiB",
        ),
        (
            "dual-rtx5090",
            "2× NVIDIA GeForce RTX 5090, 63,7 GiB de VRAM + 125,4 GiB de RAM, CUDA",
            "63,7 GiB de VRAM en 2 GPU; descargando en la CPU",
        ),
    ] {
        let root = machine_fixture(fixture);
        let env = [("CABE_MACHINE_ROOT", root.as_str())];
        let system = run(&["system", "--root", &root, "--lang", "es"], &[]);
        assert!(system.contains(capacity), "{fixture}: {system}");
        for (args, out) in [
            (vec!["system", "--root", &root], system.clone()),
            (
                vec!["fit", "qwen3-coder-30b-a3b", "--explain"],
                run(
                    &["fit", "qwen3-coder-30b-a3b", "--explain", "--lang", "es"],
                    &env,
                ),
            ),
            (
                vec!["curve", "qwen3-coder-30b-a3b"],
                run(&["curve", "qwen3-coder-30b-a3b", "--lang", "es"], &env),
            ),
        ] {
            let english = english_words(&out);
            assert!(
                english.is_empty(),
                "cabe {args:?} on {fixture}: English left:\n{}\n{out}",
                english.join("\n")
            );
            if args[0] != "system" {
                assert!(out.contains(summary), "{fixture} {args:?}: {out}");
            }
            let mut json = args.clone();
            json.push("--json");
            let en = run(&json, &env);
            json.extend(["--lang", "es"]);
            assert_eq!(en, run(&json, &env), "cabe {args:?} --json differs");
        }
        let en = run(&["fit", "qwen3-coder-30b-a3b", "--lang", "en"], &env);
        assert!(!english_words(&en).is_empty(), "{en}");
    }
}

/// doctor's own refusals (raised in the command line, not by a crate): one Spanish line, the
/// same refusal in English as before.
#[test]
fn doctor_own_refusals_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().display().to_string();
    let cases: Vec<(Vec<&str>, &str)> =
        vec![
        (
            vec!["doctor", "qwen3-coder:30b", "--prompt-tokens", "0"],
            "--prompt-tokens must be at least 1",
        ),
        (
            vec!["doctor", "qwen3-coder:30b", "--num-ctx", "0"],
            "--num-ctx must be at least 1",
        ),
        (
            vec!["doctor", "--catalog"],
            "--catalog: name a catalog model (see cabe models), e.g. qwen3-coder-30b-a3b",
        ),
        (
            vec!["doctor"],
            "name an Ollama model (e.g. cabe doctor qwen3-coder:30b), or give --llama-server URL",
        ),
        (
            vec!["doctor", "qwen3-coder-30b-a3b", "--catalog", "--runtime", "llama-server"],
            "--runtime llama-server needs the context in force (its -c): --ctx N",
        ),
        (
            vec!["doctor", "qwen3-coder-30b-a3b", "--catalog", "--apply", &folder],
            "not a file",
        ),
        (
            vec!["doctor", "--llama-server", "http://127.0.0.1:9"],
            "is not answering, so there is no configuration to diagnose",
        ),
    ];
    for (args, english) in cases {
        let (_, en) = run_failing(&[&args[..], &["--lang", "en"]].concat(), &[]);
        assert!(en.contains(english), "cabe {args:?}: {en}");
        let (_, es) = run_failing(&[&args[..], &["--lang", "es"]].concat(), &[]);
        assert_eq!(es.trim_end().lines().count(), 1, "cabe {args:?}: {es}");
        let left = english_words(&es);
        assert!(
            left.is_empty(),
            "cabe {args:?}: English left:\n{}\n{es}",
            left.join("\n")
        );
    }
}
