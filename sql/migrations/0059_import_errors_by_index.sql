-- 0059: each import chunk no longer reads every staged row of the database (#16).
--
-- imports.validate_chunk (after each chunk) and imports.promote_chunk (before it) wrote the
-- rows' errors with UPDATE imports.rows … FROM jsonb_each(errors) e WHERE … r.row_no =
-- e.key::integer. Under row security (imports.rows has a restrictive policy) a join clause
-- that applies a non-leakproof function (the text → integer cast) to a column may not run
-- before the policy, so it could not be an index condition: the planner filtered a
-- sequential scan of the whole table — every batch of every tenant — once per chunk, even
-- when no row had an error (as the api's login with a user's claims, 100 000 staged rows:
-- 43 ms a chunk; the same statement by index: 0.09 ms). track_functions on 100 000 students:
-- validate_chunk's own time 7.5 s of validation's 15.5 s, 38 ms a chunk.
-- Now the statement runs only when some row has errors, and matches the rows' numbers as one
-- array (row_no = ANY (…)): an index condition under row security. Same results.

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
      -- The whole chunk in one statement, rehearsed (always undone, so it writes no audit
      -- rows): when every row passes, that is all.
      BEGIN
        PERFORM cimiento.rehearse(imports.chunk_statement(v_target, ARRAY(SELECT x ->> 'name' FROM jsonb_array_elements(v_columns) x)), c.args);
      EXCEPTION
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
  IF v_bad <> '{}' THEN
    -- By index: the rows' numbers as one array (a join on a cast of jsonb_each's key is not
    -- leakproof, so under row security it filtered a scan of every staged row instead).
    UPDATE imports.rows r SET errors = v_bad -> r.row_no::text
     WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch
       AND r.row_no = ANY (ARRAY(SELECT k::integer FROM jsonb_object_keys(v_bad) k));
  END IF;
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
COMMENT ON FUNCTION imports.validate_chunk(uuid, integer) IS 'Validates the next p_rows staged rows of the caller''s batch by writing them through its target as the caller (RLS, grants, branch scope, constraints and the RPC''s checks apply), then undoes the whole chunk: nothing reaches the target. Rows repeating an earlier row''s natural key are marked first. The chunk is first tried in one statement, rehearsed (cimiento.rehearse: undone on every path, no audit rows); only if some row is refused does it go row by row, each in a savepoint, to record each bad row''s errors per column. Records the progress; the last chunk moves the batch to validated. Returns the rows checked (0: nothing left). VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.validate_chunk(uuid, integer) TO app_user;

CREATE OR REPLACE FUNCTION imports.promote_chunk(p_batch uuid, p_rows integer DEFAULT 500) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_batch imports.batches := imports.require_batch(p_batch);
  v_target imports.targets;
  v_columns jsonb;
  v_insert text;
  v_update text;
  c record;
  v_ids text[];
  v_written jsonb;
  v_created integer := 0;
  v_updated integer := 0;
  v_failed integer := 0;
  v_one_by_one boolean := false;
  v_state text; v_column text; v_constraint text; v_table text;
BEGIN
  IF v_batch.status <> 'promoting' THEN
    RETURN 0;
  END IF;
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = v_batch.target;
  v_columns := imports.mapped_columns(v_target, v_batch.mapping);
  c := imports.chunk_arguments(v_batch, v_target, v_columns, v_batch.promoted_through, p_rows, true);
  -- A row refused now by its arguments (a code no longer visible…) keeps its errors (by
  -- index, as in imports.validate_chunk).
  IF c.refused <> '{}' THEN
    UPDATE imports.rows r SET errors = c.refused -> r.row_no::text
     WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch
       AND r.row_no = ANY (ARRAY(SELECT k::integer FROM jsonb_object_keys(c.refused) k));
  END IF;
  v_failed := (SELECT count(*) FROM jsonb_object_keys(c.refused));
  IF cardinality(c.args) > 0 THEN
    IF v_batch.mode = 'insert' THEN
      -- The whole chunk in one statement with its lineage; if any row is refused now, none is
      -- written this way and the chunk goes row by row.
      BEGIN
        EXECUTE imports.chunk_statement(v_target, ARRAY(SELECT x ->> 'name' FROM jsonb_array_elements(v_columns) x))
          INTO v_ids USING c.args;
        INSERT INTO imports.lineage (tenant_id, batch_id, row_no, target_id, action)
        SELECT v_batch.tenant_id, p_batch, w.row_no, w.id::uuid, 'created' FROM unnest(c.row_nos, v_ids) AS w(row_no, id);
        v_created := cardinality(v_ids);
      EXCEPTION WHEN OTHERS THEN
        v_one_by_one := true;
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
    FOR i IN 1 .. cardinality(c.args) LOOP
      BEGIN
        v_written := imports.write_row(v_insert, v_update, c.args[i]);
        INSERT INTO imports.lineage (tenant_id, batch_id, row_no, target_id, action)
        VALUES (v_batch.tenant_id, p_batch, c.row_nos[i], (v_written ->> 'id')::uuid, v_written ->> 'action');
        IF v_written ->> 'action' = 'created' THEN v_created := v_created + 1; ELSE v_updated := v_updated + 1; END IF;
      EXCEPTION WHEN OTHERS THEN
        -- Something changed since validation (another user registered the same key…): the row
        -- keeps its errors and the others go on.
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_column = COLUMN_NAME, v_constraint = CONSTRAINT_NAME, v_table = TABLE_NAME;
        UPDATE imports.rows r
           SET errors = imports.explain(v_target, v_batch.mapping, r.raw, c.args[i], v_state, v_column, v_constraint, v_table)
         WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no = c.row_nos[i];
        v_failed := v_failed + 1;
      END;
    END LOOP;
  END IF;
  UPDATE imports.batches b
     SET promoted_through = CASE WHEN c.seen < p_rows THEN b.rows_total ELSE c.last_row END,
         rows_created = b.rows_created + v_created, rows_updated = b.rows_updated + v_updated,
         rows_failed = b.rows_failed + v_failed, rows_invalid = b.rows_invalid + v_failed,
         status = CASE WHEN c.seen < p_rows THEN 'done' ELSE b.status END,
         finished_at = CASE WHEN c.seen < p_rows THEN now() END,
         lease_until = CASE WHEN c.seen < p_rows THEN NULL ELSE b.lease_until END
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = p_batch;
  RETURN c.seen;
END
$$;
COMMENT ON FUNCTION imports.promote_chunk(uuid, integer) IS 'Writes the next p_rows valid rows of the caller''s batch through its target as the caller, each with its lineage row, and advances the batch''s high-water mark in the same transaction (a crash resumes after the last committed chunk; promoting twice never duplicates). The chunk is first written in one statement; if any row is refused now (the data changed since validation) it goes row by row: that row keeps its errors and the others go on. The last chunk moves the batch to done. Returns the rows handled. VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.promote_chunk(uuid, integer) TO app_user;
