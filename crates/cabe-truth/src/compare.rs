//! cabe's figures against llama.cpp's, component by component, with the bars.
//!
//! llama.cpp prints sizes in MiB with two decimals (0.01 MiB = 10,486 bytes), so that is the
//! resolution of every comparison. "Exact" means: the same integers (cells, layers) and the
//! same printed MiB figure — which for a KV cache (cells × layers × a row size) leaves no room
//! for a difference of even one row.

use crate::estimate::Estimate;
use crate::logparse::LoadReport;
use serde::Serialize;

pub const MIB: f64 = 1048576.0;

/// How close cabe must be.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Bar {
    /// Equal to llama.cpp's printed precision (and equal counts).
    Exact,
    /// Within this many percent of llama.cpp's figure.
    Pct(f64),
    /// Reported, not enforced (other backends, old llama.cpp versions, unidentified models).
    Info,
}

impl Bar {
    pub fn label(self) -> String {
        match self {
            Bar::Exact => "exact".into(),
            Bar::Pct(p) => format!("±{p}%"),
            Bar::Info => "info".into(),
        }
    }
}

/// Which component of the memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Component {
    Weights,
    WeightsCatalog,
    Kv,
    Recurrent,
    Compute,
    Output,
    Total,
    TotalCatalog,
}

impl Component {
    pub fn name(self) -> &'static str {
        match self {
            Component::Weights => "weights (file)",
            Component::WeightsCatalog => "weights (catalog)",
            Component::Kv => "KV cache",
            Component::Recurrent => "recurrent state",
            Component::Compute => "compute buffer",
            Component::Output => "output buffer",
            Component::Total => "total (file)",
            Component::TotalCatalog => "total (catalog)",
        }
    }
}

/// One comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub arch: String,
    pub model: String,
    /// File type of the loaded file (BF16, Q4_K_M, …) or the observed file.
    pub file_type: String,
    pub setting: String,
    pub component: Component,
    /// Backend whose buffers were measured (CPU here; CUDA/Metal/… for observed logs).
    pub backend: String,
    pub cabe_mib: f64,
    pub llama_mib: f64,
    pub bar: Bar,
    pub pass: bool,
    /// Where llama.cpp's figure comes from: "real" allocation, "projected" (llama.cpp's own
    /// no_alloc pass, for loads too big for this machine), or an observed log's source.
    pub source: String,
    pub note: String,
}

impl Row {
    /// Signed error in percent of llama.cpp's figure.
    pub fn err_pct(&self) -> f64 {
        if self.llama_mib == 0.0 {
            if self.cabe_mib.abs() < 0.005 {
                0.0
            } else {
                100.0
            }
        } else {
            (self.cabe_mib - self.llama_mib) / self.llama_mib * 100.0
        }
    }
}

/// Equal at llama.cpp's printed precision (two decimals; the KV `size =` line is computed in
/// f32, so allow its rounding on large figures).
pub fn same_printed(cabe_mib: f64, llama_mib: f64) -> bool {
    (cabe_mib - llama_mib).abs() <= 0.005 + llama_mib.abs() * 2e-7
}

pub fn check(bar: Bar, cabe_mib: f64, llama_mib: f64) -> bool {
    match bar {
        Bar::Exact => same_printed(cabe_mib, llama_mib),
        Bar::Pct(p) => {
            if llama_mib == 0.0 {
                cabe_mib.abs() < 0.005
            } else {
                ((cabe_mib - llama_mib) / llama_mib * 100.0).abs() <= p
            }
        }
        Bar::Info => true,
    }
}

/// Labels shared by a case's rows.
#[derive(Clone, Debug)]
pub struct CaseInfo {
    pub arch: String,
    pub model: String,
    pub file_type: String,
    pub setting: String,
    pub source: String,
}

fn row(
    c: &CaseInfo,
    component: Component,
    bar: Bar,
    cabe_bytes: u64,
    llama_mib: f64,
    note: String,
) -> Row {
    let cabe_mib = cabe_bytes as f64 / MIB;
    Row {
        arch: c.arch.clone(),
        model: c.model.clone(),
        file_type: c.file_type.clone(),
        setting: c.setting.clone(),
        component,
        backend: "CPU".into(),
        cabe_mib,
        llama_mib,
        bar,
        pass: check(bar, cabe_mib, llama_mib),
        source: c.source.clone(),
        note,
    }
}

fn mib(b: u64) -> f64 {
    b as f64 / MIB
}

/// The KV row: totals, and K, V, cells and layers of each cache (non-SWA first, then SWA).
fn kv_row(c: &CaseInfo, e: &Estimate, r: &LoadReport) -> Row {
    let llama_total: f64 = r.kv_sizes.iter().map(|k| k.k_mib + k.v_mib).sum();
    let mut row = row(
        c,
        Component::Kv,
        Bar::Exact,
        e.kv_k + e.kv_v,
        llama_total,
        String::new(),
    );
    let mut problems = Vec::new();
    // Each cache's K and V against the figures llama.cpp printed for it (summing printed,
    // rounded figures first would add their rounding).
    let caches: Vec<(f64, f64)> = r
        .kv_sizes
        .iter()
        .filter(|k| k.layers > 0)
        .map(|k| (k.k_mib, k.v_mib))
        .collect();
    if caches.len() != e.caches.len() {
        problems.push(format!(
            "{} caches in cabe, {} in llama.cpp",
            e.caches.len(),
            caches.len()
        ));
    }
    for (i, ((ck, cv), (lk, lv))) in e.caches.iter().zip(&caches).enumerate() {
        if !same_printed(mib(*ck), *lk) || !same_printed(mib(*cv), *lv) {
            problems.push(format!(
                "cache {i}: K {:.2} / V {:.2} vs llama.cpp {lk:.2} / {lv:.2} MiB",
                mib(*ck),
                mib(*cv)
            ));
        }
    }
    // Cells and layers per cache. An iswa cache prints the non-SWA cache first.
    let mut expect: Vec<(u64, u64)> = Vec::new();
    if e.kv_layers > 0 {
        expect.push((e.cells, e.kv_layers));
    }
    if e.swa_layers > 0 {
        expect.push((e.swa_cells, e.swa_layers));
    }
    let got: Vec<(u64, u64)> = r
        .kv_sizes
        .iter()
        .map(|k| (k.cells * k.streams.unwrap_or(1), k.layers))
        .filter(|&(_, l)| l > 0)
        .collect();
    if got != expect {
        problems.push(format!("cells×layers cabe {expect:?} vs llama.cpp {got:?}"));
    }
    let desc: Vec<String> = r
        .kv_sizes
        .iter()
        .map(|k| {
            format!(
                "{} cells × {} layers{}",
                k.cells,
                k.layers,
                k.streams
                    .filter(|&s| s > 1)
                    .map_or(String::new(), |s| format!(" × {s} streams"))
            )
        })
        .collect();
    row.note = desc.join(" + ");
    row.pass = problems.is_empty();
    if !problems.is_empty() {
        row.pass = false;
        row.note = format!("{}; {}", row.note, problems.join("; "));
    }
    row
}

/// All rows for one load: the file path's estimate, and the catalog path's where given.
pub fn compare_load(
    c: &CaseInfo,
    file: &Estimate,
    catalog: Option<&Estimate>,
    r: &LoadReport,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let model = r.model_mib();
    // The projection pass reports its weights only in the breakdown table (whole MiB).
    let (model, model_note) = if r.projected {
        let m: u64 = r.breakdown.iter().map(|b| b.model).sum();
        (m as f64, "projection's breakdown (whole MiB)".to_string())
    } else {
        let names: Vec<&str> = r.model_buffers.iter().map(|b| b.name.as_str()).collect();
        (model, names.join(" + "))
    };
    // Weights in whole MiB cannot meet 0.5% on a model under 200 MiB; all cases are larger.
    rows.push(row(
        c,
        Component::Weights,
        Bar::Pct(0.5),
        file.weights,
        model,
        model_note.clone(),
    ));
    if let Some(cat) = catalog {
        rows.push(row(
            c,
            Component::WeightsCatalog,
            Bar::Pct(3.0),
            cat.weights,
            model,
            model_note,
        ));
    }
    if !r.kv_sizes.is_empty() || file.kv_k + file.kv_v > 0 {
        rows.push(kv_row(c, file, r));
        if let Some(cat) = catalog {
            if (cat.kv_k, cat.kv_v, cat.cells, cat.swa_cells)
                != (file.kv_k, file.kv_v, file.cells, file.swa_cells)
            {
                let mut x = kv_row(c, cat, r);
                x.note = format!("catalog spec: {}", x.note);
                rows.push(x);
            }
        }
    }
    if !r.rs_sizes.is_empty() || file.recurrent > 0 {
        let llama: f64 = r.rs_sizes.iter().map(|x| x.r_mib + x.s_mib).sum();
        let note = r
            .rs_sizes
            .iter()
            .map(|x| format!("{} cells, R {:.2} + S {:.2} MiB", x.cells, x.r_mib, x.s_mib))
            .collect::<Vec<_>>()
            .join("; ");
        rows.push(row(
            c,
            Component::Recurrent,
            Bar::Exact,
            file.recurrent,
            llama,
            note,
        ));
    }
    rows.push(row(
        c,
        Component::Compute,
        Bar::Pct(10.0),
        file.compute,
        r.compute_mib(),
        String::new(),
    ));
    rows.push(row(
        c,
        Component::Output,
        Bar::Exact,
        file.output,
        r.output_mib(),
        String::new(),
    ));
    let llama_total = model + r.kv_mib() + r.rs_mib() + r.compute_mib() + r.output_mib();
    rows.push(row(
        c,
        Component::Total,
        Bar::Pct(3.0),
        file.total,
        llama_total,
        String::new(),
    ));
    if let Some(cat) = catalog {
        rows.push(row(
            c,
            Component::TotalCatalog,
            Bar::Pct(3.0),
            cat.total,
            llama_total,
            String::new(),
        ));
    }
    rows
}
