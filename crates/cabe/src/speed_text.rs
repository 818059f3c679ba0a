//! A speed report's lines in this run's language. The engine words them in English
//! (`SpeedReport::lines`, which `--json` carries and English output prints); for another
//! language they are worded again here from the report's figures, line for line.

use crate::calibrate::History;
use cabe_core::kv::RuntimeProfile;
use cabe_core::model::ModelSpec;
use cabe_core::speed::Range;
use cabe_core::weights::Weights;
use cabe_engine::assess::PrefillSource;
use cabe_engine::speed::{BasisNote, Miss, MissCause};
use cabe_engine::SpeedReport;
use cabe_i18n::{Arg, Lang};

/// What the lines are worded from, beside the report.
pub struct Context<'a> {
    /// The basis's own notes (calibration), as the engine put them first.
    pub notes: &'a [BasisNote],
    /// What the bench history did, as the engine put it after the timeout.
    pub correction: Option<&'a History>,
    pub ubatch: u64,
    pub hardware_id: &'a str,
    pub spec: &'a ModelSpec,
    pub weights: &'a Weights,
    pub profile: &'a RuntimeProfile,
    /// Routed-expert layers kept on the CPU (`--n-cpu-moe`), 0 for none.
    pub cpu_expert_layers: u32,
}

/// Micro-batches below this run llama.cpp's slower small-batch kernels (as in the engine).
const SMALL_BATCH: u64 = 128;

/// The lines of `s` in `l`: the engine's own for English.
pub fn lines(s: &SpeedReport, c: &Context, l: Lang) -> Vec<String> {
    if l == Lang::En {
        return s.lines.clone();
    }
    let mut out: Vec<String> = c.notes.iter().map(|n| basis_note(n, l)).collect();
    let known_bw = s.bandwidth_gbps > 0.0;
    if known_bw {
        out.push(t!(
            in l,
            "speed-decode",
            empty = range(&s.decode_empty_tps, "tok/s", l),
            at = range(&s.decode_tps, "tok/s", l),
            tokens = s.decode_at_tokens
        ));
        if s.cpu_fraction > 0.0 {
            let pct = Arg::dec(s.cpu_fraction * 100.0, 0);
            out.push(if c.cpu_expert_layers > 0 {
                t!(
                    in l,
                    "speed-cpu-experts",
                    pct = pct,
                    layers = c.cpu_expert_layers
                )
            } else {
                t!(in l, "speed-cpu-offload", pct = pct)
            });
        }
    } else {
        out.push(t!(in l, "speed-bw-unknown"));
    }
    if let Some(n) = s.prompt_tokens {
        if let Some(e) = s.expert_prefill {
            out.push(t!(
                in l,
                "speed-expert-prefill",
                tokens = Arg::dec(e.tokens, 0),
                batch = e.micro_batch,
                pct = Arg::dec(e.share * 100.0, 0)
            ));
        }
        match (&s.prefill_tps, s.prefill_source) {
            (Some(r), PrefillSource::Given) => out.push(t!(
                in l,
                "speed-prefill-given",
                tokens = n,
                rate = l.trim(r.typical),
                time = seconds(n as f64 / r.typical, l)
            )),
            (Some(r), _) => out.push(t!(
                in l,
                "speed-prefill",
                tokens = n,
                range = range(r, "tok/s", l),
                fast = seconds(n as f64 / r.high, l),
                slow = seconds(n as f64 / r.low, l)
            )),
            (None, _) => out.push(t!(
                in l,
                "speed-prefill-unknown",
                tokens = n,
                calibrate = if c.hardware_id == "this-machine" { "yes" } else { "no" }
            )),
        }
    }
    let batch = s.prompt_tokens.unwrap_or(512).min(c.ubatch);
    if s.prefill_source == PrefillSource::Predicted && batch < SMALL_BATCH {
        out.push(t!(in l, "speed-small-batch", min = SMALL_BATCH, batch = batch));
    }
    match (s.timeout_s, &s.ttft_s) {
        (Some(limit), Some(t)) => {
            let ok = t.typical <= limit;
            let range = if s.prefill_source == PrefillSource::Given {
                String::new()
            } else {
                t!(
                    in l,
                    "speed-timeout-range",
                    low = seconds(t.low, l),
                    high = seconds(t.high, l)
                )
            };
            out.push(t!(
                in l,
                "speed-timeout",
                ttft = Arg::dec(t.typical, 0),
                ok = if ok { "yes" } else { "no" },
                limit = Arg::dec(limit, 0),
                range = range
            ));
        }
        (Some(_), None) => out.push(t!(in l, "speed-timeout-unknown")),
        _ => {}
    }
    out.extend(c.correction.map(|h| history(h, l)));
    if let (Some(claim), Some(over)) = (s.claimed_decode_tps, s.claim_exceeds_ceiling) {
        let ceiling = Arg::dec(s.decode_empty_tps.bound, 0);
        out.push(if over {
            let gb = cabe_core::speed::decode_bytes_per_token(c.spec, c.weights, c.profile, 0)
                as f64
                / 1e9;
            t!(
                in l,
                "speed-claim-over",
                claim = l.trim(claim),
                ceiling = ceiling,
                bw = Arg::dec(s.bandwidth_gbps, 0),
                gb = Arg::dec(gb, 2)
            )
        } else {
            t!(in l, "speed-claim-within", claim = l.trim(claim), ceiling = ceiling)
        });
    }
    out
}

/// A rate range as the engine writes it: whole numbers, one decimal under 10.
fn range(r: &Range, unit: &str, l: Lang) -> String {
    let n = |x: f64| if x < 10.0 { l.dec(x, 1) } else { l.dec(x, 0) };
    if r.bound < r.high {
        t!(
            in l,
            "speed-range-over-fp16",
            low = n(r.low),
            high = n(r.high),
            unit = unit,
            typical = n(r.typical)
        )
    } else {
        t!(
            in l,
            "speed-range",
            low = n(r.low),
            high = n(r.high),
            unit = unit,
            typical = n(r.typical),
            bound = n(r.bound)
        )
    }
}

/// Seconds as `cabe_core::speed::fmt_seconds` writes them, in `l`'s numbers.
pub(crate) fn seconds(s: f64, l: Lang) -> String {
    let whole = s.round() as u64;
    if whole >= 60 {
        format!("{} s ({} min {} s)", l.int(whole), whole / 60, whole % 60)
    } else if s >= 10.0 {
        format!("{whole} s")
    } else {
        format!("{} s", l.dec(s, 2))
    }
}

/// One of the basis's notes in `l`: the engine's own words for English.
pub fn basis_note(n: &BasisNote, l: Lang) -> String {
    if l == Lang::En {
        return n.to_string();
    }
    let quick = |q: bool| if q { "yes" } else { "no" };
    match n {
        BasisNote::NoCalibrationPath { error } => {
            t!(in l, "basis-no-path", error = error.as_str())
        }
        BasisNote::NotCalibrated => t!(in l, "basis-not-calibrated"),
        BasisNote::CalibrationUnreadable { error } => {
            t!(in l, "basis-unreadable", error = error.as_str())
        }
        BasisNote::OtherMachine { machine } => {
            t!(in l, "basis-other-machine", machine = machine.as_str())
        }
        BasisNote::CalibratedCpu {
            when,
            quick: q,
            bandwidth_gbps,
            spec_gbps,
            gflops,
            threads,
            kernels,
        } => t!(
            in l,
            "basis-calibrated-cpu",
            when = when.as_str(),
            quick = quick(*q),
            bw = Arg::dec(*bandwidth_gbps, 1),
            spec = match spec_gbps {
                Some(s) => t!(in l, "basis-in-place-of-spec", bw = Arg::dec(*s, 1)),
                None => String::new(),
            },
            gflops = Arg::dec(*gflops, 0),
            threads = *threads,
            kernels = if *kernels { "yes" } else { "no" }
        ),
        BasisNote::CalibratedGpu {
            when,
            quick: q,
            ram_gbps,
            memory_gbps,
        } => {
            let used: Vec<String> = [
                ram_gbps.map(|bw| t!(in l, "basis-used-ram", bw = Arg::dec(bw, 1))),
                memory_gbps.map(|bw| t!(in l, "basis-used-memory", bw = Arg::dec(bw, 1))),
            ]
            .into_iter()
            .flatten()
            .collect();
            if used.is_empty() {
                t!(in l, "basis-calibrated-gpu-own", when = when.as_str(), quick = quick(*q))
            } else {
                t!(
                    in l,
                    "basis-calibrated-gpu",
                    when = when.as_str(),
                    quick = quick(*q),
                    used = used.join(", ")
                )
            }
        }
    }
}

/// What the bench history did, in `l`: the English line (`--json`'s) for English.
pub fn history(h: &History, l: Lang) -> String {
    if l == Lang::En {
        return h.to_string();
    }
    match h {
        History::NotUsed { error } => t!(in l, "basis-history-not-used", error = error.as_str()),
        History::Corrected {
            runs,
            decode,
            prefill,
            miss,
        } => {
            let parts: Vec<String> = [
                decode.map(|f| t!(in l, "basis-factor-decode", factor = Arg::dec(f, 2))),
                prefill.map(|f| t!(in l, "basis-factor-prefill", factor = Arg::dec(f, 2))),
            ]
            .into_iter()
            .flatten()
            .collect();
            let line = t!(
                in l,
                "basis-history-corrected",
                runs = *runs,
                factors = parts.join(", ")
            );
            match miss {
                Some(m) => format!("{line}; {}", miss_line(m, l)),
                None => line,
            }
        }
        History::OtherBasis { runs } => t!(in l, "basis-history-other-basis", runs = *runs),
    }
}

/// A signed percentage as `{:+.0}` writes it, in `l`'s numbers.
fn signed_pct(p: f64, l: Lang) -> String {
    let s = l.dec(p, 0);
    if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
    }
}

fn miss_line(m: &Miss, l: Lang) -> String {
    let parts: Vec<String> = [
        m.decode_pct
            .map(|p| t!(in l, "basis-miss-decode", pct = signed_pct(p, l))),
        m.prefill_pct
            .map(|p| t!(in l, "basis-miss-prefill", pct = signed_pct(p, l))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let what = match m.cause {
        MissCause::BuildMachineKernels => t!(in l, "basis-miss-kernels"),
        MissCause::CalibrationOff => t!(in l, "basis-miss-calibration"),
        MissCause::CatalogOff => t!(in l, "basis-miss-catalog"),
    };
    t!(in l, "basis-miss", parts = parts.join(", "), what = what)
}
