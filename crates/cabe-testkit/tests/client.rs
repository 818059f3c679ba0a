//! A raw HTTP/1.1 client for the server's own tests: sends one request, reads to the end.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Sends `METHOD PATH` with `headers` and `body` to `url` (`http://HOST:PORT`) and returns
/// the raw answer, or the read error (a timeout after `wait`).
pub fn send(
    url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
    wait: Duration,
) -> std::io::Result<Vec<u8>> {
    let mut c = TcpStream::connect(url.strip_prefix("http://").unwrap())?;
    c.set_read_timeout(Some(wait))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: test\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    c.write_all(req.as_bytes())?;
    let mut out = Vec::new();
    c.read_to_end(&mut out)?;
    Ok(out)
}

/// `GET PATH` with headers, answered within 5 s.
pub fn get(url: &str, path: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    send(url, "GET", path, headers, "", Duration::from_secs(5)).unwrap()
}

/// The answer split into head (as text) and body.
pub fn split(raw: &[u8]) -> (String, Vec<u8>) {
    let i = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP head");
    (
        String::from_utf8_lossy(&raw[..i]).into_owned(),
        raw[i + 4..].to_vec(),
    )
}
