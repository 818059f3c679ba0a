//! safetensors headers (an 8-byte little-endian length, then that many bytes of JSON naming
//! every tensor's dtype, shape and byte range) and Hugging Face `config.json`, for exact
//! sizes of a model without reading its weights.

use cabe_core::arch::{self, Family};
use cabe_core::model::{Layer, LayerKind, ModelSpec, Moe, SlidingWindow};
use cabe_core::text::shown;
use cabe_core::weights::{TypeShare, Weights, WeightsOrigin};
use serde_json::Value;
use std::io::Read;

/// The safetensors format's own cap on the header (`safetensors` refuses larger: 100 MB).
pub const MAX_HEADER_BYTES: u64 = 100_000_000;

#[derive(Clone, Debug, PartialEq)]
pub struct StTensor {
    pub name: String,
    pub dtype: String,
    pub shape: Vec<u64>,
    /// `data_offsets[1] - data_offsets[0]`: exact.
    pub bytes: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StHeader {
    pub tensors: Vec<StTensor>,
    /// 8 + the JSON length: the bytes that had to be read.
    pub header_bytes: u64,
    pub file_size: u64,
}

/// Reads a safetensors header from the start of a file of `file_size` bytes.
pub fn read_header<R: Read>(mut r: R, file_size: u64) -> Result<StHeader, String> {
    let mut len = [0u8; 8];
    r.read_exact(&mut len)
        .map_err(|e| format!("safetensors: reading the header length: {e}"))?;
    let n = u64::from_le_bytes(len);
    if n > MAX_HEADER_BYTES {
        return Err(format!(
            "safetensors: header of {n} bytes is over the format's {MAX_HEADER_BYTES}-byte limit"
        ));
    }
    if 8 + n > file_size {
        return Err(format!(
            "safetensors: header of {n} bytes runs past the end of the {file_size}-byte file"
        ));
    }
    let mut json = vec![0u8; n as usize];
    r.read_exact(&mut json)
        .map_err(|e| format!("safetensors: reading the {n}-byte header: {e}"))?;
    let v: Value = serde_json::from_slice(&json)
        .map_err(|e| format!("safetensors: header is not JSON: {e}"))?;
    let obj = v
        .as_object()
        .ok_or("safetensors: header is not a JSON object")?;
    let data_len = file_size - 8 - n;
    let mut tensors = Vec::with_capacity(obj.len());
    for (key, t) in obj {
        if key == "__metadata__" {
            continue;
        }
        // The name as the errors show it: a file may put anything in a key.
        let name = shown(key, 80);
        let dtype = t["dtype"]
            .as_str()
            .ok_or_else(|| format!("safetensors: tensor {name} has no dtype"))?
            .to_string();
        let shape: Vec<u64> = t["shape"]
            .as_array()
            .ok_or_else(|| format!("safetensors: tensor {name} has no shape"))?
            .iter()
            .map(|d| {
                d.as_u64()
                    .ok_or_else(|| format!("safetensors: tensor {name}: bad shape"))
            })
            .collect::<Result<_, _>>()?;
        let off = t["data_offsets"]
            .as_array()
            .filter(|a| a.len() == 2)
            .ok_or_else(|| format!("safetensors: tensor {name} has no data_offsets"))?;
        let (a, b) = (off[0].as_u64(), off[1].as_u64());
        let (Some(a), Some(b)) = (a, b) else {
            return Err(format!("safetensors: tensor {name}: bad data_offsets"));
        };
        if b < a || b > data_len {
            return Err(format!(
                "safetensors: tensor {name} lies outside the file ({a}..{b} of {data_len} data bytes)"
            ));
        }
        tensors.push(StTensor {
            name: key.clone(),
            dtype,
            shape,
            bytes: b - a,
        });
    }
    Ok(StHeader {
        tensors,
        header_bytes: 8 + n,
        file_size,
    })
}

/// The llama.cpp architecture name for a Hugging Face `model_type` ([`cabe_core::arch`]); a
/// type the table does not list keeps its own name.
pub fn llama_cpp_arch(model_type: &str) -> String {
    arch::from_hf_model_type(model_type)
        .map_or(model_type, |a| a.name)
        .to_string()
}

/// The SWA period of a Gemma 2/3 config.json without `layer_types`: its window applies to
/// llama.cpp's default pattern. Other architectures' windows are not guessed from config.json.
fn gemma_swa_period(model_type: &str) -> Option<u32> {
    arch::from_hf_model_type(model_type)
        .filter(|a| matches!(a.family, Family::Gemma2 | Family::Gemma3))
        .and_then(|a| a.swa_period())
}

/// A model spec from `config.json` (multimodal configs: their `text_config`). Dense, MoE and
/// sliding-window layouts are read; MLA and recurrent models are refused, not guessed.
pub fn spec_from_config(cfg: &Value, name: &str) -> Result<ModelSpec, String> {
    let text = cfg.get("text_config").filter(|t| t.is_object());
    // Keys of the text model win over the outer config.
    let get = |k: &str| text.and_then(|t| t.get(k)).or_else(|| cfg.get(k));
    let gu = |k: &str| get(k).and_then(Value::as_u64);
    let model_type = get("model_type")
        .and_then(Value::as_str)
        .or_else(|| cfg.get("model_type").and_then(Value::as_str))
        .unwrap_or("unknown");
    let shown_type = shown(model_type, 80);
    if gu("kv_lora_rank").is_some() {
        return Err(format!(
            "config.json: {shown_type} uses multi-head latent attention, not sized from config.json yet"
        ));
    }
    if gu("state_size").is_some() || gu("ssm_state_size").is_some() || gu("mamba_d_state").is_some()
    {
        return Err(format!(
            "config.json: {shown_type} has recurrent layers, not sized from config.json yet"
        ));
    }
    let need = |k: &str| gu(k).ok_or_else(|| format!("config.json has no {k}"));
    let n_layer = need("num_hidden_layers")?;
    if n_layer == 0 || n_layer > 4096 {
        return Err(format!(
            "config.json: num_hidden_layers = {n_layer} is out of range"
        ));
    }
    let n_embd = need("hidden_size")?;
    let n_head = need("num_attention_heads")?.max(1);
    let n_head_kv = gu("num_key_value_heads").unwrap_or(n_head);
    let head_dim = gu("head_dim").unwrap_or(n_embd / n_head);
    let n_ff = gu("intermediate_size").unwrap_or(0);
    let n_expert = gu("num_experts")
        .or_else(|| gu("num_local_experts"))
        .or_else(|| gu("n_routed_experts"))
        .unwrap_or(0);
    let moe = (n_expert > 0).then(|| Moe {
        n_expert: n_expert as u32,
        n_expert_used: gu("num_experts_per_tok").unwrap_or(0) as u32,
        n_expert_shared: gu("n_shared_experts").unwrap_or(0) as u32,
        expert_ff: gu("moe_intermediate_size").unwrap_or(n_ff),
        shared_ff: gu("shared_expert_intermediate_size").unwrap_or(0),
        leading_dense: gu("first_k_dense_replace").unwrap_or(0) as u32,
    });
    let layer_types: Option<Vec<String>> = get("layer_types").and_then(Value::as_array).map(|a| {
        a.iter()
            .map(|x| x.as_str().unwrap_or("").to_string())
            .collect()
    });
    let mut layers = Vec::with_capacity(n_layer as usize);
    for il in 0..n_layer as u32 {
        let is_moe = moe.as_ref().is_some_and(|m| il >= m.leading_dense);
        let swa = layer_types
            .as_ref()
            .and_then(|t| t.get(il as usize))
            .is_some_and(|t| t == "sliding_attention");
        layers.push(Layer {
            kind: LayerKind::Attention,
            n_head: n_head as u32,
            n_head_kv: n_head_kv as u32,
            n_ff: if is_moe { 0 } else { n_ff },
            swa,
            moe: is_moe,
        });
    }
    let mut spec = ModelSpec {
        name: name.to_string(),
        architecture: llama_cpp_arch(model_type),
        n_embd,
        n_vocab: gu("vocab_size").unwrap_or(0),
        native_ctx: gu("max_position_embeddings").unwrap_or(0),
        head_dim_k: head_dim,
        head_dim_v: head_dim,
        layers,
        tied_embeddings: get("tie_word_embeddings")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        moe,
        swa: None,
        mla: None,
        ssm: None,
        projector: None,
    };
    let window = gu("sliding_window").filter(|&w| w > 0);
    if let Some(w) = window {
        if layer_types.is_some() {
            if spec.layers.iter().any(|l| l.swa) {
                spec.swa = Some(SlidingWindow {
                    window: w,
                    pattern: "per-layer pattern from config.json".into(),
                });
            }
        } else if let Some(period) = gemma_swa_period(model_type) {
            let n = gu("sliding_window_pattern").unwrap_or(u64::from(period));
            spec.set_swa_pattern(n as u32, false);
            spec.swa = Some(SlidingWindow {
                window: w,
                pattern: format!("{} local : 1 global", n.saturating_sub(1)),
            });
        }
    }
    Ok(spec)
}

/// Exact weights from safetensors tensors: bytes as stored; MoE routed experts count
/// `n_used / n_expert` toward the bytes read per token; the input embedding counts only when
/// tied to the output.
pub fn weights(spec: &ModelSpec, tensors: &[StTensor]) -> Weights {
    let frac = spec
        .moe
        .as_ref()
        .filter(|m| m.n_expert > 0)
        .map_or(1.0, |m| m.n_expert_used as f64 / m.n_expert as f64);
    let (mut bytes, mut params) = (0u64, 0u64);
    let (mut act_p, mut act_b) = (0f64, 0f64);
    let mut by_type: Vec<TypeShare> = Vec::new();
    for t in tensors {
        let n: u64 = t.shape.iter().product();
        bytes += t.bytes;
        params += n;
        let share = if t.name.contains(".experts.") {
            frac
        } else {
            1.0
        };
        let embedding = t.name.ends_with("embed_tokens.weight") || t.name.ends_with("wte.weight");
        if !embedding || spec.tied_embeddings {
            act_p += n as f64 * share;
            act_b += t.bytes as f64 * share;
        }
        match by_type.iter_mut().find(|s| s.ggml_type == t.dtype) {
            Some(s) => {
                s.tensors += 1;
                s.params += n;
                s.bytes += t.bytes;
            }
            None => by_type.push(TypeShare {
                ggml_type: t.dtype.clone(),
                tensors: 1,
                params: n,
                bytes: t.bytes,
            }),
        }
    }
    by_type.sort_by_key(|t| std::cmp::Reverse(t.bytes));
    Weights {
        origin: WeightsOrigin::File,
        bytes,
        params_total: params,
        params_active: act_p.round() as u64,
        bytes_active: act_b.round() as u64,
        by_type,
        tensors: Vec::new(),
    }
}

/// "BF16", or the quantization method of `quantization_config` ("fp8", "awq 4-bit", …).
pub fn quant_label(cfg: &Value, w: &Weights) -> String {
    if let Some(q) = cfg.get("quantization_config") {
        let method = q["quant_method"].as_str().unwrap_or("quantized");
        return match q["bits"].as_u64() {
            Some(b) => format!("{method} {b}-bit"),
            None => method.to_string(),
        };
    }
    w.by_type
        .first()
        .map_or_else(|| "?".into(), |t| t.ggml_type.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(json: &str, data: usize) -> Vec<u8> {
        let mut v = (json.len() as u64).to_le_bytes().to_vec();
        v.extend_from_slice(json.as_bytes());
        v.extend(vec![0u8; data]);
        v
    }

    #[test]
    fn header_sizes_are_exact() {
        let j = r#"{"__metadata__":{"format":"pt"},"a.weight":{"dtype":"BF16","shape":[2,3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}"#;
        let f = file(j, 16);
        let h = read_header(&f[..], f.len() as u64).unwrap();
        assert_eq!(h.tensors.len(), 2);
        assert_eq!(h.header_bytes, 8 + j.len() as u64);
        assert_eq!(h.tensors.iter().map(|t| t.bytes).sum::<u64>(), 16);
    }

    #[test]
    fn hostile_headers_are_errors() {
        let mut huge = (u64::MAX).to_le_bytes().to_vec();
        huge.extend_from_slice(b"{}");
        assert!(read_header(&huge[..], 10).unwrap_err().contains("limit"));
        let past = file(
            r#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#,
            8,
        );
        assert!(read_header(&past[..], past.len() as u64)
            .unwrap_err()
            .contains("outside"));
        let notjson = file("not json", 0);
        assert!(read_header(&notjson[..], notjson.len() as u64).is_err());
        assert!(read_header(&[1u8, 2][..], 2).is_err());
        // A tensor name is the file's: it is shown on one line, escaped.
        let named = file(r#"{"a\nb":{"shape":[1],"data_offsets":[0,4]}}"#, 4);
        let e = read_header(&named[..], named.len() as u64).unwrap_err();
        assert_eq!(e, r"safetensors: tensor a\nb has no dtype");
    }

    #[test]
    fn qwen3_moe_config() {
        let cfg: Value = serde_json::from_str(
            r#"{"architectures":["Qwen3MoeForCausalLM"],"model_type":"qwen3_moe","hidden_size":2048,
            "num_hidden_layers":48,"num_attention_heads":32,"num_key_value_heads":4,"head_dim":128,
            "intermediate_size":6144,"moe_intermediate_size":768,"num_experts":128,"num_experts_per_tok":8,
            "vocab_size":151936,"max_position_embeddings":262144,"tie_word_embeddings":false}"#,
        )
        .unwrap();
        let s = spec_from_config(&cfg, "q").unwrap();
        assert_eq!(s.architecture, "qwen3moe");
        assert_eq!(s.n_layer(), 48);
        assert_eq!(s.native_ctx, 262144);
        assert_eq!(s.moe.as_ref().unwrap().n_expert_used, 8);
        assert!(s.layers.iter().all(|l| l.moe && l.n_ff == 0));
    }
}
