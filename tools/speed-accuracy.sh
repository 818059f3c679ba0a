#!/usr/bin/env bash
# cabe's calibrated speed predictions against a real llama.cpp on this machine, whatever its
# CPU: `cabe calibrate --llama-bench` measures the machine and llama.cpp's kernels on it, then
# decode must be within ±15% and prefill within ±25% of llama-bench (pp512 / tg64, best of 3
# repetitions, llama.cpp's defaults) on six real-shaped models — Qwen3-0.6B Q8_0, Llama-3.2-1B
# Q4_K_M and Q8_0, Qwen2.5-1.5B Q4_0, a Qwen3-30B-A3B-shaped MoE cut to 8 layers at Q4_K_M and a
# gpt-oss-20b-shaped MoE cut to 8 layers at MXFP4_MOE (both with tokens routed over their
# experts). The machine's drift is taken out: the calibration probes of the kernels a model's
# predicted time goes to (each weight type's, a routed MoE's expert probe) run again just
# before and after the model, the prediction is scaled by how fast they run now, weighted by
# their shares, and each bar widens by how far they moved in between (ACCURACY.md). Fails
# when a prediction is outside its bar (crates/cabe-bench/tests/accuracy.rs, an ignored test).
#
#   tools/speed-accuracy.sh            check (~15 min on 2 cores; the first run also generates and
#                                      quantizes the models, a few minutes, cached in $CABE_SPEED_DIR)
#   tools/speed-accuracy.sh --write    check, then write the speed section of ACCURACY.md
#   tools/speed-accuracy.sh --splice   only rewrite that section from the last results (seconds)
#   tools/speed-accuracy.sh --kernels  measure the kernel factors of crates/cabe-bench/src/cpu.rs
#                                      on single-type models (~6 min)
#   tools/speed-accuracy.sh --overhead measure the per-layer decode overhead of cpu.rs on
#                                      64-wide models of 4 and 68 layers (~1 min)
#
# The section is the text between <!-- speed:begin --> and <!-- speed:end --> in ACCURACY.md;
# nothing else in that file is touched. Results: $CABE_SPEED_OUT/results.json and section.md
# (default target/speed-accuracy/).
#
# Needs llama.cpp's CPU tools (tools/llama-cpp.sh build). Best on an otherwise idle machine:
# other work on the cores slows llama.cpp's spinning threads far more than the calibration;
# the load average of every run is recorded. Threads: all cores on machines with more than
# two, else one (a 2-thread llama.cpp on a shared 2-core VM is disturbed by any other work;
# CABE_SPEED_THREADS=2 runs it anyway, see ACCURACY.md for such a run).
#
# Environment: CABE_SPEED_THREADS (default above), CABE_SPEED_DIR (default
# ~/.cache/cabe/speed/models), CABE_SPEED_OUT, CABE_CACHE (see tools/llama-cpp.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

test_name=calibrated_predictions_match_llama_bench
case "${1:-}" in
  --kernels) test_name=kernel_factors; shift ;;
  --overhead) test_name=per_layer_overhead; shift ;;
  --rows) test_name=row_overhead; shift ;;
  --write) export CABE_SPEED_ACCURACY_MD="$(pwd)/ACCURACY.md"; shift ;;
  --splice) export CABE_SPEED_ACCURACY_MD="$(pwd)/ACCURACY.md"; test_name=splice_accuracy_section; shift ;;
esac

if [ "$test_name" != splice_accuracy_section ]; then
  CABE_LLAMA_CPP_BIN="${CABE_LLAMA_CPP_BIN:-$(bash tools/llama-cpp.sh path)}"
  CABE_LLAMA_CPP_SRC="${CABE_LLAMA_CPP_SRC:-$(bash tools/llama-cpp.sh src | tail -n 1)}"
  export CABE_LLAMA_CPP_BIN CABE_LLAMA_CPP_SRC
  # The test build (tools/test.sh's, dev profile): the calibration's probes are optimised in
  # it too (Cargo.toml), and estimates do not depend on the profile; a cold CI run does not
  # build everything once more in release.
  cargo build --workspace --bins
  CABE_BIN="${CARGO_TARGET_DIR:-$(pwd)/target}/debug/cabe"
  export CABE_BIN
fi

start=$(date +%s)
cargo test --workspace --test accuracy -- --ignored --nocapture --exact "$test_name" "$@"
echo "speed accuracy ($test_name): $(( $(date +%s) - start )) s (results in ${CABE_SPEED_OUT:-target/speed-accuracy}/)"
