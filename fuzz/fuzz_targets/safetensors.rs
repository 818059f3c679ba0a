//! A safetensors header: `cabe_scan::safetensors::read_header`. The first byte picks: even,
//! a local file (`[u64 file size][first bytes]`, the rest zeros); odd, the file behind the
//! range reader on an in-memory server (`FakeServer` script).
#![no_main]

use cabe_fuzz::{sized, FakeServer, SparseFile};
use cabe_scan::counting::Counter;
use cabe_scan::http::{RangeReader, RemoteLimits};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fn check(r: Result<cabe_scan::safetensors::StHeader, String>) {
    match r {
        Ok(h) => {
            assert!(h.header_bytes <= h.file_size);
            for t in &h.tensors {
                assert!(t.bytes <= h.file_size);
            }
        }
        Err(e) => assert!(!e.contains('\n'), "{e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        let Some((size, bytes)) = sized(rest) else {
            return;
        };
        check(cabe_scan::safetensors::read_header(
            SparseFile::new(bytes, size),
            size,
        ));
        return;
    }
    let Some(server) = FakeServer::from_script(rest) else {
        return;
    };
    let limits = RemoteLimits {
        timeout: Duration::from_secs(3600),
        max_bytes: 4 << 20,
    };
    if let Ok(r) = RangeReader::with_transport(
        "http://h/model.safetensors",
        limits,
        Counter::default(),
        Box::new(server),
    ) {
        let size = r.size();
        check(cabe_scan::safetensors::read_header(r, size));
    }
});
