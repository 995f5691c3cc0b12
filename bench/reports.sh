#!/usr/bin/env bash
# Report views on 1 000 000 payments / 100 000 enrollments / 1 000 000 attendance records in
# one tenant, queried as PostgREST queries them (authenticator, app_user, the tenant admin's
# claims: RLS and the helpers apply) — the whole tenant and one branch. Median of 3 runs.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DIR="$BENCH_ROOT/bench/reports"
echo "reports: starting an isolated cluster and loading 1M payments, 100k enrollments, 1M attendance records…"
bench_db_up
started=$SECONDS
bench_psql postgres -f "$DIR/setup.sql" >/dev/null
echo "reports: data loaded in $((SECONDS - started)) s"

# As PostgREST passes them: each role with the branches it was granted for.
claims_all='{"role":"app_user","tid":"00000000-0000-4000-8000-00000000ec01","sub":"00000000-0000-4000-8000-00000000ee01","roles":["admin"],"branches":["*"],"grants":{"admin":["*"]}}'
claims_b1='{"role":"app_user","tid":"00000000-0000-4000-8000-00000000ec01","sub":"00000000-0000-4000-8000-00000000ee01","roles":["admin"],"branches":["00000000-0000-4000-8000-0000000eb001"],"grants":{"admin":["00000000-0000-4000-8000-0000000eb001"]}}'

# Milliseconds of one query as the caller (EXPLAIN ANALYZE execution time).
time_query() {
  local claims="$1" sql="$2"
  bench_psql authenticator -tA <<SQL | awk '/Execution Time/ {print $3}'
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '$claims', true) \\g /dev/null
EXPLAIN (ANALYZE, FORMAT TEXT) $sql;
COMMIT;
SQL
}

rows() {
  bench_psql authenticator -tA <<SQL | tail -n 1
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '$1', true) \\g /dev/null
SELECT count(*) FROM ($2) q;
COMMIT;
SQL
}

SLOWEST=0
report() {
  local name="$1" sql="$2" a b
  a="$(for i in 1 2 3; do time_query "$claims_all" "$sql"; done | median)"
  b="$(for i in 1 2 3; do time_query "$claims_b1" "$sql"; done | median)"
  SLOWEST="$(awk -v s="$SLOWEST" -v a="$a" -v b="$b" 'BEGIN { m = s; if (a > m) m = a; if (b > m) m = b; print m }')"
  [ -z "${3:-}" ] || bench_goal "report \"$name\", 1M rows, whole tenant" "$a" '<=' "$3" ' ms'
  printf '  %-50s whole tenant %8.1f ms (%6s rows)   one branch %8.1f ms (%6s rows)\n' \
    "$name" "$a" "$(rows "$claims_all" "$sql")" "$b" "$(rows "$claims_b1" "$sql")"
}

echo "reports: median execution time of 3 runs (rows the caller sees)"
visible_payments="$(rows "$claims_all" "SELECT * FROM api.payments")"
echo "  rows visible to the tenant admin: payments $visible_payments, enrollments $(rows "$claims_all" "SELECT * FROM api.enrollments"), attendance $(rows "$claims_all" "SELECT * FROM api.attendance")"
# Timing queries that see nothing would measure nothing.
[ "${visible_payments:-0}" -gt 0 ] || { echo "reports: the tenant admin sees no payments: the claims are not accepted" >&2; exit 1; }
report "revenue by branch and month (all months)" "SELECT * FROM api.report_revenue_by_branch_month"
report "revenue, last 3 months" "SELECT * FROM api.report_revenue_by_branch_month WHERE month >= date_trunc('month', current_date) - interval '2 months'" 50
report "aging summary (buckets per branch)" "SELECT * FROM api.report_aging_summary"
report "outstanding balances, 90+ bucket, first 50" "SELECT * FROM api.report_outstanding_balances WHERE aging_bucket = '90+' ORDER BY days_overdue DESC LIMIT 50"
report "attendance rate per course" "SELECT * FROM api.report_course_attendance"
report "attendance rate of one course, per student" "SELECT * FROM api.report_attendance_rate WHERE course_code = 'C17'"
report "enrollments and fill rate per course" "SELECT * FROM api.report_enrollments_per_course"
bench_goal "slowest report on 1M rows per tenant" "$SLOWEST" '<=' 200 ' ms'
