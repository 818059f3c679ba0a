//! Errors in Spanish: one line, no English, the same exit codes as in English.

use super::*;

/// Errors in Spanish: usage mistakes (clap's, re-worded), flag values, catalog misses with
/// their suggestions, GGUF files that cannot be read; one line each, the exit code as in
/// English, and the English text unchanged.
#[test]
fn errors_in_spanish_are_one_line_with_no_english() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.gguf");
    std::fs::write(&bad, b"not a gguf file at all, just text").unwrap();
    let bad = bad.to_str().unwrap().to_string();
    let dir_path = dir.path().to_str().unwrap().to_string();
    let missing = dir
        .path()
        .join("missing.gguf")
        .to_str()
        .unwrap()
        .to_string();
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["fit", "qwen3-cdr"],
            1,
            "modelo desconocido 'qwen3-cdr'; parecidos: qwen3-coder-30b-a3b",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--on", "mac-x"],
            1,
            "máquina desconocida 'mac-x'",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--ctx", "lots"],
            2,
            "valor no válido 'lots' para `--ctx <CTX>`",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--ctx", "999999999"],
            2,
            "de 1 a 67.108.864 tokens",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--memory", "64XB"],
            1,
            "no es un tamaño",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--memory", "0GB"],
            1,
            "debe ser mayor que 0",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--bogus"],
            2,
            "argumento inesperado `--bogus`",
        ),
        (vec!["fitt"], 2, "orden desconocida `fitt`"),
        (vec!["fit"], 2, "faltan argumentos obligatorios: <MODEL>"),
        (
            vec!["fit", "x", "--on", "a", "--memory", "3GB"],
            2,
            "no se puede usar con",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--runtime", "vllm"],
            2,
            "programa desconocido 'vllm'",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--quant", "Q9"],
            1,
            "cuantización desconocida 'Q9'",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--kv-type", "q3"],
            2,
            "tipo de KV desconocido",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--flash-attn", "maybe"],
            2,
            "no es `on` ni `off`",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--timeout", "soon"],
            2,
            "no es una duración",
        ),
        (
            vec!["fit", "qwen3-coder-30b-a3b", "--prefill-rate", "-3"],
            2,
            "número positivo de tokens por segundo",
        ),
        (vec!["fit", &bad], 1, "no es un archivo GGUF"),
        (
            vec!["fit", &missing],
            1,
            "no se puede abrir: no existe el archivo",
        ),
        (vec!["fit", &dir_path], 1, "es una carpeta, no un archivo"),
        (
            vec!["fit", &bad, "--quant", "Q8_0"],
            1,
            "--quant se aplica a los modelos del catálogo",
        ),
    ];
    for (args, code, want) in cases {
        let mut es_args = args.clone();
        es_args.extend(["--lang", "es"]);
        let (got_code, err) = run_failing(&es_args, &[]);
        assert_eq!(got_code, code, "cabe {es_args:?}: {err}");
        assert_eq!(
            err.lines().count(),
            1,
            "cabe {es_args:?}: not one line:\n{err}"
        );
        assert!(err.starts_with("cabe: error: "), "cabe {es_args:?}: {err}");
        assert!(
            err.contains(want),
            "cabe {es_args:?}: missing {want:?} in:\n{err}"
        );
        let english = english_words(&err);
        assert!(
            english.is_empty(),
            "cabe {es_args:?}: English left:\n{}",
            english.join("\n")
        );
        // English as before, and not Spanish.
        let (en_code, en) = run_failing(&args, &[]);
        assert_eq!(en_code, code, "cabe {args:?}: {en}");
        assert!(
            !en.contains(want),
            "cabe {args:?}: Spanish in English:\n{en}"
        );
        assert!(!en.contains("véase"), "cabe {args:?}: {en}");
    }
    // The same error from the environment's language.
    let (_, err) = run_failing(&["fit", "qwen3-cdr"], &[("CABE_LANG", "es")]);
    assert!(err.contains("modelo desconocido"), "{err}");
    let (_, err) = run_failing(&["fit", "qwen3-cdr"], &[]);
    assert!(
        err.contains("unknown model 'qwen3-cdr'; did you mean: "),
        "{err}"
    );
}
/// doctor's own refusals (raised in the command line, not by a crate): one Spanish line, the
/// same refusal in English as before.
#[test]
fn doctor_own_refusals_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().display().to_string();
    let cases: Vec<(Vec<&str>, &str)> =
        vec![
        (
            vec!["doctor", "qwen3-coder:30b", "--prompt-tokens", "0"],
            "--prompt-tokens must be at least 1",
        ),
        (
            vec!["doctor", "qwen3-coder:30b", "--num-ctx", "0"],
            "--num-ctx must be at least 1",
        ),
        (
            vec!["doctor", "--catalog"],
            "--catalog: name a catalog model (see cabe models), e.g. qwen3-coder-30b-a3b",
        ),
        (
            vec!["doctor"],
            "name an Ollama model (e.g. cabe doctor qwen3-coder:30b), or give --llama-server URL",
        ),
        (
            vec!["doctor", "qwen3-coder-30b-a3b", "--catalog", "--runtime", "llama-server"],
            "--runtime llama-server needs the context in force (its -c): --ctx N",
        ),
        (
            vec!["doctor", "qwen3-coder-30b-a3b", "--catalog", "--apply", &folder],
            "not a file",
        ),
        (
            vec!["doctor", "--llama-server", "http://127.0.0.1:9"],
            "is not answering, so there is no configuration to diagnose",
        ),
    ];
    for (args, english) in cases {
        let (_, en) = run_failing(&[&args[..], &["--lang", "en"]].concat(), &[]);
        assert!(en.contains(english), "cabe {args:?}: {en}");
        let (_, es) = run_failing(&[&args[..], &["--lang", "es"]].concat(), &[]);
        assert_eq!(es.trim_end().lines().count(), 1, "cabe {args:?}: {es}");
        let left = english_words(&es);
        assert!(
            left.is_empty(),
            "cabe {args:?}: English left:\n{}\n{es}",
            left.join("\n")
        );
    }
}
