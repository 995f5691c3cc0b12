-- 0045: fiscal records — VERI*FACTU (Spain) and SRI electronic invoices (Ecuador), kept by
-- the database in the transaction that numbers a document, so no path (REST, RPC, psql)
-- issues an invoice or credit note without its record.
--
-- A tenant (or one of its branches) has a fiscal profile: country, tax id, legal name,
-- address, environment (test / production). Issuing runs at commit: the numbering
-- (cimiento_numbering) calls billing.document_numbered, which calls fiscal.document_issued:
--   * Spain: a registro de alta (invoices F1, simplified F2, credit notes as rectificativas
--     R1 / R5 "por diferencias" naming the rectified invoice), chained per issuer NIF: the
--     chain row is locked, the huella is SHA-256 over the AEAT's string with the previous
--     record's huella, the record takes the next position. Cancelling a wrongly issued
--     invoice (fiscal.annul_invoice) writes a registro de anulación on the same chain.
--   * Ecuador: the 49-digit clave de acceso (módulo 11) of a factura (01) or nota de
--     crédito (04) of a series with an establecimiento and punto de emisión.
-- Records are append-only and audited; fiscal.verify_chain recomputes every huella and
-- compares every hashed field with the document it registers, naming the first break.
-- Each record waits in fiscal.submissions (pending → sent → accepted | rejected) for a
-- sender (fiscal.claim_submissions / fiscal.answer_submissions; the api's `fiscal` module).
-- Formats: fiscal.verifactu_xml (RegFactuSistemaFacturacion, validated in tests against the
-- AEAT schema), fiscal.sri_xml (comprobante factura 1.1.0), fiscal.qr_url (AEAT cotejo).

CREATE SCHEMA fiscal;
COMMENT ON SCHEMA fiscal IS 'Fiscal records: profiles, VERI*FACTU registros chained per issuer, SRI claves de acceso, the send queue.';

INSERT INTO core.permissions (code, description) VALUES
  ('fiscal.read',   'See fiscal profiles, records, chains and the send queue'),
  ('fiscal.manage', 'Create and change fiscal profiles and emission points'),
  ('fiscal.annul',  'Cancel a wrongly issued invoice with a registro de anulación');
INSERT INTO core.builtin_role_permissions (role_name, permission) VALUES
  ('manager', 'fiscal.read'), ('manager', 'fiscal.annul');
INSERT INTO core.role_permissions (tenant_id, role_id, permission)
SELECT r.tenant_id, r.id, p.permission
  FROM core.roles r
  JOIN (VALUES ('manager', 'fiscal.read'), ('manager', 'fiscal.annul')) AS p(role_name, permission) ON p.role_name = r.name
 WHERE r.builtin
ON CONFLICT DO NOTHING;

-- ---------------------------------------------------------------------------------------
-- Formats (pure functions; the tables' checks use them, so they come first)
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION fiscal.aeat_date(p_date date) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT to_char(p_date, 'DD-MM-YYYY')
$$;
COMMENT ON FUNCTION fiscal.aeat_date(date) IS 'A date as VERI*FACTU writes it (dd-mm-yyyy), in the XML, the huella and the QR. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.aeat_date(date) TO PUBLIC;

CREATE FUNCTION fiscal.aeat_amount(p_amount numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT round(p_amount, 2)::text
$$;
COMMENT ON FUNCTION fiscal.aeat_amount(numeric) IS 'An amount as VERI*FACTU writes it: two decimals, a point, a minus sign when negative (12.35, -100.00); the same text in the XML, the huella and the QR. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.aeat_amount(numeric) TO PUBLIC;

CREATE FUNCTION fiscal.aeat_moment(p_at timestamptz, p_zone text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT to_char(p_at AT TIME ZONE p_zone, 'YYYY-MM-DD"T"HH24:MI:SS')
         || CASE WHEN o.off < interval '0' THEN '-' ELSE '+' END
         || to_char(CASE WHEN o.off < interval '0' THEN -o.off ELSE o.off END, 'HH24:MI')
    FROM (SELECT (p_at AT TIME ZONE p_zone) - (p_at AT TIME ZONE 'UTC') AS off) o
$$;
COMMENT ON FUNCTION fiscal.aeat_moment(timestamptz, text) IS 'FechaHoraHusoGenRegistro: a moment in a time zone as yyyy-mm-ddThh:mm:ss±hh:mm (e.g. 2024-01-01T19:20:30+01:00). STABLE (time zone rules), PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.aeat_moment(timestamptz, text) TO PUBLIC;

CREATE FUNCTION fiscal.huella(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT upper(encode(sha256(convert_to(p_text, 'UTF8')), 'hex'))
$$;
COMMENT ON FUNCTION fiscal.huella(text) IS 'SHA-256 of the UTF-8 text as 64 upper-case hex characters (the VERI*FACTU huella of a record''s string). IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.huella(text) TO PUBLIC;

CREATE FUNCTION fiscal.alta_string(p_issuer text, p_number text, p_issue_date date, p_type text, p_tax_total numeric,
                                   p_total numeric, p_previous_huella text, p_moment text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT 'IDEmisorFactura=' || btrim(p_issuer) || '&NumSerieFactura=' || btrim(p_number)
         || '&FechaExpedicionFactura=' || fiscal.aeat_date(p_issue_date) || '&TipoFactura=' || btrim(p_type)
         || '&CuotaTotal=' || fiscal.aeat_amount(p_tax_total) || '&ImporteTotal=' || fiscal.aeat_amount(p_total)
         || '&Huella=' || COALESCE(btrim(p_previous_huella), '') || '&FechaHoraHusoGenRegistro=' || btrim(p_moment)
$$;
COMMENT ON FUNCTION fiscal.alta_string(text, text, date, text, numeric, numeric, text, text) IS 'The string a registro de alta''s huella is computed over (AEAT hash specification): IDEmisorFactura, NumSerieFactura, FechaExpedicionFactura (dd-mm-yyyy), TipoFactura, CuotaTotal, ImporteTotal, the previous huella (empty for the first record), FechaHoraHusoGenRegistro; values trimmed, nothing added. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.alta_string(text, text, date, text, numeric, numeric, text, text) TO PUBLIC;

CREATE FUNCTION fiscal.anulacion_string(p_issuer text, p_number text, p_issue_date date, p_previous_huella text, p_moment text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT 'IDEmisorFacturaAnulada=' || btrim(p_issuer) || '&NumSerieFacturaAnulada=' || btrim(p_number)
         || '&FechaExpedicionFacturaAnulada=' || fiscal.aeat_date(p_issue_date)
         || '&Huella=' || COALESCE(btrim(p_previous_huella), '') || '&FechaHoraHusoGenRegistro=' || btrim(p_moment)
$$;
COMMENT ON FUNCTION fiscal.anulacion_string(text, text, date, text, text) IS 'The string a registro de anulación''s huella is computed over: IDEmisorFacturaAnulada, NumSerieFacturaAnulada, FechaExpedicionFacturaAnulada, the previous huella, FechaHoraHusoGenRegistro. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.anulacion_string(text, text, date, text, text) TO PUBLIC;

CREATE FUNCTION fiscal.url_encode(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT COALESCE(string_agg(CASE WHEN b BETWEEN 48 AND 57 OR b BETWEEN 65 AND 90 OR b BETWEEN 97 AND 122 OR b IN (45, 46, 95, 126)
                                  THEN chr(b) ELSE '%' || upper(lpad(to_hex(b), 2, '0')) END, '' ORDER BY i), '')
    FROM (SELECT i, get_byte(convert_to(p_text, 'UTF8'), i) AS b
            FROM generate_series(0, octet_length(convert_to(p_text, 'UTF8')) - 1) i) s
$$;
COMMENT ON FUNCTION fiscal.url_encode(text) IS 'Percent-encodes a URL query value (UTF-8; letters, digits and -._~ kept). IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.url_encode(text) TO PUBLIC;

CREATE FUNCTION fiscal.qr_url(p_environment text, p_issuer text, p_number text, p_issue_date date, p_total numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE p_environment WHEN 'production' THEN 'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR'
                            ELSE 'https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR' END
         || '?nif=' || fiscal.url_encode(p_issuer) || '&numserie=' || fiscal.url_encode(p_number)
         || '&fecha=' || fiscal.aeat_date(p_issue_date) || '&importe=' || fiscal.aeat_amount(p_total)
$$;
COMMENT ON FUNCTION fiscal.qr_url(text, text, text, date, numeric) IS 'The AEAT cotejo URL a VERI*FACTU invoice''s QR carries (nif, numserie, fecha dd-mm-yyyy, importe): the test service for environment test, production otherwise. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.qr_url(text, text, text, date, numeric) TO PUBLIC;

-- Ecuador: módulo 11 over the first 48 digits, weights 2..7 from the right, repeating;
-- 11 − (sum mod 11), where 11 → 0 and 10 → 1.
CREATE FUNCTION fiscal.modulo11(p_digits text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE r WHEN 11 THEN 0 WHEN 10 THEN 1 ELSE r END
    FROM (SELECT 11 - (sum(substr(p_digits, length(p_digits) - i, 1)::int * (2 + i % 6)) % 11)::int AS r
            FROM generate_series(0, length(p_digits) - 1) i) s
   WHERE p_digits ~ '^[0-9]+$'
$$;
COMMENT ON FUNCTION fiscal.modulo11(text) IS 'The SRI módulo-11 check digit of a string of digits (weights 2..7 from the right; 11 → 0, 10 → 1); NULL unless it is all digits. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.modulo11(text) TO PUBLIC;

CREATE FUNCTION fiscal.access_key_valid(p_key text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT p_key ~ '^[0-9]{49}$'
     AND substr(p_key, 3, 2) BETWEEN '01' AND '12' AND substr(p_key, 1, 2) BETWEEN '01' AND '31'
     AND substr(p_key, 24, 1) IN ('1', '2')
     AND right(p_key, 1)::int = fiscal.modulo11(left(p_key, 48))
$$;
COMMENT ON FUNCTION fiscal.access_key_valid(text) IS 'Whether a clave de acceso is 49 digits with a plausible date, an ambiente 1 or 2 and the right módulo-11 check digit. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.access_key_valid(text) TO PUBLIC;

CREATE FUNCTION fiscal.access_key(p_issue_date date, p_document_code text, p_ruc text, p_environment integer,
                                  p_establishment text, p_emission_point text, p_sequential bigint, p_numeric_code text,
                                  p_emission_type integer DEFAULT 1) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_body text;
BEGIN
  IF p_sequential IS NULL OR p_sequential NOT BETWEEN 1 AND 999999999 THEN
    RAISE EXCEPTION 'the secuencial must be between 1 and 999999999, not %', p_sequential USING ERRCODE = '22023';
  END IF;
  v_body := to_char(p_issue_date, 'DDMMYYYY') || p_document_code || p_ruc || p_environment::text || p_establishment
            || p_emission_point || lpad(p_sequential::text, 9, '0') || p_numeric_code || p_emission_type::text;
  IF v_body IS NULL OR v_body !~ '^[0-9]{48}$' THEN
    RAISE EXCEPTION 'a clave de acceso is made of fecha (8), tipo (2), RUC (13), ambiente (1), establecimiento (3), punto de emisión (3), secuencial (9), código numérico (8) and tipo de emisión (1) digits'
      USING ERRCODE = '22023';
  END IF;
  RETURN v_body || fiscal.modulo11(v_body)::text;
END
$$;
COMMENT ON FUNCTION fiscal.access_key(date, text, text, integer, text, text, bigint, text, integer) IS 'The 49-digit SRI clave de acceso: fecha ddmmaaaa, tipo de comprobante (01 factura, 04 nota de crédito), RUC, ambiente, establecimiento + punto de emisión, secuencial (9), código numérico (8), tipo de emisión (1 normal), módulo-11 check digit. 22023 when a part is malformed. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.access_key(date, text, text, integer, text, text, bigint, text, integer) TO PUBLIC;

-- The billing software's own identity (SistemaInformatico of every registro).
CREATE FUNCTION fiscal.software() RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT jsonb_build_object('name', 'Cimiento', 'tax_id', 'B00000000', 'system', 'Cimiento', 'id', 'CI',
                            'version', '0.1.0', 'installation', '1')
$$;
COMMENT ON FUNCTION fiscal.software() IS 'SistemaInformatico of the registros: the producer''s name and NIF, the system''s name, id (2 characters), version and installation number. A deployment that registers as producer replaces it (CREATE OR REPLACE in its own migration) with its NIF. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.software() TO PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE fiscal.profiles (
  tenant_id    uuid NOT NULL DEFAULT cimiento.current_tenant() REFERENCES core.tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id    uuid,
  country      text NOT NULL CONSTRAINT profiles_country CHECK (country IN ('ES', 'EC')),
  tax_id       text NOT NULL,
  legal_name   text NOT NULL CONSTRAINT profiles_legal_name_length CHECK (length(btrim(legal_name)) BETWEEN 1 AND 120),
  trade_name   text CONSTRAINT profiles_trade_name_length CHECK (length(btrim(trade_name)) BETWEEN 1 AND 120),
  address      text NOT NULL CONSTRAINT profiles_address_length CHECK (length(btrim(address)) BETWEEN 1 AND 300),
  environment  text NOT NULL DEFAULT 'test' CONSTRAINT profiles_environment CHECK (environment IN ('test', 'production')),
  keeps_accounts boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT profiles_one_per_branch UNIQUE NULLS NOT DISTINCT (tenant_id, branch_id),
  CONSTRAINT profiles_tax_id_valid CHECK (CASE country WHEN 'ES' THEN core.spanish_tax_id_kind(tax_id) IS NOT NULL
                                                       ELSE core.ecuadorian_tax_id_kind(tax_id) = 'RUC' END),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id)
);
COMMENT ON TABLE fiscal.profiles IS 'Who issues, for the tax authority: per tenant (branch_id NULL) or per branch (overrides the tenant''s). country ES (tax_id a NIF/CIF, VERI*FACTU) or EC (tax_id a RUC, SRI). environment test | production (AEAT test service / SRI ambiente 1, or production / ambiente 2). keeps_accounts: Ecuador''s obligado a llevar contabilidad.';
COMMENT ON COLUMN fiscal.profiles.tax_id IS 'NIF / CIF (ES) or RUC (EC), normalized (upper case, no separators), with its check character.';

CREATE TABLE fiscal.emission_points (
  tenant_id       uuid NOT NULL DEFAULT cimiento.current_tenant() REFERENCES core.tenants (id),
  series_code     text NOT NULL,
  establishment   text NOT NULL CONSTRAINT emission_points_establishment CHECK (establishment ~ '^[0-9]{3}$' AND establishment <> '000'),
  emission_point  text NOT NULL CONSTRAINT emission_points_point CHECK (emission_point ~ '^[0-9]{3}$' AND emission_point <> '000'),
  address         text CONSTRAINT emission_points_address_length CHECK (length(btrim(address)) BETWEEN 1 AND 300),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, series_code)
);
COMMENT ON TABLE fiscal.emission_points IS 'Ecuador: the establecimiento and punto de emisión (3 digits each) of a series code; every Ecuadorian invoice or credit-note series needs one (issuing refuses otherwise).';

CREATE TABLE fiscal.chains (
  tenant_id      uuid NOT NULL REFERENCES core.tenants (id),
  issuer_tax_id  text NOT NULL,
  queued_upto    bigint NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, issuer_tax_id)
);
COMMENT ON TABLE fiscal.chains IS 'One VERI*FACTU chain per issuer NIF (its records are fiscal.records by position; api.fiscal_chains shows the head). Its row is locked while a record is added (records of one issuer are chained in issue order under concurrency; the row is locked, never rewritten). queued_upto: the records up to that position have their row in fiscal.submissions (the senders queue the rest, outside the issuing). Written only by the issuing and the queue.';

CREATE TABLE fiscal.records (
  tenant_id          uuid NOT NULL REFERENCES core.tenants (id),
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  issuer_tax_id      text NOT NULL,
  position           bigint NOT NULL CONSTRAINT records_position CHECK (position >= 1),
  kind               text NOT NULL CONSTRAINT records_kind CHECK (kind IN ('alta', 'anulacion')),
  invoice_id         uuid NOT NULL,
  branch_id          uuid NOT NULL,
  issuer_name        text NOT NULL,
  invoice_number     text NOT NULL,
  issue_date         date NOT NULL,
  invoice_type       text CONSTRAINT records_invoice_type CHECK (invoice_type IN ('F1', 'F2', 'R1', 'R5')),
  correction_type    text CONSTRAINT records_correction_type CHECK (correction_type IN ('I')),
  corrected          jsonb,
  description        text,
  recipient          jsonb,
  breakdown          jsonb,
  tax_total          numeric(14,2),
  total              numeric(14,2),
  previous_record_id uuid,
  previous_huella    text,
  generated_at       timestamptz NOT NULL,
  generated_at_text  text NOT NULL,
  huella             text NOT NULL CONSTRAINT records_huella_format CHECK (huella ~ '^[0-9A-F]{64}$'),
  reason             text CONSTRAINT records_reason_length CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT records_position_key UNIQUE (tenant_id, issuer_tax_id, position),
  CONSTRAINT records_once_per_kind UNIQUE (tenant_id, invoice_id, kind),
  CONSTRAINT records_alta_fields CHECK ((kind = 'alta') = (invoice_type IS NOT NULL AND tax_total IS NOT NULL AND total IS NOT NULL)),
  CONSTRAINT records_first_has_no_previous CHECK ((position = 1) = (previous_huella IS NULL))
  -- No foreign key to billing.invoices: its check would run at commit, while the series and
  -- the chain are locked; records are written only by the issuing and fiscal.annul_invoice
  -- (which read the invoice), issued invoices are never deleted, and fiscal.verify_chain
  -- names a record whose invoice is missing (IDFactura).
);
COMMENT ON TABLE fiscal.records IS 'VERI*FACTU registros de facturación: an alta per issued invoice or credit note of a Spanish profile, an anulación per cancelled invoice; position-th record of its issuer''s chain, huella = SHA-256 of the AEAT string with the previous huella. Append-only, audited; fiscal.verify_chain checks them.';
COMMENT ON COLUMN fiscal.records.generated_at_text IS 'FechaHoraHusoGenRegistro exactly as hashed (ISO 8601 with the issuer''s UTC offset, e.g. 2024-01-01T19:20:30+01:00).';
COMMENT ON COLUMN fiscal.records.tax_total IS 'CuotaTotal as hashed (negative for a rectificativa por diferencias).';

CREATE TABLE fiscal.sri_documents (
  tenant_id       uuid NOT NULL REFERENCES core.tenants (id),
  invoice_id      uuid NOT NULL,
  branch_id       uuid NOT NULL,
  access_key      text NOT NULL CONSTRAINT sri_documents_access_key_valid CHECK (fiscal.access_key_valid(access_key)),
  document_code   text NOT NULL CONSTRAINT sri_documents_document_code CHECK (document_code IN ('01', '04')),
  ruc             text NOT NULL,
  environment     smallint NOT NULL CONSTRAINT sri_documents_environment CHECK (environment IN (1, 2)),
  establishment   text NOT NULL,
  emission_point  text NOT NULL,
  sequential      text NOT NULL CONSTRAINT sri_documents_sequential CHECK (sequential ~ '^[0-9]{9}$'),
  numeric_code    text NOT NULL CONSTRAINT sri_documents_numeric_code CHECK (numeric_code ~ '^[0-9]{8}$'),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, invoice_id),
  CONSTRAINT sri_documents_access_key_key UNIQUE (access_key),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices (tenant_id, id) DEFERRABLE INITIALLY DEFERRED
);
COMMENT ON TABLE fiscal.sri_documents IS 'Ecuador: the clave de acceso (49 digits, módulo-11 check digit) and its parts of each factura (01) or nota de crédito (04) of an Ecuadorian series. Append-only, audited.';

CREATE TABLE fiscal.submissions (
  tenant_id     uuid NOT NULL REFERENCES core.tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  authority     text NOT NULL CONSTRAINT submissions_authority CHECK (authority IN ('AEAT', 'SRI')),
  record_id     uuid,
  invoice_id    uuid NOT NULL,
  issuer_tax_id text NOT NULL,
  state         text NOT NULL DEFAULT 'pending' CONSTRAINT submissions_state CHECK (state IN ('pending', 'sent', 'accepted', 'rejected')),
  attempts      integer NOT NULL DEFAULT 0,
  batch_id      uuid,
  sent_at       timestamptz,
  answered_at   timestamptz,
  error_code    text CONSTRAINT submissions_error_code_length CHECK (length(error_code) <= 20),
  error_message text CONSTRAINT submissions_error_message_length CHECK (length(error_message) <= 2000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT submissions_aeat_has_record CHECK ((authority = 'AEAT') = (record_id IS NOT NULL)),
  CONSTRAINT submissions_rejected_says_why CHECK ((state = 'rejected') = (error_code IS NOT NULL)),
  CONSTRAINT submissions_record_once UNIQUE (tenant_id, record_id),
  FOREIGN KEY (tenant_id, record_id) REFERENCES fiscal.records (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices (tenant_id, id) DEFERRABLE INITIALLY DEFERRED
);
COMMENT ON TABLE fiscal.submissions IS 'The send queue: one row per record (AEAT; queued by the senders from the chains, so issuing writes no queue row) or comprobante (SRI). pending → sent (claimed by a sender in a batch) → accepted | rejected (with the authority''s error code and message); a rejected or unanswered one can be queued again (fiscal.requeue_submission).';
CREATE INDEX submissions_pending_idx ON fiscal.submissions (authority, created_at) WHERE state = 'pending';
-- (records are found by invoice through records_once_per_kind: (tenant_id, invoice_id, kind))

-- ---------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('fiscal.profiles');
SELECT cimiento.enable_tenant_isolation('fiscal.emission_points');
SELECT cimiento.enable_tenant_isolation('fiscal.chains');
SELECT cimiento.enable_tenant_isolation('fiscal.records', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('fiscal.sri_documents', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('fiscal.submissions');

-- ---------------------------------------------------------------------------------------
-- Policies: each permission holds in the branches of the grant that gives it (a profile of
-- the whole tenant needs a tenant-wide grant).
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_permission_policy('fiscal.profiles', 'select', '{fiscal.read,fiscal.manage}');
SELECT cimiento.enable_permission_policy('fiscal.profiles', 'insert', '{fiscal.manage}');
SELECT cimiento.enable_permission_policy('fiscal.profiles', 'update', '{fiscal.manage}');
SELECT cimiento.enable_permission_policy('fiscal.emission_points', 'select', '{fiscal.read,fiscal.manage}');
SELECT cimiento.enable_permission_policy('fiscal.emission_points', 'insert', '{fiscal.manage}');
SELECT cimiento.enable_permission_policy('fiscal.emission_points', 'update', '{fiscal.manage}');
SELECT cimiento.enable_permission_policy('fiscal.chains', 'select', '{fiscal.read}');
-- A record or clave is read with fiscal.read, or with the invoice permissions (the issuer
-- sees the record of what they issued), in the row's branch.
SELECT cimiento.enable_permission_policy('fiscal.records', 'select', '{fiscal.read,invoices.read,invoices.issue}');
SELECT cimiento.enable_permission_policy('fiscal.sri_documents', 'select', '{fiscal.read,invoices.read,invoices.issue}');
SELECT cimiento.enable_permission_policy('fiscal.submissions', 'select', '{fiscal.read}');

-- ---------------------------------------------------------------------------------------
-- Grants: API roles read; only the issuing (cimiento_numbering) writes records.
-- ---------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA fiscal TO app_user, analyst, cimiento_api, cimiento_numbering;
GRANT SELECT ON fiscal.profiles, fiscal.emission_points, fiscal.chains, fiscal.records, fiscal.sri_documents,
                fiscal.submissions TO app_user, analyst;
GRANT INSERT (tenant_id, id, branch_id, country, tax_id, legal_name, trade_name, address, environment, keeps_accounts),
      UPDATE (legal_name, trade_name, address, environment, keeps_accounts) ON fiscal.profiles TO app_user;
GRANT INSERT (tenant_id, series_code, establishment, emission_point, address), UPDATE (address)
      ON fiscal.emission_points TO app_user;
GRANT SELECT ON fiscal.profiles, fiscal.emission_points TO cimiento_numbering;
GRANT SELECT, INSERT, UPDATE ON fiscal.chains TO cimiento_numbering;
GRANT SELECT, INSERT ON fiscal.records, fiscal.sri_documents, fiscal.submissions TO cimiento_numbering;
GRANT SELECT (id, timezone) ON core.tenants TO cimiento_numbering;
GRANT USAGE ON SCHEMA core TO cimiento_numbering;
GRANT EXECUTE ON FUNCTION core.normalize_tax_id(text), core.spanish_tax_id_kind(text) TO cimiento_numbering;

-- Records, claves and chains change only through the issuing; records and claves never.
SELECT cimiento.enable_append_only('fiscal.records', 'fiscal records are never changed or deleted',
                                   'cancel an invoice with fiscal.annul_invoice; correct it with a credit note');
SELECT cimiento.enable_append_only('fiscal.sri_documents', 'claves de acceso are never changed or deleted',
                                   'correct the document with a credit note');
SELECT cimiento.enable_audit('fiscal.profiles');
SELECT cimiento.enable_audit('fiscal.emission_points');
SELECT cimiento.enable_audit('fiscal.chains', ignore_columns => '{queued_upto}');
SELECT cimiento.enable_audit('fiscal.records');
SELECT cimiento.enable_audit('fiscal.sri_documents');
SELECT cimiento.enable_audit('fiscal.submissions');

-- ---------------------------------------------------------------------------------------
-- Functions: profiles
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION fiscal.profile_of(p_tenant uuid, p_branch uuid) RETURNS fiscal.profiles
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT p.* FROM fiscal.profiles p
   WHERE p.tenant_id = p_tenant AND (p.branch_id = p_branch OR p.branch_id IS NULL)
   ORDER BY p.branch_id NULLS LAST
   LIMIT 1
$$;
COMMENT ON FUNCTION fiscal.profile_of(uuid, uuid) IS 'The fiscal profile a branch issues under: its own, else the tenant''s; NULL fields when there is none (documents of such a branch carry no fiscal record). As the caller sees profiles. STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.profile_of(uuid, uuid) TO app_user, analyst, cimiento_numbering;

CREATE FUNCTION fiscal.normalize_profile() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  NEW.tax_id := core.normalize_tax_id(NEW.tax_id);
  IF TG_OP = 'INSERT' THEN
    PERFORM core.check_tax_id(NEW.country, NEW.tax_id);
    IF NEW.country = 'EC' AND core.ecuadorian_tax_id_kind(NEW.tax_id) <> 'RUC' THEN
      RAISE EXCEPTION 'an Ecuadorian issuer is identified by its RUC (13 digits), not a cédula' USING ERRCODE = '22023';
    END IF;
  ELSIF NEW.tax_id <> OLD.tax_id OR NEW.country <> OLD.country OR NEW.branch_id IS DISTINCT FROM OLD.branch_id THEN
    RAISE EXCEPTION 'the country, tax id and branch of a fiscal profile cannot change' USING ERRCODE = 'PT409',
      HINT = 'records already chain under this tax id; create a profile for the new one';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION fiscal.normalize_profile() IS 'Trigger of fiscal.profiles: writes the tax id normalized, refuses an invalid one with 22023 (HTTP 400) naming the country, and refuses changing country, tax id or branch (PT409): records already chain under them.';
CREATE TRIGGER profiles_normalize BEFORE INSERT OR UPDATE ON fiscal.profiles
  FOR EACH ROW EXECUTE FUNCTION fiscal.normalize_profile();

-- ---------------------------------------------------------------------------------------
-- Functions: the VERI*FACTU chain
-- ---------------------------------------------------------------------------------------
-- Appends a record to its issuer's chain: locks the chain row (records of one issuer queue
-- here in commit order, after their number was taken), fills position, previous record and
-- huella, the generation moment (now, in the tenant's time zone), stores it and queues it.
CREATE FUNCTION fiscal.append_record(p_record fiscal.records) RETURNS fiscal.records
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r fiscal.records := p_record;
  v_zone text;
BEGIN
  PERFORM FROM fiscal.chains c WHERE c.tenant_id = r.tenant_id AND c.issuer_tax_id = r.issuer_tax_id FOR UPDATE;
  IF NOT FOUND THEN
    -- The issuer's first record: its chain row is made (a concurrent first one waits here).
    INSERT INTO fiscal.chains (tenant_id, issuer_tax_id) VALUES (r.tenant_id, r.issuer_tax_id) ON CONFLICT DO NOTHING;
    PERFORM FROM fiscal.chains c WHERE c.tenant_id = r.tenant_id AND c.issuer_tax_id = r.issuer_tax_id FOR UPDATE;
  END IF;
  -- The head of the chain, read under its lock.
  SELECT x.position + 1, x.id, x.huella INTO r.position, r.previous_record_id, r.previous_huella
    FROM fiscal.records x WHERE x.tenant_id = r.tenant_id AND x.issuer_tax_id = r.issuer_tax_id
   ORDER BY x.position DESC LIMIT 1;
  IF NOT FOUND THEN
    r.position := 1;
  END IF;
  SELECT t.timezone INTO v_zone FROM core.tenants t WHERE t.id = r.tenant_id;
  r.id := gen_random_uuid();
  r.generated_at := date_trunc('second', clock_timestamp());
  r.generated_at_text := fiscal.aeat_moment(r.generated_at, COALESCE(v_zone, 'Europe/Madrid'));
  r.huella := fiscal.huella(CASE r.kind
                WHEN 'alta' THEN fiscal.alta_string(r.issuer_tax_id, r.invoice_number, r.issue_date, r.invoice_type,
                                                    r.tax_total, r.total, r.previous_huella, r.generated_at_text)
                ELSE fiscal.anulacion_string(r.issuer_tax_id, r.invoice_number, r.issue_date, r.previous_huella,
                                             r.generated_at_text) END);
  r.created_at := now();
  INSERT INTO fiscal.records SELECT r.*;
  RETURN r;
END
$$;
COMMENT ON FUNCTION fiscal.append_record(fiscal.records) IS 'Appends a registro to its issuer''s chain (locks its fiscal.chains row: one issuer''s records are chained one at a time, in issue order; the head is the record with the highest position), fills position, previous record and huella and FechaHoraHusoGenRegistro (now, tenant time zone) and stores it (the senders queue it from the chain). Called by the issuing (cimiento_numbering) and fiscal.annul_invoice only. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.append_record(fiscal.records) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.append_record(fiscal.records) TO cimiento_numbering;

-- The registro de alta of an issued invoice or credit note of a Spanish profile.
CREATE FUNCTION fiscal.record_alta(d billing.invoices, p fiscal.profiles) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r fiscal.records;
  o billing.invoices;
  v_sign integer := CASE d.kind WHEN 'credit_note' THEN -1 ELSE 1 END;
  v_simplified boolean;
BEGIN
  r.tenant_id := d.tenant_id;
  r.kind := 'alta';
  r.invoice_id := d.id;
  r.branch_id := d.branch_id;
  r.issuer_tax_id := p.tax_id;
  r.issuer_name := p.legal_name;
  r.invoice_number := d.number_display;
  r.issue_date := d.issue_date;
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
  r.description := left(COALESCE(d.reason, (SELECT i.description FROM billing.invoice_items i
                                             WHERE i.tenant_id = d.tenant_id AND i.invoice_id = d.id ORDER BY i.line_no LIMIT 1),
                                 'Factura ' || d.number_display), 500);
  IF NOT v_simplified AND d.customer_tax_id IS NOT NULL
     AND core.spanish_tax_id_kind(core.normalize_tax_id(d.customer_tax_id)) IS NOT NULL THEN
    r.recipient := jsonb_build_object('name', left(btrim(d.customer_name), 120), 'tax_id', core.normalize_tax_id(d.customer_tax_id));
  END IF;
  r.breakdown := COALESCE((SELECT jsonb_agg(jsonb_build_object('tax_rate', t.tax_rate, 'base', v_sign * t.base, 'tax', v_sign * t.tax)
                                            ORDER BY t.tax_rate)
                             FROM billing.document_taxes(d.tenant_id, d.id) t), '[]');
  r.tax_total := v_sign * d.tax_total;
  r.total := v_sign * d.total;
  PERFORM fiscal.append_record(r);
END
$$;
COMMENT ON FUNCTION fiscal.record_alta(billing.invoices, fiscal.profiles) IS 'Writes the registro de alta of a just-numbered document under a Spanish profile: F1 invoice, F2 simplified, R1 / R5 (rectifying a simplified invoice) credit note por diferencias (negative amounts) naming the invoice it rectifies; the recipient when the customer has a Spanish NIF. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.record_alta(billing.invoices, fiscal.profiles) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.record_alta(billing.invoices, fiscal.profiles) TO cimiento_numbering;

-- Ecuador: the clave de acceso of a just-numbered document of an Ecuadorian series.
CREATE FUNCTION fiscal.record_access_key(d billing.invoices, p fiscal.profiles) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  e fiscal.emission_points;
  v_code text := CASE d.kind WHEN 'credit_note' THEN '04' ELSE '01' END;
  v_env integer := CASE p.environment WHEN 'production' THEN 2 ELSE 1 END;
  v_numeric text := lpad((('x' || left(md5(d.id::text), 8))::bit(32)::bigint % 100000000)::text, 8, '0');
BEGIN
  SELECT * INTO e FROM fiscal.emission_points x WHERE x.tenant_id = d.tenant_id AND x.series_code = d.series_code;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'series % has no establecimiento and punto de emisión', d.series_code USING ERRCODE = '55000',
      HINT = 'an Ecuadorian document needs them for its clave de acceso: add the series to /fiscal_emission_points';
  END IF;
  IF d.number > 999999999 THEN
    RAISE EXCEPTION 'series % is past secuencial 999999999', d.series_code USING ERRCODE = '55000',
      HINT = 'open another punto de emisión';
  END IF;
  INSERT INTO fiscal.sri_documents (tenant_id, invoice_id, branch_id, access_key, document_code, ruc, environment,
                                    establishment, emission_point, sequential, numeric_code)
  VALUES (d.tenant_id, d.id, d.branch_id,
          fiscal.access_key(d.issue_date, v_code, p.tax_id, v_env, e.establishment, e.emission_point, d.number, v_numeric),
          v_code, p.tax_id, v_env, e.establishment, e.emission_point, lpad(d.number::text, 9, '0'), v_numeric);
  INSERT INTO fiscal.submissions (tenant_id, authority, invoice_id, issuer_tax_id)
  VALUES (d.tenant_id, 'SRI', d.id, p.tax_id);
END
$$;
COMMENT ON FUNCTION fiscal.record_access_key(billing.invoices, fiscal.profiles) IS 'Writes the clave de acceso of a just-numbered factura (01) or nota de crédito (04) under an Ecuadorian profile (secuencial = the document''s number, código numérico derived from its id) and queues it for the SRI; 55000 when its series has no emission point (the issuing RPCs answer 409). VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.record_access_key(billing.invoices, fiscal.profiles) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.record_access_key(billing.invoices, fiscal.profiles) TO cimiento_numbering;

-- Refused before numbering, with the status the caller should see: an Ecuadorian document
-- whose series has no emission point (the numbering's own check is the backstop).
CREATE FUNCTION fiscal.check_issuable() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF (fiscal.profile_of(NEW.tenant_id, NEW.branch_id)).country = 'EC'
     AND NOT EXISTS (SELECT 1 FROM fiscal.emission_points e WHERE e.tenant_id = NEW.tenant_id AND e.series_code = NEW.series_code) THEN
    RAISE EXCEPTION 'series % has no establecimiento and punto de emisión', NEW.series_code USING ERRCODE = 'PT409',
      HINT = 'an Ecuadorian document needs them for its clave de acceso: add the series to /fiscal_emission_points';
  END IF;
  IF NEW.kind = 'credit_note' AND EXISTS (SELECT 1 FROM fiscal.records r WHERE r.tenant_id = NEW.tenant_id
                                             AND r.invoice_id = NEW.corrects_invoice_id AND r.kind = 'anulacion') THEN
    RAISE EXCEPTION 'the invoice was cancelled (registro de anulación): there is nothing to credit' USING ERRCODE = 'PT409';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION fiscal.check_issuable() IS 'Trigger of billing.invoices (a document becoming issued, before its number): refuses with PT409 (HTTP 409) an Ecuadorian document whose series has no establecimiento and punto de emisión (with a hint), and a credit note of an invoice cancelled by a registro de anulación. SECURITY DEFINER: the issuer need not see fiscal profiles.';
REVOKE ALL ON FUNCTION fiscal.check_issuable() FROM PUBLIC;
CREATE TRIGGER invoices_fiscal_issuable BEFORE INSERT OR UPDATE OF status ON billing.invoices
  FOR EACH ROW WHEN (NEW.status = 'issued' AND NEW.number IS NULL) EXECUTE FUNCTION fiscal.check_issuable();

CREATE FUNCTION fiscal.document_issued(p_tenant uuid, p_invoice uuid) RETURNS void
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
    PERFORM fiscal.record_alta(d, p);
  ELSE
    PERFORM fiscal.record_access_key(d, p);
  END IF;
END
$$;
COMMENT ON FUNCTION fiscal.document_issued(uuid, uuid) IS 'Called when a document is numbered (billing.document_numbered, as cimiento_numbering, inside the issuing transaction): its registro de alta (Spanish profile) or clave de acceso (Ecuadorian profile); nothing without a profile. A failure here refuses the issue. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.document_issued(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.document_issued(uuid, uuid) TO cimiento_numbering;

CREATE OR REPLACE FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM fiscal.document_issued(p_tenant, p_id);
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
COMMENT ON FUNCTION billing.document_numbered(uuid, uuid) IS 'After-numbering function of billing.invoices (run by the numbering as cimiento_numbering): the document''s fiscal record (fiscal.document_issued); a credit note after which every line of the invoice it corrects is fully credited (by quantity) cancels that invoice.';

-- Cancelling a wrongly issued invoice: a registro de anulación on its issuer's chain.
CREATE FUNCTION fiscal.annul_invoice(p_invoice uuid, p_reason text) RETURNS fiscal.records
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a fiscal.records;
  r fiscal.records;
  v_tenant uuid := cimiento.current_tenant();
BEGIN
  IF p_reason IS NULL OR length(btrim(p_reason)) NOT BETWEEN 1 AND 500 THEN
    RAISE EXCEPTION 'say why the invoice is cancelled (reason, 1 to 500 characters)' USING ERRCODE = '22023';
  END IF;
  SELECT x.* INTO a FROM fiscal.records x
   WHERE x.tenant_id = v_tenant AND x.invoice_id = p_invoice AND x.kind = 'alta';
  IF NOT FOUND OR NOT cimiento.has_permission('invoices.read', a.branch_id) AND NOT cimiento.has_permission('fiscal.read', a.branch_id) THEN
    RAISE EXCEPTION 'no such invoice with a fiscal record' USING ERRCODE = 'PT404';
  END IF;
  PERFORM cimiento.require_permission('fiscal.annul', a.branch_id);
  IF a.invoice_type NOT IN ('F1', 'F2') THEN
    RAISE EXCEPTION 'only an invoice is cancelled this way; a rectificativa is corrected by another one' USING ERRCODE = 'PT409';
  END IF;
  IF EXISTS (SELECT 1 FROM fiscal.records x WHERE x.tenant_id = v_tenant AND x.invoice_id = p_invoice AND x.kind = 'anulacion') THEN
    RAISE EXCEPTION 'invoice % is already cancelled', a.invoice_number USING ERRCODE = 'PT409';
  END IF;
  IF EXISTS (SELECT 1 FROM billing.invoices cn WHERE cn.tenant_id = v_tenant AND cn.corrects_invoice_id = p_invoice
                                                 AND cn.status <> 'draft') THEN
    RAISE EXCEPTION 'invoice % has credit notes and cannot be cancelled', a.invoice_number USING ERRCODE = 'PT409',
      HINT = 'credit what is left with a credit note instead';
  END IF;
  r.tenant_id := v_tenant;
  r.kind := 'anulacion';
  r.invoice_id := a.invoice_id;
  r.branch_id := a.branch_id;
  r.issuer_tax_id := a.issuer_tax_id;
  r.issuer_name := a.issuer_name;
  r.invoice_number := a.invoice_number;
  r.issue_date := a.issue_date;
  r.reason := btrim(p_reason);
  RETURN fiscal.append_record(r);
END
$$;
COMMENT ON FUNCTION fiscal.annul_invoice(uuid, text) IS 'Cancels a wrongly issued invoice (F1/F2 with a registro de alta, no credit notes) with a registro de anulación on its issuer''s chain, for a caller with fiscal.annul in the invoice''s branch: 22023 without a reason, PT404 for an invoice the caller cannot see or without record, PT409 when already cancelled, credited or a rectificativa. The invoice itself stays as issued (issued documents never change); its records say it is cancelled. SECURITY DEFINER (records are written only here and by the issuing). VOLATILE.';
REVOKE ALL ON FUNCTION fiscal.annul_invoice(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.annul_invoice(uuid, text) TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions: verification
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION fiscal.verify_chain(p_tenant uuid)
RETURNS TABLE (issuer_tax_id text, ok boolean, records bigint, broken_position bigint, invoice_number text, field text, problem text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  c record;
  r record;
  v_expected_position bigint;
  v_previous text;
  v_zone text;
  v_string text;
  v_count bigint;
BEGIN
  SELECT t.timezone INTO v_zone FROM core.tenants t WHERE t.id = p_tenant;
  FOR c IN SELECT DISTINCT x.issuer_tax_id FROM fiscal.records x WHERE x.tenant_id = p_tenant ORDER BY 1 LOOP
    issuer_tax_id := c.issuer_tax_id; ok := true; v_count := 0;
    broken_position := NULL; invoice_number := NULL; field := NULL; problem := NULL;
    v_expected_position := 1; v_previous := NULL;
    FOR r IN
      SELECT x.*, d.number_display AS d_number, d.issue_date AS d_issue_date, d.kind AS d_kind,
             d.tax_total AS d_tax_total, d.total AS d_total,
             CASE WHEN d.kind = 'credit_note' THEN -1 ELSE 1 END AS d_sign
        FROM fiscal.records x
        LEFT JOIN billing.invoices d ON d.tenant_id = x.tenant_id AND d.id = x.invoice_id
       WHERE x.tenant_id = p_tenant AND x.issuer_tax_id = c.issuer_tax_id
       ORDER BY x.position
    LOOP
      v_count := v_count + 1;
      v_string := CASE r.kind
                    WHEN 'alta' THEN fiscal.alta_string(r.issuer_tax_id, r.invoice_number, r.issue_date, r.invoice_type,
                                                        r.tax_total, r.total, r.previous_huella, r.generated_at_text)
                    ELSE fiscal.anulacion_string(r.issuer_tax_id, r.invoice_number, r.issue_date, r.previous_huella,
                                                 r.generated_at_text) END;
      field := CASE
        WHEN r.position <> v_expected_position THEN 'position'
        WHEN r.previous_huella IS DISTINCT FROM v_previous THEN 'Encadenamiento.Huella'
        WHEN r.d_number IS NULL THEN 'IDFactura'
        WHEN r.invoice_number IS DISTINCT FROM r.d_number THEN 'NumSerieFactura'
        WHEN r.issue_date IS DISTINCT FROM r.d_issue_date THEN 'FechaExpedicionFactura'
        WHEN r.kind = 'alta' AND r.invoice_type IS DISTINCT FROM
             CASE WHEN r.d_kind = 'credit_note' THEN CASE WHEN r.invoice_type IN ('R1', 'R5') THEN r.invoice_type END
                  ELSE CASE WHEN r.invoice_type IN ('F1', 'F2') THEN r.invoice_type END END THEN 'TipoFactura'
        WHEN r.kind = 'alta' AND r.tax_total IS DISTINCT FROM r.d_sign * r.d_tax_total THEN 'CuotaTotal'
        WHEN r.kind = 'alta' AND r.total IS DISTINCT FROM r.d_sign * r.d_total THEN 'ImporteTotal'
        WHEN r.generated_at_text IS DISTINCT FROM fiscal.aeat_moment(r.generated_at, COALESCE(v_zone, 'Europe/Madrid'))
             THEN 'FechaHoraHusoGenRegistro'
        WHEN fiscal.huella(v_string) IS DISTINCT FROM r.huella THEN 'Huella'
      END;
      IF field IS NOT NULL THEN
        ok := false;
        broken_position := r.position;
        invoice_number := r.invoice_number;
        problem := CASE field
          WHEN 'position' THEN pg_catalog.format('record %s found where record %s was expected', r.position, v_expected_position)
          WHEN 'Encadenamiento.Huella' THEN 'the previous huella it names is not the previous record''s'
          WHEN 'IDFactura' THEN 'the document it registers does not exist'
          WHEN 'Huella' THEN 'its huella does not match its fields'
          ELSE pg_catalog.format('%s differs from the document it registers, so its huella does not verify', field) END;
        EXIT;
      END IF;
      v_expected_position := r.position + 1;
      v_previous := r.huella;
    END LOOP;
    IF ok AND NOT EXISTS (SELECT 1 FROM fiscal.chains h WHERE h.tenant_id = p_tenant AND h.issuer_tax_id = c.issuer_tax_id) THEN
      ok := false; field := 'chain'; problem := 'the records have no chain (nothing serialized their issuing)';
    END IF;
    records := v_count;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION fiscal.verify_chain(uuid) IS 'Checks every VERI*FACTU chain of a tenant (one row per issuer NIF): positions 1..n without a hole, each record naming the previous record''s huella, its hashed fields equal to the document it registers (NumSerieFactura, FechaExpedicionFactura, TipoFactura, CuotaTotal, ImporteTotal), its FechaHoraHusoGenRegistro equal to its moment, its huella recomputed from its fields; reports the first break (position, invoice number, field, problem). As the caller sees records (DBAs as the owner see all). STABLE.';
GRANT EXECUTE ON FUNCTION fiscal.verify_chain(uuid) TO app_user, analyst;

-- ---------------------------------------------------------------------------------------
-- Functions: XML
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION fiscal.verifactu_xml(p_tenant uuid, p_records uuid[]) RETURNS xml
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_issuers text[];
  v_name text;
  v_body xml;
  v_software jsonb := fiscal.software();
  v_count integer;
BEGIN
  SELECT array_agg(DISTINCT x.issuer_tax_id), min(x.issuer_name), count(*) INTO v_issuers, v_name, v_count
    FROM fiscal.records x WHERE x.tenant_id = p_tenant AND x.id = ANY (p_records);
  IF v_count = 0 OR v_count <> cardinality(p_records) THEN
    RAISE EXCEPTION 'no such records (or some of them are not visible)' USING ERRCODE = 'PT404';
  ELSIF cardinality(v_issuers) > 1 THEN
    RAISE EXCEPTION 'a batch holds the records of one issuer' USING ERRCODE = '22023';
  ELSIF v_count > 1000 THEN
    RAISE EXCEPTION 'a batch holds at most 1000 records' USING ERRCODE = '22023';
  END IF;
  SELECT xmlagg(xmlelement(name "sum:RegistroFactura",
           CASE x.kind WHEN 'alta' THEN
             xmlelement(name "sum1:RegistroAlta",
               xmlelement(name "sum1:IDVersion", '1.0'),
               xmlelement(name "sum1:IDFactura",
                 xmlelement(name "sum1:IDEmisorFactura", x.issuer_tax_id),
                 xmlelement(name "sum1:NumSerieFactura", x.invoice_number),
                 xmlelement(name "sum1:FechaExpedicionFactura", fiscal.aeat_date(x.issue_date))),
               xmlelement(name "sum1:NombreRazonEmisor", x.issuer_name),
               xmlelement(name "sum1:TipoFactura", x.invoice_type),
               CASE WHEN x.correction_type IS NOT NULL THEN xmlconcat(
                 xmlelement(name "sum1:TipoRectificativa", x.correction_type),
                 xmlelement(name "sum1:FacturasRectificadas",
                   (SELECT xmlagg(xmlelement(name "sum1:IDFacturaRectificada",
                             xmlelement(name "sum1:IDEmisorFactura", c ->> 'issuer_tax_id'),
                             xmlelement(name "sum1:NumSerieFactura", c ->> 'number'),
                             xmlelement(name "sum1:FechaExpedicionFactura", fiscal.aeat_date((c ->> 'issue_date')::date))))
                      FROM jsonb_array_elements(x.corrected) c))) END,
               xmlelement(name "sum1:DescripcionOperacion", x.description),
               CASE WHEN x.recipient IS NOT NULL THEN
                 xmlelement(name "sum1:Destinatarios", xmlelement(name "sum1:IDDestinatario",
                   xmlelement(name "sum1:NombreRazon", x.recipient ->> 'name'),
                   xmlelement(name "sum1:NIF", x.recipient ->> 'tax_id'))) END,
               xmlelement(name "sum1:Desglose",
                 (SELECT xmlagg(xmlelement(name "sum1:DetalleDesglose",
                           xmlelement(name "sum1:Impuesto", '01'),
                           xmlelement(name "sum1:ClaveRegimen", '01'),
                           CASE WHEN (b ->> 'tax_rate')::numeric > 0 THEN xmlconcat(
                             xmlelement(name "sum1:CalificacionOperacion", 'S1'),
                             xmlelement(name "sum1:TipoImpositivo", fiscal.aeat_amount((b ->> 'tax_rate')::numeric)),
                             xmlelement(name "sum1:BaseImponibleOimporteNoSujeto", fiscal.aeat_amount((b ->> 'base')::numeric)),
                             xmlelement(name "sum1:CuotaRepercutida", fiscal.aeat_amount((b ->> 'tax')::numeric)))
                           ELSE xmlconcat(
                             xmlelement(name "sum1:OperacionExenta", 'E1'),
                             xmlelement(name "sum1:BaseImponibleOimporteNoSujeto", fiscal.aeat_amount((b ->> 'base')::numeric))) END)
                         ORDER BY (b ->> 'tax_rate')::numeric)
                    FROM jsonb_array_elements(x.breakdown) b)),
               xmlelement(name "sum1:CuotaTotal", fiscal.aeat_amount(x.tax_total)),
               xmlelement(name "sum1:ImporteTotal", fiscal.aeat_amount(x.total)),
               fiscal.chain_link_xml(x.tenant_id, x.previous_record_id),
               fiscal.software_xml(v_software),
               xmlelement(name "sum1:FechaHoraHusoGenRegistro", x.generated_at_text),
               xmlelement(name "sum1:TipoHuella", '01'),
               xmlelement(name "sum1:Huella", x.huella))
           ELSE
             xmlelement(name "sum1:RegistroAnulacion",
               xmlelement(name "sum1:IDVersion", '1.0'),
               xmlelement(name "sum1:IDFactura",
                 xmlelement(name "sum1:IDEmisorFacturaAnulada", x.issuer_tax_id),
                 xmlelement(name "sum1:NumSerieFacturaAnulada", x.invoice_number),
                 xmlelement(name "sum1:FechaExpedicionFacturaAnulada", fiscal.aeat_date(x.issue_date))),
               fiscal.chain_link_xml(x.tenant_id, x.previous_record_id),
               fiscal.software_xml(v_software),
               xmlelement(name "sum1:FechaHoraHusoGenRegistro", x.generated_at_text),
               xmlelement(name "sum1:TipoHuella", '01'),
               xmlelement(name "sum1:Huella", x.huella))
           END) ORDER BY x.position)
    INTO v_body
    FROM fiscal.records x WHERE x.tenant_id = p_tenant AND x.id = ANY (p_records);
  RETURN xmlelement(name "sum:RegFactuSistemaFacturacion",
           xmlattributes('https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroLR.xsd' AS "xmlns:sum",
                         'https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd' AS "xmlns:sum1"),
           xmlelement(name "sum:Cabecera",
             xmlelement(name "sum1:ObligadoEmision",
               xmlelement(name "sum1:NombreRazon", v_name),
               xmlelement(name "sum1:NIF", v_issuers[1]))),
           v_body);
END
$$;
COMMENT ON FUNCTION fiscal.verifactu_xml(uuid, uuid[]) IS 'RegFactuSistemaFacturacion for a batch of records of one issuer (1 to 1000, in chain order): Cabecera (ObligadoEmision) and a RegistroAlta or RegistroAnulacion per record, as the AEAT schema SuministroLR.xsd defines them. PT404 for records the caller cannot see, 22023 for mixed issuers. STABLE.';
GRANT EXECUTE ON FUNCTION fiscal.verifactu_xml(uuid, uuid[]) TO app_user, analyst;

CREATE FUNCTION fiscal.chain_link_xml(p_tenant uuid, p_previous uuid) RETURNS xml
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT xmlelement(name "sum1:Encadenamiento",
           COALESCE((SELECT xmlelement(name "sum1:RegistroAnterior",
                              xmlelement(name "sum1:IDEmisorFactura", p.issuer_tax_id),
                              xmlelement(name "sum1:NumSerieFactura", p.invoice_number),
                              xmlelement(name "sum1:FechaExpedicionFactura", fiscal.aeat_date(p.issue_date)),
                              xmlelement(name "sum1:Huella", p.huella))
                       FROM fiscal.records p WHERE p.tenant_id = p_tenant AND p.id = p_previous),
                    xmlelement(name "sum1:PrimerRegistro", 'S')))
$$;
COMMENT ON FUNCTION fiscal.chain_link_xml(uuid, uuid) IS 'The Encadenamiento element of a record: PrimerRegistro S, or the previous record (issuer, number, date, huella). STABLE.';
GRANT EXECUTE ON FUNCTION fiscal.chain_link_xml(uuid, uuid) TO app_user, analyst;

CREATE FUNCTION fiscal.software_xml(p_software jsonb) RETURNS xml
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT xmlelement(name "sum1:SistemaInformatico",
           xmlelement(name "sum1:NombreRazon", p_software ->> 'name'),
           xmlelement(name "sum1:NIF", p_software ->> 'tax_id'),
           xmlelement(name "sum1:NombreSistemaInformatico", p_software ->> 'system'),
           xmlelement(name "sum1:IdSistemaInformatico", p_software ->> 'id'),
           xmlelement(name "sum1:Version", p_software ->> 'version'),
           xmlelement(name "sum1:NumeroInstalacion", p_software ->> 'installation'),
           xmlelement(name "sum1:TipoUsoPosibleSoloVerifactu", 'S'),
           xmlelement(name "sum1:TipoUsoPosibleMultiOT", 'S'),
           xmlelement(name "sum1:IndicadorMultiplesOT", 'S'))
$$;
COMMENT ON FUNCTION fiscal.software_xml(jsonb) IS 'The SistemaInformatico element from fiscal.software(). IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.software_xml(jsonb) TO app_user, analyst;

CREATE FUNCTION fiscal.sri_vat_code(p_rate numeric) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  CASE p_rate
    WHEN 0 THEN RETURN '0';
    WHEN 12 THEN RETURN '2';
    WHEN 14 THEN RETURN '3';
    WHEN 15 THEN RETURN '4';
    WHEN 5 THEN RETURN '5';
    WHEN 13 THEN RETURN '10';
    ELSE RAISE EXCEPTION 'the SRI has no IVA code for a rate of % %%', p_rate USING ERRCODE = '22023',
           HINT = 'Ecuadorian IVA rates are 0, 5, 12, 13, 14 and 15';
  END CASE;
END
$$;
COMMENT ON FUNCTION fiscal.sri_vat_code(numeric) IS 'The SRI codigoPorcentaje of an IVA rate (0 → 0, 12 → 2, 14 → 3, 15 → 4, 5 → 5, 13 → 10); 22023 for a rate the SRI has no code for. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION fiscal.sri_vat_code(numeric) TO app_user, analyst;

-- The comprobante of an Ecuadorian document: factura 1.1.0 or notaCredito 1.1.0.
CREATE FUNCTION fiscal.sri_xml(p_tenant uuid, p_invoice uuid) RETURNS xml
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  s fiscal.sri_documents;
  d billing.invoices;
  p fiscal.profiles;
  e fiscal.emission_points;
  o billing.invoices;
  os fiscal.sri_documents;
  v_buyer_kind text;
  v_buyer_type text;
  v_buyer_id text;
  v_buyer_name text;
  v_info_tributaria xml;
  v_totals xml;
  v_details xml;
  v_money text := 'DOLAR';
BEGIN
  SELECT * INTO s FROM fiscal.sri_documents x WHERE x.tenant_id = p_tenant AND x.invoice_id = p_invoice;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such Ecuadorian document' USING ERRCODE = 'PT404';
  END IF;
  SELECT * INTO d FROM billing.invoices x WHERE x.tenant_id = p_tenant AND x.id = p_invoice;
  p := fiscal.profile_of(p_tenant, d.branch_id);
  SELECT * INTO e FROM fiscal.emission_points x WHERE x.tenant_id = p_tenant AND x.series_code = d.series_code;
  v_buyer_id := core.normalize_tax_id(d.customer_tax_id);
  v_buyer_kind := core.ecuadorian_tax_id_kind(v_buyer_id);
  v_buyer_type := CASE WHEN v_buyer_id IS NULL THEN '07' WHEN v_buyer_kind = 'RUC' THEN '04' WHEN v_buyer_kind = 'CEDULA' THEN '05' ELSE '06' END;
  v_buyer_name := CASE WHEN v_buyer_id IS NULL THEN 'CONSUMIDOR FINAL' ELSE left(btrim(d.customer_name), 300) END;
  v_buyer_id := COALESCE(v_buyer_id, '9999999999999');
  v_info_tributaria := xmlelement(name "infoTributaria",
    xmlelement(name "ambiente", s.environment),
    xmlelement(name "tipoEmision", substr(s.access_key, 48, 1)),
    xmlelement(name "razonSocial", p.legal_name),
    CASE WHEN p.trade_name IS NOT NULL THEN xmlelement(name "nombreComercial", p.trade_name) END,
    xmlelement(name "ruc", s.ruc),
    xmlelement(name "claveAcceso", s.access_key),
    xmlelement(name "codDoc", s.document_code),
    xmlelement(name "estab", s.establishment),
    xmlelement(name "ptoEmi", s.emission_point),
    xmlelement(name "secuencial", s.sequential),
    xmlelement(name "dirMatriz", p.address));
  SELECT xmlelement(name "totalConImpuestos", xmlagg(xmlelement(name "totalImpuesto",
           xmlelement(name "codigo", '2'),
           xmlelement(name "codigoPorcentaje", fiscal.sri_vat_code(t.tax_rate)),
           xmlelement(name "baseImponible", to_char(t.base, 'FM999999999990.00')),
           xmlelement(name "valor", to_char(t.tax, 'FM999999999990.00'))) ORDER BY t.tax_rate))
    INTO v_totals FROM billing.document_taxes(p_tenant, p_invoice) t;
  SELECT xmlelement(name "detalles", xmlagg(xmlelement(name "detalle",
           CASE WHEN d.kind = 'invoice' THEN xmlelement(name "codigoPrincipal", i.line_no)
                ELSE xmlelement(name "codigoInterno", i.line_no) END,
           xmlelement(name "descripcion", left(i.description, 300)),
           xmlelement(name "cantidad", to_char(i.quantity, 'FM999999990.00####')),
           xmlelement(name "precioUnitario", to_char(i.unit_price, 'FM999999999990.00')),
           xmlelement(name "descuento", '0.00'),
           xmlelement(name "precioTotalSinImpuesto", to_char(i.line_subtotal, 'FM999999999990.00')),
           xmlelement(name "impuestos", xmlelement(name "impuesto",
             xmlelement(name "codigo", '2'),
             xmlelement(name "codigoPorcentaje", fiscal.sri_vat_code(i.tax_rate)),
             xmlelement(name "tarifa", to_char(i.tax_rate, 'FM990.##')),
             xmlelement(name "baseImponible", to_char(i.line_subtotal, 'FM999999999990.00')),
             xmlelement(name "valor", to_char(round(i.line_subtotal * i.tax_rate / 100, 2), 'FM999999999990.00'))))) ORDER BY i.line_no))
    INTO v_details FROM billing.invoice_items i WHERE i.tenant_id = p_tenant AND i.invoice_id = p_invoice;
  IF d.kind = 'invoice' THEN
    RETURN xmlelement(name "factura", xmlattributes('comprobante' AS id, '1.1.0' AS version),
      v_info_tributaria,
      xmlelement(name "infoFactura",
        xmlelement(name "fechaEmision", to_char(d.issue_date, 'DD/MM/YYYY')),
        CASE WHEN e.address IS NOT NULL THEN xmlelement(name "dirEstablecimiento", e.address) END,
        xmlelement(name "obligadoContabilidad", CASE WHEN p.keeps_accounts THEN 'SI' ELSE 'NO' END),
        xmlelement(name "tipoIdentificacionComprador", v_buyer_type),
        xmlelement(name "razonSocialComprador", v_buyer_name),
        xmlelement(name "identificacionComprador", v_buyer_id),
        xmlelement(name "totalSinImpuestos", to_char(d.subtotal, 'FM999999999990.00')),
        xmlelement(name "totalDescuento", '0.00'),
        v_totals,
        xmlelement(name "propina", '0.00'),
        xmlelement(name "importeTotal", to_char(d.total, 'FM999999999990.00')),
        xmlelement(name "moneda", v_money),
        xmlelement(name "pagos", xmlelement(name "pago",
          xmlelement(name "formaPago", '01'),
          xmlelement(name "total", to_char(d.total, 'FM999999999990.00'))))),
      v_details);
  END IF;
  SELECT * INTO o FROM billing.invoices x WHERE x.tenant_id = p_tenant AND x.id = d.corrects_invoice_id;
  SELECT * INTO os FROM fiscal.sri_documents x WHERE x.tenant_id = p_tenant AND x.invoice_id = o.id;
  RETURN xmlelement(name "notaCredito", xmlattributes('comprobante' AS id, '1.1.0' AS version),
    v_info_tributaria,
    xmlelement(name "infoNotaCredito",
      xmlelement(name "fechaEmision", to_char(d.issue_date, 'DD/MM/YYYY')),
      CASE WHEN e.address IS NOT NULL THEN xmlelement(name "dirEstablecimiento", e.address) END,
      xmlelement(name "tipoIdentificacionComprador", v_buyer_type),
      xmlelement(name "razonSocialComprador", v_buyer_name),
      xmlelement(name "identificacionComprador", v_buyer_id),
      xmlelement(name "obligadoContabilidad", CASE WHEN p.keeps_accounts THEN 'SI' ELSE 'NO' END),
      xmlelement(name "codDocModificado", '01'),
      xmlelement(name "numDocModificado", COALESCE(os.establishment || '-' || os.emission_point || '-' || os.sequential, o.number_display)),
      xmlelement(name "fechaEmisionDocSustento", to_char(o.issue_date, 'DD/MM/YYYY')),
      xmlelement(name "totalSinImpuestos", to_char(d.subtotal, 'FM999999999990.00')),
      xmlelement(name "valorModificacion", to_char(d.total, 'FM999999999990.00')),
      xmlelement(name "moneda", v_money),
      v_totals,
      xmlelement(name "motivo", left(COALESCE(d.reason, 'Devolución'), 300))),
    v_details);
END
$$;
COMMENT ON FUNCTION fiscal.sri_xml(uuid, uuid) IS 'The SRI comprobante of an Ecuadorian document: factura 1.1.0 (infoTributaria, infoFactura with totalConImpuestos and pagos, detalles) or notaCredito 1.1.0 (infoNotaCredito naming the modified factura). Unsigned: signing (XAdES-BES) is the sender''s. PT404 for a document without clave de acceso; 22023 for an IVA rate without SRI code. STABLE.';
GRANT EXECUTE ON FUNCTION fiscal.sri_xml(uuid, uuid) TO app_user, analyst;

-- ---------------------------------------------------------------------------------------
-- Functions: the send queue (for the api's sender, across tenants)
-- ---------------------------------------------------------------------------------------
-- Issuing writes no queue row (less work while the series is locked): the records past a
-- chain's queued_upto are queued here, by the senders.
CREATE FUNCTION fiscal.queue_records() RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  c record;
  v_total bigint := 0;
  v_count bigint;
BEGIN
  FOR c IN SELECT h.tenant_id, h.issuer_tax_id, h.queued_upto, x.records
             FROM fiscal.chains h
             CROSS JOIN LATERAL (SELECT max(r.position) AS records FROM fiscal.records r
                                  WHERE r.tenant_id = h.tenant_id AND r.issuer_tax_id = h.issuer_tax_id) x
            WHERE x.records > h.queued_upto FOR UPDATE OF h SKIP LOCKED LOOP
    INSERT INTO fiscal.submissions (tenant_id, authority, record_id, invoice_id, issuer_tax_id, created_at)
    SELECT r.tenant_id, 'AEAT', r.id, r.invoice_id, r.issuer_tax_id, now()
      FROM fiscal.records r
     WHERE r.tenant_id = c.tenant_id AND r.issuer_tax_id = c.issuer_tax_id AND r.position > c.queued_upto AND r.position <= c.records
    ON CONFLICT (tenant_id, record_id) DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_total := v_total + v_count;
    UPDATE fiscal.chains h SET queued_upto = c.records WHERE h.tenant_id = c.tenant_id AND h.issuer_tax_id = c.issuer_tax_id;
  END LOOP;
  RETURN v_total;
END
$$;
COMMENT ON FUNCTION fiscal.queue_records() IS 'Queues for the AEAT every record past its chain''s queued_upto (one submission per record, in chain order) and moves the mark; chains another caller is queuing are skipped. Called by fiscal.claim_submissions (as the owner). VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION fiscal.queue_records() FROM PUBLIC;

CREATE FUNCTION fiscal.claim_submissions(p_authority text, p_limit integer DEFAULT 1000)
RETURNS TABLE (batch_id uuid, tenant_id uuid, issuer_tax_id text, submissions uuid[], payload text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_first record;
  v_batch uuid := gen_random_uuid();
  v_ids uuid[];
  v_refs uuid[];
BEGIN
  IF p_authority IS NULL OR p_authority NOT IN ('AEAT', 'SRI') THEN
    RAISE EXCEPTION 'authority is AEAT or SRI' USING ERRCODE = '22023';
  END IF;
  IF p_authority = 'AEAT' THEN
    PERFORM fiscal.queue_records();
  END IF;
  SELECT s.tenant_id AS tenant, s.issuer_tax_id AS issuer INTO v_first FROM fiscal.submissions s
   WHERE s.state = 'pending' AND s.authority = p_authority
   ORDER BY s.created_at LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  WITH picked AS (
    SELECT s.tenant_id AS tenant, s.id AS sid FROM fiscal.submissions s
      LEFT JOIN fiscal.records r ON r.tenant_id = s.tenant_id AND r.id = s.record_id
     WHERE s.state = 'pending' AND s.authority = p_authority
       AND s.tenant_id = v_first.tenant AND s.issuer_tax_id = v_first.issuer
     ORDER BY r.position NULLS LAST, s.created_at
     LIMIT CASE p_authority WHEN 'SRI' THEN 1 ELSE LEAST(GREATEST(COALESCE(p_limit, 1000), 1), 1000) END
       FOR UPDATE OF s SKIP LOCKED),
  claimed AS (
    UPDATE fiscal.submissions s SET state = 'sent', attempts = s.attempts + 1, batch_id = v_batch, sent_at = now(),
           error_code = NULL, error_message = NULL
      FROM picked WHERE s.tenant_id = picked.tenant AND s.id = picked.sid
    RETURNING s.id AS sid, COALESCE(s.record_id, s.invoice_id) AS ref, s.created_at AS at)
  SELECT array_agg(c.sid ORDER BY r.position NULLS LAST, c.at), array_agg(c.ref ORDER BY r.position NULLS LAST, c.at) INTO v_ids, v_refs
    FROM claimed c LEFT JOIN fiscal.records r ON r.tenant_id = v_first.tenant AND r.id = c.ref;
  batch_id := v_batch;
  tenant_id := v_first.tenant;
  issuer_tax_id := v_first.issuer;
  submissions := v_ids;
  payload := CASE p_authority WHEN 'AEAT' THEN fiscal.verifactu_xml(v_first.tenant, v_refs)::text
                              ELSE fiscal.sri_xml(v_first.tenant, v_refs[1])::text END;
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION fiscal.claim_submissions(text, integer) IS 'For a sender: claims the oldest pending submissions of one tenant and issuer (AEAT: up to p_limit ≤ 1000 records in chain order; SRI: one comprobante), marks them sent in a new batch and returns the batch with its XML payload. Concurrent senders never claim the same rows (SKIP LOCKED). SECURITY DEFINER, cimiento_api only. VOLATILE.';
REVOKE ALL ON FUNCTION fiscal.claim_submissions(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.claim_submissions(text, integer) TO cimiento_api;

CREATE FUNCTION fiscal.answer_submissions(p_batch uuid, p_answers jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_count integer;
BEGIN
  IF jsonb_typeof(p_answers) IS DISTINCT FROM 'array' OR EXISTS (
       SELECT 1 FROM jsonb_array_elements(p_answers) a
        WHERE jsonb_typeof(a) <> 'object' OR NOT (a ? 'submission_id') OR (a ->> 'state') NOT IN ('accepted', 'rejected')
           OR ((a ->> 'state') = 'rejected') <> (a ? 'code')) THEN
    RAISE EXCEPTION 'answers are [{submission_id, state: accepted | rejected, code and message when rejected}]' USING ERRCODE = '22023';
  END IF;
  UPDATE fiscal.submissions s
     SET state = a ->> 'state', answered_at = now(),
         error_code = CASE WHEN a ->> 'state' = 'rejected' THEN left(a ->> 'code', 20) END,
         error_message = CASE WHEN a ->> 'state' = 'rejected' THEN left(a ->> 'message', 2000) END
    FROM jsonb_array_elements(p_answers) a
   WHERE s.batch_id = p_batch AND s.state = 'sent' AND s.id = (a ->> 'submission_id')::uuid;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END
$$;
COMMENT ON FUNCTION fiscal.answer_submissions(uuid, jsonb) IS 'For a sender: records the authority''s answer for submissions of a batch it sent — [{submission_id, state accepted | rejected, code, message}] (a rejection keeps the authority''s code and message); returns how many were answered (a submission not sent in that batch is left alone). 22023 for a malformed answer. SECURITY DEFINER, cimiento_api only. VOLATILE.';
REVOKE ALL ON FUNCTION fiscal.answer_submissions(uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.answer_submissions(uuid, jsonb) TO cimiento_api;

CREATE FUNCTION fiscal.requeue_submission(p_submission uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM cimiento.require_permission('fiscal.manage');
  UPDATE fiscal.submissions s SET state = 'pending', batch_id = NULL
   WHERE s.tenant_id = cimiento.current_tenant() AND s.id = p_submission
     AND (s.state = 'rejected' OR (s.state = 'sent' AND s.sent_at < now() - interval '15 minutes'));
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no rejected or unanswered submission %', p_submission USING ERRCODE = 'PT409',
      HINT = 'a submission is queued again once rejected, or 15 minutes after it was sent without answer';
  END IF;
END
$$;
COMMENT ON FUNCTION fiscal.requeue_submission(uuid) IS 'Queues a rejected submission (after its cause was fixed) or one sent 15 minutes ago without answer again, for a caller with fiscal.manage; PT409 otherwise. SECURITY DEFINER. VOLATILE.';
REVOKE ALL ON FUNCTION fiscal.requeue_submission(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fiscal.requeue_submission(uuid) TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions: what the PDF shows
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION fiscal.document_fiscal(p_tenant uuid, p_invoice uuid) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT COALESCE(
    (SELECT jsonb_build_object('country', 'ES', 'verifactu', true,
                               'qr_url', fiscal.qr_url(p.environment, r.issuer_tax_id, r.invoice_number, r.issue_date, r.total),
                               'legend', 'Factura verificable en la sede electrónica de la AEAT', 'huella', r.huella)
       FROM fiscal.records r
       CROSS JOIN LATERAL fiscal.profile_of(r.tenant_id, r.branch_id) p
      WHERE r.tenant_id = p_tenant AND r.invoice_id = p_invoice AND r.kind = 'alta'),
    (SELECT jsonb_build_object('country', 'EC', 'access_key', s.access_key,
                               'number', s.establishment || '-' || s.emission_point || '-' || s.sequential,
                               'environment', CASE s.environment WHEN 2 THEN 'PRODUCCIÓN' ELSE 'PRUEBAS' END)
       FROM fiscal.sri_documents s WHERE s.tenant_id = p_tenant AND s.invoice_id = p_invoice))
$$;
COMMENT ON FUNCTION fiscal.document_fiscal(uuid, uuid) IS 'The fiscal marks a document''s PDF carries: Spain — the QR''s AEAT cotejo URL and the legend (VERI*FACTU); Ecuador — the clave de acceso, the number estab-ptoEmi-secuencial and the ambiente; NULL without record. STABLE.';
GRANT EXECUTE ON FUNCTION fiscal.document_fiscal(uuid, uuid) TO app_user, analyst;

CREATE OR REPLACE FUNCTION billing.render_data(p_tenant uuid, p_invoice uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT jsonb_build_object(
           'tenant', jsonb_build_object('name', t.name, 'legal_name', coalesce(p.legal_name, t.legal_name, t.name),
                                        'tax_id', coalesce(p.tax_id, t.tax_id), 'address', coalesce(p.address, t.address),
                                        'locale', t.locale, 'currency', t.currency),
           'branch', jsonb_build_object('code', b.code, 'name', b.name, 'address', b.address, 'phone', b.phone),
           'document', billing.document_json(i.tenant_id, i.id),
           'corrects', (SELECT jsonb_build_object('number_display', o.number_display, 'issue_date', o.issue_date)
                          FROM billing.invoices o WHERE o.tenant_id = i.tenant_id AND o.id = i.corrects_invoice_id),
           'fiscal', fiscal.document_fiscal(i.tenant_id, i.id))
    FROM billing.invoices i
    JOIN core.tenants t ON t.id = i.tenant_id
    JOIN core.branches b ON b.tenant_id = i.tenant_id AND b.id = i.branch_id
    LEFT JOIN LATERAL fiscal.profile_of(i.tenant_id, i.branch_id) p ON true
   WHERE i.tenant_id = p_tenant AND i.id = p_invoice AND i.number IS NOT NULL
$$;
COMMENT ON FUNCTION billing.render_data(uuid, uuid) IS 'Everything an issued document''s PDF shows (issuer — the fiscal profile when there is one —, branch, document, corrected invoice, fiscal marks: VERI*FACTU QR and legend, or the SRI clave de acceso). SECURITY DEFINER, for cimiento_api after it checked the caller''s access.';

-- ---------------------------------------------------------------------------------------
-- The REST surface (api schema)
-- ---------------------------------------------------------------------------------------
CREATE DOMAIN api."text/xml" AS pg_catalog.xml;
COMMENT ON DOMAIN api."text/xml" IS 'Media type handler: a function returning it answers Accept: text/xml with the XML itself (PostgREST).';
GRANT USAGE ON DOMAIN api."text/xml" TO app_user, analyst;

CREATE VIEW api.fiscal_profiles WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, country, tax_id, legal_name, trade_name, address, environment, keeps_accounts, created_at
    FROM fiscal.profiles;
COMMENT ON VIEW api.fiscal_profiles IS 'Fiscal profiles (tenant-wide: branch_id null; or per branch): country ES | EC, NIF / RUC, legal name, address, environment test | production. Insert and update with fiscal.manage; country, tax id and branch never change.';
GRANT SELECT ON api.fiscal_profiles TO app_user;
GRANT INSERT (tenant_id, id, branch_id, country, tax_id, legal_name, trade_name, address, environment, keeps_accounts),
      UPDATE (legal_name, trade_name, address, environment, keeps_accounts) ON api.fiscal_profiles TO app_user;

CREATE VIEW api.fiscal_emission_points WITH (security_invoker = true) AS
  SELECT tenant_id, series_code, establishment, emission_point, address, created_at FROM fiscal.emission_points;
COMMENT ON VIEW api.fiscal_emission_points IS 'Ecuador: establecimiento and punto de emisión per series code (needed before issuing in an Ecuadorian series). Insert with fiscal.manage.';
GRANT SELECT ON api.fiscal_emission_points TO app_user;
GRANT INSERT (tenant_id, series_code, establishment, emission_point, address), UPDATE (address) ON api.fiscal_emission_points TO app_user;

CREATE VIEW api.fiscal_records WITH (security_invoker = true) AS
  SELECT r.tenant_id, r.id, r.invoice_id, r.branch_id, r.kind, r.issuer_tax_id, r.position, r.invoice_number, r.issue_date,
         r.invoice_type, r.correction_type, r.corrected, r.recipient, r.breakdown, r.tax_total, r.total,
         r.previous_record_id, r.previous_huella, r.generated_at_text AS generated_at, r.huella, r.reason,
         COALESCE(s.state, 'pending') AS submission_state, s.error_code AS submission_error_code,
         s.error_message AS submission_error_message
    FROM fiscal.records r
    LEFT JOIN fiscal.submissions s ON s.tenant_id = r.tenant_id AND s.record_id = r.id;
COMMENT ON VIEW api.fiscal_records IS 'VERI*FACTU records (alta / anulacion) with their chain position, previous huella, huella and where their submission stands. Filter by invoice_id for one invoice''s records. Read with fiscal.read or the invoice permissions.';
GRANT SELECT ON api.fiscal_records TO app_user;

CREATE VIEW api.fiscal_chains WITH (security_invoker = true) AS
  SELECT c.tenant_id, c.issuer_tax_id, COALESCE(h.position, 0) AS records, h.id AS last_record_id, h.huella AS last_huella,
         h.generated_at AS updated_at
    FROM fiscal.chains c
    LEFT JOIN LATERAL (SELECT r.position, r.id, r.huella, r.generated_at FROM fiscal.records r
                        WHERE r.tenant_id = c.tenant_id AND r.issuer_tax_id = c.issuer_tax_id
                        ORDER BY r.position DESC LIMIT 1) h ON true;
COMMENT ON VIEW api.fiscal_chains IS 'One VERI*FACTU chain per issuer NIF: how many records and the last huella. /rpc/verify_fiscal_chain checks them. fiscal.read.';
GRANT SELECT ON api.fiscal_chains TO app_user;

CREATE VIEW api.sri_documents WITH (security_invoker = true) AS
  SELECT d.tenant_id, d.invoice_id, d.branch_id, d.access_key, d.document_code, d.ruc, d.environment, d.establishment,
         d.emission_point, d.sequential, s.state AS submission_state, s.error_code AS submission_error_code
    FROM fiscal.sri_documents d
    LEFT JOIN fiscal.submissions s ON s.tenant_id = d.tenant_id AND s.invoice_id = d.invoice_id AND s.authority = 'SRI';
COMMENT ON VIEW api.sri_documents IS 'Ecuadorian documents: clave de acceso, establecimiento, punto de emisión, secuencial, and where their submission stands. Read with fiscal.read or the invoice permissions.';
GRANT SELECT ON api.sri_documents TO app_user;

CREATE VIEW api.fiscal_submissions WITH (security_invoker = true) AS
  SELECT tenant_id, id, authority, record_id, invoice_id, issuer_tax_id, state, attempts, batch_id, sent_at, answered_at,
         error_code, error_message, created_at
    FROM fiscal.submissions;
COMMENT ON VIEW api.fiscal_submissions IS 'The send queue: pending → sent → accepted | rejected (with the authority''s code and message). fiscal.read; /rpc/requeue_fiscal_submission with fiscal.manage.';
GRANT SELECT ON api.fiscal_submissions TO app_user;

CREATE FUNCTION api.verify_fiscal_chain()
RETURNS TABLE (issuer_tax_id text, ok boolean, records bigint, broken_position bigint, invoice_number text, field text, problem text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT * FROM fiscal.verify_chain(cimiento.current_tenant())
$$;
COMMENT ON FUNCTION api.verify_fiscal_chain() IS 'GET /rpc/verify_fiscal_chain: the state of each VERI*FACTU chain of the caller''s tenant (fiscal.verify_chain): ok, records, and the first break (position, invoice, field, problem). STABLE.';
GRANT EXECUTE ON FUNCTION api.verify_fiscal_chain() TO app_user;

CREATE FUNCTION api.fiscal_xml(invoice_id uuid) RETURNS api."text/xml"
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_records uuid[];
BEGIN
  SELECT array_agg(r.id ORDER BY r.position) INTO v_records
    FROM fiscal.records r WHERE r.tenant_id = cimiento.current_tenant() AND r.invoice_id = fiscal_xml.invoice_id;
  IF v_records IS NOT NULL THEN
    RETURN fiscal.verifactu_xml(cimiento.current_tenant(), v_records);
  END IF;
  RETURN fiscal.sri_xml(cimiento.current_tenant(), fiscal_xml.invoice_id);
END
$$;
COMMENT ON FUNCTION api.fiscal_xml(uuid) IS 'GET /rpc/fiscal_xml?invoice_id=… with Accept: text/xml: a Spanish invoice''s records as RegFactuSistemaFacturacion, or an Ecuadorian document''s comprobante; PT404 (HTTP 404) when it has neither or the caller cannot see it. STABLE.';
GRANT EXECUTE ON FUNCTION api.fiscal_xml(uuid) TO app_user;

CREATE FUNCTION api.annul_invoice(invoice_id uuid, reason text) RETURNS SETOF api.fiscal_records
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r fiscal.records;
BEGIN
  r := fiscal.annul_invoice(annul_invoice.invoice_id, annul_invoice.reason);
  RETURN QUERY SELECT * FROM api.fiscal_records v WHERE v.tenant_id = r.tenant_id AND v.id = r.id;
END
$$;
COMMENT ON FUNCTION api.annul_invoice(uuid, text) IS 'POST /rpc/annul_invoice {invoice_id, reason}: cancels a wrongly issued Spanish invoice with a registro de anulación (fiscal.annul_invoice) and returns it. 400 without reason, 404 unknown, 409 already cancelled or credited. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.annul_invoice(uuid, text) TO app_user;

CREATE FUNCTION api.requeue_fiscal_submission(submission_id uuid) RETURNS void
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  SELECT fiscal.requeue_submission(submission_id)
$$;
COMMENT ON FUNCTION api.requeue_fiscal_submission(uuid) IS 'POST /rpc/requeue_fiscal_submission {submission_id}: queues a rejected (or long unanswered) submission again (fiscal.manage). VOLATILE.';
GRANT EXECUTE ON FUNCTION api.requeue_fiscal_submission(uuid) TO app_user;

CREATE OR REPLACE FUNCTION core.domain_schemas() RETURNS name[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ARRAY['core', 'academy', 'billing', 'commerce', 'insurance', 'imports', 'fiscal']::name[] $$;
COMMENT ON FUNCTION core.domain_schemas() IS 'The schemas that hold tenant data (tables isolated by tenant with forced RLS and audited): the one list tests and checks walk. Business migrations replace it with the longer list. IMMUTABLE, PARALLEL SAFE.';
