//! `cabe doctor --llama-server` against a real llama-server (llama.cpp b11312, built by
//! `tools/llama-cpp.sh build` into ~/.cache/cabe), running the stories260K fixture GGUF with
//! two explicit slots. When the build is not there the test says so and passes: building
//! llama.cpp takes half an hour on 2 cores and is not part of `tools/test.sh`.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn llama_bin() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("CABE_LLAMA_BIN") {
        return Some(PathBuf::from(d));
    }
    let out = Command::new("bash")
        .arg(repo().join("tools/llama-cpp.sh"))
        .arg("path")
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && Path::new(&dir).join("llama-server").is_file()).then(|| dir.into())
}

/// The server process; killed (by its own pid) when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn doctor_reads_a_real_llama_server() {
    let Some(bin) = llama_bin() else {
        // tools/test.sh (and so CI) builds llama.cpp and sets CABE_REQUIRE_LLAMA_CPP: there a
        // missing build is a failure, not a skip.
        assert!(
            std::env::var_os("CABE_REQUIRE_LLAMA_CPP").is_none(),
            "llama-server is not built: run bash tools/llama-cpp.sh build"
        );
        eprintln!("SKIPPED: llama-server is not built (bash tools/llama-cpp.sh build)");
        return;
    };
    let gguf = cabe_testkit::fixture_path("gguf/python-gen-worker_stories260K.gguf");
    assert!(gguf.is_file(), "{}", gguf.display());
    let port = cabe_testkit::dead_port();
    let log = tempfile::NamedTempFile::new().unwrap();
    let child = Command::new(bin.join("llama-server"))
        .args(["-m", gguf.to_str().unwrap()])
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["-c", "1024", "-np", "2", "--no-webui", "-t", "1"])
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .spawn()
        .expect("start llama-server");
    let _server = Server(child);
    let url = format!("http://127.0.0.1:{port}");
    let t = Instant::now();
    loop {
        let health = cabe_ollama::llama_server::LlamaServer::new(
            &url,
            cabe_ollama::http::HttpConfig::with_timeout(Duration::from_secs(1)),
        )
        .health();
        if health == Ok(cabe_ollama::llama_server::Health::Ok) {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "llama-server did not come up: {}",
            std::fs::read_to_string(log.path()).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    let dir = tempfile::tempdir().unwrap();
    let prompt = dir.path().join("prompt.txt");
    let text = "Once upon a time, there was a little girl named Lily. She loved to play outside. "
        .repeat(20);
    std::fs::write(&prompt, &text).unwrap();
    let out = common::command()
        .args([
            "doctor",
            "--llama-server",
            &url,
            "--memory",
            "16GB",
            "--json",
        ])
        .args(["--prompt", prompt.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout).unwrap();
    // -c 1024 -np 2: two slots of 512 (an explicit -np splits the context).
    assert_eq!(v["effective"]["runtime"], "llama-server");
    assert_eq!(v["effective"]["ctx"], 512);
    assert_eq!(v["effective"]["parallel"], 2);
    assert_eq!(v["model"]["architecture"], "llama");
    assert_eq!(v["model"]["native_ctx"], 2048);
    // The prompt was counted by the server's own tokenizer.
    assert_eq!(v["prompt"]["count"]["kind"], "counted");
    let tokens = v["prompt"]["tokens"].as_u64().unwrap();
    assert!((200..2000).contains(&tokens), "{tokens}");
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"ctx-below-native"), "{ids:?}");
    assert!(ids.contains(&"parallel-kv"), "{ids:?}");
    assert!(ids.contains(&"prompt-over-ctx"), "{ids:?}");
    let flags = v["fix"]["llama_server_flags"].as_str().unwrap();
    assert!(flags.starts_with("-c "), "{flags}");
}
