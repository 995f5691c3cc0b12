-- Tenant isolation, permission policies and owner scopes (isolation.rs): the functions'
-- comments and grants, and the registry of owner-scoped tables that isolation_report checks.
COMMENT ON FUNCTION cimiento.enable_permission_policy(regclass, text, text[]) IS
  'Creates or replaces the restrictive policy permission_<command> on a table: the caller needs one of the permissions in the row''s branch (tables with branch_id; a row without branch needs a tenant-wide grant), or in some branch (other tables). Initplan form. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.enable_owner_scope(regclass, text, text, text, text[]) IS
  'Scopes a table to its rows'' owners: for each command (default select, update, delete) the restrictive policy permission_<command> admits a caller holding the wide permission in the row''s branch, or holding the own permission there when owner_column is their user id (policies.read vs policies.read_own). Initplan form; registered in cimiento.owner_scopes and checked by isolation_report(). Only the table''s owner (the session''s login) may call it. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.enable_owner_scope(regclass, text, text, text, text[]) FROM PUBLIC;
COMMENT ON FUNCTION cimiento.enable_tenant_isolation(regclass, boolean) IS
  'Enables and forces RLS on a table with tenant_id and (re)creates policies tenant_isolation_{select,insert,update,delete} in the initplan form; with branch_scoped also limits rows to the caller''s branches. Refuses tables without tenant_id uuid or an index leading with it. Idempotent. VOLATILE, PARALLEL UNSAFE.';

CREATE TABLE cimiento.owner_scopes (
  table_oid      regclass NOT NULL,
  command        text NOT NULL CONSTRAINT owner_scopes_command CHECK (command IN ('select', 'insert', 'update', 'delete')),
  owner_column   name NOT NULL,
  permission     text NOT NULL,
  own_permission text NOT NULL,
  PRIMARY KEY (table_oid, command)
);
COMMENT ON TABLE cimiento.owner_scopes IS 'Commands of tables scoped to their rows'' owners (cimiento.enable_owner_scope): the owner column, the wide permission and the own permission. isolation_report() checks their policies stay in place.';
GRANT SELECT ON cimiento.owner_scopes TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cimiento.owner_scopes', '');
