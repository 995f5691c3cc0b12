#!/usr/bin/env bash
# Cimiento's stack: its own PostgreSQL 15 cluster (run as a non-root OS user) with the
# `cimiento` extension and the migrations in sql/, PostgREST (schema `api`) and the api.
#
#   stack.sh up       start in the background; return when all three are healthy
#   stack.sh run      start, print URLs and credentials, stay in the foreground (Ctrl-C stops)
#   stack.sh down     stop everything this state folder started
#   stack.sh status   what is running
#   stack.sh psql     psql as the migration owner
#   stack.sh migrate  apply pending migrations to a running cluster
#   stack.sh reset    stop and delete the database cluster (the next `up` starts fresh)
#   stack.sh backup [full|diff|incr]  a pgBackRest backup (the first is always full)
#   stack.sh restore 'YYYY-MM-DD HH:MM:SS[+TZ]'  stop, restore the cluster in place to that
#                       moment (point-in-time recovery from the backups and archived WAL),
#                       verify the audit chain and numbering, start again
#   stack.sh drill ['YYYY-MM-DD HH:MM:SS[+TZ]']  restore the backups into a scratch cluster
#                       (the running one untouched), verify it, report, delete it
#   stack.sh service db|pooler|postgrest|api  run ONE service in the foreground (a container's
#                       entry point: compose.yaml); hosts from CIMIENTO_DB_HOST,
#                       CIMIENTO_POOLER_HOST, CIMIENTO_POSTGREST_HOST; secrets from the
#                       environment or from files (OWNER_PASSWORD_FILE, AUTHENTICATOR_PASSWORD_FILE,
#                       API_DB_PASSWORD_FILE, DEMO_ADMIN_PASSWORD_FILE)
#   stack.sh rotate-keys  add a new signing key (old ones keep verifying) and reload api/PostgREST
#   stack.sh retire-key <kid>  remove an old key from the JWKS, the api and PostgREST
#   stack.sh free-port  print a free TCP port on 127.0.0.1 (tests and benches start their
#                       own stacks on free ports; the one definition they all use)
#
# Environment (all optional):
#   CIMIENTO_STATE_DIR        state folder (default .cimiento/ in the repository)
#   CIMIENTO_PG_PORT          PostgreSQL port (54329)
#   CIMIENTO_POSTGREST_PORT   PostgREST port (3000)
#   CIMIENTO_API_PORT         api port (8080)
#   CIMIENTO_POOLER=0         PostgREST and the api connect to PostgreSQL directly (default 1:
#                             through PgBouncer in transaction mode)
#   CIMIENTO_REPLICA=1        also start a streaming read replica (hot standby) for analysts
#   CIMIENTO_REPLICA_PORT     its port (54330, or a free port recorded in the state folder)
#   CIMIENTO_ARCHIVE=0        no WAL archiving / pgBackRest (default 1: archive every WAL segment)
#   CIMIENTO_ARCHIVE_TIMEOUT  seconds after which a WAL segment with commits is archived even
#                             if not full: the most committed work a lost disk can take (60)
#   CIMIENTO_BACKUP_RETENTION_FULL / _DIFF  backups kept (2 full, 7 differential)
#   CIMIENTO_POOLER_PORT      PgBouncer port (6432, or a free port recorded in the state folder)
#   CIMIENTO_SKIP_BUILD=1     use the binaries already built/installed
#   CIMIENTO_ONLY_DB=1        start only PostgreSQL (migrated), not PostgREST and the api
#   CIMIENTO_UP_TIMEOUT       seconds to wait for health (90)
#   CIMIENTO_LISTEN_HOST      address PostgREST and the api listen on (127.0.0.1)
#   CIMIENTO_MIGRATIONS_DIR   migrations folder (sql/migrations; tests point it elsewhere)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${CIMIENTO_STATE_DIR:-$ROOT/.cimiento}"
PG_PORT="${CIMIENTO_PG_PORT:-54329}"
REST_PORT="${CIMIENTO_POSTGREST_PORT:-3000}"
API_PORT="${CIMIENTO_API_PORT:-8080}"
UP_TIMEOUT="${CIMIENTO_UP_TIMEOUT:-90}"
LISTEN_HOST="${CIMIENTO_LISTEN_HOST:-127.0.0.1}"   # PostgREST, the api, PgBouncer (0.0.0.0 in containers)
DB_HOST="${CIMIENTO_DB_HOST:-127.0.0.1}"           # where the services find PostgreSQL
POOLER_HOST="${CIMIENTO_POOLER_HOST:-127.0.0.1}"   # … PgBouncer
REST_HOST="${CIMIENTO_POSTGREST_HOST:-127.0.0.1}"  # … PostgREST (the api's /ready)
DB_NAME="cimiento"
JWT_AUD="cimiento"
PG_BIN="/usr/lib/postgresql/15/bin"
PG_CONFIG="$PG_BIN/pg_config"
POSTGREST_BIN="$ROOT/.tools/bin/postgrest"
API_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/cimiento-api"
PGBOUNCER_BIN="/usr/sbin/pgbouncer"
POOLER="${CIMIENTO_POOLER:-1}"
PGDATA="$STATE/pgdata"
SOCK="$STATE/pgsock"
REPLICA="${CIMIENTO_REPLICA:-0}"
ARCHIVE="${CIMIENTO_ARCHIVE:-1}"
ARCHIVE_TIMEOUT="${CIMIENTO_ARCHIVE_TIMEOUT:-60}"
PGBACKREST_BIN="/usr/bin/pgbackrest"
STANZA="cimiento"
BACKREST_CONF="$STATE/pgbackrest/pgbackrest.conf"
REPLICA_DATA="$STATE/replica"
REPLICA_SOCK="$STATE/replica-sock"
LOGS="$STATE/log"
RUN="$STATE/run"
KEYS="$STATE/keys"
JWKS="${CIMIENTO_JWKS_FILE:-$STATE/jwks.json}"   # PostgREST's verification keys (the api writes them)
MIGRATIONS="${CIMIENTO_MIGRATIONS_DIR:-$ROOT/sql/migrations}"
SEED="${CIMIENTO_SEED_FILE:-$ROOT/sql/seed.sql}"

export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# Postgres refuses to run as root: run its programs as the `postgres` OS user then.
if [ "$(id -u)" -eq 0 ]; then
  PG_OS_USER="postgres"
  as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }
else
  PG_OS_USER="$(id -un)"
  as_pg() { "$@"; }
fi

# The api (with its PDF workers) and PostgREST never run as root: started by root, each runs
# as its own system user (created on first use), owning only the files it reads.
API_OS_USER="cimiento-api"
REST_OS_USER="cimiento-rest"
POOL_OS_USER="cimiento-pool"
is_root() { [ "$(id -u)" -eq 0 ]; }
ensure_os_user() {
  id -u "$1" >/dev/null 2>&1 && return 0
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$1" 2>/dev/null \
    || id -u "$1" >/dev/null 2>&1 || die "could not create the system user $1"
}
# Hands files to a service's user (when root runs the stack; otherwise they are ours already).
own() {
  local user="$1"; shift
  is_root || return 0
  ensure_os_user "$user"
  chown -R "$user:$user" "$@"
}
# A binary the service's user can execute: the built one if reachable, else a copy in $STATE.
reachable_bin() {
  local user="$1" bin="$2"
  if ! is_root || setpriv --reuid="$user" --regid="$user" --init-groups -- test -x "$bin" 2>/dev/null; then
    echo "$bin"; return
  fi
  mkdir -p "$STATE/bin"
  install -m 0755 "$bin" "$STATE/bin/$(basename "$bin")"
  echo "$STATE/bin/$(basename "$bin")"
}
# Starts a service in the background, in its own session, as its OS user, and writes its pid
# (each step execs, so the pid is the service's own).
spawn_service() {
  local user="$1" log="$2" pidfile="$3"; shift 3
  if [ "${FOREGROUND:-0}" = "1" ]; then
    # A container's one process: replaces this shell, logs to stdout/stderr.
    if is_root; then
      ensure_os_user "$user"
      export HOME="$STATE/home/$user"; mkdir -p "$HOME" && chown "$user:$user" "$HOME"
      exec setpriv --reuid="$user" --regid="$user" --init-groups -- "$@"
    fi
    exec "$@"
  fi
  if is_root; then
    ensure_os_user "$user"
    local home="$STATE/home/$user"
    mkdir -p "$home" && chown "$user:$user" "$home" && chmod 0700 "$home"
    ( export HOME="$home"; exec setsid setpriv --reuid="$user" --regid="$user" --init-groups -- "$@" ) >>"$log" 2>&1 </dev/null &
  else
    ( exec setsid "$@" ) >>"$log" 2>&1 </dev/null &
  fi
  echo $! >"$pidfile"
}

# psql as the bootstrap superuser / migration owner, over the cluster's private socket.
psql_super() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PG_PORT" -U postgres "$@"; }
psql_owner() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PG_PORT" -U cimiento_owner -d "$DB_NAME" "$@"; }

# A pid file names a live process (not a zombie left for an init that does not reap).
pid_alive() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [ -n "$pid" ] && [ -r "/proc/$pid/status" ] || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}
# After a crash the postmaster can linger as a zombie (where init does not reap): its lock
# files are stale, and PostgreSQL refuses to start while that pid "exists". Removes lock
# files whose process is gone or a zombie.
clear_stale_locks() {
  local f pid
  for f in "$PGDATA/postmaster.pid" "$SOCK/.s.PGSQL.$PG_PORT.lock"; do
    [ -f "$f" ] || continue
    pid="$(head -n 1 "$f" 2>/dev/null | tr -d ' -')"
    if [ -z "$pid" ] || [ ! -e "/proc/$pid" ] || grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; then
      rm -f "$f"
      [ "$f" = "$SOCK/.s.PGSQL.$PG_PORT.lock" ] && rm -f "$SOCK/.s.PGSQL.$PG_PORT"
    fi
  done
}

pg_running() {
  clear_stale_locks
  [ -f "$PGDATA/postmaster.pid" ] || return 1
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A port the kernel hands out as free (released at once; the caller binds it right after).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- build ------------------------------------------------------------------------------
build() {
  if [ "${CIMIENTO_SKIP_BUILD:-}" = "1" ]; then return; fi
  say "building the api (release)"
  (cd "$ROOT" && cargo build --release --quiet -p cimiento-api)
  say "building and installing the cimiento extension into PostgreSQL 15"
  PG_CONFIG="$PG_CONFIG" bash "$ROOT/scripts/pgrx.sh" install --release --pg-config "$PG_CONFIG" >"$STATE/log/pgrx-install.log" 2>&1 \
    || { tail -n 40 "$STATE/log/pgrx-install.log" >&2; die "extension build failed"; }
}

# --- secrets and keys (generated here, never committed) --------------------------------
# A secret given to a container: NAME from the environment, or from the file NAME_FILE.
secret_from_env() {
  local name="$1" file_var="${1}_FILE"
  if [ -n "${!file_var:-}" ]; then
    [ -r "${!file_var}" ] || die "$file_var names an unreadable file"
    printf '%s=%s\n' "$name" "$(tr -d '\n' <"${!file_var}")"
  elif [ -n "${!name:-}" ]; then
    printf '%s=%s\n' "$name" "${!name}"
  fi
}

secrets() {
  if [ ! -f "$STATE/secrets.env" ] && [ -n "${OWNER_PASSWORD_FILE:-}${OWNER_PASSWORD:-}${AUTHENTICATOR_PASSWORD_FILE:-}${AUTHENTICATOR_PASSWORD:-}${API_DB_PASSWORD_FILE:-}${API_DB_PASSWORD:-}" ]; then
    umask 077
    { for n in OWNER_PASSWORD AUTHENTICATOR_PASSWORD API_DB_PASSWORD DEMO_ADMIN_PASSWORD; do secret_from_env "$n"; done; } >"$STATE/secrets.env"
    umask 022
  fi
  if [ ! -f "$STATE/secrets.env" ]; then
    umask 077
    {
      echo "OWNER_PASSWORD=$(openssl rand -hex 24)"
      echo "AUTHENTICATOR_PASSWORD=$(openssl rand -hex 24)"
      echo "API_DB_PASSWORD=$(openssl rand -hex 24)"
      echo "DEMO_ADMIN_PASSWORD=Demo-$(openssl rand -hex 6)"
    } >"$STATE/secrets.env"
    umask 022
  fi
  # shellcheck disable=SC1091
  . "$STATE/secrets.env"
  : "${DEMO_ADMIN_PASSWORD:=Demo-$(openssl rand -hex 6)}"
  # Containers without the api (db, pooler, PostgREST) need no signing keys.
  [ "${NO_KEYS:-0}" = "1" ] && return 0
  [ -x "$API_BIN" ] || die "$API_BIN is missing; build first (make build)"
  "$API_BIN" keys init --dir "$KEYS" >/dev/null
  "$API_BIN" keys jwks --dir "$KEYS" --out "$STATE/jwks.json"
  chmod 0700 "$KEYS"
  own "$API_OS_USER" "$KEYS"
}

# --- PostgreSQL -------------------------------------------------------------------------
init_cluster() {
  if [ -f "$PGDATA/PG_VERSION" ]; then return; fi
  say "creating a PostgreSQL 15 cluster in $PGDATA"
  mkdir -p "$PGDATA" "$SOCK"
  chown "$PG_OS_USER" "$PGDATA" "$SOCK"
  chmod 0700 "$PGDATA" "$SOCK"
  as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1 \
    || { cat "$LOGS/initdb.log" >&2; die "initdb failed"; }
  cat >>"$PGDATA/postgresql.conf" <<CONF

# --- Cimiento ---
listen_addresses = '${CIMIENTO_DB_LISTEN:-127.0.0.1}'
unix_socket_directories = '$SOCK'
# pg_cron runs the engine's scheduled jobs (cimiento.schedule) in the application database.
shared_preload_libraries = 'cimiento,pg_cron'
cron.database_name = '$DB_NAME'
# Jobs run in background workers (no libpq connection, so no password for the job owner).
cron.use_background_workers = on
max_worker_processes = 16
password_encryption = 'scram-sha-256'
max_connections = 200
shared_buffers = '256MB'
log_min_messages = warning
log_min_error_statement = error
log_line_prefix = '%m [%p] %q%u@%d '
CONF
  # In a container the services reach the database over the container network.
  if [ "${CIMIENTO_DB_LISTEN:-127.0.0.1}" != "127.0.0.1" ]; then
    echo "host all all samenet scram-sha-256" >>"$PGDATA/pg_hba.conf"
  fi
}

# WAL archiving to pgBackRest (set before the server starts; archive_mode needs a restart).
configure_archiving() {
  [ "$ARCHIVE" = "1" ] || return 0
  [ -x "$PGBACKREST_BIN" ] || die "$PGBACKREST_BIN is missing; run scripts/install.sh"
  mkdir -p "$STATE/pgbackrest" "$STATE/backups" "$LOGS/pgbackrest"
  cat >"$BACKREST_CONF" <<CONF
[global]
repo1-path=$STATE/backups
repo1-retention-full=${CIMIENTO_BACKUP_RETENTION_FULL:-2}
repo1-retention-diff=${CIMIENTO_BACKUP_RETENTION_DIFF:-7}
start-fast=y
compress-type=gz
compress-level=1
log-path=$LOGS/pgbackrest
lock-path=$STATE/pgbackrest/lock
log-level-console=warn
log-level-file=info

[$STANZA]
pg1-path=$PGDATA
pg1-port=$PG_PORT
pg1-socket-path=$SOCK
pg1-user=postgres
CONF
  chown -R "$PG_OS_USER" "$STATE/pgbackrest" "$STATE/backups" "$LOGS/pgbackrest"
  chmod 0700 "$STATE/backups"
  if ! grep -q "^# --- Cimiento archiving ---" "$PGDATA/postgresql.conf"; then
    cat >>"$PGDATA/postgresql.conf" <<CONF

# --- Cimiento archiving ---
archive_mode = on
archive_command = '$PGBACKREST_BIN --config=$BACKREST_CONF --stanza=$STANZA archive-push %p'
CONF
  fi
}

backrest() { as_pg "$PGBACKREST_BIN" --config="$BACKREST_CONF" --stanza="$STANZA" "$@"; }

# The stanza once per repository, after the server is up.
ensure_stanza() {
  [ "$ARCHIVE" = "1" ] || return 0
  if [ ! -f "$STATE/backups/backup/$STANZA/backup.info" ]; then
    say "creating the pgBackRest stanza (WAL archiving to $STATE/backups)"
    backrest stanza-create >>"$LOGS/pgbackrest.log" 2>&1 || { tail -n 20 "$LOGS/pgbackrest.log" >&2; die "pgbackrest stanza-create failed"; }
  fi
}

start_pg() {
  if pg_running; then say "postgres already running on 127.0.0.1:$PG_PORT"; return; fi
  if port_in_use "$PG_PORT"; then die "port $PG_PORT is in use by another program (set CIMIENTO_PG_PORT)"; fi
  chown "$PG_OS_USER" "$LOGS"
  say "starting postgres on 127.0.0.1:$PG_PORT"
  # Backtraces of Rust panics would end up in client-visible error details.
  ( unset RUST_BACKTRACE RUST_LIB_BACKTRACE
    # archive_timeout bounds what a lost disk can take (CIMIENTO_ARCHIVE_TIMEOUT, per start).
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -o "-p $PG_PORT -c archive_timeout=$ARCHIVE_TIMEOUT" -w -t 600 start >/dev/null ) \
    || { tail -n 30 "$LOGS/postgres.log" >&2; die "postgres did not start"; }
}

bootstrap_db() {
  if ! psql_super -d postgres -tAc "select 1 from pg_database where datname = '$DB_NAME'" | grep -q 1; then
    psql_super -d postgres -c "create database $DB_NAME"
  fi
  psql_super -d "$DB_NAME" \
    -v owner_password="$OWNER_PASSWORD" \
    -v authenticator_password="$AUTHENTICATOR_PASSWORD" \
    -v api_password="$API_DB_PASSWORD" \
    -f "$ROOT/sql/bootstrap.sql" 2>&1 | sed 's/^/[bootstrap] /' >&2
  [ "${PIPESTATUS[0]}" -eq 0 ] || die "sql/bootstrap.sql failed"
  check_extension_script
}

# The extension's fingerprint: what its SQL does, not how pgrx happened to print it. pgrx
# writes the blocks of connected objects in an order it does not keep from one build to the
# next (the file says so), heads each block with the Rust file and line it came from and
# notes Rust types in comments, so the same SQL comes out as different files after any edit
# that moves a line. The fingerprint is the sha256 of the blocks sorted, each without its
# comments and with its spaces collapsed, marked "blocks:" (a database created before
# recorded the file's own sha256, still accepted when it matches and then replaced).
extension_fingerprint() {
  python3 -c 'import hashlib, re, sys
def statements(block):
    lines = (re.sub(r"/\*.*?\*/", "", l).strip() for l in block.splitlines() if not l.strip().startswith("--"))
    return "\n".join(" ".join(l.split()) for l in lines if l)
blocks = open(sys.argv[1], encoding="utf-8").read().split("/* <begin connected objects> */")
print("blocks:" + hashlib.sha256("\n".join(sorted(statements(b) for b in blocks)).encode()).hexdigest())' "$1"
}

# The extension's SQL may only change with its version (and an upgrade script): a database
# created from another script of the same version would silently lack the new functions.
check_extension_script() {
  local version file sum recorded
  version="$(psql_super -d "$DB_NAME" -tAc "select extversion from pg_extension where extname = 'cimiento'")"
  file="$("$PG_CONFIG" --sharedir)/extension/cimiento--$version.sql"
  [ -f "$file" ] || return 0
  sum="$(extension_fingerprint "$file")"
  recorded="$(psql_super -d "$DB_NAME" -tAc "select sha256 from meta.extension_scripts where version = '$version'")"
  if [ -n "$recorded" ] && [ "${recorded#blocks:}" = "$recorded" ] && [ "$recorded" = "$(sha256sum "$file" | cut -d' ' -f1)" ]; then
    psql_super -d "$DB_NAME" -c "update meta.extension_scripts set sha256 = '$sum' where version = '$version'" >/dev/null
    recorded="$sum"
  fi
  if [ -z "$recorded" ]; then
    psql_super -d "$DB_NAME" -c "insert into meta.extension_scripts (version, sha256) values ('$version', '$sum')" >/dev/null
  elif [ "$recorded" != "$sum" ]; then
    die "the cimiento extension's SQL for version $version changed after this database was created.
  In development: make reset (a fresh database). For a release: bump the version in extension/Cargo.toml
  and ship an upgrade script (cimiento--old--new.sql) so ALTER EXTENSION cimiento UPDATE applies it."
  fi
}

revoke_migration_membership() {
  psql_super -d "$DB_NAME" -c "REVOKE audit_owner FROM cimiento_owner" >/dev/null 2>&1 || true
}

# Applies sql/migrations/*.sql in order as the migration owner, each in its own
# transaction together with its record (file name + sha256) in meta.migrations.
# Refuses to run when an applied file was edited or removed. Loads sql/seed.sql once,
# on a fresh database.
migrate() {
  local applied fresh=0 f name sum recorded
  applied="$(psql_owner -tA -F ' ' -c "select filename, sha256 from meta.migrations order by filename")"
  [ -z "$applied" ] && fresh=1
  while read -r name recorded; do
    [ -z "$name" ] && continue
    f="$MIGRATIONS/$name"
    [ -f "$f" ] || die "migration $name was applied but its file is gone; migrations are append-only"
    sum="$(sha256sum "$f" | cut -d' ' -f1)"
    [ "$sum" = "$recorded" ] || die "migration $name was edited after it was applied (recorded sha256 $recorded, file has $sum); migrations are append-only: write a new one"
  done <<<"$applied"
  local count=0 pending=0
  for f in "$MIGRATIONS"/*.sql; do
    if [ -e "$f" ] && ! grep -q "^$(basename "$f") " <<<"$applied"; then pending=1; fi
  done
  # Migrations that build the audit schema run as audit_owner: the migration runner is a
  # member only while they run (never at rest; see SECURITY.md).
  if [ "$pending" -eq 1 ]; then
    psql_super -d "$DB_NAME" -c "GRANT audit_owner TO cimiento_owner" >/dev/null
    trap revoke_migration_membership EXIT
  fi
  for f in "$MIGRATIONS"/*.sql; do
    [ -e "$f" ] || continue
    name="$(basename "$f")"
    [[ "$name" =~ ^[0-9]{4}_[a-z0-9_]+\.sql$ ]] || die "migration file name $name is not NNNN_lower_snake.sql"
    if grep -q "^$name " <<<"$applied"; then continue; fi
    sum="$(sha256sum "$f" | cut -d' ' -f1)"
    say "migrating: $name"
    if ! psql_owner -1 -f "$f" \
        -c "insert into meta.migrations (filename, sha256) values ('$name', '$sum')" >"$LOGS/migrate.log" 2>&1; then
      cat "$LOGS/migrate.log" >&2
      die "migration $name failed; it was rolled back and the database is as it was before it"
    fi
    count=$((count + 1))
  done
  if [ "$pending" -eq 1 ]; then revoke_migration_membership; trap - EXIT; fi
  if [ "$count" -eq 0 ]; then
    say "migrations: up to date"
  else
    # A PostgREST already running reloads its schema cache (new views and functions).
    psql_owner -c "NOTIFY pgrst, 'reload schema'" >/dev/null || true
    pid_alive "$RUN/postgrest.pid" && kill -USR1 "$(cat "$RUN/postgrest.pid")" 2>/dev/null || true
  fi
  if [ "$fresh" -eq 1 ] && [ -f "$SEED" ]; then
    say "fresh database: loading sql/seed.sql"
    local admin_hash
    admin_hash="$(printf '%s\n' "$DEMO_ADMIN_PASSWORD" | "$API_BIN" hash-password)"
    psql_owner -1 -v admin_password_hash="$admin_hash" -f "$SEED" >"$LOGS/seed.log" 2>&1 \
      || { cat "$LOGS/seed.log" >&2; die "sql/seed.sql failed"; }
    # The agency's seed manages its own transactions (see its header). Benchmarks that do
    # not need it skip its half minute (CIMIENTO_SEED_AGENCY=0).
    if [ -z "${CIMIENTO_SEED_FILE:-}" ] && [ "${CIMIENTO_SEED_AGENCY:-1}" = 1 ]; then
      say "fresh database: loading sql/seed_agency.sql"
      psql_owner -v admin_password_hash="$admin_hash" -f "$ROOT/sql/seed_agency.sql" >>"$LOGS/seed.log" 2>&1 \
        || { cat "$LOGS/seed.log" >&2; die "sql/seed_agency.sql failed"; }
    fi
  fi
}

# --- PgBouncer ----------------------------------------------------------------------------
# Transaction pooling between PostgREST / the api and PostgreSQL: a server connection serves
# one client transaction at a time, so nothing session-level may be set by them (PostgREST
# and the api set role, claims and timeouts with SET LOCAL / set_config(..., true)).
# LISTEN needs a session: the api's listeners and PostgREST's schema-reload channel connect
# directly (see start_postgrest, start_api).
pooler_port() {
  if [ -n "${CIMIENTO_POOLER_PORT:-}" ]; then echo "$CIMIENTO_POOLER_PORT"; return; fi
  if [ ! -s "$STATE/pooler.port" ]; then
    if [ "$STATE" = "$ROOT/.cimiento" ] && ! port_in_use 6432; then echo 6432 >"$STATE/pooler.port"
    else free_port >"$STATE/pooler.port"; fi
  fi
  cat "$STATE/pooler.port"
}

# The port PostgREST and the api's pool connect to.
db_port_for_services() { if [ "$POOLER" = "1" ]; then pooler_port; else echo "$PG_PORT"; fi; }
db_host_for_services() { if [ "$POOLER" = "1" ]; then echo "$POOLER_HOST"; else echo "$DB_HOST"; fi; }

start_pooler() {
  [ "$POOLER" = "1" ] || return 0
  local port; port="$(pooler_port)"
  if pid_alive "$RUN/pgbouncer.pid"; then say "pgbouncer already running on 127.0.0.1:$port"; return; fi
  if port_in_use "$port"; then die "port $port is in use by another program (set CIMIENTO_POOLER_PORT)"; fi
  [ -x "$PGBOUNCER_BIN" ] || die "$PGBOUNCER_BIN is missing; run scripts/install.sh"
  mkdir -p "$STATE/pgbouncer"
  umask 077
  # Only the two service logins pass through the pooler; people and analysts connect directly.
  printf '"authenticator" "%s"\n"cimiento_api" "%s"\n' "$AUTHENTICATOR_PASSWORD" "$API_DB_PASSWORD" >"$STATE/pgbouncer/userlist.txt"
  cat >"$STATE/pgbouncer/pgbouncer.ini" <<CONF
[databases]
$DB_NAME = host=$DB_HOST port=$PG_PORT dbname=$DB_NAME

[pgbouncer]
listen_addr = $LISTEN_HOST
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $STATE/pgbouncer/userlist.txt
pool_mode = transaction
; PostgREST's and the api's own pools together stay under max_client_conn.
max_client_conn = 1000
default_pool_size = 20
min_pool_size = 0
reserve_pool_size = 5
max_db_connections = 80
server_lifetime = 3600
server_idle_timeout = 300
ignore_startup_parameters = extra_float_digits
; A released server connection drops every prepared statement: a client's statement object
; can outlive its transaction (tokio-postgres closes it when the last row is dropped, on
; whichever server connection it then has), and nothing of one request may reach the next.
; Settings, roles and claims are transaction-local by construction (SET LOCAL /
; set_config(..., true)); DISCARD ALL would also throw away every cached plan of every
; PL/pgSQL function, a re-plan per transaction.
server_reset_query = DEALLOCATE ALL
server_reset_query_always = 1
log_connections = 0
log_disconnections = 0
stats_period = 60
CONF
  umask 022
  own "$POOL_OS_USER" "$STATE/pgbouncer"
  say "starting pgbouncer (transaction pooling) on 127.0.0.1:$port"
  spawn_service "$POOL_OS_USER" "$LOGS/pgbouncer.log" "$RUN/pgbouncer.pid" "$PGBOUNCER_BIN" "$STATE/pgbouncer/pgbouncer.ini"
}

# --- Read replica ------------------------------------------------------------------------
# A hot standby streaming from the primary over its private socket (cimiento_replicator,
# a physical replication slot so the primary keeps the WAL it has not received). It carries
# everything, roles and core.db_logins included, so analysts' logins, tenant isolation and
# the reports behave as on the primary, read-only. Its lag: cimiento.health() there or on
# the primary, and `stack.sh status`.
replica_port() {
  if [ -n "${CIMIENTO_REPLICA_PORT:-}" ]; then echo "$CIMIENTO_REPLICA_PORT"; return; fi
  if [ ! -s "$STATE/replica.port" ]; then
    if [ "$STATE" = "$ROOT/.cimiento" ] && ! port_in_use 54330; then echo 54330 >"$STATE/replica.port"
    else free_port >"$STATE/replica.port"; fi
  fi
  cat "$STATE/replica.port"
}

replica_running() {
  [ -f "$REPLICA_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" status >/dev/null 2>&1
}

start_replica() {
  [ "$REPLICA" = "1" ] || return 0
  local port; port="$(replica_port)"
  if replica_running; then say "replica already running on 127.0.0.1:$port"; return; fi
  if [ ! -f "$REPLICA_DATA/PG_VERSION" ]; then
    say "creating the read replica (base backup of the primary)"
    mkdir -p "$REPLICA_DATA" "$REPLICA_SOCK"
    chown "$PG_OS_USER" "$REPLICA_DATA" "$REPLICA_SOCK"
    chmod 0700 "$REPLICA_DATA" "$REPLICA_SOCK"
    # A slot left by an earlier replica (reset) is dropped; the new backup creates it again.
    psql_super -d postgres -c "SELECT pg_drop_replication_slot('cimiento_replica') FROM pg_replication_slots WHERE slot_name = 'cimiento_replica' AND NOT active" >/dev/null
    as_pg "$PG_BIN/pg_basebackup" -D "$REPLICA_DATA" -h "$SOCK" -p "$PG_PORT" -U cimiento_replicator \
        -X stream -C -S cimiento_replica -R -c fast >"$LOGS/replica-basebackup.log" 2>&1 \
      || { cat "$LOGS/replica-basebackup.log" >&2; rm -rf "$REPLICA_DATA"; die "pg_basebackup failed"; }
    cat >>"$REPLICA_DATA/postgresql.conf" <<CONF

# --- Cimiento read replica ---
unix_socket_directories = '$REPLICA_SOCK'
hot_standby = on
# Analysts' long reports are not cancelled by the primary's vacuum (at the price of some
# bloat there while they run).
hot_standby_feedback = on
max_standby_streaming_delay = '30s'
CONF
  fi
  if port_in_use "$port"; then die "port $port is in use by another program (set CIMIENTO_REPLICA_PORT)"; fi
  say "starting the read replica on 127.0.0.1:$port"
  ( unset RUST_BACKTRACE RUST_LIB_BACKTRACE
    as_pg "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -l "$LOGS/replica.log" -o "-p $port" -w -t 60 start >/dev/null ) \
    || { tail -n 30 "$LOGS/replica.log" >&2; die "the replica did not start"; }
}

replica_lag() {
  "$PG_BIN/psql" -X -qtA -h "$REPLICA_SOCK" -p "$(replica_port)" -U postgres -d "$DB_NAME" \
    -c "SELECT value FROM cimiento.health() WHERE check_name = 'replica_lag'" 2>/dev/null
}

# --- PostgREST and api --------------------------------------------------------------------
start_postgrest() {
  if pid_alive "$RUN/postgrest.pid"; then say "postgrest already running on 127.0.0.1:$REST_PORT"; return; fi
  if port_in_use "$REST_PORT"; then die "port $REST_PORT is in use by another program (set CIMIENTO_POSTGREST_PORT)"; fi
  [ -x "$POSTGREST_BIN" ] || die "$POSTGREST_BIN is missing; run scripts/install.sh"
  local pre_request=""
  # A container has no socket to ask through; the shipped migrations always define the hook.
  if [ "${FOREGROUND:-0}" = "1" ] || psql_owner -tAc "select to_regprocedure('hooks.pre_request()') is not null" | grep -q t; then
    pre_request='db-pre-request = "hooks.pre_request"'
  fi
  umask 077
  cat >"$STATE/postgrest.conf" <<CONF
db-uri = "postgres://authenticator:$AUTHENTICATOR_PASSWORD@$(db_host_for_services):$(db_port_for_services)/$DB_NAME"
# Through a transaction-mode pooler: no prepared statements, no LISTEN (schema reloads are
# signalled with SIGUSR1 by stack.sh migrate instead of NOTIFY pgrst).
db-prepared-statements = $([ "$POOLER" = "1" ] && echo false || echo true)
db-channel-enabled = $([ "$POOLER" = "1" ] && echo false || echo true)
db-schemas = "api"
db-anon-role = "anon"
db-pool = 20
db-extra-search-path = "public"
jwt-secret = "@$JWKS"
jwt-aud = "$JWT_AUD"
server-host = "$LISTEN_HOST"
server-port = $REST_PORT
log-level = "warn"
openapi-mode = "follow-privileges"
$pre_request
CONF
  umask 022
  own "$REST_OS_USER" "$STATE/postgrest.conf"
  say "starting postgrest on 127.0.0.1:$REST_PORT"
  spawn_service "$REST_OS_USER" "$LOGS/postgrest.log" "$RUN/postgrest.pid" \
    "$(reachable_bin "$REST_OS_USER" "$POSTGREST_BIN")" "$STATE/postgrest.conf"
}

start_api() {
  if pid_alive "$RUN/api.pid"; then say "api already running on 127.0.0.1:$API_PORT"; return; fi
  if port_in_use "$API_PORT"; then die "port $API_PORT is in use by another program (set CIMIENTO_API_PORT)"; fi
  say "starting api on 127.0.0.1:$API_PORT"
  CIMIENTO_API_ADDR="$LISTEN_HOST:$API_PORT" \
  CIMIENTO_API_DATABASE_URL="postgres://cimiento_api:$API_DB_PASSWORD@$(db_host_for_services):$(db_port_for_services)/$DB_NAME" \
  CIMIENTO_API_LISTEN_DATABASE_URL="postgres://cimiento_api:$API_DB_PASSWORD@$DB_HOST:$PG_PORT/$DB_NAME" \
  POSTGREST_URL="http://$REST_HOST:$REST_PORT" \
  CIMIENTO_KEYS_DIR="$KEYS" \
  CIMIENTO_JWT_AUDIENCE="$JWT_AUD" \
  CIMIENTO_STATE_DIR="$STATE" \
  RUST_LOG="${RUST_LOG:-info}" \
    spawn_service "$API_OS_USER" "$LOGS/api.log" "$RUN/api.pid" "$(reachable_bin "$API_OS_USER" "$API_BIN")" serve
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

wait_healthy() {
  local deadline=$((SECONDS + UP_TIMEOUT)) pg=0 rest=0 api=0
  while [ $SECONDS -lt $deadline ]; do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && pg=1 || pg=0
    if [ "${CIMIENTO_ONLY_DB:-}" = "1" ]; then
      [ $pg -eq 1 ] && return 0
    else
      http_ok "http://127.0.0.1:$REST_PORT/" && rest=1 || rest=0
      http_ok "http://127.0.0.1:$API_PORT/ready" && api=1 || api=0
      [ $pg -eq 1 ] && [ $rest -eq 1 ] && [ $api -eq 1 ] && return 0
      if ! pid_alive "$RUN/postgrest.pid" || ! pid_alive "$RUN/api.pid" \
         || { [ "$POOLER" = "1" ] && ! pid_alive "$RUN/pgbouncer.pid"; }; then
        say "a service exited during start-up" >&2
        break
      fi
    fi
    sleep 0.3
  done
  say "not healthy (waited up to ${UP_TIMEOUT}s): postgres=$pg postgrest=$rest api=$api" >&2
  [ $pg -eq 1 ] || { echo "--- postgres.log (tail) ---" >&2; tail -n 30 "$LOGS/postgres.log" >&2 || true; }
  [ $rest -eq 1 ] || { echo "--- postgrest.log (tail) ---" >&2; tail -n 30 "$LOGS/postgrest.log" >&2 || true; }
  [ $api -eq 1 ] || { echo "--- api.log (tail) ---" >&2; tail -n 30 "$LOGS/api.log" >&2 || true; }
  [ "$POOLER" != "1" ] || { echo "--- pgbouncer.log (tail) ---" >&2; tail -n 15 "$LOGS/pgbouncer.log" >&2 || true; }
  return 1
}

write_env() {
  umask 077
  cat >"$STATE/env" <<ENV
DATABASE_URL=postgres://cimiento_owner:$OWNER_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
POSTGREST_URL=http://127.0.0.1:$REST_PORT
API_URL=http://127.0.0.1:$API_PORT
CIMIENTO_STATE_DIR=$STATE
CIMIENTO_PG_SOCKET=$SOCK
CIMIENTO_PG_PORT=$PG_PORT
CIMIENTO_AUTHENTICATOR_URL=postgres://authenticator:$AUTHENTICATOR_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
CIMIENTO_API_DATABASE_URL=postgres://cimiento_api:$API_DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
CIMIENTO_POOLER=$POOLER
CIMIENTO_REPLICA=$REPLICA
CIMIENTO_REPLICA_PORT=$([ "$REPLICA" = "1" ] && replica_port)
CIMIENTO_REPLICA_SOCKET=$REPLICA_SOCK
CIMIENTO_SERVICES_DB_PORT=$(db_port_for_services)
CIMIENTO_POOLED_AUTHENTICATOR_URL=postgres://authenticator:$AUTHENTICATOR_PASSWORD@127.0.0.1:$(db_port_for_services)/$DB_NAME
CIMIENTO_POOLED_API_URL=postgres://cimiento_api:$API_DB_PASSWORD@127.0.0.1:$(db_port_for_services)/$DB_NAME
CIMIENTO_KEYS_DIR=$KEYS
CIMIENTO_JWT_AUDIENCE=$JWT_AUD
DEMO_TENANT=demo
DEMO_ADMIN_EMAIL=admin@demo.cimiento.dev
DEMO_ADMIN_PASSWORD=$DEMO_ADMIN_PASSWORD
ENV
  umask 022
}

stop_pid() {
  local file="$1" name="$2" pid i
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if pid_alive "$file"; then
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do pid_alive "$file" || break; sleep 0.2; done
    if pid_alive "$file"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$file"
}

cmd_down() {
  stop_pid "$RUN/api.pid" api
  stop_pid "$RUN/postgrest.pid" postgrest
  stop_pid "$RUN/pgbouncer.pid" pgbouncer
  if replica_running; then
    say "stopping the replica"
    as_pg "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -m fast -w -t 60 stop >/dev/null || true
  fi
  if pg_running; then
    say "stopping postgres"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null || true
  fi
  say "down"
}

cmd_up() {
  mkdir -p "$STATE" "$LOGS" "$RUN"
  chmod 0755 "$STATE"   # the postgres OS user must reach pgdata and the socket
  build
  secrets
  init_cluster
  configure_archiving
  start_pg
  ensure_stanza
  if ! { bootstrap_db && migrate; }; then
    cmd_down >/dev/null
    exit 1
  fi
  start_replica
  if [ "${CIMIENTO_ONLY_DB:-}" != "1" ]; then
    start_pooler
    start_postgrest
    start_api
  fi
  write_env
  if ! wait_healthy; then
    cmd_down >/dev/null
    die "the stack did not become healthy"
  fi
  say "healthy"
  print_urls
}

print_urls() {
  echo
  echo "  PostgreSQL  postgres://cimiento_owner@127.0.0.1:$PG_PORT/$DB_NAME   (make psql)"
  [ "$REPLICA" != "1" ] || echo "  replica     127.0.0.1:$(replica_port) (read-only hot standby for analysts' logins)"
  if [ "${CIMIENTO_ONLY_DB:-}" != "1" ]; then
    echo "  PostgREST   http://127.0.0.1:$REST_PORT/    (OpenAPI at /)"
    echo "  api         http://127.0.0.1:$API_PORT/     (/health, /ready, /metrics, /.well-known/jwks.json)"
    [ "$POOLER" != "1" ] || echo "  PgBouncer   127.0.0.1:$(pooler_port) (transaction pooling for PostgREST and the api)"
  fi
  echo "  demo admin  tenant 'demo', admin@demo.cimiento.dev / $DEMO_ADMIN_PASSWORD"
  echo "              (secretaria.norte@demo.cimiento.dev, limited to Sede Norte, has the same password)"
  echo "  demo shop   tenant 'tienda', admin@tienda.cimiento.dev and cajero.norte@tienda.cimiento.dev (same password)"
  echo "  demo agency tenant 'agencia', admin@ gerente@ auxiliar@ cobrador1@ vendedor1@agencia.cimiento.dev … (same password; admin and gerente enrol TOTP)"
  echo "  settings    $STATE/env"
  echo
}

cmd_run() {
  trap 'echo; cmd_down; exit 0' INT TERM
  cmd_up
  say "running in the foreground; Ctrl-C stops postgres, postgrest and the api"
  # Follow the logs until interrupted (or until a service dies).
  tail -n 0 -F "$LOGS/api.log" "$LOGS/postgrest.log" 2>/dev/null &
  local tail_pid=$!
  trap 'kill $tail_pid 2>/dev/null; echo; cmd_down; exit 0' INT TERM
  while pid_alive "$RUN/api.pid" && pid_alive "$RUN/postgrest.pid" && pg_running; do sleep 1; done
  kill $tail_pid 2>/dev/null || true
  say "a service stopped unexpectedly; stopping the rest" >&2
  cmd_down
  exit 1
}

# The api re-reads the keys folder on SIGHUP, PostgREST the JWKS file on SIGUSR2.
reload_keys() {
  pid_alive "$RUN/api.pid" && kill -HUP "$(cat "$RUN/api.pid")"
  pid_alive "$RUN/postgrest.pid" && kill -USR2 "$(cat "$RUN/postgrest.pid")"
  return 0
}

# A new signing key: the api signs with it after SIGHUP; both keys stay in the JWKS (and in
# PostgREST) so tokens signed with the old one keep verifying until they expire. Retire the
# old key afterwards with `stack.sh retire-key <kid>`.
cmd_rotate_keys() {
  [ -x "$API_BIN" ] || die "$API_BIN is missing; build first"
  local kid
  kid="$("$API_BIN" keys rotate --dir "$KEYS" --jwks "$STATE/jwks.json")"
  own "$API_OS_USER" "$KEYS"
  reload_keys
  say "signing key rotated: new kid $kid (old keys still verify until retired)"
}

# Removes a key that no longer signs: out of the JWKS, the api and PostgREST, so tokens
# signed with it are refused from now on.
cmd_retire_key() {
  [ -x "$API_BIN" ] || die "$API_BIN is missing; build first"
  [ -n "${1:-}" ] || die "usage: stack.sh retire-key <kid>"
  "$API_BIN" keys retire "$1" --dir "$KEYS" --jwks "$STATE/jwks.json"
  reload_keys
  say "signing key $1 retired: its tokens are refused"
}

# --- Backups and point-in-time recovery ----------------------------------------------------
cmd_backup() {
  [ "$ARCHIVE" = "1" ] || die "archiving is off (CIMIENTO_ARCHIVE=0)"
  pg_running || die "postgres is not running (make up)"
  local type="${1:-diff}"
  case "$type" in full|diff|incr) ;; *) die "backup type is full, diff or incr (got $type)" ;; esac
  ensure_stanza
  say "pgBackRest $type backup of $PGDATA (the first one is full)"
  backrest --type="$type" backup || die "pgbackrest backup failed (see $LOGS/pgbackrest)"
  backrest info | sed 's/^/  /'
}

# Checks a restored cluster reached over socket $1, port $2: every tenant's audit chain and
# every numbering series. Prints one line per problem and a summary; fails on any problem.
verify_restored() {
  local sock="$1" port="$2" out
  out="$("$PG_BIN/psql" -X -qtA -F ' ' -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d "$DB_NAME" <<'SQL'
SELECT 'audit ' || t.slug || ' ' || CASE WHEN v.ok THEN 'ok' ELSE 'BROKEN' END || ' ' || v.checked || ' seals'
       || coalesce(' ' || v.problem, '')
  FROM core.tenants t CROSS JOIN LATERAL cimiento.verify_audit(t.id, NULL) v;
SELECT 'numbering ' || CASE WHEN bool_and(ok) THEN 'ok' ELSE 'BROKEN' END || ' ' || count(*) || ' series '
       || coalesce(string_agg(CASE WHEN NOT ok THEN table_name || '/' || series_id END, ', '), '')
  FROM cimiento.verify_numbering();
SQL
)" || { echo "$out" >&2; return 1; }
  echo "$out" | sed 's/^/  /'
  ! grep -q BROKEN <<<"$out"
}

# What a lost primary disk can take: commits since the last archived WAL segment, at most
# archive_timeout seconds after a segment starts filling.
loss_window() {
  echo "  archiving: every WAL segment is archived when full or after archive_timeout = ${ARCHIVE_TIMEOUT}s,"
  echo "  so losing the primary's disk loses at most the last ${ARCHIVE_TIMEOUT} s of committed work"
}

# Makes sure every WAL up to now is in the repository (switches the segment and waits).
flush_archive() {
  pg_running || return 0
  backrest check >/dev/null 2>&1 || say "warning: pgbackrest check failed; the newest WAL may not be archived"
}

cmd_restore() {
  [ "$ARCHIVE" = "1" ] || die "archiving is off (CIMIENTO_ARCHIVE=0)"
  local at="${1:-}"
  [ -n "$at" ] || die "usage: stack.sh restore 'YYYY-MM-DD HH:MM:SS[+TZ]'"
  [ -f "$STATE/backups/backup/$STANZA/backup.info" ] || die "no backups yet (make backup)"
  . "$STATE/secrets.env"
  flush_archive
  say "restoring $PGDATA to $at (services are stopped meanwhile)"
  cmd_down >/dev/null
  backrest --delta --type=time --target="$at" --target-action=promote restore >>"$LOGS/pgbackrest.log" 2>&1 \
    || { tail -n 20 "$LOGS/pgbackrest.log" >&2
         grep -q 'unable to find backup set' <(tail -n 20 "$LOGS/pgbackrest.log") \
           && { say "hint: a restore starts from a backup that stopped before $at (in an earlier second); the backups:"
                backrest info | sed 's/^/  /' >&2; }
         die "pgbackrest restore failed"; }
  # A standby of the old timeline cannot follow the new one: it is made again on the next up.
  rm -rf "$REPLICA_DATA"
  start_pg
  local i
  for i in $(seq 1 600); do
    [ "$(psql_super -d postgres -tAc 'select pg_is_in_recovery()' 2>/dev/null)" = "f" ] && break
    sleep 0.2
  done
  say "restored to $at; verifying"
  verify_restored "$SOCK" "$PG_PORT" || die "the restored database does not verify"
  loss_window
  # The same binaries as before the restore (a rebuild here could change the extension's script).
  CIMIENTO_SKIP_BUILD=1 cmd_up
}

cmd_drill() {
  [ "$ARCHIVE" = "1" ] || die "archiving is off (CIMIENTO_ARCHIVE=0)"
  [ -f "$STATE/backups/backup/$STANZA/backup.info" ] || die "no backups yet (make backup)"
  local at="${1:-}" dir port target=()
  flush_archive
  dir="$(mktemp -d /tmp/cimiento-drill-XXXXXX)"; chmod 0755 "$dir"
  port="$(free_port)"
  mkdir -p "$dir/data" "$dir/sock"; chown -R "$PG_OS_USER" "$dir"; chmod 0700 "$dir/data"
  [ -n "$at" ] && target=(--type=time "--target=$at" --target-action=promote)
  say "drill: restoring the backups${at:+ to $at} into $dir (the running cluster is untouched)"
  local started=$SECONDS
  backrest --pg1-path="$dir/data" "${target[@]}" restore >>"$LOGS/pgbackrest.log" 2>&1 \
    || { tail -n 20 "$LOGS/pgbackrest.log" >&2; rm -rf "$dir"; die "drill: pgbackrest restore failed"; }
  # The copy must not archive into the live repository, nor take the live cluster's socket.
  cat >>"$dir/data/postgresql.conf" <<CONF
archive_mode = off
unix_socket_directories = '$dir/sock'
# No scheduled jobs in a copy.
shared_preload_libraries = 'cimiento'
CONF
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-p $port -c listen_addresses=''" -w -t 300 start >/dev/null \
    || { tail -n 20 "$dir/postgres.log" >&2; rm -rf "$dir"; die "drill: the restored copy did not start"; }
  local i ok=0
  for i in $(seq 1 1500); do
    [ "$("$PG_BIN/psql" -X -qtA -h "$dir/sock" -p "$port" -U postgres -d postgres -c 'select pg_is_in_recovery()' 2>/dev/null)" = "f" ] && break
    sleep 0.2
  done
  say "drill: restored in $((SECONDS - started)) s; verifying"
  verify_restored "$dir/sock" "$port" && ok=1
  loss_window
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  [ "$ok" = 1 ] || die "drill: the restored copy does not verify"
  say "drill: passed"
}

# One service in the foreground, for containers (compose.yaml): the same steps as `up`.
cmd_service() {
  mkdir -p "$STATE" "$LOGS" "$RUN"; chmod 0755 "$STATE"
  export FOREGROUND=1 CIMIENTO_SKIP_BUILD=1
  case "${1:-}" in
    db)
      NO_KEYS=1 secrets
      init_cluster; configure_archiving; start_pg; ensure_stanza
      bootstrap_db && migrate || { cmd_down; die "bootstrap or migrations failed"; }
      as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
      say "postgres on :$PG_PORT in the foreground"
      if is_root; then exec runuser -u "$PG_OS_USER" -- "$PG_BIN/postgres" -D "$PGDATA" -p "$PG_PORT" -c "archive_timeout=$ARCHIVE_TIMEOUT"; fi
      exec "$PG_BIN/postgres" -D "$PGDATA" -p "$PG_PORT" -c "archive_timeout=$ARCHIVE_TIMEOUT" ;;
    pooler) NO_KEYS=1 secrets; POOLER=1; start_pooler ;;
    postgrest)
      NO_KEYS=1 secrets
      # The api's container publishes the JWKS into the shared state volume.
      local i; for i in $(seq 1 300); do [ -s "$JWKS" ] && break; sleep 1; done
      [ -s "$JWKS" ] || die "no $JWKS (the api service writes it)"
      pg_isready_wait; start_postgrest ;;
    api) secrets; pg_isready_wait; start_api ;;
    *) die "usage: stack.sh service db|pooler|postgrest|api" ;;
  esac
}

# Waits for PostgreSQL across the network (containers start in any order).
pg_isready_wait() {
  local i; for i in $(seq 1 300); do "$PG_BIN/pg_isready" -q -h "$DB_HOST" -p "$PG_PORT" && return 0; sleep 1; done
  die "PostgreSQL at $DB_HOST:$PG_PORT did not answer"
}

cmd_status() {
  pg_running && echo "postgres   running (127.0.0.1:$PG_PORT)" || echo "postgres   stopped"
  pid_alive "$RUN/postgrest.pid" && echo "postgrest  running (pid $(cat "$RUN/postgrest.pid"))" || echo "postgrest  stopped"
  pid_alive "$RUN/api.pid" && echo "api        running (pid $(cat "$RUN/api.pid"))" || echo "api        stopped"
  if [ "$POOLER" = "1" ]; then
    pid_alive "$RUN/pgbouncer.pid" && echo "pgbouncer  running (127.0.0.1:$(pooler_port))" || echo "pgbouncer  stopped"
  fi
  if [ -f "$REPLICA_DATA/PG_VERSION" ]; then
    replica_running && echo "replica    running (127.0.0.1:$(replica_port), $(replica_lag) s behind)" || echo "replica    stopped"
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  run) cmd_run ;;
  down) cmd_down ;;
  status) cmd_status ;;
  rotate-keys) cmd_rotate_keys ;;
  retire-key) shift; cmd_retire_key "$@" ;;
  reset) cmd_down; say "removing the database cluster in $PGDATA (keys and secrets are kept)"; rm -rf "$PGDATA" "$REPLICA_DATA" ;;
  psql) shift; pg_running || die "postgres is not running (make up)"; psql_owner "$@" ;;
  migrate) . "$STATE/secrets.env"; migrate ;;
  backup) shift; cmd_backup "$@" ;;
  restore) shift; cmd_restore "$@" ;;
  drill) shift; cmd_drill "$@" ;;
  service) shift; cmd_service "$@" ;;
  free-port) free_port ;;
  extension-fingerprint) shift; extension_fingerprint "$1" ;;
  *) echo "usage: $0 up|run|down|status|psql|migrate|reset|backup [full|diff|incr]|restore <time>|drill [<time>]|rotate-keys|retire-key <kid>|free-port|extension-fingerprint <file>" >&2; exit 2 ;;
esac
