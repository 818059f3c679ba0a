//! `kv-type-ignored`: `OLLAMA_KV_CACHE_TYPE` asks for a quantized cache, but Ollama applies it
//! only with flash attention on, and it is off.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use cabe_core::quant::KvType;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let o = r.ollama.as_ref()?;
    let k = o.env.kv_cache_type?;
    let s = o.config.env.kv_cache_type.as_deref()?;
    if r.eff.flash_attn || k == KvType::F16 {
        return None;
    }
    let mut numbers = BTreeMap::new();
    numbers.insert("kv_type".into(), num(k.name()));
    Some(Finding {
        id: FindingId::KvTypeIgnored,
        severity: Severity::Info,
        title: t!(r.lang, "kv-type-ignored-title", value = s),
        message: t!(r.lang, "kv-type-ignored-message", value = s),
        numbers,
        fix: t!(r.lang, "kv-type-ignored-fix"),
    })
}
