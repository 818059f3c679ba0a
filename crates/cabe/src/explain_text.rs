//! The memory plan's `--explain` steps in this run's language. The core words them in English
//! (`KvCache::explain`, `ComputeBuffer::explain`, `Capacity::explain`, `explain_totals`:
//! what `--json` carries and English output prints); for another language they are worded
//! again here from the same steps in figures (`steps`, `totals`), line for line.

use cabe_core::kv::{ElemSize, KvForm, KvStep};
use cabe_core::plan::{
    explain_totals, totals, Capacity, CapacityStep, ComputeStep, FfnWidth, MemoryPlan, Stage,
};
use cabe_i18n::{Arg, Lang};

/// The KV cache's steps in `l`: the core's own lines for English.
pub fn kv(plan: &MemoryPlan, l: Lang) -> Vec<String> {
    if l == Lang::En {
        return plan.kv.explain.clone();
    }
    plan.kv.steps.iter().map(|s| kv_step(s, l)).collect()
}

/// The compute buffer's steps in `l`.
pub fn compute(plan: &MemoryPlan, l: Lang) -> Vec<String> {
    if l == Lang::En {
        return plan.compute.explain.clone();
    }
    plan.compute
        .steps
        .iter()
        .map(|s| compute_step(s, l))
        .collect()
}

/// The capacity's steps in `l`.
pub fn capacity(plan: &MemoryPlan, l: Lang) -> Vec<String> {
    capacity_lines(&plan.capacity, l)
}

/// A capacity's steps in `l`: the core's own lines for English.
pub fn capacity_lines(c: &Capacity, l: Lang) -> Vec<String> {
    if l == Lang::En {
        return c.explain.clone();
    }
    c.steps.iter().map(|s| capacity_step(s, l)).collect()
}

/// The totals and the headroom in `l`.
pub fn totals_lines(plan: &MemoryPlan, l: Lang) -> Vec<String> {
    if l == Lang::En {
        return explain_totals(plan);
    }
    let t = totals(plan);
    let mut lines = vec![t!(
        in l,
        "explain-total",
        weights = l.bytes(t.weights),
        kv = l.bytes(t.kv),
        compute = l.bytes(t.compute),
        output = l.bytes(t.output),
        runtime = l.bytes(t.runtime),
        total = l.bytes(t.total)
    )];
    if let Some(e) = t.cpu_experts {
        lines.push(t!(
            in l,
            "explain-cpu-experts",
            layers = e.layers,
            bytes = l.bytes(e.bytes),
            free = l.bytes(e.ram_free),
            total = l.bytes(t.total),
            need = l.bytes(t.need)
        ));
    }
    lines.push(t!(
        in l,
        "explain-headroom",
        limit = l.bytes(t.limit),
        need = l.bytes(t.need),
        headroom = l.signed_bytes(t.headroom)
    ));
    lines
}

fn elem(e: ElemSize, l: Lang) -> String {
    if e.block == 1 {
        t!(in l, "explain-elem", size = e.size)
    } else {
        t!(in l, "explain-elem-block", size = e.size, block = e.block)
    }
}

fn kv_step(s: &KvStep, l: Lang) -> String {
    match *s {
        KvStep::Layers {
            tokens,
            layers,
            swa,
            kv_heads,
            k_width,
            v_width,
            k_elem,
            v_elem,
            form,
            bytes,
        } => {
            let group = t!(
                in l,
                "explain-kv-group",
                layers = layers,
                swa = if swa { "yes" } else { "no" }
            );
            match form {
                KvForm::Mla => t!(
                    in l,
                    "explain-kv-mla",
                    tokens = tokens,
                    layers = layers,
                    width = k_width,
                    elem = elem(k_elem, l),
                    bytes = l.bytes(bytes)
                ),
                KvForm::Same => t!(
                    in l,
                    "explain-kv-same",
                    tokens = tokens,
                    group = group,
                    heads = kv_heads,
                    width = k_width,
                    elem = elem(k_elem, l),
                    bytes = l.bytes(bytes)
                ),
                KvForm::Split => t!(
                    in l,
                    "explain-kv-split",
                    tokens = tokens,
                    group = group,
                    heads = kv_heads,
                    kwidth = k_width,
                    kelem = elem(k_elem, l),
                    vwidth = v_width,
                    velem = elem(v_elem, l),
                    bytes = l.bytes(bytes)
                ),
            }
        }
        KvStep::Padded { ctx, n_ctx } => {
            t!(in l, "explain-kv-padded", ctx = ctx, padded = n_ctx)
        }
        KvStep::Recurrent {
            layers,
            conv,
            state,
            seqs,
            bytes,
        } => t!(
            in l,
            "explain-kv-recurrent",
            layers = layers,
            conv = conv,
            state = state,
            seqs = seqs,
            bytes = l.bytes(bytes)
        ),
    }
}

fn compute_step(s: &ComputeStep, l: Lang) -> String {
    match *s {
        ComputeStep::Batch {
            micro_batch,
            outputs,
            stage,
        } => t!(
            in l,
            "explain-compute-batch",
            tokens = micro_batch,
            outputs = outputs,
            stage = match stage {
                Stage::Logits => t!(in l, "explain-stage-logits"),
                Stage::Attention => t!(in l, "explain-stage-attention"),
                Stage::Ffn => t!(in l, "explain-stage-ffn"),
            }
        ),
        ComputeStep::Logits {
            outputs,
            vocab,
            bytes,
        } => t!(
            in l,
            "explain-compute-logits",
            outputs = outputs,
            vocab = vocab,
            bytes = l.bytes(bytes)
        ),
        ComputeStep::Attention {
            flash: true,
            micro_batch,
            mask_cells,
            bytes,
            ..
        } => t!(
            in l,
            "explain-compute-attention-flash",
            cells = mask_cells,
            tokens = micro_batch,
            bytes = l.bytes(bytes)
        ),
        ComputeStep::Attention {
            flash: false,
            n_kv,
            micro_batch,
            heads,
            mask_cells,
            bytes,
        } => t!(
            in l,
            "explain-compute-attention",
            kv = n_kv,
            tokens = micro_batch,
            heads = heads,
            cells = mask_cells,
            bytes = l.bytes(bytes)
        ),
        ComputeStep::Ffn {
            width: FfnWidth::Experts { used, of, width },
            bytes,
        } => t!(
            in l,
            "explain-compute-ffn-experts",
            used = used,
            of = of,
            width = width,
            bytes = l.bytes(bytes)
        ),
        ComputeStep::Ffn {
            width: FfnWidth::Dense(width),
            bytes,
        } => t!(
            in l,
            "explain-compute-ffn-dense",
            width = width,
            bytes = l.bytes(bytes)
        ),
    }
}

fn capacity_step(s: &CapacityStep, l: Lang) -> String {
    match *s {
        CapacityStep::Wired {
            fraction,
            memory,
            fast,
        } => t!(
            in l,
            "explain-capacity-wired",
            pct = Arg::dec(fraction * 100.0, 0),
            memory = l.bytes(memory),
            fast = l.bytes(fast)
        ),
        CapacityStep::Ram {
            memory,
            os_reserve,
            fast,
        } => t!(
            in l,
            "explain-capacity-ram",
            memory = l.bytes(memory),
            reserve = l.bytes(os_reserve),
            fast = l.bytes(fast)
        ),
        CapacityStep::Offload {
            vram,
            gpus,
            ram,
            os_reserve,
            total,
        } => t!(
            in l,
            "explain-capacity-offload",
            vram = l.bytes(vram),
            gpus = gpus,
            ram = l.bytes(ram),
            reserve = l.bytes(os_reserve),
            total = l.bytes(total)
        ),
    }
}
