-- Scheduled jobs. A migration registers a job with cimiento.schedule(name, cron, function,
-- permissions); pg_cron starts cimiento.run_job(name, 'schedule') on the schedule (UTC);
-- run_job runs the function once per active tenant of the registered tenants table, as that
-- tenant (cimiento.run_job_for_tenant, Rust), each tenant in its own subtransaction, and
-- records each run in cimiento.job_runs. Operators and tests run a job now with
-- SELECT * FROM cimiento.run_job('name').

CREATE TABLE cimiento.jobs (
  name          text PRIMARY KEY CONSTRAINT jobs_name CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  schedule      text NOT NULL,
  function      regprocedure NOT NULL,
  permissions   text[] NOT NULL DEFAULT '{}',
  cron_job_id   bigint,
  registered_by name NOT NULL DEFAULT session_user,
  registered_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE cimiento.jobs IS 'Scheduled jobs (registered by cimiento.schedule): the cron schedule pg_cron starts the job on (UTC), the function run once per active tenant as cimiento_jobs, the only permissions it holds while it runs, and its pg_cron job id.';
GRANT SELECT ON cimiento.jobs TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cimiento.jobs', '');

CREATE TABLE cimiento.job_runs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job          text NOT NULL,
  tenant_id    uuid,
  via          text NOT NULL CONSTRAINT job_runs_via CHECK (via IN ('schedule', 'manual')),
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz NOT NULL,
  rows_touched bigint,
  error        text,
  sqlstate     text
);
CREATE INDEX job_runs_tenant_idx ON cimiento.job_runs (tenant_id, job, id);
COMMENT ON TABLE cimiento.job_runs IS 'One row per job run per tenant: when it started and finished, the rows the job reported touching, and the error (message and SQLSTATE) when that tenant''s run failed and was rolled back. A run skipped because the previous one was still running is recorded without a tenant (55P03). A tenant reads its own rows with jobs.read.';
ALTER TABLE cimiento.job_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE cimiento.job_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY job_runs_tenant_read ON cimiento.job_runs FOR SELECT
  USING (tenant_id = (SELECT cimiento.current_tenant()) AND (SELECT cimiento.has_permission('jobs.read')));
GRANT SELECT ON cimiento.job_runs TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cimiento.job_runs', '');

CREATE FUNCTION cimiento.schedule(name text, schedule text, function regprocedure, permissions text[] DEFAULT '{}')
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_proc   pg_catalog.pg_proc;
  v_bad    text;
  v_cron   bigint;
BEGIN
  IF name IS NULL OR name !~ '^[a-z][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION 'a job name is lower_snake_case, at most 63 characters' USING ERRCODE = '22023';
  END IF;
  IF pg_catalog.to_regnamespace('cron') IS NULL THEN
    RAISE EXCEPTION 'pg_cron is not installed in this database' USING ERRCODE = '55000',
      HINT = 'preload pg_cron with cron.database_name set to this database and CREATE EXTENSION pg_cron (sql/bootstrap.sql does)';
  END IF;
  SELECT * INTO v_proc FROM pg_catalog.pg_proc p WHERE p.oid = function;
  IF NOT pg_catalog.pg_has_role(session_user, v_proc.proowner, 'USAGE') THEN
    RAISE EXCEPTION 'permission denied: only the owner of % can schedule it', function USING ERRCODE = '42501';
  END IF;
  IF v_proc.prosecdef OR v_proc.pronargs <> 0
     OR v_proc.prorettype NOT IN ('pg_catalog.int8'::regtype, 'pg_catalog.int4'::regtype, 'pg_catalog.void'::regtype) THEN
    RAISE EXCEPTION 'a job function takes no arguments, returns the rows it touched (bigint or integer) or void, and is not SECURITY DEFINER'
      USING ERRCODE = '42P17', HINT = 'it runs as cimiento_jobs under row-level security, once per tenant';
  END IF;
  IF NOT pg_catalog.has_function_privilege('cimiento_jobs', function, 'EXECUTE') THEN
    RAISE EXCEPTION 'cimiento_jobs may not execute %', function USING ERRCODE = '42501',
      HINT = pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO cimiento_jobs (and what it reads and writes)', function);
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.quote_literal(p), ', ') INTO v_bad
    FROM pg_catalog.unnest(permissions) p
   WHERE p IS NULL OR p !~ '^[a-z][a-z0-9_]*\.([a-z][a-z0-9_]*|\*)$';
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'a job declares the permissions it needs as module.action (or module.*): % is not one', v_bad
      USING ERRCODE = '22023';
  END IF;
  BEGIN
    v_cron := cron.schedule('cimiento:' || name, schedule,
                            pg_catalog.format('SELECT pg_catalog.count(*) FROM cimiento.run_job(%L, %L)', name, 'schedule'));
  EXCEPTION WHEN invalid_parameter_value OR internal_error THEN
    RAISE EXCEPTION 'invalid cron schedule %', pg_catalog.quote_literal(schedule) USING ERRCODE = '22023',
      HINT = 'five fields, minute hour day-of-month month day-of-week, in UTC (e.g. ''15 3 * * *'' is 03:15 every day)';
  END;
  INSERT INTO cimiento.jobs AS j (name, schedule, function, permissions, cron_job_id)
  VALUES (name, schedule, function, permissions, v_cron)
  ON CONFLICT ON CONSTRAINT jobs_pkey DO UPDATE
     SET schedule = EXCLUDED.schedule, function = EXCLUDED.function, permissions = EXCLUDED.permissions,
         cron_job_id = EXCLUDED.cron_job_id, registered_by = EXCLUDED.registered_by, registered_at = EXCLUDED.registered_at;
  RETURN v_cron;
END
$$;
COMMENT ON FUNCTION cimiento.schedule(text, text, regprocedure, text[]) IS 'Registers (or reschedules) a job: pg_cron runs cimiento.run_job(name) on the cron schedule (UTC). The function (owned by the caller, no arguments, returns the rows it touched or void, not SECURITY DEFINER, executable by cimiento_jobs) runs once per active tenant as that tenant under RLS, holding only the declared permissions. Returns the pg_cron job id. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.schedule(text, text, regprocedure, text[]) FROM PUBLIC;

CREATE FUNCTION cimiento.unschedule(name text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_job cimiento.jobs;
BEGIN
  SELECT * INTO v_job FROM cimiento.jobs j WHERE j.name = unschedule.name;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid = v_job.function
                    AND pg_catalog.pg_has_role(session_user, p.proowner, 'USAGE')) THEN
    RAISE EXCEPTION 'permission denied: only the owner of % can unschedule it', v_job.function USING ERRCODE = '42501';
  END IF;
  IF pg_catalog.to_regnamespace('cron') IS NOT NULL
     AND EXISTS (SELECT 1 FROM cron.job c WHERE c.jobid = v_job.cron_job_id) THEN
    PERFORM cron.unschedule(v_job.cron_job_id);
  END IF;
  DELETE FROM cimiento.jobs j WHERE j.name = unschedule.name;
  RETURN true;
END
$$;
COMMENT ON FUNCTION cimiento.unschedule(text) IS 'Removes a job and its pg_cron entry (its recorded runs stay); false when there is no such job. Only the owner of the job''s function. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.unschedule(text) FROM PUBLIC;

CREATE FUNCTION cimiento.run_job(job text, via text DEFAULT 'manual')
RETURNS TABLE (tenant_id uuid, rows_touched bigint, error text)
-- The job's identity lives in this backend: no parallel worker may evaluate its policies.
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
  v_tenants   regclass;
  v_active    boolean;
  v_tenant    uuid;
  v_started   timestamptz;
  v_rows      bigint;
  v_state     text;
  v_message   text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM cimiento.jobs j WHERE j.name = job) THEN
    RAISE EXCEPTION 'no job named %', pg_catalog.quote_literal(job) USING ERRCODE = 'P0002',
      HINT = 'the jobs are listed in cimiento.jobs';
  END IF;
  IF via IS NULL OR via NOT IN ('schedule', 'manual') THEN
    RAISE EXCEPTION 'via is schedule or manual' USING ERRCODE = '22023';
  END IF;
  SELECT s.tenants INTO v_tenants FROM cimiento.identity_sources s;
  IF v_tenants IS NULL THEN
    RAISE EXCEPTION 'no tenants table is registered' USING ERRCODE = '55000',
      HINT = 'a migration registers it with cimiento.register_identity(…)';
  END IF;
  v_started := pg_catalog.clock_timestamp();
  -- Never two runs of one job at once: the second is recorded as skipped.
  IF NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtextextended('cimiento.job ' || job, 0)) THEN
    INSERT INTO cimiento.job_runs (job, tenant_id, via, started_at, finished_at, error, sqlstate)
    VALUES (job, NULL, via, v_started, pg_catalog.clock_timestamp(), 'skipped: the previous run of this job is still running', '55P03');
    RAISE NOTICE 'job % skipped: the previous run is still running', job;
    RETURN;
  END IF;
  v_active := EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = v_tenants AND a.attname = 'active' AND a.atttypid = 'pg_catalog.bool'::regtype
                         AND NOT a.attisdropped);
  FOR v_tenant IN EXECUTE pg_catalog.format('SELECT t.id FROM %s t %s ORDER BY t.id', v_tenants,
                                            CASE WHEN v_active THEN 'WHERE t.active' ELSE '' END) LOOP
    v_started := pg_catalog.clock_timestamp();
    BEGIN
      v_rows := cimiento.run_job_for_tenant(job, v_tenant);
      INSERT INTO cimiento.job_runs (job, tenant_id, via, started_at, finished_at, rows_touched)
      VALUES (job, v_tenant, via, v_started, pg_catalog.clock_timestamp(), v_rows);
      tenant_id := v_tenant; rows_touched := v_rows; error := NULL;
    EXCEPTION WHEN OTHERS THEN
      -- This tenant's work is rolled back; the others go on.
      GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
      INSERT INTO cimiento.job_runs (job, tenant_id, via, started_at, finished_at, error, sqlstate)
      VALUES (job, v_tenant, via, v_started, pg_catalog.clock_timestamp(), v_message, v_state);
      tenant_id := v_tenant; rows_touched := NULL; error := v_message;
    END;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION cimiento.run_job(text, text) IS 'Runs a job now (pg_cron calls it with via => ''schedule''): once per active tenant of the registered tenants table, as that tenant, each tenant in its own subtransaction (a failing tenant is rolled back and recorded; the others go on), recorded in cimiento.job_runs. A run that finds the previous one still going is skipped (recorded, 55P03). Returns each tenant''s rows touched or error. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.run_job(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION cimiento.run_job_for_tenant(text, uuid) FROM PUBLIC;
COMMENT ON FUNCTION cimiento.run_job_for_tenant(text, uuid) IS 'Internal (cimiento.run_job): runs the job''s function for one tenant as that tenant (identity switched in Rust: tenant, every branch, only the declared permissions) and as cimiento_jobs (no BYPASSRLS). Executable only by the extension''s owner. VOLATILE, PARALLEL UNSAFE.';
