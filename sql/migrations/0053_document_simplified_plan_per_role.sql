-- 0053: billing.document_simplified keeps a cached plan for each kind of caller (#13, #17).
--
-- Issuing through the api asks it twice: as the caller (app_user, under row security, for
-- the document's JSON) and, at commit, as cimiento_numbering (which bypasses row security,
-- for the registro de alta). A PL/pgSQL statement has one cached plan, and a plan that
-- depends on row security is planned again whenever the role changes, so both calls planned
-- it on every issue: pg_stat_statements on `api.issue_invoice` showed one plan per call,
-- ~75 µs as app_user and ~47 µs as cimiento_numbering (the latter under the series lock).
-- The function now holds the same query twice, one for callers under row security and one
-- for roles that bypass it, so each keeps its plan. Same answer, rule and signature.

CREATE OR REPLACE FUNCTION billing.document_simplified(p_tenant uuid, p_series uuid) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- The two statements are the same query; each is planned for its own kind of caller.
  IF row_security_active('billing.invoice_series') THEN
    RETURN coalesce((SELECT s.simplified FROM billing.invoice_series s WHERE s.tenant_id = p_tenant AND s.id = p_series), false);
  END IF;
  RETURN coalesce((SELECT s.simplified FROM billing.invoice_series s WHERE s.tenant_id = p_tenant AND s.id = p_series), false);
END
$$;
COMMENT ON FUNCTION billing.document_simplified(uuid, uuid) IS 'Whether a document numbered in this series is a simplified invoice (its series is; false before numbering), as the caller sees the series. The one place the rule lives. Holds one cached plan for callers under row security and one for roles that bypass it (a single plan was planned again at every switch). STABLE, PARALLEL SAFE.';
