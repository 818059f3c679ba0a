//! `check_prompt`'s answer: the part of `cabe doctor`'s diagnosis that says whether a prompt
//! gets through, picked out of the [`Diagnosis`] (nothing is computed here).

use cabe_doctor::{Diagnosis, FindingId, Severity};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// Findings that mean the prompt does not fit the context in force.
const CONTEXT_IDS: &[FindingId] = &[FindingId::PromptOverCtx, FindingId::PromptOverNative];

/// Will the prompt fit the context in force, and arrive before the timeout?
#[derive(Debug, Serialize, JsonSchema)]
pub struct PromptCheck {
    /// No problem of severity error: the prompt fits the context in force, its prefill ends
    /// before the timeout (when a timeout and a rate are known), and the setup fits memory.
    pub ok: bool,
    /// The whole prompt is inside the context in force (no prompt-over-ctx or
    /// prompt-over-native).
    pub fits_context: bool,
    /// The model, as named.
    pub model: String,
    /// ollama or llama-server.
    pub runtime: String,
    pub prompt_tokens: u64,
    /// The context in force, tokens per sequence.
    pub ctx: u64,
    /// Where that context comes from, in words.
    pub ctx_source: String,
    /// The model's own context (its GGUF's context_length).
    pub native_ctx: u64,
    /// What stands in the way, in `cabe doctor`'s order: its findings of severity warning or
    /// error, with the same ids, words and figures.
    pub problems: Vec<Problem>,
    /// What to change.
    pub fix: Fix,
    /// Where the figures came from and what was assumed.
    pub notes: Vec<String>,
}

/// One of `cabe doctor`'s findings.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Problem {
    /// The finding's stable id: ctx-below-native, prompt-over-ctx, prefill-over-timeout, …
    pub id: String,
    /// warning or error.
    pub severity: String,
    pub title: String,
    /// The arithmetic, in words.
    pub message: String,
    /// What to change for this finding.
    pub fix: String,
    /// The figures used (prompt_tokens, configured_ctx, prefill_s, timeout_s, …).
    pub numbers: BTreeMap<String, serde_json::Value>,
}

/// The fix `cabe doctor` writes out (it is shown, never applied).
#[derive(Debug, Serialize, JsonSchema)]
pub struct Fix {
    /// The fix as steps, in words.
    pub steps: Vec<String>,
    /// The context per sequence the fix sets.
    pub ctx: Option<u64>,
    /// Ollama: a complete Modelfile with the new num_ctx.
    pub modelfile: Option<String>,
    /// Ollama: the `ollama create` command for it.
    pub create_command: Option<String>,
    /// Ollama: server variables to set (then restart the server).
    pub env: Vec<EnvSetting>,
    /// llama-server: the flags to restart it with.
    pub llama_server_flags: Option<String>,
    /// The client timeout to set, seconds.
    pub client_timeout_s: Option<u64>,
    /// The memory of the fixed setup on this machine, in words.
    pub memory: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct EnvSetting {
    pub name: String,
    pub value: String,
    pub why: String,
}

impl PromptCheck {
    pub fn from_diagnosis(d: &Diagnosis) -> PromptCheck {
        let problems: Vec<Problem> = d
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| Problem {
                id: f.id.as_str().to_string(),
                severity: f.severity.word().to_string(),
                title: f.title.clone(),
                message: f.message.clone(),
                fix: f.fix.clone(),
                numbers: f.numbers.clone(),
            })
            .collect();
        let fx = &d.fix;
        PromptCheck {
            ok: !d.findings.iter().any(|f| f.severity == Severity::Error),
            fits_context: !d.findings.iter().any(|f| CONTEXT_IDS.contains(&f.id)),
            model: d.model.name.clone(),
            runtime: d.effective.runtime.clone(),
            prompt_tokens: d.prompt.as_ref().map_or(0, |p| p.tokens),
            ctx: d.effective.ctx,
            ctx_source: d.effective.ctx_source.clone(),
            native_ctx: d.model.native_ctx,
            problems,
            fix: Fix {
                steps: fx.steps.clone(),
                ctx: fx.ctx,
                modelfile: fx.modelfile.clone(),
                create_command: fx.create_command.clone(),
                env: fx
                    .env
                    .iter()
                    .map(|e| EnvSetting {
                        name: e.name.clone(),
                        value: e.value.clone(),
                        why: e.why.clone(),
                    })
                    .collect(),
                llama_server_flags: fx.llama_server_flags.clone(),
                client_timeout_s: fx.client_timeout_s,
                memory: fx.memory_check.as_ref().map(|m| m.summary.clone()),
            },
            notes: d.notes.clone(),
        }
    }
}
