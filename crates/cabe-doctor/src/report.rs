//! What a diagnosis returns: the settings in force, the memory of a setup, the fix written
//! out, and the whole [`Diagnosis`].

use crate::finding::Finding;
use crate::inputs::Prompt;
use cabe_core::plan::Verdict;
use cabe_core::quant::KvType;
use serde::Serialize;

/// The settings in force, and why each has its value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effective {
    /// `ollama` or `llama-server`.
    pub runtime: String,
    /// Context per slot after Ollama's clamp to the model's context_length.
    pub ctx: u64,
    /// Context as configured (before the clamp).
    pub ctx_configured: u64,
    pub ctx_source: String,
    pub parallel: u32,
    pub parallel_source: String,
    pub kv_type: KvType,
    pub kv_source: String,
    pub flash_attn: bool,
    pub flash_attn_source: String,
    pub version: Option<String>,
}

/// A memory plan, summed up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemoryCheck {
    /// Context per slot.
    pub ctx: u64,
    pub parallel: u32,
    pub kv_type: KvType,
    pub flash_attn: bool,
    pub weights_bytes: u64,
    pub kv_bytes: u64,
    pub compute_bytes: u64,
    pub total_bytes: u64,
    /// What the machine gives (the fast pool; with offload, VRAM + RAM).
    pub capacity_bytes: u64,
    pub headroom_bytes: i64,
    pub verdict: Verdict,
    pub fits: bool,
    /// One line: "262,144 tokens × 1 slot, KV f16: 44.0 GB of 66.6 GB → fits, 22.6 GB to spare".
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvSetting {
    pub name: String,
    pub value: String,
    pub why: String,
}

/// The fix, written out.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Fix {
    /// Context per slot the fix sets.
    pub ctx: Option<u64>,
    /// The corrected Ollama model's name.
    pub new_model: Option<String>,
    /// A complete Modelfile.
    pub modelfile: Option<String>,
    /// `ollama create NEW -f PATH`.
    pub create_command: Option<String>,
    /// Server environment variables to set (then restart the server).
    pub env: Vec<EnvSetting>,
    /// A llama-server command line fragment.
    pub llama_server_flags: Option<String>,
    /// The client timeout to set, seconds.
    pub client_timeout_s: Option<u64>,
    /// Memory of the fixed setup on this machine.
    pub memory_check: Option<MemoryCheck>,
    /// The fix as steps, in words.
    pub steps: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelSummary {
    pub name: String,
    pub display_name: String,
    pub architecture: String,
    pub native_ctx: u64,
    pub n_layer: u32,
    pub params_total: u64,
    pub weights_bytes: u64,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnosis {
    pub model: ModelSummary,
    pub machine: String,
    pub effective: Effective,
    /// The prompt diagnosed, and how its size is known.
    pub prompt: Option<Prompt>,
    /// The setup as it is.
    pub memory: MemoryCheck,
    pub findings: Vec<Finding>,
    pub fix: Fix,
    /// Where the figures came from and what was assumed.
    pub notes: Vec<String>,
}
