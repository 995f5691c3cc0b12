-- 0040: insurance — an auto-insurance agency: clients, coverages with a price per payment
-- plan, policies (gapless numbers per series, instalments generated on issue), payments
-- against instalments (reversals as entries), pre-printed receipts assigned to collectors,
-- collection proposals a manager approves, the nightly status job and the agency's roles.
--
-- Rules that live here, for every path (REST, RPC, psql):
--  - a client's RFC is a valid Mexican tax id (check character verified) and unique;
--  - issuing a policy (quote → active) numbers it gaplessly in its series and writes its
--    instalments: due dates from the plan, amounts summing exactly to prima_total (the
--    rounding on the last one);
--  - a payment never exceeds what its instalment still owes, is never dated in the future
--    nor more than 8 months back, is never changed or deleted: a reversal is a new entry
--    (payments.revert, a reason) and the instalment and the policy's state follow in the
--    same transaction;
--  - a policy moves only along its workflow: quote → active ⇄ overdue → suspended →
--    cancelled; active → expired → renewed (what moves it: payments, the nightly job, or a
--    caller holding the transition's permission in the policy's branch);
--  - a collector holds at most receipts_per_collector receipts (tenant setting, 50) at once;
--    a receipt goes assigned → used → verified, or lost / cancelled with a reason;
--  - approving a proposal writes its payment and uses its receipt in one transaction; two
--    approvals of one proposal make exactly one payment;
--  - sellers see only their own policies, collectors only their own proposals, receipts and
--    collections (the *_read_own scopes).
-- Money is numeric(14,2); dates are the tenant's local dates (core.local_today).

CREATE SCHEMA insurance;
COMMENT ON SCHEMA insurance IS 'Clients, coverages, policies, instalments, payments (reversals as entries), receipts, collection proposals.';

-- ---------------------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------------------
INSERT INTO core.permissions (code, description) VALUES
  ('clients.read',         'See the agency''s clients and search them'),
  ('clients.create',       'Register new clients'),
  ('clients.manage',       'Change and delete clients'),
  ('coverages.read',       'See the coverages and their prices'),
  ('coverages.manage',     'Change the coverage catalog and its prices'),
  ('policies.read',        'See every policy of the branch'),
  ('policies.read_own',    'See the policies one sold'),
  ('policies.create',      'Quote policies'),
  ('policies.issue',       'Issue a quoted policy (numbers it, writes its instalments)'),
  ('policies.cancel',      'Cancel a policy with a reason'),
  ('policies.renew',       'Renew an expired policy'),
  ('policies.status',      'Move policies along with time (overdue, suspended, expired): the nightly job'),
  ('payments.revert',      'Reverse a payment with a reversing entry and a reason'),
  ('receipts.read',        'See every pre-printed receipt of the branch'),
  ('receipts.read_own',    'See the receipts assigned to oneself'),
  ('receipts.manage',      'Register receipt lots, assign receipts to collectors, mark them lost or cancelled'),
  ('receipts.verify',      'Verify used receipts (the collector handed in the cash)'),
  ('proposals.read',       'See every collection proposal of the branch'),
  ('proposals.read_own',   'See the collection proposals one filed'),
  ('proposals.create',     'File collection proposals from the field'),
  ('proposals.review',     'Take a proposal under review'),
  ('proposals.approve',    'Approve a collection proposal (applies its payment)'),
  ('proposals.reject',     'Reject a collection proposal with a reason'),
  ('collections.read_own', 'See the payments one collected');

-- How a policy is paid: one definition of every plan (instalments and months between them).
CREATE TABLE insurance.payment_plans (
  code           text PRIMARY KEY CONSTRAINT payment_plans_code CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  instalments    smallint NOT NULL CONSTRAINT payment_plans_instalments CHECK (instalments BETWEEN 1 AND 60),
  months_between smallint NOT NULL CONSTRAINT payment_plans_months CHECK (months_between BETWEEN 0 AND 12),
  description    text NOT NULL
);
COMMENT ON TABLE insurance.payment_plans IS 'Payment plans of policies (reference data, every tenant): how many instalments and how many months apart; the first falls due on the policy''s start.';
INSERT INTO insurance.payment_plans (code, instalments, months_between, description) VALUES
  ('cash',                1, 0, 'One payment on the start date'),
  ('cash_2_installments', 2, 6, 'Two payments: on the start date and six months later'),
  ('monthly_7',           7, 1, 'Seven monthly payments from the start date');
GRANT SELECT ON insurance.payment_plans TO app_user, analyst, cimiento_jobs;

-- The agency's roles, seeded per tenant by insurance.setup_agency (admin is built in: *).
CREATE TABLE insurance.agency_roles (
  role_name   text NOT NULL,
  permission  text NOT NULL,
  description text NOT NULL,
  PRIMARY KEY (role_name, permission)
);
COMMENT ON TABLE insurance.agency_roles IS 'The roles an agency tenant starts with and their permissions (reference data): gerente (manager), auxiliar (office clerk; its permissions are the tenant''s to change), cobrador (collector), vendedor (seller, also collects), ajustador (adjuster). insurance.setup_agency copies them into a tenant.';
INSERT INTO insurance.agency_roles (role_name, permission, description)
SELECT r, p, d FROM (VALUES
  ('gerente',   'Gerente: dirige la agencia (todo salvo usuarios y configuración)',
     ARRAY['clients.*', 'coverages.*', 'policies.*', 'payments.*', 'receipts.*', 'proposals.*', 'jobs.read', 'users.read', 'audit.read', 'reports.read']),
  ('auxiliar',  'Auxiliar de oficina (configurable)',
     ARRAY['clients.read', 'clients.create', 'coverages.read', 'policies.read', 'policies.create', 'policies.issue', 'payments.read',
           'payments.create', 'receipts.read', 'proposals.read']),
  ('cobrador',  'Cobrador de campo',
     ARRAY['clients.read', 'coverages.read', 'policies.read', 'proposals.create', 'proposals.read_own', 'receipts.read_own',
           'collections.read_own']),
  ('vendedor',  'Vendedor (también cobra)',
     ARRAY['clients.read', 'clients.create', 'coverages.read', 'policies.read_own', 'policies.create', 'policies.issue',
           'proposals.create', 'proposals.read_own', 'receipts.read_own', 'collections.read_own']),
  ('ajustador', 'Ajustador de siniestros',
     ARRAY['clients.read', 'coverages.read', 'policies.read'])
) AS x(r, d, perms), unnest(x.perms) AS p;
GRANT SELECT ON insurance.agency_roles TO app_user;

-- ---------------------------------------------------------------------------------------
-- Shared helpers (core): the tenant's local date and its settings
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION core.local_day(p_tenant uuid, p_at timestamptz) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT (p_at AT TIME ZONE coalesce((SELECT t.timezone FROM core.tenants t WHERE t.id = p_tenant), 'UTC'))::date
$$;
COMMENT ON FUNCTION core.local_day(uuid, timestamptz) IS 'The date of a moment in the tenant''s time zone (core.tenants.timezone; UTC for an unknown tenant). SECURITY DEFINER (reads only the time zone, for every role, jobs included). STABLE, PARALLEL SAFE.';
REVOKE ALL ON FUNCTION core.local_day(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.local_day(uuid, timestamptz) TO app_user, analyst, cimiento_jobs;

CREATE FUNCTION core.local_today(p_tenant uuid) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT core.local_day(p_tenant, now())
$$;
COMMENT ON FUNCTION core.local_today(uuid) IS 'Today in the tenant''s time zone (core.local_day of now()). STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.local_today(uuid) TO app_user, analyst, cimiento_jobs;

-- Commerce's helpers now say the same thing through core (one definition of a local day).
CREATE OR REPLACE FUNCTION commerce.local_day(p_tenant uuid, p_at timestamptz) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT core.local_day(p_tenant, p_at)
$$;
CREATE OR REPLACE FUNCTION commerce.local_today(p_tenant uuid) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT core.local_day(p_tenant, now())
$$;
COMMENT ON FUNCTION commerce.local_day(uuid, timestamptz) IS 'The date of a moment in the tenant''s time zone (core.local_day). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION commerce.local_today(uuid) IS 'Today in the tenant''s time zone (core.local_today). STABLE, PARALLEL SAFE.';

CREATE FUNCTION core.tenant_setting(p_key text) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT t.settings -> p_key FROM core.tenants t WHERE t.id = cimiento.current_tenant()
$$;
REVOKE ALL ON FUNCTION core.tenant_setting(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.tenant_setting(text) TO app_user, cimiento_jobs;
COMMENT ON FUNCTION core.tenant_setting(text) IS 'One setting of the caller''s tenant (core.tenants.settings -> key), NULL when unset: for rules whose limit a tenant configures (receipts_per_collector, suspend_after_days). SECURITY DEFINER (tenants are not readable by every role). STABLE.';

-- ---------------------------------------------------------------------------------------
-- Mexican tax ids (RFC), next to the Spanish and Ecuadorian ones
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION core.mexican_tax_id_kind(p_id text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_alphabet constant text := '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';
  v_base text;
  v_sum int := 0;
  v_pos int;
  v_rest int;
  v_check text;
BEGIN
  IF p_id IS NULL OR p_id !~ '^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{2}[0-9A]$' THEN
    RETURN NULL;
  END IF;
  -- The generic RFCs of the public and of foreigners carry no computed check character.
  IF p_id IN ('XAXX010101000', 'XEXX010101000') THEN
    RETURN 'generic';
  END IF;
  -- The six digits after the letters are a date (YYMMDD).
  IF to_char(to_date(substr(p_id, length(p_id) - 8, 6), 'YYMMDD'), 'YYMMDD') IS DISTINCT FROM substr(p_id, length(p_id) - 8, 6) THEN
    RETURN NULL;
  END IF;
  v_base := lpad(left(p_id, length(p_id) - 1), 12, ' ');
  FOR i IN 1..12 LOOP
    v_pos := strpos(v_alphabet, substr(v_base, i, 1)) - 1;
    v_sum := v_sum + v_pos * (14 - i);
  END LOOP;
  v_rest := v_sum % 11;
  v_check := CASE WHEN v_rest = 0 THEN '0' WHEN v_rest = 1 THEN 'A' ELSE (11 - v_rest)::text END;
  IF right(p_id, 1) <> v_check THEN
    RETURN NULL;
  END IF;
  RETURN CASE length(p_id) WHEN 13 THEN 'persona_fisica' ELSE 'persona_moral' END;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION core.mexican_tax_id_kind(text) IS 'Kind of a normalized Mexican RFC — persona_fisica (13 characters), persona_moral (12) or generic (XAXX010101000, XEXX010101000) — or NULL when it is malformed, its date (YYMMDD) does not exist or its check character (módulo 11 over the SAT alphabet) is wrong. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.mexican_tax_id_kind(text) TO app_user, analyst;

CREATE OR REPLACE FUNCTION core.tax_id_kind(p_country text, p_tax_id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE upper(p_country)
           WHEN 'ES' THEN core.spanish_tax_id_kind(core.normalize_tax_id(p_tax_id))
           WHEN 'EC' THEN core.ecuadorian_tax_id_kind(core.normalize_tax_id(p_tax_id))
           WHEN 'MX' THEN core.mexican_tax_id_kind(core.normalize_tax_id(p_tax_id))
         END
$$;
COMMENT ON FUNCTION core.tax_id_kind(text, text) IS 'Kind of a tax id for its country (ES: nif, nie, cif; EC: cedula, ruc; MX: persona_fisica, persona_moral, generic), NULL when invalid. IMMUTABLE, PARALLEL SAFE.';

CREATE OR REPLACE FUNCTION core.check_tax_id(p_country text, p_tax_id text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_kind text;
BEGIN
  IF p_country IS NULL OR upper(p_country) NOT IN ('ES', 'EC', 'MX') THEN
    RAISE EXCEPTION 'tax_id_country must be ES, EC or MX, not %', coalesce(p_country, 'NULL') USING ERRCODE = '22023';
  END IF;
  v_kind := core.tax_id_kind(p_country, p_tax_id);
  IF v_kind IS NULL THEN
    RAISE EXCEPTION 'tax_id is not a valid % identifier',
      CASE upper(p_country) WHEN 'ES' THEN 'Spanish' WHEN 'EC' THEN 'Ecuadorian' ELSE 'Mexican' END
      USING ERRCODE = '22023',
            HINT = CASE upper(p_country)
                     WHEN 'ES' THEN 'a NIF (12345678Z), NIE (X1234567L) or CIF (B12345674) with its check character'
                     WHEN 'EC' THEN 'a cédula (10 digits) or RUC (13 digits) with its check digit'
                     ELSE 'an RFC: 4 letters (3 for a company), the date YYMMDD, the homoclave and its check character (GODE561231GR8)' END;
  END IF;
  RETURN v_kind;
END
$$;
COMMENT ON FUNCTION core.check_tax_id(text, text) IS 'Kind of a valid tax id (see core.tax_id_kind); raises 22023 (HTTP 400) naming the country and the expected form when it is not valid. IMMUTABLE, PARALLEL SAFE.';

-- ---------------------------------------------------------------------------------------
-- Search keys (pg_trgm + unaccent, installed by bootstrap.sql in public)
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION insurance.search_key(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT lower(public.unaccent('public.unaccent'::regdictionary, p_text))
$$;
COMMENT ON FUNCTION insurance.search_key(text) IS 'The form text is searched in: lower case without accents (unaccent with its fixed dictionary, hence IMMUTABLE). IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION insurance.search_key(text) TO app_user, analyst;

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE insurance.clients (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant() REFERENCES core.tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  name        text NOT NULL CONSTRAINT clients_name CHECK (length(btrim(name)) BETWEEN 2 AND 200),
  rfc         text CONSTRAINT clients_rfc_length CHECK (rfc IS NULL OR length(rfc) BETWEEN 12 AND 13),
  phone       text CONSTRAINT clients_phone CHECK (phone IS NULL OR phone ~ '^\+?[0-9 ()-]{7,20}$'),
  email       text CONSTRAINT clients_email CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  address     text CONSTRAINT clients_address CHECK (address IS NULL OR length(address) <= 500),
  seller_id   uuid,
  search_text text GENERATED ALWAYS AS (insurance.search_key(name || ' ' || coalesce(rfc, '') || ' ' || coalesce(phone, ''))) STORED,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  uuid DEFAULT cimiento.current_user_id(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT clients_rfc_unique UNIQUE (tenant_id, rfc),
  FOREIGN KEY (tenant_id, seller_id) REFERENCES core.users (tenant_id, id)
);
COMMENT ON TABLE insurance.clients IS 'Clients of the agency (every branch): name, RFC (Mexican tax id, check character verified, stored normalized, unique), phone, e-mail, address and the seller assigned to them. Everyone in the agency reads them; sellers and clerks register them; only admin and gerente change or delete them. Search with api.search_clients.';
CREATE INDEX clients_search_idx ON insurance.clients USING gin (search_text public.gin_trgm_ops);
CREATE INDEX clients_seller_idx ON insurance.clients (tenant_id, seller_id) WHERE seller_id IS NOT NULL;

CREATE TABLE insurance.coverages (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant() REFERENCES core.tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  code        text NOT NULL CONSTRAINT coverages_code CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
  name        text NOT NULL CONSTRAINT coverages_name CHECK (length(btrim(name)) BETWEEN 2 AND 200),
  description text,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT coverages_code_unique UNIQUE (tenant_id, code)
);
COMMENT ON TABLE insurance.coverages IS 'The coverages the agency sells (amplia, limitada, responsabilidad civil…); their prices per payment plan are in coverage_prices.';

CREATE TABLE insurance.coverage_prices (
  tenant_id    uuid NOT NULL DEFAULT cimiento.current_tenant(),
  coverage_id  uuid NOT NULL,
  payment_plan text NOT NULL REFERENCES insurance.payment_plans (code),
  price        numeric(14,2) NOT NULL CONSTRAINT coverage_prices_price CHECK (price >= 1),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, coverage_id, payment_plan),
  FOREIGN KEY (tenant_id, coverage_id) REFERENCES insurance.coverages (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE insurance.coverage_prices IS 'The yearly premium (prima total) of a coverage under each payment plan; a new policy takes it unless it names its own. Price changes are in the audit trail.';

CREATE TABLE insurance.policy_series (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant() REFERENCES core.tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  code        text NOT NULL CONSTRAINT policy_series_code CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,15}$'),
  format      text NOT NULL DEFAULT '{code}-{number:06}' CONSTRAINT policy_series_format CHECK (format ~ '\{number(:0[0-9]+)?\}'),
  next_number bigint NOT NULL DEFAULT 1 CONSTRAINT policy_series_next_number CHECK (next_number >= 1),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT policy_series_code_unique UNIQUE (tenant_id, code)
);
COMMENT ON TABLE insurance.policy_series IS 'Series of policy numbers: each issued policy takes the next number of its series gaplessly (cimiento.enable_numbering); series POL opens itself with format POL-000001.';

CREATE TABLE insurance.policies (
  tenant_id      uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id      uuid NOT NULL,
  series_code    text NOT NULL DEFAULT 'POL',
  series_id      uuid,
  number         bigint,
  number_display text,
  client_id      uuid NOT NULL,
  coverage_id    uuid NOT NULL,
  seller_id      uuid NOT NULL DEFAULT cimiento.current_user_id(),
  vehicle_make   text NOT NULL CONSTRAINT policies_make CHECK (length(btrim(vehicle_make)) BETWEEN 1 AND 60),
  vehicle_model  text NOT NULL CONSTRAINT policies_model CHECK (length(btrim(vehicle_model)) BETWEEN 1 AND 60),
  vehicle_year   smallint NOT NULL CONSTRAINT policies_year CHECK (vehicle_year BETWEEN 1950 AND 2100),
  vin            text NOT NULL CONSTRAINT policies_vin CHECK (vin ~ '^[A-HJ-NPR-Z0-9]{17}$'),
  plates         text CONSTRAINT policies_plates CHECK (plates IS NULL OR plates ~ '^[A-Z0-9-]{5,10}$'),
  prima_total    numeric(14,2) NOT NULL CONSTRAINT policies_prima CHECK (prima_total >= 1),
  payment_plan   text NOT NULL REFERENCES insurance.payment_plans (code),
  starts_on      date NOT NULL,
  ends_on        date NOT NULL,
  status         text NOT NULL DEFAULT 'quote'
                 CONSTRAINT policies_status CHECK (status IN ('quote', 'active', 'overdue', 'suspended', 'cancelled', 'expired', 'renewed')),
  issued_at      timestamptz,
  renewed_from   uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT policies_dates CHECK (ends_on > starts_on),
  CONSTRAINT policies_number_unique UNIQUE (tenant_id, series_id, number),
  CONSTRAINT policies_renewed_once UNIQUE (tenant_id, renewed_from),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id),
  FOREIGN KEY (tenant_id, client_id) REFERENCES insurance.clients (tenant_id, id),
  FOREIGN KEY (tenant_id, coverage_id) REFERENCES insurance.coverages (tenant_id, id),
  FOREIGN KEY (tenant_id, seller_id) REFERENCES core.users (tenant_id, id),
  FOREIGN KEY (tenant_id, series_id) REFERENCES insurance.policy_series (tenant_id, id),
  FOREIGN KEY (tenant_id, renewed_from) REFERENCES insurance.policies (tenant_id, id)
);
COMMENT ON TABLE insurance.policies IS 'Auto policies: client, vehicle (make, model, year, VIN, plates), coverage, seller, prima_total and payment plan, start and end. status follows the workflow quote → active ⇄ overdue → suspended → cancelled; active → expired → renewed. Issuing numbers it gaplessly in its series (number_display) and writes its instalments. Sellers see only the policies they sold (policies.read_own).';
CREATE INDEX policies_client_idx ON insurance.policies (tenant_id, client_id);
CREATE INDEX policies_seller_idx ON insurance.policies (tenant_id, seller_id);
CREATE INDEX policies_status_idx ON insurance.policies (tenant_id, status, ends_on);

CREATE TABLE insurance.instalments (
  tenant_id  uuid NOT NULL DEFAULT cimiento.current_tenant(),
  policy_id  uuid NOT NULL,
  no         smallint NOT NULL CONSTRAINT instalments_no CHECK (no >= 1),
  branch_id  uuid NOT NULL,
  due_on     date NOT NULL,
  amount     numeric(14,2) NOT NULL CONSTRAINT instalments_amount CHECK (amount > 0),
  paid       numeric(14,2) NOT NULL DEFAULT 0 CONSTRAINT instalments_paid CHECK (paid >= 0 AND paid <= amount),
  status     text NOT NULL DEFAULT 'pending' CONSTRAINT instalments_status CHECK (status IN ('pending', 'partial', 'paid', 'overdue')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, policy_id, no),
  FOREIGN KEY (tenant_id, policy_id) REFERENCES insurance.policies (tenant_id, id)
);
COMMENT ON TABLE insurance.instalments IS 'What a policy is paid in: written when it is issued (due dates from its plan, amounts summing exactly to prima_total, rounding on the last), paid and status kept by its payments and the nightly job (pending, partial, paid, overdue = unpaid after its due date). Nobody writes them directly. Visible with the policy.';
CREATE INDEX instalments_due_idx ON insurance.instalments (tenant_id, due_on) WHERE status <> 'paid';

CREATE TABLE insurance.receipt_lots (
  tenant_id  uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id  uuid NOT NULL,
  prefix     text NOT NULL DEFAULT 'R' CONSTRAINT receipt_lots_prefix CHECK (prefix ~ '^[A-Z]{1,4}$'),
  first_no   integer NOT NULL CONSTRAINT receipt_lots_first CHECK (first_no >= 1),
  last_no    integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid DEFAULT cimiento.current_user_id(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT receipt_lots_range CHECK (last_no >= first_no AND last_no - first_no < 10000),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id)
);
COMMENT ON TABLE insurance.receipt_lots IS 'A lot of pre-printed receipts of a branch: prefix and number range (at most 10 000); registering it creates its receipts, available to be assigned.';

CREATE TABLE insurance.receipts (
  tenant_id    uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id    uuid NOT NULL,
  lot_id       uuid NOT NULL,
  number       text NOT NULL,
  collector_id uuid,
  status       text NOT NULL DEFAULT 'available'
               CONSTRAINT receipts_status CHECK (status IN ('available', 'assigned', 'used', 'verified', 'lost', 'cancelled')),
  reason       text,
  assigned_at  timestamptz,
  used_at      timestamptz,
  verified_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT receipts_number_unique UNIQUE (tenant_id, number),
  CONSTRAINT receipts_holder CHECK (status IN ('available', 'cancelled') OR collector_id IS NOT NULL),
  FOREIGN KEY (tenant_id, lot_id) REFERENCES insurance.receipt_lots (tenant_id, id),
  FOREIGN KEY (tenant_id, collector_id) REFERENCES core.users (tenant_id, id),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id)
);
COMMENT ON TABLE insurance.receipts IS 'Pre-printed receipts: available → assigned (to a collector, at most receipts_per_collector at once, default 50) → used (by an approved collection) → verified (cash handed in), or lost / cancelled with a reason. Collectors see only their own (receipts.read_own).';
CREATE INDEX receipts_collector_idx ON insurance.receipts (tenant_id, collector_id, status);

CREATE TABLE insurance.collection_proposals (
  tenant_id     uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id     uuid NOT NULL,
  collector_id  uuid NOT NULL DEFAULT cimiento.current_user_id(),
  policy_id     uuid NOT NULL,
  instalment_no smallint NOT NULL,
  amount        numeric(14,2) NOT NULL CONSTRAINT proposals_amount CHECK (amount > 0),
  method        text NOT NULL,
  receipt_id    uuid NOT NULL,
  latitude      numeric(9,6) CONSTRAINT proposals_latitude CHECK (latitude BETWEEN -90 AND 90),
  longitude     numeric(9,6) CONSTRAINT proposals_longitude CHECK (longitude BETWEEN -180 AND 180),
  photo_ref     text CONSTRAINT proposals_photo CHECK (photo_ref IS NULL OR length(photo_ref) <= 500),
  collected_at  timestamptz NOT NULL DEFAULT now(),
  status        text NOT NULL DEFAULT 'pending'
                CONSTRAINT proposals_status CHECK (status IN ('pending', 'under_review', 'approved', 'rejected')),
  decided_by    uuid,
  decided_at    timestamptz,
  decision_reason text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT proposals_point CHECK ((latitude IS NULL) = (longitude IS NULL)),
  FOREIGN KEY (tenant_id, policy_id, instalment_no) REFERENCES insurance.instalments (tenant_id, policy_id, no),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES insurance.receipts (tenant_id, id),
  FOREIGN KEY (tenant_id, collector_id) REFERENCES core.users (tenant_id, id)
);
COMMENT ON TABLE insurance.collection_proposals IS 'A collection recorded in the field: policy, instalment, amount, method, the receipt handed over, GPS point and photo reference. pending → under_review → approved (its payment applied and its receipt used, one transaction) or rejected (reason required). Collectors see only their own (proposals.read_own).';
CREATE UNIQUE INDEX proposals_receipt_once_idx ON insurance.collection_proposals (tenant_id, receipt_id) WHERE status <> 'rejected';
CREATE INDEX proposals_collector_idx ON insurance.collection_proposals (tenant_id, collector_id, status);

CREATE TABLE insurance.payments (
  tenant_id     uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id     uuid NOT NULL,
  policy_id     uuid NOT NULL,
  instalment_no smallint NOT NULL,
  amount        numeric(14,2) NOT NULL CONSTRAINT payments_amount CHECK (amount <> 0),
  method        text NOT NULL CONSTRAINT payments_method
                CHECK (method IN ('cash', 'deposit', 'transfer', 'crucero', 'konfio', 'terminal_banorte')),
  paid_on       date NOT NULL,
  collector_id  uuid DEFAULT cimiento.current_user_id(),
  receipt_id    uuid,
  proposal_id   uuid,
  reverses_id   uuid,
  reason        text,
  reference     text CONSTRAINT payments_reference CHECK (reference IS NULL OR length(reference) <= 100),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid DEFAULT cimiento.current_user_id(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT payments_reversal_shape CHECK ((reverses_id IS NULL) = (amount > 0)),
  CONSTRAINT payments_reverse_once UNIQUE (tenant_id, reverses_id),
  FOREIGN KEY (tenant_id, policy_id, instalment_no) REFERENCES insurance.instalments (tenant_id, policy_id, no),
  FOREIGN KEY (tenant_id, reverses_id) REFERENCES insurance.payments (tenant_id, id),
  FOREIGN KEY (tenant_id, proposal_id) REFERENCES insurance.collection_proposals (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES insurance.receipts (tenant_id, id),
  FOREIGN KEY (tenant_id, collector_id) REFERENCES core.users (tenant_id, id)
);
COMMENT ON TABLE insurance.payments IS 'Payments against instalments, append-only: partial payments allowed, never more than the instalment still owes, dated today or up to 8 months back. A reversal (payments.revert) is a new entry with the negative amount, reverses_id and a reason; the instalment and the policy''s state follow in the same transaction. collector_id: who collected it (collections.read_own sees one''s own).';
CREATE UNIQUE INDEX payments_proposal_once_idx ON insurance.payments (tenant_id, proposal_id) WHERE proposal_id IS NOT NULL AND amount > 0;
CREATE UNIQUE INDEX payments_receipt_once_idx ON insurance.payments (tenant_id, receipt_id) WHERE receipt_id IS NOT NULL AND amount > 0;
CREATE INDEX payments_policy_idx ON insurance.payments (tenant_id, policy_id, instalment_no);
CREATE INDEX payments_collector_idx ON insurance.payments (tenant_id, collector_id, paid_on);

-- ---------------------------------------------------------------------------------------
-- Isolation: tenant (and branch), then permissions and owner scopes
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('insurance.clients');
SELECT cimiento.enable_tenant_isolation('insurance.coverages');
SELECT cimiento.enable_tenant_isolation('insurance.coverage_prices');
SELECT cimiento.enable_tenant_isolation('insurance.policy_series');
SELECT cimiento.enable_tenant_isolation('insurance.policies', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('insurance.instalments', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('insurance.receipt_lots', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('insurance.receipts', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('insurance.collection_proposals', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('insurance.payments', branch_scoped => true);

SELECT cimiento.enable_permission_policy('insurance.clients', 'select', '{clients.read,clients.create,clients.manage}');
SELECT cimiento.enable_permission_policy('insurance.clients', 'insert', '{clients.create,clients.manage}');
SELECT cimiento.enable_permission_policy('insurance.clients', 'update', '{clients.manage}');
SELECT cimiento.enable_permission_policy('insurance.clients', 'delete', '{clients.manage}');
SELECT cimiento.enable_permission_policy('insurance.coverages', 'select', '{coverages.read,coverages.manage,policies.create}');
SELECT cimiento.enable_permission_policy('insurance.coverages', 'insert', '{coverages.manage}');
SELECT cimiento.enable_permission_policy('insurance.coverages', 'update', '{coverages.manage}');
SELECT cimiento.enable_permission_policy('insurance.coverage_prices', 'select', '{coverages.read,coverages.manage,policies.create}');
SELECT cimiento.enable_permission_policy('insurance.coverage_prices', 'insert', '{coverages.manage}');
SELECT cimiento.enable_permission_policy('insurance.coverage_prices', 'update', '{coverages.manage}');
SELECT cimiento.enable_permission_policy('insurance.coverage_prices', 'delete', '{coverages.manage}');
SELECT cimiento.enable_permission_policy('insurance.policy_series', 'select', '{policies.read,policies.read_own,policies.create}');
SELECT cimiento.enable_permission_policy('insurance.policy_series', 'insert', '{policies.issue}');
SELECT cimiento.enable_owner_scope('insurance.policies', 'seller_id', 'policies.read', 'policies.read_own', '{select}');
SELECT cimiento.enable_permission_policy('insurance.policies', 'insert', '{policies.create}');
SELECT cimiento.enable_permission_policy('insurance.policies', 'update',
  '{policies.issue,policies.cancel,policies.renew,policies.status,payments.create,payments.revert,proposals.approve}');
SELECT cimiento.enable_permission_policy('insurance.instalments', 'select',
  '{policies.read,policies.read_own,payments.read,proposals.create,policies.status}');
SELECT cimiento.enable_permission_policy('insurance.instalments', 'update', '{policies.status}');
SELECT cimiento.enable_permission_policy('insurance.receipt_lots', 'select', '{receipts.read,receipts.manage}');
SELECT cimiento.enable_permission_policy('insurance.receipt_lots', 'insert', '{receipts.manage}');
SELECT cimiento.enable_owner_scope('insurance.receipts', 'collector_id', 'receipts.read', 'receipts.read_own', '{select}');
SELECT cimiento.enable_permission_policy('insurance.receipts', 'update', '{receipts.manage,receipts.verify,proposals.approve,payments.create}');
SELECT cimiento.enable_owner_scope('insurance.collection_proposals', 'collector_id', 'proposals.read', 'proposals.read_own', '{select}');
SELECT cimiento.enable_permission_policy('insurance.collection_proposals', 'insert', '{proposals.create}');
SELECT cimiento.enable_permission_policy('insurance.collection_proposals', 'update', '{proposals.review,proposals.approve,proposals.reject}');
SELECT cimiento.enable_owner_scope('insurance.payments', 'collector_id', 'payments.read', 'collections.read_own', '{select}');

-- An instalment is seen with its policy (a seller's instalments are those of their policies).
CREATE POLICY instalments_with_policy ON insurance.instalments AS RESTRICTIVE FOR SELECT TO app_user
  USING (EXISTS (SELECT 1 FROM insurance.policies p WHERE p.tenant_id = instalments.tenant_id AND p.id = instalments.policy_id));
-- A payment needs payments.create in its branch, a reversal payments.revert.
CREATE POLICY payments_kind_insert ON insurance.payments AS RESTRICTIVE FOR INSERT TO app_user
  WITH CHECK (CASE WHEN amount > 0 THEN cimiento.has_permission('payments.create', branch_id)
                   ELSE cimiento.has_permission('payments.revert', branch_id) END);

GRANT USAGE ON SCHEMA insurance TO app_user, analyst, cimiento_api;
GRANT SELECT ON insurance.clients, insurance.coverages, insurance.coverage_prices, insurance.policy_series, insurance.policies,
                insurance.instalments, insurance.receipt_lots, insurance.receipts, insurance.collection_proposals,
                insurance.payments
  TO app_user, analyst;
GRANT INSERT (tenant_id, id, name, rfc, phone, email, address, seller_id),
      UPDATE (name, rfc, phone, email, address, seller_id), DELETE ON insurance.clients TO app_user;
GRANT INSERT (tenant_id, id, code, name, description, active), UPDATE (name, description, active) ON insurance.coverages TO app_user;
GRANT INSERT (tenant_id, coverage_id, payment_plan, price), UPDATE (price, updated_at), DELETE ON insurance.coverage_prices TO app_user;
GRANT INSERT (tenant_id, id, code, format) ON insurance.policy_series TO app_user;
GRANT INSERT (tenant_id, id, branch_id, series_code, client_id, coverage_id, seller_id, vehicle_make, vehicle_model, vehicle_year,
              vin, plates, prima_total, payment_plan, starts_on, ends_on, status, renewed_from),
      UPDATE (status) ON insurance.policies TO app_user;
GRANT INSERT (tenant_id, id, branch_id, prefix, first_no, last_no) ON insurance.receipt_lots TO app_user;
GRANT UPDATE (status, collector_id) ON insurance.receipts TO app_user;
GRANT INSERT (tenant_id, id, branch_id, collector_id, policy_id, instalment_no, amount, method, receipt_id, latitude, longitude,
              photo_ref, collected_at),
      UPDATE (status) ON insurance.collection_proposals TO app_user;
GRANT INSERT (tenant_id, id, branch_id, policy_id, instalment_no, amount, method, paid_on, collector_id, receipt_id, reverses_id,
              reason, reference) ON insurance.payments TO app_user;

-- ---------------------------------------------------------------------------------------
-- Clients
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION insurance.clients_rfc_checked() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.rfc IS NOT NULL THEN
    NEW.rfc := core.normalize_tax_id(NEW.rfc);
    PERFORM core.check_tax_id('MX', NEW.rfc);
  END IF;
  NEW.name := btrim(NEW.name);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION insurance.clients_rfc_checked() IS 'Trigger (BEFORE INSERT OR UPDATE of clients): normalizes the RFC and refuses an invalid one (22023 → HTTP 400, with the expected form as hint).';
REVOKE ALL ON FUNCTION insurance.clients_rfc_checked() FROM PUBLIC;
CREATE TRIGGER clients_rfc_checked BEFORE INSERT OR UPDATE OF rfc, name ON insurance.clients
  FOR EACH ROW EXECUTE FUNCTION insurance.clients_rfc_checked();

-- ---------------------------------------------------------------------------------------
-- Policies: price, numbering, instalments, workflow
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION insurance.instalment_status(p_amount numeric, p_paid numeric, p_due_on date, p_today date) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN p_paid >= p_amount THEN 'paid'
              WHEN p_due_on < p_today THEN 'overdue'
              WHEN p_paid > 0 THEN 'partial'
              ELSE 'pending' END
$$;
COMMENT ON FUNCTION insurance.instalment_status(numeric, numeric, date, date) IS 'The state of an instalment from what it owes, what was paid, its due date and today: paid, overdue (unpaid after its due date), partial or pending. The one definition payments and the nightly job use. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION insurance.instalment_status(numeric, numeric, date, date) TO app_user, analyst, cimiento_jobs;

CREATE FUNCTION insurance.policies_defaults() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.prima_total IS NULL THEN
    SELECT cp.price INTO NEW.prima_total FROM insurance.coverage_prices cp
     WHERE cp.tenant_id = NEW.tenant_id AND cp.coverage_id = NEW.coverage_id AND cp.payment_plan = NEW.payment_plan;
    IF NEW.prima_total IS NULL THEN
      RAISE EXCEPTION 'the coverage has no price for payment plan %', NEW.payment_plan USING ERRCODE = '22023',
        HINT = 'give prima_total or set the price in coverage_prices';
    END IF;
  END IF;
  IF NEW.ends_on IS NULL THEN
    NEW.ends_on := NEW.starts_on + interval '1 year';
  END IF;
  NEW.vin := upper(btrim(NEW.vin));
  NEW.plates := nullif(upper(regexp_replace(NEW.plates, '\s', '', 'g')), '');
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION insurance.policies_defaults() IS 'Trigger (BEFORE INSERT of policies): prima_total from the coverage''s price for the plan when not given (22023 when there is none), ends_on a year after starts_on when not given, VIN and plates in upper case.';
REVOKE ALL ON FUNCTION insurance.policies_defaults() FROM PUBLIC;
CREATE TRIGGER policies_defaults BEFORE INSERT ON insurance.policies FOR EACH ROW EXECUTE FUNCTION insurance.policies_defaults();

-- Issuing writes the instalments: n of the plan, due every months_between from the start,
-- each the premium / n cut to cents, the last one taking what is left.
CREATE FUNCTION insurance.policies_write_instalments() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_plan insurance.payment_plans;
  v_each numeric(14,2);
BEGIN
  SELECT * INTO v_plan FROM insurance.payment_plans p WHERE p.code = NEW.payment_plan;
  v_each := trunc(NEW.prima_total / v_plan.instalments, 2);
  IF v_each < 0.01 THEN
    RAISE EXCEPTION 'prima_total % is too small for % instalments', NEW.prima_total, v_plan.instalments USING ERRCODE = '22023';
  END IF;
  INSERT INTO insurance.instalments (tenant_id, policy_id, no, branch_id, due_on, amount, status)
  SELECT NEW.tenant_id, NEW.id, g, NEW.branch_id, (NEW.starts_on + make_interval(months => (g - 1) * v_plan.months_between))::date,
         CASE WHEN g < v_plan.instalments THEN v_each ELSE NEW.prima_total - v_each * (v_plan.instalments - 1) END,
         insurance.instalment_status(1, 0, (NEW.starts_on + make_interval(months => (g - 1) * v_plan.months_between))::date,
                                     core.local_today(NEW.tenant_id))
    FROM generate_series(1, v_plan.instalments) g
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION insurance.policies_write_instalments() IS 'Trigger (AFTER UPDATE of status quote → active): writes the policy''s instalments from its plan — due dates every months_between from starts_on, amounts trunc(prima_total / n, 2) and the rest on the last, so they sum exactly to prima_total. SECURITY DEFINER: instalments are not writable by API roles.';
REVOKE ALL ON FUNCTION insurance.policies_write_instalments() FROM PUBLIC;
CREATE TRIGGER policies_write_instalments AFTER UPDATE OF status ON insurance.policies
  FOR EACH ROW WHEN (OLD.status = 'quote' AND NEW.status = 'active')
  EXECUTE FUNCTION insurance.policies_write_instalments();

-- A policy is behind when an instalment is overdue; payments and reversals bring it back or
-- make it fall behind at once, the nightly job does the rest.
CREATE FUNCTION insurance.refresh_policy_status(p_tenant uuid, p_policy uuid) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_status text;
  v_behind boolean;
BEGIN
  SELECT p.status INTO v_status FROM insurance.policies p WHERE p.tenant_id = p_tenant AND p.id = p_policy FOR UPDATE;
  v_behind := EXISTS (SELECT 1 FROM insurance.instalments i
                       WHERE i.tenant_id = p_tenant AND i.policy_id = p_policy AND i.status = 'overdue');
  IF v_status = 'active' AND v_behind THEN
    UPDATE insurance.policies SET status = 'overdue' WHERE tenant_id = p_tenant AND id = p_policy;
  ELSIF v_status IN ('overdue', 'suspended') AND NOT v_behind THEN
    UPDATE insurance.policies SET status = 'active' WHERE tenant_id = p_tenant AND id = p_policy;
  END IF;
END
$$;
COMMENT ON FUNCTION insurance.refresh_policy_status(uuid, uuid) IS 'Internal (payments'' trigger): an active policy with an overdue instalment becomes overdue; an overdue or suspended one with none is active again. Each change is a workflow transition the caller must hold (catch_up: payments.create or proposals.approve; fall_behind: the same, payments.revert or policies.status — a partial payment on a policy already behind records what the nightly job would). VOLATILE.';
REVOKE ALL ON FUNCTION insurance.refresh_policy_status(uuid, uuid) FROM PUBLIC;

SELECT cimiento.enable_workflow('insurance.policies', 'status', $$[
  {"name": "issue",              "from": ["quote"], "to": "active", "permission": "policies.issue"},
  {"name": "fall_behind",        "from": ["active"], "to": "overdue", "permission": "policies.status"},
  {"name": "fall_behind_on_payment", "from": ["active"], "to": "overdue", "permission": "payments.create"},
  {"name": "fall_behind_on_approval", "from": ["active"], "to": "overdue", "permission": "proposals.approve"},
  {"name": "fall_behind_on_reversal", "from": ["active"], "to": "overdue", "permission": "payments.revert"},
  {"name": "catch_up",           "from": ["overdue", "suspended"], "to": "active", "permission": "payments.create"},
  {"name": "catch_up_on_approval", "from": ["overdue", "suspended"], "to": "active", "permission": "proposals.approve"},
  {"name": "suspend",            "from": ["overdue"], "to": "suspended", "permission": "policies.status"},
  {"name": "cancel",             "from": ["quote", "active", "overdue", "suspended"], "to": "cancelled",
   "permission": "policies.cancel", "reason_required": true},
  {"name": "expire",             "from": ["active", "overdue", "suspended"], "to": "expired", "permission": "policies.status"},
  {"name": "renew",              "from": ["expired"], "to": "renewed", "permission": "policies.renew"}
]$$, entity => 'policies', initial_states => '{quote}');

SELECT cimiento.enable_numbering('insurance.policies', 'insurance.policy_series',
  series_key         => '{"series_code": "code"}',
  period             => 'none',
  status_column      => 'status',
  unnumbered_states  => '{quote,cancelled}',
  numbered_at_column => 'issued_at',
  default_series     => '{"code": "POL", "format": "{code}-{number:06}"}');

GRANT USAGE ON SCHEMA insurance TO cimiento_numbering;
GRANT SELECT, INSERT ON insurance.policy_series TO cimiento_numbering;
GRANT UPDATE (next_number) ON insurance.policy_series TO cimiento_numbering;
GRANT SELECT ON insurance.policies TO cimiento_numbering;
GRANT UPDATE (series_id, number, number_display, issued_at) ON insurance.policies TO cimiento_numbering;

-- ---------------------------------------------------------------------------------------
-- Payments: checked and applied in the transaction that records them
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION insurance.payments_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_inst   insurance.instalments;
  v_policy insurance.policies;
  v_orig   insurance.payments;
  v_today  date := core.local_today(NEW.tenant_id);
BEGIN
  IF NEW.reverses_id IS NOT NULL THEN
    SELECT * INTO v_orig FROM insurance.payments p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.reverses_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no such payment' USING ERRCODE = 'PT404';
    END IF;
    PERFORM cimiento.require_permission('payments.revert', v_orig.branch_id);
    IF v_orig.amount < 0 THEN
      RAISE EXCEPTION 'a reversal cannot be reversed' USING ERRCODE = 'PT409', HINT = 'record a new payment instead';
    END IF;
    IF nullif(btrim(coalesce(NEW.reason, '')), '') IS NULL THEN
      RAISE EXCEPTION 'a reversal needs a reason' USING ERRCODE = '22023';
    END IF;
    NEW.policy_id := v_orig.policy_id;
    NEW.instalment_no := v_orig.instalment_no;
    NEW.amount := -v_orig.amount;
    NEW.method := v_orig.method;
    NEW.collector_id := v_orig.collector_id;
    NEW.receipt_id := NULL;
    NEW.proposal_id := v_orig.proposal_id;
    NEW.paid_on := v_today;
  END IF;
  SELECT * INTO v_inst FROM insurance.instalments i
   WHERE i.tenant_id = NEW.tenant_id AND i.policy_id = NEW.policy_id AND i.no = NEW.instalment_no FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such instalment' USING ERRCODE = 'PT404', HINT = 'the policy must be issued; see /instalments';
  END IF;
  SELECT * INTO v_policy FROM insurance.policies p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.policy_id;
  NEW.branch_id := v_policy.branch_id;
  IF NEW.amount > 0 THEN
    IF v_policy.status NOT IN ('active', 'overdue', 'suspended', 'expired') THEN
      RAISE EXCEPTION 'policy % is %, it takes no payments', coalesce(v_policy.number_display, v_policy.id::text), v_policy.status
        USING ERRCODE = 'PT409';
    END IF;
    IF NEW.amount > v_inst.amount - v_inst.paid THEN
      RAISE EXCEPTION 'the payment (%) exceeds what instalment % still owes (%)', NEW.amount, v_inst.no, v_inst.amount - v_inst.paid
        USING ERRCODE = 'PT409', DETAIL = json_build_object('owed', v_inst.amount - v_inst.paid)::text;
    END IF;
    IF NEW.paid_on IS NULL THEN
      NEW.paid_on := v_today;
    END IF;
    IF NEW.paid_on > v_today THEN
      RAISE EXCEPTION 'a payment cannot be dated in the future (%)', NEW.paid_on USING ERRCODE = '22023';
    END IF;
    -- Historical loads by the schema's owner (the seed, a data migration) may backdate;
    -- every other login, on every path, may not.
    IF NEW.paid_on < (v_today - interval '8 months')::date
       AND NOT pg_has_role(session_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'USAGE') THEN
      RAISE EXCEPTION 'a payment cannot be dated more than 8 months back (%)', NEW.paid_on USING ERRCODE = '22023',
        HINT = 'the earliest date accepted today is ' || (v_today - interval '8 months')::date;
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION insurance.payments_check() IS 'Trigger (BEFORE INSERT of payments): locks the instalment; a payment must fit what it still owes (PT409), its policy be in force, its date today or up to 8 months back (22023; only the schema owner''s historical loads may backdate); a reversal takes everything from the payment it reverses (negative amount, dated today) and needs a reason; the branch is the policy''s. SECURITY DEFINER (reads what RLS may hide from a collector''s approver; the insert itself stays under RLS).';
REVOKE ALL ON FUNCTION insurance.payments_check() FROM PUBLIC;
CREATE TRIGGER payments_check BEFORE INSERT ON insurance.payments FOR EACH ROW EXECUTE FUNCTION insurance.payments_check();

CREATE FUNCTION insurance.payments_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE insurance.instalments i
     SET paid = i.paid + NEW.amount,
         status = insurance.instalment_status(i.amount, i.paid + NEW.amount, i.due_on, core.local_today(i.tenant_id)),
         updated_at = now()
   WHERE i.tenant_id = NEW.tenant_id AND i.policy_id = NEW.policy_id AND i.no = NEW.instalment_no;
  PERFORM insurance.refresh_policy_status(NEW.tenant_id, NEW.policy_id);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION insurance.payments_apply() IS 'Trigger (AFTER INSERT of payments): adds the amount (negative for a reversal) to the instalment''s paid, recomputes its status and the policy''s state (insurance.refresh_policy_status) in the same transaction. SECURITY DEFINER: instalments are not writable by API roles.';
REVOKE ALL ON FUNCTION insurance.payments_apply() FROM PUBLIC;
CREATE TRIGGER payments_apply AFTER INSERT ON insurance.payments FOR EACH ROW EXECUTE FUNCTION insurance.payments_apply();

-- ---------------------------------------------------------------------------------------
-- Receipts
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION insurance.receipt_lots_open() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO insurance.receipts (tenant_id, branch_id, lot_id, number)
  SELECT NEW.tenant_id, NEW.branch_id, NEW.id, NEW.prefix || lpad(g::text, 6, '0')
    FROM generate_series(NEW.first_no, NEW.last_no) g;
  RETURN NULL;
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'receipts %–% overlap a lot already registered', NEW.prefix || NEW.first_no, NEW.prefix || NEW.last_no
    USING ERRCODE = 'PT409';
END
$$;
COMMENT ON FUNCTION insurance.receipt_lots_open() IS 'Trigger (AFTER INSERT of receipt_lots): creates the lot''s receipts (prefix + six digits), available; PT409 when a number is already registered. SECURITY DEFINER: receipts are created only by their lot.';
REVOKE ALL ON FUNCTION insurance.receipt_lots_open() FROM PUBLIC;
CREATE TRIGGER receipt_lots_open AFTER INSERT ON insurance.receipt_lots FOR EACH ROW EXECUTE FUNCTION insurance.receipt_lots_open();

CREATE FUNCTION insurance.receipts_moved() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_limit int := coalesce((core.tenant_setting('receipts_per_collector'))::int, 50);
  v_held  int;
BEGIN
  IF NEW.status = OLD.status AND NEW.collector_id IS DISTINCT FROM OLD.collector_id THEN
    RAISE EXCEPTION 'a receipt changes hands only by being assigned' USING ERRCODE = 'PT409',
      HINT = 'cancel it or mark it lost, then assign another';
  END IF;
  IF NEW.status = 'assigned' AND OLD.status <> 'assigned' THEN
    IF NEW.collector_id IS NULL THEN
      RAISE EXCEPTION 'assigning a receipt needs the collector' USING ERRCODE = '22023';
    END IF;
    -- One assignment per collector at a time, so the limit holds under concurrency.
    PERFORM pg_advisory_xact_lock(hashtextextended('insurance.receipts:' || NEW.tenant_id || ':' || NEW.collector_id, 0));
    SELECT count(*) INTO v_held FROM insurance.receipts r
     WHERE r.tenant_id = NEW.tenant_id AND r.collector_id = NEW.collector_id AND r.status = 'assigned' AND r.id <> NEW.id;
    IF v_held >= v_limit THEN
      RAISE EXCEPTION 'the collector already holds % receipts (limit %)', v_held, v_limit USING ERRCODE = 'PT409',
        HINT = 'receipts_per_collector in the tenant''s settings';
    END IF;
    NEW.assigned_at := now();
  ELSIF NEW.status = 'used' THEN
    NEW.used_at := now();
  ELSIF NEW.status = 'verified' THEN
    NEW.verified_at := now();
  END IF;
  IF NEW.status IN ('lost', 'cancelled') THEN
    NEW.reason := nullif(btrim(coalesce(current_setting('cimiento.transition_reason', true), '')), '');
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION insurance.receipts_moved() IS 'Trigger (BEFORE UPDATE of receipts, after the workflow check): assigning needs the collector, who may hold at most receipts_per_collector (tenant setting, default 50) assigned receipts (PT409; serialized per collector); stamps assigned_at, used_at, verified_at; lost and cancelled keep the transition''s reason. A receipt changes collector only by being assigned.';
REVOKE ALL ON FUNCTION insurance.receipts_moved() FROM PUBLIC;
CREATE TRIGGER receipts_moved BEFORE UPDATE ON insurance.receipts FOR EACH ROW EXECUTE FUNCTION insurance.receipts_moved();

SELECT cimiento.enable_workflow('insurance.receipts', 'status', $$[
  {"name": "assign",  "from": ["available"], "to": "assigned", "permission": "receipts.manage"},
  {"name": "use",     "from": ["assigned"], "to": "used", "permission": "proposals.approve"},
  {"name": "use_on_payment", "from": ["assigned"], "to": "used", "permission": "payments.create"},
  {"name": "verify",  "from": ["used"], "to": "verified", "permission": "receipts.verify"},
  {"name": "lose",    "from": ["assigned"], "to": "lost", "permission": "receipts.manage", "reason_required": true},
  {"name": "cancel",  "from": ["available", "assigned"], "to": "cancelled", "permission": "receipts.manage", "reason_required": true}
]$$, entity => 'receipts', initial_states => '{available}');

-- ---------------------------------------------------------------------------------------
-- Collection proposals
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION insurance.proposals_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_policy  insurance.policies;
  v_receipt insurance.receipts;
  v_inst    insurance.instalments;
BEGIN
  SELECT * INTO v_policy FROM insurance.policies p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.policy_id;
  -- A collector files in their own name; a manager may enter one for a collector.
  IF NEW.collector_id IS DISTINCT FROM cimiento.current_user_id()
     AND NOT cimiento.has_permission('proposals.approve', v_policy.branch_id) THEN
    RAISE EXCEPTION 'a collector files proposals only in their own name' USING ERRCODE = '42501';
  END IF;
  IF NOT FOUND OR NOT cimiento.has_permission('proposals.create', v_policy.branch_id) THEN
    RAISE EXCEPTION 'no such policy' USING ERRCODE = 'PT404';
  END IF;
  IF v_policy.status NOT IN ('active', 'overdue', 'suspended', 'expired') THEN
    RAISE EXCEPTION 'policy % is %, it takes no payments', coalesce(v_policy.number_display, v_policy.id::text), v_policy.status
      USING ERRCODE = 'PT409';
  END IF;
  NEW.branch_id := v_policy.branch_id;
  SELECT * INTO v_inst FROM insurance.instalments i
   WHERE i.tenant_id = NEW.tenant_id AND i.policy_id = NEW.policy_id AND i.no = NEW.instalment_no;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such instalment' USING ERRCODE = 'PT404';
  END IF;
  IF NEW.amount > v_inst.amount - v_inst.paid THEN
    RAISE EXCEPTION 'the amount (%) exceeds what instalment % still owes (%)', NEW.amount, v_inst.no, v_inst.amount - v_inst.paid
      USING ERRCODE = 'PT409';
  END IF;
  IF NEW.method NOT IN ('cash', 'deposit', 'transfer', 'crucero', 'konfio', 'terminal_banorte') THEN
    RAISE EXCEPTION 'unknown payment method %', NEW.method USING ERRCODE = '22023',
      HINT = 'cash, deposit, transfer, crucero, konfio or terminal_banorte';
  END IF;
  SELECT * INTO v_receipt FROM insurance.receipts r WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.receipt_id;
  IF NOT FOUND OR v_receipt.collector_id IS DISTINCT FROM NEW.collector_id THEN
    RAISE EXCEPTION 'the receipt is not assigned to this collector' USING ERRCODE = 'PT409';
  END IF;
  IF v_receipt.status <> 'assigned' THEN
    RAISE EXCEPTION 'receipt % is %', v_receipt.number, v_receipt.status USING ERRCODE = 'PT409';
  END IF;
  IF EXISTS (SELECT 1 FROM insurance.collection_proposals x
              WHERE x.tenant_id = NEW.tenant_id AND x.receipt_id = NEW.receipt_id AND x.status <> 'rejected') THEN
    RAISE EXCEPTION 'receipt % is already on another collection', v_receipt.number USING ERRCODE = 'PT409';
  END IF;
  IF NEW.collected_at > now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'collected_at is in the future' USING ERRCODE = '22023';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION insurance.proposals_check() IS 'Trigger (BEFORE INSERT of collection_proposals): filed by the collector in their own name (42501), for a policy in force where they hold proposals.create (404 otherwise); a manager holding proposals.approve may file one for a collector, an instalment that still owes at least the amount, a known method, a receipt assigned to them and on no other collection that was not rejected (PT409); the branch is the policy''s. SECURITY DEFINER (reads policies and receipts; the insert stays under RLS).';
REVOKE ALL ON FUNCTION insurance.proposals_check() FROM PUBLIC;
CREATE TRIGGER proposals_check BEFORE INSERT ON insurance.collection_proposals FOR EACH ROW EXECUTE FUNCTION insurance.proposals_check();

CREATE FUNCTION insurance.proposals_decided() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.status IN ('approved', 'rejected') THEN
    NEW.decided_by := cimiento.current_user_id();
    NEW.decided_at := now();
    NEW.decision_reason := nullif(btrim(coalesce(current_setting('cimiento.transition_reason', true), '')), '');
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION insurance.proposals_decided() IS 'Trigger (BEFORE UPDATE of status of collection_proposals): stamps who decided, when, and the transition''s reason.';
REVOKE ALL ON FUNCTION insurance.proposals_decided() FROM PUBLIC;
CREATE TRIGGER proposals_decided BEFORE UPDATE OF status ON insurance.collection_proposals
  FOR EACH ROW EXECUTE FUNCTION insurance.proposals_decided();

CREATE FUNCTION insurance.proposals_on_approval() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO insurance.payments (tenant_id, branch_id, policy_id, instalment_no, amount, method, paid_on, collector_id,
                                  receipt_id, proposal_id)
  VALUES (NEW.tenant_id, NEW.branch_id, NEW.policy_id, NEW.instalment_no, NEW.amount, NEW.method,
          core.local_day(NEW.tenant_id, NEW.collected_at), NEW.collector_id, NEW.receipt_id, NEW.id);
  UPDATE insurance.receipts SET status = 'used' WHERE tenant_id = NEW.tenant_id AND id = NEW.receipt_id;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION insurance.proposals_on_approval() IS 'Trigger (AFTER UPDATE of status to approved): applies the proposal as a payment dated the day it was collected (every payment rule holds: balance, 8 months) and uses its receipt (a workflow transition the approver must hold), in the approval''s transaction. The row lock of the approval makes a second approver wait and then find it approved (409): one payment. SECURITY DEFINER: the approver needs proposals.approve, not payments.create.';
REVOKE ALL ON FUNCTION insurance.proposals_on_approval() FROM PUBLIC;
CREATE TRIGGER proposals_on_approval AFTER UPDATE OF status ON insurance.collection_proposals
  FOR EACH ROW WHEN (NEW.status = 'approved' AND OLD.status <> 'approved')
  EXECUTE FUNCTION insurance.proposals_on_approval();

SELECT cimiento.enable_workflow('insurance.collection_proposals', 'status', $$[
  {"name": "review",  "from": ["pending"], "to": "under_review", "permission": "proposals.review"},
  {"name": "approve", "from": ["pending", "under_review"], "to": "approved", "permission": "proposals.approve"},
  {"name": "reject",  "from": ["pending", "under_review"], "to": "rejected", "permission": "proposals.reject", "reason_required": true}
]$$, entity => 'collection_proposals', initial_states => '{pending}');

-- ---------------------------------------------------------------------------------------
-- The nightly status job
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION insurance.nightly_status() RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_tenant  uuid := cimiento.current_tenant();
  v_today   date := core.local_today(cimiento.current_tenant());
  v_suspend int := coalesce((core.tenant_setting('suspend_after_days'))::int, 30);
  v_rows    bigint := 0;
  v_n       bigint;
BEGIN
  -- Policies past their end expire first (they no longer fall behind).
  UPDATE insurance.policies p SET status = 'expired'
   WHERE p.tenant_id = v_tenant AND p.status IN ('active', 'overdue', 'suspended') AND p.ends_on < v_today;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_rows := v_rows + v_n;
  UPDATE insurance.instalments i
     SET status = insurance.instalment_status(i.amount, i.paid, i.due_on, v_today), updated_at = now()
   WHERE i.tenant_id = v_tenant AND i.status IN ('pending', 'partial') AND i.due_on < v_today;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_rows := v_rows + v_n;
  UPDATE insurance.policies p SET status = 'overdue'
   WHERE p.tenant_id = v_tenant AND p.status = 'active'
     AND EXISTS (SELECT 1 FROM insurance.instalments i WHERE i.tenant_id = p.tenant_id AND i.policy_id = p.id AND i.status = 'overdue');
  GET DIAGNOSTICS v_n = ROW_COUNT; v_rows := v_rows + v_n;
  UPDATE insurance.policies p SET status = 'suspended'
   WHERE p.tenant_id = v_tenant AND p.status = 'overdue'
     AND EXISTS (SELECT 1 FROM insurance.instalments i WHERE i.tenant_id = p.tenant_id AND i.policy_id = p.id
                    AND i.status = 'overdue' AND i.due_on < v_today - v_suspend);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_rows := v_rows + v_n;
  RETURN v_rows;
END
$$;
COMMENT ON FUNCTION insurance.nightly_status() IS 'Scheduled job insurance_status (nightly, 04:00 UTC), per tenant as that tenant: policies past their end expire; unpaid instalments past their due date become overdue; active policies with one become overdue; overdue policies with an instalment overdue more than suspend_after_days (tenant setting, default 30) are suspended. Each step a workflow transition; idempotent (a second run touches nothing); returns the rows it changed; each run is recorded in cimiento.job_runs. VOLATILE.';
REVOKE ALL ON FUNCTION insurance.nightly_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION insurance.nightly_status() TO cimiento_jobs;
GRANT USAGE ON SCHEMA insurance, core TO cimiento_jobs;
GRANT SELECT ON insurance.policies, insurance.instalments TO cimiento_jobs;
GRANT UPDATE (status) ON insurance.policies TO cimiento_jobs;
GRANT UPDATE (status, updated_at) ON insurance.instalments TO cimiento_jobs;
SELECT cimiento.schedule('insurance_status', '0 4 * * *', 'insurance.nightly_status()', '{policies.read,policies.status}');

-- ---------------------------------------------------------------------------------------
-- Setting up an agency tenant
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION insurance.setup_agency(p_tenant uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO core.roles (tenant_id, name, description)
  SELECT DISTINCT ON (a.role_name) p_tenant, a.role_name, a.description FROM insurance.agency_roles a ORDER BY a.role_name
  ON CONFLICT DO NOTHING;
  INSERT INTO core.role_permissions (tenant_id, role_id, permission)
  SELECT p_tenant, r.id, a.permission
    FROM insurance.agency_roles a JOIN core.roles r ON r.tenant_id = p_tenant AND r.name = a.role_name
  ON CONFLICT DO NOTHING;
  UPDATE core.tenants t
     SET settings = t.settings || jsonb_build_object('mfa_required_roles', '["admin", "gerente"]'::jsonb)
                   || CASE WHEN t.settings ? 'receipts_per_collector' THEN '{}'::jsonb ELSE '{"receipts_per_collector": 50}' END
                   || CASE WHEN t.settings ? 'suspend_after_days' THEN '{}'::jsonb ELSE '{"suspend_after_days": 30}' END
   WHERE t.id = p_tenant;
END
$$;
COMMENT ON FUNCTION insurance.setup_agency(uuid) IS 'Makes a tenant an insurance agency (for DBAs and the seed; idempotent): creates the roles gerente, auxiliar, cobrador, vendedor and ajustador with the permissions of insurance.agency_roles (the tenant may change them afterwards), requires TOTP of admin and gerente (settings.mfa_required_roles) and sets receipts_per_collector 50 and suspend_after_days 30 unless already set. VOLATILE.';
REVOKE ALL ON FUNCTION insurance.setup_agency(uuid) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Audit and protection
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_audit('insurance.payment_plans');
SELECT cimiento.enable_audit('insurance.agency_roles');
SELECT cimiento.enable_audit('insurance.clients');
SELECT cimiento.enable_audit('insurance.coverages');
SELECT cimiento.enable_audit('insurance.coverage_prices');
SELECT cimiento.enable_audit('insurance.policy_series', ignore_columns => '{next_number}');
SELECT cimiento.enable_audit('insurance.policies');
SELECT cimiento.enable_audit('insurance.instalments');
SELECT cimiento.enable_audit('insurance.receipt_lots');
SELECT cimiento.enable_audit('insurance.receipts');
SELECT cimiento.enable_audit('insurance.collection_proposals');
SELECT cimiento.enable_audit('insurance.payments');
SELECT cimiento.enable_append_only('insurance.payments', 'payments are never changed or deleted',
                                   'record a reversal (api.revert_payment)');
SELECT cimiento.enable_append_only('insurance.receipt_lots', 'receipt lots never change', 'cancel their receipts');

-- The business schemas the checks walk.
CREATE OR REPLACE FUNCTION core.domain_schemas() RETURNS name[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT '{core,academy,billing,commerce,insurance}'::name[]
$$;
