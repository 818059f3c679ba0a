//! `cabe mcp`: a Model Context Protocol server on stdin/stdout (the official Rust SDK, rmcp),
//! so a coding agent can ask before it sends: will this model fit, what to run, why does my
//! Ollama setup fail, will this prompt fit the context in force and arrive before the timeout.
//!
//! Each tool is a command: its arguments become that command's flags, parsed by the command
//! line's own definitions (as `cabe serve` does with a request body), and its answer is what
//! the command's `--json` prints (`fit`, `recommend`, `doctor`) or a part of it picked out
//! (`check_prompt`, from `doctor`'s diagnosis). Nothing is computed here.
//!
//! A value the command line would refuse is a tool error (`isError`, one line saying why);
//! arguments of the wrong JSON type, an unknown tool or a malformed message are protocol
//! errors, answered by rmcp. Nothing of the user's is written: doctor's fix is shown, never
//! applied.

mod params;
mod prompt_check;

use crate::cli::{DoctorArgs, FitArgs};
use crate::recommend::RecommendArgs;
use crate::serve::{self, Kind, Switch, Val, MACHINE, RUNTIME, WORKLOAD};
use clap::Parser;
use params::{CheckPromptParams, DoctorParams, FitParams, RecommendParams};
use prompt_check::PromptCheck;
use rmcp::handler::server::tool::schema_for_type;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, JsonObject, ServerCapabilities, ServerConfig,
};
use rmcp::{tool, tool_handler, tool_router, ErrorData, ServerHandler, ServiceExt};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

/// `doctor`'s fields beyond the machine (MODEL is the positional `model`).
const DOCTOR: &[(&str, Kind)] = &[
    ("catalog", Switch),
    ("ctx", Val),
    ("runtime", Val),
    ("quant", Val),
    ("prompt_tokens", Val),
    ("timeout", Val),
    ("prefill_rate", Val),
    ("num_ctx", Val),
    ("ollama_version", Val),
    ("models_dir", Val),
    ("ollama_host", Val),
    ("offline", Switch),
    ("llama_server", Val),
    ("http_timeout", Val),
    ("name", Val),
];

/// `check_prompt`'s fields beyond the machine (`model` or `ollama_model` is MODEL).
const CHECK_PROMPT: &[(&str, Kind)] = &[
    ("prompt_tokens", Val),
    ("ctx", Val),
    ("runtime", Val),
    ("quant", Val),
    ("timeout", Val),
    ("prefill_rate", Val),
    ("num_ctx", Val),
    ("ollama_version", Val),
    ("models_dir", Val),
    ("ollama_host", Val),
    ("offline", Switch),
];

const FIT: &[&[(&str, Kind)]] = &[serve::FIT, RUNTIME, MACHINE, WORKLOAD];
const RECOMMEND: &[&[(&str, Kind)]] = &[serve::RECOMMEND, MACHINE, RUNTIME];

pub fn run() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let server = Cabe.serve(rmcp::transport::stdio()).await?;
        server.waiting().await?;
        anyhow::Ok(())
    })
}

/// The server: its tools are the methods below (`#[tool_router]` lists them).
#[derive(Clone)]
pub struct Cabe;

/// A call's answer, or a one-line reason it is refused.
type Answer = Result<Value, String>;

#[tool_router]
impl Cabe {
    /// Will a catalog model fit a machine, with what headroom, the largest context that
    /// fits, the changes that would make it fit, and decode/prefill speed (what
    /// `cabe fit MODEL --json` prints).
    #[tool(
        input_schema = schema_for_type::<FitParams>(),
        output_schema = response_schema("FitResponse"),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn fit(
        &self,
        Parameters(args): Parameters<JsonObject>,
    ) -> Result<CallToolResult, ErrorData> {
        check_types::<FitParams>(&args)?;
        Ok(answer(move || {
            let mut args = args;
            let model = take_catalog_model(&mut args, "model")?;
            let r: FitRequest = parse(args, FIT, &["--".into(), model])?;
            crate::fit::json(&r.fit).map_err(refusal)
        })
        .await)
    }

    /// The catalog's models ranked for a use (general, chat, code, reasoning, long-context,
    /// agents) on a machine, each at the best quantization that fits, with memory, speed and
    /// quality cost, and the near misses (what `cabe recommend --json` prints).
    #[tool(
        input_schema = schema_for_type::<RecommendParams>(),
        output_schema = response_schema("RecommendResponse"),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn recommend(
        &self,
        Parameters(args): Parameters<JsonObject>,
    ) -> Result<CallToolResult, ErrorData> {
        check_types::<RecommendParams>(&args)?;
        Ok(answer(move || {
            let r: RecommendRequest = parse(args, RECOMMEND, &[])?;
            crate::recommend::json(&r.recommend).map_err(refusal)
        })
        .await)
    }

    /// Diagnose an installed Ollama model (its store, its server, the OLLAMA_* variables) or a
    /// running llama-server against a workload and the machine: the settings in force,
    /// findings (truncation, timeouts, memory) and the fix written out (what
    /// `cabe doctor --json` prints). The fix is shown, never applied.
    #[tool(
        input_schema = schema_for_type::<DoctorParams>(),
        output_schema = doctor_schema(),
        annotations(read_only_hint = true, open_world_hint = true)
    )]
    async fn doctor(
        &self,
        Parameters(args): Parameters<JsonObject>,
    ) -> Result<CallToolResult, ErrorData> {
        check_types::<DoctorParams>(&args)?;
        Ok(answer(move || {
            let mut args = args;
            let model = take_text(&mut args, "model")?;
            let tail: Vec<String> = model.into_iter().flat_map(|m| ["--".into(), m]).collect();
            let r: DoctorRequest = parse(args, &[DOCTOR, MACHINE], &tail)?;
            crate::doctor::json(&r.doctor).map_err(refusal)
        })
        .await)
    }

    /// Will a prompt of N tokens fit the context in force for this model, and arrive before
    /// the client's timeout? The problems (doctor's findings: ctx-below-native,
    /// prompt-over-ctx, prefill-over-timeout, …) and what to change. Name the model as a
    /// catalog `model` with the setup given (`ctx`, `runtime`), or as an installed
    /// `ollama_model` read from its store and server.
    #[tool(
        input_schema = schema_for_type::<CheckPromptParams>(),
        output_schema = schema_for_type::<PromptCheck>(),
        annotations(read_only_hint = true, open_world_hint = true)
    )]
    async fn check_prompt(
        &self,
        Parameters(args): Parameters<JsonObject>,
    ) -> Result<CallToolResult, ErrorData> {
        let p: CheckPromptParams = check_types(&args)?;
        Ok(answer(move || {
            let mut args = args;
            let model = take_text(&mut args, "model")?;
            let ollama = take_text(&mut args, "ollama_model")?;
            let tail = match (model, ollama) {
                (Some(m), None) => {
                    refuse_paths("model", &m)?;
                    vec!["--catalog".into(), "--".into(), m]
                }
                (None, Some(o)) => vec!["--".into(), o],
                (Some(_), Some(_)) => return Err("give model or ollama_model, not both".into()),
                (None, None) => {
                    return Err(
                        "name the model: model (a catalog id, with ctx and runtime) or ollama_model (an installed Ollama model)"
                            .into(),
                    )
                }
            };
            let r: DoctorRequest = parse(args, &[CHECK_PROMPT, MACHINE], &tail)?;
            let d = crate::doctor::diagnosis(&r.doctor).map_err(refusal)?;
            serde_json::to_value(PromptCheck::from_diagnosis(&d, p.prompt_tokens))
                .map_err(|e| e.to_string())
        })
        .await)
    }
}

#[tool_handler]
impl ServerHandler for Cabe {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("cabe", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "cabe sizes local LLMs the way llama.cpp loads them. Before sending a long prompt to a local model, call check_prompt: it says whether the prompt fits the context in force and arrives before the client's timeout, and what to change if not. fit and recommend answer for catalog models on a machine; doctor diagnoses an installed Ollama model or a running llama-server.",
            )
    }
}

#[derive(Parser)]
#[command(name = "request")]
struct FitRequest {
    #[command(flatten)]
    fit: FitArgs,
}

#[derive(Parser)]
#[command(name = "request")]
struct RecommendRequest {
    #[command(flatten)]
    recommend: RecommendArgs,
}

#[derive(Parser)]
#[command(name = "request")]
struct DoctorRequest {
    #[command(flatten)]
    doctor: DoctorArgs,
}

/// The arguments must have the types the schema gives (a string where a string is due, a
/// whole number where one is): a protocol error otherwise, as for any invalid params.
fn check_types<T: DeserializeOwned>(args: &JsonObject) -> Result<T, ErrorData> {
    serde_json::from_value(Value::Object(args.clone()))
        .map_err(|e| ErrorData::invalid_params(format!("arguments: {e}"), None))
}

/// Runs the command off the protocol's thread (doctor asks servers, recommend ranks the
/// whole catalog) and wraps its answer: structured content, or a tool error whose one line
/// the agent can read.
async fn answer(f: impl FnOnce() -> Answer + Send + 'static) -> CallToolResult {
    let result = tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(format!("the tool failed: {e}")));
    match result {
        Ok(v) => CallToolResult::structured(v),
        Err(message) => CallToolResult::error(vec![ContentBlock::text(message)]),
    }
}

/// The arguments as the command's flags, parsed by its clap definitions; `tail` (`--catalog`,
/// `--` and MODEL) comes last.
fn parse<P: Parser>(
    args: JsonObject,
    groups: &[&[(&str, Kind)]],
    tail: &[String],
) -> Result<P, String> {
    let mut argv = vec!["request".to_string()];
    argv.extend(serve::to_args(args, groups).map_err(|e| e.message)?);
    argv.extend(tail.iter().cloned());
    P::try_parse_from(argv).map_err(|e| serve::clap_message(&e))
}

/// A command's error in one line, naming fields rather than flags.
fn refusal(e: anyhow::Error) -> String {
    serve::engine_error(e).message
}

/// A text field taken out of the arguments (so that it is not read as a flag).
fn take_text(args: &mut JsonObject, field: &str) -> Result<Option<String>, String> {
    match args.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(_) => Err(format!("{field}: must be a string")),
    }
}

/// A catalog model field: an id or alias, never a file path or URL (a tool call may not make
/// cabe read a file the agent names).
fn take_catalog_model(args: &mut JsonObject, field: &str) -> Result<String, String> {
    let Some(m) = take_text(args, field)? else {
        return Err(format!("{field}: a catalog model id or alias is required"));
    };
    refuse_paths(field, &m)?;
    Ok(m)
}

fn refuse_paths(field: &str, m: &str) -> Result<(), String> {
    if serve::path_like(m) {
        return Err(format!(
            "{field}: '{m}' is a file path or URL; name a catalog model (cabe models)"
        ));
    }
    Ok(())
}

/// A response schema of `cabe serve`'s OpenAPI document (`FitResponse`, …): the tool answers
/// with the same object as the API, described once.
fn response_schema(name: &str) -> Arc<JsonObject> {
    let doc: Value = serde_json::from_str(cabe_serve::OPENAPI).unwrap_or_default();
    match &doc["components"]["schemas"][name] {
        Value::Object(o) => Arc::new(o.clone()),
        _ => Arc::new(JsonObject::from_iter([(
            "type".to_string(),
            Value::String("object".into()),
        )])),
    }
}

/// The schema of `cabe doctor --json`'s object.
fn doctor_schema() -> Arc<JsonObject> {
    match serde_json::from_str(include_str!("doctor_output.json")) {
        Ok(Value::Object(o)) => Arc::new(o),
        _ => Arc::new(JsonObject::from_iter([(
            "type".to_string(),
            Value::String("object".into()),
        )])),
    }
}
