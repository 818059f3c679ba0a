//! # cabe-doctor
//!
//! Why does my local LLM setup fail? The pure half of `cabe doctor`: given the model (its
//! architecture and weights), the machine, how the runtime is configured (an Ollama model's
//! params and Modelfile, the `OLLAMA_*` variables, the installed version's defaults; or a
//! running llama-server's slots) and the workload (prompt size, client timeout, prefill rate),
//! [`diagnose`] works out the settings actually in force and returns **findings** — each with a
//! severity, the arithmetic in words, the figures used and a concrete fix — and **the fix
//! written out**: a Modelfile with `FROM <model>` and the corrected `PARAMETER num_ctx`, the
//! exact `ollama create` command, server env vars, llama-server flags, the client timeout,
//! and a memory check of the fixed setup on this machine.
//!
//! No I/O and deterministic: the shell (`crates/cabe/src/doctor.rs`, with `cabe-ollama`)
//! reads the store, the APIs and the environment, and fills [`Inputs`]. Memory comes from
//! `cabe_core::plan` (the KV cache per parallel slot, the largest context that fits, which KV
//! type would make a context fit); the Ollama version history is data with sources in
//! [`ollama_versions`].
//!
//! Finding ids: `ctx-below-native`, `ctx-over-native`, `prompt-over-ctx`,
//! `prompt-over-native`, `prefill-over-timeout`, `memory-over-capacity`, `never-fits`,
//! `parallel-kv`, `kv-type-fits`, `kv-type-ignored`, `env-invalid`, `removed-parameter`,
//! `store-layer-broken`, `server-unhealthy`, `loaded-ctx-differs`, `loaded-partial-offload`.

pub mod diagnose;
pub mod inputs;
pub mod ollama_versions;

pub use diagnose::{
    ctx_label, derive_model_name, diagnose, fmt_duration, Diagnosis, Effective, EnvSetting,
    Finding, Fix, MemoryCheck, ModelSummary, Severity, ANSWER_ROOM,
};
pub use inputs::*;
