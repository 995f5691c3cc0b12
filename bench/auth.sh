#!/usr/bin/env bash
# Sign-in: login p50/p95 (argon2id dominates, by design) at concurrency 1 and 2, and what
# verifying a token costs (in process, and per protected request end to end).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
echo "auth: starting an isolated stack (PostgreSQL, PostgREST, api)…"
export CIMIENTO_ONLY_DB=0 CIMIENTO_POSTGREST_PORT="$(bench_free_port)" CIMIENTO_API_PORT="$(bench_free_port)"
export CIMIENTO_LOGIN_PER_IP_PER_MIN=1000000 CIMIENTO_LOGIN_MAX_FAILURES=1000000
bench_db_up
(cd "$BENCH_ROOT" && cargo build --release --quiet -p cimiento-e2e --bin bench_auth)
"${CARGO_TARGET_DIR:-$BENCH_ROOT/target}/release/bench_auth" "$CIMIENTO_STATE_DIR/env"
