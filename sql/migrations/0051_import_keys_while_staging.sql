-- 0051: a 200 MB upload no longer ends in 503 (#16). Its last step, api.validate_import,
-- compared every staged row's natural key with every other's (a sort of the whole batch)
-- and counted the rows, in one statement: on 2.6 million rows that outlasts the api
-- login's statement_timeout (15 s), so the upload was cancelled after staging it all.
-- Now each row's natural key is kept as it is staged (imports.rows.natural_key, indexed),
-- the batch counts its rows as they arrive (rows_total), and each validation chunk marks
-- its own rows that repeat an earlier row's key, by index: the work per statement is a
-- chunk's, whatever the file's size. The same rows are marked, with the same words.

ALTER TABLE imports.rows ADD COLUMN natural_key text;
COMMENT ON COLUMN imports.rows.natural_key IS 'The row''s natural key as the target defines it (each part trimmed, case ignored, joined by U+001F), kept when staged; NULL when a part is missing or the file lacks a key column. Validation marks a row whose key an earlier row has.';
CREATE INDEX rows_natural_key_idx ON imports.rows (tenant_id, batch_id, natural_key, row_no) WHERE natural_key IS NOT NULL;
GRANT INSERT (natural_key) ON imports.rows TO app_user;

-- The headers a batch's natural key is read from (NULL when the mapping lacks one).
CREATE FUNCTION imports.key_headers(p_batch imports.batches) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN bool_and(p_batch.mapping ? imports.header_of(p_batch.mapping, k)) THEN array_agg(imports.header_of(p_batch.mapping, k) ORDER BY o) END
    FROM imports.targets t, unnest(t.natural_key) WITH ORDINALITY AS u(k, o)
   WHERE t.name = p_batch.target
$$;
COMMENT ON FUNCTION imports.key_headers(imports.batches) IS 'Internal: the headers a batch''s natural key is read from, in the key''s order; NULL when the mapping lacks one of them (its rows are then not compared). STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION imports.key_headers(imports.batches) TO app_user;

-- A raw row's natural key read through those headers.
CREATE FUNCTION imports.row_key(p_raw jsonb, p_headers text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN p_headers IS NULL OR EXISTS (SELECT 1 FROM unnest(p_headers) h WHERE p_raw ->> h IS NULL) THEN NULL
              ELSE nullif((SELECT string_agg(lower(btrim(p_raw ->> h)), chr(31) ORDER BY o) FROM unnest(p_headers) WITH ORDINALITY AS u(h, o)), '') END
$$;
COMMENT ON FUNCTION imports.row_key(jsonb, text[]) IS 'Internal: a staged row''s natural key (each part trimmed, case ignored, joined by U+001F); NULL when a part is missing or the key is empty. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION imports.row_key(jsonb, text[]) TO app_user;

CREATE OR REPLACE FUNCTION api.stage_import_rows(batch_id uuid, first_row_no integer, rows jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
  v_keys text[];
  v_n integer;
BEGIN
  IF v_batch.status <> 'uploaded' THEN
    RAISE EXCEPTION 'rows are staged before validation starts' USING ERRCODE = 'PT409', HINT = 'start a new batch';
  END IF;
  IF jsonb_typeof(rows) <> 'array' OR first_row_no IS NULL OR first_row_no < 1 THEN
    RAISE EXCEPTION 'rows must be an array of arrays of texts, numbered from first_row_no >= 1' USING ERRCODE = '22023',
      HINT = 'each row lists its values in the order of the headers';
  END IF;
  v_keys := imports.key_headers(v_batch);
  INSERT INTO imports.rows (tenant_id, batch_id, row_no, raw, natural_key)
  SELECT v_batch.tenant_id, v_batch.id, s.row_no, s.raw, imports.row_key(s.raw, v_keys)
    FROM (SELECT first_row_no + r.i::integer - 1 AS row_no,
                 (SELECT coalesce(jsonb_object_agg(h.name, v.value), '{}')
                    FROM unnest(v_batch.headers) WITH ORDINALITY AS h(name, pos)
                    JOIN jsonb_array_elements_text(CASE jsonb_typeof(r.v) WHEN 'array' THEN r.v ELSE '[]' END) WITH ORDINALITY AS v(value, pos)
                      ON v.pos = h.pos) AS raw
            FROM jsonb_array_elements(rows) WITH ORDINALITY AS r(v, i)) s;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  UPDATE imports.batches b SET rows_total = b.rows_total + v_n WHERE b.tenant_id = v_batch.tenant_id AND b.id = v_batch.id;
  RETURN v_n;
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'rows from % are already staged', first_row_no USING ERRCODE = '23505', HINT = 'stage each row once';
END
$$;
COMMENT ON FUNCTION api.stage_import_rows(uuid, integer, jsonb) IS
$$Stages rows of the caller's batch while it is uploaded: rows is an array of arrays of texts in the order of the batch's headers, the first numbered first_row_no. Each row's natural key is kept and the batch counts its rows. Returns how many. Errors: 400 not an array, 403 another user's batch, 404, 409 validation started, 409 rows already staged.$$;
GRANT EXECUTE ON FUNCTION api.stage_import_rows(uuid, integer, jsonb) TO app_user;

CREATE OR REPLACE FUNCTION api.validate_import(batch_id uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
BEGIN
  IF v_batch.status <> 'uploaded' THEN
    RAISE EXCEPTION 'the batch is %, not uploaded', v_batch.status USING ERRCODE = 'PT409', HINT = 'each batch is validated once';
  END IF;
  -- Repeated keys are marked chunk by chunk (imports.mark_repeated_keys_in_chunk), each row
  -- by one probe of rows_natural_key_idx; the rows were counted as they were staged. Fresh
  -- statistics first: without them the planner takes the new rows for a handful and probes
  -- through the primary key instead, reading the batch from its start for every row.
  PERFORM imports.refresh_statistics();
  UPDATE imports.batches b SET status = 'validating', phase_started_at = now(), lease_until = NULL
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = v_batch.id;
  PERFORM pg_notify('cimiento_imports', v_batch.id::text);
  RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = batch_id);
END
$$;
COMMENT ON FUNCTION api.validate_import(uuid) IS
$$Starts validating the caller's uploaded batch in the background (the api works it a chunk at a time as the caller; each chunk first marks its rows repeating an earlier row's natural key). Follow it at /imports?id=eq.… (rows_checked, rows_per_second, seconds_left). Errors: 403, 404, 409 not uploaded.$$;
GRANT EXECUTE ON FUNCTION api.validate_import(uuid) TO app_user;

GRANT EXECUTE ON FUNCTION imports.refresh_statistics() TO app_user;
COMMENT ON FUNCTION imports.refresh_statistics() IS 'ANALYZE of the imports tables when a validation starts (api.validate_import) and after a validation or promotion ends (the api''s worker), so the planner knows how many rows a batch added. SECURITY DEFINER (ANALYZE needs the owner).';

-- Marks the rows of the next chunk whose natural key an earlier row of the file has.
CREATE FUNCTION imports.mark_repeated_keys_in_chunk(p_batch imports.batches, p_rows integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_headers text[] := imports.key_headers(p_batch);
  v_n integer;
BEGIN
  IF v_headers IS NULL THEN
    RETURN 0;
  END IF;
  UPDATE imports.rows r
     SET errors = jsonb_build_object(v_headers[1], format('repetido en el archivo: ya aparece en la fila %s (%s)', d.first_row, r.raw ->> v_headers[1]))
    FROM (SELECT x.row_no,
                 (SELECT e.row_no FROM imports.rows e
                   WHERE e.tenant_id = x.tenant_id AND e.batch_id = x.batch_id AND e.natural_key = x.natural_key
                   ORDER BY e.natural_key, e.row_no LIMIT 1) AS first_row  -- in rows_natural_key_idx's order: one probe
            FROM imports.rows x
           WHERE x.tenant_id = p_batch.tenant_id AND x.batch_id = p_batch.id AND x.row_no > p_batch.checked_through
           ORDER BY x.row_no LIMIT p_rows) d
   WHERE r.tenant_id = p_batch.tenant_id AND r.batch_id = p_batch.id AND r.row_no = d.row_no
     AND r.natural_key IS NOT NULL AND r.errors IS NULL AND d.first_row < d.row_no;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
END
$$;
COMMENT ON FUNCTION imports.mark_repeated_keys_in_chunk(imports.batches, integer) IS 'Internal: marks the rows of a batch''s next validation chunk (p_rows rows after checked_through) whose natural key (trimmed, case ignored) an earlier row of the same file has, naming that row; by index, whatever the file''s size. Returns how many. VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.mark_repeated_keys_in_chunk(imports.batches, integer) TO app_user;

CREATE OR REPLACE FUNCTION imports.validate_chunk(p_batch uuid, p_rows integer DEFAULT 500) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_batch imports.batches := imports.require_batch(p_batch);
  v_target imports.targets;
  v_columns jsonb;
  v_insert text;
  v_update text;
  c record;
  v_bad jsonb;
  v_one_by_one boolean := false;
  v_state text; v_column text; v_constraint text; v_table text;
BEGIN
  IF v_batch.status <> 'validating' THEN
    RETURN 0;
  END IF;
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = v_batch.target;
  v_columns := imports.mapped_columns(v_target, v_batch.mapping);
  PERFORM imports.mark_repeated_keys_in_chunk(v_batch, p_rows);
  c := imports.chunk_arguments(v_batch, v_target, v_columns, v_batch.checked_through, p_rows, false);
  v_bad := c.refused;
  IF cardinality(c.args) > 0 THEN
    IF v_batch.mode = 'insert' THEN
      -- The whole chunk in one statement, then undone: when every row passes, that is all.
      BEGIN
        EXECUTE imports.chunk_statement(v_target, ARRAY(SELECT x ->> 'name' FROM jsonb_array_elements(v_columns) x)) USING c.args;
        RAISE EXCEPTION USING ERRCODE = 'IM000';
      EXCEPTION
        WHEN SQLSTATE 'IM000' THEN NULL;
        WHEN OTHERS THEN v_one_by_one := true;  -- some row is refused: find which, row by row
      END;
    ELSE
      v_one_by_one := true;
    END IF;
  END IF;
  IF v_one_by_one THEN
    v_insert := imports.write_statement(v_target, ARRAY(SELECT x ->> 'name' FROM jsonb_array_elements(v_columns) x), 'insert');
    IF v_batch.mode = 'upsert' THEN
      v_update := imports.write_statement(v_target, ARRAY(SELECT x ->> 'name' FROM jsonb_array_elements(v_columns) x), 'update');
    END IF;
    BEGIN
      FOR i IN 1 .. cardinality(c.args) LOOP
        -- Each row in its own savepoint; the rows before it stay until the chunk is undone, so
        -- a duplicate inside the chunk is refused as the target would refuse it.
        BEGIN
          PERFORM imports.write_row(v_insert, v_update, c.args[i]);
        EXCEPTION WHEN OTHERS THEN
          GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_column = COLUMN_NAME, v_constraint = CONSTRAINT_NAME, v_table = TABLE_NAME;
          v_bad := v_bad || jsonb_build_object(c.row_nos[i]::text,
            imports.explain(v_target, v_batch.mapping,
                            (SELECT r.raw FROM imports.rows r WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no = c.row_nos[i]),
                            c.args[i], v_state, v_column, v_constraint, v_table));
        END;
      END LOOP;
      RAISE EXCEPTION USING ERRCODE = 'IM000';  -- undo every write of the chunk
    EXCEPTION WHEN SQLSTATE 'IM000' THEN
      NULL;
    END;
  END IF;
  UPDATE imports.rows r SET errors = e.value
    FROM jsonb_each(v_bad) e
   WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no = e.key::integer;
  UPDATE imports.batches b
     SET rows_checked = b.rows_checked + c.seen, checked_through = c.last_row,
         rows_invalid = b.rows_invalid + c.marked + (SELECT count(*) FROM jsonb_object_keys(v_bad)),
         status = CASE WHEN c.seen < p_rows THEN 'validated' ELSE b.status END,
         validated_at = CASE WHEN c.seen < p_rows THEN now() END,
         lease_until = CASE WHEN c.seen < p_rows THEN NULL ELSE b.lease_until END
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = p_batch;
  RETURN c.seen;
END
$$;
COMMENT ON FUNCTION imports.validate_chunk(uuid, integer) IS 'Validates the next p_rows staged rows of the caller''s batch by writing them through its target as the caller (RLS, grants, branch scope, constraints and the RPC''s checks apply), then undoes the whole chunk: nothing reaches the target. Rows repeating an earlier row''s natural key are marked first. The chunk is first tried in one statement; only if some row is refused does it go row by row, each in a savepoint, to record each bad row''s errors per column. Records the progress; the last chunk moves the batch to validated. Returns the rows checked (0: nothing left). VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.validate_chunk(uuid, integer) TO app_user;

-- Batches uploaded before this migration and not yet validated: their keys and counts.
UPDATE imports.rows r SET natural_key = imports.row_key(r.raw, imports.key_headers(b))
  FROM imports.batches b
 WHERE b.tenant_id = r.tenant_id AND b.id = r.batch_id AND b.status = 'uploaded';
UPDATE imports.batches b SET rows_total = (SELECT count(*) FROM imports.rows r WHERE r.tenant_id = b.tenant_id AND r.batch_id = b.id)
 WHERE b.status = 'uploaded';

DROP FUNCTION imports.mark_repeated_keys(imports.batches, imports.targets);
