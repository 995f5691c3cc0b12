-- 0047: the registro de alta without per-call planning (#17: issuing with the fiscal record
-- ÷ without, goal >= 0.8).
--
-- A LANGUAGE sql function that cannot be inlined (a SET clause prevents it) is parsed and
-- planned again whenever its caller's plan starts, and so is every such function it calls:
-- fiscal.alta_string, with aeat_date and aeat_amount inside it, cost ~60 µs a call, against
-- ~1 µs inlined (a PL/pgSQL loop of 20 000 calls). Each issued invoice paid this for
-- aeat_moment, huella, alta_string (and its three helpers) and profile_of, twice.
--
-- The format helpers become plain expressions the planner inlines into their callers: no
-- SET clause, volatility no lower than their bodies' (to_char and convert_to are STABLE), and
-- not STRICT where a CASE in the body would stop the inlining (NULL still gives NULL). An
-- inlined body is parsed under its caller's search_path, and every caller on a privileged
-- path (the issuing as cimiento_numbering, verify_chain, the XML) fixes it to pg_catalog,
-- pg_temp; the bodies call pg_catalog functions only. fiscal.profile_of, a query, becomes
-- PL/pgSQL (plan cached per session), as 0036 did for billing's helpers. Same signatures,
-- results, grants and owners.

CREATE OR REPLACE FUNCTION fiscal.aeat_date(p_date date) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE STRICT AS $$
  SELECT pg_catalog.to_char(p_date, 'DD-MM-YYYY')
$$;
COMMENT ON FUNCTION fiscal.aeat_date(date) IS 'A date as VERI*FACTU writes it (dd-mm-yyyy), in the XML, the huella and the QR. STABLE (to_char), PARALLEL SAFE; inlined into its callers.';

CREATE OR REPLACE FUNCTION fiscal.aeat_amount(p_amount numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT pg_catalog.round(p_amount, 2)::text
$$;
COMMENT ON FUNCTION fiscal.aeat_amount(numeric) IS 'An amount as VERI*FACTU writes it: two decimals, a point, a minus sign when negative (12.35, -100.00); the same text in the XML, the huella and the QR. IMMUTABLE, PARALLEL SAFE; inlined into its callers.';

CREATE OR REPLACE FUNCTION fiscal.aeat_moment(p_at timestamptz, p_zone text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.to_char(p_at AT TIME ZONE p_zone, 'YYYY-MM-DD"T"HH24:MI:SS')
         || CASE WHEN (p_at AT TIME ZONE p_zone) < (p_at AT TIME ZONE 'UTC') THEN '-' ELSE '+' END
         || pg_catalog.to_char(GREATEST((p_at AT TIME ZONE p_zone) - (p_at AT TIME ZONE 'UTC'),
                                        (p_at AT TIME ZONE 'UTC') - (p_at AT TIME ZONE p_zone)), 'HH24:MI')
$$;
COMMENT ON FUNCTION fiscal.aeat_moment(timestamptz, text) IS 'FechaHoraHusoGenRegistro: a moment in a time zone as yyyy-mm-ddThh:mm:ss±hh:mm (e.g. 2024-01-01T19:20:30+01:00); NULL for a NULL moment or zone. STABLE (time zone rules), PARALLEL SAFE; inlined into its callers.';

CREATE OR REPLACE FUNCTION fiscal.huella(p_text text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE STRICT AS $$
  SELECT pg_catalog.upper(pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_text, 'UTF8')), 'hex'))
$$;
COMMENT ON FUNCTION fiscal.huella(text) IS 'SHA-256 of the UTF-8 text as 64 upper-case hex characters (the VERI*FACTU huella of a record''s string). STABLE (convert_to), PARALLEL SAFE; inlined into its callers.';

CREATE OR REPLACE FUNCTION fiscal.alta_string(p_issuer text, p_number text, p_issue_date date, p_type text, p_tax_total numeric,
                                              p_total numeric, p_previous_huella text, p_moment text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'IDEmisorFactura=' || pg_catalog.btrim(p_issuer) || '&NumSerieFactura=' || pg_catalog.btrim(p_number)
         || '&FechaExpedicionFactura=' || fiscal.aeat_date(p_issue_date) || '&TipoFactura=' || pg_catalog.btrim(p_type)
         || '&CuotaTotal=' || fiscal.aeat_amount(p_tax_total) || '&ImporteTotal=' || fiscal.aeat_amount(p_total)
         || '&Huella=' || COALESCE(pg_catalog.btrim(p_previous_huella), '') || '&FechaHoraHusoGenRegistro=' || pg_catalog.btrim(p_moment)
$$;
COMMENT ON FUNCTION fiscal.alta_string(text, text, date, text, numeric, numeric, text, text) IS 'The string a registro de alta''s huella is computed over (AEAT hash specification): IDEmisorFactura, NumSerieFactura, FechaExpedicionFactura (dd-mm-yyyy), TipoFactura, CuotaTotal, ImporteTotal, the previous huella (empty for the first record), FechaHoraHusoGenRegistro; values trimmed, nothing added. STABLE, PARALLEL SAFE; inlined into its callers.';

CREATE OR REPLACE FUNCTION fiscal.anulacion_string(p_issuer text, p_number text, p_issue_date date, p_previous_huella text, p_moment text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'IDEmisorFacturaAnulada=' || pg_catalog.btrim(p_issuer) || '&NumSerieFacturaAnulada=' || pg_catalog.btrim(p_number)
         || '&FechaExpedicionFacturaAnulada=' || fiscal.aeat_date(p_issue_date)
         || '&Huella=' || COALESCE(pg_catalog.btrim(p_previous_huella), '') || '&FechaHoraHusoGenRegistro=' || pg_catalog.btrim(p_moment)
$$;
COMMENT ON FUNCTION fiscal.anulacion_string(text, text, date, text, text) IS 'The string a registro de anulación''s huella is computed over: IDEmisorFacturaAnulada, NumSerieFacturaAnulada, FechaExpedicionFacturaAnulada, the previous huella, FechaHoraHusoGenRegistro. STABLE, PARALLEL SAFE; inlined into its callers.';

CREATE OR REPLACE FUNCTION fiscal.profile_of(p_tenant uuid, p_branch uuid) RETURNS fiscal.profiles
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p fiscal.profiles;
BEGIN
  SELECT x.* INTO p FROM fiscal.profiles x
   WHERE x.tenant_id = p_tenant AND (x.branch_id = p_branch OR x.branch_id IS NULL)
   ORDER BY x.branch_id NULLS LAST
   LIMIT 1;
  RETURN p;
END
$$;
COMMENT ON FUNCTION fiscal.profile_of(uuid, uuid) IS 'The fiscal profile a branch issues under: its own, else the tenant''s; NULL fields when there is none (documents of such a branch carry no fiscal record). As the caller sees profiles. STABLE, PARALLEL SAFE (PL/pgSQL: plan cached per session).';

-- The tax breakdown is read by the issuing (billing.invoices_on_issue, as the caller) and by
-- the registro (as cimiento_numbering). As PL/pgSQL (0036) its one cached plan depended on
-- row security, so each switch of role planned it again; inlined, each caller's own cached
-- plan holds it.
CREATE OR REPLACE FUNCTION billing.document_taxes(p_tenant uuid, p_invoice uuid)
RETURNS TABLE (tax_rate numeric, base numeric, tax numeric)
LANGUAGE sql STABLE AS $$
  SELECT i.tax_rate, pg_catalog.sum(i.line_subtotal), pg_catalog.round(pg_catalog.sum(i.line_subtotal) * i.tax_rate / 100, 2)
    FROM billing.invoice_items i
   WHERE i.tenant_id = p_tenant AND i.invoice_id = p_invoice
   GROUP BY i.tax_rate
   ORDER BY i.tax_rate
$$;
COMMENT ON FUNCTION billing.document_taxes(uuid, uuid) IS 'Tax breakdown of a document: base and tax per rate (tax rounded per rate). STABLE; inlined into its callers (a query in FROM).';

-- Issuing asked fiscal.profile_of twice, here as the owner and in the issuing as
-- cimiento_numbering; a plan that depends on row security is planned again whenever the
-- role changes, so both lookups were planned on every issue. This check now asks first
-- whether the tenant has an Ecuadorian profile at all (its own cached plan).
CREATE OR REPLACE FUNCTION fiscal.check_issuable() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM fiscal.profiles p WHERE p.tenant_id = NEW.tenant_id AND p.country = 'EC') THEN
    IF (fiscal.profile_of(NEW.tenant_id, NEW.branch_id)).country = 'EC'
       AND NOT EXISTS (SELECT 1 FROM fiscal.emission_points e WHERE e.tenant_id = NEW.tenant_id AND e.series_code = NEW.series_code) THEN
      RAISE EXCEPTION 'series % has no establecimiento and punto de emisión', NEW.series_code USING ERRCODE = 'PT409',
        HINT = 'an Ecuadorian document needs them for its clave de acceso: add the series to /fiscal_emission_points';
    END IF;
  END IF;
  IF NEW.kind = 'credit_note' AND EXISTS (SELECT 1 FROM fiscal.records r WHERE r.tenant_id = NEW.tenant_id
                                             AND r.invoice_id = NEW.corrects_invoice_id AND r.kind = 'anulacion') THEN
    RAISE EXCEPTION 'the invoice was cancelled (registro de anulación): there is nothing to credit' USING ERRCODE = 'PT409';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION fiscal.check_issuable() IS 'Trigger of billing.invoices (a document becoming issued, before its number): refuses with PT409 (HTTP 409) an Ecuadorian document whose series has no establecimiento and punto de emisión (with a hint), and a credit note of an invoice cancelled by a registro de anulación. SECURITY DEFINER: the issuer need not see fiscal profiles.';
