//! `cabe route`'s files: `--workload FILE` (JSON Lines of task classes, parsed with caps on
//! lines and values) and `--cloud-prices FILE` (data/cloud.toml's format), each given the
//! same text. An error is one line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn one_line(e: String) {
    assert!(!e.is_empty() && !e.contains('\n'), "{e}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cabe_fuzz::workload_file(s).map_err(one_line);
    let _ = cabe_catalog::cloud::parse_cloud(s).map_err(one_line);
});
