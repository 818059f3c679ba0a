//! The memory plan: weights + KV cache + compute and output buffers + overheads against what
//! the machine can give, the verdict, and the largest context that fits.

use crate::hardware::{Backend, HardwareSpec, MemoryKind};
use crate::kv::{kv_cache, KvCache, RuntimeProfile};
use crate::model::ModelSpec;
use crate::units::{fmt_bytes, fmt_int, GIB};
use crate::weights::{cpu_experts, CpuExperts, Weights};
use serde::Serialize;

/// Fixed reserves, each with where the figure comes from.
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
    /// The same steps in figures (not serialized: `explain` carries them in English).
    #[serde(skip)]
    pub steps: Vec<ComputeStep>,
}

/// The three peaks of [`compute_buffer`]'s graph, apart: a device that holds only some of the
/// layers (a split over several devices) reserves the attention and FFN stages of its layers,
/// and only the device with the output layer the logits stage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ComputeStages {
    pub micro_batch: u64,
    pub outputs: u64,
    pub mask_cells: u64,
    pub n_kv: u64,
    pub heads: u64,
    pub logits: u64,
    pub attention: u64,
    pub ffn: u64,
    /// The graph inputs a device that runs some layers takes in: the KQ masks, the hidden
    /// states arriving from the previous device and the positions (bytes). A split that
    /// pipelines micro-batches keeps several copies of them ([`PIPELINE_COPIES`]).
    pub inputs: u64,
    /// The KQ mask of the full-attention cache and of the sliding-window cache (bytes; 0 when
    /// the model has no such layers): a device holding no layer of one kind has no such mask.
    pub mask_full: u64,
    pub mask_swa: u64,
}

/// Copies of each device's graph inputs when llama.cpp pipelines micro-batches over a layer
/// split: `ggml_backend_sched_new(…, parallel = true)` keeps `GGML_SCHED_MAX_COPIES` (4) of
/// them (`ggml/src/ggml-backend.cpp`), which `src/llama-context.cpp` turns on when the model
/// is on more than one device, every layer offloaded, split by layer.
pub const PIPELINE_COPIES: u64 = 4;

/// [`compute_buffer`]'s stages (the arithmetic is documented there).
pub fn compute_stages(m: &ModelSpec, p: &RuntimeProfile, kv: &KvCache) -> ComputeStages {
    let t = p.micro_batch();
    let n_out = p.reserved_outputs();
    let tok = t * 4; // one f32 value per token of the micro-batch
    let e = m.n_embd;
    let attn: Vec<&crate::model::Layer> = m.attention_layers().map(|(_, l)| l).collect();
    let heads = attn.iter().map(|l| l.n_head as u64).max().unwrap_or(0);
    let heads_kv = attn.iter().map(|l| l.n_head_kv as u64).max().unwrap_or(0);
    // Query and K/V widths per token; MLA attends in the latent (kv_lora_rank + rope) space.
    let (wq, wkv) = match &m.mla {
        Some(x) => (
            heads * (x.kv_lora_rank + x.rope_dim),
            x.kv_lora_rank + x.rope_dim,
        ),
        None => (
            heads * m.head_dim_k,
            heads_kv * (m.head_dim_k + m.head_dim_v),
        ),
    };
    // KQ masks: one per cache (llama_kv_cache_iswa has two), [n_kv, T] per stream set.
    let elem = if p.flash_attn { 2 } else { 4 };
    let has_full = attn.iter().any(|l| !l.swa);
    let has_swa = attn.iter().any(|l| l.swa);
    let n_kv = if has_full {
        kv.cells.per_stream
    } else {
        kv.cells.swa_per_stream
    };
    let mask_cells = if has_full { kv.cells.per_stream } else { 0 }
        + if has_swa { kv.cells.swa_per_stream } else { 0 };
    let mask = mask_cells * t * elem;

    // Stage 1: logits.
    // A mask smaller than one hidden state leaves, once freed, a hole the last layer's
    // states do not fit in: it stays under the logits.
    let small_mask = if mask < e * tok { mask } else { 0 };
    let logits = n_out * m.n_vocab * 4 + tok * (10 * e + 6 * wq) / 5 + small_mask;
    // Stage 2: attention of the widest layer (none in a purely recurrent model).
    let attention = if attn.is_empty() {
        0
    } else if p.flash_attn {
        mask + tok * (2 * e + 2 * wq + wkv)
    } else {
        let kq = n_kv * t * heads * 4;
        let mla_v = m.mla.as_ref().map_or(0, |x| {
            kv.cells.per_stream * kv.cells.n_stream * x.kv_lora_rank * 2
        });
        mask + kq + mla_v + tok * (7 * e + 8 * wq + 4 * wkv) / 4
    };
    // Stage 3: FFN (dense, and routed experts where the model has them).
    let ff = m.layers.iter().map(|l| l.n_ff).max().unwrap_or(0);
    let e_ffn = if crate::arch::info(&m.architecture).compact_ffn_graph {
        3
    } else {
        4
    };
    let dense = if ff > 0 {
        mask + tok * (3 * ff + e_ffn * e)
    } else {
        0
    };
    let moe = m.moe.as_ref().map_or(0, |x| {
        let used = x.n_expert_used as u64;
        mask + tok * (4 * used * x.expert_ff + 3 * used * e + 7 * e) / 2
    });
    let ffn = dense.max(moe);

    ComputeStages {
        micro_batch: t,
        outputs: n_out,
        mask_cells,
        n_kv,
        heads,
        logits,
        attention,
        ffn,
        inputs: mask + e * tok + tok,
        mask_full: if has_full {
            kv.cells.per_stream * t * elem
        } else {
            0
        },
        mask_swa: if has_swa {
            kv.cells.swa_per_stream * t * elem
        } else {
            0
        },
    }
}

/// The compute buffer llama.cpp's graph allocator reserves on the CPU backend.
///
/// `llama_context::sched_reserve` builds the graph of one worst-case micro-batch — `T` tokens
/// ([`RuntimeProfile::micro_batch`]) attending over the whole cache, `O` logits rows
/// ([`RuntimeProfile::reserved_outputs`]) — and `ggml-alloc` places its tensors in one buffer,
/// freeing each after its last use and re-using freed blocks (best fit), with element-wise ops,
/// norms, RoPE and soft-max done in place. The buffer is the high-water mark: the largest of
/// three stages, each the tensors alive at its peak on top of the graph inputs that live
/// through every layer — the KQ masks, one per cache (full and sliding-window), `n_kv × T`
/// f16 with flash attention and f32 without (`build_attn_inp_kq_mask`).
///
/// * **logits** (after the last layer; the masks are freed): `O × n_vocab` f32 plus the
///   last hidden states the allocator still holds below them, measured as `2·E + 1.2·Wq`
///   floats per token (`E` = n_embd, `Wq` = n_head × key width), plus the masks when they are
///   smaller than one hidden state (their freed block is then too small to reuse);
/// * **attention** of the widest layer: without FA the scores `KQ = n_kv × T × n_head` f32
///   (soft-max in place) plus the per-token tensors around it, `1.75·E + 2·Wq + Wkv` floats
///   (`Wkv` = n_head_kv × (K + V width)); MLA without FA also makes the latent cache
///   contiguous (`n_kv × kv_lora_rank` f16, `build_attn_mha`'s `ggml_cont`). With FA the
///   scores are never materialized: `2·E + 2·Wq + Wkv` floats per token;
/// * **FFN**: gate, up and their GLU product (`3 × n_ff` floats per token; GLU is not in
///   place) plus `4·E` (3·E for phi3's fused gate-up and LFM2); a routed MoE layer holds
///   `2·used·ff + 1.5·used·E + 3.5·E` (`build_moe_ffn`: per-expert up/gate/GLU, then the
///   down projections `[E, used, T]` and their weighted sum).
///
/// The per-token multipliers (1.2, 1.75, 1.5, 3.5, …) are where the allocator's placement
/// leaves the peak, fitted to ~620 buffer sizes llama.cpp (b11312, CPU) reported for 12
/// architectures at 512–32K tokens, FA on/off, 1 or 4 sequences, micro-batches of 128–2048,
/// with one logits row per token or per slot; the ground-truth harness (`crates/cabe-truth`,
/// ACCURACY.md) holds them to ±10% on its full matrix (17 models, contexts to 262K, q8_0/q4_0
/// caches): mean error about 2%. GPU backends allocate differently (their own kernels, graph
/// splits, host staging buffers) and are not modelled here.
pub fn compute_buffer(m: &ModelSpec, p: &RuntimeProfile, kv: &KvCache) -> ComputeBuffer {
    let ComputeStages {
        micro_batch: t,
        outputs: n_out,
        mask_cells,
        n_kv,
        heads,
        logits,
        attention,
        ffn,
        ..
    } = compute_stages(m, p, kv);
    let attn_layers = m.attention_layers().count();
    let bytes = logits.max(attention).max(ffn);
    let stage = if bytes == logits {
        Stage::Logits
    } else if bytes == attention {
        Stage::Attention
    } else {
        Stage::Ffn
    };
    let mut steps = vec![
        ComputeStep::Batch {
            micro_batch: t,
            outputs: n_out,
            stage,
        },
        ComputeStep::Logits {
            outputs: n_out,
            vocab: m.n_vocab,
            bytes: logits,
        },
    ];
    if attn_layers > 0 {
        steps.push(ComputeStep::Attention {
            flash: p.flash_attn,
            n_kv,
            micro_batch: t,
            heads,
            mask_cells,
            bytes: attention,
        });
    }
    steps.push(ComputeStep::Ffn {
        width: match &m.moe {
            Some(x) => FfnWidth::Experts {
                used: x.n_expert_used as u64,
                of: x.n_expert as u64,
                width: x.expert_ff,
            },
            None => FfnWidth::Dense(m.layers.iter().map(|l| l.n_ff).max().unwrap_or(0)),
        },
        bytes: ffn,
    });
    ComputeBuffer {
        bytes,
        explain: steps.iter().map(ComputeStep::to_string).collect(),
        steps,
    }
}

/// The stage of the graph whose peak is the compute buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Logits,
    Attention,
    Ffn,
}

/// The FFN stage's width: routed experts, or a dense gate/up/GLU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FfnWidth {
    Experts { used: u64, of: u64, width: u64 },
    Dense(u64),
}

/// One step of the compute buffer's arithmetic, in figures: `Display` writes the English line
/// of [`ComputeBuffer::explain`]; the command line words it in other languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComputeStep {
    /// The micro-batch the graph is reserved for, and which stage is the buffer.
    Batch {
        micro_batch: u64,
        outputs: u64,
        stage: Stage,
    },
    Logits {
        outputs: u64,
        vocab: u64,
        bytes: u64,
    },
    /// The widest attention layer: with flash attention the mask and activations, without it
    /// the KQ scores too.
    Attention {
        flash: bool,
        n_kv: u64,
        micro_batch: u64,
        heads: u64,
        mask_cells: u64,
        bytes: u64,
    },
    Ffn {
        width: FfnWidth,
        bytes: u64,
    },
}

impl std::fmt::Display for ComputeStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            ComputeStep::Batch {
                micro_batch,
                outputs,
                stage,
            } => write!(
                f,
                "one {}-token micro-batch, {} logits rows; the largest stage ({}) is the buffer",
                fmt_int(micro_batch),
                fmt_int(outputs),
                match stage {
                    Stage::Logits => "logits",
                    Stage::Attention => "attention",
                    Stage::Ffn => "FFN",
                }
            ),
            ComputeStep::Logits {
                outputs,
                vocab,
                bytes,
            } => write!(
                f,
                "logits: {} × {} vocab × 4 + last hidden states = {}",
                fmt_int(outputs),
                fmt_int(vocab),
                fmt_bytes(bytes)
            ),
            ComputeStep::Attention {
                flash: true,
                micro_batch,
                mask_cells,
                bytes,
                ..
            } => write!(
                f,
                "attention (flash): f16 KQ mask {} × {} + Q/K/V/out activations = {}",
                fmt_int(mask_cells),
                fmt_int(micro_batch),
                fmt_bytes(bytes)
            ),
            ComputeStep::Attention {
                flash: false,
                n_kv,
                micro_batch,
                heads,
                mask_cells,
                bytes,
            } => write!(
                f,
                "attention: KQ scores {} × {} × {} heads × 4 + f32 mask {} × {} + activations = {}",
                fmt_int(n_kv),
                fmt_int(micro_batch),
                heads,
                fmt_int(mask_cells),
                fmt_int(micro_batch),
                fmt_bytes(bytes)
            ),
            ComputeStep::Ffn { width, bytes } => write!(
                f,
                "FFN: {} + KQ mask = {}",
                match width {
                    FfnWidth::Experts { used, of, width } =>
                        format!("{used} of {of} experts × {} wide", fmt_int(width)),
                    FfnWidth::Dense(width) => format!("gate/up/GLU {} wide", fmt_int(width)),
                },
                fmt_bytes(bytes)
            ),
        }
    }
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
    /// The same steps in figures (not serialized: `explain` carries them in English).
    #[serde(skip)]
    pub steps: Vec<CapacityStep>,
}

pub fn capacity(hw: &HardwareSpec, os_reserve: u64) -> Capacity {
    let (fast_bytes, total_bytes, os_reserve, step) = match hw.kind {
        MemoryKind::Unified if hw.gpu_memory_fraction.is_some() => {
            let f = hw.gpu_memory_fraction.unwrap_or(1.0);
            let fast = (hw.ram_bytes as f64 * f) as u64;
            let step = CapacityStep::Wired {
                fraction: f,
                memory: hw.ram_bytes,
                fast,
            };
            (fast, fast, hw.ram_bytes - fast, step)
        }
        MemoryKind::Unified | MemoryKind::CpuOnly => {
            let fast = hw.ram_bytes.saturating_sub(os_reserve);
            let step = CapacityStep::Ram {
                memory: hw.ram_bytes,
                os_reserve,
                fast,
            };
            (fast, fast, os_reserve, step)
        }
        MemoryKind::DiscreteGpu => {
            let ram = hw.ram_bytes.saturating_sub(os_reserve);
            let step = CapacityStep::Offload {
                vram: hw.vram_bytes,
                gpus: hw.gpu_count.max(1),
                ram: hw.ram_bytes,
                os_reserve,
                total: hw.vram_bytes + ram,
            };
            (hw.vram_bytes, hw.vram_bytes + ram, os_reserve, step)
        }
    };
    Capacity {
        fast_bytes,
        total_bytes,
        os_reserve,
        runtime_reserve: runtime_reserve(hw),
        explain: vec![step.to_string()],
        steps: vec![step],
    }
}

/// How the capacity was worked out, in figures: `Display` writes the English line of
/// [`Capacity::explain`]; the command line words it in other languages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CapacityStep {
    /// Unified memory of which the GPU may wire a share (`recommendedMaxWorkingSetSize`).
    Wired {
        fraction: f64,
        memory: u64,
        fast: u64,
    },
    /// System memory (or unified memory with no share known) less the OS reserve.
    Ram {
        memory: u64,
        os_reserve: u64,
        fast: u64,
    },
    /// A discrete GPU's VRAM, and with CPU offload the RAM less the OS reserve too.
    Offload {
        vram: u64,
        gpus: u32,
        ram: u64,
        os_reserve: u64,
        total: u64,
    },
}

impl std::fmt::Display for CapacityStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            CapacityStep::Wired {
                fraction,
                memory,
                fast,
            } => write!(
                f,
                "GPU may wire {:.0}% of {} unified memory (recommendedMaxWorkingSetSize) = {}",
                fraction * 100.0,
                fmt_bytes(memory),
                fmt_bytes(fast)
            ),
            CapacityStep::Ram {
                memory,
                os_reserve,
                fast,
            } => write!(
                f,
                "{} memory − {} OS reserve = {}",
                fmt_bytes(memory),
                fmt_bytes(os_reserve),
                fmt_bytes(fast)
            ),
            CapacityStep::Offload {
                vram,
                gpus,
                ram,
                os_reserve,
                total,
            } => write!(
                f,
                "{} VRAM over {} GPU(s); with CPU offload + {} RAM − {} OS reserve = {}",
                fmt_bytes(vram),
                gpus,
                fmt_bytes(ram),
                fmt_bytes(os_reserve),
                fmt_bytes(total)
            ),
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
    /// Expert weights kept in system RAM by `--n-cpu-moe` (part of `weights_bytes`; the fast
    /// memory holds `total_bytes − cpu_experts.bytes`).
    pub cpu_experts: CpuExperts,
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
    // `--n-cpu-moe` moves experts to system RAM only where that is other memory (a discrete
    // GPU's machine); on unified memory or a CPU the split changes nothing.
    let ram = cap.total_bytes.saturating_sub(cap.fast_bytes);
    let cpu_experts = if p.n_cpu_moe > 0 && ram > 0 {
        cpu_experts(m, w, p.n_cpu_moe)
    } else {
        CpuExperts::default()
    };
    let fast_need = total - cpu_experts.bytes;
    let verdict = if fast_need <= cap.fast_bytes && cpu_experts.bytes <= ram {
        Verdict::Fits
    } else if total <= cap.total_bytes {
        Verdict::FitsWithOffload
    } else {
        Verdict::DoesNotFit
    };
    let (limit, need) = if verdict == Verdict::FitsWithOffload {
        (cap.total_bytes, total)
    } else {
        (cap.fast_bytes, fast_need)
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
            cpu_experts,
        },
        kv,
        compute,
        capacity: cap.clone(),
        headroom_bytes: limit as i64 - need as i64,
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

/// The totals' arithmetic in figures: what [`explain_totals`] words in English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    pub weights: u64,
    pub kv: u64,
    pub compute: u64,
    pub output: u64,
    pub runtime: u64,
    pub total: u64,
    /// Routed experts kept in system RAM (`--n-cpu-moe`), when they count against it.
    pub cpu_experts: Option<CpuExpertsStep>,
    /// The memory the plan is held against, and what it needs of it.
    pub limit: u64,
    pub need: u64,
    pub headroom: i64,
}

/// `--n-cpu-moe`'s part of [`Totals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuExpertsStep {
    pub layers: u32,
    pub bytes: u64,
    /// System RAM free for them.
    pub ram_free: u64,
}

/// The totals of `plan` in figures.
pub fn totals(plan: &MemoryPlan) -> Totals {
    let m = &plan.memory;
    let e = &m.cpu_experts;
    let (limit, need) = if plan.verdict == Verdict::FitsWithOffload {
        (plan.capacity.total_bytes, m.total_bytes)
    } else {
        (plan.capacity.fast_bytes, m.total_bytes - e.bytes)
    };
    Totals {
        weights: m.weights_bytes,
        kv: m.kv_cache_bytes,
        compute: m.compute_bytes,
        output: m.output_bytes,
        runtime: m.overhead_bytes,
        total: m.total_bytes,
        cpu_experts: (e.bytes > 0 && plan.verdict != Verdict::FitsWithOffload).then(|| {
            CpuExpertsStep {
                layers: e.layers,
                bytes: e.bytes,
                ram_free: plan.capacity.total_bytes - plan.capacity.fast_bytes,
            }
        }),
        limit,
        need,
        headroom: plan.headroom_bytes,
    }
}

/// Lines for `--explain` about the totals.
pub fn explain_totals(plan: &MemoryPlan) -> Vec<String> {
    let t = totals(plan);
    let mut lines = vec![format!(
        "total = weights {} + KV {} + compute {} + output {} + runtime {} = {}",
        fmt_bytes(t.weights),
        fmt_bytes(t.kv),
        fmt_bytes(t.compute),
        fmt_bytes(t.output),
        fmt_bytes(t.runtime),
        fmt_bytes(t.total)
    )];
    if let Some(e) = t.cpu_experts {
        lines.push(format!(
            "--n-cpu-moe {}: the routed experts of {} layers, {}, stay in system RAM ({} free for them); the GPU holds {} − {} = {}",
            e.layers,
            e.layers,
            fmt_bytes(e.bytes),
            fmt_bytes(e.ram_free),
            fmt_bytes(t.total),
            fmt_bytes(e.bytes),
            fmt_bytes(t.need)
        ));
    }
    lines.push(format!(
        "headroom = {} − {} = {}",
        fmt_bytes(t.limit),
        fmt_bytes(t.need),
        crate::units::fmt_signed_bytes(t.headroom)
    ));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UniformModel;
    use crate::units::MIB;

    #[test]
    fn experts_kept_on_the_cpu_free_the_gpu() {
        use crate::quant::FileType;
        let m = crate::model::test_models::qwen3_30b_a3b();
        let w = crate::weights::for_file_type(&m, FileType::Q4_K_M);
        // A 12 GiB GPU in a 64 GiB machine.
        let hw = HardwareSpec {
            kind: MemoryKind::DiscreteGpu,
            backend: Backend::Cuda,
            vram_bytes: 12 * GIB,
            gpu_count: 1,
            ..HardwareSpec::from_memory(64 * GIB)
        };
        let cap = capacity(&hw, DEFAULT_OS_RESERVE);
        let mut p = RuntimeProfile::new(32768);
        let all_on_gpu = plan(&m, &w, &p, &cap);
        assert_eq!(all_on_gpu.verdict, Verdict::FitsWithOffload);
        assert_eq!(all_on_gpu.memory.cpu_experts.bytes, 0);

        // --cpu-moe: every layer's routed experts (3 matrices × 128 × 768 × 2048 per layer).
        p.n_cpu_moe = u32::MAX;
        let cpu_moe = plan(&m, &w, &p, &cap);
        let e = cpu_moe.memory.cpu_experts;
        assert_eq!(e.layers, 48);
        let expert_params: u64 = 48 * 3 * 128 * 768 * 2048;
        let exps: u64 = w
            .tensors
            .iter()
            .filter(|t| t.name.contains("_exps."))
            .map(|t| t.bytes())
            .sum();
        assert_eq!(e.bytes, exps);
        assert!(
            e.bytes as f64 / expert_params as f64 > 0.5,
            "≥4 bits a weight"
        );
        assert_eq!(
            e.bytes_active,
            (e.bytes as f64 * 8.0 / 128.0).round() as u64
        );
        assert_eq!(cpu_moe.verdict, Verdict::Fits);
        assert_eq!(cpu_moe.memory.total_bytes, all_on_gpu.memory.total_bytes);
        assert_eq!(
            cpu_moe.headroom_bytes,
            (12 * GIB) as i64 - (cpu_moe.memory.total_bytes - e.bytes) as i64
        );
        assert!(explain_totals(&cpu_moe)[1].contains("--n-cpu-moe 48"));

        // --n-cpu-moe 8: the experts of blocks 0–7 only.
        p.n_cpu_moe = 8;
        let eight = plan(&m, &w, &p, &cap).memory.cpu_experts;
        assert_eq!(eight.layers, 8);
        let first8: u64 = w
            .tensors
            .iter()
            .filter(|t| {
                t.name.contains("_exps.")
                    && (0..8).any(|i| t.name.starts_with(&format!("blk.{i}.")))
            })
            .map(|t| t.bytes())
            .sum();
        // Q4_K_M gives some layers' ffn_down_exps Q6_K: not a sixth of the whole.
        assert_eq!(eight.bytes, first8);
        assert!(eight.bytes * 6 > e.bytes);

        // Unified memory: the same pool, nothing moves.
        let mac = capacity(&HardwareSpec::from_memory(64 * GIB), DEFAULT_OS_RESERVE);
        assert_eq!(plan(&m, &w, &p, &mac).memory.cpu_experts.bytes, 0);
        // A dense model has no experts to move.
        let dense = crate::model::test_models::llama_3_1_8b();
        let dw = crate::weights::for_file_type(&dense, FileType::Q4_K_M);
        assert_eq!(
            plan(&dense, &dw, &p, &cap).memory.cpu_experts,
            CpuExperts::default()
        );
    }

    /// Qwen2.5-0.5B as its GGUF describes it.
    fn qwen25_05b() -> ModelSpec {
        UniformModel {
            name: "qwen2.5-0.5b".into(),
            architecture: "qwen2".into(),
            n_layer: 24,
            n_embd: 896,
            n_head: 14,
            n_head_kv: 2,
            head_dim: 64,
            n_ff: 4864,
            n_vocab: 151936,
            native_ctx: 32768,
            tied_embeddings: true,
        }
        .build()
    }

    fn compute_mib(m: &ModelSpec, p: &RuntimeProfile) -> f64 {
        compute_buffer(m, p, &kv_cache(m, p)).bytes as f64 / MIB as f64
    }

    fn within(cabe: f64, llama: f64, pct: f64) -> bool {
        ((cabe - llama) / llama).abs() * 100.0 <= pct
    }

    // llama.cpp b11312 on the CPU backend, `sched_reserve: CPU compute buffer size` (ACCURACY.md).
    #[test]
    fn logits_dominate_a_completion_micro_batch() {
        let m = qwen25_05b();
        // llama-completion, -c 4096 -ub 512, FA on: 300.25 MiB.
        let c = compute_mib(&m, &RuntimeProfile::new(4096));
        assert!(within(c, 300.25, 2.0), "{c}");
        // -ub 2048: 1201.01 MiB; -ub 128: 75.06 MiB.
        let mut p = RuntimeProfile::new(4096);
        p.n_ubatch = 2048;
        assert!(within(compute_mib(&m, &p), 1201.01, 2.0));
        p.n_ubatch = 128;
        assert!(within(compute_mib(&m, &p), 75.06, 2.0));
    }

    #[test]
    fn without_flash_attention_the_scores_grow_with_context() {
        let m = qwen25_05b();
        let mut p = RuntimeProfile::new(32768);
        p.flash_attn = false;
        // KQ 32768 × 512 × 14 × 4 = 896 MiB + f32 mask 64 MiB + activations: 969.26 MiB.
        let c = compute_mib(&m, &p);
        assert!(within(c, 969.26, 2.0), "{c}");
    }

    #[test]
    fn a_server_reserves_logits_per_slot_only() {
        let m = qwen25_05b();
        let mut p = RuntimeProfile::new(8192);
        p.n_seq = 4;
        p.n_outputs_max = 4;
        // llama-server -np 4 -kvu -c 8192: 43.51 MiB (f16 mask 8 MiB + FFN 3 × 4864 + 4 × 896
        // floats per token), where llama-completion reserves 300 MiB.
        let c = compute_mib(&m, &p);
        assert!(within(c, 43.51, 1.0), "{c}");
        p.n_outputs_max = 0;
        assert!(compute_mib(&m, &p) > 290.0);
    }

    #[test]
    fn the_micro_batch_is_capped_by_batch_and_context() {
        let mut p = RuntimeProfile::new(300);
        assert_eq!(p.micro_batch(), 300);
        p.ctx = 8192;
        p.n_batch = 256;
        assert_eq!(p.micro_batch(), 256);
        assert_eq!(p.reserved_outputs(), 256);
        p.n_outputs_max = 1;
        assert_eq!(p.reserved_outputs(), 1);
    }
}
