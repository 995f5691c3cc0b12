-- Owner scope (cimiento.enable_owner_scope) from each role's point of view: a collector sees
-- and changes only the rows assigned to them, a manager (the wide permission) all of them;
-- the lint notices a dropped owner policy. On a probe table, as a business migration would.
BEGIN;
SELECT plan(15);

CREATE TEMP TABLE ids AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT id FROM core.branches b WHERE b.code = 'CENTRO' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b1,
  (SELECT id FROM core.branches b WHERE b.code = 'NORTE' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b2,
  (SELECT id FROM core.users WHERE email_key = 'staff@acme.test') AS staff,
  (SELECT id FROM core.users WHERE email_key = 'branch2@acme.test') AS registrar;
GRANT SELECT ON ids TO PUBLIC;

CREATE SCHEMA probe;
GRANT USAGE ON SCHEMA probe TO app_user;
CREATE TABLE probe.visits (
  tenant_id    uuid NOT NULL,
  id           int NOT NULL,
  branch_id    uuid NOT NULL,
  collector_id uuid,
  note         text,
  PRIMARY KEY (tenant_id, id)
);
GRANT SELECT, UPDATE (note), DELETE ON probe.visits TO app_user;
SELECT cimiento.enable_tenant_isolation('probe.visits', true);
SELECT lives_ok($$SELECT cimiento.enable_owner_scope('probe.visits', 'collector_id', 'visits.read', 'visits.read_own', '{select}')$$,
                'reads are scoped to the owner');
SELECT lives_ok($$SELECT cimiento.enable_owner_scope('probe.visits', 'collector_id', 'visits.manage', 'visits.manage_own', '{update,delete}')$$,
                'and so are changes, with their own pair of permissions');
-- Visits: 1 and 2 are the teacher's (Centro), 3 is nobody's (Centro), 4 the teacher's in Norte.
INSERT INTO probe.visits SELECT acme, 1, b1, staff, 'a' FROM ids;
INSERT INTO probe.visits SELECT acme, 2, b1, staff, 'b' FROM ids;
INSERT INTO probe.visits SELECT acme, 3, b1, NULL, 'c' FROM ids;
INSERT INTO probe.visits SELECT acme, 4, b2, staff, 'd' FROM ids;
-- The teacher is also a collector in Centro only.
INSERT INTO core.roles (tenant_id, name, description) SELECT acme, 'collector', 'Collects door to door' FROM ids;
INSERT INTO core.role_permissions (tenant_id, role_id, permission)
SELECT acme, (SELECT id FROM core.roles WHERE tenant_id = acme AND name = 'collector'), p
  FROM ids, unnest(ARRAY['visits.read_own', 'visits.manage_own']) AS p;
INSERT INTO core.user_roles (tenant_id, user_id, role_id, branch_id)
SELECT acme, staff, (SELECT id FROM core.roles WHERE tenant_id = acme AND name = 'collector'), b1 FROM ids;

SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT string_agg(id::text, ',' ORDER BY id) FROM probe.visits$$),
          '1,2', 'the collector sees only their own visits, in the branch of the grant');
SELECT is(test_auth.run_as('user:acme:staff@acme.test', $$UPDATE probe.visits SET note = 'cobrado' WHERE id IN (1, 3)$$),
          'rows:1', 'and changes only their own');
SELECT is(test_auth.run_as('user:acme:staff@acme.test', $$DELETE FROM probe.visits WHERE id = 3$$), 'rows:0', 'nor deletes another''s');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(id::text, ',' ORDER BY id) FROM probe.visits$$),
          '1,2,3,4', 'the admin (wide permission) sees every visit');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', $$SELECT count(*) FROM probe.visits$$),
          '0', 'a user without either permission sees none');
SELECT is(test_auth.value_as('user:globex:admin@globex.test', $$SELECT count(*) FROM probe.visits$$),
          '0', 'another tenant''s admin sees none (tenant isolation still applies)');

SELECT is((SELECT string_agg(command || ':' || permission || '/' || own_permission, ',' ORDER BY command)
             FROM cimiento.owner_scopes WHERE table_oid = 'probe.visits'::regclass),
          'delete:visits.manage/visits.manage_own,select:visits.read/visits.read_own,update:visits.manage/visits.manage_own',
          'the scopes are registered per command');
SELECT is((SELECT count(*)::int FROM cimiento.isolation_report() WHERE object LIKE 'probe.visits%'), 0, 'the lint is content');
DROP POLICY permission_update ON probe.visits;
SELECT is((SELECT string_agg(object || ' ' || rule, ',') FROM cimiento.isolation_report() WHERE object LIKE 'probe.visits%'),
          'probe.visits update owner_scope_policy_missing', 'a dropped owner policy is a finding');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$SELECT cimiento.enable_owner_scope('probe.visits', 'collector_id', 'visits.read', 'visits.read_own')$$),
          '^42501', 'API callers cannot scope tables');
SELECT matches(test_auth.error_as('login:cimiento_owner',
            $$SELECT cimiento.enable_owner_scope('probe.visits', 'collector_id', 'visits.read', 'visits.read_own')$$),
          '^42501', 'nor can a login that does not own the table');
SELECT is(test_auth.error_as('login:postgres', $$SELECT cimiento.enable_owner_scope('probe.visits', 'note', 'visits.read', 'visits.read_own')$$),
          '42P17: the owner column note is missing or not uuid', 'the owner column must hold a user id');
SELECT is(test_auth.error_as('login:postgres', $$SELECT cimiento.enable_owner_scope('probe.visits', 'collector_id', 'visits', 'visits.read_own')$$),
          '22023: permissions must be codes of the form resource.action', 'permissions are checked');

SELECT * FROM finish();
ROLLBACK;
