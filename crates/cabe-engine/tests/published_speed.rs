//! The GPU and Apple decode model against llama.cpp's published llama-bench rows
//! (`tests/fixtures/llama-bench-published`, sources in `tests/fixtures/SOURCES.md`).
//!
//! Per backend, a token costs its bytes at an efficiency η of the peak bandwidth plus a fixed
//! overhead per layer: `t = bytes / (η · BW) + n_layer · c`. The two parameters are fitted by
//! least squares on the relative error; the test
//! 1. refits them on all rows and requires `data/speed.toml` to carry that fit (so the shipped
//!    numbers are the data's, not hand-tuned), with a range covering the rows' spread;
//! 2. leaves each device out in turn, fits on the others and predicts it (cross-validation):
//!    the held-out median error and the share of rows inside the printed range must meet the
//!    bars in ACCURACY.md;
//! 3. predicts every row through the engine as shipped and prints the figures ACCURACY.md
//!    records.

use cabe_core::hardware::Backend;
use cabe_core::kv::RuntimeProfile;
use cabe_core::quant::FileType;
use cabe_core::speed::{decode_bytes_per_token, decode_rate, Placement, SpeedDevice};
use cabe_core::weights::for_file_type;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/llama-bench-published")
}

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
    let devices: toml::Value = toml::from_str(
        &std::fs::read_to_string(fixtures().join("devices.toml")).expect("devices.toml"),
    )
    .expect("devices.toml parses");
    let mut bandwidth = BTreeMap::new();
    for d in devices["device"].as_array().unwrap() {
        let name = d["name"].as_str().unwrap().to_string();
        if d.get("exclude").is_some() {
            continue;
        }
        let bw = match d.get("hardware") {
            Some(id) => {
                cabe_catalog::find_hardware(id.as_str().unwrap())
                    .unwrap()
                    .spec
                    .bandwidth_gbps
            }
            None => {
                assert!(
                    d["source"].as_str().unwrap().starts_with("https://"),
                    "{name}: a bandwidth needs its source"
                );
                d["bandwidth_gbps"]
                    .as_float()
                    .unwrap_or_else(|| d["bandwidth_gbps"].as_integer().unwrap() as f64)
            }
        };
        bandwidth.insert(name, bw);
    }
    let model = cabe_catalog::find_model("llama-2-7b").unwrap();
    let text = std::fs::read_to_string(fixtures().join("rows.csv")).expect("rows.csv");
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 9, "{line}");
        if f[5] != "tg128" {
            continue;
        }
        let Some(&bw) = bandwidth.get(f[0]) else {
            continue;
        };
        let backend = if f[1] == "Metal" {
            Backend::Metal
        } else {
            assert!(f[1].starts_with("CUDA"), "{line}");
            Backend::Cuda
        };
        let quant = FileType::parse(f[3]).unwrap();
        let w = for_file_type(&model.spec, quant);
        if let Ok(size) = f[4].parse::<f64>() {
            // The published file size is the catalog's, to a hundredth of a GiB.
            let gib = w.bytes as f64 / (1u64 << 30) as f64;
            assert!((gib - size).abs() < 0.01, "{line}: {gib:.3} GiB");
        }
        let bytes = decode_bytes_per_token(&model.spec, &w, &RuntimeProfile::new(512), POS) as f64;
        out.push(Row {
            device: f[0].to_string(),
            backend,
            bandwidth_gbps: bw,
            quant,
            bytes,
            tps: f[6].parse().unwrap(),
        });
    }
    out
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

fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() - 1) as f64 * q).round() as usize;
    v[i]
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
fn held_out_devices_are_predicted_within_the_bars() {
    let all = rows();
    let mut report = String::new();
    for backend in [Backend::Metal, Backend::Cuda] {
        let rs: Vec<&Row> = all.iter().filter(|r| r.backend == backend).collect();
        let devices: Vec<&str> = {
            let mut d: Vec<&str> = rs.iter().map(|r| r.device.as_str()).collect();
            d.dedup();
            d.sort();
            d.dedup();
            d
        };
        let (mut errors, mut inside) = (Vec::new(), 0usize);
        let mut worst: Vec<(f64, String)> = Vec::new();
        for dev in &devices {
            let train: Vec<&Row> = rs.iter().copied().filter(|r| r.device != *dev).collect();
            let (eta, c) = fit(&train);
            let mut ratio: Vec<f64> = train.iter().map(|r| r.tps / predict(r, eta, c)).collect();
            let (lo, hi) = (quantile(&mut ratio, LOW_Q), quantile(&mut ratio, HIGH_Q));
            for r in rs.iter().filter(|r| r.device == *dev) {
                let p = predict(r, eta, c);
                let e = p / r.tps - 1.0;
                errors.push(e.abs());
                // The printed range: the efficiency range with the same overhead.
                let low = predict(r, eta * lo, c);
                let high = predict(r, (eta * hi).min(1.0), c);
                if (low..=high).contains(&r.tps) {
                    inside += 1;
                }
                worst.push((
                    e,
                    format!("{} {} {:.1} vs {:.1}", r.device, r.quant.name(), p, r.tps),
                ));
            }
        }
        let n = errors.len();
        let median = quantile(&mut errors, 0.5);
        let within_15 = errors.iter().filter(|e| **e <= 0.15).count();
        worst.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
        report.push_str(&format!(
            "{backend:?}: {n} rows held out by device, median |error| {:.1}%, within ±15% {:.0}%, inside the range {:.0}%; worst: {}\n",
            100.0 * median,
            100.0 * within_15 as f64 / n as f64,
            100.0 * inside as f64 / n as f64,
            worst.iter().take(3).map(|(e, w)| format!("{w} ({:+.0}%)", 100.0 * e)).collect::<Vec<_>>().join("; ")
        ));
        assert!(
            median <= 0.10,
            "{backend:?}: held-out median error {median:.3}"
        );
        assert!(
            inside as f64 >= 0.80 * n as f64,
            "{backend:?}: {inside} of {n} held-out rows inside the range"
        );
    }
    eprintln!("{report}");
}

#[test]
fn the_engine_predicts_every_row_as_shipped() {
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
            "{k}: {} rows, median |error| as shipped {:.1}%",
            e.len(),
            100.0 * m
        );
        assert!(m <= 0.10, "{k}: {m}");
    }
}
