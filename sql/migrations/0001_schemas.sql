-- 0001: the schemas of the design, owned by the migration owner, and who may use them.
-- Tables arrive in later migrations, each isolated by tenant with forced RLS.

CREATE SCHEMA core;
COMMENT ON SCHEMA core IS 'Tenants, branches, users, roles, permissions, sessions, direct SQL logins.';
CREATE SCHEMA academy;
COMMENT ON SCHEMA academy IS 'Courses, students, enrollments, financial status, payments, attendance.';
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoice series, invoices, items, credit notes, stored PDF documents.';
CREATE SCHEMA commerce;
COMMENT ON SCHEMA commerce IS 'Categories, products, customers, sales, inventory movements.';
CREATE SCHEMA reports;
COMMENT ON SCHEMA reports IS 'security_invoker views for analysts; scoped by tenant and branch through RLS.';
CREATE SCHEMA api;
COMMENT ON SCHEMA api IS 'Cimiento REST API. The only schema PostgREST exposes: views and RPC functions.';

-- Domain schemas are reached by API roles only through `api` views and functions, which
-- are security_invoker / checked, so RLS still decides. USAGE lets those views resolve.
GRANT USAGE ON SCHEMA api TO anon, app_user, cimiento_api;
GRANT USAGE ON SCHEMA core, academy, billing, commerce TO app_user, cimiento_api;
GRANT USAGE ON SCHEMA reports TO app_user, analyst;
GRANT USAGE ON SCHEMA academy, billing, commerce, core TO analyst;
