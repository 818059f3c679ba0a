//! `parallel-kv`: several parallel slots each hold the full context, multiplying the KV cache.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use crate::setup::Setup;
use cabe_core::plan::Verdict;
use cabe_core::units::{fmt_gb, fmt_int};
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
        format!(
            "Ollama starts its runner with -c {} × {} = {} -np {}",
            fmt_int(eff.ctx),
            eff.parallel,
            fmt_int(eff.ctx * eff.parallel as u64),
            eff.parallel
        )
    } else {
        format!("llama-server runs {} slots", eff.parallel)
    };
    Some(Finding {
        id: FindingId::ParallelKv,
        severity: if matters {
            Severity::Warning
        } else {
            Severity::Info
        },
        title: format!(
            "{} parallel slots multiply the KV cache by {}",
            eff.parallel, eff.parallel
        ),
        message: format!(
            "{} ({}): every slot holds the full context, so the KV cache is {} × {} = {} instead of {}{}.",
            launch,
            eff.parallel_source,
            eff.parallel,
            fmt_gb(kv1),
            fmt_gb(kvn),
            fmt_gb(kv1),
            if matters {
                "; with one slot the model fits"
            } else {
                ""
            }
        ),
        numbers,
        fix: if ollama {
            "If one client sends one request at a time (a coding agent does), set OLLAMA_NUM_PARALLEL=1 on the server and restart it.".into()
        } else {
            "If one client sends one request at a time, start llama-server with -np 1.".into()
        },
    })
}
