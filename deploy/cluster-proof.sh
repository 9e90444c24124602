#!/usr/bin/env bash
# The multi-replica path, proven without a container engine: two
# `compendium serve` processes on one PostgreSQL database behind nginx.
#  1. Through the proxy, a submission is made, submitted and accepted by
#     whichever replica answers; each replica, asked directly, finds the
#     practice by search within 5 s.
#  2. During a stream of reads and writes through the proxy, one replica
#     is killed (SIGKILL): no request fails (nginx retries on the other),
#     and every write the clients were told of is in the database.
# Needs nginx, curl, python3, and a PostgreSQL server that lets the user of
# COMPENDIUM_TEST_DATABASE_URL create databases. .ci/run runs it.
# Usage: deploy/cluster-proof.sh   (COMPENDIUM_BIN to use a built binary)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${COMPENDIUM_TEST_DATABASE_URL:?set it to a PostgreSQL server URL}"
bin=${COMPENDIUM_BIN:-$PWD/target/debug/compendium}
[ -x "$bin" ] || cargo build --quiet --bin compendium
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx_bin" ] || { echo "nginx is missing (apt-get install nginx)" >&2; exit 1; }

work=$(mktemp -d)
db=compendium_cluster_$$
# Three ports the system says are free (a random pick could collide with
# a port in use, and a replica that cannot listen never becomes ready).
read -r r1 r2 proxy < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])')
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  psql "$COMPENDIUM_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql "$COMPENDIUM_TEST_DATABASE_URL" -qc "CREATE DATABASE $db"
url="${COMPENDIUM_TEST_DATABASE_URL%/*}/$db"
export COMPENDIUM_DATABASE_URL=$url
export COMPENDIUM_JWT_SECRET=cluster-proof-secret-of-at-least-32-bytes
export COMPENDIUM_TRUSTED_PROXIES=127.0.0.1
export COMPENDIUM_LOG_LEVEL=warn
export COMPENDIUM_ARGON2_MEMORY_KIB=1024
# The proof writes as fast as it can with one account.
export COMPENDIUM_WRITES_PER_MINUTE=1000000

# Sets $started to the new replica's pid (no subshell: it would wait for
# the server's output to close).
start_replica() {
  local port=$1 name=$2
  COMPENDIUM_DATA_DIR=$work/$name COMPENDIUM_BIND=127.0.0.1:$port \
    "$bin" serve >"$work/$name.out" 2>"$work/$name.log" &
  started=$!
  pids+=("$started")
}
ready() {
  local port=$1 name=$2
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    sleep 0.1
  done
  echo "replica $name on $port never became ready; its log:" >&2
  tail -n 30 "$work/$name.log" >&2
  return 1
}
# The first replica migrates; the second starts on a migrated database.
start_replica "$r1" one
ready "$r1" one
start_replica "$r2" two
replica_2=$started
ready "$r2" two

cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  upstream compendium {
    server 127.0.0.1:$r1 max_fails=1 fail_timeout=30s;
    server 127.0.0.1:$r2 max_fails=1 fail_timeout=30s;
  }
  server {
    listen 127.0.0.1:$proxy;
    client_max_body_size 1m;
    location / {
      proxy_pass http://compendium;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
    }
  }
}
EOF
"$nginx_bin" -p "$work" -c "$work/nginx.conf"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$proxy/healthz" >/dev/null && break; sleep 0.1; done

echo 'a long cluster password' | "$bin" user create --email editor@cluster.example \
  --name Editor --role editor --password-stdin >/dev/null

cat > "$work/cluster_client.py" <<'PY'
"""The proof's HTTP client: JSON in and out, a bearer token, an Idempotency-Key."""
import json, urllib.request

def call(port, method, path, body=None, token=None, key=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
        data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if token: request.add_header("authorization", f"Bearer {token}")
    if key: request.add_header("idempotency-key", key)
    with urllib.request.urlopen(request, timeout=15) as answer:
        return answer.status, json.loads(answer.read() or b"null")

def sign_in(port):
    return call(port, "POST", "/api/v1/auth/token",
        {"email": "editor@cluster.example", "password": "a long cluster password"})[1]["access_token"]
PY
export PYTHONPATH=$work

echo "== 1. one service through the proxy, the same catalogue on each replica"
python3 - "$proxy" "$r1" "$r2" <<'PY'
import sys, time, urllib.parse, uuid
from cluster_client import call, sign_in
proxy, r1, r2 = sys.argv[1:4]
token = sign_in(proxy)
title = f"Cluster practice {uuid.uuid4().hex[:8]}"
_, created = call(proxy, "POST", "/api/v1/submissions", {"entity": "NOR", "language": "en", "title": "Cluster",
    "practices": [{"title": title, "body": "Seen from every replica.", "items": [9]}]}, token, str(uuid.uuid4()))
for action in ("submit", "accept"):
    call(proxy, "POST", f"/api/v1/submissions/{created['id']}/{action}", {} if action == "accept" else None, token)
accepted = time.monotonic()
query = urllib.parse.quote(f'"{title}"')
for port in (r1, r2):
    while call(port, "GET", f"/api/v1/practices?q={query}")[1]["total"] != 1:
        if time.monotonic() - accepted > 5:
            sys.exit(f"replica {port} did not find the practice within 5 s")
        time.sleep(0.1)
print(f"found on both replicas {time.monotonic() - accepted:.2f} s after acceptance")
PY

echo "== 1b. wake-ups: accepted on one replica, searchable on the other (p50 at most 300 ms)"
# The indexers listen for the catalogue's NOTIFY; their period (10 s) is
# only a safety net, so every practice should arrive well before it.
python3 - "$r1" "$r2" <<'PY'
import statistics, sys, time, urllib.parse, uuid
from cluster_client import call, sign_in
r1, r2 = sys.argv[1:3]
token = sign_in(r1)
delays = []
for n in range(20):
    title = f"Wake-up {n} {uuid.uuid4().hex[:8]}"
    _, created = call(r1, "POST", "/api/v1/submissions", {"entity": "NOR", "language": "en", "title": "Wake-ups",
        "practices": [{"title": title, "body": "Announced to every replica.", "items": [9]}]}, token, str(uuid.uuid4()))
    call(r1, "POST", f"/api/v1/submissions/{created['id']}/submit", None, token)
    call(r1, "POST", f"/api/v1/submissions/{created['id']}/accept", {}, token)
    accepted = time.monotonic()
    query = urllib.parse.quote(f'"{title}"')
    while call(r2, "GET", f"/api/v1/practices?q={query}")[1]["total"] != 1:
        if time.monotonic() - accepted > 9:
            sys.exit(f"the other replica did not find practice {n} within 9 s: no wake-up")
        time.sleep(0.005)
    delays.append(time.monotonic() - accepted)
p50 = statistics.median(delays)
print(f"searchable on the other replica: p50 {p50 * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms over {len(delays)} practices")
if p50 > 0.3:
    sys.exit("p50 above 300 ms")
PY

echo "== 2. a replica killed during a stream of requests"
python3 - "$proxy" "$r1" "$replica_2" <<'PY'
import os, signal, sys, threading, time, urllib.error, uuid
from cluster_client import call, sign_in
proxy, r1, victim = sys.argv[1], sys.argv[2], int(sys.argv[3])
token = sign_in(proxy)
failures, written, done = [], [], threading.Event()
lock = threading.Lock()
def client(n):
    i = 0
    while not done.is_set():
        try:
            if i % 2:
                status, _ = call(proxy, "GET", "/api/v1/practices?q=cluster")
            else:
                status, body = call(proxy, "POST", "/api/v1/submissions", {"entity": "NOR", "language": "en",
                    "title": f"Stream {n}-{i}", "practices": [{"title": "p", "body": "b"}]}, token, str(uuid.uuid4()))
                with lock: written.append(body["id"])
        except urllib.error.HTTPError as error:
            with lock: failures.append(f"{error.code} {error.read()[:200]!r}")
        except Exception as error:
            with lock: failures.append(repr(error))
        i += 1
threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
for t in threads: t.start()
time.sleep(2)
os.kill(victim, signal.SIGKILL)
killed = time.monotonic()
time.sleep(3)
done.set()
for t in threads: t.join()
if failures:
    sys.exit(f"{len(failures)} requests failed after the kill: {failures[:5]}")
missing = []
for id in written:
    try:
        call(r1, "GET", f"/api/v1/submissions/{id}", token=token)
    except urllib.error.HTTPError:
        missing.append(id)
if missing:
    sys.exit(f"{len(missing)} acknowledged writes are missing: {missing[:5]}")
print(f"{len(written)} writes and their reads went on through the kill; none failed, none lost")
PY
echo "cluster proof passed"
