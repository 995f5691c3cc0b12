#!/usr/bin/env bash
# What part of the audit trail row costs a write (not part of `make bench`; ~10 min):
#   bash bench/audit/anatomy.sh
# bench/audit.sh's single-row INSERT and UPDATE (4 clients, one statement per transaction,
# as PostgREST runs it), no trigger anywhere, the statement itself writing beside its row:
#   (a) nothing                       (t) a second row of 8 bytes into a table without index
#   (k) a row as wide as an INSERT's trail row (424 bytes), constant but for its txid, no index
#   (r) the trail row, computed as (d) computes it (the row as jsonb, its key and history
#       key), into a copy of the log's columns without its indexes
#   (d) the same into a copy of the log with its indexes: bench/audit.sh's floor
# Each step adds one thing to the one before: t/a a second row as such, k/a with the trail
# row's width, r/a with its computed content, d/a with the log's five indexes. Rounds
# alternate; medians; every run from a quiesced cluster.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
ROUNDS="${BENCH_ROUNDS:-5}"; SECS="${BENCH_SECONDS:-8}"; CLIENTS="${BENCH_CLIENTS:-4}"
DIR="$BENCH_ROOT/bench/audit"
echo "audit anatomy: starting an isolated cluster…"
bench_db_up
bench_psql postgres -f "$DIR/setup.sql" >/dev/null
bench_psql postgres >/dev/null <<'SQL'
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tiny', 'wide', 'rowonly'] LOOP
    EXECUTE format($f$
      CREATE TABLE bench.items_%1$s (LIKE bench.items_plain INCLUDING ALL);
      INSERT INTO bench.items_%1$s SELECT * FROM bench.items_plain;
      CREATE SEQUENCE bench.items_%1$s_seq START 100001;
      GRANT SELECT, INSERT, UPDATE ON bench.items_%1$s TO app_user;
      GRANT USAGE ON SEQUENCE bench.items_%1$s_seq TO app_user;
    $f$, t);
  END LOOP;
END $$;
CREATE TABLE bench.second_row (txid bigint);
CREATE TABLE bench.trail_wide (LIKE audit.log INCLUDING DEFAULTS INCLUDING IDENTITY);
CREATE TABLE bench.trail_rowonly (LIKE audit.log INCLUDING DEFAULTS INCLUDING IDENTITY);
GRANT INSERT ON bench.second_row, bench.trail_wide, bench.trail_rowonly TO app_user;
VACUUM ANALYZE;
SQL

GEN="$CIMIENTO_STATE_DIR/scripts"
mkdir -p "$GEN"
for op in insert update; do
  cp "$DIR/${op}_plain.sql" "$DIR/${op}_floor.sql" "$GEN/"
  sed -e 's/items_floor/items_rowonly/g; s/bench\.trail_copy/bench.trail_rowonly/' "$DIR/${op}_floor.sql" >"$GEN/${op}_rowonly.sql"
done
# The plain scripts' first lines (variables, BEGIN, role, claims) open every variant.
head_of() { sed -n "1,$2p" "$DIR/$1_plain.sql"; }
insert_n() { echo "WITH n AS (INSERT INTO bench.items_$1 (tenant_id, id, name, amount) VALUES ('00000000-0000-4000-8000-000000000b01', nextval('bench.items_$1_seq'), 'nuevo', :amount) RETURNING 1)"; }
update_n() { echo "WITH n AS (UPDATE bench.items_$1 SET amount = :amount, updated_at = now() WHERE tenant_id = '00000000-0000-4000-8000-000000000b01' AND id = :id RETURNING 1)"; }
wide_row="INSERT INTO bench.trail_wide (tenant_id, branch_id, table_name, operation, row_pk, new_row, old_row, changes,
                             actor_user, actor_roles, actor_session, actor_login, request_id, txid, row_key)
SELECT '00000000-0000-4000-8000-000000000b01', NULL, 'bench.items_wide', 'INSERT', '{\"id\": 100001, \"tenant_id\": \"00000000-0000-4000-8000-000000000b01\"}',
       '{\"id\": 100001, \"name\": \"nuevo\", \"amount\": 123.00, \"tenant_id\": \"00000000-0000-4000-8000-000000000b01\", \"updated_at\": \"2026-11-26T03:00:00.123456+00:00\"}',
       NULL, NULL, '00000000-0000-4000-8000-000000000c01', '{admin}', NULL, 'authenticator', NULL, txid_current(), 1234567890123
  FROM n;"
{ head_of insert 4; insert_n tiny; echo "INSERT INTO bench.second_row SELECT txid_current() FROM n;"; echo "COMMIT;"; } >"$GEN/insert_tiny.sql"
{ head_of update 5; update_n tiny; echo "INSERT INTO bench.second_row SELECT txid_current() FROM n;"; echo "COMMIT;"; } >"$GEN/update_tiny.sql"
{ head_of insert 4; insert_n wide; echo "$wide_row"; echo "COMMIT;"; } >"$GEN/insert_wide.sql"
{ head_of update 5; update_n wide; echo "$wide_row"; echo "COMMIT;"; } >"$GEN/update_wide.sql"

VARIANTS="plain tiny wide rowonly floor" # (a) (t) (k) (r) (d)
bench_op_rounds authenticator $VARIANTS
echo "audit anatomy: $CLIENTS clients, $ROUNDS alternating rounds of ${SECS}s (median transactions/s)"
for op in insert update; do
  declare -A m=()
  for t in $VARIANTS; do m[$t]="$(printf '%s\n' ${RUNS[$op$t]} | median)"; done
  a="${m[plain]}"
  printf '  %-6s (a) %8s   (t) second row, 8 B %8s   (k) as wide as the trail %8s   (r) the trail row, no index %8s   (d) with the log'"'"'s indexes %8s\n' \
    "$op" "$a" "${m[tiny]}" "${m[wide]}" "${m[rowonly]}" "${m[floor]}"
  printf '         t/a = %s   k/a = %s   r/a = %s   d/a = %s\n' \
    "$(ratio "${m[tiny]}" "$a")" "$(ratio "${m[wide]}" "$a")" "$(ratio "${m[rowonly]}" "$a")" "$(ratio "${m[floor]}" "$a")"
done
