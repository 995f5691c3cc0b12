#!/usr/bin/env bash
# The current schema in one place: sql/schema.sql is `pg_dump --schema-only` of a freshly
# migrated database (every object as the migrations leave it, with owners and grants), so a
# reader finds the current definition of anything even after later migrations replaced it.
#
#   schema.sh write   start an isolated cluster, migrate, rewrite sql/schema.sql
#   schema.sh check   the same dump, compared with sql/schema.sql: fails with the diff when a
#                     migration changed the schema and the snapshot was not updated
#                     (`make schema` updates it). test-sql.sh runs it on its fresh cluster.
#
# With CIMIENTO_STATE_DIR and CIMIENTO_PG_PORT of a running, freshly migrated cluster it
# dumps that one instead of starting its own. Volatile lines (pg_dump's version banner and
# the per-run \restrict key of recent minor releases) are left out.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SNAPSHOT="$ROOT/sql/schema.sql"
mode="${1:-check}"
case "$mode" in write|check) ;; *) echo "usage: $0 write|check" >&2; exit 2 ;; esac

if [ -z "${CIMIENTO_STATE_DIR:-}" ] || [ ! -S "$CIMIENTO_STATE_DIR/pgsock/.s.PGSQL.${CIMIENTO_PG_PORT:-}" ]; then
  export CIMIENTO_STATE_DIR="$(mktemp -d /tmp/cimiento-schema-XXXXXX)"
  export CIMIENTO_PG_PORT="$(bash "$ROOT/scripts/stack.sh" free-port)"
  export CIMIENTO_ONLY_DB=1
  cleanup() { bash "$ROOT/scripts/stack.sh" down >/dev/null 2>&1 || true; rm -rf "$CIMIENTO_STATE_DIR"; }
  trap cleanup EXIT
  bash "$ROOT/scripts/stack.sh" up >/dev/null
fi

dump() {
  /usr/lib/postgresql/15/bin/pg_dump --schema-only -h "$CIMIENTO_STATE_DIR/pgsock" -p "$CIMIENTO_PG_PORT" -U postgres cimiento \
    | grep -v -E '^-- Dumped (from|by) |^\\(un)?restrict ' \
    | cat -s
}

if [ "$mode" = write ]; then
  dump >"$SNAPSHOT"
  echo "schema: wrote sql/schema.sql ($(grep -c '^CREATE' "$SNAPSHOT") CREATE statements)"
else
  current="$(mktemp)"; dump >"$current"
  if diff -u --label sql/schema.sql --label "fresh migration" "$SNAPSHOT" "$current" >"$current.diff"; then
    echo "schema: sql/schema.sql matches a fresh migration"
    rm -f "$current" "$current.diff"
  else
    head -80 "$current.diff"
    echo "schema: sql/schema.sql differs from a fresh migration ($(grep -c '^[-+][^-+]' "$current.diff") lines): run \`make schema\` and commit it" >&2
    rm -f "$current" "$current.diff"
    exit 1
  fi
fi
