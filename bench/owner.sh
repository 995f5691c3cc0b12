#!/usr/bin/env bash
# Owner scope cost: a collector's read of "their" visits through RLS (tenant isolation + the
# owner scope of cimiento.enable_owner_scope, claims as PostgREST sets them) against a
# BYPASSRLS role with the explicit `WHERE tenant_id = … AND collector_id = …`, each transaction
# with the same claims statement (PostgREST sends it either way). 1M rows,
# 100 tenants, 50 collectors each, an index on (tenant_id, collector_id). Rounds alternate.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${BENCH_ROUNDS:-3}"; SECS="${BENCH_SECONDS:-8}"; CLIENTS="${BENCH_CLIENTS:-4}"
DIR="$BENCH_ROOT/bench/owner"

echo "owner: starting an isolated cluster and loading 1M visits across 100 tenants…"
bench_db_up
bench_psql postgres -c "CREATE ROLE bench_norls NOLOGIN BYPASSRLS; GRANT bench_norls TO authenticator;" >/dev/null
bench_psql postgres -f "$DIR/setup.sql" >/dev/null

bench_alternate authenticator "$DIR/read_scoped.sql" "$DIR/read_explicit.sql"
a="$MEDIAN_A"; b="$MEDIAN_B"
echo "owner: $CLIENTS clients, $ROUNDS alternating rounds of ${SECS}s (median transactions/s)"
printf '  own visits (200 of 10 000)   owner scope %9s   explicit, RLS off %9s   scoped/explicit = %s (goal >= 0.95)\n' \
  "$a" "$b" "$(ratio "$a" "$b")"
bench_goal "owner-scoped read ÷ explicit WHERE owner with RLS off" "$(ratio "$a" "$b")" '>=' 0.95
plan="$(bench_psql authenticator -tA <<'SQL' | grep -c 'BitmapOr' || true
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","roles":["collector"],"branches":["*"],"grants":{"collector":["*"]},"tid":"00000000-0000-4000-8000-000000000007","sub":"00000000-0000-4000-a000-000000000703"}', true) \g /dev/null
EXPLAIN (COSTS OFF) SELECT count(*), sum(amount) FROM bench.visits;
COMMIT;
SQL
)"
echo "owner: the scoped plan answers each arm from an index (BitmapOr): $([ "$plan" -gt 0 ] && echo yes || echo NO)"
