-- Scheduled jobs (cimiento.schedule / run_job): a job runs once per active tenant as that
-- tenant (RLS applies, only its declared permissions), records each run readable by that
-- tenant, and one failing tenant does not stop the others; the academy's nightly job stores
-- the overdue status.
BEGIN;
SELECT plan(31);

-- The academy job is registered and scheduled in pg_cron.
SELECT is((SELECT schedule || ' ' || function::text || ' ' || permissions::text FROM cimiento.jobs WHERE name = 'academy_overdue'),
          '15 3 * * * academy.mark_overdue() {payments.read}', 'the academy''s overdue job is registered (nightly, 03:15 UTC)');
SELECT is((SELECT c.schedule || ' ' || c.command FROM cron.job c JOIN cimiento.jobs j ON j.cron_job_id = c.jobid WHERE j.name = 'academy_overdue'),
          '15 3 * * * SELECT pg_catalog.count(*) FROM cimiento.run_job(''academy_overdue'', ''schedule'')', 'pg_cron starts it');

-- A probe job that records who it runs as and what it sees.
CREATE SCHEMA probe_jobs;
GRANT USAGE ON SCHEMA probe_jobs TO cimiento_jobs, cimiento_owner;
CREATE TABLE probe_jobs.seen (tenant_id uuid, who text, can_read boolean, can_create boolean, students bigint, other_tenants bigint);
GRANT INSERT ON probe_jobs.seen TO cimiento_jobs;
GRANT SELECT ON academy.students TO cimiento_jobs;
CREATE FUNCTION probe_jobs.observe() RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM academy.students;
  INSERT INTO probe_jobs.seen VALUES (cimiento.current_tenant(), current_user, cimiento.has_permission('students.read'),
    cimiento.has_permission('students.create'), n,
    (SELECT count(*) FROM academy.students s WHERE s.tenant_id IS DISTINCT FROM cimiento.current_tenant()));
  IF (SELECT slug FROM core.tenants WHERE id = cimiento.current_tenant()) = 'globex' THEN
    RAISE EXCEPTION 'globex probe failure' USING ERRCODE = 'P0001';
  END IF;
  RETURN n;
END $$;
GRANT EXECUTE ON FUNCTION probe_jobs.observe() TO cimiento_jobs;
GRANT SELECT (id, slug) ON core.tenants TO cimiento_jobs;
GRANT USAGE ON SCHEMA core TO cimiento_jobs;

-- Registration: who may, and what a job function must be.
SELECT matches(test_auth.error_as('user:acme:admin@acme.test', $$SELECT cimiento.schedule('probe', '0 * * * *', 'probe_jobs.observe()', '{students.read}')$$),
          '^42501', 'API callers cannot schedule jobs');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$SELECT cimiento.schedule('probe', '0 * * * *', 'probe_jobs.observe()', '{students.read}')$$),
          '^42501: permission denied: only the owner of probe_jobs.observe\(\) can schedule it', 'only the function''s owner schedules it');
SELECT is(test_auth.error_as('login:postgres', $$SELECT cimiento.schedule('probe', '0 * * * *', 'probe_jobs.observe()', '{*}')$$),
          '22023: a job declares the permissions it needs as module.action (or module.*): ''*'' is not one', 'a job declares its permissions; * is not one');
SELECT is(test_auth.error_as('login:postgres', $$SELECT cimiento.schedule('probe', 'every day', 'probe_jobs.observe()', '{students.read}')$$),
          '22023: invalid cron schedule ''every day''', 'a bad cron expression is refused with 22023');
SELECT is(test_auth.error_as('login:postgres', $$SELECT cimiento.schedule('Probe Job', '0 * * * *', 'probe_jobs.observe()', '{students.read}')$$),
          '22023: a job name is lower_snake_case, at most 63 characters', 'job names are lower_snake_case');
CREATE FUNCTION probe_jobs.definer() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS 'SELECT 0::bigint';
SELECT matches(test_auth.error_as('login:postgres', $$SELECT cimiento.schedule('probe', '0 * * * *', 'probe_jobs.definer()', '{}')$$),
          '^42P17: a job function takes no arguments', 'a SECURITY DEFINER job function is refused (it would escape RLS)');
CREATE FUNCTION probe_jobs.no_grant() RETURNS void LANGUAGE sql AS 'SELECT';
REVOKE ALL ON FUNCTION probe_jobs.no_grant() FROM PUBLIC;
SELECT is(test_auth.error_as('login:postgres', $$SELECT cimiento.schedule('probe', '0 * * * *', 'probe_jobs.no_grant()', '{}')$$),
          '42501: cimiento_jobs may not execute probe_jobs.no_grant()', 'the job role must be able to execute the function');
SELECT ok(cimiento.schedule('probe', '0 * * * *', 'probe_jobs.observe()', '{students.read}') > 0, 'the owner schedules a probe job');

-- Running it now: once per active tenant, as that tenant.
UPDATE core.tenants SET active = false WHERE slug = 'initech';
SELECT matches(test_auth.error_as('user:acme:admin@acme.test', $$SELECT * FROM cimiento.run_job('probe')$$), '^42501', 'API callers cannot run jobs');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$SELECT cimiento.run_job_for_tenant('probe', gen_random_uuid())$$), '^42501',
          'nobody but the extension''s owner runs a job as a tenant directly');
SELECT is(test_auth.error_as('login:cimiento_owner', $$SELECT * FROM cimiento.run_job('nope')$$), 'P0002: no job named ''nope''', 'an unknown job is P0002');
-- What each tenant holds (as the superuser): the job must see exactly its own.
CREATE TEMP TABLE expected AS
  SELECT t.id, t.slug, t.active, (SELECT count(*) FROM academy.students s WHERE s.tenant_id = t.id) AS students
    FROM core.tenants t;
SELECT ok((SELECT bool_and(students > 0) FROM expected WHERE slug IN ('acme', 'globex', 'initech')), '(the fixture tenants have students; the seed''s shop has none)');
SELECT is(test_auth.value_as('login:cimiento_owner', $$SELECT string_agg(t.slug || ' ' || coalesce(r.error, r.rows_touched::text), ', ' ORDER BY t.slug) FROM cimiento.run_job('probe') r JOIN core.tenants t ON t.id = r.tenant_id$$),
          (SELECT string_agg(slug || ' ' || CASE WHEN slug = 'globex' THEN 'globex probe failure' ELSE students::text END, ', ' ORDER BY slug) FROM expected WHERE active),
          'run_job reports each active tenant: rows touched, or the error');
SELECT is((SELECT string_agg(t.slug || ' ' || s.who || ' ' || s.can_read || ' ' || s.can_create || ' ' || s.students || ' ' || s.other_tenants, ', ' ORDER BY t.slug)
             FROM probe_jobs.seen s JOIN core.tenants t ON t.id = s.tenant_id),
          (SELECT string_agg(slug || ' cimiento_jobs true false ' || students || ' 0', ', ' ORDER BY slug) FROM expected WHERE active AND slug <> 'globex'),
          'the job ran as each tenant, as cimiento_jobs, with only its declared permission, seeing only that tenant''s rows (globex''s work rolled back)');
SELECT is((SELECT string_agg(t.slug || ' ' || r.via || ' ' || coalesce(r.rows_touched::text, r.sqlstate || ' ' || r.error), ', ' ORDER BY t.slug)
             FROM cimiento.job_runs r JOIN core.tenants t ON t.id = r.tenant_id WHERE r.job = 'probe'),
          (SELECT string_agg(slug || ' manual ' || CASE WHEN slug = 'globex' THEN 'P0001 globex probe failure' ELSE students::text END, ', ' ORDER BY slug) FROM expected WHERE active),
          'each run is recorded; the failing tenant''s error with its SQLSTATE; the inactive tenant (initech) skipped');
SELECT ok(cimiento.current_tenant() IS NULL, 'the job''s identity ends with the job');

-- Runs are readable per tenant over the api view.
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(job || ' ' || coalesce(rows_touched::text, error), ', ') FROM api.job_runs WHERE job = 'probe'$$),
          (SELECT 'probe ' || students FROM expected WHERE slug = 'acme'), 'a tenant admin reads its own runs only');
SELECT is(test_auth.value_as('user:globex:admin@globex.test', $$SELECT string_agg(job || ' ' || coalesce(rows_touched::text, error), ', ') FROM api.job_runs WHERE job = 'probe'$$),
          'probe globex probe failure', 'and the other tenant its own');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT count(*)::text FROM api.job_runs$$), '0', 'without jobs.read a user sees no runs');

-- The academy's job stores the overdue status; the read path is unchanged.
UPDATE core.tenants SET active = true WHERE slug = 'initech';
UPDATE academy.financial_status f SET due_date = CASE WHEN t.slug = 'acme' THEN current_date - 10 ELSE current_date + 10 END
  FROM core.tenants t WHERE t.id = f.tenant_id;
SELECT is((SELECT count(*)::int FROM academy.financial_status f JOIN core.tenants t ON t.id = f.tenant_id
            WHERE t.slug = 'acme' AND f.balance > 0 AND f.status <> 'overdue'), 4, '(acme: four accounts with a balance past due, not stored as overdue)');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(DISTINCT status, ',') FROM api.financial_status WHERE balance > 0$$),
          'overdue', 'the API already reads them as overdue (derived at read time)');
SELECT is(test_auth.value_as('login:cimiento_owner', $$SELECT string_agg(t.slug || ' ' || coalesce(r.rows_touched::text, r.error), ', ' ORDER BY t.slug) FROM cimiento.run_job('academy_overdue') r JOIN core.tenants t ON t.id = r.tenant_id$$),
          (SELECT string_agg(slug || ' ' || CASE WHEN slug = 'acme' THEN 4 ELSE 0 END, ', ' ORDER BY slug) FROM expected),
          'the nightly job marks acme''s four, no other tenant''s (theirs are not due yet)');
SELECT is((SELECT string_agg(DISTINCT f.status, ',') FROM academy.financial_status f JOIN core.tenants t ON t.id = f.tenant_id
            WHERE t.slug = 'acme' AND f.balance > 0), 'overdue', 'the overdue status is stored');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(DISTINCT status, ',') FROM api.financial_status WHERE balance > 0$$),
          'overdue', 'the API reads the same');
SELECT is((SELECT string_agg(DISTINCT l.actor_roles::text, ',') FROM audit.log l WHERE l.table_name = 'academy.financial_status'
            AND l.changes ? 'status' AND l.changes -> 'status' ->> 1 = 'overdue'), '{job:academy_overdue}', 'the audit trail names the job as the actor');
SELECT is(test_auth.value_as('login:cimiento_owner', $$SELECT sum(rows_touched)::text FROM cimiento.run_job('academy_overdue')$$), '0', 'a second run finds nothing left to mark');

-- Unscheduling removes the pg_cron entry; the runs stay.
SELECT ok(cimiento.unschedule('probe'), 'unschedule');
SELECT is((SELECT count(*)::int FROM cron.job WHERE jobname = 'cimiento:probe'), 0, 'its pg_cron entry is gone');
SELECT ok((SELECT count(*) FROM cimiento.job_runs WHERE job = 'probe') > 0, 'its recorded runs stay');

SELECT * FROM finish();
ROLLBACK;
