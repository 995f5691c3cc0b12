-- 0005: the REST surface of billing — read views and the issuing RPCs.
-- Errors follow PostgREST's mapping: 22023 → 400 bad input, 42501 → 403 permission or
-- branch, PT404 → 404 unknown id, PT409 → 409 conflict (state, idempotency, over-credit).

-- ---------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------
CREATE VIEW api.invoice_series WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, code, kind, fiscal_year, next_number, format, active, created_at
    FROM billing.invoice_series;
COMMENT ON VIEW api.invoice_series IS 'Numbering series (per code, kind and fiscal year). Create and close them with series.manage; next_number is read-only.';

CREATE VIEW api.invoices WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, kind, status, series_code, series_id, fiscal_year, number, number_display,
         issue_date, currency, customer_name, customer_tax_id, customer_address, customer_email, student_id,
         customer_id, corrects_invoice_id, reason, notes, subtotal, tax_total, total, idempotency_key,
         created_by, created_at, issued_at
    FROM billing.invoices;
COMMENT ON VIEW api.invoices IS 'Invoices and credit notes (kind). Embed lines with ?select=*,invoice_items(*). Issued documents are immutable (PATCH/DELETE answer 409); issue with /rpc/issue_invoice and correct with /rpc/issue_credit_note.';

CREATE VIEW api.invoice_items WITH (security_invoker = true) AS
  SELECT tenant_id, invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate, line_subtotal, corrects_line_no
    FROM billing.invoice_items;
COMMENT ON VIEW api.invoice_items IS 'Lines of invoices and credit notes.';

CREATE VIEW api.invoice_taxes WITH (security_invoker = true) AS
  SELECT tenant_id, invoice_id, tax_rate, sum(line_subtotal) AS base, round(sum(line_subtotal) * tax_rate / 100, 2) AS tax
    FROM billing.invoice_items
   GROUP BY tenant_id, invoice_id, tax_rate;
COMMENT ON VIEW api.invoice_taxes IS 'Tax breakdown per document and rate (base and tax).';

GRANT SELECT ON api.invoice_series, api.invoices, api.invoice_items, api.invoice_taxes TO app_user;
GRANT INSERT (id, branch_id, code, kind, fiscal_year, format, active), UPDATE (format, active) ON api.invoice_series TO app_user;
GRANT UPDATE (customer_name, customer_tax_id, customer_address, customer_email, notes, issue_date), DELETE ON api.invoices TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------

-- The branch of a series code in the caller's tenant, visible across branches so a
-- branch-limited caller gets a clear 403 (not a 404) for another branch's series.
CREATE FUNCTION billing.series_branch(p_code text, p_kind text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT branch_id FROM billing.invoice_series
   WHERE tenant_id = cimiento.current_tenant() AND code = p_code AND kind = p_kind
   ORDER BY fiscal_year DESC LIMIT 1
$$;
COMMENT ON FUNCTION billing.series_branch(text, text) IS 'Branch of the latest series with that code and kind in the caller''s tenant (NULL if none). SECURITY DEFINER; tenant-scoped by current_tenant().';
REVOKE ALL ON FUNCTION billing.series_branch(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.series_branch(text, text) TO app_user;

-- A document as JSON: header, customer, lines and taxes.
CREATE FUNCTION billing.document_json(p_tenant uuid, p_id uuid) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT jsonb_build_object(
           'id', d.id, 'kind', d.kind, 'status', d.status, 'branch_id', d.branch_id,
           'series_code', d.series_code, 'fiscal_year', d.fiscal_year, 'number', d.number,
           'number_display', d.number_display, 'issue_date', d.issue_date, 'currency', d.currency,
           'customer', jsonb_build_object('name', d.customer_name, 'tax_id', d.customer_tax_id,
                                          'address', d.customer_address, 'email', d.customer_email,
                                          'student_id', d.student_id, 'customer_id', d.customer_id),
           'corrects_invoice_id', d.corrects_invoice_id, 'reason', d.reason, 'notes', d.notes,
           'subtotal', d.subtotal, 'tax_total', d.tax_total, 'total', d.total,
           'idempotency_key', d.idempotency_key, 'issued_at', d.issued_at,
           'lines', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                 'line_no', i.line_no, 'description', i.description, 'quantity', i.quantity,
                                 'unit_price', i.unit_price, 'tax_rate', i.tax_rate, 'subtotal', i.line_subtotal,
                                 'corrects_line_no', i.corrects_line_no) ORDER BY i.line_no)
                                FROM billing.invoice_items i WHERE i.tenant_id = d.tenant_id AND i.invoice_id = d.id), '[]'),
           'taxes', coalesce((SELECT jsonb_agg(jsonb_build_object('tax_rate', t.tax_rate, 'base', t.base, 'tax', t.tax))
                                FROM billing.document_taxes(d.tenant_id, d.id) t), '[]'))
    FROM billing.invoices d WHERE d.tenant_id = p_tenant AND d.id = p_id
$$;
COMMENT ON FUNCTION billing.document_json(uuid, uuid) IS 'An invoice or credit note as JSON (header, customer, lines, taxes), as the caller may see it. STABLE.';
GRANT EXECUTE ON FUNCTION billing.document_json(uuid, uuid) TO app_user;

-- Validates document lines; raises 22023 naming the first bad field.
CREATE FUNCTION billing.check_lines(p_lines jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  l jsonb;
  n int := 0;
BEGIN
  IF p_lines IS NULL OR jsonb_typeof(p_lines) <> 'array' OR jsonb_array_length(p_lines) = 0 THEN
    RAISE EXCEPTION 'lines must be a non-empty array of {description, quantity, unit_price, tax_rate}'
      USING ERRCODE = '22023';
  END IF;
  IF jsonb_array_length(p_lines) > 1000 THEN
    RAISE EXCEPTION 'a document has at most 1000 lines' USING ERRCODE = '22023';
  END IF;
  FOR l IN SELECT * FROM jsonb_array_elements(p_lines) LOOP
    n := n + 1;
    IF jsonb_typeof(l) <> 'object' THEN
      RAISE EXCEPTION 'lines[%] must be an object', n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'description') IS DISTINCT FROM 'string' OR btrim(l ->> 'description') = '' THEN
      RAISE EXCEPTION 'lines[%].description is required', n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'quantity') IS DISTINCT FROM 'number' OR (l ->> 'quantity')::numeric <= 0 THEN
      RAISE EXCEPTION 'lines[%].quantity must be a number greater than 0', n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'unit_price') IS DISTINCT FROM 'number' OR (l ->> 'unit_price')::numeric < 0 THEN
      RAISE EXCEPTION 'lines[%].unit_price must be a number of at least 0', n USING ERRCODE = '22023';
    END IF;
    IF l ? 'tax_rate' AND (jsonb_typeof(l -> 'tax_rate') IS DISTINCT FROM 'number'
                           OR (l ->> 'tax_rate')::numeric NOT BETWEEN 0 AND 100) THEN
      RAISE EXCEPTION 'lines[%].tax_rate must be a percentage between 0 and 100', n USING ERRCODE = '22023';
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION billing.check_lines(jsonb) IS 'Validates invoice lines (22023 naming the first bad field). IMMUTABLE.';
GRANT EXECUTE ON FUNCTION billing.check_lines(jsonb) TO app_user;

-- Numbers the caller's issued documents now (the last step of an issuing RPC), mapping the
-- extension's errors to HTTP statuses.
CREATE FUNCTION billing.number_now() RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  SET CONSTRAINTS billing.invoices_number_at_commit IMMEDIATE;
EXCEPTION
  WHEN no_data_found THEN
    RAISE EXCEPTION '%', SQLERRM USING ERRCODE = 'PT404', HINT = 'create the series first (api.invoice_series)';
  WHEN object_not_in_prerequisite_state THEN
    RAISE EXCEPTION '%', SQLERRM USING ERRCODE = 'PT409';
END
$$;
COMMENT ON FUNCTION billing.number_now() IS 'Fires the pending numbering of this transaction now (SET CONSTRAINTS … IMMEDIATE); P0002 → PT404, 55000 → PT409.';
GRANT EXECUTE ON FUNCTION billing.number_now() TO app_user;

-- Looks up an earlier call with the same idempotency key: the document, or NULL.
CREATE FUNCTION billing.idempotent_replay(p_key text, p_hash text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  prior record;
BEGIN
  IF p_key IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT tenant_id, id, request_hash INTO prior FROM billing.invoices
   WHERE tenant_id = cimiento.current_tenant() AND idempotency_key = p_key;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF prior.request_hash IS DISTINCT FROM p_hash THEN
    RAISE EXCEPTION 'idempotency key % was already used for a different request', p_key
      USING ERRCODE = 'PT409', HINT = 'use a new key for a new document';
  END IF;
  RETURN billing.document_json(prior.tenant_id, prior.id);
END
$$;
COMMENT ON FUNCTION billing.idempotent_replay(text, text) IS 'The document an earlier call with this idempotency key created (same request), NULL if none; PT409 if the key was used for a different request.';
GRANT EXECUTE ON FUNCTION billing.idempotent_replay(text, text) TO app_user;

-- Inserts a draft document from JSON (the columns of billing.invoices). NULL when inserted;
-- the earlier document when a concurrent retry with the same idempotency key won the race.
CREATE FUNCTION billing.insert_draft(p jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  prior jsonb;
BEGIN
  INSERT INTO billing.invoices (id, branch_id, kind, series_code, issue_date, currency, customer_name, customer_tax_id,
                                customer_address, customer_email, student_id, customer_id, corrects_invoice_id, reason, notes,
                                idempotency_key, request_hash)
  SELECT d.id, d.branch_id, d.kind, d.series_code, coalesce(d.issue_date, current_date), d.currency, btrim(d.customer_name),
         d.customer_tax_id, d.customer_address, d.customer_email, d.student_id, d.customer_id, d.corrects_invoice_id,
         btrim(d.reason), d.notes, d.idempotency_key, d.request_hash
    FROM jsonb_populate_record(NULL::billing.invoices, p) AS d;
  RETURN NULL;
EXCEPTION WHEN unique_violation THEN
  prior := billing.idempotent_replay(p ->> 'idempotency_key', p ->> 'request_hash');
  IF prior IS NULL THEN
    RAISE;
  END IF;
  RETURN prior;
END
$$;
COMMENT ON FUNCTION billing.insert_draft(jsonb) IS 'Inserts a draft invoice or credit note from JSON; returns NULL, or the document an earlier call with the same idempotency key created (a concurrent retry).';
GRANT EXECUTE ON FUNCTION billing.insert_draft(jsonb) TO app_user;

-- How much of an invoice line issued credit notes (other than p_exclude) already credit.
CREATE FUNCTION billing.credited_quantity(p_tenant uuid, p_invoice uuid, p_line integer, p_exclude uuid) RETURNS numeric
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(sum(ci.quantity), 0)
    FROM billing.invoice_items ci
    JOIN billing.invoices cn ON cn.tenant_id = ci.tenant_id AND cn.id = ci.invoice_id
   WHERE cn.tenant_id = p_tenant AND cn.corrects_invoice_id = p_invoice AND cn.id IS DISTINCT FROM p_exclude
     AND cn.status <> 'draft' AND ci.corrects_line_no = p_line
$$;
COMMENT ON FUNCTION billing.credited_quantity(uuid, uuid, integer, uuid) IS 'Quantity of an invoice line already credited by issued credit notes (excluding one being issued). STABLE.';
GRANT EXECUTE ON FUNCTION billing.credited_quantity(uuid, uuid, integer, uuid) TO app_user, analyst;

CREATE FUNCTION api.issue_invoice(
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
  IF customer_name IS NULL OR btrim(customer_name) = '' THEN
    RAISE EXCEPTION 'customer_name is required' USING ERRCODE = '22023';
  END IF;
  v_hash := md5(jsonb_build_array(series_code, lines, customer_name, customer_tax_id, customer_address,
                                  customer_email, student_id, customer_id, issue_date, currency, notes)::text);
  v_prior := billing.idempotent_replay(idempotency_key, v_hash);
  IF v_prior IS NOT NULL THEN
    RETURN v_prior;
  END IF;

  v_branch := billing.series_branch(series_code, 'invoice');
  IF v_branch IS NULL THEN
    RAISE EXCEPTION 'no invoice series %', series_code USING ERRCODE = 'PT404',
      HINT = 'create it with POST /invoice_series';
  END IF;
  IF NOT cimiento.can_access_branch(v_branch) THEN
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
    RETURN v_prior;
  END IF;
  INSERT INTO billing.invoice_items (invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
  SELECT v_id, l.n, v_branch, btrim(l.v ->> 'description'), (l.v ->> 'quantity')::numeric, (l.v ->> 'unit_price')::numeric,
         coalesce((l.v ->> 'tax_rate')::numeric, 21)
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, n);
  UPDATE billing.invoices SET status = 'issued' WHERE id = v_id;
  PERFORM billing.number_now();
  RETURN billing.document_json(cimiento.current_tenant(), v_id);
END
$$;
COMMENT ON FUNCTION api.issue_invoice(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text) IS
$$Issues an invoice in one call: creates it from lines [{description, quantity, unit_price, tax_rate (default 21)}], computes totals and gives it the next gapless number of the series for its fiscal year. With idempotency_key a retried call returns the first invoice instead of issuing twice. Needs invoices.issue and access to the series' branch. Errors: 400 bad lines or missing customer, 403 permission/branch, 404 unknown series, 409 closed series or key reused for another request.$$;
GRANT EXECUTE ON FUNCTION api.issue_invoice(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text) TO app_user;

CREATE FUNCTION api.issue_credit_note(
  invoice_id      uuid,
  reason          text,
  lines           jsonb DEFAULT NULL,
  series_code     text DEFAULT NULL,
  issue_date      date DEFAULT NULL,
  idempotency_key text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  orig billing.invoices%ROWTYPE;
  v_id uuid := gen_random_uuid();
  v_hash text;
  v_prior jsonb;
  v_series text;
  v_req jsonb;
  l record;
  n int := 0;
  left_qty numeric;
BEGIN
  PERFORM cimiento.require_permission('credit_notes.issue');
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'reason is required: a credit note states why it corrects the invoice' USING ERRCODE = '22023';
  END IF;
  IF lines IS NOT NULL AND (jsonb_typeof(lines) <> 'array' OR jsonb_array_length(lines) = 0) THEN
    RAISE EXCEPTION 'lines must be a non-empty array of {line_no, quantity}, or omitted to credit everything left'
      USING ERRCODE = '22023';
  END IF;
  v_hash := md5(jsonb_build_array(invoice_id, reason, lines, series_code, issue_date)::text);
  v_prior := billing.idempotent_replay(idempotency_key, v_hash);
  IF v_prior IS NOT NULL THEN
    RETURN v_prior;
  END IF;

  -- Lock the invoice: concurrent credit notes on it are serialised, so they can't over-credit.
  SELECT * INTO orig FROM billing.invoices i WHERE i.id = invoice_id AND i.kind = 'invoice' FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'invoice % not found', invoice_id USING ERRCODE = 'PT404';
  END IF;
  IF NOT cimiento.can_access_branch(orig.branch_id) THEN
    RAISE EXCEPTION 'you cannot credit invoices of another branch' USING ERRCODE = '42501';
  END IF;
  IF orig.status = 'draft' THEN
    RAISE EXCEPTION 'invoice % is a draft: change or delete it instead of crediting it', invoice_id USING ERRCODE = 'PT409';
  ELSIF orig.status = 'cancelled' THEN
    RAISE EXCEPTION 'invoice % is already fully credited', orig.number_display USING ERRCODE = 'PT409';
  END IF;

  v_series := coalesce(series_code,
    (SELECT s.code FROM billing.invoice_series s
      WHERE s.kind = 'credit_note' AND s.branch_id = orig.branch_id AND s.active
      ORDER BY s.fiscal_year DESC, s.code LIMIT 1));
  IF v_series IS NULL OR billing.series_branch(v_series, 'credit_note') IS NULL THEN
    RAISE EXCEPTION 'no credit note series for the branch of invoice %', orig.number_display USING ERRCODE = 'PT404',
      HINT = 'create one with POST /invoice_series and kind credit_note';
  END IF;

  -- What to credit: the given lines, or everything left.
  IF lines IS NULL THEN
    v_req := (SELECT jsonb_agg(jsonb_build_object('line_no', r.line_no, 'quantity', r.left_qty) ORDER BY r.line_no)
                FROM (SELECT i.line_no, i.quantity - billing.credited_quantity(orig.tenant_id, orig.id, i.line_no, NULL) AS left_qty
                        FROM billing.invoice_items i WHERE i.tenant_id = orig.tenant_id AND i.invoice_id = orig.id) r
               WHERE r.left_qty > 0);
    IF v_req IS NULL THEN
      RAISE EXCEPTION 'invoice % has nothing left to credit', orig.number_display USING ERRCODE = 'PT409';
    END IF;
  ELSE
    v_req := lines;
  END IF;

  v_prior := billing.insert_draft(jsonb_build_object(
    'id', v_id, 'branch_id', orig.branch_id, 'kind', 'credit_note', 'series_code', v_series, 'issue_date', issue_date,
    'currency', orig.currency, 'customer_name', orig.customer_name, 'customer_tax_id', orig.customer_tax_id,
    'customer_address', orig.customer_address, 'customer_email', orig.customer_email, 'student_id', orig.student_id,
    'customer_id', orig.customer_id, 'corrects_invoice_id', orig.id, 'reason', reason,
    'idempotency_key', idempotency_key, 'request_hash', v_hash));
  IF v_prior IS NOT NULL THEN
    RETURN v_prior;
  END IF;

  FOR l IN SELECT r.v AS req, oi.* FROM jsonb_array_elements(v_req) AS r(v)
             LEFT JOIN billing.invoice_items oi
               ON oi.tenant_id = orig.tenant_id AND oi.invoice_id = orig.id
              AND jsonb_typeof(r.v -> 'line_no') = 'number' AND oi.line_no = (r.v ->> 'line_no')::int
  LOOP
    n := n + 1;
    IF l.line_no IS NULL THEN
      RAISE EXCEPTION 'lines[%]: invoice % has no line %', n, orig.number_display, l.req -> 'line_no' USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l.req -> 'quantity') IS DISTINCT FROM 'number' OR (l.req ->> 'quantity')::numeric <= 0 THEN
      RAISE EXCEPTION 'lines[%].quantity must be a number greater than 0', n USING ERRCODE = '22023';
    END IF;
    left_qty := l.quantity - billing.credited_quantity(orig.tenant_id, orig.id, l.line_no, v_id);
    IF (l.req ->> 'quantity')::numeric > left_qty THEN
      RAISE EXCEPTION 'line % of invoice %: % left to credit, % requested', l.line_no, orig.number_display,
        left_qty, (l.req ->> 'quantity')::numeric USING ERRCODE = 'PT409';
    END IF;
    INSERT INTO billing.invoice_items (invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate, corrects_line_no)
    VALUES (v_id, n, orig.branch_id, l.description, (l.req ->> 'quantity')::numeric, l.unit_price, l.tax_rate, l.line_no);
  END LOOP;

  UPDATE billing.invoices SET status = 'issued' WHERE id = v_id;
  IF (SELECT total FROM billing.invoices WHERE id = v_id) > billing.creditable_amount(orig.tenant_id, orig.id)
                                                           + (SELECT total FROM billing.invoices WHERE id = v_id) THEN
    RAISE EXCEPTION 'credit note exceeds what remains creditable on invoice %', orig.number_display USING ERRCODE = 'PT409';
  END IF;
  PERFORM billing.number_now();
  RETURN billing.document_json(orig.tenant_id, v_id);
END
$$;
COMMENT ON FUNCTION api.issue_credit_note(uuid, text, jsonb, text, date, text) IS
$$Issues a credit note (factura rectificativa) correcting an issued invoice: lines [{line_no, quantity}] of the invoice, or omitted to credit everything left. It has its own gapless series (default: the branch's credit-note series). Never credits more than remains; an invoice fully credited becomes cancelled. With idempotency_key a retry returns the first credit note. Needs credit_notes.issue. Errors: 400 bad input, 403 permission/branch, 404 unknown invoice or series, 409 draft/cancelled invoice or over-credit.$$;
GRANT EXECUTE ON FUNCTION api.issue_credit_note(uuid, text, jsonb, text, date, text) TO app_user;
