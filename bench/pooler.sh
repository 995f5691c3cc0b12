#!/usr/bin/env bash
# Connection pooling: 200 concurrent clients of 20 tenants read a page of their students
# through PostgREST over PgBouncer (transaction mode) for 60 s, every response checked (0
# errors, 0 rows of another tenant), side by side with a second PostgREST configured the
# same (no prepared statements, same pool) but connected to PostgreSQL directly.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
echo "pooler: starting an isolated stack (PostgreSQL, PgBouncer, PostgREST, api) with 20 tenants…"
export CIMIENTO_ONLY_DB=0 CIMIENTO_POSTGREST_PORT="$(bench_free_port)" CIMIENTO_API_PORT="$(bench_free_port)"
export CIMIENTO_POOLER=1 CIMIENTO_POOLER_PORT="$(bench_free_port)"
bench_db_up
bench_psql postgres -f "$BENCH_ROOT/bench/pooler/setup.sql" >/dev/null
set -a; . "$CIMIENTO_STATE_DIR/env"; set +a

# The baseline: the same PostgREST configuration, but the database's own port.
direct_port="$(bench_free_port)"
sed -e "s#@127.0.0.1:$CIMIENTO_SERVICES_DB_PORT/#@127.0.0.1:$CIMIENTO_PG_PORT/#" \
    -e "s#^server-port = .*#server-port = $direct_port#" "$CIMIENTO_STATE_DIR/postgrest.conf" >"$CIMIENTO_STATE_DIR/postgrest-direct.conf"
grep -q "127.0.0.1:$CIMIENTO_PG_PORT/" "$CIMIENTO_STATE_DIR/postgrest-direct.conf" || { echo "pooler: could not point the baseline at PostgreSQL" >&2; exit 1; }
"$BENCH_ROOT/.tools/bin/postgrest" "$CIMIENTO_STATE_DIR/postgrest-direct.conf" >"$CIMIENTO_STATE_DIR/log/postgrest-direct.log" 2>&1 &
direct_pid=$!
trap 'kill $direct_pid 2>/dev/null; bench_db_down' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$direct_port/" && break; sleep 0.2; done

(cd "$BENCH_ROOT" && cargo build --release --quiet -p cimiento-e2e --bin bench_pooler)
"${CARGO_TARGET_DIR:-$BENCH_ROOT/target}/release/bench_pooler" "$CIMIENTO_STATE_DIR/env" "http://127.0.0.1:$direct_port"
