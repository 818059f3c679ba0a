//! Real-shaped GGUF models: the metadata keys llama.cpp's loader reads for the architecture
//! (`src/llama-model.cpp` `load_hparams`, `src/models/<arch>.cpp` `load_arch_hparams`), a real
//! tokenizer copied from one of llama.cpp's `models/ggml-vocab-*.gguf` files (padded with
//! `[PAD{i}]` tokens to the model's vocabulary, as `convert_hf_to_gguf.py` pads), and the
//! tensors of [`cabe_core::layout::tensor_shapes`] typed as the converter types them
//! ([`cabe_core::ftype_mix::converted_type`]). Tensor data is a zero-filled hole.
//!
//! If llama.cpp loads such a file, it has accepted cabe's tensor list for the architecture:
//! the loader refuses missing tensors, wrong shapes and tensors it did not ask for.

use crate::writer::{write_sparse, TensorSpec, Written};
use anyhow::{bail, Context, Result};
use cabe_core::ftype_mix::converted_type;
use cabe_core::layout::tensor_shapes;
use cabe_core::model::ModelSpec;
use cabe_core::quant::{FileType, GgmlType};
use cabe_gguf::Value;
use std::path::{Path, PathBuf};

/// llama.cpp's `llama_token_type` for a padding token (`LLAMA_TOKEN_TYPE_UNUSED`).
const TOKEN_TYPE_UNUSED: i32 = 5;

/// The vocabulary file used for an architecture, and why.
///
/// Token counts of the files in llama.cpp's `models/`: llama-bpe 128256 (Llama 3), qwen2
/// 151936 (Qwen2/2.5/3), phi-3 32064, deepseek-llm 102400, command-r 256000, llama-spm 32000,
/// falcon 65024. A model keeps its own `n_vocab`: the vocabulary is padded up to it.
pub fn vocab_for(arch: &str) -> &'static str {
    match arch {
        "llama" | "mistral" | "granite" | "smollm" => "ggml-vocab-llama-bpe.gguf",
        "qwen2" | "qwen2moe" | "qwen3" | "qwen3moe" | "qwen3next" | "gpt-oss" => {
            "ggml-vocab-qwen2.gguf"
        }
        // Gemma's real tokenizer is a SentencePiece one: use the SPM vocabulary, padded.
        "gemma" | "gemma2" | "gemma3" => "ggml-vocab-llama-spm.gguf",
        "phi3" => "ggml-vocab-phi-3.gguf",
        "deepseek2" => "ggml-vocab-deepseek-llm.gguf",
        _ => "ggml-vocab-falcon.gguf",
    }
}

/// Tokenizer keys of a vocab GGUF, padded or checked against `n_vocab`.
pub fn tokenizer_metadata(vocab: &Path, n_vocab: u64) -> Result<Vec<(String, Value)>> {
    let f = cabe_gguf::read_path(vocab).with_context(|| format!("reading {}", vocab.display()))?;
    let mut out: Vec<(String, Value)> = f
        .metadata
        .into_iter()
        .filter(|(k, _)| k.starts_with("tokenizer."))
        .collect();
    let n_have = match out.iter().find(|(k, _)| k == "tokenizer.ggml.tokens") {
        Some((_, Value::Array(a))) => a.values.len() as u64,
        _ => bail!("{} has no tokenizer.ggml.tokens", vocab.display()),
    };
    if n_have > n_vocab {
        bail!(
            "{} has {n_have} tokens, more than the model's {n_vocab}",
            vocab.display()
        );
    }
    for (k, v) in &mut out {
        let Value::Array(a) = v else { continue };
        let pad = |i: u64| match k.as_str() {
            "tokenizer.ggml.tokens" => Some(Value::String(format!("[PAD{i}]"))),
            "tokenizer.ggml.token_type" => Some(Value::I32(TOKEN_TYPE_UNUSED)),
            "tokenizer.ggml.scores" => Some(Value::F32(-1000.0)),
            _ => None,
        };
        if a.values.len() as u64 == n_have {
            for i in n_have..n_vocab {
                if let Some(x) = pad(i) {
                    a.values.push(x);
                }
            }
        }
    }
    Ok(out)
}

/// The architecture metadata llama.cpp reads for this model ([`cabe_gguf::metadata`]).
pub fn model_metadata(m: &ModelSpec, file_type: FileType) -> Result<Vec<(String, Value)>> {
    cabe_gguf::metadata::model_metadata(m, file_type).map_err(anyhow::Error::msg)
}

/// The tensors of the model as a `float` (F16/BF16/F32) conversion writes them.
pub fn tensors(m: &ModelSpec, float: GgmlType) -> Vec<TensorSpec> {
    tensor_shapes(m)
        .into_iter()
        .map(|s| TensorSpec {
            ty: converted_type(&s, float),
            name: s.name,
            dims: s.dims,
        })
        .collect()
}

/// A short hash of everything a generated file holds (metadata, tensor list, vocabulary file
/// name): files and the llama.cpp logs measured on them are cached under it, so a change to
/// cabe's layouts or the catalog makes new files and new measurements.
pub fn content_hash(m: &ModelSpec, float: FileType) -> Result<String> {
    let elem = match float {
        FileType::F16 => GgmlType::F16,
        FileType::F32 => GgmlType::F32,
        _ => GgmlType::BF16,
    };
    let text = format!(
        "{:?}{:?}{}",
        model_metadata(m, float)?,
        tensors(m, elem),
        vocab_for(&m.architecture)
    );
    // FNV-1a, 64 bit.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Ok(format!("{:08x}", h >> 32))
}

/// A generated file.
#[derive(Clone, Debug)]
pub struct Generated {
    pub path: PathBuf,
    pub written: Written,
    pub vocab: String,
}

/// Writes `m` as a `float` GGUF (F16 or BF16) with the tokenizer of `vocab_dir/vocab_for(arch)`.
pub fn write_model(
    m: &ModelSpec,
    float: FileType,
    vocab_dir: &Path,
    out: &Path,
) -> Result<Generated> {
    let elem = match float {
        FileType::F16 => GgmlType::F16,
        FileType::BF16 => GgmlType::BF16,
        FileType::F32 => GgmlType::F32,
        other => bail!("generate F16/BF16/F32 files and quantize them; not {other}"),
    };
    let vocab = vocab_for(&m.architecture);
    let mut kv = model_metadata(m, float)?;
    kv.extend(tokenizer_metadata(&vocab_dir.join(vocab), m.n_vocab)?);
    let ts = tensors(m, elem);
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = out.with_extension("gguf.part");
    let written =
        write_sparse(&tmp, &kv, &ts).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out)?;
    Ok(Generated {
        path: out.to_path_buf(),
        written,
        vocab: vocab.to_string(),
    })
}
