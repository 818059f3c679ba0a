//! Files served over HTTP with `Range` support, counting the body bytes sent, and ways to
//! misbehave. `GET /redirect/PATH` answers `302` to `/PATH`; an unknown path is a 404. The
//! server keeps running until the test process ends.

use crate::server::{Reply, Request, TestServer};
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What a whole-file (200) answer sends of the length it announces before hanging up.
const WHOLE_FILE_SENT: u64 = 64 << 10;

/// How the server answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// 206 for ranges.
    Ranges,
    /// Ignores Range: answers 200 with the whole length (but sends only a little).
    NoRanges,
    /// Accepts and never answers.
    Silent,
}

/// A running file server.
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Body bytes sent (counted before sending, so complete once the client has them).
    pub sent: Arc<AtomicU64>,
    /// Requests read.
    pub requests: Arc<AtomicU64>,
}

/// Serves `files` (URL path, such as `/m/x.gguf`, to file) on 127.0.0.1.
pub fn serve(files: HashMap<String, PathBuf>, mode: Mode) -> Server {
    let sent = Arc::new(AtomicU64::new(0));
    let requests = Arc::new(AtomicU64::new(0));
    let (s2, r2) = (sent.clone(), requests.clone());
    let base = TestServer::start(move |r| {
        r2.fetch_add(1, Ordering::Relaxed);
        if mode == Mode::Silent {
            return Reply::Hang;
        }
        answer(r, &files, mode, &s2).unwrap_or(Reply::Close)
    })
    .detach();
    Server {
        base,
        sent,
        requests,
    }
}

/// `bytes=A-B` or `bytes=A-`, clamped to the file.
fn parse_range(range: &str, size: u64) -> Option<(u64, u64)> {
    let (a, b) = range.strip_prefix("bytes=")?.split_once('-')?;
    let a: u64 = a.parse().ok()?;
    let b: u64 = if b.is_empty() {
        size.checked_sub(1)?
    } else {
        b.parse().ok()?
    };
    Some((a, b.min(size.checked_sub(1)?)))
}

fn header(k: &str, v: String) -> (String, String) {
    (k.to_string(), v)
}

fn answer(
    r: &Request,
    files: &HashMap<String, PathBuf>,
    mode: Mode,
    sent: &AtomicU64,
) -> std::io::Result<Reply> {
    if let Some(target) = r.path.strip_prefix("/redirect") {
        return Ok(Reply::Http {
            status: 302,
            headers: vec![header("Location", target.to_string())],
            body: Vec::new(),
        });
    }
    let Some(file) = files.get(&r.path) else {
        return Ok(Reply::status(404));
    };
    let mut f = std::fs::File::open(file)?;
    let size = f.metadata()?.len();
    let range = r.header("range").and_then(|v| parse_range(v, size));
    let mut take = |from: u64, n: u64| -> std::io::Result<Vec<u8>> {
        f.seek(SeekFrom::Start(from))?;
        let mut body = Vec::new();
        (&mut f).take(n).read_to_end(&mut body)?;
        // Counted before sending, so the count is complete when the client has the bytes.
        sent.fetch_add(body.len() as u64, Ordering::Relaxed);
        Ok(body)
    };
    match (mode, range) {
        (Mode::Ranges, Some((a, b))) if a < size && a <= b => Ok(Reply::Http {
            status: 206,
            headers: vec![header("Content-Range", format!("bytes {a}-{b}/{size}"))],
            body: take(a, b - a + 1)?,
        }),
        // A whole-file answer: announce it all, send 64 KiB, hang up.
        _ => Ok(Reply::Short {
            status: 200,
            headers: Vec::new(),
            length: size,
            body: take(0, WHOLE_FILE_SENT)?,
        }),
    }
}
