//! # cabe-sys
//!
//! Knows the machine: CPU (model, cores, SIMD features), memory (total, available, swap) and
//! every GPU with its memory, kind (discrete / integrated / unified) and driver — and turns
//! that into a [`cabe_core::hardware::HardwareSpec`] whose usable memory is honest.
//!
//! ```no_run
//! let info = cabe_sys::detect(&cabe_sys::Source::live());
//! let machine = cabe_sys::assess(&info, cabe_core::plan::DEFAULT_OS_RESERVE);
//! println!("{}: {} usable", machine.summary, machine.capacity.fast_bytes);
//! ```
//!
//! ## Sources
//!
//! * Linux: `/proc/meminfo`, `/proc/cpuinfo`, `/sys/class/drm/card*/device` (amdgpu's
//!   `mem_info_vram_total` and `mem_info_gtt_total`, Intel i915/xe), the device tree (Jetson,
//!   Raspberry Pi), and NVIDIA through NVML, loaded at run time with `nvml-wrapper` — a machine
//!   without NVIDIA's library is not an error — with `nvidia-smi -q -x` as the fallback.
//! * macOS: `sysctl -a` (chip, `hw.memsize`, `iogpu.wired_limit_mb`, CPU features) and
//!   `system_profiler SPDisplaysDataType -json` (GPU cores).
//! * Windows and others: what `sysinfo` reports (RAM, CPU) and NVIDIA through NVML or
//!   nvidia-smi; other GPUs are listed as unknown.
//!
//! Every file is read relative to a root and every command's output can be a recorded file
//! ([`Source::recorded`]), so tests run detection on recorded machines
//! (`tests/fixtures/machines/*`). Reads are bounded ([`source::MAX_READ_BYTES`]) and commands
//! time out ([`source::COMMAND_TIMEOUT`]).
//!
//! ## Usable memory ([`assess`])
//!
//! * Unified memory (Apple Silicon, DGX Spark GB10, Jetson) is counted once. On Apple the GPU
//!   may wire at most `iogpu.wired_limit_mb`, or by default about 2/3 of memory up to 36 GB
//!   and 3/4 above; usable is that limit or memory less the OS reserve, whichever is less.
//! * AMD APUs (Strix Halo): the BIOS carve-out (`mem_info_vram_total`) is memory the OS does
//!   not see, so the pool is MemTotal + carve-out; the GPU may use the carve-out plus GTT
//!   (`mem_info_gtt_total`), GTT being at most the OS-visible memory less the OS reserve.
//! * Discrete GPUs: VRAM summed over the GPUs of one vendor, system RAM separately (for
//!   offload).
//! * Otherwise (including Intel iGPUs, which share RAM): a CPU run from RAM.
//!
//! Bandwidth and compute come from the hardware catalog row matched to the detected device
//! ([`Assessment::catalog`]); when none matches the assessment says so and what it assumed
//! ([`Assessment::assumptions`]).

mod assess;
pub mod catalog_match;
mod detect;
mod info;
mod linux;
mod macos;
mod nvidia;
mod pci;
pub mod source;

pub use assess::{apple_default_fraction, assess, Assessment, CatalogMatch, ASSUMED_CPU_ROW};
pub use detect::detect;
pub use info::{Cpu, Gpu, GpuKind, Memory, Platform, SystemInfo, Vendor};
pub use nvidia::parse_nvidia_smi;
pub use source::{Command, Os, Source};

/// Detects this machine and judges it, keeping `os_reserve` bytes for the OS.
pub fn this_machine(os_reserve: u64) -> (SystemInfo, Assessment) {
    let info = detect(&Source::live());
    let a = assess(&info, os_reserve);
    (info, a)
}
