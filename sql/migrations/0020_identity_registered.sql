-- 0020: the engine reads who a direct SQL login is, and what a role may do, through
-- functions core registers (cimiento.register_identity) instead of naming core's tables.
-- Same answers as before: a direct login's tenant, user, roles and branches from
-- core.db_logins (active login of an active tenant); a caller's role patterns from
-- core.roles / core.role_permissions in its own tenant.

CREATE FUNCTION core.login_scope() RETURNS TABLE (tenant_id uuid, user_id uuid, roles text[], branch_ids uuid[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT l.tenant_id, l.user_id, l.roles, l.branch_ids
    FROM core.db_logins l
    JOIN core.tenants t ON t.id = l.tenant_id
   WHERE l.login_role = session_user::text AND l.active AND t.active
   LIMIT 1
$$;
REVOKE ALL ON FUNCTION core.login_scope() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.login_scope() TO app_user, analyst, cimiento_api, cimiento_owner, audit_owner, cimiento_numbering;
COMMENT ON FUNCTION core.login_scope() IS 'Identity source (registered with cimiento.register_identity): tenant, user, roles and branches (NULL: all) of the session''s direct SQL login from core.db_logins, if it and its tenant are active. SECURITY DEFINER; executable by the roles that act for a tenant, never anon. STABLE.';

CREATE FUNCTION core.caller_role_permissions() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT COALESCE(pg_catalog.jsonb_object_agg(x.name, x.patterns), '{}'::jsonb)
    FROM (SELECT r.name, pg_catalog.array_agg(rp.permission) AS patterns
            FROM core.role_permissions rp
            JOIN core.roles r ON r.tenant_id = rp.tenant_id AND r.id = rp.role_id
           WHERE r.tenant_id = cimiento.current_tenant() AND r.name = ANY (cimiento.current_roles())
           GROUP BY r.name) x
$$;
REVOKE ALL ON FUNCTION core.caller_role_permissions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.caller_role_permissions() TO app_user, analyst, cimiento_api, cimiento_owner, audit_owner, cimiento_numbering;
COMMENT ON FUNCTION core.caller_role_permissions() IS 'Identity source (registered with cimiento.register_identity): the permission patterns of each of the caller''s roles in the caller''s own tenant, as {role: [pattern]}. SECURITY DEFINER; never anon. STABLE.';

SELECT cimiento.register_identity(login_scope      => 'core.login_scope()',
                                  role_permissions => 'core.caller_role_permissions()',
                                  tenants          => 'core.tenants');
