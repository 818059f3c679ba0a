//! A GGUF file on disk: `cabe_gguf::read_from` on `[u64 file size][header bytes]` (the rest of
//! the file zeros), then what cabe makes of a header that reads: the model spec and weights.
#![no_main]

use cabe_fuzz::{sized, SparseFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((size, bytes)) = sized(data) else {
        return;
    };
    match cabe_gguf::read_from(SparseFile::new(bytes, size), size) {
        Ok(f) => {
            // Every error is one line.
            let _ = (f.params_total(), f.tensor_data_bytes(), f.header_bytes());
            let _ = (
                f.architecture(),
                f.file_type(),
                f.arch_key("context_length"),
            );
            if let Ok(spec) = cabe_gguf::spec::model_spec(&f, &f.tensors) {
                let w = cabe_gguf::spec::file_weights(&spec, &f.tensors);
                let _ = w.bits_per_weight();
            }
        }
        Err(e) => assert!(!e.to_string().contains('\n'), "{e}"),
    }
});
