-- 0028: the aging summary sums the balances per due date first (a few hundred dates per
-- branch) and only then sorts those sums into buckets, instead of working out each of the
-- 100 000 balances' bucket four times. Same columns, same figures.
CREATE OR REPLACE VIEW reports.aging_summary WITH (security_invoker = true) AS
  WITH per_due_date AS (
    SELECT f.tenant_id, f.branch_id, f.due_date, sum(f.balance) AS balance, count(*) AS owing
      FROM academy.financial_status f
     WHERE f.amount_due > f.paid AND NOT f.withdrawn
     GROUP BY f.tenant_id, f.branch_id, f.due_date)
  SELECT d.tenant_id, d.branch_id, b.code AS branch_code,
         sum(d.balance) FILTER (WHERE reports.aging_bucket(d.due_date) = '0-30') AS bucket_0_30,
         sum(d.balance) FILTER (WHERE reports.aging_bucket(d.due_date) = '31-60') AS bucket_31_60,
         sum(d.balance) FILTER (WHERE reports.aging_bucket(d.due_date) = '61-90') AS bucket_61_90,
         sum(d.balance) FILTER (WHERE reports.aging_bucket(d.due_date) = '90+') AS bucket_90_plus,
         sum(d.balance) AS total_outstanding,
         sum(d.owing)::bigint AS enrollments_owing
    FROM per_due_date d
    JOIN core.branches b ON b.tenant_id = d.tenant_id AND b.id = d.branch_id
   GROUP BY d.tenant_id, d.branch_id, b.code;
COMMENT ON VIEW reports.aging_summary IS 'Outstanding balances (not withdrawn) per branch in the aging buckets of reports.aging_bucket (days since the due date).';
