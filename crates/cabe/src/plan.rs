//! `cabe plan`: one model split over several GPUs, or over several machines with llama.cpp's
//! RPC, the way llama.cpp places it (`cabe_engine::split`); this file parses and prints.

use crate::cli::{OutputArgs, RuntimeArgs};
use anyhow::{bail, Context, Result};
use cabe_core::plan::DEFAULT_OS_RESERVE;
use cabe_core::units::parse_size;
use cabe_engine::split::{
    commands, decode_ceiling, devices_of, max_context, speed, split, Device, Split, SplitDecode,
    SplitSpeed,
};
use cabe_engine::vllm::{self, VllmPlan};
use cabe_engine::CtxChoice;
use cabe_i18n::{Arg, Lang};
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
fn units(s: &str, l: Lang) -> Result<(u32, String), String> {
    let t = s.trim();
    let (n, id) = match t.split_once(['x', '×']) {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => (
            n.parse::<u32>()
                .map_err(|_| t!(in l, "plan-err-count", n = n))?,
            rest.trim(),
        ),
        _ => (1, t),
    };
    if !(1..=64).contains(&n) {
        return Err(t!(in l, "plan-err-machines", n = n));
    }
    if id.is_empty() {
        return Err(t!(in l, "plan-err-no-id"));
    }
    Ok((n, id.to_string()))
}

/// `--on`'s one or two words as `(count, id)`; None when `--on` is absent.
fn on_units(words: &[String], l: Lang) -> Result<Option<(u32, String)>> {
    if words.is_empty() {
        return Ok(None);
    }
    units(&words.join(" "), l)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("--on: {e}"))
}

/// One --tensor-split share: a finite number ≥ 0.
fn share(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(t!("plan-err-share", s = s)),
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
    Ok(match report(a, Lang::En)? {
        Report::Llama(r) => serde_json::to_value(&*r)?,
        Report::Vllm(r, ..) => serde_json::to_value(&*r)?,
    })
}

pub fn run(a: &PlanArgs) -> Result<()> {
    // Errors in this run's language; `--json` (and the API, through `json`) keeps English.
    let l = if a.output.json {
        Lang::En
    } else {
        crate::i18n::lang()
    };
    let r = report(a, l)?;
    if a.output.json {
        let v = match &r {
            Report::Llama(r) => serde_json::to_value(r)?,
            Report::Vllm(r, ..) => serde_json::to_value(r)?,
        };
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    match &r {
        Report::Llama(r) => print_human(a, r, l),
        Report::Vllm(r, name, ctx) => {
            print_vllm(r, name, &machine_words(a, &r.machine, l), *ctx, l)
        }
    }
    Ok(())
}

fn report(a: &PlanArgs, l: Lang) -> Result<Report> {
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
        match (on_units(&a.on, l)?, a.devices.is_empty()) {
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
                        capacity_bytes: bytes.saturating_sub(cabe_core::plan::reserve::GPU_DRIVER),
                        bandwidth_gbps: a.bandwidth.unwrap_or(0.0),
                    });
                }
                (
                    d,
                    None,
                    1,
                    format!("{} GPUs given by --devices", a.devices.len()),
                )
            }
            (None, true) => bail!(t!(in l, "plan-err-which-devices")),
        };
    if a.engine == Engine::Vllm {
        let (r, ctx) = vllm_report(a, &model, &devices, hardware.as_ref(), hosts, &machine, l)?;
        return Ok(Report::Vllm(Box::new(r), model.display_name.clone(), ctx));
    }
    let settings = a.runtime.settings();
    settings.check(&model.spec).map_err(anyhow::Error::msg)?;
    let ctx = match a.ctx {
        CtxChoice::Tokens(n) => n,
        CtxChoice::Native | CtxChoice::Max if model.spec.native_ctx > 0 => model.spec.native_ctx,
        _ => bail!(t!(in l, "plan-err-native")),
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
    .map_err(|e| anyhow::Error::msg(split_error(e, ts, devices.len(), l)))?;
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

/// The machine as the title names it: `--devices`'s count in `l`, a catalog machine's name.
fn machine_words(a: &PlanArgs, machine: &str, l: Lang) -> String {
    if a.on.is_empty() && !a.devices.is_empty() {
        t!(in l, "plan-machine-devices", n = a.devices.len())
    } else {
        machine.to_string()
    }
}

/// A device's name in `l`: the engine's `host N (rpc-server): ` / `host N (llama-server): `
/// prefix worded again.
fn device_name(name: &str, l: Lang) -> String {
    let Some(rest) = name.strip_prefix("host ") else {
        return name.to_string();
    };
    let Some((n, rest)) = rest.split_once(' ') else {
        return name.to_string();
    };
    let Ok(n) = n.parse::<u32>() else {
        return name.to_string();
    };
    if let Some(hw) = rest.strip_prefix("(rpc-server): ") {
        t!(in l, "plan-device-host-rpc", n = n, name = hw)
    } else if let Some(hw) = rest.strip_prefix("(llama-server): ") {
        t!(in l, "plan-device-host-server", n = n, name = hw)
    } else {
        name.to_string()
    }
}

/// A command as printed: its leading `# on host N …` comment (the engine's English) worded
/// in `l`; the command itself as it is.
fn command_words(c: &str, l: Lang) -> String {
    let (first, rest) = match c.split_once('\n') {
        Some((f, r)) => (f, Some(r)),
        None => (c, None),
    };
    let Some(comment) = first.strip_prefix("# ") else {
        return c.to_string();
    };
    let number = |s: &str| s.parse::<u32>().ok();
    let worded = if comment == "on the head node" {
        Some(t!(in l, "plan-vllm-cmd-head"))
    } else if comment == "on the head node, once every node has joined (ray status)" {
        Some(t!(in l, "plan-vllm-cmd-joined"))
    } else if let Some(n) = comment.strip_prefix("on node ").and_then(number) {
        Some(t!(in l, "plan-vllm-cmd-node", n = n))
    } else if let Some(h) = comment.strip_prefix("on host ") {
        match h.split_once(' ') {
            Some((n, "(a trusted network only: rpc-server has no authentication)")) => {
                number(n).map(|n| t!(in l, "plan-cmd-rpc-host", n = n))
            }
            None => number(h).map(|n| t!(in l, "plan-cmd-head-host", n = n)),
            _ => None,
        }
    } else {
        None
    };
    match (worded, rest) {
        (Some(w), Some(r)) => format!("{w}\n{r}"),
        (Some(w), None) => w,
        (None, _) => c.to_string(),
    }
}

/// A figure as Rust's `{}` writes an `f64` (`200`, `12.5`), in `l`'s numbers.
fn plain(x: f64, l: Lang) -> String {
    let s = format!("{x}");
    let digits = s.split_once('.').map_or(0, |(_, f)| f.len());
    l.dec(x, digits)
}

fn print_human(a: &PlanArgs, r: &PlanReport, l: Lang) {
    println!(
        "{}",
        t!(
            in l,
            "plan-title",
            model = r.model["name"].as_str().unwrap_or(""),
            quant = r.model["quant"].as_str().unwrap_or(""),
            ctx = r.ctx,
            machine = machine_words(a, &r.machine, l)
        )
    );
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        t!(in l, "plan-col-device"),
        t!(in l, "plan-col-layers"),
        t!(in l, "plan-col-weights"),
        t!(in l, "plan-col-kv"),
        t!(in l, "plan-col-compute"),
        t!(in l, "plan-col-host"),
        t!(in l, "plan-col-total"),
        t!(in l, "plan-col-capacity"),
        t!(in l, "plan-col-headroom"),
    ]);
    for d in &r.split.devices {
        let layers = match d.layers {
            Some((a, b)) => format!(
                "{a}–{b}{}",
                if d.output {
                    t!(in l, "plan-layers-output")
                } else {
                    String::new()
                }
            ),
            None if d.output => t!(in l, "plan-output"),
            None => t!(in l, "plan-none"),
        };
        let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
        t.add_row(vec![
            Cell::new(device_name(&d.device.name, l)),
            Cell::new(layers),
            right(l.bytes(d.weight_bytes)),
            right(l.bytes(d.kv_bytes)),
            right(l.bytes(d.compute_bytes)),
            right(l.bytes(d.host_bytes)),
            right(l.bytes(d.total_bytes)),
            right(l.bytes(d.device.capacity_bytes)),
            right(l.signed_bytes(d.headroom_bytes)),
        ]);
    }
    println!("{t}");
    println!(
        "{}",
        t!(
            in l,
            "plan-host",
            embd = l.bytes(r.split.host.weight_bytes),
            logits = l.bytes(r.split.host.output_bytes)
        )
    );
    let shares: Vec<String> = r
        .split
        .tensor_split
        .iter()
        .map(|x| format!("{}%", l.dec(x * 100.0, 0)))
        .collect();
    println!(
        "{}",
        t!(
            in l,
            "plan-split",
            shares = shares.join(" / "),
            how = if a.tensor_split.is_empty() {
                t!(in l, "plan-split-default")
            } else {
                "--tensor-split".to_string()
            }
        )
    );
    match r.max_ctx {
        Some(c) => println!("{}", t!(in l, "plan-max-ctx", ctx = c)),
        None => println!("{}", t!(in l, "plan-max-ctx-none")),
    }
    if r.split.fits {
        println!("{}", t!(in l, "plan-verdict-fits"));
    } else {
        let short: Vec<String> = r
            .split
            .devices
            .iter()
            .filter(|d| d.headroom_bytes < 0)
            .map(|d| device_name(&d.device.name, l))
            .collect();
        println!(
            "{}",
            t!(in l, "plan-verdict-short", devices = short.join(", "))
        );
    }
    match (&r.decode.ceiling_tps, &r.decode.link) {
        _ if r.speed.as_ref().is_some_and(|s| s.decode.is_some()) => {}
        (Some(c), Some(k)) => println!(
            "{}",
            t!(
                in l,
                "plan-ceiling-link",
                tps = Arg::dec(*c, 1),
                mem_ms = Arg::dec(r.decode.memory_seconds_per_token.unwrap_or(0.0) * 1e3, 1),
                link_ms = Arg::dec(k.seconds_per_token * 1e3, 2),
                crossings = k.crossings,
                bytes = k.bytes_per_crossing,
                gbps = plain(k.link_gbps, l),
                latency = plain(k.latency_us, l)
            )
        ),
        (Some(c), None) if r.hosts > 1 => println!(
            "{}",
            t!(in l, "plan-ceiling-no-link", tps = Arg::dec(*c, 1))
        ),
        (Some(c), None) => println!("{}", t!(in l, "plan-ceiling", tps = Arg::dec(*c, 1))),
        (None, _) => println!("{}", t!(in l, "plan-ceiling-unknown")),
    }
    if let Some(sp) = &r.speed {
        if let Some(d) = &sp.decode {
            println!(
                "{}",
                t!(
                    in l,
                    "plan-decode",
                    low = Arg::dec(d.low, 1),
                    high = Arg::dec(d.high, 1),
                    typical = Arg::dec(d.typical, 1),
                    bound = Arg::dec(d.bound, 1),
                    link = match &sp.link {
                        Some(k) => t!(
                            in l,
                            "plan-decode-link",
                            ms = Arg::dec(k.seconds_per_token * 1e3, 2)
                        ),
                        None => String::new(),
                    }
                )
            );
        }
        if let (Some(p), Some(tt)) = (&sp.prefill, &sp.ttft_s) {
            println!(
                "{}",
                t!(
                    in l,
                    "plan-prefill",
                    tokens = sp.prompt_tokens,
                    low = Arg::dec(p.low, 0),
                    high = Arg::dec(p.high, 0),
                    ttft = seconds(tt.typical, l),
                    link = if sp.link_prefill_seconds_per_token > 0.0 {
                        t!(
                            in l,
                            "plan-prefill-link",
                            ms = Arg::dec(sp.link_prefill_seconds_per_token * 1e3, 3)
                        )
                    } else {
                        String::new()
                    }
                )
            );
        }
    }
    println!("{}", t!(in l, "plan-engine-llama"));
    println!();
    println!("{}", t!(in l, "plan-commands"));
    for c in &r.commands {
        println!("{}", command_words(c, l));
    }
    if a.output.explain {
        println!();
        println!("{}", t!(in l, "plan-explain"));
    }
}

/// Seconds as `cabe_core::speed::fmt_seconds` writes them, in `l`'s numbers.
fn seconds(s: f64, l: Lang) -> String {
    let whole = s.round() as u64;
    if whole >= 60 {
        format!("{} s ({} min {} s)", l.int(whole), whole / 60, whole % 60)
    } else if s >= 10.0 {
        format!("{whole} s")
    } else {
        format!("{} s", l.dec(s, 2))
    }
}

/// A split error of the engine (English) in `l`, from the same checks.
fn split_error(e: String, ts: Option<&[f64]>, devices: usize, l: Lang) -> String {
    if l == Lang::En {
        return e;
    }
    match ts {
        Some(t) if t.len() != devices => {
            t!(in l, "plan-err-split-count", n = t.len(), devices = devices)
        }
        Some(t) if t.iter().any(|x| !x.is_finite() || *x < 0.0) || t.iter().sum::<f64>() <= 0.0 => {
            t!(in l, "plan-err-split-zero")
        }
        _ => e,
    }
}

/// vLLM's refusal (the engine's English) in `l`, from the same checks in the same order.
fn vllm_error(e: String, m: &cabe_core::model::ModelSpec, tp: u32, pp: u32, l: Lang) -> String {
    use cabe_core::model::LayerKind;
    if l == Lang::En {
        return e;
    }
    let heads = m.max_n_head();
    let kv = m.max_n_head_kv();
    if tp == 0 || pp == 0 {
        t!(in l, "plan-err-vllm-zero")
    } else if m.ssm.is_some() || m.layers.iter().any(|x| x.kind == LayerKind::Recurrent) {
        t!(in l, "plan-err-vllm-recurrent", model = &m.name)
    } else if !heads.is_multiple_of(tp) {
        t!(in l, "plan-err-vllm-heads", heads = heads, tp = tp)
    } else if m.mla.is_none() && tp >= kv && !tp.is_multiple_of(kv) {
        t!(in l, "plan-err-vllm-replicate", tp = tp, kv = kv)
    } else if m.mla.is_none() && tp < kv && !kv.is_multiple_of(tp) {
        t!(in l, "plan-err-vllm-divide", tp = tp, kv = kv)
    } else if pp > m.n_layer() {
        t!(in l, "plan-err-vllm-pp", pp = pp, layers = m.n_layer())
    } else {
        e
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
    l: Lang,
) -> Result<(VllmReport, u64)> {
    if model.is_file() {
        bail!(t!(in l, "plan-err-vllm-file"));
    }
    let per_node = (devices.len() as u32 / hosts.max(1)).max(1);
    let tp = a.tp.unwrap_or(per_node);
    let pp = a.pp.unwrap_or(hosts.max(1));
    if tp * pp != devices.len() as u32 && a.tp.is_none() && a.pp.is_none() {
        bail!(t!(in l, "plan-err-vllm-sizes"));
    }
    vllm::check(&model.spec, tp, pp)
        .map_err(|e| anyhow::Error::msg(vllm_error(e, &model.spec, tp, pp, l)))?;
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

fn print_vllm(report: &VllmReport, name: &str, machine: &str, ctx: u64, l: Lang) {
    let p = &report.plan;
    println!(
        "{}",
        t!(
            in l,
            "plan-vllm-title",
            model = name,
            machine = machine,
            tp = p.tensor_parallel,
            pp = p.pipeline_parallel,
            heads = p.kv_heads_per_gpu,
            ctx = ctx
        )
    );
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        t!(in l, "plan-vllm-col-stage"),
        t!(in l, "plan-col-layers"),
        t!(in l, "plan-vllm-col-weights"),
        t!(in l, "plan-vllm-col-kv"),
        t!(in l, "plan-vllm-col-budget"),
        t!(in l, "plan-col-headroom"),
        t!(in l, "plan-vllm-col-kv-tokens"),
    ]);
    for (i, s) in p.stages.iter().enumerate() {
        let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
        t.add_row(vec![
            Cell::new(t!(in l, "plan-vllm-node", n = i)),
            Cell::new(format!("{}–{}", s.layers.0, s.layers.1)),
            right(l.bytes(s.weight_bytes)),
            right(l.bytes(s.kv_bytes)),
            right(l.bytes(s.budget_bytes)),
            right(l.signed_bytes(s.headroom_bytes)),
            right(l.int(s.kv_tokens)),
        ]);
    }
    println!("{t}");
    println!(
        "{}",
        t!(
            in l,
            "plan-vllm-verdict",
            fits = if p.fits { "yes" } else { "no" },
            len = p.max_model_len
        )
    );
    // The engine's two notes (`vllm::plan`), by what they say.
    for n in &p.notes {
        let worded = if n.starts_with("vLLM profiles its activation peak") {
            t!(in l, "plan-vllm-note-profile")
        } else if n.starts_with("sliding-window layers") {
            t!(in l, "plan-vllm-note-swa")
        } else {
            format!("note: {n}")
        };
        println!("{worded}");
    }
    println!();
    println!("{}", t!(in l, "plan-commands"));
    for c in &report.commands {
        println!("{}", command_words(c, l));
    }
}
