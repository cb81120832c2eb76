#!/bin/sh
# Initialise the cluster on first start, like the official image, then run the server.
set -eu
if [ "${1:-}" = postgres ]; then
  shift
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    user=${POSTGRES_USER:-postgres}
    pwfile=$(mktemp)
    printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}" > "$pwfile"
    chown postgres "$pwfile"
    su postgres -c "initdb -D '$PGDATA' -U '$user' --pwfile='$pwfile' --auth=scram-sha-256 -E UTF8" >/dev/null
    rm -f "$pwfile"
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    db=${POSTGRES_DB:-$user}
    if [ "$db" != postgres ]; then
      su postgres -c "postgres --single -D '$PGDATA' postgres" <<SQL >/dev/null
CREATE DATABASE "$db" OWNER "$user";
SQL
    fi
  fi
  exec su postgres -c "exec postgres -D '$PGDATA' $*"
fi
exec "$@"
