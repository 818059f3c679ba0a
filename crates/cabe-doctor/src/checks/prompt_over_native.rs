//! `prompt-over-native`: the prompt is longer than the model's training context; no setting
//! holds it.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::{count_words, num};
use crate::resolved::{Resolved, ANSWER_ROOM};
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
        title: t!(
            r.lang,
            "prompt-over-native-title",
            prompt = p.tokens,
            native = native
        ),
        message: t!(
            r.lang,
            "prompt-over-native-message",
            prompt = p.tokens,
            count = count_words(p, r.lang),
            over = over,
            native = native
        ),
        numbers,
        fix: t!(r.lang, "prompt-over-native-fix", cut = over + ANSWER_ROOM),
    })
}
