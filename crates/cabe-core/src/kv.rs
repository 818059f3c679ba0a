//! The KV cache and recurrent state, sized as llama.cpp allocates them.
//!
//! Sources (llama.cpp as vendored in llama-cpp-python 0.3.36):
//! - `src/llama-context.cpp`: `n_ctx` is padded to a multiple of 256; with a unified cache one
//!   stream holds `n_ctx` cells, otherwise each of `n_seq` streams holds `pad256(n_ctx / n_seq)`.
//! - `src/llama-kv-cache.cpp`: per attention layer a K tensor `[n_embd_k_gqa, cells, n_stream]`
//!   of type_k and a V tensor `[n_embd_v_gqa, cells, n_stream]` of type_v; MLA models store K
//!   only (the latent), no V. Without flash attention V is transposed and every layer's V is as
//!   wide as the widest.
//! - `src/llama-kv-cache-iswa.cpp`: SWA layers get `pad256(min(cells, n_swa × (unified ? n_seq : 1)
//!   + n_ubatch))` cells unless `--swa-full` (n_ubatch as the context caps it:
//!   [`RuntimeProfile::micro_batch`]).
//!
//! Checked byte for byte against llama.cpp by the ground-truth harness (`crates/cabe-truth`,
//! ACCURACY.md): every architecture, K/V type, context, sequence layout and FA setting.
//! - `src/llama-hparams.cpp` `n_embd_r`/`n_embd_s`: recurrent state is F32, `max(1, n_seq)` cells.

use crate::model::{ModelSpec, SsmKind};
use crate::quant::KvType;
use crate::units::{fmt_bytes, fmt_int};
use serde::Serialize;

/// Runtime settings that change memory, with llama-server's defaults (`tools/server/README.md`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuntimeProfile {
    /// Requested context (`-c`), total over sequences.
    pub ctx: u64,
    pub type_k: KvType,
    pub type_v: KvType,
    /// Parallel sequences (`-np`).
    pub n_seq: u32,
    /// One KV pool shared by all sequences (`--kv-unified`).
    pub kv_unified: bool,
    pub flash_attn: bool,
    /// Logical batch (`-b`, 2048) and physical micro-batch (`-ub`, 512).
    pub n_batch: u32,
    pub n_ubatch: u32,
    /// `--swa-full`: SWA layers keep the whole context.
    pub swa_full: bool,
    /// Most logits rows one micro-batch may produce (llama.cpp's `n_outputs_max`), which sizes
    /// the logits stage of the compute graph: 0 = every token of the micro-batch
    /// (llama-completion, llama-bench, Ollama's runner and llama.cpp before `n_outputs_max`
    /// existed); llama-server and llama-cli set it to the number of slots.
    pub n_outputs_max: u32,
    /// `--n-cpu-moe N`: the routed experts of the first N blocks stay in system RAM
    /// (`u32::MAX`: `--cpu-moe`, every block). Only a discrete GPU machine holds them apart.
    pub n_cpu_moe: u32,
}

/// Why llama.cpp would refuse to create a context with these cache settings, if it would
/// (`llama_init_from_model` and `llama_context::llama_context` in `src/llama-context.cpp`,
/// llama.cpp b11312): MLA models need one type for K and V; a quantized V cache needs flash
/// attention; with flash attention a quantized K (V) type's block must divide the K (V) head
/// size.
pub fn refusal(m: &ModelSpec, p: &RuntimeProfile) -> Option<String> {
    if m.mla.is_some() && p.type_k != p.type_v {
        return Some(format!(
            "llama.cpp refuses different K ({}) and V ({}) cache types for an MLA model",
            p.type_k, p.type_v
        ));
    }
    if p.type_v.ggml().is_quantized() && !p.flash_attn {
        return Some(format!(
            "a quantized V cache ({}) needs flash attention in llama.cpp",
            p.type_v
        ));
    }
    if p.flash_attn {
        for (which, t, dim) in [("K", p.type_k, m.head_dim_k), ("V", p.type_v, m.head_dim_v)] {
            let block = t.ggml().block_size();
            if t.ggml().is_quantized() && dim > 0 && dim % block != 0 {
                return Some(format!(
                    "llama.cpp refuses a {which} cache of {t} here: its block of {block} does not divide the {which} head size {dim}"
                ));
            }
        }
    }
    None
}

impl RuntimeProfile {
    pub fn new(ctx: u64) -> RuntimeProfile {
        RuntimeProfile {
            ctx,
            type_k: KvType::F16,
            type_v: KvType::F16,
            n_seq: 1,
            kv_unified: true,
            flash_attn: true,
            n_batch: 2048,
            n_ubatch: 512,
            swa_full: false,
            n_outputs_max: 0,
            n_cpu_moe: 0,
        }
    }

    /// Tokens in the micro-batch llama.cpp reserves its graph for: `n_ubatch`, capped by the
    /// logical batch, which a causal model caps by the requested context
    /// (`src/llama-context.cpp`: `n_batch = min(n_ctx, n_batch)`, `n_ubatch = min(n_batch,
    /// n_ubatch)`, before n_ctx is padded).
    pub fn micro_batch(&self) -> u64 {
        let n_batch = (self.n_batch.max(1) as u64).min(self.ctx.max(1));
        (self.n_ubatch.max(1) as u64).min(n_batch)
    }

    /// Logits rows of the reserved micro-batch (`sched_reserve`: `min(n_tokens, n_outputs_max)`,
    /// where 0 means `n_batch`).
    pub fn reserved_outputs(&self) -> u64 {
        let t = self.micro_batch();
        match self.n_outputs_max {
            0 => t,
            n => t.min(n as u64),
        }
    }
}

fn pad(x: u64, to: u64) -> u64 {
    x.div_ceil(to) * to
}

/// Context cells as llama.cpp lays them out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cells {
    /// `n_ctx` after padding (and rounding down to a multiple of n_seq when split).
    pub n_ctx: u64,
    /// Cells per stream for full-attention layers (`n_ctx_seq`).
    pub per_stream: u64,
    pub n_stream: u64,
    /// Cells per stream for SWA layers.
    pub swa_per_stream: u64,
}

pub fn cells(m: &ModelSpec, p: &RuntimeProfile) -> Cells {
    let n_seq = p.n_seq.max(1) as u64;
    let mut n_ctx = pad(p.ctx.max(1), 256);
    let (per_stream, n_stream) = if p.kv_unified {
        (n_ctx, 1)
    } else {
        let per = pad(n_ctx / n_seq, 256).max(256);
        n_ctx = per * n_seq;
        (per, n_seq)
    };
    let swa_per_stream = match &m.swa {
        Some(w) if !p.swa_full => {
            let seqs = if p.kv_unified { n_seq } else { 1 };
            pad(per_stream.min(w.window * seqs + p.micro_batch()), 256)
        }
        _ => per_stream,
    };
    Cells {
        n_ctx,
        per_stream,
        n_stream,
        swa_per_stream,
    }
}

/// One layer's share of the cache.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerKv {
    pub layer: u32,
    pub swa: bool,
    pub cells: u64,
    pub k_bytes: u64,
    pub v_bytes: u64,
}

/// The whole KV cache plus recurrent state, with the arithmetic that produced it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KvCache {
    pub cells: Cells,
    pub layers: Vec<LayerKv>,
    pub k_bytes: u64,
    pub v_bytes: u64,
    /// Recurrent (R + S) state, F32, independent of context.
    pub recurrent_bytes: u64,
    pub total_bytes: u64,
    /// Human arithmetic, one line per group of identical layers.
    pub explain: Vec<String>,
    /// The same steps in figures (not serialized: `explain` carries them in English).
    #[serde(skip)]
    pub steps: Vec<KvStep>,
}

fn row_bytes(t: KvType, n: u64) -> u64 {
    // KV rows are whole blocks for every supported head size; fall back to f16 sizing otherwise.
    t.ggml().row_bytes(n).unwrap_or(n * 2)
}

pub fn kv_cache(m: &ModelSpec, p: &RuntimeProfile) -> KvCache {
    let c = cells(m, p);
    let mla = m.mla.is_some();
    // Quantized V needs flash attention; without it llama.cpp stores V transposed at max width.
    let v_width_max = m
        .attention_layers()
        .map(|(_, l)| l.n_head_kv as u64 * m.head_dim_v)
        .max()
        .unwrap_or(0);
    let mut layers = Vec::new();
    for (il, l) in m.attention_layers() {
        let cells_l = if l.swa {
            c.swa_per_stream
        } else {
            c.per_stream
        } * c.n_stream;
        let k_w = l.n_head_kv as u64 * m.head_dim_k;
        let v_w = if p.flash_attn {
            l.n_head_kv as u64 * m.head_dim_v
        } else {
            v_width_max
        };
        let k_bytes = row_bytes(p.type_k, k_w) * cells_l;
        let v_bytes = if mla {
            0
        } else {
            row_bytes(p.type_v, v_w) * cells_l
        };
        layers.push(LayerKv {
            layer: il as u32,
            swa: l.swa,
            cells: cells_l,
            k_bytes,
            v_bytes,
        });
    }
    let k_bytes: u64 = layers.iter().map(|l| l.k_bytes).sum();
    let v_bytes: u64 = layers.iter().map(|l| l.v_bytes).sum();

    let mut steps = Vec::new();
    // Group identical layers so the arithmetic reads like the example.
    let mut groups: Vec<(bool, u64, u64, u64, u64)> = Vec::new(); // swa, cells, n_kv, k_w, count
    for (il, l) in m.attention_layers() {
        let cells_l = layers
            .iter()
            .find(|x| x.layer == il as u32)
            .map_or(0, |x| x.cells);
        let key = (l.swa, cells_l, l.n_head_kv as u64, m.head_dim_k);
        match groups
            .iter_mut()
            .find(|g| (g.0, g.1, g.2, g.3) == (key.0, key.1, key.2, key.3))
        {
            Some(g) => g.4 += 1,
            None => groups.push((key.0, key.1, key.2, key.3, 1)),
        }
    }
    for (swa, cells_l, n_kv, hk, count) in &groups {
        let bytes: u64 = layers
            .iter()
            .filter(|x| x.swa == *swa && x.cells == *cells_l)
            .map(|x| x.k_bytes + x.v_bytes)
            .sum();
        let form = if mla {
            KvForm::Mla
        } else if p.type_k == p.type_v && m.head_dim_k == m.head_dim_v {
            KvForm::Same
        } else {
            KvForm::Split
        };
        steps.push(KvStep::Layers {
            tokens: *cells_l,
            layers: *count,
            swa: *swa,
            kv_heads: *n_kv,
            k_width: *hk,
            v_width: m.head_dim_v,
            k_elem: ElemSize::of(p.type_k),
            v_elem: ElemSize::of(p.type_v),
            form,
            bytes,
        });
    }
    if c.n_ctx != p.ctx {
        steps.push(KvStep::Padded {
            ctx: p.ctx,
            n_ctx: c.n_ctx,
        });
    }

    let recurrent_bytes = recurrent_state(m, p, &mut steps);
    KvCache {
        total_bytes: k_bytes + v_bytes + recurrent_bytes,
        cells: c,
        layers,
        k_bytes,
        v_bytes,
        recurrent_bytes,
        explain: steps.iter().map(KvStep::to_string).collect(),
        steps,
    }
}

fn recurrent_state(m: &ModelSpec, p: &RuntimeProfile, steps: &mut Vec<KvStep>) -> u64 {
    let n_rec = m.recurrent_layer_count() as u64;
    let Some(s) = &m.ssm else { return 0 };
    if n_rec == 0 {
        return 0;
    }
    let (r, st) = match s.kind {
        SsmKind::Rwkv => (s.token_shift_count * m.n_embd, m.n_embd * s.wkv_head_size),
        SsmKind::ShortConv => (m.n_embd * s.d_conv.saturating_sub(1), 0),
        SsmKind::Mamba | SsmKind::GatedDeltaNet => (
            s.d_conv.saturating_sub(1) * (s.d_inner + 2 * s.n_group * s.d_state),
            s.d_state * s.d_inner,
        ),
    };
    let seqs = p.n_seq.max(1) as u64;
    let bytes = 4 * (r + st) * n_rec * seqs;
    steps.push(KvStep::Recurrent {
        layers: n_rec,
        conv: r,
        state: st,
        seqs,
        bytes,
    });
    bytes
}

/// Bytes per element of a cache type: `size` bytes per block of `block` elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElemSize {
    pub size: u64,
    pub block: u64,
}

impl ElemSize {
    pub fn of(t: KvType) -> ElemSize {
        let g = t.ggml();
        ElemSize {
            size: g.type_size(),
            block: g.block_size(),
        }
    }
}

/// "2 bytes", "34/32 bytes".
impl std::fmt::Display for ElemSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.block == 1 {
            write!(f, "{} bytes", self.size)
        } else {
            write!(f, "{}/{} bytes", self.size, self.block)
        }
    }
}

/// How a group of layers stores its cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KvForm {
    /// The MLA latent, K only (no V).
    Mla,
    /// K and V of the same type and width.
    Same,
    /// K and V of different types or widths.
    Split,
}

/// One step of the cache's arithmetic, in figures: `Display` writes the English line of
/// [`KvCache::explain`]; the command line words it in other languages.
#[derive(Clone, Debug, PartialEq)]
pub enum KvStep {
    /// A group of identical attention layers.
    Layers {
        /// Cells of each layer (tokens, over all streams).
        tokens: u64,
        layers: u64,
        swa: bool,
        kv_heads: u64,
        /// Key width per head (the latent width for MLA).
        k_width: u64,
        /// Value width per head.
        v_width: u64,
        k_elem: ElemSize,
        v_elem: ElemSize,
        form: KvForm,
        bytes: u64,
    },
    /// The context llama.cpp pads to a multiple of 256.
    Padded { ctx: u64, n_ctx: u64 },
    /// The recurrent (conv + state) rows of hybrid and SSM models, f32.
    Recurrent {
        layers: u64,
        conv: u64,
        state: u64,
        seqs: u64,
        bytes: u64,
    },
}

impl std::fmt::Display for KvStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            KvStep::Layers {
                tokens,
                layers,
                swa,
                kv_heads,
                k_width,
                v_width,
                k_elem,
                v_elem,
                form,
                bytes,
            } => {
                let kind = if swa { " sliding-window" } else { "" };
                match form {
                    KvForm::Mla => write!(
                        f,
                        "{} tokens × {} MLA layers × {} latent (kv_lora_rank + rope) × {} (K only, V-less cache) = {}",
                        fmt_int(tokens),
                        layers,
                        k_width,
                        k_elem,
                        fmt_bytes(bytes)
                    ),
                    KvForm::Same => write!(
                        f,
                        "{} tokens × {}{} layers × {} KV heads × {} × 2 (K,V) × {} = {}",
                        fmt_int(tokens),
                        layers,
                        kind,
                        kv_heads,
                        k_width,
                        k_elem,
                        fmt_bytes(bytes)
                    ),
                    KvForm::Split => write!(
                        f,
                        "{} tokens × {}{} layers × {} KV heads × ({} × {} K + {} × {} V) = {}",
                        fmt_int(tokens),
                        layers,
                        kind,
                        kv_heads,
                        k_width,
                        k_elem,
                        v_width,
                        v_elem,
                        fmt_bytes(bytes)
                    ),
                }
            }
            KvStep::Padded { ctx, n_ctx } => write!(
                f,
                "context {} padded to {} (llama.cpp pads n_ctx to a multiple of 256)",
                fmt_int(ctx),
                fmt_int(n_ctx)
            ),
            KvStep::Recurrent {
                layers,
                conv,
                state,
                seqs,
                bytes,
            } => write!(
                f,
                "recurrent state: {} layers × ({} conv + {} state) × 4 bytes (f32) × {} seq = {}",
                layers,
                fmt_int(conv),
                fmt_int(state),
                seqs,
                fmt_bytes(bytes)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llama_cpp_refuses_what_it_refuses() {
        let mut m = crate::model::test_models::llama_3_1_8b();
        let mut p = RuntimeProfile::new(4096);
        assert_eq!(refusal(&m, &p), None);
        p.type_k = KvType::Q8_0;
        p.type_v = KvType::Q8_0;
        assert_eq!(refusal(&m, &p), None);
        p.flash_attn = false;
        assert!(refusal(&m, &p).unwrap().contains("needs flash attention"));
        // A quantized K with an f16 V is fine without flash attention...
        p.type_v = KvType::F16;
        assert_eq!(refusal(&m, &p), None);
        // ...but not for an MLA model, which takes one type for both.
        m.mla = Some(crate::model::Mla {
            q_lora_rank: 1536,
            kv_lora_rank: 512,
            rope_dim: 64,
            qk_nope_dim: 128,
            v_head_dim: 128,
        });
        assert!(refusal(&m, &p).unwrap().contains("MLA"));
        // Head size 80 (Phi-2) is not a multiple of q8_0's 32-value block.
        let mut phi = crate::model::test_models::llama_3_1_8b();
        phi.head_dim_k = 80;
        phi.head_dim_v = 80;
        let q8 = RuntimeProfile {
            type_k: KvType::Q8_0,
            type_v: KvType::Q8_0,
            ..RuntimeProfile::new(4096)
        };
        assert!(refusal(&phi, &q8).unwrap().contains("head size 80"));
    }

    /// Qwen3-Coder-30B-A3B: Qwen3-30B-A3B's shape with a 262,144-token context.
    fn qwen3_coder() -> ModelSpec {
        let mut m = crate::model::test_models::qwen3_30b_a3b();
        m.name = "qwen3-coder-30b-a3b".into();
        m.native_ctx = 262144;
        m
    }

    #[test]
    fn qwen3_coder_at_262k_is_24_gib_exactly() {
        let kv = kv_cache(&qwen3_coder(), &RuntimeProfile::new(262_144));
        assert_eq!(kv.total_bytes, 25_769_803_776);
        assert!(
            kv.explain[0].starts_with(
                "262,144 tokens × 48 layers × 4 KV heads × 128 × 2 (K,V) × 2 bytes = 24.0 GiB"
            ),
            "{}",
            kv.explain[0]
        );
    }

    #[test]
    fn context_is_padded_and_split_per_sequence() {
        let m = qwen3_coder();
        let mut p = RuntimeProfile::new(35_000);
        assert_eq!(cells(&m, &p).n_ctx, 35_072);
        p.kv_unified = false;
        p.n_seq = 4;
        p.ctx = 10_000;
        let c = cells(&m, &p);
        // pad256(10240/4 = 2560) = 2560 per stream.
        assert_eq!((c.per_stream, c.n_stream, c.n_ctx), (2560, 4, 10240));
    }

    #[test]
    fn swa_cells_use_the_effective_micro_batch() {
        // Gemma-3-1B-like: window 512, 5 local : 1 global. llama.cpp sizes the SWA cache with
        // the n_ubatch it runs, which -b caps: -b 256 -ub 512 gives pad256(512 + 256) = 768.
        let mut m = qwen3_coder();
        m.set_swa_pattern(6, false);
        m.swa = Some(crate::model::SlidingWindow {
            window: 512,
            pattern: "5 local : 1 global".into(),
        });
        let mut p = RuntimeProfile::new(32768);
        assert_eq!(cells(&m, &p).swa_per_stream, 1024);
        p.n_batch = 256;
        assert_eq!(cells(&m, &p).swa_per_stream, 768);
        // Four unified sequences share one SWA pool: pad256(min(32768, 4 × 512 + 256)).
        p.n_seq = 4;
        assert_eq!(cells(&m, &p).swa_per_stream, 2304);
    }

    #[test]
    fn quantized_cache_sizes() {
        let m = qwen3_coder();
        let mut p = RuntimeProfile::new(8192);
        p.type_k = KvType::Q8_0;
        p.type_v = KvType::Q8_0;
        // 8192 × 48 × 2 × 4 × 128 × 34/32
        assert_eq!(
            kv_cache(&m, &p).total_bytes,
            8192 * 48 * 2 * 4 * 128 * 34 / 32
        );
    }
}
