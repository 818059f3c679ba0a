//! `cabe recommend`: what to run on this machine (or a catalog machine, or a memory size),
//! ranked by the engine (`cabe_engine::recommend`); this file parses and prints.

use crate::cli::{MachineArgs, OutputArgs, RuntimeArgs};
use anyhow::{bail, Result};
use cabe_core::units::{fmt_bytes, fmt_int, fmt_signed_bytes};
use cabe_engine::recommend::{recommend, Constraints, Recommendation, Use};
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

#[derive(Args, Debug)]
pub struct RecommendArgs {
    /// What the model is for: general, chat, code, reasoning, long-context, agents. It sets
    /// the context a pick must hold (8K for chat … 128K for long-context) and prefers
    /// families made for it.
    #[arg(long = "use", value_name = "USE", default_value = "general", value_parser = Use::parse)]
    pub use_: Use,
    /// The context every pick must hold, tokens per sequence (default: the use's).
    #[arg(long, value_name = "N")]
    pub min_ctx: Option<u64>,
    /// The slowest typical decode rate to accept, tok/s.
    #[arg(long, value_name = "TOK_PER_S", value_parser = crate::flags::rate)]
    pub min_decode: Option<f64>,
    /// A prompt of N tokens, for --max-ttft and the time-to-first-token column.
    #[arg(long, value_name = "N", value_parser = crate::flags::tokens)]
    pub prompt_tokens: Option<u64>,
    /// The longest typical time to the first token of --prompt-tokens, e.g. 30s.
    #[arg(long, value_name = "DURATION", value_parser = crate::flags::duration, requires = "prompt_tokens")]
    pub max_ttft: Option<f64>,
    /// The largest perplexity increase over F16 a quantization may cost, percent.
    #[arg(long, value_name = "PCT", value_parser = crate::flags::rate)]
    pub max_quality_loss: Option<f64>,
    /// Only models whose family contains this (qwen3, gemma3, llama3.2, …).
    #[arg(long)]
    pub family: Option<String>,
    /// Only models whose licence contains this (apache-2.0, mit, …).
    #[arg(long)]
    pub license: Option<String>,
    /// The machine's memory bandwidth in GB/s, for a machine known only by --memory.
    #[arg(long, value_name = "GB_S", value_parser = crate::flags::rate)]
    pub bandwidth: Option<f64>,
    /// Rows to show.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub machine: MachineArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The object `cabe recommend --json` prints (`cabe serve`'s `/api/recommend` answers with it
/// too).
pub fn json(a: &RecommendArgs) -> Result<serde_json::Value> {
    let (machine, settings, r) = rank(a)?;
    to_json(&machine, &settings, &r)
}

pub fn run(a: &RecommendArgs) -> Result<()> {
    if a.output.json {
        println!("{}", serde_json::to_string_pretty(&json(a)?)?);
        return Ok(());
    }
    let (machine, _, r) = rank(a)?;
    print_human(a, &machine, &r);
    Ok(())
}

fn to_json(
    machine: &crate::machine::Machine,
    settings: &cabe_engine::RuntimeSettings,
    r: &Recommendation,
) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(r)?;
    v["machine"] = serde_json::json!(machine.description);
    v["runtime"] = serde_json::json!(settings.runtime);
    Ok(v)
}

fn rank(
    a: &RecommendArgs,
) -> Result<(
    crate::machine::Machine,
    cabe_engine::RuntimeSettings,
    Recommendation,
)> {
    let mut machine = crate::machine::resolve(&a.machine)?;
    if let Some(bw) = a.bandwidth {
        machine.spec.bandwidth_gbps = bw;
    }
    if let Some(n) = a.min_ctx {
        if !(256..=1 << 26).contains(&n) {
            bail!("--min-ctx must be between 256 and 67,108,864 tokens");
        }
    }
    let settings = a.runtime.settings();
    let (basis, _) = crate::calibrate::corrected_basis(&machine);
    let c = Constraints {
        min_ctx: a.min_ctx,
        min_decode_tps: a.min_decode,
        prompt_tokens: a.prompt_tokens,
        max_ttft_s: a.max_ttft,
        max_quality_loss_pct: a.max_quality_loss,
        family: a.family.clone(),
        license: a.license.clone(),
    };
    let loss = |ft| cabe_catalog::quality::loss(ft).map(|q| q.ppl_increase_pct);
    let r = recommend(
        cabe_catalog::models(),
        &machine.spec,
        &machine.capacity,
        &settings,
        &basis,
        a.use_,
        &c,
        &loss,
        &|m, u| cabe_catalog::uses::suits(&m.family, u.name()),
    );
    Ok((machine, settings, r))
}

fn print_human(a: &RecommendArgs, machine: &crate::machine::Machine, r: &Recommendation) {
    println!(
        "for {} on {} ({} usable), {} tokens of context, {}:",
        r.use_.name(),
        machine.description,
        fmt_bytes(machine.capacity.fast_bytes),
        fmt_int(r.ctx),
        a.runtime.runtime
    );
    if r.picks.is_empty() {
        println!("nothing in the catalog fits with these constraints.");
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        let mut header = vec![
            "#",
            "model",
            "quant",
            "memory",
            "to spare",
            "ctx up to",
            "decode tok/s",
        ];
        if a.prompt_tokens.is_some() {
            header.push("first token");
        }
        header.push("quality");
        t.set_header(header);
        for (i, p) in r.picks.iter().take(a.top).enumerate() {
            let decode = p.decode_tps.map_or("—".to_string(), |d| {
                format!("{:.0}–{:.0} (≤{:.0})", d.low, d.high, d.bound)
            });
            let mut row = vec![
                Cell::new(i + 1),
                Cell::new(&p.model),
                Cell::new(p.quant.name()),
                Cell::new(fmt_bytes(p.total_bytes)).set_alignment(CellAlignment::Right),
                Cell::new(fmt_signed_bytes(p.headroom_bytes)).set_alignment(CellAlignment::Right),
                Cell::new(p.max_ctx.map_or("—".into(), fmt_int))
                    .set_alignment(CellAlignment::Right),
                Cell::new(decode),
            ];
            if a.prompt_tokens.is_some() {
                row.push(Cell::new(p.ttft_s.map_or("—".into(), |t| {
                    cabe_core::speed::fmt_seconds(t.typical)
                })));
            }
            row.push(Cell::new(
                p.quality_loss_pct
                    .map_or("not measured".into(), |l| format!("+{l:.2}% ppl")),
            ));
            t.add_row(row);
        }
        println!("{t}");
        for (i, p) in r.picks.iter().take(a.top.min(3)).enumerate() {
            println!("{}. {}: {}", i + 1, p.name, p.why);
        }
    }
    if !r.near_misses.is_empty() {
        println!();
        println!("near misses (do not fit at any quantization here):");
        for n in r.near_misses.iter().take(5) {
            let change =
                n.change
                    .as_ref()
                    .map_or("no single change makes it fit".to_string(), |c| {
                        format!(
                            "fits with {} ({} to spare)",
                            c.flag,
                            fmt_signed_bytes(c.headroom_bytes)
                        )
                    });
            println!(
                "  {} at {}: {} of {}; {change}",
                n.model,
                n.quant.name(),
                fmt_bytes(n.total_bytes),
                fmt_bytes(n.capacity_bytes)
            );
        }
    }
    if a.output.explain {
        println!();
        println!("ranking (docs/recommend.md): score = log2(effective billions of parameters; a MoE model counts sqrt(total × active))");
        println!(
            "  + 1 if the family is made for {} (data/uses.toml)",
            r.use_.name()
        );
        println!("  − 0.1 × the quantization's perplexity increase over F16 in % (data/quality.toml; unmeasured types count {}%)", cabe_engine::recommend::UNMEASURED_LOSS_PCT);
        println!(
            "  − {} × log2(comfortable ÷ decode) below {} tok/s; each model at its best-scoring quantization that fits",
            cabe_engine::recommend::SLOW_WEIGHT,
            cabe_engine::recommend::comfortable_decode_tps(r.use_)
        );
        for (id, why) in &r.excluded {
            println!("  left out {id}: {why}");
        }
    }
}
