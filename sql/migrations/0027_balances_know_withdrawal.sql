-- 0027: a financial status knows whether its enrollment was withdrawn, so the aging
-- reports read balances alone (one scan) instead of joining every enrollment for that.
--
-- academy.financial_status.withdrawn is kept by a trigger on academy.enrollments (any change
-- of status, on every path: the workflow, an RPC, psql), in the same transaction.
-- reports.outstanding_balances and reports.aging_summary filter on it; the enrollment's
-- student and course, and their names, are looked up per row shown (after ORDER BY … LIMIT).
-- Same columns and figures; an enrollment, student or course the caller may not read shows
-- NULL there instead of hiding the balance.

ALTER TABLE academy.financial_status ADD COLUMN withdrawn boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN academy.financial_status.withdrawn IS 'Whether the enrollment was withdrawn (kept by the enrollments trigger): a withdrawn enrollment''s balance is not outstanding.';
UPDATE academy.financial_status f SET withdrawn = true
  FROM academy.enrollments e WHERE e.tenant_id = f.tenant_id AND e.id = f.enrollment_id AND e.status = 'withdrawn';
CREATE INDEX financial_status_outstanding_idx ON academy.financial_status (tenant_id, due_date)
  INCLUDE (branch_id, amount_due, paid) WHERE amount_due > paid AND NOT withdrawn;

CREATE FUNCTION academy.enrollments_mark_withdrawn() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE academy.financial_status f SET withdrawn = (NEW.status = 'withdrawn')
   WHERE f.tenant_id = NEW.tenant_id AND f.enrollment_id = NEW.id AND f.withdrawn IS DISTINCT FROM (NEW.status = 'withdrawn');
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION academy.enrollments_mark_withdrawn() FROM PUBLIC;
COMMENT ON FUNCTION academy.enrollments_mark_withdrawn() IS 'Trigger (after a change of an enrollment''s status): marks its financial status withdrawn or not, in the same transaction. SECURITY DEFINER: callers cannot write the financial status.';
CREATE TRIGGER enrollments_mark_withdrawn AFTER UPDATE OF status ON academy.enrollments
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION academy.enrollments_mark_withdrawn();

CREATE OR REPLACE VIEW reports.outstanding_balances WITH (security_invoker = true) AS
  SELECT f.tenant_id, f.branch_id, (SELECT b.code FROM core.branches b WHERE b.tenant_id = f.tenant_id AND b.id = f.branch_id) AS branch_code,
         f.enrollment_id,
         (SELECT e.student_id FROM academy.enrollments e WHERE e.tenant_id = f.tenant_id AND e.id = f.enrollment_id) AS student_id,
         (SELECT s.first_name || ' ' || s.last_name FROM academy.enrollments e JOIN academy.students s ON s.tenant_id = e.tenant_id AND s.id = e.student_id
           WHERE e.tenant_id = f.tenant_id AND e.id = f.enrollment_id) AS student_name,
         (SELECT s.document_id FROM academy.enrollments e JOIN academy.students s ON s.tenant_id = e.tenant_id AND s.id = e.student_id
           WHERE e.tenant_id = f.tenant_id AND e.id = f.enrollment_id) AS document_id,
         (SELECT e.course_id FROM academy.enrollments e WHERE e.tenant_id = f.tenant_id AND e.id = f.enrollment_id) AS course_id,
         (SELECT c.code FROM academy.enrollments e JOIN academy.courses c ON c.tenant_id = e.tenant_id AND c.id = e.course_id
           WHERE e.tenant_id = f.tenant_id AND e.id = f.enrollment_id) AS course_code,
         (SELECT c.name FROM academy.enrollments e JOIN academy.courses c ON c.tenant_id = e.tenant_id AND c.id = e.course_id
           WHERE e.tenant_id = f.tenant_id AND e.id = f.enrollment_id) AS course_name,
         f.amount_due, f.paid, f.balance, f.due_date,
         greatest(current_date - f.due_date, 0) AS days_overdue,
         reports.aging_bucket(f.due_date) AS aging_bucket
    FROM academy.financial_status f
   WHERE f.amount_due > f.paid AND NOT f.withdrawn;
COMMENT ON VIEW reports.outstanding_balances IS 'Every enrollment with money owed (not withdrawn): balance, due date, days overdue and aging bucket (reports.aging_bucket: 0-30 includes balances not yet due; 31-60, 61-90, 90+). Student and course names are NULL where the caller may not read them.';

CREATE OR REPLACE VIEW reports.aging_summary WITH (security_invoker = true) AS
  SELECT f.tenant_id, f.branch_id, b.code AS branch_code,
         sum(f.balance) FILTER (WHERE reports.aging_bucket(f.due_date) = '0-30') AS bucket_0_30,
         sum(f.balance) FILTER (WHERE reports.aging_bucket(f.due_date) = '31-60') AS bucket_31_60,
         sum(f.balance) FILTER (WHERE reports.aging_bucket(f.due_date) = '61-90') AS bucket_61_90,
         sum(f.balance) FILTER (WHERE reports.aging_bucket(f.due_date) = '90+') AS bucket_90_plus,
         sum(f.balance) AS total_outstanding,
         count(*) AS enrollments_owing
    FROM academy.financial_status f
    JOIN core.branches b ON b.tenant_id = f.tenant_id AND b.id = f.branch_id
   WHERE f.amount_due > f.paid AND NOT f.withdrawn
   GROUP BY f.tenant_id, f.branch_id, b.code;
COMMENT ON VIEW reports.aging_summary IS 'Outstanding balances (not withdrawn) per branch in the aging buckets of reports.aging_bucket (days since the due date).';
