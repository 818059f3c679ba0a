//! `parallel-kv`: several parallel slots each hold the full context, multiplying the KV cache.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::ollama::yes_no;
use crate::resolved::Resolved;
use crate::setup::Setup;
use cabe_core::plan::Verdict;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let eff = &r.eff;
    if eff.parallel <= 1 {
        return None;
    }
    let ollama = r.is_ollama();
    let one = Setup {
        slots: 1,
        ..r.current
    };
    let p1 = r.sizer.plan(&one);
    let kv1 = p1.memory.kv_cache_bytes;
    let kvn = r.current_plan.memory.kv_cache_bytes;
    let matters = r.current_plan.verdict != Verdict::Fits && p1.verdict == Verdict::Fits;
    let mut numbers = BTreeMap::new();
    numbers.insert("parallel".into(), num(eff.parallel));
    numbers.insert("ctx_per_slot".into(), num(eff.ctx));
    numbers.insert("kv_bytes_one_slot".into(), num(kv1));
    numbers.insert("kv_bytes_total".into(), num(kvn));
    let launch = if ollama {
        t!(
            r.lang,
            "parallel-launch-ollama",
            ctx = eff.ctx,
            slots = eff.parallel,
            total = eff.ctx * eff.parallel as u64
        )
    } else {
        t!(r.lang, "parallel-launch-llama", slots = eff.parallel)
    };
    Some(Finding {
        id: FindingId::ParallelKv,
        severity: if matters {
            Severity::Warning
        } else {
            Severity::Info
        },
        title: t!(r.lang, "parallel-title", slots = eff.parallel),
        message: t!(
            r.lang,
            "parallel-message",
            launch = launch,
            source = &eff.parallel_source,
            slots = eff.parallel,
            one = r.lang.gb(kv1),
            all = r.lang.gb(kvn),
            matters = yes_no(matters)
        ),
        numbers,
        fix: if ollama {
            t!(r.lang, "parallel-fix-ollama")
        } else {
            t!(r.lang, "parallel-fix-llama")
        },
    })
}
