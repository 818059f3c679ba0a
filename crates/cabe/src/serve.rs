//! `cabe serve`: the local page and JSON API (`cabe-serve` holds the HTTP layer, its safety
//! checks and the page).
//!
//! A request body is turned into the command line's own arguments and parsed by the same clap
//! definitions, so every field has the CLI flag's parser, default, range check and conflicts
//! (`on` with `memory`, `max_ttft` without `prompt_tokens`), and the answer is built by the
//! same function that prints `--json`: an API answer cannot drift from the CLI's.

use crate::cli::FitArgs;
use crate::recommend::RecommendArgs;
use anyhow::Context;
use cabe_i18n::Lang;
use cabe_serve::{Api, ApiError, Options};
use clap::{Args, Parser};
use serde_json::{Map, Value};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port to listen on; 0 takes any free port. The first line printed is the address.
    #[arg(long, default_value_t = 8431)]
    pub port: u16,
    /// Address to listen on. The default, 127.0.0.1, answers this machine only; another
    /// address (0.0.0.0: every interface) lets anyone who can reach it ask.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = listen)]
    pub listen: IpAddr,
}

fn listen(s: &str) -> Result<IpAddr, String> {
    if s.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    s.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| format!("'{s}' is not an IP address (127.0.0.1, ::1, 0.0.0.0)"))
}

pub fn run(a: &ServeArgs) -> anyhow::Result<()> {
    let addr = SocketAddr::new(a.listen, a.port);
    if !a.listen.is_loopback() {
        eprintln!(
            "{}",
            t!("serve-not-loopback", address = a.listen.to_string())
        );
    }
    cabe_serve::run(&Options::new(addr), Engine, |bound| {
        // The first stdout line is the address, so a script (or a test) started with
        // --port 0 can read where to connect.
        println!("listening on http://{bound}");
        let _ = std::io::stdout().flush();
        // Only this line is in the run's language: the one above is read by scripts.
        eprintln!("{}", t!("serve-started", address = bound.to_string()));
    })
    .with_context(|| format!("serving on {addr}"))
}

/// How a JSON field becomes an argument: `--flag=VALUE`, or (a switch) `--flag` when true.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Value,
    Switch,
}
pub(crate) use Kind::{Switch, Value as Val};

pub(crate) const MACHINE: &[(&str, Kind)] = &[
    ("on", Val),
    ("memory", Val),
    ("si", Switch),
    ("os_reserve", Val),
];
pub(crate) const RUNTIME: &[(&str, Kind)] = &[
    ("runtime", Val),
    ("kv_type", Val),
    ("parallel", Val),
    ("flash_attn", Val),
    ("ubatch", Val),
    ("n_cpu_moe", Val),
    ("cpu_moe", Switch),
];
pub(crate) const WORKLOAD: &[(&str, Kind)] = &[
    ("prompt_tokens", Val),
    ("gen_tokens", Val),
    ("timeout", Val),
    ("prefill_rate", Val),
];
pub(crate) const FIT: &[(&str, Kind)] = &[
    ("quant", Val),
    ("ctx", Val),
    ("claimed_decode", Val),
    ("explain", Switch),
];
pub(crate) const RECOMMEND: &[(&str, Kind)] = &[
    ("use", Val),
    ("min_ctx", Val),
    ("min_decode", Val),
    ("prompt_tokens", Val),
    ("max_ttft", Val),
    ("max_quality_loss", Val),
    ("family", Val),
    ("license", Val),
    ("bandwidth", Val),
];
/// `cabe curve`'s fields beyond the machine and runtime (no `svg`: a request writes nothing).
pub(crate) const CURVE: &[(&str, Kind)] = &[
    ("quant", Val),
    ("prompt_tokens_max", Val),
    ("timeout", Val),
    ("points", Val),
];
/// `cabe plan`'s fields beyond the runtime (its own `on`, which takes `2x ID`).
pub(crate) const PLAN: &[(&str, Kind)] = &[
    ("quant", Val),
    ("ctx", Val),
    ("on", Val),
    ("devices", Val),
    ("bandwidth", Val),
    ("tensor_split", Val),
    ("link", Val),
    ("link_gbps", Val),
    ("link_latency_us", Val),
    ("os_reserve", Val),
    ("engine", Val),
    ("tp", Val),
    ("pp", Val),
    ("prompt_tokens", Val),
];
/// `cabe buy`'s fields beyond the runtime (`model` is its `--model`).
pub(crate) const BUY: &[(&str, Kind)] = &[
    ("quant", Val),
    ("ctx", Val),
    ("min_decode", Val),
    ("prompt_tokens", Val),
    ("max_ttft", Val),
    ("budget", Val),
    ("claimed_decode", Val),
    ("claim_on", Val),
    ("os_reserve", Val),
];
/// `cabe route`'s one-task-class fields (no `workload` or `cloud_prices`: files).
pub(crate) const ROUTE: &[(&str, Kind)] = &[
    ("quant", Val),
    ("prompt_tokens", Val),
    ("output_tokens", Val),
    ("private", Switch),
    ("deadline", Val),
    ("timeout", Val),
    ("per_day", Val),
    ("name", Val),
    ("prefill_rate", Val),
    ("cloud", Val),
];
/// `cabe doctor --catalog`'s fields beyond the machine: the setup as given, so nothing on
/// this machine (Ollama's store or server, a llama-server, a prompt file) is read.
pub(crate) const DOCTOR: &[(&str, Kind)] = &[
    ("ctx", Val),
    ("runtime", Val),
    ("quant", Val),
    ("prompt_tokens", Val),
    ("timeout", Val),
    ("prefill_rate", Val),
    ("num_ctx", Val),
    ("ollama_version", Val),
    ("name", Val),
];

fn flag(field: &str) -> String {
    format!("--{}", field.replace('_', "-"))
}

/// The body's fields as arguments, each field looked up in `groups`. `--flag=VALUE` keeps a
/// value that starts with `-` a value, never another flag.
pub(crate) fn to_args(
    body: Map<String, Value>,
    groups: &[&[(&str, Kind)]],
) -> Result<Vec<String>, ApiError> {
    let known: Vec<(&str, Kind)> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    let mut args = Vec::new();
    for (field, v) in body {
        let Some(&(_, kind)) = known.iter().find(|(n, _)| *n == field) else {
            let mut names: Vec<&str> = known.iter().map(|(n, _)| *n).collect();
            names.sort_unstable();
            return Err(ApiError::bad_request(format!(
                "unknown field '{field}' (known: {})",
                names.join(", ")
            )));
        };
        let text = match (&v, kind) {
            (Value::Null, _) | (Value::Bool(false), Switch) => continue,
            (Value::Bool(true), Switch) => {
                args.push(flag(&field));
                continue;
            }
            (Value::String(s), Val) => s.clone(),
            (Value::Number(n), Val) => n.to_string(),
            (Value::Bool(b), Val) => if *b { "on" } else { "off" }.to_string(),
            (_, Switch) => {
                return Err(ApiError::bad_request(format!(
                    "{field}: must be true or false"
                )))
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "{field}: must be a string or a number"
                )))
            }
        };
        args.push(format!("{}={text}", flag(&field)));
    }
    Ok(args)
}

/// clap's message without its usage block, on one line.
pub(crate) fn clap_message(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    let message = text.split("\n\n").next().unwrap_or("invalid request");
    fields_for_flags(&message.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A message that names command-line flags (`'--ctx <CTX>'`, `--ubatch`) with the JSON
/// fields a request sets instead (`ctx`, `ubatch`).
pub(crate) fn fields_for_flags(line: &str) -> String {
    let c: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        let word_start = i == 0 || c[i - 1] == ' ' || c[i - 1] == '\'';
        let is_flag = word_start
            && c[i] == '-'
            && c.get(i + 1) == Some(&'-')
            && c.get(i + 2).is_some_and(|x| x.is_ascii_lowercase());
        if !is_flag {
            out.push(c[i]);
            i += 1;
            continue;
        }
        let quoted = i > 0 && c[i - 1] == '\'';
        if quoted {
            out.pop();
        }
        let mut j = i + 2;
        while j < c.len() && (c[j].is_ascii_alphanumeric() || c[j] == '-') {
            out.push(if c[j] == '-' { '_' } else { c[j] });
            j += 1;
        }
        // clap's value placeholder, ` <N>`, means nothing in JSON.
        if c.get(j) == Some(&' ') && c.get(j + 1) == Some(&'<') {
            if let Some(k) = c[j..].iter().position(|&x| x == '>') {
                j += k + 1;
            }
        }
        if quoted && c.get(j) == Some(&'\'') {
            j += 1;
        }
        i = j;
    }
    out
}

fn object(body: Value) -> Result<Map<String, Value>, ApiError> {
    match body {
        Value::Object(m) => Ok(m),
        _ => Err(ApiError::bad_request("the body must be a JSON object")),
    }
}

/// The request's `lang` ("en", the default, or "es"): the language of the answer's human text
/// (findings and fixes, notes, reasons, the engine's and the parser's errors). Field names,
/// ids and figures are the same in every language; without it the answer is what `--json`
/// prints.
fn take_lang(body: &mut Map<String, Value>) -> Result<Lang, ApiError> {
    let refused = || ApiError::bad_request(r#"lang: "en" or "es""#);
    match body.remove("lang") {
        None | Some(Value::Null) => Ok(Lang::En),
        Some(Value::String(s)) => Lang::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(refused),
        Some(_) => Err(refused()),
    }
}

/// A request's fields parsed as the command's arguments; a mistake worded in `l`.
fn parse_in<P: Parser>(argv: Vec<String>, l: Lang) -> Result<P, ApiError> {
    P::try_parse_from(argv).map_err(|e| {
        let line = match l {
            Lang::En => None,
            _ => crate::error_text::usage_local(&e, l).map(|m| fields_for_flags(&m)),
        };
        ApiError::bad_request(line.unwrap_or_else(|| clap_message(&e)))
    })
}

/// An engine error: a catalog miss (an unknown machine id) is 404, anything else is a request
/// the command line would refuse too.
pub(crate) fn engine_error(e: anyhow::Error) -> ApiError {
    engine_error_in(e, Lang::En)
}

/// [`engine_error`] worded in `l`.
fn engine_error_in(e: anyhow::Error, l: Lang) -> ApiError {
    let text = match l {
        Lang::En => format!("{e:#}"),
        _ => crate::error_text::chain_in(&e, l),
    };
    let message = fields_for_flags(&text);
    if e.downcast_ref::<cabe_catalog::NotFound>().is_some() {
        ApiError::not_found(message)
    } else {
        ApiError::bad_request(message)
    }
}

/// A model name shaped like a file path or URL, which a request may not make cabe read.
pub(crate) fn path_like(m: &str) -> bool {
    m.contains("://")
        || m.contains('/')
        || m.contains('\\')
        || m.starts_with('.')
        || m.starts_with('~')
        || m.to_ascii_lowercase().ends_with(".gguf")
}

/// The `model` field: a catalog id or alias only. The server never reads a file or URL that a
/// request names, so anything path- or URL-shaped is refused before the catalog is asked.
fn catalog_model(body: &mut Map<String, Value>) -> Result<String, ApiError> {
    let Some(Value::String(m)) = body.remove("model") else {
        return Err(ApiError::bad_request(
            "model: a catalog model id or alias is required (GET /api/models)",
        ));
    };
    let m = m.trim();
    if path_like(m) {
        return Err(ApiError::bad_request(format!(
            "model: '{m}' is a file path or URL; the server sizes catalog models only (GET /api/models)"
        )));
    }
    let entry = cabe_catalog::find_model(m).map_err(|e| ApiError::not_found(e.to_string()))?;
    // resolve::model reads an existing file of that name before the catalog: never here.
    if std::path::Path::new(&entry.id).exists() {
        return Err(ApiError::bad_request(format!(
            "model: '{}' names a file in the server's folder; start cabe serve elsewhere",
            entry.id
        )));
    }
    Ok(entry.id.clone())
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
struct CurveRequest {
    #[command(flatten)]
    curve: crate::curve::CurveArgs,
}

#[derive(Parser)]
#[command(name = "request")]
struct PlanRequest {
    #[command(flatten)]
    plan: crate::plan::PlanArgs,
}

#[derive(Parser)]
#[command(name = "request")]
struct BuyRequest {
    #[command(flatten)]
    buy: crate::buy::BuyArgs,
}

#[derive(Parser)]
#[command(name = "request")]
struct RouteRequest {
    #[command(flatten)]
    route: crate::route::RouteArgs,
}

#[derive(Parser)]
#[command(name = "request")]
struct DoctorRequest {
    #[command(flatten)]
    doctor: crate::cli::DoctorArgs,
}

/// The body's fields as flags (`groups`), then `tail` (`--` and the model, or `--model=ID`),
/// parsed by the command's clap definitions; a mistake worded in `l`.
fn parse<P: Parser>(
    body: Map<String, Value>,
    groups: &[&[(&str, Kind)]],
    tail: Vec<String>,
    l: Lang,
) -> Result<P, ApiError> {
    let mut argv = vec!["request".to_string()];
    argv.extend(to_args(body, groups)?);
    argv.extend(tail);
    parse_in(argv, l)
}

/// The doctor endpoint is `doctor --catalog`: it shows the fix and never writes it, and reads
/// nothing a request names. The fields that would are refused by name, with the reason.
fn doctor_refusals(body: &Map<String, Value>) -> Result<(), ApiError> {
    if body.contains_key("apply") {
        return Err(ApiError::bad_request(
            "apply: the server never writes a file; it shows the fix (run `cabe doctor --apply FILE` yourself)",
        ));
    }
    for field in [
        "models_dir",
        "ollama_host",
        "llama_server",
        "prompt",
        "offline",
    ] {
        if body.contains_key(field) {
            return Err(ApiError::bad_request(format!(
                "{field}: the server diagnoses catalog models as given (`cabe doctor --catalog`); it reads no model store, server or file"
            )));
        }
    }
    Ok(())
}

/// The `cabe_serve::Api` of this command line: each answer is what `--json` prints.
pub(crate) struct Engine;

impl Api for Engine {
    fn models(&self) -> Value {
        crate::list::models_json(&None)
    }

    fn hardware(&self) -> Value {
        crate::list::hardware_json(&None)
    }

    fn fit(&self, body: Value) -> Result<Value, ApiError> {
        let mut body = object(body)?;
        let l = take_lang(&mut body)?;
        let model = catalog_model(&mut body)?;
        let r: FitRequest = parse(
            body,
            &[FIT, RUNTIME, MACHINE, WORKLOAD],
            vec!["--".into(), model],
            l,
        )?;
        crate::fit::json(&r.fit).map_err(|e| engine_error_in(e, l))
    }

    fn recommend(&self, body: Value) -> Result<Value, ApiError> {
        let mut body = object(body)?;
        let l = take_lang(&mut body)?;
        let r: RecommendRequest = parse(body, &[RECOMMEND, MACHINE, RUNTIME], Vec::new(), l)?;
        crate::recommend::json_in(&r.recommend, l).map_err(|e| engine_error_in(e, l))
    }

    fn system(&self, lang: Option<&str>) -> Result<Value, ApiError> {
        let mut query = Map::new();
        if let Some(l) = lang {
            query.insert("lang".into(), Value::String(l.into()));
        }
        let l = take_lang(&mut query)?;
        let a = crate::cli::SystemArgs {
            root: None,
            os_reserve: None,
            json: true,
        };
        crate::system::json_in(&a, l).map_err(|e| engine_error_in(e, l))
    }

    fn curve(&self, body: Value) -> Result<Value, ApiError> {
        let mut body = object(body)?;
        let l = take_lang(&mut body)?;
        let model = catalog_model(&mut body)?;
        let r: CurveRequest = parse(
            body,
            &[CURVE, MACHINE, RUNTIME],
            vec!["--".into(), model],
            l,
        )?;
        crate::curve::json_in(&r.curve, l).map_err(|e| engine_error_in(e, l))
    }

    fn plan(&self, body: Value) -> Result<Value, ApiError> {
        let mut body = object(body)?;
        let l = take_lang(&mut body)?;
        let model = catalog_model(&mut body)?;
        let r: PlanRequest = parse(body, &[PLAN, RUNTIME], vec!["--".into(), model], l)?;
        crate::plan::json(&r.plan).map_err(|e| engine_error_in(e, l))
    }

    fn buy(&self, body: Value) -> Result<Value, ApiError> {
        let mut body = object(body)?;
        let l = take_lang(&mut body)?;
        let model = catalog_model(&mut body)?;
        let r: BuyRequest = parse(body, &[BUY, RUNTIME], vec![format!("--model={model}")], l)?;
        crate::buy::json(&r.buy).map_err(|e| engine_error_in(e, l))
    }

    fn route(&self, body: Value) -> Result<Value, ApiError> {
        let mut body = object(body)?;
        let l = take_lang(&mut body)?;
        let model = catalog_model(&mut body)?;
        let r: RouteRequest = parse(
            body,
            &[ROUTE, MACHINE, RUNTIME],
            vec![format!("--model={model}")],
            l,
        )?;
        crate::route::json(&r.route).map_err(|e| engine_error_in(e, l))
    }

    fn doctor(&self, body: Value) -> Result<Value, ApiError> {
        let mut body = object(body)?;
        let l = take_lang(&mut body)?;
        doctor_refusals(&body)?;
        // `catalog: true` says what the endpoint always does; anything else is refused.
        match body.remove("catalog") {
            None | Some(Value::Bool(true)) => {}
            Some(_) => {
                return Err(ApiError::bad_request(
                    "catalog: the server diagnoses catalog models only (true or left out)",
                ))
            }
        }
        let model = catalog_model(&mut body)?;
        let r: DoctorRequest = parse(
            body,
            &[DOCTOR, MACHINE],
            vec!["--catalog".into(), "--".into(), model],
            l,
        )?;
        debug_assert!(r.doctor.apply.is_none());
        crate::doctor::json_in(&r.doctor, l).map_err(|e| engine_error_in(e, l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fit(body: Value) -> Result<Value, ApiError> {
        Engine.fit(body)
    }

    #[test]
    fn fields_are_the_flags_and_fail_as_they_do() {
        let e =
            fit(json!({"model": "qwen3-coder-30b-a3b", "memory": "64GB", "ctx": 0})).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(
            e.message.starts_with("invalid value '0' for ctx"),
            "{}",
            e.message
        );
        let e =
            fit(json!({"model": "qwen3-coder-30b-a3b", "on": "x", "memory": "64GB"})).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(
            e.message.contains("on") && e.message.contains("memory"),
            "{}",
            e.message
        );
        let e = fit(json!({"model": "qwen3-coder-30b-a3b", "kv_type": "--json"})).unwrap_err();
        assert!(e.message.contains("unknown KV type"), "{}", e.message);
        let e = fit(json!({"model": "qwen3-coder-30b-a3b", "json": true})).unwrap_err();
        assert!(
            e.message.starts_with("unknown field 'json'"),
            "{}",
            e.message
        );
        let e = fit(json!({"model": "qwen3-coder-30b-a3b", "parallel": -1})).unwrap_err();
        assert_eq!(e.status, 400, "{}", e.message);
    }

    #[test]
    fn paths_and_urls_are_refused_and_catalog_misses_are_404() {
        for m in [
            "/etc/passwd",
            "./model.gguf",
            "x.gguf",
            "https://example.com/a.gguf",
            "~/m",
        ] {
            let e = fit(json!({"model": m, "memory": "64GB"})).unwrap_err();
            assert_eq!(e.status, 400, "{m}: {}", e.message);
        }
        let e = fit(json!({"model": "no-such-model-zzz", "memory": "64GB"})).unwrap_err();
        assert_eq!(e.status, 404, "{}", e.message);
        let e = fit(json!({"memory": "64GB"})).unwrap_err();
        assert_eq!(e.status, 400);
    }

    #[test]
    fn messages_name_fields_not_flags() {
        assert_eq!(
            fields_for_flags("invalid value '0' for '--ctx <CTX>': 0 is out of range"),
            "invalid value '0' for ctx: 0 is out of range"
        );
        assert_eq!(
            fields_for_flags(
                "the following required arguments were not provided: --prompt-tokens <N>"
            ),
            "the following required arguments were not provided: prompt_tokens"
        );
        assert_eq!(
            fields_for_flags("--ubatch must be between 1 and 65536"),
            "ubatch must be between 1 and 65536"
        );
        assert_eq!(fields_for_flags("a-b --x"), "a-b x");
    }

    #[test]
    fn listen_takes_addresses_only() {
        assert_eq!(listen("localhost"), Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(listen("[::1]").unwrap().to_string(), "::1");
        assert!(listen("example.com").is_err());
    }
}
