#!/usr/bin/env bash
# Load test of `cabe serve`: wrk (Debian's package) POSTs the seed fit request for DURATION
# seconds at each concurrency, one wrk thread per connection up to two; the server's resident
# memory (VmRSS) is read before the first run and after each; then a soak at 16 connections
# (SOAK seconds, default 60) samples it every 5 s. Writes bench/serve/latest.json.
#
#   bench/serve/run.sh [DURATION=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p cabe
data="$(mktemp -d)"
out="$(mktemp)"
CABE_DATA_DIR="$data" target/release/cabe serve --port 0 > "$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data" "$out"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
url="$(sed -n 's/^listening on //p' "$out")"
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
curl -sf -H 'Content-Type: application/json' -d '{"model":"qwen3-coder-30b-a3b","memory":"64GB"}' "$url/api/fit" > /dev/null
rss0="$(rss)"
rows=""
# 64 twice: the second run shows whether memory keeps growing or has levelled off.
for c in 1 4 16 64 64; do
  t=$(( c < 2 ? c : 2 ))
  line="$(wrk -t"$t" -c"$c" -d"${DURATION}s" --latency -s bench/serve/fit.lua "$url/api/fit" | grep '^RESULT')"
  rows="$rows{\"connections\": $c, $(echo "$line" | sed -E 's/RESULT //; s/([a-z0-9_]+)=([0-9.]+)/"\1": \2,/g') \"rss_kib_after\": $(rss)},"
done
# A soak: 16 connections for SOAK seconds, the resident memory sampled every 5 s.
SOAK="${SOAK:-60}"
wrk -t2 -c16 -d"${SOAK}s" -s bench/serve/fit.lua "$url/api/fit" > /dev/null &
wrk_pid=$!
samples=""
while kill -0 "$wrk_pid" 2>/dev/null; do samples="$samples$(rss),"; sleep 5; done
python3 - "$rss0" "[${rows%,}]" "[${samples%,}]" <<'PY' | tee bench/serve/latest.json
import json, os, platform, sys, datetime
print(json.dumps({"date": datetime.date.today().isoformat(),
  "machine": f"{os.cpu_count()} cores, {platform.machine()}", "load_average_1m": os.getloadavg()[0],
  "rss_kib_before": int(sys.argv[1]), "runs": json.loads(sys.argv[2]),
  "soak_16_connections_rss_kib_every_5s": json.loads(sys.argv[3])}, indent=2))
PY
