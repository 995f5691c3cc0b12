-- Nineteen more tenants (pool-01 … pool-19) beside the demo one: a branch, an admin and 500
-- students each (students loaded with triggers off, as their triggers would have left them).
INSERT INTO core.tenants (id, slug, name)
SELECT ('00000000-0000-4000-8000-0000000e' || lpad(g::text, 4, '0'))::uuid, 'pool-' || lpad(g::text, 2, '0'), 'Pool ' || g
  FROM generate_series(1, 19) g;
INSERT INTO core.branches (tenant_id, code, name)
SELECT t.id, 'CENTRO', 'Centro' FROM core.tenants t WHERE t.slug LIKE 'pool-%';
INSERT INTO core.users (tenant_id, email, full_name)
SELECT t.id, 'admin@' || t.slug || '.example', 'Admin ' || t.slug FROM core.tenants t WHERE t.slug LIKE 'pool-%';
INSERT INTO core.user_roles (tenant_id, user_id, role_id)
SELECT u.tenant_id, u.id, r.id
  FROM core.users u JOIN core.tenants t ON t.id = u.tenant_id AND t.slug LIKE 'pool-%'
  JOIN core.roles r ON r.tenant_id = u.tenant_id AND r.name = 'admin';
SET session_replication_role = replica;
INSERT INTO academy.students (tenant_id, branch_id, document_id, first_name, last_name)
SELECT b.tenant_id, b.id, 'P' || lpad(s::text, 6, '0'), 'Nombre' || s, 'Apellido' || s
  FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id AND t.slug LIKE 'pool-%'
 CROSS JOIN generate_series(1, 500) s;
SET session_replication_role = origin;
ANALYZE;
