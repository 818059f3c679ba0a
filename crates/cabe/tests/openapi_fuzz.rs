//! schemathesis (PyPI) against the OpenAPI document `cabe serve` publishes: every operation
//! called with generated requests (valid and invalid bodies, wrong methods, edge values), and
//! every answer must be a non-5xx status the document lists, with the content type, headers
//! and JSON schema it declares.
//!
//! schemathesis: `$CABE_SCHEMATHESIS` (tools/test.sh sets it from tools/setup-schemathesis.sh),
//! else `$CABE_CACHE/venv-schemathesis/bin/schemathesis` when it exists. Without one the test
//! says so and passes, except under `CI` or `CABE_REQUIRE_LLAMA_CPP` (tools/test.sh), where it
//! fails.
//!
//! The checks are schemathesis's server-error and conformance checks. Its acceptance checks
//! are left out: the document types each field loosely ("a number or a string") and the
//! command line's parsers decide (`ctx: 0` is refused with a 400 that names the range), which
//! is the documented behaviour (docs/serve.md).

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn schemathesis() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CABE_SCHEMATHESIS") {
        return Some(PathBuf::from(p));
    }
    let cache = std::env::var_os("CABE_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/cabe")))?;
    let p = cache.join("venv-schemathesis/bin/schemathesis");
    p.exists().then_some(p)
}

fn required() -> bool {
    std::env::var_os("CI").is_some() || std::env::var_os("CABE_REQUIRE_LLAMA_CPP").is_some()
}

#[test]
fn every_answer_conforms_to_the_published_openapi_document() {
    let Some(st) = schemathesis() else {
        assert!(
            !required(),
            "schemathesis is required here: run tools/setup-schemathesis.sh or set CABE_SCHEMATHESIS"
        );
        eprintln!("SKIPPED: no schemathesis (tools/setup-schemathesis.sh installs it)");
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let mut server = common::command()
        .args(["serve", "--port", "0"])
        .env("CABE_DATA_DIR", data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {first}"))
        .to_string();
    let out = Command::new(&st)
        .args(["run", &format!("{url}/api/openapi.json")])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,\
             response_schema_conformance,response_headers_conformance,unsupported_method",
        ])
        .args([
            "--max-examples",
            "25",
            "--seed",
            "1",
            "--workers",
            "1",
            "--no-color",
        ])
        .current_dir(data.path())
        .output()
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let text = String::from_utf8_lossy(&out.stdout);
    let tail: String = text
        .lines()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        out.status.success(),
        "schemathesis found failures:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_str(cabe_serve::OPENAPI).unwrap();
    // schemathesis leaves out the path it loaded the document from.
    let operations: usize = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| *path != "/api/openapi.json")
        .map(|(_, p)| p.as_object().unwrap().len())
        .sum();
    assert!(
        text.contains(&format!("Tested: {operations}")),
        "every one of the {operations} operations tested:\n{tail}"
    );
    eprintln!("{tail}");
}
