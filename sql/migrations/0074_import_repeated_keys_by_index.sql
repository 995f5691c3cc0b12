-- 0074: marking a chunk's repeated keys can no longer go quadratic on stale statistics (#16).
--
-- imports.mark_repeated_keys_in_chunk marked the rows repeating an earlier row's natural key
-- with one UPDATE … FROM (the chunk's rows, each with the first row of its key), joined on the
-- row number and filtered on natural_key IS NOT NULL. The planner orders that join by its
-- estimates: when imports.rows' statistics say natural_key is NULL (nearly) everywhere —
-- the ANALYZE that starts a validation samples 30 000 rows of the whole table, so staged rows
-- of earlier batches without a key column, or of targets without a natural key, that
-- outnumber the batch's far enough hide its keys — it expects one row with a key, takes the
-- staged rows with a key as the outer side and re-runs the whole chunk, with its probe per
-- row, for each of them: on a scratch cluster with natural_key's null_frac at 1, one 2 000-row
-- chunk of a 20 000-row batch took 127 s (a 100 000-row file would take hours; with 2 M
-- keyless rows beside, null_frac 0.99, the planner still chose a hash join). It also ran the
-- join for every chunk, repeated keys or not (6–7 ms a chunk).
-- Now the repeated rows are found first — the chunk's rows in row order by the primary key,
-- one probe of rows_natural_key_idx each, the same plan whatever the statistics say — and the
-- UPDATE runs only when there are some, by row number (row_no = ANY: an index condition under
-- row security). Same marks, same messages (pgTAP 200; e2e imports, 3 % bad rows).

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
COMMENT ON FUNCTION imports.mark_repeated_keys_in_chunk(imports.batches, integer) IS 'Internal: marks the rows of a batch''s next validation chunk (p_rows rows after checked_through) whose natural key (trimmed, case ignored) an earlier row of the same file has, naming that row; by index, whatever the file''s size or the table''s statistics (the repeated rows are found first, then updated by row number). Returns how many. VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.mark_repeated_keys_in_chunk(imports.batches, integer) TO app_user;
