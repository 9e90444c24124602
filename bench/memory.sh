#!/usr/bin/env bash
# The server's resident memory (issue 24): the 100,000 practices of
# gen_corpus.py imported but not indexed, the server started, so that its
# indexer catches up with all of them; then 8 clients search for SECONDS;
# then the server idles for the trimmer's period. Anonymous memory is the
# process's own (the target: at most 120 MB after catching up); file pages
# are the index's segments, mapped, which the kernel reclaims at will.
# Usage: bench/memory.sh [SECONDS=20] [CLIENTS=8]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
clients=${2:-8}
cargo build --release --quiet --bin compendium --example load_get
bin=$PWD/target/release/compendium
load=$PWD/target/release/examples/load_get
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
cleanup() {
  kill "${server:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export COMPENDIUM_DATA_DIR=$work/data COMPENDIUM_BIND=127.0.0.1:$port COMPENDIUM_LOG_LEVEL=warn

python3 ../shared/bench/gen_corpus.py --practices 100000 --jsonl "$work/corpus.jsonl"
# The backend's name only: the URL may hold a password.
backend=${COMPENDIUM_DATABASE_URL:+PostgreSQL}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; backend: ${backend:-SQLite}"
$bin import "$work/corpus.jsonl" >/dev/null

memory() {
  awk '/^RssAnon|^RssFile|^VmHWM/ { printf "%s %d MiB  ", $1, $2 / 1024 }' "/proc/$server/status"
}
# Waits for a probe to answer, for at most SECONDS; stops if the server did.
await() {
  local probe=$1 deadline=$((SECONDS + $2))
  until curl -sf "http://127.0.0.1:$port/$probe" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { echo "the server stopped" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "no answer from /$probe" >&2; exit 1; }
    sleep 0.05
  done
}
started=$(date +%s.%N)
$bin serve &
server=$!
await healthz 60
echo "at start:                $(memory)"
# Ready once the indexer has caught up with every practice.
await readyz 600
echo "caught up with 100,000 practices in $(python3 -c "import time; print(f'{time.time() - $started:.1f}')") s"
sleep 2
echo "after catching up:       $(memory)"
$load "http://127.0.0.1:$port" "$seconds" "$clients" \
  '/api/v1/practices?q=incident%20response&limit=20' \
  '/api/v1/practices?q=cybercrime%20legislation&language=es&limit=20' \
  '/?q=incident%20response&lang=en' || echo "some searches failed (above)"
echo "after $seconds s of $clients clients searching: $(memory)"
sleep 16
echo "after 16 s idle:         $(memory)"
