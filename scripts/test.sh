#!/usr/bin/env bash
# Every test tier, in order: unit (cargo test), extension (cargo pgrx test pg15),
# SQL surface (pg_prove over sql/tests on a fresh migrated cluster), end-to-end (tests/).
# Each tier prints its own summary; the first failing tier stops the run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
tier() { printf '\n==== %s ====\n' "$*"; }
started=$SECONDS

tier "1/4 unit tests (cargo test)"
cargo test --release --quiet -p cimiento-api --lib --bins --tests
cargo test --release --quiet -p cimiento-e2e --lib

tier "2/4 extension tests (cargo pgrx test pg15)"
PGRX_DATA="$(mktemp -d /tmp/cimiento-pgrx-XXXXXX)"
chmod 0755 "$PGRX_DATA"; chown postgres "$PGRX_DATA" 2>/dev/null || true
trap 'rm -rf "$PGRX_DATA"' EXIT
if [ "$(id -u)" -eq 0 ]; then RUNAS=(--runas postgres); else RUNAS=(); fi
bash scripts/pgrx.sh test --release pg15 "${RUNAS[@]}" --pgdata "$PGRX_DATA/data"

tier "3/4 SQL surface (pg_prove sql/tests)"
# Reinstalls the normal build of the extension (pgrx test installed its test build),
# builds the api, then runs pgTAP on a fresh, migrated, isolated cluster.
bash scripts/test-sql.sh

tier "4/4 end-to-end (tests/)"
CIMIENTO_SKIP_BUILD=1 cargo test --release -p cimiento-e2e --test e2e

printf '\nall test tiers passed in %ss\n' "$((SECONDS - started))"
