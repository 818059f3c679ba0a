//! The resolved setup every check reads: the settings in force, their memory plan, the
//! workload, and the setup a fix would aim at. Computed once, before any check runs, so that
//! the checks themselves only compare and word.

use crate::inputs::{Inputs, OllamaConfig, Prompt, Runtime, TokenCount};
use crate::ollama::{self, Env};
use crate::report::{Effective, MemoryCheck};
use crate::setup::{memory_check, Setup, Sizer};
use cabe_core::plan::{MemoryPlan, Verdict};
use cabe_core::quant::KvType;
use cabe_i18n::Lang;

/// Tokens kept free for the answer when sizing a context for a prompt.
pub const ANSWER_ROOM: u64 = 4096;

/// What the Ollama-only checks need beyond the settings in force.
pub(crate) struct OllamaSide<'a> {
    pub config: &'a OllamaConfig,
    pub env: Env,
    pub ctx_explicit: bool,
}

pub(crate) struct Resolved<'a> {
    pub inp: &'a Inputs,
    /// The language of the words.
    pub lang: Lang,
    pub sizer: Sizer<'a>,
    /// The model's `context_length` (0: unknown).
    pub native: u64,
    pub eff: Effective,
    /// Present when the runtime is Ollama.
    pub ollama: Option<OllamaSide<'a>>,
    /// The settings in force as a setup, its plan and its memory in words.
    pub current: Setup,
    pub current_plan: MemoryPlan,
    pub current_check: MemoryCheck,
    /// The context per slot the fix aims at: the prompt and room for the answer (a power of
    /// two, at most the native context), else the native context; never below the current.
    pub want: u64,
    /// Ways to hold more context that llama.cpp loads, least intrusive first.
    pub candidates: Vec<Setup>,
    /// The candidate that holds the most context (capped at `want`).
    pub most: Option<Setup>,
    /// The setup the fix proposes, if one holds anything.
    pub target: Option<Setup>,
    /// The smallest setup there is: 256 tokens, one slot, q4_0.
    pub minimal: Setup,
    /// Even `minimal` does not fit, with offload.
    pub never_fits: bool,
    /// Provenance lines, in the order they arose.
    pub notes: Vec<String>,
}

impl<'a> Resolved<'a> {
    pub fn new(inp: &'a Inputs, lang: Lang) -> Resolved<'a> {
        let sizer = Sizer { inp, lang };
        let spec = &inp.model.spec;
        let native = spec.native_ctx;
        let mut notes = inp.notes.clone();

        // ---- The settings in force.
        let (eff, ollama) = match &inp.runtime {
            Runtime::Ollama(o) => {
                let r = ollama::resolve(o, spec, &inp.machine.spec, lang, |ctx, slots, kv, fa| {
                    sizer.fits(&Setup { ctx, slots, kv, fa })
                });
                notes.extend(r.notes);
                let side = OllamaSide {
                    config: o,
                    env: r.env,
                    ctx_explicit: r.ctx_explicit,
                };
                (r.effective, Some(side))
            }
            Runtime::LlamaServer(l) => (
                Effective {
                    runtime: "llama-server".into(),
                    ctx: l.n_ctx_per_slot,
                    ctx_configured: l.n_ctx_per_slot,
                    ctx_source: t!(lang, "src-llama-ctx", from = &l.settings_from),
                    parallel: l.slots.max(1),
                    parallel_source: t!(lang, "src-llama-slots", from = &l.settings_from),
                    kv_type: l.kv_type,
                    kv_source: t!(lang, "src-llama-kv", from = &l.settings_from),
                    flash_attn: l.flash_attn,
                    flash_attn_source: t!(lang, "src-llama-fa", from = &l.settings_from),
                    version: None,
                },
                None,
            ),
        };
        let current = Setup {
            ctx: eff.ctx,
            slots: eff.parallel,
            kv: eff.kv_type,
            fa: eff.flash_attn,
        };
        let current_plan = sizer.plan(&current);
        let current_check = memory_check(&current, &current_plan, lang);
        if let Some(TokenCount::Estimated { note, .. }) =
            inp.workload.prompt.as_ref().map(|p| &p.count)
        {
            notes.push(note.clone());
        }

        let mut r = Resolved {
            inp,
            lang,
            sizer,
            native,
            eff,
            ollama,
            current,
            current_plan,
            current_check,
            want: 0,
            candidates: Vec::new(),
            most: None,
            target: None,
            minimal: Setup {
                ctx: 256,
                slots: 1,
                kv: KvType::Q4_0,
                fa: true,
            },
            never_fits: false,
            notes,
        };
        r.aim();
        // A model that cannot fit at all: weights + a minimal context beyond even the offload pool.
        r.never_fits = sizer.plan(&r.minimal).verdict == Verdict::DoesNotFit;
        r
    }

    /// The context the fix aims at, and the setup that holds it.
    fn aim(&mut self) {
        let (sizer, current, eff_ctx) = (self.sizer, self.current, self.eff.ctx);
        let p_tokens = self.prompt().map(|p| p.tokens);
        let native = self.native;
        let want = match p_tokens {
            Some(p) => self
                .cap_native(next_pow2(p + ANSWER_ROOM))
                .max(self.cap_native(eff_ctx)),
            None => {
                if native > 0 {
                    native.max(eff_ctx.min(native))
                } else {
                    eff_ctx
                }
            }
        };
        // Ways to hold it, least intrusive first: the engine's one ladder (flash attention
        // on, a q8_0 cache, one slot, a q4_0 cache).
        let mut candidates: Vec<Setup> = cabe_engine::search::context_ladder(&current.settings())
            .iter()
            .map(|s| Setup::of(current.ctx, s))
            .collect();
        // Only setups llama.cpp loads are offered (an MLA model takes one type for K and V; a
        // quantized cache needs its block to divide the head size).
        candidates.retain(|s| sizer.refused(s).is_none());
        let at_want: Option<Setup> = candidates
            .iter()
            .map(|s| Setup { ctx: want, ..*s })
            .find(|s| sizer.fits(s));
        // Else: what each setup holds at most (per slot, capped at what is wanted).
        let maxima: Vec<Setup> = candidates
            .iter()
            .filter_map(|s| {
                sizer.max_ctx(s).map(|c| Setup {
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
        // The least intrusive setup that still holds what the workload needs (the prompt and
        // room for the answer, else the context configured now), at a round context; else the
        // most.
        let need = self.cap_native(match p_tokens {
            Some(p) => p + ANSWER_ROOM,
            None => eff_ctx,
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
        self.target = at_want.or(holding).or(most.map(|s| Setup {
            ctx: (s.ctx / 1024 * 1024).max(256.min(s.ctx)),
            ..s
        }));
        self.want = want;
        self.candidates = candidates;
        self.most = most;
    }

    pub fn prompt(&self) -> Option<&'a Prompt> {
        self.inp.workload.prompt.as_ref()
    }

    /// Whether the runtime is Ollama (else llama-server).
    pub fn is_ollama(&self) -> bool {
        self.ollama.is_some()
    }

    /// `t`, at most the native context when that is known.
    pub fn cap_native(&self, t: u64) -> u64 {
        if self.native > 0 {
            t.min(self.native)
        } else {
            t
        }
    }
}

fn next_pow2(n: u64) -> u64 {
    n.max(1).next_power_of_two()
}
