#!/usr/bin/env bash
# Invoice PDFs: (a) the api rendering on first download, (b) bare warm WeasyPrint, (c) the
# weasyprint CLI per document, (d) re-download of a stored PDF — 20-line invoice, p50/p95
# at concurrency 1 and 2, in BENCH_ROUNDS rounds (default 3; each figure is the median of the
# rounds'). The stack renders on demand only (CIMIENTO_PDF_RENDER_ON_ISSUE=false).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_ROUNDS="${BENCH_ROUNDS:-3}" # the one default; the binary reads it from here
[[ "$BENCH_ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "pdf: BENCH_ROUNDS must be a positive whole number, not ${BENCH_ROUNDS@Q}" >&2; exit 2; }
export BENCH_ROUNDS
echo "pdf: starting an isolated stack (PostgreSQL, PostgREST, api with 2 warm WeasyPrint workers)…"
export CIMIENTO_ONLY_DB=0 CIMIENTO_POSTGREST_PORT="$(bench_free_port)" CIMIENTO_API_PORT="$(bench_free_port)"
export CIMIENTO_PDF_RENDER_ON_ISSUE=false CIMIENTO_PDF_WORKERS=2 CIMIENTO_LOGIN_PER_IP_PER_MIN=100000
bench_db_up
# One invoice for the HTML, and 20 per concurrency and round.
bench_psql cimiento_owner -v count="$(( 1 + BENCH_ROUNDS * 2 * 20 ))" -f "$BENCH_ROOT/bench/pdf/invoices.sql" >/dev/null
ids="$CIMIENTO_STATE_DIR/bench-invoice-ids"
bench_psql cimiento_owner -tA -c "SELECT id FROM billing.invoices WHERE series_code = 'BENCH' ORDER BY number" >"$ids"
sleep 2 # the api warms its workers at start
(cd "$BENCH_ROOT" && cargo build --release --quiet -p cimiento-e2e --bin bench_pdf)
"${CARGO_TARGET_DIR:-$BENCH_ROOT/target}/release/bench_pdf" "$CIMIENTO_STATE_DIR/env" "$BENCH_ROOT/bench/pdf/warm.py" "$ids"
