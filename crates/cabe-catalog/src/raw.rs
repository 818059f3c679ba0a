//! The TOML rows as written in `data/*.toml`, and their conversion into the core types.
//!
//! The rows keep Hugging Face / GGUF vocabulary (`n_head_kv`, `expert_ff`, `ssm_d_inner`, …);
//! the conversion applies llama.cpp's rules: which layers are MoE, which use sliding-window
//! attention (`set_swa_pattern`), which are recurrent, and how MLA is cached.

use cabe_core::hardware::{Backend, HardwareSpec, MemoryKind};
use cabe_core::model::{
    Layer, LayerKind, Mla, ModelSpec, Moe, Projector, SlidingWindow, Ssm, SsmKind,
};
use serde::{Deserialize, Serialize};

/// Bytes in one GB as marketed for memory (a "64 GB" machine has 64 GiB).
pub const GIB: f64 = (1u64 << 30) as f64;

#[derive(Deserialize)]
pub(crate) struct ModelFile {
    #[serde(default)]
    pub model: Vec<RawModel>,
}

#[derive(Deserialize)]
pub(crate) struct HardwareFile {
    #[serde(default)]
    pub hardware: Vec<RawHardware>,
}

/// What a catalog model is for, which decides how it is run and ranked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// A text generation model (the default).
    #[default]
    Chat,
    /// Chats, and reads images through a separate projector GGUF (`--mmproj`); without it the
    /// file is a text model.
    Vision,
    /// Turns text into vectors (`llama-server --embedding`); no generation.
    Embedding,
    /// Scores query/document pairs (`llama-server --reranking`); no generation.
    Reranker,
}

/// Which price a row's `price_usd` is: prices move after launch, so the output says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PriceKind {
    /// The vendor's list price (launch MSRP).
    List,
    /// What a retailer asked on `price_date`.
    Street,
}

/// Where a machine's price comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PriceSource {
    pub url: String,
    /// `YYYY-MM`.
    pub date: String,
    pub kind: PriceKind,
}

/// A value given once for all layers, or once per layer.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum PerLayer {
    All(u32),
    Each(Vec<u32>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawModel {
    pub id: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub name: String,
    pub hf_id: String,
    pub architecture: String,
    /// Absent = chat.
    #[serde(default)]
    pub kind: ModelKind,
    pub params_b: f64,
    pub active_params_b: Option<f64>,
    pub n_layer: u32,
    pub n_embd: u64,
    pub n_ff: u64,
    pub n_head: u32,
    pub n_head_kv: PerLayer,
    pub head_dim: Option<u64>,
    pub n_vocab: u64,
    pub native_ctx: u64,
    pub tied_embeddings: bool,
    /// The GGUFs people run carry a separate `output.weight` although the HF config ties the
    /// embeddings (converters write the checkpoint's lm_head); cabe sizes those files.
    #[serde(default)]
    pub gguf_unties_embeddings: bool,
    // MoE
    pub n_expert: Option<u32>,
    pub n_expert_used: Option<u32>,
    pub n_expert_shared: Option<u32>,
    pub expert_ff: Option<u64>,
    pub shared_ff: Option<u64>,
    pub leading_dense: Option<u32>,
    // Sliding-window attention
    pub sliding_window: Option<u64>,
    pub swa_pattern: Option<u32>,
    pub swa_dense_first: Option<bool>,
    // MLA
    pub q_lora_rank: Option<u64>,
    pub kv_lora_rank: Option<u64>,
    pub rope_dim: Option<u64>,
    pub qk_nope_dim: Option<u64>,
    pub v_head_dim: Option<u64>,
    // Recurrent
    pub ssm_kind: Option<SsmKind>,
    pub ssm_d_conv: Option<u64>,
    pub ssm_d_inner: Option<u64>,
    pub ssm_d_state: Option<u64>,
    pub ssm_n_group: Option<u64>,
    pub ssm_dt_rank: Option<u64>,
    pub ssm_wkv_head_size: Option<u64>,
    pub ssm_token_shift_count: Option<u64>,
    pub full_attention_interval: Option<u32>,
    // Vision
    pub projector_params_b: Option<f64>,
    // Provenance
    pub family: String,
    pub released: String,
    pub license: String,
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHardware {
    pub id: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub name: String,
    pub kind: MemoryKind,
    pub backend: Backend,
    pub ram_gb: f64,
    #[serde(default)]
    pub vram_gb: f64,
    #[serde(default)]
    pub gpu_count: u32,
    pub bandwidth_gbps: f64,
    #[serde(default)]
    pub ram_bandwidth_gbps: f64,
    #[serde(default)]
    pub fp16_tflops: f64,
    /// "tensor" (tensor/matrix-core dense figure) or "shader" (the default).
    #[serde(default)]
    pub fp16_tflops_kind: Option<String>,
    pub gpu_memory_fraction: Option<f64>,
    pub price_usd: Option<f64>,
    /// Where `price_usd` comes from: a public https page (the vendor's announcement or store
    /// page, or a press report of it), the month it gives the price for, and which price it is.
    pub price_source: Option<String>,
    pub price_date: Option<String>,
    pub price_kind: Option<PriceKind>,
    pub released: String,
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

/// How a SWA pattern reads to a person.
fn describe_pattern(n: u32, dense_first: bool) -> String {
    match (n, dense_first) {
        (2, false) => "alternating: even layers local, odd layers global".into(),
        (2, true) => "alternating: even layers global, odd layers local".into(),
        (n, false) => format!("{} local : 1 global", n - 1),
        (n, true) => format!("1 global : {} local", n - 1),
    }
}

fn need<T: Copy>(v: Option<T>, field: &str, group: &str) -> Result<T, String> {
    v.ok_or_else(|| format!("{group} needs `{field}`"))
}

fn gb_to_bytes(gb: f64) -> u64 {
    (gb * GIB).round() as u64
}

fn opt_positive(x: f64) -> Option<f64> {
    (x > 0.0).then_some(x)
}

impl RawModel {
    /// The model as the estimator sees it.
    pub(crate) fn to_spec(&self) -> Result<ModelSpec, String> {
        if self.n_layer == 0 {
            return Err("n_layer is 0".into());
        }
        if self.n_head == 0 {
            return Err("n_head is 0".into());
        }
        let n_layer = self.n_layer as usize;
        let kv_of = |il: usize| -> u32 {
            match &self.n_head_kv {
                PerLayer::All(v) => *v,
                PerLayer::Each(v) => v[il],
            }
        };
        if let PerLayer::Each(v) = &self.n_head_kv {
            if v.len() != n_layer {
                return Err(format!(
                    "n_head_kv has {} values for {} layers",
                    v.len(),
                    n_layer
                ));
            }
        }

        // MoE: every layer from `leading_dense` on has routed experts.
        let moe = match self.n_expert {
            None => {
                if self.n_expert_used.is_some() || self.expert_ff.is_some() {
                    return Err("n_expert_used / expert_ff given without n_expert".into());
                }
                None
            }
            Some(n_expert) => Some(Moe {
                n_expert,
                n_expert_used: need(self.n_expert_used, "n_expert_used", "an MoE model")?,
                n_expert_shared: self.n_expert_shared.unwrap_or(0),
                expert_ff: need(self.expert_ff, "expert_ff", "an MoE model")?,
                shared_ff: self.shared_ff.unwrap_or(0),
                leading_dense: self.leading_dense.unwrap_or(0),
            }),
        };

        // MLA: llama.cpp's MLA GGUF layout caches one "head" of kv_lora + rope for K and
        // kv_lora for V (https://github.com/ggml-org/llama.cpp/pull/12801).
        let mla = match self.kv_lora_rank {
            None => None,
            Some(kv_lora_rank) => Some(Mla {
                q_lora_rank: self.q_lora_rank.unwrap_or(0),
                kv_lora_rank,
                rope_dim: need(self.rope_dim, "rope_dim", "MLA")?,
                qk_nope_dim: need(self.qk_nope_dim, "qk_nope_dim", "MLA")?,
                v_head_dim: need(self.v_head_dim, "v_head_dim", "MLA")?,
            }),
        };

        let ssm = match self.ssm_kind {
            None => None,
            Some(kind) => Some(Ssm {
                kind,
                d_conv: need(self.ssm_d_conv, "ssm_d_conv", "a recurrent model")?,
                d_inner: self.ssm_d_inner.unwrap_or(0),
                d_state: self.ssm_d_state.unwrap_or(0),
                n_group: self.ssm_n_group.unwrap_or(0),
                dt_rank: self.ssm_dt_rank.unwrap_or(0),
                wkv_head_size: self.ssm_wkv_head_size.unwrap_or(0),
                token_shift_count: self.ssm_token_shift_count.unwrap_or(0),
            }),
        };
        if self.full_attention_interval.is_some() && ssm.is_none() {
            return Err("full_attention_interval needs ssm_kind".into());
        }
        if self.full_attention_interval == Some(0) {
            return Err("full_attention_interval is 0".into());
        }

        let mut layers = Vec::with_capacity(n_layer);
        for il in 0..n_layer {
            let kv = kv_of(il);
            let kind = match self.full_attention_interval {
                // (il + 1) % n == 0: the last layer of each group of n.
                Some(n) if il as u32 % n == n - 1 => LayerKind::Attention,
                Some(_) => LayerKind::Recurrent,
                None if kv > 0 => LayerKind::Attention,
                None if ssm.is_some() => LayerKind::Recurrent,
                None => LayerKind::FfnOnly,
            };
            let n_head_kv = match kind {
                LayerKind::Attention if mla.is_some() => 1,
                LayerKind::Attention if kv == 0 => {
                    return Err(format!("attention layer {il} has n_head_kv 0"));
                }
                LayerKind::Attention => kv,
                _ => 0,
            };
            let is_moe = moe.as_ref().is_some_and(|m| il as u32 >= m.leading_dense);
            layers.push(Layer {
                kind,
                n_head: self.n_head,
                n_head_kv,
                n_ff: if is_moe { 0 } else { self.n_ff },
                swa: false,
                moe: is_moe,
            });
        }

        let (head_dim_k, head_dim_v) = match &mla {
            Some(m) => (m.kv_lora_rank + m.rope_dim, m.kv_lora_rank),
            None => {
                let hd = self.head_dim.unwrap_or(self.n_embd / self.n_head as u64);
                (hd, hd)
            }
        };

        let mut spec = ModelSpec {
            name: self.name.clone(),
            architecture: self.architecture.clone(),
            n_embd: self.n_embd,
            n_vocab: self.n_vocab,
            native_ctx: self.native_ctx,
            head_dim_k,
            head_dim_v,
            layers,
            tied_embeddings: self.tied_embeddings && !self.gguf_unties_embeddings,
            moe,
            swa: None,
            mla,
            ssm,
            projector: self.projector_params_b.map(|b| Projector {
                params: (b * 1e9).round() as u64,
                bytes: None,
            }),
        };

        match (self.sliding_window, self.swa_pattern) {
            (None, None) => {}
            (Some(window), Some(n)) if window > 0 && n >= 2 => {
                let dense_first = self.swa_dense_first.unwrap_or(false);
                spec.set_swa_pattern(n, dense_first);
                for l in &mut spec.layers {
                    l.swa &= l.kind == LayerKind::Attention;
                }
                spec.swa = Some(SlidingWindow {
                    window,
                    pattern: describe_pattern(n, dense_first),
                });
            }
            _ => {
                return Err(
                    "sliding_window and swa_pattern go together (window > 0, pattern >= 2)".into(),
                )
            }
        }
        Ok(spec)
    }
}

impl RawHardware {
    /// The price's provenance: all three fields or none, and only beside a price, so that a
    /// figure shown as sourced always has a page and a month behind it.
    pub(crate) fn price_source(&self) -> Result<Option<PriceSource>, String> {
        match (&self.price_source, &self.price_date, self.price_kind) {
            (None, None, None) => Ok(None),
            (Some(url), Some(date), Some(kind)) => {
                if self.price_usd.is_none() {
                    return Err("price_source without price_usd".into());
                }
                if !url.starts_with("https://") || url.contains(' ') {
                    return Err(format!("price_source must be one https URL, not {url:?}"));
                }
                let b = date.as_bytes();
                let month_ok = b.len() == 7
                    && b[4] == b'-'
                    && date[..4]
                        .parse::<u32>()
                        .is_ok_and(|y| (2000..=2100).contains(&y))
                    && date[5..]
                        .parse::<u32>()
                        .is_ok_and(|m| (1..=12).contains(&m));
                if !month_ok {
                    return Err(format!("price_date must be YYYY-MM, not {date:?}"));
                }
                Ok(Some(PriceSource {
                    url: url.clone(),
                    date: date.clone(),
                    kind,
                }))
            }
            _ => Err("price_source, price_date and price_kind go together".into()),
        }
    }

    pub(crate) fn to_spec(&self) -> Result<HardwareSpec, String> {
        match self.kind {
            MemoryKind::DiscreteGpu if self.vram_gb <= 0.0 || self.gpu_count == 0 => {
                return Err("a discrete-gpu machine needs vram_gb > 0 and gpu_count >= 1".into())
            }
            MemoryKind::Unified | MemoryKind::CpuOnly
                if self.vram_gb != 0.0 || self.gpu_count != 0 =>
            {
                return Err("only discrete-gpu machines have vram_gb / gpu_count".into())
            }
            _ => {}
        }
        Ok(HardwareSpec {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: self.kind,
            backend: self.backend,
            ram_bytes: gb_to_bytes(self.ram_gb),
            vram_bytes: gb_to_bytes(self.vram_gb),
            gpu_count: self.gpu_count,
            bandwidth_gbps: self.bandwidth_gbps,
            ram_bandwidth_gbps: opt_positive(self.ram_bandwidth_gbps),
            fp16_tflops: opt_positive(self.fp16_tflops),
            fp16_is_tensor: match self.fp16_tflops_kind.as_deref() {
                None | Some("shader") => false,
                Some("tensor") => true,
                Some(other) => {
                    return Err(format!(
                        "fp16_tflops_kind must be \"tensor\" or \"shader\", not {other:?}"
                    ))
                }
            },
            gpu_memory_fraction: self.gpu_memory_fraction,
            price_usd: self.price_usd,
        })
    }
}
