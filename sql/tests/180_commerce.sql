-- Commerce rules from each role's point of view: catalog, tax ids, the stock ledger and its
-- levels and costs, sales with their documents, returns, voids, and what nobody may do.
BEGIN;
SELECT plan(99);

CREATE TEMP TABLE ids AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT id FROM core.branches b WHERE b.code = 'CENTRO' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b1,
  (SELECT id FROM core.branches b WHERE b.code = 'NORTE' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b2,
  (SELECT id FROM commerce.locations l WHERE l.code = 'TIENDA1' AND l.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS loc1,
  (SELECT id FROM commerce.locations l WHERE l.code = 'TIENDA2' AND l.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS loc2;
GRANT SELECT ON ids TO PUBLIC;
CREATE TEMP TABLE v (k text PRIMARY KEY, j jsonb);
GRANT ALL ON v TO PUBLIC;

CREATE FUNCTION pg_temp.admin(p_sql text) RETURNS jsonb LANGUAGE sql AS $$ SELECT test_auth.json_as('user:acme:admin@acme.test', p_sql) $$;
-- A cashier of one branch (sales.*, invoices.issue, credit_notes.issue there only).
CREATE FUNCTION pg_temp.cashier(p_branch uuid) RETURNS text LANGUAGE sql AS $$
  SELECT format('claims:{"tid":"%s","sub":"%s","roles":["cashier"],"branches":["%s"],"grants":{"cashier":["%s"]}}',
                (SELECT acme FROM ids), (SELECT id FROM core.users WHERE email_key = 'admin@acme.test'), p_branch, p_branch)
$$;
CREATE FUNCTION pg_temp.level(p_product uuid, p_location uuid) RETURNS numeric LANGUAGE sql AS $$
  SELECT quantity FROM commerce.stock_levels WHERE product_id = p_product AND location_id = p_location
$$;

-- ---------------------------------------------------------------------------------------
-- Catalog and customers
-- ---------------------------------------------------------------------------------------
SELECT is(test_auth.run_as('user:acme:admin@acme.test',
  $$INSERT INTO api.products (sku, name, sale_price, tax_rate, cost, reorder_point) VALUES ('LAP-001', 'Lápiz HB', 0.50, 21, 0.10, 20)$$),
  'rows:1', 'an admin creates a product');
INSERT INTO v SELECT 'pencil', to_jsonb(p) FROM commerce.products p WHERE p.sku = 'LAP-001' AND p.tenant_id = (SELECT acme FROM ids);
SELECT is(test_auth.run_as('user:acme:admin@acme.test',
  $$INSERT INTO api.products (sku, name, sale_price) VALUES ('LAP-001', 'Otro', 1)$$), '23505', 'a SKU is unique per tenant (409)');
SELECT is(test_auth.run_as('user:globex:admin@globex.test',
  $$INSERT INTO api.products (sku, name, sale_price) VALUES ('LAP-001', 'Lápiz de globex', 1)$$), 'rows:1', '…not across tenants');
SELECT is(test_auth.run_as('user:acme:admin@acme.test',
  $$INSERT INTO api.products (sku, barcode, name, sale_price) VALUES ('LAP-002', '8412345678905', 'Otro', 1)$$), '23505',
  'a barcode is unique per tenant');
SELECT is(test_auth.run_as('user:acme:admin@acme.test',
  $$INSERT INTO api.products (sku, name, sale_price) VALUES ('LAP-003', 'Negativo', -1)$$), '23514', 'a negative price is refused (400)');
SELECT is(test_auth.run_as('user:acme:staff@acme.test',
  $$INSERT INTO api.products (sku, name, sale_price) VALUES ('LAP-004', 'X', 1)$$), '42501', 'a teacher cannot create products');
SELECT is((SELECT average_cost FROM commerce.product_costs WHERE product_id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil')),
          0.1000::numeric, 'a new product''s average cost starts at its standard cost');

SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$UPDATE api.products SET sale_price = 0.55 WHERE sku = 'LAP-001'$$), 'rows:1',
          'a price changes');
SELECT is((SELECT changes FROM audit.log WHERE table_name = 'commerce.products' AND operation = 'UPDATE'
            AND row_pk ->> 'id' = (SELECT j ->> 'id' FROM v WHERE k = 'pencil')),
          '{"sale_price": [0.50, 0.55]}'::jsonb, '…and the audit trail has the old and new price');

SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$INSERT INTO api.categories (name, parent_id)
            SELECT 'Lápices', id FROM api.categories WHERE name = 'Papelería'$$), 'rows:1', 'categories nest');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$UPDATE api.categories SET parent_id = (SELECT id FROM api.categories WHERE name = 'Lápices')
            WHERE name = 'Papelería'$$), '22023', 'a category cannot go under its own descendant');

SELECT is(test_auth.run_as('user:acme:admin@acme.test',
  $$INSERT INTO api.customers (name, tax_id_country, tax_id) VALUES ('Ana Ruiz', 'ES', ' 12.345.678-z ')$$), 'rows:1',
  'a customer with a valid NIF, written loosely');
SELECT is((SELECT tax_id || ' ' || tax_id_kind FROM commerce.customers WHERE name = 'Ana Ruiz'), '12345678Z NIF', '…is stored normalized, with its kind');
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
  $$INSERT INTO api.customers (name, tax_id_country, tax_id) VALUES ('Mal', 'ES', '12345678A')$$),
  '22023: tax_id is not a valid Spanish identifier', 'a NIF with a wrong letter is 400');
SELECT is(test_auth.run_as('user:acme:admin@acme.test',
  $$INSERT INTO api.customers (name, tax_id_country, tax_id) VALUES ('Quito S.A.', 'EC', '1790011674001')$$), 'rows:1', 'an Ecuadorian RUC');
SELECT is(test_auth.run_as('user:acme:admin@acme.test',
  $$INSERT INTO api.customers (name, tax_id_country, tax_id) VALUES ('Mal EC', 'EC', '1710034066')$$), '22023', 'a cédula with a wrong check digit is 400');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(name, ',' ORDER BY name) FROM api.search_customers('ruiz')$$),
          'Ana Ruiz', 'search by part of the name');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(name, ',' ORDER BY name) FROM api.search_customers('12345678-z')$$),
          'Ana Ruiz', 'search by tax id, written loosely');

-- ---------------------------------------------------------------------------------------
-- Receiving stock: levels and the moving-average cost
-- ---------------------------------------------------------------------------------------
INSERT INTO v SELECT 'r1', pg_temp.admin(format($$api.receive_stock(%L, '[{"product_id": "%s", "quantity": 10, "unit_cost": 0.20}]')$$,
  (SELECT loc1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil')));
INSERT INTO v SELECT 'r2', pg_temp.admin(format($$api.receive_stock(%L, '[{"product_id": "%s", "quantity": 30, "unit_cost": 0.40}]')$$,
  (SELECT loc1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil')));
SELECT is(pg_temp.level((SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil'), (SELECT loc1 FROM ids)), 40.000, 'two receipts: 40 in stock');
SELECT is((SELECT (j -> 'lines' -> 0 ->> 'average_cost')::numeric FROM v WHERE k = 'r2'), 0.3500,
          'the average cost is weighted by quantity ((10×0.20 + 30×0.40) / 40)');
SELECT is(pg_temp.admin(format($$api.receive_stock(%L, '[{"product_id": "%s", "quantity": 1}]')$$,
  (SELECT loc1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', '22023', 'a receipt without unit cost is 400');
SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.receive_stock(%L, '[{"product_id": "%s", "quantity": 1, "unit_cost": 1}]')$$,
  (SELECT loc1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', '42501', 'a cashier cannot receive stock');

-- ---------------------------------------------------------------------------------------
-- Selling
-- ---------------------------------------------------------------------------------------
INSERT INTO v SELECT 's1', test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format(
  $$api.create_sale(%L, '[{"product_id": "%s", "quantity": 4, "unit_price": 0.55}]', '[{"method": "cash", "amount": 5}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil')));
SELECT is((SELECT j ->> 'status' FROM v WHERE k = 's1'), 'completed', 'a cashier sells in their branch');
SELECT ok((SELECT (j -> 'document' ->> 'simplified')::boolean AND j -> 'document' ->> 'number_display' ~ '^TK-' FROM v WHERE k = 's1'),
          '…with a numbered ticket (simplified invoice)');
SELECT is((SELECT (j ->> 'total')::numeric FROM v WHERE k = 's1'), 2.66, '…totals with tax by the billing rules (4 × 0.55 + 21%)');
SELECT is((SELECT (j ->> 'change_given')::numeric FROM v WHERE k = 's1'), 2.34, '…and the change for cash');
SELECT is(pg_temp.level((SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil'), (SELECT loc1 FROM ids)), 36.000, '…stock goes down in the same transaction');
SELECT is((SELECT unit_cost FROM commerce.sale_lines WHERE sale_id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 's1')), 0.3500,
          '…each line keeps the average cost at the time of sale');

SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b2 FROM ids)), format(
  $$api.create_sale(%L, '[{"product_id": "%s", "quantity": 1}]', '[{"method": "cash", "amount": 5}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', '42501',
  'a cashier of NORTE cannot sell in CENTRO (403)');
CREATE TEMP TABLE before AS SELECT (SELECT count(*) FROM commerce.sales) AS sales, (SELECT count(*) FROM commerce.inventory_movements) AS moves,
                                   (SELECT count(*) FROM billing.invoices) AS docs;
SELECT is(test_auth.error_as(pg_temp.cashier((SELECT b1 FROM ids)), format(
  $$SELECT api.create_sale(%L, '[{"product_id": "%s", "quantity": 1}, {"product_id": "%s", "quantity": 37}]', '[{"method": "cash", "amount": 100}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))),
  'PT409: not enough stock of LAP-001 at TIENDA1: 35 available, 37 requested', 'selling more than there is: 409 naming what is available');
SELECT is(pg_temp.admin(format($$api.create_sale(%L, '[{"product_id": "%s", "quantity": 1}]', '[{"method": "cash", "amount": 5}]')$$,
  (SELECT b1 FROM ids), gen_random_uuid())) ->> 'error', 'PT404', 'an unknown product is 404');
SELECT is(pg_temp.admin(format($$api.create_sale(%L, '[{"product_id": "%s", "quantity": 0}]', '[{"method": "cash", "amount": 5}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', '22023', 'a zero quantity is 400');
SELECT is(pg_temp.admin(format($$api.create_sale(%L, '[{"product_id": "%s", "quantity": -2}]', '[{"method": "cash", "amount": 5}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', '22023', 'a negative quantity is 400');
SELECT is(pg_temp.admin(format($$api.create_sale(%L, '[{"product_id": "%s", "quantity": 1, "unit_price": 0.50}]', '[{"method": "cash", "amount": 5}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', 'PT409', 'a price that is not the current one is 409');
SELECT is(pg_temp.admin(format($$api.create_sale(%L, '[{"product_id": "%s", "quantity": 1}]', '[{"method": "card", "amount": 5}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', '22023', 'a card paying more than the total is 400');
SELECT is(pg_temp.admin(format($$api.create_sale(%L, '[{"product_id": "%s", "quantity": 1}]', '[{"method": "cash", "amount": 0.10}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', '22023', 'payments short of the total are 400');
SELECT is(pg_temp.admin(format($$api.create_sale(%L, '[{"product_id": "%s", "quantity": 1}]', '[{"method": "bitcoin", "amount": 1}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', '22023', 'an unknown payment method is 400');
SELECT is(ARRAY[(SELECT count(*) FROM commerce.sales), (SELECT count(*) FROM commerce.inventory_movements), (SELECT count(*) FROM billing.invoices)],
          (SELECT ARRAY[sales, moves, docs] FROM before), 'refused sales wrote nothing: no sale, movement or document');

-- A customer with a tax id gets a full invoice; the sale counts in its stats.
INSERT INTO v SELECT 's2', pg_temp.admin(format(
  $$api.create_sale(%L, '[{"product_id": "%s", "quantity": 10}]', '[{"method": "transfer", "amount": 6.66, "reference": "TR-1"}]',
                    customer_id => %L, idempotency_key => 'venta-2')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'), (SELECT id FROM commerce.customers WHERE name = 'Ana Ruiz')));
SELECT ok((SELECT NOT (j -> 'document' ->> 'simplified')::boolean AND j -> 'document' ->> 'number_display' ~ '^F-' FROM v WHERE k = 's2'),
          'a customer with a tax id gets a full invoice');
SELECT is((SELECT customer_tax_id FROM billing.invoices WHERE id = (SELECT (j -> 'document' ->> 'id')::uuid FROM v WHERE k = 's2')), '12345678Z',
          '…naming the customer''s tax id');
SELECT is((SELECT sales_count || ' ' || sales_total FROM commerce.customer_stats WHERE customer_id = (SELECT id FROM commerce.customers WHERE name = 'Ana Ruiz')),
          '1 6.66', '…and the customer''s stats count the sale');
SELECT is(pg_temp.admin(format(
  $$api.create_sale(%L, '[{"product_id": "%s", "quantity": 10}]', '[{"method": "transfer", "amount": 6.66, "reference": "TR-1"}]',
                    customer_id => %L, idempotency_key => 'venta-2')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'), (SELECT id FROM commerce.customers WHERE name = 'Ana Ruiz'))) ->> 'id',
  (SELECT j ->> 'id' FROM v WHERE k = 's2'), 'a retry with the same idempotency key returns the first sale');
SELECT is(pg_temp.level((SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil'), (SELECT loc1 FROM ids)), 26.000, '…and sells nothing twice');

-- ---------------------------------------------------------------------------------------
-- Returns and voids
-- ---------------------------------------------------------------------------------------
SELECT is(test_auth.error_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$SELECT api.return_sale(%L, '[{"line_no": 1, "quantity": 11}]', reason => 'x')$$,
  (SELECT j ->> 'id' FROM v WHERE k = 's2'))),
  'PT409: lines[1]: 10 of LAP-001 sold, 0 already returned: at most 10 can be returned', 'returning more than was sold is 409');
INSERT INTO v SELECT 'ret1', test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)),
  format($$api.return_sale(%L, '[{"line_no": 1, "quantity": 4}]', reason => 'No le gustaron')$$, (SELECT j ->> 'id' FROM v WHERE k = 's2')));
SELECT ok((SELECT j -> 'credit_note' ->> 'number_display' ~ '^R-' FROM v WHERE k = 'ret1'), 'a return issues a credit note');
SELECT is((SELECT (j -> 'credit_note' ->> 'total')::numeric FROM v WHERE k = 'ret1'), 2.66, '…for what came back (4 × 0.55 + 21%)');
SELECT is(pg_temp.level((SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil'), (SELECT loc1 FROM ids)), 30.000, '…and restocks it');
SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.return_sale(%L, '[{"line_no": 1, "quantity": 7}]', reason => 'x')$$,
  (SELECT j ->> 'id' FROM v WHERE k = 's2'))) ->> 'error', 'PT409', 'a second return cannot exceed what is left (6)');
SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.return_sale(%L, '[{"line_no": 1, "quantity": 1}]')$$,
  (SELECT j ->> 'id' FROM v WHERE k = 's2'))) ->> 'error', '22023', 'a return needs a reason');
SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.return_sale(%L, '[{"line_no": 9, "quantity": 1}]', reason => 'x')$$,
  (SELECT j ->> 'id' FROM v WHERE k = 's2'))) ->> 'error', '22023', 'a line the sale does not have is 400');

SELECT is(test_auth.json_as('user:acme:staff@acme.test', format($$api.void_sale(%L, 'error de caja')$$, (SELECT j ->> 'id' FROM v WHERE k = 's2'))) ->> 'error',
          'PT404', 'a teacher does not even see the sale');
SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.void_sale(%L, NULL)$$, (SELECT j ->> 'id' FROM v WHERE k = 's2'))) ->> 'error',
          '22023', 'voiding needs a reason');
INSERT INTO v SELECT 'void', test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.void_sale(%L, 'error de caja')$$, (SELECT j ->> 'id' FROM v WHERE k = 's2')));
SELECT is((SELECT j ->> 'status' FROM v WHERE k = 'void'), 'voided', 'a cashier voids a sale of today');
SELECT is(pg_temp.level((SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil'), (SELECT loc1 FROM ids)), 36.000, '…what was not returned goes back (6)');
SELECT is((SELECT status FROM billing.invoices WHERE id = (SELECT (j -> 'document' ->> 'id')::uuid FROM v WHERE k = 's2')), 'cancelled',
          '…its invoice is fully credited (cancelled)');
SELECT is((SELECT reason FROM billing.invoices WHERE corrects_invoice_id = (SELECT (j -> 'document' ->> 'id')::uuid FROM v WHERE k = 's2')
            ORDER BY issued_at DESC LIMIT 1), 'error de caja', '…by a credit note with the void''s reason');
SELECT is((SELECT sales_count || ' ' || sales_total FROM commerce.customer_stats WHERE customer_id = (SELECT id FROM commerce.customers WHERE name = 'Ana Ruiz')),
          '0 0.00', '…and the customer''s stats no longer count it');
SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.void_sale(%L, 'otra vez')$$, (SELECT j ->> 'id' FROM v WHERE k = 's2'))) ->> 'error',
          'PT409', 'a voided sale cannot be voided again');
SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.return_sale(%L, '[{"line_no": 1, "quantity": 1}]', reason => 'x')$$,
  (SELECT j ->> 'id' FROM v WHERE k = 's2'))) ->> 'error', 'PT409', '…nor anything returned from it');
SET LOCAL session_replication_role = replica;  -- (the superuser backdates a sale without its guard)
UPDATE commerce.sales SET sold_on = sold_on - 1 WHERE id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 's1');
SET LOCAL session_replication_role = origin;
SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.void_sale(%L, 'tarde')$$, (SELECT j ->> 'id' FROM v WHERE k = 's1'))) ->> 'error',
          'PT409', 'a sale of another day cannot be voided (return it instead)');
SET LOCAL session_replication_role = replica;  -- (and puts it back: the summaries of later tests count it on its real day)
UPDATE commerce.sales SET sold_on = sold_on + 1 WHERE id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 's1');
SET LOCAL session_replication_role = origin;

-- ---------------------------------------------------------------------------------------
-- Adjustments, transfers, backorder
-- ---------------------------------------------------------------------------------------
SELECT is(pg_temp.admin(format($$api.adjust_stock(%L, %L, -1, NULL)$$, (SELECT loc1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error',
          '22023', 'an adjustment needs a reason');
SELECT is(test_auth.json_as(pg_temp.cashier((SELECT b1 FROM ids)), format($$api.adjust_stock(%L, %L, -1, 'rotura')$$, (SELECT loc1 FROM ids),
          (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', '42501', '…and inventory.adjust');
SELECT is((pg_temp.admin(format($$api.adjust_stock(%L, %L, -2, 'rotura')$$, (SELECT loc1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'stock')::numeric,
          34.000, 'an adjustment moves the stock');
INSERT INTO v SELECT 'tr', pg_temp.admin(format($$api.transfer_stock(%L, %L, '[{"product_id": "%s", "quantity": 4}]', 'reponer Norte')$$,
  (SELECT loc1 FROM ids), (SELECT loc2 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil')));
SELECT is(ARRAY[pg_temp.level((SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil'), (SELECT loc1 FROM ids)),
                pg_temp.level((SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil'), (SELECT loc2 FROM ids))],
          ARRAY[30.000, 4.000], 'a transfer moves stock between branches');
SELECT is((SELECT count(DISTINCT transfer_id) || '/' || count(*) FROM commerce.inventory_movements WHERE transfer_id = (SELECT (j ->> 'transfer_id')::uuid FROM v WHERE k = 'tr')),
          '1/2', '…as two movements sharing a transfer id');
SELECT is(pg_temp.admin(format($$api.transfer_stock(%L, %L, '[{"product_id": "%s", "quantity": 400}]')$$,
  (SELECT loc1 FROM ids), (SELECT loc2 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'error', 'PT409', 'a transfer of more than there is is 409');
UPDATE commerce.products SET allow_backorder = true WHERE id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil');
SELECT is((pg_temp.admin(format($$api.create_sale(%L, '[{"product_id": "%s", "quantity": 32}]', '[{"method": "card", "amount": 21.30}]')$$,
  (SELECT b1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))) ->> 'status'), 'completed', 'a product allowing backorder sells beyond its stock');
SELECT is(pg_temp.level((SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil'), (SELECT loc1 FROM ids)), -2.000, '…and its level goes negative');

-- ---------------------------------------------------------------------------------------
-- What nobody may do
-- ---------------------------------------------------------------------------------------
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$UPDATE commerce.inventory_movements SET quantity = 1000$$), '42501',
          'API roles cannot update the ledger (no privilege)');
SELECT is(test_auth.run_as('login:cimiento_owner', $$UPDATE commerce.inventory_movements SET quantity = 1000$$), 'PT409',
          'the owner cannot rewrite the ledger either (append-only)');
SELECT is(test_auth.run_as('login:cimiento_owner', $$DELETE FROM commerce.inventory_movements$$), 'PT409', '…nor delete from it');
SELECT is(test_auth.run_as('login:cimiento_owner', $$TRUNCATE commerce.inventory_movements CASCADE$$), 'PT409', '…nor truncate it');
SELECT is(test_auth.run_as('login:cimiento_owner', $$DROP TRIGGER cimiento_append_only ON commerce.inventory_movements$$), '42501',
          '…nor drop its guard');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$UPDATE commerce.stock_levels SET quantity = 1000$$), '42501',
          'nobody writes stock levels');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$UPDATE commerce.sales SET total = 0$$), '42501', 'nor a sale''s totals');
SELECT is(test_auth.run_as('user:acme:admin@acme.test',
  format($$INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, reason) VALUES (%L, %L, %L, 'adjustment', 5, 'x')$$,
         (SELECT b1 FROM ids), (SELECT loc1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))), 'rows:1',
  'a direct movement by someone holding its permission goes through the same rules');
SELECT is(test_auth.run_as(pg_temp.cashier((SELECT b1 FROM ids)),
  format($$INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, reason) VALUES (%L, %L, %L, 'adjustment', 5, 'x')$$,
         (SELECT b1 FROM ids), (SELECT loc1 FROM ids), (SELECT j ->> 'id' FROM v WHERE k = 'pencil'))), '42501',
  'a direct adjustment needs inventory.adjust in the branch');
SELECT is(test_auth.value_as('user:globex:admin@globex.test', format($$SELECT count(*) FROM api.sales WHERE id = %L$$, (SELECT j ->> 'id' FROM v WHERE k = 's1'))),
          '0', 'another tenant sees none of it');

-- The ledger and the levels agree, for every product and location of every tenant.
SELECT is((SELECT count(*)::int FROM commerce.stock_levels s
            WHERE s.quantity <> (SELECT coalesce(sum(m.quantity), 0) FROM commerce.inventory_movements m
                                  WHERE m.tenant_id = s.tenant_id AND m.product_id = s.product_id AND m.location_id = s.location_id)), 0,
          'every stock level is the sum of its ledger');
SELECT is((SELECT count(*)::int FROM commerce.product_costs c
            WHERE c.on_hand <> (SELECT coalesce(sum(m.quantity), 0) FROM commerce.inventory_movements m
                                 WHERE m.tenant_id = c.tenant_id AND m.product_id = c.product_id)), 0,
          'every product''s units on hand are the sum of its ledger');

-- ---------------------------------------------------------------------------------------
-- Reports
-- ---------------------------------------------------------------------------------------
-- The pencil: s1 sold 4 (kept), s2 sold 10, 4 returned, then voided (counts nothing), and 32 on backorder.
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT units || ' ' || revenue FROM api.report_sales_by_product WHERE sku = 'LAP-001'$$),
          '36.000 19.80', 'sales by product: a voided sale does not count, returns come off (4 + 32 units at 0.55)');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT sum(revenue)::text FROM api.report_sales_by_day WHERE branch_code = 'CENTRO'$$),
          (SELECT sum(revenue)::text FROM reports.sale_lines_net WHERE tenant_id = (SELECT acme FROM ids) AND branch_id = (SELECT b1 FROM ids)),
          'sales by day adds up to the net lines');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(sku || '@' || location_code, ',' ORDER BY sku, location_code) FROM api.report_low_stock$$),
          'LAP-001@TIENDA1,LAP-001@TIENDA2', 'low stock: at or below the reorder point (LAP-001: −2 and 4 of 20; CUA-001 has 44 of 5)');
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
            $$SELECT value::text FROM api.report_stock_valuation WHERE location_code = 'TIENDA2'$$),
          (SELECT round(4 * (SELECT average_cost FROM commerce.product_costs WHERE product_id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 'pencil')), 2)
                  + round(20 * (SELECT c.average_cost FROM commerce.product_costs c JOIN commerce.products p ON p.id = c.product_id
                                 WHERE p.sku = 'BOL-001' AND p.tenant_id = (SELECT acme FROM ids)), 2))::text,
          'stock valuation: units at their average cost');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', format($$SELECT string_agg(kind || ':' || trim_scale(balance), ',')
            FROM (SELECT * FROM api.report_product_ledger(%L, %L) LIMIT 4) x$$, (SELECT j ->> 'id' FROM v WHERE k = 'pencil'), (SELECT loc1 FROM ids))),
          'receipt:10,receipt:40,sale:36,sale:26', 'a product''s ledger with its running balance');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$INSERT INTO api.products (sku, name, sale_price) VALUES ('NUEVO-1', 'Nunca vendido', 3)$$),
          'rows:1', 'a product that never sells…');
SELECT ok(pg_temp.admin(format($$api.receive_stock(%L, jsonb_build_array(jsonb_build_object('product_id', (SELECT id FROM api.products WHERE sku = 'NUEVO-1'), 'quantity', 3, 'unit_cost', 1)))$$,
          (SELECT loc1 FROM ids))) ? 'id', '…is received');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(sku || ' ' || coalesce(last_sold_on::text, 'never'), ',' ORDER BY sku) FROM api.report_slow_movers(30)$$),
          'NUEVO-1 never', 'slow movers: the product with stock and no sale, not those sold today');
SELECT is(test_auth.json_as('user:acme:admin@acme.test', $$(SELECT count(*) FROM api.report_slow_movers(0))$$) ->> 'error', '22023',
          'slow movers over 0 days is 400');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT count(*) FROM api.report_sales_by_day$$), '0',
          'a teacher sees no sales in the reports');
SELECT is(test_auth.value_as('user:globex:admin@globex.test', $$SELECT count(*) FROM api.report_sales_by_product WHERE sku = 'LAP-001'$$), '0',
          'another tenant''s reports do not see acme''s sales');

-- The summary-backed reports give the figures the line-level view gives, for every tenant
-- (the fixtures' sales, returns and voids, and the seed's shop), before and after the
-- nightly job folds the deltas.
CREATE FUNCTION pg_temp.reports_match_lines() RETURNS SETOF text LANGUAGE sql AS $$
  SELECT 'sales_by_day ' || count(*) FROM (
    (SELECT tenant_id, branch_id, day, sales, units, revenue, cost FROM reports.sales_by_day
     EXCEPT
     SELECT tenant_id, branch_id, sold_on, count(DISTINCT sale_id), sum(quantity), sum(revenue), sum(cost) FROM reports.sale_lines_net GROUP BY 1, 2, 3)
    UNION ALL
    (SELECT tenant_id, branch_id, sold_on, count(DISTINCT sale_id), sum(quantity), sum(revenue), sum(cost) FROM reports.sale_lines_net GROUP BY 1, 2, 3
     EXCEPT
     SELECT tenant_id, branch_id, day, sales, units, revenue, cost FROM reports.sales_by_day)) d
  UNION ALL
  SELECT 'sales_by_branch ' || count(*) FROM (
    (SELECT tenant_id, branch_id, month, sales, revenue, cost FROM reports.sales_by_branch
     EXCEPT
     SELECT tenant_id, branch_id, date_trunc('month', sold_on)::date, count(DISTINCT sale_id), sum(revenue), sum(cost) FROM reports.sale_lines_net GROUP BY 1, 2, 3)
    UNION ALL
    (SELECT tenant_id, branch_id, date_trunc('month', sold_on)::date, count(DISTINCT sale_id), sum(revenue), sum(cost) FROM reports.sale_lines_net GROUP BY 1, 2, 3
     EXCEPT
     SELECT tenant_id, branch_id, month, sales, revenue, cost FROM reports.sales_by_branch)) d
  UNION ALL
  SELECT 'sales_by_product ' || count(*) FROM (
    (SELECT tenant_id, product_id, units, revenue, cost, last_sold_on FROM reports.sales_by_product
     EXCEPT
     SELECT tenant_id, product_id, sum(quantity), sum(revenue), sum(cost), max(sold_on) FROM reports.sale_lines_net GROUP BY 1, 2)
    UNION ALL
    (SELECT tenant_id, product_id, sum(quantity), sum(revenue), sum(cost), max(sold_on) FROM reports.sale_lines_net GROUP BY 1, 2
     EXCEPT
     SELECT tenant_id, product_id, units, revenue, cost, last_sold_on FROM reports.sales_by_product)) d
  UNION ALL
  SELECT 'sales_by_category ' || count(*) FROM (
    (SELECT tenant_id, category_id, products, units, revenue, cost FROM reports.sales_by_category
     EXCEPT
     SELECT tenant_id, category_id, count(DISTINCT product_id), sum(quantity), sum(revenue), sum(cost) FROM reports.sale_lines_net GROUP BY 1, 2)
    UNION ALL
    (SELECT tenant_id, category_id, count(DISTINCT product_id), sum(quantity), sum(revenue), sum(cost) FROM reports.sale_lines_net GROUP BY 1, 2
     EXCEPT
     SELECT tenant_id, category_id, products, units, revenue, cost FROM reports.sales_by_category)) d
  UNION ALL
  SELECT 'margin ' || count(*) FROM (
    (SELECT tenant_id, branch_id, month, revenue, cost FROM reports.margin
     EXCEPT
     SELECT tenant_id, branch_id, date_trunc('month', sold_on)::date, sum(revenue), sum(cost) FROM reports.sale_lines_net GROUP BY 1, 2, 3)
    UNION ALL
    (SELECT tenant_id, branch_id, date_trunc('month', sold_on)::date, sum(revenue), sum(cost) FROM reports.sale_lines_net GROUP BY 1, 2, 3
     EXCEPT
     SELECT tenant_id, branch_id, month, revenue, cost FROM reports.margin)) d
$$;
SELECT ok((SELECT count(DISTINCT tenant_id) FROM reports.sold_by_day) >= 2, 'the summary holds the sales of several tenants');
SELECT is(ARRAY(SELECT pg_temp.reports_match_lines()),
          '{"sales_by_day 0","sales_by_branch 0","sales_by_product 0","sales_by_category 0","margin 0"}',
          'every sales report from the summary equals the same figures from the lines (rows differing per report)');
SELECT ok((SELECT bool_and(error IS NULL) FROM cimiento.run_job('reports_compact')), 'the nightly job folds the sales deltas');
SELECT is((SELECT count(*)::int FROM (SELECT 1 FROM reports.sold_by_day GROUP BY branch_id, day, product_id HAVING count(*) > 1) x), 0,
          'after it, one row per branch, day and product');
SELECT is((SELECT count(*)::int FROM reports.sold_by_day WHERE lines = 0), 0, 'and none for what was all voided');
SELECT is(ARRAY(SELECT pg_temp.reports_match_lines()),
          '{"sales_by_day 0","sales_by_branch 0","sales_by_product 0","sales_by_category 0","margin 0"}',
          'the folded summary gives the same figures');
SELECT is(left(test_auth.error_as('user:acme:admin@acme.test', $$INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
            SELECT tenant_id, branch_id, day, product_id, 1, 1, 1, 1000, 0 FROM reports.sold_by_day LIMIT 1$$), 5), '42501',
          'nobody but the triggers writes the summary');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT count(*) FROM reports.sold_by_day$$), '0',
          'the summary is read with sales.read only');

SELECT * FROM finish();
ROLLBACK;
