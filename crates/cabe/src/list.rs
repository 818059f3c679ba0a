//! `cabe models` and `cabe hardware`: the built-in catalogs.

use crate::cli::ListArgs;
use anyhow::Result;
use cabe_core::hardware::MemoryKind;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use serde_json::json;

fn matches(filter: &Option<String>, fields: &[&str]) -> bool {
    match filter {
        None => true,
        Some(f) => {
            let f = f.to_ascii_lowercase();
            fields.iter().any(|x| x.to_ascii_lowercase().contains(&f))
        }
    }
}

fn model_rows(filter: &Option<String>) -> Vec<&'static cabe_catalog::ModelEntry> {
    cabe_catalog::models()
        .iter()
        .filter(|m| matches(filter, &[&m.id, &m.name, &m.hf_id]))
        .collect()
}

/// The array `cabe models --json` prints (and `cabe serve`'s `/api/models`).
pub fn models_json(filter: &Option<String>) -> serde_json::Value {
    model_rows(filter)
        .iter()
        .map(|m| json!({"id": m.id, "name": m.name, "hf_id": m.hf_id, "architecture": m.spec.architecture,
            "params_b": m.params_b, "active_params_b": m.active_params_b, "native_ctx": m.spec.native_ctx,
            "n_layer": m.spec.n_layer(), "aliases": m.aliases, "source": m.source}))
        .collect()
}

pub fn models(a: &ListArgs) -> Result<()> {
    if a.json {
        println!("{}", serde_json::to_string_pretty(&models_json(&a.filter))?);
        return Ok(());
    }
    let rows = model_rows(&a.filter);
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        t!("list-col-id"),
        t!("list-col-arch"),
        t!("list-col-params"),
        t!("list-col-native-ctx"),
        t!("list-col-layers"),
        t!("list-col-name"),
    ]);
    let l = crate::i18n::lang();
    for m in &rows {
        let params = match m.active_params_b {
            Some(act) => t!(
                "list-params-active",
                total = l.dec(m.params_b, 1),
                active = l.dec(act, 1)
            ),
            None => t!("list-params", total = l.dec(m.params_b, 2)),
        };
        t.add_row(vec![
            m.id.clone(),
            m.spec.architecture.clone(),
            params,
            l.int(m.spec.native_ctx),
            m.spec.n_layer().to_string(),
            m.name.clone(),
        ]);
    }
    println!("{t}");
    println!("{}", t!("list-models-count", n = rows.len()));
    Ok(())
}

fn hardware_rows(filter: &Option<String>) -> Vec<&'static cabe_catalog::HardwareEntry> {
    cabe_catalog::hardware()
        .iter()
        .filter(|h| matches(filter, &[&h.id, &h.name]))
        .collect()
}

/// The array `cabe hardware --json` prints (and `cabe serve`'s `/api/hardware`).
pub fn hardware_json(filter: &Option<String>) -> serde_json::Value {
    hardware_rows(filter)
        .iter()
        .map(|h| json!({"id": h.id, "name": h.name, "spec": h.spec, "source": h.source}))
        .collect()
}

pub fn hardware(a: &ListArgs) -> Result<()> {
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&hardware_json(&a.filter))?
        );
        return Ok(());
    }
    let rows = hardware_rows(&a.filter);
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        t!("list-col-id"),
        t!("list-col-memory"),
        "GB/s".into(),
        "FP16 TFLOPS".into(),
        t!("list-col-price"),
        t!("list-col-name"),
    ]);
    let l = crate::i18n::lang();
    for h in &rows {
        let s = &h.spec;
        // English keeps its ungrouped figures (`1008`); Spanish groups from five digits.
        let n0 = |x: f64| {
            if l == cabe_i18n::Lang::En {
                format!("{x:.0}")
            } else {
                l.dec(x, 0)
            }
        };
        let gib = |b: u64| n0(b as f64 / (1u64 << 30) as f64);
        let memory = match s.kind {
            MemoryKind::DiscreteGpu => t!(
                "list-mem-discrete",
                vram = gib(s.vram_bytes),
                ram = gib(s.ram_bytes)
            ),
            MemoryKind::Unified => t!("list-mem-unified", ram = gib(s.ram_bytes)),
            MemoryKind::CpuOnly => t!("list-mem-cpu", ram = gib(s.ram_bytes)),
        };
        t.add_row(vec![
            h.id.clone(),
            memory,
            n0(s.bandwidth_gbps),
            s.fp16_tflops.map_or("-".into(), |x| l.dec(x, 1)),
            s.price_usd.map_or("-".into(), |x| format!("${}", n0(x))),
            h.name.clone(),
        ]);
    }
    println!("{t}");
    println!("{}", t!("list-machines-count", n = rows.len()));
    Ok(())
}
