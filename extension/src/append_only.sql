-- Append-only tables: rows are inserted, never changed, deleted or truncated — by any role
-- but the cluster superuser (the triggers are protected). For ledgers and records of what
-- happened (stock movements, sale lines, payments).

-- The trigger: refuses the operation with the table's message (409).
CREATE FUNCTION cimiento.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION '%', COALESCE(TG_ARGV[0], TG_TABLE_NAME || ' rows cannot be changed or deleted') USING ERRCODE = 'PT409',
    HINT = COALESCE(TG_ARGV[1], 'record a correcting row instead');
END
$$;
COMMENT ON FUNCTION cimiento.refuse_change() IS 'Trigger of append-only tables (cimiento.enable_append_only): refuses UPDATE, DELETE and TRUNCATE to every role with PT409 (HTTP 409), the table''s message and hint (trigger arguments).';
GRANT EXECUTE ON FUNCTION cimiento.refuse_change() TO PUBLIC;

-- Switches append-only on for a table the session's login owns.
CREATE FUNCTION cimiento.enable_append_only(tbl regclass, message text DEFAULT NULL, hint text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_message text := COALESCE(message, pg_catalog.format('%s rows are never changed or deleted', tbl));
  v_hint text := COALESCE(hint, 'record a correcting row instead');
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = tbl AND c.relkind IN ('r', 'p')
                    AND pg_catalog.pg_has_role(session_user, c.relowner, 'USAGE')) THEN
    RAISE EXCEPTION 'permission denied: only the owner of table % can make it append-only', tbl USING ERRCODE = '42501';
  END IF;
  EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER cimiento_append_only BEFORE UPDATE OR DELETE ON %s
                               FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change(%L, %L)', tbl, v_message, v_hint);
  EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER cimiento_append_only_truncate BEFORE TRUNCATE ON %s
                               FOR EACH STATEMENT EXECUTE FUNCTION cimiento.refuse_change(%L, %L)', tbl, v_message, v_hint);
  PERFORM cimiento.protect_trigger(tbl, 'cimiento_append_only');
  PERFORM cimiento.protect_trigger(tbl, 'cimiento_append_only_truncate');
END
$$;
COMMENT ON FUNCTION cimiento.enable_append_only(regclass, text, text) IS 'Makes a table the session''s login owns append-only: protected triggers cimiento_append_only (UPDATE, DELETE) and cimiento_append_only_truncate refuse with PT409 (HTTP 409), the message and hint given (defaults: "<table> rows are never changed or deleted", "record a correcting row instead"). Only the cluster superuser can lift it. Idempotent. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.enable_append_only(regclass, text, text) FROM PUBLIC;
