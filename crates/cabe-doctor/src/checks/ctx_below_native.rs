//! `ctx-below-native`: the context in force is below what the model handles. A tag or
//! Modelfile chosen on the day of install caps every later prompt.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use crate::setup::Setup;
use cabe_core::units::fmt_int;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let (native, ctx) = (r.native, r.eff.ctx);
    if !(native > 0 && ctx < native) {
        return None;
    }
    let raise = r.target.filter(|t| t.ctx > ctx);
    let pct = ctx as f64 * 100.0 / native as f64;
    let mut numbers = BTreeMap::new();
    numbers.insert("configured_ctx".into(), num(ctx));
    numbers.insert("native_ctx".into(), num(native));
    numbers.insert("percent_of_native".into(), num((pct * 10.0).round() / 10.0));
    let fix = match raise {
        Some(t) => {
            let c = r.sizer.check(&t);
            format!(
                "Raise the context to {}{}: on this machine {}.",
                fmt_int(t.ctx),
                if t.ctx == native { " (the model's full context)" } else { "" },
                c.summary
            )
        }
        None if r.want <= ctx => {
            // The workload fits; say how far the machine would go.
            let up_to = r
                .candidates
                .iter()
                .filter_map(|s| {
                    r.sizer.max_ctx(s).map(|c| Setup {
                        ctx: r.cap_native(c),
                        ..*s
                    })
                })
                .find(|s| s.ctx > ctx);
            format!(
                "Nothing to do for this prompt ({} tokens of context hold it with room for the answer){}.",
                fmt_int(ctx),
                up_to.map_or(String::new(), |u| format!(
                    "; if prompts grow, this machine holds up to {}",
                    u.words()
                ))
            )
        }
        None => match r.most {
            Some(m) if m.ctx > ctx => format!(
                "Memory is the limit here: this machine holds at most {} tokens of this model ({}).",
                fmt_int(m.ctx),
                m.words()
            ),
            _ => "Memory is the limit here: this machine holds no more context with this model."
                .to_string(),
        },
    };
    Some(Finding {
        id: FindingId::CtxBelowNative,
        severity: if raise.is_some() {
            Severity::Warning
        } else {
            Severity::Info
        },
        title: format!(
            "configured context {} is below the model's native {}",
            fmt_int(ctx),
            fmt_int(native)
        ),
        message: format!(
            "{} runs with a {}-token context ({}), but the model itself handles {} ({}.context_length in its GGUF): {} is {pct:.0}% of {}. A tag or Modelfile chosen on the day of install is a hard ceiling, not a property of the model.",
            r.inp.model.name,
            fmt_int(ctx),
            r.eff.ctx_source,
            fmt_int(native),
            r.inp.model.spec.architecture,
            fmt_int(ctx),
            fmt_int(native)
        ),
        numbers,
        fix,
    })
}
