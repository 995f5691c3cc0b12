-- 0024: the revenue report reads a monthly summary of payments instead of every payment.
--
-- reports.revenue_by_branch_month grouped all of a tenant's payments on every read (1M
-- payments: ~450 ms, and "the last 3 months" cost as much as all months, because the month
-- filter could not reach below the FULL JOIN). Now:
--   * reports.collected_by_month holds (tenant, branch, month, payments, collected) deltas,
--     appended by a statement trigger on academy.payments in the paying transaction (no
--     shared counter row, so concurrent payments never wait on each other);
--   * a nightly job (reports_compact, cimiento.schedule) folds each month's deltas into one
--     row per tenant, branch and month;
--   * the view sums the deltas of the months asked for; its month filter now reaches the
--     summary and the invoices (UNION ALL instead of FULL JOIN).
-- Months are the tenant's local months (core.tenants.timezone); before, the session's time
-- zone decided, so a payment late on the last day of a month could land in the next one.

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE reports.collected_by_month (
  tenant_id uuid NOT NULL,
  id        bigint GENERATED ALWAYS AS IDENTITY,
  branch_id uuid NOT NULL,
  month     date NOT NULL CONSTRAINT collected_by_month_first_day CHECK (extract(day FROM month) = 1),
  payments  bigint NOT NULL,
  collected numeric(16,2) NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id)
);
CREATE INDEX collected_by_month_month_idx ON reports.collected_by_month (tenant_id, month, branch_id) INCLUDE (payments, collected);
COMMENT ON TABLE reports.collected_by_month IS 'Payments per tenant, branch and (tenant-local) month, as deltas: one row per paying statement, folded nightly into one row per month by the reports_compact job. Sum the rows of a month for its figures. Written only by the payments trigger and the job.';

-- ---------------------------------------------------------------------------------------
-- Row-level security: the tenant's branches, with payments.read (as the payments themselves)
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('reports.collected_by_month', true);
SELECT cimiento.enable_permission_policy('reports.collected_by_month', 'select', '{payments.read}');

-- ---------------------------------------------------------------------------------------
-- Grants
-- ---------------------------------------------------------------------------------------
GRANT SELECT ON reports.collected_by_month TO app_user, analyst;
GRANT USAGE ON SCHEMA reports TO cimiento_jobs;
GRANT SELECT, INSERT, DELETE ON reports.collected_by_month TO cimiento_jobs;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION reports.local_month(p_at timestamptz, p_timezone text) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT date_trunc('month', p_at AT TIME ZONE coalesce(p_timezone, 'UTC'))::date
$$;
GRANT EXECUTE ON FUNCTION reports.local_month(timestamptz, text) TO app_user, analyst, cimiento_jobs;
COMMENT ON FUNCTION reports.local_month(timestamptz, text) IS 'The first day of the month a moment falls in, in a time zone (the tenant''s): how payments are grouped into months. STABLE, PARALLEL SAFE.';

-- Appends the paying statement's totals per tenant, branch and month (removes them for
-- rows an owner-level correction deletes or changes: payments are otherwise immutable).
CREATE FUNCTION reports.collected_by_month_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO reports.collected_by_month (tenant_id, branch_id, month, payments, collected)
    SELECT o.tenant_id, o.branch_id, reports.local_month(o.paid_at, t.timezone), -count(*), -sum(o.amount)
      FROM old_rows o JOIN core.tenants t ON t.id = o.tenant_id
     GROUP BY 1, 2, 3;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO reports.collected_by_month (tenant_id, branch_id, month, payments, collected)
    SELECT n.tenant_id, n.branch_id, reports.local_month(n.paid_at, t.timezone), count(*), sum(n.amount)
      FROM new_rows n JOIN core.tenants t ON t.id = n.tenant_id
     GROUP BY 1, 2, 3;
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION reports.collected_by_month_apply() FROM PUBLIC;
COMMENT ON FUNCTION reports.collected_by_month_apply() IS 'Trigger (after each statement on academy.payments): appends the statement''s payments per tenant, branch and month to reports.collected_by_month (negated for deleted or changed rows). SECURITY DEFINER: callers cannot write the summary.';
CREATE TRIGGER payments_collected_insert AFTER INSERT ON academy.payments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.collected_by_month_apply();
CREATE TRIGGER payments_collected_update AFTER UPDATE ON academy.payments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.collected_by_month_apply();
CREATE TRIGGER payments_collected_delete AFTER DELETE ON academy.payments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.collected_by_month_apply();

-- The payments already recorded.
INSERT INTO reports.collected_by_month (tenant_id, branch_id, month, payments, collected)
SELECT p.tenant_id, p.branch_id, reports.local_month(p.paid_at, t.timezone), count(*), sum(p.amount)
  FROM academy.payments p JOIN core.tenants t ON t.id = p.tenant_id
 GROUP BY 1, 2, 3;

-- The nightly job: folds each month's deltas into one row (runs as the tenant, under RLS).
CREATE FUNCTION reports.compact_collected_by_month() RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  WITH months AS (
    SELECT f.branch_id, f.month FROM reports.collected_by_month f GROUP BY 1, 2 HAVING count(*) > 1),
  folded AS (
    DELETE FROM reports.collected_by_month f USING months m
     WHERE f.branch_id = m.branch_id AND f.month = m.month
    RETURNING f.tenant_id, f.branch_id, f.month, f.payments, f.collected),
  written AS (
    INSERT INTO reports.collected_by_month (tenant_id, branch_id, month, payments, collected)
    SELECT tenant_id, branch_id, month, sum(payments), sum(collected) FROM folded GROUP BY 1, 2, 3
    RETURNING 1)
  SELECT count(*) FROM folded
$$;
REVOKE ALL ON FUNCTION reports.compact_collected_by_month() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reports.compact_collected_by_month() TO cimiento_jobs;
COMMENT ON FUNCTION reports.compact_collected_by_month() IS 'Scheduled job reports_compact (nightly, 02:30 UTC): folds the caller tenant''s payment deltas into one row per branch and month; returns how many delta rows it folded. Runs as cimiento_jobs under RLS, holding only payments.read. VOLATILE.';
SELECT cimiento.schedule('reports_compact', '30 2 * * *', 'reports.compact_collected_by_month()', '{payments.read}');

-- ---------------------------------------------------------------------------------------
-- The report, same columns
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW reports.revenue_by_branch_month WITH (security_invoker = true) AS
  SELECT x.tenant_id, x.branch_id, b.code AS branch_code, b.name AS branch_name, x.month,
         sum(x.payments)::bigint AS payments, sum(x.collected) AS collected,
         sum(x.invoices)::bigint AS invoices, sum(x.invoiced_net) AS invoiced_net, sum(x.invoiced_total) AS invoiced_total
    FROM (SELECT c.tenant_id, c.branch_id, c.month, c.payments, c.collected,
                 0::bigint AS invoices, 0::numeric AS invoiced_net, 0::numeric AS invoiced_total
            FROM reports.collected_by_month c
          UNION ALL
          SELECT i.tenant_id, i.branch_id, date_trunc('month', i.issue_date)::date, 0, 0,
                 (i.kind = 'invoice')::int, CASE WHEN i.kind = 'invoice' THEN i.subtotal ELSE -i.subtotal END,
                 CASE WHEN i.kind = 'invoice' THEN i.total ELSE -i.total END
            FROM billing.invoices i WHERE i.status <> 'draft') x
    JOIN core.branches b ON b.tenant_id = x.tenant_id AND b.id = x.branch_id
   GROUP BY x.tenant_id, x.branch_id, b.code, b.name, x.month;
COMMENT ON VIEW reports.revenue_by_branch_month IS 'Revenue per branch and (tenant-local) month: collected (payments received, from reports.collected_by_month) and invoiced (issued invoices minus credit notes, net and with tax). Filter on month to read only those months.';
