//! `--help` of every command in Spanish, each option included.

use super::*;

/// A help listing without its usage line (the command's own name and clap's placeholders)
/// and its value placeholders (`<on|off>`, `<MODEL>`): they name the values typed, as the
/// flags they follow do.
fn without_placeholders(out: &str) -> String {
    let mut kept = String::new();
    for line in out.lines().filter(|l| !l.starts_with("Uso: ")) {
        let mut rest = line;
        while let Some(i) = rest.find('<') {
            match rest[i..].find('>') {
                Some(j) if !rest[i..i + j].contains(' ') => {
                    kept.push_str(&rest[..i]);
                    rest = &rest[i + j + 1..];
                }
                _ => {
                    kept.push_str(&rest[..=i]);
                    rest = &rest[i + 1..];
                }
            }
        }
        kept.push_str(rest);
        kept.push('\n');
    }
    kept
}

/// `--help` of every command in Spanish: each option's and argument's help too, and clap's
/// `[default: …]` and `[possible values: …]` reworded (`[por defecto: …]`); no English
/// word left. The English help keeps clap's wording.
#[test]
fn every_commands_help_is_spanish() {
    let commands = commands();
    assert!(commands.len() >= 17, "{commands:?}");
    // `cabe help CMD` takes command names only: the language from the environment there
    // (`CABE_LANG=es` for the runs without `--lang es`).
    let mut runs: Vec<Vec<&str>> = vec![vec!["--help", "--lang", "es"], vec!["help"]];
    for c in &commands {
        runs.push(vec![c.as_str(), "--help", "--lang", "es"]);
        runs.push(vec!["help", c.as_str()]);
    }
    for args in &runs {
        let env: &[(&str, &str)] = match args.contains(&"--lang") {
            true => &[],
            false => &[("CABE_LANG", "es")],
        };
        let out = run(args, env);
        assert!(out.contains("Opciones:"), "cabe {args:?}:\n{out}");
        for english in ["[default:", "[possible values:", "Print help", "Options:"] {
            assert!(!out.contains(english), "cabe {args:?}: {english}\n{out}");
        }
        let english = english_words(&without_placeholders(&out));
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}",
            english.join("\n")
        );
    }
    let fit = run(&["fit", "--help", "--lang", "es"], &[]);
    for must in [
        "Imprime un único objeto JSON",
        "[por defecto: `native`]",
        "Tipo de la caché KV para K y V",
    ] {
        assert!(fit.contains(must), "missing {must:?}:\n{fit}");
    }
    let plan = run(&["plan", "--help"], &[("CABE_LANG", "es")]);
    assert!(
        plan.contains("[valores posibles: `llama.cpp`, `vllm`]"),
        "{plan}"
    );
    let fit = run(&["fit", "--help"], &[]);
    for must in [
        "Print one JSON object",
        "[default: native]",
        "KV cache type for K and V",
    ] {
        assert!(fit.contains(must), "missing {must:?}:\n{fit}");
    }
}
