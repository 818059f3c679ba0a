//! `cabe buy`: which catalog machine to buy for a model and workload, with prices, ranked by
//! the engine (`cabe_engine::buy`); this file parses and prints.

use crate::cli::{OutputArgs, RuntimeArgs};
use anyhow::{bail, Context, Result};
use cabe_core::plan::DEFAULT_OS_RESERVE;
use cabe_core::units::{fmt_bytes, fmt_int, fmt_signed_bytes, parse_size};
use cabe_engine::buy::{buy, price_kind_name, BuyReport, BuyRow, Claim, Fit, Want};
use cabe_engine::CtxChoice;
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

#[derive(Args, Debug)]
pub struct BuyArgs {
    /// A catalog model id or alias (see `cabe models`), or a GGUF file or URL.
    #[arg(long, value_name = "ID")]
    pub model: String,
    /// Whole-file quantization for a catalog model (Q4_K_M, Q8_0, …). Default Q4_K_M.
    #[arg(long, short = 'q')]
    pub quant: Option<String>,
    /// Context per sequence every machine must hold: tokens or `native`. Default native.
    #[arg(long, short = 'c', default_value = "native", allow_hyphen_values = true, value_parser = crate::flags::ctx)]
    pub ctx: CtxChoice,
    /// The slowest typical decode rate to accept (empty context), tok/s.
    #[arg(long, value_name = "TOK_PER_S", allow_hyphen_values = true, value_parser = crate::flags::rate)]
    pub min_decode: Option<f64>,
    /// A prompt of N tokens: its prefill and time to the first token on each machine.
    #[arg(long, value_name = "N", value_parser = crate::flags::tokens)]
    pub prompt_tokens: Option<u64>,
    /// The longest typical time to the first token of --prompt-tokens, e.g. 30s.
    #[arg(long, value_name = "DURATION", value_parser = crate::flags::duration)]
    pub max_ttft: Option<f64>,
    /// The most to spend, USD: dearer machines are marked "over budget".
    #[arg(long, value_name = "USD", allow_hyphen_values = true, value_parser = usd)]
    pub budget: Option<f64>,
    /// A decode rate someone claims for this model (tok/s), checked against the ceiling of
    /// the --claim-on machine.
    #[arg(long, value_name = "TOK_PER_S", allow_hyphen_values = true, value_parser = crate::flags::rate)]
    pub claimed_decode: Option<f64>,
    /// The catalog machine the claim is made for (see `cabe hardware`).
    #[arg(long, value_name = "HARDWARE_ID")]
    pub claim_on: Option<String>,
    /// Memory kept for the OS on machines that run from system RAM (default 2GiB, an assumption).
    #[arg(long, value_name = "SIZE")]
    pub os_reserve: Option<String>,
    /// Rows to show in the table (every machine is in --json).
    #[arg(long, default_value_t = 25)]
    pub top: usize,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// A price in USD: positive and finite.
fn usd(s: &str) -> Result<f64, String> {
    let t = s.trim().trim_start_matches('$').replace([',', '_'], "");
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("'{s}' is not a positive amount of USD")),
    }
}

/// What `cabe buy --json` prints for these arguments.
pub fn json(a: &BuyArgs) -> Result<serde_json::Value> {
    let (model, r, runtime) = compute(a)?;
    to_json(&model, &r, runtime)
}

fn to_json(
    model: &crate::resolve::ResolvedModel,
    r: &BuyReport,
    runtime: cabe_engine::Runtime,
) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(r)?;
    v["model"] = serde_json::json!({
        "id": model.id,
        "name": model.display_name,
        "quant": model.quant,
    });
    v["runtime"] = serde_json::json!(runtime);
    Ok(v)
}

pub fn run(a: &BuyArgs) -> Result<()> {
    let (model, r, runtime) = compute(a)?;
    if a.output.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&model, &r, runtime)?)?
        );
        return Ok(());
    }
    print_human(a, &model, &r);
    Ok(())
}

fn compute(
    a: &BuyArgs,
) -> Result<(
    crate::resolve::ResolvedModel,
    BuyReport,
    cabe_engine::Runtime,
)> {
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
    // The claim's machine by any name the catalog answers to (aliases, fuzzy), as --on does.
    // The pairs are checked here rather than by clap, whose message for a missing flag spans
    // lines and loses the flag's name in a one-line error.
    let claim = match (a.claimed_decode, &a.claim_on) {
        (Some(t), Some(id)) => Some(Claim {
            decode_tps: t,
            on: cabe_catalog::find_hardware(id)?.id.clone(),
        }),
        (Some(_), None) => bail!(
            "--claimed-decode needs --claim-on HARDWARE_ID (the machine the claim is made for)"
        ),
        (None, Some(_)) => bail!("--claim-on needs --claimed-decode TOK_PER_S (the rate claimed)"),
        (None, None) => None,
    };
    let want = Want {
        ctx: a.ctx,
        min_decode_tps: a.min_decode,
        prompt_tokens: a.prompt_tokens,
        max_ttft_s: a.max_ttft,
        budget_usd: a.budget,
        claim,
    };
    let settings = a.runtime.settings();
    let r = buy(
        &model.spec,
        &model.weights,
        cabe_catalog::hardware(),
        &settings,
        &want,
        os_reserve,
    )
    .map_err(anyhow::Error::msg)?;
    Ok((model, r, settings.runtime))
}

fn money(x: f64) -> String {
    format!("${}", fmt_int(x.round() as u64))
}

fn price_cell(r: &BuyRow) -> String {
    match (r.price_usd, &r.price_source) {
        (None, _) => "no price".into(),
        (Some(p), Some(s)) => format!("{} ({} {})", money(p), price_kind_name(s.kind), s.date),
        (Some(p), None) => format!("{} (price not sourced)", money(p)),
    }
}

fn fit_cell(r: &BuyRow) -> String {
    let base = match r.fit {
        Fit::Fits if r.meets => "yes",
        Fit::Fits => "fits, too slow",
        Fit::FitsWithOffload => "fits with offload",
        Fit::DoesNotFit => "no",
    };
    if r.over_budget {
        format!("{base}; over budget")
    } else {
        base.to_string()
    }
}

fn decode_cell(r: &BuyRow) -> String {
    r.decode_tps.map_or("—".into(), |d| {
        let n = |x: f64| {
            if x < 10.0 {
                format!("{x:.1}")
            } else {
                format!("{x:.0}")
            }
        };
        format!("{}–{} (≤{})", n(d.low), n(d.high), n(d.bound))
    })
}

fn print_human(a: &BuyArgs, model: &crate::resolve::ResolvedModel, r: &BuyReport) {
    let ctx = r.rows.first().map_or(0, |x| x.ctx);
    let mut what = format!(
        "{} at {}, {} tokens of context, {}",
        model.display_name,
        model.quant,
        fmt_int(ctx),
        a.runtime.runtime
    );
    if let Some(d) = a.min_decode {
        what.push_str(&format!(", decode ≥ {d} tok/s"));
    }
    if let (Some(n), Some(t)) = (a.prompt_tokens, a.max_ttft) {
        what.push_str(&format!(
            ", first token of {} tokens within {}",
            fmt_int(n),
            cabe_core::speed::fmt_seconds(t)
        ));
    }
    if let Some(b) = a.budget {
        what.push_str(&format!(", budget {}", money(b)));
    }
    println!("machines for {what}:");
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec![
        "#",
        "machine",
        "fits",
        "to spare",
        "ctx up to",
        "decode tok/s",
    ];
    if a.prompt_tokens.is_some() {
        header.push("first token");
    }
    header.extend(["price", "$/GB", "$ per tok/s"]);
    t.set_header(header);
    for (i, x) in r.rows.iter().take(a.top).enumerate() {
        let mut row = vec![
            Cell::new(i + 1),
            Cell::new(&x.id),
            Cell::new(fit_cell(x)),
            Cell::new(fmt_signed_bytes(x.headroom_bytes)).set_alignment(CellAlignment::Right),
            Cell::new(x.max_ctx.map_or("—".into(), fmt_int)).set_alignment(CellAlignment::Right),
            Cell::new(decode_cell(x)),
        ];
        if a.prompt_tokens.is_some() {
            row.push(Cell::new(x.ttft_s.map_or("—".into(), |t| {
                cabe_core::speed::fmt_seconds(t.typical)
            })));
        }
        row.push(Cell::new(price_cell(x)));
        row.push(
            Cell::new(
                x.usd_per_usable_gb
                    .map_or("—".into(), |v| format!("{v:.0}")),
            )
            .set_alignment(CellAlignment::Right),
        );
        row.push(
            Cell::new(
                x.usd_per_decode_tps
                    .map_or("—".into(), |v| format!("{v:.0}")),
            )
            .set_alignment(CellAlignment::Right),
        );
        t.add_row(row);
    }
    println!("{t}");
    if r.rows.len() > a.top {
        println!(
            "({} more machines; --top N or --json for all)",
            r.rows.len() - a.top
        );
    }
    // Discrete cards that hold the model only by spilling to system RAM run it, at RAM speed
    // for that share: named apart from the machines that fit, whatever --top shows.
    let offload: Vec<&str> = r
        .rows
        .iter()
        .filter(|x| x.fit == Fit::FitsWithOffload)
        .map(|x| x.id.as_str())
        .collect();
    if !offload.is_empty() {
        println!(
            "fits with offload (layers spill to system RAM, decode at RAM speed for that share): {}",
            offload.join(", ")
        );
    }
    match &r.cheapest {
        Some(id) => {
            let c = r.rows.iter().find(|x| &x.id == id).expect("a listed row");
            println!(
                "cheapest that meets it: {}, {}, {} to spare",
                c.name,
                price_cell(c),
                fmt_signed_bytes(c.headroom_bytes)
            );
        }
        None if r.rows.iter().any(|x| x.meets) => {
            println!("nothing priced within the budget meets it")
        }
        None => println!("no catalog machine meets it"),
    }
    // The first price steps among the machines that meet the workload.
    for x in r.rows.iter().filter(|x| x.meets).take(3) {
        let Some(n) = &x.next_tier else { continue };
        let decode = n
            .decode_ratio
            .map_or(String::new(), |d| format!(", decode ×{d:.2}"));
        let ctx = n
            .extra_max_ctx
            .filter(|c| *c != 0)
            .map_or(String::new(), |c| {
                let sign = if c > 0 { "+" } else { "−" };
                format!(", {sign}{} tokens of context", fmt_int(c.unsigned_abs()))
            });
        let headroom = n.extra_headroom_bytes;
        println!(
            "  next tier up from {}: {} for +{}: {}{} headroom{decode}{ctx}",
            x.id,
            n.id,
            money(n.extra_usd),
            if headroom >= 0 { "+" } else { "" },
            fmt_signed_bytes(headroom)
        );
    }
    if let Some(c) = &r.claim {
        let text = c.line.strip_prefix("claim: ").unwrap_or(&c.line);
        println!("claim on {}: {text}", c.on);
    }
    if a.output.explain {
        println!();
        println!("ranking: the machines that fit in fast memory and meet every speed target, cheapest first (unpriced after priced); then those that fit but are too slow, fit only with offload, do not fit");
        for x in &r.rows {
            let mut source = x
                .price_source
                .as_ref()
                .map_or(String::new(), |s| format!("; price: {}", s.url));
            if let Some(l) = &x.link {
                source.push_str(&format!(
                    "; {} units, {} layers each, over {} ({}); price {} × one unit",
                    x.units,
                    model.spec.n_layer().div_ceil(x.units.max(1)),
                    l.name,
                    l.source,
                    x.units
                ));
            }
            let why = if x.misses.is_empty() {
                "meets the workload".to_string()
            } else {
                x.misses.join("; ")
            };
            println!(
                "  {}: {} of {} usable; {why}{source}",
                x.id,
                fmt_bytes(x.total_bytes),
                fmt_bytes(x.usable_bytes)
            );
        }
    }
    println!();
    for n in &r.notes {
        println!("note: {n}");
    }
}
