-- Workflows (cimiento.enable_workflow) from each role's point of view: allowed transition,
-- refused transition (409 with what is allowed), missing permission (403), reason and guard,
-- history written and readable per branch, and the rules hold on every path (psql too).
BEGIN;
SELECT plan(46);

CREATE TEMP TABLE ids AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT id FROM core.branches b WHERE b.code = 'CENTRO' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b1;
GRANT SELECT ON ids TO PUBLIC;
CREATE TEMP TABLE v (k text PRIMARY KEY, j jsonb);
GRANT ALL ON v TO PUBLIC;

CREATE FUNCTION pg_temp.admin(p_sql text) RETURNS jsonb LANGUAGE sql AS $$ SELECT test_auth.json_as('user:acme:admin@acme.test', p_sql) $$;

INSERT INTO v SELECT 'course', pg_temp.admin(format($$api.create_course(%L, 'WF-1', 'Flujo', 100, 5, '2027-01-10', '2027-06-30')$$, (SELECT b1 FROM ids)));
INSERT INTO v SELECT 'student', pg_temp.admin(format($$api.register_student(%L, '11111111-H', 'Flor', 'Lujo')$$, (SELECT b1 FROM ids)));
INSERT INTO v SELECT 'enr', pg_temp.admin(format($$api.enroll_student(%L, %L)$$, (SELECT j ->> 'id' FROM v WHERE k = 'student'), (SELECT j ->> 'id' FROM v WHERE k = 'course')));
CREATE TEMP VIEW e AS SELECT (SELECT j ->> 'id' FROM v WHERE k = 'enr') AS id, (SELECT j ->> 'id' FROM v WHERE k = 'course') AS course;
GRANT SELECT ON e TO PUBLIC;

-- ---- What the caller may do now ---------------------------------------------------------
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
            $$SELECT string_agg(transition || '>' || to_state, ',' ORDER BY transition) FROM api.allowed_transitions('enrollments', (SELECT id FROM e))$$),
          'complete>completed,withdraw>withdrawn', 'the admin may withdraw or complete an active enrollment');
SELECT is(test_auth.value_as('user:acme:staff@acme.test',
            $$SELECT count(*) FROM api.allowed_transitions('enrollments', (SELECT id FROM e))$$),
          '0', 'a teacher (no enrollments.update) may do nothing with it');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test', $$SELECT * FROM api.allowed_transitions('enrollments', gen_random_uuid()::text)$$),
          '^PT404: enrollments [0-9a-f-]{36} not found$', 'an unknown row is 404');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test', $$SELECT * FROM api.allowed_transitions('nope', gen_random_uuid()::text)$$),
          '^PT404: no workflow named nope', 'an unknown entity is 404');
SELECT is(test_auth.value_as('user:globex:admin@globex.test',
            $$SELECT count(*) FROM api.allowed_transitions('enrollments', (SELECT id FROM e))$$),
          'ERR:PT404', 'another tenant''s enrollment does not exist for them');

-- ---- An allowed transition, and its history ----------------------------------------------
SELECT is(pg_temp.admin($$api.transition('enrollments', (SELECT id FROM e), 'withdrawn', 'Se muda de ciudad')$$) ->> 'status',
          'withdrawn', 'the admin withdraws the enrollment');
SELECT is((SELECT row(transition, from_state, to_state, reason, actor_user = (SELECT id FROM core.users WHERE email_key = 'admin@acme.test'),
                      branch_id = (SELECT b1 FROM ids), actor_login)::text
             FROM cimiento.workflow_history WHERE entity = 'enrollments' AND row_id = (SELECT id FROM e)),
          '(withdraw,active,withdrawn,"Se muda de ciudad",t,t,authenticator)', 'the history records who, from, to, reason and branch');
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
            $$SELECT count(*) FROM api.workflow_history WHERE entity = 'enrollments' AND row_id = (SELECT id FROM e)$$),
          '1', 'the tenant reads its history over REST');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test',
            $$SELECT count(*) FROM api.workflow_history WHERE entity = 'enrollments' AND row_id = (SELECT id FROM e)$$),
          '0', 'a Norte-only user does not see Centro''s history');
SELECT is(test_auth.value_as('user:globex:admin@globex.test',
            $$SELECT count(*) FROM api.workflow_history WHERE tenant_id <> cimiento.current_tenant() OR row_id = (SELECT id FROM e)::text$$),
          '0', 'another tenant sees none of it');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$INSERT INTO cimiento.workflow_history (tenant_id, entity, row_id, transition, from_state, to_state, actor_login)
              VALUES (cimiento.current_tenant(), 'enrollments', 'x', 'forged', 'a', 'b', 'me')$$),
          '^42501', 'nobody writes the history by hand');

-- ---- A refused transition: 409 with what is allowed ------------------------------------------
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$SELECT api.transition('enrollments', (SELECT id FROM e), 'completed')$$),
          'PT409: enrollments cannot go from withdrawn to completed', 'withdrawn → completed is not a transition (409)');
SELECT is(test_auth.hint_as('user:acme:admin@acme.test', $$SELECT api.transition('enrollments', (SELECT id FROM e), 'completed')$$),
          'allowed from withdrawn: reinstate → active', '… and the hint says what is allowed');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$UPDATE academy.enrollments SET status = 'completed' WHERE id = (SELECT id::uuid FROM e)$$),
          'PT409: enrollments cannot go from withdrawn to completed', 'a plain UPDATE of the column by the API role meets the same rule');
SELECT is(test_auth.error_as('login:cimiento_owner', $$UPDATE academy.enrollments SET status = 'completed' WHERE id = (SELECT id::uuid FROM e)$$),
          'PT409: enrollments cannot go from withdrawn to completed', 'so does the DBA in psql');
SELECT is(test_auth.error_as('login:cimiento_owner', $$UPDATE academy.enrollments SET status = 'active' WHERE id = (SELECT id::uuid FROM e)$$),
          '42501: permission denied: moving enrollments from withdrawn to active needs enrollments.update',
          'and without the permission (the DBA has no tenant grants) an allowed transition is 403');
SELECT is(test_auth.error_as('login:cimiento_owner',
            $$INSERT INTO academy.enrollments (tenant_id, branch_id, student_id, course_id, status, agreed_fee)
              SELECT tenant_id, branch_id, student_id, course_id, 'completed', 1 FROM academy.enrollments LIMIT 1$$),
          'PT409: enrollments cannot start as completed', 'a new row starts in an initial state');

-- ---- Guards and reasons ------------------------------------------------------------------------
SELECT is(pg_temp.admin($$api.transition('courses', (SELECT course FROM e), 'closed')$$) ->> 'status', 'closed', 'the course closes');
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
            $$SELECT count(*) FROM api.allowed_transitions('enrollments', (SELECT id FROM e))$$),
          '0', 'reinstating is not offered while the course is closed (its guard)');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$SELECT api.transition('enrollments', (SELECT id FROM e), 'active')$$),
          'PT409: the transition reinstate of enrollments is not possible now', 'and refused (409)');
SELECT is(pg_temp.admin($$api.transition('courses', (SELECT course FROM e), 'open')$$) ->> 'status', 'open', 'the course reopens');
SELECT is(pg_temp.admin($$api.transition('enrollments', (SELECT id FROM e), 'active')$$) ->> 'status', 'active', 'and the enrollment is reinstated');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$SELECT api.transition('courses', (SELECT course FROM e), 'cancelled')$$),
          '22023: the transition cancel of courses needs a reason', 'cancelling a course needs a reason (400)');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$UPDATE academy.courses SET status = 'cancelled' WHERE id = (SELECT course::uuid FROM e)$$),
          '22023: the transition cancel of courses needs a reason', 'also through a plain UPDATE');

-- ---- A permission of its own: courses.cancel ----------------------------------------------------
INSERT INTO core.roles (tenant_id, name, description) SELECT acme, 'scheduler', 'Plans courses' FROM ids;
INSERT INTO core.role_permissions (tenant_id, role_id, permission)
SELECT acme, (SELECT id FROM core.roles WHERE tenant_id = acme AND name = 'scheduler'), p
  FROM ids, unnest(ARRAY['courses.read', 'courses.update']) AS p;
INSERT INTO core.user_roles (tenant_id, user_id, role_id)
SELECT acme, (SELECT id FROM core.users WHERE email_key = 'staff@acme.test'), (SELECT id FROM core.roles WHERE tenant_id = acme AND name = 'scheduler') FROM ids;
SELECT is(test_auth.value_as('user:acme:staff@acme.test',
            $$SELECT string_agg(transition, ',' ORDER BY transition) FROM api.allowed_transitions('courses', (SELECT course FROM e))$$),
          'close', 'a scheduler (courses.update) may close but not cancel');
SELECT is(test_auth.error_as('user:acme:staff@acme.test', $$SELECT api.transition('courses', (SELECT course FROM e), 'cancelled', 'Sin alumnos')$$),
          '42501: permission denied: moving courses from open to cancelled needs courses.cancel', 'cancelling without courses.cancel is 403');
SELECT is(pg_temp.admin($$api.transition('courses', (SELECT course FROM e), 'cancelled', 'Sin profesor')$$) ->> 'status', 'cancelled',
          'the admin cancels with a reason');
SELECT is(test_auth.hint_as('user:acme:admin@acme.test', $$SELECT api.transition('courses', (SELECT course FROM e), 'open')$$),
          'cancelled is final: no transition leaves it', 'a final state says so');
SELECT is((SELECT string_agg(transition || ':' || coalesce(reason, ''), ',' ORDER BY id) FROM cimiento.workflow_history
            WHERE entity = 'courses' AND row_id = (SELECT course FROM e)),
          'close:,reopen:,cancel:Sin profesor', 'each course transition is in its history');

-- ---- Only the owner registers workflows; the triggers are protected ------------------------------
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$SELECT cimiento.enable_workflow('academy.courses', 'status', '[]')$$), '^42501', 'API callers cannot register workflows');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$ALTER TABLE academy.enrollments DISABLE TRIGGER cimiento_workflow$$),
          '^42501', 'the DBA cannot switch the workflow off');
SELECT is(test_auth.error_as('login:cimiento_owner', $$SELECT cimiento.enable_workflow('academy.courses', 'status', '[{"name": "x"}]')$$),
          '22023: transitions[1] needs name, from (array), to and permission', 'a malformed transition is refused (22023)');

-- ---- The cluster superuser is exempt from permissions, not from the transitions ------------------
-- (this session's login is the superuser, with no identity and no permission)
INSERT INTO v SELECT 'course2', pg_temp.admin(format($$api.create_course(%L, 'WF-2', 'Flujo 2', 100, 5, '2027-01-10', '2027-06-30')$$, (SELECT b1 FROM ids)));
INSERT INTO v SELECT 'student2', pg_temp.admin(format($$api.register_student(%L, '22222222-J', 'Raíz', 'Supra')$$, (SELECT b1 FROM ids)));
INSERT INTO v SELECT 'enr2', pg_temp.admin(format($$api.enroll_student(%L, %L)$$, (SELECT j ->> 'id' FROM v WHERE k = 'student2'), (SELECT j ->> 'id' FROM v WHERE k = 'course2')));
SELECT lives_ok($$UPDATE academy.enrollments SET status = 'completed' WHERE id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 'enr2')$$,
                'the superuser takes a transition without holding its permission');
SELECT is((SELECT transition || ' ' || from_state || '>' || to_state || ' ' || coalesce(actor_user::text, 'no user') FROM cimiento.workflow_history
            WHERE entity = 'enrollments' AND row_id = (SELECT j ->> 'id' FROM v WHERE k = 'enr2')),
          'complete active>completed no user', 'and it is recorded under the transition it took');
SELECT throws_ok($$UPDATE academy.enrollments SET status = 'active' WHERE id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 'enr2')$$,
                 'PT409', 'enrollments cannot go from completed to active', 'but not one the workflow does not have');

-- ---- A changed workflow holds at once, in a session whose triggers already used it ---------------
-- (the triggers keep a table's workflow per trigger oid; enable_workflow creates new triggers)
INSERT INTO v SELECT 'course3', pg_temp.admin(format($$api.create_course(%L, 'WF-3', 'Flujo 3', 100, 5, '2027-01-10', '2027-06-30')$$, (SELECT b1 FROM ids)));
INSERT INTO v SELECT 'enr3', pg_temp.admin(format($$api.enroll_student(%L, %L)$$, (SELECT j ->> 'id' FROM v WHERE k = 'student2'), (SELECT j ->> 'id' FROM v WHERE k = 'course3')));
SELECT cimiento.enable_workflow('academy.enrollments', 'status', $$[
  {"name": "complete", "from": ["active"], "to": "completed", "permission": "enrollments.update"}
]$$, entity => 'enrollments', initial_states => '{active}');
SELECT is(test_auth.hint_as('user:acme:admin@acme.test', $$UPDATE academy.enrollments SET status = 'withdrawn' WHERE id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 'enr3')$$),
          'allowed from active: complete → completed', 'withdrawing is refused as soon as the workflow no longer has it');
SELECT cimiento.enable_workflow('academy.enrollments', 'status', $$[
  {"name": "complete", "from": ["active"], "to": "completed", "permission": "enrollments.update"},
  {"name": "withdraw", "from": ["active"], "to": "withdrawn", "permission": "enrollments.update", "reason_required": true}
]$$, entity => 'enrollments', initial_states => '{active}');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$UPDATE academy.enrollments SET status = 'withdrawn' WHERE id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 'enr3')$$),
          '22023: the transition withdraw of enrollments needs a reason', 'and a transition given back with a reason needs one at once');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$SELECT api.transition('enrollments', (SELECT j ->> 'id' FROM v WHERE k = 'enr3'), 'withdrawn', 'Traslado')$$),
          NULL, 'given it, the enrollment is withdrawn');
SELECT is((SELECT transition || ':' || reason || ':' || actor_login FROM cimiento.workflow_history
            WHERE entity = 'enrollments' AND row_id = (SELECT j ->> 'id' FROM v WHERE k = 'enr3')),
          'withdraw:Traslado:authenticator', 'and its history names the transition, the reason and the login, written for the caller');

-- ---- A dropped table takes its registrations with it ------------------------------------------
-- (the superuser may drop a table with protected triggers; what it registered used to stay,
-- and a protected trigger "missing" there refused every later DDL of every other role)
CREATE TABLE academy.wf_probe (tenant_id uuid NOT NULL, id bigint PRIMARY KEY, status text NOT NULL);
ALTER TABLE academy.wf_probe OWNER TO cimiento_owner;
SELECT cimiento.enable_workflow('academy.wf_probe', 'status', '[{"name": "go", "from": ["a"], "to": "b", "permission": "x.update"}]', entity => 'wf_probe');
SELECT is((SELECT count(*) FROM cimiento.protected_triggers WHERE table_oid = 'academy.wf_probe'::regclass), 2::bigint, 'a workflow''s two triggers are protected');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$DROP TABLE academy.wf_probe$$), '^42501', 'the owner cannot drop the table');
DROP TABLE academy.wf_probe;
SELECT is((SELECT count(*) FROM cimiento.protected_triggers p WHERE NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = p.table_oid))
          + (SELECT count(*) FROM cimiento.workflows w WHERE w.entity = 'wf_probe'), 0::bigint,
          'the superuser drops it: its protected triggers and its workflow are forgotten');
SELECT is(test_auth.error_as('login:cimiento_owner', $$CREATE TABLE academy.wf_after (x int)$$), NULL,
          'and the owner''s next DDL is not refused for a trigger of a table that no longer exists');
CREATE TABLE academy.wf_probe (tenant_id uuid NOT NULL, id bigint PRIMARY KEY, status text NOT NULL);
ALTER TABLE academy.wf_probe OWNER TO cimiento_owner;
SELECT lives_ok($$SELECT cimiento.enable_workflow('academy.wf_probe', 'status', '[{"name": "go", "from": ["a"], "to": "b", "permission": "x.update"}]', entity => 'wf_probe')$$,
                'a new table can take the entity name again');

CREATE TABLE academy.os_probe (tenant_id uuid NOT NULL, id bigint PRIMARY KEY, branch_id uuid, owner_id uuid NOT NULL);
ALTER TABLE academy.os_probe OWNER TO cimiento_owner;
SELECT cimiento.enable_owner_scope('academy.os_probe', 'owner_id', 'x.read', 'x.read_own', '{select}');
SELECT is(test_auth.error_as('login:cimiento_owner', $$DROP TABLE academy.os_probe$$), NULL,
          'the owner drops a table with only an owner scope (no protected trigger)');
SELECT is((SELECT count(*) FROM cimiento.owner_scopes o WHERE NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = o.table_oid)), 0::bigint,
          'and its owner scope is forgotten with it (the lint would report it missing)');

SELECT * FROM finish();
ROLLBACK;
