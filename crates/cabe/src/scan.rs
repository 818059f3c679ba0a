//! `cabe scan`: the models already on disk (or at URLs), read from their headers, judged
//! against this machine.

use crate::cli::{CtxChoice, ScanArgs};
use crate::system;
use anyhow::{bail, Result};
use cabe_core::plan::Verdict;
use cabe_core::speed::Placement;
use cabe_i18n::{Arg, Lang};
use cabe_scan::http::RemoteLimits;
use cabe_scan::locate::{classify, default_roots, discover, Root};
use cabe_scan::{Candidate, Fit, Format, ReadError, Scanned, Store};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// A file given directly: a GGUF, or a safetensors file whose folder is the model.
fn file_candidate(p: PathBuf) -> Result<Candidate> {
    let name = p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if name.ends_with(".safetensors") {
        let dir = p.parent().map(PathBuf::from).unwrap_or_default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|f| f.extension().is_some_and(|x| x == "safetensors"))
            .collect();
        files.sort();
        return Ok(Candidate {
            name,
            store: Store::Folder,
            format: Format::Safetensors,
            path: dir,
            files,
        });
    }
    Ok(Candidate {
        name,
        store: Store::Folder,
        format: Format::Gguf,
        path: p.clone(),
        files: vec![p],
    })
}

struct Row {
    model: Scanned,
    fit: Fit,
    /// Decode tok/s with an empty context (typical), when the model fits in fast memory and
    /// the bandwidth is known.
    decode: Option<cabe_core::speed::Range>,
}

pub fn run(a: &ScanArgs) -> Result<()> {
    let l = crate::i18n::lang();
    // Errors in this run's language; `--json` keeps English.
    let el = if a.json { Lang::En } else { l };
    let settings = a.runtime.settings();
    let reserve = system::os_reserve(&a.os_reserve)?;
    let src = system::source(a.root.as_deref())?;
    let info = cabe_sys::detect(&src);
    let machine = cabe_sys::assess(&info, reserve);
    // Predictions come from the same basis as `fit`'s on this machine (its calibration and
    // bench history included).
    let (basis, _) = crate::calibrate::corrected_basis(&crate::machine::Machine {
        spec: machine.spec.clone(),
        capacity: machine.capacity.clone(),
        description: machine.summary.clone(),
        local: machine.summary.clone(),
        summary: Some(machine.summary.clone()),
    });

    let mut roots: Vec<Root> = Vec::new();
    let mut direct: Vec<Candidate> = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    for p in &a.paths {
        if is_url(p) {
            urls.push(p.clone());
            continue;
        }
        let path = PathBuf::from(p);
        if path.is_dir() {
            roots.push(Root {
                store: classify(&path),
                path,
            });
        } else if path.is_file() {
            direct.push(file_candidate(path)?);
        } else if let Some(kind) = std::fs::metadata(&path)
            .ok()
            .and_then(|m| cabe_gguf::special_file_kind(m.file_type()))
        {
            // A FIFO or device is refused, not read (reading one blocks or never ends).
            bail!(t!(in el, "scan-err-special", path = p, kind = kind.to_string()));
        } else {
            bail!(t!(in el, "scan-err-missing", path = p));
        }
    }
    let searched_defaults = a.paths.is_empty() || a.defaults;
    if searched_defaults {
        roots.extend(default_roots());
    }

    let started = Instant::now();
    // Each file skipped: its English line (`--json`'s) and its line in this run's language.
    let mut found_errors: Vec<String> = Vec::new();
    let mut candidates = direct;
    for r in &roots {
        candidates.extend(discover(r, a.max_depth, &mut found_errors));
    }
    let mut errors: Vec<(String, String)> =
        found_errors.into_iter().map(|e| (e.clone(), e)).collect();
    // The same file reached twice (a store given and also a default) is read once.
    let mut seen = HashSet::new();
    candidates.retain(|c| seen.insert(c.path.canonicalize().unwrap_or_else(|_| c.path.clone())));

    let total = (candidates.len() + urls.len()) as u64;
    let bar = if a.json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(total);
        b.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {} {{pos}}/{{len}} {{wide_bar}} {{msg}}",
                t!(in l, "scan-progress")
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let mut rows = Vec::new();
    let mut bytes_read = 0u64;
    let mut push = |r: std::result::Result<Scanned, ReadError>,
                    what: &str,
                    errors: &mut Vec<(String, String)>| match r {
        Ok(m) => {
            bytes_read += m.bytes_read;
            // The engine's memory assessment, as `fit` makes it (a model that does not
            // say its native context is judged at 256 tokens).
            let req = cabe_engine::Request {
                spec: &m.spec,
                weights: &m.weights,
                hardware: &machine.spec,
                capacity: &machine.capacity,
                settings: settings.clone(),
                ctx: match a.ctx {
                    CtxChoice::Native if m.spec.native_ctx == 0 => CtxChoice::Tokens(256),
                    c => c,
                },
                workload: Default::default(),
            };
            let mem = match cabe_engine::assess_memory(&req) {
                Ok(mem) => mem,
                Err(e) => {
                    let e = e.to_string();
                    errors.push((format!("{what}: {e}"), format!("{what}: {e}")));
                    return;
                }
            };
            let fit = Fit {
                ctx: mem.ctx,
                total_bytes: mem.plan.memory.total_bytes,
                verdict: mem.plan.verdict,
                max_ctx: mem.max_ctx,
            };
            let decode = (fit.verdict == Verdict::Fits && m.weights.bytes_active > 0)
                .then(|| {
                    basis
                        .predict(
                            &m.spec,
                            &m.weights,
                            &mem.profile,
                            Placement::default(),
                            0,
                            512,
                        )
                        .decode
                })
                .flatten();
            rows.push(Row {
                model: m,
                fit,
                decode,
            });
        }
        // A remote read's error names its URL already.
        Err(e) if what.is_empty() => errors.push((e.to_string(), read_error(&e, l))),
        Err(e) => errors.push((
            format!("{what}: {e}"),
            format!("{what}: {}", read_error(&e, l)),
        )),
    };
    for c in &candidates {
        bar.set_message(c.name.clone());
        push(cabe_scan::read_local(c), &c.name, &mut errors);
        bar.inc(1);
    }
    let limits = RemoteLimits {
        timeout: Duration::from_secs(a.timeout.max(1)),
        ..RemoteLimits::default()
    };
    for u in &urls {
        bar.set_message(u.clone());
        push(
            cabe_scan::read_url(u, &limits).map_err(ReadError::Other),
            "",
            &mut errors,
        );
        bar.inc(1);
    }
    bar.finish_and_clear();
    let elapsed = started.elapsed();

    if a.json {
        let models: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "name": r.model.name,
                    "store": r.model.store,
                    "format": r.model.format,
                    "location": r.model.location,
                    "architecture": r.model.architecture,
                    "quant": r.model.quant,
                    "params_total": r.model.weights.params_total,
                    "params_active": r.model.weights.params_active,
                    "file_bytes": r.model.file_bytes,
                    "weights_bytes": r.model.weights.bytes,
                    "native_ctx": r.model.native_ctx,
                    "ctx": r.fit.ctx,
                    "total_bytes": r.fit.total_bytes,
                    "verdict": verdict_word(r.fit.verdict),
                    "max_ctx": r.fit.max_ctx,
                    "decode_tps": r.decode,
                    "bytes_read": r.model.bytes_read,
                })
            })
            .collect();
        let out = json!({
            "machine": {
                "summary": machine.summary,
                "usable_bytes": machine.capacity.fast_bytes,
                "usable_with_offload_bytes": machine.capacity.total_bytes,
                "bandwidth_gbps": machine.spec.bandwidth_gbps,
            },
            "searched": roots.iter().map(|r| json!({"path": r.path, "store": r.store})).collect::<Vec<_>>(),
            "models": models,
            "errors": errors.iter().map(|(en, _)| en).collect::<Vec<_>>(),
            "files_read": total,
            "bytes_read": bytes_read,
            "seconds": elapsed.as_secs_f64(),
            "decode_speed_note": SPEED_NOTE,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }

    println!(
        "{}",
        t!(in l, "scan-on", machine = system::summary(&info, &machine, l))
    );
    if roots.is_empty() && urls.is_empty() && candidates.is_empty() {
        println!("{}", t!(in l, "scan-no-stores"));
    } else if !roots.is_empty() {
        let where_: Vec<String> = roots
            .iter()
            .map(|r| format!("{} ({})", r.path.display(), r.store.name()))
            .collect();
        println!("{}", t!(in l, "scan-searched", places = where_.join(", ")));
    }
    if rows.is_empty() {
        println!("{}", t!(in l, "scan-no-models"));
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec![
            t!(in l, "scan-col-model"),
            t!(in l, "scan-col-from"),
            t!(in l, "scan-col-arch"),
            t!(in l, "scan-col-size"),
            t!(in l, "scan-col-quant"),
            t!(in l, "scan-col-native"),
            t!(in l, "scan-col-max"),
            t!(in l, "scan-col-decode"),
            t!(in l, "scan-col-verdict"),
        ]);
        for r in &rows {
            let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
            t.add_row(vec![
                Cell::new(&r.model.name),
                Cell::new(r.model.store.name()),
                Cell::new(&r.model.architecture),
                right(l.bytes(r.model.file_bytes)),
                Cell::new(&r.model.quant),
                right(l.int(r.model.native_ctx)),
                right(r.fit.max_ctx.map_or_else(|| "—".into(), |c| l.int(c))),
                right(r.decode.map_or_else(
                    || "—".into(),
                    |x| match l {
                        Lang::En => format!("{:.0} tok/s", x.typical),
                        _ => format!("{} tok/s", l.dec(x.typical, 0)),
                    },
                )),
                Cell::new(t!(in l, "scan-verdict", verdict = verdict_word(r.fit.verdict))),
            ]);
        }
        println!("{t}");
        println!(
            "{}",
            t!(
                in l,
                "scan-verdict-at",
                at = match a.ctx {
                    CtxChoice::Native => t!(in l, "scan-at-native"),
                    CtxChoice::Max => t!(in l, "scan-at-max"),
                    CtxChoice::Tokens(c) => t!(in l, "scan-at-tokens", tokens = c),
                },
                runtime = settings.runtime.to_string(),
                note = t!(in l, "scan-speed-note")
            )
        );
    }
    println!(
        "{}",
        t!(
            in l,
            "scan-summary",
            models = rows.len(),
            files = total,
            bytes = l.bytes(bytes_read),
            seconds = Arg::dec(elapsed.as_secs_f64(), 2)
        )
    );
    for (_, e) in &errors {
        eprintln!("{}", t!(in l, "scan-skipped", error = e));
    }
    Ok(())
}

/// Why a model was skipped, in `l`: the GGUF reader's errors in the catalog's words (as
/// `cabe fit FILE` says them), the rest as the reader says them.
fn read_error(e: &ReadError, l: Lang) -> String {
    match e {
        _ if l == Lang::En => e.to_string(),
        ReadError::Gguf(g) => crate::error_text::gguf(g, l).unwrap_or_else(|| g.to_string()),
        ReadError::Spec(s) => crate::error_text::spec(s, l),
        ReadError::NoTensors => t!(in l, "read-no-tensors"),
        ReadError::Other(s) => s.clone(),
    }
}

const SPEED_NOTE: &str = "typical decode with an empty context, predicted as `cabe fit` predicts it (calibration and bench history included), shown only when the model fits in fast memory";

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Fits => "fits",
        Verdict::FitsWithOffload => "fits-with-offload",
        Verdict::DoesNotFit => "does-not-fit",
    }
}
