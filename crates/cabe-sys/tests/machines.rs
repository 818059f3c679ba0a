//! Every recorded machine under `tests/fixtures/machines` gives the right devices, memory and
//! usable memory. What each fixture holds and where its values come from:
//! `tests/fixtures/machines/README.md`.

use cabe_core::hardware::{Backend, MemoryKind};
use cabe_core::plan::DEFAULT_OS_RESERVE;
use cabe_sys::{assess, detect, Assessment, GpuKind, Os, Source, SystemInfo, Vendor};
use std::path::PathBuf;

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;
const KIB: u64 = 1 << 10;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines")
        .join(name)
}

fn machine(name: &str) -> (SystemInfo, Assessment) {
    let dir = fixture(name);
    assert!(dir.is_dir(), "missing fixture {}", dir.display());
    let info = detect(&Source::recorded(dir));
    let a = assess(&info, DEFAULT_OS_RESERVE);
    (info, a)
}

/// Within 1 MiB (float fractions of unified memory round).
fn close(a: u64, b: u64) -> bool {
    a.abs_diff(b) <= MIB
}

fn catalog_id(a: &Assessment) -> Option<&str> {
    a.catalog.as_ref().map(|c| c.id.as_str())
}

#[test]
fn every_fixture_is_tested() {
    let mut names: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "amd-rx7900xt",
            "apple-m1-8gb",
            "apple-m3-max-36gb",
            "apple-m3-ultra-96gb",
            "ci-no-gpu",
            "dgx-spark",
            "dual-rtx5090",
            "intel-i5-1035g1-laptop",
            "nvidia-rtx4090-desktop",
            "strix-halo-96gb-carveout",
            "strix-halo-z13-gtt",
        ]
    );
}

#[test]
fn ci_machine_without_gpu() {
    let (info, a) = machine("ci-no-gpu");
    assert_eq!(info.os, Os::Linux);
    assert!(info.gpus.is_empty());
    assert_eq!(info.memory.total_bytes, 24_684_084 * KIB);
    assert_eq!(
        info.cpu.model.as_deref(),
        Some("Intel(R) Xeon(R) Processor")
    );
    assert_eq!(info.cpu.logical_cores, Some(2));
    assert!(info.cpu.simd.iter().any(|s| s == "avx512f"));
    assert_eq!(a.spec.kind, MemoryKind::CpuOnly);
    assert_eq!(a.spec.backend, Backend::Cpu);
    assert_eq!(a.capacity.fast_bytes, 24_684_084 * KIB - 2 * GIB);
    // No catalog row for a virtual Xeon: it says so and what it assumed.
    assert_eq!(catalog_id(&a), None);
    assert!(
        a.assumptions.iter().any(|s| s.contains("51.2 GB/s")),
        "{:?}",
        a.assumptions
    );
    assert_eq!(a.spec.bandwidth_gbps, 51.2);
}

#[test]
fn nvidia_desktop_uses_the_card_not_the_cpu_igpu() {
    let (info, a) = machine("nvidia-rtx4090-desktop");
    // NVIDIA's own sysfs entry (card1) is the same card as nvidia-smi's and is not repeated.
    assert_eq!(info.gpus.len(), 2, "{:#?}", info.gpus);
    let nv = &info.gpus[0];
    assert_eq!(nv.name, "NVIDIA GeForce RTX 4090");
    assert_eq!(nv.kind, GpuKind::Discrete);
    assert_eq!(nv.memory_total_bytes, Some(24564 * MIB));
    assert_eq!(nv.memory_free_bytes, Some(24216 * MIB));
    assert_eq!(nv.driver.as_deref(), Some("nvidia 550.107.02"));
    assert_eq!(nv.pci_id.as_deref(), Some("10de:2684"));
    assert_eq!(nv.source, "nvidia-smi");
    let igpu = &info.gpus[1];
    assert_eq!(igpu.vendor, Vendor::Amd);
    assert_eq!(igpu.kind, GpuKind::Integrated);
    assert_eq!(igpu.memory_total_bytes, Some(512 * MIB));

    assert_eq!(a.spec.kind, MemoryKind::DiscreteGpu);
    assert_eq!(a.spec.backend, Backend::Cuda);
    assert_eq!(a.spec.vram_bytes, 24564 * MIB);
    assert_eq!(a.spec.gpu_count, 1);
    assert_eq!(a.spec.ram_bytes, 65_584_492 * KIB);
    assert_eq!(a.capacity.fast_bytes, 24564 * MIB);
    assert_eq!(
        a.capacity.total_bytes,
        24564 * MIB + 65_584_492 * KIB - 2 * GIB
    );
    assert_eq!(catalog_id(&a), Some("rtx-4090"));
    assert_eq!(a.spec.bandwidth_gbps, 1008.0);
    assert_eq!(a.gpus_used, ["NVIDIA GeForce RTX 4090"]);
}

#[test]
fn dual_gpu_box_adds_vram() {
    let (info, a) = machine("dual-rtx5090");
    assert_eq!(info.gpus.len(), 2);
    assert!(info
        .gpus
        .iter()
        .all(|g| g.memory_total_bytes == Some(32607 * MIB) && g.kind == GpuKind::Discrete));
    assert_eq!(info.gpus[1].bus.as_deref(), Some("0000:02:00.0"));
    assert_eq!(info.gpus[0].memory_free_bytes, Some(3617 * MIB));
    assert_eq!(a.spec.kind, MemoryKind::DiscreteGpu);
    assert_eq!(a.spec.gpu_count, 2);
    assert_eq!(a.spec.vram_bytes, 2 * 32607 * MIB);
    assert_eq!(a.capacity.fast_bytes, 2 * 32607 * MIB);
    assert_eq!(a.capacity.runtime_reserve, 2 * 457 * MIB);
    assert_eq!(catalog_id(&a), Some("rtx-5090"));
    assert!(
        a.summary.starts_with("2× NVIDIA GeForce RTX 5090"),
        "{}",
        a.summary
    );
}

#[test]
fn amd_discrete_without_catalog_row() {
    let (info, a) = machine("amd-rx7900xt");
    assert_eq!(info.gpus.len(), 1);
    let g = &info.gpus[0];
    // Navi 31 is one device ID for three cards; 20 GiB of VRAM makes it the 7900 XT.
    assert_eq!(g.name, "AMD Radeon RX 7900 XT");
    assert_eq!(g.kind, GpuKind::Discrete);
    assert_eq!(g.memory_total_bytes, Some(21_458_059_264));
    assert_eq!(g.memory_free_bytes, Some(21_458_059_264 - 27_856_896));
    assert_eq!(g.driver.as_deref(), Some("amdgpu"));
    assert_eq!(a.spec.kind, MemoryKind::DiscreteGpu);
    assert_eq!(a.spec.backend, Backend::Rocm);
    assert_eq!(a.spec.vram_bytes, 21_458_059_264);
    assert_eq!(a.capacity.fast_bytes, 21_458_059_264);
    // The catalog has the XTX, not the XT: no match, said so, nothing borrowed from the XTX.
    assert_eq!(catalog_id(&a), None);
    assert_eq!(a.spec.bandwidth_gbps, 0.0);
    assert!(
        a.assumptions
            .iter()
            .any(|s| s.contains("no catalog row for 'AMD Radeon RX 7900 XT'")),
        "{:?}",
        a.assumptions
    );
}

#[test]
fn strix_halo_with_a_96_gib_carve_out() {
    let (info, a) = machine("strix-halo-96gb-carveout");
    let g = &info.gpus[0];
    assert_eq!(g.kind, GpuKind::Integrated);
    assert_eq!(g.memory_total_bytes, Some(96 * GIB));
    assert_eq!(g.gtt_total_bytes, Some(108_000 * MIB));
    let seen = 32_112_640 * KIB; // 30.625 GiB: what `free` shows
    assert_eq!(info.memory.total_bytes, seen);
    assert_eq!(a.spec.kind, MemoryKind::Unified);
    assert_eq!(a.spec.backend, Backend::Vulkan);
    // Counted once: the OS's 30.6 GiB plus the 96 GiB it cannot see.
    assert_eq!(a.spec.ram_bytes, seen + 96 * GIB);
    assert_eq!(a.spec.vram_bytes, 0);
    // GPU: carve-out + GTT, GTT at most the OS-visible memory less the OS reserve.
    assert!(close(a.capacity.fast_bytes, 96 * GIB + seen - 2 * GIB));
    assert_eq!(catalog_id(&a), Some("framework-desktop-128gb"));
    assert_eq!(a.spec.bandwidth_gbps, 256.0);
}

#[test]
fn strix_halo_with_gtt_instead_of_carve_out() {
    let (info, a) = machine("strix-halo-z13-gtt");
    let g = &info.gpus[0];
    assert_eq!(g.memory_total_bytes, Some(4 * GIB));
    assert_eq!(g.gtt_total_bytes, Some(96 * GIB));
    assert_eq!(a.spec.kind, MemoryKind::Unified);
    assert_eq!(a.spec.ram_bytes, 128_456_704 * KIB + 4 * GIB);
    // 4 GiB carve-out + 96 GiB GTT: not 4 GiB, and not 126 GiB.
    assert!(close(a.capacity.fast_bytes, 100 * GIB));
    assert_eq!(catalog_id(&a), Some("framework-desktop-128gb"));
}

#[test]
fn intel_laptop_igpu_shares_ram() {
    let (info, a) = machine("intel-i5-1035g1-laptop");
    assert_eq!(info.gpus.len(), 1);
    let g = &info.gpus[0];
    assert_eq!(g.vendor, Vendor::Intel);
    assert_eq!(g.kind, GpuKind::Integrated);
    assert_eq!(g.name, "Intel UHD Graphics G1 (Ice Lake)");
    // No VRAM is invented for an iGPU.
    assert_eq!(g.memory_total_bytes, None);
    assert_eq!(info.memory.total_bytes, 14 * GIB);
    assert_eq!(info.cpu.physical_cores, Some(4));
    assert_eq!(info.cpu.logical_cores, Some(8));
    assert_eq!(a.spec.kind, MemoryKind::CpuOnly);
    assert_eq!(a.spec.vram_bytes, 0);
    assert_eq!(a.capacity.fast_bytes, 12 * GIB);
    assert_eq!(catalog_id(&a), Some("hp-laptop-i5-1035g1-14gb"));
    assert!(a
        .explain
        .iter()
        .any(|l| l.contains("Intel UHD Graphics G1") && l.contains("not counted")));
}

#[test]
fn dgx_spark_is_unified_not_gpu_less() {
    let (info, a) = machine("dgx-spark");
    assert_eq!(info.gpus.len(), 1);
    let g = &info.gpus[0];
    assert_eq!(g.name, "NVIDIA GB10");
    assert_eq!(g.kind, GpuKind::Unified);
    assert_eq!(g.memory_total_bytes, None);
    assert_eq!(g.bus.as_deref(), Some("000f:01:00.0"));
    assert_eq!(info.cpu.logical_cores, Some(20));
    assert_eq!(info.cpu.arch.as_deref(), Some("aarch64"));
    assert!(info.cpu.simd.iter().any(|s| s == "sve2"));
    assert_eq!(a.spec.kind, MemoryKind::Unified);
    assert_eq!(a.spec.backend, Backend::Cuda);
    assert_eq!(a.spec.ram_bytes, 127_600_748 * KIB);
    assert_eq!(a.capacity.fast_bytes, 127_600_748 * KIB - 2 * GIB);
    assert_eq!(catalog_id(&a), Some("dgx-spark-128gb"));
    assert_eq!(a.spec.bandwidth_gbps, 273.0);
}

#[test]
fn apple_m1_8gb_default_wired_limit() {
    let (info, a) = machine("apple-m1-8gb");
    assert_eq!(info.os, Os::Macos);
    assert_eq!(info.memory.total_bytes, 8 * GIB);
    assert_eq!(info.memory.swap_total_bytes, Some(2 * GIB));
    assert_eq!(info.gpus.len(), 1);
    assert_eq!(info.gpus[0].name, "Apple M1");
    assert_eq!(info.gpus[0].cores, Some(8));
    assert_eq!(info.gpus[0].kind, GpuKind::Unified);
    assert_eq!(info.platform.apple_wired_limit_mb, Some(0));
    assert_eq!(a.spec.kind, MemoryKind::Unified);
    assert_eq!(a.spec.backend, Backend::Metal);
    // Counted once, GPU share 2/3 (not 8 GiB of "VRAM" plus 8 GiB of RAM).
    assert_eq!(a.spec.vram_bytes, 0);
    assert!(close(a.capacity.fast_bytes, 8 * GIB * 2 / 3));
    assert_eq!(catalog_id(&a), Some("macbook-air-m1-8gb"));
}

#[test]
fn apple_m3_ultra_96gb() {
    let (info, a) = machine("apple-m3-ultra-96gb");
    assert_eq!(info.cpu.model.as_deref(), Some("Apple M3 Ultra"));
    assert_eq!(info.cpu.physical_cores, Some(28));
    assert_eq!(info.gpus[0].cores, Some(60));
    assert!(info.cpu.simd.iter().any(|s| s == "i8mm"));
    assert!(close(a.capacity.fast_bytes, 72 * GIB));
    assert_eq!(catalog_id(&a), Some("mac-studio-m3-ultra-96gb"));
    assert_eq!(a.spec.bandwidth_gbps, 819.0);
}

#[test]
fn apple_raised_wired_limit_is_used_but_not_past_the_os_reserve() {
    let (mut info, _) = machine("apple-m3-ultra-96gb");
    info.platform.apple_wired_limit_mb = Some(90_000);
    let a = assess(&info, DEFAULT_OS_RESERVE);
    assert!(close(a.capacity.fast_bytes, 90_000 * MIB));
    info.platform.apple_wired_limit_mb = Some(98_000);
    let a = assess(&info, DEFAULT_OS_RESERVE);
    assert!(close(a.capacity.fast_bytes, 94 * GIB));
}

#[test]
fn apple_m3_max_from_archspec_sysctl() {
    let (info, a) = machine("apple-m3-max-36gb");
    assert_eq!(info.memory.total_bytes, 36 * GIB);
    // No system_profiler output recorded: the GPU comes from the chip name, cores unknown.
    assert_eq!(info.gpus.len(), 1);
    assert_eq!(info.gpus[0].cores, None);
    assert!(info.unknown.iter().any(|u| u.contains("core count")));
    assert_eq!(info.cpu.simd, ["neon", "fp16", "dotprod", "i8mm", "bf16"]);
    assert!(close(a.capacity.fast_bytes, 24 * GIB));
    // 14 CPU cores: the 14-CPU/30-GPU M3 Max (300 GB/s), not the 16/40 one.
    assert_eq!(catalog_id(&a), Some("macbook-pro-m3-max-36gb"));
    assert_eq!(a.spec.bandwidth_gbps, 300.0);
}

#[test]
fn os_reserve_changes_cpu_and_unified_capacity() {
    let (info, _) = machine("dgx-spark");
    let a = assess(&info, 8 * GIB);
    assert_eq!(a.capacity.fast_bytes, 127_600_748 * KIB - 8 * GIB);
}

#[test]
fn missing_root_is_not_a_panic() {
    let info = detect(&Source::recorded(fixture("no-such-machine")));
    assert_eq!(info.memory.total_bytes, 0);
    assert!(info.unknown.iter().any(|u| u.contains("memory")));
    let a = assess(&info, DEFAULT_OS_RESERVE);
    assert_eq!(a.capacity.fast_bytes, 0);
}

#[test]
fn this_machine_detects_without_error() {
    // Whatever this machine is, detection finishes and finds its memory.
    let (info, a) = cabe_sys::this_machine(DEFAULT_OS_RESERVE);
    assert!(info.memory.total_bytes > 0);
    assert!(!a.summary.is_empty());
}
