#!/usr/bin/env bash
# Throughput of intake: 8 clients create and submit submissions of 3
# practices against a release server on a fresh SQLite file (or on the
# PostgreSQL database in COMPENDIUM_DATABASE_URL), then count them back.
# Usage: bench/submissions.sh [CLIENTS=8] [SECONDS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-8}
seconds=${2:-20}
cargo build --release --quiet --bin compendium --example load_submissions
bin=target/release/compendium
data=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
export COMPENDIUM_DATA_DIR=$data COMPENDIUM_BIND=127.0.0.1:$port COMPENDIUM_LOG_LEVEL=warn COMPENDIUM_WRITES_PER_MINUTE=1000000
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT

echo "a long enough password" | $bin user create --email bench@example.org --name Bench \
  --role focal_point --entity FRA --password-stdin >/dev/null
$bin serve &
server=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"bench@example.org","password":"a long enough password"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
if [ -n "${COMPENDIUM_DATABASE_URL:-}" ]; then backend=PostgreSQL; else backend=SQLite; fi
echo "backend: $backend; $(nproc) cores; $clients clients for $seconds s"
target/release/examples/load_submissions "http://127.0.0.1:$port" "$token" "$clients" "$seconds"
