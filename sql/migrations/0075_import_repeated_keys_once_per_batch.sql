-- 0075: a file without repeated keys skips the per-chunk probes for them (#16: validation +
-- promotion ÷ PostgREST's bulk insert).
--
-- imports.mark_repeated_keys_in_chunk probes, for every row of every validation chunk, the
-- first row of the file with the same natural key (one index probe a row, under row
-- security): 10.5 ms for a 2 000-row chunk as the api's login on a scratch cluster, about
-- 5 µs of the ~47 µs a row validation costs. Most files repeat no key. Whether the file
-- repeats any is now found once per batch — one pass over the batch's keys, GROUP BY …
-- HAVING count(*) > 1, 14 ms for 20 000 rows — and kept in the new column
-- imports.batches.keys_repeat (NULL until the first chunk asks). False: no chunk probes and
-- no row is marked, which is what the probes would have found. True: the probes run as
-- before. Staged rows do not change after the upload, so the answer holds for the batch.
-- The caller may update it as it may update checked_through: its own batch's bookkeeping
-- (the rules themselves are the target's, applied again at promotion).

ALTER TABLE imports.batches ADD COLUMN keys_repeat boolean;
COMMENT ON COLUMN imports.batches.keys_repeat IS 'Whether some natural key repeats among the batch''s staged rows (found once by the first validation chunk; NULL before): false lets validation skip the per-row probes for repeated keys.';
GRANT UPDATE (keys_repeat) ON imports.batches TO app_user;

CREATE OR REPLACE FUNCTION imports.mark_repeated_keys_in_chunk(p_batch imports.batches, p_rows integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_headers text[] := imports.key_headers(p_batch);
  v_rows integer[];
  v_firsts integer[];
  v_n integer;
BEGIN
  IF v_headers IS NULL THEN
    RETURN 0;
  END IF;
  -- Whether any key of the file repeats: found once per batch (one pass over the batch's
  -- keys) and kept on it. A file without repeats — the usual one — skips every chunk's probes.
  IF p_batch.keys_repeat IS NULL THEN
    p_batch.keys_repeat := EXISTS (SELECT 1 FROM imports.rows e
                                    WHERE e.tenant_id = p_batch.tenant_id AND e.batch_id = p_batch.id AND e.natural_key IS NOT NULL
                                    GROUP BY e.natural_key HAVING count(*) > 1);
    UPDATE imports.batches b SET keys_repeat = p_batch.keys_repeat WHERE b.tenant_id = p_batch.tenant_id AND b.id = p_batch.id;
  END IF;
  IF NOT p_batch.keys_repeat THEN
    RETURN 0;
  END IF;
  -- The chunk's rows whose key an earlier row has, with that row (a row without a key has
  -- no first row and is never marked).
  SELECT array_agg(d.row_no ORDER BY d.row_no), array_agg(d.first_row ORDER BY d.row_no)
    INTO v_rows, v_firsts
    FROM (SELECT x.row_no,
                 (SELECT e.row_no FROM imports.rows e
                   WHERE e.tenant_id = x.tenant_id AND e.batch_id = x.batch_id AND e.natural_key = x.natural_key
                   ORDER BY e.natural_key, e.row_no LIMIT 1) AS first_row  -- in rows_natural_key_idx's order: one probe
            FROM imports.rows x
           WHERE x.tenant_id = p_batch.tenant_id AND x.batch_id = p_batch.id AND x.row_no > p_batch.checked_through
           ORDER BY x.row_no LIMIT p_rows) d
   WHERE d.first_row < d.row_no;
  IF v_rows IS NULL THEN
    RETURN 0;
  END IF;
  UPDATE imports.rows r
     SET errors = jsonb_build_object(v_headers[1], format('repetido en el archivo: ya aparece en la fila %s (%s)',
                                                          v_firsts[array_position(v_rows, r.row_no)], r.raw ->> v_headers[1]))
   WHERE r.tenant_id = p_batch.tenant_id AND r.batch_id = p_batch.id AND r.row_no = ANY (v_rows) AND r.errors IS NULL;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
END
$$;
COMMENT ON FUNCTION imports.mark_repeated_keys_in_chunk(imports.batches, integer) IS 'Internal: marks the rows of a batch''s next validation chunk (p_rows rows after checked_through) whose natural key (trimmed, case ignored) an earlier row of the same file has, naming that row; by index, whatever the file''s size or the table''s statistics (the repeated rows are found first, then updated by row number). Whether the file repeats any key at all is found once per batch and kept in imports.batches.keys_repeat: a file without repeats skips the probes. Returns how many. VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.mark_repeated_keys_in_chunk(imports.batches, integer) TO app_user;
