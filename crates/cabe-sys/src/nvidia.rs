//! NVIDIA GPUs: NVML loaded at run time (no NVIDIA library is not an error), else the
//! output of `nvidia-smi -q -x`.

use crate::info::{Gpu, GpuKind, Vendor};

/// Whether an NVIDIA GPU shares one coherent pool with the CPU: the GB10 (DGX Spark and its
/// OEM twins) and the Jetson modules. Their NVML/nvidia-smi report no framebuffer memory
/// ("Not Supported" / N/A; NVIDIA's DGX Spark known issues).
pub fn is_unified_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("gb10") || n.contains("jetson") || n.contains("orin") || n.contains("thor")
}

/// NVIDIA devices through NVML, or why not.
#[cfg(feature = "nvml")]
pub fn nvml_gpus() -> Result<Vec<Gpu>, String> {
    use nvml_wrapper::Nvml;
    let nvml = Nvml::init().map_err(|e| format!("NVML not loaded ({e})"))?;
    let driver = nvml.sys_driver_version().ok();
    let n = nvml
        .device_count()
        .map_err(|e| format!("NVML device count failed ({e})"))?;
    let mut out = Vec::new();
    for i in 0..n {
        let d = match nvml.device_by_index(i) {
            Ok(d) => d,
            Err(e) => return Err(format!("NVML device {i} failed ({e})")),
        };
        let name = d.name().unwrap_or_else(|_| format!("NVIDIA GPU {i}"));
        let mem = d.memory_info().ok().filter(|m| m.total > 0);
        let pci = d.pci_info().ok();
        let cc = d
            .cuda_compute_capability()
            .ok()
            .map(|c| format!("{}.{}", c.major, c.minor));
        let unified = is_unified_name(&name) || mem.is_none();
        out.push(Gpu {
            kind: if unified {
                GpuKind::Unified
            } else {
                GpuKind::Discrete
            },
            memory_total_bytes: mem.as_ref().map(|m| m.total),
            memory_free_bytes: mem.as_ref().map(|m| m.free),
            gtt_total_bytes: None,
            gtt_free_bytes: None,
            driver: driver.as_ref().map(|v| format!("nvidia {v}")),
            pci_id: pci.as_ref().map(|p| {
                format!(
                    "{:04x}:{:04x}",
                    p.pci_device_id & 0xffff,
                    p.pci_device_id >> 16
                )
            }),
            bus: pci.map(|p| normalize_bus(&p.bus_id)),
            cores: None,
            compute_capability: cc,
            source: "nvml".into(),
            vendor: Vendor::Nvidia,
            name,
        });
    }
    Ok(out)
}

#[cfg(not(feature = "nvml"))]
pub fn nvml_gpus() -> Result<Vec<Gpu>, String> {
    Err("built without NVML support".into())
}

/// "00000000:01:00.0" → "0000:01:00.0" (sysfs form), lowercase.
pub fn normalize_bus(b: &str) -> String {
    let b = b.to_ascii_lowercase();
    match b.split_once(':') {
        Some((dom, rest)) if dom.len() > 4 => format!("{}:{rest}", &dom[dom.len() - 4..]),
        _ => b,
    }
}

/// "24564 MiB" → bytes; N/A, "Not Supported" and the like → None.
fn mib_value(s: &str) -> Option<u64> {
    let mut it = s.split_whitespace();
    let n: u64 = it.next()?.parse().ok()?;
    let mult = match it.next() {
        Some("MiB") | None => 1 << 20,
        Some("GiB") => 1 << 30,
        Some("KiB") => 1 << 10,
        Some(_) => return None,
    };
    Some(n * mult)
}

/// Parses `nvidia-smi -q -x`. Errors are a line saying why the XML is unusable.
pub fn parse_nvidia_smi(xml: &str) -> Result<Vec<Gpu>, String> {
    // nvidia-smi writes a DOCTYPE with an external DTD; roxmltree accepts it when allowed.
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, opts)
        .map_err(|e| format!("nvidia-smi XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "nvidia_smi_log" {
        return Err("nvidia-smi XML: no <nvidia_smi_log>".into());
    }
    let text = |n: roxmltree::Node, tag: &str| -> Option<String> {
        n.children()
            .find(|c| c.has_tag_name(tag))
            .and_then(|c| c.text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let driver = text(root, "driver_version");
    let mut out = Vec::new();
    for g in root.children().filter(|c| c.has_tag_name("gpu")) {
        let name = text(g, "product_name").unwrap_or_else(|| "NVIDIA GPU".into());
        let fb = g.children().find(|c| c.has_tag_name("fb_memory_usage"));
        let total = fb
            .and_then(|f| text(f, "total"))
            .and_then(|t| mib_value(&t));
        let free = fb.and_then(|f| text(f, "free")).and_then(|t| mib_value(&t));
        let pci = g.children().find(|c| c.has_tag_name("pci"));
        let pci_id = pci
            .and_then(|p| text(p, "pci_device_id"))
            .and_then(|s| crate::source::parse_int(&format!("0x{}", s.trim_start_matches("0x"))))
            .map(|v| format!("{:04x}:{:04x}", v & 0xffff, v >> 16));
        let bus = g
            .attribute("id")
            .map(str::to_string)
            .or_else(|| pci.and_then(|p| text(p, "pci_bus_id")))
            .map(|b| normalize_bus(&b));
        let unified = is_unified_name(&name) || total.is_none();
        out.push(Gpu {
            kind: if unified {
                GpuKind::Unified
            } else {
                GpuKind::Discrete
            },
            memory_total_bytes: total.filter(|&t| t > 0),
            memory_free_bytes: free,
            gtt_total_bytes: None,
            gtt_free_bytes: None,
            driver: driver.as_ref().map(|v| format!("nvidia {v}")),
            pci_id,
            bus,
            cores: None,
            compute_capability: None,
            source: "nvidia-smi".into(),
            vendor: Vendor::Nvidia,
            name,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bus_ids() {
        assert_eq!(normalize_bus("00000000:01:00.0"), "0000:01:00.0");
        assert_eq!(normalize_bus("0000000F:01:00.0"), "000f:01:00.0");
        assert_eq!(normalize_bus("0000:c5:00.0"), "0000:c5:00.0");
    }

    #[test]
    fn memory_values() {
        assert_eq!(mib_value("24564 MiB"), Some(24564 << 20));
        assert_eq!(mib_value("N/A"), None);
        assert_eq!(mib_value("[N/A]"), None);
        assert_eq!(mib_value("Not Supported"), None);
    }

    #[test]
    fn not_xml_is_an_error() {
        assert!(parse_nvidia_smi("NVIDIA-SMI has failed").is_err());
        assert!(parse_nvidia_smi("<other/>").is_err());
    }

    #[test]
    fn gpu_without_framebuffer_is_unified() {
        let x = r#"<?xml version="1.0" ?><!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_v12.dtd">
<nvidia_smi_log><driver_version>580.95.05</driver_version><gpu id="0000000F:01:00.0">
<product_name>NVIDIA GB10</product_name><fb_memory_usage><total>N/A</total></fb_memory_usage></gpu></nvidia_smi_log>"#;
        let g = parse_nvidia_smi(x).unwrap();
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].kind, GpuKind::Unified);
        assert_eq!(g[0].memory_total_bytes, None);
        assert_eq!(g[0].bus.as_deref(), Some("000f:01:00.0"));
    }
}
