//! `memory-over-capacity`: the setup as configured needs more than the fast memory. With
//! offload it runs, slower (how many layers spill, what decode costs, and for a MoE model on
//! llama-server the `--n-cpu-moe` that keeps the rest on the GPU); else it does not load.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::inputs::Runtime;
use crate::offload::{cpu_moe_option, spill_layers};
use crate::resolved::Resolved;
use cabe_core::plan::Verdict;
use cabe_core::units::fmt_gb;
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
    let target_fix = match target {
        Some(t) if t != *s => format!("Make it fit: {}.", r.sizer.check(&t).summary),
        _ => "Use a smaller quantization or a machine with more memory.".into(),
    };
    if p.verdict != Verdict::FitsWithOffload {
        return Some(Finding {
            id: FindingId::MemoryOverCapacity,
            severity: Severity::Error,
            title: format!(
                "{} needs {}, the machine has {}",
                s.words(),
                fmt_gb(m.total_bytes),
                fmt_gb(p.capacity.total_bytes)
            ),
            message: format!(
                "At {} the model needs {} (weights {} + KV {} + compute and reserves) and the machine gives {}: {} short. Ollama refuses to load it, or the system swaps.",
                s.words(),
                fmt_gb(m.total_bytes),
                fmt_gb(m.weights_bytes),
                fmt_gb(m.kv_cache_bytes),
                fmt_gb(p.capacity.total_bytes),
                fmt_gb(m.total_bytes.saturating_sub(p.capacity.total_bytes))
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
        cost = format!(
            " Decode at an empty context slows from about {all:.0} to {split:.0} tokens/s (typical): {:.0}% of the bytes read per token come from system RAM at its bandwidth, and the devices run in turn.",
            spill.cpu_fraction * 100.0
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
                format!(
                    ", and decode runs at about {moe:.0} tokens/s (typical) instead of {split:.0}"
                )
            }
            _ => String::new(),
        };
        let moe = format!(
            "start llama-server with --n-cpu-moe {}: the routed experts of the first {} layers ({}) stay in system RAM and everything else on the GPU ({} of {}){speed}.",
            e.layers,
            e.layers,
            fmt_gb(e.expert_bytes),
            fmt_gb(e.gpu_bytes),
            fmt_gb(fast)
        );
        fix = match target {
            Some(t) if t != *s => format!("{fix} Or keep these settings and {moe}"),
            _ => format!(
                "Keep these settings and {moe} Otherwise use a smaller quantization or a machine with more memory."
            ),
        };
    }
    Some(Finding {
        id: FindingId::MemoryOverCapacity,
        severity: Severity::Warning,
        title: format!("{} of {} layers spill to system RAM", spill.layers_on_cpu, n_layer),
        message: format!(
            "At {} the model needs {} (weights {} + KV {} + compute and reserves) but the GPUs hold {}: {} over, so about {} of {} layers run from system RAM (llama.cpp keeps the last layers on the GPU and spills the first).{cost}",
            s.words(),
            fmt_gb(m.total_bytes),
            fmt_gb(m.weights_bytes),
            fmt_gb(m.kv_cache_bytes),
            fmt_gb(fast),
            fmt_gb(over),
            spill.layers_on_cpu,
            n_layer
        ),
        numbers,
        fix,
    })
}
