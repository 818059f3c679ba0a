//! The command line's typed value parsers (`--ctx`, `--prompt-tokens`, `--timeout`,
//! `--prefill-rate`, `--kv-type`, `--runtime`, `--flash-attn`) and the memory size parser
//! (`--memory`, `--os-reserve`): Ok, or an error of one line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    for r in cabe_fuzz::value_parsers(s) {
        if let Err(e) = r {
            assert!(!e.contains('\n') || s.contains('\n'), "{e:?}");
        }
    }
});
