#!/usr/bin/env bash
# Runs every benchmark in bench/ (each an executable bench/<name>.sh) and prints its
# figures. Builds once first; each benchmark starts its own isolated cluster.
# Run one: scripts/bench.sh rls
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
shopt -s nullglob
benches=()
for b in "$ROOT"/bench/*.sh; do
  name="$(basename "$b" .sh)"
  [ "$name" = "lib" ] && continue
  if [ $# -gt 0 ] && [[ ! " $* " =~ " $name " ]]; then continue; fi
  benches+=("$b")
done
if [ ${#benches[@]} -eq 0 ]; then
  echo "no benchmarks yet"
  exit 0
fi
echo "building (release) …"
(cd "$ROOT" && cargo build --release --quiet -p cimiento-api)
bash "$ROOT/scripts/pgrx.sh" install --release --pg-config /usr/lib/postgresql/15/bin/pg_config >/dev/null 2>&1
export CIMIENTO_SKIP_BUILD=1
# Each benchmark records its measures with their goals (bench_goal in bench/lib.sh, or the
# same five tab-separated fields from a Rust bench): measure, figure, op, goal, unit.
export BENCH_SUMMARY="$(mktemp /tmp/cimiento-bench-summary-XXXXXX)"
trap 'rm -f "$BENCH_SUMMARY"' EXIT
failed=()
for b in "${benches[@]}"; do
  name="$(basename "$b" .sh)"
  printf '\n==== bench: %s ====\n' "$name"
  if ! bash "$b"; then
    failed+=("$name")
    printf '%s\t%s\t%s\t%s\t%s\n' "bench $name" "failed" "" "" "" >>"$BENCH_SUMMARY"
  fi
done

printf '\n==== summary ====\n'
awk -F '\t' '
  function met(f, op, g) {
    if (f == "failed" || f == "n/a" || f == "") return "no figure"
    if (op == "") return "measured"
    if ((op == ">=" && f + 0 >= g + 0) || (op == "<=" && f + 0 <= g + 0) ||
        (op == ">" && f + 0 > g + 0) || (op == "<" && f + 0 < g + 0)) return "met"
    return "NOT MET"
  }
  BEGIN { printf "%-64s %12s %12s  %s\n", "measure", "figure", "goal", "status" }
  { m = met($2, $3, $4); if (m != "measured") n++; if (m == "met") ok++
    printf "%-64s %12s %12s  %s\n", $1, $2 $5, ($3 == "" ? "" : $3 " " $4 $5), m }
  END { printf "\n%d of %d goals met\n", ok, n }' "$BENCH_SUMMARY"
[ ${#failed[@]} -eq 0 ] || { echo "benchmarks that failed: ${failed[*]}"; exit 1; }
