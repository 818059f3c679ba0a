//! Ollama Modelfiles (`cabe doctor`, `/api/show`'s `modelfile` and `parameters`): parse, and
//! what `render` writes (what `doctor --apply` saves) must parse back to the same commands.
#![no_main]

use cabe_ollama::modelfile::{parse_show_parameters, Modelfile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_show_parameters(text);
    match Modelfile::parse(text) {
        Ok(m) => {
            let _ = (m.from(), m.parameter("num_ctx"), m.parameters().count());
            let written = m.render();
            let again = Modelfile::parse(&written)
                .unwrap_or_else(|e| panic!("render wrote what parse refuses: {e}\n{written}"));
            assert_eq!(m, again, "render changed the commands:\n{written}");
        }
        Err(e) => assert!(!e.to_string().contains('\n'), "{e}"),
    }
});
