-- 0030: simplified invoices (tickets). A series can be simplified (Spain's factura
-- simplificada, a shop's ticket): its documents are invoices (kind 'invoice', numbered,
-- immutable, credited with credit notes like any other) whose PDF is titled as a
-- simplified invoice. A document is simplified exactly when its series is: one rule, kept
-- in the series, read by billing.document_json.

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
ALTER TABLE billing.invoice_series ADD COLUMN simplified boolean NOT NULL DEFAULT false;
ALTER TABLE billing.invoice_series
  ADD CONSTRAINT invoice_series_simplified_invoices CHECK (NOT simplified OR kind = 'invoice');
COMMENT ON COLUMN billing.invoice_series.simplified IS 'Simplified invoices (tickets): documents of this series are titled "factura simplificada"; only invoice series. Default false.';

-- ---------------------------------------------------------------------------------------
-- Grants
-- ---------------------------------------------------------------------------------------
GRANT INSERT (simplified) ON billing.invoice_series TO app_user;

-- ---------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW api.invoice_series WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, code, kind, fiscal_year, next_number, format, active, created_at, simplified
    FROM billing.invoice_series;
COMMENT ON VIEW api.invoice_series IS 'Numbering series (per code, kind and fiscal year; simplified for tickets). Create and close them with series.manage; next_number is read-only.';
GRANT INSERT (simplified) ON api.invoice_series TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION billing.document_simplified(p_tenant uuid, p_series uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce((SELECT s.simplified FROM billing.invoice_series s WHERE s.tenant_id = p_tenant AND s.id = p_series), false)
$$;
COMMENT ON FUNCTION billing.document_simplified(uuid, uuid) IS 'Whether a document numbered in this series is a simplified invoice (its series is; false before numbering). The one place the rule lives. STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION billing.document_simplified(uuid, uuid) TO app_user, analyst;

CREATE OR REPLACE FUNCTION billing.document_json(p_tenant uuid, p_id uuid)
 RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $function$
  SELECT jsonb_build_object(
           'id', d.id, 'kind', d.kind, 'simplified', billing.document_simplified(d.tenant_id, d.series_id),
           'status', d.status, 'branch_id', d.branch_id,
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
$function$;
COMMENT ON FUNCTION billing.document_json(uuid, uuid) IS 'An invoice or credit note as JSON (header, simplified — its series is —, customer, lines, taxes), as the caller may see it. STABLE.';

-- An invoice is fully credited when every line is: the quantities decide, not the amounts
-- (partial credit notes round their tax per document, so crediting "everything left" after
-- a partial one can leave a cent the amount test would still see).
CREATE OR REPLACE FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- Invoices return at once (a plain index probe, planned once per session).
  IF NOT EXISTS (SELECT 1 FROM billing.invoices d WHERE d.tenant_id = p_tenant AND d.id = p_id AND d.kind = 'credit_note') THEN
    RETURN;
  END IF;
  UPDATE billing.invoices o SET status = 'cancelled'
    FROM billing.invoices cn
   WHERE cn.tenant_id = p_tenant AND cn.id = p_id AND cn.kind = 'credit_note'
     AND o.tenant_id = cn.tenant_id AND o.id = cn.corrects_invoice_id AND o.status = 'issued'
     AND NOT EXISTS (SELECT 1 FROM billing.invoice_items i
                      WHERE i.tenant_id = o.tenant_id AND i.invoice_id = o.id
                        AND i.quantity > billing.credited_quantity(o.tenant_id, o.id, i.line_no, NULL));
END
$$;
COMMENT ON FUNCTION billing.document_numbered(uuid, uuid) IS 'After-numbering function of billing.invoices (run by the numbering as cimiento_numbering): a credit note after which every line of the invoice it corrects is fully credited (by quantity) cancels that invoice.';
