#!/usr/bin/env bash
# Issuing with the fiscal record ÷ issuing without it: invoices per second, 16 clients, one
# series and one issuer, the same transaction (insert a draft with 3 lines, issue it,
# commit) as the migration owner, in a tenant with a Spanish fiscal profile (the registro de
# alta is chained under the issuer's lock and queued) and in an identical tenant without.
# Rounds alternate the two, each started once the audit sealer has caught up (otherwise a
# round pays for sealing the previous round's rows, the other side's); each figure is the
# median of the rounds. Goal >= 0.8.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${BENCH_ROUNDS:-7}"; SECS="${BENCH_SECONDS:-8}"; CLIENTS="${BENCH_CLIENTS:-16}"

echo "fiscal: starting an isolated cluster…"
bench_db_up
SCRIPTS="$CIMIENTO_STATE_DIR/scripts"
mkdir -p "$SCRIPTS"
issue="UPDATE billing.invoices SET status = 'issued' WHERE tenant_id = :tenant::uuid AND id = :id::uuid;"
{ printf '\\set line random(1, 1000)\nBEGIN;\n'; cat "$BENCH_ROOT/bench/numbering/body.sql"; echo "$issue"; echo "COMMIT;"; } >"$SCRIPTS/issue.sql"
bench_psql cimiento_owner -f "$BENCH_ROOT/bench/fiscal/setup.sql" >/dev/null

declare -A runs
one() { bench_quiesce; bench_tps cimiento_owner "$SCRIPTS/issue.sql" "$CLIENTS" "$SECS" -D tenant="$1" -D branch="$2" -D code=ONE; }
for r in $(seq 1 "$ROUNDS"); do
  runs[with]+="$(one 00000000-0000-4000-8000-00000000fe01 00000000-0000-4000-8000-00000000fb01) "
  runs[without]+="$(one 00000000-0000-4000-8000-00000000fe02 00000000-0000-4000-8000-00000000fb02) "
done
m_with="$(printf '%s\n' ${runs[with]} | median)"; m_without="$(printf '%s\n' ${runs[without]} | median)"
echo "fiscal: $CLIENTS clients, one series and one issuer, $ROUNDS alternating rounds of ${SECS}s (median invoices/s)"
printf '  with the VERI*FACTU record      %10s /s\n' "$m_with"
printf '  without (no fiscal profile)     %10s /s\n' "$m_without"
bench_goal "issuing with the fiscal record ÷ without, $CLIENTS clients, one issuer" "$(ratio "$m_with" "$m_without")" '>=' 0.8

# Every record the benchmark wrote is in one unbroken chain.
bench_psql cimiento_owner -tA -c "
  SELECT 'fiscal: chain ' || issuer_tax_id || CASE WHEN ok THEN ' verifies, ' ELSE ' BROKEN at ' || broken_position || ' (' || field || '), ' END
         || records || ' records for ' || (SELECT count(*) FROM billing.invoices WHERE tenant_id = '00000000-0000-4000-8000-00000000fe01' AND number IS NOT NULL) || ' invoices'
    FROM fiscal.verify_chain('00000000-0000-4000-8000-00000000fe01')"
