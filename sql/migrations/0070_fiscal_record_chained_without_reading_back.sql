-- 0070: the registro de alta is chained without reading it back (#17: issuing with the
-- fiscal record ÷ without it, 16 clients, one issuer, goal >= 0.8).
--
-- fiscal.append_record stored the record with INSERT … RETURNING *, under the issuer's and
-- the series' locks: PostgreSQL then checks the new row against the SELECT policies of
-- fiscal.records (three permission lookups and the tenant and branch scope) and builds the
-- row for the caller, who, when issuing, discards it. fiscal.chain_record is that statement
-- with the id generated before it and no RETURNING; it returns the id. The issuing
-- (billing.document_numbered, fiscal.document_issued) calls it; fiscal.append_record, for
-- fiscal.annul_invoice, chains through it and reads the row back (the caller's SELECT
-- policies apply as before). A/B on a scratch cluster, 16 clients, three rounds alternating
-- the two versions with issuing without a record beside: 326/220/329 invoices/s with
-- RETURNING, 330/362/332 without (without a record 406–435).

CREATE FUNCTION fiscal.chain_record(p_record fiscal.records) RETURNS uuid
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
COMMENT ON FUNCTION fiscal.chain_record(fiscal.records) IS 'Appends a registro to its issuer''s chain and returns its id (locks its fiscal.chains row: one issuer''s records are chained one at a time, in issue order; the head is the record with the highest position): fills position, previous record and huella and FechaHoraHusoGenRegistro (now, tenant time zone) and stores it in one statement, without reading it back. A draft of fiscal.record_draft (no number yet) is completed in that statement from its numbered document: NumSerieFactura, issue date, F1 or F2 by the series it was numbered in (F2 names no recipient), the description ''Factura <number>'' when there was none. XX000 for a record without tenant or issuer. Called by the issuing (cimiento_numbering) and fiscal.append_record only. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.chain_record(fiscal.records) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.chain_record(fiscal.records) TO cimiento_numbering;

CREATE OR REPLACE FUNCTION fiscal.append_record(p_record fiscal.records) RETURNS fiscal.records
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_id uuid := fiscal.chain_record(p_record);
  r fiscal.records;
BEGIN
  SELECT * INTO r FROM fiscal.records x WHERE x.tenant_id = p_record.tenant_id AND x.id = v_id;
  RETURN r;
END
$$;
COMMENT ON FUNCTION fiscal.append_record(fiscal.records) IS 'Appends a registro to its issuer''s chain (fiscal.chain_record) and returns it as the caller sees it. Called by fiscal.annul_invoice. VOLATILE, PARALLEL UNSAFE.';

CREATE OR REPLACE FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid, p_draft fiscal.records) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  -- (A composite IS NOT NULL only when every field is: the draft is known by its tenant.)
  IF p_draft.tenant_id IS NOT NULL THEN
    IF p_draft.tenant_id <> p_tenant OR p_draft.invoice_id IS DISTINCT FROM p_id THEN
      -- Never issue a document of a Spanish profile with another document's record.
      RAISE EXCEPTION 'the registro de alta of document % was not prepared', p_id USING ERRCODE = 'XX000';
    END IF;
    -- The registro de alta prepared before the series was locked, completed and chained.
    PERFORM fiscal.chain_record(p_draft);
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
COMMENT ON FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid, p_draft fiscal.records) IS 'After-numbering function of billing.invoices (run by the numbering as cimiento_numbering, under the series lock, with what fiscal.record_draft prepared before it: cimiento.prepare_numbering): completes and chains the prepared registro de alta (fiscal.chain_record; XX000 for a draft of another document), or writes the fiscal record of a tenant with another profile (fiscal.document_issued); a credit note after which every line of the invoice it corrects is fully credited (by quantity) cancels that invoice. VOLATILE, PARALLEL UNSAFE.';

CREATE OR REPLACE FUNCTION fiscal.document_issued(p_tenant uuid, p_invoice uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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
    -- A draft read now is already numbered: chain_record completes it all the same.
    PERFORM fiscal.chain_record(fiscal.record_draft(p_tenant, p_invoice));
  ELSE
    PERFORM fiscal.record_access_key(d, p);
  END IF;
END
$$;
COMMENT ON FUNCTION fiscal.document_issued(p_tenant uuid, p_invoice uuid) IS 'The fiscal record of a numbered document that was not prepared before its number (billing.document_numbered, as cimiento_numbering, inside the issuing transaction): its clave de acceso (Ecuadorian profile), its registro de alta (a Spanish profile, e.g. one created while it was being issued); nothing without a profile. A failure here refuses the issue. VOLATILE, PARALLEL UNSAFE.';
