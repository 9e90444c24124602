#!/usr/bin/env bash
# Import speed: the synthetic corpus of shared/bench/gen_corpus.py (100,000
# practices, about 33,000 submissions) into a fresh SQLite file, and into a
# fresh PostgreSQL database when BENCH_POSTGRES_URL names a server
# (e.g. postgres://postgres@127.0.0.1:5432/postgres).
# Usage: bench/import.sh [PRACTICES=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
practices=${1:-100000}
cargo build --release --quiet --bin compendium
bin=$PWD/target/release/compendium
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 ../shared/bench/gen_corpus.py --practices "$practices" --jsonl "$work/corpus.jsonl"
echo "corpus: $(wc -l < "$work/corpus.jsonl") submissions, $practices practices; $(nproc) cores"

echo "== SQLite"
COMPENDIUM_DATA_DIR=$work/sqlite COMPENDIUM_LOG_LEVEL=warn $bin import "$work/corpus.jsonl"

if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  echo "== PostgreSQL"
  db=compendium_bench_$$
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $db"
  url="${BENCH_POSTGRES_URL%/*}/$db"
  COMPENDIUM_DATA_DIR=$work/pg COMPENDIUM_DATABASE_URL=$url COMPENDIUM_LOG_LEVEL=warn $bin import "$work/corpus.jsonl" || status=$?
  psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE $db WITH (FORCE)"
  exit "${status:-0}"
fi
