#!/bin/bash
# First start: initdb (UTF-8 locale, password auth over TCP) and the database; then the
# server in the foreground.
set -euo pipefail
user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-${user}}"
if [[ ! -s "${PGDATA}/PG_VERSION" ]]; then
    : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
    pwfile="$(mktemp)"
    printf '%s\n' "${POSTGRES_PASSWORD}" >"${pwfile}"
    initdb -D "${PGDATA}" -U "${user}" --pwfile="${pwfile}" --encoding=UTF8 \
        --locale=en_US.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "${pwfile}"
    echo "host all all all scram-sha-256" >>"${PGDATA}/pg_hba.conf"
    if [[ "${database}" != "postgres" ]]; then
        echo "CREATE DATABASE \"${database}\" OWNER \"${user}\"" |
            postgres --single -D "${PGDATA}" -j postgres >/dev/null
    fi
fi
exec postgres -D "${PGDATA}" -c listen_addresses='*' "$@"
