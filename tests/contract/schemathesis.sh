#!/usr/bin/env bash
# Schemathesis against the running server's own /openapi.json, every check
# on, once with a token for each role (admin, editor, focal point) and once
# without one (a reader). Fails on any failure, or when fewer than
# SCHEMATHESIS_MIN_REQUESTS requests were sent in all.
#
#   bash tests/contract/schemathesis.sh [path/to/compendium]
#
# SCHEMATHESIS_MAX_EXAMPLES (default 40) sets the examples per operation
# and phase; the per-operation rules are in schemathesis.toml beside this.
# SCHEMATHESIS_SEED fixes the generation, so that CI runs the same requests
# each time and a failure can be replayed; `random` explores new ones.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-$root/target/debug/compendium}"
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-40}"
min_requests="${SCHEMATHESIS_MIN_REQUESTS:-5000}"
seed="${SCHEMATHESIS_SEED:-20261129}"
seeding=()
[ "$seed" = random ] || seeding=(--seed "$seed")

python3 -c 'import schemathesis' 2>/dev/null || { echo "schemathesis is missing: python3 -m pip install schemathesis" >&2; exit 1; }
[ -x "$bin" ] || { echo "no binary at $bin: cargo build first" >&2; exit 1; }

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
export COMPENDIUM_DATA_DIR="$work/data"
export COMPENDIUM_BIND="127.0.0.1:$port"
export COMPENDIUM_PUBLIC_URL="$base"
unset COMPENDIUM_DATABASE_URL
# Thousands of generated writes a minute from one account are the point here.
export COMPENDIUM_WRITES_PER_MINUTE=100000000
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

password="schemathesis-$RANDOM-$RANDOM-passphrase"
for account in admin:admin: editor:editor: focal:focal_point:FRA; do
  IFS=: read -r name role entity <<<"$account"
  echo "$password" | "$bin" user create --email "$name@schemathesis.test" --name "$name" \
    --role "$role" ${entity:+--entity "$entity"} --password-stdin >/dev/null
done

# A catalogue to search, read, curate and compile: the labelled practices
# of the tagging tests, accepted submissions of 30 entities in six languages.
"$bin" import "$root/tests/data/tagging-dev.jsonl" >/dev/null

"$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$base/readyz" >/dev/null || { cat "$work/server.log" >&2; exit 1; }

token() {
  curl -fsS -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1@schemathesis.test\",\"password\":\"$password\"}" "$base/api/v1/auth/token" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

failed=""
total=0
# One worker: with two, Hypothesis describes strategies from two threads at
# once and CPython 3.11's ast.parse is not safe for that ("AST constructor
# recursion depth mismatch", fixed in 3.12), which Schemathesis reports as
# an error of the run, not of the API.
run() {
  local label="$1"
  shift
  printf '\n== schemathesis as %s\n' "$label"
  if ! PYTHONPATH="$here" SCHEMATHESIS_HOOKS=compendium_formats \
    python3 -m schemathesis.cli --config-file "$here/schemathesis.toml" run "$base/openapi.json" \
    --checks all --max-examples "$max_examples" --workers 1 --no-color \
    --report har --report-har-path "$work/$label.har" "${seeding[@]}" "$@"; then
    failed="$failed $label"
  fi
  local sent
  sent="$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["log"]["entries"]))' "$work/$label.har")"
  echo "requests sent as $label: $sent"
  total=$((total + sent))
}

# The admin's pass changes accounts (roles, entities, disabling) that it
# finds through GET /api/v1/users: it runs last, so every other pass is
# made with the role it is named after.
run reader
run focal_point -H "Authorization: Bearer $(token focal)"
run editor -H "Authorization: Bearer $(token editor)"
run admin -H "Authorization: Bearer $(token admin)"

printf '\n== %d requests in all (at least %d wanted)\n' "$total" "$min_requests"
if ! kill -0 "$server" 2>/dev/null; then
  echo "the server died" >&2
  tail -50 "$work/server.log" >&2
  exit 1
fi
if grep -q 'panicked' "$work/server.log"; then
  echo "the server panicked:" >&2
  grep -A5 'panicked' "$work/server.log" >&2
  exit 1
fi
[ -z "$failed" ] || { echo "schemathesis failed as:$failed" >&2; exit 1; }
[ "$total" -ge "$min_requests" ] || { echo "too few requests" >&2; exit 1; }
echo "schemathesis: no failures"
