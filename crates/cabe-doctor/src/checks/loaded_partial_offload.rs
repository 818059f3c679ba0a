//! `loaded-partial-offload`: the loaded model is not entirely in VRAM; the rest is read from
//! system RAM on every token.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use cabe_core::units::fmt_gb;
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
        "100% CPU".to_string()
    } else {
        format!("{cpu_pct}%/{}% CPU/GPU", 100 - cpu_pct)
    };
    Some(Finding {
        id: FindingId::LoadedPartialOffload,
        severity: Severity::Warning,
        title: format!("{} runs {placement}", o.model),
        message: format!(
            "/api/ps: {} is loaded with size {} of which {} in VRAM, so {} ({placement} in `ollama ps`) runs from system RAM, read at its bandwidth on every token.",
            o.model,
            fmt_gb(l.size),
            fmt_gb(l.size_vram),
            fmt_gb(cpu)
        ),
        numbers,
        fix: "Lower num_ctx, use OLLAMA_KV_CACHE_TYPE=q8_0 with flash attention, or a smaller quantization, until it loads 100% GPU.".into(),
    })
}
