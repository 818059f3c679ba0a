//! `env-invalid`: an `OLLAMA_*` variable Ollama rejects; it falls back to its default.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::ollama::InvalidVar;
use crate::resolved::Resolved;
use cabe_i18n::Lang;
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
        .map(|v| finding(r.lang, &o.config.env_source, v))
        .collect()
}

fn finding(lang: Lang, source: &str, v: &InvalidVar) -> Finding {
    let (var, value) = (v.name, v.value.as_str());
    let expected = match var {
        "OLLAMA_GPU_OVERHEAD" => t!(lang, "expected-bytes"),
        "OLLAMA_CONTEXT_LENGTH" => t!(lang, "expected-tokens"),
        "OLLAMA_FLASH_ATTENTION" => t!(lang, "expected-bool"),
        "OLLAMA_KV_CACHE_TYPE" => t!(lang, "expected-kv"),
        "OLLAMA_NUM_PARALLEL" => t!(lang, "expected-slots"),
        _ => v.expected.to_string(),
    };
    let mut numbers = BTreeMap::new();
    numbers.insert("variable".into(), num(var));
    numbers.insert("value".into(), num(value));
    Finding {
        id: FindingId::EnvInvalid,
        severity: Severity::Warning,
        title: t!(lang, "env-invalid-title", var = var, value = value),
        message: t!(
            lang,
            "env-invalid-message",
            var = var,
            value = value,
            source = source
        ),
        numbers,
        fix: t!(lang, "env-invalid-fix", var = var, expected = expected),
    }
}
