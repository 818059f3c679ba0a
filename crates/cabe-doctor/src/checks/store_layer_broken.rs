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
                title: t!(r.lang, "store-broken-title", model = model_name),
                message: t!(
                    r.lang,
                    "store-broken-message",
                    layer = &p.layer,
                    problem = &p.problem
                ),
                numbers,
                fix: t!(r.lang, "store-broken-fix", model = model_name),
            }
        })
        .collect()
}
