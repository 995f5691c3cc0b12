-- One tenant with four branches (course c in branch c mod 4 + 1; enrollment s in course
-- s mod 200 + 1, in that course's branch): 200 courses, 100 000 students and enrollments, 1 000 000
-- payments and 1 000 000 attendance records (loaded with triggers off, then the financial
-- status and the report summaries (payments per month, attendance per course and day) computed from the payments, as the triggers would
-- have left them).
INSERT INTO core.tenants (id, slug, name) VALUES ('00000000-0000-4000-8000-00000000ec01', 'grande', 'Academia Grande');
SET session_replication_role = replica;
INSERT INTO core.branches (tenant_id, id, code, name)
SELECT '00000000-0000-4000-8000-00000000ec01', ('00000000-0000-4000-8000-0000000eb00' || g)::uuid, 'S' || g, 'Sede ' || g
  FROM generate_series(1, 4) g;
INSERT INTO academy.courses (tenant_id, id, branch_id, code, name, fee, capacity, starts_on, ends_on)
SELECT '00000000-0000-4000-8000-00000000ec01', ('00000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-0000000eb00' || (c % 4 + 1))::uuid, 'C' || c, 'Curso ' || c,
       200 + (c % 5) * 50, 1000, current_date - 200 + (c % 150), current_date + (c % 150)
  FROM generate_series(1, 200) c;
INSERT INTO academy.students (tenant_id, id, branch_id, document_id, first_name, last_name)
SELECT '00000000-0000-4000-8000-00000000ec01', ('10000000-0000-4000-8000-' || lpad(to_hex(s), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-0000000eb00' || ((s % 200 + 1) % 4 + 1))::uuid, 'D' || lpad(s::text, 8, '0'), 'Nombre' || s, 'Apellido' || s
  FROM generate_series(1, 100000) s;
INSERT INTO academy.enrollments (tenant_id, id, branch_id, student_id, course_id, agreed_fee, discount, enrolled_at)
SELECT '00000000-0000-4000-8000-00000000ec01', ('20000000-0000-4000-8000-' || lpad(to_hex(s), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-0000000eb00' || ((s % 200 + 1) % 4 + 1))::uuid,
       ('10000000-0000-4000-8000-' || lpad(to_hex(s), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(s % 200 + 1), 12, '0'))::uuid,
       400, 0, now() - (s % 365 || ' days')::interval
  FROM generate_series(1, 100000) s;
INSERT INTO academy.payments (tenant_id, branch_id, enrollment_id, amount, method, paid_at)
SELECT e.tenant_id, e.branch_id, e.id, 30, (ARRAY['cash', 'card', 'transfer', 'deposit'])[1 + p % 4],
       e.enrolled_at + (p * 9 || ' days')::interval
  FROM academy.enrollments e CROSS JOIN generate_series(1, 10) p
 WHERE e.tenant_id = '00000000-0000-4000-8000-00000000ec01';
INSERT INTO reports.collected_by_month (tenant_id, branch_id, month, payments, collected)
SELECT p.tenant_id, p.branch_id, reports.local_month(p.paid_at, t.timezone), count(*), sum(p.amount)
  FROM academy.payments p JOIN core.tenants t ON t.id = p.tenant_id
 WHERE p.tenant_id = '00000000-0000-4000-8000-00000000ec01'
 GROUP BY 1, 2, 3;
INSERT INTO academy.financial_status (tenant_id, enrollment_id, branch_id, amount_due, paid, status, due_date)
SELECT e.tenant_id, e.id, e.branch_id, 400, 300, 'partial', (e.enrolled_at + interval '30 days')::date
  FROM academy.enrollments e WHERE e.tenant_id = '00000000-0000-4000-8000-00000000ec01';
INSERT INTO academy.attendance (tenant_id, course_id, student_id, date, branch_id, status)
SELECT e.tenant_id, e.course_id, e.student_id, current_date - d, e.branch_id,
       (ARRAY['present', 'present', 'present', 'late', 'absent', 'excused'])[1 + (d + hashtext(e.student_id::text) & 1023) % 6]
  FROM academy.enrollments e CROSS JOIN generate_series(1, 10) d
 WHERE e.tenant_id = '00000000-0000-4000-8000-00000000ec01';
INSERT INTO reports.attendance_by_course_day (tenant_id, branch_id, course_id, date, records, counted, attended)
SELECT a.tenant_id, a.branch_id, a.course_id, a.date, count(*),
       count(*) FILTER (WHERE a.status <> 'excused'), count(*) FILTER (WHERE a.status IN ('present', 'late'))
  FROM academy.attendance a WHERE a.tenant_id = '00000000-0000-4000-8000-00000000ec01' GROUP BY 1, 2, 3, 4;
SET session_replication_role = origin;
INSERT INTO core.users (tenant_id, id, email, full_name)
VALUES ('00000000-0000-4000-8000-00000000ec01', '00000000-0000-4000-8000-00000000ee01', 'admin@grande.test', 'Admin');
INSERT INTO core.user_roles (tenant_id, user_id, role_id)
SELECT tenant_id, '00000000-0000-4000-8000-00000000ee01', id FROM core.roles WHERE tenant_id = '00000000-0000-4000-8000-00000000ec01' AND name = 'admin';
VACUUM ANALYZE;
