//! `fit --cpu-moe` / `--n-cpu-moe N`: a MoE model's routed experts in system RAM (llama.cpp's
//! flags), so that the rest fits a small GPU — Qwen3-30B-A3B Q4_K_M on a 12 GB RTX 4070 with
//! 64 GB of RAM.

mod common;
use common::{cabe, fit_json};

const BASE: &[&str] = &["qwen3-30b-a3b", "--on", "rtx-4070", "--ctx", "32768"];

fn with(extra: &[&str]) -> serde_json::Value {
    let mut args = BASE.to_vec();
    args.extend_from_slice(extra);
    fit_json(&args)
}

#[test]
fn experts_on_the_cpu_turn_an_offload_into_a_fit() {
    let gpu_only = with(&[]);
    assert_eq!(gpu_only["verdict"], "fits-with-offload");
    assert_eq!(gpu_only["memory"]["cpu_experts"]["bytes"], 0);

    let all = with(&["--cpu-moe"]);
    assert_eq!(all["verdict"], "fits");
    let e = &all["memory"]["cpu_experts"];
    assert_eq!(e["layers"], 48);
    let bytes = e["bytes"].as_u64().unwrap();
    let total = all["memory"]["total_bytes"].as_u64().unwrap();
    // Same total; the GPU holds the rest, and the headroom is the GPU's.
    assert_eq!(total, gpu_only["memory"]["total_bytes"].as_u64().unwrap());
    let vram = all["fast_capacity_bytes"].as_u64().unwrap();
    assert_eq!(
        all["headroom_bytes"].as_i64().unwrap(),
        vram as i64 - (total - bytes) as i64
    );
    // 8 of 128 experts are read per token.
    assert_eq!(
        e["bytes_active"].as_u64().unwrap(),
        (bytes as f64 * 8.0 / 128.0).round() as u64
    );
    // Decode reads those from RAM: slower than all-GPU would be, and said so.
    let lines = all["speed"]["lines"].to_string();
    assert!(
        lines.contains("experts of 48 layers kept on the CPU"),
        "{lines}"
    );

    let some = with(&["--n-cpu-moe", "20"]);
    assert_eq!(some["memory"]["cpu_experts"]["layers"], 20);
    assert!(some["memory"]["cpu_experts"]["bytes"].as_u64().unwrap() < bytes);
    // Fewer experts in RAM: less of each token read at RAM speed.
    let typical =
        |v: &serde_json::Value| v["speed"]["decode_empty_tps"]["typical"].as_f64().unwrap();
    assert!(typical(&some) > typical(&all));
}

#[test]
fn cpu_moe_on_unified_memory_changes_nothing() {
    let mac = fit_json(&[
        "qwen3-30b-a3b",
        "--on",
        "mac-studio-m3-ultra-96gb",
        "--cpu-moe",
    ]);
    assert_eq!(mac["memory"]["cpu_experts"]["bytes"], 0);
}

#[test]
fn cpu_moe_needs_a_moe_model_and_one_flag() {
    for args in [
        vec!["fit", "llama-3.1-8b", "--cpu-moe"],
        vec!["fit", "qwen3-30b-a3b", "--cpu-moe", "--n-cpu-moe", "4"],
        vec!["fit", "qwen3-30b-a3b", "--n-cpu-moe", "-1"],
    ] {
        let (code, out, err) = cabe(&args);
        assert_ne!(code, 0, "{args:?}: {out}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
}
