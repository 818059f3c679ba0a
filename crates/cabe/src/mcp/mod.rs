//! `cabe mcp`: a Model Context Protocol server on stdin/stdout (the official Rust SDK, rmcp),
//! so a coding agent can ask before it sends: will this model fit, what to run, why does my
//! Ollama setup fail, will this prompt fit the context in force and arrive before the timeout.
//!
//! Each tool is a command: its arguments become that command's flags, parsed by the command
//! line's own definitions (as `cabe serve` does with a request body), and its answer is what
//! the command's `--json` prints (`fit`, `recommend`, `doctor`) or a part of it picked out
//! (`check_prompt`, from `doctor`'s diagnosis). Nothing is computed here.
//!
//! In Spanish (`cabe --lang es mcp`, `CABE_LANG=es`, or the locale) the server's instructions,
//! the tools' descriptions (and their input schemas') and the one line of a refusal are
//! Spanish, from the catalogs (`i18n/*/mcp.ftl`); the answers' JSON, the fields' names and
//! the protocol's errors are the same in every language.
//!
//! A value the command line would refuse is a tool error (`isError`, one line saying why);
//! arguments of the wrong JSON type, an unknown tool or a malformed message are protocol
//! errors, answered by rmcp. Nothing of the user's is written: doctor's fix is shown, never
//! applied.

mod params;
mod prompt_check;
mod tools;

#[cfg(test)]
mod tests;

use crate::i18n::CATALOG;
use cabe_i18n::Lang;
use params::{CheckPromptParams, DoctorParams, FitParams, PlanParams, RecommendParams};
use prompt_check::PromptCheck;
use rmcp::handler::server::tool::schema_for_type;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{tool, tool_handler, tool_router, ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

pub fn run() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let server = Cabe::new(crate::i18n::lang())
            .serve(rmcp::transport::stdio())
            .await?;
        server.waiting().await?;
        anyhow::Ok(())
    })
}

/// The server: its tools are the methods below (`#[tool_router]` lists them), described and
/// refusing in `lang`.
#[derive(Clone)]
pub struct Cabe {
    lang: Lang,
}

impl Cabe {
    pub fn new(lang: Lang) -> Cabe {
        Cabe { lang }
    }

    /// The tools, described in the server's language.
    fn tools(&self) -> Vec<Tool> {
        let mut tools = Self::tool_router().list_all();
        for t in &mut tools {
            describe(t, self.lang);
        }
        tools
    }
}

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
        Ok(answer(self.lang, move || tools::fit(args)).await)
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
        Ok(answer(self.lang, move || tools::recommend(args)).await)
    }

    /// Split one catalog model over several GPUs or machines on an existing engine:
    /// llama.cpp's layer split (local GPUs or rpc-server hosts over a link) or vLLM's tensor
    /// and pipeline parallelism. Per device: layers, weights, KV cache and headroom; the
    /// largest context that fits every device; decode and prefill over the link; the commands
    /// to run (what `cabe plan MODEL --json` prints).
    #[tool(
        input_schema = schema_for_type::<PlanParams>(),
        output_schema = response_schema("PlanResponse"),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn plan(
        &self,
        Parameters(args): Parameters<JsonObject>,
    ) -> Result<CallToolResult, ErrorData> {
        check_types::<PlanParams>(&args)?;
        Ok(answer(self.lang, move || tools::plan(args)).await)
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
        Ok(answer(self.lang, move || tools::doctor(args)).await)
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
        check_types::<CheckPromptParams>(&args)?;
        Ok(answer(self.lang, move || tools::check_prompt(args)).await)
    }
}

/// `#[tool_handler]` adds `call_tool` (the router's); the tools' list is this server's, in its
/// language.
#[tool_handler]
impl ServerHandler for Cabe {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("cabe", env!("CARGO_PKG_VERSION")))
            .with_instructions(t!(in self.lang, "mcp-instructions"))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        // As `#[tool_handler]` writes it, with this server's tools.
        let supports_cache_hints = context
            .protocol_version()
            .is_some_and(|version| version >= rmcp::model::ProtocolVersion::V_2026_07_28);
        Ok(ListToolsResult {
            result_type: Some(rmcp::model::ResultType::COMPLETE),
            tools: self.tools(),
            meta: None,
            next_cursor: None,
            ttl_ms: supports_cache_hints.then_some(0),
            cache_scope: supports_cache_hints.then_some(rmcp::model::CacheScope::Public),
        })
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools().into_iter().find(|t| t.name == name)
    }
}

/// A tool's catalog id: `check_prompt` is `check-prompt`.
fn id(name: &str) -> String {
    name.replace('_', "-")
}

/// `tool`'s descriptions in `l`: the tool's (`mcp-tool-NAME`), its input schema's
/// (`mcp-input-NAME`), each field's (`mcp-param-NAME-FIELD`) and each shared value type's
/// (`mcp-def-TYPE`). English keeps the doc comments rmcp and schemars compiled in.
fn describe(tool: &mut Tool, l: Lang) {
    if l == Lang::En {
        return;
    }
    let name = id(&tool.name);
    tool.description = Some(CATALOG.get(l, &format!("mcp-tool-{name}"), &[]).into());
    let mut schema = (*tool.input_schema).clone();
    if schema.contains_key("description") {
        let d = CATALOG.get(l, &format!("mcp-input-{name}"), &[]);
        schema.insert("description".into(), Value::String(d));
    }
    if let Some(Value::Object(props)) = schema.get_mut("properties") {
        for (field, p) in props.iter_mut() {
            if let Some(d) = p.get_mut("description") {
                let key = format!("mcp-param-{name}-{}", id(field));
                *d = Value::String(CATALOG.get(l, &key, &[]));
            }
        }
    }
    if let Some(Value::Object(defs)) = schema.get_mut("$defs") {
        for (ty, def) in defs.iter_mut() {
            if let Some(d) = def.get_mut("description") {
                *d = Value::String(CATALOG.get(l, &format!("mcp-def-{ty}"), &[]));
            }
        }
    }
    tool.input_schema = Arc::new(schema);
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
async fn answer(l: Lang, f: impl FnOnce() -> tools::Answer + Send + 'static) -> CallToolResult {
    let result = tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(msg!("mcp-tool-failed", error = e.to_string()).into()));
    match result {
        Ok(v) => CallToolResult::structured(v),
        Err(refusal) => CallToolResult::error(vec![ContentBlock::text(refusal.text(l))]),
    }
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
