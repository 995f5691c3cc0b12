-- Scale-out readiness (distribution.rs; docs/scale-out.md explains each blocker).
CREATE FUNCTION cimiento.distribution_report()
RETURNS TABLE (table_name regclass, proposed text, blockers text[])
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  WITH tables AS (
    SELECT c.oid AS rel,
           EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                      AND a.attnum > 0 AND NOT a.attisdropped) AS keyed,
           (SELECT a.attnum FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
               AND NOT a.attisdropped) AS tenant_attnum
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'cimiento', 'cron', 'public')
       AND n.nspname NOT LIKE 'pg\_%'
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND d.objid = c.oid AND d.deptype = 'e')),
  findings AS (
    -- Citus refuses subqueries in the policies of a distributed table.
    SELECT t.rel, pg_catalog.format('policy %s uses a subquery', p.polname) AS blocker
      FROM tables t JOIN pg_catalog.pg_policy p ON p.polrelid = t.rel
     WHERE pg_catalog.concat_ws(' ', pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                                pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)) ~* '\mSELECT\M'
    UNION ALL
    -- A unique constraint of a distributed table must include the distribution column.
    SELECT t.rel, pg_catalog.format('%s %s does not include tenant_id',
                                    CASE k.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique constraint' ELSE 'exclusion constraint' END,
                                    k.conname)
      FROM tables t JOIN pg_catalog.pg_constraint k ON k.conrelid = t.rel
     WHERE t.keyed AND k.contype IN ('p', 'u', 'x') AND NOT (t.tenant_attnum = ANY (k.conkey))
    UNION ALL
    SELECT t.rel, pg_catalog.format('unique index %s does not include tenant_id', i.indexrelid::pg_catalog.regclass)
      FROM tables t JOIN pg_catalog.pg_index i ON i.indrelid = t.rel
     WHERE t.keyed AND i.indisunique
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid)
       AND NOT (t.tenant_attnum = ANY (i.indkey::pg_catalog.int2[]))
    UNION ALL
    -- Between distributed tables a foreign key must join on the distribution column.
    SELECT t.rel, pg_catalog.format('foreign key %s to %s does not join on tenant_id', k.conname, k.confrelid::pg_catalog.regclass)
      FROM tables t
      JOIN pg_catalog.pg_constraint k ON k.conrelid = t.rel AND k.contype = 'f'
      JOIN tables r ON r.rel = k.confrelid
     WHERE t.keyed AND r.keyed
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.generate_subscripts(k.conkey, 1) s
                        WHERE k.conkey[s] = t.tenant_attnum
                          AND k.confkey[s] = r.tenant_attnum)
    UNION ALL
    -- A reference table (copied to every node) cannot point at a distributed one.
    SELECT t.rel, pg_catalog.format('foreign key %s points from a reference table to the distributed %s', k.conname, k.confrelid::pg_catalog.regclass)
      FROM tables t
      JOIN pg_catalog.pg_constraint k ON k.conrelid = t.rel AND k.contype = 'f'
      JOIN tables r ON r.rel = k.confrelid
     WHERE NOT t.keyed AND r.keyed
    UNION ALL
    -- Citus runs user triggers on distributed tables only with citus.enable_unsafe_triggers.
    SELECT t.rel, pg_catalog.format('%s %s runs %s',
                                    CASE WHEN g.tgconstraint <> 0 THEN 'constraint trigger' ELSE 'trigger' END,
                                    g.tgname, g.tgfoid::pg_catalog.regproc)
      FROM tables t JOIN pg_catalog.pg_trigger g ON g.tgrelid = t.rel
     WHERE NOT g.tgisinternal)
  SELECT t.rel::pg_catalog.regclass,
         CASE WHEN t.keyed THEN 'distributed by tenant_id' ELSE 'reference' END,
         COALESCE((SELECT pg_catalog.array_agg(f.blocker ORDER BY f.blocker) FROM findings f WHERE f.rel = t.rel),
                             '{}'::text[])
    FROM tables t
   ORDER BY t.rel::pg_catalog.regclass::pg_catalog.text
$$;
COMMENT ON FUNCTION cimiento.distribution_report() IS
  'Scale-out readiness for Citus: one row per table of the application schemas with how it would be distributed (by tenant_id, or as a reference table when it has none) and what blocks that today: policies with subqueries (Citus refuses them on distributed tables), primary keys, unique constraints and indexes without tenant_id, foreign keys between distributed tables not joined on tenant_id, reference tables pointing at distributed ones, user and constraint triggers (allowed only with citus.enable_unsafe_triggers). An empty blockers array means the table can be distributed as it is. See docs/scale-out.md. STABLE, PARALLEL SAFE.';
