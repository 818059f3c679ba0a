//! `kv-type-fits`: the setup the fix aims at needs another KV cache type or flash attention;
//! this says what that change saves.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use crate::setup::Setup;
use cabe_core::units::{fmt_gb, fmt_int};
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let (t, current) = (r.target?, r.current);
    if t.kv == current.kv && t.fa == current.fa {
        return None;
    }
    let ollama = r.is_ollama();
    let with = r.sizer.plan(&t);
    let without = r.sizer.plan(&Setup {
        kv: current.kv,
        fa: current.fa,
        ..t
    });
    let mut numbers = BTreeMap::new();
    numbers.insert("ctx".into(), num(t.ctx));
    numbers.insert("kv_type".into(), num(t.kv.name()));
    numbers.insert("kv_bytes".into(), num(with.memory.kv_cache_bytes));
    numbers.insert(
        "kv_bytes_current".into(),
        num(without.memory.kv_cache_bytes),
    );
    numbers.insert("total_bytes".into(), num(with.memory.total_bytes));
    let change = if ollama {
        let mut v = Vec::new();
        if t.fa && !current.fa {
            v.push("OLLAMA_FLASH_ATTENTION=1".to_string());
        }
        if t.kv != current.kv {
            v.push(format!("OLLAMA_KV_CACHE_TYPE={}", t.kv));
        }
        v.join(" ")
    } else {
        let mut v = vec!["-fa on".to_string()];
        if t.kv != current.kv {
            v.push(format!("--cache-type-k {} --cache-type-v {}", t.kv, t.kv));
        }
        v.join(" ")
    };
    Some(Finding {
        id: FindingId::KvTypeFits,
        severity: Severity::Warning,
        title: format!("{} makes a {}-token context fit", change, fmt_int(t.ctx)),
        message: format!(
            "At {} tokens the KV cache is {} with {} but {} with {}{}; the total becomes {} of {}.",
            fmt_int(t.ctx),
            fmt_gb(without.memory.kv_cache_bytes),
            current.kv,
            fmt_gb(with.memory.kv_cache_bytes),
            t.kv,
            if t.fa && !current.fa {
                " and flash attention on (a quantized V cache needs it, and without it the attention scores of a long context are materialized)"
            } else {
                ""
            },
            fmt_gb(with.memory.total_bytes),
            fmt_gb(r.inp.machine.capacity.fast_bytes)
        ),
        numbers,
        fix: format!(
            "Set {change}{}. A q8_0 cache costs little quality; q4_0 more.",
            if ollama {
                " on the Ollama server (it is global, and applies only with flash attention on) and restart it"
            } else {
                ""
            }
        ),
    })
}
