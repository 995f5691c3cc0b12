-- 0033: the REST surface of commerce — views of the catalog, customers, stock and sales,
-- and the RPCs that sell, take back, void, receive, adjust and transfer. Each RPC runs as
-- the caller (RLS and the permission in the branch it acts in decide) and does all of its
-- work in its one transaction: nothing is written when any step refuses.
-- Errors: 22023 → 400 bad input, 42501 → 403 permission or branch, PT404 → 404 unknown id,
-- PT409 → 409 conflict (stock, state, price changed, over-return, idempotency key reused).

-- ---------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------
CREATE VIEW api.categories WITH (security_invoker = true) AS
  SELECT tenant_id, id, parent_id, name, created_at FROM commerce.categories;
COMMENT ON VIEW api.categories IS 'Product categories (a tree: parent_id). Create and change them with products.manage.';
GRANT SELECT, INSERT, UPDATE, DELETE ON api.categories TO app_user;

CREATE VIEW api.products WITH (security_invoker = true) AS
  SELECT tenant_id, id, sku, barcode, name, category_id, unit, sale_price, tax_rate, cost, reorder_point, active,
         allow_backorder, created_at
    FROM commerce.products;
COMMENT ON VIEW api.products IS 'The catalog (find by barcode with ?barcode=eq.…). sale_price is net of tax. Create and change products with products.manage; price changes are audited. Stock: /stock_levels; average cost: /product_costs.';
GRANT SELECT, INSERT, UPDATE ON api.products TO app_user;

CREATE VIEW api.product_costs WITH (security_invoker = true) AS
  SELECT tenant_id, product_id, on_hand, average_cost, updated_at FROM commerce.product_costs;
COMMENT ON VIEW api.product_costs IS 'Per product, kept by the stock ledger: units on hand in every location and the moving-average cost. Read-only.';
GRANT SELECT ON api.product_costs TO app_user;

CREATE VIEW api.locations WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, code, name, active, is_default, created_at FROM commerce.locations;
COMMENT ON VIEW api.locations IS 'Stock locations of the caller''s branches; is_default: where a sale takes stock from when it names no location. Create them with inventory.manage in the branch.';
GRANT SELECT, INSERT, UPDATE ON api.locations TO app_user;

CREATE VIEW api.stock_levels WITH (security_invoker = true) AS
  SELECT s.tenant_id, s.product_id, p.sku, p.name AS product_name, s.location_id, l.code AS location_code, s.branch_id,
         s.quantity, p.reorder_point, s.updated_at
    FROM commerce.stock_levels s
    JOIN commerce.products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
    JOIN commerce.locations l ON l.tenant_id = s.tenant_id AND l.id = s.location_id;
COMMENT ON VIEW api.stock_levels IS 'Units of each product at each location of the caller''s branches, kept by the database from the ledger. Read-only.';
GRANT SELECT ON api.stock_levels TO app_user;

CREATE VIEW api.inventory_movements WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id, transfer_id,
         reason, moved_at, seq, created_by
    FROM commerce.inventory_movements;
COMMENT ON VIEW api.inventory_movements IS 'The stock ledger (append-only). Read-only here: stock moves through /rpc/create_sale, return_sale, void_sale, receive_stock, adjust_stock and transfer_stock.';
GRANT SELECT ON api.inventory_movements TO app_user;

CREATE VIEW api.customers WITH (security_invoker = true) AS
  SELECT tenant_id, id, name, tax_id_country, tax_id, tax_id_kind, email, phone, address, created_at FROM commerce.customers;
COMMENT ON VIEW api.customers IS 'Customers. tax_id (with tax_id_country ES or EC) is checked with its check characters (400 otherwise) and stored normalized (upper case, no spaces, dots or dashes). Search with /rpc/search_customers; stats: /customer_stats.';
GRANT SELECT, INSERT, UPDATE, DELETE ON api.customers TO app_user;

CREATE VIEW api.customer_stats WITH (security_invoker = true) AS
  SELECT tenant_id, customer_id, sales_count, sales_total, last_purchase_at FROM commerce.customer_stats;
COMMENT ON VIEW api.customer_stats IS 'Per customer, kept by its sales: completed sales, their total and the last purchase. Read-only.';
GRANT SELECT ON api.customer_stats TO app_user;

CREATE VIEW api.suppliers WITH (security_invoker = true) AS
  SELECT tenant_id, id, name, tax_id_country, tax_id, email, phone, created_at FROM commerce.suppliers;
COMMENT ON VIEW api.suppliers IS 'Suppliers (inventory.manage to create and change).';
GRANT SELECT, INSERT, UPDATE ON api.suppliers TO app_user;

CREATE VIEW api.receipts WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, location_id, supplier_id, reference, received_at, created_by FROM commerce.receipts;
COMMENT ON VIEW api.receipts IS 'Goods received (their lines are the receipt movements: /inventory_movements?source_id=eq.<id>). Read-only: receive with /rpc/receive_stock.';
GRANT SELECT ON api.receipts TO app_user;

CREATE VIEW api.sales WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, location_id, customer_id, status, sold_at, sold_on, invoice_id, subtotal, tax_total, total,
         paid, change_given, idempotency_key, created_by, voided_at
    FROM commerce.sales;
COMMENT ON VIEW api.sales IS 'Sales of the caller''s branches (status completed | voided). Read-only: sell with /rpc/create_sale, void with /rpc/void_sale.';
GRANT SELECT ON api.sales TO app_user;

CREATE VIEW api.sale_lines WITH (security_invoker = true) AS
  SELECT tenant_id, sale_id, line_no, branch_id, product_id, quantity, unit_price, tax_rate, unit_cost, line_subtotal
    FROM commerce.sale_lines;
COMMENT ON VIEW api.sale_lines IS 'Lines of sales (price and tax charged, average cost at the time). Read-only.';
GRANT SELECT ON api.sale_lines TO app_user;

CREATE VIEW api.sale_payments WITH (security_invoker = true) AS
  SELECT tenant_id, sale_id, line_no, branch_id, method, amount, reference FROM commerce.sale_payments;
COMMENT ON VIEW api.sale_payments IS 'Payments of sales (cash, card, transfer). Read-only.';
GRANT SELECT ON api.sale_payments TO app_user;

CREATE VIEW api.returns WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, sale_id, location_id, reason, credit_note_id, returned_at, created_by FROM commerce.returns;
COMMENT ON VIEW api.returns IS 'Goods taken back, with their credit note. Read-only: /rpc/return_sale.';
GRANT SELECT ON api.returns TO app_user;

CREATE VIEW api.return_lines WITH (security_invoker = true) AS
  SELECT tenant_id, return_id, sale_line_no, branch_id, sale_id, quantity FROM commerce.return_lines;
COMMENT ON VIEW api.return_lines IS 'What each return took back of each sale line. Read-only.';
GRANT SELECT ON api.return_lines TO app_user;

-- ---------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------

-- Lines of products: a non-empty array of {product_id, quantity > 0, …}; 22023 naming the
-- first bad element and field.
CREATE FUNCTION commerce.check_product_lines(p_lines jsonb, p_name text, p_numbers text[] DEFAULT '{}') RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  l jsonb;
  n int := 0;
  f text;
  v_bad_line int;
  v_bad_product text;
BEGIN
  IF p_lines IS NULL OR jsonb_typeof(p_lines) <> 'array' OR jsonb_array_length(p_lines) = 0 THEN
    RAISE EXCEPTION '% must be a non-empty array', p_name USING ERRCODE = '22023';
  END IF;
  IF jsonb_array_length(p_lines) > 200 THEN
    RAISE EXCEPTION '% has % elements: at most 200', p_name, jsonb_array_length(p_lines) USING ERRCODE = '22023';
  END IF;
  FOR l IN SELECT * FROM jsonb_array_elements(p_lines) LOOP
    n := n + 1;
    IF jsonb_typeof(l) <> 'object' THEN
      RAISE EXCEPTION '%[%] must be an object', p_name, n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'product_id') IS DISTINCT FROM 'string'
       OR (l ->> 'product_id') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
      RAISE EXCEPTION '%[%].product_id must be a product id (uuid)', p_name, n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'quantity') IS DISTINCT FROM 'number' OR (l ->> 'quantity')::numeric <= 0 THEN
      RAISE EXCEPTION '%[%].quantity must be a number greater than 0', p_name, n USING ERRCODE = '22023';
    END IF;
    IF (l ->> 'quantity')::numeric <> round((l ->> 'quantity')::numeric, 3) OR (l ->> 'quantity')::numeric >= 1e9 THEN
      RAISE EXCEPTION '%[%].quantity has more than 3 decimals or is too large', p_name, n USING ERRCODE = '22023';
    END IF;
    FOREACH f IN ARRAY p_numbers LOOP
      IF l ? f AND (jsonb_typeof(l -> f) <> 'number' OR (l ->> f)::numeric < 0 OR (l ->> f)::numeric >= 1e10) THEN
        RAISE EXCEPTION '%[%].% must be a number, 0 or more', p_name, n, f USING ERRCODE = '22023';
      END IF;
    END LOOP;
  END LOOP;
  -- Every product known to the caller (one query for all lines).
  SELECT x.i, x.v ->> 'product_id' INTO v_bad_line, v_bad_product
    FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS x(v, i)
   WHERE NOT EXISTS (SELECT 1 FROM commerce.products p WHERE p.id = (x.v ->> 'product_id')::uuid)
   ORDER BY x.i LIMIT 1;
  IF v_bad_line IS NOT NULL THEN
    RAISE EXCEPTION '%[%]: product % not found', p_name, v_bad_line, v_bad_product USING ERRCODE = 'PT404';
  END IF;
END
$$;
COMMENT ON FUNCTION commerce.check_product_lines(jsonb, text, text[]) IS 'Validates lines of products [{product_id, quantity, …}] (1 to 200; quantity > 0 with at most 3 decimals; the named number fields, when present, 0 or more): 22023 naming the element and field; PT404 (404) naming the first product the caller cannot see. STABLE.';
GRANT EXECUTE ON FUNCTION commerce.check_product_lines(jsonb, text, text[]) TO app_user;

-- A location the caller may act on with a permission: 404 unknown (or not visible), 403
-- without the permission in its branch, 409 inactive.
CREATE FUNCTION commerce.require_location(p_location uuid, p_permission text) RETURNS commerce.locations
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  l commerce.locations;
BEGIN
  IF p_location IS NULL THEN
    RAISE EXCEPTION 'location_id is required' USING ERRCODE = '22023';
  END IF;
  SELECT * INTO l FROM commerce.locations x WHERE x.id = p_location;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'location % not found', p_location USING ERRCODE = 'PT404';
  END IF;
  PERFORM cimiento.require_permission(p_permission, l.branch_id);
  IF NOT l.active THEN
    RAISE EXCEPTION 'location % is closed', l.code USING ERRCODE = 'PT409';
  END IF;
  RETURN l;
END
$$;
COMMENT ON FUNCTION commerce.require_location(uuid, text) IS 'A location the caller may act on with a permission: 22023 missing, 404 unknown, 403 without the permission in its branch, 409 closed. STABLE.';
GRANT EXECUTE ON FUNCTION commerce.require_location(uuid, text) TO app_user;

-- The series a sale's document is numbered in: the branch's active simplified series for a
-- ticket, its active ordinary invoice series for a full invoice.
CREATE FUNCTION commerce.sale_series(p_branch uuid, p_simplified boolean) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_code text;
BEGIN
  SELECT s.code INTO v_code FROM billing.invoice_series s
   WHERE s.branch_id = p_branch AND s.kind = 'invoice' AND s.simplified = p_simplified AND s.active
   ORDER BY s.fiscal_year DESC, s.code LIMIT 1;
  IF v_code IS NULL THEN
    RAISE EXCEPTION 'the branch has no active % series', CASE WHEN p_simplified THEN 'ticket (simplified invoice)' ELSE 'invoice' END
      USING ERRCODE = 'PT404',
            HINT = format('create one with POST /invoice_series {"code": …, "kind": "invoice", "simplified": %s}', p_simplified);
  END IF;
  RETURN v_code;
END
$$;
COMMENT ON FUNCTION commerce.sale_series(uuid, boolean) IS 'The code of the series a sale of the branch is documented in: its active simplified series (tickets) or its active ordinary invoice series (customers with a tax id); 404 with a hint when there is none. STABLE.';
GRANT EXECUTE ON FUNCTION commerce.sale_series(uuid, boolean) TO app_user;

-- A sale as JSON: header, lines, payments, its document and what was returned.
CREATE FUNCTION commerce.sale_json(p_tenant uuid, p_sale uuid) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT to_jsonb(s) - 'request_hash'
         || jsonb_build_object(
              'lines', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                   'line_no', l.line_no, 'product_id', l.product_id, 'sku', p.sku, 'name', p.name,
                                   'quantity', l.quantity, 'unit_price', l.unit_price, 'tax_rate', l.tax_rate,
                                   'subtotal', l.line_subtotal,
                                   'returned', (SELECT coalesce(sum(r.quantity), 0) FROM commerce.return_lines r
                                                 WHERE r.tenant_id = l.tenant_id AND r.sale_id = l.sale_id AND r.sale_line_no = l.line_no))
                                   ORDER BY l.line_no)
                                  FROM commerce.sale_lines l JOIN commerce.products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
                                 WHERE l.tenant_id = s.tenant_id AND l.sale_id = s.id), '[]'),
              'payments', coalesce((SELECT jsonb_agg(jsonb_build_object('method', x.method, 'amount', x.amount, 'reference', x.reference)
                                      ORDER BY x.line_no)
                                     FROM commerce.sale_payments x WHERE x.tenant_id = s.tenant_id AND x.sale_id = s.id), '[]'),
              'document', (SELECT jsonb_build_object('id', d.id, 'kind', d.kind, 'simplified', d.simplified,
                                                     'number_display', d.number_display, 'total', d.total,
                                                     'pdf', '/invoices/' || d.id || '/pdf')
                             FROM (SELECT i.id, i.kind, i.number_display, i.total,
                                          billing.document_simplified(i.tenant_id, i.series_id) AS simplified
                                     FROM billing.invoices i WHERE i.tenant_id = s.tenant_id AND i.id = s.invoice_id) d))
    FROM commerce.sales s WHERE s.tenant_id = p_tenant AND s.id = p_sale
$$;
COMMENT ON FUNCTION commerce.sale_json(uuid, uuid) IS 'A sale as the caller may see it: header, lines (with what was returned), payments and its document (number, simplified, total, PDF path on the api). STABLE.';
GRANT EXECUTE ON FUNCTION commerce.sale_json(uuid, uuid) TO app_user;

-- ---------------------------------------------------------------------------------------
-- RPCs
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION api.create_sale(
  branch_id       uuid,
  lines           jsonb,
  payments        jsonb,
  customer_id     uuid DEFAULT NULL,
  idempotency_key text DEFAULT NULL,
  location_id     uuid DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_tenant uuid := cimiento.current_tenant();
  v_sale uuid := gen_random_uuid();
  v_hash text;
  v_prior record;
  v_location commerce.locations;
  v_customer commerce.customers;
  v_series text;
  v_doc jsonb;
  r record;
  n int := 0;
BEGIN
  PERFORM cimiento.require_permission('sales.create');
  IF branch_id IS NULL THEN
    RAISE EXCEPTION 'branch_id is required' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM core.branches b WHERE b.id = branch_id) THEN
    RAISE EXCEPTION 'branch % not found', branch_id USING ERRCODE = 'PT404';
  END IF;
  PERFORM cimiento.require_permission('sales.create', branch_id);
  PERFORM commerce.check_product_lines(lines, 'lines', '{unit_price}');
  IF payments IS NULL OR jsonb_typeof(payments) <> 'array' OR jsonb_array_length(payments) NOT BETWEEN 1 AND 20 THEN
    RAISE EXCEPTION 'payments must be an array of 1 to 20 {method, amount, reference}' USING ERRCODE = '22023';
  END IF;
  FOR r IN SELECT p.v, p.i FROM jsonb_array_elements(payments) WITH ORDINALITY AS p(v, i) LOOP
    IF jsonb_typeof(r.v) <> 'object' OR coalesce(r.v ->> 'method', '') NOT IN ('cash', 'card', 'transfer') THEN
      RAISE EXCEPTION 'payments[%].method must be cash, card or transfer', r.i USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(r.v -> 'amount') IS DISTINCT FROM 'number' OR (r.v ->> 'amount')::numeric <= 0
       OR (r.v ->> 'amount')::numeric <> round((r.v ->> 'amount')::numeric, 2) OR (r.v ->> 'amount')::numeric >= 1e10 THEN
      RAISE EXCEPTION 'payments[%].amount must be greater than 0 with at most 2 decimals', r.i USING ERRCODE = '22023';
    END IF;
    IF length(r.v ->> 'reference') > 100 THEN
      RAISE EXCEPTION 'payments[%].reference is too long: at most 100 characters', r.i USING ERRCODE = '22001';
    END IF;
  END LOOP;

  v_hash := md5(jsonb_build_array(branch_id, lines, payments, customer_id, location_id)::text);
  IF idempotency_key IS NOT NULL THEN
    SELECT s.id, s.request_hash INTO v_prior FROM commerce.sales s WHERE s.idempotency_key = idempotency_key;
    IF FOUND THEN
      IF v_prior.request_hash IS DISTINCT FROM v_hash THEN
        RAISE EXCEPTION 'idempotency key % was already used for a different sale', idempotency_key
          USING ERRCODE = 'PT409', HINT = 'use a new key for a new sale';
      END IF;
      RETURN commerce.sale_json(v_tenant, v_prior.id);
    END IF;
  END IF;

  IF location_id IS NULL THEN
    SELECT * INTO v_location FROM commerce.locations l WHERE l.branch_id = branch_id AND l.active ORDER BY l.is_default DESC, l.code LIMIT 1;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'the branch has no active stock location' USING ERRCODE = 'PT404', HINT = 'create one with POST /locations';
    END IF;
  ELSE
    v_location := commerce.require_location(location_id, 'sales.create');
    IF v_location.branch_id <> branch_id THEN
      RAISE EXCEPTION 'location % is not in the branch of the sale', v_location.code USING ERRCODE = '22023';
    END IF;
  END IF;
  IF customer_id IS NOT NULL THEN
    SELECT * INTO v_customer FROM commerce.customers c WHERE c.id = customer_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'customer % not found', customer_id USING ERRCODE = 'PT404';
    END IF;
  END IF;
  v_series := commerce.sale_series(branch_id, v_customer.tax_id IS NULL);

  -- Every product active and at the price the caller saw (check_product_lines found them).
  FOR r IN SELECT l.i, l.v, p.sku, p.active, p.sale_price
             FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i)
             JOIN commerce.products p ON p.id = (l.v ->> 'product_id')::uuid
            ORDER BY l.i LOOP
    IF NOT r.active THEN
      RAISE EXCEPTION 'lines[%]: product % is not for sale (inactive)', r.i, r.sku USING ERRCODE = 'PT409';
    END IF;
    IF r.v ? 'unit_price' AND (r.v ->> 'unit_price')::numeric <> r.sale_price THEN
      RAISE EXCEPTION 'lines[%]: the price of % is %, not %', r.i, r.sku, r.sale_price, r.v ->> 'unit_price'
        USING ERRCODE = 'PT409', HINT = 'the price changed: reload the product and confirm the new price';
    END IF;
  END LOOP;

  BEGIN
    INSERT INTO commerce.sales (id, branch_id, location_id, customer_id, idempotency_key, request_hash)
    VALUES (v_sale, branch_id, v_location.id, customer_id, idempotency_key, v_hash);
  EXCEPTION WHEN unique_violation THEN
    -- A concurrent call with the same key won: answer as a retry would.
    SELECT s.id, s.request_hash INTO v_prior FROM commerce.sales s WHERE s.idempotency_key = idempotency_key;
    IF NOT FOUND OR v_prior.request_hash IS DISTINCT FROM v_hash THEN
      RAISE EXCEPTION 'idempotency key % was already used for a different sale', idempotency_key USING ERRCODE = 'PT409';
    END IF;
    RETURN commerce.sale_json(v_tenant, v_prior.id);
  END;
  INSERT INTO commerce.sale_lines (sale_id, line_no, branch_id, product_id, quantity, unit_price, tax_rate)
  SELECT v_sale, l.i, branch_id, p.id, (l.v ->> 'quantity')::numeric, p.sale_price, p.tax_rate
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i)
    JOIN commerce.products p ON p.id = (l.v ->> 'product_id')::uuid;
  -- Stock leaves in product order: concurrent sales lock the levels in one order (no deadlock).
  INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id)
  SELECT branch_id, v_location.id, l.product_id, 'sale', -l.quantity, l.unit_cost, 'sale', v_sale
    FROM commerce.sale_lines l WHERE l.tenant_id = v_tenant AND l.sale_id = v_sale
   ORDER BY l.product_id, l.line_no;
  INSERT INTO commerce.sale_payments (sale_id, line_no, branch_id, method, amount, reference)
  SELECT v_sale, p.i, branch_id, p.v ->> 'method', (p.v ->> 'amount')::numeric, p.v ->> 'reference'
    FROM jsonb_array_elements(payments) WITH ORDINALITY AS p(v, i);

  v_doc := api.issue_invoice(
    series_code      => v_series,
    lines            => (SELECT jsonb_agg(jsonb_build_object('description', p.name, 'quantity', l.quantity,
                                                             'unit_price', l.unit_price, 'tax_rate', l.tax_rate) ORDER BY l.line_no)
                           FROM commerce.sale_lines l JOIN commerce.products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
                          WHERE l.tenant_id = v_tenant AND l.sale_id = v_sale),
    customer_name    => coalesce(v_customer.name, 'Cliente final'),
    customer_tax_id  => v_customer.tax_id,
    customer_address => v_customer.address,
    customer_email   => v_customer.email,
    customer_id      => customer_id);
  UPDATE commerce.sales s SET invoice_id = (v_doc ->> 'id')::uuid WHERE s.id = v_sale;
  RETURN commerce.sale_json(v_tenant, v_sale);
END
$$;
COMMENT ON FUNCTION api.create_sale(uuid, jsonb, jsonb, uuid, text, uuid) IS
$$Sells in one transaction: lines [{product_id, quantity, unit_price (optional: refused with 409 if it is not the current price)}], payments [{method: cash|card|transfer, amount, reference}] (only cash may exceed the total: the difference is the change), an optional customer and stock location (default: the branch's default location, else its first active one by code). Takes the stock under row locks (409 naming the available quantity when short, unless the product allows backorder), issues the sale's document — a ticket (simplified invoice) or, for a customer with a tax id, a full invoice — with its gapless number and PDF, and counts the sale in the customer's stats. With idempotency_key a retried call returns the first sale. Needs sales.create and invoices.issue in the branch. Errors: 400 bad lines or payments, 403 branch or permission, 404 unknown branch, product, customer, location or series, 409 stock short, price changed, inactive product, key reused.$$;
GRANT EXECUTE ON FUNCTION api.create_sale(uuid, jsonb, jsonb, uuid, text, uuid) TO app_user;

CREATE FUNCTION api.void_sale(sale_id uuid, reason text) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_status text;
BEGIN
  IF sale_id IS NULL THEN
    RAISE EXCEPTION 'sale_id is required' USING ERRCODE = '22023';
  END IF;
  SELECT s.status INTO v_status FROM commerce.sales s WHERE s.id = sale_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sale % not found', sale_id USING ERRCODE = 'PT404';
  END IF;
  IF v_status = 'voided' THEN
    RAISE EXCEPTION 'the sale is already voided' USING ERRCODE = 'PT409';
  END IF;
  PERFORM cimiento.transition('sales', sale_id::text, 'voided', reason);
  RETURN commerce.sale_json(cimiento.current_tenant(), sale_id);
END
$$;
COMMENT ON FUNCTION api.void_sale(uuid, text) IS
$$Voids a sale of today (the workflow transition sales.void, with a reason): what was not returned goes back to stock and what was not credited gets a credit note. Returns the sale. Needs sales.void and credit_notes.issue in the sale's branch. Errors: 400 reason missing, 403 permission, 404 unknown sale, 409 already voided or not of today (return the goods instead).$$;
GRANT EXECUTE ON FUNCTION api.void_sale(uuid, text) TO app_user;

CREATE FUNCTION api.return_sale(sale_id uuid, lines jsonb, location_id uuid DEFAULT NULL, reason text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_sale commerce.sales;
  v_location commerce.locations;
  v_return uuid := gen_random_uuid();
  v_credit jsonb;
  r record;
BEGIN
  PERFORM cimiento.require_permission('sales.return');
  IF sale_id IS NULL THEN
    RAISE EXCEPTION 'sale_id is required' USING ERRCODE = '22023';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'reason is required: a return states why the goods come back' USING ERRCODE = '22023';
  END IF;
  IF length(reason) > 500 THEN
    RAISE EXCEPTION 'reason is too long: at most 500 characters' USING ERRCODE = '22001';
  END IF;
  IF lines IS NULL OR jsonb_typeof(lines) <> 'array' OR jsonb_array_length(lines) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'lines must be a non-empty array of {line_no, quantity}' USING ERRCODE = '22023';
  END IF;
  -- One return of a sale at a time: later ones see what earlier ones took back.
  SELECT * INTO v_sale FROM commerce.sales s WHERE s.id = sale_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sale % not found', sale_id USING ERRCODE = 'PT404';
  END IF;
  PERFORM cimiento.require_permission('sales.return', v_sale.branch_id);
  IF v_sale.status = 'voided' THEN
    RAISE EXCEPTION 'the sale is voided: nothing is left to return' USING ERRCODE = 'PT409';
  END IF;
  v_location := commerce.require_location(coalesce(location_id, v_sale.location_id), 'sales.return');
  IF v_location.branch_id <> v_sale.branch_id THEN
    RAISE EXCEPTION 'location % is not in the branch of the sale', v_location.code USING ERRCODE = '22023';
  END IF;
  FOR r IN SELECT x.i, x.v, l.line_no, l.quantity AS sold, p.sku,
                  (SELECT coalesce(sum(rl.quantity), 0) FROM commerce.return_lines rl
                    WHERE rl.tenant_id = v_sale.tenant_id AND rl.sale_id = v_sale.id AND rl.sale_line_no = l.line_no) AS returned,
                  count(*) OVER (PARTITION BY x.v -> 'line_no') AS times
             FROM jsonb_array_elements(lines) WITH ORDINALITY AS x(v, i)
             LEFT JOIN commerce.sale_lines l
               ON l.tenant_id = v_sale.tenant_id AND l.sale_id = v_sale.id
              AND jsonb_typeof(x.v -> 'line_no') = 'number' AND l.line_no = (x.v ->> 'line_no')::numeric
             LEFT JOIN commerce.products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
            ORDER BY x.i LOOP
    IF r.line_no IS NULL THEN
      RAISE EXCEPTION 'lines[%]: the sale has no line %', r.i, coalesce(r.v ->> 'line_no', 'NULL') USING ERRCODE = '22023';
    END IF;
    IF r.times > 1 THEN
      RAISE EXCEPTION 'lines[%]: line % is named more than once', r.i, r.line_no USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(r.v -> 'quantity') IS DISTINCT FROM 'number' OR (r.v ->> 'quantity')::numeric <= 0 THEN
      RAISE EXCEPTION 'lines[%].quantity must be a number greater than 0', r.i USING ERRCODE = '22023';
    END IF;
    IF (r.v ->> 'quantity')::numeric > r.sold - r.returned THEN
      RAISE EXCEPTION 'lines[%]: % of % sold, % already returned: at most % can be returned', r.i, trim_scale(r.sold), r.sku,
          trim_scale(r.returned), trim_scale(r.sold - r.returned)
        USING ERRCODE = 'PT409', DETAIL = json_build_object('line_no', r.line_no, 'returnable', trim_scale(r.sold - r.returned))::text;
    END IF;
  END LOOP;

  v_credit := api.issue_credit_note(
    invoice_id => v_sale.invoice_id,
    reason     => reason,
    lines      => (SELECT jsonb_agg(jsonb_build_object('line_no', (x.v ->> 'line_no')::int, 'quantity', (x.v ->> 'quantity')::numeric)
                                    ORDER BY x.i)
                     FROM jsonb_array_elements(lines) WITH ORDINALITY AS x(v, i)));
  INSERT INTO commerce.returns (id, branch_id, sale_id, location_id, reason, credit_note_id)
  VALUES (v_return, v_sale.branch_id, v_sale.id, v_location.id, btrim(reason), (v_credit ->> 'id')::uuid);
  INSERT INTO commerce.return_lines (return_id, sale_line_no, branch_id, sale_id, quantity)
  SELECT v_return, (x.v ->> 'line_no')::int, v_sale.branch_id, v_sale.id, (x.v ->> 'quantity')::numeric
    FROM jsonb_array_elements(lines) AS x(v);
  INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id, reason)
  SELECT v_sale.branch_id, v_location.id, l.product_id, 'return', rl.quantity, l.unit_cost, 'return', v_return, btrim(reason)
    FROM commerce.return_lines rl
    JOIN commerce.sale_lines l ON l.tenant_id = rl.tenant_id AND l.sale_id = rl.sale_id AND l.line_no = rl.sale_line_no
   WHERE rl.tenant_id = v_sale.tenant_id AND rl.return_id = v_return
   ORDER BY l.product_id, l.line_no;
  RETURN (SELECT to_jsonb(rt) FROM commerce.returns rt WHERE rt.tenant_id = v_sale.tenant_id AND rt.id = v_return)
         || jsonb_build_object('credit_note', jsonb_build_object('id', v_credit -> 'id', 'number_display', v_credit -> 'number_display',
                                                                 'total', v_credit -> 'total',
                                                                 'pdf', '/invoices/' || (v_credit ->> 'id') || '/pdf'),
                               'sale', commerce.sale_json(v_sale.tenant_id, v_sale.id));
END
$$;
COMMENT ON FUNCTION api.return_sale(uuid, jsonb, uuid, text) IS
$$Takes back goods of a sale: lines [{line_no, quantity}] of the sale, never more than sold minus already returned; restocks them into the sale's location (or location_id of its branch) at their cost of sale and issues a credit note for them. A reason is required. Needs sales.return and credit_notes.issue in the sale's branch. Errors: 400 bad lines or missing reason, 403 permission, 404 unknown sale or location, 409 voided sale or more than can be returned (DETAIL: {line_no, returnable}).$$;
GRANT EXECUTE ON FUNCTION api.return_sale(uuid, jsonb, uuid, text) TO app_user;

CREATE FUNCTION api.receive_stock(location_id uuid, lines jsonb, supplier_id uuid DEFAULT NULL, reference text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_location commerce.locations;
  v_receipt uuid := gen_random_uuid();
  r record;
BEGIN
  PERFORM cimiento.require_permission('inventory.manage');
  v_location := commerce.require_location(location_id, 'inventory.manage');
  PERFORM commerce.check_product_lines(lines, 'lines', '{unit_cost}');
  IF length(reference) > 100 THEN
    RAISE EXCEPTION 'reference is too long: at most 100 characters' USING ERRCODE = '22001';
  END IF;
  IF supplier_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM commerce.suppliers s WHERE s.id = supplier_id) THEN
    RAISE EXCEPTION 'supplier % not found', supplier_id USING ERRCODE = 'PT404';
  END IF;
  FOR r IN SELECT l.i, l.v FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i) ORDER BY l.i LOOP
    IF NOT r.v ? 'unit_cost' THEN
      RAISE EXCEPTION 'lines[%].unit_cost is required: stock comes in at its cost', r.i USING ERRCODE = '22023';
    END IF;
  END LOOP;
  INSERT INTO commerce.receipts (id, branch_id, location_id, supplier_id, reference)
  VALUES (v_receipt, v_location.branch_id, v_location.id, supplier_id, reference);
  INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id)
  SELECT v_location.branch_id, v_location.id, (l.v ->> 'product_id')::uuid, 'receipt', (l.v ->> 'quantity')::numeric,
         (l.v ->> 'unit_cost')::numeric, 'receipt', v_receipt
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i)
   ORDER BY (l.v ->> 'product_id')::uuid, l.i;
  RETURN (SELECT to_jsonb(x) FROM commerce.receipts x WHERE x.id = v_receipt)
         || jsonb_build_object('lines', (SELECT jsonb_agg(jsonb_build_object('product_id', m.product_id, 'quantity', m.quantity,
                                                                              'unit_cost', m.unit_cost, 'stock', s.quantity,
                                                                              'average_cost', c.average_cost) ORDER BY m.product_id)
                                           FROM commerce.inventory_movements m
                                           JOIN commerce.stock_levels s ON s.tenant_id = m.tenant_id AND s.product_id = m.product_id
                                                                       AND s.location_id = m.location_id
                                           JOIN commerce.product_costs c ON c.tenant_id = m.tenant_id AND c.product_id = m.product_id
                                          WHERE m.source_id = v_receipt));
END
$$;
COMMENT ON FUNCTION api.receive_stock(uuid, jsonb, uuid, text) IS
$$Receives goods into a location: lines [{product_id, quantity, unit_cost}], an optional supplier and reference (delivery note). Adds the stock and moves each product's average cost. Returns the receipt with each line's new stock and average cost. Needs inventory.manage in the location's branch. Errors: 400 bad lines, 403 permission, 404 unknown location, product or supplier, 409 closed location.$$;
GRANT EXECUTE ON FUNCTION api.receive_stock(uuid, jsonb, uuid, text) TO app_user;

CREATE FUNCTION api.adjust_stock(location_id uuid, product_id uuid, quantity numeric, reason text) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_location commerce.locations;
  v_id uuid := gen_random_uuid();
BEGIN
  PERFORM cimiento.require_permission('inventory.adjust');
  v_location := commerce.require_location(location_id, 'inventory.adjust');
  IF quantity IS NULL OR quantity = 0 OR quantity <> round(quantity, 3) THEN
    RAISE EXCEPTION 'quantity must be a non-zero number (positive adds, negative removes) with at most 3 decimals' USING ERRCODE = '22023';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'reason is required for an adjustment (count, breakage, loss…)' USING ERRCODE = '22023';
  END IF;
  IF length(reason) > 500 THEN
    RAISE EXCEPTION 'reason is too long: at most 500 characters' USING ERRCODE = '22001';
  END IF;
  IF product_id IS NULL OR NOT EXISTS (SELECT 1 FROM commerce.products p WHERE p.id = product_id) THEN
    RAISE EXCEPTION 'product % not found', product_id USING ERRCODE = 'PT404';
  END IF;
  INSERT INTO commerce.inventory_movements (id, branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, reason)
  VALUES (v_id, v_location.branch_id, v_location.id, product_id, 'adjustment', quantity,
          coalesce((SELECT c.average_cost FROM commerce.product_costs c WHERE c.product_id = product_id), 0), 'adjustment', btrim(reason));
  RETURN (SELECT to_jsonb(m) FROM commerce.inventory_movements m WHERE m.id = v_id)
         || jsonb_build_object('stock', (SELECT s.quantity FROM commerce.stock_levels s
                                          WHERE s.product_id = product_id AND s.location_id = v_location.id));
END
$$;
COMMENT ON FUNCTION api.adjust_stock(uuid, uuid, numeric, text) IS
$$Corrects the stock of a product at a location (a count, breakage, loss) with a new adjustment movement at the average cost: quantity positive adds, negative removes (never below zero unless the product allows backorder). A reason is required. Returns the movement and the new stock. Needs inventory.adjust in the location's branch. Errors: 400 bad quantity or missing reason, 403, 404 unknown location or product, 409 stock short.$$;
GRANT EXECUTE ON FUNCTION api.adjust_stock(uuid, uuid, numeric, text) TO app_user;

CREATE FUNCTION api.transfer_stock(from_location_id uuid, to_location_id uuid, lines jsonb, reason text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_from commerce.locations;
  v_to commerce.locations;
  v_transfer uuid := gen_random_uuid();
BEGIN
  PERFORM cimiento.require_permission('inventory.manage');
  v_from := commerce.require_location(from_location_id, 'inventory.manage');
  v_to := commerce.require_location(to_location_id, 'inventory.manage');
  IF v_from.id = v_to.id THEN
    RAISE EXCEPTION 'a transfer goes between two different locations' USING ERRCODE = '22023';
  END IF;
  PERFORM commerce.check_product_lines(lines, 'lines');
  IF length(reason) > 500 THEN
    RAISE EXCEPTION 'reason is too long: at most 500 characters' USING ERRCODE = '22001';
  END IF;
  INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, transfer_id, reason)
  SELECT m.branch_id, m.location_id, (l.v ->> 'product_id')::uuid, m.kind, m.sign * (l.v ->> 'quantity')::numeric,
         coalesce((SELECT c.average_cost FROM commerce.product_costs c WHERE c.product_id = (l.v ->> 'product_id')::uuid), 0),
         'transfer', v_transfer, reason
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i)
    CROSS JOIN (VALUES (1, v_from.branch_id, v_from.id, 'transfer_out', -1), (2, v_to.branch_id, v_to.id, 'transfer_in', 1))
                 AS m(step, branch_id, location_id, kind, sign)
   ORDER BY m.step, (l.v ->> 'product_id')::uuid, l.i;
  RETURN jsonb_build_object('transfer_id', v_transfer, 'from_location_id', v_from.id, 'to_location_id', v_to.id,
                            'movements', (SELECT jsonb_agg(to_jsonb(m) ORDER BY m.kind DESC, m.product_id)
                                            FROM commerce.inventory_movements m WHERE m.transfer_id = v_transfer));
END
$$;
COMMENT ON FUNCTION api.transfer_stock(uuid, uuid, jsonb, text) IS
$$Moves stock between two locations (of one branch or of two): lines [{product_id, quantity}] become linked transfer_out and transfer_in movements sharing a transfer_id, at the average cost. Needs inventory.manage in both branches. Errors: 400 bad lines or same location, 403, 404 unknown location or product, 409 stock short at the source.$$;
GRANT EXECUTE ON FUNCTION api.transfer_stock(uuid, uuid, jsonb, text) TO app_user;

CREATE FUNCTION api.search_customers(q text, max_rows integer DEFAULT 20) RETURNS SETOF api.customers
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_q text := btrim(coalesce(q, ''));
BEGIN
  IF length(v_q) < 2 THEN
    RAISE EXCEPTION 'q must have at least 2 characters' USING ERRCODE = '22023';
  END IF;
  IF max_rows IS NULL OR max_rows NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'max_rows must be between 1 and 200' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
    SELECT c.* FROM api.customers c
     WHERE c.tax_id LIKE core.normalize_tax_id(v_q) || '%'
        OR c.name ILIKE '%' || replace(replace(replace(v_q, '\', '\\'), '%', '\%'), '_', '\_') || '%'
     ORDER BY (c.tax_id = core.normalize_tax_id(v_q)) DESC NULLS LAST, lower(c.name), c.id
     LIMIT max_rows;
END
$$;
COMMENT ON FUNCTION api.search_customers(text, integer) IS
$$Customers whose tax id starts with q (written with or without spaces, dots or dashes) or whose name contains q (case-insensitive); an exact tax id first, then by name. At most max_rows (default 20, up to 200). 400 when q has fewer than 2 characters.$$;
GRANT EXECUTE ON FUNCTION api.search_customers(text, integer) TO app_user;
