#!/usr/bin/env bash
# The audit trail's bound with its sealing included (not part of `make bench`; ~10 min):
#   bash bench/audit/sealed.sh
# bench/audit.sh's (f) writes the trail row into a copy of the log, which the sealer never
# reads: its bound leaves out the sealing every audited row costs on the same 2 cores. Here,
# bench/audit.sh's single-row INSERT and UPDATE (4 clients) on four identical tables:
#   (a) no trigger                  (b) the cimiento audit trigger
#   (f) bench/audit.sh's (f): the statement writes the trail row into its own copy of the
#       log with every index, under the no-op C trigger (contrib lo's lo_manage)
#   (g) the same statement and trigger, the row written into audit.log itself: run as the
#       log's owner (as the trigger's insert is), the log's insert policy applies and the
#       sealer seals these rows as it seals (b)'s
# g/a is the bound of b/a for a trigger that writes this trail with SQL, sealing included;
# b/g is what cimiento's trigger machinery costs beyond it (its SPI statement, role switch
# and pinned search path). (b) and (g) fill the same log, so this script's b/a runs on a log
# growing twice as fast as bench/audit.sh's: compare b/a with g/a here, not with audit.sh.
# Rounds alternate; medians; every run from a quiesced cluster (what was written so far
# sealed, a checkpoint just taken).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
ROUNDS="${BENCH_ROUNDS:-5}"; SECS="${BENCH_SECONDS:-8}"; CLIENTS="${BENCH_CLIENTS:-4}"
DIR="$BENCH_ROOT/bench/audit"
echo "audit sealed bound: starting an isolated cluster…"
bench_db_up
bench_psql postgres -f "$DIR/setup.sql" >/dev/null
# Bench cluster only: authenticator may take the log owner's role here, never in `make up`'s.
bench_psql postgres >/dev/null <<'SQL'
CREATE TABLE bench.items_sealed (LIKE bench.items_plain INCLUDING ALL);
INSERT INTO bench.items_sealed SELECT * FROM bench.items_plain;
CREATE SEQUENCE bench.items_sealed_seq START 100001;
GRANT audit_owner TO authenticator;
GRANT USAGE ON SCHEMA bench TO audit_owner;
GRANT SELECT, INSERT, UPDATE ON bench.items_sealed TO audit_owner;
GRANT USAGE ON SEQUENCE bench.items_sealed_seq TO audit_owner;
CREATE TRIGGER cheapest AFTER INSERT OR UPDATE ON bench.items_sealed
  FOR EACH ROW EXECUTE FUNCTION lo_manage('name');
VACUUM ANALYZE;
SQL

GEN="$CIMIENTO_STATE_DIR/scripts"
mkdir -p "$GEN"
for op in insert update; do
  cp "$DIR/${op}_plain.sql" "$DIR/${op}_cimiento.sql" "$GEN/"
  sed -e 's/items_floor/items_bound/g; s/bench\.trail_copy/bench.trail_bound/' "$DIR/${op}_floor.sql" >"$GEN/${op}_bound.sql"
  sed -e 's/items_floor/items_sealed/g; s/bench\.trail_copy/audit.log/; s/SET LOCAL ROLE app_user/SET LOCAL ROLE audit_owner/' \
    "$DIR/${op}_floor.sql" >"$GEN/${op}_sealed.sql"
done

VARIANTS="plain cimiento bound sealed" # (a) (b) (f) (g)
bench_op_rounds authenticator $VARIANTS
echo "audit sealed bound: $CLIENTS clients, $ROUNDS alternating rounds of ${SECS}s (median transactions/s)"
for op in insert update; do
  declare -A m=() w=()
  for t in $VARIANTS; do
    m[$t]="$(printf '%s\n' ${RUNS[$op$t]} | median)"
    w[$t]="$(printf '%s\n' ${WALS[$op$t]} | median)"
  done
  a="${m[plain]}" b="${m[cimiento]}" f="${m[bound]}" g="${m[sealed]}"
  printf '  %-6s (a) %8s   (b) cimiento %8s   (f) no-op trigger, the row into a copy %8s   (g) the same into audit.log, sealed %8s\n' \
    "$op" "$a" "$b" "$f" "$g"
  printf '         b/a = %s   f/a = %s   g/a = %s (bound, sealing included)   b/g = %s (cimiento over it)\n' \
    "$(ratio "$b" "$a")" "$(ratio "$f" "$a")" "$(ratio "$g" "$a")" "$(ratio "$b" "$g")"
  printf '         WAL per transaction (≈ bytes, median): a %s   b %s   f %s   g %s\n' "${w[plain]}" "${w[cimiento]}" "${w[bound]}" "${w[sealed]}"
done
bench_quiesce >/dev/null
sleep 2
bench_psql postgres -tA -c "SELECT 'audit sealed bound: ' || count(*) || ' audit rows written, ' ||
  (SELECT coalesce(sum(cardinality(log_ids)), 0) FROM audit.seals) || ' sealed; chain verifies: ' ||
  (SELECT ok FROM cimiento.verify_audit('00000000-0000-4000-8000-000000000b01'))
  FROM audit.log"
