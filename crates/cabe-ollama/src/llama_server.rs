//! llama.cpp's `llama-server` (`tools/server/README.md`, `tools/server/server-context.cpp`): `/health`,
//! `/props` (per-slot `n_ctx`, `total_slots`, `model_path`), `/slots`, `/tokenize`.

use crate::http::{base_url, Client, HttpConfig, HttpError};
use serde::{Deserialize, Serialize};

pub const DEFAULT_PORT: u16 = 8080;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Health {
    Ok,
    /// 503 "Loading model".
    Loading,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct GenerationSettings {
    /// Context per slot (`n_ctx_seq`).
    #[serde(default)]
    pub n_ctx: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct Props {
    #[serde(default)]
    pub default_generation_settings: Option<GenerationSettings>,
    #[serde(default)]
    pub total_slots: Option<u32>,
    #[serde(default)]
    pub model_path: Option<String>,
    #[serde(default)]
    pub model_alias: Option<String>,
    #[serde(default)]
    pub build_info: Option<String>,
}

impl Props {
    pub fn n_ctx_per_slot(&self) -> Option<u64> {
        self.default_generation_settings.as_ref()?.n_ctx
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct Slot {
    #[serde(default)]
    pub id: Option<u32>,
    #[serde(default)]
    pub n_ctx: Option<u64>,
    #[serde(default)]
    pub is_processing: Option<bool>,
}

#[derive(Clone, Debug, Deserialize)]
struct TokenizeReply {
    tokens: Vec<serde_json::Value>,
}

#[derive(Clone, Debug)]
pub struct LlamaServer {
    pub http: Client,
}

impl LlamaServer {
    /// From a URL or `host:port` (default http://127.0.0.1:8080).
    pub fn new(url: &str, cfg: HttpConfig) -> LlamaServer {
        LlamaServer {
            http: Client::new(&base_url(Some(url), DEFAULT_PORT), cfg),
        }
    }
    pub fn base(&self) -> &str {
        &self.http.base
    }
    pub fn health(&self) -> Result<Health, HttpError> {
        match self.http.get("/health") {
            Ok(_) => Ok(Health::Ok),
            Err(HttpError::Status { status: 503, .. }) => Ok(Health::Loading),
            Err(e) => Err(e),
        }
    }
    pub fn props(&self) -> Result<Props, HttpError> {
        self.http.get_json("/props")
    }
    /// `/slots` (off with `--no-slots`: then an HTTP error).
    pub fn slots(&self) -> Result<Vec<Slot>, HttpError> {
        self.http.get_json("/slots")
    }
    /// Number of tokens `text` becomes with the loaded model's tokenizer (no BOS added).
    pub fn count_tokens(&self, text: &str) -> Result<u64, HttpError> {
        let r: TokenizeReply = self
            .http
            .post_json("/tokenize", &serde_json::json!({ "content": text }))?;
        Ok(r.tokens.len() as u64)
    }
}
