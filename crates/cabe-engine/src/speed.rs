//! The one speed pipeline: what a machine's predictions are made from ([`SpeedBasis`]: its
//! catalog or detected figures, this machine's calibration, the bench history's correction)
//! and the prediction for one model and setting ([`SpeedBasis::predict`]). `fit`, `curve`,
//! `scan`, `doctor` and `bench` all predict through it, so the same model on the same machine
//! gets the same figures from each.

use cabe_bench::calibrate::Calibration;
use cabe_bench::store::Correction;
use cabe_core::hardware::{Backend, HardwareSpec};
use cabe_core::kv::RuntimeProfile;
use cabe_core::model::ModelSpec;
use cabe_core::speed::{decode_rate, prefill_rate, Placement, Range, SpeedDevice};
use cabe_core::weights::Weights;
use serde::Serialize;

/// What speed predictions on a machine are made from.
#[derive(Clone, Debug)]
pub struct SpeedBasis {
    /// The device figures (calibrated when this machine has a calibration).
    pub dev: SpeedDevice,
    /// "calibrated 2026-11-23T14:05:09Z", or "catalog": the key bench runs are stored under.
    pub key: String,
    pub calibration: Option<Calibration>,
    /// The history key of the machine: a catalog id, or this machine's description; `None`
    /// for a machine known only by its memory (`--memory`).
    pub machine_key: Option<String>,
    /// What was used and what was not, in the user's terms (`Display` writes each in
    /// English).
    pub notes: Vec<BasisNote>,
    /// The calibrated CPU model applies (a CPU machine with its calibration): efficiencies
    /// depend on the model's weight types ([`SpeedBasis::device_for`]).
    pub cpu_model: bool,
    /// Factors from measured runs on this machine and basis (`cabe bench`), applied to every
    /// prediction.
    pub correction: Option<Correction>,
}

/// One model's predicted rates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prediction {
    /// Decode tok/s at the position asked for; `None` when the bandwidth is unknown.
    pub decode: Option<Range>,
    /// Prefill tok/s averaged over the prompt; `None` without a compute figure.
    pub prefill: Option<Range>,
    /// Where the efficiencies came from.
    pub efficiency_source: String,
}

impl SpeedBasis {
    /// The machine's own figures (catalog entry or detection) with the catalog's efficiencies.
    pub fn catalog(hw: &HardwareSpec, machine_key: Option<String>) -> SpeedBasis {
        SpeedBasis {
            dev: SpeedDevice {
                bandwidth_gbps: hw.bandwidth_gbps,
                ram_bandwidth_gbps: hw.ram_bandwidth_gbps,
                fp16_tflops: hw.fp16_tflops,
                fp16_is_tensor: hw.fp16_is_tensor,
                efficiency: cabe_catalog::efficiency(hw.backend).clone(),
                cpu_efficiency: cabe_catalog::efficiency(Backend::Cpu).clone(),
            },
            key: "catalog".into(),
            calibration: None,
            machine_key,
            notes: Vec::new(),
            cpu_model: false,
            correction: None,
        }
    }

    /// The basis with this machine's calibration applied: on a CPU machine its measured read
    /// bandwidth and compute replace the spec's, with the calibrated CPU model
    /// (`cabe_bench::cpu`); on a GPU machine it fills only what detection left unknown
    /// (system RAM bandwidth for offloaded layers, or a bandwidth of 0).
    pub fn calibrated(mut self, hw: &HardwareSpec, cal: Calibration) -> SpeedBasis {
        let bw = cal.bandwidth_gbps.best;
        let gflops = cal.compute_gflops.best;
        let when = cabe_bench::time::date(cal.measured_at);
        let quick = cal.quick;
        let measured = cabe_bench::calibrate::calibrated_cpu_efficiency(&cal);
        let dev = &mut self.dev;
        if hw.backend == Backend::Cpu {
            let spec_gbps = (hw.bandwidth_gbps > 0.0).then_some(hw.bandwidth_gbps);
            dev.bandwidth_gbps = bw;
            // Quantized matmuls run on int8 dot products: their ceiling is the compute figure.
            dev.fp16_tflops = Some(cal.int8_flops() / 1e12);
            dev.fp16_is_tensor = false;
            dev.efficiency = measured.clone();
            dev.cpu_efficiency = measured;
            self.cpu_model = true;
            self.notes.push(BasisNote::CalibratedCpu {
                when,
                quick,
                bandwidth_gbps: bw,
                spec_gbps,
                gflops,
                threads: cal.threads,
                kernels: cal.llama_cpp.is_some(),
            });
        } else {
            let mut ram_gbps = None;
            let mut memory_gbps = None;
            if dev.ram_bandwidth_gbps.is_none() && hw.vram_bytes > 0 {
                dev.ram_bandwidth_gbps = Some(bw);
                dev.cpu_efficiency = measured;
                ram_gbps = Some(bw);
            }
            if dev.bandwidth_gbps <= 0.0 {
                dev.bandwidth_gbps = bw;
                memory_gbps = Some(bw);
            }
            self.notes.push(BasisNote::CalibratedGpu {
                when,
                quick,
                ram_gbps,
                memory_gbps,
            });
        }
        self.key = format!("calibrated {}", cabe_bench::time::rfc3339(cal.measured_at));
        self.calibration = Some(cal);
        self
    }

    /// The device for one prediction: the basis's, with the calibrated CPU model's
    /// efficiencies for this model at decode position `pos` and a prompt of `prompt` tokens.
    pub fn device_for(
        &self,
        m: &ModelSpec,
        w: &Weights,
        p: &RuntimeProfile,
        pos: u64,
        prompt: u64,
    ) -> SpeedDevice {
        match (&self.calibration, self.cpu_model) {
            (Some(cal), true) => {
                let eff = cabe_bench::cpu::efficiency_for(m, w, p, pos, prompt, cal);
                SpeedDevice {
                    efficiency: eff.clone(),
                    cpu_efficiency: eff,
                    ..self.dev.clone()
                }
            }
            _ => self.dev.clone(),
        }
    }

    /// The bench history's factors (decode, prefill); 1 where there is none.
    pub fn factors(&self) -> (f64, f64) {
        let c = self.correction.as_ref();
        (
            c.and_then(|c| c.decode).unwrap_or(1.0),
            c.and_then(|c| c.prefill).unwrap_or(1.0),
        )
    }

    /// Decode at position `pos` and prefill of a `prompt`-token prompt, corrected by the
    /// bench history.
    pub fn predict(
        &self,
        m: &ModelSpec,
        w: &Weights,
        p: &RuntimeProfile,
        place: Placement,
        pos: u64,
        prompt: u64,
    ) -> Prediction {
        let (df, pf) = self.factors();
        let raw = self.predict_uncorrected(m, w, p, place, pos, prompt);
        Prediction {
            decode: raw.decode.map(|r| r.scaled(df)),
            prefill: raw.prefill.map(|r| r.scaled(pf)),
            ..raw
        }
    }

    /// The same before the bench history's correction: what `cabe bench` compares its
    /// measurements with (the correction is made from those comparisons).
    pub fn predict_uncorrected(
        &self,
        m: &ModelSpec,
        w: &Weights,
        p: &RuntimeProfile,
        place: Placement,
        pos: u64,
        prompt: u64,
    ) -> Prediction {
        let dev = self.device_for(m, w, p, pos, prompt);
        Prediction {
            decode: (dev.bandwidth_gbps > 0.0).then(|| decode_rate(m, w, p, pos, &dev, place)),
            prefill: prefill_rate(m, w, prompt.max(1), p.micro_batch(), &dev),
            efficiency_source: dev.efficiency.source,
        }
    }
}

/// How far measured runs may sit from the predictions before the basis itself is called
/// wrong: the speed check's bars (decode ±15%, prefill ±25%) with a margin.
pub const MISS_DECODE: f64 = 0.2;
pub const MISS_PREFILL: f64 = 0.3;

impl SpeedBasis {
    /// When the bench history's correction shows the predictions of this basis missing what
    /// the machine does by more than the check's bars: one line saying by how much and what
    /// to do. The correction already applies; the line says the figures behind it are off.
    pub fn miss_warning(&self) -> Option<String> {
        self.miss().map(|m| m.to_string())
    }

    /// [`SpeedBasis::miss_warning`] in figures.
    pub fn miss(&self) -> Option<Miss> {
        let c = self.correction.as_ref()?;
        let miss = |f: Option<f64>, bar: f64| {
            f.filter(|f| (f - 1.0).abs() > bar)
                .map(|f| (1.0 / f - 1.0) * 100.0)
        };
        let (decode_pct, prefill_pct) =
            (miss(c.decode, MISS_DECODE), miss(c.prefill, MISS_PREFILL));
        if decode_pct.is_none() && prefill_pct.is_none() {
            return None;
        }
        let cause = match &self.calibration {
            Some(cal) if self.cpu_model && cal.llama_cpp.is_none() => {
                MissCause::BuildMachineKernels
            }
            Some(_) => MissCause::CalibrationOff,
            None => MissCause::CatalogOff,
        };
        Some(Miss {
            decode_pct,
            prefill_pct,
            cause,
        })
    }
}

/// What a basis was made from, or why a calibration was not used: one note each, in figures;
/// `Display` writes the English.
#[derive(Clone, Debug, PartialEq)]
pub enum BasisNote {
    /// No place to look for a calibration (the data folder's error).
    NoCalibrationPath { error: String },
    /// This machine has no calibration.
    NotCalibrated,
    /// The stored calibration could not be read.
    CalibrationUnreadable { error: String },
    /// The stored calibration is another machine's.
    OtherMachine { machine: String },
    /// A CPU machine's calibration: its figures replace the spec's.
    CalibratedCpu {
        /// The day it was measured (`2026-11-23`).
        when: String,
        quick: bool,
        bandwidth_gbps: f64,
        /// The spec's bandwidth it replaces, when there was one.
        spec_gbps: Option<f64>,
        gflops: f64,
        threads: usize,
        /// llama.cpp's kernels were measured too.
        kernels: bool,
    },
    /// A GPU machine's calibration: what it filled in (nothing when both are `None`).
    CalibratedGpu {
        when: String,
        quick: bool,
        /// System RAM read bandwidth used for offloaded layers.
        ram_gbps: Option<f64>,
        /// Memory read bandwidth used because the GPU's was unknown.
        memory_gbps: Option<f64>,
    },
}

impl std::fmt::Display for BasisNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let quick = |q: bool| {
            if q {
                " (a quick, rough calibration)"
            } else {
                ""
            }
        };
        match self {
            BasisNote::NoCalibrationPath { error } => write!(f, "not calibrated ({error})"),
            BasisNote::NotCalibrated => write!(
                f,
                "not calibrated: run `cabe calibrate` to measure this machine's bandwidth and compute"
            ),
            BasisNote::CalibrationUnreadable { error } => {
                write!(f, "calibration not used: {error}")
            }
            BasisNote::OtherMachine { machine } => write!(
                f,
                "calibration not used: it was measured on another machine ({machine}); run `cabe calibrate`"
            ),
            BasisNote::CalibratedCpu {
                when,
                quick: q,
                bandwidth_gbps: bw,
                spec_gbps,
                gflops,
                threads,
                kernels,
            } => {
                let was = match spec_gbps {
                    Some(s) => format!(" in place of {s:.1} GB/s from the spec"),
                    None => String::new(),
                };
                let kernels = if *kernels {
                    "; llama.cpp's kernels measured here"
                } else {
                    ""
                };
                write!(
                    f,
                    "calibrated on {when}{}: {bw:.1} GB/s memory read{was}, {gflops:.0} GFLOP/s f32 FMA ({threads} threads){kernels}",
                    quick(*q)
                )
            }
            BasisNote::CalibratedGpu {
                when,
                quick: q,
                ram_gbps,
                memory_gbps,
            } => {
                let used: Vec<String> = [
                    ram_gbps.map(|bw| format!("{bw:.1} GB/s system RAM read for offloaded layers")),
                    memory_gbps.map(|bw| format!("{bw:.1} GB/s memory read (measured by the CPU)")),
                ]
                .into_iter()
                .flatten()
                .collect();
                if used.is_empty() {
                    write!(
                        f,
                        "calibrated on {when}{}; the GPU's own figures are used (the calibration measures the CPU)",
                        quick(*q)
                    )
                } else {
                    write!(f, "calibrated on {when}{}: {}", quick(*q), used.join(", "))
                }
            }
        }
    }
}

/// Why the bench history's correction says the basis is off (see [`Miss`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissCause {
    /// A CPU calibration without llama.cpp's kernels measured here.
    BuildMachineKernels,
    /// The calibration no longer matches the machine.
    CalibrationOff,
    /// The catalog's figures do not match the machine.
    CatalogOff,
}

/// The predictions missed the measured runs by these percentages (+ = predicted too fast).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Miss {
    pub decode_pct: Option<f64>,
    pub prefill_pct: Option<f64>,
    pub cause: MissCause,
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = [
            self.decode_pct.map(|p| format!("decode {p:+.0}%")),
            self.prefill_pct.map(|p| format!("prefill {p:+.0}%")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let what = match self.cause {
            MissCause::BuildMachineKernels => {
                "the calibration's kernel factors are the build machine's: `cabe calibrate --llama-bench` measures llama.cpp's here"
            }
            MissCause::CalibrationOff => {
                "the calibration does not match this machine now: run `cabe calibrate` again"
            }
            MissCause::CatalogOff => {
                "the catalog's figures do not match this machine: `cabe calibrate` measures it"
            }
        };
        write!(
            f,
            "the predictions missed the measured runs ({}; + = predicted too fast), so the history corrects them; {what}",
            parts.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cabe_core::quant::FileType;
    use cabe_core::weights::for_file_type;

    fn hw(id: &str) -> HardwareSpec {
        cabe_catalog::find_hardware(id).unwrap().spec.clone()
    }

    #[test]
    fn the_correction_applies_to_every_prediction_and_only_there() {
        let m = cabe_catalog::find_model("llama-3.2-1b")
            .unwrap()
            .spec
            .clone();
        let w = for_file_type(&m, FileType::Q4_K_M);
        let p = RuntimeProfile::new(4096);
        let h = hw("rtx-4090");
        let mut b = SpeedBasis::catalog(&h, Some(h.id.clone()));
        let plain = b.predict(&m, &w, &p, Placement::default(), 0, 512);
        b.correction = Some(Correction {
            runs: 2,
            decode: Some(0.5),
            prefill: Some(2.0),
            basis: "catalog".into(),
        });
        let c = b.predict(&m, &w, &p, Placement::default(), 0, 512);
        let (d0, d1) = (plain.decode.unwrap(), c.decode.unwrap());
        assert!((d1.typical - 0.5 * d0.typical).abs() < 1e-9);
        assert_eq!(d1.bound, d0.bound, "the ceiling is physics, not history");
        let (p0, p1) = (plain.prefill.unwrap(), c.prefill.unwrap());
        assert!((p1.typical - 2.0 * p0.typical).abs() < 1e-6);
        let raw = b.predict_uncorrected(&m, &w, &p, Placement::default(), 0, 512);
        assert_eq!(raw, plain);
    }

    #[test]
    fn a_correction_far_from_one_says_the_basis_is_wrong() {
        let h = hw("rtx-4090");
        let mut b = SpeedBasis::catalog(&h, Some(h.id.clone()));
        assert_eq!(b.miss_warning(), None);
        b.correction = Some(Correction {
            runs: 1,
            decode: Some(0.9),
            prefill: Some(1.2),
            basis: "catalog".into(),
        });
        assert_eq!(b.miss_warning(), None, "within the bars");
        b.correction = Some(Correction {
            runs: 3,
            decode: Some(1.0 / 3.0),
            prefill: None,
            basis: "catalog".into(),
        });
        let w = b.miss_warning().unwrap();
        assert!(
            w.contains("decode +200%") && w.contains("`cabe calibrate`"),
            "{w}"
        );
    }

    #[test]
    fn unknown_bandwidth_gives_no_decode() {
        let m = cabe_catalog::find_model("llama-3.2-1b")
            .unwrap()
            .spec
            .clone();
        let w = for_file_type(&m, FileType::Q4_K_M);
        let mut h = hw("rtx-4090");
        h.bandwidth_gbps = 0.0;
        let b = SpeedBasis::catalog(&h, None);
        let p = RuntimeProfile::new(4096);
        assert!(b
            .predict(&m, &w, &p, Placement::default(), 0, 512)
            .decode
            .is_none());
    }
}
