//! `cabe history`: nothing stored, then runs newest first, human and JSON, with `--limit`.

mod common;
use common::{cabe_in as cabe, ok};

use cabe_bench::store::{Row, RunMeta, Store};
use serde_json::Value;
use std::path::Path;

fn store_runs(data: &Path, models: &[&str]) {
    let mut s = Store::open(&data.join("history.sqlite")).unwrap();
    for (i, m) in models.iter().enumerate() {
        let mut w = s
            .begin_run(&RunMeta {
                started_at: 1_795_442_709 + i as i64 * 60,
                machine: "this-machine: test".into(),
                backend: "cpu".into(),
                basis: "catalog".into(),
                server: "ollama".into(),
                url: "http://127.0.0.1:11434".into(),
                server_version: Some("0.11.6".into()),
                model: m.to_string(),
                model_source: None,
                quant: Some("Q4_K_M".into()),
                ctx: Some(8192),
                gen_tokens: 64,
            })
            .unwrap();
        for n in [512u64, 2048] {
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
        w.finish(1_795_442_709 + i as i64 * 60 + 30).unwrap();
    }
}

#[test]
fn empty_history_says_how_to_fill_it() {
    let data = tempfile::tempdir().unwrap();
    let text = ok(cabe(data.path()).arg("history").output().unwrap());
    assert!(text.starts_with("no bench runs stored"), "{text}");
    assert!(text.contains("cabe bench"), "{text}");
    let v: Value = serde_json::from_str(&ok(cabe(data.path())
        .args(["history", "--json"])
        .output()
        .unwrap()))
    .unwrap();
    assert_eq!(v["runs"], serde_json::json!([]));
    // Listing does not create the database.
    assert!(!data.path().join("history.sqlite").exists());
}

#[test]
fn runs_are_listed_newest_first_with_their_ratios() {
    let data = tempfile::tempdir().unwrap();
    store_runs(data.path(), &["qwen3:8b", "llama3.1:8b", "gemma3:4b"]);
    let v: Value = serde_json::from_str(&ok(cabe(data.path())
        .args(["history", "--json"])
        .output()
        .unwrap()))
    .unwrap();
    let runs = v["runs"].as_array().unwrap();
    let models: Vec<&str> = runs.iter().map(|r| r["model"].as_str().unwrap()).collect();
    assert_eq!(models, ["gemma3:4b", "llama3.1:8b", "qwen3:8b"]);
    assert!((runs[0]["decode_ratio"].as_f64().unwrap() - 0.8).abs() < 1e-9);
    assert!((runs[0]["prefill_ratio"].as_f64().unwrap() - 0.8).abs() < 1e-9);
    assert_eq!(runs[0]["rows"][1]["prompt_tokens"], 2045);
    let limited: Value = serde_json::from_str(&ok(cabe(data.path())
        .args(["history", "--json", "--limit", "1"])
        .output()
        .unwrap()))
    .unwrap();
    assert_eq!(limited["runs"].as_array().unwrap().len(), 1);
    let text = ok(cabe(data.path()).arg("history").output().unwrap());
    assert!(text.contains("gemma3:4b (Q4_K_M)"), "{text}");
    assert!(text.contains("0.80"), "{text}");
    assert!(text.contains("509, 2,045"), "{text}");
}
