//! `cabe fit MODEL`: the memory plan and verdict.

use crate::cli::FitArgs;
use crate::{machine, resolve};
use anyhow::Result;
use cabe_core::kv::RuntimeProfile;
use cabe_core::plan::{MemoryPlan, Verdict};
use cabe_engine::{assess, MemoryAssessment, Request};
use cabe_i18n::{Arg, Lang};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use serde_json::json;

/// A fit request, resolved and assessed: what both the table and the JSON are made from.
struct Fitted {
    model: resolve::ResolvedModel,
    machine: machine::Machine,
    settings: cabe_engine::RuntimeSettings,
    report: cabe_engine::Assessment,
    native_settings: Vec<String>,
    /// The speed basis's notes and the bench-history line, for wording the speed lines again.
    basis_notes: Vec<cabe_engine::speed::BasisNote>,
    correction: Option<crate::calibrate::History>,
}

fn assess_args(a: &FitArgs) -> Result<Fitted> {
    let model = resolve::model(&a.model, a.quant.as_deref())?;
    let machine = machine::resolve(&a.machine)?;
    let settings = a.runtime.settings();
    let mut workload = a.workload.workload();
    workload.claimed_decode = a.claimed_decode;
    let req = Request {
        spec: &model.spec,
        weights: &model.weights,
        hardware: &machine.spec,
        capacity: &machine.capacity,
        settings: settings.clone(),
        ctx: a.ctx,
        workload,
    };
    let (basis, correction) = crate::calibrate::corrected_basis(&machine);
    let basis_notes = basis.notes.clone();
    let correction_line = correction.as_ref().map(ToString::to_string);
    let report = assess(&req, &basis, correction_line).map_err(anyhow::Error::msg)?;
    let native_settings = settings.native_settings(&model_file(&model), report.memory.ctx);
    Ok(Fitted {
        model,
        machine,
        settings,
        report,
        native_settings,
        basis_notes,
        correction,
    })
}

/// The object `cabe fit --json` prints (`cabe serve`'s `/api/fit` answers with it too).
pub fn json(a: &FitArgs) -> Result<serde_json::Value> {
    let f = assess_args(a)?;
    let MemoryAssessment {
        ctx,
        profile,
        plan,
        max_ctx,
        ..
    } = &f.report.memory;
    let mut v = to_json(
        a,
        &f.model,
        &f.machine,
        plan,
        *ctx,
        *max_ctx,
        profile,
        &f.report.speed,
        &f.native_settings,
        &f.report.memory.changes,
    );
    v["per_device"] = serde_json::to_value(&f.report.memory.per_device)?;
    Ok(v)
}

pub fn run(a: &FitArgs) -> Result<()> {
    if a.output.json {
        println!("{}", serde_json::to_string_pretty(&json(a)?)?);
        return Ok(());
    }
    let Fitted {
        model,
        machine,
        settings,
        report,
        native_settings,
        basis_notes,
        correction,
    } = assess_args(a)?;
    let l = crate::i18n::lang();
    let MemoryAssessment {
        ctx,
        plan,
        max_ctx,
        profile,
        ..
    } = &report.memory;
    let (ctx, max_ctx) = (*ctx, *max_ctx);
    let speed = &report.speed;
    print_human(a, &model, &machine, plan, ctx, max_ctx);
    if let Some(pd) = &report.memory.per_device {
        print_per_device(pd);
    }
    if !report.memory.changes.is_empty() {
        println!("{}", t!("fit-changes"));
        for c in &report.memory.changes {
            println!(
                "  {:<22} {}",
                c.flag,
                t!(
                    "fit-change",
                    total = l.bytes(c.total_bytes),
                    spare = l.signed_bytes(c.headroom_bytes)
                )
            );
        }
    }
    println!(
        "{}",
        t!("fit-as-runtime", runtime = settings.runtime.to_string())
    );
    for l in &native_settings {
        println!("  {l}");
    }
    if let Some(s) = speed {
        println!();
        let basis = match &s.calibrated_at {
            Some(when) => t!("fit-calibrated-on", when = when),
            None => t!("fit-efficiency-ranges"),
        };
        let bw = if s.bandwidth_gbps > 0.0 {
            format!("{} GB/s", l.dec(s.bandwidth_gbps, 0))
        } else {
            t!("fit-bandwidth-unknown")
        };
        println!(
            "{}",
            t!("fit-speed-on", backend = &s.backend, bw = bw, basis = basis)
        );
        let experts = plan.memory.cpu_experts;
        let words = crate::speed_text::Context {
            notes: &basis_notes,
            correction: correction.as_ref(),
            ubatch: settings.ubatch as u64,
            hardware_id: &machine.spec.id,
            spec: &model.spec,
            weights: &model.weights,
            profile,
            cpu_expert_layers: if experts.bytes > 0 { experts.layers } else { 0 },
        };
        for line in crate::speed_text::lines(s, &words, l) {
            println!("  {line}");
        }
    }
    Ok(())
}

/// Each card of a multi-GPU machine as llama.cpp's layer split fills it.
fn print_per_device(pd: &cabe_engine::assess::PerDevice) {
    let l = crate::i18n::lang();
    println!("{}", t!("fit-per-gpu"));
    for d in &pd.split.devices {
        println!(
            "  {:<8} {} {:<14} {}",
            d.device.name,
            t!("fit-per-gpu-row-layers"),
            match d.layers {
                Some((a, b)) => format!("{a}–{b}{}", if d.output { " + out" } else { "" }),
                None => t!("fit-per-gpu-none"),
            },
            t!(
                "fit-per-gpu-of",
                total = l.bytes(d.total_bytes),
                cap = l.bytes(d.device.capacity_bytes),
                spare = l.signed_bytes(d.headroom_bytes)
            )
        );
    }
    let short: Vec<&str> = pd
        .split
        .devices
        .iter()
        .filter(|d| d.headroom_bytes < 0)
        .map(|d| d.device.name.as_str())
        .collect();
    if !short.is_empty() {
        println!("{}", t!("fit-per-gpu-short", cards = short.join(", ")));
    }
    match pd.max_ctx {
        Some(c) => println!("{}", t!("fit-per-gpu-max", ctx = c)),
        None => println!("{}", t!("fit-per-gpu-none-fit")),
    }
}

/// The model file a runtime's command line names: the file itself, or the file a catalog
/// model would be downloaded as.
fn model_file(model: &resolve::ResolvedModel) -> String {
    if model.is_file() {
        model.provenance.clone()
    } else {
        format!("{}-{}.gguf", model.id, model.quant)
    }
}

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Fits => "fits",
        Verdict::FitsWithOffload => "fits-with-offload",
        Verdict::DoesNotFit => "does-not-fit",
    }
}

#[allow(clippy::too_many_arguments)]
fn to_json(
    a: &FitArgs,
    model: &resolve::ResolvedModel,
    machine: &machine::Machine,
    plan: &MemoryPlan,
    ctx: u64,
    max_ctx: Option<u64>,
    profile: &RuntimeProfile,
    speed: &Option<cabe_engine::SpeedReport>,
    native_settings: &[String],
    changes: &[cabe_engine::Change],
) -> serde_json::Value {
    let w = &model.weights;
    let s = &model.spec;
    let mut explain = Vec::new();
    if a.output.explain {
        explain = explain_lines(model, plan, cabe_i18n::Lang::En);
    }
    json!({
        "model": {
            "id": model.id,
            "name": model.display_name,
            "source": model.source,
            "provenance": model.provenance,
            "architecture": s.architecture,
            "quant": model.quant,
            "native_ctx": s.native_ctx,
            "params_total": w.params_total,
            "params_active": w.params_active,
            "n_layer": s.n_layer(),
            "bits_per_weight": (w.bits_per_weight() * 1000.0).round() / 1000.0,
            "weights_by_type": w.by_type,
        },
        "machine": {
            "id": machine.spec.id,
            "name": machine.spec.name,
            "description": machine.description,
            "kind": machine.spec.kind,
            "backend": machine.spec.backend,
        },
        "runtime": a.runtime.runtime,
        "runtime_settings": native_settings,
        "ctx": ctx,
        "parallel": profile.n_seq,
        "kv_type": profile.type_k.name(),
        "flash_attn": profile.flash_attn,
        "n_ubatch": profile.n_ubatch,
        "logits_rows": profile.reserved_outputs(),
        "memory": plan.memory,
        "kv": {
            "cells": plan.kv.cells,
            "k_bytes": plan.kv.k_bytes,
            "v_bytes": plan.kv.v_bytes,
            "recurrent_bytes": plan.kv.recurrent_bytes,
        },
        "capacity_bytes": if plan.verdict == Verdict::FitsWithOffload { plan.capacity.total_bytes } else { plan.capacity.fast_bytes },
        "fast_capacity_bytes": plan.capacity.fast_bytes,
        "os_reserve_bytes": plan.capacity.os_reserve,
        "headroom_bytes": plan.headroom_bytes,
        "fits": plan.fits,
        "verdict": verdict_word(plan.verdict),
        "max_ctx": max_ctx,
        "changes_that_fit": changes,
        "speed": speed,
        "explain": explain,
    })
}

/// The steps of the plan in `l` (`--json` asks for English, the core's own words for the KV,
/// compute, capacity and total steps; `explain_text` words them in other languages).
fn explain_lines(model: &resolve::ResolvedModel, plan: &MemoryPlan, l: Lang) -> Vec<String> {
    let w = &model.weights;
    let mut lines = Vec::new();
    let origin = if model.is_file() {
        t!(in l, "explain-origin-file")
    } else {
        t!(
            in l,
            "explain-origin-catalog",
            n = w.tensors.len(),
            quant = model.quant.to_string()
        )
    };
    let mix: Vec<String> = w
        .by_type
        .iter()
        .map(|t| {
            t!(
                in l,
                "explain-mix",
                bytes = l.bytes(t.bytes),
                type = t.ggml_type.to_string(),
                n = t.tensors
            )
        })
        .collect();
    lines.push(t!(
        in l,
        "explain-weights",
        params = w.params_total,
        origin = origin,
        mix = mix.join(" + "),
        bytes = l.bytes(w.bytes),
        bpw = Arg::dec(w.bits_per_weight(), 2)
    ));
    for x in crate::explain_text::kv(plan, l) {
        lines.push(t!(in l, "explain-kv", line = x));
    }
    for x in crate::explain_text::compute(plan, l) {
        lines.push(t!(in l, "explain-compute", line = x));
    }
    lines.push(t!(
        in l,
        "explain-output",
        vocab = model.spec.n_vocab,
        seqs = plan.kv.cells.n_stream.max(1),
        bytes = l.bytes(plan.memory.output_bytes)
    ));
    for x in crate::explain_text::capacity(plan, l) {
        lines.push(t!(in l, "explain-capacity", line = x));
    }
    lines.extend(crate::explain_text::totals_lines(plan, l));
    lines
}

fn print_human(
    a: &FitArgs,
    model: &resolve::ResolvedModel,
    machine: &machine::Machine,
    plan: &MemoryPlan,
    ctx: u64,
    max_ctx: Option<u64>,
) {
    let l = crate::i18n::lang();
    let s = &model.spec;
    let w = &model.weights;
    let params = if w.params_active != w.params_total && s.is_moe() {
        t!(
            "fit-params-moe",
            total = Arg::dec(w.params_total as f64 / 1e9, 2),
            active = Arg::dec(w.params_active as f64 / 1e9, 2)
        )
    } else {
        t!(
            "fit-params",
            total = Arg::dec(w.params_total as f64 / 1e9, 2)
        )
    };
    println!(
        "{} · {} ({}) · {} · {}",
        model.display_name,
        model.quant,
        match model.source {
            "file" => t!("fit-from-file"),
            "url" => t!("fit-from-url"),
            _ => t!("fit-from-catalog"),
        },
        params,
        s.architecture
    );
    println!(
        "{}",
        t!(
            "fit-settings",
            runtime = a.runtime.runtime.to_string(),
            ctx = ctx,
            seqs = plan.kv.cells.n_stream.max(1),
            kv = a.runtime.kv_type.to_string(),
            fa = if a.runtime.flash_attn { "on" } else { "off" },
            native = s.native_ctx
        )
    );
    println!("{}", t!("fit-on", machine = &machine.local));
    println!();

    let m = &plan.memory;
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        String::new(),
        "GiB".into(),
        "GB".into(),
        t!("fit-col-note"),
    ]);
    let mut row = |name: String, b: u64, note: String| {
        t.add_row(vec![
            Cell::new(name),
            Cell::new(l.dec(b as f64 / (1u64 << 30) as f64, 2)).set_alignment(CellAlignment::Right),
            Cell::new(l.dec(b as f64 / 1e9, 2)).set_alignment(CellAlignment::Right),
            Cell::new(note),
        ]);
    };
    row(
        t!("fit-row-weights"),
        m.weights_bytes,
        t!("fit-note-bpw", bpw = Arg::dec(w.bits_per_weight(), 2)),
    );
    let kv_note = if plan.kv.recurrent_bytes > 0 {
        t!(
            "fit-note-recurrent",
            bytes = l.bytes(plan.kv.recurrent_bytes)
        )
    } else if s.swa.is_some() {
        t!("fit-note-swa")
    } else {
        String::new()
    };
    row(t!("fit-row-kv"), m.kv_cache_bytes, kv_note);
    row(
        t!("fit-row-compute"),
        m.compute_bytes,
        t!("fit-note-compute"),
    );
    row(t!("fit-row-output"), m.output_bytes, String::new());
    row(
        t!("fit-row-reserve"),
        m.overhead_bytes,
        t!("fit-note-backend", backend = machine.spec.backend.name()),
    );
    row(t!("fit-row-total"), m.total_bytes, String::new());
    let cap = if plan.verdict == Verdict::FitsWithOffload {
        plan.capacity.total_bytes
    } else {
        plan.capacity.fast_bytes
    };
    row(
        t!("fit-row-available"),
        cap,
        if plan.capacity.os_reserve > 0 {
            t!("fit-note-os", bytes = l.bytes(plan.capacity.os_reserve))
        } else {
            String::new()
        },
    );
    println!("{t}");

    let max_line = match max_ctx {
        Some(mc) if mc >= s.native_ctx && s.native_ctx > 0 => {
            t!("fit-max-native", ctx = s.native_ctx)
        }
        Some(mc) => t!("fit-max-largest", ctx = mc),
        None => t!("fit-max-none"),
    };
    let experts = m.cpu_experts;
    let headline = match plan.verdict {
        Verdict::Fits if experts.bytes > 0 => t!(
            "fit-verdict-experts",
            gpu = l.bytes(m.total_bytes - experts.bytes),
            cap = l.bytes(cap),
            gpu_gb = l.gb(m.total_bytes - experts.bytes),
            cap_gb = l.gb(cap),
            spare = l.signed_bytes(plan.headroom_bytes),
            layers = experts.layers,
            experts = l.bytes(experts.bytes),
            max = max_line
        ),
        Verdict::Fits => t!(
            "fit-verdict-fits",
            total = l.bytes(m.total_bytes),
            cap = l.bytes(cap),
            total_gb = l.gb(m.total_bytes),
            cap_gb = l.gb(cap),
            spare = l.signed_bytes(plan.headroom_bytes),
            max = max_line
        ),
        Verdict::FitsWithOffload => t!(
            "fit-verdict-offload",
            total = l.bytes(m.total_bytes),
            vram = l.bytes(plan.capacity.fast_bytes),
            max = max_line
        ),
        Verdict::DoesNotFit => t!(
            "fit-verdict-no",
            total = l.bytes(m.total_bytes),
            cap = l.bytes(cap),
            short = l.signed_bytes(-plan.headroom_bytes),
            max = max_line
        ),
    };
    println!("{headline}");
    if a.output.explain {
        println!();
        for x in explain_lines(model, plan, l) {
            println!("  {x}");
        }
    }
}
