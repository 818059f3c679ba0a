//! A real `cabe serve` process on a free port, asked over HTTP.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `cabe serve --port 0` with a private data dir; the first stdout line names the address.
pub fn start(data: &std::path::Path) -> Server {
    let mut child = super::cabe_in(data)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start cabe serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("the first line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    Server { child, addr }
}

/// (status, JSON body) of one request, on its own connection.
pub fn call(s: &Server, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
    let head = match body {
        Some(b) => format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            s.addr,
            b.len()
        ),
        None => format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            s.addr
        ),
    };
    let (status, text) = raw(s, &head, body.unwrap_or("").as_bytes());
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, v)
}

/// (status, body) of a request written byte for byte (so a test can send what a client
/// library would not: another Host, a body over the limit).
pub fn raw(s: &Server, head: &str, body: &[u8]) -> (u16, String) {
    raw_repeated(s, head, body, 1)
}

/// [`raw`] with the body `chunk` sent `times` times (a body larger than a test should hold),
/// stopping when the server hangs up.
pub fn raw_repeated(s: &Server, head: &str, chunk: &[u8], times: usize) -> (u16, String) {
    let mut c = TcpStream::connect(&s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may answer (and close) before it has read a head or body it refuses.
    let _ = c.write_all(head.as_bytes());
    for _ in 0..times {
        if c.write_all(chunk).is_err() {
            break;
        }
    }
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}
