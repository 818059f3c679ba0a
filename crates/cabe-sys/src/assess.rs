//! From what was detected to a [`HardwareSpec`] the estimator can use: which memory counts,
//! how much of it a model may have, and where bandwidth and compute come from.

use crate::catalog_match;
use crate::info::{GpuKind, SystemInfo, Vendor};
use cabe_catalog::HardwareEntry;
use cabe_core::hardware::{Backend, HardwareSpec, MemoryKind};
use cabe_core::plan::{capacity, Capacity};
use cabe_core::units::{fmt_bytes, GIB, MIB};
use serde::Serialize;

/// Apple's default GPU wired limit (Metal's `recommendedMaxWorkingSetSize`) when
/// `iogpu.wired_limit_mb` is 0: about 2/3 of unified memory up to 36 GB, about 3/4 above
/// (the figures the hardware catalog uses, `data/hardware.toml` `gpu_memory_fraction`).
pub fn apple_default_fraction(total_bytes: u64) -> f64 {
    if total_bytes <= 36 * GIB {
        2.0 / 3.0
    } else {
        0.75
    }
}

/// Bandwidth assumed for a CPU-only machine the catalog does not know: dual-channel
/// DDR4-3200 (catalog row `desktop-ddr4-3200-32gb`).
pub const ASSUMED_CPU_ROW: &str = "desktop-ddr4-3200-32gb";

/// The catalog row bandwidth and compute were taken from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CatalogMatch {
    pub id: String,
    pub name: String,
    /// What was matched against it, in words.
    pub matched_on: String,
}

/// This machine as the estimator sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    pub spec: HardwareSpec,
    pub capacity: Capacity,
    /// The GPUs the model would run on (names); empty for a CPU run.
    pub gpus_used: Vec<String>,
    /// The catalog row bandwidth/compute come from, or `None` (then see `assumptions`).
    pub catalog: Option<CatalogMatch>,
    /// What was assumed rather than detected.
    pub assumptions: Vec<String>,
    /// How usable memory was counted, one step a line.
    pub explain: Vec<String>,
    /// One line for `cabe fit`'s "on …".
    pub summary: String,
}

fn spec(kind: MemoryKind, backend: Backend, ram: u64) -> HardwareSpec {
    let mut s = HardwareSpec::from_memory(ram);
    s.id = "this-machine".into();
    s.name = "this machine".into();
    s.kind = kind;
    s.backend = backend;
    s
}

fn take_speed(s: &mut HardwareSpec, e: &HardwareEntry) {
    s.bandwidth_gbps = e.spec.bandwidth_gbps;
    s.fp16_tflops = e.spec.fp16_tflops;
    s.fp16_is_tensor = e.spec.fp16_is_tensor;
}

/// Judges `info` with `os_reserve` kept for the OS (cabe's default is 2 GiB, an assumption).
pub fn assess(info: &SystemInfo, os_reserve: u64) -> Assessment {
    let mut a = Assessment {
        spec: spec(MemoryKind::CpuOnly, Backend::Cpu, info.memory.total_bytes),
        capacity: capacity(&HardwareSpec::from_memory(0), 0),
        gpus_used: Vec::new(),
        catalog: None,
        assumptions: Vec::new(),
        explain: Vec::new(),
        summary: String::new(),
    };
    let apple = info.gpus.iter().find(|g| g.vendor == Vendor::Apple);
    let nv_unified = info
        .gpus
        .iter()
        .find(|g| g.vendor == Vendor::Nvidia && g.kind == GpuKind::Unified);
    let discrete: Vec<_> = info
        .gpus
        .iter()
        .filter(|g| g.kind == GpuKind::Discrete && g.memory_total_bytes.is_some())
        .collect();
    let apu = info.gpus.iter().find(|g| {
        g.vendor == Vendor::Amd
            && g.kind == GpuKind::Integrated
            && (g.gtt_total_bytes.is_some() || g.memory_total_bytes.unwrap_or(0) >= 2 * GIB)
    });

    if let Some(g) = apple.filter(|_| info.os == crate::Os::Macos) {
        apple_machine(info, g, os_reserve, &mut a);
    } else if let Some(g) = nv_unified {
        let ram = info.memory.total_bytes;
        a.spec = spec(MemoryKind::Unified, Backend::Cuda, ram);
        a.spec.gpu_count = 1;
        a.gpus_used.push(g.name.clone());
        a.explain.push(format!(
            "{}: CPU and GPU share one pool; the driver reports no framebuffer, so memory is the system's {} (MemTotal), counted once",
            g.name,
            fmt_bytes(ram)
        ));
        let text = format!(
            "{} {}",
            g.name,
            info.platform.model.clone().unwrap_or_default()
        );
        if let Some(e) = catalog_match::machine_by_text(&text, ram) {
            take_speed(&mut a.spec, e);
            a.catalog = Some(CatalogMatch {
                id: e.id.clone(),
                name: e.name.clone(),
                matched_on: format!("GPU '{}'", g.name),
            });
        } else {
            a.assumptions.push(format!(
                "no catalog row for '{}': bandwidth and compute unknown",
                g.name
            ));
        }
    } else if !discrete.is_empty() {
        discrete_machine(info, &discrete, &mut a);
    } else if let Some(g) = apu {
        apu_machine(info, g, os_reserve, &mut a);
    } else {
        cpu_machine(info, &mut a);
    }

    for g in &info.gpus {
        if !a.gpus_used.contains(&g.name) {
            let why = match (g.vendor, g.kind) {
                (Vendor::Intel, GpuKind::Integrated) => {
                    "an integrated GPU sharing system memory (counted once, as RAM); sized as a CPU run"
                }
                (_, GpuKind::Integrated) if a.spec.kind == MemoryKind::DiscreteGpu => {
                    "an integrated GPU; llama.cpp runs on the discrete GPU(s)"
                }
                _ if g.memory_total_bytes.is_none() && g.kind == GpuKind::Discrete => {
                    "its memory is unknown"
                }
                _ => "not the GPU(s) the model would run on",
            };
            a.explain.push(format!("{} not counted: {why}", g.name));
        }
    }
    if a.spec.ram_bytes == 0 {
        a.assumptions
            .push("system memory could not be read: usable memory is 0".into());
    }
    a.capacity = capacity(&a.spec, os_reserve);
    if a.spec.gpu_memory_fraction.is_none() {
        // (With a fraction the lines above already say how the GPU's share was found.)
        a.explain.extend(a.capacity.explain.iter().cloned());
    }
    a.summary = summary(info, &a);
    a.spec.name = format!("this machine ({})", a.summary);
    a
}

fn apple_machine(info: &SystemInfo, g: &crate::Gpu, os_reserve: u64, a: &mut Assessment) {
    let ram = info.memory.total_bytes;
    a.spec = spec(MemoryKind::Unified, Backend::Metal, ram);
    a.spec.gpu_count = 1;
    a.gpus_used.push(g.name.clone());
    let wired = info.platform.apple_wired_limit_mb.filter(|&m| m > 0);
    let (limit, how) = match wired {
        Some(mb) => ((mb * MIB).min(ram), format!("iogpu.wired_limit_mb = {mb}")),
        None => {
            let f = apple_default_fraction(ram);
            (
                (ram as f64 * f) as u64,
                format!(
                    "macOS default {} of unified memory {} 36 GB (iogpu.wired_limit_mb unset)",
                    if f < 0.7 { "2/3" } else { "3/4" },
                    if f < 0.7 { "up to" } else { "above" }
                ),
            )
        }
    };
    let fast = limit.min(ram.saturating_sub(os_reserve));
    a.explain.push(format!(
        "{} unified memory counted once (hw.memsize); GPU wired limit {} ({how}); less the {} OS reserve: {}",
        fmt_bytes(ram),
        fmt_bytes(limit),
        fmt_bytes(os_reserve),
        fmt_bytes(ram.saturating_sub(os_reserve))
    ));
    if ram > 0 {
        a.spec.gpu_memory_fraction = Some(fast as f64 / ram as f64);
    }
    let brand = info.cpu.model.clone().unwrap_or_else(|| g.name.clone());
    match catalog_match::apple(&brand, info.cpu.physical_cores, g.cores, ram) {
        Some(e) => {
            take_speed(&mut a.spec, e);
            let exact = e.spec.ram_bytes == ram;
            a.catalog = Some(CatalogMatch {
                id: e.id.clone(),
                name: e.name.clone(),
                matched_on: format!(
                    "chip '{brand}'{}{}",
                    g.cores
                        .map_or(String::new(), |c| format!(", {c} GPU cores")),
                    if exact {
                        String::new()
                    } else {
                        format!(
                            " (no row with {}: bandwidth taken from the same chip's row)",
                            fmt_bytes(ram)
                        )
                    }
                ),
            });
        }
        None => a.assumptions.push(format!(
            "no catalog row for '{brand}': bandwidth and compute unknown"
        )),
    }
}

fn discrete_machine(info: &SystemInfo, discrete: &[&crate::Gpu], a: &mut Assessment) {
    // One backend runs the model: the vendor with the most VRAM.
    let vram_of = |v: Vendor| -> u64 {
        discrete
            .iter()
            .filter(|g| g.vendor == v)
            .map(|g| g.memory_total_bytes.unwrap_or(0))
            .sum()
    };
    let vendor = [Vendor::Nvidia, Vendor::Amd, Vendor::Intel, Vendor::Other]
        .into_iter()
        .max_by_key(|&v| (vram_of(v), v == Vendor::Nvidia))
        .unwrap_or(Vendor::Nvidia);
    let used: Vec<_> = discrete.iter().filter(|g| g.vendor == vendor).collect();
    let backend = match vendor {
        Vendor::Nvidia => Backend::Cuda,
        Vendor::Amd => Backend::Rocm,
        Vendor::Intel => Backend::Sycl,
        _ => Backend::Vulkan,
    };
    let ram = info.memory.total_bytes;
    let vram = vram_of(vendor);
    a.spec = spec(MemoryKind::DiscreteGpu, backend, ram);
    a.spec.vram_bytes = vram;
    a.spec.gpu_count = used.len() as u32;
    let parts: Vec<String> = used
        .iter()
        .map(|g| {
            format!(
                "{} {}",
                g.name,
                fmt_bytes(g.memory_total_bytes.unwrap_or(0))
            )
        })
        .collect();
    a.explain.push(format!(
        "discrete GPU memory: {} = {} VRAM; system RAM {} counted separately (MemTotal)",
        parts.join(" + "),
        fmt_bytes(vram),
        fmt_bytes(ram)
    ));
    // Bandwidth: layers are split across GPUs, which work in turn, so the slowest one sets it.
    let mut matched: Vec<(&HardwareEntry, &str)> = Vec::new();
    for g in &used {
        a.gpus_used.push(g.name.clone());
        match catalog_match::discrete_gpu(&g.name, g.memory_total_bytes) {
            Some(e) => matched.push((e, &g.name)),
            None => a.assumptions.push(format!(
                "no catalog row for '{}' with {}: its bandwidth and compute are unknown",
                g.name,
                fmt_bytes(g.memory_total_bytes.unwrap_or(0))
            )),
        }
    }
    if let Some((e, name)) = matched
        .iter()
        .min_by(|x, y| x.0.spec.bandwidth_gbps.total_cmp(&y.0.spec.bandwidth_gbps))
    {
        take_speed(&mut a.spec, e);
        a.catalog = Some(CatalogMatch {
            id: e.id.clone(),
            name: e.name.clone(),
            matched_on: if used.len() > 1 {
                format!(
                    "GPU '{name}' (the slowest of {}; per-GPU figures)",
                    used.len()
                )
            } else {
                format!("GPU '{name}'")
            },
        });
    }
    a.assumptions
        .push("system RAM bandwidth (for layers offloaded to the CPU) is not detected".into());
}

fn apu_machine(info: &SystemInfo, g: &crate::Gpu, os_reserve: u64, a: &mut Assessment) {
    let seen = info.memory.total_bytes;
    let carve = g.memory_total_bytes.unwrap_or(0);
    let gtt = g.gtt_total_bytes.unwrap_or(0);
    // The BIOS carve-out is taken from RAM before the OS sees it: the pool is both.
    let ram = seen + carve;
    let gtt_usable = gtt.min(seen.saturating_sub(os_reserve));
    let gpu_limit = carve + gtt_usable;
    let fast = gpu_limit.min(ram.saturating_sub(os_reserve));
    a.spec = spec(MemoryKind::Unified, Backend::Vulkan, ram);
    a.spec.gpu_count = 1;
    if ram > 0 {
        a.spec.gpu_memory_fraction = Some(fast as f64 / ram as f64);
    }
    a.gpus_used.push(g.name.clone());
    a.explain.push(format!(
        "APU, one pool counted once: {} seen by the OS (MemTotal) + {} BIOS carve-out (mem_info_vram_total) = {}",
        fmt_bytes(seen),
        fmt_bytes(carve),
        fmt_bytes(ram)
    ));
    a.explain.push(format!(
        "the GPU may use the carve-out {} + GTT {} (mem_info_gtt_total, at most the OS-visible {} less the {} OS reserve) = {}",
        fmt_bytes(carve),
        fmt_bytes(gtt_usable),
        fmt_bytes(seen),
        fmt_bytes(os_reserve),
        fmt_bytes(gpu_limit)
    ));
    let text = format!(
        "{} {} {}",
        info.cpu.model.clone().unwrap_or_default(),
        info.platform.model.clone().unwrap_or_default(),
        g.name
    );
    match catalog_match::machine_by_text(&text, ram) {
        Some(e) => {
            take_speed(&mut a.spec, e);
            a.catalog = Some(CatalogMatch {
                id: e.id.clone(),
                name: e.name.clone(),
                matched_on: format!(
                    "CPU '{}'",
                    info.cpu.model.clone().unwrap_or_else(|| g.name.clone())
                ),
            });
        }
        None => a.assumptions.push(format!(
            "no catalog row for '{}': bandwidth and compute unknown",
            text.trim()
        )),
    }
}

fn cpu_machine(info: &SystemInfo, a: &mut Assessment) {
    let ram = info.memory.total_bytes;
    a.spec = spec(MemoryKind::CpuOnly, Backend::Cpu, ram);
    a.explain.push(format!(
        "no usable GPU: the model runs from system RAM, {} (MemTotal)",
        fmt_bytes(ram)
    ));
    let text = format!(
        "{} {}",
        info.cpu.model.clone().unwrap_or_default(),
        info.platform.model.clone().unwrap_or_default()
    );
    match catalog_match::machine_by_text(&text, ram) {
        Some(e) => {
            take_speed(&mut a.spec, e);
            a.catalog = Some(CatalogMatch {
                id: e.id.clone(),
                name: e.name.clone(),
                matched_on: format!("'{}'", text.trim()),
            });
        }
        None => {
            if let Ok(e) = cabe_catalog::find_hardware(ASSUMED_CPU_ROW) {
                a.spec.bandwidth_gbps = e.spec.bandwidth_gbps;
                a.assumptions.push(format!(
                    "no catalog row for CPU '{}': assumed {} GB/s memory bandwidth (dual-channel DDR4-3200, catalog row {})",
                    info.cpu.model.clone().unwrap_or_else(|| "unknown".into()),
                    e.spec.bandwidth_gbps,
                    e.id
                ));
            }
        }
    }
}

fn summary(info: &SystemInfo, a: &Assessment) -> String {
    let ram = fmt_bytes(a.spec.ram_bytes);
    match a.spec.kind {
        MemoryKind::DiscreteGpu => {
            let names = &a.gpus_used;
            let gpus = if names.len() > 1 && names.iter().all(|n| n == &names[0]) {
                format!("{}× {}", names.len(), names[0])
            } else {
                names.join(" + ")
            };
            format!(
                "{gpus}, {} VRAM + {ram} RAM, {}",
                fmt_bytes(a.spec.vram_bytes),
                a.spec.backend.name()
            )
        }
        MemoryKind::Unified => format!(
            "{}, {ram} unified, {}",
            a.gpus_used.first().cloned().unwrap_or_default(),
            a.spec.backend.name()
        ),
        MemoryKind::CpuOnly => format!(
            "{}, {ram} RAM, CPU only",
            info.cpu.model.clone().unwrap_or_else(|| "CPU".into())
        ),
    }
}
