//! The test matrix: which models, in which file types, at which llama.cpp settings.
//!
//! `quick` is what CI runs on every change (a few minutes once llama.cpp is built); `full`
//! is the whole matrix (`tools/truth.sh --full`).

use crate::estimate::Setting;
use cabe_core::quant::{FileType, KvType};
use cabe_engine::Runtime;

/// One model file to load: a catalog model, generated as BF16 (or F16), or quantized from it
/// with the real llama-quantize.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelCase {
    pub id: &'static str,
    pub file_type: FileType,
    pub settings: Vec<Setting>,
}

/// A catalog model whose file-type mix is checked tensor by tensor against
/// `llama-quantize --dry-run` (no file written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MixCase {
    pub id: &'static str,
    pub file_types: Vec<FileType>,
}

#[derive(Clone, Debug, Default)]
pub struct Matrix {
    pub loads: Vec<ModelCase>,
    pub mixes: Vec<MixCase>,
}

fn s(ctx: u64) -> Setting {
    Setting::new(ctx)
}

fn kv(mut x: Setting, k: KvType, v: KvType) -> Setting {
    x.type_k = k;
    x.type_v = v;
    x
}

fn nofa(mut x: Setting) -> Setting {
    x.flash_attn = false;
    x
}

/// `n` sequences; a unified cache needs llama-server (`-kvu`, which llama-completion does not
/// take).
fn seqs(mut x: Setting, n: u32, unified: bool) -> Setting {
    x.n_seq = n;
    x.kv_unified = unified;
    if unified {
        x.front_end = Runtime::LlamaServer;
    }
    x
}

/// Loaded by llama-server (one logits row per slot).
fn server(mut x: Setting) -> Setting {
    x.front_end = Runtime::LlamaServer;
    x
}

/// Loaded by llama-cli (a llama-server in process, one slot).
fn cli(mut x: Setting) -> Setting {
    x.front_end = Runtime::LlamaCli;
    x
}

fn ub(mut x: Setting, n: u32) -> Setting {
    x.n_ubatch = n;
    x
}

fn swa_full(mut x: Setting) -> Setting {
    x.swa_full = true;
    x
}

/// Settings every model of the full matrix is loaded at: contexts from 512 to the native one,
/// the three KV types, FA on and off, split and unified sequences (llama-completion and
/// llama-server), small and large micro-batches, a context that is not a multiple of 256, and
/// `--swa-full` where the model has sliding-window layers.
fn full_settings(native: u64, swa: bool) -> Vec<Setting> {
    use KvType::*;
    let mut v = vec![
        s(512),
        s(4096),
        s(32768),
        nofa(s(512)),
        nofa(s(4096)),
        nofa(s(32768)),
        kv(s(32768), Q8_0, Q8_0),
        kv(s(32768), Q4_0, Q4_0),
        kv(s(8192), Q8_0, F16),
        nofa(kv(s(16384), Q8_0, F16)),
        seqs(s(16384), 4, false),
        nofa(seqs(s(16384), 4, false)),
        seqs(s(16384), 4, true),
        nofa(seqs(s(8192), 2, true)),
        seqs(kv(s(65536), Q8_0, Q8_0), 4, true),
        server(s(512)),
        server(seqs(s(8192), 4, false)),
        cli(s(512)),
        cli(nofa(s(4096))),
        ub(s(4096), 128),
        ub(s(4096), 2048),
        nofa(ub(s(8192), 2048)),
        s(5000),
    ];
    if native > 32768 {
        v.push(s(native.min(262_144)));
        v.push(nofa(s(65536)));
    }
    if swa {
        v.push(swa_full(s(8192)));
        v.push(nofa(swa_full(s(8192))));
    }
    v
}

/// Catalog models of the architectures (id, has SWA, native context).
const FULL_MODELS: &[(&str, bool, u64)] = &[
    ("llama-3.2-1b", false, 131072),
    ("llama-3.2-3b", false, 131072),
    ("qwen2.5-0.5b", false, 32768),
    ("qwen2.5-7b", false, 32768),
    ("qwen3-0.6b", false, 32768),
    ("qwen3-8b", false, 32768),
    ("qwen3-30b-a3b", false, 32768),
    ("qwen3-coder-30b-a3b", false, 262144),
    ("gemma-2-2b", true, 8192),
    ("gemma-3-1b", true, 32768),
    ("gemma-3-4b", true, 131072),
    ("phi-3-mini-4k", false, 4096),
    ("deepseek-v2-lite", false, 163840),
    ("gpt-oss-20b", true, 131072),
    ("lfm2-1.2b", false, 32768),
    ("granite-4.0-h-tiny", false, 131072),
    ("qwen3-next-80b-a3b", false, 262144),
];

/// The file types whose mix is checked against llama-quantize.
fn mix_types(id: &str) -> Vec<FileType> {
    use FileType::*;
    let mut v = vec![
        Q4_K_M, Q8_0, Q6_K, Q5_K_M, Q4_K_S, Q3_K_M, Q2_K, Q4_0, IQ4_XS,
    ];
    if id.starts_with("gpt-oss") {
        v.push(MXFP4_MOE);
    }
    v
}

/// The CI subset: every architecture once or twice, the cheapest settings that still
/// exercise each rule (SWA, MLA, recurrent, quantized KV, FA off, split sequences).
pub fn quick() -> Matrix {
    use KvType::*;
    let loads = vec![
        ModelCase {
            id: "qwen2.5-0.5b",
            file_type: FileType::BF16,
            settings: vec![
                s(4096),
                nofa(s(8192)),
                kv(s(32768), Q8_0, Q8_0),
                seqs(s(8192), 4, false),
                seqs(s(8192), 4, true),
            ],
        },
        ModelCase {
            id: "qwen2.5-0.5b",
            file_type: FileType::Q4_K_M,
            settings: vec![s(4096)],
        },
        ModelCase {
            id: "llama-3.2-1b",
            file_type: FileType::BF16,
            settings: vec![s(8192), nofa(kv(s(4096), Q4_0, F16))],
        },
        ModelCase {
            id: "qwen3-0.6b",
            file_type: FileType::BF16,
            settings: vec![
                s(32768),
                ub(s(4096), 2048),
                server(s(4096)),
                server(seqs(s(4096), 2, false)),
            ],
        },
        ModelCase {
            id: "gemma-3-1b",
            file_type: FileType::BF16,
            settings: vec![s(32768), nofa(s(4096)), seqs(s(16384), 4, true)],
        },
        ModelCase {
            id: "gemma-2-2b",
            file_type: FileType::BF16,
            // A 256k vocabulary at a short context: the logits rows decide the compute buffer.
            settings: vec![s(8192), server(s(512)), cli(s(512))],
        },
        ModelCase {
            id: "phi-3-mini-4k",
            file_type: FileType::BF16,
            settings: vec![s(4096)],
        },
        ModelCase {
            id: "deepseek-v2-lite",
            file_type: FileType::BF16,
            settings: vec![s(16384), nofa(s(4096)), cli(s(4096))],
        },
        ModelCase {
            id: "gpt-oss-20b",
            file_type: FileType::BF16,
            settings: vec![s(32768)],
        },
        ModelCase {
            id: "qwen3-30b-a3b",
            file_type: FileType::BF16,
            settings: vec![s(32768)],
        },
        ModelCase {
            id: "lfm2-1.2b",
            file_type: FileType::BF16,
            settings: vec![s(32768), seqs(s(8192), 4, false), server(s(8192))],
        },
        ModelCase {
            id: "granite-4.0-h-tiny",
            file_type: FileType::BF16,
            settings: vec![s(16384)],
        },
        ModelCase {
            id: "qwen3-next-80b-a3b",
            file_type: FileType::BF16,
            settings: vec![s(16384)],
        },
    ];
    let mixes = vec![
        MixCase {
            id: "qwen2.5-0.5b",
            file_types: vec![FileType::Q4_K_M, FileType::Q8_0],
        },
        MixCase {
            id: "llama-3.2-1b",
            file_types: vec![FileType::Q4_K_M],
        },
        MixCase {
            id: "gpt-oss-20b",
            file_types: vec![FileType::MXFP4_MOE, FileType::Q4_K_M],
        },
        MixCase {
            id: "qwen3-30b-a3b",
            file_types: vec![FileType::Q4_K_M],
        },
    ];
    Matrix { loads, mixes }
}

/// The whole matrix.
pub fn full() -> Matrix {
    let mut loads: Vec<ModelCase> = FULL_MODELS
        .iter()
        .map(|&(id, swa, native)| ModelCase {
            id,
            file_type: FileType::BF16,
            settings: full_settings(native, swa),
        })
        .collect();
    // Real quantized files (llama-quantize writes them; small models only).
    for (id, ft) in [
        ("qwen2.5-0.5b", FileType::Q4_K_M),
        ("qwen2.5-0.5b", FileType::Q8_0),
        ("llama-3.2-1b", FileType::Q4_K_M),
        ("gemma-3-1b", FileType::Q4_K_M),
        ("lfm2-1.2b", FileType::Q4_K_M),
        ("qwen3-0.6b", FileType::Q6_K),
    ] {
        loads.push(ModelCase {
            id,
            file_type: ft,
            settings: vec![s(4096), nofa(s(16384))],
        });
    }
    let mixes = FULL_MODELS
        .iter()
        .map(|&(id, _, _)| MixCase {
            id,
            file_types: mix_types(id),
        })
        .collect();
    Matrix { loads, mixes }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both the CI subset and the full matrix load through every llama.cpp front end, so each
    /// runtime's rule is checked against that front end's own accounting.
    #[test]
    fn every_front_end_is_loaded() {
        for (name, m) in [("quick", quick()), ("full", full())] {
            for r in [
                Runtime::LlamaCompletion,
                Runtime::LlamaServer,
                Runtime::LlamaCli,
            ] {
                let n = m
                    .loads
                    .iter()
                    .flat_map(|c| &c.settings)
                    .filter(|s| s.front_end == r)
                    .count();
                assert!(n >= 2, "{name}: {n} loads through {r}");
            }
        }
    }
}
