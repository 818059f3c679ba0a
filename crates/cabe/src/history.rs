//! `cabe history`: the bench runs stored in the data dir, newest first, with the correction
//! they give later predictions.

use anyhow::Result;
use cabe_bench::store::Store;
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Show at most this many runs (0: all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print one JSON object with every measurement.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &HistoryArgs) -> Result<()> {
    let path = cabe_bench::datadir::history_path().map_err(anyhow::Error::msg)?;
    let store = Store::open_existing(&path)?;
    let runs = match &store {
        Some(s) => s.runs(a.limit)?,
        None => Vec::new(),
    };
    if a.json {
        let out = serde_json::json!({ "path": path, "runs": runs });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if runs.is_empty() {
        println!("{}", t!("history-empty", path = path.display().to_string()));
        return Ok(());
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        t!("history-col-run"),
        t!("history-col-when"),
        t!("history-col-server"),
        t!("history-col-model"),
        t!("history-col-prompts"),
        t!("history-col-prefill"),
        t!("history-col-decode"),
        t!("history-col-machine"),
        t!("history-col-basis"),
    ]);
    let l = crate::i18n::lang();
    let x = |r: Option<f64>| r.map_or("–".to_string(), |v| l.dec(v, 2));
    for r in &runs {
        let sizes: Vec<String> = r.rows.iter().map(|m| l.int(m.prompt_tokens)).collect();
        t.add_row(vec![
            Cell::new(r.id).set_alignment(CellAlignment::Right),
            Cell::new(cabe_bench::time::date_time(r.finished_at)),
            Cell::new(&r.meta.server),
            Cell::new(format!(
                "{}{}",
                r.meta.model,
                r.meta
                    .quant
                    .as_deref()
                    .map(|q| format!(" ({q})"))
                    .unwrap_or_default()
            )),
            Cell::new(sizes.join(", ")),
            Cell::new(x(r.prefill_ratio)).set_alignment(CellAlignment::Right),
            Cell::new(x(r.decode_ratio)).set_alignment(CellAlignment::Right),
            Cell::new(format!("{} ({})", r.meta.machine, r.meta.backend)),
            Cell::new(&r.meta.basis),
        ]);
    }
    println!("{t}");
    println!("  {}", t!("history-legend"));
    println!("  {}", path.display());
    Ok(())
}
