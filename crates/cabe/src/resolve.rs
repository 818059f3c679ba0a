//! MODEL arguments: a GGUF path or a catalog entry, turned into a spec and its weights.

use anyhow::{bail, Context, Result};
use cabe_core::model::ModelSpec;
use cabe_core::quant::FileType;
use cabe_core::weights::{for_file_type, Weights};
use std::path::Path;

/// A model ready for the estimator, with where it came from.
pub struct ResolvedModel {
    pub spec: ModelSpec,
    pub weights: Weights,
    /// "catalog" or "file".
    pub source: &'static str,
    pub id: String,
    pub display_name: String,
    pub quant: String,
    /// Catalog row's source note, or the file path.
    pub provenance: String,
}

/// Default for a catalog model with no `--quant`: what Ollama's default tags and most GGUF
/// users get.
pub const DEFAULT_QUANT: FileType = FileType::Q4_K_M;

fn looks_like_path(s: &str) -> bool {
    s.ends_with(".gguf") || s.contains('/') || s.contains('\\') || Path::new(s).is_file()
}

pub fn model(arg: &str, quant: Option<&str>) -> Result<ResolvedModel> {
    if looks_like_path(arg) {
        if quant.is_some() {
            bail!(
                "--quant applies to catalog models; a GGUF file is sized from its own tensor types"
            );
        }
        let path = Path::new(arg);
        let gguf = cabe_gguf::read_model(path)?;
        let tensors: Vec<cabe_gguf::TensorInfo> = gguf.tensors().cloned().collect();
        let spec = cabe_gguf::spec::model_spec(&gguf.shards[0], &tensors)
            .with_context(|| format!("{} is not a model cabe can size", path.display()))?;
        let weights = cabe_gguf::spec::file_weights(&spec, &tensors);
        let quant = gguf.shards[0]
            .file_type()
            .and_then(FileType::from_id)
            .map_or_else(|| "mixed".to_string(), |t| t.name().to_string());
        return Ok(ResolvedModel {
            id: path
                .file_name()
                .map_or_else(|| arg.to_string(), |n| n.to_string_lossy().into_owned()),
            display_name: spec.name.clone(),
            spec,
            weights,
            source: "file",
            quant,
            provenance: path.display().to_string(),
        });
    }
    let entry = cabe_catalog::find_model(arg)?;
    let ftype = match quant {
        Some(q) => FileType::parse(q).with_context(|| {
            format!(
                "unknown quantization '{q}' (try one of: {})",
                FileType::all()
                    .map(|t| t.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
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
