//! The `OLLAMA_*` server variables, parsed the way Ollama reads them (`envconfig/config.go`):
//! what each one sets in a given version, and which values Ollama rejects. A rejected value is
//! not an error for Ollama — it falls back to its default — so it is recorded, not refused.

use super::versions::{self, Version};
use crate::inputs::OllamaEnvVars;
use cabe_core::quant::KvType;

/// A variable whose value Ollama does not accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidVar {
    pub name: &'static str,
    /// As set (untrimmed).
    pub value: String,
    /// What Ollama accepts, in words.
    pub expected: &'static str,
}

fn invalid(name: &'static str, value: &str, expected: &'static str) -> InvalidVar {
    InvalidVar {
        name,
        value: value.to_string(),
        expected,
    }
}

/// The Ollama server's environment as one value: each variable parsed (None: unset, or set to
/// something that sets nothing), with the rejected ones and the notes on ignored ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Env {
    /// `OLLAMA_GPU_OVERHEAD`, bytes (0 when unset or invalid).
    pub gpu_overhead: u64,
    /// `OLLAMA_CONTEXT_LENGTH` where it sets a context: not `0` (auto, from v0.15.5), and not
    /// before v0.5.13, where the variable did not exist.
    pub context_length: Option<u64>,
    /// `OLLAMA_FLASH_ATTENTION`.
    pub flash_attention: Option<bool>,
    /// `OLLAMA_KV_CACHE_TYPE`: one of the three types Ollama offers.
    pub kv_cache_type: Option<KvType>,
    /// `OLLAMA_NUM_PARALLEL`, 1–256.
    pub num_parallel: Option<u32>,
    /// Rejected values, in the order Ollama reads the variables above.
    pub invalid: Vec<InvalidVar>,
    /// Variables set but ignored by this version, in words.
    pub notes: Vec<String>,
}

impl Env {
    /// The variables as Ollama `v` reads them.
    pub fn parse(vars: &OllamaEnvVars, v: Version) -> Env {
        let mut env = Env::default();
        let mut rejected = Vec::new();
        if let Some(s) = vars.gpu_overhead.as_deref() {
            match s.trim().parse::<u64>() {
                Ok(b) => env.gpu_overhead = b,
                Err(_) => rejected.push(invalid("OLLAMA_GPU_OVERHEAD", s, "a number of bytes")),
            }
        }
        if let Some(s) = vars.context_length.as_deref() {
            match s.trim().parse::<u64>() {
                // 0 means "by VRAM" from v0.15.5; before, it is no context at all.
                Ok(0) if v >= Version(0, 15, 5) => {}
                Ok(n) if n > 0 => {
                    if v < versions::CONTEXT_LENGTH_ENV_SINCE {
                        env.notes.push(format!(
                            "OLLAMA_CONTEXT_LENGTH={n} is ignored by Ollama {v} (it exists from v0.5.13)"
                        ));
                    } else {
                        env.context_length = Some(n);
                    }
                }
                _ => rejected.push(invalid("OLLAMA_CONTEXT_LENGTH", s, "a number of tokens")),
            }
        }
        if let Some(s) = vars.flash_attention.as_deref() {
            match parse_bool_env(s) {
                Some(b) => env.flash_attention = Some(b),
                None => rejected.push(invalid("OLLAMA_FLASH_ATTENTION", s, "1 or 0")),
            }
        }
        if let Some(s) = vars.kv_cache_type.as_deref() {
            match KvType::parse(s)
                .filter(|k| matches!(k, KvType::F16 | KvType::Q8_0 | KvType::Q4_0))
            {
                Some(k) => env.kv_cache_type = Some(k),
                None => rejected.push(invalid("OLLAMA_KV_CACHE_TYPE", s, "f16, q8_0 or q4_0")),
            }
        }
        if let Some(s) = vars.num_parallel.as_deref() {
            match s.trim().parse::<u32>() {
                Ok(n) if (1..=256).contains(&n) => env.num_parallel = Some(n),
                _ => rejected.push(invalid("OLLAMA_NUM_PARALLEL", s, "a number of slots ≥ 1")),
            }
        }
        env.invalid = rejected;
        env
    }

    /// Whether `name` is set to a value Ollama rejects.
    pub fn is_invalid(&self, name: &str) -> bool {
        self.invalid.iter().any(|i| i.name == name)
    }
}

/// Ollama's boolean variables: `1`/`true`/`on`/`yes`/`t` and their opposites, any case.
pub fn parse_bool_env(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" | "t" => Some(true),
        "0" | "false" | "off" | "no" | "f" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> OllamaEnvVars {
        OllamaEnvVars::default()
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool_env(" ON "), Some(true));
        assert_eq!(parse_bool_env("f"), Some(false));
        assert_eq!(parse_bool_env("maybe"), None);
    }

    #[test]
    fn context_length_by_version() {
        let v = OllamaEnvVars {
            context_length: Some("0".into()),
            ..vars()
        };
        // 0 is "auto" from v0.15.5, a rejected value before.
        assert!(Env::parse(&v, Version(0, 15, 5)).invalid.is_empty());
        assert!(Env::parse(&v, Version(0, 11, 6)).is_invalid("OLLAMA_CONTEXT_LENGTH"));
        let v = OllamaEnvVars {
            context_length: Some("8192".into()),
            ..vars()
        };
        assert_eq!(Env::parse(&v, Version(0, 6, 7)).context_length, Some(8192));
        let old = Env::parse(&v, Version(0, 5, 7));
        assert_eq!(old.context_length, None);
        assert_eq!(old.notes.len(), 1);
    }

    #[test]
    fn rejected_in_reading_order() {
        let v = OllamaEnvVars {
            num_parallel: Some("0".into()),
            kv_cache_type: Some("q3_k".into()),
            flash_attention: Some("maybe".into()),
            gpu_overhead: Some("x".into()),
            ..vars()
        };
        let e = Env::parse(&v, Version(0, 15, 6));
        let names: Vec<&str> = e.invalid.iter().map(|i| i.name).collect();
        assert_eq!(
            names,
            [
                "OLLAMA_GPU_OVERHEAD",
                "OLLAMA_FLASH_ATTENTION",
                "OLLAMA_KV_CACHE_TYPE",
                "OLLAMA_NUM_PARALLEL"
            ]
        );
        assert_eq!((e.gpu_overhead, e.num_parallel), (0, None));
    }
}
