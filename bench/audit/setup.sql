-- Six identical tables: (a) no trigger, (b) the cimiento audit trigger, (c) a PL/pgSQL
-- trigger in the style of supabase/supa_audit (the row as jsonb into a record_version
-- table with its indexes and uuid-v5 record ids), (d) no trigger, the statement itself
-- writing the same trail row into a copy of the audit log (same columns, defaults and
-- indexes; no policies, no sealing): what the trail's row costs whoever writes it, (e) a
-- loose bound on any audit trigger: PostgreSQL's cheapest C row trigger (contrib lo's
-- lo_manage, which does nothing for an INSERT, nor for an UPDATE that leaves its column
-- alone) and the statement writing the same row into a bare copy of the log (no index, no
-- policy), (f) (d)'s statement, into its own copy of the log with every index, under (e)'s
-- no-op trigger: the trail row an audit trigger has to write, plus the least a row trigger
-- costs. 100 000 rows each, loaded before the triggers are attached.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO app_user;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['plain', 'cimiento', 'plpgsql', 'floor', 'bare', 'bound'] LOOP
    EXECUTE format($f$
      CREATE TABLE bench.items_%1$s (
        tenant_id  uuid NOT NULL,
        id         bigint NOT NULL,
        name       text NOT NULL,
        amount     numeric(12,2) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id));
      CREATE SEQUENCE bench.items_%1$s_seq START 100001;
      INSERT INTO bench.items_%1$s (tenant_id, id, name, amount)
      SELECT '00000000-0000-4000-8000-000000000b01', g, 'item ' || g, g %% 500 FROM generate_series(1, 100000) g;
      GRANT SELECT, INSERT, UPDATE ON bench.items_%1$s TO app_user;
      GRANT USAGE ON SEQUENCE bench.items_%1$s_seq TO app_user;
    $f$, t);
  END LOOP;
END $$;

SELECT cimiento.enable_audit('bench.items_cimiento');

-- (d) the trail's row without a trigger: a copy of the log holding what the log holds now.
CREATE TABLE bench.trail_copy (LIKE audit.log INCLUDING ALL);
INSERT INTO bench.trail_copy OVERRIDING SYSTEM VALUE SELECT * FROM audit.log;
SELECT setval(pg_get_serial_sequence('bench.trail_copy', 'id'), (SELECT max(id) FROM bench.trail_copy));
GRANT INSERT ON bench.trail_copy TO app_user;
COMMENT ON TABLE bench.trail_copy IS 'Bench (d): the audit log''s shape and indexes, written by the audited statement itself.';

-- (e) the same row into the log's columns alone (no index), under a trigger that does nothing.
CREATE TABLE bench.trail_bare (LIKE audit.log INCLUDING DEFAULTS INCLUDING IDENTITY);
INSERT INTO bench.trail_bare OVERRIDING SYSTEM VALUE SELECT * FROM audit.log;
SELECT setval(pg_get_serial_sequence('bench.trail_bare', 'id'), (SELECT max(id) FROM bench.trail_bare));
GRANT INSERT ON bench.trail_bare TO app_user;
COMMENT ON TABLE bench.trail_bare IS 'Bench (e): the audit log''s columns without its indexes, written by the audited statement itself.';
CREATE EXTENSION IF NOT EXISTS lo;
CREATE TRIGGER cheapest AFTER INSERT OR UPDATE ON bench.items_bare
  FOR EACH ROW EXECUTE FUNCTION lo_manage('name');
COMMENT ON TRIGGER cheapest ON bench.items_bare IS 'Bench (e): a C row trigger that does nothing here (name is never updated): the least a row trigger costs.';

-- (f) (d)'s row into its own copy of the log with every index, under (e)'s no-op trigger.
CREATE TABLE bench.trail_bound (LIKE audit.log INCLUDING ALL);
INSERT INTO bench.trail_bound OVERRIDING SYSTEM VALUE SELECT * FROM audit.log;
SELECT setval(pg_get_serial_sequence('bench.trail_bound', 'id'), (SELECT max(id) FROM bench.trail_bound));
GRANT INSERT ON bench.trail_bound TO app_user;
COMMENT ON TABLE bench.trail_bound IS 'Bench (f): the audit log''s shape and indexes, written by the statement itself under a no-op C trigger.';
CREATE TRIGGER cheapest AFTER INSERT OR UPDATE ON bench.items_bound
  FOR EACH ROW EXECUTE FUNCTION lo_manage('name');
COMMENT ON TRIGGER cheapest ON bench.items_bound IS 'Bench (f): the no-op C row trigger of (e), over (d)''s statement and row.';

-- (c) supa_audit style
CREATE TABLE bench.record_version (
  id            bigserial PRIMARY KEY,
  record_id     uuid,
  old_record_id uuid,
  op            text NOT NULL,
  ts            timestamptz NOT NULL DEFAULT now(),
  table_oid     oid NOT NULL,
  table_schema  name NOT NULL,
  table_name    name NOT NULL,
  record        jsonb,
  old_record    jsonb
);
CREATE INDEX record_version_record_id ON bench.record_version (record_id) WHERE record_id IS NOT NULL;
CREATE INDEX record_version_old_record_id ON bench.record_version (old_record_id) WHERE old_record_id IS NOT NULL;
CREATE INDEX record_version_ts ON bench.record_version USING brin (ts);
CREATE INDEX record_version_table_oid ON bench.record_version (table_oid);

CREATE FUNCTION bench.primary_key_columns(entity_oid oid) RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(pa.attname::text ORDER BY pa.attnum), '{}')
    FROM pg_index pi JOIN pg_attribute pa ON pi.indrelid = pa.attrelid AND pa.attnum = ANY (pi.indkey)
   WHERE pi.indrelid = entity_oid AND pi.indisprimary
$$;
CREATE FUNCTION bench.to_record_id(entity_oid oid, pkey_cols text[], rec jsonb) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN rec IS NULL THEN NULL
              WHEN pkey_cols = '{}' THEN uuid_generate_v4()
              ELSE uuid_generate_v5('fd62bc3d-8d6e-43c2-919c-802ba3762271',
                                    (jsonb_build_array(to_jsonb(entity_oid)) || jsonb_agg(rec -> key_))::text)
         END
    FROM unnest(pkey_cols) AS x(key_)
$$;
CREATE FUNCTION bench.audit_trigger() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  pkey_cols text[] = bench.primary_key_columns(TG_RELID);
  record_jsonb jsonb = to_jsonb(new);
  record_id uuid = bench.to_record_id(TG_RELID, pkey_cols, record_jsonb);
  old_record_jsonb jsonb = to_jsonb(old);
  old_record_id uuid = bench.to_record_id(TG_RELID, pkey_cols, old_record_jsonb);
BEGIN
  INSERT INTO bench.record_version (record_id, old_record_id, op, table_oid, table_schema, table_name, record, old_record)
  SELECT record_id, old_record_id, TG_OP, TG_RELID, TG_TABLE_SCHEMA, TG_TABLE_NAME, record_jsonb, old_record_jsonb;
  RETURN coalesce(new, old);
END $$;
COMMENT ON FUNCTION bench.primary_key_columns(oid) IS 'Bench (c), supa_audit style: primary key columns of a table.';
COMMENT ON FUNCTION bench.to_record_id(oid, text[], jsonb) IS 'Bench (c), supa_audit style: a uuid-v5 record id from the primary key.';
COMMENT ON FUNCTION bench.audit_trigger() IS 'Bench (c), supa_audit style: writes the row as jsonb into bench.record_version.';
CREATE TRIGGER audit_i_u_d AFTER INSERT OR UPDATE OR DELETE ON bench.items_plpgsql
  FOR EACH ROW EXECUTE FUNCTION bench.audit_trigger();
VACUUM ANALYZE;
