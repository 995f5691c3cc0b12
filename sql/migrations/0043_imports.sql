-- 0043: imports — bulk imports from spreadsheets into any table that registers as a target.
--
-- A business migration registers a target (imports.register_target): the function frontends
-- call to create one row (an RPC with named parameters, e.g. api.register_student) or the api
-- view they insert into (e.g. api.clients), an optional function that updates a row found by
-- its natural key, the natural key, and each column's label, header aliases and lookup (a
-- function text → id run as the caller, e.g. a branch code → its id). This schema knows no
-- business table by name.
--
-- A batch goes uploaded → validating → validated → promoting → done (or failed / cancelled),
-- along the workflow primitive. Its rows are staged with their raw values, keyed (tenant,
-- batch, row_no). Validation calls the target exactly as a frontend would — as the batch's
-- creator, so RLS, grants, branch scope, constraints and the RPC's own checks all apply — in
-- savepoints, a chunk at a time, and rolls every chunk back: it never writes to the target.
-- Each bad row keeps its errors per column (the header the clerk used) in Spanish.
-- Promotion calls the target again for the valid rows, a chunk per transaction; the chunk's
-- lineage rows (batch, row_no → created or updated id) and the batch's high-water mark are
-- written in the same transaction, so a crash resumes where it stopped and promoting twice
-- never duplicates.
--
-- The api (or `cimiento-api import`) drives the chunks: imports.next_work hands a batch with
-- an expired lease and its creator's claims to the api's login; every chunk then runs as that
-- creator. Nothing here trusts counters for safety: promotion re-runs every rule.

CREATE SCHEMA imports;
COMMENT ON SCHEMA imports IS 'Bulk imports: registered targets, batches (workflow), staged rows with their errors, lineage of what a batch created.';

INSERT INTO core.permissions (code, description) VALUES
  ('imports.read',   'See every import batch of the tenant'),
  ('imports.create', 'Upload, validate, promote and cancel one''s own import batches (the target''s own permission is needed too)');
INSERT INTO core.builtin_role_permissions (role_name, permission) VALUES
  ('manager', 'imports.read'), ('manager', 'imports.create'), ('registrar', 'imports.create');
INSERT INTO core.role_permissions (tenant_id, role_id, permission)
SELECT r.tenant_id, r.id, p.permission
  FROM core.roles r
  JOIN (VALUES ('manager', 'imports.read'), ('manager', 'imports.create'), ('registrar', 'imports.create')) AS p(role_name, permission)
    ON p.role_name = r.name
 WHERE r.builtin
ON CONFLICT DO NOTHING;

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE imports.targets (
  name            text PRIMARY KEY CONSTRAINT targets_name_format CHECK (name ~ '^[a-z][a-z0-9_]{1,39}$'),
  description     text NOT NULL,
  insert_function regprocedure,
  insert_relation regclass,
  update_function regprocedure,
  permission      text NOT NULL CONSTRAINT targets_permission_format CHECK (permission ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'),
  natural_key     text[] NOT NULL CONSTRAINT targets_natural_key_given CHECK (cardinality(natural_key) > 0),
  columns         jsonb NOT NULL CONSTRAINT targets_columns_array CHECK (jsonb_typeof(columns) = 'array'),
  messages        jsonb NOT NULL DEFAULT '{}' CONSTRAINT targets_messages_object CHECK (jsonb_typeof(messages) = 'object'),
  CONSTRAINT targets_one_way_in CHECK ((insert_function IS NULL) <> (insert_relation IS NULL))
);
COMMENT ON TABLE imports.targets IS 'What a spreadsheet can be imported into (registered by imports.register_target): the function or api view that creates one row as frontends do, the optional update-by-natural-key function, the permission the caller needs, the natural key, each column (name, type, label, header aliases, required, lookup) and per-column messages ("column:SQLSTATE" → Spanish text).';

CREATE TABLE imports.batches (
  tenant_id        uuid NOT NULL DEFAULT cimiento.current_tenant() REFERENCES core.tenants (id),
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  target           text NOT NULL REFERENCES imports.targets (name),
  mode             text NOT NULL DEFAULT 'insert' CONSTRAINT batches_mode CHECK (mode IN ('insert', 'upsert')),
  file_name        text NOT NULL CONSTRAINT batches_file_name_length CHECK (length(file_name) BETWEEN 1 AND 255),
  format           text NOT NULL CONSTRAINT batches_format CHECK (format IN ('csv', 'xlsx', 'json')),
  encoding         text,
  delimiter        text,
  sheet            text,
  headers          text[] NOT NULL,
  mapping          jsonb NOT NULL CONSTRAINT batches_mapping_object CHECK (jsonb_typeof(mapping) = 'object'),
  status           text NOT NULL DEFAULT 'uploaded'
                   CONSTRAINT batches_status CHECK (status IN ('uploaded', 'validating', 'validated', 'promoting', 'done', 'failed', 'cancelled')),
  rows_total       integer NOT NULL DEFAULT 0,
  rows_checked     integer NOT NULL DEFAULT 0,
  checked_through  integer NOT NULL DEFAULT 0,
  rows_invalid     integer NOT NULL DEFAULT 0,
  promoted_through integer NOT NULL DEFAULT 0,
  rows_created     integer NOT NULL DEFAULT 0,
  rows_updated     integer NOT NULL DEFAULT 0,
  rows_failed      integer NOT NULL DEFAULT 0,
  error            text,
  created_by       uuid NOT NULL DEFAULT cimiento.current_user_id(),
  created_at       timestamptz NOT NULL DEFAULT now(),
  phase_started_at timestamptz,
  validated_at     timestamptz,
  finished_at      timestamptz,
  lease_until      timestamptz,
  PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE imports.batches IS 'One upload: target, mode (insert | upsert by natural key), file facts (format, encoding, delimiter, sheet, headers), the mapping header → target column, the workflow status (uploaded → validating → validated → promoting → done | failed | cancelled) and progress (rows_checked of rows_total up to row checked_through, rows_invalid; promoted_through, rows_created, rows_updated, rows_failed). lease_until: until when a worker holds it.';
CREATE INDEX batches_work_idx ON imports.batches (lease_until) WHERE status IN ('validating', 'promoting');

CREATE TABLE imports.rows (
  tenant_id uuid NOT NULL DEFAULT cimiento.current_tenant(),
  batch_id  uuid NOT NULL,
  row_no    integer NOT NULL CONSTRAINT rows_row_no_positive CHECK (row_no > 0),
  raw       jsonb NOT NULL CONSTRAINT rows_raw_object CHECK (jsonb_typeof(raw) = 'object'),
  errors    jsonb CONSTRAINT rows_errors_object CHECK (errors IS NULL OR jsonb_typeof(errors) = 'object'),
  PRIMARY KEY (tenant_id, batch_id, row_no),
  FOREIGN KEY (tenant_id, batch_id) REFERENCES imports.batches (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE imports.rows IS 'The staged rows of a batch, numbered as in the spreadsheet (the header is row 1, so the first data row is 2; empty rows leave gaps), with their raw values (header → text) and, once checked, their errors (header → Spanish message; NULL: valid).';

CREATE TABLE imports.lineage (
  tenant_id  uuid NOT NULL DEFAULT cimiento.current_tenant(),
  batch_id   uuid NOT NULL,
  row_no     integer NOT NULL,
  target_id  uuid NOT NULL,
  action     text NOT NULL CONSTRAINT lineage_action CHECK (action IN ('created', 'updated')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, batch_id, row_no),
  FOREIGN KEY (tenant_id, batch_id, row_no) REFERENCES imports.rows (tenant_id, batch_id, row_no)
);
CREATE INDEX lineage_target_idx ON imports.lineage (tenant_id, target_id);
COMMENT ON TABLE imports.lineage IS 'What each promoted row became: (batch, row_no) → the id it created or updated. Written in the transaction that wrote the row; append-only.';

-- The creator's claims, so the background work acts as them: readable by no API role.
CREATE TABLE imports.batch_identities (
  tenant_id uuid NOT NULL,
  batch_id  uuid NOT NULL,
  claims    jsonb NOT NULL,
  PRIMARY KEY (tenant_id, batch_id),
  FOREIGN KEY (tenant_id, batch_id) REFERENCES imports.batches (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE imports.batch_identities IS 'The verified claims of a batch''s creator, kept so the background validation and promotion act as them. No API role reads it; imports.next_work hands them to the api''s login only.';

-- ---------------------------------------------------------------------------------------
-- Row-level security, policies, workflow, audit
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('imports.batches');
SELECT cimiento.enable_tenant_isolation('imports.rows');
SELECT cimiento.enable_tenant_isolation('imports.lineage');
SELECT cimiento.enable_tenant_isolation('imports.batch_identities');

SELECT cimiento.enable_owner_scope('imports.batches', 'created_by', 'imports.read', 'imports.create', '{select}');
SELECT cimiento.enable_permission_policy('imports.batches', 'insert', '{imports.create}');
SELECT cimiento.enable_owner_scope('imports.batches', 'created_by', 'imports.create', 'imports.create', '{update}');

-- Rows and lineage follow their batch: whoever sees the batch sees them.
CREATE POLICY rows_of_visible_batch ON imports.rows AS RESTRICTIVE FOR ALL
  USING (EXISTS (SELECT 1 FROM imports.batches b WHERE b.tenant_id = rows.tenant_id AND b.id = rows.batch_id))
  WITH CHECK (EXISTS (SELECT 1 FROM imports.batches b WHERE b.tenant_id = rows.tenant_id AND b.id = rows.batch_id
                         AND b.created_by = cimiento.current_user_id()));
COMMENT ON POLICY rows_of_visible_batch ON imports.rows IS 'A staged row is seen with its batch and written only by the batch''s creator.';
CREATE POLICY lineage_of_visible_batch ON imports.lineage AS RESTRICTIVE FOR ALL
  USING (EXISTS (SELECT 1 FROM imports.batches b WHERE b.tenant_id = lineage.tenant_id AND b.id = lineage.batch_id))
  WITH CHECK (EXISTS (SELECT 1 FROM imports.batches b WHERE b.tenant_id = lineage.tenant_id AND b.id = lineage.batch_id
                         AND b.created_by = cimiento.current_user_id() AND b.status = 'promoting'));
COMMENT ON POLICY lineage_of_visible_batch ON imports.lineage IS 'Lineage is seen with its batch and written only while its creator promotes it.';

SELECT cimiento.enable_workflow('imports.batches', 'status', $$[
  {"name": "validate", "from": ["uploaded"], "to": "validating", "permission": "imports.create"},
  {"name": "validated", "from": ["validating"], "to": "validated", "permission": "imports.create"},
  {"name": "promote", "from": ["validated"], "to": "promoting", "permission": "imports.create"},
  {"name": "finish", "from": ["promoting"], "to": "done", "permission": "imports.create"},
  {"name": "fail", "from": ["validating", "promoting"], "to": "failed", "permission": "imports.create"},
  {"name": "cancel", "from": ["uploaded", "validating", "validated"], "to": "cancelled", "permission": "imports.create"}
]$$, entity => 'import_batches', initial_states => '{uploaded}');

SELECT cimiento.enable_append_only('imports.lineage', 'lineage is never changed or deleted', 'it records what a batch wrote');

SELECT cimiento.enable_audit(t::regclass)
  FROM unnest(ARRAY['imports.targets', 'imports.batches', 'imports.rows', 'imports.lineage', 'imports.batch_identities']) AS t;

-- ---------------------------------------------------------------------------------------
-- Grants
-- ---------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA imports TO app_user, analyst, cimiento_api;
GRANT SELECT ON imports.targets TO app_user, analyst;
GRANT SELECT ON imports.batches, imports.rows, imports.lineage TO app_user, analyst;
GRANT INSERT (tenant_id, id, target, mode, file_name, format, encoding, delimiter, sheet, headers, mapping)
  ON imports.batches TO app_user;
GRANT UPDATE (status, rows_total, rows_checked, checked_through, rows_invalid, promoted_through, rows_created, rows_updated, rows_failed, error,
              phase_started_at, validated_at, finished_at, lease_until)
  ON imports.batches TO app_user;
GRANT INSERT (tenant_id, batch_id, row_no, raw), UPDATE (errors) ON imports.rows TO app_user;
GRANT INSERT (tenant_id, batch_id, row_no, target_id, action) ON imports.lineage TO app_user;

-- ---------------------------------------------------------------------------------------
-- Targets
-- ---------------------------------------------------------------------------------------
-- The form a header or label is compared in: lower case, no accents, letters and digits only.
CREATE FUNCTION imports.header_key(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, p_text)), '[^a-z0-9]', '', 'g')
$$;
COMMENT ON FUNCTION imports.header_key(text) IS 'The form headers are matched in: lower case, without accents, letters and digits only ("Nº Documento" → "ndocumento"). IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION imports.header_key(text) TO app_user, analyst;

CREATE FUNCTION imports.register_target(
  p_name text, p_description text, p_permission text, p_natural_key text[], p_columns jsonb,
  p_insert_function regprocedure DEFAULT NULL, p_insert_relation regclass DEFAULT NULL,
  p_update_function regprocedure DEFAULT NULL, p_messages jsonb DEFAULT '{}'
) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_columns jsonb := '[]';
  v_col jsonb;
  v_type text;
BEGIN
  -- Each column's SQL type comes from the function's parameter or the view's column.
  FOR v_col IN SELECT value FROM jsonb_array_elements(p_columns) LOOP
    IF p_insert_function IS NOT NULL THEN
      SELECT format_type(t.oid, NULL) INTO v_type
        FROM pg_proc p, unnest(p.proargnames, p.proargtypes::oid[]) AS a(name, typ) JOIN pg_type t ON t.oid = a.typ
       WHERE p.oid = p_insert_function AND a.name = v_col ->> 'name';
    ELSE
      SELECT format_type(a.atttypid, a.atttypmod) INTO v_type
        FROM pg_attribute a WHERE a.attrelid = p_insert_relation AND a.attname = v_col ->> 'name' AND NOT a.attisdropped;
    END IF;
    IF v_type IS NULL THEN
      RAISE EXCEPTION 'target %: % has no column or parameter %', p_name, coalesce(p_insert_function::text, p_insert_relation::text),
        v_col ->> 'name' USING ERRCODE = '22023';
    END IF;
    v_columns := v_columns || jsonb_build_array(v_col || jsonb_build_object('type', v_type));
  END LOOP;
  IF EXISTS (SELECT 1 FROM unnest(p_natural_key) k WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v_columns) c WHERE c ->> 'name' = k)) THEN
    RAISE EXCEPTION 'target %: the natural key must be among its columns', p_name USING ERRCODE = '22023';
  END IF;
  INSERT INTO imports.targets (name, description, insert_function, insert_relation, update_function, permission, natural_key, columns, messages)
  VALUES (p_name, p_description, p_insert_function, p_insert_relation, p_update_function, p_permission, p_natural_key, v_columns, p_messages)
  ON CONFLICT (name) DO UPDATE
    SET description = EXCLUDED.description, insert_function = EXCLUDED.insert_function, insert_relation = EXCLUDED.insert_relation,
        update_function = EXCLUDED.update_function, permission = EXCLUDED.permission, natural_key = EXCLUDED.natural_key,
        columns = EXCLUDED.columns, messages = EXCLUDED.messages;
END
$$;
COMMENT ON FUNCTION imports.register_target(text, text, text, text[], jsonb, regprocedure, regclass, regprocedure, jsonb) IS
$$Registers (or replaces) an import target, for business migrations: name, description, the permission the caller needs, the natural key (column names), the columns ([{name, label, aliases[], required, lookup: 'schema.fn(text)'}]; each type is read from the function's parameter or the view's column), either the function frontends call to create one row (named parameters; returns jsonb with "id" or a uuid) or the api view they insert into, an optional update function (same parameters; returns NULL when no row has the natural key) and per-column messages ("column:SQLSTATE" → Spanish text). VOLATILE.$$;
REVOKE ALL ON FUNCTION imports.register_target(text, text, text, text[], jsonb, regprocedure, regclass, regprocedure, jsonb) FROM PUBLIC;

-- The mapping header → column a file's headers suggest: a header matches a column's name,
-- label or one of its aliases (accents, case and punctuation ignored); first match wins.
CREATE FUNCTION imports.suggest_mapping(p_target text, p_headers text[]) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(jsonb_object_agg(m.header, m.col), '{}')
    FROM (SELECT DISTINCT ON (c.value ->> 'name') h.header, c.value ->> 'name' AS col
            FROM unnest(p_headers) WITH ORDINALITY AS h(header, pos)
            JOIN imports.targets t ON t.name = p_target
            CROSS JOIN LATERAL jsonb_array_elements(t.columns) AS c(value)
           WHERE imports.header_key(h.header) IN (
                   SELECT imports.header_key(x) FROM (
                     SELECT c.value ->> 'name' UNION ALL SELECT c.value ->> 'label'
                     UNION ALL SELECT jsonb_array_elements_text(coalesce(c.value -> 'aliases', '[]'))) AS k(x)
                    WHERE x IS NOT NULL)
           ORDER BY c.value ->> 'name', h.pos) AS m
$$;
COMMENT ON FUNCTION imports.suggest_mapping(text, text[]) IS 'The mapping header → target column suggested by a file''s headers: a header matches a column''s name, label or alias, ignoring accents, case and punctuation; each column takes the first header that matches. STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION imports.suggest_mapping(text, text[]) TO app_user, analyst;

-- ---------------------------------------------------------------------------------------
-- Errors in words a clerk understands
-- ---------------------------------------------------------------------------------------
-- One message per SQLSTATE (Spanish); a target may say it better per column.
CREATE FUNCTION imports.message(p_target imports.targets, p_column text, p_sqlstate text, p_value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(
    p_target.messages ->> (p_column || ':' || p_sqlstate),
    CASE
      WHEN p_sqlstate = '23505' THEN 'ya existe un registro con este valor'
      WHEN p_sqlstate IN ('23503', 'PT404', 'IM404') THEN 'no existe'
      WHEN p_sqlstate = '23502' OR p_sqlstate = 'IM400' THEN 'es obligatorio'
      WHEN p_sqlstate = '22001' THEN 'es demasiado largo'
      WHEN p_sqlstate IN ('22P02', '22007', '22008', '22003', '22018') THEN 'no tiene un formato válido'
      WHEN p_sqlstate IN ('42501', 'PT403') THEN 'no tiene permiso para este valor'
      WHEN p_sqlstate = 'PT409' THEN 'entra en conflicto con los datos existentes'
      ELSE 'no es un valor válido'
    END) || CASE WHEN p_value IS NULL OR p_value = '' THEN '' ELSE format(' («%s»)', left(p_value, 60)) END
$$;
COMMENT ON FUNCTION imports.message(imports.targets, text, text, text) IS 'The Spanish message for an error of a column: the target''s own ("column:SQLSTATE") or the one of the SQLSTATE, followed by the value the clerk wrote. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION imports.message(imports.targets, text, text, text) TO app_user;

-- The header a target column was read from (the clerk's own word for it).
CREATE FUNCTION imports.header_of(p_mapping jsonb, p_column text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce((SELECT key FROM jsonb_each_text(p_mapping) WHERE value = p_column LIMIT 1), p_column)
$$;
COMMENT ON FUNCTION imports.header_of(jsonb, text) IS 'The header a target column was mapped from (the column''s own name when none). IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION imports.header_of(jsonb, text) TO app_user;

-- The mapped columns of a batch, planned once per chunk: each with its header.
CREATE FUNCTION imports.mapped_columns(p_target imports.targets, p_mapping jsonb) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(jsonb_agg(c.value || jsonb_build_object('header', m.key) ORDER BY c.ordinality), '[]')
    FROM jsonb_array_elements(p_target.columns) WITH ORDINALITY AS c(value, ordinality)
    JOIN jsonb_each_text(p_mapping) m ON m.value = c.value ->> 'name'
$$;
COMMENT ON FUNCTION imports.mapped_columns(imports.targets, jsonb) IS 'Internal: the target''s columns a mapping uses, each with the header it is read from. STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION imports.mapped_columns(imports.targets, jsonb) TO app_user;

-- The arguments of one row: each mapped column's text (NULL when empty), required columns
-- present, lookups resolved as the caller (p_cache remembers the codes already looked up).
-- Returns {"args": {column: text}, "errors": {header: message}, "cache": {…}}.
CREATE FUNCTION imports.row_arguments(p_target imports.targets, p_columns jsonb, p_raw jsonb, p_cache jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_col jsonb;
  v_value text;
  v_key text;
  v_resolved text;
  v_args jsonb := '{}';
  v_errors jsonb := '{}';
  v_cache jsonb := coalesce(p_cache, '{}');
BEGIN
  FOR v_col IN SELECT value FROM jsonb_array_elements(p_columns) LOOP
    v_value := nullif(btrim(p_raw ->> (v_col ->> 'header')), '');
    IF v_value IS NULL THEN
      IF (v_col ->> 'required')::boolean THEN
        v_errors := v_errors || jsonb_build_object(v_col ->> 'header', imports.message(p_target, v_col ->> 'name', 'IM400', NULL));
      END IF;
    ELSIF v_col ? 'lookup' THEN
      v_key := (v_col ->> 'name') || ':' || upper(v_value);
      IF v_cache ? v_key THEN
        v_resolved := v_cache ->> v_key;
      ELSE
        EXECUTE format('SELECT (%s($1))::text', (v_col ->> 'lookup')::regproc) INTO v_resolved USING v_value;
        v_cache := v_cache || jsonb_build_object(v_key, v_resolved);
      END IF;
      IF v_resolved IS NULL THEN
        v_errors := v_errors || jsonb_build_object(v_col ->> 'header', imports.message(p_target, v_col ->> 'name', 'IM404', v_value));
      END IF;
      v_value := v_resolved;
    END IF;
    v_args := v_args || jsonb_build_object(v_col ->> 'name', v_value);
  END LOOP;
  RETURN jsonb_build_object('args', v_args, 'errors', v_errors, 'cache', v_cache);
END
$$;
COMMENT ON FUNCTION imports.row_arguments(imports.targets, jsonb, jsonb, jsonb) IS 'One staged row''s arguments for its target: each mapped column''s trimmed text (empty is NULL), required columns present, lookups resolved as the caller (an unknown code is an error of that column; p_cache keeps the codes of a chunk). Returns {"args", "errors", "cache"}. STABLE.';
GRANT EXECUTE ON FUNCTION imports.row_arguments(imports.targets, jsonb, jsonb, jsonb) TO app_user;

-- The statement that writes one row through the target, as frontends do; $1 is the row's
-- args (jsonb of texts), the result the id as text. 'update' uses the update function.
CREATE FUNCTION imports.write_statement(p_target imports.targets, p_args text[], p_kind text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_values text[];
  v_names text[];
  v_fn regprocedure := CASE p_kind WHEN 'update' THEN p_target.update_function ELSE p_target.insert_function END;
  v_returns regtype;
BEGIN
  SELECT array_agg(format('($1 ->> %L)::%s', c ->> 'name', c ->> 'type') ORDER BY c ->> 'name'),
         array_agg(quote_ident(c ->> 'name') ORDER BY c ->> 'name')
    INTO v_values, v_names
    FROM jsonb_array_elements(p_target.columns) c WHERE c ->> 'name' = ANY (p_args);
  IF p_kind = 'insert' AND p_target.insert_relation IS NOT NULL THEN
    RETURN format('INSERT INTO %s (%s) VALUES (%s) RETURNING id::text', p_target.insert_relation,
                  array_to_string(v_names, ', '), array_to_string(v_values, ', '));
  END IF;
  SELECT prorettype::regtype INTO v_returns FROM pg_proc WHERE oid = v_fn;
  RETURN format('SELECT (%s(%s))%s', v_fn::oid::regproc,
                (SELECT string_agg(format('%s => %s', n, v), ', ') FROM unnest(v_names, v_values) AS x(n, v)),
                CASE WHEN v_returns = 'jsonb'::regtype THEN ' ->> ''id''' ELSE '::text' END);
END
$$;
COMMENT ON FUNCTION imports.write_statement(imports.targets, text[], text) IS 'Internal: the SQL that writes one row through a target as frontends do (its function with named arguments, or an INSERT into its api view), each argument cast from the row''s text to the column''s type; returns the id as text. STABLE.';
GRANT EXECUTE ON FUNCTION imports.write_statement(imports.targets, text[], text) TO app_user;

-- The errors of a row the target refused: the column the error names (RAISE … COLUMN, a
-- constraint's column, a NOT NULL column), or the column whose text does not cast; otherwise
-- the whole row ("fila").
CREATE FUNCTION imports.explain(
  p_target imports.targets, p_mapping jsonb, p_raw jsonb, p_args jsonb, p_sqlstate text, p_column text, p_constraint text,
  p_table text
) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_column text := nullif(p_column, '');
  v_col jsonb;
  v_ok boolean;
BEGIN
  IF v_column IS NULL AND nullif(p_constraint, '') IS NOT NULL THEN
    SELECT a.attname INTO v_column
      FROM pg_constraint k
      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
     WHERE k.conname = p_constraint
       AND (nullif(p_table, '') IS NULL OR k.conrelid IN (SELECT c.oid FROM pg_class c WHERE c.relname = p_table))
       AND a.attname <> 'tenant_id'
     ORDER BY a.attnum DESC LIMIT 1;
  END IF;
  IF v_column IS NULL AND p_sqlstate LIKE '22%' THEN
    FOR v_col IN SELECT value FROM jsonb_array_elements(p_target.columns) WHERE p_args ? (value ->> 'name') LOOP
      BEGIN
        EXECUTE format('SELECT $1::%s IS NOT NULL', v_col ->> 'type') INTO v_ok USING p_args ->> (v_col ->> 'name');
      EXCEPTION WHEN data_exception THEN
        v_column := v_col ->> 'name';
        EXIT;
      END;
    END LOOP;
  END IF;
  IF v_column IS NULL OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_target.columns) c WHERE c ->> 'name' = v_column) THEN
    RETURN jsonb_build_object('fila', imports.message(p_target, '', p_sqlstate, NULL));
  END IF;
  RETURN jsonb_build_object(imports.header_of(p_mapping, v_column),
                            imports.message(p_target, v_column, p_sqlstate, p_raw ->> imports.header_of(p_mapping, v_column)));
END
$$;
COMMENT ON FUNCTION imports.explain(imports.targets, jsonb, jsonb, jsonb, text, text, text, text) IS 'Internal: the errors (header → Spanish message) of a row its target refused: the column named by the error (RAISE … COLUMN), by its constraint, or the one whose text does not cast; else the whole row ("fila"). Never echoes internal details, only the value as the clerk wrote it. STABLE.';
GRANT EXECUTE ON FUNCTION imports.explain(imports.targets, jsonb, jsonb, jsonb, text, text, text, text) TO app_user;

-- Writes one row with the chunk's planned statements (update by natural key first in upsert
-- mode). Returns {"id", "action"}; the caller catches what the target raises.
CREATE FUNCTION imports.write_row(p_insert text, p_update text, p_args jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_id text;
BEGIN
  IF p_update IS NOT NULL THEN
    EXECUTE p_update INTO v_id USING p_args;
    IF v_id IS NOT NULL THEN
      RETURN jsonb_build_object('id', v_id, 'action', 'updated');
    END IF;
  END IF;
  EXECUTE p_insert INTO v_id USING p_args;
  RETURN jsonb_build_object('id', v_id, 'action', 'created');
END
$$;
COMMENT ON FUNCTION imports.write_row(text, text, jsonb) IS 'Internal: writes one row as the caller with the statements imports.write_statement planned for the chunk (in upsert mode the update first; a NULL from it means no row has the natural key, so it is created). Returns {"id", "action": created | updated}. VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.write_row(text, text, jsonb) TO app_user;

-- ---------------------------------------------------------------------------------------
-- The batch's life
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION imports.require_batch(p_batch uuid) RETURNS imports.batches
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_batch imports.batches;
BEGIN
  SELECT * INTO v_batch FROM imports.batches b WHERE b.id = p_batch FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'import batch % not found', p_batch USING ERRCODE = 'PT404', HINT = 'list your batches at /imports';
  END IF;
  IF v_batch.created_by IS DISTINCT FROM cimiento.current_user_id() THEN
    RAISE EXCEPTION 'only the batch''s creator works on it' USING ERRCODE = '42501', HINT = 'upload the file yourself';
  END IF;
  RETURN v_batch;
END
$$;
COMMENT ON FUNCTION imports.require_batch(uuid) IS 'Internal: the caller''s own batch, locked (404 if not visible, 403 if another user''s). VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.require_batch(uuid) TO app_user;

-- Keeps the creator's verified claims (set by PostgREST or the api for this request).
CREATE FUNCTION imports.keep_identity(p_batch uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_claims jsonb := nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb;
BEGIN
  IF v_claims IS NULL THEN
    RETURN;  -- a direct SQL login drives its own batch (cimiento-api import)
  END IF;
  IF NOT EXISTS (SELECT 1 FROM imports.batches b
                                      WHERE b.tenant_id OPERATOR(pg_catalog.=) cimiento.current_tenant() AND b.id OPERATOR(pg_catalog.=) p_batch
                                        AND b.created_by OPERATOR(pg_catalog.=) cimiento.current_user_id()) THEN
    RAISE EXCEPTION 'a batch is created by a signed-in user' USING ERRCODE = '42501', HINT = 'sign in and upload again';
  END IF;
  INSERT INTO imports.batch_identities (tenant_id, batch_id, claims)
  VALUES (cimiento.current_tenant(), p_batch, v_claims - 'exp' - 'iat' - 'nbf')
  ON CONFLICT (tenant_id, batch_id) DO NOTHING;
END
$$;
COMMENT ON FUNCTION imports.keep_identity(uuid) IS 'Internal: keeps the claims of the request that created a batch (the caller''s own batch only), so its background work acts as them; a direct SQL login has none and drives its batch itself. SECURITY DEFINER (the table is readable by no API role).';
REVOKE ALL ON FUNCTION imports.keep_identity(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION imports.keep_identity(uuid) TO app_user;

-- Hands a worker (the api's login) one batch to work on, with its creator's claims.
CREATE FUNCTION imports.next_work(p_lease interval DEFAULT '30 seconds')
RETURNS TABLE (tenant_id uuid, batch_id uuid, status text, claims jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN QUERY
  WITH picked AS (
    SELECT b.tenant_id, b.id FROM imports.batches b
     WHERE b.status OPERATOR(pg_catalog.=) ANY (ARRAY['validating', 'promoting'])
       AND (b.lease_until IS NULL OR b.lease_until OPERATOR(pg_catalog.<) pg_catalog.now())
     ORDER BY b.created_at LIMIT 1 FOR UPDATE SKIP LOCKED
  ), leased AS (
    UPDATE imports.batches b SET lease_until = pg_catalog.now() OPERATOR(pg_catalog.+) p_lease
      FROM picked WHERE b.tenant_id OPERATOR(pg_catalog.=) picked.tenant_id AND b.id OPERATOR(pg_catalog.=) picked.id
    RETURNING b.tenant_id, b.id, b.status
  )
  SELECT l.tenant_id, l.id, l.status, i.claims
    FROM leased l JOIN imports.batch_identities i ON i.tenant_id OPERATOR(pg_catalog.=) l.tenant_id AND i.batch_id OPERATOR(pg_catalog.=) l.id;
END
$$;
COMMENT ON FUNCTION imports.next_work(interval) IS 'For the api''s login: leases the oldest batch being validated or promoted whose lease has expired (none held, or its worker died) and returns it with its creator''s claims, so every chunk runs as them. SECURITY DEFINER.';
REVOKE ALL ON FUNCTION imports.next_work(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION imports.next_work(interval) TO cimiento_api;

-- Fresh statistics after a phase: a batch adds its rows at once, and without them the
-- planner takes the staged rows for a handful (reading /import_rows then scans per row).
CREATE FUNCTION imports.refresh_statistics() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  ANALYZE imports.batches, imports.rows, imports.lineage;
END
$$;
COMMENT ON FUNCTION imports.refresh_statistics() IS 'For the api''s login: ANALYZE of the imports tables after a validation or promotion ends, so the planner knows how many rows a batch added. SECURITY DEFINER (ANALYZE needs the owner).';
REVOKE ALL ON FUNCTION imports.refresh_statistics() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION imports.refresh_statistics() TO cimiento_api;

-- Marks rows whose natural key repeats an earlier row of the file.
CREATE FUNCTION imports.mark_repeated_keys(p_batch imports.batches, p_target imports.targets) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_headers text[] := ARRAY(SELECT imports.header_of(p_batch.mapping, k) FROM unnest(p_target.natural_key) k);
  v_key text;
  v_rows integer[];
  v_firsts integer[];
  v_shown text[];
  v_n integer;
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(v_headers) h WHERE NOT p_batch.mapping ? h) THEN
    RETURN 0;
  END IF;
  -- The key of a row, spelled out once per header: trimmed, case ignored.
  SELECT string_agg(format('lower(btrim(x.raw ->> %L))', h), ' || chr(31) || ') INTO v_key FROM unnest(v_headers) h;
  EXECUTE format($q$
    SELECT coalesce(array_agg(k.row_no), '{}'), coalesce(array_agg(k.first_row), '{}'), coalesce(array_agg(k.shown), '{}')
      FROM (SELECT x.row_no, x.raw ->> %1$L AS shown, min(x.row_no) OVER (PARTITION BY %2$s) AS first_row
              FROM imports.rows x
             WHERE x.tenant_id = $1 AND x.batch_id = $2 AND %2$s <> '') k
     WHERE k.first_row < k.row_no$q$, v_headers[1], v_key)
  INTO v_rows, v_firsts, v_shown USING p_batch.tenant_id, p_batch.id;
  -- Few rows repeat: each is updated through the primary key.
  UPDATE imports.rows r
     SET errors = jsonb_build_object(v_headers[1], format('repetido en el archivo: ya aparece en la fila %s (%s)', d.first_row, d.shown))
    FROM unnest(v_rows, v_firsts, v_shown) AS d(row_no, first_row, shown)
   WHERE r.tenant_id = p_batch.tenant_id AND r.batch_id = p_batch.id AND r.row_no = d.row_no;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
END
$$;
COMMENT ON FUNCTION imports.mark_repeated_keys(imports.batches, imports.targets) IS 'Internal: marks the rows whose natural key (trimmed, case ignored) repeats an earlier row of the same file, naming that row. Returns how many. VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.mark_repeated_keys(imports.batches, imports.targets) TO app_user;

-- Validates the next chunk of a batch as the caller, writing nothing to the target.
CREATE FUNCTION imports.validate_chunk(p_batch uuid, p_rows integer DEFAULT 500) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_batch imports.batches := imports.require_batch(p_batch);
  v_target imports.targets;
  v_columns jsonb;
  v_cache jsonb := '{}';
  v_insert text;
  v_update text;
  v_row record;
  v_args jsonb;
  v_bad jsonb := '{}';
  v_last integer := v_batch.checked_through;
  v_done integer := 0;
  v_invalid integer := 0;
  v_state text; v_column text; v_constraint text; v_table text;
BEGIN
  IF v_batch.status <> 'validating' THEN
    RETURN 0;
  END IF;
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = v_batch.target;
  v_columns := imports.mapped_columns(v_target, v_batch.mapping);
  v_insert := imports.write_statement(v_target, ARRAY(SELECT c ->> 'name' FROM jsonb_array_elements(v_columns) c), 'insert');
  IF v_batch.mode = 'upsert' THEN
    v_update := imports.write_statement(v_target, ARRAY(SELECT c ->> 'name' FROM jsonb_array_elements(v_columns) c), 'update');
  END IF;
  BEGIN
    FOR v_row IN SELECT r.row_no, r.raw, r.errors FROM imports.rows r
                  WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no > v_batch.checked_through
                  ORDER BY r.row_no LIMIT p_rows LOOP
      v_last := v_row.row_no;
      v_done := v_done + 1;
      IF v_row.errors IS NOT NULL THEN
        v_invalid := v_invalid + 1;  -- marked before (a repeated key)
        CONTINUE;
      END IF;
      v_args := imports.row_arguments(v_target, v_columns, v_row.raw, v_cache);
      v_cache := v_args -> 'cache';
      IF v_args -> 'errors' <> '{}' THEN
        v_bad := v_bad || jsonb_build_object(v_row.row_no::text, v_args -> 'errors');
        CONTINUE;
      END IF;
      -- Each row in its own savepoint; the rows before it stay until the chunk is undone, so
      -- a duplicate inside the chunk is refused as the target would refuse it.
      BEGIN
        PERFORM imports.write_row(v_insert, v_update, v_args -> 'args');
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_column = COLUMN_NAME, v_constraint = CONSTRAINT_NAME, v_table = TABLE_NAME;
        v_bad := v_bad || jsonb_build_object(v_row.row_no::text,
          imports.explain(v_target, v_batch.mapping, v_row.raw, v_args -> 'args', v_state, v_column, v_constraint, v_table));
      END;
    END LOOP;
    RAISE EXCEPTION USING ERRCODE = 'IM000';  -- undo every write of the chunk
  EXCEPTION WHEN SQLSTATE 'IM000' THEN
    NULL;
  END;
  UPDATE imports.rows r SET errors = e.value
    FROM jsonb_each(v_bad) e
   WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no = e.key::integer;
  UPDATE imports.batches b
     SET rows_checked = b.rows_checked + v_done, checked_through = v_last,
         rows_invalid = b.rows_invalid + v_invalid + (SELECT count(*) FROM jsonb_object_keys(v_bad)),
         status = CASE WHEN v_done < p_rows THEN 'validated' ELSE b.status END,
         validated_at = CASE WHEN v_done < p_rows THEN now() END,
         lease_until = CASE WHEN v_done < p_rows THEN NULL ELSE b.lease_until END
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = p_batch;
  RETURN v_done;
END
$$;
COMMENT ON FUNCTION imports.validate_chunk(uuid, integer) IS 'Validates the next p_rows staged rows of the caller''s batch by writing each through its target as the caller (RLS, grants, branch scope, constraints and the RPC''s checks apply), each in a savepoint, then undoes the whole chunk: nothing reaches the target. Records each bad row''s errors per column and the progress; the last chunk moves the batch to validated. Returns the rows checked (0: nothing left). VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.validate_chunk(uuid, integer) TO app_user;

-- Promotes the next chunk of valid rows, for good, with their lineage.
CREATE FUNCTION imports.promote_chunk(p_batch uuid, p_rows integer DEFAULT 500) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_batch imports.batches := imports.require_batch(p_batch);
  v_target imports.targets;
  v_columns jsonb;
  v_cache jsonb := '{}';
  v_insert text;
  v_update text;
  v_row record;
  v_args jsonb;
  v_written jsonb;
  v_last integer := v_batch.promoted_through;
  v_done integer := 0;
  v_created integer := 0;
  v_updated integer := 0;
  v_failed integer := 0;
  v_state text; v_column text; v_constraint text; v_table text;
BEGIN
  IF v_batch.status <> 'promoting' THEN
    RETURN 0;
  END IF;
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = v_batch.target;
  v_columns := imports.mapped_columns(v_target, v_batch.mapping);
  v_insert := imports.write_statement(v_target, ARRAY(SELECT c ->> 'name' FROM jsonb_array_elements(v_columns) c), 'insert');
  IF v_batch.mode = 'upsert' THEN
    v_update := imports.write_statement(v_target, ARRAY(SELECT c ->> 'name' FROM jsonb_array_elements(v_columns) c), 'update');
  END IF;
  FOR v_row IN SELECT r.row_no, r.raw FROM imports.rows r
                WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no > v_batch.promoted_through
                  AND r.errors IS NULL
                ORDER BY r.row_no LIMIT p_rows LOOP
    v_last := v_row.row_no;
    v_done := v_done + 1;
    v_args := imports.row_arguments(v_target, v_columns, v_row.raw, v_cache);
      v_cache := v_args -> 'cache';
    BEGIN
      IF v_args -> 'errors' <> '{}' THEN
        RAISE EXCEPTION USING ERRCODE = 'IM400';
      END IF;
      v_written := imports.write_row(v_insert, v_update, v_args -> 'args');
      INSERT INTO imports.lineage (tenant_id, batch_id, row_no, target_id, action)
      VALUES (v_batch.tenant_id, p_batch, v_row.row_no, (v_written ->> 'id')::uuid, v_written ->> 'action');
      IF v_written ->> 'action' = 'created' THEN v_created := v_created + 1; ELSE v_updated := v_updated + 1; END IF;
    EXCEPTION WHEN OTHERS THEN
      -- Something changed since validation (another user registered the same key…): the row
      -- keeps its errors and the others go on.
      GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_column = COLUMN_NAME, v_constraint = CONSTRAINT_NAME, v_table = TABLE_NAME;
      UPDATE imports.rows r
         SET errors = CASE WHEN v_state = 'IM400' THEN v_args -> 'errors'
                           ELSE imports.explain(v_target, v_batch.mapping, v_row.raw, v_args -> 'args', v_state, v_column, v_constraint, v_table) END
       WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no = v_row.row_no;
      v_failed := v_failed + 1;
    END;
  END LOOP;
  UPDATE imports.batches b
     SET promoted_through = CASE WHEN v_done < p_rows THEN b.rows_total ELSE v_last END,
         rows_created = b.rows_created + v_created, rows_updated = b.rows_updated + v_updated,
         rows_failed = b.rows_failed + v_failed, rows_invalid = b.rows_invalid + v_failed,
         status = CASE WHEN v_done < p_rows THEN 'done' ELSE b.status END,
         finished_at = CASE WHEN v_done < p_rows THEN now() END,
         lease_until = CASE WHEN v_done < p_rows THEN NULL ELSE b.lease_until END
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = p_batch;
  RETURN v_done;
END
$$;
COMMENT ON FUNCTION imports.promote_chunk(uuid, integer) IS 'Writes the next p_rows valid rows of the caller''s batch through its target as the caller, each with its lineage row, and advances the batch''s high-water mark in the same transaction (a crash resumes after the last committed chunk; promoting twice never duplicates). A row refused now (the data changed since validation) keeps its errors; the others go on. The last chunk moves the batch to done. Returns the rows handled. VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.promote_chunk(uuid, integer) TO app_user;

-- A worker that met an error it cannot attribute to a row (the target was dropped…).
CREATE FUNCTION imports.fail(p_batch uuid, p_error text) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM imports.require_batch(p_batch);
  UPDATE imports.batches b SET status = 'failed', error = left(p_error, 500), finished_at = now(), lease_until = NULL
   WHERE b.id = p_batch AND b.status IN ('validating', 'promoting');
END
$$;
COMMENT ON FUNCTION imports.fail(uuid, text) IS 'Internal: the worker marks the caller''s batch failed with a message (what it could not attribute to a row). VOLATILE.';
GRANT EXECUTE ON FUNCTION imports.fail(uuid, text) TO app_user;

-- ---------------------------------------------------------------------------------------
-- The api schema: what frontends and the api service call
-- ---------------------------------------------------------------------------------------
CREATE VIEW api.import_targets WITH (security_invoker = true) AS
  SELECT name, description, permission, natural_key, update_function IS NOT NULL AS can_update,
         (SELECT jsonb_agg(c - 'lookup' - 'type') FROM jsonb_array_elements(t.columns) c) AS columns
    FROM imports.targets t;
COMMENT ON VIEW api.import_targets IS 'What can be imported: each target with its permission, natural key, whether it can update by natural key (mode upsert), and its columns (name, label, header aliases, required).';
GRANT SELECT ON api.import_targets TO app_user;

CREATE VIEW api.imports WITH (security_invoker = true) AS
  SELECT b.tenant_id, b.id, b.target, b.mode, b.file_name, b.format, b.encoding, b.delimiter, b.sheet, b.headers, b.mapping,
         b.status, b.rows_total, b.rows_checked, b.rows_invalid, b.rows_total - b.rows_invalid AS rows_valid,
         b.rows_created, b.rows_updated, b.rows_failed, b.error, b.created_by, b.created_at, b.validated_at, b.finished_at,
         p.rows_done, p.rows_per_second,
         CASE WHEN p.rows_per_second > 0 THEN round((p.rows_todo - p.rows_done) / p.rows_per_second) END AS seconds_left
    FROM imports.batches b
    CROSS JOIN LATERAL (
      SELECT x.rows_done, x.rows_todo,
             CASE WHEN x.rows_done > 0 AND b.phase_started_at IS NOT NULL
                  THEN round(x.rows_done / greatest(extract(epoch FROM coalesce(x.ended, now()) - b.phase_started_at), 0.001), 1) END
               AS rows_per_second
        FROM (SELECT CASE WHEN b.status IN ('promoting', 'done') THEN b.rows_created + b.rows_updated + b.rows_failed ELSE b.rows_checked END
                       AS rows_done,
                     CASE WHEN b.status IN ('promoting', 'done') THEN b.rows_total - (b.rows_invalid - b.rows_failed) ELSE b.rows_total END
                       AS rows_todo,
                     CASE b.status WHEN 'validated' THEN b.validated_at WHEN 'done' THEN b.finished_at END AS ended) x
    ) p;
COMMENT ON VIEW api.imports IS 'Import batches (the caller''s own; every batch with imports.read) with their progress: status, rows_total, rows_checked, rows_invalid, rows_valid, rows_created/updated/failed, and for the phase under way rows_done, rows_per_second and seconds_left. Upload with POST /imports on the api; preview with /import_rows; promote with /rpc/promote_import; cancel with /rpc/cancel_import.';
GRANT SELECT ON api.imports TO app_user;

CREATE VIEW api.import_rows WITH (security_invoker = true) AS
  SELECT r.tenant_id, r.batch_id, r.row_no, r.raw, r.errors,
         CASE WHEN r.errors IS NOT NULL THEN 'invalid' WHEN r.row_no <= b.checked_through THEN 'valid' ELSE 'pending' END AS state,
         l.target_id, l.action
    FROM imports.rows r
    JOIN imports.batches b ON b.tenant_id = r.tenant_id AND b.id = r.batch_id
    LEFT JOIN imports.lineage l ON l.tenant_id = r.tenant_id AND l.batch_id = r.batch_id AND l.row_no = r.row_no;
COMMENT ON VIEW api.import_rows IS 'The rows of the batches one sees: raw values, errors per column (Spanish), state (pending | valid | invalid) and, once promoted, the id it created or updated (lineage). Preview: ?batch_id=eq.…&state=eq.invalid&order=row_no&limit=20. What a done batch created: ?batch_id=eq.…&action=eq.created.';
GRANT SELECT ON api.import_rows TO app_user;

CREATE FUNCTION api.create_import(
  target text, file_name text, headers text[], mapping jsonb DEFAULT NULL, mode text DEFAULT 'insert',
  format text DEFAULT 'json', encoding text DEFAULT NULL, delimiter text DEFAULT NULL, sheet text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_target imports.targets;
  v_mapping jsonb;
  v_unknown text;
  v_missing text;
  v_id uuid;
BEGIN
  PERFORM cimiento.require_permission('imports.create');
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = target;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown import target %', target USING ERRCODE = '22023', HINT = 'see /import_targets';
  END IF;
  PERFORM cimiento.require_permission(v_target.permission);
  IF headers IS NULL OR cardinality(headers) = 0 THEN
    RAISE EXCEPTION 'the file has no header row' USING ERRCODE = '22023', HINT = 'the first row names the columns';
  END IF;
  IF (SELECT count(DISTINCT h) FROM unnest(headers) h) <> cardinality(headers) OR EXISTS (SELECT 1 FROM unnest(headers) h WHERE coalesce(btrim(h), '') = '') THEN
    RAISE EXCEPTION 'every column needs a distinct, non-empty header' USING ERRCODE = '22023', HINT = 'rename the repeated or empty headers';
  END IF;
  IF mode NOT IN ('insert', 'upsert') THEN
    RAISE EXCEPTION 'mode must be insert or upsert' USING ERRCODE = '22023', HINT = 'insert creates rows; upsert updates by natural key';
  END IF;
  IF mode = 'upsert' AND v_target.update_function IS NULL THEN
    RAISE EXCEPTION 'target % only creates rows', target USING ERRCODE = '22023', HINT = 'use mode insert';
  END IF;
  v_mapping := coalesce(mapping, imports.suggest_mapping(target, headers));
  IF jsonb_typeof(v_mapping) <> 'object' THEN
    RAISE EXCEPTION 'mapping must be an object {header: column}' USING ERRCODE = '22023', HINT = 'see /import_targets for the columns';
  END IF;
  SELECT string_agg(m.key || ' → ' || m.value, ', ') INTO v_unknown FROM jsonb_each_text(v_mapping) m
   WHERE NOT m.key = ANY (headers)
      OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v_target.columns) c WHERE c ->> 'name' = m.value);
  IF v_unknown IS NOT NULL THEN
    RAISE EXCEPTION 'the mapping names a header the file lacks or a column the target lacks: %', v_unknown
      USING ERRCODE = '22023', HINT = 'map each header to a column of /import_targets';
  END IF;
  IF (SELECT count(*) FROM jsonb_each_text(v_mapping)) <> (SELECT count(DISTINCT value) FROM jsonb_each_text(v_mapping)) THEN
    RAISE EXCEPTION 'two headers are mapped to the same column' USING ERRCODE = '22023', HINT = 'map each column once';
  END IF;
  SELECT string_agg(c ->> 'name', ', ') INTO v_missing FROM jsonb_array_elements(v_target.columns) c
   WHERE ((c ->> 'required')::boolean AND mode = 'insert' OR c ->> 'name' = ANY (v_target.natural_key))
     AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(v_mapping) m WHERE m.value = c ->> 'name');
  IF v_missing IS NOT NULL THEN
    RAISE EXCEPTION 'no header is mapped to the required column(s) %', v_missing
      USING ERRCODE = '22023', HINT = 'add the column to the file or pass a mapping';
  END IF;
  INSERT INTO imports.batches (target, mode, file_name, format, encoding, delimiter, sheet, headers, mapping)
  VALUES (target, mode, file_name, format, encoding, delimiter, sheet, headers, v_mapping)
  RETURNING id INTO v_id;
  PERFORM imports.keep_identity(v_id);
  RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = v_id);
END
$$;
COMMENT ON FUNCTION api.create_import(text, text, text[], jsonb, text, text, text, text, text) IS
$$Starts an import batch (imports.create and the target's permission): the target (see /import_targets), the file's name and headers, the mapping {header: column} (suggested from the headers when omitted: accents and case ignored), mode insert | upsert (update by natural key; a file of updates needs only the natural key and the columns it changes). Then stage rows with /rpc/stage_import_rows and start validation with /rpc/validate_import — or upload the whole file with POST /imports on the api, which does all three. Errors: 400 unknown target, bad headers or mapping, a required column unmapped; 403.$$;
GRANT EXECUTE ON FUNCTION api.create_import(text, text, text[], jsonb, text, text, text, text, text) TO app_user;

CREATE FUNCTION api.stage_import_rows(batch_id uuid, first_row_no integer, rows jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
  v_n integer;
BEGIN
  IF v_batch.status <> 'uploaded' THEN
    RAISE EXCEPTION 'rows are staged before validation starts' USING ERRCODE = 'PT409', HINT = 'start a new batch';
  END IF;
  IF jsonb_typeof(rows) <> 'array' OR first_row_no IS NULL OR first_row_no < 1 THEN
    RAISE EXCEPTION 'rows must be an array of arrays of texts, numbered from first_row_no >= 1' USING ERRCODE = '22023',
      HINT = 'each row lists its values in the order of the headers';
  END IF;
  INSERT INTO imports.rows (tenant_id, batch_id, row_no, raw)
  SELECT v_batch.tenant_id, v_batch.id, first_row_no + r.i::integer - 1,
         (SELECT coalesce(jsonb_object_agg(h.name, v.value), '{}')
            FROM unnest(v_batch.headers) WITH ORDINALITY AS h(name, pos)
            JOIN jsonb_array_elements_text(CASE jsonb_typeof(r.v) WHEN 'array' THEN r.v ELSE '[]' END) WITH ORDINALITY AS v(value, pos)
              ON v.pos = h.pos)
    FROM jsonb_array_elements(rows) WITH ORDINALITY AS r(v, i);
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'rows from % are already staged', first_row_no USING ERRCODE = '23505', HINT = 'stage each row once';
END
$$;
COMMENT ON FUNCTION api.stage_import_rows(uuid, integer, jsonb) IS
$$Stages rows of the caller's batch while it is uploaded: rows is an array of arrays of texts in the order of the batch's headers, the first numbered first_row_no. Returns how many. Errors: 400 not an array, 403 another user's batch, 404, 409 validation started, 409 rows already staged.$$;
GRANT EXECUTE ON FUNCTION api.stage_import_rows(uuid, integer, jsonb) TO app_user;

CREATE FUNCTION api.validate_import(batch_id uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
  v_target imports.targets;
BEGIN
  IF v_batch.status <> 'uploaded' THEN
    RAISE EXCEPTION 'the batch is %, not uploaded', v_batch.status USING ERRCODE = 'PT409', HINT = 'each batch is validated once';
  END IF;
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = v_batch.target;
  PERFORM imports.mark_repeated_keys(v_batch, v_target);
  UPDATE imports.batches b
     SET status = 'validating', phase_started_at = now(), lease_until = NULL,
         rows_total = (SELECT count(*) FROM imports.rows r WHERE r.tenant_id = b.tenant_id AND r.batch_id = b.id)
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = v_batch.id;
  PERFORM pg_notify('cimiento_imports', v_batch.id::text);
  RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = batch_id);
END
$$;
COMMENT ON FUNCTION api.validate_import(uuid) IS
$$Starts validating the caller's uploaded batch in the background (the api works it a chunk at a time as the caller); rows repeating an earlier row's natural key are marked first. Follow it at /imports?id=eq.… (rows_checked, rows_per_second, seconds_left). Errors: 403, 404, 409 not uploaded.$$;
GRANT EXECUTE ON FUNCTION api.validate_import(uuid) TO app_user;

CREATE FUNCTION api.promote_import(batch_id uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
BEGIN
  IF v_batch.status IN ('promoting', 'done') THEN
    RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = batch_id);  -- promoting twice is promoting once
  END IF;
  IF v_batch.status <> 'validated' THEN
    RAISE EXCEPTION 'the batch is %: only a validated batch is promoted', v_batch.status USING ERRCODE = 'PT409',
      HINT = 'wait until validation ends';
  END IF;
  UPDATE imports.batches b SET status = 'promoting', phase_started_at = now(), lease_until = NULL
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = v_batch.id;
  PERFORM pg_notify('cimiento_imports', v_batch.id::text);
  RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = batch_id);
END
$$;
COMMENT ON FUNCTION api.promote_import(uuid) IS
$$Starts writing the valid rows of the caller's validated batch to its target, in the background and resumable; the invalid rows are left out (download them with GET /imports/{id}/errors.csv on the api). Calling it again while promoting or done changes nothing. Errors: 403, 404, 409 not validated.$$;
GRANT EXECUTE ON FUNCTION api.promote_import(uuid) TO app_user;

CREATE FUNCTION api.cancel_import(batch_id uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
BEGIN
  IF v_batch.status NOT IN ('uploaded', 'validating', 'validated') THEN
    RAISE EXCEPTION 'the batch is % and can no longer be cancelled', v_batch.status USING ERRCODE = 'PT409',
      HINT = 'a batch is cancelled before its promotion starts';
  END IF;
  UPDATE imports.batches b SET status = 'cancelled', finished_at = now(), lease_until = NULL
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = v_batch.id;
  RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = batch_id);
END
$$;
COMMENT ON FUNCTION api.cancel_import(uuid) IS
$$Cancels the caller's batch before its promotion starts (validation under way stops at its next chunk). Errors: 403, 404, 409 promoting or finished.$$;
GRANT EXECUTE ON FUNCTION api.cancel_import(uuid) TO app_user;

CREATE FUNCTION api.suggest_import_mapping(target text, headers text[]) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT imports.suggest_mapping(target, headers)
$$;
COMMENT ON FUNCTION api.suggest_import_mapping(text, text[]) IS 'The mapping {header: column} a file''s headers suggest for a target (accents, case and punctuation ignored), to show before uploading. STABLE.';
GRANT EXECUTE ON FUNCTION api.suggest_import_mapping(text, text[]) TO app_user;

-- ---------------------------------------------------------------------------------------
-- The domain schemas now include imports
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION core.domain_schemas() RETURNS name[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ARRAY['core', 'academy', 'billing', 'commerce', 'insurance', 'imports']::name[] $$;
COMMENT ON FUNCTION core.domain_schemas() IS 'The schemas that hold tenant data (tables isolated by tenant with forced RLS and audited): the one list tests and checks walk. Business migrations replace it with the longer list. IMMUTABLE, PARALLEL SAFE.';
