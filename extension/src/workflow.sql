-- Workflows: the allowed changes of a state column, the permission each needs (in the row's
-- branch), an optional guard and reason, and the history of every change. A migration
-- switches them on with cimiento.enable_workflow(table, state_column, transitions); the
-- triggers then refuse any other change of that column on every path (REST, RPC, psql).

CREATE TABLE cimiento.workflows (
  table_oid      regclass PRIMARY KEY,
  entity         text NOT NULL UNIQUE CONSTRAINT workflows_entity_name CHECK (entity ~ '^[a-z][a-z0-9_]{0,62}$'),
  state_column   name NOT NULL,
  id_column      name NOT NULL,
  id_type        text NOT NULL,
  branch_column  name,
  initial_states text[]
);
COMMENT ON TABLE cimiento.workflows IS 'Tables whose state column follows a workflow (registered by cimiento.enable_workflow): the entity name used by cimiento.transition, the state, id and branch columns, and the states a row may start in (NULL: any).';

CREATE TABLE cimiento.workflow_transitions (
  table_oid       regclass NOT NULL REFERENCES cimiento.workflows ON DELETE CASCADE,
  name            text NOT NULL CONSTRAINT workflow_transitions_name CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  from_states     text[] NOT NULL CONSTRAINT workflow_transitions_from CHECK (cardinality(from_states) > 0),
  to_state        text NOT NULL,
  permission      text NOT NULL CONSTRAINT workflow_transitions_permission CHECK (permission ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'),
  guard           regprocedure,
  reason_required boolean NOT NULL DEFAULT false,
  PRIMARY KEY (table_oid, name)
);
COMMENT ON TABLE cimiento.workflow_transitions IS 'The allowed transitions of each workflow: from which states, to which state, the permission the caller needs in the row''s branch, an optional guard function (jsonb row → boolean) and whether a reason is required.';

CREATE TABLE cimiento.workflow_history (
  tenant_id   uuid NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY,
  branch_id   uuid,
  entity      text NOT NULL,
  row_id      text NOT NULL,
  transition  text NOT NULL,
  from_state  text NOT NULL,
  to_state    text NOT NULL,
  reason      text,
  actor_user  uuid,
  actor_login text NOT NULL,
  request_id  text,
  created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX workflow_history_row_idx ON cimiento.workflow_history (tenant_id, entity, row_id, created_at);
COMMENT ON TABLE cimiento.workflow_history IS 'Every change of a workflow state: entity and row, transition, from and to, reason, who (user and login), request id and when. Per tenant and branch (forced RLS); written only by the workflow trigger.';
SELECT cimiento.enable_tenant_isolation('cimiento.workflow_history', true);

GRANT SELECT ON cimiento.workflows, cimiento.workflow_transitions, cimiento.workflow_history TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cimiento.workflows', '');
SELECT pg_catalog.pg_extension_config_dump('cimiento.workflow_transitions', '');
SELECT pg_catalog.pg_extension_config_dump('cimiento.workflow_history', '');

-- Whether the session's login is a superuser (the root of trust is exempt from permissions).
-- The login, not the current role: the answer is the same inside SECURITY DEFINER code.
-- PL/pgSQL with a pinned path, so its plan is kept for the session: as a SQL function (not
-- inlinable: a sublink) it was planned again, with the pg_roles view, at every transition
-- it took part in (~110 µs a call, twice a transition).
CREATE FUNCTION cimiento.workflow_caller_is_superuser() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) session_user AND r.rolsuper);
END
$$;
COMMENT ON FUNCTION cimiento.workflow_caller_is_superuser() IS 'Internal: whether the session''s login is a superuser (exempt from workflow permissions, not from the transitions). STABLE, PARALLEL SAFE.';

-- Whether a transition's guard lets a row through (run as the caller).
CREATE FUNCTION cimiento.workflow_guard_passes(p_guard regprocedure, p_row jsonb) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
  ok boolean;
BEGIN
  IF p_guard IS NULL THEN
    RETURN true;
  END IF;
  EXECUTE pg_catalog.format('SELECT %s($1)', p_guard::pg_catalog.oid::pg_catalog.regproc::pg_catalog.text) INTO ok USING p_row;
  RETURN COALESCE(ok, false);
END
$$;
COMMENT ON FUNCTION cimiento.workflow_guard_passes(regprocedure, jsonb) IS 'Internal: runs a transition''s guard function on the row (as jsonb), as the caller; no guard passes. STABLE.';

-- The triggers (workflow.rs): Rust, entered directly (not through pgrx's wrapper) so that
-- their refusals keep their SQLSTATEs, PT409 included.
CREATE FUNCTION cimiento.workflow_check() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'workflow_check_entry';
COMMENT ON FUNCTION cimiento.workflow_check() IS 'Workflow trigger (BEFORE INSERT OR UPDATE OF the state column, as the caller): a new row must start in an initial state; a change must be an allowed transition (else PT409 with the transitions allowed from the current state in the hint), taken by a caller holding its permission in the row''s branch (else 42501), with a reason when required (else 22023) and its guard passing (else PT409). Superusers are exempt from permissions only. Rust; the workflow is read once per backend. VOLATILE, PARALLEL UNSAFE.';

CREATE FUNCTION cimiento.workflow_record() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'workflow_record_entry';
COMMENT ON FUNCTION cimiento.workflow_record() IS 'Workflow trigger (AFTER UPDATE OF the state column, when it changed): writes the transition into cimiento.workflow_history with who, when, reason and request id, as the history''s owner (callers cannot write the history themselves). Rust. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.workflow_record() FROM PUBLIC;

-- Switches a workflow on for a table the session's login owns.
CREATE FUNCTION cimiento.enable_workflow(tbl regclass, state_column name, transitions jsonb, entity text DEFAULT NULL,
                                         initial_states text[] DEFAULT NULL, id_column name DEFAULT 'id')
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_entity text := COALESCE(entity, (SELECT c.relname::text FROM pg_catalog.pg_class c WHERE c.oid = tbl));
  v_id_type text;
  v_branch name;
  t jsonb;
  n integer := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = tbl AND pg_catalog.pg_has_role(session_user, c.relowner, 'USAGE')) THEN
    RAISE EXCEPTION 'permission denied: only the owner of % can give it a workflow', tbl USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = 'tenant_id' AND NOT a.attisdropped) THEN
    RAISE EXCEPTION '% has no tenant_id column', tbl USING ERRCODE = '42P17', HINT = 'workflows are for tenant tables';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = state_column AND a.attnum > 0 AND NOT a.attisdropped) THEN
    RAISE EXCEPTION '% has no column %', tbl, state_column USING ERRCODE = '42703';
  END IF;
  SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) INTO v_id_type
    FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = id_column AND a.attnum > 0 AND NOT a.attisdropped;
  IF v_id_type IS NULL THEN
    RAISE EXCEPTION '% has no column %', tbl, id_column USING ERRCODE = '42703', HINT = 'name the row id with id_column';
  END IF;
  SELECT a.attname INTO v_branch FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = 'branch_id' AND NOT a.attisdropped;
  IF transitions IS NULL OR pg_catalog.jsonb_typeof(transitions) <> 'array' OR pg_catalog.jsonb_array_length(transitions) = 0 THEN
    RAISE EXCEPTION 'transitions must be a non-empty array of {name, from, to, permission, guard, reason_required}' USING ERRCODE = '22023';
  END IF;

  INSERT INTO cimiento.workflows (table_oid, entity, state_column, id_column, id_type, branch_column, initial_states)
  VALUES (tbl, v_entity, state_column, id_column, v_id_type, v_branch, initial_states)
  ON CONFLICT (table_oid) DO UPDATE
     SET entity = EXCLUDED.entity, state_column = EXCLUDED.state_column, id_column = EXCLUDED.id_column,
         id_type = EXCLUDED.id_type, branch_column = EXCLUDED.branch_column, initial_states = EXCLUDED.initial_states;
  DELETE FROM cimiento.workflow_transitions w WHERE w.table_oid = tbl;
  FOR t IN SELECT * FROM pg_catalog.jsonb_array_elements(transitions) LOOP
    n := n + 1;
    IF pg_catalog.jsonb_typeof(t -> 'from') IS DISTINCT FROM 'array' OR pg_catalog.jsonb_typeof(t -> 'to') IS DISTINCT FROM 'string'
       OR pg_catalog.jsonb_typeof(t -> 'name') IS DISTINCT FROM 'string' OR pg_catalog.jsonb_typeof(t -> 'permission') IS DISTINCT FROM 'string' THEN
      RAISE EXCEPTION 'transitions[%] needs name, from (array), to and permission', n USING ERRCODE = '22023';
    END IF;
    INSERT INTO cimiento.workflow_transitions (table_oid, name, from_states, to_state, permission, guard, reason_required)
    VALUES (tbl, t ->> 'name', ARRAY(SELECT pg_catalog.jsonb_array_elements_text(t -> 'from')), t ->> 'to', t ->> 'permission',
            (t ->> 'guard')::regprocedure, COALESCE((t ->> 'reason_required')::boolean, false));
  END LOOP;

  -- Dropped and created, not replaced: new trigger oids tell every backend to read the
  -- workflow again (the triggers keep it per trigger oid).
  IF EXISTS (SELECT FROM pg_catalog.pg_trigger t WHERE t.tgrelid = tbl AND t.tgname = 'cimiento_workflow') THEN
    EXECUTE pg_catalog.format('DROP TRIGGER cimiento_workflow ON %s', tbl);
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_trigger t WHERE t.tgrelid = tbl AND t.tgname = 'cimiento_workflow_history') THEN
    EXECUTE pg_catalog.format('DROP TRIGGER cimiento_workflow_history ON %s', tbl);
  END IF;
  EXECUTE pg_catalog.format('CREATE TRIGGER cimiento_workflow BEFORE INSERT OR UPDATE OF %I ON %s
                               FOR EACH ROW EXECUTE FUNCTION cimiento.workflow_check()', state_column, tbl);
  EXECUTE pg_catalog.format('CREATE TRIGGER cimiento_workflow_history AFTER UPDATE OF %I ON %s
                               FOR EACH ROW WHEN (OLD.%I IS DISTINCT FROM NEW.%I) EXECUTE FUNCTION cimiento.workflow_record(%L)',
                            state_column, tbl, state_column, state_column, state_column);
  PERFORM cimiento.protect_trigger(tbl, 'cimiento_workflow');
  PERFORM cimiento.protect_trigger(tbl, 'cimiento_workflow_history');
END
$$;
COMMENT ON FUNCTION cimiento.enable_workflow(regclass, name, jsonb, text, text[], name) IS 'Switches a workflow on for a tenant table the session''s login owns: transitions [{name, from: [states], to, permission, guard (a function jsonb → boolean, optional), reason_required (default false)}], the entity name for transition()/allowed_transitions() (default: the table name), the states a new row may start in (default: any) and the id column (default id). Its triggers are protected (only the superuser can lift them). Idempotent: calling again replaces the transitions. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.enable_workflow(regclass, name, jsonb, text, text[], name) FROM PUBLIC;

-- Moves a row of an entity to another state, as the caller (RLS and the workflow decide).
CREATE FUNCTION cimiento.transition(entity text, id text, to_state text, reason text DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  wf cimiento.workflows;
  result jsonb;
BEGIN
  SELECT * INTO wf FROM cimiento.workflows w WHERE w.entity = entity;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no workflow named %', entity USING ERRCODE = 'PT404';
  END IF;
  IF reason IS NOT NULL AND pg_catalog.length(reason) > 500 THEN
    RAISE EXCEPTION 'reason is too long: at most 500 characters' USING ERRCODE = '22001';
  END IF;
  PERFORM pg_catalog.set_config('cimiento.transition_reason', COALESCE(reason, ''), true);
  EXECUTE pg_catalog.format('UPDATE %s AS r SET %I = $1 WHERE r.%I = $2::%s RETURNING pg_catalog.to_jsonb(r.*)',
                            wf.table_oid, wf.state_column, wf.id_column, wf.id_type)
    INTO result USING to_state, id;
  PERFORM pg_catalog.set_config('cimiento.transition_reason', '', true);
  IF result IS NULL THEN
    RAISE EXCEPTION '% % not found', entity, id USING ERRCODE = 'PT404';
  END IF;
  RETURN result;
END
$$;
COMMENT ON FUNCTION cimiento.transition(text, text, text, text) IS 'Moves a row of a workflow entity to another state as the caller and returns the row: 404 unknown entity or row (or invisible under RLS), 409 not an allowed transition (hint: what is allowed) or guard not met, 403 without the permission in the row''s branch, 400 a required reason missing. VOLATILE.';
GRANT EXECUTE ON FUNCTION cimiento.transition(text, text, text, text) TO PUBLIC;

-- What the caller may do with a row now (to draw buttons).
CREATE FUNCTION cimiento.allowed_transitions(entity text, id text)
RETURNS TABLE (transition text, from_state text, to_state text, reason_required boolean)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  wf cimiento.workflows;
  v_row jsonb;
  v_state text;
  v_branch uuid;
  su boolean := cimiento.workflow_caller_is_superuser();
  t cimiento.workflow_transitions;
BEGIN
  SELECT * INTO wf FROM cimiento.workflows w WHERE w.entity = allowed_transitions.entity;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no workflow named %', allowed_transitions.entity USING ERRCODE = 'PT404';
  END IF;
  EXECUTE pg_catalog.format('SELECT pg_catalog.to_jsonb(r.*) FROM %s AS r WHERE r.%I = $1::%s', wf.table_oid, wf.id_column, wf.id_type)
    INTO v_row USING allowed_transitions.id;
  IF v_row IS NULL THEN
    RAISE EXCEPTION '% % not found', allowed_transitions.entity, allowed_transitions.id USING ERRCODE = 'PT404';
  END IF;
  v_state := v_row ->> wf.state_column;
  IF wf.branch_column IS NOT NULL THEN
    v_branch := (v_row ->> wf.branch_column)::uuid;
  END IF;
  FOR t IN SELECT * FROM cimiento.workflow_transitions w
            WHERE w.table_oid = wf.table_oid AND v_state = ANY (w.from_states) ORDER BY w.name LOOP
    IF (su OR CASE WHEN wf.branch_column IS NOT NULL THEN cimiento.has_permission(t.permission, v_branch)
                   ELSE cimiento.has_permission(t.permission) END)
       AND cimiento.workflow_guard_passes(t.guard, v_row) THEN
      transition := t.name;
      from_state := v_state;
      to_state := t.to_state;
      reason_required := t.reason_required;
      RETURN NEXT;
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION cimiento.allowed_transitions(text, text) IS 'The transitions the caller may take now on a row of a workflow entity (its permission held in the row''s branch, its guard passing): name, from, to and whether a reason is required. 404 unknown entity or row. STABLE.';
GRANT EXECUTE ON FUNCTION cimiento.allowed_transitions(text, text) TO PUBLIC;
