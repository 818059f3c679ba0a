#!/usr/bin/env bash
# Scan benchmark: `cabe scan` over N generated sparse GGUF files (real headers, a third with a
# full 32k/128k-token vocabulary; tensor data a sparse hole), timing the whole command and
# reporting the bytes it read (cabe-scan counts every byte its readers hand out).
#
#   bench/scan/run.sh [N=600] [RUNS=3]     # writes bench/scan/latest.json
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-600}"
RUNS="${2:-3}"
cargo build --release -q -p cabe
cargo build --release -q -p cabe-scan --example gen_sparse_ggufs
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
GEN="$(target/release/examples/gen_sparse_ggufs "$DIR/models" "$N")"
DISK_KB="$(du -sk "$DIR/models" | cut -f1)"
COLD=no
if sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then COLD=yes; fi
RESULTS=()
for i in $(seq 1 "$RUNS"); do
  target/release/cabe scan "$DIR/models" --json --root tests/fixtures/machines/ci-no-gpu > "$DIR/out.json"
  RESULTS+=("$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({"models": len(d["models"]), "files_read": d["files_read"], "bytes_read": d["bytes_read"], "seconds": d["seconds"], "errors": len(d["errors"])}))' "$DIR/out.json")")
done
python3 - "$GEN" "$DISK_KB" "$COLD" "${RESULTS[@]}" <<'PY' | tee bench/scan/latest.json
import json, sys, datetime, platform, os
gen = json.loads(sys.argv[1]); disk_kb = int(sys.argv[2]); cold = sys.argv[3] == "yes"
runs = [json.loads(r) for r in sys.argv[4:]]
order = [round(r["seconds"], 3) for r in runs]
secs = sorted(r["seconds"] for r in runs)
r0 = runs[0]
print(json.dumps({
    "date": datetime.date.today().isoformat(),
    "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
    "files": gen["files"], "apparent_bytes": gen["apparent_bytes"], "disk_bytes": disk_kb * 1024,
    "header_bytes": gen["header_bytes"],
    "first_run_cold_cache": cold,
    "models_read": r0["models"], "errors": r0["errors"],
    "bytes_read": r0["bytes_read"], "bytes_read_per_file": r0["bytes_read"] // max(1, r0["files_read"]),
    "bytes_read_over_header_bytes": round(r0["bytes_read"] / max(1, gen["header_bytes"]), 3),
    "seconds_by_run": order, "best_files_per_s": round(r0["files_read"] / secs[0], 1),
    "median_files_per_s": round(r0["files_read"] / secs[len(secs)//2], 1),
}, indent=2))
PY
