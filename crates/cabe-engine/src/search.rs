//! The one search for "what would make it fit": from a request that does not fit (or fits
//! only by spilling to system RAM), each single change of the user's settings that makes it
//! fit in the fast memory, with its numbers. `fit`, `doctor` and the advice commands all ask
//! here, so they never disagree about what would work.

use crate::assess::Request;
use crate::runtime::RuntimeSettings;
use cabe_core::kv::RuntimeProfile;
use cabe_core::model::ModelSpec;
use cabe_core::plan::{max_context, plan, Capacity, Verdict};
use cabe_core::quant::{FileType, KvType};
use cabe_core::weights::{for_file_type, Weights, WeightsOrigin};
use serde::Serialize;

/// Which setting a change touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A quantized KV cache (q8_0, then q4_0): half or a quarter of the cache's bytes.
    QuantizedKv,
    /// The routed experts of the first N layers in system RAM (`--n-cpu-moe`).
    ExpertsOnCpu,
    /// A shorter context per sequence.
    ShorterContext,
    /// Fewer parallel sequences.
    FewerSlots,
    /// A smaller quantization of the weights.
    SmallerQuant,
}

/// One change and what the plan is with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The change in the user's terms (`--kv-type q8_0`, `--ctx 98304`, `--quant Q3_K_M`).
    pub flag: String,
    pub settings: RuntimeSettings,
    /// Tokens per sequence with the change.
    pub ctx: u64,
    /// The file type, when the change is a smaller quantization.
    pub quant: Option<FileType>,
    pub weights_bytes: u64,
    pub total_bytes: u64,
    pub headroom_bytes: i64,
}

/// Quantizations a smaller-weights change may pick, best quality first: the types
/// llama-quantize's help lists as recommended, most bits first.
const QUANT_LADDER: &[FileType] = &[
    FileType::Q8_0,
    FileType::Q6_K,
    FileType::Q5_K_M,
    FileType::Q4_K_M,
    FileType::Q4_K_S,
    FileType::IQ4_XS,
    FileType::Q3_K_M,
    FileType::Q2_K,
];

/// Shortest context worth proposing: below it most chat templates and tools do not work.
pub const MIN_USEFUL_CTX: u64 = 2048;

/// Every single change that makes `req` fit in fast memory at `ctx` tokens per sequence, in a
/// fixed order of what the user gives up: a quantized KV cache (little quality), experts on
/// the CPU (decode speed), a shorter context, fewer slots, smaller weights (quality). Empty
/// when the request already fits.
pub fn changes_that_fit(req: &Request, ctx: u64) -> Vec<Change> {
    let m = req.spec;
    let s = &req.settings;
    let fits_with = |settings: &RuntimeSettings, w: &Weights, ctx: u64| {
        if settings.check(m).is_err() {
            return None;
        }
        let p = plan(m, w, &settings.profile(m, ctx), req.capacity);
        (p.verdict == Verdict::Fits).then_some(p)
    };
    if fits_with(s, req.weights, ctx).is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut push = |kind, flag: String, settings: RuntimeSettings, ctx, quant, w: &Weights| {
        if let Some(p) = fits_with(&settings, w, ctx) {
            out.push(Change {
                kind,
                flag,
                settings,
                ctx,
                quant,
                weights_bytes: w.bytes,
                total_bytes: p.memory.total_bytes,
                headroom_bytes: p.headroom_bytes,
            });
            true
        } else {
            false
        }
    };

    for kv in [KvType::Q8_0, KvType::Q4_0] {
        if kv.ggml().bits_per_weight() >= s.kv_type.ggml().bits_per_weight() {
            continue;
        }
        let t = RuntimeSettings {
            kv_type: kv,
            flash_attn: true,
            ..s.clone()
        };
        let flag = format!(
            "--kv-type {kv}{}",
            if s.flash_attn { "" } else { " --flash-attn on" }
        );
        if push(ChangeKind::QuantizedKv, flag, t, ctx, None, req.weights) {
            break;
        }
    }

    if m.moe.is_some() {
        if let Some(n) = fewest_cpu_moe_layers(req, ctx) {
            let t = RuntimeSettings {
                n_cpu_moe: n,
                ..s.clone()
            };
            push(
                ChangeKind::ExpertsOnCpu,
                format!("--n-cpu-moe {n}"),
                t,
                ctx,
                None,
                req.weights,
            );
        }
    }

    if let Some(c) = max_context(m, req.weights, &s.profile(m, ctx), req.capacity) {
        let c = c / 256 * 256;
        if c >= MIN_USEFUL_CTX && c < ctx {
            push(
                ChangeKind::ShorterContext,
                format!("--ctx {c}"),
                s.clone(),
                c,
                None,
                req.weights,
            );
        }
    }

    for n in (1..s.parallel).rev() {
        let t = RuntimeSettings {
            parallel: n,
            ..s.clone()
        };
        if fits_with(&t, req.weights, ctx).is_some() {
            // The most slots that still fit.
            push(
                ChangeKind::FewerSlots,
                format!("--parallel {n}"),
                t,
                ctx,
                None,
                req.weights,
            );
            break;
        }
    }

    let current_bpw = req.weights.bits_per_weight();
    let current = match &req.weights.origin {
        WeightsOrigin::Catalog { file_type } => FileType::parse(file_type),
        WeightsOrigin::File => None,
    };
    for &ft in QUANT_LADDER {
        // The ladder's mixes never go below their base type's bits per weight: one at or
        // above the current weights' cannot be smaller, and is not built.
        if Some(ft) == current || ft.base_type().bits_per_weight() >= current_bpw {
            continue;
        }
        let w = for_file_type(m, ft);
        if w.bytes >= req.weights.bytes {
            continue;
        }
        if push(
            ChangeKind::SmallerQuant,
            format!("--quant {}", ft.name()),
            s.clone(),
            ctx,
            Some(ft),
            &w,
        ) {
            break;
        }
    }
    out
}

/// The fewest layers whose routed experts must move to system RAM for the plan to fit (a
/// discrete GPU machine only: elsewhere the experts are in the same memory and nothing moves).
fn fewest_cpu_moe_layers(req: &Request, ctx: u64) -> Option<u32> {
    let s = &req.settings;
    if !s.runtime.rules().cpu_moe || s.n_cpu_moe == u32::MAX {
        return None;
    }
    least_cpu_moe_layers(
        req.spec,
        req.weights,
        req.capacity,
        &s.profile(req.spec, ctx),
        s.n_cpu_moe,
    )
}

/// The least `--n-cpu-moe N` (at least `from`) with which `base` fits the fast memory with
/// some experts in system RAM; None when even every layer's experts there does not fit.
/// More layers on the CPU never need more GPU memory, so a bisection finds it exactly.
pub fn least_cpu_moe_layers(
    m: &ModelSpec,
    w: &Weights,
    cap: &Capacity,
    base: &RuntimeProfile,
    from: u32,
) -> Option<u32> {
    m.moe.as_ref()?;
    let layers = m.n_layer();
    let fits = |n: u32| {
        let mut p = base.clone();
        p.n_cpu_moe = n;
        let plan = plan(m, w, &p, cap);
        plan.verdict == Verdict::Fits && plan.memory.cpu_experts.bytes > 0
    };
    if !fits(layers) {
        return None;
    }
    let (mut lo, mut hi) = (from, layers);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// Settings that may hold a longer context than `current`, least intrusive first: `current`
/// itself; flash attention on (without it a long context's attention scores are
/// materialized); a q8_0 cache (close to lossless: data/quality.toml's KV rows); one slot
/// instead of several; one slot and q8_0; then a q4_0 cache, alone and with one slot. A
/// quantized cache comes with flash attention, which llama.cpp needs for a quantized V.
/// Callers keep the rungs their runtime loads ([`RuntimeSettings::check`]).
pub fn context_ladder(current: &RuntimeSettings) -> Vec<RuntimeSettings> {
    let smaller = |k: KvType| k.ggml().bits_per_weight() < current.kv_type.ggml().bits_per_weight();
    let quantized = |k: KvType, s: &RuntimeSettings| RuntimeSettings {
        kv_type: k,
        flash_attn: true,
        ..s.clone()
    };
    let one = RuntimeSettings {
        parallel: 1,
        ..current.clone()
    };
    let mut ladder = vec![current.clone()];
    if !current.flash_attn {
        ladder.push(RuntimeSettings {
            flash_attn: true,
            ..current.clone()
        });
    }
    if smaller(KvType::Q8_0) {
        ladder.push(quantized(KvType::Q8_0, current));
    }
    if current.parallel > 1 {
        ladder.push(one.clone());
        if smaller(KvType::Q8_0) {
            ladder.push(quantized(KvType::Q8_0, &one));
        }
    }
    if smaller(KvType::Q4_0) {
        ladder.push(quantized(KvType::Q4_0, current));
        if current.parallel > 1 {
            ladder.push(quantized(KvType::Q4_0, &one));
        }
    }
    ladder
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{CtxChoice, Workload};
    use cabe_core::hardware::HardwareSpec;
    use cabe_core::plan::capacity;
    use cabe_core::units::GIB;

    fn changes(id: &str, memory_gib: u64, ctx: u64, settings: RuntimeSettings) -> Vec<Change> {
        let e = cabe_catalog::find_model(id).unwrap();
        let w = for_file_type(&e.spec, FileType::Q4_K_M);
        let hw = HardwareSpec::from_memory(memory_gib * GIB);
        let cap = capacity(&hw, 2 * GIB);
        let req = Request {
            spec: &e.spec,
            weights: &w,
            hardware: &hw,
            capacity: &cap,
            settings,
            ctx: CtxChoice::Tokens(ctx),
            workload: Workload::default(),
        };
        changes_that_fit(&req, ctx)
    }

    #[test]
    fn what_fits_already_needs_no_change() {
        assert!(changes("llama-3.2-1b", 16, 8192, RuntimeSettings::default()).is_empty());
    }

    #[test]
    fn every_change_fits_and_changes_one_thing() {
        let base = RuntimeSettings {
            parallel: 2,
            ..RuntimeSettings::default()
        };
        // The case cabe was born from, with two slots: 2 × 24 GiB of KV cache and 17.3 GiB
        // of weights do not fit a 64 GB machine; one slot, a q8_0 cache or a shorter context do.
        let all = changes("qwen3-coder-30b-a3b", 64, 262_144, base.clone());
        let kinds: Vec<ChangeKind> = all.iter().map(|c| c.kind).collect();
        assert!(kinds.contains(&ChangeKind::QuantizedKv), "{kinds:?}");
        assert!(kinds.contains(&ChangeKind::ShorterContext), "{kinds:?}");
        assert!(kinds.contains(&ChangeKind::FewerSlots), "{kinds:?}");
        for c in &all {
            assert!(c.headroom_bytes >= 0, "{c:?}");
            let same_but = |t: &RuntimeSettings| {
                let mut u = t.clone();
                u.kv_type = base.kv_type;
                u.parallel = base.parallel;
                u.n_cpu_moe = base.n_cpu_moe;
                u.flash_attn = base.flash_attn;
                u == base
            };
            assert!(same_but(&c.settings), "{c:?}");
            match c.kind {
                ChangeKind::ShorterContext => assert!(c.ctx < 262_144 && c.ctx % 256 == 0),
                ChangeKind::SmallerQuant => assert!(c.quant.is_some()),
                _ => assert_eq!(c.ctx, 262_144),
            }
        }
    }

    #[test]
    fn the_shorter_context_is_the_largest_that_fits() {
        let all = changes("llama-3.1-8b", 8, 131_072, RuntimeSettings::default());
        let c = all
            .iter()
            .find(|c| c.kind == ChangeKind::ShorterContext)
            .expect("a shorter context fits 8 GB");
        let more = changes("llama-3.1-8b", 8, c.ctx + 256, RuntimeSettings::default());
        assert!(!more.is_empty(), "{} + 256 tokens would still fit", c.ctx);
    }

    #[test]
    fn the_context_ladder_gives_up_least_first() {
        let current = RuntimeSettings {
            parallel: 2,
            flash_attn: false,
            ..RuntimeSettings::default()
        };
        let rungs: Vec<(KvType, bool, u32)> = context_ladder(&current)
            .iter()
            .map(|s| (s.kv_type, s.flash_attn, s.parallel))
            .collect();
        use KvType::*;
        assert_eq!(
            rungs,
            [
                (F16, false, 2),
                (F16, true, 2),
                (Q8_0, true, 2),
                (F16, false, 1),
                (Q8_0, true, 1),
                (Q4_0, true, 2),
                (Q4_0, true, 1),
            ]
        );
        // Nothing smaller than q4_0 is offered from q4_0.
        let q4 = RuntimeSettings {
            kv_type: Q4_0,
            ..RuntimeSettings::default()
        };
        assert_eq!(context_ladder(&q4).len(), 1);
    }
}
