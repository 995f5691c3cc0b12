#!/usr/bin/env bash
# The insurance agency at database speed, in the seed's agency with 100 000 clients:
#  1. api.search_clients (pg_trgm + unaccent, RLS, as a collector through PostgREST's
#     authenticator): p50 / p95 latency over 60 queries with and without typos and accents,
#     one client (goal p95 <= 50 ms); and the same with 4 clients.
#  2. approvals per second, 8 managers at once (api.approve_proposal: the workflow, the
#     payment with its checks, the instalment and policy state, the receipt, the audit rows and
#     the events), each approval a different proposal; then every approved proposal has
#     exactly one payment and every instalment's paid equals the sum of its payments.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECS="${BENCH_SECONDS:-8}"
DIR="$BENCH_ROOT/bench/insurance"

echo "insurance: starting an isolated cluster (migrated, with the demo agency)…"
CIMIENTO_SEED_AGENCY=1 bench_db_up
started=$SECONDS
bench_psql postgres -f "$DIR/setup.sql" >/dev/null
echo "insurance: 100 000 clients and 30 000 pending collections loaded in $((SECONDS - started)) s"

# Per-transaction latencies (ms) of a pgbench run, from its log.
latencies() {
  local clients="$1" logdir
  logdir="$(mktemp -d)"
  "$PG_BIN/pgbench" -n -M prepared -h "$BENCH_SOCK" -p "$BENCH_PORT" -U authenticator -c "$clients" -j "$clients" -T "$SECS" \
    -l --log-prefix="$logdir/search" -f "$DIR/search.sql" cimiento >/dev/null 2>&1
  cat "$logdir"/search* | awk '{printf "%.3f\n", $3 / 1000}' | sort -n
  rm -rf "$logdir"
}
pct() { awk -v p="$1" '{a[NR]=$1} END {if (NR == 0) {print "n/a"; exit} i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; printf "%.1f\n", a[i]}'; }

for clients in 1 4; do
  lat="$(latencies "$clients")"
  p50="$(printf '%s\n' "$lat" | pct 50)"; p95="$(printf '%s\n' "$lat" | pct 95)"; n="$(printf '%s\n' "$lat" | wc -l)"
  printf '  search_clients, 100 000 clients, %d client(s): p50 %s ms, p95 %s ms (%s searches)\n' "$clients" "$p50" "$p95" "$n"
  if [ "$clients" = 1 ]; then
    bench_goal "insurance search_clients p95, 100 000 clients" "$p95" '<=' 50 ' ms'
  else
    bench_goal "insurance search_clients p95, 100 000 clients, 4 at once" "$p95" '' '' ' ms'
  fi
done
bench_psql authenticator -tA <<'SQL' | sed 's/^/  /'
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","tid":"00000000-0000-4000-8000-000000000003","sub":"00000000-0000-4000-8000-0000000000f4","sid":"00000000-0000-4000-8000-00000000bbbb","amr":["pwd"],"roles":["cobrador"],"branches":["00000000-0000-4000-8000-0000000000e1"],"grants":{"cobrador":["00000000-0000-4000-8000-0000000000e1"]}}', true) \g /dev/null
SELECT 'e.g. "guadalupe martines" → ' || string_agg(name || ' (' || round(score::numeric, 2) || ')', ', ') FROM (SELECT * FROM api.search_clients('guadalupe martines') LIMIT 3) s;
COMMIT;
SQL

tps="$(bench_tps authenticator "$DIR/approve.sql" 8 "$SECS")"
printf '  approvals, 8 managers at once: %s approvals/s\n' "$tps"
bench_goal "insurance approvals/s, 8 managers at once" "$tps" '' '' '/s'
bench_psql postgres -tA -c "
  SELECT 'insurance: ' || count(*) FILTER (WHERE x.status = 'approved') || ' approved, '
         || count(*) FILTER (WHERE x.status = 'approved' AND (SELECT count(*) FROM insurance.payments p WHERE p.tenant_id = x.tenant_id AND p.proposal_id = x.id) <> 1)
         || ' without exactly one payment; instalments whose paid differs from their payments: '
         || (SELECT count(*) FROM insurance.instalments i WHERE i.paid <> (SELECT coalesce(sum(p.amount), 0) FROM insurance.payments p
               WHERE p.tenant_id = i.tenant_id AND p.policy_id = i.policy_id AND p.instalment_no = i.no))
    FROM insurance.collection_proposals x"
