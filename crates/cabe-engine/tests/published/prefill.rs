//! Prefill (pp512) on GPUs and Apple Silicon: a prompt costs cabe's FLOPs
//! (`cabe_core::speed::prefill_flops`) at an efficiency η of the device's compute figure,
//! fitted per backend and per kind of figure (shader or tensor, as the catalog lists it) by
//! least squares on the log of measured / predicted; the range is the lowest to highest measured /
//! predicted of the rows fitted on.

use super::{device_names, held_out, published, quantile, Published};
use cabe_core::hardware::Backend;
use cabe_core::kv::RuntimeProfile;
use cabe_core::speed::{prefill_flops, prefill_rate, EffRange, Placement, SpeedDevice};
use cabe_core::weights::for_file_type;
use std::collections::BTreeMap;

/// pp512: llama-bench processes a 512-token prompt in one batch.
const PROMPT: u64 = 512;

/// One pp512 row: the measured rate and the rate at efficiency 1 (all of the compute figure).
struct Row {
    row: Published,
    tflops: f64,
    tensor: bool,
    bound: f64,
}

fn rows() -> (Vec<Row>, Vec<Row>) {
    let model = cabe_catalog::find_model("llama-2-7b").unwrap();
    let (mut fitted, mut excluded) = (Vec::new(), Vec::new());
    for r in published().into_iter().filter(|r| r.test == "pp512") {
        let (tflops, tensor) = r
            .dev
            .compute
            .unwrap_or_else(|| panic!("{}: no compute figure in devices.toml", r.device));
        let w = for_file_type(&model.spec, r.quant);
        let bound = PROMPT as f64 * tflops * 1e12 / prefill_flops(&model.spec, &w, PROMPT);
        let row = Row {
            tflops,
            tensor,
            bound,
            row: r,
        };
        if row.row.dev.exclude_prefill.is_some() {
            excluded.push(row);
        } else {
            fitted.push(row);
        }
    }
    (fitted, excluded)
}

/// Least squares on the logarithm of measured / predicted for `rate = η · bound`: the
/// geometric mean of measured / bound, so a row 30% fast and one 30% slow weigh alike (a
/// least-squares fit of the relative error leans low: over-predictions can exceed 100%).
fn fit(rows: &[&Row]) -> f64 {
    let mean_log = rows.iter().map(|r| (r.row.tps / r.bound).ln()).sum::<f64>() / rows.len() as f64;
    mean_log.exp()
}

/// The fit and its range: `[η · lowest, η, η · highest]` of measured / predicted.
fn fit_range(rows: &[&Row]) -> EffRange {
    let eta = fit(rows);
    let mut ratio: Vec<f64> = rows.iter().map(|r| r.row.tps / (eta * r.bound)).collect();
    [
        eta * quantile(&mut ratio, 0.0),
        eta,
        eta * quantile(&mut ratio, 1.0),
    ]
}

fn kind(tensor: bool) -> &'static str {
    if tensor {
        "tensor"
    } else {
        "shader"
    }
}

/// The shipped prefill efficiencies a device's figure selects.
fn shipped(backend: Backend, tensor: bool) -> EffRange {
    let e = cabe_catalog::efficiency(backend);
    if tensor {
        e.prefill_tensor
    } else {
        e.prefill_shader
    }
}

#[test]
fn the_shipped_prefill_efficiencies_are_the_fit_of_the_published_rows() {
    let (all, _) = rows();
    assert!(all.len() >= 110, "{} pp512 rows", all.len());
    let mut wrong = Vec::new();
    for (backend, tensor) in [
        (Backend::Metal, false),
        (Backend::Cuda, false),
        (Backend::Cuda, true),
    ] {
        let rs: Vec<&Row> = all
            .iter()
            .filter(|r| r.row.backend == backend && r.tensor == tensor)
            .collect();
        let fitted = fit_range(&rs);
        let ship = shipped(backend, tensor);
        eprintln!(
            "{backend:?}: prefill_{} = [{:.3}, {:.3}, {:.3}] ({} rows)",
            kind(tensor),
            fitted[0],
            fitted[1],
            fitted[2],
            rs.len()
        );
        if (0..3).any(|i| (ship[i] - fitted[i]).abs() > 0.01 * fitted[i]) {
            wrong.push(format!(
                "{backend:?}: speed.toml's prefill_{} {ship:?} is not the fit {fitted:.3?}",
                kind(tensor)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Apple lists no tensor figure: a Metal device's compute is always the GPU figure.
    let metal = cabe_catalog::efficiency(Backend::Metal);
    assert_eq!(metal.prefill_tensor, metal.prefill_shader);
}

#[test]
fn held_out_devices_are_predicted_within_the_prefill_bars() {
    let (all, excluded) = rows();
    let mut report = String::new();
    for backend in [Backend::Metal, Backend::Cuda] {
        let rs: Vec<&Row> = all.iter().filter(|r| r.row.backend == backend).collect();
        let (mut out, mut by_kind) = (Vec::new(), BTreeMap::<bool, Vec<_>>::new());
        for dev in device_names(&rs, |r| r.row.device.as_str()) {
            for r in rs.iter().filter(|r| r.row.device == dev) {
                // Fitted on the other devices with the same kind of figure.
                let train: Vec<&Row> = rs
                    .iter()
                    .copied()
                    .filter(|t| t.row.device != dev && t.tensor == r.tensor)
                    .collect();
                let [lo, eta, hi] = fit_range(&train);
                let p = eta * r.bound;
                let inside = (lo * r.bound..=hi * r.bound).contains(&r.row.tps);
                let line = format!(
                    "{} {} {:.0} vs {:.0}",
                    r.row.device,
                    r.row.quant.name(),
                    p,
                    r.row.tps
                );
                out.push((p / r.row.tps - 1.0, inside, line.clone()));
                by_kind
                    .entry(r.tensor)
                    .or_default()
                    .push((p / r.row.tps - 1.0, inside, line));
            }
        }
        let h = held_out(&format!("{backend:?} prefill"), 0.20, out);
        report.push_str(&h.line);
        report.push('\n');
        if by_kind.len() > 1 {
            for (tensor, rows) in by_kind {
                let k = held_out(
                    &format!("  {backend:?} prefill, {} figure", kind(tensor)),
                    0.20,
                    rows,
                );
                report.push_str(&k.line);
                report.push('\n');
            }
        }
        assert!(
            h.median <= 0.20,
            "{backend:?}: held-out prefill median error {:.3}",
            h.median
        );
        assert!(
            h.inside >= 0.80,
            "{backend:?}: {:.0}% of {} held-out prefill rows inside the range",
            100.0 * h.inside,
            h.n
        );
    }
    for r in &excluded {
        let eta = shipped(r.row.backend, r.tensor)[1];
        report.push_str(&format!(
            "not fitted: {} {} {:.0} predicted vs {:.0} ({})\n",
            r.row.device,
            r.row.quant.name(),
            eta * r.bound,
            r.row.tps,
            r.row.dev.exclude_prefill.as_deref().unwrap_or("")
        ));
    }
    eprintln!("{report}");
}

#[test]
fn the_engine_predicts_every_prefill_row_as_shipped() {
    let model = cabe_catalog::find_model("llama-2-7b").unwrap();
    let p = RuntimeProfile::new(PROMPT);
    let mut errors: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut through_the_basis = 0;
    for r in rows().0 {
        let eff = cabe_catalog::efficiency(r.row.backend).clone();
        let dev = SpeedDevice {
            bandwidth_gbps: r.row.dev.bandwidth_gbps,
            ram_bandwidth_gbps: None,
            fp16_tflops: Some(r.tflops),
            fp16_is_tensor: r.tensor,
            efficiency: eff.clone(),
            cpu_efficiency: eff,
        };
        let w = for_file_type(&model.spec, r.row.quant);
        let pf = prefill_rate(&model.spec, &w, PROMPT, PROMPT, &dev).unwrap();
        assert!(pf.low <= pf.typical && pf.typical <= pf.high, "{pf:?}");
        // A catalog machine gets the same figure from the engine's pipeline (what `fit` prints).
        if let Some(id) = &r.row.dev.hardware {
            let hw = &cabe_catalog::find_hardware(id).unwrap().spec;
            if hw.fp16_tflops == Some(r.tflops) {
                let basis = cabe_engine::SpeedBasis::catalog(hw, None);
                let e = basis.predict(&model.spec, &w, &p, Placement::default(), 0, PROMPT);
                assert_eq!(e.prefill, Some(pf), "{}", r.row.device);
                through_the_basis += 1;
            }
        }
        let key = if r.row.backend == Backend::Metal {
            "metal"
        } else {
            "cuda"
        };
        errors
            .entry(key)
            .or_default()
            .push((pf.typical / r.row.tps - 1.0).abs());
    }
    assert!(through_the_basis >= 10, "{through_the_basis}");
    for (k, mut e) in errors {
        let m = quantile(&mut e, 0.5);
        eprintln!(
            "{k}: {} pp512 rows, median |error| as shipped {:.1}%",
            e.len(),
            100.0 * m
        );
        assert!(m <= 0.20, "{k}: {m}");
    }
}
