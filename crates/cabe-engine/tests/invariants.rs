//! Properties the engine's answers must have whatever the model, machine and settings, over
//! the catalog's models and machines, common quantizations, KV cache types, 1–4 parallel
//! sequences and contexts from 256 to the native one:
//!
//! * more context never needs less memory (total and KV cache);
//! * a quantized KV cache (q8_0, q4_0) never needs more than f16 at the same settings;
//! * headroom is the capacity the verdict is judged against minus what the plan needs, and
//!   the verdict agrees with it;
//! * the largest context that fits does fit, is a multiple of 256 (or the native context), and
//!   256 tokens more does not fit unless that passes the native context (a 1,010,000-token
//!   model whose every context fits gets 1,009,920: the regression file keeps that case);
//! * decode predictions stay within their ceiling (η = 1) and are ordered low ≤ typical ≤
//!   high;
//!
//! and, for a few architectures, that a GGUF written from a catalog spec and read back gives
//! the catalog's weights and KV bytes.

use cabe_catalog::{HardwareEntry, ModelEntry};
use cabe_core::ftype_mix::converted_type;
use cabe_core::layout::tensor_shapes;
use cabe_core::plan::{capacity, Capacity, Verdict, DEFAULT_OS_RESERVE};
use cabe_core::quant::{FileType, GgmlType, KvType};
use cabe_core::speed::Placement;
use cabe_core::weights::{for_file_type, Weights};
use cabe_engine::{
    assess_memory, CtxChoice, MemoryAssessment, Request, RuntimeSettings, SpeedBasis,
};
use proptest::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

const FILE_TYPES: &[FileType] = &[
    FileType::Q4_K_M,
    FileType::Q5_K_M,
    FileType::Q6_K,
    FileType::Q8_0,
    FileType::Q4_0,
    FileType::Q3_K_M,
    FileType::Q2_K,
    FileType::BF16,
];

const KV_TYPES: &[KvType] = &[KvType::F16, KvType::Q8_0, KvType::Q4_0];

/// Weights of a catalog model at a file type, built once per pair (building the tensor list
/// of a big model is the slow part of a case).
fn weights(model: usize, ft: FileType) -> Arc<Weights> {
    type Cache = Mutex<HashMap<(usize, FileType), Arc<Weights>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(w) = cache.lock().unwrap().get(&(model, ft)) {
        return w.clone();
    }
    let w = Arc::new(for_file_type(&cabe_catalog::models()[model].spec, ft));
    cache.lock().unwrap().insert((model, ft), w.clone());
    w
}

/// One generated situation.
#[derive(Clone, Debug)]
struct Case {
    model: usize,
    hw: usize,
    ft: FileType,
    kv: KvType,
    parallel: u32,
    /// Two contexts, `a ≤ b`, each in 256..=native.
    a: u64,
    b: u64,
}

impl Case {
    fn entry(&self) -> &'static ModelEntry {
        &cabe_catalog::models()[self.model]
    }
    fn machine(&self) -> &'static HardwareEntry {
        &cabe_catalog::hardware()[self.hw]
    }
    fn native(&self) -> u64 {
        self.entry().spec.native_ctx.max(256)
    }
    fn settings(&self, kv: KvType) -> RuntimeSettings {
        RuntimeSettings {
            kv_type: kv,
            parallel: self.parallel,
            ..RuntimeSettings::default()
        }
    }
}

fn case() -> impl Strategy<Value = Case> {
    let n_models = cabe_catalog::models().len();
    let n_hw = cabe_catalog::hardware().len();
    (
        0..n_models,
        0..n_hw,
        prop::sample::select(FILE_TYPES),
        prop::sample::select(KV_TYPES),
        1u32..=4,
        0.0f64..=1.0,
        0.0f64..=1.0,
    )
        .prop_map(|(model, hw, ft, kv, parallel, x, y)| {
            let native = cabe_catalog::models()[model].spec.native_ctx.max(256);
            // Contexts spread on a log scale, so small ones are drawn as often as large.
            let at = |f: f64| {
                let lo = 256f64.ln();
                let hi = (native as f64).ln();
                ((lo + f * (hi - lo)).exp().round() as u64).clamp(256, native)
            };
            let (a, b) = (at(x.min(y)), at(x.max(y)));
            Case {
                model,
                hw,
                ft,
                kv,
                parallel,
                a,
                b,
            }
        })
}

fn assess(
    c: &Case,
    kv: KvType,
    ctx: CtxChoice,
    cap: &Capacity,
) -> Result<MemoryAssessment, String> {
    let w = weights(c.model, c.ft);
    let req = Request {
        spec: &c.entry().spec,
        weights: &w,
        hardware: &c.machine().spec,
        capacity: cap,
        settings: c.settings(kv),
        ctx,
        workload: Default::default(),
    };
    assess_memory(&req)
}

fn cap_of(c: &Case) -> Capacity {
    capacity(&c.machine().spec, DEFAULT_OS_RESERVE)
}

/// The assessment at `ctx` with the case's KV type; f16 is always accepted, so a refusal of a
/// quantized cache (its block does not divide the head size) is the only allowed error.
fn at(c: &Case, kv: KvType, ctx: u64, cap: &Capacity) -> Option<MemoryAssessment> {
    match assess(c, kv, CtxChoice::Tokens(ctx), cap) {
        Ok(m) => Some(m),
        Err(e) => {
            assert_ne!(kv, KvType::F16, "f16 refused for {}: {e}", c.entry().id);
            None
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn more_context_never_needs_less_memory(c in case()) {
        let cap = cap_of(&c);
        if let (Some(lo), Some(hi)) = (at(&c, c.kv, c.a, &cap), at(&c, c.kv, c.b, &cap)) {
            let (l, h) = (&lo.plan.memory, &hi.plan.memory);
            prop_assert!(l.total_bytes <= h.total_bytes, "{} at {} > at {}: {c:?}", l.total_bytes, c.a, c.b);
            prop_assert!(l.kv_cache_bytes <= h.kv_cache_bytes, "{c:?}");
            prop_assert_eq!(l.weights_bytes, h.weights_bytes);
            prop_assert_eq!(lo.ctx, c.a);
        }
    }

    #[test]
    fn a_quantized_kv_cache_never_needs_more_than_f16(c in case()) {
        let cap = cap_of(&c);
        let f16 = at(&c, KvType::F16, c.b, &cap).expect("f16");
        for kv in [KvType::Q8_0, KvType::Q4_0] {
            if let Some(q) = at(&c, kv, c.b, &cap) {
                let (q, f) = (&q.plan.memory, &f16.plan.memory);
                prop_assert!(q.kv_cache_bytes <= f.kv_cache_bytes, "{kv:?} KV {} > f16 {}: {c:?}", q.kv_cache_bytes, f.kv_cache_bytes);
                prop_assert!(q.total_bytes <= f.total_bytes, "{kv:?} total {} > f16 {}: {c:?}", q.total_bytes, f.total_bytes);
            }
        }
    }

    #[test]
    fn headroom_is_capacity_minus_total(c in case()) {
        let cap = cap_of(&c);
        if let Some(m) = at(&c, c.kv, c.b, &cap) {
            let p = &m.plan;
            let total = p.memory.total_bytes as i128;
            // No --n-cpu-moe here: the fast memory holds everything that is not spilled.
            prop_assert_eq!(p.memory.cpu_experts.bytes, 0);
            let limit = match p.verdict {
                Verdict::FitsWithOffload => cap.total_bytes,
                _ => cap.fast_bytes,
            } as i128;
            prop_assert_eq!(p.headroom_bytes as i128, limit - total, "{:?}", c);
            // The verdict follows from the same numbers.
            let want = if total <= cap.fast_bytes as i128 {
                Verdict::Fits
            } else if total <= cap.total_bytes as i128 {
                Verdict::FitsWithOffload
            } else {
                Verdict::DoesNotFit
            };
            prop_assert_eq!(p.verdict, want, "{:?}", c);
            prop_assert_eq!(p.fits, want != Verdict::DoesNotFit);
        }
    }

    #[test]
    fn the_largest_context_that_fits_fits_and_256_more_does_not(c in case()) {
        let cap = cap_of(&c);
        let Ok(m) = assess(&c, c.kv, CtxChoice::Max, &cap) else {
            prop_assert_ne!(c.kv, KvType::F16);
            return Ok(());
        };
        let native = c.native();
        match m.max_ctx {
            None => {
                let p = at(&c, c.kv, 256, &cap).unwrap();
                prop_assert_ne!(p.plan.verdict, Verdict::Fits, "{:?}", c);
            }
            Some(best) => {
                prop_assert!((256..=native).contains(&best), "{best} of {native}: {c:?}");
                // `--ctx max` uses it.
                prop_assert_eq!(m.ctx, best);
                prop_assert_eq!(m.plan.verdict, Verdict::Fits, "{:?}", c);
                let p = at(&c, c.kv, best, &cap).unwrap();
                prop_assert_eq!(p.plan.verdict, Verdict::Fits, "{:?}", c);
                // A multiple of 256, or the native context itself.
                prop_assert!(best % 256 == 0 || best == native, "{best}: {c:?}");
                // 256 more does not fit, where 256 more is still within the native context (a
                // native context that is not a multiple of 256 may leave less than that).
                if best + 256 <= native {
                    let more = at(&c, c.kv, best + 256, &cap).unwrap();
                    prop_assert_ne!(more.plan.verdict, Verdict::Fits, "{} fits too: {:?}", best + 256, c);
                }
            }
        }
    }

    #[test]
    fn decode_never_exceeds_its_ceiling(c in case(), pos in 0.0f64..=1.0) {
        let cap = cap_of(&c);
        let Some(m) = at(&c, c.kv, c.b, &cap) else { return Ok(()) };
        let hw = &c.machine().spec;
        let basis = SpeedBasis::catalog(hw, None);
        let w = weights(c.model, c.ft);
        let pos = (pos * c.b as f64) as u64;
        for place in [Placement::default(), Placement::from_plan(&m.plan, &w)] {
            let p = basis.predict(&c.entry().spec, &w, &m.profile, place, pos, 512);
            prop_assert_eq!(p.decode.is_some(), hw.bandwidth_gbps > 0.0, "{:?}", c);
            if let Some(d) = p.decode {
                let eps = d.bound * 1e-9;
                prop_assert!(d.low > 0.0 && d.low.is_finite(), "{d:?}: {c:?}");
                prop_assert!(d.low <= d.typical + eps && d.typical <= d.high + eps, "{d:?}: {c:?}");
                prop_assert!(d.high <= d.bound + eps, "decode {d:?} over its ceiling: {c:?}");
            }
        }
    }
}

/// The smallest catalog model of an architecture (fewest layers × width): its GGUF is the
/// quickest to write.
fn smallest(arch: &str) -> &'static ModelEntry {
    cabe_catalog::models()
        .iter()
        .filter(|e| e.spec.architecture == arch)
        .min_by_key(|e| e.spec.n_layer() as u64 * e.spec.n_embd)
        .unwrap_or_else(|| panic!("no {arch} model in the catalog"))
}

/// A catalog spec written as a BF16 GGUF (the metadata llama.cpp reads, the tensors a
/// conversion writes, data a sparse hole) and read back is sized as the catalog sizes it.
#[test]
fn a_gguf_written_from_the_catalog_is_sized_as_the_catalog_sizes_it() {
    let dir = tempfile::tempdir().unwrap();
    let hw = &cabe_catalog::hardware()[0].spec;
    let cap = capacity(hw, DEFAULT_OS_RESERVE);
    for arch in ["llama", "qwen3moe", "gemma3", "deepseek2"] {
        let e = smallest(arch);
        let spec = &e.spec;
        let path = dir.path().join(format!("{arch}.gguf"));
        let kv = cabe_gguf::metadata::model_metadata(spec, FileType::BF16).unwrap();
        let tensors: Vec<cabe_gguf::writer::TensorSpec> = tensor_shapes(spec)
            .into_iter()
            .map(|s| cabe_gguf::writer::TensorSpec {
                ty: converted_type(&s, GgmlType::BF16),
                name: s.name,
                dims: s.dims,
            })
            .collect();
        cabe_gguf::writer::write_sparse(&path, &kv, &tensors).unwrap();

        let model = cabe_gguf::read_model(&path).unwrap();
        let infos: Vec<cabe_gguf::TensorInfo> = model.tensors().cloned().collect();
        let read = cabe_gguf::spec::model_spec(model.first(), &infos).unwrap();
        let from_file = cabe_gguf::spec::file_weights(&read, &infos);
        let from_catalog = for_file_type(spec, FileType::BF16);
        assert_eq!(read.architecture, arch);
        assert_eq!(read.native_ctx, spec.native_ctx, "{}", e.id);
        assert_eq!(from_file.bytes, from_catalog.bytes, "{}: weights", e.id);
        assert_eq!(
            from_file.params_total, from_catalog.params_total,
            "{}",
            e.id
        );
        assert_eq!(
            from_file.bytes_active, from_catalog.bytes_active,
            "{}",
            e.id
        );

        // The KV cache at a few contexts and settings, through the engine both ways.
        for (kv_type, parallel, ctx) in [
            (KvType::F16, 1, 4096),
            (KvType::Q8_0, 2, 32768),
            (KvType::F16, 4, spec.native_ctx.max(256)),
        ] {
            let settings = RuntimeSettings {
                kv_type,
                parallel,
                ..RuntimeSettings::default()
            };
            let ask = |s: &cabe_core::model::ModelSpec, w: &Weights| {
                assess_memory(&Request {
                    spec: s,
                    weights: w,
                    hardware: hw,
                    capacity: &cap,
                    settings: settings.clone(),
                    ctx: CtxChoice::Tokens(ctx),
                    workload: Default::default(),
                })
            };
            match (ask(&read, &from_file), ask(spec, &from_catalog)) {
                (Ok(f), Ok(c)) => {
                    let (f, c) = (&f.plan.memory, &c.plan.memory);
                    assert_eq!(
                        f.kv_cache_bytes, c.kv_cache_bytes,
                        "{} {kv_type:?} ×{parallel} at {ctx}: KV",
                        e.id
                    );
                    assert_eq!(
                        f.total_bytes, c.total_bytes,
                        "{} {kv_type:?} ×{parallel} at {ctx}: total",
                        e.id
                    );
                }
                (Err(f), Err(c)) => assert_eq!(f, c),
                (f, c) => panic!("{}: file {:?} vs catalog {:?}", e.id, f.err(), c.err()),
            }
        }
    }
}
