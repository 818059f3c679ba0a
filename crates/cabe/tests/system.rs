//! `cabe system` and `cabe fit` on this machine and on recorded machines
//! (`tests/fixtures/machines`, through `--root` and `CABE_MACHINE_ROOT`).

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn cabe() -> Command {
    let mut c = common::command();
    c.env_remove("CABE_MACHINE_ROOT");
    c
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines")
        .join(name)
}

fn json_of(c: &mut Command) -> Value {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn system_on_this_machine() {
    let out = cabe().arg("system").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("usable"), "{text}");
    let v = json_of(cabe().args(["system", "--json"]));
    assert!(v["system"]["memory"]["total_bytes"].as_u64().unwrap() > 0);
    assert!(v["usable_bytes"].as_u64().unwrap() > 0);
}

#[test]
fn system_json_of_a_recorded_dgx_spark() {
    let v = json_of(
        cabe()
            .args(["system", "--json", "--root"])
            .arg(fixture("dgx-spark")),
    );
    assert_eq!(v["system"]["gpus"][0]["name"], "NVIDIA GB10");
    assert_eq!(v["system"]["gpus"][0]["kind"], "unified");
    assert_eq!(v["machine"]["spec"]["kind"], "unified");
    assert_eq!(v["machine"]["spec"]["backend"], "cuda");
    assert_eq!(v["machine"]["catalog"]["id"], "dgx-spark-128gb");
    assert_eq!(
        v["usable_bytes"].as_u64().unwrap(),
        127_600_748 * 1024 - (2 << 30)
    );
}

#[test]
fn system_human_output_names_the_match_and_the_assumptions() {
    let out = cabe()
        .args(["system", "--root"])
        .arg(fixture("amd-rx7900xt"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("AMD Radeon RX 7900 XT"), "{text}");
    assert!(text.contains("no catalog match"), "{text}");
    assert!(text.contains("assumed"), "{text}");
}

#[test]
fn system_root_must_exist() {
    let out = cabe()
        .args(["system", "--root", "/no/such/dir"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a directory"));
}

#[test]
fn fit_with_no_flags_uses_this_machine() {
    let out = cabe()
        .args(["fit", "qwen3-coder-30b-a3b"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("on this machine:"), "{text}");
    let v = json_of(cabe().args(["fit", "qwen3-coder-30b-a3b", "--json"]));
    assert_eq!(v["machine"]["id"], "this-machine");
}

#[test]
fn fit_on_recorded_machines() {
    // DGX Spark: 121.7 GiB unified; Qwen3-Coder-30B-A3B Q4_K_M at its full 262,144 context fits.
    let v = json_of(
        cabe()
            .args(["fit", "qwen3-coder-30b-a3b", "--json"])
            .env("CABE_MACHINE_ROOT", fixture("dgx-spark")),
    );
    assert_eq!(v["machine"]["kind"], "unified");
    assert_eq!(v["machine"]["backend"], "cuda");
    assert_eq!(v["verdict"], "fits");
    // Apple M1 8 GB: 5.3 GiB for the GPU; the 17 GiB of weights do not fit.
    let v = json_of(
        cabe()
            .args(["fit", "qwen3-coder-30b-a3b", "--json"])
            .env("CABE_MACHINE_ROOT", fixture("apple-m1-8gb")),
    );
    assert_eq!(v["machine"]["backend"], "metal");
    assert_eq!(v["verdict"], "does-not-fit");
    let cap = v["fast_capacity_bytes"].as_u64().unwrap();
    assert!((cap as i64 - (8i64 << 30) * 2 / 3).abs() < 1 << 20, "{cap}");
    // One RTX 4090 (24 GiB): the weights fit, the full context only with CPU offload.
    let v = json_of(
        cabe()
            .args(["fit", "qwen3-coder-30b-a3b", "--json"])
            .env("CABE_MACHINE_ROOT", fixture("nvidia-rtx4090-desktop")),
    );
    assert_eq!(v["machine"]["kind"], "discrete-gpu");
    assert_eq!(v["fast_capacity_bytes"].as_u64().unwrap(), 24564 << 20);
    assert_eq!(v["verdict"], "fits-with-offload");
}
