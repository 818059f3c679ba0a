#!/usr/bin/env bash
# GGUF header parsing: cabe-gguf (release build) vs gguf-py's GGUFReader on the largest GGUF
# among the repository's fixtures (tests/fixtures/gguf) and llama.cpp's models/ (vocab files: the header is the whole file).
#
#   bench/gguf/run.sh [N]        N iterations each (default 5), best-of reported
#
# Env: CABE_CACHE (default ~/.cache/cabe), CABE_PYTHON (default $CABE_CACHE/venv/bin/python,
#      made by tools/setup-python.sh), CABE_GGUF_FIXTURES (default tests/fixtures/gguf),
#      CABE_LLAMA_CPP_SRC (default $CABE_CACHE/src/llama_cpp_python-0.3.36/vendor/llama.cpp),
#      BENCH_FILE (skip the search). Writes bench/gguf/latest.json and prints it.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-5}"
CACHE="${CABE_CACHE:-$HOME/.cache/cabe}"
PY="${CABE_PYTHON:-$CACHE/venv/bin/python}"
FIX="${CABE_GGUF_FIXTURES:-$(pwd)/tests/fixtures/gguf}"
LLAMA="${CABE_LLAMA_CPP_SRC:-$CACHE/src/llama_cpp_python-0.3.36/vendor/llama.cpp}"

if ! "$PY" -c "import gguf" 2>/dev/null; then
    echo "error: $PY cannot import gguf; run tools/setup-python.sh" >&2
    exit 1
fi

cargo build --quiet --release -p cabe-gguf --example parse_bench
BIN=target/release/examples/parse_bench

if [ -n "${BENCH_FILE:-}" ]; then
    FILE="$BENCH_FILE"
else
    # Largest file that cabe-gguf reads (the edge cases and v1 files are refused).
    FILE=""
    while read -r size path; do
        if "$BIN" "$path" 1 >/dev/null 2>&1; then FILE="$path"; break; fi
    done < <(find "$FIX" "$LLAMA/models" -maxdepth 2 -name '*.gguf' -printf '%s %p\n' 2>/dev/null | sort -rn)
fi
[ -n "$FILE" ] || { echo "error: no readable GGUF found" >&2; exit 1; }
echo "file: $FILE ($(stat -c %s "$FILE") bytes), $N iterations each, best-of" >&2

cat "$FILE" > /dev/null   # warm the page cache: both readers time parsing, not the disk
RUST=$("$BIN" "$FILE" "$N")
PYR=$("$PY" bench/gguf/bench_py.py "$FILE" "$N")

python3 - "$RUST" "$PYR" "$N" <<'PYEOF' | tee bench/gguf/latest.json
import json, sys, platform, os, datetime, subprocess
rust, py, n = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
assert all(rust[k] == py[k] for k in ("kv_count", "tensor_count", "array_elements", "data_offset")), (rust, py)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
out = {
    "date": datetime.date.today().isoformat(),
    "machine": {"cpu": cpu, "cores": os.cpu_count(), "loadavg_1m": os.getloadavg()[0]},
    "file": rust["file"], "file_size": rust["file_size"],
    "kv_count": rust["kv_count"], "array_elements": rust["array_elements"],
    "iterations": n,
    "cabe_gguf": {k: rust[k] for k in ("best_s", "median_s", "mean_s")},
    "gguf_py": {k: py[k] for k in ("best_s", "median_s", "mean_s")},
    "speedup_best": py["best_s"] / rust["best_s"],
    "speedup_median": py["median_s"] / rust["median_s"],
}
print(json.dumps(out, indent=1))
PYEOF
