//! # cabe-catalog
//!
//! The model and hardware catalogs cabe ships with: `data/models.toml` and
//! `data/hardware.toml`, embedded at build time, parsed once, and converted into
//! [`cabe_core::model::ModelSpec`] / [`cabe_core::hardware::HardwareSpec`].
//!
//! Data is data: the TOML files are meant to be read and edited by people, and every row names
//! the source of its numbers. This crate only parses, validates and looks up.
//!
//! Lookups ([`find_model`], [`find_hardware`]) accept an id, an alias (Ollama tags such as
//! `qwen3-coder:30b`), a Hugging Face id or a display name, ignoring case and the characters
//! `-`, `_`, `:`, `.` and space; then a unique prefix or substring; otherwise they fail with
//! [`NotFound`], which suggests the closest ids.

pub mod cloud;
pub mod links;
pub mod quality;
mod raw;
mod speed;
pub mod uses;

pub use speed::{efficiency, parse_speed, SPEED_TOML};

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use cabe_core::hardware::HardwareSpec;
use cabe_core::model::ModelSpec;
use cabe_core::text::shown;

pub use raw::{ModelKind, PriceKind, PriceSource, GIB};

/// The embedded model catalog, as written.
pub const MODELS_TOML: &str = include_str!("../data/models.toml");
/// The embedded hardware catalog, as written.
pub const HARDWARE_TOML: &str = include_str!("../data/hardware.toml");

/// One catalog model: its provenance and its architecture.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelEntry {
    /// The HF config ties the embeddings but real GGUFs carry `output.weight` (the spec then
    /// has `tied_embeddings = false`; `params_b` still counts the matrix once).
    pub gguf_unties_embeddings: bool,
    /// Lowercase CLI name.
    pub id: String,
    /// Other names users type (Ollama tags, `-instruct` names).
    pub aliases: Vec<String>,
    pub name: String,
    pub hf_id: String,
    /// Chat (the default), vision (text plus an mmproj for images), embedding or reranker.
    pub kind: ModelKind,
    /// Total parameters, billions (text model; a vision tower is `spec.projector`).
    pub params_b: f64,
    /// Parameters used per token (MoE), billions.
    pub active_params_b: Option<f64>,
    pub family: String,
    /// Release month, `YYYY-MM`.
    pub released: String,
    pub license: String,
    /// Where the numbers come from.
    pub source: String,
    /// Caveats: unconfirmed values, context notes. Empty when there are none.
    pub notes: String,
    pub spec: ModelSpec,
}

/// One catalog machine or device.
#[derive(Clone, Debug, PartialEq)]
pub struct HardwareEntry {
    pub id: String,
    pub aliases: Vec<String>,
    pub name: String,
    /// Launch month, `YYYY-MM`.
    pub released: String,
    pub source: String,
    pub notes: String,
    /// Where `spec.price_usd` comes from; `None` when the price is not sourced.
    pub price_source: Option<PriceSource>,
    pub spec: HardwareSpec,
}

/// A lookup that matched nothing (or too many): the query and the closest ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotFound {
    /// "model" or "hardware".
    pub what: &'static str,
    pub query: String,
    /// Up to three catalog ids, closest first.
    pub suggestions: Vec<String>,
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} '{}'", self.what, self.query)?;
        if !self.suggestions.is_empty() {
            write!(f, "; did you mean: {}?", self.suggestions.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for NotFound {}

/// Why a catalog file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{file}: {source}")]
    Toml {
        file: &'static str,
        source: toml::de::Error,
    },
    /// The row's id and the message are shown on one line: a file given with
    /// `--cloud-prices` is the user's, and may hold anything.
    #[error("{file}: row '{}': {}", shown(.id, 80), shown(.msg, 300))]
    Row {
        file: &'static str,
        id: String,
        msg: String,
    },
}

/// All catalog models, in file order.
///
/// The embedded data is checked by the crate's tests, so a parse failure here is a build
/// defect; it panics with the file, row and reason.
pub fn models() -> &'static [ModelEntry] {
    static MODELS: OnceLock<Vec<ModelEntry>> = OnceLock::new();
    MODELS.get_or_init(|| {
        parse_models(MODELS_TOML)
            .unwrap_or_else(|e| panic!("the embedded model catalog is invalid: {e}"))
    })
}

/// All catalog machines, in file order. See [`models`] on parse failures.
pub fn hardware() -> &'static [HardwareEntry] {
    static HARDWARE: OnceLock<Vec<HardwareEntry>> = OnceLock::new();
    HARDWARE.get_or_init(|| {
        parse_hardware(HARDWARE_TOML)
            .unwrap_or_else(|e| panic!("the embedded hardware catalog is invalid: {e}"))
    })
}

/// Parses a models TOML (the `data/models.toml` schema) and checks that ids and names are unique.
pub fn parse_models(text: &str) -> Result<Vec<ModelEntry>, CatalogError> {
    const FILE: &str = "models.toml";
    let file: raw::ModelFile =
        toml::from_str(text).map_err(|source| CatalogError::Toml { file: FILE, source })?;
    let mut out = Vec::with_capacity(file.model.len());
    for r in file.model {
        let spec = r.to_spec().map_err(|msg| CatalogError::Row {
            file: FILE,
            id: r.id.clone(),
            msg,
        })?;
        out.push(ModelEntry {
            id: r.id,
            aliases: r.aliases,
            name: r.name,
            hf_id: r.hf_id,
            kind: r.kind,
            params_b: r.params_b,
            active_params_b: r.active_params_b,
            family: r.family,
            released: r.released,
            license: r.license,
            source: r.source,
            notes: r.notes,
            gguf_unties_embeddings: r.gguf_unties_embeddings,
            spec,
        });
    }
    check_keys(FILE, &out, |e| &e.id, model_keys)?;
    Ok(out)
}

/// Parses a hardware TOML (the `data/hardware.toml` schema) and checks that ids and names are
/// unique.
pub fn parse_hardware(text: &str) -> Result<Vec<HardwareEntry>, CatalogError> {
    const FILE: &str = "hardware.toml";
    let file: raw::HardwareFile =
        toml::from_str(text).map_err(|source| CatalogError::Toml { file: FILE, source })?;
    let mut out = Vec::with_capacity(file.hardware.len());
    for r in file.hardware {
        let row_err = |msg| CatalogError::Row {
            file: FILE,
            id: r.id.clone(),
            msg,
        };
        let spec = r.to_spec().map_err(row_err)?;
        let price_source = r.price_source().map_err(row_err)?;
        out.push(HardwareEntry {
            id: r.id,
            aliases: r.aliases,
            name: r.name,
            released: r.released,
            source: r.source,
            notes: r.notes,
            price_source,
            spec,
        });
    }
    check_keys(FILE, &out, |e| &e.id, hardware_keys)?;
    Ok(out)
}

/// The form names are compared in: lowercase, without `-`, `_`, `:`, `.` and spaces.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | ':' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every name a model answers to: id, aliases, HF id (with and without the organisation), name.
pub fn model_keys(e: &ModelEntry) -> Vec<&str> {
    let mut keys = vec![e.id.as_str()];
    keys.extend(e.aliases.iter().map(String::as_str));
    keys.push(e.hf_id.as_str());
    if let Some((_, repo)) = e.hf_id.split_once('/') {
        keys.push(repo);
    }
    keys.push(e.name.as_str());
    keys
}

/// Every name a machine answers to: id, aliases, name.
pub fn hardware_keys(e: &HardwareEntry) -> Vec<&str> {
    let mut keys = vec![e.id.as_str()];
    keys.extend(e.aliases.iter().map(String::as_str));
    keys.push(e.name.as_str());
    keys
}

/// No two rows may answer to the same (normalized) name, or lookups would be ambiguous.
fn check_keys<T>(
    file: &'static str,
    rows: &[T],
    id: impl Fn(&T) -> &String,
    keys: impl Fn(&T) -> Vec<&str>,
) -> Result<(), CatalogError> {
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        for key in keys(row) {
            let k = normalize(key);
            if k.is_empty() {
                return Err(CatalogError::Row {
                    file,
                    id: id(row).clone(),
                    msg: format!("empty name '{key}'"),
                });
            }
            match owner.get(&k) {
                Some(&j) if j != i => {
                    return Err(CatalogError::Row {
                        file,
                        id: id(row).clone(),
                        msg: format!("'{key}' also names row '{}'", id(&rows[j])),
                    })
                }
                _ => {
                    owner.insert(k, i);
                }
            }
        }
    }
    Ok(())
}

/// Finds a model by id, alias, HF id or name; then by unique prefix or substring.
pub fn find_model(query: &str) -> Result<&'static ModelEntry, NotFound> {
    lookup(models(), query, "model", |e| &e.id, model_keys)
}

/// Finds a machine by id, alias or name; then by unique prefix or substring.
pub fn find_hardware(query: &str) -> Result<&'static HardwareEntry, NotFound> {
    lookup(hardware(), query, "hardware", |e| &e.id, hardware_keys)
}

fn lookup<'a, T>(
    rows: &'a [T],
    query: &str,
    what: &'static str,
    id: impl Fn(&T) -> &String,
    keys: impl Fn(&T) -> Vec<&str>,
) -> Result<&'a T, NotFound> {
    let q = normalize(query.trim());
    let normalized: Vec<Vec<String>> = rows
        .iter()
        .map(|r| keys(r).into_iter().map(normalize).collect())
        .collect();

    let matching = |test: &dyn Fn(&str) -> bool| -> Vec<usize> {
        (0..rows.len())
            .filter(|&i| normalized[i].iter().any(|k| test(k)))
            .collect()
    };

    let mut candidates: Vec<usize> = Vec::new();
    if !q.is_empty() {
        if let Some(&i) = matching(&|k| k == q).first() {
            return Ok(&rows[i]);
        }
        for test in [
            &(|k: &str| k.starts_with(q.as_str())) as &dyn Fn(&str) -> bool,
            &|k: &str| k.contains(q.as_str()),
        ] {
            let found = matching(test);
            if found.len() == 1 {
                return Ok(&rows[found[0]]);
            }
            if candidates.is_empty() {
                candidates = found;
            }
        }
    }

    // Nothing unique: suggest the closest ids, among the ambiguous matches if there were any.
    if candidates.is_empty() {
        candidates = (0..rows.len()).collect();
    }
    // The distance costs query × name characters: a query is cut to the longest name's
    // length (a 64 KiB name from `cabe serve` took seconds), and each row's is computed once.
    let longest = normalized
        .iter()
        .flatten()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0);
    let q_cut: String = q.chars().take(longest + 1).collect();
    let distance = |i: usize| -> usize {
        normalized[i]
            .iter()
            .map(|k| strsim::levenshtein(&q_cut, k))
            .min()
            .unwrap_or(usize::MAX)
    };
    candidates.sort_by_cached_key(|&i| (distance(i), i));
    Err(NotFound {
        what,
        query: query.to_string(),
        suggestions: candidates
            .into_iter()
            .take(3)
            .map(|i| id(&rows[i]).clone())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The catalog covers the models people run locally: at least 120 rows, every name answers
    /// to one row, and every row says what it is and where its numbers come from.
    #[test]
    fn catalog_is_broad_unique_and_sourced() {
        let rows = models();
        assert!(rows.len() >= 120, "{} models", rows.len());
        let mut ids = HashSet::new();
        // One row may spell an alias two ways (`qwen3-coder:30b`, `qwen3-coder-30b`); two rows
        // may not share one.
        let mut owner: HashMap<String, &str> = HashMap::new();
        for m in rows {
            assert!(ids.insert(m.id.as_str()), "duplicate id {}", m.id);
            for a in &m.aliases {
                let first = *owner.entry(normalize(a)).or_insert(&m.id);
                assert_eq!(first, m.id, "alias {a} names two rows");
            }
            assert!(m.source.contains("https://"), "{}: no https source", m.id);
        }
        assert!(
            rows.iter().any(|m| m.kind == ModelKind::Vision),
            "no vision model"
        );
    }

    #[test]
    fn kind_defaults_to_chat_and_rejects_unknown_values() {
        const ROW: &str = r#"
[[model]]
id = "x"
name = "X"
hf_id = "o/x"
architecture = "llama"
KIND
params_b = 1.0
n_layer = 2
n_embd = 64
n_ff = 128
n_head = 2
n_head_kv = 2
n_vocab = 100
native_ctx = 4096
tied_embeddings = true
family = "x"
released = "2024-01"
license = "mit"
source = "https://example.org"
"#;
        let parse = |kind: &str| parse_models(&ROW.replace("KIND", kind));
        assert_eq!(parse("").unwrap()[0].kind, ModelKind::Chat);
        for (text, kind) in [
            ("chat", ModelKind::Chat),
            ("vision", ModelKind::Vision),
            ("embedding", ModelKind::Embedding),
            ("reranker", ModelKind::Reranker),
        ] {
            let m = parse(&format!("kind = \"{text}\"")).unwrap();
            assert_eq!(m[0].kind, kind, "{text}");
        }
        assert!(parse("kind = \"audio\"").is_err());
    }
}
