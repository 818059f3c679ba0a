//! The calibrated CPU model: how fast llama.cpp's CPU backend runs a model on a machine that
//! `cabe calibrate` measured.
//!
//! **With llama.cpp's kernels measured here** (`cabe calibrate --llama-bench`,
//! [`crate::kernels`]), per weight type of the model:
//!
//! * **decode**, per token: `Σ_type bytes / rate_type + attention`, `rate_type`
//!   the bytes per second llama-bench streamed on that type's probe (rows of 1,024 values or
//!   fewer at the measured narrow ratio of it), attention the measured cost per cached (key,
//!   head);
//! * **prefill**, per prompt: `Σ_type FLOPs / rate_type` over the dense matrix products (the
//!   output head for the last token only) `+ n × the experts' decode time` for routed experts
//!   (llama.cpp's CPU `MUL_MAT_ID` is a dot product per token and row) `+ attention`, the
//!   measured cost per (query, key, head).
//!
//! Types not measured take a relative's time per parameter ([`crate::kernels::relative`]).
//!
//! **Without it**, the factors of the project's first build machine: each weight type gets a
//! roofline — `max(bytes / (η_mem × BW_dec), 2 × params / (κ_decode × F'))` in decode,
//! `2 × params × n / (κ_prefill × F)` in prefill — over the calibrated read bandwidth `BW` and
//! f32 FMA rate `F`, plus a fixed cost per row. The `κ` were measured with llama-bench on
//! single-type Qwen2.5-1.5B-shaped models on an Intel Xeon (AVX-512, llama.cpp b11312,
//! `--repack 0`; `crates/cabe-bench/tests/accuracy.rs::kernel_factors`) and do not carry over
//! to other CPUs (an AMD EPYC's decode came out 56–66% low): `fit` says so.
//!
//! Either way the result is expressed as the effective efficiency `cabe_core::speed` multiplies
//! the calibrated figures by, so ranges and ceilings work as for every other machine.

use crate::calibrate::Calibration;
use crate::kernels::{relative, KernelRates};
use cabe_core::kv::RuntimeProfile;
use cabe_core::model::ModelSpec;
use cabe_core::quant::GgmlType;
use cabe_core::speed::{decode_bytes_per_token, prefill_flops, EffRange, Efficiency};
use cabe_core::weights::Weights;

/// Share of the calibrated read bandwidth llama.cpp's memory-bound decode reaches once the
/// per-row cost is set apart: the fit of Q8_0 Qwen3 shapes 256 to 2048 wide at one thread on
/// the build machine (`tools/speed-accuracy.sh --rows`: η 0.68, c_row 16.7 ns, every model
/// within 1% of the fit; ACCURACY.md).
pub const MEMORY_EFFICIENCY: f64 = 0.68;

/// Fixed time per matrix row in llama.cpp's decode (a dot product's set-up and horizontal
/// sum), one thread, seconds: the `--rows` fit above. It is why a narrow model reads memory
/// more slowly than a wide one of the same bytes: Qwen3-0.6B (1024 wide) streams ~10% less
/// than Llama-3.2-1B (2048 wide) on the build machine.
pub const ROW_OVERHEAD_1T: f64 = 16.7e-9;

/// The same with several threads: the 2-thread fit gave 13.7 ns — the cost does not split
/// between threads as the rows do. Not measured beyond 2 threads; kept there (a slower
/// prediction, which `cabe bench` corrects).
pub const ROW_OVERHEAD_MT: f64 = 13.7e-9;

/// Seconds per matrix row read in a decoded token with `threads` threads.
pub fn row_overhead_secs(threads: usize) -> f64 {
    if threads > 1 {
        ROW_OVERHEAD_MT
    } else {
        ROW_OVERHEAD_1T
    }
}

/// With several threads llama.cpp streams less than `threads ×` one core's bandwidth, and less
/// than the all-thread bandwidth `cabe calibrate` measures on a small machine: the bandwidth a
/// decode can use is `min(all threads, threads × one core × MULTI_THREAD_STREAMING)`. Build
/// machine, 2 threads: the all-thread figure swung from 24 to 37 GB/s between sessions while
/// one core read a steady 14.5–17.7 GB/s; the 2-thread `--rows` fit gives 0.75 with
/// [`MEMORY_EFFICIENCY`]. On machines with many cores the all-thread figure is the lower one,
/// as for any bandwidth-bound decode.
pub const MULTI_THREAD_STREAMING: f64 = 0.75;

/// Share of `threads ×` one thread's de-quantizing throughput llama.cpp keeps with several
/// threads (K-quant decode on the build machine: ×1.70–1.86 with 2 threads).
pub const MULTI_THREAD_COMPUTE: f64 = 0.885;

/// The bandwidth a decode on the calibrated machine can use, bytes/s, before
/// [`MEMORY_EFFICIENCY`].
pub fn decode_bandwidth(cal: &Calibration) -> f64 {
    let all = cal.bandwidth_gbps.best;
    let one = cal.bandwidth_1t_gbps.as_ref().map(|m| m.best);
    let bw = match one {
        Some(one) if cal.threads > 1 => all.min(one * cal.threads as f64 * MULTI_THREAD_STREAMING),
        _ => all,
    };
    bw * 1e9
}

/// The compute rate kernel factors apply to, FLOP/s: the f32 FMA rate, less what llama.cpp's
/// threads lose to each other.
fn decode_compute(cal: &Calibration) -> f64 {
    let f = cal.compute_gflops.best * 1e9;
    if cal.threads > 1 {
        f * MULTI_THREAD_COMPUTE
    } else {
        f
    }
}

/// llama.cpp's CPU kernels for one weight type, relative to the calibrated f32 FMA rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KernelFactor {
    /// Prefill (matrix × matrix): achieved FLOP/s ÷ F.
    pub prefill: f64,
    /// Decode (matrix × vector): the FLOP/s ÷ F the kernel cannot exceed.
    pub decode: f64,
    /// Measured (`true`), or borrowed from a relative (`false`).
    pub measured: bool,
}

const fn k(prefill: f64, decode: f64, measured: bool) -> KernelFactor {
    KernelFactor {
        prefill,
        decode,
        measured,
    }
}

/// The factor for a weight type, measured on the build machine with qwen2.5-1.5B-shaped
/// `--pure` models (Q4_K, Q5_K, Q6_K, Q8_0). Prefill: the mean of four sessions (2 threads
/// on an idle machine; 1 thread idle, twice; 1 thread with the other core busy), which spread
/// about ±10% around it — llama.cpp's kernels share caches and memory with the VM's other
/// tenant, the register-only FMA loop does not. Decode: one thread's throughput net of the
/// per-row cost (the mean of three 1-thread sessions; Q6_K and Q8_0 read 0.61–0.66 of the
/// bandwidth there, so theirs are lower bounds); several threads keep
/// [`MULTI_THREAD_COMPUTE`] of it. The rest borrow: other K-quants and i-quants Q4_K's,
/// legacy 4/5-bit quants and MXFP4 Q8_0's (llama.cpp's "Q0" kernels), floats an assumed half
/// of Q8_0's.
pub fn kernel_factor(t: GgmlType) -> KernelFactor {
    use GgmlType::*;
    const Q4K: KernelFactor = k(1.25, 0.096, true);
    const Q5K: KernelFactor = k(1.23, 0.072, true);
    const Q6K: KernelFactor = k(1.13, 0.120, true);
    const Q80: KernelFactor = k(0.53, 0.097, true);
    let borrowed = |f: KernelFactor| KernelFactor {
        measured: false,
        ..f
    };
    match t {
        Q4_K => Q4K,
        Q5_K => Q5K,
        Q6_K => Q6K,
        Q8_0 => Q80,
        Q2_K | Q3_K | IQ2_XXS | IQ2_XS | IQ2_S | IQ3_XXS | IQ3_S | IQ1_S | IQ1_M | IQ4_XS
        | TQ1_0 | TQ2_0 | Q1_0 => borrowed(Q4K),
        Q4_0 | Q4_1 | Q5_0 | Q5_1 | Q8_1 | Q8_K | IQ4_NL | MXFP4 | NVFP4 => borrowed(Q80),
        F16 | BF16 | F32 | F64 | I8 | I16 | I32 | I64 => k(0.27, 0.048, false),
    }
}

/// Multipliers around the typical prediction for the range: decode and prefill (observed
/// spread of the build machine's runs, widened for other machines).
pub const DECODE_BAND: EffRange = [0.85, 1.0, 1.12];
pub const PREFILL_BAND: EffRange = [0.75, 1.0, 1.2];

/// What one weight type contributes to a decoded token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ActiveType {
    pub ty: GgmlType,
    /// Parameters read per token.
    pub params: f64,
    /// Bytes read per token.
    pub bytes: f64,
    /// Matrix rows read per token (one dot product each): the product of a tensor's dims
    /// after the first (ggml's `ne[0]` is the row length).
    pub rows: f64,
    /// Parameters of the output head among `params` (a prompt runs it for its last token).
    pub head_params: f64,
    /// Parameters and rows of routed experts among `params` and `rows` (their active share).
    pub expert_params: f64,
    pub expert_rows: f64,
    /// Matrix bytes weighed by how narrow the model is ([`crate::kernels::narrow_weight`]): a
    /// model 1,024 wide or narrower streams more slowly. All of them, and the experts' part.
    pub narrow_bytes: f64,
    pub expert_narrow_bytes: f64,
}

impl ActiveType {
    /// Matrix-multiplication FLOPs of a prompt of `n` tokens in this type.
    pub fn prompt_flops(&self, n: f64) -> f64 {
        2.0 * (self.params - self.head_params) * n + 2.0 * self.head_params
    }
}

/// Active (per token) parameters, bytes and rows of each weight type: routed experts count
/// `n_expert_used / n_expert`, the input embedding only when it is also the output head —
/// the rule of `cabe_core::weights`.
pub fn active_by_type(m: &ModelSpec, w: &Weights) -> Vec<ActiveType> {
    let frac = m
        .moe
        .as_ref()
        .filter(|x| x.n_expert > 0)
        .map_or(1.0, |x| x.n_expert_used as f64 / x.n_expert as f64);
    let head_name = if m.tied_embeddings {
        "token_embd.weight"
    } else {
        "output.weight"
    };
    let mut out: Vec<ActiveType> = Vec::new();
    for t in &w.tensors {
        if &*t.name == "token_embd.weight" && !m.tied_embeddings {
            continue;
        }
        let share = if t.name.contains("_exps.") { frac } else { 1.0 };
        let n = t.dims.iter().product::<u64>() as f64 * share;
        let b = t.bytes() as f64 * share;
        let rows = if t.dims.len() > 1 {
            t.dims[1..].iter().product::<u64>() as f64 * share
        } else {
            0.0
        };
        let head = if &*t.name == head_name { n } else { 0.0 };
        let expert = if t.name.contains("_exps.") { n } else { 0.0 };
        let narrow = if t.dims.len() > 1 {
            b * crate::kernels::narrow_weight(m.n_embd)
        } else {
            0.0
        };
        let expert_narrow = if expert > 0.0 { narrow } else { 0.0 };
        match out.iter_mut().find(|e| e.ty == t.ty) {
            Some(e) => {
                e.params += n;
                e.bytes += b;
                e.rows += rows;
                e.head_params += head;
                e.expert_params += expert;
                e.expert_rows += if expert > 0.0 { rows } else { 0.0 };
                e.narrow_bytes += narrow;
                e.expert_narrow_bytes += expert_narrow;
            }
            None => out.push(ActiveType {
                ty: t.ty,
                params: n,
                bytes: b,
                rows,
                head_params: head,
                expert_params: expert,
                expert_rows: if expert > 0.0 { rows } else { 0.0 },
                narrow_bytes: narrow,
                expert_narrow_bytes: expert_narrow,
            }),
        }
    }
    out
}

/// Attention FLOPs for generating the token at position `pos` (each layer: Q·K and A·V over
/// the keys it sees, `4 × n_head × head_dim` per key).
fn decode_attention_flops(m: &ModelSpec, pos: u64) -> f64 {
    m.attention_layers()
        .map(|(_, l)| {
            let keys = cabe_core::speed::attention_keys(m, l.swa, pos);
            4.0 * l.n_head as f64 * m.head_dim_k as f64 * keys as f64
        })
        .sum()
}

/// Seconds per generated token at position `pos`, and the bytes read.
pub fn decode_seconds(
    m: &ModelSpec,
    w: &Weights,
    p: &RuntimeProfile,
    pos: u64,
    cal: &Calibration,
) -> (f64, f64) {
    let total = decode_bytes_per_token(m, w, p, pos) as f64;
    let kv_bytes = (total - w.bytes_active as f64).max(0.0);
    let attn_flops = decode_attention_flops(m, pos);
    if let Some(k) = &cal.llama_cpp {
        return (measured_decode_seconds(m, w, pos, k), total);
    }
    let bw = decode_bandwidth(cal) * MEMORY_EFFICIENCY;
    let f = decode_compute(cal);
    let mut t = 0.0;
    for a in active_by_type(m, w) {
        let kf = kernel_factor(a.ty);
        t += (a.bytes / bw).max(2.0 * a.params / (kf.decode * f));
        t += a.rows * row_overhead_secs(cal.threads);
    }
    let kv_kernel = kernel_factor(p.type_k.ggml());
    t += (kv_bytes / bw).max(attn_flops / (kv_kernel.decode * f));
    (t, total)
}

/// Decode seconds of `bytes`/`params` of type `ty` at llama.cpp's measured rates: the type's
/// own streaming rate, or its relative's time per parameter, never faster than the best
/// streaming rate measured; `narrow` of the bytes (weighed) at the narrow rows' rate.
fn measured_stream_secs(
    k: &KernelRates,
    ty: GgmlType,
    bytes: f64,
    params: f64,
    narrow: f64,
) -> f64 {
    let best = k.best_decode_bps().max(1.0);
    let wide_secs = match (k.rate(ty), k.rate(relative(ty))) {
        (Some(r), _) => bytes / (r.decode_gbps * 1e9),
        (None, Some(r)) => (params * r.decode_ns_per_param * 1e-9).max(bytes / best),
        (None, None) => bytes / best,
    };
    let slow = if bytes > 0.0 {
        (bytes - narrow + narrow / k.narrow_ratio.max(0.1)) / bytes
    } else {
        1.0
    };
    wide_secs * slow
}

/// Prefill FLOP/s of type `ty`: its own, its relative's, else the slowest measured.
fn measured_prefill_flops(k: &KernelRates, ty: GgmlType) -> f64 {
    k.rate(ty)
        .or_else(|| k.rate(relative(ty)))
        .map(|r| r.prefill_gflops)
        .unwrap_or_else(|| {
            k.types
                .iter()
                .map(|r| r.prefill_gflops)
                .fold(f64::INFINITY, f64::min)
        })
        .max(1e-3)
        * 1e9
}

/// Where a calibrated prediction's time goes: each weight type's matrices (a type's routed
/// experts apart from its dense products in a prefill: they run another kernel), and attention.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeParts {
    /// Seconds per weight type: dense products (or, in decode, all of the type's matrices).
    pub dense: Vec<(GgmlType, f64)>,
    /// Seconds per expert type of a prefill's routed experts (empty in decode).
    pub experts: Vec<(GgmlType, f64)>,
    pub attention: f64,
}

impl TimeParts {
    pub fn total(&self) -> f64 {
        self.dense
            .iter()
            .chain(&self.experts)
            .map(|p| p.1)
            .sum::<f64>()
            + self.attention
    }
}

/// A calibrated decode of the token at position `pos`, part by part.
pub fn measured_decode_parts(m: &ModelSpec, w: &Weights, pos: u64, k: &KernelRates) -> TimeParts {
    TimeParts {
        dense: active_by_type(m, w)
            .iter()
            .map(|a| {
                let t = measured_stream_secs(k, a.ty, a.bytes, a.params, a.narrow_bytes);
                (a.ty, t)
            })
            .collect(),
        experts: Vec::new(),
        // Attention over the cache (its reading included), per key and head, measured at depth.
        attention: crate::kernels::decode_attention_units(m, pos) * k.decode_attention_ns * 1e-9,
    }
}

fn measured_decode_seconds(m: &ModelSpec, w: &Weights, pos: u64, k: &KernelRates) -> f64 {
    measured_decode_parts(m, w, pos, k).total()
}

/// Seconds to process a prompt of `n` tokens.
pub fn prefill_seconds(
    m: &ModelSpec,
    w: &Weights,
    p: &RuntimeProfile,
    n: u64,
    cal: &Calibration,
) -> f64 {
    let f = cal.compute_gflops.best * 1e9;
    let n = n.max(1) as f64;
    let Some(k) = &cal.llama_cpp else {
        let rate = |ty: GgmlType| kernel_factor(ty).prefill * f;
        let mut t = 0.0;
        let mut matmul = 0.0;
        for a in active_by_type(m, w) {
            t += a.prompt_flops(n) / rate(a.ty);
            matmul += a.prompt_flops(n);
        }
        let attn = (prefill_flops(m, w, n as u64) - matmul).max(0.0);
        return t + attn / rate(p.type_k.ggml());
    };
    measured_prefill_seconds(m, w, n, k)
}

/// Seconds to process a prompt of `n` tokens with llama.cpp's kernels measured on this machine:
/// the dense products, the routed experts at their measured ratio, attention.
pub fn measured_prefill_seconds(m: &ModelSpec, w: &Weights, n: f64, k: &KernelRates) -> f64 {
    measured_prefill_parts(m, w, n, k).total()
}

/// [`measured_prefill_seconds`] part by part.
pub fn measured_prefill_parts(m: &ModelSpec, w: &Weights, n: f64, k: &KernelRates) -> TimeParts {
    prefill_parts_at(m, w, n, k, |ty| k.expert_ratio(ty))
}

/// A calibrated prefill of `n` tokens part by part with each type's routed experts at their
/// decode streaming time per token — before [`KernelRates::expert_ratio`], which the
/// routed-MoE probes measure from it.
///
/// Routed experts do not run as one matrix product: llama.cpp's CPU MUL_MAT_ID multiplies each
/// expert's rows by the tokens routed to it, in small tiles (ggml-cpu's
/// `ggml_compute_forward_mul_mat_id`), so their cost grows per token like a decoded token's
/// rather than at the dense matrix rate (which put the Qwen3-MoE shape 42% and the gpt-oss
/// shape 3× too fast). How much faster than a decode's stream the tiles run (the rows are
/// reused from cache by the ~32 tokens an expert gets in a micro-batch) depends on the machine:
/// on one AMD EPYC VM 1.15×, on another, whose memory read had halved, 1.8×; hence the probe.
pub fn streaming_prefill_parts(m: &ModelSpec, w: &Weights, n: f64, k: &KernelRates) -> TimeParts {
    prefill_parts_at(m, w, n, k, |_| 1.0)
}

/// The prefill's parts with each type's routed experts `expert_ratio(type)` times faster than
/// their decode streaming time: each type's dense products at its measured prefill rate, and
/// attention.
fn prefill_parts_at(
    m: &ModelSpec,
    w: &Weights,
    n: f64,
    k: &KernelRates,
    expert_ratio: impl Fn(GgmlType) -> f64,
) -> TimeParts {
    let mut dense = Vec::new();
    let mut experts = Vec::new();
    for a in active_by_type(m, w) {
        let products = ActiveType {
            params: a.params - a.expert_params,
            ..a
        };
        dense.push((
            a.ty,
            products.prompt_flops(n) / measured_prefill_flops(k, a.ty),
        ));
        if a.expert_params > 0.0 {
            let bytes = a.bytes * a.expert_params / a.params;
            let streaming =
                measured_stream_secs(k, a.ty, bytes, a.expert_params, a.expert_narrow_bytes) * n;
            experts.push((a.ty, streaming / expert_ratio(a.ty)));
        }
    }
    TimeParts {
        dense,
        experts,
        attention: crate::kernels::prefill_attention_units(m, n as u64)
            * k.prefill_attention_ns
            * 1e-9,
    }
}

/// Whether llama.cpp's kernels were measured on this machine (`cabe calibrate
/// --llama-bench`). Without that the build machine's factors are used: they do not carry over
/// to another CPU, AVX-512 or not (an AMD EPYC's decode was predicted 56–66% low with them).
pub fn factors_measured_for(cal: &Calibration) -> bool {
    cal.llama_cpp.is_some()
}

/// The weight types (and the KV cache's) whose kernel rates this prediction borrows.
pub fn unmeasured_types(m: &ModelSpec, w: &Weights, cal: &Calibration) -> Vec<&'static str> {
    let measured = |t: GgmlType| match &cal.llama_cpp {
        Some(k) => k.rate(t).is_some(),
        None => false,
    };
    // Vectors (norms, biases) are not matrix products: no kernel to measure.
    let mut v: Vec<&'static str> = active_by_type(m, w)
        .iter()
        .filter(|a| a.rows > 0.0)
        .map(|a| a.ty)
        .filter(|t| !measured(*t))
        .map(|t| t.name())
        .collect();
    v.dedup();
    v
}

fn band(typical: f64, b: EffRange) -> EffRange {
    [typical * b[0], typical * b[1], typical * b[2]]
}

/// Efficiencies for `cabe_core::speed` on the calibrated figures (bandwidth = `BW`,
/// compute = the int8 ceiling `F × int8_per_fma`) that reproduce this model's rooflines at decode position `pos` and for a
/// prompt of `prompt` tokens.
pub fn efficiency_for(
    m: &ModelSpec,
    w: &Weights,
    p: &RuntimeProfile,
    pos: u64,
    prompt: u64,
    cal: &Calibration,
) -> Efficiency {
    let (secs, bytes) = decode_seconds(m, w, p, pos, cal);
    let decode = bytes / (cal.bandwidth_gbps.best * 1e9 * secs);
    // Prefill relative to the int8 ceiling (what `fp16_tflops` holds for a calibrated CPU), so
    // that the range stays under its ceiling.
    let pre_secs = prefill_seconds(m, w, p, prompt, cal);
    let prefill = prefill_flops(m, w, prompt.max(1)) / (cal.int8_flops() * pre_secs);
    let source = match &cal.llama_cpp {
        Some(k) => {
            let borrowed: Vec<String> = unmeasured_types(m, w, cal)
                .iter()
                .filter_map(|n| GgmlType::from_name(n))
                .map(|t| match k.rate(relative(t)) {
                    Some(_) => format!("{} ({}'s rate)", t.name(), relative(t).name()),
                    None => format!("{} (the fastest measured streaming rate)", t.name()),
                })
                .collect();
            let borrowed = if borrowed.is_empty() {
                String::new()
            } else {
                format!("; not measured here: {}", borrowed.join(", "))
            };
            format!(
                "calibrated CPU with llama.cpp's kernels measured here (llama-bench {}, {} thread{}, repacked kernels {}): per weight type, decode = bytes ÷ the type's measured streaming rate (at {:.2}× it in a model 1,024 wide or narrower) + {:.2} ns per cached key and head, prefill = FLOPs ÷ the type's measured rate + {:.2} ns per (query, key, head) (crates/cabe-bench/src/kernels.rs){borrowed}",
                k.build,
                k.threads,
                if k.threads == 1 { "" } else { "s" },
                if k.repack { "on" } else { "off" },
                k.narrow_ratio,
                k.decode_attention_ns,
                k.prefill_attention_ns
            )
        }
        None => format!(
            "calibrated CPU: per weight type, decode = max(bytes ÷ ({MEMORY_EFFICIENCY} × the streaming bandwidth), FLOPs ÷ the kernel's rate) + {:.1} ns per matrix row, prefill = FLOPs ÷ the kernel's rate; kernel rates relative to the measured f32 FMA rate, measured on the project's build machine (an Intel Xeon), not this one: `cabe calibrate --llama-bench PATH` measures llama.cpp's own kernels here (crates/cabe-bench/src/cpu.rs)",
            row_overhead_secs(cal.threads) * 1e9
        ),
    };
    Efficiency {
        // The calibrated CPU model's measured rates already include llama.cpp's overheads.
        decode_layer_overhead_s: 0.0,
        prefill_expert_half_tokens: 0.0,
        decode: band(decode.min(1.0), DECODE_BAND),
        prefill_shader: band(prefill, PREFILL_BAND),
        prefill_tensor: band(prefill, PREFILL_BAND),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::Measured;
    use cabe_core::quant::FileType;
    use cabe_core::weights::for_file_type;

    fn cal(bw: f64, gflops: f64) -> Calibration {
        let m = |x: f64| Measured {
            best: x,
            median: x,
            samples: vec![x],
        };
        Calibration {
            format: crate::calibrate::FORMAT,
            measured_at: 0,
            machine: "t".into(),
            threads: 2,
            quick: false,
            buffer_bytes: 1 << 30,
            bandwidth_gbps: m(bw),
            bandwidth_1t_gbps: None,
            compute_gflops: m(gflops),
            compute_kernel: "f32 FMA, AVX-512, 16 lanes × 12 chains".into(),
            int8_per_fma: 4.0,
            llama_cpp: None,
            cabe_version: "0".into(),
        }
    }

    fn spec(id: &str) -> ModelSpec {
        cabe_catalog::find_model(id).unwrap().spec.clone()
    }

    #[test]
    fn active_types_follow_the_weights_rule() {
        for (id, ft) in [
            ("llama-3.2-1b", FileType::Q4_K_M),
            ("qwen3-30b-a3b", FileType::Q4_K_M),
        ] {
            let m = spec(id);
            let w = for_file_type(&m, ft);
            let by = active_by_type(&m, &w);
            let params: f64 = by.iter().map(|x| x.params).sum();
            let bytes: f64 = by.iter().map(|x| x.bytes).sum();
            assert!((params - w.params_active as f64).abs() < 2.0, "{id}");
            assert!((bytes - w.bytes_active as f64).abs() < 2.0, "{id}");
        }
    }

    #[test]
    fn q8_0_decode_is_memory_bound_and_q4_k_compute_bound_on_two_cores() {
        let c = cal(24.4, 360.0);
        let p = RuntimeProfile::new(4096);
        let m = spec("llama-3.2-1b");
        let q8 = for_file_type(&m, FileType::Q8_0);
        let (t8, b8) = decode_seconds(&m, &q8, &p, 0, &c);
        // Memory-bound: bytes at 68% of 24.4 GB/s, plus the fixed cost of each row.
        let rows: f64 = active_by_type(&m, &q8).iter().map(|a| a.rows).sum();
        // Llama-3.2-1B: 16 layers × 23,552 rows + the tied 128,256-row output head.
        assert_eq!(rows, (16 * 23_552 + 128_256) as f64);
        let expect = b8 / (MEMORY_EFFICIENCY * 24.4e9) + rows * ROW_OVERHEAD_MT;
        assert!((t8 - expect).abs() / t8 < 0.02, "{t8} {expect}");
        let q4 = for_file_type(&m, FileType::Q4_K_M);
        let (t4, b4) = decode_seconds(&m, &q4, &p, 0, &c);
        // Q4_K_M reads 60% of Q8_0's bytes but is not 40% faster: its kernel bounds it.
        assert!(b4 < 0.65 * b8 && t4 > 0.8 * t8, "{t4} {t8}");
        let e = efficiency_for(&m, &q4, &p, 0, 512, &c);
        assert!(
            e.decode[1] < MEMORY_EFFICIENCY
                && e.decode[0] < e.decode[1]
                && e.decode[1] < e.decode[2]
        );
        // Q4_K prefill beats the f32 FMA rate, under the int8 ceiling (4 × with VNNI).
        assert!(e.prefill_shader[1] * 4.0 > 1.0 && e.prefill_shader[2] < 1.0);
        // With many cores the compute ceiling rises: decode becomes memory-bound.
        let big = cal(24.4, 3600.0);
        let (tb, _) = decode_seconds(&m, &q4, &p, 0, &big);
        let rows: f64 = active_by_type(&m, &q4).iter().map(|a| a.rows).sum();
        let expect = b4 / (MEMORY_EFFICIENCY * 24.4e9) + rows * ROW_OVERHEAD_MT;
        assert!((tb - expect).abs() / tb < 0.05);
    }

    #[test]
    fn small_machines_stream_what_their_cores_can() {
        let mut c = cal(30.0, 450.0);
        assert_eq!(decode_bandwidth(&c), 30e9);
        c.bandwidth_1t_gbps = Some(Measured {
            best: 15.0,
            median: 15.0,
            samples: vec![15.0],
        });
        // 2 threads × 15 × 0.75 = 22.5 < 30.
        assert!((decode_bandwidth(&c) - 22.5e9).abs() < 1.0);
        // Many cores: the all-thread figure binds.
        c.threads = 16;
        assert_eq!(decode_bandwidth(&c), 30e9);
        c.threads = 1;
        assert_eq!(decode_bandwidth(&c), 30e9);
    }

    #[test]
    fn long_contexts_add_attention() {
        let c = cal(24.4, 360.0);
        let p = RuntimeProfile::new(32768);
        let m = spec("llama-3.2-1b");
        let w = for_file_type(&m, FileType::Q8_0);
        let (t0, _) = decode_seconds(&m, &w, &p, 0, &c);
        let (t1, _) = decode_seconds(&m, &w, &p, 32768, &c);
        assert!(t1 > 1.5 * t0);
        let p512 = prefill_seconds(&m, &w, &p, 512, &c) / 512.0;
        let p32k = prefill_seconds(&m, &w, &p, 32768, &c) / 32768.0;
        assert!(
            p32k > 1.2 * p512,
            "attention grows the per-token prefill cost"
        );
        assert!(!kernel_factor(GgmlType::F16).measured && kernel_factor(GgmlType::Q6_K).measured);
    }

    #[test]
    fn narrow_models_pay_per_row() {
        // Same bytes, twice the rows: slower by the rows' fixed cost.
        let c = cal(24.4, 360.0);
        let p = RuntimeProfile::new(4096);
        let m = spec("qwen3-0.6b");
        let w = for_file_type(&m, FileType::Q8_0);
        let rows: f64 = active_by_type(&m, &w).iter().map(|a| a.rows).sum();
        let (t, bytes) = decode_seconds(&m, &w, &p, 0, &c);
        let streaming = bytes / (MEMORY_EFFICIENCY * decode_bandwidth(&c));
        assert!((t - streaming - rows * ROW_OVERHEAD_MT).abs() < 1e-9 + 0.01 * t);
        assert!(
            rows * ROW_OVERHEAD_MT > 0.1 * t,
            "a 1024-wide model loses >10% to rows"
        );
    }

    fn rates(types: &[(GgmlType, f64, f64)]) -> KernelRates {
        KernelRates {
            llama_bench: "llama-bench".into(),
            build: "b1 (x)".into(),
            threads: 1,
            repack: true,
            narrow_ratio: 0.9,
            prefill_attention_ns: 1.0,
            decode_attention_ns: 2.0,
            expert_ratios: Default::default(),
            types: types
                .iter()
                .map(|&(t, gbps, gflops)| crate::kernels::TypeRate {
                    ty: t.name().into(),
                    decode_gbps: gbps,
                    decode_ns_per_param: 8.0 * t.type_size() as f64
                        / t.block_size() as f64
                        / 8.0
                        / gbps,
                    prefill_gflops: gflops,
                    tg_tps: 0.0,
                    pp_tps: 0.0,
                })
                .collect(),
        }
    }

    #[test]
    fn without_llama_bench_every_factor_is_the_build_machines() {
        let c = cal(24.4, 360.0);
        let m = spec("llama-3.2-1b");
        let w = for_file_type(&m, FileType::Q4_K_M);
        assert!(!factors_measured_for(&c));
        let v = unmeasured_types(&m, &w, &c);
        assert!(v.contains(&"Q4_K") && v.contains(&"Q6_K"), "{v:?}");
        let e = efficiency_for(&m, &w, &RuntimeProfile::new(4096), 0, 512, &c);
        assert!(e.source.contains("not this one"), "{}", e.source);
    }

    #[test]
    fn measured_kernels_predict_type_by_type() {
        let mut c = cal(24.4, 360.0);
        c.llama_cpp = Some(rates(&[
            (GgmlType::Q4_K, 12.0, 200.0),
            (GgmlType::Q6_K, 15.0, 180.0),
            (GgmlType::F16, 18.0, 90.0),
        ]));
        let m = spec("llama-3.2-1b");
        let w = for_file_type(&m, FileType::Q4_K_M);
        let p = RuntimeProfile::new(4096);
        assert!(factors_measured_for(&c));
        assert!(unmeasured_types(&m, &w, &c).is_empty());
        let by = active_by_type(&m, &w);
        let expect: f64 = by
            .iter()
            .map(|a| {
                let gbps = match a.ty {
                    GgmlType::Q4_K => 12.0,
                    GgmlType::Q6_K => 15.0,
                    // F32 norms: F16's time per parameter or the best streaming rate.
                    _ => 18.0,
                };
                let stream = if a.ty == GgmlType::F32 {
                    (a.params * 2.0 / 18.0 * 1e-9).max(a.bytes / 18e9)
                } else {
                    a.bytes / (gbps * 1e9)
                };
                // Llama-3.2-1B's rows are all 2,048 long or longer: no narrow share.
                assert_eq!(a.narrow_bytes, 0.0);
                stream
            })
            .sum();
        let (t, _) = decode_seconds(&m, &w, &p, 0, &c);
        assert!((t - expect).abs() / expect < 1e-6, "{t} {expect}");
        // Prefill: each type's FLOPs at its rate.
        let pre = prefill_seconds(&m, &w, &p, 512, &c);
        let matmul: f64 = by
            .iter()
            .map(|a| {
                let r = match a.ty {
                    GgmlType::Q4_K => 200e9,
                    GgmlType::Q6_K => 180e9,
                    _ => 90e9,
                };
                a.prompt_flops(512.0) / r
            })
            .sum();
        // The head runs for the last token only; attention at 1 ns per (query, key, head).
        let attn = crate::kernels::prefill_attention_units(&m, 512) * 1e-9;
        assert!(
            (pre - matmul - attn).abs() < 1e-9 * pre,
            "{pre} {matmul} {attn}"
        );
        let e = efficiency_for(&m, &w, &p, 0, 512, &c);
        assert!(e.source.contains("measured here"), "{}", e.source);
        assert!(!e.source.contains("not measured"), "{}", e.source);
    }

    #[test]
    fn narrow_rows_stream_at_the_measured_ratio() {
        let mut c = cal(24.4, 360.0);
        c.llama_cpp = Some(rates(&[(GgmlType::Q8_0, 20.0, 150.0)]));
        let m = spec("qwen3-0.6b");
        let w = for_file_type(&m, FileType::Q8_0);
        let p = RuntimeProfile::new(4096);
        let (t, _) = decode_seconds(&m, &w, &p, 0, &c);
        // Qwen3-0.6B is 1,024 wide: its matrices stream at 0.9 of the wide rate.
        let by = active_by_type(&m, &w);
        let q8 = by.iter().find(|a| a.ty == GgmlType::Q8_0).unwrap();
        assert!(q8.narrow_bytes > 0.99 * q8.bytes && q8.narrow_bytes <= q8.bytes);
        let wide = q8.bytes / 20e9;
        let expect = wide * (q8.bytes - q8.narrow_bytes + q8.narrow_bytes / 0.9) / q8.bytes;
        assert!(t > expect && t < expect * 1.01, "{t} {expect}");
    }

    #[test]
    fn an_unmeasured_type_borrows_its_relatives_time_per_parameter() {
        let mut c = cal(24.4, 360.0);
        c.llama_cpp = Some(rates(&[
            (GgmlType::Q4_K, 12.0, 200.0),
            (GgmlType::Q8_0, 20.0, 150.0),
        ]));
        let m = spec("llama-3.2-1b");
        let q3 = for_file_type(&m, FileType::Q3_K_M);
        let q4 = for_file_type(&m, FileType::Q4_K_M);
        let p = RuntimeProfile::new(4096);
        let (t3, _) = decode_seconds(&m, &q3, &p, 0, &c);
        let (t4, _) = decode_seconds(&m, &q4, &p, 0, &c);
        // Fewer bytes, the same kernel family's time per parameter: about Q4_K_M's time (its
        // Q6_K tensors, unmeasured here, stream at the best rate), never faster than the best
        // streaming rate allows.
        assert!((t3 / t4 - 1.0).abs() < 0.05, "{t3} {t4}");
        assert!(t3 >= q3.bytes_active as f64 / 20e9);
        let e = efficiency_for(&m, &q3, &p, 0, 512, &c);
        assert!(
            e.source.contains("not measured here: ") && e.source.contains("Q3_K (Q4_K's rate)"),
            "{}",
            e.source
        );
    }
}
