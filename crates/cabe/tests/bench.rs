//! `cabe bench` against local 127.0.0.1 servers that play llama-server and Ollama (timings for
//! each prompt's size), and against servers that are down, hang, or answer garbage; the
//! history database after finished, failed and killed runs; and `fit` corrected by the runs.

mod common;
use common::{json, ok};

use cabe_bench::store::Store;
use cabe_testkit::fake_llm::{llama_server, ollama, FakeRates};
use cabe_testkit::{dead_port, fixture_path, fixture_text, Reply, TestServer};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// cabe with a private data dir and a recorded CPU-only machine as "this machine".
fn cabe(data: &Path) -> Command {
    let mut c = common::cabe_in(data);
    c.env(
        "CABE_MACHINE_ROOT",
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/machines/intel-i5-1035g1-laptop"),
    );
    c.env_remove("OLLAMA_HOST");
    c
}

/// The one error line of a failed run.
fn fails(out: Output) -> String {
    assert!(
        !out.status.success(),
        "expected a failure: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("cabe: error: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    err
}

fn tiny_gguf() -> String {
    fixture_path("gguf/python-gen-worker_stories260K.gguf")
        .display()
        .to_string()
}

const RATES: FakeRates = FakeRates {
    prefill: 400.0,
    decode: 40.0,
};

fn history_counts(data: &Path) -> (i64, i64) {
    match Store::open_existing(&data.join("history.sqlite")).unwrap() {
        Some(s) => {
            assert_eq!(s.integrity().unwrap(), "ok");
            s.counts().unwrap()
        }
        None => (0, 0),
    }
}

#[test]
fn llama_server_run_is_measured_capped_at_the_context_and_stored() {
    let data = tempfile::tempdir().unwrap();
    let srv = TestServer::start(llama_server(&tiny_gguf(), 4096, RATES));
    let v = json(
        cabe(data.path())
            .args(["bench", "--url", &srv.url, "--prompt-sizes", "512,2k,8k"])
            .args(["--gen-tokens", "16", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(v["server"]["kind"], "llama-server");
    assert_eq!(v["ctx"], 4096);
    // 8K does not fit a 4096 context: capped at the largest size that does.
    assert_eq!(v["sizes"], serde_json::json!([512, 2048, 4032]));
    assert_eq!(v["capped_sizes"], serde_json::json!([8192]));
    assert_eq!(v["prompt_sizing"], "server tokenizer");
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for r in rows {
        let target = r["target_tokens"].as_u64().unwrap();
        let got = r["prompt_tokens"].as_u64().unwrap();
        // Sized with the server's tokenizer: at most the target, and close to it.
        assert!(
            got <= target && got as f64 > target as f64 * 0.95,
            "{got} for {target}"
        );
        assert!((r["prefill_tps"].as_f64().unwrap() - 400.0).abs() < 1e-6);
        assert!((r["decode_tps"].as_f64().unwrap() - 40.0).abs() < 1e-6);
        // Predicted from the server's model file (a 260K-parameter model: very fast).
        let p = r["predicted_decode_tps"]["typical"].as_f64().unwrap();
        let ratio = r["decode_ratio"].as_f64().unwrap();
        assert!((ratio - 40.0 / p).abs() < 1e-9);
    }
    assert!(v["model"]["prediction_from"]
        .as_str()
        .unwrap()
        .contains("stories260K"));
    // Every generation asked for 16 tokens, with the prompt cache off.
    let gens: Vec<Value> = srv
        .requests()
        .iter()
        .filter(|r| r.path == "/completion")
        .map(|r| r.json())
        .collect();
    assert_eq!(gens.len(), 4, "warm-up and three sizes");
    assert!(gens[1..]
        .iter()
        .all(|g| g["n_predict"] == 16 && g["cache_prompt"] == false));
    // The prompts start differently (no shared cached prefix).
    let starts: Vec<String> = gens
        .iter()
        .map(|g| g["prompt"].as_str().unwrap()[..30].to_string())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] != w[1]), "{starts:?}");

    // Stored: one run with three rows, listed by `history`.
    assert_eq!(history_counts(data.path()), (1, 3));
    let h = json(
        cabe(data.path())
            .args(["history", "--json"])
            .output()
            .unwrap(),
    );
    let runs = h["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["server"], "llama-server");
    assert_eq!(runs[0]["rows"].as_array().unwrap().len(), 3);
    assert_eq!(runs[0]["backend"], "cpu");
    assert!(runs[0]["machine"].as_str().unwrap().contains("i5-1035G1"));

    // The human table.
    let text = ok(cabe(data.path())
        .args([
            "bench",
            "--url",
            &srv.url,
            "--prompt-sizes",
            "512",
            "--gen-tokens",
            "8",
        ])
        .output()
        .unwrap());
    assert!(
        text.contains("prefill tok/s") && text.contains("decode tok/s"),
        "{text}"
    );
    assert!(text.contains("stored as run 2"), "{text}");
    assert!(text.contains("corrected by 2 measured runs"), "{text}");
}

#[test]
fn ollama_run_sends_num_ctx_and_predicts_from_api_show() {
    let data = tempfile::tempdir().unwrap();
    let show = fixture_text("ollama/api_show_qwen3-1.7b.json");
    let srv = TestServer::start(ollama("qwen3:1.7b", show, RATES));
    let v = json(
        cabe(data.path())
            .args(["bench", "--url", &srv.url, "--model", "qwen3:1.7b"])
            .args([
                "--prompt-sizes",
                "512,1k",
                "--gen-tokens",
                "8",
                "--ctx",
                "2048",
                "--json",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(v["server"]["kind"], "ollama");
    assert_eq!(v["prompt_sizing"], "estimate");
    assert_eq!(v["rows"].as_array().unwrap().len(), 2);
    assert!(v["model"]["prediction_from"]
        .as_str()
        .unwrap()
        .contains("/api/show"));
    let gens: Vec<Value> = srv
        .requests()
        .iter()
        .filter(|r| r.path == "/api/generate")
        .map(|r| r.json())
        .collect();
    assert_eq!(gens.len(), 3);
    assert!(gens
        .iter()
        .all(|g| g["options"]["num_ctx"] == 2048 && g["raw"] == true && g["stream"] == false));
    // Sized from the warm-up's count: within 10% of the target (the fake counts 4 bytes a token).
    for r in v["rows"].as_array().unwrap() {
        let (t, n) = (
            r["target_tokens"].as_f64().unwrap(),
            r["prompt_tokens"].as_f64().unwrap(),
        );
        assert!((n / t - 1.0).abs() < 0.1, "{n} for {t}");
    }
    assert_eq!(history_counts(data.path()), (1, 2));
}

#[test]
fn a_server_that_is_down_fails_in_one_line_and_stores_nothing() {
    let data = tempfile::tempdir().unwrap();
    let port = dead_port();
    let e = fails(
        cabe(data.path())
            .args(["bench", "--url", &format!("http://127.0.0.1:{port}")])
            .output()
            .unwrap(),
    );
    assert!(
        e.contains(&format!("no server answers at http://127.0.0.1:{port}")),
        "{e}"
    );
    assert_eq!(history_counts(data.path()), (0, 0));
}

#[test]
fn hung_slow_and_malformed_servers_fail_clearly_in_bounded_time() {
    let inner = std::sync::Arc::new(llama_server(&tiny_gguf(), 4096, RATES));
    // (what /completion does for the second size, expected message)
    let cases: Vec<(Reply, &str)> = vec![
        (Reply::Hang, "did not answer POST /completion within 2 s"),
        (
            Reply::Drip(Duration::from_millis(300)),
            "did not answer POST /completion within 2 s",
        ),
        (
            Reply::Json(200, r#"{"content":"x","stop":true}"#.into()),
            "answered POST /completion with something that is not its JSON: the reply has no `timings`",
        ),
        (
            Reply::Raw(b"\x00\x01garbage".to_vec()),
            "stopped answering during POST /completion",
        ),
        (
            Reply::Raw(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{\"tim".to_vec()),
            "not its JSON",
        ),
        (
            Reply::Json(
                500,
                r#"{"error":{"code":500,"message":"failed to allocate KV cache"}}"#.into(),
            ),
            "HTTP 500: failed to allocate KV cache",
        ),
    ];
    for (reply, want) in cases {
        let data = tempfile::tempdir().unwrap();
        let inner = inner.clone();
        let completions = std::sync::atomic::AtomicUsize::new(0);
        let srv = TestServer::start(move |r| {
            // The warm-up and the first size answer; the second size misbehaves, after the
            // first row was written: the run's rows must all go.
            if r.path == "/completion"
                && completions.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 1
            {
                reply.clone()
            } else {
                inner(r)
            }
        });
        let t = Instant::now();
        let e = fails(
            cabe(data.path())
                .args(["bench", "--url", &srv.url, "--prompt-sizes", "512,1k"])
                .args(["--gen-tokens", "8", "--timeout", "2s"])
                .output()
                .unwrap(),
        );
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "{want}: {:?}",
            t.elapsed()
        );
        assert!(e.contains(want), "{want}: {e}");
        assert!(e.contains("the 1,024 token prompt"), "{e}");
        // The run's transaction was rolled back: nothing stored.
        assert_eq!(history_counts(data.path()), (0, 0), "{want}");
    }
    // Hung before anything: /props itself.
    let data = tempfile::tempdir().unwrap();
    let srv = TestServer::start(|_r| Reply::Hang);
    let t = Instant::now();
    let e = fails(
        cabe(data.path())
            .args([
                "bench",
                "--url",
                &srv.url,
                "--server",
                "llama-server",
                "--timeout",
                "2s",
            ])
            .output()
            .unwrap(),
    );
    assert!(t.elapsed() < Duration::from_secs(15));
    assert!(
        e.contains("did not answer GET /props within 2 s (hung, or still loading the model)"),
        "{e}"
    );
}

#[test]
fn a_killed_run_leaves_no_rows() {
    let data = tempfile::tempdir().unwrap();
    let inner = llama_server(&tiny_gguf(), 8192, RATES);
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let tx = std::sync::Mutex::new(tx);
    let completions = std::sync::atomic::AtomicUsize::new(0);
    // Warm-up and the first size answer; the second size hangs (and tells the test).
    let srv = TestServer::start(move |r| {
        if r.path == "/completion"
            && completions.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 2
        {
            let _ = tx.lock().unwrap().send(());
            return Reply::Hang;
        }
        inner(r)
    });
    let mut child = cabe(data.path())
        .args(["bench", "--url", &srv.url, "--prompt-sizes", "512,1k,2k"])
        .args(["--gen-tokens", "8", "--timeout", "60s", "--json"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the second measurement was requested");
    // The first measurement's row is written (uncommitted) by now; kill the run mid-way.
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let db = data.path().join("history.sqlite");
    assert!(db.is_file(), "the run had opened the database");
    // Opening it rolls back what the killed run left in its journal.
    assert_eq!(history_counts(data.path()), (0, 0));
    let h = json(
        cabe(data.path())
            .args(["history", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(h["runs"].as_array().unwrap().len(), 0);
    // The database still works: a run that finishes is stored whole.
    let srv2 = TestServer::start(llama_server(&tiny_gguf(), 8192, RATES));
    ok(cabe(data.path())
        .args(["bench", "--url", &srv2.url, "--prompt-sizes", "512,1k"])
        .args(["--gen-tokens", "8", "--json"])
        .output()
        .unwrap());
    assert_eq!(history_counts(data.path()), (1, 2));
}

#[test]
fn fit_on_the_benched_machine_is_corrected_by_the_runs() {
    let data = tempfile::tempdir().unwrap();
    let gguf = tiny_gguf();
    let fit = |data: &Path| {
        json(
            cabe(data)
                .args([
                    "fit",
                    &gguf,
                    "--ctx",
                    "2048",
                    "--prompt-tokens",
                    "1024",
                    "--json",
                ])
                .output()
                .unwrap(),
        )
    };
    let before = fit(data.path());
    assert!(before["speed"]["correction"].is_null());
    // Not calibrated: a CPU machine with no compute figure has no prefill prediction.
    assert_eq!(before["speed"]["prefill_source"], "unknown");
    let dec0 = before["speed"]["decode_empty_tps"]["typical"]
        .as_f64()
        .unwrap();
    // A server that decodes at a known fraction of the prediction.
    let rates = FakeRates {
        prefill: 400.0,
        decode: dec0 * 0.5,
    };
    let srv = TestServer::start(llama_server(&gguf, 4096, rates));
    let mut ratios = Vec::new();
    for _ in 0..2 {
        let b = json(
            cabe(data.path())
                .args(["bench", "--url", &srv.url, "--prompt-sizes", "512"])
                .args(["--gen-tokens", "8", "--json"])
                .output()
                .unwrap(),
        );
        ratios.push(b["rows"][0]["decode_ratio"].as_f64().unwrap());
    }
    // Above 0.5: the bench compares with the decode rate at its prompt's position, slower
    // than with an empty context (this tiny model's KV cache is large next to its weights).
    assert!(ratios[0] > 0.5 && ratios[0] < 1.0, "{ratios:?}");
    let after = fit(data.path());
    let c = &after["speed"]["correction"];
    assert_eq!(c["runs"], 2, "{after}");
    let f = c["decode"].as_f64().unwrap();
    assert!(
        (f - (ratios[0] + ratios[1]) / 2.0).abs() < 1e-9,
        "{f} {ratios:?}"
    );
    let dec1 = after["speed"]["decode_empty_tps"]["typical"]
        .as_f64()
        .unwrap();
    assert!((dec1 / dec0 - f).abs() < 1e-9);
    // The ceiling is physics, not corrected.
    assert_eq!(
        after["speed"]["decode_empty_tps"]["bound"],
        before["speed"]["decode_empty_tps"]["bound"]
    );
    let lines: Vec<String> = after["speed"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("corrected by 2 measured runs: ×0.")),
        "{lines:?}"
    );
    // Another machine's predictions are not corrected by this one's runs.
    let other = json(
        cabe(data.path())
            .args([
                "fit",
                &gguf,
                "--ctx",
                "2048",
                "--on",
                "mac-studio-m3-ultra-96gb",
                "--json",
            ])
            .output()
            .unwrap(),
    );
    assert!(other["speed"]["correction"].is_null());
}

#[test]
fn bad_bench_flags_fail_cleanly() {
    let data = tempfile::tempdir().unwrap();
    for args in [
        vec!["bench", "--prompt-sizes", "abc"],
        vec!["bench", "--prompt-sizes", "0"],
        vec!["bench", "--timeout", "soon"],
        vec!["bench", "--gen-tokens", "0"],
    ] {
        fails(cabe(data.path()).args(&args).output().unwrap());
    }
}

/// A calibration that is wrong on purpose (its bandwidth tripled): the bench history
/// catches it — the runs are stored against that calibration, `fit` is corrected by them and
/// says the predictions missed.
#[test]
fn a_wrong_calibration_is_caught_by_the_bench_history_and_corrected() {
    let data = tempfile::tempdir().unwrap();
    let gguf = tiny_gguf();
    let mut cal = json(
        cabe(data.path())
            .args(["calibrate", "--quick", "--threads", "1", "--json"])
            .output()
            .unwrap(),
    );
    for k in ["bandwidth_gbps", "bandwidth_1t_gbps"] {
        let best = cal[k]["best"].as_f64().unwrap();
        cal[k]["best"] = (best * 3.0).into();
    }
    let path = cal["path"].as_str().unwrap().to_string();
    std::fs::write(&path, serde_json::to_string(&cal).unwrap()).unwrap();
    let fit = |data: &Path| {
        json(
            cabe(data)
                .args(["fit", &gguf, "--ctx", "2048", "--json"])
                .output()
                .unwrap(),
        )
    };
    let before = fit(data.path());
    assert!(before["speed"]["calibrated_at"].is_string(), "{before}");
    let dec0 = before["speed"]["decode_empty_tps"]["typical"]
        .as_f64()
        .unwrap();
    // The real machine decodes at a third of what the tripled bandwidth predicts.
    let srv = TestServer::start(llama_server(
        &gguf,
        4096,
        FakeRates {
            prefill: 400.0,
            decode: dec0 / 3.0,
        },
    ));
    for _ in 0..2 {
        ok(cabe(data.path())
            .args(["bench", "--url", &srv.url, "--prompt-sizes", "512"])
            .args(["--gen-tokens", "8", "--json"])
            .output()
            .unwrap());
    }
    let after = fit(data.path());
    // Measured ÷ predicted at the bench's prompt position (this tiny model's KV cache weighs
    // more there than with an empty context): well below 1, past the bar that names a miss.
    let f = after["speed"]["correction"]["decode"].as_f64().unwrap();
    assert!(f < 0.8, "corrected down: {f}");
    let dec1 = after["speed"]["decode_empty_tps"]["typical"]
        .as_f64()
        .unwrap();
    assert!((dec1 / dec0 - f).abs() < 1e-9);
    let lines = after["speed"]["lines"].to_string();
    assert!(
        lines.contains("the predictions missed the measured runs (decode +"),
        "{lines}"
    );
    assert!(lines.contains("cabe calibrate --llama-bench"), "{lines}");
}
