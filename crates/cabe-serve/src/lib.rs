//! # cabe-serve
//!
//! The HTTP layer of `cabe serve`: a small JSON API on a loopback address. The answers
//! themselves come from an [`Api`] the command line implements, so a request is sized by the
//! same code (and gets the same JSON) as `cabe fit --json` or `cabe recommend --json`; this
//! crate only moves bytes and keeps the server safe to leave running:
//!
//! - it listens where it is told (the command line's default is 127.0.0.1);
//! - a request whose `Host` is not this server's address (or `localhost:PORT`) is refused
//!   with 421, so a web page that rebinds its own domain name to 127.0.0.1 cannot talk to it;
//!   an `Origin` other than this server is refused with 403, and no CORS header is ever sent;
//! - a POST must say `Content-Type: application/json`, which a cross-site form cannot send
//!   without a preflight that this server never answers;
//! - bodies are capped ([`Options::body_limit`], 413 beyond), each request has a time limit
//!   ([`Options::time_limit`], 503 beyond) and at most [`Options::workers`] run at once;
//! - every error is a 4xx/5xx with `{"error": "one line"}`;
//! - the page at `/` ([`PAGE`]) is compiled into the binary and served with a
//!   Content-Security-Policy that lets it load only itself and fetch only this server.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The OpenAPI 3.1 document served at `/api/openapi.json`: hand-written, so it says what each
/// field means rather than what a generator could infer; a test checks it names every route.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Every route, as (method, path): the router is built from the same paths, and the tests
/// require each in [`OPENAPI`].
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/models"),
    ("get", "/api/hardware"),
    ("get", "/api/system"),
    ("post", "/api/fit"),
    ("post", "/api/recommend"),
    ("post", "/api/curve"),
    ("post", "/api/plan"),
    ("post", "/api/buy"),
    ("post", "/api/route"),
    ("post", "/api/doctor"),
    ("get", "/api/openapi.json"),
];

/// The web page, every file of it compiled in (no CDN, works offline): (path, content type,
/// bytes). The Spanish and English strings are separate files the page fetches.
pub const PAGE: &[(&str, &str, &[u8])] = &[
    (
        "/",
        "text/html; charset=utf-8",
        include_bytes!("../assets/index.html"),
    ),
    (
        "/assets/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "/assets/style.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/style.css"),
    ),
    (
        "/assets/i18n/en.json",
        "application/json",
        include_bytes!("../assets/i18n/en.json"),
    ),
    (
        "/assets/i18n/es.json",
        "application/json",
        include_bytes!("../assets/i18n/es.json"),
    ),
    (
        "/favicon.svg",
        "image/svg+xml",
        include_bytes!("../assets/favicon.svg"),
    ),
];

/// The page may load its own files and fetch this server, nothing else: no inline script, no
/// other origin, no framing (a page on another site cannot overlay it).
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// A refused request: its HTTP status and one line saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: 404,
            message: message.into(),
        }
    }
}

/// What the server answers with. Implementations run on a blocking thread, so they may do the
/// engine's CPU work (and read this machine's description) without stalling other requests.
pub trait Api: Send + Sync + 'static {
    /// The model catalog, as `cabe models --json` prints it.
    fn models(&self) -> Value;
    /// The hardware catalog, as `cabe hardware --json` prints it.
    fn hardware(&self) -> Value;
    /// A parsed JSON body → what `cabe fit --json` prints for the same request.
    fn fit(&self, body: Value) -> Result<Value, ApiError>;
    /// A parsed JSON body → what `cabe recommend --json` prints for the same request.
    fn recommend(&self, body: Value) -> Result<Value, ApiError>;
    /// This machine as detected: what `cabe system --json` prints; `lang`, the request's
    /// `?lang=` ("en", "es"), words its one-line summary.
    fn system(&self, lang: Option<&str>) -> Result<Value, ApiError>;
    /// A parsed JSON body → what `cabe curve --json` prints for the same request.
    fn curve(&self, body: Value) -> Result<Value, ApiError>;
    /// A parsed JSON body → what `cabe plan --json` prints for the same request.
    fn plan(&self, body: Value) -> Result<Value, ApiError>;
    /// A parsed JSON body → what `cabe buy --json` prints for the same request.
    fn buy(&self, body: Value) -> Result<Value, ApiError>;
    /// A parsed JSON body → what `cabe route --json` prints for the same request.
    fn route(&self, body: Value) -> Result<Value, ApiError>;
    /// A parsed JSON body → what `cabe doctor --catalog --json` prints: the fix shown, never
    /// written.
    fn doctor(&self, body: Value) -> Result<Value, ApiError>;
}

/// Where to listen and the limits each request gets.
#[derive(Debug, Clone)]
pub struct Options {
    pub addr: SocketAddr,
    /// Largest request body in bytes (64 KiB: a request is a few hundred bytes).
    pub body_limit: usize,
    /// Longest a request may take, waiting for a worker included (a fit takes milliseconds,
    /// a recommendation of the whole catalog well under a second).
    pub time_limit: Duration,
    /// Requests computed at once; the rest wait (inside their time limit).
    pub workers: usize,
}

impl Options {
    pub fn new(addr: SocketAddr) -> Self {
        Options {
            addr,
            body_limit: 64 * 1024,
            time_limit: Duration::from_secs(10),
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

struct Shared {
    api: Arc<dyn Api>,
    bound: SocketAddr,
    time_limit: Duration,
    body_limit: usize,
    permits: Arc<Semaphore>,
}

/// `{"error": "..."}` with the status; the message kept to one line so a client can show it
/// as it is.
pub fn error(status: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    (status, Json(json!({ "error": line }))).into_response()
}

/// The router for a server bound at `bound`, without a listener: what [`run`] serves.
pub fn router(api: Arc<dyn Api>, bound: SocketAddr, opts: &Options) -> Router {
    let shared = Arc::new(Shared {
        api,
        bound,
        time_limit: opts.time_limit,
        body_limit: opts.body_limit,
        permits: Arc::new(Semaphore::new(opts.workers.max(1))),
    });
    let mut r = Router::new();
    for &(_, path) in ROUTES {
        r = r.route(path, endpoint(path));
    }
    for &(path, content_type, bytes) in PAGE {
        r = r.route(
            path,
            get(move || async move {
                (
                    [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
                    bytes,
                )
                    .into_response()
            }),
        );
    }
    r.fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(opts.body_limit))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// Binds `opts.addr`, calls `on_bound` with the address it got (port 0 picks a free one), and
/// serves until SIGTERM or Ctrl-C, then lets the requests in flight finish.
pub fn run(
    opts: &Options,
    api: impl Api,
    on_bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind(opts.addr)?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    // At most `workers` computations run at once (the permits), so that many blocking threads
    // are enough. Left to tokio's default (512, each idle one kept 10 s), a thread that had
    // not yet gone idle made the pool start another, and each new thread's allocator arena
    // made the resident memory climb under steady load (BENCHMARKS.md).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(opts.workers.max(1))
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        on_bound(bound);
        let app = router(Arc::new(api), bound, opts);
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
    })
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `Host: name[:port]` split, the port defaulting to 80 as HTTP's does.
fn split_host(host: &str) -> Option<(&str, u16)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        (name, after.strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => 80,
    };
    Some((name, port))
}

/// Whether `host` names this server. DNS rebinding needs a domain name that the attacker
/// controls, so only `localhost` and IP literals are taken: the bound address itself, or any
/// address when bound to all of them (0.0.0.0 or ::). The port must be the bound one.
fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let Some((name, port)) = split_host(host.trim()) else {
        return false;
    };
    if port != bound.port() {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return bound.ip().is_loopback() || bound.ip().is_unspecified();
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// The checks every request passes before a handler sees it: its Host (and the authority of
/// an absolute request URI), its Origin if it has one, and a JSON content type on POSTs.
async fn guard(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    let Some(host) = host else {
        return error(421, "the request has no Host header");
    };
    if !host_allowed(&host, s.bound)
        || req
            .uri()
            .authority()
            .is_some_and(|a| !host_allowed(a.as_str(), s.bound))
    {
        return error(
            421,
            &format!(
                "Host '{host}' is not this server (ask http://{} or http://localhost:{})",
                s.bound,
                s.bound.port()
            ),
        );
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let ok = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|o| host_allowed(o, s.bound));
        if !ok {
            return error(403, "requests from other web origins are not served");
        }
    }
    // Only a POST to a POST route needs a JSON body: a POST elsewhere is answered 405 (or
    // 404) by the router, as a wrong method should be.
    let post_route = ROUTES
        .iter()
        .any(|&(m, p)| m == "post" && p == req.uri().path());
    if req.method() == axum::http::Method::POST && post_route && !is_json(req.headers()) {
        return error(
            415,
            "the body must be JSON, sent with Content-Type: application/json",
        );
    }
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Answers depend on this machine and may change with a calibration: never cached; and a
    // browser is not to guess that JSON is something else.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// The handler of each route in [`ROUTES`].
fn endpoint(path: &str) -> MethodRouter<Arc<Shared>> {
    match path {
        "/api/health" => get(health),
        "/api/models" => get_answer(|api| Ok(api.models())),
        "/api/hardware" => get_answer(|api| Ok(api.hardware())),
        "/api/system" => get(
            |State(s): State<Arc<Shared>>, uri: axum::http::Uri| async move {
                let lang = query_value(&uri, "lang");
                let api = s.api.clone();
                compute(&s, move || api.system(lang.as_deref())).await
            },
        ),
        "/api/fit" => post_answer(|api, b| api.fit(b)),
        "/api/recommend" => post_answer(|api, b| api.recommend(b)),
        "/api/curve" => post_answer(|api, b| api.curve(b)),
        "/api/plan" => post_answer(|api, b| api.plan(b)),
        "/api/buy" => post_answer(|api, b| api.buy(b)),
        "/api/route" => post_answer(|api, b| api.route(b)),
        "/api/doctor" => post_answer(|api, b| api.doctor(b)),
        "/api/openapi.json" => get(openapi),
        _ => unreachable!("{path} is in ROUTES without a handler"),
    }
}

type GetFn = fn(&dyn Api) -> Result<Value, ApiError>;
type PostFn = fn(&dyn Api, Value) -> Result<Value, ApiError>;

/// A GET answered by the engine on a worker.
fn get_answer(f: GetFn) -> MethodRouter<Arc<Shared>> {
    get(move |State(s): State<Arc<Shared>>| async move {
        let api = s.api.clone();
        compute(&s, move || f(&*api)).await
    })
}

/// The value of `name` in the request's query (`?lang=es`), as written: the only query a route
/// reads is `/api/system`'s `lang`, a plain word.
fn query_value(uri: &axum::http::Uri, name: &str) -> Option<String> {
    uri.query()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A POST whose JSON body the engine answers on a worker.
fn post_answer(f: PostFn) -> MethodRouter<Arc<Shared>> {
    post(
        move |State(s): State<Arc<Shared>>, body: Result<Bytes, BytesRejection>| async move {
            let body = match parse_body(&s, body) {
                Ok(b) => b,
                Err(e) => return error(e.status, &e.message),
            };
            let api = s.api.clone();
            compute(&s, move || f(&*api, body)).await
        },
    )
}

async fn health() -> Response {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") })).into_response()
}

async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI,
    )
        .into_response()
}

async fn no_route(req: Request) -> Response {
    error(
        404,
        &format!(
            "no endpoint {} (the page is at /, the endpoints at /api/openapi.json)",
            req.uri().path()
        ),
    )
}

async fn wrong_method(req: Request) -> Response {
    error(
        405,
        &format!("{} does not take {}", req.uri().path(), req.method()),
    )
}

fn parse_body(s: &Shared, body: Result<Bytes, BytesRejection>) -> Result<Value, ApiError> {
    let bytes = body.map_err(|e| ApiError {
        status: e.status().as_u16(),
        message: if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            format!("the body is over {} KiB", s.body_limit / 1024)
        } else {
            e.body_text()
        },
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))
}

/// Runs `f` on a blocking thread once a worker is free, within the time limit. A request that
/// runs out of time is answered 503 at once; its computation still holds its worker until it
/// ends, so slow requests cannot pile up past [`Options::workers`].
async fn compute<F>(s: &Shared, f: F) -> Response
where
    F: FnOnce() -> Result<Value, ApiError> + Send + 'static,
{
    let permits = s.permits.clone();
    let work = async move {
        let permit = permits.acquire_owned().await;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f()
        })
        .await
    };
    match tokio::time::timeout(s.time_limit, work).await {
        Err(_) => error(
            503,
            &format!("the request took longer than {:?}", s.time_limit),
        ),
        Ok(Err(_)) => error(
            500,
            "the request failed inside cabe (a bug: please report it)",
        ),
        Ok(Ok(Err(e))) => error(e.status, &e.message),
        Ok(Ok(Ok(v))) => Json(v).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_server_by_ip_or_localhost_is_a_host() {
        let lo: SocketAddr = "127.0.0.1:8431".parse().unwrap();
        assert!(host_allowed("127.0.0.1:8431", lo));
        assert!(host_allowed("localhost:8431", lo));
        assert!(host_allowed("LOCALHOST:8431", lo));
        assert!(!host_allowed("127.0.0.1:8432", lo));
        assert!(!host_allowed("127.0.0.1", lo));
        assert!(!host_allowed("evil.example:8431", lo));
        assert!(!host_allowed("127.0.0.1.nip.io:8431", lo));
        assert!(!host_allowed("192.168.1.5:8431", lo));
        assert!(!host_allowed("", lo));
        let v6: SocketAddr = "[::1]:80".parse().unwrap();
        assert!(host_allowed("[::1]", v6));
        assert!(host_allowed("localhost", v6));
        let any: SocketAddr = "0.0.0.0:8431".parse().unwrap();
        assert!(host_allowed("192.168.1.5:8431", any));
        assert!(!host_allowed("my-box.lan:8431", any));
        let lan: SocketAddr = "192.168.1.5:8431".parse().unwrap();
        assert!(host_allowed("192.168.1.5:8431", lan));
        assert!(!host_allowed("localhost:8431", lan));
    }

    /// Each `prefix"KEY"` in `text`: the literal string keys after `prefix`
    /// (`prefix` not preceded by a letter, digit, `_` or `.`: `t("` but not `createElement("`.)
    fn keys_after<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
        text.match_indices(prefix)
            .filter(|(i, _)| {
                !text[..*i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            })
            .filter_map(|(i, _)| text[i + prefix.len()..].split('"').next())
            .collect()
    }

    fn page_file(path: &str) -> &'static str {
        let (_, _, bytes) = PAGE.iter().find(|(p, _, _)| *p == path).unwrap();
        std::str::from_utf8(bytes).unwrap()
    }

    #[test]
    fn every_string_the_page_uses_is_in_both_languages() {
        let en: serde_json::Map<String, Value> =
            serde_json::from_str(page_file("/assets/i18n/en.json")).unwrap();
        let es: serde_json::Map<String, Value> =
            serde_json::from_str(page_file("/assets/i18n/es.json")).unwrap();
        let mut en_keys: Vec<_> = en.keys().collect();
        let mut es_keys: Vec<_> = es.keys().collect();
        en_keys.sort();
        es_keys.sort();
        assert_eq!(en_keys, es_keys, "en.json and es.json differ in keys");
        for (k, v) in &es {
            assert!(v.as_str().is_some_and(|s| !s.is_empty()), "es.json {k}");
            // The same placeholders in both.
            let holes = |s: &str| keys_after(s, "{").len();
            assert_eq!(
                holes(v.as_str().unwrap()),
                holes(en[k].as_str().unwrap()),
                "{k}"
            );
        }
        let html = page_file("/");
        let js = page_file("/assets/app.js");
        let mut used = keys_after(html, "data-i18n=\"");
        used.extend(keys_after(html, "data-i18n-placeholder=\""));
        used.extend(keys_after(js, "t(\""));
        // Keys the script builds from the engine's own words.
        let built = [
            "verdict.fits",
            "verdict.fits-with-offload",
            "verdict.does-not-fit",
            "verdict.short.fits",
            "verdict.short.fits-with-offload",
            "verdict.short.does-not-fit",
            "sev.error",
            "sev.warning",
            "sev.info",
            "use.general",
            "use.chat",
            "use.code",
            "use.reasoning",
            "use.long-context",
            "use.agents",
            "fit.weights",
            "fit.kv",
            "fit.buffers",
            "fit.reserves",
        ];
        used.extend(built);
        assert!(used.len() > 60, "found only {} keys", used.len());
        for k in used {
            assert!(
                en.contains_key(k),
                "the page uses '{k}', which en.json lacks"
            );
        }
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        for (path, _, bytes) in PAGE {
            // SVG's namespace name is an identifier, never fetched.
            let text = String::from_utf8_lossy(bytes).replace("http://www.w3.org/2000/svg", "");
            // No other origin, no inline script, handler or style (the CSP forbids them, so
            // they would silently not work).
            for bad in [
                "http://",
                "https://",
                "<script>",
                " onclick=",
                " onload=",
                " style=\"",
            ] {
                assert!(!text.contains(bad), "{path} contains {bad}");
            }
        }
    }

    #[test]
    fn the_openapi_document_describes_every_route() {
        let doc: Value = serde_json::from_str(OPENAPI).expect("openapi.json parses");
        assert_eq!(doc["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
        for (method, path) in ROUTES {
            let op = &doc["paths"][path][method];
            assert!(op.is_object(), "{method} {path} is not in openapi.json");
            assert!(
                op["responses"]["200"].is_object(),
                "{method} {path}: no 200"
            );
        }
        let described = doc["paths"].as_object().unwrap().len();
        assert_eq!(
            described,
            ROUTES.len(),
            "openapi.json describes a route that is not served"
        );
    }
}
