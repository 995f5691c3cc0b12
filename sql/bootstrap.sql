-- Cluster-level setup for Cimiento: login and group roles, the extension, the migration
-- ledger. Run by the bootstrap superuser (never by the app) before the migrations, at every
-- `make up`; idempotent. Passwords arrive as psql variables generated at setup into the
-- git-ignored state folder; none is committed.
--
-- Roles (see the design):
--   cimiento_owner  owns every schema and table; runs the migrations; BYPASSRLS, not superuser.
--                   Neither PostgREST nor the api ever logs in as it.
--   authenticator   PostgREST's login; NOINHERIT; may only SET ROLE anon / app_user.
--   cimiento_api    the axum service's login; NOINHERIT; may SET ROLE app_user to act as a caller.
--   anon            requests without a token.
--   app_user        every signed-in tenant user (tenant, branches, roles come from the JWT).
--   analyst         read-only access to `reports`; direct SQL logins are members of it and
--                   get their tenant from core.db_logins.
--   audit_owner     owns the append-only audit log. No login is a member of it (the
--                   migration runner is made one only while migrations run: scripts/stack.sh).
--   cimiento_numbering  what the numbering trigger acts as: may write only the numbering
--                   columns. NOLOGIN, no members.
--   cimiento_sealer the audit sealer worker's login: reads the log, appends seals. Not a
--                   superuser; no password (only the local socket, which only the postgres OS
--                   user can reach).
--   cimiento_replicator  streams WAL to the read replica and takes base backups
--                   (REPLICATION, not a superuser; no password: only the local socket).
--   cimiento_guard  owns the protected trigger functions (cimiento.protect_trigger), so the
--                   migration owner cannot replace them. NOLOGIN, no members, no privileges.
--   cimiento_jobs   what scheduled jobs run as (cimiento.run_job), one tenant at a time, with
--                   only the job's declared permissions; NOBYPASSRLS. NOLOGIN, no members.
-- See SECURITY.md for who is trusted with what.
SET client_min_messages = warning;

DO $roles$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
      ('cimiento_owner', true), ('authenticator', true), ('cimiento_api', true),
      ('anon', false), ('app_user', false), ('analyst', false), ('audit_owner', false),
      ('cimiento_numbering', false), ('cimiento_sealer', true), ('cimiento_guard', false),
      ('cimiento_jobs', false), ('cimiento_replicator', true)) AS t(name, login)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.name) THEN
      EXECUTE format('CREATE ROLE %I %s', r.name, CASE WHEN r.login THEN 'LOGIN' ELSE 'NOLOGIN' END);
    END IF;
  END LOOP;
END
$roles$;

ALTER ROLE cimiento_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS PASSWORD :'owner_password';
ALTER ROLE authenticator  WITH LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'authenticator_password';
ALTER ROLE cimiento_api   WITH LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'api_password';
ALTER ROLE anon           WITH NOLOGIN NOSUPERUSER NOBYPASSRLS;
ALTER ROLE app_user       WITH NOLOGIN NOSUPERUSER NOBYPASSRLS;
ALTER ROLE analyst        WITH NOLOGIN NOSUPERUSER NOBYPASSRLS;
ALTER ROLE audit_owner    WITH NOLOGIN NOSUPERUSER BYPASSRLS;  -- maintains the whole trail (audit.prune)
-- Numbering acts on one row by key, in any tenant's transaction, so it bypasses RLS.
ALTER ROLE cimiento_numbering WITH NOLOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS;
ALTER ROLE cimiento_sealer    WITH LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS PASSWORD NULL;
ALTER ROLE cimiento_replicator WITH LOGIN REPLICATION NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD NULL;
ALTER ROLE cimiento_guard     WITH NOLOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
-- Scheduled jobs run as cimiento_jobs, one tenant at a time, under row-level security.
ALTER ROLE cimiento_jobs      WITH NOLOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;

GRANT anon, app_user TO authenticator;
GRANT app_user TO cimiento_api;
-- No login is a member of audit_owner at rest; scripts/stack.sh grants it to the migration
-- runner only while pending migrations run (0006 creates the audit schema as audit_owner).
DO $audit$ BEGIN
  IF pg_has_role('cimiento_owner', 'audit_owner', 'MEMBER') THEN
    REVOKE audit_owner FROM cimiento_owner;
  END IF;
END $audit$;

-- Limits for every login: no statement runs for ever, no transaction idles for ever (an
-- idle transaction would hold back vacuum and keep locks). The migration owner and the
-- superuser (maintenance, migrations, bulk loads) are exempt; direct analyst logins get the
-- database defaults.
ALTER DATABASE :"DBNAME" SET statement_timeout = '60s';
ALTER DATABASE :"DBNAME" SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE authenticator SET statement_timeout = '15s';
ALTER ROLE authenticator SET idle_in_transaction_session_timeout = '10s';
ALTER ROLE cimiento_api  SET statement_timeout = '15s';
ALTER ROLE cimiento_api  SET idle_in_transaction_session_timeout = '10s';
ALTER ROLE anon          SET statement_timeout = '5s';
ALTER ROLE analyst       SET statement_timeout = '60s';
ALTER ROLE cimiento_owner IN DATABASE :"DBNAME" SET statement_timeout = 0;
ALTER ROLE cimiento_owner IN DATABASE :"DBNAME" SET idle_in_transaction_session_timeout = 0;
ALTER ROLE CURRENT_USER IN DATABASE :"DBNAME" SET statement_timeout = 0;
ALTER ROLE CURRENT_USER IN DATABASE :"DBNAME" SET idle_in_transaction_session_timeout = 0;

SELECT format('ALTER DATABASE %I OWNER TO cimiento_owner', current_database()) \gexec
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO authenticator, cimiento_api, analyst, cimiento_owner;
GRANT CONNECT ON DATABASE :"DBNAME" TO cimiento_sealer;
-- Only the cluster superuser creates objects in `public`: a function planted there could
-- otherwise be picked up by a statement run with more privilege than its author.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO PUBLIC;

CREATE EXTENSION IF NOT EXISTS cimiento;
-- pg_cron (preloaded by stack.sh): the scheduler behind the engine's scheduled jobs.
CREATE EXTENSION IF NOT EXISTS pg_cron;
-- pg_trgm and unaccent (contrib, in public): typo- and accent-tolerant search
-- (insurance.search_key, api.search_clients); callers qualify them (public.unaccent, OPERATOR(public.<%)).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
-- Under RLS the planner uses an index only for LEAKPROOF operators (a filter that could leak
-- a row's value in an error must wait for the policies). pg_trgm's word-similarity operators
-- compare two texts and never raise on their values, so they are marked as such: the
-- trigram index then serves api.search_clients as the caller.
ALTER FUNCTION public.word_similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION public.word_similarity_commutator_op(text, text) LEAKPROOF;
ALTER EXTENSION cimiento UPDATE;
-- The extension's identity lookups are not executable by PUBLIC; the roles that act for a
-- tenant may call them (anon never). The owner registers the identity sources.
GRANT EXECUTE ON FUNCTION cimiento.register_identity(regprocedure, regprocedure, regclass) TO cimiento_owner;
GRANT EXECUTE ON FUNCTION cimiento.login_scope(), cimiento.caller_role_permissions()
  TO app_user, analyst, cimiento_api, cimiento_owner, audit_owner, cimiento_numbering;
-- Numbering: the migration owner registers its tables (the trigger acts as cimiento_numbering).
GRANT EXECUTE ON FUNCTION cimiento.enable_numbering(regclass, regclass, jsonb, text, name, name, text[], name, name, name, name, name, text, regprocedure, jsonb) TO cimiento_owner;
GRANT EXECUTE ON FUNCTION cimiento.number_when_free(regclass, boolean) TO cimiento_owner;
GRANT EXECUTE ON FUNCTION cimiento.prepare_numbering(regclass, regprocedure, regprocedure) TO cimiento_owner;
DO $numbering$ BEGIN
  IF to_regprocedure('cimiento.number_at_commit()') IS NOT NULL THEN
    GRANT EXECUTE ON FUNCTION cimiento.number_at_commit() TO cimiento_owner;
  END IF;
  IF to_regprocedure('cimiento.number_on_issue()') IS NOT NULL THEN
    GRANT EXECUTE ON FUNCTION cimiento.number_on_issue() TO cimiento_owner;
  END IF;
END $numbering$;
-- Dropped tables: the migration owner's drops forget what the table registered.
GRANT EXECUTE ON FUNCTION cimiento.forget_dropped_tables() TO cimiento_owner;
-- Scheduled jobs: the migration owner schedules its functions; it and operators run one now.
GRANT EXECUTE ON FUNCTION cimiento.schedule(text, text, regprocedure, text[]), cimiento.unschedule(text),
  cimiento.run_job(text, text) TO cimiento_owner;
-- Audit: the migration owner registers the store and attaches the trigger; DBAs verify
-- and checkpoint the chain.
GRANT EXECUTE ON FUNCTION cimiento.register_audit_store(regclass, regclass, regclass, regclass, regclass) TO cimiento_owner;
GRANT EXECUTE ON FUNCTION cimiento.audit_row() TO cimiento_owner;
GRANT EXECUTE ON FUNCTION cimiento.audit_checkpoint(uuid), cimiento.verify_audit(uuid, jsonb)
  TO cimiento_owner, audit_owner;
-- Health (counts only): DBAs and the api's /ready and /metrics.
GRANT EXECUTE ON FUNCTION cimiento.health() TO cimiento_owner, cimiento_api;
-- Migrations protect their guard triggers (SECURITY DEFINER; checks the login owns the table).
GRANT EXECUTE ON FUNCTION cimiento.protect_trigger(regclass, text) TO cimiento_owner;
GRANT EXECUTE ON FUNCTION cimiento.enable_workflow(regclass, name, jsonb, text, text[], name),
                          cimiento.enable_owner_scope(regclass, text, text, text, text[]),
                          cimiento.enable_append_only(regclass, text, text) TO cimiento_owner;
-- Sealing runs in the worker; by hand only as the superuser (or audit_owner).
REVOKE EXECUTE ON FUNCTION cimiento.seal_audit() FROM cimiento_owner;
GRANT EXECUTE ON FUNCTION cimiento.seal_audit() TO audit_owner;

-- The migration ledger: one row per applied file, with the checksum it had.
CREATE SCHEMA IF NOT EXISTS meta AUTHORIZATION cimiento_owner;
COMMENT ON SCHEMA meta IS 'Cimiento bookkeeping (migration ledger); not exposed to any API role.';
CREATE TABLE IF NOT EXISTS meta.migrations (
  filename   text PRIMARY KEY,
  sha256     text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  applied_at timestamptz NOT NULL DEFAULT now(),
  applied_by text NOT NULL DEFAULT current_user
);
ALTER TABLE meta.migrations OWNER TO cimiento_owner;
COMMENT ON TABLE meta.migrations IS 'Applied migrations (file name and sha256). Append-only: an applied file must never change.';

-- Which extension script each installed version came from (checked by scripts/stack.sh).
CREATE TABLE IF NOT EXISTS meta.extension_scripts (
  version    text PRIMARY KEY,
  sha256     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE meta.extension_scripts OWNER TO cimiento_owner;
COMMENT ON TABLE meta.extension_scripts IS 'The fingerprint of the cimiento extension script of each installed version (column sha256: ''blocks:'' and the sha256 of the script''s blocks of statements sorted, without comments: pgrx writes the same SQL in an order that varies between builds, headed by the Rust lines it came from; scripts/stack.sh extension-fingerprint): the SQL of a version must never change.';
