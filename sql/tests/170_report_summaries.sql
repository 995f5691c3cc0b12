-- The reports read summaries: payments per month (revenue) and attendance per course and
-- day (course attendance), kept by statement triggers in the writing transaction, folded by
-- the nightly job, equal to the records they stand for, and scoped like those records.
BEGIN;
SELECT plan(33);

-- What the payments themselves say, per tenant, branch and tenant-local month (superuser).
CREATE TEMP VIEW truth AS
  SELECT p.tenant_id, p.branch_id, reports.local_month(p.paid_at, t.timezone) AS month, count(*) AS payments, sum(p.amount) AS collected
    FROM academy.payments p JOIN core.tenants t ON t.id = p.tenant_id GROUP BY 1, 2, 3;
CREATE TEMP VIEW summary AS
  SELECT tenant_id, branch_id, month, sum(payments) AS payments, sum(collected) AS collected
    FROM reports.collected_by_month GROUP BY 1, 2, 3;
SELECT ok((SELECT count(*) FROM truth) > 0, '(the fixtures hold payments)');
SELECT set_eq('SELECT * FROM summary', 'SELECT * FROM truth', 'the summary equals the payments, per tenant, branch and month');

-- A payment through the API lands in the summary in the same transaction.
CREATE TEMP TABLE before AS SELECT * FROM summary;
SELECT lives_ok(format($$SELECT test_auth.json_as('user:acme:admin@acme.test', %L)$$,
  format('api.register_payment(%L, 1.25, ''cash'')',
         (SELECT f.enrollment_id FROM academy.financial_status f JOIN core.tenants t ON t.id = f.tenant_id
           WHERE t.slug = 'acme' AND f.balance >= 1.25 LIMIT 1))), 'a payment of 1.25 is registered');
SELECT is((SELECT sum(s.collected) - coalesce((SELECT sum(b.collected) FROM before b), 0) FROM summary s), 1.25::numeric,
          'its amount is in the summary at once');
SELECT set_eq('SELECT * FROM summary', 'SELECT * FROM truth', 'and the summary still equals the payments');

-- Nobody writes the summary but the trigger and the job.
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$INSERT INTO reports.collected_by_month (branch_id, month, payments, collected) SELECT id, '2026-01-01', 1, 1000 FROM core.branches LIMIT 1$$),
          '^42501', 'a tenant admin cannot forge revenue');

-- The report, from each role's point of view.
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT sum(collected)::text FROM reports.revenue_by_branch_month$$),
          (SELECT sum(collected)::text FROM truth JOIN core.tenants t ON t.id = truth.tenant_id WHERE t.slug = 'acme'),
          'the tenant admin''s report totals the tenant''s payments');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', $$SELECT count(DISTINCT branch_id)::text FROM reports.revenue_by_branch_month WHERE payments > 0$$),
          (SELECT CASE WHEN count(*) > 0 THEN '1' ELSE '0' END FROM truth JOIN core.branches b ON b.tenant_id = truth.tenant_id AND b.id = truth.branch_id
             JOIN core.tenants t ON t.id = truth.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE'),
          'a registrar of one branch sees that branch''s revenue only');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT coalesce(sum(payments), 0)::text FROM reports.revenue_by_branch_month$$),
          '0', 'a teacher (no payments.read) sees no collected revenue');
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
            $$SELECT sum(collected)::text FROM reports.revenue_by_branch_month WHERE month >= date_trunc('month', current_date) - interval '2 months'$$),
          (SELECT sum(collected)::text FROM truth JOIN core.tenants t ON t.id = truth.tenant_id
            WHERE t.slug = 'acme' AND truth.month >= date_trunc('month', current_date) - interval '2 months'),
          'the last three months alone');

-- The nightly job folds the deltas without changing a figure.
SELECT ok((SELECT count(*) FROM reports.collected_by_month) > (SELECT count(*) FROM summary), '(there are deltas to fold)');
SELECT is((SELECT function::text || ' ' || permissions::text FROM cimiento.jobs WHERE name = 'reports_compact'),
          'reports.compact_summaries() {payments.read,attendance.read,sales.read}', 'the nightly job folds the summaries with read permissions only');
SELECT ok((SELECT bool_and(error IS NULL) FROM cimiento.run_job('reports_compact')), 'the job runs for every tenant without error');
SELECT is((SELECT count(*) FROM reports.collected_by_month), (SELECT count(*) FROM summary), 'one row per tenant, branch and month afterwards');
SELECT set_eq('SELECT * FROM summary', 'SELECT * FROM truth', 'with the same figures');

-- Attendance per course: the summary equals the records, through inserts, a change of status
-- and a delete.
CREATE TEMP VIEW att_truth AS
  SELECT a.tenant_id, a.branch_id, a.course_id, a.date, count(*) AS records,
         count(*) FILTER (WHERE a.status <> 'excused') AS counted, count(*) FILTER (WHERE a.status IN ('present', 'late')) AS attended
    FROM academy.attendance a GROUP BY 1, 2, 3, 4;
CREATE TEMP VIEW att_summary AS
  SELECT tenant_id, branch_id, course_id, date, sum(records) AS records, sum(counted) AS counted, sum(attended) AS attended
    FROM reports.attendance_by_course_day GROUP BY 1, 2, 3, 4 HAVING sum(records) <> 0;
SELECT ok((SELECT count(*) FROM att_truth) > 0, '(the fixtures hold attendance)');
SELECT set_eq('SELECT * FROM att_summary', 'SELECT * FROM att_truth', 'the attendance summary equals the records');
UPDATE academy.attendance SET status = CASE status WHEN 'present' THEN 'excused' ELSE 'present' END
 WHERE (tenant_id, course_id, student_id, date) IN (SELECT tenant_id, course_id, student_id, date FROM academy.attendance LIMIT 2);
DELETE FROM academy.attendance WHERE (tenant_id, course_id, student_id, date) IN (SELECT tenant_id, course_id, student_id, date FROM academy.attendance LIMIT 1);
SELECT set_eq('SELECT * FROM att_summary', 'SELECT * FROM att_truth', 'after a change of status and a delete, still equal');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(course_code || ' ' || sessions || ' ' || records || ' ' || coalesce(rate_pct::text, '-'), ', ' ORDER BY course_code) FROM reports.course_attendance$$),
          (SELECT string_agg(c.code || ' ' || x.sessions || ' ' || x.records || ' ' || coalesce(x.rate::text, '-'), ', ' ORDER BY c.code)
             FROM (SELECT course_id, count(DISTINCT date) AS sessions, sum(records) AS records,
                          round(100.0 * sum(attended) / nullif(sum(counted), 0), 1) AS rate
                     FROM att_truth JOIN core.tenants t ON t.id = att_truth.tenant_id WHERE t.slug = 'acme' GROUP BY course_id) x
             JOIN academy.courses c ON c.id = x.course_id),
          'the course attendance report gives the figures of the records');
SELECT is(test_auth.value_as('user:acme:staff@acme.test', $$SELECT count(DISTINCT (course_id, date))::text FROM reports.attendance_by_course_day$$),
          test_auth.value_as('user:acme:staff@acme.test', $$SELECT count(DISTINCT (course_id, date))::text FROM academy.attendance$$),
          'a teacher sees the summary of exactly the class days whose records they see');
SELECT is(test_auth.value_as('user:globex:admin@globex.test', $$SELECT count(*)::text FROM reports.attendance_by_course_day
                                                                WHERE tenant_id <> cimiento.current_tenant()$$), '0', 'no other tenant''s days');
SELECT ok((SELECT bool_and(error IS NULL) FROM cimiento.run_job('reports_compact')), 'the job folds the attendance deltas too');
SELECT is((SELECT count(*) FROM reports.attendance_by_course_day), (SELECT count(*) FROM att_summary), 'one row per course and day afterwards');
SELECT set_eq('SELECT * FROM att_summary', 'SELECT * FROM att_truth', 'with the same figures');

-- Aging: one bucket rule for the summary and the detail.
UPDATE academy.financial_status f SET due_date = current_date - (x.n * 25)::int
  FROM (SELECT tenant_id, enrollment_id, row_number() OVER (PARTITION BY tenant_id ORDER BY enrollment_id) AS n
          FROM academy.financial_status WHERE amount_due > paid) x
 WHERE x.tenant_id = f.tenant_id AND x.enrollment_id = f.enrollment_id;
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(concat_ws(' ', branch_code, bucket_0_30, bucket_31_60, bucket_61_90, bucket_90_plus, total_outstanding, enrollments_owing), ', ' ORDER BY branch_code) FROM reports.aging_summary$$),
          test_auth.value_as('user:acme:admin@acme.test', $$SELECT string_agg(concat_ws(' ', branch_code, b0, b31, b61, b90, total, n), ', ' ORDER BY branch_code) FROM (
              SELECT branch_code, sum(balance) FILTER (WHERE aging_bucket = '0-30') b0, sum(balance) FILTER (WHERE aging_bucket = '31-60') b31,
                     sum(balance) FILTER (WHERE aging_bucket = '61-90') b61, sum(balance) FILTER (WHERE aging_bucket = '90+') b90,
                     sum(balance) total, count(*) n FROM reports.outstanding_balances GROUP BY branch_code) x$$),
          'the aging summary is the detail summed by its buckets');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT count(DISTINCT aging_bucket)::text FROM reports.outstanding_balances$$), '4',
          '(balances in every bucket)');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT bool_and(student_name IS NOT NULL AND course_code IS NOT NULL)::text
            FROM (SELECT * FROM reports.outstanding_balances WHERE aging_bucket = '90+' ORDER BY days_overdue DESC LIMIT 2) x$$),
          'true', 'the oldest balances come with their student and course');

-- A withdrawn enrollment's balance leaves the aging reports, on any path, and comes back
-- when it is reinstated.
CREATE TEMP TABLE w AS
  SELECT f.enrollment_id::text AS id FROM academy.financial_status f JOIN academy.enrollments e ON e.tenant_id = f.tenant_id AND e.id = f.enrollment_id
    JOIN core.tenants t ON t.id = f.tenant_id WHERE t.slug = 'acme' AND e.status = 'active' AND f.amount_due > f.paid LIMIT 1;
GRANT SELECT ON w TO PUBLIC;
SELECT ok(EXISTS (SELECT 1 FROM w), '(an active acme enrollment owes money)');
SELECT is(test_auth.json_as('user:acme:admin@acme.test', format('api.transition(%L, %L, %L, %L)', 'enrollments', (SELECT id FROM w), 'withdrawn', 'Se muda')) ->> 'status',
          'withdrawn', 'the admin withdraws it (workflow)');
SELECT is((SELECT withdrawn FROM academy.financial_status WHERE enrollment_id = (SELECT id FROM w)::uuid), true, 'its financial status knows');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', format('SELECT count(*)::text FROM reports.outstanding_balances WHERE enrollment_id = %L', (SELECT id FROM w))),
          '0', 'its balance is no longer outstanding');
UPDATE academy.enrollments SET status = 'active', withdrawn_at = NULL WHERE id = (SELECT id FROM w)::uuid;
SELECT is(test_auth.value_as('user:acme:admin@acme.test', format('SELECT count(*)::text FROM reports.outstanding_balances WHERE enrollment_id = %L', (SELECT id FROM w))),
          '1', 'reinstated (here by psql), it is outstanding again');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', format('SELECT concat_ws(%L, student_id IS NOT NULL, course_id IS NOT NULL, student_name IS NOT NULL) FROM reports.outstanding_balances WHERE enrollment_id = %L', ' ', (SELECT id FROM w))),
          't t t', 'with its student and course');

SELECT * FROM finish();
ROLLBACK;
