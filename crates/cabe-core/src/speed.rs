//! How fast: decode (token generation) and prefill (prompt processing) rates, time to first
//! token, and the ceilings that no claim can beat.
//!
//! The model (`docs/speed.md`; its sources in `docs/sources.md`):
//! - decode is memory-bandwidth-bound: each token reads every *active* weight once (for MoE only
//!   `n_expert_used / n_expert` of the routed experts) plus the KV cache so far; with layers
//!   split between devices the times add (`Σ bytes_dev / (η_dev × BW_dev)`);
//! - prefill is compute-bound: ≈ 2 × active params FLOPs per token plus attention,
//!   4 × n_head × head_dim FLOPs per (query, key) pair per attention layer, over the keys each
//!   query sees (all earlier tokens, or the window on SWA layers);
//! - efficiencies η are data (`data/speed.toml`) with a range; results are ranges with the
//!   theoretical ceiling (η = 1), never one bare number.

use crate::kv::RuntimeProfile;
use crate::model::ModelSpec;
use crate::plan::{MemoryPlan, Verdict};
use crate::units::fmt_int;
use crate::weights::Weights;
use serde::{Deserialize, Serialize};

/// `[low, typical, high]` efficiency.
pub type EffRange = [f64; 3];

/// Efficiency factors for one backend (a row of `data/speed.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Efficiency {
    pub decode: EffRange,
    /// Seconds each generated token spends per layer beyond reading its bytes (kernel
    /// launches and synchronisation): a per-token floor that keeps small models on big GPUs
    /// from being predicted at absurd rates. Fitted with the decode efficiency on published
    /// llama-bench rows (ACCURACY.md); 0 where not measured.
    pub decode_layer_overhead_s: f64,
    /// Routed experts in prefill: llama.cpp's `MUL_MAT_ID` multiplies each expert by the
    /// tokens routed to it in a micro-batch, `t = n_ubatch × n_expert_used / n_expert` of them,
    /// and such small matrix products run below the dense rate. Their share of the dense
    /// efficiency is taken as `t / (t + h)` with this `h` (tokens); 0 where not measured (no
    /// penalty: the CPU path measures its experts itself).
    #[serde(default)]
    pub prefill_expert_half_tokens: f64,
    /// Relative to a shader FP16 TFLOPS figure.
    pub prefill_shader: EffRange,
    /// Relative to a tensor/matrix-core TFLOPS figure.
    pub prefill_tensor: EffRange,
    pub source: String,
}

/// A rate or a time as a range, with the ceiling at efficiency 1 (for rates) or the floor
/// (for times).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Range {
    pub low: f64,
    pub typical: f64,
    pub high: f64,
    /// Rates: the theoretical maximum (η = 1). Times: the theoretical minimum.
    pub bound: f64,
}

impl Range {
    fn rate(per_eff: impl Fn(f64) -> f64, eff: EffRange) -> Range {
        Range {
            low: per_eff(eff[0]),
            typical: per_eff(eff[1]),
            high: per_eff(eff[2]),
            bound: per_eff(1.0),
        }
    }
    /// Seconds for `work` at this rate: low time from the high rate and vice versa.
    pub fn time_for(&self, work: f64) -> Range {
        Range {
            low: work / self.high,
            typical: work / self.typical,
            high: work / self.low,
            bound: work / self.bound,
        }
    }
    /// The range scaled by a measured correction (calibration / past benchmarks).
    pub fn scaled(&self, factor: f64) -> Range {
        Range {
            low: self.low * factor,
            typical: self.typical * factor,
            high: self.high * factor,
            bound: self.bound,
        }
    }
}

/// Where the weights live when they do not all fit on the fast device.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Default)]
pub struct Placement {
    /// Share (0..=1) of the per-token weight and KV bytes read from system RAM by the CPU.
    pub cpu_fraction: f64,
}

impl Placement {
    /// Where a memory plan puts the bytes a token reads: the routed experts `--n-cpu-moe`
    /// keeps in system RAM (their active share), and with a spill the spilled part of the
    /// weights and KV cache (llama.cpp offloads whole layers; an average layer is assumed).
    pub fn from_plan(plan: &MemoryPlan, w: &Weights) -> Placement {
        let mem = &plan.memory;
        let experts = mem.cpu_experts;
        let spill = if plan.verdict == Verdict::FitsWithOffload {
            (mem.total_bytes - experts.bytes).saturating_sub(plan.capacity.fast_bytes)
        } else {
            0
        };
        let expert_share = experts.bytes_active as f64 / w.bytes_active.max(1) as f64;
        let rest = (mem.weights_bytes - experts.bytes + mem.kv_cache_bytes).max(1) as f64;
        let spill_share = (spill as f64 / rest) * (1.0 - expert_share);
        Placement {
            cpu_fraction: (expert_share + spill_share).clamp(0.0, 1.0),
        }
    }
}

/// The memory and compute a machine offers the speed model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpeedDevice {
    /// Peak bandwidth of the fast memory, GB/s.
    pub bandwidth_gbps: f64,
    /// Peak bandwidth of system RAM for offloaded layers, GB/s (None: same as fast memory).
    pub ram_bandwidth_gbps: Option<f64>,
    pub fp16_tflops: Option<f64>,
    pub fp16_is_tensor: bool,
    pub efficiency: Efficiency,
    /// Efficiency of the CPU for the offloaded part.
    pub cpu_efficiency: Efficiency,
}

/// Bytes of K and V one token adds to the cache, per attention layer (and whether it is SWA).
fn kv_bytes_per_token(m: &ModelSpec, p: &RuntimeProfile) -> Vec<(bool, u64)> {
    m.attention_layers()
        .map(|(_, l)| {
            let k = p
                .type_k
                .ggml()
                .row_bytes(l.n_head_kv as u64 * m.head_dim_k)
                .unwrap_or(0);
            let v = if m.mla.is_some() {
                0
            } else {
                p.type_v
                    .ggml()
                    .row_bytes(l.n_head_kv as u64 * m.head_dim_v)
                    .unwrap_or(0)
            };
            (l.swa, k + v)
        })
        .collect()
}

/// Bytes read to generate one token at context position `pos`.
pub fn decode_bytes_per_token(m: &ModelSpec, w: &Weights, p: &RuntimeProfile, pos: u64) -> u64 {
    let kv: u64 = kv_bytes_per_token(m, p)
        .iter()
        .map(|&(swa, b)| b * attention_keys(m, swa, pos))
        .sum();
    // Recurrent state is read and written once per token.
    let rec = crate::kv::kv_cache(
        m,
        &RuntimeProfile {
            ctx: 256,
            ..p.clone()
        },
    )
    .recurrent_bytes
        / p.n_seq.max(1) as u64;
    w.bytes_active + kv + 2 * rec
}

/// Decode tokens/s at context position `pos`.
pub fn decode_rate(
    m: &ModelSpec,
    w: &Weights,
    p: &RuntimeProfile,
    pos: u64,
    dev: &SpeedDevice,
    place: Placement,
) -> Range {
    let bytes = decode_bytes_per_token(m, w, p, pos) as f64;
    let cpu = place.cpu_fraction.clamp(0.0, 1.0);
    let fast_bw = dev.bandwidth_gbps * 1e9;
    let ram_bw = dev.ram_bandwidth_gbps.unwrap_or(dev.bandwidth_gbps) * 1e9;
    let eff = dev.efficiency.decode;
    let cpu_eff = dev.cpu_efficiency.decode;
    // Devices run in sequence under llama.cpp's layer split, so their times add.
    let at = |i: usize, scale_eff: Option<f64>| {
        let (e_fast, e_cpu) = match scale_eff {
            Some(x) => (x, x),
            None => (eff[i], cpu_eff[i]),
        };
        let t = bytes * (1.0 - cpu) / (e_fast * fast_bw) + bytes * cpu / (e_cpu * ram_bw);
        // The ceiling (efficiency 1) reads the bytes and nothing else; the ranges pay the
        // device's per-layer overhead on the layers it runs.
        let floor = match scale_eff {
            Some(_) => 0.0,
            None => dev.efficiency.decode_layer_overhead_s * m.n_layer() as f64 * (1.0 - cpu),
        };
        1.0 / (t + floor)
    };
    Range {
        low: at(0, None),
        typical: at(1, None),
        high: at(2, None),
        bound: at(0, Some(1.0)),
    }
}

/// FLOPs to process a prompt of `n` fresh tokens: matmuls plus attention over earlier tokens.
pub fn prefill_flops(m: &ModelSpec, w: &Weights, n: u64) -> f64 {
    // The output head runs for the last token only: llama.cpp computes logits for the
    // tokens whose batch flag asks for them, and a prompt asks for its last (llama-server's
    // prompt processing, llama-bench's pp; `src/llama-context.cpp` `decode`, n_outputs).
    let head = output_head_params(m, w) as f64;
    let matmul = 2.0 * (w.params_active as f64 - head) * n as f64 + 2.0 * head;
    let k_dim = attention_head_dim(m);
    let attn: f64 = m
        .attention_layers()
        .map(|(_, l)| 4.0 * l.n_head as f64 * k_dim * attention_pairs(m, l.swa, n))
        .sum();
    matmul + attn
}

/// The per-head width attention multiplies over: the K head dim, or for MLA the mean of the
/// decompressed K (qk_nope + rope) and V widths.
pub fn attention_head_dim(m: &ModelSpec) -> f64 {
    match &m.mla {
        Some(x) => (x.qk_nope_dim + x.rope_dim + x.v_head_dim) as f64 / 2.0,
        None => m.head_dim_k as f64,
    }
}

/// Keys the token at position `pos` attends to in one layer: all earlier ones, or the window
/// on a sliding-window layer.
pub fn attention_keys(m: &ModelSpec, swa: bool, pos: u64) -> u64 {
    match (swa, m.swa.as_ref().map(|s| s.window)) {
        (true, Some(wd)) => pos.min(wd),
        _ => pos,
    }
}

/// (query, key) pairs a prompt of `n` tokens attends over in one layer: Σ over queries of the
/// keys each sees — n(n+1)/2 for causal attention; with a sliding window w, min(i, w).
pub fn attention_pairs(m: &ModelSpec, swa: bool, n: u64) -> f64 {
    let nf = n as f64;
    match (swa, m.swa.as_ref().map(|s| s.window)) {
        (true, Some(wd)) if wd < n => {
            let wd = wd as f64;
            wd * (wd + 1.0) / 2.0 + (nf - wd) * wd
        }
        _ => nf * (nf + 1.0) / 2.0,
    }
}

/// Parameters of the output head (`output.weight`, or the token embedding when it is tied).
pub fn output_head_params(m: &ModelSpec, w: &Weights) -> u64 {
    let name = if m.tied_embeddings {
        "token_embd.weight"
    } else {
        "output.weight"
    };
    w.tensors
        .iter()
        .filter(|t| &*t.name == name)
        .map(|t| t.dims.iter().product::<u64>())
        .sum()
}

/// FLOPs of a prompt's routed-expert matrix products (the `n_expert_used / n_expert` of the
/// expert tensors each token runs through): the part of [`prefill_flops`] that llama.cpp runs
/// through `MUL_MAT_ID`.
pub fn routed_expert_prefill_flops(m: &ModelSpec, w: &Weights, n: u64) -> f64 {
    let Some(frac) = m
        .moe
        .as_ref()
        .filter(|x| x.n_expert > 0)
        .map(|x| x.n_expert_used as f64 / x.n_expert as f64)
    else {
        return 0.0;
    };
    let params: u64 = w
        .tensors
        .iter()
        .filter(|t| crate::weights::is_routed_expert(&t.name))
        .map(|t| t.dims.iter().product::<u64>())
        .sum();
    2.0 * params as f64 * frac * n as f64
}

/// Tokens each routed expert multiplies at once in a prompt of `n` tokens run in micro-batches
/// of `n_ubatch`: `min(n, n_ubatch) × n_expert_used / n_expert` (on average; routing spreads
/// tokens over the experts).
pub fn tokens_per_expert(m: &ModelSpec, n: u64, n_ubatch: u64) -> f64 {
    m.moe.as_ref().filter(|x| x.n_expert > 0).map_or(0.0, |x| {
        n.min(n_ubatch.max(1)) as f64 * x.n_expert_used as f64 / x.n_expert as f64
    })
}

/// The share of the dense prefill efficiency routed experts reach with `t` tokens each:
/// `t / (t + h)` (1 when `h` is 0 or the model has no routed experts).
pub fn expert_prefill_share(t: f64, half_tokens: f64) -> f64 {
    if half_tokens <= 0.0 || t <= 0.0 {
        1.0
    } else {
        t / (t + half_tokens)
    }
}

/// Prefill rate (tokens/s averaged over a prompt of `n` tokens run in micro-batches of
/// `n_ubatch`) on the device's compute, or `None` when the device lists no compute figure
/// (CPU-only machines need calibration).
///
/// The dense matrix products run at the device's prefill efficiency; a mixture of experts'
/// routed experts at [`expert_prefill_share`] of it, as few tokens reach each expert.
///
/// With partial offload llama.cpp copies offloaded weights to the GPU for large batches
/// ("op offload"; llama.cpp's `--no-op-offload` turns it off), so prefill stays on the fast device's compute; PCIe can then
/// bound it, which this model does not include.
pub fn prefill_rate(
    m: &ModelSpec,
    w: &Weights,
    n: u64,
    n_ubatch: u64,
    dev: &SpeedDevice,
) -> Option<Range> {
    let tflops = dev.fp16_tflops?;
    let n = n.max(1);
    let flops = prefill_flops(m, w, n);
    let experts = routed_expert_prefill_flops(m, w, n).min(flops);
    let share = expert_prefill_share(
        tokens_per_expert(m, n, n_ubatch),
        dev.efficiency.prefill_expert_half_tokens,
    );
    // Dense-rate-equivalent FLOPs: the experts' take 1/share as long.
    let work = flops - experts + experts / share;
    let eff = if dev.fp16_is_tensor {
        dev.efficiency.prefill_tensor
    } else {
        dev.efficiency.prefill_shader
    };
    let peak = tflops * 1e12;
    Some(Range::rate(|e| n as f64 * e * peak / work, eff))
}

/// A prompt's prefill time in seconds, from a given (measured or stated) rate in tokens/s.
pub fn prefill_seconds_at(n: u64, rate_tps: f64) -> f64 {
    n as f64 / rate_tps
}

/// "367 s (6 min 7 s)".
pub fn fmt_seconds(s: f64) -> String {
    let whole = s.round() as u64;
    if whole >= 60 {
        format!("{} s ({} min {} s)", fmt_int(whole), whole / 60, whole % 60)
    } else if s >= 10.0 {
        format!("{whole} s")
    } else {
        format!("{s:.2} s")
    }
}

/// Whether a claimed decode rate is above what the memory can deliver: such a claim needs
/// speculative decoding, smaller weights or a misreading.
pub fn claim_exceeds_ceiling(claimed_tps: f64, ceiling: &Range) -> bool {
    claimed_tps > ceiling.bound
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quant::FileType;
    use crate::weights::for_file_type;

    fn eff() -> Efficiency {
        Efficiency {
            decode_layer_overhead_s: 0.0,
            prefill_expert_half_tokens: 0.0,
            decode: [0.5, 0.75, 0.9],
            prefill_shader: [1.0, 2.0, 2.5],
            prefill_tensor: [0.2, 0.3, 0.5],
            source: "test".into(),
        }
    }

    fn llama8b() -> ModelSpec {
        crate::model::test_models::llama_3_1_8b()
    }

    #[test]
    fn decode_is_bandwidth_over_active_bytes() {
        let m = llama8b();
        let w = for_file_type(&m, FileType::Q4_K_M);
        let dev = SpeedDevice {
            bandwidth_gbps: 800.0,
            ram_bandwidth_gbps: None,
            fp16_tflops: Some(27.2),
            fp16_is_tensor: false,
            efficiency: eff(),
            cpu_efficiency: eff(),
        };
        let p = RuntimeProfile::new(4096);
        let r = decode_rate(&m, &w, &p, 0, &dev, Placement::default());
        // At position 0 only weights are read (less the input embedding).
        let expect = 800e9 / w.bytes_active as f64;
        assert!((r.bound - expect).abs() / expect < 1e-9);
        assert!(r.low < r.typical && r.typical < r.high && r.high < r.bound);
        // KV reads slow it down at long context: 128 KiB per token
        // (2 × 32 layers × 8 KV heads × 128 × 2 bytes).
        assert_eq!(
            decode_bytes_per_token(&m, &w, &p, 8192) - w.bytes_active,
            8192 * 128 * 1024
        );
        // Half the bytes from 80 GB/s RAM dominates the time.
        let slow = decode_rate(
            &m,
            &w,
            &p,
            0,
            &SpeedDevice {
                ram_bandwidth_gbps: Some(80.0),
                ..dev.clone()
            },
            Placement { cpu_fraction: 0.5 },
        );
        assert!(slow.bound < r.bound / 5.0);
    }

    #[test]
    fn prefill_flops_include_quadratic_attention() {
        let m = llama8b();
        let w = for_file_type(&m, FileType::Q4_K_M);
        let f1 = prefill_flops(&m, &w, 1000);
        let f2 = prefill_flops(&m, &w, 2000);
        // Matmuls double; attention quadruples: the ratio is between 2 and 4.
        assert!(f2 / f1 > 2.0 && f2 / f1 < 4.0);
    }

    #[test]
    fn the_timeout_case_is_arithmetic() {
        // 146,760 tokens at 400 tok/s against a 300 s client timeout (the motivating case).
        let s = prefill_seconds_at(146_760, 400.0);
        assert_eq!(s.round() as u64, 367);
        assert_eq!(fmt_seconds(s), "367 s (6 min 7 s)");
    }
}
