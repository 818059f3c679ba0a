//! The live APIs against a 127.0.0.1 server replaying real Ollama replies
//! (`tests/fixtures/ollama/`, see `tests/fixtures/SOURCES.md`), and against servers that hang, drip,
//! answer garbage or are not there. Every case must end within its timeout.

use cabe_ollama::api::{show_to_gguf, Ollama};
use cabe_ollama::http::{HttpConfig, HttpError};
use cabe_ollama::llama_server::{Health, LlamaServer};
use cabe_testkit::{dead_port, fixture_text, Reply, TestServer};
use std::time::{Duration, Instant};

fn fast() -> HttpConfig {
    HttpConfig::with_timeout(Duration::from_millis(400))
}

fn fixture(name: &str) -> String {
    fixture_text(&format!("ollama/{name}"))
}

#[test]
fn version_tags_ps_show_from_recorded_replies() {
    let s = TestServer::replay(vec![
        (
            "GET",
            "/api/version",
            Reply::Json(200, fixture("api_version_0.11.6.json")),
        ),
        (
            "GET",
            "/api/tags",
            Reply::Json(200, fixture("api_tags_7models.json")),
        ),
        (
            "GET",
            "/api/ps",
            Reply::Json(
                200,
                fixture("api_ps_qwen3-8b_ctx16384_partial-offload.json"),
            ),
        ),
        (
            "POST",
            "/api/show",
            Reply::Json(200, fixture("api_show_qwen3-30b-a3b_qwen3moe_abbrev.json")),
        ),
    ]);
    let o = Ollama::new(Some(&s.url), fast());
    assert_eq!(o.version().unwrap(), "0.11.6");
    let tags = o.tags().unwrap();
    assert_eq!(tags.models.len(), 7);
    assert!(tags
        .models
        .iter()
        .any(|m| m.name.starts_with("hf.co/bartowski/")));
    let ps = o.ps().unwrap();
    assert_eq!(ps.models[0].name, "qwen3:8b");
    assert_eq!(ps.models[0].size, Some(9_569_764_352));
    assert_eq!(ps.models[0].size_vram, Some(7_164_390_400));
    assert_eq!(ps.models[0].context_length, Some(16_384));
    let show = o.show("qwen3:30b-a3b").unwrap().unwrap();
    assert_eq!(
        show.details.as_ref().unwrap().family.as_deref(),
        Some("qwen3moe")
    );
    // model_info is the GGUF's metadata: enough for a model spec.
    let g = show_to_gguf(&show).unwrap();
    let spec = cabe_gguf::spec::model_spec(&g, &g.tensors).unwrap();
    assert_eq!(spec.architecture, "qwen3moe");
    assert_eq!(spec.native_ctx, 40_960);
    assert_eq!(spec.n_layer(), 48);
    assert_eq!(spec.moe.as_ref().unwrap().n_expert, 128);
    assert_eq!(show.num_ctx(), None);
}

#[test]
fn show_with_tensors_and_num_ctx() {
    // qwen3 1.7B (attogram capture) lists its tensors; nomic-embed-text sets num_ctx 8192.
    let s = TestServer::replay(vec![(
        "POST",
        "/api/show",
        Reply::Json(200, fixture("api_show_qwen3-1.7b.json")),
    )]);
    let show = Ollama::new(Some(&s.url), fast())
        .show("qwen3:1.7b")
        .unwrap()
        .unwrap();
    let g = show_to_gguf(&show).unwrap();
    assert_eq!(g.tensors.len(), 311);
    let spec = cabe_gguf::spec::model_spec(&g, &g.tensors).unwrap();
    assert_eq!(spec.native_ctx, 40_960);
    let w = cabe_gguf::spec::file_weights(&spec, &g.tensors);
    assert!((1.0e9..1.6e9).contains(&(w.bytes as f64)), "{}", w.bytes);

    let s = TestServer::replay(vec![(
        "POST",
        "/api/show",
        Reply::Json(
            200,
            fixture("api_show_nomic-embed-text-latest_compact.json"),
        ),
    )]);
    let show = Ollama::new(Some(&s.url), fast())
        .show("nomic-embed-text")
        .unwrap()
        .unwrap();
    assert_eq!(show.num_ctx(), Some(8192));
    // A cloud model: details with empty format and null families must still parse.
    let s = TestServer::replay(vec![(
        "POST",
        "/api/show",
        Reply::Json(200, fixture("api_show_gpt-oss-120b_ollama-cloud.json")),
    )]);
    assert!(Ollama::new(Some(&s.url), fast())
        .show("gpt-oss:120b-cloud")
        .unwrap()
        .is_some());
}

#[test]
fn unknown_model_is_none_and_http_errors_are_status() {
    let s = TestServer::replay(vec![
        (
            "POST",
            "/api/show",
            Reply::Json(404, r#"{"error":"model 'x' not found"}"#.into()),
        ),
        (
            "GET",
            "/api/ps",
            Reply::Json(500, r#"{"error":"boom"}"#.into()),
        ),
    ]);
    let o = Ollama::new(Some(&s.url), fast());
    assert_eq!(o.show("x").unwrap(), None);
    match o.ps().unwrap_err() {
        HttpError::Status { status, body } => {
            assert_eq!(status, 500);
            assert!(body.contains("boom"));
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn malformed_json_and_non_http_are_malformed() {
    let s = TestServer::replay(vec![
        (
            "GET",
            "/api/version",
            Reply::Json(200, "{\"version\": ".into()),
        ),
        (
            "GET",
            "/api/ps",
            Reply::Json(200, "<html>proxy login</html>".into()),
        ),
        (
            "GET",
            "/api/tags",
            Reply::Raw(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()),
        ),
    ]);
    let o = Ollama::new(Some(&s.url), fast());
    for e in [
        o.version().unwrap_err(),
        o.ps().unwrap_err(),
        o.tags().unwrap_err(),
    ] {
        assert!(matches!(e, HttpError::Malformed { .. }), "{e:?}");
        assert!(!e.is_unreachable());
    }
}

#[test]
fn hung_and_dripping_servers_time_out() {
    let s = TestServer::replay(vec![
        ("GET", "/api/version", Reply::Hang),
        ("GET", "/api/ps", Reply::Drip(Duration::from_millis(100))),
    ]);
    let o = Ollama::new(Some(&s.url), fast());
    let t = Instant::now();
    let e = o.version().unwrap_err();
    assert!(matches!(e, HttpError::Timeout { .. }), "{e:?}");
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    // A server that sends a byte every 100 ms never trips the read timeout; the whole-request
    // limit (2.5 × 400 ms) ends it.
    let t = Instant::now();
    let e = o.ps().unwrap_err();
    assert!(matches!(e, HttpError::Timeout { .. }), "{e:?}");
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
}

#[test]
fn oversized_replies_are_refused() {
    let big = format!("{{\"version\":\"{}\"}}", "9".repeat(4096));
    let s = TestServer::replay(vec![("GET", "/api/version", Reply::Json(200, big))]);
    let cfg = HttpConfig {
        max_body: 1024,
        ..fast()
    };
    let e = Ollama::new(Some(&s.url), cfg).version().unwrap_err();
    assert!(matches!(e, HttpError::TooLarge { limit: 1024 }), "{e:?}");
}

#[test]
fn nothing_listening_is_unreachable() {
    let o = Ollama::new(Some(&format!("127.0.0.1:{}", dead_port())), fast());
    let e = o.version().unwrap_err();
    assert!(e.is_unreachable(), "{e:?}");
}

/// `/props` as llama-server builds it (`get_res_props` in tools/server/server-context.cpp,
/// llama.cpp b11312): hand-written from those keys, values of a 4-slot unified server.
const PROPS: &str = r#"{"default_generation_settings":{"params":{"n_predict":-1,"temperature":0.8},"n_ctx":8192},"total_slots":4,"model_alias":"stories260K","model_ftype":"F32","model_path":"/models/stories260K.gguf","modalities":{"vision":false,"video":false,"audio":false},"endpoint_slots":true,"endpoint_props":false,"endpoint_metrics":false,"chat_template":"","bos_token":"<s>","eos_token":"</s>","build_info":"b11312-0c1e5709","is_sleeping":false}"#;

#[test]
fn llama_server_health_props_slots_tokenize() {
    let s = TestServer::replay(vec![
        ("GET", "/health", Reply::Json(200, r#"{"status":"ok"}"#.into())),
        ("GET", "/props", Reply::Json(200, PROPS.into())),
        (
            "GET",
            "/slots",
            Reply::Json(
                200,
                r#"[{"id":0,"n_ctx":8192,"speculative":false,"is_processing":false},{"id":1,"n_ctx":8192,"speculative":false,"is_processing":true}]"#.into(),
            ),
        ),
        (
            "POST",
            "/tokenize",
            Reply::Json(200, r#"{"tokens":[1,15043,3186,29991]}"#.into()),
        ),
    ]);
    let l = LlamaServer::new(&s.url, fast());
    assert_eq!(l.health().unwrap(), Health::Ok);
    let p = l.props().unwrap();
    assert_eq!(p.n_ctx_per_slot(), Some(8192));
    assert_eq!(p.total_slots, Some(4));
    assert_eq!(p.model_path.as_deref(), Some("/models/stories260K.gguf"));
    assert_eq!(l.slots().unwrap().len(), 2);
    assert_eq!(l.count_tokens("Hello world!").unwrap(), 4);

    let loading = TestServer::replay(vec![(
        "GET",
        "/health",
        Reply::Json(
            503,
            r#"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#.into(),
        ),
    )]);
    assert_eq!(
        LlamaServer::new(&loading.url, fast()).health().unwrap(),
        Health::Loading
    );
}
