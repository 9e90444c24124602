#!/usr/bin/env bash
# Catalogue search with the 100,000 practices of gen_corpus.py: reindex
# time, resident memory, latency of a broad and a selective query with 8
# clients, and the throughput of the same broad query (full-text match,
# the same facets, 20 results) against Datasette serving the corpus as an
# SQLite FTS5 table, measured in the same run. The reader site's search
# page (HTML: the same search, facets with annex titles, 20 results) is
# measured with the same clients for the broad query and a filtered one,
# and so are the coverage table (API, by region and by entity) and its page.
# Repeated searches are answered from the search cache (search::cache);
# the broad query is also run with `-x{n}`, an excluded word no practice
# holds and a new one per request, which matches the same practices but
# never the cache: the cost of the search itself.
# Usage: bench/search.sh [SECONDS=15] [CLIENTS=8]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
clients=${2:-8}
cargo build --release --quiet --bin compendium --example load_get
bin=$PWD/target/release/compendium
load=$PWD/target/release/examples/load_get
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
peer_port=$((port + 1))
cleanup() {
  kill "${server:-}" "${peer:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export COMPENDIUM_DATA_DIR=$work/data COMPENDIUM_BIND=127.0.0.1:$port COMPENDIUM_LOG_LEVEL=warn COMPENDIUM_WRITES_PER_MINUTE=1000000

python3 ../shared/bench/gen_corpus.py --practices 100000 --jsonl "$work/corpus.jsonl" --sqlite "$work/corpus.db"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
$bin import "$work/corpus.jsonl"
$bin reindex

$bin serve &
server=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
rss() { echo "$(( $(ps -o rss= -p "$1") / 1024 )) MiB"; }
echo "server resident memory after start: $(rss $server)"

broad='/api/v1/practices?q=incident%20response&limit=20'
broad_uncached='/api/v1/practices?q=incident%20response%20-x{n}&limit=20'
selective='/api/v1/practices?q=%22Budapest%20Convention%22&language=fr&section=F'
echo "== Compendium ($clients clients, $seconds s each)"
page_broad='/?q=incident%20response&lang=en'
page_filtered='/?q=incident%20response&language=fr&section=E&year=2020&lang=ar'
coverage_regions='/api/v1/coverage?by=region'
coverage_entities='/api/v1/coverage?by=entity&language=fr'
coverage_page='/coverage?by=regional_group&lang=en'
$load "http://127.0.0.1:$port" "$seconds" "$clients" "$broad" "$broad_uncached" "$selective" "$page_broad" "$page_filtered" \
  "$coverage_regions" "$coverage_entities" "$coverage_page"
echo "server resident memory after the runs: $(rss $server)"

[ -n "${BENCH_SKIP_PEER:-}" ] && exit 0
echo "== Datasette on the same corpus (SQLite FTS5)"
venv=${BENCH_VENV:-$HOME/.cache/compendium-bench-venv}
[ -x "$venv/bin/datasette" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q datasette; }
"$venv/bin/datasette" serve "$work/corpus.db" --port "$peer_port" \
  --setting sql_time_limit_ms 60000 --setting facet_time_limit_ms 60000 \
  --setting default_page_size 20 >/dev/null 2>&1 &
peer=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$peer_port/-/versions.json" >/dev/null && break
  sleep 0.2
done
peer_broad='/corpus/practices.json?_search=incident%20response&_facet=section&_facet=entity_type&_facet=region&_facet=language&_facet=year&_facet_array=items&_size=20'
$load "http://127.0.0.1:$peer_port" "$seconds" "$clients" "$peer_broad"
