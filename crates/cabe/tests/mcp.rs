//! `cabe mcp` end to end: a real MCP client (the PyPI `mcp` SDK, `tests/mcp/client.py`) lists
//! the tools and asks check_prompt about the case cabe was born from, both for the catalog
//! model and for the Ollama model in an on-disk store laid out as Ollama writes it; and raw
//! hostile input on stdin (malformed JSON-RPC, unknown tools and methods, absurd numbers, a
//! 20 MB line) gets errors, never a panic, with the server answering on and exiting cleanly
//! when stdin closes.
//!
//! Python: `$CABE_PYTHON`, else `$CABE_CACHE/venv/bin/python` when it exists (made by
//! `tools/setup-python.sh` with the pinned `mcp` package; `CABE_CACHE` defaults to
//! `~/.cache/cabe`), else `python3`. A Python without `mcp` fails the test;
//! `CABE_SKIP_PY=1` skips it (and says so), except under `CI` or `CABE_REQUIRE_LLAMA_CPP`
//! (`tools/test.sh`), where nothing is skipped.

mod common;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use cabe_ollama::testkit;

fn cache() -> PathBuf {
    std::env::var("CABE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/cabe")
        })
}

fn python() -> String {
    if let Ok(p) = std::env::var("CABE_PYTHON") {
        return p;
    }
    let venv = cache().join("venv/bin/python");
    if venv.is_file() {
        return venv.display().to_string();
    }
    "python3".to_string()
}

fn required() -> bool {
    std::env::var_os("CI").is_some() || std::env::var_os("CABE_REQUIRE_LLAMA_CPP").is_some()
}

#[test]
fn a_real_mcp_client_gets_the_three_problems_and_the_fix() {
    let py = python();
    let probe = Command::new(&py)
        .args([
            "-c",
            "import mcp, importlib.metadata as m; print(m.version('mcp'))",
        ])
        .output();
    let version = match probe {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
                    .to_string(),
                Err(e) => e.to_string(),
            };
            if std::env::var_os("CABE_SKIP_PY").is_some() && !required() {
                eprintln!("SKIPPED: CABE_SKIP_PY is set and `{py}` has no mcp package ({why})");
                return;
            }
            panic!(
                "`{py} -c 'import mcp'` failed ({why}). Run tools/setup-python.sh (it creates \
                 ~/.cache/cabe/venv with the pinned mcp package; or set CABE_PYTHON to a python \
                 that has it), or set CABE_SKIP_PY=1 to skip this test."
            );
        }
    };

    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models");
    testkit::issue_store(&models, Some(Path::new(env!("CARGO_TARGET_TMPDIR"))));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/mcp/client.py");
    let mut c = Command::new(&py);
    for v in cabe_ollama::env::VARS {
        c.env_remove(v);
    }
    let out = c
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_cabe"))
        .arg("--models-dir")
        .arg(&models)
        .args(["--ollama-model", "qwen3-coder:30b-v-128k"])
        .env("CABE_DATA_DIR", tmp.path().join("data"))
        // The server the client starts answers in English whatever this machine's locale.
        .env("CABE_LANG", "en")
        .output()
        .expect("run the MCP client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "client.py (mcp {version}) failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    for want in [
        "check_prompt (catalog): ['ctx-below-native', 'prompt-over-ctx', 'prefill-over-timeout']; fix: num_ctx 262144, client timeout 600 s",
        "check_prompt (Ollama store): ['ctx-below-native', 'prompt-over-ctx', 'prefill-over-timeout']",
        "mcp client: all checks passed",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in:\n{stdout}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `cabe mcp` with its stdin held, its stdout read line by line on a thread.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl Server {
    fn start() -> Server {
        let data = std::env::temp_dir().join(format!("cabe-mcp-hostile-{}", std::process::id()));
        let mut child = common::command()
            .arg("mcp")
            .env("CABE_DATA_DIR", data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cabe mcp");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(stdout).lines() {
                let Ok(l) = l else { break };
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        Server {
            stdin: child.stdin.take(),
            child,
            lines,
        }
    }

    fn send(&mut self, line: &str) {
        let w = self.stdin.as_mut().unwrap();
        w.write_all(line.as_bytes()).unwrap();
        w.write_all(b"\n").unwrap();
        w.flush().unwrap();
    }

    /// The reply with this id (replies may come in any order; others are skipped).
    fn reply(&self, id: u64) -> Value {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no reply to request {id} within 30 s"));
            let v: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line}"));
            if v["id"] == id {
                return v;
            }
        }
    }

    fn call(&mut self, id: u64, tool: &str, arguments: Value) -> Value {
        let req = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments}});
        self.send(&req.to_string());
        self.reply(id)
    }
}

fn tool_error_text(v: &Value) -> String {
    assert_eq!(v["result"]["isError"], true, "not a tool error: {v}");
    v["result"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn hostile_input_gets_errors_and_the_server_serves_on() {
    let mut s = Server::start();
    // Garbage before the handshake is dropped; the handshake still works.
    s.send("this is not JSON");
    s.send(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"hostile","version":"0"}}}"#);
    assert_eq!(s.reply(1)["result"]["serverInfo"]["name"], "cabe");
    s.send(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);

    // Malformed JSON-RPC: a truncated object, a JSON array, a missing method.
    s.send(r#"{"jsonrpc":"2.0","id":2,"method":"#);
    s.send("[1,2,3]");
    s.send(r#"{"jsonrpc":"2.0","id":3}"#);
    // An unknown method and an unknown tool are protocol errors.
    s.send(r#"{"jsonrpc":"2.0","id":4,"method":"no/such/method"}"#);
    assert_eq!(s.reply(4)["error"]["code"], -32601);
    let v = s.call(5, "no_such_tool", json!({}));
    assert_eq!(v["error"]["code"], -32602, "{v}");
    // Arguments of the wrong type, or numbers no u64 holds: invalid params.
    let v = s.call(
        6,
        "check_prompt",
        json!({"prompt_tokens": 1e300, "model": "qwen3-coder-30b-a3b"}),
    );
    assert_eq!(v["error"]["code"], -32602, "{v}");
    let v = s.call(7, "fit", json!({"model": ["qwen3"], "memory": -1}));
    assert_eq!(v["error"]["code"], -32602, "{v}");
    // Values the command line refuses: tool errors in one line.
    let seed = |extra: Value| {
        let mut a = json!({"model": "qwen3-coder-30b-a3b", "prompt_tokens": 146760, "ctx": 131072});
        for (k, v) in extra.as_object().unwrap() {
            a[k] = v.clone();
        }
        a
    };
    for (id, extra, want) in [
        (8, json!({"ctx": 18446744073709551615u64}), "out of range"),
        (9, json!({"prompt_tokens": 1u64 << 40}), "out of range"),
        (10, json!({"prefill_rate": -400}), "prefill_rate"),
        (11, json!({"timeout": "soon"}), "timeout"),
        (12, json!({"memory": "1e400GB"}), "memory"),
        (13, json!({"os_reserve": "-5GB"}), "os_reserve"),
        (14, json!({"quant": "Q0_Z"}), "quantization"),
    ] {
        let v = s.call(id, "check_prompt", seed(extra.clone()));
        let text = tool_error_text(&v);
        assert!(text.contains(want), "{extra}: {text}");
        assert!(!text.contains('\n'), "{text}");
    }
    let v = s.call(
        15,
        "fit",
        json!({"model": "qwen3-coder-30b-a3b", "ctx": "max", "parallel": 4294967295u64, "memory": "64GB"}),
    );
    assert!(
        tool_error_text(&v).contains("parallel must be between 1 and 256"),
        "{v}"
    );
    // A 20 MB line is dropped, not buffered into a crash.
    s.send(&format!(
        r#"{{"jsonrpc":"2.0","id":16,"method":"tools/call","params":{{"name":"fit","arguments":{{"model":"{}"}}}}}}"#,
        "x".repeat(20 << 20)
    ));

    // Still serving: the tools are listed and the seed case answered.
    s.send(r#"{"jsonrpc":"2.0","id":17,"method":"tools/list"}"#);
    let tools = s.reply(17);
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    let v = s.call(
        18,
        "check_prompt",
        seed(json!({"runtime": "ollama", "timeout": 300, "prefill_rate": 400, "memory": "64GB"})),
    );
    let ids: Vec<&str> = v["result"]["structuredContent"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "ctx-below-native",
            "prompt-over-ctx",
            "prefill-over-timeout"
        ]
    );

    // Closing stdin ends it cleanly.
    drop(s.stdin.take());
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "cabe mcp still running 15 s after stdin closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(s.child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(status.success(), "exit {status}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}
