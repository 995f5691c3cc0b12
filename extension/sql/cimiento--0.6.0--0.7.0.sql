-- cimiento 0.6.0 → 0.7.0 (ALTER EXTENSION cimiento UPDATE; sql/bootstrap.sql runs it).
-- Workflows: the two triggers are Rust (workflow.rs) instead of PL/pgSQL. Same firing rules,
-- checks, messages and SQLSTATEs (PT409 included); the check no longer builds jsonb of the
-- row, reads the catalog at every change nor calls SQL for each permission, and the history
-- is written by one prepared insert as the history's owner (a user switch, as the audit
-- trigger does) instead of a SECURITY DEFINER function. enable_workflow drops and creates
-- the triggers instead of replacing them (new oids: backends read a changed workflow again).
-- cimiento.workflow_transition_taken, used only by the former triggers, is dropped.
-- Dropped tables: the sql_drop event trigger forgets what a dropped table registered
-- (protected triggers, workflow, owner scope, numbering; cimiento.forget_dropped_tables).
-- Before, a table with protected triggers dropped by the superuser left its rows in
-- cimiento.protected_triggers, and every later DDL of every other role (the next migration)
-- was refused: "trigger … on <oid> is protected". Registrations already left behind are
-- removed at the end of this script.
-- The same statements and comments as in cimiento--0.7.0.sql (workflow.sql,
-- protection_catalog.sql). The existing triggers keep their functions' oids (replaced in
-- place), so their protection holds.

-- The triggers (workflow.rs): Rust, entered directly (not through pgrx's wrapper) so that
-- their refusals keep their SQLSTATEs, PT409 included.
CREATE OR REPLACE FUNCTION cimiento.workflow_check() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'workflow_check_entry';
COMMENT ON FUNCTION cimiento.workflow_check() IS 'Workflow trigger (BEFORE INSERT OR UPDATE OF the state column, as the caller): a new row must start in an initial state; a change must be an allowed transition (else PT409 with the transitions allowed from the current state in the hint), taken by a caller holding its permission in the row''s branch (else 42501), with a reason when required (else 22023) and its guard passing (else PT409). Superusers are exempt from permissions only. Rust; the workflow is read once per backend. VOLATILE, PARALLEL UNSAFE.';

CREATE OR REPLACE FUNCTION cimiento.workflow_record() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'workflow_record_entry';
COMMENT ON FUNCTION cimiento.workflow_record() IS 'Workflow trigger (AFTER UPDATE OF the state column, when it changed): writes the transition into cimiento.workflow_history with who, when, reason and request id, as the history''s owner (callers cannot write the history themselves). Rust. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.workflow_record() FROM PUBLIC;

DROP FUNCTION cimiento.workflow_transition_taken(regclass, text, text, uuid, boolean);

CREATE OR REPLACE FUNCTION cimiento.enable_workflow(tbl regclass, state_column name, transitions jsonb, entity text DEFAULT NULL,
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

-- What a dropped table registered goes with it. Run by the sql_drop event trigger for every
-- role (the superuser may drop a table with protected triggers; its owner one with only an
-- owner scope): a registration left behind names an oid no table has, and a protected
-- trigger "missing" there refused every later DDL of every other role.
CREATE FUNCTION cimiento.forget_dropped_tables() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  DELETE FROM cimiento.protected_triggers p WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = p.table_oid);
  DELETE FROM cimiento.workflows w WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = w.table_oid);
  DELETE FROM cimiento.owner_scopes o WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = o.table_oid);
  DELETE FROM cimiento.numbered_tables n WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = n.table_oid);
END
$fn$;
COMMENT ON FUNCTION cimiento.forget_dropped_tables() IS 'Removes the registrations (protected triggers, workflows, owner scopes, numbered tables) of tables that no longer exist; the sql_drop event trigger runs it after a table is dropped by a role that may (the superuser; the migration owner, granted it by sql/bootstrap.sql). SECURITY DEFINER: removes only what names no table. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.forget_dropped_tables() FROM PUBLIC;

CREATE OR REPLACE FUNCTION cimiento.enforce_protected_triggers() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  bad record;
  superuser boolean := (SELECT rolsuper FROM pg_catalog.pg_roles WHERE oid = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user));
BEGIN
  IF tg_event = 'ddl_command_end' AND NOT superuser THEN
    SELECT p.table_oid::regclass::text AS tbl, p.trigger_name INTO bad
      FROM cimiento.protected_triggers p
      LEFT JOIN pg_catalog.pg_trigger t ON t.tgrelid = p.table_oid AND t.tgname = p.trigger_name
     WHERE t.oid IS NULL OR t.tgenabled NOT IN ('O', 'A') OR t.tgfoid <> p.function_oid
        OR t.tgtype::int <> p.trigger_type
     LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'trigger % on % is protected: only the cluster superuser may disable, drop or replace it',
        bad.trigger_name, bad.tbl USING ERRCODE = '42501',
        HINT = 'it guards issued documents or the audit trail';
    END IF;
  ELSIF tg_event = 'sql_drop' THEN
    IF NOT superuser THEN
      SELECT d.object_identity INTO bad
        FROM pg_catalog.pg_event_trigger_dropped_objects() d
       WHERE d.object_type IN ('table', 'table column')
         AND d.objid IN (SELECT table_oid FROM cimiento.protected_triggers)
       LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION '% has protected triggers: only the cluster superuser may drop it or its columns', bad.object_identity
          USING ERRCODE = '42501';
      END IF;
    END IF;
    -- A dropped table's registrations go with it (checked first: never before the refusal),
    -- when the role may forget them (a role without the grant leaves them to the lint).
    IF EXISTS (SELECT FROM pg_catalog.pg_event_trigger_dropped_objects() d WHERE d.object_type = 'table')
       AND (superuser OR pg_catalog.has_function_privilege('cimiento.forget_dropped_tables()', 'EXECUTE')) THEN
      PERFORM cimiento.forget_dropped_tables();
    END IF;
  ELSIF tg_event = 'table_rewrite' AND NOT superuser THEN
    IF pg_catalog.pg_event_trigger_table_rewrite_oid() IN (SELECT table_oid FROM cimiento.protected_triggers) THEN
      RAISE EXCEPTION '% has protected triggers: only the cluster superuser may rewrite it',
        pg_catalog.pg_event_trigger_table_rewrite_oid()::regclass USING ERRCODE = '42501';
    END IF;
  END IF;
END
$fn$;
COMMENT ON FUNCTION cimiento.enforce_protected_triggers() IS 'Event trigger: refuses to every role but the cluster superuser the DDL that would disable, drop or replace a protected trigger, or drop or rewrite its table; after a table is dropped (by a role allowed to), forgets its registrations (cimiento.forget_dropped_tables).';

SELECT cimiento.forget_dropped_tables();
