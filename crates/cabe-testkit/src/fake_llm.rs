//! Handlers for [`crate::TestServer`] that play a llama-server or an Ollama answering each
//! prompt with timings for its size.

use crate::{Reply, Request};

/// The toy tokenizer of the fake servers: one token per 4 bytes, rounded up, plus BOS.
pub fn fake_tokens(text: &str) -> u64 {
    text.len().div_ceil(4) as u64 + 1
}

/// Rates a fake server runs at.
#[derive(Clone, Copy, Debug)]
pub struct FakeRates {
    /// Prefill tokens/s.
    pub prefill: f64,
    /// Decode tokens/s.
    pub decode: f64,
}

/// A fake llama-server: `/props` (with `model_path` and per-slot `n_ctx`), `/tokenize`
/// ([`fake_tokens`]), `/completion` with timings for the prompt's size at `rates`.
pub fn llama_server(model_path: &str, n_ctx: u64, rates: FakeRates) -> impl Fn(&Request) -> Reply {
    let props = serde_json::json!({
        "default_generation_settings": { "n_ctx": n_ctx, "params": {} },
        "total_slots": 1,
        "model_path": model_path,
        "build_info": "b11312-0c1e57098",
    })
    .to_string();
    move |r: &Request| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/props") => Reply::Json(200, props.clone()),
        ("POST", "/tokenize") => {
            let n = fake_tokens(r.json()["content"].as_str().unwrap_or("")) - 1;
            let toks: Vec<u64> = (0..n).collect();
            Reply::Json(200, serde_json::json!({ "tokens": toks }).to_string())
        }
        ("POST", "/completion") => {
            let v = r.json();
            let n = fake_tokens(v["prompt"].as_str().unwrap_or(""));
            let gen = v["n_predict"].as_u64().unwrap_or(16);
            if n + gen > n_ctx {
                return Reply::Json(
                    400,
                    r#"{"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error"}}"#.into(),
                );
            }
            let prompt_ms = n as f64 / rates.prefill * 1e3;
            let predicted_ms = gen as f64 / rates.decode * 1e3;
            Reply::Json(
                200,
                serde_json::json!({
                    "content": "x", "stop": true, "tokens_evaluated": n,
                    "timings": {
                        "cache_n": 0, "prompt_n": n, "prompt_ms": prompt_ms,
                        "prompt_per_second": n as f64 / prompt_ms * 1e3,
                        "predicted_n": gen, "predicted_ms": predicted_ms,
                        "predicted_per_second": gen as f64 / predicted_ms * 1e3,
                    }
                })
                .to_string(),
            )
        }
        _ => Reply::Json(404, r#"{"error":"not found"}"#.into()),
    }
}

/// A fake Ollama: `/api/version`, `/api/ps` (one loaded model), `/api/show` (the given reply),
/// `/api/generate` with counts and ns durations for the prompt's size at `rates` (404 for
/// another model name).
pub fn ollama(model: &str, show: String, rates: FakeRates) -> impl Fn(&Request) -> Reply {
    let model = model.to_string();
    move |r: &Request| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/api/version") => Reply::Json(200, r#"{"version":"0.11.6"}"#.into()),
        ("GET", "/api/ps") => Reply::Json(
            200,
            serde_json::json!({ "models": [{ "name": model, "model": model }] }).to_string(),
        ),
        ("POST", "/api/show") => {
            if r.json()["model"].as_str() == Some(model.as_str()) {
                Reply::Json(200, show.clone())
            } else {
                Reply::Json(404, r#"{"error":"model not found"}"#.into())
            }
        }
        ("POST", "/api/generate") => {
            let v = r.json();
            if v["model"].as_str() != Some(model.as_str()) {
                return Reply::Json(404, r#"{"error":"model not found"}"#.into());
            }
            let n = fake_tokens(v["prompt"].as_str().unwrap_or(""));
            let gen = v["options"]["num_predict"].as_u64().unwrap_or(16);
            Reply::Json(
                200,
                serde_json::json!({
                    "model": model, "response": "x", "done": true, "done_reason": "length",
                    "total_duration": 1, "load_duration": 1,
                    "prompt_eval_count": n,
                    "prompt_eval_duration": (n as f64 / rates.prefill * 1e9) as u64,
                    "eval_count": gen,
                    "eval_duration": (gen as f64 / rates.decode * 1e9) as u64,
                })
                .to_string(),
            )
        }
        _ => Reply::Json(404, r#"{"error":"not found"}"#.into()),
    }
}
