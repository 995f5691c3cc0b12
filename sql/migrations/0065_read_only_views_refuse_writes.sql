-- 0065: a write to a read-only view of the API is refused as a client error, not a 500.
--
-- POST, PATCH or DELETE on a view PostgreSQL cannot update (the reports, the audit log, the
-- fiscal records, the imports, stock levels…) failed in the rewriter with SQLSTATE 55000
-- "cannot insert into view", before any privilege was checked; PostgREST answers 55000 with
-- HTTP 500 and PostgreSQL's advice to create an INSTEAD OF trigger. Found by sending every
-- resource of the OpenAPI document malformed writes as three roles (10 374 answers of 500).
-- Each such view now has an INSTEAD OF trigger, so the write reaches the executor: API
-- roles, which hold no write privilege on these views, get 42501 (403, as for any table they
-- may not write), and a role that holds one (the owner, in psql) gets PT405 (405) naming
-- the view. pgTAP 110 checks that every view of the API is updatable or has the trigger.

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION core.refuse_write_to_view() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION '%.% is read-only', TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'PT405',
    HINT = 'read it (GET); it is written through the resources or functions it is built from';
END
$$;
COMMENT ON FUNCTION core.refuse_write_to_view() IS 'INSTEAD OF trigger of the read-only views of the API (core.make_view_read_only): refuses INSERT, UPDATE and DELETE with PT405 (HTTP 405) naming the view. Without it PostgreSQL refuses them with 55000, which PostgREST answers with a 500. VOLATILE.';
REVOKE ALL ON FUNCTION core.refuse_write_to_view() FROM PUBLIC;

CREATE FUNCTION core.make_view_read_only(p_view regclass) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = p_view AND c.relkind = 'v') THEN
    RAISE EXCEPTION '% is not a view', p_view USING ERRCODE = '22023';
  END IF;
  EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON %s
                               FOR EACH ROW EXECUTE FUNCTION core.refuse_write_to_view()', p_view);
END
$$;
COMMENT ON FUNCTION core.make_view_read_only(regclass) IS 'Gives a view PostgreSQL cannot update the INSTEAD OF trigger core.refuse_write_to_view, so that a write to it is a client error (42501 without the privilege, else PT405) and not 55000 (HTTP 500 through PostgREST). Every new read-only view of the API calls it (pgTAP 110 checks). Run by the migration owner. VOLATILE.';
REVOKE ALL ON FUNCTION core.make_view_read_only(regclass) FROM PUBLIC;

-- Every view of the API that is neither insertable, updatable nor deletable and has no
-- INSTEAD OF trigger yet.
SELECT core.make_view_read_only(c.oid::regclass)
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'api' AND c.relkind = 'v'
   AND pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 28 = 0
 ORDER BY c.relname;
