//! The architectures cabe knows: one row each, in the spirit of llama.cpp's `src/llama-arch.cpp`
//! (`LLM_ARCH_NAMES`) and the per-architecture `load_hparams` / `load_tensors` code in
//! `src/models/<arch>.cpp`. What cabe decides from the `general.architecture` string belongs in a
//! column here, so that adding an architecture touches one row and code asks the table instead
//! of matching names.
//!
//! An unknown name has no row: callers fall back to the plain-transformer behaviour
//! ([`ArchInfo::DEFAULT`]), as llama.cpp's shared code paths do.

use crate::model::SsmKind;

/// Architecture families that share a tensor layout ([`crate::layout`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// q/k/v/o + gate/up/down, no biases, no extra norms (llama, deci, granite, …).
    Llama,
    /// Llama + q/k/v biases, gated shared expert (qwen2, qwen2moe, qwen2vl).
    Qwen2,
    /// Llama + per-head q/k RMS norms (qwen3, qwen3moe, qwen3vl, qwen3vlmoe).
    Qwen3,
    /// Norms around attention and FFN, output tied to token_embd (gemma, gemma2).
    Gemma2,
    /// Gemma 2's norms + q/k norms.
    Gemma3,
    /// Fused qkv and fused gate-up projections.
    Phi3,
    /// Multi-head latent attention, shared experts, routing bias.
    DeepSeek2,
    /// Biases on attention and experts, attention sinks.
    GptOss,
    /// Gated query, gated delta-net recurrent layers, gated shared expert.
    Qwen3Next,
    /// Mamba2 hybrids: llama attention/FFN tensors beside the SSM ones.
    GraniteHybrid,
    /// Short-convolution hybrids; the final norm is `token_embd_norm`.
    Lfm2,
}

impl Family {
    /// The final norm's tensor (`LLM_TENSOR_OUTPUT_NORM`; LFM2 stores it as
    /// `LLM_TENSOR_OUTPUT_NORM_LFM2`, `token_embd_norm`).
    pub fn output_norm(self) -> &'static str {
        match self {
            Family::Lfm2 => "token_embd_norm.weight",
            _ => "output_norm.weight",
        }
    }

    /// The output head always reuses token_embd (Gemma 2: llama.cpp duplicates it in memory
    /// only), whatever the config says.
    pub fn always_tied_output(self) -> bool {
        self == Family::Gemma2
    }

    /// q/k/v carry biases.
    pub fn qkv_bias(self) -> bool {
        matches!(self, Family::Qwen2 | Family::GptOss)
    }

    /// Per-head q/k RMS norms (`attn_q_norm`, `attn_k_norm`).
    pub fn qk_norm(self) -> bool {
        matches!(
            self,
            Family::Qwen3 | Family::Gemma3 | Family::Qwen3Next | Family::Lfm2
        )
    }

    /// One fused qkv and one fused gate-up projection (`attn_qkv`, `ffn_up` twice as wide).
    pub fn fused_projections(self) -> bool {
        self == Family::Phi3
    }

    /// The shared expert has a scalar gate (`ffn_gate_inp_shexp`).
    pub fn gated_shared_expert(self) -> bool {
        matches!(self, Family::Qwen2 | Family::Qwen3Next)
    }
}

/// How llama.cpp picks the sliding-window layers when the file does not list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwaDefault {
    /// No hard-coded rule: a window without a per-layer pattern is ignored (phi3, …).
    None,
    /// `load_swa_pattern(ml, period)`: the last layer of each group of `period` is global;
    /// `window` applies when the file has no `attention.sliding_window`.
    Period { period: u32, window: Option<u64> },
    /// Every attention layer is SWA when the file has a window; no pattern key is read.
    AttentionLayers,
}

/// Recurrent layers where the architecture decides them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recurrent {
    /// The state family of the recurrent layers.
    pub kind: SsmKind,
    /// Every layer is recurrent (no attention at all), whatever the KV head counts say.
    pub every_layer: bool,
}

/// One llama.cpp architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchInfo {
    /// `general.architecture` as llama.cpp's `LLM_ARCH_NAMES` spells it.
    pub name: &'static str,
    /// Other spellings that mean the same architecture (enum names, older names).
    pub aliases: &'static [&'static str],
    /// Hugging Face `config.json` `model_type`s converted to this architecture.
    pub hf_model_types: &'static [&'static str],
    /// Ollama's model family, where it differs from `name`.
    pub ollama_family: Option<&'static str>,
    /// Tensor layout.
    pub family: Family,
    /// Sliding-window defaults.
    pub swa: SwaDefault,
    /// Recurrent layers (SSM kind), where the architecture has them.
    pub recurrent: Option<Recurrent>,
    /// The FFN stage of the compute graph holds 3·E per token rather than 4·E (phi3's fused
    /// gate-up; LFM2), see [`crate::plan::compute_buffer`].
    pub compact_ffn_graph: bool,
    /// 80 layers is llama.cpp's LLM_TYPE_70B, which the quantizer treats specially.
    pub type_70b_at_80_layers: bool,
    /// `src/llama-quant.cpp` special-cases LLM_ARCH_FALCON's output, ffn_down and attn_output.
    pub falcon_quant: bool,
    /// `feed_forward_length` holds the routed experts' width (ffn_*_exps are {E, n_ff, n_exp}).
    pub ff_is_expert_width: bool,
    /// `load_hparams` requires `expert_shared_count` (and reads `expert_weights_scale`).
    pub requires_expert_shared_keys: bool,
}

impl ArchInfo {
    /// The behaviour of an architecture with no row: a plain transformer.
    pub const DEFAULT: ArchInfo = ArchInfo {
        name: "",
        aliases: &[],
        hf_model_types: &[],
        ollama_family: None,
        family: Family::Llama,
        swa: SwaDefault::None,
        recurrent: None,
        compact_ffn_graph: false,
        type_70b_at_80_layers: false,
        falcon_quant: false,
        ff_is_expert_width: false,
        requires_expert_shared_keys: false,
    };

    /// The hard-coded SWA period, if any (`load_swa_pattern(ml, n)`).
    pub fn swa_period(&self) -> Option<u32> {
        match self.swa {
            SwaDefault::Period { period, .. } => Some(period),
            _ => None,
        }
    }

    /// The hard-coded SWA window, if any.
    pub fn swa_window(&self) -> Option<u64> {
        match self.swa {
            SwaDefault::Period { window, .. } => window,
            _ => None,
        }
    }
}

const D: ArchInfo = ArchInfo::DEFAULT;

const fn hybrid(kind: SsmKind) -> Option<Recurrent> {
    Some(Recurrent {
        kind,
        every_layer: false,
    })
}

const fn pure(kind: SsmKind) -> Option<Recurrent> {
    Some(Recurrent {
        kind,
        every_layer: true,
    })
}

/// Every architecture cabe knows. Each row cites the llama.cpp file that defines its quirks
/// (names: `src/llama-arch.cpp`; hyper-parameters and tensors: `src/models/<file>`).
/// One row a line or two, as a table: not reflowed by rustfmt.
#[rustfmt::skip]
pub static ARCHITECTURES: &[ArchInfo] = &[
    // src/models/llama.cpp: `case 80` is LLM_TYPE_70B (with GQA).
    ArchInfo { name: "llama", hf_model_types: &["llama", "mistral", "mixtral"],
        type_70b_at_80_layers: true, ..D },
    // src/models/deci.cpp: `case 80` is LLM_TYPE_70B.
    ArchInfo { name: "deci", type_70b_at_80_layers: true, ..D },
    // src/models/olmo.cpp: `case 80` is LLM_TYPE_70B.
    ArchInfo { name: "olmo", hf_model_types: &["olmo"], type_70b_at_80_layers: true, ..D },
    // src/models/falcon.cpp; src/llama-quant.cpp's LLM_ARCH_FALCON branches.
    ArchInfo { name: "falcon", hf_model_types: &["falcon"], falcon_quant: true, ..D },
    // src/models/granite.cpp.
    ArchInfo { name: "granite", hf_model_types: &["granite"], ..D },
    // src/models/granite-moe.cpp: experts sized by feed_forward_length.
    ArchInfo { name: "granitemoe", hf_model_types: &["granitemoe"], ff_is_expert_width: true, ..D },
    // src/models/cohere2.cpp: load_swa_pattern(ml, 4).
    ArchInfo { name: "cohere2", hf_model_types: &["cohere2"],
        swa: SwaDefault::Period { period: 4, window: None }, ..D },
    // src/models/qwen2.cpp: q/k/v biases; `case 80` is LLM_TYPE_70B.
    ArchInfo { name: "qwen2", hf_model_types: &["qwen2"], family: Family::Qwen2,
        type_70b_at_80_layers: true, ..D },
    // src/models/qwen2moe.cpp: qwen2 biases, gated shared expert.
    ArchInfo { name: "qwen2moe", hf_model_types: &["qwen2_moe"], family: Family::Qwen2, ..D },
    // src/models/qwen2vl.cpp: qwen2's text tensors.
    ArchInfo { name: "qwen2vl", family: Family::Qwen2, ..D },
    // src/models/qwen3.cpp: q/k norms.
    ArchInfo { name: "qwen3", hf_model_types: &["qwen3"], family: Family::Qwen3, ..D },
    // src/models/qwen3moe.cpp.
    ArchInfo { name: "qwen3moe", hf_model_types: &["qwen3_moe"], family: Family::Qwen3, ..D },
    // src/models/qwen3vl.cpp.
    ArchInfo { name: "qwen3vl", family: Family::Qwen3, ..D },
    // src/models/qwen3vlmoe.cpp.
    ArchInfo { name: "qwen3vlmoe", family: Family::Qwen3, ..D },
    // src/models/qwen3next.cpp: gated delta-net layers; every full_attention_interval-th
    // layer is attention.
    ArchInfo { name: "qwen3next", family: Family::Qwen3Next,
        recurrent: hybrid(SsmKind::GatedDeltaNet), ..D },
    // src/models/qwen35.cpp: gated delta-net hybrid, attention layers as qwen3next's (gated
    // query twice as wide, q/k norms, post-attention norm); its delta-net keeps beta and alpha
    // as two tensors where qwen3next fuses them, the same bytes.
    ArchInfo { name: "qwen35", family: Family::Qwen3Next,
        recurrent: hybrid(SsmKind::GatedDeltaNet), ..D },
    // src/models/qwen35moe.cpp: as qwen35, with qwen3next's routed and gated shared experts.
    ArchInfo { name: "qwen35moe", family: Family::Qwen3Next,
        recurrent: hybrid(SsmKind::GatedDeltaNet), ..D },
    // src/models/gemma.cpp: gemma2's norm layout, no SWA.
    ArchInfo { name: "gemma", hf_model_types: &["gemma"], family: Family::Gemma2, ..D },
    // src/models/gemma2.cpp: n_swa = 4096 by default, load_swa_pattern(ml, 2).
    ArchInfo { name: "gemma2", hf_model_types: &["gemma2"], family: Family::Gemma2,
        swa: SwaDefault::Period { period: 2, window: Some(4096) }, ..D },
    // src/models/gemma3.cpp: load_swa_pattern(ml, 6).
    ArchInfo { name: "gemma3", hf_model_types: &["gemma3", "gemma3_text"], family: Family::Gemma3,
        swa: SwaDefault::Period { period: 6, window: None }, ..D },
    // src/models/phi3.cpp: fused qkv and gate-up; its sliding window is not applied.
    ArchInfo { name: "phi3", hf_model_types: &["phi3"], family: Family::Phi3,
        compact_ffn_graph: true, ..D },
    // src/models/phimoe.cpp.
    ArchInfo { name: "phimoe", hf_model_types: &["phimoe"], family: Family::Phi3,
        compact_ffn_graph: true, ..D },
    // src/models/deepseek2.cpp: MLA; expert_shared_count is a required key.
    ArchInfo { name: "deepseek2", aliases: &["kimi-k2"], family: Family::DeepSeek2,
        requires_expert_shared_keys: true, ..D },
    // src/models/openai-moe.cpp (LLM_ARCH_OPENAI_MOE): load_swa_pattern(ml, 2).
    ArchInfo { name: "gpt-oss", aliases: &["openai-moe"], hf_model_types: &["gpt_oss"],
        ollama_family: Some("gptoss"), family: Family::GptOss,
        swa: SwaDefault::Period { period: 2, window: None }, ..D },
    // src/models/granite-hybrid.cpp: Mamba2 layers where head_count_kv is 0.
    ArchInfo { name: "granitehybrid", family: Family::GraniteHybrid,
        recurrent: hybrid(SsmKind::Mamba), ff_is_expert_width: true, ..D },
    // src/models/jamba.cpp.
    ArchInfo { name: "jamba", hf_model_types: &["jamba"], family: Family::GraniteHybrid,
        recurrent: hybrid(SsmKind::Mamba), ..D },
    // src/models/nemotron-h.cpp.
    ArchInfo { name: "nemotron_h", hf_model_types: &["nemotron_h"], family: Family::GraniteHybrid,
        recurrent: hybrid(SsmKind::Mamba), ..D },
    // src/models/falcon-h1.cpp.
    ArchInfo { name: "falcon-h1", family: Family::GraniteHybrid, recurrent: hybrid(SsmKind::Mamba),
        ..D },
    // src/models/mamba.cpp: every layer recurrent.
    ArchInfo { name: "mamba", hf_model_types: &["mamba"], recurrent: pure(SsmKind::Mamba), ..D },
    // src/models/mamba2.cpp: every layer recurrent.
    ArchInfo { name: "mamba2", hf_model_types: &["mamba2"], family: Family::GraniteHybrid,
        recurrent: pure(SsmKind::Mamba), ..D },
    // src/models/rwkv6.cpp.
    ArchInfo { name: "rwkv6", recurrent: pure(SsmKind::Rwkv), ..D },
    // src/models/rwkv6qwen2.cpp.
    ArchInfo { name: "rwkv6qwen2", recurrent: pure(SsmKind::Rwkv), ..D },
    // src/models/rwkv7.cpp.
    ArchInfo { name: "rwkv7", recurrent: pure(SsmKind::Rwkv), ..D },
    // src/models/arwkv7.cpp.
    ArchInfo { name: "arwkv7", recurrent: pure(SsmKind::Rwkv), ..D },
    // src/models/lfm2.cpp: short-conv layers where head_count_kv is 0; a window makes every
    // attention layer SWA (no pattern key).
    ArchInfo { name: "lfm2", hf_model_types: &["lfm2"], family: Family::Lfm2,
        swa: SwaDefault::AttentionLayers, recurrent: hybrid(SsmKind::ShortConv),
        compact_ffn_graph: true, ..D },
    // src/models/lfm2moe.cpp: no SWA.
    ArchInfo { name: "lfm2moe", family: Family::Lfm2, recurrent: hybrid(SsmKind::ShortConv),
        compact_ffn_graph: true, ..D },
];

/// The row for a `general.architecture` name or one of its aliases.
pub fn find(name: &str) -> Option<&'static ArchInfo> {
    ARCHITECTURES
        .iter()
        .find(|a| a.name == name || a.aliases.contains(&name))
}

/// [`find`], or the plain-transformer defaults for an architecture cabe has no row for.
pub fn info(name: &str) -> &'static ArchInfo {
    find(name).unwrap_or(&ArchInfo::DEFAULT)
}

/// The row a Hugging Face `config.json` `model_type` converts to.
pub fn from_hf_model_type(model_type: &str) -> Option<&'static ArchInfo> {
    ARCHITECTURES
        .iter()
        .find(|a| a.hf_model_types.contains(&model_type))
}

/// The row for an Ollama model family (Ollama's name where it differs, else the GGUF name).
pub fn from_ollama_family(family: &str) -> Option<&'static ArchInfo> {
    ARCHITECTURES
        .iter()
        .find(|a| a.ollama_family == Some(family))
        .or_else(|| find(family))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_aliases_are_unique() {
        let mut seen = HashSet::new();
        for a in ARCHITECTURES {
            assert!(!a.name.is_empty());
            for n in std::iter::once(&a.name).chain(a.aliases) {
                assert!(seen.insert(*n), "{n} names two rows");
            }
        }
    }

    #[test]
    fn every_name_and_alias_resolves_to_its_row() {
        for a in ARCHITECTURES {
            assert_eq!(find(a.name), Some(a));
            for alias in a.aliases {
                assert_eq!(find(alias).map(|r| r.name), Some(a.name), "{alias}");
            }
        }
        assert_eq!(find("no-such-arch"), None);
        assert_eq!(info("no-such-arch"), &ArchInfo::DEFAULT);
    }

    #[test]
    fn every_hf_model_type_resolves_to_one_row() {
        let mut seen = HashSet::new();
        for a in ARCHITECTURES {
            for t in a.hf_model_types {
                assert!(seen.insert(*t), "{t} maps to two rows");
                assert_eq!(from_hf_model_type(t).map(|r| r.name), Some(a.name));
            }
        }
        assert_eq!(from_hf_model_type("mixtral").map(|a| a.name), Some("llama"));
    }

    #[test]
    fn ollama_families_resolve() {
        assert_eq!(
            from_ollama_family("gptoss").map(|a| a.name),
            Some("gpt-oss")
        );
        assert_eq!(
            from_ollama_family("qwen3moe").map(|a| a.name),
            Some("qwen3moe")
        );
        for a in ARCHITECTURES {
            if let Some(f) = a.ollama_family {
                assert_eq!(from_ollama_family(f), Some(a));
            }
        }
    }

    #[test]
    fn swa_defaults_follow_llama_cpp() {
        assert_eq!(info("gemma2").swa_window(), Some(4096));
        assert_eq!(info("gemma2").swa_period(), Some(2));
        assert_eq!(info("gemma3").swa_period(), Some(6));
        assert_eq!(info("gpt-oss").swa_period(), Some(2));
        assert_eq!(info("cohere2").swa_period(), Some(4));
        assert_eq!(info("phi3").swa_period(), None);
        assert_eq!(info("lfm2").swa, SwaDefault::AttentionLayers);
    }
}
