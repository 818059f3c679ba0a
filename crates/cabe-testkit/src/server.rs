//! The server core: one thread per connection, one request per connection, the reply chosen
//! by a closure of the request.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest a `Hang` or `Drip` reply lasts when the server is not dropped first.
const MAX_STALL: Duration = Duration::from_secs(60);

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names and values, in order, as sent.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// 0 for the first request the server got, 1 for the next, …
    pub n: usize,
}

impl Request {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer. Every answer closes the connection.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Status and a JSON body.
    Json(u16, String),
    /// Status, extra headers and a body (its `Content-Length` is added).
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Status and headers announcing `length` body bytes, then only `body`, then hang up.
    Short {
        status: u16,
        headers: Vec<(String, String)>,
        length: u64,
        body: Vec<u8>,
    },
    /// Accept and never answer (until the server is dropped, at most 60 s).
    Hang,
    /// Headers, then one body byte per interval, forever (until dropped, at most 60 s).
    Drip(Duration),
    /// Status and `length` bytes of `byte`, with no `Content-Length` (the body runs to the
    /// close), written a chunk at a time: a reply larger than a client should read, which
    /// the test process never holds.
    Flood { status: u16, length: u64, byte: u8 },
    /// Bytes that are not HTTP.
    Raw(Vec<u8>),
    /// Read the request and hang up without a byte.
    Close,
    /// Wait, then answer.
    After(Duration, Box<Reply>),
}

impl Reply {
    /// A status with an empty body.
    pub fn status(status: u16) -> Reply {
        Reply::Http {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// This reply, sent after `delay`.
    pub fn after(self, delay: Duration) -> Reply {
        Reply::After(delay, Box::new(self))
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// An HTTP/1.1 server on 127.0.0.1; stops when dropped (unless detached).
pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Request>>>,
}

impl TestServer {
    /// Serves `handler`'s reply to each request.
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

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The requests so far.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// How many requests hit `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }

    /// Keeps serving until the test process ends; returns the URL.
    pub fn detach(self) -> String {
        let url = self.url.clone();
        std::mem::forget(self);
        url
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees `stop` and closes the listener.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn wait_stopped(stop: &AtomicBool, max: Duration) {
    let t = Instant::now();
    while !stop.load(Ordering::SeqCst) && t.elapsed() < max {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Reads one request: head up to the blank line, then `Content-Length` body bytes.
fn read_request(c: &mut TcpStream, n: &AtomicUsize) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match c.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(k) => buf.extend_from_slice(&chunk[..k]),
        }
        if buf.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(64 << 20);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        match c.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(k) => body.extend_from_slice(&chunk[..k]),
        }
    }
    Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        n: n.fetch_add(1, Ordering::SeqCst),
    })
}

fn serve(
    mut c: TcpStream,
    handler: &Handler,
    stop: &AtomicBool,
    log: &Mutex<Vec<Request>>,
    counter: &AtomicUsize,
) {
    let _ = c.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(req) = read_request(&mut c, counter) else {
        return;
    };
    if let Ok(mut l) = log.lock() {
        l.push(req.clone());
    }
    let _ = answer(&mut c, handler(&req), stop);
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn head(
    c: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    length: u64,
) -> std::io::Result<()> {
    let mut h = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str(&format!(
        "Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ));
    c.write_all(h.as_bytes())
}

fn answer(c: &mut TcpStream, reply: Reply, stop: &AtomicBool) -> std::io::Result<()> {
    match reply {
        Reply::Json(status, body) => {
            let ct = [(
                "Content-Type".to_string(),
                "application/json; charset=utf-8".to_string(),
            )];
            head(c, status, &ct, body.len() as u64)?;
            c.write_all(body.as_bytes())
        }
        Reply::Http {
            status,
            headers,
            body,
        } => {
            head(c, status, &headers, body.len() as u64)?;
            c.write_all(&body)
        }
        Reply::Short {
            status,
            headers,
            length,
            body,
        } => {
            head(c, status, &headers, length)?;
            c.write_all(&body)
        }
        Reply::Hang => {
            wait_stopped(stop, MAX_STALL);
            Ok(())
        }
        Reply::Drip(every) => {
            write!(
                c,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
            )?;
            let t = Instant::now();
            while !stop.load(Ordering::SeqCst) && t.elapsed() < MAX_STALL {
                c.write_all(b" ")?;
                std::thread::sleep(every);
            }
            Ok(())
        }
        Reply::Flood {
            status,
            length,
            byte,
        } => {
            write!(
                c,
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
                reason(status)
            )?;
            let chunk = [byte; 64 << 10];
            let mut left = length;
            while left > 0 && !stop.load(Ordering::SeqCst) {
                let n = left.min(chunk.len() as u64);
                c.write_all(&chunk[..n as usize])?;
                left -= n;
            }
            Ok(())
        }
        Reply::Raw(bytes) => c.write_all(&bytes),
        Reply::Close => Ok(()),
        Reply::After(delay, reply) => {
            std::thread::sleep(delay);
            answer(c, *reply, stop)
        }
    }
}
