//! One model, one machine, one setting: `fit`, `curve`, `scan`, `doctor` (an on-disk Ollama
//! store) and `bench`'s prediction must give the same memory total and the same decode and
//! prefill figures — they all predict through the engine (`cabe_engine`).
//!
//! The machine is a recorded CPU laptop with a stored calibration that includes llama.cpp
//! kernel rates, so the calibrated path (the one that differed between commands) is the one
//! compared.

mod common;
use common::json;

use cabe_core::quant::FileType;
use cabe_ollama::testkit::{model_metadata, StoreBuilder, MT_PARAMS};
use cabe_testkit::fake_llm::{llama_server, FakeRates};
use cabe_testkit::{dead_port, TestServer};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn machine_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines/intel-i5-1035g1-laptop")
}

/// cabe on the recorded laptop, with a private data dir and an Ollama store.
fn cabe(data: &Path, models: &Path) -> Command {
    let mut c = common::cabe_in(data);
    for v in cabe_ollama::env::VARS {
        c.env_remove(v);
    }
    c.env("CABE_MACHINE_ROOT", machine_root())
        .env("OLLAMA_MODELS", models)
        .env("OLLAMA_HOST", format!("127.0.0.1:{}", dead_port()));
    c
}

/// A quick calibration of the laptop with llama.cpp kernel rates added, as
/// `cabe calibrate --llama-bench` stores them.
fn calibrate(data: &Path, models: &Path) {
    let mut cal = json(
        cabe(data, models)
            .args(["calibrate", "--quick", "--threads", "1", "--json"])
            .output()
            .unwrap(),
    );
    let rate = |ty: &str, gbps: f64, gflops: f64, bytes_per_param: f64| {
        serde_json::json!({
            "ty": ty, "decode_gbps": gbps, "decode_ns_per_param": bytes_per_param / gbps,
            "prefill_gflops": gflops, "tg_tps": 0.0, "pp_tps": 0.0,
        })
    };
    cal["llama_cpp"] = serde_json::json!({
        "llama_bench": "llama-bench", "build": "b11312 (0c1e570)", "threads": 1, "repack": true,
        "narrow_ratio": 0.9, "prefill_attention_ns": 6.0, "decode_attention_ns": 20.0,
        "types": [
            rate("Q4_K", 20.0, 150.0, 0.5625),
            rate("Q6_K", 24.0, 200.0, 0.8203),
            rate("F16", 22.0, 95.0, 2.0),
        ],
    });
    let path = cal["path"].as_str().unwrap().to_string();
    std::fs::write(path, serde_json::to_string_pretty(&cal).unwrap()).unwrap();
}

/// An Ollama store with `llama3.2:1b` (Llama-3.2-1B at Q4_K_M, a 4,096-token params layer);
/// the model blob's path.
fn store(models: &Path) -> PathBuf {
    let spec = cabe_catalog::find_model("llama-3.2-1b")
        .unwrap()
        .spec
        .clone();
    let w = cabe_core::weights::for_file_type(&spec, FileType::Q4_K_M);
    let b = StoreBuilder::new(models);
    let model = b.gguf_blob(&model_metadata(&spec, FileType::Q4_K_M), &w.tensors, None);
    let params = b.blob(MT_PARAMS, br#"{"num_ctx":4096}"#);
    let config = b.config("llama", "1.2B", "Q4_K_M");
    let blob = models
        .join("blobs")
        .join(model.digest.replace("sha256:", "sha256-"));
    b.manifest("llama3.2:1b", config, vec![model, params]);
    blob
}

fn typical(v: &Value) -> f64 {
    v["typical"]
        .as_f64()
        .unwrap_or_else(|| panic!("no typical in {v}"))
}

fn same(what: &str, a: f64, b: f64) {
    assert!(
        (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        "{what}: {a} and {b} differ"
    );
}

#[test]
fn every_command_predicts_the_same_figures() {
    let data = tempfile::tempdir().unwrap();
    let models = data.path().join("models");
    let blob = store(&models);
    calibrate(data.path(), &models);
    let file = blob.display().to_string();
    let run = |args: &[&str]| json(cabe(data.path(), &models).args(args).output().unwrap());

    // fit: the reference.
    let fit = run(&[
        "fit",
        &file,
        "--ctx",
        "4096",
        "--prompt-tokens",
        "1024",
        "--json",
    ]);
    let speed = &fit["speed"];
    assert!(
        speed["efficiency_source"]
            .as_str()
            .unwrap()
            .contains("measured here"),
        "the calibrated llama.cpp kernels are used: {speed}"
    );
    let total = fit["memory"]["total_bytes"].as_u64().unwrap();
    let decode_empty = typical(&speed["decode_empty_tps"]);
    let decode_1024 = typical(&speed["decode_tps"]);
    let prefill_1024 = typical(&speed["prefill_tps"]);

    // curve: its last point is 1,024 tokens.
    let curve = run(&["curve", &file, "--prompt-tokens-max", "1024", "--json"]);
    let last = curve["points"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["tokens"], 1024);
    same("curve decode", typical(&last["decode_tps"]), decode_1024);
    same("curve prefill", typical(&last["prefill_tps"]), prefill_1024);

    // scan: the same file at the same context.
    let scan = run(&[
        "scan",
        "--json",
        "--ctx",
        "4096",
        "--root",
        machine_root().to_str().unwrap(),
        &file,
    ]);
    let row = &scan["models"][0];
    assert_eq!(row["total_bytes"].as_u64(), Some(total), "{row}");
    same("scan decode", typical(&row["decode_tps"]), decode_empty);

    // doctor: the Ollama model of that blob, a prompt of 1,024 tokens and a timeout short
    // enough that the prefill finding shows its rate.
    let doc = run(&[
        "doctor",
        "llama3.2:1b",
        "--prompt-tokens",
        "1024",
        "--timeout",
        "1s",
        "--json",
    ]);
    // The memory of the setup Ollama would run (its context from the params layer; parallel
    // slots, KV type and flash attention as this Ollama defaults them) is `fit`'s for the same
    // settings.
    let mem = &doc["memory"];
    assert_eq!(mem["ctx"], 4096, "{mem}");
    let same_setup = run(&[
        "fit",
        &file,
        "--runtime",
        "ollama",
        "--ctx",
        "4096",
        "--parallel",
        &mem["parallel"].to_string(),
        "--kv-type",
        mem["kv_type"].as_str().unwrap(),
        "--flash-attn",
        if mem["flash_attn"] == true {
            "on"
        } else {
            "off"
        },
        "--json",
    ]);
    assert_eq!(
        mem["total_bytes"].as_u64(),
        same_setup["memory"]["total_bytes"].as_u64(),
        "{mem}"
    );
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "prefill-over-timeout")
        .unwrap_or_else(|| panic!("no prefill finding: {doc}"));
    same(
        "doctor prefill",
        f["numbers"]["prefill_rate_tok_s"].as_f64().unwrap(),
        prefill_1024,
    );

    // bench: its prediction for the prompt it sent (before any history exists).
    let srv = TestServer::start(llama_server(
        &file,
        4096,
        FakeRates {
            prefill: 100.0,
            decode: 10.0,
        },
    ));
    let b = run(&[
        "bench",
        "--url",
        &srv.url,
        "--prompt-sizes",
        "1024",
        "--gen-tokens",
        "1",
        "--json",
    ]);
    let r = &b["rows"][0];
    let p = r["prompt_tokens"].as_u64().unwrap().to_string();
    let at_p = run(&[
        "fit",
        &file,
        "--ctx",
        "4096",
        "--prompt-tokens",
        &p,
        "--json",
    ]);
    // The run above is now history: fit is corrected by it, bench's prediction was not.
    let c = at_p["speed"]["correction"].clone();
    let (df, pf) = (
        c["decode"].as_f64().unwrap_or(1.0),
        c["prefill"].as_f64().unwrap_or(1.0),
    );
    same(
        "bench decode",
        typical(&r["predicted_decode_tps"]) * df,
        typical(&at_p["speed"]["decode_tps"]),
    );
    same(
        "bench prefill",
        typical(&r["predicted_prefill_tps"]) * pf,
        typical(&at_p["speed"]["prefill_tps"]),
    );
}
