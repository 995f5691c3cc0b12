-- core: tenants, users, roles — the rules DBAs and the api rely on.
BEGIN;
SELECT plan(24);

SELECT throws_ok($$INSERT INTO core.tenants (slug, name) VALUES ('www', 'X')$$, '23514', NULL, 'a reserved slug is refused');
SELECT throws_ok($$INSERT INTO core.tenants (slug, name) VALUES ('Acme-Corp', 'X')$$, '23514', NULL, 'an upper-case slug is refused');
SELECT throws_ok($$INSERT INTO core.tenants (slug, name) VALUES ('-acme', 'X')$$, '23514', NULL, 'a slug starting with a hyphen is refused');
SELECT throws_ok($$INSERT INTO core.tenants (slug, name) VALUES (repeat('a', 64), 'X')$$, '23514', NULL, 'a slug longer than a DNS label is refused');
SELECT throws_ok($$INSERT INTO core.tenants (slug, name) VALUES ('acme', 'X')$$, '23505', NULL, 'a taken slug is refused');
SELECT lives_ok($$INSERT INTO core.tenants (slug, name) VALUES ('hooli-2', 'Hooli')$$, 'a DNS label slug is accepted');
SELECT set_eq($$SELECT r.name FROM core.roles r JOIN core.tenants t ON t.id = r.tenant_id WHERE t.slug = 'hooli-2'$$,
              ARRAY['admin', 'manager', 'cashier', 'registrar', 'teacher', 'analyst'], 'a new tenant gets the built-in roles');
SELECT is((SELECT rp.permission FROM core.role_permissions rp JOIN core.roles r ON r.tenant_id = rp.tenant_id AND r.id = rp.role_id
            JOIN core.tenants t ON t.id = r.tenant_id WHERE t.slug = 'hooli-2' AND r.name = 'admin'), '*', 'admin grants *');

SELECT throws_ok($$INSERT INTO core.users (tenant_id, email, full_name)
                   SELECT id, 'ADMIN@acme.test', 'Dup' FROM core.tenants WHERE slug = 'acme'$$,
                 '23505', NULL, 'emails are unique per tenant, case-insensitively');
SELECT lives_ok($$INSERT INTO core.users (tenant_id, email, full_name)
                  SELECT id, 'admin@acme.test', 'Same email elsewhere' FROM core.tenants WHERE slug = 'hooli-2'$$,
                'the same email may exist in another tenant');
SELECT throws_ok($$INSERT INTO core.users (tenant_id, email, full_name, password_hash)
                   SELECT id, 'weak@acme.test', 'Weak', 'md5abc' FROM core.tenants WHERE slug = 'acme'$$,
                 '23514', NULL, 'only argon2id password hashes are stored');
SELECT throws_ok($$INSERT INTO core.users (tenant_id, email, full_name) SELECT id, 'not-an-email', 'X' FROM core.tenants WHERE slug = 'acme'$$,
                 '23514', NULL, 'a malformed email is refused');

-- Writes through the REST views, as PostgREST would run them.
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$INSERT INTO api.branches (code, name) VALUES ('SUR', 'Sede Sur')$$),
          'rows:1', 'an admin creates a branch through api.branches (tenant_id defaults to the caller''s)');
SELECT is((SELECT t.slug FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE b.code = 'SUR'), 'acme',
          '…in the admin''s own tenant');
SELECT is(test_auth.run_as('user:acme:staff@acme.test', $$INSERT INTO api.branches (code, name) VALUES ('ESTE', 'Sede Este')$$),
          '42501', 'a teacher cannot create a branch');
SELECT is(test_auth.run_as('user:acme:staff@acme.test', $$UPDATE api.branches SET name = 'x'$$), 'rows:0',
          'a teacher changes no branch');
SELECT is(test_auth.run_as('user:acme:admin@acme.test',
            format($$INSERT INTO api.branches (tenant_id, code, name) VALUES (%L, 'X', 'x')$$, (SELECT id FROM core.tenants WHERE slug = 'globex'))),
          '42501', 'tenant_id cannot be chosen through the REST view');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT count(*) FROM api.tenant'), '1', 'api.tenant shows only the caller''s tenant');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$UPDATE api.tenant SET name = 'Acme Renombrada'$$), 'rows:1',
          'an admin renames its tenant');
SELECT is(test_auth.run_as('user:acme:staff@acme.test', $$UPDATE api.tenant SET name = 'Hijacked'$$), 'rows:0',
          'a teacher cannot rename the tenant');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT password_hash FROM core.users LIMIT 1'), 'ERR:42501',
          'password hashes are not readable by app_user');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT totp_secret FROM core.users LIMIT 1'), 'ERR:42501',
          'TOTP secrets are not readable by app_user');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$UPDATE core.roles SET description = 'x' WHERE name = 'admin'$$), 'rows:0',
          'built-in roles cannot be changed');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$INSERT INTO api.roles (name, description) VALUES ('coordinator', 'Coordina')$$),
          'rows:1', 'an admin adds a tenant role');

SELECT * FROM finish();
ROLLBACK;
