#!/usr/bin/env bash
# Soak: 100,000 practices (gen_corpus.py), then a mixed load (70% search,
# 20% reads, 10% writes) by CLIENTS clients for SECONDS; throughput, p50/p99
# per kind, the search p99 of every minute, errors, and the server's
# resident memory at the start of the load and every minute after.
# Targets (issue 12): 0 errors, search p99 <= 50 ms throughout, memory
# growth <= 10%.
# Usage: bench/soak.sh [SECONDS=600] [CLIENTS=8]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
clients=${2:-8}
cargo build --release --quiet --bin compendium --example load_mixed
bin=$PWD/target/release/compendium
load=$PWD/target/release/examples/load_mixed
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
cleanup() {
  kill "${server:-}" "${sampler:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export COMPENDIUM_DATA_DIR=$work/data COMPENDIUM_BIND=127.0.0.1:$port COMPENDIUM_LOG_LEVEL=warn
# The load writes with one account, faster than a person would.
export COMPENDIUM_WRITES_PER_MINUTE=1000000

python3 ../shared/bench/gen_corpus.py --practices 100000 --jsonl "$work/corpus.jsonl"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
$bin import "$work/corpus.jsonl" >/dev/null
$bin reindex >/dev/null
echo "soak-focal-point-password" | $bin user create --email soak@example.org --name Soak \
  --role focal_point --entity FRA --password-stdin >/dev/null

$bin serve &
server=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"soak@example.org","password":"soak-focal-point-password"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
ids=$(curl -sf "http://127.0.0.1:$port/api/v1/practices?limit=100" |
  python3 -c 'import json,sys; print(" ".join(p["id"] for p in json.load(sys.stdin)["items"]))')
# Warm-up: the first queries of each kind load index pages into memory.
$load "http://127.0.0.1:$port" 20 "$clients" "$token" $ids >/dev/null || true
# Anonymous memory: the process's own (file pages are the index, mapped).
rss() { awk '/^RssAnon/ { print int($2 / 1024) }' "/proc/$server/status"; }
start=$(rss)
echo "anonymous resident memory at the start of the load: $start MiB"
( while sleep 60; do echo "  anonymous resident memory: $(rss) MiB"; done ) &
sampler=$!
$load "http://127.0.0.1:$port" "$seconds" "$clients" "$token" $ids
kill $sampler 2>/dev/null || true
end=$(rss)
python3 -c "s, e = $start, $end; print(f'anonymous resident memory: {s} MiB at the start, {e} MiB at the end: {100 * (e - s) / s:+.1f}%')"
