//! `cabe recommend`, `cabe buy` and `cabe route` in Spanish.

use super::*;

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
        (
            ["buy", "--model", "qwen3-8b", "--ctx", "max"]
                .into_iter()
                .map(str::to_string)
                .collect(),
            "--ctx max no compara nada",
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
