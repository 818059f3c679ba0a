//! The architecture metadata llama.cpp's loader reads (`src/llama-model.cpp` `load_hparams`,
//! `src/models/<arch>.cpp`) for a [`ModelSpec`]: the inverse of [`crate::spec`]. Used to write
//! real-shaped GGUF files (the ground-truth harness, `cabe calibrate --llama-bench`).

use crate::{Array, Value, ValueType};
use cabe_core::arch::SwaDefault;
use cabe_core::model::{LayerKind, ModelSpec, SsmKind};
use cabe_core::quant::FileType;

fn u32v(x: u64) -> Value {
    Value::U32(x as u32)
}

fn u32_array(xs: impl Iterator<Item = u64>) -> Value {
    Value::Array(Array {
        elem_type: ValueType::U32,
        values: xs.map(u32v).collect(),
    })
}

fn bool_array(xs: impl Iterator<Item = bool>) -> Value {
    Value::Array(Array {
        elem_type: ValueType::Bool,
        values: xs.map(Value::Bool).collect(),
    })
}

/// The architecture metadata llama.cpp reads for this model.
pub fn model_metadata(m: &ModelSpec, file_type: FileType) -> Result<Vec<(String, Value)>, String> {
    let arch = m.architecture.as_str();
    let info = cabe_core::arch::info(arch);
    let k = |s: &str| format!("{arch}.{s}");
    let mut kv: Vec<(String, Value)> = vec![
        ("general.architecture".into(), Value::String(arch.into())),
        ("general.type".into(), Value::String("model".into())),
        ("general.name".into(), Value::String(m.name.clone())),
        ("general.file_type".into(), u32v(file_type.id() as u64)),
        ("general.quantization_version".into(), Value::U32(2)),
        (
            "general.alignment".into(),
            Value::U32(crate::writer::ALIGNMENT as u32),
        ),
        (k("block_count"), u32v(m.n_layer() as u64)),
        (k("context_length"), u32v(m.native_ctx)),
        (k("embedding_length"), u32v(m.n_embd)),
        (k("attention.layer_norm_rms_epsilon"), Value::F32(1e-6)),
        (k("rope.freq_base"), Value::F32(1_000_000.0)),
    ];
    let layers = &m.layers;
    // FFN width: per layer when it varies (dense first layers of an MoE), else one value.
    let ff: Vec<u64> = layers.iter().map(|l| l.n_ff).collect();
    let mut ff_max = ff.iter().copied().max().unwrap_or(0);
    // Granite MoE reads the routed experts' width from feed_forward_length
    // (src/models/granite-hybrid.cpp: ffn_*_exps are {n_embd, n_ff, n_expert}).
    if info.ff_is_expert_width {
        if let Some(moe) = &m.moe {
            ff_max = moe.expert_ff;
        }
    }
    if ff.iter().all(|&x| x == ff[0]) || m.moe.is_some() {
        kv.push((k("feed_forward_length"), u32v(ff_max)));
    } else {
        kv.push((k("feed_forward_length"), u32_array(ff.iter().copied())));
    }
    let n_head = m.max_n_head() as u64;
    kv.push((k("attention.head_count"), u32v(n_head)));

    // KV heads: one value, or one per layer with 0 marking recurrent layers (granitehybrid,
    // lfm2). Qwen3-Next marks its recurrent layers with full_attention_interval instead.
    let kv_heads: Vec<u64> = layers.iter().map(|l| l.n_head_kv as u64).collect();
    let attn_kv = m.max_n_head_kv() as u64;
    let interval = full_attention_interval(m);
    if interval.is_some() || kv_heads.iter().all(|&x| x == attn_kv) {
        kv.push((k("attention.head_count_kv"), u32v(attn_kv)));
    } else {
        kv.push((
            k("attention.head_count_kv"),
            u32_array(kv_heads.iter().copied()),
        ));
    }
    kv.push((k("attention.key_length"), u32v(m.head_dim_k)));
    kv.push((k("attention.value_length"), u32v(m.head_dim_v)));

    if let Some(mla) = &m.mla {
        kv.push((k("rope.dimension_count"), u32v(mla.rope_dim)));
        kv.push((k("attention.kv_lora_rank"), u32v(mla.kv_lora_rank)));
        if mla.q_lora_rank > 0 {
            kv.push((k("attention.q_lora_rank"), u32v(mla.q_lora_rank)));
        }
        kv.push((
            k("attention.key_length_mla"),
            u32v(mla.qk_nope_dim + mla.rope_dim),
        ));
        kv.push((k("attention.value_length_mla"), u32v(mla.v_head_dim)));
    } else if m.head_dim_k > 0 {
        kv.push((k("rope.dimension_count"), u32v(m.head_dim_k)));
    }

    if let Some(moe) = &m.moe {
        kv.push((k("expert_count"), u32v(moe.n_expert as u64)));
        kv.push((k("expert_used_count"), u32v(moe.n_expert_used as u64)));
        kv.push((k("expert_feed_forward_length"), u32v(moe.expert_ff)));
        if moe.n_expert_shared > 0 || info.requires_expert_shared_keys {
            kv.push((k("expert_shared_count"), u32v(moe.n_expert_shared as u64)));
        }
        if moe.shared_ff > 0 {
            kv.push((k("expert_shared_feed_forward_length"), u32v(moe.shared_ff)));
        }
        if moe.leading_dense > 0 {
            kv.push((
                k("leading_dense_block_count"),
                u32v(moe.leading_dense as u64),
            ));
        }
        if info.requires_expert_shared_keys {
            kv.push((k("expert_weights_scale"), Value::F32(1.0)));
        }
    }

    if let Some(w) = &m.swa {
        kv.push((k("attention.sliding_window"), u32v(w.window)));
        // Real converters write no pattern for gemma2/gemma3/gpt-oss: llama.cpp's default
        // period applies. Write the per-layer pattern only when the default would be wrong.
        let mut probe = m.clone();
        let default_ok = info.swa_period().is_some_and(|n| {
            probe.set_swa_pattern(n, false);
            probe.layers.iter().zip(layers).all(|(a, b)| a.swa == b.swa)
        });
        // An architecture that makes every attention layer SWA reads no pattern key.
        if !default_ok && info.swa != SwaDefault::AttentionLayers {
            kv.push((
                k("attention.sliding_window_pattern"),
                bool_array(layers.iter().map(|l| l.swa)),
            ));
        }
    }

    if let Some(s) = &m.ssm {
        match s.kind {
            SsmKind::ShortConv => kv.push((k("shortconv.l_cache"), u32v(s.d_conv))),
            SsmKind::Rwkv => return Err("RWKV models are not written".into()),
            SsmKind::Mamba | SsmKind::GatedDeltaNet => {
                kv.push((k("ssm.conv_kernel"), u32v(s.d_conv)));
                kv.push((k("ssm.inner_size"), u32v(s.d_inner)));
                kv.push((k("ssm.state_size"), u32v(s.d_state)));
                kv.push((k("ssm.time_step_rank"), u32v(s.dt_rank)));
                kv.push((k("ssm.group_count"), u32v(s.n_group)));
            }
        }
        if let Some(n) = interval {
            kv.push((k("full_attention_interval"), u32v(n)));
        }
    }
    Ok(kv)
}

/// The attention period of a Qwen3-Next style hybrid (every n-th layer is attention).
fn full_attention_interval(m: &ModelSpec) -> Option<u64> {
    if m.ssm.as_ref()?.kind != SsmKind::GatedDeltaNet {
        return None;
    }
    let first = m
        .layers
        .iter()
        .position(|l| l.kind == LayerKind::Attention)?;
    Some(first as u64 + 1)
}
