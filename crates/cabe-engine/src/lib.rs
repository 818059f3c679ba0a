//! The one pipeline behind every command: runtime settings → llama.cpp's runtime profile,
//! and a machine's speed basis (catalog figures, this machine's calibration, the bench
//! history's correction) → decode and prefill predictions. Commands load what they need from
//! disk (the calibration, the history) and hand it here as data; nothing in this crate reads a
//! file or the network, so the same request always gets the same answer.
//!
//! `docs/architecture.md` shows where it sits.

pub mod assess;
pub mod buy;
pub mod curve;
pub mod multi_unit;
pub mod recommend;
pub mod route;
pub mod runtime;
pub mod search;
pub mod speed;
pub mod split;
pub mod vllm;

pub use assess::{
    assess, assess_memory, Assessment, CtxChoice, MemoryAssessment, Request, SpeedReport, Workload,
};
pub use runtime::{Runtime, RuntimeSettings};
pub use search::{changes_that_fit, Change, ChangeKind};
pub use speed::{Prediction, SpeedBasis};
