//! `cabe route`: which tasks of a workload run locally and which go to a hosted model, and what
//! that costs a month, decided by the engine (`cabe_engine::route`); this file reads the
//! workload and the cloud prices, and prints.

use crate::cli::{MachineArgs, OutputArgs, RuntimeArgs};
use anyhow::{bail, Context, Result};
use cabe_catalog::cloud::{cloud_models, parse_cloud, CloudModel};
use cabe_core::plan::Verdict;
use cabe_core::plan::DEFAULT_OS_RESERVE;
use cabe_core::units::parse_size;
use cabe_engine::route::{route, Local, Place, RouteReport, Task, TaskRoute, DAYS_PER_MONTH};
use cabe_engine::speed::BasisNote;
use cabe_i18n::{Arg, Lang};
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
        _ => Err(t!("route-err-per-day", value = s)),
    }
}

fn tasks(a: &RouteArgs) -> Result<Vec<Task>> {
    if let Some(path) = &a.workload {
        return crate::workload_file::read(path).map_err(anyhow::Error::msg);
    }
    let Some(prompt) = a.prompt_tokens else {
        bail!(t!("route-err-no-tasks"));
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
                bail!(t!("route-err-not-file", path = shown.to_string()));
            }
            let mut buf = Vec::new();
            std::fs::File::open(p)
                .and_then(|f| f.take(MAX_CLOUD_FILE_BYTES + 1).read_to_end(&mut buf))
                .with_context(|| format!("--cloud-prices {shown}"))?;
            if buf.len() as u64 > MAX_CLOUD_FILE_BYTES {
                bail!(t!("route-err-cap", path = shown.to_string()));
            }
            let text = String::from_utf8(buf)
                .map_err(|_| anyhow::anyhow!(t!("route-err-utf8", path = shown.to_string())))?;
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
                bail!(t!(
                    "route-err-unknown-cloud",
                    id = &id,
                    ids = ids.join(", ")
                ))
            }
        }
    }
    Ok(picked)
}

/// What `cabe route --json` prints for these arguments.
pub fn json(a: &RouteArgs) -> Result<serde_json::Value> {
    let (model, machine, r, _) = compute(a)?;
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
    Vec<BasisNote>,
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
    Ok((model, machine, r, basis.notes.clone()))
}

pub fn run(a: &RouteArgs) -> Result<()> {
    let (model, machine, r, notes) = compute(a)?;
    if a.output.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(a, &model, &machine, &r)?)?
        );
        return Ok(());
    }
    let l = crate::i18n::lang();
    println!(
        "{}",
        t!(
            "route-header",
            // English has always written the count ungrouped (1000).
            n = match l {
                Lang::En => Arg::from(r.tasks.len().to_string()),
                _ => Arg::from(r.tasks.len()),
            },
            model = &model.display_name,
            quant = &model.quant,
            machine = &machine.local
        )
    );
    print_table(&r);
    let words = Words {
        model: &model,
        hardware_id: &machine.spec.id,
        ubatch: a.runtime.settings().ubatch as u64,
        notes: &notes,
    };
    print_why(&r, a.output.explain, &words);
    print_totals(&r);
    println!();
    for n in &r.notes {
        println!("{}", t!("route-note", note = note(n, l)));
    }
    Ok(())
}

/// A report note in `l`: the engine's English, else the message for the note it is.
fn note(n: &str, l: Lang) -> String {
    if l == Lang::En {
        n.to_string()
    } else if n.starts_with("cloud cost:") {
        t!(in l, "route-note-cost", days = l.trim(DAYS_PER_MONTH))
    } else if n.starts_with("private tasks are never routed out") {
        t!(in l, "route-note-private")
    } else if n.starts_with("no hosted model allowed") {
        t!(in l, "route-note-no-cloud")
    } else {
        n.to_string()
    }
}

fn place_cell(t: &TaskRoute) -> String {
    match (t.place, &t.cloud) {
        (Place::Local, _) => t!("route-place-local"),
        (Place::Cloud, Some(c)) => t!("route-place-cloud-to", id = &c.id),
        (Place::Cloud, None) => t!("route-place-cloud"),
        (Place::NotPlaceable, _) => t!("route-place-none"),
    }
}

fn count(x: f64) -> String {
    let l = crate::i18n::lang();
    if x.fract() == 0.0 {
        l.int(x as u64)
    } else {
        fixed(x, 2)
    }
}

/// `x` with `d` decimals: as English output always wrote it (ungrouped), else in this run's
/// numbers.
fn fixed(x: f64, d: usize) -> String {
    match crate::i18n::lang() {
        Lang::En => format!("{x:.d$}"),
        l => l.dec(x, d),
    }
}

/// `x` as Rust writes an `f64` (`0.3`, `15`), in this run's numbers.
fn plain(x: f64) -> String {
    let digits = format!("{x}").split_once('.').map_or(0, |(_, f)| f.len());
    fixed(x, digits)
}

fn print_table(r: &RouteReport) {
    let l = crate::i18n::lang();
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        t!("route-col-task"),
        t!("route-col-per-day"),
        t!("route-col-tokens"),
        t!("route-col-private"),
        t!("route-col-goes-to"),
        t!("route-col-ttft"),
        t!("route-col-answer"),
        t!("route-col-cost"),
    ]);
    let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
    for x in &r.tasks {
        let local_time = |r: Option<cabe_core::speed::Range>| {
            if x.local.verdict == Verdict::DoesNotFit || !x.local.within_native_ctx {
                t!("route-no-fit")
            } else {
                r.map_or("—".into(), |v| crate::speed_text::seconds(v.typical, l))
            }
        };
        t.add_row(vec![
            Cell::new(&x.task.name),
            right(count(x.task.per_day)),
            right(format!(
                "{} + {}",
                l.int(x.task.prompt_tokens),
                l.int(x.task.output_tokens)
            )),
            Cell::new(if x.task.private {
                t!("route-yes")
            } else {
                t!("route-no")
            }),
            Cell::new(place_cell(x)),
            right(local_time(x.local.ttft_s)),
            right(local_time(x.local.total_s)),
            right(
                x.cloud
                    .as_ref()
                    .map_or("—".into(), |c| format!("${}", fixed(c.usd_per_month, 2))),
            ),
        ]);
    }
    println!("{t}");
}

/// Why a task goes where it goes, in `l`: the engine's words in English, else worded again
/// from the route's figures as the engine decides it (the engine's, should they not match).
fn why(x: &TaskRoute, native_ctx: u64, l: Lang) -> Vec<String> {
    if l == Lang::En {
        return x.why.clone();
    }
    let run = &x.local;
    let secs = |s: f64| crate::speed_text::seconds(s, l);
    let tokens = l.int(run.ctx);
    let mut out = Vec::new();
    if run.holds() {
        out.push(if run.verdict == Verdict::FitsWithOffload {
            t!(in l, "route-why-offload", tokens = &tokens)
        } else {
            t!(in l, "route-why-fits", tokens = &tokens)
        });
    } else if let Some(f) = &x.why_fix {
        let fix = if !run.within_native_ctx {
            t!(
                in l,
                "route-fix-native",
                ctx = l.int(run.ctx),
                native = l.int(native_ctx)
            )
        } else {
            let mut parts = vec![t!(
                in l,
                "route-fix-needs",
                total = l.bytes(run.total_bytes),
                usable = l.bytes(run.usable_bytes)
            )];
            parts.push(match (&f.change, f.change_headroom_bytes) {
                (Some(flag), Some(h)) => {
                    t!(in l, "route-fix-change", flag = flag, spare = l.signed_bytes(h))
                }
                _ => t!(in l, "route-fix-no-change"),
            });
            if let Some(m) = &f.machine {
                parts.push(t!(
                    in l,
                    "route-fix-machine",
                    id = m,
                    price = l.int(f.machine_usd.unwrap_or(0.0).round() as u64)
                ));
            }
            parts.join("; ")
        };
        out.push(t!(in l, "route-why-no-fit", fix = fix));
    }
    if run.holds() {
        if let (Some(limit), Some(ok), Some(t1)) = (x.task.timeout_s, run.meets_timeout, run.ttft_s)
        {
            out.push(t!(
                in l,
                "route-why-timeout",
                time = secs(t1.typical),
                ok = if ok { "yes" } else { "no" },
                limit = secs(limit)
            ));
        }
        if let (Some(limit), Some(ok), Some(tt)) =
            (x.task.deadline_s, run.meets_deadline, run.total_s)
        {
            out.push(t!(
                in l,
                "route-why-deadline",
                time = secs(tt.typical),
                ok = if ok { "yes" } else { "no" },
                limit = secs(limit)
            ));
        }
    }
    if x.task.private {
        if run.holds() {
            out.push(t!(in l, "route-why-private-local"));
            if !run.in_time() {
                out.push(t!(in l, "route-why-private-late"));
            }
        } else {
            out.push(t!(in l, "route-why-private-none"));
        }
    } else if !(run.holds() && run.in_time()) {
        match &x.cloud {
            Some(c) => out.push(t!(
                in l,
                "route-why-sent",
                id = &c.id,
                provider = &c.provider,
                tokens = &tokens,
                window = l.int(c.context_tokens),
                cost = Arg::dec(c.usd_per_task, 4)
            )),
            None if run.holds() => out.push(t!(in l, "route-why-no-cloud-local", tokens = &tokens)),
            None => out.push(t!(in l, "route-why-no-cloud", tokens = &tokens)),
        }
    }
    if out.len() != x.why.len() {
        return x.why.clone();
    }
    out
}

/// What `--explain`'s local lines are worded again from, beside the report.
struct Words<'a> {
    model: &'a crate::resolve::ResolvedModel,
    hardware_id: &'a str,
    ubatch: u64,
    /// The speed basis's notes, which the engine put first in each speed report.
    notes: &'a [BasisNote],
}

/// The local run's memory and speed lines in `l`: the engine's in English, else worded again
/// from the assessment it keeps (the engine's, should the count not match).
fn local_lines(x: &TaskRoute, w: &Words, l: Lang) -> Vec<String> {
    if l == Lang::En {
        return x.local.lines.clone();
    }
    let a = &x.local.assessment;
    let plan = &a.memory.plan;
    let mut out = crate::explain_text::totals_lines(plan, l);
    if let Some(s) = &a.speed {
        let experts = plan.memory.cpu_experts;
        let c = crate::speed_text::Context {
            notes: w.notes,
            correction: None,
            ubatch: w.ubatch,
            hardware_id: w.hardware_id,
            spec: &w.model.spec,
            weights: &w.model.weights,
            profile: &a.memory.profile,
            cpu_expert_layers: if experts.bytes > 0 { experts.layers } else { 0 },
        };
        out.extend(crate::speed_text::lines(s, &c, l));
    }
    if let (Some(d), None) = (x.task.deadline_s, x.local.total_s) {
        out.push(t!(
            in l,
            "route-local-deadline-unknown",
            time = crate::speed_text::seconds(d, l)
        ));
    }
    if out.len() != x.local.lines.len() {
        return x.local.lines.clone();
    }
    out
}

fn print_why(r: &RouteReport, explain: bool, w: &Words) {
    let l = crate::i18n::lang();
    for x in &r.tasks {
        println!(
            "  {}: {}",
            x.task.name,
            why(x, w.model.spec.native_ctx, l).join("; ")
        );
        if let Some(c) = &x.cloud {
            println!(
                "{}",
                t!(
                    "route-cloud-rates",
                    id = &c.id,
                    input = plain(c.input_usd_per_m),
                    output = plain(c.output_usd_per_m),
                    source = &c.source,
                    date = &c.date,
                    free = &c.free_tier
                )
            );
        }
        if explain {
            for line in local_lines(x, w, l) {
                println!("{}", t!("route-local-line", line = line));
            }
        }
    }
}

fn print_totals(r: &RouteReport) {
    let s = &r.totals;
    println!(
        "{}",
        t!(
            "route-totals",
            tasks = count(s.tasks_per_day),
            // The number the plural is chosen by: a fraction of a task is plural.
            n = if s.tasks_per_day == 1.0 {
                Arg::from(1u32)
            } else {
                Arg::from(2u32)
            },
            local = count(s.local_per_day),
            pct = Arg::dec(s.local_share * 100.0, 0),
            cloud = count(s.cloud_per_day),
            none = count(s.not_placeable_per_day)
        )
    );
    println!(
        "{}",
        t!(
            "route-private-totals",
            kept = count(s.private_local_per_day),
            private = count(s.private_per_day),
            cost = fixed(s.cloud_usd_per_month, 2)
        )
    );
}
