-- 0048: a direct SQL login's scope without per-call planning. core.login_scope is read once
-- per transaction by every psql / DBA session (cimiento.login_scope, which now keeps its own
-- statements prepared per backend). As LANGUAGE sql with a SET clause it was parsed and
-- planned on each call; PL/pgSQL keeps the plan for the session. Same signature, result,
-- security, grants and owner.
CREATE OR REPLACE FUNCTION core.login_scope() RETURNS TABLE (tenant_id uuid, user_id uuid, roles text[], branch_ids uuid[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN QUERY
  SELECT l.tenant_id, l.user_id, l.roles, l.branch_ids
    FROM core.db_logins l
    JOIN core.tenants t ON t.id = l.tenant_id
   WHERE l.login_role = session_user::text AND l.active AND t.active
   LIMIT 1;
END
$$;
COMMENT ON FUNCTION core.login_scope() IS 'Identity source (registered with cimiento.register_identity): tenant, user, roles and branches (NULL: all) of the session''s direct SQL login from core.db_logins, if it and its tenant are active. SECURITY DEFINER; executable by the roles that act for a tenant, never anon. STABLE (PL/pgSQL: plan cached per session).';
