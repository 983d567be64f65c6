#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: a temporary directory, a Unix socket only (no
# TCP), trust authentication, run by an unprivileged user. Sourced by scripts/test.sh:
#   pg_cluster_start   installs PostgreSQL from Debian's packages when missing (as root),
#                      starts the cluster and exports FRONTDESK_TEST_PG_URL (and the paths the
#                      restart test needs);
#   pg_cluster_stop    stops it and removes the directory.

pg_bin_dir() {
  local found
  found="$(command -v initdb 2>/dev/null || true)"
  for dir in "${found%/initdb}" /usr/lib/postgresql/*/bin; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

# Runs a PostgreSQL program as the cluster's owner: PostgreSQL refuses to run as root.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$FRONTDESK_TEST_PG_OWNER" -- "$@"
  else
    "$@"
  fi
}

pg_cluster_start() {
  if ! pg_bin_dir >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -qq --no-install-recommends postgresql >/dev/null \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }
    else
      echo "scripts/test.sh: the PostgreSQL tests need PostgreSQL (initdb, pg_ctl); run as root to" >&2
      echo "install it from Debian's packages, or set FRONTDESK_SKIP_PG_TEST=1 to skip them." >&2
      return 1
    fi
  fi
  local bin
  bin="$(pg_bin_dir)"
  FRONTDESK_TEST_PG_OWNER="$(id -un)"
  [ "$(id -u)" = 0 ] && FRONTDESK_TEST_PG_OWNER=nobody
  PG_TEST_DIR="$(mktemp -d /tmp/frontdesk-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown "$FRONTDESK_TEST_PG_OWNER" "$PG_TEST_DIR"
  pg_as_owner "$bin/initdb" -D "$PG_TEST_DIR/data" -U frontdesk --auth=trust --no-locale \
    -E UTF8 >"$PG_TEST_DIR/initdb.log" 2>&1 \
    || { cat "$PG_TEST_DIR/initdb.log" >&2; return 1; }
  pg_as_owner "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
    -o "-k $PG_TEST_DIR -c listen_addresses= -p 5433 -c max_connections=200" start >/dev/null \
    || { cat "$PG_TEST_DIR/server.log" >&2; return 1; }
  export FRONTDESK_TEST_PG_URL="postgresql:///postgres?host=$PG_TEST_DIR&port=5433&user=frontdesk"
  export FRONTDESK_TEST_PG_BIN="$bin" FRONTDESK_TEST_PG_DATA="$PG_TEST_DIR/data"
  export FRONTDESK_TEST_PG_OWNER PG_TEST_DIR
}

pg_cluster_stop() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR" ]; then
    pg_as_owner "$FRONTDESK_TEST_PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop \
      >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
