//! What to buy for a workload: every catalog machine assessed through the same pipeline as
//! `fit` ([`crate::assess`]) for one model, quantization, context and runtime, the ones that
//! meet the workload ranked by price, and what the next, dearer machine adds. The ranking and
//! the price data's limits are in `docs/buy.md`.

use crate::assess::{assess, CtxChoice, Request, Workload};
use crate::multi_unit::{self, Link};
use crate::runtime::RuntimeSettings;
use crate::speed::SpeedBasis;
use cabe_catalog::{HardwareEntry, PriceKind, PriceSource};
use cabe_core::hardware::MemoryKind;
use cabe_core::model::ModelSpec;
use cabe_core::plan::{capacity, Verdict};
use cabe_core::speed::Range;
use cabe_core::units::GIB;
use cabe_core::weights::Weights;
use serde::Serialize;

/// What the machine must do.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Want {
    /// Context per sequence: tokens or the model's native one (`max` compares nothing: every
    /// machine fits its own largest context).
    pub ctx: CtxChoice,
    /// Slowest typical decode rate with an empty context, tok/s.
    pub min_decode_tps: Option<f64>,
    /// A prompt of N tokens: its prefill and time to the first token are predicted.
    pub prompt_tokens: Option<u64>,
    /// Longest typical time to the first token of `prompt_tokens`, seconds.
    pub max_ttft_s: Option<f64>,
    /// Most the user will pay, USD.
    pub budget_usd: Option<f64>,
    /// A decode rate someone claims for this model on one catalog machine.
    pub claim: Option<Claim>,
}

/// `--claimed-decode T --claim-on ID`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Claim {
    pub decode_tps: f64,
    /// A catalog machine id.
    pub on: String,
}

/// How the model sits in a machine's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fit {
    /// Everything in the fast memory (VRAM, or the unified pool's usable share).
    Fits,
    /// A discrete GPU that holds it only by spilling layers to system RAM: it runs, at RAM
    /// speed for that share, so it does not count as meeting the workload.
    FitsWithOffload,
    DoesNotFit,
}

/// One catalog machine against the workload.
#[derive(Clone, Debug, Serialize)]
pub struct BuyRow {
    pub id: String,
    pub name: String,
    pub kind: MemoryKind,
    /// Multi-GPU rows (dual-rtx-3090, …): llama.cpp splits the layers across them.
    pub gpu_count: u32,
    /// 1 for a single machine; N for N units of one catalog machine joined by `link`
    /// (llama.cpp over RPC, [`crate::multi_unit`]).
    pub units: u32,
    pub link: Option<Link>,
    pub fit: Fit,
    /// Memory the model may use where it runs fastest (summed over units).
    pub usable_bytes: u64,
    pub total_bytes: u64,
    /// For several units: the fullest unit's headroom.
    pub headroom_bytes: i64,
    /// The context it is sized at (tokens per sequence) and the largest that fits.
    pub ctx: u64,
    pub max_ctx: Option<u64>,
    /// Decode with an empty context, with its ceiling (`bound`); `None` without a bandwidth.
    pub decode_tps: Option<Range>,
    /// Prefill of `prompt_tokens` and the time to the first token.
    pub prefill_tps: Option<Range>,
    pub ttft_s: Option<Range>,
    pub price_usd: Option<f64>,
    /// Where the price comes from; `None`: the catalog's figure is not sourced.
    pub price_source: Option<PriceSource>,
    pub usd_per_usable_gb: Option<f64>,
    /// Price ÷ typical decode rate.
    pub usd_per_decode_tps: Option<f64>,
    /// Fits and meets every speed target.
    pub meets: bool,
    pub over_budget: bool,
    /// Why it does not meet the workload, in the user's terms.
    pub misses: Vec<String>,
    /// The next dearer machine that meets the workload, and what it adds.
    pub next_tier: Option<NextTier>,
}

/// What the next price step buys.
#[derive(Clone, Debug, Serialize)]
pub struct NextTier {
    pub id: String,
    pub extra_usd: f64,
    pub extra_headroom_bytes: i64,
    /// Its typical decode ÷ this one's.
    pub decode_ratio: Option<f64>,
    pub extra_max_ctx: Option<i64>,
}

/// `--claimed-decode` checked on its machine.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimCheck {
    pub on: String,
    pub claimed_tps: f64,
    /// The decode ceiling for this model there (bandwidth ÷ bytes read per token).
    pub ceiling_tps: f64,
    pub typical_tps: f64,
    pub exceeds_ceiling: bool,
    pub line: String,
    /// The figures the line is worded from, for another language: the machine's bandwidth,
    /// GB/s, and the GB read per token.
    #[serde(skip)]
    pub bandwidth_gbps: f64,
    #[serde(skip)]
    pub gb_per_token: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct BuyReport {
    pub want: Want,
    /// Every machine: those that meet the workload first, cheapest first (priced before
    /// unpriced); then the ones that fit but are too slow, fit with offload, and do not fit.
    pub rows: Vec<BuyRow>,
    /// The cheapest priced machine that meets the workload within the budget.
    pub cheapest: Option<String>,
    pub claim: Option<ClaimCheck>,
    pub notes: Vec<String>,
}

/// Why a request is refused before anything is assessed.
fn check(want: &Want, machines: &[HardwareEntry]) -> Result<(), String> {
    if want.ctx == CtxChoice::Max {
        return Err(
            "--ctx max compares nothing (every machine fits its own largest context); give a number of tokens or native".into(),
        );
    }
    if let Some(b) = want.budget_usd {
        if !(b.is_finite() && b > 0.0) {
            return Err(format!(
                "the budget must be a positive number of USD, not {b}"
            ));
        }
    }
    if want.max_ttft_s.is_some() && want.prompt_tokens.is_none() {
        return Err(
            "--max-ttft needs --prompt-tokens (the prompt whose first token it times)".into(),
        );
    }
    if let Some(c) = &want.claim {
        if !(c.decode_tps.is_finite() && c.decode_tps > 0.0) {
            return Err(format!(
                "the claimed decode rate must be a positive number of tok/s, not {}",
                c.decode_tps
            ));
        }
        if !machines.iter().any(|m| m.id == c.on) {
            return Err(format!(
                "the claim's machine '{}' is not in the catalog",
                c.on
            ));
        }
    }
    Ok(())
}

/// Notes every report carries: what was compared and what the prices are.
pub const MULTI_UNIT_NOTE: &str = "rows named Nx-… are N units of one machine joined by a network link, run as llama.cpp runs them over RPC: whole layers split evenly, each unit holding its layers' KV cache and its own compute buffer, the layers run in turn (decode: the same bytes over the same bandwidth as one unit, plus about 0.8 ms of RPC per token per extra unit); llama.cpp's RPC README calls RPC a proof of concept, so treat these rows as the best case";
pub const PRICE_NOTE: &str = "prices are the catalog's launch list prices (MSRP) unless marked street; street prices differ and change, so check them before buying";
pub const BASIS_NOTE: &str = "speed from each machine's catalog figures (bandwidth, compute) and the backend's efficiencies (data/speed.toml), not from a calibration of this machine";

/// Assesses the model on every machine and ranks them. `os_reserve` is taken off machines
/// that run from system RAM, as for `fit`.
pub fn buy(
    spec: &ModelSpec,
    weights: &Weights,
    machines: &[HardwareEntry],
    settings: &RuntimeSettings,
    want: &Want,
    os_reserve: u64,
) -> Result<BuyReport, String> {
    check(want, machines)?;
    settings.check(spec)?;
    let mut rows = Vec::with_capacity(machines.len());
    let mut claim = None;
    for m in machines {
        let hw = &m.spec;
        let cap = capacity(hw, os_reserve);
        let claimed = want.claim.as_ref().filter(|c| c.on == m.id);
        let req = Request {
            spec,
            weights,
            hardware: hw,
            capacity: &cap,
            settings: settings.clone(),
            ctx: want.ctx,
            workload: Workload {
                prompt_tokens: want.prompt_tokens,
                claimed_decode: claimed.map(|c| c.decode_tps),
                ..Workload::default()
            },
        };
        let basis = SpeedBasis::catalog(hw, Some(m.id.clone()));
        let a = assess(&req, &basis, None)?;
        let plan = &a.memory.plan;
        let fit = match plan.verdict {
            Verdict::Fits => Fit::Fits,
            Verdict::FitsWithOffload => Fit::FitsWithOffload,
            Verdict::DoesNotFit => Fit::DoesNotFit,
        };
        let speed = a.speed.as_ref();
        let decode = speed
            .map(|s| s.decode_empty_tps)
            .filter(|d| d.typical > 0.0);
        let prefill = speed.and_then(|s| s.prefill_tps);
        let ttft = speed.and_then(|s| s.ttft_s);
        if let (Some(c), Some(s)) = (claimed, speed) {
            let line = s
                .lines
                .iter()
                .find(|l| l.starts_with("claim:"))
                .cloned()
                .unwrap_or_default();
            claim = Some(ClaimCheck {
                on: m.id.clone(),
                claimed_tps: c.decode_tps,
                ceiling_tps: s.decode_empty_tps.bound,
                typical_tps: s.decode_empty_tps.typical,
                exceeds_ceiling: s.claim_exceeds_ceiling.unwrap_or(false),
                line,
                bandwidth_gbps: s.bandwidth_gbps,
                gb_per_token: cabe_core::speed::decode_bytes_per_token(
                    spec,
                    weights,
                    &a.memory.profile,
                    0,
                ) as f64
                    / 1e9,
            });
        }
        let price = hw.price_usd;
        rows.push(finish_row(
            Measured {
                id: m.id.clone(),
                name: m.name.clone(),
                kind: hw.kind,
                gpu_count: hw.gpu_count,
                units: 1,
                link: None,
                fit,
                usable_bytes: cap.fast_bytes,
                total_bytes: plan.memory.total_bytes,
                headroom_bytes: plan.headroom_bytes,
                ctx: a.memory.ctx,
                max_ctx: a.memory.max_ctx,
                decode,
                prefill,
                ttft,
                price_usd: price,
                price_source: m.price_source.clone(),
            },
            want,
        ));
    }
    for c in multi_unit::CONFIGS {
        let Some(unit) = machines.iter().find(|m| m.id == c.unit) else {
            continue;
        };
        let u = multi_unit::assess_units(spec, weights, unit, c, settings, want, os_reserve)?;
        let n = c.units;
        rows.push(finish_row(
            Measured {
                id: multi_unit::config_id(c),
                name: format!("{n} × {} over {}", unit.name, c.link.name),
                kind: unit.spec.kind,
                gpu_count: unit.spec.gpu_count.max(1) * n,
                units: n,
                link: Some(c.link.clone()),
                fit: if u.fits { Fit::Fits } else { Fit::DoesNotFit },
                usable_bytes: u.usable_bytes,
                total_bytes: u.total_bytes,
                headroom_bytes: u.headroom_bytes,
                ctx: u.ctx,
                max_ctx: u.max_ctx,
                decode: u.decode_tps,
                prefill: u.prefill_tps,
                ttft: u.ttft_s,
                price_usd: unit.spec.price_usd.map(|p| p * n as f64),
                price_source: unit.price_source.clone(),
            },
            want,
        ));
    }
    rank(&mut rows);
    next_tiers(&mut rows);
    let cheapest = rows
        .iter()
        .find(|r| r.meets && r.price_usd.is_some() && !r.over_budget)
        .map(|r| r.id.clone());
    let mut notes = vec![
        MULTI_UNIT_NOTE.to_string(),
        PRICE_NOTE.to_string(),
        BASIS_NOTE.to_string(),
    ];
    let unsourced = rows
        .iter()
        .filter(|r| r.price_usd.is_some() && r.price_source.is_none())
        .count();
    if unsourced > 0 {
        notes.push(format!(
            "{unsourced} price(s) are marked \"price not sourced\": the catalog carries them without a page and date behind them"
        ));
    }
    Ok(BuyReport {
        want: want.clone(),
        rows,
        cheapest,
        claim,
        notes,
    })
}

/// What one machine or configuration gives, before it is judged against the workload.
struct Measured {
    id: String,
    name: String,
    kind: MemoryKind,
    gpu_count: u32,
    units: u32,
    link: Option<Link>,
    fit: Fit,
    usable_bytes: u64,
    total_bytes: u64,
    headroom_bytes: i64,
    ctx: u64,
    max_ctx: Option<u64>,
    decode: Option<Range>,
    prefill: Option<Range>,
    ttft: Option<Range>,
    price_usd: Option<f64>,
    price_source: Option<PriceSource>,
}

/// Judges a machine against the workload: why it misses it, its price per GB and per tok/s.
fn finish_row(m: Measured, want: &Want) -> BuyRow {
    let mut misses = Vec::new();
    match m.fit {
        Fit::Fits => {}
        Fit::FitsWithOffload => misses.push(format!(
            "fits with offload: {} of weights and cache spill to system RAM",
            cabe_core::units::fmt_bytes(m.total_bytes.saturating_sub(m.usable_bytes))
        )),
        Fit::DoesNotFit if m.units > 1 => misses.push(format!(
            "does not fit: the fullest unit is {} over its memory",
            cabe_core::units::fmt_bytes(m.headroom_bytes.unsigned_abs())
        )),
        Fit::DoesNotFit => misses.push(format!(
            "does not fit: needs {} of {}",
            cabe_core::units::fmt_bytes(m.total_bytes),
            cabe_core::units::fmt_bytes(m.usable_bytes)
        )),
    }
    if let Some(min) = want.min_decode_tps {
        match m.decode {
            Some(d) if d.typical >= min => {}
            Some(d) => misses.push(format!(
                "decode {:.1} tok/s typical, below {min} tok/s",
                d.typical
            )),
            None => misses.push("no bandwidth figure to judge decode".into()),
        }
    }
    if let Some(max) = want.max_ttft_s {
        match m.ttft {
            Some(t) if t.typical <= max => {}
            Some(t) => misses.push(format!(
                "first token after {} typical, over {}",
                cabe_core::speed::fmt_seconds(t.typical),
                cabe_core::speed::fmt_seconds(max)
            )),
            None => misses.push("no compute figure to judge the first token".into()),
        }
    }
    let usable_gb = m.usable_bytes as f64 / GIB as f64;
    let price = m.price_usd;
    BuyRow {
        id: m.id,
        name: m.name,
        kind: m.kind,
        gpu_count: m.gpu_count,
        units: m.units,
        link: m.link,
        fit: m.fit,
        usable_bytes: m.usable_bytes,
        total_bytes: m.total_bytes,
        headroom_bytes: m.headroom_bytes,
        ctx: m.ctx,
        max_ctx: m.max_ctx,
        decode_tps: m.decode,
        prefill_tps: m.prefill,
        ttft_s: m.ttft,
        price_usd: price,
        price_source: m.price_source,
        usd_per_usable_gb: price.filter(|_| usable_gb > 0.0).map(|p| p / usable_gb),
        usd_per_decode_tps: price.zip(m.decode).map(|(p, d)| p / d.typical),
        meets: misses.is_empty(),
        over_budget: matches!((price, want.budget_usd), (Some(p), Some(b)) if p > b),
        misses,
        next_tier: None,
    }
}

/// Rank of a row's group: meets, fits but too slow, fits with offload, does not fit.
fn group(r: &BuyRow) -> u8 {
    match (r.meets, r.fit) {
        (true, _) => 0,
        (false, Fit::Fits) => 1,
        (false, Fit::FitsWithOffload) => 2,
        (false, Fit::DoesNotFit) => 3,
    }
}

/// Within a group cheapest first, machines without a price after the priced ones (fastest
/// first among them), then by id so that the order never depends on the catalog's.
fn rank(rows: &mut [BuyRow]) {
    rows.sort_by(|a, b| {
        let price = |r: &BuyRow| r.price_usd.unwrap_or(f64::INFINITY);
        let decode = |r: &BuyRow| r.decode_tps.map_or(0.0, |d| d.typical);
        group(a)
            .cmp(&group(b))
            .then(price(a).total_cmp(&price(b)))
            .then(decode(b).total_cmp(&decode(a)))
            .then(a.id.cmp(&b.id))
    });
}

/// For each priced machine that meets the workload, the next strictly dearer one that does.
fn next_tiers(rows: &mut [BuyRow]) {
    let meeting: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.meets)
        .filter_map(|(i, r)| r.price_usd.map(|p| (i, p)))
        .collect();
    for &(i, p) in &meeting {
        let Some(&(j, q)) = meeting.iter().find(|&&(_, q)| q > p) else {
            continue;
        };
        let (a, b) = (&rows[i], &rows[j]);
        let tier = NextTier {
            id: b.id.clone(),
            extra_usd: q - p,
            extra_headroom_bytes: b.headroom_bytes - a.headroom_bytes,
            decode_ratio: a
                .decode_tps
                .zip(b.decode_tps)
                .map(|(x, y)| y.typical / x.typical),
            extra_max_ctx: a.max_ctx.zip(b.max_ctx).map(|(x, y)| y as i64 - x as i64),
        };
        rows[i].next_tier = Some(tier);
    }
}

/// "list", "street": how the output names a price's kind.
pub fn price_kind_name(k: PriceKind) -> &'static str {
    match k {
        PriceKind::List => "list",
        PriceKind::Street => "street",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cabe_core::plan::DEFAULT_OS_RESERVE;
    use cabe_core::quant::FileType;
    use cabe_core::weights::for_file_type;

    fn want(ctx: u64) -> Want {
        Want {
            ctx: CtxChoice::Tokens(ctx),
            min_decode_tps: None,
            prompt_tokens: None,
            max_ttft_s: None,
            budget_usd: None,
            claim: None,
        }
    }

    fn run(model: &str, w: &Want) -> Result<BuyReport, String> {
        let spec = &cabe_catalog::find_model(model).unwrap().spec;
        let weights = for_file_type(spec, FileType::Q4_K_M);
        buy(
            spec,
            &weights,
            cabe_catalog::hardware(),
            &RuntimeSettings::default(),
            w,
            DEFAULT_OS_RESERVE,
        )
    }

    fn row<'r>(r: &'r BuyReport, id: &str) -> &'r BuyRow {
        r.rows.iter().find(|x| x.id == id).unwrap()
    }

    #[test]
    fn buy_lists_the_machines_that_fit_a_70b_cheapest_first() {
        let r = run("llama-3.3-70b", &want(32768)).unwrap();
        assert_eq!(
            r.rows.len(),
            cabe_catalog::hardware().len() + multi_unit::CONFIGS.len()
        );
        let meeting: Vec<&BuyRow> = r.rows.iter().filter(|x| x.meets).collect();
        assert!(meeting.len() >= 5, "{}", meeting.len());
        // The meeting rows come first, priced ones in price order, unpriced after them.
        let first_other = r.rows.iter().position(|x| !x.meets).unwrap();
        assert!(r.rows[..first_other].iter().all(|x| x.meets));
        let prices: Vec<f64> = meeting.iter().filter_map(|x| x.price_usd).collect();
        assert!(prices.windows(2).all(|p| p[0] <= p[1]), "{prices:?}");
        let first_unpriced = meeting.iter().position(|x| x.price_usd.is_none());
        if let Some(i) = first_unpriced {
            assert!(meeting[i..].iter().all(|x| x.price_usd.is_none()));
        }
        for x in &meeting {
            assert_eq!(x.fit, Fit::Fits, "{}", x.id);
            assert!(
                x.headroom_bytes >= 0 && x.max_ctx.unwrap() >= 32768,
                "{x:?}"
            );
            let d = x.decode_tps.unwrap();
            assert!(d.low <= d.typical && d.typical <= d.high && d.high <= d.bound + 1e-9);
        }
        // A 24 GB card spills a ~40 GiB model: listed separately, not as meeting.
        assert_eq!(row(&r, "rtx-4090").fit, Fit::FitsWithOffload);
        assert!(!row(&r, "rtx-4090").meets);
        assert_eq!(r.cheapest.as_deref(), Some(meeting[0].id.as_str()));
    }

    #[test]
    fn an_m3_ultra_decodes_about_three_times_a_dgx_spark() {
        let r = run("llama-3.3-70b", &want(32768)).unwrap();
        let mac = row(&r, "mac-studio-m3-ultra-96gb").decode_tps.unwrap();
        let spark = row(&r, "dgx-spark-128gb").decode_tps.unwrap();
        // 819 vs 273 GB/s over the same bytes per token.
        let ratio = mac.typical / spark.typical;
        assert!((2.5..=3.5).contains(&ratio), "{ratio}");
        assert!((5.5..=7.5).contains(&spark.bound), "{spark:?}");
    }

    #[test]
    fn a_405b_finds_two_sparks_and_the_512_gb_mac_studio_and_says_what_each_gives() {
        let mut w = want(8192);
        w.prompt_tokens = Some(4096);
        let r = run("llama-3.1-405b", &w).unwrap();
        let spark = row(&r, "dgx-spark-128gb");
        assert_eq!(spark.fit, Fit::DoesNotFit);
        let two = row(&r, "2x-dgx-spark-128gb");
        let mac = row(&r, "mac-studio-m3-ultra-512gb");
        for x in [two, mac] {
            assert!(x.meets, "{x:?}");
            assert!(x.max_ctx.unwrap() >= 8192 && x.headroom_bytes > 0, "{x:?}");
            assert!(
                x.decode_tps.unwrap().typical > 0.0 && x.ttft_s.is_some(),
                "{x:?}"
            );
        }
        assert_eq!((two.units, mac.units), (2, 1));
        assert_eq!(two.price_usd, spark.price_usd.map(|p| 2.0 * p));
        assert!(two.link.as_ref().unwrap().name.contains("ConnectX-7"));
        // Both read ~245 GB per token; the Mac's 819 GB/s against the Spark's 273 GB/s.
        let ratio = mac.decode_tps.unwrap().typical / two.decode_tps.unwrap().typical;
        assert!((2.5..=3.5).contains(&ratio), "{ratio}");
        // At the native 131,072 tokens only the Mac holds the cache: the pair's fullest unit
        // runs out first, and says how far it goes.
        let r = run("llama-3.1-405b", &want(131072)).unwrap();
        let two = row(&r, "2x-dgx-spark-128gb");
        assert!(
            !two.meets && two.misses[0].contains("fullest unit"),
            "{two:?}"
        );
        assert!(two.max_ctx.unwrap() < 131072);
        assert!(row(&r, "mac-studio-m3-ultra-512gb").meets);
    }

    #[test]
    fn a_claim_above_the_spark_ceiling_is_called_out() {
        let mut w = want(32768);
        w.claim = Some(Claim {
            decode_tps: 25.0,
            on: "dgx-spark-128gb".into(),
        });
        let c = run("llama-3.3-70b", &w).unwrap().claim.unwrap();
        assert!(c.exceeds_ceiling && c.ceiling_tps < 8.0, "{c:?}");
        assert!(c.line.contains("above"), "{}", c.line);
        w.claim = Some(Claim {
            decode_tps: 5.0,
            on: "dgx-spark-128gb".into(),
        });
        assert!(
            !run("llama-3.3-70b", &w)
                .unwrap()
                .claim
                .unwrap()
                .exceeds_ceiling
        );
    }

    #[test]
    fn the_budget_marks_dearer_machines_and_the_cheapest_stays_within_it() {
        let mut w = want(8192);
        w.budget_usd = Some(3000.0);
        let r = run("llama-3.3-70b", &w).unwrap();
        for x in &r.rows {
            assert_eq!(
                x.over_budget,
                x.price_usd.is_some_and(|p| p > 3000.0),
                "{}",
                x.id
            );
        }
        assert!(row(&r, "mac-studio-m3-ultra-96gb").over_budget);
        let c = row(&r, r.cheapest.as_deref().unwrap());
        assert!(c.price_usd.unwrap() <= 3000.0 && c.meets);
    }

    #[test]
    fn speed_targets_exclude_slow_machines_and_say_why() {
        let mut w = want(8192);
        w.min_decode_tps = Some(10.0);
        w.prompt_tokens = Some(8000);
        w.max_ttft_s = Some(60.0);
        let r = run("llama-3.3-70b", &w).unwrap();
        let spark = row(&r, "dgx-spark-128gb");
        assert!(!spark.meets && spark.misses.iter().any(|m| m.contains("decode")));
        for x in r.rows.iter().filter(|x| x.meets) {
            assert!(x.decode_tps.unwrap().typical >= 10.0);
            assert!(x.ttft_s.unwrap().typical <= 60.0, "{x:?}");
        }
    }

    #[test]
    fn the_next_tier_is_the_next_dearer_machine_that_meets() {
        let r = run("llama-3.3-70b", &want(32768)).unwrap();
        let meeting: Vec<&BuyRow> = r
            .rows
            .iter()
            .filter(|x| x.meets && x.price_usd.is_some())
            .collect();
        let a = meeting[0];
        let t = a.next_tier.as_ref().expect("a dearer machine meets it too");
        let b = row(&r, &t.id);
        assert!(b.meets && t.extra_usd > 0.0);
        assert_eq!(t.extra_usd, b.price_usd.unwrap() - a.price_usd.unwrap());
        // No machine priced between them meets the workload.
        assert!(!meeting.iter().any(|x| {
            let p = x.price_usd.unwrap();
            p > a.price_usd.unwrap() && p < b.price_usd.unwrap()
        }));
        assert!(meeting.last().unwrap().next_tier.is_none());
    }

    #[test]
    fn bad_requests_are_refused() {
        let mut w = want(8192);
        w.budget_usd = Some(-5.0);
        assert!(run("llama-3.3-70b", &w).unwrap_err().contains("budget"));
        let mut w = want(8192);
        w.max_ttft_s = Some(30.0);
        assert!(run("llama-3.3-70b", &w)
            .unwrap_err()
            .contains("--prompt-tokens"));
        let mut w = want(8192);
        w.ctx = CtxChoice::Max;
        assert!(run("llama-3.3-70b", &w).unwrap_err().contains("--ctx max"));
        let mut w = want(8192);
        w.claim = Some(Claim {
            decode_tps: 5.0,
            on: "no-such-machine".into(),
        });
        assert!(run("llama-3.3-70b", &w).unwrap_err().contains("catalog"));
    }

    /// A price shown as sourced has an https page and a month behind it (the catalog refuses
    /// rows that give part of it); the rest are reported as not sourced.
    #[test]
    fn every_sourced_price_has_an_https_page_and_a_month() {
        let mut sourced = 0;
        for h in cabe_catalog::hardware() {
            if let Some(p) = &h.price_source {
                sourced += 1;
                assert!(h.spec.price_usd.is_some(), "{}", h.id);
                assert!(p.url.starts_with("https://"), "{}: {}", h.id, p.url);
                assert!(
                    p.date.len() == 7 && p.date.as_bytes()[4] == b'-',
                    "{}",
                    h.id
                );
                if p.kind == PriceKind::Street {
                    assert!(p.date >= h.released, "{}: street price before launch", h.id);
                }
            }
        }
        let priced = cabe_catalog::hardware()
            .iter()
            .filter(|h| h.spec.price_usd.is_some())
            .count();
        assert!(
            sourced * 2 >= priced,
            "{sourced} of {priced} prices sourced"
        );
        let r = run("llama-3.2-3b", &want(4096)).unwrap();
        let unsourced = r
            .rows
            .iter()
            .any(|x| x.price_usd.is_some() && x.price_source.is_none());
        assert_eq!(
            unsourced,
            r.notes.iter().any(|n| n.contains("price not sourced"))
        );
    }
}
