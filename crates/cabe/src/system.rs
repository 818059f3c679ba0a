//! `cabe system`: what cabe detects about this machine and how much memory a model may use.

use crate::cli::SystemArgs;
use anyhow::{Context, Result};
use cabe_core::hardware::MemoryKind;
use cabe_core::plan::DEFAULT_OS_RESERVE;
use cabe_core::units::{fmt_bytes, parse_size};
use cabe_sys::{Assessment, Source, SystemInfo};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use serde_json::json;

/// The OS reserve from `--os-reserve`, or cabe's default.
pub fn os_reserve(arg: &Option<String>) -> Result<u64> {
    Ok(match arg {
        Some(s) => {
            parse_size(s, false)
                .map_err(anyhow::Error::msg)
                .context("--os-reserve")?
                .0
        }
        None => DEFAULT_OS_RESERVE,
    })
}

/// This machine, or the recorded tree `root` (`cabe system --root`, `CABE_MACHINE_ROOT`).
pub fn source(root: Option<&std::path::Path>) -> Result<Source> {
    match root {
        Some(r) => {
            if !r.is_dir() {
                anyhow::bail!("--root {}: not a directory", r.display());
            }
            Ok(Source::recorded(r))
        }
        None => Ok(Source::live()),
    }
}

/// What `cabe system --json` prints for these arguments.
pub fn json(a: &SystemArgs) -> Result<serde_json::Value> {
    let (info, machine) = detect(a)?;
    Ok(to_json(&info, &machine))
}

fn detect(a: &SystemArgs) -> Result<(SystemInfo, Assessment)> {
    let reserve = os_reserve(&a.os_reserve)?;
    let src = source(a.root.as_deref())?;
    let info = cabe_sys::detect(&src);
    let machine = cabe_sys::assess(&info, reserve);
    Ok((info, machine))
}

fn to_json(info: &SystemInfo, machine: &Assessment) -> serde_json::Value {
    json!({
        "system": info,
        "machine": machine,
        "usable_bytes": machine.capacity.fast_bytes,
        "usable_with_offload_bytes": machine.capacity.total_bytes,
    })
}

pub fn run(a: &SystemArgs) -> Result<()> {
    let (info, machine) = detect(a)?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&info, &machine))?
        );
    } else {
        print_human(&info, &machine);
    }
    Ok(())
}

fn opt_bytes(b: Option<u64>) -> String {
    b.map_or_else(|| "—".to_string(), fmt_bytes)
}

fn print_human(info: &SystemInfo, m: &Assessment) {
    println!("{} ({})", info.source, info.os.name());
    let c = &info.cpu;
    let mut cpu = vec![c.model.clone().unwrap_or_else(|| "unknown CPU".into())];
    match (c.physical_cores, c.logical_cores) {
        (Some(p), Some(l)) if p != l => cpu.push(format!("{p} cores / {l} threads")),
        (_, Some(l)) => cpu.push(format!("{l} cores")),
        _ => {}
    }
    if let Some(arch) = &c.arch {
        cpu.push(arch.clone());
    }
    if !c.simd.is_empty() {
        cpu.push(c.simd.join(" "));
    }
    println!("CPU      {}", cpu.join(" · "));
    let mem = &info.memory;
    let mut line = format!("{} total", fmt_bytes(mem.total_bytes));
    if let Some(av) = mem.available_bytes {
        line.push_str(&format!(", {} available", fmt_bytes(av)));
    }
    if let Some(sw) = mem.swap_total_bytes {
        line.push_str(&format!(
            " · swap {}{}",
            fmt_bytes(sw),
            mem.swap_free_bytes
                .map_or(String::new(), |f| format!(" ({} free)", fmt_bytes(f)))
        ));
    }
    println!("memory   {line}");
    if let Some(model) = &info.platform.model {
        println!("model    {model}");
    }
    if info.gpus.is_empty() {
        println!("GPUs     none found");
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec![
            "GPU", "kind", "memory", "free", "GTT", "driver", "from",
        ]);
        for g in &info.gpus {
            let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
            let kind = match g.kind {
                cabe_sys::GpuKind::Discrete => "discrete",
                cabe_sys::GpuKind::Integrated => "integrated",
                cabe_sys::GpuKind::Unified => "unified",
            };
            let memory = match (g.memory_total_bytes, g.kind) {
                (None, cabe_sys::GpuKind::Discrete) => "unknown".to_string(),
                (None, _) => "shared".to_string(),
                (Some(b), _) => fmt_bytes(b),
            };
            let mut name = g.name.clone();
            if let Some(c) = g.cores {
                name.push_str(&format!(" ({c} cores)"));
            }
            t.add_row(vec![
                Cell::new(name),
                Cell::new(kind),
                right(memory),
                right(opt_bytes(g.memory_free_bytes)),
                right(opt_bytes(g.gtt_total_bytes)),
                Cell::new(g.driver.clone().unwrap_or_default()),
                Cell::new(&g.source),
            ]);
        }
        println!("{t}");
    }
    println!();
    println!("machine  {}", m.summary);
    let cap = &m.capacity;
    let usable = match m.spec.kind {
        MemoryKind::DiscreteGpu => format!(
            "{} in VRAM; {} with CPU offload (after {} kept for the OS)",
            fmt_bytes(cap.fast_bytes),
            fmt_bytes(cap.total_bytes),
            fmt_bytes(cap.os_reserve)
        ),
        MemoryKind::Unified => format!(
            "{} for the model, of {} unified ({} kept back for the OS and the GPU limit)",
            fmt_bytes(cap.fast_bytes),
            fmt_bytes(m.spec.ram_bytes),
            fmt_bytes(m.spec.ram_bytes.saturating_sub(cap.fast_bytes))
        ),
        MemoryKind::CpuOnly => format!(
            "{} for the model, of {} RAM ({} kept for the OS)",
            fmt_bytes(cap.fast_bytes),
            fmt_bytes(m.spec.ram_bytes),
            fmt_bytes(cap.os_reserve)
        ),
    };
    println!("usable   {usable}");
    let speed = if m.spec.bandwidth_gbps > 0.0 {
        let mut s = format!("{} GB/s", m.spec.bandwidth_gbps);
        if let Some(tf) = m.spec.fp16_tflops {
            s.push_str(&format!(", FP16 {tf} TFLOPS"));
        }
        s
    } else {
        "bandwidth unknown".to_string()
    };
    match &m.catalog {
        Some(c) => println!(
            "speed    {speed} — from catalog {} ({}), matched on {}",
            c.id, c.name, c.matched_on
        ),
        None => println!("speed    {speed} — no catalog match"),
    }
    for l in &m.explain {
        println!("  · {l}");
    }
    for l in &m.assumptions {
        println!("assumed  {l}");
    }
    for l in &info.unknown {
        println!("unknown  {l}");
    }
    for l in &info.notes {
        println!("checked  {l}");
    }
}
