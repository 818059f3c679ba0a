//! Matching detected devices to the hardware catalog, for bandwidth and compute.
//!
//! Detection gives names ("NVIDIA GeForce RTX 4090", "Apple M3 Ultra", "AMD RYZEN AI MAX+ 395
//! w/ Radeon 8060S"); the catalog gives what a name does not: memory bandwidth and FP16
//! compute. Memory sizes always come from detection, never from the matched row.

use cabe_catalog::{hardware, hardware_keys, normalize, HardwareEntry};
use cabe_core::hardware::MemoryKind;
use cabe_core::units::GIB;

/// Words in GPU names that no catalog key carries.
const NOISE: &[&str] = &[
    "nvidia",
    "geforce",
    "amd",
    "ati",
    "intel",
    "intel(r)",
    "(r)",
    "(tm)",
    "graphics",
    "generation",
    "workstation",
    "edition",
    "hbm3",
    "hbm3e",
    "hbm2e",
    "sxm4",
    "sxm5",
];

fn is_mem_token(t: &str) -> bool {
    t.strip_suffix("gb")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Catalog-style keys for a GPU name, most specific first.
pub fn gpu_keys(name: &str, vram_gib: Option<u64>) -> Vec<String> {
    let lower = name.to_lowercase().replace(['-', '_'], " ");
    let toks: Vec<&str> = lower
        .split_whitespace()
        .filter(|t| !NOISE.contains(t))
        .collect();
    // Catalog aliases carry "rx 7800 xt" as often as "radeon rx 7800 xt".
    let bare: Vec<&str> = toks
        .iter()
        .copied()
        .filter(|t| !matches!(*t, "radeon" | "instinct"))
        .collect();
    let mut keys = Vec::new();
    for toks in [toks, bare] {
        keys.push(toks.join(" "));
        let no_mem: Vec<&str> = toks.iter().copied().filter(|t| !is_mem_token(t)).collect();
        keys.push(no_mem.join(" "));
        if let Some(v) = vram_gib {
            keys.push(format!("{} {v}gb", no_mem.join(" ")));
            if let Some(first) = no_mem.first() {
                keys.push(format!("{first} {v}gb"));
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for k in keys {
        if !k.trim().is_empty() && !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

fn answers_to(e: &HardwareEntry, key: &str) -> bool {
    let k = normalize(key);
    hardware_keys(e).into_iter().any(|x| normalize(x) == k)
}

/// A discrete-GPU row for one GPU: a key equal to one of the row's names, and per-GPU VRAM
/// within 8% of the detected size (an 8 GB RTX 4060 Ti is not the catalog's 16 GB one).
pub fn discrete_gpu(name: &str, vram_bytes: Option<u64>) -> Option<&'static HardwareEntry> {
    let gib = vram_bytes.map(|b| (b as f64 / GIB as f64).round() as u64);
    for key in gpu_keys(name, gib) {
        for e in hardware() {
            if e.spec.kind != MemoryKind::DiscreteGpu || !answers_to(e, &key) {
                continue;
            }
            let per_gpu = e.spec.vram_bytes / e.spec.gpu_count.max(1) as u64;
            let ok = match vram_bytes {
                None => true,
                Some(v) => (v as f64 - per_gpu as f64).abs() / per_gpu.max(1) as f64 <= 0.08,
            };
            if ok {
                return Some(e);
            }
        }
    }
    None
}

/// A unified or CPU-only machine row whose names appear in `text` (a CPU model, a board
/// model, a GPU name), then among rows with the same bandwidth and compute (the same chip)
/// the one nearest in memory.
pub fn machine_by_text(text: &str, total_bytes: u64) -> Option<&'static HardwareEntry> {
    let t = normalize(text);
    let anchor = hardware().iter().find(|e| {
        e.spec.kind != MemoryKind::DiscreteGpu
            && hardware_keys(e).into_iter().any(|k| {
                let k = normalize(k);
                (k.len() >= 6 || k == "gb10") && t.contains(&k)
            })
    })?;
    Some(nearest_sibling(anchor, total_bytes))
}

fn nearest_sibling(anchor: &'static HardwareEntry, total_bytes: u64) -> &'static HardwareEntry {
    let same = |e: &HardwareEntry| {
        e.spec.kind == anchor.spec.kind
            && e.spec.backend == anchor.spec.backend
            && e.spec.bandwidth_gbps == anchor.spec.bandwidth_gbps
            && e.spec.fp16_tflops == anchor.spec.fp16_tflops
    };
    hardware()
        .iter()
        .filter(|e| same(e))
        .min_by_key(|e| e.spec.ram_bytes.abs_diff(total_bytes))
        .unwrap_or(anchor)
}

/// The Apple chip named in a catalog row: "Mac Studio (M3 Ultra 28-CPU/60-GPU, 96 GB)" →
/// ("m3 ultra", Some(28), Some(60)).
fn apple_row_chip(name: &str) -> Option<(String, Option<u32>, Option<u32>)> {
    let inner = name.split_once('(')?.1.split(',').next()?;
    let words: Vec<&str> = inner.split_whitespace().collect();
    let gen = words.first().filter(|w| {
        w.starts_with('M') && w[1..].bytes().all(|b| b.is_ascii_digit()) && w.len() > 1
    })?;
    let mut chip = gen.to_lowercase();
    if let Some(tier) = words
        .get(1)
        .filter(|w| matches!(**w, "Pro" | "Max" | "Ultra"))
    {
        chip = format!("{chip} {}", tier.to_lowercase());
    }
    let count = |suffix: &str| {
        inner
            .split(['/', ' '])
            .find_map(|p| p.strip_suffix(suffix).and_then(|n| n.parse().ok()))
    };
    Some((chip, count("-CPU"), count("-GPU")))
}

/// "Apple M3 Ultra" → "m3 ultra".
pub fn apple_chip(brand: &str) -> Option<String> {
    let rest = brand.strip_prefix("Apple ")?.trim();
    let words: Vec<&str> = rest.split_whitespace().collect();
    let gen = words.first()?;
    let mut chip = gen.to_lowercase();
    if let Some(t) = words
        .get(1)
        .filter(|w| matches!(**w, "Pro" | "Max" | "Ultra"))
    {
        chip = format!("{chip} {}", t.to_lowercase());
    }
    Some(chip)
}

/// The Apple row for a chip: same chip; then rows whose stated CPU/GPU core counts agree
/// with what was detected; then the nearest memory size.
pub fn apple(
    brand: &str,
    cpu_cores: Option<u32>,
    gpu_cores: Option<u32>,
    total_bytes: u64,
) -> Option<&'static HardwareEntry> {
    let chip = apple_chip(brand)?;
    hardware()
        .iter()
        .filter_map(|e| {
            let (c, cpu, gpu) = apple_row_chip(&e.name)?;
            if c != chip {
                return None;
            }
            let clash = |row: Option<u32>, det: Option<u32>| match (row, det) {
                (Some(r), Some(d)) if r != d => 2u32,
                (Some(_), Some(_)) => 0,
                _ => 1,
            };
            let score = clash(gpu, gpu_cores) * 4 + clash(cpu, cpu_cores);
            Some((score, e.spec.ram_bytes.abs_diff(total_bytes), e))
        })
        .min_by_key(|(s, d, _)| (*s, *d))
        .map(|(_, _, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(e: Option<&HardwareEntry>) -> Option<&str> {
        e.map(|e| e.id.as_str())
    }

    #[test]
    fn nvidia_names() {
        assert_eq!(
            id(discrete_gpu("NVIDIA GeForce RTX 4090", Some(24564 << 20))),
            Some("rtx-4090")
        );
        assert_eq!(
            id(discrete_gpu("NVIDIA H100 80GB HBM3", Some(81559 << 20))),
            Some("h100-sxm")
        );
        assert_eq!(
            id(discrete_gpu("NVIDIA H100 PCIe", Some(81559 << 20))),
            Some("h100-pcie")
        );
        assert_eq!(
            id(discrete_gpu("NVIDIA A100-SXM4-40GB", Some(40960 << 20))),
            Some("a100-40gb")
        );
        assert_eq!(
            id(discrete_gpu(
                "NVIDIA RTX 6000 Ada Generation",
                Some(49140 << 20)
            )),
            Some("rtx-6000-ada")
        );
        // The 8 GB card is not the catalog's 16 GB one; a laptop part is not the desktop card.
        assert_eq!(
            id(discrete_gpu("NVIDIA GeForce RTX 4060 Ti", Some(8188 << 20))),
            None
        );
        assert_eq!(
            id(discrete_gpu(
                "NVIDIA GeForce RTX 4090 Laptop GPU",
                Some(16376 << 20)
            )),
            None
        );
    }

    #[test]
    fn machines_by_text() {
        assert_eq!(
            id(machine_by_text(
                "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S",
                128 * GIB
            )),
            Some("framework-desktop-128gb")
        );
        assert_eq!(
            id(machine_by_text(
                "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S",
                62 * GIB
            )),
            Some("framework-desktop-64gb")
        );
        assert_eq!(
            id(machine_by_text(
                "Intel(R) Core(TM) i5-1035G1 CPU @ 1.00GHz",
                14 * GIB
            )),
            Some("hp-laptop-i5-1035g1-14gb")
        );
        assert_eq!(
            id(machine_by_text("NVIDIA GB10", 121 * GIB)),
            Some("dgx-spark-128gb")
        );
        assert_eq!(
            id(machine_by_text("Intel(R) Xeon(R) Processor", 24 * GIB)),
            None
        );
    }

    #[test]
    fn apple_rows() {
        assert_eq!(apple_chip("Apple M3 Ultra").as_deref(), Some("m3 ultra"));
        assert_eq!(
            id(apple("Apple M1", Some(8), Some(8), 8 * GIB)),
            Some("macbook-air-m1-8gb")
        );
        assert_eq!(
            id(apple("Apple M3 Max", Some(14), None, 36 * GIB)),
            Some("macbook-pro-m3-max-36gb")
        );
        // A 40-GPU M3 Max with 48 GB: the 40-GPU row's bandwidth, not the 36 GB one's.
        assert_eq!(
            id(apple("Apple M3 Max", Some(16), Some(40), 48 * GIB)),
            Some("macbook-pro-m3-max-128gb")
        );
        assert_eq!(
            id(apple("Apple M3 Ultra", Some(28), Some(60), 96 * GIB)),
            Some("mac-studio-m3-ultra-96gb")
        );
        assert_eq!(id(apple("Apple M9", None, None, 8 * GIB)), None);
    }
}
