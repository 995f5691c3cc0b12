-- Protecting a trigger and lifting the protection (protection.rs).
COMMENT ON FUNCTION cimiento.protect_trigger(regclass, text) IS
  'Protects a trigger of a table the session''s login owns: afterwards no role but the cluster superuser may disable, drop or replace it (its function is handed to cimiento_guard), or drop or rewrite the table. For immutability guards and the audit trigger. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.protect_trigger(regclass, text) FROM PUBLIC;
COMMENT ON FUNCTION cimiento.unprotect_trigger(regclass, text) IS
  'Lifts a trigger''s protection. Cluster superuser only. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.unprotect_trigger(regclass, text) FROM PUBLIC;
