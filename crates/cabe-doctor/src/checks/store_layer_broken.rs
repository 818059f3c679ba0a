//! `store-layer-broken`: a layer of the model in the Ollama store is missing or corrupt, one
//! finding per layer.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Vec<Finding> {
    let model_name = &r.inp.model.name;
    r.inp
        .store_problems
        .iter()
        .map(|p| {
            let mut numbers = BTreeMap::new();
            numbers.insert("layer".into(), num(p.layer.clone()));
            Finding {
                id: FindingId::StoreLayerBroken,
                severity: Severity::Error,
                title: format!("a layer of {model_name} is broken in the store"),
                message: format!(
                    "{}: {}. Ollama cannot load a model with a broken layer.",
                    p.layer, p.problem
                ),
                numbers,
                fix: format!(
                    "Pull the model again (ollama pull {model_name}), or re-create it from its Modelfile."
                ),
            }
        })
        .collect()
}
