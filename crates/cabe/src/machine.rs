//! Which machine to fit against: a catalog id, a bare memory size, or this machine.

use crate::cli::MachineArgs;
use anyhow::{Context, Result};
use cabe_core::hardware::HardwareSpec;
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
        this_machine(os_reserve)
    };
    let capacity = capacity(&spec, os_reserve);
    Ok(Machine {
        spec,
        capacity,
        description,
    })
}

/// This machine as `cabe-sys` detects it: its GPUs and their memory, unified memory counted
/// once (less the OS reserve and Apple's GPU wired limit), APU carve-out + GTT, discrete VRAM
/// beside RAM; bandwidth and compute from the matched catalog row. `CABE_MACHINE_ROOT=DIR`
/// reads a recorded machine tree instead (see `tests/fixtures/machines`).
fn this_machine(os_reserve: u64) -> (HardwareSpec, String) {
    let src = match std::env::var_os("CABE_MACHINE_ROOT") {
        Some(root) => cabe_sys::Source::recorded(std::path::PathBuf::from(root)),
        None => cabe_sys::Source::live(),
    };
    let info = cabe_sys::detect(&src);
    let a = cabe_sys::assess(&info, os_reserve);
    let mut description = format!("this machine: {}", a.summary);
    if info.memory.total_bytes == 0 {
        description.push_str(" (memory could not be read; use --memory or --on)");
    } else {
        description.push_str(" (detected; `cabe system` shows how)");
    }
    (a.spec, description)
}
