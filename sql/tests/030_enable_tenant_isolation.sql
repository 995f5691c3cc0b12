-- cimiento.enable_tenant_isolation: forced RLS, named policies, branch rule, refusals.
BEGIN;
SELECT plan(16);

CREATE SCHEMA probe;
GRANT USAGE ON SCHEMA probe TO app_user;
CREATE TABLE probe.scoped (
  tenant_id uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id int NOT NULL,
  branch_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON probe.scoped TO app_user;
SELECT lives_ok($$SELECT cimiento.enable_tenant_isolation('probe.scoped', true)$$, 'enable a branch-scoped table');
SELECT lives_ok($$SELECT cimiento.enable_tenant_isolation('probe.scoped', true)$$, 'enabling again is harmless (idempotent)');
SELECT is((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'probe.scoped'::regclass), true,
          'RLS is enabled and forced');
SELECT policies_are('probe', 'scoped',
  ARRAY['tenant_isolation_select', 'tenant_isolation_insert', 'tenant_isolation_update', 'tenant_isolation_delete'],
  'exactly the four named policies, after two calls');
SELECT ok((SELECT pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polrelid = 'probe.scoped'::regclass
            AND polname = 'tenant_isolation_select') ~ 'SELECT cimiento.current_tenant\(\)',
          'the tenant rule is in the initplan form');

INSERT INTO probe.scoped (tenant_id, id, branch_id)
SELECT b.tenant_id, row_number() OVER (), b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id;

SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT count(*) FROM probe.scoped'), '2',
          'a tenant-wide user sees both branches of its tenant');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', 'SELECT count(*) FROM probe.scoped'), '1',
          'a branch-limited user sees only its branch');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test',
            'SELECT count(*) FROM probe.scoped s JOIN core.branches b ON b.tenant_id = s.tenant_id AND b.id = s.branch_id WHERE b.code = ''NORTE'''),
          '1', '…which is branch 2');

-- Switching back to tenant-only scope replaces the policies.
SELECT lives_ok($$SELECT cimiento.enable_tenant_isolation('probe.scoped')$$, 'scope can be changed to tenant-only');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', 'SELECT count(*) FROM probe.scoped'), '2',
          'tenant-only scope ignores branches');

-- Refusals with clear errors.
CREATE TABLE probe.no_tenant (id int PRIMARY KEY);
SELECT throws_ok($$SELECT cimiento.enable_tenant_isolation('probe.no_tenant')$$, '42P17',
                 'probe.no_tenant has no tenant_id column', 'a table without tenant_id is refused');
CREATE TABLE probe.text_tenant (tenant_id text, id int, PRIMARY KEY (tenant_id, id));
SELECT throws_ok($$SELECT cimiento.enable_tenant_isolation('probe.text_tenant')$$, '42P17',
                 'probe.text_tenant.tenant_id is text, not uuid', 'tenant_id must be uuid');
CREATE TABLE probe.unindexed (id int PRIMARY KEY, tenant_id uuid NOT NULL);
SELECT throws_ok($$SELECT cimiento.enable_tenant_isolation('probe.unindexed')$$, '42P17',
                 'probe.unindexed has no index leading with tenant_id', 'a table without a tenant_id-leading index is refused');
CREATE TABLE probe.no_branch (tenant_id uuid, id int, PRIMARY KEY (tenant_id, id));
SELECT throws_ok($$SELECT cimiento.enable_tenant_isolation('probe.no_branch', true)$$, '42P17',
                 'probe.no_branch is branch-scoped but has no branch_id uuid column', 'branch scope needs branch_id');
CREATE VIEW probe.v AS SELECT 1 AS x;
SELECT throws_ok($$SELECT cimiento.enable_tenant_isolation('probe.v')$$, '22023',
                 'probe.v is not a table; tenant isolation applies to tables', 'a view is refused');
SELECT throws_ok($$SELECT cimiento.enable_tenant_isolation('probe.missing')$$, '42P01', NULL, 'an unknown table is refused');

SELECT * FROM finish();
ROLLBACK;
