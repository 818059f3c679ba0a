//! Test support for cabe's tests, never shipped: HTTP/1.1 servers on 127.0.0.1 (std threads
//! and a `TcpListener`) and the paths of the recorded fixtures in `tests/fixtures/`.
//!
//! - [`TestServer`]: one server core whose reply is a closure of the request
//!   (`Fn(&Request) -> Reply`); it records the requests and can answer, delay, hang, drip,
//!   send garbage or hang up early.
//! - [`TestServer::replay`]: a fixed route table on top of it (`(method, path, reply)`).
//! - [`files::serve`]: files served with HTTP `Range` support and misbehaviour modes.
//! - [`fake_llm`]: handlers that play a llama-server or an Ollama with timings per prompt size.
//! - [`dead_port`], [`fixture_text`], [`fixture_path`].

pub mod fake_llm;
pub mod files;
mod routes;
mod server;

pub use routes::Route;
pub use server::{Reply, Request, TestServer};

use std::path::PathBuf;

/// A port on 127.0.0.1 where nothing listens (bound, then released): to be refused, or to
/// start a real server on.
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    l.local_addr().expect("addr").port()
}

/// The repository's fixture directory, `tests/fixtures/` (see `tests/fixtures/SOURCES.md`).
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The path of a file under `tests/fixtures/`. A missing file fails the test.
pub fn fixture_path(rel: &str) -> PathBuf {
    let p = fixtures_dir().join(rel);
    assert!(
        p.exists(),
        "fixture {rel} is missing: expected {} (tests/fixtures/ is part of the repository; \
         see tests/fixtures/SOURCES.md)",
        p.display()
    );
    p
}

/// A file under `tests/fixtures/`, read as text.
pub fn fixture_text(rel: &str) -> String {
    let p = fixture_path(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
