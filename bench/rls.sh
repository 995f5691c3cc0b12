#!/usr/bin/env bash
# Tenant isolation cost: the same queries through RLS with the cimiento helpers (claims set
# as PostgREST sets them, session user `authenticator`, role app_user) against a role with
# RLS off (BYPASSRLS) and an explicit `WHERE tenant_id = …`. 1M rows, 100 tenants.
# Rounds alternate the two variants; each figure is the median of the rounds.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${BENCH_ROUNDS:-9}"; SECS="${BENCH_SECONDS:-5}"; CLIENTS="${BENCH_CLIENTS:-4}"
DIR="$BENCH_ROOT/bench/rls"

echo "rls: starting an isolated cluster and loading 1M rows across 100 tenants…"
bench_db_up
bench_psql postgres -c "CREATE ROLE bench_norls NOLOGIN BYPASSRLS; GRANT bench_norls TO authenticator;" >/dev/null
bench_psql postgres -f "$DIR/setup.sql" >/dev/null

run_pair() { # name rls_script explicit_script [goal]
  bench_alternate authenticator "$DIR/$2" "$DIR/$3"
  printf '  %-26s RLS %10s tps   explicit %10s tps   RLS/explicit = %s\n' "$1" "$MEDIAN_A" "$MEDIAN_B" "$(ratio "$MEDIAN_A" "$MEDIAN_B")"
  [ -z "${4:-}" ] || bench_goal "RLS $1 ÷ explicit filter with RLS off" "$(ratio "$MEDIAN_A" "$MEDIAN_B")" '>=' "$4"
}

echo "rls: $CLIENTS clients, $ROUNDS alternating rounds of ${SECS}s each (median tps)"
run_pair "indexed read by id" read_rls.sql read_explicit.sql 0.95
run_pair "tenant-wide count(*)" count_rls.sql count_explicit.sql

# How many times the helper runs per statement. Function tracking is switched on only now:
# the timed runs above measure the default configuration (track_functions = none), in which
# no call of the helper is instrumented.
bench_psql postgres -c "ALTER SYSTEM SET track_functions = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
calls() {
  bench_psql authenticator -tA <<SQL | tail -n 1
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","roles":["admin"],"branches":["*"],"grants":{"admin":["*"]},"tid":"00000000-0000-4000-8000-000000000007"}', true) \\g /dev/null
$1 \\g /dev/null
SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE schemaname = 'cimiento' AND funcname = 'current_tenant';
COMMIT;
SQL
}
echo "rls: cimiento.current_tenant() calls per statement: indexed read $(calls 'SELECT amount FROM bench.items WHERE id = 42'), tenant-wide count over 10000 rows $(calls 'SELECT count(*) FROM bench.items')"
