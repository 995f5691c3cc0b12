#!/usr/bin/env bash
# pgTAP tier: starts an isolated, freshly migrated cluster (temp folder, free port), runs
# pg_prove over sql/tests/*.sql as the bootstrap superuser (tests switch to each role
# themselves, as PostgREST does), and stops the cluster whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export CIMIENTO_STATE_DIR="$(mktemp -d /tmp/cimiento-sqltest-XXXXXX)"
export CIMIENTO_PG_PORT="$(free_port)"
export CIMIENTO_ONLY_DB=1
cleanup() { bash "$ROOT/scripts/stack.sh" down >/dev/null 2>&1 || true; rm -rf "$CIMIENTO_STATE_DIR"; }
trap cleanup EXIT
bash "$ROOT/scripts/stack.sh" up >/dev/null
SOCK="$CIMIENTO_STATE_DIR/pgsock"
psql -X -q -h "$SOCK" -p "$CIMIENTO_PG_PORT" -U postgres -d cimiento -c 'create extension if not exists pgtap'
pg_prove --failures --comments -h "$SOCK" -p "$CIMIENTO_PG_PORT" -U postgres -d cimiento "${@:-$ROOT/sql/tests/}"
