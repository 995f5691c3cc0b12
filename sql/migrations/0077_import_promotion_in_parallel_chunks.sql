-- 0077: promotion in fixed chunks that several sessions write side by side (#16: imports
-- validation + promotion ÷ PostgREST's bulk insert, goal >= 0.5).
--
-- Promotion wrote one chunk at a time from one session: imports.promote_chunk locked the
-- batch row first (imports.require_batch), took the next valid rows after the batch's
-- high-water mark (promoted_through) and advanced it — every chunk waited for the one before
-- it, and a 100 000-row promotion used one core of the database however many it had
-- (bench/imports.sh: 8.4 s for 100 000 students, ~84 µs a row, where validation had
-- taken 4.4 s).
--
-- Now a batch's promotion is cut into fixed chunks of row numbers when it starts
-- (imports.begin_promotion: promote_rows rows of the sheet each, counted from
-- promoted_through; promote_chunks of them) and each chunk is written by
-- imports.promote_range in its own transaction, in any order and side by side:
--  - the chunk's claim is its row in imports.promoted_chunks, inserted first: a chunk
--    promoted already (or being promoted by another session, which it waits for) is left
--    alone — promoting twice never duplicates, and a crash resumes with the chunks that did
--    not commit;
--  - the batch row is read, not locked, until the end of the chunk, where its counters and
--    the count of chunks done are updated (a short row lock, as any UPDATE), and the last
--    chunk moves it to done; a batch that stopped promoting meanwhile (failed: imports.fail) undoes the
--    chunk (40001: the worker looks at the batch again);
--  - each chunk writes its rows as before: in one statement, or row by row if one is
--    refused now; its lineage in imports.lineage_chunks.
-- bench/imports.sh on this 2-core machine, 100 000 students: promotion 10.2 s with one
-- connection, 6.3 s with two, 5.0 s with three; validation + promotion ÷ PostgREST's bulk
-- insert 0.43, 0.60, 0.70.
-- imports.promote_chunk keeps its contract for DBAs and tests (the next chunk not promoted
-- yet, in order; 0 once the phase is over). The api promotes with several connections
-- (CIMIENTO_IMPORT_PROMOTE_CONNECTIONS, default 3; `cimiento-api import
-- --promote-connections`).

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
ALTER TABLE imports.batches
  ADD COLUMN promote_rows integer,
  ADD COLUMN promote_chunks integer,
  ADD COLUMN chunks_promoted integer NOT NULL DEFAULT 0,
  ADD CONSTRAINT batches_promote_chunks CHECK (
    (promote_rows IS NULL) = (promote_chunks IS NULL)
    AND (promote_rows IS NULL OR promote_rows BETWEEN 1 AND 100000)
    AND chunks_promoted BETWEEN 0 AND coalesce(promote_chunks, 0));
COMMENT ON COLUMN imports.batches.promote_rows IS 'Rows of the sheet (row numbers) in each promotion chunk, fixed when promotion starts (imports.begin_promotion); chunk k covers row numbers promoted_through + k * promote_rows + 1 through promoted_through + (k + 1) * promote_rows.';
COMMENT ON COLUMN imports.batches.promote_chunks IS 'How many promotion chunks the batch has (fixed with promote_rows).';
COMMENT ON COLUMN imports.batches.promoted_through IS 'The row number promotion''s chunks are counted from (rows up to it were promoted before promotion was cut into chunks: 0 for a batch promoted since migration 0077); once the batch is done, the end of its last chunk.';
COMMENT ON COLUMN imports.batches.chunks_promoted IS 'Promotion chunks committed so far (imports.promoted_chunks); the last one moves the batch to done.';
GRANT UPDATE (promote_rows, promote_chunks, chunks_promoted) ON imports.batches TO app_user;

CREATE TABLE imports.promoted_chunks (
  tenant_id  uuid NOT NULL DEFAULT cimiento.current_tenant(),
  batch_id   uuid NOT NULL,
  chunk      integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, batch_id, chunk),
  FOREIGN KEY (tenant_id, batch_id) REFERENCES imports.batches (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT promoted_chunks_chunk CHECK (chunk >= 0)
);
COMMENT ON TABLE imports.promoted_chunks IS 'The promotion chunks of a batch that are written (imports.begin_promotion cuts a batch into chunks of row numbers): a chunk''s row is inserted first by the transaction that writes it, and commits with its rows, its lineage and the batch''s counters. Another session promoting the same chunk waits for it and leaves it: a chunk is written once, whatever crashes or runs twice.';

SELECT cimiento.enable_tenant_isolation('imports.promoted_chunks');
CREATE POLICY promoted_chunks_of_visible_batch ON imports.promoted_chunks AS RESTRICTIVE FOR ALL
  USING (EXISTS (SELECT 1 FROM imports.batches b WHERE b.tenant_id = promoted_chunks.tenant_id AND b.id = promoted_chunks.batch_id))
  WITH CHECK (EXISTS (SELECT 1 FROM imports.batches b WHERE b.tenant_id = promoted_chunks.tenant_id AND b.id = promoted_chunks.batch_id
                         AND b.created_by = cimiento.current_user_id() AND b.status = 'promoting'));
COMMENT ON POLICY promoted_chunks_of_visible_batch ON imports.promoted_chunks IS 'Chunks are seen with their batch and claimed only while its creator promotes it.';
SELECT cimiento.enable_audit('imports.promoted_chunks');

GRANT SELECT ON imports.promoted_chunks TO app_user, analyst;
GRANT INSERT (tenant_id, batch_id, chunk) ON imports.promoted_chunks TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION imports.own_batch(p_batch uuid) RETURNS imports.batches
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_batch imports.batches;
BEGIN
  SELECT * INTO v_batch FROM imports.batches b WHERE b.id = p_batch;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'import batch % not found', p_batch USING ERRCODE = 'PT404', HINT = 'list your batches at /imports';
  END IF;
  IF v_batch.created_by IS DISTINCT FROM cimiento.current_user_id() THEN
    RAISE EXCEPTION 'only the batch''s creator works on it' USING ERRCODE = '42501', HINT = 'upload the file yourself';
  END IF;
  RETURN v_batch;
END
$$;
COMMENT ON FUNCTION imports.own_batch(uuid) IS 'Internal: the caller''s own batch as the statement sees it, not locked (404 if not visible, 403 if another user''s). STABLE.';
GRANT EXECUTE ON FUNCTION imports.own_batch(uuid) TO app_user;

CREATE OR REPLACE FUNCTION imports.require_batch(p_batch uuid) RETURNS imports.batches
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- Locked first, then read as it is once locked (the checks are imports.own_batch's).
  PERFORM FROM imports.batches b WHERE b.id = p_batch FOR UPDATE;
  RETURN imports.own_batch(p_batch);
END
$$;
COMMENT ON FUNCTION imports.require_batch(uuid) IS 'Internal: the caller''s own batch, locked (404 if not visible, 403 if another user''s). VOLATILE.';

CREATE FUNCTION imports.begin_promotion(p_batch uuid, p_rows integer DEFAULT 2000) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_batch imports.batches := imports.require_batch(p_batch);
  v_last integer;
  v_chunks integer;
BEGIN
  IF v_batch.status <> 'promoting' THEN
    RETURN 0;
  END IF;
  IF v_batch.promote_rows IS NOT NULL THEN
    -- Cut already: the chunks stay what they were. Every chunk claimed and committed, yet
    -- the batch not done (a claim inserted by hand, which no chunk counted): it is done.
    IF (SELECT count(*) FROM imports.promoted_chunks pc
         WHERE pc.tenant_id = v_batch.tenant_id AND pc.batch_id = p_batch) >= v_batch.promote_chunks THEN
      UPDATE imports.batches b SET status = 'done', finished_at = now(), lease_until = NULL
       WHERE b.tenant_id = v_batch.tenant_id AND b.id = p_batch;
      RETURN 0;
    END IF;
    RETURN v_batch.promote_chunks;
  END IF;
  IF p_rows IS NULL OR p_rows NOT BETWEEN 1 AND 100000 THEN
    RAISE EXCEPTION 'a promotion chunk has from 1 to 100000 rows, not %', p_rows USING ERRCODE = '22023';
  END IF;
  v_last := (SELECT max(r.row_no) FROM imports.rows r WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch);
  v_chunks := CASE WHEN v_last > v_batch.promoted_through
                   THEN ceil((v_last - v_batch.promoted_through)::numeric / p_rows)::integer ELSE 0 END;
  UPDATE imports.batches b
     SET promote_rows = p_rows, promote_chunks = v_chunks,
         status = CASE WHEN v_chunks = 0 THEN 'done' ELSE b.status END,
         finished_at = CASE WHEN v_chunks = 0 THEN now() ELSE b.finished_at END,
         lease_until = CASE WHEN v_chunks = 0 THEN NULL ELSE b.lease_until END
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = p_batch;
  RETURN v_chunks;
END
$$;
COMMENT ON FUNCTION imports.begin_promotion(uuid, integer) IS 'Cuts the caller''s promoting batch into chunks of p_rows row numbers (1 to 100000; 22023 otherwise) after its high-water mark, once: later calls return the same chunks whatever p_rows. Returns how many chunks there are (0: not promoting; a batch with nothing left to write, or whose every chunk is claimed, moves to done). Chunks are then written by imports.promote_range, in any order, by any number of sessions. VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.begin_promotion(uuid, integer) TO app_user;

CREATE FUNCTION imports.promote_range(p_batch uuid, p_chunk integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  -- Read, not locked: chunks of one batch are written side by side.
  v_batch imports.batches := imports.own_batch(p_batch);
  v_target imports.targets;
  v_columns jsonb;
  v_after integer;
  v_valid integer;
  v_insert text;
  v_update text;
  c record;
  v_ids text[];
  v_written jsonb;
  v_row_nos integer[] := '{}';
  v_target_ids uuid[] := '{}';
  v_actions text[] := '{}';
  v_created integer := 0;
  v_updated integer := 0;
  v_failed integer := 0;
  v_seen integer := 0;
  v_one_by_one boolean := false;
  v_state text; v_column text; v_constraint text; v_table text;
BEGIN
  IF v_batch.status <> 'promoting' OR v_batch.promote_rows IS NULL
     OR p_chunk IS NULL OR p_chunk < 0 OR p_chunk >= v_batch.promote_chunks THEN
    RETURN 0;
  END IF;
  -- The claim, first: a chunk written already, or being written by another session (waited
  -- for), is left alone.
  INSERT INTO imports.promoted_chunks (tenant_id, batch_id, chunk) VALUES (v_batch.tenant_id, p_batch, p_chunk)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  v_after := v_batch.promoted_through + p_chunk * v_batch.promote_rows;
  -- The chunk's valid rows: those after v_after up to its last row number.
  v_valid := (SELECT count(*) FROM imports.rows r
               WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch
                 AND r.row_no > v_after AND r.row_no <= v_after + v_batch.promote_rows AND r.errors IS NULL);
  IF v_valid > 0 THEN
    SELECT * INTO v_target FROM imports.targets t WHERE t.name = v_batch.target;
    v_columns := imports.mapped_columns(v_target, v_batch.mapping);
    c := imports.chunk_arguments(v_batch, v_target, v_columns, v_after, v_valid, true);
    v_seen := c.seen;
    -- A row refused now by its arguments (a code no longer visible…) keeps its errors.
    IF c.refused <> '{}' THEN
      UPDATE imports.rows r SET errors = c.refused -> r.row_no::text
       WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch
         AND r.row_no = ANY (ARRAY(SELECT k::integer FROM jsonb_object_keys(c.refused) k));
    END IF;
    v_failed := (SELECT count(*) FROM jsonb_object_keys(c.refused));
    IF cardinality(c.args) > 0 THEN
      IF v_batch.mode = 'insert' THEN
        -- The whole chunk in one statement; if any row is refused now, none is written this
        -- way and the chunk goes row by row.
        BEGIN
          EXECUTE imports.chunk_statement(v_target, ARRAY(SELECT x ->> 'name' FROM jsonb_array_elements(v_columns) x))
            INTO v_ids USING c.args;
          v_row_nos := c.row_nos;
          v_target_ids := v_ids::uuid[];
          v_actions := array_fill('created'::text, ARRAY[cardinality(v_ids)]);
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
          v_row_nos := v_row_nos || c.row_nos[i];
          v_target_ids := v_target_ids || (v_written ->> 'id')::uuid;
          v_actions := v_actions || (v_written ->> 'action');
          IF v_written ->> 'action' = 'created' THEN v_created := v_created + 1; ELSE v_updated := v_updated + 1; END IF;
        EXCEPTION WHEN OTHERS THEN
          -- Something changed since validation (another user registered the same key…): the
          -- row keeps its errors and the others go on.
          GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_column = COLUMN_NAME, v_constraint = CONSTRAINT_NAME, v_table = TABLE_NAME;
          UPDATE imports.rows r
             SET errors = imports.explain(v_target, v_batch.mapping, r.raw, c.args[i], v_state, v_column, v_constraint, v_table)
           WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no = c.row_nos[i];
          v_failed := v_failed + 1;
        END;
      END LOOP;
    END IF;
    -- The chunk's lineage, in the same transaction as its rows and its claim.
    IF cardinality(v_row_nos) > 0 THEN
      INSERT INTO imports.lineage_chunks (tenant_id, batch_id, first_row_no, row_nos, target_ids, actions)
      VALUES (v_batch.tenant_id, p_batch, v_row_nos[1], v_row_nos, v_target_ids, v_actions);
    END IF;
  END IF;
  -- The batch's counters, on the batch as it is now (another chunk may have committed since
  -- this one began: READ COMMITTED updates the latest version). The last chunk ends it.
  UPDATE imports.batches b
     SET chunks_promoted = b.chunks_promoted + 1,
         rows_created = b.rows_created + v_created, rows_updated = b.rows_updated + v_updated,
         rows_failed = b.rows_failed + v_failed, rows_invalid = b.rows_invalid + v_failed,
         promoted_through = CASE WHEN b.chunks_promoted + 1 = b.promote_chunks
                                 THEN b.promoted_through + b.promote_chunks * b.promote_rows ELSE b.promoted_through END,
         status = CASE WHEN b.chunks_promoted + 1 = b.promote_chunks THEN 'done' ELSE b.status END,
         finished_at = CASE WHEN b.chunks_promoted + 1 = b.promote_chunks THEN now() ELSE b.finished_at END,
         lease_until = CASE WHEN b.chunks_promoted + 1 = b.promote_chunks THEN NULL ELSE b.lease_until END
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = p_batch AND b.status = 'promoting';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'import batch % stopped promoting while a chunk was written: the chunk is undone', p_batch
      USING ERRCODE = '40001', HINT = 'look at the batch again';
  END IF;
  RETURN v_seen;
END
$$;
COMMENT ON FUNCTION imports.promote_range(uuid, integer) IS 'Writes chunk p_chunk (0-based; imports.begin_promotion) of the caller''s promoting batch through its target as the caller: its valid rows, one lineage row for the chunk (imports.lineage_chunks), its claim (imports.promoted_chunks) and the batch''s counters in one transaction. Chunks of one batch may be written side by side by several sessions; a chunk written already (or being written, which it waits for) is left alone, so promoting twice never duplicates and a crash resumes with the chunks that did not commit. Rows go in one statement, or row by row if one is refused now (the data changed since validation): that row keeps its errors and the others go on. The last chunk moves the batch to done; a batch that stopped promoting meanwhile (failed by imports.fail) undoes the chunk (40001). Returns the valid rows the chunk read (0 when there was nothing to do). VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.promote_range(uuid, integer) TO app_user;

CREATE OR REPLACE FUNCTION imports.promote_chunk(p_batch uuid, p_rows integer DEFAULT 500) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_chunks integer := imports.begin_promotion(p_batch, p_rows);
  v_seen integer := 0;
  k integer;
BEGIN
  FOR k IN SELECT g FROM generate_series(0, v_chunks - 1) g
            WHERE NOT EXISTS (SELECT 1 FROM imports.promoted_chunks pc WHERE pc.batch_id = p_batch AND pc.chunk = g)
            ORDER BY g LOOP
    v_seen := imports.promote_range(p_batch, k);
    EXIT WHEN v_seen > 0;
  END LOOP;
  RETURN v_seen;
END
$$;
COMMENT ON FUNCTION imports.promote_chunk(uuid, integer) IS 'Promotes the caller''s batch one step, for a DBA or a script: cuts it into chunks of p_rows row numbers if not yet (imports.begin_promotion) and writes the first chunk not written yet that has rows to write (imports.promote_range). Returns the valid rows it read; 0 once the phase is over (the batch is then done). The api writes the chunks side by side instead. VOLATILE.';
