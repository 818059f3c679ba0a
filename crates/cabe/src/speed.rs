//! The speed part of `cabe fit`: decode and prefill ranges, time to first token, the timeout.

use crate::calibrate::corrected_basis;
use crate::cli::FitArgs;
use crate::machine::Machine;
use crate::resolve::ResolvedModel;
use anyhow::{bail, Result};
use cabe_bench::store::Correction;
use cabe_core::kv::RuntimeProfile;
use cabe_core::plan::MemoryPlan;
use cabe_core::speed::{fmt_seconds, prefill_seconds_at, Placement, Range};
use cabe_core::units::fmt_int;
use serde::Serialize;

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

pub fn report(
    a: &FitArgs,
    model: &ResolvedModel,
    machine: &Machine,
    plan: &MemoryPlan,
    profile: &RuntimeProfile,
) -> Result<Option<SpeedReport>> {
    if let Some(r) = a.prefill_rate {
        if !(r.is_finite() && r > 0.0) {
            bail!("--prefill-rate must be a positive number of tokens per second");
        }
    }
    let timeout_s = crate::args::optional_duration("--timeout", a.timeout.as_deref())?;
    let hw = &machine.spec;
    let needs_speed = a.prompt_tokens.is_some()
        || timeout_s.is_some()
        || a.prefill_rate.is_some()
        || a.claimed_decode.is_some();
    let (basis, correction_line) = corrected_basis(machine);
    let dev = basis.dev.clone();
    if dev.bandwidth_gbps <= 0.0 && !needs_speed {
        return Ok(None);
    }
    let correction = basis.correction.clone();
    let place = Placement::from_plan(plan, &model.weights);
    let cpu_fraction = place.cpu_fraction;
    let s = &model.spec;
    let w = &model.weights;
    let at = a
        .prompt_tokens
        .unwrap_or(plan.ctx / profile.n_seq.max(1) as u64);
    let mut lines = basis.notes.clone();
    let known_bw = dev.bandwidth_gbps > 0.0;
    let prompt = a.prompt_tokens.unwrap_or(512);
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

    let (prefill_source, prefill) = match (a.prefill_rate, a.prompt_tokens) {
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
    let ttft = match (a.prompt_tokens, &prefill) {
        (Some(n), Some(r)) => Some(r.time_for(n as f64)),
        _ => None,
    };
    if let Some(n) = a.prompt_tokens {
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
    let total = match (&ttft, a.gen_tokens) {
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
    let batch = a.prompt_tokens.unwrap_or(512).min(a.ubatch as u64);
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
    let claim = a.claimed_decode.map(|c| {
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
    Ok(Some(SpeedReport {
        claimed_decode_tps: a.claimed_decode,
        claim_exceeds_ceiling: claim,
        backend: hw.backend.name().to_string(),
        bandwidth_gbps: dev.bandwidth_gbps,
        decode_empty_tps: decode_empty,
        decode_at_tokens: at,
        decode_tps: decode_at,
        cpu_fraction,
        prompt_tokens: a.prompt_tokens,
        prefill_source,
        prefill_tps: prefill,
        ttft_s: ttft,
        gen_tokens: a.gen_tokens,
        total_s: total,
        timeout_s,
        first_token_before_timeout: verdict,
        efficiency_source: at_pos.efficiency_source.clone(),
        calibrated_at: basis
            .calibration
            .as_ref()
            .map(|c| cabe_bench::time::rfc3339(c.measured_at)),
        basis: basis.key,
        correction,
        lines,
    }))
}
