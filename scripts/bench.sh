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
(cd "$ROOT/extension" && cargo pgrx install --release --pg-config /usr/lib/postgresql/15/bin/pg_config >/dev/null 2>&1)
export CIMIENTO_SKIP_BUILD=1
for b in "${benches[@]}"; do
  printf '\n==== bench: %s ====\n' "$(basename "$b" .sh)"
  bash "$b"
done
