-- The extension learns identities (cimiento.register_identity) and where the audit trail
-- lives (cimiento.register_audit_store) only through what a migration registered: the
-- registrations, who may change them, and what they accept.
BEGIN;
SELECT plan(14);

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

-- The audit store.
SELECT is((SELECT concat_ws(' ', log, seals, chain_base, sealer_state, sealed_txids) FROM cimiento.audit_store),
          'audit.log audit.seals audit.chain_base audit.sealer_state audit.sealed_txids', 'core registered its audit store');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$SELECT cimiento.register_audit_store('audit.log', 'audit.seals', 'audit.chain_base', 'audit.sealer_state', 'audit.sealed_txids')$$),
          '^42501', 'API callers cannot register an audit store');
SELECT matches(test_auth.error_as('login:cimiento_owner',
            $$SELECT cimiento.register_audit_store('audit.log', 'audit.seals', 'audit.chain_base', 'audit.sealer_state', 'audit.sealed_txids')$$),
          '^42501: permission denied', 'the migration owner, not a member of audit_owner at rest, cannot either');
CREATE SCHEMA probe_trail;
CREATE TABLE probe_trail.log (tenant_id uuid, id bigint);
CREATE TABLE probe_trail.seals (LIKE audit.seals);
CREATE TABLE probe_trail.chain_base (LIKE audit.chain_base);
CREATE TABLE probe_trail.sealer_state (LIKE audit.sealer_state);
CREATE TABLE probe_trail.sealed_txids (LIKE audit.sealed_txids);
SELECT matches(test_auth.error_as('login:postgres',
            $$SELECT cimiento.register_audit_store('probe_trail.log', 'probe_trail.seals', 'probe_trail.chain_base', 'probe_trail.sealer_state', 'probe_trail.sealed_txids')$$),
          '^42703: the audit tables lack columns the engine writes: probe_trail.log.branch_id, ', 'a log without the columns the trigger writes is refused, naming them');
SELECT is(test_auth.error_as('login:postgres',
            $$SELECT cimiento.register_audit_store('probe_trail.log', 'audit.seals', 'audit.chain_base', 'audit.sealer_state', 'audit.sealed_txids')$$),
          '42P17: the audit tables must live in one schema of their own', 'the store is one schema');
DROP TABLE probe_trail.log;
CREATE TABLE probe_trail.log (LIKE audit.log);
SELECT is(test_auth.error_as('login:postgres',
            $$SELECT cimiento.register_audit_store('probe_trail.log', 'probe_trail.seals', 'probe_trail.chain_base', 'probe_trail.sealer_state', 'probe_trail.sealed_txids')$$),
          '55000: an audit store is registered already', 'a registered store is never swapped for another (the chain covers the rows where they are)');
SELECT lives_ok($$SELECT cimiento.register_audit_store('audit.log', 'audit.seals', 'audit.chain_base', 'audit.sealer_state', 'audit.sealed_txids')$$,
          'registering the same store again is a no-op');
SELECT matches(test_auth.error_as('login:postgres', 'SELECT cimiento.enable_audit(''audit.seals'')'),
          '^22023: audit.seals is part of the audit trail itself', 'the store''s own tables are never audited');
INSERT INTO core.permissions (code, description) VALUES ('probe.store', 'probe');
SELECT is((SELECT count(*)::int FROM audit.log WHERE table_name = 'core.permissions' AND row_pk ->> 'code' = 'probe.store'), 1,
          'the trigger writes into the registered log');

SELECT * FROM finish();
ROLLBACK;
