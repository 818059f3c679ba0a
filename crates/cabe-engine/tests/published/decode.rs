//! Decode (tg128) on GPUs and Apple Silicon. Per backend, a token costs its bytes at an
//! efficiency η of the peak bandwidth plus a fixed overhead per layer:
//! `t = bytes / (η · BW) + n_layer · c`, fitted by least squares on the relative error.

use super::{device_names, held_out, published, quantile};
use cabe_core::hardware::Backend;
use cabe_core::kv::RuntimeProfile;
use cabe_core::quant::FileType;
use cabe_core::speed::{decode_bytes_per_token, decode_rate, Placement, SpeedDevice};
use cabe_core::weights::for_file_type;
use std::collections::BTreeMap;

/// One tg128 row: the device, its backend, bandwidth, the bytes a token reads, the measured rate.
#[derive(Clone, Debug)]
struct Row {
    device: String,
    backend: Backend,
    bandwidth_gbps: f64,
    quant: FileType,
    bytes: f64,
    tps: f64,
}

/// tg128's middle position: llama-bench averages 128 generated tokens.
const POS: u64 = 64;

fn rows() -> Vec<Row> {
    let model = cabe_catalog::find_model("llama-2-7b").unwrap();
    published()
        .into_iter()
        .filter(|r| r.test == "tg128")
        .map(|r| {
            let w = for_file_type(&model.spec, r.quant);
            let bytes =
                decode_bytes_per_token(&model.spec, &w, &RuntimeProfile::new(512), POS) as f64;
            Row {
                device: r.device,
                backend: r.backend,
                bandwidth_gbps: r.dev.bandwidth_gbps,
                quant: r.quant,
                bytes,
                tps: r.tps,
            }
        })
        .collect()
}

const N_LAYER: f64 = 32.0;

/// The printed range spans these quantiles of measured / predicted on the fitted rows (all
/// of them: the range is what was observed).
const LOW_Q: f64 = 0.0;
const HIGH_Q: f64 = 1.0;

/// Least squares on the relative error of `t = a · x + b` (x = bytes / bandwidth): returns
/// (η = 1/a, per-layer overhead = b / n_layer).
fn fit(rows: &[&Row]) -> (f64, f64) {
    let (mut sxx, mut sx, mut s1, mut sxy, mut sy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for r in rows {
        let t = 1.0 / r.tps;
        let x = r.bytes / (r.bandwidth_gbps * 1e9) / t;
        let one = 1.0 / t;
        sxx += x * x;
        sx += x * one;
        s1 += one * one;
        sxy += x;
        sy += one;
    }
    let det = sxx * s1 - sx * sx;
    let a = (sxy * s1 - sy * sx) / det;
    let b = (sxx * sy - sx * sxy) / det;
    (1.0 / a, b / N_LAYER)
}

fn predict(r: &Row, eta: f64, c: f64) -> f64 {
    1.0 / (r.bytes / (eta * r.bandwidth_gbps * 1e9) + N_LAYER * c)
}

#[test]
fn the_shipped_decode_model_is_the_fit_of_the_published_rows() {
    let all = rows();
    assert!(all.len() >= 110, "{} tg128 rows", all.len());
    for backend in [Backend::Metal, Backend::Cuda] {
        let rs: Vec<&Row> = all.iter().filter(|r| r.backend == backend).collect();
        let (eta, c) = fit(&rs);
        let shipped = cabe_catalog::efficiency(backend);
        let mut ratio: Vec<f64> = rs.iter().map(|r| r.tps / predict(r, eta, c)).collect();
        let (lo, hi) = (quantile(&mut ratio, LOW_Q), quantile(&mut ratio, HIGH_Q));
        eprintln!(
            "{backend:?}: decode = [{:.3}, {eta:.3}, {:.3}], decode_layer_overhead_s = {c:.3e}",
            eta * lo,
            (eta * hi).min(1.0)
        );
        assert!(
            (shipped.decode[1] - eta).abs() < 0.01,
            "{backend:?}: speed.toml's typical decode efficiency {} is not the fit {eta:.3}",
            shipped.decode[1]
        );
        assert!(
            (shipped.decode_layer_overhead_s - c).abs() < 0.02 * c,
            "{backend:?}: speed.toml's overhead {} s/layer is not the fit {c:.3e}",
            shipped.decode_layer_overhead_s
        );
        // The range spans what the rows showed: the lowest and highest measured / predicted.
        assert!(
            (shipped.decode[0] - eta * lo).abs() < 0.01
                && (shipped.decode[2] - (eta * hi).min(1.0)).abs() < 0.01,
            "{backend:?}: range {:?} vs the rows' [{:.3}, {:.3}]",
            shipped.decode,
            eta * lo,
            (eta * hi).min(1.0)
        );
    }
}

#[test]
fn held_out_devices_are_predicted_within_the_decode_bars() {
    let all = rows();
    let mut report = String::new();
    for backend in [Backend::Metal, Backend::Cuda] {
        let rs: Vec<&Row> = all.iter().filter(|r| r.backend == backend).collect();
        let mut out = Vec::new();
        for dev in device_names(&rs, |r| r.device.as_str()) {
            let train: Vec<&Row> = rs.iter().copied().filter(|r| r.device != dev).collect();
            let (eta, c) = fit(&train);
            let mut ratio: Vec<f64> = train.iter().map(|r| r.tps / predict(r, eta, c)).collect();
            let (lo, hi) = (quantile(&mut ratio, LOW_Q), quantile(&mut ratio, HIGH_Q));
            for r in rs.iter().filter(|r| r.device == dev) {
                let p = predict(r, eta, c);
                // The printed range: the efficiency range with the same overhead.
                let low = predict(r, eta * lo, c);
                let high = predict(r, (eta * hi).min(1.0), c);
                out.push((
                    p / r.tps - 1.0,
                    (low..=high).contains(&r.tps),
                    format!("{} {} {:.1} vs {:.1}", r.device, r.quant.name(), p, r.tps),
                ));
            }
        }
        let h = held_out(&format!("{backend:?} decode"), 0.15, out);
        report.push_str(&h.line);
        report.push('\n');
        assert!(
            h.median <= 0.10,
            "{backend:?}: held-out decode median error {:.3}",
            h.median
        );
        assert!(
            h.inside >= 0.80,
            "{backend:?}: {:.0}% of {} held-out decode rows inside the range",
            100.0 * h.inside,
            h.n
        );
    }
    eprintln!("{report}");
}

#[test]
fn the_engine_predicts_every_decode_row_as_shipped() {
    let model = cabe_catalog::find_model("llama-2-7b").unwrap();
    let mut errors: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for r in rows() {
        let eff = cabe_catalog::efficiency(r.backend).clone();
        let dev = SpeedDevice {
            bandwidth_gbps: r.bandwidth_gbps,
            ram_bandwidth_gbps: None,
            fp16_tflops: None,
            fp16_is_tensor: false,
            efficiency: eff.clone(),
            cpu_efficiency: eff,
        };
        let w = for_file_type(&model.spec, r.quant);
        let d = decode_rate(
            &model.spec,
            &w,
            &RuntimeProfile::new(512),
            POS,
            &dev,
            Placement::default(),
        );
        assert!(
            d.low <= d.typical && d.typical <= d.high && d.high <= d.bound,
            "{d:?}"
        );
        let key = if r.backend == Backend::Metal {
            "metal"
        } else {
            "cuda"
        };
        errors
            .entry(key)
            .or_default()
            .push((d.typical / r.tps - 1.0).abs());
    }
    for (k, mut e) in errors {
        let m = quantile(&mut e, 0.5);
        eprintln!(
            "{k}: {} tg128 rows, median |error| as shipped {:.1}%",
            e.len(),
            100.0 * m
        );
        assert!(m <= 0.10, "{k}: {m}");
    }
}
