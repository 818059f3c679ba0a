//! `cabe calibrate`: what this machine's memory and cores really deliver.
//!
//! * **Memory read bandwidth.** A buffer far larger than the last-level cache (2 GiB by
//!   default) is split into one contiguous part per thread; each thread first writes its own
//!   part (so the pages live where that thread runs), then all threads read their parts in
//!   step, summing the words, several times. Bandwidth = bytes / wall time of the slowest
//!   thread; the best pass is kept (the figure the hardware can sustain, the way STREAM
//!   reports). Decode is exactly this access pattern: every weight read once per token.
//! * **Compute.** Every thread runs 12 independent chains of fused multiply-adds on registers
//!   only, in the widest vectors the CPU has (AVX-512, AVX2+FMA, NEON, else SSE2 multiply and
//!   add), chosen at run time. Result in f32 GFLOP/s (an FMA is 2 FLOPs); best pass kept.
//!   This is the CPU's practical dense arithmetic peak; llama.cpp's quantized matmuls use
//!   int8 dot products, whose ceiling is this rate × [`Calibration::int8_per_fma`] (4 with an
//!   int8 dot-product instruction, else 2); see [`crate::cpu`] for what they reach.
//!
//! Both run on every logical core by default, as llama.cpp does on small machines.

use crate::time::now_unix;
use cabe_core::speed::Efficiency;
use serde::{Deserialize, Serialize};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Barrier;
use std::time::Instant;

/// The file format; a stored calibration of another format is ignored.
pub const FORMAT: u32 = 1;

const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

/// What to measure and how hard.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub threads: usize,
    /// Bytes streamed per bandwidth pass.
    pub buffer_bytes: u64,
    pub bandwidth_passes: u32,
    pub compute_passes: u32,
    /// Seconds each compute pass should take.
    pub compute_pass_secs: f64,
    /// A fast, rough measurement (tests, CI): marked as such in the result.
    pub quick: bool,
}

impl Options {
    /// The default measurement: a 2 GiB buffer (no more than a quarter of `available_bytes`,
    /// no less than 256 MiB), 10 read passes and 10 compute passes of 0.2 s, alternating.
    /// About 5 s.
    pub fn standard(threads: usize, available_bytes: u64) -> Options {
        let quarter = available_bytes / 4 / MIB * MIB;
        Options {
            threads: threads.max(1),
            buffer_bytes: (2 * GIB).min(quarter).max(256 * MIB),
            bandwidth_passes: 10,
            compute_passes: 10,
            compute_pass_secs: 0.2,
            quick: false,
        }
    }

    /// A rough measurement in well under a second (64 MiB, 2 passes each): for tests only —
    /// 64 MiB may sit in a large cache.
    pub fn quick(threads: usize) -> Options {
        Options {
            threads: threads.max(1),
            buffer_bytes: 64 * MIB,
            bandwidth_passes: 2,
            compute_passes: 2,
            compute_pass_secs: 0.05,
            quick: true,
        }
    }

    /// Progress steps: one per pass.
    pub fn steps(&self) -> u64 {
        u64::from(self.bandwidth_passes + self.compute_passes)
    }
}

/// One pass done.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    Bandwidth { pass: u32, of: u32, gbps: f64 },
    Compute { pass: u32, of: u32, gflops: f64 },
}

/// Several passes of one measurement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    pub best: f64,
    pub median: f64,
    pub samples: Vec<f64>,
}

impl Measured {
    fn of(samples: Vec<f64>) -> Measured {
        let mut s = samples.clone();
        s.sort_by(f64::total_cmp);
        Measured {
            best: s.last().copied().unwrap_or(0.0),
            median: median_sorted(&s),
            samples,
        }
    }
}

fn median_sorted(s: &[f64]) -> f64 {
    match s.len() {
        0 => 0.0,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

/// The median of some numbers (NaNs sort last); 0 for none.
pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    median_sorted(&s)
}

/// A stored calibration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub format: u32,
    /// Unix seconds.
    pub measured_at: i64,
    /// The machine it was measured on (cabe's description of it); a calibration of another
    /// machine (a copied data dir) is not used.
    pub machine: String,
    pub threads: usize,
    pub quick: bool,
    pub buffer_bytes: u64,
    /// Memory read bandwidth with every thread reading, GB/s (10^9 bytes).
    pub bandwidth_gbps: Measured,
    /// The same with one thread: what one core can stream (on small machines the all-thread
    /// figure is less steady than this one; `crate::cpu` uses both).
    #[serde(default)]
    pub bandwidth_1t_gbps: Option<Measured>,
    /// f32 fused multiply-add throughput, GFLOP/s.
    pub compute_gflops: Measured,
    /// The compute kernel used ("f32 FMA, AVX-512, 16 lanes × 12 chains").
    pub compute_kernel: String,
    /// Integer multiply-accumulates per f32 FMA lane in one SIMD instruction on this CPU: 4 with
    /// an int8 dot-product instruction (AVX-512 VNNI, AVX-VNNI, Arm dotprod), else 2. Times the
    /// f32 rate, it is the ceiling of llama.cpp's quantized (int8) matmuls.
    #[serde(default = "default_int8")]
    pub int8_per_fma: f64,
    /// llama.cpp's own kernels on this machine, per weight type (`--llama-bench`): when
    /// present, [`crate::cpu`] predicts from them instead of the build machine's factors.
    #[serde(default)]
    pub llama_cpp: Option<crate::kernels::KernelRates>,
    pub cabe_version: String,
}

fn default_int8() -> f64 {
    2.0
}

/// [`Calibration::int8_per_fma`] for the CPU this runs on.
pub fn int8_per_fma() -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        if has!("avx512vnni") || has!("avxvnni") {
            return 4.0;
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("dotprod") {
            return 4.0;
        }
    }
    2.0
}

/// The compute ceiling of quantized matmuls, FLOP/s: the f32 FMA rate × [`int8_per_fma`].
impl Calibration {
    pub fn int8_flops(&self) -> f64 {
        self.compute_gflops.best * 1e9 * self.int8_per_fma
    }
}

/// Runs the measurement, calling `on_step` after every pass. Bandwidth and compute passes
/// alternate, so that a burst of other work on the machine spoils a few passes of each rather
/// than all of one (the best pass of each is kept).
pub fn measure(opts: &Options, machine: &str, on_step: &mut dyn FnMut(Step)) -> Calibration {
    let (kernel_name, flops_per_iter, kernel) = pick_kernel();
    // Size a compute pass from a short single-thread run.
    let probe = 1u64 << 16;
    let t = Instant::now();
    black_box(kernel(black_box(probe), 1.0));
    let per_iter = t.elapsed().as_secs_f64().max(1e-9) / probe as f64;
    let iters = ((opts.compute_pass_secs / per_iter) as u64).max(1000);

    let threads = opts.threads;
    let words = (opts.buffer_bytes / 8).max(threads as u64 * 8) as usize;
    let per = words.div_ceil(threads);
    // calloc'd: pages are mapped by each thread's first write, below.
    let mut buf = vec![0u64; words];
    let bytes = (words * 8) as f64;
    let (bw_start, bw_end) = (Barrier::new(threads + 1), Barrier::new(threads + 1));
    let (c_start, c_end) = (Barrier::new(threads + 1), Barrier::new(threads + 1));
    let (bw_passes, c_passes) = (opts.bandwidth_passes, opts.compute_passes);
    let mut bw = Vec::new();
    let mut bw1 = Vec::new();
    let mut flops = Vec::new();
    // Each thread writes its own part first (so its pages live where it runs).
    std::thread::scope(|s| {
        for (t, part) in buf.chunks_mut(per).enumerate() {
            s.spawn(move || {
                for (i, w) in part.iter_mut().enumerate() {
                    *w = (i as u64) ^ (t as u64) << 40;
                }
            });
        }
    });
    let buf = &buf;
    std::thread::scope(|s| {
        for part in buf.chunks(per) {
            let (start, end) = (&bw_start, &bw_end);
            s.spawn(move || {
                // One untimed warm-up pass, then the timed ones.
                for _ in 0..=bw_passes {
                    start.wait();
                    black_box(read_pass(black_box(&*part)));
                    end.wait();
                }
            });
        }
        for t in 0..threads {
            let (start, end) = (&c_start, &c_end);
            s.spawn(move || {
                for _ in 0..c_passes {
                    start.wait();
                    black_box(kernel(black_box(iters), 1.0 + t as f32));
                    end.wait();
                }
            });
        }
        let timed = |start: &Barrier, end: &Barrier| {
            start.wait();
            let t = Instant::now();
            end.wait();
            t.elapsed().as_secs_f64().max(1e-9)
        };
        timed(&bw_start, &bw_end);
        for r in 1..=bw_passes.max(c_passes) {
            if r <= bw_passes {
                let gbps = bytes / timed(&bw_start, &bw_end) / 1e9;
                bw.push(gbps);
                if threads > 1 {
                    // One core alone over the whole buffer (the others wait at the barrier).
                    let t = Instant::now();
                    black_box(read_pass(black_box(buf.as_slice())));
                    bw1.push(bytes / t.elapsed().as_secs_f64().max(1e-9) / 1e9);
                }
                on_step(Step::Bandwidth {
                    pass: r,
                    of: bw_passes,
                    gbps,
                });
            }
            if r <= c_passes {
                let gflops =
                    flops_per_iter * iters as f64 * threads as f64 / timed(&c_start, &c_end) / 1e9;
                flops.push(gflops);
                on_step(Step::Compute {
                    pass: r,
                    of: c_passes,
                    gflops,
                });
            }
        }
    });
    Calibration {
        format: FORMAT,
        measured_at: now_unix(),
        machine: machine.to_string(),
        threads: opts.threads,
        quick: opts.quick,
        buffer_bytes: opts.buffer_bytes,
        bandwidth_1t_gbps: Some(if threads > 1 {
            Measured::of(bw1)
        } else {
            Measured::of(bw.clone())
        }),
        bandwidth_gbps: Measured::of(bw),
        compute_gflops: Measured::of(flops),
        compute_kernel: kernel_name.to_string(),
        int8_per_fma: int8_per_fma(),
        llama_cpp: None,
        cabe_version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Memory read bandwidth

/// Sums words with 8 independent accumulators (vectorizes to plain loads and adds).
#[inline(always)]
fn sum_words(buf: &[u64]) -> u64 {
    let mut acc = [0u64; 8];
    let mut chunks = buf.chunks_exact(8);
    for c in &mut chunks {
        for i in 0..8 {
            acc[i] = acc[i].wrapping_add(c[i]);
        }
    }
    let tail = chunks
        .remainder()
        .iter()
        .fold(0u64, |a, &b| a.wrapping_add(b));
    acc.iter().fold(tail, |a, &b| a.wrapping_add(b))
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn sum_words_avx2(buf: &[u64]) -> u64 {
    sum_words(buf)
}

fn read_pass(buf: &[u64]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        return unsafe { sum_words_avx2(buf) };
    }
    sum_words(buf)
}

// ---------------------------------------------------------------------------------------
// Compute

/// `CHAINS` independent chains of `acc = acc × m + b` on registers, `iters` times, in plain
/// Rust (the fallback: the compiler may or may not vectorize it).
#[cfg_attr(any(target_arch = "x86_64", target_arch = "aarch64"), allow(dead_code))]
fn chains_scalar(iters: u64, seed: f32) -> f32 {
    let m = black_box(0.999_99f32);
    let b = black_box(1e-5f32);
    let mut a = [seed; CHAINS];
    for _ in 0..iters {
        for x in a.iter_mut() {
            *x = *x * m + b;
        }
    }
    a.iter().sum()
}

const CHAINS: usize = 12;

// Values stay near 1 (m just under 1, b small): no overflow, no denormals.

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn fma_avx512(iters: u64, seed: f32) -> f32 {
    use std::arch::x86_64::*;
    let m = _mm512_set1_ps(black_box(0.999_99));
    let b = _mm512_set1_ps(black_box(1e-5));
    let mut a = [_mm512_set1_ps(seed); CHAINS];
    for _ in 0..iters {
        for x in a.iter_mut() {
            *x = _mm512_fmadd_ps(*x, m, b);
        }
    }
    let mut s = _mm512_setzero_ps();
    for x in a {
        s = _mm512_add_ps(s, x);
    }
    std::mem::transmute::<__m512, [f32; 16]>(s).iter().sum()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn fma_avx2(iters: u64, seed: f32) -> f32 {
    use std::arch::x86_64::*;
    let m = _mm256_set1_ps(black_box(0.999_99));
    let b = _mm256_set1_ps(black_box(1e-5));
    let mut a = [_mm256_set1_ps(seed); CHAINS];
    for _ in 0..iters {
        for x in a.iter_mut() {
            *x = _mm256_fmadd_ps(*x, m, b);
        }
    }
    let mut s = _mm256_setzero_ps();
    for x in a {
        s = _mm256_add_ps(s, x);
    }
    std::mem::transmute::<__m256, [f32; 8]>(s).iter().sum()
}

#[cfg(target_arch = "x86_64")]
fn mul_add_sse2(iters: u64, seed: f32) -> f32 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline.
    unsafe {
        let m = _mm_set1_ps(black_box(0.999_99));
        let b = _mm_set1_ps(black_box(1e-5));
        let mut a = [_mm_set1_ps(seed); CHAINS];
        for _ in 0..iters {
            for x in a.iter_mut() {
                *x = _mm_add_ps(_mm_mul_ps(*x, m), b);
            }
        }
        let mut s = _mm_setzero_ps();
        for x in a {
            s = _mm_add_ps(s, x);
        }
        std::mem::transmute::<__m128, [f32; 4]>(s).iter().sum()
    }
}

#[cfg(target_arch = "aarch64")]
fn fma_neon(iters: u64, seed: f32) -> f32 {
    use std::arch::aarch64::*;
    // SAFETY: NEON is part of the aarch64 baseline.
    unsafe {
        let m = vdupq_n_f32(black_box(0.999_99));
        let b = vdupq_n_f32(black_box(1e-5));
        let mut a = [vdupq_n_f32(seed); CHAINS];
        for _ in 0..iters {
            for x in a.iter_mut() {
                // b + x × m
                *x = vfmaq_f32(b, *x, m);
            }
        }
        let mut s = vdupq_n_f32(0.0);
        for x in a {
            s = vaddq_f32(s, x);
        }
        vaddvq_f32(s)
    }
}

/// The kernel for this CPU: its name, FLOPs per iteration, and the function.
fn pick_kernel() -> (&'static str, f64, fn(u64, f32) -> f32) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        if has!("avx512f") {
            return (
                "f32 FMA, AVX-512, 16 lanes × 12 chains",
                (2 * 16 * CHAINS) as f64,
                // SAFETY: the CPU has AVX-512F (checked).
                |n, s| unsafe { fma_avx512(n, s) },
            );
        }
        if has!("avx2") && has!("fma") {
            return (
                "f32 FMA, AVX2, 8 lanes × 12 chains",
                (2 * 8 * CHAINS) as f64,
                // SAFETY: the CPU has AVX2 and FMA (checked).
                |n, s| unsafe { fma_avx2(n, s) },
            );
        }
        (
            "f32 multiply + add, SSE2, 4 lanes × 12 chains",
            (2 * 4 * CHAINS) as f64,
            mul_add_sse2,
        )
    }
    #[cfg(target_arch = "aarch64")]
    {
        (
            "f32 FMA, NEON, 4 lanes × 12 chains",
            (2 * 4 * CHAINS) as f64,
            fma_neon,
        )
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        (
            "f32 multiply + add, scalar, 12 chains",
            (2 * CHAINS) as f64,
            chains_scalar,
        )
    }
}

// ---------------------------------------------------------------------------------------
// Storage

/// Writes the calibration to `path` (atomically: a temporary file, then a rename).
pub fn save(path: &Path, c: &Calibration) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.part");
    let text = serde_json::to_string_pretty(c).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, text + "\n")?;
    std::fs::rename(&tmp, path)
}

/// What is stored at `path`: `Ok(None)` when nothing is, an error line when it cannot be
/// read or is not a calibration of this format.
pub fn load(path: &Path) -> Result<Option<Calibration>, String> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    if text.len() > 1 << 20 {
        return Err(format!("{}: larger than 1 MiB", path.display()));
    }
    let c: Calibration = serde_json::from_slice(&text).map_err(|e| {
        format!(
            "{} is not a calibration ({e}); run `cabe calibrate` again",
            path.display()
        )
    })?;
    if c.format != FORMAT {
        return Err(format!(
            "{} has format {} (this cabe reads {FORMAT}); run `cabe calibrate` again",
            path.display(),
            c.format
        ));
    }
    if !(c.bandwidth_gbps.best > 0.0 && c.compute_gflops.best > 0.0) {
        return Err(format!(
            "{} holds no positive figures; run `cabe calibrate` again",
            path.display()
        ));
    }
    Ok(Some(c))
}

/// The calibration path in the data dir.
pub fn default_path() -> Result<PathBuf, String> {
    crate::datadir::calibration_path()
}

/// Efficiency of llama.cpp's CPU backend relative to what `cabe calibrate` measured, when no
/// model is at hand (system RAM for layers offloaded from a GPU): memory-bound reads at
/// [`crate::cpu::MEMORY_EFFICIENCY`] of the measured bandwidth; prefill as Q4_K's kernel,
/// relative to the int8 ceiling ([`Calibration::int8_flops`]). For a model on a CPU machine,
/// [`crate::cpu::efficiency_for`] gives the per-type roofline.
pub fn calibrated_cpu_efficiency(c: &Calibration) -> Efficiency {
    let d = crate::cpu::MEMORY_EFFICIENCY;
    let b = crate::cpu::DECODE_BAND;
    let p = crate::cpu::kernel_factor(cabe_core::quant::GgmlType::Q4_K).prefill / c.int8_per_fma;
    let pb = crate::cpu::PREFILL_BAND;
    Efficiency {
        // The calibrated CPU model's measured rates already include llama.cpp's overheads.
        decode_layer_overhead_s: 0.0,
        prefill_expert_half_tokens: 0.0,
        decode: [d * b[0], d * b[1], (d * b[2]).min(1.0)],
        prefill_shader: [p * pb[0], p * pb[1], p * pb[2]],
        prefill_tensor: [p * pb[0], p * pb[1], p * pb[2]],
        source: format!(
            "calibrated CPU: memory reads at {d} of the measured read bandwidth \
(crates/cabe-bench/src/cpu.rs)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_compute_the_same_chains() {
        // Per lane and chain, every kernel computes the same recurrence.
        let n = 10_000;
        let want = chains_scalar(n, 1.0) / CHAINS as f32;
        let (name, flops, k) = pick_kernel();
        let lanes = flops / 2.0 / CHAINS as f64;
        let got = k(n, 1.0) / (lanes as f32 * CHAINS as f32);
        assert!(
            (got - want).abs() < 1e-3 * want.abs(),
            "{name}: {got} vs {want}"
        );
        #[cfg(target_arch = "x86_64")]
        {
            let got = mul_add_sse2(n, 1.0) / (4.0 * CHAINS as f32);
            assert!((got - want).abs() < 1e-3 * want.abs());
        }
    }

    #[test]
    fn quick_measurement_reports_every_pass() {
        let mut steps = Vec::new();
        let c = measure(&Options::quick(2), "test machine", &mut |s| steps.push(s));
        assert_eq!(steps.len() as u64, Options::quick(2).steps());
        assert!(c.bandwidth_gbps.best > 0.0 && c.compute_gflops.best > 0.0);
        assert!(c.bandwidth_gbps.best >= c.bandwidth_gbps.median);
        assert_eq!(c.bandwidth_gbps.samples.len(), 2);
        assert!(c.quick);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a").join("calibration.json");
        save(&path, &c).unwrap();
        let back = load(&path).unwrap().unwrap();
        assert_eq!(
            (&back.machine, back.measured_at),
            (&c.machine, c.measured_at)
        );
        assert!((back.bandwidth_gbps.best / c.bandwidth_gbps.best - 1.0).abs() < 1e-12);
        assert_eq!(load(&dir.path().join("none.json")).unwrap(), None);
        std::fs::write(&path, "{\"format\": 1}").unwrap();
        assert!(load(&path)
            .unwrap_err()
            .contains("run `cabe calibrate` again"));
        let mut old = c;
        old.format = 0;
        save(&path, &old).unwrap();
        assert!(load(&path).unwrap_err().contains("format 0"));
    }

    #[test]
    fn standard_options_fit_memory() {
        let o = Options::standard(4, 4 << 30);
        assert_eq!(o.buffer_bytes, 1 << 30);
        assert_eq!(Options::standard(4, 64 << 30).buffer_bytes, 2 << 30);
        assert_eq!(Options::standard(4, 0).buffer_bytes, 256 << 20);
        assert_eq!(Options::standard(0, 0).threads, 1);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }
}
