//! `ctx-below-native`: the context in force is below what the model handles. A tag or
//! Modelfile chosen on the day of install caps every later prompt.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::ollama::yes_no;
use crate::resolved::Resolved;
use crate::setup::Setup;
use cabe_i18n::Arg;
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
            t!(
                r.lang,
                "ctx-below-native-fix-raise",
                ctx = t.ctx,
                full = yes_no(t.ctx == native),
                summary = c.summary
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
            match up_to {
                Some(u) => t!(
                    r.lang,
                    "ctx-below-native-fix-enough-upto",
                    ctx = ctx,
                    setup = u.words(r.lang)
                ),
                None => t!(r.lang, "ctx-below-native-fix-enough", ctx = ctx),
            }
        }
        None => match r.most {
            Some(m) if m.ctx > ctx => t!(
                r.lang,
                "ctx-below-native-fix-memory",
                ctx = m.ctx,
                setup = m.words(r.lang)
            ),
            _ => t!(r.lang, "ctx-below-native-fix-no-more"),
        },
    };
    Some(Finding {
        id: FindingId::CtxBelowNative,
        severity: if raise.is_some() {
            Severity::Warning
        } else {
            Severity::Info
        },
        title: t!(r.lang, "ctx-below-native-title", ctx = ctx, native = native),
        message: t!(
            r.lang,
            "ctx-below-native-message",
            model = &r.inp.model.name,
            ctx = ctx,
            source = &r.eff.ctx_source,
            native = native,
            arch = &r.inp.model.spec.architecture,
            pct = Arg::dec(pct, 0)
        ),
        numbers,
        fix,
    })
}
