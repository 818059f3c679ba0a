//! Inputs → the settings in force → findings (each with its arithmetic and a fix) → the fix,
//! written out, with a memory check of the fixed setup.

use crate::checks;
use crate::fix;
use crate::inputs::Inputs;
use crate::report::{Diagnosis, ModelSummary};
use crate::resolved::Resolved;
use cabe_i18n::Lang;

/// The diagnosis, in English (what `--json` prints, whatever the language).
pub fn diagnose(inp: &Inputs) -> Diagnosis {
    diagnose_in(inp, Lang::En)
}

/// The diagnosis with its words (titles, messages, fixes, notes, the Modelfile's comments) in
/// `lang`; ids, figures and commands are the same in every language.
pub fn diagnose_in(inp: &Inputs, lang: Lang) -> Diagnosis {
    let r = Resolved::new(inp, lang);
    let findings = checks::run_all(&r);
    let fix = fix::write(&r, checks::suggested_timeout(&r));
    // Said last: it arises while checking the workload, after every note on the settings.
    let prefill_note = checks::prefill_note(&r);
    let mut notes = r.notes;
    notes.extend(prefill_note);
    let spec = &inp.model.spec;
    Diagnosis {
        model: ModelSummary {
            name: inp.model.name.clone(),
            display_name: spec.name.clone(),
            architecture: spec.architecture.clone(),
            native_ctx: r.native,
            n_layer: spec.n_layer(),
            params_total: inp.model.weights.params_total,
            weights_bytes: inp.model.weights.bytes,
            source: inp.model.source.clone(),
        },
        machine: inp.machine.description.clone(),
        effective: r.eff,
        prompt: inp.workload.prompt.clone(),
        memory: r.current_check,
        findings,
        fix,
        notes,
    }
}
