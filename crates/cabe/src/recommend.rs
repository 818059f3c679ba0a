//! `cabe recommend`: what to run on this machine (or a catalog machine, or a memory size),
//! ranked by the engine (`cabe_engine::recommend`); this file parses and prints.

use crate::cli::{MachineArgs, OutputArgs, RuntimeArgs};
use anyhow::{bail, Result};
use cabe_engine::recommend::{recommend, Constraints, Exclusion, Pick, Recommendation, Use};
use cabe_i18n::{Arg, Lang};
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
    json_in(a, Lang::En)
}

/// [`json`] with each pick's reason and each model's reason for being left out worded in `l`
/// (`cabe serve`'s answer to a request that asks for a language); the rest is the same in
/// every language.
pub fn json_in(a: &RecommendArgs, l: Lang) -> Result<serde_json::Value> {
    let (machine, settings, r) = rank(a)?;
    let mut v = to_json(&machine, &settings, &r)?;
    if l != Lang::En {
        for (i, p) in r.picks.iter().enumerate() {
            v["picks"][i]["why"] = serde_json::json!(why(p, r.use_, l));
        }
        for (i, e) in r.exclusions.iter().enumerate() {
            if v["excluded"][i].is_array() {
                v["excluded"][i][1] = serde_json::json!(exclusion(e, l));
            }
        }
    }
    Ok(v)
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
            bail!(t!("recommend-err-min-ctx"));
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
    let l = crate::i18n::lang();
    let use_name = t!("recommend-use", purpose = r.use_.name());
    println!(
        "{}",
        t!(
            "recommend-header",
            purpose = &use_name,
            machine = &machine.local,
            usable = l.bytes(machine.capacity.fast_bytes),
            ctx = l.int(r.ctx),
            runtime = a.runtime.runtime.to_string()
        )
    );
    if r.picks.is_empty() {
        println!("{}", t!("recommend-nothing"));
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        let mut header = vec![
            "#".to_string(),
            t!("recommend-col-model"),
            t!("recommend-col-quant"),
            t!("recommend-col-memory"),
            t!("recommend-col-spare"),
            t!("recommend-col-ctx"),
            t!("recommend-col-decode"),
        ];
        if a.prompt_tokens.is_some() {
            header.push(t!("recommend-col-ttft"));
        }
        header.push(t!("recommend-col-quality"));
        t.set_header(header);
        for (i, p) in r.picks.iter().take(a.top).enumerate() {
            let decode = p.decode_tps.map_or("—".to_string(), |d| {
                format!(
                    "{}–{} (≤{})",
                    l.dec(d.low, 0),
                    l.dec(d.high, 0),
                    l.dec(d.bound, 0)
                )
            });
            let mut row = vec![
                Cell::new(i + 1),
                Cell::new(&p.model),
                Cell::new(p.quant.name()),
                Cell::new(l.bytes(p.total_bytes)).set_alignment(CellAlignment::Right),
                Cell::new(l.signed_bytes(p.headroom_bytes)).set_alignment(CellAlignment::Right),
                Cell::new(p.max_ctx.map_or("—".into(), |c| l.int(c)))
                    .set_alignment(CellAlignment::Right),
                Cell::new(decode),
            ];
            if a.prompt_tokens.is_some() {
                row.push(Cell::new(p.ttft_s.map_or("—".into(), |t| {
                    crate::speed_text::seconds(t.typical, l)
                })));
            }
            row.push(Cell::new(p.quality_loss_pct.map_or_else(
                || t!("recommend-not-measured"),
                |x| t!("recommend-loss", pct = Arg::dec(x, 2)),
            )));
            t.add_row(row);
        }
        println!("{t}");
        for (i, p) in r.picks.iter().take(a.top.min(3)).enumerate() {
            println!("{}. {}: {}", i + 1, p.name, why(p, r.use_, l));
        }
    }
    if !r.near_misses.is_empty() {
        println!();
        println!("{}", t!("recommend-near-misses"));
        for n in r.near_misses.iter().take(5) {
            let change = n.change.as_ref().map_or_else(
                || t!("recommend-near-miss-none"),
                |c| {
                    t!(
                        "recommend-near-miss-change",
                        flag = &c.flag,
                        spare = l.signed_bytes(c.headroom_bytes)
                    )
                },
            );
            println!(
                "  {}",
                t!(
                    "recommend-near-miss",
                    model = &n.model,
                    quant = n.quant.name(),
                    total = l.bytes(n.total_bytes),
                    cap = l.bytes(n.capacity_bytes),
                    change = change
                )
            );
        }
    }
    if a.output.explain {
        println!();
        println!("{}", t!("recommend-explain-score"));
        println!("{}", t!("recommend-explain-use", purpose = &use_name));
        println!(
            "{}",
            t!(
                "recommend-explain-loss",
                pct = l.trim(cabe_engine::recommend::UNMEASURED_LOSS_PCT)
            )
        );
        println!(
            "{}",
            t!(
                "recommend-explain-slow",
                weight = l.trim(cabe_engine::recommend::SLOW_WEIGHT),
                tps = l.trim(cabe_engine::recommend::comfortable_decode_tps(r.use_))
            )
        );
        for (i, (id, why)) in r.excluded.iter().enumerate() {
            let why = match (l, r.exclusions.get(i)) {
                (Lang::En, _) | (_, None) => why.clone(),
                (_, Some(e)) => exclusion(e, l),
            };
            println!("{}", t!("recommend-left-out", id = id, why = why));
        }
    }
}

/// Why a model is left out, in `l`.
fn exclusion(e: &Exclusion, l: Lang) -> String {
    match e {
        Exclusion::NotChat(kind) => t!(in l, "recommend-out-not-chat", kind = kind),
        Exclusion::Family { family, want } => {
            t!(in l, "recommend-out-family", family = family, want = want)
        }
        Exclusion::License { license, want } => {
            t!(in l, "recommend-out-license", license = license, want = want)
        }
        Exclusion::NativeCtx { native, want } => t!(
            in l,
            "recommend-out-native-ctx",
            native = l.int(*native),
            want = l.int(*want)
        ),
        Exclusion::RuntimeRefuses => t!(in l, "recommend-out-runtime"),
    }
}

/// A pick's reason in `l`: the engine's own line in English, else worded again from the
/// catalog entry and the pick's figures as the engine words it.
fn why(p: &Pick, u: Use, l: Lang) -> String {
    let entry = cabe_catalog::models().iter().find(|m| m.id == p.model);
    let Some(m) = entry.filter(|_| l != Lang::En) else {
        return p.why.clone();
    };
    let size = match m.active_params_b {
        Some(active) => t!(
            in l,
            "recommend-why-moe",
            total = Arg::dec(m.params_b, 1),
            active = Arg::dec(active, 1),
            eff = Arg::dec(cabe_engine::recommend::effective_params_b(m), 1)
        ),
        None => t!(in l, "recommend-why-dense", total = Arg::dec(m.params_b, 1)),
    };
    let quant = match p.quality_loss_pct {
        Some(x) => t!(in l, "recommend-why-loss", quant = p.quant.name(), pct = Arg::dec(x, 2)),
        None => t!(in l, "recommend-why-unmeasured", quant = p.quant.name()),
    };
    let made_for = if cabe_catalog::uses::suits(&m.family, u.name()) {
        t!(
            in l,
            "recommend-why-made-for",
            purpose = t!(in l, "recommend-use", purpose = u.name())
        )
    } else {
        String::new()
    };
    t!(in l, "recommend-why", size = size, quant = quant, made_for = made_for)
}
