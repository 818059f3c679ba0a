//! macOS: `sysctl -a` (chip, `hw.memsize`, `iogpu.wired_limit_mb`, CPU features) and
//! `system_profiler SPDisplaysDataType -json` (GPU name and cores).

use crate::info::{Cpu, Gpu, GpuKind, Memory, Vendor};
use std::collections::HashMap;

/// `key: value` lines of `sysctl -a` (later lines win; values trimmed).
pub fn parse_sysctl(text: &str) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for line in text.lines() {
        // `sysctl -a` prints `key: value`; `sysctl -a -e`/BSD style prints `key=value`.
        let split = line.split_once(": ").or_else(|| line.split_once('='));
        if let Some((k, v)) = split {
            let k = k.trim();
            if !k.is_empty() && !k.contains(' ') {
                m.insert(k.to_string(), v.trim().to_string());
            }
        }
    }
    m
}

fn num(m: &HashMap<String, String>, k: &str) -> Option<u64> {
    m.get(k)?.parse().ok()
}

/// "2048.00M" → bytes.
fn swap_size(s: &str) -> Option<u64> {
    let (n, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic())?);
    let n: f64 = n.parse().ok()?;
    let mult = match unit {
        "K" => 1u64 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return None,
    };
    Some((n * mult as f64) as u64)
}

pub fn memory(m: &HashMap<String, String>) -> Option<Memory> {
    let total = num(m, "hw.memsize")?;
    let (mut swap_total, mut swap_free) = (None, None);
    if let Some(s) = m.get("vm.swapusage") {
        // "total = 2048.00M  used = 1000.00M  free = 1048.00M  (encrypted)"
        let words: Vec<&str> = s.split_whitespace().collect();
        for w in words.windows(3) {
            if w[1] == "=" {
                match w[0] {
                    "total" => swap_total = swap_size(w[2]),
                    "free" => swap_free = swap_size(w[2]),
                    _ => {}
                }
            }
        }
    }
    Some(Memory {
        total_bytes: total,
        available_bytes: None,
        swap_total_bytes: swap_total,
        swap_free_bytes: swap_free,
    })
}

pub fn cpu(m: &HashMap<String, String>) -> Cpu {
    let flag = |k: &str| num(m, k) == Some(1);
    let mut simd = Vec::new();
    let arm = flag("hw.optional.arm64") || flag("hw.optional.neon");
    if arm {
        for (k, name) in [
            ("hw.optional.neon", "neon"),
            ("hw.optional.arm.FEAT_FP16", "fp16"),
            ("hw.optional.arm.FEAT_DotProd", "dotprod"),
            ("hw.optional.arm.FEAT_I8MM", "i8mm"),
            ("hw.optional.arm.FEAT_BF16", "bf16"),
            ("hw.optional.arm.FEAT_SME", "sme"),
        ] {
            if flag(k) {
                simd.push(name.to_string());
            }
        }
    } else {
        let feats = format!(
            "{} {}",
            m.get("machdep.cpu.features").map_or("", String::as_str),
            m.get("machdep.cpu.leaf7_features")
                .map_or("", String::as_str)
        )
        .to_ascii_uppercase();
        let have: Vec<&str> = feats.split_whitespace().collect();
        for (k, name) in [
            ("SSE4.2", "sse4_2"),
            ("AVX1.0", "avx"),
            ("F16C", "f16c"),
            ("FMA", "fma"),
            ("AVX2", "avx2"),
            ("AVX512F", "avx512f"),
        ] {
            if have.contains(&k) {
                simd.push(name.to_string());
            }
        }
    }
    Cpu {
        model: m.get("machdep.cpu.brand_string").cloned(),
        arch: Some(if arm { "aarch64" } else { "x86_64" }.into()),
        logical_cores: num(m, "hw.logicalcpu")
            .or_else(|| num(m, "hw.ncpu"))
            .map(|n| n as u32),
        physical_cores: num(m, "hw.physicalcpu").map(|n| n as u32),
        simd,
    }
}

/// `iogpu.wired_limit_mb` (macOS 14+; `debug.iogpu.wired_limit` before), 0 = default.
pub fn wired_limit_mb(m: &HashMap<String, String>) -> Option<u64> {
    num(m, "iogpu.wired_limit_mb").or_else(|| {
        // The older key is in bytes.
        num(m, "debug.iogpu.wired_limit").map(|b| b >> 20)
    })
}

/// GPUs from `system_profiler SPDisplaysDataType -json`.
pub fn parse_displays(json: &str) -> Result<Vec<Gpu>, String> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("system_profiler JSON: {e}"))?;
    let items = v
        .get("SPDisplaysDataType")
        .and_then(|x| x.as_array())
        .ok_or("system_profiler JSON: no SPDisplaysDataType array")?;
    let mut out = Vec::new();
    for it in items {
        let s = |k: &str| it.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let name = s("sppci_model")
            .or_else(|| s("_name"))
            .unwrap_or_else(|| "GPU".into());
        let vendor_s = s("spdisplays_vendor").unwrap_or_default().to_lowercase();
        let vendor = if vendor_s.contains("apple") || name.starts_with("Apple") {
            Vendor::Apple
        } else if vendor_s.contains("amd") || vendor_s.contains("ati") {
            Vendor::Amd
        } else if vendor_s.contains("intel") {
            Vendor::Intel
        } else if vendor_s.contains("nvidia") {
            Vendor::Nvidia
        } else {
            Vendor::Other
        };
        let metal = s("spdisplays_mtlgpufamilysupport").map(|m| {
            m.trim_start_matches("spdisplays_")
                .replace("metal", "Metal ")
                .trim()
                .to_string()
        });
        // Discrete GPUs of Intel Macs report "spdisplays_vram": "8 GB".
        let vram = s("spdisplays_vram")
            .or_else(|| s("_spdisplays_vram"))
            .and_then(|v| {
                let mut p = v.split_whitespace();
                let n: u64 = p.next()?.parse().ok()?;
                Some(match p.next()? {
                    "GB" => n << 30,
                    "MB" => n << 20,
                    _ => return None,
                })
            });
        out.push(Gpu {
            kind: if vendor == Vendor::Apple {
                GpuKind::Unified
            } else if vram.is_some() {
                GpuKind::Discrete
            } else {
                GpuKind::Integrated
            },
            memory_total_bytes: if vendor == Vendor::Apple { None } else { vram },
            memory_free_bytes: None,
            gtt_total_bytes: None,
            gtt_free_bytes: None,
            driver: metal,
            pci_id: None,
            bus: None,
            cores: s("sppci_cores").and_then(|c| c.parse().ok()),
            compute_capability: None,
            source: "system_profiler".into(),
            vendor,
            name,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysctl_lines() {
        let m = parse_sysctl(
            "hw.memsize: 8589934592\nmachdep.cpu.brand_string: Apple M1\niogpu.wired_limit_mb: 0\nvm.swapusage: total = 2048.00M  used = 1024.00M  free = 1024.00M  (encrypted)\nkern.clockrate: { hz = 100, tick = 10000 }\n",
        );
        assert_eq!(num(&m, "hw.memsize"), Some(8 << 30));
        assert_eq!(wired_limit_mb(&m), Some(0));
        let mem = memory(&m).unwrap();
        assert_eq!(mem.swap_total_bytes, Some(2 << 30));
        assert_eq!(mem.swap_free_bytes, Some(1 << 30));
    }
}
