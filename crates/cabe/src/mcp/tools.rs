//! The tools as functions of their arguments: each turns them into its command's flags,
//! parses those with the command's clap definitions and calls the function that builds the
//! command's `--json` answer.

use super::prompt_check::PromptCheck;
use crate::cli::{DoctorArgs, FitArgs};
use crate::recommend::RecommendArgs;
use crate::serve::{self, Kind, Switch, Val, MACHINE, PLAN, RUNTIME, WORKLOAD};
use clap::Parser;
use rmcp::model::JsonObject;
use serde_json::Value;

/// A call's answer, or a one-line reason it is refused.
pub type Answer = Result<Value, String>;

/// `doctor`'s fields beyond the machine (MODEL is the positional `model`).
pub(super) const DOCTOR: &[(&str, Kind)] = &[
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
pub(super) const CHECK_PROMPT: &[(&str, Kind)] = &[
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

pub(super) const FIT: &[&[(&str, Kind)]] = &[serve::FIT, RUNTIME, MACHINE, WORKLOAD];
pub(super) const RECOMMEND: &[&[(&str, Kind)]] = &[serve::RECOMMEND, MACHINE, RUNTIME];

/// `fit`: what `cabe fit MODEL --json` prints.
pub fn fit(mut args: JsonObject) -> Answer {
    let model = take_catalog_model(&mut args, "model")?;
    let r: FitRequest = parse(args, FIT, &["--".into(), model])?;
    crate::fit::json(&r.fit).map_err(refusal)
}

/// `recommend`: what `cabe recommend --json` prints.
pub fn recommend(args: JsonObject) -> Answer {
    let r: RecommendRequest = parse(args, RECOMMEND, &[])?;
    crate::recommend::json(&r.recommend).map_err(refusal)
}

/// `plan`: what `cabe plan MODEL --json` prints.
pub fn plan(mut args: JsonObject) -> Answer {
    let model = take_catalog_model(&mut args, "model")?;
    let r: PlanRequest = parse(args, &[PLAN, RUNTIME], &["--".into(), model])?;
    crate::plan::json(&r.plan).map_err(refusal)
}

/// `doctor`: what `cabe doctor MODEL --json` prints; nothing is written.
pub fn doctor(mut args: JsonObject) -> Answer {
    let model = take_text(&mut args, "model")?;
    let tail: Vec<String> = model.into_iter().flat_map(|m| ["--".into(), m]).collect();
    let r: DoctorRequest = parse(args, &[DOCTOR, MACHINE], &tail)?;
    crate::doctor::json(&r.doctor).map_err(refusal)
}

/// `check_prompt`: `cabe doctor`'s diagnosis of the model's setup against the prompt (and the
/// timeout), the part that says whether the prompt gets through.
pub fn check_prompt(mut args: JsonObject) -> Answer {
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
            return Err("name the model: model (a catalog id, with ctx and runtime) or ollama_model (an installed Ollama model)".into())
        }
    };
    if !args.contains_key("prompt_tokens") {
        return Err("prompt_tokens: the prompt's size is required".into());
    }
    let r: DoctorRequest = parse(args, &[CHECK_PROMPT, MACHINE], &tail)?;
    let d = crate::doctor::diagnosis(&r.doctor).map_err(refusal)?;
    serde_json::to_value(PromptCheck::from_diagnosis(&d)).map_err(|e| e.to_string())
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
struct PlanRequest {
    #[command(flatten)]
    plan: crate::plan::PlanArgs,
}

#[derive(Parser)]
#[command(name = "request")]
struct DoctorRequest {
    #[command(flatten)]
    doctor: DoctorArgs,
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
