//! `prefill-over-timeout`: reading the prompt alone takes longer than (or close to) the
//! client's timeout, so the request is cut off before the first token of the answer.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::ollama::yes_no;
use crate::resolved::Resolved;
use cabe_i18n::Arg;
use std::collections::BTreeMap;

/// A prefill within 20% of the timeout (or over it), with the timeout to set instead.
struct Prefill {
    tokens: u64,
    rate: f64,
    timeout: f64,
    seconds: f64,
    suggest: u64,
}

fn prefill(r: &Resolved) -> Option<Prefill> {
    let w = &r.inp.workload;
    let tokens = r.prompt()?.tokens;
    let (rate, timeout) = (w.prefill_rate?, w.timeout_s?);
    if rate <= 0.0 {
        return None;
    }
    let seconds = tokens as f64 / rate;
    // The prefill plus half again for the answer, rounded up to a minute.
    (seconds > timeout * 0.8).then(|| Prefill {
        tokens,
        rate,
        timeout,
        seconds,
        suggest: ((seconds * 1.5) / 60.0).ceil() as u64 * 60,
    })
}

/// The client timeout the fix sets, seconds.
pub(crate) fn suggested_timeout(r: &Resolved) -> Option<u64> {
    prefill(r).map(|p| p.suggest)
}

/// With a prompt and a timeout but no prefill rate, what to give to have the time checked.
pub(crate) fn prefill_note(r: &Resolved) -> Option<String> {
    let w = &r.inp.workload;
    (r.prompt().is_some() && w.prefill_rate.is_none() && w.timeout_s.is_some())
        .then(|| t!(r.lang, "note-prefill-rate"))
}

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let Prefill {
        tokens: p,
        rate,
        timeout,
        seconds: t,
        suggest,
    } = prefill(r)?;
    let source = &r.inp.workload.prefill_rate_source;
    let lang = r.lang;
    let over = t > timeout;
    let mut numbers = BTreeMap::new();
    numbers.insert("prompt_tokens".into(), num(p));
    numbers.insert("prefill_rate_tok_s".into(), num(rate));
    numbers.insert("prefill_s".into(), num((t * 10.0).round() / 10.0));
    numbers.insert("timeout_s".into(), num(timeout));
    numbers.insert("suggested_timeout_s".into(), num(suggest));
    // The longest prompt whose prefill ends inside the timeout, at this rate.
    let max_prompt = (rate * timeout).floor() as u64;
    if over {
        numbers.insert(
            "over_by_s".into(),
            num(((t - timeout) * 10.0).round() / 10.0),
        );
        numbers.insert("max_prompt_tokens_in_timeout".into(), num(max_prompt));
    }
    Some(Finding {
        id: FindingId::PrefillOverTimeout,
        severity: if over {
            Severity::Error
        } else {
            Severity::Warning
        },
        title: t!(
            lang,
            "prefill-title",
            secs = Arg::dec(t.round(), 0),
            over = yes_no(over),
            timeout = Arg::dec(timeout.round(), 0)
        ),
        message: t!(
            lang,
            "prefill-message",
            prompt = p,
            rate = lang.trim(rate),
            secs = Arg::dec(t.round(), 0),
            duration = lang.duration(t),
            source = if source.is_empty() {
                "none"
            } else {
                source.as_str()
            },
            over = yes_no(over),
            timeout = Arg::dec(timeout.round(), 0),
            by = Arg::dec((t - timeout).round(), 0)
        ),
        numbers,
        fix: t!(
            lang,
            "prefill-fix",
            suggest = suggest,
            duration = lang.duration(suggest as f64)
        ) + &if over {
            t!(
                lang,
                "prefill-fix-shorter",
                timeout = Arg::dec(timeout.round(), 0),
                rate = lang.trim(rate),
                max = max_prompt
            )
        } else {
            String::new()
        },
    })
}
