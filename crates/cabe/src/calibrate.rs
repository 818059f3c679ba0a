//! `cabe calibrate`: measure this machine's memory read bandwidth and compute throughput and
//! store them (`cabe_bench::calibrate`); and what every speed prediction (`fit`, `bench`,
//! `curve`) is made from: the machine's figures, its calibration when it is this machine, and
//! the correction its stored bench runs give ([`basis`], [`correction`]) — loaded here, applied
//! by the engine (`cabe_engine::speed`).

use crate::cli::MachineArgs;
use crate::i18n::MsgContext;
use crate::machine::Machine;
use anyhow::Result;
use cabe_bench::calibrate::{self, Calibration, Options, Step};
use cabe_bench::store::Correction;
use cabe_core::hardware::Backend;
use cabe_engine::speed::{BasisNote, Miss};
use cabe_engine::SpeedBasis;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// Threads to measure with (default: every logical core, as llama.cpp uses on small
    /// machines).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// A fast, rough measurement (64 MiB, 2 passes each; for tests — a large cache may hold it).
    #[arg(long)]
    pub quick: bool,
    /// Also measure llama.cpp's own CPU kernels with this llama-bench (the binary or its
    /// directory; alone, the one on PATH): small generated models of each weight type (about
    /// 3½ minutes at one thread). Predictions then follow what llama.cpp does on this CPU.
    #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = "")]
    pub llama_bench: Option<std::path::PathBuf>,
    /// Print the stored calibration without measuring.
    #[arg(long)]
    pub show: bool,
    /// Print one JSON object (no progress bar).
    #[arg(long)]
    pub json: bool,
}

/// This machine, as `fit` sees it with no machine flags.
pub fn this_machine() -> Result<crate::machine::Machine> {
    crate::machine::resolve(&MachineArgs {
        on: None,
        memory: None,
        si: false,
        os_reserve: None,
    })
}

pub fn run(a: &CalibrateArgs) -> Result<()> {
    let path = calibrate::default_path().map_err(anyhow::Error::msg)?;
    let machine = this_machine()?;
    let key = machine_key(&machine).unwrap_or_default();
    if a.show {
        let c = calibrate::load(&path).map_err(anyhow::Error::msg)?;
        return match c {
            Some(c) => print(&c, &path, a.json, c.machine != key),
            None => Err(msg!("calibrate-none-stored", path = path.display().to_string()).into()),
        };
    }
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 || threads > 1024 {
        return Err(msg!("calibrate-threads-range").into());
    }
    let opts = if a.quick {
        Options::quick(threads)
    } else {
        Options::standard(threads, machine.spec.ram_bytes)
    };
    let bar = if a.json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::with_draw_target(Some(opts.steps()), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let l = crate::i18n::lang();
        b.set_message(t!(
            "calibrate-progress-start",
            bytes = l.bytes(opts.buffer_bytes),
            threads = threads
        ));
        b
    };
    let c = calibrate::measure(&opts, &key, &mut |s| {
        bar.inc(1);
        match s {
            Step::Bandwidth { pass, of, gbps } => {
                let gbps = crate::i18n::lang().dec(gbps, 1);
                bar.set_message(t!(
                    "calibrate-progress-bandwidth",
                    pass = pass,
                    of = of,
                    gbps = gbps
                ));
            }
            Step::Compute { pass, of, gflops } => {
                let gflops = crate::i18n::lang().dec(gflops, 0);
                bar.set_message(t!(
                    "calibrate-progress-compute",
                    pass = pass,
                    of = of,
                    gflops = gflops
                ));
            }
        }
    });
    bar.finish_and_clear();
    let mut c = c;
    if let Some(lb) = &a.llama_bench {
        let given = (!lb.as_os_str().is_empty()).then_some(lb.as_path());
        let bin = cabe_bench::kernels::find_llama_bench(given).map_err(anyhow::Error::msg)?;
        c.llama_cpp = Some(measure_kernels(&bin, threads, a.json, &path)?);
    }
    calibrate::save(&path, &c)
        .msg_context(|| msg!("calibrate-storing", path = path.display().to_string()))?;
    print(&c, &path, a.json, false)
}

/// llama.cpp's kernels with `bin`, a progress bar on a terminal; probes go beside the stored
/// calibration (sparse files, removed after each run).
fn measure_kernels(
    bin: &std::path::Path,
    threads: usize,
    json: bool,
    path: &std::path::Path,
) -> Result<cabe_bench::kernels::KernelRates> {
    use cabe_bench::kernels::{self, KernelStep};
    // The types twice, the narrow probe twice, and the routed-experts probes.
    let steps = (2 * kernels::MEASURED.len() + 2 + kernels::MOE_MEASURED.len()) as u64;
    let bar = if json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::with_draw_target(Some(steps), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b
    };
    let dir = path
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("probes");
    let mut notes = Vec::new();
    let rates = kernels::measure(bin, threads, &dir, &mut |s| match s {
        KernelStep::Started { what, index, of } => {
            bar.set_message(format!("llama-bench {what} ({index}/{of})"));
        }
        KernelStep::Done { .. } => bar.inc(1),
        KernelStep::RepackFailed { error } => {
            notes.push(t!("calibrate-repack-failed", error = error.to_string()))
        }
    });
    bar.finish_and_clear();
    let _ = std::fs::remove_dir(&dir);
    for n in notes {
        eprintln!("cabe: {n}");
    }
    rates.map_err(anyhow::Error::msg).msg_context(|| {
        msg!(
            "calibrate-measuring-kernels",
            bin = bin.display().to_string()
        )
    })
}

fn print(c: &Calibration, path: &std::path::Path, json: bool, other_machine: bool) -> Result<()> {
    if json {
        let mut v = serde_json::to_value(c)?;
        v["path"] = path.display().to_string().into();
        v["measured_at_utc"] = cabe_bench::time::rfc3339(c.measured_at).into();
        v["other_machine"] = other_machine.into();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    // Figures as before in English (ungrouped), as the language writes them otherwise.
    let lang = crate::i18n::lang();
    struct Num(cabe_i18n::Lang);
    impl Num {
        fn dec(&self, x: f64, d: usize) -> String {
            match self.0 {
                cabe_i18n::Lang::En => format!("{x:.d$}"),
                l => l.dec(x, d),
            }
        }
        fn trim(&self, x: f64) -> String {
            match self.0 {
                cabe_i18n::Lang::En => format!("{x}"),
                l => l.trim(x),
            }
        }
        fn bytes(&self, b: u64) -> String {
            self.0.bytes(b)
        }
    }
    let l = Num(lang);
    println!(
        "{}",
        t!(
            "calibrate-header",
            when = cabe_bench::time::date_time(c.measured_at),
            machine = c.machine.as_str(),
            quick = if c.quick { "yes" } else { "no" }
        )
    );
    println!(
        "  {}",
        t!(
            "calibrate-bandwidth",
            best = l.dec(c.bandwidth_gbps.best, 1),
            passes = c.bandwidth_gbps.samples.len(),
            buffer = l.bytes(c.buffer_bytes),
            threads = c.threads,
            median = l.dec(c.bandwidth_gbps.median, 1)
        )
    );
    if let Some(one) = c.bandwidth_1t_gbps.as_ref().filter(|_| c.threads > 1) {
        println!(
            "  {}",
            t!(
                "calibrate-one-core",
                best = l.dec(one.best, 1),
                median = l.dec(one.median, 1)
            )
        );
    }
    println!(
        "  {}",
        t!(
            "calibrate-compute",
            best = l.dec(c.compute_gflops.best, 0),
            kernel = c.compute_kernel.as_str(),
            passes = c.compute_gflops.samples.len(),
            median = l.dec(c.compute_gflops.median, 0)
        )
    );
    println!(
        "  {}",
        t!(
            "calibrate-int8",
            ratio = l.trim(c.int8_per_fma),
            ops = l.dec(c.int8_flops() / 1e9, 0)
        )
    );
    match &c.llama_cpp {
        Some(k) => {
            println!(
                "  {}",
                t!(
                    "calibrate-kernels",
                    build = k.build.as_str(),
                    threads = k.threads,
                    repack = if k.repack { "on" } else { "off" },
                    narrow = l.dec(k.narrow_ratio, 2),
                    prefill_ns = l.dec(k.prefill_attention_ns, 1),
                    decode_ns = l.dec(k.decode_attention_ns, 1)
                )
            );
            for r in &k.types {
                println!(
                    "    {:<6} {}",
                    r.ty,
                    t!(
                        "calibrate-kernel-row",
                        decode = format!("{:>6}", l.dec(r.decode_gbps, 1)),
                        prefill = format!("{:>6}", l.dec(r.prefill_gflops, 0))
                    )
                );
            }
            for (ty, r) in &k.expert_ratios {
                println!(
                    "    {}",
                    t!(
                        "calibrate-expert-ratio",
                        ty = ty.to_string(),
                        ratio = l.dec(*r, 2)
                    )
                );
            }
        }
        None => println!("  {}", t!("calibrate-kernels-none")),
    }
    println!(
        "  {}",
        t!("calibrate-stored", path = path.display().to_string())
    );
    if other_machine {
        println!("  {}", t!("calibrate-other-machine"));
    } else {
        println!("  {}", t!("calibrate-used"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What predictions are made from

/// What predictions on a machine are made from (the engine's [`SpeedBasis`]), loaded by
/// [`basis`].
pub type Basis = SpeedBasis;

/// The backend as the history stores it: "cpu", "cuda", "metal", …
pub fn backend_key(b: Backend) -> String {
    serde_json::to_value(b)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| b.name().to_ascii_lowercase())
}

/// The history key of a machine (see [`Basis::machine_key`]).
pub fn machine_key(machine: &Machine) -> Option<String> {
    match machine.spec.id.as_str() {
        "custom" => None,
        "this-machine" => Some(format!("this-machine: {}", machine.spec.name)),
        id => Some(id.to_string()),
    }
}

/// The speed basis of `machine`: its own figures, and on this machine its stored calibration
/// (`cabe calibrate`) when it was measured here ([`SpeedBasis::calibrated`] applies it).
/// The bench history's correction is loaded by [`correction`].
pub fn basis(machine: &Machine) -> Basis {
    let hw = &machine.spec;
    let key = machine_key(machine);
    let mut b = SpeedBasis::catalog(hw, key.clone());
    if hw.id != "this-machine" {
        return b;
    }
    let path = match cabe_bench::calibrate::default_path() {
        Ok(p) => p,
        Err(e) => {
            b.notes.push(BasisNote::NoCalibrationPath {
                error: e.to_string(),
            });
            return b;
        }
    };
    let cal = match cabe_bench::calibrate::load(&path) {
        Ok(Some(c)) => c,
        Ok(None) => {
            b.notes.push(BasisNote::NotCalibrated);
            return b;
        }
        Err(e) => {
            b.notes.push(BasisNote::CalibrationUnreadable {
                error: e.to_string(),
            });
            return b;
        }
    };
    if Some(&cal.machine) != key.as_ref() {
        b.notes.push(BasisNote::OtherMachine {
            machine: cal.machine,
        });
        return b;
    }
    b.calibrated(hw, cal)
}

/// What the bench history did to the predictions, in figures: `Display` writes the English
/// line the engine puts after the speed lines (and `--json` carries).
#[derive(Clone, Debug, PartialEq)]
pub enum History {
    /// The history could not be read.
    NotUsed { error: String },
    /// Its runs' factors apply; `miss` when they say the basis itself is off.
    Corrected {
        runs: usize,
        decode: Option<f64>,
        prefill: Option<f64>,
        miss: Option<Miss>,
    },
    /// Runs stored under another basis (before the current calibration) are left out.
    OtherBasis { runs: usize },
}

impl std::fmt::Display for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            History::NotUsed { error } => write!(f, "bench history not used: {error}"),
            History::Corrected {
                runs,
                decode,
                prefill,
                miss,
            } => {
                let part = |name: &str, f: Option<f64>| f.map(|f| format!("×{f:.2} {name}"));
                let parts: Vec<String> = [part("decode", *decode), part("prefill", *prefill)]
                    .into_iter()
                    .flatten()
                    .collect();
                write!(
                    f,
                    "corrected by {} measured run{}: {} (`cabe history`)",
                    runs,
                    if *runs == 1 { "" } else { "s" },
                    parts.join(", ")
                )?;
                match miss {
                    Some(m) => write!(f, "; {m}"),
                    None => Ok(()),
                }
            }
            History::OtherBasis { runs: n } => write!(
                f,
                "{n} bench run{} on this machine predicted from other figures (before the current calibration) not used: run `cabe bench` again",
                if *n == 1 { " was" } else { "s were" }
            ),
        }
    }
}

/// [`basis`] with the bench history's correction in it, and what was (or was not) applied:
/// what every prediction a user reads is made from.
pub fn corrected_basis(machine: &Machine) -> (Basis, Option<History>) {
    let mut b = basis(machine);
    let (c, history) = correction(&b, machine.spec.backend);
    b.correction = c;
    let history = match history {
        Some(History::Corrected {
            runs,
            decode,
            prefill,
            ..
        }) => Some(History::Corrected {
            runs,
            decode,
            prefill,
            miss: b.miss(),
        }),
        h => h,
    };
    (b, history)
}

/// The correction from stored bench runs for this machine, backend and basis, with what was
/// (or was not) applied.
pub fn correction(b: &Basis, backend: Backend) -> (Option<Correction>, Option<History>) {
    let Some(machine) = &b.machine_key else {
        return (None, None);
    };
    let path = match cabe_bench::datadir::history_path() {
        Ok(p) => p,
        Err(_) => return (None, None),
    };
    let not_used = |e: &dyn std::fmt::Display| History::NotUsed {
        error: e.to_string(),
    };
    let store = match cabe_bench::store::Store::open_existing(&path) {
        Ok(Some(s)) => s,
        Ok(None) => return (None, None),
        Err(e) => return (None, Some(not_used(&e))),
    };
    match store.correction(machine, &backend_key(backend), &b.key) {
        Ok(Some(c)) => {
            let h = History::Corrected {
                runs: c.runs,
                decode: c.decode,
                prefill: c.prefill,
                miss: None,
            };
            (Some(c), Some(h))
        }
        Ok(None) => match store.runs_on_other_basis(machine, &backend_key(backend), &b.key) {
            Ok(n) if n > 0 => (None, Some(History::OtherBasis { runs: n })),
            _ => (None, None),
        },
        Err(e) => (None, Some(not_used(&e))),
    }
}
