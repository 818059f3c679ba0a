//! llama.cpp's own CPU kernels, measured on this machine (`cabe calibrate --llama-bench PATH`).
//!
//! The kernel factors of [`crate::cpu`] were measured on one CPU and do not carry over: on an
//! AMD EPYC (AVX-512, no AMX) their decode predictions were 56–66% low. When a `llama-bench`
//! is at hand, calibration asks it instead: for each weight type that matters it writes a
//! small single-type model (Llama-3.2-1B's layer shape, 6 layers, a 4,096-token vocabulary,
//! zero weights — llama.cpp's kernels take the same time on zeros, and a zero block is valid in
//! every ggml type), runs `llama-bench -p 512 -n 64` with llama.cpp's defaults (repacked
//! kernels on; off only where they crash, as AMX does on some VMs) and keeps what it achieved:
//!
//! * **decode**, bytes streamed per second: `bytes / (1/tg)`;
//! * **prefill**, FLOP/s of the matrix multiplications: their FLOPs (the output head for the
//!   last token only, as llama.cpp computes logits) ÷ the 512-token prompt's time less its
//!   attention;
//! * **narrow models**, how much slower a model 1,024 wide streams than one 2,048 wide: the
//!   same Q8_0 layers at both widths, about the same bytes. Measured on an AMD EPYC: 2048 wide
//!   25.2 GB/s, 1024 wide 21.7, 512 wide 21.5 — a step between 2,048 and 1,024, none below,
//!   so not a fixed cost per row (which would make 512 slower again);
//! * **attention**, seconds per (query, key, head) at head width 64, in prefill and in
//!   decode: the wide Q8_0 probe again at a depth of 2,048 tokens (`-d 2048`), the difference
//!   over the 2,048 more keys every query and token sees.
//!
//! Six layers, not two: on an AMD EPYC a 2-layer probe's prefill ran 25% faster per layer than
//! the same layers 4, 8 or 16 deep (which agree within 7%).
//!
//! [`crate::cpu`] then predicts a model from these rates, type by type; types not measured
//! borrow a measured relative's rate per parameter (never faster than the best streaming
//! rate seen). The pure part (spec, derivation) is tested without llama.cpp; [`measure`] runs it.

use cabe_core::model::ModelSpec;
use cabe_core::quant::{FileType, GgmlType};
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
    /// Prefill FLOP/s of a 512-token prompt (one micro-batch), GFLOP/s.
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
    /// Decode streaming rate of a model 1,024 wide or narrower relative to one 2,048 wide
    /// (Q8_0 probes); in between, log-linear ([`narrow_weight`]).
    pub narrow_ratio: f64,
    /// Prefill attention: ns per (query, key, head) pair at head width 64 (F16 cache).
    pub prefill_attention_ns: f64,
    /// Decode attention: ns per (key, head) for one generated token at head width 64, the
    /// cache's reading included.
    pub decode_attention_ns: f64,
    /// Per expert weight type (ggml name): how much faster routed experts run in a prefill
    /// than their decode streaming time per token
    /// ([`crate::cpu::streaming_prefill_parts`]), from the routed-MoE probes; empty in
    /// calibrations made before they were measured (1 then).
    #[serde(default)]
    pub expert_ratios: std::collections::BTreeMap<String, f64>,
    pub types: Vec<TypeRate>,
}

impl KernelRates {
    pub fn rate(&self, t: GgmlType) -> Option<&TypeRate> {
        self.types.iter().find(|r| r.ty == t.name())
    }
    /// The expert ratio of type `t`: its own, its relative's, else Q4_K's, else 1.
    pub fn expert_ratio(&self, t: GgmlType) -> f64 {
        [t, relative(t), GgmlType::Q4_K]
            .iter()
            .find_map(|x| self.expert_ratios.get(x.name()))
            .copied()
            .unwrap_or(1.0)
            .max(0.05)
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

/// A routed-MoE probe: the layers of a real MoE family, the probe vocabulary, an untied head,
/// experts of one weight type.
pub struct MoeProbe {
    pub ty: GgmlType,
    pub ft: FileType,
    /// The catalog model whose layers the probe takes, and how many.
    pub model: &'static str,
    pub layers: usize,
}

/// The expert types the routed-MoE probes measure, each on the shape of the family that ships
/// it: Q4_K (which the other K-quants borrow) on Qwen3-30B-A3B's layers (2,048 wide, 128
/// experts of 768, 8 used: 32 tokens per expert in a 512-token micro-batch, an expert's
/// matrix under 1 MB) and MXFP4 on gpt-oss-20b's (2,880 wide, 32 experts of 2,880, 4 used: 64
/// tokens per expert, 4.4 MB matrices; one sliding-window and one full layer). How much faster
/// than a decode's stream the experts run depends on that shape: MXFP4 on the Qwen3 shape gave
/// 1.38 where gpt-oss's gave 1.16 here, back to back, and the gpt-oss model was predicted 16–23%
/// too fast with the first.
pub const MOE_MEASURED: &[MoeProbe] = &[
    MoeProbe {
        ty: GgmlType::Q4_K,
        ft: FileType::Q4_K_M,
        model: "qwen3-30b-a3b",
        layers: 6,
    },
    MoeProbe {
        ty: GgmlType::MXFP4,
        ft: FileType::MXFP4_MOE,
        model: "gpt-oss-20b",
        layers: 2,
    },
];

impl MoeProbe {
    /// The probe of the expert type `t` (Q4_K's for the types that borrow its ratio).
    pub fn of(t: GgmlType) -> &'static MoeProbe {
        MOE_MEASURED
            .iter()
            .find(|p| p.ty == t)
            .unwrap_or(&MOE_MEASURED[0])
    }

    pub fn spec(&self) -> ModelSpec {
        let mut s = cabe_catalog::find_model(self.model)
            .expect("the MoE probes' models are in the catalog")
            .spec
            .clone();
        s.layers.truncate(self.layers);
        s.n_vocab = PROBE_VOCAB;
        s.tied_embeddings = false;
        s.name = format!(
            "cabe routed-experts probe, {} layers of {}",
            self.layers, self.model
        );
        s
    }
}

/// The two probe shapes: (width, layers). The narrow one has about the bytes of the wide one
/// and twice its rows per byte.
pub const WIDE: (u64, usize) = (2048, 6);
pub const NARROW: (u64, usize) = (1024, 24);

/// The depth at which the narrow probe's attention is measured.
pub const DEPTH: u64 = 2048;

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
    write_probe_typed(
        m,
        ft,
        path,
        |_, dims| {
            if dims > 1 {
                ty
            } else {
                GgmlType::F32
            }
        },
    )
}

/// Writes the probe `m` with each tensor of the type `type_of(name, number of dims)` gives.
fn write_probe_typed(
    m: &ModelSpec,
    ft: FileType,
    path: &Path,
    type_of: impl Fn(&str, usize) -> GgmlType,
) -> Result<(), String> {
    let mut kv = cabe_gguf::metadata::model_metadata(m, ft)?;
    kv.extend(tokenizer(m.n_vocab));
    let tensors: Vec<TensorSpec> = cabe_core::layout::tensor_shapes(m)
        .into_iter()
        .map(|s| TensorSpec {
            ty: type_of(&s.name, s.dims.len()),
            name: s.name,
            dims: s.dims,
        })
        .collect();
    write_sparse(path, &kv, &tensors)
        .map(|_| ())
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Writes the routed-MoE probe: experts of type `expert`, the other matrices Q4_K (Q8_0 where
/// rows are not whole K-quant blocks), the token embedding and the router F32 and filled with
/// pseudo-random values, the norms with ones, so that tokens spread over the experts as in a
/// trained model (zeros would route every token to the same few experts and make few, large
/// expert products).
pub fn write_moe_probe(
    m: &ModelSpec,
    expert: GgmlType,
    ft: FileType,
    path: &Path,
) -> Result<(), String> {
    let float = |name: &str| name == "token_embd.weight" || name.ends_with(".ffn_gate_inp.weight");
    write_probe_typed(m, ft, path, |name, dims| {
        // gpt-oss's expert biases are 2-D (one row per expert) and stay F32, as llama-quantize
        // keeps them.
        if float(name) || dims < 2 || name.ends_with(".bias") {
            GgmlType::F32
        } else if name.contains("_exps.") {
            expert
        } else if m.n_embd.is_multiple_of(256) {
            GgmlType::Q4_K
        } else {
            // gpt-oss's 2,880-wide rows are not whole K-quant blocks (llama-quantize's
            // MXFP4_MOE keeps its other matrices Q8_0).
            GgmlType::Q8_0
        }
    })?;
    use cabe_gguf::fill::{fill_tensors, Fill};
    fill_tensors(path, |name| {
        if float(name) {
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
    .map(|_| ())
}

/// The expert ratio of the probe's expert type ([`KernelRates::expert_ratio`]) from the
/// routed-MoE probe's pp512, given the other rates: the prompt's time less its dense products
/// and attention is the experts' time, compared with their decode streaming time. Clamped to
/// [0.25, 4].
pub fn expert_ratio(m: &ModelSpec, w: &Weights, pp_tps: f64, k: &KernelRates) -> f64 {
    let n = 512.0;
    let parts = crate::cpu::streaming_prefill_parts(m, w, n, k);
    let dense: f64 = parts.dense.iter().map(|d| d.1).sum();
    let streaming: f64 = parts.experts.iter().map(|e| e.1).sum();
    let measured = n / pp_tps - dense - parts.attention;
    if measured <= 0.0 {
        return 4.0;
    }
    (streaming / measured).clamp(0.25, 4.0)
}

/// Bytes, parameters and rows a decoded token reads (the output head, not the embedding).
pub fn per_token(w: &Weights) -> (f64, f64, f64) {
    let mut out = (0.0, 0.0, 0.0);
    for t in w.tensors.iter().filter(|t| &*t.name != "token_embd.weight") {
        out.0 += t.bytes() as f64;
        out.1 += t.dims.iter().product::<u64>() as f64;
        if t.dims.len() > 1 {
            out.2 += t.dims[1..].iter().product::<u64>() as f64;
        }
    }
    out
}

/// The streaming rate of narrow rows relative to wide ones, from the narrow probe's rate
/// relative to the wide probe's when `narrow_share` of the narrow probe's bytes are in narrow
/// rows (its others stream at the wide rate): `1/r_probe = (1 − s) + s / r`. Clamped to
/// 0.5 … 1.2 (noise can push it out).
pub fn narrow_ratio(
    wide_bytes: f64,
    t_wide: f64,
    narrow_bytes: f64,
    t_narrow: f64,
    narrow_share: f64,
) -> f64 {
    let probe = (narrow_bytes / t_narrow) / (wide_bytes / t_wide);
    let s = narrow_share.clamp(1e-3, 1.0);
    (s / (1.0 / probe - 1.0 + s)).clamp(0.5, 1.2)
}

/// How much of a model `n_embd` wide counts as narrow: 1 at 1,024 or fewer, 0 at 2,048 or more,
/// log-linear between. It is the model's width that matters, not each matrix's row length:
/// on an AMD EPYC, Q8_0 probes 2,048 wide streamed 23.1 GB/s at 3, 6 and 12 layers alike,
/// 1,024-wide ones 19.7–21.2 GB/s at 6 to 48 layers, and Qwen3-0.6B (1,024 wide, its
/// `ffn_down` and `attn_output` rows 3,072 and 2,048 long) 20.2 GB/s — as slow as the narrow
/// probe over all its bytes.
pub fn narrow_weight(row_len: u64) -> f64 {
    let x = (row_len.max(1) as f64).log2();
    (11.0 - x).clamp(0.0, 1.0)
}

/// Matrix-multiplication FLOPs of an `n`-token prompt: the output head for the last token only.
fn matmul_flops(m: &ModelSpec, w: &Weights, n: f64) -> f64 {
    let head = cabe_core::speed::output_head_params(m, w) as f64;
    2.0 * (w.params_active as f64 - head) * n + 2.0 * head
}

/// GFLOP/s of the matrix products of an `n`-token prompt measured at `tps`, its attention
/// (at `c_attn` per unit) set apart.
fn prefill_rate_of(m: &ModelSpec, w: &Weights, n: u64, tps: f64, c_attn: f64) -> f64 {
    let secs = n as f64 / tps;
    let matmul_secs = (secs - prefill_attention_units(m, n) * c_attn).max(0.5 * secs);
    matmul_flops(m, w, n as f64) / matmul_secs / 1e9
}

/// (query, key, head) triples of a `n`-token prompt over all attention layers.
pub fn prefill_attention_units(m: &ModelSpec, n: u64) -> f64 {
    m.attention_layers()
        .map(|(_, l)| l.n_head as f64 * cabe_core::speed::attention_pairs(m, l.swa, n))
        .sum::<f64>()
        * cabe_core::speed::attention_head_dim(m)
        / 64.0
}

/// (key, head) pairs of one token at position `pos` over all attention layers.
pub fn decode_attention_units(m: &ModelSpec, pos: u64) -> f64 {
    m.attention_layers()
        .map(|(_, l)| l.n_head as f64 * cabe_core::speed::attention_keys(m, l.swa, pos) as f64)
        .sum::<f64>()
        * cabe_core::speed::attention_head_dim(m)
        / 64.0
}

/// One type's rates from its (wide) probe's llama-bench figures, given the prefill attention
/// cost (seconds per unit of [`prefill_attention_units`]).
pub fn type_rate(
    ty: GgmlType,
    m: &ModelSpec,
    w: &Weights,
    tg_tps: f64,
    pp_tps: f64,
    c_attn: f64,
) -> TypeRate {
    let (bytes, params, _) = per_token(w);
    let secs = 1.0 / tg_tps;
    TypeRate {
        ty: ty.name().to_string(),
        decode_gbps: bytes / secs / 1e9,
        decode_ns_per_param: secs / params * 1e9,
        prefill_gflops: prefill_rate_of(m, w, 512, pp_tps, c_attn),
        tg_tps,
        pp_tps,
    }
}

/// Attention costs from the narrow probe at depth 0 and [`DEPTH`]: (prefill seconds per
/// (query, key, head) unit, decode seconds per (key, head) unit). Clamped at 0.
pub fn attention_costs(m: &ModelSpec, pp: (f64, f64), tg: (f64, f64)) -> (f64, f64) {
    let units_pp = prefill_attention_units(m, 512 + DEPTH) - prefill_attention_units(m, DEPTH);
    let units_pp0 = prefill_attention_units(m, 512);
    let c_pp = (512.0 / pp.1 - 512.0 / pp.0) / (units_pp - units_pp0);
    let c_tg = (1.0 / tg.1 - 1.0 / tg.0) / decode_attention_units(m, DEPTH);
    (c_pp.max(0.0), c_tg.max(0.0))
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

/// One llama-bench test: the best repetition, tokens/s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BenchRow {
    pub n_prompt: u64,
    pub n_gen: u64,
    pub n_depth: u64,
    pub best_tps: f64,
}

/// Runs `llama-bench -m FILE -o json ARGS` and returns its rows and build.
fn bench(bin: &Path, file: &Path, args: &[String]) -> Result<(Vec<BenchRow>, String), String> {
    let mut child = Command::new(bin)
        .arg("-m")
        .arg(file)
        .args(["-o", "json"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("running {}: {e}", bin.display()))?;
    // Read both pipes while waiting, so that a chatty llama-bench cannot block on a full pipe.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut v);
        v
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st,
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
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if !status.success() {
        let err = String::from_utf8_lossy(&stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!("llama-bench failed ({status}): {last}"));
    }
    parse_bench_json(&stdout)
}

/// The rows and build of llama-bench's JSON output.
pub fn parse_bench_json(bytes: &[u8]) -> Result<(Vec<BenchRow>, String), String> {
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(bytes).map_err(|e| format!("llama-bench JSON: {e}"))?;
    let u = |r: &serde_json::Value, k: &str| r[k].as_u64().unwrap_or(0);
    let out: Vec<BenchRow> = rows
        .iter()
        .map(|r| BenchRow {
            n_prompt: u(r, "n_prompt"),
            n_gen: u(r, "n_gen"),
            n_depth: u(r, "n_depth"),
            best_tps: r["samples_ts"]
                .as_array()
                .map(|a| a.iter().filter_map(|x| x.as_f64()).fold(0.0, f64::max))
                .unwrap_or(0.0),
        })
        .filter(|r| r.best_tps > 0.0)
        .collect();
    if out.is_empty() {
        return Err("llama-bench gave no results".into());
    }
    let build = rows
        .first()
        .map(|r| {
            format!(
                "b{} ({})",
                u(r, "build_number"),
                r["build_commit"].as_str().unwrap_or("?")
            )
        })
        .unwrap_or_default();
    Ok((out, build))
}

/// The best rate of the prompt (`pp`) or generation test at `depth` (over every run of it).
pub fn pick(rows: &[BenchRow], pp: bool, depth: u64) -> Result<f64, String> {
    rows.iter()
        .filter(|r| (r.n_gen == 0) == pp && (r.n_prompt == 0) != pp && r.n_depth == depth)
        .map(|r| r.best_tps)
        .reduce(f64::max)
        .ok_or_else(|| {
            format!(
                "llama-bench gave no {} row at depth {depth}",
                if pp { "prompt" } else { "generation" }
            )
        })
}

/// Measures every type of [`MEASURED`], the per-row cost and attention with `threads`
/// threads, writing the probes (sparse files, no disk space) into `dir`.
pub fn measure(
    llama_bench: &Path,
    threads: usize,
    dir: &Path,
    on_step: &mut dyn FnMut(KernelStep),
) -> Result<KernelRates, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let wide = probe_spec(WIDE.0, WIDE.1);
    let narrow = probe_spec(NARROW.0, NARROW.1);
    // The narrow Q8_0 probe (decode only: the per-row cost) first, then the wide ones; the
    // wide Q8_0 also runs at depth (attention).
    // Each job: what it measures, the probe, its type, and whether its prefill runs too.
    let mut jobs: Vec<(String, &ModelSpec, GgmlType, FileType, bool)> = vec![(
        format!("{} at width {}", GgmlType::Q8_0.name(), NARROW.0),
        &narrow,
        GgmlType::Q8_0,
        FileType::Q8_0,
        false,
    )];
    jobs.extend(
        MEASURED
            .iter()
            .map(|&(t, f)| (t.name().to_string(), &wide, t, f, true)),
    );
    // Every wide type's decode once more, in the same order: on a shared machine a slow
    // minute can spoil one probe's runs (a Q8_0 probe decoded 27 tok/s in one pass and 34 in
    // the next, putting Q8_0 models' decode 20–30% low); the best of both passes is kept.
    // Prefill runs once: its bar is wider, and its 512-token repetitions are most of a
    // calibration's time.
    jobs.extend(
        MEASURED
            .iter()
            .map(|&(t, f)| (format!("{}, again", t.name()), &wide, t, f, false)),
    );
    // The narrow probe once more at the end: its runs bracket the wide Q8_0 one, and the
    // best of both is kept, so that a slow minute on a shared machine does not land on one
    // side of the ratio only.
    jobs.push((
        format!("{} at width {}, again", GgmlType::Q8_0.name(), NARROW.0),
        &narrow,
        GgmlType::Q8_0,
        FileType::Q8_0,
        false,
    ));
    let mut repack = true;
    let mut build = String::new();
    let mut figures = Vec::new();
    let of = jobs.len();
    for (index, (what, m, ty, ft, with_prefill)) in jobs.iter().enumerate() {
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
        let mut common = vec!["-t".to_string(), threads.to_string()];
        // The wide Q8_0 probe's first pass also runs at depth (attention); the second pass
        // does not: each repetition at depth first fills 2,048 tokens of cache, the largest
        // part of a calibration's time.
        let attention_probe = *ty == GgmlType::Q8_0 && m.n_embd == WIDE.0 && *with_prefill;
        if attention_probe {
            common.extend(["-d".into(), format!("0,{DEPTH}")]);
        }
        // Prefill (512 tokens, best of 3) and decode (64 tokens, best of 5: a decode
        // repetition is short, and the best one is what the machine can do) run apart; the
        // narrow probe is only needed for decode.
        let prefill: &[&str] = &["-p", "512", "-n", "0", "-r", "3"];
        let decode: &[&str] = &["-p", "0", "-n", "64", "-r", "5"];
        let runs: Vec<&[&str]> = if *with_prefill {
            vec![prefill, decode]
        } else {
            vec![decode]
        };
        let mut rows = Vec::new();
        for run in runs {
            let args = |repack: bool| {
                let mut a: Vec<String> = run.iter().map(|s| s.to_string()).collect();
                a.extend(common.iter().cloned());
                if !repack {
                    a.extend(["--repack".into(), "0".into()]);
                }
                a
            };
            let r = match bench(llama_bench, &file, &args(repack)) {
                Err(e) if repack => {
                    on_step(KernelStep::RepackFailed { error: e });
                    repack = false;
                    bench(llama_bench, &file, &args(false))
                }
                r => r,
            };
            let (mut got, b) = match r {
                Ok(x) => x,
                Err(e) => {
                    let _ = std::fs::remove_file(&file);
                    return Err(e);
                }
            };
            build = b;
            rows.append(&mut got);
        }
        let _ = std::fs::remove_file(&file);
        let tg = pick(&rows, false, 0)?;
        let pp = pick(&rows, true, 0).unwrap_or(0.0);
        on_step(KernelStep::Done {
            what: what.clone(),
            tg_tps: tg,
            pp_tps: pp,
        });
        figures.push((*ty, (*m).clone(), w, rows));
    }
    let mut narrow_rows = figures[0].3.clone();
    let again = figures.pop().expect("the narrow probe ran twice");
    narrow_rows.extend(again.3);
    figures[0].3 = narrow_rows;
    // The second pass of the wide types: its rows join the first pass's (best of both).
    let second: Vec<_> = figures.split_off(1 + MEASURED.len());
    for (ty, _, _, rows) in second {
        if let Some(f) = figures
            .iter_mut()
            .skip(1)
            .find(|f| f.0 == ty && f.1.n_embd == WIDE.0)
        {
            f.3.extend(rows);
        }
    }
    let narrow_fig = &figures[0];
    let best = |rows: &[BenchRow], pp: bool, d: u64| pick(rows, pp, d);
    let q8_wide = figures
        .iter()
        .find(|f| f.0 == GgmlType::Q8_0 && f.1.n_embd == WIDE.0)
        .expect("the wide Q8_0 probe ran");
    let (c_pp, c_tg) = attention_costs(
        &q8_wide.1,
        (best(&q8_wide.3, true, 0)?, best(&q8_wide.3, true, DEPTH)?),
        (best(&q8_wide.3, false, 0)?, best(&q8_wide.3, false, DEPTH)?),
    );
    let bytes = |w: &Weights| per_token(w).0;
    let ratio = narrow_ratio(
        bytes(&q8_wide.2),
        1.0 / best(&q8_wide.3, false, 0)?,
        bytes(&narrow_fig.2),
        1.0 / best(&narrow_fig.3, false, 0)?,
        // Every matrix of the narrow probe is in a 1,024-wide model.
        narrow_weight(NARROW.0),
    );
    let mut types = Vec::new();
    for (ty, m, w, rows) in figures.iter().skip(1) {
        types.push(type_rate(
            *ty,
            m,
            w,
            best(rows, false, 0)?,
            best(rows, true, 0)?,
            c_pp,
        ));
    }
    let mut rates = KernelRates {
        llama_bench: llama_bench.display().to_string(),
        build,
        threads,
        repack,
        narrow_ratio: ratio,
        prefill_attention_ns: c_pp * 1e9,
        decode_attention_ns: c_tg * 1e9,
        expert_ratios: Default::default(),
        types,
    };
    // Last, the routed experts' prefill (pp512, best of 3) on the MoE probes.
    for (i, probe) in MOE_MEASURED.iter().enumerate() {
        let (ty, ft, moe) = (probe.ty, probe.ft, probe.spec());
        let what = format!(
            "routed {} experts ({} layers of {})",
            ty.name(),
            probe.layers,
            probe.model
        );
        on_step(KernelStep::Started {
            what: what.clone(),
            index: of + 1 + i,
            of: of + MOE_MEASURED.len(),
        });
        let file = dir.join(format!("probe-moe-{}.gguf", ty.name()));
        write_moe_probe(&moe, ty, ft, &file)?;
        let g = cabe_gguf::read_model(&file).map_err(|e| e.to_string())?;
        let ts: Vec<_> = g.tensors().cloned().collect();
        let w = cabe_gguf::spec::file_weights(&moe, &ts);
        let mut args: Vec<String> = ["-p", "512", "-n", "0", "-r", "3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(rates.bench_args());
        let got = bench(llama_bench, &file, &args);
        let _ = std::fs::remove_file(&file);
        let (rows, _) = got?;
        let pp = pick(&rows, true, 0)?;
        on_step(KernelStep::Done {
            what,
            tg_tps: 0.0,
            pp_tps: pp,
        });
        let r = expert_ratio(&moe, &w, pp, &rates);
        rates.expert_ratios.insert(ty.name().to_string(), r);
    }
    Ok(rates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_have_about_the_same_bytes_and_twice_the_rows() {
        let shape = |(w, l): (u64, usize)| {
            let m = probe_spec(w, l);
            let ws = cabe_core::weights::for_file_type(&m, FileType::Q8_0);
            per_token(&ws)
        };
        let (bw, _, rw) = shape(WIDE);
        let (bn, _, rn) = shape(NARROW);
        assert!((bn / bw - 1.0).abs() < 0.05, "{bn} vs {bw}");
        assert!(rn / bn > 1.9 * rw / bw, "{rn}/{bn} vs {rw}/{bw}");
        // Well beyond a last-level cache.
        assert!(bw > 100e6, "{bw}");
    }

    #[test]
    fn narrow_rows_are_weighed_by_their_length() {
        assert_eq!(narrow_weight(512), 1.0);
        assert_eq!(narrow_weight(1024), 1.0);
        assert_eq!(narrow_weight(2048), 0.0);
        assert_eq!(narrow_weight(8192), 0.0);
        assert!((narrow_weight(1448) - 0.5).abs() < 0.01);
        // A probe all of whose bytes are narrow gives the ratio of the two rates; one with
        // two thirds narrow a lower one (its wide third streamed at the wide rate).
        let r = narrow_ratio(400e6, 400e6 / 25e9, 400e6, 400e6 / 21.7e9, 1.0);
        assert!((r - 0.868).abs() < 1e-9, "{r}");
        let r2 = narrow_ratio(400e6, 400e6 / 25e9, 400e6, 400e6 / 21.7e9, 2.0 / 3.0);
        assert!(r2 < r && r2 > 0.75, "{r2}");
        assert_eq!(narrow_ratio(1.0, 1.0, 1.0, 10.0, 1.0), 0.5);
    }

    #[test]
    fn type_rate_inverts_the_decode_model() {
        let m = probe_spec(WIDE.0, WIDE.1);
        let w = cabe_core::weights::for_file_type(&m, FileType::Q8_0);
        let (bytes, params, _) = per_token(&w);
        let bw = 18e9;
        let tg = 1.0 / (bytes / bw);
        let c_attn = 2e-9;
        let r = type_rate(GgmlType::Q8_0, &m, &w, tg, 300.0, c_attn);
        assert!((r.decode_gbps - 18.0).abs() < 1e-6, "{}", r.decode_gbps);
        assert!((r.decode_ns_per_param * 1e-9 * params - bytes / bw).abs() < 1e-9);
        // Prefill: the matmul FLOPs over the prompt's time less its attention.
        let matmul_secs = 512.0 / 300.0 - prefill_attention_units(&m, 512) * c_attn;
        let head = cabe_core::speed::output_head_params(&m, &w) as f64;
        let flops = 2.0 * (w.params_active as f64 - head) * 512.0 + 2.0 * head;
        assert!((r.prefill_gflops - flops / matmul_secs / 1e9).abs() < 1e-6);
    }

    #[test]
    fn the_expert_ratio_inverts_the_prefill_model() {
        let probe = MoeProbe::of(GgmlType::Q4_K);
        let m = probe.spec();
        assert!(m.moe.is_some() && m.layers.len() == probe.layers);
        let w = cabe_core::weights::for_file_type(&m, FileType::Q4_K_M);
        let mut k = KernelRates {
            llama_bench: "llama-bench".into(),
            build: "b1".into(),
            threads: 1,
            repack: true,
            narrow_ratio: 0.9,
            prefill_attention_ns: 1.0,
            decode_attention_ns: 2.0,
            expert_ratios: Default::default(),
            types: MEASURED
                .iter()
                .map(|&(t, _)| TypeRate {
                    ty: t.name().into(),
                    decode_gbps: 10.0,
                    decode_ns_per_param: 0.1,
                    prefill_gflops: 100.0,
                    tg_tps: 0.0,
                    pp_tps: 0.0,
                })
                .collect(),
        };
        // A prompt whose experts ran 1.6× their streaming time is measured back as 1.6.
        let parts = crate::cpu::streaming_prefill_parts(&m, &w, 512.0, &k);
        let dense: f64 = parts.dense.iter().map(|d| d.1).sum();
        let streaming: f64 = parts.experts.iter().map(|e| e.1).sum();
        assert!(streaming > 0.0 && dense > 0.0);
        let attention = prefill_attention_units(&m, 512) * 1e-9;
        let pp = 512.0 / (dense + streaming / 1.6 + attention);
        let r = expert_ratio(&m, &w, pp, &k);
        assert!((r - 1.6).abs() < 1e-9, "{r}");
        // Stored per type; relatives borrow it, MXFP4 has its own, unmeasured types 1.
        k.expert_ratios.insert("Q4_K".into(), r);
        assert_eq!(k.expert_ratio(GgmlType::Q5_K), r);
        assert_eq!(k.expert_ratio(GgmlType::MXFP4), r);
        k.expert_ratios.insert("MXFP4".into(), 1.1);
        assert_eq!(k.expert_ratio(GgmlType::MXFP4), 1.1);
        // Absurd measurements are clamped.
        assert_eq!(expert_ratio(&m, &w, 1e9, &k), 4.0);
        assert_eq!(expert_ratio(&m, &w, 1e-3, &k), 0.25);
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
        let (rows, b) = parse_bench_json(json).unwrap();
        assert_eq!(b, "b11312 (0c1e570)");
        assert_eq!(pick(&rows, true, 0), Ok(120.5));
        assert_eq!(pick(&rows, false, 0), Ok(31.5));
        assert!(pick(&rows, true, DEPTH).unwrap_err().contains("depth 2048"));
        assert!(parse_bench_json(b"[]").unwrap_err().contains("no results"));
        assert!(parse_bench_json(b"not json").is_err());
    }

    #[test]
    fn attention_costs_invert_the_depth_runs() {
        let m = probe_spec(NARROW.0, NARROW.1);
        let (c_pp, c_tg) = (3e-9, 5e-9);
        let pp0 = 512.0 / (1.0 + prefill_attention_units(&m, 512) * c_pp);
        let extra = prefill_attention_units(&m, 512 + DEPTH) - prefill_attention_units(&m, DEPTH);
        let ppd = 512.0 / (1.0 + extra * c_pp);
        let tg0 = 1.0 / 0.02;
        let tgd = 1.0 / (0.02 + decode_attention_units(&m, DEPTH) * c_tg);
        let (a, b) = attention_costs(&m, (pp0, ppd), (tg0, tgd));
        assert!(
            (a - c_pp).abs() < 1e-15 && (b - c_tg).abs() < 1e-15,
            "{a} {b}"
        );
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
            (NARROW.0, PROBE_VOCAB, 2)
        );
        assert!(ts
            .iter()
            .all(|t| (t.dims.len() > 1) == (t.ggml_type == GgmlType::Q4_K)));
    }

    #[test]
    fn each_moe_probe_reads_back_with_the_types_llama_quantize_would_give() {
        let dir = tempfile::tempdir().unwrap();
        for p in MOE_MEASURED {
            let m = p.spec();
            let f = dir.path().join(format!("moe-{}.gguf", p.ty.name()));
            write_moe_probe(&m, p.ty, p.ft, &f).unwrap();
            let g = cabe_gguf::read_model(&f).unwrap();
            let ts: Vec<_> = g.tensors().cloned().collect();
            let spec = cabe_gguf::spec::model_spec(&g.shards[0], &ts).unwrap();
            assert_eq!(spec.n_layer() as usize, p.layers, "{}", p.model);
            assert_eq!(spec.moe, m.moe, "{}", p.model);
            let other = if m.n_embd.is_multiple_of(256) {
                GgmlType::Q4_K
            } else {
                GgmlType::Q8_0
            };
            for t in &ts {
                let want = if t.dims.len() < 2
                    || t.name.ends_with(".bias")
                    || &*t.name == "token_embd.weight"
                    || t.name.ends_with(".ffn_gate_inp.weight")
                {
                    GgmlType::F32
                } else if t.name.contains("_exps.") {
                    p.ty
                } else {
                    other
                };
                assert_eq!(t.ggml_type, want, "{} in the {} probe", t.name, p.model);
            }
            std::fs::remove_file(&f).unwrap();
        }
        // gpt-oss's probe has its expert biases (2-D) and one layer of each attention kind.
        let gpt = MoeProbe::of(GgmlType::MXFP4).spec();
        assert_eq!(gpt.n_embd, 2880);
        assert!(gpt.layers.iter().any(|l| l.swa));
        assert!(gpt.layers.iter().any(|l| !l.swa));
    }
}
