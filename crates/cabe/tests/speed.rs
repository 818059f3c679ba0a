//! Speed predictions through the CLI (the catalog cases and the timeout case).

mod common;
use common::*;

#[test]
fn the_146760_token_prompt_misses_a_300s_timeout_by_arithmetic() {
    let mut args = vec!["qwen3-coder-30b-a3b"];
    args.extend_from_slice(ISSUE_WORKLOAD);
    let mut human = vec!["fit"];
    human.extend_from_slice(&args);
    let (code, out, err) = cabe(&human);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("367 s > 300 s"), "{out}");
    assert!(out.contains("6 min 7 s"), "{out}");
    let v = fit_json(&args);
    let s = &v["speed"];
    assert_eq!(s["first_token_before_timeout"], false);
    assert_eq!(s["prefill_source"], "given");
    let ttft = s["ttft_s"]["typical"].as_f64().unwrap();
    assert!((ttft - 366.9).abs() < 0.1, "{ttft}");
    // With a 10 minute timeout the same prompt gets its answer.
    let mut ok = args.to_vec();
    ok[6] = "10m";
    assert_eq!(fit_json(&ok)["speed"]["first_token_before_timeout"], true);
}

#[test]
fn decode_ceiling_of_a_70b_4_bit_model_follows_bandwidth() {
    // Seeds' machines with their catalog bandwidths (GB/s).
    let machines = [
        ("mi300x", 5300.0),
        ("mac-studio-m3-ultra-96gb", 819.0),
        ("mac-studio-m2-ultra-192gb", 800.0),
        ("dgx-spark-128gb", 273.0),
        ("framework-desktop-128gb", 256.0),
    ];
    let mut last = f64::INFINITY;
    let mut bytes_per_token = None;
    for (id, bw) in machines {
        let v = fit_json(&[
            "llama-3.3-70b",
            "--ctx",
            "4096",
            "--on",
            id,
            "--claimed-decode",
            "30",
        ]);
        let s = &v["speed"];
        assert_eq!(s["bandwidth_gbps"].as_f64().unwrap(), bw, "{id}");
        let ceiling = s["decode_empty_tps"]["bound"].as_f64().unwrap();
        assert!(ceiling < last, "{id}: ceilings must fall with bandwidth");
        last = ceiling;
        // Same bytes per token everywhere: ceiling × bytes = bandwidth.
        let b = bw * 1e9 / ceiling;
        let first = *bytes_per_token.get_or_insert(b);
        assert!((b - first).abs() / first < 1e-9, "{id}");
        // 30 tok/s is above the ceiling everywhere but on the MI300X.
        assert_eq!(s["claim_exceeds_ceiling"], id != "mi300x", "{id}: {s}");
        let typical = s["decode_empty_tps"]["typical"].as_f64().unwrap();
        assert!(typical < ceiling);
    }
    // A 70B at Q4_K_M reads ~40 GB per token (its weights less the input embedding).
    let b = bytes_per_token.unwrap();
    assert!((38e9..44e9).contains(&b), "{b}");
}

#[test]
fn moe_decodes_faster_than_a_dense_model_of_similar_size() {
    let moe = fit_json(&[
        "qwen3-30b-a3b",
        "--ctx",
        "4096",
        "--on",
        "mac-studio-m3-ultra-96gb",
    ]);
    let dense = fit_json(&[
        "qwen3-32b",
        "--ctx",
        "4096",
        "--on",
        "mac-studio-m3-ultra-96gb",
    ]);
    let m = moe["speed"]["decode_empty_tps"]["typical"]
        .as_f64()
        .unwrap();
    let d = dense["speed"]["decode_empty_tps"]["typical"]
        .as_f64()
        .unwrap();
    // It reads about a tenth of the bytes per token, but each of its 48 layers also pays
    // Metal's fixed per-layer cost (fitted on published rows, data/speed.toml), which bounds
    // the gain: about 3×, not 10×.
    assert!(m > 3.0 * d, "MoE {m} vs dense {d}");
}

#[test]
fn bad_speed_flags_fail_cleanly() {
    for args in [
        vec!["fit", "llama-3.1-8b", "--timeout", "soon"],
        vec!["fit", "llama-3.1-8b", "--prefill-rate", "-4"],
        vec!["fit", "llama-3.1-8b", "--prefill-rate", "0"],
    ] {
        let (code, _, err) = cabe(&args);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.starts_with("cabe: error: "), "{args:?}: {err}");
    }
}

#[test]
fn small_batches_are_flagged_and_no_ceiling_is_claimed_below_the_range() {
    // A 40-token prompt is one 40-token micro-batch: llama.cpp's small-batch kernels are slower
    // than the full-batch figures the prediction rests on, and cabe says so.
    let (code, out, err) = cabe(&[
        "fit",
        "llama-3.2-1b",
        "--on",
        "rtx-4070",
        "--prompt-tokens",
        "40",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("this one is 40: expect it slower"), "{out}");
    let big = |extra: &[&str]| {
        let mut a = vec![
            "fit",
            "llama-3.2-1b",
            "--on",
            "rtx-4070",
            "--prompt-tokens",
            "4000",
        ];
        a.extend_from_slice(extra);
        cabe(&a).1
    };
    assert!(!big(&[]).contains("expect it slower"));
    assert!(big(&["--ubatch", "32"]).contains("this one is 32"));
    // An RTX 4070's listed FP16 figure is its shader rate, which prefill exceeds: the line
    // gives no "ceiling" under its own range.
    let line = big(&[])
        .lines()
        .find(|l| l.contains("prefill of 4,000 tokens"))
        .unwrap()
        .to_string();
    assert!(!line.contains("ceiling"), "{line}");
    assert!(line.contains("above the listed FP16 rate"), "{line}");
}
