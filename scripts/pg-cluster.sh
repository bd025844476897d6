#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the server tests on PostgreSQL (`.ci/run` uses it; see README, Tests).
#
#   scripts/pg-cluster.sh start <dir> <port>   create the cluster in <dir> if needed, start it on 127.0.0.1:<port>
#                                              (socket in <dir>), wait until it accepts connections, and print
#                                              its URL on stdout: postgres://postgres@127.0.0.1:<port>/postgres
#   scripts/pg-cluster.sh stop <dir>           stop it (nothing to do when it is not running)
#
# The cluster trusts every local connection (socket and loopback, no password) and trades durability for
# speed (fsync, synchronous_commit and full_page_writes off): it is for tests only, never for data you keep.
# max_connections is 300, so that several test servers with their own pools can run at once.
#
# start on a <dir> that already holds a cluster reuses it (its data is kept, the port is set again); when that
# cluster is already running on the same port, start only prints its URL; on another port it fails. start
# refuses a <dir> that is neither empty nor a cluster. Remove <dir> after stop to throw the cluster away.
#
# The binaries are taken from /usr/lib/postgresql/<version>/bin (the highest version; Debian's `postgresql`
# package). As root, initdb and the server run as the `postgres` system user (PostgreSQL refuses to run as
# root) and <dir> is given to it; otherwise they run as the current user. Log lines go to stderr, and the
# server's own log to <dir>/server.log.
set -euo pipefail

log() { printf 'pg-cluster: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
usage() {
  printf 'usage: %s start <dir> <port>\n       %s stop <dir>\n' "$0" "$0" >&2
  exit 2
}

# The highest installed version's bin directory (sort -V: 9.6 < 10 < 15 < 16).
find_bindir() {
  local initdb
  initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | grep -v '\*' | sort -V | tail -n 1 || true)
  if [ -z "$initdb" ] || [ ! -x "$initdb" ]; then
    die "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb (on Debian: apt-get install -y postgresql)"
  fi
  dirname "$initdb"
}

# Runs a PostgreSQL program as the cluster's owner: `postgres` when we are root, else ourselves. From /, so
# that a working directory the postgres user may not enter does not matter.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Standard input into a file of the cluster, written as its owner (replaced, or appended to with `append`).
owner_write() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner sh
  if [ "${2:-}" = append ]; then as_owner sh -c 'cat >> "$1"' sh "$1"; else as_owner sh -c 'cat > "$1"' sh "$1"; fi
}

# The port the running server of <dir> listens on (line 4 of postmaster.pid), or nothing.
running_port() {
  if [ -f "$1/postmaster.pid" ] && as_owner "$BINDIR/pg_ctl" status -D "$1" >/dev/null 2>&1; then
    sed -n 4p "$1/postmaster.pid"
  fi
}

wait_ready() {
  local port=$1
  for _ in $(seq 1 60); do
    if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U postgres; then
      return 0
    fi
    sleep 0.5
  done
  die "the server on 127.0.0.1:$port does not accept connections after 30 s (see $DIR/server.log)"
}

start() {
  local port=$1
  case "$port" in
    '' | *[!0-9]*) die "the port must be a number, not '$port'" ;;
  esac
  if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    die "the port must be between 1 and 65535, not $port"
  fi

  if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' system user to run PostgreSQL as"
  fi

  local running
  running=$(running_port "$DIR")
  if [ -n "$running" ]; then
    [ "$running" = "$port" ] || die "the cluster in $DIR is already running on port $running, not $port (stop it first)"
    log "the cluster in $DIR is already running on 127.0.0.1:$port"
    wait_ready "$port"
    printf 'postgres://postgres@127.0.0.1:%s/postgres\n' "$port"
    return 0
  fi

  mkdir -p "$DIR"
  if [ ! -f "$DIR/PG_VERSION" ] && [ -n "$(ls -A "$DIR")" ]; then
    die "$DIR is neither empty nor a PostgreSQL cluster; choose an empty or new directory"
  fi
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres:postgres "$DIR"
    runuser -u postgres -- test -w "$DIR" -a -x "$DIR" ||
      die "the postgres user cannot enter $DIR: make its parent directories searchable (chmod o+x) or choose another place"
  fi
  chmod 700 "$DIR"

  if [ -f "$DIR/PG_VERSION" ]; then
    log "reusing the cluster in $DIR (PostgreSQL $(cat "$DIR/PG_VERSION"))"
  else
    log "creating a throw-away cluster in $DIR with $BINDIR/initdb"
    # trust for the socket and loopback (written below); UTF-8 and the C locale whatever the machine's locale
    local out
    if ! out=$(as_owner "$BINDIR/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync 2>&1); then
      printf '%s\n' "$out" >&2
      die "initdb failed in $DIR"
    fi
    owner_write "$DIR/pg_hba.conf" <<'EOF'
# throw-away test cluster (scripts/pg-cluster.sh): trust on the socket and on loopback only
local   all             all                                     trust
host    all             all             127.0.0.1/32            trust
host    all             all             ::1/128                 trust
local   replication     all                                     trust
host    replication     all             127.0.0.1/32            trust
EOF
    printf "\ninclude_if_exists = 'pg-cluster.conf'\n" | owner_write "$DIR/postgresql.conf" append
  fi

  # Written at every start, so that a reused cluster takes the port it is started on.
  local socketdir=${DIR//\'/\'\'}
  owner_write "$DIR/pg-cluster.conf" <<EOF
# written by scripts/pg-cluster.sh at every start: a throw-away cluster for tests
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$socketdir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  log "starting PostgreSQL on 127.0.0.1:$port (socket in $DIR, log in $DIR/server.log)"
  if ! as_owner "$BINDIR/pg_ctl" start -D "$DIR" -l "$DIR/server.log" -w -t 60 >&2; then
    log "the server did not start; the end of $DIR/server.log:"
    tail -n 20 "$DIR/server.log" >&2 || true
    exit 1
  fi
  wait_ready "$port"
  log "ready"
  printf 'postgres://postgres@127.0.0.1:%s/postgres\n' "$port"
}

stop() {
  if [ ! -f "$DIR/PG_VERSION" ]; then
    log "no cluster in $DIR: nothing to stop"
    return 0
  fi
  if [ -z "$(running_port "$DIR")" ]; then
    log "the cluster in $DIR is not running"
    return 0
  fi
  log "stopping the cluster in $DIR"
  as_owner "$BINDIR/pg_ctl" stop -D "$DIR" -m fast -w -t 60 >&2
}

[ $# -ge 2 ] || usage
cmd=$1
# An absolute path: the server runs from /, and the socket directory must be absolute.
DIR=$(realpath -m -- "$2")
BINDIR=$(find_bindir)
case "$cmd" in
  start)
    [ $# -eq 3 ] || usage
    start "$3"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    stop
    ;;
  *) usage ;;
esac
