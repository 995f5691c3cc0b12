-- 0060: what a registro de alta says of its document is read before the series is locked
-- (#17: issuing with the fiscal record ÷ without, 16 clients, one issuer, goal >= 0.8).
--
-- With one issuer, invoices are issued one at a time: from the moment an issuing
-- transaction takes its number (the series row lock) to its commit, the next one waits.
-- The registro was written entirely inside that window, although most of it does not
-- depend on the number: the profile the branch issues under, the description, the
-- recipient, the VAT breakdown, for a credit note the invoice it rectifies (pg_stat_statements,
-- one client: ~170 µs of the ~530 µs the record added per invoice). With
-- cimiento.prepare_numbering (extension 0.4.0) the numbering calls fiscal.record_draft at
-- commit before it locks the series, and hands the draft to billing.document_numbered,
-- which completes it with what needs the number (number, simplified or not by the series
-- the number came from, the description's fallback) and chains it (fiscal.append_record).
-- The records are the same (the pgTAP suite reproduces the AEAT example byte for byte and
-- checks every field of F1, F2, R1 and R5 records); the chain is still appended under the
-- issuer's lock, in issue order.
--
-- fiscal.record_alta(billing.invoices, fiscal.profiles) and the two-argument
-- billing.document_numbered are replaced (dropped at the end).

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION fiscal.record_draft(p_tenant uuid, p_invoice uuid) RETURNS fiscal.records
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r fiscal.records;
BEGIN
  -- Every invoice of every tenant comes here at commit: a tenant without a fiscal profile
  -- leaves after one index probe (planned once per session).
  IF NOT EXISTS (SELECT 1 FROM fiscal.profiles x WHERE x.tenant_id = p_tenant) THEN
    RETURN NULL;
  END IF;
  -- One statement: the document, the profile its branch issues under (Spanish only), and
  -- for a credit note the invoice it rectifies.
  SELECT d.tenant_id, 'alta', d.id, d.branch_id, p.tax_id, p.legal_name,
         CASE WHEN d.kind = 'credit_note' THEN CASE WHEN k.rectified_simplified THEN 'R5' ELSE 'R1' END END,
         CASE WHEN d.kind = 'credit_note' THEN 'I' END,
         CASE WHEN d.kind = 'credit_note' THEN jsonb_build_array(jsonb_build_object(
           'issuer_tax_id', COALESCE((SELECT a.issuer_tax_id FROM fiscal.records a
                                       WHERE a.tenant_id = o.tenant_id AND a.invoice_id = o.id AND a.kind = 'alta'), p.tax_id),
           'number', o.number_display, 'issue_date', o.issue_date)) END,
         left(COALESCE(d.reason, (SELECT i.description FROM billing.invoice_items i
                                   WHERE i.tenant_id = d.tenant_id AND i.invoice_id = d.id ORDER BY i.line_no LIMIT 1)), 500),
         CASE WHEN NOT coalesce(k.rectified_simplified, false)
                   AND core.spanish_tax_id_kind(core.normalize_tax_id(d.customer_tax_id)) IS NOT NULL
              THEN jsonb_build_object('name', left(btrim(d.customer_name), 120), 'tax_id', core.normalize_tax_id(d.customer_tax_id)) END,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('tax_rate', t.tax_rate, 'base', k.sign * t.base, 'tax', k.sign * t.tax)
                                    ORDER BY t.tax_rate)
                     FROM billing.document_taxes(d.tenant_id, d.id) t), '[]'),
         k.sign * d.tax_total, k.sign * d.total
    INTO r.tenant_id, r.kind, r.invoice_id, r.branch_id, r.issuer_tax_id, r.issuer_name, r.invoice_type, r.correction_type,
         r.corrected, r.description, r.recipient, r.breakdown, r.tax_total, r.total
    FROM billing.invoices d
   CROSS JOIN LATERAL fiscal.profile_of(d.tenant_id, d.branch_id) p
    LEFT JOIN billing.invoices o ON d.kind = 'credit_note' AND o.tenant_id = d.tenant_id AND o.id = d.corrects_invoice_id
   CROSS JOIN LATERAL (SELECT CASE WHEN d.kind = 'credit_note' THEN -1 ELSE 1 END AS sign,
                              CASE WHEN d.kind = 'credit_note' THEN billing.document_simplified(o.tenant_id, o.series_id) END
                                AS rectified_simplified) k
   WHERE d.tenant_id = p_tenant AND d.id = p_invoice AND p.country = 'ES';
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN r;
END
$$;
COMMENT ON FUNCTION fiscal.record_draft(uuid, uuid) IS 'The registro de alta of a document being issued under a Spanish profile, without what needs its number: issuer, credit notes as rectificativas por diferencias (R1, or R5 rectifying a simplified invoice; negative amounts; the invoice rectified), description (the reason or the first line), the recipient when the customer has a valid Spanish NIF, the VAT breakdown. NULL when no Spanish profile covers the branch. The numbering calls it at commit before locking the series (cimiento.prepare_numbering) and fiscal.append_alta completes it. Reads only. STABLE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.record_draft(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.record_draft(uuid, uuid) TO cimiento_numbering;

CREATE FUNCTION fiscal.append_alta(p_tenant uuid, p_invoice uuid, p_draft fiscal.records) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r fiscal.records := p_draft;
  v_simplified boolean;
BEGIN
  IF p_draft.tenant_id IS DISTINCT FROM p_tenant OR p_draft.invoice_id IS DISTINCT FROM p_invoice THEN
    -- Never issue a document of a Spanish profile without its record.
    RAISE EXCEPTION 'the registro de alta of document % was not prepared', p_invoice USING ERRCODE = 'XX000';
  END IF;
  -- What needs the number: the number itself and, for an invoice, whether the series it
  -- was numbered in is simplified (F2, which names no recipient) or not (F1).
  SELECT d.number_display, d.issue_date,
         CASE WHEN p_draft.invoice_type IS NULL THEN billing.document_simplified(d.tenant_id, d.series_id) END
    INTO r.invoice_number, r.issue_date, v_simplified
    FROM billing.invoices d
   WHERE d.tenant_id = p_tenant AND d.id = p_invoice AND d.number IS NOT NULL;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF r.invoice_type IS NULL THEN
    r.invoice_type := CASE WHEN v_simplified THEN 'F2' ELSE 'F1' END;
    r.recipient := CASE WHEN v_simplified THEN NULL ELSE r.recipient END;
  END IF;
  r.description := COALESCE(r.description, left('Factura ' || r.invoice_number, 500));
  PERFORM fiscal.append_record(r);
END
$$;
COMMENT ON FUNCTION fiscal.append_alta(uuid, uuid, fiscal.records) IS 'Completes a registro de alta prepared by fiscal.record_draft with what needs the document''s number (NumSerieFactura, F1 or F2 by the series it was numbered in, the description ''Factura <number>'' when there was none) and appends it to its issuer''s chain (fiscal.append_record). XX000 when no draft of this document is given (the issue is refused: no document of a Spanish profile is issued without its record). Called after numbering, as cimiento_numbering. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.append_alta(uuid, uuid, fiscal.records) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.append_alta(uuid, uuid, fiscal.records) TO cimiento_numbering;

CREATE OR REPLACE FUNCTION fiscal.document_issued(p_tenant uuid, p_invoice uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  d billing.invoices;
  p fiscal.profiles;
BEGIN
  SELECT * INTO d FROM billing.invoices x WHERE x.tenant_id = p_tenant AND x.id = p_invoice AND x.number IS NOT NULL;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  p := fiscal.profile_of(p_tenant, d.branch_id);
  IF p.id IS NULL THEN
    RETURN;
  ELSIF p.country = 'ES' THEN
    PERFORM fiscal.append_alta(p_tenant, p_invoice, fiscal.record_draft(p_tenant, p_invoice));
  ELSE
    PERFORM fiscal.record_access_key(d, p);
  END IF;
END
$$;
COMMENT ON FUNCTION fiscal.document_issued(uuid, uuid) IS 'The fiscal record of a numbered document that was not prepared before its number (billing.document_numbered, as cimiento_numbering, inside the issuing transaction): its clave de acceso (Ecuadorian profile), its registro de alta (a Spanish profile, e.g. one created while it was being issued); nothing without a profile. A failure here refuses the issue. VOLATILE, PARALLEL UNSAFE.';

CREATE FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid, p_draft fiscal.records) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- (A composite IS NOT NULL only when every field is: the draft is known by its tenant.)
  IF p_draft.tenant_id IS NOT NULL THEN
    -- The registro de alta prepared before the series was locked.
    PERFORM fiscal.append_alta(p_tenant, p_id, p_draft);
  ELSIF EXISTS (SELECT 1 FROM fiscal.profiles p WHERE p.tenant_id = p_tenant) THEN
    -- Tenants without a fiscal profile have no fiscal record to write.
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
COMMENT ON FUNCTION billing.document_numbered(uuid, uuid, fiscal.records) IS 'After-numbering function of billing.invoices (run by the numbering as cimiento_numbering, under the series lock, with what fiscal.record_draft prepared before it: cimiento.prepare_numbering): appends the prepared registro de alta (fiscal.append_alta), or writes the fiscal record of a tenant with another profile (fiscal.document_issued); a credit note after which every line of the invoice it corrects is fully credited (by quantity) cancels that invoice. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION billing.document_numbered(uuid, uuid, fiscal.records) FROM PUBLIC;

SELECT cimiento.prepare_numbering('billing.invoices', 'fiscal.record_draft(uuid, uuid)',
                                  'billing.document_numbered(uuid, uuid, fiscal.records)');

DROP FUNCTION billing.document_numbered(uuid, uuid);
DROP FUNCTION fiscal.record_alta(billing.invoices, fiscal.profiles);
