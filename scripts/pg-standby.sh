#!/usr/bin/env bash
# A PostgreSQL 15 streaming replica (warm standby) of a running primary, and its promotion —
# the procedure of docs/operations/standby.md, scripted so a test can run it.
#   scripts/pg-standby.sh start PRIMARY_HOST PRIMARY_PORT DIR PORT   base backup + streaming
#   scripts/pg-standby.sh lag DIR PORT        bytes of WAL received but not yet replayed
#   scripts/pg-standby.sh promote DIR         the standby becomes the primary
#   scripts/pg-standby.sh stop DIR
# The primary needs a REPLICATION role (kyodo_replica, created by pg-throwaway.sh) and a
# pg_hba.conf line for it; PGPASSWORD or ~/.pgpass gives its password.
set -euo pipefail
cmd=${1:?start|lag|promote|stop}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
  host=${2:?primary host}; pport=${3:?primary port}; dir=${4:?dir}; port=${5:?port}
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL it needs.
  as_pg env PGPASSWORD="${PGPASSWORD:-kyodo_replica}" "$PGBIN/pg_basebackup" \
    -h "$host" -p "$pport" -U "${REPLICA_USER:-kyodo_replica}" -D "$dir/data" -R -X stream -c fast
  cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
unix_socket_directories = '$dir'
hot_standby = on
CONF
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
  ;;
lag)
  dir=${2:?dir}; port=${3:?port}
  as_pg psql -X -At -h "$dir" -p "$port" -U postgres -d postgres -c \
    "SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())"
  ;;
promote)
  dir=${2:?dir}
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -w promote >/dev/null
  ;;
stop)
  dir=${2:?dir}
  if [ -d "$dir/data" ]; then as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true; fi
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start PRIMARY_HOST PRIMARY_PORT DIR PORT | lag DIR PORT | promote DIR | stop DIR" >&2; exit 2 ;;
esac
