//! `cabe serve`'s request bodies and heads: a body far over the 64 KiB cap (declared, or
//! streamed chunked without a length), JSON nested deeper than any parser should follow, bytes
//! that are not UTF-8, a field name over lines, a head of 1 MiB. Each is answered with a 4xx
//! within a second (a JSON `{"error": "one line"}` where there is a body to answer), and the
//! server's peak RSS (`VmHWM`, read from /proc before it is stopped) stays under 64 MiB.

use super::*;
use common::server;

/// A request as sent: its head, a chunk of body and how many times the chunk is sent.
type Request = (String, Vec<u8>, usize);

/// The peak resident memory of process `pid`, KiB (`VmHWM`).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

#[test]
fn hostile_requests_to_the_api_are_refused_fast_small_and_in_one_line() {
    let data = tempfile::tempdir().unwrap();
    let s = server::start(data.path());
    let post = |len: &str| {
        format!(
            "POST /api/fit HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n{len}Connection: close\r\n\r\n",
            s.addr
        )
    };
    let json = |body: &[u8]| {
        (
            post(&format!("Content-Length: {}\r\n", body.len())),
            body.to_vec(),
            1,
        )
    };
    let nested = format!("{}{}", "[".repeat(30_000), "]".repeat(30_000));
    let mib = vec![b' '; 1 << 20];
    let cases: Vec<(&str, Request, u16)> = vec![
        (
            "a body of 256 MiB, declared",
            (post("Content-Length: 268435456\r\n"), mib.clone(), 256),
            413,
        ),
        (
            "a body of 256 MiB, chunked",
            (
                post("Transfer-Encoding: chunked\r\n"),
                [b"100000\r\n".as_slice(), &mib, b"\r\n"].concat(),
                256,
            ),
            413,
        ),
        ("JSON nested 30,000 deep", json(nested.as_bytes()), 400),
        (
            "a body that is not UTF-8",
            json(b"{\"model\": \"\xff\"}"),
            400,
        ),
        (
            "a field name over lines",
            json(br#"{"model": "qwen3-0.6b", "memory": "16GB", "a\nb": 1}"#),
            400,
        ),
        (
            "a head of 1 MiB",
            (
                format!(
                    "GET /api/health HTTP/1.1\r\nHost: {}\r\nX-Junk: {}\r\n\r\n",
                    s.addr,
                    "a".repeat(1 << 20)
                ),
                vec![],
                0,
            ),
            431,
        ),
    ];
    let mut report = Vec::new();
    for (label, (head, chunk, n), want) in &cases {
        let t = Instant::now();
        let (status, body) = server::raw_repeated(&s, head, chunk, *n);
        let took = t.elapsed();
        let ctx = format!("{label}: {status} in {took:?}: {body}");
        assert_eq!(status, *want, "{ctx}");
        assert!(took < MAX_TIME, "too slow: {ctx}");
        if !body.is_empty() {
            let v: serde_json::Value = serde_json::from_str(&body).expect(&ctx);
            let e = v["error"].as_str().expect(&ctx);
            assert!(!e.is_empty() && !e.contains('\n'), "{ctx}");
        }
        report.push(format!(
            "{label:<58} {status}  {:>6.1} ms",
            took.as_secs_f64() * 1e3
        ));
    }
    // Still serving, and small.
    let (status, _) = server::call(&s, "GET", "/api/health", None);
    assert_eq!(status, 200);
    let rss = peak_rss_kib(s.child.id());
    assert!(rss < MAX_RSS_KIB, "cabe serve peaked at {rss} KiB");
    report.push(format!("cabe serve's peak RSS: {rss} KiB"));
    eprintln!("{}", report.join("\n"));
}
