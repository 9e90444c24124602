#!/usr/bin/env bash
# The desk at scale: imports SUBMISSIONS submissions of the synthetic
# corpus (a fifth of them waiting for review, a few hundred of one entity
# in every status), starts a release server, signs a focal point, an
# editor and an admin in through the form, and times every desk page with
# one client: the client's p50/p99 and the server's own p50 (from its
# access log, `elapsed_ms`). SQLite, or the PostgreSQL database in
# COMPENDIUM_DATABASE_URL.
# Usage: bench/desk.sh [SUBMISSIONS=10000] [SECONDS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
submissions=${1:-10000}
seconds=${2:-5}
cargo build --release --quiet --bin compendium --example load_get
bin=$PWD/target/release/compendium
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
base=http://127.0.0.1:$port
trap 'kill ${server:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

# Three practices a submission on average: enough practices for the count.
python3 ../shared/bench/gen_corpus.py --practices $((submissions * 4)) --jsonl "$work/corpus.jsonl"
python3 - "$work/corpus.jsonl" "$submissions" > "$work/desk.jsonl" <<'PY'
import json, sys
statuses = ["draft", "submitted", "changes_requested", "accepted", "rejected"]
for n, line in enumerate(open(sys.argv[1])):
    if n >= int(sys.argv[2]):
        break
    s = json.loads(line)
    if n % 5 == 1:
        s["status"] = "submitted"
    if n % 40 == 0:
        s["entity"] = "KEN"
        s["status"] = statuses[(n // 40) % len(statuses)]
    print(json.dumps(s, ensure_ascii=False))
PY
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(wc -l < "$work/desk.jsonl") submissions"

export COMPENDIUM_DATA_DIR=$work/data COMPENDIUM_BIND=127.0.0.1:$port COMPENDIUM_LOG_LEVEL=info \
  COMPENDIUM_LOG_FORMAT=json COMPENDIUM_WRITES_PER_MINUTE=1000000
$bin import "$work/desk.jsonl" >/dev/null
# A PostgreSQL database loaded in bulk has no planner statistics until
# autovacuum gets to it; a database in service has them.
case "${COMPENDIUM_DATABASE_URL:-}" in postgres*) psql "$COMPENDIUM_DATABASE_URL" -q -c ANALYZE ;; esac
password='a long benchmark password'
for who in "focal --role focal_point --entity KEN" "editor --role editor" "admin --role admin"; do
  set -- $who
  echo "$password" | $bin user create --email "$1@bench.example" --name "$1" "${@:2}" --password-stdin >/dev/null
done
$bin serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  curl -sf "$base/readyz" >/dev/null && break
  sleep 0.1
done

# Signs in through the form; prints the session cookie.
session() {
  local jar=$work/$1.jar
  local csrf
  csrf=$(curl -sS -c "$jar" "$base/sign-in" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -sS -b "$jar" -c "$jar" -o /dev/null "$base/sign-in" \
    --data-urlencode "csrf=$csrf" --data-urlencode "email=$1@bench.example" \
    --data-urlencode "password=$password" --data-urlencode "next=/desk"
  awk '$6 == "compendium_session" {print "compendium_session=" $7}' "$jar"
}
token=$(curl -sS -f "$base/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"email\": \"editor@bench.example\", \"password\": \"$password\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
first() {
  curl -sS -f -H "authorization: Bearer $token" "$base/api/v1/submissions?$1&limit=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])'
}
submitted=$(first status=submitted)
kenyan=$(first "entity=KEN&status=draft")
compilation=$(curl -sS -f -X POST "$base/api/v1/compilations" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"title": "Benchmark", "scope": {"sections": ["E"]}}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
# The catalogue moves on after the assembly, as it does between an editor's
# visits: 25 practices of section E re-tagged, 25 submitted replies accepted.
curl -sS -f -H "authorization: Bearer $token" "$base/api/v1/practices?section=E&limit=25" |
  python3 -c 'import json,sys; [print(p["id"]) for p in json.load(sys.stdin)["items"]]' |
  while read -r practice; do
    curl -sS -f -o /dev/null -X PATCH "$base/api/v1/practices/$practice" -H "authorization: Bearer $token" \
      -H 'content-type: application/json' -d '{"items": [12]}'
  done
curl -sS -f -H "authorization: Bearer $token" "$base/api/v1/submissions?status=submitted&limit=25" |
  python3 -c 'import json,sys; [print(s["id"], s["version"]) for s in json.load(sys.stdin)["items"]]' |
  while read -r submission version; do
    curl -sS -f -o /dev/null -X POST "$base/api/v1/submissions/$submission/accept" -H "authorization: Bearer $token" \
      -H "if-match: \"v$version\"" -H 'content-type: application/json' -d '{}'
  done

: > "$work/client.txt"
time_pages() {
  BENCH_COOKIE=$(session "$1") target/release/examples/load_get "$base" "$seconds" 1 "${@:2}" | tee -a "$work/client.txt"
}
echo "== focal point (KEN)"
time_pages focal /desk "/desk/submissions/$kenyan" "/desk/submissions/$kenyan/edit" \
  "/desk/submissions/$kenyan/diff?from=1&to=1" /desk/submissions/new /desk/account
echo "== editor"
time_pages editor /desk /desk/review "/desk/review?section=E" "/desk/review?language=fr" \
  "/desk/submissions/$submitted" /desk/compilations "/desk/compilations/$compilation" "/desk/compilations/$compilation?from=1000" \
  "/desk/compilations/$compilation?drift=1" /desk/coverage
echo "== admin"
time_pages admin /desk/accounts /desk/organisations /desk/audit /desk/mail

echo "== server time (access log), p50 per route"
python3 - "$work/server.log" <<'PY'
import json, sys, statistics
times = {}
for line in open(sys.argv[1]):
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    fields = entry.get("fields", entry)
    route = fields.get("route")
    if not route or not route.startswith("/desk") or "elapsed_ms" not in fields:
        continue
    times.setdefault(route, []).append(float(fields["elapsed_ms"]))
worst = 0.0
for route, values in sorted(times.items()):
    p50 = statistics.median(values)
    worst = max(worst, p50)
    print(f"{route:45} n={len(values):6} p50_ms={p50:6.2f}")
print(f"slowest p50: {worst:.2f} ms (target 20 ms)")
PY
