#!/usr/bin/env bash
# Bulk imports against the real stack (PostgreSQL, PostgREST, api), as the demo admin:
#  1. rows/s of an import of BENCH_IMPORT_ROWS valid students (default 100 000) — validation
#     (every row through api.register_student as the admin, undone) plus promotion (again,
#     for good, with lineage) — ÷ PostgREST's bulk insert of the same rows (one POST
#     /students with a JSON array: RLS, grants, constraints and the audit trigger, no RPC),
#     run once before the import and once after it (other documents), the mean of the two
#     rates, each started once the audit sealer has caught up (start-up work — seed, PDF
#     warm-up, sealing — swung a single run between 6 500 and 12 000 rows/s). Goal ≥ 0.5.
#     Upload and staging are timed apart.
#  2. the api's peak memory (VmHWM) while a BENCH_UPLOAD_MB (default 200) MB CSV is
#     uploaded and staged. Goal under 200 MB.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS="${BENCH_IMPORT_ROWS:-100000}"
UPLOAD_MB="${BENCH_UPLOAD_MB:-200}"
echo "imports: starting an isolated stack (PostgreSQL, PostgREST, api)…"
export CIMIENTO_ONLY_DB=0 CIMIENTO_POSTGREST_PORT="$(bench_free_port)" CIMIENTO_API_PORT="$(bench_free_port)"
export CIMIENTO_LOGIN_PER_IP_PER_MIN=100000
bench_db_up
set -a; . "$CIMIENTO_STATE_DIR/env"; set +a
work="$(mktemp -d)"; trap 'rm -rf "$work"; bench_db_down' EXIT
sign_in() {
  curl -sf "$API_URL/auth/login" -H 'content-type: application/json' \
    -d "{\"tenant\":\"$DEMO_TENANT\",\"email\":\"$DEMO_ADMIN_EMAIL\",\"password\":\"$DEMO_ADMIN_PASSWORD\"}" | jq -r .access_token
}
token="$(sign_in)"
centro="$(curl -sf "$POSTGREST_URL/branches?code=eq.CENTRO&select=id" -H "Authorization: Bearer $token" | jq -r '.[0].id')"

# The same students twice, under two document prefixes: a CSV for the import, JSON for PostgREST.
python3 - "$ROWS" "$centro" "$work" <<'PY'
import csv, json, sys
rows, centro, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
first = ["José", "María", "Íñigo", "Begoña", "Ramón"]; last = ["Núñez", "Peña", "Ibáñez", "Muñoz", "Gómez"]
with open(f"{work}/students.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(["Sede", "DNI", "Nombre", "Apellidos", "Correo"])
    for i in range(rows):
        w.writerow(["CENTRO", f"IMP{i:07d}", first[i % 5], last[i % 5], f"imp{i}@example.es"])
for run in (1, 2):
    with open(f"{work}/students{run}.json", "w", encoding="utf-8") as f:
        json.dump([{"branch_id": centro, "document_id": f"PG{run}{i:07d}", "first_name": first[i % 5], "last_name": last[i % 5],
                    "email": f"pg{run}-{i}@example.es"} for i in range(rows)], f)
PY

# Baseline: PostgREST's bulk insert of the rows of students<run>.json; prints rows/s.
bulk_insert() {
  local t0 t1 code
  bench_quiesce
  t0=$(date +%s.%N)
  code="$(curl -s -o "$work/bulk.out" -w '%{http_code}' "$POSTGREST_URL/students" -H "Authorization: Bearer $token" \
    -H 'content-type: application/json' -H 'prefer: return=minimal' --data-binary @"$work/students$1.json")"
  t1=$(date +%s.%N)
  [ "$code" = 201 ] || { echo "imports: the bulk insert failed ($code): $(head -c 300 "$work/bulk.out")" >&2; exit 1; }
  awk -v n="$ROWS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }'
}
bulk_before="$(bulk_insert 1)"
bench_quiesce

# Measured: upload, then validation and promotion in the api's background worker.
t0=$(date +%s.%N)
batch="$(curl -sf "$API_URL/imports" -H "Authorization: Bearer $token" -F target=students -F "file=@$work/students.csv" | jq -r .id)"
t1=$(date +%s.%N)
wait_status() {
  while :; do
    s="$(curl -sf "$POSTGREST_URL/imports?id=eq.$batch&select=status" -H "Authorization: Bearer $token" | jq -r '.[0].status')"
    [ "$s" = "$1" ] && return 0
    case "$s" in failed|cancelled) echo "imports: the batch is $s"; exit 1 ;; esac
    sleep 0.5
  done
}
wait_status validated
curl -sf "$POSTGREST_URL/rpc/promote_import" -H "Authorization: Bearer $token" -H 'content-type: application/json' \
  -d "{\"batch_id\":\"$batch\"}" >/dev/null
wait_status done
read -r validate_s promote_s invalid created <<<"$(bench_psql postgres -tA -F' ' -c "
  SELECT extract(epoch FROM b.validated_at - v.started), extract(epoch FROM b.finished_at - b.phase_started_at), b.rows_invalid, b.rows_created
    FROM imports.batches b,
         LATERAL (SELECT min(h.created_at) AS started FROM cimiento.workflow_history h
                   WHERE h.entity = 'import_batches' AND h.row_id = b.id::text AND h.to_state = 'validating') v
   WHERE b.id = '$batch'")"
[ "$invalid" = 0 ] && [ "$created" = "$ROWS" ] || { echo "imports: $invalid invalid, $created created of $ROWS"; exit 1; }
import_rps="$(awk -v n="$ROWS" -v a="$validate_s" -v b="$promote_s" 'BEGIN { printf "%.0f", n / (a + b) }')"
token="$(sign_in)"
bulk_after="$(bulk_insert 2)"
bulk_rps="$(awk -v a="$bulk_before" -v b="$bulk_after" 'BEGIN { printf "%.0f", (a + b) / 2 }')"
printf '  upload and staging of %d rows: %.1f s\n' "$ROWS" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
printf '  validation %.1f s + promotion %.1f s: %s rows/s; PostgREST bulk insert: %s rows/s (%s before, %s after)\n' \
  "$validate_s" "$promote_s" "$import_rps" "$bulk_rps" "$bulk_before" "$bulk_after"
r="$(ratio "$import_rps" "$bulk_rps")"
printf '  import ÷ bulk insert: %s (goal ≥ 0.5)\n' "$r"
bench_goal "imports validation+promotion ÷ PostgREST bulk insert, $ROWS students" "$r" '>=' 0.5 ''

# The api's peak memory during a large upload (the batch is cancelled once staged).
python3 - "$UPLOAD_MB" "$work/big.csv" <<'PY'
import sys
mb, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8") as f:
    f.write("Sede;DNI;Nombre;Apellidos;Correo\n")
    i = 0
    while f.tell() < mb * 1_000_000 - 200:
        f.write(f"CENTRO;BIG{i:08d};José María;Núñez de Peña;big{i}@example.es\n"); i += 1
PY
pid="$(cat "$CIMIENTO_STATE_DIR/run/api.pid")"
before="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
# Staging takes minutes: a fresh token for the upload, another for the cancel after it.
token="$(sign_in)"
code="$(curl -s -o "$work/big.out" -w '%{http_code}' "$API_URL/imports" -H "Authorization: Bearer $token" -F target=students -F "file=@$work/big.csv")"
[ "$code" = 201 ] || { echo "imports: the ${UPLOAD_MB} MB upload failed ($code): $(head -c 300 "$work/big.out")"; exit 1; }
big="$(jq -r .id "$work/big.out")"
token="$(sign_in)"
code="$(curl -s -o "$work/cancel.out" -w '%{http_code}' "$POSTGREST_URL/rpc/cancel_import" -H "Authorization: Bearer $token" \
  -H 'content-type: application/json' -d "{\"batch_id\":\"$big\"}")"
[ "$code" = 200 ] || echo "imports: cancelling the big batch answered $code: $(head -c 300 "$work/cancel.out")"
peak="$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")"
printf '  api peak memory (VmHWM) with a %d MB upload: %s MB (%s MB before)\n' "$(( $(stat -c %s "$work/big.csv") / 1000000 ))" "$peak" "$(( before / 1024 ))"
bench_goal "imports api peak memory, ${UPLOAD_MB} MB upload" "$peak" '<' 200 ' MB'
