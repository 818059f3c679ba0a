//! The readers that are not model files: flag values, the workload and cloud-price files, a
//! safetensors folder's config.json, GGUF headers read over HTTP, Ollama's and llama-server's
//! replies, and what the MCP server reads on stdin. The servers here are hostile on purpose: not HTTP, not JSON, too large, or
//! with error text that spans lines.

use super::*;
use cabe_testkit::{dead_port, Reply, TestServer};

/// A reply of `mib` MiB: over what cabe reads of a server's answer (16 MiB of Ollama's,
/// 32 MiB of llama-server's).
fn huge(mib: u64) -> Reply {
    Reply::Flood {
        status: 200,
        length: mib << 20,
        byte: b' ',
    }
}

/// A server that answers every request with `reply`.
fn always(reply: Reply) -> TestServer {
    TestServer::start(move |_| reply.clone())
}

/// An Ollama that is up (its version answers) but whose other answers are `reply`.
fn ollama_then(reply: Reply) -> TestServer {
    TestServer::start(move |r| {
        if r.path == "/api/version" {
            Reply::Json(200, r#"{"version":"0.12.6"}"#.into())
        } else {
            reply.clone()
        }
    })
}

fn not_http() -> Reply {
    Reply::Raw(b"\x00\x01\x02 this is not HTTP\r\n\r\n".to_vec())
}

#[test]
fn hostile_input_to_every_other_reader_fails_fast_small_and_in_one_line() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path().join("in");
    std::fs::create_dir_all(&d).unwrap();
    let put = |name: &str, bytes: &[u8]| -> String {
        let p = d.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    };
    let fifo = d.join("fifo");
    mkfifo(&fifo);
    let fifo = fifo.to_str().unwrap().to_string();

    // Workload files (`route --workload`): JSON Lines, at most 1,000 lines and 1 MiB.
    let wl_not_utf8 = put("not-utf8.jsonl", b"\xff\xfe{}\n");
    let line = r#"{"name":"t","prompt_tokens":1000,"output_tokens":10,"private":false,"deadline":"5m","per_day":1}"#;
    let wl_lines = put("many.jsonl", format!("{line}\n").repeat(1001).as_bytes());
    let wl_big = put("big.jsonl", &vec![b' '; 2 << 20]);
    let wl_newline = put(
        "newline.jsonl",
        br#"{"name":"t","prompt_tokens":1000,"a\nb":1}"#,
    );
    // Cloud prices (`route --cloud-prices`): data/cloud.toml's format.
    let cloud_broken = put("broken.toml", b"[[cloud]\nid = \"x\n");
    let cloud_newline = put("newline.toml", b"\"a\\nb\" = 1\n");
    let cloud_row = put(
        "row.toml",
        br#"[[cloud]]
id = "x\ny"
provider = "p"
name = "n"
api_model = "m"
context_tokens = 1000
input_usd_per_m = 1.0
output_usd_per_m = 1.0
free_tier = ""
source = "https://example.com"
date = "2025-12"
notes = ""
"#,
    );

    // GGUF headers over HTTP (`inspect URL`).
    let no_ranges = always(Reply::Http {
        status: 200,
        headers: vec![],
        body: vec![0; 1 << 20],
    });
    let junk_206 = always(Reply::Http {
        status: 206,
        headers: vec![("Content-Range".into(), "bytes 0-1023/1024".into())],
        body: vec![0x41; 1024],
    });
    let wrong_range = always(Reply::Http {
        status: 206,
        headers: vec![("Content-Range".into(), "bytes 7-9/1024".into())],
        body: vec![0; 3],
    });
    let gguf_not_http = always(not_http());
    let dead = format!("http://127.0.0.1:{}/m.gguf", dead_port());

    // Ollama's replies (`bench --server ollama`).
    let ol_not_http = always(not_http());
    let ol_not_json = ollama_then(Reply::Json(200, "{\"models\": [1, 2".into()));
    let ol_huge = ollama_then(huge(33));
    let ol_error = ollama_then(Reply::Json(
        500,
        r#"{"error":"model 'm' not found\n\u001b[31mtry pulling it first"}"#.into(),
    ));
    // llama-server's replies (`bench --url`).
    let ls_not_http = always(not_http());
    let ls_not_json = always(Reply::Json(200, "[1, 2".into()));
    let ls_huge = always(huge(33));
    let ls_error = always(Reply::Json(
        500,
        r#"{"error":{"code":500,"message":"failed\nto load\r\nthe model"}}"#.into(),
    ));

    // The MCP server's stdin: JSON-RPC lines.
    let mcp_junk = d.join("mcp-junk");
    std::fs::write(&mcp_junk, b"not json\n").unwrap();
    let mcp_long_line = d.join("mcp-long-line");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&mcp_long_line).unwrap());
        for _ in 0..256 {
            f.write_all(&[b'a'; 64 << 10]).unwrap();
        }
        f.write_all(b"\n").unwrap();
    }

    let fit = |extra: &[&str]| -> Vec<String> {
        let mut v = vec!["fit", "qwen3-0.6b", "--memory", "16GB"];
        v.extend_from_slice(extra);
        v.into_iter().map(String::from).collect()
    };
    let route = |extra: &[&str]| -> Vec<String> {
        let mut v = vec!["route", "--model", "qwen3-0.6b", "--memory", "16GB"];
        v.extend_from_slice(extra);
        v.into_iter().map(String::from).collect()
    };
    let inspect = |url: &str| vec!["inspect".to_string(), format!("{url}/m.gguf")];
    let ollama_bench = |srv: &TestServer| -> Vec<String> {
        [
            "bench", "--url", &srv.url, "--server", "ollama", "--model", "m",
        ]
        .map(String::from)
        .to_vec()
    };
    let bench = |srv: &TestServer| -> Vec<String> {
        ["bench", "--url", &srv.url, "--server", "llama-server"]
            .map(String::from)
            .to_vec()
    };

    let cases: Vec<(&str, Vec<String>, Option<&Path>, &str)> = vec![
        // The value parsers.
        (
            "a size of 1e30GB",
            vec![
                "fit".into(),
                "qwen3-0.6b".into(),
                "--memory".into(),
                "1e30GB".into(),
            ],
            None,
            "unknown unit",
        ),
        (
            "a size past 2^64 bytes",
            vec![
                "fit".into(),
                "qwen3-0.6b".into(),
                "--memory".into(),
                "99999999999999999999TB".into(),
            ],
            None,
            "--memory",
        ),
        (
            "a size with a newline",
            vec![
                "fit".into(),
                "qwen3-0.6b".into(),
                "--memory".into(),
                "16\nGB".into(),
            ],
            None,
            "--memory",
        ),
        (
            "a context of 'abc'",
            fit(&["--ctx", "abc"]),
            None,
            "not a number of tokens",
        ),
        (
            "a context past 2^64",
            fit(&["--ctx", "99999999999999999999"]),
            None,
            "--ctx",
        ),
        (
            "a duration of 5 parsecs",
            route(&["--prompt-tokens", "1000", "--timeout", "5pc"]),
            None,
            "--timeout",
        ),
        // The workload file.
        (
            "workload: a FIFO",
            route(&["--workload", &fifo]),
            None,
            "named pipe (FIFO)",
        ),
        (
            "workload: /dev/zero",
            route(&["--workload", "/dev/zero"]),
            None,
            "character device",
        ),
        (
            "workload: not UTF-8",
            route(&["--workload", &wl_not_utf8]),
            None,
            "not UTF-8",
        ),
        (
            "workload: 1,001 lines",
            route(&["--workload", &wl_lines]),
            None,
            "more than 1000 tasks",
        ),
        (
            "workload: 2 MiB",
            route(&["--workload", &wl_big]),
            None,
            "MiB",
        ),
        (
            "workload: a field name with a newline",
            route(&["--workload", &wl_newline]),
            None,
            r"unknown field 'a\nb'",
        ),
        // The cloud-price file.
        (
            "cloud prices: a FIFO",
            route(&["--prompt-tokens", "1000", "--cloud-prices", &fifo]),
            None,
            "not a file",
        ),
        (
            "cloud prices: /dev/urandom",
            route(&["--prompt-tokens", "1000", "--cloud-prices", "/dev/urandom"]),
            None,
            "not a file",
        ),
        (
            "cloud prices: broken TOML",
            route(&["--prompt-tokens", "1000", "--cloud-prices", &cloud_broken]),
            None,
            "--cloud-prices",
        ),
        (
            "cloud prices: a key with a newline",
            route(&["--prompt-tokens", "1000", "--cloud-prices", &cloud_newline]),
            None,
            "unknown field",
        ),
        (
            "cloud prices: a row id over lines",
            route(&["--prompt-tokens", "1000", "--cloud-prices", &cloud_row]),
            None,
            r"row 'x\ny': the id must be 1 to 64 printable characters",
        ),
        // GGUF over HTTP.
        (
            "GGUF URL: no byte ranges",
            inspect(&no_ranges.url),
            None,
            "byte ranges",
        ),
        ("GGUF URL: not a GGUF", inspect(&junk_206.url), None, "GGUF"),
        (
            "GGUF URL: a lying Content-Range",
            inspect(&wrong_range.url),
            None,
            "got bytes 7-9/1024",
        ),
        (
            "GGUF URL: not HTTP",
            inspect(&gguf_not_http.url),
            None,
            "the server's answer is not HTTP",
        ),
        (
            "GGUF URL: nobody there",
            vec!["inspect".into(), dead.clone()],
            None,
            "cannot connect",
        ),
        // Ollama's replies.
        (
            "Ollama: not HTTP",
            ollama_bench(&ol_not_http),
            None,
            "did not start with HTTP/",
        ),
        (
            "Ollama: not JSON",
            ollama_bench(&ol_not_json),
            None,
            "not its JSON",
        ),
        (
            "Ollama: a 33 MiB reply",
            ollama_bench(&ol_huge),
            None,
            "larger than 33554432 bytes",
        ),
        (
            "Ollama: an error over lines",
            ollama_bench(&ol_error),
            None,
            r"HTTP 500: model 'm' not found\n\u{1b}[31mtry",
        ),
        // llama-server's replies.
        (
            "llama-server: not HTTP",
            bench(&ls_not_http),
            None,
            "did not start with HTTP/",
        ),
        (
            "llama-server: not JSON",
            bench(&ls_not_json),
            None,
            "not its JSON",
        ),
        (
            "llama-server: a 33 MiB reply",
            bench(&ls_huge),
            None,
            "larger than 33554432 bytes",
        ),
        (
            "llama-server: an error over lines",
            bench(&ls_error),
            None,
            r"failed\nto load",
        ),
        // MCP's stdin.
        (
            "MCP: not JSON-RPC",
            vec!["mcp".into()],
            Some(&mcp_junk),
            "initialize",
        ),
        (
            "MCP: a 16 MiB line",
            vec!["mcp".into()],
            Some(&mcp_long_line),
            "initialize",
        ),
    ];

    // A safetensors folder's config.json (`cabe scan DIR`: a skipped model, one line).
    let st_folder = |name: &str, config: &[u8]| -> Vec<String> {
        let dir = d.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let json = br#"{"a.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
        let mut st = (json.len() as u64).to_le_bytes().to_vec();
        st.extend_from_slice(json);
        st.extend_from_slice(&[0; 8]);
        std::fs::write(dir.join("model.safetensors"), st).unwrap();
        std::fs::write(dir.join("config.json"), config).unwrap();
        let machine = cabe_testkit::fixtures_dir().join("machines/ci-no-gpu");
        vec![
            "scan".into(),
            dir.to_str().unwrap().into(),
            "--root".into(),
            machine.to_str().unwrap().into(),
        ]
    };
    let configs: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "config.json over 4 MiB",
            st_folder("cfg-big", &vec![b' '; 5 << 20]),
            "larger than 4194304 bytes",
        ),
        (
            "config.json: a model type over lines",
            st_folder(
                "cfg-newline",
                br#"{"model_type":"x\ny","kv_lora_rank":1,"num_hidden_layers":2}"#,
            ),
            r"x\ny uses multi-head latent attention",
        ),
        (
            "config.json: not JSON",
            st_folder("cfg-junk", b"{\"model_type\": [1,"),
            "config.json",
        ),
    ];

    let mut report = Vec::new();
    for (label, args, want) in &configs {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let o = run(home.path(), &args);
        report.push(check(label, &o, &Expect::Skipped(want)));
    }
    for (label, args, input, want) in &cases {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let o = run_fed(home.path(), &args, *input);
        report.push(check(label, &o, &Expect::Error(want)));
    }
    eprintln!("{}", report.join("\n"));
}
