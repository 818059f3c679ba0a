//! From GGUF metadata and tensor infos to cabe-core's [`ModelSpec`] and exact [`Weights`].
//!
//! Keys and per-architecture defaults follow llama.cpp's `load_hparams` (`src/models/<arch>.cpp`,
//! `src/llama-model.cpp`, `src/llama-arch.cpp`): head counts and FFN widths may be per-layer arrays,
//! SWA layers come from `attention.sliding_window_pattern` (bool array or period) or the
//! architecture's default period, hybrid layers from zero KV heads or `full_attention_interval`.

use crate::{GgufFile, TensorInfo, Value};
use cabe_core::arch;
use cabe_core::ftype_mix::TypedTensor;
use cabe_core::model::{Layer, LayerKind, Mla, ModelSpec, Moe, SlidingWindow, Ssm, SsmKind};
use cabe_core::weights::{from_tensors, Weights, WeightsOrigin};

/// Why a GGUF could not be described as a model.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("GGUF has no general.architecture key: not a model file")]
    NoArchitecture,
    #[error("GGUF architecture '{arch}' is missing {key}")]
    Missing { arch: String, key: String },
    #[error("GGUF is a {0} file, not a model (general.type = {0})")]
    NotAModel(String),
    #[error("GGUF value {key} = {value} is out of range")]
    Range { key: String, value: u64 },
}

/// A name from the file as an error shows it: one line, at most 80 characters. A file or an
/// Ollama reply may put anything in `general.architecture`.
fn shown(s: &str) -> String {
    cabe_core::text::shown(s, 80)
}

struct Meta<'a> {
    f: &'a GgufFile,
    arch: &'a str,
}

impl<'a> Meta<'a> {
    fn key(&self, suffix: &str) -> String {
        format!("{}.{}", self.arch, suffix)
    }
    fn get(&self, suffix: &str) -> Option<&'a Value> {
        self.f.get(&self.key(suffix))
    }
    fn u64(&self, suffix: &str) -> Option<u64> {
        self.get(suffix).and_then(Value::as_u64)
    }
    fn req(&self, suffix: &str) -> Result<u64, SpecError> {
        self.u64(suffix).ok_or_else(|| self.missing(suffix))
    }
    fn missing(&self, suffix: &str) -> SpecError {
        SpecError::Missing {
            arch: shown(self.arch),
            key: shown(&self.key(suffix)),
        }
    }
    /// A scalar or a per-layer array (Ollama's `UintOrArrayValueAsArray`).
    fn per_layer(&self, suffix: &str, n_layer: usize) -> Option<Vec<u64>> {
        match self.get(suffix)? {
            Value::Array(a) => {
                let v: Vec<u64> = a.values.iter().filter_map(Value::as_u64).collect();
                (v.len() == n_layer).then_some(v)
            }
            other => other.as_u64().map(|x| vec![x; n_layer]),
        }
    }
}

const MAX_LAYERS: u64 = 4096;

/// Builds the architecture description of a GGUF model.
pub fn model_spec(f: &GgufFile, tensors: &[TensorInfo]) -> Result<ModelSpec, SpecError> {
    let arch = f.architecture().ok_or(SpecError::NoArchitecture)?;
    if let Some(t) = f.get_str("general.type") {
        if t != "model" {
            return Err(SpecError::NotAModel(shown(t)));
        }
    }
    let m = Meta { f, arch };
    let n_layer = m.req("block_count")?;
    if n_layer == 0 || n_layer > MAX_LAYERS {
        return Err(SpecError::Range {
            key: shown(&m.key("block_count")),
            value: n_layer,
        });
    }
    let nl = n_layer as usize;
    let n_embd = m.req("embedding_length")?;
    let n_head = m
        .per_layer("attention.head_count", nl)
        .ok_or_else(|| m.missing("attention.head_count"))?;
    let n_head_kv = m
        .per_layer("attention.head_count_kv", nl)
        .unwrap_or_else(|| n_head.clone());
    let n_ff = m
        .per_layer("feed_forward_length", nl)
        .unwrap_or(vec![0; nl]);
    let head0 = n_head.iter().copied().find(|&h| h > 0).unwrap_or(1);
    let head_dim_k = m.u64("attention.key_length").unwrap_or(n_embd / head0);
    let head_dim_v = m.u64("attention.value_length").unwrap_or(n_embd / head0);

    let n_vocab = m
        .u64("vocab_size")
        .or_else(|| match f.get("tokenizer.ggml.tokens") {
            Some(Value::Array(a)) => Some(a.values.len() as u64),
            _ => None,
        })
        .or_else(|| {
            tensors
                .iter()
                .find(|t| t.name == "token_embd.weight")
                .and_then(|t| t.dims.get(1).copied())
        })
        .unwrap_or(0);
    let native_ctx = m.u64("context_length").unwrap_or(0);
    let has = |name: &str| tensors.iter().any(|t| t.name == name);
    let tied = !has("output.weight");

    // Hybrids: every N-th layer is attention (Qwen3-Next), or zero KV heads mark recurrent layers.
    let full_attn_interval = m.u64("full_attention_interval");
    let has_ssm = m.u64("ssm.conv_kernel").is_some()
        || m.u64("shortconv.l_cache").is_some()
        || m.u64("wkv.head_size").is_some();
    let mut layers: Vec<Layer> = (0..nl)
        .map(|il| {
            let recurrent = match full_attn_interval {
                Some(n) if n > 0 => !(il as u64 + 1).is_multiple_of(n),
                _ => has_ssm && n_head_kv[il] == 0,
            };
            let kind = if recurrent {
                LayerKind::Recurrent
            } else if n_head_kv[il] == 0 && n_head[il] == 0 {
                LayerKind::FfnOnly
            } else {
                LayerKind::Attention
            };
            Layer {
                kind,
                n_head: n_head[il] as u32,
                n_head_kv: if kind == LayerKind::Attention {
                    n_head_kv[il].max(1) as u32
                } else {
                    0
                },
                n_ff: n_ff[il],
                swa: false,
                moe: has(&format!("blk.{il}.ffn_gate_inp.weight")),
            }
        })
        .collect();
    let info = arch::info(arch);
    if info.recurrent.is_some_and(|r| r.every_layer) {
        for l in &mut layers {
            l.kind = LayerKind::Recurrent;
            l.n_head_kv = 0;
        }
    }

    let moe = m
        .u64("expert_count")
        .filter(|&n| n > 0)
        .map(|n_expert| Moe {
            n_expert: n_expert as u32,
            n_expert_used: m.u64("expert_used_count").unwrap_or(0) as u32,
            n_expert_shared: m.u64("expert_shared_count").unwrap_or(0) as u32,
            expert_ff: m.u64("expert_feed_forward_length").unwrap_or(0),
            shared_ff: m.u64("expert_shared_feed_forward_length").unwrap_or(0),
            leading_dense: m.u64("leading_dense_block_count").unwrap_or(0) as u32,
        });

    let mla = m
        .u64("attention.kv_lora_rank")
        .filter(|&r| r > 0)
        .map(|kv_lora_rank| {
            let rope_dim = m.u64("rope.dimension_count").unwrap_or(64);
            let k_mla = m.u64("attention.key_length_mla").unwrap_or(head_dim_k);
            Mla {
                q_lora_rank: m.u64("attention.q_lora_rank").unwrap_or(0),
                kv_lora_rank,
                rope_dim,
                qk_nope_dim: k_mla.saturating_sub(rope_dim),
                v_head_dim: m.u64("attention.value_length_mla").unwrap_or(head_dim_v),
            }
        });

    let ssm = if has_ssm {
        // SSM keys without a row that names the kind: llama.cpp's Mamba layers.
        let kind = info.recurrent.map_or(SsmKind::Mamba, |r| r.kind);
        Some(Ssm {
            kind,
            d_conv: m
                .u64("ssm.conv_kernel")
                .or_else(|| m.u64("shortconv.l_cache"))
                .unwrap_or(0),
            d_inner: m.u64("ssm.inner_size").unwrap_or(0),
            d_state: m.u64("ssm.state_size").unwrap_or(0),
            n_group: m.u64("ssm.group_count").unwrap_or(0),
            dt_rank: m.u64("ssm.time_step_rank").unwrap_or(0),
            wkv_head_size: m.u64("wkv.head_size").unwrap_or(0),
            token_shift_count: m.u64("token_shift_count").unwrap_or(0),
        })
    } else {
        None
    };

    let mut spec = ModelSpec {
        name: f.get_str("general.name").unwrap_or(arch).to_string(),
        architecture: arch.to_string(),
        n_embd,
        n_vocab,
        native_ctx,
        head_dim_k,
        head_dim_v,
        layers,
        tied_embeddings: tied,
        moe,
        swa: None,
        mla,
        ssm,
        projector: None,
    };
    apply_swa(&m, &mut spec);
    Ok(spec)
}

/// SWA as llama.cpp's `load_swa_pattern` decides it: a bool array, a period, or the
/// architecture's default period ([`cabe_core::arch`]); phi3 ignores its window
/// (`src/llama-hparams.cpp`; gguf-parser-go's `file_architecture.go` lists the same defaults).
fn apply_swa(m: &Meta, spec: &mut ModelSpec) {
    let info = arch::info(m.arch);
    let window = m.u64("attention.sliding_window").or(info.swa_window());
    let Some(window) = window.filter(|&w| w > 0) else {
        return;
    };
    // phi3 and others without a hard-coded period: SWA disabled in llama.cpp.
    let Some(default_period) = info.swa_period() else {
        return;
    };
    let pattern = m.get("attention.sliding_window_pattern");
    let description;
    match pattern {
        Some(Value::Array(a)) if a.values.len() == spec.layers.len() => {
            for (l, v) in spec.layers.iter_mut().zip(&a.values) {
                l.swa = matches!(v, Value::Bool(true));
            }
            description = "per-layer pattern from the file".to_string();
        }
        other => {
            let n = other
                .and_then(Value::as_u64)
                .unwrap_or(u64::from(default_period)) as u32;
            spec.set_swa_pattern(n, false);
            description = if n == 2 {
                "alternating local/global".to_string()
            } else {
                format!("{} local : 1 global", n.saturating_sub(1))
            };
        }
    }
    spec.swa = Some(SlidingWindow {
        window,
        pattern: description,
    });
}

/// Exact weights of a file (all shards' tensor infos).
pub fn file_weights(spec: &ModelSpec, tensors: &[TensorInfo]) -> Weights {
    let typed = tensors
        .iter()
        .map(|t| TypedTensor {
            name: t.name.as_str().into(),
            dims: t.dims.as_slice().into(),
            ty: t.ggml_type,
        })
        .collect();
    from_tensors(spec, typed, WeightsOrigin::File)
}
