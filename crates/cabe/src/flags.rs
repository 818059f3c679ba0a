//! The argument groups commands share, each defined once, and one typed parser per kind of
//! value: a command that sizes or predicts flattens the groups it needs, so `--kv-type`
//! means the same thing (and fails the same way) everywhere.

use crate::i18n::Msg;
use cabe_core::quant::KvType;
use cabe_core::units::parse_duration_secs;
pub use cabe_engine::CtxChoice;
use cabe_engine::{Runtime, RuntimeSettings, Workload};
use clap::Args;

/// Which machine: a catalog id, a bare memory size, or (neither) this machine.
#[derive(Args, Debug, Clone)]
pub struct MachineArgs {
    /// A catalog machine id (see `cabe hardware`), e.g. mac-studio-m3-ultra-96gb.
    #[arg(long, value_name = "HARDWARE_ID", conflicts_with = "memory")]
    pub on: Option<String>,
    /// A machine known only by its memory, e.g. 64GB or 24GiB ("GB" as sold = GiB unless --si).
    #[arg(long, value_name = "SIZE")]
    pub memory: Option<String>,
    /// Read GB/MB/TB as powers of 10 instead of as marketed memory sizes.
    #[arg(long)]
    pub si: bool,
    /// Memory kept for the OS on machines that run from system RAM (default 2GiB, an assumption).
    #[arg(long, value_name = "SIZE")]
    pub os_reserve: Option<String>,
}

/// The program that runs the model and its settings.
#[derive(Args, Debug, Clone)]
pub struct RuntimeArgs {
    /// The program that runs the model: llama-server (default: what agents and chat front
    /// ends talk to, and what Ollama runs underneath), llama-cli, llama-completion, ollama.
    /// It decides the logits rows reserved and how the settings are written.
    #[arg(long, value_name = "RUNTIME", default_value = "llama-server", value_parser = runtime)]
    pub runtime: Runtime,
    /// KV cache type for K and V: f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1.
    #[arg(long, value_name = "TYPE", default_value = "f16", value_parser = kv_type)]
    pub kv_type: KvType,
    /// Parallel sequences, each with the full context (llama-server's -np, Ollama's
    /// OLLAMA_NUM_PARALLEL).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub parallel: u32,
    /// Flash attention (llama.cpp's default is auto, on where supported).
    #[arg(long, value_name = "on|off", default_value = "on", value_parser = on_off, action = clap::ArgAction::Set)]
    pub flash_attn: bool,
    /// Physical micro-batch (-ub), which sizes the compute buffer.
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub ubatch: u32,
    /// Keep the routed experts of the first N layers in system RAM (llama.cpp's --n-cpu-moe;
    /// a MoE model on a discrete GPU): less VRAM, and those bytes read at RAM speed.
    #[arg(long, value_name = "N", conflicts_with = "cpu_moe")]
    pub n_cpu_moe: Option<u32>,
    /// Keep every layer's routed experts in system RAM (llama.cpp's --cpu-moe).
    #[arg(long)]
    pub cpu_moe: bool,
}

impl RuntimeArgs {
    pub fn settings(&self) -> RuntimeSettings {
        RuntimeSettings {
            runtime: self.runtime,
            kv_type: self.kv_type,
            flash_attn: self.flash_attn,
            parallel: self.parallel,
            ubatch: self.ubatch,
            n_cpu_moe: if self.cpu_moe {
                u32::MAX
            } else {
                self.n_cpu_moe.unwrap_or(0)
            },
        }
    }
}

/// What the model is asked to do.
#[derive(Args, Debug, Clone)]
pub struct WorkloadArgs {
    /// A prompt of N tokens: predict its prefill time and time to first token.
    #[arg(long, value_name = "N", value_parser = tokens)]
    pub prompt_tokens: Option<u64>,
    /// Tokens to generate after the prompt (for the total time).
    #[arg(long, value_name = "M", default_value_t = 0, value_parser = tokens)]
    pub gen_tokens: u64,
    /// The client's timeout (e.g. 300s, 5m): does the first token arrive before it?
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub timeout: Option<f64>,
    /// A measured or known prefill rate in tokens/s, used instead of the prediction.
    #[arg(long, value_name = "TOK_PER_S", allow_hyphen_values = true, value_parser = rate)]
    pub prefill_rate: Option<f64>,
}

impl WorkloadArgs {
    pub fn workload(&self) -> Workload {
        Workload {
            prompt_tokens: self.prompt_tokens,
            gen_tokens: self.gen_tokens,
            timeout_s: self.timeout,
            prefill_rate: self.prefill_rate,
            claimed_decode: None,
        }
    }
}

/// How the answer is printed.
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Show the working behind the answer: the arithmetic, the formula, what was left out.
    #[arg(long)]
    pub explain: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `--ctx`: tokens, `native` or `max`.
pub fn ctx(s: &str) -> Result<CtxChoice, Msg> {
    match s.trim().to_ascii_lowercase().as_str() {
        "native" => Ok(CtxChoice::Native),
        "max" => Ok(CtxChoice::Max),
        _ => match count(s) {
            None => Err(msg!("flag-ctx", value = s)),
            Some(n) if n == 0 || n > MAX_TOKENS => {
                Err(msg!("flag-ctx-range", value = s, max = MAX_TOKENS))
            }
            Some(n) => Ok(CtxChoice::Tokens(n)),
        },
    }
}

/// The most tokens a prompt, an answer or a context may have: 2^26, far past any model's context.
pub const MAX_TOKENS: u64 = 1 << 26;

/// A count of tokens (prompt, answer): a whole number up to [`MAX_TOKENS`], `k` for ×1024.
pub fn tokens(s: &str) -> Result<u64, Msg> {
    match count(s) {
        None => Err(msg!("flag-tokens", value = s)),
        Some(n) if n > MAX_TOKENS => Err(msg!("flag-tokens-range", value = s, max = MAX_TOKENS)),
        Some(n) => Ok(n),
    }
}

/// A whole number as users write token counts (`32768`, `32_768`, `32k`), `u64::MAX` when it
/// overflows (out of any range), `None` when it is not a number.
fn count(s: &str) -> Option<u64> {
    let t = s.trim().to_ascii_lowercase();
    let (num, mult) = match t.strip_suffix('k') {
        Some(n) => (n, 1024),
        None => (t.as_str(), 1u64),
    };
    let n: u64 = num.replace(['_', ','], "").parse().ok()?;
    Some(n.saturating_mul(mult))
}

pub fn runtime(s: &str) -> Result<Runtime, Msg> {
    Runtime::parse(s).map_err(|e| {
        let names: Vec<&str> = Runtime::ALL.iter().map(|r| r.name()).collect();
        msg!("flag-runtime", value = s, names = names.join(", ")).english(e)
    })
}

pub fn kv_type(s: &str) -> Result<KvType, Msg> {
    KvType::parse(s).ok_or_else(|| {
        let names: Vec<&str> = KvType::all().map(|k| k.name()).collect();
        msg!("flag-kv-type", value = s, names = names.join(", "))
    })
}

pub fn on_off(s: &str) -> Result<bool, Msg> {
    match s.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "1" => Ok(true),
        "off" | "false" | "0" => Ok(false),
        _ => Err(msg!("flag-on-off", value = s)),
    }
}

/// A duration (`300`, `300s`, `5m`, `1m30s`), in seconds.
pub fn duration(s: &str) -> Result<f64, Msg> {
    parse_duration_secs(s).map_err(|e| msg!("flag-duration", value = s).english(e))
}

/// A size (`64GB`, `24GiB`) as [`parse_size`](cabe_core::units::parse_size) reads it, its
/// English error kept as the library words it.
pub fn size(s: &str, si: bool) -> Result<(u64, cabe_core::units::SizeUnit), Msg> {
    cabe_core::units::parse_size(s, si).map_err(|e| msg!("flag-size", value = s).english(e))
}

/// A rate in tokens per second: positive and finite.
pub fn rate(s: &str) -> Result<f64, Msg> {
    match s.trim().parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(msg!("flag-rate", value = s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_parser_takes_what_users_type_and_names_what_it_wants() {
        assert_eq!(ctx("32k"), Ok(CtxChoice::Tokens(32768)));
        assert_eq!(ctx("262_144"), Ok(CtxChoice::Tokens(262144)));
        assert_eq!(ctx("Native"), Ok(CtxChoice::Native));
        assert_eq!(ctx("max"), Ok(CtxChoice::Max));
        assert!(ctx("0").unwrap_err().to_string().contains("out of range"));
        assert!(ctx("lots").unwrap_err().to_string().contains("native"));
        // The range holds after the `k`: 65,537k is past 2^26 tokens.
        assert!(ctx("65537k")
            .unwrap_err()
            .to_string()
            .contains("out of range (1 to 67,108,864 tokens)"));
        assert_eq!(kv_type("Q8_0"), Ok(KvType::Q8_0));
        assert!(kv_type("q3_z").unwrap_err().to_string().contains("q8_0"));
        assert_eq!(
            runtime("vllm").unwrap_err().to_string(),
            Runtime::parse("vllm").unwrap_err(),
            "the English is the engine's own"
        );
        assert!(runtime("vllm")
            .unwrap_err()
            .text(cabe_i18n::Lang::Es)
            .contains("llama-server"));
        assert_eq!(runtime("ollama"), Ok(Runtime::Ollama));
        assert_eq!(on_off("off"), Ok(false));
        assert!(on_off("maybe").is_err());
        assert_eq!(duration("5m"), Ok(300.0));
        assert!(duration("soon").is_err());
        assert_eq!(rate("400"), Ok(400.0));
        assert_eq!(tokens("146_760"), Ok(146_760));
        assert_eq!(tokens("128k"), Ok(131_072));
        for bad in ["1000000000000", "-1", "lots", "99999999999999999999k"] {
            assert!(tokens(bad).is_err(), "{bad}");
        }
        for bad in ["0", "-3", "NaN", "inf", "fast"] {
            assert!(rate(bad).is_err(), "{bad}");
        }
    }
}
