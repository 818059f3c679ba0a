//! The generator's files read back through cabe's own GGUF reader (`cabe_gguf::read_path`)
//! describe the same model: the same KV cache and recurrent state at every setting, and
//! the same tensors (so the same weights) as the catalog path builds. No llama.cpp needed:
//! the tokenizer comes from a small vocab GGUF written here.

use cabe_core::kv::{kv_cache, RuntimeProfile};
use cabe_core::quant::{FileType, GgmlType, KvType};
use cabe_core::weights::for_file_type;
use cabe_gguf::{Array, Value, ValueType};
use cabe_truth::generate::{model_metadata, tokenizer_metadata, vocab_for, write_model};
use cabe_truth::writer::{write_sparse, TensorSpec};
use std::path::Path;

/// A BPE-style vocab file with `n` tokens, named as the generator expects for `arch`.
fn write_vocab(dir: &Path, arch: &str, n: usize) {
    let tokens: Vec<Value> = (0..n).map(|i| Value::String(format!("t{i}"))).collect();
    let types: Vec<Value> = (0..n).map(|_| Value::I32(1)).collect();
    let meta = vec![
        (
            "general.architecture".to_string(),
            Value::String("llama".into()),
        ),
        (
            "tokenizer.ggml.model".to_string(),
            Value::String("gpt2".into()),
        ),
        (
            "tokenizer.ggml.tokens".to_string(),
            Value::Array(Array {
                elem_type: ValueType::String,
                values: tokens,
            }),
        ),
        (
            "tokenizer.ggml.token_type".to_string(),
            Value::Array(Array {
                elem_type: ValueType::I32,
                values: types,
            }),
        ),
        ("tokenizer.ggml.bos_token_id".to_string(), Value::U32(0)),
    ];
    write_sparse(&dir.join(vocab_for(arch)), &meta, &[]).expect("vocab written");
}

const ISSUE_MODELS: &[&str] = &[
    "llama-3.2-1b",
    "qwen2.5-0.5b",
    "qwen3-0.6b",
    "qwen3-30b-a3b",
    "gemma-2-2b",
    "gemma-3-1b",
    "phi-3-mini-4k",
    "deepseek-v2-lite",
    "gpt-oss-20b",
    "lfm2-1.2b",
    "granite-4.0-h-tiny",
    "qwen3-next-80b-a3b",
];

fn profiles() -> Vec<RuntimeProfile> {
    let mut v = Vec::new();
    for (ctx, n_seq, unified, fa, k) in [
        (4096u64, 1u32, true, true, KvType::F16),
        (32768, 1, true, false, KvType::F16),
        (16384, 4, false, true, KvType::Q8_0),
        (16384, 4, true, true, KvType::Q4_0),
        (5000, 1, true, true, KvType::F16),
    ] {
        let mut p = RuntimeProfile::new(ctx);
        p.n_seq = n_seq;
        p.kv_unified = unified;
        p.flash_attn = fa;
        p.type_k = k;
        p.type_v = if fa { k } else { KvType::F16 };
        v.push(p);
    }
    v
}

#[test]
fn catalog_models_round_trip_through_the_reader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    for id in ISSUE_MODELS {
        let e = cabe_catalog::find_model(id).expect("catalog model");
        let mut spec = e.spec.clone();
        spec.projector = None;
        write_vocab(dir.path(), &spec.architecture, 1000);
        let path = dir.path().join(format!("{id}.gguf"));
        let g = write_model(&spec, FileType::BF16, dir.path(), &path).expect("generated");
        // Sparse: the data section is a hole, so the file takes (almost) no disk.
        let len = std::fs::metadata(&path).expect("stat").len();
        assert_eq!(len, g.written.file_size);

        let f = cabe_gguf::read_path(&path).expect("cabe reads the generated file");
        assert_eq!(f.architecture(), Some(spec.architecture.as_str()));
        assert_eq!(f.tensor_data_bytes(), g.written.tensor_bytes);
        let tensors: Vec<_> = f.tensors.clone();
        let read = cabe_gguf::spec::model_spec(&f, &tensors).expect("spec from the file");
        assert_eq!(
            read.n_vocab, spec.n_vocab,
            "{id}: vocabulary padded to the model's"
        );

        // Weights: the file holds exactly the catalog path's BF16 tensors.
        let file_w = cabe_gguf::spec::file_weights(&read, &tensors);
        let cat_w = for_file_type(&spec, FileType::BF16);
        if file_w.bytes != cat_w.bytes {
            failures.push(format!(
                "{id}: weights file {} vs catalog {}",
                file_w.bytes, cat_w.bytes
            ));
        }
        // KV cache and recurrent state: the same from the file as from the catalog.
        for p in profiles() {
            let a = kv_cache(&read, &p);
            let b = kv_cache(&spec, &p);
            if (a.k_bytes, a.v_bytes, a.recurrent_bytes, &a.cells)
                != (b.k_bytes, b.v_bytes, b.recurrent_bytes, &b.cells)
            {
                failures.push(format!(
                    "{id} ctx {} np {}: KV file {}+{}+{} vs catalog {}+{}+{}",
                    p.ctx,
                    p.n_seq,
                    a.k_bytes,
                    a.v_bytes,
                    a.recurrent_bytes,
                    b.k_bytes,
                    b.v_bytes,
                    b.recurrent_bytes
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn metadata_carries_what_the_loader_needs() {
    let e = cabe_catalog::find_model("deepseek-v2-lite").expect("catalog");
    let kv = model_metadata(&e.spec, FileType::BF16).expect("metadata");
    let get = |k: &str| kv.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(
        get("deepseek2.attention.kv_lora_rank"),
        Some(Value::U32(512))
    );
    assert_eq!(
        get("deepseek2.attention.key_length_mla"),
        Some(Value::U32(192))
    );
    assert_eq!(
        get("deepseek2.attention.value_length_mla"),
        Some(Value::U32(128))
    );
    assert_eq!(get("deepseek2.attention.key_length"), Some(Value::U32(576)));
    assert_eq!(get("deepseek2.expert_shared_count"), Some(Value::U32(2)));
    assert!(
        get("deepseek2.attention.q_lora_rank").is_none(),
        "Lite has no low-rank Q"
    );
    assert_eq!(get("general.file_type"), Some(Value::U32(32)));

    // Gemma 3: llama.cpp's default period (6) reproduces the pattern, so none is written.
    let g = cabe_catalog::find_model("gemma-3-1b").expect("catalog");
    let kv = model_metadata(&g.spec, FileType::BF16).expect("metadata");
    assert!(kv
        .iter()
        .any(|(k, v)| k == "gemma3.attention.sliding_window" && *v == Value::U32(512)));
    assert!(!kv
        .iter()
        .any(|(k, _)| k == "gemma3.attention.sliding_window_pattern"));

    // Granite hybrid: zero KV heads mark the Mamba layers; experts' width is feed_forward_length.
    let h = cabe_catalog::find_model("granite-4.0-h-tiny").expect("catalog");
    let kv = model_metadata(&h.spec, FileType::BF16).expect("metadata");
    match kv
        .iter()
        .find(|(k, _)| k == "granitehybrid.attention.head_count_kv")
    {
        Some((_, Value::Array(a))) => assert_eq!(a.values.len(), 40),
        other => panic!("per-layer head_count_kv expected, got {other:?}"),
    }
    assert!(kv
        .iter()
        .any(|(k, v)| k == "granitehybrid.feed_forward_length" && *v == Value::U32(512)));
}

#[test]
fn tokenizer_is_padded_like_the_converter() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_vocab(dir.path(), "qwen2", 10);
    let kv = tokenizer_metadata(&dir.path().join(vocab_for("qwen2")), 16).expect("padded");
    let tokens = kv
        .iter()
        .find(|(k, _)| k == "tokenizer.ggml.tokens")
        .expect("tokens");
    let Value::Array(a) = &tokens.1 else {
        panic!("array")
    };
    assert_eq!(a.values.len(), 16);
    assert_eq!(a.values[12], Value::String("[PAD12]".into()));
    let types = kv
        .iter()
        .find(|(k, _)| k == "tokenizer.ggml.token_type")
        .expect("types");
    let Value::Array(t) = &types.1 else {
        panic!("array")
    };
    assert_eq!(t.values[15], Value::I32(5));
    // A vocabulary larger than the model's is refused, not truncated.
    assert!(tokenizer_metadata(&dir.path().join(vocab_for("qwen2")), 5).is_err());
}

#[test]
fn writer_refuses_what_ggml_cannot_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("bad.gguf");
    let t = |name: &str, dims: &[u64], ty| TensorSpec {
        name: name.into(),
        dims: dims.to_vec(),
        ty,
    };
    assert!(
        write_sparse(&p, &[], &[t("a", &[100, 2], GgmlType::Q4_K)]).is_err(),
        "partial block"
    );
    assert!(
        write_sparse(&p, &[], &[t(&"x".repeat(64), &[4], GgmlType::F32)]).is_err(),
        "long name"
    );
    assert!(
        write_sparse(&p, &[], &[t("a", &[1, 1, 1, 1, 1], GgmlType::F32)]).is_err(),
        "5 dims"
    );
    let w = write_sparse(
        &p,
        &[],
        &[
            t("a", &[256, 3], GgmlType::Q4_K),
            t("b", &[7], GgmlType::F32),
        ],
    )
    .expect("ok");
    // 3 Q4_K rows of 144 bytes, then 28 bytes at the next 32-byte boundary.
    assert_eq!(w.tensor_bytes, 3 * 144 + 28);
    let f = cabe_gguf::read_path(&p).expect("read back");
    assert_eq!(f.tensors[1].offset, 448);
    assert_eq!(f.data_offset, w.data_offset);
}

/// The compute buffer cabe estimates from the file equals the catalog path's (the spec read
/// from GGUF metadata keeps everything the estimate uses: MoE widths, MLA, SWA, heads).
#[test]
fn compute_buffer_from_file_equals_catalog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    for id in ISSUE_MODELS {
        let e = cabe_catalog::find_model(id).expect("catalog model");
        let mut spec = e.spec.clone();
        spec.projector = None;
        write_vocab(dir.path(), &spec.architecture, 1000);
        let path = dir.path().join(format!("{id}.gguf"));
        write_model(&spec, FileType::BF16, dir.path(), &path).expect("generated");
        let f = cabe_gguf::read_path(&path).expect("read");
        let read = cabe_gguf::spec::model_spec(&f, &f.tensors).expect("spec");
        for mut p in profiles() {
            for outputs in [0, p.n_seq] {
                p.n_outputs_max = outputs;
                let a = cabe_core::plan::compute_buffer(&read, &p, &kv_cache(&read, &p)).bytes;
                let b = cabe_core::plan::compute_buffer(&spec, &p, &kv_cache(&spec, &p)).bytes;
                if a != b {
                    failures.push(format!(
                        "{id} ctx {} np {} outputs {outputs}: file {a} catalog {b}",
                        p.ctx, p.n_seq
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
