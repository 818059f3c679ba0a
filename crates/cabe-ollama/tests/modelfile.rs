//! Every real Modelfile in `tests/fixtures/ollama/modelfiles/` (the `modelfile` field of
//! recorded /api/show replies, and Ollama's own test Modelfile) parses, and writes back to the
//! same commands.

use cabe_ollama::modelfile::{Command, Modelfile};
use cabe_testkit::fixture_text;

const FILES: &[&str] = &[
    "deepseek-r1-14b_compact.modelfile.txt",
    "deepseek-r1-7b_compact.modelfile.txt",
    "dolphin3-8b_llama.modelfile.txt",
    "gemma3-1b.modelfile.txt",
    "gemma3n-e2b.modelfile.txt",
    "llama3.1-latest_compact.modelfile.txt",
    "nomic-embed-text-latest_compact.modelfile.txt",
    "ollama_api-data_llama-2-tiny-random.Modelfile",
    "phi4-latest_compact.modelfile.txt",
    "qwen2.5vl-7b.modelfile.txt",
    "qwen3-1.7b.modelfile.txt",
];

fn parse(name: &str) -> Modelfile {
    let text = fixture_text(&format!("ollama/modelfiles/{name}"));
    Modelfile::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn all_recorded_modelfiles_parse_and_round_trip() {
    for f in FILES {
        let m = parse(f);
        assert!(m.from().is_some(), "{f}: no FROM");
        let again = Modelfile::parse(&m.render()).unwrap_or_else(|e| panic!("{f} rendered: {e}"));
        assert_eq!(again, m, "{f}");
    }
}

#[test]
fn what_the_recorded_modelfiles_say() {
    let m = parse("nomic-embed-text-latest_compact.modelfile.txt");
    assert_eq!(m.parameter("num_ctx"), Some("8192"));
    let m = parse("qwen3-1.7b.modelfile.txt");
    assert!(m.from().unwrap().contains("sha256-"));
    assert_eq!(m.parameter("temperature"), Some("0.6"));
    let stops: Vec<&str> = m
        .parameters()
        .filter(|p| p.0 == "stop")
        .map(|p| p.1)
        .collect();
    assert_eq!(stops, ["<|im_start|>", "<|im_end|>"]);
    assert!(m
        .commands
        .iter()
        .any(|c| matches!(c, Command::Template { value } if value.contains(".Messages"))));
    let m = parse("dolphin3-8b_llama.modelfile.txt");
    assert!(m
        .from()
        .unwrap()
        .starts_with("C:\\Users\\work\\.ollama\\models\\blobs\\sha256-"));
    assert!(m
        .commands
        .iter()
        .any(|c| matches!(c, Command::System { .. })));
    let m = parse("ollama_api-data_llama-2-tiny-random.Modelfile");
    assert_eq!(m.from(), Some("llama-2-tiny-random.gguf"));
    assert_eq!(m.parameter("seed"), Some("42"));
}

/// Values the fuzzer (`fuzz/fuzz_targets/modelfile.rs`) found `render` writing so that they
/// no longer parse, or parse to something else; each must round-trip.
#[test]
fn values_that_end_in_a_quote_or_span_lines_round_trip() {
    let found = [
        // The fuzzer's input, its NULs kept: `SYSTEM …ut}""` was written `"""…ut}"""""`,
        // which the first `"""` ends, leaving `""` after it.
        "FROM llama\0\0-2-\0\0 }}\"\"\"\nSYSTEM ce\0\0ut}\"\" \nSYSTEM ze\0\0ute(\0@\0ETER stop bar",
        "FROM m\nSYSTEM say \"hi\"",
        "FROM m\nTEMPLATE \"a\nb\\\"\"",
        "FROM m\nMESSAGE user \"line one\nline \\\"two\\\"\"",
        // A FROM (or ADAPTER, DRAFT …) value with a newline, a space or a leading quote.
        "FROM \"/models/a\nb.gguf\"",
        "FROM \"/my models/a.gguf\"\nADAPTER \"\\\"x\"",
        "FROM \"\"\nDRAFT \"\"\"d\ne\"\"\"",
    ];
    for text in found {
        let m = Modelfile::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let written = m.render();
        let again =
            Modelfile::parse(&written).unwrap_or_else(|e| panic!("{text:?} → {written:?}: {e}"));
        assert_eq!(again, m, "{text:?} → {written:?}");
    }
}
