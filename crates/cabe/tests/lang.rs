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
