-- The isolation matrix: for every tenant table (found in the catalog, so a new table is
-- covered without editing this file), every operation, as {anon, same-tenant user, other-
-- tenant user, user of another branch, tenant admin}. A table without fixture rows for
-- all three tenants fails: add them to sql/tests/fixtures.
BEGIN;
-- no plan(n): the matrix runs its checks for every tenant table, so the count follows the schema.
SELECT no_plan();

CREATE TEMP TABLE personas (key text PRIMARY KEY, persona text NOT NULL);
INSERT INTO personas VALUES
  ('anon',         'anon'),
  ('admin_a',      'user:acme:admin@acme.test'),
  ('staff_a',      'user:acme:staff@acme.test'),
  ('branch2_a',    'user:acme:branch2@acme.test'),
  ('other_tenant', 'user:globex:admin@globex.test');

CREATE TEMP TABLE tenant_tables AS
  SELECT c.oid::regclass AS tbl, c.oid::regclass::text AS name,
         EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'branch_id' AND NOT a.attisdropped)
           AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation_select'
                         AND pg_get_expr(p.polqual, p.polrelid) LIKE '%current_branches%') AS branch_scoped,
         (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' AND a.attidentity <> 'a') AS cols
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p')
     AND n.nspname = ANY (core.domain_schemas() || 'audit'::name)
     AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped);

SELECT cmp_ok((SELECT count(*) FROM tenant_tables), '>=', 6::bigint, 'the matrix found the tenant tables');

CREATE TEMP TABLE ids AS
  SELECT (SELECT id FROM core.tenants WHERE slug = 'acme') AS a,
         (SELECT id FROM core.tenants WHERE slug = 'globex') AS b,
         (SELECT id FROM core.tenants WHERE slug = 'initech') AS c,
         (SELECT id FROM core.branches WHERE code = 'CENTRO' AND tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS a_b1;

CREATE FUNCTION pg_temp.matrix(t tenant_tables, ids ids) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  n_a bigint; n_b bigint; n_c bigint;
  res text; v text;
  sample_b jsonb; sample_a jsonb; sample_a_b1 jsonb;
  p record;
  ins text;
BEGIN
  EXECUTE format('SELECT count(*) FILTER (WHERE tenant_id = $1), count(*) FILTER (WHERE tenant_id = $2),
                         count(*) FILTER (WHERE tenant_id = $3) FROM %s', t.tbl)
    INTO n_a, n_b, n_c USING ids.a, ids.b, ids.c;
  RETURN NEXT ok(n_a > 0 AND n_b > 0 AND n_c > 0,
                 format('%s has fixture rows for all three tenants (%s/%s/%s)', t.name, n_a, n_b, n_c));
  EXECUTE format('SELECT to_jsonb(x) FROM %s x WHERE tenant_id = $1 LIMIT 1', t.tbl) INTO sample_a USING ids.a;
  EXECUTE format('SELECT to_jsonb(x) FROM %s x WHERE tenant_id = $1 LIMIT 1', t.tbl) INTO sample_b USING ids.b;
  ins := 'INSERT INTO %s (' || t.cols || ') SELECT ' || t.cols || ' FROM jsonb_populate_record(NULL::%s, %L::jsonb)';

  -- anon sees and changes nothing.
  v := test_auth.value_as('anon', format('SELECT count(*) FROM %s', t.tbl));
  RETURN NEXT ok(v IN ('0', 'ERR:42501'), format('%s: anon reads nothing (%s)', t.name, v));
  res := test_auth.run_as('anon', format('UPDATE %s SET tenant_id = tenant_id', t.tbl));
  RETURN NEXT ok(res IN ('rows:0', '42501'), format('%s: anon updates nothing (%s)', t.name, res));
  res := test_auth.run_as('anon', format('DELETE FROM %s', t.tbl));
  RETURN NEXT ok(res IN ('rows:0', '42501'), format('%s: anon deletes nothing (%s)', t.name, res));
  res := test_auth.run_as('anon', format(ins, t.tbl, t.tbl, sample_a));
  RETURN NEXT is(res, '42501', format('%s: anon cannot insert', t.name));

  -- Every signed-in persona of tenant A sees only tenant A's rows; a user of tenant B sees none of A's.
  FOR p IN SELECT * FROM personas WHERE key <> 'anon' LOOP
    v := test_auth.value_as(p.persona, format('SELECT count(*) FROM %s WHERE tenant_id <> (SELECT cimiento.current_tenant())', t.tbl));
    RETURN NEXT ok(v IN ('0', 'ERR:42501'), format('%s: %s sees no row of another tenant (%s)', t.name, p.key, v));
    res := test_auth.run_as(p.persona, format('UPDATE %s SET tenant_id = tenant_id WHERE tenant_id <> (SELECT cimiento.current_tenant())', t.tbl));
    RETURN NEXT ok(res IN ('rows:0', '42501'), format('%s: %s updates no row of another tenant (%s)', t.name, p.key, res));
    res := test_auth.run_as(p.persona, format('DELETE FROM %s WHERE tenant_id <> (SELECT cimiento.current_tenant())', t.tbl));
    RETURN NEXT ok(res IN ('rows:0', '42501'), format('%s: %s deletes no row of another tenant (%s)', t.name, p.key, res));
  END LOOP;

  -- Writing into another tenant: refused, whatever the caller's permissions.
  res := test_auth.run_as('user:acme:admin@acme.test', format(ins, t.tbl, t.tbl, sample_b));
  RETURN NEXT is(res, '42501', format('%s: the admin of A cannot insert a row into B', t.name));
  res := test_auth.run_as('user:globex:admin@globex.test', format(ins, t.tbl, t.tbl, sample_a));
  RETURN NEXT is(res, '42501', format('%s: the admin of B cannot insert a row into A', t.name));
  res := test_auth.run_as('user:acme:admin@acme.test',
                          format('UPDATE %s SET tenant_id = %L WHERE tenant_id = %L', t.tbl, ids.b, ids.a));
  RETURN NEXT is(res, '42501', format('%s: the admin of A cannot move a row to B', t.name));

  -- The admin of A sees exactly A's rows (when its role may read the table at all).
  v := test_auth.value_as('user:acme:admin@acme.test', format('SELECT count(*) FROM %s', t.tbl));
  RETURN NEXT ok(v IN (n_a::text, 'ERR:42501'), format('%s: the admin of A sees exactly A''s %s rows (%s)', t.name, n_a, v));
  v := test_auth.value_as('user:acme:staff@acme.test', format('SELECT count(*) FROM %s', t.tbl));
  RETURN NEXT ok(v = 'ERR:42501' OR v::bigint <= n_a, format('%s: a user of A sees at most A''s rows (%s)', t.name, v));

  -- Branch-scoped tables: a user limited to branch 2 never touches branch 1.
  IF t.branch_scoped THEN
    EXECUTE format('SELECT to_jsonb(x) FROM %s x WHERE tenant_id = $1 AND branch_id = $2 LIMIT 1', t.tbl)
      INTO sample_a_b1 USING ids.a, ids.a_b1;
    RETURN NEXT ok(sample_a_b1 IS NOT NULL, format('%s has fixture rows in branch 1 of A', t.name));
    v := test_auth.value_as('user:acme:branch2@acme.test', format('SELECT count(*) FROM %s WHERE branch_id = %L', t.tbl, ids.a_b1));
    RETURN NEXT ok(v IN ('0', 'ERR:42501'), format('%s: a branch-2 user sees no row of branch 1 (%s)', t.name, v));
    res := test_auth.run_as('user:acme:branch2@acme.test', format('UPDATE %s SET branch_id = branch_id WHERE branch_id = %L', t.tbl, ids.a_b1));
    RETURN NEXT ok(res IN ('rows:0', '42501'), format('%s: a branch-2 user updates no row of branch 1 (%s)', t.name, res));
    res := test_auth.run_as('user:acme:branch2@acme.test', format('DELETE FROM %s WHERE branch_id = %L', t.tbl, ids.a_b1));
    RETURN NEXT ok(res IN ('rows:0', '42501'), format('%s: a branch-2 user deletes no row of branch 1 (%s)', t.name, res));
    res := test_auth.run_as('user:acme:branch2@acme.test', format(ins, t.tbl, t.tbl, sample_a_b1));
    RETURN NEXT is(res, '42501', format('%s: a branch-2 user cannot insert into branch 1', t.name));
  END IF;
END $$;

SELECT pg_temp.matrix(t, (SELECT i FROM ids i)) FROM tenant_tables t ORDER BY t.name;

SELECT * FROM finish();
ROLLBACK;
