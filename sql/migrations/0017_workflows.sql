-- 0017: workflows (cimiento.enable_workflow) for the academy's states, and one surface for
-- frontends: api.transition / api.allowed_transitions / api.workflow_history.
--  - enrollments: active → withdrawn (withdraw), active → completed (complete),
--    withdrawn → active (reinstate, while the course is open);
--  - courses: draft → open, open → closed, closed → open (reopen), draft|open → cancelled
--    (cancel: needs courses.cancel and a reason).
-- Any other change of these states is refused on every path (REST PATCH, RPC, psql).

-- ---------------------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------------------
INSERT INTO core.permissions (code, description) VALUES
  ('courses.cancel', 'Cancel courses (with a reason)');

-- ---------------------------------------------------------------------------------------
-- Guards
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION academy.enrollment_course_is_open(p_row jsonb) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM academy.courses c
                  WHERE c.tenant_id = (p_row ->> 'tenant_id')::uuid AND c.id = (p_row ->> 'course_id')::uuid AND c.status = 'open')
$$;
COMMENT ON FUNCTION academy.enrollment_course_is_open(jsonb) IS 'Workflow guard of enrollments.reinstate: the enrollment''s course is open. SECURITY DEFINER (reads one course of the row''s own tenant).';
REVOKE ALL ON FUNCTION academy.enrollment_course_is_open(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.enrollment_course_is_open(jsonb) TO app_user;

-- ---------------------------------------------------------------------------------------
-- Workflows
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_workflow('academy.enrollments', 'status', $$[
  {"name": "withdraw",  "from": ["active"],    "to": "withdrawn", "permission": "enrollments.update"},
  {"name": "complete",  "from": ["active"],    "to": "completed", "permission": "enrollments.update"},
  {"name": "reinstate", "from": ["withdrawn"], "to": "active",    "permission": "enrollments.update",
   "guard": "academy.enrollment_course_is_open(jsonb)"}
]$$, entity => 'enrollments', initial_states => '{active}');

SELECT cimiento.enable_workflow('academy.courses', 'status', $$[
  {"name": "open",   "from": ["draft"],         "to": "open",      "permission": "courses.update"},
  {"name": "close",  "from": ["open"],          "to": "closed",    "permission": "courses.update"},
  {"name": "reopen", "from": ["closed"],        "to": "open",      "permission": "courses.update"},
  {"name": "cancel", "from": ["draft", "open"], "to": "cancelled", "permission": "courses.cancel", "reason_required": true}
]$$, entity => 'courses', initial_states => '{draft,open}');

-- ---------------------------------------------------------------------------------------
-- api: one surface for every workflow
-- ---------------------------------------------------------------------------------------
CREATE VIEW api.workflow_history WITH (security_invoker = true) AS
  SELECT h.tenant_id, h.id, h.branch_id, h.entity, h.row_id, h.transition, h.from_state, h.to_state, h.reason,
         h.actor_user, h.request_id, h.created_at
    FROM cimiento.workflow_history h;
COMMENT ON VIEW api.workflow_history IS 'Every state change of a workflow entity in the caller''s tenant and branches: entity, row_id, transition, from_state, to_state, reason, actor_user, request_id, created_at (e.g. ?entity=eq.enrollments&row_id=eq.<id>&order=created_at).';
GRANT SELECT ON api.workflow_history TO app_user;

CREATE FUNCTION api.transition(entity text, id text, to_state text, reason text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  SELECT cimiento.transition(entity, id, to_state, reason)
$$;
COMMENT ON FUNCTION api.transition(text, text, text, text) IS
$$Moves a row of a workflow entity (enrollments, courses) to another state and returns it. Errors: 404 unknown entity or row, 409 not an allowed transition (the hint lists what is allowed from the current state) or its condition is not met, 403 without the transition's permission in the row's branch, 400 a required reason missing. See allowed_transitions for what the caller may do now.$$;
GRANT EXECUTE ON FUNCTION api.transition(text, text, text, text) TO app_user;

CREATE FUNCTION api.allowed_transitions(entity text, id text)
RETURNS TABLE (transition text, from_state text, to_state text, reason_required boolean)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT * FROM cimiento.allowed_transitions(entity, id)
$$;
COMMENT ON FUNCTION api.allowed_transitions(text, text) IS
$$The transitions the caller may take now on a row of a workflow entity (enrollments, courses): transition, from_state, to_state, reason_required — to draw the buttons. 404 unknown entity or row.$$;
GRANT EXECUTE ON FUNCTION api.allowed_transitions(text, text) TO app_user;
