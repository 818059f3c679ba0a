//! Non-zero data for chosen tensors of a generated (zero-filled) model, where zeros would make
//! llama.cpp run differently from a real model: with zero embeddings, norms and router, every
//! token of a MoE model picks the same experts, so its prefill multiplies a few large expert
//! batches instead of many small ones. The speed check and `cabe calibrate`'s MoE probe fill the token embedding with
//! pseudo-random values, the norms with ones and the router with pseudo-random values, so that
//! tokens spread over the experts as they do in a trained model.

use cabe_core::quant::GgmlType;
use std::fs::OpenOptions;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

/// What to write into a tensor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fill {
    /// Every value 1.0 (norm weights: the identity).
    Ones,
    /// Values uniform in `[-scale, scale]`, from a fixed seed (the same file every time).
    Random { scale: f32, seed: u64 },
}

/// A small, fast, deterministic generator (SplitMix64): test data, not cryptography.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }
}

fn encode(v: f32, ty: GgmlType, out: &mut Vec<u8>) -> Result<(), String> {
    match ty {
        GgmlType::F32 => out.extend_from_slice(&v.to_le_bytes()),
        // bf16 is the top half of an f32.
        GgmlType::BF16 => out.extend_from_slice(&((v.to_bits() >> 16) as u16).to_le_bytes()),
        GgmlType::F16 => out.extend_from_slice(&f32_to_f16(v).to_le_bytes()),
        other => {
            return Err(format!(
                "filling {other} tensors is not supported (float types only)"
            ))
        }
    }
    Ok(())
}

/// IEEE half from a float in the normal range used here (|v| ≤ 1 or v = 1), round toward zero.
fn f32_to_f16(v: f32) -> u16 {
    let b = v.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32 - 127 + 15;
    if exp <= 0 {
        return sign; // too small for a normal half: zero
    }
    sign | ((exp.min(30) as u16) << 10) | ((b >> 13) & 0x3ff) as u16
}

/// Writes `fill(name)` into every tensor of the float GGUF at `path` for which it gives one.
/// Returns the number of tensors written.
pub fn fill_tensors(path: &Path, fill: impl Fn(&str) -> Option<Fill>) -> Result<usize, String> {
    let io = |e: std::io::Error| format!("{}: {e}", path.display());
    let g = crate::read_path(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let mut f = OpenOptions::new().write(true).open(path).map_err(io)?;
    let mut written = 0;
    let mut buf = Vec::new();
    for t in &g.tensors {
        let Some(how) = fill(&t.name) else { continue };
        let ty = t.ggml_type;
        let n: u64 = t.dims.iter().product();
        let mut rng = SplitMix(match how {
            Fill::Random { seed, .. } => seed ^ written as u64,
            Fill::Ones => 0,
        });
        f.seek(SeekFrom::Start(g.data_offset + t.offset))
            .map_err(io)?;
        // In chunks of 1 Mi values, so a 300 M-value embedding needs no 600 MB buffer.
        let mut left = n;
        while left > 0 {
            let k = left.min(1 << 20);
            buf.clear();
            for _ in 0..k {
                let v = match how {
                    Fill::Ones => 1.0,
                    Fill::Random { scale, .. } => rng.unit() * scale,
                };
                encode(v, ty, &mut buf).map_err(|e| format!("{}: {e}", t.name))?;
            }
            f.write_all(&buf).map_err(io)?;
            left -= k;
        }
        written += 1;
    }
    f.sync_all().map_err(io)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_and_brains() {
        assert_eq!(f32_to_f16(1.0), 0x3c00);
        assert_eq!(f32_to_f16(-0.5), 0xb800);
        assert_eq!(f32_to_f16(0.0), 0);
        let mut b = Vec::new();
        encode(1.0, GgmlType::BF16, &mut b).unwrap();
        assert_eq!(b, 0x3f80u16.to_le_bytes());
        assert!(encode(1.0, GgmlType::Q8_0, &mut b).is_err());
    }

    #[test]
    fn random_values_are_spread_and_repeatable() {
        let mut a = SplitMix(7);
        let v: Vec<f32> = (0..10_000).map(|_| a.unit()).collect();
        assert!(v.iter().all(|x| (-1.0..1.0).contains(x)));
        let mean = v.iter().sum::<f32>() / v.len() as f32;
        assert!(mean.abs() < 0.05, "{mean}");
        let mut b = SplitMix(7);
        assert_eq!(b.unit(), v[0]);
    }
}
