-- The foundation: extension, schemas, roles and their attributes.
BEGIN;
SELECT plan(14);

SELECT has_extension('cimiento', 'the cimiento extension is installed');
SELECT is(cimiento.version(), (SELECT extversion FROM pg_extension WHERE extname = 'cimiento'),
          'cimiento.version() is the installed extension version');
SELECT has_schema(s, format('schema %s exists', s))
  FROM unnest(ARRAY['core', 'academy', 'billing', 'commerce', 'reports', 'api']) AS s;
SELECT is((SELECT rolinherit FROM pg_roles WHERE rolname = 'authenticator'), false,
          'authenticator is NOINHERIT');
SELECT is((SELECT count(*)::int FROM pg_roles
            WHERE rolname IN ('authenticator', 'anon', 'app_user', 'analyst', 'cimiento_api')
              AND (rolsuper OR rolbypassrls)), 0,
          'no API or analyst role is superuser or BYPASSRLS');
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'cimiento_owner'), false,
          'the migration owner is not a superuser');
SELECT ok(pg_has_role('authenticator', 'app_user', 'MEMBER') AND pg_has_role('authenticator', 'anon', 'MEMBER'),
          'authenticator may switch to anon and app_user');
SELECT ok(NOT pg_has_role('authenticator', 'cimiento_owner', 'MEMBER'),
          'authenticator cannot become the owner');
SELECT is((SELECT count(*)::int FROM meta.migrations WHERE sha256 !~ '^[0-9a-f]{64}$'), 0,
          'every applied migration is recorded with its sha256');

SELECT * FROM finish();
ROLLBACK;
