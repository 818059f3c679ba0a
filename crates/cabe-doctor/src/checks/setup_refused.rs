//! `setup-refused`: llama.cpp will not load the model with the cache settings in force.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use serde_json::Value;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let current = &r.current;
    let why = r.sizer.refused(current)?;
    let mut numbers = BTreeMap::new();
    numbers.insert("kv_type".into(), num(current.kv.name()));
    numbers.insert("flash_attn".into(), Value::Bool(current.fa));
    Some(Finding {
        id: FindingId::SetupRefused,
        severity: Severity::Error,
        title: t!(r.lang, "setup-refused-title"),
        message: t!(
            r.lang,
            "setup-refused-message",
            why = why,
            setup = current.words(r.lang)
        ),
        numbers,
        fix: t!(r.lang, "setup-refused-fix"),
    })
}
