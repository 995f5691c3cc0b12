#!/usr/bin/env bash
# Invoices per second, same transaction shape (insert a draft with 3 lines, issue it,
# commit), 16 clients, as the migration owner (triggers fire; RLS is not what is measured):
#   (a) one series, cimiento numbering (invoices are numbered by their issuing UPDATE when
#       the series is free, cimiento.number_when_free; otherwise at commit)
#   (a0) the same, every invoice numbered at commit (cimiento.defer_numbering = on for the
#       session: a second row version and audit row per invoice)
#   (b) the same, numbered by a plain sequence (gaps allowed), notifying the renderer and
#       running the before- and after-numbering functions (fiscal.record_draft,
#       billing.document_numbered) as the numbering does     (b0) the same without the
#       notification
#   (c) 16 series (one per client), cimiento numbering     (c0) the same, numbered at commit
#   (d) one series, cimiento numbering with the series row locked at transaction start
#   (a1) as (a), with cimiento.release_locks_early off: the series stays locked through the
#       commit's flush, as PostgreSQL holds every lock (the cost of the flush under the lock)
#   (a2) as (a), the clients' search_path being the one the numbering pins (pg_catalog): a
#       foreign-key check has one cached plan per constraint, planned again whenever the
#       search_path differs from the one it was planned under. Until 0080 an invoice's keys
#       were checked by the client's statements and again by the numbering's second row
#       version (PostgreSQL re-checks every key of a row inserted in the same transaction),
#       so twice per invoice numbered at commit under any other path; since 0080 they are
#       checked once, at commit, on the client's path, and a2/a stays near 1
#   (h) the floor of numbering at commit: (b)'s issuing statement without the number, and at
#       commit a minimal PL/pgSQL trigger (numbering/floor.sql) that locks one counter row
#       shared by every client and writes the invoice's second row version with the number
#       (its audit row, guard, foreign-key re-checks, indexes), releasing the lock before the
#       flush. h/b is what one series costs however the numbering is written, as long as the
#       number is written at commit; a/h is what cimiento adds to it
#   (h1) the floor of numbering by the issuing statement: (b) with its number taken from a
#       counter row every client shares, locked from the issuing statement through COMMIT
#   (h0) serialisation alone: (b) unchanged, and one counter row every client shares locked
#       at commit (no second row version)
# and, for a second (non-invoice) table registered with cimiento.enable_numbering — a ticket
# per transaction, inserted already due, no triggers but the numbering:
#   (e) one series, cimiento numbering (at commit)     (f) its twin table numbered by a plain
#       sequence     (g) 16 series (one per client), cimiento numbering
#   (e2), (g2) as (e), (g), with cimiento.number_when_free: the INSERT numbers its ticket
#       when the series is free (one row version; at commit the second one)
#   (e1) as (e), with cimiento.release_locks_early off
#   (g3) as (g), the table audited (cimiento.enable_audit, as every business table is)
#   (g4) as (g3), with cimiento.number_when_free
#   (k) the floor of one ticket series numbered at commit: the ticket inserted into (f)'s twin
#       table unnumbered, and at commit a minimal PL/pgSQL trigger (numbering/floor.sql) that
#       takes the series' next number and writes it on the ticket (its second row version),
#       releasing the lock before the flush
#   (k1), (k16) the floors by the statement: (f)'s INSERT takes its number from its series
#       row in the same statement (one series shared by every client, locked through COMMIT;
#       or one series per client) and writes the row once
# Rounds alternate the variants; each figure is the median of the rounds. The goals' variants
# (a), (b) and (c) then run GOAL_ROUNDS more rounds back to back, (b) always between the two
# it is the baseline of (a b c, then c b a): their figures are the medians of all their runs
# (3 + 6 by default; every other variant's figure, e.g. the floors' h/b and a/h, is a median
# of the 3 main rounds divided by or into those). On this 2-core VM one 8-second run of a
# variant varies by up to ±15 % within two minutes; three runs left the goals' ratios to that
# noise, nine narrow it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${BENCH_ROUNDS:-3}"; SECS="${BENCH_SECONDS:-8}"; CLIENTS="${BENCH_CLIENTS:-16}"
GOAL_ROUNDS="${BENCH_GOAL_ROUNDS:-6}"
DIR="$BENCH_ROOT/bench/numbering"
T=00000000-0000-4000-8000-00000000be01; B=00000000-0000-4000-8000-00000000bb01; S=00000000-0000-4000-8000-00000000ee02

echo "numbering: starting an isolated cluster…"
bench_db_up
# The four transaction scripts share one body (insert a draft with 3 lines); they differ
# only in how the number is taken.
SCRIPTS="$CIMIENTO_STATE_DIR/scripts"
mkdir -p "$SCRIPTS"
issue="UPDATE billing.invoices SET status = 'issued' WHERE tenant_id = :tenant::uuid AND id = :id::uuid;"
{ printf '\\set line random(1, 1000)\nBEGIN;\n'; cat "$DIR/body.sql"; echo "$issue"; echo "COMMIT;"; } >"$SCRIPTS/gapless.sql"
{ printf '\\set line random(1, 1000)\n\\set s :client_id %% 16\nBEGIN;\n'; sed "s/:code, 'EUR'/'S' || :s, 'EUR'/" "$DIR/body.sql"; echo "$issue"; echo "COMMIT;"; } >"$SCRIPTS/gapless_16_series.sql"
# The sequence baseline notifies the renderer's channel and runs the registered before- and
# after-numbering functions (the document's fiscal record, a credit note's effect on its
# invoice: work every issued document needs) as the numbering does, in the statement that
# writes the number: it differs from (a) only in how the number is taken. (b0) is the same
# without the notification: the cost of notifying gets a line of its own.
sequence_update="UPDATE billing.invoices SET status = 'issued', series_id = :series::uuid, fiscal_year = extract(year FROM current_date),
       number = nextval('bench_plain.seq'), number_display = 'P-' || currval('bench_plain.seq')
 WHERE tenant_id = :tenant::uuid AND id = :id::uuid"
# What the numbering does with a number (the renderer's notification, the after-numbering
# work), written by every baseline's issuing statement.
notify="pg_notify('cimiento_documents', tenant_id::text || ':' || id::text) IS NULL"
numbered_work="billing.document_numbered(tenant_id, id, fiscal.record_draft(tenant_id, id))"
{ printf '\\set line random(1, 1000)\nBEGIN;\n'; cat "$DIR/body.sql"
  echo "$sequence_update"
  echo " RETURNING $notify, $numbered_work;"; echo "COMMIT;"; } >"$SCRIPTS/sequence.sql"
{ printf '\\set line random(1, 1000)\nBEGIN;\n'; cat "$DIR/body.sql"; echo "$sequence_update"
  echo " RETURNING $numbered_work;"; echo "COMMIT;"; } >"$SCRIPTS/sequence_silent.sql"
# The floor's issuing statement: (b)'s without the number, which its trigger writes at commit.
{ printf '\\set line random(1, 1000)\nBEGIN;\n'; cat "$DIR/body.sql"
  echo "UPDATE billing.invoices SET status = 'issued', fiscal_year = extract(year FROM current_date) WHERE tenant_id = :tenant::uuid AND id = :id::uuid"
  echo " RETURNING $notify, $numbered_work;"; echo "COMMIT;"; } >"$SCRIPTS/floor_numbered.sql"
# (h1): (b)'s issuing statement, its number from the shared counter row instead of the sequence.
{ printf '\\set line random(1, 1000)\nBEGIN;\n'; cat "$DIR/body.sql"
  echo "WITH t AS (UPDATE bench_plain.turn SET n = n + 1 WHERE id = 2 RETURNING n)"
  echo "UPDATE billing.invoices SET status = 'issued', series_id = '00000000-0000-4000-8000-00000000ee05', fiscal_year = extract(year FROM current_date),"
  echo "       number = (SELECT n FROM t), number_display = 'FLS-' || (SELECT n FROM t) WHERE tenant_id = :tenant::uuid AND id = :id::uuid"
  echo " RETURNING $notify, $numbered_work, cimiento.release_locks_early();"
  echo "COMMIT;"; } >"$SCRIPTS/floor_statement.sql"
{ printf '\\set line random(1, 1000)\nBEGIN;\n'
  echo "SELECT next_number FROM billing.invoice_series WHERE tenant_id = :tenant::uuid AND code = :code AND fiscal_year = extract(year FROM current_date) FOR UPDATE;"
  cat "$DIR/body.sql"; echo "$issue"; echo "COMMIT;"; } >"$SCRIPTS/lock_early.sql"
ticket="INSERT INTO bench_tickets.tickets (tenant_id, branch_id, register, total) VALUES (:tenant::uuid, :branch::uuid, :code, :line);"
{ printf '\\set line random(1, 1000)\nBEGIN;\n'; echo "$ticket"; echo "COMMIT;"; } >"$SCRIPTS/ticket.sql"
{ printf '\\set line random(1, 1000)\n\\set s :client_id %% 16\nBEGIN;\n'; echo "$ticket" | sed "s/:code, :line/'S' || :s, :line/"; echo "COMMIT;"; } >"$SCRIPTS/ticket_16_series.sql"
sed 's/bench_tickets.tickets /bench_tickets.audited /' "$SCRIPTS/ticket_16_series.sql" >"$SCRIPTS/ticket_audited_16_series.sql"
# The tickets' floors (numbering/floor.sql): (f)'s INSERT into the twin table, its number
# taken from its own series row (k1, k16) or written at commit by the floor's trigger (k).
floor_ticket() { # <series code expression>
  echo "WITH t AS (UPDATE bench_tickets.ticket_series s SET next_number = s.next_number + 1"
  echo "            WHERE s.tenant_id = :tenant::uuid AND s.code = $1 RETURNING s.id, s.next_number - 1 AS n)"
  echo "INSERT INTO bench_tickets.tickets_seq (tenant_id, branch_id, register, total, series_id, number, number_display)"
  echo "SELECT :tenant::uuid, :branch::uuid, $1, :line, t.id, t.n, $1 || '-' || lpad(t.n::text, 6, '0') FROM t"
  echo " RETURNING cimiento.release_locks_early();"
}
{ printf '\\set line random(1, 1000)\nBEGIN;\n'; floor_ticket "'FONE'"; echo "COMMIT;"; } >"$SCRIPTS/ticket_floor_one.sql"
{ printf '\\set line random(1, 1000)\n\\set s :client_id %% 16\nBEGIN;\n'; floor_ticket "'F' || :s"; echo "COMMIT;"; } >"$SCRIPTS/ticket_floor_16_series.sql"
{ printf '\\set line random(1, 1000)\nBEGIN;\n'
  echo "INSERT INTO bench_tickets.tickets_seq (tenant_id, branch_id, register, total) VALUES (:tenant::uuid, :branch::uuid, 'FONE', :line);"
  echo "COMMIT;"; } >"$SCRIPTS/ticket_floor_commit.sql"
{ printf '\\set line random(1, 1000)\nBEGIN;\n'
  echo "INSERT INTO bench_tickets.tickets_seq (tenant_id, branch_id, register, total, series_id, number, number_display)"
  echo "VALUES (:tenant::uuid, :branch::uuid, :code, :line, '00000000-0000-4000-8000-00000000ee03',"
  echo "        nextval('bench_tickets.plain_seq'), 'SEQ-' || lpad(currval('bench_tickets.plain_seq')::text, 6, '0'));"; echo "COMMIT;"; } >"$SCRIPTS/ticket_sequence.sql"
bench_psql cimiento_owner -f "$DIR/setup.sql" >/dev/null
bench_psql postgres -f "$DIR/floor.sql" >/dev/null
vars=(-D tenant=$T -D branch=$B -D series=$S)

declare -A runs
# Every run starts from the same state (bench_quiesce: the previous run's audit rows sealed,
# no autovacuum worker busy, a checkpoint just taken), as in bench/fiscal.sh: the sealer or a
# checkpoint catching up with one variant's writes would otherwise run inside the next one.
one() { bench_quiesce >/dev/null; bench_tps cimiento_owner "$SCRIPTS/$1.sql" "$2" "$SECS" "${vars[@]}" -D code="$3"; }
# The same, every document of the session numbered at commit.
at_commit() { PGOPTIONS='-c cimiento.defer_numbering=on' one "$@"; }
# The same, the locks held through the commit's flush.
held() { PGOPTIONS='-c cimiento.release_locks_early=off' one "$@"; }
# The same, the clients' search_path the numbering's pinned one.
pinned_path() { PGOPTIONS='-c search_path=pg_catalog' one "$@"; }
# with_trigger <function> <run…>: the run with a floor's trigger on billing.invoices (created
# for it, dropped after it: every other variant runs without); with_trigger_on <table>
# <function> <run…> the same on another table.
with_trigger() { with_trigger_on billing.invoices "$@"; }
with_trigger_on() {
  local table="$1" fn="$2"; shift 2
  bench_psql postgres -c "CREATE CONSTRAINT TRIGGER aaa_bench_floor AFTER INSERT ON $table DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bench_plain.$fn()"
  "$@"
  bench_psql postgres -c "DROP TRIGGER aaa_bench_floor ON $table"
}
# when_free <table> <run…>: the run with the table's tickets numbered by their INSERT when
# the series is free (cimiento.number_when_free switched on for it, off after it).
when_free() {
  local table="$1"; shift
  bench_psql postgres -c "SELECT cimiento.number_when_free('bench_tickets.$table')" >/dev/null
  "$@"
  bench_psql postgres -c "SELECT cimiento.number_when_free('bench_tickets.$table', false)" >/dev/null
}
# The floor at commit: cimiento's issuing-statement attempt off (cimiento.defer_numbering), so
# the number is written at commit by the floor's trigger.
floor() { PGOPTIONS='-c cimiento.defer_numbering=on' one floor_numbered "$CLIENTS" FLR; }
# last <variant>: its latest round's figure.
last() { bench_last "${runs[$1]:-}"; }
# goal_variant a|b|c: one run of a goal's variant (the main rounds and the goal rounds).
goal_variant() {
  case "$1" in
    a) one gapless "$CLIENTS" ONE ;;
    b) one sequence "$CLIENTS" SEQ ;;
    c) one gapless_16_series "$CLIENTS" - ;;
  esac
}
for r in $(seq 1 "$ROUNDS"); do
  runs[a]+="$(goal_variant a) "
  runs[b]+="$(goal_variant b) "
  runs[b0]+="$(one sequence_silent "$CLIENTS" SEQ) "
  runs[a0]+="$(at_commit gapless "$CLIENTS" ONE) "
  runs[a1]+="$(held gapless "$CLIENTS" ONE) "
  runs[a2]+="$(pinned_path gapless "$CLIENTS" ONE) "
  runs[h]+="$(with_trigger number_at_commit floor) "
  runs[h1]+="$(one floor_statement "$CLIENTS" FLS) "
  runs[h0]+="$(with_trigger lock_at_commit one sequence "$CLIENTS" SEQ) "
  runs[c]+="$(goal_variant c) "
  runs[c0]+="$(at_commit gapless_16_series "$CLIENTS" -) "
  runs[d]+="$(one lock_early "$CLIENTS" ONE) "
  runs[e]+="$(one ticket "$CLIENTS" ONE) "
  runs[f]+="$(one ticket_sequence "$CLIENTS" SEQ) "
  runs[g]+="$(one ticket_16_series "$CLIENTS" -) "
  runs[e2]+="$(when_free tickets one ticket "$CLIENTS" ONE) "
  runs[g2]+="$(when_free tickets one ticket_16_series "$CLIENTS" -) "
  runs[g3]+="$(one ticket_audited_16_series "$CLIENTS" -) "
  runs[g4]+="$(when_free audited one ticket_audited_16_series "$CLIENTS" -) "
  runs[e1]+="$(held ticket "$CLIENTS" ONE) "
  runs[k]+="$(with_trigger_on bench_tickets.tickets_seq ticket_at_commit one ticket_floor_commit "$CLIENTS" -) "
  runs[k1]+="$(one ticket_floor_one "$CLIENTS" -) "
  runs[k16]+="$(one ticket_floor_16_series "$CLIENTS" -) "
  runs[a4]+="$(one gapless 4 ONE) "
  runs[d4]+="$(one lock_early 4 ONE) "
  # Progress (a run takes ~19 min): this round's figures of the goals' variants and floors.
  echo "    round $r of $ROUNDS (/s): a $(last a)  b $(last b)  c $(last c)  h $(last h) | tickets e $(last e)  f $(last f)  g $(last g)  k $(last k)  k16 $(last k16)"
done
# The goals' variants again, back to back: (b) between (a) and (c), their order reversed
# every other round.
for r in $(seq 1 "$GOAL_ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="a b c"; else order="c b a"; fi
  for v in $order; do runs[$v]+="$(goal_variant "$v") "; done
  echo "    goal round $r of $GOAL_ROUNDS (/s, $order): a $(last a)  b $(last b)  c $(last c)   a/b $(ratio "$(last a)" "$(last b)")  c/b $(ratio "$(last c)" "$(last b)")"
done
for k in a a0 a1 a2 b b0 c c0 d e e1 e2 f g g2 g3 g4 h h0 h1 k k1 k16 a4 d4; do declare "m_$k=$(printf '%s\n' ${runs[$k]} | median)"; done

echo "numbering: $CLIENTS clients, $ROUNDS alternating rounds of ${SECS}s (median invoices/s; (a), (b) and (c): the median of $((ROUNDS + GOAL_ROUNDS)) runs)"
echo "  runs of the goals' variants (/s): a ${runs[a]}| b ${runs[b]}| c ${runs[c]}"
printf '  (a) one series, cimiento                 %10s /s\n' "$m_a"
printf '  (a0) the same, numbered at commit        %10s /s\n' "$m_a0"
printf '  (a1) the same, locks held through flush  %10s /s\n' "$m_a1"
printf '  (a2) (a), clients on the pinned path     %10s /s\n' "$m_a2"
printf '  (b) plain sequence (gaps allowed)        %10s /s\n' "$m_b"
printf '  (b0) the same, no notification           %10s /s\n' "$m_b0"
printf '  (c) 16 series, cimiento                  %10s /s\n' "$m_c"
printf '  (c0) the same, numbered at commit        %10s /s\n' "$m_c0"
printf '  (d) one series, locked at tx start       %10s /s\n' "$m_d"
printf '  (h) one series, floor at commit          %10s /s   (one row lock + the second version, PL/pgSQL)\n' "$m_h"
printf '  (h1) one series, floor by the statement  %10s /s   (one row lock from the issuing statement through COMMIT)\n' "$m_h1"
printf '  (h0) (b) + one row lock at commit        %10s /s   (serialisation alone, no second version)\n' "$m_h0"
printf '  gapless/sequence, one series   (a/b) = %s   (goal >= 0.8)\n' "$(ratio "$m_a" "$m_b")"
printf '  gapless/sequence, 16 series    (c/b) = %s   (goal >= 0.95)\n' "$(ratio "$m_c" "$m_b")"
# The same ratios per round: each run of (a) and (c) divided by the run of (b) of its own
# round ((a) next to it in every round, (c) in the goal rounds; in the main rounds (c) runs
# about a minute and a half after it), and the median of those: a drift of the VM across the
# benchmark's minutes cancels in it. Reported beside the goals' figures.
paired() { # <variant>: the median of its runs' ratios to (b)'s run of the same round
  local -a x=(${runs[$1]}) y=(${runs[b]}); local i
  for i in "${!x[@]}"; do echo "$(ratio "${x[$i]}" "${y[$i]}")"; done | median '%.3f'
}
p_a="$(paired a)"; p_c="$(paired c)"
printf '  the same, each run ÷ the (b) of its round, median of %s rounds: one series (a/b) = %s, 16 series (c/b) = %s   (a drift of the VM across the run cancels)\n' \
  "$((ROUNDS + GOAL_ROUNDS))" "$p_a" "$p_c"
printf '  late/early locking, one series (a/d) = %s\n' "$(ratio "$m_a" "$m_d")"
printf '  floors ÷ sequence, one series: at commit (h/b) = %s, by the statement (h1/b) = %s, serialisation alone (h0/b) = %s;  cimiento ÷ floor at commit (a/h) = %s\n' \
  "$(ratio "$m_h" "$m_b")" "$(ratio "$m_h1" "$m_b")" "$(ratio "$m_h0" "$m_b")" "$(ratio "$m_a" "$m_h")"
printf '  numbered at commit ÷ by the issuing statement: one series (a0/a) = %s, 16 series (c0/c) = %s   (the second row version)\n' \
  "$(ratio "$m_a0" "$m_a")" "$(ratio "$m_c0" "$m_c")"
printf '  notifying at commit, no numbering (b/b0) = %s   (its own cost: notifying commits queue on one lock)\n' "$(ratio "$m_b" "$m_b0")"
printf '  late/early locking, 4 clients         = %s   (%s vs %s /s)\n' "$(ratio "$m_a4" "$m_d4")" "$m_a4" "$m_d4"
printf '  second table (tickets, enable_numbering):\n'
printf '  (e) one series, cimiento (at commit)     %10s /s\n' "$m_e"
printf '  (f) twin table, plain sequence           %10s /s\n' "$m_f"
printf '  (g) 16 series, cimiento                  %10s /s\n' "$m_g"
printf '  (e2) (e) numbered by the INSERT if free  %10s /s\n' "$m_e2"
printf '  (g2) (g) numbered by the INSERT if free  %10s /s\n' "$m_g2"
printf '  (g3) (g), the table audited              %10s /s\n' "$m_g3"
printf '  (g4) (g3) numbered by the INSERT if free %10s /s\n' "$m_g4"
printf '  (e1) as (e), locks held through flush    %10s /s\n' "$m_e1"
printf '  (k) one series, floor at commit          %10s /s   (one row lock + the second version, PL/pgSQL)\n' "$m_k"
printf '  (k1) one series, floor by the statement  %10s /s   (one row lock from the INSERT through COMMIT)\n' "$m_k1"
printf '  (k16) 16 series, floor by the statement  %10s /s   (each INSERT takes its number from its own series row)\n' "$m_k16"
printf '  early lock release ÷ locks held through the flush: invoices, one series (a/a1) = %s, tickets (e/e1) = %s\n' \
  "$(ratio "$m_a" "$m_a1")" "$(ratio "$m_e" "$m_e1")"
printf '  clients on the numbering'"'"'s search_path ÷ on their own, one series (a2/a) = %s   (near 1 since 0080: the invoice'"'"'s keys are checked once, at commit, on the client'"'"'s path)\n' \
  "$(ratio "$m_a2" "$m_a")"
printf '  tickets numbered by the INSERT when free ÷ at commit: one series (e2/e) = %s, 16 series (g2/g) = %s   (one row version, one more trigger)\n' \
  "$(ratio "$m_e2" "$m_e")" "$(ratio "$m_g2" "$m_g")"
printf '  the same, the tickets audited: 16 series (g4/g3) = %s   (at commit the second version writes a second audit row)\n' "$(ratio "$m_g4" "$m_g3")"
printf '  tickets gapless/sequence, one series (e/f) = %s   (goal >= 0.8)\n' "$(ratio "$m_e" "$m_f")"
printf '  tickets gapless/sequence, 16 series  (g/f) = %s   (goal >= 0.95)\n' "$(ratio "$m_g" "$m_f")"
printf '  tickets floors ÷ sequence: one series at commit (k/f) = %s, by the statement (k1/f) = %s; 16 series by the statement (k16/f) = %s;  cimiento ÷ floor: one series (e/k) = %s, 16 series (g/k16) = %s\n' \
  "$(ratio "$m_k" "$m_f")" "$(ratio "$m_k1" "$m_f")" "$(ratio "$m_k16" "$m_f")" "$(ratio "$m_e" "$m_k")" "$(ratio "$m_g" "$m_k16")"
bench_goal "gapless invoices ÷ plain sequence, one series, $CLIENTS clients" "$(ratio "$m_a" "$m_b")" '>=' 0.8
bench_goal "gapless invoices ÷ plain sequence, 16 series" "$(ratio "$m_c" "$m_b")" '>=' 0.95
bench_goal "the same two, each run ÷ the sequence's run of its round (median of the rounds): one series" "$p_a" '' ''
bench_goal "the same two, each run ÷ the sequence's run of its round (median of the rounds): 16 series" "$p_c" '' ''
bench_goal "one series numbered at commit by a minimal trigger (one row lock + the second version) ÷ plain sequence (floor of a/b)" "$(ratio "$m_h" "$m_b")" '' ''
bench_goal "one series numbered by the issuing statement from one locked counter row ÷ plain sequence (floor of a/b)" "$(ratio "$m_h1" "$m_b")" '' ''
bench_goal "one row lock at commit with the sequence's numbers, no second version ÷ plain sequence" "$(ratio "$m_h0" "$m_b")" '' ''
bench_goal "gapless invoices (cimiento) ÷ the minimal numbering at commit, one series" "$(ratio "$m_a" "$m_h")" '' ''
bench_goal "notifying the renderer at commit ÷ not, plain sequence, $CLIENTS clients" "$(ratio "$m_b" "$m_b0")" '' ''
bench_goal "invoices numbered at commit (second row version) ÷ by the issuing statement, 16 series" "$(ratio "$m_c0" "$m_c")" '' ''
bench_goal "gapless invoices, locks released before the flush ÷ held through it, one series" "$(ratio "$m_a" "$m_a1")" '' ''
bench_goal "gapless invoices, clients on the numbering's search_path (pg_catalog) ÷ on their own, one series" "$(ratio "$m_a2" "$m_a")" '' ''
bench_goal "tickets numbered by the INSERT when free (number_when_free) ÷ at commit, 16 series" "$(ratio "$m_g2" "$m_g")" '' ''
bench_goal "audited tickets numbered by the INSERT when free ÷ at commit, 16 series" "$(ratio "$m_g4" "$m_g3")" '' ''
bench_goal "gapless tickets (enable_numbering) ÷ sequence, one series" "$(ratio "$m_e" "$m_f")" '>=' 0.8
bench_goal "gapless tickets (enable_numbering) ÷ sequence, 16 series" "$(ratio "$m_g" "$m_f")" '>=' 0.95
bench_goal "one ticket series numbered at commit by a minimal trigger ÷ sequence (floor of e/f)" "$(ratio "$m_k" "$m_f")" '' ''
bench_goal "one ticket series numbered by the INSERT from its locked series row ÷ sequence (floor of e/f)" "$(ratio "$m_k1" "$m_f")" '' ''
bench_goal "16 ticket series numbered by the INSERT from their series rows ÷ sequence (floor of g/f)" "$(ratio "$m_k16" "$m_f")" '' ''

# The numbers the benchmark issued are gapless too.
bench_psql cimiento_owner -tA -c "
  SELECT CASE WHEN bool_and(n = max_n AND n = cnt) THEN 'numbering: every benchmark series is 1..N without gaps or duplicates'
              ELSE 'numbering: GAP OR DUPLICATE FOUND' END
    FROM (SELECT series_id, count(*) AS cnt, count(DISTINCT number) AS n, max(number) AS max_n
            FROM billing.invoices WHERE series_code <> 'SEQ' AND number IS NOT NULL
           GROUP BY series_id
          UNION ALL
          SELECT series_id, count(*), count(DISTINCT number), max(number)
            FROM bench_tickets.tickets GROUP BY series_id
          UNION ALL
          SELECT series_id, count(*), count(DISTINCT number), max(number)
            FROM bench_tickets.audited GROUP BY series_id
          UNION ALL
          SELECT series_id, count(*), count(DISTINCT number), max(number)
            FROM bench_tickets.tickets_seq WHERE register LIKE 'F%' GROUP BY series_id) s"
