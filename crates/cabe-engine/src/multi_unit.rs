//! Several units of one catalog machine joined by a network link, as llama.cpp runs them over
//! RPC (`--rpc host:port,…`, tools/rpc/README.md): whole layers are placed on each device, each
//! device holds the KV cache of its layers and its own compute buffer, and the layers run in
//! sequence, so a token's time is the sum of each unit's share of the bytes over its bandwidth
//! plus a cost per crossing of the link.
//!
//! Memory comes from the engine's layer split ([`crate::split`], the same placement `cabe plan`
//! prints and the RPC ground truth checks against llama.cpp): each unit's layers, KV cache and
//! compute buffer, the token embedding on the head. Speed is the pooled machine's prediction
//! plus the link.

use crate::assess::{assess, Request, Workload};
use crate::buy::Want;
use crate::runtime::RuntimeSettings;
use crate::speed::SpeedBasis;
use crate::split::{devices_of, max_context, split};
use cabe_catalog::HardwareEntry;
use cabe_core::model::ModelSpec;
use cabe_core::plan::capacity;
use cabe_core::speed::Range;
use cabe_core::weights::Weights;
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
    let (devices, host) = devices_of(&unit.spec, n, os_reserve);
    let profile = settings.profile(spec, ctx);
    let split = split(spec, weights, &profile, &devices, None, host)?;
    let fullest = split
        .devices
        .iter()
        .min_by_key(|d| d.headroom_bytes)
        .expect("at least one device");
    let all: u64 = split.devices.iter().map(|d| d.total_bytes).sum();
    let max_ctx = max_context(
        spec,
        weights,
        settings,
        &devices,
        None,
        host,
        spec.native_ctx.max(256),
    );
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
        usable_bytes: devices.iter().map(|d| d.capacity_bytes).sum(),
        total_bytes: all,
        headroom_bytes: fullest.headroom_bytes,
        fits: split.fits,
        max_ctx,
        layers_per_unit: split.devices.iter().map(|d| d.n_layers).max().unwrap_or(0),
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
        // llama.cpp's split of 126 layers and the output layer: 64 on the rpc-server, 62 and the
        // output on the head.
        assert_eq!(two.layers_per_unit, 64);
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
