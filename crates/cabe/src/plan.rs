//! `cabe plan`: one model split over several GPUs, or over several machines with llama.cpp's
//! RPC, the way llama.cpp places it (`cabe_engine::split`); this file parses and prints.

use crate::cli::{OutputArgs, RuntimeArgs};
use anyhow::{bail, Context, Result};
use cabe_core::plan::DEFAULT_OS_RESERVE;
use cabe_core::units::{fmt_bytes, fmt_int, fmt_signed_bytes, parse_size};
use cabe_engine::split::{
    commands, decode_ceiling, devices_of, max_context, speed, split, Device, Split, SplitDecode,
    SplitSpeed,
};
use cabe_engine::vllm::{self, VllmPlan};
use cabe_engine::CtxChoice;
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use serde::Serialize;

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// A catalog model id or alias (see `cabe models`), or a GGUF file or URL.
    pub model: String,
    /// Whole-file quantization for a catalog model (Q4_K_M, Q8_0, …). Default Q4_K_M.
    #[arg(long, short = 'q')]
    pub quant: Option<String>,
    /// Context per sequence: tokens or `native`.
    #[arg(long, short = 'c', default_value = "native", allow_hyphen_values = true, value_parser = crate::flags::ctx)]
    pub ctx: CtxChoice,
    /// The machines: a catalog id (a multi-GPU box is split over its GPUs), or N copies of
    /// one joined by llama.cpp's RPC, e.g. `2x dgx-spark-128gb`.
    /// `2x dgx-spark-128gb` and `2xdgx-spark-128gb` both work.
    #[arg(long, value_name = "[Nx] HARDWARE_ID", num_args = 1..=2, conflicts_with = "devices")]
    pub on: Vec<String>,
    /// GPUs in one box by their memory, e.g. `24GiB,24GiB` (instead of --on).
    #[arg(long, value_name = "SIZE,SIZE,…", value_delimiter = ',')]
    pub devices: Vec<String>,
    /// Memory bandwidth of each --devices GPU, GB/s (for the decode ceiling).
    #[arg(long, value_name = "GB_PER_S", requires = "devices", value_parser = crate::flags::rate)]
    pub bandwidth: Option<f64>,
    /// llama.cpp's --tensor-split: each device's share, e.g. `3,1` (default: in proportion to
    /// each device's free memory, llama.cpp's own default).
    #[arg(long, value_name = "W,W,…", value_delimiter = ',', value_parser = share)]
    pub tensor_split: Vec<f64>,
    /// The link between machines from the link catalog (`data/links.toml`): 10gbe,
    /// connectx-7-spark, thunderbolt5, … — its rate and latency.
    #[arg(long, value_name = "LINK_ID", conflicts_with = "link_gbps")]
    pub link: Option<String>,
    /// The link between machines, Gbit/s (10 for 10 GbE, 40 for Thunderbolt 4).
    #[arg(long, value_name = "GBIT_PER_S", value_parser = crate::flags::rate)]
    pub link_gbps: Option<f64>,
    /// One-way latency of the link, microseconds (with --link-gbps).
    #[arg(long, value_name = "US", default_value_t = 50.0, value_parser = crate::flags::rate)]
    pub link_latency_us: f64,
    /// Memory kept for the OS on machines that run from system RAM (default 2GiB, an assumption).
    #[arg(long, value_name = "SIZE")]
    pub os_reserve: Option<String>,
    /// The engine: llama.cpp (GGUF, any devices, RPC between hosts; the default) or vllm
    /// (CUDA/ROCm GPUs; tensor parallel inside a node, pipeline parallel across nodes on Ray).
    #[arg(long, value_enum, default_value_t = Engine::LlamaCpp)]
    pub engine: Engine,
    /// vLLM's tensor parallel size (default: the GPUs of one machine).
    #[arg(long, value_name = "N", requires = "engine")]
    pub tp: Option<u32>,
    /// vLLM's pipeline parallel size (default: the number of machines).
    #[arg(long, value_name = "N", requires = "engine")]
    pub pp: Option<u32>,
    /// A prompt of N tokens: its prefill time over the split, link included.
    #[arg(long, value_name = "N", value_parser = crate::flags::tokens)]
    pub prompt_tokens: Option<u64>,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    #[value(name = "llama.cpp", alias = "llama-cpp", alias = "llamacpp")]
    LlamaCpp,
    #[value(name = "vllm")]
    Vllm,
}

/// `[Nx]ID`: how many identical machines, and which.
fn units(s: &str) -> Result<(u32, String), String> {
    let t = s.trim();
    let (n, id) = match t.split_once(['x', '×']) {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => (
            n.parse::<u32>()
                .map_err(|_| format!("'{n}' is not a count"))?,
            rest.trim(),
        ),
        _ => (1, t),
    };
    if !(1..=64).contains(&n) {
        return Err(format!("{n} machines: give 1 to 64"));
    }
    if id.is_empty() {
        return Err("no machine id after the count".into());
    }
    Ok((n, id.to_string()))
}

/// `--on`'s one or two words as `(count, id)`; None when `--on` is absent.
fn on_units(words: &[String]) -> Result<Option<(u32, String)>> {
    if words.is_empty() {
        return Ok(None);
    }
    units(&words.join(" "))
        .map(Some)
        .map_err(|e| anyhow::anyhow!("--on: {e}"))
}

/// One --tensor-split share: a finite number ≥ 0.
fn share(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("'{s}' is not a share (a number ≥ 0)")),
    }
}

#[derive(Serialize)]
struct PlanReport {
    engine: Engine,
    /// Why this engine.
    engine_why: &'static str,
    model: serde_json::Value,
    machine: String,
    hosts: u32,
    ctx: u64,
    /// The largest context per sequence that fits every device with these settings.
    max_ctx: Option<u64>,
    runtime: cabe_engine::Runtime,
    #[serde(flatten)]
    split: Split,
    decode: SplitDecode,
    /// Through the engine's speed pipeline, when the devices are one catalog machine's.
    speed: Option<SplitSpeed>,
    commands: Vec<String>,
}

const LLAMA_WHY: &str = "llama.cpp runs GGUF files on any mix of devices (CUDA, ROCm, Metal, Vulkan, CPU) and joins hosts with its RPC backend; its layer split needs no divisibility";

/// A plan for llama.cpp, or (asked for) for vLLM with the model's name and context.
enum Report {
    Llama(Box<PlanReport>),
    Vllm(Box<VllmReport>, String, u64),
}

/// What `cabe plan --json` prints for these arguments.
pub fn json(a: &PlanArgs) -> Result<serde_json::Value> {
    Ok(match report(a)? {
        Report::Llama(r) => serde_json::to_value(&*r)?,
        Report::Vllm(r, ..) => serde_json::to_value(&*r)?,
    })
}

pub fn run(a: &PlanArgs) -> Result<()> {
    let r = report(a)?;
    if a.output.json {
        let v = match &r {
            Report::Llama(r) => serde_json::to_value(r)?,
            Report::Vllm(r, ..) => serde_json::to_value(r)?,
        };
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    match &r {
        Report::Llama(r) => print_human(a, r),
        Report::Vllm(r, name, ctx) => print_vllm(r, name, *ctx),
    }
    Ok(())
}

fn report(a: &PlanArgs) -> Result<Report> {
    let model = crate::resolve::model(&a.model, a.quant.as_deref())?;
    let os_reserve = match &a.os_reserve {
        Some(s) => {
            parse_size(s, false)
                .map_err(anyhow::Error::msg)
                .context("--os-reserve")?
                .0
        }
        None => DEFAULT_OS_RESERVE,
    };
    let mut hardware = None;
    let (devices, host_device, hosts, machine): (Vec<Device>, Option<usize>, u32, String) =
        match (on_units(&a.on)?, a.devices.is_empty()) {
            (Some((n, id)), _) => {
                let n = &n;
                let e = cabe_catalog::find_hardware(&id)?;
                hardware = Some(e.spec.clone());
                let (d, h) = devices_of(&e.spec, *n, os_reserve);
                let what = if *n > 1 {
                    format!("{n}× {}", e.name)
                } else {
                    e.name.clone()
                };
                (d, h, *n, what)
            }
            (None, false) => {
                let mut d = Vec::new();
                for (i, s) in a.devices.iter().enumerate() {
                    let bytes = parse_size(s, false)
                        .map_err(anyhow::Error::msg)
                        .with_context(|| format!("--devices {s}"))?
                        .0;
                    d.push(Device {
                        name: format!("GPU {i}"),
                        capacity_bytes: bytes
                            .saturating_sub(cabe_core::plan::reserve::GPU_DRIVER),
                        bandwidth_gbps: a.bandwidth.unwrap_or(0.0),
                    });
                }
                (d, None, 1, format!("{} GPUs given by --devices", a.devices.len()))
            }
            (None, true) => bail!(
                "say which devices: --on ID (a multi-GPU machine), --on 2x ID (machines joined by RPC) or --devices 24GiB,24GiB"
            ),
        };
    if a.engine == Engine::Vllm {
        let (r, ctx) = vllm_report(a, &model, &devices, hardware.as_ref(), hosts, &machine)?;
        return Ok(Report::Vllm(Box::new(r), model.display_name.clone(), ctx));
    }
    let settings = a.runtime.settings();
    settings.check(&model.spec).map_err(anyhow::Error::msg)?;
    let ctx = match a.ctx {
        CtxChoice::Tokens(n) => n,
        CtxChoice::Native | CtxChoice::Max if model.spec.native_ctx > 0 => model.spec.native_ctx,
        _ => bail!("the model does not say its native context; give --ctx N"),
    }
    .max(256);
    let profile = settings.profile(&model.spec, ctx);
    let ts = (!a.tensor_split.is_empty()).then_some(a.tensor_split.as_slice());
    let s = split(
        &model.spec,
        &model.weights,
        &profile,
        &devices,
        ts,
        host_device,
    )
    .map_err(anyhow::Error::msg)?;
    let link = match &a.link {
        Some(id) => {
            let l = cabe_catalog::links::find_link(id).map_err(anyhow::Error::msg)?;
            Some((l.gbps, l.latency_us))
        }
        None => a.link_gbps.map(|g| (g, a.link_latency_us)),
    };
    let decode = decode_ceiling(&model.spec, &s, hosts, link);
    let path = if model.is_file() {
        model.provenance.clone()
    } else {
        format!("{}.gguf", model.id)
    };
    let cmds = commands(&path, &s, hosts, profile.ctx, profile.n_seq);
    let max_ctx = max_context(
        &model.spec,
        &model.weights,
        &settings,
        &devices,
        ts,
        host_device,
        model.spec.native_ctx.max(ctx),
    );
    let speed = hardware.as_ref().map(|hw| {
        let basis = cabe_engine::SpeedBasis::catalog(hw, Some(hw.id.clone()));
        speed(
            &basis,
            &model.spec,
            &model.weights,
            &profile,
            hosts,
            link,
            a.prompt_tokens.unwrap_or(ctx.min(4096)),
        )
    });
    let report = PlanReport {
        engine: Engine::LlamaCpp,
        engine_why: LLAMA_WHY,
        max_ctx,
        speed,
        model: serde_json::json!({"id": model.id, "name": model.display_name, "quant": model.quant}),
        machine,
        hosts,
        ctx,
        runtime: settings.runtime,
        split: s,
        decode,
        commands: cmds,
    };
    Ok(Report::Llama(Box::new(report)))
}

fn print_human(a: &PlanArgs, r: &PlanReport) {
    println!(
        "{} {} at {} tokens on {}",
        r.model["name"].as_str().unwrap_or(""),
        r.model["quant"].as_str().unwrap_or(""),
        fmt_int(r.ctx),
        r.machine
    );
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "device", "layers", "weights", "KV cache", "compute", "host", "total", "capacity",
        "headroom",
    ]);
    for d in &r.split.devices {
        let layers = match d.layers {
            Some((a, b)) => format!("{a}–{b}{}", if d.output { " + output" } else { "" }),
            None if d.output => "output".into(),
            None => "none".into(),
        };
        let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
        t.add_row(vec![
            Cell::new(&d.device.name),
            Cell::new(layers),
            right(fmt_bytes(d.weight_bytes)),
            right(fmt_bytes(d.kv_bytes)),
            right(fmt_bytes(d.compute_bytes)),
            right(fmt_bytes(d.host_bytes)),
            right(fmt_bytes(d.total_bytes)),
            right(fmt_bytes(d.device.capacity_bytes)),
            right(fmt_signed_bytes(d.headroom_bytes)),
        ]);
    }
    println!("{t}");
    println!(
        "host (the machine running llama-server): token embedding {} + logits {} in its RAM",
        fmt_bytes(r.split.host.weight_bytes),
        fmt_bytes(r.split.host.output_bytes)
    );
    let shares: Vec<String> = r
        .split
        .tensor_split
        .iter()
        .map(|x| format!("{:.0}%", x * 100.0))
        .collect();
    println!(
        "split: {} ({})",
        shares.join(" / "),
        if a.tensor_split.is_empty() {
            "llama.cpp's default: in proportion to each device's free memory"
        } else {
            "--tensor-split"
        }
    );
    match r.max_ctx {
        Some(c) => println!(
            "largest context that fits every device: {} tokens per sequence",
            fmt_int(c)
        ),
        None => println!("largest context that fits every device: none (not even 256 tokens)"),
    }
    if r.split.fits {
        println!("verdict: fits on every device");
    } else {
        let short: Vec<&str> = r
            .split
            .devices
            .iter()
            .filter(|d| d.headroom_bytes < 0)
            .map(|d| d.device.name.as_str())
            .collect();
        println!(
            "verdict: does not fit: {} short (a shorter --ctx, a smaller --quant, --kv-type q8_0, or another --tensor-split)",
            short.join(", ")
        );
    }
    match (&r.decode.ceiling_tps, &r.decode.link) {
        _ if r.speed.as_ref().is_some_and(|s| s.decode.is_some()) => {}
        (Some(c), Some(l)) => println!(
            "decode ceiling: {c:.1} tok/s (memory {:.1} ms + link {:.2} ms per token: {} crossing(s) × 2 × ({} B at {} Gbit/s + {} µs))",
            r.decode.memory_seconds_per_token.unwrap_or(0.0) * 1e3,
            l.seconds_per_token * 1e3,
            l.crossings,
            fmt_int(l.bytes_per_crossing),
            l.link_gbps,
            l.latency_us
        ),
        (Some(c), None) if r.hosts > 1 => println!(
            "decode ceiling: {c:.1} tok/s from memory alone; give --link ID (cabe plan --help) or --link-gbps for the link's share"
        ),
        (Some(c), None) => println!(
            "decode ceiling: {c:.1} tok/s (each device reads its layers in turn)"
        ),
        (None, _) => println!("decode ceiling: unknown (a device's bandwidth is unknown; --bandwidth)"),
    }
    if let Some(sp) = &r.speed {
        if let Some(d) = &sp.decode {
            println!(
                "decode: {:.1}–{:.1} tok/s (typical {:.1}; ceiling {:.1}){}",
                d.low,
                d.high,
                d.typical,
                d.bound,
                match &sp.link {
                    Some(l) => format!(
                        ", the link adding {:.2} ms per token",
                        l.seconds_per_token * 1e3
                    ),
                    None => String::new(),
                }
            );
        }
        if let (Some(p), Some(t)) = (&sp.prefill, &sp.ttft_s) {
            println!(
                "prefill of {} tokens: {:.0}–{:.0} tok/s, first token in {} (typical){}",
                fmt_int(sp.prompt_tokens),
                p.low,
                p.high,
                cabe_core::speed::fmt_seconds(t.typical),
                if sp.link_prefill_seconds_per_token > 0.0 {
                    format!(
                        ", the link adding {:.3} ms per prompt token",
                        sp.link_prefill_seconds_per_token * 1e3
                    )
                } else {
                    String::new()
                }
            );
        }
    }
    println!("engine: llama.cpp ({})", r.engine_why);
    println!();
    println!("commands:");
    for c in &r.commands {
        println!("{c}");
    }
    if a.output.explain {
        println!();
        println!("how: llama.cpp's layer split (src/llama-model.cpp load_tensors): layer i of n+1 (the last is the output layer) goes to the first device whose cumulative share exceeds i/(n+1); each layer's KV cache sits with it; the token embedding stays on the host's CPU; each device reserves the attention/FFN peaks of its layers, the output device the logits peak too.");
    }
}

#[derive(Serialize)]
struct VllmReport {
    engine: Engine,
    engine_why: &'static str,
    model: serde_json::Value,
    machine: String,
    weights: &'static str,
    #[serde(flatten)]
    plan: VllmPlan,
    commands: Vec<String>,
}

/// `--engine vllm`: vLLM's start-up checks, then each stage's memory per GPU and the commands.
fn vllm_report(
    a: &PlanArgs,
    model: &crate::resolve::ResolvedModel,
    devices: &[Device],
    hardware: Option<&cabe_core::hardware::HardwareSpec>,
    hosts: u32,
    machine: &str,
) -> Result<(VllmReport, u64)> {
    if model.is_file() {
        bail!("--engine vllm plans a catalog model (vLLM loads its Hugging Face checkpoint, not a GGUF)");
    }
    let per_node = (devices.len() as u32 / hosts.max(1)).max(1);
    let tp = a.tp.unwrap_or(per_node);
    let pp = a.pp.unwrap_or(hosts.max(1));
    if tp * pp != devices.len() as u32 && a.tp.is_none() && a.pp.is_none() {
        bail!("cannot infer the tensor and pipeline sizes; give --tp and --pp");
    }
    vllm::check(&model.spec, tp, pp).map_err(anyhow::Error::msg)?;
    // --gpu-memory-utilization is a share of each GPU's whole memory.
    let gpu = match hardware {
        Some(hw) if hw.kind == cabe_core::hardware::MemoryKind::DiscreteGpu => {
            hw.vram_bytes / hw.gpu_count.max(1) as u64
        }
        _ => devices.iter().map(|d| d.capacity_bytes).min().unwrap_or(0),
    };
    let ctx = match a.ctx {
        CtxChoice::Tokens(n) => n,
        _ => model.spec.native_ctx.max(256),
    };
    let n_seq = a.runtime.settings().parallel.max(1) as u64;
    // vLLM serves the Hugging Face checkpoint: 16-bit unless a quantized one is chosen.
    let w = cabe_core::weights::for_file_type(&model.spec, cabe_core::quant::FileType::BF16);
    let plan = vllm::plan(&model.spec, &w, tp, pp, gpu, ctx * n_seq);
    let hf = cabe_catalog::find_model(&model.id)
        .map(|e| e.hf_id.clone())
        .unwrap_or_else(|_| model.id.clone());
    let cmds = vllm::commands(&hf, &plan, ctx);
    let report = VllmReport {
        engine: Engine::Vllm,
        engine_why: "vLLM (asked for): CUDA/ROCm GPUs, tensor parallel inside a node, pipeline parallel across nodes on Ray",
        model: serde_json::json!({"id": model.id, "name": model.display_name, "hf_id": hf}),
        machine: machine.to_string(),
        weights: "BF16 checkpoint",
        plan,
        commands: cmds,
    };
    Ok((report, ctx))
}

fn print_vllm(report: &VllmReport, name: &str, ctx: u64) {
    let machine = &report.machine;
    let p = &report.plan;
    println!(
        "{} (BF16) with vLLM on {}: tensor parallel {} × pipeline parallel {}, {} KV head(s) per GPU, --max-model-len {}",
        name,
        machine,
        p.tensor_parallel,
        p.pipeline_parallel,
        p.kv_heads_per_gpu,
        fmt_int(ctx)
    );
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "stage",
        "layers",
        "weights / GPU",
        "KV / GPU",
        "budget (0.9)",
        "headroom",
        "KV tokens",
    ]);
    for (i, s) in p.stages.iter().enumerate() {
        let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
        t.add_row(vec![
            Cell::new(format!("node {i}")),
            Cell::new(format!("{}–{}", s.layers.0, s.layers.1)),
            right(fmt_bytes(s.weight_bytes)),
            right(fmt_bytes(s.kv_bytes)),
            right(fmt_bytes(s.budget_bytes)),
            right(fmt_signed_bytes(s.headroom_bytes)),
            right(fmt_int(s.kv_tokens)),
        ]);
    }
    println!("{t}");
    println!(
        "verdict: {}; the longest --max-model-len every stage holds: {}",
        if p.fits {
            "vLLM starts"
        } else {
            "vLLM refuses: the KV cache does not hold --max-model-len"
        },
        fmt_int(p.max_model_len)
    );
    for n in &p.notes {
        println!("note: {n}");
    }
    println!();
    println!("commands:");
    for c in &report.commands {
        println!("{c}");
    }
}
