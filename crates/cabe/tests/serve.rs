//! `cabe serve` as a user runs it: a real process on a free port, asked over HTTP.

mod common;

use common::server::{call, raw, start};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

fn one_line_error(v: &Value) -> &str {
    let e = v["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {v}"));
    assert!(!e.is_empty() && !e.contains('\n'), "{e:?}");
    e
}

#[test]
fn serve_answers_as_the_command_line_refuses_what_it_should_and_stops_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let mut server = start(data.path());

    let (status, health) = call(&server, "GET", "/api/health", None);
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");

    // The same request, the same object, field for field.
    let (status, served) = call(
        &server,
        "POST",
        "/api/fit",
        Some(r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB"}"#),
    );
    assert_eq!(status, 200, "{served}");
    let cli = common::json(
        common::cabe_in(data.path())
            .args(["fit", "qwen3-coder-30b-a3b", "--memory", "64GB", "--json"])
            .output()
            .unwrap(),
    );
    for (k, v) in cli.as_object().unwrap() {
        assert_eq!(&served[k], v, "field {k}");
    }
    assert_eq!(served, cli);

    // With settings and a workload too (and an alias for the model).
    let (status, served) = call(
        &server,
        "POST",
        "/api/fit",
        Some(
            r#"{"model": "qwen3-coder:30b", "memory": "64GB", "ctx": "32k", "kv_type": "q8_0",
                "parallel": 2, "prompt_tokens": 146760, "timeout": "300s", "prefill_rate": 400}"#,
        ),
    );
    assert_eq!(status, 200, "{served}");
    let cli = common::json(
        common::cabe_in(data.path())
            .args([
                "fit",
                "qwen3-coder:30b",
                "--memory",
                "64GB",
                "--ctx",
                "32k",
                "--kv-type",
                "q8_0",
                "--parallel",
                "2",
                "--prompt-tokens",
                "146760",
                "--timeout",
                "300s",
                "--prefill-rate",
                "400",
                "--json",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(served, cli);

    let (status, served) = call(
        &server,
        "POST",
        "/api/recommend",
        Some(r#"{"memory": "64GB", "bandwidth": 400, "use": "code"}"#),
    );
    assert_eq!(status, 200, "{served}");
    let cli = common::json(
        common::cabe_in(data.path())
            .args([
                "recommend",
                "--memory",
                "64GB",
                "--bandwidth",
                "400",
                "--use",
                "code",
                "--json",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(served, cli);

    // curve, plan, buy, route and doctor: the command's --json, for the same flags.
    let same: &[(&str, &str, &[&str])] = &[
        (
            "/api/curve",
            r#"{"model": "qwen3-coder-30b-a3b", "on": "rtx-4090", "timeout": "300s", "points": 12, "kv_type": "q8_0"}"#,
            &[
                "curve",
                "qwen3-coder-30b-a3b",
                "--on",
                "rtx-4090",
                "--timeout",
                "300s",
                "--points",
                "12",
                "--kv-type",
                "q8_0",
            ],
        ),
        (
            "/api/plan",
            r#"{"model": "llama-3.1-70b", "on": "2x rtx-4090", "ctx": "32k"}"#,
            &[
                "plan",
                "llama-3.1-70b",
                "--on",
                "2x rtx-4090",
                "--ctx",
                "32k",
            ],
        ),
        (
            "/api/plan",
            r#"{"model": "llama-3.1-70b", "devices": "24GiB,24GiB", "bandwidth": 1000, "engine": "vllm", "ctx": 8192}"#,
            &[
                "plan",
                "llama-3.1-70b",
                "--devices",
                "24GiB,24GiB",
                "--bandwidth",
                "1000",
                "--engine",
                "vllm",
                "--ctx",
                "8192",
            ],
        ),
        (
            "/api/buy",
            r#"{"model": "qwen3-coder-30b-a3b", "ctx": "64k", "min_decode": 30, "budget": 3000}"#,
            &[
                "buy",
                "--model",
                "qwen3-coder-30b-a3b",
                "--ctx",
                "64k",
                "--min-decode",
                "30",
                "--budget",
                "3000",
            ],
        ),
        (
            "/api/route",
            r#"{"model": "qwen3-coder-30b-a3b", "on": "rtx-4090", "prompt_tokens": 120000, "timeout": "300s", "per_day": 40, "private": true}"#,
            &[
                "route",
                "--model",
                "qwen3-coder-30b-a3b",
                "--on",
                "rtx-4090",
                "--prompt-tokens",
                "120000",
                "--timeout",
                "300s",
                "--per-day",
                "40",
                "--private",
            ],
        ),
        (
            "/api/doctor",
            r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB", "ctx": 8192, "prompt_tokens": 146760, "timeout": "300s", "prefill_rate": 400}"#,
            &[
                "doctor",
                "--catalog",
                "qwen3-coder-30b-a3b",
                "--memory",
                "64GB",
                "--ctx",
                "8192",
                "--prompt-tokens",
                "146760",
                "--timeout",
                "300s",
                "--prefill-rate",
                "400",
            ],
        ),
    ];
    for (path, body, args) in same {
        let (status, served) = call(&server, "POST", path, Some(body));
        assert_eq!(status, 200, "{path}: {served}");
        let cli = common::json(
            common::cabe_in(data.path())
                .args(*args)
                .arg("--json")
                .output()
                .unwrap(),
        );
        assert_eq!(served, cli, "{path} {body}");
    }
    // The doctor's fix is shown, never written.
    let (_, doc) = call(&server, "POST", "/api/doctor", Some(same[5].1));
    assert!(doc["applied"].is_null());
    assert!(doc["fix"]["modelfile"].is_string(), "{doc}");

    // This machine: `cabe system --json` (less what changes from one second to the next).
    let (status, served) = call(&server, "GET", "/api/system", None);
    assert_eq!(status, 200, "{served}");
    let cli = common::json(
        common::cabe_in(data.path())
            .args(["system", "--json"])
            .output()
            .unwrap(),
    );
    for k in ["machine", "usable_bytes", "usable_with_offload_bytes"] {
        assert_eq!(served[k], cli[k], "system: {k}");
    }
    assert_eq!(served["system"]["cpu"], cli["system"]["cpu"]);
    assert_eq!(
        served["system"]["memory"]["total_bytes"],
        cli["system"]["memory"]["total_bytes"]
    );

    for (path, cmd) in [("/api/models", "models"), ("/api/hardware", "hardware")] {
        let (status, served) = call(&server, "GET", path, None);
        assert_eq!(status, 200);
        let cli = common::json(
            common::cabe_in(data.path())
                .args([cmd, "--json"])
                .output()
                .unwrap(),
        );
        assert_eq!(served, cli, "{path}");
    }

    // Every route is described, and every described route is served.
    let (status, doc) = call(&server, "GET", "/api/openapi.json", None);
    assert_eq!(status, 200);
    for (method, path) in cabe_serve::ROUTES {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }

    // Another Host (a rebound domain name), another Origin: refused.
    let (status, body) = raw(
        &server,
        "GET /api/health HTTP/1.1\r\nHost: attacker.example:80\r\nConnection: close\r\n\r\n",
        b"",
    );
    assert_eq!(status, 421, "{body}");
    let port = server.addr.rsplit(':').next().unwrap();
    let (status, body) = raw(
        &server,
        &format!("GET /api/health HTTP/1.1\r\nHost: attacker.example:{port}\r\nConnection: close\r\n\r\n"),
        b"",
    );
    assert_eq!(status, 421, "{body}");
    let (status, _) = raw(
        &server,
        &format!("GET /api/health HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
        b"",
    );
    assert_eq!(status, 200);
    let (status, body) = raw(
        &server,
        &format!(
            "GET /api/health HTTP/1.1\r\nHost: {}\r\nOrigin: http://attacker.example\r\nConnection: close\r\n\r\n",
            server.addr
        ),
        b"",
    );
    assert_eq!(status, 403, "{body}");
    assert!(!body.to_ascii_lowercase().contains("access-control"));

    // A body over 64 KiB.
    let big = vec![b' '; 100 * 1024];
    let (status, body) = raw(
        &server,
        &format!(
            "POST /api/fit HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            server.addr,
            big.len()
        ),
        &big,
    );
    assert_eq!(status, 413, "{body}");

    // Bad requests: 400 (or 404 for a model the catalog lacks), one line each.
    let bad = [
        ("{not json", 400),
        (
            r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB", "colour": "red"}"#,
            400,
        ),
        (
            r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB", "ctx": 0}"#,
            400,
        ),
        (
            r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB", "ctx": 1000000000000}"#,
            400,
        ),
        (
            r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB", "ctx": -5}"#,
            400,
        ),
        (
            r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB", "parallel": -1}"#,
            400,
        ),
        (
            r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB", "ubatch": 0}"#,
            400,
        ),
        (r#"{"model": "qwen3-coder-30b-a3b", "memory": "0GB"}"#, 400),
        (r#"{"model": "/etc/passwd", "memory": "64GB"}"#, 400),
        (r#"{"model": "../models/x.gguf", "memory": "64GB"}"#, 400),
        (
            r#"{"model": "https://example.com/x.gguf", "memory": "64GB"}"#,
            400,
        ),
        (
            r#"{"model": "no-such-model-anywhere", "memory": "64GB"}"#,
            404,
        ),
        (r#"["qwen3-coder-30b-a3b"]"#, 400),
    ];
    for (body, want) in bad {
        let (status, v) = call(&server, "POST", "/api/fit", Some(body));
        assert_eq!(status, want, "{body}: {v}");
        one_line_error(&v);
    }
    let (status, v) = call(
        &server,
        "POST",
        "/api/recommend",
        Some(r#"{"memory": "64GB", "max_ttft": "30s"}"#),
    );
    assert_eq!(status, 400, "{v}");
    assert!(one_line_error(&v).contains("prompt_tokens"), "{v}");
    let (status, v) = call(
        &server,
        "POST",
        "/api/recommend",
        Some(r#"{"memory": "64GB", "top": 3}"#),
    );
    assert_eq!(status, 400, "{v}");
    // What would write a file, or read one (or a server) a request names: refused by name.
    let refused = [
        (
            "/api/doctor",
            r#"{"model": "qwen3-coder-30b-a3b", "apply": "/tmp/Modelfile"}"#,
            "apply",
        ),
        (
            "/api/doctor",
            r#"{"model": "qwen3-coder-30b-a3b", "models_dir": "/etc"}"#,
            "models_dir",
        ),
        (
            "/api/doctor",
            r#"{"model": "qwen3-coder-30b-a3b", "llama_server": "http://10.0.0.1:8080"}"#,
            "llama_server",
        ),
        (
            "/api/doctor",
            r#"{"model": "qwen3-coder-30b-a3b", "catalog": false}"#,
            "catalog",
        ),
        ("/api/doctor", r#"{"model": "./x.gguf"}"#, "model"),
        (
            "/api/curve",
            r#"{"model": "qwen3-coder-30b-a3b", "svg": "/tmp/x.svg"}"#,
            "svg",
        ),
        (
            "/api/route",
            r#"{"model": "qwen3-coder-30b-a3b", "workload": "/etc/passwd"}"#,
            "workload",
        ),
        (
            "/api/route",
            r#"{"model": "qwen3-coder-30b-a3b", "prompt_tokens": 10, "cloud_prices": "/etc/passwd"}"#,
            "cloud_prices",
        ),
        (
            "/api/plan",
            r#"{"model": "/etc/passwd", "on": "rtx-4090"}"#,
            "model",
        ),
        (
            "/api/buy",
            r#"{"model": "https://example.com/x.gguf"}"#,
            "model",
        ),
    ];
    for (path, body, field) in refused {
        let (status, v) = call(&server, "POST", path, Some(body));
        assert_eq!(status, 400, "{path} {body}: {v}");
        assert!(
            one_line_error(&v).starts_with(field)
                || one_line_error(&v).contains(&format!("'{field}'")),
            "{path}: {v}"
        );
    }
    let (status, v) = call(
        &server,
        "POST",
        "/api/buy",
        Some(r#"{"model": "no-such-model-zzz"}"#),
    );
    assert_eq!(status, 404, "{v}");
    let (status, v) = call(
        &server,
        "POST",
        "/api/plan",
        Some(r#"{"model": "llama-3.1-70b"}"#),
    );
    assert_eq!(status, 400, "{v}");
    one_line_error(&v);

    // The page and its files: served as what they are, with the CSP that keeps the page to
    // this server.
    for (path, ctype, bytes) in cabe_serve::PAGE {
        let mut c = TcpStream::connect(&server.addr).unwrap();
        write!(
            c,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        )
        .unwrap();
        let mut resp = Vec::new();
        c.read_to_end(&mut resp).unwrap();
        let text = String::from_utf8_lossy(&resp).to_ascii_lowercase();
        assert!(text.starts_with("http/1.1 200"), "{path}: {text}");
        assert!(text.contains(&format!("content-type: {ctype}")), "{path}");
        assert!(
            text.contains("content-security-policy: default-src 'none'; script-src 'self'"),
            "{path}"
        );
        assert!(text.contains("x-frame-options: deny"), "{path}");
        assert!(resp.ends_with(bytes), "{path}: not the embedded file");
    }

    let (status, v) = call(&server, "GET", "/api/nothing", None);
    assert_eq!(status, 404);
    one_line_error(&v);

    // Still answering after all that.
    let (status, _) = call(&server, "GET", "/api/health", None);
    assert_eq!(status, 200);

    // Throughput, for the record (not asserted: the machine may be busy).
    let body = r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB"}"#;
    let n = 500;
    let t = Instant::now();
    for _ in 0..n {
        let (status, _) = call(&server, "POST", "/api/fit", Some(body));
        assert_eq!(status, 200);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{n} sequential /api/fit requests in {secs:.2} s: {:.0} requests/s",
        n as f64 / secs
    );

    // SIGTERM: a clean exit, soon.
    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let t = Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}

/// Under steady load from more clients than workers, the server keeps one blocking thread per
/// worker: left to tokio's default pool it started new threads as old ones were still going
/// idle, and each new thread's allocator arena made the memory climb (BENCHMARKS.md).
#[cfg(target_os = "linux")]
#[test]
fn steady_load_keeps_one_thread_per_worker() {
    let data = tempfile::tempdir().unwrap();
    let s = start(data.path());
    let body = r#"{"model": "qwen3-coder-30b-a3b", "memory": "64GB"}"#;
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..40 {
                    let (status, _) = call(&s, "POST", "/api/fit", Some(body));
                    assert_eq!(status, 200);
                }
            });
        }
    });
    let status = std::fs::read_to_string(format!("/proc/{}/status", s.child.id())).unwrap();
    let threads: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("Threads: in /proc/PID/status");
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    // The runtime's own thread (the main one) and one per worker.
    assert!(
        threads <= workers + 1,
        "{threads} threads for {workers} workers after 320 requests from 8 clients"
    );
}
