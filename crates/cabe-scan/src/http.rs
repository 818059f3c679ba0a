//! Remote files read with HTTP range requests: only the bytes a header parser asks for, in
//! growing windows, behind a total-bytes cap and a deadline.

use crate::counting::Counter;
use std::io::{self, Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

/// Bounds on one remote read.
#[derive(Clone, Debug)]
pub struct RemoteLimits {
    /// For the whole read, all requests together.
    pub timeout: Duration,
    /// The most bytes fetched (a GGUF header with a 256k-token vocabulary is about 20 MB).
    pub max_bytes: u64,
}

impl Default for RemoteLimits {
    fn default() -> RemoteLimits {
        RemoteLimits {
            timeout: Duration::from_secs(30),
            max_bytes: 64 << 20,
        }
    }
}

/// First window; each further one doubles, up to [`MAX_WINDOW`].
pub const FIRST_WINDOW: u64 = 64 << 10;
pub const MAX_WINDOW: u64 = 8 << 20;

/// `https://huggingface.co/ORG/REPO/blob/REV/FILE` → `…/resolve/REV/FILE` (the page URL people
/// copy, turned into the file's).
pub fn normalize_url(url: &str) -> String {
    if url.contains("huggingface.co/") && url.contains("/blob/") {
        url.replacen("/blob/", "/resolve/", 1)
    } else {
        url.to_string()
    }
}

/// A server's answer to one range request: what [`RangeReader`] checks and reads.
pub struct RangeReply {
    /// The HTTP status (206 for a range; anything else is refused).
    pub status: u16,
    /// The `Content-Range` header, if any.
    pub content_range: Option<String>,
    /// The body, read at most as far as the range announced.
    pub body: Box<dyn Read>,
}

/// Where range requests go: HTTP ([`HttpTransport`]), or an in-memory server in tests and
/// fuzzing, so everything the reader does with a reply can be exercised without a network.
pub trait Transport {
    /// `GET url` with `Range: bytes=start-end`, within `timeout`. An error is passed on as
    /// it is (a [`RemoteError`] inside the `io::Error` gives its one-line reason).
    fn get_range(
        &mut self,
        url: &str,
        start: u64,
        end: u64,
        timeout: Duration,
    ) -> io::Result<RangeReply>;
}

/// Range requests over HTTP(S) with ureq: at most 8 redirects, no credentials.
pub struct HttpTransport {
    agent: ureq::Agent,
    /// The whole read's time limit, named in timeout errors.
    limit: Duration,
}

impl HttpTransport {
    pub fn new(limits: &RemoteLimits) -> HttpTransport {
        HttpTransport {
            agent: ureq::AgentBuilder::new()
                .timeout(limits.timeout)
                .redirects(8)
                .user_agent(concat!("cabe/", env!("CARGO_PKG_VERSION")))
                .build(),
            limit: limits.timeout,
        }
    }
}

impl Transport for HttpTransport {
    fn get_range(
        &mut self,
        url: &str,
        start: u64,
        end: u64,
        timeout: Duration,
    ) -> io::Result<RangeReply> {
        let resp = self
            .agent
            .get(url)
            .timeout(timeout)
            .set("Range", &format!("bytes={start}-{end}"))
            .call()
            .map_err(|e| match e {
                ureq::Error::Status(code, r) => {
                    let text = cabe_core::text::shown(r.status_text().trim(), 80);
                    let kind = if code == 404 {
                        io::ErrorKind::NotFound
                    } else {
                        io::ErrorKind::Other
                    };
                    if text.is_empty() {
                        fail(kind, format!("HTTP {code}"))
                    } else {
                        fail(kind, format!("HTTP {code} {text}"))
                    }
                }
                ureq::Error::Transport(t) => transport(&t, self.limit),
            })?;
        Ok(RangeReply {
            status: resp.status(),
            content_range: resp.header("Content-Range").map(str::to_string),
            // Dropped unread when the status is refused, which closes the connection.
            body: Box::new(resp.into_reader()),
        })
    }
}

/// `Content-Range: bytes START-END/TOTAL` → (START, END, TOTAL); TOTAL is None when it is not
/// a number (`*`: unknown).
pub fn parse_content_range(cr: &str) -> Option<(u64, u64, Option<u64>)> {
    let r = cr.strip_prefix("bytes ")?;
    let (range, total) = r.split_once('/')?;
    let (a, b) = range.split_once('-')?;
    Some((
        a.parse::<u64>().ok()?,
        b.parse::<u64>().ok()?,
        total.parse::<u64>().ok(),
    ))
}

/// A URL's file, readable and seekable; every byte comes from a `Range` request.
pub struct RangeReader {
    transport: Box<dyn Transport>,
    url: String,

    size: u64,
    pos: u64,
    window: Vec<u8>,
    window_start: u64,
    next_len: u64,
    deadline: Instant,
    limits: RemoteLimits,
    fetched: Counter,
    requests: u32,
}

/// Why a remote read failed, one line and without the URL (whoever reports it names the URL
/// once). Carried inside the `io::Error`s the reader returns, so a caller that gets one back
/// wrapped by a parser ("I/O error at offset N: …") can recover it with [`RemoteError::find`].
#[derive(Debug)]
pub struct RemoteError {
    pub kind: io::ErrorKind,
    pub message: String,
}

impl std::fmt::Display for RemoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RemoteError {}

impl RemoteError {
    /// The reader's own error inside `e` (itself, or one wrapped as a source), if any.
    pub fn find<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a RemoteError> {
        let mut cur = Some(e);
        while let Some(c) = cur {
            if let Some(r) = c.downcast_ref::<RemoteError>() {
                return Some(r);
            }
            if let Some(r) = c
                .downcast_ref::<io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<RemoteError>())
            {
                return Some(r);
            }
            cur = c.source();
        }
        None
    }
}

fn fail(kind: io::ErrorKind, message: String) -> io::Error {
    io::Error::new(kind, RemoteError { kind, message })
}

fn other(message: String) -> io::Error {
    fail(io::ErrorKind::Other, message)
}

/// Whether `e` (or what caused it) is a timeout.
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(c) = cur {
        if let Some(io) = c.downcast_ref::<io::Error>() {
            if matches!(
                io.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ) {
                return true;
            }
        }
        cur = c.source();
    }
    false
}

/// A ureq transport failure in a few words, without the URL ureq puts in its own message.
fn transport(t: &ureq::Transport, timeout: Duration) -> io::Error {
    use std::error::Error;
    if t.source().is_some_and(timed_out) {
        return fail(
            io::ErrorKind::TimedOut,
            format!("no answer within {} s (timed out)", timeout.as_secs_f64()),
        );
    }
    let what = match t.kind() {
        ureq::ErrorKind::Dns => "cannot resolve the host",
        ureq::ErrorKind::ConnectionFailed => "cannot connect",
        ureq::ErrorKind::TooManyRedirects => "too many redirects",
        ureq::ErrorKind::InvalidUrl => "not a valid URL",
        ureq::ErrorKind::UnknownScheme => "not an http:// or https:// URL",
        ureq::ErrorKind::BadStatus | ureq::ErrorKind::BadHeader => {
            "the server's answer is not HTTP"
        }
        _ => "network error",
    };
    let mut msg = what.to_string();
    if let Some(m) = t.message() {
        msg.push_str(": ");
        msg.push_str(m);
    }
    if let Some(s) = t.source() {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
    }
    let kind = match t.kind() {
        ureq::ErrorKind::ConnectionFailed => io::ErrorKind::ConnectionRefused,
        ureq::ErrorKind::Dns => io::ErrorKind::NotFound,
        _ => io::ErrorKind::Other,
    };
    fail(kind, msg.replace('\n', " "))
}

impl RangeReader {
    /// Opens `url`: the first request fetches the first window and learns the file size from
    /// `Content-Range`. A server that ignores `Range` (answers 200) is an error, so a remote
    /// read never downloads a whole model.
    pub fn open(url: &str, limits: RemoteLimits, fetched: Counter) -> io::Result<RangeReader> {
        let http = HttpTransport::new(&limits);
        RangeReader::with_transport(url, limits, fetched, Box::new(http))
    }

    /// [`RangeReader::open`] over another transport (an in-memory server).
    pub fn with_transport(
        url: &str,
        limits: RemoteLimits,
        fetched: Counter,
        transport: Box<dyn Transport>,
    ) -> io::Result<RangeReader> {
        let mut r = RangeReader {
            transport,
            url: normalize_url(url),
            size: u64::MAX,
            pos: 0,
            window: Vec::new(),
            window_start: 0,
            next_len: FIRST_WINDOW,
            deadline: Instant::now() + limits.timeout,
            limits,
            fetched,
            requests: 0,
        };
        r.fetch(0)?;
        Ok(r)
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn requests(&self) -> u32 {
        self.requests
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn fetch(&mut self, start: u64) -> io::Result<()> {
        let left = self
            .deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                fail(
                    io::ErrorKind::TimedOut,
                    format!(
                        "gave up after {} s (timed out)",
                        self.limits.timeout.as_secs_f64()
                    ),
                )
            })?;
        let len = self.next_len.min(self.size.saturating_sub(start)).max(1);
        let already = self.fetched.get();
        if already + len > self.limits.max_bytes {
            return Err(fail(
                io::ErrorKind::FileTooLarge,
                format!(
                    "the header needs more than the {} bytes allowed for a remote read",
                    self.limits.max_bytes
                ),
            ));
        }
        let end = start + len - 1;
        self.requests += 1;
        let resp = self.transport.get_range(&self.url, start, end, left)?;
        if resp.status != 206 {
            // Nothing of the body is read: dropping the response closes the connection.
            return Err(other(format!(
                "the server answered {} to a range request (it does not serve byte ranges); not downloading the whole file",
                resp.status
            )));
        }
        // "bytes START-END/TOTAL"
        let cr = resp.content_range.unwrap_or_default();
        let Some((a, b, total)) = parse_content_range(&cr) else {
            let cr = cabe_core::text::shown(&cr, 80);
            return Err(other(format!("unusable Content-Range '{cr}'")));
        };
        if a != start || b < a || b > end {
            return Err(other(format!("asked for bytes {start}-{end}, got {cr}")));
        }
        if let Some(t) = total {
            self.size = t;
        }
        let want = b - a + 1;
        let mut body = Vec::with_capacity(want as usize);
        resp.body
            .take(want)
            .read_to_end(&mut body)
            .map_err(|e| {
                if timed_out(&e) {
                    fail(
                        io::ErrorKind::TimedOut,
                        format!(
                            "the body stopped arriving within {} s (timed out)",
                            self.limits.timeout.as_secs_f64()
                        ),
                    )
                } else if e.kind() == io::ErrorKind::UnexpectedEof {
                    fail(
                        io::ErrorKind::UnexpectedEof,
                        format!(
                            "the server closed the connection before sending the {want} bytes it announced"
                        ),
                    )
                } else {
                    other(format!("reading the body: {e}"))
                }
            })?;
        if (body.len() as u64) < want {
            return Err(fail(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the server closed the connection after {} of the {want} bytes it announced",
                    body.len()
                ),
            ));
        }
        self.fetched.add(body.len() as u64);
        self.window = body;
        self.window_start = start;
        self.next_len = (self.next_len * 2).min(MAX_WINDOW);
        Ok(())
    }
}

impl Read for RangeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() || self.pos >= self.size {
            return Ok(0);
        }
        let in_window = self.pos >= self.window_start
            && self.pos < self.window_start + self.window.len() as u64;
        if !in_window {
            self.fetch(self.pos)?;
        }
        let off = (self.pos - self.window_start) as usize;
        let n = buf.len().min(self.window.len() - off);
        buf[..n].copy_from_slice(&self.window[off..off + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for RangeReader {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let p = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
        };
        self.pos =
            p.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek out of range"))?;
        Ok(self.pos)
    }
}

/// A small whole file (a `config.json`) fetched with one GET, at most `cap` bytes.
pub fn get_small(url: &str, cap: u64, timeout: Duration) -> io::Result<Vec<u8>> {
    let resp = ureq::AgentBuilder::new()
        .timeout(timeout)
        .redirects(8)
        .build()
        .get(url)
        .call()
        .map_err(|e| other(format!("{url}: {e}")))?;
    let mut body = Vec::new();
    resp.into_reader()
        .take(cap + 1)
        .read_to_end(&mut body)
        .map_err(|e| other(format!("{url}: {e}")))?;
    if body.len() as u64 > cap {
        return Err(other(format!("{url}: larger than {cap} bytes")));
    }
    Ok(body)
}
