-- Report bench data (superuser): 200 000 sales of five lines (1 000 000 sale lines) over
-- 180 days in the shop's two branches, one in fifty with a line partly returned, one in a
-- hundred voided. Loaded with triggers off (session_replication_role = replica): the reports
-- read sales, their lines and returns, products and categories, stock levels and costs, and
-- the sales summary (reports.sold_by_day), which this writes consistently — the summary as
-- the owner's reports.rebuild_sold_by_day writes it, one row per branch, day and product, as
-- the nightly job leaves it; nothing measured here runs a trigger.
SET session_replication_role = replica;
INSERT INTO commerce.sales (tenant_id, id, branch_id, location_id, customer_id, status, sold_at, sold_on, subtotal, tax_total, total, paid)
SELECT '00000000-0000-4000-8000-000000000002', md5('sale' || g)::uuid, l.branch_id, l.id,
       CASE WHEN g % 7 = 0 THEN (SELECT c.id FROM commerce.customers c WHERE c.tenant_id = l.tenant_id ORDER BY c.name OFFSET g % 20 LIMIT 1) END,
       CASE WHEN g % 100 = 0 THEN 'voided' ELSE 'completed' END,
       now() - make_interval(days => g % 180), (now() - make_interval(days => g % 180))::date, 0, 0, 0, 0
  FROM generate_series(1, 200000) g
  JOIN commerce.locations l ON l.tenant_id = '00000000-0000-4000-8000-000000000002' AND l.code = CASE WHEN g % 2 = 0 THEN 'CEN-TIENDA' ELSE 'NOR-TIENDA' END;
INSERT INTO commerce.sale_lines (tenant_id, sale_id, line_no, branch_id, product_id, quantity, unit_price, tax_rate, unit_cost)
SELECT s.tenant_id, s.id, i, s.branch_id, p.id, 1 + (g + i) % 3, p.sale_price, p.tax_rate, p.cost
  FROM generate_series(1, 200000) g
  JOIN commerce.sales s ON s.tenant_id = '00000000-0000-4000-8000-000000000002' AND s.id = md5('sale' || g)::uuid
  CROSS JOIN generate_series(1, 5) i
  JOIN commerce.products p ON p.tenant_id = s.tenant_id AND p.sku = 'P' || lpad((1 + (g * 7 + i * 41) % 200)::text, 4, '0');
INSERT INTO commerce.returns (tenant_id, id, branch_id, sale_id, location_id, reason)
SELECT s.tenant_id, md5('return' || s.id)::uuid, s.branch_id, s.id, s.location_id, 'bench'
  FROM commerce.sales s WHERE s.tenant_id = '00000000-0000-4000-8000-000000000002' AND s.status = 'completed'
   AND abs(hashtext(s.id::text)) % 50 = 0;
INSERT INTO commerce.return_lines (tenant_id, return_id, sale_line_no, branch_id, sale_id, quantity)
SELECT r.tenant_id, r.id, 1, r.branch_id, r.sale_id, 1 FROM commerce.returns r WHERE r.reason = 'bench';
-- What the ledger's trigger keeps, for the loaded sales: the last sale of each product.
UPDATE commerce.product_costs c SET last_sold_at = x.last
  FROM (SELECT l.tenant_id, l.product_id, max(s.sold_at) AS last FROM commerce.sale_lines l
          JOIN commerce.sales s ON s.tenant_id = l.tenant_id AND s.id = l.sale_id GROUP BY 1, 2) x
 WHERE c.tenant_id = x.tenant_id AND c.product_id = x.product_id;
SET session_replication_role = origin;
SELECT reports.rebuild_sold_by_day('00000000-0000-4000-8000-000000000002');
ANALYZE;
