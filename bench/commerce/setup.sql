-- Sales bench (run as the superuser on a migrated, seeded cluster): the seed's shop gets a
-- million units of each of its 200 products at CEN-TIENDA, and bench_plain holds copies of
-- the tables a sale writes with no rules at all (no RLS, no triggers, no numbering, no
-- checks) for the baseline. bench.lines(i…) turns product numbers into sale lines, for both.
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO app_user;
CREATE FUNCTION bench.lines(VARIADIC p_n int[]) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_agg(jsonb_build_object('product_id', p.id, 'quantity', 1) ORDER BY p.sku)
    FROM commerce.products p
   WHERE p.tenant_id = '00000000-0000-4000-8000-000000000002' AND p.sku = ANY (SELECT 'P' || lpad(n::text, 4, '0') FROM unnest(p_n) n)
$$;
COMMENT ON FUNCTION bench.lines(int[]) IS 'Bench: sale lines (quantity 1) of the shop''s products P<n>, for both paths.';
GRANT EXECUTE ON FUNCTION bench.lines(int[]) TO app_user;

INSERT INTO commerce.inventory_movements (tenant_id, branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id)
SELECT l.tenant_id, l.branch_id, l.id, p.id, 'receipt', 1000000, p.cost, 'receipt', gen_random_uuid()
  FROM commerce.locations l JOIN commerce.products p ON p.tenant_id = l.tenant_id
 WHERE l.code = 'CEN-TIENDA' ORDER BY p.id;

CREATE SCHEMA bench_plain;
GRANT USAGE ON SCHEMA bench_plain TO app_user;
CREATE TABLE bench_plain.sales (LIKE commerce.sales INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench_plain.sale_lines (LIKE commerce.sale_lines INCLUDING INDEXES);
CREATE TABLE bench_plain.sale_payments (LIKE commerce.sale_payments INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench_plain.inventory_movements (LIKE commerce.inventory_movements INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING IDENTITY);
CREATE TABLE bench_plain.invoices (LIKE billing.invoices INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench_plain.invoice_items (LIKE billing.invoice_items INCLUDING INDEXES);
GRANT INSERT, SELECT ON ALL TABLES IN SCHEMA bench_plain TO app_user;

-- The baseline: the rows api.create_sale writes (a sale, its lines and payment, a movement
-- per line, a document and its lines), inserted as they are, from the same product reads.
-- The sale's lines are read back by their key, tenant first, as api.create_sale reads them
-- (by sale_id alone no index applies: a scan of every line sold so far, which slowed the
-- baseline down round after round).
CREATE FUNCTION bench.plain_sale(p_branch uuid, p_lines jsonb, p_payments jsonb) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
  v_tenant uuid := cimiento.current_tenant();
  v_sale uuid := gen_random_uuid();
  v_doc uuid := gen_random_uuid();
  v_location uuid := (SELECT l.id FROM commerce.locations l WHERE l.branch_id = p_branch AND l.active ORDER BY l.is_default DESC, l.code LIMIT 1);
BEGIN
  INSERT INTO bench_plain.sales (tenant_id, id, branch_id, location_id, sold_on, invoice_id, subtotal, tax_total, total, paid)
  VALUES (v_tenant, v_sale, p_branch, v_location, current_date, v_doc, 0, 0, 0, 0);
  INSERT INTO bench_plain.sale_lines (tenant_id, sale_id, line_no, branch_id, product_id, quantity, unit_price, tax_rate, unit_cost)
  SELECT v_tenant, v_sale, l.i, p_branch, p.id, (l.v ->> 'quantity')::numeric, p.sale_price, p.tax_rate, c.average_cost
    FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS l(v, i) JOIN commerce.products p ON p.id = (l.v ->> 'product_id')::uuid
    JOIN commerce.product_costs c ON c.tenant_id = p.tenant_id AND c.product_id = p.id;
  INSERT INTO bench_plain.inventory_movements (tenant_id, branch_id, location_id, product_id, kind, quantity, source_type, source_id)
  SELECT v_tenant, p_branch, v_location, l.product_id, 'sale', -l.quantity, 'sale', v_sale
    FROM bench_plain.sale_lines l WHERE l.tenant_id = v_tenant AND l.sale_id = v_sale;
  INSERT INTO bench_plain.sale_payments (tenant_id, sale_id, line_no, branch_id, method, amount)
  SELECT v_tenant, v_sale, p.i, p_branch, p.v ->> 'method', (p.v ->> 'amount')::numeric
    FROM jsonb_array_elements(p_payments) WITH ORDINALITY AS p(v, i);
  INSERT INTO bench_plain.invoices (tenant_id, id, branch_id, series_code, currency, customer_name)
  VALUES (v_tenant, v_doc, p_branch, 'T001', 'EUR', 'Cliente final');
  INSERT INTO bench_plain.invoice_items (tenant_id, invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
  SELECT v_tenant, v_doc, l.line_no, p_branch, p.name, l.quantity, l.unit_price, l.tax_rate
    FROM bench_plain.sale_lines l JOIN commerce.products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
   WHERE l.tenant_id = v_tenant AND l.sale_id = v_sale;
  RETURN v_sale;
END
$$;
COMMENT ON FUNCTION bench.plain_sale(uuid, jsonb, jsonb) IS 'Bench baseline: the rows api.create_sale writes, inserted into bench_plain with no rules.';
GRANT EXECUTE ON FUNCTION bench.plain_sale(uuid, jsonb, jsonb) TO app_user;
ANALYZE;
