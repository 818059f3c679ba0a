//! `memory-over-capacity`: the setup as configured needs more than the fast memory. With
//! offload it runs, slower (how many layers spill, what decode costs, and for a MoE model on
//! llama-server the `--n-cpu-moe` that keeps the rest on the GPU); else it does not load.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::inputs::Runtime;
use crate::offload::{cpu_moe_option, spill_layers};
use crate::resolved::Resolved;
use cabe_core::plan::Verdict;
use cabe_i18n::Arg;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    // A model that never fits says so once, as `never-fits`.
    if r.never_fits || r.current_plan.verdict == Verdict::Fits {
        return None;
    }
    let (inp, s, p, target) = (r.inp, &r.current, &r.current_plan, r.target);
    let m = &p.memory;
    let fast = p.capacity.fast_bytes;
    let over = m.total_bytes.saturating_sub(fast);
    let mut numbers = BTreeMap::new();
    numbers.insert("total_bytes".into(), num(m.total_bytes));
    numbers.insert("weights_bytes".into(), num(m.weights_bytes));
    numbers.insert("kv_bytes".into(), num(m.kv_cache_bytes));
    numbers.insert("fast_capacity_bytes".into(), num(fast));
    numbers.insert("over_by_bytes".into(), num(over));
    let lang = r.lang;
    let gb = |b: u64| lang.gb(b);
    let target_fix = match target {
        Some(t) if t != *s => t!(
            lang,
            "memory-over-fix-target",
            summary = r.sizer.check(&t).summary
        ),
        _ => t!(lang, "memory-over-fix-smaller"),
    };
    if p.verdict != Verdict::FitsWithOffload {
        return Some(Finding {
            id: FindingId::MemoryOverCapacity,
            severity: Severity::Error,
            title: t!(
                lang,
                "memory-over-title",
                setup = s.words(lang),
                total = gb(m.total_bytes),
                cap = gb(p.capacity.total_bytes)
            ),
            message: t!(
                lang,
                "memory-over-message",
                setup = s.words(lang),
                total = gb(m.total_bytes),
                weights = gb(m.weights_bytes),
                kv = gb(m.kv_cache_bytes),
                cap = gb(p.capacity.total_bytes),
                short = gb(m.total_bytes.saturating_sub(p.capacity.total_bytes))
            ),
            numbers,
            fix: target_fix,
        });
    }
    let spill = spill_layers(inp, s, p);
    let experts = match &inp.runtime {
        Runtime::LlamaServer(_) => cpu_moe_option(inp, s),
        Runtime::Ollama(_) => None,
    };
    let n_layer = inp.model.spec.n_layer();
    numbers.insert("layers_on_cpu".into(), num(spill.layers_on_cpu));
    numbers.insert("n_layer".into(), num(n_layer));
    let mut cost = String::new();
    if let (Some(all), Some(split)) = (spill.tok_s_all_gpu, spill.tok_s_split) {
        numbers.insert(
            "decode_tok_s_all_gpu".into(),
            num((all * 10.0).round() / 10.0),
        );
        numbers.insert(
            "decode_tok_s_offload".into(),
            num((split * 10.0).round() / 10.0),
        );
        cost = t!(
            lang,
            "memory-spill-cost",
            all = Arg::dec(all, 0),
            split = Arg::dec(split, 0),
            pct = Arg::dec(spill.cpu_fraction * 100.0, 0)
        );
    }
    let mut fix = target_fix;
    if let Some(e) = experts {
        numbers.insert("n_cpu_moe".into(), num(e.layers));
        let speed = match (e.tok_s, spill.tok_s_split) {
            (Some(moe), Some(split)) => {
                numbers.insert(
                    "decode_tok_s_cpu_moe".into(),
                    num((moe * 10.0).round() / 10.0),
                );
                t!(
                    lang,
                    "memory-moe-speed",
                    moe = Arg::dec(moe, 0),
                    split = Arg::dec(split, 0)
                )
            }
            _ => String::new(),
        };
        let moe = t!(
            lang,
            "memory-moe",
            layers = e.layers,
            experts = gb(e.expert_bytes),
            gpu = gb(e.gpu_bytes),
            fast = gb(fast),
            speed = speed
        );
        fix = match target {
            Some(t) if t != *s => t!(lang, "memory-moe-or", fix = fix, moe = moe),
            _ => t!(lang, "memory-moe-keep", moe = moe),
        };
    }
    Some(Finding {
        id: FindingId::MemoryOverCapacity,
        severity: Severity::Warning,
        title: t!(
            lang,
            "memory-spill-title",
            on_cpu = spill.layers_on_cpu,
            layers = n_layer
        ),
        message: t!(
            lang,
            "memory-spill-message",
            setup = s.words(lang),
            total = gb(m.total_bytes),
            weights = gb(m.weights_bytes),
            kv = gb(m.kv_cache_bytes),
            fast = gb(fast),
            over = gb(over),
            on_cpu = spill.layers_on_cpu,
            layers = n_layer,
            cost = cost
        ),
        numbers,
        fix,
    })
}
