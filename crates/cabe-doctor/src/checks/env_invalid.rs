//! `env-invalid`: an `OLLAMA_*` variable Ollama rejects; it falls back to its default.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::ollama::InvalidVar;
use crate::resolved::Resolved;
use std::collections::BTreeMap;

/// The variables that decide the context, reported before `ctx-over-native`.
const CONTEXT_VARS: &[&str] = &["OLLAMA_GPU_OVERHEAD", "OLLAMA_CONTEXT_LENGTH"];

/// `OLLAMA_GPU_OVERHEAD` and `OLLAMA_CONTEXT_LENGTH`.
pub(super) fn context_vars(r: &Resolved) -> Vec<Finding> {
    findings(r, |name| CONTEXT_VARS.contains(&name))
}

/// The others: flash attention, the KV cache type, parallel slots.
pub(super) fn cache_vars(r: &Resolved) -> Vec<Finding> {
    findings(r, |name| !CONTEXT_VARS.contains(&name))
}

fn findings(r: &Resolved, which: impl Fn(&str) -> bool) -> Vec<Finding> {
    let Some(o) = &r.ollama else {
        return Vec::new();
    };
    o.env
        .invalid
        .iter()
        .filter(|v| which(v.name))
        .map(|v| finding(&o.config.env_source, v))
        .collect()
}

fn finding(source: &str, v: &InvalidVar) -> Finding {
    let (var, value, expected) = (v.name, v.value.as_str(), v.expected);
    let mut numbers = BTreeMap::new();
    numbers.insert("variable".into(), num(var));
    numbers.insert("value".into(), num(value));
    Finding {
        id: FindingId::EnvInvalid,
        severity: Severity::Warning,
        title: format!("{var}={value} is not valid"),
        message: format!(
            "{var} is '{value}' ({source}), which Ollama does not accept: it falls back to its default."
        ),
        numbers,
        fix: format!("Set {var} to {expected}, or unset it."),
    }
}
