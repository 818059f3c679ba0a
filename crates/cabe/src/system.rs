//! `cabe system`: what cabe detects about this machine and how much memory a model may use.

use crate::cli::SystemArgs;
use anyhow::{Context, Result};
use cabe_core::hardware::MemoryKind;
use cabe_core::plan::DEFAULT_OS_RESERVE;
use cabe_core::units::parse_size;
use cabe_i18n::Lang;
use cabe_sys::{Assessment, Source, SystemInfo};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use serde_json::json;

/// The OS reserve from `--os-reserve`, or cabe's default.
pub fn os_reserve(arg: &Option<String>) -> Result<u64> {
    Ok(match arg {
        Some(s) => {
            parse_size(s, false)
                .map_err(anyhow::Error::msg)
                .context("--os-reserve")?
                .0
        }
        None => DEFAULT_OS_RESERVE,
    })
}

/// This machine, or the recorded tree `root` (`cabe system --root`, `CABE_MACHINE_ROOT`).
pub fn source(root: Option<&std::path::Path>) -> Result<Source> {
    match root {
        Some(r) => {
            if !r.is_dir() {
                anyhow::bail!(t!("system-err-root", path = r.display().to_string()));
            }
            Ok(Source::recorded(r))
        }
        None => Ok(Source::live()),
    }
}

/// What `cabe system --json` prints for these arguments; with `l` other than English, the
/// machine's one-line summary worded in `l` (`cabe serve`'s answer to `GET
/// /api/system?lang=es`), the rest the same in every language.
pub fn json_in(a: &SystemArgs, l: Lang) -> Result<serde_json::Value> {
    let (info, machine) = detect(a)?;
    let mut v = to_json(&info, &machine);
    if l != Lang::En {
        v["machine"]["summary"] = json!(summary(&info, &machine, l));
    }
    Ok(v)
}

fn detect(a: &SystemArgs) -> Result<(SystemInfo, Assessment)> {
    let reserve = os_reserve(&a.os_reserve)?;
    let src = source(a.root.as_deref())?;
    let info = cabe_sys::detect(&src);
    let machine = cabe_sys::assess(&info, reserve);
    Ok((info, machine))
}

fn to_json(info: &SystemInfo, machine: &Assessment) -> serde_json::Value {
    json!({
        "system": info,
        "machine": machine,
        "usable_bytes": machine.capacity.fast_bytes,
        "usable_with_offload_bytes": machine.capacity.total_bytes,
    })
}

pub fn run(a: &SystemArgs) -> Result<()> {
    let (info, machine) = detect(a)?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&info, &machine))?
        );
    } else {
        print_human(&info, &machine);
    }
    Ok(())
}

fn opt_bytes(b: Option<u64>, l: Lang) -> String {
    b.map_or_else(|| "—".to_string(), |b| l.bytes(b))
}

/// The machine's one-line summary (`cabe_sys`'s, which `--json` carries) in `l`, from the
/// same figures.
pub fn summary(info: &SystemInfo, m: &Assessment, l: Lang) -> String {
    if l == Lang::En {
        return m.summary.clone();
    }
    let ram = l.bytes(m.spec.ram_bytes);
    match m.spec.kind {
        MemoryKind::DiscreteGpu => {
            let names = &m.gpus_used;
            let gpus = if names.len() > 1 && names.iter().all(|n| n == &names[0]) {
                format!("{}× {}", names.len(), names[0])
            } else {
                names.join(" + ")
            };
            t!(
                in l,
                "system-summary-discrete",
                gpus = gpus,
                vram = l.bytes(m.spec.vram_bytes),
                ram = ram,
                backend = m.spec.backend.name()
            )
        }
        MemoryKind::Unified => t!(
            in l,
            "system-summary-unified",
            gpu = m.gpus_used.first().cloned().unwrap_or_default(),
            ram = ram,
            backend = m.spec.backend.name()
        ),
        MemoryKind::CpuOnly => t!(
            in l,
            "system-summary-cpu",
            cpu = info.cpu.model.clone().unwrap_or_else(|| "CPU".into()),
            ram = ram
        ),
    }
}

/// `s` split at the literal `parts` in order (`parts[0]` a prefix, the last a suffix): the
/// text between them.
fn captures<'a>(s: &'a str, parts: &[&str]) -> Option<Vec<&'a str>> {
    let mut rest = s.strip_prefix(parts[0])?;
    let mut out = Vec::new();
    for (i, p) in parts.iter().enumerate().skip(1) {
        if i == parts.len() - 1 && p.is_empty() {
            out.push(rest);
            return Some(out);
        }
        let at = if i == parts.len() - 1 {
            rest.strip_suffix(p).map(str::len)?
        } else {
            rest.find(p)?
        };
        out.push(&rest[..at]);
        rest = &rest[at + p.len()..];
    }
    rest.is_empty().then_some(out)
}

/// English figures inside detected text (`62.5 GiB`, `1,024`) in `l`'s numbers.
fn figures(s: &str, l: Lang) -> String {
    if l == Lang::En {
        return s.to_string();
    }
    let c: Vec<char> = s.chars().collect();
    let digit = |i: usize| c.get(i).is_some_and(|ch| ch.is_ascii_digit());
    let mut out = String::with_capacity(s.len());
    for (i, ch) in c.iter().enumerate() {
        let between = i > 0 && digit(i - 1) && digit(i + 1);
        match ch {
            '.' if between => out.push(','),
            ',' if between => out.push('.'),
            _ => out.push(*ch),
        }
    }
    out
}

/// A line `cabe_sys` and `cabe_core` write in English about how memory was counted, what was
/// assumed or unknown, and how each source answered, in `l`; a line not recognised stays as
/// it is.
fn sys_line(line: &str, l: Lang) -> String {
    if l == Lang::En {
        return line.to_string();
    }
    let f = |s: &str| figures(s, l);
    let exact: &[(&str, &str)] = &[
        ("system memory size", "system-unknown-memory"),
        ("CPU model", "system-unknown-cpu"),
        ("Apple GPU core count", "system-unknown-apple-cores"),
        (
            "system RAM bandwidth (for layers offloaded to the CPU) is not detected",
            "system-assumed-ram-bw",
        ),
        (
            "system memory could not be read: usable memory is 0",
            "system-assumed-no-memory",
        ),
        ("NVML: loaded, no NVIDIA GPU", "system-checked-nvml-none"),
        (
            "nvidia-smi: not found or failed",
            "system-checked-smi-failed",
        ),
        ("/proc/meminfo: unreadable", "system-checked-meminfo"),
        ("/proc/cpuinfo: unreadable", "system-checked-cpuinfo"),
        ("/sys/class/drm: no GPU", "system-checked-drm-none"),
        ("sysctl -a: no output", "system-checked-sysctl"),
    ];
    for (en, id) in exact {
        if line == *en {
            return crate::i18n::CATALOG.get(l, id, &[]);
        }
    }
    if let Some(c) = captures(
        line,
        &[
            "no usable GPU: the model runs from system RAM, ",
            " (MemTotal)",
        ],
    ) {
        return t!(in l, "system-explain-cpu", ram = f(c[0]));
    }
    if let Some(c) = captures(
        line,
        &[
            "discrete GPU memory: ",
            " = ",
            " VRAM; system RAM ",
            " counted separately (MemTotal)",
        ],
    ) {
        return t!(
            in l,
            "system-explain-discrete",
            parts = f(c[0]),
            vram = f(c[1]),
            ram = f(c[2])
        );
    }
    if let Some(c) = captures(
        line,
        &["", ": CPU and GPU share one pool; the driver reports no framebuffer, so memory is the system's ", " (MemTotal), counted once"],
    ) {
        return t!(in l, "system-explain-nv-unified", gpu = c[0], ram = f(c[1]));
    }
    if let Some(c) = captures(
        line,
        &[
            "",
            " unified memory counted once (hw.memsize); GPU wired limit ",
            " (",
            "); less the ",
            " OS reserve: ",
            "",
        ],
    ) {
        let how = match captures(
            c[2],
            &[
                "macOS default ",
                " of unified memory ",
                " 36 GB (iogpu.wired_limit_mb unset)",
            ],
        ) {
            Some(h) => t!(
                in l,
                "system-apple-default",
                share = h[0],
                above = if h[1] == "above" { "yes" } else { "no" }
            ),
            None => c[2].to_string(),
        };
        return t!(
            in l,
            "system-explain-apple",
            ram = f(c[0]),
            limit = f(c[1]),
            how = how,
            reserve = f(c[3]),
            left = f(c[4])
        );
    }
    if let Some(c) = captures(
        line,
        &[
            "APU, one pool counted once: ",
            " seen by the OS (MemTotal) + ",
            " BIOS carve-out (mem_info_vram_total) = ",
            "",
        ],
    ) {
        return t!(
            in l,
            "system-explain-apu",
            seen = f(c[0]),
            carve = f(c[1]),
            ram = f(c[2])
        );
    }
    if let Some(c) = captures(
        line,
        &[
            "the GPU may use the carve-out ",
            " + GTT ",
            " (mem_info_gtt_total, at most the OS-visible ",
            " less the ",
            " OS reserve) = ",
            "",
        ],
    ) {
        return t!(
            in l,
            "system-explain-gtt",
            carve = f(c[0]),
            gtt = f(c[1]),
            seen = f(c[2]),
            reserve = f(c[3]),
            limit = f(c[4])
        );
    }
    if let Some(c) = captures(line, &["", " memory − ", " OS reserve = ", ""]) {
        return t!(
            in l,
            "system-explain-reserve",
            ram = f(c[0]),
            reserve = f(c[1]),
            left = f(c[2])
        );
    }
    if let Some(c) = captures(
        line,
        &[
            "",
            " VRAM over ",
            " GPU(s); with CPU offload + ",
            " RAM − ",
            " OS reserve = ",
            "",
        ],
    ) {
        return t!(
            in l,
            "system-explain-vram",
            vram = f(c[0]),
            gpus = c[1],
            ram = f(c[2]),
            reserve = f(c[3]),
            total = f(c[4])
        );
    }
    if let Some(c) = captures(line, &["", " not counted: ", ""]) {
        let why = match c[1] {
            "an integrated GPU sharing system memory (counted once, as RAM); sized as a CPU run" => {
                t!(in l, "system-why-intel")
            }
            "an integrated GPU; llama.cpp runs on the discrete GPU(s)" => {
                t!(in l, "system-why-integrated")
            }
            "its memory is unknown" => t!(in l, "system-why-unknown"),
            "not the GPU(s) the model would run on" => t!(in l, "system-why-other"),
            other => other.to_string(),
        };
        return t!(in l, "system-not-counted", gpu = c[0], why = why);
    }
    if let Some(c) = captures(
        line,
        &[
            "no catalog row for CPU '",
            "': assumed ",
            " GB/s memory bandwidth (dual-channel DDR4-3200, catalog row ",
            ")",
        ],
    ) {
        return t!(in l, "system-assumed-cpu-row", cpu = c[0], bw = f(c[1]), row = c[2]);
    }
    if let Some(c) = captures(
        line,
        &[
            "no catalog row for '",
            "' with ",
            ": its bandwidth and compute are unknown",
        ],
    ) {
        return t!(in l, "system-assumed-no-gpu-row", gpu = c[0], bytes = f(c[1]));
    }
    if let Some(c) = captures(
        line,
        &["no catalog row for '", "': bandwidth and compute unknown"],
    ) {
        return t!(in l, "system-assumed-no-row", name = c[0]);
    }
    if let Some(c) = captures(line, &["memory of ", " (not reported by ", ")"]) {
        return t!(in l, "system-unknown-gpu-memory", gpu = c[0], source = c[1]);
    }
    if let Some(c) = captures(line, &["GPUs other than NVIDIA's are not detected on ", ""]) {
        return t!(in l, "system-unknown-other-gpus", os = c[0]);
    }
    if let Some(c) = captures(line, &["", ": NVIDIA card in sysfs but neither NVML nor nvidia-smi answered, so its memory is unknown"]) {
        return t!(in l, "system-unknown-nvidia", gpu = c[0]);
    }
    if let Some(c) = captures(
        line,
        &[
            "",
            ": no NVIDIA driver library, or none usable (not an error)",
        ],
    ) {
        return t!(in l, "system-checked-no-nvml", error = c[0]);
    }
    if let Some(c) = captures(line, &["", ": ", " NVIDIA GPU(s)"]) {
        if let Ok(n) = c[1].parse::<u32>() {
            return t!(in l, "system-checked-nvidia", source = c[0], n = n);
        }
    }
    if let Some(c) = captures(line, &["/sys/class/drm: ", " GPU(s)"]) {
        if let Ok(n) = c[0].parse::<u32>() {
            return t!(in l, "system-checked-drm", n = n);
        }
    }
    if let Some(c) = captures(line, &["", ": no output"]) {
        return t!(in l, "system-checked-no-output", source = c[0]);
    }
    line.to_string()
}

/// What the catalog row was matched on (`cabe_sys`'s words) in `l`.
fn matched_on(s: &str, l: Lang) -> String {
    if l == Lang::En {
        return s.to_string();
    }
    if let Some(c) = captures(s, &["GPU '", "' (the slowest of ", "; per-GPU figures)"]) {
        return t!(in l, "system-matched-slowest", gpu = c[0], n = c[1]);
    }
    if let Some(c) = captures(s, &["GPU '", "'"]) {
        return t!(in l, "system-matched-gpu", gpu = c[0]);
    }
    if let Some(c) = captures(s, &["CPU '", "'"]) {
        return t!(in l, "system-matched-cpu", cpu = c[0]);
    }
    if let Some(c) = captures(s, &["chip '", "'", ""]) {
        let mut out = t!(in l, "system-matched-chip", chip = c[0]);
        let mut rest = c[1];
        if let Some(r) = rest.strip_prefix(", ") {
            if let Some((n, r2)) = r.split_once(" GPU cores") {
                out.push_str(&t!(in l, "system-matched-cores", n = n));
                rest = r2;
            }
        }
        if let Some(b) = captures(
            rest,
            &[
                " (no row with ",
                ": bandwidth taken from the same chip's row)",
            ],
        ) {
            out.push_str(&t!(in l, "system-matched-same-chip", bytes = figures(b[0], l)));
        } else {
            out.push_str(rest);
        }
        return out;
    }
    s.to_string()
}

fn print_human(info: &SystemInfo, m: &Assessment) {
    let l = crate::i18n::lang();
    let source = match info.source.strip_prefix("recorded: ") {
        _ if info.source == "this machine" => t!("system-source-live"),
        Some(p) => t!("system-source-recorded", path = p),
        None => info.source.clone(),
    };
    println!("{source} ({})", info.os.name());
    let c = &info.cpu;
    let mut cpu = vec![c
        .model
        .clone()
        .unwrap_or_else(|| t!("system-unknown-cpu-name"))];
    match (c.physical_cores, c.logical_cores) {
        (Some(p), Some(n)) if p != n => {
            cpu.push(t!("system-cores-threads", cores = p, threads = n))
        }
        (_, Some(n)) => cpu.push(t!("system-cores", cores = n)),
        _ => {}
    }
    if let Some(arch) = &c.arch {
        cpu.push(arch.clone());
    }
    if !c.simd.is_empty() {
        cpu.push(c.simd.join(" "));
    }
    const LABELS: [&str; 10] = [
        "system-label-cpu",
        "system-label-memory",
        "system-label-model",
        "system-label-gpus",
        "system-label-machine",
        "system-label-usable",
        "system-label-speed",
        "system-label-assumed",
        "system-label-unknown",
        "system-label-checked",
    ];
    // The labels make a column: nine wide in English, as wide as the longest needs.
    let width = LABELS
        .iter()
        .map(|id| crate::i18n::CATALOG.get(l, id, &[]).chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(9);
    let label = |id: &str| {
        let w = crate::i18n::CATALOG.get(l, id, &[]);
        let pad = width - w.chars().count();
        format!("{w}{}", " ".repeat(pad))
    };
    println!("{}{}", label("system-label-cpu"), cpu.join(" · "));
    let mem = &info.memory;
    let mut line = t!("system-mem-total", bytes = l.bytes(mem.total_bytes));
    if let Some(av) = mem.available_bytes {
        line.push_str(&t!("system-mem-available", bytes = l.bytes(av)));
    }
    if let Some(sw) = mem.swap_total_bytes {
        line.push_str(&t!(
            "system-mem-swap",
            bytes = l.bytes(sw),
            free = mem.swap_free_bytes.map_or(String::new(), |f| t!(
                "system-mem-swap-free",
                bytes = l.bytes(f)
            ))
        ));
    }
    println!("{}{line}", label("system-label-memory"));
    if let Some(model) = &info.platform.model {
        println!("{}{model}", label("system-label-model"));
    }
    if info.gpus.is_empty() {
        println!("{}{}", label("system-label-gpus"), t!("system-gpus-none"));
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec![
            "GPU".to_string(),
            t!("system-col-kind"),
            t!("system-col-memory"),
            t!("system-col-free"),
            "GTT".to_string(),
            t!("system-col-driver"),
            t!("system-col-from"),
        ]);
        for g in &info.gpus {
            let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
            let kind = match g.kind {
                cabe_sys::GpuKind::Discrete => t!("system-kind-discrete"),
                cabe_sys::GpuKind::Integrated => t!("system-kind-integrated"),
                cabe_sys::GpuKind::Unified => t!("system-kind-unified"),
            };
            let memory = match (g.memory_total_bytes, g.kind) {
                (None, cabe_sys::GpuKind::Discrete) => t!("system-memory-unknown"),
                (None, _) => t!("system-memory-shared"),
                (Some(b), _) => l.bytes(b),
            };
            let mut name = g.name.clone();
            if let Some(c) = g.cores {
                name.push_str(&t!("system-gpu-cores", cores = c));
            }
            t.add_row(vec![
                Cell::new(name),
                Cell::new(kind),
                right(memory),
                right(opt_bytes(g.memory_free_bytes, l)),
                right(opt_bytes(g.gtt_total_bytes, l)),
                Cell::new(g.driver.clone().unwrap_or_default()),
                Cell::new(&g.source),
            ]);
        }
        println!("{t}");
    }
    println!();
    println!("{}{}", label("system-label-machine"), summary(info, m, l));
    let cap = &m.capacity;
    let usable = match m.spec.kind {
        MemoryKind::DiscreteGpu => t!(
            "system-usable-discrete",
            fast = l.bytes(cap.fast_bytes),
            total = l.bytes(cap.total_bytes),
            reserve = l.bytes(cap.os_reserve)
        ),
        MemoryKind::Unified => t!(
            "system-usable-unified",
            fast = l.bytes(cap.fast_bytes),
            ram = l.bytes(m.spec.ram_bytes),
            kept = l.bytes(m.spec.ram_bytes.saturating_sub(cap.fast_bytes))
        ),
        MemoryKind::CpuOnly => t!(
            "system-usable-cpu",
            fast = l.bytes(cap.fast_bytes),
            ram = l.bytes(m.spec.ram_bytes),
            reserve = l.bytes(cap.os_reserve)
        ),
    };
    println!("{}{usable}", label("system-label-usable"));
    let speed = if m.spec.bandwidth_gbps > 0.0 {
        let mut s = format!("{} GB/s", figures(&m.spec.bandwidth_gbps.to_string(), l));
        if let Some(tf) = m.spec.fp16_tflops {
            s.push_str(&format!(", FP16 {} TFLOPS", figures(&tf.to_string(), l)));
        }
        s
    } else {
        t!("system-bandwidth-unknown")
    };
    match &m.catalog {
        Some(c) => println!(
            "{}{}",
            label("system-label-speed"),
            t!(
                "system-speed-catalog",
                speed = speed,
                id = &c.id,
                name = &c.name,
                on = matched_on(&c.matched_on, l)
            )
        ),
        None => println!(
            "{}{}",
            label("system-label-speed"),
            t!("system-speed-no-match", speed = speed)
        ),
    }
    // The capacity's own steps close the list (unless the GPU's share was found another
    // way): those are worded from their figures.
    let cap_lines = if m.spec.gpu_memory_fraction.is_none() {
        crate::explain_text::capacity_lines(&m.capacity, l)
    } else {
        Vec::new()
    };
    let n = m.explain.len();
    let k = m.capacity.explain.len();
    let own = if k > 0 && cap_lines.len() == k && m.explain.ends_with(&m.capacity.explain) {
        n - k
    } else {
        n
    };
    for x in &m.explain[..own] {
        println!("  · {}", sys_line(x, l));
    }
    if own < n {
        for x in &cap_lines {
            println!("  · {x}");
        }
    }
    for x in &m.assumptions {
        println!("{}{}", label("system-label-assumed"), sys_line(x, l));
    }
    for x in &info.unknown {
        println!("{}{}", label("system-label-unknown"), sys_line(x, l));
    }
    for x in &info.notes {
        println!("{}{}", label("system-label-checked"), sys_line(x, l));
    }
}
