//! # cabe-core
//!
//! The estimation engine of cabe: given a model's architecture ([`model::ModelSpec`]), its
//! quantization ([`quant`]), a runtime profile and a machine, it works out the memory plan
//! (weights, KV cache, compute and output buffers, overheads), the verdict and the largest
//! context that fits, each with its arithmetic.
//!
//! This crate does no I/O and is deterministic: readers (GGUF, Ollama, catalogs) and the CLI are
//! shells around it.

pub mod arch;
pub mod ftype_mix;
pub mod hardware;
pub mod kv;
pub mod layout;
pub mod model;
pub mod plan;
pub mod quant;
pub mod speed;
pub mod text;
pub mod units;
pub mod weights;
