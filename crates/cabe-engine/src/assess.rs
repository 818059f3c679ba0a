//! One request in, one report out: a model, a machine's memory and speed basis, the runtime
//! settings and the workload → the memory plan, the verdict, the largest context that fits
//! and the speed. Every command that sizes or predicts builds a [`Request`] and prints the
//! [`Assessment`]; nothing here reads a file.

use crate::runtime::{Runtime, RuntimeSettings};
use crate::search::{changes_that_fit, Change};
use crate::speed::SpeedBasis;
use crate::split::{devices_of, split, Split};
use cabe_bench::store::Correction;
use cabe_core::hardware::HardwareSpec;
use cabe_core::hardware::MemoryKind;
use cabe_core::kv::RuntimeProfile;
use cabe_core::model::ModelSpec;
use cabe_core::plan::{max_context, plan, Capacity, MemoryPlan, Verdict};
use cabe_core::speed::{
    expert_prefill_share, fmt_seconds, prefill_seconds_at, tokens_per_expert, Placement, Range,
};
use cabe_core::units::fmt_int;
use cabe_core::weights::Weights;
use serde::Serialize;

/// A context size as a user asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CtxChoice {
    /// The model's training context.
    Native,
    /// The largest that fits.
    Max,
    Tokens(u64),
}

/// What the model is asked to do.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Workload {
    pub prompt_tokens: Option<u64>,
    pub gen_tokens: u64,
    /// The client's timeout, in seconds.
    pub timeout_s: Option<f64>,
    /// A measured prefill rate (tok/s) used instead of the prediction.
    pub prefill_rate: Option<f64>,
    /// A decode rate someone claims (tok/s), checked against the bandwidth ceiling.
    pub claimed_decode: Option<f64>,
}

/// Everything an assessment is made from.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub spec: &'a ModelSpec,
    pub weights: &'a Weights,
    pub hardware: &'a HardwareSpec,
    pub capacity: &'a Capacity,
    pub settings: RuntimeSettings,
    pub ctx: CtxChoice,
    pub workload: Workload,
}

/// The memory half: the context chosen, llama.cpp's profile for it, the plan and the largest
/// context that fits with the same settings.
#[derive(Clone, Debug, Serialize)]
pub struct MemoryAssessment {
    pub runtime: Runtime,
    /// Tokens per sequence.
    pub ctx: u64,
    pub profile: RuntimeProfile,
    pub plan: MemoryPlan,
    /// Largest context per sequence that fits (None: not even 256 tokens).
    pub max_ctx: Option<u64>,
    /// When it does not fit in fast memory: each single change that would
    /// ([`crate::search::changes_that_fit`]).
    pub changes: Vec<Change>,
    /// On a machine with several discrete GPUs: the same settings as llama.cpp's layer split
    /// places them, each card with its own layers, KV cache and compute buffer
    /// ([`crate::split`]); the plan above sums the cards as one pool.
    pub per_device: Option<PerDevice>,
}

/// The layer split of a multi-GPU machine, beside the pooled plan.
#[derive(Clone, Debug, Serialize)]
pub struct PerDevice {
    pub split: Split,
    /// The largest context per sequence that fits every card.
    pub max_ctx: Option<u64>,
}

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    #[serde(flatten)]
    pub memory: MemoryAssessment,
    pub speed: Option<SpeedReport>,
}

/// Sizes the request's model under its settings at its context (no speed).
pub fn assess_memory(req: &Request) -> Result<MemoryAssessment, String> {
    let spec = req.spec;
    let settings = &req.settings;
    settings.check(spec)?;
    let native = spec.native_ctx;
    let probe = settings.profile(spec, native.max(256));
    let max_ctx = max_context(spec, req.weights, &probe, req.capacity);
    let ctx = match req.ctx {
        CtxChoice::Native if native == 0 => {
            return Err("the model does not say its native context; give --ctx N".into())
        }
        CtxChoice::Native => native,
        CtxChoice::Max => max_ctx.unwrap_or(256),
        CtxChoice::Tokens(n) => n,
    }
    .max(256);
    let profile = settings.profile(spec, ctx);
    let plan = plan(spec, req.weights, &profile, req.capacity);
    let changes = if plan.verdict == Verdict::Fits {
        Vec::new()
    } else {
        changes_that_fit(req, ctx)
    };
    let per_device = per_device(req, &profile, native.max(ctx));
    Ok(MemoryAssessment {
        runtime: settings.runtime,
        ctx,
        profile,
        plan,
        max_ctx,
        changes,
        per_device,
    })
}

/// [`PerDevice`] for a machine with several discrete GPUs; None otherwise.
fn per_device(req: &Request, profile: &RuntimeProfile, limit: u64) -> Option<PerDevice> {
    let hw = req.hardware;
    if hw.kind != MemoryKind::DiscreteGpu || hw.gpu_count < 2 {
        return None;
    }
    let (devices, host) = devices_of(hw, 1, req.capacity.os_reserve);
    let s = split(req.spec, req.weights, profile, &devices, None, host).ok()?;
    let max_ctx = crate::split::max_context(
        req.spec,
        req.weights,
        &req.settings,
        &devices,
        None,
        host,
        limit,
    );
    Some(PerDevice { split: s, max_ctx })
}

/// The request's memory and speed. `basis` is the machine's speed basis (its calibration and
/// bench-history correction already loaded); `correction_line` says what the history applied.
pub fn assess(
    req: &Request,
    basis: &SpeedBasis,
    correction_line: Option<String>,
) -> Result<Assessment, String> {
    let memory = assess_memory(req)?;
    let speed = speed_report(req, &memory.plan, &memory.profile, basis, correction_line);
    Ok(Assessment { memory, speed })
}

/// Where a prefill figure came from.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum PrefillSource {
    /// `--prefill-rate`.
    Given,
    /// Predicted from the device's compute and the efficiency table.
    Predicted,
    /// The machine has no compute figure: no prediction.
    Unknown,
}

#[derive(Clone, Debug, Serialize)]
pub struct SpeedReport {
    pub backend: String,
    pub bandwidth_gbps: f64,
    /// Decode tok/s with an empty context and at `decode_at_tokens`.
    pub decode_empty_tps: Range,
    pub decode_at_tokens: u64,
    pub decode_tps: Range,
    pub cpu_fraction: f64,
    pub prompt_tokens: Option<u64>,
    pub prefill_source: PrefillSource,
    pub prefill_tps: Option<Range>,
    /// Seconds to the first token (prefill of the whole prompt).
    pub ttft_s: Option<Range>,
    pub gen_tokens: u64,
    pub total_s: Option<Range>,
    pub timeout_s: Option<f64>,
    /// `Some(false)`: even the typical time is past the timeout.
    pub first_token_before_timeout: Option<bool>,
    /// `--claimed-decode`: the figure and whether it is above the ceiling.
    pub claimed_decode_tps: Option<f64>,
    pub claim_exceeds_ceiling: Option<bool>,
    pub efficiency_source: String,
    /// What the predictions are made from: "calibrated <time>" or "catalog".
    pub basis: String,
    /// When this machine was calibrated (RFC 3339), if its calibration is used.
    pub calibrated_at: Option<String>,
    /// The factors measured runs (`cabe bench`) applied to decode and prefill.
    pub correction: Option<Correction>,
    pub lines: Vec<String>,
    /// The routed experts' slower prefill `lines` names, for wording it in another language.
    #[serde(skip)]
    pub expert_prefill: Option<ExpertPrefill>,
}

/// A mixture of experts' routed experts in small micro-batches: about `tokens` reach each
/// expert per micro-batch of `micro_batch`, and their products run at `share` of the dense
/// rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExpertPrefill {
    pub tokens: f64,
    pub micro_batch: u64,
    pub share: f64,
}

fn fmt_range(r: &Range, unit: &str) -> String {
    // Whole numbers, but one decimal under 10 so that a slow rate is not "1–1 tok/s".
    let n = |x: f64| {
        if x < 10.0 {
            format!("{x:.1}")
        } else {
            format!("{x:.0}")
        }
    };
    let (low, high, typical) = (n(r.low), n(r.high), n(r.typical));
    // A consumer GPU's catalog figure is its shader FP16 rate, which llama.cpp's int8/tensor
    // kernels exceed (data/speed.toml): efficiency 1 is then no ceiling, and none is claimed.
    if r.bound < r.high {
        return format!(
            "{low}–{high} {unit} (typical {typical}; above the listed FP16 rate, as int8 kernels run)"
        );
    }
    format!(
        "{low}–{high} {unit} (typical {typical}; ceiling {})",
        n(r.bound)
    )
}

/// Micro-batches below this run llama.cpp's slower small-batch kernels.
const SMALL_BATCH: u64 = 128;

/// The speed half of an assessment: decode (empty and at the prompt's position), prefill of
/// How fast a mixture of experts' routed experts run in this prompt's micro-batches, when the
/// device's efficiency slows them (GPUs: few tokens reach each expert).
fn expert_prefill_line(
    m: &ModelSpec,
    w: &Weights,
    basis: &SpeedBasis,
    profile: &RuntimeProfile,
    pos: u64,
    n: u64,
) -> Option<(String, ExpertPrefill)> {
    let dev = basis.device_for(m, w, profile, pos, n);
    let t = tokens_per_expert(m, n, profile.micro_batch());
    let share = expert_prefill_share(t, dev.efficiency.prefill_expert_half_tokens);
    (share < 1.0).then(|| {
        let line = format!(
            "routed experts: about {t:.0} tokens reach each expert per micro-batch of {} \
             (--ubatch), so their matrix products run at {:.0}% of the dense rate",
            profile.micro_batch(),
            100.0 * share
        );
        let e = ExpertPrefill {
            tokens: t,
            micro_batch: profile.micro_batch(),
            share,
        };
        (line, e)
    })
}

/// the prompt, time to first token and to the last, against the client's timeout, through
/// [`SpeedBasis::predict`]. `None` when the bandwidth is unknown and nothing asked for speed.
pub fn speed_report(
    req: &Request,
    plan: &MemoryPlan,
    profile: &RuntimeProfile,
    basis: &SpeedBasis,
    correction_line: Option<String>,
) -> Option<SpeedReport> {
    let wl = &req.workload;
    let timeout_s = wl.timeout_s;
    let hw = req.hardware;
    let needs_speed = wl.prompt_tokens.is_some()
        || timeout_s.is_some()
        || wl.prefill_rate.is_some()
        || wl.claimed_decode.is_some();
    let dev = basis.dev.clone();
    if dev.bandwidth_gbps <= 0.0 && !needs_speed {
        return None;
    }
    let correction = basis.correction.clone();
    let place = Placement::from_plan(plan, req.weights);
    let cpu_fraction = place.cpu_fraction;
    let s = req.spec;
    let w = req.weights;
    let at = wl
        .prompt_tokens
        .unwrap_or(plan.ctx / profile.n_seq.max(1) as u64);
    let mut lines: Vec<String> = basis.notes.iter().map(ToString::to_string).collect();
    let known_bw = dev.bandwidth_gbps > 0.0;
    let prompt = wl.prompt_tokens.unwrap_or(512);
    let empty = basis.predict(s, w, profile, place, 0, prompt);
    let at_pos = basis.predict(s, w, profile, place, at, prompt);
    let no_rate = Range {
        low: 0.0,
        typical: 0.0,
        high: 0.0,
        bound: 0.0,
    };
    let decode_empty = empty.decode.unwrap_or(no_rate);
    let decode_at = at_pos.decode.unwrap_or(no_rate);
    if known_bw {
        lines.push(format!(
            "decode: {} with an empty context; {} at {} tokens",
            fmt_range(&decode_empty, "tok/s"),
            fmt_range(&decode_at, "tok/s"),
            fmt_int(at)
        ));
        if cpu_fraction > 0.0 {
            let experts = plan.memory.cpu_experts;
            lines.push(if experts.bytes > 0 {
                format!(
                    "{:.0}% of the bytes per token come from system RAM (the experts of {} layers kept on the CPU): that share dominates",
                    cpu_fraction * 100.0,
                    experts.layers
                )
            } else {
                format!(
                    "{:.0}% of the bytes per token come from system RAM (CPU offload): that share dominates",
                    cpu_fraction * 100.0
                )
            });
        }
    } else {
        lines.push(
            "decode: this machine's memory bandwidth is unknown (use --on HARDWARE_ID)".to_string(),
        );
    }

    let (prefill_source, prefill) = match (wl.prefill_rate, wl.prompt_tokens) {
        (Some(r), _) => (
            PrefillSource::Given,
            Some(Range {
                low: r,
                typical: r,
                high: r,
                bound: r,
            }),
        ),
        (None, _) => match at_pos.prefill {
            Some(r) => (PrefillSource::Predicted, Some(r)),
            None => (PrefillSource::Unknown, None),
        },
    };
    let ttft = match (wl.prompt_tokens, &prefill) {
        (Some(n), Some(r)) => Some(r.time_for(n as f64)),
        _ => None,
    };
    let mut expert_prefill = None;
    if let Some(n) = wl.prompt_tokens {
        if let (Some(_), PrefillSource::Predicted) = (&prefill, prefill_source) {
            if let Some((l, e)) = expert_prefill_line(s, w, basis, profile, at, n) {
                lines.push(l);
                expert_prefill = Some(e);
            }
        }
        match (&prefill, prefill_source) {
            (Some(r), PrefillSource::Given) => lines.push(format!(
                "prefill: {} tokens ÷ {} tok/s (given) = {}",
                fmt_int(n),
                r.typical,
                fmt_seconds(prefill_seconds_at(n, r.typical))
            )),
            (Some(r), _) => lines.push(format!(
                "prefill of {} tokens: {} → first token after {}–{}",
                fmt_int(n),
                fmt_range(r, "tok/s"),
                fmt_seconds(n as f64 / r.high),
                fmt_seconds(n as f64 / r.low)
            )),
            (None, _) => lines.push(format!(
                "prefill of {} tokens: no compute figure for this machine; give --prefill-rate (a measured rate){}",
                fmt_int(n),
                if hw.id == "this-machine" {
                    " or run `cabe calibrate`"
                } else {
                    ""
                }
            )),
        }
    }
    let total = match (&ttft, wl.gen_tokens) {
        (Some(t), g) if g > 0 && known_bw => {
            let gen = decode_at.time_for(g as f64);
            Some(Range {
                low: t.low + gen.low,
                typical: t.typical + gen.typical,
                high: t.high + gen.high,
                bound: t.bound + gen.bound,
            })
        }
        _ => None,
    };
    // The efficiencies and kernel factors are for full micro-batches (pp512, -ub 512). Smaller
    // batches take slower kernels: on the build machine's CPU, 16-token micro-batches ran at 33%
    // (Q4_K) and 60% (Q8_0) of the 512-token rate, 64-token ones at 82% and 92%, 128 and up at
    // 97–100% (llama-bench -ub, BENCHMARKS.md).
    let batch = wl
        .prompt_tokens
        .unwrap_or(512)
        .min(req.settings.ubatch as u64);
    if prefill_source == PrefillSource::Predicted && batch < SMALL_BATCH {
        lines.push(format!(
            "prefill is predicted for micro-batches of {SMALL_BATCH}+ tokens; this one is {batch}: expect it slower (llama.cpp's CPU prefill ran 1.1–3× slower at 16–64-token batches)"
        ));
    }
    let verdict = match (timeout_s, &ttft) {
        (Some(limit), Some(t)) => {
            let ok = t.typical <= limit;
            let word = if ok { "<=" } else { ">" };
            let range = if prefill_source == PrefillSource::Given {
                String::new()
            } else {
                format!(
                    " (typical; range {}–{})",
                    fmt_seconds(t.low),
                    fmt_seconds(t.high)
                )
            };
            lines.push(format!(
                "timeout: first token after {:.0} s {} {:.0} s client timeout{}{}",
                t.typical,
                word,
                limit,
                range,
                if ok {
                    ""
                } else {
                    ": the client gives up before the model answers"
                }
            ));
            Some(ok)
        }
        (Some(_), None) => {
            lines.push(
                "timeout: cannot judge without a prefill rate (--prefill-rate) and --prompt-tokens"
                    .into(),
            );
            None
        }
        _ => None,
    };
    if let Some(l) = correction_line {
        lines.push(l);
    }
    let claim = wl.claimed_decode.map(|c| {
        let over = cabe_core::speed::claim_exceeds_ceiling(c, &decode_empty);
        if over {
            lines.push(format!(
                "claim: {c} tok/s is above the {:.0} tok/s ceiling ({:.0} GB/s ÷ {:.2} GB read per token): it needs speculative decoding, smaller weights, or it is not this model",
                decode_empty.bound,
                dev.bandwidth_gbps,
                cabe_core::speed::decode_bytes_per_token(s, w, profile, 0) as f64 / 1e9
            ));
        } else {
            lines.push(format!(
                "claim: {c} tok/s is within the {:.0} tok/s ceiling",
                decode_empty.bound
            ));
        }
        over
    });
    Some(SpeedReport {
        claimed_decode_tps: wl.claimed_decode,
        claim_exceeds_ceiling: claim,
        backend: hw.backend.name().to_string(),
        bandwidth_gbps: dev.bandwidth_gbps,
        decode_empty_tps: decode_empty,
        decode_at_tokens: at,
        decode_tps: decode_at,
        cpu_fraction,
        prompt_tokens: wl.prompt_tokens,
        prefill_source,
        prefill_tps: prefill,
        ttft_s: ttft,
        gen_tokens: wl.gen_tokens,
        total_s: total,
        timeout_s,
        first_token_before_timeout: verdict,
        expert_prefill,
        efficiency_source: at_pos.efficiency_source.clone(),
        calibrated_at: basis
            .calibration
            .as_ref()
            .map(|c| cabe_bench::time::rfc3339(c.measured_at)),
        basis: basis.key.clone(),
        correction,
        lines,
    })
}
