-- Security review regressions: each test performs the attack, from the attacker's role,
-- and asserts it now fails.
BEGIN;
SELECT plan(76);

CREATE TEMP TABLE ids AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT id FROM core.branches b WHERE b.code = 'CENTRO' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b1,
  (SELECT id FROM core.branches b WHERE b.code = 'NORTE' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b2,
  (SELECT id FROM core.users WHERE email_key = 'branch2@acme.test') AS registrar,
  (SELECT id FROM core.users WHERE email_key = 'staff@acme.test') AS staff;
GRANT SELECT ON ids TO PUBLIC;

-- ---- 1. A permission holds only in the branches of the grant that gives it ---------------
-- The Norte registrar is also made teacher in every branch (teacher has students.read).
INSERT INTO core.user_roles (tenant_id, user_id, role_id)
SELECT acme, registrar, (SELECT id FROM core.roles WHERE tenant_id = acme AND name = 'teacher') FROM ids;

SELECT is(test_auth.value_as('user:acme:branch2@acme.test',
            format($$SELECT cimiento.has_permission('students.create', %L)$$, (SELECT b1 FROM ids))), 'false',
          'registrar of Norte + teacher everywhere: no students.create in Centro');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test',
            format($$SELECT cimiento.has_permission('students.create', %L)$$, (SELECT b2 FROM ids))), 'true',
          '… but in Norte');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test',
            format($$SELECT cimiento.has_permission('students.read', %L)$$, (SELECT b1 FROM ids))), 'true',
          '… and reads students everywhere through the teacher grant');
SELECT is(test_auth.error_as('user:acme:branch2@acme.test',
            format($$SELECT api.register_student(%L, 'ATTACK-1', 'Eve', 'Mallory')$$, (SELECT b1 FROM ids))),
          '42501: permission denied: students.create is required in the branch of this branch',
          'the attack: register_student with Centro''s branch_id is refused (403)');
SELECT is(test_auth.error_as('user:acme:branch2@acme.test',
            format($$SELECT api.register_student(%L, 'OK-NORTE-1', 'Ana', 'Norte')$$, (SELECT b2 FROM ids))),
          NULL, 'registering in Norte still works');
SELECT matches(test_auth.error_as('user:acme:branch2@acme.test',
            format($$INSERT INTO academy.students (branch_id, document_id, first_name, last_name) VALUES (%L, 'RAW-1', 'E', 'M')$$,
                   (SELECT b1 FROM ids))), '^42501',
          'a direct insert in Centro is refused by the branch-aware policy too');
SELECT ok((SELECT count(*) FROM pg_policies WHERE schemaname = 'academy' AND policyname LIKE 'permission_%') >= 14,
          'academy tables carry branch-aware permission policies');

-- ---- 2. No privilege path through search_path or role membership -----------------------
SELECT ok(NOT pg_has_role('cimiento_owner', 'audit_owner', 'MEMBER'), 'the migration owner is no member of audit_owner');
SELECT ok(NOT has_schema_privilege('cimiento_owner', 'public', 'CREATE'), 'the migration owner cannot create objects in public');
SELECT matches(test_auth.error_as('login:cimiento_owner',
            $$CREATE FUNCTION public.to_jsonb(l audit.log) RETURNS jsonb LANGUAGE sql AS 'SELECT ''{}''::jsonb'$$), '^42501',
          'the attack: planting public.to_jsonb(audit.log) is refused');
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 'cimiento_sealer'), 'the sealer role is not a superuser');
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 'cimiento_numbering'), 'the numbering role is not a superuser');
-- A function that would win overload resolution for the audited row type, in a schema the
-- session searches first: the audit trigger (run as audit_owner) must never call it.
CREATE FUNCTION core.to_jsonb(r core.branches) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'hijacked'; END $$;
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            $$DO 'DECLARE p text := current_setting(''search_path'');
                  BEGIN PERFORM set_config(''search_path'', ''core, pg_catalog'', true);
                        UPDATE core.branches SET phone = ''900000000'' WHERE code = ''CENTRO'';
                        PERFORM set_config(''search_path'', p, true); END'$$),
          NULL, 'the audit trigger ignores functions on the caller''s search path');
DROP FUNCTION core.to_jsonb(core.branches);

-- ---- 3. Issued documents are immutable for every login, the DBA's included --------------
SELECT matches(test_auth.error_as('login:cimiento_owner',
            $$UPDATE billing.invoices SET customer_name = 'Forged' WHERE status = 'issued'$$), '^PT409: invoice .* is issued and cannot be changed$',
          'the attack: the migration owner rewriting an issued invoice is refused');
CREATE TEMP TABLE fresh AS SELECT (test_auth.value_as('user:acme:admin@acme.test',
  $$SELECT api.issue_invoice('F', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'x') ->> 'id'$$))::uuid AS id;
GRANT SELECT ON fresh TO PUBLIC;
SELECT matches(test_auth.error_as('login:cimiento_owner', $$DELETE FROM billing.invoices WHERE id = (SELECT id FROM fresh)$$), '^PT409',
          'the owner cannot delete an issued invoice');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$UPDATE billing.invoice_items SET unit_price = 0$$), '^PT409',
          'the owner cannot change the lines of an issued invoice');
-- (the deferred foreign keys of fiscal records checked now: a TRUNCATE cannot run with this transaction's own checks pending)
SET CONSTRAINTS ALL IMMEDIATE;
SELECT matches(test_auth.error_as('login:cimiento_owner', $$TRUNCATE billing.invoices CASCADE$$), '^PT409',
          'the owner cannot truncate invoices');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$ALTER TABLE billing.invoices DISABLE TRIGGER invoices_guard_issued$$), '^42501',
          'the owner cannot disable the guard');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$ALTER TABLE billing.invoices DISABLE TRIGGER ALL$$), '^42501',
          'the owner cannot disable all triggers');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$DROP TRIGGER invoices_guard_issued ON billing.invoices$$), '^42501',
          'the owner cannot drop the guard');
SELECT is(test_auth.error_as('login:cimiento_owner',
            $$CREATE OR REPLACE FUNCTION billing.invoices_guard_issued() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'$$) ~ '^42501', true,
          'the owner cannot replace the guard''s function');
SELECT matches(test_auth.error_as('login:cimiento_owner',
            $$CREATE OR REPLACE TRIGGER invoices_guard_issued AFTER INSERT ON billing.invoices FOR EACH ROW EXECUTE FUNCTION billing.invoices_on_issue()$$), '^42501',
          'the owner cannot redefine the guard trigger');
SELECT matches(test_auth.error_as('login:cimiento_owner',
            $$ALTER TABLE billing.invoices ADD COLUMN forged text DEFAULT random()::text$$), '^42501',
          'the owner cannot rewrite the table');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$ALTER TABLE billing.invoices ADD COLUMN scratch int; ALTER TABLE billing.invoices DROP COLUMN scratch$$), '^42501',
          'the owner cannot drop a column of it');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$ALTER TABLE core.branches DISABLE TRIGGER cimiento_audit$$), '^42501',
          'the owner cannot switch the audit off');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$DELETE FROM audit.log$$), '^42501',
          'the owner cannot delete the audit trail');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$UPDATE academy.payments SET amount = 1$$), '^PT409',
          'the owner cannot rewrite payments');
SELECT is(test_auth.error_as('login:cimiento_owner', $$CREATE TABLE billing.scratch (x int); DROP TABLE billing.scratch$$),
          NULL, 'ordinary DDL of the owner still works');
SELECT ok((SELECT number IS NOT NULL FROM billing.invoices WHERE status = 'issued' LIMIT 1), 'issued invoices keep their numbers');

-- ---- 4. The audit trail is read per branch -----------------------------------------------
INSERT INTO core.users (tenant_id, email, full_name) SELECT acme, 'gerente.norte@acme.test', 'Gerente Norte' FROM ids;
INSERT INTO core.user_roles (tenant_id, user_id, role_id, branch_id)
SELECT acme, (SELECT id FROM core.users WHERE email_key = 'gerente.norte@acme.test'),
       (SELECT id FROM core.roles WHERE tenant_id = acme AND name = 'manager'), b2 FROM ids;
SELECT is(test_auth.value_as('user:acme:gerente.norte@acme.test',
            format($$SELECT count(*) FROM api.audit_log WHERE branch_id IS DISTINCT FROM %L$$, (SELECT b2 FROM ids))), '0',
          'the attack: a Norte manager reads no audit rows of other branches nor tenant-wide rows (users, e-mails)');
SELECT is(test_auth.value_as('user:acme:gerente.norte@acme.test',
            format($$SELECT count(*) > 0 FROM api.audit_log WHERE branch_id = %L$$, (SELECT b2 FROM ids))), 'true',
          '… and reads those of Norte');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT count(*) > 0 FROM api.audit_log WHERE branch_id IS NULL$$), 'true',
          'a tenant-wide auditor reads tenant-wide rows');

-- ---- 5. Users and roles need permission; no escalation -----------------------------------
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT count(*) FROM api.users$$), '1',
          'the attack: a teacher listing users sees only their own row');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT count(*) FROM api.user_roles WHERE user_id <> cimiento.current_user_id()$$), '0',
          'nor other users'' role assignments');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT count(*) FROM api.role_permissions$$), '0',
          'nor what roles grant');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT count(*) >= 3 FROM api.users$$), 'true', 'an admin lists users');
SELECT is(test_auth.error_as('user:acme:staff@acme.test', $$UPDATE api.users SET email = 'eve@evil.test' WHERE id = cimiento.current_user_id()$$)
          ~ '^42501: changing your own e-mail needs your password', true, 'one''s own e-mail changes only with the password (api)');
-- A user manager who holds only users.* cannot hand out admin, nor edit built-in roles.
INSERT INTO core.roles (tenant_id, name, description) SELECT acme, 'user_admin', 'Manages users' FROM ids;
INSERT INTO core.role_permissions (tenant_id, role_id, permission)
SELECT acme, (SELECT id FROM core.roles WHERE tenant_id = acme AND name = 'user_admin'), p FROM ids, unnest('{users.manage,users.read,roles.manage}'::text[]) p;
INSERT INTO core.users (tenant_id, email, full_name) SELECT acme, 'rrhh@acme.test', 'RRHH' FROM ids;
INSERT INTO core.user_roles (tenant_id, user_id, role_id)
SELECT acme, (SELECT id FROM core.users WHERE email_key = 'rrhh@acme.test'), (SELECT id FROM core.roles WHERE tenant_id = acme AND name = 'user_admin') FROM ids;
SELECT matches(test_auth.error_as('user:acme:rrhh@acme.test',
            format($$INSERT INTO api.user_roles (user_id, role_id) VALUES (cimiento.current_user_id(), %L)$$,
                   (SELECT id FROM core.roles WHERE tenant_id = (SELECT acme FROM ids) AND name = 'admin'))), '^42501: you cannot grant role admin',
          'the attack: a users.manage holder granting herself admin is refused');
SELECT matches(test_auth.error_as('user:acme:rrhh@acme.test',
            format($$INSERT INTO api.role_permissions (role_id, permission) VALUES (%L, 'payments.create')$$,
                   (SELECT id FROM core.roles WHERE tenant_id = (SELECT acme FROM ids) AND name = 'user_admin'))), '^42501',
          'nor can she add to a role a permission she lacks');
SELECT matches(test_auth.error_as('user:acme:rrhh@acme.test',
            format($$DELETE FROM api.role_permissions WHERE role_id = %L$$,
                   (SELECT id FROM core.roles WHERE tenant_id = (SELECT acme FROM ids) AND name = 'teacher'))), '^42501: built-in roles cannot be changed',
          'nor edit a built-in role');
SELECT is(test_auth.error_as('user:acme:rrhh@acme.test',
            format($$INSERT INTO api.user_roles (user_id, role_id) VALUES (%L, %L)$$, (SELECT staff FROM ids),
                   (SELECT id FROM core.roles WHERE tenant_id = (SELECT acme FROM ids) AND name = 'user_admin'))),
          NULL, 'granting a role whose permissions she holds works');

-- ---- 6. Credit notes: the invoice's branch, each line once, documents in date order -----
CREATE TEMP TABLE inv AS
SELECT i.id, i.branch_id FROM billing.invoices i WHERE i.tenant_id = (SELECT acme FROM ids) AND i.kind = 'invoice'
   AND i.status = 'issued' AND i.series_code = 'F2' LIMIT 1;
GRANT SELECT ON inv TO PUBLIC;
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            format($$SELECT api.issue_credit_note(%L, 'error', series_code => 'R')$$, (SELECT id FROM inv))), '^22023: credit note series R does not belong',
          'the attack: crediting a Norte invoice in Centro''s series R is refused (400)');
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year)
SELECT acme, b2, 'R2', 'credit_note', extract(year FROM current_date)::int FROM ids;
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            format($$SELECT api.issue_credit_note(%L, 'error', '[{"line_no":1,"quantity":1},{"line_no":1,"quantity":1}]', 'R2')$$, (SELECT id FROM inv))),
          '22023: each line_no may appear only once in lines', 'the attack: one call crediting the same line twice is refused');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            format($$SELECT api.issue_credit_note(%L, 'error', NULL, 'R2', current_date + 1)$$, (SELECT id FROM inv))), '^22008',
          'a credit note dated in the future is refused');
-- (the series' last document is dated tomorrow, as if issued at 00:00 in another time zone)
UPDATE billing.invoice_series SET last_issue_date = current_date + 1 WHERE code = 'F2' AND tenant_id = (SELECT acme FROM ids);
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$SELECT api.issue_invoice('F2', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'x')$$), '^22008: issue_date .* precedes the last document issued in series F2',
          'an invoice dated before the last of its series is refused, at numbering');
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            format($$SELECT api.issue_credit_note(%L, 'error', '[{"line_no":1,"quantity":1}]', 'R2')$$, (SELECT id FROM inv))),
          NULL, 'a proper credit note is issued');

-- ---- 7. enroll_student: the student's branch counts too -----------------------------------
SELECT matches(test_auth.error_as('user:acme:branch2@acme.test',
            format($$SELECT api.enroll_student(%L, %L)$$,
                   (SELECT id FROM academy.students WHERE tenant_id = (SELECT acme FROM ids) AND branch_id = (SELECT b1 FROM ids) LIMIT 1),
                   (SELECT id FROM academy.courses WHERE tenant_id = (SELECT acme FROM ids) AND branch_id = (SELECT b2 FROM ids) LIMIT 1))), '^42501',
          'the attack: a Norte registrar enrolling a Centro student is refused (403)');

-- ---- 8. Bounded free text ------------------------------------------------------------------
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            format($$SELECT api.issue_invoice('F', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'x', notes => %L)$$, repeat('x', 100000))),
          '22001: notes is too long: at most 2000 characters', 'a 100 kB note is refused naming the field (400)');

-- A failed render is the api's bookkeeping: callers read it (their tenant, invoices.read) but
-- cannot record, clear or forge one; the retry policy is bounded. (The fixture recorded one
-- failure per tenant.)
CREATE TEMP TABLE failed_doc AS
  SELECT f.tenant_id, f.invoice_id FROM billing.document_render_failures f WHERE f.tenant_id = (SELECT acme FROM ids);
GRANT SELECT ON failed_doc TO PUBLIC;
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            $$SELECT billing.record_render_failure(cimiento.current_tenant(), gen_random_uuid(), 'x')$$),
          '42501: permission denied for function record_render_failure', 'a caller cannot record a render failure');
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            $$SELECT billing.retry_document_render(cimiento.current_tenant(), gen_random_uuid())$$),
          '42501: permission denied for function retry_document_render', 'nor ask for a retry (operators do)');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$INSERT INTO billing.document_render_failures (invoice_id, attempts, last_error) VALUES (gen_random_uuid(), 1, 'x')$$),
          '^42501', 'nor write the failures table');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT count(*) FROM billing.document_render_failures'), '1',
          'a reader of invoices sees the failures of their tenant');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', 'SELECT count(*) FROM billing.document_render_failures'), '0',
          'a teacher (no invoices.read) does not');
SET LOCAL ROLE cimiento_api;
SELECT is((SELECT r.attempts FROM failed_doc, billing.record_render_failure(tenant_id, invoice_id, 'the renderer did not finish within 20s') r),
          2, 'the api records another failure');
SELECT is((SELECT render_due FROM failed_doc, billing.document_render_state(tenant_id, invoice_id)), false,
          'its render is not due before the backoff elapses');
SELECT ok((SELECT retry_after_secs BETWEEN 60 AND 120 FROM failed_doc, billing.document_render_state(tenant_id, invoice_id)),
          'the backoff grows (30 s, then 2 min)');
SELECT is((SELECT count(*) FROM failed_doc, billing.record_render_failure(tenant_id, gen_random_uuid(), 'x')), 0::bigint,
          'a failure of a document that does not exist records nothing');
SELECT is((SELECT count(*) FROM billing.documents_to_render(1000) d JOIN failed_doc f USING (tenant_id, invoice_id)), 0::bigint,
          'the catch-up skips documents waiting for a retry');
RESET ROLE;
SELECT is(billing.render_max_attempts(), 5, 'renders are attempted at most five times');

-- ---- 9. Nobody but the audit roles can stall the sealer; every login is time-bounded ------
SELECT matches(test_auth.error_as('user:acme:admin@acme.test', $$SELECT 1 FROM audit.sealer_state FOR UPDATE$$), '^42501',
          'the attack: an API caller cannot take the sealer''s lock');
SELECT matches(test_auth.error_as('login:acme_analyst', $$SELECT 1 FROM audit.sealer_state FOR UPDATE$$), '^42501',
          'nor can an analyst login');
SELECT ok(NOT has_function_privilege('cimiento_owner', 'cimiento.seal_audit()', 'EXECUTE'), 'the migration owner cannot run the sealer by hand');
SELECT ok(EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
                   WHERE r.rolname = 'authenticator' AND 'idle_in_transaction_session_timeout=10s' = ANY (s.setconfig)),
          'PostgREST''s login has an idle-in-transaction timeout');
SELECT ok(EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
                   WHERE r.rolname = 'cimiento_api' AND 'statement_timeout=15s' = ANY (s.setconfig)),
          'the api''s login has a statement timeout');
SELECT ok(EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
                   WHERE s.setrole = 0 AND d.datname = current_database() AND 'idle_in_transaction_session_timeout=60s' = ANY (s.setconfig)),
          'direct logins (analysts) get the database''s idle-in-transaction timeout');

-- ---- 10. A token without our audience is refused by the pre-request hook ------------------
SELECT is(test_auth.error_as(
            format('claims:{"role":"app_user","iss":"cimiento","tid":"%s","sub":"%s","sid":"%s","iat":%s,"exp":%s}',
                   (SELECT acme FROM ids), (SELECT staff FROM ids), gen_random_uuid(), extract(epoch FROM now())::bigint,
                   extract(epoch FROM now())::bigint + 600),
            'SELECT hooks.pre_request()'), 'PT401: malformed token', 'the attack: a token without aud is refused (401)');

-- ---- Malformed writes are client errors (a sweep of every API resource found 500s) -------
SELECT is((SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'api' AND c.relkind = 'v' AND pg_relation_is_updatable(c.oid::regclass, true) & 28 = 0),
          NULL, 'every view of the API can take a write or refuses it as a client error (core.make_view_read_only)');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test', $$INSERT INTO api.report_revenue_by_branch_month DEFAULT VALUES$$), '^42501',
          'a POST to a report is 403 for an API role, not 55000 (500)');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test', $$UPDATE api.audit_log SET operation = 'DELETE'$$), '^42501',
          '…and so is a PATCH of the audit log');
SELECT throws_ok($$INSERT INTO api.stock_levels DEFAULT VALUES$$, 'PT405', 'api.stock_levels is read-only',
                 'a role that may write to the view learns it is read-only (405)');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            format($$INSERT INTO api.role_permissions (role_id) VALUES (%L)$$,
                   (SELECT id FROM core.roles WHERE tenant_id = (SELECT acme FROM ids) AND name = 'user_admin'))), '^23502',
          'a role permission without its permission is 23502 (400), not an internal error');
SELECT is(cimiento.has_permission(NULL::text, NULL::uuid), NULL, 'has_permission of no permission is NULL');
SELECT throws_ok($$SELECT cimiento.require_permission(NULL::text, NULL::uuid)$$, '22023', 'a permission is required',
                 'require_permission of no permission is 22023 (400)');
SELECT throws_ok($$SELECT cimiento.require_permission(NULL::text)$$, '22023', 'a permission is required',
                 '…with or without a branch: the check of a permission that came out NULL is never skipped (it was STRICT)');
SELECT throws_ok($$SELECT * FROM cimiento.verify_audit(NULL)$$, '22023', 'a tenant is required',
                 'verify_audit of no tenant is 22023 (400)');
SELECT is(core.event_visible(NULL, gen_random_uuid(), gen_random_uuid()), NULL, 'an event about no entity is not seen (NULL, not 42601)');

SELECT * FROM finish();
ROLLBACK;
