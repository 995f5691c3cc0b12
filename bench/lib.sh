# Shared by the benchmarks: an isolated, migrated database cluster in a temp folder (so a
# benchmark never touches `make up`'s data), psql/pgbench helpers, and a median.
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN=/usr/lib/postgresql/15/bin

bench_free_port() { bash "$BENCH_ROOT/scripts/stack.sh" free-port; }

# bench_db_up [extra stack env...]: starts the cluster; sets BENCH_SOCK, BENCH_PORT.
bench_db_up() {
  export CIMIENTO_STATE_DIR="$(mktemp -d /tmp/cimiento-bench-XXXXXX)"
  export CIMIENTO_PG_PORT="$(bench_free_port)"
  export CIMIENTO_ONLY_DB="${CIMIENTO_ONLY_DB:-1}"
  export CIMIENTO_SKIP_BUILD="${CIMIENTO_SKIP_BUILD:-}"
  # The insurance agency's demo data only for the benchmarks that use it.
  export CIMIENTO_SEED_AGENCY="${CIMIENTO_SEED_AGENCY:-0}"
  # No WAL archiving: the figures are about the engine, not about pgBackRest compressing WAL.
  export CIMIENTO_ARCHIVE="${CIMIENTO_ARCHIVE:-0}"
  trap bench_db_down EXIT
  bash "$BENCH_ROOT/scripts/stack.sh" up >/dev/null
  BENCH_SOCK="$CIMIENTO_STATE_DIR/pgsock"
  BENCH_PORT="$CIMIENTO_PG_PORT"
}

bench_db_down() {
  bash "$BENCH_ROOT/scripts/stack.sh" down >/dev/null 2>&1 || true
  rm -rf "$CIMIENTO_STATE_DIR"
}

# bench_quiesce: waits until the audit sealer has sealed what was written so far (at most 2
# minutes), so a run does not pay for sealing the previous run's rows; with the api running,
# first until it has rendered the PDFs of the documents issued so far (at most 5 minutes: the
# seed's thousand invoices keep both WeasyPrint workers busy for a minute or two after start);
# then until no autovacuum worker runs, and takes a checkpoint.
bench_quiesce() {
  local i lag pending
  if [ -f "$CIMIENTO_STATE_DIR/run/api.pid" ] && kill -0 "$(cat "$CIMIENTO_STATE_DIR/run/api.pid")" 2>/dev/null; then
    for i in $(seq 1 300); do
      pending="$(bench_psql postgres -tA -c "SELECT count(*) FROM billing.documents_to_render(1)")"
      [ "${pending:-0}" = 0 ] && break
      sleep 1
    done
  fi
  for i in $(seq 1 120); do
    lag="$(bench_psql postgres -tA -c "SELECT coalesce(value, 0) FROM cimiento.health() WHERE check_name = 'audit_sealer_lag'")"
    awk -v l="${lag:-0}" 'BEGIN { exit !(l < 1) }' && break
    sleep 1
  done
  # Every run starts from the same state: no autovacuum worker still busy with the previous
  # run's tables (at most a minute), and a checkpoint just taken, so that neither one lands
  # inside a run by chance (on this 2-core machine either moved a run by 10-20 %).
  for i in $(seq 1 120); do
    [ "$(bench_psql postgres -tA -c "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'autovacuum worker'")" = 0 ] && break
    sleep 0.5
  done
  bench_psql postgres -c "CHECKPOINT"
}

# bench_psql <user> [psql args…]
bench_psql() { local u="$1"; shift; "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$BENCH_SOCK" -p "$BENCH_PORT" -U "$u" -d cimiento "$@"; }

# bench_tps <user> <script> <clients> <seconds> [pgbench args…]: transactions per second.
# Each client is a thread of its own, as independent frontends are: with two threads
# sharing four connections, how the scheduler placed them decided a run's throughput
# (runs of one script moved between two levels ~25 % apart: 15.7k-24.2k reads/s), with one
# thread each they stay within a few per cent.
bench_tps() {
  local u="$1" script="$2" clients="$3" secs="$4"; shift 4
  "$PG_BIN/pgbench" -n -M prepared -h "$BENCH_SOCK" -p "$BENCH_PORT" -U "$u" -c "$clients" -j "$clients" -T "$secs" \
    -f "$script" "$@" cimiento 2>/dev/null | awk '/^tps = /{printf "%.1f\n", $3}'
}

# bench_quiesced_run <user> <script>: bench_quiesce, then CLIENTS clients for SECS seconds;
# sets RUN_TPS (transactions/s) and RUN_WAL (WAL bytes written per transaction, pg_stat_wal:
# the sealer's and every background writer's included, what each commit's flush carries).
bench_quiesced_run() {
  local w0
  bench_quiesce >/dev/null
  w0="$(bench_wal_bytes)"
  RUN_TPS="$(bench_tps "$1" "$2" "$CLIENTS" "$SECS")"
  RUN_WAL="$(awk -v w="$(( $(bench_wal_bytes) - w0 ))" -v t="$RUN_TPS" -v s="$SECS" 'BEGIN { printf "%.0f", w / (t * s) }')"
}
bench_wal_bytes() { bench_psql postgres -tA -c "SELECT wal_bytes FROM pg_catalog.pg_stat_wal"; }
# bench_last "<figures…>": the last of a space-separated list of figures (? when empty), for
# the progress line a round prints as it ends.
bench_last() { echo "$1" | awk '{ v = $NF } END { print (v == "" ? "?" : v) }'; }

# bench_op_rounds <user> <variant…>: ROUNDS alternating rounds; in each, the INSERT and then
# the UPDATE script of every variant ($GEN/<op>_<variant>.sql), each run by bench_quiesced_run.
# Appends each run's transactions/s to RUNS[<op><variant>] and its WAL per transaction to
# WALS[<op><variant>], and prints each round's figures as it ends.
bench_op_rounds() {
  local u="$1" r op t; shift
  declare -gA RUNS WALS
  for r in $(seq 1 "$ROUNDS"); do
    for op in insert update; do
      for t in "$@"; do
        bench_quiesced_run "$u" "$GEN/${op}_$t.sql"
        RUNS[$op$t]+="$RUN_TPS "
        WALS[$op$t]+="$RUN_WAL "
      done
      echo "    round $r $op (tps): $(for t in "$@"; do printf '%s %s  ' "$t" "$(bench_last "${RUNS[$op$t]}")"; done)"
    done
  done
}

# bench_alternate <user> <script a> <script b>: ROUNDS alternating runs of each (CLIENTS
# clients, SECS seconds); sets MEDIAN_A and MEDIAN_B (transactions/s).
bench_alternate() {
  local u="$1" a="$2" b="$3" r ra=() rb=()
  for r in $(seq 1 "$ROUNDS"); do
    ra+=("$(bench_tps "$u" "$a" "$CLIENTS" "$SECS")")
    rb+=("$(bench_tps "$u" "$b" "$CLIENTS" "$SECS")")
  done
  MEDIAN_A="$(printf '%s\n' "${ra[@]}" | median)"
  MEDIAN_B="$(printf '%s\n' "${rb[@]}" | median)"
  echo "    rounds (tps): $(basename "$a") ${ra[*]} | $(basename "$b") ${rb[*]}"
}

# median [printf format of a mean of two, default %.1f]: the median of the numbers on stdin.
median() { sort -n | awk -v f="${1:-%.1f}" '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf f "\n", (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

# bench_goal <measure> <figure> <op> <goal> [unit]: records one line of the summary
# `make bench` prints at the end (scripts/bench.sh decides met / not met; op is >=, <=, > or
# <); with op and goal empty the figure is reported without a goal. Without
# BENCH_SUMMARY (a bench run on its own) it records nothing.
bench_goal() {
  [ -n "${BENCH_SUMMARY:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$BENCH_SUMMARY"
}
