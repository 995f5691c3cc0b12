-- 0035: the sales reports read a daily summary instead of every sale line.
--
-- reports.sales_by_day/_branch/_product/_category and reports.margin grouped every line of
-- every sale (with its returns) on each read: 1M sale lines took 0.7–5 s. Now
-- reports.sold_by_day holds, per branch, local day and product, the sales whose first line
-- is that product (so a day's rows add up to its sales), the lines, units, revenue and cost
-- — net of returns and voids, as deltas appended by statement triggers in the selling,
-- returning and voiding transactions (no shared counter row: concurrent sales never wait on
-- each other). The nightly reports_compact job folds them into one row per branch, day and
-- product. Same columns, same figures as before (sql/tests/180_commerce.sql compares them
-- with reports.sale_lines_net, which stays as the line-level view).
--
-- Revenue and cost keep the line-level rounding of the old views: a line counts
-- round((sold − returned) × price, 2); a return adds the difference that makes it so.

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE reports.sold_by_day (
  tenant_id  uuid NOT NULL,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  branch_id  uuid NOT NULL,
  day        date NOT NULL,
  product_id uuid NOT NULL,
  sales      bigint NOT NULL,
  lines      bigint NOT NULL,
  units      numeric(16,3) NOT NULL,
  revenue    numeric(16,2) NOT NULL,
  cost       numeric(16,2) NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products (tenant_id, id)
);
CREATE INDEX sold_by_day_day_idx ON reports.sold_by_day (tenant_id, day, branch_id, product_id)
  INCLUDE (sales, lines, units, revenue, cost);
COMMENT ON TABLE reports.sold_by_day IS 'Completed sales per tenant, branch, local day (the sale''s sold_on) and product, net of returns and voids, as deltas: sales (whose line 1 is the product: a day''s rows add up to its sales), lines, units, revenue net of tax and cost at the average cost of sale. One row per statement that sells, returns or voids, folded nightly into one row per branch, day and product by the reports_compact job. Sum the rows for figures. Written only by the commerce triggers and the job.';

-- ---------------------------------------------------------------------------------------
-- Row-level security: the tenant's branches, with sales.read (as the sales themselves)
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('reports.sold_by_day', true);
SELECT cimiento.enable_permission_policy('reports.sold_by_day', 'select', '{sales.read}');

-- ---------------------------------------------------------------------------------------
-- Grants
-- ---------------------------------------------------------------------------------------
GRANT SELECT ON reports.sold_by_day TO app_user, analyst;
GRANT SELECT, INSERT, DELETE ON reports.sold_by_day TO cimiento_jobs;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
-- New lines of completed sales count on the sale's day.
CREATE FUNCTION reports.sold_by_day_lines() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
  SELECT n.tenant_id, n.branch_id, s.sold_on, n.product_id, count(*) FILTER (WHERE n.line_no = 1), count(*),
         sum(n.quantity), sum(round(n.quantity * n.unit_price, 2)), sum(round(n.quantity * n.unit_cost, 2))
    FROM new_rows n
    JOIN commerce.sales s ON s.tenant_id = n.tenant_id AND s.id = n.sale_id AND s.status = 'completed'
   GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION reports.sold_by_day_lines() FROM PUBLIC;
COMMENT ON FUNCTION reports.sold_by_day_lines() IS 'Trigger (after each statement inserting commerce.sale_lines): appends the lines of completed sales per branch, day and product to reports.sold_by_day. SECURITY DEFINER: callers cannot write the summary.';
CREATE TRIGGER sale_lines_sold_by_day AFTER INSERT ON commerce.sale_lines
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.sold_by_day_lines();

-- Returned quantities come off their line on the sale's day; revenue and cost move by the
-- difference of the line's rounded amounts before and after the statement's returns.
CREATE FUNCTION reports.sold_by_day_returns() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
  SELECT l.tenant_id, l.branch_id, s.sold_on, l.product_id, 0, 0, -sum(x.returned_now),
         sum(round((l.quantity - r.returned) * l.unit_price, 2) - round((l.quantity - r.returned + x.returned_now) * l.unit_price, 2)),
         sum(round((l.quantity - r.returned) * l.unit_cost, 2) - round((l.quantity - r.returned + x.returned_now) * l.unit_cost, 2))
    FROM (SELECT n.tenant_id, n.sale_id, n.sale_line_no, sum(n.quantity) AS returned_now
            FROM new_rows n GROUP BY 1, 2, 3) x
    JOIN commerce.sales s ON s.tenant_id = x.tenant_id AND s.id = x.sale_id AND s.status = 'completed'
    JOIN commerce.sale_lines l ON l.tenant_id = x.tenant_id AND l.sale_id = x.sale_id AND l.line_no = x.sale_line_no
    CROSS JOIN LATERAL (SELECT sum(rl.quantity) AS returned FROM commerce.return_lines rl
                         WHERE rl.tenant_id = l.tenant_id AND rl.sale_id = l.sale_id AND rl.sale_line_no = l.line_no) r
   GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION reports.sold_by_day_returns() FROM PUBLIC;
COMMENT ON FUNCTION reports.sold_by_day_returns() IS 'Trigger (after each statement inserting commerce.return_lines): takes the returned units, and the revenue and cost they change, off the sale''s day in reports.sold_by_day. SECURITY DEFINER: callers cannot write the summary.';
CREATE TRIGGER return_lines_sold_by_day AFTER INSERT ON commerce.return_lines
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.sold_by_day_returns();

-- A void takes out what the sale still counted (its lines net of returns); a sale made
-- completed again (an owner's correction) puts it back.
CREATE FUNCTION reports.sold_by_day_status() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_sign integer := CASE WHEN NEW.status = 'completed' THEN 1 WHEN OLD.status = 'completed' THEN -1 ELSE 0 END;
BEGIN
  IF v_sign <> 0 THEN
    INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
    SELECT l.tenant_id, l.branch_id, NEW.sold_on, l.product_id, v_sign * count(*) FILTER (WHERE l.line_no = 1),
           v_sign * count(*), v_sign * sum(l.quantity - r.returned), v_sign * sum(round((l.quantity - r.returned) * l.unit_price, 2)),
           v_sign * sum(round((l.quantity - r.returned) * l.unit_cost, 2))
      FROM commerce.sale_lines l
      CROSS JOIN LATERAL (SELECT coalesce(sum(rl.quantity), 0) AS returned FROM commerce.return_lines rl
                           WHERE rl.tenant_id = l.tenant_id AND rl.sale_id = l.sale_id AND rl.sale_line_no = l.line_no) r
     WHERE l.tenant_id = NEW.tenant_id AND l.sale_id = NEW.id
     GROUP BY 1, 2, 3, 4;
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION reports.sold_by_day_status() FROM PUBLIC;
COMMENT ON FUNCTION reports.sold_by_day_status() IS 'Trigger (after a sale''s status changes): a void takes the sale''s lines net of returns out of reports.sold_by_day; completing a voided sale again puts them back. SECURITY DEFINER: callers cannot write the summary.';
CREATE TRIGGER sales_sold_by_day AFTER UPDATE OF status ON commerce.sales
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION reports.sold_by_day_status();

-- Recomputes a tenant's summary from its sale lines: after loading sales with triggers off
-- (session_replication_role = replica), and for the sales already recorded.
CREATE FUNCTION reports.rebuild_sold_by_day(p_tenant uuid) RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  WITH dropped AS (
    DELETE FROM reports.sold_by_day f WHERE f.tenant_id = p_tenant),
  written AS (
    INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
    SELECT n.tenant_id, n.branch_id, n.sold_on, n.product_id, count(*) FILTER (WHERE n.line_no = 1), count(*),
           sum(n.quantity), sum(n.revenue), sum(n.cost)
      FROM reports.sale_lines_net n
     WHERE n.tenant_id = p_tenant
     GROUP BY 1, 2, 3, 4
    RETURNING 1)
  SELECT count(*) FROM written
$$;
REVOKE ALL ON FUNCTION reports.rebuild_sold_by_day(uuid) FROM PUBLIC;
COMMENT ON FUNCTION reports.rebuild_sold_by_day(uuid) IS 'Owner maintenance: recomputes a tenant''s reports.sold_by_day from its sale lines, net of returns and voids (one row per branch, day and product); returns the rows written. For sales loaded with triggers off. Reads every line of the tenant as the caller: run it as the table owner. VOLATILE.';

SELECT reports.rebuild_sold_by_day(t.id) FROM core.tenants t;

CREATE FUNCTION reports.compact_sold_by_day() RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  WITH groups AS (
    SELECT f.branch_id, f.day, f.product_id FROM reports.sold_by_day f GROUP BY 1, 2, 3 HAVING count(*) > 1),
  folded AS (
    DELETE FROM reports.sold_by_day f USING groups g
     WHERE f.branch_id = g.branch_id AND f.day = g.day AND f.product_id = g.product_id
    RETURNING f.tenant_id, f.branch_id, f.day, f.product_id, f.sales, f.lines, f.units, f.revenue, f.cost),
  written AS (
    INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
    SELECT tenant_id, branch_id, day, product_id, sum(sales), sum(lines), sum(units), sum(revenue), sum(cost) FROM folded
     GROUP BY 1, 2, 3, 4 HAVING sum(lines) <> 0
    RETURNING 1)
  SELECT count(*) FROM folded
$$;
REVOKE ALL ON FUNCTION reports.compact_sold_by_day() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reports.compact_sold_by_day() TO cimiento_jobs;
COMMENT ON FUNCTION reports.compact_sold_by_day() IS 'Folds the caller tenant''s sales deltas into one row per branch, day and product (products whose lines of a day were all voided disappear); returns how many delta rows it folded. Part of the reports_compact job. VOLATILE.';

CREATE OR REPLACE FUNCTION reports.compact_summaries() RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  SELECT reports.compact_collected_by_month() + reports.compact_attendance_by_course_day() + reports.compact_sold_by_day()
$$;
COMMENT ON FUNCTION reports.compact_summaries() IS 'Scheduled job reports_compact (nightly, 02:30 UTC): folds the caller tenant''s report summaries (payments per month, attendance per course and day, sales per branch, day and product); returns the delta rows folded. Runs as cimiento_jobs under RLS, holding only payments.read, attendance.read and sales.read. VOLATILE.';
SELECT cimiento.schedule('reports_compact', '30 2 * * *', 'reports.compact_summaries()', '{payments.read,attendance.read,sales.read}');

-- ---------------------------------------------------------------------------------------
-- The reports, same columns
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW reports.sales_by_day WITH (security_invoker = true) AS
  SELECT x.tenant_id, x.branch_id, b.code AS branch_code, x.day, sum(x.sales)::bigint AS sales,
         sum(x.units) AS units, sum(x.revenue) AS revenue, sum(x.cost) AS cost, sum(x.revenue) - sum(x.cost) AS margin
    FROM reports.sold_by_day x
    JOIN core.branches b ON b.tenant_id = x.tenant_id AND b.id = x.branch_id
   GROUP BY x.tenant_id, x.branch_id, b.code, x.day
  HAVING sum(x.lines) > 0;
COMMENT ON VIEW reports.sales_by_day IS 'Per branch and day: sales, units, revenue net of tax and returns, cost and margin (filter day=gte.… for a period; from reports.sold_by_day).';

CREATE OR REPLACE VIEW reports.sales_by_branch WITH (security_invoker = true) AS
  SELECT x.tenant_id, x.branch_id, b.code AS branch_code, b.name AS branch_name, date_trunc('month', x.day)::date AS month,
         sum(x.sales)::bigint AS sales, sum(x.revenue) AS revenue, sum(x.cost) AS cost, sum(x.revenue) - sum(x.cost) AS margin
    FROM reports.sold_by_day x
    JOIN core.branches b ON b.tenant_id = x.tenant_id AND b.id = x.branch_id
   GROUP BY x.tenant_id, x.branch_id, b.code, b.name, date_trunc('month', x.day)
  HAVING sum(x.lines) > 0;
COMMENT ON VIEW reports.sales_by_branch IS 'Per branch and month: sales, revenue net of tax and returns, cost and margin (from reports.sold_by_day).';

CREATE OR REPLACE VIEW reports.sales_by_product WITH (security_invoker = true) AS
  WITH days AS (
    SELECT x.tenant_id, x.product_id, x.day, sum(x.lines) AS lines, sum(x.units) AS units, sum(x.revenue) AS revenue,
           sum(x.cost) AS cost
      FROM reports.sold_by_day x
     GROUP BY x.tenant_id, x.product_id, x.day)
  SELECT d.tenant_id, d.product_id, p.sku, p.name AS product_name, p.category_id, sum(d.units) AS units, sum(d.revenue) AS revenue,
         sum(d.cost) AS cost, sum(d.revenue) - sum(d.cost) AS margin,
         CASE WHEN sum(d.revenue) > 0 THEN round(100 * (sum(d.revenue) - sum(d.cost)) / sum(d.revenue), 2) END AS margin_pct,
         max(d.day) FILTER (WHERE d.lines > 0) AS last_sold_on
    FROM days d
    JOIN commerce.products p ON p.tenant_id = d.tenant_id AND p.id = d.product_id
   GROUP BY d.tenant_id, d.product_id, p.sku, p.name, p.category_id
  HAVING sum(d.lines) > 0;
COMMENT ON VIEW reports.sales_by_product IS 'Per product (of the caller''s branches): units sold net of returns, revenue, cost, margin and margin %, the last day it sold (from reports.sold_by_day).';

CREATE OR REPLACE VIEW reports.sales_by_category WITH (security_invoker = true) AS
  WITH sold AS (
    SELECT x.tenant_id, x.product_id, sum(x.units) AS units, sum(x.revenue) AS revenue, sum(x.cost) AS cost
      FROM reports.sold_by_day x
     GROUP BY x.tenant_id, x.product_id
    HAVING sum(x.lines) > 0)
  SELECT s.tenant_id, p.category_id, c.name AS category_name, count(*) AS products, sum(s.units) AS units,
         sum(s.revenue) AS revenue, sum(s.cost) AS cost, sum(s.revenue) - sum(s.cost) AS margin
    FROM sold s
    JOIN commerce.products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
    LEFT JOIN commerce.categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
   GROUP BY s.tenant_id, p.category_id, c.name;
COMMENT ON VIEW reports.sales_by_category IS 'Per product category (NULL: uncategorised): products sold, units, revenue, cost and margin, net of returns (from reports.sold_by_day).';

CREATE OR REPLACE VIEW reports.margin WITH (security_invoker = true) AS
  SELECT x.tenant_id, x.branch_id, b.code AS branch_code, date_trunc('month', x.day)::date AS month, sum(x.revenue) AS revenue,
         sum(x.cost) AS cost, sum(x.revenue) - sum(x.cost) AS margin,
         CASE WHEN sum(x.revenue) > 0 THEN round(100 * (sum(x.revenue) - sum(x.cost)) / sum(x.revenue), 2) END AS margin_pct
    FROM reports.sold_by_day x
    JOIN core.branches b ON b.tenant_id = x.tenant_id AND b.id = x.branch_id
   GROUP BY x.tenant_id, x.branch_id, b.code, date_trunc('month', x.day)
  HAVING sum(x.lines) > 0;
COMMENT ON VIEW reports.margin IS 'Gross margin per branch and month: revenue net of tax and returns minus the average cost of what was sold, and margin % (from reports.sold_by_day).';
