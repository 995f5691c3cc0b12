-- 0079: the registro de alta's draft asks what only a credit note needs in a statement of
-- its own (#17: issuing with the fiscal record ÷ without, 16 clients, one issuer).
--
-- fiscal.record_draft (0064) was one statement for every document: the invoice a credit
-- note rectifies (a join, its series' simplified flag, its own record's issuer in a
-- subquery) was in the plan of every invoice's draft, where it found nothing. PostgreSQL
-- builds every node of a plan each time the statement starts, used or not, and on this
-- 2-core machine the issuing is bound by CPU: a draft in a PL/pgSQL loop took 54 µs with the
-- statement for both kinds and 39 µs with the invoice's part alone (20 000 drafts, twice).
-- Now the first statement reads what every document's record needs (issuer, description,
-- recipient, VAT breakdown and totals, negative for a credit note) and whether the document
-- is a credit note; only then the second reads the invoice it rectifies: R1, or R5 when that
-- invoice is simplified (whose registro names no recipient), correction type I and the
-- rectified invoice. The record is the same, field by field (pgTAP 210 checks F1, F2, R1 and
-- R5 records field by field and the AEAT example byte for byte).

CREATE OR REPLACE FUNCTION fiscal.record_draft(p_tenant uuid, p_invoice uuid) RETURNS fiscal.records
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r fiscal.records;
  v_credit_note boolean;
  v_corrects uuid;
  v_rectified_simplified boolean;
BEGIN
  -- Every invoice of every tenant comes here at commit: a tenant without a fiscal profile
  -- leaves after one index probe (planned once per session).
  IF NOT EXISTS (SELECT 1 FROM fiscal.profiles x WHERE x.tenant_id = p_tenant) THEN
    RETURN NULL;
  END IF;
  -- What every document's record needs: the document, the profile its branch issues under
  -- (Spanish only), the customer's tax id normalized once; a credit note's amounts negative.
  SELECT d.tenant_id, 'alta', d.id, d.branch_id, p.tax_id, p.legal_name,
         left(COALESCE(d.reason, (SELECT i.description FROM billing.invoice_items i
                                   WHERE i.tenant_id = d.tenant_id AND i.invoice_id = d.id ORDER BY i.line_no LIMIT 1)), 500),
         CASE WHEN core.spanish_tax_id_kind(c.tax_id) IS NOT NULL
              THEN jsonb_build_object('name', left(btrim(d.customer_name), 120), 'tax_id', c.tax_id) END,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('tax_rate', t.tax_rate, 'base', k.sign * t.base, 'tax', k.sign * t.tax)
                                    ORDER BY t.tax_rate)
                     FROM billing.document_taxes(d.tenant_id, d.id) t), '[]'),
         k.sign * d.tax_total, k.sign * d.total, d.kind = 'credit_note', d.corrects_invoice_id
    INTO r.tenant_id, r.kind, r.invoice_id, r.branch_id, r.issuer_tax_id, r.issuer_name, r.description, r.recipient,
         r.breakdown, r.tax_total, r.total, v_credit_note, v_corrects
    FROM billing.invoices d
   CROSS JOIN LATERAL fiscal.profiles_covering(d.tenant_id, d.branch_id) p
   CROSS JOIN LATERAL (SELECT CASE WHEN d.kind = 'credit_note' THEN -1 ELSE 1 END AS sign) k
   CROSS JOIN LATERAL (SELECT core.normalize_tax_id(d.customer_tax_id) AS tax_id OFFSET 0) c
   WHERE d.tenant_id = p_tenant AND d.id = p_invoice AND p.country = 'ES';
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF v_credit_note THEN
    -- A rectificativa por diferencias: R5 when the invoice it rectifies is simplified (and
    -- then it names no recipient), else R1; the rectified invoice as its registro names its
    -- issuer (this profile's when it has none).
    SELECT CASE WHEN k.rectified_simplified THEN 'R5' ELSE 'R1' END, 'I',
           jsonb_build_array(jsonb_build_object(
             'issuer_tax_id', COALESCE((SELECT a.issuer_tax_id FROM fiscal.records a
                                         WHERE a.tenant_id = o.tenant_id AND a.invoice_id = o.id AND a.kind = 'alta'), r.issuer_tax_id),
             'number', o.number_display, 'issue_date', o.issue_date)),
           k.rectified_simplified
      INTO r.invoice_type, r.correction_type, r.corrected, v_rectified_simplified
      FROM (SELECT 1) one
      LEFT JOIN billing.invoices o ON o.tenant_id = p_tenant AND o.id = v_corrects
     CROSS JOIN LATERAL (SELECT billing.document_simplified(o.tenant_id, o.series_id) AS rectified_simplified) k;
    IF v_rectified_simplified THEN
      r.recipient := NULL;
    END IF;
  END IF;
  RETURN r;
END
$$;
COMMENT ON FUNCTION fiscal.record_draft(uuid, uuid) IS 'The registro de alta of a document being issued under a Spanish profile (fiscal.profiles_covering), without what needs its number: issuer, credit notes as rectificativas por diferencias (R1, or R5 rectifying a simplified invoice; negative amounts; the invoice rectified — read by a second statement, for credit notes only), description (the reason or the first line), the recipient when the customer has a valid Spanish NIF, the VAT breakdown. NULL when no Spanish profile covers the branch. The numbering calls it at commit before locking the series (cimiento.prepare_numbering) and fiscal.append_record completes and chains it. Reads only. STABLE, PARALLEL UNSAFE.';
