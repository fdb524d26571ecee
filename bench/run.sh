#!/usr/bin/env bash
# Run the benchmarks against a throwaway PostgreSQL: `make bench` (or bench/run.sh NAME…).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
PGDIR=$(mktemp -d /tmp/kyodo-bench.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
trap 'scripts/pg-throwaway.sh stop "$PGDIR"' EXIT
eval "$(scripts/pg-throwaway.sh start "$PGDIR" "$PORT")"
export KYODO_VAR_DIR="$PGDIR/var"
kyodo migrate --verbosity 0
names=("$@"); [ ${#names[@]} -gt 0 ] || names=(seed)
for name in "${names[@]}"; do
  echo "== bench/$name.py"
  python "bench/$name.py"
done
