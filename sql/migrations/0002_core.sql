-- 0002: core — tenants, branches, users, roles, permissions, user_roles, db_logins.
-- Every tenant-owned table has tenant_id first in its primary key, unique constraints and
-- foreign keys, so the schema can be distributed by tenant without a rewrite. tenant_id
-- defaults to the caller's tenant, so clients never send it.

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------

-- The permission catalog and the built-in roles are global reference data.
CREATE TABLE core.permissions (
  code        text PRIMARY KEY CONSTRAINT permissions_code_format CHECK (code ~ '^[a-z][a-z_]*\.[a-z][a-z_]*$'),
  description text NOT NULL
);
COMMENT ON TABLE core.permissions IS 'Catalog of permissions (resource.action). Roles grant codes or the patterns resource.* and *.';

CREATE TABLE core.builtin_roles (
  name        text PRIMARY KEY,
  description text NOT NULL
);
COMMENT ON TABLE core.builtin_roles IS 'Roles every tenant starts with (copied into core.roles when a tenant is created).';

CREATE TABLE core.builtin_role_permissions (
  role_name  text NOT NULL REFERENCES core.builtin_roles (name),
  permission text NOT NULL CONSTRAINT builtin_role_permissions_pattern
               CHECK (permission = '*' OR permission ~ '^[a-z][a-z_]*\.([a-z][a-z_]*|\*)$'),
  PRIMARY KEY (role_name, permission)
);
COMMENT ON TABLE core.builtin_role_permissions IS 'Permission patterns of the built-in roles.';

CREATE TABLE core.tenants (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug       text NOT NULL,
  name       text NOT NULL CONSTRAINT tenants_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  legal_name text,
  tax_id     text CONSTRAINT tenants_tax_id_length CHECK (tax_id IS NULL OR length(tax_id) BETWEEN 3 AND 32),
  address    text,
  locale     text NOT NULL DEFAULT 'es-ES' CONSTRAINT tenants_locale_format CHECK (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  currency   text NOT NULL DEFAULT 'EUR' CONSTRAINT tenants_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
  timezone   text NOT NULL DEFAULT 'Europe/Madrid',
  active     boolean NOT NULL DEFAULT true,
  settings   jsonb NOT NULL DEFAULT '{}' CONSTRAINT tenants_settings_object CHECK (jsonb_typeof(settings) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tenants_slug_key UNIQUE (slug),
  -- A DNS label: lower case letters, digits and inner hyphens, at most 63 characters.
  CONSTRAINT tenants_slug_dns_label CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  CONSTRAINT tenants_slug_not_reserved CHECK (slug <> ALL (ARRAY[
    'www', 'api', 'app', 'admin', 'auth', 'login', 'mail', 'smtp', 'ftp', 'static', 'assets', 'cdn',
    'docs', 'help', 'status', 'support', 'billing', 'dashboard', 'root', 'system', 'test', 'localhost',
    'postgrest', 'rest', 'cimiento', 'public', 'internal', 'ns1', 'ns2', 'dev', 'staging'
  ]))
);
COMMENT ON TABLE core.tenants IS 'Organisations using Cimiento. slug is the subdomain (a DNS label; reserved words refused). Users see only their own tenant.';
COMMENT ON COLUMN core.tenants.locale IS 'Language of documents and user-facing texts (default es-ES).';
COMMENT ON COLUMN core.tenants.settings IS 'Tenant options, e.g. {"mfa_required_roles": ["admin","manager"]}.';

CREATE TABLE core.branches (
  tenant_id  uuid NOT NULL DEFAULT cimiento.current_tenant() REFERENCES core.tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  code       text NOT NULL CONSTRAINT branches_code_format CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$'),
  name       text NOT NULL CONSTRAINT branches_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  address    text,
  phone      text,
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT branches_code_key UNIQUE (tenant_id, code)
);
COMMENT ON TABLE core.branches IS 'Branches (sedes) of a tenant. Branch-scoped users act only in theirs.';

CREATE TABLE core.users (
  tenant_id      uuid NOT NULL DEFAULT cimiento.current_tenant() REFERENCES core.tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  email          text NOT NULL CONSTRAINT users_email_format
                   CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  email_key      text GENERATED ALWAYS AS (lower(email)) STORED,
  full_name      text NOT NULL CONSTRAINT users_full_name_length CHECK (length(btrim(full_name)) BETWEEN 1 AND 200),
  password_hash  text CONSTRAINT users_password_hash_argon2id CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
  active         boolean NOT NULL DEFAULT true,
  totp_secret    text,
  totp_enabled   boolean NOT NULL DEFAULT false,
  totp_last_step bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_login_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT users_email_key UNIQUE (tenant_id, email_key),
  CONSTRAINT users_totp_needs_secret CHECK (NOT totp_enabled OR totp_secret IS NOT NULL)
);
COMMENT ON TABLE core.users IS 'People who sign in to a tenant. Email is unique per tenant, case-insensitively. Secrets (password_hash, totp_*) are readable only through the auth functions.';
COMMENT ON COLUMN core.users.password_hash IS 'argon2id PHC string; NULL means the user cannot sign in with a password.';
COMMENT ON COLUMN core.users.totp_last_step IS 'Last accepted TOTP time step: a code is accepted once only.';

CREATE TABLE core.roles (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant() REFERENCES core.tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  name        text NOT NULL CONSTRAINT roles_name_format CHECK (name ~ '^[a-z][a-z0-9_]{1,39}$'),
  description text,
  builtin     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT roles_name_key UNIQUE (tenant_id, name)
);
COMMENT ON TABLE core.roles IS 'Application roles of a tenant: the built-ins (admin, manager, cashier, registrar, teacher, analyst) and its own.';

CREATE TABLE core.role_permissions (
  tenant_id  uuid NOT NULL DEFAULT cimiento.current_tenant(),
  role_id    uuid NOT NULL,
  permission text NOT NULL CONSTRAINT role_permissions_pattern
               CHECK (permission = '*' OR permission ~ '^[a-z][a-z_]*\.([a-z][a-z_]*|\*)$'),
  PRIMARY KEY (tenant_id, role_id, permission),
  FOREIGN KEY (tenant_id, role_id) REFERENCES core.roles (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE core.role_permissions IS 'What each role grants: permission codes or the wildcards resource.* and *.';

CREATE TABLE core.user_roles (
  tenant_id  uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL,
  role_id    uuid NOT NULL,
  branch_id  uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT user_roles_assignment_key UNIQUE NULLS NOT DISTINCT (tenant_id, user_id, role_id, branch_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES core.users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, role_id) REFERENCES core.roles (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id)
);
COMMENT ON TABLE core.user_roles IS 'Which roles each user holds; branch_id NULL means in every branch, otherwise only in that branch.';

CREATE TABLE core.db_logins (
  tenant_id  uuid NOT NULL REFERENCES core.tenants (id),
  login_role text NOT NULL,
  user_id    uuid,
  roles      text[] NOT NULL DEFAULT '{analyst}',
  branch_ids uuid[],
  active     boolean NOT NULL DEFAULT true,
  note       text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, login_role),
  -- The one deliberate exception to "tenant_id first": a PostgreSQL login is a cluster-wide
  -- identity and belongs to exactly one tenant (reference data when distributed).
  CONSTRAINT db_logins_login_role_key UNIQUE (login_role),
  FOREIGN KEY (tenant_id, user_id) REFERENCES core.users (tenant_id, id)
);
COMMENT ON TABLE core.db_logins IS 'Direct SQL logins (analysts in psql, BI tools): the tenant, roles and branches (NULL = all) of each PostgreSQL login. Claims set by such a login are ignored.';

-- ---------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------
ALTER TABLE core.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.tenants FORCE ROW LEVEL SECURITY;
SELECT cimiento.enable_tenant_isolation('core.branches');
SELECT cimiento.enable_tenant_isolation('core.users');
SELECT cimiento.enable_tenant_isolation('core.roles');
SELECT cimiento.enable_tenant_isolation('core.role_permissions');
SELECT cimiento.enable_tenant_isolation('core.user_roles');
SELECT cimiento.enable_tenant_isolation('core.db_logins');

-- ---------------------------------------------------------------------------------------
-- Policies (beyond tenant isolation: restrictive rules narrow, never widen)
-- ---------------------------------------------------------------------------------------
CREATE POLICY tenants_own_select ON core.tenants FOR SELECT
  USING (id = (SELECT cimiento.current_tenant()));
CREATE POLICY tenants_own_update ON core.tenants FOR UPDATE
  USING (id = (SELECT cimiento.current_tenant()) AND (SELECT cimiento.has_permission('tenants.manage')))
  WITH CHECK (id = (SELECT cimiento.current_tenant()));

CREATE POLICY branches_manage_insert ON core.branches AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT cimiento.has_permission('branches.manage')));
CREATE POLICY branches_manage_update ON core.branches AS RESTRICTIVE FOR UPDATE
  USING ((SELECT cimiento.has_permission('branches.manage')));
CREATE POLICY branches_manage_delete ON core.branches AS RESTRICTIVE FOR DELETE
  USING ((SELECT cimiento.has_permission('branches.manage')));

CREATE POLICY users_manage_insert ON core.users AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT cimiento.has_permission('users.manage')));
CREATE POLICY users_manage_update ON core.users AS RESTRICTIVE FOR UPDATE
  USING ((SELECT cimiento.has_permission('users.manage')) OR id = (SELECT cimiento.current_user_id()));
CREATE POLICY users_manage_delete ON core.users AS RESTRICTIVE FOR DELETE
  USING ((SELECT cimiento.has_permission('users.manage')));

CREATE POLICY roles_manage_insert ON core.roles AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT cimiento.has_permission('roles.manage')) AND NOT builtin);
CREATE POLICY roles_manage_update ON core.roles AS RESTRICTIVE FOR UPDATE
  USING ((SELECT cimiento.has_permission('roles.manage')) AND NOT builtin);
CREATE POLICY roles_manage_delete ON core.roles AS RESTRICTIVE FOR DELETE
  USING ((SELECT cimiento.has_permission('roles.manage')) AND NOT builtin);

CREATE POLICY role_permissions_manage_insert ON core.role_permissions AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT cimiento.has_permission('roles.manage')));
CREATE POLICY role_permissions_manage_delete ON core.role_permissions AS RESTRICTIVE FOR DELETE
  USING ((SELECT cimiento.has_permission('roles.manage')));

CREATE POLICY user_roles_manage_insert ON core.user_roles AS RESTRICTIVE FOR INSERT
  WITH CHECK ((SELECT cimiento.has_permission('users.manage')));
CREATE POLICY user_roles_manage_update ON core.user_roles AS RESTRICTIVE FOR UPDATE
  USING ((SELECT cimiento.has_permission('users.manage')));
CREATE POLICY user_roles_manage_delete ON core.user_roles AS RESTRICTIVE FOR DELETE
  USING ((SELECT cimiento.has_permission('users.manage')));

-- ---------------------------------------------------------------------------------------
-- Grants (app_user writes are narrowed by the policies above; secrets never granted)
-- ---------------------------------------------------------------------------------------
GRANT SELECT ON core.permissions, core.builtin_roles, core.builtin_role_permissions TO app_user, analyst;
GRANT SELECT (id, slug, name, legal_name, tax_id, address, locale, currency, timezone, active, settings, created_at)
  ON core.tenants TO app_user, analyst;
GRANT UPDATE (name, legal_name, tax_id, address, locale, currency, timezone, settings) ON core.tenants TO app_user;
GRANT SELECT ON core.branches TO app_user, analyst;
GRANT INSERT (tenant_id, id, code, name, address, phone, active), UPDATE (code, name, address, phone, active), DELETE
  ON core.branches TO app_user;
GRANT SELECT (tenant_id, id, email, email_key, full_name, active, totp_enabled, created_at, last_login_at)
  ON core.users TO app_user, analyst;
GRANT INSERT (tenant_id, id, email, full_name, active), UPDATE (email, full_name, active), DELETE
  ON core.users TO app_user;
GRANT SELECT, INSERT (tenant_id, id, name, description), UPDATE (name, description), DELETE ON core.roles TO app_user;
GRANT SELECT ON core.roles TO analyst;
GRANT SELECT, INSERT, DELETE ON core.role_permissions TO app_user;
GRANT SELECT, INSERT (tenant_id, id, user_id, role_id, branch_id), UPDATE (branch_id), DELETE ON core.user_roles TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------

-- A new tenant starts with the built-in roles and their permissions.
CREATE FUNCTION core.tenants_seed_roles() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO core.roles (tenant_id, name, description, builtin)
  SELECT NEW.id, b.name, b.description, true FROM core.builtin_roles b;
  INSERT INTO core.role_permissions (tenant_id, role_id, permission)
  SELECT NEW.id, r.id, bp.permission
    FROM core.builtin_role_permissions bp
    JOIN core.roles r ON r.tenant_id = NEW.id AND r.name = bp.role_name;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION core.tenants_seed_roles() IS 'Trigger: gives a new tenant the built-in roles and their permissions.';
REVOKE ALL ON FUNCTION core.tenants_seed_roles() FROM PUBLIC;
CREATE TRIGGER tenants_seed_roles AFTER INSERT ON core.tenants
  FOR EACH ROW EXECUTE FUNCTION core.tenants_seed_roles();

-- ---------------------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------------------
INSERT INTO core.permissions (code, description) VALUES
  ('tenants.manage',     'Change the tenant''s name, legal data, locale and settings'),
  ('branches.manage',    'Create, change and close branches'),
  ('users.read',         'See the tenant''s users'),
  ('users.manage',       'Create, change and deactivate users and their roles'),
  ('roles.manage',       'Create tenant roles and choose their permissions'),
  ('sessions.manage',    'See and revoke other users'' sessions'),
  ('courses.read',       'See courses'),
  ('courses.create',     'Create courses'),
  ('courses.update',     'Change courses'),
  ('students.read',      'See students'),
  ('students.create',    'Register students'),
  ('students.update',    'Change students'),
  ('enrollments.read',   'See enrollments and financial status'),
  ('enrollments.create', 'Enroll students'),
  ('enrollments.update', 'Withdraw or complete enrollments'),
  ('payments.read',      'See payments'),
  ('payments.create',    'Register payments'),
  ('invoices.read',      'See invoices and their PDFs'),
  ('invoices.issue',     'Issue invoices'),
  ('credit_notes.issue', 'Issue credit notes'),
  ('attendance.read',    'See attendance'),
  ('attendance.record',  'Record attendance'),
  ('reports.read',       'Read the reports'),
  ('audit.read',         'Read the audit trail'),
  ('products.read',      'See products'),
  ('products.manage',    'Create and change products and categories'),
  ('customers.read',     'See customers'),
  ('customers.manage',   'Create and change customers'),
  ('sales.read',         'See sales'),
  ('sales.create',       'Register sales'),
  ('inventory.manage',   'Record inventory movements');

INSERT INTO core.builtin_roles (name, description) VALUES
  ('admin',     'Everything in the tenant'),
  ('manager',   'Runs the academy or shop: everything but users, roles and tenant settings'),
  ('cashier',   'Takes payments and sales, issues invoices'),
  ('registrar', 'Registers students, enrollments and courses'),
  ('teacher',   'Sees courses and students, records attendance'),
  ('analyst',   'Reads reports and data, changes nothing');

INSERT INTO core.builtin_role_permissions (role_name, permission) VALUES
  ('admin', '*'),
  ('manager', 'courses.*'), ('manager', 'students.*'), ('manager', 'enrollments.*'), ('manager', 'payments.*'),
  ('manager', 'invoices.*'), ('manager', 'credit_notes.*'), ('manager', 'attendance.*'), ('manager', 'reports.read'),
  ('manager', 'users.read'), ('manager', 'audit.read'), ('manager', 'products.*'), ('manager', 'customers.*'),
  ('manager', 'sales.*'), ('manager', 'inventory.*'),
  ('cashier', 'payments.*'), ('cashier', 'invoices.read'), ('cashier', 'invoices.issue'), ('cashier', 'students.read'),
  ('cashier', 'enrollments.read'), ('cashier', 'courses.read'), ('cashier', 'sales.*'), ('cashier', 'customers.*'),
  ('cashier', 'products.read'),
  ('registrar', 'students.*'), ('registrar', 'enrollments.*'), ('registrar', 'courses.*'), ('registrar', 'payments.read'),
  ('registrar', 'invoices.read'), ('registrar', 'attendance.read'),
  ('teacher', 'courses.read'), ('teacher', 'students.read'), ('teacher', 'enrollments.read'), ('teacher', 'attendance.*'),
  ('analyst', 'reports.read'), ('analyst', 'courses.read'), ('analyst', 'students.read'), ('analyst', 'enrollments.read'),
  ('analyst', 'payments.read'), ('analyst', 'invoices.read'), ('analyst', 'attendance.read');
