//! `cabe plan` through the CLI: Llama-3.1-405B on two DGX Sparks joined by RPC and on one
//! 512 GB Mac Studio, a 70B over a workstation's two 24 GB cards, vLLM's start-up rules, and
//! bad input.

mod common;
use common::*;

use serde_json::Value;

fn plan(args: &[&str]) -> Value {
    let mut all = vec!["plan"];
    all.extend_from_slice(args);
    all.push("--json");
    let (code, out, err) = cabe(&all);
    assert_eq!(code, 0, "cabe {all:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}"))
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

const GIB: f64 = 1073741824.0;

#[test]
fn llama_405b_on_two_dgx_sparks_over_rpc() {
    let v = plan(&[
        "llama-3.1-405b",
        "--on",
        "2x",
        "dgx-spark-128gb",
        "--ctx",
        "8192",
        "--link-gbps",
        "200",
    ]);
    assert_eq!(v["hosts"], 2);
    let devices = v["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2);
    // Q4_K_M 405B is ~227 GiB: about half on each Spark, each under its 128 GB.
    for d in devices {
        let w = u(&d["weight_bytes"]) as f64 / GIB;
        assert!((105.0..120.0).contains(&w), "{w} GiB");
        assert!(d["headroom_bytes"].as_i64().unwrap() > 0);
    }
    assert_eq!(v["fits"], true);
    // The head (llama-server) holds the output layer; the other runs rpc-server.
    assert_eq!(devices[1]["output"], true);
    // Not at its native 131,072 tokens: the largest context is given, and holds 8,192.
    let max = u(&v["max_ctx"]);
    assert!((8192..131072).contains(&max), "{max}");
    // Decode with the link's term shown: two Sparks read 227 GiB at 273 GB/s each in turn.
    let sp = &v["speed"];
    let link = f(&sp["link"]["seconds_per_token"]);
    assert!(link > 0.0 && link < 1e-3, "{link}");
    let d = &sp["decode"];
    assert!(f(&d["typical"]) < f(&d["bound"]));
    // (bytes a token reads: every layer's weights and the head, not the embedding: 220–230 GiB)
    let bound = f(&d["bound"]);
    assert!(
        (273.0e9 / (230.0 * GIB)..273.0e9 / (220.0 * GIB)).contains(&bound),
        "{d}"
    );
    let cmds: Vec<&str> = v["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(cmds
        .iter()
        .any(|c| c.contains("rpc-server -H 0.0.0.0 -p 50052")));
    assert!(cmds
        .iter()
        .any(|c| c.contains("--rpc HOST1:50052") && c.contains("--tensor-split 50,50")));
}

#[test]
fn llama_405b_on_a_512gb_mac_studio() {
    let v = plan(&[
        "llama-3.1-405b",
        "--on",
        "mac-studio-m3-ultra-512gb",
        "--ctx",
        "32768",
    ]);
    assert_eq!(v["hosts"], 1);
    assert_eq!(v["fits"], true);
    // One device holds everything, and the whole native context fits.
    assert_eq!(v["devices"].as_array().unwrap().len(), 1);
    assert_eq!(u(&v["max_ctx"]), 131072);
    // No link on one machine; decode about 819 GB/s over 227 GiB.
    assert!(v["speed"]["link"].is_null());
    let bound = f(&v["speed"]["decode"]["bound"]);
    assert!((2.5..4.0).contains(&bound), "{bound}");
}

#[test]
fn a_70b_on_two_24gb_cards_is_sized_per_card() {
    let v = plan(&[
        "llama-3.3-70b",
        "--on",
        "threadripper-2x-rx-7900-xtx",
        "--ctx",
        "8192",
    ]);
    let devices = v["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2);
    for d in devices {
        // Each card's own capacity (24 GB less the driver), not one 48 GB pool.
        let cap = u(&d["device"]["capacity_bytes"]) as f64 / GIB;
        assert!(cap < 24.0, "{cap}");
        assert!(u(&d["kv_bytes"]) > 0 && u(&d["compute_bytes"]) > 0);
    }
    // 80 layers and the output layer over two equal cards: 40/40 with the output on the last.
    assert_eq!(devices[0]["layers"], serde_json::json!([0, 40]));
    assert_eq!(devices[1]["output"], true);
    // A split that favours one card overfills it.
    let skew = plan(&[
        "llama-3.3-70b",
        "--on",
        "threadripper-2x-rx-7900-xtx",
        "--ctx",
        "8192",
        "--tensor-split",
        "3,1",
    ]);
    assert_eq!(skew["fits"], false);
    assert!(skew["devices"][0]["headroom_bytes"].as_i64().unwrap() < 0);
}

#[test]
fn vllm_start_up_rules_are_checked() {
    // 8 KV heads at tensor parallel 16: replicated, one per GPU; vLLM starts.
    let sixteen = ["80GiB"; 16].join(",");
    let v = plan(&[
        "llama-3.1-405b",
        "--engine",
        "vllm",
        "--devices",
        &sixteen,
        "--tp",
        "16",
        "--pp",
        "1",
        "--ctx",
        "8192",
    ]);
    assert_eq!(v["kv_heads_per_gpu"], 1);
    assert_eq!(v["tensor_parallel"], 16);
    // 28 heads over 8 GPUs: vLLM's own message.
    let eight = ["24GiB"; 8].join(",");
    let (code, _, err) = cabe(&[
        "plan",
        "qwen2.5-7b",
        "--engine",
        "vllm",
        "--devices",
        &eight,
        "--tp",
        "8",
        "--pp",
        "1",
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains(
            "Total number of attention heads (28) must be divisible by tensor parallel size (8)"
        ),
        "{err}"
    );
}

#[test]
fn bad_input_is_one_line_and_non_zero() {
    for args in [
        vec!["plan", "llama-3.3-70b"],
        vec!["plan", "llama-3.3-70b", "--on", "0x", "dgx-spark-128gb"],
        vec!["plan", "llama-3.3-70b", "--on", "2x", "no-such-machine"],
        vec![
            "plan",
            "llama-3.3-70b",
            "--devices",
            "24GiB,24GiB",
            "--tensor-split",
            "1,1,1",
        ],
        vec!["plan", "llama-3.3-70b", "--devices", "lots"],
    ] {
        let (code, out, err) = cabe(&args);
        assert_ne!(code, 0, "{args:?} succeeded: {out}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
}
