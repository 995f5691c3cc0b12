-- 0022: scheduled jobs (cimiento.schedule, pg_cron) — the runs readable by each tenant over
-- REST, and the first job: the academy's overdue financial status, stored nightly.
--
-- Until now "overdue" was only derived at read time (api.financial_status: a balance left
-- after the due date). The job stores it in academy.financial_status.status every night, so
-- what is stored agrees with what is read; the read path is unchanged (the view still
-- derives it, so a balance that fell due today reads overdue before the job has run).

-- ---------------------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------------------
INSERT INTO core.permissions (code, description) VALUES
  ('jobs.read', 'See the runs of the scheduled jobs for the tenant');
INSERT INTO core.builtin_role_permissions (role_name, permission) VALUES ('manager', 'jobs.read');
INSERT INTO core.role_permissions (tenant_id, role_id, permission)
SELECT r.tenant_id, r.id, 'jobs.read' FROM core.roles r WHERE r.builtin AND r.name = 'manager'
ON CONFLICT DO NOTHING;

-- ---------------------------------------------------------------------------------------
-- REST: the tenant's job runs
-- ---------------------------------------------------------------------------------------
CREATE VIEW api.job_runs WITH (security_invoker = true) AS
  SELECT r.id, r.job, r.tenant_id, r.via, r.started_at, r.finished_at, r.rows_touched, r.error, r.sqlstate
    FROM cimiento.job_runs r;
COMMENT ON VIEW api.job_runs IS 'Runs of the scheduled jobs for the caller''s tenant (needs jobs.read): job, schedule or manual, started and finished, rows touched, and the error when the run failed (that tenant''s work was rolled back).';
GRANT SELECT ON api.job_runs TO app_user;

-- ---------------------------------------------------------------------------------------
-- The academy's nightly job
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION academy.mark_overdue() RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  WITH marked AS (
    UPDATE academy.financial_status f
       SET status = 'overdue', updated_at = pg_catalog.now()
     WHERE f.paid < f.amount_due AND f.due_date < CURRENT_DATE AND f.status <> 'overdue'
    RETURNING 1)
  SELECT pg_catalog.count(*) FROM marked
$$;
REVOKE ALL ON FUNCTION academy.mark_overdue() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.mark_overdue() TO cimiento_jobs;
COMMENT ON FUNCTION academy.mark_overdue() IS 'Scheduled job academy_overdue (nightly, 03:15 UTC): stores status overdue on every financial status of the tenant with a balance after its due date; returns how many it marked. Runs as cimiento_jobs for one tenant at a time, under RLS, holding only payments.read. VOLATILE.';
GRANT USAGE ON SCHEMA academy TO cimiento_jobs;
GRANT SELECT (tenant_id, enrollment_id, branch_id, amount_due, paid, status, due_date),
      UPDATE (status, updated_at) ON academy.financial_status TO cimiento_jobs;

SELECT cimiento.schedule('academy_overdue', '15 3 * * *', 'academy.mark_overdue()', '{payments.read}');
