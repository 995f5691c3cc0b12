-- 0073: api.register_students writes with a plain INSERT (#16: imports validation +
-- promotion ÷ PostgREST's bulk insert, goal >= 0.5; and every frontend registering students).
--
-- The function inserted with ON CONFLICT ON CONSTRAINT students_document_key DO NOTHING and
-- then joined the rows written back to the rows given (a window over the documents, a hash
-- join, to_jsonb in the given order) to find a document skipped, so as to refuse it with a
-- clear message without a subtransaction. Imports call it for every chunk twice (validation,
-- rehearsed; promotion). Measured on 20 000 students as the migration owner (no row
-- security, no audit): a plain INSERT 295–324 ms, with the conflict arbiter 375–399 ms; as the
-- api's login, a 2 000-row chunk: the INSERT 39 ms of the statement's 64–76 ms. Now one plain
-- INSERT … RETURNING in a block that catches unique_violation (one subtransaction per call,
-- not per row); only then is the former statement run, to name the document, and the
-- function refuses as before (23505, column document_id). Same results, same errors
-- (pgTAP 100, 200).

CREATE OR REPLACE FUNCTION api.register_students(students jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_branch uuid;
  v_bad record;
  v_created jsonb;
  v_given integer;
  v_inserted integer;
  v_skipped text;
  v_state text; v_message text; v_detail text; v_hint text; v_column text; v_constraint text; v_table text; v_schema text;
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
  -- One plain INSERT for all, in the given order (RETURNING yields the rows in the order
  -- they are written); the table's constraints check each row. Only a refused call goes on
  -- to the checks below, which name what was wrong in the caller's terms.
  BEGIN
    WITH created AS (
      INSERT INTO academy.students (branch_id, document_id, first_name, last_name, email, phone)
      SELECT x.branch_id, upper(regexp_replace(x.document_id, '[[:space:].]', '', 'g')), btrim(x.first_name), btrim(x.last_name),
             nullif(btrim(x.email), ''), nullif(btrim(x.phone), '')
        FROM ROWS FROM (jsonb_to_recordset(students) AS (branch_id uuid, document_id text, first_name text, last_name text, email text, phone text))
             WITH ORDINALITY AS x(branch_id, document_id, first_name, last_name, email, phone, ord)
       ORDER BY x.ord
      RETURNING *
    )
    SELECT coalesce(jsonb_agg(to_jsonb(c)), '[]') INTO v_created FROM created c;
    RETURN v_created;
  EXCEPTION WHEN unique_violation OR check_violation OR not_null_violation THEN
    -- Refused: explained below, as before the fast path (a bad document or a missing name
    -- first, then a document already registered), or raised again as it came.
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL,
                            v_hint = PG_EXCEPTION_HINT, v_column = COLUMN_NAME, v_constraint = CONSTRAINT_NAME,
                            v_table = TABLE_NAME, v_schema = SCHEMA_NAME;
  END;
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
  -- Then the same rows again, a document already registered (in any branch, seen by the
  -- caller or not) or given twice skipped by the key, to name the first one in the given
  -- order (then everything is undone).
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
  -- Nothing to explain (a name too long, an e-mail the table refuses…): the error as it came.
  RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message, DETAIL = v_detail, HINT = v_hint, COLUMN = v_column,
                        CONSTRAINT = v_constraint, TABLE = v_table, SCHEMA = v_schema;
END
$$;
COMMENT ON FUNCTION api.register_students(jsonb) IS
  'Registers many students at once, all or none (students.create in each one''s branch): students is an array of {branch_id, document_id, first_name, last_name, email, phone}; documents are normalised to upper case. Returns the students in the given order. The same rules and errors as /rpc/register_student (which registers one through this): 400 bad input, 403, 404 unknown branch, 409 a document already registered or given twice. Errors name the field they are about.';
GRANT EXECUTE ON FUNCTION api.register_students(jsonb) TO app_user;
