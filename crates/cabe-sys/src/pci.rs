//! PCI IDs of GPUs whose name or kind sysfs does not say.
//!
//! sysfs gives vendor and device IDs, not marketing names, and nothing says whether an AMD GPU
//! is an APU. Names follow the PCI ID database (pci.ids) device strings as `lspci -nn` prints
//! them. IDs checked against public `lspci -nn` output: 1002:1586 (Strix Halo), 1002:744c
//! (Navi 31), 8086:8a56 (Ice Lake G1), 10de:2684 (AD102 RTX 4090). The other rows are
//! best-effort; an AMD GPU missing here is taken as an APU only when its carve-out is 512 MiB
//! or less, and an Intel GPU missing here as integrated.

#[derive(Clone, Copy, Debug)]
pub struct Known {
    pub name: &'static str,
    pub integrated: bool,
}

const fn k(name: &'static str, integrated: bool) -> Known {
    Known { name, integrated }
}

pub fn lookup(vendor: u64, device: u64) -> Option<Known> {
    Some(match (vendor, device) {
        // AMD APUs (integrated).
        (0x1002, 0x1586) => k("AMD Radeon 8060S / 8050S (Strix Halo, Ryzen AI Max)", true),
        (0x1002, 0x150e) => k("AMD Radeon 890M / 880M (Strix Point)", true),
        (0x1002, 0x1114) => k("AMD Radeon 860M / 840M (Krackan Point)", true),
        (0x1002, 0x15bf) => k("AMD Radeon 780M / 760M (Phoenix)", true),
        (0x1002, 0x15c8) => k("AMD Radeon 740M (Phoenix2)", true),
        (0x1002, 0x1681) => k("AMD Radeon 680M / 660M (Rembrandt)", true),
        (0x1002, 0x164e) => k("AMD Radeon Graphics (Raphael / Granite Ridge)", true),
        (0x1002, 0x1636) => k("AMD Radeon Graphics (Renoir)", true),
        (0x1002, 0x1638) => k("AMD Radeon Graphics (Cezanne)", true),
        (0x1002, 0x164c) => k("AMD Radeon Graphics (Lucienne)", true),
        (0x1002, 0x15e7) => k("AMD Radeon Graphics (Barcelo)", true),
        (0x1002, 0x163f) => k("AMD Custom GPU 0405 (Van Gogh)", true),
        (0x1002, 0x1506) => k("AMD Radeon 610M (Mendocino)", true),
        (0x1002, 0x15d8) => k("AMD Radeon Vega (Picasso)", true),
        (0x1002, 0x15dd) => k("AMD Radeon Vega (Raven Ridge)", true),
        // AMD discrete. Navi 31 is one ID for three cards; VRAM tells them apart.
        (0x1002, 0x744c) => k(
            "AMD Radeon RX 7900 XTX / 7900 XT / 7900 GRE (Navi 31)",
            false,
        ),
        (0x1002, 0x7448) => k("AMD Radeon PRO W7900 (Navi 31)", false),
        (0x1002, 0x747e) => k("AMD Radeon RX 7800 XT / 7700 XT (Navi 32)", false),
        (0x1002, 0x7480) => k("AMD Radeon RX 7600 XT / 7600 (Navi 33)", false),
        (0x1002, 0x7550) => k("AMD Radeon RX 9070 XT / 9070 (Navi 48)", false),
        (0x1002, 0x73bf) => k("AMD Radeon RX 6900 XT / 6800 XT / 6800 (Navi 21)", false),
        (0x1002, 0x74a1) => k("AMD Instinct MI300X", false),
        (0x1002, 0x74a5) => k("AMD Instinct MI325X", false),
        (0x1002, 0x740c) => k("AMD Instinct MI250X / MI250", false),
        // Intel.
        (0x8086, 0x8a56) => k("Intel UHD Graphics G1 (Ice Lake)", true),
        (0x8086, 0x8a5a) => k("Intel Iris Plus Graphics G4 (Ice Lake)", true),
        (0x8086, 0x8a52) => k("Intel Iris Plus Graphics G7 (Ice Lake)", true),
        (0x8086, 0x56a0) => k("Intel Arc A770", false),
        (0x8086, 0x56a1) => k("Intel Arc A750", false),
        (0x8086, 0xe20b) => k("Intel Arc B580", false),
        (0x8086, 0xe20c) => k("Intel Arc B570", false),
        // NVIDIA (for a card seen in sysfs whose driver library is absent).
        (0x10de, 0x2684) => k("NVIDIA GeForce RTX 4090", false),
        (0x10de, 0x2204) => k("NVIDIA GeForce RTX 3090", false),
        _ => return None,
    })
}

/// The name of an AMD card whose device ID covers several cards, told apart by VRAM (GiB,
/// rounded): Navi 31 (0x744c) is the RX 7900 XTX with 24 GiB, the XT with 20, the GRE with 16.
pub fn amd_model_by_vram(device: u64, vram_gib: u64) -> Option<&'static str> {
    Some(match (device, vram_gib) {
        (0x744c, 24) => "AMD Radeon RX 7900 XTX",
        (0x744c, 20) => "AMD Radeon RX 7900 XT",
        (0x744c, 16) => "AMD Radeon RX 7900 GRE",
        (0x7448, 48) => "AMD Radeon PRO W7900",
        (0x747e, 16) => "AMD Radeon RX 7800 XT",
        (0x747e, 12) => "AMD Radeon RX 7700 XT",
        (0x7480, 16) => "AMD Radeon RX 7600 XT",
        (0x7480, 8) => "AMD Radeon RX 7600",
        (0x74a1, _) => "AMD Instinct MI300X",
        (0x74a5, _) => "AMD Instinct MI325X",
        (0x740c, _) => "AMD Instinct MI250X / MI250",
        _ => return None,
    })
}
