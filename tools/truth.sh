#!/usr/bin/env bash
# Ground truth: checks cabe's memory estimates against a real llama.cpp (the bars are in
# docs/ground-truth.md).
#
#   tools/truth.sh            the CI subset: every architecture of the issue at a few settings,
#                             the quantizer mix of 4 models, the observed logs. Fails (exit 1)
#                             when a comparison misses its bar. Report: target/truth/ACCURACY-quick.md
#   tools/truth.sh --full     the whole matrix (17 models × ~20 settings, real quantized files,
#                             9 file types' mixes); writes ACCURACY.md at the repository root
#   tools/truth.sh ... --rerun        measure again instead of reusing cached llama.cpp logs
#   tools/truth.sh ... --only ID      only the models whose id contains ID
#   tools/truth.sh ... --no-fail      report, but exit 0 whatever the bars say
#
# What it needs, all cached outside the checkout (CI runs in a fresh clone):
#   - llama.cpp's CPU tools: tools/llama-cpp.sh build (cold: 5-8 min on 2 cores, then < 1 s);
#   - generated real-shaped models and llama.cpp's logs: $CABE_CACHE/truth (sparse files, a few
#     MB on disk; logs are keyed by llama.cpp version, file content and setting, so a cached
#     log is reused only for the very same load — cabe's side is always recomputed).
# Runtime after the build: the quick subset ~1-2 min cold (23 loads, one real llama-quantize),
# seconds warm; --full ~25 min cold. Memory: each load is capped at $CABE_TRUTH_VMEM_GIB
# (default 16) GiB of address space; bigger loads report llama.cpp's own no_alloc projection.
set -euo pipefail
cd "$(dirname "$0")/.."
CABE_CACHE="${CABE_CACHE:-$HOME/.cache/cabe}"
export CABE_CACHE
t0=$(date +%s)

full=0
for a in "$@"; do [ "$a" = "--full" ] && full=1; done

if [ -z "${CABE_LLAMA_BIN:-}" ]; then
  CABE_LLAMA_BIN="$(bash tools/llama-cpp.sh build | tail -n 1)"
fi
if [ -z "${CABE_LLAMA_CPP_SRC:-}" ]; then
  CABE_LLAMA_CPP_SRC="$(bash tools/llama-cpp.sh src | tail -n 1)"
fi
export CABE_LLAMA_BIN CABE_LLAMA_CPP_SRC
t1=$(date +%s)

# The whole workspace's features, as the test build has them (`-p cabe-truth` alone would
# rebuild much of it).
cargo build --quiet --workspace --bins
bin="${CARGO_TARGET_DIR:-target}/debug/cabe-truth"

if [ "$full" = 1 ]; then
  report=ACCURACY.md
else
  mkdir -p target/truth
  report=target/truth/ACCURACY-quick.md
fi
rc=0
"$bin" run --report "$report" "$@" || rc=$?
t2=$(date +%s)
echo "truth.sh: llama.cpp ready in $((t1 - t0)) s; harness $((t2 - t1)) s; report $report" >&2
exit "$rc"
