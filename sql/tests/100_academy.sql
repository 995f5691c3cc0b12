-- Academy rules from each role's point of view.
BEGIN;
SELECT plan(45);

CREATE TEMP TABLE ids AS SELECT
  (SELECT id FROM core.branches b WHERE b.code = 'CENTRO' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b1,
  (SELECT id FROM core.branches b WHERE b.code = 'NORTE' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b2,
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme;
GRANT SELECT ON ids TO PUBLIC;
CREATE TEMP TABLE v (k text PRIMARY KEY, j jsonb);
GRANT ALL ON v TO PUBLIC;

CREATE FUNCTION pg_temp.admin(p_sql text) RETURNS jsonb LANGUAGE sql AS $$ SELECT test_auth.json_as('user:acme:admin@acme.test', p_sql) $$;

INSERT INTO v SELECT 'course', pg_temp.admin(format($$api.create_course(%L, 'MAT-1', 'Matemáticas', 120.50, 2, '2027-01-10', '2027-06-30')$$, (SELECT b1 FROM ids)));
SELECT is((SELECT j ->> 'code' FROM v WHERE k = 'course'), 'MAT-1', 'an admin creates a course');
SELECT is(pg_temp.admin(format($$api.create_course(%L, 'MAT-1', 'Otra', 1, 1, '2026-01-10', '2026-06-30')$$, (SELECT b1 FROM ids))) ->> 'error',
          '23505', 'a duplicate course code is 409');
SELECT is(pg_temp.admin(format($$api.create_course(%L, 'MAT-2', 'X', -1, 1, '2026-01-10', '2026-06-30')$$, (SELECT b1 FROM ids))) ->> 'error',
          '22023', 'a negative fee is 400');
SELECT is(test_auth.json_as('user:acme:branch2@acme.test', format($$api.create_course(%L, 'MAT-3', 'X', 1, 1, '2026-01-10', '2026-06-30')$$, (SELECT b1 FROM ids))) ->> 'error',
          '42501', 'a branch-2 registrar cannot create a course in branch 1 (403)');
SELECT is(test_auth.json_as('user:acme:staff@acme.test', format($$api.create_course(%L, 'MAT-4', 'X', 1, 1, '2026-01-10', '2026-06-30')$$, (SELECT b1 FROM ids))) ->> 'error',
          '42501', 'a teacher cannot create courses (403)');
SELECT is(pg_temp.admin(format($$api.create_course(%L, 'MAT-5', 'X', 1, 1, '2026-01-10', '2026-06-30')$$, gen_random_uuid())) ->> 'error',
          'PT404', 'an unknown branch is 404');

INSERT INTO v SELECT 's1', pg_temp.admin(format($$api.register_student(%L, ' 12345678-z ', 'Ana', 'Ruiz')$$, (SELECT b1 FROM ids)));
INSERT INTO v SELECT 's2', pg_temp.admin(format($$api.register_student(%L, 'X1234567L', 'Bea', 'Soto')$$, (SELECT b1 FROM ids)));
INSERT INTO v SELECT 's3', pg_temp.admin(format($$api.register_student(%L, 'Y7654321P', 'Carlos', 'Vidal')$$, (SELECT b1 FROM ids)));
SELECT is((SELECT j ->> 'document_id' FROM v WHERE k = 's1'), '12345678-Z', 'document ids are normalised');
SELECT is(pg_temp.admin(format($$api.register_student(%L, '12345678-Z', 'Otra', 'Vez')$$, (SELECT b1 FROM ids))) ->> 'error',
          '23505', 'a document already registered is 409');

INSERT INTO v SELECT 'e1', pg_temp.admin(format($$api.enroll_student(%L, %L)$$, (SELECT j ->> 'id' FROM v WHERE k = 's1'), (SELECT j ->> 'id' FROM v WHERE k = 'course')));
SELECT is((SELECT j -> 'financial_status' ->> 'status' FROM v WHERE k = 'e1'), 'pending', 'enrolling creates a pending financial status');
SELECT is((SELECT (j -> 'financial_status' ->> 'balance')::numeric FROM v WHERE k = 'e1'), 120.50, '…owing the course fee');
SELECT is(pg_temp.admin(format($$api.enroll_student(%L, %L)$$, (SELECT j ->> 'id' FROM v WHERE k = 's1'), (SELECT j ->> 'id' FROM v WHERE k = 'course'))) ->> 'error',
          '23505', 'enrolling twice is 409');
INSERT INTO v SELECT 'e2', pg_temp.admin(format($$api.enroll_student(%L, %L, discount => 20.50, due_date => '2026-01-01')$$, (SELECT j ->> 'id' FROM v WHERE k = 's2'), (SELECT j ->> 'id' FROM v WHERE k = 'course')));
SELECT is((SELECT (j -> 'financial_status' ->> 'amount_due')::numeric FROM v WHERE k = 'e2'), 100.00, 'a discount lowers the amount due');
SELECT is((SELECT j -> 'financial_status' ->> 'status' FROM v WHERE k = 'e2'), 'overdue', 'a balance past its due date is overdue');
SELECT is((SELECT aging_bucket FROM reports.outstanding_balances WHERE enrollment_id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 'e2')),
          '90+', 'and ages in the 90+ bucket');
SELECT cmp_ok((SELECT bucket_90_plus FROM reports.aging_summary WHERE branch_id = (SELECT b1 FROM ids)), '>=', 100.00::numeric,
              'the aging summary adds it to the branch''s 90+ bucket');
SELECT is(pg_temp.admin(format($$api.enroll_student(%L, %L)$$, (SELECT j ->> 'id' FROM v WHERE k = 's3'), (SELECT j ->> 'id' FROM v WHERE k = 'course'))) ->> 'error',
          'PT409', 'a full course is 409');
SELECT is(pg_temp.admin(format($$api.enroll_student(%L, %L)$$, gen_random_uuid(), (SELECT j ->> 'id' FROM v WHERE k = 'course'))) ->> 'error',
          'PT404', 'an unknown student is 404');

-- Payments move the financial status, never beyond the balance.
INSERT INTO v SELECT 'p1', pg_temp.admin(format($$api.register_payment(%L, 50, 'cash')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e1')));
SELECT is((SELECT j -> 'financial_status' ->> 'status' FROM v WHERE k = 'p1'), 'partial', 'a partial payment makes it partial');
SELECT is(pg_temp.admin(format($$api.register_payment(%L, 70.51, 'card')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e1'))) ->> 'error',
          'PT409', 'overpaying is 409');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', format($$SELECT api.register_payment(%L, 70.51, 'card')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e1'))),
          'PT409: a payment of 70.51 exceeds the balance of 70.50', 'with a clear message');
INSERT INTO v SELECT 'p2', pg_temp.admin(format($$api.register_payment(%L, 70.50, 'transfer', 'TRF-1')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e1')));
SELECT is((SELECT j -> 'financial_status' ->> 'status' FROM v WHERE k = 'p2'), 'paid', 'paying the rest makes it paid');
SELECT is((SELECT (j -> 'financial_status' ->> 'balance')::numeric FROM v WHERE k = 'p2'), 0.00, '…with no balance');
SELECT is(pg_temp.admin(format($$api.register_payment(%L, 10, 'bitcoin')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e2'))) ->> 'error',
          '22023', 'an unknown method is 400');
SELECT is(pg_temp.admin(format($$api.register_payment(%L, 0, 'cash')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e2'))) ->> 'error',
          '22023', 'a zero amount is 400');
SELECT is(test_auth.json_as('user:acme:staff@acme.test', format($$api.register_payment(%L, 10, 'cash')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e2'))) ->> 'error',
          '42501', 'a teacher cannot take payments (403)');
UPDATE academy.enrollments SET status = 'withdrawn', withdrawn_at = now() WHERE id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 'e2');
SELECT is(pg_temp.admin(format($$api.register_payment(%L, 10, 'cash')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e2'))) ->> 'error',
          'PT409', 'a withdrawn enrollment takes no payments');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', format($$UPDATE academy.payments SET amount = 1 WHERE id = %L$$, (SELECT j ->> 'id' FROM v WHERE k = 'p1'))),
          '42501: permission denied for table payments', 'payments cannot be changed by API roles');
CREATE ROLE probe_dba LOGIN;
GRANT app_user TO probe_dba;
GRANT UPDATE, DELETE ON academy.payments TO probe_dba;
INSERT INTO core.db_logins (tenant_id, login_role, roles) SELECT acme, 'probe_dba', '{admin}' FROM ids;
SELECT is(test_auth.error_as('login:probe_dba', format($$DELETE FROM academy.payments WHERE id = %L$$, (SELECT j ->> 'id' FROM v WHERE k = 'p1'))),
          'PT409: payments cannot be changed or deleted', 'even with the privilege, payments are immutable');

-- Attendance: only enrolled students, a whole class at once, correctable.
SELECT is(pg_temp.admin(format($$api.record_attendance(%L, '2026-02-01', %L)$$, (SELECT j ->> 'id' FROM v WHERE k = 'course'),
            jsonb_build_array(jsonb_build_object('student_id', (SELECT j ->> 'id' FROM v WHERE k = 's1'), 'status', 'present')))) ->> 'recorded',
          '1', 'a class is recorded');
SELECT is(test_auth.json_as('user:acme:staff@acme.test', format($$api.record_attendance(%L, '2026-02-01', %L)$$, (SELECT j ->> 'id' FROM v WHERE k = 'course'),
            jsonb_build_array(jsonb_build_object('student_id', (SELECT j ->> 'id' FROM v WHERE k = 's1'), 'status', 'late')))) ->> 'recorded',
          '1', 'a teacher records (and corrects) attendance');
SELECT is((SELECT status FROM academy.attendance WHERE student_id = (SELECT (j ->> 'id')::uuid FROM v WHERE k = 's1') AND date = '2026-02-01'),
          'late', 'one record per student, course and day');
SELECT is(pg_temp.admin(format($$api.record_attendance(%L, '2026-02-01', %L)$$, (SELECT j ->> 'id' FROM v WHERE k = 'course'),
            jsonb_build_array(jsonb_build_object('student_id', (SELECT j ->> 'id' FROM v WHERE k = 's3'), 'status', 'present')))) ->> 'error',
          'PT409', 'a student not enrolled is 409');
SELECT is(pg_temp.admin(format($$api.record_attendance(%L, '2026-02-01', '[{"student_id": "x", "status": "present"}]')$$, (SELECT j ->> 'id' FROM v WHERE k = 'course'))) ->> 'error',
          '22023', 'a malformed record is 400');

-- Reports see the numbers, scoped to the caller.
SELECT is(test_auth.value_as('user:acme:admin@acme.test', format($$SELECT fill_rate_pct FROM reports.enrollments_per_course WHERE course_code = 'MAT-1'$$)),
          '50.0', 'fill rate counts active enrollments (the withdrawn one no longer)');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', format($$SELECT rate_pct FROM reports.attendance_rate WHERE course_code = 'MAT-1'$$)),
          '100.0', 'late counts as attended');
SELECT ok(test_auth.value_as('user:acme:admin@acme.test', $$SELECT sum(collected) FROM reports.revenue_by_branch_month$$)::numeric >= 120.50,
          'revenue includes the payments');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', format($$SELECT count(*) FROM reports.enrollments_per_course WHERE branch_id = %L$$, (SELECT b1 FROM ids))),
          '0', 'a branch-2 user sees no branch-1 report rows');
SELECT is(test_auth.value_as('user:globex:admin@globex.test', $$SELECT count(*) FROM reports.enrollments_per_course WHERE course_code = 'MAT-1'$$),
          '0', 'another tenant sees nothing');
SELECT ok(test_auth.value_as('login:acme_analyst', $$SELECT count(*) FROM reports.outstanding_balances$$)::int > 0,
          'an analyst in psql reads the reports of its tenant');
SELECT is(test_auth.value_as('login:acme_analyst', $$SELECT count(DISTINCT tenant_id) FROM reports.revenue_by_branch_month$$),
          '1', '…and only of its tenant');

-- The enrollment's invoice: numbered in its branch's series, billed to the student.
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, fiscal_year)
SELECT acme, b1, 'MAT', extract(year FROM current_date)::int FROM ids;
INSERT INTO v SELECT 'inv', pg_temp.admin(format($$api.issue_enrollment_invoice(%L, 'MAT')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e1')));
SELECT is((SELECT j ->> 'number' FROM v WHERE k = 'inv'), '1', 'the enrollment invoice is number 1 of its series');
SELECT is((SELECT j -> 'customer' ->> 'name' FROM v WHERE k = 'inv'), 'Ana Ruiz', 'billed to the student');
SELECT is((SELECT (j ->> 'total')::numeric FROM v WHERE k = 'inv'), 120.50, 'for the agreed fee minus discount (tax exempt)');
SELECT is(pg_temp.admin(format($$api.issue_enrollment_invoice(%L, 'MAT')$$, (SELECT j ->> 'id' FROM v WHERE k = 'e1'))) ->> 'error',
          'PT409', 'invoicing it twice is 409');

-- Every operation left audit rows.
SELECT set_eq($$SELECT DISTINCT table_name FROM audit.log WHERE txid = txid_current() AND table_name LIKE 'academy.%'$$,
              ARRAY['academy.courses', 'academy.students', 'academy.enrollments', 'academy.financial_status', 'academy.payments',
                    'academy.attendance', 'academy.enrollment_invoices'],
              'every academy operation left audit rows');

SELECT * FROM finish();
ROLLBACK;
