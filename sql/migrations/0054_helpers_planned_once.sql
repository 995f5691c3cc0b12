-- 0054: small helpers on write paths planned once, not at every call (#14 sales, #13).
--
-- 0036 made commerce.local_day PL/pgSQL so its query kept a cached plan. 0040 moved the
-- rule to core.local_day for insurance and jobs, as LANGUAGE sql with SECURITY DEFINER and
-- a SET clause: such a function is never inlined, and its body is parsed and planned at
-- every call. pg_stat_statements on api.create_sale (one client): the body planned once per
-- sale (55 µs) and commerce.local_day's call of it once more (11 µs); insurance's status
-- and collection triggers call core.local_today per row. The four helpers become PL/pgSQL
-- (plans and simple expressions cached per session); same rule, signatures, security,
-- grants and owners.
--
-- reports.local_month (the month of a payment, for the revenue summary's statement triggers
-- on academy.payments: 15 µs of planning per payment) drops its SET clause and names its
-- functions by schema, so the planner inlines it into the statements that use it.

CREATE OR REPLACE FUNCTION core.local_day(p_tenant uuid, p_at timestamptz) RETURNS date
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (p_at AT TIME ZONE coalesce((SELECT t.timezone FROM core.tenants t WHERE t.id = p_tenant), 'UTC'))::date;
END
$$;
COMMENT ON FUNCTION core.local_day(uuid, timestamptz) IS 'The date of a moment in the tenant''s time zone (core.tenants.timezone; UTC for an unknown tenant). SECURITY DEFINER (reads only the time zone, for every role, jobs included). STABLE, PARALLEL SAFE (PL/pgSQL: plan cached per session).';

CREATE OR REPLACE FUNCTION core.local_today(p_tenant uuid) RETURNS date
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN core.local_day(p_tenant, now());
END
$$;
COMMENT ON FUNCTION core.local_today(uuid) IS 'Today in the tenant''s time zone (core.local_day of now()). STABLE, PARALLEL SAFE (PL/pgSQL).';

CREATE OR REPLACE FUNCTION commerce.local_day(p_tenant uuid, p_at timestamptz) RETURNS date
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN core.local_day(p_tenant, p_at);
END
$$;
COMMENT ON FUNCTION commerce.local_day(uuid, timestamptz) IS 'The date of a moment in the tenant''s time zone (core.local_day). STABLE, PARALLEL SAFE (PL/pgSQL).';

CREATE OR REPLACE FUNCTION commerce.local_today(p_tenant uuid) RETURNS date
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN core.local_day(p_tenant, now());
END
$$;
COMMENT ON FUNCTION commerce.local_today(uuid) IS 'Today in the tenant''s time zone (core.local_today). STABLE, PARALLEL SAFE (PL/pgSQL).';

CREATE OR REPLACE FUNCTION reports.local_month(p_at timestamptz, p_timezone text) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.date_trunc('month', pg_catalog.timezone(COALESCE(p_timezone, 'UTC'), p_at))::date
$$;
COMMENT ON FUNCTION reports.local_month(timestamptz, text) IS 'The first day of the month a moment falls in, in a time zone (the tenant''s; UTC when NULL): how payments are grouped into months. STABLE, PARALLEL SAFE; inlined into its callers (every name schema-qualified, no SET clause).';
