//! Inputs → the settings in force → findings (each with its arithmetic and a fix) → the fix,
//! written out (Modelfile, `ollama create`, env vars, llama-server flags, client timeout) with
//! a memory check of the fixed setup. Memory comes from `cabe_core::plan`; nothing here
//! re-derives an estimator formula.

use crate::inputs::*;
use crate::ollama_versions::{self as versions, ParallelDefault, Version};
use cabe_core::hardware::MemoryKind;
use cabe_core::kv::RuntimeProfile;
use cabe_core::plan::{max_context, plan, MemoryPlan, Verdict};
use cabe_core::quant::{FileType, KvType};
use cabe_core::speed::{decode_rate, Placement};
use cabe_core::units::{fmt_bytes, fmt_gb, fmt_int};
use cabe_core::weights::for_file_type;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing wrong (or worth knowing) about the setup.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Stable identifier, e.g. `prompt-over-ctx`.
    pub id: String,
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// The arithmetic, in words.
    pub message: String,
    /// The figures used.
    pub numbers: BTreeMap<String, Value>,
    /// What to do about it.
    pub fix: String,
}

/// The settings in force, and why each has its value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effective {
    /// `ollama` or `llama-server`.
    pub runtime: String,
    /// Context per slot after Ollama's clamp to the model's context_length.
    pub ctx: u64,
    /// Context as configured (before the clamp).
    pub ctx_configured: u64,
    pub ctx_source: String,
    pub parallel: u32,
    pub parallel_source: String,
    pub kv_type: KvType,
    pub kv_source: String,
    pub flash_attn: bool,
    pub flash_attn_source: String,
    pub version: Option<String>,
}

/// A memory plan, summed up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemoryCheck {
    /// Context per slot.
    pub ctx: u64,
    pub parallel: u32,
    pub kv_type: KvType,
    pub flash_attn: bool,
    pub weights_bytes: u64,
    pub kv_bytes: u64,
    pub compute_bytes: u64,
    pub total_bytes: u64,
    /// What the machine gives (the fast pool; with offload, VRAM + RAM).
    pub capacity_bytes: u64,
    pub headroom_bytes: i64,
    pub verdict: Verdict,
    pub fits: bool,
    /// One line: "262,144 tokens × 1 slot, KV f16: 44.0 GB of 66.6 GB → fits, 22.6 GB to spare".
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvSetting {
    pub name: String,
    pub value: String,
    pub why: String,
}

/// The fix, written out.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Fix {
    /// Context per slot the fix sets.
    pub ctx: Option<u64>,
    /// The corrected Ollama model's name.
    pub new_model: Option<String>,
    /// A complete Modelfile.
    pub modelfile: Option<String>,
    /// `ollama create NEW -f PATH`.
    pub create_command: Option<String>,
    /// Server environment variables to set (then restart the server).
    pub env: Vec<EnvSetting>,
    /// A llama-server command line fragment.
    pub llama_server_flags: Option<String>,
    /// The client timeout to set, seconds.
    pub client_timeout_s: Option<u64>,
    /// Memory of the fixed setup on this machine.
    pub memory_check: Option<MemoryCheck>,
    /// The fix as steps, in words.
    pub steps: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelSummary {
    pub name: String,
    pub display_name: String,
    pub architecture: String,
    pub native_ctx: u64,
    pub n_layer: u32,
    pub params_total: u64,
    pub weights_bytes: u64,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnosis {
    pub model: ModelSummary,
    pub machine: String,
    pub effective: Effective,
    /// The prompt diagnosed, and how its size is known.
    pub prompt: Option<Prompt>,
    /// The setup as it is.
    pub memory: MemoryCheck,
    pub findings: Vec<Finding>,
    pub fix: Fix,
    /// Where the figures came from and what was assumed.
    pub notes: Vec<String>,
}

/// Tokens kept free for the answer when sizing a context for a prompt.
pub const ANSWER_ROOM: u64 = 4096;

/// A runtime setup to size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Setup {
    /// Context per slot.
    ctx: u64,
    slots: u32,
    kv: KvType,
    fa: bool,
}

impl Setup {
    fn profile(&self) -> RuntimeProfile {
        let slots = self.slots.max(1);
        let mut p = RuntimeProfile::new(self.ctx.max(1) * slots as u64);
        p.n_seq = slots;
        // Ollama passes -c num_ctx×N -np N: an explicit -np splits the pool, one full context
        // per slot (Ollama `llm/llama_server.go`; llama.cpp `tools/server/README.md` `-np`).
        p.kv_unified = slots == 1;
        // Ollama v0.30+ runs llama-server, which reserves one logits row per slot
        // (`cabe_engine::Runtime::Ollama`).
        p.n_outputs_max = slots;
        p.type_k = self.kv;
        p.type_v = if self.fa { self.kv } else { KvType::F16 };
        p.flash_attn = self.fa;
        p
    }
    fn words(&self) -> String {
        format!(
            "{} tokens × {} slot{}, KV {}{}",
            fmt_int(self.ctx),
            self.slots,
            if self.slots == 1 { "" } else { "s" },
            self.kv,
            if self.fa { "" } else { ", flash attention off" }
        )
    }
}

struct Ctx<'a> {
    inp: &'a Inputs,
}

impl Ctx<'_> {
    fn plan(&self, s: &Setup) -> MemoryPlan {
        plan(
            &self.inp.model.spec,
            &self.inp.model.weights,
            &s.profile(),
            &self.inp.machine.capacity,
        )
    }
    fn fits(&self, s: &Setup) -> bool {
        self.plan(s).verdict == Verdict::Fits
    }
    /// Why llama.cpp would not load this setup, if it would not.
    fn refused(&self, s: &Setup) -> Option<String> {
        cabe_core::kv::refusal(&self.inp.model.spec, &s.profile())
    }
    /// Largest context per slot that fits the fast memory with this setup's other settings
    /// (`max_context` is per sequence).
    fn max_ctx(&self, s: &Setup) -> Option<u64> {
        let m = &self.inp.model;
        max_context(
            &m.spec,
            &m.weights,
            &s.profile(),
            &self.inp.machine.capacity,
        )
        .map(|t| t / 256 * 256)
        .filter(|&t| t > 0)
    }
    fn check(&self, s: &Setup) -> MemoryCheck {
        let p = self.plan(s);
        memory_check(s, &p)
    }
}

fn memory_check(s: &Setup, p: &MemoryPlan) -> MemoryCheck {
    let cap = if p.verdict == Verdict::FitsWithOffload {
        p.capacity.total_bytes
    } else {
        p.capacity.fast_bytes
    };
    let t = p.memory.total_bytes;
    let tail = match p.verdict {
        Verdict::Fits => format!("fits, {} to spare", fmt_gb(p.headroom_bytes.max(0) as u64)),
        Verdict::FitsWithOffload => format!(
            "fits only by spilling {} to system RAM",
            fmt_gb(t.saturating_sub(p.capacity.fast_bytes))
        ),
        Verdict::DoesNotFit => format!("does not fit, {} short", fmt_gb(t.saturating_sub(cap))),
    };
    MemoryCheck {
        ctx: s.ctx,
        parallel: s.slots,
        kv_type: s.kv,
        flash_attn: s.fa,
        weights_bytes: p.memory.weights_bytes,
        kv_bytes: p.memory.kv_cache_bytes,
        compute_bytes: p.memory.compute_bytes,
        total_bytes: t,
        capacity_bytes: cap,
        headroom_bytes: p.headroom_bytes,
        verdict: p.verdict,
        fits: p.verdict == Verdict::Fits,
        summary: format!(
            "{}: needs {} ({}: weights {} + KV {} + compute and reserves {}) of {} available → {}",
            s.words(),
            fmt_gb(t),
            fmt_bytes(t),
            fmt_gb(p.memory.weights_bytes),
            fmt_gb(p.memory.kv_cache_bytes),
            fmt_gb(t - p.memory.weights_bytes - p.memory.kv_cache_bytes),
            fmt_gb(cap),
            tail
        ),
    }
}

fn num(v: impl Into<Value>) -> Value {
    v.into()
}

/// 366.9 → "6 min 7 s"; 59 → "59 s"; 3600 → "1 h 0 min".
pub fn fmt_duration(secs: f64) -> String {
    let s = secs.round() as u64;
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        if s.is_multiple_of(60) {
            format!("{} min", s / 60)
        } else {
            format!("{} min {} s", s / 60, s % 60)
        }
    } else {
        format!("{} h {} min", s / 3600, (s % 3600) / 60)
    }
}

/// 262144 → "256k", 131072 → "128k", 40960 → "40k", 1000 → "1000".
pub fn ctx_label(ctx: u64) -> String {
    if ctx >= 1024 && ctx.is_multiple_of(1024) {
        format!("{}k", ctx / 1024)
    } else {
        ctx.to_string()
    }
}

fn is_ctx_label(t: &str) -> bool {
    let t = t.to_ascii_lowercase();
    let t = t.strip_prefix("ctx").unwrap_or(&t);
    let digits = t.strip_suffix('k').unwrap_or(t);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (t.ends_with('k') || digits.len() >= 4)
}

/// A name for the corrected model: the old tag with its context label (`128k`, `ctx8192`) and
/// one-letter parts dropped, and the new context's label added:
/// `qwen3-coder:30b-v-128k` → `qwen3-coder:30b-256k`.
pub fn derive_model_name(model: &str, ctx: u64) -> String {
    let (base, tag) = match model.rfind(':') {
        Some(i) if i > model.rfind('/').map_or(0, |j| j) => (&model[..i], &model[i + 1..]),
        _ => (model, "latest"),
    };
    let keep: Vec<&str> = tag
        .split('-')
        .filter(|t| t.len() > 1 && !is_ctx_label(t) && *t != "latest")
        .collect();
    let label = ctx_label(ctx);
    let mut new_tag = keep.join("-");
    if !new_tag.is_empty() {
        new_tag.push('-');
    }
    new_tag.push_str(&label);
    let mut name = format!("{base}:{new_tag}");
    if name == model {
        name = format!("{base}:{new_tag}-cabe");
    }
    name
}

fn parse_bool_env(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" | "t" => Some(true),
        "0" | "false" | "off" | "no" | "f" => Some(false),
        _ => None,
    }
}

/// GPU memory Ollama counts for its VRAM tiers: a discrete GPU's VRAM, the GPU's share of
/// unified memory (the whole pool when no share is known), none on a CPU-only machine.
fn tier_vram(inp: &Inputs) -> u64 {
    let h = &inp.machine.spec;
    match h.kind {
        MemoryKind::DiscreteGpu => h.vram_bytes,
        MemoryKind::Unified => h
            .gpu_memory_fraction
            .map_or(h.ram_bytes, |f| (h.ram_bytes as f64 * f) as u64),
        MemoryKind::CpuOnly => 0,
    }
}

fn next_pow2(n: u64) -> u64 {
    n.max(1).next_power_of_two()
}

/// The diagnosis.
pub fn diagnose(inp: &Inputs) -> Diagnosis {
    let cx = Ctx { inp };
    let spec = &inp.model.spec;
    let native = spec.native_ctx;
    let arch = spec.architecture.as_str();
    let mut findings: Vec<Finding> = Vec::new();
    let mut notes = inp.notes.clone();

    // ---- The settings in force.
    let (eff, ollama_runtime) = match &inp.runtime {
        Runtime::Ollama(o) => (resolve_ollama(&cx, o, &mut findings, &mut notes), true),
        Runtime::LlamaServer(l) => (
            Effective {
                runtime: "llama-server".into(),
                ctx: l.n_ctx_per_slot,
                ctx_configured: l.n_ctx_per_slot,
                ctx_source: format!("n_ctx per slot from {}/props", l.url),
                parallel: l.slots.max(1),
                parallel_source: format!("total_slots from {}/props", l.url),
                kv_type: l.kv_type,
                kv_source: "llama-server default (not reported by /props)".into(),
                flash_attn: l.flash_attn,
                flash_attn_source: "llama-server default -fa auto (not reported by /props)".into(),
                version: None,
            },
            false,
        ),
    };
    let current = Setup {
        ctx: eff.ctx,
        slots: eff.parallel,
        kv: eff.kv_type,
        fa: eff.flash_attn,
    };
    let current_plan = cx.plan(&current);
    let current_check = memory_check(&current, &current_plan);
    if let Some(why) = cx.refused(&current) {
        let mut numbers = BTreeMap::new();
        numbers.insert("kv_type".into(), num(current.kv.name()));
        numbers.insert("flash_attn".into(), Value::Bool(current.fa));
        findings.push(Finding {
            id: "setup-refused".into(),
            severity: Severity::Error,
            title: "llama.cpp will not load the model with these cache settings".into(),
            message: format!("{why} ({}).", current.words()),
            numbers,
            fix: "Use an f16 KV cache, or turn flash attention on with one quantized type for K and V.".into(),
        });
    }

    let prompt = inp.workload.prompt.as_ref();
    let p_tokens = prompt.map(|p| p.tokens);
    let count_words = |p: &Prompt| match &p.count {
        TokenCount::Given => String::new(),
        TokenCount::Counted { by } => format!(" (counted by {by})"),
        TokenCount::Estimated { bytes, .. } => {
            format!(" (an estimate: {} bytes ÷ 4)", fmt_int(*bytes))
        }
    };
    if let Some(TokenCount::Estimated { note, .. }) = prompt.map(|p| &p.count) {
        notes.push(note.clone());
    }

    // ---- The context the fix aims at, and the setup that holds it.
    let cap_native = |t: u64| if native > 0 { t.min(native) } else { t };
    let want = match p_tokens {
        Some(p) => cap_native(next_pow2(p + ANSWER_ROOM)).max(cap_native(eff.ctx)),
        None => {
            if native > 0 {
                native.max(eff.ctx.min(native))
            } else {
                eff.ctx
            }
        }
    };
    // Ways to hold it, least intrusive first: flash attention on; a q8_0 cache (close to
    // lossless); one slot instead of several; then a q4_0 cache.
    let mut candidates = vec![current];
    if !current.fa {
        candidates.push(Setup {
            fa: true,
            ..current
        });
    }
    let quantized = |k: KvType, s: Setup| Setup {
        kv: k,
        fa: true,
        ..s
    };
    let smaller = |k: KvType| bytes_per_elem(k) < bytes_per_elem(current.kv);
    if smaller(KvType::Q8_0) {
        candidates.push(quantized(KvType::Q8_0, current));
    }
    let one = Setup {
        slots: 1,
        ..current
    };
    if current.slots > 1 {
        candidates.push(one);
        if smaller(KvType::Q8_0) {
            candidates.push(quantized(KvType::Q8_0, one));
        }
    }
    if smaller(KvType::Q4_0) {
        candidates.push(quantized(KvType::Q4_0, current));
        if current.slots > 1 {
            candidates.push(quantized(KvType::Q4_0, one));
        }
    }
    // Only setups llama.cpp loads are offered (an MLA model takes one type for K and V; a
    // quantized cache needs its block to divide the head size).
    candidates.retain(|s| cx.refused(s).is_none());
    let at_want: Option<Setup> = candidates
        .iter()
        .map(|s| Setup { ctx: want, ..*s })
        .find(|s| cx.fits(s));
    // Else: what each setup holds at most (per slot, capped at what is wanted).
    let maxima: Vec<Setup> = candidates
        .iter()
        .filter_map(|s| {
            cx.max_ctx(s).map(|c| Setup {
                ctx: c.min(want),
                ..*s
            })
        })
        .collect();
    let most = maxima
        .iter()
        .copied()
        .fold(None, |acc: Option<Setup>, s| match acc {
            Some(a) if a.ctx >= s.ctx => Some(a),
            _ => Some(s),
        });
    // The least intrusive setup that still holds what the workload needs (the prompt and room
    // for the answer, else the context configured now), at a round context; else the most.
    let need = cap_native(match p_tokens {
        Some(p) => p + ANSWER_ROOM,
        None => eff.ctx,
    });
    let round = |c: u64| {
        let p2 = 1u64 << (63 - c.max(1).leading_zeros());
        if p2 >= need {
            p2
        } else {
            (c / 1024 * 1024).max(need.min(c))
        }
    };
    let holding = maxima.iter().find(|s| s.ctx >= need).map(|s| Setup {
        ctx: round(s.ctx),
        ..*s
    });
    let target: Option<Setup> = at_want.or(holding).or(most.map(|s| Setup {
        ctx: (s.ctx / 1024 * 1024).max(256.min(s.ctx)),
        ..s
    }));

    // A model that cannot fit at all: weights + a minimal context beyond even the offload pool.
    let minimal = Setup {
        ctx: 256,
        slots: 1,
        kv: KvType::Q4_0,
        fa: true,
    };
    let never_fits = cx.plan(&minimal).verdict == Verdict::DoesNotFit;

    // ---- Findings.
    let model_name = &inp.model.name;
    // Configured context below what the model can do.
    if native > 0 && eff.ctx < native {
        let raise = target.filter(|t| t.ctx > eff.ctx);
        let pct = eff.ctx as f64 * 100.0 / native as f64;
        let mut numbers = BTreeMap::new();
        numbers.insert("configured_ctx".into(), num(eff.ctx));
        numbers.insert("native_ctx".into(), num(native));
        numbers.insert("percent_of_native".into(), num((pct * 10.0).round() / 10.0));
        let fix = match raise {
            Some(t) => {
                let c = cx.check(&t);
                format!(
                    "Raise the context to {}{}: on this machine {}.",
                    fmt_int(t.ctx),
                    if t.ctx == native { " (the model's full context)" } else { "" },
                    c.summary
                )
            }
            None if want <= eff.ctx => {
                // The workload fits; say how far the machine would go.
                let up_to = candidates
                    .iter()
                    .filter_map(|s| cx.max_ctx(s).map(|c| Setup { ctx: cap_native(c), ..*s }))
                    .find(|s| s.ctx > eff.ctx);
                format!(
                    "Nothing to do for this prompt ({} tokens of context hold it with room for the answer){}.",
                    fmt_int(eff.ctx),
                    up_to.map_or(String::new(), |u| format!(
                        "; if prompts grow, this machine holds up to {}",
                        u.words()
                    ))
                )
            }
            None => match most {
                Some(m) if m.ctx > eff.ctx => format!(
                    "Memory is the limit here: this machine holds at most {} tokens of this model ({}).",
                    fmt_int(m.ctx),
                    m.words()
                ),
                _ => "Memory is the limit here: this machine holds no more context with this model.".to_string(),
            },
        };
        findings.push(Finding {
            id: "ctx-below-native".into(),
            severity: if raise.is_some() {
                Severity::Warning
            } else {
                Severity::Info
            },
            title: format!(
                "configured context {} is below the model's native {}",
                fmt_int(eff.ctx),
                fmt_int(native)
            ),
            message: format!(
                "{model_name} runs with a {}-token context ({}), but the model itself handles {} ({arch}.context_length in its GGUF): {} is {pct:.0}% of {}. A tag or Modelfile chosen on the day of install is a hard ceiling, not a property of the model.",
                fmt_int(eff.ctx),
                eff.ctx_source,
                fmt_int(native),
                fmt_int(eff.ctx),
                fmt_int(native)
            ),
            numbers,
            fix,
        });
    }

    // Prompt beyond the model's training context.
    if let (Some(p), true) = (prompt, native > 0) {
        if p.tokens > native {
            let over = p.tokens - native;
            let mut numbers = BTreeMap::new();
            numbers.insert("prompt_tokens".into(), num(p.tokens));
            numbers.insert("native_ctx".into(), num(native));
            numbers.insert("over_by".into(), num(over));
            findings.push(Finding {
                id: "prompt-over-native".into(),
                severity: Severity::Error,
                title: format!(
                    "prompt of {} tokens is over the model's maximum {}",
                    fmt_int(p.tokens),
                    fmt_int(native)
                ),
                message: format!(
                    "The prompt is {} tokens{}, {} more than the {} the model was built for ({} − {} = {}). No setting holds it: past context_length a model's positions are untrained.",
                    fmt_int(p.tokens),
                    count_words(p),
                    fmt_int(over),
                    fmt_int(native),
                    fmt_int(p.tokens),
                    fmt_int(native),
                    fmt_int(over)
                ),
                numbers,
                fix: format!(
                    "Send less: cut at least {} tokens (compact the conversation, send fewer or smaller files), or use a model with a longer context.",
                    fmt_int(over + ANSWER_ROOM)
                ),
            });
        }
    }

    // Prompt beyond the configured context: truncation.
    if let Some(p) = prompt {
        if p.tokens > eff.ctx {
            let over = p.tokens - eff.ctx;
            let mut numbers = BTreeMap::new();
            numbers.insert("prompt_tokens".into(), num(p.tokens));
            numbers.insert("configured_ctx".into(), num(eff.ctx));
            numbers.insert("over_by".into(), num(over));
            let what_happens = if ollama_runtime {
                "Ollama does not refuse it: /api/chat silently drops the oldest messages until the rest fits (keeping the system prompt and the latest message), and older runners cut the prompt after num_keep tokens — the model answers without part of its input. The llama-server-based Ollama answers HTTP 400 instead when context shift is off."
            } else {
                "llama-server answers HTTP 400 (\"the request exceeds the available context size\"), or, with --context-shift, drops tokens from the start."
            };
            let fix = match target {
                Some(t) if t.ctx >= p.tokens => format!(
                    "A {}-token context holds it, with {} tokens left for the answer; {}.",
                    fmt_int(t.ctx),
                    fmt_int(t.ctx - p.tokens),
                    if ollama_runtime {
                        "see the Modelfile below"
                    } else {
                        "see the llama-server flags below"
                    }
                ),
                Some(t) if p.tokens <= native || native == 0 => format!(
                    "This machine holds at most {} tokens of context ({}); send at least {} fewer tokens, or use a machine with more memory.",
                    fmt_int(t.ctx),
                    t.words(),
                    fmt_int(p.tokens.saturating_sub(t.ctx) + ANSWER_ROOM)
                ),
                _ => "Shorten the prompt (see prompt-over-native).".to_string(),
            };
            findings.push(Finding {
                id: "prompt-over-ctx".into(),
                severity: Severity::Error,
                title: format!(
                    "prompt of {} tokens is {} over the {}-token context",
                    fmt_int(p.tokens),
                    fmt_int(over),
                    fmt_int(eff.ctx)
                ),
                message: format!(
                    "The prompt is {} tokens{}, over the {}-token context by {} ({} − {} = {}). {what_happens}",
                    fmt_int(p.tokens),
                    count_words(p),
                    fmt_int(eff.ctx),
                    fmt_int(over),
                    fmt_int(p.tokens),
                    fmt_int(eff.ctx),
                    fmt_int(over)
                ),
                numbers,
                fix,
            });
        }
    }

    // Prefill time against the client's timeout.
    let w = &inp.workload;
    let mut client_timeout = None;
    match (p_tokens, w.prefill_rate, w.timeout_s) {
        (Some(p), Some(rate), Some(timeout)) if rate > 0.0 => {
            let t = p as f64 / rate;
            if t > timeout * 0.8 {
                let suggest = ((t * 1.5) / 60.0).ceil() as u64 * 60;
                client_timeout = Some(suggest);
                let over = t > timeout;
                let mut numbers = BTreeMap::new();
                numbers.insert("prompt_tokens".into(), num(p));
                numbers.insert("prefill_rate_tok_s".into(), num(rate));
                numbers.insert("prefill_s".into(), num((t * 10.0).round() / 10.0));
                numbers.insert("timeout_s".into(), num(timeout));
                numbers.insert("suggested_timeout_s".into(), num(suggest));
                if over {
                    numbers.insert(
                        "over_by_s".into(),
                        num(((t - timeout) * 10.0).round() / 10.0),
                    );
                }
                findings.push(Finding {
                    id: "prefill-over-timeout".into(),
                    severity: if over { Severity::Error } else { Severity::Warning },
                    title: format!(
                        "prefill takes {} s, {} the client's {} s timeout",
                        (t).round(),
                        if over { "over" } else { "close to" },
                        timeout.round()
                    ),
                    message: format!(
                        "Prefill alone takes {} tokens ÷ {} tokens/s = {} s ({}){}, {} the client's {} s timeout{}: the request {} before the first token of the answer.",
                        fmt_int(p),
                        trim_float(rate),
                        t.round(),
                        fmt_duration(t),
                        if w.prefill_rate_source.is_empty() {
                            String::new()
                        } else {
                            format!(" at the rate from {}", w.prefill_rate_source)
                        },
                        if over { "over" } else { "within 20% of" },
                        timeout.round(),
                        if over {
                            format!(" by {} s", (t - timeout).round())
                        } else {
                            String::new()
                        },
                        if over { "is cut off" } else { "may be cut off" }
                    ),
                    numbers,
                    fix: format!(
                        "Set the client's request timeout to at least {suggest} s ({}): the prefill plus half again for the answer, rounded up to a minute. Later turns that reuse the cached prefix prefill only the new tokens.",
                        fmt_duration(suggest as f64)
                    ),
                });
            }
        }
        (Some(_), None, Some(_)) => notes.push(
            "give --prefill-rate (tokens/s: llama-bench's pp figure, or llama-server's timings.prompt_per_second) to check the prefill time against --timeout".into(),
        ),
        _ => {}
    }

    // Memory.
    if never_fits {
        let m = cx.check(&minimal);
        let mut numbers = BTreeMap::new();
        numbers.insert("weights_bytes".into(), num(m.weights_bytes));
        numbers.insert("min_total_bytes".into(), num(m.total_bytes));
        numbers.insert("capacity_bytes".into(), num(m.capacity_bytes));
        findings.push(Finding {
            id: "never-fits".into(),
            severity: Severity::Error,
            title: "the model cannot fit this machine at any setting".into(),
            message: format!(
                "Even with a 256-token context, one slot and a q4_0 KV cache the model needs {}: its weights alone are {}, and the machine has {}{}.",
                fmt_gb(m.total_bytes),
                fmt_gb(m.weights_bytes),
                fmt_gb(m.capacity_bytes),
                if inp.machine.spec.kind == MemoryKind::DiscreteGpu {
                    " counting system RAM for offload"
                } else {
                    ""
                }
            ),
            numbers,
            fix: smaller_quant_fix(&cx),
        });
    } else if current_plan.verdict != Verdict::Fits {
        findings.push(memory_finding(&cx, &current, &current_plan, target));
    }

    // Parallel slots.
    if eff.parallel > 1 {
        let one = Setup {
            slots: 1,
            ..current
        };
        let p1 = cx.plan(&one);
        let kv1 = p1.memory.kv_cache_bytes;
        let kvn = current_plan.memory.kv_cache_bytes;
        let matters = current_plan.verdict != Verdict::Fits && p1.verdict == Verdict::Fits;
        let mut numbers = BTreeMap::new();
        numbers.insert("parallel".into(), num(eff.parallel));
        numbers.insert("ctx_per_slot".into(), num(eff.ctx));
        numbers.insert("kv_bytes_one_slot".into(), num(kv1));
        numbers.insert("kv_bytes_total".into(), num(kvn));
        let launch = if ollama_runtime {
            format!(
                "Ollama starts its runner with -c {} × {} = {} -np {}",
                fmt_int(eff.ctx),
                eff.parallel,
                fmt_int(eff.ctx * eff.parallel as u64),
                eff.parallel
            )
        } else {
            format!("llama-server runs {} slots", eff.parallel)
        };
        findings.push(Finding {
            id: "parallel-kv".into(),
            severity: if matters {
                Severity::Warning
            } else {
                Severity::Info
            },
            title: format!(
                "{} parallel slots multiply the KV cache by {}",
                eff.parallel, eff.parallel
            ),
            message: format!(
                "{} ({}): every slot holds the full context, so the KV cache is {} × {} = {} instead of {}{}.",
                launch,
                eff.parallel_source,
                eff.parallel,
                fmt_gb(kv1),
                fmt_gb(kvn),
                fmt_gb(kv1),
                if matters {
                    "; with one slot the model fits"
                } else {
                    ""
                }
            ),
            numbers,
            fix: if ollama_runtime {
                "If one client sends one request at a time (a coding agent does), set OLLAMA_NUM_PARALLEL=1 on the server and restart it.".into()
            } else {
                "If one client sends one request at a time, start llama-server with -np 1.".into()
            },
        });
    }

    // A KV type / flash-attention change that the target needs.
    if let Some(t) = target {
        if t.kv != current.kv || t.fa != current.fa {
            let with = cx.plan(&t);
            let without = cx.plan(&Setup {
                kv: current.kv,
                fa: current.fa,
                ..t
            });
            let mut numbers = BTreeMap::new();
            numbers.insert("ctx".into(), num(t.ctx));
            numbers.insert("kv_type".into(), num(t.kv.name()));
            numbers.insert("kv_bytes".into(), num(with.memory.kv_cache_bytes));
            numbers.insert(
                "kv_bytes_current".into(),
                num(without.memory.kv_cache_bytes),
            );
            numbers.insert("total_bytes".into(), num(with.memory.total_bytes));
            let change = if ollama_runtime {
                let mut v = Vec::new();
                if t.fa && !current.fa {
                    v.push("OLLAMA_FLASH_ATTENTION=1".to_string());
                }
                if t.kv != current.kv {
                    v.push(format!("OLLAMA_KV_CACHE_TYPE={}", t.kv));
                }
                v.join(" ")
            } else {
                let mut v = vec!["-fa on".to_string()];
                if t.kv != current.kv {
                    v.push(format!("--cache-type-k {} --cache-type-v {}", t.kv, t.kv));
                }
                v.join(" ")
            };
            findings.push(Finding {
                id: "kv-type-fits".into(),
                severity: Severity::Warning,
                title: format!(
                    "{} makes a {}-token context fit",
                    change,
                    fmt_int(t.ctx)
                ),
                message: format!(
                    "At {} tokens the KV cache is {} with {} but {} with {}{}; the total becomes {} of {}.",
                    fmt_int(t.ctx),
                    fmt_gb(without.memory.kv_cache_bytes),
                    current.kv,
                    fmt_gb(with.memory.kv_cache_bytes),
                    t.kv,
                    if t.fa && !current.fa {
                        " and flash attention on (a quantized V cache needs it, and without it the attention scores of a long context are materialized)"
                    } else {
                        ""
                    },
                    fmt_gb(with.memory.total_bytes),
                    fmt_gb(inp.machine.capacity.fast_bytes)
                ),
                numbers,
                fix: format!(
                    "Set {change}{}. A q8_0 cache costs little quality; q4_0 more.",
                    if ollama_runtime {
                        " on the Ollama server (it is global, and applies only with flash attention on) and restart it"
                    } else {
                        ""
                    }
                ),
            });
        }
    }

    // Store and server problems.
    for p in &inp.store_problems {
        let mut numbers = BTreeMap::new();
        numbers.insert("layer".into(), num(p.layer.clone()));
        findings.push(Finding {
            id: "store-layer-broken".into(),
            severity: Severity::Error,
            title: format!("a layer of {model_name} is broken in the store"),
            message: format!(
                "{}: {}. Ollama cannot load a model with a broken layer.",
                p.layer, p.problem
            ),
            numbers,
            fix: format!(
                "Pull the model again (ollama pull {model_name}), or re-create it from its Modelfile."
            ),
        });
    }
    for s in &inp.server_issues {
        let mut numbers = BTreeMap::new();
        numbers.insert("endpoint".into(), num(s.endpoint.clone()));
        findings.push(Finding {
            id: "server-unhealthy".into(),
            severity: Severity::Warning,
            title: format!("{} did not answer properly", s.server),
            message: format!("{} {}: {}. {}", s.server, s.endpoint, s.what, s.consequence),
            numbers,
            fix: "Check that the server is the one you mean (OLLAMA_HOST / --llama-server), that it is not stuck loading a model, and restart it if it hangs.".into(),
        });
    }

    // What is loaded right now.
    if let Runtime::Ollama(o) = &inp.runtime {
        if let Some(l) = &o.loaded {
            loaded_findings(&mut findings, o, l, &eff);
        }
    }

    // ---- The fix.
    let mut fix = Fix {
        client_timeout_s: client_timeout,
        ..Fix::default()
    };
    let t = target.unwrap_or(current);
    let ctx_change = target.is_some() && t.ctx != current.ctx;
    if ollama_runtime {
        if let Runtime::Ollama(o) = &inp.runtime {
            if ctx_change {
                let new = inp
                    .new_name
                    .clone()
                    .unwrap_or_else(|| derive_model_name(&o.model, t.ctx));
                fix.ctx = Some(t.ctx);
                fix.modelfile = Some(format!(
                    "# Written by cabe doctor: {} with a {}-token context.\n# Memory on this machine: {}\nFROM {}\nPARAMETER num_ctx {}\n",
                    o.model,
                    fmt_int(t.ctx),
                    cx.check(&t).summary,
                    o.model,
                    t.ctx
                ));
                fix.create_command = Some(format!("ollama create {new} -f {}", inp.modelfile_path));
                fix.steps.push(format!(
                    "Write the Modelfile ({}): FROM {} keeps its weights, template and parameters; PARAMETER num_ctx {} replaces the context.",
                    inp.modelfile_path, o.model, t.ctx
                ));
                fix.steps.push(format!(
                    "Run: ollama create {new} -f {} (it copies no weights: the new model points at the same blobs).",
                    inp.modelfile_path
                ));
                fix.steps.push(format!(
                    "Point the client at {new}. A client can also send options.num_ctx = {} per request, which overrides the Modelfile.",
                    t.ctx
                ));
                fix.new_model = Some(new);
            }
            if t.fa && !current.fa {
                fix.env.push(EnvSetting {
                    name: "OLLAMA_FLASH_ATTENTION".into(),
                    value: "1".into(),
                    why: "flash attention: smaller compute buffer at long context; needed for a quantized KV cache".into(),
                });
            }
            if t.kv != current.kv {
                fix.env.push(EnvSetting {
                    name: "OLLAMA_KV_CACHE_TYPE".into(),
                    value: t.kv.name().into(),
                    why: format!("a {} KV cache holds the context in less memory", t.kv),
                });
            }
            if t.slots != current.slots {
                fix.env.push(EnvSetting {
                    name: "OLLAMA_NUM_PARALLEL".into(),
                    value: t.slots.to_string(),
                    why: "one slot: the KV cache is not multiplied".into(),
                });
            }
            if !fix.env.is_empty() {
                fix.steps.push(format!(
                    "On the Ollama server set {} and restart it (systemd: systemctl edit ollama → Environment=…; macOS app: launchctl setenv …).",
                    fix.env
                        .iter()
                        .map(|e| format!("{}={}", e.name, e.value))
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
        }
    } else if ctx_change || t != current {
        let mut flags = format!("-c {} -np {}", t.ctx * t.slots as u64, t.slots);
        if t.fa {
            flags.push_str(" -fa on");
        }
        if t.kv != KvType::F16 {
            flags.push_str(&format!(" --cache-type-k {} --cache-type-v {}", t.kv, t.kv));
        }
        fix.ctx = Some(t.ctx);
        fix.steps.push(format!(
            "Restart llama-server with {flags} (with an explicit -np each slot gets -c ÷ np tokens)."
        ));
        fix.llama_server_flags = Some(flags);
    }
    if let Some(s) = client_timeout {
        fix.steps.push(format!(
            "Set the client's request timeout to {s} s ({}).",
            fmt_duration(s as f64)
        ));
    }
    if ctx_change || t != current {
        let c = cx.check(&t);
        fix.steps.push(format!("Memory check: {}.", c.summary));
        fix.memory_check = Some(c);
    }

    Diagnosis {
        model: ModelSummary {
            name: inp.model.name.clone(),
            display_name: spec.name.clone(),
            architecture: spec.architecture.clone(),
            native_ctx: native,
            n_layer: spec.n_layer(),
            params_total: inp.model.weights.params_total,
            weights_bytes: inp.model.weights.bytes,
            source: inp.model.source.clone(),
        },
        machine: inp.machine.description.clone(),
        effective: eff,
        prompt: inp.workload.prompt.clone(),
        memory: current_check,
        findings,
        fix,
        notes,
    }
}

fn bytes_per_elem(k: KvType) -> f64 {
    let g = k.ggml();
    g.type_size() as f64 / g.block_size() as f64
}

fn trim_float(x: f64) -> String {
    if x.fract() == 0.0 {
        fmt_int(x as u64)
    } else {
        format!("{x:.1}")
    }
}

fn resolve_ollama(
    cx: &Ctx,
    o: &OllamaConfig,
    findings: &mut Vec<Finding>,
    notes: &mut Vec<String>,
) -> Effective {
    let inp = cx.inp;
    let spec = &inp.model.spec;
    let native = spec.native_ctx;
    let parsed = o.version.as_deref().and_then(Version::parse);
    let v = parsed.unwrap_or(versions::ASSUMED_CURRENT);
    let assumed = parsed.is_none();
    match (&o.version, parsed) {
        (Some(s), None) => notes.push(format!(
            "Ollama version '{s}' not recognised: assuming the current defaults (v0.15.5+)"
        )),
        (None, _) => notes.push(
            "Ollama version unknown (server not reachable; --ollama-version X.Y.Z sets it): assuming the current defaults (v0.15.5+)".into(),
        ),
        _ => {}
    }
    let overhead = match o.env.gpu_overhead.as_deref() {
        Some(s) => match s.trim().parse::<u64>() {
            Ok(b) => b,
            Err(_) => {
                env_invalid(
                    findings,
                    &o.env_source,
                    "OLLAMA_GPU_OVERHEAD",
                    s,
                    "a number of bytes",
                );
                0
            }
        },
        None => 0,
    };
    let vram = tier_vram(inp).saturating_sub(overhead);

    // Context: request > Modelfile > OLLAMA_CONTEXT_LENGTH > the version's default.
    let env_ctx = match o.env.context_length.as_deref() {
        Some(s) => match s.trim().parse::<u64>() {
            Ok(0) if v >= Version(0, 15, 5) => None,
            Ok(n) if n > 0 => {
                if v < versions::CONTEXT_LENGTH_ENV_SINCE {
                    notes.push(format!(
                        "OLLAMA_CONTEXT_LENGTH={n} is ignored by Ollama {v} (it exists from v0.5.13)"
                    ));
                    None
                } else {
                    Some(n)
                }
            }
            _ => {
                env_invalid(
                    findings,
                    &o.env_source,
                    "OLLAMA_CONTEXT_LENGTH",
                    s,
                    "a number of tokens",
                );
                None
            }
        },
        None => None,
    };
    let (configured, ctx_source) = if let Some(n) = o.request_num_ctx {
        (n, format!("options.num_ctx {n} sent with each request"))
    } else if let Some(n) = o.num_ctx_param {
        (
            n,
            format!("PARAMETER num_ctx {n} in {}", o.num_ctx_param_source),
        )
    } else if let Some(n) = env_ctx {
        (
            n,
            format!(
                "OLLAMA_CONTEXT_LENGTH={n} from {}; the model sets no num_ctx",
                o.env_source
            ),
        )
    } else {
        let (n, words) = versions::default_num_ctx(v, &spec.architecture, vram);
        (
            n,
            format!(
                "no num_ctx is set anywhere, so {words}{}",
                if assumed { " (version assumed)" } else { "" }
            ),
        )
    };
    let explicit = o.request_num_ctx.is_some() || o.num_ctx_param.is_some() || env_ctx.is_some();
    let ctx = if native > 0 && configured > native && !explicit {
        native
    } else if native > 0 && configured > native {
        let mut numbers = BTreeMap::new();
        numbers.insert("configured_ctx".into(), num(configured));
        numbers.insert("native_ctx".into(), num(native));
        findings.push(Finding {
            id: "ctx-over-native".into(),
            severity: Severity::Info,
            title: format!(
                "configured context {} is above the model's {}",
                fmt_int(configured),
                fmt_int(native)
            ),
            message: format!(
                "The configured context is {} tokens ({ctx_source}), more than the model's {} ({}.context_length). Current Ollama clamps it to {} (older versions refused to load: \"requested context size too large for model\").",
                fmt_int(configured),
                fmt_int(native),
                spec.architecture,
                fmt_int(native)
            ),
            numbers,
            fix: format!("Set num_ctx to at most {native}."),
        });
        native
    } else {
        configured
    };

    // Flash attention and KV type.
    let (fa, fa_source) = match o.env.flash_attention.as_deref() {
        Some(s) => match parse_bool_env(s) {
            Some(b) => (b, format!("OLLAMA_FLASH_ATTENTION={s}")),
            None => {
                env_invalid(
                    findings,
                    &o.env_source,
                    "OLLAMA_FLASH_ATTENTION",
                    s,
                    "1 or 0",
                );
                (
                    true,
                    "auto: on where the backend supports it (assumed on)".into(),
                )
            }
        },
        None => (
            true,
            "auto: on where the backend supports it (assumed on)".to_string(),
        ),
    };
    let (kv, kv_source) = match o.env.kv_cache_type.as_deref() {
        Some(s) => match KvType::parse(s)
            .filter(|k| matches!(k, KvType::F16 | KvType::Q8_0 | KvType::Q4_0))
        {
            Some(k) if fa => (k, format!("OLLAMA_KV_CACHE_TYPE={s}")),
            Some(k) => {
                if k != KvType::F16 {
                    let mut numbers = BTreeMap::new();
                    numbers.insert("kv_type".into(), num(k.name()));
                    findings.push(Finding {
                        id: "kv-type-ignored".into(),
                        severity: Severity::Info,
                        title: format!("OLLAMA_KV_CACHE_TYPE={s} has no effect with flash attention off"),
                        message: format!(
                            "OLLAMA_KV_CACHE_TYPE={s} is set, but Ollama applies it only with flash attention on, and OLLAMA_FLASH_ATTENTION is off: the cache stays f16."
                        ),
                        numbers,
                        fix: "Set OLLAMA_FLASH_ATTENTION=1 as well (and restart the server).".into(),
                    });
                }
                (KvType::F16, "f16: flash attention is off".into())
            }
            None => {
                env_invalid(
                    findings,
                    &o.env_source,
                    "OLLAMA_KV_CACHE_TYPE",
                    s,
                    "f16, q8_0 or q4_0",
                );
                (KvType::F16, "Ollama default f16".into())
            }
        },
        None => (KvType::F16, "Ollama default f16".to_string()),
    };

    // Parallel slots.
    let (parallel, parallel_source) = match o.env.num_parallel.as_deref() {
        Some(s) => match s.trim().parse::<u32>() {
            Ok(n) if (1..=256).contains(&n) => (n, format!("OLLAMA_NUM_PARALLEL={n}")),
            _ => {
                env_invalid(
                    findings,
                    &o.env_source,
                    "OLLAMA_NUM_PARALLEL",
                    s,
                    "a number of slots ≥ 1",
                );
                (1, "default 1".into())
            }
        },
        None => match versions::default_num_parallel(v) {
            (ParallelDefault::Fixed { slots }, why) => (
                slots,
                format!(
                    "OLLAMA_NUM_PARALLEL unset: {why}{}",
                    if assumed { " (version assumed)" } else { "" }
                ),
            ),
            (ParallelDefault::Auto { slots }, why) => {
                let s = Setup { ctx, slots, kv, fa };
                if cx.fits(&s) {
                    (slots, format!("OLLAMA_NUM_PARALLEL unset: {why}"))
                } else {
                    (
                        1,
                        format!("OLLAMA_NUM_PARALLEL unset: {why}; {slots} do not fit, so 1"),
                    )
                }
            }
        },
    };

    // PARAMETERs Ollama no longer reads.
    for (name, value) in &o.parameters {
        if let Some((_, since)) = cabe_removed_parameter(name) {
            let mut numbers = BTreeMap::new();
            numbers.insert("parameter".into(), num(name.clone()));
            findings.push(Finding {
                id: "removed-parameter".into(),
                severity: Severity::Info,
                title: format!("PARAMETER {name} does nothing"),
                message: format!(
                    "PARAMETER {name} {value} is set, but Ollama removed {name} in {since}: it is ignored."
                ),
                numbers,
                fix: format!("Drop PARAMETER {name} from the Modelfile."),
            });
        }
    }

    Effective {
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
    }
}

fn env_invalid(findings: &mut Vec<Finding>, source: &str, var: &str, value: &str, expected: &str) {
    let mut numbers = BTreeMap::new();
    numbers.insert("variable".into(), num(var));
    numbers.insert("value".into(), num(value));
    findings.push(Finding {
        id: "env-invalid".into(),
        severity: Severity::Warning,
        title: format!("{var}={value} is not valid"),
        message: format!(
            "{var} is '{value}' ({source}), which Ollama does not accept: it falls back to its default."
        ),
        numbers,
        fix: format!("Set {var} to {expected}, or unset it."),
    });
}

/// PARAMETER names Ollama removed (the JSON tags of `api.Options` in `api/types.go` at each
/// tag), with the version.
const REMOVED: &[(&str, &str)] = &[
    ("num_gqa", "v0.1.35"),
    ("tfs_z", "v0.5.2"),
    ("penalize_newline", "v0.5.5"),
    ("mirostat", "v0.7.0"),
    ("mirostat_tau", "v0.7.0"),
    ("mirostat_eta", "v0.7.0"),
    ("use_mlock", "v0.7.0"),
    ("low_vram", "v0.7.0"),
    ("f16_kv", "v0.7.0"),
];

fn cabe_removed_parameter(name: &str) -> Option<(&'static str, &'static str)> {
    REMOVED
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .copied()
}

/// The setup does not fit the fast memory: how far over, what spills, what it costs.
fn memory_finding(cx: &Ctx, s: &Setup, p: &MemoryPlan, target: Option<Setup>) -> Finding {
    let inp = cx.inp;
    let m = &p.memory;
    let fast = p.capacity.fast_bytes;
    let over = m.total_bytes.saturating_sub(fast);
    let mut numbers = BTreeMap::new();
    numbers.insert("total_bytes".into(), num(m.total_bytes));
    numbers.insert("weights_bytes".into(), num(m.weights_bytes));
    numbers.insert("kv_bytes".into(), num(m.kv_cache_bytes));
    numbers.insert("fast_capacity_bytes".into(), num(fast));
    numbers.insert("over_by_bytes".into(), num(over));
    let target_fix = match target {
        Some(t) if t != *s => format!("Make it fit: {}.", cx.check(&t).summary),
        _ => "Use a smaller quantization or a machine with more memory.".into(),
    };
    if p.verdict == Verdict::FitsWithOffload {
        let spill = spill_layers(cx, s, p);
        let experts = match &inp.runtime {
            Runtime::LlamaServer(_) => cpu_moe_option(cx, s),
            Runtime::Ollama(_) => None,
        };
        numbers.insert("layers_on_cpu".into(), num(spill.layers_on_cpu));
        numbers.insert("n_layer".into(), num(inp.model.spec.n_layer()));
        let mut cost = String::new();
        if let (Some(all), Some(split)) = (spill.tok_s_all_gpu, spill.tok_s_split) {
            numbers.insert(
                "decode_tok_s_all_gpu".into(),
                num((all * 10.0).round() / 10.0),
            );
            numbers.insert(
                "decode_tok_s_offload".into(),
                num((split * 10.0).round() / 10.0),
            );
            cost = format!(
                " Decode at an empty context slows from about {all:.0} to {split:.0} tokens/s (typical): {:.0}% of the bytes read per token come from system RAM at its bandwidth, and the devices run in turn.",
                spill.cpu_fraction * 100.0
            );
        }
        let mut fix = target_fix;
        if let Some(e) = experts {
            numbers.insert("n_cpu_moe".into(), num(e.layers));
            let speed = match (e.tok_s, spill.tok_s_split) {
                (Some(moe), Some(split)) => {
                    numbers.insert(
                        "decode_tok_s_cpu_moe".into(),
                        num((moe * 10.0).round() / 10.0),
                    );
                    format!(", and decode runs at about {moe:.0} tokens/s (typical) instead of {split:.0}")
                }
                _ => String::new(),
            };
            let moe = format!(
                "start llama-server with --n-cpu-moe {}: the routed experts of the first {} layers ({}) stay in system RAM and everything else on the GPU ({} of {}){speed}.",
                e.layers,
                e.layers,
                fmt_gb(e.expert_bytes),
                fmt_gb(e.gpu_bytes),
                fmt_gb(fast)
            );
            fix = match target {
                Some(t) if t != *s => format!("{fix} Or keep these settings and {moe}"),
                _ => format!(
                    "Keep these settings and {moe} Otherwise use a smaller quantization or a machine with more memory."
                ),
            };
        }
        Finding {
            id: "memory-over-capacity".into(),
            severity: Severity::Warning,
            title: format!(
                "{} of {} layers spill to system RAM",
                spill.layers_on_cpu,
                inp.model.spec.n_layer()
            ),
            message: format!(
                "At {} the model needs {} (weights {} + KV {} + compute and reserves) but the GPUs hold {}: {} over, so about {} of {} layers run from system RAM (llama.cpp keeps the last layers on the GPU and spills the first).{cost}",
                s.words(),
                fmt_gb(m.total_bytes),
                fmt_gb(m.weights_bytes),
                fmt_gb(m.kv_cache_bytes),
                fmt_gb(fast),
                fmt_gb(over),
                spill.layers_on_cpu,
                inp.model.spec.n_layer()
            ),
            numbers,
            fix,
        }
    } else {
        Finding {
            id: "memory-over-capacity".into(),
            severity: Severity::Error,
            title: format!(
                "{} needs {}, the machine has {}",
                s.words(),
                fmt_gb(m.total_bytes),
                fmt_gb(p.capacity.total_bytes)
            ),
            message: format!(
                "At {} the model needs {} (weights {} + KV {} + compute and reserves) and the machine gives {}: {} short. Ollama refuses to load it, or the system swaps.",
                s.words(),
                fmt_gb(m.total_bytes),
                fmt_gb(m.weights_bytes),
                fmt_gb(m.kv_cache_bytes),
                fmt_gb(p.capacity.total_bytes),
                fmt_gb(m.total_bytes.saturating_sub(p.capacity.total_bytes))
            ),
            numbers,
            fix: target_fix,
        }
    }
}

/// The least `--n-cpu-moe N` (llama-server) with which a MoE model fits the GPU.
struct CpuMoe {
    layers: u32,
    expert_bytes: u64,
    gpu_bytes: u64,
    tok_s: Option<f64>,
}

fn cpu_moe_option(cx: &Ctx, s: &Setup) -> Option<CpuMoe> {
    let m = &cx.inp.model;
    m.spec.moe.as_ref()?;
    let plan_with = |n: u32| {
        let mut p = s.profile();
        p.n_cpu_moe = n;
        (plan(&m.spec, &m.weights, &p, &cx.inp.machine.capacity), p)
    };
    let fits = |n: u32| plan_with(n).0.verdict == Verdict::Fits;
    let n_layer = m.spec.n_layer();
    if !fits(n_layer) {
        return None;
    }
    // More layers' experts in RAM never need more GPU memory: the least N is a bisection.
    let (mut lo, mut hi) = (0u32, n_layer);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let (p, prof) = plan_with(hi);
    let e = p.memory.cpu_experts;
    let tok_s = cx
        .inp
        .machine
        .speed
        .as_ref()
        .filter(|d| d.bandwidth_gbps > 0.0)
        .map(|dev| {
            let place = Placement::from_plan(&p, &m.weights);
            decode_rate(&m.spec, &m.weights, &prof, 0, dev, place).typical
                * cx.inp.machine.decode_factor
        });
    Some(CpuMoe {
        layers: e.layers,
        expert_bytes: e.bytes,
        gpu_bytes: p.memory.total_bytes - e.bytes,
        tok_s,
    })
}

struct Spill {
    layers_on_cpu: u32,
    cpu_fraction: f64,
    tok_s_all_gpu: Option<f64>,
    tok_s_split: Option<f64>,
}

/// Layers that do not fit the GPUs: llama.cpp puts the last `ngl` layers on the GPU
/// (`src/llama-model.cpp` `load_tensors`), so the budget left after the non-layer parts is filled from the last layer
/// down; the rest run from RAM.
fn spill_layers(cx: &Ctx, s: &Setup, p: &MemoryPlan) -> Spill {
    let inp = cx.inp;
    let spec = &inp.model.spec;
    let n = spec.n_layer() as usize;
    let w = &inp.model.weights;
    let moe_frac = spec
        .moe
        .as_ref()
        .map_or(1.0, |m| m.n_expert_used as f64 / m.n_expert.max(1) as f64);
    let mut layer_bytes = vec![0u64; n];
    let mut layer_active = vec![0f64; n];
    let mut other_bytes = 0u64;
    let mut other_active = 0f64;
    for t in &w.tensors {
        let b = t.bytes();
        let active = if t.name.contains("_exps.") {
            b as f64 * moe_frac
        } else {
            b as f64
        };
        let layer = cabe_core::weights::block_of(&t.name)
            .map(|i| i as usize)
            .filter(|&i| i < n);
        match layer {
            Some(i) => {
                layer_bytes[i] += b;
                layer_active[i] += active;
            }
            None if t.name == "token_embd.weight" => {} // always on the CPU, one row read
            None => {
                other_bytes += b;
                other_active += active;
            }
        }
    }
    for l in &p.kv.layers {
        if let Some(x) = layer_bytes.get_mut(l.layer as usize) {
            *x += l.k_bytes + l.v_bytes;
        }
    }
    let m = &p.memory;
    let fixed = m.compute_bytes + m.output_bytes + m.overhead_bytes + other_bytes;
    let mut budget = p.capacity.fast_bytes.saturating_sub(fixed);
    let mut on_gpu = 0usize;
    for i in (0..n).rev() {
        if layer_bytes[i] > budget {
            break;
        }
        budget -= layer_bytes[i];
        on_gpu += 1;
    }
    let on_cpu = n - on_gpu;
    let kv_of = |i: usize| -> f64 {
        p.kv.layers
            .iter()
            .filter(|l| l.layer as usize == i)
            .map(|l| (l.k_bytes + l.v_bytes) as f64)
            .sum::<f64>()
    };
    let all: f64 = (0..n).map(|i| layer_active[i] + kv_of(i)).sum::<f64>() + other_active;
    let cpu_part: f64 = (0..on_cpu).map(|i| layer_active[i] + kv_of(i)).sum();
    let cpu_fraction = if all > 0.0 { cpu_part / all } else { 0.0 };
    let (tok_s_all_gpu, tok_s_split) = match &inp.machine.speed {
        Some(dev) if dev.bandwidth_gbps > 0.0 => {
            let prof = s.profile();
            let factor = inp.machine.decode_factor;
            let rate = |f: f64| {
                decode_rate(spec, w, &prof, 0, dev, Placement { cpu_fraction: f }).typical * factor
            };
            (Some(rate(0.0)), Some(rate(cpu_fraction)))
        }
        _ => (None, None),
    };
    Spill {
        layers_on_cpu: on_cpu as u32,
        cpu_fraction,
        tok_s_all_gpu,
        tok_s_split,
    }
}

/// For a model that cannot fit: the first smaller whole-file quantization that fits with a
/// 4096-token context, sized by llama-quantize's rules for this architecture.
fn smaller_quant_fix(cx: &Ctx) -> String {
    let spec = &cx.inp.model.spec;
    let s = Setup {
        ctx: 4096,
        slots: 1,
        kv: KvType::F16,
        fa: true,
    };
    for ft in [
        FileType::Q4_K_M,
        FileType::Q3_K_M,
        FileType::IQ3_XXS,
        FileType::Q2_K,
        FileType::IQ2_XXS,
        FileType::IQ1_M,
    ] {
        let w = for_file_type(spec, ft);
        if w.bytes >= cx.inp.model.weights.bytes {
            continue;
        }
        let p = plan(spec, &w, &s.profile(), &cx.inp.machine.capacity);
        if p.verdict != Verdict::DoesNotFit {
            return format!(
                "Use a smaller file: at {} the weights are {} and a 4,096-token context needs {} in all, which fits this machine{}. Or a machine with more memory.",
                ft,
                fmt_gb(w.bytes),
                fmt_gb(p.memory.total_bytes),
                if p.verdict == Verdict::FitsWithOffload { " with CPU offload" } else { "" }
            );
        }
    }
    "No quantization of this model fits this machine; use a smaller model or a machine with more memory.".into()
}

fn loaded_findings(
    findings: &mut Vec<Finding>,
    o: &OllamaConfig,
    l: &LoadedModel,
    eff: &Effective,
) {
    if let Some(c) = l.context_length {
        if c != eff.ctx && c != eff.ctx * eff.parallel as u64 {
            let mut numbers = BTreeMap::new();
            numbers.insert("loaded_ctx".into(), num(c));
            numbers.insert("configured_ctx".into(), num(eff.ctx));
            findings.push(Finding {
                id: "loaded-ctx-differs".into(),
                severity: Severity::Info,
                title: format!(
                    "{} is loaded with a {}-token context, not {}",
                    o.model,
                    fmt_int(c),
                    fmt_int(eff.ctx)
                ),
                message: format!(
                    "/api/ps shows {} running with context_length {}, while its configuration gives {} ({}): a client sent another options.num_ctx, or the server's environment differs from this shell's.",
                    o.model,
                    fmt_int(c),
                    fmt_int(eff.ctx),
                    eff.ctx_source
                ),
                numbers,
                fix: "Check the client's options.num_ctx and the server's own environment (systemctl show ollama -p Environment).".into(),
            });
        }
    }
    if l.size > 0 && l.size_vram < l.size {
        let cpu = l.size - l.size_vram;
        let cpu_pct = (cpu as f64 * 100.0 / l.size as f64).round() as u64;
        let mut numbers = BTreeMap::new();
        numbers.insert("size_bytes".into(), num(l.size));
        numbers.insert("size_vram_bytes".into(), num(l.size_vram));
        numbers.insert("cpu_percent".into(), num(cpu_pct));
        let placement = if l.size_vram == 0 {
            "100% CPU".to_string()
        } else {
            format!("{cpu_pct}%/{}% CPU/GPU", 100 - cpu_pct)
        };
        findings.push(Finding {
            id: "loaded-partial-offload".into(),
            severity: Severity::Warning,
            title: format!("{} runs {placement}", o.model),
            message: format!(
                "/api/ps: {} is loaded with size {} of which {} in VRAM, so {} ({placement} in `ollama ps`) runs from system RAM, read at its bandwidth on every token.",
                o.model,
                fmt_gb(l.size),
                fmt_gb(l.size_vram),
                fmt_gb(cpu)
            ),
            numbers,
            fix: "Lower num_ctx, use OLLAMA_KV_CACHE_TYPE=q8_0 with flash attention, or a smaller quantization, until it loads 100% GPU.".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_labels() {
        assert_eq!(
            derive_model_name("qwen3-coder:30b-v-128k", 262_144),
            "qwen3-coder:30b-256k"
        );
        assert_eq!(derive_model_name("llama3.1", 32_768), "llama3.1:32k");
        assert_eq!(derive_model_name("llama3.1:latest", 32_768), "llama3.1:32k");
        assert_eq!(
            derive_model_name("hf.co/x/y:Q4_K_M-ctx8192", 16_384),
            "hf.co/x/y:Q4_K_M-16k"
        );
        assert_eq!(derive_model_name("m:32k", 32_768), "m:32k-cabe");
        assert_eq!(ctx_label(262_144), "256k");
        assert_eq!(ctx_label(40_960), "40k");
        assert_eq!(ctx_label(1000), "1000");
        assert_eq!(fmt_duration(366.9), "6 min 7 s");
        assert_eq!(fmt_duration(59.4), "59 s");
        assert_eq!(fmt_duration(600.0), "10 min");
    }
}
