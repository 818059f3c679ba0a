//! Which machine to fit against: a catalog id, a bare memory size, or this machine.

use crate::cli::MachineArgs;
use anyhow::{Context, Result};
use cabe_core::hardware::{Backend, HardwareSpec, MemoryKind};
use cabe_core::plan::{capacity, Capacity, DEFAULT_OS_RESERVE};
use cabe_core::units::{fmt_bytes, parse_size, SizeUnit};

pub struct Machine {
    pub spec: HardwareSpec,
    pub capacity: Capacity,
    /// How the machine was chosen, in words ("--memory 64GB read as 64 GiB (as sold)").
    pub description: String,
}

pub fn resolve(a: &MachineArgs) -> Result<Machine> {
    let os_reserve = match &a.os_reserve {
        Some(s) => {
            parse_size(s, a.si)
                .map_err(anyhow::Error::msg)
                .context("--os-reserve")?
                .0
        }
        None => DEFAULT_OS_RESERVE,
    };
    let (spec, description) = if let Some(id) = &a.on {
        let e = cabe_catalog::find_hardware(id)?;
        (e.spec.clone(), format!("{} (catalog: {})", e.name, e.id))
    } else if let Some(m) = &a.memory {
        let (bytes, unit) = parse_size(m, a.si)
            .map_err(anyhow::Error::msg)
            .context("--memory")?;
        if bytes == 0 {
            anyhow::bail!("--memory must be more than 0");
        }
        let how = match unit {
            SizeUnit::MarketingGb => format!(
                "--memory {m} read as {} (memory is sold in GiB; --si for 10^9)",
                fmt_bytes(bytes)
            ),
            SizeUnit::Decimal => format!("--memory {m} read as {bytes} bytes (SI)"),
            _ => format!("--memory {m} = {}", fmt_bytes(bytes)),
        };
        (HardwareSpec::from_memory(bytes), how)
    } else {
        this_machine()
    };
    let capacity = capacity(&spec, os_reserve);
    Ok(Machine {
        spec,
        capacity,
        description,
    })
}

/// This machine, as far as cabe can tell without GPU detection: its RAM, run from the CPU.
fn this_machine() -> (HardwareSpec, String) {
    let mut sys = sysinfo::System::new();
    sys.refresh_memory();
    let total = sys.total_memory();
    let mut spec = HardwareSpec::from_memory(total);
    spec.id = "this-machine".into();
    spec.name = "this machine".into();
    spec.kind = MemoryKind::CpuOnly;
    spec.backend = Backend::Cpu;
    (
        spec,
        format!(
            "this machine: {} RAM (GPU detection is not built yet: sized as a CPU run; use --on or --memory)",
            fmt_bytes(total)
        ),
    )
}
