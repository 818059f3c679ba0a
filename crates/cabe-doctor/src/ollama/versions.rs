//! What each Ollama version does by default, as data with sources
//! (Ollama `api/types.go`, `envconfig/config.go`, `server/routes.go`, `server/sched.go`,
//! `llm/llama_server.go`; see `docs/sources.md`).

use cabe_i18n::Lang;
use serde::Serialize;
use std::fmt;

/// An Ollama version `major.minor.patch` (pre-release suffixes ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// Parses `0.11.6`, `v0.11.6`, `0.6.7-rc1`; None for anything else and for `0.0.0` (a
    /// development build, which says nothing about its behaviour).
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches('v');
        let core = s.split(['-', '+', ' ']).next()?;
        let mut it = core.split('.').map(|p| p.parse::<u32>().ok());
        let v = Version(
            it.next()??,
            it.next().flatten().unwrap_or(0),
            it.next().flatten().unwrap_or(0),
        );
        (v != Version(0, 0, 0)).then_some(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}.{}", self.0, self.1, self.2)
    }
}

/// How a range of versions picks `num_ctx` when nothing sets it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CtxRule {
    Fixed {
        tokens: u64,
    },
    /// 4096, but at least 8192 for some architectures unless total VRAM is below a bound.
    LowVramMode {
        tokens: u64,
        raised: u64,
        architectures: &'static [&'static str],
        min_vram_gib: u64,
    },
    /// By total VRAM less `OLLAMA_GPU_OVERHEAD`: ≥ 47 GiB → 262144, ≥ 23 GiB → 32768, else 4096.
    VramTiered,
}

/// One row of the history.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CtxDefault {
    pub first: Version,
    /// Last version with this rule (None: still current).
    pub last: Option<Version>,
    pub rule: CtxRule,
    pub source: &'static str,
}

/// Default `num_ctx` by version, newest last.
pub const CTX_DEFAULTS: &[CtxDefault] = &[
    CtxDefault {
        first: Version(0, 1, 0),
        last: Some(Version(0, 6, 6)),
        rule: CtxRule::Fixed { tokens: 2048 },
        source: "api/types.go DefaultOptions (hard-coded NumCtx 2048); OLLAMA_CONTEXT_LENGTH added in v0.5.13 (commit 314573bfe) with 2048 as its default",
    },
    CtxDefault {
        first: Version(0, 6, 7),
        last: Some(Version(0, 11, 3)),
        rule: CtxRule::Fixed { tokens: 4096 },
        source: "envconfig/config.go: OLLAMA_CONTEXT_LENGTH default 4096 (commit 44b466eeb, PR #10364)",
    },
    CtxDefault {
        first: Version(0, 11, 4),
        last: Some(Version(0, 15, 4)),
        rule: CtxRule::LowVramMode {
            tokens: 4096,
            raised: 8192,
            architectures: &["gptoss", "gpt-oss", "qwen3vl", "qwen3vlmoe"],
            min_vram_gib: 20,
        },
        source: "server/routes.go 'low VRAM mode' (commit f2e9c9aff, 2025-08-07): 4096, at least 8192 for gpt-oss and qwen3vl unless total VRAM < 20 GiB",
    },
    CtxDefault {
        first: Version(0, 15, 5),
        last: None,
        rule: CtxRule::VramTiered,
        source: "envconfig/config.go: OLLAMA_CONTEXT_LENGTH default 0 = auto by total VRAM (commit 0334ffa62, v0.15.5, 2026-02): ≥ 47 GiB → 262144, ≥ 23 GiB → 32768, else 4096",
    },
];

/// The version assumed when the installed one is unknown: the newest rules.
pub const ASSUMED_CURRENT: Version = Version(0, 30, 0);

/// `OLLAMA_CONTEXT_LENGTH` exists from this version on.
pub const CONTEXT_LENGTH_ENV_SINCE: Version = Version(0, 5, 13);

const GIB: u64 = 1 << 30;

/// The row for a version.
pub fn ctx_default_row(v: Version) -> &'static CtxDefault {
    CTX_DEFAULTS
        .iter()
        .rev()
        .find(|r| r.first <= v)
        .unwrap_or(&CTX_DEFAULTS[0])
}

/// The default context of version `v` for an architecture on a machine with `vram_bytes` of
/// GPU memory (after `OLLAMA_GPU_OVERHEAD`), and the rule in words.
pub fn default_num_ctx(v: Version, arch: &str, vram_bytes: u64) -> (u64, String) {
    default_num_ctx_in(v, arch, vram_bytes, Lang::En)
}

/// [`default_num_ctx`] with the rule in `lang`.
pub fn default_num_ctx_in(v: Version, arch: &str, vram_bytes: u64, lang: Lang) -> (u64, String) {
    let row = ctx_default_row(v);
    let range = match row.last {
        Some(l) => format!("{}–{}", row.first, l),
        None => format!("{}+", row.first),
    };
    let fixed = |tokens: u64| {
        t!(
            lang,
            "ctx-default-fixed",
            range = range.as_str(),
            tokens = tokens.to_string()
        )
    };
    match row.rule {
        CtxRule::Fixed { tokens } => (tokens, fixed(tokens)),
        CtxRule::LowVramMode {
            tokens,
            raised,
            architectures,
            min_vram_gib,
        } => {
            if architectures.contains(&arch) && vram_bytes >= min_vram_gib * GIB {
                (
                    raised,
                    t!(
                        lang,
                        "ctx-default-raised",
                        range = range.as_str(),
                        tokens = tokens.to_string(),
                        raised = raised.to_string(),
                        arch = arch,
                        gib = min_vram_gib
                    ),
                )
            } else {
                (tokens, fixed(tokens))
            }
        }
        CtxRule::VramTiered => {
            let gib = vram_bytes as f64 / GIB as f64;
            let t = if vram_bytes >= 47 * GIB {
                262_144
            } else if vram_bytes >= 23 * GIB {
                32_768
            } else {
                4_096
            };
            (
                t,
                t!(
                    lang,
                    "ctx-default-vram",
                    range = range.as_str(),
                    gib = lang.dec(gib, 1),
                    tokens = t.to_string()
                ),
            )
        }
    }
}

/// `OLLAMA_NUM_PARALLEL` when unset (`server/sched.go`, `envconfig/config.go`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ParallelDefault {
    Fixed {
        slots: u32,
    },
    /// `slots` if the model fits with them, else 1.
    Auto {
        slots: u32,
    },
}

pub fn default_num_parallel(v: Version) -> (ParallelDefault, String) {
    default_num_parallel_in(v, Lang::En)
}

/// [`default_num_parallel`] with the rule in `lang`.
pub fn default_num_parallel_in(v: Version, lang: Lang) -> (ParallelDefault, String) {
    if v < Version(0, 2, 0) {
        (
            ParallelDefault::Fixed { slots: 1 },
            t!(lang, "parallel-before-0-2"),
        )
    } else if v < Version(0, 6, 7) {
        (ParallelDefault::Auto { slots: 4 }, t!(lang, "parallel-0-2"))
    } else if v < Version(0, 10, 0) {
        (
            ParallelDefault::Auto { slots: 2 },
            t!(lang, "parallel-0-6-7"),
        )
    } else {
        (
            ParallelDefault::Fixed { slots: 1 },
            t!(lang, "parallel-0-10"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(Version::parse("0.11.6"), Some(Version(0, 11, 6)));
        assert_eq!(Version::parse("v0.6.7-rc1"), Some(Version(0, 6, 7)));
        assert_eq!(Version::parse("0.0.0"), None);
        assert_eq!(Version::parse("garbage"), None);
        assert!(Version(0, 9, 0) < Version(0, 10, 0));
    }

    #[test]
    fn ctx_history_rows_are_contiguous() {
        for w in CTX_DEFAULTS.windows(2) {
            let l = w[0].last.unwrap();
            let next = w[1].first;
            assert!(l < next, "{l} then {next}");
        }
    }

    #[test]
    fn defaults_by_version() {
        assert_eq!(default_num_ctx(Version(0, 5, 7), "llama", 0).0, 2048);
        assert_eq!(default_num_ctx(Version(0, 6, 7), "llama", 0).0, 4096);
        // tests/fixtures/ollama/api_version_0.11.6.json
        assert_eq!(
            default_num_ctx(Version(0, 11, 6), "qwen3moe", 80 * GIB).0,
            4096
        );
        assert_eq!(
            default_num_ctx(Version(0, 11, 6), "gptoss", 24 * GIB).0,
            8192
        );
        assert_eq!(
            default_num_ctx(Version(0, 11, 6), "gptoss", 16 * GIB).0,
            4096
        );
        assert_eq!(default_num_ctx(Version(0, 15, 5), "x", 64 * GIB).0, 262_144);
        assert_eq!(default_num_ctx(Version(0, 15, 5), "x", 24 * GIB).0, 32_768);
        assert_eq!(default_num_ctx(Version(0, 15, 5), "x", 8 * GIB).0, 4096);
        assert_eq!(
            default_num_parallel(Version(0, 5, 0)).0,
            ParallelDefault::Auto { slots: 4 }
        );
        assert_eq!(
            default_num_parallel(Version(0, 11, 6)).0,
            ParallelDefault::Fixed { slots: 1 }
        );
    }
}
