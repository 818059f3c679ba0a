//! Several units of one catalog machine joined by a network link, as llama.cpp runs them over
//! RPC (`--rpc host:port,…`, tools/rpc/README.md): whole layers are placed on each device, each
//! device holds the KV cache of its layers and its own compute buffer, and the layers run in
//! sequence, so a token's time is the sum of each unit's share of the bytes over its bandwidth
//! plus a cost per crossing of the link.
//!
//! This is `cabe buy`'s own, deliberately small model of an identical-units split (an even
//! layer split, the non-layer tensors counted on the fullest unit). A general planner of splits
//! over unlike devices would replace [`assess_units`]; nothing else in `buy` depends on how it
//! is computed.

use crate::assess::{assess, Request, Workload};
use crate::buy::Want;
use crate::runtime::RuntimeSettings;
use crate::speed::SpeedBasis;
use cabe_catalog::HardwareEntry;
use cabe_core::model::ModelSpec;
use cabe_core::plan::{capacity, plan, Capacity};
use cabe_core::speed::Range;
use cabe_core::weights::{block_of, Weights};
use serde::Serialize;

/// The link between units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Link {
    pub name: &'static str,
    /// Line rate, Gbit/s.
    pub gbps: f64,
    /// Where the figure comes from.
    pub source: &'static str,
}

/// N units of one catalog machine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitConfig {
    /// The catalog machine id of one unit.
    pub unit: &'static str,
    pub units: u32,
    pub link: Link,
}

/// DGX Spark's ConnectX-7 port: 200 Gb/s ("NVIDIA ConnectX-7 Smart NIC", 200GbE; NVIDIA pairs
/// two Sparks over it for models up to 405B parameters).
pub const CONNECTX7: Link = Link {
    name: "ConnectX-7 (200 Gb/s)",
    gbps: 200.0,
    source: "https://www.nvidia.com/en-us/products/workstations/dgx-spark/",
};

/// Mac Studio (2025)'s Thunderbolt 5 ports: "up to 120Gb/s" (Apple's tech specs; that is the
/// one-way Bandwidth Boost mode, 80 Gb/s each way otherwise).
pub const THUNDERBOLT5: Link = Link {
    name: "Thunderbolt 5 (up to 120 Gb/s)",
    gbps: 120.0,
    source: "https://www.apple.com/mac-studio/specs/",
};

/// The configurations `cabe buy` compares besides single machines: the pairs people build.
pub const CONFIGS: &[UnitConfig] = &[
    UnitConfig {
        unit: "dgx-spark-128gb",
        units: 2,
        link: CONNECTX7,
    },
    UnitConfig {
        unit: "mac-studio-m3-ultra-256gb",
        units: 2,
        link: THUNDERBOLT5,
    },
    UnitConfig {
        unit: "mac-studio-m3-ultra-512gb",
        units: 2,
        link: THUNDERBOLT5,
    },
];

/// The RPC protocol's own cost per token for each remote device, seconds: llama.cpp's RPC
/// pull request (ggml-org/llama.cpp#6829) measured tinyllama-1.1B F16 at 63 tok/s on CUDA and
/// 60 tok/s through an rpc-server on the same host, i.e. 1/60 − 1/63 s ≈ 0.8 ms per token.
pub const RPC_OVERHEAD_S: f64 = 1.0 / 60.0 - 1.0 / 63.0;

/// The id a configuration is listed under: `2x-dgx-spark-128gb`.
pub fn config_id(c: &UnitConfig) -> String {
    format!("{}x-{}", c.units, c.unit)
}

/// What a configuration gives.
#[derive(Clone, Debug)]
pub struct UnitsAssessment {
    pub ctx: u64,
    /// Every unit's usable memory, summed.
    pub usable_bytes: u64,
    /// What all units hold together.
    pub total_bytes: u64,
    /// The fullest unit's headroom (negative: it does not fit).
    pub headroom_bytes: i64,
    pub fits: bool,
    pub max_ctx: Option<u64>,
    pub layers_per_unit: u32,
    pub decode_tps: Option<Range>,
    pub prefill_tps: Option<Range>,
    pub ttft_s: Option<Range>,
    /// Seconds each token spends crossing links (ceiling: the transfer alone).
    pub link_s_per_token: f64,
}

/// Bytes on the fullest unit: its whole layers' weights and KV cache (`ceil(layers / units)`
/// of them), all the non-layer tensors (token embeddings, output head, projector; each in fact
/// sits on one unit, so this is an upper bound), the compute and output buffers and the
/// runtime reserve, which every device has its own of.
fn fullest_unit_bytes(
    spec: &ModelSpec,
    w: &Weights,
    settings: &RuntimeSettings,
    ctx: u64,
    unit_cap: &Capacity,
    units: u32,
) -> (u64, u64) {
    let p = plan(spec, w, &settings.profile(spec, ctx), unit_cap);
    let m = &p.memory;
    let layers = spec.n_layer().max(1) as u64;
    let in_layers: u64 = w
        .tensors
        .iter()
        .filter(|t| block_of(&t.name).is_some())
        .map(|t| t.bytes())
        .sum();
    // A file without a tensor list: every weight counted as layer weights.
    let in_layers = if w.tensors.is_empty() {
        w.bytes
    } else {
        in_layers
    };
    let outside = m.weights_bytes.saturating_sub(in_layers);
    let share = layers.div_ceil(units.max(1) as u64);
    let per_unit_layers = (in_layers + m.kv_cache_bytes) as u128 * share as u128 / layers as u128;
    let fullest = per_unit_layers as u64 + outside + m.compute_bytes + m.output_bytes;
    let fullest = fullest + unit_cap.runtime_reserve;
    let all = m.weights_bytes
        + m.kv_cache_bytes
        + (m.compute_bytes + m.output_bytes + unit_cap.runtime_reserve) * units as u64;
    (fullest, all)
}

/// The largest context (a multiple of 256, at most the native one) whose fullest unit fits.
fn max_ctx_units(
    spec: &ModelSpec,
    w: &Weights,
    settings: &RuntimeSettings,
    unit_cap: &Capacity,
    units: u32,
) -> Option<u64> {
    let fits = |ctx: u64| {
        fullest_unit_bytes(spec, w, settings, ctx, unit_cap, units).0 <= unit_cap.fast_bytes
    };
    let step = 256u64;
    let top = (spec.native_ctx.max(step) / step).max(1);
    if !fits(step) {
        return None;
    }
    if fits(top * step) {
        return Some(top * step);
    }
    let (mut lo, mut hi) = (1u64, top);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid * step) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo * step)
}

/// One configuration for the model at the wanted context and prompt. Speed: the units run in
/// sequence over the same bytes as one machine with their pooled memory would read (so that
/// machine's prediction), plus, per token, `units − 1` crossings of the link, each the RPC
/// overhead and the hidden state (n_embd f32 values) at the link's rate; the prompt's hidden
/// states cross once per unit boundary before the first token.
pub fn assess_units(
    spec: &ModelSpec,
    weights: &Weights,
    unit: &HardwareEntry,
    config: &UnitConfig,
    settings: &RuntimeSettings,
    want: &Want,
    os_reserve: u64,
) -> Result<UnitsAssessment, String> {
    let (ctx, prompt_tokens) = (want.ctx, want.prompt_tokens);
    let n = config.units.max(1);
    let unit_cap = capacity(&unit.spec, os_reserve);
    let mut pooled = unit.spec.clone();
    pooled.id = config_id(config);
    pooled.ram_bytes = pooled.ram_bytes.saturating_mul(n as u64);
    pooled.vram_bytes = pooled.vram_bytes.saturating_mul(n as u64);
    let pooled_cap = capacity(&pooled, os_reserve);
    let req = Request {
        spec,
        weights,
        hardware: &pooled,
        capacity: &pooled_cap,
        settings: settings.clone(),
        ctx,
        workload: Workload {
            prompt_tokens,
            ..Workload::default()
        },
    };
    let basis = SpeedBasis::catalog(&pooled, Some(pooled.id.clone()));
    let a = assess(&req, &basis, None)?;
    let ctx = a.memory.ctx;
    let (fullest, all) = fullest_unit_bytes(spec, weights, settings, ctx, &unit_cap, n);
    let hops = (n - 1) as f64;
    let link_bytes_per_s = config.link.gbps * 1e9 / 8.0;
    let hidden_bytes = spec.n_embd as f64 * 4.0;
    let transfer_s = hops * hidden_bytes / link_bytes_per_s;
    let link_s = transfer_s + hops * RPC_OVERHEAD_S;
    let speed = a.speed.as_ref();
    let decode = speed
        .map(|s| s.decode_empty_tps)
        .filter(|d| d.typical > 0.0)
        .map(|d| Range {
            low: 1.0 / (1.0 / d.low + link_s),
            typical: 1.0 / (1.0 / d.typical + link_s),
            high: 1.0 / (1.0 / d.high + link_s),
            bound: 1.0 / (1.0 / d.bound + transfer_s),
        });
    let ttft = match (speed.and_then(|s| s.ttft_s), prompt_tokens) {
        (Some(t), Some(p)) => {
            let ubatches = p.div_ceil(settings.ubatch.max(1) as u64) as f64;
            let prompt_link = hops * p as f64 * hidden_bytes / link_bytes_per_s;
            let extra = prompt_link + hops * RPC_OVERHEAD_S * ubatches;
            Some(Range {
                low: t.low + extra,
                typical: t.typical + extra,
                high: t.high + extra,
                bound: t.bound + prompt_link,
            })
        }
        _ => None,
    };
    let prefill = match (ttft, prompt_tokens) {
        (Some(t), Some(p)) => Some(Range {
            low: p as f64 / t.high,
            typical: p as f64 / t.typical,
            high: p as f64 / t.low,
            bound: p as f64 / t.bound,
        }),
        _ => None,
    };
    Ok(UnitsAssessment {
        ctx,
        usable_bytes: unit_cap.fast_bytes * n as u64,
        total_bytes: all,
        headroom_bytes: unit_cap.fast_bytes as i64 - fullest as i64,
        fits: fullest <= unit_cap.fast_bytes,
        max_ctx: max_ctx_units(spec, weights, settings, &unit_cap, n),
        layers_per_unit: spec.n_layer().div_ceil(n),
        decode_tps: decode,
        prefill_tps: prefill,
        ttft_s: ttft,
        link_s_per_token: link_s,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cabe_core::plan::DEFAULT_OS_RESERVE;
    use cabe_core::quant::FileType;
    use cabe_core::weights::for_file_type;

    fn run(model: &str, c: &UnitConfig, ctx: u64) -> UnitsAssessment {
        let spec = &cabe_catalog::find_model(model).unwrap().spec;
        let w = for_file_type(spec, FileType::Q4_K_M);
        let unit = cabe_catalog::find_hardware(c.unit).unwrap();
        assess_units(
            spec,
            &w,
            unit,
            c,
            &RuntimeSettings::default(),
            &Want {
                ctx: crate::CtxChoice::Tokens(ctx),
                min_decode_tps: None,
                prompt_tokens: Some(4096),
                max_ttft_s: None,
                budget_usd: None,
                claim: None,
            },
            DEFAULT_OS_RESERVE,
        )
        .unwrap()
    }

    #[test]
    fn every_configuration_names_a_catalog_machine_and_a_sourced_link() {
        for c in CONFIGS {
            assert!(cabe_catalog::find_hardware(c.unit).is_ok_and(|h| h.id == c.unit));
            assert!(c.units >= 2 && c.link.gbps > 0.0);
            assert!(c.link.source.starts_with("https://"), "{}", c.unit);
        }
    }

    #[test]
    fn two_sparks_hold_a_405b_that_one_cannot_with_each_unit_under_its_memory() {
        let two = run("llama-3.1-405b", &CONFIGS[0], 8192);
        assert!(two.fits, "{two:?}");
        assert_eq!(two.layers_per_unit, 63);
        // Each unit holds about half: the fullest is under one unit's memory, the pair holds
        // more than one unit could.
        let unit = capacity(
            &cabe_catalog::find_hardware("dgx-spark-128gb").unwrap().spec,
            DEFAULT_OS_RESERVE,
        );
        assert!(two.total_bytes > unit.fast_bytes);
        assert!(two.headroom_bytes >= 0);
        assert!(two.max_ctx.unwrap() >= 8192);
        // 405B at ~4.9 bits is ~245 GB read per token at 273 GB/s: about 1 tok/s at best.
        let d = two.decode_tps.unwrap();
        assert!(d.bound < 1.2 && d.typical > 0.5, "{d:?}");
        // The link costs little next to the memory reads (well under 1% of a token's time).
        assert!(two.link_s_per_token * d.typical < 0.01);
    }

    #[test]
    fn the_fullest_unit_grows_with_context_until_it_no_longer_fits() {
        let two = run("llama-3.1-405b", &CONFIGS[0], 131072);
        assert!(!two.fits && two.headroom_bytes < 0, "{two:?}");
        let max = two.max_ctx.unwrap();
        assert!((8192..131072).contains(&max), "{max}");
        assert!(run("llama-3.1-405b", &CONFIGS[0], max).fits);
        assert!(!run("llama-3.1-405b", &CONFIGS[0], max + 256).fits);
    }
}
