//! What the diagnosis is given: the model, the machine, the runtime's configuration and the
//! workload. Filled in by the I/O shell (`cabe doctor`, via `cabe-ollama`); plain data.

use cabe_core::hardware::HardwareSpec;
use cabe_core::model::ModelSpec;
use cabe_core::plan::Capacity;
use cabe_core::quant::KvType;
use cabe_core::speed::SpeedDevice;
use cabe_core::weights::Weights;
use serde::Serialize;

/// The model: its architecture and exact (or estimated) weights.
#[derive(Clone, Debug, Serialize)]
pub struct ModelInput {
    /// As the user named it (`qwen3-coder:30b-v-128k`, a path).
    pub name: String,
    pub spec: ModelSpec,
    pub weights: Weights,
    /// Where the figures came from, in words ("GGUF blob sha256-… in /models").
    pub source: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MachineInput {
    pub spec: HardwareSpec,
    pub capacity: Capacity,
    pub description: String,
    /// Bandwidth, compute and efficiencies for speed figures (None: bandwidth unknown): the
    /// engine's device for this model (`cabe_engine::SpeedBasis::device_for`), so that a
    /// calibration counts here as in `fit`.
    pub speed: Option<SpeedDevice>,
    /// The bench history's decode correction for this machine (1: none), applied to every
    /// decode figure as `fit` applies it.
    pub decode_factor: f64,
}

/// The `OLLAMA_*` variables, raw (None = unset).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OllamaEnvVars {
    pub context_length: Option<String>,
    pub num_parallel: Option<String>,
    pub kv_cache_type: Option<String>,
    pub flash_attention: Option<String>,
    pub gpu_overhead: Option<String>,
    pub max_loaded_models: Option<String>,
}

/// A model Ollama has loaded (`/api/ps`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LoadedModel {
    pub context_length: Option<u64>,
    pub size: u64,
    pub size_vram: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct OllamaConfig {
    /// The model's Ollama name, short form (`qwen3-coder:30b-v-128k`).
    pub model: String,
    /// The installed version (`/api/version` or `--ollama-version`); None if unknown.
    pub version: Option<String>,
    /// `num_ctx` from the model's params layer / Modelfile `PARAMETER num_ctx`.
    pub num_ctx_param: Option<u64>,
    /// Where that came from, in words ("the params layer of qwen3-coder:30b-v-128k").
    pub num_ctx_param_source: String,
    /// `options.num_ctx` the client sends with each request, if known.
    pub request_num_ctx: Option<u64>,
    /// Every PARAMETER of the model (for no-op checks).
    pub parameters: Vec<(String, String)>,
    pub env: OllamaEnvVars,
    /// Where the env values came from ("this shell's environment").
    pub env_source: String,
    /// The model as loaded right now, if it is.
    pub loaded: Option<LoadedModel>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LlamaServerConfig {
    /// The server asked (empty when none was: a setup as given).
    pub url: String,
    /// Where n_ctx and the slots come from, in words: `URL/props` for a running server, or
    /// the setup as given when the server is not asked.
    pub settings_from: String,
    /// Context per slot (`/props` `default_generation_settings.n_ctx`).
    pub n_ctx_per_slot: u64,
    /// `/props` `total_slots`.
    pub slots: u32,
    pub model_path: Option<String>,
    /// Not reported by the server: llama-server's defaults unless told.
    pub kv_type: KvType,
    pub flash_attn: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Runtime {
    Ollama(Box<OllamaConfig>),
    LlamaServer(LlamaServerConfig),
}

/// How the prompt's token count is known.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TokenCount {
    /// `--prompt-tokens N`.
    Given,
    /// Counted by a tokenizer (llama-server `/tokenize` at this URL).
    Counted { by: String },
    /// Estimated from the text's length (bytes / 4).
    Estimated { bytes: u64, note: String },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prompt {
    pub tokens: u64,
    pub count: TokenCount,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Workload {
    pub prompt: Option<Prompt>,
    /// The client's request timeout, seconds.
    pub timeout_s: Option<f64>,
    /// Prefill speed, tokens per second, and where it came from.
    pub prefill_rate: Option<f64>,
    pub prefill_rate_source: String,
}

/// A server that was asked and answered wrongly (hung, HTTP error, garbage). A server that is
/// simply not running is not an issue (the store is read instead) and goes to `notes`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerIssue {
    /// "Ollama at http://127.0.0.1:11434".
    pub server: String,
    /// The endpoint asked.
    pub endpoint: String,
    /// What happened, in words.
    pub what: String,
    /// What that means for the diagnosis.
    pub consequence: String,
}

/// A broken layer of the model in the store.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoreProblem {
    pub layer: String,
    pub problem: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Inputs {
    pub model: ModelInput,
    pub machine: MachineInput,
    pub runtime: Runtime,
    pub workload: Workload,
    pub server_issues: Vec<ServerIssue>,
    pub store_problems: Vec<StoreProblem>,
    /// Name for the corrected Ollama model (default: derived from the old tag).
    pub new_name: Option<String>,
    /// Where the Modelfile is (to be) written, for the `ollama create` command.
    pub modelfile_path: String,
    /// Provenance lines from the shell (what was read where).
    pub notes: Vec<String>,
}
