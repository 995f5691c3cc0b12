#!/usr/bin/env bash
# cargo pgrx <args…> in extension/, after giving the installed library a fresh file.
# `cargo pgrx install` and `cargo pgrx test` write cimiento.so in place: every cluster still
# running the old build has that file mapped and dies with SIGBUS on its next page of it
# (its postmaster too, while it restarts). A copy renamed over the path leaves the running
# clusters the old inode, and the build writes into the new one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
lib="$("$PG_CONFIG" --pkglibdir)/cimiento.so"
if [ -f "$lib" ]; then
  cp -p "$lib" "$lib.$$" && mv -f "$lib.$$" "$lib"
fi
cd "$ROOT/extension"
exec cargo pgrx "$@"
