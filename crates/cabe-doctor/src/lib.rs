//! # cabe-doctor
//!
//! Why does my local LLM setup fail? The pure half of `cabe doctor`: given the model (its
//! architecture and weights), the machine, how the runtime is configured (an Ollama model's
//! params and Modelfile, the `OLLAMA_*` variables, the installed version's defaults; or a
//! running llama-server's slots) and the workload (prompt size, client timeout, prefill rate),
//! [`diagnose`](fn@diagnose) works out the settings actually in force and returns
//! **findings** — each with a severity, the arithmetic in words, the figures used and a
//! concrete fix — and **the fix written out**: a Modelfile with `FROM <model>` and the
//! corrected `PARAMETER num_ctx`, the exact `ollama create` command, server env vars,
//! llama-server flags, the client timeout, and a memory check of the fixed setup on this
//! machine.
//!
//! No I/O and deterministic: the shell (`crates/cabe/src/doctor.rs`, with `cabe-ollama`)
//! reads the store, the APIs and the environment, and fills [`Inputs`]. Memory comes from
//! `cabe_core::plan` (the KV cache per parallel slot, the largest context that fits, which KV
//! type would make a context fit); the Ollama version history is data with sources in
//! [`ollama_versions`].
//!
//! ## Layout
//!
//! A diagnosis runs in three steps, each in its own place:
//!
//! 1. **Resolve** (`resolved.rs`): the settings in force ([`Effective`]) — for Ollama from
//!    [`ollama::resolve`], for llama-server from its `/props` — their memory plan, and the
//!    setup a fix aims at (the least intrusive one that holds the workload). Computed once.
//! 2. **Check** (`checks/`): one small file per finding, each a function from the resolved
//!    setup to its finding(s). `checks/mod.rs` lists them in a table, in output order.
//! 3. **Write the fix** (`fix.rs`): Modelfile, `ollama create`, env vars, llama-server flags,
//!    client timeout and the memory check of the fixed setup.
//!
//! Around them: `inputs.rs` (what the shell fills in), `finding.rs` ([`Finding`],
//! [`FindingId`], [`Severity`]), `report.rs` (what a [`Diagnosis`] holds), `setup.rs` (a
//! runtime setup and its memory), `offload.rs` (layers spilled to RAM, `--n-cpu-moe`),
//! `format.rs` (figures in words), and [`ollama`], Ollama's rules as pure functions:
//! `ollama/mod.rs` (how its settings resolve), `ollama/env.rs` (the `OLLAMA_*` variables),
//! `ollama/names.rs` (model names and tags), `ollama/params.rs` (removed Modelfile
//! parameters), `ollama/versions.rs` (what each version does by default).
//!
//! ## Findings
//!
//! In output order, each id (its JSON string) with the file that checks it:
//!
//! | id | check |
//! |---|---|
//! | `env-invalid` | `checks/env_invalid.rs` (context variables here, cache and slot variables after `kv-type-ignored`) |
//! | `ctx-over-native` | `checks/ctx_over_native.rs` |
//! | `kv-type-ignored` | `checks/kv_type_ignored.rs` |
//! | `removed-parameter` | `checks/removed_parameter.rs` |
//! | `setup-refused` | `checks/setup_refused.rs` |
//! | `ctx-below-native` | `checks/ctx_below_native.rs` |
//! | `prompt-over-native` | `checks/prompt_over_native.rs` |
//! | `prompt-over-ctx` | `checks/prompt_over_ctx.rs` |
//! | `prefill-over-timeout` | `checks/prefill_over_timeout.rs` (also the client timeout the fix sets) |
//! | `never-fits` | `checks/never_fits.rs` |
//! | `memory-over-capacity` | `checks/memory_over_capacity.rs` (not when `never-fits`) |
//! | `parallel-kv` | `checks/parallel_kv.rs` |
//! | `kv-type-fits` | `checks/kv_type_fits.rs` |
//! | `store-layer-broken` | `checks/store_layer_broken.rs` |
//! | `server-unhealthy` | `checks/server_unhealthy.rs` |
//! | `loaded-ctx-differs` | `checks/loaded_ctx_differs.rs` |
//! | `loaded-partial-offload` | `checks/loaded_partial_offload.rs` |
//!
//! To add a finding: a variant with its id and a one-line doc in `finding.rs`, a file in
//! `checks/` with its check, one line in the table in `checks/mod.rs` where its findings
//! belong in the output, and a row above. Whatever a check needs that more than one check
//! uses (a plan, the target setup) belongs in `resolved.rs`, computed once.

pub use cabe_i18n::Lang;

/// The findings' and the fix's words in English and Spanish (`i18n/{en,es}/doctor.ftl`).
pub static CATALOG: cabe_i18n::Catalog = cabe_i18n::Catalog::new(
    &[include_str!("../i18n/en/doctor.ftl")],
    &[include_str!("../i18n/es/doctor.ftl")],
);

/// A message of [`CATALOG`]: `t!(lang, "id", name = value, …)`.
macro_rules! t {
    ($lang:expr, $id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        cabe_i18n::tr!($crate::CATALOG, $lang, $id $(, $k = $v)*)
    };
}

mod checks;
pub mod diagnose;
pub mod finding;
mod fix;
mod format;
pub mod inputs;
mod offload;
pub mod ollama;
pub mod report;
mod resolved;
mod setup;

pub use ollama::versions as ollama_versions;

pub use diagnose::{diagnose, diagnose_in};
pub use finding::{Finding, FindingId, Severity};
pub use format::fmt_duration;
pub use inputs::*;
pub use ollama::{ctx_label, derive_model_name};
pub use report::{Diagnosis, Effective, EnvSetting, Fix, MemoryCheck, ModelSummary};
pub use resolved::ANSWER_ROOM;
