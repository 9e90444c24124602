#!/usr/bin/env bash
# The gaps of a self-assessment against the 100,000 practices of
# gen_corpus.py: a Member State's assessment with all 18 items open, each
# answered with up to five other entities' practices from the index. Reports
# the latency of GET …/gaps for one client (the issue's figure, p50) and the
# throughput at 8 clients, on the embedded default (SQLite).
# Usage: bench/assessments.sh [SECONDS=15]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
cargo build --release --quiet --bin compendium --example load_get
bin=$PWD/target/release/compendium
load=$PWD/target/release/examples/load_get
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
base=http://127.0.0.1:$port
cleanup() {
  kill "${server:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export COMPENDIUM_DATA_DIR=$work/data COMPENDIUM_BIND=127.0.0.1:$port COMPENDIUM_LOG_LEVEL=warn COMPENDIUM_WRITES_PER_MINUTE=1000000

python3 ../shared/bench/gen_corpus.py --practices 100000 --jsonl "$work/corpus.jsonl"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
$bin import "$work/corpus.jsonl" >/dev/null
$bin reindex >/dev/null
password='a long benchmark password'
echo "$password" | $bin user create --email focal@kenya.example --name Kenya --role focal_point --entity KEN --password-stdin >/dev/null
$bin serve &
server=$!
for _ in $(seq 1 600); do
  curl -sf "$base/readyz" >/dev/null && break
  sleep 0.1
done
token=$(curl -sS -f "$base/api/v1/auth/api-tokens" -H 'content-type: application/json' \
  -H "authorization: Bearer $(curl -sS -f "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\": \"focal@kenya.example\", \"password\": \"$password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')" \
  -d '{"name": "benchmark"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
id=$(curl -sS -f "$base/api/v1/assessments" -H 'content-type: application/json' \
  -H "authorization: Bearer $token" -d '{"year": 2026, "language": "fr", "blank": true}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
gaps="/api/v1/assessments/$id/gaps?lang=fr"
curl -sS -f "$base$gaps" -H "authorization: Bearer $token" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print("open items:", len(d["items"]), "· recommended:", sum(len(i["recommended"]) for i in d["items"]))'
export BENCH_AUTHORIZATION="Bearer $token"
echo "== gaps, 1 client, $seconds s"
$load "$base" "$seconds" 1 "$gaps"
echo "== gaps, 8 clients, $seconds s"
$load "$base" "$seconds" 8 "$gaps"
echo "server resident memory: $(( $(ps -o rss= -p "$server") / 1024 )) MiB"
