-- cimiento.isolation_report: clean for the shipped schema; each rule fires when broken.
BEGIN;
SELECT plan(16);

SELECT is((SELECT count(*)::int FROM cimiento.isolation_report()), 0, 'the shipped schema has no isolation finding');

CREATE SCHEMA probe;
CREATE TABLE probe.t1 (tenant_id uuid, id int, PRIMARY KEY (tenant_id, id));
CREATE TABLE probe.t2 (tenant_id uuid, id int, t1_id int, PRIMARY KEY (tenant_id, id));
SELECT set_eq($$SELECT rule FROM cimiento.isolation_report() WHERE object = 'probe.t1'$$,
              ARRAY['rls_not_enabled_and_forced', 'no_policies'], 'a bare tenant table: no forced RLS, no policies');

SELECT cimiento.enable_tenant_isolation('probe.t1');
SELECT cimiento.enable_tenant_isolation('probe.t2');
SELECT is((SELECT count(*)::int FROM cimiento.isolation_report()), 0, 'enable_tenant_isolation clears them');

ALTER TABLE probe.t1 NO FORCE ROW LEVEL SECURITY;
SELECT ok(EXISTS (SELECT 1 FROM cimiento.isolation_report() WHERE object = 'probe.t1' AND rule = 'rls_not_enabled_and_forced'),
          'RLS enabled but not forced is a finding');
ALTER TABLE probe.t1 FORCE ROW LEVEL SECURITY;

CREATE POLICY open_select ON probe.t1 FOR SELECT USING (true);
SELECT ok(EXISTS (SELECT 1 FROM cimiento.isolation_report() WHERE object = 'probe.t1 policy open_select'
                    AND rule = 'policy_not_confined_to_tenant'), 'an always-true permissive policy is a finding');
DROP POLICY open_select ON probe.t1;
CREATE POLICY or_leak ON probe.t1 FOR SELECT USING (tenant_id = (SELECT cimiento.current_tenant()) OR id > 0);
SELECT ok(EXISTS (SELECT 1 FROM cimiento.isolation_report() WHERE object = 'probe.t1 policy or_leak'),
          'a policy that ORs the tenant rule away is a finding');
DROP POLICY or_leak ON probe.t1;
CREATE POLICY narrowing ON probe.t1 AS RESTRICTIVE FOR SELECT USING (id > 0);
SELECT is((SELECT count(*)::int FROM cimiento.isolation_report()), 0, 'a restrictive policy (it only narrows) is fine');

ALTER TABLE probe.t1 ADD CONSTRAINT t1_id_key UNIQUE (tenant_id, id);
ALTER TABLE probe.t2 ADD CONSTRAINT t2_t1 FOREIGN KEY (t1_id, tenant_id) REFERENCES probe.t1 (id, tenant_id);
SELECT ok(EXISTS (SELECT 1 FROM cimiento.isolation_report() WHERE rule = 'foreign_key_without_tenant_id'
                    AND object = 'probe.t2 constraint t2_t1'), 'a foreign key not led by tenant_id is a finding');
ALTER TABLE probe.t2 DROP CONSTRAINT t2_t1;

CREATE VIEW probe.exposed AS SELECT * FROM probe.t1;
GRANT USAGE ON SCHEMA probe TO app_user;
GRANT SELECT ON probe.exposed TO app_user;
SELECT ok(EXISTS (SELECT 1 FROM cimiento.isolation_report() WHERE object = 'probe.exposed' AND rule = 'view_without_security_invoker'),
          'a view readable by app_user without security_invoker is a finding');
ALTER VIEW probe.exposed SET (security_invoker = true);
SELECT is((SELECT count(*)::int FROM cimiento.isolation_report()), 0, 'security_invoker clears it');

CREATE FUNCTION probe.definer() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
SELECT set_eq($$SELECT rule FROM cimiento.isolation_report() WHERE object = 'probe.definer()'$$,
              ARRAY['security_definer_without_search_path', 'security_definer_executable_by_public_or_anon'],
              'a SECURITY DEFINER function without search_path, executable by PUBLIC, is two findings');
ALTER FUNCTION probe.definer() SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION probe.definer() FROM PUBLIC;
SELECT is((SELECT count(*)::int FROM cimiento.isolation_report()), 0, 'fixed search_path and revoked EXECUTE clear them');
GRANT EXECUTE ON FUNCTION probe.definer() TO anon;
SELECT ok(EXISTS (SELECT 1 FROM cimiento.isolation_report() WHERE object = 'probe.definer()'
                    AND rule = 'security_definer_executable_by_public_or_anon'), 'EXECUTE granted to anon is a finding');
REVOKE EXECUTE ON FUNCTION probe.definer() FROM anon;

ALTER ROLE app_user BYPASSRLS;
SELECT ok(EXISTS (SELECT 1 FROM cimiento.isolation_report() WHERE object = 'app_user' AND rule = 'api_role_bypasses_rls'),
          'an API role with BYPASSRLS is a finding');
ALTER ROLE app_user NOBYPASSRLS;
CREATE ROLE sneaky_analyst LOGIN BYPASSRLS IN ROLE analyst;
SELECT ok(EXISTS (SELECT 1 FROM cimiento.isolation_report() WHERE object = 'sneaky_analyst' AND rule = 'api_role_bypasses_rls'),
          'a member of analyst with BYPASSRLS is a finding');
DROP ROLE sneaky_analyst;

CREATE MATERIALIZED VIEW probe.snapshot AS SELECT * FROM probe.t1;
GRANT SELECT ON probe.snapshot TO analyst;
SELECT ok(EXISTS (SELECT 1 FROM cimiento.isolation_report() WHERE object = 'probe.snapshot' AND rule = 'materialized_view_exposed'),
          'a materialized view readable by analysts is a finding');

SELECT * FROM finish();
ROLLBACK;
