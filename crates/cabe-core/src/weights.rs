//! Model weights: exact from a file's tensor infos, or built from the architecture and the
//! quantizer's rules for a catalog model with no file.

use crate::ftype_mix::{
    layer_free, name_stays_f32, quantize_prepared, Prepared, QuantContext, TypedTensor,
};
use crate::layout::tensor_shapes;
use crate::model::{LayerKind, ModelSpec, SsmKind};
use crate::quant::{FileType, GgmlType};
use serde::Serialize;

/// Where the weight figures came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightsOrigin {
    /// Summed from the tensor infos of a GGUF file.
    File,
    /// Built from the catalog architecture with llama-quantize's type choices for this file type.
    Catalog { file_type: String },
}

/// Bytes of one tensor type across the model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TypeShare {
    pub ggml_type: String,
    pub tensors: u32,
    pub params: u64,
    pub bytes: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Weights {
    pub origin: WeightsOrigin,
    pub bytes: u64,
    pub params_total: u64,
    /// Parameters used per token: for MoE only `n_expert_used / n_expert` of the routed
    /// experts; the input embedding is a lookup and is not counted.
    pub params_active: u64,
    /// Bytes read per generated token (same rule as `params_active`), for speed.
    pub bytes_active: u64,
    pub by_type: Vec<TypeShare>,
    #[serde(skip)]
    pub tensors: Vec<TypedTensor>,
}

impl Weights {
    /// Average bits per weight of the file.
    pub fn bits_per_weight(&self) -> f64 {
        if self.params_total == 0 {
            0.0
        } else {
            self.bytes as f64 * 8.0 / self.params_total as f64
        }
    }
}

/// A routed expert's tensor (`blk.N.ffn_*_exps.weight`): a token runs through
/// `n_expert_used / n_expert` of it.
pub fn is_routed_expert(name: &str) -> bool {
    name.contains("_exps.")
}

/// The block (layer) index of a `blk.N.…` tensor; `None` for the others.
pub fn block_of(name: &str) -> Option<u32> {
    name.strip_prefix("blk.")?.split('.').next()?.parse().ok()
}

/// Routed-expert weights that llama.cpp's `--n-cpu-moe N` keeps in system RAM: the tensors
/// matching `\.ffn_(up|down|gate|gate_up)_(ch|)exps` (`LLM_FFN_EXPS_REGEX`, common/common.h) in
/// blocks `0..N` (`--cpu-moe`: every block). Shared experts and the router stay with the layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CpuExperts {
    /// Blocks whose experts are on the CPU.
    pub layers: u32,
    /// Their bytes (held in system RAM).
    pub bytes: u64,
    /// Their bytes read per generated token (`n_expert_used / n_expert` of them).
    pub bytes_active: u64,
}

/// The expert weights of the first `n_layers` blocks (see [`CpuExperts`]).
pub fn cpu_experts(m: &ModelSpec, w: &Weights, n_layers: u32) -> CpuExperts {
    let n = n_layers.min(m.n_layer());
    let frac = m
        .moe
        .as_ref()
        .filter(|x| x.n_expert > 0)
        .map_or(0.0, |x| x.n_expert_used as f64 / x.n_expert as f64);
    const EXPERT_FFN: [&str; 8] = [
        ".ffn_up_exps",
        ".ffn_up_chexps",
        ".ffn_down_exps",
        ".ffn_down_chexps",
        ".ffn_gate_exps",
        ".ffn_gate_chexps",
        ".ffn_gate_up_exps",
        ".ffn_gate_up_chexps",
    ];
    let expert_ffn =
        |name: &str| name.contains("exps") && EXPERT_FFN.iter().any(|p| name.contains(p));
    let bytes: u64 = w
        .tensors
        .iter()
        .filter(|t| expert_ffn(&t.name) && block_of(&t.name).is_some_and(|b| b < n))
        .map(|t| t.bytes())
        .sum();
    CpuExperts {
        layers: if bytes > 0 { n } else { 0 },
        bytes,
        bytes_active: (bytes as f64 * frac).round() as u64,
    }
}

/// Sums exact figures from typed tensors (a real file's, or a synthesized list).
pub fn from_tensors(m: &ModelSpec, tensors: Vec<TypedTensor>, origin: WeightsOrigin) -> Weights {
    let frac = m
        .moe
        .as_ref()
        .filter(|x| x.n_expert > 0)
        .map_or(1.0, |x| x.n_expert_used as f64 / x.n_expert as f64);
    let mut bytes = 0u64;
    let mut params = 0u64;
    let mut active_params = 0f64;
    let mut active_bytes = 0f64;
    let mut by_type: Vec<TypeShare> = Vec::new();
    for t in &tensors {
        let b = t.bytes();
        let n: u64 = t.dims.iter().product();
        bytes += b;
        params += n;
        let share = if is_routed_expert(&t.name) { frac } else { 1.0 };
        if &*t.name != "token_embd.weight" || m.tied_embeddings {
            // The input embedding is a row lookup; when tied it is also the output head.
            active_params += n as f64 * share;
            active_bytes += b as f64 * share;
        }
        match by_type.iter_mut().find(|s| s.ggml_type == t.ty.name()) {
            Some(s) => {
                s.tensors += 1;
                s.params += n;
                s.bytes += b;
            }
            None => by_type.push(TypeShare {
                ggml_type: t.ty.name().to_string(),
                tensors: 1,
                params: n,
                bytes: b,
            }),
        }
    }
    by_type.sort_by_key(|t| std::cmp::Reverse(t.bytes));
    Weights {
        origin,
        bytes,
        params_total: params,
        params_active: active_params.round() as u64,
        bytes_active: active_bytes.round() as u64,
        by_type,
        tensors,
    }
}

/// llama.cpp's LLM_TYPE_70B, which the quantizer treats specially (80 layers of an
/// architecture whose `load_hparams` names that size, see [`crate::arch`]).
fn is_70b(m: &ModelSpec) -> bool {
    crate::arch::info(&m.architecture).type_70b_at_80_layers
        && m.n_layer() == 80
        && m.layers.first().is_some_and(|l| l.n_head != l.n_head_kv)
}

/// llama.cpp's `hparams.n_gqa()` (layer 0's n_head / n_head_kv, 0 without KV heads), which
/// the quantizer's `n_gqa() >= 4` bumps test. A recurrent layer 0 has no KV heads where the
/// GGUF stores them per layer with 0 marking recurrent layers (LFM2, Granite-4-H, Jamba); a
/// gated delta-net hybrid (Qwen3-Next) stores one count for every layer.
fn n_gqa_layer0(m: &ModelSpec) -> u32 {
    let Some(l0) = m.layers.first() else { return 1 };
    let l = if l0.kind == LayerKind::Recurrent
        && m.ssm
            .as_ref()
            .is_some_and(|s| s.kind == SsmKind::GatedDeltaNet)
    {
        m.attention_layers().map(|(_, l)| l).next().unwrap_or(l0)
    } else {
        l0
    };
    l.n_head.checked_div(l.n_head_kv).unwrap_or(0)
}

/// Weights of a catalog model at `ftype`: the tensors llama.cpp would load, converted from a
/// BF16 checkpoint and quantized with llama-quantize's rules (no importance matrix).
pub fn for_file_type(m: &ModelSpec, ftype: FileType) -> Weights {
    for_file_types(m, &[ftype])
        .pop()
        .expect("one file type in, one out")
}

/// The float type a BF16 checkpoint is converted to before quantizing to `ftype`.
fn float_of(ftype: FileType) -> GgmlType {
    match ftype {
        FileType::F32 => GgmlType::F32,
        FileType::F16 => GgmlType::F16,
        _ => GgmlType::BF16,
    }
}

/// [`for_file_type`] for several file types of one model: the tensor list is built once.
pub fn for_file_types(m: &ModelSpec, ftypes: &[FileType]) -> Vec<Weights> {
    let mut b = WeightsBuilder::new(m);
    ftypes.iter().map(|&ft| b.at(ft)).collect()
}

/// One catalog model's weights at any file type, its tensor list built once and
/// llama-quantize's per-tensor categories read once per float type, then typed per file type.
pub struct WeightsBuilder<'m> {
    m: &'m ModelSpec,
    shapes: Vec<crate::layout::TensorShape>,
    /// Per shape: whether a conversion keeps it F32 whatever the float type
    /// ([`crate::ftype_mix::converted_type`]), worked out once per layer-free name.
    stays_f32: Vec<bool>,
    prepared: Vec<(GgmlType, Prepared)>,
}

impl<'m> WeightsBuilder<'m> {
    pub fn new(m: &'m ModelSpec) -> WeightsBuilder<'m> {
        let shapes = tensor_shapes(m);
        let mut seen = rustc_hash::FxHashMap::default();
        let stays_f32 = shapes
            .iter()
            .map(|s| {
                s.dims.len() <= 1
                    || *seen
                        .entry(layer_free(&s.name))
                        .or_insert_with(|| name_stays_f32(&s.name))
            })
            .collect();
        WeightsBuilder {
            m,
            shapes,
            stays_f32,
            prepared: Vec::new(),
        }
    }

    /// The weights at `ftype`, exactly [`for_file_type`]'s.
    pub fn at(&mut self, ftype: FileType) -> Weights {
        let m = self.m;
        let float = float_of(ftype);
        if !self.prepared.iter().any(|(f, _)| *f == float) {
            // The converted (unquantized) source depends only on the float type.
            let source: Vec<TypedTensor> = self
                .shapes
                .iter()
                .zip(&self.stays_f32)
                .map(|(s, &f32)| TypedTensor {
                    ty: if f32 { GgmlType::F32 } else { float },
                    name: s.name.as_str().into(),
                    dims: s.dims.as_slice().into(),
                })
                .collect();
            self.prepared.push((float, Prepared::new(source)));
        }
        let p = &self
            .prepared
            .iter()
            .find(|(f, _)| *f == float)
            .expect("prepared above")
            .1;
        let ctx = QuantContext {
            arch: &m.architecture,
            n_layer: m.n_layer(),
            n_expert: m.moe.as_ref().map_or(0, |x| x.n_expert),
            n_gqa: n_gqa_layer0(m),
            is_70b: is_70b(m),
        };
        let typed = quantize_prepared(p, ftype, &ctx);
        from_tensors(
            m,
            typed,
            WeightsOrigin::Catalog {
                file_type: ftype.name().to_string(),
            },
        )
    }
}
