//! The tools as functions of their arguments: each turns them into its command's flags,
//! parses those with the command's clap definitions and calls the function that builds the
//! command's `--json` answer.

use super::prompt_check::PromptCheck;
use crate::cli::{DoctorArgs, FitArgs};
use crate::i18n::Msg;
use crate::recommend::RecommendArgs;
use crate::serve::{self, Kind, Switch, Val, MACHINE, PLAN, RUNTIME, WORKLOAD};
use cabe_i18n::Lang;
use clap::Parser;
use rmcp::model::JsonObject;
use serde_json::Value;

/// A call's answer, or a one-line reason it is refused.
pub type Answer = Result<Value, Refusal>;

/// Why a call is refused, in one line. As text (`Display`, and as a `str`) it is the English
/// line, the same words as `cabe serve`'s API; [`Refusal::text`] gives it in the server's
/// language, re-worded from what it was made of.
pub struct Refusal {
    english: String,
    why: Why,
}

enum Why {
    /// A message of the catalog.
    Msg(Msg),
    /// The command's error, told as the command line tells it (fields named for flags).
    Engine(anyhow::Error),
    /// The command line's refusal of the flags the arguments became.
    Usage(clap::Error),
    /// English only.
    Text,
}

impl Refusal {
    /// The line in `l`.
    pub fn text(&self, l: Lang) -> String {
        if l == Lang::En {
            return self.english.clone();
        }
        match &self.why {
            Why::Msg(m) => m.text(l),
            Why::Engine(e) => serve::fields_for_flags(&crate::error_text::chain_in(e, l)),
            // The command line writes flags as code (`--on <HARDWARE_ID>`); quoted, they
            // become the fields a call sets.
            Why::Usage(e) => crate::error_text::usage_local(e, l)
                .map(|t| {
                    let line = t.split_whitespace().collect::<Vec<_>>().join(" ");
                    serve::fields_for_flags(&line.replace('`', "'"))
                })
                .unwrap_or_else(|| self.english.clone()),
            Why::Text => self.english.clone(),
        }
    }

    fn engine(e: anyhow::Error) -> Refusal {
        // `engine_error` takes the error; its English text is all it keeps.
        let english = serve::engine_error(anyhow::anyhow!("{e:#}")).message;
        Refusal {
            english,
            why: Why::Engine(e),
        }
    }

    fn usage(e: clap::Error) -> Refusal {
        Refusal {
            english: serve::clap_message(&e),
            why: Why::Usage(e),
        }
    }

    /// English words of a library, with no other language.
    fn text_only(english: String) -> Refusal {
        Refusal {
            english,
            why: Why::Text,
        }
    }
}

impl From<Msg> for Refusal {
    fn from(m: Msg) -> Refusal {
        Refusal {
            english: m.to_string(),
            why: Why::Msg(m),
        }
    }
}

impl std::ops::Deref for Refusal {
    type Target = str;
    fn deref(&self) -> &str {
        &self.english
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english)
    }
}

impl std::fmt::Debug for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.english, f)
    }
}

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
        (Some(_), Some(_)) => return Err(msg!("mcp-refuse-both").into()),
        (None, None) => return Err(msg!("mcp-refuse-no-model").into()),
    };
    if !args.contains_key("prompt_tokens") {
        return Err(msg!("mcp-refuse-prompt-tokens").into());
    }
    let r: DoctorRequest = parse(args, &[CHECK_PROMPT, MACHINE], &tail)?;
    let d = crate::doctor::diagnosis(&r.doctor).map_err(refusal)?;
    serde_json::to_value(PromptCheck::from_diagnosis(&d))
        .map_err(|e| Refusal::text_only(e.to_string()))
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
) -> Result<P, Refusal> {
    let mut argv = vec!["request".to_string()];
    let problem = field_problem(&args, groups);
    argv.extend(serve::to_args(args, groups).map_err(|e| match problem {
        Some(m) => Refusal {
            english: e.message,
            why: Why::Msg(m),
        },
        None => Refusal::text_only(e.message),
    })?);
    argv.extend(tail.iter().cloned());
    P::try_parse_from(argv).map_err(Refusal::usage)
}

/// What `serve::to_args` refuses in `args` (its first problem, in the same order), as a
/// message of the catalog.
fn field_problem(args: &JsonObject, groups: &[&[(&str, Kind)]]) -> Option<Msg> {
    let known: Vec<(&str, Kind)> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    for (field, v) in args {
        let Some(&(_, kind)) = known.iter().find(|(n, _)| n == field) else {
            let mut names: Vec<&str> = known.iter().map(|(n, _)| *n).collect();
            names.sort_unstable();
            return Some(msg!(
                "mcp-refuse-unknown-field",
                field = field,
                known = names.join(", ")
            ));
        };
        match (v, kind) {
            (Value::Null | Value::Bool(_), Switch) => {}
            (Value::Null | Value::String(_) | Value::Number(_) | Value::Bool(_), Val) => {}
            (_, Switch) => return Some(msg!("mcp-refuse-not-bool", field = field)),
            _ => return Some(msg!("mcp-refuse-not-value", field = field)),
        }
    }
    None
}

/// A command's error in one line, naming fields rather than flags.
fn refusal(e: anyhow::Error) -> Refusal {
    Refusal::engine(e)
}

/// A text field taken out of the arguments (so that it is not read as a flag).
fn take_text(args: &mut JsonObject, field: &str) -> Result<Option<String>, Refusal> {
    match args.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(_) => Err(msg!("mcp-refuse-not-string", field = field).into()),
    }
}

/// A catalog model field: an id or alias, never a file path or URL (a tool call may not make
/// cabe read a file the agent names).
fn take_catalog_model(args: &mut JsonObject, field: &str) -> Result<String, Refusal> {
    let Some(m) = take_text(args, field)? else {
        return Err(msg!("mcp-refuse-model-required", field = field).into());
    };
    refuse_paths(field, &m)?;
    Ok(m)
}

fn refuse_paths(field: &str, m: &str) -> Result<(), Refusal> {
    if serve::path_like(m) {
        return Err(msg!("mcp-refuse-path", field = field, value = m).into());
    }
    Ok(())
}
