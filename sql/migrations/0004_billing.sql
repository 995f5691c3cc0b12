-- 0004: billing — invoice series, invoices (and credit notes), lines; gapless numbering
-- at commit by the extension; issued documents are immutable.
--
-- A credit note is a document of kind 'credit_note' in billing.invoices: it has its own
-- gapless series, references the invoice it corrects (corrects_invoice_id) and its lines
-- (invoice_items.corrects_line_no), and can never credit more than remains creditable.
-- Money is numeric(14,2); quantities numeric(12,3); rates are percentages.

INSERT INTO core.permissions (code, description) VALUES
  ('series.manage', 'Create and close invoice and credit-note series');

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE billing.invoice_series (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id   uuid NOT NULL,
  code        text NOT NULL CONSTRAINT invoice_series_code_format CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,15}$'),
  kind        text NOT NULL DEFAULT 'invoice' CONSTRAINT invoice_series_kind CHECK (kind IN ('invoice', 'credit_note')),
  fiscal_year integer NOT NULL CONSTRAINT invoice_series_fiscal_year CHECK (fiscal_year BETWEEN 2000 AND 2999),
  next_number bigint NOT NULL DEFAULT 1 CONSTRAINT invoice_series_next_number CHECK (next_number >= 1),
  format      text NOT NULL DEFAULT '{code}-{year}-{number:06}'
                CONSTRAINT invoice_series_format CHECK (format ~ '\{number(:0[0-9]+)?\}'),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT invoice_series_code_year_key UNIQUE (tenant_id, code, kind, fiscal_year),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id)
);
COMMENT ON TABLE billing.invoice_series IS 'Numbering series per tenant, code, kind (invoice | credit_note) and fiscal year. next_number is taken by the extension at commit; nobody else writes it. A new fiscal year opens the code''s series at 1.';
COMMENT ON COLUMN billing.invoice_series.format IS 'Display format: {code}, {year}, {number}, {number:0N}; e.g. {code}-{year}-{number:06} → F001-2026-000123.';

CREATE TABLE billing.invoices (
  tenant_id           uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id           uuid NOT NULL,
  kind                text NOT NULL DEFAULT 'invoice' CONSTRAINT invoices_kind CHECK (kind IN ('invoice', 'credit_note')),
  status              text NOT NULL DEFAULT 'draft' CONSTRAINT invoices_status CHECK (status IN ('draft', 'issued', 'cancelled')),
  series_code         text NOT NULL,
  series_id           uuid,
  fiscal_year         integer,
  number              bigint,
  number_display      text,
  issue_date          date NOT NULL DEFAULT current_date,
  currency            text NOT NULL CONSTRAINT invoices_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
  customer_name       text NOT NULL CONSTRAINT invoices_customer_name_length CHECK (length(btrim(customer_name)) BETWEEN 1 AND 200),
  customer_tax_id     text,
  customer_address    text,
  customer_email      text,
  student_id          uuid,
  customer_id         uuid,
  corrects_invoice_id uuid,
  reason              text,
  notes               text,
  subtotal            numeric(14,2) NOT NULL DEFAULT 0,
  tax_total           numeric(14,2) NOT NULL DEFAULT 0,
  total               numeric(14,2) NOT NULL DEFAULT 0,
  idempotency_key     text CONSTRAINT invoices_idempotency_key_length CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  request_hash        text,
  created_by          uuid DEFAULT cimiento.current_user_id(),
  created_at          timestamptz NOT NULL DEFAULT now(),
  issued_at           timestamptz,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT invoices_branch_key UNIQUE (tenant_id, id, branch_id),
  CONSTRAINT invoices_number_key UNIQUE (tenant_id, series_id, number),
  CONSTRAINT invoices_idempotency_key UNIQUE (tenant_id, idempotency_key),
  CONSTRAINT invoices_numbered_when_issued CHECK ((number IS NULL) = (series_id IS NULL) AND (number IS NULL) = (number_display IS NULL)),
  CONSTRAINT invoices_draft_unnumbered CHECK (status <> 'draft' OR number IS NULL),
  CONSTRAINT invoices_credit_note_corrects CHECK ((kind = 'credit_note') = (corrects_invoice_id IS NOT NULL)),
  CONSTRAINT invoices_totals CHECK (subtotal >= 0 AND tax_total >= 0 AND total = subtotal + tax_total),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id),
  FOREIGN KEY (tenant_id, series_id) REFERENCES billing.invoice_series (tenant_id, id),
  FOREIGN KEY (tenant_id, corrects_invoice_id) REFERENCES billing.invoices (tenant_id, id)
);
COMMENT ON TABLE billing.invoices IS 'Invoices and credit notes. draft → issued (numbered gaplessly at commit) → cancelled (fully credited). Issued documents never change: correct them with a credit note.';
COMMENT ON COLUMN billing.invoices.number IS 'Correlative number in the series and fiscal year; assigned at commit of the issuing transaction.';
COMMENT ON COLUMN billing.invoices.idempotency_key IS 'Client key: retrying an issue call with the same key returns the first document instead of issuing twice.';

CREATE INDEX invoices_series_idx ON billing.invoices (tenant_id, series_code, fiscal_year, number);
CREATE INDEX invoices_corrects_idx ON billing.invoices (tenant_id, corrects_invoice_id) WHERE corrects_invoice_id IS NOT NULL;
CREATE INDEX invoices_issue_date_idx ON billing.invoices (tenant_id, issue_date);

CREATE TABLE billing.invoice_items (
  tenant_id        uuid NOT NULL DEFAULT cimiento.current_tenant(),
  invoice_id       uuid NOT NULL,
  line_no          integer NOT NULL CONSTRAINT invoice_items_line_no CHECK (line_no BETWEEN 1 AND 1000),
  branch_id        uuid NOT NULL,
  description      text NOT NULL CONSTRAINT invoice_items_description_length CHECK (length(btrim(description)) BETWEEN 1 AND 500),
  quantity         numeric(12,3) NOT NULL CONSTRAINT invoice_items_quantity_positive CHECK (quantity > 0),
  unit_price       numeric(14,2) NOT NULL CONSTRAINT invoice_items_unit_price_not_negative CHECK (unit_price >= 0),
  tax_rate         numeric(5,2) NOT NULL DEFAULT 21 CONSTRAINT invoice_items_tax_rate_range CHECK (tax_rate BETWEEN 0 AND 100),
  line_subtotal    numeric(14,2) GENERATED ALWAYS AS (round(quantity * unit_price, 2)) STORED,
  corrects_line_no integer,
  PRIMARY KEY (tenant_id, invoice_id, line_no),
  FOREIGN KEY (tenant_id, invoice_id, branch_id) REFERENCES billing.invoices (tenant_id, id, branch_id) ON DELETE CASCADE
);
COMMENT ON TABLE billing.invoice_items IS 'Lines of invoices and credit notes (a credit-note line names the line it credits). Editable only while the document is a draft.';

-- ---------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('billing.invoice_series', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('billing.invoices', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('billing.invoice_items', branch_scoped => true);

-- ---------------------------------------------------------------------------------------
-- Policies: reading needs invoices.read; writing drafts needs invoices.issue / credit_notes.issue
-- ---------------------------------------------------------------------------------------
CREATE POLICY invoice_series_manage_insert ON billing.invoice_series AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT cimiento.has_permission('series.manage')));
CREATE POLICY invoice_series_manage_update ON billing.invoice_series AS RESTRICTIVE FOR UPDATE
  USING ((SELECT cimiento.has_permission('series.manage')));
CREATE POLICY invoice_series_manage_delete ON billing.invoice_series AS RESTRICTIVE FOR DELETE
  USING ((SELECT cimiento.has_permission('series.manage')));

CREATE POLICY invoices_read ON billing.invoices AS RESTRICTIVE FOR SELECT
  USING ((SELECT cimiento.has_permission('invoices.read')) OR (SELECT cimiento.has_permission('invoices.issue')));
CREATE POLICY invoices_issue_insert ON billing.invoices AS RESTRICTIVE FOR INSERT
  WITH CHECK (CASE kind WHEN 'invoice' THEN (SELECT cimiento.has_permission('invoices.issue'))
                        ELSE (SELECT cimiento.has_permission('credit_notes.issue')) END);
CREATE POLICY invoices_issue_update ON billing.invoices AS RESTRICTIVE FOR UPDATE
  USING ((SELECT cimiento.has_permission('invoices.issue')) OR (SELECT cimiento.has_permission('credit_notes.issue')));
CREATE POLICY invoices_issue_delete ON billing.invoices AS RESTRICTIVE FOR DELETE
  USING ((SELECT cimiento.has_permission('invoices.issue')) OR (SELECT cimiento.has_permission('credit_notes.issue')));

CREATE POLICY invoice_items_read ON billing.invoice_items AS RESTRICTIVE FOR SELECT
  USING ((SELECT cimiento.has_permission('invoices.read')) OR (SELECT cimiento.has_permission('invoices.issue')));
CREATE POLICY invoice_items_write_insert ON billing.invoice_items AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT cimiento.has_permission('invoices.issue')) OR (SELECT cimiento.has_permission('credit_notes.issue')));
CREATE POLICY invoice_items_write_update ON billing.invoice_items AS RESTRICTIVE FOR UPDATE
  USING ((SELECT cimiento.has_permission('invoices.issue')) OR (SELECT cimiento.has_permission('credit_notes.issue')));
CREATE POLICY invoice_items_write_delete ON billing.invoice_items AS RESTRICTIVE FOR DELETE
  USING ((SELECT cimiento.has_permission('invoices.issue')) OR (SELECT cimiento.has_permission('credit_notes.issue')));

-- ---------------------------------------------------------------------------------------
-- Grants (number, series_id, totals are never writable by API roles)
-- ---------------------------------------------------------------------------------------
GRANT SELECT ON billing.invoice_series TO app_user, analyst;
GRANT INSERT (tenant_id, id, branch_id, code, kind, fiscal_year, format, active), UPDATE (format, active)
  ON billing.invoice_series TO app_user;
GRANT SELECT ON billing.invoices TO app_user, analyst;
GRANT INSERT (tenant_id, id, branch_id, kind, series_code, issue_date, currency, customer_name, customer_tax_id,
              customer_address, customer_email, student_id, customer_id, corrects_invoice_id, reason, notes,
              idempotency_key, request_hash),
      UPDATE (status, series_code, issue_date, currency, customer_name, customer_tax_id, customer_address,
              customer_email, student_id, customer_id, reason, notes),
      DELETE
  ON billing.invoices TO app_user;
GRANT SELECT ON billing.invoice_items TO app_user, analyst;
GRANT INSERT (tenant_id, invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate, corrects_line_no),
      UPDATE (description, quantity, unit_price, tax_rate), DELETE
  ON billing.invoice_items TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------

-- Issued documents are immutable: only a draft changes, and only the table owner (the
-- migration owner, which the numbering runs as) may touch an issued one.
CREATE FUNCTION billing.invoices_guard_issued() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF OLD.status <> 'draft'
     AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
    RAISE EXCEPTION '% % is % and cannot be changed',
        CASE OLD.kind WHEN 'invoice' THEN 'invoice' ELSE 'credit note' END,
        coalesce(OLD.number_display, OLD.id::text), OLD.status
      USING ERRCODE = 'PT409',
            HINT = 'issued documents are immutable; correct an invoice with a credit note (api.issue_credit_note)';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.id <> OLD.id OR NEW.kind <> OLD.kind OR NEW.branch_id <> OLD.branch_id THEN
    RAISE EXCEPTION 'tenant, id, kind and branch of a document cannot change' USING ERRCODE = '22023';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION billing.invoices_guard_issued() IS 'Trigger: refuses UPDATE/DELETE of issued or cancelled documents (PT409 → HTTP 409) except by the table owner.';
REVOKE ALL ON FUNCTION billing.invoices_guard_issued() FROM PUBLIC;
CREATE TRIGGER invoices_guard_issued BEFORE UPDATE OR DELETE ON billing.invoices
  FOR EACH ROW EXECUTE FUNCTION billing.invoices_guard_issued();

CREATE FUNCTION billing.invoice_items_guard_issued() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  doc record;
  t uuid := CASE TG_OP WHEN 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  inv uuid := CASE TG_OP WHEN 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
BEGIN
  SELECT status, branch_id, number_display, kind INTO doc FROM billing.invoices WHERE tenant_id = t AND id = inv;
  IF doc.status IS NOT NULL AND doc.status <> 'draft'
     AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
    RAISE EXCEPTION 'the lines of % % cannot be changed: it is %',
        CASE doc.kind WHEN 'invoice' THEN 'invoice' ELSE 'credit note' END, coalesce(doc.number_display, inv::text), doc.status
      USING ERRCODE = 'PT409', HINT = 'issued documents are immutable; correct an invoice with a credit note';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  NEW.branch_id := coalesce(doc.branch_id, NEW.branch_id);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION billing.invoice_items_guard_issued() IS 'Trigger: lines change only while their document is a draft; fills branch_id from the document.';
REVOKE ALL ON FUNCTION billing.invoice_items_guard_issued() FROM PUBLIC;
CREATE TRIGGER invoice_items_guard_issued BEFORE INSERT OR UPDATE OR DELETE ON billing.invoice_items
  FOR EACH ROW EXECUTE FUNCTION billing.invoice_items_guard_issued();

-- Taxes per rate of a document (base rounded per line; tax rounded per rate).
CREATE FUNCTION billing.document_taxes(p_tenant uuid, p_invoice uuid)
RETURNS TABLE (tax_rate numeric, base numeric, tax numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.tax_rate, sum(i.line_subtotal), round(sum(i.line_subtotal) * i.tax_rate / 100, 2)
    FROM billing.invoice_items i
   WHERE i.tenant_id = p_tenant AND i.invoice_id = p_invoice
   GROUP BY i.tax_rate
   ORDER BY i.tax_rate
$$;
COMMENT ON FUNCTION billing.document_taxes(uuid, uuid) IS 'Tax breakdown of a document: base and tax per rate (tax rounded per rate). STABLE.';
GRANT EXECUTE ON FUNCTION billing.document_taxes(uuid, uuid) TO app_user, analyst;

-- Issuing computes the totals from the lines and refuses an empty document.
CREATE FUNCTION billing.invoices_on_issue() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  s numeric(14,2);
  tx numeric(14,2);
BEGIN
  IF NEW.status = 'issued' AND (TG_OP = 'INSERT' OR OLD.status = 'draft') THEN
    SELECT coalesce(sum(base), 0), coalesce(sum(tax), 0) INTO s, tx FROM billing.document_taxes(NEW.tenant_id, NEW.id);
    IF NOT EXISTS (SELECT 1 FROM billing.invoice_items WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.id) THEN
      RAISE EXCEPTION 'a document needs at least one line to be issued' USING ERRCODE = '22023';
    END IF;
    NEW.subtotal := s;
    NEW.tax_total := tx;
    NEW.total := s + tx;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION billing.invoices_on_issue() IS 'Trigger: on draft → issued, computes subtotal, tax and total from the lines; refuses a document without lines (22023).';
REVOKE ALL ON FUNCTION billing.invoices_on_issue() FROM PUBLIC;
CREATE TRIGGER invoices_on_issue BEFORE INSERT OR UPDATE OF status ON billing.invoices
  FOR EACH ROW EXECUTE FUNCTION billing.invoices_on_issue();

-- What is left to credit on an invoice (issued credit notes and those being issued in this transaction).
CREATE FUNCTION billing.creditable_amount(p_tenant uuid, p_invoice uuid) RETURNS numeric
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT o.total - coalesce((SELECT sum(cn.total) FROM billing.invoices cn
                              WHERE cn.tenant_id = o.tenant_id AND cn.corrects_invoice_id = o.id
                                AND cn.kind = 'credit_note' AND cn.status <> 'draft'), 0)
    FROM billing.invoices o WHERE o.tenant_id = p_tenant AND o.id = p_invoice
$$;
COMMENT ON FUNCTION billing.creditable_amount(uuid, uuid) IS 'Total of an invoice minus its issued credit notes. STABLE.';
GRANT EXECUTE ON FUNCTION billing.creditable_amount(uuid, uuid) TO app_user, analyst;

-- The number, at commit: a deferred constraint trigger calls the extension, as the table
-- owner (the series row is not writable by API roles). Issuing RPCs set it IMMEDIATE as
-- their last statement so they can return the number.
CREATE FUNCTION billing.invoices_number_at_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM cimiento.assign_invoice_number(NEW.tenant_id, NEW.id);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION billing.invoices_number_at_commit() IS 'Constraint trigger (deferred): gives an issued document its gapless number via cimiento.assign_invoice_number. SECURITY DEFINER (owner), not executable by PUBLIC.';
REVOKE ALL ON FUNCTION billing.invoices_number_at_commit() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER invoices_number_at_commit AFTER INSERT OR UPDATE OF status ON billing.invoices
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.status = 'issued' AND NEW.number IS NULL)
  EXECUTE FUNCTION billing.invoices_number_at_commit();
