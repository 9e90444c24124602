#!/usr/bin/env bash
# Rebuilding the search index while the server serves (issue 24): the
# practices of gen_corpus.py imported and indexed, the server started;
# then `compendium reindex` beside it while 2 clients search the broad
# query in a loop. Reports how long the rebuild took, the searches'
# latency before and during it, any error, whether every total was the
# same, and the server's resident memory.
# Usage: bench/reindex.sh [PRACTICES=100000]
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
  rm -rf "$work"
}
trap cleanup EXIT
export COMPENDIUM_DATA_DIR=$work/data COMPENDIUM_BIND=127.0.0.1:$port COMPENDIUM_LOG_LEVEL=warn

python3 ../shared/bench/gen_corpus.py --practices "$practices" --jsonl "$work/corpus.jsonl"
# The backend's name only: the URL may hold a password.
backend=${COMPENDIUM_DATABASE_URL:+PostgreSQL}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $practices practices; backend: ${backend:-SQLite}"
$bin import "$work/corpus.jsonl" >/dev/null
$bin reindex

$bin serve &
server=$!
for _ in $(seq 1 1200); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
# Anonymous memory is the process's own; file pages are the index's
# segments, mapped, which the kernel reclaims at will.
rss() {
  awk '/^RssAnon|^RssFile/ { printf "%s %d MiB ", $1, $2 / 1024 }' "/proc/$server/status"
}
echo "server resident memory after start: $(rss)"

python3 - "$port" "$bin" <<'PY'
import json, statistics, subprocess, sys, threading, time, urllib.request
port, binary = sys.argv[1:3]
url = f"http://127.0.0.1:{port}/api/v1/practices?q=incident%20response&limit=20"

def search():
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status, json.load(answer)["total"], time.monotonic() - started
    except Exception as error:  # an error is a result to report, not a crash
        return str(error), None, time.monotonic() - started

def searching(seconds=None):
    """Two clients in a loop until stopped (or for `seconds`); their answers."""
    stop, answers = threading.Event(), []
    def client():
        while not stop.is_set():
            answers.append(search())
    clients = [threading.Thread(target=client) for _ in range(2)]
    for c in clients:
        c.start()
    def end():
        stop.set()
        for c in clients:
            c.join()
        return answers
    if seconds is not None:
        time.sleep(seconds)
        return end()
    return end

def p50_ms(answers):
    return statistics.median(a[2] for a in answers) * 1000

before = searching(5)
end = searching()
started = time.monotonic()
rebuilt = subprocess.run([binary, "reindex", "--wait-seconds", "900"], capture_output=True, text=True)
took = time.monotonic() - started
during = end()
after = search()
print(rebuilt.stdout.strip())
if rebuilt.returncode != 0:
    sys.exit(f"reindex failed: {rebuilt.stderr}")
totals = {a[1] for a in before + during + [after]}
errors = [a for a in before + during + [after] if a[0] != 200]
print(f"rebuild while serving: {took:.1f} s")
print(f"searches before: {len(before)}, p50 {p50_ms(before):.1f} ms; during the rebuild: {len(during)}, p50 {p50_ms(during):.1f} ms, max {max(a[2] for a in during) * 1000:.0f} ms")
print(f"errors: {len(errors)}; totals seen: {sorted(t for t in totals if t is not None)}")
if errors or len(totals) != 1:
    sys.exit("searches failed or totals changed during the rebuild")
PY
echo "server resident memory after the rebuild: $(rss)"
