//! What detection found, before any judgement about usable memory.

use crate::source::Os;
use serde::Serialize;

/// Everything detected about a machine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemInfo {
    pub os: Os,
    /// "this machine" or "recorded: PATH".
    pub source: String,
    pub cpu: Cpu,
    pub memory: Memory,
    pub gpus: Vec<Gpu>,
    /// Platform facts that matter for fitting (Apple's wired limit, the board model).
    pub platform: Platform,
    /// What detection could not find out, in words.
    pub unknown: Vec<String>,
    /// How detection went (which sources answered), in words.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Cpu {
    /// "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S", "Apple M1", "Intel(R) Xeon(R) Processor".
    pub model: Option<String>,
    /// x86_64, aarch64, …
    pub arch: Option<String>,
    pub logical_cores: Option<u32>,
    pub physical_cores: Option<u32>,
    /// SIMD features llama.cpp's CPU backend uses (avx2, avx512f, avx512_vnni, neon,
    /// dotprod, i8mm, sve, …), in a fixed order.
    pub simd: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Memory {
    /// System RAM the OS sees (`MemTotal`, `hw.memsize`). On AMD APUs the BIOS carve-out is
    /// not in it.
    pub total_bytes: u64,
    pub available_bytes: Option<u64>,
    pub swap_total_bytes: Option<u64>,
    pub swap_free_bytes: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    Nvidia,
    Amd,
    Intel,
    Apple,
    Other,
}

impl Vendor {
    pub fn from_pci(id: u64) -> Vendor {
        match id {
            0x10de => Vendor::Nvidia,
            0x1002 => Vendor::Amd,
            0x8086 => Vendor::Intel,
            0x106b => Vendor::Apple,
            _ => Vendor::Other,
        }
    }
}

/// How a GPU's memory relates to system memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GpuKind {
    /// Its own VRAM, beside system RAM.
    Discrete,
    /// Shares system RAM through a small carve-out and/or GTT (AMD APUs, Intel iGPUs).
    Integrated,
    /// One coherent pool with the CPU (Apple Silicon, DGX Spark GB10, Jetson).
    Unified,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gpu {
    pub name: String,
    pub vendor: Vendor,
    pub kind: GpuKind,
    /// Dedicated memory: VRAM, or an APU's BIOS carve-out (`mem_info_vram_total`). `None`
    /// when not reported (GB10, Apple, Intel iGPUs).
    pub memory_total_bytes: Option<u64>,
    pub memory_free_bytes: Option<u64>,
    /// AMD: GTT, system memory the GPU may map (`mem_info_gtt_total`).
    pub gtt_total_bytes: Option<u64>,
    pub gtt_free_bytes: Option<u64>,
    /// Kernel driver and/or version ("nvidia 550.54.14", "amdgpu", "i915", "Metal 3").
    pub driver: Option<String>,
    /// PCI vendor:device ("10de:2684").
    pub pci_id: Option<String>,
    /// PCI bus address ("0000:01:00.0").
    pub bus: Option<String>,
    /// GPU cores (Apple).
    pub cores: Option<u32>,
    /// CUDA compute capability ("8.9").
    pub compute_capability: Option<String>,
    /// Where the facts came from: nvml, nvidia-smi, sysfs, system_profiler, sysctl.
    pub source: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Platform {
    /// Board/product model (`/proc/device-tree/model`, `hw.model`).
    pub model: Option<String>,
    /// Apple: `iogpu.wired_limit_mb` when set (0 means the default).
    pub apple_wired_limit_mb: Option<u64>,
}
