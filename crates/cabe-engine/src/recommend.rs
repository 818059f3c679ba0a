//! What to run on a machine: every catalog model at every quantization, sized and timed
//! through the same assessment as `fit`, filtered by the user's constraints and ranked by
//! the documented formula in `docs/recommend.md` ([`score`]).

use crate::assess::{CtxChoice, Request, Workload};
use crate::runtime::RuntimeSettings;
use crate::search::{changes_that_fit, Change};
use crate::speed::SpeedBasis;
use cabe_catalog::{ModelEntry, ModelKind};
use cabe_core::hardware::HardwareSpec;
use cabe_core::plan::{max_context, plan, Capacity, MemoryPlan, Verdict};
use cabe_core::quant::FileType;
use cabe_core::speed::{Placement, Range};
use cabe_core::weights::WeightsBuilder;
use serde::{Deserialize, Serialize};

/// What the model is for: it sets the context a pick must hold and which families are
/// preferred.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Use {
    #[default]
    General,
    Chat,
    Code,
    Reasoning,
    LongContext,
    Agents,
}

impl Use {
    pub const ALL: [Use; 6] = [
        Use::General,
        Use::Chat,
        Use::Code,
        Use::Reasoning,
        Use::LongContext,
        Use::Agents,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Use::General => "general",
            Use::Chat => "chat",
            Use::Code => "code",
            Use::Reasoning => "reasoning",
            Use::LongContext => "long-context",
            Use::Agents => "agents",
        }
    }

    pub fn parse(s: &str) -> Result<Use, String> {
        let t = s.trim().to_ascii_lowercase();
        Use::ALL.into_iter().find(|u| u.name() == t).ok_or_else(|| {
            let names: Vec<&str> = Use::ALL.iter().map(|u| u.name()).collect();
            format!("unknown use '{s}' (one of: {})", names.join(", "))
        })
    }

    /// The context a pick must hold for this use unless `--min-ctx` says otherwise: a chat
    /// turn with its history (8K); a reasoning trace (16K); source files and their diffs
    /// (32K); an agent's tool schemas, files and transcript (64K); long documents (128K).
    pub fn default_ctx(self) -> u64 {
        match self {
            Use::General | Use::Chat => 8192,
            Use::Reasoning => 16384,
            Use::Code => 32768,
            Use::Agents => 65536,
            Use::LongContext => 131072,
        }
    }
}

/// The user's limits.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Constraints {
    pub min_ctx: Option<u64>,
    pub min_decode_tps: Option<f64>,
    /// With `max_ttft_s`: the first token of an N-token prompt must come in time.
    pub prompt_tokens: Option<u64>,
    pub max_ttft_s: Option<f64>,
    /// Largest perplexity increase over F16 a quantization may cost, percent.
    pub max_quality_loss_pct: Option<f64>,
    /// Only models whose family contains this.
    pub family: Option<String>,
    /// Only models whose licence contains this.
    pub license: Option<String>,
}

/// How a quantization's quality is known to the ranking: its perplexity increase over F16,
/// percent, from the quality data (`None`: not measured).
pub type QualityLoss<'a> = &'a (dyn Fn(FileType) -> Option<f64> + Sync);

/// One recommended (model, quantization, context).
#[derive(Clone, Debug, Serialize)]
pub struct Pick {
    pub model: String,
    pub name: String,
    pub family: String,
    pub quant: FileType,
    /// The context it is sized at (tokens per sequence) and the largest that fits.
    pub ctx: u64,
    pub max_ctx: Option<u64>,
    pub native_ctx: u64,
    pub total_bytes: u64,
    pub headroom_bytes: i64,
    pub decode_tps: Option<Range>,
    pub ttft_s: Option<Range>,
    /// Perplexity increase over F16, percent (`None`: not measured for this type).
    pub quality_loss_pct: Option<f64>,
    pub score: f64,
    pub why: String,
}

/// A model that does not fit at any quantization, and the smallest change that would (the
/// [`NEAR_MISSES`] closest to fitting).
#[derive(Clone, Debug, Serialize)]
pub struct NearMiss {
    pub model: String,
    pub quant: FileType,
    pub total_bytes: u64,
    pub capacity_bytes: u64,
    /// The first single change (in `changes_that_fit`'s order) that makes it fit, if any.
    pub change: Option<Change>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Recommendation {
    #[serde(rename = "use")]
    pub use_: Use,
    pub ctx: u64,
    pub picks: Vec<Pick>,
    pub near_misses: Vec<NearMiss>,
    /// Models left out by a constraint, with the reason, for `--explain`.
    pub excluded: Vec<(String, String)>,
    /// The same reasons as figures, one for each of `excluded`, for wording them in another
    /// language (`--json` carries the English of `excluded` only).
    #[serde(skip)]
    pub exclusions: Vec<Exclusion>,
}

/// Why a model is left out of the ranking.
#[derive(Clone, Debug, PartialEq)]
pub enum Exclusion {
    /// Not a chat or vision model: its kind, lower-case (`embedding`).
    NotChat(String),
    Family {
        family: String,
        want: String,
    },
    License {
        license: String,
        want: String,
    },
    /// Its native context is below the context asked for.
    NativeCtx {
        native: u64,
        want: u64,
    },
    /// The runtime refuses its settings for this model.
    RuntimeRefuses,
}

impl Exclusion {
    /// The reason in English, as `excluded` and `--json` carry it.
    pub fn english(&self) -> String {
        match self {
            Exclusion::NotChat(kind) => format!("a {kind} model does not chat"),
            Exclusion::Family { family, want } => format!("family {family} is not {want}"),
            Exclusion::License { license, want } => format!("licence {license} is not {want}"),
            Exclusion::NativeCtx { native, want } => {
                format!("its native context ({native}) is below the {want} tokens asked for")
            }
            Exclusion::RuntimeRefuses => "the runtime refuses its settings".into(),
        }
    }
}

/// Near misses reported: the ones closest to fitting.
pub const NEAR_MISSES: usize = 10;

/// What one model comes to.
enum Outcome<'m> {
    Pick(Pick),
    /// Fits at no quantization: its smallest one, that total, those weights, the context.
    Miss(
        &'m ModelEntry,
        FileType,
        u64,
        cabe_core::weights::Weights,
        u64,
    ),
    Excluded(String, Exclusion),
    Nothing,
}

/// Quantizations tried per model, best quality first. 16-bit weights are not among them: Q8_0
/// is within a tenth of a percent of F16's perplexity at half the bytes and twice the decode
/// rate (`data/quality.toml`), so it is always the better pick.
pub const QUANTS: &[FileType] = &[
    FileType::Q8_0,
    FileType::Q6_K,
    FileType::Q5_K_M,
    FileType::Q4_K_M,
    FileType::IQ4_XS,
    FileType::Q3_K_M,
    FileType::Q2_K,
];

/// The size a model's quality follows in the ranking, billions of parameters: the total for
/// a dense model; for a mixture of experts the geometric mean of total and active
/// parameters, the usual rule of thumb for what a MoE model matches in dense terms.
pub fn effective_params_b(m: &ModelEntry) -> f64 {
    match m.active_params_b {
        Some(active) if active < m.params_b => (m.params_b * active).sqrt(),
        _ => m.params_b,
    }
}

/// The loss charged to a quantization without a measurement: about a 3-bit k-quant's on the
/// reference series (`data/quality.toml`), so an unmeasured type never outranks a measured one
/// of the same size by accident.
pub const UNMEASURED_LOSS_PCT: f64 = 5.0;

/// The decode rate below which a pick is charged for being slow, tok/s: an interactive
/// reply for chat (20), and more for code and agents, whose tools read long answers (30).
pub fn comfortable_decode_tps(u: Use) -> f64 {
    match u {
        Use::Code | Use::Agents => 30.0,
        _ => 20.0,
    }
}

/// Steps of score one halving of the decode rate below the comfortable one costs.
pub const SLOW_WEIGHT: f64 = 2.0;

/// The ranking formula (docs/recommend.md): capability grows with the logarithm of the
/// effective size; a family made for the use gains one step (as much as doubling the size);
/// the quantization's perplexity increase costs 0.1 per percent; and below a comfortable
/// decode rate each halving of the speed costs two steps: a reply that crawls is worse than a
/// smaller model's, which is why an 8 GB laptop is better served by a 3–4B model than by a
/// 7B one squeezed in at 10 tok/s.
pub fn score(
    m: &ModelEntry,
    u: Use,
    loss_pct: Option<f64>,
    suits: bool,
    decode_tps: Option<f64>,
) -> f64 {
    let size = effective_params_b(m).max(0.05).log2();
    let fit_for_use = if suits { 1.0 } else { 0.0 };
    let loss = loss_pct.unwrap_or(UNMEASURED_LOSS_PCT);
    let comfortable = comfortable_decode_tps(u);
    let slow = match decode_tps {
        Some(d) if d > 0.0 => SLOW_WEIGHT * (d.min(comfortable) / comfortable).log2(),
        // No bandwidth figure: speed cannot be judged and is not charged.
        _ => 0.0,
    };
    size + fit_for_use - 0.1 * loss + slow
}

/// Ranks every chat model of `models` for this machine. `suits(model, use)` says whether a
/// model's family is made for the use (data, see `cabe_catalog`); `loss` gives each
/// quantization's measured cost.
#[allow(clippy::too_many_arguments)]
pub fn recommend<'m>(
    models: &'m [ModelEntry],
    hardware: &HardwareSpec,
    capacity: &Capacity,
    settings: &RuntimeSettings,
    basis: &SpeedBasis,
    u: Use,
    c: &Constraints,
    loss: QualityLoss,
    suits: &(dyn Fn(&ModelEntry, Use) -> bool + Sync),
) -> Recommendation {
    let want_ctx = c.min_ctx.unwrap_or_else(|| u.default_ctx());
    let mut picks = Vec::new();
    let mut near_misses = Vec::new();
    let mut excluded = Vec::new();
    let mut exclusions = Vec::new();
    let one = |m: &'m ModelEntry| -> Outcome<'m> {
        if let Some(why) = excluded_by(m, c, want_ctx) {
            return Outcome::Excluded(m.id.clone(), why);
        }
        let ctx = want_ctx.min(m.spec.native_ctx).max(256);
        if settings.check(&m.spec).is_err() {
            return Outcome::Excluded(m.id.clone(), Exclusion::RuntimeRefuses);
        }
        let profile = settings.profile(&m.spec, ctx);
        let mut smallest: Option<(FileType, u64, cabe_core::weights::Weights)> = None;
        let mut chosen: Option<(Pick, cabe_core::weights::Weights)> = None;
        let allowed: Vec<FileType> = QUANTS
            .iter()
            .copied()
            .filter(|&ft| match (c.max_quality_loss_pct, loss(ft)) {
                (Some(max), Some(l)) => l <= max,
                _ => true,
            })
            .collect();
        // Sizes fall along `allowed`, so whether a quantization fits does too: a binary search
        // finds the first that fits without sizing the ones above it.
        let mut builder = WeightsBuilder::new(&m.spec);
        let mut sized: Vec<Option<(cabe_core::weights::Weights, MemoryPlan)>> =
            (0..allowed.len()).map(|_| None).collect();
        let mut size = |i: usize, sized: &mut Vec<Option<_>>| -> bool {
            if sized[i].is_none() {
                let w = builder.at(allowed[i]);
                let p = plan(&m.spec, &w, &profile, capacity);
                sized[i] = Some((w, p));
            }
            sized[i]
                .as_ref()
                .is_some_and(|(_, p)| p.verdict == Verdict::Fits)
        };
        let (mut lo, mut hi) = (0, allowed.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if size(mid, &mut sized) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if lo == allowed.len() && !allowed.is_empty() {
            size(lo - 1, &mut sized);
            let (w, p) = sized[lo - 1].take().expect("sized above");
            smallest = Some((allowed[lo - 1], p.memory.total_bytes, w));
        }
        let effective_loss = |ft: FileType| loss(ft).unwrap_or(UNMEASURED_LOSS_PCT);
        for i in lo..allowed.len() {
            let ft = allowed[i];
            size(i, &mut sized);
            let (w, p) = sized[i].take().expect("sized above");
            if p.verdict != Verdict::Fits {
                continue;
            }
            let l = loss(ft);
            let prompt = c.prompt_tokens.unwrap_or(512);
            let empty = basis.predict(&m.spec, &w, &profile, Placement::default(), 0, prompt);
            let decode = empty.decode;
            if let (Some(min), Some(d)) = (c.min_decode_tps, decode) {
                if d.typical < min {
                    continue;
                }
            }
            let ttft = match (c.prompt_tokens, empty.prefill) {
                (Some(n), Some(p)) => Some(p.time_for(n as f64)),
                _ => None,
            };
            if let (Some(max), Some(t)) = (c.max_ttft_s, ttft) {
                if t.typical > max {
                    continue;
                }
            }
            let suited = suits(m, u);
            let s = score(m, u, l, suited, decode.map(|d| d.typical));
            if chosen.as_ref().is_some_and(|(best, _)| best.score >= s) {
                continue;
            }
            let pick = Pick {
                model: m.id.clone(),
                name: m.name.clone(),
                family: m.family.clone(),
                quant: ft,
                ctx,
                max_ctx: None,
                native_ctx: m.spec.native_ctx,
                total_bytes: p.memory.total_bytes,
                headroom_bytes: p.headroom_bytes,
                decode_tps: decode,
                ttft_s: ttft,
                quality_loss_pct: l,
                score: s,
                why: why_line(m, u, ft, l, suited),
            };
            chosen = Some((pick, w));
            // Smaller quantizations lose more and, once this one decodes at a comfortable
            // rate, gain nothing in speed: none can score higher.
            let comfortable = decode.is_none_or(|d| d.typical >= comfortable_decode_tps(u));
            let rest_lose_more = allowed[i + 1..]
                .iter()
                .all(|&f| effective_loss(f) >= effective_loss(ft));
            if comfortable && rest_lose_more {
                break;
            }
        }
        // The largest context is searched for the pick only (a binary search of plans).
        let chosen = chosen.map(|(mut pick, w)| {
            pick.max_ctx = max_context(&m.spec, &w, &profile, capacity);
            pick
        });
        match (chosen, smallest) {
            (Some(p), _) => Outcome::Pick(p),
            (None, Some((ft, total, w))) => Outcome::Miss(m, ft, total, w, ctx),
            (None, None) => Outcome::Nothing,
        }
    };
    // Models are independent: assessed on every core, merged in catalog order.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .max(1);
    let chunk = models.len().div_ceil(threads).max(1);
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = models
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("an assessment thread panicked"))
            .collect()
    });
    let mut misses = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Pick(p) => picks.push(p),
            Outcome::Miss(m, ft, total, w, ctx) => misses.push((m, ft, total, w, ctx)),
            Outcome::Excluded(id, why) => {
                excluded.push((id, why.english()));
                exclusions.push(why);
            }
            Outcome::Nothing => {}
        }
    }
    picks.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.model.cmp(&b.model)));
    // The closest misses, each with the change that would make it fit.
    misses.sort_by_key(|&(m, _, total, _, _)| (total, m.id.clone()));
    for (m, ft, total, w, ctx) in misses.into_iter().take(NEAR_MISSES) {
        near_misses.push(near_miss(
            m, ft, total, &w, hardware, capacity, settings, ctx,
        ));
    }
    Recommendation {
        use_: u,
        ctx: want_ctx,
        picks,
        near_misses,
        excluded,
        exclusions,
    }
}

fn excluded_by(m: &ModelEntry, c: &Constraints, want_ctx: u64) -> Option<Exclusion> {
    if !matches!(m.kind, ModelKind::Chat | ModelKind::Vision) {
        return Some(Exclusion::NotChat(format!("{:?}", m.kind).to_lowercase()));
    }
    if let Some(f) = &c.family {
        if !m
            .family
            .to_ascii_lowercase()
            .contains(&f.to_ascii_lowercase())
        {
            return Some(Exclusion::Family {
                family: m.family.clone(),
                want: f.clone(),
            });
        }
    }
    if let Some(l) = &c.license {
        if !m
            .license
            .to_ascii_lowercase()
            .contains(&l.to_ascii_lowercase())
        {
            return Some(Exclusion::License {
                license: m.license.clone(),
                want: l.clone(),
            });
        }
    }
    if m.spec.native_ctx < want_ctx {
        return Some(Exclusion::NativeCtx {
            native: m.spec.native_ctx,
            want: want_ctx,
        });
    }
    None
}

fn why_line(m: &ModelEntry, u: Use, ft: FileType, loss: Option<f64>, suited: bool) -> String {
    let size = if m.active_params_b.is_some() {
        format!(
            "{:.1}B MoE ({:.1}B active, ranked as {:.1}B)",
            m.params_b,
            m.active_params_b.unwrap_or(0.0),
            effective_params_b(m)
        )
    } else {
        format!("{:.1}B", m.params_b)
    };
    let q = match loss {
        Some(l) => format!("{} (+{l:.2}% perplexity)", ft.name()),
        None => format!("{} (loss not measured)", ft.name()),
    };
    let made_for = if suited {
        format!("; made for {}", u.name())
    } else {
        String::new()
    };
    // No per-use benchmark score is recorded for any model yet: say what the rank rests on.
    format!("{size} at {q}{made_for}; ranked by size, quantization loss and speed (no published score recorded)")
}

#[allow(clippy::too_many_arguments)]
fn near_miss(
    m: &ModelEntry,
    ft: FileType,
    total: u64,
    w: &cabe_core::weights::Weights,
    hardware: &HardwareSpec,
    capacity: &Capacity,
    settings: &RuntimeSettings,
    ctx: u64,
) -> NearMiss {
    let req = Request {
        spec: &m.spec,
        weights: w,
        hardware,
        capacity,
        settings: settings.clone(),
        ctx: CtxChoice::Tokens(ctx),
        workload: Workload::default(),
    };
    NearMiss {
        model: m.id.clone(),
        quant: ft,
        total_bytes: total,
        capacity_bytes: capacity.fast_bytes,
        change: changes_that_fit(&req, ctx).into_iter().next(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cabe_core::plan::capacity;
    use cabe_core::plan::DEFAULT_OS_RESERVE;
    use cabe_core::weights::for_file_type;

    /// A loss table shaped like llama-quantize's Δppl on Llama-3-8B (for tests only; the CLI
    /// passes the sourced data).
    fn loss(ft: FileType) -> Option<f64> {
        Some(match ft {
            FileType::Q8_0 => 0.04,
            FileType::Q6_K => 0.35,
            FileType::Q5_K_M => 0.9,
            FileType::Q4_K_M => 2.8,
            FileType::IQ4_XS => 3.2,
            FileType::Q3_K_M => 10.5,
            FileType::Q2_K => 56.0,
            _ => return None,
        })
    }

    fn on(id: &str, u: Use, c: &Constraints) -> Recommendation {
        let hw = &cabe_catalog::find_hardware(id).unwrap().spec;
        let cap = capacity(hw, DEFAULT_OS_RESERVE);
        let basis = SpeedBasis::catalog(hw, None);
        recommend(
            cabe_catalog::models(),
            hw,
            &cap,
            &RuntimeSettings::default(),
            &basis,
            u,
            c,
            &loss,
            &|m, u| cabe_catalog::uses::suits(&m.family, u.name()),
        )
    }

    #[test]
    fn an_8gb_m1_gets_small_models_at_4_to_5_bits_with_8k_context() {
        let r = on("macbook-pro-m1-8gb", Use::General, &Constraints::default());
        assert!(r.picks.len() >= 5, "{:?}", r.picks);
        for p in r.picks.iter().take(3) {
            let m = cabe_catalog::find_model(&p.model).unwrap();
            assert!(
                (1.5..=4.5).contains(&effective_params_b(m)),
                "{} ({} B) in the top three",
                p.model,
                m.params_b
            );
            assert!(p.ctx >= 8192 && p.max_ctx.unwrap() >= 8192, "{p:?}");
            assert!(
                [FileType::IQ4_XS, FileType::Q4_K_M, FileType::Q5_K_M].contains(&p.quant),
                "{} at {}: 4 to 5 bits expected",
                p.model,
                p.quant.name()
            );
        }
        // Nothing of 7B and up is listed as fitting this machine at 8 bits.
        for p in &r.picks {
            let m = cabe_catalog::find_model(&p.model).unwrap();
            if m.params_b >= 7.0 {
                assert!(p.quant != FileType::Q8_0, "{p:?}");
            }
        }
    }

    #[test]
    fn code_prefers_a_coder_of_the_same_size() {
        let r = on("rtx-4090", Use::Code, &Constraints::default());
        let rank = |id: &str| r.picks.iter().position(|p| p.model == id);
        let coder = rank("qwen2.5-coder-7b").expect("listed");
        let general = rank("qwen2.5-7b").expect("listed");
        assert!(coder < general, "{coder} vs {general}");
    }

    #[test]
    fn constraints_hold_for_every_pick() {
        let c = Constraints {
            min_ctx: Some(32768),
            min_decode_tps: Some(20.0),
            max_quality_loss_pct: Some(3.0),
            ..Constraints::default()
        };
        let r = on("mac-mini-m4-pro-48gb", Use::Chat, &c);
        assert!(!r.picks.is_empty());
        for p in &r.picks {
            assert!(p.ctx >= 32768);
            assert!(p.decode_tps.unwrap().typical >= 20.0, "{p:?}");
            assert!(p.quality_loss_pct.unwrap() <= 3.0, "{p:?}");
        }
        assert!(r
            .excluded
            .iter()
            .any(|(_, why)| why.contains("native context")));
    }

    #[test]
    fn what_does_not_fit_is_a_near_miss_with_a_change() {
        let r = on("rtx-3060-12gb", Use::General, &Constraints::default());
        assert!(!r.picks.iter().any(|p| p.model == "llama-3.3-70b"));
        assert!(!r.near_misses.is_empty() && r.near_misses.len() <= NEAR_MISSES);
        let totals: Vec<u64> = r.near_misses.iter().map(|n| n.total_bytes).collect();
        assert!(
            totals.windows(2).all(|w| w[0] <= w[1]),
            "closest first: {totals:?}"
        );
        for n in &r.near_misses {
            assert_eq!(n.quant, FileType::Q2_K, "{n:?}");
            assert!(n.total_bytes > n.capacity_bytes, "{n:?}");
            if let Some(c) = &n.change {
                assert!(c.headroom_bytes >= 0, "{n:?}");
            }
        }
        assert!(r.near_misses.iter().any(|n| n.change.is_some()));
    }

    /// The binary search and the early stop pick what trying every quantization would.
    #[test]
    fn the_pick_is_the_best_of_every_quantization() {
        for id in ["macbook-pro-m1-8gb", "rtx-4090", "hp-laptop-i5-1035g1-14gb"] {
            let hw = &cabe_catalog::find_hardware(id).unwrap().spec;
            let cap = capacity(hw, DEFAULT_OS_RESERVE);
            let basis = SpeedBasis::catalog(hw, None);
            let r = on(id, Use::Code, &Constraints::default());
            let settings = RuntimeSettings::default();
            for m in cabe_catalog::models().iter().filter(|m| {
                excluded_by(m, &Constraints::default(), Use::Code.default_ctx()).is_none()
            }) {
                let ctx = Use::Code.default_ctx().min(m.spec.native_ctx);
                let profile = settings.profile(&m.spec, ctx);
                let best = QUANTS
                    .iter()
                    .filter_map(|&ft| {
                        let w = for_file_type(&m.spec, ft);
                        let p = plan(&m.spec, &w, &profile, &cap);
                        (p.verdict == Verdict::Fits).then(|| {
                            let d = basis
                                .predict(&m.spec, &w, &profile, Placement::default(), 0, 512)
                                .decode;
                            (
                                score(
                                    m,
                                    Use::Code,
                                    loss(ft),
                                    cabe_catalog::uses::suits(&m.family, "code"),
                                    d.map(|d| d.typical),
                                ),
                                ft,
                            )
                        })
                    })
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                let pick = r.picks.iter().find(|p| p.model == m.id);
                match (best, pick) {
                    (Some((s, _)), Some(p)) => assert!(
                        (p.score - s).abs() < 1e-9,
                        "{id} {}: {} vs best {s}",
                        m.id,
                        p.score
                    ),
                    (None, None) => {}
                    (b, p) => panic!(
                        "{id} {}: brute force {b:?}, recommend {:?}",
                        m.id,
                        p.map(|p| p.quant)
                    ),
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Over machines and uses: every pick fits (memory within the capacity) and every
        /// decode range stays at or below its ceiling.
        #[test]
        fn every_pick_fits_and_stays_under_its_ceiling(
            machine in 0usize..cabe_catalog::hardware().len(),
            u in 0usize..Use::ALL.len(),
        ) {
            let hw = &cabe_catalog::hardware()[machine];
            let r = on(&hw.id, Use::ALL[u], &Constraints::default());
            let cap = capacity(&hw.spec, DEFAULT_OS_RESERVE);
            for p in &r.picks {
                proptest::prop_assert!(p.total_bytes <= cap.fast_bytes, "{} on {}", p.model, hw.id);
                proptest::prop_assert!(p.headroom_bytes >= 0);
                if let Some(d) = p.decode_tps {
                    proptest::prop_assert!(d.high <= d.bound + 1e-9, "{} on {}: {d:?}", p.model, hw.id);
                }
            }
        }
    }
}
