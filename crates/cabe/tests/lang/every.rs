//! Every command once in each language.

use super::*;

/// Commands whose Spanish is checked somewhere other than [`every_command_runs_in_both_languages`],
/// with where: `cabe mcp` speaks JSON-RPC, whose field names are English by design.
const CHECKED_ELSEWHERE: &[(&str, &str)] = &[(
    "mcp",
    "crates/cabe/src/mcp/tests.rs (tools/list, schemas, instructions and refusals in Spanish)",
)];

/// Every command cabe has (as `cabe --help` lists them) runs here once in Spanish and once in
/// English: the Spanish has no English words left, the two differ (so the Spanish is not
/// the English passed through), and the exit status is the same. A command added without a
/// run here fails the test. The commands that need a live server or a stored measurement
/// run into their one-line error instead, which is in Spanish too.
#[test]
fn every_command_runs_in_both_languages() {
    let machine = machine_fixture("ci-no-gpu");
    let models = scan_models().display().to_string();
    let gguf = scan_models().join("small.gguf").display().to_string();
    let workload = route_workload().display().to_string();
    let dead = format!("http://127.0.0.1:{}", port());
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<String>>();
    let runs: Vec<(&str, Vec<String>)> = vec![
        (
            "fit",
            s(&[
                "fit",
                "qwen3-coder-30b-a3b",
                "--memory",
                "64GB",
                "--explain",
            ]),
        ),
        ("inspect", s(&["inspect", &gguf])),
        ("models", s(&["models"])),
        ("hardware", s(&["hardware"])),
        ("system", s(&["system", "--root", &machine])),
        ("scan", s(&["scan", "--root", &machine, &models])),
        (
            "recommend",
            s(&["recommend", "--memory", "32GB", "--explain"]),
        ),
        (
            "buy",
            s(&[
                "buy",
                "--model",
                "qwen3-coder-30b-a3b",
                "--min-decode",
                "30",
            ]),
        ),
        (
            "plan",
            s(&[
                "plan",
                "llama-3.1-405b",
                "--on",
                "2x",
                "dgx-spark-128gb",
                "--ctx",
                "8192",
            ]),
        ),
        (
            "route",
            s(&[
                "route",
                "--model",
                "qwen3-coder-30b-a3b",
                "--workload",
                &workload,
                "--on",
                "rtx-4090",
            ]),
        ),
        ("doctor", seed(&[]).iter().map(|a| a.to_string()).collect()),
        ("calibrate", s(&["calibrate", "--show"])),
        ("bench", s(&["bench", "--url", &dead])),
        ("history", s(&["history"])),
        (
            "curve",
            s(&["curve", "qwen3-coder-30b-a3b", "--memory", "16GB"]),
        ),
        ("serve", s(&["serve", "--port", "70000"])),
    ];
    let mut missing: Vec<String> = commands()
        .into_iter()
        .filter(|c| !runs.iter().any(|(name, _)| name == c))
        .filter(|c| !CHECKED_ELSEWHERE.iter().any(|(name, _)| name == c))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "commands with no run in both languages: {missing:?}"
    );
    for (name, args) in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run_lang = |lang: &str| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_cabe"));
            for v in cabe_ollama::env::VARS {
                c.env_remove(v);
            }
            for v in ["CABE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
                c.env_remove(v);
            }
            let data = tempfile::tempdir().unwrap();
            let out = c
                .env("CABE_DATA_DIR", data.path())
                .env("OLLAMA_MODELS", store())
                .env("OLLAMA_HOST", format!("127.0.0.1:{}", port()))
                .args(&args)
                .args(["--lang", lang])
                .output()
                .expect("run cabe");
            let text = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            (out.status.code(), text)
        };
        let (es_code, es) = run_lang("es");
        let (en_code, en) = run_lang("en");
        assert_eq!(
            es_code, en_code,
            "cabe {name}: exit {es_code:?} in Spanish, {en_code:?} in English"
        );
        assert!(!es.trim().is_empty(), "cabe {args:?} printed nothing");
        assert_ne!(es, en, "cabe {args:?}: the Spanish is the English");
        // Catalog names ("Desktop with GeForce RTX 4090 24GB") are names, not sentences.
        let mut names: Vec<&str> = cabe_catalog::hardware()
            .iter()
            .map(|h| h.name.as_str())
            .chain(cabe_catalog::models().iter().map(|m| m.name.as_str()))
            .collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let es_text = names.iter().fold(es.clone(), |t, n| t.replace(n, "NAME"));
        let english = english_words(&es_text);
        assert!(
            english.is_empty(),
            "cabe {args:?} in Spanish: English left:\n{}\n{es}",
            english.join("\n")
        );
    }
}
