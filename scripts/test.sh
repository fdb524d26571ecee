#!/usr/bin/env bash
# Everything `make test` checks, in order: lint, format, import contracts, types, the demo path
# on SQLite, then the whole test suite against a throwaway PostgreSQL (pytest's summary last).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

scripts/system-deps.sh --test
# One command per line: under `set -e` a failure on the left of `&&` does not stop the script.
echo "== ruff"; ruff check .
ruff format --check .
echo "== import contracts"; lint-imports
echo "== mypy (kyodo/platform)"; mypy

echo "== demo smoke (SQLite)"; scripts/demo-smoke.sh

echo "== PostgreSQL (throwaway)"
PGDIR=$(mktemp -d /tmp/kyodo-pg.XXXXXX)
PORT=${KYODO_TEST_PGPORT:-$((20000 + RANDOM % 20000))}
trap 'scripts/pg-throwaway.sh stop "$PGDIR"' EXIT
eval "$(scripts/pg-throwaway.sh start "$PGDIR" "$PORT")"
export KYODO_VAR_DIR="$PGDIR/var"
kyodo migrate --verbosity 0
echo "== pytest"
pytest "$@"
