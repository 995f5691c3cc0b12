-- Every public function, table and view carries a description (\df+ and \d+ show it;
-- PostgREST's OpenAPI uses the api comments).
BEGIN;
SELECT plan(3);

SELECT is(array_agg(p.oid::regprocedure::text ORDER BY 1), NULL,
          'every cimiento.* function has a COMMENT')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'cimiento' AND obj_description(p.oid, 'pg_proc') IS NULL;

SELECT is(array_agg(c.oid::regclass::text ORDER BY 1), NULL, 'every table and view of the product schemas has a COMMENT')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm')
   AND n.nspname = ANY (core.domain_schemas() || '{audit,reports,api,meta,hooks}'::name[])
   AND obj_description(c.oid, 'pg_class') IS NULL;

SELECT is(array_agg(p.oid::regprocedure::text ORDER BY 1), NULL, 'every function of the product schemas has a COMMENT')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = ANY (core.domain_schemas() || '{audit,reports,api,hooks,test_auth}'::name[])
   AND obj_description(p.oid, 'pg_proc') IS NULL;

SELECT * FROM finish();
ROLLBACK;
