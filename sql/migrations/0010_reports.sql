-- 0010: reports — security_invoker views for analysts (psql, BI tools) and, read-only,
-- through `api`. RLS scopes every row to the caller's tenant and branches, and the read
-- permissions of the underlying tables apply (an analyst role has them).

CREATE VIEW reports.revenue_by_branch_month WITH (security_invoker = true) AS
  WITH collected AS (
    SELECT p.tenant_id, p.branch_id, date_trunc('month', p.paid_at)::date AS month, count(*) AS payments, sum(p.amount) AS collected
      FROM academy.payments p GROUP BY 1, 2, 3),
  invoiced AS (
    SELECT i.tenant_id, i.branch_id, date_trunc('month', i.issue_date)::date AS month,
           count(*) FILTER (WHERE i.kind = 'invoice') AS invoices,
           sum(CASE WHEN i.kind = 'invoice' THEN i.subtotal ELSE -i.subtotal END) AS invoiced_net,
           sum(CASE WHEN i.kind = 'invoice' THEN i.total ELSE -i.total END) AS invoiced_total
      FROM billing.invoices i WHERE i.status <> 'draft' GROUP BY 1, 2, 3)
  SELECT coalesce(c.tenant_id, v.tenant_id) AS tenant_id, coalesce(c.branch_id, v.branch_id) AS branch_id,
         b.code AS branch_code, b.name AS branch_name, coalesce(c.month, v.month) AS month,
         coalesce(c.payments, 0) AS payments, coalesce(c.collected, 0) AS collected,
         coalesce(v.invoices, 0) AS invoices, coalesce(v.invoiced_net, 0) AS invoiced_net,
         coalesce(v.invoiced_total, 0) AS invoiced_total
    FROM collected c
    FULL JOIN invoiced v ON v.tenant_id = c.tenant_id AND v.branch_id = c.branch_id AND v.month = c.month
    JOIN core.branches b ON b.tenant_id = coalesce(c.tenant_id, v.tenant_id) AND b.id = coalesce(c.branch_id, v.branch_id);
COMMENT ON VIEW reports.revenue_by_branch_month IS 'Revenue per branch and month: collected (payments received) and invoiced (issued invoices minus credit notes, net and with tax).';

CREATE VIEW reports.outstanding_balances WITH (security_invoker = true) AS
  SELECT f.tenant_id, f.branch_id, b.code AS branch_code, f.enrollment_id, e.student_id,
         s.first_name || ' ' || s.last_name AS student_name, s.document_id, e.course_id, c.code AS course_code, c.name AS course_name,
         f.amount_due, f.paid, f.balance, f.due_date,
         greatest(current_date - f.due_date, 0) AS days_overdue,
         CASE WHEN current_date - f.due_date <= 30 THEN '0-30'
              WHEN current_date - f.due_date <= 60 THEN '31-60'
              WHEN current_date - f.due_date <= 90 THEN '61-90'
              ELSE '90+' END AS aging_bucket
    FROM academy.financial_status f
    JOIN academy.enrollments e ON e.tenant_id = f.tenant_id AND e.id = f.enrollment_id
    JOIN academy.students s ON s.tenant_id = e.tenant_id AND s.id = e.student_id
    JOIN academy.courses c ON c.tenant_id = e.tenant_id AND c.id = e.course_id
    JOIN core.branches b ON b.tenant_id = f.tenant_id AND b.id = f.branch_id
   WHERE f.amount_due > f.paid AND e.status <> 'withdrawn';
COMMENT ON VIEW reports.outstanding_balances IS 'Every enrollment with money owed: balance, due date, days overdue and aging bucket (0-30 includes balances not yet due; 31-60, 61-90, 90+).';

CREATE VIEW reports.aging_summary WITH (security_invoker = true) AS
  SELECT f.tenant_id, f.branch_id, b.code AS branch_code,
         sum(f.amount_due - f.paid) FILTER (WHERE current_date - f.due_date <= 30) AS bucket_0_30,
         sum(f.amount_due - f.paid) FILTER (WHERE current_date - f.due_date BETWEEN 31 AND 60) AS bucket_31_60,
         sum(f.amount_due - f.paid) FILTER (WHERE current_date - f.due_date BETWEEN 61 AND 90) AS bucket_61_90,
         sum(f.amount_due - f.paid) FILTER (WHERE current_date - f.due_date > 90) AS bucket_90_plus,
         sum(f.amount_due - f.paid) AS total_outstanding,
         count(*) AS enrollments_owing
    FROM academy.financial_status f
    JOIN academy.enrollments e ON e.tenant_id = f.tenant_id AND e.id = f.enrollment_id
    JOIN core.branches b ON b.tenant_id = f.tenant_id AND b.id = f.branch_id
   WHERE f.amount_due > f.paid AND e.status <> 'withdrawn'
   GROUP BY f.tenant_id, f.branch_id, b.code;
COMMENT ON VIEW reports.aging_summary IS 'Outstanding balances per branch in aging buckets (days since the due date).';

CREATE VIEW reports.attendance_rate WITH (security_invoker = true) AS
  SELECT a.tenant_id, a.branch_id, a.course_id, c.code AS course_code, c.name AS course_name, a.student_id,
         s.first_name || ' ' || s.last_name AS student_name,
         count(*) AS records,
         count(*) FILTER (WHERE a.status = 'present') AS present,
         count(*) FILTER (WHERE a.status = 'late') AS late,
         count(*) FILTER (WHERE a.status = 'absent') AS absent,
         count(*) FILTER (WHERE a.status = 'excused') AS excused,
         round(100.0 * count(*) FILTER (WHERE a.status IN ('present', 'late'))
               / nullif(count(*) FILTER (WHERE a.status <> 'excused'), 0), 1) AS rate_pct
    FROM academy.attendance a
    JOIN academy.courses c ON c.tenant_id = a.tenant_id AND c.id = a.course_id
    JOIN academy.students s ON s.tenant_id = a.tenant_id AND s.id = a.student_id
   GROUP BY a.tenant_id, a.branch_id, a.course_id, c.code, c.name, a.student_id, s.first_name, s.last_name;
COMMENT ON VIEW reports.attendance_rate IS 'Attendance per course and student: records by status and the rate (present + late over all but excused), in percent.';

CREATE VIEW reports.course_attendance WITH (security_invoker = true) AS
  SELECT a.tenant_id, a.branch_id, a.course_id, c.code AS course_code, c.name AS course_name,
         count(DISTINCT a.date) AS sessions, count(*) AS records,
         round(100.0 * count(*) FILTER (WHERE a.status IN ('present', 'late'))
               / nullif(count(*) FILTER (WHERE a.status <> 'excused'), 0), 1) AS rate_pct
    FROM academy.attendance a
    JOIN academy.courses c ON c.tenant_id = a.tenant_id AND c.id = a.course_id
   GROUP BY a.tenant_id, a.branch_id, a.course_id, c.code, c.name;
COMMENT ON VIEW reports.course_attendance IS 'Attendance rate per course (present + late over all but excused), in percent.';

CREATE VIEW reports.enrollments_per_course WITH (security_invoker = true) AS
  SELECT c.tenant_id, c.branch_id, b.code AS branch_code, c.id AS course_id, c.code AS course_code, c.name AS course_name,
         c.status, c.capacity,
         count(e.id) FILTER (WHERE e.status = 'active') AS active,
         count(e.id) FILTER (WHERE e.status = 'completed') AS completed,
         count(e.id) FILTER (WHERE e.status = 'withdrawn') AS withdrawn,
         round(100.0 * count(e.id) FILTER (WHERE e.status = 'active') / c.capacity, 1) AS fill_rate_pct
    FROM academy.courses c
    JOIN core.branches b ON b.tenant_id = c.tenant_id AND b.id = c.branch_id
    LEFT JOIN academy.enrollments e ON e.tenant_id = c.tenant_id AND e.course_id = c.id
   GROUP BY c.tenant_id, c.branch_id, b.code, c.id, c.code, c.name, c.status, c.capacity;
COMMENT ON VIEW reports.enrollments_per_course IS 'Enrollments per course (active, completed, withdrawn) and fill rate (active over capacity), in percent.';

GRANT SELECT ON ALL TABLES IN SCHEMA reports TO analyst, app_user;

-- The same reports, read-only over REST.
CREATE VIEW api.report_revenue_by_branch_month WITH (security_invoker = true) AS SELECT * FROM reports.revenue_by_branch_month;
COMMENT ON VIEW api.report_revenue_by_branch_month IS 'Report: revenue per branch and month (collected and invoiced). Read-only.';
CREATE VIEW api.report_outstanding_balances WITH (security_invoker = true) AS SELECT * FROM reports.outstanding_balances;
COMMENT ON VIEW api.report_outstanding_balances IS 'Report: balances owed per enrollment with aging bucket. Read-only.';
CREATE VIEW api.report_aging_summary WITH (security_invoker = true) AS SELECT * FROM reports.aging_summary;
COMMENT ON VIEW api.report_aging_summary IS 'Report: outstanding balances per branch in aging buckets. Read-only.';
CREATE VIEW api.report_attendance_rate WITH (security_invoker = true) AS SELECT * FROM reports.attendance_rate;
COMMENT ON VIEW api.report_attendance_rate IS 'Report: attendance rate per course and student. Read-only.';
CREATE VIEW api.report_course_attendance WITH (security_invoker = true) AS SELECT * FROM reports.course_attendance;
COMMENT ON VIEW api.report_course_attendance IS 'Report: attendance rate per course. Read-only.';
CREATE VIEW api.report_enrollments_per_course WITH (security_invoker = true) AS SELECT * FROM reports.enrollments_per_course;
COMMENT ON VIEW api.report_enrollments_per_course IS 'Report: enrollments and fill rate per course. Read-only.';
GRANT SELECT ON api.report_revenue_by_branch_month, api.report_outstanding_balances, api.report_aging_summary,
                api.report_attendance_rate, api.report_course_attendance, api.report_enrollments_per_course TO app_user;
