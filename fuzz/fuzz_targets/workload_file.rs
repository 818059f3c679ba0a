//! `cabe route --workload FILE`: JSON Lines of task classes, parsed with caps on lines and
//! values.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = cabe_fuzz::workload_file(s) {
        assert!(!e.is_empty());
    }
});
