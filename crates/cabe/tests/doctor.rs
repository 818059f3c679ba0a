//! `cabe doctor` end to end: the issue's case from an on-disk Ollama store laid out exactly as
//! Ollama writes it (manifest + blobs; the model blob a real-shaped sparse GGUF of
//! Qwen3-Coder-30B-A3B at Q4_K_M; a params layer with num_ctx 131072).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod common;

use cabe_ollama::testkit;
use cabe_testkit::{dead_port, fixture_text, Reply, TestServer};

/// One store per test binary (building it hashes the 18.5 GB sparse blob once; the digest is
/// cached under the target dir).
fn store() -> &'static Path {
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &STORE
        .get_or_init(|| {
            let d = tempfile::tempdir().unwrap();
            let root = d.path().join("models");
            testkit::issue_store(&root, Some(Path::new(env!("CARGO_TARGET_TMPDIR"))));
            (d, root)
        })
        .1
}

/// Runs cabe with OLLAMA_MODELS set to `models` and OLLAMA_HOST at a port where nothing
/// listens (Ollama not running), other OLLAMA_* variables cleared unless given.
fn cabe_env(models: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = common::command();
    for v in cabe_ollama::env::VARS {
        c.env_remove(v);
    }
    c.env("OLLAMA_MODELS", models)
        .env("OLLAMA_HOST", format!("127.0.0.1:{}", dead_port()));
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.args(args).output().expect("run cabe");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn doctor_json(args: &[&str], env: &[(&str, &str)]) -> Value {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    all.push("--json");
    let (code, out, err) = cabe_env(store(), &all, env);
    assert_eq!(code, 0, "cabe {all:?} failed: {err}\n{out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}"))
}

/// The Ollama model of the issue and its workload.
fn issue() -> Vec<&'static str> {
    let mut v = vec!["qwen3-coder:30b-v-128k"];
    v.extend_from_slice(common::ISSUE_WORKLOAD);
    v
}

fn ids(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn finding<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id} in {:?}", ids(v)))
}

#[test]
fn the_issue_case_gives_exactly_three_findings_and_the_fix() {
    let v = doctor_json(&issue(), &[]);
    assert_eq!(
        ids(&v),
        [
            "ctx-below-native",
            "prompt-over-ctx",
            "prefill-over-timeout"
        ],
        "{}",
        serde_json::to_string_pretty(&v["findings"]).unwrap()
    );
    for f in v["findings"].as_array().unwrap() {
        for k in ["id", "severity", "title", "message", "numbers", "fix"] {
            assert!(!f[k].is_null(), "{k} missing in {f}");
        }
        assert!(!f["fix"].as_str().unwrap().is_empty());
    }
    assert_eq!(v["model"]["architecture"], "qwen3moe");
    assert_eq!(v["model"]["native_ctx"], 262_144);
    assert_eq!(v["effective"]["ctx"], 131_072);
    assert!(v["effective"]["ctx_source"]
        .as_str()
        .unwrap()
        .contains("PARAMETER num_ctx 131072 in the params layer of qwen3-coder:30b-v-128k"));

    // 1. configured context 131,072 below native 262,144.
    let f = finding(&v, "ctx-below-native");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["numbers"]["configured_ctx"], 131_072);
    assert_eq!(f["numbers"]["native_ctx"], 262_144);
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("131,072") && msg.contains("262,144"), "{msg}");
    assert!(msg.contains("qwen3moe.context_length"), "{msg}");
    assert!(f["fix"].as_str().unwrap().contains("262,144"), "{f}");

    // 2. 146,760 over the cap by 15,688 → silent truncation.
    let f = finding(&v, "prompt-over-ctx");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["numbers"]["prompt_tokens"], 146_760);
    assert_eq!(f["numbers"]["configured_ctx"], 131_072);
    assert_eq!(f["numbers"]["over_by"], 15_688);
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("146,760 − 131,072 = 15,688"), "{msg}");
    assert!(msg.contains("silently"), "{msg}");

    // 3. 146,760 / 400 = 367 s (6 min 7 s) > 300 s.
    let f = finding(&v, "prefill-over-timeout");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["numbers"]["prefill_s"], 366.9);
    assert_eq!(f["numbers"]["timeout_s"], 300.0);
    assert_eq!(f["numbers"]["prefill_rate_tok_s"], 400.0);
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("146,760 tokens ÷ 400 tokens/s = 367 s (6 min 7 s)"),
        "{msg}"
    );
    assert!(msg.contains("300 s timeout by 67 s"), "{msg}");
    assert_eq!(f["numbers"]["suggested_timeout_s"], 600);
    // Or a shorter prompt: 400 tokens/s × 300 s = 120,000 tokens.
    assert_eq!(f["numbers"]["max_prompt_tokens_in_timeout"], 120_000);
    let fix = f["fix"].as_str().unwrap();
    assert!(fix.contains("at least 600 s"), "{fix}");
    assert!(
        fix.contains("prefill reads at most 120,000 tokens (400 × 300)"),
        "{fix}"
    );

    // The written fix: a Modelfile with num_ctx 262144 and the exact ollama create command.
    let fix = &v["fix"];
    assert_eq!(fix["ctx"], 262_144);
    let mf = fix["modelfile"].as_str().unwrap();
    assert!(
        mf.contains("\nFROM qwen3-coder:30b-v-128k\nPARAMETER num_ctx 262144\n"),
        "{mf}"
    );
    assert_eq!(fix["new_model"], "qwen3-coder:30b-256k");
    assert_eq!(
        fix["create_command"],
        "ollama create qwen3-coder:30b-256k -f Modelfile"
    );
    assert_eq!(fix["client_timeout_s"], 600);
    assert!(fix["env"].as_array().unwrap().is_empty());
    // And the memory check: 262,144 fits a 64 GB machine at about 44 GB.
    let mc = &fix["memory_check"];
    assert_eq!(mc["ctx"], 262_144);
    assert_eq!(mc["parallel"], 1);
    assert_eq!(mc["fits"], true);
    assert_eq!(mc["verdict"], "fits");
    let total = mc["total_bytes"].as_u64().unwrap() as f64;
    assert!((40e9..48e9).contains(&total), "total {total}");
    assert_eq!(mc["kv_bytes"], 25_769_803_776u64); // 2 × 48 × 4 × 128 × 262,144 × 2 B
    assert!(mc["summary"].as_str().unwrap().contains("→ fits"));
    // Nothing was written.
    assert!(v["applied"].is_null());
    // Ollama not running is a note, not a finding.
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("not running")));
}

#[test]
fn the_issue_case_in_words() {
    let mut args = vec!["doctor"];
    args.extend_from_slice(&issue());
    let (code, out, err) = cabe_env(store(), &args, &[]);
    assert_eq!(code, 0, "{err}");
    for want in [
        "3 findings:",
        "1. WARNING [ctx-below-native]",
        "2. ERROR [prompt-over-ctx]",
        "3. ERROR [prefill-over-timeout]",
        "THE FIX",
        "    FROM qwen3-coder:30b-v-128k",
        "    PARAMETER num_ctx 262144",
        "  ollama create qwen3-coder:30b-256k -f Modelfile",
        "Modelfile (not written; --apply FILE writes it):",
        "Set the client's request timeout to 600 s (10 min).",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

/// A private copy of the issue's store, for tests that change it.
fn fresh_store() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("models");
    testkit::issue_store(&root, Some(Path::new(env!("CARGO_TARGET_TMPDIR"))));
    (d, root)
}

fn blob_of(root: &Path, media_suffix: &str) -> PathBuf {
    let m: Value = serde_json::from_slice(
        &std::fs::read(root.join("manifests/registry.ollama.ai/library/qwen3-coder/30b-v-128k"))
            .unwrap(),
    )
    .unwrap();
    let d = m["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["mediaType"].as_str().unwrap().ends_with(media_suffix))
        .unwrap()["digest"]
        .as_str()
        .unwrap()
        .replace(':', "-");
    root.join("blobs").join(d)
}

#[test]
fn apply_writes_the_modelfile_and_keeps_backups() {
    let dir = tempfile::tempdir().unwrap();
    let mf = dir.path().join("Modelfile");
    let mfs = mf.to_str().unwrap();
    let mut args = issue();
    args.extend(["--apply", mfs]);
    // First: written, nothing to back up; the create command names this file.
    let v = doctor_json(&args, &[]);
    assert_eq!(v["applied"]["written"], true);
    assert!(v["applied"]["backup"].is_null());
    assert_eq!(
        v["fix"]["create_command"],
        format!("ollama create qwen3-coder:30b-256k -f {mfs}")
    );
    let text = std::fs::read_to_string(&mf).unwrap();
    assert!(text.contains("FROM qwen3-coder:30b-v-128k\nPARAMETER num_ctx 262144\n"));
    // The file parses as a Modelfile.
    let parsed = cabe_ollama::modelfile::Modelfile::parse(&text).unwrap();
    assert_eq!(parsed.parameter("num_ctx"), Some("262144"));
    // Again, over a file the user edited: it is kept as .bak, then .bak.1.
    std::fs::write(&mf, "FROM mine\n").unwrap();
    let v = doctor_json(&args, &[]);
    assert_eq!(v["applied"]["backup"], format!("{mfs}.bak"));
    assert_eq!(
        std::fs::read_to_string(format!("{mfs}.bak")).unwrap(),
        "FROM mine\n"
    );
    let v = doctor_json(&args, &[]);
    assert_eq!(v["applied"]["backup"], format!("{mfs}.bak.1"));
    assert_eq!(
        std::fs::read_to_string(format!("{mfs}.bak")).unwrap(),
        "FROM mine\n"
    );
    assert_eq!(std::fs::read_to_string(&mf).unwrap(), text);
}

#[test]
fn without_apply_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["doctor"];
    all.extend_from_slice(&issue());
    let mut c = common::command();
    for v in cabe_ollama::env::VARS {
        c.env_remove(v);
    }
    let out = c
        .current_dir(dir.path())
        .env("OLLAMA_MODELS", store())
        .env("OLLAMA_HOST", format!("127.0.0.1:{}", dead_port()))
        .args(&all)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn prompt_file_is_estimated_without_a_tokenizer() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("prompt.txt");
    std::fs::write(&p, "x".repeat(587_040)).unwrap(); // ≈ 146,760 tokens at 4 bytes each
    let v = doctor_json(
        &[
            "qwen3-coder:30b-v-128k",
            "--memory",
            "64GB",
            "--prompt",
            p.to_str().unwrap(),
        ],
        &[],
    );
    let f = finding(&v, "prompt-over-ctx");
    assert_eq!(f["numbers"]["prompt_tokens"], 146_760);
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("(an estimate: 587,040 bytes ÷ 4)"));
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().starts_with("prompt tokens ESTIMATED")));
}

#[test]
fn prompt_file_is_counted_by_llama_server_tokenize() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("prompt.txt");
    std::fs::write(&p, "Hello world!").unwrap();
    let ls = TestServer::replay(vec![
        (
            "GET",
            "/health",
            Reply::Json(200, r#"{"status":"ok"}"#.into()),
        ),
        (
            "POST",
            "/tokenize",
            Reply::Json(200, r#"{"tokens":[1,15043,3186,29991]}"#.into()),
        ),
    ]);
    let v = doctor_json(
        &[
            "qwen3-coder:30b-v-128k",
            "--memory",
            "64GB",
            "--prompt",
            p.to_str().unwrap(),
            "--llama-server",
            &ls.url,
        ],
        &[],
    );
    assert_eq!(v["prompt"]["tokens"], 4);
    assert_eq!(v["prompt"]["count"]["kind"], "counted");
    assert!(v["prompt"]["count"]["by"]
        .as_str()
        .unwrap()
        .contains("/tokenize"));
    // Small: the only finding is the context below native, for information (it holds this).
    assert_eq!(ids(&v), ["ctx-below-native"]);
    assert_eq!(finding(&v, "ctx-below-native")["severity"], "info");
}

fn replay_ollama(ps: &str) -> TestServer {
    TestServer::replay(vec![
        (
            "GET",
            "/api/version",
            Reply::Json(200, fixture_text("ollama/api_version_0.11.6.json")),
        ),
        ("GET", "/api/ps", Reply::Json(200, ps.to_string())),
        (
            "POST",
            "/api/show",
            Reply::Json(
                200,
                fixture_text("ollama/api_show_qwen3-30b-a3b_qwen3moe_abbrev.json"),
            ),
        ),
    ])
}

#[test]
fn live_ollama_version_and_loaded_model_from_recorded_replies() {
    // /api/ps of a partially offloaded model (tests/fixtures/ollama/
    // api_ps_qwen3-8b_ctx16384_partial-offload.json), renamed to the model diagnosed here.
    let ps = fixture_text("ollama/api_ps_qwen3-8b_ctx16384_partial-offload.json")
        .replace("qwen3:8b", "qwen3-coder:30b-v-128k");
    let s = replay_ollama(&ps);
    let v = doctor_json(
        &[
            "qwen3-coder:30b-v-128k",
            "--memory",
            "64GB",
            "--ollama-host",
            &s.url,
        ],
        &[],
    );
    assert_eq!(v["effective"]["version"], "0.11.6");
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().ends_with("running, version 0.11.6")));
    let f = finding(&v, "loaded-partial-offload");
    assert_eq!(f["numbers"]["size_bytes"], 9_569_764_352u64);
    assert_eq!(f["numbers"]["cpu_percent"], 25);
    let f = finding(&v, "loaded-ctx-differs");
    assert_eq!(f["numbers"]["loaded_ctx"], 16_384);
    // Without the model on disk, /api/show's model_info sizes it (qwen3moe, 40,960 context).
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(empty.path().join("manifests")).unwrap();
    let (code, out, err) = cabe_env(
        empty.path(),
        &["doctor", "qwen3:30b-a3b", "--memory", "64GB", "--json"],
        &[("OLLAMA_HOST", s.url.as_str())],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["model"]["native_ctx"], 40_960);
    assert_eq!(v["model"]["source"], "/api/show model_info");
    // v0.11.6 with no num_ctx: 4096.
    assert_eq!(v["effective"]["ctx"], 4096);
    assert!(v["effective"]["ctx_source"]
        .as_str()
        .unwrap()
        .contains("v0.11.4–v0.15.4 default: 4096"));
}

#[test]
fn a_hung_or_garbage_server_is_a_finding_not_a_hang() {
    for reply in [
        Reply::Hang,
        Reply::Json(200, "{\"version\": 0.11".into()),
        Reply::Raw(b"garbage\r\n\r\n".to_vec()),
    ] {
        let s = TestServer::replay(vec![("GET", "/api/version", reply)]);
        // Build the store first (on a fresh checkout that hashes its 18.5 GB sparse blob once),
        // so the clock measures only how long a bad server can hold the diagnosis up.
        store();
        let t = std::time::Instant::now();
        let v = doctor_json(
            &[
                "qwen3-coder:30b-v-128k",
                "--memory",
                "64GB",
                "--http-timeout",
                "300ms",
            ],
            &[("OLLAMA_HOST", s.url.as_str())],
        );
        assert!(t.elapsed() < std::time::Duration::from_secs(10));
        let f = finding(&v, "server-unhealthy");
        assert_eq!(f["severity"], "warning");
        assert_eq!(f["numbers"]["endpoint"], "/api/version");
        // The diagnosis still ran from the store.
        assert_eq!(v["effective"]["ctx"], 131_072);
    }
}

#[test]
fn broken_stores_are_one_line_errors_or_findings() {
    let one_line_error = |root: &Path, want: &str| {
        let (code, out, err) = cabe_env(
            root,
            &["doctor", "qwen3-coder:30b-v-128k", "--memory", "64GB"],
            &[],
        );
        assert_eq!(code, 1, "{out}");
        assert!(err.starts_with("cabe: error: "), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(want), "{err}");
    };
    // A manifest that is not JSON.
    let (_d, root) = fresh_store();
    let mpath = root.join("manifests/registry.ollama.ai/library/qwen3-coder/30b-v-128k");
    std::fs::write(&mpath, b"{\"schemaVersion\":2,").unwrap();
    one_line_error(&root, "not a manifest");
    // A missing model blob.
    let (_d, root) = fresh_store();
    std::fs::remove_file(blob_of(&root, "model")).unwrap();
    one_line_error(&root, "the model blob of qwen3-coder:30b-v-128k is missing");
    // A model blob that is not a GGUF.
    let (_d, root) = fresh_store();
    let b = blob_of(&root, "model");
    std::fs::remove_file(&b).unwrap();
    std::fs::write(&b, b"PK\x03\x04 not a gguf at all").unwrap();
    one_line_error(&root, "is not a readable GGUF");
    // A model that is not there: the tags that are.
    let (code, _, err) = cabe_env(store(), &["doctor", "qwen3-coder:30b"], &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("tags of qwen3-coder there: qwen3-coder:30b-v-128k"),
        "{err}"
    );
    // A missing params blob: the diagnosis runs, and says so.
    let (_d, root) = fresh_store();
    std::fs::remove_file(blob_of(&root, "params")).unwrap();
    let (code, out, err) = cabe_env(
        &root,
        &[
            "doctor",
            "qwen3-coder:30b-v-128k",
            "--memory",
            "64GB",
            "--json",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let f = finding(&v, "store-layer-broken");
    assert_eq!(f["severity"], "error");
    assert!(f["message"].as_str().unwrap().contains("params layer"));
}

#[test]
fn llama_server_setup_from_props() {
    // A llama-server replay whose /props names a real GGUF fixture (stories260K, 2,048 ctx).
    let gguf = cabe_testkit::fixture_path("gguf/python-gen-worker_stories260K.gguf");
    let props = format!(
        r#"{{"default_generation_settings":{{"n_ctx":512}},"total_slots":1,"model_path":{},"build_info":"b11312-0c1e5709"}}"#,
        serde_json::to_string(gguf.to_str().unwrap()).unwrap()
    );
    let ls = TestServer::replay(vec![
        (
            "GET",
            "/health",
            Reply::Json(200, r#"{"status":"ok"}"#.into()),
        ),
        ("GET", "/props", Reply::Json(200, props)),
    ]);
    let v = doctor_json(
        &[
            "--llama-server",
            &ls.url,
            "--memory",
            "16GB",
            "--prompt-tokens",
            "1000",
        ],
        &[],
    );
    assert_eq!(v["effective"]["runtime"], "llama-server");
    assert_eq!(v["effective"]["ctx"], 512);
    assert_eq!(v["model"]["native_ctx"], 2048);
    assert_eq!(
        ids(&v),
        ["ctx-below-native", "prompt-over-ctx"],
        "{}",
        v["findings"]
    );
    assert_eq!(v["fix"]["llama_server_flags"], "-c 2048 -np 1 -fa on");
    assert!(v["fix"]["modelfile"].is_null());
    // A llama-server that is not there, with nothing else to diagnose: an error.
    let (code, _, err) = cabe_env(
        store(),
        &[
            "doctor",
            "--llama-server",
            &format!("127.0.0.1:{}", dead_port()),
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("is not answering"), "{err}");
}

#[test]
fn a_catalog_model_with_the_setup_given_gets_the_same_three_findings() {
    // No store, server or OLLAMA_* variable: the model from the catalog, num_ctx as given.
    let mut args = vec![
        "doctor",
        "--catalog",
        "qwen3-coder:30b",
        "--ctx",
        "131072",
        "--json",
    ];
    args.extend_from_slice(common::ISSUE_WORKLOAD);
    let (code, out, err) = cabe_env(Path::new("/nonexistent-store"), &args, &[]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        ids(&v),
        [
            "ctx-below-native",
            "prompt-over-ctx",
            "prefill-over-timeout"
        ]
    );
    assert_eq!(v["effective"]["ctx"], 131_072);
    assert!(v["effective"]["ctx_source"]
        .as_str()
        .unwrap()
        .contains("(--ctx)"));
    assert_eq!(v["fix"]["ctx"], 262_144);
    assert!(v["fix"]["modelfile"]
        .as_str()
        .unwrap()
        .contains("\nFROM qwen3-coder:30b\nPARAMETER num_ctx 262144\n"));
    assert!(v["notes"][0].as_str().unwrap().starts_with("--catalog:"));

    // On llama-server the context must be given, and the fix is its flags.
    let (code, _, err) = common::cabe(&[
        "doctor",
        "--catalog",
        "qwen3-coder-30b-a3b",
        "--runtime",
        "llama-server",
        "--memory",
        "64GB",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--runtime llama-server needs the context in force"),
        "{err}"
    );
    let (code, out, err) = common::cabe(&[
        "doctor",
        "--catalog",
        "qwen3-coder-30b-a3b",
        "--runtime",
        "llama-server",
        "--ctx",
        "131072",
        "--memory",
        "64GB",
        "--prompt-tokens",
        "146760",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(ids(&v).contains(&"prompt-over-ctx".to_string()));
    assert_eq!(v["fix"]["llama_server_flags"], "-c 262144 -np 1 -fa on");

    // What --catalog does not read cannot be given with it, and its setup flags need it.
    for bad in [
        &[
            "doctor",
            "--catalog",
            "qwen3-coder-30b-a3b",
            "--models-dir",
            "/tmp",
        ][..],
        &["doctor", "qwen3-coder:30b", "--ctx", "4096"][..],
        &[
            "doctor",
            "--catalog",
            "qwen3-coder-30b-a3b",
            "--runtime",
            "llama-cli",
            "--ctx",
            "4096",
            "--memory",
            "64GB",
        ][..],
        &[
            "doctor",
            "--catalog",
            "qwen3-coder-30b-a3b",
            "--ctx",
            "0",
            "--memory",
            "64GB",
        ][..],
    ] {
        let (code, _, err) = common::cabe(bad);
        assert_ne!(code, 0, "{bad:?}");
        assert_eq!(err.trim().lines().count(), 1, "{bad:?}: {err}");
    }
}
