//! `loaded-partial-offload`: the loaded model is not entirely in VRAM; the rest is read from
//! system RAM on every token.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let o = r.ollama.as_ref()?.config;
    let l = o.loaded.as_ref()?;
    if !(l.size > 0 && l.size_vram < l.size) {
        return None;
    }
    let cpu = l.size - l.size_vram;
    let cpu_pct = (cpu as f64 * 100.0 / l.size as f64).round() as u64;
    let mut numbers = BTreeMap::new();
    numbers.insert("size_bytes".into(), num(l.size));
    numbers.insert("size_vram_bytes".into(), num(l.size_vram));
    numbers.insert("cpu_percent".into(), num(cpu_pct));
    // As `ollama ps` words it.
    let placement = if l.size_vram == 0 {
        t!(r.lang, "loaded-offload-all-cpu")
    } else {
        t!(
            r.lang,
            "loaded-offload-split",
            cpu = cpu_pct,
            gpu = 100 - cpu_pct
        )
    };
    Some(Finding {
        id: FindingId::LoadedPartialOffload,
        severity: Severity::Warning,
        title: t!(
            r.lang,
            "loaded-offload-title",
            model = &o.model,
            placement = placement.as_str()
        ),
        message: t!(
            r.lang,
            "loaded-offload-message",
            model = &o.model,
            size = r.lang.gb(l.size),
            vram = r.lang.gb(l.size_vram),
            cpu = r.lang.gb(cpu),
            placement = placement.as_str()
        ),
        numbers,
        fix: t!(r.lang, "loaded-offload-fix"),
    })
}
