//! `prompt-over-ctx`: the prompt is longer than the context in force, so Ollama silently drops
//! part of it (llama-server refuses it).

use crate::finding::{Finding, FindingId, Severity};
use crate::format::{count_words, num};
use crate::resolved::{Resolved, ANSWER_ROOM};
use cabe_core::units::fmt_int;
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
    let what_happens = if ollama {
        "Ollama does not refuse it: /api/chat silently drops the oldest messages until the rest fits (keeping the system prompt and the latest message), and older runners cut the prompt after num_keep tokens — the model answers without part of its input. The llama-server-based Ollama answers HTTP 400 instead when context shift is off."
    } else {
        "llama-server answers HTTP 400 (\"the request exceeds the available context size\"), or, with --context-shift, drops tokens from the start."
    };
    let fix = match r.target {
        Some(t) if t.ctx >= p.tokens => format!(
            "A {}-token context holds it, with {} tokens left for the answer; {}.",
            fmt_int(t.ctx),
            fmt_int(t.ctx - p.tokens),
            if ollama {
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
    Some(Finding {
        id: FindingId::PromptOverCtx,
        severity: Severity::Error,
        title: format!(
            "prompt of {} tokens is {} over the {}-token context",
            fmt_int(p.tokens),
            fmt_int(over),
            fmt_int(ctx)
        ),
        message: format!(
            "The prompt is {} tokens{}, over the {}-token context by {} ({} − {} = {}). {what_happens}",
            fmt_int(p.tokens),
            count_words(p),
            fmt_int(ctx),
            fmt_int(over),
            fmt_int(p.tokens),
            fmt_int(ctx),
            fmt_int(over)
        ),
        numbers,
        fix,
    })
}
