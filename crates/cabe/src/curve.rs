//! `cabe curve MODEL`: decode rate and prefill rate against context length, and the time to
//! the first token against prompt length, as terminal charts and optionally an SVG file, with
//! the prompt length where a client timeout is crossed.
//!
//! Every point is the fit prediction (`cabe_engine::curve`, through the engine's one speed
//! basis) at that length: decode at position
//! n reads the weights plus n tokens of KV cache; prefill of an n-token prompt adds attention
//! that grows with n², so the time to the first token grows faster than n. Where the memory
//! plan spills to system RAM at that context, the point is predicted with that offload.

use crate::calibrate::corrected_basis;
use crate::cli::{MachineArgs, RuntimeArgs};
use anyhow::{bail, Context, Result};
use cabe_core::speed::Range;
use cabe_engine::curve::{curve, Crossing, Curve, CurveRequest, Point};
use cabe_i18n::Lang;
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CurveArgs {
    /// A catalog model id or alias, or a GGUF file.
    pub model: String,
    /// Quantization for a catalog model (default Q4_K_M).
    #[arg(long, short = 'q')]
    pub quant: Option<String>,
    #[command(flatten)]
    pub machine: MachineArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    /// The longest context / prompt on the curve (default: the model's native context).
    #[arg(long, value_name = "N")]
    pub prompt_tokens_max: Option<u64>,
    /// A client timeout (e.g. 300s, 5m): where does the first token arrive after it?
    #[arg(long, value_name = "DURATION", value_parser = crate::flags::duration)]
    pub timeout: Option<f64>,
    /// Also write the chart as an SVG file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Points on the curve.
    #[arg(long, default_value_t = 40)]
    pub points: usize,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// The curve of one request: what `--json` prints and the charts draw.
struct Computed {
    model: crate::resolve::ResolvedModel,
    machine: crate::machine::Machine,
    basis_key: String,
    correction: serde_json::Value,
    points: Vec<Point>,
    crossing: Option<Crossing>,
    notes: Vec<String>,
    /// The basis's notes and the bench history's line, as figures for wording in a language
    /// (`notes_in`), before what the curve itself notes.
    basis_notes: Vec<cabe_engine::speed::BasisNote>,
    history: Option<crate::calibrate::History>,
    spill_at: Option<u64>,
    no_fit_at: Option<u64>,
    max: u64,
    has_prefill: bool,
}

/// What `cabe curve --json` prints for these arguments (`svg` is the file it names, written
/// by `run` only).
///
/// With `l` other than English, the notes (and an error) are worded in `l`: `cabe serve`'s
/// answer to a request that asks for a language; the rest is the same in every language.
pub fn json_in(a: &CurveArgs, l: Lang) -> Result<serde_json::Value> {
    let mut c = compute(a, l)?;
    if l != Lang::En {
        c.notes = c.notes_in(l);
    }
    Ok(to_json(&c, a.svg.as_ref()))
}

fn to_json(c: &Computed, svg: Option<&PathBuf>) -> serde_json::Value {
    serde_json::json!({
        "model": { "id": c.model.id, "name": c.model.display_name, "quant": c.model.quant },
        "machine": { "id": c.machine.spec.id, "name": c.machine.spec.name, "backend": c.machine.spec.backend.name() },
        "basis": c.basis_key,
        "correction": c.correction,
        "points": c.points,
        "timeout": c.crossing,
        "svg": svg,
        "notes": c.notes,
    })
}

fn compute(a: &CurveArgs, l: Lang) -> Result<Computed> {
    let model = crate::resolve::model(&a.model, a.quant.as_deref())?;
    let machine = crate::machine::resolve(&a.machine)?;
    let timeout_s = a.timeout;
    let max = a.prompt_tokens_max.unwrap_or(model.spec.native_ctx);
    if !(512..=1 << 26).contains(&max) {
        bail!(t!(in l, "curve-err-max", min = 512, max = 1u64 << 26));
    }
    let (b, history) = corrected_basis(&machine);
    if b.dev.bandwidth_gbps <= 0.0 {
        bail!(t!(
            in l,
            "curve-err-bandwidth",
            machine = if l == Lang::En {
                &machine.description
            } else {
                &machine.local
            },
            calibrate = if machine.spec.id == "this-machine" {
                "yes"
            } else {
                "no"
            }
        ));
    }
    let corr = b.correction.clone();
    let settings = a.runtime.settings();
    settings.check(&model.spec).map_err(anyhow::Error::msg)?;
    let Curve {
        points,
        timeout: crossing,
    } = curve(&CurveRequest {
        spec: &model.spec,
        weights: &model.weights,
        capacity: &machine.capacity,
        settings: &settings,
        basis: &b,
        max_tokens: max,
        points: a.points,
        timeout_s,
    });
    let basis_notes = b.notes.clone();
    let has_prefill = points.iter().any(|p| p.prefill_tps.is_some());
    let spill_at = points
        .iter()
        .find(|p| p.cpu_fraction > 0.0 && p.fits)
        .map(|p| p.tokens);
    let no_fit_at = points.iter().find(|p| !p.fits).map(|p| p.tokens);
    let mut c = Computed {
        notes: Vec::new(),
        basis_notes,
        history,
        spill_at,
        no_fit_at,
        correction: serde_json::to_value(&corr)?,
        basis_key: b.key.clone(),
        model,
        machine,
        points,
        crossing,
        max,
        has_prefill,
    };
    c.notes = c.notes_in(Lang::En);
    Ok(c)
}

impl Computed {
    /// The notes in `l` (`--json` carries the English).
    fn notes_in(&self, l: Lang) -> Vec<String> {
        let mut notes: Vec<String> = self
            .basis_notes
            .iter()
            .map(|n| crate::speed_text::basis_note(n, l))
            .chain(
                self.history
                    .iter()
                    .map(|h| crate::speed_text::history(h, l)),
            )
            .collect();
        if !self.has_prefill {
            notes.push(t!(
                in l,
                "curve-note-no-compute",
                machine = if l == Lang::En {
                    &self.machine.description
                } else {
                    &self.machine.local
                },
                calibrate = if self.machine.spec.id == "this-machine" {
                    "yes"
                } else {
                    "no"
                }
            ));
        }
        if let Some(n) = self.spill_at {
            notes.push(t!(in l, "curve-note-spill", tokens = n));
        }
        if let Some(n) = self.no_fit_at {
            notes.push(t!(in l, "curve-note-no-fit", tokens = n));
        }
        notes
    }
}

/// The machine as a title names it: a catalog machine's name, this machine with its summary,
/// or a machine of the given memory, in `l`.
fn machine_name(m: &crate::machine::Machine, l: Lang) -> String {
    let name = &m.spec.name;
    if m.spec.id == "this-machine" {
        let english = name
            .strip_prefix("this machine (")
            .and_then(|s| s.strip_suffix(')'));
        // The summary in the run's language where it was made from the figures.
        let summary = match (&m.summary, l) {
            (Some(s), l) if l == crate::i18n::lang() => Some(s.as_str()),
            _ => english,
        };
        match summary {
            Some(summary) => t!(in l, "curve-this-machine", summary = summary),
            None => name.clone(),
        }
    } else if name == "machine with the given memory" {
        t!(in l, "curve-given-memory")
    } else {
        name.clone()
    }
}

pub fn run(a: &CurveArgs) -> Result<()> {
    // Errors, charts and the SVG in this run's language; `--json` keeps English.
    let l = if a.json {
        Lang::En
    } else {
        crate::i18n::lang()
    };
    let c = compute(a, l)?;
    let (model, machine, points, crossing, max, has_prefill) = (
        &c.model,
        &c.machine,
        &c.points,
        &c.crossing,
        c.max,
        c.has_prefill,
    );
    let notes = c.notes_in(l);
    let title = t!(
        in l,
        "curve-title",
        model = &model.display_name,
        quant = model.quant.to_string(),
        machine = machine_name(machine, l)
    );
    let cross_line = crossing.as_ref().map(|c| crossing_line(c, max, l));

    if let Some(path) = &a.svg {
        let head = format!("{} {}", model.display_name, model.quant);
        let sub = t!(
            in l,
            "curve-svg-subtitle",
            basis = &c.basis_key,
            machine = machine_name(machine, l)
        );
        let svg = svg(&head, &sub, points, crossing.as_ref(), l);
        std::fs::write(path, svg)
            .with_context(|| t!(in l, "curve-err-writing", path = path.display().to_string()))?;
    }
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&c, a.svg.as_ref()))?
        );
        return Ok(());
    }
    println!("{title}");
    for n in &notes {
        println!("  {n}");
    }
    println!();
    let (dec, pre, ttft) = bands(points);
    let mut series = vec![Series {
        label: t!(in l, "curve-series-decode"),
        mark: '•',
        band: '·',
        values: dec,
    }];
    if !pre.is_empty() {
        series.push(Series {
            label: t!(in l, "curve-series-prefill"),
            mark: '+',
            band: ':',
            values: pre,
        });
    }
    print!(
        "{}",
        text_chart(
            &t!(in l, "curve-chart-rates"),
            &series,
            None,
            64,
            12,
            Unit::Rate,
            l
        )
    );
    if has_prefill {
        println!();
        print!(
            "{}",
            text_chart(
                &t!(in l, "curve-chart-ttft"),
                &[Series {
                    label: t!(in l, "curve-series-ttft"),
                    mark: '•',
                    band: '·',
                    values: ttft,
                }],
                crossing.as_ref().map(|c| c.timeout_s),
                64,
                12,
                Unit::Seconds,
                l,
            )
        );
    }
    if let Some(x) = cross_line {
        println!("  {x}");
    }
    if let Some(p) = &a.svg {
        println!(
            "  {}",
            t!(in l, "curve-written", path = p.display().to_string())
        );
    }
    Ok(())
}

fn crossing_line(c: &Crossing, max: u64, l: Lang) -> String {
    let t = seconds(c.timeout_s, l);
    match c.typical_tokens {
        Some(n) => {
            let range = match (c.earliest_tokens, c.latest_tokens) {
                (Some(e), Some(x)) => t!(in l, "curve-cross-between", from = e, to = x),
                (Some(e), None) => t!(in l, "curve-cross-from", from = e, max = max),
                _ => String::new(),
            };
            t!(
                in l,
                "curve-cross",
                timeout = t,
                tokens = n,
                range = range
            )
        }
        None => match c.earliest_tokens {
            Some(e) => t!(
                in l,
                "curve-cross-slowest",
                timeout = t,
                max = max,
                from = e
            ),
            None => t!(in l, "curve-cross-never", timeout = t, max = max),
        },
    }
}

/// Seconds as `cabe_core::speed::fmt_seconds` writes them, in `l`'s numbers.
fn seconds(s: f64, l: Lang) -> String {
    let whole = s.round() as u64;
    if whole >= 60 {
        format!("{} s ({} min {} s)", l.int(whole), whole / 60, whole % 60)
    } else if s >= 10.0 {
        format!("{whole} s")
    } else {
        format!("{} s", l.dec(s, 2))
    }
}

// ---------------------------------------------------------------------------------------
// Charts

#[derive(Clone, Copy, Debug)]
struct Band {
    x: f64,
    typ: f64,
    low: f64,
    high: f64,
}

/// The decode, prefill and time-to-first-token bands of the curve's points.
fn bands(points: &[Point]) -> (Vec<Band>, Vec<Band>, Vec<Band>) {
    let dec = points
        .iter()
        .filter_map(|p| p.decode_tps.map(|r| Band::of(p.tokens, &r)))
        .collect();
    let pre = points
        .iter()
        .filter_map(|p| p.prefill_tps.map(|r| Band::of(p.tokens, &r)))
        .collect();
    let ttft = points
        .iter()
        .filter_map(|p| p.ttft_s.map(|r| Band::of(p.tokens, &r)))
        .collect();
    (dec, pre, ttft)
}

impl Band {
    /// From a range: for rates low < high; for times `low` is already the shortest.
    fn of(tokens: u64, r: &Range) -> Band {
        Band {
            x: tokens as f64,
            typ: r.typical,
            low: r.low.min(r.high),
            high: r.low.max(r.high),
        }
    }
}

struct Series {
    label: String,
    mark: char,
    band: char,
    values: Vec<Band>,
}

#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Rate,
    Seconds,
}

/// Value at `x` by linear interpolation in log-log space.
fn interp(v: &[Band], x: f64, pick: fn(&Band) -> f64) -> Option<f64> {
    let i = v.iter().position(|b| b.x >= x)?;
    if i == 0 {
        return (v[0].x == x).then(|| pick(&v[0]));
    }
    let (a, b) = (&v[i - 1], &v[i]);
    let (ya, yb) = (pick(a).max(1e-12).ln(), pick(b).max(1e-12).ln());
    let t = (x.ln() - a.x.ln()) / (b.x.ln() - a.x.ln()).max(1e-12);
    Some((ya + (yb - ya) * t).exp())
}

/// `x` with `d` decimals: as Rust writes it in English (ungrouped, as the charts always
/// were), in `l`'s numbers otherwise.
fn dec(l: Lang, x: f64, d: usize) -> String {
    match l {
        Lang::En => format!("{x:.d$}"),
        _ => l.dec(x, d),
    }
}

fn fmt_compact(v: f64, unit: Unit, l: Lang) -> String {
    match unit {
        Unit::Seconds => {
            if v >= 3600.0 {
                format!("{} h", dec(l, v / 3600.0, 1))
            } else if v >= 60.0 {
                format!("{} min", dec(l, v / 60.0, 1))
            } else if v >= 1.0 {
                format!("{} s", dec(l, v, 0))
            } else {
                format!("{} ms", dec(l, v * 1e3, 0))
            }
        }
        Unit::Rate => {
            if v >= 10_000.0 {
                format!("{}K", dec(l, v / 1e3, 0))
            } else if v >= 100.0 {
                dec(l, v, 0)
            } else if v >= 10.0 {
                dec(l, v, 1)
            } else {
                dec(l, v, 2)
            }
        }
    }
}

fn fmt_tokens(n: f64, l: Lang) -> String {
    let n = n.round() as u64;
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{}M", n >> 20)
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{}K", n >> 10)
    } else if n >= 10_000 {
        format!("{}K", (n as f64 / 1024.0).round() as u64)
    } else {
        l.int(n)
    }
}

/// Powers of two from `lo` to `hi` (every other one when there are many).
fn x_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let mut t = Vec::new();
    let mut p = 2f64.powi(lo.log2().ceil() as i32);
    while p <= hi * 1.0001 {
        t.push(p);
        p *= 2.0;
    }
    if t.len() > 8 {
        let keep_odd = t.len() % 2 == 0;
        t = t
            .into_iter()
            .enumerate()
            .filter(|(i, _)| (i % 2 == 1) == keep_odd)
            .map(|(_, v)| v)
            .collect();
    }
    t
}

fn y_bounds(series: &[Series], hline: Option<f64>) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = 0f64;
    for s in series {
        for b in &s.values {
            lo = lo.min(b.low.min(b.typ));
            hi = hi.max(b.high.max(b.typ));
        }
    }
    if let Some(h) = hline {
        lo = lo.min(h);
        hi = hi.max(h);
    }
    let lo = lo.max(1e-9);
    let hi = hi.max(lo * 1.01);
    // A little room above and below.
    let pad = ((hi / lo).ln() * 0.04).exp();
    (lo / pad, hi * pad)
}

/// A chart in text: log-x (tokens) against log-y, bands (low–high) under the typical line,
/// an optional horizontal line (a timeout), y labels on the left, x labels below.
fn text_chart(
    title: &str,
    series: &[Series],
    hline: Option<f64>,
    w: usize,
    h: usize,
    unit: Unit,
    l: Lang,
) -> String {
    let (ylo, yhi) = y_bounds(series, hline);
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|s| s.values.iter().map(|b| b.x))
        .collect();
    let (xlo, xhi) = (
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(0f64, f64::max),
    );
    let mut grid = vec![vec![' '; w]; h];
    let row_of = |y: f64| -> Option<usize> {
        let f = (y.ln() - ylo.ln()) / (yhi.ln() - ylo.ln());
        let r = ((1.0 - f) * (h - 1) as f64).round();
        (0.0..=(h - 1) as f64).contains(&r).then_some(r as usize)
    };
    let x_at = |c: usize| (xlo.ln() + (xhi.ln() - xlo.ln()) * c as f64 / (w - 1) as f64).exp();
    if let Some(t) = hline {
        if let Some(r) = row_of(t) {
            for cell in grid[r].iter_mut() {
                *cell = '─';
            }
        }
    }
    for s in series {
        for c in 0..w {
            let x = x_at(c);
            let (Some(lo), Some(hi)) = (
                interp(&s.values, x, |b| b.low),
                interp(&s.values, x, |b| b.high),
            ) else {
                continue;
            };
            if let (Some(r_hi), Some(r_lo)) = (row_of(hi), row_of(lo)) {
                for row in grid.iter_mut().take(r_lo + 1).skip(r_hi) {
                    if row[c] == ' ' {
                        row[c] = s.band;
                    }
                }
            }
        }
        let marks: Vec<Option<usize>> = (0..w)
            .map(|c| interp(&s.values, x_at(c), |b| b.typ).and_then(row_of))
            .collect();
        for (c, r) in marks.into_iter().enumerate() {
            if let Some(r) = r {
                grid[r][c] = s.mark;
            }
        }
    }
    let label_w = 9;
    let mut out = String::new();
    let _ = writeln!(out, "  {title}");
    for (r, row) in grid.iter().enumerate() {
        let label = if r == 0 || r == h - 1 || r == h / 2 {
            let f = 1.0 - r as f64 / (h - 1) as f64;
            fmt_compact((ylo.ln() + f * (yhi.ln() - ylo.ln())).exp(), unit, l)
        } else if hline.is_some_and(|t| row_of(t) == Some(r)) {
            t!(in l, "curve-chart-timeout")
        } else {
            String::new()
        };
        let _ = writeln!(out, "{label:>label_w$} ┤{}", row.iter().collect::<String>());
    }
    let _ = writeln!(out, "{:>label_w$} └{}", "", "─".repeat(w));
    // x labels.
    let mut line = vec![' '; w + 12];
    for t in x_ticks(xlo, xhi) {
        let c = ((t.ln() - xlo.ln()) / (xhi.ln() - xlo.ln()) * (w - 1) as f64).round() as usize;
        let s: Vec<char> = fmt_tokens(t, l).chars().collect();
        let start = c.saturating_sub(s.len() / 2);
        if start + s.len() < line.len() && line[start..start + s.len()].iter().all(|&ch| ch == ' ')
        {
            let free_before = start == 0 || line[start - 1] == ' ';
            if free_before {
                line[start..start + s.len()].copy_from_slice(&s);
            }
        }
    }
    let _ = writeln!(
        out,
        "{:>label_w$}  {}",
        "",
        line.iter().collect::<String>().trim_end()
    );
    let legend: Vec<String> = series
        .iter()
        .map(|s| {
            t!(
                in l,
                "curve-legend",
                mark = s.mark.to_string(),
                label = &s.label,
                band = s.band.to_string()
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "{:>label_w$}  {}   {}",
        "",
        t!(in l, "curve-chart-x"),
        legend.join("   ")
    );
    out
}

// SVG ------------------------------------------------------------------------------------

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A tick label: no needless decimals ("20", "5 min", "1.5 h", "2K").
fn fmt_tick(v: f64, unit: Unit, l: Lang) -> String {
    let trim = |x: f64| {
        if format!("{x:.1}").ends_with(".0") {
            dec(l, x, 0)
        } else {
            dec(l, x, 1)
        }
    };
    match unit {
        Unit::Seconds if v >= 3600.0 => format!("{} h", trim(v / 3600.0)),
        Unit::Seconds if v >= 60.0 => format!("{} min", trim(v / 60.0)),
        Unit::Seconds if v >= 1.0 => format!("{} s", trim(v)),
        Unit::Seconds => format!("{} ms", trim(v * 1e3)),
        Unit::Rate if v >= 1000.0 => format!("{}K", trim(v / 1e3)),
        Unit::Rate if v >= 1.0 => trim(v),
        Unit::Rate => {
            let s = format!("{v}");
            dec(l, v, s.split_once('.').map_or(0, |(_, f)| f.len()))
        }
    }
}

/// Nice log-scale ticks between lo and hi: 1-2-5 per decade for rates, familiar durations
/// for times.
fn y_ticks(lo: f64, hi: f64, unit: Unit) -> Vec<f64> {
    let cands: Vec<f64> = match unit {
        Unit::Seconds => vec![
            0.01,
            0.1,
            1.0,
            10.0,
            30.0,
            60.0,
            300.0,
            600.0,
            1800.0,
            3600.0,
            3.0 * 3600.0,
            6.0 * 3600.0,
            12.0 * 3600.0,
            86400.0,
            7.0 * 86400.0,
        ],
        Unit::Rate => (-2..8)
            .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
            .collect(),
    };
    let mut t: Vec<f64> = cands.into_iter().filter(|&v| v >= lo && v <= hi).collect();
    while t.len() > 7 {
        t = t.into_iter().step_by(2).collect();
    }
    t
}

struct Panel {
    top: f64,
    height: f64,
    ylo: f64,
    yhi: f64,
}

const SVG_W: f64 = 820.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 24.0;

/// `s` cut to `n` characters (an ellipsis marks the cut).
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn svg(
    title: &str,
    subtitle: &str,
    points: &[Point],
    crossing: Option<&Crossing>,
    l: Lang,
) -> String {
    let xlo = points.first().map_or(1.0, |p| p.tokens as f64);
    let xhi = points.last().map_or(2.0, |p| p.tokens as f64);
    let pw = SVG_W - LEFT - RIGHT;
    let xpos = |x: f64| LEFT + (x.ln() - xlo.ln()) / (xhi.ln() - xlo.ln()).max(1e-9) * pw;
    let (dec, pre, ttft) = bands(points);
    let two = !ttft.is_empty();
    let height = if two { 660.0 } else { 380.0 };
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_W}" height="{height}" viewBox="0 0 {SVG_W} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        o,
        r#"<text x="{LEFT}" y="24" font-size="15" font-weight="bold">{}</text>"#,
        esc(&clip(title, 80))
    );
    let _ = writeln!(
        o,
        r##"<text x="{LEFT}" y="42" fill="#555">{}</text>"##,
        esc(&clip(subtitle, 112))
    );

    // Panel 1: rates.
    let series1: Vec<Series> = [
        Some(Series {
            label: t!(in l, "curve-svg-decode"),
            mark: '#',
            band: '#',
            values: dec,
        }),
        (!pre.is_empty()).then_some(Series {
            label: t!(in l, "curve-svg-prefill"),
            mark: '#',
            band: '#',
            values: pre,
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (ylo, yhi) = y_bounds(&series1, None);
    let p1 = Panel {
        top: 60.0,
        height: 250.0,
        ylo,
        yhi,
    };
    panel(
        &mut o,
        &p1,
        &t!(in l, "curve-svg-rates"),
        Unit::Rate,
        xlo,
        xhi,
        &xpos,
        l,
    );
    let colors = ["#1f77b4", "#e67e22"];
    for (s, color) in series1.iter().zip(colors) {
        draw_band(&mut o, &p1, &s.values, color, &xpos);
    }
    let _ = writeln!(
        o,
        r##"<rect x="{:.1}" y="{:.1}" width="240" height="{:.1}" fill="white" fill-opacity="0.85"/>"##,
        SVG_W - RIGHT - 256.0,
        p1.top + 4.0,
        series1.len() as f64 * 16.0 + 20.0
    );
    let _ = writeln!(
        o,
        r##"<text x="{:.1}" y="{:.1}" fill="#555">{}</text>"##,
        SVG_W - RIGHT - 250.0,
        p1.top + 16.0 + series1.len() as f64 * 16.0 + 4.0,
        esc(&t!(in l, "curve-svg-key"))
    );
    for (i, (s, color)) in series1.iter().zip(colors).enumerate() {
        let y = p1.top + 16.0 + i as f64 * 16.0;
        let _ = writeln!(
            o,
            r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{color}" stroke-width="2.5"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            SVG_W - RIGHT - 250.0,
            SVG_W - RIGHT - 226.0,
            SVG_W - RIGHT - 220.0,
            y + 4.0,
            esc(&s.label)
        );
    }
    let mut bottom = p1.top + p1.height;

    // Panel 2: time to first token.
    if two {
        let tl = crossing.map(|c| c.timeout_s);
        let s2 = [Series {
            label: t!(in l, "curve-series-ttft"),
            mark: '#',
            band: '#',
            values: ttft,
        }];
        let (ylo, yhi) = y_bounds(&s2, tl);
        let p2 = Panel {
            top: 360.0,
            height: 250.0,
            ylo,
            yhi,
        };
        panel(
            &mut o,
            &p2,
            &t!(in l, "curve-series-ttft"),
            Unit::Seconds,
            xlo,
            xhi,
            &xpos,
            l,
        );
        draw_band(&mut o, &p2, &s2[0].values, "#2ca02c", &xpos);
        let ypos = |y: f64| {
            p2.top + (1.0 - (y.ln() - p2.ylo.ln()) / (p2.yhi.ln() - p2.ylo.ln())) * p2.height
        };
        if let Some(c) = crossing {
            let y = ypos(c.timeout_s);
            let _ = writeln!(
                o,
                r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"/>"##,
                SVG_W - RIGHT
            );
            let _ = writeln!(
                o,
                r##"<text x="{:.1}" y="{:.1}" fill="#d62728">{}</text>"##,
                LEFT + 6.0,
                y - 6.0,
                esc(&t!(in l, "curve-svg-timeout", timeout = seconds(c.timeout_s, l)))
            );
            if let Some(n) = c.typical_tokens {
                let x = xpos(n as f64);
                let _ = writeln!(
                    o,
                    r##"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#d62728" fill-opacity="0.07"/>"##,
                    p2.top,
                    (SVG_W - RIGHT - x).max(0.0),
                    p2.height
                );
                let _ = writeln!(
                    o,
                    r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#d62728" stroke-width="1" stroke-dasharray="2 3"/>"##,
                    p2.top,
                    p2.top + p2.height
                );
                let _ = writeln!(
                    o,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="none" stroke="#d62728" stroke-width="2"/>"##
                );
                let anchor = if x > LEFT + pw * 0.6 { "end" } else { "start" };
                let dx = if anchor == "end" { -8.0 } else { 8.0 };
                let _ = writeln!(
                    o,
                    r##"<text x="{:.1}" y="{:.1}" fill="#d62728" text-anchor="{anchor}" font-weight="bold">{}</text>"##,
                    x + dx,
                    y + 18.0,
                    esc(&t!(in l, "curve-svg-crossed", tokens = n))
                );
            }
        }
        bottom = p2.top + p2.height;
    }
    let _ = writeln!(
        o,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
        LEFT + pw / 2.0,
        bottom + 38.0,
        esc(&t!(in l, "curve-svg-x"))
    );
    let _ = writeln!(o, "</svg>");
    o
}

#[allow(clippy::too_many_arguments)]
fn panel(
    o: &mut String,
    p: &Panel,
    ylabel: &str,
    unit: Unit,
    xlo: f64,
    xhi: f64,
    xpos: &dyn Fn(f64) -> f64,
    l: Lang,
) {
    let right = SVG_W - RIGHT;
    let ypos =
        |y: f64| p.top + (1.0 - (y.ln() - p.ylo.ln()) / (p.yhi.ln() - p.ylo.ln())) * p.height;
    let _ = writeln!(
        o,
        r##"<rect x="{LEFT}" y="{}" width="{:.1}" height="{}" fill="none" stroke="#999"/>"##,
        p.top,
        right - LEFT,
        p.height
    );
    let mut last_y = f64::INFINITY;
    for t in y_ticks(p.ylo, p.yhi, unit) {
        let y = ypos(t);
        // Ticks come bottom-up; skip one too close to the last drawn.
        if last_y - y < 18.0 {
            continue;
        }
        last_y = y;
        let _ = writeln!(
            o,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{right:.1}" y2="{y:.1}" stroke="#e5e5e5"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#333">{}</text>"##,
            LEFT - 6.0,
            y + 4.0,
            esc(&fmt_tick(t, unit, l))
        );
    }
    for t in x_ticks(xlo, xhi) {
        let x = xpos(t);
        let _ = writeln!(
            o,
            r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{:.1}" stroke="#e5e5e5"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
            p.top,
            p.top + p.height,
            p.top + p.height + 16.0,
            esc(&fmt_tokens(t, l))
        );
    }
    let cy = p.top + p.height / 2.0;
    let _ = writeln!(
        o,
        r##"<text x="16" y="{cy:.1}" transform="rotate(-90 16 {cy:.1})" text-anchor="middle" fill="#333">{}</text>"##,
        esc(ylabel)
    );
}

fn draw_band(o: &mut String, p: &Panel, v: &[Band], color: &str, xpos: &dyn Fn(f64) -> f64) {
    let ypos =
        |y: f64| p.top + (1.0 - (y.ln() - p.ylo.ln()) / (p.yhi.ln() - p.ylo.ln())) * p.height;
    let mut poly = String::new();
    for b in v {
        let _ = write!(poly, "{:.1},{:.1} ", xpos(b.x), ypos(b.high));
    }
    for b in v.iter().rev() {
        let _ = write!(poly, "{:.1},{:.1} ", xpos(b.x), ypos(b.low));
    }
    let _ = writeln!(
        o,
        r#"<polygon points="{}" fill="{color}" fill-opacity="0.18" stroke="none"/>"#,
        poly.trim_end()
    );
    let line: Vec<String> = v
        .iter()
        .map(|b| format!("{:.1},{:.1}", xpos(b.x), ypos(b.typ)))
        .collect();
    let _ = writeln!(
        o,
        r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2.5"/>"#,
        line.join(" ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_and_labels() {
        assert_eq!(
            x_ticks(256.0, 4096.0),
            vec![256.0, 512.0, 1024.0, 2048.0, 4096.0]
        );
        assert!(x_ticks(256.0, 262144.0).len() <= 8);
        assert_eq!(fmt_tokens(262144.0, Lang::En), "256K");
        assert_eq!(fmt_tokens(512.0, Lang::En), "512");
        assert_eq!(fmt_compact(300.0, Unit::Seconds, Lang::En), "5.0 min");
        assert_eq!(fmt_compact(300.0, Unit::Seconds, Lang::Es), "5,0 min");
        assert_eq!(fmt_tick(90.0, Unit::Seconds, Lang::Es), "1,5 min");
        assert_eq!(
            y_ticks(20.0, 700.0, Unit::Seconds),
            vec![30.0, 60.0, 300.0, 600.0]
        );
    }
}
