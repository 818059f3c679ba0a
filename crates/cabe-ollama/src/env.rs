//! The Ollama server's environment variables that change memory or context (Ollama
//! `envconfig/config.go`, `server/sched.go`), captured raw so the pure diagnosis can read them.

use serde::Serialize;

/// The variables cabe reads, by name.
pub const VARS: &[&str] = &[
    "OLLAMA_HOST",
    "OLLAMA_MODELS",
    "OLLAMA_CONTEXT_LENGTH",
    "OLLAMA_NUM_PARALLEL",
    "OLLAMA_KV_CACHE_TYPE",
    "OLLAMA_FLASH_ATTENTION",
    "OLLAMA_GPU_OVERHEAD",
    "OLLAMA_MAX_LOADED_MODELS",
];

/// Raw values, as set (None = unset or empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OllamaEnv {
    pub host: Option<String>,
    pub models: Option<String>,
    pub context_length: Option<String>,
    pub num_parallel: Option<String>,
    pub kv_cache_type: Option<String>,
    pub flash_attention: Option<String>,
    pub gpu_overhead: Option<String>,
    pub max_loaded_models: Option<String>,
}

impl OllamaEnv {
    /// From any lookup (the process environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> OllamaEnv {
        let v = |k: &str| {
            get(k)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        OllamaEnv {
            host: v("OLLAMA_HOST"),
            models: v("OLLAMA_MODELS"),
            context_length: v("OLLAMA_CONTEXT_LENGTH"),
            num_parallel: v("OLLAMA_NUM_PARALLEL"),
            kv_cache_type: v("OLLAMA_KV_CACHE_TYPE"),
            flash_attention: v("OLLAMA_FLASH_ATTENTION"),
            gpu_overhead: v("OLLAMA_GPU_OVERHEAD"),
            max_loaded_models: v("OLLAMA_MAX_LOADED_MODELS"),
        }
    }

    pub fn from_process() -> OllamaEnv {
        OllamaEnv::from_lookup(|k| std::env::var(k).ok())
    }

    /// The set variables as (name, value), for display.
    pub fn set_vars(&self) -> Vec<(&'static str, &str)> {
        [
            ("OLLAMA_HOST", &self.host),
            ("OLLAMA_MODELS", &self.models),
            ("OLLAMA_CONTEXT_LENGTH", &self.context_length),
            ("OLLAMA_NUM_PARALLEL", &self.num_parallel),
            ("OLLAMA_KV_CACHE_TYPE", &self.kv_cache_type),
            ("OLLAMA_FLASH_ATTENTION", &self.flash_attention),
            ("OLLAMA_GPU_OVERHEAD", &self.gpu_overhead),
            ("OLLAMA_MAX_LOADED_MODELS", &self.max_loaded_models),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}
