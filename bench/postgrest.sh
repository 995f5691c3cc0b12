#!/usr/bin/env bash
# What frontends feel: a typical list through the real PostgREST (a page of enrollments with
# their student and financial status embedded), signed in as the demo tenant's admin (JWT,
# pre-request hook, RLS and the cimiento helpers) ÷ the same request by a role with RLS off
# and an explicit tenant filter (same PostgREST, same JWT verification, same hook). wrk, 4
# connections, alternating rounds; 11 tenants × 2 000 enrollments.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${BENCH_ROUNDS:-3}"; SECS="${BENCH_SECONDS:-8}"; CLIENTS="${BENCH_CLIENTS:-4}"
DIR="$BENCH_ROOT/bench/postgrest"
echo "postgrest: starting an isolated stack (PostgreSQL, PostgREST, api) and loading 11 × 2 000 enrollments…"
export CIMIENTO_ONLY_DB=0 CIMIENTO_POSTGREST_PORT="$(bench_free_port)" CIMIENTO_API_PORT="$(bench_free_port)"
export CIMIENTO_LOGIN_PER_IP_PER_MIN=100000
bench_db_up
bench_psql postgres -f "$DIR/setup.sql" >/dev/null
set -a; . "$CIMIENTO_STATE_DIR/env"; set +a

# The admin's token from a real sign-in; the baseline's is the same token with role bench_norls
# (signed with the stack's active key, so PostgREST verifies both alike).
token="$(curl -sf "$API_URL/auth/login" -H 'content-type: application/json' \
  -d "{\"tenant\":\"$DEMO_TENANT\",\"email\":\"$DEMO_ADMIN_EMAIL\",\"password\":\"$DEMO_ADMIN_PASSWORD\"}" | jq -r .access_token)"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
unb64url() { local s; s="$(tr '_-' '/+')"; while [ $(( ${#s} % 4 )) -ne 0 ]; do s="$s="; done; printf '%s' "$s" | openssl base64 -A -d; }
header="$(printf '%s' "$token" | cut -d. -f1)"
kid="$(printf '%s' "$header" | unb64url | jq -r .kid)"
payload="$(printf '%s' "$token" | cut -d. -f2 | unb64url | jq -c '.role = "bench_norls"' | b64url)"
sig="$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$CIMIENTO_KEYS_DIR/$kid.pem" -binary | b64url)"
norls="$header.$payload.$sig"
tenant="$(printf '%s' "$token" | cut -d. -f2 | unb64url | jq -r .tid)"

list="select=id,status,agreed_fee,enrolled_at,students(first_name,last_name),financial_status(balance,status)&order=enrolled_at.desc&limit=50"
url_rls="$POSTGREST_URL/enrollments?$list"
url_explicit="$POSTGREST_URL/enrollments?$list&tenant_id=eq.$tenant"
# Both must answer the same page before anything is timed.
a="$(curl -sf "$url_rls" -H "Authorization: Bearer $token" | jq -c 'map(.id)')"
b="$(curl -sf "$url_explicit" -H "Authorization: Bearer $norls" | jq -c 'map(.id)')"
[ "$a" = "$b" ] && [ "$(printf '%s' "$a" | jq length)" -eq 50 ] || { echo "postgrest: the two requests do not return the same 50 rows" >&2; exit 1; }
c="$(curl -sf "$POSTGREST_URL/enrollments?select=id&limit=100000" -H "Authorization: Bearer $norls" | jq length)"
echo "postgrest: a page of 50 of the tenant's 2 000+ enrollments; without the tenant filter the RLS-off role sees $c"

rps() { wrk -t2 -c"$CLIENTS" -d"${SECS}s" -H "Authorization: Bearer $1" "$2" | awk '/^Requests\/sec:/ {print $2}'; }
ra=(); rb=()
for r in $(seq 1 "$ROUNDS"); do
  ra+=("$(rps "$token" "$url_rls")")
  rb+=("$(rps "$norls" "$url_explicit")")
done
m_a="$(printf '%s\n' "${ra[@]}" | median)"; m_b="$(printf '%s\n' "${rb[@]}" | median)"
echo "postgrest: $CLIENTS connections, $ROUNDS alternating rounds of ${SECS}s (median requests/s)"
printf '  enrollments page   (a) JWT + RLS %9s   (b) RLS off, explicit tenant filter %9s   a/b = %s (goal >= 0.9)\n' "$m_a" "$m_b" "$(ratio "$m_a" "$m_b")"
bench_goal "PostgREST list (JWT, RLS, hook) ÷ RLS off with explicit filter" "$(ratio "$m_a" "$m_b")" '>=' 0.9
