//! llama-server's replies as cabe reads them (`cabe doctor --server`, `cabe bench`): the first
//! byte picks the endpoint (`/props`, `/slots`, `/tokenize`, `/completion`), the rest is the
//! body.
#![no_main]

use cabe_bench::server::parse_completion;
use cabe_ollama::http::decode;
use cabe_ollama::llama_server::{Props, Slot};
use libfuzzer_sys::fuzz_target;

fn one_line(e: impl std::fmt::Display) {
    let e = e.to_string();
    assert!(!e.contains('\n'), "{e}");
}

#[derive(serde::Deserialize)]
struct TokenizeReply {
    #[allow(dead_code)]
    tokens: Vec<serde_json::Value>,
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 4 {
        0 => match decode::<Props>(body) {
            Ok(p) => {
                let _ = p.n_ctx_per_slot();
            }
            Err(e) => one_line(e),
        },
        1 => {
            let _ = decode::<Vec<Slot>>(body).map_err(one_line);
        }
        2 => {
            let _ = decode::<TokenizeReply>(body).map_err(one_line);
        }
        _ => {
            let _ = parse_completion(body).map_err(one_line);
        }
    }
});
