//! The range reader against an in-memory server (`http::Transport`) that lies: every reply
//! that does not match the request is a one-line error, never a panic or a wrong read.

use cabe_scan::counting::Counter;
use cabe_scan::http::{parse_content_range, RangeReader, RangeReply, RemoteLimits, Transport};
use std::io::{self, Read};
use std::time::Duration;

/// Serves `file`, with `lie` rewriting (status, Content-Range, body) of each answer.
struct Lying<F: FnMut(u16, String, Vec<u8>) -> (u16, String, Vec<u8>)> {
    file: Vec<u8>,
    lie: F,
}

impl<F: FnMut(u16, String, Vec<u8>) -> (u16, String, Vec<u8>)> Transport for Lying<F> {
    fn get_range(&mut self, _: &str, start: u64, end: u64, _: Duration) -> io::Result<RangeReply> {
        let last = end.min(self.file.len() as u64 - 1);
        let body = self.file[start as usize..=last as usize].to_vec();
        let cr = format!("bytes {start}-{last}/{}", self.file.len());
        let (status, cr, body) = (self.lie)(206, cr, body);
        Ok(RangeReply {
            status,
            content_range: Some(cr),
            body: Box::new(io::Cursor::new(body)),
        })
    }
}

fn read_all<F>(file: &[u8], lie: F) -> Result<Vec<u8>, String>
where
    F: FnMut(u16, String, Vec<u8>) -> (u16, String, Vec<u8>) + 'static,
{
    let t = Lying {
        file: file.to_vec(),
        lie,
    };
    let limits = RemoteLimits {
        timeout: Duration::from_secs(10),
        max_bytes: 1 << 20,
    };
    let mut r = RangeReader::with_transport("http://h/f", limits, Counter::default(), Box::new(t))
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    r.read_to_end(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

#[test]
fn an_honest_server_gives_the_file() {
    let file: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
    assert_eq!(read_all(&file, |s, c, b| (s, c, b)).unwrap(), file);
}

/// Rewrites one answer: (status, Content-Range, body).
type Lie = Box<dyn FnMut(u16, String, Vec<u8>) -> (u16, String, Vec<u8>)>;

#[test]
fn each_lie_is_a_one_line_error() {
    let file = vec![7u8; 1000];
    let cases: Vec<(&str, Lie)> = vec![
        ("answered 200", Box::new(|_, c, b| (200, c, b))),
        (
            "unusable Content-Range",
            Box::new(|s, _, b| (s, "bytes */1000".into(), b)),
        ),
        (
            "asked for bytes 0-65535, got",
            Box::new(|s, _, b| (s, "bytes 1-999/1000".into(), b)),
        ),
        (
            "asked for bytes 0-65535, got",
            Box::new(|s, _, b| (s, "bytes 0-70000/100000".into(), b)),
        ),
        (
            "asked for bytes 0-65535, got",
            Box::new(|s, _, b| (s, "bytes 5-4/1000".into(), b)),
        ),
        (
            "after 999 of the 1000 bytes",
            Box::new(|s, c, mut b| {
                b.pop();
                (s, c, b)
            }),
        ),
    ];
    for (says, lie) in cases {
        let e = read_all(&file, lie).unwrap_err();
        assert!(e.contains(says), "{says}: {e}");
        assert!(!e.contains('\n'), "{e}");
    }
}

#[test]
fn content_range_is_parsed_strictly() {
    assert_eq!(
        parse_content_range("bytes 0-99/1000"),
        Some((0, 99, Some(1000)))
    );
    assert_eq!(parse_content_range("bytes 0-99/*"), Some((0, 99, None)));
    for bad in [
        "bytes 0-99",
        "0-99/1000",
        "bytes -1-99/1000",
        "bytes a-b/1",
        "",
    ] {
        assert_eq!(parse_content_range(bad), None, "{bad}");
    }
}
