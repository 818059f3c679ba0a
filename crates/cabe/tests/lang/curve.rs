//! `cabe curve` in Spanish.

use super::*;

#[test]
fn curve_in_spanish() {
    spanish_and_json(&strings(&[
        &[
            "curve",
            "qwen3-coder-30b-a3b",
            "--on",
            "dgx-spark-128gb",
            "--timeout",
            "300s",
        ],
        &[
            "curve",
            "qwen3-coder-30b-a3b",
            "--on",
            "macbook-pro-m1-8gb",
            "--timeout",
            "5m",
        ],
    ]));
    // The SVG's labels too.
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("c.svg");
    let svg_arg = svg.display().to_string();
    let (code, _, err) = run_in(
        "es",
        &[
            "curve",
            "qwen3-coder-30b-a3b",
            "--on",
            "dgx-spark-128gb",
            "--timeout",
            "300s",
            "--svg",
            &svg_arg,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    let labels: String = text
        .split('>')
        .filter_map(|p| p.split_once("</text").map(|(t, _)| format!("{t}\n")))
        .collect();
    assert!(labels.contains("tiempo hasta el primer token"), "{labels}");
    let english = english_words(&labels);
    assert!(
        english.is_empty(),
        "SVG: English left:\n{}",
        english.join("\n")
    );
    spanish_errors(&strings(&[
        &["curve", "qwen3-coder-30b-a3b", "--memory", "16GB"],
        &[
            "curve",
            "qwen3-coder-30b-a3b",
            "--on",
            "dgx-spark-128gb",
            "--prompt-tokens-max",
            "100",
        ],
    ]));
}
