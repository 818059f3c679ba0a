//! A user's runtime settings and the one rule that turns them into llama.cpp's
//! [`RuntimeProfile`].

use cabe_core::kv::RuntimeProfile;
use cabe_core::model::ModelSpec;
use cabe_core::quant::KvType;
use serde::Serialize;

/// What a user sets, in the user's terms: the context is tokens **per sequence** whatever the
/// runtime; [`RuntimeSettings::profile`] turns it into llama.cpp's total (`-c` is shared by
/// the `-np` slots).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuntimeSettings {
    pub kv_type: KvType,
    pub flash_attn: bool,
    /// Parallel sequences (llama-server's `-np`, Ollama's `OLLAMA_NUM_PARALLEL`).
    pub parallel: u32,
    pub ubatch: u32,
    /// Layers whose routed experts stay in system RAM (`--n-cpu-moe`; `u32::MAX` = all).
    pub n_cpu_moe: u32,
}

impl Default for RuntimeSettings {
    /// llama.cpp's defaults: f16 cache, flash attention on, one sequence, 512-token
    /// micro-batches, every expert on the device.
    fn default() -> Self {
        RuntimeSettings {
            kv_type: KvType::F16,
            flash_attn: true,
            parallel: 1,
            ubatch: 512,
            n_cpu_moe: 0,
        }
    }
}

impl RuntimeSettings {
    /// Checks the settings (one-line reasons) against llama.cpp's limits and the model.
    pub fn check(&self, m: &ModelSpec) -> Result<(), String> {
        if self.parallel == 0 || self.parallel > 256 {
            return Err("--parallel must be between 1 and 256".into());
        }
        if self.ubatch == 0 || self.ubatch > 65536 {
            return Err("--ubatch must be between 1 and 65536".into());
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
    /// cache.
    pub fn profile(&self, _m: &ModelSpec, ctx_per_seq: u64) -> RuntimeProfile {
        let mut p = RuntimeProfile::new(ctx_per_seq.max(256));
        p.type_k = self.kv_type;
        p.type_v = self.kv_type;
        p.flash_attn = self.flash_attn;
        p.n_ubatch = self.ubatch;
        p.n_seq = self.parallel;
        p.kv_unified = self.parallel == 1;
        p.n_cpu_moe = self.n_cpu_moe;
        p.ctx = ctx_per_seq.max(256) * self.parallel as u64;
        p
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
    fn settings_llama_cpp_refuses_are_refused() {
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
        assert!(RuntimeSettings::default().check(&m).is_ok());
    }
}
