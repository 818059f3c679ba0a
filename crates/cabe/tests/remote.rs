//! `cabe fit URL` and `cabe inspect URL`: the real GGUF fixtures in `tests/fixtures/gguf/`
//! served by a local range server (`cabe_testkit::files`) give the same answers as the files
//! on disk, fetching only header bytes; every way a remote read can fail is one line and a
//! non-zero exit, within the byte cap and the deadline.

mod common;

use cabe_testkit::files::{serve, Mode, Server};
use cabe_testkit::{dead_port, fixture_path, Reply, TestServer};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The two real fixtures with tensors cabe can size.
const TINY: &str = "ollama_llama-2-tiny-random.gguf";
const STORIES: &str = "python-gen-worker_stories260K.gguf";

fn fixture(name: &str) -> PathBuf {
    fixture_path(&format!("gguf/{name}"))
}

/// Runs `cabe ARGS` with `env`, a private data dir and a deadline on remote reads:
/// (exit code, stdout, stderr).
fn cabe_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let data = tempfile::tempdir().unwrap();
    let mut c = common::command();
    c.args(args)
        .env("CABE_DATA_DIR", data.path())
        .env("CABE_REMOTE_TIMEOUT", "20")
        .env_remove("CABE_REMOTE_MAX_BYTES");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("run cabe");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn cabe(args: &[&str]) -> (i32, String, String) {
    cabe_env(args, &[])
}

fn json_ok(args: &[&str]) -> Value {
    let (code, out, err) = cabe(args);
    assert_eq!(code, 0, "cabe {args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("cabe {args:?}: bad JSON ({e}): {out}"))
}

/// Serves `files` (file name → path) under `/m/`.
fn serve_files(files: &[(&str, &Path)], mode: Mode) -> Server {
    serve(
        files
            .iter()
            .map(|(n, p)| (format!("/m/{n}"), p.to_path_buf()))
            .collect::<HashMap<_, _>>(),
        mode,
    )
}

fn sent(s: &Server) -> u64 {
    s.sent.load(Ordering::Relaxed)
}

/// A failed run: exit 1, one line `cabe: error: URL: …` naming the URL once and saying `needle`.
fn assert_one_line_error(code: i32, err: &str, url: &str, needle: &str) {
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("cabe: error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.matches(url).count(), 1, "the URL once: {err}");
    assert!(err.contains(needle), "expected '{needle}' in: {err}");
}

/// A fit JSON without the fields that say where the model was read.
/// The report less where the model came from (the provenance, and the runtime's command line
/// that names it: `-m PATH` or `-mu URL`, checked on its own below).
fn without_source(mut v: Value) -> Value {
    let m = v["model"].as_object_mut().unwrap();
    m.remove("source");
    m.remove("provenance");
    let settings = v.as_object_mut().unwrap().remove("runtime_settings");
    let line = settings.unwrap()[0].as_str().unwrap().to_string();
    assert!(
        line.contains(" -m /") || line.contains(" -mu http://"),
        "{line}"
    );
    v
}

#[test]
fn fit_url_equals_fit_file_and_fetches_only_the_header() {
    for name in [TINY, STORIES] {
        let path = fixture(name);
        let size = path.metadata().unwrap().len();
        let srv = serve_files(&[(name, &path)], Mode::Ranges);
        let url = format!("{}/m/{name}", srv.base);
        for extra in [
            &["--memory", "8GB"][..],
            &["--memory", "8GB", "--ctx", "2048", "--explain"][..],
            &["--memory", "1GB", "--ctx", "max", "--parallel", "2"][..],
        ] {
            let before = (sent(&srv), srv.requests.load(Ordering::Relaxed));
            let args = |m: &str| {
                let mut a = vec!["fit", m];
                a.extend_from_slice(extra);
                a.push("--json");
                a.into_iter().map(String::from).collect::<Vec<_>>()
            };
            let local_args = args(path.to_str().unwrap());
            let remote_args = args(&url);
            let local = json_ok(&local_args.iter().map(|s| s.as_str()).collect::<Vec<_>>());
            let remote = json_ok(&remote_args.iter().map(|s| s.as_str()).collect::<Vec<_>>());
            assert_eq!(local["model"]["source"], "file");
            assert_eq!(remote["model"]["source"], "url");
            assert_eq!(remote["model"]["provenance"], url.as_str());
            assert_eq!(remote["model"]["id"], name);
            assert_eq!(
                without_source(remote),
                without_source(local),
                "{name} {extra:?}"
            );
            // Only the header: never the whole file.
            let fetched = sent(&srv) - before.0;
            assert!(
                fetched > 0 && fetched < size,
                "{name}: {fetched} of {size} bytes"
            );
            if name == STORIES {
                // A 14 KB header: one 64 KiB window, one request.
                assert!(fetched <= 64 << 10, "{fetched}");
                assert_eq!(srv.requests.load(Ordering::Relaxed) - before.1, 1);
            }
        }
    }
}

#[test]
fn fit_url_human_output_is_the_files_with_from_url() {
    let path = fixture(TINY);
    let srv = serve_files(&[(TINY, &path)], Mode::Ranges);
    let url = format!("{}/m/{TINY}", srv.base);
    let (c1, local, e1) = cabe(&[
        "fit",
        path.to_str().unwrap(),
        "--memory",
        "8GB",
        "--explain",
    ]);
    let (c2, remote, e2) = cabe(&["fit", &url, "--memory", "8GB", "--explain"]);
    assert_eq!((c1, c2), (0, 0), "{e1}{e2}");
    assert!(local.contains("(from file)"), "{local}");
    let expected = local.replacen("(from file)", "(from URL)", 1).replacen(
        &format!("-m {}", path.display()),
        &format!("-mu {url}"),
        1,
    );
    assert_eq!(remote, expected);
}

#[test]
fn inspect_url_equals_inspect_file_for_every_fixture() {
    let dir = fixture(TINY).parent().unwrap().to_path_buf();
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "gguf"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    files.sort();
    let srv = serve(
        files
            .iter()
            .map(|(n, p)| (format!("/m/{n}"), p.clone()))
            .collect(),
        Mode::Ranges,
    );
    let mut compared = 0;
    for (name, path) in &files {
        let url = format!("{}/m/{name}", srv.base);
        let local_path = path.to_str().unwrap();
        let (lc, lout, lerr) = cabe(&["inspect", local_path, "--json"]);
        let (rc, rout, rerr) = cabe(&["inspect", &url, "--json"]);
        if lc != 0 {
            // GGUF v1: refused the same way, with the URL where the path was.
            assert!(lerr.contains("GGUF v1"), "{lerr}");
            assert_one_line_error(rc, &rerr, &url, "GGUF v1");
            continue;
        }
        assert_eq!(rc, 0, "{name}: {rerr}");
        let mut local: Value = serde_json::from_str(&lout).unwrap();
        let mut remote: Value = serde_json::from_str(&rout).unwrap();
        assert_eq!(remote["path"], url.as_str());
        assert_eq!(remote["shards"], serde_json::json!([url]));
        assert_eq!(local["path"], local_path);
        for v in [&mut local, &mut remote] {
            let o = v.as_object_mut().unwrap();
            o.remove("path");
            o.remove("shards");
        }
        assert_eq!(remote, local, "{name}");
        // The human output too, with the URL on its first line.
        let (_, lh, _) = cabe(&["inspect", local_path, "--tensors"]);
        let (rc, rh, rerr) = cabe(&["inspect", &url, "--tensors"]);
        assert_eq!(rc, 0, "{rerr}");
        assert_eq!(rh.lines().next(), Some(url.as_str()));
        assert_eq!(
            rh.lines().skip(1).collect::<Vec<_>>(),
            lh.lines().skip(1).collect::<Vec<_>>(),
            "{name}"
        );
        compared += 1;
    }
    assert!(compared >= 12, "only {compared} fixtures compared");
}

#[test]
fn redirects_are_followed_as_from_a_hugging_face_resolve_url() {
    let path = fixture(STORIES);
    let srv = serve_files(&[(STORIES, &path)], Mode::Ranges);
    let url = format!("{}/redirect/m/{STORIES}", srv.base);
    let v = json_ok(&["fit", &url, "--memory", "8GB", "--json"]);
    assert_eq!(v["model"]["provenance"], url.as_str());
    assert_eq!(v["model"]["id"], STORIES);
    assert_eq!(v["model"]["architecture"], "llama");
    assert!(sent(&srv) <= 64 << 10);
}

#[test]
fn a_split_model_is_read_shard_by_shard_as_locally() {
    let dir = tempfile::tempdir().unwrap();
    let m = cabe_scan::synth::SynthModel::llama7b("parts");
    let paths = cabe_scan::synth::write_gguf_split(dir.path(), "parts", &m, 3).unwrap();
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let all: Vec<(&str, &Path)> = names
        .iter()
        .zip(&paths)
        .map(|(n, p)| (n.as_str(), p.as_path()))
        .collect();
    let srv = serve_files(&all, Mode::Ranges);
    let urls: Vec<String> = names
        .iter()
        .map(|n| format!("{}/m/{n}", srv.base))
        .collect();
    // Any shard names the model, as locally.
    for (given, local) in urls.iter().zip(&paths) {
        let l = json_ok(&["fit", local.to_str().unwrap(), "--memory", "8GB", "--json"]);
        let r = json_ok(&["fit", given, "--memory", "8GB", "--json"]);
        assert_eq!(r["model"]["provenance"], given.as_str());
        assert_eq!(without_source(r), without_source(l));
        let mut li = json_ok(&["inspect", local.to_str().unwrap(), "--json"]);
        let mut ri = json_ok(&["inspect", given, "--json"]);
        assert_eq!(ri["shards"], serde_json::json!(urls));
        for v in [&mut li, &mut ri] {
            let o = v.as_object_mut().unwrap();
            o.remove("path");
            o.remove("shards");
        }
        assert_eq!(ri, li);
        assert_eq!(ri["tensor_count"], 32 * 9 + 3);
    }
    // 3 × 3 runs of three small headers: kilobytes, against 3.9 GB of (sparse) shards.
    let total: u64 = paths.iter().map(|p| p.metadata().unwrap().len()).sum();
    assert!(total > 3 << 30);
    assert!(sent(&srv) <= 6 * 3 * (64 << 10), "{}", sent(&srv));

    // A query string (`?download=true`) is kept on every shard's URL.
    let with_query = serve(
        names
            .iter()
            .zip(&paths)
            .map(|(n, p)| (format!("/m/{n}?download=true"), p.clone()))
            .collect(),
        Mode::Ranges,
    );
    let url = format!("{}/m/{}?download=true", with_query.base, names[1]);
    let v = json_ok(&["inspect", &url, "--json"]);
    assert_eq!(v["shards"].as_array().unwrap().len(), 3);
    assert_eq!(with_query.requests.load(Ordering::Relaxed), 3);

    // A shard the server does not have: named, with its place in the split.
    let partial = serve_files(&all[..2], Mode::Ranges);
    let url = format!("{}/m/{}", partial.base, names[0]);
    let (code, _, err) = cabe(&["fit", &url, "--memory", "8GB"]);
    let missing = format!("{}/m/{}", partial.base, names[2]);
    assert_one_line_error(
        code,
        &err,
        &missing,
        "shard 3 of 3 of a split model: HTTP 404",
    );
}

#[test]
fn unreachable_refused_and_missing_are_one_line_errors() {
    // Nothing listens.
    let url = format!("http://127.0.0.1:{}/m/x.gguf", dead_port());
    for cmd in ["fit", "inspect"] {
        let (code, _, err) = cabe(&[cmd, &url]);
        assert_one_line_error(code, &err, &url, "cannot connect");
    }
    // No such host (.invalid never resolves, RFC 6761; a resolver that answers anyway leads
    // somewhere that has no such file, still one line).
    let url = "http://cabe-test.invalid/m/x.gguf";
    for cmd in ["fit", "inspect"] {
        let (code, _, err) = cabe(&[cmd, url]);
        assert_one_line_error(code, &err, url, "");
        assert!(
            err.contains("cannot resolve the host") || err.contains("HTTP 4"),
            "{err}"
        );
    }
    // 404.
    let srv = serve(HashMap::new(), Mode::Ranges);
    let url = format!("{}/m/nope.gguf", srv.base);
    for cmd in ["fit", "inspect"] {
        let (code, _, err) = cabe(&[cmd, &url]);
        assert_one_line_error(code, &err, &url, "HTTP 404");
    }
    // A URL is a file: --quant is for catalog models.
    let (code, _, err) = cabe(&["fit", &url, "--quant", "Q8_0"]);
    assert_eq!(code, 1);
    assert!(err.contains("--quant applies to catalog models"), "{err}");
    assert_eq!(srv.requests.load(Ordering::Relaxed), 2);
}

#[test]
fn a_server_that_ignores_range_is_refused_not_downloaded() {
    let path = fixture(TINY);
    let srv = serve_files(&[(TINY, &path)], Mode::NoRanges);
    let url = format!("{}/m/{TINY}", srv.base);
    for cmd in ["fit", "inspect"] {
        let (code, _, err) = cabe(&[cmd, &url]);
        assert_one_line_error(code, &err, &url, "does not serve byte ranges");
    }
    // The server pushes at most 64 KiB of its 200 answer before the client hangs up; cabe
    // reads none of it.
    assert!(sent(&srv) <= 2 * (64 << 10), "{}", sent(&srv));
}

#[test]
fn a_silent_server_times_out() {
    let srv = serve(HashMap::new(), Mode::Silent);
    let url = format!("{}/m/x.gguf", srv.base);
    for cmd in ["fit", "inspect"] {
        let t = Instant::now();
        let (code, _, err) = cabe_env(&[cmd, &url], &[("CABE_REMOTE_TIMEOUT", "1")]);
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
        assert_one_line_error(code, &err, &url, "timed out");
    }
}

#[test]
fn truncated_and_foreign_bodies_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let real = std::fs::read(fixture(TINY)).unwrap();
    let mut files = Vec::new();
    for cut in [0usize, 3, 7, 20, 1000, 500_000, 724_000] {
        let p = dir.path().join(format!("cut{cut}.gguf"));
        std::fs::write(&p, &real[..cut]).unwrap();
        files.push((format!("cut{cut}.gguf"), p));
    }
    let notes = dir.path().join("notes.gguf");
    std::fs::write(&notes, b"hello, this is not a model\n").unwrap();
    files.push(("notes.gguf".into(), notes));
    let html = dir.path().join("page.gguf");
    std::fs::write(
        &html,
        "<!doctype html><title>Model card</title>".repeat(100),
    )
    .unwrap();
    files.push(("page.gguf".into(), html));
    let all: Vec<(&str, &Path)> = files
        .iter()
        .map(|(n, p)| (n.as_str(), p.as_path()))
        .collect();
    let srv = serve_files(&all, Mode::Ranges);
    for (name, path) in &files {
        let url = format!("{}/m/{name}", srv.base);
        let local = path.to_str().unwrap();
        for cmd in ["fit", "inspect"] {
            let n = if cmd == "fit" { 4 } else { 2 };
            let (code, _, err) = cabe(&[cmd, &url, "--memory", "8GB"][..n]);
            let (lcode, _, lerr) = cabe(&[cmd, local, "--memory", "8GB"][..n]);
            assert_eq!((code, lcode), (1, 1), "{err}{lerr}");
            match name.as_str() {
                // An empty file has no byte range to serve (this server answers 200).
                "cut0.gguf" => assert_one_line_error(code, &err, &url, "byte ranges"),
                // Otherwise the very message the file on disk gives, with the URL for the path.
                _ => {
                    assert_one_line_error(code, &err, &url, "");
                    assert_eq!(err, lerr.replace(local, &url), "{cmd} {name}");
                    if name.starts_with("cut") {
                        assert!(err.contains("truncated") || err.contains("left in the file"));
                    } else {
                        assert!(err.contains("not a GGUF file"), "{err}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_server_that_breaks_off_or_is_not_http_fails_cleanly() {
    // Announces a 64 KiB range, sends 1,000 bytes, hangs up.
    let short = TestServer::start(|_| Reply::Short {
        status: 206,
        headers: vec![("Content-Range".into(), "bytes 0-65535/1000000".to_string())],
        length: 65536,
        body: b"GGUF".repeat(250),
    });
    let url = format!("{}/m/x.gguf", short.url);
    let (code, _, err) = cabe(&["inspect", &url]);
    assert_one_line_error(code, &err, &url, "the server closed the connection");
    // Not HTTP at all.
    let raw = TestServer::start(|_| Reply::Raw(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()));
    let url = format!("{}/m/x.gguf", raw.url);
    let (code, _, err) = cabe(&["fit", &url]);
    assert_one_line_error(code, &err, &url, "not HTTP");
    // A range that is not the one asked for.
    let wrong = TestServer::start(|_| Reply::Http {
        status: 206,
        headers: vec![("Content-Range".into(), "bytes 10-19/1000".to_string())],
        body: vec![0; 10],
    });
    let url = format!("{}/m/x.gguf", wrong.url);
    let (code, _, err) = cabe(&["inspect", &url]);
    assert_one_line_error(code, &err, &url, "asked for bytes 0-");
}

#[test]
fn a_header_over_the_byte_cap_is_refused_within_the_cap() {
    // A 3.5 MB vocabulary header against a 200,000-byte cap.
    let name = "llama.cpp-2024-05-17_ggml-vocab-stablelm.gguf";
    let path = fixture(name);
    let srv = serve_files(&[(name, &path)], Mode::Ranges);
    let url = format!("{}/m/{name}", srv.base);
    let (code, _, err) = cabe_env(&["inspect", &url], &[("CABE_REMOTE_MAX_BYTES", "200000")]);
    assert_one_line_error(code, &err, &url, "more than the 200000 bytes allowed");
    assert!(sent(&srv) <= 200_000, "{}", sent(&srv));
    // Under the default cap it reads.
    let (code, _, err) = cabe(&["inspect", &url]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_default_cap_is_64_mib() {
    // A header of about 85 MB (2.5 M vocabulary strings of about 26 characters, within the
    // reader's 3 Mi array elements): over the 64 MiB a remote read may fetch. Locally it
    // reads; remotely it stops at the cap.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge-vocab.gguf");
    let mut m = cabe_scan::synth::SynthModel::small("huge-vocab");
    m.with_vocab = true;
    m.n_vocab = 2_500_000;
    m.token_pad = 16;
    cabe_scan::synth::write_gguf(&p, &m).unwrap();
    let header = cabe_gguf::read_path(&p).unwrap().header_bytes();
    assert!(header > 64 << 20, "{header}");
    let srv = serve_files(&[("huge-vocab.gguf", &p)], Mode::Ranges);
    let url = format!("{}/m/huge-vocab.gguf", srv.base);
    let (code, _, err) = cabe(&["fit", &url, "--memory", "8GB"]);
    assert_one_line_error(code, &err, &url, "more than the 67108864 bytes allowed");
    assert!(sent(&srv) <= 64 << 20, "{}", sent(&srv));
}

#[test]
fn curve_url_equals_curve_file() {
    // `curve` resolves MODEL as `fit` does: the same points from the URL as from the file.
    let path = fixture(STORIES);
    let srv = serve_files(&[(STORIES, &path)], Mode::Ranges);
    let url = format!("{}/m/{STORIES}", srv.base);
    let args = |m: &str| -> Vec<String> {
        ["curve", m, "--on", "rtx-4070", "--points", "8", "--json"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let run = |a: Vec<String>| json_ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let local = run(args(path.to_str().unwrap()));
    let remote = run(args(&url));
    assert_eq!(remote["model"], local["model"]);
    assert_eq!(remote["points"], local["points"]);
    assert!(!local["points"].as_array().unwrap().is_empty());
    assert!(sent(&srv) <= 64 << 10, "only the header: {}", sent(&srv));
}
