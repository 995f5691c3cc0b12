-- The extension learns identities only through what a migration registered
-- (cimiento.register_identity): the registration, who may change it, and what it accepts.
BEGIN;
SELECT no_plan();

SELECT is((SELECT login_scope::text || ' ' || role_permissions::text || ' ' || tenants::text FROM cimiento.identity_sources),
          'core.login_scope() core.caller_role_permissions() core.tenants', 'core registered its identity sources');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$SELECT cimiento.register_identity('core.login_scope()', 'core.caller_role_permissions()', 'core.tenants')$$),
          '^42501', 'API callers cannot change where identities come from');
SELECT matches(test_auth.error_as('login:acme_analyst',
            $$SELECT cimiento.register_identity('core.login_scope()', 'core.caller_role_permissions()', 'core.tenants')$$),
          '^42501', 'nor can a direct analyst login');
CREATE FUNCTION pg_temp.open_scope() RETURNS TABLE (tenant_id uuid, user_id uuid, roles text[], branch_ids uuid[])
LANGUAGE sql AS $$ SELECT NULL::uuid, NULL::uuid, NULL::text[], NULL::uuid[] $$;
SELECT is(test_auth.error_as('login:postgres',
            $$SELECT cimiento.register_identity('pg_temp.open_scope()', 'core.caller_role_permissions()', 'core.tenants')$$),
          '42P17: identity functions must be SECURITY DEFINER with a pinned search_path', 'identity functions must pin their search path');
SELECT is(test_auth.value_as('login:acme_analyst', $$SELECT (SELECT slug FROM core.tenants WHERE id = cimiento.current_tenant())$$),
          'acme', 'a direct login still gets its tenant through the registered source');

SELECT * FROM finish();
ROLLBACK;
