//! The tools' inputs, as types: the JSON Schema an MCP client sees is derived from them
//! (schemars), and a call's arguments must deserialize into them. Each field is a flag of the
//! command the tool runs, named as `cabe serve` names it (`kv_type` is `--kv-type`); the
//! arguments are then turned into those flags and parsed by the command line's own
//! definitions (`crate::serve::to_args`), so each has the flag's parser, default, range and
//! conflicts, and a field these types do not name is refused there.

// The fields are read through their schema and the type check of a call's arguments, never
// by name.
#![allow(dead_code)]

use schemars::JsonSchema;
use serde::Deserialize;

/// A value written as a number (32768, 300) or as text ("32k", "5m", "64GB").
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum NumberOrText {
    Number(serde_json::Number),
    Text(String),
}

/// Flash attention: true/false, or "on"/"off".
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OnOff {
    Bool(bool),
    Text(String),
}

/// The machine: a catalog id (`on`), a memory size (`memory`), or (neither) the machine cabe
/// runs on.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct Machine {
    /// A catalog machine id (see the hardware catalog, `cabe hardware`), e.g.
    /// mac-studio-m3-ultra-96gb. Not with memory.
    pub on: Option<String>,
    /// A machine known only by its memory: 64GB, 24GiB ("GB" as sold = GiB unless si).
    pub memory: Option<NumberOrText>,
    /// Read GB/MB/TB as powers of 10.
    pub si: Option<bool>,
    /// Memory kept for the OS, default 2GiB.
    pub os_reserve: Option<NumberOrText>,
}

/// The runtime and its settings, as `cabe fit` and `cabe recommend` take them.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct RuntimeSettings {
    /// The program that runs the model: llama-server (default), llama-cli, llama-completion,
    /// ollama.
    pub runtime: Option<String>,
    /// KV cache type: f32, f16 (default), bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1.
    pub kv_type: Option<String>,
    /// Parallel sequences, each with the full context (default 1).
    pub parallel: Option<u32>,
    /// Flash attention, default on.
    pub flash_attn: Option<OnOff>,
    /// Physical micro-batch (-ub), default 512.
    pub ubatch: Option<u32>,
    /// Routed experts of the first N layers in system RAM (--n-cpu-moe). Not with cpu_moe.
    pub n_cpu_moe: Option<u32>,
    /// Every layer's routed experts in system RAM (--cpu-moe).
    pub cpu_moe: Option<bool>,
}

/// `fit`: will a catalog model fit, and how fast.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct FitParams {
    /// A catalog model id or alias (e.g. qwen3-coder-30b-a3b); file paths and URLs are
    /// refused.
    pub model: String,
    /// Whole-file quantization: Q4_K_M (default), Q8_0, F16, …
    pub quant: Option<String>,
    /// Context per sequence: tokens (32768, "32k"), "native" (default) or "max".
    pub ctx: Option<NumberOrText>,
    #[serde(flatten)]
    pub runtime: RuntimeSettings,
    #[serde(flatten)]
    pub machine: Machine,
    /// A prompt of N tokens: its prefill time and time to first token.
    pub prompt_tokens: Option<u64>,
    /// Tokens generated after the prompt.
    pub gen_tokens: Option<u64>,
    /// The client's timeout: seconds, or "300s", "5m".
    pub timeout: Option<NumberOrText>,
    /// A measured prefill rate, tokens/s, used instead of the prediction.
    pub prefill_rate: Option<f64>,
    /// A decode rate someone claims, tokens/s: is it under the bandwidth ceiling?
    pub claimed_decode: Option<f64>,
    /// Add the working behind the answer (the arithmetic, what was left out).
    pub explain: Option<bool>,
}

/// `recommend`: what to run, ranked for a use.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct RecommendParams {
    /// What the model is for: general (default), chat, code, reasoning, long-context, agents.
    #[serde(rename = "use")]
    pub use_: Option<String>,
    /// The context every pick must hold, tokens (default: the use's).
    pub min_ctx: Option<NumberOrText>,
    /// The slowest typical decode rate to accept, tokens/s.
    pub min_decode: Option<f64>,
    /// A prompt of N tokens, for max_ttft and the time to first token.
    pub prompt_tokens: Option<u64>,
    /// The longest typical time to the first token of prompt_tokens: seconds or "30s".
    pub max_ttft: Option<NumberOrText>,
    /// The largest perplexity increase over F16 a quantization may cost, percent.
    pub max_quality_loss: Option<f64>,
    /// Only models whose family contains this (qwen3, gemma3, …).
    pub family: Option<String>,
    /// Only models whose licence contains this (apache-2.0, mit, …).
    pub license: Option<String>,
    /// The machine's memory bandwidth in GB/s, for a machine known only by memory.
    pub bandwidth: Option<f64>,
    #[serde(flatten)]
    pub machine: Machine,
    #[serde(flatten)]
    pub runtime: RuntimeSettings,
}

/// Where an Ollama model is read: its store, its server.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct OllamaSource {
    /// Ollama's model store (default $OLLAMA_MODELS, else ~/.ollama/models).
    pub models_dir: Option<String>,
    /// The Ollama server to ask (default $OLLAMA_HOST, else 127.0.0.1:11434).
    pub ollama_host: Option<String>,
    /// Ask no server; read only the store.
    pub offline: Option<bool>,
}

/// The workload a setup is checked against.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct DoctorWorkload {
    /// The client's request timeout: seconds, or "300s", "5m".
    pub timeout: Option<NumberOrText>,
    /// Prefill speed, tokens/s (llama-bench's pp, llama-server's timings.prompt_per_second);
    /// default: predicted from the machine's compute.
    pub prefill_rate: Option<f64>,
    /// options.num_ctx the client sends with each request (overrides the Modelfile).
    pub num_ctx: Option<NumberOrText>,
    /// The installed Ollama version when the server cannot be asked (it sets the defaults).
    pub ollama_version: Option<String>,
}

/// `doctor`: diagnose an Ollama model or a running llama-server. Shows the fix; never
/// writes it.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct DoctorParams {
    /// The Ollama model, name[:tag] (e.g. qwen3-coder:30b); with llama_server: optional, or
    /// the GGUF path that server runs.
    pub model: Option<String>,
    /// The client's prompt size, tokens.
    pub prompt_tokens: Option<u64>,
    /// model is a catalog model id or alias, sized from the catalog with the setup given
    /// (ctx, runtime, quant); no store or server is read.
    pub catalog: Option<bool>,
    /// With catalog: the context in force, tokens per sequence.
    pub ctx: Option<NumberOrText>,
    /// With catalog: ollama (default) or llama-server.
    pub runtime: Option<String>,
    /// With catalog: the whole-file quantization, Q4_K_M (default), Q8_0, F16, …
    pub quant: Option<String>,
    #[serde(flatten)]
    pub workload: DoctorWorkload,
    #[serde(flatten)]
    pub ollama: OllamaSource,
    /// A llama-server URL: diagnosed when no Ollama model is named.
    pub llama_server: Option<String>,
    /// Connect/read timeout for servers: seconds or "2s" (default 2 s).
    pub http_timeout: Option<NumberOrText>,
    /// Name for the corrected Ollama model (default: from the old tag).
    pub name: Option<String>,
    #[serde(flatten)]
    pub machine: Machine,
}

/// `check_prompt`: will a prompt fit the context in force, and arrive before the timeout?
/// Name the model one of two ways: `model` (a catalog model, with the setup given here:
/// `ctx`, `runtime`, `quant`) or `ollama_model` (an installed Ollama model, whose context in
/// force is read from its store and server).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct CheckPromptParams {
    /// The prompt's size, tokens.
    pub prompt_tokens: u64,
    /// A catalog model id or alias (qwen3-coder-30b-a3b, or its Ollama name qwen3-coder:30b),
    /// sized from the catalog. Not with ollama_model.
    pub model: Option<String>,
    /// With model: the context in force, tokens per sequence (Ollama: the model's num_ctx,
    /// default the version's default; llama-server: its -c, required).
    pub ctx: Option<NumberOrText>,
    /// With model: ollama (default) or llama-server.
    pub runtime: Option<String>,
    /// With model: the whole-file quantization, Q4_K_M (default), Q8_0, F16, …
    pub quant: Option<String>,
    /// An installed Ollama model, name[:tag] (qwen3-coder:30b-v-128k), read from its store
    /// and server. Not with model.
    pub ollama_model: Option<String>,
    #[serde(flatten)]
    pub workload: DoctorWorkload,
    #[serde(flatten)]
    pub ollama: OllamaSource,
    #[serde(flatten)]
    pub machine: Machine,
}

/// `plan`: one catalog model over several GPUs or machines on llama.cpp (layer split, RPC) or
/// vLLM (tensor and pipeline parallel).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct PlanParams {
    /// A catalog model id or alias (e.g. llama-3.1-70b); file paths and URLs are refused.
    pub model: String,
    /// Whole-file quantization: Q4_K_M (default), Q8_0, F16, …
    pub quant: Option<String>,
    /// Context per sequence: tokens (32768, "32k"), "native" (default) or "max".
    pub ctx: Option<NumberOrText>,
    /// The devices as catalog machines: "2x rtx-4090", or one id. Not with devices.
    pub on: Option<String>,
    /// The devices by memory, comma-separated ("24GB,24GB,16GB"). Not with on.
    pub devices: Option<String>,
    /// Memory bandwidth of each device given by devices, GB/s.
    pub bandwidth: Option<f64>,
    /// llama.cpp's --tensor-split weights, comma-separated ("3,1"); default: by free memory.
    pub tensor_split: Option<String>,
    /// The link between machines, an id of cabe's link catalog (e.g. 10gbe); not with
    /// link_gbps.
    pub link: Option<String>,
    /// The link's rate in Gbit/s.
    pub link_gbps: Option<f64>,
    /// The link's one-way latency in µs (default 50).
    pub link_latency_us: Option<f64>,
    /// Memory kept back for the operating system on each device ("2GiB").
    pub os_reserve: Option<NumberOrText>,
    /// The engine: llama-cpp (default) or vllm.
    pub engine: Option<String>,
    /// vLLM's tensor-parallel size.
    pub tp: Option<u32>,
    /// vLLM's pipeline-parallel size.
    pub pp: Option<u32>,
    /// A prompt of N tokens: its prefill time over the split.
    pub prompt_tokens: Option<u64>,
    #[serde(flatten)]
    pub runtime: RuntimeSettings,
}
