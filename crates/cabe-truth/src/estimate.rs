//! cabe's own figures for a case: through the public estimator API, exactly as the CLI gets
//! them — from a file (`cabe_gguf::read_model` + `spec::model_spec` + `spec::file_weights`) or
//! from the catalog (`cabe_catalog::find_model` + `weights::for_file_type`) — and
//! `cabe_core::plan::plan`.

use anyhow::{Context, Result};
use cabe_core::hardware::HardwareSpec;
use cabe_core::kv::RuntimeProfile;
use cabe_core::model::ModelSpec;
use cabe_core::plan::{capacity, plan};
use cabe_core::quant::{FileType, KvType};
use cabe_core::units::GIB;
use cabe_core::weights::{for_file_type, Weights};
use cabe_engine::Runtime;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The llama.cpp settings of one case (what `-c -ctk -ctv -np -kvu -fa -b -ub --swa-full` set)
/// and the front end that loads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    /// llama-completion, llama-server or llama-cli: each reserves its own logits rows, by
    /// the engine's rule for that runtime (`cabe_engine::Runtime::n_outputs_max`).
    #[serde(default = "completion")]
    pub front_end: Runtime,
    pub ctx: u64,
    pub type_k: KvType,
    pub type_v: KvType,
    pub n_seq: u32,
    pub kv_unified: bool,
    pub flash_attn: bool,
    pub n_batch: u32,
    pub n_ubatch: u32,
    pub swa_full: bool,
}

fn completion() -> Runtime {
    Runtime::LlamaCompletion
}

impl Setting {
    /// llama.cpp's defaults (llama-completion: 2048/512, FA auto = on for CPU).
    pub fn new(ctx: u64) -> Setting {
        Setting {
            front_end: Runtime::LlamaCompletion,
            ctx,
            type_k: KvType::F16,
            type_v: KvType::F16,
            n_seq: 1,
            kv_unified: false,
            flash_attn: true,
            n_batch: 2048,
            n_ubatch: 512,
            swa_full: false,
        }
    }

    pub fn profile(&self) -> RuntimeProfile {
        RuntimeProfile {
            ctx: self.ctx,
            type_k: self.type_k,
            type_v: self.type_v,
            n_seq: self.n_seq,
            kv_unified: self.kv_unified,
            flash_attn: self.flash_attn,
            n_batch: self.n_batch,
            n_ubatch: self.n_ubatch,
            swa_full: self.swa_full,
            // The engine's rule: llama-server and llama-cli reserve one logits row per slot,
            // llama-completion one per token of the micro-batch.
            n_outputs_max: self.front_end.n_outputs_max(self.n_seq),
            n_cpu_moe: 0,
        }
    }

    /// A short label: `c4096 f16/f16 fa np1 ub512`.
    pub fn label(&self) -> String {
        let mut s = format!(
            "c{} {}/{} {} np{}{} ub{}",
            self.ctx,
            self.type_k.name(),
            self.type_v.name(),
            if self.flash_attn { "fa" } else { "nofa" },
            self.n_seq,
            if self.n_seq > 1 && self.kv_unified {
                "u"
            } else {
                ""
            },
            self.n_ubatch
        );
        if self.n_batch != 2048 {
            s.push_str(&format!(" b{}", self.n_batch));
        }
        if self.swa_full {
            s.push_str(" swa-full");
        }
        // Unified multi-sequence loads always ran on llama-server; their label stays as it was.
        if self.front_end != Runtime::LlamaCompletion && !(self.n_seq > 1 && self.kv_unified) {
            s.push(' ');
            s.push_str(self.front_end.name());
        }
        s
    }

    /// The llama.cpp command-line arguments for this setting.
    pub fn args(&self) -> Vec<String> {
        let mut a = vec![
            "-c".into(),
            self.ctx.to_string(),
            "-ctk".into(),
            self.type_k.name().into(),
            "-ctv".into(),
            self.type_v.name().into(),
            "-fa".into(),
            if self.flash_attn { "on" } else { "off" }.into(),
            "-b".into(),
            self.n_batch.to_string(),
            "-ub".into(),
            self.n_ubatch.to_string(),
            "-np".into(),
            self.n_seq.to_string(),
        ];
        if self.swa_full {
            a.push("--swa-full".into());
        }
        a
    }
}

/// cabe's figures for one model at one setting, in bytes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub weights: u64,
    pub kv_k: u64,
    pub kv_v: u64,
    /// K and V bytes of each cache llama.cpp creates, in the order it prints them: the
    /// full-attention cache, then the sliding-window one (`llama_kv_cache_iswa`).
    pub caches: Vec<(u64, u64)>,
    /// Cells of the full-attention layers (all streams) and of the SWA layers.
    pub cells: u64,
    pub swa_cells: u64,
    pub kv_layers: u64,
    pub swa_layers: u64,
    pub recurrent: u64,
    pub compute: u64,
    pub output: u64,
    /// weights + KV + recurrent + compute + output (no runtime reserve: llama.cpp does not
    /// print one).
    pub total: u64,
}

fn big_machine() -> HardwareSpec {
    HardwareSpec::from_memory(4096 * GIB)
}

/// cabe's estimate for a spec and weights at a setting (via `plan::plan`).
pub fn estimate(spec: &ModelSpec, w: &Weights, s: &Setting) -> Estimate {
    let p = s.profile();
    let cap = capacity(&big_machine(), 0);
    let pl = plan(spec, w, &p, &cap);
    let kv = &pl.kv;
    let swa_layers = kv.layers.iter().filter(|l| l.swa).count() as u64;
    let sum = |swa: bool| {
        kv.layers
            .iter()
            .filter(|l| l.swa == swa)
            .fold((0, 0), |(k, v), l| (k + l.k_bytes, v + l.v_bytes))
    };
    let mut caches = Vec::new();
    if (kv.layers.len() as u64) > swa_layers {
        caches.push(sum(false));
    }
    if swa_layers > 0 {
        caches.push(sum(true));
    }
    let m = &pl.memory;
    Estimate {
        weights: m.weights_bytes,
        kv_k: kv.k_bytes,
        kv_v: kv.v_bytes,
        caches,
        cells: kv.cells.per_stream * kv.cells.n_stream,
        swa_cells: kv.cells.swa_per_stream * kv.cells.n_stream,
        kv_layers: kv.layers.len() as u64 - swa_layers,
        swa_layers,
        recurrent: kv.recurrent_bytes,
        compute: m.compute_bytes,
        output: m.output_bytes,
        total: m.total_bytes - m.overhead_bytes,
    }
}

/// The spec and exact weights of a GGUF file, as `cabe fit FILE` gets them.
pub fn from_file(path: &Path) -> Result<(ModelSpec, Weights)> {
    let gguf =
        cabe_gguf::read_model(path).with_context(|| format!("reading {}", path.display()))?;
    let tensors: Vec<_> = gguf.tensors().cloned().collect();
    let spec = cabe_gguf::spec::model_spec(&gguf.shards[0], &tensors)?;
    let w = cabe_gguf::spec::file_weights(&spec, &tensors);
    Ok((spec, w))
}

/// The catalog spec and the weights cabe builds for `ftype`, as `cabe fit ID --quant` gets them.
pub fn from_catalog(id: &str, ftype: FileType) -> Result<(ModelSpec, Weights)> {
    let e = cabe_catalog::find_model(id)?;
    // The harness loads the text model only: no vision projector.
    let mut spec = e.spec.clone();
    spec.projector = None;
    let w = for_file_type(&spec, ftype);
    Ok((spec, w))
}
