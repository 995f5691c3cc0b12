-- 0050: imports write a chunk in one statement (#16: validation + promotion ÷ PostgREST's
-- bulk insert of the same rows, goal >= 0.5).
--
-- Validation and promotion called the target's function once per row, each call in its own
-- savepoint and through a statement planned again for every row. 5 000 students, one
-- session: validation 0.48 ms a row, promotion 0.74, PostgREST's bulk insert 0.13. A row
-- through api.register_student cost 0.31 ms, the same row in one bulk INSERT 0.10 ms: the
-- rest is a statement started per row (its CHECK constraints are parsed again each time, its
-- foreign-key check runs on its own) and the helpers around it.
--  - A target may name a function for many rows (imports.set_bulk_function): frontends call
--    it to create many at once, all or none, with the rules of the one-row function. Students
--    have one: api.register_students, and api.register_student now registers one through it,
--    so the rules are written once.
--  - A chunk is tried whole: its valid-looking rows in one statement (the bulk function, else
--    the one-row function once per row in one query, else one INSERT into the api view) in
--    one savepoint — undone in validation, kept with the lineage in promotion. Only when some
--    row is refused does the chunk go row by row, as before, to tell which rows and why.
--  - api.register_students refuses a document already registered without a subtransaction
--    (ON CONFLICT DO NOTHING, then counting), and academy.branch_of is PL/pgSQL (its plan is
--    kept; as SQL with a SET clause it was planned at each call).
-- Upsert batches still go row by row (an update function decides per row).

ALTER TABLE imports.targets ADD COLUMN bulk_function regprocedure;
COMMENT ON COLUMN imports.targets.bulk_function IS 'The function frontends call to create many rows at once, all or none, with the one-row function''s rules (one argument: a jsonb array of objects with its parameters; returns a jsonb array of the rows, each with "id", in the given order). Optional: an import then writes a chunk with one call (imports.set_bulk_function).';

CREATE OR REPLACE FUNCTION academy.branch_of(p_kind text, p_id uuid) RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  t uuid := cimiento.current_tenant();
  b uuid;
BEGIN
  IF p_kind OPERATOR(pg_catalog.=) 'branch' THEN
    SELECT x.id INTO b FROM core.branches x WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.id OPERATOR(pg_catalog.=) p_id;
  ELSIF p_kind OPERATOR(pg_catalog.=) 'student' THEN
    SELECT x.branch_id INTO b FROM academy.students x WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.id OPERATOR(pg_catalog.=) p_id;
  ELSIF p_kind OPERATOR(pg_catalog.=) 'course' THEN
    SELECT x.branch_id INTO b FROM academy.courses x WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.id OPERATOR(pg_catalog.=) p_id;
  ELSIF p_kind OPERATOR(pg_catalog.=) 'enrollment' THEN
    SELECT x.branch_id INTO b FROM academy.enrollments x WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.id OPERATOR(pg_catalog.=) p_id;
  END IF;
  RETURN b;
END
$$;
COMMENT ON FUNCTION academy.branch_of(text, uuid) IS 'Branch of a course, student, enrollment or branch id in the caller''s tenant (NULL when it does not exist). SECURITY DEFINER; tenant-scoped; PL/pgSQL so its plans are kept for the session.';
REVOKE ALL ON FUNCTION academy.branch_of(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.branch_of(text, uuid) TO app_user;

CREATE FUNCTION api.register_students(students jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_branch uuid;
  v_bad record;
  v_created jsonb;
  v_given integer;
  v_inserted integer;
  v_skipped text;
BEGIN
  PERFORM cimiento.require_permission('students.create');
  IF jsonb_typeof(students) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'students must be an array of students' USING ERRCODE = '22023',
      HINT = 'each one {"branch_id", "document_id", "first_name", "last_name", "email", "phone"}';
  END IF;
  -- Each branch once: it exists in the tenant and the caller registers students there.
  FOR v_branch IN SELECT DISTINCT x.branch_id FROM jsonb_to_recordset(students) AS x(branch_id uuid) LOOP
    PERFORM academy.require_branch('branch', v_branch, 'students.create');
  END LOOP;
  -- The first student (in the given order) with a bad document or a missing name.
  SELECT s.doc, btrim(s.first_name) AS first_name, btrim(s.last_name) AS last_name INTO v_bad
    FROM ROWS FROM (jsonb_to_recordset(students) AS (document_id text, first_name text, last_name text)) WITH ORDINALITY
           AS x(document_id, first_name, last_name, ord),
         LATERAL (SELECT upper(regexp_replace(coalesce(x.document_id, ''), '[[:space:].]', '', 'g')) AS doc,
                         x.first_name, x.last_name) s
   WHERE s.doc !~ '^[A-Z0-9][A-Z0-9-]{2,31}$' OR coalesce(btrim(s.first_name), '') = '' OR coalesce(btrim(s.last_name), '') = ''
   ORDER BY x.ord LIMIT 1;
  IF FOUND THEN
    IF v_bad.doc !~ '^[A-Z0-9][A-Z0-9-]{2,31}$' THEN
      RAISE EXCEPTION 'document_id must be 3 to 32 letters, digits or hyphens' USING ERRCODE = '22023', COLUMN = 'document_id';
    ELSIF coalesce(v_bad.first_name, '') = '' THEN
      RAISE EXCEPTION 'first_name and last_name are required' USING ERRCODE = '22023', COLUMN = 'first_name';
    ELSE
      RAISE EXCEPTION 'first_name and last_name are required' USING ERRCODE = '22023', COLUMN = 'last_name';
    END IF;
  END IF;
  -- One INSERT for all; a document already registered (in any branch) or given twice is
  -- skipped by the unique key and refused below, so no subtransaction is needed.
  WITH given AS (
    SELECT x.ord, x.branch_id, upper(regexp_replace(x.document_id, '[[:space:].]', '', 'g')) AS doc, btrim(x.first_name) AS first_name,
           btrim(x.last_name) AS last_name, nullif(btrim(x.email), '') AS email, nullif(btrim(x.phone), '') AS phone
      FROM ROWS FROM (jsonb_to_recordset(students) AS (branch_id uuid, document_id text, first_name text, last_name text, email text, phone text))
           WITH ORDINALITY AS x(branch_id, document_id, first_name, last_name, email, phone, ord)
  ), created AS (
    INSERT INTO academy.students (branch_id, document_id, first_name, last_name, email, phone)
    SELECT g.branch_id, g.doc, g.first_name, g.last_name, g.email, g.phone FROM given g ORDER BY g.ord
    ON CONFLICT ON CONSTRAINT students_document_key DO NOTHING
    RETURNING *
  ), firsts AS (
    SELECT g.ord, g.doc, g.ord = min(g.ord) OVER (PARTITION BY g.doc) AS first FROM given g
  )
  SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY f.ord) FILTER (WHERE c.id IS NOT NULL), '[]'), count(*), count(c.id),
         (array_agg(f.doc ORDER BY f.ord) FILTER (WHERE c.id IS NULL))[1]
    INTO v_created, v_given, v_inserted, v_skipped
    FROM firsts f LEFT JOIN created c ON f.first AND c.document_id = f.doc;
  IF v_inserted < v_given THEN
    RAISE EXCEPTION 'a student with document % is already registered', v_skipped USING ERRCODE = '23505', COLUMN = 'document_id';
  END IF;
  RETURN v_created;
END
$$;
COMMENT ON FUNCTION api.register_students(jsonb) IS
  'Registers many students at once, all or none (students.create in each one''s branch): students is an array of {branch_id, document_id, first_name, last_name, email, phone}; documents are normalised to upper case. Returns the students in the given order. The same rules and errors as /rpc/register_student (which registers one through this): 400 bad input, 403, 404 unknown branch, 409 a document already registered or given twice. Errors name the field they are about.';
GRANT EXECUTE ON FUNCTION api.register_students(jsonb) TO app_user;

CREATE OR REPLACE FUNCTION api.register_student(
  branch_id uuid, document_id text, first_name text, last_name text, email text DEFAULT NULL, phone text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
BEGIN
  RETURN api.register_students(jsonb_build_array(jsonb_build_object(
    'branch_id', branch_id, 'document_id', document_id, 'first_name', first_name, 'last_name', last_name, 'email', email, 'phone', phone))) -> 0;
END
$$;
COMMENT ON FUNCTION api.register_student(uuid, text, text, text, text, text) IS
  'Registers a student in a branch (students.create); document_id is normalised to upper case. The rules of /rpc/register_students, for one. 400 bad input, 403, 404 unknown branch, 409 document already registered. Errors name the argument they are about.';
GRANT EXECUTE ON FUNCTION api.register_student(uuid, text, text, text, text, text) TO app_user;

-- A target's function for many rows, for business migrations.
CREATE FUNCTION imports.set_bulk_function(p_target text, p_function regprocedure) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.oid = p_function AND p.pronargs = 1 AND p.proargtypes[0] = 'jsonb'::regtype
                                            AND p.prorettype = 'jsonb'::regtype) THEN
    RAISE EXCEPTION 'target %: % must take and return jsonb', p_target, p_function USING ERRCODE = '22023';
  END IF;
  UPDATE imports.targets t SET bulk_function = p_function WHERE t.name = p_target;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown import target %', p_target USING ERRCODE = '22023', HINT = 'register it with imports.register_target';
  END IF;
END
$$;
COMMENT ON FUNCTION imports.set_bulk_function(text, regprocedure) IS 'Names the function a target''s frontends call to create many rows at once (jsonb array of objects → jsonb array of rows with "id", all or none, the same rules as the one-row function): imports then write a chunk of valid rows with one call instead of one call per row. For business migrations. VOLATILE.';
REVOKE ALL ON FUNCTION imports.set_bulk_function(text, regprocedure) FROM PUBLIC;

-- The SQL that writes a whole chunk through the target in one statement, as frontends do:
-- $1 holds the rows' args (jsonb[]); the result, the ids as texts in the rows' order.
CREATE FUNCTION imports.chunk_statement(p_target imports.targets, p_args text[]) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_values text[];
  v_names text[];
  v_returns regtype;
BEGIN
  SELECT array_agg(format('(a.args ->> %L)::%s', c ->> 'name', c ->> 'type') ORDER BY c ->> 'name'),
         array_agg(quote_ident(c ->> 'name') ORDER BY c ->> 'name')
    INTO v_values, v_names
    FROM jsonb_array_elements(p_target.columns) c WHERE c ->> 'name' = ANY (p_args);
  IF p_target.bulk_function IS NOT NULL THEN
    -- The target's function for many rows at once: the same rules, one statement inside.
    RETURN format('SELECT coalesce(array_agg(e.value ->> ''id'' ORDER BY e.ord), ''{}'') FROM jsonb_array_elements(%s(pg_catalog.to_jsonb($1))) WITH ORDINALITY AS e(value, ord)',
                  p_target.bulk_function::oid::regproc);
  END IF;
  IF p_target.insert_relation IS NOT NULL THEN
    -- An INSERT returns its rows in the order its SELECT feeds them (ORDER BY a.ord).
    RETURN format('WITH w AS (INSERT INTO %s (%s) SELECT %s FROM unnest($1) WITH ORDINALITY AS a(args, ord) ORDER BY a.ord RETURNING id::text) '
                  'SELECT coalesce(array_agg(w.id), ''{}'') FROM w',
                  p_target.insert_relation, array_to_string(v_names, ', '), array_to_string(v_values, ', '));
  END IF;
  SELECT prorettype::regtype INTO v_returns FROM pg_proc WHERE oid = p_target.insert_function;
  -- The function is volatile: called once per row, in the rows' order.
  RETURN format('SELECT coalesce(array_agg(w.id ORDER BY w.ord), ''{}'') FROM (SELECT a.ord, (%s(%s))%s AS id FROM unnest($1) WITH ORDINALITY AS a(args, ord)) w',
                p_target.insert_function::oid::regproc,
                (SELECT string_agg(format('%s => %s', n, v), ', ') FROM unnest(v_names, v_values) AS x(n, v)),
                CASE WHEN v_returns = 'jsonb'::regtype THEN ' ->> ''id''' ELSE '::text' END);
END
$$;
COMMENT ON FUNCTION imports.chunk_statement(imports.targets, text[]) IS 'Internal: the SQL that writes a chunk of rows through a target in one statement, as frontends do (its function for many rows, else its one-row function once per row, or one INSERT into its api view), $1 the rows'' args (jsonb[] of texts), each cast to the column''s type; returns the ids as texts in the rows'' order. Insert mode only. STABLE.';
GRANT EXECUTE ON FUNCTION imports.chunk_statement(imports.targets, text[]) TO app_user;

-- The arguments of the next chunk's rows, each through imports.row_arguments: the rows to
-- write (row_nos, args) and those already refused (errors by row_no).
CREATE FUNCTION imports.chunk_arguments(
  p_batch imports.batches, p_target imports.targets, p_columns jsonb, p_after integer, p_rows integer, p_valid_only boolean,
  OUT row_nos integer[], OUT args jsonb[], OUT refused jsonb, OUT seen integer, OUT last_row integer, OUT marked integer
)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_row record;
  v_args jsonb;
  v_cache jsonb := '{}';
BEGIN
  row_nos := '{}'; args := '{}'; refused := '{}'; seen := 0; last_row := p_after; marked := 0;
  FOR v_row IN SELECT r.row_no, r.raw, r.errors FROM imports.rows r
                WHERE r.tenant_id = p_batch.tenant_id AND r.batch_id = p_batch.id AND r.row_no > p_after
                  AND (NOT p_valid_only OR r.errors IS NULL)
                ORDER BY r.row_no LIMIT p_rows LOOP
    last_row := v_row.row_no;
    seen := seen + 1;
    IF v_row.errors IS NOT NULL THEN
      marked := marked + 1;  -- marked before (a repeated key)
      CONTINUE;
    END IF;
    v_args := imports.row_arguments(p_target, p_columns, v_row.raw, v_cache);
    v_cache := v_args -> 'cache';
    IF v_args -> 'errors' <> '{}' THEN
      refused := refused || jsonb_build_object(v_row.row_no::text, v_args -> 'errors');
    ELSE
      row_nos := row_nos || v_row.row_no;
      args := args || (v_args -> 'args');
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION imports.chunk_arguments(imports.batches, imports.targets, jsonb, integer, integer, boolean) IS 'Internal: the next p_rows staged rows of a batch after row p_after (only those without errors when p_valid_only) with their arguments (imports.row_arguments, lookups cached for the chunk): the rows to write (row_nos, args), the rows refused already (errors by row number), how many were read, the last one, and how many were marked before (a repeated key). STABLE.';
GRANT EXECUTE ON FUNCTION imports.chunk_arguments(imports.batches, imports.targets, jsonb, integer, integer, boolean) TO app_user;

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
COMMENT ON FUNCTION imports.validate_chunk(uuid, integer) IS 'Validates the next p_rows staged rows of the caller''s batch by writing them through its target as the caller (RLS, grants, branch scope, constraints and the RPC''s checks apply), then undoes the whole chunk: nothing reaches the target. The chunk is first tried in one statement; only if some row is refused does it go row by row, each in a savepoint, to record each bad row''s errors per column. Records the progress; the last chunk moves the batch to validated. Returns the rows checked (0: nothing left). VOLATILE.';
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
  -- A row refused now by its arguments (a code no longer visible…) keeps its errors.
  UPDATE imports.rows r SET errors = e.value
    FROM jsonb_each(c.refused) e
   WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no = e.key::integer;
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

SELECT imports.set_bulk_function('students', 'api.register_students(jsonb)');
