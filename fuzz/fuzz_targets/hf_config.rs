//! A Hugging Face `config.json` (beside safetensors files, local or remote):
//! `spec_from_config`, then the weights and quantization label cabe derives from it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(cfg) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    match cabe_scan::safetensors::spec_from_config(&cfg, "model") {
        Ok(spec) => {
            let w = cabe_scan::safetensors::weights(&spec, &[]);
            let _ = cabe_scan::safetensors::quant_label(&cfg, &w);
        }
        Err(e) => assert!(!e.contains('\n'), "{e}"),
    }
});
