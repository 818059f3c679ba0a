//! The server clients against recorded replies (`tests/fixtures/`) and a local
//! 127.0.0.1 server that is down, hangs, drips, or answers garbage — every case bounded.

use cabe_bench::server::{
    parse_completion, parse_generate, predict_model, Kind, Limits, Server, ServerError, ServerModel,
};
use cabe_testkit::fake_llm::{llama_server, ollama, FakeRates};
use cabe_testkit::{dead_port, fixture_path, fixture_text, Reply, TestServer};
use std::time::{Duration, Instant};

fn limits(secs: u64) -> Limits {
    Limits::new(Duration::from_secs(secs))
}

#[test]
fn recorded_ollama_generate_replies() {
    let t =
        parse_generate(fixture_text("ollama/api_generate_nonstream_granite3.3-2b.json").as_bytes())
            .unwrap();
    assert_eq!((t.prompt_tokens, t.gen_tokens), (50, 11));
    assert!((t.prompt_ms - 117.7904).abs() < 1e-9);
    assert!((t.prefill_tps().unwrap() - 424.48).abs() < 0.01);
    assert!((t.decode_tps().unwrap() - 112.49).abs() < 0.01);
    // The final object of a stream carries the same fields.
    for f in [
        "ollama/api_generate_stream_dolphin3-8b.ndjson",
        "ollama/api_generate_stream_ministral-8b.ndjson",
    ] {
        let text = fixture_text(f);
        let last = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
        let t = parse_generate(last.as_bytes()).unwrap();
        assert!(
            t.prompt_tokens > 0 && t.gen_tokens > 0 && t.gen_ms > 0.0,
            "{f}"
        );
    }
    // A chunk that is not the last has no counts.
    let text = fixture_text("ollama/api_generate_stream_dolphin3-8b.ndjson");
    let first = text.lines().next().unwrap();
    assert!(parse_generate(first.as_bytes())
        .unwrap_err()
        .contains("prompt_eval_count"));
}

#[test]
fn recorded_llama_server_timings() {
    let t = parse_completion(
        fixture_text("llamacpp/server/completion_nonstream_gemma-3-4b-it-Q8_0_rpc_json_pp.json")
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(
        (t.prompt_tokens, t.gen_tokens, t.cached_tokens),
        (1, 51, None)
    );
    assert!((t.decode_tps().unwrap() - 22.072).abs() < 0.001);
    for f in [
        "llamacpp/server/completion_stream-final_qwen3-0.6b-Q4_K_M_orin_b5489.json",
        "llamacpp/server/v1-chat-completions_nonstream_deepseek-r1-1.5b_b6176.json",
        "llamacpp/server/v1-chat-completions_nonstream_gemma-2-2b-it-Q4_K_M_b7634.json",
        "llamacpp/server/v1-chat-completions_stream-final-chunk_gpt-oss-20b_b6097.json",
    ] {
        let t = parse_completion(fixture_text(f).as_bytes()).unwrap();
        assert!(t.prompt_tokens > 0 && t.gen_ms > 0.0, "{f}");
    }
    let gpt = parse_completion(
        fixture_text(
            "llamacpp/server/v1-chat-completions_stream-final-chunk_gpt-oss-20b_b6097.json",
        )
        .as_bytes(),
    )
    .unwrap();
    assert!((gpt.prefill_tps().unwrap() - 5334.89).abs() < 0.01);
}

#[test]
fn malformed_replies_are_refused_with_a_reason() {
    for (body, want) in [
        (r#"{"content":"hi"}"#, "no `timings`"),
        (
            r#"{"timings":{"prompt_n":-1,"prompt_ms":1,"predicted_n":1,"predicted_ms":1}}"#,
            "not a token count",
        ),
        (
            r#"{"timings":{"prompt_n":5,"prompt_ms":0,"predicted_n":1,"predicted_ms":1}}"#,
            "0 ms",
        ),
        (r#"{"timings":{"prompt_n":"5"}}"#, "invalid type"),
        ("<html>busy</html>", "body starts"),
        ("", "EOF"),
    ] {
        let e = parse_completion(body.as_bytes()).unwrap_err();
        assert!(e.contains(want), "{body}: {e}");
    }
    for (body, want) in [
        (
            r#"{"error":"model 'x' not found"}"#,
            "Ollama says: model 'x' not found",
        ),
        (r#"{"prompt_eval_count":5}"#, "no prompt_eval_duration"),
        (
            r#"{"prompt_eval_count":5,"prompt_eval_duration":1e30,"eval_count":1,"eval_duration":1}"#,
            "not a duration",
        ),
    ] {
        let e = parse_generate(body.as_bytes()).unwrap_err();
        assert!(e.contains(want), "{body}: {e}");
    }
}

#[test]
fn a_server_that_is_down_is_named_with_both_defaults() {
    let port = dead_port();
    let url = format!("http://127.0.0.1:{port}");
    let e = Server::connect(Some(&url), None, &limits(5)).unwrap_err();
    assert!(e.is_down(), "{e}");
    let text = e.to_string();
    assert!(
        text.starts_with(&format!("no server answers at {url}")),
        "{text}"
    );
    assert!(text.contains("start llama-server or Ollama"), "{text}");
}

#[test]
fn kinds_are_told_apart_and_models_found() {
    let gguf = fixture_path("gguf/python-gen-worker_stories260K.gguf");
    let rates = FakeRates {
        prefill: 1000.0,
        decode: 100.0,
    };
    let ls = TestServer::start(llama_server(&gguf.display().to_string(), 2048, rates));
    let s = Server::connect(Some(&ls.url), None, &limits(5)).unwrap();
    assert_eq!(s.kind, Kind::LlamaServer);
    assert_eq!(s.version.as_deref(), Some("b11312-0c1e57098"));
    let m = s.model(None).unwrap();
    assert_eq!(m.n_ctx, Some(2048));
    assert_eq!(m.name, "python-gen-worker_stories260K.gguf");
    let p = predict_model(&m).unwrap();
    assert_eq!(p.spec.architecture, "llama");
    assert!(p.source.contains("model file"));
    assert_eq!(s.count_tokens("abcdefgh").unwrap(), Some(2));
    let t = s.generate(&m.name, "abcd", 8, None).unwrap();
    assert_eq!((t.prompt_tokens, t.gen_tokens), (2, 8));
    assert!((t.decode_tps().unwrap() - 100.0).abs() < 1e-6);
    let req = ls
        .requests()
        .into_iter()
        .find(|r| r.path == "/completion")
        .unwrap()
        .json();
    assert_eq!(req["cache_prompt"], false);
    assert_eq!(req["n_predict"], 8);

    let show = fixture_text("ollama/api_show_qwen3-1.7b.json");
    let ol = TestServer::start(ollama("qwen3:1.7b", show, rates));
    let s = Server::connect(Some(&ol.url), None, &limits(5)).unwrap();
    assert_eq!(s.kind, Kind::Ollama);
    assert_eq!(s.version.as_deref(), Some("0.11.6"));
    // No name given: the loaded model.
    let m = s.model(None).unwrap();
    assert_eq!(m.name, "qwen3:1.7b");
    let p = predict_model(&m).unwrap();
    assert_eq!(p.spec.architecture, "qwen3");
    assert!(p.source.contains("/api/show"), "{}", p.source);
    assert_eq!(s.count_tokens("x").unwrap(), None);
    let t = s.generate("qwen3:1.7b", "abcdefgh", 4, Some(4096)).unwrap();
    assert_eq!((t.prompt_tokens, t.gen_tokens), (3, 4));
    let req = ol
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/generate")
        .unwrap()
        .json();
    assert_eq!(req["options"]["num_ctx"], 4096);
    assert_eq!(req["raw"], true);
    assert_eq!(req["stream"], false);
    // An unknown model: one line naming it.
    let e = s.model(Some("nope:1b")).unwrap_err().to_string();
    assert!(e.contains("has no model 'nope:1b'"), "{e}");
}

#[test]
fn hung_dripping_and_garbage_servers_fail_in_bounded_time() {
    let cases: Vec<(Reply, &str)> = vec![
        (Reply::Hang, "did not answer GET /props within 2 s"),
        (
            Reply::Drip(Duration::from_millis(200)),
            "did not answer GET /props within 2 s",
        ),
        (
            Reply::Raw(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()),
            "not its JSON",
        ),
        (Reply::Json(200, "[1,2".into()), "not its JSON"),
        (
            Reply::Json(500, r#"{"error":{"code":500,"message":"boom"}}"#.into()),
            "HTTP 500: boom",
        ),
    ];
    for (reply, want) in cases {
        let srv = TestServer::start(move |_r| reply.clone());
        let t = Instant::now();
        let e = Server::connect(Some(&srv.url), Some(Kind::LlamaServer), &limits(2)).unwrap_err();
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "{want}: took {:?}",
            t.elapsed()
        );
        let text = e.to_string();
        assert!(text.contains(want), "{want}: {text}");
        assert!(!text.contains('\n'), "{text}");
    }
    // A generation that takes longer than the limit.
    let gguf = fixture_path("gguf/python-gen-worker_stories260K.gguf")
        .display()
        .to_string();
    let rates = FakeRates {
        prefill: 1000.0,
        decode: 100.0,
    };
    let inner = llama_server(&gguf, 2048, rates);
    let srv = TestServer::start(move |r| {
        if r.path == "/completion" {
            Reply::Hang
        } else {
            inner(r)
        }
    });
    let s = Server::connect(Some(&srv.url), None, &limits(2)).unwrap();
    let t = Instant::now();
    let e = s.generate("m", "hello", 4, None).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(10));
    assert!(matches!(e, ServerError::Slow { .. }), "{e}");
    assert!(e.to_string().contains("raise --timeout"), "{e}");
}

#[test]
fn ollama_model_without_tensors_uses_the_file_type() {
    // The abbreviated qwen3moe reply has model_info but no tensor list.
    let show: cabe_ollama::api::ShowReply = serde_json::from_str(&fixture_text(
        "ollama/api_show_qwen3-30b-a3b_qwen3moe_abbrev.json",
    ))
    .unwrap();
    let m = ServerModel {
        name: "qwen3:30b-a3b".into(),
        path: None,
        show: Some(show),
        n_ctx: None,
    };
    match predict_model(&m) {
        Ok(p) => {
            assert_eq!(p.spec.architecture, "qwen3moe");
            assert!(
                p.weights.bytes_active < p.weights.bytes / 5,
                "MoE: few active bytes"
            );
            // Catalog Qwen3-30B-A3B is untied.
            assert!(!p.spec.tied_embeddings);
        }
        Err(e) => assert!(e.contains("/api/show"), "{e}"),
    }
    assert!(predict_model(&ServerModel::default())
        .unwrap_err()
        .contains("does not say"));
}

/// Found by the `ollama_api` fuzz target: an `/api/show` reply whose `general.architecture`
/// holds a newline made a two-line error ("GGUF architecture 'q … License\n' is missing …").
/// The fuzzer's input (its first byte picks the endpoint) is kept as it was found.
#[test]
fn a_show_reply_with_a_hostile_architecture_gives_a_one_line_error() {
    let input = std::fs::read(fixture_path(
        "fuzz/ollama_api-show-architecture-newline.bin",
    ))
    .unwrap();
    let show: cabe_ollama::api::ShowReply = cabe_ollama::http::decode(&input[1..]).unwrap();
    let m = ServerModel {
        name: "m".into(),
        show: Some(show),
        ..Default::default()
    };
    let e = predict_model(&m).unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    assert!(
        e.contains(r"License\n' is missing"),
        "the newline is shown escaped: {e}"
    );
}

/// Found by the `ollama_api` fuzz target after the fix above: an `/api/generate` reply's
/// `error` field with a newline came back as a two-line "Ollama says: …" error.
#[test]
fn an_error_field_with_a_newline_gives_a_one_line_error() {
    let input = std::fs::read(fixture_path("fuzz/ollama_api-generate-error-newline.bin")).unwrap();
    let e = parse_generate(&input[1..]).unwrap_err();
    assert!(!e.contains('\n'), "{e}");
    assert!(
        e.starts_with("Ollama says: ") && e.ends_with(r"use,\n2"),
        "{e}"
    );
    // And a long one is cut.
    let long = format!(r#"{{"error": "{}"}}"#, "x".repeat(10_000));
    let e = parse_generate(long.as_bytes()).unwrap_err();
    assert!(
        e.chars().count() < 400 && e.ends_with('…'),
        "{} chars",
        e.len()
    );
}
