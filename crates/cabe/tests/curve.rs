//! `cabe curve`: points against context length, the timeout crossing (checked against `fit`
//! at the same prompt length), terminal charts, and the SVG file.

mod common;
use common::{cabe_in as cabe, json, ok};

const ON: &str = "dgx-spark-128gb";

#[test]
fn the_timeout_crossing_matches_fit_at_that_length() {
    let data = tempfile::tempdir().unwrap();
    let svg = data.path().join("curve.svg");
    let v = json(
        cabe(data.path())
            .args([
                "curve",
                "qwen3-coder-30b-a3b",
                "--on",
                ON,
                "--timeout",
                "300s",
            ])
            .arg("--svg")
            .arg(&svg)
            .arg("--json")
            .output()
            .unwrap(),
    );
    let pts = v["points"].as_array().unwrap();
    assert!(pts.len() >= 30);
    assert_eq!(pts.last().unwrap()["tokens"], 262144);
    // Decode slows and time to first token grows with context.
    let dec: Vec<f64> = pts
        .iter()
        .map(|p| p["decode_tps"]["typical"].as_f64().unwrap())
        .collect();
    assert!(dec.windows(2).all(|w| w[1] <= w[0]));
    let ttft: Vec<f64> = pts
        .iter()
        .map(|p| p["ttft_s"]["typical"].as_f64().unwrap())
        .collect();
    assert!(ttft.windows(2).all(|w| w[1] > w[0]));
    let n = v["timeout"]["typical_tokens"].as_u64().expect("crossed");
    let early = v["timeout"]["earliest_tokens"].as_u64().unwrap();
    assert!(early < n);
    // fit at n tokens: just past 300 s; at n - 1: not past.
    let at = |tokens: u64| {
        json(
            cabe(data.path())
                .args(["fit", "qwen3-coder-30b-a3b", "--on", ON, "--ctx", "262144"])
                .args(["--prompt-tokens", &tokens.to_string(), "--json"])
                .output()
                .unwrap(),
        )["speed"]["ttft_s"]["typical"]
            .as_f64()
            .unwrap()
    };
    assert!(at(n) > 300.0 && at(n - 1) <= 300.0, "{n}");

    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    assert!(text.contains("timeout 300 s"), "svg");
    assert!(text.contains("crossed at ≈"), "svg");
    assert_eq!(
        text.matches("<polyline").count(),
        3,
        "decode, prefill, TTFT"
    );

    let human = ok(cabe(data.path())
        .args([
            "curve",
            "qwen3-coder-30b-a3b",
            "--on",
            ON,
            "--timeout",
            "5m",
        ])
        .output()
        .unwrap());
    assert!(human.contains("tokens/s (log scale)"), "{human}");
    assert!(human.contains("time to first token (log scale)"), "{human}");
    assert!(
        human.contains("timeout ┤───") || human.contains("timeout ┤"),
        "{human}"
    );
    assert!(
        human.contains("timeout 300 s (5 min 0 s): prompts above about"),
        "{human}"
    );
}

#[test]
fn a_short_curve_under_the_timeout_says_so() {
    let data = tempfile::tempdir().unwrap();
    let v = json(
        cabe(data.path())
            .args(["curve", "llama-3.2-1b", "--on", ON, "--timeout", "10m"])
            .args(["--prompt-tokens-max", "8192", "--points", "12", "--json"])
            .output()
            .unwrap(),
    );
    assert!(v["timeout"]["typical_tokens"].is_null());
    assert_eq!(v["points"].as_array().unwrap().len(), 12);
    let human = ok(cabe(data.path())
        .args(["curve", "llama-3.2-1b", "--on", ON, "--timeout", "10m"])
        .args(["--prompt-tokens-max", "8192"])
        .output()
        .unwrap());
    assert!(
        human.contains("the first token arrives before it for every prompt up to 8,192 tokens"),
        "{human}"
    );
}

#[test]
fn a_machine_without_compute_draws_decode_only_and_one_without_bandwidth_fails() {
    let data = tempfile::tempdir().unwrap();
    let svg = data.path().join("d.svg");
    let v = json(
        cabe(data.path())
            .args([
                "curve",
                "llama-3.2-1b",
                "--on",
                "desktop-ddr4-3200-32gb",
                "--json",
            ])
            .arg("--svg")
            .arg(&svg)
            .output()
            .unwrap(),
    );
    assert!(v["points"][0]["prefill_tps"].is_null());
    assert!(v["notes"].to_string().contains("no compute figure"));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(text.matches("<polyline").count(), 1);
    let out = cabe(data.path())
        .args(["curve", "llama-3.2-1b", "--memory", "64GB"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("cabe: error: no memory bandwidth"), "{err}");
    let out = cabe(data.path())
        .args([
            "curve",
            "llama-3.2-1b",
            "--on",
            ON,
            "--prompt-tokens-max",
            "10",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
