#!/usr/bin/env bash
# Single-row INSERT and UPDATE throughput (one statement per transaction, as PostgREST runs
# it: session user authenticator, role app_user, claims) on five identical tables:
#   (a) no trigger   (b) the cimiento audit trigger   (c) a PL/pgSQL supa_audit-style trigger
#   (d) no trigger, the statement itself writing the same trail row into a copy of the log
#       (same columns and indexes, no policy, no sealing): the floor any audit trigger starts
#       from, so that b/a splits into the trail row's own cost (d/a) and the trigger's (b/d);
#   (e) (d)'s statement writing into a copy of the log's columns without its indexes, under
#       the cheapest C row trigger PostgreSQL ships (contrib lo's lo_manage, a no-op here):
#       an audit trigger calls at least as much and writes at least this row (into a log that
#       needs indexes to be read), so e/a bounds from above what b/a can reach;
#   (f) (d)'s statement, into its own copy of the log with every index, under (e)'s no-op
#       trigger: the row an audit trigger has to write, computed by SQL as a trigger's
#       statement computes it, plus the least a row trigger costs — the bound of b/a for any
#       trigger that writes this trail with SQL (only a trigger inserting its row without the
#       executor, heap and index calls from C, could go below it).
# The sealing worker runs as it does in production. Rounds alternate a/b/c/d/e/f; medians. Every
# run starts from the same state (bench_quiesce: what was written so far sealed, no
# autovacuum worker busy, a checkpoint just taken), so what the sealer or a checkpoint still
# owes a variant is not paid inside the next one. Each run's WAL per transaction (pg_stat_wal,
# the sealer's included) is printed too: what the trail adds to every commit's flush.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${BENCH_ROUNDS:-5}"; SECS="${BENCH_SECONDS:-8}"; CLIENTS="${BENCH_CLIENTS:-4}"
DIR="$BENCH_ROOT/bench/audit"
echo "audit: starting an isolated cluster and loading 6 × 100 000 rows…"
bench_db_up
VARIANTS="plain cimiento plpgsql floor bare bound" # (a) … (f)
# Every variant's scripts in the cluster's folder (removed with it); (e)'s and (f)'s are
# (d)'s with their own tables.
GEN="$CIMIENTO_STATE_DIR/scripts"
mkdir -p "$GEN"
for op in insert update; do
  for t in $VARIANTS; do
    if [ "$t" = bare ] || [ "$t" = bound ]; then
      sed -e "s/items_floor/items_$t/g; s/bench\.trail_copy/bench.trail_$t/" "$DIR/${op}_floor.sql" >"$GEN/${op}_$t.sql"
    else
      cp "$DIR/${op}_$t.sql" "$GEN/"
    fi
  done
done
bench_psql postgres -f "$DIR/setup.sql" >/dev/null

bench_op_rounds authenticator $VARIANTS
echo "audit: $CLIENTS clients, $ROUNDS alternating rounds of ${SECS}s (median transactions/s)"
med() { printf '%s\n' $1 | median; }
declare -A m w
for op in insert update; do
  for t in $VARIANTS; do m[$t]="$(med "${RUNS[$op$t]}")"; w[$t]="$(med "${WALS[$op$t]}")"; done
  a="${m[plain]}" b="${m[cimiento]}" c="${m[plpgsql]}" d="${m[floor]}" e="${m[bare]}" f="${m[bound]}"
  printf '  %-6s (a) no trigger %9s   (b) cimiento %9s   (c) plpgsql jsonb %9s   (d) row by the statement %9s   (e) no-op trigger, bare row %9s   (f) no-op trigger, the row %9s\n' "$op" "$a" "$b" "$c" "$d" "$e" "$f"
  printf '         b/a = %s (goal >= 0.85)   b/c = %s (goal >= 1.5)   d/a = %s (the trail row alone)   b/d = %s (the trigger)   e/a = %s (loose bound: no index)   f/a = %s (bound: the row and a no-op trigger)   b/f = %s (cimiento over that bound)\n' \
    "$(ratio "$b" "$a")" "$(ratio "$b" "$c")" "$(ratio "$d" "$a")" "$(ratio "$b" "$d")" "$(ratio "$e" "$a")" "$(ratio "$f" "$a")" "$(ratio "$b" "$f")"
  printf '         WAL per transaction (≈ bytes, median): a %s   b %s   c %s   d %s   e %s   f %s\n' \
    "${w[plain]}" "${w[cimiento]}" "${w[plpgsql]}" "${w[floor]}" "${w[bare]}" "${w[bound]}"
  OP="$(echo "$op" | tr a-z A-Z)"
  bench_goal "audited $OP ÷ no trigger, $CLIENTS clients" "$(ratio "$b" "$a")" '>=' 0.85
  bench_goal "audited $OP: Rust trigger ÷ PL/pgSQL jsonb trigger" "$(ratio "$b" "$c")" '>=' 1.5
  bench_goal "$OP writing the trail row itself, no trigger ÷ no trigger (floor of b/a)" "$(ratio "$d" "$a")" '' ''
  bench_goal "audited $OP ÷ the statement writing the same row itself" "$(ratio "$b" "$d")" '' ''
  bench_goal "$OP, no-op C trigger, trail row without indexes ÷ no trigger (loose bound of b/a)" "$(ratio "$e" "$a")" '' ''
  bench_goal "$OP, no-op C trigger, the trail row with the log's indexes ÷ no trigger (bound of b/a for a trigger writing it with SQL)" "$(ratio "$f" "$a")" '' ''
  bench_goal "audited $OP ÷ that bound (cimiento's trigger beyond the row and the least trigger)" "$(ratio "$b" "$f")" '' ''
done
sleep 2
bench_psql postgres -tA -c "SELECT 'audit: ' || count(*) || ' audit rows written, ' ||
  (SELECT coalesce(sum(cardinality(log_ids)), 0) FROM audit.seals) || ' sealed by the background worker in ' ||
  (SELECT count(*) FROM audit.seals) || ' seals; chain verifies: ' ||
  (SELECT ok FROM cimiento.verify_audit('00000000-0000-4000-8000-000000000b01'))
  FROM audit.log"
