-- 0036: hot helper functions in PL/pgSQL, so their plans are cached per session.
--
-- A LANGUAGE sql function that cannot be inlined (these all SET search_path) is planned
-- again on every call. Profiling api.create_sale (bench/commerce.sh, track_functions) found
-- ~4 ms of its ~17 ms in planning these: sale_json 1.6 ms, document_json 0.7, document_taxes
-- 0.3 (twice), document_simplified 0.2 (twice), series_branch 0.2, local_day 0.2. PL/pgSQL
-- prepares each statement once per session and reuses the plan (commerce.sale_json is
-- rewritten in PL/pgSQL by 0037, which also splits out its document). Same signatures, results,
-- volatility, grants and owners; only the language changes.

CREATE OR REPLACE FUNCTION billing.series_branch(p_code text, p_kind text) RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (SELECT s.branch_id FROM billing.invoice_series s
           WHERE s.tenant_id = cimiento.current_tenant() AND s.code = p_code AND s.kind = p_kind
           ORDER BY s.fiscal_year DESC LIMIT 1);
END
$$;
COMMENT ON FUNCTION billing.series_branch(text, text) IS 'Branch of the latest series with that code and kind in the caller''s tenant (NULL if none). SECURITY DEFINER; tenant-scoped by current_tenant(). STABLE (PL/pgSQL: plan cached per session).';

CREATE OR REPLACE FUNCTION commerce.local_day(p_tenant uuid, p_at timestamptz) RETURNS date
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (p_at AT TIME ZONE coalesce((SELECT t.timezone FROM core.tenants t WHERE t.id = p_tenant), 'UTC'))::date;
END
$$;
COMMENT ON FUNCTION commerce.local_day(uuid, timestamptz) IS 'The date of a moment in the tenant''s time zone (core.tenants.timezone). STABLE, PARALLEL SAFE (PL/pgSQL: plan cached per session).';

CREATE OR REPLACE FUNCTION commerce.local_today(p_tenant uuid) RETURNS date
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN commerce.local_day(p_tenant, now());
END
$$;
COMMENT ON FUNCTION commerce.local_today(uuid) IS 'Today in the tenant''s time zone (commerce.local_day of now()). STABLE, PARALLEL SAFE.';

CREATE OR REPLACE FUNCTION commerce.sale_is_of_today(p_row jsonb) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (p_row ->> 'sold_on')::date = commerce.local_today((p_row ->> 'tenant_id')::uuid);
END
$$;
COMMENT ON FUNCTION commerce.sale_is_of_today(jsonb) IS 'Workflow guard of sales.void: the sale is of today (tenant''s time zone); later corrections are returns. STABLE.';

CREATE OR REPLACE FUNCTION billing.document_simplified(p_tenant uuid, p_series uuid) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN coalesce((SELECT s.simplified FROM billing.invoice_series s WHERE s.tenant_id = p_tenant AND s.id = p_series), false);
END
$$;
COMMENT ON FUNCTION billing.document_simplified(uuid, uuid) IS 'Whether a document numbered in this series is a simplified invoice (its series is; false before numbering). The one place the rule lives. STABLE, PARALLEL SAFE.';

CREATE OR REPLACE FUNCTION billing.document_taxes(p_tenant uuid, p_invoice uuid)
RETURNS TABLE (tax_rate numeric, base numeric, tax numeric)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN QUERY
  SELECT i.tax_rate, sum(i.line_subtotal), round(sum(i.line_subtotal) * i.tax_rate / 100, 2)
    FROM billing.invoice_items i
   WHERE i.tenant_id = p_tenant AND i.invoice_id = p_invoice
   GROUP BY i.tax_rate
   ORDER BY i.tax_rate;
END
$$;
COMMENT ON FUNCTION billing.document_taxes(uuid, uuid) IS 'Tax breakdown of a document: base and tax per rate (tax rounded per rate). STABLE.';

CREATE OR REPLACE FUNCTION billing.document_json(p_tenant uuid, p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (
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
    FROM billing.invoices d WHERE d.tenant_id = p_tenant AND d.id = p_id);
END
$$;
COMMENT ON FUNCTION billing.document_json(uuid, uuid) IS 'An invoice or credit note as JSON (header, simplified — its series is —, customer, lines, taxes), as the caller may see it. STABLE.';
