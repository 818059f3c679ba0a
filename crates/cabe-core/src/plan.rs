//! The memory plan: weights + KV cache + compute and output buffers + overheads against what
//! the machine can give, the verdict, and the largest context that fits.

use crate::hardware::{Backend, HardwareSpec, MemoryKind};
use crate::kv::{kv_cache, KvCache, RuntimeProfile};
use crate::model::ModelSpec;
use crate::units::{fmt_bytes, fmt_int, GIB};
use crate::weights::Weights;
use serde::Serialize;

/// Fixed reserves, each with where the figure comes from (reference §4.3, §4.5).
pub mod reserve {
    use crate::units::MIB;
    /// Ollama's `MinimumMemory()` per CUDA/ROCm GPU (`ml/device.go`).
    pub const GPU_DRIVER: u64 = 457 * MIB;
    /// Ollama's `MinimumMemory()` on Metal.
    pub const METAL_DRIVER: u64 = 512 * MIB;
    /// gguf-parser-go's `--platform-footprint` default for RAM (ggml contexts, scheduler, mmap
    /// bookkeeping of a CPU run).
    pub const CPU_RUNTIME: u64 = 150 * MIB;
}

/// Default OS reserve on machines whose model runs from system RAM: an assumption (a desktop
/// OS with a browser idles around 2 GiB), printed as such and overridable with `--os-reserve`.
pub const DEFAULT_OS_RESERVE: u64 = 2 * GIB;

/// The compute (graph) buffer estimate and its parts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComputeBuffer {
    pub bytes: u64,
    pub explain: Vec<String>,
}

/// llama.cpp reserves the worst-case graph for one micro-batch of `n_ubatch` tokens attending
/// over the whole cache (`llama_context::graph_reserve`), and the allocator reuses memory between
/// layers, so the buffer is the largest set of tensors alive at once. Estimated here as the
/// largest of the attention, FFN and output stages plus the graph inputs; checked against real
/// llama.cpp by the ground-truth harness (ACCURACY.md).
pub fn compute_buffer(m: &ModelSpec, p: &RuntimeProfile, kv: &KvCache) -> ComputeBuffer {
    let ub = p
        .n_ubatch
        .min(p.ctx.max(1).try_into().unwrap_or(u32::MAX))
        .max(1) as u64;
    let n_kv = kv.cells.per_stream * kv.cells.n_stream.min(p.n_seq.max(1) as u64);
    let e = m.n_embd;
    let heads = m.max_n_head() as u64;
    let hk = m.head_dim_k;
    let f32b = 4u64;
    // Graph inputs: token embeddings, positions, KQ mask (f16 with FA, f32 without).
    let mask = n_kv * ub * if p.flash_attn { 2 } else { 4 };
    let inputs = e * ub * f32b + mask;
    // Attention: without FA the KQ scores [n_kv, ub, n_head] f32 are materialized (and soft-maxed
    // in place); with FA only Q, the output and the f16 K/V views of one layer.
    let attn = if p.flash_attn {
        (heads * hk * ub * f32b) * 2 + n_kv * (m.max_n_head_kv() as u64 * hk) * 2 * 2
    } else {
        n_kv * ub * heads * f32b + heads * hk * ub * f32b * 2
    };
    // FFN: gate and up activations of the widest FFN (routed experts: the used ones per token).
    let ff = m.layers.iter().map(|l| l.n_ff).max().unwrap_or(0).max(
        m.moe
            .as_ref()
            .map_or(0, |x| x.expert_ff * x.n_expert_used as u64),
    );
    let ffn = ff * ub * f32b * 2 + e * ub * f32b;
    // Output: logits for every token of the micro-batch (reserve assumes all are outputs).
    let output = m.n_vocab * ub * f32b + e * ub * f32b;
    let stage = attn.max(ffn).max(output);
    let bytes = inputs + stage;
    let mut explain = vec![format!(
        "largest stage of one {}-token micro-batch: attention {} | FFN {} | logits {} × {} × 4 = {}",
        ub,
        fmt_bytes(attn),
        fmt_bytes(ffn),
        fmt_int(m.n_vocab),
        ub,
        fmt_bytes(output)
    )];
    explain.push(format!(
        "+ graph inputs (embeddings, {} mask {} × {}) {} = {}",
        if p.flash_attn { "f16" } else { "f32" },
        fmt_int(n_kv),
        ub,
        fmt_bytes(inputs),
        fmt_bytes(bytes)
    ));
    ComputeBuffer { bytes, explain }
}

/// llama.cpp's output buffer at start-up (`llama_context::output_reserve`): logits for
/// `n_seq` outputs, f32.
pub fn output_buffer(m: &ModelSpec, p: &RuntimeProfile) -> u64 {
    m.n_vocab * p.n_seq.max(1) as u64 * 4
}

/// What the machine can give a model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Capacity {
    /// Bytes the model may use where it runs fastest (VRAM, the GPU's share of unified memory,
    /// or RAM less the OS reserve).
    pub fast_bytes: u64,
    /// Bytes including a spill to system RAM (discrete GPUs only; = fast_bytes otherwise).
    pub total_bytes: u64,
    /// OS reserve subtracted from RAM.
    pub os_reserve: u64,
    /// Per-device runtime/driver reserve counted in the plan's overhead.
    pub runtime_reserve: u64,
    pub explain: Vec<String>,
}

pub fn capacity(hw: &HardwareSpec, os_reserve: u64) -> Capacity {
    let mut explain = Vec::new();
    match hw.kind {
        MemoryKind::Unified if hw.gpu_memory_fraction.is_some() => {
            let f = hw.gpu_memory_fraction.unwrap_or(1.0);
            let fast = (hw.ram_bytes as f64 * f) as u64;
            explain.push(format!(
                "GPU may wire {:.0}% of {} unified memory (recommendedMaxWorkingSetSize) = {}",
                f * 100.0,
                fmt_bytes(hw.ram_bytes),
                fmt_bytes(fast)
            ));
            Capacity {
                fast_bytes: fast,
                total_bytes: fast,
                os_reserve: hw.ram_bytes - fast,
                runtime_reserve: runtime_reserve(hw),
                explain,
            }
        }
        MemoryKind::Unified | MemoryKind::CpuOnly => {
            let fast = hw.ram_bytes.saturating_sub(os_reserve);
            explain.push(format!(
                "{} memory − {} OS reserve = {}",
                fmt_bytes(hw.ram_bytes),
                fmt_bytes(os_reserve),
                fmt_bytes(fast)
            ));
            Capacity {
                fast_bytes: fast,
                total_bytes: fast,
                os_reserve,
                runtime_reserve: runtime_reserve(hw),
                explain,
            }
        }
        MemoryKind::DiscreteGpu => {
            let ram = hw.ram_bytes.saturating_sub(os_reserve);
            explain.push(format!(
                "{} VRAM over {} GPU(s); with CPU offload + {} RAM − {} OS reserve = {}",
                fmt_bytes(hw.vram_bytes),
                hw.gpu_count.max(1),
                fmt_bytes(hw.ram_bytes),
                fmt_bytes(os_reserve),
                fmt_bytes(hw.vram_bytes + ram)
            ));
            Capacity {
                fast_bytes: hw.vram_bytes,
                total_bytes: hw.vram_bytes + ram,
                os_reserve,
                runtime_reserve: runtime_reserve(hw),
                explain,
            }
        }
    }
}

fn runtime_reserve(hw: &HardwareSpec) -> u64 {
    match hw.backend {
        Backend::Metal => reserve::METAL_DRIVER,
        Backend::Cpu => reserve::CPU_RUNTIME,
        _ => reserve::GPU_DRIVER * hw.gpu_count.max(1) as u64,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Everything fits in the fast memory.
    Fits,
    /// Fits only by spilling layers to system RAM (discrete GPU): it runs, slower.
    FitsWithOffload,
    DoesNotFit,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemoryBreakdown {
    pub weights_bytes: u64,
    pub kv_cache_bytes: u64,
    pub compute_bytes: u64,
    pub output_bytes: u64,
    /// Runtime/driver reserve (the OS reserve is taken off the capacity instead).
    pub overhead_bytes: u64,
    pub total_bytes: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemoryPlan {
    pub ctx: u64,
    pub memory: MemoryBreakdown,
    pub kv: KvCache,
    pub compute: ComputeBuffer,
    pub capacity: Capacity,
    pub headroom_bytes: i64,
    pub verdict: Verdict,
    pub fits: bool,
}

pub fn plan(m: &ModelSpec, w: &Weights, p: &RuntimeProfile, cap: &Capacity) -> MemoryPlan {
    let kv = kv_cache(m, p);
    let compute = compute_buffer(m, p, &kv);
    let output = output_buffer(m, p);
    let projector = m
        .projector
        .as_ref()
        .map_or(0, |x| x.bytes.unwrap_or(x.params * 2));
    let weights_bytes = w.bytes + projector;
    let overhead = cap.runtime_reserve;
    let total = weights_bytes + kv.total_bytes + compute.bytes + output + overhead;
    let verdict = if total <= cap.fast_bytes {
        Verdict::Fits
    } else if total <= cap.total_bytes {
        Verdict::FitsWithOffload
    } else {
        Verdict::DoesNotFit
    };
    let limit = if verdict == Verdict::FitsWithOffload {
        cap.total_bytes
    } else {
        cap.fast_bytes
    };
    MemoryPlan {
        ctx: p.ctx,
        memory: MemoryBreakdown {
            weights_bytes,
            kv_cache_bytes: kv.total_bytes,
            compute_bytes: compute.bytes,
            output_bytes: output,
            overhead_bytes: overhead,
            total_bytes: total,
        },
        kv,
        compute,
        capacity: cap.clone(),
        headroom_bytes: limit as i64 - total as i64,
        fits: verdict != Verdict::DoesNotFit,
        verdict,
    }
}

/// The largest context (a multiple of 256, at most `native_ctx`) whose plan fits in the fast
/// memory, or `None` if not even 256 tokens fit. Memory grows monotonically with context, so a
/// binary search is exact.
///
/// The context is per sequence: with several sequences each in its own stream
/// (`kv_unified == false`, as Ollama runs `-np N`), the cache holds `ctx × n_seq` cells.
pub fn max_context(m: &ModelSpec, w: &Weights, p: &RuntimeProfile, cap: &Capacity) -> Option<u64> {
    let seqs = if p.kv_unified {
        1
    } else {
        p.n_seq.max(1) as u64
    };
    let fits = |ctx: u64| {
        let mut q = p.clone();
        q.ctx = ctx * seqs;
        plan(m, w, &q, cap).verdict == Verdict::Fits
    };
    let step = 256u64;
    let hi_units = (m.native_ctx.max(step) / step).max(1);
    if !fits(step) {
        return None;
    }
    let (mut lo, mut hi) = (1u64, hi_units);
    if fits(hi * step) {
        return Some((hi * step).min(m.native_ctx.max(step)));
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid * step) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo * step)
}

/// Lines for `--explain` about the totals.
pub fn explain_totals(plan: &MemoryPlan) -> Vec<String> {
    let m = &plan.memory;
    vec![
        format!(
            "total = weights {} + KV {} + compute {} + output {} + runtime {} = {}",
            fmt_bytes(m.weights_bytes),
            fmt_bytes(m.kv_cache_bytes),
            fmt_bytes(m.compute_bytes),
            fmt_bytes(m.output_bytes),
            fmt_bytes(m.overhead_bytes),
            fmt_bytes(m.total_bytes)
        ),
        format!(
            "headroom = {} − {} = {}",
            fmt_bytes(if plan.verdict == Verdict::FitsWithOffload {
                plan.capacity.total_bytes
            } else {
                plan.capacity.fast_bytes
            }),
            fmt_bytes(m.total_bytes),
            crate::units::fmt_signed_bytes(plan.headroom_bytes)
        ),
    ]
}
