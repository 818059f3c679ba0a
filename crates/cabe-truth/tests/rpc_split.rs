//! A real llama.cpp split over two `ggml-rpc-server` processes on loopback (the RPC build of
//! `tools/llama-cpp.sh build-rpc`), for a generated Qwen2.5-0.5B-shaped F16 GGUF at tensor
//! splits 1,1 and 3,1. Checks, against the same binary loading the model on the host alone:
//!
//! * the RPC devices' model buffers add up to the host-only load's model bytes minus the token
//!   embedding, which stays on the host (`src/llama-model.cpp` `load_tensors`: "there is very
//!   little benefit to offloading the input layer, so always keep it on the CPU"), plus one
//!   more copy of it on the output layer's device when the output projection is tied to it
//!   (`src/models/qwen2.cpp` creates `output` from `token_embd` with `TENSOR_DUPLICATED`);
//! * the layers went where `load_tensors`' split rule puts them, the output layer included;
//! * the KV buffers add up to the single-device KV size and follow the layers.
//!
//! Every device's figures are printed and written to `<target>/rpc-split/<case>.json` for the
//! estimating side to compare against. Without the RPC build the test fails under
//! `CABE_REQUIRE_LLAMA_CPP` (which `tools/test.sh` sets after building it) and otherwise says
//! it skipped; without llama.cpp's vocab files likewise.

use cabe_core::quant::FileType;
use cabe_truth::estimate::Setting;
use cabe_truth::generate::{content_hash, write_model};
use cabe_truth::rpc::{expected_layer_device, host_load, split_load, RpcBuild, SplitRun};
use std::path::{Path, PathBuf};
use std::time::Duration;

const MODEL: &str = "qwen2.5-0.5b";
const CTX: u64 = 4096;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn required() -> bool {
    std::env::var_os("CABE_REQUIRE_LLAMA_CPP").is_some()
        || std::env::var_os("CABE_LLAMA_RPC_BIN").is_some()
}

/// The RPC build, or `None` (with a SKIPPED line) when nothing requires it.
fn rpc_build() -> Option<RpcBuild> {
    match RpcBuild::locate(&repo()) {
        Ok(b) => Some(b),
        Err(e) => {
            assert!(
                !required(),
                "{e:#}\n(run bash tools/test.sh: it builds llama.cpp's RPC tools with \
                 tools/llama-cpp.sh build-rpc and exports CABE_LLAMA_RPC_BIN)"
            );
            eprintln!("SKIPPED: {e:#}; bash tools/test.sh builds it and makes this a failure");
            None
        }
    }
}

fn vocab_dir() -> Option<PathBuf> {
    let src = std::env::var_os("CABE_LLAMA_CPP_SRC")
        .map(PathBuf::from)
        .or_else(|| {
            let out = std::process::Command::new("bash")
                .arg(repo().join("tools/llama-cpp.sh"))
                .arg("src")
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        });
    let dir = src.map(|s| s.join("models")).filter(|d| d.is_dir());
    if dir.is_none() {
        assert!(
            !required(),
            "llama.cpp's models/ (vocab GGUFs) not found: run bash tools/test.sh"
        );
        eprintln!("SKIPPED: llama.cpp's models/ not found (bash tools/llama-cpp.sh src)");
    }
    dir
}

/// `<target>/rpc-split`: where the per-device figures go (integration tests get
/// `<target>/tmp` as CARGO_TARGET_TMPDIR).
fn out_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("rpc-split")
}

fn print_run(r: &SplitRun) {
    eprintln!(
        "split {:?} ({}), offloaded {:?}, {:.1} s, log {}",
        r.tensor_split,
        r.setting,
        r.offloaded,
        r.wall_s,
        r.log.display()
    );
    for d in &r.devices {
        eprintln!(
            "  {:<5} {:<16} model {:>9.2} MiB  KV {:>7.2} MiB  compute {:>8.4} MiB  output {:>5.2} MiB  \
             layers {}",
            d.device,
            d.endpoint.as_deref().unwrap_or("-"),
            d.model_mib,
            d.kv_mib,
            d.compute_mib,
            d.output_mib,
            match (d.layers.first(), d.layers.last()) {
                (Some(a), Some(b)) => format!("{a}..={b} ({})", d.layers.len()),
                _ => "none".into(),
            }
        );
    }
}

#[test]
fn two_rpc_servers_split_a_dense_model() {
    let Some(build) = rpc_build() else { return };
    let Some(vocab) = vocab_dir() else { return };
    let entry = cabe_catalog::find_model(MODEL).expect("catalog model");
    let mut spec = entry.spec.clone();
    spec.projector = None;
    let n_layer = spec.n_layer();

    let out = out_dir();
    let models = out.join("models");
    let hash = content_hash(&spec, FileType::F16).expect("hash");
    let path = models.join(format!("{MODEL}-F16-{hash}.gguf"));
    if !path.is_file() {
        write_model(&spec, FileType::F16, &vocab, &path).expect("model written");
    }
    // The token embedding's bytes, from the file itself.
    let file = cabe_gguf::read_path(&path).expect("read back");
    let embd = file
        .tensors
        .iter()
        .find(|t| t.name == "token_embd.weight")
        .expect("token_embd.weight");
    let embd_mib = embd.n_bytes as f64 / 1048576.0;
    let tied = !file.tensors.iter().any(|t| t.name == "output.weight");

    let s = Setting::new(CTX);
    let timeout = Duration::from_secs(600);
    let host = host_load(&build, &path, &s, &out.join("logs"), timeout).expect("host-only load");
    let host_model = host.model_mib();
    let host_kv: f64 = host.kv_buffers.iter().map(|b| b.mib).sum();
    eprintln!(
        "{MODEL} F16 c{CTX}: host-only load model {host_model:.2} MiB (buffers {:?}), KV {host_kv:.2} \
         MiB, compute {:.4} MiB; token_embd {embd_mib:.2} MiB, tied output: {tied}",
        host.model_buffers, host.compute_mib()
    );

    let mut failures = Vec::new();
    for split in [[1.0f32, 1.0], [3.0, 1.0]] {
        let label = format!("{}-{}", split[0], split[1]);
        let r = split_load(
            &build,
            &path,
            &s,
            &split,
            &out.join("logs").join(format!("split-{label}")),
            timeout,
        )
        .unwrap_or_else(|e| panic!("split {label}: {e:#}"));
        print_run(&r);
        let json = out.join(format!("{MODEL}-F16-c{CTX}-split-{label}.json"));
        std::fs::write(&json, serde_json::to_string_pretty(&r).unwrap()).expect("json written");
        eprintln!("  → {}", json.display());

        // Model buffers: everything but the input layer is on the RPC devices.
        let rpc_model: f64 = r.rpc_devices().map(|d| d.model_mib).sum();
        let want = host_model - embd_mib + if tied { embd_mib } else { 0.0 };
        // Each printed figure is rounded to 0.01 MiB; buffers are padded to the backend's
        // alignment per tensor, a few KiB in all.
        let tol = 0.01 * (r.devices.len() as f64 + 1.0) + 0.05;
        if (rpc_model - want).abs() > tol {
            failures.push(format!(
                "split {label}: RPC model buffers {rpc_model:.2} MiB, want host-only {host_model:.2} \
                 − token_embd {embd_mib:.2}{} = {want:.2}",
                if tied { " + tied output copy" } else { "" }
            ));
        }
        let host_dev = r.device("Host").expect("host entry");
        if (host_dev.model_mib - embd_mib).abs() > 0.05 {
            failures.push(format!(
                "split {label}: host model buffers {:.2} MiB, want token_embd {embd_mib:.2}",
                host_dev.model_mib
            ));
        }
        // Layers: llama.cpp's split rule, the output layer (n_layer) included.
        for (i, d) in r.rpc_devices().enumerate() {
            let want: Vec<u32> = (0..=n_layer)
                .filter(|&il| expected_layer_device(il, n_layer, &split) == i)
                .collect();
            if d.layers != want {
                failures.push(format!(
                    "split {label}: {} got layers {:?}, the split rule gives {:?}",
                    d.device, d.layers, want
                ));
            }
        }
        // KV: the same total as one device, each device's share in proportion to its
        // repeating layers.
        let kv: f64 = r.devices.iter().map(|d| d.kv_mib).sum();
        if (kv - host_kv).abs() > 0.02 {
            failures.push(format!(
                "split {label}: KV buffers {kv:.2} MiB, host-only {host_kv:.2}"
            ));
        }
        for d in r.rpc_devices() {
            let n_rep = d.layers.iter().filter(|&&il| il < n_layer).count() as f64;
            let want = host_kv * n_rep / n_layer as f64;
            if (d.kv_mib - want).abs() > 0.02 {
                failures.push(format!(
                    "split {label}: {} KV {:.2} MiB, want {want:.2} ({n_rep} of {n_layer} layers)",
                    d.device, d.kv_mib
                ));
            }
        }
        if r.rpc_devices().any(|d| d.compute_mib <= 0.0) {
            failures.push(format!(
                "split {label}: an RPC device has no compute buffer"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
