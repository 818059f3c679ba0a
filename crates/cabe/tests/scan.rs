//! `cabe scan` on generated stores: rows, verdicts against a recorded machine, JSON, the
//! default stores found from HOME, and no progress bar when output is not a terminal.

mod common;

use cabe_scan::synth::{write_gguf, SynthModel};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn cabe(home: &Path) -> Command {
    let mut c = common::command();
    for k in [
        "CABE_MACHINE_ROOT",
        "OLLAMA_MODELS",
        "HF_HUB_CACHE",
        "HF_HOME",
        "XDG_CACHE_HOME",
        "LLAMA_CACHE",
        "LOCALAPPDATA",
        "USERPROFILE",
    ] {
        c.env_remove(k);
    }
    c.env("HOME", home);
    c
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines")
        .join(name)
}

fn models_dir(dir: &Path) -> PathBuf {
    let m = dir.join("models");
    std::fs::create_dir_all(&m).unwrap();
    write_gguf(
        &m.join("llama-7b.Q4_K_M.gguf"),
        &SynthModel::llama7b("seven"),
    )
    .unwrap();
    write_gguf(&m.join("small.gguf"), &SynthModel::small("small")).unwrap();
    std::fs::write(m.join("broken.gguf"), b"not a gguf").unwrap();
    m
}

#[test]
fn scan_a_folder_as_json_on_a_recorded_machine() {
    let home = tempfile::tempdir().unwrap();
    let m = models_dir(home.path());
    let out = cabe(home.path())
        .args(["scan", "--json", "--root"])
        .arg(fixture("apple-m1-8gb"))
        .arg(&m)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), 2, "{v:#}");
    let seven = models
        .iter()
        .find(|x| x["name"] == "llama-7b.Q4_K_M.gguf")
        .unwrap();
    assert_eq!(seven["architecture"], "llama");
    assert_eq!(seven["quant"], "Q4_K_M");
    assert_eq!(seven["native_ctx"], 4096);
    // 3.9 GiB of weights + 2 GiB of KV at 4,096 tokens on a GPU that may use 5.3 GiB: not at
    // the native context, but a shorter one fits; no speed for what does not fit.
    assert_eq!(seven["verdict"], "does-not-fit");
    let max = seven["max_ctx"].as_u64().unwrap();
    assert!(max > 0 && max < 4096, "{max}");
    assert!(seven["decode_tps"].is_null());
    // Only headers: far below the files' sizes.
    assert!(v["bytes_read"].as_u64().unwrap() < 1 << 20);
    assert_eq!(v["errors"].as_array().unwrap().len(), 1);

    // On a DGX Spark it fits: 273 GB/s × the CUDA decode efficiency ÷ ~3.8 GB read per token.
    let out = cabe(home.path())
        .args(["scan", "--json", "--root"])
        .arg(fixture("dgx-spark"))
        .arg(&m)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let seven = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "llama-7b.Q4_K_M.gguf")
        .unwrap()
        .clone();
    assert_eq!(seven["verdict"], "fits");
    assert_eq!(seven["max_ctx"], 4096);
    let tps = seven["decode_tps"]["typical"].as_f64().unwrap();
    assert!((40.0..60.0).contains(&tps), "{tps}");
}

#[test]
fn scan_finds_the_default_stores_under_home() {
    let home = tempfile::tempdir().unwrap();
    let lm = home.path().join(".lmstudio/models/someone/Repo-GGUF");
    std::fs::create_dir_all(&lm).unwrap();
    write_gguf(&lm.join("m.gguf"), &SynthModel::small("lm")).unwrap();
    let out = cabe(home.path())
        .args(["scan", "--json", "--root"])
        .arg(fixture("dgx-spark"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["models"][0]["name"], "someone/Repo-GGUF/m.gguf");
    assert_eq!(v["models"][0]["store"], "lm-studio");
}

#[test]
fn human_output_without_a_terminal_has_no_progress_bar() {
    let home = tempfile::tempdir().unwrap();
    let m = models_dir(home.path());
    let out = cabe(home.path())
        .args(["scan", "--root"])
        .arg(fixture("ci-no-gpu"))
        .arg(&m)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("llama-7b.Q4_K_M.gguf"), "{text}");
    assert!(text.contains("as `cabe fit` predicts it"), "{text}");
    let err = String::from_utf8(out.stderr).unwrap();
    // Only the skipped file is reported; no bar, no carriage returns.
    assert!(err.contains("skipped: broken.gguf"), "{err}");
    assert!(
        !err.contains('\r') && !err.contains("reading headers"),
        "{err}"
    );
}

#[test]
fn missing_path_is_an_error() {
    let home = tempfile::tempdir().unwrap();
    let out = cabe(home.path())
        .args(["scan", "/no/such/place"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
