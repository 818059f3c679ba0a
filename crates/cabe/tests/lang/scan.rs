//! `cabe scan` in Spanish, its skip reasons included.

use super::*;

#[test]
fn scan_in_spanish() {
    let models = scan_models().display().to_string();
    let root = machine_fixture("ci-no-gpu");
    let args = ["scan", "--root", &root, &models];
    let (code, out, err) = run_in("es", &args);
    assert_eq!(code, 0, "{err}");
    let english = english_words(&out);
    assert!(
        english.is_empty(),
        "English left:\n{}\n{out}",
        english.join("\n")
    );
    for must in ["solo CPU", "veredicto", "small.gguf"] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    assert!(err.contains("omitido: broken.gguf"), "{err}");
    // The JSON differs from run to run only in its timing.
    let json = |lang: &str| {
        let mut a = args.to_vec();
        a.push("--json");
        let (code, out, _) = run_in(lang, &a);
        assert_eq!(code, 0);
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["seconds"] = serde_json::Value::Null;
        v
    };
    assert_eq!(
        json("en"),
        json("es"),
        "scan --json differs between languages"
    );
    spanish_errors(&strings(&[&["scan", "/no/such/place"]]));
}

/// `cabe scan`'s skipped files in Spanish: the GGUF reader's reasons in words, the English
/// in `--json`.
#[test]
fn scan_skips_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("broken.gguf"), b"not a gguf").unwrap();
    std::fs::write(d.join("cut.gguf"), b"GGUF\x03\x00\x00\x00").unwrap();
    let mut v9 = b"GGUF\x09\x00\x00\x00".to_vec();
    v9.extend([0u8; 16]);
    std::fs::write(d.join("future.gguf"), &v9).unwrap();
    let mut empty = b"GGUF\x03\x00\x00\x00".to_vec();
    empty.extend([0u8; 16]);
    std::fs::write(d.join("empty.gguf"), &empty).unwrap();
    let root = machine_fixture("ci-no-gpu");
    let folder = d.display().to_string();
    let args = ["scan", "--root", &root, &folder];
    let (code, _, err) = run_in("es", &args);
    assert_eq!(code, 0, "{err}");
    let english = english_words(&err);
    assert!(
        english.is_empty(),
        "English left:\n{}\n{err}",
        english.join("\n")
    );
    for must in [
        "omitido: broken.gguf: ",
        "broken.gguf: no es un archivo GGUF (sus primeros bytes no son \"GGUF\")",
        "cut.gguf: GGUF truncado: hacían falta 8 bytes en la posición 8, y el archivo tiene 8",
        "future.gguf: versión de GGUF 9 no admitida: este lector admite las versiones 2 y 3",
        "omitido: empty.gguf: no tiene tensores (un archivo solo de vocabulario o de metadatos)",
    ] {
        assert!(err.contains(must), "missing {must:?}:\n{err}");
    }
    let (_, _, en) = run_in("en", &args);
    for must in [
        "broken.gguf: not a GGUF file: magic bytes at offset 0 are 6e 6f 74 20",
        "cut.gguf: truncated GGUF: needed 8 bytes at offset 8, file has 8",
        "future.gguf: unsupported GGUF version 9 at offset 4",
        "skipped: empty.gguf: has no tensors (a vocab-only or metadata-only file)",
    ] {
        assert!(en.contains(must), "missing {must:?}:\n{en}");
    }
    let json = |lang: &str| {
        let mut a = args.to_vec();
        a.push("--json");
        let (code, out, _) = run_in(lang, &a);
        assert_eq!(code, 0);
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["seconds"] = serde_json::Value::Null;
        v
    };
    let en_json = json("en");
    assert_eq!(en_json, json("es"), "scan --json differs between languages");
    assert!(
        en_json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains("not a GGUF file")),
        "{en_json}"
    );
}
