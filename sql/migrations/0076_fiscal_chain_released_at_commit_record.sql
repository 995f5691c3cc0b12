-- 0076: the issuer's fiscal chain is released when the commit record is written (#13, #17).
--
-- fiscal.chain_record locks the issuer's fiscal.chains row: every record of one issuer
-- waits for the one before it until that transaction's locks are released, which
-- PostgreSQL does after flushing its commit record. It now asks the extension's early
-- lock release (cimiento.release_locks_early(), extension 0.8.0): the lock goes as soon
-- as the commit record is written, and the COMMIT still returns only once the record is on
-- disk. A crash cannot break the chain: the next record's transaction took the lock after
-- this one's commit record was written, so its own commit record follows it in the WAL and
-- a crash that loses one loses both. The issuing already released early (the numbering
-- asks whenever it takes a number); this covers the chain on its own: an annulment, and a
-- record written without a gapless number. Otherwise the function is 0070's.

CREATE OR REPLACE FUNCTION fiscal.chain_record(p_record fiscal.records) RETURNS uuid
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_id uuid := gen_random_uuid();
BEGIN
  IF p_record.tenant_id IS NULL OR p_record.issuer_tax_id IS NULL THEN
    -- Never chain a record without its issuer (a missing draft would otherwise reach here).
    RAISE EXCEPTION 'a fiscal record without tenant or issuer cannot be chained' USING ERRCODE = 'XX000';
  END IF;
  PERFORM FROM fiscal.chains c WHERE c.tenant_id = p_record.tenant_id AND c.issuer_tax_id = p_record.issuer_tax_id FOR UPDATE;
  IF NOT FOUND THEN
    -- The issuer's first record: its chain row is made (a concurrent first one waits here).
    INSERT INTO fiscal.chains (tenant_id, issuer_tax_id) VALUES (p_record.tenant_id, p_record.issuer_tax_id) ON CONFLICT DO NOTHING;
    PERFORM FROM fiscal.chains c WHERE c.tenant_id = p_record.tenant_id AND c.issuer_tax_id = p_record.issuer_tax_id FOR UPDATE;
  END IF;
  -- The issuer's next record waits for this lock: it goes when the commit record is
  -- written, and the commit returns once that record is flushed.
  PERFORM cimiento.release_locks_early();
  -- Under the chain's lock, in one statement: what a draft left to the number (read from
  -- the numbered document: v), the head (none for the first record), the generation moment
  -- in the tenant's time zone, the huella over all of it.
  INSERT INTO fiscal.records (tenant_id, id, issuer_tax_id, position, kind, invoice_id, branch_id, issuer_name, invoice_number,
                              issue_date, invoice_type, correction_type, corrected, description, recipient, breakdown,
                              tax_total, total, previous_record_id, previous_huella, generated_at, generated_at_text, huella,
                              reason, created_at)
  SELECT p_record.tenant_id, v_id, p_record.issuer_tax_id, coalesce(h.position + 1, 1), p_record.kind,
         p_record.invoice_id, p_record.branch_id, p_record.issuer_name, v.number, v.issue_date,
         v.invoice_type, p_record.correction_type, p_record.corrected,
         CASE WHEN v.draft THEN COALESCE(p_record.description, left('Factura ' || v.number, 500)) ELSE p_record.description END,
         CASE WHEN v.simplified THEN NULL ELSE p_record.recipient END,
         p_record.breakdown, p_record.tax_total, p_record.total, h.id, h.huella, g.at, g.text,
         fiscal.huella(CASE p_record.kind
           WHEN 'alta' THEN fiscal.alta_string(p_record.issuer_tax_id, v.number, v.issue_date,
                                               v.invoice_type, p_record.tax_total, p_record.total, h.huella, g.text)
           ELSE fiscal.anulacion_string(p_record.issuer_tax_id, v.number, v.issue_date, h.huella, g.text) END),
         p_record.reason, now()
    FROM (SELECT 1) one
    -- A draft (no number yet): the document it was drafted from, numbered by now; the
    -- invoice type of an invoice by its series (a credit note's, R1/R5, is in the draft).
    LEFT JOIN billing.invoices d ON p_record.invoice_number IS NULL
                                AND d.tenant_id = p_record.tenant_id AND d.id = p_record.invoice_id AND d.number IS NOT NULL
   CROSS JOIN LATERAL (SELECT s.draft, s.number, s.issue_date, s.simplified,
                              CASE WHEN s.draft AND p_record.invoice_type IS NULL THEN CASE WHEN s.simplified THEN 'F2' ELSE 'F1' END
                                   ELSE p_record.invoice_type END AS invoice_type
                         FROM (SELECT p_record.invoice_number IS NULL AS draft,
                                      COALESCE(p_record.invoice_number, d.number_display) AS number,
                                      COALESCE(p_record.issue_date, d.issue_date) AS issue_date,
                                      CASE WHEN p_record.invoice_number IS NULL AND p_record.invoice_type IS NULL
                                           THEN billing.document_simplified(d.tenant_id, d.series_id) END AS simplified
                                OFFSET 0) s) v
    LEFT JOIN LATERAL (SELECT x.position, x.id, x.huella FROM fiscal.records x
                        WHERE x.tenant_id = p_record.tenant_id AND x.issuer_tax_id = p_record.issuer_tax_id
                        ORDER BY x.position DESC LIMIT 1) h ON true
    LEFT JOIN core.tenants t ON t.id = p_record.tenant_id
   CROSS JOIN LATERAL (SELECT s.at, fiscal.aeat_moment(s.at, coalesce(t.timezone, 'Europe/Madrid')) AS text
                         FROM (SELECT date_trunc('second', clock_timestamp()) AS at) s OFFSET 0) g
  ;
  RETURN v_id;
END
$$;
COMMENT ON FUNCTION fiscal.chain_record(fiscal.records) IS 'Appends a registro to its issuer''s chain and returns its id (locks its fiscal.chains row: one issuer''s records are chained one at a time, in issue order; the head is the record with the highest position): fills position, previous record and huella and FechaHoraHusoGenRegistro (now, tenant time zone) and stores it in one statement, without reading it back. A draft of fiscal.record_draft (no number yet) is completed in that statement from its numbered document: NumSerieFactura, issue date, F1 or F2 by the series it was numbered in (F2 names no recipient), the description ''Factura <number>'' when there was none. XX000 for a record without tenant or issuer. The transaction releases the chain''s lock once its commit record is written, before the flush its COMMIT still waits for (cimiento.release_locks_early). Called by the issuing (cimiento_numbering) and fiscal.append_record only. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.chain_record(fiscal.records) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.chain_record(fiscal.records) TO cimiento_numbering;
