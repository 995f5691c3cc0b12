-- 0011: invoice and credit-note PDFs — rendered once after the issuing transaction
-- commits (the api listens for the numbering's notification, or renders on first
-- download), stored with their sha256 and served byte for byte afterwards.

CREATE TABLE billing.invoice_documents (
  tenant_id        uuid NOT NULL DEFAULT cimiento.current_tenant(),
  invoice_id       uuid NOT NULL,
  branch_id        uuid NOT NULL,
  sha256           text NOT NULL CONSTRAINT invoice_documents_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content          bytea NOT NULL CONSTRAINT invoice_documents_is_pdf CHECK (substr(content, 1, 5) = '\x255044462d'::bytea),
  size_bytes       integer NOT NULL,
  renderer_version text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, invoice_id),
  CONSTRAINT invoice_documents_size CHECK (size_bytes = length(content)),
  FOREIGN KEY (tenant_id, invoice_id, branch_id) REFERENCES billing.invoices (tenant_id, id, branch_id)
);
COMMENT ON TABLE billing.invoice_documents IS 'The PDF of each issued invoice or credit note, rendered once and then served byte for byte; sha256 is its ETag. Never changed (the audit trail records its sha256; the bytes themselves are not copied into the log).';

SELECT cimiento.enable_tenant_isolation('billing.invoice_documents', true);

CREATE POLICY invoice_documents_read ON billing.invoice_documents AS RESTRICTIVE FOR SELECT
  USING ((SELECT cimiento.has_permission('invoices.read')) OR (SELECT cimiento.has_permission('invoices.issue')));

GRANT SELECT ON billing.invoice_documents TO app_user;

CREATE TRIGGER invoice_documents_immutable BEFORE UPDATE OR DELETE ON billing.invoice_documents
  FOR EACH ROW EXECUTE FUNCTION core.refuse_change('stored documents cannot be changed or deleted');

-- Everything the PDF shows, as JSON: tenant, branch, the document, the invoice a credit
-- note corrects. For the api (cimiento_api) only: the download route first checks, as the
-- caller under RLS, that the caller may see the invoice.
CREATE FUNCTION billing.render_data(p_tenant uuid, p_invoice uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT jsonb_build_object(
           'tenant', jsonb_build_object('name', t.name, 'legal_name', coalesce(t.legal_name, t.name), 'tax_id', t.tax_id,
                                        'address', t.address, 'locale', t.locale, 'currency', t.currency),
           'branch', jsonb_build_object('code', b.code, 'name', b.name, 'address', b.address, 'phone', b.phone),
           'document', billing.document_json(i.tenant_id, i.id),
           'corrects', (SELECT jsonb_build_object('number_display', o.number_display, 'issue_date', o.issue_date)
                          FROM billing.invoices o WHERE o.tenant_id = i.tenant_id AND o.id = i.corrects_invoice_id))
    FROM billing.invoices i
    JOIN core.tenants t ON t.id = i.tenant_id
    JOIN core.branches b ON b.tenant_id = i.tenant_id AND b.id = i.branch_id
   WHERE i.tenant_id = p_tenant AND i.id = p_invoice AND i.number IS NOT NULL
$$;
COMMENT ON FUNCTION billing.render_data(uuid, uuid) IS 'Everything an issued document''s PDF shows (tenant, branch, document, corrected invoice). SECURITY DEFINER, for cimiento_api after it checked the caller''s access.';
REVOKE ALL ON FUNCTION billing.render_data(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.render_data(uuid, uuid) TO cimiento_api;

-- Stores a rendered PDF once: a concurrent second render loses and gets the first's sha256.
CREATE FUNCTION billing.store_document(p_tenant uuid, p_invoice uuid, p_sha256 text, p_content bytea, p_renderer text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  stored text;
BEGIN
  IF encode(sha256(p_content), 'hex') <> p_sha256 THEN
    RAISE EXCEPTION 'the sha256 does not match the content' USING ERRCODE = '22023';
  END IF;
  INSERT INTO billing.invoice_documents (tenant_id, invoice_id, branch_id, sha256, content, size_bytes, renderer_version)
  SELECT i.tenant_id, i.id, i.branch_id, p_sha256, p_content, length(p_content), p_renderer
    FROM billing.invoices i WHERE i.tenant_id = p_tenant AND i.id = p_invoice AND i.number IS NOT NULL
  ON CONFLICT (tenant_id, invoice_id) DO NOTHING;
  SELECT d.sha256 INTO stored FROM billing.invoice_documents d WHERE d.tenant_id = p_tenant AND d.invoice_id = p_invoice;
  RETURN stored;
END
$$;
COMMENT ON FUNCTION billing.store_document(uuid, uuid, text, bytea, text) IS 'Stores the PDF of an issued document if none is stored yet and returns the stored sha256 (the first render wins). SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION billing.store_document(uuid, uuid, text, bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.store_document(uuid, uuid, text, bytea, text) TO cimiento_api;

-- The stored PDF of a document, for the api (which cannot read the table itself).
CREATE FUNCTION billing.stored_document(p_tenant uuid, p_invoice uuid, OUT sha256 text, OUT content bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT d.sha256, d.content FROM billing.invoice_documents d WHERE d.tenant_id = p_tenant AND d.invoice_id = p_invoice
$$;
COMMENT ON FUNCTION billing.stored_document(uuid, uuid) IS 'The stored PDF (sha256 and bytes) of a document. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION billing.stored_document(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.stored_document(uuid, uuid) TO cimiento_api;

-- Documents issued but not rendered yet (for the api's catch-up after a restart).
CREATE FUNCTION billing.documents_to_render(p_limit integer) RETURNS TABLE (tenant_id uuid, invoice_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.tenant_id, i.id FROM billing.invoices i
   WHERE i.number IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM billing.invoice_documents d WHERE d.tenant_id = i.tenant_id AND d.invoice_id = i.id)
   ORDER BY i.issued_at NULLS LAST
   LIMIT p_limit
$$;
COMMENT ON FUNCTION billing.documents_to_render(integer) IS 'Issued documents without a stored PDF, oldest first. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION billing.documents_to_render(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.documents_to_render(integer) TO cimiento_api;

-- Tell the api when a document was numbered (delivered at commit, never for a rollback).
CREATE FUNCTION billing.invoices_notify_numbered() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM pg_notify('cimiento_documents', NEW.tenant_id || ':' || NEW.id);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION billing.invoices_notify_numbered() IS 'Trigger: notifies channel cimiento_documents with tenant:invoice when a document gets its number; the notification is delivered only if the transaction commits.';
REVOKE ALL ON FUNCTION billing.invoices_notify_numbered() FROM PUBLIC;
CREATE TRIGGER invoices_notify_numbered AFTER UPDATE OF number ON billing.invoices
  FOR EACH ROW WHEN (OLD.number IS NULL AND NEW.number IS NOT NULL) EXECUTE FUNCTION billing.invoices_notify_numbered();

SELECT cimiento.enable_audit('billing.invoice_documents');
