//! The server core and the route table, driven by a raw client.

mod client;

use cabe_testkit::{dead_port, Reply, TestServer};
use client::{get, send, split};
use std::io::ErrorKind;
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[test]
fn replies_depend_on_the_request_and_requests_are_recorded() {
    let s = TestServer::start(|r| {
        Reply::Json(200, format!(r#"{{"n":{},"x":{}}}"#, r.n, r.json()["x"]))
    });
    let raw = send(
        &s.url,
        "POST",
        "/a",
        &[("X-Test", "yes")],
        r#"{"x":7}"#,
        Duration::from_secs(5),
    )
    .unwrap();
    let (head, body) = split(&raw);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("Content-Type: application/json"), "{head}");
    assert!(head.contains("Content-Length: 13"), "{head}");
    assert_eq!(body, br#"{"n":0,"x":7}"#);
    get(&s.url, "/b", &[]);
    get(&s.url, "/b", &[]);
    let reqs = s.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(
        (reqs[0].method.as_str(), reqs[0].path.as_str()),
        ("POST", "/a")
    );
    assert_eq!(reqs[0].header("x-test"), Some("yes"));
    assert_eq!(reqs[0].body, r#"{"x":7}"#);
    assert_eq!(reqs[2].n, 2);
    assert_eq!((s.hits("/a"), s.hits("/b"), s.hits("/c")), (1, 2, 0));
}

#[test]
fn http_replies_carry_status_headers_and_body() {
    let s = TestServer::start(|_| Reply::Http {
        status: 503,
        headers: vec![("Retry-After".into(), "1".into())],
        body: b"busy".to_vec(),
    });
    let (head, body) = split(&get(&s.url, "/", &[]));
    assert!(
        head.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{head}"
    );
    assert!(head.contains("Retry-After: 1\r\n"), "{head}");
    assert!(head.contains("Content-Length: 4\r\n"), "{head}");
    assert_eq!(body, b"busy");
    let s = TestServer::start(|_| Reply::status(204));
    let (head, body) = split(&get(&s.url, "/", &[]));
    assert!(head.starts_with("HTTP/1.1 204 "), "{head}");
    assert!(body.is_empty());
}

#[test]
fn the_route_table_answers_by_method_and_path_else_404() {
    let s = TestServer::replay(vec![
        ("GET", "/v", Reply::Json(200, "1".into())),
        ("POST", "/v", Reply::Json(201, "2".into())),
    ]);
    assert_eq!(split(&get(&s.url, "/v", &[])).1, b"1");
    let raw = send(&s.url, "POST", "/v", &[], "", Duration::from_secs(5)).unwrap();
    assert!(split(&raw).0.starts_with("HTTP/1.1 201 "));
    let (head, body) = split(&get(&s.url, "/other", &[]));
    assert!(head.starts_with("HTTP/1.1 404 Not Found"), "{head}");
    assert_eq!(body, br#"{"error":"not found"}"#);
}

#[test]
fn hang_never_answers_and_ends_when_the_server_is_dropped() {
    let s = TestServer::start(|_| Reply::Hang);
    let t = Instant::now();
    let e = send(&s.url, "GET", "/", &[], "", Duration::from_millis(300)).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{e}"
    );
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(s.hits("/"), 1);
    // Once dropped, the hung connection is closed and nothing listens any more.
    let url = s.url.clone();
    let mut c = TcpStream::connect(url.strip_prefix("http://").unwrap()).unwrap();
    std::io::Write::write_all(&mut c, b"GET / HTTP/1.1\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    drop(s);
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut c, &mut out).unwrap();
    assert!(out.is_empty());
    std::thread::sleep(Duration::from_millis(100));
    assert!(TcpStream::connect(url.strip_prefix("http://").unwrap()).is_err());
}

#[test]
fn drip_sends_headers_then_a_byte_at_a_time() {
    let s = TestServer::start(|_| Reply::Drip(Duration::from_millis(50)));
    let mut c = TcpStream::connect(s.url.strip_prefix("http://").unwrap()).unwrap();
    std::io::Write::write_all(&mut c, b"GET / HTTP/1.1\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    c.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = std::io::Read::read(&mut c, &mut buf).unwrap();
    let (head, body) = split(&buf[..n]);
    assert!(head.contains("Content-Length: 1000000"), "{head}");
    assert!(
        !body.is_empty() && body.len() < 20 && body.iter().all(|&b| b == b' '),
        "{body:?}"
    );
}

#[test]
fn raw_replies_send_garbage_and_close_sends_nothing() {
    let s = TestServer::start(|_| Reply::Raw(b"garbage\r\n\r\n".to_vec()));
    assert_eq!(get(&s.url, "/", &[]), b"garbage\r\n\r\n");
    let s = TestServer::start(|_| Reply::Close);
    assert!(get(&s.url, "/", &[]).is_empty());
}

#[test]
fn short_replies_announce_more_than_they_send() {
    let s = TestServer::start(|_| Reply::Short {
        status: 200,
        headers: Vec::new(),
        length: 1000,
        body: b"abc".to_vec(),
    });
    let (head, body) = split(&get(&s.url, "/", &[]));
    assert!(head.contains("Content-Length: 1000\r\n"), "{head}");
    assert_eq!(body, b"abc");
}

#[test]
fn delayed_replies_wait_first() {
    let s = TestServer::start(|_| Reply::Json(200, "{}".into()).after(Duration::from_millis(300)));
    let t = Instant::now();
    assert_eq!(split(&get(&s.url, "/", &[])).1, b"{}");
    assert!(t.elapsed() >= Duration::from_millis(300));
}

#[test]
fn a_dead_port_refuses_connections() {
    assert!(TcpStream::connect(("127.0.0.1", dead_port())).is_err());
}

#[test]
fn fixtures_are_found_in_the_repository() {
    let p = cabe_testkit::fixture_path("ollama/api_version_0.11.6.json");
    assert!(p.is_file(), "{}", p.display());
    assert!(cabe_testkit::fixture_text("ollama/api_version_0.11.6.json").contains("version"));
}

#[test]
#[should_panic(expected = "fixture ollama/no-such-file.json is missing")]
fn a_missing_fixture_fails_the_test() {
    cabe_testkit::fixture_path("ollama/no-such-file.json");
}
