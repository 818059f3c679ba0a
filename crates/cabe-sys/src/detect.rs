//! Gathering: which sources are asked on which OS, and how their answers are merged.

use crate::info::{Cpu, Gpu, GpuKind, Memory, Platform, SystemInfo, Vendor};
use crate::source::{Command, Os, Source};
use crate::{linux, macos, nvidia};

/// Detects the machine `src` describes. Never fails: what cannot be found is listed in
/// [`SystemInfo::unknown`], and how each source answered in [`SystemInfo::notes`].
pub fn detect(src: &Source) -> SystemInfo {
    let mut info = SystemInfo {
        os: src.os(),
        source: if src.is_live() {
            "this machine".into()
        } else {
            format!("recorded: {}", src.root().display())
        },
        cpu: Cpu::default(),
        memory: Memory::default(),
        gpus: Vec::new(),
        platform: Platform::default(),
        unknown: Vec::new(),
        notes: Vec::new(),
    };
    match src.os() {
        Os::Linux => detect_linux(src, &mut info),
        Os::Macos => detect_macos(src, &mut info),
        Os::Windows | Os::Other => detect_other(src, &mut info),
    }
    if info.memory.total_bytes == 0 {
        info.unknown.push("system memory size".into());
    }
    if info.cpu.model.is_none() {
        info.unknown.push("CPU model".into());
    }
    for g in &info.gpus {
        if g.kind == GpuKind::Discrete && g.memory_total_bytes.is_none() {
            info.unknown.push(format!(
                "memory of {} (not reported by {})",
                g.name, g.source
            ));
        }
    }
    info
}

/// NVIDIA GPUs: NVML on this machine; the (run or recorded) `nvidia-smi -q -x` otherwise.
fn nvidia_gpus(src: &Source, info: &mut SystemInfo) -> Vec<Gpu> {
    if src.is_live() {
        match nvidia::nvml_gpus() {
            Ok(g) if !g.is_empty() => {
                info.notes.push(format!("NVML: {} NVIDIA GPU(s)", g.len()));
                return g;
            }
            Ok(_) => info.notes.push("NVML: loaded, no NVIDIA GPU".into()),
            Err(e) => info.notes.push(format!(
                "{e}: no NVIDIA driver library, or none usable (not an error)"
            )),
        }
    }
    match src.command(Command::NvidiaSmi) {
        None => {
            if src.is_live() {
                info.notes.push("nvidia-smi: not found or failed".into());
            }
            Vec::new()
        }
        Some(xml) => match nvidia::parse_nvidia_smi(&xml) {
            Ok(g) => {
                info.notes.push(format!(
                    "{}: {} NVIDIA GPU(s)",
                    Command::NvidiaSmi.display(),
                    g.len()
                ));
                g
            }
            Err(e) => {
                info.notes.push(e);
                Vec::new()
            }
        },
    }
}

fn detect_linux(src: &Source, info: &mut SystemInfo) {
    match src
        .read("/proc/meminfo")
        .as_deref()
        .and_then(linux::meminfo)
    {
        Some(m) => info.memory = m,
        None => info.notes.push("/proc/meminfo: unreadable".into()),
    }
    match src.read("/proc/cpuinfo") {
        Some(t) => info.cpu = linux::cpuinfo(&t),
        None => info.notes.push("/proc/cpuinfo: unreadable".into()),
    }
    if info.cpu.arch.is_none() && src.is_live() {
        info.cpu.arch = Some(std::env::consts::ARCH.to_string());
    }
    info.platform.model = linux::device_tree_model(src).or_else(|| linux::dmi_product(src));

    let nv = nvidia_gpus(src, info);
    let drm = linux::drm_gpus(src);
    if drm.is_empty() {
        info.notes.push("/sys/class/drm: no GPU".into());
    } else {
        info.notes
            .push(format!("/sys/class/drm: {} GPU(s)", drm.len()));
    }
    let have_nv = !nv.is_empty();
    info.gpus = nv;
    for g in drm {
        if g.vendor == Vendor::Nvidia {
            if have_nv {
                continue; // the same card, better described by NVML/nvidia-smi
            }
            info.unknown.push(format!(
                "{}: NVIDIA card in sysfs but neither NVML nor nvidia-smi answered, so its memory is unknown",
                g.name
            ));
        }
        info.gpus.push(g);
    }
    // Jetson modules have no NVML; the board model names them.
    if let Some(model) = &info.platform.model {
        if model.to_ascii_lowercase().contains("jetson")
            && !info.gpus.iter().any(|g| g.vendor == Vendor::Nvidia)
        {
            info.gpus.push(Gpu {
                name: format!("{model} (integrated GPU)"),
                vendor: Vendor::Nvidia,
                kind: GpuKind::Unified,
                memory_total_bytes: None,
                memory_free_bytes: None,
                gtt_total_bytes: None,
                gtt_free_bytes: None,
                driver: None,
                pci_id: None,
                bus: None,
                cores: None,
                compute_capability: None,
                source: "device-tree".into(),
            });
        }
    }
}

fn detect_macos(src: &Source, info: &mut SystemInfo) {
    let Some(text) = src.command(Command::SysctlA) else {
        info.notes.push("sysctl -a: no output".into());
        return detect_other(src, info);
    };
    let m = macos::parse_sysctl(&text);
    if let Some(mem) = macos::memory(&m) {
        info.memory = mem;
    }
    if src.is_live() {
        let mut sys = sysinfo::System::new();
        sys.refresh_memory();
        info.memory.available_bytes = Some(sys.available_memory());
    }
    info.cpu = macos::cpu(&m);
    info.platform.model = m.get("hw.model").cloned();
    info.platform.apple_wired_limit_mb = macos::wired_limit_mb(&m);
    match src
        .command(Command::SystemProfilerDisplays)
        .map(|j| macos::parse_displays(&j))
    {
        Some(Ok(g)) => info.gpus = g,
        Some(Err(e)) => info.notes.push(e),
        None => info.notes.push(format!(
            "{}: no output",
            Command::SystemProfilerDisplays.display()
        )),
    }
    let chip = info.cpu.model.clone().unwrap_or_default();
    if chip.starts_with("Apple") && !info.gpus.iter().any(|g| g.vendor == Vendor::Apple) {
        info.gpus.push(Gpu {
            name: chip,
            vendor: Vendor::Apple,
            kind: GpuKind::Unified,
            memory_total_bytes: None,
            memory_free_bytes: None,
            gtt_total_bytes: None,
            gtt_free_bytes: None,
            driver: Some("Metal".into()),
            pci_id: None,
            bus: None,
            cores: None,
            compute_capability: None,
            source: "sysctl".into(),
        });
        info.unknown.push("Apple GPU core count".into());
    }
}

/// Windows and other systems: what `sysinfo` reports honestly, plus NVIDIA through NVML or
/// nvidia-smi. Other GPUs are not detected there, and the output says so.
fn detect_other(src: &Source, info: &mut SystemInfo) {
    if src.is_live() {
        let mut sys = sysinfo::System::new();
        sys.refresh_memory();
        sys.refresh_cpu_list(sysinfo::CpuRefreshKind::nothing());
        info.memory = Memory {
            total_bytes: sys.total_memory(),
            available_bytes: Some(sys.available_memory()),
            swap_total_bytes: Some(sys.total_swap()),
            swap_free_bytes: Some(sys.free_swap()),
        };
        info.cpu.model = sys
            .cpus()
            .first()
            .map(|c| c.brand().trim().to_string())
            .filter(|b| !b.is_empty());
        info.cpu.logical_cores = Some(sys.cpus().len() as u32).filter(|&n| n > 0);
        info.cpu.physical_cores = sys.physical_core_count().map(|n| n as u32);
        info.cpu.arch = Some(std::env::consts::ARCH.to_string());
        info.cpu.simd = runtime_simd();
    }
    info.gpus = nvidia_gpus(src, info);
    info.unknown.push(format!(
        "GPUs other than NVIDIA's are not detected on {}",
        info.os.name()
    ));
}

/// SIMD features of the CPU running this process (used where no cpuinfo exists).
fn runtime_simd() -> Vec<String> {
    #[allow(unused_mut)]
    let mut v: Vec<String> = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! f {
            ($($name:tt),*) => {$(
                if std::arch::is_x86_feature_detected!($name) {
                    v.push($name.replace("avx512vnni", "avx512_vnni"));
                }
            )*};
        }
        f!(
            "sse4.2",
            "avx",
            "f16c",
            "fma",
            "avx2",
            "avx512f",
            "avx512bw",
            "avx512vnni"
        );
        for s in v.iter_mut() {
            *s = s.replace("sse4.2", "sse4_2");
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        v.push("neon".into());
        if std::arch::is_aarch64_feature_detected!("dotprod") {
            v.push("dotprod".into());
        }
        if std::arch::is_aarch64_feature_detected!("i8mm") {
            v.push("i8mm".into());
        }
        if std::arch::is_aarch64_feature_detected!("sve") {
            v.push("sve".into());
        }
    }
    v
}
