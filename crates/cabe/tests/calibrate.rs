//! `cabe calibrate` stores what it measured in the data dir, and `fit` on this machine uses it
//! (and says so); a calibration of another machine is not used.

mod common;
use common::{json, ok};

use std::path::{Path, PathBuf};
use std::process::Command;

fn machine(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines")
        .join(name)
}

fn cabe(data: &Path, machine_root: &str) -> Command {
    let mut c = common::cabe_in(data);
    c.env("CABE_MACHINE_ROOT", machine(machine_root));
    c
}

const LAPTOP: &str = "intel-i5-1035g1-laptop";

#[test]
fn a_quick_calibration_is_stored_and_used_by_fit() {
    let data = tempfile::tempdir().unwrap();
    let fit_args = [
        "fit",
        "llama-3.2-1b",
        "--ctx",
        "8192",
        "--prompt-tokens",
        "4096",
        "--timeout",
        "300s",
        "--json",
    ];
    // Before: no compute figure for a CPU machine, and a hint to calibrate.
    let before = json(cabe(data.path(), LAPTOP).args(fit_args).output().unwrap());
    let s = &before["speed"];
    assert_eq!(s["basis"], "catalog");
    assert!(s["calibrated_at"].is_null());
    assert_eq!(s["prefill_source"], "unknown");
    let lines = s["lines"].to_string();
    assert!(lines.contains("run `cabe calibrate`"), "{lines}");

    let v = json(
        cabe(data.path(), LAPTOP)
            .args(["calibrate", "--quick", "--threads", "2", "--json"])
            .output()
            .unwrap(),
    );
    assert!(v["bandwidth_gbps"]["best"].as_f64().unwrap() > 0.0);
    assert!(v["compute_gflops"]["best"].as_f64().unwrap() > 0.0);
    assert_eq!(v["threads"], 2);
    assert_eq!(v["quick"], true);
    assert!(v["machine"].as_str().unwrap().contains("i5-1035G1"));
    let stored = data.path().join("calibration.json");
    assert!(stored.is_file());
    assert_eq!(v["path"], stored.display().to_string());

    // After: the measured figures, a prefill prediction, the date.
    let after = json(cabe(data.path(), LAPTOP).args(fit_args).output().unwrap());
    let s = &after["speed"];
    assert!(s["basis"].as_str().unwrap().starts_with("calibrated "));
    assert_eq!(s["calibrated_at"], v["measured_at_utc"]);
    assert_eq!(s["bandwidth_gbps"], v["bandwidth_gbps"]["best"]);
    assert_eq!(s["prefill_source"], "predicted");
    assert!(s["ttft_s"]["typical"].as_f64().unwrap() > 0.0);
    assert!(s["first_token_before_timeout"].is_boolean());
    assert!(s["efficiency_source"]
        .as_str()
        .unwrap()
        .starts_with("calibrated CPU"));
    let date = &v["measured_at_utc"].as_str().unwrap()[..10];
    let human = ok(cabe(data.path(), LAPTOP)
        .args(&fit_args[..fit_args.len() - 1])
        .output()
        .unwrap());
    assert!(
        human.contains(&format!(
            "calibrated on {date} (a quick, rough calibration)"
        )),
        "{human}"
    );

    // `--show` prints it without measuring.
    let shown = ok(cabe(data.path(), LAPTOP)
        .args(["calibrate", "--show"])
        .output()
        .unwrap());
    assert!(shown.contains("memory read bandwidth"), "{shown}");

    // On another machine the file is not used.
    let other = json(
        cabe(data.path(), "ci-no-gpu")
            .args(fit_args)
            .output()
            .unwrap(),
    );
    assert_eq!(other["speed"]["basis"], "catalog");
    assert!(other["speed"]["lines"]
        .to_string()
        .contains("measured on another machine"));
    // Nor for a catalog machine.
    let cat = json(
        cabe(data.path(), LAPTOP)
            .args(["fit", "llama-3.2-1b", "--on", "dgx-spark-128gb", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(cat["speed"]["basis"], "catalog");
}

#[test]
fn on_a_gpu_machine_the_calibration_fills_only_system_ram() {
    let data = tempfile::tempdir().unwrap();
    let root = "nvidia-rtx4090-desktop";
    let before = json(
        cabe(data.path(), root)
            .args(["fit", "llama-3.1-8b", "--json"])
            .output()
            .unwrap(),
    );
    ok(cabe(data.path(), root)
        .args(["calibrate", "--quick", "--json"])
        .output()
        .unwrap());
    let after = json(
        cabe(data.path(), root)
            .args(["fit", "llama-3.1-8b", "--json"])
            .output()
            .unwrap(),
    );
    // The GPU's bandwidth and efficiency stay those of the catalog.
    assert_eq!(
        after["speed"]["bandwidth_gbps"],
        before["speed"]["bandwidth_gbps"]
    );
    assert_eq!(
        after["speed"]["decode_empty_tps"],
        before["speed"]["decode_empty_tps"]
    );
    assert!(after["speed"]["lines"]
        .to_string()
        .contains("system RAM read for offloaded layers"));
}

#[test]
fn show_without_a_calibration_and_a_broken_file_fail_in_one_line() {
    let data = tempfile::tempdir().unwrap();
    let out = cabe(data.path(), LAPTOP)
        .args(["calibrate", "--show"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("cabe: error: no calibration stored"),
        "{err}"
    );
    // A damaged file: fit still works and says why the calibration is not used.
    std::fs::write(data.path().join("calibration.json"), "{not json").unwrap();
    let v = json(
        cabe(data.path(), LAPTOP)
            .args(["fit", "llama-3.2-1b", "--json"])
            .output()
            .unwrap(),
    );
    assert!(v["speed"]["lines"]
        .to_string()
        .contains("calibration not used"));
    let out = cabe(data.path(), LAPTOP)
        .args(["calibrate", "--threads", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
