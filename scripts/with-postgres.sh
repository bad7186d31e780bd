#!/usr/bin/env bash
# Runs CMD... against a throwaway PostgreSQL server, then stops it and deletes it.
#
#   scripts/with-postgres.sh cargo test -p workmail-org-stores
#
# The cluster lives in a new temporary directory and listens on a unix socket there only
# (no TCP), with trust authentication; CMD gets its address as
#   DATABASE_URL=postgresql://postgres@/postgres?host=DIR
# and as PGHOST, PGUSER and PGDATABASE for psql. With WITH_POSTGRES_PORT=N set, the server
# also listens on 127.0.0.1:N and DATABASE_URL names that address instead.
#
# The server refuses to run as root, so as root (CI) the directory belongs to the `postgres`
# user and initdb and pg_ctl run as that user through runuser. Binaries come from
# `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin (Debian's postgresql
# package). Whatever CMD does, an EXIT trap stops the server and deletes the directory; the
# script exits with CMD's status.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    bindir="$(pg_config --bindir)"
else
    while IFS= read -r candidate; do
        if [ -x "$candidate/initdb" ]; then bindir="$candidate"; fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
fi
if [ -z "$bindir" ]; then
    echo "with-postgres: no PostgreSQL server binaries (initdb, pg_ctl) found;" \
        "install the server (Debian: apt-get install postgresql)" >&2
    exit 127
fi

if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "with-postgres: running as root needs the system user 'postgres' to own the server" >&2
        exit 1
    fi
    as_server() { runuser -u postgres -- "$@"; }
else
    as_server() { "$@"; }
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXX")"
data="$dir/data"

cleanup() {
    if [ -f "$data/postmaster.pid" ]; then
        as_server "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The socket directory must be traversable by the client, whoever runs it.
chmod 755 "$dir"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

as_server "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
}

listen="''"
url="postgresql://postgres@/postgres?host=$dir"
port="${WITH_POSTGRES_PORT:-5432}"
if [ -n "${WITH_POSTGRES_PORT:-}" ]; then
    listen="127.0.0.1"
    url="postgresql://postgres@127.0.0.1:$port/postgres"
fi

as_server "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses=$listen -p $port" start >/dev/null || {
    echo "with-postgres: the server did not start; its log:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
}

export DATABASE_URL="$url"
export PGHOST="$dir" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
echo "with-postgres: PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') at $DATABASE_URL" >&2

status=0
"$@" || status=$?
exit "$status"
