//! llama.cpp's published llama-bench rows (`tests/fixtures/llama-bench-published`, sources in
//! `tests/fixtures/SOURCES.md`) with each device's bandwidth and compute, and the fitting
//! helpers the decode and prefill checks share.

pub mod decode;
pub mod moe;
pub mod prefill;

use cabe_core::hardware::Backend;
use cabe_core::quant::FileType;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/llama-bench-published")
}

/// What a device offers the speed model.
#[derive(Clone, Debug)]
pub struct Device {
    pub bandwidth_gbps: f64,
    /// FP16 TFLOPS and whether it is a tensor/matrix figure (the catalog's meaning).
    pub compute: Option<(f64, bool)>,
    /// Why the device is kept out of the prefill fit, if it is.
    pub exclude_prefill: Option<String>,
    /// The hardware catalog's id, for a device that is a catalog machine.
    pub hardware: Option<String>,
}

fn number(v: &toml::Value) -> f64 {
    v.as_float()
        .unwrap_or_else(|| v.as_integer().unwrap() as f64)
}

/// The devices of `devices.toml` that are not excluded altogether, by name.
pub fn devices() -> BTreeMap<String, Device> {
    let file: toml::Value = toml::from_str(
        &std::fs::read_to_string(fixtures().join("devices.toml")).expect("devices.toml"),
    )
    .expect("devices.toml parses");
    let mut out = BTreeMap::new();
    for d in file["device"].as_array().unwrap() {
        let name = d["name"].as_str().unwrap().to_string();
        if d.get("exclude").is_some() {
            continue;
        }
        let hardware = d.get("hardware").map(|id| id.as_str().unwrap().to_string());
        let catalog = hardware
            .as_deref()
            .map(|id| &cabe_catalog::find_hardware(id).unwrap().spec);
        let bandwidth_gbps = match catalog {
            Some(hw) => hw.bandwidth_gbps,
            None => {
                assert!(
                    d["source"].as_str().unwrap().starts_with("https://"),
                    "{name}: a bandwidth needs its source"
                );
                number(&d["bandwidth_gbps"])
            }
        };
        // The device's own compute figure (with its source), else the catalog machine's.
        let compute = match (d.get("fp16_tflops"), catalog) {
            (Some(t), _) => {
                assert!(
                    d.get("compute_source")
                        .and_then(|s| s.as_str())
                        .is_some_and(|s| s.starts_with("https://")),
                    "{name}: a compute figure needs its source"
                );
                let tensor = match d.get("fp16_tflops_kind").and_then(|k| k.as_str()) {
                    None | Some("shader") => false,
                    Some("tensor") => true,
                    Some(k) => panic!("{name}: fp16_tflops_kind {k}"),
                };
                Some((number(t), tensor))
            }
            (None, Some(hw)) => hw.fp16_tflops.map(|t| (t, hw.fp16_is_tensor)),
            (None, None) => None,
        };
        let exclude_prefill = d
            .get("exclude_prefill")
            .map(|r| r.as_str().unwrap().to_string());
        out.insert(
            name,
            Device {
                bandwidth_gbps,
                compute,
                exclude_prefill,
                hardware,
            },
        );
    }
    out
}

/// One published row of a device that is not excluded.
#[derive(Clone, Debug)]
pub struct Published {
    pub device: String,
    pub backend: Backend,
    pub quant: FileType,
    /// "pp512" or "tg128".
    pub test: String,
    pub tps: f64,
    pub dev: Device,
}

/// Every row of `rows.csv` whose device is in `devices.toml` and not excluded; the published
/// file size must be the catalog's Llama-2-7B at that type.
pub fn published() -> Vec<Published> {
    let devices = devices();
    let model = cabe_catalog::find_model("llama-2-7b").unwrap();
    let text = std::fs::read_to_string(fixtures().join("rows.csv")).expect("rows.csv");
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 9, "{line}");
        let Some(dev) = devices.get(f[0]) else {
            continue;
        };
        let backend = if f[1] == "Metal" {
            Backend::Metal
        } else {
            assert!(f[1].starts_with("CUDA"), "{line}");
            Backend::Cuda
        };
        let quant = FileType::parse(f[3]).unwrap();
        if let Ok(size) = f[4].parse::<f64>() {
            // The published file size is the catalog's, to a hundredth of a GiB.
            let w = cabe_core::weights::for_file_type(&model.spec, quant);
            let gib = w.bytes as f64 / (1u64 << 30) as f64;
            assert!((gib - size).abs() < 0.01, "{line}: {gib:.3} GiB");
        }
        out.push(Published {
            device: f[0].to_string(),
            backend,
            quant,
            test: f[5].to_string(),
            tps: f[6].parse().unwrap(),
            dev: dev.clone(),
        });
    }
    out
}

/// The quantile `q` (0..=1) of `v`, nearest rank.
pub fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() - 1) as f64 * q).round() as usize;
    v[i]
}

/// The devices of some rows, each once, sorted.
pub fn device_names<'a, T>(rows: &'a [T], name: impl Fn(&'a T) -> &'a str) -> Vec<&'a str> {
    let mut d: Vec<&str> = rows.iter().map(name).collect();
    d.sort();
    d.dedup();
    d
}

/// One line of the cross-validation report, and the figures the bars are checked on.
pub struct HeldOut {
    pub n: usize,
    pub median: f64,
    pub inside: f64,
    pub line: String,
}

/// Summarises held-out predictions: (signed error, inside the printed range, description).
pub fn held_out(what: &str, within_bar: f64, mut rows: Vec<(f64, bool, String)>) -> HeldOut {
    let n = rows.len();
    let mut abs: Vec<f64> = rows.iter().map(|r| r.0.abs()).collect();
    let median = quantile(&mut abs, 0.5);
    let within = abs.iter().filter(|e| **e <= within_bar).count() as f64 / n as f64;
    let inside = rows.iter().filter(|r| r.1).count() as f64 / n as f64;
    rows.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    let worst = rows
        .iter()
        .take(3)
        .map(|(e, _, w)| format!("{w} ({:+.0}%)", 100.0 * e))
        .collect::<Vec<_>>()
        .join("; ");
    let line = format!(
        "{what}: {n} rows held out by device, median |error| {:.1}%, within ±{:.0}% {:.0}%, inside the range {:.0}%; worst: {worst}",
        100.0 * median,
        100.0 * within_bar,
        100.0 * within,
        100.0 * inside,
    );
    HeldOut {
        n,
        median,
        inside,
        line,
    }
}
