//! `cabe fit MODEL`: the memory plan and verdict.

use crate::cli::FitArgs;
use crate::{machine, resolve};
use anyhow::Result;
use cabe_core::kv::RuntimeProfile;
use cabe_core::plan::{explain_totals, MemoryPlan, Verdict};
use cabe_core::units::{fmt_bytes, fmt_gb, fmt_int, fmt_signed_bytes};
use cabe_engine::{assess, MemoryAssessment, Request};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use serde_json::json;

/// A fit request, resolved and assessed: what both the table and the JSON are made from.
struct Fitted {
    model: resolve::ResolvedModel,
    machine: machine::Machine,
    settings: cabe_engine::RuntimeSettings,
    report: cabe_engine::Assessment,
    native_settings: Vec<String>,
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
    let (basis, correction_line) = crate::calibrate::corrected_basis(&machine);
    let report = assess(&req, &basis, correction_line).map_err(anyhow::Error::msg)?;
    let native_settings = settings.native_settings(&model_file(&model), report.memory.ctx);
    Ok(Fitted {
        model,
        machine,
        settings,
        report,
        native_settings,
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
    } = assess_args(a)?;
    let MemoryAssessment {
        ctx, plan, max_ctx, ..
    } = &report.memory;
    let (ctx, max_ctx) = (*ctx, *max_ctx);
    let speed = &report.speed;
    print_human(a, &model, &machine, plan, ctx, max_ctx);
    if let Some(pd) = &report.memory.per_device {
        print_per_device(pd);
    }
    if !report.memory.changes.is_empty() {
        println!("it would fit with one of these changes:");
        for c in &report.memory.changes {
            println!(
                "  {:<22} {} in all, {} to spare",
                c.flag,
                fmt_bytes(c.total_bytes),
                fmt_signed_bytes(c.headroom_bytes)
            );
        }
    }
    println!("as {}:", settings.runtime);
    for l in &native_settings {
        println!("  {l}");
    }
    if let Some(s) = speed {
        println!();
        let basis = match &s.calibrated_at {
            Some(when) => format!("calibrated on {when}"),
            None => "efficiency ranges from data/speed.toml".to_string(),
        };
        let bw = if s.bandwidth_gbps > 0.0 {
            format!("{:.0} GB/s", s.bandwidth_gbps)
        } else {
            "bandwidth unknown".to_string()
        };
        println!("speed on {} ({bw}; {basis}):", s.backend);
        for l in &s.lines {
            println!("  {l}");
        }
    }
    Ok(())
}

/// Each card of a multi-GPU machine as llama.cpp's layer split fills it.
fn print_per_device(pd: &cabe_engine::assess::PerDevice) {
    println!(
        "per GPU (llama.cpp places whole layers on each card, each with its layers' KV cache and its own compute buffer; `cabe plan` for more):"
    );
    for d in &pd.split.devices {
        println!(
            "  {:<8} layers {:<14} {} of {}, {} to spare",
            d.device.name,
            match d.layers {
                Some((a, b)) => format!("{a}–{b}{}", if d.output { " + out" } else { "" }),
                None => "none".into(),
            },
            fmt_bytes(d.total_bytes),
            fmt_bytes(d.device.capacity_bytes),
            fmt_signed_bytes(d.headroom_bytes)
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
        println!(
            "  {} short: the pooled total fits, but not card by card (a shorter --ctx, or cabe plan --tensor-split)",
            short.join(", ")
        );
    }
    match pd.max_ctx {
        Some(c) => println!("  largest context that fits every card: {}", fmt_int(c)),
        None => println!("  not even 256 tokens fit every card"),
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
        explain = explain_lines(model, plan);
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

fn explain_lines(model: &resolve::ResolvedModel, plan: &MemoryPlan) -> Vec<String> {
    let w = &model.weights;
    let mut lines = Vec::new();
    let origin = if model.is_file() {
        "summed from the file's tensor infos".to_string()
    } else {
        format!(
            "{} tensors built from the architecture, typed by llama-quantize's {} rules",
            w.tensors.len(),
            model.quant
        )
    };
    let mix: Vec<String> = w
        .by_type
        .iter()
        .map(|t| {
            format!(
                "{} {} in {} tensors",
                fmt_bytes(t.bytes),
                t.ggml_type,
                t.tensors
            )
        })
        .collect();
    lines.push(format!(
        "weights: {} params, {}: {} = {} ({:.2} bits/weight)",
        fmt_int(w.params_total),
        origin,
        mix.join(" + "),
        fmt_bytes(w.bytes),
        w.bits_per_weight()
    ));
    for l in &plan.kv.explain {
        lines.push(format!("KV cache: {l}"));
    }
    for l in &plan.compute.explain {
        lines.push(format!("compute: {l}"));
    }
    lines.push(format!(
        "output buffer: {} vocab × {} seq × 4 bytes = {}",
        fmt_int(model.spec.n_vocab),
        plan.kv.cells.n_stream.max(1),
        fmt_bytes(plan.memory.output_bytes)
    ));
    for l in &plan.capacity.explain {
        lines.push(format!("capacity: {l}"));
    }
    lines.extend(explain_totals(plan));
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
    let s = &model.spec;
    let w = &model.weights;
    let params = if w.params_active != w.params_total && s.is_moe() {
        format!(
            "{:.2}B params ({:.2}B active)",
            w.params_total as f64 / 1e9,
            w.params_active as f64 / 1e9
        )
    } else {
        format!("{:.2}B params", w.params_total as f64 / 1e9)
    };
    println!(
        "{} · {} ({}) · {} · {}",
        model.display_name,
        model.quant,
        match model.source {
            "file" => "from file",
            "url" => "from URL",
            _ => "catalog, sized with llama-quantize's rules",
        },
        params,
        s.architecture
    );
    println!(
        "{} · context {} per sequence × {} · KV {} · flash attention {} · native context {}",
        a.runtime.runtime,
        fmt_int(ctx),
        plan.kv.cells.n_stream.max(1),
        a.runtime.kv_type,
        if a.runtime.flash_attn { "on" } else { "off" },
        fmt_int(s.native_ctx)
    );
    println!("on {}", machine.description);
    println!();

    let m = &plan.memory;
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["", "GiB", "GB", "note"]);
    let mut row = |name: &str, b: u64, note: String| {
        t.add_row(vec![
            Cell::new(name),
            Cell::new(format!("{:.2}", b as f64 / (1u64 << 30) as f64))
                .set_alignment(CellAlignment::Right),
            Cell::new(format!("{:.2}", b as f64 / 1e9)).set_alignment(CellAlignment::Right),
            Cell::new(note),
        ]);
    };
    row(
        "weights",
        m.weights_bytes,
        format!("{:.2} bits/weight", w.bits_per_weight()),
    );
    let kv_note = if plan.kv.recurrent_bytes > 0 {
        format!(
            "incl. {} recurrent state",
            fmt_bytes(plan.kv.recurrent_bytes)
        )
    } else if s.swa.is_some() {
        "sliding-window layers keep a short window".to_string()
    } else {
        String::new()
    };
    row("KV cache", m.kv_cache_bytes, kv_note);
    row(
        "compute buffer",
        m.compute_bytes,
        "estimate, one micro-batch".into(),
    );
    row("output buffer", m.output_bytes, String::new());
    row(
        "runtime reserve",
        m.overhead_bytes,
        format!("{} backend", machine.spec.backend.name()),
    );
    row("total", m.total_bytes, String::new());
    let cap = if plan.verdict == Verdict::FitsWithOffload {
        plan.capacity.total_bytes
    } else {
        plan.capacity.fast_bytes
    };
    row(
        "available",
        cap,
        if plan.capacity.os_reserve > 0 {
            format!(
                "after {} kept for the OS",
                fmt_bytes(plan.capacity.os_reserve)
            )
        } else {
            String::new()
        },
    );
    println!("{t}");

    let max_line = match max_ctx {
        Some(mc) if mc >= s.native_ctx && s.native_ctx > 0 => {
            format!("the full native context ({}) fits", fmt_int(s.native_ctx))
        }
        Some(mc) => format!("largest context that fits: {}", fmt_int(mc)),
        None => "not even a 256-token context fits".to_string(),
    };
    let experts = m.cpu_experts;
    let headline = match plan.verdict {
        Verdict::Fits if experts.bytes > 0 => format!(
            "FITS WITH EXPERTS ON THE CPU: {} on the GPU of {} ({} of {}), {} to spare, and the routed experts of {} layers ({}) in system RAM; {}.",
            fmt_bytes(m.total_bytes - experts.bytes),
            fmt_bytes(cap),
            fmt_gb(m.total_bytes - experts.bytes),
            fmt_gb(cap),
            fmt_signed_bytes(plan.headroom_bytes),
            experts.layers,
            fmt_bytes(experts.bytes),
            max_line
        ),
        Verdict::Fits => format!(
            "FITS: {} of {} ({} of {}), {} to spare; {}.",
            fmt_bytes(m.total_bytes),
            fmt_bytes(cap),
            fmt_gb(m.total_bytes),
            fmt_gb(cap),
            fmt_signed_bytes(plan.headroom_bytes),
            max_line
        ),
        Verdict::FitsWithOffload => format!(
            "FITS WITH CPU OFFLOAD: {} needed, {} of VRAM; the rest runs from system RAM, slower; {}.",
            fmt_bytes(m.total_bytes),
            fmt_bytes(plan.capacity.fast_bytes),
            max_line
        ),
        Verdict::DoesNotFit => format!(
            "DOES NOT FIT: {} needed, {} available ({} short); {}.",
            fmt_bytes(m.total_bytes),
            fmt_bytes(cap),
            fmt_signed_bytes(-plan.headroom_bytes),
            max_line
        ),
    };
    println!("{headline}");
    if a.output.explain {
        println!();
        for l in explain_lines(model, plan) {
            println!("  {l}");
        }
    }
}
