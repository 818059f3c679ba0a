//! One check per finding (or per pair of findings one computation yields), one file each.
//! A check reads the [`Resolved`] setup and returns its findings; [`CHECKS`] runs them in the
//! order a diagnosis lists them.
//!
//! To add a finding: a variant in `FindingId` (crate::finding), a file here with its check,
//! and one line in [`CHECKS`] at the place its findings should appear.

use crate::finding::{Finding, FindingId};
use crate::resolved::Resolved;

mod ctx_below_native;
mod ctx_over_native;
mod env_invalid;
mod kv_type_fits;
mod kv_type_ignored;
mod loaded_ctx_differs;
mod loaded_partial_offload;
mod memory_over_capacity;
mod never_fits;
mod parallel_kv;
mod prefill_over_timeout;
mod prompt_over_ctx;
mod prompt_over_native;
mod removed_parameter;
mod server_unhealthy;
mod setup_refused;
mod store_layer_broken;

pub(crate) use prefill_over_timeout::{prefill_note, suggested_timeout};

pub(crate) enum Run {
    /// At most one finding.
    One(fn(&Resolved) -> Option<Finding>),
    /// Any number (one per variable, parameter, layer, server).
    Many(fn(&Resolved) -> Vec<Finding>),
}

/// A check, and the ids its findings may carry.
pub(crate) struct Check {
    pub ids: &'static [FindingId],
    pub run: Run,
}

impl Check {
    const fn one(id: &'static [FindingId], f: fn(&Resolved) -> Option<Finding>) -> Check {
        Check {
            ids: id,
            run: Run::One(f),
        }
    }
    const fn many(id: &'static [FindingId], f: fn(&Resolved) -> Vec<Finding>) -> Check {
        Check {
            ids: id,
            run: Run::Many(f),
        }
    }

    pub fn run(&self, r: &Resolved, out: &mut Vec<Finding>) {
        let from = out.len();
        match self.run {
            Run::One(f) => out.extend(f(r)),
            Run::Many(f) => out.extend(f(r)),
        }
        debug_assert!(out[from..].iter().all(|f| self.ids.contains(&f.id)));
    }
}

use FindingId as Id;

/// Every check, in output order. Ollama's own findings come first, in the order Ollama reads
/// its settings (context, then flash attention and the cache, then slots, then the Modelfile's
/// parameters); then the setup against the workload and the machine; then the store, the
/// servers and what is loaded now.
pub(crate) const CHECKS: &[Check] = &[
    // `OLLAMA_GPU_OVERHEAD` and `OLLAMA_CONTEXT_LENGTH`, which decide the context.
    Check::many(&[Id::EnvInvalid], env_invalid::context_vars),
    Check::one(&[Id::CtxOverNative], ctx_over_native::check),
    // Only with flash attention validly off and a valid type, so never beside an invalid
    // `OLLAMA_FLASH_ATTENTION` or `OLLAMA_KV_CACHE_TYPE`: it can go before them.
    Check::one(&[Id::KvTypeIgnored], kv_type_ignored::check),
    // `OLLAMA_FLASH_ATTENTION`, `OLLAMA_KV_CACHE_TYPE`, `OLLAMA_NUM_PARALLEL`.
    Check::many(&[Id::EnvInvalid], env_invalid::cache_vars),
    Check::many(&[Id::RemovedParameter], removed_parameter::check),
    Check::one(&[Id::SetupRefused], setup_refused::check),
    Check::one(&[Id::CtxBelowNative], ctx_below_native::check),
    Check::one(&[Id::PromptOverNative], prompt_over_native::check),
    Check::one(&[Id::PromptOverCtx], prompt_over_ctx::check),
    Check::one(&[Id::PrefillOverTimeout], prefill_over_timeout::check),
    Check::one(&[Id::NeverFits], never_fits::check),
    Check::one(&[Id::MemoryOverCapacity], memory_over_capacity::check),
    Check::one(&[Id::ParallelKv], parallel_kv::check),
    Check::one(&[Id::KvTypeFits], kv_type_fits::check),
    Check::many(&[Id::StoreLayerBroken], store_layer_broken::check),
    Check::many(&[Id::ServerUnhealthy], server_unhealthy::check),
    Check::one(&[Id::LoadedCtxDiffers], loaded_ctx_differs::check),
    Check::one(&[Id::LoadedPartialOffload], loaded_partial_offload::check),
];

/// Every finding about the resolved setup, in output order.
pub(crate) fn run_all(r: &Resolved) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in CHECKS {
        c.run(r, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_has_a_check() {
        for id in FindingId::ALL {
            assert!(
                CHECKS.iter().any(|c| c.ids.contains(id)),
                "no check emits {id}"
            );
        }
    }
}
