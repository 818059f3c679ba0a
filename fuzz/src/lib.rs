//! What the fuzz targets share: a file of a given size from a few header bytes, an in-memory
//! HTTP server for the range reader, and the `cabe` command line's modules compiled as a
//! library (the binary has no library target), with the few entry points the targets call.

// The command line's modules, exactly as `crates/cabe/src/main.rs` declares them (build.rs);
// most of their items are unused here.
#![allow(dead_code, unused_imports, clippy::all)]

include!(concat!(env!("OUT_DIR"), "/cabe_modules.rs"));

use cabe_scan::http::{RangeReply, RemoteError, Transport};
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::Once;
use std::time::Duration;

/// The largest file a target makes up: 1 TiB, past any model.
pub const MAX_VIRTUAL_SIZE: u64 = 1 << 40;

/// Splits the fuzz input into a claimed file size (its first 8 bytes, little-endian, at
/// least the bytes given and at most [`MAX_VIRTUAL_SIZE`]) and the file's first bytes.
/// Seeds are a model's header with the real file's size, so the tensor data (never read)
/// need not be stored.
pub fn sized(data: &[u8]) -> Option<(u64, &[u8])> {
    let (head, bytes) = data.split_first_chunk::<8>()?;
    let size = u64::from_le_bytes(*head).clamp(bytes.len() as u64, MAX_VIRTUAL_SIZE);
    Some((size, bytes))
}

/// The zeros a [`SparseFile`] gives after its bytes before it ends early.
pub const ZERO_TAIL: u64 = 16 << 20;

/// A file of `size` bytes: `bytes`, then zeros (at most [`ZERO_TAIL`] of them are read).
pub struct SparseFile<'a> {
    bytes: &'a [u8],
    size: u64,
    pos: u64,
}

impl<'a> SparseFile<'a> {
    pub fn new(bytes: &'a [u8], size: u64) -> SparseFile<'a> {
        SparseFile {
            bytes,
            size: size.max(bytes.len() as u64),
            pos: 0,
        }
    }
}

impl Read for SparseFile<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.size.saturating_sub(self.pos);
        let n = (buf.len() as u64).min(left) as usize;
        // The given bytes from `pos` on, then zeros, at most 1 MiB of them a call (a short
        // read is a reader's right): a header of 256 MiB of zeros read 4 KiB at a time took
        // over a second.
        let from =
            usize::try_from(self.pos).map_or(&[][..], |p| self.bytes.get(p..).unwrap_or(&[]));
        // Past 16 MiB of zeros the file ends early (as a truncated file or a server that
        // stated more than it sends): the reader's bounds use the stated size, and a header
        // string or array as long as that size allows (1 GiB) is not read from zeros.
        let tail_end = self.bytes.len() as u64 + ZERO_TAIL;
        if from.is_empty() && self.pos >= tail_end {
            return Ok(0);
        }
        let n = if from.is_empty() {
            n.min(1 << 20).min((tail_end - self.pos) as usize)
        } else {
            n.min(from.len())
        };
        if from.is_empty() {
            buf[..n].fill(0);
        } else {
            buf[..n].copy_from_slice(&from[..n]);
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SparseFile<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let p = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
        };
        self.pos = p.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "bad seek"))?;
        Ok(self.pos)
    }
}

/// How the in-memory server misbehaves; each bit of the first script byte turns one on.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quirks(pub u8);

impl Quirks {
    fn on(self, bit: u8) -> bool {
        self.0 & (1 << bit) != 0
    }
}

/// An HTTP server holding one file, answering range requests, driven by a fuzz input:
/// `[quirks][request k][u64 claimed total][file bytes]`. Quirks: 0 total `*`; 1 the claimed
/// total instead of the real one; 2 request k answers 200; 3 request k starts one byte late;
/// 4 request k ends past what was asked; 5 request k's body is one byte short; 6 request k
/// fails (an I/O error); 7 every reply's body is empty.
pub struct FakeServer {
    file: Vec<u8>,
    size: u64,
    quirks: Quirks,
    k: u8,
    claimed: u64,
    requests: u8,
}

impl FakeServer {
    /// The server and the bytes of its file, or None when the input is too short.
    pub fn from_script(data: &[u8]) -> Option<FakeServer> {
        let (&[q, k], rest) = data.split_first_chunk::<2>()?;
        let (claimed, file) = rest.split_first_chunk::<8>()?;
        Some(FakeServer {
            file: file.to_vec(),
            size: file.len() as u64,
            quirks: Quirks(q),
            k,
            claimed: u64::from_le_bytes(*claimed),
            requests: 0,
        })
    }
}

impl Transport for FakeServer {
    fn get_range(
        &mut self,
        _url: &str,
        start: u64,
        end: u64,
        _timeout: Duration,
    ) -> io::Result<RangeReply> {
        let this = self.requests == self.k;
        self.requests = self.requests.wrapping_add(1);
        let q = self.quirks;
        if this && q.on(6) {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                RemoteError {
                    kind: io::ErrorKind::ConnectionReset,
                    message: "connection reset".into(),
                },
            ));
        }
        let total = if q.on(0) {
            "*".to_string()
        } else if q.on(1) {
            self.claimed.to_string()
        } else {
            self.size.to_string()
        };
        let a = if this && q.on(3) { start + 1 } else { start };
        let mut b = end.min(self.size.saturating_sub(1));
        if this && q.on(4) {
            b = end + 1;
        }
        let last = b.min(self.size.saturating_sub(1));
        let body: Vec<u8> = if q.on(7) || a >= self.size || a > last {
            Vec::new()
        } else {
            let mut v = self.file[a as usize..=last as usize].to_vec();
            if this && q.on(5) {
                v.pop();
            }
            v
        };
        Ok(RangeReply {
            status: if this && q.on(2) { 200 } else { 206 },
            content_range: Some(format!("bytes {a}-{b}/{total}")),
            body: Box::new(io::Cursor::new(body)),
        })
    }
}

/// Points `cabe` at an empty data directory (no calibration, no bench history), once, so a
/// target reads nothing of the user's.
pub fn empty_data_dir() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let dir = std::env::temp_dir().join(format!("cabe-fuzz-data-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        std::env::set_var(cabe_bench::datadir::DATA_DIR_ENV, &dir);
    });
}

/// The command line's typed value parsers (`crates/cabe/src/flags.rs`) and the memory size
/// parser behind `--memory` and `--os-reserve`, each on `s`; every one must answer Ok or a
/// one-line Err, in English and in Spanish (each error is given as both: "English / Spanish").
pub fn value_parsers(s: &str) -> Vec<Result<String, String>> {
    fn both(e: i18n::Msg) -> String {
        format!("{} / {}", e, e.text(cabe_i18n::Lang::Es))
    }
    vec![
        flags::ctx(s).map(|c| format!("{c:?}")).map_err(both),
        flags::tokens(s).map(|n| n.to_string()).map_err(both),
        flags::duration(s).map(|d| d.to_string()).map_err(both),
        flags::rate(s).map(|r| r.to_string()).map_err(both),
        flags::kv_type(s).map(|k| k.name().to_string()).map_err(both),
        flags::runtime(s).map(|r| format!("{r:?}")).map_err(both),
        flags::on_off(s).map(|b| b.to_string()).map_err(both),
        cabe_core::units::parse_size(s, false).map(|(n, _)| n.to_string()),
        cabe_core::units::parse_size(s, true).map(|(n, _)| n.to_string()),
    ]
}

/// `cabe route`'s workload file parser (`crates/cabe/src/workload_file.rs`).
pub fn workload_file(text: &str) -> Result<usize, String> {
    workload_file::parse(text).map(|t| t.len())
}

/// `cabe serve`'s HTTP layer (`cabe-serve`: its checks and body limits) in front of the
/// command line's request handling (`crates/cabe/src/serve.rs`), without a socket.
pub fn serve_router() -> axum::Router {
    empty_data_dir();
    let addr: std::net::SocketAddr = "127.0.0.1:8431".parse().unwrap();
    cabe_serve::router(
        std::sync::Arc::new(serve::Engine),
        addr,
        &cabe_serve::Options::new(addr),
    )
}
