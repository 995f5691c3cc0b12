-- 0034: commerce reports — security_invoker views for analysts (psql, BI) and, read-only,
-- the same through `api` as report_*. RLS scopes every row to the caller's tenant and
-- branches; the read permissions of the underlying tables apply (sales.read,
-- products.read, inventory.read, customers.read).
--
-- Sales count net of what came back: a voided sale does not count at all, a returned
-- quantity is taken off its line (on the day of the sale). Revenue is net of tax; cost is
-- the moving-average cost each line carried when it was sold.

-- ---------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------
CREATE VIEW reports.sale_lines_net WITH (security_invoker = true) AS
  SELECT l.tenant_id, l.branch_id, s.sold_on, l.sale_id, l.line_no, l.product_id, p.sku, p.name AS product_name, p.category_id,
         s.customer_id, l.quantity - coalesce(r.returned, 0) AS quantity, l.unit_price, l.unit_cost,
         round((l.quantity - coalesce(r.returned, 0)) * l.unit_price, 2) AS revenue,
         round((l.quantity - coalesce(r.returned, 0)) * l.unit_cost, 2) AS cost
    FROM commerce.sale_lines l
    JOIN commerce.sales s ON s.tenant_id = l.tenant_id AND s.id = l.sale_id AND s.status = 'completed'
    JOIN commerce.products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
    LEFT JOIN (SELECT rl.tenant_id, rl.sale_id, rl.sale_line_no, sum(rl.quantity) AS returned
                 FROM commerce.return_lines rl GROUP BY 1, 2, 3) r
      ON r.tenant_id = l.tenant_id AND r.sale_id = l.sale_id AND r.sale_line_no = l.line_no;
COMMENT ON VIEW reports.sale_lines_net IS 'Every line of completed (not voided) sales, net of returns: quantity, revenue (net of tax) and cost (average cost at the time of sale), with the sale''s day, branch, customer and the product''s category. The base of the sales reports.';

CREATE VIEW reports.sales_by_day WITH (security_invoker = true) AS
  SELECT n.tenant_id, n.branch_id, b.code AS branch_code, n.sold_on AS day, count(DISTINCT n.sale_id) AS sales,
         sum(n.quantity) AS units, sum(n.revenue) AS revenue, sum(n.cost) AS cost, sum(n.revenue) - sum(n.cost) AS margin
    FROM reports.sale_lines_net n
    JOIN core.branches b ON b.tenant_id = n.tenant_id AND b.id = n.branch_id
   GROUP BY n.tenant_id, n.branch_id, b.code, n.sold_on;
COMMENT ON VIEW reports.sales_by_day IS 'Per branch and day: sales, units, revenue net of tax and returns, cost and margin (filter day=gte.… for a period).';

CREATE VIEW reports.sales_by_branch WITH (security_invoker = true) AS
  SELECT n.tenant_id, n.branch_id, b.code AS branch_code, b.name AS branch_name, date_trunc('month', n.sold_on)::date AS month,
         count(DISTINCT n.sale_id) AS sales, sum(n.revenue) AS revenue, sum(n.cost) AS cost, sum(n.revenue) - sum(n.cost) AS margin
    FROM reports.sale_lines_net n
    JOIN core.branches b ON b.tenant_id = n.tenant_id AND b.id = n.branch_id
   GROUP BY n.tenant_id, n.branch_id, b.code, b.name, date_trunc('month', n.sold_on);
COMMENT ON VIEW reports.sales_by_branch IS 'Per branch and month: sales, revenue net of tax and returns, cost and margin.';

CREATE VIEW reports.sales_by_product WITH (security_invoker = true) AS
  SELECT n.tenant_id, n.product_id, n.sku, n.product_name, n.category_id, sum(n.quantity) AS units, sum(n.revenue) AS revenue,
         sum(n.cost) AS cost, sum(n.revenue) - sum(n.cost) AS margin,
         CASE WHEN sum(n.revenue) > 0 THEN round(100 * (sum(n.revenue) - sum(n.cost)) / sum(n.revenue), 2) END AS margin_pct,
         max(n.sold_on) AS last_sold_on
    FROM reports.sale_lines_net n
   GROUP BY n.tenant_id, n.product_id, n.sku, n.product_name, n.category_id;
COMMENT ON VIEW reports.sales_by_product IS 'Per product (of the caller''s branches): units sold net of returns, revenue, cost, margin and margin %, the last day it sold.';

CREATE VIEW reports.sales_by_category WITH (security_invoker = true) AS
  SELECT n.tenant_id, n.category_id, c.name AS category_name, count(DISTINCT n.product_id) AS products, sum(n.quantity) AS units,
         sum(n.revenue) AS revenue, sum(n.cost) AS cost, sum(n.revenue) - sum(n.cost) AS margin
    FROM reports.sale_lines_net n
    LEFT JOIN commerce.categories c ON c.tenant_id = n.tenant_id AND c.id = n.category_id
   GROUP BY n.tenant_id, n.category_id, c.name;
COMMENT ON VIEW reports.sales_by_category IS 'Per product category (NULL: uncategorised): products sold, units, revenue, cost and margin, net of returns.';

CREATE VIEW reports.top_products WITH (security_invoker = true) AS
  SELECT p.*, rank() OVER (PARTITION BY p.tenant_id ORDER BY p.revenue DESC) AS rank_by_revenue,
         rank() OVER (PARTITION BY p.tenant_id ORDER BY p.units DESC) AS rank_by_units
    FROM reports.sales_by_product p;
COMMENT ON VIEW reports.top_products IS 'Products ranked by revenue and by units (order=rank_by_revenue&limit=10 for the top ten).';

CREATE VIEW reports.top_customers WITH (security_invoker = true) AS
  SELECT s.tenant_id, s.customer_id, c.name AS customer_name, c.tax_id, s.sales_count, s.sales_total, s.last_purchase_at,
         rank() OVER (PARTITION BY s.tenant_id ORDER BY s.sales_total DESC) AS rank_by_total
    FROM commerce.customer_stats s
    JOIN commerce.customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
   WHERE s.sales_count > 0;
COMMENT ON VIEW reports.top_customers IS 'Customers ranked by what they bought (completed sales with tax, from the stats the sales keep): count, total, last purchase.';

CREATE VIEW reports.margin WITH (security_invoker = true) AS
  SELECT n.tenant_id, n.branch_id, b.code AS branch_code, date_trunc('month', n.sold_on)::date AS month, sum(n.revenue) AS revenue,
         sum(n.cost) AS cost, sum(n.revenue) - sum(n.cost) AS margin,
         CASE WHEN sum(n.revenue) > 0 THEN round(100 * (sum(n.revenue) - sum(n.cost)) / sum(n.revenue), 2) END AS margin_pct
    FROM reports.sale_lines_net n
    JOIN core.branches b ON b.tenant_id = n.tenant_id AND b.id = n.branch_id
   GROUP BY n.tenant_id, n.branch_id, b.code, date_trunc('month', n.sold_on);
COMMENT ON VIEW reports.margin IS 'Gross margin per branch and month: revenue net of tax and returns minus the average cost of what was sold, and margin %.';

CREATE VIEW reports.stock_valuation WITH (security_invoker = true) AS
  SELECT s.tenant_id, s.branch_id, s.location_id, l.code AS location_code, count(*) FILTER (WHERE s.quantity <> 0) AS products,
         sum(s.quantity) AS units, sum(round(greatest(s.quantity, 0) * c.average_cost, 2)) AS value
    FROM commerce.stock_levels s
    JOIN commerce.locations l ON l.tenant_id = s.tenant_id AND l.id = s.location_id
    JOIN commerce.product_costs c ON c.tenant_id = s.tenant_id AND c.product_id = s.product_id
   GROUP BY s.tenant_id, s.branch_id, s.location_id, l.code;
COMMENT ON VIEW reports.stock_valuation IS 'Per location: products in stock, units and their value at moving-average cost (negative backorder levels count as nothing).';

CREATE VIEW reports.low_stock WITH (security_invoker = true) AS
  SELECT s.tenant_id, s.branch_id, s.location_id, l.code AS location_code, s.product_id, p.sku, p.name AS product_name,
         s.quantity, p.reorder_point, p.reorder_point - s.quantity AS shortfall
    FROM commerce.stock_levels s
    JOIN commerce.products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id AND p.active
    JOIN commerce.locations l ON l.tenant_id = s.tenant_id AND l.id = s.location_id
   WHERE s.quantity <= p.reorder_point;
COMMENT ON VIEW reports.low_stock IS 'Active products at or below their reorder point at a location: quantity, reorder point and shortfall.';

GRANT SELECT ON reports.sale_lines_net, reports.sales_by_day, reports.sales_by_branch, reports.sales_by_product,
                reports.sales_by_category, reports.top_products, reports.top_customers, reports.margin,
                reports.stock_valuation, reports.low_stock
  TO analyst, app_user;

-- ---------------------------------------------------------------------------------------
-- Functions (reports with a parameter)
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION reports.slow_movers(p_days integer DEFAULT 30)
RETURNS TABLE (tenant_id uuid, product_id uuid, sku text, product_name text, on_hand numeric, last_sold_on date, days_without_sale integer)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF p_days IS NULL OR p_days NOT BETWEEN 1 AND 3650 THEN
    RAISE EXCEPTION 'days must be between 1 and 3650' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
    SELECT p.tenant_id, p.id, p.sku, p.name, c.on_hand, ls.sold_on,
           (commerce.local_today(p.tenant_id) - ls.sold_on)::int
      FROM commerce.products p
      JOIN commerce.product_costs c ON c.tenant_id = p.tenant_id AND c.product_id = p.id
      CROSS JOIN LATERAL (SELECT commerce.local_day(p.tenant_id, c.last_sold_at) AS sold_on) ls
     WHERE p.active AND c.on_hand > 0
       AND (ls.sold_on IS NULL OR ls.sold_on < commerce.local_today(p.tenant_id) - p_days)
     ORDER BY ls.sold_on NULLS FIRST, p.sku;
END
$$;
COMMENT ON FUNCTION reports.slow_movers(integer) IS 'Active products with stock (in every location) that have not left in a sale in the last p_days days (default 30; never sold first), from product_costs.last_sold_at (tenant-local day): units on hand, last sale day, days without a sale. 400 outside 1..3650. STABLE.';
GRANT EXECUTE ON FUNCTION reports.slow_movers(integer) TO analyst, app_user;

CREATE FUNCTION reports.product_ledger(p_product uuid, p_location uuid DEFAULT NULL)
RETURNS TABLE (moved_at timestamptz, location_id uuid, kind text, quantity numeric, unit_cost numeric, source_type text,
               source_id uuid, reason text, balance numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT m.moved_at, m.location_id, m.kind, m.quantity, m.unit_cost, m.source_type, m.source_id, m.reason,
         sum(m.quantity) OVER (PARTITION BY CASE WHEN p_location IS NULL THEN NULL ELSE m.location_id END
                               ORDER BY m.seq ROWS UNBOUNDED PRECEDING) AS balance
    FROM commerce.inventory_movements m
   WHERE m.product_id = p_product AND (p_location IS NULL OR m.location_id = p_location)
   ORDER BY m.seq
$$;
COMMENT ON FUNCTION reports.product_ledger(uuid, uuid) IS 'A product''s stock ledger in the caller''s branches (one location, or all), oldest first, with the running balance after each movement. STABLE.';
GRANT EXECUTE ON FUNCTION reports.product_ledger(uuid, uuid) TO analyst, app_user;

-- ---------------------------------------------------------------------------------------
-- api: the same, read-only
-- ---------------------------------------------------------------------------------------
CREATE VIEW api.report_sales_by_day WITH (security_invoker = true) AS SELECT * FROM reports.sales_by_day;
COMMENT ON VIEW api.report_sales_by_day IS 'See reports.sales_by_day.';
CREATE VIEW api.report_sales_by_branch WITH (security_invoker = true) AS SELECT * FROM reports.sales_by_branch;
COMMENT ON VIEW api.report_sales_by_branch IS 'See reports.sales_by_branch.';
CREATE VIEW api.report_sales_by_product WITH (security_invoker = true) AS SELECT * FROM reports.sales_by_product;
COMMENT ON VIEW api.report_sales_by_product IS 'See reports.sales_by_product.';
CREATE VIEW api.report_sales_by_category WITH (security_invoker = true) AS SELECT * FROM reports.sales_by_category;
COMMENT ON VIEW api.report_sales_by_category IS 'See reports.sales_by_category.';
CREATE VIEW api.report_top_products WITH (security_invoker = true) AS SELECT * FROM reports.top_products;
COMMENT ON VIEW api.report_top_products IS 'See reports.top_products.';
CREATE VIEW api.report_top_customers WITH (security_invoker = true) AS SELECT * FROM reports.top_customers;
COMMENT ON VIEW api.report_top_customers IS 'See reports.top_customers.';
CREATE VIEW api.report_margin WITH (security_invoker = true) AS SELECT * FROM reports.margin;
COMMENT ON VIEW api.report_margin IS 'See reports.margin.';
CREATE VIEW api.report_stock_valuation WITH (security_invoker = true) AS SELECT * FROM reports.stock_valuation;
COMMENT ON VIEW api.report_stock_valuation IS 'See reports.stock_valuation.';
CREATE VIEW api.report_low_stock WITH (security_invoker = true) AS SELECT * FROM reports.low_stock;
COMMENT ON VIEW api.report_low_stock IS 'See reports.low_stock.';
GRANT SELECT ON api.report_sales_by_day, api.report_sales_by_branch, api.report_sales_by_product, api.report_sales_by_category,
                api.report_top_products, api.report_top_customers, api.report_margin, api.report_stock_valuation,
                api.report_low_stock
  TO app_user;

CREATE FUNCTION api.report_slow_movers(days integer DEFAULT 30)
RETURNS TABLE (tenant_id uuid, product_id uuid, sku text, product_name text, on_hand numeric, last_sold_on date, days_without_sale integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT * FROM reports.slow_movers(days)
$$;
COMMENT ON FUNCTION api.report_slow_movers(integer) IS 'Products with stock and no sale in the last N days (default 30): see reports.slow_movers. 400 outside 1..3650.';
GRANT EXECUTE ON FUNCTION api.report_slow_movers(integer) TO app_user;

CREATE FUNCTION api.report_product_ledger(product_id uuid, location_id uuid DEFAULT NULL)
RETURNS TABLE (moved_at timestamptz, location_id uuid, kind text, quantity numeric, unit_cost numeric, source_type text,
               source_id uuid, reason text, balance numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT * FROM reports.product_ledger(product_id, location_id)
$$;
COMMENT ON FUNCTION api.report_product_ledger(uuid, uuid) IS 'A product''s stock ledger with its running balance (one location, or all of the caller''s): see reports.product_ledger.';
GRANT EXECUTE ON FUNCTION api.report_product_ledger(uuid, uuid) TO app_user;
