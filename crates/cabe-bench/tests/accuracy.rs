//! cabe's calibrated speed predictions against a real llama.cpp on this machine, whatever its
//! CPU (bars: decode within ±15%, prefill within ±25%).
//!
//! Ignored by default (it needs llama.cpp's CPU tools and takes minutes); run it with
//! `tools/speed-accuracy.sh`, which builds `cabe` (the test build: the calibration probes are
//! optimised in the dev profile too) and passes:
//!
//! * `CABE_BIN` — the cabe binary; `CABE_LLAMA_CPP_BIN` — llama.cpp's bin dir
//!   (`tools/llama-cpp.sh path`); `CABE_LLAMA_CPP_SRC` — its source (vocabulary files);
//! * `CABE_SPEED_DIR` — where generated models are cached (default `~/.cache/cabe/speed`);
//! * `CABE_SPEED_THREADS` — threads for llama-bench and the calibration (default: all cores,
//!   or 1 on a machine with 2 or fewer);
//! * `CABE_SPEED_OUT` — where results go (default `target/speed-accuracy`).
//!
//! Models are real-shaped (cabe-truth's generator: the tensors llama.cpp loads for the
//! architecture, a real tokenizer, zero weights — matmuls run at the same speed on zeros) and
//! quantized with the real llama-quantize. `cabe calibrate --llama-bench` measures the machine
//! and llama.cpp's kernels on it; for each model `llama-bench -p 512 -n 64 -r 3 --no-warmup` (llama.cpp's
//! defaults) measures llama.cpp, and `cabe fit FILE --prompt-tokens 512` predicts with the
//! calibration; the typical predictions, scaled by how fast the machine runs the model's
//! kernels now against the calibration (their probes measured again beside the model:
//! `accuracy/reference.rs`), must be within the bars.

use cabe_core::model::ModelSpec;
use cabe_core::quant::{FileType, GgmlType};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "accuracy/reference.rs"]
mod reference;
use reference::Drift;

struct Case {
    /// File stem and label.
    name: &'static str,
    what: &'static str,
    spec: fn() -> ModelSpec,
    ftype: FileType,
    /// `llama-quantize --pure`: every tensor of the one type.
    pure: bool,
    /// Non-zero embedding, norms and router (cabe_truth::fill), so that a MoE's tokens spread
    /// over its experts as in a trained model; the rest stays zero.
    routed: bool,
}

fn catalog(id: &str) -> ModelSpec {
    cabe_catalog::find_model(id)
        .expect("catalog model")
        .spec
        .clone()
}

/// Qwen3-30B-A3B's shape (2048 wide, 128 experts of width 768, 8 used, 32 heads / 4 KV heads,
/// 151,936 tokens) with 8 of its 48 layers.
fn qwen3moe_8l() -> ModelSpec {
    let mut s = catalog("qwen3-30b-a3b");
    s.layers.truncate(8);
    s.name = "Qwen3-30B-A3B shape, 8 of 48 layers".into();
    s
}

const CASES: &[Case] = &[
    Case {
        name: "qwen3-0.6b-Q8_0",
        what: "Qwen3-0.6B (dense; output head stored, as in real GGUFs)",
        spec: || catalog("qwen3-0.6b"),
        ftype: FileType::Q8_0,
        pure: false,
        routed: false,
    },
    Case {
        name: "llama-3.2-1b-Q4_K_M",
        what: "Llama-3.2-1B (dense)",
        spec: || catalog("llama-3.2-1b"),
        ftype: FileType::Q4_K_M,
        pure: false,
        routed: false,
    },
    Case {
        name: "qwen3moe-8l-routed-Q4_K_M",
        what: "Qwen3-30B-A3B shape, 8 layers (MoE, 128 experts, 8 used; tokens routed over the experts)",
        spec: qwen3moe_8l,
        ftype: FileType::Q4_K_M,
        pure: false,
        routed: true,
    },
    Case {
        name: "llama-3.2-1b-Q8_0",
        what: "Llama-3.2-1B (dense)",
        spec: || catalog("llama-3.2-1b"),
        ftype: FileType::Q8_0,
        pure: false,
        routed: false,
    },
    Case {
        name: "qwen2.5-1.5b-Q4_0",
        what: "Qwen2.5-1.5B (dense, legacy 4-bit)",
        spec: || catalog("qwen2.5-1.5b"),
        ftype: FileType::Q4_0,
        pure: false,
        routed: false,
    },
    Case {
        name: "gpt-oss-20b-8l-routed-MXFP4_MOE",
        what: "gpt-oss-20b shape, 8 of 24 layers (MoE, 32 experts, 4 used, MXFP4 experts; tokens routed over the experts)",
        spec: gpt_oss_8l,
        ftype: FileType::MXFP4_MOE,
        pure: false,
        routed: true,
    },
];

/// gpt-oss-20b's shape (2880 wide, 32 experts of width 2880, 4 used, alternating sliding
/// window, 201,088 tokens) with 8 of its 24 layers.
fn gpt_oss_8l() -> ModelSpec {
    let mut s = catalog("gpt-oss-20b");
    s.layers.truncate(8);
    s.name = "gpt-oss-20b shape, 8 of 24 layers".into();
    s
}

/// Single-type models for the kernel factors: Qwen2.5-1.5B's shape (a different architecture
/// and size from the checked models), every tensor one type.
fn pure(name: &'static str, ftype: FileType) -> Case {
    Case {
        name,
        what: "Qwen2.5-1.5B shape, one weight type (--pure)",
        spec: || catalog("qwen2.5-1.5b"),
        ftype,
        pure: true,
        routed: false,
    }
}

const DECODE_BAR: f64 = 0.15;
const PREFILL_BAR: f64 = 0.25;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A path from the environment; a relative one is taken from the repository root (where
/// `tools/speed-accuracy.sh` runs).
fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(|v| repo().join(v))
}

fn tool_output(args: &[&str]) -> PathBuf {
    let out = Command::new("bash")
        .arg(repo().join("tools/llama-cpp.sh"))
        .args(args)
        .output()
        .expect("run tools/llama-cpp.sh");
    assert!(
        out.status.success(),
        "tools/llama-cpp.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    PathBuf::from(s.lines().last().unwrap_or("").trim())
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .rev()
            .take(15)
            .collect::<Vec<_>>()
            .join("\n")
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn loadavg() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The quantized model, generated and quantized once (cached in `dir`).
fn model_file(c: &Case, dir: &Path, bin: &Path, vocab: &Path) -> PathBuf {
    let out = dir.join(format!("{}.gguf", c.name));
    let spec = (c.spec)();
    // A cached file is used while it holds the tensors the generator writes for the spec now.
    let want = {
        let mut v: Vec<String> = cabe_truth::generate::tensors(&spec, GgmlType::BF16)
            .into_iter()
            .map(|t| t.name)
            .collect();
        v.sort();
        v
    };
    if let Ok(g) = cabe_gguf::read_model(&out) {
        let mut have: Vec<String> = g.tensors().map(|t| t.name.clone()).collect();
        have.sort();
        if have == want {
            return out;
        }
        eprintln!(
            "{}: the generator's tensors changed; generating again",
            out.display()
        );
    }
    std::fs::create_dir_all(dir).unwrap();
    let float = dir.join(format!("{}.BF16.gguf", c.name));
    cabe_truth::generate::write_model(&spec, FileType::BF16, vocab, &float)
        .unwrap_or_else(|e| panic!("generating {}: {e:#}", c.name));
    if c.routed {
        use cabe_truth::fill::{fill_tensors, Fill};
        let n = fill_tensors(&float, |name| {
            if name == "token_embd.weight" || name.ends_with(".ffn_gate_inp.weight") {
                Some(Fill::Random {
                    scale: 1.0,
                    seed: 0x5eed,
                })
            } else if name.ends_with("_norm.weight") {
                Some(Fill::Ones)
            } else {
                None
            }
        })
        .unwrap_or_else(|e| panic!("filling {}: {e:#}", c.name));
        eprintln!("{}: {n} tensors filled (embedding, norms, router)", c.name);
    }
    let part = out.with_extension("gguf.part");
    let t = Instant::now();
    let mut q = Command::new(bin.join("llama-quantize"));
    if c.pure {
        q.arg("--pure");
    }
    run(
        q.arg(&float).arg(&part).arg(c.ftype.name()).arg("2"),
        &format!("llama-quantize {}", c.name),
    );
    std::fs::rename(&part, &out).unwrap();
    let _ = std::fs::remove_file(&float);
    eprintln!(
        "quantized {} in {:.0} s",
        out.display(),
        t.elapsed().as_secs_f64()
    );
    out
}

/// Paths, threads and a calibration of this machine in a private data dir.
struct Setup {
    cabe: PathBuf,
    bin: PathBuf,
    vocab: PathBuf,
    cache: PathBuf,
    out: PathBuf,
    threads: usize,
    data: tempfile::TempDir,
    cal: Value,
    /// llama.cpp's kernels as the calibration measured them (each type's wide probe).
    kernels: Option<cabe_bench::kernels::KernelRates>,
    /// llama-bench's thread and repack arguments: those the calibration measured its kernels
    /// with (llama.cpp's defaults, `--repack 0` only where the repacked kernels crash).
    bench_args: Vec<String>,
}

impl Setup {
    fn new() -> Setup {
        let cabe = env_path("CABE_BIN").unwrap_or_else(|| repo().join("target/debug/cabe"));
        assert!(
            cabe.is_file(),
            "{} missing: run tools/speed-accuracy.sh (it builds cabe)",
            cabe.display()
        );
        let bin = env_path("CABE_LLAMA_CPP_BIN").unwrap_or_else(|| tool_output(&["path"]));
        let src = env_path("CABE_LLAMA_CPP_SRC").unwrap_or_else(|| tool_output(&["src"]));
        let out =
            env_path("CABE_SPEED_OUT").unwrap_or_else(|| repo().join("target/speed-accuracy"));
        std::fs::create_dir_all(&out).unwrap();
        Setup {
            cabe,
            bin,
            vocab: src.join("models"),
            cache: env_path("CABE_SPEED_DIR")
                .unwrap_or_else(|| dirs_home().join(".cache/cabe/speed/models")),
            out,
            threads: std::env::var("CABE_SPEED_THREADS")
                .ok()
                .and_then(|t| t.parse().ok())
                .unwrap_or_else(default_threads),
            data: tempfile::tempdir().unwrap(),
            cal: Value::Null,
            kernels: None,
            bench_args: Vec::new(),
        }
    }

    /// `cabe calibrate --llama-bench` into the private data dir: the machine, then llama.cpp's
    /// kernels on it, as a user would calibrate before `cabe fit`.
    fn calibrate(&mut self) {
        let text = run(
            Command::new(&self.cabe)
                .args([
                    "calibrate",
                    "--json",
                    "--threads",
                    &self.threads.to_string(),
                    "--llama-bench",
                ])
                .arg(&self.bin)
                .env("CABE_DATA_DIR", self.data.path()),
            "cabe calibrate",
        );
        self.cal = serde_json::from_str(&text).unwrap();
        let cal: cabe_bench::calibrate::Calibration =
            serde_json::from_value(self.cal.clone()).expect("calibration JSON");
        let k = cal
            .llama_cpp
            .expect("cabe calibrate --llama-bench stores llama.cpp's kernels");
        for t in &k.types {
            eprintln!(
                "  {:<6} tg32 {:>7.2}  pp512 {:>7.1}  → {:.1} GB/s streamed, {:.0} GFLOP/s",
                t.ty, t.tg_tps, t.pp_tps, t.decode_gbps, t.prefill_gflops
            );
        }
        eprintln!(
            "  narrow rows at {:.2}× the wide rate; routed experts at {:?}× their decode stream; attention {:.1} / {:.1} ns; repacked kernels {}",
            k.narrow_ratio,
            k.expert_ratios,
            k.prefill_attention_ns,
            k.decode_attention_ns,
            if k.repack { "on" } else { "off (they failed here)" }
        );
        self.bench_args = k.bench_args();
        self.kernels = Some(k);
        eprintln!(
            "calibration: {:.1} GB/s read, {:.0} GFLOP/s f32 ({} threads; load {:.1})",
            self.bw(),
            self.gflops(),
            self.threads,
            loadavg()
        );
    }
    fn bw(&self) -> f64 {
        self.cal["bandwidth_gbps"]["best"].as_f64().unwrap()
    }
    fn gflops(&self) -> f64 {
        self.cal["compute_gflops"]["best"].as_f64().unwrap()
    }
}

/// Threads for the check: every core on machines with more than two; one on smaller ones,
/// where other work on the other core (CI, builds) disturbs a 2-thread llama.cpp — whose
/// threads wait for each other — far more than one thread (see ACCURACY.md).
fn default_threads() -> usize {
    match std::thread::available_parallelism().map_or(1, |n| n.get()) {
        n if n > 2 => n,
        _ => 1,
    }
}

/// One llama-bench test: the mean it reports, its spread, and the best repetition.
#[derive(Debug, Clone, Copy, serde::Serialize)]
struct Rate {
    mean: f64,
    sd: f64,
    best: f64,
}

struct Bench {
    pp: Rate,
    tg: Rate,
    secs: f64,
    load_before: f64,
    load_after: f64,
}

/// `llama-bench -p P -n N -r R` as JSON rows, with llama.cpp's defaults but the threads
/// (and, where the calibration found the repacked kernels crash, `--repack 0`).
fn llama_bench_rows(
    s: &Setup,
    file: &Path,
    n_prompt: u32,
    n_gen: u32,
    reps: u32,
    extra: &[&str],
) -> Vec<Value> {
    let args = if s.bench_args.is_empty() {
        vec!["-t".to_string(), s.threads.to_string()]
    } else {
        s.bench_args.clone()
    };
    let text = run(
        Command::new(s.bin.join("llama-bench"))
            .arg("-m")
            .arg(file)
            .args(["-p", &n_prompt.to_string(), "-n", &n_gen.to_string()])
            .args(["-r", &reps.to_string(), "-o", "json"])
            .args(extra)
            .args(&args),
        &format!("llama-bench {}", file.display()),
    );
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("llama-bench JSON: {e}: {text}"))
}

/// One llama-bench row's mean, spread and best repetition.
fn rate(r: &Value) -> Rate {
    Rate {
        mean: r["avg_ts"].as_f64().unwrap(),
        sd: r["stddev_ts"].as_f64().unwrap_or(0.0),
        best: r["samples_ts"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).fold(0.0, f64::max))
            .unwrap_or(0.0),
    }
}

/// pp512 and tgN of one model, best of `reps` without llama-bench's warm-up run (the best
/// repetition is what is compared, so the first one warms up; a warm-up pass of a 512-token
/// prompt is a quarter of a model's measuring time).
fn llama_bench(s: &Setup, file: &Path, n_gen: u32, reps: u32) -> Bench {
    let load_before = loadavg();
    let t = Instant::now();
    let rows = llama_bench_rows(s, file, 512, n_gen, reps, &["--no-warmup"]);
    let pick = |pp: bool| {
        let r = rows
            .iter()
            .find(|r| {
                if pp {
                    r["n_prompt"] == 512 && r["n_gen"] == 0
                } else {
                    r["n_prompt"] == 0 && r["n_gen"] == n_gen
                }
            })
            .unwrap_or_else(|| panic!("no {} row in {rows:?}", if pp { "pp" } else { "tg" }));
        rate(r)
    };
    Bench {
        pp: pick(true),
        tg: pick(false),
        secs: t.elapsed().as_secs_f64(),
        load_before,
        load_after: loadavg(),
    }
}

#[derive(Debug, serde::Serialize)]
struct Checked {
    model: String,
    what: String,
    file_type: String,
    file_bytes: u64,
    measured_pp512: Rate,
    measured_tg64: Rate,
    predicted_prefill: Value,
    predicted_decode: Value,
    /// Typical prediction × the reference's drift ÷ best repetition − 1: what the bars hold.
    prefill_err: f64,
    decode_err: f64,
    /// The bars this model was held to: ±25% and ±15%, each widened by how far the machine
    /// moved between the references before and after it.
    prefill_bar: f64,
    decode_bar: f64,
    /// Against llama-bench's mean instead.
    prefill_err_vs_mean: f64,
    decode_err_vs_mean: f64,
    /// Typical prediction ÷ best repetition − 1, the machine's drift not taken out.
    prefill_err_raw: f64,
    decode_err_raw: f64,
    /// The model's kernels measured again before and after it, against the calibration.
    reference: Drift,
    load_before: f64,
    load_after: f64,
    bench_secs: f64,
    /// Measured twice because the first run missed a bar (the better of the two is kept).
    retried: bool,
}

/// Repetitions per llama-bench test: the best one is compared (the calibration also keeps its
/// best pass), so that a burst of other work on the machine during one repetition does not
/// count against the model; the mean is reported beside it. Three, not five: the drift
/// reference ([`drift`]) takes out the slow minutes that more repetitions were for, and a
/// cold CI run has 90 minutes for everything.
const REPS: u32 = 3;

/// A model's errors against its bars.
struct Judged {
    prefill_err: f64,
    decode_err: f64,
    prefill_bar: f64,
    decode_bar: f64,
}

impl Judged {
    /// How far the worse of the two errors is beyond its bar (≤ 0: within both).
    fn excess(&self) -> f64 {
        (self.prefill_err.abs() - self.prefill_bar).max(self.decode_err.abs() - self.decode_bar)
    }
    fn within(&self) -> bool {
        self.excess() <= 0.0
    }
}

#[test]
#[ignore = "needs llama.cpp's CPU tools and minutes of CPU: tools/speed-accuracy.sh"]
fn calibrated_predictions_match_llama_bench() {
    let started = Instant::now();
    let mut s = Setup::new();
    // Models first (cached), so that quantizing does not overlap the measurements.
    let files: Vec<PathBuf> = CASES
        .iter()
        .map(|c| model_file(c, &s.cache, &s.bin, &s.vocab))
        .collect();
    s.calibrate();

    let mut results = Vec::new();
    for (c, file) in CASES.iter().zip(&files) {
        let fit_text = run(
            Command::new(&s.cabe)
                .arg("fit")
                .arg(file)
                .args(["--ctx", "4096", "--prompt-tokens", "512", "--json"])
                .env("CABE_DATA_DIR", s.data.path()),
            &format!("cabe fit {}", c.name),
        );
        let fit: Value = serde_json::from_str(&fit_text).unwrap();
        let speed = &fit["speed"];
        assert_eq!(speed["prefill_source"], "predicted", "{speed}");
        assert!(
            speed["calibrated_at"].is_string(),
            "the prediction must use the calibration: {speed}"
        );
        let pre = speed["prefill_tps"]["typical"].as_f64().unwrap();
        // llama-bench's tg64 averages the tokens at positions 0…63: decode at position 32.
        let fit32: Value = serde_json::from_str(&run(
            Command::new(&s.cabe)
                .arg("fit")
                .arg(file)
                .args(["--ctx", "4096", "--prompt-tokens", "32", "--json"])
                .env("CABE_DATA_DIR", s.data.path()),
            &format!("cabe fit {} (decode at 32)", c.name),
        ))
        .unwrap();
        let dec = fit32["speed"]["decode_tps"]["typical"].as_f64().unwrap();
        // The machine's speed on this model's kernels, against the calibration's: their
        // probes measured again just before and just after the model. The VM's speed
        // moves by a third within minutes (its other tenants), and a prediction can only be
        // as right as the machine is steady: the bars hold the prediction scaled by the mean
        // of the two references, each bar widened by how far the machine moved between them.
        // The raw errors are recorded beside.
        let judge = |b: &Bench, d: &Drift| Judged {
            prefill_err: pre * d.pp / b.pp.best - 1.0,
            decode_err: dec * d.tg / b.tg.best - 1.0,
            prefill_bar: PREFILL_BAR + d.moved_pp,
            decode_bar: DECODE_BAR + d.moved_tg,
        };
        let plan = reference::plan(file, s.kernels.as_ref().expect("calibrated"));
        let before = reference::measure(&s, &plan);
        let mut b = llama_bench(&s, file, 64, REPS);
        let after = reference::measure(&s, &plan);
        let mut d = Drift::between(&plan, &before, &after);
        // A miss is measured once more (model, then the reference again) and judged on that
        // round's own references; the round that misses least is kept: a real misprediction
        // misses both times.
        let retried = !judge(&b, &d).within();
        if retried {
            eprintln!(
                "{}: outside a bar (pp512 {:.1}, tg64 {:.2}; reference at {:.2}/{:.2} of the calibration, moved {:.0}%/{:.0}%; load {:.1}): measuring again",
                c.name,
                b.pp.best,
                b.tg.best,
                d.pp,
                d.tg,
                d.moved_pp * 100.0,
                d.moved_tg * 100.0,
                loadavg()
            );
            let again = llama_bench(&s, file, 64, REPS);
            let after2 = reference::measure(&s, &plan);
            let d2 = Drift::between(&plan, &after, &after2);
            if judge(&again, &d2).excess() < judge(&b, &d).excess() {
                b = Bench {
                    secs: b.secs + again.secs,
                    load_before: b.load_before,
                    ..again
                };
                d = d2;
            } else {
                b.secs += again.secs;
                b.load_after = again.load_after;
            }
        }
        let j = judge(&b, &d);
        let r = Checked {
            model: c.name.into(),
            what: c.what.into(),
            file_type: c.ftype.name().into(),
            file_bytes: std::fs::metadata(file).unwrap().len(),
            measured_pp512: b.pp,
            measured_tg64: b.tg,
            predicted_prefill: speed["prefill_tps"].clone(),
            predicted_decode: fit32["speed"]["decode_tps"].clone(),
            prefill_err: j.prefill_err,
            decode_err: j.decode_err,
            prefill_bar: j.prefill_bar,
            decode_bar: j.decode_bar,
            prefill_err_vs_mean: pre * d.pp / b.pp.mean - 1.0,
            decode_err_vs_mean: dec * d.tg / b.tg.mean - 1.0,
            prefill_err_raw: pre / b.pp.best - 1.0,
            decode_err_raw: dec / b.tg.best - 1.0,
            reference: d,
            load_before: b.load_before,
            load_after: b.load_after,
            bench_secs: b.secs,
            retried,
        };
        eprintln!(
            "{:<22} pp512 best {:>6.1} (mean {:>6.1} ± {:>4.1}) predicted {:>6.1}×{:.2} ({:+.0}%) | tg64 best {:>6.2} (mean {:>6.2} ± {:>4.2}) predicted {:>6.2}×{:.2} ({:+.0}%) | load {:.1}→{:.1}, {:.0} s",
            r.model,
            b.pp.best,
            b.pp.mean,
            b.pp.sd,
            pre,
            r.reference.pp,
            r.prefill_err * 100.0,
            b.tg.best,
            b.tg.mean,
            b.tg.sd,
            dec,
            r.reference.tg,
            r.decode_err * 100.0,
            b.load_before,
            b.load_after,
            b.secs
        );
        eprintln!(
            "    reference: pp512 {} | tg64 {} | before [{}] after [{}]",
            r.reference.pp_from,
            r.reference.tg_from,
            r.reference.before.probes.join(", "),
            r.reference.after.probes.join(", ")
        );
        results.push(r);
    }

    let report = serde_json::json!({
        "calibration": s.cal,
        "threads": s.threads,
        "llama_cpp": std::fs::read_to_string(s.bin.join("../BUILD_INFO")).unwrap_or_default(),
        "bars": { "decode": DECODE_BAR, "prefill": PREFILL_BAR },
        "repetitions": REPS,
        "results": results,
        "total_secs": started.elapsed().as_secs_f64(),
    });
    let path = s.out.join("results.json");
    let text = serde_json::to_string_pretty(&report).unwrap();
    std::fs::write(&path, &text).unwrap();
    std::fs::write(s.out.join(format!("results-{}t.json", s.threads)), &text).unwrap();
    let section = markdown(&s.out);
    std::fs::write(s.out.join("section.md"), &section).unwrap();
    if let Some(md) = env_path("CABE_SPEED_ACCURACY_MD") {
        splice(&md, &section);
        eprintln!("wrote the speed section of {}", md.display());
    }
    eprintln!(
        "results: {} ({:.0} s in all)",
        path.display(),
        started.elapsed().as_secs_f64()
    );

    let fails: Vec<String> = results
        .iter()
        .flat_map(|r| {
            let mut f = Vec::new();
            if r.decode_err.abs() > r.decode_bar {
                f.push(format!(
                    "{} decode {:+.1}% (bar ±{:.0}%)",
                    r.model,
                    r.decode_err * 100.0,
                    r.decode_bar * 100.0
                ));
            }
            if r.prefill_err.abs() > r.prefill_bar {
                f.push(format!(
                    "{} prefill {:+.1}% (bar ±{:.0}%)",
                    r.model,
                    r.prefill_err * 100.0,
                    r.prefill_bar * 100.0
                ));
            }
            f
        })
        .collect();
    // Enforced on every CPU: the calibration measured llama.cpp's kernels here first.
    assert!(fails.is_empty(), "outside the bars: {}", fails.join("; "));
}

/// Where `cabe_bench::cpu`'s kernel factors come from: for each measured weight type, a
/// Qwen2.5-1.5B-shaped model of only that type, llama-bench pp512/tg32 (best of 3) against
/// this machine's calibration; decode net of the per-row cost. Prints the factors; `cpu.rs`
/// holds the values found.
#[test]
#[ignore = "needs llama.cpp's CPU tools and minutes of CPU: tools/speed-accuracy.sh --kernels"]
fn kernel_factors() {
    let mut s = Setup::new();
    let cases = [
        pure("qwen2.5-1.5b-pure-Q4_K", FileType::Q4_K_M),
        pure("qwen2.5-1.5b-pure-Q5_K", FileType::Q5_K_M),
        pure("qwen2.5-1.5b-pure-Q6_K", FileType::Q6_K),
        pure("qwen2.5-1.5b-pure-Q8_0", FileType::Q8_0),
    ];
    let files: Vec<PathBuf> = cases
        .iter()
        .map(|c| model_file(c, &s.cache, &s.bin, &s.vocab))
        .collect();
    s.calibrate();
    let f = s.gflops() * 1e9;
    let bw = s.bw() * 1e9;
    let mut out = Vec::new();
    for (c, file) in cases.iter().zip(&files) {
        let b = llama_bench(&s, file, 32, 3);
        let (spec, weights) = {
            let p = cabe_bench::server::model_from_gguf(file).unwrap();
            (p.spec, p.weights)
        };
        let flops_per_token = cabe_core::speed::prefill_flops(&spec, &weights, 512) / 512.0;
        let kp = b.pp.best * flops_per_token / f;
        // Decode: the time per token less the rows' fixed cost (cpu.rs) is the kernel's.
        let rows: f64 = cabe_bench::cpu::active_by_type(&spec, &weights)
            .iter()
            .map(|a| a.rows)
            .sum();
        let secs = 1.0 / b.tg.best - rows * cabe_bench::cpu::row_overhead_secs(s.threads);
        let kd = 2.0 * weights.params_active as f64 / (secs * f);
        let mem = weights.bytes_active as f64 / (secs * bw);
        eprintln!(
            "{:<26} prefill κ {:.3} (pp512 {:.1}) | decode κ {:.3}, {:.2} of read bandwidth (tg32 {:.2}) | load {:.1}→{:.1}",
            c.name, kp, b.pp.best, kd, mem, b.tg.best, b.load_before, b.load_after
        );
        out.push(serde_json::json!({
            "model": c.name, "pp512": b.pp, "tg32": b.tg,
            "kappa_prefill": kp, "kappa_decode": kd, "read_bandwidth_share": mem,
        }));
    }
    let path = s.out.join(format!("kernels-{}t.json", s.threads));
    let report = serde_json::json!({ "calibration": s.cal, "threads": s.threads, "types": out });
    std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    eprintln!("kernel factors: {}", path.display());
}

/// A Qwen3-shaped model of `n` layers so narrow (64 wide, one 64-dim head, FFN 192) that a
/// decoded token's weight bytes are negligible: what is left of its time is llama.cpp's
/// per-token work that does not scale with the bytes — graph nodes, thread synchronisation.
fn tiny_qwen3(n: usize) -> ModelSpec {
    let mut s = catalog("qwen3-0.6b");
    s.n_embd = 64;
    s.head_dim_k = 64;
    s.head_dim_v = 64;
    let mut l = s.layers[0].clone();
    l.n_head = 1;
    l.n_head_kv = 1;
    l.n_ff = 192;
    s.layers = vec![l; n];
    s.name = format!("Qwen3 shape, 64 wide, {n} layers");
    s
}

fn tiny_case(name: &'static str, spec: fn() -> ModelSpec) -> Case {
    Case {
        name,
        what: "Qwen3 shape, 64 wide (per-layer overhead)",
        spec,
        ftype: FileType::Q8_0,
        pure: false,
        routed: false,
    }
}

/// Where `cabe_bench::cpu`'s per-layer decode overhead comes from: tg64 of 64-wide Qwen3
/// models of 4 and 68 layers at 1 and (where there are 2 cores) 2 threads; the overhead per
/// layer and token is the difference of the per-token times over the 64 extra layers.
#[test]
#[ignore = "needs llama.cpp's CPU tools: tools/speed-accuracy.sh --overhead"]
fn per_layer_overhead() {
    let mut s = Setup::new();
    let cases = [
        tiny_case("tiny-qwen3-4l-Q8_0", || tiny_qwen3(4)),
        tiny_case("tiny-qwen3-68l-Q8_0", || tiny_qwen3(68)),
    ];
    let files: Vec<PathBuf> = cases
        .iter()
        .map(|c| model_file(c, &s.cache, &s.bin, &s.vocab))
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut out = Vec::new();
    for threads in [1, 2, 4, 8].into_iter().filter(|&t| t <= cores) {
        s.threads = threads;
        let tg: Vec<Rate> = files.iter().map(|f| llama_bench(&s, f, 64, 5).tg).collect();
        let per_layer_us = (1.0 / tg[1].best - 1.0 / tg[0].best) / 64.0 * 1e6;
        let base_us = 1e6 / tg[0].best - 4.0 * per_layer_us;
        eprintln!(
            "{threads} threads: tg64 {:.1} (4 layers) / {:.1} (68 layers): {per_layer_us:.1} µs per layer, {base_us:.0} µs the rest | load {:.1}",
            tg[0].best, tg[1].best, loadavg()
        );
        out.push(serde_json::json!({
            "threads": threads, "tg64_4l": tg[0], "tg64_68l": tg[1],
            "per_layer_us": per_layer_us, "rest_us": base_us,
        }));
    }
    let path = s.out.join("overhead.json");
    std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap()).unwrap();
    eprintln!("per-layer overhead: {}", path.display());
}

/// A Qwen3-shaped model `d` wide (d/128 heads of 128, half as many KV heads, FFN 3d) with
/// `n` layers: models of different widths and the same bytes read per token have different
/// numbers of matrix rows, each a separate dot product in llama.cpp's decode.
fn qwen3_width(d: u64, n: usize) -> ModelSpec {
    let mut s = catalog("qwen3-0.6b");
    s.n_embd = d;
    let mut l = s.layers[0].clone();
    l.n_head = (d / 128) as u32;
    l.n_head_kv = (d / 256).max(1) as u32;
    l.n_ff = 3 * d;
    s.layers = vec![l; n];
    s.name = format!("Qwen3 shape, {d} wide, {n} layers");
    s
}

/// `llama-bench -p 0 -n N`: decode only.
fn llama_bench_tg(s: &Setup, file: &Path, n_gen: u32, reps: u32) -> Rate {
    rate(&llama_bench_rows(s, file, 0, n_gen, reps, &[])[0])
}

/// Decode time against matrix rows at about the same bytes: Q8_0 Qwen3 shapes 256 to 2048
/// wide. Prints per-token time, bytes and rows for a fit of
/// `t = bytes / (η × BW) + rows × c_row + layers × c_layer`.
#[test]
#[ignore = "needs llama.cpp's CPU tools: tools/speed-accuracy.sh --rows"]
fn row_overhead() {
    let mut s = Setup::new();
    let cases = [
        tiny_case("w256-190l-Q8_0", || qwen3_width(256, 190)),
        tiny_case("w512-48l-Q8_0", || qwen3_width(512, 48)),
        tiny_case("w1024-12l-Q8_0", || qwen3_width(1024, 12)),
        tiny_case("w2048-3l-Q8_0", || qwen3_width(2048, 3)),
    ];
    let files: Vec<PathBuf> = cases
        .iter()
        .map(|c| model_file(c, &s.cache, &s.bin, &s.vocab))
        .collect();
    s.calibrate();
    let mut out = Vec::new();
    for (c, file) in cases.iter().zip(&files) {
        let tg = llama_bench_tg(&s, file, 64, 5);
        let p = cabe_bench::server::model_from_gguf(file).unwrap();
        let rows: f64 = p
            .weights
            .tensors
            .iter()
            .filter(|t| &*t.name != "token_embd.weight" && t.dims.len() > 1)
            .map(|t| t.dims[1..].iter().product::<u64>() as f64)
            .sum();
        let ms = 1e3 / tg.best;
        eprintln!(
            "{:<18} tg64 {:>7.1} ({ms:.2} ms) bytes {:.1} MB rows {:.0}k layers {} | load {:.1}",
            c.name,
            tg.best,
            p.weights.bytes_active as f64 / 1e6,
            rows / 1e3,
            p.spec.n_layer(),
            loadavg()
        );
        out.push(serde_json::json!({
            "model": c.name, "tg64": tg, "ms": ms, "bytes": p.weights.bytes_active,
            "rows": rows, "layers": p.spec.n_layer(),
        }));
    }
    let report = serde_json::json!({ "calibration": s.cal, "threads": s.threads, "models": out });
    let path = s.out.join(format!("rows-{}t.json", s.threads));
    std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    eprintln!("rows: {}", path.display());
}

/// Rewrites the speed section of ACCURACY.md (`CABE_SPEED_ACCURACY_MD`) from the last
/// results, without measuring again (`tools/speed-accuracy.sh --splice`).
#[test]
#[ignore = "writes ACCURACY.md: tools/speed-accuracy.sh --splice"]
fn splice_accuracy_section() {
    let out = env_path("CABE_SPEED_OUT").unwrap_or_else(|| repo().join("target/speed-accuracy"));
    let md = env_path("CABE_SPEED_ACCURACY_MD").expect("CABE_SPEED_ACCURACY_MD");
    assert!(
        !per_thread_files(&out, "results").is_empty(),
        "no results-<N>t.json in {}: run tools/speed-accuracy.sh first",
        out.display()
    );
    let section = markdown(&out);
    splice(&md, &section);
    eprintln!("wrote the speed section of {}", md.display());
}

const BEGIN: &str = "<!-- speed:begin -->";
const END: &str = "<!-- speed:end -->";

/// Replaces the text between the speed markers of `path` (or appends the block; creates the
/// file if needed). Nothing outside the markers changes.
fn splice(path: &Path, section: &str) {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let block = format!("{BEGIN}\n{}{END}\n", section);
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(a), Some(b)) if b > a => {
            let tail = &old[b + END.len()..];
            format!(
                "{}{block}{}",
                &old[..a],
                tail.strip_prefix('\n').unwrap_or(tail)
            )
        }
        _ if old.is_empty() => block,
        _ => format!("{}\n{block}", old.trim_end_matches('\n').to_string() + "\n"),
    };
    std::fs::write(path, new).unwrap();
}

fn pct(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

/// `out/<prefix>-<N>t.json` files, most threads first.
fn per_thread_files(out: &Path, prefix: &str) -> Vec<(u64, Value)> {
    let mut v: Vec<(u64, Value)> = std::fs::read_dir(out)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let n: u64 = name
                .strip_prefix(&format!("{prefix}-"))?
                .strip_suffix("t.json")?
                .parse()
                .ok()?;
            let v: Value = serde_json::from_str(&std::fs::read_to_string(e.path()).ok()?).ok()?;
            Some((n, v))
        })
        .collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.0));
    v
}

/// "Q4_K 68% + Q6_K 32% ×0.93 (moved 4%: bar ±29%)": the reference probes (the share of the
/// predicted time each stands for), their combined rate around the model against the
/// calibration's, how far it moved, and the bar that makes (results written before the
/// reference was measured: "—").
fn reference(x: &Value, which: &str) -> String {
    let moved = x["reference"][format!("moved_{which}")]
        .as_f64()
        .unwrap_or(0.0);
    let bar = x[if which == "pp" {
        "prefill_bar"
    } else {
        "decode_bar"
    }]
    .as_f64()
    .unwrap_or(f64::NAN);
    // Results before the per-part reference name one type ("ty").
    let from = &x["reference"][format!("{which}_from")];
    match (
        from.as_str().or(x["reference"]["ty"].as_str()),
        x["reference"][which].as_f64(),
    ) {
        (Some(t), Some(v)) => format!(
            "{t} ×{v:.2} (moved {:.0}%: bar ±{:.0}%)",
            moved * 100.0,
            bar * 100.0
        ),
        _ => "—".into(),
    }
}

/// The ACCURACY.md section from the results kept in `out` (one table per thread count).
fn markdown(out: &Path) -> String {
    let runs = per_thread_files(out, "results");
    let mut m = String::new();
    m.push_str("## Speed: calibrated predictions against llama-bench\n\n");
    m.push_str(
        "Written by `tools/speed-accuracy.sh --write` from `target/speed-accuracy/results-<threads>t.json`; \
the check (`crates/cabe-bench/tests/accuracy.rs`, ignored by default; `tools/speed-accuracy.sh` runs it, and `.ci/run` runs that at one thread) fails when a prediction is outside its bar. \
Bars: **decode ±15%, prefill ±25%**. Method: `cabe calibrate --llama-bench` measures the machine and llama.cpp's \
kernels on it (`crates/cabe-bench/src/kernels.rs`), then for each model `llama-bench -p 512 -n 64 -r 3 --no-warmup` with \
llama.cpp's defaults (repacked CPU kernels on, unless they crashed during calibration) measures llama.cpp and \
`cabe fit FILE --ctx 4096 --prompt-tokens 512` \
predicts with the calibration (typical of the range; prefill averaged over the 512-token prompt, decode at \
position 32, the middle of tg64's tokens). The prediction is compared with the **best** of the 3 repetitions — the calibration \
keeps its best pass too, and other work on this shared 2-core VM slows single repetitions — and with the mean \
(in brackets). **The machine's drift is taken out**: just before and just after each model, the calibration \
probes of the kernels its predicted time goes to are measured again (\"reference\": each weight type's wide probe — pp512 \
for its matrix products, tg64 for its decode — and, for a routed MoE's prompt, its expert type's routed-MoE probe; a \
part under 10% of a phase's time, and attention, go with the largest part). The reference is the predicted time \
over the time at each probe's rate now (`Σ t ÷ Σ (t ÷ ratio)`); the bars hold the prediction times that ratio (the \
geometric mean of the two references), and each bar is widened by how far the machine moved between them \
(|ln(after ÷ before)|); the raw error, without the ratio, is shown after the semicolon. One probe per model (its main \
type) was not enough: on the CI machine the dense Q4_K probe ran at 1.17× its calibration beside the Qwen3-MoE model \
while the model — its prompt in the experts' kernel — ran at its raw prediction; 44% of gpt-oss's predicted decode \
is in Q8_0 matrices (attention, a 201k-token head), and 36–54% of a Q4_K_M model's in Q6_K ones (its head among \
them). On \
this shared VM the same kernel on the same shape has run 30% slower twenty minutes after the calibration (a CI run: \
the Q8_0 probe at pp512 96.6, Llama-3.2-1B Q8_0 — the probe's own layers — at 25.2 where 36.2 followed), which no \
prediction made from the calibration can know. A model whose first round misses a bar is measured once more, then its \
reference again, and that round is judged on its own references; the round that misses least is kept (a real \
misprediction misses both times).\n\n",
    );
    for (threads, r) in &runs {
        let cal = &r["calibration"];
        let build: Vec<&str> = r["llama_cpp"]
            .as_str()
            .unwrap_or("")
            .lines()
            .filter_map(|l| l.strip_prefix("llama_cpp_release_tag="))
            .collect();
        let enforced = *threads as usize == default_threads();
        m.push_str(&format!(
            "### {threads} thread{} (`-t {threads}`, `cabe calibrate --threads {threads}`; {:.0} s) — {}\n\n",
            if *threads == 1 { "" } else { "s" },
            r["total_secs"].as_f64().unwrap_or(0.0),
            if enforced {
                "what the check runs here"
            } else {
                "shown, not enforced here (see the notes below)"
            }
        ));
        m.push_str(&format!(
            "Machine: {}. Calibration {}: **{:.1} GB/s** memory read (one core: {:.1}; best of {} passes over {:.0} GiB), **{:.0} GFLOP/s** f32 \
({}); llama.cpp's kernels measured with llama-bench {}, repacked CPU kernels {}. llama.cpp {} CPU build (`tools/llama-cpp.sh`, `GGML_NATIVE=ON`). 1-minute load average during the runs: {}.\n\n",
            cal["machine"].as_str().unwrap_or("?"),
            cal["measured_at_utc"].as_str().unwrap_or("?"),
            cal["bandwidth_gbps"]["best"].as_f64().unwrap_or(0.0),
            cal["bandwidth_1t_gbps"]["best"]
                .as_f64()
                .or_else(|| cal["bandwidth_gbps"]["best"].as_f64())
                .unwrap_or(0.0),
            cal["bandwidth_gbps"]["samples"].as_array().map_or(0, Vec::len),
            cal["buffer_bytes"].as_f64().unwrap_or(0.0) / (1u64 << 30) as f64,
            cal["compute_gflops"]["best"].as_f64().unwrap_or(0.0),
            cal["compute_kernel"].as_str().unwrap_or("?"),
            cal["llama_cpp"]["build"].as_str().unwrap_or("(not measured)"),
            if cal["llama_cpp"]["repack"] == true {
                "on (llama.cpp's default)"
            } else {
                "off (they crashed during calibration)"
            },
            build.join(", "),
            r["results"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|x| format!("{:.1}", x["load_before"].as_f64().unwrap_or(f64::NAN)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        m.push_str("| model | file | pp512 best (mean ± sd) | predicted (range) | reference (bar) | error (vs mean; raw) | tg64 best (mean ± sd) | predicted (range) | reference (bar) | error (vs mean; raw) |\n");
        m.push_str("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        let mut worst = (0f64, 0f64);
        let mut within = true;
        for x in r["results"].as_array().into_iter().flatten() {
            let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
            let (pe, de) = (f(&x["prefill_err"]), f(&x["decode_err"]));
            worst = (worst.0.max(pe.abs()), worst.1.max(de.abs()));
            let bar = |k: &str, fixed: f64| x[k].as_f64().unwrap_or(fixed);
            within &= pe.abs() <= bar("prefill_bar", PREFILL_BAR)
                && de.abs() <= bar("decode_bar", DECODE_BAR);
            m.push_str(&format!(
                "| {} — {}{} | {} {:.2} GB | {:.1} ({:.1} ± {:.1}) | {:.1} ({:.1}–{:.1}) | {} | **{}** ({}; {}) | {:.2} ({:.2} ± {:.2}) | {:.2} ({:.2}–{:.2}) | {} | **{}** ({}; {}) |\n",
                x["model"].as_str().unwrap_or("?"),
                x["what"].as_str().unwrap_or(""),
                if x["retried"] == true {
                    " (measured twice: the first run missed a bar)"
                } else {
                    ""
                },
                x["file_type"].as_str().unwrap_or("?"),
                f(&x["file_bytes"]) / 1e9,
                f(&x["measured_pp512"]["best"]),
                f(&x["measured_pp512"]["mean"]),
                f(&x["measured_pp512"]["sd"]),
                f(&x["predicted_prefill"]["typical"]),
                f(&x["predicted_prefill"]["low"]),
                f(&x["predicted_prefill"]["high"]),
                reference(x, "pp"),
                pct(pe),
                pct(f(&x["prefill_err_vs_mean"])),
                pct(f(&x["prefill_err_raw"])),
                f(&x["measured_tg64"]["best"]),
                f(&x["measured_tg64"]["mean"]),
                f(&x["measured_tg64"]["sd"]),
                f(&x["predicted_decode"]["typical"]),
                f(&x["predicted_decode"]["low"]),
                f(&x["predicted_decode"]["high"]),
                reference(x, "tg"),
                pct(de),
                pct(f(&x["decode_err_vs_mean"])),
                pct(f(&x["decode_err_raw"])),
            ));
        }
        m.push_str(&format!(
            "\nLargest error against the best repetition: prefill {:.1}%, decode {:.1}% ({}).\n\n",
            worst.0 * 100.0,
            worst.1 * 100.0,
            if within {
                "within the bars"
            } else {
                "OUTSIDE the bars"
            }
        ));
    }
    let kernels = per_thread_files(out, "kernels");
    if !kernels.is_empty() {
        m.push_str("### Kernel factors\n\n`tools/speed-accuracy.sh --kernels`: single-type models of another shape (Qwen2.5-1.5B, `llama-quantize --pure`), \
llama-bench pp512/tg32 (best of 3) against that run's own calibration. κ prefill = achieved FLOP/s ÷ the f32 FMA rate; \
κ decode = 2 × active params ÷ (the time per token less the per-row cost) ÷ that rate; the last column is the bytes \
read per second (net of the per-row cost) ÷ the read bandwidth.\n\n");
        m.push_str("| run | weight type | pp512 | κ prefill | tg32 | κ decode | share of read bandwidth |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (threads, k) in &kernels {
            for t in k["types"].as_array().into_iter().flatten() {
                let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
                m.push_str(&format!(
                    "| {threads} thread{}, {:.0} GFLOP/s, {:.1} GB/s | {} | {:.1} | {:.3} | {:.2} | {:.3} | {:.2} |\n",
                    if *threads == 1 { "" } else { "s" },
                    f(&k["calibration"]["compute_gflops"]["best"]),
                    f(&k["calibration"]["bandwidth_gbps"]["best"]),
                    t["model"].as_str().unwrap_or("?").trim_start_matches("qwen2.5-1.5b-pure-"),
                    f(&t["pp512"]["best"]),
                    f(&t["kappa_prefill"]),
                    f(&t["tg32"]["best"]),
                    f(&t["kappa_decode"]),
                    f(&t["read_bandwidth_share"]),
                ));
            }
        }
        m.push('\n');
    }
    let rows = per_thread_files(out, "rows");
    if !rows.is_empty() {
        m.push_str("### Per-row cost\n\n`tools/speed-accuracy.sh --rows`: Q8_0 Qwen3 shapes from 256 to 2048 wide, \
layers chosen for about the same bytes, llama-bench tg64 (best of 5). A least-squares fit of \
`time per token = bytes ÷ (η × streaming bandwidth) + rows × c_row` over the four models per thread count; \
`cpu.rs` holds η and c_row.\n\n");
        m.push_str("| run | model | tg64 | ms per token | MB per token | matrix rows | fit |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (threads, r) in &rows {
            let fit = row_fit(r);
            for (i, x) in r["models"].as_array().into_iter().flatten().enumerate() {
                let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
                m.push_str(&format!(
                    "| {threads} thread{} | {} | {:.1} | {:.2} | {:.0} | {:.0}k | {} |\n",
                    if *threads == 1 { "" } else { "s" },
                    x["model"].as_str().unwrap_or("?"),
                    f(&x["tg64"]["best"]),
                    f(&x["ms"]),
                    f(&x["bytes"]) / 1e6,
                    f(&x["rows"]) / 1e3,
                    fit.as_ref().map_or("–".to_string(), |(_, _, p)| pct(p[i])),
                ));
            }
            if let Some((eta, c, _)) = &fit {
                m.push_str(&format!(
                    "| {threads} thread{} | **fit** | | | | | η {eta:.3}, c_row {:.1} ns |\n",
                    if *threads == 1 { "" } else { "s" },
                    c * 1e9
                ));
            }
        }
        m.push('\n');
    }
    m.push_str(SPEED_NOTES);
    m
}

/// The least-squares fit of `t = bytes / (η × BW) + rows × c` for a `--rows` run (BW: the
/// streaming bandwidth of cpu.rs): η, c in seconds, and each model's fitted ÷ measured − 1.
fn row_fit(r: &Value) -> Option<(f64, f64, Vec<f64>)> {
    let cal: cabe_bench::calibrate::Calibration =
        serde_json::from_value(r["calibration"].clone()).ok()?;
    let bw = cabe_bench::cpu::decode_bandwidth(&cal);
    let pts: Vec<(f64, f64, f64)> = r["models"]
        .as_array()?
        .iter()
        .map(|x| {
            (
                x["bytes"].as_f64().unwrap_or(0.0) / bw,
                x["rows"].as_f64().unwrap_or(0.0),
                x["ms"].as_f64().unwrap_or(0.0) / 1e3,
            )
        })
        .collect();
    // Normal equations of y = a·x1 + c·x2 (no intercept).
    let (mut s11, mut s12, mut s22, mut s1y, mut s2y) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(x1, x2, y) in &pts {
        s11 += x1 * x1;
        s12 += x1 * x2;
        s22 += x2 * x2;
        s1y += x1 * y;
        s2y += x2 * y;
    }
    let det = s11 * s22 - s12 * s12;
    if pts.len() < 3 || det.abs() < f64::EPSILON {
        return None;
    }
    let a = (s1y * s22 - s2y * s12) / det;
    let c = (s11 * s2y - s12 * s1y) / det;
    let errs = pts
        .iter()
        .map(|&(x1, x2, y)| (a * x1 + c * x2) / y - 1.0)
        .collect();
    Some((1.0 / a, c, errs))
}

const SPEED_NOTES: &str = "How cabe predicts a calibrated CPU (`crates/cabe-bench/src/cpu.rs`, rates from \
`crates/cabe-bench/src/kernels.rs`): `cabe calibrate --llama-bench` writes single-type probe models (Llama-3.2-1B's \
layers, 6 deep, a 4,096-token vocabulary, zero weights, sparse files) of Q4_0, Q4_K, Q5_K, Q6_K, Q8_0, MXFP4, F16 \
and BF16 and runs llama-bench on each with llama.cpp's defaults (pp512 best of 3, tg64 best of 5). Per type it \
keeps the bytes streamed per second in decode and the FLOP/s of prefill's matrix products; a Q8_0 probe 1,024 \
wide gives how much slower a narrow model streams (on an AMD EPYC: 2,048-wide 25.2 GB/s, 1,024-wide 21.7, 512-wide \
21.5 — a step, not a fixed cost per row, which the first model assumed; and Qwen3-0.6B, 1,024 wide, streamed as \
slowly over all its bytes, its long-row `ffn_down` included), and the wide Q8_0 probe at a depth of 2,048 tokens \
the cost of attention per (query, key, head) in prefill and per (key, head) in decode. A model's decode is then \
the sum over its weight types of bytes ÷ that type's rate (at the narrow ratio in a model 1,024 wide or narrower, \
log-linear up to 2,048) plus attention; its prefill the FLOPs of each type's matrix products at that type's rate plus attention, with two \
rules of llama.cpp's: the output head runs for the last token of a prompt only (a 128k-vocabulary head leaves \
pp512 of a probe unchanged), and routed experts run, per token, at the decode kernel's rate (the CPU \
`MUL_MAT_ID` multiplies an expert's rows by its tokens one dot product at a time: the dense matrix rate \
over-predicted the Qwen3-MoE shape by 42% and the gpt-oss shape by 3×) times a ratio measured on a routed-MoE probe \
(pseudo-random router and embedding, so tokens spread over the experts) of the expert type, on the layers of the \
family that ships it: Q4_K on Qwen3-30B-A3B's (6 layers; 128 experts of 768, 8 used — 32 tokens per expert in a \
512-token batch, an expert's matrix under 1 MB), MXFP4 on gpt-oss-20b's (2 layers; 32 experts of 2,880, 4 used — 64 \
tokens per expert, 4.4 MB matrices). The ratio depends on that shape: MXFP4 measured on the Qwen3 layers gave 1.38, \
on gpt-oss's 1.16 (back to back, one thread), and with the first the gpt-oss model was predicted 16% (here) and 23% \
(the CI machine) too fast. A MoE whose experts are shaped unlike its type's probe inherits that error.

Why the kernels are measured on the machine: the factors fitted on the project's first build machine (an Intel \
Xeon, `--repack 0`) put decode 56–66% low on an AMD EPYC (AVX-512, no AMX), where llama.cpp's repacked kernels \
(its default) run and the f32 FMA rate relates differently to the int8 kernels. Without `--llama-bench`, `cabe fit` \
still uses those factors and says they were not measured here.

Two threads on a 2-vCPU VM are shown, not enforced: other work on the second vCPU stalls llama.cpp's spinning \
threads. One thread keeps the check reproducible; it is what CI runs (`.ci/run`).

Limits of this check:

- The models are real-shaped (cabe-truth's generator: every tensor llama.cpp loads, a real tokenizer) but their \
weights are zeros; matmuls take the same time on zeros. Routing does not: with zero embeddings, norms and router \
every token of a MoE picks the same experts. The MoE models are therefore written with a pseudo-random token \
embedding and router and unit norms (`cabe_truth::fill`), so that tokens spread over the experts as in a trained \
model.
- The probes and the checked models run on the same machine in the same session; the VM's other tenants move \
single measurements by 5–10% (the spread columns above), which is why both calibration and llama-bench keep their \
best repetition and a model outside a bar is measured once more.
- Not modelled: prompts shorter than a micro-batch (llama.cpp's small-batch kernels; `fit` says so), more than one \
thread's scaling beyond what was measured, and a KV cache type other than f16 in the attention cost.
";

fn dirs_home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from)
}
