//! `prompt-over-native`: the prompt is longer than the model's training context; no setting
//! holds it.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::{count_words, num};
use crate::resolved::{Resolved, ANSWER_ROOM};
use cabe_core::units::fmt_int;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let p = r.prompt()?;
    let native = r.native;
    if !(native > 0 && p.tokens > native) {
        return None;
    }
    let over = p.tokens - native;
    let mut numbers = BTreeMap::new();
    numbers.insert("prompt_tokens".into(), num(p.tokens));
    numbers.insert("native_ctx".into(), num(native));
    numbers.insert("over_by".into(), num(over));
    Some(Finding {
        id: FindingId::PromptOverNative,
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
    })
}
