//! A small blocking HTTP client for local servers: short timeouts, a response size cap, and
//! errors sorted into what a diagnosis needs to say (not running / hung / answered wrongly).

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::Read;
use std::time::Duration;

/// Limits for every request.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// TCP connect.
    pub connect: Duration,
    /// Each read and write.
    pub io: Duration,
    /// The whole request, headers and body (a server that drips bytes is cut off here).
    pub total: Duration,
    /// Largest response body read; more is an error.
    pub max_body: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect: Duration::from_secs(2),
            io: Duration::from_secs(2),
            total: Duration::from_secs(5),
            max_body: 16 << 20,
        }
    }
}

impl HttpConfig {
    /// All three timeouts from one duration (connect and reads = t, whole request = 2.5 t).
    pub fn with_timeout(t: Duration) -> HttpConfig {
        HttpConfig {
            connect: t,
            io: t,
            total: t.mul_f64(2.5),
            ..HttpConfig::default()
        }
    }
}

/// What went wrong, sorted by what it means for the diagnosis.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum HttpError {
    /// Nothing listens there (connection refused, no such host): the server is not running.
    #[error("not reachable ({detail})")]
    Unreachable { detail: String },
    /// It accepted the connection but did not answer in time: hung, loading or overloaded.
    #[error("no answer within {secs:.1} s ({detail})")]
    Timeout { secs: f64, detail: String },
    /// It answered with an HTTP error status.
    #[error("HTTP {status}: {body}")]
    Status { status: u16, body: String },
    /// The answer was not what the endpoint returns (not JSON, wrong shape, not HTTP).
    #[error("unexpected answer ({detail})")]
    Malformed { detail: String },
    #[error("answer larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("bad URL '{url}': {detail}")]
    BadUrl { url: String, detail: String },
}

impl HttpError {
    /// True when the server is simply not running (nothing listens).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, HttpError::Unreachable { .. })
    }
}

/// A client bound to one base URL.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    agent: ureq::Agent,
    cfg: HttpConfig,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base", &self.base).finish()
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    )
}

fn snippet(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    cabe_core::text::shown(&one_line, 200)
}

impl Client {
    pub fn new(base: &str, cfg: HttpConfig) -> Client {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(cfg.connect)
            .timeout_read(cfg.io)
            .timeout_write(cfg.io)
            .timeout(cfg.total)
            .redirects(0)
            .build();
        Client {
            base: base.trim_end_matches('/').to_string(),
            agent,
            cfg,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn transport(&self, e: ureq::Transport) -> HttpError {
        let detail = snippet(&e.to_string());
        let timed_out = detail.contains("timed out")
            || detail.contains("Timeout")
            || detail.contains("WouldBlock")
            || detail.contains("would block");
        match e.kind() {
            ureq::ErrorKind::InvalidUrl | ureq::ErrorKind::UnknownScheme => HttpError::BadUrl {
                url: self.base.clone(),
                detail,
            },
            ureq::ErrorKind::Dns | ureq::ErrorKind::ConnectionFailed if !timed_out => {
                HttpError::Unreachable { detail }
            }
            _ if timed_out => HttpError::Timeout {
                secs: self.cfg.total.as_secs_f64(),
                detail,
            },
            ureq::ErrorKind::BadStatus | ureq::ErrorKind::BadHeader => {
                HttpError::Malformed { detail }
            }
            _ => HttpError::Unreachable { detail },
        }
    }

    fn body(&self, resp: ureq::Response) -> Result<Vec<u8>, HttpError> {
        if let Some(len) = resp
            .header("Content-Length")
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            if len > self.cfg.max_body {
                return Err(HttpError::TooLarge {
                    limit: self.cfg.max_body,
                });
            }
        }
        let mut buf = Vec::new();
        resp.into_reader()
            .take(self.cfg.max_body + 1)
            .read_to_end(&mut buf)
            .map_err(|e| {
                if is_timeout(&e) || e.to_string().contains("timed out") {
                    HttpError::Timeout {
                        secs: self.cfg.total.as_secs_f64(),
                        detail: snippet(&e.to_string()),
                    }
                } else {
                    HttpError::Malformed {
                        detail: snippet(&e.to_string()),
                    }
                }
            })?;
        if buf.len() as u64 > self.cfg.max_body {
            return Err(HttpError::TooLarge {
                limit: self.cfg.max_body,
            });
        }
        Ok(buf)
    }

    fn send(&self, req: Result<ureq::Response, ureq::Error>) -> Result<Vec<u8>, HttpError> {
        match req {
            Ok(r) => self.body(r),
            Err(ureq::Error::Status(status, r)) => {
                let body = self.body(r).unwrap_or_default();
                Err(HttpError::Status {
                    status,
                    body: snippet(&String::from_utf8_lossy(&body)),
                })
            }
            Err(ureq::Error::Transport(t)) => Err(self.transport(t)),
        }
    }

    /// GET a path; the raw body.
    pub fn get(&self, path: &str) -> Result<Vec<u8>, HttpError> {
        self.send(self.agent.get(&self.url(path)).call())
    }

    /// POST JSON; the raw body.
    pub fn post(&self, path: &str, body: &serde_json::Value) -> Result<Vec<u8>, HttpError> {
        let text = body.to_string();
        self.send(
            self.agent
                .post(&self.url(path))
                .set("Content-Type", "application/json")
                .send_string(&text),
        )
    }

    pub fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, HttpError> {
        decode(&self.get(path)?)
    }

    pub fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, HttpError> {
        decode(&self.post(path, body)?)
    }
}

/// A reply body as `T`, or [`HttpError::Malformed`] with the start of the body (what
/// `get_json` and `post_json` do with every reply; public for the fuzz targets).
pub fn decode<T: DeserializeOwned>(b: &[u8]) -> Result<T, HttpError> {
    serde_json::from_slice(b).map_err(|e| HttpError::Malformed {
        detail: format!(
            "not the JSON expected: {e}; body starts {:?}",
            snippet(&String::from_utf8_lossy(&b[..b.len().min(80)]))
        ),
    })
}

/// A base URL from a host setting the way Ollama's `envconfig.Host()` reads `OLLAMA_HOST`:
/// scheme optional (http), host default 127.0.0.1, port default 11434 (80/443 when the scheme
/// is given as http/https), a path kept; `0.0.0.0` (a bind address) is contacted as 127.0.0.1.
pub fn base_url(setting: Option<&str>, default_port: u16) -> String {
    let s = setting.unwrap_or("").trim();
    let (scheme, hostport, port_default) = match s.split_once("://") {
        None => ("http", s, default_port),
        Some(("http", r)) => ("http", r, 80),
        Some(("https", r)) => ("https", r, 443),
        Some((other, r)) => (other, r, default_port),
    };
    let (hostport, path) = match hostport.split_once('/') {
        Some((h, p)) => (h, format!("/{}", p.trim_end_matches('/'))),
        None => (hostport, String::new()),
    };
    let (host, port) = split_host_port(hostport)
        .map(|(h, p)| {
            let port = p.parse::<u16>().unwrap_or(port_default);
            (h.to_string(), port)
        })
        .unwrap_or_else(|| {
            let h = hostport.trim_matches(|c| c == '[' || c == ']');
            (
                if h.is_empty() { "127.0.0.1" } else { h }.to_string(),
                port_default,
            )
        });
    let host = match host.as_str() {
        "" | "0.0.0.0" => "127.0.0.1".to_string(),
        "::" => "::1".to_string(),
        _ => host,
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    format!("{scheme}://{host}:{port}{path}")
}

/// `host:port` or `[v6]:port`; None when there is no port.
fn split_host_port(s: &str) -> Option<(&str, &str)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (h, after) = rest.split_once(']')?;
        let p = after.strip_prefix(':')?;
        return Some((h, p));
    }
    let (h, p) = s.rsplit_once(':')?;
    if h.contains(':') {
        return None; // a bare IPv6 address
    }
    Some((h, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ollama_host_forms() {
        assert_eq!(base_url(None, 11434), "http://127.0.0.1:11434");
        assert_eq!(base_url(Some(""), 11434), "http://127.0.0.1:11434");
        assert_eq!(base_url(Some("0.0.0.0"), 11434), "http://127.0.0.1:11434");
        assert_eq!(
            base_url(Some("0.0.0.0:8080"), 11434),
            "http://127.0.0.1:8080"
        );
        assert_eq!(base_url(Some(":11435"), 11434), "http://127.0.0.1:11435");
        assert_eq!(
            base_url(Some("example.com"), 11434),
            "http://example.com:11434"
        );
        assert_eq!(
            base_url(Some("http://example.com"), 11434),
            "http://example.com:80"
        );
        assert_eq!(
            base_url(Some("https://example.com/ollama/"), 11434),
            "https://example.com:443/ollama"
        );
        assert_eq!(base_url(Some("[::1]:9"), 11434), "http://[::1]:9");
        assert_eq!(base_url(Some("::1"), 11434), "http://[::1]:11434");
    }
}
