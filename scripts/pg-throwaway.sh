#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks.
#   scripts/pg-throwaway.sh start DIR PORT   → prints `export` lines for the two roles' URLs
#   scripts/pg-throwaway.sh stop DIR
# Roles: kyodo_owner owns the schema (migrations); kyodo_app is what the application uses:
# no superuser, no BYPASSRLS, owns no table; kyodo_backup only reads, bypassing RLS (pg_dump). Installs the server only if it is absent.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data directory}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_pg() {  # initdb/pg_ctl refuse to run as root: run them as the postgres user then
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  port=${3:?port}
  if [ ! -x "$PGBIN/postgres" ]; then
    echo "PostgreSQL 15 server not found; installing it with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      postgresql-15 postgresql-client-15 >/dev/null
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log"
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off                  # throwaway: speed over durability
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 100
CONF
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
  psql_su() { as_pg psql -X -q -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 "$@"; }
  psql_su -c "CREATE ROLE kyodo_owner LOGIN PASSWORD 'kyodo_owner' CREATEDB"
  psql_su -c "CREATE ROLE kyodo_app LOGIN PASSWORD 'kyodo_app' NOSUPERUSER NOBYPASSRLS NOCREATEDB"
  # Backups (pg_dump) read every municipality's rows: a reader that bypasses row-level security.
  psql_su -c "CREATE ROLE kyodo_backup LOGIN PASSWORD 'kyodo_backup' BYPASSRLS" \
    -c "GRANT pg_read_all_data TO kyodo_backup"
  # A warm standby streams from here (scripts/pg-standby.sh): a role that may only replicate.
  psql_su -c "CREATE ROLE kyodo_replica LOGIN REPLICATION PASSWORD 'kyodo_replica'"
  psql_su -c "CREATE DATABASE kyodo OWNER kyodo_owner"
  psql_su -d kyodo -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC" \
    -c "ALTER SCHEMA public OWNER TO kyodo_owner" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"
  echo "export DATABASE_URL=postgres://kyodo_app:kyodo_app@127.0.0.1:$port/kyodo"
  echo "export DATABASE_OWNER_URL=postgres://kyodo_owner:kyodo_owner@127.0.0.1:$port/kyodo"
  echo "export KYODO_BACKUP_DATABASE_URL=postgres://kyodo_backup:kyodo_backup@127.0.0.1:$port/kyodo"
  ;;
stop)
  if [ -d "$dir/data" ]; then as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true; fi
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
