-- The audit trail: contents per operation, actor and request, redaction, permissions, REST view.
BEGIN;
SELECT plan(60);

CREATE TEMP TABLE ctx AS SELECT (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT id FROM core.users WHERE email_key = 'admin@acme.test') AS acme_admin;
GRANT SELECT ON ctx TO PUBLIC;

-- Every domain table carries the trigger.
SELECT is(array_agg(c.oid::regclass::text ORDER BY 1), NULL, 'every table of the domain schemas is audited')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname = ANY (core.domain_schemas())
   AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'cimiento_audit');

-- INSERT through REST: the new row, the actor, the login, the request id.
SELECT is(test_auth.run_as('user:acme:admin@acme.test',
  $$INSERT INTO api.branches (code, name)
    SELECT 'AUD1', 'Auditada' FROM (SELECT set_config('request.headers', '{"x-request-id":"req-audit-1"}', true)) h$$), 'rows:1',
  'an admin creates a branch');
CREATE TEMP TABLE ins AS SELECT * FROM audit.log WHERE table_name = 'core.branches' AND new_row ->> 'code' = 'AUD1';
SELECT is((SELECT count(*)::int FROM ins), 1, 'one audit row for the INSERT');
SELECT is((SELECT operation FROM ins), 'INSERT', 'operation INSERT');
SELECT is((SELECT tenant_id FROM ins), (SELECT acme FROM ctx), 'in the tenant of the row');
SELECT is((SELECT new_row ->> 'name' FROM ins), 'Auditada', 'with the new row');
SELECT ok((SELECT old_row IS NULL AND changes IS NULL FROM ins), 'and no old row or changes');
SELECT is((SELECT row_pk FROM ins), (SELECT jsonb_build_object('tenant_id', tenant_id, 'id', id) FROM core.branches WHERE code = 'AUD1'),
          'the primary key identifies the row');
SELECT is((SELECT actor_user FROM ins), (SELECT acme_admin FROM ctx), 'the actor is the user of the claims');
SELECT is((SELECT actor_roles FROM ins), ARRAY['admin'], 'with its roles');
SELECT ok((SELECT actor_session IS NOT NULL FROM ins), 'and its session');
SELECT is((SELECT actor_login FROM ins), 'authenticator', 'through the PostgREST login');
SELECT is((SELECT request_id FROM ins), 'req-audit-1', 'with PostgREST''s x-request-id');
SELECT is((SELECT txid FROM ins), txid_current(), 'in this transaction');

-- UPDATE: only the changed columns; a no-op writes nothing.
SELECT test_auth.run_as('user:acme:admin@acme.test', $$UPDATE api.branches SET name = 'Renombrada' WHERE code = 'AUD1'$$);
SELECT is((SELECT changes FROM audit.log WHERE table_name = 'core.branches' AND operation = 'UPDATE'
            AND row_pk ->> 'id' = (SELECT id::text FROM core.branches WHERE code = 'AUD1')),
          '{"name": ["Auditada", "Renombrada"]}'::jsonb, 'an UPDATE records only the changed column, old and new');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$UPDATE api.branches SET name = name WHERE code = 'AUD1'$$), 'rows:1',
          'a no-op update runs');
SELECT is((SELECT count(*)::int FROM audit.log WHERE table_name = 'core.branches' AND operation = 'UPDATE'
            AND row_pk ->> 'id' = (SELECT id::text FROM core.branches WHERE code = 'AUD1')), 1, '…and writes nothing');

-- DELETE: the old row.
SELECT test_auth.run_as('user:acme:admin@acme.test', $$DELETE FROM api.branches WHERE code = 'AUD1'$$);
SELECT is((SELECT old_row ->> 'name' FROM audit.log WHERE table_name = 'core.branches' AND operation = 'DELETE'
            AND old_row ->> 'code' = 'AUD1'), 'Renombrada', 'a DELETE records the old row');

-- Direct SQL logins are recorded by their login.
UPDATE core.db_logins SET roles = '{admin}' WHERE login_role = 'acme_analyst';
GRANT app_user TO acme_analyst;
SELECT test_auth.run_as('login:acme_analyst', $$UPDATE core.branches SET phone = '910000000' WHERE code = 'NORTE'$$);
SELECT is((SELECT actor_login FROM audit.log WHERE table_name = 'core.branches' AND changes ? 'phone' ORDER BY id DESC LIMIT 1),
          'acme_analyst', 'a direct SQL login is the actor');

-- Secrets never reach the log.
UPDATE core.users SET password_hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' WHERE email_key = 'staff@acme.test';
SELECT is((SELECT changes -> 'password_hash' FROM audit.log WHERE table_name = 'core.users' AND changes ? 'password_hash'
            ORDER BY id DESC LIMIT 1), '["[redacted]", "[redacted]"]'::jsonb, 'password hash changes are redacted');
SELECT ok(NOT EXISTS (SELECT 1 FROM audit.log WHERE new_row ? 'password_hash' OR old_row ? 'password_hash'), 'rows never carry it');

-- TRUNCATE is a statement event.
CREATE TABLE public.probe_audit (tenant_id uuid, id int, PRIMARY KEY (tenant_id, id));
SELECT lives_ok($$SELECT cimiento.enable_audit('public.probe_audit')$$, 'enable_audit attaches the trigger');
SELECT lives_ok($$SELECT cimiento.enable_audit('public.probe_audit')$$, 'enable_audit is idempotent');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'public.probe_audit'::regclass AND tgname LIKE 'cimiento_audit%'), 2,
          'two triggers: rows and TRUNCATE');
INSERT INTO public.probe_audit SELECT acme, 1 FROM ctx;
TRUNCATE public.probe_audit;
SELECT is((SELECT operation FROM audit.log WHERE table_name = 'public.probe_audit' ORDER BY id DESC LIMIT 1), 'TRUNCATE',
          'TRUNCATE is recorded as a statement event');
SELECT lives_ok($$SELECT cimiento.disable_audit('public.probe_audit')$$, 'disable_audit detaches it');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'public.probe_audit'::regclass AND tgname LIKE 'cimiento_audit%'), 0,
          'no trigger left');
CREATE TABLE public.probe_nopk (tenant_id uuid, id int);
SELECT throws_ok($$SELECT cimiento.enable_audit('public.probe_nopk')$$, '42P17',
                 'public.probe_nopk has no primary key; audit rows identify the changed row by it', 'a table without a primary key is refused');
SELECT throws_ok($$SELECT cimiento.enable_audit('audit.log')$$, '22023', NULL, 'the audit log itself is refused');

-- Nobody changes the log: API and analyst roles lack the privilege, owners hit the trigger.
SELECT is(test_auth.error_as('user:acme:admin@acme.test', 'UPDATE audit.log SET request_id = NULL'),
          '42501: permission denied for table log', 'app_user cannot UPDATE the log');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', 'DELETE FROM audit.log'),
          '42501: permission denied for table log', 'app_user cannot DELETE from the log');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', 'TRUNCATE audit.log'),
          '42501: permission denied for table log', 'app_user cannot TRUNCATE the log');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$INSERT INTO audit.log (tenant_id, table_name, operation, row_pk, actor_login, txid) VALUES (cimiento.current_tenant(), 'x', 'INSERT', '{}', 'x', 1)$$),
          '42501: permission denied for table log', 'app_user cannot forge entries');
SELECT alike(test_auth.error_as('login:globex_analyst', 'DELETE FROM audit.log'), '42501: permission denied%',
             'an analyst cannot DELETE from the log');
SELECT alike(test_auth.error_as('login:globex_analyst', 'UPDATE audit.seals SET seq = 0'), '42501: permission denied%',
             'an analyst cannot touch the seals');
CREATE FUNCTION pg_temp.error_as_role(p_role text, p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', p_role);
  BEGIN
    EXECUTE p_sql;
  EXCEPTION WHEN OTHERS THEN
    r := SQLSTATE || ': ' || SQLERRM;
  END;
  RESET ROLE;
  RETURN r;
END $$;
SELECT is(pg_temp.error_as_role('audit_owner', 'UPDATE audit.log SET request_id = NULL'),
          '42501: the audit trail is append-only: UPDATE on audit.log is refused', 'even the owner cannot UPDATE the log');
SELECT is(pg_temp.error_as_role('audit_owner', 'DELETE FROM audit.seals'),
          '42501: the audit trail is append-only: DELETE on audit.seals is refused', 'even the owner cannot DELETE seals');
SELECT isnt(pg_temp.error_as_role('audit_owner', 'TRUNCATE audit.log'), NULL, 'even the owner cannot TRUNCATE the log');
SELECT is(pg_temp.error_as_role('audit_owner', 'TRUNCATE audit.seals'),
          '42501: the audit trail is append-only: TRUNCATE on audit.seals is refused', 'nor the seals');
SELECT is(pg_temp.error_as_role('cimiento_owner', 'DELETE FROM audit.log'),
          '42501: permission denied for schema audit', 'nor can the migration owner (no member of audit_owner)');

-- Reading over REST: own tenant, with audit.read.
SELECT cmp_ok(test_auth.value_as('user:acme:admin@acme.test', 'SELECT count(*) FROM api.audit_log')::int, '>', 0,
              'a tenant admin reads its trail');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT count(*) FROM api.audit_log WHERE tenant_id <> cimiento.current_tenant()'),
          '0', '…and only its own');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', 'SELECT count(*) FROM api.audit_log'), '0',
          'a user without audit.read sees nothing');
SELECT ok(test_auth.value_as('user:acme:admin@acme.test', 'SELECT count(*) FROM api.audit_log WHERE sealed')::int > 0,
          'sealed rows show it');
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
            format($$SELECT count(*) FROM api.audit_log WHERE row_key = audit.row_key('core.branches', %L)$$,
                   (SELECT jsonb_build_object('tenant_id', tenant_id, 'id', id) FROM core.branches WHERE code = 'NORTE' AND tenant_id = (SELECT acme FROM ctx)))),
          (SELECT count(*)::text FROM audit.log WHERE table_name = 'core.branches'
            AND row_pk ->> 'id' = (SELECT id::text FROM core.branches WHERE code = 'NORTE' AND tenant_id = (SELECT acme FROM ctx))),
          'a row''s history by its indexed key');

-- Bookkeeping columns: a change of only them writes nothing; with another column, all are recorded.
UPDATE billing.invoice_series SET next_number = next_number + 1 WHERE code = 'F' AND tenant_id = (SELECT acme FROM ctx);
SELECT is((SELECT count(*)::int FROM audit.log WHERE table_name = 'billing.invoice_series' AND operation = 'UPDATE' AND txid = txid_current()),
          0, 'a counter-only change of a series is not audited (each number is, on its invoice)');
UPDATE billing.invoice_series SET next_number = next_number + 1, format = '{code}/{number}' WHERE code = 'F' AND tenant_id = (SELECT acme FROM ctx);
SELECT is((SELECT changes ?& ARRAY['next_number', 'format'] FROM audit.log WHERE table_name = 'billing.invoice_series' AND operation = 'UPDATE'
            AND txid = txid_current()), true, 'a real change is audited with every changed column');
SELECT throws_ok($$SELECT cimiento.enable_audit('billing.invoice_series', ignore_columns => '{no_such_column}')$$, '22023',
                 'billing.invoice_series has no column no_such_column', 'an unknown column is refused');

-- Rehearsals (cimiento.rehearse, imports' validation): the statement runs as the caller with
-- every rule, is always undone, and writes no audit row; what comes after is audited as ever.
CREATE TEMP TABLE log_seq AS SELECT pg_sequence_last_value(pg_get_serial_sequence('audit.log', 'id')::regclass) AS v;
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
  $$SELECT cimiento.rehearse('INSERT INTO api.branches (code, name) VALUES ($1, ''Ensayo'')', 'REH1'::text)::text$$), '',
  'an admin rehearses creating a branch: it passes');
SELECT is((SELECT count(*)::int FROM core.branches WHERE code = 'REH1'), 0, 'the rehearsed branch is not there');
SELECT is((SELECT count(*)::int FROM audit.log WHERE table_name = 'core.branches' AND new_row ->> 'code' = 'REH1'), 0,
          'and no audit row tells of it');
SELECT is(pg_sequence_last_value(pg_get_serial_sequence('audit.log', 'id')::regclass), (SELECT v FROM log_seq),
          'the audit trigger wrote nothing at all (the log''s identity, never rolled back, did not move)');
SELECT is(test_auth.value_as('user:acme:Staff@acme.test',
  $$SELECT cimiento.rehearse('INSERT INTO api.branches (code, name) VALUES ($1, ''Ensayo'')', 'REH2'::text)::text$$), 'ERR:42501',
  'a rehearsal applies the caller''s rules: a teacher is refused what a teacher may not do');
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
  $$SELECT cimiento.rehearse('INSERT INTO api.branches (code, name) VALUES ($1, ''Uno''), ($1, ''Dos'')', 'REH3'::text)::text$$), 'ERR:23505',
  'a refused rehearsal raises what the statement raised');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$INSERT INTO api.branches (code, name) VALUES ('REH4', 'Tras los ensayos')$$), 'rows:1',
          'the admin then creates a branch for real');
SELECT is((SELECT count(*)::int FROM audit.log WHERE table_name = 'core.branches' AND new_row ->> 'code' = 'REH4'), 1,
          'and it is audited: no rehearsal outlives its statement');

-- The trigger writes each row's history key (0055): the very key audit.row_key() states, for
-- every operation this test wrote, and never NULL.
SELECT is((SELECT count(*)::int FROM audit.log WHERE txid = txid_current()
            AND row_key IS DISTINCT FROM audit.row_key(table_name, row_pk)), 0,
          'the trigger''s row_key is audit.row_key(table_name, row_pk) for every row written in this test');
SELECT cmp_ok((SELECT count(DISTINCT operation)::int FROM audit.log WHERE txid = txid_current() AND row_key IS NOT NULL), '>=', 2,
              'inserts and updates alike carry it');

-- What an audit row records is checked by the domain audit.operation (0071), whose
-- constraint each session prepares once, not by a table CHECK prepared for every audited row.
SELECT throws_ok($$INSERT INTO audit.log (tenant_id, table_name, operation, row_pk, actor_login, txid)
                   VALUES ((SELECT acme FROM ctx), 'core.branches', 'MERGE', '{}', 'postgres', txid_current())$$,
                 '23514', NULL, 'an audit row with an operation the trail does not know is refused');
SELECT is((SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'audit.log'::regclass AND contype = 'c'), 0,
          'the log has no table CHECK: its operation is the domain''s');

SELECT * FROM finish();
ROLLBACK;
