#!/usr/bin/env bash
# The demo path on the embedded SQLite database, end to end: migrate, load the demo consortium,
# serve it, and check the probes, the login page and a clerk's search through real HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
VAR=$(mktemp -d /tmp/kyodo-demo.XXXXXX)
export KYODO_VAR_DIR="$VAR"
unset DATABASE_URL DATABASE_OWNER_URL
PORT=${KYODO_SMOKE_PORT:-$((40000 + RANDOM % 20000))}
kyodo migrate --verbosity 0
kyodo demo --scale 0.2 >"$VAR/demo.out"
grep -q "imizu.clerk" "$VAR/demo.out"
kyodo runserver "127.0.0.1:$PORT" --noreload >"$VAR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$VAR"' EXIT
python scripts/smoke_client.py "http://127.0.0.1:$PORT"
echo "demo smoke OK"
