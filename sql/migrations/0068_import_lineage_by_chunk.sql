-- 0068: lineage is written once per promoted chunk, not once per row (#16: validation +
-- promotion ÷ PostgREST's bulk insert of the same rows, goal >= 0.5).
--
-- Each promoted row cost, besides its own write, a lineage row with its own audit row and its
-- policy check: about a third of the promotion (0058 measured the lineage's audit rows at
-- half of the audit trigger's time in promotion; 0067 removed its per-row foreign key). The
-- audit stays (only the cluster superuser may switch a table's trail off); what changes is
-- how many rows carry the same facts:
--  - imports.lineage_chunks: one row per chunk a promotion wrote — the batch, its rows'
--    numbers, the ids they created or updated and the action of each, in parallel arrays —
--    audited, append-only, with its batch's policy checked once per chunk and a foreign key
--    to the batch;
--  - the per-row table becomes imports.lineage_rows (what promotions wrote before this
--    migration, unchanged), and imports.lineage is now a view over both, one row per
--    promoted row with the same columns as before: DBAs and reports read it as they did;
--  - api.import_rows finds a row's chunk by the nearest chunk start at or before it (one
--    index probe) and its position in the chunk.
-- Finding which batch wrote a given row: imports.lineage_chunks WHERE target_ids @> ARRAY[id]
-- (GIN index), or the view (which reads every chunk of the batches one sees).

CREATE TABLE imports.lineage_chunks (
  tenant_id    uuid NOT NULL DEFAULT cimiento.current_tenant(),
  batch_id     uuid NOT NULL,
  first_row_no integer NOT NULL,
  row_nos      integer[] NOT NULL,
  target_ids   uuid[] NOT NULL,
  actions      text[] NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, batch_id, first_row_no),
  FOREIGN KEY (tenant_id, batch_id) REFERENCES imports.batches (tenant_id, id),
  CONSTRAINT lineage_chunks_parallel CHECK (cardinality(row_nos) BETWEEN 1 AND 100000
    AND cardinality(target_ids) = cardinality(row_nos) AND cardinality(actions) = cardinality(row_nos)
    AND array_ndims(row_nos) = 1 AND array_ndims(target_ids) = 1 AND array_ndims(actions) = 1),
  CONSTRAINT lineage_chunks_first_row CHECK (first_row_no = row_nos[1]),
  CONSTRAINT lineage_chunks_actions CHECK (actions <@ ARRAY['created', 'updated'])
);
CREATE INDEX lineage_chunks_targets_idx ON imports.lineage_chunks USING gin (target_ids);
COMMENT ON TABLE imports.lineage_chunks IS 'What a promoted chunk became: for one batch, the staged rows it wrote (row_nos, ascending), the id each created or updated (target_ids) and which (actions: created | updated), at the same positions. One row per chunk, written in the transaction that wrote the rows; append-only; audited. Read per row through the view imports.lineage; find the batch that wrote a row with target_ids @> ARRAY[id].';
COMMENT ON COLUMN imports.lineage_chunks.first_row_no IS 'The first of row_nos: a staged row belongs to the chunk of its batch with the greatest first_row_no at or before it, if it is in its row_nos.';

SELECT cimiento.enable_tenant_isolation('imports.lineage_chunks');
CREATE POLICY lineage_chunks_of_visible_batch ON imports.lineage_chunks AS RESTRICTIVE FOR ALL
  USING (EXISTS (SELECT 1 FROM imports.batches b WHERE b.tenant_id = lineage_chunks.tenant_id AND b.id = lineage_chunks.batch_id))
  WITH CHECK (EXISTS (SELECT 1 FROM imports.batches b WHERE b.tenant_id = lineage_chunks.tenant_id AND b.id = lineage_chunks.batch_id
                         AND b.created_by = cimiento.current_user_id() AND b.status = 'promoting'));
COMMENT ON POLICY lineage_chunks_of_visible_batch ON imports.lineage_chunks IS 'Lineage is seen with its batch and written only while its creator promotes it.';
SELECT cimiento.enable_append_only('imports.lineage_chunks', 'lineage is never changed or deleted', 'it records what a batch wrote');
SELECT cimiento.enable_audit('imports.lineage_chunks');

GRANT SELECT ON imports.lineage_chunks TO app_user, analyst;
GRANT INSERT (tenant_id, batch_id, first_row_no, row_nos, target_ids, actions) ON imports.lineage_chunks TO app_user;

-- The per-row table keeps what was promoted before; new lineage goes by chunk.
ALTER TABLE imports.lineage RENAME TO lineage_rows;
REVOKE INSERT ON imports.lineage_rows FROM app_user;
COMMENT ON TABLE imports.lineage_rows IS 'Lineage written one row per promoted row, by promotions before migration 0068 (since then imports.lineage_chunks): (batch, row_no) → the id it created or updated. Append-only; read through the view imports.lineage.';

CREATE VIEW imports.lineage WITH (security_invoker = true) AS
  SELECT l.tenant_id, l.batch_id, l.row_no, l.target_id, l.action, l.created_at
    FROM imports.lineage_rows l
  UNION ALL
  SELECT c.tenant_id, c.batch_id, u.row_no, u.target_id, u.action, c.created_at
    FROM imports.lineage_chunks c,
         unnest(c.row_nos, c.target_ids, c.actions) AS u(row_no, target_id, action);
COMMENT ON VIEW imports.lineage IS 'What each promoted row became, one row per row: (batch, row_no) → the id it created or updated (action: created | updated), whenever it was promoted (imports.lineage_rows before migration 0068, imports.lineage_chunks since). Read-only; as the caller (its RLS: lineage is seen with its batch).';
SELECT core.make_view_read_only('imports.lineage');
GRANT SELECT ON imports.lineage TO app_user, analyst;

-- The statistics the worker refreshes after each phase: the chunks instead of the view.
CREATE OR REPLACE FUNCTION imports.refresh_statistics() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  ANALYZE imports.batches, imports.rows, imports.lineage_chunks;
END
$$;
COMMENT ON FUNCTION imports.refresh_statistics() IS 'ANALYZE of the imports tables (batches, staged rows, lineage chunks) when a validation starts (api.validate_import) and after a validation or promotion ends (the api''s worker), so the planner knows how many rows a batch added. SECURITY DEFINER (ANALYZE needs the owner).';

CREATE OR REPLACE VIEW api.import_rows WITH (security_invoker = true) AS
  SELECT r.tenant_id, r.batch_id, r.row_no, r.raw, r.errors,
         CASE WHEN r.errors IS NOT NULL THEN 'invalid' WHEN r.row_no <= b.checked_through THEN 'valid' ELSE 'pending' END AS state,
         coalesce(l.target_id, c.target_ids[c.i]) AS target_id, coalesce(l.action, c.actions[c.i]) AS action
    FROM imports.rows r
    JOIN imports.batches b ON b.tenant_id = r.tenant_id AND b.id = r.batch_id
    LEFT JOIN imports.lineage_rows l ON l.tenant_id = r.tenant_id AND l.batch_id = r.batch_id AND l.row_no = r.row_no
    LEFT JOIN LATERAL (
      SELECT x.target_ids, x.actions, array_position(x.row_nos, r.row_no) AS i
        FROM imports.lineage_chunks x
       WHERE x.tenant_id = r.tenant_id AND x.batch_id = r.batch_id AND x.first_row_no <= r.row_no
       ORDER BY x.first_row_no DESC LIMIT 1) c ON true;
COMMENT ON VIEW api.import_rows IS 'The rows of the batches one sees: raw values, errors per column (Spanish), state (pending | valid | invalid) and, once promoted, the id it created or updated (lineage). Preview: ?batch_id=eq.…&state=eq.invalid&order=row_no&limit=20. What a done batch created: ?batch_id=eq.…&action=eq.created.';

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
  v_row_nos integer[] := '{}';
  v_target_ids uuid[] := '{}';
  v_actions text[] := '{}';
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
      -- The whole chunk in one statement; if any row is refused now, none is written this way
      -- and the chunk goes row by row.
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
  -- The chunk's lineage, in the same transaction as its rows and the high-water mark.
  IF cardinality(v_row_nos) > 0 THEN
    INSERT INTO imports.lineage_chunks (tenant_id, batch_id, first_row_no, row_nos, target_ids, actions)
    VALUES (v_batch.tenant_id, p_batch, v_row_nos[1], v_row_nos, v_target_ids, v_actions);
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
COMMENT ON FUNCTION imports.promote_chunk(uuid, integer) IS 'Writes the next p_rows valid rows of the caller''s batch through its target as the caller, and with them one lineage row for the chunk (imports.lineage_chunks: each written row''s number, id and action), and advances the batch''s high-water mark in the same transaction (a crash resumes after the last committed chunk; promoting twice never duplicates). The chunk is first written in one statement; if any row is refused now (the data changed since validation) it goes row by row: that row keeps its errors and the others go on. The last chunk moves the batch to done. Returns the rows handled. VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.promote_chunk(uuid, integer) TO app_user;
