-- Gapless numbering for any document table. A migration registers a table with
-- cimiento.enable_numbering(table, series_table, …); a deferred constraint trigger then
-- numbers each row at commit (Rust: cimiento.number_at_commit), acting as
-- cimiento_numbering, which may write only the registered numbering columns.

CREATE TABLE cimiento.numbered_tables (
  table_oid          regclass PRIMARY KEY,
  series_table       regclass NOT NULL,
  series_key         jsonb NOT NULL,
  period             text NOT NULL CONSTRAINT numbered_tables_period CHECK (period IN ('year', 'none')),
  date_column        name,
  status_column      name,
  unnumbered_states  text[] NOT NULL DEFAULT '{}',
  number_column      name NOT NULL,
  display_column     name NOT NULL,
  series_id_column   name NOT NULL,
  period_column      name,
  numbered_at_column name,
  notify_channel     text CONSTRAINT numbered_tables_channel CHECK (notify_channel ~ '^[a-z_][a-z0-9_]{0,62}$'),
  after_numbered     regprocedure,
  default_series     jsonb,
  number_when_free   boolean NOT NULL DEFAULT false,
  before_numbered    regprocedure
);
COMMENT ON TABLE cimiento.numbered_tables IS 'Tables numbered gaplessly at commit (registered by cimiento.enable_numbering): the series table and how a row finds its series (series_key: document column → series column), the period (year | none), the date column (period and date order), the status column and the states that are not numbered yet, the columns the numbering writes, the channel notified and the function called after numbering, the series opened when none matches, whether the statement that makes a row due (an INSERT or an issuing UPDATE) numbers it itself when its series is free (cimiento.number_when_free), and the function that prepares the after-numbering work before the series is locked (cimiento.prepare_numbering).';
GRANT SELECT ON cimiento.numbered_tables TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cimiento.numbered_tables', '');

-- Whether a relation has a column (not dropped, not a system column).
CREATE FUNCTION cimiento.numbering_has_column(tbl regclass, col name) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT col IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped)
$$;
COMMENT ON FUNCTION cimiento.numbering_has_column(regclass, name) IS 'Internal: whether a table has a (live, user) column of that name. STABLE, PARALLEL SAFE.';

-- The numbering triggers of a registered table, (re)created from its registration: every
-- backend then prepares its statements afresh (they are kept per trigger).
CREATE FUNCTION cimiento.numbering_triggers(tbl regclass) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r cimiento.numbered_tables;
  v_trigger text := (SELECT c.relname::text FROM pg_catalog.pg_class c WHERE c.oid = tbl) || '_number_at_commit';
BEGIN
  SELECT * INTO r FROM cimiento.numbered_tables n WHERE n.table_oid = tbl;
  IF NOT FOUND THEN
    RAISE EXCEPTION '% is not numbered', tbl USING ERRCODE = '55000', HINT = 'register it first with cimiento.enable_numbering(…)';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = tbl AND t.tgname = v_trigger) THEN
    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', v_trigger, tbl);
  END IF;
  EXECUTE pg_catalog.format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT%s ON %s DEFERRABLE INITIALLY DEFERRED
                               FOR EACH ROW EXECUTE FUNCTION cimiento.number_at_commit()',
    v_trigger, CASE WHEN r.status_column IS NOT NULL THEN pg_catalog.format(' OR UPDATE OF %I', r.status_column) ELSE '' END, tbl);
  DELETE FROM cimiento.protected_triggers p WHERE p.table_oid = tbl AND p.trigger_name = v_trigger;
  PERFORM cimiento.protect_trigger(tbl, v_trigger);
  -- Numbering in the issuing statement, if the table has it, is checked against the
  -- registration and its trigger recreated too.
  IF r.number_when_free THEN
    PERFORM cimiento.number_when_free(tbl, true);
  END IF;
END
$$;
COMMENT ON FUNCTION cimiento.numbering_triggers(regclass) IS 'Internal to enable_numbering and prepare_numbering (which check the caller owns the table): (re)creates the protected trigger <table>_number_at_commit and, with number_when_free, zz_number_on_insert and zz_number_on_issue, so every backend reads the registration afresh. 55000 for a table that is not numbered. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.numbering_triggers(regclass) FROM PUBLIC;

CREATE FUNCTION cimiento.enable_numbering(
  tbl regclass, series_table regclass,
  series_key jsonb DEFAULT '{"series_code": "code"}',
  period text DEFAULT 'year',
  date_column name DEFAULT NULL,
  status_column name DEFAULT NULL,
  unnumbered_states text[] DEFAULT '{draft}',
  number_column name DEFAULT 'number',
  display_column name DEFAULT 'number_display',
  series_id_column name DEFAULT 'series_id',
  period_column name DEFAULT NULL,
  numbered_at_column name DEFAULT NULL,
  notify_channel text DEFAULT NULL,
  after_numbered regprocedure DEFAULT NULL,
  default_series jsonb DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k record;
  key_series text[] := '{}';
  needed text[];
  c text;
  written text[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = tbl AND pg_catalog.pg_has_role(session_user, c.relowner, 'USAGE'))
     OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = series_table AND pg_catalog.pg_has_role(session_user, c.relowner, 'USAGE')) THEN
    RAISE EXCEPTION 'permission denied: only the owner of % and % can number it', tbl, series_table USING ERRCODE = '42501';
  END IF;
  IF after_numbered IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid = after_numbered
       AND pg_catalog.pg_has_role(session_user, p.proowner, 'USAGE') AND NOT p.prosecdef) THEN
    RAISE EXCEPTION 'after_numbered must be a function the caller owns, not SECURITY DEFINER' USING ERRCODE = '42501',
      HINT = 'it runs as cimiento_numbering, called as f(tenant_id uuid, id uuid)';
  END IF;
  IF period NOT IN ('year', 'none') THEN
    RAISE EXCEPTION 'period must be year or none, not %', period USING ERRCODE = '22023';
  END IF;
  IF series_key IS NULL OR pg_catalog.jsonb_typeof(series_key) <> 'object' THEN
    RAISE EXCEPTION 'series_key must be an object {document column: series column}' USING ERRCODE = '22023';
  END IF;
  IF default_series IS NOT NULL AND (pg_catalog.jsonb_typeof(default_series -> 'code') IS DISTINCT FROM 'string'
       OR pg_catalog.jsonb_typeof(default_series -> 'format') IS DISTINCT FROM 'string') THEN
    RAISE EXCEPTION 'default_series must be {"code": …, "format": …}' USING ERRCODE = '22023';
  END IF;
  IF default_series IS NOT NULL THEN
    PERFORM cimiento.format_document_number(default_series ->> 'format', default_series ->> 'code', 2000, 1);
  END IF;

  -- The document table.
  needed := ARRAY['tenant_id', 'id', number_column, display_column, series_id_column];
  FOR k IN SELECT key AS doc_col, value AS series_col FROM pg_catalog.jsonb_each_text(series_key) LOOP
    needed := needed || k.doc_col;
    key_series := key_series || k.series_col;
  END LOOP;
  needed := needed || ARRAY[date_column, status_column, period_column, numbered_at_column]::text[];
  FOREACH c IN ARRAY needed LOOP
    IF c IS NOT NULL AND NOT cimiento.numbering_has_column(tbl, c) THEN
      RAISE EXCEPTION '% has no column %', tbl, c USING ERRCODE = '42703';
    END IF;
  END LOOP;
  IF date_column IS NOT NULL AND (SELECT a.atttypid FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = date_column) <> 'pg_catalog.date'::regtype THEN
    RAISE EXCEPTION 'date column %.% must be of type date', tbl, date_column USING ERRCODE = '42804';
  END IF;

  -- The series table: the conventional columns, and a unique key the numbering can rely on.
  needed := ARRAY['tenant_id', 'id', 'code', 'format', 'next_number', 'active'] || key_series
            || CASE WHEN period = 'year' THEN ARRAY['fiscal_year'] ELSE '{}' END
            || CASE WHEN date_column IS NOT NULL THEN ARRAY['last_issue_date'] ELSE '{}' END;
  FOREACH c IN ARRAY needed LOOP
    IF NOT cimiento.numbering_has_column(series_table, c) THEN
      RAISE EXCEPTION 'series table % has no column %', series_table, c USING ERRCODE = '42703',
        HINT = 'a series table has tenant_id, id, code, format, next_number, active, the series_key columns, fiscal_year (period year) and last_issue_date (with a date column)';
    END IF;
  END LOOP;
  IF NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_index i
       WHERE i.indrelid = series_table AND i.indisunique AND i.indpred IS NULL
         AND (SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attname)
                FROM pg_catalog.pg_attribute a WHERE a.attrelid = series_table AND a.attnum = ANY (i.indkey))
             = (SELECT pg_catalog.array_agg(DISTINCT x ORDER BY x)
                  FROM pg_catalog.unnest(ARRAY['tenant_id'] || key_series || CASE WHEN period = 'year' THEN ARRAY['fiscal_year'] ELSE '{}' END) x)) THEN
    RAISE EXCEPTION 'series table % needs a unique key on (tenant_id, %)', series_table,
      pg_catalog.array_to_string(key_series || CASE WHEN period = 'year' THEN ARRAY['fiscal_year'] ELSE '{}' END, ', ')
      USING ERRCODE = '42P17', HINT = 'one series per tenant, key and period';
  END IF;

  INSERT INTO cimiento.numbered_tables (table_oid, series_table, series_key, period, date_column, status_column, unnumbered_states,
                                        number_column, display_column, series_id_column, period_column, numbered_at_column,
                                        notify_channel, after_numbered, default_series)
  VALUES (tbl, series_table, series_key, period, date_column, status_column,
          CASE WHEN status_column IS NULL THEN '{}' ELSE COALESCE(unnumbered_states, '{}') END,
          number_column, display_column, series_id_column, period_column, numbered_at_column,
          notify_channel, after_numbered, default_series)
  ON CONFLICT (table_oid) DO UPDATE
     SET series_table = EXCLUDED.series_table, series_key = EXCLUDED.series_key, period = EXCLUDED.period,
         date_column = EXCLUDED.date_column, status_column = EXCLUDED.status_column,
         unnumbered_states = EXCLUDED.unnumbered_states, number_column = EXCLUDED.number_column,
         display_column = EXCLUDED.display_column, series_id_column = EXCLUDED.series_id_column,
         period_column = EXCLUDED.period_column, numbered_at_column = EXCLUDED.numbered_at_column,
         notify_channel = EXCLUDED.notify_channel, after_numbered = EXCLUDED.after_numbered,
         default_series = EXCLUDED.default_series,
         -- A new after function does not take what an earlier prepare_numbering registered.
         before_numbered = NULL;

  -- What the numbering may touch, and nothing more.
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I, %I TO cimiento_numbering',
    (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl),
    (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = series_table));
  written := ARRAY[number_column, display_column, series_id_column, period_column, numbered_at_column]::text[];
  EXECUTE pg_catalog.format('GRANT SELECT, UPDATE (%s) ON %s TO cimiento_numbering',
    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(w), ', ') FROM pg_catalog.unnest(written) w WHERE w IS NOT NULL), tbl);
  EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE (next_number%s) ON %s TO cimiento_numbering',
    CASE WHEN date_column IS NOT NULL THEN ', last_issue_date' ELSE '' END, series_table);
  IF after_numbered IS NOT NULL THEN
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO cimiento_numbering', after_numbered);
  END IF;

  PERFORM cimiento.numbering_triggers(tbl);
END
$$;
COMMENT ON FUNCTION cimiento.enable_numbering(regclass, regclass, jsonb, text, name, name, text[], name, name, name, name, name, text, regprocedure, jsonb) IS
  'Numbers the rows of a tenant table gaplessly at commit: each row takes the next number of its series (found in series_table by tenant_id and series_key {document column: series column}, per fiscal year with period year, taken from date_column or the numbering date), in date order when date_column is given; with status_column, only rows whose status is not one of unnumbered_states (e.g. drafts) are numbered. It writes number_column, display_column (the series'' format: {code}, {year}, {number}, {number:0N}), series_id_column, period_column and numbered_at_column; notifies notify_channel with ''tenant_id:id''; calls after_numbered(tenant_id, id) as cimiento_numbering (registering again drops a cimiento.prepare_numbering); opens default_series {code, format} when no series matches (otherwise P0002). A new fiscal year opens the key''s series at 1. The trigger <table>_number_at_commit is deferred (SET CONSTRAINTS … IMMEDIATE numbers now) and protected. Only the owner of both tables; idempotent. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.enable_numbering(regclass, regclass, jsonb, text, name, name, text[], name, name, name, name, name, text, regprocedure, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION cimiento.numbering_has_column(regclass, name) FROM PUBLIC;

-- Numbering in the issuing statement when the series is free (Rust: cimiento.number_on_issue).
CREATE FUNCTION cimiento.number_when_free(tbl regclass, enabled boolean DEFAULT true)
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
REVOKE ALL ON FUNCTION cimiento.number_when_free(regclass, boolean) FROM PUBLIC;
-- Work that does not depend on the number, done before the series is locked.
CREATE FUNCTION cimiento.prepare_numbering(tbl regclass, before_numbered regprocedure, after_numbered regprocedure)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_returns oid;
  v_uuid constant oid := 'pg_catalog.uuid'::pg_catalog.regtype;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class x WHERE x.oid = tbl AND pg_catalog.pg_has_role(session_user, x.relowner, 'USAGE')) THEN
    RAISE EXCEPTION 'permission denied: only the owner of % can change how it is numbered', tbl USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM cimiento.numbered_tables n WHERE n.table_oid = tbl) THEN
    RAISE EXCEPTION '% is not numbered', tbl USING ERRCODE = '55000', HINT = 'register it first with cimiento.enable_numbering(…)';
  END IF;
  IF after_numbered IS NULL THEN
    RAISE EXCEPTION 'after_numbered is required: it is what the prepared value is for' USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid IN (before_numbered, after_numbered)
                AND (NOT pg_catalog.pg_has_role(session_user, p.proowner, 'USAGE') OR p.prosecdef)) THEN
    RAISE EXCEPTION 'before_numbered and after_numbered must be functions the caller owns, not SECURITY DEFINER' USING ERRCODE = '42501',
      HINT = 'they run as cimiento_numbering';
  END IF;
  IF before_numbered IS NOT NULL THEN
    SELECT p.prorettype INTO v_returns FROM pg_catalog.pg_proc p
     WHERE p.oid = before_numbered AND p.pronargs = 2 AND p.proargtypes[0] = v_uuid AND p.proargtypes[1] = v_uuid AND NOT p.proretset
       AND p.prorettype NOT IN ('pg_catalog.void'::regtype, 'pg_catalog.trigger'::regtype) AND p.provolatile <> 'v';
    IF NOT FOUND THEN
      RAISE EXCEPTION 'before_numbered must be a STABLE function f(tenant_id uuid, id uuid) returning one value' USING ERRCODE = '22023',
        HINT = 'it runs at commit before the series is locked, also for rows that are then not numbered: it only reads';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid = after_numbered
                      AND p.pronargs = 3 AND p.proargtypes[0] = v_uuid AND p.proargtypes[1] = v_uuid AND p.proargtypes[2] = v_returns) THEN
      RAISE EXCEPTION 'after_numbered must take (tenant_id uuid, id uuid, %)', v_returns::regtype USING ERRCODE = '22023',
        HINT = 'its third argument is what before_numbered returned';
    END IF;
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO cimiento_numbering', before_numbered);
  ELSIF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid = after_numbered AND p.pronargs = 2 AND p.proargtypes[0] = v_uuid AND p.proargtypes[1] = v_uuid) THEN
    RAISE EXCEPTION 'after_numbered must take (tenant_id uuid, id uuid) when nothing is prepared' USING ERRCODE = '22023';
  END IF;
  EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO cimiento_numbering', after_numbered);
  UPDATE cimiento.numbered_tables n SET before_numbered = prepare_numbering.before_numbered, after_numbered = prepare_numbering.after_numbered
   WHERE n.table_oid = tbl;
  PERFORM cimiento.numbering_triggers(tbl);
END
$$;
COMMENT ON FUNCTION cimiento.prepare_numbering(regclass, regprocedure, regprocedure) IS
  'For a table registered with cimiento.enable_numbering: the after-numbering work that does not depend on the number is done before the series is locked. At commit, for a row that is due, the numbering calls before_numbered(tenant_id, id) (STABLE: it only reads), then takes the number, then calls after_numbered(tenant_id, id, what before_numbered returned), both as cimiento_numbering — so the series stays locked only for what needs the number (e.g. a fiscal record''s chain). A row numbered by its issuing statement (number_when_free) is prepared at commit too, its series already locked. before_numbered NULL goes back to after_numbered(tenant_id, id). 22023 for a function of another shape (the hint says which), 42501 when the caller does not own the table or the functions or one is SECURITY DEFINER, 55000 for a table that is not numbered. Registering the table again with enable_numbering drops it. Only the table''s owner; idempotent. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.prepare_numbering(regclass, regprocedure, regprocedure) FROM PUBLIC;
COMMENT ON FUNCTION cimiento.number_on_issue() IS
  'BEFORE UPDATE trigger that cimiento.number_when_free attaches as zz_number_on_issue: when the row being issued is due and its series is free, takes the series'' next number (locking the series until the transaction ends), writes the numbering columns into the row and sends the notification; otherwise leaves the row to <table>_number_at_commit, which also calls the after_numbered function. Acts as cimiento_numbering. Not executable by PUBLIC.';
REVOKE ALL ON FUNCTION cimiento.number_on_issue() FROM PUBLIC;

COMMENT ON FUNCTION cimiento.number_at_commit() IS
  'Deferred constraint trigger that cimiento.enable_numbering attaches as <table>_number_at_commit: numbers a due row gaplessly at commit from its registration (cimiento.numbered_tables), acting as cimiento_numbering (which may write only the numbering columns), notifies the registered channel and calls the registered after_numbered function (also for a row its issuing statement numbered: cimiento.number_when_free), with what the registered before_numbered function prepared before the series was locked (cimiento.prepare_numbering). Errors: P0002 no series, 55000 closed series, 22008 date in the future or before the series'' last document. Not executable by PUBLIC.';
REVOKE ALL ON FUNCTION cimiento.number_at_commit() FROM PUBLIC;
COMMENT ON FUNCTION cimiento.format_document_number(text, text, integer, bigint) IS
  'Renders a document number from a series format with {code}, {year}, {number} and {number:0N}, e.g. F001-2026-000123. 22023 for a format without the number. IMMUTABLE, PARALLEL SAFE.';

-- After a restore (or any time): every numbered table's series are gapless.
CREATE FUNCTION cimiento.verify_numbering()
RETURNS TABLE (table_name regclass, series_id text, period text, numbered bigint, first_number bigint,
               last_number bigint, ok boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  t cimiento.numbered_tables;
BEGIN
  FOR t IN SELECT * FROM cimiento.numbered_tables ORDER BY table_oid::text LOOP
    RETURN QUERY EXECUTE pg_catalog.format(
      'SELECT %L::regclass, d.%I::text, %s, pg_catalog.count(*), pg_catalog.min(d.%I)::bigint, pg_catalog.max(d.%I)::bigint,
              pg_catalog.count(*) = pg_catalog.max(d.%I)::bigint - pg_catalog.min(d.%I)::bigint + 1
              AND pg_catalog.count(*) = pg_catalog.count(DISTINCT d.%I)
         FROM %s d WHERE d.%I IS NOT NULL GROUP BY 2, 3 ORDER BY 2, 3',
      t.table_oid, t.series_id_column,
      CASE WHEN t.period_column IS NULL THEN 'NULL::text' ELSE pg_catalog.format('d.%I::text', t.period_column) END,
      t.number_column, t.number_column, t.number_column, t.number_column, t.number_column,
      t.table_oid, t.number_column);
  END LOOP;
END
$$;
COMMENT ON FUNCTION cimiento.verify_numbering() IS
  'Checks every table registered with enable_numbering: one row per series and period with how many documents are numbered, the first and last number, and ok when the numbers between them have no hole and no repeat. Run it after a restore (stack.sh restore and drill do) or as a DBA at any time; it reads as the caller, so row-level security shows a tenant only its own series. STABLE, PARALLEL SAFE.';
