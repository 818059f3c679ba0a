//! `prefill-over-timeout`: reading the prompt alone takes longer than (or close to) the
//! client's timeout, so the request is cut off before the first token of the answer.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::{fmt_duration, num, trim_float};
use crate::resolved::Resolved;
use cabe_core::units::fmt_int;
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
    (r.prompt().is_some() && w.prefill_rate.is_none() && w.timeout_s.is_some()).then(|| {
        "give --prefill-rate (tokens/s: llama-bench's pp figure, or llama-server's timings.prompt_per_second) to check the prefill time against --timeout".into()
    })
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
            if source.is_empty() {
                String::new()
            } else {
                format!(" at the rate from {source}")
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
            "Set the client's request timeout to at least {suggest} s ({}): the prefill plus half again for the answer, rounded up to a minute. Later turns that reuse the cached prefix prefill only the new tokens.{}",
            fmt_duration(suggest as f64),
            if over {
                format!(
                    " Or send a shorter prompt: in {} s at {} tokens/s prefill reads at most {} tokens ({} × {}), before any of the answer.",
                    timeout.round(),
                    trim_float(rate),
                    fmt_int(max_prompt),
                    trim_float(rate),
                    timeout.round()
                )
            } else {
                String::new()
            }
        ),
    })
}
