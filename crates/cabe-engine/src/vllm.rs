//! One model over several GPUs with vLLM: tensor parallel inside a node, pipeline parallel
//! across nodes (on a Ray cluster), with the checks vLLM makes at start-up and the memory each
//! GPU needs. Pure: the GPUs come in as data.
//!
//! The rules, from vLLM's source (v0.11):
//! - `vllm/config/model.py` `verify_with_parallel_config`: "Total number of attention heads
//!   ({n}) must be divisible by tensor parallel size ({tp})."
//! - `vllm/model_executor/layers/linear.py` `QKVParallelLinear`: with `tp_size >=
//!   total_num_kv_heads` each GPU holds one KV head and `num_kv_head_replicas =
//!   divide(tp_size, total_num_kv_heads)`; otherwise `num_kv_heads = divide(total_num_kv_heads,
//!   tp_size)` — `divide` asserts that the division is exact.
//! - `vllm/config/model.py` `get_num_kv_heads`: `max(1, total_num_kv_heads // tp)` KV heads
//!   per GPU (replicated when fewer than the GPUs); an MLA model caches one latent per token
//!   on every GPU.
//! - `vllm/distributed/utils.py` `get_pp_indices`: `n_layer // pp` layers per stage, the
//!   remainder added one each from the second-to-last stage backwards (the first stage holds
//!   the embedding, the last the final norm and LM head).
//! - `--gpu-memory-utilization` (default 0.9) is the share of each GPU vLLM may take; the KV
//!   cache gets what is left after the weights and the profiled activation peak, and start-up
//!   fails when `max_model_len` tokens do not fit in it.
//! - `docs/serving/parallelism_scaling.md`: tensor parallel size = GPUs per node, pipeline
//!   parallel size = nodes; multi-node runs on Ray (`ray start --head`, `ray start --address`).

use cabe_core::model::{LayerKind, ModelSpec};
use cabe_core::weights::{block_of, Weights};
use serde::Serialize;

/// vLLM's default `--gpu-memory-utilization`.
pub const GPU_MEMORY_UTILIZATION: f64 = 0.9;

/// Bytes per cached element: vLLM's `--kv-cache-dtype auto` takes the model's dtype (bf16).
const KV_ELEM_BYTES: u64 = 2;

/// Why vLLM would refuse `tp` × `pp` for `m`, quoting its own message; Ok when it starts.
pub fn check(m: &ModelSpec, tp: u32, pp: u32) -> Result<(), String> {
    if tp == 0 || pp == 0 {
        return Err("tensor and pipeline parallel sizes must be at least 1".into());
    }
    if m.ssm.is_some() || m.layers.iter().any(|l| l.kind == LayerKind::Recurrent) {
        return Err(format!(
            "{} has recurrent layers; cabe does not model vLLM's cache for them",
            m.name
        ));
    }
    let heads = m.max_n_head();
    if !heads.is_multiple_of(tp) {
        return Err(format!(
            "vLLM refuses it: \"Total number of attention heads ({heads}) must be divisible by tensor parallel size ({tp}).\""
        ));
    }
    if m.mla.is_none() {
        let kv = m.max_n_head_kv();
        if tp >= kv && !tp.is_multiple_of(kv) {
            return Err(format!(
                "vLLM refuses it: {tp} GPUs cannot replicate {kv} KV heads evenly (QKVParallelLinear: divide({tp}, {kv}))"
            ));
        }
        if tp < kv && !kv.is_multiple_of(tp) {
            return Err(format!(
                "vLLM refuses it: {kv} KV heads do not divide over {tp} GPUs (QKVParallelLinear: divide({kv}, {tp}))"
            ));
        }
    }
    if pp > m.n_layer() {
        return Err(format!(
            "pipeline parallel size ({pp}) cannot exceed the number of layers ({})",
            m.n_layer()
        ));
    }
    Ok(())
}

/// Layers per pipeline stage (`get_pp_indices`).
pub fn pp_partition(n_layer: u32, pp: u32) -> Vec<u32> {
    let pp = pp.max(1) as usize;
    let mut parts = vec![n_layer / pp as u32; pp];
    let rem = (n_layer as usize) % pp;
    for i in 2..rem + 2 {
        parts[pp - i] += 1;
    }
    parts
}

/// KV heads each GPU caches (`get_num_kv_heads`).
pub fn kv_heads_per_gpu(m: &ModelSpec, tp: u32) -> u32 {
    if m.mla.is_some() {
        1
    } else {
        (m.max_n_head_kv() / tp.max(1)).max(1)
    }
}

/// KV bytes one token needs on one GPU of a stage holding `layers` attention layers.
fn kv_bytes_per_token(m: &ModelSpec, tp: u32, layers: &[u32]) -> u64 {
    let per_layer = match &m.mla {
        Some(x) => (x.kv_lora_rank + x.rope_dim) * KV_ELEM_BYTES,
        None => kv_heads_per_gpu(m, tp) as u64 * (m.head_dim_k + m.head_dim_v) * KV_ELEM_BYTES,
    };
    let attention = layers
        .iter()
        .filter(|&&il| m.layers[il as usize].kind == LayerKind::Attention)
        .count() as u64;
    per_layer * attention
}

/// One pipeline stage (one node's GPUs).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stage {
    /// Repeating layers, `first..=last`.
    pub layers: (u32, u32),
    /// Per GPU of the stage.
    pub weight_bytes: u64,
    pub kv_bytes: u64,
    pub kv_bytes_per_token: u64,
    /// `--gpu-memory-utilization` × the GPU's memory.
    pub budget_bytes: u64,
    /// budget − weights − KV (negative: vLLM refuses to start).
    pub headroom_bytes: i64,
    /// Tokens of KV cache the budget holds after the weights.
    pub kv_tokens: u64,
}

/// The plan for `tp` GPUs per node on `pp` nodes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VllmPlan {
    pub tensor_parallel: u32,
    pub pipeline_parallel: u32,
    pub kv_heads_per_gpu: u32,
    /// Tokens over all sequences (`max_model_len` × sequences).
    pub ctx_tokens: u64,
    pub stages: Vec<Stage>,
    pub fits: bool,
    /// The longest `--max-model-len` every stage holds (one sequence).
    pub max_model_len: u64,
    /// Not modelled: the profiled activation peak and CUDA graphs come out of the headroom.
    pub notes: Vec<String>,
}

/// Sizes `m` with weights `w` (the checkpoint vLLM loads, e.g. BF16) on `tp` × `pp` GPUs of
/// `gpu_bytes` each, for `ctx_tokens` tokens of cache. Call [`check`] first.
pub fn plan(
    m: &ModelSpec,
    w: &Weights,
    tp: u32,
    pp: u32,
    gpu_bytes: u64,
    ctx_tokens: u64,
) -> VllmPlan {
    let tp = tp.max(1);
    let parts = pp_partition(m.n_layer(), pp);
    let mut first = 0u32;
    let budget = (gpu_bytes as f64 * GPU_MEMORY_UTILIZATION) as u64;
    let last_stage = parts.len() - 1;
    let has_output = w.tensors.iter().any(|t| &*t.name == "output.weight");
    let mut stages = Vec::with_capacity(parts.len());
    for (s, &n) in parts.iter().enumerate() {
        let layers: Vec<u32> = (first..first + n).collect();
        let mut bytes = 0u64;
        for t in &w.tensors {
            let on_stage = match block_of(&t.name) {
                Some(il) => layers.contains(&il),
                None if &*t.name == "token_embd.weight" => {
                    // The first stage embeds; a tied head is loaded again on the last.
                    s == 0 || (s == last_stage && !has_output)
                }
                None => s == last_stage,
            };
            if on_stage {
                // Tensor parallel shards every matrix (embedding and head by vocabulary).
                bytes += t.bytes() / tp as u64;
            }
        }
        let per_token = kv_bytes_per_token(m, tp, &layers);
        let kv = per_token * ctx_tokens;
        let room = budget.saturating_sub(bytes);
        stages.push(Stage {
            layers: (first, (first + n).saturating_sub(1)),
            weight_bytes: bytes,
            kv_bytes: kv,
            kv_bytes_per_token: per_token,
            budget_bytes: budget,
            headroom_bytes: budget as i64 - bytes as i64 - kv as i64,
            kv_tokens: room.checked_div(per_token).unwrap_or(u64::MAX),
        });
        first += n;
    }
    let max_model_len = stages
        .iter()
        .map(|s| s.kv_tokens)
        .min()
        .unwrap_or(0)
        .min(m.native_ctx.max(1));
    VllmPlan {
        tensor_parallel: tp,
        pipeline_parallel: parts.len() as u32,
        kv_heads_per_gpu: kv_heads_per_gpu(m, tp),
        ctx_tokens,
        fits: stages.iter().all(|s| s.headroom_bytes >= 0),
        stages,
        max_model_len,
        notes: vec![
            "vLLM profiles its activation peak and CUDA graphs at start-up; they come out of the headroom shown (not modelled)".into(),
            "sliding-window layers are counted at the full length (an upper bound)".into(),
        ],
    }
}

/// The commands: Ray on every node when there are several, then `vllm serve` on the head.
pub fn commands(hf_id: &str, p: &VllmPlan, max_model_len: u64) -> Vec<String> {
    let serve = format!(
        "vllm serve {hf_id} --tensor-parallel-size {} --pipeline-parallel-size {} --max-model-len {max_model_len} --gpu-memory-utilization {GPU_MEMORY_UTILIZATION}",
        p.tensor_parallel, p.pipeline_parallel
    );
    if p.pipeline_parallel <= 1 {
        return vec![serve];
    }
    let mut v = vec![
        "# on the head node".to_string(),
        "ray start --head --port=6379".to_string(),
    ];
    for n in 1..p.pipeline_parallel {
        v.push(format!("# on node {n}"));
        v.push("ray start --address=HEAD_IP:6379".to_string());
    }
    v.push("# on the head node, once every node has joined (ray status)".to_string());
    v.push(format!("{serve} --distributed-executor-backend ray"));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use cabe_core::quant::FileType;
    use cabe_core::weights::for_file_type;

    fn spec(id: &str) -> ModelSpec {
        cabe_catalog::find_model(id).unwrap().spec.clone()
    }

    #[test]
    fn heads_must_divide_by_the_tensor_parallel_size() {
        // Qwen2.5-7B: 28 query heads, 4 KV heads.
        let q = spec("qwen2.5-7b");
        assert_eq!((q.max_n_head(), q.max_n_head_kv()), (28, 4));
        let e = check(&q, 8, 1).unwrap_err();
        assert!(
            e.contains("Total number of attention heads (28) must be divisible by tensor parallel size (8)"),
            "{e}"
        );
        assert!(check(&q, 4, 1).is_ok());
        assert!(check(&q, 2, 2).is_ok());
    }

    #[test]
    fn eight_kv_heads_at_tensor_parallel_16_are_replicated() {
        // Llama-3.1-405B: 128 heads, 8 KV heads. At TP 16 each GPU holds one KV head, two
        // GPUs holding each (divide(16, 8) = 2 replicas): vLLM starts.
        let m = spec("llama-3.1-405b");
        assert_eq!((m.max_n_head(), m.max_n_head_kv()), (128, 8));
        assert!(check(&m, 16, 1).is_ok());
        assert_eq!(kv_heads_per_gpu(&m, 16), 1);
        assert_eq!(kv_heads_per_gpu(&m, 4), 2);
        // 8 KV heads cannot be replicated evenly over 12 GPUs (and 128 heads do not divide).
        assert!(check(&m, 12, 1).is_err());
        // Replicated heads cost memory: at TP 16 each GPU caches as much per token as at TP 8.
        let l: Vec<u32> = (0..m.n_layer()).collect();
        assert_eq!(
            kv_bytes_per_token(&m, 16, &l),
            kv_bytes_per_token(&m, 8, &l)
        );
        assert_eq!(
            kv_bytes_per_token(&m, 4, &l),
            2 * kv_bytes_per_token(&m, 8, &l)
        );
    }

    #[test]
    fn mla_keeps_one_latent_per_gpu() {
        let m = spec("deepseek-v2-lite");
        let mla = m.mla.clone().unwrap();
        let l: Vec<u32> = (0..m.n_layer()).collect();
        assert_eq!(
            kv_bytes_per_token(&m, 8, &l),
            (mla.kv_lora_rank + mla.rope_dim) * 2 * m.n_layer() as u64
        );
    }

    #[test]
    fn pipeline_stages_follow_get_pp_indices() {
        // vLLM's own examples: 61 layers → PP2 [31, 30], PP4 [15, 15, 16, 15].
        assert_eq!(pp_partition(61, 2), vec![31, 30]);
        assert_eq!(pp_partition(61, 4), vec![15, 15, 16, 15]);
        assert_eq!(pp_partition(126, 2), vec![63, 63]);
        assert_eq!(pp_partition(10, 4), vec![2, 3, 3, 2]);
        assert_eq!(pp_partition(7, 1), vec![7]);
    }

    #[test]
    fn a_70b_in_bf16_on_two_nodes_of_four_80gb_gpus() {
        let m = spec("llama-3.3-70b");
        let w = for_file_type(&m, FileType::BF16);
        check(&m, 4, 2).unwrap();
        let gib = 1u64 << 30;
        let p = plan(&m, &w, 4, 2, 80 * gib, 32768);
        assert_eq!(p.stages.len(), 2);
        // Every weight byte is on some GPU once (the embedding and head are not tied).
        let placed: u64 = p.stages.iter().map(|s| s.weight_bytes * 4).sum();
        assert!((placed as f64 / w.bytes as f64 - 1.0).abs() < 1e-3);
        assert!(p.fits, "{p:?}");
        // 8 KV heads over 4 GPUs: 2 each, 128-wide K and V, bf16, 40 layers per stage.
        assert_eq!(p.stages[0].kv_bytes_per_token, 2 * 256 * 2 * 40);
        assert!(p.max_model_len >= 32768);
        let c = commands("meta-llama/Llama-3.3-70B-Instruct", &p, 32768);
        assert!(c.iter().any(|l| l == "ray start --head --port=6379"));
        assert!(c
            .last()
            .unwrap()
            .contains("--tensor-parallel-size 4 --pipeline-parallel-size 2 --max-model-len 32768"));
    }
}
