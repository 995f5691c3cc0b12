-- The isolation lint (lint.rs).
COMMENT ON FUNCTION cimiento.isolation_report() IS
  'Lint: one row (object, rule, severity, fix) per object that could leak rows across tenants: tenant tables without forced RLS or policies, permissive policies not confined by current_tenant(), views exposed to API roles without security_invoker, SECURITY DEFINER functions without search_path or executable by PUBLIC/anon, foreign keys without tenant_id, API roles with BYPASSRLS/superuser. STABLE, PARALLEL SAFE.';
