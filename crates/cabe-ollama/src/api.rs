//! Ollama's REST API (Ollama `docs/api.md`, `api/types.go`): `/api/version`, `/api/tags`,
//! `/api/show`, `/api/ps`. Every field is optional: replies differ across versions (no
//! `context_length` in `/api/ps` before v0.10.0, no `tensors` in older `/api/show`, cloud models
//! with empty details).

use crate::http::{base_url, Client, HttpConfig, HttpError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct Details {
    #[serde(default)]
    pub parent_model: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub families: Option<Vec<String>>,
    #[serde(default)]
    pub parameter_size: Option<String>,
    #[serde(default)]
    pub quantization_level: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct VersionReply {
    pub version: String,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct TagModel {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
    #[serde(default)]
    pub digest: Option<String>,
    #[serde(default)]
    pub details: Option<Details>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct TagsReply {
    #[serde(default)]
    pub models: Vec<TagModel>,
}

/// One tensor as `/api/show` lists it (verbose, or by default in newer versions).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ShowTensor {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub shape: Vec<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct ShowReply {
    #[serde(default)]
    pub modelfile: Option<String>,
    /// Aligned `name value` lines.
    #[serde(default)]
    pub parameters: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub system: Option<String>,
    #[serde(default)]
    pub details: Option<Details>,
    /// Raw GGUF metadata (tokenizer arrays empty or null unless verbose).
    #[serde(default)]
    pub model_info: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub projector_info: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub tensors: Option<Vec<ShowTensor>>,
    #[serde(default)]
    pub capabilities: Option<Vec<String>>,
}

impl ShowReply {
    /// `num_ctx` from the `parameters` lines.
    pub fn num_ctx(&self) -> Option<u64> {
        crate::modelfile::parse_show_parameters(self.parameters.as_deref()?)
            .into_iter()
            .filter(|(n, _)| n == "num_ctx")
            .filter_map(|(_, v)| v.parse().ok())
            .next_back()
    }
}

/// A loaded model (`/api/ps`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct PsModel {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub model: Option<String>,
    /// Total memory of the runner, bytes.
    #[serde(default)]
    pub size: Option<u64>,
    /// The part in GPU memory.
    #[serde(default)]
    pub size_vram: Option<u64>,
    #[serde(default)]
    pub digest: Option<String>,
    #[serde(default)]
    pub details: Option<Details>,
    #[serde(default)]
    pub expires_at: Option<String>,
    /// The context the runner was started with (v0.10.0+).
    #[serde(default)]
    pub context_length: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct PsReply {
    #[serde(default)]
    pub models: Vec<PsModel>,
}

/// A client for one Ollama server.
#[derive(Clone, Debug)]
pub struct Ollama {
    pub http: Client,
}

/// Ollama's default port.
pub const DEFAULT_PORT: u16 = 11434;

impl Ollama {
    /// From an `OLLAMA_HOST`-style setting (None: 127.0.0.1:11434).
    pub fn new(host: Option<&str>, cfg: HttpConfig) -> Ollama {
        Ollama {
            http: Client::new(&base_url(host, DEFAULT_PORT), cfg),
        }
    }
    pub fn base(&self) -> &str {
        &self.http.base
    }
    pub fn version(&self) -> Result<String, HttpError> {
        Ok(self.http.get_json::<VersionReply>("/api/version")?.version)
    }
    pub fn tags(&self) -> Result<TagsReply, HttpError> {
        self.http.get_json("/api/tags")
    }
    pub fn ps(&self) -> Result<PsReply, HttpError> {
        self.http.get_json("/api/ps")
    }
    /// `POST /api/show {"model": name}`; `Ok(None)` when the server does not have the model.
    pub fn show(&self, model: &str) -> Result<Option<ShowReply>, HttpError> {
        match self
            .http
            .post_json("/api/show", &serde_json::json!({ "model": model }))
        {
            Ok(r) => Ok(Some(r)),
            Err(HttpError::Status { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn json_to_gguf(v: &serde_json::Value) -> Option<cabe_gguf::Value> {
    use cabe_gguf::{Array, Value, ValueType};
    Some(match v {
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Value::U64(u),
            (_, Some(i), _) => Value::I64(i),
            (_, _, Some(f)) => Value::F64(f),
            _ => return None,
        },
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(a) => {
            let values: Vec<Value> = a.iter().filter_map(json_to_gguf).collect();
            let elem_type = values.first().map_or(ValueType::U32, |x| x.value_type());
            if values.iter().any(|x| x.value_type() != elem_type) {
                return None;
            }
            Value::Array(Array { elem_type, values })
        }
        serde_json::Value::Null | serde_json::Value::Object(_) => return None,
    })
}

/// The model as a GGUF header built from `/api/show`: `model_info` is the file's raw
/// metadata, and `tensors` (when the server lists them) its tensor infos; tensor offsets are
/// not known and left 0. Enough to size a model the server has but this machine's disk does
/// not (a remote `OLLAMA_HOST`). None without `model_info`.
pub fn show_to_gguf(show: &ShowReply) -> Option<cabe_gguf::GgufFile> {
    let info = show.model_info.as_ref()?;
    let metadata: Vec<(String, cabe_gguf::Value)> = info
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), json_to_gguf(v)?)))
        .collect();
    let tensors: Vec<cabe_gguf::TensorInfo> = show
        .tensors
        .iter()
        .flatten()
        .filter_map(|t| {
            let ty = cabe_core::quant::GgmlType::from_name(&t.ty)?;
            let n_bytes = ty.tensor_bytes(&t.shape)?;
            Some(cabe_gguf::TensorInfo {
                name: t.name.clone(),
                dims: t.shape.clone(),
                ggml_type: ty,
                offset: 0,
                n_bytes,
            })
        })
        .collect();
    Some(cabe_gguf::GgufFile {
        version: 3,
        endian: cabe_gguf::Endian::Little,
        metadata,
        tensors,
        alignment: cabe_gguf::DEFAULT_ALIGNMENT,
        data_offset: 0,
        file_size: 0,
    })
}
