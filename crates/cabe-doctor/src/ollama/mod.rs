//! Ollama's rules, as pure functions: how the settings in force come from a request's
//! options, the Modelfile, the `OLLAMA_*` variables and the installed version's defaults
//! ([`resolve`]); the variables themselves ([`env`](mod@env)); model names and tags
//! ([`names`]); Modelfile parameters Ollama dropped ([`params`]); and the version history
//! ([`versions`]).

pub mod env;
pub mod names;
pub mod params;
pub mod versions;

pub use env::{parse_bool_env, Env, InvalidVar};
pub use names::{ctx_label, derive_model_name};
pub use params::removed_parameter;

use crate::inputs::OllamaConfig;
use crate::report::Effective;
use cabe_core::hardware::{HardwareSpec, MemoryKind};
use cabe_core::model::ModelSpec;
use cabe_core::quant::KvType;
use cabe_i18n::Lang;
use versions::{ParallelDefault, Version};

/// A yes/no choice for a message's selector.
pub(crate) fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Ollama's settings in force, and what they came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolution {
    pub effective: Effective,
    /// The server's variables as this version reads them.
    pub env: Env,
    /// A request, the Modelfile or `OLLAMA_CONTEXT_LENGTH` set the context. A default above
    /// the model's context is clamped silently; an explicit one is worth a finding.
    pub ctx_explicit: bool,
    /// What was assumed (the version) or ignored (a variable), in words.
    pub notes: Vec<String>,
}

/// GPU memory Ollama counts for its VRAM tiers: a discrete GPU's VRAM, the GPU's share of
/// unified memory (the whole pool when no share is known), none on a CPU-only machine.
pub fn tier_vram(h: &HardwareSpec) -> u64 {
    match h.kind {
        MemoryKind::DiscreteGpu => h.vram_bytes,
        MemoryKind::Unified => h
            .gpu_memory_fraction
            .map_or(h.ram_bytes, |f| (h.ram_bytes as f64 * f) as u64),
        MemoryKind::CpuOnly => 0,
    }
}

/// The settings an Ollama server runs `o`'s model with on machine `hw`. `fits(ctx, slots, kv,
/// flash_attn)` says whether a setup fits the fast memory: versions whose parallel default is
/// "auto" drop to one slot when the default does not fit.
pub fn resolve(
    o: &OllamaConfig,
    spec: &ModelSpec,
    hw: &HardwareSpec,
    lang: Lang,
    fits: impl Fn(u64, u32, KvType, bool) -> bool,
) -> Resolution {
    let native = spec.native_ctx;
    let mut notes = Vec::new();
    let parsed = o.version.as_deref().and_then(Version::parse);
    let v = parsed.unwrap_or(versions::ASSUMED_CURRENT);
    let assumed = parsed.is_none();
    match (&o.version, parsed) {
        (Some(s), None) => notes.push(t!(lang, "note-version-unrecognised", version = s)),
        (None, _) => notes.push(t!(lang, "note-version-unknown")),
        _ => {}
    }
    let env = Env::parse(&o.env, v);
    notes.extend(env.notes.iter().cloned());
    let vram = tier_vram(hw).saturating_sub(env.gpu_overhead);

    // Context: request > Modelfile > OLLAMA_CONTEXT_LENGTH > the version's default.
    let (configured, ctx_source) = if let Some(n) = o.request_num_ctx {
        (n, t!(lang, "src-request-num-ctx", n = n.to_string()))
    } else if let Some(n) = o.num_ctx_param {
        (
            n,
            t!(
                lang,
                "src-num-ctx-param",
                n = n.to_string(),
                where = &o.num_ctx_param_source
            ),
        )
    } else if let Some(n) = env.context_length {
        (
            n,
            t!(
                lang,
                "src-context-length-env",
                n = n.to_string(),
                where = &o.env_source
            ),
        )
    } else {
        let (n, words) = versions::default_num_ctx_in(v, &spec.architecture, vram, lang);
        (
            n,
            t!(
                lang,
                "src-default-ctx",
                words = words,
                assumed = yes_no(assumed)
            ),
        )
    };
    let ctx_explicit =
        o.request_num_ctx.is_some() || o.num_ctx_param.is_some() || env.context_length.is_some();
    // Current Ollama clamps a context above the model's to the model's.
    let ctx = if native > 0 && configured > native {
        native
    } else {
        configured
    };

    // Flash attention ("auto" when unset or unreadable) and the KV type, which Ollama applies
    // only with flash attention on.
    let auto_fa = || t!(lang, "src-fa-auto");
    let (fa, fa_source) = match (env.flash_attention, o.env.flash_attention.as_deref()) {
        (Some(b), Some(s)) => (b, format!("OLLAMA_FLASH_ATTENTION={s}")),
        _ => (true, auto_fa()),
    };
    let (kv, kv_source) = match (env.kv_cache_type, o.env.kv_cache_type.as_deref()) {
        (Some(k), Some(s)) if fa => (k, format!("OLLAMA_KV_CACHE_TYPE={s}")),
        (Some(_), _) => (KvType::F16, t!(lang, "src-kv-fa-off")),
        _ => (KvType::F16, t!(lang, "src-kv-default")),
    };

    // Parallel slots.
    let (parallel, parallel_source) = match env.num_parallel {
        Some(n) => (n, format!("OLLAMA_NUM_PARALLEL={n}")),
        None if env.is_invalid("OLLAMA_NUM_PARALLEL") => {
            (1, t!(lang, "src-parallel-default-invalid"))
        }
        None => match versions::default_num_parallel_in(v, lang) {
            (ParallelDefault::Fixed { slots }, why) => (
                slots,
                t!(
                    lang,
                    "src-parallel-unset",
                    why = why,
                    assumed = yes_no(assumed)
                ),
            ),
            (ParallelDefault::Auto { slots }, why) => {
                if fits(ctx, slots, kv, fa) {
                    (
                        slots,
                        t!(lang, "src-parallel-unset", why = why, assumed = "no"),
                    )
                } else {
                    (
                        1,
                        t!(lang, "src-parallel-auto-too-many", why = why, slots = slots),
                    )
                }
            }
        },
    };

    Resolution {
        effective: Effective {
            runtime: "ollama".into(),
            ctx,
            ctx_configured: configured,
            ctx_source,
            parallel,
            parallel_source,
            kv_type: kv,
            kv_source,
            flash_attn: fa,
            flash_attn_source: fa_source,
            version: o.version.clone(),
        },
        env,
        ctx_explicit,
        notes,
    }
}
