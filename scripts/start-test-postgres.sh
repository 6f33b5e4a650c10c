#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1 for the JDBC-catalog test and prints its JDBC URL.
# Usage: eval "$(scripts/start-test-postgres.sh)"   (sets CHORUS_TEST_JDBC_URL and CHORUS_TEST_PGDATA)
set -euo pipefail
port="${CHORUS_TEST_PG_PORT:-54329}"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [[ -z "$pgbin" ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  else
    echo "start-test-postgres: PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 1
  fi
fi
data="$(mktemp -d /tmp/chorus-pg.XXXXXX)"
run() { if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
[[ $(id -u) -eq 0 ]] && chown postgres "$data"
run "'$pgbin/initdb' -D '$data' -A trust -U postgres" >/dev/null
run "'$pgbin/pg_ctl' -D '$data' -l '$data/server.log' -w -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1\" start" >/dev/null
run "'$pgbin/createdb' -h 127.0.0.1 -p $port -U postgres chorus_test"
echo "export CHORUS_TEST_PGDATA='$data' CHORUS_TEST_PGBIN='$pgbin'"
echo "export CHORUS_TEST_JDBC_URL='jdbc:postgresql://127.0.0.1:$port/chorus_test'"
