//! A GGUF behind a URL: `cabe_scan::remote::read_gguf_url_with` through an in-memory server
//! (`FakeServer`: the input is the server's quirks, its claimed size and the file), covering
//! the range reader's checks of status, `Content-Range` and bodies, and the split-model path
//! when the input asks for a split name.
#![no_main]

use cabe_fuzz::FakeServer;
use cabe_scan::http::{RemoteLimits, Transport};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    if FakeServer::from_script(data).is_none() {
        return;
    }
    // Quirk byte's top bit is spent on the body; the request byte's picks the name.
    let split = data[1] & 0x80 != 0;
    let url = if split {
        "http://h/m-00001-of-00002.gguf"
    } else {
        "http://h/m.gguf"
    };
    let limits = RemoteLimits {
        timeout: Duration::from_secs(3600),
        max_bytes: 4 << 20,
    };
    let file = data.to_vec();
    let r = cabe_scan::remote::read_gguf_url_with(url, &limits, |_| -> Box<dyn Transport> {
        // Each shard gets the same server, fresh.
        Box::new(FakeServer::from_script(&file).expect("parsed once"))
    });
    match r {
        Ok(m) => assert!(m.bytes_read <= limits.max_bytes),
        Err(e) => assert!(!e.contains('\n'), "{e}"),
    }
});
