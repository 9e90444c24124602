#!/usr/bin/env bash
# OAI-PMH at scale: imports PRACTICES accepted practices of the synthetic
# corpus, starts a release server and harvests the whole catalogue with
# Sickle (ListRecords, oai_dc, pages of COMPENDIUM_OAI_PAGE_SIZE = 100),
# for SQLite and (with BENCH_POSTGRES_URL) PostgreSQL: the records
# collected, the pages followed, the whole harvest's time and the slowest
# page's.
# Usage: bench/harvest.sh [PRACTICES=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
practices=${1:-100000}
cargo build --release --quiet --bin compendium
bin=$PWD/target/release/compendium
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
cleanup() {
  kill "${server:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${db:-}" ] && psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT
python3 ../shared/bench/gen_corpus.py --practices "$practices" --jsonl "$work/corpus.jsonl"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $practices practices"
base=http://127.0.0.1:$port

run() {
  local name=$1
  export COMPENDIUM_DATA_DIR=$work/$name COMPENDIUM_BIND=127.0.0.1:$port COMPENDIUM_LOG_LEVEL=warn
  $bin import "$work/corpus.jsonl" >/dev/null
  $bin serve &
  server=$!
  for _ in $(seq 1 600); do
    curl -sf "$base/readyz" >/dev/null && break
    sleep 0.1
  done
  echo "== $name"
  python3 - "$base/oai" <<'PY'
import sys, time
from sickle import Sickle
from sickle.iterator import OAIItemIterator

pages = []
class Timed(OAIItemIterator):
    def _next_response(self):
        start = time.perf_counter()
        super()._next_response()
        pages.append(time.perf_counter() - start)

sickle = Sickle(sys.argv[1], iterator=Timed, max_retries=0)
start = time.perf_counter()
records = sum(1 for _ in sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
total = time.perf_counter() - start
pages.sort()
print(f"harvested {records} records in {len(pages)} pages: {total:.1f} s "
      f"({records / total:.0f} records/s); page p50 {pages[len(pages) // 2] * 1000:.0f} ms, "
      f"slowest {pages[-1] * 1000:.0f} ms")
PY
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
}

run sqlite
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  db=compendium_bench_$$
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $db"
  COMPENDIUM_DATABASE_URL="${BENCH_POSTGRES_URL%/*}/$db" run postgres
fi
