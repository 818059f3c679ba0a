//! Ollama's API replies as cabe reads them (`cabe doctor`, `cabe bench`): the first byte picks
//! the endpoint, the rest is the body. `/api/show` goes on to the model spec cabe builds from
//! it (`show_to_gguf`, `cabe_bench::server::predict_model`), `/api/generate` to the timings.
#![no_main]

use cabe_bench::server::{parse_generate, predict_model, ServerModel};
use cabe_ollama::api::{show_to_gguf, PsReply, ShowReply, TagsReply, VersionReply};
use cabe_ollama::http::decode;
use libfuzzer_sys::fuzz_target;

fn one_line(e: impl std::fmt::Display) {
    let e = e.to_string();
    assert!(!e.contains('\n'), "{e}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 5 {
        0 => {
            let _ = decode::<VersionReply>(body).map_err(one_line);
        }
        1 => {
            let _ = decode::<TagsReply>(body).map_err(one_line);
        }
        2 => {
            let _ = decode::<PsReply>(body).map_err(one_line);
        }
        3 => match decode::<ShowReply>(body) {
            Ok(show) => {
                let _ = show.num_ctx();
                if let Some(f) = show_to_gguf(&show) {
                    let _ = (f.params_total(), f.tensor_data_bytes());
                }
                if let Some(mf) = &show.modelfile {
                    let _ = cabe_bench::server::modelfile_from(mf);
                    let _ = cabe_ollama::modelfile::Modelfile::parse(mf);
                }
                let m = ServerModel {
                    name: "m".into(),
                    show: Some(show),
                    ..Default::default()
                };
                let _ = predict_model(&m).map_err(one_line);
            }
            Err(e) => one_line(e),
        },
        _ => {
            let _ = parse_generate(body).map_err(one_line);
        }
    }
});
