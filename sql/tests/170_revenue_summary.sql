-- The revenue report reads the monthly payment summary: kept by the payments trigger in the
-- paying transaction, folded by the nightly job, equal to the payments it stands for, and
-- scoped like the payments (tenant, branch, payments.read).
BEGIN;
SELECT no_plan();

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
SELECT is((SELECT cimiento.schedule('reports_compact', '30 2 * * *', 'reports.compact_collected_by_month()', '{payments.read}') > 0), true,
          '(the job is registered; rescheduling is idempotent)');
SELECT ok((SELECT bool_and(error IS NULL) FROM cimiento.run_job('reports_compact')), 'the job runs for every tenant without error');
SELECT is((SELECT count(*) FROM reports.collected_by_month), (SELECT count(*) FROM summary), 'one row per tenant, branch and month afterwards');
SELECT set_eq('SELECT * FROM summary', 'SELECT * FROM truth', 'with the same figures');

SELECT * FROM finish();
ROLLBACK;
