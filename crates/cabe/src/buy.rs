//! `cabe buy`: which catalog machine to buy for a model and workload, with prices, ranked by
//! the engine (`cabe_engine::buy`); this file parses and prints.

use crate::cli::{OutputArgs, RuntimeArgs};
use anyhow::{bail, Context, Result};
use cabe_core::plan::DEFAULT_OS_RESERVE;
use cabe_core::units::parse_size;
use cabe_engine::buy::{buy, price_kind_name, BuyReport, BuyRow, Claim, ClaimCheck, Fit, Want};
use cabe_engine::CtxChoice;
use cabe_i18n::{Arg, Lang};
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
        _ => Err(t!("buy-err-usd", value = s)),
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
        (Some(_), None) => bail!(t!("buy-err-claimed-decode")),
        (None, Some(_)) => bail!(t!("buy-err-claim-on")),
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
    .map_err(|e| {
        // `--ctx max` is the engine's one refusal a person meets from here (budget and claim
        // are checked above): the engine's English, worded in the run's language when printed.
        if a.ctx == CtxChoice::Max {
            anyhow::Error::new(msg!("buy-err-ctx-max").english(e))
        } else {
            anyhow::Error::msg(e)
        }
    })?;
    Ok((model, r, settings.runtime))
}

fn money(x: f64) -> String {
    format!("${}", crate::i18n::lang().int(x.round() as u64))
}

/// `x` with `d` decimals: as English output always wrote it (ungrouped), else in this run's
/// numbers.
fn fixed(x: f64, d: usize) -> String {
    match crate::i18n::lang() {
        Lang::En => format!("{x:.d$}"),
        l => l.dec(x, d),
    }
}

/// `x` as Rust writes an `f64` (`20`, `20.5`), in this run's numbers.
fn plain(x: f64) -> String {
    let digits = format!("{x}").split_once('.').map_or(0, |(_, f)| f.len());
    fixed(x, digits)
}

fn price_cell(r: &BuyRow) -> String {
    match (r.price_usd, &r.price_source) {
        (None, _) => t!("buy-no-price"),
        (Some(p), Some(s)) => t!(
            "buy-price",
            money = money(p),
            kind = price_kind_name(s.kind),
            date = &s.date
        ),
        (Some(p), None) => t!("buy-price-unsourced", money = money(p)),
    }
}

fn fit_cell(r: &BuyRow) -> String {
    let base = match r.fit {
        Fit::Fits if r.meets => t!("buy-fit-yes"),
        Fit::Fits => t!("buy-fit-slow"),
        Fit::FitsWithOffload => t!("buy-fit-offload"),
        Fit::DoesNotFit => t!("buy-fit-no"),
    };
    if r.over_budget {
        t!("buy-over-budget", fit = base)
    } else {
        base
    }
}

fn decode_cell(r: &BuyRow) -> String {
    let l = crate::i18n::lang();
    r.decode_tps.map_or("—".into(), |d| {
        let n = |x: f64| {
            if x < 10.0 {
                l.dec(x, 1)
            } else {
                l.dec(x, 0)
            }
        };
        format!("{}–{} (≤{})", n(d.low), n(d.high), n(d.bound))
    })
}

/// Why a row misses the workload, in `l`: the engine's words in English, else worded again
/// from the row's figures as the engine judges them.
fn misses(x: &BuyRow, a: &BuyArgs, l: Lang) -> Vec<String> {
    if l == Lang::En {
        return x.misses.clone();
    }
    let mut out = Vec::new();
    match x.fit {
        Fit::Fits => {}
        Fit::FitsWithOffload => out.push(t!(
            in l,
            "buy-miss-offload",
            bytes = l.bytes(x.total_bytes.saturating_sub(x.usable_bytes))
        )),
        Fit::DoesNotFit if x.units > 1 => out.push(t!(
            in l,
            "buy-miss-unit",
            bytes = l.bytes(x.headroom_bytes.unsigned_abs())
        )),
        Fit::DoesNotFit => out.push(t!(
            in l,
            "buy-miss-no-fit",
            total = l.bytes(x.total_bytes),
            usable = l.bytes(x.usable_bytes)
        )),
    }
    if let Some(min) = a.min_decode {
        match x.decode_tps {
            Some(d) if d.typical >= min => {}
            Some(d) => out.push(t!(
                in l,
                "buy-miss-decode",
                tps = Arg::dec(d.typical, 1),
                min = plain(min)
            )),
            None => out.push(t!(in l, "buy-miss-no-bandwidth")),
        }
    }
    if let Some(max) = a.max_ttft {
        match x.ttft_s {
            Some(t) if t.typical <= max => {}
            Some(t) => out.push(t!(
                in l,
                "buy-miss-ttft",
                time = crate::speed_text::seconds(t.typical, l),
                max = crate::speed_text::seconds(max, l)
            )),
            None => out.push(t!(in l, "buy-miss-no-compute")),
        }
    }
    // Anything the engine judges that is not worded here stays as the engine put it.
    if out.len() != x.misses.len() {
        return x.misses.clone();
    }
    out
}

/// The claim's verdict without its "claim: " lead, in `l`.
fn claim_text(c: &ClaimCheck, l: Lang) -> String {
    if l == Lang::En {
        return c
            .line
            .strip_prefix("claim: ")
            .unwrap_or(&c.line)
            .to_string();
    }
    if c.exceeds_ceiling {
        t!(
            in l,
            "buy-claim-over",
            claim = l.trim(c.claimed_tps),
            ceiling = Arg::dec(c.ceiling_tps, 0),
            bw = Arg::dec(c.bandwidth_gbps, 0),
            gb = Arg::dec(c.gb_per_token, 2)
        )
    } else {
        t!(
            in l,
            "buy-claim-within",
            claim = l.trim(c.claimed_tps),
            ceiling = Arg::dec(c.ceiling_tps, 0)
        )
    }
}

/// A row's name: a catalog name, or N × one over a link (worded by the engine in English).
fn row_name(x: &BuyRow) -> String {
    let linked = x.link.as_ref().and_then(|link| {
        let name = x.name.strip_suffix(&format!(" over {}", link.name))?;
        Some(t!("buy-name-linked", name = name, link = link.name))
    });
    linked.unwrap_or_else(|| x.name.clone())
}

/// A report note in `l`: the engine's English, else the message for the note it is.
fn note(n: &str, r: &BuyReport, l: Lang) -> String {
    use cabe_engine::buy::{BASIS_NOTE, MULTI_UNIT_NOTE, PRICE_NOTE};
    if l == Lang::En {
        return n.to_string();
    }
    if n == MULTI_UNIT_NOTE {
        t!(in l, "buy-note-multi-unit")
    } else if n == PRICE_NOTE {
        t!(in l, "buy-note-price")
    } else if n == BASIS_NOTE {
        t!(in l, "buy-note-basis")
    } else if n.contains("\"price not sourced\"") {
        let unsourced = r
            .rows
            .iter()
            .filter(|x| x.price_usd.is_some() && x.price_source.is_none())
            .count();
        t!(in l, "buy-note-unsourced", n = unsourced)
    } else {
        n.to_string()
    }
}

fn print_human(a: &BuyArgs, model: &crate::resolve::ResolvedModel, r: &BuyReport) {
    let l = crate::i18n::lang();
    let ctx = r.rows.first().map_or(0, |x| x.ctx);
    let mut what = t!(
        "buy-what",
        model = &model.display_name,
        quant = &model.quant,
        ctx = l.int(ctx),
        runtime = a.runtime.runtime.to_string()
    );
    if let Some(d) = a.min_decode {
        what.push_str(&t!("buy-what-decode", tps = plain(d)));
    }
    if let (Some(n), Some(t)) = (a.prompt_tokens, a.max_ttft) {
        what.push_str(&t!(
            "buy-what-ttft",
            tokens = l.int(n),
            time = crate::speed_text::seconds(t, l)
        ));
    }
    if let Some(b) = a.budget {
        what.push_str(&t!("buy-what-budget", money = money(b)));
    }
    println!("{}", t!("buy-header", what = what));
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec![
        "#".to_string(),
        t!("buy-col-machine"),
        t!("buy-col-fits"),
        t!("buy-col-spare"),
        t!("buy-col-ctx"),
        t!("buy-col-decode"),
    ];
    if a.prompt_tokens.is_some() {
        header.push(t!("buy-col-ttft"));
    }
    header.extend([
        t!("buy-col-price"),
        t!("buy-col-per-gb"),
        t!("buy-col-per-tps"),
    ]);
    t.set_header(header);
    for (i, x) in r.rows.iter().take(a.top).enumerate() {
        let mut row = vec![
            Cell::new(i + 1),
            Cell::new(&x.id),
            Cell::new(fit_cell(x)),
            Cell::new(l.signed_bytes(x.headroom_bytes)).set_alignment(CellAlignment::Right),
            Cell::new(x.max_ctx.map_or("—".into(), |c| l.int(c)))
                .set_alignment(CellAlignment::Right),
            Cell::new(decode_cell(x)),
        ];
        if a.prompt_tokens.is_some() {
            row.push(Cell::new(x.ttft_s.map_or("—".into(), |t| {
                crate::speed_text::seconds(t.typical, l)
            })));
        }
        row.push(Cell::new(price_cell(x)));
        row.push(
            Cell::new(x.usd_per_usable_gb.map_or("—".into(), |v| fixed(v, 0)))
                .set_alignment(CellAlignment::Right),
        );
        row.push(
            Cell::new(x.usd_per_decode_tps.map_or("—".into(), |v| fixed(v, 0)))
                .set_alignment(CellAlignment::Right),
        );
        t.add_row(row);
    }
    println!("{t}");
    if r.rows.len() > a.top {
        println!("{}", t!("buy-more", n = r.rows.len() - a.top));
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
        println!("{}", t!("buy-offload", ids = offload.join(", ")));
    }
    match &r.cheapest {
        Some(id) => {
            let c = r.rows.iter().find(|x| &x.id == id).expect("a listed row");
            println!(
                "{}",
                t!(
                    "buy-cheapest",
                    name = row_name(c),
                    price = price_cell(c),
                    spare = l.signed_bytes(c.headroom_bytes)
                )
            );
        }
        None if r.rows.iter().any(|x| x.meets) => println!("{}", t!("buy-none-in-budget")),
        None => println!("{}", t!("buy-none")),
    }
    // The first price steps among the machines that meet the workload.
    for x in r.rows.iter().filter(|x| x.meets).take(3) {
        let Some(n) = &x.next_tier else { continue };
        let decode = n.decode_ratio.map_or(String::new(), |d| {
            t!("buy-tier-decode", ratio = Arg::dec(d, 2))
        });
        let ctx = n
            .extra_max_ctx
            .filter(|c| *c != 0)
            .map_or(String::new(), |c| {
                let sign = if c > 0 { "+" } else { "−" };
                t!(
                    "buy-tier-ctx",
                    sign = sign,
                    tokens = l.int(c.unsigned_abs())
                )
            });
        let headroom = n.extra_headroom_bytes;
        println!(
            "{}",
            t!(
                "buy-tier",
                id = &x.id,
                next = &n.id,
                money = money(n.extra_usd),
                headroom = format!(
                    "{}{}",
                    if headroom >= 0 { "+" } else { "" },
                    l.signed_bytes(headroom)
                ),
                decode = decode,
                ctx = ctx
            )
        );
    }
    if let Some(c) = &r.claim {
        println!("{}", t!("buy-claim", on = &c.on, text = claim_text(c, l)));
    }
    if a.output.explain {
        println!();
        println!("{}", t!("buy-explain-ranking"));
        for x in &r.rows {
            let mut source = x
                .price_source
                .as_ref()
                .map_or(String::new(), |s| t!("buy-explain-source", url = &s.url));
            if let Some(link) = &x.link {
                source.push_str(&t!(
                    "buy-explain-units",
                    units = x.units,
                    layers = model.spec.n_layer().div_ceil(x.units.max(1)),
                    link = link.name,
                    source = link.source
                ));
            }
            let why = if x.misses.is_empty() {
                t!("buy-explain-meets")
            } else {
                misses(x, a, l).join("; ")
            };
            println!(
                "{}",
                t!(
                    "buy-explain-row",
                    id = &x.id,
                    total = l.bytes(x.total_bytes),
                    usable = l.bytes(x.usable_bytes),
                    why = why,
                    source = source
                )
            );
        }
    }
    println!();
    for n in &r.notes {
        println!("{}", t!("buy-note", note = note(n, r, l)));
    }
}
