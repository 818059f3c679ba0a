//! Real GGUF files (`tests/fixtures/gguf`) against the independent reader's `.summary.json`,
//! and the specific error for each edge case and GGUF v1 file.

mod common;

use cabe_gguf::{read_path, GgufError, Value};
use common::{fixtures_dir, gguf_files};
use serde_json::Value as J;
use std::path::Path;

fn summary(path: &Path) -> J {
    let p = format!("{}.summary.json", path.display());
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Our value equals the JSON value the independent reader wrote (floats compared as f32 /
/// f64 bit patterns after the JSON round trip).
fn value_eq(v: &Value, j: &J) -> bool {
    match v {
        Value::U8(_) | Value::U16(_) | Value::U32(_) | Value::U64(_) => {
            v.as_u64().is_some() && j.as_u64() == v.as_u64()
        }
        Value::I8(_) | Value::I16(_) | Value::I32(_) | Value::I64(_) => j.as_i64() == v.as_i64(),
        Value::F32(x) => j
            .as_f64()
            .is_some_and(|y| (y as f32).to_bits() == x.to_bits()),
        Value::F64(x) => j.as_f64().is_some_and(|y| y.to_bits() == x.to_bits()),
        Value::Bool(b) => j.as_bool() == Some(*b),
        Value::String(s) => j.as_str() == Some(s.as_str()),
        Value::Array(a) => j.as_array().is_some_and(|l| {
            l.len() == a.len() && a.values.iter().zip(l).all(|(x, y)| value_eq(x, y))
        }),
    }
}

/// Files expected to parse: every top-level fixture except the GGUF v1 ones.
fn valid_fixtures() -> Vec<std::path::PathBuf> {
    gguf_files(&fixtures_dir())
        .into_iter()
        .filter(|p| summary(p)["version"].as_u64() != Some(1))
        .collect()
}

#[test]
fn valid_fixtures_match_summary_json() {
    let files = valid_fixtures();
    assert!(
        files.len() >= 12,
        "expected the 12 v2/v3 fixtures, found {files:?}"
    );
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let f = read_path(&path).unwrap_or_else(|e| panic!("{e}"));
        let s = summary(&path);
        assert_eq!(Some(u64::from(f.version)), s["version"].as_u64(), "{name}");
        assert_eq!(s["endianness"], "little", "{name}");
        assert_eq!(f.endian, cabe_gguf::Endian::Little, "{name}");
        assert_eq!(Some(f.file_size), s["size"].as_u64(), "{name}");
        assert_eq!(Some(f.alignment), s["alignment"].as_u64(), "{name}");
        assert_eq!(Some(f.data_offset), s["data_offset"].as_u64(), "{name}");

        // Metadata: same keys in the same order, same types, same values (arrays: length,
        // element type, first 5 and last 3 values).
        let kvs = s["kv"].as_array().unwrap();
        assert_eq!(
            Some(f.metadata.len() as u64),
            s["kv_count"].as_u64(),
            "{name}"
        );
        assert_eq!(f.metadata.len(), kvs.len(), "{name}");
        for ((key, v), j) in f.metadata.iter().zip(kvs) {
            let ctx = format!("{name}: {key}");
            assert_eq!(j["key"], key.as_str(), "{ctx}");
            assert_eq!(j["type"], v.value_type().name(), "{ctx}");
            match v {
                Value::Array(a) => {
                    let jv = &j["value"];
                    assert_eq!(jv["elem_type"], a.elem_type.name(), "{ctx}");
                    assert_eq!(jv["len"].as_u64(), Some(a.len() as u64), "{ctx}");
                    let head = jv["head"].as_array().unwrap();
                    let tail = jv["tail"].as_array().unwrap();
                    assert_eq!(head.len(), a.len().min(5), "{ctx}");
                    for (x, y) in a.values.iter().zip(head) {
                        assert!(value_eq(x, y), "{ctx}: head {x:?} vs {y}");
                    }
                    let start = a.len() - tail.len();
                    for (x, y) in a.values[start..].iter().zip(tail) {
                        assert!(value_eq(x, y), "{ctx}: tail {x:?} vs {y}");
                    }
                }
                _ => assert!(value_eq(v, &j["value"]), "{ctx}: {v:?} vs {}", j["value"]),
            }
            assert_eq!(f.get(key), Some(v));
        }

        // Tensors.
        let ts = s["tensors"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        assert_eq!(
            Some(f.tensors.len() as u64),
            s["tensor_count"].as_u64(),
            "{name}"
        );
        assert_eq!(f.tensors.len(), ts.len(), "{name}");
        for (t, j) in f.tensors.iter().zip(ts) {
            let ctx = format!("{name}: {}", t.name);
            assert_eq!(j["name"], t.name.as_str(), "{ctx}");
            let dims: Vec<u64> = j["dims"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_u64().unwrap())
                .collect();
            assert_eq!(t.dims, dims, "{ctx}");
            assert_eq!(
                j["ggml_type"].as_u64(),
                Some(u64::from(t.ggml_type.id())),
                "{ctx}"
            );
            assert_eq!(j["type"], t.ggml_type.name(), "{ctx}");
            assert_eq!(j["off"].as_u64(), Some(t.offset), "{ctx}");
            assert_eq!(
                j["abs_offset"].as_u64(),
                Some(f.data_offset + t.offset),
                "{ctx}"
            );
            assert_eq!(j["n_bytes"].as_u64(), Some(t.n_bytes), "{ctx}");
            assert_eq!(j["n_elements"].as_u64(), Some(t.n_elements()), "{ctx}");
        }
        assert_eq!(Some(f.params_total()), s["n_params"].as_u64(), "{name}");
        assert_eq!(
            Some(f.tensor_data_bytes()),
            s["tensor_data_bytes"].as_u64(),
            "{name}"
        );

        if !f.tensors.is_empty() {
            // The data section is the tensors back to back, each but the last padded to the
            // alignment, ending exactly at the end of the file.
            let data = f.file_size - f.data_offset;
            let padded: u64 = f
                .tensors
                .iter()
                .map(|t| t.n_bytes.div_ceil(f.alignment) * f.alignment)
                .sum();
            let sum = f.tensor_data_bytes();
            assert!(
                sum <= data && data <= padded,
                "{name}: {sum} ≤ {data} ≤ {padded}"
            );
            let last = f.tensors.iter().max_by_key(|t| t.offset).unwrap();
            assert_eq!(
                f.data_offset + last.offset + last.n_bytes,
                f.file_size,
                "{name}"
            );
            assert_eq!(Some(f.file_size), s["data_end"].as_u64(), "{name}");
        } else {
            assert!(f.data_offset >= f.file_size && f.data_offset - f.file_size < f.alignment);
        }
    }
}

#[test]
fn accessors_on_real_files() {
    let dir = fixtures_dir();
    let f = read_path(&dir.join("ollama_llama-2-tiny-random.gguf")).unwrap();
    assert_eq!(f.architecture(), Some("llama"));
    assert_eq!(
        f.arch_key("context_length").and_then(Value::as_u64),
        Some(4096)
    );
    assert_eq!(f.get_u64("llama.context_length"), Some(4096));
    assert_eq!(f.file_type(), Some(1));
    assert_eq!(
        cabe_core::quant::FileType::from_id(f.file_type().unwrap()),
        Some(cabe_core::quant::FileType::F16)
    );
    assert_eq!(f.params_total(), 513_048);
    assert_eq!(f.tensor_data_bytes(), 1_026_144);
    assert_eq!(f.header_bytes(), 724_416);
    let tokens = f
        .get("tokenizer.ggml.tokens")
        .and_then(Value::as_array)
        .unwrap();
    assert_eq!(tokens.len(), 32000);
    assert_eq!(tokens.values[1].as_str(), Some("<s>"));
    assert_eq!(
        f.get("tokenizer.ggml.tokens").unwrap().type_name(),
        "ARRAY[STRING]"
    );
    assert!(f.get_f64("llama.attention.layer_norm_rms_epsilon").unwrap() > 0.0);
    assert_eq!(f.get("no.such.key"), None);

    let f = read_path(&dir.join("llama.cpp-2024-05-12_ggml-vocab-gpt-2.gguf")).unwrap();
    assert_eq!(f.architecture(), Some("gpt2"));
    assert_eq!(f.get_str("tokenizer.ggml.model"), Some("gpt2"));
    let merges = f
        .get("tokenizer.ggml.merges")
        .and_then(Value::as_array)
        .unwrap();
    assert_eq!(merges.len(), 50000);

    let f = read_path(&dir.join("llama.cpp-2024-05-17_ggml-vocab-bert-bge.gguf")).unwrap();
    assert_eq!(f.get_bool("bert.attention.causal"), Some(false));

    // JSON: metadata as an ordered object, arrays as lists.
    let f = read_path(&dir.join("python-gen-worker_stories260K.gguf")).unwrap();
    let j = serde_json::to_value(&f).unwrap();
    assert_eq!(j["metadata"]["general.architecture"], "llama");
    assert_eq!(j["metadata"]["tokenizer.ggml.tokens"][1], "<s>");
    assert_eq!(j["tensors"][0]["ggml_type"], "F32");
    assert_eq!(j["endian"], "little");
}

fn err_of(path: &Path) -> GgufError {
    match read_path(path) {
        Ok(_) => panic!("{} parsed but should not", path.display()),
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.contains('\n'), "multi-line message: {msg}");
            assert!(
                msg.starts_with(&path.display().to_string()),
                "message does not name the file: {msg}"
            );
            e
        }
    }
}

#[test]
fn gguf_v1_files_are_refused_precisely() {
    let dir = fixtures_dir();
    for name in [
        "crabml_tinyllamas-stories-260k-f32.gguf",
        "llama.cpp-2023-08-21_ggml-vocab-llama.gguf",
    ] {
        let e = err_of(&dir.join(name));
        assert!(matches!(e.root(), GgufError::V1), "{name}: {e}");
        assert!(e.to_string().ends_with(
            "GGUF v1 file: llama.cpp no longer loads GGUF v1 (re-convert it with a current convert_hf_to_gguf.py)"
        ));
    }
}

#[test]
fn edge_cases_give_their_specific_errors() {
    let dir = fixtures_dir().join("edge-cases");
    let mut seen = 0;
    for path in gguf_files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let e = err_of(&path);
        let msg = e.to_string();
        match name.as_str() {
            "llama.cpp-2023-07-28_example.gguf" | "llama.cpp-2023-08-17_ggml-vocab-llama.gguf" => {
                assert!(
                    matches!(e.root(), GgufError::BadMagic { found, .. } if found == b"FUGG"),
                    "{msg}"
                );
                assert!(msg.contains("46 55 47 47 (\"FUGG\")"), "{msg}");
                assert!(msg.contains("pre-release"), "{msg}");
            }
            "llama.cpp-2024-01-26_test_writer.gguf" => {
                assert!(
                    matches!(e.root(), GgufError::UnknownValueType { type_id: 13, key, offset: 204 } if key == "dict1"),
                    "{msg}"
                );
            }
            "llama.cpp-2024-05-07_ggml-vocab-dbrx.gguf" => {
                assert!(
                    matches!(e.root(), GgufError::DuplicateKey { key, .. } if key == "general.file_type"),
                    "{msg}"
                );
                assert!(msg.contains("offset"), "{msg}");
            }
            "llama4j_tinyllamas-stories-260k-q8_0.gguf" => {
                assert!(
                    matches!(e.root(), GgufError::PartialBlock { name, row: 172, block_size: 32, ggml_type: "Q8_0", .. } if name == "blk.0.ffn_down.weight"),
                    "{msg}"
                );
            }
            other => panic!("unexpected edge case {other}: {msg}"),
        }
        seen += 1;
    }
    assert_eq!(seen, 5);
}

#[test]
fn llama_cpp_vocab_models_all_parse() {
    let Some(dir) = common::llama_cpp_models_dir() else {
        return;
    };
    let files = gguf_files(&dir);
    assert!(!files.is_empty());
    for p in files {
        let f = read_path(&p).unwrap_or_else(|e| panic!("{e}"));
        assert!(f.architecture().is_some(), "{}", p.display());
        let tokens = f.get("tokenizer.ggml.tokens").and_then(Value::as_array);
        assert!(tokens.is_some_and(|t| t.len() > 1000), "{}", p.display());
    }
}
