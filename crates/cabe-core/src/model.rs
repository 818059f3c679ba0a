//! What cabe knows about a model's architecture: enough to size its weights, KV cache,
//! recurrent state and compute buffers the way llama.cpp does.
//!
//! Field names follow llama.cpp's hparams (`src/llama-hparams.h`) and the GGUF keys they come
//! from (`{arch}.block_count`, `{arch}.attention.head_count_kv`, …; `src/llama-arch.cpp`).

use serde::{Deserialize, Serialize};

/// What a layer holds besides its FFN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    /// Self-attention with a KV cache.
    Attention,
    /// A recurrent block (Mamba/RWKV/short-conv): a fixed-size state, no KV cache.
    Recurrent,
    /// Neither (e.g. nemotron-h "MLP-only" blocks): no cache at all.
    FfnOnly,
}

/// One transformer block. llama.cpp allows head counts and FFN sizes to vary per layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    pub kind: LayerKind,
    pub n_head: u32,
    /// KV heads (GQA). 0 for recurrent and FFN-only layers.
    pub n_head_kv: u32,
    /// Dense FFN width (`feed_forward_length`), 0 when the layer's FFN is an MoE.
    pub n_ff: u64,
    /// Uses sliding-window attention (see [`SlidingWindow`]).
    pub swa: bool,
    /// Has routed experts (see [`Moe`]).
    pub moe: bool,
}

/// Mixture-of-experts parameters (`{arch}.expert_*`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moe {
    pub n_expert: u32,
    pub n_expert_used: u32,
    /// Shared experts per MoE layer (DeepSeek, Qwen2-MoE); 0 if none.
    pub n_expert_shared: u32,
    /// FFN width of one routed expert (`expert_feed_forward_length`).
    pub expert_ff: u64,
    /// FFN width of the shared expert(s) (`expert_shared_feed_forward_length`); 0 = expert_ff.
    pub shared_ff: u64,
    /// The first N layers are dense (`leading_dense_block_count`).
    pub leading_dense: u32,
}

/// Sliding-window attention. Which layers use it is in [`Layer::swa`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlidingWindow {
    /// Window in tokens (`{arch}.attention.sliding_window`).
    pub window: u64,
    /// How the pattern was described, for display ("every 2nd layer global", "5 local : 1 global").
    pub pattern: String,
}

/// Multi-head latent attention (DeepSeek V2/V3, Kimi K2): the cache stores a compressed latent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mla {
    /// 0 when queries are not low-rank (DeepSeek-V2-Lite).
    pub q_lora_rank: u64,
    pub kv_lora_rank: u64,
    /// RoPE part of each key head (`rope.dimension_count`, 64).
    pub rope_dim: u64,
    /// Non-RoPE part of each key head (128 for DeepSeek).
    pub qk_nope_dim: u64,
    /// Value head dim after decompression (128 for DeepSeek).
    pub v_head_dim: u64,
}

/// Recurrent state families (`src/llama-hparams.cpp` `n_embd_r` / `n_embd_s`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SsmKind {
    /// Mamba / Mamba2 style selective state spaces (also Jamba, Granite-4-H, Nemotron-H, Falcon-H1).
    Mamba,
    /// Gated delta-net linear attention (Qwen3-Next): conv state + per-head matrix state.
    GatedDeltaNet,
    /// RWKV: token shift + wkv state.
    Rwkv,
    /// LFM2 short convolution: a conv cache only.
    ShortConv,
}

/// Sizes that determine the per-sequence recurrent state (`n_embd_r`, `n_embd_s`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ssm {
    pub kind: SsmKind,
    /// `ssm.conv_kernel` (d_conv), or `shortconv.l_cache` for LFM2.
    pub d_conv: u64,
    /// `ssm.inner_size` (d_inner).
    pub d_inner: u64,
    /// `ssm.state_size` (d_state).
    pub d_state: u64,
    /// `ssm.group_count` (n_group).
    pub n_group: u64,
    /// `ssm.time_step_rank` (dt_rank; Mamba2: number of heads).
    pub dt_rank: u64,
    /// RWKV `wkv.head_size`; 0 otherwise.
    pub wkv_head_size: u64,
    /// RWKV `token_shift_count`; 0 otherwise.
    pub token_shift_count: u64,
}

/// A vision/audio projector (mmproj) shipped beside the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projector {
    pub params: u64,
    /// Bytes on disk if known (from a file); otherwise sized from params at F16.
    pub bytes: Option<u64>,
}

/// The architecture of one model, independent of quantization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    pub name: String,
    /// llama.cpp architecture name (`general.architecture`): llama, qwen3moe, gemma3, …
    pub architecture: String,
    pub n_embd: u64,
    pub n_vocab: u64,
    /// Training context (`{arch}.context_length`).
    pub native_ctx: u64,
    /// Per-head K and V dims (`attention.key_length` / `value_length`). For MLA these are the
    /// cached widths: K = kv_lora_rank + rope_dim, V = kv_lora_rank (llama.cpp's MLA GGUF layout,
    /// https://github.com/ggml-org/llama.cpp/pull/12801).
    pub head_dim_k: u64,
    pub head_dim_v: u64,
    pub layers: Vec<Layer>,
    /// The output head shares the token embedding matrix.
    pub tied_embeddings: bool,
    pub moe: Option<Moe>,
    pub swa: Option<SlidingWindow>,
    pub mla: Option<Mla>,
    pub ssm: Option<Ssm>,
    pub projector: Option<Projector>,
}

impl ModelSpec {
    pub fn n_layer(&self) -> u32 {
        self.layers.len() as u32
    }

    /// Largest attention head count over layers (what the compute graph is sized by).
    pub fn max_n_head(&self) -> u32 {
        self.layers.iter().map(|l| l.n_head).max().unwrap_or(0)
    }

    pub fn max_n_head_kv(&self) -> u32 {
        self.layers.iter().map(|l| l.n_head_kv).max().unwrap_or(0)
    }

    pub fn attention_layers(&self) -> impl Iterator<Item = (usize, &Layer)> {
        self.layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == LayerKind::Attention)
    }

    pub fn recurrent_layer_count(&self) -> usize {
        self.layers
            .iter()
            .filter(|l| l.kind == LayerKind::Recurrent)
            .count()
    }

    pub fn is_moe(&self) -> bool {
        self.moe.is_some()
    }

    /// Marks layers as SWA with llama.cpp's `set_swa_pattern(n)`: layer `il` is SWA when
    /// `il % n < n - 1`, so the last layer of each group of n is global (`src/llama-hparams.cpp`).
    /// With `dense_first`, `il % n == 0` is the global one instead.
    pub fn set_swa_pattern(&mut self, n: u32, dense_first: bool) {
        if n == 0 {
            return;
        }
        for (il, layer) in self.layers.iter_mut().enumerate() {
            let il = il as u32;
            layer.swa = if dense_first {
                !il.is_multiple_of(n)
            } else {
                il % n < n - 1
            };
        }
    }
}

/// Builds a model whose layers are all alike, the common case; callers then adjust layers.
#[derive(Clone, Debug)]
pub struct UniformModel {
    pub name: String,
    pub architecture: String,
    pub n_layer: u32,
    pub n_embd: u64,
    pub n_head: u32,
    pub n_head_kv: u32,
    pub head_dim: u64,
    pub n_ff: u64,
    pub n_vocab: u64,
    pub native_ctx: u64,
    pub tied_embeddings: bool,
}

impl UniformModel {
    pub fn build(self) -> ModelSpec {
        let layer = Layer {
            kind: LayerKind::Attention,
            n_head: self.n_head,
            n_head_kv: self.n_head_kv,
            n_ff: self.n_ff,
            swa: false,
            moe: false,
        };
        ModelSpec {
            name: self.name,
            architecture: self.architecture,
            n_embd: self.n_embd,
            n_vocab: self.n_vocab,
            native_ctx: self.native_ctx,
            head_dim_k: self.head_dim,
            head_dim_v: self.head_dim,
            layers: vec![layer; self.n_layer as usize],
            tied_embeddings: self.tied_embeddings,
            moe: None,
            swa: None,
            mla: None,
            ssm: None,
            projector: None,
        }
    }
}

/// Models shared by the crate's unit tests.
#[cfg(test)]
pub(crate) mod test_models {
    use super::{ModelSpec, Moe, UniformModel};

    /// Qwen3-30B-A3B (`data/models.toml`, HF config): 48 MoE layers of 128 experts, 8 used.
    pub fn qwen3_30b_a3b() -> ModelSpec {
        let mut m = UniformModel {
            name: "qwen3-30b-a3b".into(),
            architecture: "qwen3moe".into(),
            n_layer: 48,
            n_embd: 2048,
            n_head: 32,
            n_head_kv: 4,
            head_dim: 128,
            n_ff: 0,
            n_vocab: 151936,
            native_ctx: 32768,
            tied_embeddings: false,
        }
        .build();
        for l in &mut m.layers {
            l.moe = true;
        }
        m.moe = Some(Moe {
            n_expert: 128,
            n_expert_used: 8,
            n_expert_shared: 0,
            expert_ff: 768,
            shared_ff: 0,
            leading_dense: 0,
        });
        m
    }

    /// Llama-3.1-8B as its HF config gives it (`data/models.toml` `llama-3.1-8b`).
    pub fn llama_3_1_8b() -> ModelSpec {
        UniformModel {
            name: "llama-3.1-8b".into(),
            architecture: "llama".into(),
            n_layer: 32,
            n_embd: 4096,
            n_head: 32,
            n_head_kv: 8,
            head_dim: 128,
            n_ff: 14336,
            n_vocab: 128256,
            native_ctx: 131072,
            tied_embeddings: false,
        }
        .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny(n_layer: u32) -> ModelSpec {
        UniformModel {
            name: "t".into(),
            architecture: "gemma3".into(),
            n_layer,
            n_embd: 64,
            n_head: 4,
            n_head_kv: 1,
            head_dim: 16,
            n_ff: 128,
            n_vocab: 100,
            native_ctx: 1024,
            tied_embeddings: true,
        }
        .build()
    }

    #[test]
    fn gemma3_pattern_is_five_local_one_global() {
        let mut m = tiny(12);
        m.set_swa_pattern(6, false);
        let global: Vec<usize> = m
            .layers
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.swa)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(global, vec![5, 11]);
    }

    #[test]
    fn alternating_pattern_makes_even_layers_local() {
        let mut m = tiny(4);
        m.set_swa_pattern(2, false);
        let swa: Vec<bool> = m.layers.iter().map(|l| l.swa).collect();
        assert_eq!(swa, vec![true, false, true, false]);
    }
}
