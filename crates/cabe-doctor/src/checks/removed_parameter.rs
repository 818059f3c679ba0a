//! `removed-parameter`: a Modelfile `PARAMETER` Ollama no longer reads.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::ollama::removed_parameter;
use crate::resolved::Resolved;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Vec<Finding> {
    let Some(o) = &r.ollama else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in &o.config.parameters {
        let Some((_, since)) = removed_parameter(name) else {
            continue;
        };
        let mut numbers = BTreeMap::new();
        numbers.insert("parameter".into(), num(name.clone()));
        out.push(Finding {
            id: FindingId::RemovedParameter,
            severity: Severity::Info,
            title: format!("PARAMETER {name} does nothing"),
            message: format!(
                "PARAMETER {name} {value} is set, but Ollama removed {name} in {since}: it is ignored."
            ),
            numbers,
            fix: format!("Drop PARAMETER {name} from the Modelfile."),
        });
    }
    out
}
