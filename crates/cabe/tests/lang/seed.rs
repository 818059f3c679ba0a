//! The seed diagnosis against its snapshot, JSON the same in both languages, the language from the locale, and doctor, fit, models and hardware with no English left.

use super::*;

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
