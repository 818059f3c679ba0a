//! The range file server: 206 with the asked bytes, a short 200 without ranges, redirects,
//! 404, silence, and the counts the tests read.

mod client;

use cabe_testkit::files::{serve, Mode};
use client::{get, send, split};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A 200 KiB file of a known pattern.
fn file(dir: &tempfile::TempDir) -> (PathBuf, Vec<u8>) {
    let bytes: Vec<u8> = (0..200u32 << 10).map(|i| (i % 251) as u8).collect();
    let p = dir.path().join("f.bin");
    std::fs::write(&p, &bytes).unwrap();
    (p, bytes)
}

#[test]
fn ranges_are_answered_with_206_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (p, bytes) = file(&dir);
    let size = bytes.len();
    let srv = serve(HashMap::from([("/d/f.bin".to_string(), p)]), Mode::Ranges);
    let (head, body) = split(&get(&srv.base, "/d/f.bin", &[("Range", "bytes=100-199")]));
    assert!(head.starts_with("HTTP/1.1 206 Partial Content"), "{head}");
    assert!(
        head.contains(&format!("Content-Range: bytes 100-199/{size}")),
        "{head}"
    );
    assert!(head.contains("Content-Length: 100\r\n"), "{head}");
    assert!(body == bytes[100..200]);
    // Open-ended and overlong ranges are clamped to the file.
    let (head, body) = split(&get(&srv.base, "/d/f.bin", &[("range", "bytes=204700-")]));
    assert!(
        head.contains(&format!("bytes 204700-{}/{size}", size - 1)),
        "{head}"
    );
    assert!(body == bytes[204700..]);
    let (_, body) = split(&get(
        &srv.base,
        "/d/f.bin",
        &[("Range", "bytes=204790-999999")],
    ));
    assert!(body == bytes[204790..]);
    // A range that starts past the end gets the whole-file answer.
    let (head, body) = split(&get(&srv.base, "/d/f.bin", &[("Range", "bytes=300000-")]));
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(body == bytes[..64 << 10]);
    assert_eq!(
        srv.sent.load(Ordering::Relaxed),
        100 + 100 + 10 + (64 << 10)
    );
    assert_eq!(srv.requests.load(Ordering::Relaxed), 4);
}

#[test]
fn without_a_range_or_without_range_support_the_whole_length_is_announced_but_64k_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (p, bytes) = file(&dir);
    for (mode, range) in [(Mode::Ranges, None), (Mode::NoRanges, Some("bytes=0-99"))] {
        let srv = serve(HashMap::from([("/f".to_string(), p.clone())]), mode);
        let headers: Vec<(&str, &str)> = range.map(|r| ("Range", r)).into_iter().collect();
        let (head, body) = split(&get(&srv.base, "/f", &headers));
        assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
        assert!(
            head.contains(&format!("Content-Length: {}\r\n", bytes.len())),
            "{head}"
        );
        assert!(body == bytes[..64 << 10]);
        assert_eq!(srv.sent.load(Ordering::Relaxed), 64 << 10);
    }
}

#[test]
fn redirects_unknown_paths_and_silence() {
    let dir = tempfile::tempdir().unwrap();
    let (p, _) = file(&dir);
    let srv = serve(HashMap::from([("/f".to_string(), p)]), Mode::Ranges);
    let (head, _) = split(&get(&srv.base, "/redirect/f", &[]));
    assert!(head.starts_with("HTTP/1.1 302 Found"), "{head}");
    assert!(head.contains("Location: /f\r\n"), "{head}");
    let (head, body) = split(&get(&srv.base, "/nope", &[]));
    assert!(head.starts_with("HTTP/1.1 404 Not Found"), "{head}");
    assert!(body.is_empty());
    assert_eq!(srv.sent.load(Ordering::Relaxed), 0);

    let srv = serve(HashMap::new(), Mode::Silent);
    let e = send(&srv.base, "GET", "/x", &[], "", Duration::from_millis(300)).unwrap_err();
    assert!(matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    ));
    assert_eq!(srv.requests.load(Ordering::Relaxed), 1);
}

#[test]
fn the_server_outlives_its_handle() {
    let dir = tempfile::tempdir().unwrap();
    let (p, bytes) = file(&dir);
    let base = serve(HashMap::from([("/f".to_string(), p)]), Mode::Ranges).base;
    let (_, body) = split(&get(&base, "/f", &[("Range", "bytes=0-9")]));
    assert!(body == bytes[..10]);
}
