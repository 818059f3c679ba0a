//! ACCURACY.md: every comparison, summaries per component and per architecture, the quantizer
//! mix checks, the observed logs, and plain words on where cabe is still off.

use crate::compare::{Bar, Component, Row};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The per-tensor check of one file type's mix against `llama-quantize --dry-run`.
#[derive(Clone, Debug)]
pub struct MixResult {
    pub arch: String,
    pub model: String,
    pub file_type: String,
    pub tensors: usize,
    /// (tensor, cabe's type, llama-quantize's type)
    pub mismatches: Vec<(String, String, String)>,
    /// Tensors one side has and the other has not.
    pub missing: Vec<String>,
    pub cabe_bytes: u64,
    pub llama_bytes: u64,
}

impl MixResult {
    pub fn pass(&self) -> bool {
        self.mismatches.is_empty() && self.missing.is_empty()
    }
}

/// Run facts printed in the header.
#[derive(Clone, Debug, Default)]
pub struct RunInfo {
    pub llama_version: String,
    pub matrix: String,
    pub loads: usize,
    pub loads_real: usize,
    pub projection_checks: usize,
    pub projection_mismatches: Vec<String>,
    pub wall_s: f64,
    pub load_wall_s: f64,
    pub cpu: String,
    /// Settings not run, and why.
    pub skipped: Vec<String>,
}

fn fmt_mib(x: f64) -> String {
    format!("{x:.2}")
}

fn fmt_err(r: &Row) -> String {
    let e = r.err_pct();
    if r.bar == Bar::Exact && r.pass {
        "0 (exact)".into()
    } else if e.abs() < 0.005 {
        "0.00%".into()
    } else {
        format!("{e:+.2}%")
    }
}

fn verdict(r: &Row) -> &'static str {
    match (r.bar, r.pass) {
        (Bar::Info, _) => "info",
        (_, true) => "ok",
        (_, false) => "**FAIL**",
    }
}

fn table_rows(out: &mut String, rows: &[&Row]) {
    out.push_str("| arch | model | file | setting | component | cabe MiB | llama.cpp MiB | error | bar | | source | notes |\n");
    out.push_str("|---|---|---|---|---|---:|---:|---:|---|---|---|---|\n");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.arch,
            r.model,
            r.file_type,
            r.setting,
            r.component.name(),
            fmt_mib(r.cabe_mib),
            fmt_mib(r.llama_mib),
            fmt_err(r),
            r.bar.label(),
            verdict(r),
            r.source,
            r.note.replace('|', "/")
        );
    }
}

struct Stats {
    n: usize,
    fail: usize,
    max_abs: f64,
    sum_abs: f64,
    exact: usize,
}

fn stats<'a>(rows: impl Iterator<Item = &'a Row>) -> Stats {
    let mut s = Stats {
        n: 0,
        fail: 0,
        max_abs: 0.0,
        sum_abs: 0.0,
        exact: 0,
    };
    for r in rows {
        s.n += 1;
        if !r.pass {
            s.fail += 1;
        }
        let e = r.err_pct().abs();
        s.max_abs = s.max_abs.max(e);
        s.sum_abs += e;
        // An exact-bar row passes only when every printed figure matched (per cache for KV).
        if (r.bar == Bar::Exact && r.pass) || crate::compare::same_printed(r.cabe_mib, r.llama_mib)
        {
            s.exact += 1;
        }
    }
    s
}

/// Plain words on what cabe's model does not capture, kept next to the code that knows.
pub const KNOWN_LIMITS: &[&str] = &[
    "**Compute buffer (CPU)** is a formula that follows llama.cpp's graph allocator (see `crates/cabe-core/src/plan.rs`): the largest of the logits stage, the attention stage and the FFN stage of one micro-batch, each on top of what is still alive when it is allocated. The allocator's placement (which free block a tensor lands in) is not modelled tensor by tensor, so small and odd-shaped models land a few percent off; the ±10% bar holds on the matrix.",
    "**GPU compute buffers** (CUDA, Metal, Hexagon rows from users' logs) are a different allocation: other kernels (cuBLAS/FA tiles), graph splits between devices, and host staging buffers. cabe's CPU-derived figure is shown next to them for information only.",
    "**Weights on CPU with extra buffer types**: llama.cpp's CPU backend copies repackable tensors (Q4_0, Q4_K, IQ4_NL, Q8_0) into a `CPU_REPACK` or, on this Xeon, `AMX` buffer (in the AMX layout larger than in the file) while the mmapped file stays mapped, so its printed model buffers add up to more than the file (Qwen2.5-0.5B Q4_K_M: 225.48 + 373.71 MiB for a 373.71 MiB file). That is a CPU-only choice (`--no-repack` turns it off; GPUs hold the file's bytes); the harness loads quantized files with `--no-repack`, and cabe reports the file's weights.",
    "**Catalog weights** miss small optional tensors that real conversions carry and cabe's layouts omit (e.g. Llama 3's `rope_freqs`, a few biases): well under 0.1%.",
];

#[allow(clippy::too_many_arguments)]
pub fn render(
    info: &RunInfo,
    rows: &[Row],
    observed: &[Row],
    mixes: &[MixResult],
    not_checked: &[(u32, &str)],
) -> String {
    let mut out = String::new();
    out.push_str("# ACCURACY — cabe against a real llama.cpp\n\n");
    out.push_str("Generated by `tools/truth.sh` (the `cabe-truth` harness, `crates/cabe-truth`); do not edit by hand. ");
    out.push_str("How it works: [docs/ground-truth.md](docs/ground-truth.md).\n\n");
    let _ = writeln!(
        out,
        "- llama.cpp: {} (CPU backend, built by `tools/llama-cpp.sh`), on {}",
        info.llama_version, info.cpu
    );
    let _ = writeln!(
        out,
        "- matrix: **{}** — {} loads ({} really allocated, the rest llama.cpp's own `no_alloc` projection because they exceed this machine's 16 GiB load limit), {} quantizer mixes, {} observed rows; {} comparisons",
        info.matrix,
        info.loads,
        info.loads_real,
        mixes.len(),
        observed.len(),
        rows.len() + observed.len()
    );
    let _ = writeln!(
        out,
        "- llama.cpp's projection equals its real allocation (KV, recurrent, compute, output) in {}/{} loads that have both{}",
        info.projection_checks - info.projection_mismatches.len(),
        info.projection_checks,
        if info.projection_mismatches.is_empty() {
            String::new()
        } else {
            format!(" (differs: {})", info.projection_mismatches.join("; "))
        }
    );
    let _ = writeln!(
        out,
        "- time: this report {:.0} s (llama.cpp logs are cached per build, file and setting); the {} loads took {:.0} s of llama.cpp when measured\n",
        info.wall_s, info.loads, info.load_wall_s
    );
    out.push_str("What is compared: every load is a GGUF generated from a catalog model (its metadata as llama.cpp's loader reads it, a real tokenizer, cabe's own tensor list with zero-filled data) or a real `llama-quantize` output of one. *weights (file)* is cabe's figure from the file's header; *weights (catalog)* is `for_file_type` from the catalog alone. For generated BF16 files the two share cabe's tensor list, so they show that llama.cpp accepts that list (its loader refuses missing, extra or misshaped tensors) and allocates exactly it; the independent checks of the catalog path are the real quantized files and the tensor-by-tensor quantizer-mix table. Each load runs the front end its setting names, and cabe sizes it with that runtime's rule (`cabe_engine::Runtime`, `--runtime` on the command line): `llama-completion` by default (it reserves logits for every token of the micro-batch); settings marked `llama-server` or `llama-cli`, and every unified multi-sequence cache (`-kvu`), run those front ends (logits for one token per slot).\n\n");
    out.push_str("Bars: KV cache and recurrent state exact; weights within 0.5% from a file and 3% from the catalog; compute buffer within 10% (CPU); total within 3%. llama.cpp prints MiB with two decimals, so \"exact\" means the same cells and layers and the same printed MiB.\n\n");

    // Summary per component.
    out.push_str("## Summary per component\n\n");
    out.push_str("| component | bar | comparisons | failing | exact | max \\|error\\| | mean \\|error\\| |\n|---|---|---:|---:|---:|---:|---:|\n");
    let mut by_comp: BTreeMap<Component, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by_comp.entry(r.component).or_default().push(r);
    }
    for (c, rs) in &by_comp {
        let s = stats(rs.iter().copied());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.2}% | {:.2}% |",
            c.name(),
            rs[0].bar.label(),
            s.n,
            s.fail,
            s.exact,
            s.max_abs,
            s.sum_abs / s.n.max(1) as f64
        );
    }
    let mix_fail = mixes.iter().filter(|m| !m.pass()).count();
    let _ = writeln!(
        out,
        "| quantizer mix (tensor types) | every tensor | {} | {} | {} | | |",
        mixes.len(),
        mix_fail,
        mixes.len() - mix_fail
    );

    // Summary per architecture.
    out.push_str("\n## Summary per architecture\n\nMax |error| per component (CPU loads); `—` where the component does not apply.\n\n");
    let comps = [
        Component::Weights,
        Component::WeightsCatalog,
        Component::Kv,
        Component::Recurrent,
        Component::Compute,
        Component::Output,
        Component::Total,
    ];
    out.push_str("| arch | models | loads | failing |");
    for c in comps {
        let _ = write!(out, " {} |", c.name());
    }
    out.push_str("\n|---|---|---:|---:|");
    for _ in comps {
        out.push_str("---:|");
    }
    out.push('\n');
    let mut by_arch: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by_arch.entry(r.arch.as_str()).or_default().push(r);
    }
    for (a, rs) in &by_arch {
        let mut models: Vec<&str> = rs.iter().map(|r| r.model.as_str()).collect();
        models.sort();
        models.dedup();
        let loads = rs
            .iter()
            .filter(|r| r.component == Component::Compute)
            .count();
        let fail = rs.iter().filter(|r| !r.pass).count();
        let _ = write!(
            out,
            "| {} | {} | {} | {} |",
            a,
            models.join(", "),
            loads,
            fail
        );
        for c in comps {
            let s = stats(rs.iter().copied().filter(|r| r.component == c));
            if s.n == 0 {
                out.push_str(" — |");
            } else {
                let _ = write!(out, " {:.2}% |", s.max_abs);
            }
        }
        out.push('\n');
    }

    // Where cabe is off.
    out.push_str("\n## Where cabe is still off, and why\n\n");
    let failing: Vec<&Row> = rows.iter().chain(observed).filter(|r| !r.pass).collect();
    if failing.is_empty() && mix_fail == 0 {
        out.push_str("Every comparison meets its bar.\n\n");
    } else {
        let _ = writeln!(
            out,
            "Missing their bar: {} comparison(s) and {} quantizer mix(es), marked **FAIL** in the tables below.\n",
            failing.len(),
            mix_fail
        );
    }
    for r in &failing {
        let _ = writeln!(
            out,
            "- **{} {}, {}** ({}): cabe {:.2} MiB, llama.cpp {:.2} MiB ({:+.2}%). {}",
            r.model,
            r.component.name(),
            r.setting,
            r.source,
            r.cabe_mib,
            r.llama_mib,
            r.err_pct(),
            r.note
        );
    }
    // The compute buffers furthest from llama.cpp's, in plain figures.
    let mut worst: Vec<&Row> = rows
        .iter()
        .filter(|r| r.component == Component::Compute)
        .collect();
    worst.sort_by(|a, b| b.err_pct().abs().total_cmp(&a.err_pct().abs()));
    let mut seen = Vec::new();
    let mut lines = Vec::new();
    for r in worst {
        if seen.contains(&r.model.as_str()) || lines.len() == 4 {
            continue;
        }
        seen.push(r.model.as_str());
        lines.push(format!(
            "{} {} ({:.2} vs {:.2} MiB, {:+.1}%)",
            r.model,
            r.setting,
            r.cabe_mib,
            r.llama_mib,
            r.err_pct()
        ));
    }
    if !lines.is_empty() {
        let _ = writeln!(
            out,
            "- Compute buffers furthest from llama.cpp's: {}.",
            lines.join("; ")
        );
    }
    for l in KNOWN_LIMITS {
        let _ = writeln!(out, "- {l}");
    }
    if !info.skipped.is_empty() {
        out.push_str("\nNot run:\n\n");
        for x in &info.skipped {
            let _ = writeln!(out, "- {x}");
        }
    }

    // Quantizer mixes.
    out.push_str("\n## Quantizer mix: cabe's `for_file_type` against `llama-quantize --dry-run`, tensor by tensor\n\n");
    out.push_str("The source is the generated BF16 file; llama-quantize prints the type it would give every tensor without writing one.\n\n");
    out.push_str("| arch | model | file type | tensors | mismatched | cabe MiB | llama-quantize MiB | error | |\n|---|---|---|---:|---:|---:|---:|---:|---|\n");
    for m in mixes {
        let e = if m.llama_bytes == 0 {
            0.0
        } else {
            (m.cabe_bytes as f64 - m.llama_bytes as f64) / m.llama_bytes as f64 * 100.0
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.2} | {:.2} | {:+.3}% | {} |",
            m.arch,
            m.model,
            m.file_type,
            m.tensors,
            m.mismatches.len() + m.missing.len(),
            m.cabe_bytes as f64 / crate::compare::MIB,
            m.llama_bytes as f64 / crate::compare::MIB,
            e,
            if m.pass() { "ok" } else { "**FAIL**" }
        );
    }
    let bad: Vec<&MixResult> = mixes.iter().filter(|m| !m.pass()).collect();
    if !bad.is_empty() {
        out.push_str("\nMismatched tensors (first 10 per mix): tensor — cabe → llama-quantize\n\n");
        for m in bad {
            let _ = writeln!(out, "- {} {}:", m.model, m.file_type);
            for (n, a, b) in m.mismatches.iter().take(10) {
                let _ = writeln!(out, "  - `{n}` — {a} → {b}");
            }
            for n in m.missing.iter().take(10) {
                let _ = writeln!(out, "  - `{n}` — present on one side only");
            }
        }
    }

    // Observed.
    out.push_str("\n## Observed logs from other machines (`observed_buffers.md`)\n\n");
    out.push_str("cabe given the same model (catalog, or the shape the log reveals) and settings. KV and output buffers do not depend on the backend and are held to the exact bar; GPU compute buffers are shown with their backend, for information.\n\n");
    let obs: Vec<&Row> = observed.iter().collect();
    table_rows(&mut out, &obs);
    out.push_str("\nNot checked:\n\n");
    for (n, why) in not_checked {
        let _ = writeln!(out, "- row {n}: {why}");
    }

    // Every row.
    out.push_str("\n## Every comparison (CPU, this machine)\n\n");
    out.push_str("`real`: llama.cpp allocated the buffers (compute buffers then from the 4-decimal figure its destructor prints); `projected`: its `no_alloc` pass (the `-fit` projection; weights then come from its breakdown table in whole MiB).\n\n");
    let all: Vec<&Row> = rows.iter().collect();
    table_rows(&mut out, &all);
    out
}
