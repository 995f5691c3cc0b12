-- cimiento 0.4.0 → 0.5.0 (ALTER EXTENSION cimiento UPDATE; sql/bootstrap.sql runs it).
-- Workflows: cimiento.workflow_caller_is_superuser keeps its plan for the session
-- (PL/pgSQL with a pinned path). As a SQL function it was planned again, with the pg_roles
-- view, every time a transition checked or recorded it: a state UPDATE under a workflow
-- went from ~2 000 to ~2 900 per second (bench/workflow.sh, 4 clients). The same statement
-- as in cimiento--0.5.0.sql (workflow.sql); same answer, comment and grants.

CREATE OR REPLACE FUNCTION cimiento.workflow_caller_is_superuser() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) session_user AND r.rolsuper);
END
$$;
