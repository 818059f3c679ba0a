//! `data/speed.toml`: efficiency factors per backend for the speed model.

use cabe_core::hardware::Backend;
use cabe_core::speed::{EffRange, Efficiency};
use serde::Deserialize;
use std::sync::OnceLock;

/// The embedded efficiency table, as written.
pub const SPEED_TOML: &str = include_str!("../data/speed.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    backend: Vec<RawRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    backend: Backend,
    decode: EffRange,
    #[serde(default)]
    decode_layer_overhead_s: f64,
    #[serde(default)]
    prefill_expert_half_tokens: f64,
    prefill_shader: EffRange,
    prefill_tensor: EffRange,
    source: String,
}

/// Parses and checks a speed table: ranges ordered low ≤ typical ≤ high, positive, sourced.
pub fn parse_speed(text: &str) -> Result<Vec<(Backend, Efficiency)>, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| format!("speed.toml: {e}"))?;
    let mut out: Vec<(Backend, Efficiency)> = Vec::new();
    for r in raw.backend {
        for (name, range) in [
            ("decode", r.decode),
            ("prefill_shader", r.prefill_shader),
            ("prefill_tensor", r.prefill_tensor),
        ] {
            if !(range[0] > 0.0 && range[0] <= range[1] && range[1] <= range[2]) {
                return Err(format!(
                    "speed.toml: {:?} {name} must be 0 < low ≤ typical ≤ high",
                    r.backend
                ));
            }
        }
        if name_ok(&r.source) && out.iter().all(|(b, _)| *b != r.backend) {
            out.push((
                r.backend,
                Efficiency {
                    decode: r.decode,
                    decode_layer_overhead_s: r.decode_layer_overhead_s,
                    prefill_expert_half_tokens: r.prefill_expert_half_tokens,
                    prefill_shader: r.prefill_shader,
                    prefill_tensor: r.prefill_tensor,
                    source: r.source,
                },
            ));
        } else {
            return Err(format!(
                "speed.toml: {:?} is listed twice or has no source",
                r.backend
            ));
        }
    }
    Ok(out)
}

fn name_ok(source: &str) -> bool {
    !source.trim().is_empty()
}

/// The efficiency factors for a backend. Every backend has a row (checked by the tests).
pub fn efficiency(backend: Backend) -> &'static Efficiency {
    static TABLE: OnceLock<Vec<(Backend, Efficiency)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        parse_speed(SPEED_TOML)
            .unwrap_or_else(|e| panic!("the embedded speed table is invalid: {e}"))
    });
    table
        .iter()
        .find(|(b, _)| *b == backend)
        .map(|(_, e)| e)
        .unwrap_or_else(|| panic!("data/speed.toml has no row for {backend:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_backend_has_a_sourced_row() {
        for b in [
            Backend::Cuda,
            Backend::Metal,
            Backend::Rocm,
            Backend::Vulkan,
            Backend::Sycl,
            Backend::Cpu,
        ] {
            let e = efficiency(b);
            assert!(!e.source.is_empty());
            assert!(e.decode[2] <= 1.0, "{b:?} decode above peak bandwidth");
        }
    }

    #[test]
    fn bad_rows_are_refused() {
        let bad = "[[backend]]\nbackend = \"cuda\"\ndecode = [0.9, 0.5, 0.7]\nprefill_shader = [1,1,1]\nprefill_tensor = [1,1,1]\nsource = \"x\"\n";
        assert!(parse_speed(bad).is_err());
        let unsourced = bad
            .replace("[0.9, 0.5, 0.7]", "[0.5, 0.6, 0.7]")
            .replace("\"x\"", "\"\"");
        assert!(parse_speed(&unsourced).is_err());
    }
}
