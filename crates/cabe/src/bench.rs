//! `cabe bench`: real runs against a running Ollama or llama-server at several prompt sizes,
//! measured against cabe's prediction for the model the server runs, stored in the history
//! (one transaction per run) so that later predictions for the machine and backend are
//! corrected by what was measured.

use crate::calibrate::{backend_key, basis, machine_key};
use crate::cli::MachineArgs;
use crate::i18n::{lang, MsgContext};
use anyhow::Result;
use cabe_bench::prompt::{self, Sizer};
use cabe_bench::server::{predict_model, Kind, Limits, PredictModel, Server, Timing};
use cabe_bench::store::{Row, RunMeta, Store};
use cabe_core::kv::RuntimeProfile;
use cabe_core::speed::{fmt_seconds, Placement, Range};
use cabe_i18n::{Arg, Lang};
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::io::IsTerminal;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// The server's URL (default: llama-server at 127.0.0.1:8080, else Ollama at OLLAMA_HOST
    /// or 127.0.0.1:11434).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Which server it is (default: found out by asking).
    #[arg(long, default_value = "auto", value_parser = ["auto", "ollama", "llama-server"])]
    pub server: String,
    /// The Ollama model to run (default: the one loaded, else the only one installed).
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Predict with this catalog model or GGUF file instead of the server's model file (for a
    /// server whose file this machine cannot read).
    #[arg(long, value_name = "MODEL")]
    pub predict_as: Option<String>,
    /// Quantization for a catalog --predict-as model (default Q4_K_M).
    #[arg(long, requires = "predict_as")]
    pub quant: Option<String>,
    /// Prompt sizes in tokens (capped at the context): e.g. 512,2k,8k,32k.
    #[arg(long, value_name = "LIST", default_value = "512,2k,8k,32k")]
    pub prompt_sizes: String,
    /// Tokens to generate after each prompt (the decode measurement).
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub gen_tokens: u64,
    /// Context (Ollama's num_ctx; default the model's num_ctx, else 4096). llama-server's is
    /// the one it was started with.
    #[arg(long, value_name = "N")]
    pub ctx: Option<u64>,
    /// Limit for each request (prompt processing and generation), e.g. 10m.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = crate::flags::duration)]
    pub timeout: f64,
    /// The catalog machine the server runs on (default: this machine).
    #[arg(long, value_name = "HARDWARE_ID")]
    pub on: Option<String>,
    /// Do not store the run in the history.
    #[arg(long)]
    pub no_save: bool,
    /// Print one JSON object (no progress bar).
    #[arg(long)]
    pub json: bool,
}

/// "512,2k,8K,32768" → sizes.
pub fn parse_sizes(s: &str) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let t = part.to_ascii_lowercase();
        let (num, mult) = match t.strip_suffix('k') {
            Some(n) => (n, 1024),
            None => (t.as_str(), 1),
        };
        let n: u64 = num
            .replace('_', "")
            .parse()
            .map_err(|_| msg!("bench-size-not-number", part = part))?;
        if n == 0 || n * mult > 1 << 24 {
            return Err(msg!("bench-size-range", part = part).into());
        }
        out.push(n * mult);
    }
    if out.is_empty() {
        return Err(msg!("bench-sizes-empty").into());
    }
    Ok(out)
}

#[derive(Serialize)]
struct Measurement {
    target_tokens: u64,
    #[serde(flatten)]
    timing: Timing,
    prefill_tps: Option<f64>,
    decode_tps: Option<f64>,
    ttft_s: f64,
    predicted_prefill_tps: Option<Range>,
    predicted_decode_tps: Option<Range>,
    prefill_ratio: Option<f64>,
    decode_ratio: Option<f64>,
}

fn ratio(m: Option<f64>, p: Option<&Range>) -> Option<f64> {
    match (m, p) {
        (Some(m), Some(p)) if p.typical > 0.0 => Some(m / p.typical),
        _ => None,
    }
}

fn from_resolved(r: crate::resolve::ResolvedModel) -> PredictModel {
    PredictModel {
        spec: r.spec,
        weights: r.weights,
        quant: r.quant,
        source: format!("{} ({})", r.id, r.source),
    }
}

/// A note in English (for `--json`) and in this run's language (for the lines printed).
macro_rules! note {
    ($($arg:tt)*) => {
        (t!(in Lang::En, $($arg)*), t!($($arg)*))
    };
}

pub fn run(a: &BenchArgs) -> Result<()> {
    let l = lang();
    let timeout = a.timeout;
    let wanted = parse_sizes(&a.prompt_sizes)?;
    if a.gen_tokens == 0 || a.gen_tokens > 4096 {
        return Err(msg!("bench-gen-tokens-range").into());
    }
    let kind = match a.server.as_str() {
        "ollama" => Some(Kind::Ollama),
        "llama-server" => Some(Kind::LlamaServer),
        _ => None,
    };
    let limits = Limits::new(Duration::from_secs_f64(timeout));
    let server = Server::connect(a.url.as_deref(), kind, &limits)?;
    let smodel = server.model(a.model.as_deref())?;

    let machine = match &a.on {
        Some(id) => crate::machine::resolve(&MachineArgs {
            on: Some(id.clone()),
            memory: None,
            si: false,
            os_reserve: None,
        })?,
        None => crate::calibrate::this_machine()?,
    };
    let basis = basis(&machine);
    // The notes in English (`--json`'s) and as printed.
    let mut notes: Vec<(String, String)> = basis
        .notes
        .iter()
        .map(|n| (n.to_string(), crate::speed_text::basis_note(n, l)))
        .collect();
    let local = ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|h| server.url.contains(&format!("//{h}")));
    if !local && a.on.is_none() {
        notes.push(note!("bench-note-remote", url = &server.url));
    }
    let predict = match &a.predict_as {
        Some(m) => Ok(from_resolved(crate::resolve::model(m, a.quant.as_deref())?)),
        None => predict_model(&smodel),
    };
    let predict = match predict {
        Ok(p) => Some(p),
        Err(e) => {
            notes.push(note!("bench-note-no-prediction", error = e.to_string()));
            None
        }
    };

    // The context and the sizes that fit it.
    let ctx = match server.kind {
        Kind::LlamaServer => match (smodel.n_ctx, a.ctx) {
            (Some(s), Some(c)) => s.min(c),
            (Some(s), None) => s,
            (None, c) => c.unwrap_or(4096),
        },
        Kind::Ollama => a.ctx.or(smodel.n_ctx).unwrap_or(4096),
    };
    let num_ctx = (server.kind == Kind::Ollama).then_some(ctx);
    let tag = cabe_bench::time::now_unix() % 1_000_000;

    let show_bar = !a.json && std::io::stderr().is_terminal();
    let bar = if show_bar {
        let b = ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.enable_steady_tick(Duration::from_millis(200));
        b.set_message(t!(
            "bench-progress-warm-up",
            model = &smodel.name,
            server = server.kind.name(),
            url = &server.url
        ));
        b
    } else {
        ProgressBar::hidden()
    };

    // Warm-up (loads the model; sizes the prompts).
    let warm_units = 24;
    let warm_prompt = prompt::build(&format!("{tag}-warm"), warm_units);
    let sizer = match server.kind {
        Kind::LlamaServer => {
            let h = server.count_tokens(&prompt::header(&format!("{tag}-warm")))?;
            let w = server.count_tokens(&warm_prompt)?;
            server.generate(&smodel.name, &warm_prompt, 4, num_ctx)?;
            match (h, w) {
                (Some(h), Some(w)) => Sizer::from_counts(h + 1, w + 1, warm_units),
                _ => None,
            }
        }
        Kind::Ollama => {
            let t = server.generate(&smodel.name, &warm_prompt, 4, num_ctx)?;
            Sizer::from_total(t.prompt_tokens, warm_units)
        }
    }
    .unwrap_or_else(Sizer::estimate);
    bar.inc(1);
    let margin = if sizer.exact { 16 } else { ctx / 20 + 16 };
    let (sizes, dropped) = prompt::fit_sizes(&wanted, ctx, a.gen_tokens, margin);
    if sizes.is_empty() {
        return Err(msg!("bench-no-room", ctx = ctx, gen = a.gen_tokens.to_string()).into());
    }
    if !dropped.is_empty() {
        let list = |l: Lang| {
            dropped
                .iter()
                .map(|d| l.int(*d))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let on_llama_server = if server.kind == Kind::LlamaServer {
            "yes"
        } else {
            "no"
        };
        notes.push((
            t!(
                in Lang::En,
                "bench-note-capped",
                sizes = list(Lang::En),
                ctx = ctx,
                llama_server = on_llama_server
            ),
            t!(
                "bench-note-capped",
                sizes = list(l),
                ctx = ctx,
                llama_server = on_llama_server
            ),
        ));
    }
    bar.set_length(1 + sizes.len() as u64);

    // The prediction's inputs.
    // One sequence of `ctx` tokens, under the runtime the server is.
    let settings = cabe_engine::RuntimeSettings::for_runtime(match server.kind {
        Kind::LlamaServer => cabe_engine::Runtime::LlamaServer,
        Kind::Ollama => cabe_engine::Runtime::Ollama,
    });
    let profile = predict
        .as_ref()
        .map(|p| settings.profile(&p.spec, ctx))
        .unwrap_or_else(|| RuntimeProfile::new(ctx.max(256)));
    let place = predict.as_ref().map_or(Placement::default(), |p| {
        let plan = cabe_core::plan::plan(&p.spec, &p.weights, &profile, &machine.capacity);
        Placement::from_plan(&plan, &p.weights)
    });
    let predict_at = |prompt_tokens: u64| -> (Option<Range>, Option<Range>) {
        let Some(p) = &predict else {
            return (None, None);
        };
        let pos = prompt_tokens + a.gen_tokens / 2;
        // Before the history's correction: the correction is made from these comparisons.
        let pred =
            basis.predict_uncorrected(&p.spec, &p.weights, &profile, place, pos, prompt_tokens);
        (pred.prefill, pred.decode)
    };

    let machine_key = machine_key(&machine).unwrap_or_else(|| machine.spec.id.clone());
    let meta = RunMeta {
        started_at: cabe_bench::time::now_unix(),
        machine: machine_key.clone(),
        backend: backend_key(machine.spec.backend),
        basis: basis.key.clone(),
        server: server.kind.key().to_string(),
        url: server.url.clone(),
        server_version: server.version.clone(),
        model: smodel.name.clone(),
        model_source: predict.as_ref().map(|p| p.source.clone()),
        quant: predict.as_ref().map(|p| p.quant.clone()),
        ctx: Some(ctx),
        gen_tokens: a.gen_tokens,
    };
    let history = if a.no_save {
        None
    } else {
        Some(cabe_bench::datadir::history_path().map_err(anyhow::Error::msg)?)
    };
    let mut store = history.as_deref().map(Store::open).transpose()?;
    let mut writer = store.as_mut().map(|s| s.begin_run(&meta)).transpose()?;

    let mut rows: Vec<Measurement> = Vec::new();
    for (i, &n) in sizes.iter().enumerate() {
        let mut units = sizer.units_for(n);
        let tagi = format!("{tag}-{i}-{n}");
        let mut text = prompt::build(&tagi, units);
        if sizer.exact {
            // Trim to the size with the server's own tokenizer (BOS counted).
            if let Some(t) = server.count_tokens(&text)? {
                let t = t + 1;
                if t > n {
                    let over = ((t - n) as f64 / sizer.tokens_per_unit).ceil() as usize;
                    units = units.saturating_sub(over);
                    text = prompt::build(&tagi, units);
                }
            }
        }
        let (pre, _) = predict_at(n);
        let eta = pre
            .map(|r| {
                t!(
                    "bench-progress-eta",
                    time = seconds(n as f64 / r.typical, l)
                )
            })
            .unwrap_or_default();
        bar.set_message(t!("bench-progress-prompt", tokens = n, eta = eta));
        let t = server
            .generate(&smodel.name, &text, a.gen_tokens, num_ctx)
            .msg_context(|| msg!("bench-prompt-failed", tokens = n))?;
        let (pre, dec) = predict_at(t.prompt_tokens);
        let m = Measurement {
            target_tokens: n,
            prefill_tps: t.prefill_tps(),
            decode_tps: t.decode_tps(),
            ttft_s: t.prompt_ms / 1e3,
            prefill_ratio: ratio(t.prefill_tps(), pre.as_ref()),
            decode_ratio: ratio(t.decode_tps(), dec.as_ref()),
            predicted_prefill_tps: pre,
            predicted_decode_tps: dec,
            timing: t,
        };
        if let Some(w) = writer.as_mut() {
            w.add(&Row {
                target_tokens: n,
                prompt_tokens: t.prompt_tokens,
                prompt_ms: t.prompt_ms,
                gen_tokens: t.gen_tokens,
                gen_ms: t.gen_ms,
                prefill_tps: m.prefill_tps,
                decode_tps: m.decode_tps,
                predicted_prefill_tps: pre.map(|r| r.typical),
                predicted_decode_tps: dec.map(|r| r.typical),
            })?;
        }
        rows.push(m);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let run_id = writer
        .map(|w| w.finish(cabe_bench::time::now_unix()))
        .transpose()?;
    if rows
        .iter()
        .any(|r| r.timing.gen_tokens < a.gen_tokens.min(8))
    {
        notes.push(note!("bench-note-stopped-early"));
    }
    let correction = match &store {
        Some(s) => s.correction(&machine_key, &backend_key(machine.spec.backend), &basis.key)?,
        None => None,
    };

    if a.json {
        let out = serde_json::json!({
            "server": { "kind": server.kind.key(), "url": server.url, "version": server.version },
            "model": {
                "name": smodel.name,
                "path": smodel.path,
                "prediction_from": predict.as_ref().map(|p| &p.source),
                "quant": predict.as_ref().map(|p| &p.quant),
            },
            "machine": { "key": machine_key, "backend": backend_key(machine.spec.backend), "description": machine.description },
            "basis": basis.key,
            "ctx": ctx,
            "gen_tokens": a.gen_tokens,
            "sizes": sizes,
            "capped_sizes": dropped,
            "prompt_sizing": if sizer.exact { "server tokenizer" } else { "estimate" },
            "rows": rows,
            "run_id": run_id,
            "history": history,
            "correction": correction,
            "notes": notes.iter().map(|(en, _)| en).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "{}",
        t!(
            "bench-header",
            model = &smodel.name,
            server = server.kind.name(),
            url = &server.url,
            version = server
                .version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default()
        )
    );
    println!(
        "{}",
        t!(
            "bench-predicted-for",
            source = predict
                .as_ref()
                .map_or(t!("bench-no-model"), |p| source_text(&p.source, l)),
            machine = &machine.local
        )
    );
    for (_, n) in &notes {
        println!("  {n}");
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        t!("bench-col-prompt"),
        t!("bench-col-prefill"),
        t!("bench-col-predicted"),
        "×".to_string(),
        t!("bench-col-first-token"),
        t!("bench-col-decode"),
        t!("bench-col-predicted"),
        "×".to_string(),
    ]);
    // English as it always was (no grouping), other languages as they write numbers.
    let dec = |v: f64, d: usize| match l {
        Lang::En => format!("{v:.d$}"),
        _ => l.dec(v, d),
    };
    let num = |x: Option<f64>| x.map_or("–".to_string(), |v| dec(v, 1));
    let rng = |r: &Option<Range>| {
        r.map_or("–".to_string(), |r| {
            format!(
                "{} ({}–{})",
                dec(r.typical, 1),
                dec(r.low, 1),
                dec(r.high, 1)
            )
        })
    };
    let x = |r: Option<f64>| r.map_or("–".to_string(), |v| dec(v, 2));
    for r in &rows {
        t.add_row(vec![
            Cell::new(l.int(r.timing.prompt_tokens)).set_alignment(CellAlignment::Right),
            Cell::new(num(r.prefill_tps)).set_alignment(CellAlignment::Right),
            Cell::new(rng(&r.predicted_prefill_tps)).set_alignment(CellAlignment::Right),
            Cell::new(x(r.prefill_ratio)).set_alignment(CellAlignment::Right),
            Cell::new(seconds(r.ttft_s, l)).set_alignment(CellAlignment::Right),
            Cell::new(num(r.decode_tps)).set_alignment(CellAlignment::Right),
            Cell::new(rng(&r.predicted_decode_tps)).set_alignment(CellAlignment::Right),
            Cell::new(x(r.decode_ratio)).set_alignment(CellAlignment::Right),
        ]);
    }
    println!("{t}");
    println!(
        "  {}",
        t!(
            "bench-legend",
            gen = a.gen_tokens.to_string(),
            exact = if sizer.exact { "yes" } else { "no" }
        )
    );
    match (&run_id, &history) {
        (Some(id), Some(h)) => println!(
            "  {}",
            t!(
                "bench-stored",
                id = id.to_string(),
                path = h.display().to_string()
            )
        ),
        _ => println!("  {}", t!("bench-not-stored")),
    }
    if let Some(c) = &correction {
        let parts: Vec<String> = [
            c.decode
                .map(|f| t!("bench-factor-decode", factor = Arg::dec(f, 2))),
            c.prefill
                .map(|f| t!("bench-factor-prefill", factor = Arg::dec(f, 2))),
        ]
        .into_iter()
        .flatten()
        .collect();
        println!(
            "  {}",
            t!("bench-corrected", runs = c.runs, parts = parts.join(", "))
        );
    }
    Ok(())
}

/// Seconds as `cabe_core::speed::fmt_seconds` writes them, in `l`'s numbers.
fn seconds(s: f64, l: Lang) -> String {
    if l == Lang::En {
        return fmt_seconds(s);
    }
    let whole = s.round() as u64;
    if whole >= 60 {
        format!("{} s ({} min {} s)", l.int(whole), whole / 60, whole % 60)
    } else if s >= 10.0 {
        format!("{whole} s")
    } else {
        format!("{} s", l.dec(s, 2))
    }
}

/// Where the prediction's figures come from (cabe-bench's English words) in `l`: the two
/// a run meets most reworded, the rarer ones as they are.
fn source_text(source: &str, l: Lang) -> String {
    if l == Lang::En {
        return source.to_string();
    }
    if let Some(path) = source.strip_prefix("the server's model file ") {
        return t!(in l, "bench-source-file", path = path);
    }
    if let Some(model) = source
        .strip_prefix("Ollama's /api/show for ")
        .and_then(|r| r.strip_suffix(" (metadata and tensors)"))
    {
        return t!(in l, "bench-source-show", model = model);
    }
    source.to_string()
}
