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

/// The string leaves where two answers differ, as (path, English, Spanish).
fn differing(
    en: &serde_json::Value,
    es: &serde_json::Value,
    path: &str,
) -> Vec<(String, String, String)> {
    use serde_json::Value;
    match (en, es) {
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(
                a.keys().collect::<Vec<_>>(),
                b.keys().collect::<Vec<_>>(),
                "{path}: the fields differ"
            );
            a.iter()
                .flat_map(|(k, v)| differing(v, &b[k], &format!("{path}.{k}")))
                .collect()
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: the lengths differ");
            a.iter()
                .zip(b)
                .enumerate()
                .flat_map(|(i, (x, y))| differing(x, y, &format!("{path}[{i}]")))
                .collect()
        }
        (Value::String(a), Value::String(b)) if a != b => {
            vec![(path.to_string(), a.clone(), b.clone())]
        }
        _ => {
            assert_eq!(en, es, "{path}: only text may change with the language");
            Vec::new()
        }
    }
}

/// The web page's answers in Spanish: a request's `lang: "es"` words the engine's sentences —
/// doctor's findings, fix steps and notes (and its summaries), curve's notes, recommend's
/// reasons — and its errors, while every field, id, code and figure stays what the English
/// answer (the `--json` one) has.
#[test]
fn the_api_answers_in_the_language_a_request_asks_for() {
    use common::server::{call, start};
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path());
    let seed = r#""model": "qwen3-coder-30b-a3b", "memory": "64GB", "prompt_tokens": 146760, "timeout": "300s", "prefill_rate": 400"#;
    let cases: [(&str, String, &[&str]); 3] = [
        (
            "/api/doctor",
            seed.to_string(),
            &[".findings[", ".fix.steps[", ".notes["],
        ),
        (
            "/api/curve",
            r#""model": "qwen3-coder-30b-a3b", "on": "mac-mini-m4-32gb", "timeout": "300s""#
                .to_string(),
            &[".notes["],
        ),
        (
            "/api/recommend",
            r#""memory": "64GB", "use": "code""#.to_string(),
            &[".picks[", ".excluded["],
        ),
    ];
    for (path, fields, text_paths) in cases {
        let (status, en) = call(&server, "POST", path, Some(&format!("{{{fields}}}")));
        assert_eq!(status, 200, "{path}: {en}");
        let (status, en_asked) = call(
            &server,
            "POST",
            path,
            Some(&format!("{{{fields}, \"lang\": \"en\"}}")),
        );
        assert_eq!(
            (status, &en_asked),
            (200, &en),
            "{path}: lang en is the default"
        );
        let (status, es) = call(
            &server,
            "POST",
            path,
            Some(&format!("{{{fields}, \"lang\": \"es\"}}")),
        );
        assert_eq!(status, 200, "{path}: {es}");
        let changed = differing(&en, &es, "");
        for p in text_paths {
            assert!(
                changed.iter().any(|(at, _, _)| at.starts_with(p)),
                "{path}: nothing under {p} was worded in Spanish"
            );
        }
        for (at, english, spanish) in &changed {
            // Only sentences change: an id, a code or a value (no space in it) never does.
            assert!(
                english.trim().contains(' '),
                "{path}: {at} changed with the language ({english:?} → {spanish:?})"
            );
            let left = english_words(spanish);
            assert!(
                left.is_empty(),
                "{path} {at}: English left in {spanish:?}: {left:?}"
            );
        }
    }

    // The seed's findings in Spanish, as the command line words them.
    let (_, es) = call(
        &server,
        "POST",
        "/api/doctor",
        Some(&format!("{{{seed}, \"lang\": \"es\"}}")),
    );
    let mut args = vec!["doctor", "--catalog", "qwen3-coder-30b-a3b"];
    args.extend(common::ISSUE_WORKLOAD);
    let cli = run(&args, &[("CABE_LANG", "es")]);
    for f in es["findings"].as_array().unwrap() {
        let message = f["message"].as_str().unwrap();
        assert!(
            cli.contains(message),
            "{message:?} is not in the command line's Spanish:\n{cli}"
        );
    }

    // This machine's one-line summary, GET /api/system?lang=es.
    let (status, en) = call(&server, "GET", "/api/system", None);
    assert_eq!(status, 200, "{en}");
    let (status, es) = call(&server, "GET", "/api/system?lang=es", None);
    assert_eq!(status, 200, "{es}");
    let changed = differing(&en, &es, "");
    assert_eq!(
        changed.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        [".machine.summary"],
        "{changed:?}"
    );
    let left = english_words(&changed[0].2);
    assert!(
        left.is_empty(),
        "English left in {:?}: {left:?}",
        changed[0].2
    );
    let (status, v) = call(&server, "GET", "/api/system?lang=fr", None);
    assert_eq!(status, 400, "{v}");

    // Errors in the language asked for; an unknown language is refused.
    let (status, v) = call(
        &server,
        "POST",
        "/api/fit",
        Some(r#"{"model": "qwen3-coder-30b-a3b", "on": "no-such-box", "lang": "es"}"#),
    );
    assert_eq!(status, 404, "{v}");
    let e = v["error"].as_str().unwrap();
    assert!(english_words(e).is_empty(), "{e}");
    let (status, v) = call(
        &server,
        "POST",
        "/api/fit",
        Some(r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB", "ctx": "lots", "lang": "es"}"#),
    );
    assert_eq!(status, 400, "{v}");
    let e = v["error"].as_str().unwrap();
    assert!(e.contains("ctx") && english_words(e).is_empty(), "{e}");
    let (status, v) = call(
        &server,
        "POST",
        "/api/fit",
        Some(r#"{"model": "qwen3-coder-30b-a3b", "lang": "fr"}"#),
    );
    assert_eq!(status, 400, "{v}");
}
