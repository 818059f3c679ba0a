//! Each tool's answer: the same object as the command's `--json` for the same flags, the
//! schema naming exactly the fields a tool reads, and check_prompt on the case cabe was born
//! from.

use super::params::{CheckPromptParams, DoctorParams, FitParams, PlanParams, RecommendParams};
use super::prompt_check::PromptCheck;
use super::{doctor_schema, response_schema, tools};
use crate::serve::Kind;
use rmcp::handler::server::tool::schema_for_type;
use rmcp::model::JsonObject;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

fn args(v: Value) -> JsonObject {
    match v {
        Value::Object(o) => o,
        _ => panic!("not an object: {v}"),
    }
}

/// The seed case: Qwen3-Coder-30B-A3B on Ollama capped at 131,072 tokens, a 146,760-token
/// prompt, a 300 s client timeout, 400 tokens/s of prefill, a 64 GB machine.
fn seed() -> Value {
    json!({
        "model": "qwen3-coder:30b",
        "ctx": 131072,
        "runtime": "ollama",
        "prompt_tokens": 146760,
        "timeout": 300,
        "prefill_rate": 400,
        "memory": "64GB",
    })
}

fn ids(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn problem<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {}", v["problems"]))
}

/// What `cabe ARGS` parses to, as the command line would run it.
fn cli(argv: &[&str]) -> crate::cli::Command {
    let mut all = vec!["cabe"];
    all.extend_from_slice(argv);
    <crate::cli::Cli as clap::Parser>::try_parse_from(all)
        .unwrap_or_else(|e| panic!("{argv:?}: {e}"))
        .command
}

#[test]
fn check_prompt_reports_the_three_problems_and_the_fix_of_the_seed_case() {
    let v = tools::check_prompt(args(seed())).unwrap();
    assert_eq!(
        ids(&v, "problems"),
        [
            "ctx-below-native",
            "prompt-over-ctx",
            "prefill-over-timeout"
        ],
        "{v:#}"
    );
    assert_eq!(v["ok"], false);
    assert_eq!(v["fits_context"], false);
    assert_eq!(v["runtime"], "ollama");
    assert_eq!(v["prompt_tokens"], 146_760);
    assert_eq!(v["ctx"], 131_072);
    assert_eq!(v["native_ctx"], 262_144);

    // 1. The cap is below the model's own context.
    let p = problem(&v, "ctx-below-native");
    assert_eq!(p["severity"], "warning");
    assert_eq!(p["numbers"]["configured_ctx"], 131_072);
    assert_eq!(p["numbers"]["native_ctx"], 262_144);
    // 2. The prompt is over the cap: 146,760 − 131,072 = 15,688 tokens would be dropped.
    let p = problem(&v, "prompt-over-ctx");
    assert_eq!(p["severity"], "error");
    assert_eq!(p["numbers"]["over_by"], 15_688);
    assert!(p["message"].as_str().unwrap().contains("silently"), "{p}");
    // 3. 146,760 ÷ 400 = 366.9 s of prefill, over the 300 s timeout.
    let p = problem(&v, "prefill-over-timeout");
    assert_eq!(p["severity"], "error");
    assert_eq!(p["numbers"]["prefill_s"], 366.9);
    assert_eq!(p["numbers"]["timeout_s"], 300.0);
    assert_eq!(p["numbers"]["max_prompt_tokens_in_timeout"], 120_000);
    let fix = p["fix"].as_str().unwrap();
    assert!(
        fix.contains("at least 600 s") && fix.contains("shorter prompt"),
        "{fix}"
    );

    // The fix: a context that holds the prompt and fits the machine, and a longer timeout.
    let fix = &v["fix"];
    assert_eq!(fix["ctx"], 262_144);
    assert_eq!(fix["client_timeout_s"], 600);
    let mf = fix["modelfile"].as_str().unwrap();
    assert!(
        mf.contains("\nFROM qwen3-coder:30b\nPARAMETER num_ctx 262144\n"),
        "{mf}"
    );
    assert_eq!(
        fix["create_command"],
        "ollama create qwen3-coder:30b-256k -f Modelfile"
    );
    assert!(fix["memory"].as_str().unwrap().contains("→ fits"), "{fix}");
}

#[test]
fn check_prompt_is_doctor_s_diagnosis_of_the_same_setup() {
    let crate::cli::Command::Doctor(a) = cli(&[
        "doctor",
        "--catalog",
        "qwen3-coder:30b",
        "--ctx",
        "131072",
        "--runtime",
        "ollama",
        "--prompt-tokens",
        "146760",
        "--timeout",
        "300s",
        "--prefill-rate",
        "400",
        "--memory",
        "64GB",
    ]) else {
        unreachable!()
    };
    let d = crate::doctor::json(&a).unwrap();
    let v = tools::check_prompt(args(seed())).unwrap();
    // Same findings (the info ones left out), same words and figures.
    let from_doctor: Vec<&Value> = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .collect();
    let problems: Vec<&Value> = v["problems"].as_array().unwrap().iter().collect();
    assert_eq!(from_doctor, problems);
    assert_eq!(d["fix"]["steps"], v["fix"]["steps"]);
    assert_eq!(d["fix"]["modelfile"], v["fix"]["modelfile"]);
    assert_eq!(d["effective"]["ctx_source"], v["ctx_source"]);
}

#[test]
fn check_prompt_that_gets_through_has_no_problems() {
    let v = tools::check_prompt(args(json!({
        "model": "qwen3-coder-30b-a3b",
        "ctx": "256k",
        "prompt_tokens": 100000,
        "timeout": "5m",
        "prefill_rate": 2000,
        "memory": "64GB",
    })))
    .unwrap();
    assert_eq!(v["ok"], true, "{v:#}");
    assert_eq!(v["fits_context"], true);
    assert_eq!(ids(&v, "problems"), Vec::<String>::new());
    assert!(v["fix"]["steps"].as_array().unwrap().is_empty(), "{v:#}");
}

#[test]
fn check_prompt_on_llama_server_gives_its_flags() {
    let mut a = seed();
    a["runtime"] = json!("llama-server");
    let v = tools::check_prompt(args(a)).unwrap();
    assert_eq!(v["runtime"], "llama-server");
    let problems = ids(&v, "problems");
    assert!(problems.contains(&"prompt-over-ctx".to_string()), "{v:#}");
    assert!(
        v["ctx_source"]
            .as_str()
            .unwrap()
            .contains("the setup given"),
        "{v:#}"
    );
    let flags = v["fix"]["llama_server_flags"].as_str().unwrap();
    assert!(flags.starts_with("-c 262144 -np 1"), "{flags}");
    assert!(v["fix"]["modelfile"].is_null());
}

#[test]
fn check_prompt_refuses_what_it_cannot_answer_in_one_line() {
    let cases: &[(Value, &str)] = &[
        (json!({"prompt_tokens": 1000}), "name the model"),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ollama_model": "qwen3-coder:30b"}),
            "not both",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "/etc/passwd", "ctx": 4096}),
            "file path or URL",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": 0}),
            "ctx must be at least 1",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": "1e400"}),
            "ctx",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": 99999999999u64}),
            "out of range",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "runtime": "llama-cli", "ctx": 4096}),
            "ollama and llama-server",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "runtime": "llama-server"}),
            "needs the context in force (its -c): ctx N",
        ),
        (
            json!({"model": "qwen3-coder-30b-a3b", "ctx": 4096}),
            "prompt_tokens",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "no-such-model-zzz", "ctx": 4096}),
            "no-such-model-zzz",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": 4096, "apply": "x"}),
            "unknown field 'apply'",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": 4096, "on": "x", "memory": "64GB"}),
            "cannot be used with",
        ),
    ];
    for (a, want) in cases {
        let e = tools::check_prompt(args(a.clone())).unwrap_err();
        assert!(e.contains(want), "{a}: {e}");
        assert!(!e.contains('\n'), "{a}: {e}");
    }
}

#[test]
fn fit_recommend_and_doctor_answer_what_their_json_prints() {
    let crate::cli::Command::Fit(f) = cli(&[
        "fit",
        "qwen3-coder-30b-a3b",
        "--memory",
        "64GB",
        "--ctx",
        "32k",
        "--kv-type",
        "q8_0",
        "--prompt-tokens",
        "146760",
        "--timeout",
        "300s",
    ]) else {
        unreachable!()
    };
    let mcp = tools::fit(args(json!({
        "model": "qwen3-coder-30b-a3b", "memory": "64GB", "ctx": "32k", "kv_type": "q8_0",
        "prompt_tokens": 146760, "timeout": 300,
    })))
    .unwrap();
    assert_eq!(mcp, crate::fit::json(&f).unwrap());
    assert_eq!(mcp["ctx"], 32_768);

    let crate::cli::Command::Recommend(r) = cli(&[
        "recommend",
        "--use",
        "code",
        "--memory",
        "24GB",
        "--bandwidth",
        "400",
    ]) else {
        unreachable!()
    };
    let mcp = tools::recommend(args(
        json!({"use": "code", "memory": "24GB", "bandwidth": 400}),
    ))
    .unwrap();
    assert_eq!(mcp, crate::recommend::json(&r).unwrap());
    assert_eq!(mcp["use"], "code");

    let crate::cli::Command::Doctor(d) = cli(&[
        "doctor",
        "--catalog",
        "qwen3-coder:30b",
        "--ctx",
        "32768",
        "--prompt-tokens",
        "40000",
        "--memory",
        "32GB",
    ]) else {
        unreachable!()
    };
    let mcp = tools::doctor(args(json!({
        "model": "qwen3-coder:30b", "catalog": true, "ctx": 32768, "prompt_tokens": 40000,
        "memory": "32GB",
    })))
    .unwrap();
    assert_eq!(mcp, crate::doctor::json(&d).unwrap());
    assert!(mcp["applied"].is_null());
    assert!(ids(&mcp, "findings").contains(&"prompt-over-ctx".to_string()));
}

#[test]
fn tools_refuse_paths_unknown_fields_and_what_the_flags_refuse() {
    let e = tools::fit(args(json!({"model": "./m.gguf", "memory": "64GB"}))).unwrap_err();
    assert!(e.contains("file path or URL"), "{e}");
    let e = tools::fit(args(json!({"model": "qwen3-coder-30b-a3b", "json": true}))).unwrap_err();
    assert!(e.starts_with("unknown field 'json'"), "{e}");
    let e = tools::fit(args(json!({"model": "qwen3-coder-30b-a3b", "parallel": 0}))).unwrap_err();
    assert!(e.contains("parallel"), "{e}");
    let e = tools::recommend(args(json!({"max_ttft": "30s"}))).unwrap_err();
    assert!(e.contains("prompt_tokens"), "{e}");
    // doctor never writes: there is no field for it.
    let e = tools::doctor(args(json!({"model": "x", "apply": "Modelfile"}))).unwrap_err();
    assert!(e.starts_with("unknown field 'apply'"), "{e}");
    let e = tools::doctor(args(json!({"memory": "64GB"}))).unwrap_err();
    assert!(e.contains("name an Ollama model"), "{e}");
}

fn properties(schema: Arc<JsonObject>) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn fields(groups: &[&[(&str, Kind)]], positional: &[&str]) -> BTreeSet<String> {
    groups
        .iter()
        .flat_map(|g| g.iter().map(|(n, _)| n.to_string()))
        .chain(positional.iter().map(|s| s.to_string()))
        .collect()
}

#[test]
fn each_schema_names_exactly_the_fields_its_tool_reads() {
    use crate::serve::MACHINE;
    assert_eq!(
        properties(schema_for_type::<FitParams>()),
        fields(tools::FIT, &["model"])
    );
    assert_eq!(
        properties(schema_for_type::<RecommendParams>()),
        fields(tools::RECOMMEND, &[])
    );
    assert_eq!(
        properties(schema_for_type::<DoctorParams>()),
        fields(&[tools::DOCTOR, MACHINE], &["model"])
    );
    assert_eq!(
        properties(schema_for_type::<CheckPromptParams>()),
        fields(&[tools::CHECK_PROMPT, MACHINE], &["model", "ollama_model"])
    );
}

/// Every key an output schema requires is in the answer.
fn holds_required(schema: Arc<JsonObject>, answer: &Value) {
    let required = schema["required"].as_array().expect("required keys");
    assert!(!required.is_empty());
    for k in required {
        let k = k.as_str().unwrap();
        assert!(answer.get(k).is_some(), "{k} missing from {answer:#}");
    }
}

#[test]
fn answers_hold_what_their_output_schemas_require() {
    let fit = tools::fit(args(
        json!({"model": "qwen3-coder-30b-a3b", "memory": "64GB"}),
    ))
    .unwrap();
    holds_required(response_schema("FitResponse"), &fit);
    let rec = tools::recommend(args(json!({"memory": "24GB"}))).unwrap();
    holds_required(response_schema("RecommendResponse"), &rec);
    let doc = tools::doctor(args(json!({
        "model": "qwen3-coder:30b", "catalog": true, "ctx": 131072, "memory": "64GB",
    })))
    .unwrap();
    holds_required(doctor_schema(), &doc);
    let check = tools::check_prompt(args(seed())).unwrap();
    holds_required(schema_for_type::<PromptCheck>(), &check);
}

#[test]
fn plan_answers_what_its_json_prints_and_refuses_paths() {
    let crate::cli::Command::Plan(p) = cli(&[
        "plan",
        "llama-3.1-70b",
        "--on",
        "2x rtx-4090",
        "--ctx",
        "32k",
    ]) else {
        unreachable!()
    };
    let mcp = tools::plan(args(
        json!({"model": "llama-3.1-70b", "on": "2x rtx-4090", "ctx": "32k"}),
    ))
    .unwrap();
    assert_eq!(mcp, crate::plan::json(&p).unwrap());
    let e = tools::plan(args(json!({"model": "/etc/passwd", "on": "rtx-4090"}))).unwrap_err();
    assert!(e.contains("file path or URL"), "{e}");
    assert_eq!(
        properties(schema_for_type::<PlanParams>()),
        fields(&[crate::serve::PLAN, crate::serve::RUNTIME], &["model"])
    );
}

// ---------------------------------------------------------------------------------------
// In Spanish

use super::{answer, id, Cabe};
use crate::i18n::CATALOG;
use cabe_i18n::Lang;
use rmcp::ServerHandler;

/// English words that have no business in a Spanish description or refusal.
const ENGLISH: &[&str] = &[
    "the", "of", "and", "is", "are", "with", "to", "for", "not", "fits", "does", "context",
    "weights", "machine", "timeout", "which", "when", "without", "only", "at", "by", "off", "from",
    "in", "it", "this", "that", "per", "or", "speed", "decode", "largest", "unknown", "an", "what",
    "will", "how", "its", "each", "default", "name", "give", "must", "file", "path", "required",
    "cannot", "be", "used", "argument", "field", "known", "did", "you", "mean",
];

/// The English words of `text`, leaving out code (in backticks), quoted values and names
/// (the tools' and their fields', which stay as they are).
fn english_words(text: &str, names: &BTreeSet<String>) -> Vec<String> {
    let prose: String = text
        .split(['`', '"', '\''])
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, p)| p)
        .collect::<Vec<_>>()
        .join(" ");
    prose
        .split(|c: char| !(c.is_alphanumeric() || "_-".contains(c)))
        .filter(|w| !names.contains(*w))
        .map(str::to_lowercase)
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .collect()
}

/// Every description of a tool: its own, its input schema's, its fields', its value types'.
fn descriptions(t: &rmcp::model::Tool) -> Vec<(String, String)> {
    let mut out = vec![(
        "tool".to_string(),
        t.description.as_deref().unwrap_or("").to_string(),
    )];
    let schema = &t.input_schema;
    out.push((
        "input".into(),
        schema["description"].as_str().unwrap().to_string(),
    ));
    for (field, p) in schema["properties"].as_object().unwrap() {
        out.push((
            field.clone(),
            p["description"].as_str().unwrap().to_string(),
        ));
    }
    for (ty, d) in schema
        .get("$defs")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        out.push((ty.clone(), d["description"].as_str().unwrap().to_string()));
    }
    out
}

/// The tools' and fields' names.
fn names(tools: &[rmcp::model::Tool]) -> BTreeSet<String> {
    tools
        .iter()
        .flat_map(|t| {
            std::iter::once(t.name.to_string()).chain(
                t.input_schema["properties"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

#[test]
fn in_english_the_tools_are_what_rmcp_compiled_in() {
    let router = serde_json::to_value(Cabe::tool_router().list_all()).unwrap();
    let served = serde_json::to_value(Cabe::new(Lang::En).tools()).unwrap();
    assert_eq!(router, served);
}

/// Each tool, its input schema, each field and each value type has its message in the
/// catalogs (a tool or field added without its Spanish fails here), and the English message
/// is the doc comment English serves (so the two cannot drift apart).
#[test]
fn every_tool_and_field_has_its_message_and_english_matches_the_doc_comments() {
    let tools = Cabe::tool_router().list_all();
    assert_eq!(tools.len(), 5);
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for t in &tools {
        let name = id(&t.name);
        for (what, english) in descriptions(t) {
            let key = match what.as_str() {
                "tool" => format!("mcp-tool-{name}"),
                "input" => format!("mcp-input-{name}"),
                "NumberOrText" | "OnOff" => format!("mcp-def-{what}"),
                field => format!("mcp-param-{name}-{}", id(field)),
            };
            assert!(CATALOG.has(&key), "no message {key} for {}", t.name);
            assert_eq!(
                CATALOG.get(Lang::En, &key, &[]),
                norm(&english),
                "{key}: the English catalog and the doc comment differ"
            );
        }
    }
}

#[test]
fn in_spanish_every_description_and_the_instructions_are_spanish() {
    let en = Cabe::new(Lang::En).tools();
    let es = Cabe::new(Lang::Es).tools();
    let names = names(&es);
    assert_eq!(en.len(), es.len());
    for (e, s) in en.iter().zip(&es) {
        assert_eq!(e.name, s.name);
        // Only the words change: the schemas' shape, the output schemas and annotations stay.
        assert_eq!(e.output_schema, s.output_schema);
        assert_eq!(e.annotations, s.annotations);
        let shape = |t: &rmcp::model::Tool| {
            let mut v = Value::Object((*t.input_schema).clone());
            strip_descriptions(&mut v);
            v
        };
        assert_eq!(shape(e), shape(s));
        let (de, ds) = (descriptions(e), descriptions(s));
        assert_eq!(de.len(), ds.len());
        for ((what, english), (_, spanish)) in de.iter().zip(&ds) {
            assert_ne!(english, spanish, "{} {what}: not translated", s.name);
            let left = english_words(spanish, &names);
            assert!(left.is_empty(), "{} {what}: {left:?} in {spanish}", s.name);
        }
    }
    let fit = es.iter().find(|t| t.name == "fit").unwrap();
    assert!(
        fit.description
            .as_deref()
            .unwrap()
            .starts_with("Si un modelo del catálogo cabe"),
        "{:?}",
        fit.description
    );
    let info = Cabe::new(Lang::Es).get_info();
    let instructions = info.instructions.unwrap();
    assert!(
        instructions.starts_with("cabe dimensiona"),
        "{instructions}"
    );
    let left = english_words(&instructions, &names);
    assert!(left.is_empty(), "{left:?} in {instructions}");
    assert!(Cabe::new(Lang::En)
        .get_info()
        .instructions
        .unwrap()
        .starts_with("cabe sizes local LLMs"));
}

fn strip_descriptions(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.remove("description");
            o.values_mut().for_each(strip_descriptions);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_descriptions),
        _ => {}
    }
}

/// A refusal is one Spanish line in Spanish, the same English line as before in English.
#[test]
fn refusals_are_spanish_in_spanish() {
    let names = names(&Cabe::tool_router().list_all());
    let cases: Vec<(Value, &str)> = vec![
        (json!({"prompt_tokens": 1000}), "nombra el modelo"),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ollama_model": "qwen3-coder:30b"}),
            "no ambos",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "/etc/passwd", "ctx": 4096}),
            "es una ruta de archivo o una URL",
        ),
        (
            json!({"model": "qwen3-coder-30b-a3b", "ctx": 4096}),
            "hace falta el tamaño del prompt",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "no-such-model-zzz", "ctx": 4096}),
            "modelo desconocido 'no-such-model-zzz'",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": 4096, "apply": "x"}),
            "campo desconocido 'apply'",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": 4096, "offline": "x"}),
            "offline: debe ser true o false",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": 4096, "on": "x", "memory": "64GB"}),
            "no se puede usar con",
        ),
        (
            json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": "mucho"}),
            "'mucho'",
        ),
    ];
    for (a, want) in cases {
        let r = tools::check_prompt(args(a.clone())).unwrap_err();
        assert_eq!(r.text(Lang::En), r.to_string(), "{a}");
        let es = r.text(Lang::Es);
        assert!(es.contains(want), "{a}: {es}");
        assert!(!es.contains('\n'), "{a}: {es}");
        assert!(!es.contains("--"), "{a}: fields, not flags: {es}");
        let left = english_words(&es, &names);
        assert!(left.is_empty(), "{a}: {left:?} in {es}");
    }
    let r = tools::fit(args(json!({"model": "qwen3-coder-30b-a3b", "json": true}))).unwrap_err();
    assert!(r.text(Lang::Es).starts_with("campo desconocido 'json'"));
}

/// A call's answer through the server: a refusal's text in the server's language, an
/// answer's JSON the same in both.
#[test]
fn a_call_answers_in_the_server_s_language_and_its_json_in_english() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let text = |r: &rmcp::model::CallToolResult| {
        serde_json::to_value(&r.content).unwrap()[0]["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let call = |l: Lang, a: Value| rt.block_on(answer(l, move || tools::check_prompt(args(a))));
    let refused =
        json!({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ollama_model": "x"});
    let es = call(Lang::Es, refused.clone());
    assert_eq!(es.is_error, Some(true));
    assert_eq!(text(&es), "indica model u ollama_model, no ambos");
    let en = call(Lang::En, refused);
    assert_eq!(text(&en), "give model or ollama_model, not both");
    let es = call(Lang::Es, seed());
    let en = call(Lang::En, seed());
    assert_eq!(es.is_error, Some(false));
    assert_eq!(
        serde_json::to_value(&es).unwrap(),
        serde_json::to_value(&en).unwrap()
    );
}
