-- Eleven tenants (the demo one and ten more), 2 000 enrollments each with their students,
-- one course and the financial status (loaded with triggers off, as the triggers would
-- have left them). A role with RLS off for the baseline: it has app_user's grants and
-- nothing else, and PostgREST's login may switch to it.
CREATE ROLE bench_norls NOLOGIN BYPASSRLS;
GRANT app_user TO bench_norls;
GRANT bench_norls TO authenticator;

INSERT INTO core.tenants (id, slug, name)
SELECT ('00000000-0000-4000-8000-0000000f' || lpad(g::text, 4, '0'))::uuid, 'bench-' || g, 'Bench ' || g FROM generate_series(1, 10) g;
INSERT INTO core.branches (tenant_id, id, code, name)
SELECT t.id, ('00000000-0000-4000-8000-0000000fb' || right(t.id::text, 3))::uuid, 'CENTRO', 'Centro'
  FROM core.tenants t WHERE t.slug LIKE 'bench-%';
SET session_replication_role = replica;
CREATE TEMP TABLE bench_branches AS
  SELECT b.tenant_id, b.id AS branch_id, row_number() OVER (ORDER BY b.tenant_id) AS k
    FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id
   WHERE t.slug LIKE 'bench-%' OR (t.slug = 'demo' AND b.code = 'CENTRO');
INSERT INTO academy.courses (tenant_id, id, branch_id, code, name, fee, capacity, starts_on, ends_on)
SELECT tenant_id, ('30000000-0000-4000-8000-' || lpad(to_hex(k), 12, '0'))::uuid, branch_id, 'BENCH', 'Curso de carga', 400, 5000,
       current_date, current_date + 180
  FROM bench_branches;
INSERT INTO academy.students (tenant_id, id, branch_id, document_id, first_name, last_name)
SELECT b.tenant_id, ('40000000-0000-4000-' || lpad(to_hex(b.k), 4, '0') || '-' || lpad(to_hex(s), 12, '0'))::uuid, b.branch_id,
       'B' || b.k || '-' || s, 'Nombre' || s, 'Apellido' || s
  FROM bench_branches b CROSS JOIN generate_series(1, 2000) s;
INSERT INTO academy.enrollments (tenant_id, id, branch_id, student_id, course_id, agreed_fee, discount, enrolled_at)
SELECT b.tenant_id, ('50000000-0000-4000-' || lpad(to_hex(b.k), 4, '0') || '-' || lpad(to_hex(s), 12, '0'))::uuid, b.branch_id,
       ('40000000-0000-4000-' || lpad(to_hex(b.k), 4, '0') || '-' || lpad(to_hex(s), 12, '0'))::uuid,
       ('30000000-0000-4000-8000-' || lpad(to_hex(b.k), 12, '0'))::uuid, 400, 0, now() - (s || ' minutes')::interval
  FROM bench_branches b CROSS JOIN generate_series(1, 2000) s;
INSERT INTO academy.financial_status (tenant_id, enrollment_id, branch_id, amount_due, paid, status, due_date)
SELECT e.tenant_id, e.id, e.branch_id, 400, 0, 'pending', current_date + 30
  FROM academy.enrollments e WHERE e.course_id IN (SELECT ('30000000-0000-4000-8000-' || lpad(to_hex(k), 12, '0'))::uuid FROM bench_branches);
SET session_replication_role = origin;
ANALYZE;
