-- 0052: fiscal.check_issuable planned on every issue (#13 numbering, #17 fiscal records).
--
-- It asked `NEW.kind = 'credit_note' AND EXISTS (…)` as one expression. The custom plan
-- folds it to false for an invoice, cheaper than any generic plan, so the plan cache never
-- settled on a generic one and planned it for every document issued (pg_stat_statements:
-- one plan per call, ~13 µs). The kind is now tested first and the EXISTS only for a credit
-- note. Same refusals, messages and codes.

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
  IF NEW.kind = 'credit_note' THEN
    IF EXISTS (SELECT 1 FROM fiscal.records r WHERE r.tenant_id = NEW.tenant_id
                                                AND r.invoice_id = NEW.corrects_invoice_id AND r.kind = 'anulacion') THEN
      RAISE EXCEPTION 'the invoice was cancelled (registro de anulación): there is nothing to credit' USING ERRCODE = 'PT409';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION fiscal.check_issuable() IS 'Trigger of billing.invoices (a document becoming issued, before its number): refuses with PT409 (HTTP 409) an Ecuadorian document whose series has no establecimiento and punto de emisión (with a hint), and a credit note of an invoice cancelled by a registro de anulación. SECURITY DEFINER: the issuer need not see fiscal profiles.';
