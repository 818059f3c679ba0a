//! `ctx-over-native`: an explicitly set Ollama context above the model's own, which current
//! Ollama clamps (and older versions refused to load).

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
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
        title: t!(
            r.lang,
            "ctx-over-native-title",
            configured = configured,
            native = native
        ),
        message: t!(
            r.lang,
            "ctx-over-native-message",
            configured = configured,
            source = &r.eff.ctx_source,
            native = native,
            arch = &r.inp.model.spec.architecture
        ),
        numbers,
        fix: t!(
            r.lang,
            "ctx-over-native-fix",
            native_raw = native.to_string()
        ),
    })
}
