//! The fix, written out: for Ollama a Modelfile, the `ollama create` command and server
//! variables; for llama-server its flags; the client timeout; and the memory check of the
//! fixed setup.

use crate::inputs::Runtime;
use crate::ollama::derive_model_name;
use crate::report::{EnvSetting, Fix};
use crate::resolved::Resolved;
use cabe_core::quant::KvType;

pub(crate) fn write(r: &Resolved, client_timeout: Option<u64>) -> Fix {
    let (inp, lang) = (r.inp, r.lang);
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
            // Comments in the reader's language; the directives are Ollama's and never change.
            fix.modelfile = Some(format!(
                "{}\n{}\nFROM {}\nPARAMETER num_ctx {}\n",
                t!(lang, "modelfile-comment", model = &o.model, ctx = t.ctx),
                t!(
                    lang,
                    "modelfile-memory",
                    summary = r.sizer.check(&t).summary
                ),
                o.model,
                t.ctx
            ));
            fix.create_command = Some(format!("ollama create {new} -f {}", inp.modelfile_path));
            fix.steps.push(t!(
                lang,
                "fix-step-write",
                path = &inp.modelfile_path,
                model = &o.model,
                ctx = t.ctx.to_string()
            ));
            fix.steps.push(t!(
                lang,
                "fix-step-create",
                new = &new,
                path = &inp.modelfile_path
            ));
            fix.steps.push(t!(
                lang,
                "fix-step-point",
                new = &new,
                ctx = t.ctx.to_string()
            ));
            fix.new_model = Some(new);
        }
        if t.fa && !current.fa {
            fix.env.push(EnvSetting {
                name: "OLLAMA_FLASH_ATTENTION".into(),
                value: "1".into(),
                why: t!(lang, "fix-why-fa"),
            });
        }
        if t.kv != current.kv {
            fix.env.push(EnvSetting {
                name: "OLLAMA_KV_CACHE_TYPE".into(),
                value: t.kv.name().into(),
                why: t!(lang, "fix-why-kv", kv = t.kv.to_string()),
            });
        }
        if t.slots != current.slots {
            fix.env.push(EnvSetting {
                name: "OLLAMA_NUM_PARALLEL".into(),
                value: t.slots.to_string(),
                why: t!(lang, "fix-why-slots"),
            });
        }
        if !fix.env.is_empty() {
            let vars = fix
                .env
                .iter()
                .map(|e| format!("{}={}", e.name, e.value))
                .collect::<Vec<_>>()
                .join(" ");
            fix.steps.push(t!(lang, "fix-step-env", vars = vars));
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
        fix.steps
            .push(t!(lang, "fix-step-llama", flags = flags.as_str()));
        fix.llama_server_flags = Some(flags);
    }
    if let Some(s) = client_timeout {
        fix.steps.push(t!(
            lang,
            "fix-step-timeout",
            secs = s,
            duration = lang.duration(s as f64)
        ));
    }
    if ctx_change || t != current {
        let c = r.sizer.check(&t);
        fix.steps
            .push(t!(lang, "fix-step-memory", summary = c.summary.as_str()));
        fix.memory_check = Some(c);
    }
    fix
}
