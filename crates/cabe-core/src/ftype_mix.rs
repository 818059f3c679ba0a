//! Which ggml type llama-quantize gives each tensor for a whole-file type (Q4_K_M, Q5_K_S, …).
//!
//! This follows `src/llama-quant.cpp` (`tensor_allows_quantization`, `tensor_get_category`,
//! `llama_tensor_get_type_impl`, `tensor_type_fallback`) without an importance matrix, and
//! `convert_hf_to_gguf.py` (`conversion/base.py`) for which tensors the converter keeps in F32.
//! It is a re-statement of those rules, so a catalog model gets the same mix a real file has.

use crate::layout::TensorShape;
use crate::quant::{FileType, GgmlType};
use rustc_hash::FxHashMap;

/// A tensor with the type it is stored in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypedTensor {
    /// Shared: the same tensor is typed once per file type (`recommend` sizes every model at
    /// several), and a clone is a count, not a copy.
    pub name: std::sync::Arc<str>,
    pub dims: std::sync::Arc<[u64]>,
    pub ty: GgmlType,
}

impl TypedTensor {
    /// Bytes of this tensor's data; a shape ggml can't store falls back to F32 size.
    pub fn bytes(&self) -> u64 {
        self.ty
            .tensor_bytes(&self.dims)
            .unwrap_or_else(|| self.dims.iter().product::<u64>() * 4)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Category {
    TokenEmbd,
    Output,
    AttnQkv,
    AttnKvB,
    AttnV,
    AttnK,
    AttnQ,
    AttnOutput,
    FfnUp,
    FfnGate,
    FfnDown,
    Other,
}

fn category(name: &str) -> Category {
    if name == "output.weight" {
        Category::Output
    } else if name == "token_embd.weight" || name == "per_layer_token_embd.weight" {
        Category::TokenEmbd
    } else if name.contains("attn_qkv.weight") {
        Category::AttnQkv
    } else if name.contains("attn_kv_b.weight") {
        Category::AttnKvB
    } else if name.contains("attn_v.weight") {
        Category::AttnV
    } else if name.contains("attn_k.weight") {
        Category::AttnK
    } else if name.contains("attn_q.weight") {
        Category::AttnQ
    } else if name.contains("attn_output.weight") {
        Category::AttnOutput
    } else if name.contains("ffn_up") {
        Category::FfnUp
    } else if name.contains("ffn_gate") {
        Category::FfnGate
    } else if name.contains("ffn_down") {
        Category::FfnDown
    } else {
        Category::Other
    }
}

fn is_attn_v(c: Category) -> bool {
    matches!(c, Category::AttnV | Category::AttnQkv | Category::AttnKvB)
}

/// The type convert_hf_to_gguf.py writes for a tensor of an F16/BF16/F32 conversion.
pub fn converted_type(t: &TensorShape, float: GgmlType) -> GgmlType {
    if t.dims.len() <= 1 || name_stays_f32(&t.name) {
        GgmlType::F32
    } else {
        float
    }
}

/// The part of [`converted_type`]'s rule that reads the name.
pub fn name_stays_f32(n: &str) -> bool {
    !n.ends_with(".weight")
        || n.ends_with("_norm.weight")
        || n.contains("ffn_gate_inp")
        || n.contains("ssm_conv1d")
        || n.contains("shortconv.conv")
        || n.contains("position_embd")
        || n.contains("token_types")
}

/// ggml_n_dims: trailing dims of size 1 do not count.
fn n_dims(dims: &[u64]) -> usize {
    dims.iter().rposition(|&d| d > 1).map_or(1, |i| i + 1)
}

/// Only 2-D and 3-D (experts) weights are quantized; norms, routers and conv kernels are not:
/// the part of the rule that reads the name.
fn name_allows_quantization(n: &str) -> bool {
    n.ends_with("weight")
        && !n.contains("_norm.weight")
        && !n.contains("ffn_gate_inp.weight")
        && !n.contains("ssm_conv1d")
        && !n.contains("shortconv.conv.weight")
        && !n.contains("position_embd")
        && !n.contains("token_types")
        && !n.contains("attn_rel_b")
        && !n.starts_with("time_mix_first")
}

/// What llama.cpp knows of the model when it picks types.
pub struct QuantContext<'a> {
    pub arch: &'a str,
    pub n_layer: u32,
    pub n_expert: u32,
    /// n_head / n_head_kv of layer 0 (`hparams.n_gqa()`).
    pub n_gqa: u32,
    /// llama.cpp's LLM_TYPE_70B (llama/qwen2/deci/olmo with 80 layers; GQA for llama).
    pub is_70b: bool,
}

fn use_more_bits(i_layer: i64, n_layers: i64) -> bool {
    i_layer < n_layers / 8 || i_layer >= 7 * n_layers / 8 || (i_layer - n_layers / 8) % 3 == 2
}

/// Applies llama-quantize's choices for `ftype` to tensors stored as `source` types.
pub fn quantize(tensors: &[TypedTensor], ftype: FileType, ctx: &QuantContext) -> Vec<TypedTensor> {
    quantize_prepared(&Prepared::new(tensors.to_vec()), ftype, ctx)
}

/// A tensor list read once for quantizing at several file types: each tensor's category and
/// whether llama-quantize may quantize it depend on its name and shape only.
pub struct Prepared {
    tensors: Vec<TypedTensor>,
    cats: Vec<Category>,
    allows: Vec<bool>,
}

impl Prepared {
    pub fn new(tensors: Vec<TypedTensor>) -> Prepared {
        // A tensor's category and whether its name allows quantization are the same in every
        // block: each is worked out once per layer-free name (a catalog model has thousands
        // of tensors but a few dozen such names; `recommend` prepares every model).
        let mut seen: FxHashMap<LayerFree<'_>, (Category, bool)> = FxHashMap::default();
        let (cats, allows) = tensors
            .iter()
            .map(|t| {
                let (c, name_allows) = *seen
                    .entry(layer_free(&t.name))
                    .or_insert_with(|| (category(&t.name), name_allows_quantization(&t.name)));
                (c, name_allows && n_dims(&t.dims) >= 2)
            })
            .unzip();
        Prepared {
            cats,
            allows,
            tensors,
        }
    }
}

/// A tensor name without its block number: `blk.7.attn_q.weight` → (true, `attn_q.weight`).
/// Every rule of this file that reads a name gives the same answer for the same layer-free
/// name (none of their patterns holds a digit or `blk.`).
pub type LayerFree<'a> = (bool, &'a str);

pub fn layer_free(name: &str) -> LayerFree<'_> {
    name.strip_prefix("blk.")
        .and_then(|rest| rest.split_once('.'))
        .filter(|(n, _)| n.bytes().all(|b| b.is_ascii_digit()))
        .map_or((false, name), |(_, base)| (true, base))
}

/// [`quantize`] on a [`Prepared`] list.
pub fn quantize_prepared(p: &Prepared, ftype: FileType, ctx: &QuantContext) -> Vec<TypedTensor> {
    use FileType as F;
    use GgmlType as G;
    let tensors = &p.tensors;
    let default = ftype.base_type();
    let n_attention_wv = p.cats.iter().filter(|&&c| is_attn_v(c)).count() as i64;
    let has_output = tensors.iter().any(|t| &*t.name == "output.weight");
    let n_layer = ctx.n_layer as i64;
    let (mut i_attention_wv, mut i_ffn_down, mut i_ffn_gate, mut i_ffn_up) =
        (0i64, 0i64, 0i64, 0i64);
    let n_expert = ctx.n_expert.max(1);
    let falcon = crate::arch::info(ctx.arch).falcon_quant;
    let iq_low = matches!(
        ftype,
        F::IQ2_XXS | F::IQ2_XS | F::IQ1_S | F::IQ2_S | F::IQ2_M | F::IQ1_M
    );

    let mut out = Vec::with_capacity(tensors.len());
    for (i, t) in tensors.iter().enumerate() {
        let allows = p.allows[i];
        if !allows || !default.is_quantized() {
            let ty = if allows { default } else { t.ty };
            out.push(TypedTensor { ty, ..t.clone() });
            continue;
        }
        let cat = p.cats[i];
        // With several experts the layer index comes from the name; otherwise from a counter.
        let layer_for = |counter: i64| {
            if n_expert > 1 {
                crate::weights::block_of(&t.name)
                    .map(i64::from)
                    .unwrap_or(counter)
            } else {
                counter
            }
        };
        let mut ty = default;
        if cat == Category::Output || (!has_output && cat == Category::TokenEmbd) {
            let nx = t.dims[0];
            if ftype == F::MXFP4_MOE || falcon || !nx.is_multiple_of(ty.block_size()) {
                ty = G::Q8_0;
            } else if matches!(
                ftype,
                F::IQ2_XXS | F::IQ2_XS | F::IQ3_XXS | F::IQ1_S | F::IQ2_S | F::IQ2_M | F::IQ1_M
            ) {
                ty = G::Q5_K;
            } else if ty != G::Q8_0 {
                ty = G::Q6_K;
            }
        } else if ftype == F::MXFP4_MOE {
            ty = if t.dims.len() > 2 && t.dims[2] > 1 {
                G::MXFP4
            } else {
                G::Q8_0
            };
        } else if cat == Category::TokenEmbd {
            if matches!(ftype, F::IQ2_XXS | F::IQ2_XS | F::IQ1_S | F::IQ1_M) {
                ty = G::Q2_K;
            } else if matches!(ftype, F::IQ2_S | F::IQ2_M | F::IQ3_XXS) {
                ty = G::IQ3_S;
            } else if matches!(ftype, F::TQ1_0 | F::TQ2_0) {
                ty = G::Q4_K;
            }
        } else if iq_low {
            if is_attn_v(cat) {
                ty = if ctx.n_gqa >= 4 || ctx.n_expert >= 4 {
                    G::Q4_K
                } else if matches!(ftype, F::IQ2_S | F::IQ2_M) {
                    G::IQ3_S
                } else {
                    G::Q2_K
                };
                i_attention_wv += 1;
            } else if ctx.n_expert == 8 && cat == Category::AttnK {
                ty = G::Q4_K;
            } else if cat == Category::FfnDown {
                if i_ffn_down < n_layer / 8 {
                    ty = if matches!(ftype, F::IQ2_S | F::IQ2_M) {
                        G::IQ3_S
                    } else {
                        G::Q2_K
                    };
                }
                i_ffn_down += 1;
            } else if cat == Category::AttnOutput {
                if ctx.n_expert == 8 {
                    ty = G::Q5_K;
                } else if matches!(ftype, F::IQ1_S | F::IQ1_M) {
                    ty = G::IQ2_XXS;
                } else if matches!(ftype, F::IQ2_S | F::IQ2_M) {
                    ty = G::IQ3_S;
                }
            }
        } else if is_attn_v(cat) {
            let gqa4 = ctx.n_gqa >= 4;
            match ftype {
                F::Q2_K => ty = if gqa4 { G::Q4_K } else { G::Q3_K },
                F::Q2_K_S if gqa4 => ty = G::Q4_K,
                F::IQ3_XXS => ty = if gqa4 { G::Q4_K } else { G::IQ3_S },
                F::IQ3_XS | F::IQ3_S if gqa4 => ty = G::Q4_K,
                F::IQ3_M => ty = G::Q4_K,
                F::Q3_K_M => ty = if i_attention_wv < 2 { G::Q5_K } else { G::Q4_K },
                F::Q3_K_L => ty = G::Q5_K,
                F::IQ4_NL | F::IQ4_XS if gqa4 => ty = G::Q5_K,
                F::Q4_K_M | F::Q5_K_M if use_more_bits(i_attention_wv, n_attention_wv) => {
                    ty = G::Q6_K
                }
                F::Q4_K_S if i_attention_wv < 4 => ty = G::Q5_K,
                _ => {}
            }
            if ctx.is_70b && matches!(ty, G::Q3_K | G::Q4_K) {
                ty = G::Q5_K;
            }
            if ctx.n_expert == 8 {
                ty = G::Q8_0;
            }
            i_attention_wv += 1;
        } else if cat == Category::AttnK {
            if ctx.n_expert == 8 {
                ty = G::Q8_0;
            } else if ftype == F::IQ3_XS {
                ty = G::IQ3_XXS;
            } else if ftype == F::IQ3_XXS {
                ty = G::IQ2_S;
            }
        } else if cat == Category::AttnQ {
            if ftype == F::IQ3_XS {
                ty = G::IQ3_XXS;
            } else if ftype == F::IQ3_XXS {
                ty = G::IQ2_S;
            }
        } else if cat == Category::FfnDown {
            let il = layer_for(i_ffn_down);
            match ftype {
                F::Q2_K => ty = G::Q3_K,
                F::Q2_K_S if il < n_layer / 8 => ty = G::Q4_K,
                F::IQ3_XXS => ty = if il < n_layer / 8 { G::Q4_K } else { G::Q3_K },
                F::Q3_K_M => {
                    ty = if il < n_layer / 16 {
                        G::Q5_K
                    } else if !falcon || use_more_bits(il, n_layer) {
                        G::Q4_K
                    } else {
                        G::Q3_K
                    }
                }
                F::IQ3_M
                    if il < n_layer / 8 || (ctx.n_expert == 8 && use_more_bits(il, n_layer)) =>
                {
                    ty = G::Q4_K
                }
                F::Q3_K_L => ty = if falcon { G::Q4_K } else { G::Q5_K },
                F::Q4_K_M => {
                    if falcon {
                        ty = if il < n_layer / 16 {
                            G::Q6_K
                        } else if use_more_bits(il, n_layer) {
                            G::Q5_K
                        } else {
                            G::Q4_K
                        };
                    } else if use_more_bits(il, n_layer) {
                        ty = G::Q6_K;
                    }
                }
                F::IQ4_NL | F::IQ4_XS if il < n_layer / 8 => ty = G::Q5_K,
                F::Q5_K_M if use_more_bits(il, n_layer) => ty = G::Q6_K,
                F::Q4_K_S if !falcon && il < n_layer / 8 => ty = G::Q5_K,
                _ => {}
            }
            i_ffn_down += 1;
        } else if cat == Category::AttnOutput {
            if !falcon {
                if ctx.n_expert == 8 {
                    if matches!(
                        ftype,
                        F::Q2_K
                            | F::IQ3_XS
                            | F::IQ3_XXS
                            | F::Q3_K_S
                            | F::Q3_K_M
                            | F::IQ4_NL
                            | F::Q4_K_S
                            | F::Q4_K_M
                            | F::IQ3_S
                            | F::IQ3_M
                            | F::IQ4_XS
                    ) {
                        ty = G::Q5_K;
                    }
                } else {
                    match ftype {
                        F::Q2_K => ty = G::Q3_K,
                        F::IQ3_XXS => ty = G::IQ3_S,
                        F::Q3_K_M | F::IQ3_M => ty = G::Q4_K,
                        F::Q3_K_L => ty = G::Q5_K,
                        _ => {}
                    }
                }
            } else if ftype == F::Q3_K_L {
                ty = G::Q4_K;
            }
        } else if cat == Category::AttnQkv {
            match ftype {
                F::Q3_K_M | F::Q3_K_L | F::IQ3_M => ty = G::Q4_K,
                F::Q4_K_M => ty = G::Q5_K,
                F::Q5_K_M => ty = G::Q6_K,
                _ => {}
            }
        } else if cat == Category::FfnGate {
            let il = layer_for(i_ffn_gate);
            if ftype == F::IQ3_XS && il >= n_layer / 8 && il < 7 * n_layer / 8 {
                ty = G::IQ3_XXS;
            }
            i_ffn_gate += 1;
        } else if cat == Category::FfnUp {
            let il = layer_for(i_ffn_up);
            if ftype == F::IQ3_XS && il >= n_layer / 8 && il < 7 * n_layer / 8 {
                ty = G::IQ3_XXS;
            }
            i_ffn_up += 1;
        }
        ty = fallback(t.dims[0], ty);
        out.push(TypedTensor { ty, ..t.clone() });
    }
    out
}

/// `tensor_type_fallback`: a row length that is not a whole number of blocks gets a type
/// with smaller blocks, or F16.
fn fallback(ncols: u64, target: GgmlType) -> GgmlType {
    use GgmlType as G;
    if ncols.is_multiple_of(target.block_size()) {
        return target;
    }
    let next = match target {
        G::IQ1_S
        | G::IQ1_M
        | G::IQ2_XXS
        | G::IQ2_XS
        | G::IQ2_S
        | G::IQ3_XXS
        | G::IQ3_S
        | G::IQ4_XS => G::IQ4_NL,
        G::Q2_K | G::Q3_K | G::TQ1_0 | G::TQ2_0 => G::Q4_0,
        G::Q4_K => G::Q5_0,
        G::Q5_K => G::Q5_1,
        G::Q6_K => G::Q8_0,
        other => other,
    };
    if ncols.is_multiple_of(next.block_size()) {
        next
    } else {
        G::F16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, dims: &[u64]) -> TypedTensor {
        TypedTensor {
            name: name.into(),
            dims: dims.into(),
            ty: GgmlType::F16,
        }
    }

    fn ctx() -> QuantContext<'static> {
        QuantContext {
            arch: "llama",
            n_layer: 8,
            n_expert: 0,
            n_gqa: 4,
            is_70b: false,
        }
    }

    #[test]
    fn q4_k_m_bumps_output_and_some_ffn_down() {
        let mut ts = vec![
            t("token_embd.weight", &[256, 10]),
            t("output.weight", &[256, 10]),
        ];
        for il in 0..8 {
            ts.push(t(&format!("blk.{il}.ffn_down.weight"), &[256, 256]));
        }
        let q = quantize(&ts, FileType::Q4_K_M, &ctx());
        assert_eq!(q[0].ty, GgmlType::Q4_K); // token_embd keeps the default type
        assert_eq!(q[1].ty, GgmlType::Q6_K); // output → Q6_K
                                             // use_more_bits(i, 8): i < 1, i >= 7, (i-1)%3 == 2 → layers 0, 3, 6, 7.
        let bumped: Vec<usize> = (0..8).filter(|i| q[2 + i].ty == GgmlType::Q6_K).collect();
        assert_eq!(bumped, vec![0, 3, 6, 7]);
    }

    #[test]
    fn odd_row_lengths_fall_back() {
        assert_eq!(fallback(2880, GgmlType::Q4_K), GgmlType::Q5_0);
        assert_eq!(fallback(2880, GgmlType::Q6_K), GgmlType::Q8_0);
        assert_eq!(fallback(100, GgmlType::Q4_K), GgmlType::F16);
    }

    #[test]
    fn norms_stay_f32() {
        let ts = vec![TypedTensor {
            ty: GgmlType::F32,
            ..t("blk.0.attn_norm.weight", &[256])
        }];
        assert_eq!(quantize(&ts, FileType::Q4_K_M, &ctx())[0].ty, GgmlType::F32);
    }
}
