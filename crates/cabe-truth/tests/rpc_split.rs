//! A real llama.cpp split over two `ggml-rpc-server` processes on loopback (the RPC build of
//! `tools/llama-cpp.sh build-rpc`), for three generated real-shaped GGUFs — dense
//! (Qwen2.5-0.5B), mixture of experts (Qwen3-30B-A3B's shape, 4 of its 48 layers) and sliding
//! window (Gemma-3-1B's shape, 6 of its 26 layers: five local, one global) — each at tensor
//! splits 1,1 and 3,1. Checks, against the same binary loading the model on the host alone:
//!
//! * the RPC devices' model buffers add up to the host-only load's model bytes minus the token
//!   embedding, which stays on the host (`src/llama-model.cpp` `load_tensors`: "there is very
//!   little benefit to offloading the input layer, so always keep it on the CPU"), plus one
//!   more copy of it on the output layer's device when the output projection is tied to it
//!   (`src/models/qwen2.cpp` creates `output` from `token_embd` with `TENSOR_DUPLICATED`);
//! * the layers went where `load_tensors`' split rule puts them, the output layer included;
//! * the KV buffers add up to the single-device KV size and follow the layers;
//! * cabe's own plan of the split (`cabe_engine::split`, from the file's header, as `cabe plan
//!   FILE` makes it) puts the same layers on each device with the same weight and KV bytes
//!   (to the 0.01 MiB llama.cpp prints) and a compute buffer within the ground truth's ±10%.
//!
//! Every device's figures are printed and written to `<target>/rpc-split/<case>.json` for the
//! estimating side to compare against. Without the RPC build the test fails under
//! `CABE_REQUIRE_LLAMA_CPP` (which `tools/test.sh` sets after building it) and otherwise says
//! it skipped; without llama.cpp's vocab files likewise.

use cabe_core::quant::FileType;
use cabe_engine::split::{split as cabe_split, Device};
use cabe_truth::estimate::{from_file, Setting};
use cabe_truth::generate::{content_hash, write_model};
use cabe_truth::rpc::{expected_layer_device, host_load, split_load, RpcBuild, SplitRun};
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// One architecture's case: a catalog model, how many of its layers the generated file keeps
/// (all when None), and the file type.
struct Case {
    id: &'static str,
    layers: Option<usize>,
    file_type: FileType,
}

const CASES: &[Case] = &[
    Case {
        id: "qwen2.5-0.5b",
        layers: None,
        file_type: FileType::F16,
    },
    Case {
        id: "qwen3-30b-a3b",
        layers: Some(4),
        file_type: FileType::BF16,
    },
    Case {
        id: "gemma-3-1b",
        layers: Some(6),
        file_type: FileType::F16,
    },
];

const MIB: f64 = 1048576.0;

/// Loads `case` on the host alone and split two ways, and returns every failed check.
fn check_case(build: &RpcBuild, vocab: &Path, case: &Case) -> Vec<String> {
    let entry = cabe_catalog::find_model(case.id).expect("catalog model");
    let mut spec = entry.spec.clone();
    spec.projector = None;
    if let Some(n) = case.layers {
        spec.layers.truncate(n);
    }
    let name = format!(
        "{}{}-{}",
        case.id,
        case.layers.map(|n| format!("-{n}l")).unwrap_or_default(),
        case.file_type.name()
    );

    let out = out_dir();
    let models = out.join("models");
    let hash = content_hash(&spec, case.file_type).expect("hash");
    let path = models.join(format!("{name}-{hash}.gguf"));
    if !path.is_file() {
        write_model(&spec, case.file_type, vocab, &path).expect("model written");
    }
    // The token embedding's bytes, from the file itself.
    let file = cabe_gguf::read_path(&path).expect("read back");
    let embd = file
        .tensors
        .iter()
        .find(|t| t.name == "token_embd.weight")
        .expect("token_embd.weight");
    let embd_mib = embd.n_bytes as f64 / MIB;
    let tied = !file.tensors.iter().any(|t| t.name == "output.weight");
    // cabe's side, from the file's header as `cabe plan FILE` reads it.
    let (file_spec, file_weights) = from_file(&path).expect("cabe reads the file");
    let n_layer = file_spec.n_layer();

    let s = Setting::new(CTX);
    let timeout = Duration::from_secs(600);
    let logs = out.join("logs").join(&name);
    let host = host_load(build, &path, &s, &logs, timeout).expect("host-only load");
    let host_model = host.model_mib();
    let host_kv: f64 = host.kv_buffers.iter().map(|b| b.mib).sum();
    eprintln!(
        "{name} c{CTX}: host-only load model {host_model:.2} MiB (buffers {:?}), KV {host_kv:.2} \
         MiB, compute {:.4} MiB; token_embd {embd_mib:.2} MiB, tied output: {tied}",
        host.model_buffers,
        host.compute_mib()
    );

    let mut failures = Vec::new();
    for split in [[1.0f32, 1.0], [3.0, 1.0]] {
        let label = format!("{name} split {}-{}", split[0], split[1]);
        let r = split_load(
            build,
            &path,
            &s,
            &split,
            &logs.join(format!("split-{}-{}", split[0], split[1])),
            timeout,
        )
        .unwrap_or_else(|e| panic!("{label}: {e:#}"));
        print_run(&r);
        let json = out.join(format!(
            "{name}-c{CTX}-split-{}-{}.json",
            split[0], split[1]
        ));
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
                "{label}: RPC model buffers {rpc_model:.2} MiB, want host-only {host_model:.2} \
                 − token_embd {embd_mib:.2}{} = {want:.2}",
                if tied { " + tied output copy" } else { "" }
            ));
        }
        let host_dev = r.device("Host").expect("host entry");
        if (host_dev.model_mib - embd_mib).abs() > 0.05 {
            failures.push(format!(
                "{label}: host model buffers {:.2} MiB, want token_embd {embd_mib:.2}",
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
                    "{label}: {} got layers {:?}, the split rule gives {:?}",
                    d.device, d.layers, want
                ));
            }
        }
        // KV: the same total as one device.
        let kv: f64 = r.devices.iter().map(|d| d.kv_mib).sum();
        if (kv - host_kv).abs() > 0.02 {
            failures.push(format!(
                "{label}: KV buffers {kv:.2} MiB, host-only {host_kv:.2}"
            ));
        }

        // cabe's plan of the same split, device by device.
        let devices: Vec<Device> = (0..split.len())
            .map(|i| Device {
                name: format!("RPC{i}"),
                capacity_bytes: 1 << 40,
                bandwidth_gbps: 0.0,
            })
            .collect();
        let weights: Vec<f64> = split.iter().map(|&x| x as f64).collect();
        let plan = cabe_split(
            &file_spec,
            &file_weights,
            &s.profile(),
            &devices,
            Some(&weights),
            None,
        )
        .expect("cabe splits the model");
        let host_weights = plan.host.weight_bytes as f64 / MIB;
        if (host_weights - host_dev.model_mib).abs() > 0.05 {
            failures.push(format!(
                "{label}: cabe keeps {host_weights:.2} MiB of weights on the host, llama.cpp {:.2}",
                host_dev.model_mib
            ));
        }
        for (d, c) in r.rpc_devices().zip(&plan.devices) {
            let layers: Vec<u32> = c.layers.map(|(a, b)| (a..=b).collect()).unwrap_or_default();
            let mut llama_layers: Vec<u32> = d
                .layers
                .iter()
                .copied()
                .filter(|&il| il < n_layer)
                .collect();
            llama_layers.sort_unstable();
            if layers != llama_layers || c.output != d.layers.contains(&n_layer) {
                failures.push(format!(
                    "{label}: {}: cabe places layers {:?}{}, llama.cpp {:?}",
                    d.device,
                    c.layers,
                    if c.output { " + output" } else { "" },
                    d.layers
                ));
            }
            let (w, kv, cb) = (
                c.weight_bytes as f64 / MIB,
                c.kv_bytes as f64 / MIB,
                c.compute_bytes as f64 / MIB,
            );
            // The printed 0.01 MiB and the backend's per-tensor alignment padding.
            if (w - d.model_mib).abs() > 0.05 {
                failures.push(format!(
                    "{label}: {}: cabe weights {w:.2} MiB, llama.cpp {:.2}",
                    d.device, d.model_mib
                ));
            }
            if (kv - d.kv_mib).abs() > 0.011 {
                failures.push(format!(
                    "{label}: {}: cabe KV {kv:.2} MiB, llama.cpp {:.2}",
                    d.device, d.kv_mib
                ));
            }
            let err = (cb - d.compute_mib) / d.compute_mib.max(1e-9);
            eprintln!(
                "  {}: cabe weights {w:.2} KV {kv:.2} compute {cb:.2} MiB (compute {:+.1}% vs llama.cpp)",
                d.device,
                err * 100.0
            );
            if err.abs() > 0.10 {
                failures.push(format!(
                    "{label}: {}: cabe compute {cb:.2} MiB, llama.cpp {:.2} ({:+.1}%, bar ±10%)",
                    d.device,
                    d.compute_mib,
                    err * 100.0
                ));
            }
        }
    }
    failures
}

#[test]
fn two_rpc_servers_split_dense_moe_and_sliding_window_models() {
    let Some(build) = rpc_build() else { return };
    let Some(vocab) = vocab_dir() else { return };
    let mut failures = Vec::new();
    for case in CASES {
        failures.extend(check_case(&build, &vocab, case));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
