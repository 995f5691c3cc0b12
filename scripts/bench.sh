#!/usr/bin/env bash
# Runs every benchmark in bench/ (each an executable bench/*.sh) and prints its figures.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shopt -s nullglob
benches=("$ROOT"/bench/*.sh)
if [ ${#benches[@]} -eq 0 ]; then
  echo "no benchmarks yet"
  exit 0
fi
for b in "${benches[@]}"; do
  printf '\n==== bench: %s ====\n' "$(basename "$b" .sh)"
  bash "$b"
done
