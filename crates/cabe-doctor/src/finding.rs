//! What a finding is: its stable id, its severity, and the words and figures it carries.

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

// One list defines each id: its variant, its string and what it detects, so `ALL`, `as_str`
// and the enum cannot drift apart.
macro_rules! finding_ids {
    ($($(#[doc = $doc:literal])+ $variant:ident => $id:literal,)+) => {
        /// The kinds of finding, in the order a diagnosis emits them. The serialized form
        /// (kebab-case) is the stable id that scripts match on.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum FindingId {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl FindingId {
            /// Every id, in declaration (= emission) order.
            pub const ALL: &'static [FindingId] = &[$(FindingId::$variant,)+];

            /// The stable id, as serialized.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingId::$variant => $id,)+
                }
            }
        }
    };
}

finding_ids! {
    /// An `OLLAMA_*` variable holds a value Ollama does not accept (it falls back to its default).
    EnvInvalid => "env-invalid",
    /// An explicitly configured Ollama context is above the model's `context_length`.
    CtxOverNative => "ctx-over-native",
    /// `OLLAMA_KV_CACHE_TYPE` is set to a quantized type while flash attention is off.
    KvTypeIgnored => "kv-type-ignored",
    /// A Modelfile `PARAMETER` that Ollama no longer reads.
    RemovedParameter => "removed-parameter",
    /// llama.cpp refuses these cache settings for this model (e.g. a quantized V cache without
    /// flash attention).
    SetupRefused => "setup-refused",
    /// The context in force is below the model's native `context_length`.
    CtxBelowNative => "ctx-below-native",
    /// The prompt is longer than the model's native context: no setting holds it.
    PromptOverNative => "prompt-over-native",
    /// The prompt is longer than the context in force: it is truncated or refused.
    PromptOverCtx => "prompt-over-ctx",
    /// Prefill alone takes longer than (or close to) the client's timeout.
    PrefillOverTimeout => "prefill-over-timeout",
    /// Weights plus a minimal context exceed even the offload pool.
    NeverFits => "never-fits",
    /// The setup as configured needs more than the fast memory (it spills to RAM, or does not fit).
    MemoryOverCapacity => "memory-over-capacity",
    /// Several parallel slots multiply the KV cache.
    ParallelKv => "parallel-kv",
    /// A KV cache type or flash-attention change is what makes the target context fit.
    KvTypeFits => "kv-type-fits",
    /// A layer of the model in the Ollama store is missing or corrupt.
    StoreLayerBroken => "store-layer-broken",
    /// A server answered wrongly (hung, HTTP error, garbage).
    ServerUnhealthy => "server-unhealthy",
    /// The model is loaded with another context than its configuration gives.
    LoadedCtxDiffers => "loaded-ctx-differs",
    /// The loaded model is not entirely in VRAM (`ollama ps` shows a CPU share).
    LoadedPartialOffload => "loaded-partial-offload",
}

impl fmt::Display for FindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Callers (and the JSON they read) know ids as strings; comparing to one stays a one-liner.
impl PartialEq<str> for FindingId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for FindingId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One thing wrong (or worth knowing) about the setup.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Stable identifier, serialized as e.g. `prompt-over-ctx`.
    pub id: FindingId,
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// The arithmetic, in words.
    pub message: String,
    /// The figures used.
    pub numbers: BTreeMap<String, Value>,
    /// What to do about it.
    pub fix: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_serializes_to_its_kebab_case_string() {
        for id in FindingId::ALL {
            let json = serde_json::to_value(id).unwrap();
            assert_eq!(json, Value::String(id.as_str().to_string()), "{id:?}");
            assert_eq!(id.to_string(), id.as_str());
            assert!(id == id.as_str());
        }
    }

    #[test]
    fn all_covers_every_variant_once() {
        // Fieldless variants are numbered 0, 1, … in declaration order: ALL holding each index
        // once, in order, up to the last variant means it holds every variant.
        for (i, id) in FindingId::ALL.iter().enumerate() {
            assert_eq!(*id as usize, i, "{id} out of place in ALL");
        }
        assert_eq!(
            FindingId::ALL.len(),
            FindingId::LoadedPartialOffload as usize + 1
        );
        // An exhaustive match: a new variant does not compile here until it is considered.
        for id in FindingId::ALL {
            match id {
                FindingId::EnvInvalid
                | FindingId::CtxOverNative
                | FindingId::KvTypeIgnored
                | FindingId::RemovedParameter
                | FindingId::SetupRefused
                | FindingId::CtxBelowNative
                | FindingId::PromptOverNative
                | FindingId::PromptOverCtx
                | FindingId::PrefillOverTimeout
                | FindingId::NeverFits
                | FindingId::MemoryOverCapacity
                | FindingId::ParallelKv
                | FindingId::KvTypeFits
                | FindingId::StoreLayerBroken
                | FindingId::ServerUnhealthy
                | FindingId::LoadedCtxDiffers
                | FindingId::LoadedPartialOffload => {}
            }
        }
        let mut strs: Vec<&str> = FindingId::ALL.iter().map(|i| i.as_str()).collect();
        strs.sort();
        strs.dedup();
        assert_eq!(strs.len(), FindingId::ALL.len(), "two variants share an id");
    }

    #[test]
    fn finding_json_keeps_the_id_as_a_string() {
        let f = Finding {
            id: FindingId::PromptOverCtx,
            severity: Severity::Error,
            title: String::new(),
            message: String::new(),
            numbers: BTreeMap::new(),
            fix: String::new(),
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["id"], "prompt-over-ctx");
        assert_eq!(v["severity"], "error");
    }

    #[test]
    fn crate_doc_lists_every_id() {
        let doc = include_str!("lib.rs");
        for id in FindingId::ALL {
            assert!(
                doc.contains(&format!("`{id}`")),
                "lib.rs does not list {id}"
            );
        }
    }
}
