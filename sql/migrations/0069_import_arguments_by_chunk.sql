-- 0069: a chunk's arguments are computed in one statement, not one function call per row
-- (#16: validation + promotion ÷ PostgREST's bulk insert of the same rows, goal >= 0.5).
--
-- Both passes (validation and promotion) read each chunk's staged rows through
-- imports.chunk_arguments, which called imports.row_arguments once per row: a PL/pgSQL call
-- with a SET clause, a loop over the mapped columns rebuilding two jsonb values per column,
-- and the chunk's lookup cache handed in and out as jsonb with every row. Now:
--  - each lookup column's distinct codes of the chunk (case ignored; the first row's spelling
--    is the one asked, as the cache did) are resolved once, as the caller;
--  - one statement builds every row's arguments and errors (the same messages, keyed by
--    header, a later column of the same header winning as before).
-- imports.row_arguments, now unused, is dropped: one definition of the rule.

CREATE OR REPLACE FUNCTION imports.chunk_arguments(
  p_batch imports.batches, p_target imports.targets, p_columns jsonb, p_after integer, p_rows integer, p_valid_only boolean,
  OUT row_nos integer[], OUT args jsonb[], OUT refused jsonb, OUT seen integer, OUT last_row integer, OUT marked integer
)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_nos integer[];
  v_raws jsonb[];
  v_marked boolean[];
  v_col jsonb;
  v_code record;
  v_id text;
  v_found jsonb := '{}';  -- lookup column name -> {upper(code): id as text, or null}
BEGIN
  SELECT coalesce(array_agg(r.row_no ORDER BY r.row_no), '{}'), coalesce(array_agg(r.raw ORDER BY r.row_no), '{}'),
         coalesce(array_agg(r.errors IS NOT NULL ORDER BY r.row_no), '{}')
    INTO v_nos, v_raws, v_marked
    FROM (SELECT x.row_no, x.raw, x.errors FROM imports.rows x
           WHERE x.tenant_id = p_batch.tenant_id AND x.batch_id = p_batch.id AND x.row_no > p_after
             AND (NOT p_valid_only OR x.errors IS NULL)
           ORDER BY x.row_no LIMIT p_rows) r;
  seen := cardinality(v_nos);
  last_row := coalesce(v_nos[seen], p_after);
  marked := (SELECT count(*) FROM unnest(v_marked) m WHERE m);  -- marked before (a repeated key)
  -- Each lookup column's codes, once per chunk, as the caller.
  FOR v_col IN SELECT c.value FROM jsonb_array_elements(p_columns) c WHERE c.value ? 'lookup' LOOP
    v_found := v_found || jsonb_build_object(v_col ->> 'name', '{}'::jsonb);
    FOR v_code IN SELECT DISTINCT ON (upper(v.code)) upper(v.code) AS key, v.code
                    FROM unnest(v_raws, v_marked) WITH ORDINALITY AS u(raw, was_marked, ord),
                         LATERAL (SELECT nullif(btrim(u.raw ->> (v_col ->> 'header')), '') AS code) v
                   WHERE NOT u.was_marked AND v.code IS NOT NULL
                   ORDER BY upper(v.code), u.ord LOOP
      EXECUTE format('SELECT (%s($1))::text', (v_col ->> 'lookup')::regproc) INTO v_id USING v_code.code;
      v_found := jsonb_set(v_found, ARRAY[v_col ->> 'name', v_code.key], coalesce(to_jsonb(v_id), 'null'));
    END LOOP;
  END LOOP;
  -- Every unmarked row's arguments (each mapped column's trimmed text, empty as NULL, codes
  -- resolved) and errors (a required column missing, a code not found), in one statement.
  SELECT coalesce(array_agg(x.row_no ORDER BY x.row_no) FILTER (WHERE x.errors = '{}'), '{}'),
         coalesce(array_agg(x.args ORDER BY x.row_no) FILTER (WHERE x.errors = '{}'), '{}'),
         coalesce(jsonb_object_agg(x.row_no::text, x.errors) FILTER (WHERE x.errors <> '{}'), '{}')
    INTO row_nos, args, refused
    FROM (SELECT u.row_no,
                 coalesce(jsonb_object_agg(c.name, CASE WHEN c.lookup AND c.code IS NOT NULL THEN v_found -> c.name ->> upper(c.code) ELSE c.code END
                                           ORDER BY c.ord) FILTER (WHERE c.ord IS NOT NULL), '{}') AS args,
                 coalesce(jsonb_object_agg(c.header,
                            CASE WHEN c.code IS NULL THEN imports.message(p_target, c.name, 'IM400', NULL)
                                 ELSE imports.message(p_target, c.name, 'IM404', c.code) END ORDER BY c.ord)
                          FILTER (WHERE (c.code IS NULL AND c.required)
                                     OR (c.code IS NOT NULL AND c.lookup AND v_found -> c.name ->> upper(c.code) IS NULL)), '{}') AS errors
            FROM unnest(v_nos, v_raws, v_marked) AS u(row_no, raw, was_marked)
           LEFT JOIN LATERAL (
             SELECT m.ord, m.value ->> 'name' AS name, m.value ->> 'header' AS header,
                    coalesce((m.value ->> 'required')::boolean, false) AS required, m.value ? 'lookup' AS lookup,
                    nullif(btrim(u.raw ->> (m.value ->> 'header')), '') AS code
               FROM jsonb_array_elements(p_columns) WITH ORDINALITY AS m(value, ord)) c ON true
           WHERE NOT u.was_marked
           GROUP BY u.row_no) x;
END
$$;
COMMENT ON FUNCTION imports.chunk_arguments(imports.batches, imports.targets, jsonb, integer, integer, boolean) IS 'Internal: the next p_rows staged rows of a batch after row p_after (only those without errors when p_valid_only) with their arguments: each mapped column''s trimmed text (empty is NULL), required columns present, codes resolved through the column''s lookup as the caller, once per distinct code of the chunk (case ignored; an unknown code is an error of that column). Returns the rows to write (row_nos, args), the rows refused already (errors by row number, keyed by header, in Spanish), how many were read, the last one, and how many were marked before (a repeated key). STABLE.';
GRANT EXECUTE ON FUNCTION imports.chunk_arguments(imports.batches, imports.targets, jsonb, integer, integer, boolean) TO app_user;

DROP FUNCTION imports.row_arguments(imports.targets, jsonb, jsonb, jsonb);
