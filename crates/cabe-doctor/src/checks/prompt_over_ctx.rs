//! `prompt-over-ctx`: the prompt is longer than the context in force, so Ollama silently drops
//! part of it (llama-server refuses it).

use crate::finding::{Finding, FindingId, Severity};
use crate::format::{count_words, num};
use crate::resolved::{Resolved, ANSWER_ROOM};
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let p = r.prompt()?;
    let (ctx, native) = (r.eff.ctx, r.native);
    if p.tokens <= ctx {
        return None;
    }
    let ollama = r.is_ollama();
    let over = p.tokens - ctx;
    let mut numbers = BTreeMap::new();
    numbers.insert("prompt_tokens".into(), num(p.tokens));
    numbers.insert("configured_ctx".into(), num(ctx));
    numbers.insert("over_by".into(), num(over));
    let lang = r.lang;
    let what_happens = if ollama {
        t!(lang, "prompt-over-ctx-ollama")
    } else {
        t!(lang, "prompt-over-ctx-llama")
    };
    let fix = match r.target {
        Some(t) if t.ctx >= p.tokens => t!(
            lang,
            "prompt-over-ctx-fix-holds",
            ctx = t.ctx,
            left = t.ctx - p.tokens,
            runtime = if ollama { "ollama" } else { "llama-server" }
        ),
        Some(t) if p.tokens <= native || native == 0 => t!(
            lang,
            "prompt-over-ctx-fix-machine",
            ctx = t.ctx,
            setup = t.words(lang),
            cut = p.tokens.saturating_sub(t.ctx) + ANSWER_ROOM
        ),
        _ => t!(lang, "prompt-over-ctx-fix-shorten"),
    };
    Some(Finding {
        id: FindingId::PromptOverCtx,
        severity: Severity::Error,
        title: t!(
            lang,
            "prompt-over-ctx-title",
            prompt = p.tokens,
            over = over,
            ctx = ctx
        ),
        message: t!(
            lang,
            "prompt-over-ctx-message",
            prompt = p.tokens,
            count = count_words(p, lang),
            ctx = ctx,
            over = over,
            what = what_happens
        ),
        numbers,
        fix,
    })
}
