-- 0049: the registro de alta in fewer statements (#17: issuing with the fiscal record ÷
-- without, goal >= 0.8).
--
-- The record is written while the series and the issuer's chain are locked, so every
-- statement it runs lengthens the time the next invoice of the series waits. Measured per
-- record (pgbench, one client, track_functions): append_record 611 → ~470 µs, record_alta
-- in all 796 → ~600 µs.
--  - fiscal.append_record locks the chain, then reads the head, the tenant's time zone and
--    the clock, builds the huella and inserts the record in one INSERT … SELECT (it ran four
--    statements and a dozen PL/pgSQL expressions). The time zone is a join, not a
--    subquery in aeat_moment's argument: a function whose argument holds a subquery is not
--    inlined, and the moment is computed once (OFFSET 0), not once per use.
--  - fiscal.record_alta reads the description, the recipient and the VAT breakdown in one
--    statement.
-- Same signatures, results (the pgTAP suite reproduces the AEAT example byte for byte and
-- verifies chains), grants and owners.

CREATE OR REPLACE FUNCTION fiscal.append_record(p_record fiscal.records) RETURNS fiscal.records
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r fiscal.records;
BEGIN
  PERFORM FROM fiscal.chains c WHERE c.tenant_id = p_record.tenant_id AND c.issuer_tax_id = p_record.issuer_tax_id FOR UPDATE;
  IF NOT FOUND THEN
    -- The issuer's first record: its chain row is made (a concurrent first one waits here).
    INSERT INTO fiscal.chains (tenant_id, issuer_tax_id) VALUES (p_record.tenant_id, p_record.issuer_tax_id) ON CONFLICT DO NOTHING;
    PERFORM FROM fiscal.chains c WHERE c.tenant_id = p_record.tenant_id AND c.issuer_tax_id = p_record.issuer_tax_id FOR UPDATE;
  END IF;
  -- Under the chain's lock: the head (none for the first record), the generation moment in
  -- the tenant's time zone, the huella over both.
  INSERT INTO fiscal.records (tenant_id, id, issuer_tax_id, position, kind, invoice_id, branch_id, issuer_name, invoice_number,
                              issue_date, invoice_type, correction_type, corrected, description, recipient, breakdown,
                              tax_total, total, previous_record_id, previous_huella, generated_at, generated_at_text, huella,
                              reason, created_at)
  SELECT p_record.tenant_id, gen_random_uuid(), p_record.issuer_tax_id, coalesce(h.position + 1, 1), p_record.kind,
         p_record.invoice_id, p_record.branch_id, p_record.issuer_name, p_record.invoice_number, p_record.issue_date,
         p_record.invoice_type, p_record.correction_type, p_record.corrected, p_record.description, p_record.recipient,
         p_record.breakdown, p_record.tax_total, p_record.total, h.id, h.huella, g.at, g.text,
         fiscal.huella(CASE p_record.kind
           WHEN 'alta' THEN fiscal.alta_string(p_record.issuer_tax_id, p_record.invoice_number, p_record.issue_date,
                                               p_record.invoice_type, p_record.tax_total, p_record.total, h.huella, g.text)
           ELSE fiscal.anulacion_string(p_record.issuer_tax_id, p_record.invoice_number, p_record.issue_date, h.huella, g.text) END),
         p_record.reason, now()
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (SELECT x.position, x.id, x.huella FROM fiscal.records x
                        WHERE x.tenant_id = p_record.tenant_id AND x.issuer_tax_id = p_record.issuer_tax_id
                        ORDER BY x.position DESC LIMIT 1) h ON true
    LEFT JOIN core.tenants t ON t.id = p_record.tenant_id
   CROSS JOIN LATERAL (SELECT s.at, fiscal.aeat_moment(s.at, coalesce(t.timezone, 'Europe/Madrid')) AS text
                         FROM (SELECT date_trunc('second', clock_timestamp()) AS at) s OFFSET 0) g
  RETURNING * INTO r;
  RETURN r;
END
$$;
COMMENT ON FUNCTION fiscal.append_record(fiscal.records) IS 'Appends a registro to its issuer''s chain (locks its fiscal.chains row: one issuer''s records are chained one at a time, in issue order; the head is the record with the highest position), fills position, previous record and huella and FechaHoraHusoGenRegistro (now, tenant time zone) and stores it in one statement (the senders queue it from the chain). Called by the issuing (cimiento_numbering) and fiscal.annul_invoice only. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.append_record(fiscal.records) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.append_record(fiscal.records) TO cimiento_numbering;

CREATE OR REPLACE FUNCTION fiscal.record_alta(d billing.invoices, p fiscal.profiles) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r fiscal.records;
  o billing.invoices;
  v_sign integer := CASE d.kind WHEN 'credit_note' THEN -1 ELSE 1 END;
  v_simplified boolean;
BEGIN
  IF d.kind = 'credit_note' THEN
    SELECT * INTO o FROM billing.invoices x WHERE x.tenant_id = d.tenant_id AND x.id = d.corrects_invoice_id;
    v_simplified := billing.document_simplified(o.tenant_id, o.series_id);
    r.invoice_type := CASE WHEN v_simplified THEN 'R5' ELSE 'R1' END;
    r.correction_type := 'I';
    r.corrected := jsonb_build_array(jsonb_build_object(
      'issuer_tax_id', COALESCE((SELECT a.issuer_tax_id FROM fiscal.records a
                                  WHERE a.tenant_id = o.tenant_id AND a.invoice_id = o.id AND a.kind = 'alta'), p.tax_id),
      'number', o.number_display, 'issue_date', o.issue_date));
  ELSE
    v_simplified := billing.document_simplified(d.tenant_id, d.series_id);
    r.invoice_type := CASE WHEN v_simplified THEN 'F2' ELSE 'F1' END;
  END IF;
  -- What the record says of the document, read in one statement.
  SELECT left(COALESCE(d.reason, (SELECT i.description FROM billing.invoice_items i
                                   WHERE i.tenant_id = d.tenant_id AND i.invoice_id = d.id ORDER BY i.line_no LIMIT 1),
                       'Factura ' || d.number_display), 500),
         CASE WHEN NOT v_simplified AND core.spanish_tax_id_kind(core.normalize_tax_id(d.customer_tax_id)) IS NOT NULL
              THEN jsonb_build_object('name', left(btrim(d.customer_name), 120), 'tax_id', core.normalize_tax_id(d.customer_tax_id)) END,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('tax_rate', t.tax_rate, 'base', v_sign * t.base, 'tax', v_sign * t.tax)
                                    ORDER BY t.tax_rate)
                     FROM billing.document_taxes(d.tenant_id, d.id) t), '[]')
    INTO r.description, r.recipient, r.breakdown;
  r.tenant_id := d.tenant_id;
  r.kind := 'alta';
  r.invoice_id := d.id;
  r.branch_id := d.branch_id;
  r.issuer_tax_id := p.tax_id;
  r.issuer_name := p.legal_name;
  r.invoice_number := d.number_display;
  r.issue_date := d.issue_date;
  r.tax_total := v_sign * d.tax_total;
  r.total := v_sign * d.total;
  PERFORM fiscal.append_record(r);
END
$$;
COMMENT ON FUNCTION fiscal.record_alta(billing.invoices, fiscal.profiles) IS 'Writes the registro de alta of a just-numbered document under a Spanish profile: F1 invoice, F2 simplified, R1 / R5 (rectifying a simplified invoice) credit note por diferencias (negative amounts) naming the invoice it rectifies; the recipient when the customer has a Spanish NIF. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.record_alta(billing.invoices, fiscal.profiles) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.record_alta(billing.invoices, fiscal.profiles) TO cimiento_numbering;
