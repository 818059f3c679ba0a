//! `loaded-ctx-differs`: `/api/ps` shows the model running with another context than its
//! configuration gives (a client's options, or the server's own environment).

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let o = r.ollama.as_ref()?.config;
    let c = o.loaded.as_ref()?.context_length?;
    let eff = &r.eff;
    // Ollama starts its runner with -c num_ctx × slots: either figure is the configured one.
    if c == eff.ctx || c == eff.ctx * eff.parallel as u64 {
        return None;
    }
    let mut numbers = BTreeMap::new();
    numbers.insert("loaded_ctx".into(), num(c));
    numbers.insert("configured_ctx".into(), num(eff.ctx));
    Some(Finding {
        id: FindingId::LoadedCtxDiffers,
        severity: Severity::Info,
        title: t!(
            r.lang,
            "loaded-ctx-title",
            model = &o.model,
            loaded = c,
            ctx = eff.ctx
        ),
        message: t!(
            r.lang,
            "loaded-ctx-message",
            model = &o.model,
            loaded = c,
            ctx = eff.ctx,
            source = &eff.ctx_source
        ),
        numbers,
        fix: t!(r.lang, "loaded-ctx-fix"),
    })
}
