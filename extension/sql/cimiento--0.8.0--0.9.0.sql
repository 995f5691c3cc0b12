-- cimiento 0.8.0 → 0.9.0 (ALTER EXTENSION cimiento UPDATE; sql/bootstrap.sql runs it).
-- Numbering when free covers INSERTs (#13): a row inserted already due — every row of a
-- table without a status column, such as tickets — is numbered by its INSERT when its
-- series is free (trigger zz_number_on_insert), written once instead of a second row
-- version at commit. A number taken for a row the INSERT then does not write (ON CONFLICT)
-- refuses the commit (library code: a pre-commit callback). The same statements as in
-- cimiento--0.9.0.sql (numbering.sql); the tables already numbered when free get the new
-- trigger, as a database created at 0.9.0 has it.

CREATE OR REPLACE FUNCTION cimiento.number_when_free(tbl regclass, enabled boolean DEFAULT true)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r cimiento.numbered_tables;
  v_on_issue constant text := 'zz_number_on_issue';
  v_on_insert constant text := 'zz_number_on_insert';
  v_trigger text;
  v_due text;
  c record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class x WHERE x.oid = tbl AND pg_catalog.pg_has_role(session_user, x.relowner, 'USAGE')) THEN
    RAISE EXCEPTION 'permission denied: only the owner of % can change how it is numbered', tbl USING ERRCODE = '42501';
  END IF;
  SELECT * INTO r FROM cimiento.numbered_tables n WHERE n.table_oid = tbl;
  IF NOT FOUND THEN
    RAISE EXCEPTION '% is not numbered', tbl USING ERRCODE = '55000', HINT = 'register it first with cimiento.enable_numbering(…)';
  END IF;
  IF enabled THEN
    -- The trigger writes the number into the row itself, so each written column has the
    -- type the numbering gives it.
    FOR c IN SELECT w.col, w.want, a.atttypid
               FROM (VALUES (r.number_column, 'pg_catalog.int8'::regtype), (r.display_column, 'pg_catalog.text'::regtype),
                            (r.series_id_column, 'pg_catalog.uuid'::regtype), (r.period_column, 'pg_catalog.int4'::regtype),
                            (r.numbered_at_column, 'pg_catalog.timestamptz'::regtype)) w(col, want)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = tbl AND a.attname = w.col AND NOT a.attisdropped
              WHERE a.atttypid <> w.want LOOP
      RAISE EXCEPTION 'column %.% is of type %, the numbering writes %', tbl, c.col, c.atttypid::regtype, c.want
        USING ERRCODE = '42804';
    END LOOP;
  END IF;
  UPDATE cimiento.numbered_tables n SET number_when_free = enabled WHERE n.table_oid = tbl;
  -- The triggers are recreated, so every backend prepares its statements afresh (they are
  -- kept per trigger).
  FOREACH v_trigger IN ARRAY ARRAY[v_on_issue, v_on_insert] LOOP
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = tbl AND t.tgname = v_trigger) THEN
      EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', v_trigger, tbl);
    END IF;
    DELETE FROM cimiento.protected_triggers p WHERE p.table_oid = tbl AND p.trigger_name = v_trigger;
  END LOOP;
  IF enabled THEN
    -- Named to sort after the table's other BEFORE triggers (PostgreSQL fires them in name
    -- order): they read the row as those leave it, and none of those can skip the row after
    -- it took a number.
    IF r.status_column IS NOT NULL THEN
      EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE UPDATE OF %I ON %s FOR EACH ROW
                                   WHEN (NEW.%I IS NULL AND NEW.%I IS DISTINCT FROM OLD.%I)
                                   EXECUTE FUNCTION cimiento.number_on_issue()',
        v_on_issue, r.status_column, tbl, r.number_column, r.status_column, r.status_column);
      PERFORM cimiento.protect_trigger(tbl, v_on_issue);
      v_due := pg_catalog.format(' AND NOT (NEW.%I::pg_catalog.text = ANY (%L::pg_catalog.text[]))', r.status_column, r.unnumbered_states);
    END IF;
    -- Rows inserted already due (every row of a table without a status column).
    EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT ON %s FOR EACH ROW
                                 WHEN (NEW.%I IS NULL%s)
                                 EXECUTE FUNCTION cimiento.number_on_issue()',
      v_on_insert, tbl, r.number_column, coalesce(v_due, ''));
    PERFORM cimiento.protect_trigger(tbl, v_on_insert);
  END IF;
END
$$;
COMMENT ON FUNCTION cimiento.number_when_free(regclass, boolean) IS
  'For a table registered with cimiento.enable_numbering: the statement that makes a row due — an INSERT of a row already due (every row of a table without a status column), or an UPDATE of the status column (e.g. draft → issued) — takes its number in that statement when the row''s series is free — not locked by another transaction — and writes it into the row itself (one row version and one audit row instead of a second at commit); the series then stays locked until the transaction ends, as with numbering at commit. A busy series, a new fiscal year, a refused date, a transaction above READ COMMITTED, or cimiento.defer_numbering = on (for a function that issues and then does more work: ALTER FUNCTION … SET cimiento.defer_numbering = on) leave the row to the numbering at commit; so do the next 8 issues of the table in the same session after one whose series was busy (under contention the series is then held only from the commit on, not from the issuing statement through the client''s round trips). The notification is sent and the after_numbered function called as at commit. A number taken for a row the statement then does not write (INSERT … ON CONFLICT that finds a conflict) refuses the commit (55000): it would be a hole. Attaches the protected triggers zz_number_on_insert and, with a status column, zz_number_on_issue; enabled false removes them. 42804 when a numbering column has another type than the numbering writes (bigint, text, uuid, integer, timestamptz). Only the table''s owner; idempotent. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';

COMMENT ON TABLE cimiento.numbered_tables IS 'Tables numbered gaplessly at commit (registered by cimiento.enable_numbering): the series table and how a row finds its series (series_key: document column → series column), the period (year | none), the date column (period and date order), the status column and the states that are not numbered yet, the columns the numbering writes, the channel notified and the function called after numbering, the series opened when none matches, whether the statement that makes a row due (an INSERT or an issuing UPDATE) numbers it itself when its series is free (cimiento.number_when_free), and the function that prepares the after-numbering work before the series is locked (cimiento.prepare_numbering).';
COMMENT ON FUNCTION cimiento.numbering_triggers(regclass) IS 'Internal to enable_numbering and prepare_numbering (which check the caller owns the table): (re)creates the protected trigger <table>_number_at_commit and, with number_when_free, zz_number_on_insert and zz_number_on_issue, so every backend reads the registration afresh. 55000 for a table that is not numbered. VOLATILE, PARALLEL UNSAFE.';

SELECT cimiento.number_when_free(n.table_oid, true) FROM cimiento.numbered_tables n WHERE n.number_when_free;
