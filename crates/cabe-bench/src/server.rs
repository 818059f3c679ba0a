//! One timed request at a time against a running Ollama or llama-server.
//!
//! * llama-server (llama.cpp `tools/server/README.md`): `GET /props` (model_path, per-slot `n_ctx`, build),
//!   `POST /tokenize`, `POST /completion` with `n_predict`, `cache_prompt:false`,
//!   `ignore_eos:true`; the reply's `timings` give `prompt_n`/`prompt_ms` (tokens actually
//!   evaluated, cache hits excluded) and `predicted_n`/`predicted_ms`.
//! * Ollama (`docs/api.md`, `api/types.go`): `GET /api/version`, `/api/ps`, `/api/tags`, `POST /api/show`,
//!   `POST /api/generate` with `raw:true` (no template), `stream:false`, `options.num_ctx`
//!   and `num_predict`; the reply's `prompt_eval_count`/`prompt_eval_duration` and
//!   `eval_count`/`eval_duration`, durations in nanoseconds. Ollama counts a cached prefix in
//!   `prompt_eval_count` but not in the duration, so every prompt starts differently
//!   ([`crate::prompt`]).
//!
//! Every request has a connect timeout, a whole-request timeout and a cap on the reply's
//! size (the HTTP client of `cabe-ollama`); failures become one line that says whether the
//! server is down, too slow, answering with an error, or answering with something that is
//! not its JSON.

use cabe_core::model::ModelSpec;
use cabe_core::quant::FileType;
use cabe_core::text::shown;
use cabe_core::weights::{for_file_type, Weights};
use cabe_ollama::api::ShowReply;
use cabe_ollama::http::{base_url, Client, HttpConfig, HttpError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Ollama,
    LlamaServer,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Ollama => "Ollama",
            Kind::LlamaServer => "llama-server",
        }
    }
    /// The key stored in the history ("ollama", "llama-server").
    pub fn key(self) -> &'static str {
        match self {
            Kind::Ollama => "ollama",
            Kind::LlamaServer => "llama-server",
        }
    }
    pub fn default_port(self) -> u16 {
        match self {
            Kind::Ollama => cabe_ollama::api::DEFAULT_PORT,
            Kind::LlamaServer => cabe_ollama::llama_server::DEFAULT_PORT,
        }
    }
}

/// What went wrong, in one line naming the server and the endpoint.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ServerError {
    #[error("no server answers at {url} ({detail}); start llama-server or Ollama, or give --url")]
    Down { url: String, detail: String },
    #[error("{server} at {url} did not answer {endpoint} within {secs:.0} s{hint}")]
    Slow {
        server: &'static str,
        url: String,
        endpoint: &'static str,
        secs: f64,
        hint: String,
    },
    #[error("{server} at {url} answered {endpoint} with HTTP {status}: {message}")]
    Status {
        server: &'static str,
        url: String,
        endpoint: &'static str,
        status: u16,
        message: String,
    },
    #[error("{server} at {url} answered {endpoint} with something that is not its JSON: {detail}")]
    Malformed {
        server: &'static str,
        url: String,
        endpoint: &'static str,
        detail: String,
    },
    #[error("{server} at {url} sent a reply to {endpoint} larger than {limit} bytes")]
    TooLarge {
        server: &'static str,
        url: String,
        endpoint: &'static str,
        limit: u64,
    },
    /// It had answered, then the connection failed: it crashed, closed the connection, or
    /// answered with bytes that are not HTTP.
    #[error("{server} at {url} stopped answering during {endpoint} (it crashed, closed the connection, or sent something that is not HTTP): {detail}")]
    Broken {
        server: &'static str,
        url: String,
        endpoint: &'static str,
        detail: String,
    },
    #[error("bad server URL '{url}': {detail}")]
    BadUrl { url: String, detail: String },
    #[error("{0}")]
    Other(String),
}

impl ServerError {
    pub fn is_down(&self) -> bool {
        matches!(self, ServerError::Down { .. })
    }
}

/// Time and size limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub connect: Duration,
    /// A whole generation request (prompt processing and generation).
    pub request: Duration,
    /// Other requests (props, show, tokenize).
    pub probe: Duration,
    pub max_body: u64,
}

impl Limits {
    /// `request` for generations; 5 s connect, probes at most 30 s, replies at most 32 MiB.
    pub fn new(request: Duration) -> Limits {
        Limits {
            connect: Duration::from_secs(5).min(request),
            request,
            probe: Duration::from_secs(30).min(request),
            max_body: 32 << 20,
        }
    }
}

fn http_cfg(connect: Duration, total: Duration, max_body: u64) -> HttpConfig {
    HttpConfig {
        connect,
        io: total,
        total,
        max_body,
    }
}

/// A connected server.
#[derive(Clone, Debug)]
pub struct Server {
    pub kind: Kind,
    pub url: String,
    /// Version (Ollama) or build (llama-server), when it says.
    pub version: Option<String>,
    probe: Client,
    gen: Client,
    probe_secs: f64,
    gen_secs: f64,
    /// It has answered once (a later connection failure is not "down").
    connected: bool,
}

/// Timings of one request, as the server reports them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Prompt tokens evaluated (llama-server: `prompt_n`; Ollama: `prompt_eval_count`).
    pub prompt_tokens: u64,
    pub prompt_ms: f64,
    pub gen_tokens: u64,
    pub gen_ms: f64,
    /// Prompt tokens the server reused from its cache (llama-server `cache_n`), if it says.
    pub cached_tokens: Option<u64>,
}

impl Timing {
    /// Prefill tokens/s.
    pub fn prefill_tps(&self) -> Option<f64> {
        (self.prompt_tokens > 0 && self.prompt_ms > 0.0)
            .then(|| self.prompt_tokens as f64 / self.prompt_ms * 1e3)
    }
    /// Decode tokens/s.
    pub fn decode_tps(&self) -> Option<f64> {
        (self.gen_tokens > 0 && self.gen_ms > 0.0)
            .then(|| self.gen_tokens as f64 / self.gen_ms * 1e3)
    }
}

/// The model a server runs.
#[derive(Clone, Debug, Default)]
pub struct ServerModel {
    /// Ollama's model name, or llama-server's alias / file name.
    pub name: String,
    /// The GGUF file, when the server says where it is.
    pub path: Option<PathBuf>,
    /// Ollama's `/api/show` reply.
    pub show: Option<ShowReply>,
    /// The context a request gets: llama-server's per-slot `n_ctx`; Ollama's `num_ctx`
    /// parameter when the model sets one.
    pub n_ctx: Option<u64>,
}

#[derive(Deserialize)]
struct LlamaTimings {
    prompt_n: f64,
    prompt_ms: f64,
    predicted_n: f64,
    predicted_ms: f64,
    #[serde(default)]
    cache_n: Option<f64>,
}

#[derive(Deserialize)]
struct CompletionReply {
    #[serde(default)]
    timings: Option<LlamaTimings>,
}

#[derive(Deserialize)]
struct GenerateReply {
    #[serde(default)]
    prompt_eval_count: Option<f64>,
    #[serde(default)]
    prompt_eval_duration: Option<f64>,
    #[serde(default)]
    eval_count: Option<f64>,
    #[serde(default)]
    eval_duration: Option<f64>,
    #[serde(default)]
    error: Option<String>,
}

fn count(x: f64, what: &str) -> Result<u64, String> {
    if (0.0..1e12).contains(&x) && x.fract() == 0.0 {
        Ok(x as u64)
    } else {
        Err(format!("{what} is {x}, not a token count"))
    }
}

fn millis(x: f64, what: &str) -> Result<f64, String> {
    if (0.0..1e10).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{what} is {x}, not a duration"))
    }
}

/// A llama-server `/completion` reply's timings.
pub fn parse_completion(body: &[u8]) -> Result<Timing, String> {
    let r: CompletionReply =
        serde_json::from_slice(body).map_err(|e| short_json_error(&e, body))?;
    let t = r
        .timings
        .ok_or("the reply has no `timings` (an old llama-server, or not /completion)")?;
    let timing = Timing {
        prompt_tokens: count(t.prompt_n, "timings.prompt_n")?,
        prompt_ms: millis(t.prompt_ms, "timings.prompt_ms")?,
        gen_tokens: count(t.predicted_n, "timings.predicted_n")?,
        gen_ms: millis(t.predicted_ms, "timings.predicted_ms")?,
        cached_tokens: t.cache_n.map(|c| count(c, "timings.cache_n")).transpose()?,
    };
    check_durations(&timing)?;
    Ok(timing)
}

/// An Ollama `/api/generate` reply's counts and durations (ns).
pub fn parse_generate(body: &[u8]) -> Result<Timing, String> {
    let r: GenerateReply = serde_json::from_slice(body).map_err(|e| short_json_error(&e, body))?;
    if let Some(e) = r.error {
        return Err(format!("Ollama says: {}", shown(&e, MESSAGE_CHARS)));
    }
    let prompt = r.prompt_eval_count.ok_or(
        "the reply has no prompt_eval_count (Ollama omits it when the whole prompt came from its cache)",
    )?;
    let need = |v: Option<f64>, name: &str| v.ok_or(format!("the reply has no {name}"));
    let timing = Timing {
        prompt_tokens: count(prompt, "prompt_eval_count")?,
        prompt_ms: millis(
            need(r.prompt_eval_duration, "prompt_eval_duration")? / 1e6,
            "prompt_eval_duration",
        )?,
        gen_tokens: count(need(r.eval_count, "eval_count")?, "eval_count")?,
        gen_ms: millis(
            need(r.eval_duration, "eval_duration")? / 1e6,
            "eval_duration",
        )?,
        cached_tokens: None,
    };
    check_durations(&timing)?;
    Ok(timing)
}

fn check_durations(t: &Timing) -> Result<(), String> {
    if t.prompt_tokens > 0 && t.prompt_ms <= 0.0 {
        return Err(format!(
            "{} prompt tokens in 0 ms: the durations are missing or wrong",
            t.prompt_tokens
        ));
    }
    if t.gen_tokens > 0 && t.gen_ms <= 0.0 {
        return Err(format!(
            "{} generated tokens in 0 ms: the durations are missing or wrong",
            t.gen_tokens
        ));
    }
    Ok(())
}

fn short_json_error(e: &serde_json::Error, body: &[u8]) -> String {
    let head: String = String::from_utf8_lossy(&body[..body.len().min(60)])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    format!("{e}; the body starts {head:?}")
}

/// Ollama's `{"error": "..."}` or llama-server's `{"error": {"message": "..."}}`, else the
/// body (shortened).
fn error_message(body: &str) -> String {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
        let e = &v["error"];
        if let Some(s) = e.as_str().or(e["message"].as_str()) {
            return shown(s, MESSAGE_CHARS);
        }
    }
    if body.trim().is_empty() {
        "(no body)".into()
    } else {
        shown(body, MESSAGE_CHARS)
    }
}

/// A server's own words in an error: one line, at most this many characters.
const MESSAGE_CHARS: usize = 300;

impl Server {
    fn new(kind: Kind, url: &str, limits: &Limits) -> Server {
        let url = base_url(Some(url), kind.default_port());
        Server {
            kind,
            probe: Client::new(
                &url,
                http_cfg(limits.connect, limits.probe, limits.max_body),
            ),
            gen: Client::new(
                &url,
                http_cfg(limits.connect, limits.request, limits.max_body),
            ),
            url,
            version: None,
            probe_secs: limits.probe.as_secs_f64(),
            gen_secs: limits.request.as_secs_f64(),
            connected: false,
        }
    }

    /// Connects to `url` (or the default of each kind on 127.0.0.1), finding out which kind of
    /// server answers when `kind` is None: llama-server answers `GET /props`, Ollama
    /// `GET /api/version`.
    pub fn connect(
        url: Option<&str>,
        kind: Option<Kind>,
        limits: &Limits,
    ) -> Result<Server, ServerError> {
        let kinds: Vec<Kind> = match kind {
            Some(k) => vec![k],
            None => vec![Kind::LlamaServer, Kind::Ollama],
        };
        let mut errors: Vec<ServerError> = Vec::new();
        for k in kinds {
            let target = match url {
                Some(u) => u.to_string(),
                None if k == Kind::Ollama => std::env::var("OLLAMA_HOST").unwrap_or_default(),
                None => String::new(),
            };
            let mut s = Server::new(k, &target, limits);
            match s.hello() {
                Ok(()) => return Ok(s),
                Err(e) => errors.push(e),
            }
        }
        // One error: the most telling (a server that answers wrongly beats one that is down).
        if let Some(e) = errors.iter().find(|e| !e.is_down()) {
            return Err(e.clone());
        }
        let urls: Vec<String> = errors
            .iter()
            .filter_map(|e| match e {
                ServerError::Down { url, .. } => Some(url.clone()),
                _ => None,
            })
            .collect();
        match errors.into_iter().next() {
            Some(ServerError::Down { detail, .. }) => Err(ServerError::Down {
                url: urls.join(" or "),
                detail,
            }),
            Some(e) => Err(e),
            None => Err(ServerError::Other("no server kind to try".into())),
        }
    }

    /// The first request: is it there and is it this kind of server?
    fn hello(&mut self) -> Result<(), ServerError> {
        match self.kind {
            Kind::LlamaServer => {
                let v: serde_json::Value = self.get_json(&self.probe, "/props", "GET /props")?;
                if v.get("default_generation_settings").is_none() && v.get("model_path").is_none() {
                    return Err(self.malformed(
                        "GET /props",
                        "no default_generation_settings or model_path: not llama-server".into(),
                    ));
                }
                self.version = v["build_info"].as_str().map(str::to_string);
            }
            Kind::Ollama => {
                let v: serde_json::Value =
                    self.get_json(&self.probe, "/api/version", "GET /api/version")?;
                let version = v["version"]
                    .as_str()
                    .ok_or_else(|| self.malformed("GET /api/version", "no version".into()))?;
                self.version = Some(version.to_string());
            }
        }
        self.connected = true;
        Ok(())
    }

    /// "llama-server at http://127.0.0.1:8080".
    pub fn describe(&self) -> String {
        format!("{} at {}", self.kind.name(), self.url)
    }

    fn malformed(&self, endpoint: &'static str, detail: String) -> ServerError {
        ServerError::Malformed {
            server: self.kind.name(),
            url: self.url.clone(),
            endpoint,
            detail,
        }
    }

    fn map(&self, e: HttpError, endpoint: &'static str, secs: f64) -> ServerError {
        let server = self.kind.name();
        let url = self.url.clone();
        match e {
            HttpError::Unreachable { detail } if self.connected => ServerError::Broken {
                server,
                url,
                endpoint,
                detail,
            },
            HttpError::Unreachable { detail } => ServerError::Down { url, detail },
            HttpError::Timeout { .. } => ServerError::Slow {
                server,
                url,
                endpoint,
                secs,
                hint: if endpoint.contains("generate") || endpoint.contains("completion") {
                    " (a long prompt on a slow machine can take minutes: raise --timeout)".into()
                } else {
                    " (hung, or still loading the model)".into()
                },
            },
            HttpError::Status { status, body } => ServerError::Status {
                server,
                url,
                endpoint,
                status,
                message: error_message(&body),
            },
            HttpError::Malformed { detail } => ServerError::Malformed {
                server,
                url,
                endpoint,
                detail,
            },
            HttpError::TooLarge { limit } => ServerError::TooLarge {
                server,
                url,
                endpoint,
                limit,
            },
            HttpError::BadUrl { url, detail } => ServerError::BadUrl { url, detail },
        }
    }

    fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        c: &Client,
        path: &str,
        endpoint: &'static str,
    ) -> Result<T, ServerError> {
        let body = c
            .get(path)
            .map_err(|e| self.map(e, endpoint, self.probe_secs))?;
        serde_json::from_slice(&body)
            .map_err(|e| self.malformed(endpoint, short_json_error(&e, &body)))
    }

    fn post(
        &self,
        generation: bool,
        path: &str,
        body: &serde_json::Value,
        endpoint: &'static str,
    ) -> Result<Vec<u8>, ServerError> {
        let (c, secs) = if generation {
            (&self.gen, self.gen_secs)
        } else {
            (&self.probe, self.probe_secs)
        };
        c.post(path, body).map_err(|e| self.map(e, endpoint, secs))
    }

    /// The model the server runs. For Ollama, `requested` names it; without one, the model
    /// loaded now (`/api/ps`), else the only one installed (`/api/tags`).
    pub fn model(&self, requested: Option<&str>) -> Result<ServerModel, ServerError> {
        match self.kind {
            Kind::LlamaServer => {
                let p: Props = self.get_json(&self.probe, "/props", "GET /props")?;
                let path = p.model_path.filter(|s| !s.is_empty()).map(PathBuf::from);
                let name = p
                    .model_alias
                    .filter(|s| !s.is_empty())
                    .or_else(|| {
                        path.as_ref()
                            .and_then(|p| p.file_name())
                            .map(|n| n.to_string_lossy().into_owned())
                    })
                    .unwrap_or_else(|| "the loaded model".into());
                Ok(ServerModel {
                    name,
                    path,
                    show: None,
                    n_ctx: p.default_generation_settings.and_then(|g| g.n_ctx),
                })
            }
            Kind::Ollama => {
                let name = match requested {
                    Some(n) => n.to_string(),
                    None => self.pick_ollama_model()?,
                };
                let body = self.post(
                    false,
                    "/api/show",
                    &serde_json::json!({ "model": name }),
                    "POST /api/show",
                );
                let body = match body {
                    Err(ServerError::Status { status: 404, .. }) => {
                        return Err(ServerError::Other(format!(
                            "{} has no model '{name}' (`ollama pull {name}`, or see `ollama list`)",
                            self.describe()
                        )))
                    }
                    other => other?,
                };
                let show: ShowReply = serde_json::from_slice(&body)
                    .map_err(|e| self.malformed("POST /api/show", short_json_error(&e, &body)))?;
                let path = show
                    .modelfile
                    .as_deref()
                    .and_then(modelfile_from)
                    .map(PathBuf::from);
                Ok(ServerModel {
                    n_ctx: show.num_ctx(),
                    name,
                    path,
                    show: Some(show),
                })
            }
        }
    }

    fn pick_ollama_model(&self) -> Result<String, ServerError> {
        let ps: cabe_ollama::api::PsReply = self.get_json(&self.probe, "/api/ps", "GET /api/ps")?;
        if let Some(m) = ps.models.first() {
            return Ok(m.name.clone());
        }
        let tags: cabe_ollama::api::TagsReply =
            self.get_json(&self.probe, "/api/tags", "GET /api/tags")?;
        match tags.models.as_slice() {
            [one] => Ok(one.name.clone()),
            [] => Err(ServerError::Other(format!(
                "{} has no models: `ollama pull MODEL` first",
                self.describe()
            ))),
            many => Err(ServerError::Other(format!(
                "{} has {} models and none is loaded: choose one with --model ({})",
                self.describe(),
                many.len(),
                many.iter()
                    .take(8)
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// Tokens `text` becomes (llama-server's `/tokenize`; `None` for Ollama, which has no
    /// such endpoint).
    pub fn count_tokens(&self, text: &str) -> Result<Option<u64>, ServerError> {
        if self.kind != Kind::LlamaServer {
            return Ok(None);
        }
        let body = self.post(
            false,
            "/tokenize",
            &serde_json::json!({ "content": text }),
            "POST /tokenize",
        )?;
        let v: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| self.malformed("POST /tokenize", short_json_error(&e, &body)))?;
        match v["tokens"].as_array() {
            Some(t) => Ok(Some(t.len() as u64)),
            None => Err(self.malformed("POST /tokenize", "no tokens list".into())),
        }
    }

    /// One generation: `prompt`, then `n_predict` tokens. `num_ctx` is sent to Ollama (which
    /// reloads the model when it changes); llama-server's context is fixed at its start.
    pub fn generate(
        &self,
        model: &str,
        prompt: &str,
        n_predict: u64,
        num_ctx: Option<u64>,
    ) -> Result<Timing, ServerError> {
        match self.kind {
            Kind::LlamaServer => {
                let req = serde_json::json!({
                    "prompt": prompt,
                    "n_predict": n_predict,
                    "cache_prompt": false,
                    "ignore_eos": true,
                    "stream": false,
                    "temperature": 0.0,
                    "top_k": 1,
                });
                let body = self.post(true, "/completion", &req, "POST /completion")?;
                parse_completion(&body).map_err(|d| self.malformed("POST /completion", d))
            }
            Kind::Ollama => {
                let mut options = serde_json::json!({
                    "num_predict": n_predict,
                    "temperature": 0.0,
                    "top_k": 1,
                    "seed": 1,
                });
                if let Some(c) = num_ctx {
                    options["num_ctx"] = c.into();
                }
                let req = serde_json::json!({
                    "model": model,
                    "prompt": prompt,
                    "raw": true,
                    "stream": false,
                    "options": options,
                });
                let body = self.post(true, "/api/generate", &req, "POST /api/generate")?;
                parse_generate(&body).map_err(|d| self.malformed("POST /api/generate", d))
            }
        }
    }
}

/// The path in a Modelfile's `FROM` line when it is an absolute path (Ollama's generated
/// Modelfile names the model blob: `FROM /home/u/.ollama/models/blobs/sha256-…`).
pub fn modelfile_from(modelfile: &str) -> Option<String> {
    modelfile.lines().find_map(|l| {
        let l = l.trim();
        let rest = l
            .strip_prefix("FROM ")
            .or_else(|| l.strip_prefix("from "))?;
        let p = rest.trim();
        (p.starts_with('/') || p.get(1..3) == Some(":\\")).then(|| p.to_string())
    })
}

#[derive(Deserialize, Default)]
struct Props {
    #[serde(default)]
    model_path: Option<String>,
    #[serde(default)]
    model_alias: Option<String>,
    #[serde(default)]
    default_generation_settings: Option<GenSettings>,
}

#[derive(Deserialize, Default)]
struct GenSettings {
    #[serde(default)]
    n_ctx: Option<u64>,
}

// ---------------------------------------------------------------------------------------
// The model behind the server, for the prediction

/// A model spec and its weights, and how they were found.
#[derive(Clone, Debug)]
pub struct PredictModel {
    pub spec: ModelSpec,
    pub weights: Weights,
    /// "Q4_K_M", or "mixed".
    pub quant: String,
    /// Where the figures came from, in words.
    pub source: String,
}

/// Reads a GGUF file's header into a spec and its exact weights.
pub fn model_from_gguf(path: &Path) -> Result<PredictModel, String> {
    let gguf = cabe_gguf::read_model(path).map_err(|e| e.to_string())?;
    let tensors: Vec<cabe_gguf::TensorInfo> = gguf.tensors().cloned().collect();
    let spec = cabe_gguf::spec::model_spec(&gguf.shards[0], &tensors)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let weights = cabe_gguf::spec::file_weights(&spec, &tensors);
    let quant = gguf.shards[0]
        .file_type()
        .and_then(FileType::from_id)
        .map_or_else(|| "mixed".to_string(), |t| t.name().to_string());
    Ok(PredictModel {
        spec,
        weights,
        quant,
        source: format!("the server's model file {}", path.display()),
    })
}

/// The model a server runs, for the prediction: its GGUF file when this machine can read it;
/// for Ollama otherwise `/api/show`'s metadata (exact with its tensor list; without one the
/// weights are rebuilt from the file type, the output head untied unless a catalog model of
/// the same shape is tied).
pub fn predict_model(m: &ServerModel) -> Result<PredictModel, String> {
    let mut file_err = None;
    if let Some(p) = &m.path {
        if p.is_file() {
            match model_from_gguf(p) {
                Ok(pm) => return Ok(pm),
                Err(e) => file_err = Some(e),
            }
        }
    }
    if let Some(show) = &m.show {
        if let Some(gguf) = cabe_ollama::api::show_to_gguf(show) {
            let tensors = gguf.tensors.clone();
            let mut spec = cabe_gguf::spec::model_spec(&gguf, &tensors)
                .map_err(|e| format!("Ollama's /api/show for {}: {e}", m.name))?;
            let ftype = gguf.file_type().and_then(FileType::from_id);
            if !tensors.is_empty() {
                let weights = cabe_gguf::spec::file_weights(&spec, &tensors);
                return Ok(PredictModel {
                    spec,
                    weights,
                    quant: ftype.map_or_else(|| "mixed".into(), |t| t.name().to_string()),
                    source: format!("Ollama's /api/show for {} (metadata and tensors)", m.name),
                });
            }
            let Some(ftype) = ftype else {
                return Err(format!(
                    "Ollama's /api/show for {} lists no tensors and no general.file_type",
                    m.name
                ));
            };
            // Without tensors, `model_spec` cannot see output.weight, and without the
            // (verbose) tokenizer list not the vocabulary either: take the catalog model of
            // the same shape; else the metadata with an untied head (most models).
            let twin = cabe_catalog::models().iter().find(|e| {
                e.spec.architecture == spec.architecture
                    && e.spec.n_embd == spec.n_embd
                    && e.spec.n_layer() == spec.n_layer()
                    && (spec.n_vocab == 0 || e.spec.n_vocab == spec.n_vocab)
            });
            // Layer details (which layers are MoE) also come from tensor names: a catalog
            // model of the same shape knows them.
            let (spec, how) = match twin {
                Some(e) => (
                    e.spec.clone(),
                    format!("the catalog's {} (same shape)", e.id),
                ),
                None => {
                    if spec.n_vocab == 0 {
                        return Err(format!(
                            "Ollama's /api/show for {} gives neither tensors nor the vocabulary size",
                            m.name
                        ));
                    }
                    spec.tied_embeddings = false;
                    (spec, "its metadata, output head assumed untied".to_string())
                }
            };
            let weights = for_file_type(&spec, ftype);
            return Ok(PredictModel {
                spec,
                weights,
                quant: ftype.name().to_string(),
                source: format!(
                    "Ollama's /api/show for {}: no tensor list, so {how}, weights rebuilt for {}",
                    m.name,
                    ftype.name()
                ),
            });
        }
    }
    Err(match (file_err, &m.path) {
        (Some(e), _) => e,
        (None, Some(p)) => format!(
            "the server's model file {} is not readable here",
            p.display()
        ),
        (None, None) => "the server does not say which model file it runs".into(),
    })
}
