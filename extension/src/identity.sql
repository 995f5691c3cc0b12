-- Who is asking (identity.rs): the helpers policies and RPCs call, each with its comment and
-- grant (the public helpers keep PostgreSQL's default EXECUTE for PUBLIC: every role's
-- policies call them), and where a direct SQL login's identity comes from.
COMMENT ON FUNCTION cimiento.current_tenant() IS
  'The caller''s tenant id: from request.jwt.claims (tid) when session_user is a trusted login (cimiento.trusted_logins: PostgREST, api); otherwise from the registered identity source (cimiento.register_identity) by session_user, ignoring claims. NULL when unknown. Use as (SELECT cimiento.current_tenant()) in policies. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_user_id() IS
  'The caller''s user id (claim sub, or the registered identity source for a direct login), or NULL. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_session() IS
  'The caller''s session id (claim sid), or NULL. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_roles() IS
  'The caller''s application roles (claim roles, or the registered identity source). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_branches() IS
  'The branch ids the caller is limited to; NULL when it may act in every branch of its tenant (see all_branches()). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.all_branches() IS
  'True when the caller has a tenant and may act in all of its branches (claim branches = ["*"], or NULL branches from the registered identity source). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.can_access_branch(uuid) IS
  'True when the caller may act in the given branch of its tenant. For RPC checks; policies use the initplan form. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.has_role(text) IS
  'True when the caller holds the application role (admin, manager, cashier, registrar, teacher, analyst, or a tenant role). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.has_permission(text) IS
  'True when some grant of the caller (a role in some branches, or in all) gives the permission (resource.action) in some branch; granted patterns resource.* and * are wildcards. Looked up once per transaction. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.has_permission(text, uuid) IS
  'True when a grant of the caller gives the permission in that branch: a role granted for other branches does not count; a grant without branch counts everywhere. NULL branch: only a tenant-wide grant. NULL permission: NULL (no grant is shown). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.require_permission(text) IS
  'Raises SQLSTATE 42501 (HTTP 403 through PostgREST) naming the permission unless has_permission(permission); 22023 for a NULL permission (a check that is never skipped). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.require_permission(text, uuid) IS
  'Raises SQLSTATE 42501 (HTTP 403) naming the permission unless the caller holds it in that branch; 22023 for a NULL permission. RPCs call it with the branch of the row they act on. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.permission_branches(text) IS
  'Branches where the caller holds the permission: NULL = every branch, {} = none. Policies use it in the initplan form (see enable_permission_policy). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_amr() IS
  'Authentication methods of the caller''s token (claim amr, e.g. {pwd,otp}); empty for direct logins. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.note_permissions_changed() IS
  'Tells every backend that role permissions may have changed (they re-read them now and again when this transaction commits). Call it from statement triggers on the tables that hold roles and their permissions. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.login_scope() IS
  'Internal: tenant, user, roles and branches of the current direct SQL login, from the login_scope function registered with cimiento.register_identity. Not executable by PUBLIC. STABLE, PARALLEL SAFE.';
REVOKE ALL ON FUNCTION cimiento.login_scope() FROM PUBLIC;
COMMENT ON FUNCTION cimiento.caller_role_permissions() IS
  'Internal: the permission patterns of each of the caller''s roles in its tenant, as {role: [pattern]}, from the role_permissions function registered with cimiento.register_identity. Not executable by PUBLIC. STABLE, PARALLEL SAFE.';
REVOKE ALL ON FUNCTION cimiento.caller_role_permissions() FROM PUBLIC;

CREATE TABLE cimiento.identity_sources (
  only_one         boolean PRIMARY KEY DEFAULT true CONSTRAINT identity_sources_one CHECK (only_one),
  login_scope      regprocedure NOT NULL,
  role_permissions regprocedure NOT NULL,
  tenants          regclass NOT NULL
);
COMMENT ON TABLE cimiento.identity_sources IS 'Where the engine learns who a caller is (registered by cimiento.register_identity): the function giving a direct SQL login its tenant, user, roles and branches; the function giving the caller''s role permission patterns; and the table whose rows are tenants (audited as their own tenant''s).';
GRANT SELECT ON cimiento.identity_sources TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cimiento.identity_sources', '');

CREATE FUNCTION cimiento.register_identity(login_scope regprocedure, role_permissions regprocedure, tenants regclass)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid IN (login_scope, role_permissions)
              AND NOT pg_catalog.pg_has_role(session_user, p.proowner, 'USAGE'))
     OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = tenants AND pg_catalog.pg_has_role(session_user, c.relowner, 'USAGE')) THEN
    RAISE EXCEPTION 'permission denied: only the owner of the functions and the table can register them' USING ERRCODE = '42501';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid IN (login_scope, role_permissions)
              AND (NOT p.prosecdef OR NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c WHERE c LIKE 'search_path=%'))) THEN
    RAISE EXCEPTION 'identity functions must be SECURITY DEFINER with a pinned search_path' USING ERRCODE = '42P17',
      HINT = 'callers cannot read the tables behind them: add SECURITY DEFINER SET search_path = pg_catalog, pg_temp';
  END IF;
  IF NOT (SELECT p.proretset FROM pg_catalog.pg_proc p WHERE p.oid = login_scope)
     OR (SELECT p.prorettype FROM pg_catalog.pg_proc p WHERE p.oid = role_permissions) <> 'pg_catalog.jsonb'::regtype THEN
    RAISE EXCEPTION 'login_scope must return a set of (tenant_id, user_id, roles, branch_ids) and role_permissions jsonb' USING ERRCODE = '42P17';
  END IF;
  INSERT INTO cimiento.identity_sources (login_scope, role_permissions, tenants) VALUES (login_scope, role_permissions, tenants)
  ON CONFLICT (only_one) DO UPDATE
     SET login_scope = EXCLUDED.login_scope, role_permissions = EXCLUDED.role_permissions, tenants = EXCLUDED.tenants;
  PERFORM cimiento.note_permissions_changed();
END
$$;
COMMENT ON FUNCTION cimiento.register_identity(regprocedure, regprocedure, regclass) IS 'Registers where identities come from: login_scope() → set of (tenant_id, user_id, roles, branch_ids) for the session''s direct SQL login; role_permissions() → jsonb {role: [pattern]} for the caller''s roles in its tenant (both SECURITY DEFINER with a pinned search_path, owned by the caller); and the tenants table. Replaces the previous registration; every backend re-reads role permissions. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.register_identity(regprocedure, regprocedure, regclass) FROM PUBLIC;
