//! `kv-type-fits`: the setup the fix aims at needs another KV cache type or flash attention;
//! this says what that change saves.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::ollama::yes_no;
use crate::resolved::Resolved;
use crate::setup::Setup;
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
        title: t!(
            r.lang,
            "kv-fits-title",
            change = change.as_str(),
            ctx = t.ctx
        ),
        message: t!(
            r.lang,
            "kv-fits-message",
            ctx = t.ctx,
            without = r.lang.gb(without.memory.kv_cache_bytes),
            kv_now = current.kv.to_string(),
            with = r.lang.gb(with.memory.kv_cache_bytes),
            kv_new = t.kv.to_string(),
            fa = yes_no(t.fa && !current.fa),
            total = r.lang.gb(with.memory.total_bytes),
            cap = r.lang.gb(r.inp.machine.capacity.fast_bytes)
        ),
        numbers,
        fix: t!(
            r.lang,
            "kv-fits-fix",
            change = change,
            runtime = if ollama { "ollama" } else { "llama-server" }
        ),
    })
}
