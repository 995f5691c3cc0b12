#!/usr/bin/env bash
# Commerce at database speed, in the seed's shop:
#  1. sales per second through api.create_sale (5 lines, 16 clients, as PostgREST runs it:
#     authenticator, app_user, the admin's claims) ÷ inserting the same rows (sale, lines,
#     payment, movements, document and its lines) into copies of the tables with no rules —
#     no RLS, triggers, stock checks, numbering or audit (goal >= 0.5). Rounds alternate.
#  2. every commerce report on 1 000 000 sale lines in one tenant, as the tenant admin
#     (whole tenant) and as one branch (goal: each under 200 ms; median of 3).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${BENCH_ROUNDS:-3}"; SECS="${BENCH_SECONDS:-8}"; CLIENTS="${BENCH_CLIENTS:-16}"
DIR="$BENCH_ROOT/bench/commerce"

echo "commerce: starting an isolated cluster (migrated, with the demo shop)…"
bench_db_up
bench_psql postgres -f "$DIR/setup.sql" >/dev/null

bench_alternate authenticator "$DIR/sale_plain.sql" "$DIR/sale_rules.sql"
a="$MEDIAN_A"; b="$MEDIAN_B"
echo "commerce: $CLIENTS clients, $ROUNDS alternating rounds of ${SECS}s (median transactions/s)"
printf '  5-line sale   (a) rows, no rules %9s   (b) api.create_sale %9s   b/a = %s (goal >= 0.5)\n' "$a" "$b" "$(ratio "$b" "$a")"
bench_goal "sales/s through api.create_sale (5 lines, $CLIENTS clients) ÷ the same rows with no rules" "$(ratio "$b" "$a")" '>=' 0.5
bench_psql postgres -tA -c "SELECT 'commerce: ' || (SELECT count(*) FROM commerce.sales) || ' sales, stock levels ' ||
  CASE WHEN bool_and(s.quantity = (SELECT sum(m.quantity) FROM commerce.inventory_movements m WHERE m.tenant_id = s.tenant_id
       AND m.product_id = s.product_id AND m.location_id = s.location_id)) THEN 'equal' ELSE 'DIFFER from' END || ' the ledger, ' ||
  (SELECT CASE WHEN max(number) = count(*) THEN 'gapless' ELSE 'GAPS in' END FROM billing.invoices WHERE series_code = 'T001') || ' T001'
  FROM commerce.stock_levels s"

echo "commerce: loading 200 000 sales / 1 000 000 sale lines…"
started=$SECONDS
bench_psql postgres -f "$DIR/reports_setup.sql" >/dev/null
echo "commerce: loaded in $((SECONDS - started)) s"
bench_psql postgres -tA -c "SELECT 'commerce: the sales reports read reports.sold_by_day, ' || count(*) || ' rows (branch × day × product)' FROM reports.sold_by_day WHERE tenant_id = '00000000-0000-4000-8000-000000000002'"

claims_all='{"role":"app_user","tid":"00000000-0000-4000-8000-000000000002","sub":"00000000-0000-4000-8000-0000000000d1","roles":["admin"],"branches":["*"],"grants":{"admin":["*"]}}'
claims_b1='{"role":"app_user","tid":"00000000-0000-4000-8000-000000000002","sub":"00000000-0000-4000-8000-0000000000d1","roles":["admin"],"branches":["00000000-0000-4000-8000-0000000000c1"],"grants":{"admin":["00000000-0000-4000-8000-0000000000c1"]}}'
time_query() {
  bench_psql authenticator -tA <<SQL | awk '/Execution Time/ {print $3}'
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '$1', true) \\g /dev/null
EXPLAIN (ANALYZE, FORMAT TEXT) $2;
COMMIT;
SQL
}
report() {
  local name="$1" sql="$2" a b
  a="$(for i in 1 2 3; do time_query "$claims_all" "$sql"; done | median)"
  b="$(for i in 1 2 3; do time_query "$claims_b1" "$sql"; done | median)"
  bench_goal "commerce report \"$name\", 1M sale lines, whole tenant" "$a" '<=' 200 ' ms'
  printf '  %-44s whole tenant %8.1f ms   one branch %8.1f ms\n' "$name" "$a" "$b"
}
product="$(bench_psql postgres -tA -c "SELECT id FROM commerce.products WHERE sku = 'P0001' AND tenant_id = '00000000-0000-4000-8000-000000000002'")"
report "sales by day, last 30 days"      "SELECT * FROM api.report_sales_by_day WHERE day >= current_date - 30"
report "sales by day, all"               "SELECT * FROM api.report_sales_by_day"
report "sales by branch (per month)"     "SELECT * FROM api.report_sales_by_branch"
report "sales by product"                "SELECT * FROM api.report_sales_by_product"
report "sales by category"               "SELECT * FROM api.report_sales_by_category"
report "top 10 products"                 "SELECT * FROM api.report_top_products ORDER BY rank_by_revenue LIMIT 10"
report "top 10 customers"                "SELECT * FROM api.report_top_customers ORDER BY rank_by_total LIMIT 10"
report "margin (per branch and month)"   "SELECT * FROM api.report_margin"
report "stock valuation"                 "SELECT * FROM api.report_stock_valuation"
report "low stock"                       "SELECT * FROM api.report_low_stock"
report "slow movers (30 days)"           "SELECT * FROM api.report_slow_movers(30)"
report "a product's ledger"              "SELECT * FROM api.report_product_ledger('$product')"
