//! `cabe recommend` through the CLI: the two laptops of the notes it was written for, the
//! constraints, and bad input.

mod common;
use common::*;

use serde_json::Value;

fn recommend(args: &[&str]) -> Value {
    let mut all = vec!["recommend"];
    all.extend_from_slice(args);
    all.push("--json");
    let (code, out, err) = cabe(&all);
    assert_eq!(code, 0, "cabe {all:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}"))
}

fn params_b(id: &str) -> f64 {
    let (code, out, _) = cabe(&["models", id, "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    let row = rows
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id}: {v}"));
    row["params_b"].as_f64().unwrap()
}

#[test]
fn an_8gb_m1_gets_2_to_4b_models_at_4_to_5_bits() {
    let v = recommend(&["--on", "macbook-pro-m1-8gb"]);
    let picks = v["picks"].as_array().unwrap();
    assert!(picks.len() >= 5, "{v}");
    for p in &picks[..3] {
        let id = p["model"].as_str().unwrap();
        let b = params_b(id);
        assert!((2.0..=4.5).contains(&b), "{id}: {b} B in the top three");
        let q = p["quant"].as_str().unwrap();
        assert!(["Q4_K_M", "IQ4_XS", "Q5_K_M"].contains(&q), "{id} at {q}");
        assert!(p["max_ctx"].as_u64().unwrap() >= 8192, "{p}");
    }
    // Every pick fits the memory the M1's GPU may use (about 5.3 of its 8 GiB).
    for p in picks {
        assert!(p["headroom_bytes"].as_i64().unwrap() >= 0, "{p}");
        assert!(p["total_bytes"].as_u64().unwrap() < 6 << 30, "{p}");
    }
    // Llama-3.2-3B at 16 bits is near 6 GB: more than this Mac's GPU may use.
    let f16 = fit_json(&[
        "llama-3.2-3b",
        "--quant",
        "F16",
        "--ctx",
        "8192",
        "--on",
        "macbook-pro-m1-8gb",
    ]);
    let w = f16["memory"]["weights_bytes"].as_u64().unwrap() as f64 / 1e9;
    assert!((6.0..=6.6).contains(&w), "{w} GB");
    assert_eq!(f16["verdict"], "does-not-fit");
}

#[test]
fn the_i5_laptop_is_ranked_within_its_shared_memory() {
    let v = recommend(&["--on", "hp-laptop-i5-1035g1-14gb", "--use", "code"]);
    assert_eq!(v["ctx"], 32768);
    let picks = v["picks"].as_array().unwrap();
    assert!(!picks.is_empty());
    let (_, sys, _) = cabe(&[
        "fit",
        "llama-3.2-1b",
        "--on",
        "hp-laptop-i5-1035g1-14gb",
        "--json",
    ]);
    let cap = serde_json::from_str::<Value>(&sys).unwrap()["fast_capacity_bytes"]
        .as_u64()
        .unwrap();
    for p in picks {
        assert!(p["total_bytes"].as_u64().unwrap() <= cap, "{p}");
        assert!(p["ctx"].as_u64().unwrap() >= 32768);
    }
    assert!(!v["near_misses"].as_array().unwrap().is_empty());
}

#[test]
fn the_human_table_shows_picks_near_misses_and_the_formula() {
    let (code, out, err) = cabe(&[
        "recommend",
        "--on",
        "rtx-3060-12gb",
        "--explain",
        "--top",
        "3",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("near misses"), "{out}");
    assert!(out.contains("score = log2"), "{out}");
    assert!(out.contains("left out"), "{out}");
}

#[test]
fn nonsense_fails_with_one_line() {
    for args in [
        vec!["recommend", "--use", "poetry"],
        vec!["recommend", "--max-ttft", "5s"],
        vec!["recommend", "--min-decode", "-3"],
        vec!["recommend", "--min-ctx", "10"],
        vec!["recommend", "--on", "no-such-machine"],
    ] {
        let (code, out, err) = cabe(&args);
        assert_ne!(code, 0, "{args:?}: {out}");
        assert!(
            err.starts_with("cabe: error: ") && err.trim().lines().count() == 1,
            "{args:?}: {err}"
        );
    }
}
