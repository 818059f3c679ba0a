//! The tensors a GGUF of a given architecture holds: names and shapes as llama.cpp's loader
//! creates them (`src/models/<arch>.cpp`, `create_tensor(...)` calls), in ggml order (ne0 first).
//!
//! This is how a catalog model without a file still gets a faithful size: the tensor list is
//! built here, the quantizer's type choices are applied in [`crate::ftype_mix`], and the bytes
//! are summed exactly as for a real file.

use crate::arch::{self, Family};
use crate::model::{LayerKind, ModelSpec, SsmKind};

/// One tensor's name and dims (ggml order: ne0 = the row length).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TensorShape {
    pub name: String,
    pub dims: Vec<u64>,
}

impl TensorShape {
    pub fn elements(&self) -> u64 {
        self.dims.iter().product()
    }
}

struct Out(Vec<TensorShape>);

impl Out {
    fn push(&mut self, name: impl Into<String>, dims: &[u64]) {
        self.0.push(TensorShape {
            name: name.into(),
            dims: dims.to_vec(),
        });
    }
    fn blk(&mut self, il: usize, suffix: &str, dims: &[u64]) {
        // `format!` costs more than the rest of a tensor here (recommend lays out every model).
        let mut name = String::with_capacity(suffix.len() + 10);
        name.push_str("blk.");
        push_decimal(&mut name, il);
        name.push('.');
        name.push_str(suffix);
        self.push(name, dims);
    }
}

fn push_decimal(s: &mut String, n: usize) {
    if n >= 10 {
        push_decimal(s, n / 10);
    }
    s.push(char::from(b'0' + (n % 10) as u8));
}

/// The tensor list llama.cpp expects for this model (base model, no projector, no MTP heads).
pub fn tensor_shapes(m: &ModelSpec) -> Vec<TensorShape> {
    let fam = arch::info(&m.architecture).family;
    let e = m.n_embd;
    let mut out = Out(Vec::with_capacity(m.layers.len() * 16 + 3));

    out.push("token_embd.weight", &[e, m.n_vocab]);
    out.push(fam.output_norm(), &[e]);
    if !m.tied_embeddings && !fam.always_tied_output() {
        out.push("output.weight", &[e, m.n_vocab]);
    }

    for (il, layer) in m.layers.iter().enumerate() {
        let hk = m.head_dim_k;
        let hv = m.head_dim_v;
        let n_head = layer.n_head as u64;
        let n_kv = layer.n_head_kv as u64;
        out.blk(il, "attn_norm.weight", &[e]);

        match layer.kind {
            LayerKind::Attention => attention(&mut out, m, fam, il, e, n_head, n_kv, hk, hv),
            LayerKind::Recurrent => recurrent(&mut out, m, fam, il, e),
            LayerKind::FfnOnly => {}
        }

        // Norms that sit around the FFN (llama-arch.cpp names: LLM_TENSOR_ATTN_POST_NORM is
        // `post_attention_norm`, LLM_TENSOR_FFN_POST_NORM is `post_ffw_norm`).
        match fam {
            Family::Gemma2 | Family::Gemma3 => {
                out.blk(il, "post_attention_norm.weight", &[e]);
                out.blk(il, "ffn_norm.weight", &[e]);
                out.blk(il, "post_ffw_norm.weight", &[e]);
            }
            Family::GptOss | Family::Qwen3Next => out.blk(il, "post_attention_norm.weight", &[e]),
            _ => out.blk(il, "ffn_norm.weight", &[e]),
        }

        if layer.moe {
            moe_ffn(&mut out, m, fam, il, e);
        } else if layer.n_ff > 0 {
            let f = layer.n_ff;
            if fam.fused_projections() {
                out.blk(il, "ffn_up.weight", &[e, 2 * f]);
            } else {
                out.blk(il, "ffn_gate.weight", &[e, f]);
                out.blk(il, "ffn_up.weight", &[e, f]);
            }
            out.blk(il, "ffn_down.weight", &[f, e]);
        }
    }
    out.0
}

#[allow(clippy::too_many_arguments)]
fn attention(
    out: &mut Out,
    m: &ModelSpec,
    fam: Family,
    il: usize,
    e: u64,
    n_head: u64,
    n_kv: u64,
    hk: u64,
    hv: u64,
) {
    if let (Family::DeepSeek2, Some(mla)) = (fam, &m.mla) {
        // MLA (src/models/deepseek2.cpp): low-rank Q, a shared compressed KV, per-head K/V decompression.
        let k_mla = mla.qk_nope_dim + mla.rope_dim;
        if mla.q_lora_rank > 0 {
            out.blk(il, "attn_q_a_norm.weight", &[mla.q_lora_rank]);
            out.blk(il, "attn_q_a.weight", &[e, mla.q_lora_rank]);
            out.blk(il, "attn_q_b.weight", &[mla.q_lora_rank, n_head * k_mla]);
        } else {
            out.blk(il, "attn_q.weight", &[e, n_head * k_mla]);
        }
        out.blk(il, "attn_kv_a_norm.weight", &[mla.kv_lora_rank]);
        out.blk(
            il,
            "attn_kv_a_mqa.weight",
            &[e, mla.kv_lora_rank + mla.rope_dim],
        );
        out.blk(
            il,
            "attn_k_b.weight",
            &[mla.qk_nope_dim, mla.kv_lora_rank, n_head],
        );
        out.blk(
            il,
            "attn_v_b.weight",
            &[mla.kv_lora_rank, mla.v_head_dim, n_head],
        );
        out.blk(il, "attn_output.weight", &[n_head * mla.v_head_dim, e]);
        return;
    }

    // Qwen3-Next's attention layers have a gated query (twice the width).
    let q_width = if fam == Family::Qwen3Next {
        2 * n_head * hk
    } else {
        n_head * hk
    };
    if fam.fused_projections() {
        out.blk(il, "attn_qkv.weight", &[e, q_width + n_kv * hk + n_kv * hv]);
    } else {
        out.blk(il, "attn_q.weight", &[e, q_width]);
        out.blk(il, "attn_k.weight", &[e, n_kv * hk]);
        out.blk(il, "attn_v.weight", &[e, n_kv * hv]);
    }
    if fam.qkv_bias() {
        out.blk(il, "attn_q.bias", &[n_head * hk]);
        out.blk(il, "attn_k.bias", &[n_kv * hk]);
        out.blk(il, "attn_v.bias", &[n_kv * hv]);
    }
    if fam.qk_norm() {
        out.blk(il, "attn_q_norm.weight", &[hk]);
        out.blk(il, "attn_k_norm.weight", &[hk]);
    }
    out.blk(il, "attn_output.weight", &[n_head * hv, e]);
    if fam == Family::GptOss {
        out.blk(il, "attn_output.bias", &[e]);
        out.blk(il, "attn_sinks.weight", &[n_head]);
    }
}

fn recurrent(out: &mut Out, m: &ModelSpec, fam: Family, il: usize, e: u64) {
    let Some(s) = &m.ssm else { return };
    match (fam, s.kind) {
        (Family::Lfm2, _) | (_, SsmKind::ShortConv) => {
            out.blk(il, "shortconv.conv.weight", &[s.d_conv, e]);
            out.blk(il, "shortconv.in_proj.weight", &[e, 3 * e]);
            out.blk(il, "shortconv.out_proj.weight", &[e, e]);
        }
        (_, SsmKind::GatedDeltaNet) => {
            // src/models/qwen3next.cpp: key_dim = d_state × n_group, value_dim = d_inner,
            // dt_rank = number of value heads.
            let key_dim = s.d_state * s.n_group;
            let value_dim = s.d_inner;
            let head_v = value_dim.checked_div(s.dt_rank).unwrap_or(0);
            out.blk(il, "attn_qkv.weight", &[e, key_dim * 2 + value_dim]);
            out.blk(il, "attn_gate.weight", &[e, value_dim]);
            out.blk(
                il,
                "ssm_conv1d.weight",
                &[s.d_conv, key_dim * 2 + value_dim],
            );
            out.blk(il, "ssm_dt.bias", &[s.dt_rank]);
            out.blk(il, "ssm_a", &[s.dt_rank]);
            out.blk(il, "ssm_ba.weight", &[e, 2 * s.dt_rank]);
            out.blk(il, "ssm_norm.weight", &[head_v]);
            out.blk(il, "ssm_out.weight", &[value_dim, e]);
        }
        (_, SsmKind::Mamba) => {
            // Mamba2 (src/models/granite-hybrid.cpp): in_proj = z, xBC, dt.
            let n_ssm_head = s.dt_rank;
            let xbc = s.d_inner + 2 * s.n_group * s.d_state;
            out.blk(il, "ssm_in.weight", &[e, s.d_inner + xbc + n_ssm_head]);
            out.blk(il, "ssm_conv1d.weight", &[s.d_conv, xbc]);
            out.blk(il, "ssm_conv1d.bias", &[xbc]);
            out.blk(il, "ssm_dt.bias", &[n_ssm_head]);
            out.blk(il, "ssm_a", &[1, n_ssm_head]);
            out.blk(il, "ssm_d", &[1, n_ssm_head]);
            let g = s.n_group.max(1);
            out.blk(il, "ssm_norm.weight", &[s.d_inner / g, g]);
            out.blk(il, "ssm_out.weight", &[s.d_inner, e]);
        }
        (_, SsmKind::Rwkv) => {
            // RWKV's many small time-mix tensors are approximated by its two big projections.
            out.blk(il, "time_mix_key.weight", &[e, e]);
            out.blk(il, "time_mix_value.weight", &[e, e]);
            out.blk(il, "time_mix_receptance.weight", &[e, e]);
            out.blk(il, "time_mix_output.weight", &[e, e]);
        }
    }
}

fn moe_ffn(out: &mut Out, m: &ModelSpec, fam: Family, il: usize, e: u64) {
    let Some(moe) = &m.moe else { return };
    let n_exp = moe.n_expert as u64;
    let f = moe.expert_ff;
    out.blk(il, "ffn_gate_inp.weight", &[e, n_exp]);
    out.blk(il, "ffn_gate_exps.weight", &[e, f, n_exp]);
    out.blk(il, "ffn_up_exps.weight", &[e, f, n_exp]);
    out.blk(il, "ffn_down_exps.weight", &[f, e, n_exp]);
    if fam == Family::GptOss {
        out.blk(il, "ffn_gate_inp.bias", &[n_exp]);
        out.blk(il, "ffn_gate_exps.bias", &[f, n_exp]);
        out.blk(il, "ffn_up_exps.bias", &[f, n_exp]);
        out.blk(il, "ffn_down_exps.bias", &[e, n_exp]);
    }
    if fam == Family::DeepSeek2 && moe.n_expert_shared > 0 {
        // DeepSeek-V3 has a routing bias per expert.
        if m.mla.as_ref().is_some_and(|x| x.q_lora_rank > 0) {
            out.blk(il, "exp_probs_b.bias", &[n_exp]);
        }
    }
    if moe.n_expert_shared > 0 {
        let sf = if moe.shared_ff > 0 {
            moe.shared_ff
        } else {
            f * moe.n_expert_shared as u64
        };
        if fam.gated_shared_expert() {
            out.blk(il, "ffn_gate_inp_shexp.weight", &[e]);
        }
        out.blk(il, "ffn_gate_shexp.weight", &[e, sf]);
        out.blk(il, "ffn_up_shexp.weight", &[e, sf]);
        out.blk(il, "ffn_down_shexp.weight", &[sf, e]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_models::llama_3_1_8b;

    #[test]
    fn llama_3_1_8b_has_8_03b_params() {
        // Llama-3.1-8B: 8.03B, computed from its HF config.
        let m = llama_3_1_8b();
        let params: u64 = tensor_shapes(&m).iter().map(|t| t.elements()).sum();
        assert_eq!(params, 8_030_261_248);
    }
}
