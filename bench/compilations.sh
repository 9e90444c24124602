#!/usr/bin/env bash
# Compilations at scale: imports PRACTICES accepted practices of the
# synthetic corpus, starts a release server, and times over HTTP, for
# SQLite and (with BENCH_POSTGRES_URL) PostgreSQL: assembling a draft of
# every practice (POST), reassembling it (PUT), publishing it, and
# exporting the edition in each format (the server renders on each call),
# the Word document opened by python-docx with its entries counted.
# Usage: bench/compilations.sh [PRACTICES=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
practices=${1:-10000}
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

# Seconds a request takes, as curl measures it; fails on an HTTP error.
timed() {
  curl -sS -f -o "$work/answer" -w '%{time_total}' "$@"
}

run() {
  local name=$1
  export COMPENDIUM_DATA_DIR=$work/$name COMPENDIUM_BIND=127.0.0.1:$port COMPENDIUM_LOG_LEVEL=warn COMPENDIUM_WRITES_PER_MINUTE=1000000
  $bin import "$work/corpus.jsonl" >/dev/null
  echo 'a long benchmark password' | $bin user create --email "editor@$name.example" --name Editor --role editor --password-stdin >/dev/null
  $bin serve &
  server=$!
  for _ in $(seq 1 600); do
    curl -sf "$base/readyz" >/dev/null && break
    sleep 0.1
  done
  token=$(curl -sS -f "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\": \"editor@$name.example\", \"password\": \"a long benchmark password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  auth=(-H "authorization: Bearer $token" -H 'content-type: application/json')

  echo "== $name"
  t=$(timed -X POST "$base/api/v1/compilations" "${auth[@]}" -d '{"title": "Benchmark", "scope": {}}')
  id=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["id"]); print(d["entries_count"], file=sys.stderr)' "$work/answer" 2>"$work/count")
  echo "assemble a draft of $(cat "$work/count") entries (POST): ${t} s"
  t=$(timed -X PUT "$base/api/v1/compilations/$id" "${auth[@]}" -d '{"title": "Benchmark, reassembled"}')
  echo "reassemble (PUT): ${t} s"
  t=$(timed -X POST "$base/api/v1/compilations/$id/publish" "${auth[@]}")
  echo "publish: ${t} s"
  for format in html docx md csv json; do
    t=$(timed "$base/api/v1/compilations/$id/export?format=$format")
    echo "export $format: ${t} s, $(($(stat -c %s "$work/answer") / 1024)) KiB"
    if [ "$format" = docx ]; then
      # Opened by python-docx, as Word's users' tools would: every entry
      # is a Heading 3 paragraph.
      cp "$work/answer" "$work/edition.docx"
      python3 tests/word/read_docx.py "$work/edition.docx" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print("  python-docx opens it:", sum(p["style"] == "Heading 3" for p in d["paragraphs"]), "entries")'
    fi
  done
  echo "server resident memory: $(( $(ps -o rss= -p "$server") / 1024 )) MiB"
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
