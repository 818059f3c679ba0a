//! find_model / find_hardware: exact names in any spelling, unique prefixes and substrings,
//! and a helpful miss.

use cabe_catalog::{find_hardware, find_model, parse_hardware, parse_models, CatalogError};

fn model_id(q: &str) -> String {
    find_model(q)
        .unwrap_or_else(|e| panic!("'{q}': {e}"))
        .id
        .clone()
}

fn hw_id(q: &str) -> String {
    find_hardware(q)
        .unwrap_or_else(|e| panic!("'{q}': {e}"))
        .id
        .clone()
}

#[test]
fn exact_names_in_any_spelling() {
    for q in [
        "qwen3-coder-30b-a3b",
        "QWEN3-CODER-30B-A3B",
        "qwen3_coder_30b_a3b",
        "qwen3-coder:30b",
        "qwen3-coder",
        "Qwen/Qwen3-Coder-30B-A3B-Instruct",
        "Qwen3-Coder-30B-A3B-Instruct",
        "qwen3 coder 30b a3b",
    ] {
        assert_eq!(model_id(q), "qwen3-coder-30b-a3b", "{q}");
    }
    assert_eq!(model_id("llama3.2"), "llama-3.2-3b");
    assert_eq!(model_id("llama3.1:8b"), "llama-3.1-8b");
    assert_eq!(model_id("meta-llama/Llama-3.1-8B-Instruct"), "llama-3.1-8b");
    assert_eq!(model_id("qwen3"), "qwen3-8b");
    assert_eq!(model_id("qwen2.5:7b"), "qwen2.5-7b");
    assert_eq!(model_id("gemma3"), "gemma-3-4b");
    assert_eq!(model_id("gemma-3-27b-it"), "gemma-3-27b");
    assert_eq!(model_id("google/gemma-3-27b-it"), "gemma-3-27b");
    assert_eq!(model_id("gpt-oss:20b"), "gpt-oss-20b");
    assert_eq!(model_id("deepseek-r1:7b"), "deepseek-r1-distill-qwen-7b");
    assert_eq!(model_id("deepseek-r1"), "deepseek-r1");
    assert_eq!(model_id("phi4"), "phi-4");
    assert_eq!(model_id("mistral"), "mistral-7b-v0.3");
    assert_eq!(model_id("  tinyllama  "), "tinyllama-1.1b");
}

#[test]
fn exact_beats_prefix() {
    // "qwen3-8b" is a prefix of nothing else, but "qwen3" is a prefix of many: the exact alias wins.
    assert_eq!(model_id("qwen3"), "qwen3-8b");
    // "gpt-oss" is both an alias of the 20b and a prefix of the 120b.
    assert_eq!(model_id("gpt-oss"), "gpt-oss-20b");
}

#[test]
fn unique_prefix_and_substring() {
    assert_eq!(model_id("qwen3-next"), "qwen3-next-80b-a3b");
    assert_eq!(model_id("qwen3-coder-48"), "qwen3-coder-480b-a35b");
    assert_eq!(model_id("deepseek-v2"), "deepseek-v2-lite");
    assert_eq!(model_id("granite"), "granite-4.0-h-tiny");
    // Substring: unique somewhere inside a name.
    assert_eq!(model_id("coder-480"), "qwen3-coder-480b-a35b");
    assert_eq!(model_id("nemo"), "mistral-nemo-12b");
    assert_eq!(model_id("405b"), "llama-3.1-405b");
}

#[test]
fn miss_suggests_closest_ids() {
    let e = find_model("qwen3-coder-31b").unwrap_err();
    assert_eq!(e.query, "qwen3-coder-31b");
    assert_eq!(e.what, "model");
    assert_eq!(e.suggestions.len(), 3);
    assert_eq!(e.suggestions[0], "qwen3-coder-30b-a3b");
    let msg = e.to_string();
    assert!(
        msg.starts_with("unknown model 'qwen3-coder-31b'; did you mean: qwen3-coder-30b-a3b, "),
        "{msg}"
    );
    assert!(msg.ends_with('?') && !msg.contains('\n'), "{msg}");

    let e = find_model("llama-3.1-9b").unwrap_err();
    assert_eq!(e.suggestions[0], "llama-3.1-8b");
    // A typo that is still a unique substring is found outright.
    assert_eq!(model_id("lama-3.1-8b"), "llama-3.1-8b");

    let e = find_model("no-such-model-at-all").unwrap_err();
    assert_eq!(e.suggestions.len(), 3);
}

#[test]
fn ambiguous_query_suggests_among_the_matches() {
    // "qwen3-coder-4" is a unique prefix (of "qwen3coder480b…").
    assert_eq!(model_id("qwen3-coder-4"), "qwen3-coder-480b-a35b");

    // A prefix of three distills: no guess, the three are suggested.
    let e = find_model("deepseek-r1-distill").unwrap_err();
    let mut s = e.suggestions.clone();
    s.sort();
    assert_eq!(
        s,
        [
            "deepseek-r1-distill-qwen-14b",
            "deepseek-r1-distill-qwen-32b",
            "deepseek-r1-distill-qwen-7b"
        ]
    );

    let e = find_hardware("m3 ultra").unwrap_err();
    assert!(e.suggestions.iter().all(|s| s.contains("m3-ultra")), "{e}");
}

#[test]
fn empty_query_is_a_miss() {
    let e = find_model("").unwrap_err();
    assert_eq!(e.suggestions.len(), 3);
    assert!(find_hardware("  ").is_err());
}

#[test]
fn hardware_lookup() {
    assert_eq!(hw_id("mac-mini-m4-16gb"), "mac-mini-m4-16gb");
    assert_eq!(hw_id("Mac Mini M4"), "mac-mini-m4-16gb");
    assert_eq!(hw_id("4090"), "rtx-4090");
    assert_eq!(hw_id("RTX 4090"), "rtx-4090");
    assert_eq!(hw_id("rtx-3090"), "rtx-3090");
    assert_eq!(hw_id("3090"), "rtx-3090");
    assert_eq!(hw_id("h100"), "h100-sxm");
    assert_eq!(hw_id("dgx spark"), "dgx-spark-128gb");
    assert_eq!(hw_id("strix halo"), "framework-desktop-128gb");
    assert_eq!(hw_id("m3 ultra 512"), "mac-studio-m3-ultra-512gb");
    assert_eq!(hw_id("mi300x"), "mi300x");
    assert_eq!(hw_id("threadripper"), "threadripper-2x-rx-7900-xtx");
    assert_eq!(hw_id("pi5"), "raspberry-pi-5-8gb");
    assert_eq!(hw_id("i5-1035g1"), "hp-laptop-i5-1035g1-14gb");

    let e = find_hardware("rtx 4091").unwrap_err();
    assert_eq!(e.what, "hardware");
    assert_eq!(e.suggestions[0], "rtx-4090");
    assert!(e
        .to_string()
        .starts_with("unknown hardware 'rtx 4091'; did you mean: rtx-4090"));
}

#[test]
fn bad_rows_are_reported_not_panicked() {
    let bad = r#"
[[model]]
id = "x"
name = "X"
hf_id = "a/x"
architecture = "llama"
params_b = 1.0
n_layer = 2
n_embd = 64
n_ff = 128
n_head = 4
n_head_kv = [1, 1, 1]
n_vocab = 100
native_ctx = 4096
tied_embeddings = false
family = "x"
released = "2024-01"
license = "mit"
source = "test"
"#;
    match parse_models(bad) {
        Err(CatalogError::Row { id, msg, .. }) => {
            assert_eq!(id, "x");
            assert!(msg.contains("3 values for 2 layers"), "{msg}");
        }
        other => panic!("{other:?}"),
    }

    // Typos in field names are caught (deny_unknown_fields).
    let typo = bad.replace("n_head_kv = [1, 1, 1]", "n_head_kv = 1\nn_kv_head = 1");
    assert!(matches!(
        parse_models(&typo),
        Err(CatalogError::Toml { .. })
    ));

    // Two rows answering to the same name.
    let dup = format!(
        "{}\n{}",
        bad.replace("[1, 1, 1]", "1"),
        bad.replace("[1, 1, 1]", "1")
    );
    let e = parse_models(&dup).unwrap_err().to_string();
    assert!(e.contains("also names row 'x'"), "{e}");

    let hw = r#"
[[hardware]]
id = "gpu"
name = "GPU box"
kind = "discrete-gpu"
backend = "cuda"
ram_gb = 64
bandwidth_gbps = 100
released = "2024-01"
source = "test"
"#;
    let e = parse_hardware(hw).unwrap_err().to_string();
    assert!(e.contains("needs vram_gb"), "{e}");
}

/// A miss with a huge name (what a `cabe serve` body of 64 KiB can hold) still answers at once:
/// the fuzzer (`fuzz/fuzz_targets/serve_body.rs`) found a 130-character name taking 3 s in its
/// build, the suggestions' edit distances being computed again at each comparison of the sort.
#[test]
fn a_huge_unknown_name_is_a_quick_miss() {
    for q in [
        format!("qwen3-co{}de4GB", "x".repeat(120)),
        "x".repeat(64 << 10),
    ] {
        let t = std::time::Instant::now();
        let e = find_model(&q).unwrap_err();
        assert_eq!(e.suggestions.len(), 3, "{e}");
        assert!(t.elapsed().as_secs_f64() < 2.0, "{:?}", t.elapsed());
    }
}
