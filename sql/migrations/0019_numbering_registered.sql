-- 0019: invoices and credit notes numbered by the engine's generic numbering
-- (cimiento.enable_numbering) instead of code that knew billing's tables by name. Same
-- behaviour: numbered at commit per series code, kind and fiscal year, in date order, the
-- PDF renderer notified; a credit note that credits everything left cancels its invoice,
-- now in billing's own after-numbering function.

CREATE FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid) RETURNS void
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
     AND billing.creditable_amount(o.tenant_id, o.id) = 0;
END
$$;
REVOKE ALL ON FUNCTION billing.document_numbered(uuid, uuid) FROM PUBLIC;
COMMENT ON FUNCTION billing.document_numbered(uuid, uuid) IS 'After-numbering function of billing.invoices (run by the numbering as cimiento_numbering): a credit note that leaves nothing creditable cancels the invoice it corrects.';

SELECT cimiento.enable_numbering('billing.invoices', 'billing.invoice_series',
  series_key         => '{"series_code": "code", "kind": "kind"}',
  period             => 'year',
  date_column        => 'issue_date',
  status_column      => 'status',
  unnumbered_states  => '{draft}',
  period_column      => 'fiscal_year',
  numbered_at_column => 'issued_at',
  notify_channel     => 'cimiento_documents',
  after_numbered     => 'billing.document_numbered(uuid, uuid)');
