//! Test support (feature `testkit`): an HTTP/1.1 server on 127.0.0.1 whose reply depends on
//! the request (so it can play a llama-server or an Ollama that answers each prompt with
//! timings for its size, hang on the third request, or answer garbage), and recorded replies
//! from `../shared/fixtures/`. Not part of the public API's stability promise.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub body: String,
    /// 0 for the first request the server got, 1 for the next, …
    pub n: usize,
}

impl Request {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// What to answer.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Status and JSON body.
    Json(u16, String),
    /// Accept and never answer (until the server is dropped, at most 60 s).
    Hang,
    /// Headers, then one body byte per interval, forever (at most 60 s).
    Drip(Duration),
    /// Bytes that are not HTTP.
    Raw(Vec<u8>),
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// The server; stops when dropped.
pub struct TestServer {
    pub url: String,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Request>>>,
}

impl TestServer {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> TestServer {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = l.local_addr().expect("addr");
        let stop = Arc::new(AtomicBool::new(false));
        let log: Arc<Mutex<Vec<Request>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let counter = Arc::new(AtomicUsize::new(0));
        let (s2, log2) = (stop.clone(), log.clone());
        std::thread::spawn(move || {
            for conn in l.incoming() {
                if s2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (h, stop, log, counter) =
                    (handler.clone(), s2.clone(), log2.clone(), counter.clone());
                std::thread::spawn(move || serve(conn, &*h, &stop, &log, &counter));
            }
        });
        TestServer {
            url: format!("http://{addr}"),
            addr,
            stop,
            log,
        }
    }

    /// The requests so far.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// How many requests hit `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn wait_stopped(stop: &AtomicBool, max: Duration) {
    let t = Instant::now();
    while !stop.load(Ordering::SeqCst) && t.elapsed() < max {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn serve(
    mut c: TcpStream,
    handler: &Handler,
    stop: &AtomicBool,
    log: &Mutex<Vec<Request>>,
    counter: &AtomicUsize,
) {
    let _ = c.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match c.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 1 << 20 {
            return;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("").to_string();
    let len: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
        .min(64 << 20);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        match c.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    let req = Request {
        method,
        path,
        body: String::from_utf8_lossy(&body).into_owned(),
        n: counter.fetch_add(1, Ordering::SeqCst),
    };
    if let Ok(mut l) = log.lock() {
        l.push(req.clone());
    }
    match handler(&req) {
        Reply::Json(status, body) => {
            let _ = write!(
                c,
                "HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
        Reply::Hang => wait_stopped(stop, Duration::from_secs(60)),
        Reply::Drip(every) => {
            let _ = write!(
                c,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
            );
            let t = Instant::now();
            while !stop.load(Ordering::SeqCst) && t.elapsed() < Duration::from_secs(60) {
                if c.write_all(b" ").is_err() {
                    break;
                }
                std::thread::sleep(every);
            }
        }
        Reply::Raw(bytes) => {
            let _ = c.write_all(&bytes);
        }
    }
}

/// A file under `../shared/fixtures/` (beside the repository), as text.
pub fn shared_fixture(rel: &str) -> String {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for base in ["../../../shared/fixtures", "../../shared/fixtures"] {
        let p = here.join(base).join(rel);
        if p.is_file() {
            return std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
    }
    panic!("shared fixture {rel} not found beside the repository");
}

/// The path of a file under `../shared/fixtures/`.
pub fn shared_fixture_path(rel: &str) -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for base in ["../../../shared/fixtures", "../../shared/fixtures"] {
        let p = here.join(base).join(rel);
        if p.exists() {
            return p;
        }
    }
    panic!("shared fixture {rel} not found beside the repository");
}

/// The toy tokenizer of the fake servers: one token per 4 bytes, rounded up, plus BOS.
pub fn fake_tokens(text: &str) -> u64 {
    text.len().div_ceil(4) as u64 + 1
}

/// Rates a fake server runs at.
#[derive(Clone, Copy, Debug)]
pub struct FakeRates {
    /// Prefill tokens/s.
    pub prefill: f64,
    /// Decode tokens/s.
    pub decode: f64,
}

/// A fake llama-server: `/props` (with `model_path` and per-slot `n_ctx`), `/tokenize`
/// ([`fake_tokens`]), `/completion` with timings for the prompt's size at `rates`.
pub fn llama_server(model_path: &str, n_ctx: u64, rates: FakeRates) -> impl Fn(&Request) -> Reply {
    let props = serde_json::json!({
        "default_generation_settings": { "n_ctx": n_ctx, "params": {} },
        "total_slots": 1,
        "model_path": model_path,
        "build_info": "b11312-0c1e57098",
    })
    .to_string();
    move |r: &Request| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/props") => Reply::Json(200, props.clone()),
        ("POST", "/tokenize") => {
            let n = fake_tokens(r.json()["content"].as_str().unwrap_or("")) - 1;
            let toks: Vec<u64> = (0..n).collect();
            Reply::Json(200, serde_json::json!({ "tokens": toks }).to_string())
        }
        ("POST", "/completion") => {
            let v = r.json();
            let n = fake_tokens(v["prompt"].as_str().unwrap_or(""));
            let gen = v["n_predict"].as_u64().unwrap_or(16);
            if n + gen > n_ctx {
                return Reply::Json(
                    400,
                    r#"{"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error"}}"#.into(),
                );
            }
            let prompt_ms = n as f64 / rates.prefill * 1e3;
            let predicted_ms = gen as f64 / rates.decode * 1e3;
            Reply::Json(
                200,
                serde_json::json!({
                    "content": "x", "stop": true, "tokens_evaluated": n,
                    "timings": {
                        "cache_n": 0, "prompt_n": n, "prompt_ms": prompt_ms,
                        "prompt_per_second": n as f64 / prompt_ms * 1e3,
                        "predicted_n": gen, "predicted_ms": predicted_ms,
                        "predicted_per_second": gen as f64 / predicted_ms * 1e3,
                    }
                })
                .to_string(),
            )
        }
        _ => Reply::Json(404, r#"{"error":"not found"}"#.into()),
    }
}

/// A fake Ollama: `/api/version`, `/api/ps` (one loaded model), `/api/show` (the given reply),
/// `/api/generate` with counts and ns durations for the prompt's size at `rates` (404 for
/// another model name).
pub fn ollama(model: &str, show: String, rates: FakeRates) -> impl Fn(&Request) -> Reply {
    let model = model.to_string();
    move |r: &Request| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/api/version") => Reply::Json(200, r#"{"version":"0.11.6"}"#.into()),
        ("GET", "/api/ps") => Reply::Json(
            200,
            serde_json::json!({ "models": [{ "name": model, "model": model }] }).to_string(),
        ),
        ("POST", "/api/show") => {
            if r.json()["model"].as_str() == Some(model.as_str()) {
                Reply::Json(200, show.clone())
            } else {
                Reply::Json(404, r#"{"error":"model not found"}"#.into())
            }
        }
        ("POST", "/api/generate") => {
            let v = r.json();
            if v["model"].as_str() != Some(model.as_str()) {
                return Reply::Json(404, r#"{"error":"model not found"}"#.into());
            }
            let n = fake_tokens(v["prompt"].as_str().unwrap_or(""));
            let gen = v["options"]["num_predict"].as_u64().unwrap_or(16);
            Reply::Json(
                200,
                serde_json::json!({
                    "model": model, "response": "x", "done": true, "done_reason": "length",
                    "total_duration": 1, "load_duration": 1,
                    "prompt_eval_count": n,
                    "prompt_eval_duration": (n as f64 / rates.prefill * 1e9) as u64,
                    "eval_count": gen,
                    "eval_duration": (gen as f64 / rates.decode * 1e9) as u64,
                })
                .to_string(),
            )
        }
        _ => Reply::Json(404, r#"{"error":"not found"}"#.into()),
    }
}
