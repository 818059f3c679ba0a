//! A setup that fits only with offload: which layers llama.cpp runs from system RAM and what
//! that costs in decode speed, and the `--n-cpu-moe` alternative for a MoE model.

use crate::inputs::Inputs;
use crate::setup::Setup;
use cabe_core::plan::{plan, MemoryPlan};
use cabe_core::speed::{decode_rate, Placement};

/// The least `--n-cpu-moe N` (llama-server) with which a MoE model fits the GPU.
pub(crate) struct CpuMoe {
    pub layers: u32,
    pub expert_bytes: u64,
    pub gpu_bytes: u64,
    pub tok_s: Option<f64>,
}

pub(crate) fn cpu_moe_option(inp: &Inputs, s: &Setup) -> Option<CpuMoe> {
    let m = &inp.model;
    m.spec.moe.as_ref()?;
    let plan_with = |n: u32| {
        let mut p = s.profile();
        p.n_cpu_moe = n;
        (plan(&m.spec, &m.weights, &p, &inp.machine.capacity), p)
    };
    let hi = cabe_engine::search::least_cpu_moe_layers(
        &m.spec,
        &m.weights,
        &inp.machine.capacity,
        &s.profile(),
        0,
    )?;
    let (p, prof) = plan_with(hi);
    let e = p.memory.cpu_experts;
    let tok_s = inp
        .machine
        .speed
        .as_ref()
        .filter(|d| d.bandwidth_gbps > 0.0)
        .map(|dev| {
            let place = Placement::from_plan(&p, &m.weights);
            decode_rate(&m.spec, &m.weights, &prof, 0, dev, place).typical
                * inp.machine.decode_factor
        });
    Some(CpuMoe {
        layers: e.layers,
        expert_bytes: e.bytes,
        gpu_bytes: p.memory.total_bytes - e.bytes,
        tok_s,
    })
}

pub(crate) struct Spill {
    pub layers_on_cpu: u32,
    pub cpu_fraction: f64,
    pub tok_s_all_gpu: Option<f64>,
    pub tok_s_split: Option<f64>,
}

/// Layers that do not fit the GPUs: llama.cpp puts the last `ngl` layers on the GPU
/// (`src/llama-model.cpp` `load_tensors`), so the budget left after the non-layer parts is
/// filled from the last layer down; the rest run from RAM.
pub(crate) fn spill_layers(inp: &Inputs, s: &Setup, p: &MemoryPlan) -> Spill {
    let spec = &inp.model.spec;
    let n = spec.n_layer() as usize;
    let w = &inp.model.weights;
    let moe_frac = spec
        .moe
        .as_ref()
        .map_or(1.0, |m| m.n_expert_used as f64 / m.n_expert.max(1) as f64);
    let mut layer_bytes = vec![0u64; n];
    let mut layer_active = vec![0f64; n];
    let mut other_bytes = 0u64;
    let mut other_active = 0f64;
    for t in &w.tensors {
        let b = t.bytes();
        let active = if t.name.contains("_exps.") {
            b as f64 * moe_frac
        } else {
            b as f64
        };
        let layer = cabe_core::weights::block_of(&t.name)
            .map(|i| i as usize)
            .filter(|&i| i < n);
        match layer {
            Some(i) => {
                layer_bytes[i] += b;
                layer_active[i] += active;
            }
            None if &*t.name == "token_embd.weight" => {} // always on the CPU, one row read
            None => {
                other_bytes += b;
                other_active += active;
            }
        }
    }
    for l in &p.kv.layers {
        if let Some(x) = layer_bytes.get_mut(l.layer as usize) {
            *x += l.k_bytes + l.v_bytes;
        }
    }
    let m = &p.memory;
    let fixed = m.compute_bytes + m.output_bytes + m.overhead_bytes + other_bytes;
    let mut budget = p.capacity.fast_bytes.saturating_sub(fixed);
    let mut on_gpu = 0usize;
    for i in (0..n).rev() {
        if layer_bytes[i] > budget {
            break;
        }
        budget -= layer_bytes[i];
        on_gpu += 1;
    }
    let on_cpu = n - on_gpu;
    let kv_of = |i: usize| -> f64 {
        p.kv.layers
            .iter()
            .filter(|l| l.layer as usize == i)
            .map(|l| (l.k_bytes + l.v_bytes) as f64)
            .sum::<f64>()
    };
    let all: f64 = (0..n).map(|i| layer_active[i] + kv_of(i)).sum::<f64>() + other_active;
    let cpu_part: f64 = (0..on_cpu).map(|i| layer_active[i] + kv_of(i)).sum();
    let cpu_fraction = if all > 0.0 { cpu_part / all } else { 0.0 };
    let (tok_s_all_gpu, tok_s_split) = match &inp.machine.speed {
        Some(dev) if dev.bandwidth_gbps > 0.0 => {
            let prof = s.profile();
            let factor = inp.machine.decode_factor;
            let rate = |f: f64| {
                decode_rate(spec, w, &prof, 0, dev, Placement { cpu_fraction: f }).typical * factor
            };
            (Some(rate(0.0)), Some(rate(cpu_fraction)))
        }
        _ => (None, None),
    };
    Spill {
        layers_on_cpu: on_cpu as u32,
        cpu_fraction,
        tok_s_all_gpu,
        tok_s_split,
    }
}
