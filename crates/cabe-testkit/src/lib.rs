//! Test support for cabe's tests, never shipped: HTTP/1.1 servers on 127.0.0.1 (std threads
//! and a `TcpListener`) and the paths of the shared fixtures beside the repository.
//!
//! - [`TestServer`]: one server core whose reply is a closure of the request
//!   (`Fn(&Request) -> Reply`); it records the requests and can answer, delay, hang, drip,
//!   send garbage or hang up early.
//! - [`TestServer::replay`]: a fixed route table on top of it (`(method, path, reply)`).
//! - [`files::serve`]: files served with HTTP `Range` support and misbehaviour modes.
//! - [`dead_port`], [`shared_fixture`], [`shared_fixture_path`].

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

/// The path of a file under `../shared/fixtures/` (beside the repository, or inside it).
pub fn shared_fixture_path(rel: &str) -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for base in ["../../../shared/fixtures", "../../shared/fixtures"] {
        let p = here.join(base).join(rel);
        if p.exists() {
            return p;
        }
    }
    panic!("shared fixture {rel} not found beside the repository");
}

/// A file under `../shared/fixtures/`, read as text.
pub fn shared_fixture(rel: &str) -> String {
    let p = shared_fixture_path(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
