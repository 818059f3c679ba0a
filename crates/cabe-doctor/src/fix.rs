//! The fix, written out: for Ollama a Modelfile, the `ollama create` command and server
//! variables; for llama-server its flags; the client timeout; and the memory check of the
//! fixed setup.

use crate::format::fmt_duration;
use crate::inputs::Runtime;
use crate::ollama::derive_model_name;
use crate::report::{EnvSetting, Fix};
use crate::resolved::Resolved;
use cabe_core::quant::KvType;
use cabe_core::units::fmt_int;

pub(crate) fn write(r: &Resolved, client_timeout: Option<u64>) -> Fix {
    let inp = r.inp;
    let current = r.current;
    let mut fix = Fix {
        client_timeout_s: client_timeout,
        ..Fix::default()
    };
    let t = r.target.unwrap_or(current);
    let ctx_change = r.target.is_some() && t.ctx != current.ctx;
    if let Runtime::Ollama(o) = &inp.runtime {
        if ctx_change {
            let new = inp
                .new_name
                .clone()
                .unwrap_or_else(|| derive_model_name(&o.model, t.ctx));
            fix.ctx = Some(t.ctx);
            fix.modelfile = Some(format!(
                "# Written by cabe doctor: {} with a {}-token context.\n# Memory on this machine: {}\nFROM {}\nPARAMETER num_ctx {}\n",
                o.model,
                fmt_int(t.ctx),
                r.sizer.check(&t).summary,
                o.model,
                t.ctx
            ));
            fix.create_command = Some(format!("ollama create {new} -f {}", inp.modelfile_path));
            fix.steps.push(format!(
                "Write the Modelfile ({}): FROM {} keeps its weights, template and parameters; PARAMETER num_ctx {} replaces the context.",
                inp.modelfile_path, o.model, t.ctx
            ));
            fix.steps.push(format!(
                "Run: ollama create {new} -f {} (it copies no weights: the new model points at the same blobs).",
                inp.modelfile_path
            ));
            fix.steps.push(format!(
                "Point the client at {new}. A client can also send options.num_ctx = {} per request, which overrides the Modelfile.",
                t.ctx
            ));
            fix.new_model = Some(new);
        }
        if t.fa && !current.fa {
            fix.env.push(EnvSetting {
                name: "OLLAMA_FLASH_ATTENTION".into(),
                value: "1".into(),
                why: "flash attention: smaller compute buffer at long context; needed for a quantized KV cache".into(),
            });
        }
        if t.kv != current.kv {
            fix.env.push(EnvSetting {
                name: "OLLAMA_KV_CACHE_TYPE".into(),
                value: t.kv.name().into(),
                why: format!("a {} KV cache holds the context in less memory", t.kv),
            });
        }
        if t.slots != current.slots {
            fix.env.push(EnvSetting {
                name: "OLLAMA_NUM_PARALLEL".into(),
                value: t.slots.to_string(),
                why: "one slot: the KV cache is not multiplied".into(),
            });
        }
        if !fix.env.is_empty() {
            fix.steps.push(format!(
                "On the Ollama server set {} and restart it (systemd: systemctl edit ollama → Environment=…; macOS app: launchctl setenv …).",
                fix.env
                    .iter()
                    .map(|e| format!("{}={}", e.name, e.value))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
    } else if ctx_change || t != current {
        let mut flags = format!("-c {} -np {}", t.ctx * t.slots as u64, t.slots);
        if t.fa {
            flags.push_str(" -fa on");
        }
        if t.kv != KvType::F16 {
            flags.push_str(&format!(" --cache-type-k {} --cache-type-v {}", t.kv, t.kv));
        }
        fix.ctx = Some(t.ctx);
        fix.steps.push(format!(
            "Restart llama-server with {flags} (with an explicit -np each slot gets -c ÷ np tokens)."
        ));
        fix.llama_server_flags = Some(flags);
    }
    if let Some(s) = client_timeout {
        fix.steps.push(format!(
            "Set the client's request timeout to {s} s ({}).",
            fmt_duration(s as f64)
        ));
    }
    if ctx_change || t != current {
        let c = r.sizer.check(&t);
        fix.steps.push(format!("Memory check: {}.", c.summary));
        fix.memory_check = Some(c);
    }
    fix
}
