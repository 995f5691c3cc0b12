-- 0056: an invoice of a tenant without a fiscal profile no longer calls into the fiscal
-- schema after it is numbered (#13, #14, #17).
--
-- billing.document_numbered runs under the series lock, at commit, for every invoice and
-- ticket. It called fiscal.document_issued unconditionally, which read the invoice and
-- looked for the tenant's profile before returning with nothing to do: pg_stat_statements,
-- one client, 58 µs of the after-numbering function's 89 µs per invoice, almost all of it
-- the calls themselves (two PL/pgSQL functions with their own search_path). The gate is now
-- one index probe on fiscal.profiles (tenant_id leads its key), planned once per session;
-- fiscal.document_issued still decides what a tenant with a profile gets (registro de alta,
-- clave de acceso, or nothing for a branch the profile does not cover).
-- Same signature, owner, grants and behaviour.

CREATE OR REPLACE FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- Tenants without a fiscal profile have no fiscal record to write.
  IF EXISTS (SELECT 1 FROM fiscal.profiles p WHERE p.tenant_id = p_tenant) THEN
    PERFORM fiscal.document_issued(p_tenant, p_id);
  END IF;
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
COMMENT ON FUNCTION billing.document_numbered(uuid, uuid) IS 'After-numbering function of billing.invoices (run by the numbering as cimiento_numbering, under the series lock): the document''s fiscal record (fiscal.document_issued) when the tenant has a fiscal profile; a credit note after which every line of the invoice it corrects is fully credited (by quantity) cancels that invoice. VOLATILE, PARALLEL UNSAFE.';
