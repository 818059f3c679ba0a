//! The GPU and Apple speed model against llama.cpp's published llama-bench rows
//! (`tests/fixtures/llama-bench-published`, sources in `tests/fixtures/SOURCES.md`): decode
//! (tg128) and prefill (pp512). For each, the test
//! 1. refits the model on all rows and requires `data/speed.toml` to carry that fit (so the
//!    shipped numbers are the data's, not hand-tuned), with a range covering the rows' spread;
//! 2. leaves each device out in turn, fits on the others and predicts it (cross-validation):
//!    the held-out median error and the share of rows inside the printed range must meet the
//!    bars in ACCURACY.md (decode ≤ 10%, prefill ≤ 20%, 80% inside);
//! 3. predicts every row through the engine as shipped and prints the figures ACCURACY.md
//!    records.

mod published;
