-- 0003: the REST surface of core — security_invoker views in `api`, so RLS decides what
-- each caller sees and the restrictive policies decide what it may change.

CREATE VIEW api.tenant WITH (security_invoker = true) AS
  SELECT id, slug, name, legal_name, tax_id, address, locale, currency, timezone, active, settings, created_at
    FROM core.tenants;
COMMENT ON VIEW api.tenant IS 'The caller''s own organisation (one row). PATCH needs tenants.manage.';

CREATE VIEW api.branches WITH (security_invoker = true) AS
  SELECT tenant_id, id, code, name, address, phone, active, created_at FROM core.branches;
COMMENT ON VIEW api.branches IS 'Branches (sedes) of the caller''s tenant. Writes need branches.manage.';

CREATE VIEW api.users WITH (security_invoker = true) AS
  SELECT tenant_id, id, email, full_name, active, totp_enabled, created_at, last_login_at FROM core.users;
COMMENT ON VIEW api.users IS 'Users of the caller''s tenant (no secrets). Writes need users.manage; passwords are set through the sign-in service.';

CREATE VIEW api.roles WITH (security_invoker = true) AS
  SELECT tenant_id, id, name, description, builtin FROM core.roles;
COMMENT ON VIEW api.roles IS 'Application roles of the caller''s tenant. Built-in roles cannot be changed; tenant roles need roles.manage.';

CREATE VIEW api.role_permissions WITH (security_invoker = true) AS
  SELECT tenant_id, role_id, permission FROM core.role_permissions;
COMMENT ON VIEW api.role_permissions IS 'Permission patterns granted by each role (resource.action, resource.*, *). Writes need roles.manage.';

CREATE VIEW api.user_roles WITH (security_invoker = true) AS
  SELECT tenant_id, id, user_id, role_id, branch_id, created_at FROM core.user_roles;
COMMENT ON VIEW api.user_roles IS 'Role assignments; branch_id null = every branch. Writes need users.manage.';

CREATE VIEW api.permissions WITH (security_invoker = true) AS
  SELECT code, description FROM core.permissions;
COMMENT ON VIEW api.permissions IS 'The permission catalog.';

GRANT SELECT ON api.tenant, api.branches, api.users, api.roles, api.role_permissions, api.user_roles, api.permissions
  TO app_user;
GRANT UPDATE (name, legal_name, tax_id, address, locale, currency, timezone, settings) ON api.tenant TO app_user;
GRANT INSERT (id, code, name, address, phone, active), UPDATE (code, name, address, phone, active), DELETE
  ON api.branches TO app_user;
GRANT INSERT (id, email, full_name, active), UPDATE (email, full_name, active), DELETE ON api.users TO app_user;
GRANT INSERT (id, name, description), UPDATE (name, description), DELETE ON api.roles TO app_user;
GRANT INSERT (role_id, permission), DELETE ON api.role_permissions TO app_user;
GRANT INSERT (id, user_id, role_id, branch_id), UPDATE (branch_id), DELETE ON api.user_roles TO app_user;
