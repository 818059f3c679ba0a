//! A user's runtime settings and the one rule that turns them into llama.cpp's
//! [`RuntimeProfile`], per runtime ([`Runtime`]): the program that loads the model decides how
//! the context is split over parallel sequences and how many logits rows the compute graph
//! reserves, and it has its own names for the same settings.

use cabe_core::kv::RuntimeProfile;
use cabe_core::model::ModelSpec;
use cabe_core::quant::KvType;
use serde::{Deserialize, Serialize};

/// The program that runs the model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    /// llama.cpp's server: what coding agents, chat front ends and (since v0.30) Ollama
    /// talk to, so it is the default.
    #[default]
    LlamaServer,
    /// llama.cpp's chat command line (a llama-server in the same process since the build
    /// checked here, b11312).
    LlamaCli,
    /// llama.cpp's plain completion tool (what llama-cli was before it ran a server).
    LlamaCompletion,
    /// Ollama (v0.30 and later run llama.cpp's llama-server underneath).
    Ollama,
}

/// How many logits rows the compute graph of one micro-batch is reserved for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputRows {
    /// One row per parallel sequence (`n_outputs_max = n_parallel`).
    PerSequence,
    /// One row per token of the micro-batch (`n_outputs_max = 0`, llama.cpp's default).
    MicroBatch,
}

/// What differs between runtimes, one row each: adding a runtime adds a row.
#[derive(Debug, Serialize)]
pub struct RuntimeRules {
    pub runtime: Runtime,
    /// The name users type (`--runtime`).
    pub name: &'static str,
    pub outputs: OutputRows,
    /// Several parallel sequences are possible (llama-cli runs one conversation).
    pub parallel: bool,
    /// KV cache types the runtime lets a user choose.
    pub kv_types: &'static [KvType],
    /// `--n-cpu-moe` / `--cpu-moe` can be set.
    pub cpu_moe: bool,
    /// A chosen KV type applies only with flash attention on; without it the cache stays f16
    /// (Ollama), instead of llama.cpp's refusal of a quantized V cache without it.
    pub kv_type_needs_flash_attn: bool,
    /// Where the rules were read.
    pub source: &'static str,
}

const LLAMA_KV: &[KvType] = &[
    KvType::F32,
    KvType::F16,
    KvType::Bf16,
    KvType::Q8_0,
    KvType::Q4_0,
    KvType::Q4_1,
    KvType::Iq4_nl,
    KvType::Q5_0,
    KvType::Q5_1,
];

pub const RULES: &[RuntimeRules] = &[
    RuntimeRules {
        runtime: Runtime::LlamaServer,
        name: "llama-server",
        outputs: OutputRows::PerSequence,
        parallel: true,
        kv_types: LLAMA_KV,
        cpu_moe: true,
        kv_type_needs_flash_attn: false,
        source: "llama.cpp b11312 tools/server/server-context.cpp (server_output_limits: \
                 n_outputs_max = n_parallel); common/arg.cpp (-c is the total over -np; an \
                 explicit -np splits it, one slot each)",
    },
    RuntimeRules {
        runtime: Runtime::LlamaCli,
        name: "llama-cli",
        outputs: OutputRows::PerSequence,
        parallel: false,
        kv_types: LLAMA_KV,
        cpu_moe: true,
        kv_type_needs_flash_attn: false,
        source: "llama.cpp b11312 tools/cli/cli-server.h (llama-cli starts llama_server in \
                 process with its own parameters, -np 1)",
    },
    RuntimeRules {
        runtime: Runtime::LlamaCompletion,
        name: "llama-completion",
        outputs: OutputRows::MicroBatch,
        parallel: true,
        kv_types: LLAMA_KV,
        cpu_moe: true,
        kv_type_needs_flash_attn: false,
        source: "llama.cpp b11312 src/llama-context.cpp (n_outputs_max 0 = n_batch: the \
                 graph is reserved for a logits row per token)",
    },
    RuntimeRules {
        runtime: Runtime::Ollama,
        name: "ollama",
        outputs: OutputRows::PerSequence,
        parallel: true,
        kv_types: &[KvType::F16, KvType::Q8_0, KvType::Q4_0],
        cpu_moe: false,
        kv_type_needs_flash_attn: true,
        source: "ollama llm/llama_server.go (v0.30+: llama-server with -c num_ctx×N -np N, \
                 N = OLLAMA_NUM_PARALLEL); envconfig/config.go (OLLAMA_KV_CACHE_TYPE f16, \
                 q8_0 or q4_0, with flash attention only)",
    },
];

impl Runtime {
    pub const ALL: [Runtime; 4] = [
        Runtime::LlamaServer,
        Runtime::LlamaCli,
        Runtime::LlamaCompletion,
        Runtime::Ollama,
    ];

    pub fn rules(self) -> &'static RuntimeRules {
        RULES
            .iter()
            .find(|r| r.runtime == self)
            .expect("every runtime has a row")
    }

    pub fn name(self) -> &'static str {
        self.rules().name
    }

    /// A runtime by the name users type.
    pub fn parse(s: &str) -> Result<Runtime, String> {
        let t = s.trim().to_ascii_lowercase();
        RULES
            .iter()
            .find(|r| r.name == t)
            .map(|r| r.runtime)
            .ok_or_else(|| {
                let names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
                format!("unknown runtime '{s}' (one of: {})", names.join(", "))
            })
    }

    /// llama.cpp's `n_outputs_max` for `parallel` sequences under this runtime.
    pub fn n_outputs_max(self, parallel: u32) -> u32 {
        match self.rules().outputs {
            OutputRows::PerSequence => parallel.max(1),
            OutputRows::MicroBatch => 0,
        }
    }
}

impl std::fmt::Display for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a user sets, in the user's terms: the context is tokens **per sequence** whatever the
/// runtime; [`RuntimeSettings::profile`] turns it into llama.cpp's total (`-c` is shared by
/// the `-np` slots) and [`RuntimeSettings::native_settings`] into the runtime's own flags.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuntimeSettings {
    pub runtime: Runtime,
    pub kv_type: KvType,
    pub flash_attn: bool,
    /// Parallel sequences (llama-server's `-np`, Ollama's `OLLAMA_NUM_PARALLEL`).
    pub parallel: u32,
    pub ubatch: u32,
    /// Layers whose routed experts stay in system RAM (`--n-cpu-moe`; `u32::MAX` = all).
    pub n_cpu_moe: u32,
}

impl Default for RuntimeSettings {
    /// llama-server with llama.cpp's defaults: f16 cache, flash attention on, one sequence,
    /// 512-token micro-batches, every expert on the device.
    fn default() -> Self {
        RuntimeSettings {
            runtime: Runtime::default(),
            kv_type: KvType::F16,
            flash_attn: true,
            parallel: 1,
            ubatch: 512,
            n_cpu_moe: 0,
        }
    }
}

impl RuntimeSettings {
    /// The defaults under another runtime.
    pub fn for_runtime(runtime: Runtime) -> RuntimeSettings {
        RuntimeSettings {
            runtime,
            ..RuntimeSettings::default()
        }
    }

    /// Checks the settings (one-line reasons) against the runtime's limits and the model.
    pub fn check(&self, m: &ModelSpec) -> Result<(), String> {
        let rules = self.runtime.rules();
        if self.parallel == 0 || self.parallel > 256 {
            return Err("--parallel must be between 1 and 256".into());
        }
        if self.parallel > 1 && !rules.parallel {
            return Err(format!(
                "{} runs one conversation; --parallel {} needs llama-server",
                rules.name, self.parallel
            ));
        }
        if self.ubatch == 0 || self.ubatch > 65536 {
            return Err("--ubatch must be between 1 and 65536".into());
        }
        if !rules.kv_types.contains(&self.kv_type) {
            let names: Vec<&str> = rules.kv_types.iter().map(|k| k.name()).collect();
            return Err(format!(
                "{} does not offer a {} KV cache (one of: {})",
                rules.name,
                self.kv_type,
                names.join(", ")
            ));
        }
        if self.n_cpu_moe > 0 && !rules.cpu_moe {
            return Err(format!(
                "{} has no setting that keeps experts on the CPU (--n-cpu-moe/--cpu-moe are llama.cpp's)",
                rules.name
            ));
        }
        if self.n_cpu_moe > 0 && m.moe.is_none() {
            return Err(format!(
                "--n-cpu-moe/--cpu-moe move a MoE model's experts; {} has none",
                m.name
            ));
        }
        match cabe_core::kv::refusal(m, &self.profile(m, m.native_ctx.max(256))) {
            Some(why) => Err(format!("{why} (--kv-type f16 is always accepted)")),
            None => Ok(()),
        }
    }

    /// llama.cpp's profile for `ctx_per_seq` tokens in each sequence: `-c` is the total over
    /// the sequences (as Ollama passes `-c num_ctx×N -np N`), one sequence shares a unified
    /// cache; the logits rows reserved follow the runtime.
    pub fn profile(&self, _m: &ModelSpec, ctx_per_seq: u64) -> RuntimeProfile {
        self.llama_profile(ctx_per_seq)
    }

    /// [`RuntimeSettings::profile`] where no model is at hand (the rule does not depend on it).
    pub fn llama_profile(&self, ctx_per_seq: u64) -> RuntimeProfile {
        let mut p = RuntimeProfile::new(ctx_per_seq.max(256));
        let kv = if self.runtime.rules().kv_type_needs_flash_attn && !self.flash_attn {
            KvType::F16
        } else {
            self.kv_type
        };
        p.type_k = kv;
        p.type_v = kv;
        p.flash_attn = self.flash_attn;
        p.n_ubatch = self.ubatch;
        p.n_seq = self.parallel;
        p.kv_unified = self.parallel == 1;
        p.n_cpu_moe = self.n_cpu_moe;
        p.n_outputs_max = self.runtime.n_outputs_max(self.parallel);
        p.ctx = ctx_per_seq.max(256) * self.parallel as u64;
        p
    }

    /// The same settings in the runtime's own terms, for `ctx_per_seq` tokens per sequence:
    /// a command line, or Ollama's environment and Modelfile lines.
    pub fn native_settings(&self, model_file: &str, ctx_per_seq: u64) -> Vec<String> {
        let ctx = ctx_per_seq.max(256);
        // llama.cpp downloads a URL itself with -mu.
        let m = if model_file.starts_with("http://") || model_file.starts_with("https://") {
            format!("-mu {model_file}")
        } else {
            format!("-m {model_file}")
        };
        let fa = if self.flash_attn { "on" } else { "off" };
        let kv = self.kv_type.name();
        let moe = match self.n_cpu_moe {
            0 => String::new(),
            u32::MAX => " --cpu-moe".to_string(),
            n => format!(" --n-cpu-moe {n}"),
        };
        let common = format!("-ctk {kv} -ctv {kv} -fa {fa} -ub {}{moe}", self.ubatch);
        match self.runtime {
            // An explicit -np: without it llama-server picks 4 slots sharing one pool.
            Runtime::LlamaServer => vec![format!(
                "llama-server {m} -c {} -np {} {common}",
                ctx * self.parallel as u64,
                self.parallel
            )],
            Runtime::LlamaCli => vec![format!("llama-cli {m} -c {ctx} {common}")],
            Runtime::LlamaCompletion => vec![format!(
                "llama-completion {m} -c {} -np {} {common}",
                ctx * self.parallel as u64,
                self.parallel
            )],
            Runtime::Ollama => {
                let mut v = vec![
                    format!(
                        "PARAMETER num_ctx {ctx}   (Modelfile, or options.num_ctx per request)"
                    ),
                    format!("OLLAMA_NUM_PARALLEL={}", self.parallel),
                    format!("OLLAMA_FLASH_ATTENTION={}", u8::from(self.flash_attn)),
                ];
                if self.kv_type != KvType::F16 {
                    v.push(format!("OLLAMA_KV_CACHE_TYPE={kv}"));
                }
                v
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str) -> ModelSpec {
        cabe_catalog::find_model(id).unwrap().spec.clone()
    }

    #[test]
    fn context_is_per_sequence() {
        let m = spec("llama-3.2-1b");
        let s = RuntimeSettings {
            parallel: 4,
            ..RuntimeSettings::default()
        };
        let p = s.profile(&m, 8192);
        assert_eq!((p.ctx, p.n_seq, p.kv_unified), (32768, 4, false));
        let one = RuntimeSettings::default().profile(&m, 100);
        assert_eq!((one.ctx, one.n_seq, one.kv_unified), (256, 1, true));
    }

    #[test]
    fn every_runtime_has_one_row_and_parses_by_name() {
        for r in Runtime::ALL {
            assert_eq!(RULES.iter().filter(|x| x.runtime == r).count(), 1);
            assert_eq!(Runtime::parse(r.name()).unwrap(), r);
            assert_eq!(serde_json::to_value(r).unwrap(), r.name());
        }
        assert_eq!(RULES.len(), Runtime::ALL.len());
        let e = Runtime::parse("vllm").unwrap_err();
        assert!(e.contains("llama-server") && e.contains("ollama"), "{e}");
    }

    #[test]
    fn logits_rows_follow_the_runtime() {
        let m = spec("llama-3.2-1b");
        let mut s = RuntimeSettings {
            parallel: 2,
            ..RuntimeSettings::default()
        };
        assert_eq!(s.profile(&m, 4096).reserved_outputs(), 2);
        s.runtime = Runtime::LlamaCompletion;
        assert_eq!(s.profile(&m, 4096).reserved_outputs(), 512);
        s.runtime = Runtime::Ollama;
        assert_eq!(s.profile(&m, 4096).reserved_outputs(), 2);
        s = RuntimeSettings::for_runtime(Runtime::LlamaCli);
        assert_eq!(s.profile(&m, 4096).reserved_outputs(), 1);
    }

    #[test]
    fn settings_the_runtime_refuses_are_refused() {
        let m = spec("llama-3.2-1b");
        let bad = RuntimeSettings {
            parallel: 0,
            ..RuntimeSettings::default()
        };
        assert!(bad.check(&m).unwrap_err().contains("--parallel"));
        let moe = RuntimeSettings {
            n_cpu_moe: 4,
            ..RuntimeSettings::default()
        };
        assert!(moe.check(&m).unwrap_err().contains("has none"));
        let v_quant_no_fa = RuntimeSettings {
            kv_type: KvType::Q8_0,
            flash_attn: false,
            ..RuntimeSettings::default()
        };
        assert!(v_quant_no_fa.check(&m).is_err());
        let cli_parallel = RuntimeSettings {
            runtime: Runtime::LlamaCli,
            parallel: 2,
            ..RuntimeSettings::default()
        };
        assert!(cli_parallel
            .check(&m)
            .unwrap_err()
            .contains("one conversation"));
        let ollama_q5 = RuntimeSettings {
            runtime: Runtime::Ollama,
            kv_type: KvType::Q5_0,
            ..RuntimeSettings::default()
        };
        assert!(ollama_q5.check(&m).unwrap_err().contains("q8_0"));
        let ollama_moe = RuntimeSettings {
            runtime: Runtime::Ollama,
            n_cpu_moe: 2,
            ..RuntimeSettings::default()
        };
        assert!(ollama_moe
            .check(&spec("qwen3-30b-a3b"))
            .unwrap_err()
            .contains("ollama"));
        for r in Runtime::ALL {
            assert!(RuntimeSettings::for_runtime(r).check(&m).is_ok(), "{r}");
        }
    }

    #[test]
    fn native_settings_say_the_total_context_where_the_runtime_wants_it() {
        let s = RuntimeSettings {
            parallel: 2,
            kv_type: KvType::Q8_0,
            ..RuntimeSettings::default()
        };
        let server = s.native_settings("m.gguf", 65536);
        assert_eq!(
            server,
            vec!["llama-server -m m.gguf -c 131072 -np 2 -ctk q8_0 -ctv q8_0 -fa on -ub 512"]
        );
        let ollama = RuntimeSettings {
            runtime: Runtime::Ollama,
            ..s.clone()
        }
        .native_settings("m.gguf", 65536);
        assert!(ollama[0].starts_with("PARAMETER num_ctx 65536"));
        assert!(ollama.contains(&"OLLAMA_NUM_PARALLEL=2".to_string()));
        assert!(ollama.contains(&"OLLAMA_KV_CACHE_TYPE=q8_0".to_string()));
        let cli = RuntimeSettings::for_runtime(Runtime::LlamaCli).native_settings("m.gguf", 8192);
        assert_eq!(
            cli,
            vec!["llama-cli -m m.gguf -c 8192 -ctk f16 -ctv f16 -fa on -ub 512"]
        );
    }

    #[test]
    fn ollama_keeps_an_f16_cache_without_flash_attention() {
        let s = |runtime| RuntimeSettings {
            runtime,
            kv_type: KvType::Q8_0,
            flash_attn: false,
            ..RuntimeSettings::default()
        };
        let o = s(Runtime::Ollama).llama_profile(4096);
        assert_eq!((o.type_k, o.type_v), (KvType::F16, KvType::F16));
        let l = s(Runtime::LlamaServer).llama_profile(4096);
        assert_eq!((l.type_k, l.type_v), (KvType::Q8_0, KvType::Q8_0));
    }
}
