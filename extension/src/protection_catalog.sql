-- Protected triggers (protection.rs), created first (bootstrap): the registry, the role that
-- owns protected trigger functions and the event triggers that enforce the protection.
CREATE TABLE cimiento.protected_triggers (
  table_oid    oid  NOT NULL,
  trigger_name name NOT NULL,
  function_oid oid  NOT NULL,
  trigger_type int  NOT NULL,
  protected_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_oid, trigger_name)
);
COMMENT ON TABLE cimiento.protected_triggers IS 'Triggers no role but the cluster superuser may disable, drop or replace (immutability guards, audit): written by cimiento.protect_trigger, enforced by the event triggers cimiento_protect_*.';
REVOKE ALL ON cimiento.protected_triggers FROM PUBLIC;
GRANT SELECT ON cimiento.protected_triggers TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cimiento.protected_triggers', '');

DO $guard$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'cimiento_guard') THEN
    CREATE ROLE cimiento_guard NOLOGIN;
  END IF;
END $guard$;

-- What a dropped table registered goes with it. Run by the sql_drop event trigger for every
-- role (the superuser may drop a table with protected triggers; its owner one with only an
-- owner scope): a registration left behind names an oid no table has, and a protected
-- trigger "missing" there refused every later DDL of every other role.
CREATE FUNCTION cimiento.forget_dropped_tables() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  DELETE FROM cimiento.protected_triggers p WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = p.table_oid);
  DELETE FROM cimiento.workflows w WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = w.table_oid);
  DELETE FROM cimiento.owner_scopes o WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = o.table_oid);
  DELETE FROM cimiento.numbered_tables n WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = n.table_oid);
END
$fn$;
COMMENT ON FUNCTION cimiento.forget_dropped_tables() IS 'Removes the registrations (protected triggers, workflows, owner scopes, numbered tables) of tables that no longer exist; the sql_drop event trigger runs it after a table is dropped by a role that may (the superuser; the migration owner, granted it by sql/bootstrap.sql). SECURITY DEFINER: removes only what names no table. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.forget_dropped_tables() FROM PUBLIC;

CREATE FUNCTION cimiento.enforce_protected_triggers() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  bad record;
  superuser boolean := (SELECT rolsuper FROM pg_catalog.pg_roles WHERE oid = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user));
BEGIN
  IF tg_event = 'ddl_command_end' AND NOT superuser THEN
    SELECT p.table_oid::regclass::text AS tbl, p.trigger_name INTO bad
      FROM cimiento.protected_triggers p
      LEFT JOIN pg_catalog.pg_trigger t ON t.tgrelid = p.table_oid AND t.tgname = p.trigger_name
     WHERE t.oid IS NULL OR t.tgenabled NOT IN ('O', 'A') OR t.tgfoid <> p.function_oid
        OR t.tgtype::int <> p.trigger_type
     LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'trigger % on % is protected: only the cluster superuser may disable, drop or replace it',
        bad.trigger_name, bad.tbl USING ERRCODE = '42501',
        HINT = 'it guards issued documents or the audit trail';
    END IF;
  ELSIF tg_event = 'sql_drop' THEN
    IF NOT superuser THEN
      SELECT d.object_identity INTO bad
        FROM pg_catalog.pg_event_trigger_dropped_objects() d
       WHERE d.object_type IN ('table', 'table column')
         AND d.objid IN (SELECT table_oid FROM cimiento.protected_triggers)
       LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION '% has protected triggers: only the cluster superuser may drop it or its columns', bad.object_identity
          USING ERRCODE = '42501';
      END IF;
    END IF;
    -- A dropped table's registrations go with it (checked first: never before the refusal),
    -- when the role may forget them (a role without the grant leaves them to the lint).
    IF EXISTS (SELECT FROM pg_catalog.pg_event_trigger_dropped_objects() d WHERE d.object_type = 'table')
       AND (superuser OR pg_catalog.has_function_privilege('cimiento.forget_dropped_tables()', 'EXECUTE')) THEN
      PERFORM cimiento.forget_dropped_tables();
    END IF;
  ELSIF tg_event = 'table_rewrite' AND NOT superuser THEN
    IF pg_catalog.pg_event_trigger_table_rewrite_oid() IN (SELECT table_oid FROM cimiento.protected_triggers) THEN
      RAISE EXCEPTION '% has protected triggers: only the cluster superuser may rewrite it',
        pg_catalog.pg_event_trigger_table_rewrite_oid()::regclass USING ERRCODE = '42501';
    END IF;
  END IF;
END
$fn$;
COMMENT ON FUNCTION cimiento.enforce_protected_triggers() IS 'Event trigger: refuses to every role but the cluster superuser the DDL that would disable, drop or replace a protected trigger, or drop or rewrite its table; after a table is dropped (by a role allowed to), forgets its registrations (cimiento.forget_dropped_tables).';
REVOKE ALL ON FUNCTION cimiento.enforce_protected_triggers() FROM PUBLIC;
CREATE EVENT TRIGGER cimiento_protect_ddl ON ddl_command_end EXECUTE FUNCTION cimiento.enforce_protected_triggers();
CREATE EVENT TRIGGER cimiento_protect_drop ON sql_drop EXECUTE FUNCTION cimiento.enforce_protected_triggers();
CREATE EVENT TRIGGER cimiento_protect_rewrite ON table_rewrite EXECUTE FUNCTION cimiento.enforce_protected_triggers();
