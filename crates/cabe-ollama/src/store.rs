//! Ollama's on-disk model store, read without the server (Ollama
//! `manifest/*.go`, `types/model/name.go`, `server/images.go`):
//!
//! ```text
//! $OLLAMA_MODELS/manifests/<host>/<namespace>/<model>/<tag>   manifest JSON
//! $OLLAMA_MODELS/blobs/sha256-<64 hex>                        content-addressed blobs
//! ```
//!
//! A manifest names a config blob and layers by media type (`application/vnd.ollama.image.*`):
//! the model GGUF, an optional projector and adapters, and small text/JSON layers (params,
//! template, system, license, messages). Small layers are read (bounded) and their sha256 is
//! checked; the model blob is only checked for presence and size — hashing tens of GB would
//! take minutes, and Ollama itself verifies digests when it pulls, not when it loads.

use crate::name::ModelName;
use cabe_core::text::shown;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Manifests are a few hundred bytes; refuse anything absurd.
pub const MAX_MANIFEST_BYTES: u64 = 1 << 20;
/// Params, template, system, license, messages and config layers are read up to this size.
pub const MAX_SMALL_LAYER_BYTES: u64 = 4 << 20;

pub const MEDIA_PREFIX: &str = "application/vnd.ollama.image.";

/// One entry of a manifest's `layers` (or its `config`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Layer {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The manifest JSON Ollama writes (Docker distribution manifest v2).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub schema_version: u32,
    #[serde(default)]
    pub media_type: String,
    pub config: Option<Layer>,
    pub layers: Vec<Layer>,
}

/// What a layer holds, from its media type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    Model,
    Projector,
    Adapter,
    Template,
    System,
    Params,
    Messages,
    License,
    Tensor,
    Draft,
    Other(String),
}

impl LayerKind {
    pub fn of(media_type: &str) -> LayerKind {
        match media_type.strip_prefix(MEDIA_PREFIX).unwrap_or(media_type) {
            "model" => LayerKind::Model,
            "projector" => LayerKind::Projector,
            "adapter" => LayerKind::Adapter,
            // `prompt` is the template's older name.
            "template" | "prompt" => LayerKind::Template,
            "system" => LayerKind::System,
            "params" => LayerKind::Params,
            "messages" => LayerKind::Messages,
            "license" => LayerKind::License,
            "tensor" => LayerKind::Tensor,
            "draft" => LayerKind::Draft,
            other => LayerKind::Other(other.to_string()),
        }
    }
}

/// Why a store lookup failed outright (the model cannot be read from disk).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no Ollama model store at {0} (set OLLAMA_MODELS to the models directory)")]
    NoStore(PathBuf),
    #[error("{name} is not in the Ollama store at {store}{hint}")]
    NotFound {
        name: String,
        store: PathBuf,
        hint: String,
    },
    #[error("manifest {path}: {problem}")]
    BadManifest { path: PathBuf, problem: String },
    #[error("{name} has no model layer (application/vnd.ollama.image.model) in {path}")]
    NoModelLayer { name: String, path: PathBuf },
    #[error("the model blob of {name} is missing: {path} (re-pull it: ollama pull {name})")]
    MissingModelBlob { name: String, path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A problem with one layer that does not stop the diagnosis (it becomes a finding).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayerProblem {
    pub media_type: String,
    pub digest: String,
    pub problem: String,
}

/// A blob on disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Blob {
    pub digest: String,
    pub path: PathBuf,
    /// Size from the manifest.
    pub size: u64,
    /// Size on disk.
    pub file_size: u64,
}

/// A model read from the store: its layers, decoded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredModel {
    pub name: ModelName,
    pub manifest_path: PathBuf,
    pub manifest: Manifest,
    /// The GGUF.
    pub model: Blob,
    pub projectors: Vec<Blob>,
    pub adapters: Vec<Blob>,
    /// The params layer (`{"num_ctx":131072,"stop":[…]}`), in file order.
    pub params: Option<serde_json::Map<String, serde_json::Value>>,
    pub template: Option<String>,
    pub system: Option<String>,
    pub license: Option<String>,
    pub messages: Option<serde_json::Value>,
    /// The config blob (model_format, model_family, file_type, …), when readable.
    pub config: Option<serde_json::Value>,
    /// Layers that are missing, truncated, unreadable or do not match their digest.
    pub problems: Vec<LayerProblem>,
}

impl StoredModel {
    /// `num_ctx` from the params layer, if set (a number, or a numeric string).
    pub fn num_ctx(&self) -> Option<u64> {
        param_u64(self.params.as_ref()?.get("num_ctx")?)
    }
}

/// A JSON number or numeric string as u64.
pub fn param_u64(v: &serde_json::Value) -> Option<u64> {
    match v {
        serde_json::Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Checks a digest (`sha256:<64 hex>` or `sha256-<64 hex>`, Ollama's rule) and gives the blob
/// file name `sha256-<hex>`; anything else (including path tricks) is refused.
pub fn blob_file_name(digest: &str) -> Option<String> {
    let hex = digest
        .strip_prefix("sha256:")
        .or_else(|| digest.strip_prefix("sha256-"))?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("sha256-{}", hex.to_ascii_lowercase()))
}

/// The store: `$OLLAMA_MODELS`.
#[derive(Clone, Debug)]
pub struct Store {
    pub root: PathBuf,
}

/// Where Ollama keeps models: `OLLAMA_MODELS`, else `~/.ollama/models` (the Linux service
/// uses `/usr/share/ollama/.ollama/models`; that one is tried when the first does not exist).
pub fn default_root(ollama_models: Option<&str>, home: Option<&Path>) -> PathBuf {
    if let Some(m) = ollama_models.filter(|m| !m.trim().is_empty()) {
        return PathBuf::from(m.trim());
    }
    let user = home.map(|h| h.join(".ollama/models"));
    match user {
        Some(u) if u.is_dir() => u,
        _ => {
            let service = PathBuf::from("/usr/share/ollama/.ollama/models");
            if service.is_dir() {
                service
            } else {
                user.unwrap_or(service)
            }
        }
    }
}

fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, std::io::Error> {
    // A FIFO in the store would block the open until a writer came, and a device reads
    // forever: only regular files (symlinks followed) are opened.
    let not_a_file = |kind: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("is a {kind}, not a file"),
        )
    };
    if let Some(kind) = cabe_gguf::special_file_kind(fs::metadata(path)?.file_type()) {
        return Err(not_a_file(kind));
    }
    let f = fs::File::open(path)?;
    if let Some(kind) = cabe_gguf::special_file_kind(f.metadata()?.file_type()) {
        return Err(not_a_file(kind));
    }
    let mut buf = Vec::new();
    f.take(cap + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {cap} bytes"),
        ));
    }
    Ok(buf)
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn blob_path(&self, digest: &str) -> Option<PathBuf> {
        blob_file_name(digest).map(|f| self.root.join("blobs").join(f))
    }

    /// Every model in the store (`manifests/*/*/*/*`), sorted by short name.
    pub fn list(&self) -> Vec<ModelName> {
        let mut out = Vec::new();
        let dir = self.root.join("manifests");
        let sub = |p: &Path| -> Vec<(String, PathBuf)> {
            let mut v: Vec<(String, PathBuf)> = fs::read_dir(p)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                .collect();
            v.sort();
            v
        };
        for (host, hp) in sub(&dir) {
            for (ns, np) in sub(&hp) {
                for (model, mp) in sub(&np) {
                    for (tag, tp) in sub(&mp) {
                        if tp.is_file() {
                            out.push(ModelName {
                                host: host.clone(),
                                namespace: ns.clone(),
                                model: model.clone(),
                                tag,
                            });
                        }
                    }
                }
            }
        }
        out.sort_by_key(|n| n.short());
        out
    }

    /// The manifest file for a name: the exact path, else a case-insensitive match (Ollama
    /// treats names case-insensitively).
    fn manifest_file(&self, name: &ModelName) -> Option<(ModelName, PathBuf)> {
        let exact = self.root.join("manifests").join(name.manifest_rel_path());
        if exact.is_file() {
            return Some((name.clone(), exact));
        }
        let want = name.short().to_ascii_lowercase();
        self.list()
            .into_iter()
            .find(|n| n.short().to_ascii_lowercase() == want)
            .map(|n| {
                let p = self.root.join("manifests").join(n.manifest_rel_path());
                (n, p)
            })
    }

    /// Reads a model's manifest and layers. Hard errors only for what makes the model
    /// unreadable (no store, no manifest, a broken manifest, no model layer, a missing model
    /// blob); everything else is reported in [`StoredModel::problems`].
    pub fn read(&self, name: &ModelName) -> Result<StoredModel, StoreError> {
        if !self.root.join("manifests").is_dir() {
            return Err(StoreError::NoStore(self.root.clone()));
        }
        let Some((name, manifest_path)) = self.manifest_file(name) else {
            let names = self.list();
            let same_model: Vec<String> = names
                .iter()
                .filter(|n| n.model.eq_ignore_ascii_case(&name.model))
                .map(ModelName::short)
                .collect();
            let hint = if !same_model.is_empty() {
                format!("; tags of {} there: {}", name.model, same_model.join(", "))
            } else if names.is_empty() {
                "; the store has no models".to_string()
            } else {
                format!(
                    "; it has: {}",
                    names
                        .iter()
                        .take(12)
                        .map(ModelName::short)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Err(StoreError::NotFound {
                name: name.short(),
                store: self.root.clone(),
                hint,
            });
        };
        let bad = |problem: String| StoreError::BadManifest {
            path: manifest_path.clone(),
            problem,
        };
        let raw =
            read_capped(&manifest_path, MAX_MANIFEST_BYTES).map_err(|e| bad(e.to_string()))?;
        let manifest: Manifest =
            serde_json::from_slice(&raw).map_err(|e| bad(format!("not a manifest ({e})")))?;
        if manifest.schema_version != 2 {
            return Err(bad(format!(
                "schemaVersion {} (Ollama writes 2)",
                manifest.schema_version
            )));
        }
        for l in manifest.layers.iter().chain(manifest.config.iter()) {
            if blob_file_name(&l.digest).is_none() {
                return Err(bad(format!(
                    "layer {} has an invalid digest '{}' (expected sha256:<64 hex>)",
                    shown(&l.media_type, 80),
                    shown(&l.digest, 80)
                )));
            }
        }
        let short = name.short();
        let model_layer = manifest
            .layers
            .iter()
            .find(|l| LayerKind::of(&l.media_type) == LayerKind::Model)
            .ok_or_else(|| StoreError::NoModelLayer {
                name: short.clone(),
                path: manifest_path.clone(),
            })?;
        let blob = |l: &Layer| -> Option<Blob> {
            let path = self.blob_path(&l.digest)?;
            let file_size = fs::metadata(&path).ok()?.len();
            Some(Blob {
                digest: l.digest.clone(),
                path,
                size: l.size,
                file_size,
            })
        };
        let model = blob(model_layer).ok_or_else(|| StoreError::MissingModelBlob {
            name: short.clone(),
            path: self.blob_path(&model_layer.digest).unwrap_or_default(),
        })?;
        let mut out = StoredModel {
            name,
            manifest_path: manifest_path.clone(),
            manifest: manifest.clone(),
            model,
            projectors: Vec::new(),
            adapters: Vec::new(),
            params: None,
            template: None,
            system: None,
            license: None,
            messages: None,
            config: None,
            problems: Vec::new(),
        };
        let mut problems = Vec::new();
        let mut problem = |l: &Layer, p: String| out_problem(&mut problems, l, p);
        if out.model.file_size != out.model.size {
            problem(
                model_layer,
                format!(
                    "the model blob is {} bytes on disk but the manifest says {} (an interrupted pull?)",
                    out.model.file_size, out.model.size
                ),
            );
        }
        let small = |l: &Layer| -> Result<Vec<u8>, String> {
            let path = self.blob_path(&l.digest).expect("checked");
            let bytes = read_capped(&path, MAX_SMALL_LAYER_BYTES).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => format!("blob {} is missing", path.display()),
                _ => format!("blob {}: {e}", path.display()),
            })?;
            let hex = format!("{:x}", Sha256::digest(&bytes));
            let want = &l.digest[7..];
            if !hex.eq_ignore_ascii_case(want) {
                return Err(format!(
                    "blob {} does not match its digest (sha256 {hex})",
                    path.display()
                ));
            }
            Ok(bytes)
        };
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        if let Some(c) = &manifest.config {
            match small(c).and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string())) {
                Ok(v) => out.config = Some(v),
                Err(p) => problem(c, format!("config: {p}")),
            }
        }
        for l in &manifest.layers {
            match LayerKind::of(&l.media_type) {
                LayerKind::Model => {}
                LayerKind::Projector | LayerKind::Adapter => match blob(l) {
                    Some(b) if b.file_size == b.size => {
                        if LayerKind::of(&l.media_type) == LayerKind::Projector {
                            out.projectors.push(b)
                        } else {
                            out.adapters.push(b)
                        }
                    }
                    Some(b) => problem(
                        l,
                        format!(
                            "blob {} is {} bytes, the manifest says {}",
                            b.path.display(),
                            b.file_size,
                            b.size
                        ),
                    ),
                    None => problem(l, "blob is missing".to_string()),
                },
                LayerKind::Params => match small(l).and_then(|b| {
                    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&b)
                        .map_err(|e| format!("params are not a JSON object ({e})"))
                }) {
                    Ok(p) => out.params = Some(p),
                    Err(p) => problem(l, p),
                },
                LayerKind::Template => match small(l) {
                    Ok(b) => out.template = Some(text(b)),
                    Err(p) => problem(l, p),
                },
                LayerKind::System => match small(l) {
                    Ok(b) => out.system = Some(text(b)),
                    Err(p) => problem(l, p),
                },
                LayerKind::License => match small(l) {
                    Ok(b) => out.license = Some(text(b)),
                    Err(p) => problem(l, p),
                },
                LayerKind::Messages => {
                    match small(l)
                        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
                    {
                        Ok(v) => out.messages = Some(v),
                        Err(p) => problem(l, p),
                    }
                }
                LayerKind::Tensor | LayerKind::Draft | LayerKind::Other(_) => {}
            }
        }
        out.problems = problems;
        Ok(out)
    }
}

fn out_problem(problems: &mut Vec<LayerProblem>, l: &Layer, p: String) {
    problems.push(LayerProblem {
        media_type: l.media_type.clone(),
        digest: l.digest.clone(),
        problem: p,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_become_blob_names_and_nothing_else() {
        let hex = "1194192cf2a187eb02722edcc3f77b11d21f537048ce04b67ccf8ba78863006a";
        assert_eq!(
            blob_file_name(&format!("sha256:{hex}")).unwrap(),
            format!("sha256-{hex}")
        );
        assert!(blob_file_name(&format!("sha256-{hex}")).is_some());
        assert!(blob_file_name("sha256:../../etc/passwd").is_none());
        assert!(blob_file_name(&format!("sha512:{hex}")).is_none());
        assert!(blob_file_name(&format!("sha256:{}", &hex[1..])).is_none());
    }

    #[test]
    fn media_types() {
        assert_eq!(
            LayerKind::of("application/vnd.ollama.image.model"),
            LayerKind::Model
        );
        assert_eq!(
            LayerKind::of("application/vnd.ollama.image.prompt"),
            LayerKind::Template
        );
        assert_eq!(
            LayerKind::of("application/vnd.ollama.image.projector"),
            LayerKind::Projector
        );
    }

    #[test]
    fn real_registry_manifest_parses() {
        // tests/fixtures/ollama/manifests/registry.ollama.ai/library/qwen3-coder/30b.json
        let m: Manifest = serde_json::from_str(
            r#"{"config":{"digest":"sha256:71c799d623e8cb6303ebbf3f7b16d269a74526b07a7b2d171574f54509f5770c","mediaType":"application/vnd.docker.container.image.v1+json","size":494},"layers":[{"digest":"sha256:1194192cf2a187eb02722edcc3f77b11d21f537048ce04b67ccf8ba78863006a","mediaType":"application/vnd.ollama.image.model","size":18556688736}],"mediaType":"application/vnd.docker.distribution.manifest.v2+json","schemaVersion":2}"#,
        )
        .unwrap();
        assert_eq!(m.layers[0].size, 18_556_688_736);
    }
}
