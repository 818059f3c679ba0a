//! Speed against context length: for each length the memory plan (which may spill to system
//! RAM), the decode rate at that position and the prefill of a prompt that long, all through
//! [`SpeedBasis::predict`]; and where the time to the first token crosses a client's timeout.
//! `cabe curve` prints this; it computes nothing itself.

use crate::runtime::RuntimeSettings;
use crate::speed::SpeedBasis;
use cabe_core::model::ModelSpec;
use cabe_core::plan::{plan, Capacity, Verdict};
use cabe_core::speed::{Placement, Range};
use cabe_core::weights::Weights;
use serde::Serialize;

/// One length on the curve.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub tokens: u64,
    /// None when the machine's bandwidth is unknown.
    pub decode_tps: Option<Range>,
    pub prefill_tps: Option<Range>,
    pub ttft_s: Option<Range>,
    /// Share of the bytes per token read from system RAM at this context.
    pub cpu_fraction: f64,
    pub fits: bool,
}

/// Where the time to first token crosses the timeout: the typical prompt length, and the
/// range from the fastest to the slowest prefill.
#[derive(Clone, Debug, Serialize)]
pub struct Crossing {
    pub timeout_s: f64,
    /// Prompt tokens where the typical time reaches the timeout; None: not within the curve.
    pub typical_tokens: Option<u64>,
    /// With the slowest prefill in the range (earliest crossing).
    pub earliest_tokens: Option<u64>,
    /// With the fastest prefill in the range (latest crossing).
    pub latest_tokens: Option<u64>,
}

/// The whole curve.
#[derive(Clone, Debug, Serialize)]
pub struct Curve {
    pub points: Vec<Point>,
    pub timeout: Option<Crossing>,
}

/// What a curve is drawn for.
pub struct CurveRequest<'a> {
    pub spec: &'a ModelSpec,
    pub weights: &'a Weights,
    pub capacity: &'a Capacity,
    pub settings: &'a RuntimeSettings,
    pub basis: &'a SpeedBasis,
    /// The longest context / prompt.
    pub max_tokens: u64,
    /// Points, spaced geometrically from 256 (or half of `max_tokens`) to `max_tokens`.
    pub points: usize,
    pub timeout_s: Option<f64>,
}

/// The curve: every point from the same plan and prediction `fit` makes at that length.
pub fn curve(r: &CurveRequest) -> Curve {
    let (s, w) = (r.spec, r.weights);
    let at = |n: u64| -> Point {
        let profile = r.settings.profile(s, n);
        let p = plan(s, w, &profile, r.capacity);
        let place = Placement::from_plan(&p, w);
        let pred = r.basis.predict(s, w, &profile, place, n, n);
        Point {
            tokens: n,
            decode_tps: pred.decode,
            ttft_s: pred.prefill.map(|x| x.time_for(n as f64)),
            prefill_tps: pred.prefill,
            cpu_fraction: place.cpu_fraction,
            fits: p.verdict != Verdict::DoesNotFit,
        }
    };
    let max = r.max_tokens.max(2);
    let lo = 256.min(max / 2);
    let points = geometric(lo, max, r.points).into_iter().map(at).collect();
    // The crossing is where a prompt's prefill, all in fast memory, outlasts the timeout.
    let timeout = r.timeout_s.map(|t| {
        let ttft = |pick: fn(&Range) -> f64| {
            move |n: u64| {
                let profile = r.settings.profile(s, n);
                r.basis
                    .predict(s, w, &profile, Placement::default(), n, n)
                    .prefill
                    .map_or(0.0, |x| pick(&x.time_for(n as f64)))
            }
        };
        Crossing {
            timeout_s: t,
            typical_tokens: first_above(max, t, ttft(|x| x.typical)),
            earliest_tokens: first_above(max, t, ttft(|x| x.high)),
            latest_tokens: first_above(max, t, ttft(|x| x.low)),
        }
    });
    Curve { points, timeout }
}

/// `n` lengths from `lo` to `hi`, evenly spaced on a log scale (2 to 400 of them).
pub fn geometric(lo: u64, hi: u64, n: usize) -> Vec<u64> {
    let n = n.clamp(2, 400);
    let (a, b) = ((lo.max(1) as f64).ln(), (hi.max(1) as f64).ln());
    let mut v: Vec<u64> = (0..n)
        .map(|i| (a + (b - a) * i as f64 / (n - 1) as f64).exp().round() as u64)
        .collect();
    v.dedup();
    v
}

/// The smallest n in [1, max] with `f(n) > limit`, for increasing `f`.
fn first_above(max: u64, limit: f64, f: impl Fn(u64) -> f64) -> Option<u64> {
    if f(max) <= limit {
        return None;
    }
    let (mut lo, mut hi) = (0u64, max);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if f(mid) > limit {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bisection_finds_the_first_length_above() {
        assert_eq!(first_above(1000, 300.0, |n| n as f64), Some(301));
        assert_eq!(first_above(100, 300.0, |n| n as f64), None);
        assert_eq!(first_above(1000, 0.5, |n| n as f64), Some(1));
    }

    #[test]
    fn lengths_span_the_range() {
        let g = geometric(256, 32768, 8);
        assert_eq!((g[0], *g.last().unwrap()), (256, 32768));
        assert!(g.windows(2).all(|w| w[0] < w[1]));
    }
}
