-- 0038: what a credit note may credit is decided by line quantities only.
--
-- api.issue_credit_note refused a credit note whose total exceeded the invoice's total minus
-- earlier credit notes. Each document rounds its own taxes, so crediting 1 and then 2 of 3
-- units at 0.80 + 21 % (invoice 2.90; notes 0.97 and 1.94) was refused on the second note
-- with "exceeds what remains creditable", although not a unit too many was credited: a
-- customer's second partial return (api.return_sale), or a void after a partial return,
-- failed with 409. The per-line quantity check (at the invoice's own prices and rates)
-- already bounds what is credited; the amount check is gone, and billing.document_numbered
-- cancels the invoice by quantities (0030).

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION api.issue_credit_note(
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
  PERFORM billing.check_text_lengths(jsonb_build_object('reason', reason));
  IF lines IS NOT NULL AND (SELECT count(*) <> count(DISTINCT r.v -> 'line_no') FROM jsonb_array_elements(lines) AS r(v)) THEN
    RAISE EXCEPTION 'each line_no may appear only once in lines' USING ERRCODE = '22023';
  END IF;
  IF issue_date > current_date THEN
    RAISE EXCEPTION 'issue_date % is in the future', issue_date USING ERRCODE = '22008';
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
  IF NOT cimiento.has_permission('credit_notes.issue', orig.branch_id) THEN
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
  IF billing.series_branch(v_series, 'credit_note') IS DISTINCT FROM orig.branch_id THEN
    RAISE EXCEPTION 'credit note series % does not belong to the branch of invoice %', v_series, orig.number_display
      USING ERRCODE = '22023', HINT = 'use a credit note series of the invoice''s branch';
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
  PERFORM billing.number_now();
  RETURN billing.document_json(orig.tenant_id, v_id);
END
$$;
COMMENT ON FUNCTION api.issue_credit_note(uuid, text, jsonb, text, date, text) IS
$$Issues a credit note (factura rectificativa) correcting an issued invoice: lines [{line_no, quantity}] of the invoice, or omitted to credit everything left, at the invoice's prices and tax rates. It has its own gapless series (default: the branch's credit-note series). Never credits more of a line than remains; each document rounds its own taxes, so partial credit notes may add up to a cent more or less than the invoice; an invoice whose lines are all credited becomes cancelled. With idempotency_key a retry returns the first credit note. Needs credit_notes.issue. Errors: 400 bad input, 403 permission/branch, 404 unknown invoice or series, 409 draft/cancelled invoice or more than remains of a line.$$;
GRANT EXECUTE ON FUNCTION api.issue_credit_note(uuid, text, jsonb, text, date, text) TO app_user;
