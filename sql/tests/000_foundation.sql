-- The foundation: extension, schemas, roles and their attributes.
BEGIN;
SELECT plan(13);

SELECT has_extension('cimiento', 'the cimiento extension is installed');
SELECT is(cimiento.version(), (SELECT extversion FROM pg_extension WHERE extname = 'cimiento'),
          'cimiento.version() is the installed extension version');
SELECT is(array_agg(s::text) FILTER (WHERE to_regnamespace(s) IS NULL), NULL,
          'the domain schemas (core.domain_schemas()), reports and api exist')
  FROM unnest(core.domain_schemas() || '{reports,api}'::name[]) AS s;
SELECT is(array_agg(DISTINCT n.nspname::text), NULL,
          'every schema with tenant tables is a domain schema (core.domain_schemas()), or the audit trail, the engine''s or a report summary''s')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'p') AND n.nspname <> ALL (core.domain_schemas() || '{audit,cimiento,reports}'::name[])
   AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';
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
SELECT has_extension('pg_cron', 'pg_cron (the scheduler of the engine''s jobs) is installed');
SELECT ok(EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'pg_cron launcher' AND datname = current_database()),
          'its launcher runs in this database');
SELECT is((SELECT count(*)::int FROM unnest(ARRAY['app_user', 'analyst', 'anon', 'authenticator', 'cimiento_api', 'cimiento_owner']) r
            WHERE has_schema_privilege(r, 'cron', 'USAGE')), 0,
          'no application role can schedule arbitrary SQL with pg_cron directly');

SELECT * FROM finish();
ROLLBACK;
