//! Which machine to fit against: a catalog id, a bare memory size, or this machine.

use crate::cli::MachineArgs;
use anyhow::{Context, Result};
use cabe_core::hardware::HardwareSpec;
use cabe_core::plan::{capacity, Capacity, DEFAULT_OS_RESERVE};
use cabe_core::units::SizeUnit;
use cabe_i18n::Lang;

pub struct Machine {
    pub spec: HardwareSpec,
    pub capacity: Capacity,
    /// How the machine was chosen, in words ("--memory 64GB read as 64 GiB (as sold)"), in
    /// English: what `--json` carries.
    pub description: String,
    /// The same in this run's language, for the human output.
    pub local: String,
    /// This machine's one-line summary in this run's language (`None` for another machine).
    pub summary: Option<String>,
}

/// How the machine was chosen, to be put in words in a language.
enum How {
    Catalog {
        name: String,
        id: String,
    },
    AsSold {
        given: String,
        bytes: u64,
    },
    Si {
        given: String,
        bytes: u64,
    },
    Memory {
        given: String,
        bytes: u64,
    },
    /// This machine: what `cabe_sys` detected and made of it (its summary from the figures).
    This {
        info: Box<cabe_sys::SystemInfo>,
        assessment: Box<cabe_sys::Assessment>,
        unreadable: bool,
    },
}

impl How {
    fn words(&self, l: Lang) -> String {
        match self {
            How::Catalog { name, id } => t!(in l, "machine-catalog", name = name, id = id),
            How::AsSold { given, bytes } => {
                t!(in l, "machine-memory-as-sold", given = given, bytes = l.bytes(*bytes))
            }
            How::Si { given, bytes } => t!(
                in l,
                "machine-memory-si",
                given = given,
                bytes_raw = bytes.to_string()
            ),
            How::Memory { given, bytes } => {
                t!(in l, "machine-memory", given = given, bytes = l.bytes(*bytes))
            }
            How::This {
                info,
                assessment,
                unreadable,
            } => {
                let summary = crate::system::summary(info, assessment, l);
                t!(in l, "machine-this", summary = summary)
                    + &if *unreadable {
                        t!(in l, "machine-unreadable")
                    } else {
                        t!(in l, "machine-detected")
                    }
            }
        }
    }
}

pub fn resolve(a: &MachineArgs) -> Result<Machine> {
    let os_reserve = match &a.os_reserve {
        Some(s) => crate::flags::size(s, a.si).context("--os-reserve")?.0,
        None => DEFAULT_OS_RESERVE,
    };
    let (spec, how) = if let Some(id) = &a.on {
        let e = cabe_catalog::find_hardware(id)?;
        (
            e.spec.clone(),
            How::Catalog {
                name: e.name.to_string(),
                id: e.id.to_string(),
            },
        )
    } else if let Some(m) = &a.memory {
        let (bytes, unit) = crate::flags::size(m, a.si).context("--memory")?;
        if bytes == 0 {
            return Err(msg!("error-memory-zero").into());
        }
        let given = m.clone();
        let how = match unit {
            SizeUnit::MarketingGb => How::AsSold { given, bytes },
            SizeUnit::Decimal => How::Si { given, bytes },
            _ => How::Memory { given, bytes },
        };
        (HardwareSpec::from_memory(bytes), how)
    } else {
        this_machine(os_reserve)
    };
    let capacity = capacity(&spec, os_reserve);
    let l = crate::i18n::lang();
    let summary = match &how {
        How::This {
            info, assessment, ..
        } => Some(crate::system::summary(info, assessment, l)),
        _ => None,
    };
    Ok(Machine {
        spec,
        capacity,
        description: how.words(Lang::En),
        local: how.words(l),
        summary,
    })
}

/// This machine as `cabe-sys` detects it: its GPUs and their memory, unified memory counted
/// once (less the OS reserve and Apple's GPU wired limit), APU carve-out + GTT, discrete VRAM
/// beside RAM; bandwidth and compute from the matched catalog row. `CABE_MACHINE_ROOT=DIR`
/// reads a recorded machine tree instead (see `tests/fixtures/machines`).
fn this_machine(os_reserve: u64) -> (HardwareSpec, How) {
    let src = match std::env::var_os("CABE_MACHINE_ROOT") {
        Some(root) => cabe_sys::Source::recorded(std::path::PathBuf::from(root)),
        None => cabe_sys::Source::live(),
    };
    let info = cabe_sys::detect(&src);
    let a = cabe_sys::assess(&info, os_reserve);
    let spec = a.spec.clone();
    let how = How::This {
        unreadable: info.memory.total_bytes == 0,
        info: Box::new(info),
        assessment: Box::new(a),
    };
    (spec, how)
}
