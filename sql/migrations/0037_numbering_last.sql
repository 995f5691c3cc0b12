-- 0037: an issuing RPC numbers its document last.
--
-- api.issue_invoice numbered the document (billing.number_now) as soon as it was issued,
-- and the series' counter row stays locked until commit: everything an RPC did after it —
-- api.create_sale settled the sale, built its JSON, took the stock — ran while every other
-- sale of the series waited (bench/commerce.sh, 16 clients on one ticket series: most
-- backends waited on the series row). billing.issue_invoice_pending is api.issue_invoice
-- without the numbering; api.issue_invoice is it plus billing.number_now(), unchanged for
-- callers; api.create_sale takes the stock and the number as its last two steps.

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION billing.issue_invoice_pending(
  series_code      text,
  lines            jsonb,
  customer_name    text DEFAULT NULL,
  customer_tax_id  text DEFAULT NULL,
  customer_address text DEFAULT NULL,
  customer_email   text DEFAULT NULL,
  student_id       uuid DEFAULT NULL,
  customer_id      uuid DEFAULT NULL,
  issue_date       date DEFAULT NULL,
  currency         text DEFAULT NULL,
  notes            text DEFAULT NULL,
  idempotency_key  text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_branch uuid;
  v_active boolean;
  v_id uuid := gen_random_uuid();
  v_hash text;
  v_prior jsonb;
  v_currency text;
BEGIN
  PERFORM cimiento.require_permission('invoices.issue');
  PERFORM billing.check_lines(lines);
  PERFORM billing.check_text_lengths(jsonb_build_object('customer_name', customer_name, 'customer_tax_id', customer_tax_id,
    'customer_address', customer_address, 'customer_email', customer_email, 'notes', notes));
  IF issue_date > current_date THEN
    RAISE EXCEPTION 'issue_date % is in the future', issue_date USING ERRCODE = '22008';
  END IF;
  IF customer_name IS NULL OR btrim(customer_name) = '' THEN
    RAISE EXCEPTION 'customer_name is required' USING ERRCODE = '22023';
  END IF;
  v_hash := md5(jsonb_build_array(series_code, lines, customer_name, customer_tax_id, customer_address,
                                  customer_email, student_id, customer_id, issue_date, currency, notes)::text);
  v_prior := billing.idempotent_replay(idempotency_key, v_hash);
  IF v_prior IS NOT NULL THEN
    RETURN (v_prior ->> 'id')::uuid;
  END IF;

  v_branch := billing.series_branch(series_code, 'invoice');
  IF v_branch IS NULL THEN
    RAISE EXCEPTION 'no invoice series %', series_code USING ERRCODE = 'PT404',
      HINT = 'create it with POST /invoice_series';
  END IF;
  IF NOT cimiento.has_permission('invoices.issue', v_branch) THEN
    RAISE EXCEPTION 'you cannot issue invoices in the branch of series %', series_code USING ERRCODE = '42501';
  END IF;
  SELECT s.active INTO v_active FROM billing.invoice_series s
   WHERE s.code = series_code AND s.kind = 'invoice' ORDER BY s.fiscal_year DESC LIMIT 1;
  IF NOT v_active THEN
    RAISE EXCEPTION 'invoice series % is closed', series_code USING ERRCODE = 'PT409';
  END IF;
  v_currency := coalesce(currency, (SELECT t.currency FROM core.tenants t WHERE t.id = cimiento.current_tenant()));

  v_prior := billing.insert_draft(jsonb_build_object(
    'id', v_id, 'branch_id', v_branch, 'kind', 'invoice', 'series_code', series_code, 'issue_date', issue_date,
    'currency', v_currency, 'customer_name', customer_name, 'customer_tax_id', customer_tax_id,
    'customer_address', customer_address, 'customer_email', customer_email, 'student_id', student_id,
    'customer_id', customer_id, 'notes', notes, 'idempotency_key', idempotency_key, 'request_hash', v_hash));
  IF v_prior IS NOT NULL THEN
    RETURN (v_prior ->> 'id')::uuid;
  END IF;
  INSERT INTO billing.invoice_items (invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
  SELECT v_id, l.n, v_branch, btrim(l.v ->> 'description'), (l.v ->> 'quantity')::numeric, (l.v ->> 'unit_price')::numeric,
         coalesce((l.v ->> 'tax_rate')::numeric, 21)
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, n);
  UPDATE billing.invoices SET status = 'issued' WHERE id = v_id;
  RETURN v_id;
END
$$;
COMMENT ON FUNCTION billing.issue_invoice_pending(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text) IS
$$api.issue_invoice without its last step: the invoice is issued with every check of api.issue_invoice, and gets its gapless number at commit or when the caller runs billing.number_now() — so an RPC that issues a document and does more work can number last and hold the series for the shortest time. Returns the document's id (an earlier one for a replayed idempotency key). VOLATILE.$$;
GRANT EXECUTE ON FUNCTION billing.issue_invoice_pending(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text) TO app_user;

CREATE OR REPLACE FUNCTION api.issue_invoice(
  series_code      text,
  lines            jsonb,
  customer_name    text DEFAULT NULL,
  customer_tax_id  text DEFAULT NULL,
  customer_address text DEFAULT NULL,
  customer_email   text DEFAULT NULL,
  student_id       uuid DEFAULT NULL,
  customer_id      uuid DEFAULT NULL,
  issue_date       date DEFAULT NULL,
  currency         text DEFAULT NULL,
  notes            text DEFAULT NULL,
  idempotency_key  text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_id uuid;
BEGIN
  v_id := billing.issue_invoice_pending(series_code, lines, customer_name, customer_tax_id, customer_address, customer_email,
                                        student_id, customer_id, issue_date, currency, notes, idempotency_key);
  PERFORM billing.number_now();
  RETURN billing.document_json(cimiento.current_tenant(), v_id);
END
$$;
COMMENT ON FUNCTION api.issue_invoice(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text) IS
$$Issues an invoice in one call: creates it from lines [{description, quantity, unit_price, tax_rate (default 21)}], computes totals and gives it the next gapless number of the series for its fiscal year. With idempotency_key a retried call returns the first invoice instead of issuing twice. Needs invoices.issue and access to the series' branch. Errors: 400 bad lines or missing customer, 403 permission/branch, 404 unknown series, 409 closed series or key reused for another request.$$;
GRANT EXECUTE ON FUNCTION api.issue_invoice(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text) TO app_user;

CREATE FUNCTION commerce.sale_document_json(p_tenant uuid, p_invoice uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (SELECT jsonb_build_object('id', i.id, 'kind', i.kind, 'simplified', billing.document_simplified(i.tenant_id, i.series_id),
                                    'number_display', i.number_display, 'total', i.total, 'pdf', '/invoices/' || i.id || '/pdf')
            FROM billing.invoices i WHERE i.tenant_id = p_tenant AND i.id = p_invoice);
END
$$;
COMMENT ON FUNCTION commerce.sale_document_json(uuid, uuid) IS 'The document of a sale as its JSON shows it: id, kind, simplified, number, total and the PDF path on the api. STABLE.';
GRANT EXECUTE ON FUNCTION commerce.sale_document_json(uuid, uuid) TO app_user;

CREATE OR REPLACE FUNCTION commerce.sale_json(p_tenant uuid, p_sale uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (
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
              'document', commerce.sale_document_json(s.tenant_id, s.invoice_id))
    FROM commerce.sales s WHERE s.tenant_id = p_tenant AND s.id = p_sale);
END
$$;
COMMENT ON FUNCTION commerce.sale_json(uuid, uuid) IS 'A sale as the caller may see it: header, lines (with what was returned), payments and its document (commerce.sale_document_json). STABLE.';

CREATE OR REPLACE FUNCTION api.create_sale(
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
  v_doc_id uuid;
  v_json jsonb;
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
  INSERT INTO commerce.sale_payments (sale_id, line_no, branch_id, method, amount, reference)
  SELECT v_sale, p.i, branch_id, p.v ->> 'method', (p.v ->> 'amount')::numeric, p.v ->> 'reference'
    FROM jsonb_array_elements(payments) WITH ORDINALITY AS p(v, i);
  v_doc_id := billing.issue_invoice_pending(
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
  UPDATE commerce.sales s SET invoice_id = v_doc_id WHERE s.id = v_sale;
  v_json := commerce.sale_json(v_tenant, v_sale);
  -- The contended rows last, so they are held for the shortest time (until commit): the
  -- stock levels of the sale's products (in product order: concurrent sales lock them in one
  -- order, no deadlock), then the series' counter for the document's number.
  INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id)
  SELECT branch_id, v_location.id, l.product_id, 'sale', -l.quantity, l.unit_cost, 'sale', v_sale
    FROM commerce.sale_lines l WHERE l.tenant_id = v_tenant AND l.sale_id = v_sale
   ORDER BY l.product_id, l.line_no;
  PERFORM billing.number_now();
  RETURN v_json || jsonb_build_object('document', commerce.sale_document_json(v_tenant, v_doc_id));
END
$$;
COMMENT ON FUNCTION api.create_sale(uuid, jsonb, jsonb, uuid, text, uuid) IS
$$Sells in one transaction: lines [{product_id, quantity, unit_price (optional: refused with 409 if it is not the current price)}], payments [{method: cash|card|transfer, amount, reference}] (only cash may exceed the total: the difference is the change), an optional customer and stock location (default: the branch's default location, else its first active one by code). Takes the stock under row locks (409 naming the available quantity when short, unless the product allows backorder), issues the sale's document — a ticket (simplified invoice) or, for a customer with a tax id, a full invoice — with its gapless number and PDF, and counts the sale in the customer's stats. With idempotency_key a retried call returns the first sale. Needs sales.create and invoices.issue in the branch. Errors: 400 bad lines or payments, 403 branch or permission, 404 unknown branch, product, customer, location or series, 409 stock short, price changed, inactive product, key reused.$$;
GRANT EXECUTE ON FUNCTION api.create_sale(uuid, jsonb, jsonb, uuid, text, uuid) TO app_user;
