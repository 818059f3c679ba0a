//! The cases from the core issue, run through the CLI: `cabe fit … --json`.
//! Expected figures are the (KV bytes exact; totals in the stated ranges) and
//! the models' HF configs (the sources in `data/models.toml`).

mod common;
use common::*;

use serde_json::Value;

use common::fit_json as fit;

fn u(v: &Value, path: &str) -> u64 {
    let mut cur = v;
    for k in path.split('.') {
        cur = &cur[k];
    }
    cur.as_u64()
        .unwrap_or_else(|| panic!("{path} is not a number: {cur}"))
}

fn i(v: &Value, path: &str) -> i64 {
    v[path].as_i64().unwrap_or_else(|| panic!("{path} missing"))
}

const GB: f64 = 1e9;

#[test]
fn qwen3_coder_30b_on_64gb_fits_with_20gb_to_spare() {
    let v = fit(&["qwen3-coder-30b-a3b", "--memory", "64GB", "--ctx", "native"]);
    assert_eq!(u(&v, "ctx"), 262_144);
    assert_eq!(u(&v, "model.native_ctx"), 262_144);
    // 2 × 48 × 4 × 128 × 262,144 × 2 B, exactly.
    assert_eq!(u(&v, "memory.kv_cache_bytes"), 25_769_803_776);
    let weights = u(&v, "memory.weights_bytes") as f64;
    assert!(
        (15.0 * GB..=19.0 * GB).contains(&weights),
        "weights {weights}"
    );
    let total = u(&v, "memory.total_bytes") as f64;
    assert!((40.0 * GB..=48.0 * GB).contains(&total), "total {total}");
    assert_eq!(
        u(&v, "capacity_bytes") + u(&v, "os_reserve_bytes"),
        64 << 30
    );
    let headroom = i(&v, "headroom_bytes") as f64;
    assert!(
        (16.0 * GB..=24.0 * GB).contains(&headroom),
        "headroom {headroom}"
    );
    assert_eq!(v["fits"], true);
    let params = u(&v, "model.params_total") as f64;
    assert!((30.0e9..31.0e9).contains(&params), "params {params}"); // from the HF config: 30.53B
    let active = u(&v, "model.params_active") as f64;
    assert!((3.0e9..3.7e9).contains(&active), "active {active}"); // from the HF config: 3.35B
    for key in ["compute_bytes", "overhead_bytes"] {
        assert!(u(&v, &format!("memory.{key}")) > 0, "{key}");
    }
}

#[test]
fn one_b_model_is_about_2gb_at_fp16_and_under_1gb_at_4_bit() {
    let f16 = fit(&[
        "llama-3.2-1b",
        "--quant",
        "F16",
        "--ctx",
        "4096",
        "--memory",
        "64GB",
    ]);
    let w = u(&f16, "memory.weights_bytes") as f64;
    assert!((2.0 * GB..=2.6 * GB).contains(&w), "F16 weights {w}");
    let q4 = fit(&[
        "llama-3.2-1b",
        "--quant",
        "Q4_0",
        "--ctx",
        "4096",
        "--memory",
        "64GB",
    ]);
    let w4 = u(&q4, "memory.weights_bytes") as f64;
    // ~0.5 GB of 4-bit body plus a Q6_K/Q8_0 tied embedding of 128,256 × 2,048.
    assert!((0.5 * GB..=0.9 * GB).contains(&w4), "Q4_0 weights {w4}");
}

#[test]
fn gemma_27b_at_fp16_needs_about_54gb() {
    let v = fit(&[
        "gemma-2-27b",
        "--quant",
        "F16",
        "--ctx",
        "4096",
        "--memory",
        "128GB",
    ]);
    let w = u(&v, "memory.weights_bytes") as f64;
    assert!((52.0 * GB..=56.0 * GB).contains(&w), "weights {w}");
}

#[test]
fn llama_3_2_3b_at_16_bit_needs_about_6gb() {
    let v = fit(&[
        "llama-3.2-3b",
        "--quant",
        "BF16",
        "--ctx",
        "4096",
        "--memory",
        "64GB",
    ]);
    let w = u(&v, "memory.weights_bytes") as f64;
    assert!((6.0 * GB..=6.9 * GB).contains(&w), "weights {w}");
    assert_eq!(u(&v, "model.native_ctx"), 131_072);
}

#[test]
fn deepseek_r1_does_not_fit_most_machines_even_at_4_bit() {
    let hw: Value = {
        let (code, out, err) = cabe(&["hardware", "--json"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    };
    let ids: Vec<String> = hw
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let mut fits = 0;
    for id in &ids {
        let v = fit(&["deepseek-r1", "--ctx", "4096", "--on", id]);
        if v["fits"] == true {
            fits += 1;
        }
    }
    assert!(
        fits * 10 <= ids.len(),
        "DeepSeek-R1 Q4_K_M fits {fits} of {} machines",
        ids.len()
    );
    // MLA V-less cache: 61 layers × 576 × 2 bytes per token, exactly.
    let v = fit(&["deepseek-r1", "--ctx", "163840", "--memory", "1TB"]);
    assert_eq!(u(&v, "memory.kv_cache_bytes"), 61 * 576 * 2 * 163_840);
}

#[test]
fn on_an_8gb_m1_small_models_fit_and_8b_at_16_bit_does_not() {
    for m in ["llama-3.2-3b", "qwen3-4b", "gemma-2-2b", "qwen2.5-3b"] {
        let v = fit(&[m, "--ctx", "4096", "--on", "macbook-pro-m1-8gb"]);
        assert_eq!(v["fits"], true, "{m} should fit an 8 GB M1: {v}");
    }
    for m in ["llama-3.1-8b", "qwen3-8b", "gemma-2-9b", "mistral-7b"] {
        let v = fit(&[
            m,
            "--quant",
            "F16",
            "--ctx",
            "4096",
            "--on",
            "macbook-pro-m1-8gb",
        ]);
        assert_eq!(v["fits"], false, "{m} at F16 should not fit an 8 GB M1");
    }
}

#[test]
fn quantized_kv_shrinks_the_cache_by_the_block_ratio() {
    let f16 = fit(&["qwen3-coder-30b-a3b", "--ctx", "32768", "--memory", "64GB"]);
    let q8 = fit(&[
        "qwen3-coder-30b-a3b",
        "--ctx",
        "32768",
        "--memory",
        "64GB",
        "--kv-type",
        "q8_0",
    ]);
    let q4 = fit(&[
        "qwen3-coder-30b-a3b",
        "--ctx",
        "32768",
        "--memory",
        "64GB",
        "--kv-type",
        "q4_0",
    ]);
    let kv = u(&f16, "memory.kv_cache_bytes");
    assert_eq!(u(&q8, "memory.kv_cache_bytes"), kv / 2 * 34 / 32);
    assert_eq!(u(&q4, "memory.kv_cache_bytes"), kv / 2 * 18 / 32);
}

#[test]
fn parallel_sequences_multiply_the_cache() {
    let one = fit(&["qwen3-coder-30b-a3b", "--ctx", "8192", "--memory", "64GB"]);
    let four = fit(&[
        "qwen3-coder-30b-a3b",
        "--ctx",
        "8192",
        "--memory",
        "64GB",
        "--parallel",
        "4",
    ]);
    assert_eq!(
        u(&four, "memory.kv_cache_bytes"),
        4 * u(&one, "memory.kv_cache_bytes")
    );
}

#[test]
fn max_context_is_the_largest_that_fits() {
    let v = fit(&["llama-3.1-8b", "--memory", "16GB", "--ctx", "max"]);
    let max = u(&v, "max_ctx");
    assert_eq!(u(&v, "ctx"), max);
    assert!(max.is_multiple_of(256) && max < 131_072, "max {max}");
    assert_eq!(v["fits"], true);
    let over = fit(&[
        "llama-3.1-8b",
        "--memory",
        "16GB",
        "--ctx",
        &(max + 256).to_string(),
    ]);
    assert_eq!(over["fits"], false);
}

#[test]
fn max_context_with_parallel_sequences_is_per_sequence() {
    let v = fit(&[
        "llama-3.1-8b",
        "--memory",
        "16GB",
        "--ctx",
        "max",
        "--parallel",
        "4",
    ]);
    let max = u(&v, "max_ctx");
    assert_eq!(v["fits"], true);
    assert_eq!(u(&v, "kv.cells.n_stream"), 4);
    let over = fit(&[
        "llama-3.1-8b",
        "--memory",
        "16GB",
        "--parallel",
        "4",
        "--ctx",
        &(max + 256).to_string(),
    ]);
    assert_eq!(over["fits"], false, "max {max}");
}

#[test]
fn explain_shows_the_kv_arithmetic_in_words() {
    let (code, out, err) = cabe(&[
        "fit",
        "qwen3-coder-30b-a3b",
        "--memory",
        "64GB",
        "--explain",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "262,144 tokens × 48 layers × 4 KV heads × 128 × 2 (K,V) × 2 bytes = 24.0 GiB"
        ),
        "{out}"
    );
    assert!(
        out.contains("64.0 GiB"),
        "the --memory reading is printed: {out}"
    );
}

#[test]
fn unknown_model_suggests_and_fails() {
    let (code, _, err) = cabe(&["fit", "qwen3-coder-31b"]);
    assert_ne!(code, 0);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("qwen3-coder-30b-a3b"), "{err}");
}

#[test]
fn nonsense_flags_fail_with_one_line() {
    for args in [
        vec!["fit", "llama-3.1-8b", "--memory", "lots"],
        vec!["fit", "llama-3.1-8b", "--ctx", "-5"],
        vec!["fit", "llama-3.1-8b", "--ctx", "0"],
        vec!["fit", "llama-3.1-8b", "--kv-type", "q3_z"],
        vec!["fit", "llama-3.1-8b", "--quant", "Q9_K"],
        vec!["fit", "llama-3.1-8b", "--on", "no-such-machine"],
        vec![
            "fit",
            "llama-3.1-8b",
            "--kv-type",
            "q8_0",
            "--flash-attn",
            "off",
        ],
        vec!["fit", "llama-3.1-8b", "--parallel", "0"],
        // Usage mistakes clap catches: one line too, not clap's usage block.
        vec!["fit", "llama-3.1-8b", "--parallel", "abc"],
        vec!["fit", "--bogus", "llama-3.1-8b"],
        vec!["fit"],
        vec!["no-such-command"],
    ] {
        let (code, out, err) = cabe(&args);
        assert_ne!(code, 0, "{args:?} should fail: {out}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            err.starts_with("cabe: error: ") && err.trim().lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    // A missing argument is named on that one line (clap lists it on the lines after).
    let (_, _, err) = cabe(&["fit"]);
    assert!(err.contains("<MODEL>"), "{err}");
    let (_, _, err) = cabe(&["route", "--on", "rtx-4090"]);
    assert!(err.contains("--model <ID>"), "{err}");
}

/// A setup that does not fit names the single changes that would, and each one, given back to
/// `fit` as the flag it prints, fits.
#[test]
fn each_change_that_would_fit_does_fit() {
    let base = ["qwen3-coder-30b-a3b", "--memory", "64GB", "--parallel", "2"];
    let v = fit(&base);
    assert_eq!(v["verdict"], "does-not-fit", "{v}");
    let changes = v["changes_that_fit"].as_array().unwrap();
    let kinds: Vec<&str> = changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    for k in ["quantized-kv", "shorter-context", "fewer-slots"] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }
    for c in changes {
        let flag = c["flag"].as_str().unwrap();
        let mut args: Vec<&str> = base.to_vec();
        // The change replaces the setting it names.
        let words: Vec<&str> = flag.split_whitespace().collect();
        if words[0] == "--parallel" {
            args.truncate(3);
        }
        args.extend(words);
        let w = fit(&args);
        assert_eq!(w["verdict"], "fits", "{flag}: {w}");
        assert_eq!(w["memory"]["total_bytes"], c["total_bytes"], "{flag}");
        assert!(w["changes_that_fit"].as_array().unwrap().is_empty());
    }
}

/// One parser per kind of value: a bad duration or rate is refused the same way, naming the
/// flag, by every command that takes one.
#[test]
fn every_command_refuses_a_bad_duration_or_rate_the_same_way() {
    for args in [
        vec!["fit", "llama-3.2-1b", "--timeout", "soon"],
        vec![
            "curve",
            "llama-3.2-1b",
            "--on",
            "rtx-4090",
            "--timeout",
            "soon",
        ],
        vec!["doctor", "llama3.2:1b", "--timeout", "soon"],
        vec!["bench", "--timeout", "soon"],
        vec!["route", "--model", "llama-3.2-1b", "--timeout", "soon"],
    ] {
        let (code, _, err) = cabe(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("'--timeout <DURATION>'") && err.contains("not a duration"),
            "{args:?}: {err}"
        );
    }
    for args in [
        vec!["fit", "llama-3.2-1b", "--prefill-rate", "-4"],
        vec!["doctor", "llama3.2:1b", "--prefill-rate", "0"],
        vec!["recommend", "--min-decode", "fast"],
        vec![
            "plan",
            "llama-3.2-1b",
            "--devices",
            "24GiB",
            "--link-gbps",
            "fast",
        ],
    ] {
        let (code, _, err) = cabe(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("not a positive number"), "{args:?}: {err}");
    }
}

/// Token counts are bounded where they are parsed: a trillion-token prompt is refused by every
/// command that takes one (and by the API, which parses its fields with the same flags).
#[test]
fn absurd_token_counts_are_refused_naming_the_flag() {
    for args in [
        vec!["fit", "llama-3.2-1b", "--prompt-tokens", "1000000000000"],
        vec!["fit", "llama-3.2-1b", "--gen-tokens", "1000000000000"],
        vec!["recommend", "--prompt-tokens", "1000000000000"],
        vec![
            "buy",
            "--model",
            "llama-3.2-1b",
            "--prompt-tokens",
            "1000000000000",
        ],
        vec!["doctor", "llama3.2:1b", "--prompt-tokens", "1000000000000"],
        vec![
            "plan",
            "llama-3.2-1b",
            "--devices",
            "24GiB",
            "--prompt-tokens",
            "1000000000000",
        ],
        vec![
            "route",
            "--model",
            "llama-3.2-1b",
            "--prompt-tokens",
            "1000000000000",
        ],
        vec![
            "route",
            "--model",
            "llama-3.2-1b",
            "--prompt-tokens",
            "100",
            "--output-tokens",
            "1000000000000",
        ],
    ] {
        let (code, _, err) = cabe(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("out of range (0 to 67,108,864 tokens)"),
            "{args:?}: {err}"
        );
    }
}
