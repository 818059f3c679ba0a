#!/usr/bin/env bash
# Recommend benchmark: the whole `cabe recommend --json` process (start-up, the embedded
# catalog parsed, every chat model at seven quantizations sized and timed, the near misses'
# search, JSON out) for three catalog machines, RUNS times each.
#
#   bench/recommend/run.sh [RUNS=20]     # writes bench/recommend/latest.json
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-20}"
cargo build --release -q -p cabe
python3 - "$RUNS" <<'PY' | tee bench/recommend/latest.json
import json, os, platform, statistics, subprocess, sys, time, datetime
runs = int(sys.argv[1])
exe = "target/release/cabe"
models = len(json.loads(subprocess.run([exe, "models", "--json"], capture_output=True, check=True).stdout))
out = {"date": datetime.date.today().isoformat(),
       "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
       "load_average_1m": os.getloadavg()[0], "catalog_models": models, "runs": runs, "machines": {}}
for machine in ["macbook-pro-m1-8gb", "hp-laptop-i5-1035g1-14gb", "rtx-4090"]:
    args = [exe, "recommend", "--on", machine, "--json"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(args, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    doc = json.loads(r.stdout)
    out["machines"][machine] = {
        "picks": len(doc["picks"]), "near_misses": len(doc["near_misses"]),
        "best_ms": round(min(times) * 1000, 1), "median_ms": round(statistics.median(times) * 1000, 1),
    }
print(json.dumps(out, indent=2))
PY
