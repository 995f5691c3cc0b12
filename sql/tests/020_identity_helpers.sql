-- The identity helpers, from each role's point of view.
BEGIN;
SELECT plan(36);

CREATE TEMP TABLE t AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT id FROM core.tenants WHERE slug = 'globex') AS globex,
  (SELECT b.id FROM core.branches b JOIN core.tenants x ON x.id = b.tenant_id WHERE x.slug = 'acme' AND b.code = 'CENTRO') AS acme_b1,
  (SELECT b.id FROM core.branches b JOIN core.tenants x ON x.id = b.tenant_id WHERE x.slug = 'acme' AND b.code = 'NORTE') AS acme_b2;

-- Signed-in users (PostgREST: session_user authenticator, role app_user, claims).
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT cimiento.current_tenant()'), (SELECT acme::text FROM t),
          'current_tenant() is the tid claim for a PostgREST request');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT cimiento.current_user_id()'),
          (SELECT id::text FROM core.users WHERE email_key = 'admin@acme.test'), 'current_user_id() is the sub claim');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT cimiento.current_roles()::text'), '{admin}',
          'current_roles() are the roles claim');
SELECT ok(test_auth.value_as('user:acme:admin@acme.test', 'SELECT cimiento.current_session()') ~ '^[0-9a-f-]{36}$',
          'current_session() is the sid claim');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT cimiento.all_branches()'), 'true',
          'a tenant-wide user acts in every branch');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT cimiento.current_branches() IS NULL'), 'true',
          'current_branches() is NULL for a tenant-wide user');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', 'SELECT cimiento.current_branches()::text'),
          (SELECT '{' || acme_b2 || '}' FROM t), 'a branch-limited user has exactly its branch');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', 'SELECT cimiento.all_branches()'), 'false',
          'a branch-limited user does not act in every branch');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', format('SELECT cimiento.can_access_branch(%L)', (SELECT acme_b1 FROM t))),
          'false', 'can_access_branch() refuses another branch');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', format('SELECT cimiento.can_access_branch(%L)', (SELECT acme_b2 FROM t))),
          'true', 'can_access_branch() allows its own branch');

-- Permissions: union of roles, with wildcards.
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT cimiento.has_permission('payments.create')$$), 'true',
          'admin (*) has every permission');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT cimiento.has_permission('attendance.record')$$), 'true',
          'teacher (attendance.*) may record attendance');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT cimiento.has_permission('payments.create')$$), 'false',
          'teacher may not register payments');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT cimiento.has_role('teacher')$$), 'true', 'has_role() reads the roles claim');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT cimiento.has_role('admin')$$), 'false', 'has_role() is exact');
SELECT is(test_auth.error_as('user:acme:staff@acme.test', $$SELECT cimiento.require_permission('payments.create')$$),
          '42501: permission denied: payments.create is required', 'require_permission() raises 42501 naming the permission');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$SELECT cimiento.require_permission('payments.create')$$),
          NULL, 'require_permission() passes when granted');
SELECT is(test_auth.value_as(format('claims:{"tid":"%s","roles":["teacher","cashier"],"branches":["*"],"grants":{"teacher":["*"],"cashier":["*"]}}', (SELECT acme FROM t)),
                             $$SELECT cimiento.has_permission('payments.create') AND cimiento.has_permission('attendance.record')$$),
          'true', 'permissions are the union of the roles');
SELECT is(test_auth.value_as(format('claims:{"tid":"%s","roles":["auditor"],"branches":["*"],"grants":{"auditor":["*"]}}', (SELECT acme FROM t)),
                             $$SELECT cimiento.has_permission('audit.read')$$),
          'true', 'a tenant''s own role grants its permissions');
SELECT is(test_auth.value_as(format('claims:{"tid":"%s","roles":["auditor"],"branches":["*"],"grants":{"auditor":["*"]}}', (SELECT globex FROM t)),
                             $$SELECT cimiento.has_permission('audit.read')$$),
          'true', 'each tenant has its own auditor role');
SELECT is(test_auth.value_as(format('claims:{"tid":"%s","roles":["ghost"],"branches":["*"],"grants":{"ghost":["*"]}}', (SELECT acme FROM t)),
                             $$SELECT cimiento.has_permission('courses.read')$$),
          'false', 'an unknown role grants nothing');

-- Malformed or missing claims: no tenant, nothing visible.
SELECT is(test_auth.value_as('claims:{"tid":"not-a-uuid"}', 'SELECT cimiento.current_tenant() IS NULL'), 'true',
          'a malformed tid means no tenant');
SELECT is(test_auth.value_as('claims:{"tid":"not-a-uuid"}', 'SELECT count(*) FROM core.branches'), '0',
          'a caller without a tenant sees no rows');
SELECT is(test_auth.value_as('anon', 'SELECT cimiento.current_tenant() IS NULL'), 'true', 'anon has no tenant');

-- Direct SQL logins get their tenant from core.db_logins and cannot widen it.
SELECT is(test_auth.value_as('login:acme_analyst', 'SELECT cimiento.current_tenant()'), (SELECT acme::text FROM t),
          'a direct login gets its tenant from core.db_logins');
SELECT is(test_auth.value_as('login:acme_analyst',
            format($$SELECT set_config('request.jwt.claims', '{"tid":"%s","roles":["admin"],"branches":["*"],"grants":{"admin":["*"]}}', false) IS NOT NULL
                       AND cimiento.current_tenant() = %L$$, (SELECT globex FROM t), (SELECT acme FROM t))),
          'true', 'set_config(request.jwt.claims) by a direct login does not change its tenant');
SELECT is(test_auth.value_as('login:acme_analyst',
            format($$SELECT count(*) FROM (SELECT set_config('request.jwt.claims', '{"tid":"%s"}', true)) s, core.branches b
                     WHERE b.tenant_id = %L$$, (SELECT globex FROM t), (SELECT globex FROM t))),
          '0', 'a direct login that spoofs claims still sees no row of another tenant');
SELECT is(test_auth.value_as('login:acme_analyst', 'SELECT count(*) FROM core.branches'), '2',
          'a direct login sees its own tenant''s rows');
SELECT is(test_auth.value_as('login:acme_analyst', $$SELECT cimiento.has_permission('reports.read')$$), 'true',
          'a direct login has the roles of its db_logins row');
SELECT alike(test_auth.error_as('login:acme_analyst', $$SET cimiento.trusted_logins = 'acme_analyst'$$), '55P02%',
            'a login cannot make itself trusted (the setting is SIGHUP-only)');
SELECT alike(test_auth.error_as('login:acme_analyst', 'SET ROLE authenticator'), '42501%',
            'a direct login cannot become the PostgREST login role');

CREATE ROLE stray_login LOGIN IN ROLE analyst;
SELECT is(test_auth.value_as('login:stray_login', 'SELECT cimiento.current_tenant() IS NULL'), 'true',
          'a login without a db_logins row has no tenant');
SELECT is(test_auth.value_as('login:stray_login', 'SELECT count(*) FROM core.branches'), '0',
          'a login without a db_logins row sees nothing');
UPDATE core.db_logins SET active = false WHERE login_role = 'acme_analyst';
SELECT is(test_auth.value_as('login:acme_analyst', 'SELECT count(*) FROM core.branches'), '0',
          'a deactivated db_login sees nothing');

-- The definer lookups are not callable by anon or PUBLIC.
SELECT ok(NOT has_function_privilege('anon', 'cimiento.login_scope()', 'EXECUTE'), 'anon cannot call login_scope()');
SELECT ok(NOT has_function_privilege('anon', 'cimiento.caller_role_permissions()', 'EXECUTE'), 'anon cannot call caller_role_permissions()');

SELECT * FROM finish();
ROLLBACK;
