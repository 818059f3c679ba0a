//! A local HTTP/1.1 server on 127.0.0.1 that serves files and honours `Range`, counting the
//! body bytes it sends. Bounded: it serves at most `MAX_CONNECTIONS` connections and its
//! threads end with the test process.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const MAX_CONNECTIONS: usize = 2000;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 206 for ranges.
    Ranges,
    /// Ignores Range: answers 200 with the whole length (but sends only a little).
    NoRanges,
    /// Accepts and never answers.
    Silent,
}

pub struct Server {
    pub base: String,
    pub sent: Arc<AtomicU64>,
    pub requests: Arc<AtomicU64>,
}

pub fn serve(files: HashMap<String, PathBuf>, mode: Mode) -> Server {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    let sent = Arc::new(AtomicU64::new(0));
    let requests = Arc::new(AtomicU64::new(0));
    let (s2, r2) = (sent.clone(), requests.clone());
    let files = Arc::new(files);
    std::thread::spawn(move || {
        for conn in l.incoming().take(MAX_CONNECTIONS) {
            let Ok(conn) = conn else { continue };
            let (files, sent, reqs) = (files.clone(), s2.clone(), r2.clone());
            std::thread::spawn(move || {
                let _ = handle(conn, &files, mode, &sent, &reqs);
            });
        }
    });
    Server {
        base,
        sent,
        requests,
    }
}

fn handle(
    mut conn: TcpStream,
    files: &HashMap<String, PathBuf>,
    mode: Mode,
    sent: &AtomicU64,
    reqs: &AtomicU64,
) -> std::io::Result<()> {
    let mut rd = BufReader::new(conn.try_clone()?);
    let mut line = String::new();
    rd.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut range = None;
    loop {
        let mut h = String::new();
        if rd.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("range") {
                range = Some(v.trim().to_string());
            }
        }
    }
    reqs.fetch_add(1, Ordering::Relaxed);
    if mode == Mode::Silent {
        std::thread::sleep(std::time::Duration::from_secs(20));
        return Ok(());
    }
    if let Some(target) = path.strip_prefix("/redirect") {
        write!(
            conn,
            "HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )?;
        return Ok(());
    }
    let Some(file) = files.get(&path) else {
        write!(
            conn,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )?;
        return Ok(());
    };
    let mut f = std::fs::File::open(file)?;
    let size = f.metadata()?.len();
    let parsed = range.as_deref().and_then(|r| {
        let (a, b) = r.strip_prefix("bytes=")?.split_once('-')?;
        let a: u64 = a.parse().ok()?;
        let b: u64 = if b.is_empty() {
            size - 1
        } else {
            b.parse().ok()?
        };
        Some((a, b.min(size - 1)))
    });
    match (mode, parsed) {
        (Mode::Ranges, Some((a, b))) if a < size && a <= b => {
            let n = b - a + 1;
            write!(
                conn,
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {a}-{b}/{size}\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n"
            )?;
            f.seek(SeekFrom::Start(a))?;
            // Counted before sending, so the count is complete when the client has the bytes.
            sent.fetch_add(n, Ordering::Relaxed);
            std::io::copy(&mut (&mut f).take(n), &mut conn)?;
        }
        _ => {
            // A whole-file answer: announce it all, send 64 KiB, hang up.
            write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n"
            )?;
            sent.fetch_add(size.min(64 << 10), Ordering::Relaxed);
            std::io::copy(&mut (&mut f).take(64 << 10), &mut conn)?;
        }
    }
    Ok(())
}
