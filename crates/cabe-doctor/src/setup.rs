//! A runtime setup (context per slot, slots, KV type, flash attention) and its memory on this
//! machine. Memory comes from `cabe_core::plan`; nothing here re-derives an estimator formula.

use crate::inputs::Inputs;
use crate::report::MemoryCheck;
use cabe_core::kv::RuntimeProfile;
use cabe_core::plan::{max_context, plan, MemoryPlan, Verdict};
use cabe_core::quant::KvType;
use cabe_engine::{Runtime, RuntimeSettings};
use cabe_i18n::Lang;

/// A runtime setup to size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Setup {
    /// Context per slot.
    pub ctx: u64,
    pub slots: u32,
    pub kv: KvType,
    pub fa: bool,
}

impl Setup {
    /// The setup as the engine's settings under Ollama's rules (v0.30+ runs llama-server with
    /// `-c num_ctx×N -np N`, an explicit `-np` splitting the pool one full context per slot,
    /// one logits row per slot; the KV type applies only with flash attention on).
    pub fn settings(&self) -> RuntimeSettings {
        RuntimeSettings {
            kv_type: self.kv,
            flash_attn: self.fa,
            parallel: self.slots.max(1),
            ..RuntimeSettings::for_runtime(Runtime::Ollama)
        }
    }

    /// The setup of `settings` at `ctx` tokens per slot.
    pub fn of(ctx: u64, settings: &RuntimeSettings) -> Setup {
        Setup {
            ctx,
            slots: settings.parallel,
            kv: settings.kv_type,
            fa: settings.flash_attn,
        }
    }

    /// The profile llama.cpp is given for this setup. The K cache takes the setup's type;
    /// V only with flash attention (a llama-server given `-ctk` alone, or Ollama, whose
    /// OLLAMA_KV_CACHE_TYPE needs flash attention), so a K/V mismatch llama.cpp refuses stays
    /// visible to the checks.
    pub fn profile(&self) -> RuntimeProfile {
        let mut p = self.settings().llama_profile(self.ctx);
        p.type_k = self.kv;
        p.type_v = if self.fa { self.kv } else { KvType::F16 };
        p
    }

    pub fn words(&self, lang: Lang) -> String {
        t!(
            lang,
            "setup-words",
            ctx = self.ctx,
            slots = self.slots,
            kv = self.kv.to_string(),
            fa = if self.fa { "on" } else { "off" }
        )
    }
}

/// Sizes setups of the diagnosed model on the diagnosed machine.
#[derive(Clone, Copy)]
pub(crate) struct Sizer<'a> {
    pub inp: &'a Inputs,
    /// The language of `check`'s summary.
    pub lang: Lang,
}

impl Sizer<'_> {
    pub fn plan(&self, s: &Setup) -> MemoryPlan {
        plan(
            &self.inp.model.spec,
            &self.inp.model.weights,
            &s.profile(),
            &self.inp.machine.capacity,
        )
    }

    pub fn fits(&self, s: &Setup) -> bool {
        self.plan(s).verdict == Verdict::Fits
    }

    /// Why llama.cpp would not load this setup, if it would not.
    pub fn refused(&self, s: &Setup) -> Option<String> {
        cabe_core::kv::refusal(&self.inp.model.spec, &s.profile())
    }

    /// Largest context per slot that fits the fast memory with this setup's other settings
    /// (`max_context` is per sequence).
    pub fn max_ctx(&self, s: &Setup) -> Option<u64> {
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

    pub fn check(&self, s: &Setup) -> MemoryCheck {
        let p = self.plan(s);
        memory_check(s, &p, self.lang)
    }
}

pub(crate) fn memory_check(s: &Setup, p: &MemoryPlan, lang: Lang) -> MemoryCheck {
    let cap = if p.verdict == Verdict::FitsWithOffload {
        p.capacity.total_bytes
    } else {
        p.capacity.fast_bytes
    };
    let t = p.memory.total_bytes;
    let gb = |b: u64| lang.gb(b);
    let tail = match p.verdict {
        Verdict::Fits => t!(
            lang,
            "memory-fits",
            spare = gb(p.headroom_bytes.max(0) as u64)
        ),
        Verdict::FitsWithOffload => t!(
            lang,
            "memory-spills",
            spill = gb(t.saturating_sub(p.capacity.fast_bytes))
        ),
        Verdict::DoesNotFit => t!(lang, "memory-short", short = gb(t.saturating_sub(cap))),
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
        summary: t!(
            lang,
            "memory-summary",
            setup = s.words(lang),
            total = gb(t),
            total_bin = lang.bytes(t),
            weights = gb(p.memory.weights_bytes),
            kv = gb(p.memory.kv_cache_bytes),
            rest = gb(t - p.memory.weights_bytes - p.memory.kv_cache_bytes),
            cap = gb(cap),
            tail = tail
        ),
    }
}
