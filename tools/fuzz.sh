#!/usr/bin/env bash
# Runs every fuzz target (fuzz/, cargo fuzz on nightly) for SECONDS_PER_TARGET seconds each
# (default 60), one at a time, from corpora built out of tests/fixtures and fuzz/seeds.
# A crash, a hang over 1 s (-timeout=1), one allocation over 128 MB (-malloc_limit_mb) or a
# process over 768 MB (-rss_limit_mb: AddressSanitizer's shadow and quarantine alone hold
# about 450 MB of a long run, so 512 MB stopped runs that allocated nothing large) fails it and
# leaves the input under fuzz/artifacts/<target>/; the figures of each run go to
# fuzz/artifacts/logs/<target>.log and a summary line per target to stdout. FUZZING.md says
# what the targets cover and what they found.
#   tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-60}"
shift || true
# A target stops at SECONDS_PER_TARGET or at FUZZ_RUNS executions (default 10 million),
# whichever comes first: the bar each target has to pass once (FUZZING.md).
RUNS="${FUZZ_RUNS:-10000000}"

# cargo-fuzz (about 1.5 min to build cold) and a nightly toolchain, each installed once.
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# Corpora: fixtures and seeds (kept between runs, with what the fuzzer added).
python3 fuzz/make_corpus.py
# Built with the whole workspace's features, as the test build has them (`-p cabe-truth` alone
# resolves other features and rebuilds much of the workspace: 4.5 min in a cold CI run).
cargo build -q --workspace --examples
"${CARGO_TARGET_DIR:-target}/debug/examples/fuzz_seeds" fuzz/corpus/gguf_local fuzz/corpus/gguf_remote

cd fuzz
# Release with debug assertions and overflow checks (an overflow is a finding), under
# AddressSanitizer. FUZZ_QUICK=1 (CI's 20-second smoke runs) builds without optimisation and
# without the sanitizer instead: the same checks on cabe's safe Rust — a panic, an overflow, a
# hang, an allocation over the limit — in a fraction of the cold build (FUZZING.md), at a
# tenth of the speed, so each input gets ten times the time.
build=(-O -a)
scale=1
if [ "${FUZZ_QUICK:-0}" = 1 ]; then
  build=(--dev -s none)
  scale=10
fi
cargo +nightly fuzz build "${build[@]}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
mkdir -p artifacts/logs
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  log="artifacts/logs/$t.log"
  # serve_body: /api/recommend ranks the whole catalog, over 1 s under AddressSanitizer;
  # cabe serve's own limit is 10 s.
  timeout=1
  [ "$t" = serve_body ] && timeout=10
  timeout=$((timeout * scale))
  if nice -n 10 cargo +nightly fuzz run "${build[@]}" "$t" "corpus/$t" -- \
    -max_total_time="$SECS" -runs="$RUNS" -timeout="$timeout" -rss_limit_mb=768 -malloc_limit_mb=128 \
    -print_final_stats=1 >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo "$SECS")
  echo "$t: $result, ${runs:-0} executions in ${took:-$SECS} s (${speed:-0}/s), corpus $(ls "corpus/$t" | wc -l) inputs"
  if [ "$result" = FAILED ]; then
    grep -E 'ERROR|panicked|SUMMARY|Test unit written' "$log" | head -n 5 || true
  fi
done
exit "$status"
