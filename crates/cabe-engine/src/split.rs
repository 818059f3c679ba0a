//! One model over several devices, the way llama.cpp places it with its default
//! `--split-mode layer` (several GPUs in one box, or `rpc-server` hosts given with `--rpc`).
//!
//! The rules, from llama.cpp b11312's `src/llama-model.cpp` (`llama_model::load_tensors`):
//! - the split points are each device's share of `--tensor-split`, by default of the free
//!   memory each device reports, summed and normalised: `s_d = Σ_{j≤d} w_j / Σ w`;
//! - with every layer offloaded, layer `il` of `0..=n_layer` (index `n_layer` is the output
//!   layer) goes to the first device whose split point exceeds `il / (n_layer + 1)`
//!   (`std::upper_bound` over the split points);
//! - the input layer (the token embedding) always stays on the CPU of the host that runs
//!   llama.cpp ("there is very little benefit to offloading the input layer"); a model whose
//!   output head is tied to the embedding gets a copy of it on the output layer's device
//!   (`TENSOR_DUPLICATED`);
//! - each layer's KV cache lives on that layer's device (`src/llama-kv-cache.cpp` allocates
//!   one buffer per device for the layers it holds);
//! - each device reserves its own compute buffer for the part of the graph it runs: the
//!   attention and FFN peaks of its layers, the logits peak only on the output layer's device;
//!   over several devices micro-batches are pipelined, and each device keeps four copies of
//!   its graph inputs (KQ masks, incoming hidden states, positions: `src/llama-context.cpp`
//!   `pipeline_parallel`, `ggml/src/ggml-backend.cpp` `GGML_SCHED_MAX_COPIES`).
//!
//! Pure: the devices come in as data.

use crate::runtime::RuntimeSettings;
use crate::speed::SpeedBasis;
use cabe_core::hardware::{HardwareSpec, MemoryKind};
use cabe_core::kv::{kv_cache, RuntimeProfile};
use cabe_core::model::{LayerKind, ModelSpec};
use cabe_core::plan::{capacity, compute_stages, output_buffer, PIPELINE_COPIES};
use cabe_core::speed::{Placement, Range};
use cabe_core::weights::{block_of, Weights};
use serde::Serialize;

/// One device the model may be split over.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Device {
    /// How the user will recognise it: "GPU 0", "host 2 (dgx-spark-128gb)".
    pub name: String,
    /// Bytes the model may use on it (its memory less driver and OS reserves).
    pub capacity_bytes: u64,
    /// Peak bandwidth of its memory, GB/s (0 when unknown).
    pub bandwidth_gbps: f64,
}

/// What lands on one device.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviceShare {
    pub device: Device,
    /// Repeating layers held, as `first..=last` (None: none).
    pub layers: Option<(u32, u32)>,
    pub n_layers: u32,
    /// Holds the output layer (output norm and head, and the logits stage of the graph).
    pub output: bool,
    pub weight_bytes: u64,
    /// Weight bytes a decoded token reads here (MoE: only the experts in use).
    pub weight_bytes_active: u64,
    pub kv_bytes: u64,
    pub compute_bytes: u64,
    /// The host's share ([`HostShare`]) when this device's memory is the host's.
    pub host_bytes: u64,
    pub total_bytes: u64,
    /// capacity − total (negative: does not fit).
    pub headroom_bytes: i64,
}

/// What stays on the host that runs llama.cpp (its CPU), whichever devices hold the layers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostShare {
    /// The token embedding (the input layer).
    pub weight_bytes: u64,
    /// The logits llama.cpp copies out (`output_reserve`).
    pub output_bytes: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Split {
    /// The normalised `--tensor-split` used (the device weights as given, summing to 1).
    pub tensor_split: Vec<f64>,
    pub devices: Vec<DeviceShare>,
    pub host: HostShare,
    /// Every device has room for its share.
    pub fits: bool,
}

/// The device of each layer `0..=n_layer` (the last entry is the output layer) for split
/// weights `w` (any non-negative scale; all zero is refused by the caller), all layers
/// offloaded: llama.cpp's `upper_bound` over the normalised cumulative weights.
pub fn layer_devices(n_layer: u32, w: &[f64]) -> Vec<usize> {
    let total: f64 = w.iter().sum();
    let mut points = Vec::with_capacity(w.len());
    let mut sum = 0.0;
    for x in w {
        sum += x;
        // llama.cpp holds the points as f32; the comparison is made in f32 too.
        points.push((sum / total) as f32);
    }
    let n = n_layer + 1;
    (0..n)
        .map(|il| {
            let x = il as f32 / n as f32;
            points
                .iter()
                .position(|&p| p > x)
                .unwrap_or(w.len() - 1)
                .min(w.len() - 1)
        })
        .collect()
}

/// Splits `m` (weights `w`, settings `p`) over `devices` with split weights `tensor_split`
/// (None: in proportion to each device's capacity, llama.cpp's default by free memory).
/// `host_device`: the device whose memory is also the host's (a unified-memory machine that
/// runs llama.cpp and holds layers): the host's share counts against it too.
pub fn split(
    m: &ModelSpec,
    w: &Weights,
    p: &RuntimeProfile,
    devices: &[Device],
    tensor_split: Option<&[f64]>,
    host_device: Option<usize>,
) -> Result<Split, String> {
    if devices.is_empty() {
        return Err("no devices to split over".into());
    }
    let weights: Vec<f64> = match tensor_split {
        Some(t) if t.len() != devices.len() => {
            return Err(format!(
                "--tensor-split has {} values for {} devices",
                t.len(),
                devices.len()
            ))
        }
        Some(t) => t.to_vec(),
        None => devices.iter().map(|d| d.capacity_bytes as f64).collect(),
    };
    if weights.iter().any(|x| !x.is_finite() || *x < 0.0) || weights.iter().sum::<f64>() <= 0.0 {
        return Err("the split weights must be non-negative numbers, not all zero".into());
    }
    let n_layer = m.layers.len() as u32;
    let of_layer = layer_devices(n_layer, &weights);
    let out_dev = of_layer[n_layer as usize];
    let nd = devices.len();
    let mut weight = vec![0u64; nd];
    let mut active = vec![0u64; nd];
    let mut host_weights = 0u64;
    let has_output = w.tensors.iter().any(|t| &*t.name == "output.weight");
    let expert_share = m
        .moe
        .as_ref()
        .map_or(1.0, |x| x.n_expert_used as f64 / x.n_expert.max(1) as f64);
    for t in &w.tensors {
        let bytes = t.bytes();
        let routed = t.name.contains("_exps");
        let read = if routed {
            (bytes as f64 * expert_share) as u64
        } else {
            bytes
        };
        match block_of(&t.name) {
            Some(il) if il < n_layer => {
                let d = of_layer[il as usize];
                weight[d] += bytes;
                active[d] += read;
            }
            _ if &*t.name == "token_embd.weight" => {
                host_weights += bytes;
                if !has_output {
                    // The tied head: a copy on the output layer's device.
                    weight[out_dev] += bytes;
                    active[out_dev] += bytes;
                }
            }
            _ => {
                weight[out_dev] += bytes;
                active[out_dev] += read;
            }
        }
    }

    let kv = kv_cache(m, p);
    let mut kv_bytes = vec![0u64; nd];
    for l in &kv.layers {
        if let Some(&d) = of_layer.get(l.layer as usize) {
            kv_bytes[d] += l.k_bytes + l.v_bytes;
        }
    }
    let recurrent: Vec<usize> = m
        .layers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind == LayerKind::Recurrent)
        .map(|(i, _)| of_layer[i])
        .collect();
    for &d in &recurrent {
        kv_bytes[d] += kv.recurrent_bytes / recurrent.len() as u64;
    }

    let stages = compute_stages(m, p, &kv);
    let mut shares = Vec::with_capacity(nd);
    for (d, dev) in devices.iter().enumerate() {
        let held: Vec<u32> = (0..n_layer)
            .filter(|&il| of_layer[il as usize] == d)
            .collect();
        let attends = |swa: bool| {
            held.iter().any(|&il| {
                let l = &m.layers[il as usize];
                l.kind == LayerKind::Attention && l.swa == swa
            })
        };
        let has_attention = attends(false) || attends(true);
        // The masks of caches none of this device's layers attend over are not its inputs.
        let unused = if attends(false) { 0 } else { stages.mask_full }
            + if attends(true) { 0 } else { stages.mask_swa };
        let mut compute = if held.is_empty() {
            0
        } else {
            stages.ffn.saturating_sub(unused).max(if has_attention {
                stages.attention.saturating_sub(unused)
            } else {
                0
            })
        };
        if d == out_dev {
            compute = compute.max(stages.logits);
        }
        // Over several devices llama.cpp pipelines micro-batches: each device keeps
        // PIPELINE_COPIES of its graph inputs (one is already in the stages).
        if nd > 1 && (!held.is_empty() || d == out_dev) {
            compute += (PIPELINE_COPIES - 1) * stages.inputs.saturating_sub(unused);
        }
        let host = if host_device == Some(d) {
            host_weights + output_buffer(m, p)
        } else {
            0
        };
        let total = weight[d] + kv_bytes[d] + compute + host;
        shares.push(DeviceShare {
            device: dev.clone(),
            layers: held.first().map(|&a| (a, *held.last().unwrap())),
            n_layers: held.len() as u32,
            output: d == out_dev,
            weight_bytes: weight[d],
            weight_bytes_active: active[d],
            kv_bytes: kv_bytes[d],
            compute_bytes: compute,
            host_bytes: host,
            total_bytes: total,
            headroom_bytes: dev.capacity_bytes as i64 - total as i64,
        });
    }
    let total: f64 = weights.iter().sum();
    Ok(Split {
        tensor_split: weights.iter().map(|x| x / total).collect(),
        fits: shares.iter().all(|s| s.headroom_bytes >= 0),
        devices: shares,
        host: HostShare {
            weight_bytes: host_weights,
            output_bytes: output_buffer(m, p),
        },
    })
}

/// A machine (or `units` identical machines joined by RPC) as the devices llama.cpp would
/// split over, in llama.cpp's order, and which of them shares the host's memory.
///
/// - A discrete-GPU machine with several GPUs: one device per GPU, each with its VRAM share
///   less the driver's reserve ([`cabe_core::plan::reserve::GPU_DRIVER`]).
/// - A unified-memory machine (Apple, DGX Spark, Strix Halo) or a single GPU: one device with
///   the capacity `fit` would give it.
/// - `units` > 1: the head runs llama.cpp with its own devices, every other unit runs
///   `rpc-server`; llama.cpp puts RPC devices first ("add RPC servers at the front of the list
///   to minimize network transfers", `src/llama.cpp`), so the head's devices come last and
///   hold the output layer.
pub fn devices_of(hw: &HardwareSpec, units: u32, os_reserve: u64) -> (Vec<Device>, Option<usize>) {
    let one = |unit: &str| -> Vec<Device> {
        let cap = capacity(hw, os_reserve);
        let n = hw.gpu_count.max(1);
        if hw.kind == MemoryKind::DiscreteGpu && n > 1 {
            let per = hw.vram_bytes / n as u64;
            (0..n)
                .map(|g| Device {
                    name: format!("{unit}GPU {g}"),
                    capacity_bytes: per.saturating_sub(cabe_core::plan::reserve::GPU_DRIVER),
                    bandwidth_gbps: hw.bandwidth_gbps,
                })
                .collect()
        } else {
            vec![Device {
                name: format!("{unit}{}", hw.name),
                capacity_bytes: cap.fast_bytes.saturating_sub(cap.runtime_reserve),
                bandwidth_gbps: hw.bandwidth_gbps,
            }]
        }
    };
    if units <= 1 {
        let d = one("");
        let host = (hw.kind != MemoryKind::DiscreteGpu).then_some(0);
        return (d, host);
    }
    let mut out = Vec::new();
    for u in 1..units {
        out.extend(one(&format!("host {u} (rpc-server): ")));
    }
    let head = one("host 0 (llama-server): ");
    let host = (hw.kind != MemoryKind::DiscreteGpu).then_some(out.len());
    out.extend(head);
    (out, host)
}

/// What crosses the link between two hosts for each token of a layer split: the hidden state
/// (`n_embd` f32 values) once per boundary, and llama.cpp's RPC exchanges with each remote
/// device (its inputs set, the graph computed, the result read back: at least one round trip
/// each, `ggml/src/ggml-rpc/ggml-rpc.cpp`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkTerm {
    pub link_gbps: f64,
    pub latency_us: f64,
    /// Boundaries between devices on different hosts.
    pub crossings: u32,
    pub bytes_per_crossing: u64,
    /// Seconds per decoded token the link adds.
    pub seconds_per_token: f64,
}

/// The decode ceiling of a split: each device reads its share in turn (a layer split runs the
/// devices one after another for each token), plus the link.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SplitDecode {
    /// Bandwidth-bound ceiling, tok/s (None: a device's bandwidth is unknown).
    pub ceiling_tps: Option<f64>,
    pub memory_seconds_per_token: Option<f64>,
    pub link: Option<LinkTerm>,
}

/// [`SplitDecode`] for `split`, with `link` = (Gbit/s, one-way latency µs) between hosts and
/// `hosts` the number of hosts (1: one box, no link).
pub fn decode_ceiling(
    m: &ModelSpec,
    s: &Split,
    hosts: u32,
    link: Option<(f64, f64)>,
) -> SplitDecode {
    let mut secs = 0.0;
    let mut known = true;
    for d in &s.devices {
        if d.n_layers == 0 && !d.output {
            continue;
        }
        if d.device.bandwidth_gbps <= 0.0 {
            known = false;
            continue;
        }
        secs += (d.weight_bytes_active + d.kv_bytes) as f64 / (d.device.bandwidth_gbps * 1e9);
    }
    let link = link_term(m, hosts, link);
    let total = secs + link.as_ref().map_or(0.0, |l| l.seconds_per_token);
    SplitDecode {
        ceiling_tps: (known && total > 0.0).then(|| 1.0 / total),
        memory_seconds_per_token: known.then_some(secs),
        link,
    }
}

/// The link's cost per decoded token between `hosts` hosts, for `link` = (Gbit/s, one-way
/// latency µs); None on one host or without a link.
pub fn link_term(m: &ModelSpec, hosts: u32, link: Option<(f64, f64)>) -> Option<LinkTerm> {
    match (hosts > 1, link) {
        (true, Some((gbps, us))) => {
            let crossings = hosts - 1;
            let bytes = m.n_embd * 4;
            // There and back per remote host: the hidden state goes out, the next one (or the
            // logits' input) comes back, each paying the latency.
            let per = 2.0 * (bytes as f64 * 8.0 / (gbps * 1e9) + us * 1e-6);
            Some(LinkTerm {
                link_gbps: gbps,
                latency_us: us,
                crossings,
                bytes_per_crossing: bytes,
                seconds_per_token: per * crossings as f64,
            })
        }
        _ => None,
    }
}

/// Decode and prefill of a layer split over identical devices, through the engine's one speed
/// pipeline ([`SpeedBasis::predict`]): the devices of a layer split run one after another for
/// each token, so the memory and compute time is the whole model's on one such device, and
/// the link adds its time per token (decode) or per micro-batch (prefill: `n_ubatch` hidden
/// states cross each boundary at once).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SplitSpeed {
    /// Decode tok/s at the start of the context (None: bandwidth unknown).
    pub decode: Option<Range>,
    /// Prefill tok/s over the prompt (None: no compute figure).
    pub prefill: Option<Range>,
    pub prompt_tokens: u64,
    /// Seconds to the first token for the prompt.
    pub ttft_s: Option<Range>,
    /// Seconds per prompt token the link adds in prefill.
    pub link_prefill_seconds_per_token: f64,
    pub link: Option<LinkTerm>,
    pub efficiency_source: String,
}

/// [`SplitSpeed`] for `m` on devices of the machine `basis` describes.
pub fn speed(
    basis: &SpeedBasis,
    m: &ModelSpec,
    w: &Weights,
    p: &RuntimeProfile,
    hosts: u32,
    link: Option<(f64, f64)>,
    prompt_tokens: u64,
) -> SplitSpeed {
    let prompt = prompt_tokens.max(1);
    let pred = basis.predict(m, w, p, Placement::default(), 0, prompt);
    let link = link_term(m, hosts, link);
    let per_token = link.as_ref().map_or(0.0, |l| l.seconds_per_token);
    let ub = (p.n_ubatch.max(1) as u64).min(prompt);
    let per_prompt_token = link.as_ref().map_or(0.0, |l| {
        let bytes = (l.bytes_per_crossing * ub) as f64;
        l.crossings as f64 * 2.0 * (bytes * 8.0 / (l.link_gbps * 1e9) + l.latency_us * 1e-6)
            / ub as f64
    });
    let slower = |r: Range, extra: f64| Range {
        low: 1.0 / (1.0 / r.low + extra),
        typical: 1.0 / (1.0 / r.typical + extra),
        high: 1.0 / (1.0 / r.high + extra),
        bound: 1.0 / (1.0 / r.bound + extra),
    };
    let prefill = pred.prefill.map(|r| slower(r, per_prompt_token));
    SplitSpeed {
        decode: pred.decode.map(|r| slower(r, per_token)),
        ttft_s: prefill.map(|r| r.time_for(prompt as f64)),
        prefill,
        prompt_tokens: prompt,
        link_prefill_seconds_per_token: per_prompt_token,
        link,
        efficiency_source: pred.efficiency_source,
    }
}

/// The largest context per sequence (a multiple of 256, up to `limit`) at which `split` of
/// `m` fits every device with `settings`; None when even 256 tokens do not.
pub fn max_context(
    m: &ModelSpec,
    w: &Weights,
    settings: &RuntimeSettings,
    devices: &[Device],
    tensor_split: Option<&[f64]>,
    host_device: Option<usize>,
    limit: u64,
) -> Option<u64> {
    let fits = |ctx: u64| {
        split(
            m,
            w,
            &settings.profile(m, ctx),
            devices,
            tensor_split,
            host_device,
        )
        .map(|s| s.fits)
        .unwrap_or(false)
    };
    let limit = (limit / 256).max(1) * 256;
    if !fits(256) {
        return None;
    }
    if fits(limit) {
        return Some(limit);
    }
    // More context never needs less memory on any device: bisect over multiples of 256.
    let (mut lo, mut hi) = (1u64, limit / 256);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid * 256) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo * 256)
}

/// The commands that run `split`: `rpc-server` on each remote host, and llama-server on the
/// head with the split written out.
pub fn commands(
    model_path: &str,
    s: &Split,
    hosts: u32,
    ctx_total: u64,
    n_seq: u32,
) -> Vec<String> {
    let ts: Vec<String> = s
        .tensor_split
        .iter()
        .map(|x| format!("{}", (x * 100.0).round() as u64))
        .collect();
    let mut out = Vec::new();
    let mut rpc = Vec::new();
    for h in 1..hosts {
        out.push(format!(
            "# on host {h} (a trusted network only: rpc-server has no authentication)
rpc-server -H 0.0.0.0 -p 50052 -c"
        ));
        rpc.push(format!("HOST{h}:50052"));
    }
    let mut head = format!(
        "llama-server -m {model_path} -ngl 99 --split-mode layer --tensor-split {} -c {ctx_total} -np {n_seq}",
        ts.join(",")
    );
    if !rpc.is_empty() {
        head.push_str(&format!(" --rpc {}", rpc.join(",")));
        out.push(format!(
            "# on host 0
{head}"
        ));
    } else {
        out.push(head);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_follow_llama_cpps_upper_bound() {
        // Even split of 32 layers + output over 2 devices: 33 slots, point 0.5 →
        // il/33 < 0.5 for il ≤ 16: layers 0–16 on the first, 17–31 and the output on the second.
        let d = layer_devices(32, &[1.0, 1.0]);
        assert_eq!(d.len(), 33);
        assert_eq!(d.iter().filter(|&&x| x == 0).count(), 17);
        assert_eq!(d[16], 0);
        assert_eq!(d[17], 1);
        assert_eq!(d[32], 1);
        // 3:1 → point 0.75: il/33 < 0.75 for il ≤ 24.
        let d = layer_devices(32, &[3.0, 1.0]);
        assert_eq!(d.iter().filter(|&&x| x == 0).count(), 25);
        // A zero-weight device gets nothing.
        let d = layer_devices(10, &[1.0, 0.0, 1.0]);
        assert!(!d.contains(&1));
        // One device holds everything.
        assert!(layer_devices(5, &[7.0]).iter().all(|&x| x == 0));
    }
}
