#!/usr/bin/env bash
# pgTAP tier: starts an isolated, freshly migrated cluster (temp folder, free port), runs
# pg_prove over sql/tests/*.sql as the bootstrap superuser (tests switch to each role
# themselves, as PostgREST does), and stops the cluster whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CIMIENTO_STATE_DIR="$(mktemp -d /tmp/cimiento-sqltest-XXXXXX)"
export CIMIENTO_PG_PORT="$(bash "$ROOT/scripts/stack.sh" free-port)"
export CIMIENTO_ONLY_DB=1
cleanup() { bash "$ROOT/scripts/stack.sh" down >/dev/null 2>&1 || true; rm -rf "$CIMIENTO_STATE_DIR"; }
trap cleanup EXIT
bash "$ROOT/scripts/stack.sh" up >/dev/null
SOCK="$CIMIENTO_STATE_DIR/pgsock"
# The committed schema snapshot must be what the migrations produce (before pgTAP and the
# fixtures add their own objects).
bash "$ROOT/scripts/schema.sh" check
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$CIMIENTO_PG_PORT" -U postgres -d cimiento)
# pg_cron is live in this cluster: a nightly job (cimiento.jobs) whose minute comes while the
# tier runs would change the committed fixtures under the tests (CI once ran at 03:15 UTC, and
# academy_overdue stored the overdue status that 160_scheduled_jobs then expected to set
# itself). The throwaway cluster keeps its schedules but pauses them; tests run jobs by hand.
"${PSQL[@]}" -c 'UPDATE cron.job SET active = false'
"${PSQL[@]}" -c 'create extension if not exists pgtap'
# Helpers (how PostgREST authenticates) and fixtures (three tenants) are committed once;
# every test file runs in its own transaction and rolls back.
for f in "$ROOT"/sql/tests/helpers/*.sql "$ROOT"/sql/tests/fixtures/*.sql; do
  # fixtures that switch roles need a transaction (SET LOCAL)
  "${PSQL[@]}" -1 -f "$f" >/dev/null || { echo "loading $f failed" >&2; exit 1; }
done
if [ $# -gt 0 ]; then files=("$@"); else files=("$ROOT"/sql/tests/*.sql); fi
pg_prove --failures -h "$SOCK" -p "$CIMIENTO_PG_PORT" -U postgres -d cimiento "${files[@]}"
