//! Ground truth for a model split over several devices with llama.cpp's RPC backend: starts
//! K `ggml-rpc-server` processes on loopback, loads a GGUF once over all of them with
//! `--rpc … -ngl 99 --tensor-split …`, and reads back what llama.cpp allocated on each device.
//!
//! Facts from the llama.cpp source this relies on (llama-cpp-python 0.3.36's vendored tree):
//!
//! * `common/arg.cpp` `add_rpc_devices`: the `--rpc` endpoints are registered in the order
//!   given, and `ggml/src/ggml-rpc/ggml-rpc.cpp` `ggml_backend_rpc_add_server` numbers their
//!   devices globally (`RPC0`, `RPC1`, … — one each here: an rpc-server started without `-d`
//!   offers its first device, the CPU). The device's description is its endpoint.
//! * `ggml_backend_rpc_buffer_type` names a buffer type `RPC<dev-in-server>[<endpoint>]`, and
//!   the model, KV and compute buffer lines print that name (`ggml_backend_buffer_name` is the
//!   buffer type's name): every buffer of one server is `RPC0[127.0.0.1:PORT]`, so a buffer is
//!   matched to its server by the endpoint in the brackets. Buffers without `RPC` are the
//!   host's (`CPU_Mapped`, `CPU`, `CPU_REPACK`, `AMX`).
//! * The buffer lines are the ones the single-device harness reads; they are parsed by
//!   [`crate::logparse::parse_log`], not here. This module reads only the lines that say
//!   where layers went: `load_tensors: layer N assigned to device RPC1, is_swa = 0`
//!   (`src/llama-model.cpp` `load_tensors`, debug level, so `-v`), `load_tensors: offloaded
//!   N/M layers to GPU`, and `llama_model_load_from_file_impl: using device RPC0
//!   (127.0.0.1:PORT) (unknown id) - N MiB free` (`src/llama.cpp`).
//! * `src/llama-model.cpp` `load_tensors`: the input layer (the token embedding) is always
//!   kept on the CPU; layer `il` of the `n_layer + 1` offloadable ones (the output layer is
//!   the last) goes to the first device whose cumulative, normalised split exceeds
//!   `il / act_gpu_layers` ([`expected_layer_device`]).
//! * rpc-server (`tools/rpc/rpc-server.cpp`) has no memory-size flag in this version: the free
//!   memory each server reports is its CPU device's, i.e. the machine's free memory.

use crate::estimate::Setting;
use crate::logparse::{parse_log, Buffer, LoadReport};
use crate::runner::{is_real_load, Llama, WALL_PREFIX};
use anyhow::{bail, Context, Result};
use cabe_engine::Runtime;
use serde::Serialize;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The RPC build of llama.cpp (`tools/llama-cpp.sh build-rpc`).
#[derive(Clone, Debug)]
pub struct RpcBuild {
    pub bin: PathBuf,
    /// `ggml-rpc-server` (this version's target name) or `rpc-server` (older ones).
    pub server: PathBuf,
    pub completion: PathBuf,
}

impl RpcBuild {
    /// `$CABE_LLAMA_RPC_BIN`, else what `tools/llama-cpp.sh path-rpc` prints. The error says
    /// how to build it.
    pub fn locate(repo: &Path) -> Result<RpcBuild> {
        let bin = match std::env::var_os("CABE_LLAMA_RPC_BIN") {
            Some(b) => PathBuf::from(b),
            None => {
                let out = Command::new("bash")
                    .arg(repo.join("tools/llama-cpp.sh"))
                    .arg("path-rpc")
                    .output()
                    .context("running tools/llama-cpp.sh path-rpc")?;
                if !out.status.success() {
                    bail!(
                        "llama.cpp's RPC build is missing ({}); run bash tools/test.sh, or \
                         bash tools/llama-cpp.sh build-rpc and set CABE_LLAMA_RPC_BIN to the \
                         directory it prints",
                        String::from_utf8_lossy(&out.stderr).trim()
                    );
                }
                PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
            }
        };
        let server = ["ggml-rpc-server", "rpc-server"]
            .iter()
            .map(|t| bin.join(t))
            .find(|p| p.is_file());
        let Some(server) = server else {
            bail!(
                "{} has no ggml-rpc-server (nor rpc-server): run bash tools/test.sh (it runs \
                 tools/llama-cpp.sh build-rpc)",
                bin.display()
            );
        };
        let completion = bin.join("llama-completion");
        if !completion.is_file() {
            bail!(
                "{} has no llama-completion: run bash tools/test.sh (it runs tools/llama-cpp.sh \
                 build-rpc)",
                bin.display()
            );
        }
        Ok(RpcBuild {
            bin,
            server,
            completion,
        })
    }

    fn llama(&self) -> Llama {
        let vmem_gib: u64 = std::env::var("CABE_TRUTH_VMEM_GIB")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(16);
        Llama {
            bin: self.bin.clone(),
            vmem_kib: vmem_gib << 20,
            threads: 2,
        }
    }
}

/// Running rpc-servers; every one is killed (by its own pid) and reaped when this is dropped,
/// on every path out of [`split_load`], a panic included.
pub struct RpcServers {
    children: Vec<Child>,
    pub endpoints: Vec<String>,
    pub logs: Vec<PathBuf>,
}

impl Drop for RpcServers {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A loopback port nothing listens on now (the OS's pick; released before the server binds).
fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").context("binding a loopback port")?;
    Ok(l.local_addr()?.port())
}

fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

impl RpcServers {
    /// Starts `k` servers on free loopback ports and waits (up to `timeout`) until each
    /// accepts a connection. A server that exits or never listens is an error quoting its log.
    pub fn start(
        build: &RpcBuild,
        k: usize,
        threads: u32,
        log_dir: &Path,
        timeout: Duration,
    ) -> Result<RpcServers> {
        std::fs::create_dir_all(log_dir)?;
        let mut s = RpcServers {
            children: Vec::new(),
            endpoints: Vec::new(),
            logs: Vec::new(),
        };
        for i in 0..k {
            let port = free_port()?;
            let log = log_dir.join(format!("rpc-server-{i}.log"));
            let out = std::fs::File::create(&log)?;
            // nice: other work shares the cores. `nice` execs the server, so the child's pid is
            // the server's own.
            let child = Command::new("nice")
                .args(["-n", "10"])
                .arg(&build.server)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .args(["-t", &threads.to_string()])
                .stdin(Stdio::null())
                .stdout(out.try_clone()?)
                .stderr(out)
                .spawn()
                .with_context(|| format!("starting {}", build.server.display()))?;
            s.children.push(child);
            s.endpoints.push(format!("127.0.0.1:{port}"));
            s.logs.push(log);
        }
        let t0 = Instant::now();
        for i in 0..k {
            let addr: SocketAddr = s.endpoints[i].parse()?;
            loop {
                if let Some(st) = s.children[i].try_wait()? {
                    bail!(
                        "rpc-server {} exited ({st}) before listening on {}:\n{}",
                        build.server.display(),
                        s.endpoints[i],
                        tail(&s.logs[i], 20)
                    );
                }
                // A bare connect-and-close is harmless: the server reads no HELLO, drops the
                // client and accepts the next one (ggml-rpc.cpp `rpc_serve_client`).
                if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                    break;
                }
                if t0.elapsed() > timeout {
                    bail!(
                        "rpc-server on {} did not listen within {:?}:\n{}",
                        s.endpoints[i],
                        timeout,
                        tail(&s.logs[i], 20)
                    );
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        Ok(s)
    }

    /// An error if any server has exited (llama.cpp's client aborts on a lost server; this
    /// says which one went).
    pub fn check_alive(&mut self) -> Result<()> {
        for i in 0..self.children.len() {
            if let Some(st) = self.children[i].try_wait()? {
                bail!(
                    "rpc-server on {} exited ({st}):\n{}",
                    self.endpoints[i],
                    tail(&self.logs[i], 20)
                );
            }
        }
        Ok(())
    }
}

/// What one device got, MiB as llama.cpp printed them (two decimals; compute with four where
/// the destructor's debug line has them).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DeviceFigures {
    /// `RPC0`, `RPC1`, … in `--rpc` order, or `Host` for everything not on an RPC device.
    pub device: String,
    /// The server's `host:port`; `None` for the host.
    pub endpoint: Option<String>,
    /// The device's split weight as passed in `--tensor-split`; `None` for the host.
    pub split: Option<f32>,
    /// Free memory llama.cpp saw on the device (`using device … - N MiB free`).
    pub free_mib: Option<u64>,
    pub model_mib: f64,
    pub kv_mib: f64,
    pub rs_mib: f64,
    pub compute_mib: f64,
    /// The logits/embeddings output buffer (host memory in practice).
    pub output_mib: f64,
    /// Layer indices llama.cpp assigned to this device (`n_layer` = the output layer).
    pub layers: Vec<u32>,
    /// The buffer lines behind the figures, as printed.
    pub model_buffers: Vec<Buffer>,
    pub kv_buffers: Vec<Buffer>,
    pub compute_buffers: Vec<Buffer>,
}

/// One split load: its inputs, every device's figures, and where its logs are.
#[derive(Clone, Debug, Serialize)]
pub struct SplitRun {
    pub model: String,
    pub tensor_split: Vec<f32>,
    pub setting: String,
    pub args: Vec<String>,
    /// `offloaded N/M layers to GPU`.
    pub offloaded: Option<(u32, u32)>,
    /// The RPC devices in `--rpc` order, then `Host`.
    pub devices: Vec<DeviceFigures>,
    pub wall_s: f64,
    pub log: PathBuf,
    pub server_logs: Vec<PathBuf>,
}

impl SplitRun {
    pub fn device(&self, name: &str) -> Option<&DeviceFigures> {
        self.devices.iter().find(|d| d.device == name)
    }
    pub fn rpc_devices(&self) -> impl Iterator<Item = &DeviceFigures> {
        self.devices.iter().filter(|d| d.endpoint.is_some())
    }
}

/// The endpoint in a buffer name `RPC0[127.0.0.1:50052]`.
fn buffer_endpoint(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("RPC")?;
    let (_, ep) = rest.split_once('[')?;
    ep.strip_suffix(']')
}

/// `load_tensors: layer  12 assigned to device RPC1, is_swa = 0` → (12, "RPC1").
pub fn parse_layer_line(line: &str) -> Option<(u32, String)> {
    let rest = line.split("load_tensors: layer ").nth(1)?;
    let (il, rest) = rest.split_once(" assigned to device ")?;
    let dev = rest.split(',').next()?.trim();
    Some((il.trim().parse().ok()?, dev.to_string()))
}

/// `load_tensors: offloaded 25/25 layers to GPU` → (25, 25).
fn parse_offloaded(line: &str) -> Option<(u32, u32)> {
    let rest = line.split("load_tensors: offloaded ").nth(1)?;
    let (a, rest) = rest.split_once('/')?;
    let b = rest.split_whitespace().next()?;
    Some((a.trim().parse().ok()?, b.parse().ok()?))
}

/// `… using device RPC0 (127.0.0.1:50052) (unknown id) - 19520 MiB free` → ("RPC0", 19520).
fn parse_using_device(line: &str) -> Option<(String, u64)> {
    let rest = line.split(": using device ").nth(1)?;
    let dev = rest.split_whitespace().next()?.to_string();
    let free = rest.rsplit(" - ").next()?.trim().strip_suffix("MiB free")?;
    Some((dev, free.trim().parse().ok()?))
}

/// The device llama.cpp gives offloadable layer `il` (0..=n_layer; n_layer is the output
/// layer) with all `n_layer + 1` layers offloaded, for a `--tensor-split` of `split`:
/// `src/llama-model.cpp` `load_tensors` normalises the cumulative splits and takes
/// `upper_bound(splits, il / act_gpu_layers)`.
pub fn expected_layer_device(il: u32, n_layer: u32, split: &[f32]) -> usize {
    let total: f32 = split.iter().sum();
    let mut acc = 0.0f32;
    let cum: Vec<f32> = split
        .iter()
        .map(|s| {
            acc += s;
            acc / total
        })
        .collect();
    let x = il as f32 / (n_layer + 1) as f32;
    // upper_bound: the first element greater than x.
    cum.iter().position(|&c| c > x).unwrap_or(cum.len())
}

/// Splits one real load's buffers by device. `endpoints` in `--rpc` order.
pub fn figures(
    text: &str,
    report: &LoadReport,
    endpoints: &[String],
    split: &[f32],
) -> (Vec<DeviceFigures>, Option<(u32, u32)>) {
    let mut devs: Vec<DeviceFigures> = endpoints
        .iter()
        .enumerate()
        .map(|(i, ep)| DeviceFigures {
            device: format!("RPC{i}"),
            endpoint: Some(ep.clone()),
            split: split.get(i).copied(),
            ..Default::default()
        })
        .collect();
    devs.push(DeviceFigures {
        device: "Host".into(),
        ..Default::default()
    });
    let host = devs.len() - 1;
    let slot = |name: &str| -> usize {
        buffer_endpoint(name)
            .and_then(|ep| endpoints.iter().position(|e| e == ep))
            .unwrap_or(host)
    };
    for b in &report.model_buffers {
        let d = &mut devs[slot(&b.name)];
        d.model_mib += b.mib;
        d.model_buffers.push(b.clone());
    }
    for b in &report.kv_buffers {
        let d = &mut devs[slot(&b.name)];
        d.kv_mib += b.mib;
        d.kv_buffers.push(b.clone());
    }
    for b in &report.rs_buffers {
        devs[slot(&b.name)].rs_mib += b.mib;
    }
    for b in &report.output_buffers {
        devs[slot(&b.name)].output_mib += b.mib;
    }
    // The destructor's four-decimal compute sizes where the log has them (`-v`), else the
    // two-decimal reserve lines.
    let compute = if report.compute_exact.is_empty() {
        &report.compute_buffers
    } else {
        &report.compute_exact
    };
    for b in compute {
        let d = &mut devs[slot(&b.name)];
        d.compute_mib += b.mib;
        d.compute_buffers.push(b.clone());
    }
    // Layer lines and device lines: the last load's (the log holds one here, `-fit off`).
    let mut offloaded = None;
    let mut layers: Vec<(u32, String)> = Vec::new();
    for line in text.lines() {
        if let Some((il, dev)) = parse_layer_line(line) {
            if il == 0 {
                layers.clear();
            }
            layers.push((il, dev));
        } else if let Some(o) = parse_offloaded(line) {
            offloaded = Some(o);
        } else if let Some((dev, free)) = parse_using_device(line) {
            if let Some(d) = devs.iter_mut().find(|d| d.device == dev) {
                d.free_mib = Some(free);
            }
        }
    }
    for (il, dev) in layers {
        let i = devs.iter().position(|d| d.device == dev).unwrap_or(host);
        devs[i].layers.push(il);
    }
    (devs, offloaded)
}

/// One load of `model` split over `split.len()` fresh rpc-servers, each layer offloaded
/// (`-ngl 99`), the token embedding on the host. `s` must use llama-completion.
/// `-fit off`: llama.cpp's fitting refuses a user-set tensor split (`common/fit.cpp`,
/// "tensor_split already set by user"), and the split measured must be the one asked for.
pub fn split_load(
    build: &RpcBuild,
    model: &Path,
    s: &Setting,
    split: &[f32],
    log_dir: &Path,
    timeout: Duration,
) -> Result<SplitRun> {
    if s.front_end != Runtime::LlamaCompletion {
        bail!("split loads run through llama-completion");
    }
    if split.is_empty() {
        bail!("an empty tensor split");
    }
    let mut servers = RpcServers::start(build, split.len(), 1, log_dir, Duration::from_secs(30))?;
    let devices: Vec<String> = (0..split.len()).map(|i| format!("RPC{i}")).collect();
    let mut args: Vec<String> = vec!["-m".into(), model.display().to_string()];
    args.extend(s.args());
    args.extend(
        [
            "--rpc",
            &servers.endpoints.join(","),
            "-dev",
            &devices.join(","),
            "-ngl",
            "99",
            "--tensor-split",
            &split
                .iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(","),
            "-fit",
            "off",
            "-t",
            "2",
            "-v",
            "--no-warmup",
            "-n",
            "0",
            "-p",
            "hi",
            "-no-cnv",
        ]
        .map(String::from),
    );
    let t0 = Instant::now();
    let text = build
        .llama()
        .run_until("llama-completion", &args, &[], timeout)?;
    let wall = t0.elapsed();
    let label = split
        .iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join("-");
    let log = log_dir.join(format!("llama-completion-split-{label}.log"));
    std::fs::write(
        &log,
        format!("{text}{WALL_PREFIX}{:.3}\n", wall.as_secs_f64()),
    )?;
    let alive = servers.check_alive();
    let reports = parse_log(&text);
    let Some(real) = reports.iter().rev().find(|r| is_real_load(r)) else {
        let tail: Vec<&str> = text.lines().rev().take(15).collect();
        let tail = tail.into_iter().rev().collect::<Vec<_>>().join("\n");
        alive?;
        bail!(
            "llama.cpp reported no complete split load of {} (log {}):\n{tail}",
            model.display(),
            log.display()
        );
    };
    let (devices, offloaded) = figures(&text, real, &servers.endpoints, split);
    Ok(SplitRun {
        model: model.display().to_string(),
        tensor_split: split.to_vec(),
        setting: s.label(),
        args,
        offloaded,
        devices,
        wall_s: wall.as_secs_f64(),
        log,
        server_logs: servers.logs.clone(),
    })
}

/// The same model on the host alone (no RPC, nothing offloaded), through the same binary:
/// the reference the split's model buffers are held to.
pub fn host_load(
    build: &RpcBuild,
    model: &Path,
    s: &Setting,
    log_dir: &Path,
    timeout: Duration,
) -> Result<LoadReport> {
    let mut args: Vec<String> = vec!["-m".into(), model.display().to_string()];
    args.extend(s.args());
    args.extend(
        [
            "-ngl",
            "0",
            "-fit",
            "off",
            "-t",
            "2",
            "-v",
            "--no-warmup",
            "-n",
            "0",
            "-p",
            "hi",
            "-no-cnv",
        ]
        .map(String::from),
    );
    let text = build
        .llama()
        .run_until("llama-completion", &args, &[], timeout)?;
    std::fs::create_dir_all(log_dir)?;
    std::fs::write(log_dir.join("llama-completion-host.log"), &text)?;
    parse_log(&text)
        .into_iter()
        .rev()
        .find(is_real_load)
        .context("llama.cpp reported no complete host load")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_device_follows_upper_bound() {
        // 24 layers + output, 1:1 → layers 0..=12 on device 0 (12/25 < 0.5), 13..=24 on 1.
        let d: Vec<usize> = (0..=24)
            .map(|il| expected_layer_device(il, 24, &[1.0, 1.0]))
            .collect();
        assert_eq!(d.iter().filter(|&&x| x == 0).count(), 13);
        assert_eq!(d[24], 1);
        // 3:1 → il/25 < 0.75 → 0..=18 on device 0.
        let d: Vec<usize> = (0..=24)
            .map(|il| expected_layer_device(il, 24, &[3.0, 1.0]))
            .collect();
        assert_eq!(d.iter().filter(|&&x| x == 0).count(), 19);
    }

    #[test]
    fn splits_a_log_by_endpoint() {
        let log = "\
llama_model_load_from_file_impl: using device RPC0 (127.0.0.1:5001) (unknown id) - 19000 MiB free
llama_model_load_from_file_impl: using device RPC1 (127.0.0.1:5002) (unknown id) - 18000 MiB free
load_tensors: layer   0 assigned to device RPC0, is_swa = 0
load_tensors: layer   1 assigned to device RPC1, is_swa = 0
load_tensors: layer   2 assigned to device RPC1, is_swa = 0
load_tensors: offloaded 3/3 layers to GPU
load_tensors:   CPU_Mapped model buffer size =   100.00 MiB
load_tensors: RPC0[127.0.0.1:5001] model buffer size =    10.50 MiB
load_tensors: RPC0[127.0.0.1:5002] model buffer size =    20.25 MiB
llama_context: constructing llama_context
llama_context:        CPU  output buffer size =     0.58 MiB
llama_kv_cache: RPC0[127.0.0.1:5001] KV buffer size =     4.00 MiB
llama_kv_cache: RPC0[127.0.0.1:5002] KV buffer size =     8.00 MiB
llama_kv_cache: size =   12.00 MiB (  1024 cells,   2 layers,  1/1 seqs), K (f16):    6.00 MiB, V (f16):    6.00 MiB
sched_reserve: RPC0[127.0.0.1:5001] compute buffer size =    30.00 MiB
sched_reserve: RPC0[127.0.0.1:5002] compute buffer size =    31.00 MiB
sched_reserve:  CPU compute buffer size =     5.00 MiB
";
        let r = parse_log(log).pop().unwrap();
        let eps = vec!["127.0.0.1:5001".to_string(), "127.0.0.1:5002".to_string()];
        let (d, off) = figures(log, &r, &eps, &[1.0, 2.0]);
        assert_eq!(off, Some((3, 3)));
        assert_eq!(d.len(), 3);
        assert_eq!(
            (d[0].model_mib, d[0].kv_mib, d[0].compute_mib),
            (10.5, 4.0, 30.0)
        );
        assert_eq!(
            (d[1].model_mib, d[1].kv_mib, d[1].compute_mib),
            (20.25, 8.0, 31.0)
        );
        assert_eq!(d[1].layers, vec![1, 2]);
        assert_eq!(d[0].free_mib, Some(19000));
        assert_eq!(d[2].device, "Host");
        assert_eq!(
            (d[2].model_mib, d[2].output_mib, d[2].compute_mib),
            (100.0, 0.58, 5.0)
        );
    }
}
