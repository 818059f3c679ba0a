//! Linux: `/proc/meminfo`, `/proc/cpuinfo`, `/sys/class/drm/card*/device`, the device tree.

use crate::info::{Cpu, Gpu, GpuKind, Memory, Vendor};
use crate::pci;
use crate::source::Source;

/// `/proc/meminfo` (values in kB = KiB).
pub fn meminfo(text: &str) -> Option<Memory> {
    let field = |name: &str| -> Option<u64> {
        text.lines().find_map(|l| {
            let rest = l.strip_prefix(name)?.strip_prefix(':')?;
            let mut it = rest.split_whitespace();
            let n: u64 = it.next()?.parse().ok()?;
            Some(match it.next() {
                Some("kB") | Some("KB") => n * 1024,
                None => n,
                Some(_) => n * 1024,
            })
        })
    };
    Some(Memory {
        total_bytes: field("MemTotal")?,
        available_bytes: field("MemAvailable").or_else(|| {
            // Kernels before 3.14 have no MemAvailable.
            Some(field("MemFree")? + field("Cached").unwrap_or(0) + field("Buffers").unwrap_or(0))
        }),
        swap_total_bytes: field("SwapTotal"),
        swap_free_bytes: field("SwapFree"),
    })
}

/// The x86 `flags` / ARM `Features` that matter to ggml's CPU backend, as printed.
const X86_SIMD: &[&str] = &[
    "sse3",
    "ssse3",
    "sse4_1",
    "sse4_2",
    "avx",
    "f16c",
    "fma",
    "avx2",
    "avx_vnni",
    "avx512f",
    "avx512bw",
    "avx512vl",
    "avx512_vnni",
    "avx512_bf16",
    "avx512vbmi",
    "amx_tile",
    "amx_int8",
    "amx_bf16",
];
/// ARM hwcaps and the names cabe prints for them.
const ARM_SIMD: &[(&str, &str)] = &[
    ("asimd", "neon"),
    ("fphp", "fp16"),
    ("asimddp", "dotprod"),
    ("i8mm", "i8mm"),
    ("bf16", "bf16"),
    ("sve", "sve"),
    ("sve2", "sve2"),
    ("sme", "sme"),
];

/// ARM core names by (implementer, part) from `/proc/cpuinfo` (ARM's TRMs; the kernel's
/// `arch/arm64/include/asm/cputype.h`).
fn arm_core_name(implementer: u64, part: u64) -> Option<&'static str> {
    Some(match (implementer, part) {
        (0x41, 0xd0b) => "Cortex-A76",
        (0x41, 0xd0c) => "Neoverse-N1",
        (0x41, 0xd40) => "Neoverse-V1",
        (0x41, 0xd41) => "Cortex-A78",
        (0x41, 0xd42) => "Cortex-A78AE",
        (0x41, 0xd49) => "Neoverse-N2",
        (0x41, 0xd4f) => "Neoverse-V2",
        (0x41, 0xd81) => "Cortex-A720",
        (0x41, 0xd85) => "Cortex-X925",
        (0x41, 0xd87) => "Cortex-A725",
        (0x61, _) => "Apple",
        _ => return None,
    })
}

pub fn cpuinfo(text: &str) -> Cpu {
    let mut cpu = Cpu::default();
    let mut logical = 0u32;
    let mut cores = std::collections::BTreeSet::new();
    let mut phys_id = String::new();
    let mut flags: Option<String> = None;
    let mut arm_parts: Vec<(u64, u64)> = Vec::new();
    let mut implementer = None;
    let mut hardware = None;
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        match k {
            "processor" => logical += 1,
            "model name" if cpu.model.is_none() => cpu.model = Some(v.to_string()),
            "Hardware" => hardware = Some(v.to_string()),
            "physical id" => phys_id = v.to_string(),
            "core id" => {
                cores.insert(format!("{phys_id}/{v}"));
            }
            "flags" | "Features" if flags.is_none() => flags = Some(v.to_string()),
            "CPU implementer" => implementer = crate::source::parse_int(v),
            "CPU part" => {
                if let (Some(i), Some(p)) = (implementer, crate::source::parse_int(v)) {
                    if !arm_parts.contains(&(i, p)) {
                        arm_parts.push((i, p));
                    }
                }
            }
            _ => {}
        }
    }
    if cpu.model.is_none() {
        let names: Vec<&str> = arm_parts
            .iter()
            .filter_map(|&(i, p)| arm_core_name(i, p))
            .collect();
        cpu.model = if !names.is_empty() {
            Some(names.join(" + "))
        } else {
            hardware
        };
    }
    if logical > 0 {
        cpu.logical_cores = Some(logical);
        cpu.physical_cores = Some(if cores.is_empty() {
            logical
        } else {
            cores.len() as u32
        });
    }
    if let Some(f) = flags {
        let have: std::collections::HashSet<&str> = f.split_whitespace().collect();
        if have.contains("asimd") || (have.contains("fp") && !have.contains("sse")) {
            cpu.arch = Some("aarch64".into());
            cpu.simd = ARM_SIMD
                .iter()
                .filter(|(k, _)| have.contains(k))
                .map(|(_, n)| n.to_string())
                .collect();
        } else {
            cpu.arch = Some(if have.contains("lm") { "x86_64" } else { "x86" }.into());
            cpu.simd = X86_SIMD
                .iter()
                .filter(|k| have.contains(*k))
                .map(|k| k.to_string())
                .collect();
        }
    }
    cpu
}

/// A GPU from `/sys/class/drm/cardN/device` (amdgpu, i915, xe, nouveau, nvidia-drm).
pub fn drm_gpus(src: &Source) -> Vec<Gpu> {
    let mut out: Vec<Gpu> = Vec::new();
    for card in src.list("/sys/class/drm") {
        let Some(n) = card.strip_prefix("card") else {
            continue;
        };
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            continue; // connectors: card0-DP-1
        }
        let dev = format!("/sys/class/drm/{card}/device");
        let Some(vendor_id) = src.read_u64(&format!("{dev}/vendor")) else {
            continue;
        };
        let device_id = src.read_u64(&format!("{dev}/device")).unwrap_or(0);
        let uevent = src.read(&format!("{dev}/uevent")).unwrap_or_default();
        let ue = |key: &str| {
            uevent.lines().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|r| r.strip_prefix('='))
                    .map(str::to_string)
            })
        };
        let driver = ue("DRIVER");
        let bus = ue("PCI_SLOT_NAME");
        if bus.is_some() && out.iter().any(|g| g.bus == bus) {
            continue;
        }
        let vendor = Vendor::from_pci(vendor_id);
        let rd = |f: &str| src.read_u64(&format!("{dev}/{f}"));
        let (mut total, mut free, mut gtt, mut gtt_free) = (None, None, None, None);
        if let Some(t) = rd("mem_info_vram_total") {
            total = Some(t);
            free = rd("mem_info_vram_used").map(|u| t.saturating_sub(u));
        }
        if let Some(t) = rd("mem_info_gtt_total") {
            gtt = Some(t);
            gtt_free = rd("mem_info_gtt_used").map(|u| t.saturating_sub(u));
        }
        // Intel xe: per-tile VRAM.
        if total.is_none() && vendor == Vendor::Intel {
            total = rd("tile0/vram0/physical_vram_size_bytes");
        }
        let known = pci::lookup(vendor_id, device_id);
        let product = src
            .read(&format!("{dev}/product_name"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let kind = match (vendor, known) {
            (_, Some(k)) if k.integrated => GpuKind::Integrated,
            (Vendor::Intel, None) => GpuKind::Integrated,
            // An AMD GPU we do not know: a carve-out of 512 MiB or less is an APU's.
            (Vendor::Amd, None) if total.is_some_and(|t| t <= 512 << 20) => GpuKind::Integrated,
            _ => GpuKind::Discrete,
        };
        let by_vram = (vendor == Vendor::Amd)
            .then(|| {
                let gib = (total? as f64 / (1u64 << 30) as f64).round() as u64;
                pci::amd_model_by_vram(device_id, gib)
            })
            .flatten();
        let name = product
            .or_else(|| by_vram.map(str::to_string))
            .or_else(|| known.map(|k| k.name.to_string()))
            .unwrap_or_else(|| {
                format!(
                    "{} GPU {:04x}:{:04x}",
                    match vendor {
                        Vendor::Nvidia => "NVIDIA",
                        Vendor::Amd => "AMD",
                        Vendor::Intel => "Intel",
                        Vendor::Apple => "Apple",
                        Vendor::Other => "unknown",
                    },
                    vendor_id,
                    device_id
                )
            });
        out.push(Gpu {
            name,
            vendor,
            kind,
            memory_total_bytes: total,
            memory_free_bytes: free,
            gtt_total_bytes: gtt,
            gtt_free_bytes: gtt_free,
            driver,
            pci_id: Some(format!("{vendor_id:04x}:{device_id:04x}")),
            bus,
            cores: None,
            compute_capability: None,
            source: "sysfs".into(),
        });
    }
    out
}

/// `/proc/device-tree/model` (ARM boards: Jetson, Raspberry Pi, DGX Spark's firmware may set
/// none), without its trailing NUL.
pub fn device_tree_model(src: &Source) -> Option<String> {
    src.read("/proc/device-tree/model")
        .map(|s| s.trim_end_matches('\0').trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `/sys/class/dmi/id/product_name` (x86 boards: "Framework Desktop (AMD Ryzen AI Max 300 Series)").
pub fn dmi_product(src: &Source) -> Option<String> {
    src.read("/sys/class/dmi/id/product_name")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s != "To Be Filled By O.E.M.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meminfo_in_bytes() {
        let m = meminfo(
            "MemTotal:       24684084 kB\nMemFree: 1 kB\nMemAvailable:   20880652 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
        )
        .unwrap();
        assert_eq!(m.total_bytes, 24684084 * 1024);
        assert_eq!(m.available_bytes, Some(20880652 * 1024));
        assert_eq!(m.swap_total_bytes, Some(0));
    }

    #[test]
    fn arm_cpuinfo_without_model_name() {
        let text = "processor\t: 0\nFeatures\t: fp asimd evtstrm aes asimddp sve i8mm bf16 sve2\nCPU implementer\t: 0x41\nCPU part\t: 0xd85\n\nprocessor\t: 1\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU part\t: 0xd87\n";
        let c = cpuinfo(text);
        assert_eq!(c.model.as_deref(), Some("Cortex-X925 + Cortex-A725"));
        assert_eq!(c.logical_cores, Some(2));
        assert_eq!(c.arch.as_deref(), Some("aarch64"));
        assert_eq!(c.simd, ["neon", "dotprod", "i8mm", "bf16", "sve", "sve2"]);
    }
}
