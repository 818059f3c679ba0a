//! The machine's drift around one model: the calibration probes of the kernels the model's
//! time goes to, measured again just before and just after it.
//!
//! A model's predicted time is a sum of parts (`cabe_bench::cpu::TimeParts`): each weight
//! type's matrices, a prefill's routed experts (another kernel: llama.cpp's `MUL_MAT_ID`),
//! attention. Each part is referenced to the probe that measured its rate — a type's wide
//! probe (pp512 or tg64), or its routed-MoE probe — and the model's reference is the ratio of
//! its predicted time to the time at each probe's rate now: `Σ t / Σ (t ÷ ratio)`. One probe
//! per model (its main type) missed where a model's time is split: 44% of gpt-oss's predicted
//! decode is in Q8_0 matrices (attention, a 201k-token head), the rest in MXFP4 experts, and
//! a Q4_K_M model's Q6_K matrices and head are 36% (Llama-3.2-1B) to 54% (the Qwen3-MoE shape,
//! whose 151k-token head outweighs 8 layers of active experts) of its decode.

use super::{llama_bench_rows, rate, Setup};
use cabe_bench::cpu::{measured_decode_parts, measured_prefill_parts, TimeParts};
use cabe_bench::kernels::{
    probe_spec, relative, write_moe_probe, write_probe, KernelRates, MoeProbe, MEASURED, WIDE,
};
use cabe_core::quant::GgmlType;
use std::path::Path;

/// A part smaller than this share of a phase's time is referenced with the largest part's
/// probe: measuring it would cost more than its drift can move the total.
const SMALLEST_MEASURED: f64 = 0.10;

/// A calibration probe measured again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Probe {
    /// A type's wide probe, pp512.
    Prefill(GgmlType),
    /// A type's wide probe, tg64.
    Decode(GgmlType),
    /// A type's routed-MoE probe, pp512.
    Experts(GgmlType),
}

impl Probe {
    fn label(&self) -> String {
        match self {
            Probe::Prefill(t) | Probe::Decode(t) => t.name().to_string(),
            Probe::Experts(t) => format!("{} experts", t.name()),
        }
    }
}

/// Which probes reference a model, with the predicted seconds each stands for.
#[derive(Clone, Debug)]
pub struct Plan {
    pub prefill: Vec<(Probe, f64)>,
    pub decode: Vec<(Probe, f64)>,
}

/// The calibration's probe type for weight type `t`: its own, or its relative's.
fn probe_type(t: GgmlType) -> Option<GgmlType> {
    [t, relative(t)]
        .into_iter()
        .find(|x| MEASURED.iter().any(|(m, _)| m == x))
}

/// The model's prefill (512 tokens) and decode (position 32) parts, each mapped to its probe;
/// attention and small parts go with the largest part.
pub fn plan(file: &Path, k: &KernelRates) -> Plan {
    let p = cabe_bench::server::model_from_gguf(file).unwrap();
    let pre = measured_prefill_parts(&p.spec, &p.weights, 512.0, k);
    let dec = measured_decode_parts(&p.spec, &p.weights, 32, k);
    let experts = |t: GgmlType| probe_type(t).map(|t| Probe::Experts(MoeProbe::of(t).ty));
    Plan {
        prefill: group(&pre, |t| probe_type(t).map(Probe::Prefill), experts),
        decode: group(&dec, |t| probe_type(t).map(Probe::Decode), experts),
    }
}

fn group(
    parts: &TimeParts,
    dense: impl Fn(GgmlType) -> Option<Probe>,
    experts: impl Fn(GgmlType) -> Option<Probe>,
) -> Vec<(Probe, f64)> {
    let total = parts.total();
    let mut mapped: Vec<(Option<Probe>, f64)> = parts
        .dense
        .iter()
        .map(|&(t, s)| (dense(t), s))
        .chain(parts.experts.iter().map(|&(t, s)| (experts(t), s)))
        .collect();
    mapped.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out: Vec<(Probe, f64)> = Vec::new();
    let mut rest = parts.attention;
    for (probe, secs) in mapped {
        match probe {
            Some(p) if out.is_empty() || secs >= SMALLEST_MEASURED * total => {
                match out.iter_mut().find(|(q, _)| *q == p) {
                    Some(x) => x.1 += secs,
                    None => out.push((p, secs)),
                }
            }
            _ => rest += secs,
        }
    }
    let largest = out
        .first_mut()
        .expect("a model has matrices of a type the calibration measured");
    largest.1 += rest;
    out
}

/// The model's reference at one moment: each probe's rate now ÷ the calibration's.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Measured {
    /// "pp512 Q4_K experts ×1.04", one per probe.
    pub probes: Vec<String>,
    pub pp: f64,
    pub tg: f64,
}

/// How fast the machine runs the model's kernels now relative to the calibration.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Drift {
    /// The probes of each phase and their shares ("Q4_K experts 88% + Q6_K 12%").
    pub pp_from: String,
    pub tg_from: String,
    /// Over a model's measurement: the geometric mean of the references before and after it.
    pub pp: f64,
    pub tg: f64,
    /// How far the machine moved between the two references: |ln(after ÷ before)|.
    pub moved_pp: f64,
    pub moved_tg: f64,
    pub before: Measured,
    pub after: Measured,
}

impl Drift {
    pub fn between(plan: &Plan, before: &Measured, after: &Measured) -> Drift {
        Drift {
            pp_from: shares(&plan.prefill),
            tg_from: shares(&plan.decode),
            pp: (before.pp * after.pp).sqrt(),
            tg: (before.tg * after.tg).sqrt(),
            moved_pp: (after.pp / before.pp).ln().abs(),
            moved_tg: (after.tg / before.tg).ln().abs(),
            before: before.clone(),
            after: after.clone(),
        }
    }
}

fn shares(parts: &[(Probe, f64)]) -> String {
    let total: f64 = parts.iter().map(|p| p.1).sum();
    parts
        .iter()
        .map(|(p, s)| format!("{} {:.0}%", p.label(), 100.0 * s / total))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Measures the plan's probes now (the calibration's llama-bench arguments; pp512 best of 2,
/// tg64 best of 3: they run twice per model).
pub fn measure(s: &Setup, plan: &Plan) -> Measured {
    let k = s.kernels.as_ref().expect("calibrated first");
    let mut ratios: Vec<(Probe, f64)> = Vec::new();
    for &(p, _) in plan.prefill.iter().chain(&plan.decode) {
        if !ratios.iter().any(|(q, _)| *q == p) {
            ratios.push((p, probe_ratio(s, k, p)));
        }
    }
    let ratio = |p: Probe| ratios.iter().find(|(q, _)| *q == p).unwrap().1;
    // The time at each probe's rate now, against the time predicted.
    let combined = |parts: &[(Probe, f64)]| {
        let t: f64 = parts.iter().map(|x| x.1).sum();
        t / parts.iter().map(|&(p, s)| s / ratio(p)).sum::<f64>()
    };
    Measured {
        probes: ratios
            .iter()
            .map(|(p, r)| format!("{} {} ×{:.2}", phase(p), p.label(), r))
            .collect(),
        pp: combined(&plan.prefill),
        tg: combined(&plan.decode),
    }
}

fn phase(p: &Probe) -> &'static str {
    match p {
        Probe::Decode(_) => "tg64",
        _ => "pp512",
    }
}

fn probe_ratio(s: &Setup, k: &KernelRates, p: Probe) -> f64 {
    match p {
        Probe::Prefill(t) | Probe::Decode(t) => {
            let &(ty, ft) = MEASURED.iter().find(|(m, _)| *m == t).unwrap();
            let cal = k
                .rate(ty)
                .expect("the calibration measured every probe type");
            let file = s.out.join(format!("reference-{}.gguf", ty.name()));
            write_probe(&probe_spec(WIDE.0, WIDE.1), ty, ft, &file).unwrap();
            let r = if matches!(p, Probe::Prefill(_)) {
                rate(&llama_bench_rows(s, &file, 512, 0, 2, &[])[0]).best / cal.pp_tps
            } else {
                rate(&llama_bench_rows(s, &file, 0, 64, 3, &[])[0]).best / cal.tg_tps
            };
            let _ = std::fs::remove_file(&file);
            r
        }
        Probe::Experts(t) => {
            // Against what the calibration gives for that probe: the rate it measured, unless
            // the expert ratio was clamped.
            let probe = MoeProbe::of(t);
            let m = probe.spec();
            let file = s.out.join(format!("reference-moe-{}.gguf", t.name()));
            write_moe_probe(&m, probe.ty, probe.ft, &file).unwrap();
            let g = cabe_gguf::read_model(&file).unwrap();
            let ts: Vec<_> = g.tensors().cloned().collect();
            let w = cabe_gguf::spec::file_weights(&m, &ts);
            let calibrated = 512.0 / cabe_bench::cpu::measured_prefill_seconds(&m, &w, 512.0, k);
            let r = rate(&llama_bench_rows(s, &file, 512, 0, 2, &[])[0]).best / calibrated;
            let _ = std::fs::remove_file(&file);
            r
        }
    }
}
