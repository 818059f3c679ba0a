//! # cabe-bench
//!
//! The measuring side of cabe's speed model (`cabe_core::speed` is the predicting side):
//!
//! * [`calibrate`] — this machine's memory read bandwidth (every core streaming its own part of
//!   a buffer far larger than the caches, best of several passes) and its f32 FMA throughput
//!   (register-resident fused multiply-add chains, AVX-512/AVX2/NEON picked at run time), stored
//!   as JSON in the data dir. Predictions on this machine use them in place of catalog peaks or
//!   assumptions, with efficiencies relative to what was measured
//!   ([`cpu`]).
//! * [`cpu`] — the calibrated CPU model: per weight type, decode is the slower of reading the
//!   bytes and running llama.cpp's de-quantizing kernel; prefill is FLOPs over the kernel's
//!   rate — both relative to the calibrated figures.
//! * [`server`] — one timed request against a running Ollama (`POST /api/generate`, durations in
//!   ns) or llama-server (`POST /completion`, `timings` in ms), with every request bounded in
//!   time and size and failures sorted into *down*, *slow*, *HTTP error* and *malformed*.
//! * [`prompt`] — prompts of a given token count, made of repeated text, each with its own
//!   first words so that no server reuses a cached prefix.
//! * [`store`] — the SQLite history (`history.sqlite` in the data dir): one transaction per
//!   bench run, so an interrupted run leaves no rows; and the correction later predictions
//!   take from it (median measured/predicted over the stored runs for the machine and backend).
//! * [`datadir`] — where calibration and history live (`CABE_DATA_DIR` overrides).
//!
//! Sources: Ollama's `docs/api.md` (the `/api/generate` counts and durations), llama.cpp's
//! `tools/server/README.md` (the `timings` object) and `tools/llama-bench/README.md`; the speed
//! model is `docs/speed.md`, its sources `docs/sources.md`.

pub mod calibrate;
pub mod cpu;
pub mod datadir;
pub mod kernels;
pub mod prompt;
pub mod server;
pub mod store;
pub mod time;
