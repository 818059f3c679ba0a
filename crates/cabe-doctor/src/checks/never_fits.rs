//! `never-fits`: the weights and the smallest context there is (256 tokens, one slot, q4_0)
//! exceed the machine even with offload to system RAM; only a smaller file helps.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::ollama::yes_no;
use crate::resolved::Resolved;
use crate::setup::Setup;
use cabe_core::hardware::MemoryKind;
use cabe_core::plan::{plan, Verdict};
use cabe_core::quant::{FileType, KvType};
use cabe_core::weights::for_file_type;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    if !r.never_fits {
        return None;
    }
    let m = r.sizer.check(&r.minimal);
    let mut numbers = BTreeMap::new();
    numbers.insert("weights_bytes".into(), num(m.weights_bytes));
    numbers.insert("min_total_bytes".into(), num(m.total_bytes));
    numbers.insert("capacity_bytes".into(), num(m.capacity_bytes));
    Some(Finding {
        id: FindingId::NeverFits,
        severity: Severity::Error,
        title: t!(r.lang, "never-fits-title"),
        message: t!(
            r.lang,
            "never-fits-message",
            total = r.lang.gb(m.total_bytes),
            weights = r.lang.gb(m.weights_bytes),
            cap = r.lang.gb(m.capacity_bytes),
            offload = yes_no(r.inp.machine.spec.kind == MemoryKind::DiscreteGpu)
        ),
        numbers,
        fix: smaller_quant_fix(r),
    })
}

/// The first smaller whole-file quantization that fits with a 4096-token context, sized by
/// llama-quantize's rules for this architecture.
fn smaller_quant_fix(r: &Resolved) -> String {
    let spec = &r.inp.model.spec;
    let s = Setup {
        ctx: 4096,
        slots: 1,
        kv: KvType::F16,
        fa: true,
    };
    for ft in [
        FileType::Q4_K_M,
        FileType::Q3_K_M,
        FileType::IQ3_XXS,
        FileType::Q2_K,
        FileType::IQ2_XXS,
        FileType::IQ1_M,
    ] {
        let w = for_file_type(spec, ft);
        if w.bytes >= r.inp.model.weights.bytes {
            continue;
        }
        let p = plan(spec, &w, &s.profile(), &r.inp.machine.capacity);
        if p.verdict != Verdict::DoesNotFit {
            return t!(
                r.lang,
                "never-fits-fix-smaller",
                quant = ft.to_string(),
                weights = r.lang.gb(w.bytes),
                ctx = s.ctx,
                total = r.lang.gb(p.memory.total_bytes),
                offload = yes_no(p.verdict == Verdict::FitsWithOffload)
            );
        }
    }
    t!(r.lang, "never-fits-fix-none")
}
