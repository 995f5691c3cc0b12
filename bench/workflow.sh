#!/usr/bin/env bash
# Workflow cost: the same single-row UPDATE of a state column (one statement per transaction,
# as PostgREST runs it: session user authenticator, role app_user, claims) on two identical
# RLS tables, (a) without and (b) with a workflow (check trigger: transition lookup,
# permission in the row's branch; history trigger: one history row). Rounds alternate; medians.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${BENCH_ROUNDS:-3}"; SECS="${BENCH_SECONDS:-8}"; CLIENTS="${BENCH_CLIENTS:-4}"
DIR="$BENCH_ROOT/bench/workflow"

echo "workflow: starting an isolated cluster and loading 2 × 100 000 rows…"
bench_db_up
bench_psql cimiento_owner -f "$DIR/setup.sql" >/dev/null

bench_alternate authenticator "$DIR/update_plain.sql" "$DIR/update_wf.sql"
a="$MEDIAN_A"; b="$MEDIAN_B"
echo "workflow: $CLIENTS clients, $ROUNDS alternating rounds of ${SECS}s (median transactions/s)"
printf '  state UPDATE   (a) plain %9s   (b) workflow %9s   b/a = %s (goal >= 0.8)\n' "$a" "$b" "$(ratio "$b" "$a")"
bench_goal "workflow transition ÷ plain UPDATE of the same column" "$(ratio "$b" "$a")" '>=' 0.8
bench_psql postgres -tA -c "SELECT 'workflow: ' || count(*) || ' transitions recorded, ' ||
  count(*) FILTER (WHERE transition = 'flip') || ' flips, ' || count(*) FILTER (WHERE transition = 'flop') || ' flops'
  FROM cimiento.workflow_history WHERE entity = 'bench_orders'"
