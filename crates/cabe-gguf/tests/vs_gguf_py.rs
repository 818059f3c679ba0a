//! Our reader against gguf-py (PyPI `gguf`, llama.cpp's Python reader) via
//! `tools/gguf_dump_json.py`, on every fixture, every `*.gguf` in llama.cpp's `models/` and
//! files from the test writer (nested arrays, big-endian, a split shard): both readers must
//! refuse the same files, and for the others agree on every metadata key, type and value
//! (floats bit for bit) and every tensor's name, dims (GGUF order), type, offset and size.
//!
//! Python: `$CABE_PYTHON`, else `$CABE_CACHE/venv/bin/python` when it exists (made by
//! `tools/setup-python.sh`; `CABE_CACHE` defaults to `~/.cache/cabe`), else `python3`.
//! `CABE_SKIP_PY=1` skips the test; a Python without `gguf` fails it. llama.cpp sources:
//! `$CABE_LLAMA_CPP_SRC`, default `$CABE_CACHE/src/llama_cpp_python-0.3.36/vendor/llama.cpp`
//! (missing: a failure under `CABE_REQUIRE_LLAMA_CPP` or an explicit `CABE_LLAMA_CPP_SRC`, as
//! `tools/test.sh` sets them; otherwise only the fixtures are compared).

mod common;

use cabe_gguf::{read_path, GgufFile, Value};
use common::{fixtures_dir, gguf_files, small_writer};
use serde_json::Value as J;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `$CABE_CACHE`, default `~/.cache/cabe` (where `tools/` keeps what it downloads).
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

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/gguf_dump_json.py")
}

/// Runs the dump script over `files` in parallel batches; returns file → JSON.
fn dump_all(py: &str, files: &[PathBuf]) -> HashMap<String, J> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    // Spread the big files: deal them out round-robin by size.
    let mut sorted: Vec<&PathBuf> = files.iter().collect();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.metadata().map(|m| m.len()).unwrap_or(0)));
    let mut batches: Vec<Vec<&PathBuf>> = vec![Vec::new(); workers];
    for (i, f) in sorted.into_iter().enumerate() {
        batches[i % workers].push(f);
    }
    let children: Vec<_> = batches
        .into_iter()
        .filter(|b| !b.is_empty())
        .map(|b| {
            Command::new(py)
                .arg(script())
                .args(b)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {py}: {e}"))
        })
        .collect();
    let mut out = HashMap::new();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "gguf_dump_json.py failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
        for line in String::from_utf8(o.stdout).unwrap().lines() {
            let j: J = serde_json::from_str(line).unwrap();
            out.insert(j["file"].as_str().unwrap().to_string(), j);
        }
    }
    out
}

/// Python `repr()` of a float, parsed exactly.
fn py_float(j: &J) -> Option<f64> {
    j.as_str()?.parse().ok()
}

fn value_eq(v: &Value, j: &J) -> bool {
    match v {
        Value::U8(_) | Value::U16(_) | Value::U32(_) | Value::U64(_) => {
            v.as_u64().is_some() && j.as_u64() == v.as_u64()
        }
        Value::I8(_) | Value::I16(_) | Value::I32(_) | Value::I64(_) => j.as_i64() == v.as_i64(),
        Value::F32(x) => py_float(j).is_some_and(|y| {
            let y = y as f32;
            y.to_bits() == x.to_bits() || (y.is_nan() && x.is_nan())
        }),
        Value::F64(x) => {
            py_float(j).is_some_and(|y| y.to_bits() == x.to_bits() || (y.is_nan() && x.is_nan()))
        }
        Value::Bool(b) => j.as_bool() == Some(*b),
        Value::String(s) => j.as_str() == Some(s.as_str()),
        Value::Array(a) => j.as_array().is_some_and(|l| {
            l.len() == a.len() && a.values.iter().zip(l).all(|(x, y)| value_eq(x, y))
        }),
    }
}

/// Differences between our header and gguf-py's, as lines.
fn compare(f: &GgufFile, j: &J) -> Vec<String> {
    let mut d = Vec::new();
    fn check(d: &mut Vec<String>, what: &str, ours: String, theirs: String) {
        if ours != theirs {
            d.push(format!("{what}: ours {ours}, gguf-py {theirs}"));
        }
    }
    check(
        &mut d,
        "version",
        f.version.to_string(),
        j["version"].to_string(),
    );
    let endian = match f.endian {
        cabe_gguf::Endian::Little => "\"LITTLE\"",
        cabe_gguf::Endian::Big => "\"BIG\"",
    };
    check(&mut d, "endian", endian.into(), j["endian"].to_string());
    check(
        &mut d,
        "alignment",
        f.alignment.to_string(),
        j["alignment"].to_string(),
    );
    check(
        &mut d,
        "data_offset",
        f.data_offset.to_string(),
        j["data_offset"].to_string(),
    );
    let keys: Vec<&str> = f.metadata.iter().map(|(k, _)| k.as_str()).collect();
    let theirs: Vec<&str> = j["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    check(&mut d, "keys", format!("{keys:?}"), format!("{theirs:?}"));
    for (k, v) in &f.metadata {
        check(
            &mut d,
            &format!("type of {k}"),
            v.type_name(),
            j["types"][k].as_str().unwrap_or("absent").to_string(),
        );
        if !value_eq(v, &j["metadata"][k]) {
            let ours = serde_json::to_string(v).unwrap();
            let theirs = j["metadata"][k].to_string();
            let cut = |s: String| s.chars().take(200).collect::<String>();
            d.push(format!(
                "value of {k}: ours {}, gguf-py {}",
                cut(ours),
                cut(theirs)
            ));
        }
    }
    let ts = j["tensors"].as_array().unwrap();
    check(
        &mut d,
        "tensor count",
        f.tensors.len().to_string(),
        ts.len().to_string(),
    );
    for (t, jt) in f.tensors.iter().zip(ts) {
        let theirs = format!(
            "{} {} type {} at {} ({} bytes)",
            jt["name"].as_str().unwrap(),
            jt["dims"],
            jt["type"],
            jt["offset"],
            jt["n_bytes"]
        );
        let ours = format!(
            "{} {} type {} at {} ({} bytes)",
            t.name,
            serde_json::to_string(&t.dims).unwrap(),
            t.ggml_type.id(),
            t.offset,
            t.n_bytes
        );
        check(&mut d, "tensor", ours, theirs);
    }
    d
}

fn llama_cpp_models() -> Vec<PathBuf> {
    common::llama_cpp_models_dir()
        .map(|dir| gguf_files(&dir))
        .unwrap_or_default()
}

fn synthetic(dir: &Path) -> Vec<PathBuf> {
    let mut w = small_writer();
    let a = dir.join("synthetic-le.gguf");
    std::fs::write(&a, w.to_bytes()).unwrap();
    w.big = true;
    let b = dir.join("synthetic-be.gguf");
    std::fs::write(&b, w.to_bytes()).unwrap();
    vec![a, b]
}

#[test]
fn same_headers_as_gguf_py() {
    if std::env::var("CABE_SKIP_PY").is_ok_and(|v| v == "1") {
        eprintln!("CABE_SKIP_PY=1: skipping the comparison with gguf-py");
        return;
    }
    let py = python();
    let probe = Command::new(&py).args(["-c", "import gguf"]).output();
    match probe {
        Ok(o) if o.status.success() => {}
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
                    .to_string(),
                Err(e) => e.to_string(),
            };
            panic!(
                "`{py} -c 'import gguf'` failed ({why}). Run tools/setup-python.sh (it creates \
                 ~/.cache/cabe/venv with the pinned gguf package; or set CABE_PYTHON to a python \
                 that has it), or set CABE_SKIP_PY=1 to skip this test."
            );
        }
    }

    let tmp = tempfile::tempdir().unwrap();
    let fixtures = fixtures_dir();
    let mut files = gguf_files(&fixtures);
    files.extend(gguf_files(&fixtures.join("edge-cases")));
    let n_fixtures = files.len();
    let models = llama_cpp_models();
    let n_models = models.len();
    files.extend(models);
    files.extend(synthetic(tmp.path()));

    let dumps = dump_all(&py, &files);
    let mut failures = Vec::new();
    let (mut agreed, mut both_refused) = (0, 0);
    for p in &files {
        let key = p.display().to_string();
        let j = dumps
            .get(&key)
            .unwrap_or_else(|| panic!("no output from gguf-py for {key}"));
        match (read_path(p), j.get("error")) {
            (Ok(f), None) => {
                let diffs = compare(&f, j);
                if diffs.is_empty() {
                    agreed += 1;
                } else {
                    failures.push(format!("{key}:\n    {}", diffs.join("\n    ")));
                }
            }
            (Err(_), Some(_)) => both_refused += 1,
            (Ok(_), Some(e)) => failures.push(format!("{key}: we read it, gguf-py refused: {e}")),
            (Err(e), None) => failures.push(format!("{key}: gguf-py read it, we refused: {e}")),
        }
    }
    eprintln!(
        "gguf-py comparison: {agreed} files identical, {both_refused} refused by both \
         ({n_fixtures} fixtures, {n_models} llama.cpp models, 2 synthetic)"
    );
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 12 v2/v3 fixtures + the synthetic files (+ the models when present); 7 refused by both
    // (2 v1, 5 edge cases).
    assert!(agreed >= 14 + n_models, "{agreed}");
    assert_eq!(both_refused, 7);
}
