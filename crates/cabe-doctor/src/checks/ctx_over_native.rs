//! `ctx-over-native`: an explicitly set Ollama context above the model's own, which current
//! Ollama clamps (and older versions refused to load).

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use cabe_core::units::fmt_int;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let o = r.ollama.as_ref()?;
    let (configured, native) = (r.eff.ctx_configured, r.native);
    // A default above the model's context is clamped without a word; only a setting is news.
    if !(o.ctx_explicit && native > 0 && configured > native) {
        return None;
    }
    let mut numbers = BTreeMap::new();
    numbers.insert("configured_ctx".into(), num(configured));
    numbers.insert("native_ctx".into(), num(native));
    Some(Finding {
        id: FindingId::CtxOverNative,
        severity: Severity::Info,
        title: format!(
            "configured context {} is above the model's {}",
            fmt_int(configured),
            fmt_int(native)
        ),
        message: format!(
            "The configured context is {} tokens ({}), more than the model's {} ({}.context_length). Current Ollama clamps it to {} (older versions refused to load: \"requested context size too large for model\").",
            fmt_int(configured),
            r.eff.ctx_source,
            fmt_int(native),
            r.inp.model.spec.architecture,
            fmt_int(native)
        ),
        numbers,
        fix: format!("Set num_ctx to at most {native}."),
    })
}
