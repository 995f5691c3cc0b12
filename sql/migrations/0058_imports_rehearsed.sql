-- 0058: validation rehearses its chunks (#16: validation + promotion ÷ PostgREST's bulk
-- insert of the same rows, goal >= 0.5).
--
-- Profiled (track_functions, 30 000 students): in validation the audit trigger took 1.6 of
-- 3.6 s — audit rows of writes that are undone a moment later; in promotion the lineage's
-- own audit rows took half of the trigger's 3.1 s.
--  - Validation tries each chunk through cimiento.rehearse (extension 0.3.0): the same
--    statement as the caller, every rule applied, in a subtransaction the extension always
--    rolls back, so the audit trigger skips what it writes. The row-by-row path (a chunk
--    with a refused row) is unchanged.
--  - The lineage's own audit rows stay: switching a table's trail off is for the cluster
--    superuser alone (the audit triggers are protected), not for a migration.

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
COMMENT ON FUNCTION imports.validate_chunk(uuid, integer) IS 'Validates the next p_rows staged rows of the caller''s batch by writing them through its target as the caller (RLS, grants, branch scope, constraints and the RPC''s checks apply), then undoes the whole chunk: nothing reaches the target. Rows repeating an earlier row''s natural key are marked first. The chunk is first tried in one statement, rehearsed (cimiento.rehearse: undone on every path, no audit rows); only if some row is refused does it go row by row, each in a savepoint, to record each bad row''s errors per column. Records the progress; the last chunk moves the batch to validated. Returns the rows checked (0: nothing left). VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.validate_chunk(uuid, integer) TO app_user;
