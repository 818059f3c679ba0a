//! llama.cpp's own CPU kernels, measured on this machine (`cabe calibrate --llama-bench PATH`).
//!
//! The kernel factors of [`crate::cpu`] were measured on one CPU and do not carry over: on an
//! AMD EPYC (AVX-512, no AMX) their decode predictions were 56–66% low. When a `llama-bench`
//! is at hand, calibration asks it instead: for each weight type that matters it writes a
//! small single-type model (Llama-3.2-1B's layer shape, 2 layers, a 4,096-token vocabulary,
//! zero weights — llama.cpp's kernels take the same time on zeros, and a zero block is valid in
//! every ggml type), runs `llama-bench -p 512 -n 32` with llama.cpp's defaults (repacked
//! kernels on; off only where they crash, as AMX does on some VMs) and keeps what it achieved:
//!
//! * **decode**, bytes streamed per second net of the per-row cost:
//!   `bytes / (1/tg − rows × c_row)`;
//! * **prefill**, FLOP/s: cabe-core's `prefill_flops(512)` ÷ the time of the 512-token prompt;
//! * **c_row**, the fixed cost of one matrix row in a decoded token, from the same Q8_0 layers
//!   at two widths (2048 and 512: about the same bytes, 4× the rows) — the two equations
//!   `t = bytes × s + rows × c_row` give both.
//!
//! [`crate::cpu`] then predicts a model from these rates, type by type; types not measured
//! borrow a measured relative's rate per parameter (never faster than the best streaming
//! rate seen). The pure part (spec, derivation) is tested without llama.cpp; [`measure`] runs it.

use cabe_core::model::ModelSpec;
use cabe_core::quant::{FileType, GgmlType};
use cabe_core::speed::prefill_flops;
use cabe_core::weights::Weights;
use cabe_gguf::writer::{write_sparse, TensorSpec};
use cabe_gguf::{Array, Value, ValueType};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The weight types measured, each with the file type written in its probe's metadata:
/// what GGUF files on the Hub are made of (K-quants of the Q4_K_M/Q5_K_M/Q6_K mixes, the
/// legacy Q4_0 and Q8_0, MXFP4 of gpt-oss, and the two float types).
pub const MEASURED: &[(GgmlType, FileType)] = &[
    (GgmlType::Q4_0, FileType::Q4_0),
    (GgmlType::Q4_K, FileType::Q4_K_M),
    (GgmlType::Q5_K, FileType::Q5_K_M),
    (GgmlType::Q6_K, FileType::Q6_K),
    (GgmlType::Q8_0, FileType::Q8_0),
    (GgmlType::MXFP4, FileType::MXFP4_MOE),
    (GgmlType::F16, FileType::F16),
    (GgmlType::BF16, FileType::BF16),
];

/// The measured type whose kernel an unmeasured type's is closest to (block layout and dot
/// product family in ggml-cpu's `quants.c`): K-quants and i-quants with super-blocks of 256
/// borrow Q4_K, the other 32-blocks Q4_0 or Q8_0, NVFP4 MXFP4, F32 F16.
pub fn relative(t: GgmlType) -> GgmlType {
    use GgmlType::*;
    match t {
        Q2_K | Q3_K | IQ2_XXS | IQ2_XS | IQ2_S | IQ3_XXS | IQ3_S | IQ1_S | IQ1_M | IQ4_XS
        | TQ1_0 | TQ2_0 | Q1_0 | Q8_K => Q4_K,
        Q4_1 | Q5_0 | Q5_1 | IQ4_NL => Q4_0,
        Q8_1 => Q8_0,
        NVFP4 => MXFP4,
        F32 | F64 | I8 | I16 | I32 | I64 => F16,
        other => other,
    }
}

/// What llama-bench achieved on one weight type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeRate {
    /// ggml type name ("Q4_K").
    pub ty: String,
    /// Weight bytes streamed per second in decode, net of the per-row cost, GB/s.
    pub decode_gbps: f64,
    /// Seconds per parameter in decode, net of the per-row cost (the rate unmeasured
    /// relatives borrow).
    pub decode_ns_per_param: f64,
    /// Prefill FLOP/s of a 512-token prompt, GFLOP/s.
    pub prefill_gflops: f64,
    /// What llama-bench printed: tg32 and pp512, tokens/s (best repetition).
    pub tg_tps: f64,
    pub pp_tps: f64,
}

/// llama.cpp's kernels on this machine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KernelRates {
    /// The llama-bench that was run, and its build ("b11312 (0c1e570)").
    pub llama_bench: String,
    pub build: String,
    pub threads: usize,
    /// llama.cpp's repacked CPU kernels (its default) were on.
    pub repack: bool,
    /// Fixed seconds per matrix row in a decoded token, ns.
    pub row_overhead_ns: f64,
    pub types: Vec<TypeRate>,
}

impl KernelRates {
    pub fn rate(&self, t: GgmlType) -> Option<&TypeRate> {
        self.types.iter().find(|r| r.ty == t.name())
    }
    /// The best decode streaming rate measured, bytes/s: no type streams faster.
    pub fn best_decode_bps(&self) -> f64 {
        self.types.iter().map(|r| r.decode_gbps).fold(0.0, f64::max) * 1e9
    }
    /// `llama-bench` arguments that reproduce the settings measured.
    pub fn bench_args(&self) -> Vec<String> {
        let mut v = vec!["-t".to_string(), self.threads.to_string()];
        if !self.repack {
            v.extend(["--repack".to_string(), "0".to_string()]);
        }
        v
    }
}

/// A probe model: Llama-3.2-1B's layers (2048 wide, 32 heads of 64, 8 KV heads, FFN 8192) or
/// the same shape at `width` (heads of 64, a quarter as many KV heads, FFN 4×), `layers`
/// deep, a 4,096-token vocabulary and an untied output head.
pub fn probe_spec(width: u64, layers: usize) -> ModelSpec {
    let mut s = cabe_catalog::find_model("llama-3.2-1b")
        .expect("llama-3.2-1b is in the catalog")
        .spec
        .clone();
    s.n_embd = width;
    s.n_vocab = PROBE_VOCAB;
    s.tied_embeddings = false;
    let mut l = s.layers[0].clone();
    l.n_head = (width / 64) as u32;
    l.n_head_kv = (width / 256).max(1) as u32;
    l.n_ff = 4 * width;
    s.layers = vec![l; layers];
    s.name = format!("cabe kernel probe, {width} wide, {layers} layers");
    s
}

const PROBE_VOCAB: u64 = 4096;

/// The two probe shapes: (width, layers). The narrow one has about the bytes of the wide one
/// and 4× its rows per byte.
pub const WIDE: (u64, usize) = (2048, 2);
pub const NARROW: (u64, usize) = (512, 32);

/// A SentencePiece-style vocabulary llama.cpp accepts: `<unk>`, `<s>`, `</s>`, the 256 byte
/// tokens (`<0x0A>` is its newline), and filler up to `n`.
fn tokenizer(n: u64) -> Vec<(String, Value)> {
    let mut tokens = vec!["<unk>".to_string(), "<s>".into(), "</s>".into()];
    tokens.extend((0..=255u8).map(|b| format!("<0x{b:02X}>")));
    let mut types: Vec<i32> = vec![2, 3, 3];
    types.extend(std::iter::repeat_n(6, 256));
    let mut i = 0;
    while (tokens.len() as u64) < n {
        tokens.push(format!("▁t{i}"));
        types.push(1);
        i += 1;
    }
    let arr = |elem_type, values| Value::Array(Array { elem_type, values });
    vec![
        ("tokenizer.ggml.model".into(), Value::String("llama".into())),
        (
            "tokenizer.ggml.tokens".into(),
            arr(
                ValueType::String,
                tokens.into_iter().map(Value::String).collect(),
            ),
        ),
        (
            "tokenizer.ggml.scores".into(),
            arr(
                ValueType::F32,
                (0..n).map(|i| Value::F32(-(i as f32))).collect(),
            ),
        ),
        (
            "tokenizer.ggml.token_type".into(),
            arr(ValueType::I32, types.into_iter().map(Value::I32).collect()),
        ),
    ]
}

/// Writes the probe `m` with every matrix of type `ty` (vectors F32) to `path`.
pub fn write_probe(m: &ModelSpec, ty: GgmlType, ft: FileType, path: &Path) -> Result<(), String> {
    let mut kv = cabe_gguf::metadata::model_metadata(m, ft)?;
    kv.extend(tokenizer(m.n_vocab));
    let tensors: Vec<TensorSpec> = cabe_core::layout::tensor_shapes(m)
        .into_iter()
        .map(|s| TensorSpec {
            ty: if s.dims.len() > 1 { ty } else { GgmlType::F32 },
            name: s.name,
            dims: s.dims,
        })
        .collect();
    write_sparse(path, &kv, &tensors)
        .map(|_| ())
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Bytes, parameters and rows a decoded token reads (the output head, not the embedding).
pub fn per_token(w: &Weights) -> (f64, f64, f64) {
    let mut out = (0.0, 0.0, 0.0);
    for t in w.tensors.iter().filter(|t| t.name != "token_embd.weight") {
        out.0 += t.bytes() as f64;
        out.1 += t.dims.iter().product::<u64>() as f64;
        if t.dims.len() > 1 {
            out.2 += t.dims[1..].iter().product::<u64>() as f64;
        }
    }
    out
}

/// The per-row cost from the same type at two widths: `t = bytes × s + rows × c`, solved for
/// `c` (seconds), clamped to 0…100 ns (noise can push it out).
pub fn row_overhead(wide: (f64, f64), narrow: (f64, f64), t_wide: f64, t_narrow: f64) -> f64 {
    let (bw, rw) = wide;
    let (bn, rn) = narrow;
    let k = bn / bw;
    let denom = rn - k * rw;
    if denom <= 0.0 {
        return 0.0;
    }
    ((t_narrow - k * t_wide) / denom).clamp(0.0, 100e-9)
}

/// One type's rates from its probe's llama-bench figures.
pub fn type_rate(
    ty: GgmlType,
    m: &ModelSpec,
    w: &Weights,
    tg_tps: f64,
    pp_tps: f64,
    c_row: f64,
) -> TypeRate {
    let (bytes, params, rows) = per_token(w);
    // A floor: a per-row cost fitted too high must not leave a token no time to stream.
    let secs = (1.0 / tg_tps - rows * c_row).max(0.2 / tg_tps);
    TypeRate {
        ty: ty.name().to_string(),
        decode_gbps: bytes / secs / 1e9,
        decode_ns_per_param: secs / params * 1e9,
        prefill_gflops: prefill_flops(m, w, 512) / (512.0 / pp_tps) / 1e9,
        tg_tps,
        pp_tps,
    }
}

/// One step of [`measure`].
#[derive(Clone, Debug, PartialEq)]
pub enum KernelStep {
    Started {
        what: String,
        index: usize,
        of: usize,
    },
    Done {
        what: String,
        tg_tps: f64,
        pp_tps: f64,
    },
    /// llama-bench failed with llama.cpp's repacked kernels; measuring without them.
    RepackFailed { error: String },
}

/// Finds a llama-bench: `path` (the binary or its directory), else `llama-bench` on `PATH`.
pub fn find_llama_bench(path: Option<&Path>) -> Result<PathBuf, String> {
    match path {
        Some(p) if p.is_dir() => {
            let b = p.join("llama-bench");
            b.is_file()
                .then_some(b)
                .ok_or_else(|| format!("{} has no llama-bench", p.display()))
        }
        Some(p) if p.is_file() => Ok(p.to_path_buf()),
        Some(p) => Err(format!("{}: no such file", p.display())),
        None => std::env::var_os("PATH")
            .into_iter()
            .flat_map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
            .map(|d| d.join("llama-bench"))
            .find(|b| b.is_file())
            .ok_or_else(|| "no llama-bench on PATH (give --llama-bench PATH)".to_string()),
    }
}

/// How long one llama-bench run may take before it is killed (a probe takes seconds).
const BENCH_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs `llama-bench -m FILE -p 512 -n 32 -r 3 -o json` and returns (pp512, tg32, build) as
/// the best repetitions, tokens/s.
fn bench(bin: &Path, file: &Path, args: &[String]) -> Result<(f64, f64, String), String> {
    let mut child = Command::new(bin)
        .arg("-m")
        .arg(file)
        .args(["-p", "512", "-n", "32", "-r", "3", "-o", "json"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("running {}: {e}", bin.display()))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > BENCH_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "llama-bench took over {} s; killed",
                    BENCH_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("waiting for llama-bench: {e}")),
        }
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("llama-bench: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!("llama-bench failed ({}): {last}", out.status));
    }
    parse_bench_json(&out.stdout)
}

/// (pp512, tg32, build) from llama-bench's JSON output.
pub fn parse_bench_json(bytes: &[u8]) -> Result<(f64, f64, String), String> {
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(bytes).map_err(|e| format!("llama-bench JSON: {e}"))?;
    let best = |pp: bool| {
        rows.iter()
            .find(|r| (r["n_gen"] == 0) == pp && (r["n_prompt"] == 0) != pp)
            .and_then(|r| r["samples_ts"].as_array())
            .map(|a| a.iter().filter_map(|x| x.as_f64()).fold(0.0, f64::max))
            .filter(|x| *x > 0.0)
            .ok_or_else(|| format!("llama-bench gave no {} row", if pp { "pp" } else { "tg" }))
    };
    let build = rows
        .first()
        .map(|r| {
            format!(
                "b{} ({})",
                r["build_number"].as_u64().unwrap_or(0),
                r["build_commit"].as_str().unwrap_or("?")
            )
        })
        .unwrap_or_default();
    Ok((best(true)?, best(false)?, build))
}

/// Measures every type of [`MEASURED`] and the per-row cost with `threads` threads, writing the
/// probes (sparse files, no disk space) into `dir`.
pub fn measure(
    llama_bench: &Path,
    threads: usize,
    dir: &Path,
    on_step: &mut dyn FnMut(KernelStep),
) -> Result<KernelRates, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let wide = probe_spec(WIDE.0, WIDE.1);
    let narrow = probe_spec(NARROW.0, NARROW.1);
    let mut jobs: Vec<(String, &ModelSpec, GgmlType, FileType)> = MEASURED
        .iter()
        .map(|&(t, f)| (t.name().to_string(), &wide, t, f))
        .collect();
    jobs.push((
        format!("{} at width {}", GgmlType::Q8_0.name(), NARROW.0),
        &narrow,
        GgmlType::Q8_0,
        FileType::Q8_0,
    ));
    let mut repack = true;
    let mut build = String::new();
    let mut figures = Vec::new();
    let of = jobs.len();
    for (index, (what, m, ty, ft)) in jobs.iter().enumerate() {
        on_step(KernelStep::Started {
            what: what.clone(),
            index: index + 1,
            of,
        });
        let file = dir.join(format!("probe-{}-{}.gguf", m.n_embd, ty.name()));
        write_probe(m, *ty, *ft, &file)?;
        let g = cabe_gguf::read_model(&file).map_err(|e| e.to_string())?;
        let ts: Vec<_> = g.tensors().cloned().collect();
        let w = cabe_gguf::spec::file_weights(m, &ts);
        let mut args = vec!["-t".to_string(), threads.to_string()];
        if !repack {
            args.extend(["--repack".into(), "0".into()]);
        }
        let r = match bench(llama_bench, &file, &args) {
            Err(e) if repack => {
                on_step(KernelStep::RepackFailed { error: e });
                repack = false;
                args.extend(["--repack".into(), "0".into()]);
                bench(llama_bench, &file, &args)
            }
            r => r,
        };
        let _ = std::fs::remove_file(&file);
        let (pp, tg, b) = r?;
        build = b;
        on_step(KernelStep::Done {
            what: what.clone(),
            tg_tps: tg,
            pp_tps: pp,
        });
        figures.push((*ty, (*m).clone(), w, tg, pp));
    }
    let (q8_wide, q8_narrow) = {
        let find = |width| {
            figures
                .iter()
                .find(|f| f.0 == GgmlType::Q8_0 && f.1.n_embd == width)
                .expect("both Q8_0 probes ran")
        };
        (find(WIDE.0), find(NARROW.0))
    };
    let shape = |w: &Weights| {
        let (b, _, r) = per_token(w);
        (b, r)
    };
    let c_row = row_overhead(
        shape(&q8_wide.2),
        shape(&q8_narrow.2),
        1.0 / q8_wide.3,
        1.0 / q8_narrow.3,
    );
    let types = figures
        .iter()
        .filter(|f| f.1.n_embd == WIDE.0)
        .map(|(ty, m, w, tg, pp)| type_rate(*ty, m, w, *tg, *pp, c_row))
        .collect();
    Ok(KernelRates {
        llama_bench: llama_bench.display().to_string(),
        build,
        threads,
        repack,
        row_overhead_ns: c_row * 1e9,
        types,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_have_about_the_same_bytes_and_four_times_the_rows() {
        let shape = |(w, l): (u64, usize)| {
            let m = probe_spec(w, l);
            let ws = cabe_core::weights::for_file_type(&m, FileType::Q8_0);
            per_token(&ws)
        };
        let (bw, _, rw) = shape(WIDE);
        let (bn, _, rn) = shape(NARROW);
        assert!((bn / bw - 1.0).abs() < 0.35, "{bn} vs {bw}");
        assert!(rn / bn > 3.0 * rw / bw, "{rn}/{bn} vs {rw}/{bw}");
        // Well beyond a last-level cache.
        assert!(bw > 100e6, "{bw}");
    }

    #[test]
    fn row_overhead_recovers_a_known_cost() {
        let s = 1.0 / 20e9; // 20 GB/s
        let c = 15e-9;
        let (wide, narrow) = ((130e6, 50e3), (120e6, 190e3));
        let t = |(b, r): (f64, f64)| b * s + r * c;
        let got = row_overhead(wide, narrow, t(wide), t(narrow));
        assert!((got - c).abs() < 1e-12, "{got}");
        // Noise that would make it negative is clamped.
        assert_eq!(row_overhead(wide, narrow, t(wide), 0.5 * t(narrow)), 0.0);
    }

    #[test]
    fn type_rate_inverts_the_decode_model() {
        let m = probe_spec(WIDE.0, WIDE.1);
        let w = cabe_core::weights::for_file_type(&m, FileType::Q8_0);
        let (bytes, params, rows) = per_token(&w);
        let (bw, c) = (18e9, 14e-9);
        let tg = 1.0 / (bytes / bw + rows * c);
        let r = type_rate(GgmlType::Q8_0, &m, &w, tg, 300.0, c);
        assert!((r.decode_gbps - 18.0).abs() < 1e-6, "{}", r.decode_gbps);
        assert!((r.decode_ns_per_param * 1e-9 * params - bytes / bw).abs() < 1e-9);
        let flops = prefill_flops(&m, &w, 512);
        assert!((r.prefill_gflops - flops * 300.0 / 512.0 / 1e9).abs() < 1e-6);
    }

    #[test]
    fn every_type_has_a_measured_relative() {
        for t in GgmlType::all() {
            let r = relative(t);
            assert!(
                MEASURED.iter().any(|(m, _)| *m == r),
                "{} borrows {}, which is not measured",
                t.name(),
                r.name()
            );
        }
    }

    #[test]
    fn llama_bench_json_gives_the_best_repetitions() {
        let json = br#"[
          {"build_commit":"0c1e570","build_number":11312,"n_prompt":512,"n_gen":0,"samples_ts":[100.0,120.5,110.0]},
          {"build_commit":"0c1e570","build_number":11312,"n_prompt":0,"n_gen":32,"samples_ts":[30.0,31.5]}
        ]"#;
        let (pp, tg, b) = parse_bench_json(json).unwrap();
        assert_eq!((pp, tg, b.as_str()), (120.5, 31.5, "b11312 (0c1e570)"));
        assert!(parse_bench_json(b"[]").unwrap_err().contains("no pp row"));
        assert!(parse_bench_json(b"not json").is_err());
    }

    #[test]
    fn a_probe_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let m = probe_spec(NARROW.0, 2);
        let f = dir.path().join("p.gguf");
        write_probe(&m, GgmlType::Q4_K, FileType::Q4_K_M, &f).unwrap();
        let g = cabe_gguf::read_model(&f).unwrap();
        let ts: Vec<_> = g.tensors().cloned().collect();
        let spec = cabe_gguf::spec::model_spec(&g.shards[0], &ts).unwrap();
        assert_eq!(
            (spec.n_embd, spec.n_vocab, spec.n_layer()),
            (512, PROBE_VOCAB, 2)
        );
        assert!(ts
            .iter()
            .all(|t| (t.dims.len() > 1) == (t.ggml_type == GgmlType::Q4_K)));
    }
}
