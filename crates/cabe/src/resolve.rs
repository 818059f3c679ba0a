//! MODEL arguments: a GGUF path or URL, or a catalog entry, turned into a spec and its weights.

use crate::i18n::MsgContext;
use anyhow::{anyhow, Result};
use cabe_core::model::ModelSpec;
use cabe_core::quant::FileType;
use cabe_core::weights::{for_file_type, Weights};
use cabe_gguf::GgufModel;
use cabe_scan::http::RemoteLimits;
use cabe_scan::remote::is_url;
use std::path::Path;
use std::time::Duration;

/// A model ready for the estimator, with where it came from.
pub struct ResolvedModel {
    pub spec: ModelSpec,
    pub weights: Weights,
    /// "catalog", "file" or "url" (a GGUF file read over HTTP ranges).
    pub source: &'static str,
    pub id: String,
    pub display_name: String,
    pub quant: String,
    /// Catalog row's source note, the file path, or the file's URL.
    pub provenance: String,
}

impl ResolvedModel {
    /// Sized from a GGUF file's own tensors (local or remote), not from the catalog.
    pub fn is_file(&self) -> bool {
        self.source != "catalog"
    }
}

/// Default for a catalog model with no `--quant`: what Ollama's default tags and most GGUF
/// users get.
pub const DEFAULT_QUANT: FileType = FileType::Q4_K_M;

fn looks_like_path(s: &str) -> bool {
    s.ends_with(".gguf") || s.contains('/') || s.contains('\\') || Path::new(s).is_file()
}

/// Bounds on a remote header read: [`RemoteLimits::default`] (30 s, 64 MiB), or
/// `CABE_REMOTE_TIMEOUT` (a duration: 30, 30s, 2m) and `CABE_REMOTE_MAX_BYTES`.
pub fn remote_limits() -> Result<RemoteLimits> {
    let mut l = RemoteLimits::default();
    if let Ok(v) = std::env::var("CABE_REMOTE_TIMEOUT") {
        let secs = cabe_core::units::parse_duration_secs(v.trim())
            .ok()
            .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
            .ok_or_else(|| msg!("error-remote-timeout", value = v.as_str()))?;
        l.timeout = Duration::from_secs_f64(secs);
    }
    if let Ok(v) = std::env::var("CABE_REMOTE_MAX_BYTES") {
        l.max_bytes = v
            .trim()
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| msg!("error-remote-max-bytes", value = v.as_str()))?;
    }
    Ok(l)
}

/// A GGUF model (every shard's header) from a path or an http(s) URL: where it was read
/// (the path, or the file's URL) and its file name.
pub fn read_gguf(arg: &Path) -> Result<(GgufModel, String, String)> {
    if let Some(url) = arg.to_str().filter(|s| is_url(s)) {
        let r = cabe_scan::remote::read_gguf_url(url, &remote_limits()?).map_err(|e| anyhow!(e))?;
        return Ok((r.model, r.url, r.file_name));
    }
    let model = cabe_gguf::read_model(arg)?;
    let name = arg.file_name().map_or_else(
        || arg.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok((model, arg.display().to_string(), name))
}

pub fn model(arg: &str, quant: Option<&str>) -> Result<ResolvedModel> {
    let url = is_url(arg);
    if url || looks_like_path(arg) {
        if quant.is_some() {
            return Err(msg!("error-quant-on-file").into());
        }
        let (gguf, location, file_name) = read_gguf(Path::new(arg))?;
        let tensors: Vec<cabe_gguf::TensorInfo> = gguf.tensors().cloned().collect();
        let spec = cabe_gguf::spec::model_spec(&gguf.shards[0], &tensors)
            .msg_context(|| msg!("error-not-sizable", location = location.as_str()))?;
        let weights = cabe_gguf::spec::file_weights(&spec, &tensors);
        let quant = gguf.shards[0]
            .file_type()
            .and_then(FileType::from_id)
            .map_or_else(|| "mixed".to_string(), |t| t.name().to_string());
        return Ok(ResolvedModel {
            id: file_name,
            display_name: spec.name.clone(),
            spec,
            weights,
            source: if url { "url" } else { "file" },
            quant,
            provenance: location,
        });
    }
    catalog(arg, quant)
}

/// A catalog model (id or alias) at `quant` (default [`DEFAULT_QUANT`]); never a file.
pub fn catalog(arg: &str, quant: Option<&str>) -> Result<ResolvedModel> {
    let entry = cabe_catalog::find_model(arg)?;
    let ftype = match quant {
        Some(q) => FileType::parse(q).ok_or_else(|| {
            let names = FileType::all().map(|t| t.name()).collect::<Vec<_>>();
            msg!("error-unknown-quant", value = q, names = names.join(", "))
        })?,
        None => DEFAULT_QUANT,
    };
    let spec = entry.spec.clone();
    let weights = for_file_type(&spec, ftype);
    Ok(ResolvedModel {
        spec,
        weights,
        source: "catalog",
        id: entry.id.clone(),
        display_name: entry.name.clone(),
        quant: ftype.name().to_string(),
        provenance: entry.source.clone(),
    })
}
