//! `cabe inspect` and `cabe fit FILE` on the real GGUF files in `tests/fixtures/gguf/`
//! (see `tests/fixtures/SOURCES.md`), and on broken ones.

mod common;
use common::*;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    cabe_testkit::fixture_path("gguf")
}

fn summary(path: &Path) -> Value {
    let s = std::fs::read_to_string(format!("{}.summary.json", path.display())).unwrap();
    serde_json::from_str(&s).unwrap()
}

#[test]
fn inspect_json_agrees_with_the_fixture_summaries() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().and_then(|e| e.to_str()) != Some("gguf") {
            continue;
        }
        let s = summary(&p);
        let (code, out, err) = cabe(&["inspect", p.to_str().unwrap(), "--json"]);
        if s["version"] == 1 {
            assert_ne!(code, 0, "v1 must be refused: {}", p.display());
            assert!(err.contains("GGUF v1"), "{err}");
            assert_eq!(err.trim().lines().count(), 1);
            continue;
        }
        assert_eq!(code, 0, "{}: {err}", p.display());
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["gguf_version"], s["version"], "{}", p.display());
        assert_eq!(v["tensor_count"], s["tensor_count"], "{}", p.display());
        assert_eq!(v["kv_count"], s["kv_count"], "{}", p.display());
        assert_eq!(v["data_offset"], s["data_offset"], "{}", p.display());
        let meta = v["metadata"].as_object().unwrap();
        for kv in s["kv"].as_array().unwrap() {
            let key = kv["key"].as_str().unwrap();
            let got = &meta[key];
            match kv["type"].as_str().unwrap() {
                "ARRAY" => assert_eq!(
                    got.as_array().unwrap().len() as u64,
                    kv["value"]["len"].as_u64().unwrap(),
                    "{key}"
                ),
                "STRING" | "UINT32" | "INT32" | "UINT64" | "BOOL" => {
                    assert_eq!(got, &kv["value"], "{key} in {}", p.display())
                }
                _ => {}
            }
        }
        let n_params: u64 = s["tensors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["n_elements"].as_u64().unwrap())
            .sum();
        assert_eq!(v["params_total"], n_params, "{}", p.display());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} fixtures checked");
}

#[test]
fn fit_from_a_file_counts_exactly_its_tensor_bytes() {
    let p = fixtures().join("ollama_llama-2-tiny-random.gguf");
    let s = summary(&p);
    let (code, out, err) = cabe(&["fit", p.to_str().unwrap(), "--memory", "8GB", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["memory"]["weights_bytes"], s["tensor_data_bytes"]);
    assert_eq!(v["model"]["native_ctx"], 4096);
    assert_eq!(v["model"]["source"], "file");
    // 1 layer × 2 KV heads × head dim 4 (8 / 2) × 2 (K,V) × 2 bytes × 4096 tokens.
    assert_eq!(v["memory"]["kv_cache_bytes"], 4096 * 2 * 4 * 2 * 2);
}

#[test]
fn broken_files_get_one_precise_line_and_a_nonzero_exit() {
    let edge = fixtures().join("edge-cases");
    let cases = [
        ("llama.cpp-2023-07-28_example.gguf", "FUGG"),
        (
            "llama.cpp-2024-01-26_test_writer.gguf",
            "unknown GGUF value type 13",
        ),
        (
            "llama.cpp-2024-05-07_ggml-vocab-dbrx.gguf",
            "duplicate metadata key",
        ),
        (
            "llama4j_tinyllamas-stories-260k-q8_0.gguf",
            "not a multiple of the Q8_0 block size",
        ),
    ];
    for (file, needle) in cases {
        let p = edge.join(file);
        let (code, _, err) = cabe(&["inspect", p.to_str().unwrap()]);
        assert_ne!(code, 0, "{file}");
        assert!(err.contains(needle), "{file}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{file}: {err}");
    }
}

#[test]
fn truncated_and_foreign_files_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let real = std::fs::read(fixtures().join("ollama_llama-2-tiny-random.gguf")).unwrap();
    for cut in [0usize, 3, 7, 20, 1000, 500_000, 724_000] {
        let p = dir.path().join(format!("cut{cut}.gguf"));
        std::fs::write(&p, &real[..cut]).unwrap();
        for cmd in ["inspect", "fit"] {
            let (code, _, err) = cabe(
                &[cmd, p.to_str().unwrap(), "--memory", "8GB"][..if cmd == "fit" { 4 } else { 2 }],
            );
            assert_ne!(code, 0, "{cmd} cut at {cut}");
            assert!(err.starts_with("cabe: error: "), "{cmd} cut {cut}: {err}");
            assert_eq!(err.trim().lines().count(), 1, "{cmd} cut {cut}: {err}");
        }
    }
    let p = dir.path().join("notes.gguf");
    std::fs::write(&p, b"hello, this is not a model\n").unwrap();
    let (code, _, err) = cabe(&["inspect", p.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("not a GGUF file"), "{err}");
    let (code, _, err) = cabe(&["inspect", "/no/such/file.gguf"]);
    assert_ne!(code, 0);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
