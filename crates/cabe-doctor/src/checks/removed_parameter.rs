//! `removed-parameter`: a Modelfile `PARAMETER` Ollama no longer reads.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::ollama::removed_parameter;
use crate::resolved::Resolved;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Vec<Finding> {
    let Some(o) = &r.ollama else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in &o.config.parameters {
        let Some((_, since)) = removed_parameter(name) else {
            continue;
        };
        let mut numbers = BTreeMap::new();
        numbers.insert("parameter".into(), num(name.clone()));
        out.push(Finding {
            id: FindingId::RemovedParameter,
            severity: Severity::Info,
            title: t!(r.lang, "removed-parameter-title", name = name),
            message: t!(
                r.lang,
                "removed-parameter-message",
                name = name,
                value = value,
                since = since.to_string()
            ),
            numbers,
            fix: t!(r.lang, "removed-parameter-fix", name = name),
        });
    }
    out
}
