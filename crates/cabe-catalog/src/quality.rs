//! `data/quality.toml`: how much each llama.cpp file type loses against F16, as published.
//!
//! The table holds published measurements only (perplexity, its change and ratio against F16,
//! KL divergence), each with its model, evaluation text, source and date. This module parses
//! and checks them, and picks one comparable figure per file type: the perplexity increase
//! over F16, in percent, on the reference series (the rows marked `reference = true`, all on
//! one model and one text; llama.cpp's Llama-3-8B scoreboard). `docs/quality.md` says what the
//! figures mean and where they stop meaning it.
//!
//! Family differences stay data too: [`sensitivities`] says, with its source, how many times as
//! much one family loses as another at a given type. Nothing here scales a figure by it; the
//! factor changes from type to type, so whether to show or apply it is the caller's decision.

use std::sync::OnceLock;

use cabe_core::quant::FileType;
use serde::Deserialize;

use crate::CatalogError;

/// The embedded quality table, as written.
pub const QUALITY_TOML: &str = include_str!("../data/quality.toml");

const FILE: &str = "quality.toml";

/// What a measurement row measures. Every metric compares a file type with F16 of the same
/// model on the same text, except `Ppl`, which is the type's own perplexity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Perplexity of this type (lower is better).
    Ppl,
    /// PPL(type) − PPL(F16).
    PplDelta,
    /// PPL(type) / PPL(F16).
    PplRatio,
    /// Mean KL divergence of this type's token distribution from F16's.
    Kld,
}

impl Metric {
    pub fn name(self) -> &'static str {
        match self {
            Metric::Ppl => "ppl",
            Metric::PplDelta => "ppl_delta",
            Metric::PplRatio => "ppl_ratio",
            Metric::Kld => "kld",
        }
    }
}

/// One published figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    pub file_type: FileType,
    /// The model it was measured on, e.g. "Llama-3-8B".
    pub model: String,
    pub metric: Metric,
    pub value: f64,
    /// The importance matrix the quantization used: "none" or what it was computed from.
    pub imatrix: String,
    /// The evaluation text, e.g. "wikitext-2-raw test".
    pub dataset: String,
    /// A public https URL.
    pub source: String,
    /// The source's date, `YYYY-MM-DD` or `YYYY-MM`.
    pub date: String,
    /// The row [`loss`] reports for its file type.
    pub reference: bool,
    /// The F16 `ppl` row a table's other `ppl` rows are compared with.
    pub baseline: bool,
    /// Caveats, and any rearrangement of the published figure. Empty when there are none.
    pub notes: String,
    /// The perplexity increase over F16 in percent, where this row (with the `ppl` row beside
    /// it, or its table's F16 baseline) determines it. `None` for KL divergence.
    pub ppl_increase_pct: Option<f64>,
}

/// How many times as much `family` loses as `relative_to` at `file_type`, with its source.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    /// A family as the model catalog spells its prefix, e.g. "llama3".
    pub family: String,
    /// The model the family's figure is on.
    pub model: String,
    pub relative_to: String,
    pub relative_model: String,
    pub file_type: FileType,
    /// (PPL ratio − 1) of `model` over (PPL ratio − 1) of `relative_model`.
    pub factor: f64,
    pub source: String,
    pub date: String,
    pub notes: String,
}

/// A word for a loss: losses below `below_pct` (and at or above the previous band's bound) get
/// `label`. The last band has no bound.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub label: String,
    pub below_pct: Option<f64>,
}

/// The parsed table.
#[derive(Clone, Debug, PartialEq)]
pub struct Quality {
    pub measurements: Vec<Measurement>,
    pub sensitivities: Vec<Sensitivity>,
    pub bands: Vec<Band>,
}

/// One comparable figure for a file type, and everything published about it.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantLoss {
    pub file_type: FileType,
    /// Perplexity increase over F16, percent, on `model` (the reference series).
    pub ppl_increase_pct: f64,
    /// The published PPL(type) − PPL(F16) the percentage comes from.
    pub ppl_delta: f64,
    /// KL divergence from F16 in the same measurement, when published.
    pub kld: Option<f64>,
    pub model: &'static str,
    pub dataset: &'static str,
    pub imatrix: &'static str,
    pub source: &'static str,
    pub date: &'static str,
    /// "near-lossless", "small loss", "noticeable" or "large" (the bands in the table).
    pub description: &'static str,
    /// Every row for this file type, on any model, in file order (for `--explain`).
    pub rows: Vec<&'static Measurement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    band: Vec<RawBand>,
    #[serde(default)]
    sensitivity: Vec<RawSensitivity>,
    #[serde(default)]
    measurement: Vec<RawMeasurement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    label: String,
    below_pct: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSensitivity {
    family: String,
    model: String,
    relative_to: String,
    relative_model: String,
    file_type: String,
    factor: f64,
    source: String,
    date: String,
    #[serde(default)]
    notes: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasurement {
    file_type: String,
    model: String,
    metric: Metric,
    value: f64,
    imatrix: String,
    dataset: String,
    source: String,
    date: String,
    #[serde(default)]
    reference: bool,
    #[serde(default)]
    baseline: bool,
    #[serde(default)]
    notes: String,
}

/// The embedded table. It is checked by the crate's tests, so a parse failure here is a build
/// defect; it panics with the row and reason.
fn table() -> &'static Quality {
    static TABLE: OnceLock<Quality> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse_quality(QUALITY_TOML)
            .unwrap_or_else(|e| panic!("the embedded quality table is invalid: {e}"))
    })
}

/// All measurements, in file order.
pub fn measurements() -> &'static [Measurement] {
    &table().measurements
}

/// All family sensitivities, in file order.
pub fn sensitivities() -> &'static [Sensitivity] {
    &table().sensitivities
}

/// The bands [`describe`] uses, ascending.
pub fn bands() -> &'static [Band] {
    &table().bands
}

/// The model the reference series is measured on ("Llama-3-8B").
pub fn reference_model() -> &'static str {
    table()
        .measurements
        .iter()
        .find(|m| m.reference)
        .map(|m| m.model.as_str())
        .expect("the table has reference rows (checked by parse_quality)")
}

/// The word for a perplexity increase in percent.
pub fn describe(ppl_increase_pct: f64) -> &'static str {
    band_for(&table().bands, ppl_increase_pct)
}

fn band_for(bands: &[Band], pct: f64) -> &str {
    bands
        .iter()
        .find(|b| b.below_pct.is_none_or(|max| pct < max))
        .map(|b| b.label.as_str())
        .expect("the last band has no bound (checked by parse_quality)")
}

/// The loss of `file_type` against F16 on the reference series, or `None` when nothing
/// comparable is published (callers say "not measured").
pub fn loss(file_type: FileType) -> Option<QuantLoss> {
    let t = table();
    let r = t
        .measurements
        .iter()
        .find(|m| m.reference && m.file_type == file_type)?;
    let kld = t
        .measurements
        .iter()
        .find(|m| m.metric == Metric::Kld && same_run(m, r))
        .map(|m| m.value);
    let pct = r
        .ppl_increase_pct
        .expect("reference rows have a percentage (checked by parse_quality)");
    Some(QuantLoss {
        file_type,
        ppl_increase_pct: pct,
        ppl_delta: r.value,
        kld,
        model: &r.model,
        dataset: &r.dataset,
        imatrix: &r.imatrix,
        source: &r.source,
        date: &r.date,
        description: band_for(&t.bands, pct),
        rows: t
            .measurements
            .iter()
            .filter(|m| m.file_type == file_type)
            .collect(),
    })
}

/// Two rows from one quantized file's evaluation: same type, model, text, imatrix and source.
fn same_run(a: &Measurement, b: &Measurement) -> bool {
    a.file_type == b.file_type
        && a.model == b.model
        && a.dataset == b.dataset
        && a.imatrix == b.imatrix
        && a.source == b.source
}

/// Parses a quality table (the `data/quality.toml` schema) and checks it: known file types,
/// finite values, https sources, valid dates, at most one reference row per type, all
/// reference rows on one model and text with a percentage, and bands that ascend.
pub fn parse_quality(text: &str) -> Result<Quality, CatalogError> {
    let raw: RawFile =
        toml::from_str(text).map_err(|source| CatalogError::Toml { file: FILE, source })?;
    let err = |id: String, msg: String| CatalogError::Row {
        file: FILE,
        id,
        msg,
    };

    let mut bands = Vec::with_capacity(raw.band.len());
    for (i, b) in raw.band.iter().enumerate() {
        let last = i + 1 == raw.band.len();
        let ok = match b.below_pct {
            None => last,
            Some(max) => {
                !last
                    && max.is_finite()
                    && bands
                        .last()
                        .is_none_or(|p: &Band| p.below_pct.is_some_and(|prev| prev < max))
            }
        };
        if !ok || b.label.trim().is_empty() {
            return Err(err(
                format!("band '{}'", b.label),
                "bands need a label and ascending bounds; only the last has none".into(),
            ));
        }
        bands.push(Band {
            label: b.label.clone(),
            below_pct: b.below_pct,
        });
    }
    if bands.is_empty() {
        return Err(err("band".into(), "at least one band is needed".into()));
    }

    let mut sensitivities = Vec::with_capacity(raw.sensitivity.len());
    for s in raw.sensitivity {
        let id = format!("sensitivity {}/{}", s.family, s.file_type);
        let file_type = FileType::parse(&s.file_type)
            .ok_or_else(|| err(id.clone(), format!("unknown file type '{}'", s.file_type)))?;
        check_provenance(&s.source, &s.date).map_err(|m| err(id.clone(), m))?;
        if !(s.factor.is_finite() && s.factor > 0.0) {
            return Err(err(id, "factor must be finite and positive".into()));
        }
        sensitivities.push(Sensitivity {
            family: s.family,
            model: s.model,
            relative_to: s.relative_to,
            relative_model: s.relative_model,
            file_type,
            factor: s.factor,
            source: s.source,
            date: s.date,
            notes: s.notes,
        });
    }

    let mut measurements = Vec::with_capacity(raw.measurement.len());
    for r in raw.measurement {
        let id = format!("{} {} {}", r.file_type, r.model, r.metric.name());
        let file_type = FileType::parse(&r.file_type)
            .ok_or_else(|| err(id.clone(), format!("unknown file type '{}'", r.file_type)))?;
        check_provenance(&r.source, &r.date).map_err(|m| err(id.clone(), m))?;
        if !r.value.is_finite() {
            return Err(err(id, "value is not finite".into()));
        }
        if r.baseline && (file_type != FileType::F16 || r.metric != Metric::Ppl) {
            return Err(err(id, "only an F16 ppl row can be a baseline".into()));
        }
        measurements.push(Measurement {
            file_type,
            model: r.model,
            metric: r.metric,
            value: r.value,
            imatrix: r.imatrix,
            dataset: r.dataset,
            source: r.source,
            date: r.date,
            reference: r.reference,
            baseline: r.baseline,
            notes: r.notes,
            ppl_increase_pct: None,
        });
    }
    let pcts: Vec<Option<f64>> = (0..measurements.len())
        .map(|i| increase_pct(&measurements, i))
        .collect();
    for (m, p) in measurements.iter_mut().zip(pcts) {
        m.ppl_increase_pct = p;
    }

    let mut first_ref: Option<&Measurement> = None;
    for (i, m) in measurements.iter().enumerate().filter(|(_, m)| m.reference) {
        let id = format!("{} {} {}", m.file_type, m.model, m.metric.name());
        if m.metric != Metric::PplDelta || m.ppl_increase_pct.is_none() {
            return Err(err(
                id,
                "a reference row is a ppl_delta with a ppl row beside it".into(),
            ));
        }
        if measurements[..i]
            .iter()
            .any(|p| p.reference && p.file_type == m.file_type)
        {
            return Err(err(id, "a second reference row for this file type".into()));
        }
        match first_ref {
            None => first_ref = Some(m),
            Some(f) if f.model != m.model || f.dataset != m.dataset => {
                return Err(err(
                    id,
                    format!(
                        "reference rows must share one model and text ({} on {})",
                        f.model, f.dataset
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    if first_ref.is_none() {
        return Err(err("measurement".into(), "no reference rows".into()));
    }

    Ok(Quality {
        measurements,
        sensitivities,
        bands,
    })
}

/// The percentage a row determines. A `ppl` and a `ppl_delta` row of one run give the F16
/// perplexity as their difference, which is exact where the table prints no F16 figure of its
/// own (llama.cpp's scoreboard compares with F16 logits it does not list); otherwise `ppl` rows
/// compare with their table's F16 baseline.
fn increase_pct(rows: &[Measurement], i: usize) -> Option<f64> {
    let m = &rows[i];
    let sibling = |metric: Metric| {
        rows.iter()
            .find(|o| o.metric == metric && same_run(o, m))
            .map(|o| o.value)
    };
    let baseline = || {
        rows.iter()
            .find(|o| o.baseline && o.model == m.model && o.source == m.source)
            .map(|o| o.value)
    };
    match m.metric {
        Metric::Kld => None,
        Metric::PplRatio => Some((m.value - 1.0) * 100.0),
        Metric::PplDelta => match sibling(Metric::Ppl) {
            Some(ppl) => Some(m.value / (ppl - m.value) * 100.0),
            None => baseline().map(|f16| m.value / f16 * 100.0),
        },
        Metric::Ppl => match sibling(Metric::PplDelta) {
            Some(delta) => Some(delta / (m.value - delta) * 100.0),
            None => baseline().map(|f16| (m.value / f16 - 1.0) * 100.0),
        },
    }
}

fn check_provenance(source: &str, date: &str) -> Result<(), String> {
    if !source.starts_with("https://") || source.contains(char::is_whitespace) {
        return Err(format!("source '{source}' is not one https URL"));
    }
    if !valid_date(date) {
        return Err(format!("date '{date}' is not YYYY-MM or YYYY-MM-DD"));
    }
    Ok(())
}

/// `YYYY-MM` or `YYYY-MM-DD`, with a month and day that exist in some month (the sources are
/// dated to the day at most; a calendar check would add nothing a reader needs).
fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok())?
    };
    match parts.as_slice() {
        [y, m] => num(y, 4).is_some() && num(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => {
            num(y, 4).is_some()
                && num(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && num(d, 2).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCOREBOARD: &str =
        "https://github.com/ggml-org/llama.cpp/blob/master/tools/perplexity/README.md";
    const QUANTIZE_HELP: &str =
        "https://github.com/ggml-org/llama.cpp/blob/master/tools/quantize/quantize.cpp";

    fn pct(ft: FileType) -> f64 {
        loss(ft)
            .unwrap_or_else(|| panic!("{ft} has no reference loss"))
            .ppl_increase_pct
    }

    #[test]
    fn every_row_has_a_public_source_and_a_valid_date() {
        assert!(measurements().len() >= 100, "{} rows", measurements().len());
        for m in measurements() {
            assert!(m.source.starts_with("https://github.com/"), "{m:?}");
            assert!(valid_date(&m.date), "{m:?}");
            let year: u32 = m.date[..4].parse().unwrap();
            assert!((2023..=2026).contains(&year), "{m:?}");
        }
        for s in sensitivities() {
            assert!(s.source.starts_with("https://github.com/"), "{s:?}");
            assert!(valid_date(&s.date), "{s:?}");
        }
    }

    /// The names are checked as written, not only after parsing: the table spells each type
    /// the way `FileType` prints it, so a reader's search for "Q4_K_M" finds every row.
    #[test]
    fn every_file_type_name_parses_as_written() {
        let raw: toml::Table = toml::from_str(QUALITY_TOML).unwrap();
        let mut n = 0;
        for key in ["measurement", "sensitivity"] {
            for row in raw[key].as_array().unwrap() {
                let name = row["file_type"].as_str().unwrap();
                let ft = FileType::parse(name).unwrap_or_else(|| panic!("{name}"));
                assert_eq!(ft.name(), name);
                n += 1;
            }
        }
        assert_eq!(n, measurements().len() + sensitivities().len());
    }

    #[test]
    fn values_are_finite_and_in_a_sane_range() {
        for m in measurements() {
            let ok = match m.metric {
                Metric::Ppl => (1.0..100.0).contains(&m.value),
                Metric::PplDelta => (-0.1..60.0).contains(&m.value),
                Metric::PplRatio => (0.99..10.0).contains(&m.value),
                Metric::Kld => (0.0..5.0).contains(&m.value),
            };
            assert!(ok, "{m:?}");
            if let Some(p) = m.ppl_increase_pct {
                // F16 and BF16 may read slightly below zero; IQ1_S on Llama-3-8B is the worst.
                assert!((-1.0..1000.0).contains(&p), "{m:?}");
            }
        }
        for s in sensitivities() {
            assert!((0.5..10.0).contains(&s.factor), "{s:?}");
        }
    }

    #[test]
    fn loss_falls_as_bits_rise_on_the_k_quant_ladder() {
        use FileType::*;
        let ladder = [Q2_K, Q3_K_M, Q4_K_M, Q5_K_M, Q6_K, Q8_0, F16];
        for w in ladder.windows(2) {
            assert!(pct(w[0]) > pct(w[1]), "{} vs {}", w[0], w[1]);
        }
        // The S/M/L variants of one k-quant order by size too.
        for w in [Q3_K_S, Q3_K_M, Q3_K_L, Q4_K_S, Q4_K_M, Q5_K_S, Q5_K_M].windows(2) {
            assert!(pct(w[0]) > pct(w[1]), "{} vs {}", w[0], w[1]);
        }
    }

    #[test]
    fn q4_k_m_has_a_reference_loss_with_its_provenance() {
        let l = loss(FileType::Q4_K_M).unwrap();
        assert_eq!(l.model, "Llama-3-8B");
        assert_eq!(reference_model(), "Llama-3-8B");
        assert_eq!(l.imatrix, "none");
        assert_eq!(l.source, SCOREBOARD);
        assert_eq!(l.date, "2024-05-20");
        // 0.175482 / (6.407115 − 0.175482), the scoreboard's own figures.
        assert!((l.ppl_increase_pct - 2.816).abs() < 0.001, "{l:?}");
        assert_eq!(l.kld, Some(0.031273));
        assert_eq!(l.description, "small loss");
        // The explain rows carry the other models and sources, not only the reference run.
        let models: std::collections::HashSet<&str> =
            l.rows.iter().map(|m| m.model.as_str()).collect();
        for m in ["Llama-3-8B", "Llama-2-7B", "Llama-3-70B", "LLaMA-1-7B"] {
            assert!(models.contains(m), "{m} missing from {models:?}");
        }
        assert!(l.rows.iter().all(|m| m.file_type == FileType::Q4_K_M));
    }

    #[test]
    fn types_without_a_measurement_return_none() {
        use FileType::*;
        for ft in [F32, TQ1_0, TQ2_0, MXFP4_MOE] {
            assert_eq!(loss(ft), None, "{ft}");
        }
        // Everything else llama-quantize makes from a 16-bit model has a figure.
        let measured = FileType::all().filter(|&f| loss(f).is_some()).count();
        assert_eq!(measured, FileType::all().count() - 4);
    }

    #[test]
    fn reference_rows_prefer_a_run_without_an_importance_matrix() {
        for r in measurements().iter().filter(|m| m.reference) {
            let plain = measurements().iter().any(|m| {
                m.file_type == r.file_type
                    && m.model == r.model
                    && m.source == r.source
                    && m.imatrix == "none"
                    && m.metric == Metric::PplDelta
            });
            assert_eq!(plain, r.imatrix == "none", "{r:?}");
        }
    }

    /// llama-quantize's help text quotes the scoreboard to four decimals, some rounded (Q3_K_M's
    /// 0.656864 reads +0.6569) and some cut (Q8_0's 0.002650 reads +0.0026), so they agree to
    /// within 0.0001; if either is edited alone, this says so.
    #[test]
    fn quantize_help_agrees_with_the_scoreboard() {
        let help: Vec<&Measurement> = measurements()
            .iter()
            .filter(|m| m.source == QUANTIZE_HELP)
            .collect();
        assert_eq!(help.len(), 15);
        let mut checked = 0;
        for h in help.iter().filter(|h| h.imatrix == "none") {
            let l = loss(h.file_type).unwrap();
            assert_eq!(l.imatrix, "none", "{h:?}");
            assert!((l.ppl_delta - h.value).abs() < 0.0001, "{h:?} vs {l:?}");
            checked += 1;
        }
        assert_eq!(checked, 14);
    }

    #[test]
    fn sensitivity_factors_follow_from_their_rows() {
        let ratio = |model: &str, s: &Sensitivity| {
            measurements()
                .iter()
                .find(|m| {
                    m.model == model
                        && m.file_type == s.file_type
                        && m.source == s.source
                        && m.metric == Metric::PplRatio
                })
                .unwrap_or_else(|| panic!("no ppl_ratio row for {model} {s:?}"))
                .value
        };
        assert!(!sensitivities().is_empty());
        for s in sensitivities() {
            let f = (ratio(&s.model, s) - 1.0) / (ratio(&s.relative_model, s) - 1.0);
            assert!((f - s.factor).abs() < 0.01, "{f} vs {s:?}");
        }
        let q4 = sensitivities()
            .iter()
            .find(|s| s.file_type == FileType::Q4_K_M)
            .unwrap();
        assert_eq!(
            (q4.family.as_str(), q4.relative_to.as_str()),
            ("llama3", "llama2")
        );
        assert!((1.9..2.1).contains(&q4.factor), "about twice: {q4:?}");
    }

    /// The conversions reproduce the percentages the sources print next to their tables.
    #[test]
    fn percentages_match_the_published_ones() {
        let find = |model: &str, ft: FileType, metric: Metric| {
            measurements()
                .iter()
                .find(|m| {
                    m.model == model
                        && m.file_type == ft
                        && m.metric == metric
                        && !m.imatrix.starts_with("wikitext")
                })
                .and_then(|m| m.ppl_increase_pct)
                .unwrap_or_else(|| panic!("{model} {ft}"))
        };
        let close = |a: f64, b: f64| (a - b).abs() < 0.01;
        assert!(close(
            find("Llama-3-70B", FileType::IQ1_S, Metric::Ppl),
            248.51
        ));
        assert!(close(
            find("Llama-3-70B", FileType::Q4_K_M, Metric::Ppl),
            4.83
        ));
        assert!(close(find("Llama-3-70B", FileType::F16, Metric::Ppl), 0.0));
        assert!(close(
            find("LLaMA-1-7B", FileType::Q4_K_M, Metric::Ppl),
            0.906
        ));
        // A ppl row and its ppl_delta row say the same thing.
        let p = find("Llama-3-8B", FileType::Q4_K_M, Metric::Ppl);
        assert!(close(p, pct(FileType::Q4_K_M)));
        assert!(close(
            find("Llama-2-7B", FileType::Q4_K_M, Metric::PplRatio),
            1.4242
        ));
        // BF16 reads as a hair better than F16, as its source found.
        assert!((-0.05..0.0).contains(&pct(FileType::BF16)));
    }

    #[test]
    fn descriptions_follow_the_bands() {
        assert_eq!(describe(0.0), "near-lossless");
        assert_eq!(describe(0.99), "near-lossless");
        assert_eq!(describe(1.0), "small loss");
        assert_eq!(describe(4.9), "small loss");
        assert_eq!(describe(10.0), "noticeable");
        assert_eq!(describe(15.0), "large");
        assert_eq!(describe(1e6), "large");
        use FileType::*;
        for (ft, word) in [
            (Q8_0, "near-lossless"),
            (Q6_K, "near-lossless"),
            (Q5_K_M, "near-lossless"),
            (Q4_K_M, "small loss"),
            (Q3_K_M, "noticeable"),
            (Q2_K, "large"),
            (IQ1_S, "large"),
        ] {
            assert_eq!(loss(ft).unwrap().description, word, "{ft}");
        }
        assert_eq!(bands().len(), 4);
    }

    const ROW: &str = r#"
[[band]]
label = "all"

[[measurement]]
file_type = "FT"
model = "M"
metric = "ppl_delta"
value = 0.1
imatrix = "none"
dataset = "d"
source = "SRC"
date = "DATE"
reference = true

[[measurement]]
file_type = "Q4_K_M"
model = "M"
metric = "ppl"
value = 6.1
imatrix = "none"
dataset = "d"
source = "https://example.org/t"
date = "2024-05"
"#;

    fn parse_row(ft: &str, src: &str, date: &str) -> Result<Quality, CatalogError> {
        parse_quality(
            &ROW.replace("FT", ft)
                .replace("SRC", src)
                .replace("DATE", date),
        )
    }

    #[test]
    fn parse_rejects_unsourced_undated_or_unknown_rows() {
        let good = parse_row("Q4_K_M", "https://example.org/t", "2024-05").unwrap();
        assert!((good.measurements[0].ppl_increase_pct.unwrap() - 1.6667).abs() < 0.001);
        assert!(parse_row("Q4_K_M", "https://example.org/t", "2024-05-20").is_ok());
        assert!(parse_row("Q4_K_Q", "https://example.org/t", "2024-05").is_err());
        assert!(parse_row("Q4_K_M", "http://example.org/t", "2024-05").is_err());
        assert!(parse_row("Q4_K_M", "", "2024-05").is_err());
        for date in [
            "2024",
            "2024-13",
            "2024-5",
            "24-05-01",
            "2024-05-32",
            "May 2024",
        ] {
            assert!(
                parse_row("Q4_K_M", "https://example.org/t", date).is_err(),
                "{date}"
            );
        }
        // A reference row needs a percentage: without its ppl row it has none.
        assert!(parse_row("Q6_K", "https://example.org/t", "2024-05").is_err());
        // Two reference rows for one type.
        let good_text = ROW
            .replace("FT", "Q4_K_M")
            .replace("SRC", "https://example.org/t")
            .replace("DATE", "2024-05");
        let first = good_text.split("[[measurement]]").nth(1).unwrap();
        let doubled = format!("{good_text}\n[[measurement]]{first}");
        assert!(parse_quality(&doubled).is_err());
        // Bands must ascend, and only the last may be open.
        let bands = "[[band]]\nlabel = \"a\"\nbelow_pct = 5.0\n\n[[band]]\nlabel = \"b\"\nbelow_pct = 1.0\n\n[[band]]\nlabel = \"c\"\n";
        let text = good_text.replace("[[band]]\nlabel = \"all\"\n", bands);
        assert!(parse_quality(&text).is_err());
        assert!(parse_quality(
            &good_text.replace("label = \"all\"", "label = \"all\"\nbelow_pct = 1.0")
        )
        .is_err());
    }
}
