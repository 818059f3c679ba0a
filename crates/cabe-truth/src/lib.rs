//! # cabe-truth
//!
//! The ground-truth harness: it checks every memory figure cabe gives — weights, KV cache,
//! recurrent state, compute and output buffers, their total — against what a real llama.cpp
//! allocates for the same model and settings, and writes `ACCURACY.md`.
//!
//! * [`generate`] writes real-shaped GGUF models (metadata as llama.cpp's loader reads it for
//!   the architecture, a real tokenizer, cabe's tensor layout) with zero-filled, sparse data,
//!   using the small GGUF writer in [`writer`]; [`fill`] writes non-zero data into chosen
//!   tensors where zeros would change how llama.cpp runs (MoE routing, for the speed check);
//! * [`runner`] runs llama.cpp (`llama-completion`, `llama-server`, `llama-quantize`) on them;
//! * [`logparse`] reads llama.cpp's own report of its buffers from the log;
//! * [`estimate`] gets cabe's figures through the same API the CLI uses, from the file and
//!   from the catalog; [`compare`] holds them to the bars;
//! * [`observed`] turns buffer sizes from users' logs (CUDA, Metal, Hexagon) into checks;
//! * [`report`] writes ACCURACY.md; [`cases`] is the matrix (a CI subset and the full one);
//! * [`rpc`] splits one load over several `ggml-rpc-server` processes (llama.cpp's RPC
//!   backend, `tools/llama-cpp.sh build-rpc`) and reads back each device's buffers.
//!
//! See `docs/ground-truth.md` for how to run it and what each check means.

pub mod cases;
pub mod compare;
pub mod estimate;
pub mod generate;
pub mod logparse;
pub mod observed;
pub mod report;
pub mod rpc;
pub mod runner;
/// The GGUF writer lives in cabe-gguf (calibration writes models too).
pub use cabe_gguf::{fill, writer};
