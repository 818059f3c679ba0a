//! A machine, as far as fitting and speed are concerned: its memory pools, their bandwidth, its
//! compute, and the backend llama.cpp would use on it.

use serde::{Deserialize, Serialize};

/// How the machine's memory is organised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemoryKind {
    /// CPU and GPU share one pool (Apple Silicon, Strix Halo, DGX Spark GB10, Jetson).
    Unified,
    /// One or more GPUs with their own VRAM beside system RAM.
    DiscreteGpu,
    /// No usable GPU: the model runs from system RAM.
    CpuOnly,
}

/// The ggml backend that would run the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Cuda,
    Metal,
    Rocm,
    Vulkan,
    Sycl,
    Cpu,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Cuda => "CUDA",
            Backend::Metal => "Metal",
            Backend::Rocm => "ROCm",
            Backend::Vulkan => "Vulkan",
            Backend::Sycl => "SYCL",
            Backend::Cpu => "CPU",
        }
    }
}

/// A machine or device. Memory sizes are bytes; a device sold as "64 GB" has 64 GiB.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HardwareSpec {
    pub id: String,
    pub name: String,
    pub kind: MemoryKind,
    pub backend: Backend,
    /// System RAM (for unified machines: the one shared pool).
    pub ram_bytes: u64,
    /// VRAM summed over all GPUs (0 for unified and CPU-only machines).
    pub vram_bytes: u64,
    pub gpu_count: u32,
    /// Peak bandwidth of the memory the model runs from (VRAM, or the unified pool), GB/s.
    pub bandwidth_gbps: f64,
    /// Peak system RAM bandwidth, GB/s, where it differs (discrete GPU machines); for offload.
    pub ram_bandwidth_gbps: Option<f64>,
    /// Dense FP16 compute, TFLOPS.
    pub fp16_tflops: Option<f64>,
    /// `fp16_tflops` is a tensor/matrix-core figure (data-centre parts) rather than the shader
    /// FP16 figure listed for consumer GPUs and Apple; prefill efficiency differs between them.
    #[serde(default)]
    pub fp16_is_tensor: bool,
    /// Share of unified memory the GPU may use (Apple's recommendedMaxWorkingSetSize); `None`
    /// means the whole pool less the OS reserve.
    pub gpu_memory_fraction: Option<f64>,
    pub price_usd: Option<f64>,
}

impl HardwareSpec {
    /// A machine known only by its memory size (`--memory 64GB`): CPU/unified, whole pool usable
    /// less the OS reserve.
    pub fn from_memory(bytes: u64) -> HardwareSpec {
        HardwareSpec {
            id: "custom".into(),
            name: "machine with the given memory".into(),
            kind: MemoryKind::Unified,
            backend: Backend::Cpu,
            ram_bytes: bytes,
            vram_bytes: 0,
            gpu_count: 0,
            bandwidth_gbps: 0.0,
            ram_bandwidth_gbps: None,
            fp16_tflops: None,
            fp16_is_tensor: false,
            gpu_memory_fraction: None,
            price_usd: None,
        }
    }
}
