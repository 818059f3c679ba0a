//! `setup-refused`: llama.cpp will not load the model with the cache settings in force.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use serde_json::Value;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Option<Finding> {
    let current = &r.current;
    let why = r.sizer.refused(current)?;
    let mut numbers = BTreeMap::new();
    numbers.insert("kv_type".into(), num(current.kv.name()));
    numbers.insert("flash_attn".into(), Value::Bool(current.fa));
    Some(Finding {
        id: FindingId::SetupRefused,
        severity: Severity::Error,
        title: "llama.cpp will not load the model with these cache settings".into(),
        message: format!("{why} ({}).", current.words()),
        numbers,
        fix: "Use an f16 KV cache, or turn flash attention on with one quantized type for K and V."
            .into(),
    })
}
