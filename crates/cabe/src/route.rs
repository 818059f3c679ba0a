//! `cabe route`: which tasks of a workload run locally and which go to a hosted model, and what
//! that costs a month, decided by the engine (`cabe_engine::route`); this file reads the
//! workload and the cloud prices, and prints.

use crate::cli::{MachineArgs, OutputArgs, RuntimeArgs};
use anyhow::{bail, Context, Result};
use cabe_catalog::cloud::{cloud_models, parse_cloud, CloudModel};
use cabe_core::plan::DEFAULT_OS_RESERVE;
use cabe_core::speed::fmt_seconds;
use cabe_core::units::{fmt_int, parse_size};
use cabe_engine::route::{route, Local, Place, RouteReport, Task, TaskRoute};
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use std::io::Read;
use std::path::PathBuf;

/// The largest cloud-prices file read.
const MAX_CLOUD_FILE_BYTES: u64 = 256 * 1024;

#[derive(Args, Debug)]
pub struct RouteArgs {
    /// The local model: a catalog id or alias (see `cabe models`), or a GGUF file or URL.
    #[arg(long, value_name = "ID")]
    pub model: String,
    /// Whole-file quantization for a catalog model (Q4_K_M, Q8_0, …). Default Q4_K_M.
    #[arg(long, short = 'q')]
    pub quant: Option<String>,
    /// The tasks, JSON Lines: {"name", "prompt_tokens", "output_tokens", "private",
    /// "deadline" or "timeout" (seconds or "5m"), "per_day"} a line (at most 1,000 lines, 1 MiB).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["prompt_tokens", "private", "deadline", "timeout", "per_day", "name"])]
    pub workload: Option<PathBuf>,
    /// One task class instead of a file: its prompt size in tokens.
    #[arg(long, value_name = "N", value_parser = crate::flags::tokens)]
    pub prompt_tokens: Option<u64>,
    /// Its answer size in tokens.
    #[arg(long, value_name = "N", default_value = "1024", value_parser = crate::flags::tokens)]
    pub output_tokens: u64,
    /// It must never leave this machine.
    #[arg(long)]
    pub private: bool,
    /// The whole answer is wanted within this time (e.g. 10m).
    #[arg(long, value_name = "DURATION", value_parser = crate::flags::duration)]
    pub deadline: Option<f64>,
    /// The client gives up when the first token takes longer (e.g. 300s).
    #[arg(long, value_name = "DURATION", value_parser = crate::flags::duration)]
    pub timeout: Option<f64>,
    /// How many times a day it runs.
    #[arg(long, value_name = "N", default_value_t = 1.0, allow_hyphen_values = true, value_parser = per_day)]
    pub per_day: f64,
    /// Its name in the output.
    #[arg(long, default_value = "task")]
    pub name: String,
    /// A measured prefill rate in tokens/s for this machine, used instead of the prediction
    /// (for a machine whose compute cabe does not know).
    #[arg(long, value_name = "TOK_PER_S", allow_hyphen_values = true, value_parser = crate::flags::rate)]
    pub prefill_rate: Option<f64>,
    /// Hosted models allowed (ids from data/cloud.toml, comma-separated); default: all.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub cloud: Vec<String>,
    /// Hosted models and prices from this file (data/cloud.toml's format) instead of the
    /// built-in ones.
    #[arg(long, value_name = "FILE")]
    pub cloud_prices: Option<PathBuf>,
    #[command(flatten)]
    pub machine: MachineArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn per_day(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && (0.0..=crate::workload_file::MAX_PER_DAY).contains(&x) => Ok(x),
        _ => Err(format!(
            "'{s}' is not a number of tasks a day (0 to 1,000,000)"
        )),
    }
}

fn tasks(a: &RouteArgs) -> Result<Vec<Task>> {
    if let Some(path) = &a.workload {
        return crate::workload_file::read(path).map_err(anyhow::Error::msg);
    }
    let Some(prompt) = a.prompt_tokens else {
        bail!("give --workload FILE, or one task class with --prompt-tokens N");
    };
    Ok(vec![Task {
        name: a.name.clone(),
        prompt_tokens: prompt,
        output_tokens: a.output_tokens,
        private: a.private,
        deadline_s: a.deadline,
        timeout_s: a.timeout,
        per_day: a.per_day,
    }])
}

/// The hosted models allowed: the built-in catalog or `--cloud-prices`, filtered by `--cloud`.
fn cloud(a: &RouteArgs) -> Result<Vec<CloudModel>> {
    let all = match &a.cloud_prices {
        None => cloud_models().to_vec(),
        Some(p) => {
            let shown = p.display();
            let meta = std::fs::metadata(p).with_context(|| format!("--cloud-prices {shown}"))?;
            if !meta.is_file() {
                bail!("--cloud-prices {shown} is not a file");
            }
            let mut buf = Vec::new();
            std::fs::File::open(p)
                .and_then(|f| f.take(MAX_CLOUD_FILE_BYTES + 1).read_to_end(&mut buf))
                .with_context(|| format!("--cloud-prices {shown}"))?;
            if buf.len() as u64 > MAX_CLOUD_FILE_BYTES {
                bail!("--cloud-prices {shown} is over the 256 KiB cap");
            }
            let text = String::from_utf8(buf)
                .map_err(|_| anyhow::anyhow!("--cloud-prices {shown} is not UTF-8 text"))?;
            parse_cloud(&text).map_err(|e| anyhow::anyhow!("--cloud-prices {shown}: {e}"))?
        }
    };
    if a.cloud.is_empty() {
        return Ok(all);
    }
    let mut picked = Vec::new();
    for id in &a.cloud {
        let id = id.trim().to_ascii_lowercase();
        match all.iter().find(|m| m.id == id) {
            Some(m) => picked.push(m.clone()),
            None => {
                let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
                bail!(
                    "--cloud: unknown hosted model '{id}' (one of: {})",
                    ids.join(", ")
                )
            }
        }
    }
    Ok(picked)
}

/// What `cabe route --json` prints for these arguments.
pub fn json(a: &RouteArgs) -> Result<serde_json::Value> {
    let (model, machine, r) = compute(a)?;
    to_json(a, &model, &machine, &r)
}

fn to_json(
    a: &RouteArgs,
    model: &crate::resolve::ResolvedModel,
    machine: &crate::machine::Machine,
    r: &RouteReport,
) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(r)?;
    v["model"] = serde_json::json!({
        "id": model.id,
        "name": model.display_name,
        "quant": model.quant,
    });
    v["machine"] = serde_json::json!(machine.description);
    v["runtime"] = serde_json::json!(a.runtime.runtime);
    Ok(v)
}

fn compute(
    a: &RouteArgs,
) -> Result<(
    crate::resolve::ResolvedModel,
    crate::machine::Machine,
    RouteReport,
)> {
    let tasks = tasks(a)?;
    let cloud = cloud(a)?;
    let model = crate::resolve::model(&a.model, a.quant.as_deref())?;
    let machine = crate::machine::resolve(&a.machine)?;
    let (basis, _) = crate::calibrate::corrected_basis(&machine);
    let os_reserve = match &a.machine.os_reserve {
        Some(s) => parse_size(s, a.machine.si).map_err(anyhow::Error::msg)?.0,
        None => DEFAULT_OS_RESERVE,
    };
    let local = Local {
        spec: &model.spec,
        weights: &model.weights,
        hardware: &machine.spec,
        capacity: &machine.capacity,
        settings: a.runtime.settings(),
        basis: &basis,
        prefill_rate: a.prefill_rate,
        machines: cabe_catalog::hardware(),
        os_reserve,
    };
    let r = route(&tasks, &local, &cloud).map_err(anyhow::Error::msg)?;
    Ok((model, machine, r))
}

pub fn run(a: &RouteArgs) -> Result<()> {
    let (model, machine, r) = compute(a)?;
    if a.output.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(a, &model, &machine, &r)?)?
        );
        return Ok(());
    }
    println!(
        "routing {} task classes for {} at {} on {}:",
        r.tasks.len(),
        model.display_name,
        model.quant,
        machine.description
    );
    print_table(&r);
    print_why(&r, a.output.explain);
    print_totals(&r);
    println!();
    for n in &r.notes {
        println!("note: {n}");
    }
    Ok(())
}

fn place_cell(t: &TaskRoute) -> String {
    match (t.place, &t.cloud) {
        (Place::Local, _) => "local".into(),
        (Place::Cloud, Some(c)) => format!("cloud: {}", c.id),
        (Place::Cloud, None) => "cloud".into(),
        (Place::NotPlaceable, _) => "not placeable".into(),
    }
}

fn count(x: f64) -> String {
    if x.fract() == 0.0 {
        fmt_int(x as u64)
    } else {
        format!("{x:.2}")
    }
}

fn print_table(r: &RouteReport) {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "task",
        "per day",
        "prompt + answer",
        "private",
        "goes to",
        "local first token",
        "local answer",
        "cloud $/month",
    ]);
    let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
    for x in &r.tasks {
        let local_time = |r: Option<cabe_core::speed::Range>| {
            if x.local.verdict == cabe_core::plan::Verdict::DoesNotFit || !x.local.within_native_ctx
            {
                "does not fit".to_string()
            } else {
                r.map_or("—".into(), |v| fmt_seconds(v.typical))
            }
        };
        t.add_row(vec![
            Cell::new(&x.task.name),
            right(count(x.task.per_day)),
            right(format!(
                "{} + {}",
                fmt_int(x.task.prompt_tokens),
                fmt_int(x.task.output_tokens)
            )),
            Cell::new(if x.task.private { "yes" } else { "no" }),
            Cell::new(place_cell(x)),
            right(local_time(x.local.ttft_s)),
            right(local_time(x.local.total_s)),
            right(
                x.cloud
                    .as_ref()
                    .map_or("—".into(), |c| format!("${:.2}", c.usd_per_month)),
            ),
        ]);
    }
    println!("{t}");
}

fn print_why(r: &RouteReport, explain: bool) {
    for x in &r.tasks {
        println!("  {}: {}", x.task.name, x.why.join("; "));
        if let Some(c) = &x.cloud {
            println!(
                "    {} at ${}/M in, ${}/M out ({} {}); free tier: {}",
                c.id, c.input_usd_per_m, c.output_usd_per_m, c.source, c.date, c.free_tier
            );
        }
        if explain {
            for l in &x.local.lines {
                println!("    local: {l}");
            }
        }
    }
}

fn print_totals(r: &RouteReport) {
    let s = &r.totals;
    println!(
        "totals: {} tasks a day — {} local ({:.0}%), {} to the cloud, {} not placeable",
        count(s.tasks_per_day),
        count(s.local_per_day),
        s.local_share * 100.0,
        count(s.cloud_per_day),
        count(s.not_placeable_per_day)
    );
    println!(
        "private: {} of {} a day kept local (none is ever sent out); cloud cost ${:.2} a month",
        count(s.private_local_per_day),
        count(s.private_per_day),
        s.cloud_usd_per_month
    );
}
